#!/bin/sh
# issue-notes.sh — what the profile changed from what was asked, said the
# same by both faces: a request for CA:TRUE with a DNS and an email name,
# issued under profile server by a CA of 30 days, once by `ca issue` and
# once on the Issue screen. Each must say that CA:TRUE was not granted,
# that one subjectAltName was not copied and to which date notAfter was
# cut; the interface's notes must be the command's, word for word.
. tests/tui/tuilib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
tui_setup notes
M="$MINIPKI"
D="$W/ws"
MINIPKI_PASSPHRASE=ca-pass "$M" --dir "$D" ca init --subject "CN=Short CA" \
    --bits 2048 --days 30 >/dev/null || tui_fail "ca init"
openssl req -new -newkey rsa:2048 -nodes -keyout "$W/asks.key" \
    -subj "/CN=asks.example" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "subjectAltName=DNS:asks.example,email:a@asks.example" \
    -out "$W/asks.csr" 2>/dev/null || tui_fail "openssl req"
MINIPKI_PASSPHRASE=ca-pass "$M" --dir "$D" ca issue --profile server \
    --csr "$W/asks.csr" --out "$W/cli.pem" 2>"$W/cli.err" >/dev/null ||
    tui_fail "ca issue: $(cat "$W/cli.err")"
sed -n "s|^minipki-tui: note: $W/asks.csr: ||p" "$W/cli.err" >"$W/cli.notes"
grep -q "CA:TRUE; profile server does not grant it" "$W/cli.notes" ||
    tui_fail "the command's notes lack CA:TRUE: $(cat "$W/cli.err")"
grep -q "^1 requested subjectAltName(s) not copied (profile server)" \
    "$W/cli.notes" || tui_fail "the command's notes lack the SAN"
grep -q "^notAfter cut to the CA certificate's own ([0-9]" "$W/cli.notes" ||
    tui_fail "the command's notes lack the date"

tui_start "MINIPKI_LOG='$W/tui.log'"
tui_wait "Entities *"
# 3: the Issue screen's shortcut opens its request form.
tui_keys 3
tui_wait "Issue: open a request"
tui_keys C-u; tui_type "$W/asks.csr"; tui_keys Tab Tab C-u; tui_keys Enter
tui_wait "Asks for     CA:TRUE"
# The review picks profile ca for a CA:TRUE request; p p: peer, server.
tui_wait "Profile      ca"
tui_keys p
tui_wait "Profile      peer"
tui_keys p
tui_wait "Profile      server"
tui_keys a
tui_wait "Unlock CA 'ca'"
tui_type "ca-pass"; tui_keys Enter
tui_wait_log "certificate written to"
tui_keys q
tui_wait "EXITED 0"
sed -n 's/^[0-9:]* note: //p' "$W/tui.log" >"$W/tui.notes"
[ -s "$W/tui.notes" ] || tui_fail "the interface gave no notes: $(cat "$W/tui.log")"
cmp -s "$W/cli.notes" "$W/tui.notes" || {
	echo "command:"; cat "$W/cli.notes"; echo "interface:"; cat "$W/tui.notes"
	tui_fail "the faces' notes differ"
}
echo "issue notes ok"
