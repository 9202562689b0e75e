#!/bin/sh
# lifecycle-durability.sh — the CA under stress: two writers at once (the
# second is refused clearly, nothing is corrupted), kill -9 at random
# moments of `ca revoke` and `ca crl` (every acknowledged revocation is
# there afterwards, crl.pem is always a whole, valid CRL, `ca check`
# passes), and `ca check` finding an edited, a removed and a reordered
# audit record with an exact message.
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
. tests/interop/testlib
test_setup lifecycle-durability durability-test-pass
KILLS=${LIFECYCLE_KILLS:-60}
lb=""
# Line-buffered output, so that "revoked S" is seen as soon as it is
# printed (not with a sanitizer build, which refuses the preload).
command -v stdbuf >/dev/null 2>&1 && [ -z "$(stdbuf -oL "$M" --version 2>&1 >/dev/null)" ] &&
    lb="stdbuf -oL"

rnd() { echo $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1 )); }

"$M" ca init root --subject "CN=Durability Root" --bits 2048 >/dev/null || exit 1
"$M" export root --cert >root.pem || exit 1
"$M" key new e >/dev/null && "$M" csr new e --subject CN=e.example --out e.csr || exit 1
set --
i=0
while [ $i -lt $KILLS ]; do set -- "$@" e.csr; i=$((i + 1)); done
"$M" ca issue --ca root --csr "$@" --out-dir issued >/dev/null || exit 1
ls issued | sed 's/\.pem$//' >serials.txt
[ "$(wc -l <serials.txt)" -eq "$KILLS" ] || { echo "issued $(wc -l <serials.txt)"; exit 1; }

# 1. Another process holds the lock: refused at once, clearly, exit 1.
if command -v flock >/dev/null 2>&1; then
	# flock's child holds the lock from "held" until "release" exists
	# (no fixed sleeps: a loaded machine may start it late).
	flock ws/ca/root/lock sh -c ': >held
	    while [ ! -e release ]; do sleep 0.1; done' &
	holder=$!
	i=0
	while [ ! -e held ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.1; done
	"$M" ca revoke --ca root "$(head -1 serials.txt)" >out.txt 2>err.txt; rc=$?
	: >release
	[ $rc -eq 1 ] && grep -q "CA 'root' is locked by another process" err.txt &&
	    ok "second writer refused while the lock is held" ||
	    { fail "locked CA: exit $rc"; cat err.txt; }
	wait "$holder" 2>/dev/null
fi

# 2. Writers at once: each succeeds or is refused with the lock message.
n0=$("$M" ca list --ca root --format csv | tail -n +2 | wc -l)
writers=
i=0
while [ $i -lt 8 ]; do
	( "$M" ca issue --ca root --csr e.csr --out "par$i.pem" >/dev/null 2>"par$i.err"; echo $? >"par$i.rc" ) &
	writers="$writers $!"
	i=$((i + 1))
done
wait $writers
good=0 locked=0
i=0
while [ $i -lt 8 ]; do
	rc=$(cat "par$i.rc")
	if [ "$rc" -eq 0 ]; then good=$((good + 1))
	elif [ "$rc" -eq 1 ] && grep -q "is locked by another process" "par$i.err"; then locked=$((locked + 1))
	else fail "parallel writer $i: exit $rc"; cat "par$i.err"; fi
	i=$((i + 1))
done
n1=$("$M" ca list --ca root --format csv | tail -n +2 | wc -l)
[ $good -ge 1 ] && [ $((n1 - n0)) -eq $good ] && ok "8 writers at once: $good issued, $locked refused (locked), database has exactly the issued ones" ||
    fail "parallel: $good issued but $((n1 - n0)) recorded"
"$M" ca check --ca root >check.txt 2>&1 || { fail "ca check after parallel writers"; cat check.txt; }

# 3. kill -9 during ca revoke (including its CRL regeneration), at a
# random moment within how long one revoke takes here (measured).
"$M" ca issue --ca root --csr e.csr --out probe.pem >/dev/null 2>&1
t0=$(date +%s%N)
"$M" ca revoke --ca root "$(openssl x509 -in probe.pem -noout -serial | sed 's/serial=//')" >/dev/null 2>&1 ||
    fail "probe revoke"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -ge 5 ] || ms=5
