#!/bin/sh
# msg-openssl.sh — `msg sign|verify|seal|open` judged by OpenSSL both
# ways: `openssl cms -verify -CAfile` (its default smimesign purpose)
# accepts what we sign, attached and detached, PKCS#1 v1.5 and PSS;
# `openssl cms -decrypt` opens what we seal (AES-256-CBC EnvelopedData and
# AES-256-GCM AuthEnvelopedData, RSA-OAEP and PKCS#1 v1.5); we verify what
# `openssl cms -sign` writes and open what `openssl cms -encrypt` writes
# (CBC and GCM, AES-128 and 256, PKCS#1 v1.5 and OAEP with SHA-1 and
# SHA-256, by subjectKeyIdentifier). Altered messages, a TLS-client-only
# certificate, a stranger and a revoked signer (asked of `ca serve` over
# OCSP) fail with their exact errors. Skipped without openssl.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
# caservelib for serve_start; testlib again for its expect (caservelib's
# own expect checks HTTP answers).
. tests/interop/caservelib
. tests/interop/testlib
test_setup msg-openssl msg-pass
P=minipki-tui

# A CA, alice and bob with the peer profile, carl a TLS client only.
quiet "$M" ca init --subject "CN=Msg Root" --bits 2048
quiet "$M" export ca --cert --out root.pem
entity() {
	quiet "$M" key new "$1" --bits 2048
	quiet "$M" csr new "$1" --subject "CN=$1" --san "email:$1@example.org" \
	    --out "$1.csr"
	quiet "$M" ca issue --csr "$1.csr" --profile "$2" --out "$1.pem"
	cat "$1.pem" root.pem >"$1-chain.pem"
	quiet "$M" import "$1" --cert "$1-chain.pem"
	quiet "$M" export "$1" --key --no-encrypt --out "$1.key"
}
entity alice peer
entity bob peer
entity carl client
[ "$fails" -eq 0 ] || exit 1
printf 'Dear Bob,\r\nthe lab is at nine.\n\000and a binary tail\n' >m.txt

osl_verify() {	# FILE FORMAT [ARGS]: openssl cms -verify, content to v.txt
	f=$1 fmt=$2
	shift 2
	rm -f v.txt
	openssl cms -verify -binary -in "$f" -inform "$fmt" -CAfile root.pem \
	    -out v.txt "$@" >osl.out 2>&1 && cmp -s m.txt v.txt
}

# ---- what we sign, openssl verifies ----
for mode in attached detached; do
	for alg in pkcs1 pss; do
		set --
		[ $mode = detached ] && set -- "$@" --detached
		[ $alg = pss ] && set -- "$@" --pss
		run "$M" msg sign alice --in m.txt --out "s-$mode-$alg.pem" "$@"
		set --
		[ $mode = detached ] && set -- -content m.txt
		if osl_verify "s-$mode-$alg.pem" PEM "$@"; then
			ok "openssl cms -verify accepts our $mode $alg signature"
		else
			fail "openssl cms -verify refused our $mode $alg signature"
			cat osl.out
		fi
	done
done
head -n 1 s-attached-pkcs1.pem | grep -q '^-----BEGIN CMS-----$' &&
    ok "written as PEM CMS" || fail "not PEM CMS: $(head -n 1 s-attached-pkcs1.pem)"
openssl cms -cmsout -print -in s-detached-pss.pem -inform PEM >print.out 2>&1
grep -q 'algorithm: rsassaPss' print.out && grep -q 'signingTime' print.out &&
    ok "openssl sees RSASSA-PSS and signingTime" || { fail "cms -print"; head -40 print.out; }
# the signer's chain is in the message: the certificate and the root
n=$(openssl cms -cmsout -print -in s-attached-pkcs1.pem -inform PEM |
    grep -c 'subject: CN=')
[ "$n" -eq 2 ] && ok "the chain (2 certificates) is included" ||
    fail "$n certificates in the message, want 2"

# ---- and we verify our own, step by step ----
run "$M" msg verify --ca root.pem s-attached-pss.pem --out got.txt
cmp -s m.txt got.txt && ok "msg verify --out writes the content" || fail "content differs"
tail -n 1 out | grep -q "^s-attached-pss.pem: GOOD: signed by 'CN=alice' (serial [0-9A-F:]*, at [0-9-]* [0-9:]* UTC)$" &&
    ok "verdict line" || { fail "verdict line"; cat out; }
grep -q '^  ok    extended key usage of .CN=alice.: emailProtection allowed$' out &&
    ok "emailProtection checked" || { fail "no emailProtection step"; cat out; }
run "$M" msg verify --ca root.pem --content m.txt s-detached-pkcs1.pem

