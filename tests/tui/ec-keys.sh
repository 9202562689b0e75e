#!/bin/sh
# ec-keys.sh — the key type in the forms: the root CA form and the New
# key form offer EC P-256 beside the RSA sizes (Left/Right), the CA made
# with it has a P-256 key and signs ecdsa-with-SHA256 (openssl judges the
# root and a certificate it issues for the P-256 key made in New key).
# The root CA form also takes policies and a CPS URI (`ca init --policy
# --cps`): a bad OID and a bad URI are refused in the form with the
# CLI's words, and openssl shows the policy and CPS in the root.
. tests/tui/tuilib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
tui_setup eckeys
tui_start "MINIPKI_LOG='$W/tui.log'"

tui_wait "create a root CA through a form"
tui_keys a
tui_wait "Create a root CA"
tui_keys Tab C-u; tui_type "EC Form Root"
# Key: 3072 (the default), Right to 4096, Right to EC P-256.
tui_keys Tab Tab Tab Right Right
tui_wait "EC P-256"
tui_keys Tab Tab; tui_type "1.3.6.1.4.1.55555.7.x"
tui_keys Tab; tui_type "ftp://cps.example/"
tui_keys Tab; tui_type "ca-pass"; tui_keys Tab; tui_type "ca-pass"
tui_keys Enter
tui_wait "bad policy OID '1.3.6.1.4.1.55555.7.x': expected dotted digits"
tui_gone "CA 'ca' created"
tui_keys C-u; tui_type "1.3.6.1.4.1.55555.7.1"; tui_keys Enter
tui_wait "--cps: 'ftp://cps.example/'"
tui_gone "CA 'ca' created"
tui_keys C-u; tui_type "https://cps.example/root"; tui_keys Enter
tui_wait "CA 'ca' created" 60
tui_wait_log "CA 'ca' created: keys/ca.yaml, ca/ca/ (policies 1.3.6.1.4.1.55555.7.1 with CPS)"
grep -q "generating the CA's P-256 EC key" "$W/tui.log" ||
    tui_fail "the job did not make a P-256 key: $(tail -5 "$W/tui.log")"

tui_keys n
tui_wait "New key"
# Key: 2048 (the default), Left wraps to EC P-256.
tui_type "eve"; tui_keys Tab Left
tui_wait "EC P-256"
tui_keys Tab; tui_type "eve-pass"; tui_keys Tab; tui_type "eve-pass"
tui_keys Enter
tui_wait "key 'eve' made" 60
tui_keys q
tui_wait "EXITED 0"

# What the forms made, judged by openssl.
grep -q "^type: ec\$\|^  type: ec\$\|type: ec" "$W/ws/keys/ca.yaml" ||
    tui_fail "the CA keystore is not of type ec"
grep -q "type: ec" "$W/ws/keys/eve.yaml" || tui_fail "eve's keystore is not of type ec"
cd "$W/out" || exit 2
MINIPKI_DIR=$W/ws; export MINIPKI_DIR
"$MINIPKI" export ca --cert --out root.pem >/dev/null 2>&1 || tui_fail "export ca"
openssl x509 -in root.pem -noout -text >root.txt
grep -q "ASN1 OID: prime256v1" root.txt && grep -q "ecdsa-with-SHA256" root.txt ||
    tui_fail "the root is not P-256 / ecdsa-with-SHA256"
grep -q "X509v3 Certificate Policies" root.txt &&
    grep -q "Policy: 1.3.6.1.4.1.55555.7.1" root.txt &&
    grep -q "CPS: https://cps.example/root" root.txt ||
    { cat root.txt; tui_fail "the root lacks the form's policy and CPS"; }
MINIPKI_PASSPHRASE=eve-pass "$MINIPKI" csr new eve --subject CN=eve --out eve.csr \
    >/dev/null 2>&1 || tui_fail "csr new eve"
MINIPKI_PASSPHRASE=ca-pass "$MINIPKI" ca issue --csr eve.csr --out eve.pem \
    >/dev/null 2>&1 || tui_fail "ca issue"
openssl verify -CAfile root.pem eve.pem >/dev/null 2>&1 || tui_fail "openssl verify eve.pem"
openssl x509 -in eve.pem -noout -text | grep -q "NIST CURVE: P-256" ||
    tui_fail "eve's certificate is not for a P-256 key"
echo "ec-keys: all passed"
