#!/bin/sh
# traps.sh — every trap of the test and example scripts that fires on INT
# or TERM must end the script: dash (our sh) runs the handler and then goes
# on with the script, so 'trap cleanup EXIT INT TERM' cleaned up and kept
# running after ^C. The way: 'trap cleanup EXIT' and 'trap "exit 2" INT
# TERM' (the exit runs the EXIT trap). Also checked by running it: a script
# with that pair, killed by TERM, cleans up once and stops.
set -u
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
w=$(mktemp -d) || exit 2
trap 'rm -rf "$w"' EXIT
trap 'exit 2' INT TERM

for f in tests/interop/*.sh tests/interop/tlslib examples/*.sh; do
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

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "traps: all passed"
