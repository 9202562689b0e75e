#!/bin/sh
# roles.sh — two UIs on one workspace, each at 80x24, talking to each
# other through the registry of running roles: UI A starts the CA service
# (5) and a TLS server (6); UI B's Roles window (7) lists both as another
# process's, with their addresses; from there a client connects to the
# server (handshake, WHOAMI answered with the client's subject, a signed
# message through the server's ECHO verified on its return, and UI A's
# Server window shows the authenticated peer) and enrolls a new entity
# from the CA service with a token; the server stopped with x leaves the
# registry; a server killed with -9 leaves a stale entry that UI B's next
# reading removes (and says so).
. tests/tui/tuilib
tui_setup roles

M() { "$MINIPKI" --dir "$W/ws" "$@"; }
cd "$W/out" || tui_fail "cd"
export MINIPKI_PASSPHRASE=pw
M ca init --subject "CN=Roles Root" --bits 2048 >/dev/null 2>&1 || tui_fail "ca init"
M key new srv --bits 2048 >/dev/null 2>&1 || tui_fail "key srv"
M csr new srv --subject CN=localhost --san DNS:localhost --out srv.csr >/dev/null 2>&1 || tui_fail "csr srv"
M ca issue --csr srv.csr --profile server --out srv.pem >/dev/null 2>&1 || tui_fail "issue srv"
M import srv --cert srv.pem >/dev/null 2>&1 || tui_fail "import srv"
M key new alice --bits 2048 >/dev/null 2>&1 || tui_fail "key alice"
M csr new alice --subject CN=alice --out alice.csr >/dev/null 2>&1 || tui_fail "csr alice"
M ca issue --csr alice.csr --profile peer --out alice.pem >/dev/null 2>&1 || tui_fail "issue alice"
M import alice --cert alice.pem >/dev/null 2>&1 || tui_fail "import alice"
tok=$(M ca token new --profile client 2>/dev/null) || tui_fail "token new"
unset MINIPKI_PASSPHRASE

# tui_wait_log_b TEXT: polls UI B's log for TEXT (30 s).
tui_wait_log_b() {
	n=300
	while [ "$n" -gt 0 ]; do
		grep -F -q -- "$1" "$W/b.log" 2>/dev/null && return 0
		sleep 0.1
		n=$((n - 1))
	done
	tui_fail "UI B's log never said '$1'"
}

# UI A: the CA service on the CA's socket, then a server on TCP.
TUI_S=a
TUI_SIZE=80x24 tui_start MINIPKI_LOG="$W/a.log"
tui_wait "Menu"
tui_keys 5
tui_wait "CA service: EST enrollment"
tui_keys s
tui_wait "Start the CA service"
tui_keys Tab Tab Tab Tab Tab; tui_type "pw"; tui_keys Enter
tui_wait "Running: CA 'ca', pid" 60
tui_keys 6
tui_wait "No server running"
tui_keys s
tui_wait "Start a TLS server"
tui_wait "< alice >"
tui_keys Space
tui_wait "< srv >"
tui_keys Tab; tui_type "wrong"; tui_keys Enter
tui_wait "wrong passphrase"
tui_keys C-u; tui_type "pw"; tui_keys Enter
tui_wait "Server 'srv' listening on tcp:127.0.0.1:" 30
saddr=$(tui_screen | sed -n "s/.*listening on \(tcp:127\.0\.0\.1:[0-9]*\).*/\1/p" | head -1)
[ -n "$saddr" ] || tui_fail "no server address on the screen"
spid=$(ls "$W/ws/run" | sed -n 's/^server\.\([0-9]*\)\.yaml$/\1/p')
[ -n "$spid" ] || tui_fail "the server is not in the registry: $(ls "$W/ws/run")"

