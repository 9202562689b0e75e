#!/bin/sh
# soon.sh — "soon" in the inventory is one rule: a valid certificate that
# the expiring-soon filter shows (notAfter within 30 days) is marked soon
# with a '~', one beyond it is valid; the filter then shows the one alone.
. tests/tui/tuilib
tui_setup soon
M="$MINIPKI"
D="$W/ws"
export MINIPKI_PASSPHRASE=ca-pass
"$M" --dir "$D" ca init root --subject "CN=Soon Root" --bits 2048 \
    >/dev/null || tui_fail "ca init"
for n in near far; do
	"$M" --dir "$D" key new $n >/dev/null || tui_fail "key new $n"
	"$M" --dir "$D" csr new $n --subject "CN=$n" --out "$W/$n.csr" ||
	    tui_fail "csr new $n"
done
"$M" --dir "$D" ca issue --ca root --profile client --days 10 \
    --csr "$W/near.csr" --out "$W/near.pem" >/dev/null 2>&1 || tui_fail "issue near"
"$M" --dir "$D" ca issue --ca root --profile client --days 31 \
    --csr "$W/far.csr" --out "$W/far.pem" >/dev/null 2>&1 || tui_fail "issue far"
unset MINIPKI_PASSPHRASE

tui_start
tui_wait "Entities *"
tui_keys 2
tui_wait "CA root: 2 certificates, 2 shown; status all (f)"
tui_screen | grep -q "~ [0-9a-f]* *CN=near .* soon" ||
    tui_fail "near is not marked soon"
tui_screen | grep -q "  [0-9a-f]* *CN=far .* valid" ||
    tui_fail "far is not valid"
# f: valid, revoked, expired, superseded, expiring-soon.
tui_keys f f f f f
tui_wait "CA root: 2 certificates, 1 shown; status expiring-soon (f)"
tui_wait "CN=near"
tui_gone "CN=far"
tui_keys q
tui_wait "EXITED 0"
echo "soon ok"
