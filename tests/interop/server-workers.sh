#!/bin/sh
# server-workers.sh — `server run --workers N`: worker processes sharing
# the listening socket and the ticket keys. Many concurrent OpenSSL
# handshakes all served; a worker killed is replaced; a TLS 1.3 ticket
# resumes whichever worker takes the connection; SIGTERM stops them all;
# no core dumps with one worker or several; one worker goes on serving
# while a client stalls in mid-handshake (the loop never blocks on one).
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }

. tests/interop/tlslib
tls_setup server-workers

# ---- --workers: several processes on one listening socket ----
our_server srv --workers 2
wait_for srv.err "^worker 2: pid "
w1=$(sed -n 's/^worker 1: pid \([0-9]*\)$/\1/p' srv.err | head -1)
i=0; wpids=
while [ $i -lt 16 ]; do
	(printf 'WHOAMI\nQUIT\n' | timeout 30 openssl s_client -connect 127.0.0.1:$oport \
	    -CAfile root.pem -verify_return_error -quiet >w$i.out 2>/dev/null) &
	wpids="$wpids $!"
	i=$((i + 1))
done
for p in $wpids; do wait "$p"; done
good=0; i=0
while [ $i -lt 16 ]; do
	[ "$(cat w$i.out)" = "$(printf 'anonymous\nBYE')" ] && good=$((good + 1))
	i=$((i + 1))
done
if [ $good -eq 16 ] && [ -n "$w1" ]; then
	ok "server run --workers 2: 16 concurrent openssl s_client handshakes all served"
else
	fail "--workers 2: $good of 16 served"; tail -5 srv.err
fi
# a worker killed is replaced, and the server goes on
kill -9 "$w1" 2>/dev/null
if wait_for srv.err "^worker 1: pid $w1 killed by signal 9; replacing it" &&
    wait_for srv.err "^worker 1: pid [0-9]*$" &&
    [ "$(sed -n 's/^worker 1: pid \([0-9]*\)$/\1/p' srv.err | tail -1)" != "$w1" ] &&
    out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client -connect 127.0.0.1:$oport \
        -CAfile root.pem -verify_return_error -quiet 2>/dev/null) &&
    [ "$out" = "$(printf 'anonymous\nBYE')" ]; then
	ok "server run --workers 2: a killed worker is replaced"
else
	fail "--workers 2: worker not replaced"; tail -5 srv.err
fi
# a ticket from one worker resumes on the others (shared keys)
n=0; i=0
out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client -tls1_3 -ign_eof \
    -sess_out wsess.pem -connect 127.0.0.1:$oport -CAfile root.pem 2>&1)
while [ $i -lt 6 ]; do
	printf 'QUIT\n' | timeout 20 openssl s_client -tls1_3 -ign_eof \
	    -sess_in wsess.pem -connect 127.0.0.1:$oport -CAfile root.pem 2>&1 |
	    grep -q '^Reused, TLSv1.3' && n=$((n + 1))
	i=$((i + 1))
done
if [ $n -eq 6 ]; then
	ok "server run --workers 2: a ticket resumes on every worker"
else
	fail "--workers 2: $n of 6 resumed"
fi
# SIGTERM stops them all
stop
left=0
for p in $(sed -n 's/^worker [0-9]*: pid \([0-9]*\)$/\1/p' srv.err); do
	kill -0 "$p" 2>/dev/null && left=$((left + 1))
done
[ $left -eq 0 ] && ok "server run --workers 2: SIGTERM stops every worker" ||
    fail "--workers 2: $left workers left after SIGTERM"

# ---- no core dumps, one worker or several (secrets: the server's key
# and the ticket keys). The core limit is raised before the start, so
# that a 0 in /proc/PID/limits is the server's own doing. ----
# server_pid TIMEOUT_PID: the process `timeout` runs (our server).
server_pid() {
	for d in /proc/[0-9]*; do
		grep -q "^PPid:[[:space:]]*$1\$" "$d/status" 2>/dev/null &&
		    { echo "${d#/proc/}"; return 0; }
	done
	return 1
}
# core_limit PID: "SOFT HARD" of its core size limit.
core_limit() {
	awk '/^Max core file size/ { print $5, $6 }' "/proc/$1/limits"
}
old_core=$(ulimit -c)
if ulimit -c "$(ulimit -H -c)" 2>/dev/null && [ "$(ulimit -c)" != 0 ]; then
	for n in 1 2; do
		our_server srv --workers $n
		tp=${pids##* }
		sp=$(server_pid "$tp")
		lim=$(core_limit "$sp")
		wl=
		if [ $n -eq 2 ]; then
			wait_for srv.err "^worker 2: pid "
			wp=$(sed -n 's/^worker 2: pid \([0-9]*\)$/\1/p' srv.err | head -1)
			wl=$(core_limit "$wp")
		fi
		if [ -n "$sp" ] && [ "$lim" = "0 0" ] &&
		    { [ $n -eq 1 ] || [ "$wl" = "0 0" ]; }; then
			ok "server run --workers $n: core size limit 0 (started with $(ulimit -c))"
		else
			fail "--workers $n: core limit of pid '$sp' is '$lim' (worker: '$wl')"
		fi
		stop
	done
	ulimit -c "$old_core" 2>/dev/null
else
	echo "skip: cannot raise the core size limit here (hard limit $(ulimit -H -c))"
fi

# ---- one worker: a client stalled in mid-handshake holds nobody up ----
if command -v python3 >/dev/null 2>&1; then
	our_server srv --workers 1 --timeout 30
	# the first 20 bytes of a ClientHello, then nothing
	python3 -c "
import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.sendall(bytes.fromhex('160301010001000100fd0303') + bytes(8))
print('stalled', flush=True)
time.sleep(40)
" "$oport" >stall.out &
	stall=$!
	wait_for stall.out stalled
	good=0; i=0
	while [ $i -lt 4 ]; do
		out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client \
		    -connect 127.0.0.1:$oport -CAfile root.pem -verify_return_error \
		    -quiet 2>/dev/null)
		[ "$out" = "$(printf 'anonymous\nBYE')" ] && good=$((good + 1))
		i=$((i + 1))
	done
	# the stalled one is still there, not timed out: it did not just
	# get out of the way
	if [ $good -eq 4 ] && kill -0 "$stall" 2>/dev/null &&
	    ! grep -q "timed out during the handshake" srv.err; then
		ok "server run --workers 1: 4 handshakes served while one client stalls mid-ClientHello"
	else
		fail "--workers 1 with a stalled client: $good of 4 served"; tail -3 srv.err
	fi
	kill "$stall" 2>/dev/null
	stop
else
	echo "skip: python3 not installed (stalled client)"
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "server-workers: all passed"