# ---- altered: both judges refuse, we say why ----
openssl cms -cmsout -in s-attached-pkcs1.pem -inform PEM -outform DER -out t.der
off=$(grep -obUa 'lab is' t.der | head -n 1 | cut -d: -f1)
printf 'L' | dd of=t.der bs=1 seek="$off" conv=notrunc 2>/dev/null
expect 1 "$P: t.der: signer 1: messageDigest attribute does not match the content" \
    "$M" msg verify --ca root.pem t.der
tail -n 1 out | grep -q '^t.der: INVALID: signer 1: messageDigest' &&
    ok "INVALID verdict" || { fail "verdict"; cat out; }
osl_verify t.der DER && fail "openssl accepted the altered message" ||
    ok "openssl refuses the altered message too"
sed 's/nine/ten!/' m.txt >m2.txt
expect 1 "$P: s-detached-pss.pem: signer 1: messageDigest attribute does not match the content" \
    "$M" msg verify --ca root.pem --content m2.txt s-detached-pss.pem
expect 2 "$P msg verify: s-detached-pss.pem: detached signature: the content is needed to verify it" \
    "$M" msg verify --ca root.pem s-detached-pss.pem
expect 3 "$P: m.txt: offset 0x0: expected SEQUENCE (ContentInfo), found 0x44" \
    "$M" msg verify --ca root.pem m.txt

# a TLS client certificate is not for signed messages (nor for openssl)
run "$M" msg sign carl --in m.txt --out carl-signed.pem
expect 1 "$P: carl-signed.pem: extended key usage of 'CN=carl': extendedKeyUsage does not include emailProtection (needed for signed messages)" \
    "$M" msg verify --ca root.pem carl-signed.pem
if osl_verify carl-signed.pem PEM; then
	fail "openssl accepted carl's signature"
elif grep -q 'unsuitable certificate purpose' osl.out; then
	ok "openssl refuses carl's signature for the same reason"
else
	fail "openssl refused carl's signature for another reason"
	cat osl.out
fi

run "$M" verify --ca root.pem --purpose email alice.pem
expect 1 "$P: carl.pem: extended key usage of 'CN=carl': extendedKeyUsage does not include emailProtection (needed for signed messages) (extended key usage does not allow this purpose)" \
    "$M" verify --ca root.pem --purpose email carl.pem

# ---- what openssl signs, we verify ----
openssl cms -sign -binary -nodetach -in m.txt -signer alice.pem -inkey alice.key \
    -outform PEM -out o-att.pem 2>osl.out || fail "openssl cms -sign"
run "$M" msg verify --ca root.pem o-att.pem
openssl cms -sign -binary -in m.txt -signer alice.pem -inkey alice.key \
    -keyopt rsa_padding_mode:pss -outform DER -out o-det-pss.der 2>osl.out ||
    fail "openssl cms -sign -keyopt rsa_padding_mode:pss"
run "$M" msg verify --ca root.pem --content m.txt o-det-pss.der

# ---- what we seal, openssl opens ----
for c in cbc gcm; do
	for kt in oaep pkcs1; do
		set -- "--$kt"
		[ $c = gcm ] && set -- "$@" --gcm
		run "$M" msg seal --to bob.pem --to alice.pem --in m.txt \
		    --out "e-$c-$kt.pem" "$@"
		rm -f d.txt
		if openssl cms -decrypt -binary -in "e-$c-$kt.pem" -inform PEM \
		    -inkey bob.key -recip bob.pem -out d.txt >osl.out 2>&1 &&
		    cmp -s m.txt d.txt; then
			ok "openssl cms -decrypt opens our $c $kt message"
		else
			fail "openssl cms -decrypt failed on our $c $kt message"
			cat osl.out
		fi
		rm -f d.txt
		run "$M" msg open alice "e-$c-$kt.pem" --out d.txt
		cmp -s m.txt d.txt || fail "msg open alice e-$c-$kt.pem: content differs"
	done
done
openssl cms -cmsout -print -in e-gcm-oaep.pem -inform PEM >print.out 2>&1
grep -q 'id-smime-ct-authEnvelopedData' print.out && grep -q 'rsaesOaep' print.out &&
    grep -q 'aes-256-gcm' print.out &&
    ok "openssl sees AuthEnvelopedData, AES-256-GCM and RSA-OAEP" ||
    { fail "cms -print of the GCM message"; head -30 print.out; }
[ "$(stat -c %a d.txt)" = 600 ] && ok "opened content is mode 0600" ||
    fail "d.txt mode $(stat -c %a d.txt)"
expect 3 "$P: d.txt: already exists" "$M" msg open alice e-cbc-oaep.pem --out d.txt

