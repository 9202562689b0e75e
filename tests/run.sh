#!/bin/sh
# run.sh — runs the test suites named as arguments (unit fuzz peer interop
# tui examples, or all) and ends with one summary line "N passed, N failed,
# N skipped". Exit status 0 only when nothing failed. Each test's output goes
# to tests/work/log/NAME.log and is shown when the test fails.
#
# Conventions: a test exits 0 on pass, 77 when skipped (a peer tool or the
# independent suites are absent), anything else on failure; one running
# longer than TEST_LIMIT seconds (default 900) is stopped and fails.

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
MINIPKI="$top/minipki-tui"; export MINIPKI
: "${MINIPKI_PEER:=$(cd "$top/../shared/peer" 2>/dev/null && pwd)}"; export MINIPKI_PEER
TESTS_TOP="$top"; export TESTS_TOP
log="$top/tests/work/log"
rm -rf "$log"; mkdir -p "$log"

[ $# -gt 0 ] || set -- all
[ "$*" = all ] && set -- unit fuzz peer interop examples tui

pass=0 fail=0 skip=0 failed=""
# A test that hangs fails after TEST_LIMIT seconds (0: no limit) instead of
# holding the whole run: timeout ends its process group, servers included.
limit=${TEST_LIMIT:-900}
command -v timeout >/dev/null 2>&1 || limit=0

run() {	# run NAME COMMAND...
	name=$1; shift
	lf="$log/$(echo "$name" | tr '/ ' '__').log"
	if [ "$limit" -gt 0 ]; then
		timeout -k 10 "$limit" "$@" >"$lf" 2>&1
	else
		( "$@" ) >"$lf" 2>&1
	fi
	rc=$?
	[ "$limit" -gt 0 ] && [ $rc -eq 124 ] &&
	    echo "run.sh: $name did not end within $limit s (TEST_LIMIT)" >>"$lf"
	case $rc in
	0)  pass=$((pass + 1)); echo "PASS: $name" ;;
	77) skip=$((skip + 1)); echo "SKIP: $name ($(tail -n 1 "$lf"))" ;;
	*)  fail=$((fail + 1)); failed="$failed $name"; echo "FAIL: $name (exit $rc)"
	    sed 's/^/    | /' "$lf" | tail -n 40 ;;
	esac
}

for suite in "$@"; do
	case $suite in
	unit|peer)
		for t in tests/$suite/*-test; do
			[ -x "$t" ] && run "$t" "./$t"
		done ;;
	fuzz)
		for t in tests/fuzz/fuzz-*-run; do
			[ -x "$t" ] || continue
			n=${t#tests/fuzz/fuzz-}; n=${n%-run}
			run "$t" sh -c "./$t tests/fuzz/corpus/$n/*"
		done
		# The recorded handshakes (client-*, server-*; the others
		# are what fuzzing added) still play through (fuzz-handshake.c)
		t=tests/fuzz/fuzz-handshake-run
		[ -x "$t" ] && run "$t seeds complete" env FUZZHS_EXPECT=1 \
		    FUZZ_MUTATIONS=0 "./$t" tests/fuzz/corpus/handshake/client-* \
		    tests/fuzz/corpus/handshake/server-* ;;
	interop|tui)
		for t in tests/$suite/*.sh; do
			[ -f "$t" ] && run "$t" sh "$t"
		done ;;
	examples)
		for t in examples/*.sh; do
			[ -f "$t" ] && run "$t" sh tests/run-example.sh "$t"
		done ;;
	*) echo "run.sh: unknown suite $suite" >&2; exit 2 ;;
	esac
done

[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
