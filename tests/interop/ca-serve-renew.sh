#!/bin/sh
# ca-serve-renew.sh — renewals (simplereenroll) that arrive together go
# through the batch with the enrollments: while another process holds the
# CA lock, 6 renewals and 2 enrollments sent at once wait for it on the
# loop (a renewal got 503 at once before), and when it comes free they
# are issued under one lock with one fdatasync of the batch journal
# (store/journal.h: strace of the service, at most two batches' worth, 2;
# one renewal at a time synced 4 times each before it); each renewed
# certificate keeps its subject, certifies the new key and verifies
# (openssl), each old one is superseded, `ca check` passes.
set -u
. tests/interop/caservelib
command -v strace >/dev/null 2>&1 || { echo "strace not installed"; exit 77; }
command -v flock >/dev/null 2>&1 || { echo "flock not installed"; exit 77; }
caserve_setup ca-serve-renew
N=6

serve_start
pid=$(pgrep -P "$spid" | head -n 1)
[ -n "$pid" ] || { fail "no ca serve process under $spid"; exit 1; }
tok=$("$M" ca token new --uses 20 2>/dev/null)

# certs FILE: the certificate of an EST answer (body) in FILE.
certs() {
	base64 -d body | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
	    openssl x509 >"$1" 2>/dev/null
}

# N certificates to renew, then a new key and request for each.
k=1
while [ $k -le $N ]; do
	csr "r$k" 2048
	est simpleenroll -u "r$k:$tok" -H 'Content-Type: application/pkcs10' \
	    --data-binary @"r$k.b64"
	[ "$code" = 200 ] && certs "r$k.pem" || fail "r$k's enrollment: $code $(cat body)"
	mv "r$k.key" "r$k-old.key"
	csr "r$k" 2048
	k=$((k + 1))
done
csr e1 2048
csr e2 2048

# The CA lock held by another process until the file "hold" goes.
lock=$MINIPKI_DIR/ca/ca/lock
hold_lock "$lock"

strace -f -p "$pid" -e trace=fdatasync,fsync -o trace.txt 2>strace.err &
tpid=$!
pids="$pids $tpid"
i=0
while ! grep -q 'attached' strace.err 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 300 ] || ! kill -0 "$tpid" 2>/dev/null; then
		echo "strace cannot attach to the service: $(cat strace.err)"
		exit 77
	fi
	sleep 0.05
done

# All at once, each traced so that we know its request has gone out.
# send NAME CURLARGS...: one request in the background.
send() {
	n=$1
	shift
	curl -s -o "$n.body" -w '%{http_code}' --cacert ca.pem \
	    --trace-ascii "$n.trace" -H 'Content-Type: application/pkcs10' \
	    "$@" >"$n.code" &
	eval "p_$n=\$!"
}
k=1
while [ $k -le $N ]; do
	send "r$k" --cert "r$k.pem" --key "r$k-old.key" --data-binary @"r$k.b64" \
	    "https://127.0.0.1:$tport/.well-known/est/simplereenroll"
	k=$((k + 1))
done
for e in e1 e2; do
	send "$e" -u "$e:$tok" --data-binary @"$e.b64" \
	    "https://127.0.0.1:$tport/.well-known/est/simpleenroll"
done
all="$(k=1; while [ $k -le $N ]; do printf 'r%d ' $k; k=$((k + 1)); done)e1 e2"
i=0
for n in $all; do
	while ! grep -q '^=> Send data' "$n.trace" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 600 ] && { fail "$n: the request did not go out"; break; }
		sleep 0.02
	done
done
rm -f hold
for n in $all; do eval "wait \$p_$n"; done
kill -INT "$tpid"
wait "$tpid" 2>/dev/null

k=1
good=0
while [ $k -le $N ]; do
	c=$(cat "r$k.code")
	cp "r$k.body" body
	if [ "$c" = 200 ] && certs "r$k-new.pem" &&
	    openssl verify -CAfile ca.pem "r$k-new.pem" >/dev/null 2>&1 &&
	    [ "$(openssl x509 -in "r$k-new.pem" -noout -pubkey)" = \
	      "$(openssl pkey -in "r$k.key" -pubout)" ] &&
	    [ "$(openssl x509 -in "r$k-new.pem" -noout -subject)" = \
	      "$(openssl x509 -in "r$k.pem" -noout -subject)" ]; then
		good=$((good + 1))
	else
		fail "renewal r$k: $c $(head -c 200 "r$k.body")"
	fi
	k=$((k + 1))
done
[ "$good" = $N ] && ok "$N renewals that waited for the lock: the same subject, the new key, verified"
[ "$(cat e1.code)" = 200 ] && [ "$(cat e2.code)" = 200 ] &&
    ok "2 enrollments in the same wait: 200" ||
    fail "enrollments: $(cat e1.code) $(cat e2.code)"
syncs=$(grep -c 'sync(' trace.txt)
if [ "$syncs" -ge 1 ] && [ "$syncs" -le 2 ]; then
	ok "$((N + 2)) issuances that arrived together: $syncs fdatasync/fsync calls"
else
	fail "$((N + 2)) issuances that arrived together: $syncs fdatasync/fsync calls (want 1 to 2: one journal record a batch)"
	cat trace.txt
fi
n=$(grep -c 'simplereenroll 200.*renewed serial' serve.err)
[ "$n" = $N ] && ok "the log names $N renewals" || fail "the log names $n renewals"
"$M" ca list --status superseded >sup 2>&1
n=$(grep -c 'CN=r[0-9]' sup)
[ "$n" = $N ] && ok "ca list: the $N old certificates superseded" ||
    { fail "ca list --status superseded: $n of $N"; cat sup; }
run "$M" ca check
[ "$fails" -eq 0 ] || exit 1
echo "all ca-serve-renew checks passed"
