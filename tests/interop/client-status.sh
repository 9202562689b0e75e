#!/bin/sh
# client-status.sh — `client status` against OpenSSL's OCSP responder
# (`openssl ocsp -index`, an independent implementation): good, then
# revoked with its reason and date once the index says so, unknown for a
# serial it does not list; a response signed by another key and a
# responder that is not OCSP are refused with exit 3 and their reason.
# Skipped without openssl.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
. tests/interop/testlib
test_setup client-status pass

osl() { openssl "$@" >>osl.log 2>&1 || { fail "openssl $*"; tail -5 osl.log; }; }
osl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
    -subj /CN=OCSP-Test-CA -days 30 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign
osl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem \
    -subj /CN=OCSP-Test-CA -days 30 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign
osl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj /CN=leaf
osl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -set_serial 0x1234 \
    -out leaf.pem -days 10
osl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -set_serial 0x99 \
    -out stranger.pem -days 10
subj="/CN=leaf"
exp=$(date -u -d '+10 days' +%y%m%d%H%M%SZ)

# responder ROOT KEY: OpenSSL's responder on a port of its choosing for
# one request; $port gets the port.
responder() {
	rm -f ocsp.out
	timeout 30 openssl ocsp -port 0 -index index.txt -rsigner "$1" \
	    -rkey "$2" -CA ca.pem -nrequest 1 >ocsp.out 2>&1 &
	pids="$pids $!"
	i=0
	while ! grep -q '^ACCEPT' ocsp.out 2>/dev/null && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	port=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\) .*/\1/p' ocsp.out)
	[ -n "$port" ] || { fail "openssl ocsp did not start"; cat ocsp.out; }
}

# status WANT_RC WANT_LAST_LINE [ARGS...]: client status leaf.pem
status() {
	want=$1 line=$2
	shift 2
	timeout 30 "$M" client status leaf.pem --ca "http://127.0.0.1:$port" \
	    "$@" >out 2>err
	rc=$?
	if [ $rc -eq "$want" ] && [ "$(tail -n 1 out)" = "$line" ]; then
		ok "client status $*: $line"
	else
		fail "client status $*: exit $rc (want $want), '$(tail -n 1 out)' (want '$line')"
		sed 's/^/    | /' out err
	fi
}

printf 'V\t%s\t\t1234\tunknown\t%s\n' "$exp" "$subj" >index.txt
responder ca.pem ca.key
status 0 "leaf.pem: good" --anchor ca.pem
grep -q '^  ok    signature: sha256WithRSAEncryption signature is good$' out &&
    grep -q '^  ok    nonce: equal to the nonce sent$' out &&
    ok "the steps show the signature and the nonce checked" ||
    { fail "steps"; cat out; }

# One instant, written twice: two `date -d '-1 hour'` calls can fall in
# different seconds.
revs=$(( $(date -u +%s) - 3600 ))
rev=$(date -u -d "@$revs" +%y%m%d%H%M%SZ)
revtext=$(date -u -d "@$revs" '+%Y-%m-%d %H:%M:%S UTC')
printf 'R\t%s\t%s,keyCompromise\t1234\tunknown\t%s\n' "$exp" "$rev" "$subj" >index.txt
responder ca.pem ca.key
status 1 "leaf.pem: revoked (keyCompromise) on $revtext" --issuer ca.pem

printf 'V\t%s\t\t99\tunknown\t%s\n' "$exp" "$subj" >index.txt
responder ca.pem ca.key
status 1 "leaf.pem: unknown" --anchor ca.pem

# signed by a key that is not the issuer's (same name)
printf 'V\t%s\t\t1234\tunknown\t%s\n' "$exp" "$subj" >index.txt
responder other.pem other.key
status 3 "leaf.pem: NO USABLE RESPONSE: signature: RSA PKCS#1 v1.5 sha256 signature does not verify" --anchor ca.pem

# not an OCSP responder at all: python's file server, if there is one
if command -v python3 >/dev/null 2>&1; then
	mkdir www && printf 'hello\n' >www/ocsp
	http_server www
	status 3 "leaf.pem: NO USABLE RESPONSE: the OCSP responder answered: 501 Not Implemented" --anchor ca.pem
fi

timeout 10 "$M" client status leaf.pem --ca http://127.0.0.1:1 >out 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "missing --issuer FILE or --anchor FILE" err &&
    ok "no issuer: usage error" || { fail "no issuer: exit $rc"; cat err; }

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "client-status: all passed"
