#!/bin/sh
# inbox-keys.sh — the Inbox window's listener and the Roles window's send
# keep keys out of the UI's own memory: while the listener runs, bob's key
# is in the listener's process (which the scan must find, so that a blind
# scan cannot pass) and neither the key nor the passphrase typed into the
# form is in the UI's process; after a message sent with s from the Roles
# window, neither is alice's key nor her passphrase, nor bob's after u
# opened a sealed message in the Inbox window; stopped, the listener
# and its registry entry are gone. The memory is read with
# tests/tui/memscan.py (python3, openssl, and the right to read another
# process's memory); without them the test is skipped (77).
. tests/tui/tuilib
: "${TESTS_TOP:=$(pwd)}"
tui_setup inbox-keys
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "skip: no openssl"; exit 77; }

pass=inbox-pass-7Qw-$$
M() { MINIPKI_PASSPHRASE=$pass "$MINIPKI" --dir "$W/ws" "$@" >/dev/null 2>&1; }
cd "$W/out" || tui_fail "cd"
M ca init --subject "CN=Keys Root" --bits 2048 || tui_fail "ca init"
for n in alice bob; do
	M key new $n --bits 2048 || tui_fail "key new $n"
	M csr new $n --subject CN=$n --out $n.csr || tui_fail "csr $n"
	M ca issue --csr $n.csr --profile peer --out $n.pem || tui_fail "issue $n"
	M import $n --cert $n.pem || tui_fail "import $n"
	M export $n --key --no-encrypt --out "$W/$n.key" || tui_fail "export $n --key"
done

# scan WANT PID NAME: memscan.py for NAME's key in PID; WANT 1: it must be
# there, 0: it must not.
scan() {
	out=$(python3 tests/tui/memscan.py "$2" "$W/$3.key")
	rc=$?
	case $rc in
	77) echo "skip: the memory of $2 cannot be read: $out"; exit 77 ;;
	0|1) ;;
	*) tui_fail "memscan: $out" ;;
	esac
	[ $rc -eq "$1" ] || tui_fail "memscan of $2 for $3: want $1, got $rc: $out"
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

cd "$TESTS_TOP" || tui_fail "cd top"
TUI_SIZE=80x24 tui_start MINIPKI_LOG="$W/tui.log"
tui_wait "Menu"
sh_pid=$(tmx list-panes -t "$TUI_S" -F '#{pane_pid}')
pid=$(pgrep -o -P "$sh_pid" -f minipki-tui) || tui_fail "no process"
tui_keys 8 l
tui_wait "Start a message listener"
tui_keys Space
tui_wait "< bob >"
tui_keys Tab; tui_type "$pass"; tui_keys Tab C-u; tui_type "unix:$W/bob.sock"
tui_keys Enter
tui_wait "Listener 'bob' on unix:$W/bob.sock" 60
lpid=$(pgrep -P "$pid") || tui_fail "no listener process"
[ -f "$W/ws/run/listener.$lpid.yaml" ] || tui_fail "the listener is not in the registry"
scan 1 "$lpid" bob
scan 0 "$pid" bob
grep_mem "$pid" "$pass" || tui_fail "the passphrase is in the UI's memory"
grep_mem "$pid" "$W/ws/keys" && tui_fail "the memory search is blind"

# A message from alice through the Roles window (unchecked: no status).
tui_keys 7
tui_wait "listener   bob"
tui_keys s
tui_wait "Send a signed message"
tui_keys Tab Tab; tui_type "$pass"
tui_keys Tab Tab Tab; tui_type "hello"; tui_keys Enter
n=300
until grep -F -q "send: the listener said: message 1: unchecked:" "$W/tui.log"; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || tui_fail "no verdict: $(grep send: "$W/tui.log")"
	sleep 0.1
done
scan 0 "$pid" alice
scan 0 "$pid" bob
grep_mem "$pid" "$pass" || tui_fail "the passphrase is in the UI's memory after sending"

# A sealed one, opened in the Inbox with u: bob's key is unlocked for it
# and wiped after, the passphrase too.
tui_keys s
tui_wait "Send a signed message"
tui_keys Tab Tab; tui_type "$pass"
tui_keys Tab Tab Tab; tui_type "sealed"; tui_keys Tab Space; tui_keys Enter
n=300
until grep -F -q "send: the listener said: message 2: unchecked: sealed, opened" "$W/tui.log"; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || tui_fail "no verdict: $(grep send: "$W/tui.log")"
	sleep 0.1
done
tui_keys 8
tui_wait "Inbox 'bob': 2 messages"
tui_keys End Enter
tui_wait "here it stays"
tui_keys u
tui_wait "Open a sealed message"
tui_type "$pass"; tui_keys Enter
tui_wait "Sealed, opened with 'bob''s key"
scan 0 "$pid" bob
grep_mem "$pid" "$pass" || tui_fail "the passphrase is in the UI's memory after u"
tui_keys Escape

tui_keys x
tui_wait "No listener here: stopped"
kill -0 "$lpid" 2>/dev/null && tui_fail "the listener process is left"
[ -e "$W/ws/run/listener.$lpid.yaml" ] && tui_fail "its registry entry is left"
scan 0 "$pid" bob
echo "inbox keys ok"
