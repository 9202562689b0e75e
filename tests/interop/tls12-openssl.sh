#!/bin/sh
# tls12-openssl.sh — TLS 1.2 against OpenSSL on loopback, both directions,
# for both key exchanges (ECDHE_RSA over x25519 and RSA key transport, each
# with AES-128-GCM): our client against `openssl s_server -tls1_2 -rev` and
# `openssl s_client -tls1_2` against our server, with and without a client
# certificate, data both ways. Must-fail cases: unknown CA, host mismatch,
# client certificate required but missing, and a server that only speaks
# TLS 1.2 when we insist on 1.3 (protocol_version). Also the CLIENT_RANDOM
# key log line.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
. tests/interop/tlslib
s_server_version=-tls1_2
tls_setup tls12-openssl

for kx in ecdhe rsa; do
	case $kx in
	ecdhe) cipher=ECDHE-RSA-AES128-GCM-SHA256 suite=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 ;;
	rsa) cipher=AES128-GCM-SHA256 suite=TLS_RSA_WITH_AES_128_GCM_SHA256 ;;
	esac
	# ---- our client -> openssl s_server ----
	s_server -cert srv.pem -key srv.key -cipher "$cipher"
	out=$(timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
	    --server-name localhost --kx $kx --send "hello openssl" --send abc 2>err)
	rc=$?
	if [ $rc -eq 0 ] && [ "$out" = "$(printf 'lssnepo olleh\ncba')" ] &&
	    grep -q "connected: TLS 1.2, $suite" err; then
		ok "$kx: our client -> s_server: data both ways"
	else
		fail "$kx: our client -> s_server: exit $rc, got '$out'"; cat err
	fi
	stop

	s_server -cert srv.pem -key srv.key -cipher "$cipher" -Verify 1
	rm -f keys.log
	SSLKEYLOGFILE=$w/keys.log timeout 20 "$M" client connect alice \
	    tcp:127.0.0.1:$port --ca root.pem --tls 1.2 --kx $kx --send ping >out 2>err
	rc=$?
	if [ $rc -eq 0 ] && grep -qx gnip out && grep -q "CN = alice" oss.out; then
		ok "$kx: our client (certificate alice) -> s_server -Verify 1"
	else
		fail "$kx: mutual auth against s_server: exit $rc"; cat err oss.out | head -20
	fi
	grep -qE '^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$' keys.log &&
	    ok "$kx: SSLKEYLOGFILE CLIENT_RANDOM line" ||
	    { fail "$kx: no CLIENT_RANDOM line"; cat keys.log; }
	stop

	s_server -cert srv.pem -key srv.key -cipher "$cipher" -Verify 1
	timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem --kx $kx \
	    --send ping >out 2>err
	rc=$?
	if [ $rc -eq 1 ] && grep -q "handshake_failure" err; then
		ok "$kx: s_server requires a client certificate: refused (exit 1)"
	else
		fail "$kx: missing client certificate: exit $rc"; cat err
	fi
	stop

	s_server -cert other.pem -key other.key -cipher "$cipher"
	timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
	    --server-name localhost --kx $kx --send x >out 2>err
	rc=$?
	if [ $rc -eq 1 ] && grep -q "server certificate verify failed" err &&
	    wait_for oss.out "alert unknown ca"; then
		ok "$kx: server from an unknown CA: refused, s_server told unknown_ca"
	else
		fail "$kx: unknown CA: exit $rc"; cat err oss.out | head
	fi
	stop

	# ---- openssl s_client -> our server ----
	our_server srv --tls 1.2 --kx $kx
	out=$(printf 'WHOAMI\nECHO from openssl\nQUIT\n' | timeout 20 openssl s_client \
	    -tls1_2 -cipher "$cipher" -connect 127.0.0.1:$oport -CAfile root.pem \
	    -verify_return_error -servername localhost -verify_hostname localhost \
	    -quiet 2>err)
	rc=$?
	if [ $rc -eq 0 ] && [ "$out" = "$(printf 'anonymous\nfrom openssl\nBYE')" ] &&
	    grep -q "TLS 1.2 handshake done ($suite)" srv.err; then
		ok "$kx: s_client -> our server: data both ways"
	else
		fail "$kx: s_client -> our server: exit $rc, got '$out'"; cat err srv.err
	fi
	printf 'WHOAMI\n' | timeout 20 openssl s_client -tls1_2 -cipher "$cipher" \
	    -connect 127.0.0.1:$oport -CAfile other.pem -verify_return_error \
	    -quiet >out 2>err
	rc=$?
	wait_for srv.err "peer sent alert unknown_ca"
	if [ $rc -ne 0 ] && grep -q "peer sent alert unknown_ca" srv.err; then
		ok "$kx: s_client with another CA refuses us; server says unknown_ca"
	else
		fail "$kx: s_client with another CA: exit $rc"; cat err srv.err
	fi
	stop

	our_server srv --tls 1.2 --kx $kx --ca root.pem --client-auth require
	out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client -tls1_2 \
	    -cipher "$cipher" -connect 127.0.0.1:$oport -CAfile root.pem \
	    -verify_return_error -cert alice.pem -key alice.key -quiet 2>err)
	[ "$out" = "$(printf 'CN=alice\nBYE')" ] &&
	    ok "$kx: s_client with certificate -> our server (require): CN=alice" ||
	    { fail "$kx: s_client with certificate: got '$out'"; cat err srv.err; }
	printf 'WHOAMI\n' | timeout 20 openssl s_client -tls1_2 -cipher "$cipher" \
	    -connect 127.0.0.1:$oport -CAfile root.pem -quiet >out 2>err
	wait_for srv.err "client sent no certificate"
	if grep -q "handshake failure" err &&
	    grep -q "client sent no certificate" srv.err; then
		ok "$kx: s_client without certificate -> our server (require): refused"
	else
		fail "$kx: s_client without certificate"; cat err srv.err
	fi
	out=$(timeout 20 "$M" client connect alice tcp:127.0.0.1:$oport \
	    --ca root.pem --kx $kx --send WHOAMI 2>err)
	[ "$out" = "CN=alice" ] && grep -q "connected: TLS 1.2, $suite" err &&
	    ok "$kx: our client -> our server (require): CN=alice" ||
	    { fail "$kx: our client -> our server: '$out'"; cat err; }
	stop
