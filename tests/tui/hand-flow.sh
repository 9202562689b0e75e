#!/bin/sh
# hand-flow.sh — everything by hand through the forms: a root CA, a key, a
# request (with a validation message), the review and approval (after a
# wrong CA passphrase), the certificate decoded, verifications that pass
# and fail, exports; OpenSSL then checks the exported files.
. tests/tui/tuilib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
tui_setup hand
# The workspace through a path longer than the title bar: the bar cuts it
# from the left and still shows the CA state.
L=$W/a-directory-with-a-long-name/another-directory-with-a-long-name/end-of-path
mkdir -p "$W/ws" "$(dirname "$L")" && ln -s "$W/ws" "$L" || tui_fail "symlink"
tui_start "MINIPKI_DIR='$L'"

tui_wait "create a root CA through a form"
# The help lists the screens' digit shortcuts (from the screen table).
tui_keys '?'
tui_wait "1 2 3 4 5 6 7  Entities, Inventory, Issue, Verify, CA service, Server, Roles"
tui_keys Escape
tui_wait_gone "Help: Welcome screen"
# Root CA: name ca, CN, O, C, 2048 bits, (days, no policies,) passphrase
# twice.
tui_keys a
tui_wait "Create a root CA"
tui_keys Tab C-u; tui_type "Hand Root CA"
tui_keys Tab; tui_type "Hand Lab"
tui_keys Tab; tui_type "Germany"; tui_keys Enter
tui_wait "two letters, such as DE or US"
tui_keys C-u; tui_type "DE"
tui_keys Tab Left Tab Tab Tab Tab; tui_type "ca-pass"; tui_keys Tab; tui_type "ca-pass"
tui_keys Enter
tui_wait "CA 'ca' created" 60
tui_wait "CN=Hand Root CA"

# A key for "web".
tui_keys n
tui_wait "New key"
tui_type "web"; tui_keys Tab Tab; tui_type "web-pass"; tui_keys Tab
tui_type "web-pass"; tui_keys Enter
tui_wait "key 'web' made" 60
tui_keys G
tui_wait "no certificate yet"
# Its key, decoded after the passphrase (a wrong one first).
tui_keys Enter
tui_wait "Show the key"
tui_type "nope"; tui_keys Enter
tui_wait "wrong passphrase for keystore 'web'"
tui_keys C-u; tui_type "web-pass"; tui_keys Enter
tui_wait "Key of entity web (public part)"
tui_wait "2048"
tui_keys t
tui_wait "OBJECT IDENTIFIER rsaEncryption"
tui_keys Escape Escape
tui_wait "Entities *"

# A request: CN, O, C, SANs; a bad SAN first.
tui_keys r
tui_wait "New certificate request"
tui_keys Tab C-u; tui_type "web.example"
tui_keys Tab; tui_type "Hand Lab"
tui_keys Tab Tab; tui_type "DE"
tui_keys Tab Tab Tab; tui_type "nobody"
tui_keys Tab; tui_type "IP:300.1.1.1"
tui_keys Tab Tab; tui_type "web-pass"; tui_keys Enter
tui_wait "an address needs an '@'"
tui_wait "SAN item 1 'IP:300.1.1.1': not an IP address"
# The focus went to the first bad field (Email); the SANs are next.
tui_keys C-u Tab
tui_keys C-u; tui_type "DNS:web.example,IP:127.0.0.1"; tui_keys Enter
tui_wait "request for 'web' written to"

# Issue: the review shows the request, the checks and the profile.
tui_keys i
tui_wait "Issue: open a request"
tui_keys C-u; tui_type "$W/nothing.csr"; tui_keys Enter
tui_wait "No such file or directory"
tui_keys Escape
tui_wait_gone "Issue: open a request"
tui_keys i
tui_wait "Issue: open a request"
tui_keys Enter
tui_wait "Subject      CN=web.example, O=Hand Lab, C=DE"
tui_wait "DNS:web.example"
tui_wait "IP:127.0.0.1"
tui_wait "Key          RSA 2048 bits"
tui_wait "ok: the request's own key verifies its signature"
tui_wait "Profile      server"
tui_keys p p p
tui_wait "Profile      peer"
tui_keys p
tui_wait "Profile      server"
# Enter: the request decoded (as the review says); the Issue screen keeps
# its own text, so back there the review shows again, not the decoded text.
tui_keys Enter
tui_wait "Certificate request ("
tui_keys Escape
tui_wait "Entities *"
tui_keys Escape j j Enter
tui_wait "Issue: review a request *"
tui_wait "Profile      server"
tui_gone "Certificate request ("
tui_keys a
tui_wait "Unlock CA 'ca'"
tui_type "wrong"; tui_keys Enter
tui_wait "wrong passphrase"
tui_type "ca-pass"; tui_keys Enter
tui_wait "CA 'ca' unlocked"
tui_screen | head -1 | grep -q "workspace \.\.\..*-long-name/end-of-path  CA 'ca' unlocked" ||
    tui_fail "title bar: $(tui_screen | head -1)"
