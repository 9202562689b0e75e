#!/bin/sh
# server-keys.sh — the Server window keeps the server's key out of the UI's
# own memory: while the server runs, the key is in the server's process
# (which the scan must find, so that a blind scan cannot pass) and neither
# the key nor the passphrase typed into the form is in the UI's process;
# stopped, the process and its registry entry are gone. The memory is read
# with tests/tui/memscan.py (python3, openssl, and the right to read
# another process's memory); without them the test is skipped (77).
. tests/tui/tuilib
tui_setup server-keys
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "skip: no openssl"; exit 77; }

pass=srv-pass-9Kz-$$
M() { MINIPKI_PASSPHRASE=$pass "$MINIPKI" --dir "$W/ws" "$@" >/dev/null 2>&1; }
cd "$W/out" || tui_fail "cd"
M ca init --subject "CN=Keys Root" --bits 2048 || tui_fail "ca init"
M key new srv --bits 2048 || tui_fail "key new"
M csr new srv --subject CN=localhost --san DNS:localhost --out srv.csr || tui_fail "csr"
M ca issue --csr srv.csr --profile server --out srv.pem || tui_fail "issue"
M import srv --cert srv.pem || tui_fail "import"
M export srv --key --no-encrypt --out "$W/srv.key" || tui_fail "export srv --key"

scan() {
	out=$(python3 tests/tui/memscan.py "$2" "$W/srv.key")
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
	python3 - "$1" "$2" <<'PY'
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
PY
}

cd "$TESTS_TOP" 2>/dev/null || cd "$(dirname "$0")/../.." || tui_fail "cd top"
TUI_SIZE=80x24 tui_start
tui_wait "Menu"
sh_pid=$(tmx list-panes -t "$TUI_S" -F '#{pane_pid}')
pid=$(pgrep -o -P "$sh_pid" -f minipki-tui) || tui_fail "no process"
tui_keys 6 s
tui_wait "Start a TLS server"
tui_wait "< srv >"
tui_keys Tab; tui_type "$pass"; tui_keys Enter
tui_wait "Server 'srv' listening on tcp:127.0.0.1:" 60
spid=$(pgrep -P "$pid") || tui_fail "no server process"
[ -f "$W/ws/run/server.$spid.yaml" ] || tui_fail "the server is not in the registry"
scan 1 "$spid"
scan 0 "$pid"
grep_mem "$pid" "$pass" || tui_fail "the passphrase is in the UI's memory"
grep_mem "$pid" "$W/ws/keys" && tui_fail "the memory search is blind"
tui_keys x
tui_wait "No server running: stopped"
kill -0 "$spid" 2>/dev/null && tui_fail "the server process is left"
[ -e "$W/ws/run/server.$spid.yaml" ] && tui_fail "its registry entry is left"
scan 0 "$pid"
echo "server keys ok"
