#!/bin/sh
# ca-serve-est.sh — `ca serve` judged by curl and openssl: the CA chain
# from /cacerts over TCP and the Unix socket, an `openssl req` request
# enrolled with a token and verified by `openssl verify`, OCSP good then
# revoked (with its reason) after `ca revoke` while the service runs, the
# CRL verified by `openssl crl`, /ca.pem and /ca.cer, re-enrollment with
# the client certificate, and a clean stop on SIGTERM.
set -u
. tests/interop/caservelib
caserve_setup ca-serve-est

serve_start --listen unix:"$w/est.sock"
openssl x509 -in ca.pem -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' |
    tr 'A-F' 'a-f' >fp.want
if [ "$fpr" = "SHA256:$(cat fp.want)" ]; then ok "fingerprint $fpr"; else
	fail "fingerprint '$fpr', openssl says $(cat fp.want)"; fi
grep -q "^listening on unix:$w/est.sock\$" serve.out || fail "no unix listener line"

# /cacerts, both transports: the certificate openssl finds is ca.pem.
est cacerts
[ "$code" = 200 ] || fail "cacerts over TCP: $code"
base64 -d body | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
    openssl x509 >cacerts.pem 2>/dev/null
cmp -s cacerts.pem ca.pem && ok "cacerts over TCP is the CA certificate" ||
    fail "cacerts over TCP differs from ca.pem"
curl -s --unix-socket "$w/est.sock" --cacert ca.pem \
    https://localhost/.well-known/est/cacerts | base64 -d |
    openssl pkcs7 -inform DER -print_certs 2>/dev/null | openssl x509 >u.pem 2>/dev/null
cmp -s u.pem ca.pem && ok "cacerts over the Unix socket is the CA certificate" ||
    fail "cacerts over the Unix socket differs from ca.pem"

