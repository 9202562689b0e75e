#!/bin/sh
# server-trace.sh — at 80x24, the Server window (6) shows the selected
# connection's handshake as `server run --trace` prints it, as it happens,
# and scrolls it: a `client connect` as alice (TLS 1.3, then a TLS 1.2
# one) makes connections #1 and #2; the pane follows the newest one, Up
# selects #1, Home shows its ClientHello with its fields, PgDn pages down
# to its Finished messages, End its close_notify.
. tests/tui/tuilib
tui_setup server-trace

M() { "$MINIPKI" --dir "$W/ws" "$@"; }
cd "$W/out" || tui_fail "cd"
tui_pki "Trace Root"
tui_entity srv server --san DNS:localhost
tui_entity alice client

TUI_SIZE=80x24 tui_start MINIPKI_LOG="$W/tui.log"
tui_wait "Menu"
tui_keys 6
tui_wait "No server running"
tui_keys s
tui_wait "Start a TLS server"
tui_wait "< alice >"
tui_keys Space
tui_wait "< srv >"
tui_keys Tab; tui_type "pw"; tui_keys Tab C-u; tui_type "unix:$W/srv.sock"
tui_keys Enter
tui_wait "Server 'srv' listening on unix:" 30

out=$(MINIPKI_PASSPHRASE=pw M client connect alice "unix:$W/srv.sock" \
    --ca ca.pem --server-name localhost --tls 1.3 --send WHOAMI \
    --timeout 30 --trace 2>&1) || tui_fail "client connect: $out"
echo "$out" | grep -q "ClientHello" || tui_fail "the CLI's trace: $out"
tui_wait "Connections 1, authenticated peers 1" 30
tui_wait "CN=alice"
tui_wait "trace of connection #1"
tui_wait "#1   closed"
out=$(MINIPKI_PASSPHRASE=pw M client connect alice "unix:$W/srv.sock" \
    --ca ca.pem --server-name localhost --tls 1.2 --send WHOAMI \
    --timeout 30 2>&1) || tui_fail "client connect 1.2: $out"
tui_wait "Connections 2, authenticated peers 2" 30
tui_wait "trace of connection #2"
tui_wait "#2   closed TLS 1.2"

# Up: connection #1; Home: its start; PgDn to its Finished; End: its close.
tui_keys Up
tui_wait "trace of connection #1"
tui_keys Home
tui_wait "< ClientHello ("
tui_wait "accepted"
found=
n=0
while [ $n -lt 60 ]; do
	tui_screen | grep -q "Finished" && { found=1; break; }
	tui_keys NPage
	sleep 0.2
	n=$((n + 1))
done
[ -n "$found" ] || tui_fail "no Finished line in connection #1's trace"
tui_keys End
tui_wait "> Alert warning close_notify"
tui_gone "< ClientHello ("
tui_keys x
tui_wait "No server running: stopped"
tui_keys q
tui_wait "EXITED 0"
echo "server-trace: all passed"
