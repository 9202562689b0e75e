#!/bin/sh
# connect.sh — the connection window, driven in tmux: on the demo lab a
# server ('server') and a client ('alice') run inside the program; the
# handshake is traced message by message with what each is for, the
# outcome is shown, service lines are answered. Then TLS 1.2 (RSA key
# exchange) ended by x, and two failures shown in words while the UI goes
# on: an anonymous client where the server requires a certificate, and a
# client that trusts the wrong anchor. F10 quits from a typed line too;
# away from the window the title bar shows the listening server, whose
# sockets a key generation's child does not hold, and L stops it. That the
# keys are wiped from memory is keywipe.sh's check (it needs the right to
# read another process's memory, and is skipped without it).
. tests/tui/tuilib
tui_setup connect

# tui_find TEXT: pages down through the trace until TEXT shows.
tui_find() {
	i=0
	while [ $i -lt 30 ]; do
		tui_screen | grep -F -q -- "$1" && return 0
		tui_keys PageDown
		sleep 0.2
		i=$((i + 1))
	done
	tui_fail "paging never showed '$1'"
}

tui_start MINIPKI_LOG="$W/tui.log"

tui_wait "This workspace"
tui_keys d
tui_wait "Create the demo lab"
tui_type "demo-pass"; tui_keys Tab
tui_type "demo-pass"; tui_keys Enter
tui_wait "demo lab ready" 60
sh_pid=$(tmx list-panes -t t -F '#{pane_pid}')
pid=$(pgrep -o -P "$sh_pid" -f minipki-tui) || tui_fail "no process"

# The menu's last item: Connect opens its form at once.
tui_keys Escape k k Enter
tui_wait "Connect: a TLS server and client in this process"
tui_wait "< server >"
tui_wait "< alice >"
tui_wait "< demo-ca >"
tui_wait "< 1.3 >"
# A wrong passphrase is a message under its field; the form stays.
tui_keys Tab; tui_type "wrong"; tui_keys Enter
tui_wait "wrong passphrase"
tui_keys C-u; tui_type "demo-pass"; tui_keys Enter
tui_wait "connected, TLS 1.3; server verified: CN=localhost, O=minipki demo"
tui_wait "TLS 1.3 handshake done (TLS_AES_128_GCM_SHA256)"
# The trace, from the top: each message with what it is for.
tui_keys g
tui_wait "C > ClientHello ("
tui_wait "the client's random, the versions and suites it"
tui_find "C     cipher suites offered: TLS_AES_128_GCM_SHA256"
# The order is the wire's: the server's whole flight, then the client's.
tui_find "S < ClientHello ("
tui_find "S > ServerHello ("
tui_find "S > Certificate ("
tui_find "S > Finished ("
tui_find "C     verify:  ok    host name 'localhost'"
tui_find "C > Certificate ("
tui_find "C > Finished ("
tui_find "== verified: the server is CN=localhost, O=minipki demo"
tui_find "S     verify:  ok    extended key usage of 'CN=alice"
# The brief view: one line per message.
tui_keys v g
tui_wait "C > ClientHello ("
tui_gone "legacy_version"
tui_find "S > CertificateVerify ("
tui_keys v

# Service lines.
tui_keys G Enter
tui_wait "line> _"
tui_type "WHOAMI"; tui_keys Enter
tui_wait "C <- CN=alice, O=minipki demo"
tui_type "ECHO hello over TLS"; tui_keys Enter
tui_wait "C <- hello over TLS"
tui_type "FROB"; tui_keys Enter
tui_wait "C <- ERR unknown command 'FROB'"
# F10 quits from a typed line too, asking first: n keeps the line.
tui_type "ECHO unsent"; tui_keys F10
tui_wait "Quit minipki-tui? (y/n)"
tui_keys n
tui_wait_gone "Quit minipki-tui?"
tui_wait "line> ECHO unsent_"
tui_keys C-u
# Esc stops typing; the learning aid names the commands.
tui_keys Escape
tui_wait_gone "line> "
tui_keys o
tui_wait "openssl: openssl s_client -unix /"
tui_wait "-CAfile demo-ca.crt -cert alice.crt -key alice.key -tls1_3"
tui_keys o
tui_keys i; tui_type "QUIT"; tui_keys Enter
tui_wait "C <- BYE"
tui_wait "closed cleanly"

