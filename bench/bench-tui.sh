#!/bin/sh
# bench-tui.sh — the interface over a CA of N certificates (default
# 100000): start-up to the first drawn screen, opening the inventory
# (reading the database and drawing its first rows), and each filter
# keystroke from its arrival to the end of its redraw. The program
# measures itself (MINIPKI_TUI_TIMING, into the MINIPKI_LOG file); tmux
# drives it. The database is written directly, as lifecycle-bench.sh does.
# Targets from the issue: start-up under 1 s, a filter keystroke under
# 50 ms. Not a test: nothing fails on a slow number.
# Usage: sh bench/bench-tui.sh [N]   (MINIPKI: the binary)
N=${1:-100000}
M=${MINIPKI:-$(pwd)/minipki-tui}
command -v python3 >/dev/null 2>&1 || { echo "python3 not found"; exit 77; }
command -v tmux >/dev/null 2>&1 || { echo "tmux not found"; exit 77; }
[ -c /dev/null ] || { echo "/dev/null is not a character device: tmux cannot start"; exit 77; }
w=$(pwd)/tests/work/tui-bench-$$
S=minipki-tui-bench-$$
rm -rf "$w"; mkdir -p "$w"
trap 'tmux -L "$S" kill-server 2>/dev/null; rm -rf "$w"' EXIT
MINIPKI_DIR="$w/ws" MINIPKI_PASSPHRASE=bench-pass
export MINIPKI_DIR MINIPKI_PASSPHRASE

"$M" ca init b --subject "CN=Bench CA" --bits 2048 >/dev/null || exit 1
python3 - "$N" "$w/ws/ca/b/certs.yaml" <<'PY'
import hashlib, sys
n, path = int(sys.argv[1]), sys.argv[2]
out = open(path, "a")
def rec(body):
    r = "---\n" + body
    out.write(r + "sum: " + hashlib.sha256(r.encode()).hexdigest() + "\n...\n")
for i in range(n):
    s = "%032x" % (0x1000 + i)
    end = "2036" if i % 10 else "2025"   # every tenth one expired
    rec('type: issue\nserial: "%s"\nsubject: "CN=host%d.example,O=Bench"\n'
        'issuer: "CN=Bench CA"\nnot_before: 2024-01-01T00:00:00Z\n'
        'not_after: %s-01-01T00:00:00Z\nissued_at: 2024-01-01T00:00:00Z\n'
        'profile: server\nstatus: valid\ncert: MAA=\n' % (s, i, end))
PY

tmx() { tmux -L "$S" -f /dev/null "$@"; }
wait_for() {
	n=600
	while [ $n -gt 0 ]; do
		tmx capture-pane -p -t t | grep -F -q -- "$1" && return 0
		sleep 0.05; n=$((n - 1))
	done
	echo "bench-tui: the screen never showed '$1'"; exit 1
}
log=$w/tui.log
tmx new-session -d -s t -x 120 -y 40 "env MINIPKI_LOG='$log' MINIPKI_TUI_TIMING=1 '$M'; sleep 600"
wait_for "Entities"
tmx send-keys -t t 2
wait_for "CA b: $N certificates, $N shown"
tmx send-keys -t t /
for k in h o s t 1 2 3; do
	lines=$(grep -c "^timing: key" "$log")
	tmx send-keys -t t "$k"
	n=200
	while [ "$(grep -c "^timing: key" "$log")" -le "$lines" ] && [ $n -gt 0 ]; do
		sleep 0.05; n=$((n - 1))
	done
done
wait_for "/host123_"
tmx send-keys -t t Escape q

first=$(awk '/^timing: first screen/ {print $4}' "$log")
open=$(awk '/^timing: key 50 / {print $4; exit}' "$log")
echo "database: $N certificates ($(du -h "$w/ws/ca/b/certs.yaml" | cut -f1))"
echo "start-up to the first screen:     $first ms (target < 1000)"
echo "open the inventory (key 2):       $open ms (reads $N records, sorts)"
awk '/^timing: key/ {n++; if (n > 2) { t[n] = $4; s += $4; if ($4 > m) m = $4 } }
     END { k = n - 2; if (k > 0) printf "filter keystroke: mean %.1f ms, max %.1f ms over %d keys (target < 50)\n", s / k, m, k }' "$log"
