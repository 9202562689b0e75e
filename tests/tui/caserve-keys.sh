#!/bin/sh
# caserve-keys.sh — the CA service window keeps the CA key out of the UI's
# own memory: while the service runs, the key is in the service's process
# (which the scan must find, so that a blind scan cannot pass) and neither
# the key nor the passphrase typed into the form is in the UI's process.
# The memory is read with tests/tui/memscan.py (python3, openssl, and the
# right to read another process's memory: root or ptrace rights); without
# them the test is skipped (77), never passed.
. tests/tui/tuilib
tui_setup caserve-keys
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "skip: no openssl"; exit 77; }

pass=svc-pass-7Qx-$$
M() { "$MINIPKI" --dir "$W/ws" "$@"; }
MINIPKI_PASSPHRASE=$pass M ca init --subject "CN=Keys Root" --bits 2048 \
    >/dev/null 2>&1 || tui_fail "ca init"
MINIPKI_PASSPHRASE=$pass M export ca --key --no-encrypt --out "$W/ca.key" \
    >/dev/null 2>&1 || tui_fail "export ca --key"

# scan WANT PID: memscan.py for the CA key; WANT 1: it must be there, 0:
# it must not.
scan() {
	out=$(python3 tests/tui/memscan.py "$2" "$W/ca.key")
	rc=$?
	case $rc in
	77) echo "skip: the memory of $2 cannot be read: $out"; exit 77 ;;
	0|1) ;;
	*) tui_fail "memscan: $out" ;;
	esac
	[ $rc -eq "$1" ] || tui_fail "memscan of $2: want $1, got $rc: $out"
}

# grep_mem PID TEXT: 1 when TEXT's bytes are in a readable mapping of PID.
grep_mem() {
	python3 - "$1" "$2" <<'EOF'
import sys
pid, needle = sys.argv[1], sys.argv[2].encode()
found = 0
with open("/proc/%s/maps" % pid) as maps, open("/proc/%s/mem" % pid, "rb", 0) as mem:
    for line in maps:
        f = line.split()
        if "r" not in f[1] or (len(f) > 5 and f[5].startswith("[v")):
            continue
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        if hi - lo > (4 << 30):
            continue
        try:
            mem.seek(lo)
            if needle in mem.read(hi - lo):
                found = 1
        except (OSError, ValueError, OverflowError):
            pass
sys.exit(found)
EOF
}

TUI_SIZE=80x24 tui_start
tui_wait "Menu"
sh_pid=$(tmx list-panes -t t -F '#{pane_pid}')
pid=$(pgrep -o -P "$sh_pid" -f minipki-tui) || tui_fail "no process"
tui_keys 5 s
tui_wait "Start the CA service"
tui_keys Tab Tab Tab Tab Tab
tui_type "$pass"
tui_keys Enter
tui_wait "Running: CA 'ca', pid" 60
spid=$(pgrep -P "$pid") || tui_fail "no service process"
scan 1 "$spid"
scan 0 "$pid"
grep_mem "$pid" "$pass" || tui_fail "the passphrase is in the UI's memory"
# (the same search finds what the UI does hold: its workspace's path)
grep_mem "$pid" "$W/ws/ca" && tui_fail "the memory search is blind"
# Stopped, the service and its key are gone; the UI still holds neither.
tui_keys x
tui_wait "Stopped: CA 'ca'  (s starts it)"
kill -0 "$spid" 2>/dev/null && tui_fail "the service process is left"
scan 0 "$pid"
echo "caserve keys ok"
