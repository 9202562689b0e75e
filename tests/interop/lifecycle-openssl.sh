#!/bin/sh
# lifecycle-openssl.sh — revocation, CRLs, renewal and intermediate CAs,
# with OpenSSL as the judge: `openssl crl -verify` accepts our CRLs, and
# `openssl verify -crl_check` gives the same verdict as our `verify --crl`
# for good, revoked and on-hold certificates (and after the hold is
# lifted), a stale CRL, and a CRL signed by the wrong CA; chains from an
# intermediate CA pass `openssl verify -untrusted`; re-issuing after a
# revoke, renew and rekey work.
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
. tests/interop/testlib
test_setup lifecycle-openssl lifecycle-test-pass

# run NAME CMD...: must succeed; silent when it does (replaces testlib's run)
run() {
	what=$1; shift
	"$@" >out.txt 2>err.txt || { fail "$what: exit $?"; cat err.txt; return 1; }
	return 0
}

# crl_ok FILE CAFILE: openssl accepts the CRL's signature
crl_ok() {
	openssl crl -in "$1" -CAfile "$2" -noout -verify 2>&1 | grep -q "verify OK" &&
	    ok "openssl crl -verify accepts $1" || fail "openssl crl -verify rejects $1"
}

# agree WHAT WANT(valid|invalid) WORDS CERT CRL [AT] [UNTRUSTED]
agree() {
	what=$1 want=$2 words=$3 cert=$4 acrl=$5 at=$6 unt=$7
	set -- --ca root.pem --crl "$acrl"
	oset="-crl_check -CAfile root.pem -CRLfile $acrl"
	[ -n "$at" ] && { set -- "$@" --at "@$at"; oset="$oset -attime $at"; }
	[ -n "$unt" ] && { set -- "$@" --untrusted "$unt"; oset="$oset -untrusted $unt"; }
	"$M" verify "$@" "$cert" >v.txt 2>&1; ours=$?
	# shellcheck disable=SC2086
	openssl verify $oset "$cert" >o.txt 2>&1; theirs=$?
	case $want in
	valid) [ $ours -eq 0 ] || { fail "$what: ours $ours, want valid"; cat v.txt; }
	       [ $theirs -eq 0 ] || { fail "$what: openssl $theirs, want valid"; cat o.txt; } ;;
	invalid) [ $ours -eq 1 ] || { fail "$what: ours $ours, want invalid"; cat v.txt; }
	       [ $theirs -ne 0 ] || { fail "$what: openssl accepted"; cat o.txt; } ;;
	esac
	if [ -n "$words" ] && ! grep -q "$words" v.txt; then
		fail "$what: our output lacks '$words'"; cat v.txt
	fi
	ok "$what: both $want"
}

serial_of() { openssl x509 -in "$1" -noout -serial | sed 's/serial=//' | tr 'A-F' 'a-f'; }

run "root CA" "$M" ca init root --subject "CN=Lifecycle Root,O=Lab" --bits 2048 || exit 1
run "other CA" "$M" ca init other --subject "CN=Other Root,O=Lab" --bits 2048 || exit 1
"$M" export root --cert >root.pem || fail "export root"
"$M" export other --cert >other.pem || fail "export other"
for n in good bad held; do
	run "key $n" "$M" key new "$n" || exit 1
	run "csr $n" "$M" csr new "$n" --subject "CN=$n.example" --out "$n.csr" || exit 1
	run "issue $n" "$M" ca issue --ca root --csr "$n.csr" --out "$n.pem" || exit 1
done
good=$(serial_of good.pem) bad=$(serial_of bad.pem) held=$(serial_of held.pem)

# Refusals: unknown serial (2), bad reason (2), double revoke (1).
"$M" ca revoke --ca root 0123abcd >/dev/null 2>err.txt; rc=$?
[ $rc -eq 2 ] && grep -q "has no certificate with serial 0123abcd" err.txt &&
    ok "unknown serial refused (2)" || { fail "unknown serial: exit $rc"; cat err.txt; }
"$M" ca revoke --ca root "$bad" --reason sloppiness >/dev/null 2>err.txt; rc=$?
[ $rc -eq 2 ] && grep -q "unknown reason 'sloppiness'" err.txt &&
    ok "unknown reason refused (2)" || { fail "unknown reason: exit $rc"; cat err.txt; }

