#!/bin/sh
# ca-serve-bad.sh — `ca serve` answers bad input with its exact status and
# reason, and goes on serving after each: a wrong method or Content-Type,
# base64 garbage, a request whose signature fails (proof of possession), a
# 1024-bit key, a reused and an expired token, a request without a token
# (queued: 202), an OCSP request about another CA, a request line of
# 100 KB, 10,000 headers, a body that never finishes; EST over plain HTTP.
set -u
. tests/interop/caservelib
caserve_setup ca-serve-bad

serve_start --timeout 2

# still: the service answers a good request after a bad one.
still() {
	c=$(curl -s -o still.pem -w '%{http_code}' "http://127.0.0.1:$hport/ca.pem")
	[ "$c" = 200 ] && cmp -s still.pem ca.pem || fail "not serving after $1 ($c)"
}

csr carol 2048
tok=$("$M" ca token new 2>/dev/null)

est simpleenroll -u "carol:$tok" -H 'Content-Type: text/plain' \
    --data-binary @carol.b64
expect 415 "Content-Type must be application/pkcs10 (base64 PKCS#10), not text/plain" \
    "wrong content type"
still "a wrong content type"

printf 'MIIB$$$not base64' >garbage
est simpleenroll -u "carol:$tok" -H 'Content-Type: application/pkcs10' \
    --data-binary @garbage
expect 400 "request body is not base64: offset 4: invalid base64 character 0x24" \
    "base64 garbage"
still "base64 garbage"

# The signature's last byte changed: proof of possession fails.
n=$(wc -c <carol.der)
head -c $((n - 1)) carol.der >bad.der
tail -c 1 carol.der | tr '\000-\377' '\001-\377\000' >>bad.der
base64 bad.der >bad.b64
est simpleenroll -u "carol:$tok" -H 'Content-Type: application/pkcs10' \
    --data-binary @bad.b64
expect 400 "request signature does not verify" "a broken request signature"
still "a broken signature"

csr small 1024
est simpleenroll -u "small:$tok" -H 'Content-Type: application/pkcs10' \
    --data-binary @small.b64
expect 400 "request key is 1024 bits: at least 2048 required" "a 1024-bit key"
still "a 1024-bit key"

# The token is still unspent after those refusals: carol enrolls, then a
# second use is refused.
est simpleenroll -u "carol:$tok" -H 'Content-Type: application/pkcs10' \
    --data-binary @carol.b64
[ "$code" = 200 ] && ok "the token was not spent by refused requests" ||
    fail "carol with a fresh token: $code $(cat body)"
csr dave 2048
est simpleenroll -u "dave:$tok" -H 'Content-Type: application/pkcs10' \
    --data-binary @dave.b64
id=$(grep -o 'token [0-9a-f]*' body | sed 's/token //')
expect 401 "token $id has been used (1 of 1 uses)" "a reused token"
curl -s -D hdr -o /dev/null --cacert ca.pem -u "dave:$tok" \
    -H 'Content-Type: application/pkcs10' --data-binary @dave.b64 \
    "https://127.0.0.1:$tport/.well-known/est/simpleenroll"
grep -qi '^WWW-Authenticate: Basic realm="minipki-tui CA"' hdr &&
    ok "401 with WWW-Authenticate" || fail "no WWW-Authenticate on 401"
still "a reused token"

old=$("$M" ca token new --ttl 1 2>/dev/null)
sleep 2
est simpleenroll -u "dave:$old" -H 'Content-Type: application/pkcs10' \
    --data-binary @dave.b64
id=$(grep -o 'token [0-9a-f]*' body | sed 's/token //')
[ "$code" = 401 ] && grep -q "^token $id expired at 20[0-9-]*T[0-9:]*Z\$" body &&
    ok "an expired token: 401 $(cat body)" || fail "expired token: $code $(cat body)"

# No token: the approval queue (202, Retry-After), the same again.
curl -s -D hdr -o body --cacert ca.pem -H 'Content-Type: application/pkcs10' \
    --data-binary @dave.b64 "https://127.0.0.1:$tport/.well-known/est/simpleenroll"
grep -q '^HTTP/1.1 202' hdr && grep -qi '^Retry-After: 60' hdr &&
    grep -q '^request [0-9a-f]\{8\} is waiting for the CA operator (no token)$' body &&
    ok "no token: 202 Retry-After 60, $(cat body)" ||
    { fail "no token"; cat hdr body; }

