#!/bin/sh
# ca-serve-pool.sh — `ca serve` signs its enrollment batches on signer
# threads started once and kept for the service's life (role/signpool.h):
# no thread before the first batch; after it, one per CPU beside the loop's;
# three batches of 6 enrollments (held behind the CA lock so that each
# arrives as one batch) run on the very same threads (the same thread ids
# in /proc); every certificate verifies (openssl) with a distinct serial;
# SIGTERM stops the service cleanly ("stopped", exit 0), joining them.
set -u
. tests/interop/caservelib
command -v flock >/dev/null 2>&1 || { echo "flock not installed"; exit 77; }
[ "$(nproc)" -ge 2 ] || { echo "one CPU: no signer pool to test"; exit 77; }
caserve_setup ca-serve-pool
N=6
ROUNDS=3
want=$(($(nproc) > 64 ? 64 : $(nproc)))

serve_start
pid=$(pgrep -P "$spid" | head -n 1)
[ -n "$pid" ] || { fail "no ca serve process under $spid"; exit 1; }
tok=$("$M" ca token new --uses $((N * ROUNDS)) 2>/dev/null)
tids() { ls /proc/"$pid"/task | sort -n | tr '\n' ' '; }
before=$(tids)
[ "$before" = "$pid " ] && ok "no signer thread before the first batch" ||
    fail "threads before any batch: $before"

lock=$MINIPKI_DIR/ca/ca/lock
: >serials
r=1
while [ $r -le $ROUNDS ]; do
	k=1
	while [ $k -le $N ]; do csr "b$r-$k" 2048; k=$((k + 1)); done
	# The CA lock held by another process until the file "hold" goes:
	# the requests wait for it on the loop and go as one batch.
	hold_lock "$lock"
	k=1
	cp=
	while [ $k -le $N ]; do
		n=b$r-$k
		curl -s -o "$n.body" -w '%{http_code}' --cacert ca.pem \
		    --trace-ascii "$n.trace" -H 'Content-Type: application/pkcs10' \
		    -u "$n:$tok" --data-binary @"$n.b64" \
		    "https://127.0.0.1:$tport/.well-known/est/simpleenroll" >"$n.code" &
		cp="$cp $!"
		k=$((k + 1))
	done
	k=1
	i=0
	while [ $k -le $N ]; do
		while ! grep -q '^=> Send data' "b$r-$k.trace" 2>/dev/null; do
			i=$((i + 1))
			[ $i -gt 1500 ] && { fail "b$r-$k: the request did not go out"; break; }
			sleep 0.02
		done
		k=$((k + 1))
	done
	rm -f hold
	for p in $cp; do wait "$p"; done
	good=0
	k=1
	while [ $k -le $N ]; do
		n=b$r-$k
		if [ "$(cat "$n.code")" = 200 ] && base64 -d "$n.body" |
		    openssl pkcs7 -inform DER -print_certs 2>/dev/null |
		    openssl x509 -out "$n.pem" 2>/dev/null &&
		    openssl verify -CAfile ca.pem "$n.pem" >/dev/null 2>&1; then
			openssl x509 -in "$n.pem" -noout -serial >>serials
			good=$((good + 1))
		else
			fail "$n: $(cat "$n.code") $(head -c 200 "$n.body")"
		fi
		k=$((k + 1))
	done
	[ $good -eq $N ] &&
	    ok "batch $r: $N enrollments answered, each verified by openssl"
	now=$(tids)
	if [ $r -eq 1 ]; then
		first=$now
		[ $(($(echo "$now" | wc -w) - 1)) -eq "$want" ] &&
		    ok "after the first batch: $want signer threads beside the loop" ||
		    fail "after the first batch: threads $now, want $want signers"
	else
		[ "$now" = "$first" ] && ok "batch $r: the same threads ($now)" ||
		    fail "batch $r: threads $now, after batch 1 they were $first"
	fi
	r=$((r + 1))
done
[ "$(sort -u serials | wc -l)" -eq $((N * ROUNDS)) ] &&
    ok "$((N * ROUNDS)) distinct serials" || fail "serials not unique"

# Stopped: the loop joins the signers and says so.
kill -TERM "$pid"
wait "$spid"
rc=$?
[ $rc -eq 0 ] && grep -q '^stopped$' serve.err &&
    ok "SIGTERM: ca serve stopped, exit 0" ||
    fail "SIGTERM: exit $rc, $(tail -n 2 serve.err)"
run "$M" ca check
[ "$fails" -eq 0 ]