run "revoke bad" "$M" ca revoke --ca root "$bad" --reason keyCompromise --invalidity 2026-01-02
grep -q "^revoked $bad (keyCompromise) on " out.txt && grep -q "^CRL 1 written to " out.txt &&
    ok "revoke prints what it did" || { fail "revoke output"; cat out.txt; }
"$M" ca revoke --ca root "$bad" >/dev/null 2>err.txt; rc=$?
[ $rc -eq 1 ] && grep -q "serial $bad is already revoked (keyCompromise)" err.txt &&
    ok "double revoke refused (1)" || { fail "double revoke: exit $rc"; cat err.txt; }
run "hold" "$M" ca revoke --ca root "$held" --reason certificateHold
crl=ws/ca/root/crl.pem
[ -f "$crl" ] || fail "no crl.pem after revoke"
crl_ok "$crl" root.pem
openssl crl -in "$crl" -noout -text >crl.txt
grep -q "CRL Number:" crl.txt && grep -q "Key Compromise" crl.txt &&
    grep -q "Certificate Hold" crl.txt && grep -q "Authority Key Identifier" crl.txt &&
    grep -A1 "Invalidity Date" crl.txt | grep -q "Jan  2 00:00:00 2026" &&
    ok "CRL has number, AKI, reason codes" || { fail "CRL contents"; cat crl.txt; }
# `show` reads the same CRL: the same entries, reasons and number.
"$M" show "$crl" >show-crl.txt 2>&1 &&
    grep -q "Reason: keyCompromise" show-crl.txt &&
    grep -q "Reason: certificateHold" show-crl.txt &&
    grep -q "Invalidity Date: 2026-01-02 00:00:00 UTC" show-crl.txt &&
    [ "$(grep -c 'Serial Number:' show-crl.txt)" = "$(grep -c 'Serial Number:' crl.txt)" ] &&
    [ "$(sed -n 's/^ *CRL Number: //p' show-crl.txt)" = "$(grep -A1 'CRL Number' crl.txt | tail -n 1 | tr -d ' ')" ] &&
    ok "show decodes the CRL as openssl crl -text does" || { fail "show CRL"; cat show-crl.txt; }
openssl crl -in "$crl" -outform DER -out crl.der
head -c 200 crl.der >crl-cut.der
"$M" show crl-cut.der >/dev/null 2>show-cut.err
[ $? -eq 3 ] && [ "$(cat show-cut.err)" = "minipki-tui: crl-cut.der: not a certificate, request, CRL or key (as a certificate: offset 0x0: length runs past end of input)" ] &&
    ok "show refuses a truncated CRL (exit 3)" || { fail "truncated CRL"; cat show-cut.err; }
cp "$crl" crl-hold.pem

agree "good certificate" valid "not revoked according to CRL" good.pem crl-hold.pem
agree "revoked certificate" invalid "revoked (keyCompromise) on" bad.pem crl-hold.pem
agree "certificate on hold" invalid "revoked (certificateHold) on" held.pem crl-hold.pem

# Lifting the hold: removeFromCRL; a second lift is refused.
run "release" "$M" ca revoke --ca root "$held" --reason removeFromCRL
"$M" ca revoke --ca root "$held" --reason removeFromCRL >/dev/null 2>err.txt; rc=$?
[ $rc -eq 1 ] && grep -q "is not on hold" err.txt && ok "second release refused" ||
    { fail "second release: exit $rc"; cat err.txt; }
cp "$crl" crl-released.pem
crl_ok crl-released.pem root.pem
n1=$(openssl crl -in crl-hold.pem -noout -crlnumber | sed 's/.*=//; s/^0x//')
n2=$(openssl crl -in crl-released.pem -noout -crlnumber | sed 's/.*=//; s/^0x//')
[ "$((0x$n2))" -gt "$((0x$n1))" ] && ok "cRLNumber grows ($n1 -> $n2)" || fail "cRLNumber $n1 -> $n2"
agree "released from hold" valid "" held.pem crl-released.pem
agree "still revoked after release" invalid "revoked (keyCompromise)" bad.pem crl-released.pem

