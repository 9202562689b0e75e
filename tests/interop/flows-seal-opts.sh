#!/bin/sh
# flows-seal-opts.sh — client send --seal with each content cipher and key
# transport (--gcm: AES-256-GCM AuthEnvelopedData; --pkcs1: RSA PKCS#1
# v1.5 instead of the default RSA-OAEP): the sender says what it used, the
# listener opens each one (good), and OpenSSL opens each stored message
# with bob's key and finds alice's signed text inside (openssl cms
# -decrypt, then -verify). The options without --seal, and --oaep with
# --pkcs1, are usage errors with their exact messages.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
. tests/interop/flowslib
flows_setup flows-seal-opts

ca=unix:$w/ca.sock
bg serve "$M" ca serve --ca ca --listen "$ca"
wait_for serve.out "^listening on "
for n in alice bob; do
	tok=$("$M" ca token new --ca ca --profile peer 2>/dev/null)
	quiet "$M" client enroll $n --ca "$ca" --anchor root.pem --token "$tok"
	quiet "$M" export $n --key --no-encrypt --out $n.key
	quiet "$M" export $n --cert --out $n.pem
done
bg listen "$M" client listen bob --listen "unix:$w/bob.sock" --status "$ca"
wait_for listen.out "^listening on "

expect 2 "minipki-tui client send: --gcm, --oaep and --pkcs1 choose how --seal seals: give --seal too" \
    "$M" client send alice "unix:$w/bob.sock" --message x --gcm
expect 2 "minipki-tui client send: give one of --oaep and --pkcs1" \
    "$M" client send alice "unix:$w/bob.sock" --message x --seal --oaep --pkcs1

# id, options, what the sender says, what OpenSSL's cms -cmsout -print names
i=0
for c in "--seal|AES-256-CBC, RSA-OAEP|aes-256-cbc|rsaesOaep" \
    "--seal --gcm|AES-256-GCM, RSA-OAEP|aes-256-gcm|rsaesOaep" \
    "--seal --pkcs1|AES-256-CBC, RSA PKCS#1 v1.5|aes-256-cbc|rsaEncryption" \
    "--seal --gcm --pkcs1|AES-256-GCM, RSA PKCS#1 v1.5|aes-256-gcm|rsaEncryption"; do
	i=$((i + 1))
	opts=${c%%|*}; rest=${c#*|}
	says=${rest%%|*}; rest=${rest#*|}
	cipher=${rest%%|*}; kt=${rest#*|}
	# shellcheck disable=SC2086
	"$M" client send alice "unix:$w/bob.sock" --message "note $i" $opts >out 2>err
	rc=$?
	[ $rc -eq 0 ] && grep -q "^sealed to CN=bob: $says, [0-9]* bytes$" err &&
	    grep -q "^message $i: good: sealed, opened; " out &&
	    ok "client send $opts: $says, good" ||
	    { fail "client send $opts (exit $rc)"; cat out err; }
	f=ws/inbox/bob/$(printf '%09d' $i).cms
	openssl cms -cmsout -print -inform DER -in "$f" >print.out 2>&1
	grep -q "algorithm: $kt" print.out && grep -q "algorithm: $cipher" print.out &&
	    ok "openssl reads $opts as $cipher, $kt" ||
	    { fail "openssl cms -print $opts"; grep "algorithm:" print.out; }
	if openssl cms -decrypt -inform DER -in "$f" -recip bob.pem -inkey bob.key \
	    -binary -out inner.der >osl.out 2>&1 &&
	    openssl cms -verify -inform DER -in inner.der -CAfile root.pem \
	    -purpose any -out content.txt >>osl.out 2>&1 &&
	    [ "$(cat content.txt)" = "note $i" ]; then
		ok "openssl cms -decrypt, then -verify: $opts"
	else
		fail "openssl on the message sent with $opts"; cat osl.out
	fi
done

[ "$fails" -eq 0 ]