# Away from the window the server goes on listening, as the title bar
# shows on every screen, and serves a client from outside.
tui_keys o
tui_wait "openssl: openssl s_client -unix /"
sock=$(tui_screen | sed -n 's/.*openssl s_client -unix \([^ ]*tls\.sock\).*/\1/p' |
    head -1)
tui_keys o
tui_keys 1
tui_wait "Entities *"
tui_wait "TLS server listening"
tui_wait_log "connect: the TLS server keeps listening on unix:$sock"
# It is in the workspace's registry of running roles (another UI's Roles
# window lists it), with this process's pid.
reg=$(grep -l -F "tls unix:$sock" "$W"/ws/run/server.*.yaml 2>/dev/null)
[ -n "$reg" ] || tui_fail "the Connect server is not in the registry: $(ls "$W/ws/run" 2>&1)"
grep -q "^name: server$" "$reg" || tui_fail "registry entry: $(cat "$reg")"
"$MINIPKI" --dir "$W/ws" export demo-ca --cert --out "$W/demo-ca.crt" \
    >/dev/null || tui_fail "export demo-ca --cert"
"$MINIPKI" client connect "unix:$sock" --ca "$W/demo-ca.crt" \
    --server-name localhost --send WHOAMI >"$W/cc.out" 2>&1 ||
    tui_fail "a client could not connect: $(cat "$W/cc.out")"
# With 20 idle connections held open, one more is served at once: the
# program polls every connection of the server, not the first 16 (then
# it waited until the idle ones' handshake timeout, 10 s, freed slots).
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import socket, sys, time
held = [socket.socket(socket.AF_UNIX) for _ in range(20)]
for s in held:
    s.connect(sys.argv[1])
print("held", flush=True)
time.sleep(120)' "$sock" >"$W/idle.out" 2>&1 &
	idle=$!
	n=100
	until grep -q held "$W/idle.out"; do
		n=$((n - 1))
		[ $n -gt 0 ] || { kill $idle; tui_fail "idle connections: $(cat "$W/idle.out")"; }
		sleep 0.1
	done
	"$MINIPKI" client connect "unix:$sock" --ca "$W/demo-ca.crt" \
	    --server-name localhost --timeout 6 --send WHOAMI >"$W/cc.out" 2>&1 ||
	    { kill $idle; tui_fail "not served beside 20 idle connections: $(cat "$W/cc.out")"; }
	kill $idle
	wait $idle 2>/dev/null
fi
# A key generation's child holds none of the server's sockets. Its
# descriptors are read once it works (its first report); a key made before
# they could be read is tried again.
i=0 fds=
while [ -z "$fds" ] && [ $i -lt 5 ]; do
	i=$((i + 1))
	tui_keys n
	tui_wait "New key"
	tui_type "slow$i"; tui_keys Tab Right Right Tab; tui_type "pw"
	tui_keys Tab; tui_type "pw"; tui_keys Enter
	n=150
	until [ "$(grep -c 'key generation: generating a 4096' "$W/tui.log")" \
	    -ge $i ]; do
		n=$((n - 1))
		[ $n -gt 0 ] || tui_fail "key generation $i never began"
		sleep 0.1
	done
	# Stopped while it is read, so that it cannot end half-way.
	child=$(pgrep -P "$pid") && kill -STOP "$child" 2>/dev/null &&
	    fds=$(ls -l "/proc/$child/fd" 2>/dev/null)
	[ -n "$child" ] && kill -CONT "$child" 2>/dev/null
	tui_wait_log "key 'slow$i' made" 120
done
[ -n "$fds" ] || tui_fail "no key generation process seen"
echo "$fds" | grep -q 'socket:' &&
    tui_fail "the key generation's child holds sockets: $fds"