# The operator approves it while the service runs (`ca approve` needs no
# CA lock); the requester's next poll gets the certificate, issued once.
qid=$(sed -n 's/^request \([0-9a-f]\{8\}\) is waiting.*/\1/p' body)
"$M" ca approve "$qid" >approve.out 2>&1 || { fail "ca approve $qid"; cat approve.out; }
n0=$("$M" ca list --format csv 2>/dev/null | wc -l)
for i in 1 2; do
	curl -s -D hdr -o body --cacert ca.pem -H 'Content-Type: application/pkcs10' \
	    --data-binary @dave.b64 "https://127.0.0.1:$tport/.well-known/est/simpleenroll"
	grep -q '^HTTP/1.1 200' hdr || { fail "poll $i after approval"; cat hdr body; }
	base64 -d body | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
	    openssl x509 -noout -serial >poll.$i 2>/dev/null
done
n1=$("$M" ca list --format csv 2>/dev/null | wc -l)
[ -s poll.1 ] && cmp -s poll.1 poll.2 && [ $((n1 - n0)) -eq 1 ] &&
    ok "approved while serving: the next polls get one certificate ($(cat poll.1))" ||
    fail "approved while serving: polls $(cat poll.1 poll.2 2>/dev/null), $((n1 - n0)) new in the database"

# Wrong method, unknown path, EST over plain HTTP.
curl -s -D hdr -o body "http://127.0.0.1:$hport/crl" -X POST \
    -H 'Content-Type: text/plain' --data x
grep -q '^HTTP/1.1 405' hdr && grep -qi '^Allow: GET, HEAD' hdr &&
    [ "$(cat body)" = "POST /crl: use GET, HEAD" ] && ok "405 with Allow" ||
    { fail "POST /crl"; cat hdr body; }
plain nothing
expect 404 "no such resource: /nothing (see the ca serve section of minipki(1))" \
    "an unknown path"
plain .well-known/est/cacerts
expect 403 "EST is served over TLS only: use an HTTPS listener" "EST over plain HTTP"
plain ocsp -H 'Content-Type: application/json' --data-binary @dave.der
expect 415 "Content-Type must be application/ocsp-request, not application/json" \
    "OCSP with a wrong content type"
plain 'ocsp/MEk$$$'
expect 400 "OCSP path is not base64: offset 3: invalid base64 character 0x24" \
    "an OCSP path of garbage"
still "OCSP garbage"

# OCSP about another CA's certificate: unauthorized.
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem \
    -days 30 -subj "/CN=Other Root" 2>/dev/null
openssl ocsp -issuer other.pem -cert other.pem \
    -url "http://127.0.0.1:$hport/ocsp" >ocsp.out 2>&1
grep -q 'Responder Error: unauthorized (6)' ocsp.out &&
    ok "OCSP about another CA: unauthorized" || { fail "OCSP other CA"; cat ocsp.out; }
still "OCSP about another CA"

# Sizes: a request line of 100 KB, 10,000 headers.
long=$(head -c 100000 /dev/zero | tr '\000' a)
plain "$long"
expect 414 "414 URI Too Long" "a request line of 100 KB"
still "a long request line"
i=0
: >many
while [ $i -lt 10000 ]; do echo "header = \"X-H$i: v\""; i=$((i + 1)); done >many
plain ca.pem -K many
expect 431 "431 Request Header Fields Too Large" "10,000 headers"
still "10,000 headers"

# A body that never finishes: 408 after --timeout 2.
code=$(curl -s -o body -w '%{http_code}' -H 'Content-Length: 1000' \
    -H 'Content-Type: application/ocsp-request' --data-binary 'short' \
    "http://127.0.0.1:$hport/ocsp")
expect 408 "408 Request Timeout" "a body that never finishes"
still "a body that never finishes"

grep "$tok" serve.err serve.out >/dev/null && fail "a token is in the log"
grep -q '^127\.0\.0\.1:[0-9]* - POST /\.well-known/est/simpleenroll 400 [0-9]* [0-9]*ms: request key is 1024 bits: at least 2048 required$' serve.err &&
    ok "a refusal's log line gives its reason" ||
    { fail "no log line for the 1024-bit refusal"; grep 400 serve.err; }
grep -q 'POST /ocsp 200 [0-9]* [0-9]*ms: OCSP unauthorized: ' serve.err &&
    ok "an OCSP refusal is logged with its reason" ||
    { fail "no log line for OCSP unauthorized"; grep ocsp serve.err; }
kill -TERM "$spid"
wait "$spid" || fail "exit status after SIGTERM"
[ "$fails" -eq 0 ]