tui_wait "Certificate (the new certificate)"
tui_wait "CN=Hand Root CA, O=Hand Lab, C=DE  (root)"
tui_wait "CN=web.example, O=Hand Lab, C=DE  (leaf)"
tui_wait "' unlocked"
tui_keys t
tui_wait "offset   len  ASN.1"
tui_keys Escape Escape

# The Verify screen shows its own text, not the certificate just shown.
tui_wait "Entities *"
tui_keys Escape j j j Enter
tui_wait "V (or Enter) opens the verify form."
tui_gone "Certificate (the new certificate)"

# Verify: good for the server purpose and the host, bad for another host.
tui_keys 1
tui_wait "Entities *"
tui_keys 4
tui_wait "Verify a certificate"
tui_keys C-u; tui_type "web"; tui_keys Tab C-u; tui_type "ca"; tui_keys Tab Tab C-u
tui_type "web.example"; tui_keys Enter
# Long steps wrap: the result is at the end (G).
tui_wait_gone "Verify a certificate"
tui_keys G
tui_wait "RESULT: valid"
tui_keys V
tui_wait "Verify a certificate"
tui_keys Tab Tab Tab C-u; tui_type "other.example"; tui_keys Enter
tui_wait_gone "Verify a certificate"
tui_keys G
tui_wait "RESULT: FAIL HOST_MISMATCH"
tui_wait "FAIL  host name"

# Lock wipes the CA key.
tui_keys L
tui_wait "CA 'ca' locked"

# Exports: the CA certificate, web's certificate (DER), web's key.
tui_keys 1
tui_wait "Entities *"
tui_keys g x
tui_wait "Export"
tui_keys Tab Tab Tab C-u; tui_type "$W/out/ca.pem"; tui_keys Enter
tui_wait "exported certificate of 'ca'"
tui_keys G x
tui_keys Tab Tab Right Tab C-u; tui_type "$W/out/web.der"; tui_keys Enter
tui_wait "exported certificate of 'web'"
tui_keys x
tui_keys Tab Right Tab Tab C-u; tui_type "$W/out/web.key"
tui_keys Tab; tui_type "bad"; tui_keys Tab Tab; tui_type "export-pass"
tui_keys Enter
tui_wait "wrong passphrase"
tui_keys C-u; tui_type "web-pass"; tui_keys Enter
tui_wait "exported key of 'web'"
tui_keys o
tui_wait "openssl pkcs8 -topk8"
tui_keys q
tui_wait "EXITED 0"

o=$W/out
openssl x509 -inform DER -in "$o/web.der" -out "$o/web.pem" || tui_fail "web.der"
openssl verify -CAfile "$o/ca.pem" -purpose sslserver \
    -verify_hostname web.example "$o/web.pem" || tui_fail "openssl verify"
openssl x509 -in "$o/web.pem" -noout -ext subjectAltName | grep -q "IP Address:127.0.0.1" ||
    tui_fail "the SAN 127.0.0.1 is missing"
openssl pkey -in "$o/web.key" -passin pass:export-pass -pubout -out "$o/web.pub" ||
    tui_fail "the exported key does not open"
openssl x509 -in "$o/web.pem" -pubkey -noout | cmp -s - "$o/web.pub" ||
    tui_fail "the exported key is not the certificate's"
openssl pkey -in "$o/web.key" -passin pass:wrong -noout 2>/dev/null &&
    tui_fail "the exported key opens with a wrong passphrase"
[ "$(stat -c %a "$o/web.key")" = 600 ] || tui_fail "key file mode"
echo "hand flow ok"
