#!/bin/sh
# flows-seal.sh — signed and sealed messages between two peers: client
# send --seal signs, then seals the SignedData to the certificate the
# listener presented in the mutual-TLS handshake; the listener opens it
# with its own key and checks the inner message as usual. Both enroll with
# the peer profile and no --san. OpenSSL judges the stored message
# (openssl cms -decrypt, then -verify). A message sealed to someone else
# and a tampered one get their exact verdicts.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 not installed"; exit 77; }
. tests/interop/flowslib
flows_setup flows-seal

ca=unix:$w/ca.sock
bg serve "$M" ca serve --ca ca --listen "$ca"
wait_for serve.out "^listening on "
for n in alice bob; do
	tok=$("$M" ca token new --ca ca --profile peer 2>/dev/null)
	quiet "$M" client enroll $n --ca "$ca" --anchor root.pem --token "$tok"
	quiet "$M" export $n --key --no-encrypt --out $n.key
	quiet "$M" export $n --cert --out $n.pem
done
openssl x509 -in alice.pem -noout -ext extendedKeyUsage,subjectAltName >eku.out 2>&1
grep -q "TLS Web Client Authentication, TLS Web Server Authentication, E-mail Protection" eku.out &&
    ! grep -q "Subject Alternative Name" eku.out &&
    ok "peer profile: clientAuth, serverAuth, emailProtection; no name added" ||
    { fail "alice's certificate"; cat eku.out; }

bg listen "$M" client listen bob --listen "unix:$w/bob.sock" --status "$ca"
wait_for listen.out "^listening on "

# sealed: the sender says to whom, the listener opened it
expect 0 "connected: TLS 1.3, TLS_AES_128_GCM_SHA256; listener CN=bob" \
    "$M" client send alice "unix:$w/bob.sock" --message "for bob only" --seal
grep -q "^sealed to CN=bob: AES-256-CBC, RSA-OAEP, [0-9]* bytes$" err &&
    [ "$(cat out)" = "message 1: good: sealed, opened; signature, chain and status good: good (OCSP)" ] &&
    ok "sealed message: good, opened" || { fail "sealed send"; cat out err; }
wait_for listen.out "^message 1 from CN=alice (peer CN=alice): good: sealed, opened; .*; 12 bytes: for bob only$"

# stored as received (sealed); OpenSSL opens it with bob's key, then
# verifies the inner SignedData
f=ws/inbox/bob/000000001.cms
if openssl cms -decrypt -inform DER -in $f -recip bob.pem -inkey bob.key \
    -binary -out inner.der >osl.out 2>&1 &&
    openssl cms -verify -inform DER -in inner.der -CAfile root.pem \
    -purpose any -out content.txt >>osl.out 2>&1 &&
    [ "$(cat content.txt)" = "for bob only" ]; then
	ok "openssl cms -decrypt, then -verify: the stored sealed message"
else
	fail "openssl on the stored message"; cat osl.out
fi
# alice's key does not open it (with OpenSSL either)
openssl cms -decrypt -inform DER -in $f -recip alice.pem -inkey alice.key \
    -out x >/dev/null 2>&1 && fail "alice opened bob's message" ||
    ok "openssl: not sealed to alice"

# raw frames through openssl s_client, as alice: "MM", 1, 0x01, length
frame() {
	python3 -c 'import sys
b = open(sys.argv[1], "rb").read()
sys.stdout.buffer.write(b"MM\x01\x01" + len(b).to_bytes(4, "big") + b)' "$1"
}
send_raw() {
	(frame "$1"; sleep 3) | timeout 20 openssl s_client -quiet \
	    -unix "$w/bob.sock" -cert alice.pem -key alice.key -CAfile root.pem \
	    >"$2" 2>"$2.err"
}

# sealed to alice instead of bob: stored, invalid, the exact reason
printf 'misdirected' >m.txt
openssl cms -sign -in m.txt -signer alice.pem -inkey alice.key -binary \
    -nodetach -outform DER -out m.sig 2>/dev/null
openssl cms -encrypt -in m.sig -binary -aes-256-cbc -outform DER \
    -out m.env alice.pem 2>/dev/null
send_raw m.env other.out
grep -q "message 2: invalid: sealed, not opened: the message is not sealed to 'CN=bob' (issuer 'CN=Flows Root', serial [0-9A-F:]*; it has 1 recipient)" other.out &&
    ok "sealed to someone else: invalid, not opened" || { fail "misdirected"; od -c other.out | head; }

# tampered: the last byte of the next-to-last ciphertext block flipped
# (0x80), so the CBC padding can never be valid
python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[-17] ^= 0x80
open(sys.argv[2], "wb").write(b)' $f tampered.cms
send_raw tampered.cms tampered.out
grep -q "message 3: invalid: sealed, not opened: content decryption failed (not sealed to this key, or altered)" tampered.out &&
    ok "tampered: content decryption failed" || { fail "tampered"; od -c tampered.out | head; }

# an OpenSSL-sealed message to bob, signed by alice: opened and good
openssl cms -encrypt -in m.sig -binary -aes-256-cbc -outform DER \
    -out m2.env bob.pem 2>/dev/null
send_raw m2.env osl2.out
grep -q "message 4: good: sealed, opened; signature, chain and status good" osl2.out &&
    ok "OpenSSL's sealed message: good" || { fail "openssl-sealed"; od -c osl2.out | head; }

run "$M" client inbox bob
sed -n 1p out | grep -q "^1 [0-9T:-]*Z good from CN=alice (peer CN=alice): (sealed, [0-9]* bytes)$" &&
    sed -n 2p out | grep -q "^    sealed, opened; signature, chain and status good" &&
    sed -n 3p out | grep -q "^2 [0-9T:-]*Z invalid from ? (peer CN=alice): (sealed, [0-9]* bytes)$" &&
    ok "client inbox: sealed messages marked" || { fail "client inbox"; cat out; }

[ "$fails" -eq 0 ]
