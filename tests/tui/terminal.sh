#!/bin/sh
# terminal.sh — the screen at 80x24, the "too small" message below it, a
# resize in the middle of a form, NO_COLOR, TERM=vt100 and linux, the
# ASCII line fallback, UTF-8 in a name, help, zoom and focus.
. tests/tui/tuilib
tui_setup term
export LANG=C.UTF-8

# 80x24: every window is there.
TUI_SIZE=80x24 tui_start LANG=C.UTF-8 "MINIPKI_LOG='$W/tui.log'"
tui_wait "create a root CA through a form"
tui_wait "Menu"
tui_wait "Log"
tui_wait "a root CA  d demo lab"
[ "$(tui_screen | wc -l)" -eq 24 ] || tui_fail "not 24 lines"

# A form, then the terminal shrinks under it and grows back.
tui_keys a
tui_wait "Create a root CA"
tui_keys Tab C-u; tui_type "Grüße Root ✓"
tmx resize-window -t t -x 70 -y 20
tui_wait "terminal too small: need 80x24, have 70x20"
tui_wait_gone "Create a root CA"
tmx resize-window -t t -x 79 -y 24
tui_wait "terminal too small: need 80x24, have 79x24"
tmx resize-window -t t -x 100 -y 30
tui_wait "Create a root CA"
tui_wait "Grüße Root ✓"
tui_wait_gone "too small"
# Finish the CA: the UTF-8 name shows in the list.
tui_keys Tab Tab Tab Left Tab Tab Tab Tab; tui_type "pw"; tui_keys Tab; tui_type "pw"
tui_keys Enter
tui_wait "CA 'ca' created" 60
tui_wait "CN=Grüße Root ✓"

# Help for the focused window, zoom, focus.
tui_keys '?'
tui_wait "Help: Entities screen, main window"
tui_wait "new key for an entity"
tui_keys Escape
tui_wait_gone "Help:"
tui_keys Tab Tab
tui_wait "Log *"
tui_keys z
tui_wait "Log *"
tui_wait_gone "Menu"
tui_keys z Tab
tui_wait "Menu *"
# In the menu, End and Home go to the last and first items.
tui_keys G Enter
tui_wait "Connect: a TLS handshake, message by message"
tui_wait "Server passphrase"
tui_keys Escape
tui_wait_gone "Server passphrase"
tui_keys Escape
tui_wait "Menu *"
tui_keys g Enter
tui_wait "Welcome"
tui_keys q
tui_wait "EXITED 0"
# The log file has what the log window had.
grep -q "CA 'ca' created" "$W/tui.log" || tui_fail "MINIPKI_LOG: $(cat "$W/tui.log")"

# Colours by default (the title bar), none with NO_COLOR.
esc=$(printf '\033')
tui_keys C-l; tmx send-keys -t t "clear" Enter
tui_type "env MINIPKI_DIR='$W/ws' '$MINIPKI'; echo EXITED \$?"; tui_keys Enter
tui_wait "Entities *"
tmx capture-pane -e -p -t t | grep -q "$esc\[[0-9;]*4[0-7]m\|$esc\[[0-9;]*3[0-7]m" ||
    tui_fail "no colours by default"
tui_keys q
tui_wait "EXITED 0"
tmx send-keys -t t "clear" Enter
tui_type "env NO_COLOR=1 MINIPKI_DIR='$W/ws' '$MINIPKI'; echo EXITED \$?"
tui_keys Enter
tui_wait "Entities *"
tmx capture-pane -e -p -t t | grep -q "$esc\[[0-9;]*4[0-7]m\|$esc\[[0-9;]*3[0-7]m" &&
    tui_fail "colours despite NO_COLOR"
tmx capture-pane -e -p -t t | grep -q "$esc\[[0-9;]*7m" ||
    tui_fail "no reverse video for the selection under NO_COLOR"
tui_keys q
tui_wait "EXITED 0"

# TERM=vt100 and linux; ASCII lines on request.
for term in vt100 linux; do
	tmx send-keys -t t "clear" Enter
	tui_type "env TERM=$term MINIPKI_DIR='$W/ws' '$MINIPKI'; echo EXITED \$?"
	tui_keys Enter
	tui_wait "Entities *"
	tui_wait "CN=Gr"
	tui_keys q
	tui_wait "EXITED 0"
done
tmx send-keys -t t "clear" Enter
tui_type "env MINIPKI_ASCII=1 MINIPKI_DIR='$W/ws' '$MINIPKI'; echo EXITED \$?"
tui_keys Enter
tui_wait "+ Menu -"
tui_wait "+ Entities *-"
tui_gone "┌"
tui_keys q
tui_wait "EXITED 0"
echo "terminal ok"