# ca crl: explicit, DER, short-lived (stale later).
run "ca crl --days 1" "$M" ca crl --ca root --days 1 --out crl-1day.pem
crl_ok crl-1day.pem root.pem
run "ca crl --der" "$M" ca crl --ca root --der --out crl.der
openssl crl -inform DER -in crl.der -CAfile root.pem -noout -verify 2>&1 | grep -q "verify OK" &&
    ok "DER CRL accepted" || fail "DER CRL rejected"
later=$(( $(date +%s) + 3 * 86400 ))
agree "stale CRL (nextUpdate passed)" invalid "stale: nextUpdate" good.pem crl-1day.pem "$later"

# A CRL signed by the wrong CA.
run "other crl" "$M" ca crl --ca other --out crl-other.pem
agree "CRL of the wrong CA" invalid "no CRL issued by" good.pem crl-other.pem
# A CRL with the right name but the wrong key: same subject, other CA.
run "impostor CA" "$M" ca init impostor --subject "CN=Lifecycle Root,O=Lab" --bits 2048
run "impostor crl" "$M" ca crl --ca impostor --out crl-impostor.pem
agree "CRL with the issuer's name, wrong key" invalid "is not the issuer's key" good.pem crl-impostor.pem

# Re-issue for a subject that was revoked.
run "re-issue" "$M" ca issue --ca root --csr bad.csr --out bad2.pem
run "crl after re-issue" "$M" ca crl --ca root --out crl-now.pem
agree "re-issued certificate" valid "" bad2.pem crl-now.pem
agree "old one still revoked" invalid "revoked (keyCompromise)" bad.pem crl-now.pem
"$M" ca list --ca root --status revoked --format csv >list.txt
grep -q "^$bad," list.txt && [ "$(grep -c ',revoked,' list.txt)" -eq 1 ] &&
    ok "ca list --status revoked" || { fail "ca list --status revoked"; cat list.txt; }

# Renew: same key, new serial, old superseded.
run "renew" "$M" ca renew --ca root "$good" --out good2.pem
g2=$(serial_of good2.pem)
[ "$g2" != "$good" ] && grep -q "^renewed $good as $g2 CN=good.example" out.txt &&
    ok "renew: new serial" || { fail "renew output"; cat out.txt; }
[ "$(openssl x509 -in good.pem -noout -pubkey)" = "$(openssl x509 -in good2.pem -noout -pubkey)" ] &&
    ok "renew keeps the key" || fail "renew changed the key"
openssl verify -CAfile root.pem good2.pem >/dev/null 2>&1 && ok "openssl accepts the renewal" ||
    fail "openssl rejects the renewal"
"$M" ca list --ca root --status superseded --format csv >list.txt
grep -q "^$good," list.txt && ok "old certificate superseded" || { fail "superseded"; cat list.txt; }
"$M" ca show --ca root "$good" >show.txt
grep -q "^superseded by: $g2" show.txt && grep -q "^status: superseded" show.txt &&
    ok "ca show" || { fail "ca show"; cat show.txt; }
# The serial as openssl prints it, with 0x, and as `show` prints it.
"$M" ca show --ca root "0x$(openssl x509 -in good.pem -noout -serial | sed 's/serial=//')" >show2.txt 2>&1 &&
    cmp -s show.txt show2.txt && ok "ca show 0xSERIAL (upper case)" || { fail "ca show 0x"; cat show2.txt; }
pairs=$("$M" show good.pem | sed -n 's/^    Serial Number: //p')
"$M" ca show --ca root "$pairs" >show2.txt 2>&1 && cmp -s show.txt show2.txt &&
    ok "ca show AA:BB:..." || { fail "ca show $pairs"; cat show2.txt; }
"$M" ca renew --ca root "$good" >/dev/null 2>err.txt; rc=$?
[ $rc -eq 1 ] && grep -q "already renewed as $g2" err.txt && ok "second renew refused" ||
    { fail "second renew: exit $rc"; cat err.txt; }

# Rekey with --revoke-old.
run "new key" "$M" key new good-new
run "new csr" "$M" csr new good-new --subject "CN=good.example" --out good-new.csr
run "rekey" "$M" ca renew --ca root "$g2" --rekey --csr good-new.csr --revoke-old --out good3.pem
[ "$(openssl x509 -in good2.pem -noout -pubkey)" != "$(openssl x509 -in good3.pem -noout -pubkey)" ] &&
    ok "rekey changes the key" || fail "rekey kept the key"
