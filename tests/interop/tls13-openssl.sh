#!/bin/sh
# tls13-openssl.sh — TLS 1.3 against OpenSSL on loopback, both directions:
# our client against `openssl s_server -tls1_3 -rev` (with and without a
# client certificate), `openssl s_client -tls1_3` against our server (client
# auth none / require), data both ways each time. Must-fail cases: unknown
# CA, host mismatch, expired certificate (made under faketime when it is
# installed), client certificate required but missing; each side must say
# why. Also: SSLKEYLOGFILE lines in the NSS format.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
. tests/interop/tlslib
s_server_version=-tls1_3
tls_setup tls13-openssl

# ---- our client -> openssl s_server ----
s_server -cert srv.pem -key srv.key
out=$(timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --send "hello openssl" --send abc 2>err)
rc=$?
if [ $rc -eq 0 ] && [ "$out" = "$(printf 'lssnepo olleh\ncba')" ]; then
	ok "our client -> s_server: data both ways"
else
	fail "our client -> s_server: exit $rc, got '$out'"; cat err
fi
stop

s_server -cert srv.pem -key srv.key -Verify 1
SSLKEYLOGFILE=$w/keys.log timeout 20 "$M" client connect alice \
    tcp:127.0.0.1:$port --ca root.pem --send ping >out 2>err
rc=$?
if [ $rc -eq 0 ] && grep -qx gnip out && grep -q "CN = alice" oss.out; then
	ok "our client (certificate alice) -> s_server -Verify 1"
else
	fail "mutual auth against s_server: exit $rc"; cat err oss.out | head -20
fi
n=$(grep -cE '^(CLIENT|SERVER)_(HANDSHAKE_)?TRAFFIC_SECRET(_0)? [0-9a-f]{64} [0-9a-f]{64}$' keys.log)
[ "$n" -eq 4 ] && ok "SSLKEYLOGFILE: 4 NSS key log lines" ||
    { fail "SSLKEYLOGFILE: $n good lines"; cat keys.log; }
stop

# client certificate required, none sent: the alert reaches us
s_server -cert srv.pem -key srv.key -Verify 1
timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem --send ping \
    >out 2>err
rc=$?
if [ $rc -eq 1 ] && grep -q "certificate_required" err; then
	ok "s_server requires a client certificate: refused (exit 1)"
else
	fail "missing client certificate: exit $rc"; cat err
fi
stop

# unknown CA
s_server -cert other.pem -key other.key
timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --send x >out 2>err
rc=$?
if [ $rc -eq 1 ] && grep -q "server certificate verify failed" err &&
    grep -q "not a trust anchor" err; then
	ok "server from an unknown CA: refused (exit 1)"
else
	fail "unknown CA: exit $rc"; cat err
fi
wait_for oss.out "alert unknown ca" || { fail "s_server did not see unknown_ca"; cat oss.out | head; }
stop

# host mismatch
s_server -cert srv.pem -key srv.key
timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name www.example.org --send x >out 2>err
rc=$?
if [ $rc -eq 1 ] && grep -q "matches no dNSName" err; then
	ok "host mismatch: refused (exit 1)"
else
	fail "host mismatch: exit $rc"; cat err
fi
stop

# ---- openssl s_client -> our server ----
our_server srv
out=$(printf 'WHOAMI\nECHO from openssl\nTIME\nNOPE\nQUIT\n' | timeout 20 openssl s_client \
    -tls1_3 -connect 127.0.0.1:$oport -CAfile root.pem -verify_return_error \
    -servername localhost -verify_hostname localhost -quiet 2>err)
rc=$?
if [ $rc -eq 0 ] && echo "$out" | sed -n 1p | grep -qx anonymous &&
    echo "$out" | sed -n 2p | grep -qx "from openssl" &&
    echo "$out" | sed -n 3p | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' &&
    echo "$out" | sed -n 4p | grep -q "^ERR unknown command" &&
    echo "$out" | sed -n 5p | grep -qx BYE; then
	ok "s_client -> our server: WHOAMI, ECHO, TIME, unknown, QUIT"
else
	fail "s_client -> our server: exit $rc, got '$out'"; cat err srv.err
fi
# s_client sends a P-256 share first, x25519 second: P-256 it is (the
# HelloRetryRequest cases are in tls-matrix.sh)
out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client -tls1_3 \
    -groups P-256:X25519 -connect 127.0.0.1:$oport -CAfile root.pem \
    -verify_return_error -quiet 2>err)
[ "$out" = "$(printf 'anonymous\nBYE')" ] &&
    ok "s_client offering P-256 first, x25519 second: data" ||
    { fail "P-256 first: got '$out'"; cat err; tail -3 srv.err; }
printf 'WHOAMI\n' | timeout 20 openssl s_client -tls1_3 -groups X448 \
    -connect 127.0.0.1:$oport -CAfile root.pem -quiet >out 2>err