done

# host mismatch over 1.2
s_server -cert srv.pem -key srv.key
timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem --tls 1.2 \
    --server-name www.example.org --send x >out 2>err
rc=$?
[ $rc -eq 1 ] && grep -q "matches no dNSName" err && ok "1.2 host mismatch: refused" ||
    { fail "1.2 host mismatch: exit $rc"; cat err; }
stop

# a TLS 1.2-only server when we insist on TLS 1.3
s_server -cert srv.pem -key srv.key
timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem --tls 1.3 \
    --send x >out 2>err
rc=$?
if [ $rc -eq 1 ] && grep -q "peer sent alert protocol_version" err &&
    wait_for oss.out "unsupported protocol"; then
	ok "1.3-only client against a 1.2-only s_server: protocol_version"
else
	fail "1.3-only vs 1.2-only: exit $rc"; cat err oss.out | head
fi
stop
# and the other way: a 1.2-only s_client against our 1.3-only server
our_server srv --tls 1.3
printf 'WHOAMI\n' | timeout 20 openssl s_client -tls1_2 -connect 127.0.0.1:$oport \
    -CAfile root.pem -quiet >out 2>err
rc=$?
wait_for srv.err "this server speaks TLS 1.3"
if [ $rc -ne 0 ] && grep -q "protocol version" err &&
    grep -q "this server speaks TLS 1.3" srv.err; then
	ok "1.2-only s_client against our 1.3-only server: protocol_version"
else
	fail "s_client 1.2 vs 1.3-only server: exit $rc"; cat err srv.err
fi
stop

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "tls12-openssl: all passed"
