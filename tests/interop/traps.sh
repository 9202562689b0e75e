#!/bin/sh
# traps.sh — every trap of the test and example scripts that fires on INT
# or TERM must end the script: dash (our sh) runs the handler and then goes
# on with the script, so 'trap cleanup EXIT INT TERM' cleaned up and kept
# running after ^C. The way: 'trap cleanup EXIT' and 'trap "exit 2" INT
# TERM' (the exit runs the EXIT trap). Most tests set theirs in testlib's
# test_setup; the sourced libraries (tests/interop/*lib) are read like the
# scripts. Also checked by running it: a script with that pair, killed by
# TERM, cleans up once and stops; and one that calls test_setup stops, its
# work directory and background process gone.
set -u
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
w=$(mktemp -d) || exit 2
trap 'rm -rf "$w"' EXIT
trap 'exit 2' INT TERM

for f in tests/interop/*.sh tests/interop/*lib examples/*.sh; do
	[ -f "$f" ] || continue
	# trap ACTION SIG...: the action is quoted or one word
	grep -n '^[[:space:]]*trap ' "$f" | while IFS= read -r l; do
		n=${l%%:*}
		t=${l#*:}
		t=${t#*trap }
		case $t in
		\'*) act=${t#\'}; act=${act%%\'*}; sigs=${t#\'"$act"\'} ;;
		\"*) act=${t#\"}; act=${act%%\"*}; sigs=${t#\""$act"\"} ;;
		*) act=${t%% *}; sigs=${t#"$act"} ;;
		esac
		case " $sigs " in
		*" INT "*|*" TERM "*) ;;
		*) continue ;;
		esac
		case $act in
		exit|exit\ *|*\;\ exit|*\;\ exit\ *|*\&\&\ exit*) ;;
		*) echo "$f:$n: trap on INT/TERM does not exit: $act" ;;
		esac
	done
done >"$w/bad"
if [ -s "$w/bad" ]; then
	fail "traps that do not exit:"; sed 's/^/    /' "$w/bad"
fi

# The pair, for real under sh: cleanup once, nothing after the kill.
cat >"$w/t.sh" <<'SH'
trap 'echo cleanup' EXIT
trap 'exit 2' INT TERM
kill -TERM $$
echo continued
SH
out=$(sh "$w/t.sh")
rc=$?
[ "$rc" -eq 2 ] && [ "$out" = cleanup ] ||
    fail "sh with the EXIT/INT TERM pair: exit $rc, output '$out'"

# testlib's test_setup, for real (MINIPKI: any program; none is run).
cat >"$w/lib.sh" <<'SH'
. tests/interop/testlib
test_setup traps-testlib pass
# (once it has started: a TERM that comes between the fork and the exec
# of a command is lost)
sh -c ': >"$1/ready"; exec sleep 60' sh "$w" >/dev/null 2>&1 &
pids=$!
i=0
while [ ! -e ready ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.1; done
echo "$w $pids"
kill -TERM $$
echo continued
SH
out=$(MINIPKI=/bin/true sh "$w/lib.sh")
rc=$?
set -- $out
if [ "$rc" -ne 2 ] || [ $# -ne 2 ]; then
	fail "test_setup, killed by TERM: exit $rc, output '$out'"
else
	[ -e "$1" ] && fail "test_setup, killed by TERM: $1 is left"
	# gone or a zombie (nothing may reap it here); the kill may take a while
	i=0
	while s=$(ps -o stat= -p "$2" 2>/dev/null) && [ "${s#Z}" = "$s" ]; do
		i=$((i + 1))
		[ $i -gt 50 ] && { fail "test_setup, killed by TERM: process $2 is left"; kill "$2"; break; }
		sleep 0.1
	done
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "traps: all passed"
