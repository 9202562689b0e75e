#!/bin/sh
# flows-wait.sh — start order does not matter: a client whose peer is not
# up yet waits for it, saying so once per change, and goes on when it comes
# up (client connect before server run, client enroll before ca serve,
# client connect --timeout 0 for longer than the backoff's cap); with
# --timeout 2 and nobody there it gives up with the exact error, for a
# Unix socket (no file) and a TCP port (refused).
set -u
command -v python3 >/dev/null 2>&1 || { echo "python3 not installed"; exit 77; }
. tests/interop/flowslib
flows_setup flows-wait

sock=$w/none.sock
expect 3 "minipki-tui: waiting for the server at unix:$sock (No such file or directory)" \
    "$M" client connect "unix:$sock" --ca root.pem --timeout 2 --send WHOAMI
[ "$(sed -n 2p err)" = "minipki-tui: connect to unix:$sock: not up after 2 s (No such file or directory)" ] &&
    [ "$(wc -l <err)" -eq 2 ] && ok "the wait ran out: exact error" ||
    { fail "the wait's error"; sed 's/^/    | /' err; }
free_port
expect 3 "minipki-tui: waiting for the server at tcp:127.0.0.1:$port (Connection refused)" \
    "$M" client connect "tcp:127.0.0.1:$port" --ca root.pem --timeout 2 --send WHOAMI
[ "$(sed -n 2p err)" = "minipki-tui: connect to tcp:127.0.0.1:$port: not up after 2 s (Connection refused)" ] &&
    ok "tcp: exact error" || { fail "tcp: the wait's error"; sed 's/^/    | /' err; }
# a stale socket file nobody listens on is "Connection refused"
python3 -c "import socket; s = socket.socket(socket.AF_UNIX); s.bind('$w/stale.sock')"
expect 3 "minipki-tui: waiting for the server at unix:$w/stale.sock (Connection refused)" \
    "$M" client connect "unix:$w/stale.sock" --ca root.pem --timeout 1 --send WHOAMI
rm -f stale.sock

# client enroll before the CA service: it waits, then enrolls.
tok=$("$M" ca token new --ca ca --uses 2 2>/dev/null)
bg enroll "$M" client enroll alice --ca "unix:$w/ca.sock" --anchor root.pem \
    --token "$tok" --timeout 60
epid=$bgpid
wait_for enroll.err "waiting for the CA service at unix:$w/ca.sock (No such file or directory)"
bg serve "$M" ca serve --ca ca --listen "unix:$w/ca.sock"
wait_pid $epid
[ $rc -eq 0 ] && grep -q "^alice: certificate .* for 'CN=alice' .*, stored$" enroll.out &&
    grep -q "^minipki-tui: the CA service at unix:$w/ca.sock is up after [0-9]* s$" enroll.err &&
    ok "client enroll started first waited for the CA service" ||
    { fail "client enroll first: exit $rc"; sed 's/^/    | /' enroll.out enroll.err; }

# client connect before server run: the same.
stok=$("$M" ca token new --ca ca --profile server 2>/dev/null)
quiet "$M" server register web --ca "unix:$w/ca.sock" --anchor root.pem --token "$stok"
bg conn "$M" client connect alice "unix:$w/web.sock" --ca root.pem --send WHOAMI \
    --timeout 60
cpid=$bgpid
wait_for conn.err "waiting for the server"
bg web "$M" server run web --listen "unix:$w/web.sock" --ca root.pem --client-auth require
wait_pid $cpid
[ $rc -eq 0 ] && [ "$(cat conn.out)" = "CN=alice" ] && [ "$(grep -c waiting conn.err)" -eq 1 ] &&
    ok "client connect started first: served, one waiting line" ||
    { fail "client connect first: exit $rc"; sed 's/^/    | /' conn.out conn.err; }

# --timeout 0: waits past the backoff's cap (2 s) for as long as it takes.
bg conn0 "$M" client connect alice "unix:$w/late.sock" --ca root.pem --send WHOAMI \
    --timeout 0
cpid=$bgpid
wait_for conn0.err "waiting for the server"
sleep 4
kill -0 $cpid 2>/dev/null && ok "--timeout 0 still waiting after 4 s" ||
    fail "--timeout 0 gave up"
bg late "$M" server run web --listen "unix:$w/late.sock" --ca root.pem
wait_pid $cpid
[ $rc -eq 0 ] && [ "$(cat conn0.out)" = "anonymous" ] && ok "--timeout 0: served once up" ||
    { fail "--timeout 0: exit $rc"; sed 's/^/    | /' conn0.out conn0.err; }

[ "$fails" -eq 0 ]
