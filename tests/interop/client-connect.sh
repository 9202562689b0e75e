#!/bin/sh
# client-connect.sh — `client connect` at its limits: a listener that
# never accepts (Unix socket with a full backlog, TCP the same way) ends
# the client with "connect to ADDR: timed out after 1 s" under --timeout 1
# (it blocked before); a --send line over the client's limit (65535 bytes)
# and such a line on standard input are refused naming the limit (they
# were reported as "the server closed the connection"); a standard-input
# line longer than 4095 bytes goes out whole, not cut into several lines.
# The timeout cases need python3 (the listener); skipped without it.
set -u
. tests/interop/tlslib
test_setup client-connect tls-pass

# expect NAME STATUS ERRLINE: the last command's status and first stderr line
expect() {
	if [ "$rc" -eq "$2" ] && [ "$(head -n 1 err)" = "$3" ]; then
		ok "$1"
	else
		fail "$1: exit $rc, want $2"; echo "    want: $3"
		sed 's/^/    got:  /' err | cut -c 1-200 | head -3
	fi
}
# a line of n bytes: ECHO and as many a's as fit
line() { printf 'ECHO '; head -c "$(($1 - 5))" /dev/zero | tr '\0' a; }

srv_pki "Client Test Root" svc.test DNS:svc.test
[ "$fails" -eq 0 ] || exit 1

# Timeouts: a listener whose queue is full and that never accepts.
if command -v python3 >/dev/null 2>&1; then
	cat >full.py <<'PY'
import socket, sys, time
if sys.argv[1] == 'unix':
    l = socket.socket(socket.AF_UNIX)
    l.bind(sys.argv[2])
    name = 'unix:' + sys.argv[2]
else:
    l = socket.socket()
    l.bind(('127.0.0.1', 0))
    name = 'tcp:127.0.0.1:%d' % l.getsockname()[1]
l.listen(0)
held = []
for i in range(8):
    c = socket.socket(l.family)
    c.setblocking(False)
    try:
        c.connect(l.getsockname())
    except OSError:
        pass
    held.append(c)
print(name, flush=True)
time.sleep(60)
PY
	for fam in unix tcp; do
		python3 full.py $fam "$w/full.sock" >full.$fam &
		pids="$pids $!"
		i=0
		while ! grep -q : full.$fam 2>/dev/null; do
			i=$((i + 1))
			[ $i -gt 200 ] && { fail "$fam listener did not start"; break; }
			sleep 0.1
		done
		a=$(cat full.$fam)
		# timeout(1) only stops a client that blocks (the bug)
		timeout 30 "$M" client connect "$a" --ca root.pem --timeout 1 \
		    </dev/null >out 2>err
		rc=$?
		expect "$fam listener that never accepts" 3 \
		    "minipki-tui: connect to $a: timed out after 1 s"
	done
else
	echo "skip: python3 not installed (connect timeouts)"
fi

# Lines over the limit, against our server.
sock=$w/svc.sock
timeout --foreground 120 "$M" server run srv --listen "unix:$sock" >srv.out 2>srv.err &
pids="$pids $!"
wait_for srv.out "^listening on unix:" ||
    { fail "server did not start"; cat srv.err; exit 1; }
cc() { timeout 30 "$M" client connect "unix:$sock" --ca root.pem \
    --server-name svc.test "$@"; }

# The limit itself goes out (the server answers with its own limit).
cc --send "$(line 65535)" >out 2>err
rc=$?
if [ $rc -eq 0 ] && [ "$(cat out)" = "ERR line longer than 4096 bytes" ]; then
	ok "a 65535-byte --send line is sent"
else
	fail "65535-byte --send: exit $rc, '$(head -c 200 out)'"; head -3 err
fi
cc --send "$(line 65536)" >out 2>err
rc=$?
expect "a 65536-byte --send line is refused" 2 \
    "minipki-tui client connect: --send: a line is at most 65535 bytes, this one has 65536"
[ -s out ] && fail "65536-byte --send: something was answered"

{ echo WHOAMI; line 70000; echo; echo WHOAMI; } >long.in
cc <long.in >out 2>err
rc=$?
tail -n 1 err >err1; mv err1 err
expect "a 70000-byte standard-input line is refused" 2 \
    "minipki-tui: a line to send is at most 65535 bytes, this one has 70000"
[ "$(cat out)" = anonymous ] ||
    fail "70000-byte stdin line: answers '$(head -c 200 out)'"

# A 5000-byte line from standard input is one line (the server's answer
# says it is over its 4096), not a 4095-byte ECHO and a second line.
{ line 5000; echo; } >mid.in
cc <mid.in >out 2>err
rc=$?
if [ $rc -eq 0 ] && [ "$(cat out)" = "ERR line longer than 4096 bytes" ]; then
	ok "a 5000-byte standard-input line goes out whole"
else
	fail "5000-byte stdin line: exit $rc, '$(head -c 200 out)'"; head -3 err
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "client-connect: all passed"
