#!/bin/sh
# caint.sh — the intermediate CA form (C on Entities): a bad permitted
# name and a bad policy are refused in the form with the CLI's message;
# then the CA is made, signed by the root whose passphrase the form asks,
# and its certificate carries the critical nameConstraints and the
# policy with its CPS (openssl x509 -text says so); what it then issues
# outside its names is refused by the CLI.
. tests/tui/tuilib
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
tui_setup caint
M() { "$MINIPKI" --dir "$W/ws" "$@"; }
P1=1.3.6.1.4.1.55555.1.1
MINIPKI_PASSPHRASE=root-pass M ca init root --subject "CN=Form Root" --bits 2048 \
    --policy "$P1,1.3.6.1.4.1.55555.1.2" >/dev/null || tui_fail "ca init root"
MINIPKI_PASSPHRASE=k M key new pre --bits 2048 >/dev/null
MINIPKI_PASSPHRASE=k M csr new pre --subject CN=pre.example --san DNS:pre.example \
    --out "$W/pre.csr" >/dev/null
tui_start "MINIPKI_LOG='$W/tui.log'"
tui_wait "Entities"
# The root unlocked here first (an issue): the form's job must still get
# the root's lock, which the TUI then holds.
tui_keys i
tui_wait "Issue: open a request"
tui_keys C-u; tui_type "$W/pre.csr"; tui_keys Tab C-u; tui_type "root"; tui_keys Tab C-u Enter
tui_wait "Profile      server"
tui_keys a
tui_wait "Unlock CA 'root'"
tui_type "root-pass"; tui_keys Enter
tui_wait "Certificate (the new certificate)" 30
tui_keys 1
tui_wait "Entities"
tui_keys C
tui_wait "Create an intermediate CA"
tui_screen | grep -q "Parent CA *root" || tui_fail "the parent is not the root"
tui_type "lab"; tui_keys Tab Tab
tui_type "Lab CA"; tui_keys Tab Tab Left Tab Tab Tab
tui_type "DNS:bad name"; tui_keys Tab Tab
tui_type "1.x"; tui_keys Tab
tui_type "https://cps.lab.example/"; tui_keys Tab
tui_type "root-pass"; tui_keys Tab
tui_type "lab-pass"; tui_keys Tab
tui_type "lab-pass"; tui_keys Enter
tui_wait "item 1 'DNS:bad name': not a DNS name or .domain"
tui_gone "CA 'lab' created"
# The cursor is on the permitted names: a good list, then the policy.
tui_keys C-u; tui_type "DNS:lab.example,IP:10.20.0.0/16"; tui_keys Enter
tui_wait "bad policy OID '1.x': expected dotted digits"
tui_keys C-u; tui_type "$P1"; tui_keys Enter
tui_wait_log "CA 'root' locked: its key is wiped from memory"
tui_wait_log "CA 'lab' created (intermediate, signed by CA 'root', name constraints, policies $P1 with CPS)" 90
[ -f "$W/ws/ca/lab/ca.yaml" ] || tui_fail "no ca/lab"
# The Issue screen says which policies a profile's certificates get.
MINIPKI_PASSPHRASE=k M key new web --bits 2048 >/dev/null
MINIPKI_PASSPHRASE=k M csr new web --subject CN=web.lab.example \
    --san DNS:web.lab.example --out "$W/web.csr" >/dev/null
M ca set-policy --ca lab --profile server --policy "$P1" \
    --cps https://cps.lab.example/web >/dev/null || tui_fail "set-policy"
tui_keys i
tui_wait "Issue: open a request"
tui_keys C-u; tui_type "$W/web.csr"; tui_keys Tab C-u; tui_type "lab"; tui_keys Enter
tui_wait "Policies     $P1, CPS https://cps.lab.example/web (profile"
tui_wait "server's own)"
tui_keys p
tui_wait "Policies     the CA's, if it has any"
tui_keys q
tui_wait "EXITED 0"

MINIPKI_PASSPHRASE=lab-pass M export lab --cert --der --out "$W/lab.der" >/dev/null ||
    tui_fail "export lab"
openssl x509 -inform DER -in "$W/lab.der" -noout -text >"$W/lab.txt" || tui_fail "x509 -text"
grep -q "X509v3 Name Constraints: critical" "$W/lab.txt" &&
    grep -q "DNS:lab.example" "$W/lab.txt" &&
    grep -q "IP:10.20.0.0/255.255.0.0" "$W/lab.txt" &&
    grep -q "Policy: $P1" "$W/lab.txt" &&
    grep -q "CPS: https://cps.lab.example/" "$W/lab.txt" &&
    grep -q "pathlen:0" "$W/lab.txt" ||
    { cat "$W/lab.txt"; tui_fail "the certificate lacks what the form asked"; }
# The constraints hold: a name outside them is refused.
MINIPKI_PASSPHRASE=k M key new shop --bits 2048 >/dev/null
MINIPKI_PASSPHRASE=k M csr new shop --subject CN=shop.example.com \
    --san DNS:shop.example.com --out "$W/shop.csr" >/dev/null
MINIPKI_PASSPHRASE=lab-pass M ca issue --ca lab --csr "$W/shop.csr" \
    --out "$W/shop.pem" 2>"$W/err" && tui_fail "lab issued shop.example.com"
grep -q "is not within the permitted subtrees" "$W/err" ||
    { cat "$W/err"; tui_fail "the refusal does not name the constraint"; }
echo "caint: all passed"
