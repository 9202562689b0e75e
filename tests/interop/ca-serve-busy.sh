#!/bin/sh
# ca-serve-busy.sh — `ca serve` while another process holds the CA lock:
# an enrollment waits for it on the service's loop, not in a sleep, so the
# CA certificate (plain HTTP and EST cacerts over TLS) and OCSP are
# answered meanwhile, before the waiting enrollment's answer; after 2 s it
# is "503 the CA is busy: try again" with Retry-After: 1 and the token is
# unspent; an enrollment whose lock comes free within the wait gets its
# certificate (openssl verify); requests that arrive together are issued
# in one batch, every one in the database once; `ca check` passes. The
# same with the enrollment store's lock (enroll.lock, which `ca token new`
# or `ca approve` hold) taken instead: the loop does not sleep on it.
set -u
. tests/interop/caservelib
command -v flock >/dev/null 2>&1 || { echo "flock not installed"; exit 77; }
caserve_setup ca-serve-busy

serve_start
lock=$MINIPKI_DIR/ca/ca/lock
tok=$("$M" ca token new --uses 30 2>/dev/null)
csr erin 2048
csr fay 2048

# An enrollment, in the background, traced so that we know its request
# has gone out before asking anything else.
enroll_bg() {
	rm -f "$1.trace" "$1.code"
	curl -s -o "$1.body" -w '%{http_code}' -D "$1.hdr" --cacert ca.pem \
	    --trace-ascii "$1.trace" -u "$1:$tok" \
	    -H 'Content-Type: application/pkcs10' --data-binary @"$1.b64" \
	    "https://127.0.0.1:$tport/.well-known/est/simpleenroll" >"$1.code" &
	bg=$!
	i=0
	while ! grep -q '^=> Send data' "$1.trace" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 600 ] && { fail "$1: the request did not go out"; exit 1; }
		sleep 0.02
	done
}

hold_lock "$lock"
enroll_bg erin
# Meanwhile: answered at once, the enrollment still waiting.
plain ca.pem
[ "$code" = 200 ] && cmp -s body ca.pem && ok "ca.pem answered while the lock is held" ||
    fail "ca.pem while the lock is held: $code"
est cacerts
[ "$code" = 200 ] && ok "cacerts answered while the lock is held" ||
    fail "cacerts while the lock is held: $code"
openssl ocsp -issuer ca.pem -serial 0x1234 -no_nonce -reqout q.der >/dev/null 2>&1 ||
    fail "openssl ocsp -reqout"
plain ocsp -H 'Content-Type: application/ocsp-request' --data-binary @q.der
[ "$code" = 200 ] && ok "OCSP answered while the lock is held" ||
    fail "OCSP while the lock is held: $code"
wait "$bg"
code=$(cat erin.code)
cp erin.body body
expect 503 "the CA is busy: try again" "an enrollment that waited 2 s for the lock"
grep -qi '^Retry-After: 1' erin.hdr && ok "503 says Retry-After: 1" ||
    fail "no Retry-After: 1 in $(cat erin.hdr)"
# The log's order: the others were answered before the enrollment.
n_ca=$(grep -n 'GET /ca.pem 200' serve.err | head -n 1 | cut -d: -f1)
n_oc=$(grep -n 'POST /ocsp 200' serve.err | head -n 1 | cut -d: -f1)
n_en=$(grep -n 'simpleenroll 503' serve.err | head -n 1 | cut -d: -f1)
if [ -n "$n_ca" ] && [ -n "$n_oc" ] && [ -n "$n_en" ] &&
    [ "$n_ca" -lt "$n_en" ] && [ "$n_oc" -lt "$n_en" ]; then
	ok "the service answered others while the enrollment waited"
else
	fail "log order: ca.pem line ${n_ca:-none}, ocsp ${n_oc:-none}, enroll ${n_en:-none}"
	cat serve.err
fi
"$M" ca token list >tokens 2>&1
grep -q " 0/30 " tokens && ok "the token is unspent after the 503" ||
    fail "token after the 503: $(cat tokens)"

# The lock comes free while the enrollment waits: it is issued.
enroll_bg fay
rm -f hold
wait "$bg"
if [ "$(cat fay.code)" = 200 ] &&
    base64 -d fay.body | openssl pkcs7 -inform DER -print_certs -out fay.pem 2>/dev/null &&
    openssl verify -CAfile ca.pem fay.pem >/dev/null 2>&1; then
	ok "issued once the lock came free (openssl verify)"
else
	fail "fay after the lock came free: $(cat fay.code) $(head -c 200 fay.body)"
fi

# Twenty at once, one connection each: batched, each in the database once.
k=0
while [ $k -lt 20 ]; do
	curl -s -o /dev/null -w '%{http_code}\n' --cacert ca.pem -u "b$k:$tok" \
	    -H 'Content-Type: application/pkcs10' --data-binary @erin.b64 \
	    "https://127.0.0.1:$tport/.well-known/est/simpleenroll" >"c$k.code" &
	eval "b$k=\$!"
	k=$((k + 1))
done
k=0
while [ $k -lt 20 ]; do eval "wait \$b$k"; k=$((k + 1)); done
n=$(cat c*.code | grep -c '^200$')
[ "$n" = 20 ] && ok "20 concurrent enrollments answered 200" ||
    fail "$n of 20 concurrent enrollments answered 200"
got=$(grep -c 'issued serial' serve.err)
"$M" ca list >list 2>&1
inlist=$(grep -c 'CN=erin' list)
[ "$got" = 21 ] && [ "$inlist" = 20 ] && ok "each issued certificate is in the database" ||
    fail "issued $got (want 21), CN=erin in ca list: $inlist (want 20)"
run "$M" ca check

# The enrollment store's lock held by another process: the enrollment
# waits on the loop as for the CA lock, OCSP is answered meanwhile.
lock=$MINIPKI_DIR/ca/ca/enroll.lock
csr gus 2048
hold_lock "$lock"
enroll_bg gus
plain ocsp -H 'Content-Type: application/ocsp-request' --data-binary @q.der
[ "$code" = 200 ] && ok "OCSP answered while enroll.lock is held" ||
    fail "OCSP while enroll.lock is held: $code"
wait "$bg"
code=$(cat gus.code)
cp gus.body body
expect 503 "the CA is busy: try again" "an enrollment that waited 2 s for enroll.lock"
n_oc=$(grep -n 'POST /ocsp 200' serve.err | tail -n 1 | cut -d: -f1)
n_en=$(grep -n 'simpleenroll 503' serve.err | tail -n 1 | cut -d: -f1)
if [ -n "$n_oc" ] && [ -n "$n_en" ] && [ "$n_oc" -lt "$n_en" ]; then
	ok "the service answered OCSP while the enrollment waited for enroll.lock"
else
	fail "log order: ocsp ${n_oc:-none}, enroll ${n_en:-none}"
	cat serve.err
fi
enroll_bg gus
rm -f hold
wait "$bg"
[ "$(cat gus.code)" = 200 ] && ok "issued once enroll.lock came free" ||
    fail "gus after enroll.lock came free: $(cat gus.code) $(head -c 200 gus.body)"
run "$M" ca check

[ "$fails" -eq 0 ] || exit 1
echo "all ca-serve-busy checks passed"
