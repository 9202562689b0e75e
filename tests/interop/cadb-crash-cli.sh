#!/bin/sh
# cadb-crash-cli.sh — `kill -9` the issuing process at random moments.
#
# Runs `ca issue` batches in the background and kills each one after a
# random delay (from before the CA key is unlocked to after the last
# certificate is written), over at least 200 processes and 200 issuances
# (it goes on past PROCS processes until 200 issuances were acknowledged:
# under load more kills land before the first one).
# Every serial a process reported (a line "issued SERIAL ..." printed after
# its record was synced) must be in the database afterwards, the database
# must load, hold no duplicate, and accept new issuances.
set -u
. tests/interop/testlib
test_setup cadb-crash-cli crash-pass

PROCS=${CRASH_PROCS:-220}
BATCH=4
LIMIT=170	# seconds: stop early (still checking) past this

now_ms() { echo $(($(date +%s%N) / 1000000)); }
rand() { od -An -N4 -tu4 /dev/urandom | tr -d ' '; }

"$M" ca init --subject "CN=Crash Root" --bits 2048 >/dev/null || exit 1
"$M" key new req >/dev/null || exit 1
"$M" csr new req --subject "CN=crash.example" --san "DNS:crash.example" \
    --out r.csr || exit 1
set --
i=0
while [ $i -lt $BATCH ]; do set -- "$@" --csr r.csr; i=$((i + 1)); done

# How long one uninterrupted batch takes, to spread the kills over it.
t0=$(now_ms)
"$M" ca issue "$@" --out-dir first >first.out || exit 1
span=$(($(now_ms) - t0))
[ "$span" -gt 0 ] || span=1
max=$((span * 13 / 10 + 1))
echo "one batch of $BATCH: ${span} ms; kills at random in 0..${max} ms"
cat first.out >acked

start=$(date +%s)
p=0 killed=0 completed=0 acked_n=0
while [ $p -lt $PROCS ] || [ "$acked_n" -lt 200 ]; do
	"$M" ca issue "$@" --out-dir out >"o.$p" 2>"e.$p" &
	pid=$!
	ms=$(($(rand) % max))
	sleep "$(awk "BEGIN { print $ms / 1000 }")"
	if kill -9 "$pid" 2>/dev/null; then
		killed=$((killed + 1))
	fi
	wait "$pid" 2>/dev/null
	rc=$?
	if [ "$rc" -eq 0 ]; then
		completed=$((completed + 1))
	elif [ "$rc" -ne 137 ] && [ "$rc" -ne 1 ]; then
		# 1: the killed predecessor's lock not yet released is fine.
		echo "process $p: exit $rc"
		sed 's/^/    | /' "e.$p"
	fi
	cat "o.$p" >>acked
	acked_n=$(grep -c '^issued ' acked)
	p=$((p + 1))
	# Under load a batch takes longer than the one measured, and nearly
	# every kill lands before the commit: widen the window (at most to 10
	# spans) while fewer than one issuance in two processes is acknowledged.
	if [ $p -ge 20 ] && [ $((acked_n * 2)) -lt $p ] && [ $max -lt $((span * 10)) ]; then
		max=$((max * 12 / 10 + 1))
		[ $((p % 20)) -eq 0 ] && echo "after $p processes: $acked_n acknowledged; kills now in 0..${max} ms"
	fi
	[ $(($(date +%s) - start)) -lt $LIMIT ] || break
done

acked_n=$(grep -c '^issued ' acked)
echo "$p processes: $killed killed, $completed completed; $acked_n issuances acknowledged"

if ! "$M" ca list --format csv >list.csv 2>list.err; then
	echo "FAIL: the database does not load"
	cat list.err
	exit 1
fi
sed 's/^/list: /' list.err
tail -n +2 list.csv | cut -d, -f1 | sort >db.serials
total=$(wc -l <db.serials)
echo "database: $total certificates"
[ "$(sort -u db.serials | wc -l)" -eq "$total" ] || fail "duplicate serials"
grep '^issued ' acked | cut -d' ' -f2 | sort -u >acked.serials
missing=$(comm -23 acked.serials db.serials | wc -l)
if [ "$missing" -ne 0 ]; then
	fail "$missing acknowledged serial(s) missing from the database:"
	comm -23 acked.serials db.serials | head
fi
[ "$killed" -gt 0 ] && [ "$acked_n" -gt 0 ] ||
    fail "no kill or no acknowledged issuance: nothing tested"
[ "$total" -ge 200 ] || fail "only $total issuances reached the database"
[ "$p" -ge 200 ] || echo "note: only $p processes within ${LIMIT}s"
# Still writable, and the new record is there.
if "$M" ca issue --csr r.csr --out-dir after >after.out 2>after.err; then
	s=$(cut -d' ' -f2 after.out)
	"$M" ca list --format csv | grep -q "^$s," ||
	    fail "a new issuance is not listed"
else
	fail "no issuance possible after the crashes"
	cat after.err
fi

[ "$fails" -eq 0 ] || exit 1
echo "all passed"
