#!/bin/sh
# ca-serve-journal.sh — the CA service's batch journal (store/journal.h):
# one fdatasync per batch, and recovery from every point a crash can hit.
#
# A kill -9 leaves what was written in the page cache; a crash of the
# system loses the unsynced tails of certs.yaml, enroll.yaml and
# audit.yaml. The second is made here by cutting the three files back to
# their sizes before the lost batches (and, for audit.yaml, filling the
# lost tail with zero bytes, as a file whose size reached the disk before
# its data), after a kill -9. Then:
# - killed idle after 3 acknowledged batches, the tails of the last 2
#   lost: `ca check` writes them again from the journal (audited as
#   journal-replay), every certificate a client received is in the
#   database, a second `ca check` finds nothing to do, and `ca serve`
#   starts, says what it checked and empties the journal;
# - MINIPKI_TEST_CRASH=apply (every record of the batch written, the
#   journal not): the client gets nothing, the database is whole, the
#   journal holds none of it;
# - MINIPKI_TEST_CRASH=commit (the journal record synced, no answer yet)
#   with the tails lost: the next `ca serve` replays the batch;
# - the same with the journal's last record torn (cut 10 bytes short),
#   then with garbage after a whole record (that batch replayed): what is
#   ignored, said on the log and audited as journal-torn, the bytes kept
#   in journal.torn; ca check passes;
# - MINIPKI_TEST_CRASH=settle (the files synced at stop, the journal not
#   emptied): the next start finds every record in the files;
# - a second service of the same CA finds the journal held (flock) and
#   syncs its three files per batch instead, leaving the journal alone.
# An enrollment costs one fdatasync (strace), not three.
set -u
. tests/interop/caservelib
command -v truncate >/dev/null 2>&1 || { echo "truncate not installed"; exit 77; }
caserve_setup ca-serve-journal
ca=$MINIPKI_DIR/ca/ca
tok=$("$M" ca token new --uses 50 2>/dev/null)
[ -n "$tok" ] || { fail "ca token new"; exit 1; }

