#!/bin/sh
# cancel.sh — slow work runs in the background: quitting asks first while
# it runs, Esc cancels it, and a cancelled key leaves no keystore.
. tests/tui/tuilib
tui_setup cancel
tui_start
tui_wait "create a root CA through a form"
tui_keys 1
tui_wait "No entities yet"

# q while a 4096-bit key is being made: a question, not an exit.
tui_keys n
tui_wait "New key"
tui_type "slow"; tui_keys Tab Right Right Tab; tui_type "pw"; tui_keys Tab
tui_type "pw"; tui_keys Enter q
tui_wait "Quit minipki-tui? (y/n)"
tui_keys n
tui_wait_gone "Quit minipki-tui?"
tui_wait "key 'slow' made" 120

# Esc right after the start cancels: nothing is written.
tui_keys n
tui_wait "New key"
tui_type "gone"; tui_keys Tab Right Right Tab; tui_type "pw"; tui_keys Tab
tui_type "pw"; tui_keys Enter Escape
tui_wait "key generation: cancelled"
tui_gone "key 'gone' made"
sleep 1
tui_gone "key 'gone' made"
[ -e "$W/ws/keys/gone.yaml" ] && tui_fail "a cancelled key was written"
tui_wait " slow "
tui_keys q
tui_wait "EXITED 0"
echo "cancel ok"
