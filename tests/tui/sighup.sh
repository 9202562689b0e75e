#!/bin/sh
# sighup.sh — an SSH drop (SIGHUP) and SIGTERM/SIGINT while the interface
# runs, once in the middle of making the demo lab: the program restores
# the terminal and exits 128+signal, the shell's terminal is sane again
# (canonical mode, echo), and every keystore left is whole.
. tests/tui/tuilib
tui_setup hup

prog_pid() {
	sh_pid=$(tmx list-panes -t t -F '#{pane_pid}')
	n=50
	while [ $n -gt 0 ]; do
		p=$(pgrep -o -P "$sh_pid" -f minipki-tui)
		[ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.1; n=$((n - 1))
	done
	tui_fail "no minipki-tui process under the pane's shell"
}

term_sane() {
	tmx send-keys -t t "clear" Enter
	tui_wait_gone "EXITED"
	tui_type "stty -a | tr ' ;' '\n\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\n' ' '; echo STTY-DONE"
	tui_keys Enter
	# The typed command line itself contains STTY-DONE: wait for the
	# output line, not just the marker, before judging.
	n=50
	until tui_screen | grep -q "^-\{0,1\}icanon -\{0,1\}echo STTY-DONE\|^-\{0,1\}echo -\{0,1\}icanon STTY-DONE"; do
		[ $n -gt 0 ] || break
		sleep 0.1; n=$((n - 1))
	done
	tui_screen | grep -q "^icanon echo STTY-DONE\|^echo icanon STTY-DONE" ||
	    tui_fail "the terminal was left in a raw state"
}

# 1. SIGHUP while the demo lab is being made.
tui_start
tui_wait "create the demo lab"
tui_keys d
tui_wait "Create the demo lab"
tui_type "pw"; tui_keys Tab; tui_type "pw"; tui_keys Enter
tui_wait "demo lab: started"
kill -HUP "$(prog_pid)"
tui_wait "EXITED 129"
tui_wait "tuitest$"
term_sane

# Whatever was made is whole: every keystore opens, the CA checks out.
for f in "$W"/ws/keys/*; do
	[ -e "$f" ] || continue
	case $f in *.yaml) ;; *) tui_fail "left behind: $f" ;; esac
	n=$(basename "$f" .yaml)
	MINIPKI_PASSPHRASE=pw "$MINIPKI" --dir "$W/ws" export "$n" --key \
	    --no-encrypt --out "$W/$n.key" || tui_fail "keystore $n is damaged"
done
if [ -d "$W/ws/ca/demo-ca" ]; then
	"$MINIPKI" --dir "$W/ws" ca list --ca demo-ca >/dev/null ||
	    tui_fail "the demo CA's database is damaged"
fi

# 2. SIGTERM on the entities screen; 3. SIGINT.
rm -rf "$W/ws"
"$MINIPKI" --dir "$W/ws" ca list --ca none >/dev/null 2>&1
MINIPKI_PASSPHRASE=pw "$MINIPKI" --dir "$W/ws" key new alice --bits 2048 >/dev/null ||
    tui_fail "key new"
for sig in TERM:143 INT:130; do
	tmx send-keys -t t "clear" Enter
	tui_type "env MINIPKI_DIR='$W/ws' '$MINIPKI'; echo EXITED \$?"
	tui_keys Enter
	tui_wait "Entities *"
	tui_wait " alice "
	kill -"${sig%:*}" "$(prog_pid)"
	tui_wait "EXITED ${sig#*:}"
	term_sane
done
MINIPKI_PASSPHRASE=pw "$MINIPKI" --dir "$W/ws" export alice --key \
    --no-encrypt --out "$W/alice2.key" || tui_fail "alice's keystore"
echo "signals ok"