size() { stat -c %s "$1"; }
# sizes: the three files' sizes, "certs enroll audit".
sizes() { echo "$(size "$ca/certs.yaml") $(size "$ca/enroll.yaml") $(size "$ca/audit.yaml")"; }
# lose C E A: the tails past those sizes lost; audit.yaml's as zeros.
lose() {
	a=$(size "$ca/audit.yaml")
	truncate -s "$1" "$ca/certs.yaml"
	truncate -s "$2" "$ca/enroll.yaml"
	truncate -s "$3" "$ca/audit.yaml"
	truncate -s "$a" "$ca/audit.yaml"
}
# enroll NAME: one enrollment; its serial in NAME.serial when it got one.
enroll() {
	csr "$1" 2048
	est simpleenroll -u "$1:$tok" -H 'Content-Type: application/pkcs10' \
	    --data-binary @"$1.b64"
	if [ "$code" = 200 ]; then
		base64 -d body | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
		    openssl x509 -noout -serial | sed 's/.*=//' | tr 'A-F' 'a-f' >"$1.serial"
	fi
}
svc() { pgrep -P "$spid" | head -n 1; }
# jhas: the journal holds a record (its first tag; preallocated, it is
# empty when four zero bytes follow the header).
jhas() { [ "$(dd if="$ca/journal" bs=1 skip=20 count=4 2>/dev/null)" = JREC ]; }
# rec1_end: where the journal's first record ends (its body length at 36).
rec1_end() {
	echo $((40 + 32 + $(od -An -tu1 -j36 -N4 "$ca/journal" |
	    awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')))
}
# dies: waits for the service to end (killed by its test hook).
dies() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 600 ]; do i=$((i + 1)); sleep 0.05; done
	kill -0 "$1" 2>/dev/null && { fail "the service did not die at $2"; kill -9 "$1"; }
	wait "$spid" 2>/dev/null
}
in_db() {
	"$M" ca list --format csv >list.csv 2>/dev/null
	grep -q "^0*$(cat "$1.serial")," list.csv
}
check() {
	"$M" ca check >check.out 2>&1 && ok "ca check passes ($1)" ||
	    { fail "ca check ($1)"; sed 's/^/    | /' check.out; }
}

# ---- 3 batches acknowledged, the tails of the last 2 lost ----
serve_start
pid=$(svc)
# The first batch writes certs.idx (a cache) too: measure the second.
enroll a0
if command -v strace >/dev/null 2>&1; then
	strace -f -p "$pid" -e trace=fdatasync,fsync -o trace.txt 2>strace.err &
	tpid=$!
	i=0
	while ! grep -q attached strace.err 2>/dev/null && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
	enroll a1
	kill -INT "$tpid"; wait "$tpid" 2>/dev/null
	n=$(grep -c 'sync(' trace.txt)
	[ "$n" = 1 ] && ok "one enrollment: one fdatasync (the journal's)" ||
	    { fail "one enrollment: $n syncs"; cat trace.txt; }
else
	enroll a1
fi
[ -s a1.serial ] || fail "a1 not enrolled: $code"
set -- $(sizes)
c1=$1 e1=$2 a1=$3
enroll a2
enroll a3
[ -s a2.serial ] && [ -s a3.serial ] || fail "a2, a3 not enrolled"
jhas && ok "the journal holds the batches" ||
    fail "the journal is empty while the service runs"
kill -9 "$pid"; wait "$spid" 2>/dev/null
lose "$c1" "$e1" "$a1"
in_db a3 && fail "the simulated loss did not take a3" || ok "a3 lost from certs.yaml (simulated crash)"
"$M" ca check >check.out 2>&1 && ok "ca check after the loss passes" ||
    { fail "ca check after the loss"; sed 's/^/    | /' check.out; }
grep -q 'records a crash had lost written again' check.out &&
    ok "ca check: $(grep -o 'journal: [0-9]* records a crash had lost' check.out)" ||
    { fail "ca check does not report the replay"; cat check.out; }
for n in a0 a1 a2 a3; do
	in_db $n && ok "$n's certificate (received) is in the database" ||
	    fail "$n's certificate is missing after the replay"
done
grep -c 'action: journal-replay' "$ca/audit.yaml" >n.replay
[ "$(cat n.replay)" -ge 2 ] && ok "audited: $(cat n.replay) journal-replay records" ||
    fail "journal-replay audit records: $(cat n.replay)"
"$M" ca check >check2.out 2>&1 && ! grep -q 'written again' check2.out &&
    grep -q 'ca/ca/journal: 4 batches, every record in the files' check2.out &&
    ok "a second ca check: nothing to write again" ||
    { fail "second ca check"; cat check2.out; }
# The token's uses survived: 4 spent of 50.
"$M" ca token list >tl 2>&1
grep -q '4/50' tl && ok "the token's 4 uses are recorded" || { fail "token uses"; cat tl; }

serve_start
pid=$(svc)
grep -q 'ca/ca/journal: 4 batches of the last run, every record in the files' serve.err &&
    ok "ca serve checked the journal at start" || { fail "start note"; cat serve.err; }
! jhas && ok "emptied at start" || fail "journal not emptied at start"

# ---- killed with the batch written, the journal not ----
kill -TERM "$pid"; wait "$spid" 2>/dev/null
MINIPKI_TEST_CRASH=apply serve_start
pid=$(svc)
enroll b1
dies "$pid" apply
[ "$code" = 200 ] && fail "b1 answered though killed before the commit" ||
    ok "killed before the journal's sync: b1 got no certificate ($code)"
! jhas && ok "the journal holds nothing of it" ||
    fail "the journal holds a batch never committed"
check "killed before the journal's sync"

# ---- killed after the commit, the tails lost ----
set -- $(sizes)
c1=$1 e1=$2 a1=$3
MINIPKI_TEST_CRASH=commit serve_start
pid=$(svc)
set -- $(sizes)
c1=$1 e1=$2 a1=$3
enroll c1
dies "$pid" commit
[ "$code" = 200 ] && fail "c1 answered though killed before the answer" || :
lose "$c1" "$e1" "$a1"
serve_start
pid=$(svc)
grep -q 'ca/ca/certs.yaml: 1 record from offset' serve.err &&
    ok "after the commit, lost: ca serve wrote certs.yaml's record again" ||
    { fail "no replay at start"; cat serve.err; }
grep -c 'action: journal-replay' "$ca/audit.yaml" >n2
[ "$(cat n2)" -gt "$(cat n.replay)" ] && ok "audited" || fail "the replay at start is not audited"
enroll c2
[ -s c2.serial ] && ok "serves after the replay" || fail "c2: $code"
kill -TERM "$pid"; wait "$spid" 2>/dev/null
check "killed after the commit, tails lost"

# ---- the journal's last record torn, then garbage ----
for how in torn garbage; do
	MINIPKI_TEST_CRASH=commit serve_start
	pid=$(svc)
	set -- $(sizes)
	c1=$1 e1=$2 a1=$3
	enroll "t-$how"
	dies "$pid" commit
	end=$(rec1_end)
	if [ $how = torn ]; then
		# Its last 10 bytes never reached the disk.
		head -c 10 /dev/zero | dd of="$ca/journal" bs=1 seek=$((end - 10)) \
		    conv=notrunc 2>/dev/null
	else
		# Garbage where the end mark was.
		printf 'GARBAGE-NOT-A-RECORD' | dd of="$ca/journal" bs=1 seek=$end \
		    conv=notrunc 2>/dev/null
	fi
	lose "$c1" "$e1" "$a1"
	rm -f "$ca/journal.torn"
	serve_start
	pid=$(svc)
	if [ $how = torn ]; then
		want='ca/ca/journal: offset 20: record 1: checksum does not match; the rest ignored (an incomplete or damaged last batch, never acknowledged) (kept in ca/ca/journal.torn)'
	else
		want="ca/ca/journal: offset $end: record 2: not a record (bad tag); the rest ignored"
	fi
	grep -q "$want" serve.err && ok "$how journal tail: said on the log" ||
	    { fail "$how journal tail: not on the log"; cat serve.err; }
	grep -q 'action: journal-torn' "$ca/audit.yaml" && ok "$how: audited" ||
	    fail "$how: not audited"
	[ -s "$ca/journal.torn" ] && ok "$how: kept in journal.torn" || fail "$how: journal.torn"
	enroll "u-$how"
	[ -s "u-$how.serial" ] && ok "$how: serves" || fail "$how: u-$how: $code"
	kill -TERM "$pid"; wait "$spid" 2>/dev/null
	check "$how journal tail"
done

# ---- killed at stop: the files synced, the journal not emptied ----
MINIPKI_TEST_CRASH=settle serve_start
pid=$(svc)
enroll s1
[ -s s1.serial ] || fail "s1: $code"
kill -TERM "$pid"
dies "$pid" settle
jhas && ok "killed at stop: the journal kept" ||
    fail "killed at stop: the journal is empty"
serve_start
pid=$(svc)
grep -q 'ca/ca/journal: 1 batch of the last run, every record in the files' serve.err &&
    ok "the next start: every record in the files" || { fail "settle restart"; cat serve.err; }
kill -TERM "$pid"; wait "$spid" 2>/dev/null
in_db s1 && ok "s1 in the database" || fail "s1 missing"
check "killed at stop"

# ---- two services of one CA: the second goes without the journal ----
serve_start
pid1=$(svc) spid1=$spid
cp serve.err serve1.err
serve_start --listen unix:"$PWD/two.sock"
pid2=$(svc)
grep -q 'ca/ca/journal is held by another process: another ca serve of this CA: each batch syncs certs.yaml, enroll.yaml and audit.yaml' serve.err &&
    ok "a second service: says it goes without the journal" ||
    { fail "second service"; cat serve.err; }
enroll d2
[ -s d2.serial ] && ok "the second service enrolls" || fail "d2: $code"
jhas && fail "the second service wrote the first's journal" || ok "the first's journal untouched"
kill -TERM "$pid2"; wait "$spid" 2>/dev/null
kill -TERM "$pid1"; wait "$spid1" 2>/dev/null
in_db d2 && ok "d2 in the database" || fail "d2 missing"
check "two services"
[ "$fails" -eq 0 ] || exit 1
echo "all ca-serve-journal checks passed"
