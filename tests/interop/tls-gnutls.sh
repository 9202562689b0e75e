#!/bin/sh
# tls-gnutls.sh — GnuTLS as a second independent peer: gnutls-cli against
# our server and our client against `gnutls-serv --echo`, TLS 1.3, TLS 1.2
# ECDHE and TLS 1.2 RSA, with client certificates; and gnutls-cli refusing
# a server from a CA it does not trust. Skipped without gnutls-bin.
set -u
for p in gnutls-cli gnutls-serv openssl; do
	command -v $p >/dev/null 2>&1 || { echo "$p not installed"; exit 77; }
done
. tests/interop/tlslib
tls_setup tls-gnutls

# ---- gnutls-cli -> our server ----
our_server srv --ca root.pem --client-auth require
for v in "TLS1.3 NORMAL:-VERS-ALL:+VERS-TLS1.3 TLS_AES_128_GCM_SHA256" \
    "TLS1.2-ECDHE NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" \
    "TLS1.2-RSA NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA TLS_RSA_WITH_AES_128_GCM_SHA256"; do
	set -- $v
	out=$(printf 'WHOAMI\nECHO via gnutls\nQUIT\n' | timeout 20 gnutls-cli \
	    --priority "$2" --x509cafile root.pem --x509certfile alice.pem \
	    --x509keyfile alice.key -p "$oport" localhost 2>err | grep -v '^- ' | tail -n 3)
	wait_for srv.err "handshake done ($3)"
	if [ "$out" = "$(printf 'CN=alice\nvia gnutls\nBYE')" ] &&
	    grep -q "handshake done ($3)" srv.err; then
		ok "$1: gnutls-cli (certificate alice) -> our server"
	else
		fail "$1: gnutls-cli -> our server: '$out'"; tail -5 err; tail -3 srv.err
	fi
done
printf 'WHOAMI\n' | timeout 20 gnutls-cli --x509cafile other.pem -p "$oport" \
    localhost >out 2>err
rc=$?
wait_for srv.err "peer sent alert"
if [ $rc -ne 0 ] && grep -q "peer sent alert" srv.err; then
	ok "gnutls-cli trusting another CA refuses our server"
else
	fail "gnutls-cli with another CA: exit $rc"; tail -5 out err srv.err
fi
stop

# ---- our client -> gnutls-serv --echo ----
# gnutls-serv cannot take port 0 and say which it got: a port of ours,
# the next one when that is taken (it says "bind() failed" and goes on).
tries=0
while :; do
	port=$((port + 1)) tries=$((tries + 1))
	rm -f gs.out
	timeout 60 gnutls-serv --echo -p "$port" --x509certfile srv.pem \
	    --x509keyfile srv.key --x509cafile root.pem --require-client-cert \
	    >gs.out 2>&1 &
	gs=$!
	i=0
	while ! grep -q "IPv4 .*\(done\|failed\)" gs.out 2>/dev/null &&
	    kill -0 $gs 2>/dev/null && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	grep -q "IPv4 .*done" gs.out 2>/dev/null && kill -0 $gs 2>/dev/null &&
	    { pids="$pids $gs"; break; }
	kill $gs 2>/dev/null
	[ $tries -lt 5 ] || { fail "gnutls-serv did not start"; cat gs.out; break; }
done
for a in "--tls 1.3" "--kx ecdhe" "--kx rsa"; do
	out=$(timeout 20 "$M" client connect alice tcp:127.0.0.1:$port \
	    --ca root.pem --server-name localhost $a --send "echo me" 2>err)
	rc=$?
	[ $rc -eq 0 ] && [ "$out" = "echo me" ] &&
	    ok "our client ($a, certificate alice) -> gnutls-serv: $(sed -n 's/^connected: //p' err)" ||
	    { fail "our client $a -> gnutls-serv: exit $rc '$out'"; cat err; }
done
timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca other.pem \
    --server-name localhost --send x >out 2>err
rc=$?
[ $rc -eq 1 ] && grep -q "server certificate verify failed" err &&
    ok "our client refuses gnutls-serv's certificate from an unknown CA" ||
    { fail "unknown CA vs gnutls-serv: exit $rc"; cat err; }

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "tls-gnutls: all passed"