span=$(( ms * 5 / 4 ))
nap() { r=$(rnd "$span"); printf '%d.%03d' $((r / 1000)) $((r % 1000)); }
: >acked.txt
kills=0
for s in $(cat serials.txt); do
	$lb "$M" ca revoke --ca root "$s" --reason keyCompromise >rv.out 2>rv.err &
	pid=$!
	sleep "$(nap)"
	kill -9 $pid 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null
	grep -q "^revoked $s " rv.out && echo "$s" >>acked.txt
	# The database must load after every kill.
	if ! "$M" ca list --ca root --status revoked --format csv >rev.txt 2>rv2.err; then
		fail "database does not load after a kill"; cat rv2.err; break
	fi
	while read -r a; do
		grep -q "^$a," rev.txt || { fail "acknowledged revocation of $a lost"; break; }
	done <acked.txt
	if [ -f ws/ca/root/crl.pem ] &&
	    ! openssl crl -in ws/ca/root/crl.pem -CAfile root.pem -noout -verify 2>&1 | grep -q "verify OK"; then
		fail "crl.pem is not a valid CRL after a kill"; break
	fi
done
ok "$kills kills during ca revoke (within ${span} ms); $(wc -l <acked.txt) acknowledged revocations all present"

# 4. kill -9 during ca crl, within how long one takes here (measured: it
# is shorter than a revoke, and a nap past its end kills nothing).
t0=$(date +%s%N)
"$M" ca crl --ca root --out probe-crl.pem >/dev/null 2>&1 || fail "probe crl"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -ge 5 ] || ms=5
span=$(( ms * 5 / 4 ))
ckills=0
i=0
while [ $i -lt 300 ] && { [ $i -lt 25 ] || [ $((kills + ckills)) -lt 60 ]; }; do
	"$M" ca crl --ca root --out crl-$i.pem >/dev/null 2>&1 &
	pid=$!
	sleep "$(nap)"
	kill -9 $pid 2>/dev/null && ckills=$((ckills + 1))
	wait $pid 2>/dev/null
	[ ! -f ws/ca/root/crl.pem ] ||
	    openssl crl -in ws/ca/root/crl.pem -CAfile root.pem -noout -verify 2>&1 | grep -q "verify OK" ||
	    { fail "crl.pem broken after a kill during ca crl"; break; }
	i=$((i + 1))
done
ok "$ckills kills during ca crl; crl.pem always whole and valid"
[ $((kills + ckills)) -ge 50 ] || fail "only $((kills + ckills)) kills landed (want 50)"

# Repair what the kills left, then everything is consistent, and a new
# revocation and CRL work.
"$M" ca check --ca root --repair >check.txt 2>&1 || { fail "ca check --repair"; cat check.txt; }
"$M" ca check --ca root >check.txt 2>&1 && grep -q "is consistent" check.txt &&
    ok "ca check after the kills" || { fail "ca check after the kills"; cat check.txt; }
"$M" ca crl --ca root --out final.pem >/dev/null 2>err.txt || { fail "ca crl after kills"; cat err.txt; }
nrev=$("$M" ca list --ca root --status revoked --format csv | tail -n +2 | wc -l)
nent=$(openssl crl -in final.pem -noout -text | grep -c "Serial Number:")
[ "$nrev" -eq "$nent" ] && ok "final CRL lists all $nrev revoked" || fail "CRL has $nent, database $nrev revoked"
while read -r a; do
	u=$(echo "$a" | tr 'a-f' 'A-F')
	openssl crl -in final.pem -noout -text | grep -q "$u" ||
	    { fail "acknowledged $a not on the final CRL"; break; }
done <acked.txt

# 5. The audit log: edited, removed, reordered records are found.
a=ws/ca/root/audit.yaml
cp "$a" audit.orig
# the line of the 3rd record's "---"
l3=$(grep -n '^---$' "$a" | sed -n 3p | cut -d: -f1)
sed "$((l3 + 1)),$((l3 + 8))s/^details: \"\(.\)/details: \"X/" audit.orig >"$a"
"$M" ca check --ca root >check.txt 2>&1; rc=$?
want="ca/root/audit.yaml: line $l3: record 3: checksum does not match its contents (the record was edited)"
[ $rc -eq 1 ] && grep -qF "FAIL  $want" check.txt && ok "edited audit record found: $want" ||
    { fail "edited record: exit $rc, want '$want'"; cat check.txt; }
# remove record 2 (from its --- to the line before record 3)
l2=$(grep -n '^---$' audit.orig | sed -n 2p | cut -d: -f1)
sed "${l2},$((l3 - 1))d" audit.orig >"$a"
"$M" ca check --ca root >check.txt 2>&1; rc=$?
want="ca/root/audit.yaml: line $((l2 + 1)): record 2: seq is 3, expected 2 (a record was removed or moved)"
[ $rc -eq 1 ] && grep -qF "FAIL  $want" check.txt && ok "removed audit record found" ||
    { fail "removed record: exit $rc, want '$want'"; cat check.txt; }
cp audit.orig "$a"
"$M" ca check --ca root >/dev/null 2>&1 && ok "original audit log passes again" || fail "original audit log"

echo "lifecycle-durability: $fails failures"
[ $fails -eq 0 ]