# L (lock) stops it wherever the user is, and wipes its key.
tui_keys L
tui_wait_log "connect: the TLS server is stopped and its keys wiped (L)"
tui_wait_gone "TLS server listening"
[ -e "$sock" ] && tui_fail "L left the socket $sock behind"
[ -e "$reg" ] && tui_fail "L left the registry entry $reg behind"
"$MINIPKI" client connect "unix:$sock" --ca "$W/demo-ca.crt" \
    --server-name localhost --send WHOAMI >"$W/cc.out" 2>&1 &&
    tui_fail "a client still connects after L"
tui_keys Escape k k Enter
tui_wait "== L (lock): the client and the server are stopped"

# TLS 1.2 with the RSA key exchange, bob this time.
tui_keys c
tui_wait "Connect: a TLS server and client in this process"
tui_keys Tab; tui_type "demo-pass"; tui_keys Tab Space
tui_wait "< bob >"
tui_keys Tab Tab Tab Left
tui_wait "< 1.2 RSA >"
tui_keys Enter
tui_wait "connected, TLS 1.2; server verified: CN=localhost"
tui_keys g
tui_wait "C > ClientHello ("
tui_find "cipher suites offered: TLS_RSA_WITH_AES_128_GCM_SHA256"
tui_find "C > ClientKeyExchange ("
tui_wait "TLS 1.2 RSA: the premaster secret"
tui_keys Enter; tui_type "WHOAMI"; tui_keys Enter
tui_wait "C <- CN=bob, O=minipki demo"
tui_keys Escape
# x on a live connection: the client closes cleanly, then the server
# stops and its socket goes.
tui_keys o
tui_wait "openssl: openssl s_client -unix /"
sock=$(tui_screen | sed -n 's/.*openssl s_client -unix \([^ ]*tls\.sock\).*/\1/p' |
    head -1)
tui_keys o
[ -S "$sock" ] || tui_fail "no listening socket at '$sock'"
tui_keys x
tui_wait "S * the server is stopped"
tui_wait "closed cleanly"
tui_gone "FAILED"
tui_gone "still listens"
[ -e "$sock" ] && tui_fail "x left the socket $sock behind"

# Failure: the server requires a certificate, the client is anonymous.
tui_keys c
tui_wait "< bob >"
tui_keys Tab; tui_type "demo-pass"; tui_keys Tab
tui_keys Left
tui_wait "< alice >"
tui_keys Left
tui_wait "< anonymous >"
tui_keys Tab Tab Tab Right
tui_wait "< 1.3 >"
tui_keys Tab Right
tui_wait "< require >"
tui_keys Enter
tui_wait "FAILED: peer sent alert certificate_required"
tui_wait "in words: the server sent the alert certificate_required"
tui_gone "line> "

# Failure: the client trusts alice's certificate, not the demo CA.
tui_keys c
tui_wait "< anonymous >"
tui_keys Tab; tui_type "demo-pass"; tui_keys Tab Right
tui_wait "< alice >"
tui_keys Tab Tab Left Left
tui_wait "Client trusts     < alice >"
tui_keys Tab Tab Left
tui_wait "< optional >"
tui_keys Enter
tui_wait "FAILED: server certificate verify failed"
tui_wait "in words: the client refused the server and sent the alert unknown_ca"

# The UI goes on: another screen, back, quit.
tui_keys 1
tui_wait "Entities *"
tui_keys Escape k k Enter
tui_wait "FAILED: server certificate verify failed"
# The server still listens: its socket, as the learning aid names it.
tui_keys o
tui_wait "openssl: openssl s_client -unix /"
sock=$(tui_screen | sed -n 's/.*openssl s_client -unix \([^ ]*tls\.sock\).*/\1/p' |
    head -1)
[ -S "$sock" ] || tui_fail "no listening socket at '$sock'"
# An SSH drop: the terminal is restored, the socket and its directory go.
kill -HUP "$pid"
tui_wait "EXITED 129"
[ -e "$sock" ] && tui_fail "the socket $sock is left behind"
[ -e "${sock%/tls.sock}" ] && tui_fail "the directory of $sock is left behind"
echo "connect ok"
