#!/bin/sh
# batch-sync.sh — a batch is one group commit: its records reach the disk
# with a fixed number of fdatasync calls, not one per certificate, and
# only after them does any certificate go out (the kill -9 test in
# cadb-crash-cli.sh checks the second half).
command -v strace >/dev/null 2>&1 || { echo "strace not installed"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
. tests/interop/testlib
test_setup batch-sync "batch sync test"
set -e
"$M" ca init --subject "CN=Batch Root" --bits 2048 >/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out leaf.key 2>/dev/null
for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	openssl req -new -key leaf.key -subj "/CN=h$n.example" -out "$n.csr"
	set -- "$@" "$n.csr"
done
count() {	# count OUTFILE CSR... -> number of fdatasync + fsync calls
	o=$1; shift
	# LeakSanitizer cannot run under ptrace: off for this one process.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -e trace=fdatasync,fsync -o trace.txt \
	    "$M" ca issue --out "$o" --csr "$@" >/dev/null
	grep -c 'sync(' trace.txt
}
c1=$(count one.pem 1.csr)
c20=$(count twenty.pem "$@")
echo "fdatasync/fsync calls: one certificate $c1, twenty certificates $c20"
[ "$(grep -c 'BEGIN CERTIFICATE' twenty.pem)" -eq 20 ] || { echo "want 20 certificates"; exit 1; }
if [ "$c20" -gt "$((c1 + 2))" ]; then
	echo "a batch of 20 syncs $c20 times: not a group commit"
	exit 1
fi
"$M" ca list --format csv | grep -c '^[0-9a-f]' | grep -qx 21 ||
	{ echo "the database does not hold all 21 certificates"; exit 1; }
