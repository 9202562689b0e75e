#!/bin/sh
# server-workers.sh — `server run --workers N`: worker processes sharing
# the listening socket and the ticket keys. Many concurrent OpenSSL
# handshakes all served; a worker killed is replaced; a TLS 1.3 ticket
# resumes whichever worker takes the connection; SIGTERM stops them all.
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

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "server-workers: all passed"
