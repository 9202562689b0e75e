#!/bin/sh
# mouse.sh — clicks as the terminal reports them (xterm X10 mouse reports,
# what ncurses decodes for tmux's TERM=screen: ESC [ M, then 32+button,
# 32+column+1, 32+row+1; button 0 pressed, 3 released), typed into the
# pane as raw input: a click on a menu item opens its screen, a click on a
# list row selects that row (the summary below follows), also in a zoomed
# list, a click in the log focuses the log.
. tests/tui/tuilib
tui_setup mouse

# Three keystores to click between (the CLI makes them quickly).
for n in alice bob carol; do
	MINIPKI_PASSPHRASE=mouse-pass "$MINIPKI" --dir "$W/ws" key new $n \
	    --bits 2048 >/dev/null 2>&1 || tui_fail "key new $n"
done

# click X Y: a press and a release of button 1 at column X, row Y (0-based).
click() {
	cx=$(printf "\\$(printf '%03o' $(($1 + 33)))")
	cy=$(printf "\\$(printf '%03o' $(($2 + 33)))")
	tui_type "$(printf '\033[M ')$cx$cy$(printf '\033[M#')$cx$cy"
}
# row TEXT: the screen row (0-based) of the first line showing TEXT.
row() {
	tui_screen | grep -n -F -- "$1" | head -1 | cut -d: -f1 |
	    awk '{ print $1 - 1 }'
}

tui_start
tui_wait "Entities *"
tui_wait " alice "
tui_wait "Entity alice"

# The menu: "Inventory" is the third item (row 4); a click opens it.
y=$(row "│ Inventory")
[ -n "$y" ] || y=$(row "| Inventory")
[ "$y" = 4 ] || tui_fail "the menu's Inventory is on row '$y', not 4"
click 3 "$y"
tui_wait "Inventory *"
tui_wait "No CA yet"
# Back to the entities by a click on the menu; the focus went there.
click 3 "$(row " Entities ")"
tui_wait "Entities *"
tui_wait "Entity alice"

# A list row: carol's, then bob's. The summary follows the selection.
y=$(row " carol ")
[ -n "$y" ] || tui_fail "carol is not on the screen"
click 30 "$y"
tui_wait "Entity carol"
tui_gone "Entity alice"
click 30 "$(row " bob ")"
tui_wait "Entity bob"
tui_gone "Entity carol"
# The keys go on from the clicked row: Down selects carol.
tui_keys j
tui_wait "Entity carol"
# Zoomed, the list fills the screen: a click at its left edge is on its
# rows (the clicks use the layout that is drawn), not on the hidden menu.
tui_keys z
tui_wait_gone "Summary"
click 3 "$(row " alice ")"
sleep 0.5	# the click is resolved before the next key (mouseinterval)
tui_keys z
tui_wait "Entity alice"
tui_gone "Entity carol"

# A click in the log window moves the focus there.
y=$(row " Log ")
[ -n "$y" ] || tui_fail "no log window"
click 10 $((y + 1))
tui_wait "Log *"

tui_keys q
tui_wait "EXITED 0"
echo "mouse ok"
