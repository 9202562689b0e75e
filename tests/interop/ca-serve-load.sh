#!/bin/sh
# ca-serve-load.sh — `ca serve` under load and killed: 200 enrollments at
# once from separate curl processes (half over loopback TCP, half over the
# Unix socket) with one token of 400 uses all succeed, twice, each
# certificate is in the database once, serials unique, the token spent
# exactly; the service's RSS after the second batch is within 4 MiB of
# after the first (which sets the high-water mark of 200 connections: a
# leak grows with requests, the heap of 200 connections at once does not
# go back to the system). Not checked under AddressSanitizer, whose
# quarantine keeps freed memory. Then `kill -9` in the middle of another
# batch: every certificate a client received is in the database, and
# `ca check` passes.
set -u
. tests/interop/caservelib
caserve_setup ca-serve-load

N=200
serve_start --listen unix:"$w/load.sock"
pid=$(pgrep -P "$spid" | head -n 1)
[ -n "$pid" ] || { fail "no ca serve process under $spid"; exit 1; }

# Requests: 10 keys, a request per client with its own subject.
for k in 0 1 2 3 4 5 6 7 8 9; do
	openssl genrsa -out k$k.key 2048 2>/dev/null || fail "openssl genrsa"
done
mkreq() {
	openssl req -new -key k$(($2 % 10)).key -subj "/CN=$1-$2" -outform DER \
	    2>/dev/null | base64 >"$1-$2.b64" || fail "openssl req $1-$2"
}
# enroll NAME I TOKEN: one client; via the Unix socket for odd I.
enroll() {
	if [ $(($2 % 2)) -eq 1 ]; then
		set -- "$1" "$2" "$3" --unix-socket "$w/load.sock" \
		    "https://localhost/.well-known/est/simpleenroll"
	else
		set -- "$1" "$2" "$3" \
		    "https://127.0.0.1:$tport/.well-known/est/simpleenroll"
	fi
	n=$1 i=$2 t=$3
	shift 3
	curl -s --max-time 120 --cacert ca.pem -u "$n:$t" \
	    -H 'Content-Type: application/pkcs10' --data-binary @"$n-$i.b64" \
	    -o "$n-$i.out" -w '%{http_code}\n' "$@" >"$n-$i.code" 2>/dev/null
}
rss() { awk '/^VmRSS:/ { print $2 }' /proc/"$pid"/status; }

# batch NAME: N clients at once with token $tok; checks every answer, the
# serials' uniqueness and that each is in the database once.
batch() {
	i=0
	while [ $i -lt $N ]; do mkreq "$1" $i; i=$((i + 1)); done
	i=0
	jobs=
	while [ $i -lt $N ]; do
		enroll "$1" $i "$tok" &
		jobs="$jobs $!"
		i=$((i + 1))
	done
	for j in $jobs; do wait "$j"; done
	good=0
	: >serials
	i=0
	while [ $i -lt $N ]; do
		if [ "$(cat "$1-$i.code")" = 200 ] && base64 -d "$1-$i.out" |
		    openssl pkcs7 -inform DER -print_certs 2>/dev/null |
		    openssl x509 -noout -serial 2>/dev/null |
		    sed 's/.*=//' | tr 'A-F' 'a-f' >>serials; then
			good=$((good + 1))
		elif [ $good -ge $((N - 3)) ] || [ $i -lt 3 ]; then
			echo "$1-$i: $(cat "$1-$i.code") $(head -c 200 "$1-$i.out" 2>/dev/null)"
		fi
		i=$((i + 1))
	done
	[ $good -eq $N ] && ok "$1: $N concurrent enrollments answered 200" ||
	    fail "$1: $good of $N enrollments succeeded"
	[ "$(sort -u serials | wc -l)" -eq $N ] && ok "$1: $N distinct serials" ||
	    fail "$1: serials not unique: $(sort -u serials | wc -l) of $N"
	"$M" ca list --format csv >list.csv 2>/dev/null
	missing=0
	for s in $(cat serials); do
		[ "$(grep -c "^0*$s," list.csv)" -eq 1 ] || missing=$((missing + 1))
	done
	[ $missing -eq 0 ] && ok "$1: each certificate once in the database" ||
	    fail "$1: $missing certificates not (once) in the database"
}

tok=$("$M" ca token new --uses $((2 * N)) 2>/dev/null)
batch first
before=$(rss)
batch second
after=$(rss)
# The 2N uses spent: one more is refused.
mkreq extra 0
enroll extra 0 "$tok"
[ "$(cat extra-0.code)" = 401 ] && ok "the token's $((2 * N)) uses are spent" ||
    fail "a use past the token's count: $(cat extra-0.code)"
growth=$((after - before))
echo "RSS after the first batch $before KiB, after the second $after KiB"
if grep -q __asan_init "$M"; then
	echo "note: RSS bound not checked under AddressSanitizer"
else
	[ $growth -lt 4096 ] && ok "RSS grew $growth KiB (< 4 MiB)" ||
	    fail "RSS grew $growth KiB over $N more enrollments"
fi

# kill -9 in the middle of a batch.
tok=$("$M" ca token new --uses 100 2>/dev/null)
i=0
while [ $i -lt 100 ]; do mkreq kill $i; i=$((i + 1)); done
i=0
jobs=
while [ $i -lt 100 ]; do
	enroll kill $i "$tok" &
	jobs="$jobs $!"
	i=$((i + 1))
done
# Once some have been answered.
j=0
while [ "$(grep -c 'simpleenroll 200' serve.err)" -lt $((2 * N + 20)) ] &&
    [ $j -lt 600 ]; do
	j=$((j + 1))
	sleep 0.05
done
kill -9 "$pid"
for j in $jobs; do wait "$j"; done
got=0
: >serials
i=0
while [ $i -lt 100 ]; do
	if [ "$(cat kill-$i.code)" = 200 ]; then
		base64 -d "kill-$i.out" | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
		    openssl x509 -noout -serial | sed 's/.*=//' | tr 'A-F' 'a-f' >>serials
		got=$((got + 1))
	fi
	i=$((i + 1))
done
echo "killed after $got of 100 answered"
[ $got -gt 0 ] && [ $got -lt 100 ] || echo "note: the kill did not fall mid-batch"
"$M" ca list --format csv >list.csv 2>/dev/null
missing=0
for s in $(cat serials); do
	grep -q "^0*$s," list.csv || missing=$((missing + 1))
done
[ $missing -eq 0 ] && ok "the $got certificates received are in the database" ||
    fail "$missing received certificates are not in the database"
run "$M" ca check
[ "$fails" -eq 0 ]
