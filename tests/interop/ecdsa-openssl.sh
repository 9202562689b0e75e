#!/bin/sh
# ecdsa-openssl.sh — P-256 keys through the tool, OpenSSL as the judge:
# `key new --type ec`, a request signed with ECDSA (openssl req -verify),
# an RSA CA issuing for it (openssl verify; no keyEncipherment for an EC
# key), and the key exported as PKCS#8 (plain and encrypted) that
# `openssl pkey` reads and whose public key is the certificate's.
set -u
. tests/interop/testlib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
test_setup ecdsa-openssl ecdsa-pass
P=minipki-tui

quiet "$M" ca init --subject "CN=EC Test Root" --bits 2048
quiet "$M" export ca --cert --out root.pem
run "$M" key new eck --type ec
grep -qx "key: ec P-256" out || fail "key new --type ec: $(cat out)"
expect 2 "$P key new: --type must be rsa or ec" "$M" key new bad --type dsa
expect 2 "$P key new: --bits is for RSA keys (an ec key is P-256)" \
    "$M" key new bad --type ec --bits 2048

run "$M" csr new eck --subject CN=ec.example --san DNS:ec.example --out eck.csr
openssl req -in eck.csr -verify -noout 2>&1 | grep -q "verify OK" ||
    fail "openssl req -verify refused our ECDSA request"
openssl req -in eck.csr -noout -text | grep -q "ecdsa-with-SHA256" ||
    fail "the request is not signed with ecdsa-with-SHA256"

run "$M" ca issue --csr eck.csr --out eck.pem
openssl verify -CAfile root.pem eck.pem >/dev/null 2>&1 ||
    fail "openssl verify refused the certificate for the P-256 key"
openssl x509 -in eck.pem -noout -text >eck.txt
grep -q "NIST CURVE: P-256" eck.txt || fail "the certificate's key is not P-256"
grep -q "Key Encipherment" eck.txt && fail "keyEncipherment in a certificate for an EC key"
run "$M" verify eck.pem --ca root.pem

# The key, exported, is the certificate's.
run "$M" export eck --key --no-encrypt --out eck.key
openssl pkey -in eck.key -pubout -outform DER -out a.der 2>/dev/null ||
    fail "openssl pkey cannot read our exported P-256 key"
openssl x509 -in eck.pem -pubkey -noout | openssl pkey -pubin -outform DER -out b.der
cmp -s a.der b.der || fail "the exported key is not the certificate's"
MINIPKI_EXPORT_PASSPHRASE=outpass; export MINIPKI_EXPORT_PASSPHRASE
run "$M" export eck --key --out enc.key
unset MINIPKI_EXPORT_PASSPHRASE
grep -q "ENCRYPTED PRIVATE KEY" enc.key || fail "encrypted export is not PKCS#8 encrypted"
openssl pkey -in enc.key -passin pass:outpass -pubout -outform DER -out c.der 2>/dev/null ||
    fail "openssl pkey cannot decrypt our encrypted P-256 key"
cmp -s a.der c.der || fail "the encrypted export is another key"

# show reads an OpenSSL P-256 key in SEC1 and PKCS#8.
openssl ecparam -name prime256v1 -genkey -noout -out sec1.pem 2>/dev/null
run "$M" show sec1.pem
grep -q "P-256" out || fail "show of a SEC1 key: $(head -3 out)"

# import: OpenSSL's P-256 key (SEC1, then encrypted PKCS#8) with a
# certificate our CA issued for it; a certificate for another key is refused.
openssl req -new -key sec1.pem -subj /CN=imported.example -out imp.csr
run "$M" ca issue --csr imp.csr --out imp.pem
run "$M" import imp --key sec1.pem --cert imp.pem
grep -qx "key: ec P-256" out || fail "import of a SEC1 key: $(cat out)"
"$M" export imp --cert | openssl x509 -noout -fingerprint -sha256 >a.fp
openssl x509 -in imp.pem -noout -fingerprint -sha256 >b.fp
cmp -s a.fp b.fp || fail "keystore imp holds another certificate"
openssl pkcs8 -topk8 -in sec1.pem -v2 aes-256-cbc -passout pass:imppass -out p8enc.pem
MINIPKI_IMPORT_PASSPHRASE=imppass; export MINIPKI_IMPORT_PASSPHRASE
run "$M" import imp2 --key p8enc.pem
unset MINIPKI_IMPORT_PASSPHRASE
expect 1 "$P: the certificate does not match the key (its public key differs)" \
    "$M" import imp2 --cert eck.pem
run "$M" import imp2 --cert imp.pem

[ "$fails" -eq 0 ] || exit 1
echo "ecdsa-openssl: all passed"