# ---- what openssl seals, we open ----
osl_seal() {	# NAME ARGS: openssl cms -encrypt to bob, opened by us
	n=$1
	shift
	openssl cms -encrypt -binary -in m.txt -outform DER -out "$n.der" "$@" \
	    >osl.out 2>&1 || { fail "openssl cms -encrypt $*"; cat osl.out; return; }
	"$M" msg open bob "$n.der" >d.txt 2>err && cmp -s m.txt d.txt &&
	    ok "we open openssl cms -encrypt $*" ||
	    { fail "msg open bob $n.der ($*)"; cat err; }
}
osl_seal o-cbc -aes256 bob.pem
osl_seal o-gcm -aes-256-gcm bob.pem
osl_seal o-128 -aes128 bob.pem
osl_seal o-128gcm -aes-128-gcm bob.pem
osl_seal o-oaep -aes256 -recip bob.pem -keyopt rsa_padding_mode:oaep
osl_seal o-oaep256 -aes-256-gcm -recip bob.pem -keyopt rsa_padding_mode:oaep \
    -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256
osl_seal o-keyid -aes256 -keyid bob.pem
osl_seal o-two -aes256 alice.pem bob.pem

# ---- sealed failures, exactly ----
expect 1 "$P: o-cbc.der: the message is not sealed to 'CN=alice' (issuer 'CN=Msg Root', serial $(openssl x509 -in alice.pem -noout -serial | sed 's/.*=//; s/\(..\)/\1:/g; s/:$//'); it has 1 recipient)" \
    "$M" msg open alice o-cbc.der
openssl cms -cmsout -in e-gcm-oaep.pem -inform PEM -outform DER -out t.der
size=$(stat -c %s t.der)
printf '\001' | dd of=t.der bs=1 seek=$((size - 20)) conv=notrunc 2>/dev/null
expect 3 "$P: t.der: content decryption failed (not sealed to this key, or altered)" \
    "$M" msg open bob t.der
openssl cms -decrypt -in t.der -inform DER -inkey bob.key -recip bob.pem \
    >/dev/null 2>&1 && fail "openssl opened the altered GCM message" ||
    ok "openssl refuses the altered GCM message too"
openssl cms -encrypt -binary -in m.txt -outform DER -stream -out s.der -aes256 bob.pem
expect 3 "$P: s.der: offset 0x0: indefinite length" "$M" msg open bob s.der
openssl cms -encrypt -binary -in m.txt -outform DER -out des.der -des3 bob.pem
expect 3 "$P: des.der: offset 0x170: content encryption des-ede3-cbc is not supported (only AES-128/256 CBC and GCM)" \
    "$M" msg open bob des.der
expect 1 "$P: recipient 'CN=carl': keyUsage has no keyEncipherment (not a certificate to seal to)" \
    "$M" msg seal --to carl.pem --in m.txt
expect 3 "$P: e-cbc-oaep.pem: a sealed message, not a signed one: open it first" \
    "$M" msg verify --ca root.pem e-cbc-oaep.pem
expect 3 "$P: s-attached-pss.pem: a signed message, not a sealed one: verify it instead" \
    "$M" msg open bob s-attached-pss.pem
expect 2 "$P msg seal: give one of --oaep and --pkcs1" \
    "$M" msg seal --to bob.pem --in m.txt --oaep --pkcs1
expect 2 "$P msg verify: the trust anchors are needed: --ca FILE" \
    "$M" msg verify s-attached-pss.pem

# ---- the signer's status from the CA service (OCSP) ----
serve_start
run "$M" msg verify --ca root.pem --status "http://127.0.0.1:$hport" s-attached-pkcs1.pem
grep -q "^  ok    status of 'CN=alice': good$" out && ok "status good over HTTP" ||
    { fail "no good status step"; cat out; }
run "$M" msg verify --ca root.pem --status "tcp:127.0.0.1:$tport" s-attached-pkcs1.pem
serial=$(openssl x509 -in alice.pem -noout -serial | sed 's/.*=//')
quiet "$M" ca revoke "$serial" --reason keyCompromise
expect 1 "" "$M" msg verify --ca root.pem --status "http://127.0.0.1:$hport" s-attached-pkcs1.pem
grep -q "^minipki-tui: s-attached-pkcs1.pem: status of 'CN=alice': revoked (keyCompromise) on " err &&
    tail -n 1 out | grep -q "^s-attached-pkcs1.pem: REVOKED: status of 'CN=alice': revoked (keyCompromise) on " &&
    ok "revoked a moment ago: REVOKED" || { fail "revoked verdict"; cat out err; }
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
expect 1 "" "$M" msg verify --ca root.pem --status "http://127.0.0.1:$hport" --timeout 2 s-attached-pkcs1.pem
tail -n 1 out | grep -q "^s-attached-pkcs1.pem: UNKNOWN: status of 'CN=alice': no usable answer: " &&
    ok "service gone: UNKNOWN" || { fail "unknown verdict"; cat out err; }

[ "$fails" -eq 0 ]