wait_for srv.err "no common key exchange group"
grep -q "handshake failure" err && grep -q "no common key exchange group" srv.err &&
    ok "s_client with x448 only: handshake_failure, reason in the log" ||
    { fail "x448 only"; cat err; tail -3 srv.err; }
# KeyUpdate: s_client's "K" command asks for an update both ways
out=$( (printf 'WHOAMI\n'; sleep 0.5; printf 'K\n'; sleep 0.5
    printf 'ECHO after update\n'; sleep 0.5) |
    timeout 20 openssl s_client -tls1_3 -connect 127.0.0.1:$oport \
    -CAfile root.pem -verify_return_error 2>&1)
# (a line starting with Q would be s_client's quit command: no QUIT here)
if echo "$out" | grep -q KEYUPDATE && echo "$out" | grep -qx "after update"; then
	ok "s_client KeyUpdate (update_requested) -> our server: data still flows"
else
	fail "KeyUpdate from s_client"; echo "$out" | tail -5; tail -3 srv.err
fi
# s_client trusting another CA refuses us; our server hears why
printf 'WHOAMI\n' | timeout 20 openssl s_client -tls1_3 -connect 127.0.0.1:$oport \
    -CAfile other.pem -verify_return_error -quiet >out 2>err
rc=$?
wait_for srv.err "peer sent alert unknown_ca"
if [ $rc -ne 0 ] && grep -q "peer sent alert unknown_ca" srv.err; then
	ok "s_client with another CA refuses our server; server says unknown_ca"
else
	fail "s_client with another CA: exit $rc"; cat err srv.err
fi
stop

our_server srv --ca root.pem --client-auth require
out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client -tls1_3 \
    -connect 127.0.0.1:$oport -CAfile root.pem -verify_return_error \
    -cert alice.pem -key alice.key -quiet 2>err)
if [ "$out" = "$(printf 'CN=alice\nBYE')" ]; then
	ok "s_client with certificate -> our server (require): WHOAMI CN=alice"
else
	fail "s_client with certificate: got '$out'"; cat err srv.err
fi
printf 'WHOAMI\n' | timeout 20 openssl s_client -tls1_3 -connect 127.0.0.1:$oport \
    -CAfile root.pem -quiet >out 2>err
wait_for srv.err "client sent no certificate"
if grep -q "certificate required" err &&
    grep -q "client sent no certificate" srv.err; then
	ok "s_client without certificate -> our server (require): certificate_required"
else
	fail "s_client without certificate"; cat err srv.err
fi
# our own client, anonymous and with alice
out=$(timeout 20 "$M" client connect alice tcp:127.0.0.1:$oport --ca root.pem \
    --send WHOAMI 2>err)
[ "$out" = "CN=alice" ] && ok "our client -> our server (require): CN=alice" ||
    { fail "our client -> our server: '$out'"; cat err; }
timeout 20 "$M" client connect tcp:127.0.0.1:$oport --ca root.pem --tls 1.3 \
    --send WHOAMI >out 2>err
rc=$?
[ $rc -eq 1 ] && grep -q "peer sent alert certificate_required" err &&
    ok "our anonymous client -> our server (require): certificate_required" ||
    { fail "anonymous client vs require: exit $rc"; cat err; }
stop

# ---- expired certificate (needs faketime) ----
if command -v faketime >/dev/null 2>&1; then
	quiet "$M" export ca --key --no-encrypt --out ca.key
	printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' >ext.cnf
	openssl req -new -key srv.key -subj /CN=localhost -out old.csr 2>/dev/null
	faketime '2020-01-01 00:00:00' openssl x509 -req -in old.csr -CA root.pem \
	    -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf -out old.pem \
	    2>/dev/null || fail "faketime openssl x509"
	s_server -cert old.pem -key srv.key
	timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
	    --server-name localhost --send x >out 2>err
	rc=$?
	if [ $rc -eq 1 ] && grep -q "expired on 2020-01-03" err &&
	    wait_for oss.out "alert certificate expired"; then
		ok "expired server certificate: refused (exit 1), s_server told"
	else
		fail "expired: exit $rc"; cat err oss.out | head
	fi
	stop
	quiet "$M" import old --key srv.key --cert old.pem
	our_server old
	printf 'WHOAMI\n' | timeout 20 openssl s_client -tls1_3 -connect 127.0.0.1:$oport \
	    -CAfile root.pem -verify_return_error -quiet >out 2>err
	rc=$?
	wait_for srv.err "peer sent alert certificate_expired"
	if [ $rc -ne 0 ] && grep -q "certificate has expired" err &&
	    grep -q "peer sent alert certificate_expired" srv.err; then
		ok "s_client refuses our expired certificate; server says certificate_expired"
	else
		fail "s_client vs expired: exit $rc"; cat err srv.err
	fi
	stop
else
	echo "skip: faketime not installed (expired certificate cases)"
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "tls13-openssl: all passed"
