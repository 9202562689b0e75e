#!/bin/sh
# caint-ec.sh — the intermediate CA form (C on Entities) at 80x24 with the
# key EC P-256, as `ca init NAME --parent P --type ec`: the RSA root
# signs a P-256 intermediate, which openssl verifies against the root and
# reads as id-ecPublicKey / prime256v1; a certificate the intermediate
# then issues is signed ecdsa-with-SHA256 and openssl verifies the chain.
. tests/tui/tuilib
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
tui_setup caintec
M() { "$MINIPKI" --dir "$W/ws" "$@"; }
MINIPKI_PASSPHRASE=root-pass M ca init root --subject "CN=RSA Root" --bits 2048 \
    >/dev/null || tui_fail "ca init root"
TUI_SIZE=80x24 tui_start "MINIPKI_LOG='$W/tui.log'"
tui_wait "Entities"
tui_keys C
tui_wait "Create an intermediate CA"
tui_wait "Key (RSA bits/EC) < 3072 >"
tui_type "labec"; tui_keys Tab Tab
tui_type "Lab EC CA"; tui_keys Tab Tab Right Right
tui_wait "< EC P-256 >"
# Days, path length, permitted, excluded, policies, CPS: as they are.
tui_keys Tab Tab Tab Tab Tab Tab Tab
tui_type "root-pass"; tui_keys Tab
tui_type "lab-pass"; tui_keys Tab
tui_type "lab-pass"; tui_keys Enter
tui_wait_log "create intermediate CA: generating the CA's P-256 EC key" 60
tui_wait_log "CA 'labec' created (intermediate, signed by CA 'root'; a P-256 key)" 90
tui_keys q
tui_wait "EXITED 0"

cd "$W/out" || tui_fail "cd"
M export root --cert --out root.pem >/dev/null 2>&1 || tui_fail "export root"
M export labec --cert --out labec-chain.pem >/dev/null 2>&1 || tui_fail "export labec"
# The keystore's chain holds the intermediate first.
openssl x509 -in labec-chain.pem -out labec.pem || tui_fail "openssl x509 labec"
openssl x509 -in labec.pem -noout -text >labec.txt || tui_fail "x509 -text"
grep -q "Public Key Algorithm: id-ecPublicKey" labec.txt &&
    grep -q "ASN1 OID: prime256v1" labec.txt &&
    grep -q "Signature Algorithm: sha256WithRSAEncryption" labec.txt &&
    grep -q "CA:TRUE, pathlen:0" labec.txt ||
    { cat labec.txt; tui_fail "the intermediate is not a P-256 CA signed by the RSA root"; }
openssl verify -CAfile root.pem labec.pem >verify.out 2>&1 ||
    tui_fail "openssl verify labec: $(cat verify.out)"

# What it issues: ecdsa-with-SHA256, the whole chain verified.
export MINIPKI_PASSPHRASE=k
M key new web --bits 2048 >/dev/null || tui_fail "key new web"
M csr new web --subject CN=web.example --san DNS:web.example --out web.csr \
    >/dev/null || tui_fail "csr new web"
MINIPKI_PASSPHRASE=lab-pass M ca issue --ca labec --csr web.csr --profile server \
    --out web.pem >/dev/null || tui_fail "ca issue --ca labec"
openssl x509 -in web.pem -noout -text | grep -q "Signature Algorithm: ecdsa-with-SHA256" ||
    tui_fail "the leaf is not signed ecdsa-with-SHA256"
openssl verify -CAfile root.pem -untrusted labec.pem web.pem >verify.out 2>&1 ||
    tui_fail "openssl verify web: $(cat verify.out)"
echo "caint-ec: all passed"
