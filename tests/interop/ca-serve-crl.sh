#!/bin/sh
# ca-serve-crl.sh — GET /crl answers the CRL it keeps in memory while
# crl.pem is the same file and before its nextUpdate: `ca revoke` replaces
# crl.pem and the next fetch lists the revoked serial (openssl crl
# verifies it); a removed crl.pem is made again once (the next CRL
# number, written to crl.pem) and that one is given to the fetches after
# it, not a new CRL each time; a fetch of the kept CRL does not open
# crl.pem again (strace of the service).
set -u
. tests/interop/caservelib
command -v strace >/dev/null 2>&1 || { echo "strace not installed"; exit 77; }
caserve_setup ca-serve-crl
crlpem=$MINIPKI_DIR/ca/ca/crl.pem

serve_start
pid=$(pgrep -P "$spid" | head -n 1)
[ -n "$pid" ] || { fail "no ca serve process under $spid"; exit 1; }

# crlnum FILE: the CRL number of a DER CRL, in decimal.
crlnum() {
	n=$(openssl crl -inform DER -in "$1" -noout -crlnumber 2>/dev/null |
	    sed 's/^crlNumber=//')
	[ -n "$n" ] && printf '%d\n' "$n"
}

plain crl
[ "$code" = 200 ] || fail "first /crl: $code"
cp body crl1.der
n1=$(crlnum crl1.der)
[ -n "$n1" ] && ok "first /crl: CRL number $n1" || fail "first /crl has no CRL number"
plain crl
cmp -s body crl1.der && ok "the second /crl is the same CRL" ||
    fail "the second /crl differs (number $(crlnum body), first $n1)"

# A revocation replaces crl.pem: the kept CRL is not given again.
tok=$("$M" ca token new 2>/dev/null)
csr dan 2048
est simpleenroll -u "dan:$tok" -H 'Content-Type: application/pkcs10' \
    --data-binary @dan.b64
[ "$code" = 200 ] || fail "dan's enrollment: $code $(cat body)"
base64 -d body | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
    openssl x509 >dan.pem 2>/dev/null || fail "dan's certificate"
serial=$(openssl x509 -in dan.pem -noout -serial | sed 's/^serial=//')
quiet "$M" ca revoke "$serial" --reason keyCompromise
plain crl
[ "$code" = 200 ] || fail "/crl after ca revoke: $code"
cp body crl2.der
n2=$(crlnum crl2.der)
openssl crl -inform DER -in crl2.der -CAfile ca.pem -noout -text >crl2.txt 2>&1
if grep -q 'verify OK' crl2.txt && grep -qi "Serial Number: *$serial" crl2.txt &&
    [ "${n2:-0}" -gt "${n1:-0}" ]; then
	ok "after ca revoke, /crl (number $n2) lists $serial and verifies"
else
	fail "after ca revoke: number ${n2:-none} (before $n1), $serial listed?"
	head -n 30 crl2.txt
fi

# crl.pem removed: made again once, then kept.
rm -f "$crlpem"
plain crl
[ "$code" = 200 ] || fail "/crl with crl.pem removed: $code $(cat body)"
cp body crl3.der
n3=$(crlnum crl3.der)
[ "${n3:-0}" -eq $((${n2:-0} + 1)) ] && [ -s "$crlpem" ] &&
    ok "crl.pem removed: CRL $n3 made and written to crl.pem" ||
    fail "crl.pem removed: number ${n3:-none} (want $((${n2:-0} + 1))), crl.pem $(ls -l "$crlpem" 2>&1)"
openssl crl -inform DER -in crl3.der -CAfile ca.pem -noout -text 2>&1 |
    grep -qi "Serial Number: *$serial" && ok "the new CRL lists $serial" ||
    fail "the new CRL does not list $serial"
plain crl
cmp -s body crl3.der && ok "the next /crl is that CRL again (number $n3)" ||
    fail "the next /crl is another CRL (number $(crlnum body), want $n3)"

# The kept CRL is answered without opening crl.pem (a fetch before the
# trace read it: crl.pem was written by the service since).
strace -f -p "$pid" -e trace=open,openat,stat,newfstatat -o trace.txt 2>strace.err &
tpid=$!
i=0
while ! grep -q 'attached' strace.err 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 300 ] || ! kill -0 "$tpid" 2>/dev/null; then
		echo "strace cannot attach to the service: $(cat strace.err)"
		kill "$tpid" 2>/dev/null
		[ "$fails" -eq 0 ] || exit 1
		exit 77
	fi
	sleep 0.05
done
plain crl
kill -INT "$tpid"
wait "$tpid" 2>/dev/null
cmp -s body crl3.der || fail "the traced /crl is another CRL"
if grep -q 'crl\.pem' trace.txt && ! grep 'crl\.pem' trace.txt | grep -q 'open'; then
	ok "the kept CRL: crl.pem looked at (stat), not opened"
else
	fail "the traced /crl: crl.pem $(grep -c 'open.*crl\.pem' trace.txt) times opened, $(grep -c 'crl\.pem' trace.txt) times named"
	grep 'crl\.pem' trace.txt | head -n 5
fi

run "$M" ca check
[ "$fails" -eq 0 ] || exit 1
echo "all ca-serve-crl checks passed"
