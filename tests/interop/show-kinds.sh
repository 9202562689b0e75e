#!/bin/sh
# show-kinds.sh — `show` of OpenSSL's TRUSTED CERTIFICATE (x509 -trustout):
# the certificate, then its trust settings; the same file with broken
# settings is bad data (exit 3) with the exact message. Before x509/kind.h
# `show` said "no certificate, request, CRL or key in it".
set -u
. tests/interop/testlib
test_setup show-kinds show-kinds-pass
d=$top/tests/data

run "$M" show "$d/leaf-trusted.pem"
grep -q "^    Subject: C=DE, O=Mini PKI Test, OU=Unit Tests, CN=leaf.example" out &&
    grep -q "^SHA-256 fingerprint: 34:E4:A4:ED" out &&
    [ "$(tail -n 4 out)" = "OpenSSL trust settings (TRUSTED CERTIFICATE):
    Trusted uses: serverAuth, clientAuth
    Rejected uses: emailProtection
    Alias: lab leaf" ] && ok "certificate and trust settings shown" ||
    { fail "show leaf-trusted.pem"; cat out; }

run "$M" show "$d/root-trusted-bare.pem"
[ "$(tail -n 2 out)" = "OpenSSL trust settings (TRUSTED CERTIFICATE):
    none" ] && grep -q "CN=Test Root CA" out &&
    ok "without settings" || { fail "show root-trusted-bare.pem"; cat out; }

# The leaf's DER, then an OCTET STRING where the settings' SEQUENCE goes.
{
	echo "-----BEGIN TRUSTED CERTIFICATE-----"
	{ cat "$d/leaf.der"; printf '\004\000'; } | base64
	echo "-----END TRUSTED CERTIFICATE-----"
} >bad.pem
"$M" show bad.pem >out 2>err; rc=$?
[ $rc -eq 3 ] && [ "$(cat err)" = "minipki-tui: bad.pem: line 1: TRUSTED CERTIFICATE: offset 0x443: expected SEQUENCE (trust settings), found 0x04" ] &&
    ok "broken trust settings refused" || { fail "bad.pem: exit $rc"; cat err; }
exit $((fails > 0))
