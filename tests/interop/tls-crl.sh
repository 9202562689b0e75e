#!/bin/sh
# tls-crl.sh — revocation in the TLS handshake, with OpenSSL as the peer:
# a revoked client certificate refused by our server (--crl) for our client
# and for s_client; a revoked server certificate refused by our client
# (--crl) against s_server, and by s_client -crl_check against our server;
# certificates that are not revoked still pass with the CRL in place.
# The CRL is the CA's own (`ca revoke`, `ca crl`).
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
. tests/interop/tlslib
tls_setup tls-crl alice bob

serial() { "$M" ca list --format csv | grep "CN=$1" | cut -d, -f1; }

# alice is revoked; bob is not
quiet "$M" ca revoke "$(serial alice)" --reason keyCompromise
quiet "$M" ca crl --out crl.pem
[ -s crl.pem ] || { fail "no CRL"; exit 1; }

for v in 1.3 1.2; do
	our_server srv --ca root.pem --client-auth require --crl crl.pem --tls $v
	timeout 20 "$M" client connect alice tcp:127.0.0.1:$oport --ca root.pem \
	    --server-name localhost --send WHOAMI >out 2>err
	rc=$?
	wait_for srv.err "revoked (keyCompromise)"
	if [ $rc -eq 1 ] && grep -q "peer sent alert certificate_revoked" err &&
	    grep -q "revoked (keyCompromise)" srv.err; then
		ok "TLS $v: revoked client certificate refused by our server"
	else
		fail "TLS $v: revoked alice: exit $rc"; cat err srv.err
	fi
	out=$(timeout 20 "$M" client connect bob tcp:127.0.0.1:$oport --ca root.pem \
	    --server-name localhost --send WHOAMI 2>err)
	[ "$out" = "CN=bob" ] && ok "TLS $v: bob (not revoked) passes the CRL check" ||
	    { fail "TLS $v: bob: '$out'"; cat err srv.err; }
	printf 'WHOAMI\n' | timeout 20 openssl s_client -tls${v%.*}_${v#*.} \
	    -connect 127.0.0.1:$oport -CAfile root.pem -cert alice.pem \
	    -key alice.key -quiet >out 2>err
	if grep -q "certificate revoked" err; then
		ok "TLS $v: s_client with the revoked certificate gets certificate_revoked"
	else
		fail "TLS $v: s_client revoked"; cat out err
	fi
	stop
done

# the server's certificate revoked
quiet "$M" ca revoke "$(serial localhost)" --reason superseded
quiet "$M" ca crl --out crl2.pem
s_server -cert srv.pem -key srv.key
timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --crl crl2.pem --send x >out 2>err
rc=$?
if [ $rc -eq 1 ] && grep -q "revoked (superseded)" err &&
    wait_for oss.out "alert certificate revoked"; then
	ok "our client (--crl) refuses a revoked server; s_server told"
else
	fail "revoked server vs our client: exit $rc"; cat err oss.out | head
fi
stop
our_server srv
printf 'WHOAMI\n' | timeout 20 openssl s_client -connect 127.0.0.1:$oport \
    -CAfile root.pem -CRL crl2.pem -crl_check -verify_return_error \
    -quiet >out 2>err
rc=$?
wait_for srv.err "peer sent alert certificate_revoked"
if [ $rc -ne 0 ] && grep -q "certificate revoked" err &&
    grep -q "peer sent alert certificate_revoked" srv.err; then
	ok "s_client -crl_check refuses our revoked server; our server hears why"
else
	fail "s_client -crl_check vs our server: exit $rc"; cat err srv.err
fi
stop

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "tls-crl: all passed"