agree "rekeyed certificate" valid "" good3.pem "$crl"
agree "old after --revoke-old" invalid "revoked (superseded)" good2.pem "$crl"
run "other-subject csr" "$M" csr new good-new --subject "CN=someone-else" --out else.csr
"$M" ca renew --ca root "$(serial_of good3.pem)" --rekey --csr else.csr >/dev/null 2>err.txt; rc=$?
[ $rc -eq 1 ] && grep -q "differs from the certificate's" err.txt && ok "rekey to another subject refused" ||
    { fail "rekey other subject: exit $rc"; cat err.txt; }

# List filters: --expiring, a bad --status.
"$M" ca list --ca root --expiring 400 --format csv >list.txt
grep -q "^$(serial_of good3.pem)," list.txt && ! grep -q "^$bad," list.txt &&
    ! grep -q "^$g2," list.txt && ok "ca list --expiring" || { fail "ca list --expiring"; cat list.txt; }
"$M" ca list --ca root --expiring 10 --format csv >list.txt
[ "$(wc -l <list.txt)" -eq 1 ] && ok "nothing expires within 10 days" || { fail "--expiring 10"; cat list.txt; }
"$M" ca list --ca root --status gone >/dev/null 2>err.txt; rc=$?
[ $rc -eq 2 ] && grep -q "unknown status 'gone'" err.txt && ok "bad --status refused" ||
    { fail "bad --status: exit $rc"; cat err.txt; }

# Intermediate CA.
run "intermediate" "$M" ca init sub --parent root --subject "CN=Lifecycle Sub,O=Lab" --bits 2048
grep -q "^pathlen: 0" out.txt || { fail "intermediate pathlen"; cat out.txt; }
"$M" export sub --cert >subchain.pem
[ "$(grep -c 'BEGIN CERTIFICATE' subchain.pem)" -eq 2 ] && ok "intermediate keystore holds the chain" ||
    fail "intermediate chain"
run "key leaf" "$M" key new leaf
run "csr leaf" "$M" csr new leaf --subject "CN=leaf.example" --out leaf.csr
run "issue from sub" "$M" ca issue --ca sub --csr leaf.csr --out leaf.pem
openssl verify -CAfile root.pem -untrusted subchain.pem leaf.pem >o.txt 2>&1 &&
    ok "openssl verify -untrusted accepts the intermediate chain" || { fail "openssl -untrusted"; cat o.txt; }
"$M" verify --ca root.pem --untrusted subchain.pem leaf.pem >v.txt 2>&1 &&
    ok "our verify accepts the intermediate chain" || { fail "our verify"; cat v.txt; }
run "sub crl" "$M" ca crl --ca sub --out crl-sub.pem
crl_ok crl-sub.pem subchain.pem
agree "leaf of the intermediate" valid "" leaf.pem crl-sub.pem "" subchain.pem
run "revoke leaf" "$M" ca revoke --ca sub "$(serial_of leaf.pem)" --reason cessationOfOperation
agree "revoked leaf of the intermediate" invalid "revoked (cessationOfOperation)" leaf.pem ws/ca/sub/crl.pem "" subchain.pem
"$M" ca init sub2 --parent sub --subject "CN=Too Deep" --bits 2048 >/dev/null 2>err.txt; rc=$?
[ $rc -eq 1 ] && grep -q "pathLenConstraint 0" err.txt && ok "pathlen 0 parent refuses a sub-CA" ||
    { fail "sub2: exit $rc"; cat err.txt; }

# Everything consistent, audit log included.
for ca in root sub; do
	"$M" ca check --ca $ca >check.txt 2>&1 && grep -q "is consistent" check.txt &&
	    ok "ca check $ca" || { fail "ca check $ca"; cat check.txt; }
done
grep -q "action: revoke" ws/ca/root/audit.yaml && grep -q "action: renew" ws/ca/root/audit.yaml &&
    grep -q "action: crl" ws/ca/root/audit.yaml && ok "audit log records the actions" ||
    fail "audit actions"

echo "lifecycle-openssl: $fails failures"
[ $fails -eq 0 ]
