#!/bin/sh
# inbox-now.sh — at 80x24, the Inbox window asks the CA about a message's
# signer anew on Enter and shows it beside the stored verdict; and t shows
# the listener's connections with each one's handshake as --trace prints
# it. UI A runs the CA service (5) and a listener for bob (8, l) with its
# status from the service; `client send` from alice stores a message with
# the verdict good. Enter: "stored: good  now: good (OCSP)". After
# `ca revoke` of alice (keyCompromise), Enter on the same message again:
# "stored: good  now: revoked (keyCompromise)". With the CA service
# stopped, the check says it could not ask, without holding the UI (the
# menu still answers). t: the connection of the send, ClientHello at the
# start of its trace (Home), Finished in it, the end (End).
. tests/tui/tuilib
tui_setup inbox-now

M() { "$MINIPKI" --dir "$W/ws" "$@"; }
cd "$W/out" || tui_fail "cd"
tui_pki "Now Root"
tui_entity alice peer
tui_entity bob peer

TUI_SIZE=80x24 tui_start MINIPKI_LOG="$W/tui.log"
tui_wait "Menu"
tui_ca_service
tui_listener bob "unix:$W/bob.sock"

out=$(MINIPKI_PASSPHRASE=pw M client send alice "unix:$W/bob.sock" \
    --message "before the revocation" --ca ca.pem --timeout 30 2>&1) ||
    tui_fail "client send: $out"
tui_wait "Inbox 'bob': 1 message, 0 not good"

# Enter: the stored verdict and the status now, asked of the CA service.
tui_keys Enter
tui_wait "Verdict when it arrived: good"
tui_wait "stored: good  now: good (OCSP)" 30
tui_wait_log "inbox: message 1: stored good, now good (OCSP)"
tui_keys Escape
tui_wait "listener: connections and messages"

# alice revoked: the stored verdict stays good, the status now is revoked.
ser=$(M ca list --ca ca | sed -n 's/^\([0-9a-f]*\) .*CN=alice$/\1/p')
[ -n "$ser" ] || tui_fail "no serial for alice: $(M ca list --ca ca)"
MINIPKI_PASSPHRASE=pw M ca revoke --ca ca "$ser" --reason keyCompromise \
    >/dev/null 2>&1 || tui_fail "ca revoke"
tui_keys Enter
tui_wait "Verdict when it arrived: good"
tui_wait "stored: good  now: revoked (keyCompromise)" 30
tui_wait_log "inbox: message 1: stored good, now revoked (keyCompromise)"
tui_keys Escape
tui_wait "listener: connections and messages"

# t: the listener's connection and its handshake, as --trace prints it.
tui_keys t
tui_wait "trace of connection #1"
tui_wait "#1   closed"
tui_keys Home
tui_wait "< ClientHello"
tui_keys End
tui_wait "closed"
# somewhere between: the Finished messages (the trace pane is a few rows)
n=0
found=
while [ $n -lt 40 ]; do
	tui_keys PPage
	sleep 0.2
	tui_screen | grep -q "Finished" && { found=1; break; }
	n=$((n + 1))
done
[ -n "$found" ] || tui_fail "no Finished line in the trace"
tui_keys t
tui_wait "listener: connections and messages"

# The CA service stopped: the check says the CA could not be asked.
tui_keys 5
tui_wait "CA service: EST enrollment"
tui_keys x
tui_wait "Stopped: CA 'ca'" 30
tui_keys 8
tui_wait "Inbox 'bob': 1 message"
tui_keys Enter
tui_wait "Verdict when it arrived: good"
tui_wait "stored: good  now: unknown" 30
tui_keys Escape
tui_wait "listener: connections and messages"

# A CA service that accepts and never answers: while the check waits for
# it (up to its timeout), the UI answers (Esc goes back to the list at
# once); then the check ends as unknown.
if command -v python3 >/dev/null 2>&1; then
	# (it ends by itself after a minute, whatever happens here)
	timeout 60 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(8)
c = []
while True:
    c.append(s.accept()[0])
' "$W/ws/ca/ca/ca.sock" >/dev/null 2>&1 &
	mute=$!
	n=0
	until [ -S "$W/ws/ca/ca/ca.sock" ]; do
		n=$((n + 1))
		[ $n -lt 100 ] || tui_fail "the mute service never listened"
		sleep 0.1
	done
	tui_keys Enter
	tui_wait "now: asking the CA service at"
	tui_keys Escape
	tui_wait "listener: connections and messages" 3
	tui_keys Enter
	tui_wait "now: asking the CA service at"
	tui_wait "stored: good  now: unknown" 40
	tui_keys Escape
	kill "$mute"
	wait "$mute" 2>/dev/null
fi

tui_keys x
tui_wait "No listener here: stopped"
tui_keys q
tui_wait "EXITED 0"
echo "inbox-now: all passed"