# UI B: both roles, another process's.
TUI_S=b
TUI_SIZE=80x24 tui_start MINIPKI_LOG="$W/b.log"
tui_wait "Menu"
tui_keys 7
tui_wait "Running roles on this workspace"
tui_wait "ca-service ca"
tui_wait "unix:$W/ws/ca/ca/ca.sock"
tui_wait "server     srv"
tui_wait "$saddr"
tui_screen | grep -q "server     srv .*another process" ||
    tui_fail "the server is not shown as another process's"
# Connect to the server (the second entry) as alice.
tui_keys Down c
tui_wait "Connect a client"
tui_wait "Address           $saddr"
tui_wait "< alice >"
tui_keys Tab Tab; tui_type "pw"; tui_keys Enter
# The pane's title says the handshake is done; its "== handshake done"
# line has scrolled away by then (the server's session ticket follows it).
tui_wait "TLS 1.3, verified CN=localhost" 30
tui_wait_log_b "roles: connected to $saddr, server CN=localhost verified"
tui_keys i; tui_type "WHOAMI"; tui_keys Enter
tui_wait "<- CN=alice"
# Home shows the start of the trace, End follows it again.
tui_keys Escape Home
tui_wait "Client 'alice' -> $saddr"
tui_gone "<- CN=alice"
tui_keys End
tui_wait "<- CN=alice"
# m: a message signed with alice's key (CMS), through the server's ECHO
# and back, verified against the CA as a receiver would.
tui_keys m
tui_wait "sign> _"
tui_type "hello from alice"; tui_keys Enter
tui_wait_log_b "roles: signed message verified: good"
tui_wait "signer CN=alice"
tui_keys Escape
# UI A's Server window shows the authenticated peer.
TUI_S=a
tui_wait "authenticated peers 1"
tui_wait "CN=alice"
tui_wait "trace of connection #1"

# Enroll from the CA service (the first entry) with the token.
TUI_S=b
tui_keys Up e
tui_wait "Enroll from a CA service"
tui_wait "CA service        unix:$W/ws/ca/ca/ca.sock"
tui_keys Tab Tab; tui_type "carol"; tui_keys Tab; tui_type "$tok"
tui_keys Tab; tui_type "carol-pw"; tui_keys Tab; tui_type "carol-pw"; tui_keys Enter
tui_wait_log_b "enroll: certificate "
grep -F "enroll: certificate" "$W/b.log" | grep -q "for 'CN=carol', stored" ||
    tui_fail "enroll: $(grep enroll "$W/b.log")"
[ -f "$W/ws/keys/carol.yaml" ] || tui_fail "no keystore for carol"

# x in UI A's Server window: its entry goes, and from UI B's list.
TUI_S=a
tui_keys x
tui_wait "No server running: stopped"
[ -e "$W/ws/run/server.$spid.yaml" ] && tui_fail "the stopped server's entry stayed"
TUI_S=b
tui_wait_gone "server     srv"

# A server killed with -9 cannot leave: UI B's next reading removes it.
TUI_S=a
tui_keys s
tui_wait "Start a TLS server"
tui_keys Tab; tui_type "pw"; tui_keys Enter
tui_wait "Server 'srv' listening on" 30
spid=$(ls "$W/ws/run" | sed -n 's/^server\.\([0-9]*\)\.yaml$/\1/p')
[ -n "$spid" ] || tui_fail "the new server is not in the registry"
TUI_S=b
tui_wait "server     srv"
kill -9 "$spid"
tui_wait_log_b "roles: 1 stale entry removed (the process is gone)"
tui_wait_gone "server     srv"
[ -e "$W/ws/run/server.$spid.yaml" ] && tui_fail "the stale entry stayed"
TUI_S=a
tui_wait "No server running: ended by signal 9"

for s in a b; do
	TUI_S=$s
	tui_keys q
	tui_wait "EXITED 0"
done
ls "$W/ws/run" | grep -q . && tui_fail "entries left: $(ls "$W/ws/run")"
echo "roles: all passed"