# Enrollment with a token.
tok=$("$M" ca token new 2>/dev/null)
[ ${#tok} -eq 40 ] || fail "token new printed '$tok'"
csr alice 2048
est simpleenroll -u "alice:$tok" -H 'Content-Type: application/pkcs10' \
    --data-binary @alice.b64
[ "$code" = 200 ] || fail "simpleenroll: $code $(cat body)"
base64 -d body | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
    openssl x509 >alice.pem 2>/dev/null || fail "no certificate in the answer"
run openssl verify -CAfile ca.pem alice.pem
openssl x509 -in alice.pem -noout -subject | grep -q 'CN *= *alice' ||
    fail "subject of alice.pem"
# The same key in the certificate as in the request.
[ "$(openssl x509 -in alice.pem -noout -pubkey)" = \
  "$(openssl pkey -in alice.key -pubout)" ] && ok "the key of the request" ||
    fail "the certificate holds another key"
serial=$(openssl x509 -in alice.pem -noout -serial | sed 's/.*=//')
"$M" ca list >list 2>&1
grep -qi "$serial" list && ok "serial $serial in the database" ||
    fail "serial $serial not in ca list"
grep "$tok" serve.err serve.out >/dev/null && fail "the token is in the log"
lserial=$(echo "$serial" | tr 'A-F' 'a-f' | sed 's/^0*//')
grep -q "^127\.0\.0\.1:[0-9]* - POST /\.well-known/est/simpleenroll 200 [0-9]* [0-9]*ms: issued serial 0*$lserial with token [0-9a-f]\{8\}\$" serve.err &&
    ok "the log line names the serial and the token's id" ||
    { fail "no log line for the issuance"; cat serve.err; }

# OCSP, POST over plain HTTP and over TLS, then GET: good.
ocsp() {
	openssl ocsp -issuer ca.pem -cert alice.pem -CAfile ca.pem "$@" \
	    >ocsp.out 2>&1
}
ocsp -url "http://127.0.0.1:$hport/ocsp"
grep -q 'Response verify OK' ocsp.out && grep -q 'alice.pem: good' ocsp.out &&
    ok "openssl ocsp: good" || { fail "openssl ocsp before revoke"; cat ocsp.out; }
ocsp -url "https://127.0.0.1:$tport/ocsp" -verify_other ca.pem
grep -q 'alice.pem: good' ocsp.out && ok "openssl ocsp over TLS: good" ||
    { fail "openssl ocsp over TLS"; cat ocsp.out; }
openssl ocsp -issuer ca.pem -cert alice.pem -no_nonce -reqout req.der >/dev/null 2>&1
g=$(base64 -w0 req.der | sed 's/+/%2B/g; s,/,%2F,g; s/=/%3D/g')
plain "ocsp/$g"
[ "$code" = 200 ] && openssl ocsp -respin body -issuer ca.pem -cert alice.pem \
    -CAfile ca.pem 2>&1 | grep -q 'alice.pem: good' &&
    ok "OCSP GET (percent-encoded base64): good" || fail "OCSP GET: $code"
# Without a nonce the signed answer is kept: the same bytes again.
cp body ocsp1.der
plain "ocsp/$g"
[ "$code" = 200 ] && cmp -s body ocsp1.der &&
    grep -q 'OCSP answer kept from' serve.err &&
    ok "OCSP: a request without a nonce gets the answer kept" ||
    fail "OCSP kept answer: $code, $(cmp body ocsp1.der 2>&1)"
# With one (openssl's default) never: each answer echoes its own nonce.
for i in 1 2; do
	ocsp -url "http://127.0.0.1:$hport/ocsp"
	grep -q 'alice.pem: good' ocsp.out && ! grep -qi 'nonce' ocsp.out ||
	    { fail "openssl ocsp with a nonce, $i"; cat ocsp.out; }
done

# Revoked while serving: the database lock is free.
run "$M" ca revoke "$serial" --reason keyCompromise
ocsp -url "http://127.0.0.1:$hport/ocsp"
grep -q 'alice.pem: revoked' ocsp.out && grep -q 'Reason: keyCompromise' ocsp.out &&
    grep -q 'Response verify OK' ocsp.out &&
    ok "openssl ocsp: revoked, keyCompromise" ||
    { fail "openssl ocsp after revoke"; cat ocsp.out; }
plain "ocsp/$g"
[ "$code" = 200 ] && openssl ocsp -respin body -issuer ca.pem -cert alice.pem \
    -CAfile ca.pem 2>&1 | grep -q 'alice.pem: revoked' &&
    ok "OCSP GET without a nonce after the revocation: revoked (nothing kept)" ||
    fail "OCSP GET after revoke: $code"

# The CRL, the CA certificate.
plain crl
[ "$code" = 200 ] || fail "crl: $code"
openssl crl -inform DER -in body -CAfile ca.pem -noout -text >crl.txt 2>&1
grep -q 'verify OK' crl.txt && grep -qi "$serial" crl.txt &&
    ok "CRL verifies and lists $serial" || { fail "CRL"; cat crl.txt; }
plain ca.pem
cmp -s body ca.pem && ok "/ca.pem" || fail "/ca.pem differs"
plain ca.cer
openssl x509 -inform DER -in body >cer.pem 2>/dev/null
cmp -s cer.pem ca.pem && ok "/ca.cer (DER)" || fail "/ca.cer"

# Re-enrollment: a new certificate for bob with bob's certificate as the
# TLS client certificate; the same subject, a new key.
tok=$("$M" ca token new 2>/dev/null)
csr bob 2048
est simpleenroll -u "bob:$tok" -H 'Content-Type: application/pkcs10' \
    --data-binary @bob.b64
base64 -d body | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
    openssl x509 >bob.pem 2>/dev/null || fail "bob's enrollment"
mv bob.key bob-old.key
csr bob 2048
est simplereenroll --cert bob.pem --key bob-old.key \
    -H 'Content-Type: application/pkcs10' --data-binary @bob.b64
[ "$code" = 200 ] || fail "simplereenroll: $code $(cat body)"
base64 -d body | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
    openssl x509 >bob2.pem 2>/dev/null
run openssl verify -CAfile ca.pem bob2.pem
[ "$(openssl x509 -in bob2.pem -noout -pubkey)" = \
  "$(openssl pkey -in bob.key -pubout)" ] &&
    [ "$(openssl x509 -in bob2.pem -noout -subject)" = \
      "$(openssl x509 -in bob.pem -noout -subject)" ] &&
    ok "re-enrolled: the same subject, the new key" || fail "bob2.pem"
est simplereenroll -H 'Content-Type: application/pkcs10' --data-binary @bob.b64
expect 403 "re-enrollment needs the current certificate as the TLS client certificate" \
    "simplereenroll without a client certificate"

# SIGTERM: a clean stop, the socket file gone, the database consistent.
kill -TERM "$spid"
wait "$spid"
st=$?
[ "$st" -eq 0 ] && ok "stopped by SIGTERM (exit 0)" || fail "exit status $st after SIGTERM"
[ -e "$w/est.sock" ] && fail "the socket file is left"
run "$M" ca check
[ "$fails" -eq 0 ]
