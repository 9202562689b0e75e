#!/bin/sh
# flows-status.sh — the server registers with the CA service (server
# register: EST with the server profile) and checks each client's status
# with the CA (server run --status): a client revoked between two
# connections is refused at the second with the reason, in the server's
# log and on the client's side (exit 1); OCSP answers cached (one question
# for two connections) unless --status-cache 0; the CRL way too. A token
# of the client profile does not make a server (exact error). OpenSSL
# judges the registered certificate (purpose sslserver).
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
. tests/interop/flowslib
flows_setup flows-status

ca=unix:$w/ca.sock
bg serve "$M" ca serve --ca ca --listen "$ca"
wait_for serve.out "^listening on "

# a client token does not make a server certificate
ctok=$("$M" ca token new --ca ca 2>/dev/null)
expect 1 "" "$M" server register web0 --ca "$ca" --anchor root.pem --token "$ctok"
[ "$(tail -n 1 err)" = "minipki-tui: the certificate the CA issued cannot serve TLS (extended key usage of 'CN=web0': extendedKeyUsage does not include serverAuth (needed for a TLS server)); ask for a token made with \`ca token new --profile server\`" ] &&
    ok "a client certificate is not registered as a server's" ||
    { fail "server register with a client token"; sed 's/^/    | /' err; }

stok=$("$M" ca token new --ca ca --profile server 2>/dev/null)
run "$M" server register web --ca "$ca" --anchor root.pem --token "$stok"
grep -q "^web: registered: server certificate [0-9A-F:]* for 'CN=web' until .*, stored$" out &&
    ok "registered" || { fail "server register output"; cat out; }
"$M" export web --cert --out web.pem
openssl verify -CAfile root.pem -purpose sslserver web.pem >osl.out 2>&1 &&
    ok "openssl: the registered certificate is a server's" ||
    { fail "openssl verify -purpose sslserver"; cat osl.out; }

ctok=$("$M" ca token new --ca ca --uses 2 2>/dev/null)
quiet "$M" client enroll alice --ca "$ca" --anchor root.pem --token "$ctok"
quiet "$M" client enroll bob --ca "$ca" --anchor root.pem --token "$ctok"

# OCSP, asked at every connection
bg web "$M" server run web --listen "unix:$w/web.sock" --workers 1 --ca root.pem \
    --client-auth require --status "$ca" --status-cache 0
wait_for web.out "^listening on "
expect 0 "" "$M" client connect alice "unix:$w/web.sock" --ca root.pem --send WHOAMI
[ "$(cat out)" = "CN=alice" ] && ok "alice served" || fail "alice: $(cat out)"
wait_for web.err "^connection 1: client CN=alice: good (OCSP)$"
sa=$(serial_of alice)
quiet "$M" ca revoke --ca ca "$sa" --reason keyCompromise
expect 1 "" "$M" client connect alice "unix:$w/web.sock" --ca root.pem --send WHOAMI
grep -q "^minipki-tui: the server refused us: revoked (keyCompromise) on .* UTC (OCSP)$" err &&
    ok "alice revoked: refused, with the reason" ||
    { fail "alice after revocation"; sed 's/^/    | /' out err; }
wait_for web.err "^connection 2: refused client CN=alice: revoked (keyCompromise) on .* UTC (OCSP)$"
kill $bgpid

# OCSP answers cached: bob twice, one of them from the cache (one worker:
# each worker process keeps its own cache and numbers its connections)
bg web2 "$M" server run web --listen "unix:$w/web2.sock" --ca root.pem \
    --client-auth require --status "$ca" --workers 1
wait_for web2.out "^listening on "
quiet "$M" client connect bob "unix:$w/web2.sock" --ca root.pem --send WHOAMI
quiet "$M" client connect bob "unix:$w/web2.sock" --ca root.pem --send WHOAMI
wait_for web2.err "^connection 2: client CN=bob: good (OCSP, cached)$"
grep -q "^connection 1: client CN=bob: good (OCSP)$" web2.err &&
    ok "the first answer asked, the second cached" || fail "OCSP cache"
kill $bgpid

# the CRL way: fetched again at each connection with --status-cache 0
bg web3 "$M" server run web --listen "unix:$w/web3.sock" --workers 1 --ca root.pem \
    --client-auth require --status "$ca" --status-via crl --status-cache 0
wait_for web3.out "^listening on "
quiet "$M" client connect bob "unix:$w/web3.sock" --ca root.pem --send WHOAMI
wait_for web3.err "^connection 1: client CN=bob: good (CRL)$"
quiet "$M" ca revoke --ca ca "$(serial_of bob)" --reason superseded
expect 1 "" "$M" client connect bob "unix:$w/web3.sock" --ca root.pem --send WHOAMI
wait_for web3.err "^connection 2: refused client CN=bob: revoked (superseded) on .* UTC (CRL)$"

# no answer from the CA is a refusal too (fail closed)
bg web4 "$M" server run web --listen "unix:$w/web4.sock" --workers 1 --ca root.pem \
    --client-auth require --status "unix:$w/nothing.sock"
wait_for web4.out "^listening on "
expect 1 "" "$M" client connect alice "unix:$w/web4.sock" --ca root.pem --send WHOAMI
wait_for web4.err "^connection 1: refused client CN=alice: unknown: no usable OCSP answer: connect to unix:$w/nothing.sock: No such file or directory$"

[ "$fails" -eq 0 ]
