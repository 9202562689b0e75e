#!/bin/sh
# p12-ec-openssl.sh — `export --p12` / `import --p12` with a P-256 key,
# OpenSSL as the judge: `openssl pkcs12` reads ours (the key, PKCS#8 in a
# shrouded key bag, is the certificate's; modern and --legacy), we import
# what `openssl pkcs12 -export` writes for an EC key and its chain, and
# our own export imports again to the same key. Skipped without openssl.
set -u
. tests/interop/testlib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
test_setup p12-ec-openssl p12-ec-pass
P=minipki-tui

quiet "$M" ca init --type ec --subject "CN=P12 EC Root"
quiet "$M" export ca --cert --out root.pem
quiet "$M" key new eve --type ec
quiet "$M" csr new eve --subject "CN=eve" --out eve.csr
quiet "$M" ca issue --csr eve.csr --profile peer --out eve.pem
[ "$fails" -eq 0 ] || exit 1
openssl x509 -in eve.pem -noout -pubkey >eve.pub

MINIPKI_EXPORT_PASSPHRASE=p12-out; export MINIPKI_EXPORT_PASSPHRASE
run "$M" export eve --p12 --out eve.p12
run "$M" export eve --p12 --legacy --out eve-legacy.p12
unset MINIPKI_EXPORT_PASSPHRASE
openssl pkcs12 -in eve.p12 -passin pass:p12-out -info -nodes >o.txt 2>&1 ||
    { fail "openssl pkcs12 cannot read our P-256 PFX"; cat o.txt; }
grep -q "Shrouded Keybag" o.txt || fail "no shrouded key bag in our PFX"
openssl pkey -in o.txt -pubout >k.pub 2>/dev/null
cmp -s k.pub eve.pub && ok "openssl pkcs12: our PFX holds eve's P-256 key" ||
    fail "the key in our PFX is not the certificate's"
openssl pkey -in o.txt -noout -text 2>/dev/null | grep -q "NIST CURVE: P-256" ||
    fail "the key in our PFX is not P-256"
openssl pkcs12 -in eve-legacy.p12 -passin pass:p12-out -nodes -legacy >l.txt 2>/dev/null ||
    openssl pkcs12 -in eve-legacy.p12 -passin pass:p12-out -nodes >l.txt 2>/dev/null ||
    fail "openssl pkcs12 cannot read our legacy P-256 PFX"
openssl pkey -in l.txt -pubout 2>/dev/null | cmp -s - eve.pub &&
    ok "openssl pkcs12: our legacy PFX holds eve's key" || fail "legacy PFX key"

# Ours, imported again: the same key, and it signs.
MINIPKI_IMPORT_PASSPHRASE=p12-out run "$M" import eve2 --p12 eve.p12
grep -qx "key: ec P-256" out || fail "import: key line: $(cat out)"
grep -qx "certificate: CN=eve" out || fail "import: certificate line"
grep -qx "chain: 2 certificates" out || fail "import: chain line: $(cat out)"
"$M" export eve2 --cert | openssl x509 -noout -pubkey | cmp -s - eve.pub ||
    fail "the imported keystore holds another certificate"
echo hi >m.txt
run "$M" msg sign eve2 --in m.txt --out m.pem
openssl cms -verify -in m.pem -inform PEM -CAfile root.pem -out /dev/null 2>/dev/null &&
    ok "the imported P-256 key signs" || fail "the imported key does not sign"

# OpenSSL's PFX for an EC key and its chain (modern, then legacy).
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout os.key \
    -subj /CN=os -out os.csr 2>/dev/null
quiet "$M" ca issue --csr os.csr --profile peer --out os.pem
openssl pkcs12 -export -inkey os.key -in os.pem -certfile root.pem -name os \
    -passout pass:os-pass -out os.p12 2>/dev/null || fail "openssl pkcs12 -export"
MINIPKI_IMPORT_PASSPHRASE=os-pass run "$M" import os1 --p12 os.p12
grep -qx "key: ec P-256" out && grep -qx "chain: 2 certificates" out &&
    ok "import of openssl's P-256 PFX" || fail "import of openssl's PFX: $(cat out)"
"$M" export os1 --key --no-encrypt --out os1.key
openssl pkey -in os1.key -pubout | cmp -s - "$(openssl pkey -in os.key -pubout >os.pub; echo os.pub)" &&
    ok "the imported key is openssl's" || fail "the imported key differs"
if openssl pkcs12 -export -legacy -inkey os.key -in os.pem -passout pass:os-pass \
    -out osl.p12 2>/dev/null; then
	MINIPKI_IMPORT_PASSPHRASE=os-pass run "$M" import os2 --p12 osl.p12
fi
# A PFX whose key has no certificate beside it is refused by name.
openssl pkcs12 -export -nocerts -inkey os.key -passout pass:os-pass \
    -out nocert.p12 2>/dev/null
MINIPKI_IMPORT_PASSPHRASE=os-pass expect 3 \
    "$P: nocert.p12: the private key's certificate is not in the file" \
    "$M" import os3 --p12 nocert.p12

[ "$fails" -eq 0 ]
