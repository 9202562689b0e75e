#!/bin/sh
# lost-terminal.sh — a UI that loses its terminal without a SIGHUP still
# ends, and stops the CA service it runs: stopped and continued, the UI is
# no longer the pane shell's foreground job, so when the terminal goes
# (tmux ends) the hang-up signal goes to the shell only and the UI sees
# just a terminal that polls readable and reads nothing. It used to spin
# there for ever, holding the service.
. tests/tui/tuilib
tui_setup lost-terminal

M() { "$MINIPKI" --dir "$W/ws" "$@"; }
MINIPKI_PASSPHRASE=ca-pass M ca init --subject "CN=Lost Root" --bits 2048 \
    >/dev/null 2>&1 || tui_fail "ca init"
sock=$W/ws/ca/ca/ca.sock

TUI_SIZE=80x24 tui_start
tui_wait "Menu"
sh_pid=$(tmx list-panes -t t -F '#{pane_pid}')
pid=$(pgrep -o -P "$sh_pid" -f minipki-tui) || tui_fail "no process"
tui_keys 5 s
tui_wait "Start the CA service"
tui_keys Tab Tab Tab Tab Tab
tui_type "ca-pass"
tui_keys Enter
tui_wait "Running: CA 'ca', pid" 60
spid=$(pgrep -P "$pid") || tui_fail "no service process"
[ -S "$sock" ] || tui_fail "no socket at $sock"
kill -STOP "$pid"
tui_wait "EXITED"	# the shell's job control: stopped
kill -CONT "$pid"
tmx kill-server
n=150
while kill -0 "$pid" 2>/dev/null; do
	n=$((n - 1))
	[ $n -gt 0 ] || { kill "$pid"; echo "FAIL: the UI did not end without its terminal"; exit 1; }
	sleep 0.1
done
n=150
while kill -0 "$spid" 2>/dev/null || [ -e "$sock" ]; do
	n=$((n - 1))
	[ $n -gt 0 ] || { kill "$spid"; echo "FAIL: the service outlived the UI"; exit 1; }
	sleep 0.1
done
echo "lost terminal ok"
