#!/bin/sh
# flows-send-ec.sh — client send with a P-256 sender: alice enrolls an EC
# key (client enroll --type ec), signs with ECDSA and sends to bob's
# listener, which stores it good; OpenSSL verifies the stored message
# (openssl cms -verify) and names its signature ecdsa-with-SHA256; sealed
# to bob's RSA certificate it is good too. Sealing to a listener with a
# P-256 key is refused with the named error, and nothing reaches it.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
. tests/interop/flowslib
flows_setup flows-send-ec

ca=unix:$w/ca.sock
bg serve "$M" ca serve --ca ca --listen "$ca"
wait_for serve.out "^listening on "
for n in alice:ec bob:rsa carol:ec; do
	tok=$("$M" ca token new --ca ca --profile peer 2>/dev/null)
	quiet "$M" client enroll "${n%:*}" --ca "$ca" --anchor root.pem --token "$tok" \
	    --type "${n#*:}"
done
bg listen "$M" client listen bob --listen "unix:$w/bob.sock" --status "$ca"
wait_for listen.out "^listening on "
bg listenc "$M" client listen carol --listen "unix:$w/carol.sock" --status "$ca"
wait_for listenc.out "^listening on "

"$M" client send alice "unix:$w/bob.sock" --message "from an EC key" >out 2>err
rc=$?
[ $rc -eq 0 ] && grep -q "^message 1: good: " out &&
    ok "client send with a P-256 key: good" ||
    { fail "client send with a P-256 key (exit $rc)"; cat out err; }
f=ws/inbox/bob/000000001.cms
if openssl cms -verify -inform DER -in "$f" -CAfile root.pem -out content.txt \
    -signer signer.pem >osl.out 2>&1 && [ "$(cat content.txt)" = "from an EC key" ] &&
    openssl x509 -in signer.pem -noout -text | grep -q "ASN1 OID: prime256v1"; then
	ok "openssl cms -verify: alice's P-256 signature"
else
	fail "openssl cms -verify on the EC-signed message"; cat osl.out
fi
openssl cms -cmsout -print -inform DER -in "$f" 2>&1 |
    grep -q "algorithm: ecdsa-with-SHA256" &&
    ok "openssl reads the SignerInfo as ecdsa-with-SHA256" ||
    fail "the SignerInfo is not ecdsa-with-SHA256"

# An EC signer sealing to an RSA listener: signed ECDSA, then RSA-OAEP.
"$M" client send alice "unix:$w/bob.sock" --message "sealed for bob" --seal >out 2>err
rc=$?
[ $rc -eq 0 ] && grep -q "^message 2: good: sealed, opened; " out &&
    ok "client send --seal from a P-256 key to an RSA listener: good" ||
    { fail "client send --seal from alice to bob (exit $rc)"; cat out err; }

"$M" client send alice "unix:$w/carol.sock" --message "sealed" --seal >out 2>err
rc=$?
[ $rc -eq 1 ] && [ "$(tail -n 1 err)" = "minipki-tui: recipient 'CN=carol': a P-256 EC key: sealing to EC recipients (ECDH key agreement) is not supported; seal to an RSA certificate" ] &&
    ok "client send --seal to a P-256 listener: refused by name (exit 1)" ||
    { fail "client send --seal to carol (exit $rc)"; cat out err; }
grep -q "sealed" listenc.out && fail "the sealed message reached carol" ||
    ok "nothing reached carol"

[ "$fails" -eq 0 ]
