#!/bin/sh
# keywipe.sh — the Connect window's keys are wiped from the program's
# memory when they are no longer needed: the client's when its connection
# ends, both sides' on L, the server's on x; and a key generation's child
# holds no copy of the server's key. The memory is read with
# tests/tui/memscan.py, which needs python3, openssl and the right to read
# another process's memory (root or ptrace rights). Without them the check
# cannot run and the test is skipped (77), never passed; a scan that does
# not find the key a live server holds fails, so a blind scan cannot pass.
. tests/tui/tuilib
tui_setup keywipe
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "skip: no openssl"; exit 77; }

# scan WANT NAME...: memscan.py on PID ($scan_pid, else the program) for the
# keys of entities NAME; WANT 0: none may be there, 1: all must be.
scan() {
	want=$1; shift
	out=$(python3 tests/tui/memscan.py "${scan_pid:-$pid}" \
	    $(for k in "$@"; do echo "$W/$k.key"; done))
	rc=$?
	case $rc in
	77) echo "skip: the program's memory cannot be read: $out"; exit 77 ;;
	0|1) ;;
	*) tui_fail "memscan: $out" ;;
	esac
	if [ "$want" = 1 ]; then
		[ $rc -eq 1 ] && [ "$(echo "$out" | grep -c '^found ')" -eq $# ] ||
		    tui_fail "a key the program holds was not found ($*): $out"
	else
		[ $rc -eq 0 ] || tui_fail "keys still in memory: $out"
	fi
}

tui_start MINIPKI_LOG="$W/tui.log"
tui_wait "This workspace"
tui_keys d
tui_wait "Create the demo lab"
tui_type "demo-pass"; tui_keys Tab
tui_type "demo-pass"; tui_keys Enter
tui_wait "demo lab ready" 60
sh_pid=$(tmx list-panes -t t -F '#{pane_pid}')
pid=$(pgrep -o -P "$sh_pid" -f minipki-tui) || tui_fail "no process"
for k in server alice bob; do
	MINIPKI_PASSPHRASE=demo-pass "$MINIPKI" --dir "$W/ws" export "$k" \
	    --key --no-encrypt --out "$W/$k.key" >/dev/null ||
	    tui_fail "export $k --key"
done

# A connection: while it is open both keys are in memory, which the scan
# must see (else it cannot tell a wiped key from a blind read).
tui_keys Escape k k Enter
tui_wait "< alice >"
tui_keys Tab; tui_type "demo-pass"; tui_keys Enter
tui_wait "connected, TLS 1.3; server verified: CN=localhost, O=minipki demo"
scan 1 server alice
# The client ends: its key is wiped, the listening server's is kept.
tui_keys i; tui_type "QUIT"; tui_keys Enter
tui_wait "closed cleanly"
scan 0 alice

# A key generation's child holds no copy of the server's key. It is read
# once it works (its first report), stopped so that it cannot end half-way;
# a key made before it could be read is tried again.
tui_keys 1
tui_wait "Entities *"
i=0 done=
while [ -z "$done" ] && [ $i -lt 5 ]; do
	i=$((i + 1))
	tui_keys n
	tui_wait "New key"
	tui_type "slow$i"; tui_keys Tab Right Right Tab; tui_type "pw"
	tui_keys Tab; tui_type "pw"; tui_keys Enter
	n=150
	until [ "$(grep -c 'key generation: generating a 4096' "$W/tui.log")" \
	    -ge $i ]; do
		n=$((n - 1))
		[ $n -gt 0 ] || tui_fail "key generation $i never began"
		sleep 0.1
	done
	if child=$(pgrep -P "$pid") && kill -STOP "$child" 2>/dev/null &&
	    [ -r "/proc/$child/maps" ]; then
		scan_pid=$child scan 0 server
		done=1
	fi
	[ -n "$child" ] && kill -CONT "$child" 2>/dev/null
	tui_wait_log "key 'slow$i' made" 120
done
[ -n "$done" ] || tui_fail "no key generation process seen"

# L stops the server wherever the user is, and wipes its key.
tui_keys L
tui_wait_log "connect: the TLS server is stopped and its keys wiped (L)"
scan 0 server alice

# TLS 1.2 with bob; x ends the client and stops the server: both wiped.
tui_keys Escape k k Enter
tui_wait "== L (lock): the client and the server are stopped"
tui_keys c
tui_wait "Connect: a TLS server and client in this process"
tui_keys Tab; tui_type "demo-pass"; tui_keys Tab Space
tui_wait "< bob >"
tui_keys Enter
tui_wait "connected, TLS 1.3; server verified: CN=localhost"
scan 1 server bob
tui_keys x
tui_wait "S * the server is stopped"
tui_wait "closed cleanly"
scan 0 server bob
tui_keys q
tui_wait "EXITED 0"
echo "keywipe ok"
