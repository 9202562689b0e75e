#!/bin/sh
# ca-serve-delta.sh — `ca serve` answers at URL/delta-crl, where the
# freshestCRL of the CA's complete CRLs points: the delta CRL of
# ca/NAME/delta-crl.pem while it is fresh and based on the current
# crl.pem, else 404.
. tests/interop/caservelib
caserve_setup ca-serve-delta
quiet "$M" ca set-url http://127.0.0.1:9000
quiet "$M" ca crl --out base.pem
serve_start
plain delta-crl
[ "$code" = 404 ] && [ "$(cat body)" = "no current delta CRL (\`ca crl --delta\` makes one)" ] &&
    ok "no delta yet: 404" || { fail "no delta: $code"; cat body; }
run "$M" ca crl --delta --der --out delta.der
plain delta-crl
[ "$code" = 200 ] && cmp -s body delta.der && ok "the delta is served" ||
    { fail "delta: $code, or not the delta written"; }
openssl crl -inform DER -in body -noout -text 2>&1 | grep -q "Delta CRL Indicator" ||
    fail "openssl does not read the served delta"
# A new complete CRL: the delta's base is gone, so is the delta.
run "$M" ca crl --out base2.pem
plain delta-crl
[ "$code" = 404 ] && ok "a delta on an old base: 404" || fail "stale base: $code"
[ "$fails" -eq 0 ] || exit 1
