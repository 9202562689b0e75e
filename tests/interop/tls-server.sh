#!/bin/sh
# tls-server.sh — our server under load and abuse, on a Unix socket: ten
# clients at once, a silent client that times out without holding the
# others up, a client sending garbage, and a clean stop on SIGTERM.
set -u
. tests/interop/tlslib
test_setup tls-server tls-pass

srv_pki "Server Test Root" svc.test DNS:svc.test
[ "$fails" -eq 0 ] || exit 1

sock=$w/svc.sock
"$M" server run srv --listen "unix:$sock" --timeout 2 >srv.out 2>srv.err &
spid=$!
pids=$spid
wait_for srv.out "^listening on unix:" ||
    { fail "server did not start"; cat srv.err; exit 1; }

# A silent client (connects, sends nothing), when python3 is there.
silent=
if command -v python3 >/dev/null 2>&1; then
	python3 -c "
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
print('connected', flush=True)
time.sleep(8)
" "$sock" >silent.out &
	silent=$!
	# python can be slow to start on a busy machine: wait for it to
	# be connected before the ten others come.
	i=0
	while ! grep -q connected silent.out 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] && { fail "silent client did not connect"; break; }
		sleep 0.1
	done
fi

# Ten clients at once, while the silent one sits there.
i=1
while [ $i -le 10 ]; do
	timeout 20 "$M" client connect "unix:$sock" --ca root.pem \
	    --server-name svc.test --send "ECHO client $i" --send WHOAMI \
	    >out.$i 2>err.$i &
	i=$((i + 1))
done
wait_clients() {
	i=1
	while [ $i -le 10 ]; do
		[ "$(cat out.$i 2>/dev/null)" = "$(printf 'client %s\nanonymous' $i)" ] ||
		    { fail "client $i: '$(cat out.$i)'"; cat err.$i; }
		i=$((i + 1))
	done
}
sleep 0.1
# wait for the ten (not for the silent one)
n=0
while [ $n -lt 100 ]; do
	done_count=$(cat out.* 2>/dev/null | grep -c anonymous)
	[ "$done_count" -eq 10 ] && break
	n=$((n + 1))
	sleep 0.1
done
wait_clients
[ "$fails" -eq 0 ] && ok "ten clients at once, answers in order"

if [ -n "$silent" ]; then
	# --timeout 2 after its accept; poll, a busy machine is slow.
	i=0
	while ! grep -q "timed out during the handshake" srv.err &&
	    [ $i -lt 70 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	if grep -q "timed out during the handshake" srv.err; then
		ok "silent client timed out (--timeout 2)"
	else
		fail "silent client not timed out"; cat srv.err
	fi
	kill "$silent" 2>/dev/null
else
	echo "skip: python3 not installed (silent client)"
fi

# Garbage instead of a ClientHello: the server says why and goes on.
printf 'GET / HTTP/1.0\r\n\r\n' >garbage
if command -v python3 >/dev/null 2>&1; then
	python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(open(sys.argv[2], 'rb').read())
s.settimeout(3)
print(s.recv(100).hex())
" "$sock" garbage >alert.hex 2>/dev/null
	# a plaintext fatal alert: 15 0303 0002 02 0a (unexpected_message)
	if grep -q "^1503030002020a" alert.hex &&
	    grep -q "unknown content type" srv.err; then
		ok "garbage: unexpected_message alert and a reason in the log"
	else
		fail "garbage: got '$(cat alert.hex)'"; tail -3 srv.err
	fi
fi
out=$(timeout 20 "$M" client connect "unix:$sock" --ca root.pem \
    --server-name svc.test --send TIME 2>err)
echo "$out" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' &&
    ok "server still serves after abuse" || { fail "after abuse: '$out'"; cat err; }

# SIGTERM: a clean stop, the socket file removed.
kill -TERM "$spid"
i=0
while kill -0 "$spid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 50 ] && { fail "server did not stop on SIGTERM"; break; }
	sleep 0.1
done
wait "$spid"
rc=$?
pids=
if [ $rc -eq 0 ] && grep -q stopped srv.err && [ ! -e "$sock" ]; then
	ok "SIGTERM: exit 0, socket removed"
else
	fail "SIGTERM: exit $rc"; tail -3 srv.err
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "tls-server: all passed"
