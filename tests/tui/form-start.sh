#!/bin/sh
# form-start.sh — forms start from what the user just made or is looking
# at: after n makes key 'web' (the CA listed first, and selected before),
# r opens the request form for 'web'; Verify opened from the Detail of the
# certificate just issued starts with that certificate's file.
. tests/tui/tuilib
tui_setup formstart
tui_start "MINIPKI_LOG='$W/tui.log'"

tui_wait "create a root CA through a form"
tui_keys a
tui_wait "Create a root CA"
tui_keys Tab C-u; tui_type "Form Root"
tui_keys Tab Tab Tab Left Tab Tab Tab Tab; tui_type "ca-pass"; tui_keys Tab; tui_type "ca-pass"
tui_keys Enter
tui_wait "CA 'ca' created" 60

tui_keys n
tui_wait "New key"
tui_type "web"; tui_keys Tab Tab; tui_type "web-pass"; tui_keys Tab
tui_type "web-pass"; tui_keys Enter
tui_wait "key 'web' made" 60
# r, with no move in between: the form is for 'web', not 'ca'.
tui_keys r
tui_wait "New certificate request"
tui_screen | grep -q "Entity *web *$\|Entity *\[*web" ||
    tui_fail "the request form is not for 'web'"
tui_wait "$W/ws/requests/web.csr.pem"
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab; tui_type "DNS:web.example"
tui_keys Tab Tab; tui_type "web-pass"
tui_keys Enter
tui_wait "request for 'web' written to"

# Issue it; the Detail of the new certificate, then Verify from there.
tui_keys i
tui_wait "Issue: open a request"
tui_keys Enter
tui_wait "Profile      server"
tui_keys a
tui_wait "Unlock CA 'ca'"
tui_type "ca-pass"; tui_keys Enter
tui_wait "Certificate (the new certificate)" 30
tui_keys 4
tui_wait "Verify a certificate"
tui_screen | grep -q "│ Certificate  *$W/ws/requests/web.crt.pem" ||
    tui_fail "Verify does not start with the new certificate's file"
tui_keys Enter
tui_wait_gone "Verify a certificate"
tui_keys G
tui_wait "RESULT: valid"
tui_keys q
tui_wait "EXITED 0"
echo "form-start: all passed"
