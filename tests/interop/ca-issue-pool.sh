#!/bin/sh
# ca-issue-pool.sh — `ca issue` signs a batch on all CPUs (role/signpool.h)
# and hands out what one signer would: every certificate verifies under the
# CA (OpenSSL judges), one per request in request order on standard output
# and in the database, serials unique; the same under `taskset -c 0`, which
# leaves one CPU and so one signer. Checks that the default run started
# one signer thread per CPU and the pinned one none (strace). Skipped with
# one CPU: there is no pool to test.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
command -v taskset >/dev/null 2>&1 || { echo "taskset not installed"; exit 77; }
command -v strace >/dev/null 2>&1 || { echo "strace not installed"; exit 77; }
[ "$(nproc)" -ge 2 ] || { echo "one CPU: no signer pool to test"; exit 77; }
. tests/interop/testlib
test_setup ca-issue-pool "pool test pass"

N=24
quiet "$M" ca init --subject "CN=Pool Root" --bits 2048
quiet "$M" export ca --cert --out root.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out leaf.key 2>/dev/null
csrs=
i=1
while [ $i -le $N ]; do
	openssl req -new -key leaf.key -subj "/CN=h$i.example" -out "$i.csr"
	csrs="$csrs $i.csr"
	i=$((i + 1))
done

# issue NAME [PREFIX...]: the batch into NAME/, its lines in NAME.out and
# the threads it made (clone calls) in NAME.clones.
issue() {
	d=$1; shift
	mkdir "$d"
	# LeakSanitizer cannot run under ptrace: off for this one process.
	# shellcheck disable=SC2086
	if ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -e trace=clone,clone3 -o "$d.trace" "$@" \
	    "$M" ca issue --out-dir "$d" --csr $csrs >"$d.out" 2>"$d.err"; then
		ok "ca issue of $N requests${1:+ under $*}"
	else
		fail "ca issue of $N requests${1:+ under $*}"
		sed 's/^/    | /' "$d.err" | head
	fi
	grep -c 'clone' "$d.trace" >"$d.clones"
}

# check NAME: N lines "issued SERIAL CN=hI.example ..." in request order,
# each certificate verified by OpenSSL and carrying that serial.
check() {
	d=$1
	[ "$(wc -l <"$d.out")" -eq $N ] || fail "$d: $(wc -l <"$d.out") lines, want $N"
	i=1
	bad=0
	while read -r word serial subject rest; do
		if [ "$word" != issued ] || [ "$subject" != "CN=h$i.example" ]; then
			fail "$d: line $i is '$word $serial $subject $rest'"
			bad=1
		elif ! openssl verify -CAfile root.pem "$d/$serial.pem" >/dev/null 2>&1; then
			fail "$d: openssl verify refuses $serial.pem"
			bad=1
		elif [ "$(openssl x509 -in "$d/$serial.pem" -noout -serial |
		    tr 'A-F' 'a-f')" != "serial=$serial" ]; then
			fail "$d: $serial.pem carries another serial"
			bad=1
		fi
		echo "$serial" >>"$d.serials"
		i=$((i + 1))
	done <"$d.out"
	[ $bad -eq 0 ] && ok "$d: $N certificates in request order, each verified by openssl"
}

issue pool
issue one taskset -c 0
check pool
check one
# One thread per CPU, started once for the command (not per batch, nor
# per certificate).
want=$(($(nproc) > 64 ? 64 : $(nproc)))
[ "$(cat pool.clones)" -eq "$want" ] &&
    ok "the default run started $want signer threads, once" ||
    fail "the default run started $(cat pool.clones) threads, want $want"
[ "$(cat one.clones)" -eq 0 ] && ok "taskset -c 0: one signer, no thread" ||
    fail "taskset -c 0: $(cat one.clones) threads started"

# Serials unique over both batches, and the database holds them in the
# order issued (one batch, then the other).
[ -z "$(cat pool.serials one.serials | sort | uniq -d)" ] && ok "serials unique" ||
    fail "a serial issued twice"
"$M" ca list --format csv | sed 1d | cut -d, -f1 >db.serials
cat pool.serials one.serials >want.serials
cmp -s db.serials want.serials && ok "database order is request order" ||
    { fail "database order differs"; diff db.serials want.serials | head; }
run "$M" ca check

[ $fails -eq 0 ]
