#!/bin/sh
# demo-lab.sh — the first-run welcome and the demo lab, driven in tmux:
# the lab is made without freezing the screen, the entities, the server's
# certificate decoded with its chain and ASN.1 tree, a verification, the
# inventory with a filter; then the CLI and OpenSSL judge what was made.
. tests/tui/tuilib
tui_setup demo
tui_start

tui_wait "This workspace"
tui_wait "create the demo lab"
tui_keys d
tui_wait "Create the demo lab"
tui_type "demo-pass"; tui_keys Tab
tui_type "other"; tui_keys Enter
tui_wait "the two passphrases differ"
tui_keys C-u; tui_type "demo-pass"; tui_keys Enter
tui_wait "demo lab ready" 60
for n in alice bob demo-ca server; do tui_wait " $n "; done
tui_wait "CN=localhost, O=minipki demo"

# The server (last row): its certificate, the chain as a tree, ASN.1.
tui_keys G Enter
tui_wait "Certificate (server.crt.pem)"
tui_wait "CN=minipki Demo Root CA, O=minipki demo  (root)"
tui_wait "CN=localhost, O=minipki demo  (leaf)"
tui_wait "Subject: CN=localhost"
tui_keys t
tui_wait "offset   len  ASN.1"
tui_wait "OBJECT IDENTIFIER sha256WithRSAEncryption"
tui_keys j j j
tui_wait "tag 0x02 INTEGER  offset 10  header 2  length 1"
tui_keys Escape Escape
tui_wait "Entities *"

# Verify the server for localhost: every step ok.
tui_keys v
tui_wait "Verify a certificate"
tui_wait "localhost"
tui_keys Enter
# Long steps wrap: the result is at the end (G).
tui_wait_gone "Verify a certificate"
tui_keys G
tui_wait "RESULT: valid (2 certificates in the path)"
tui_wait "ok    host name 'localhost'"
tui_gone "FAIL"

# Inventory: three certificates, a filter as you type.
tui_keys 2
tui_wait "CA demo-ca: 3 certificates, 3 shown"
tui_keys / a l i c
tui_wait "CA demo-ca: 3 certificates, 1 shown"
tui_wait "CN=alice, O=minipki demo"
tui_gone "CN=bob"
tui_keys Escape
tui_wait "3 shown"

# The learning aid.
tui_keys o
tui_wait "openssl: openssl x509"
tui_keys q
tui_wait "EXITED 0"

# The workspace as the CLI sees it, and OpenSSL's verdict.
"$MINIPKI" --dir "$W/ws" ca list --ca demo-ca >"$W/list" || tui_fail "ca list"
[ "$(grep -c valid "$W/list")" -eq 3 ] || tui_fail "ca list: $(cat "$W/list")"
"$MINIPKI" --dir "$W/ws" export server --cert --der --out "$W/server.der" ||
    tui_fail "export server"
"$MINIPKI" --dir "$W/ws" export demo-ca --cert --out "$W/root.pem" ||
    tui_fail "export demo-ca"
if command -v openssl >/dev/null 2>&1; then
	openssl x509 -inform DER -in "$W/server.der" -out "$W/server.pem"
	openssl verify -CAfile "$W/root.pem" -purpose sslserver \
	    -verify_hostname localhost -verify_ip 127.0.0.1 "$W/server.pem" ||
	    tui_fail "openssl verify of the demo server"
	for c in alice bob; do
		"$MINIPKI" --dir "$W/ws" export $c --cert --der --out "$W/$c.der"
		openssl x509 -inform DER -in "$W/$c.der" -out "$W/$c.pem"
		# The peer profile: either side of mutual TLS, and signed
		# (S/MIME) messages.
		for pu in sslclient sslserver smimesign smimeencrypt; do
			openssl verify -CAfile "$W/root.pem" -purpose $pu \
			    "$W/$c.pem" || tui_fail "openssl verify -purpose $pu of $c"
		done
	done
fi
# The passphrase opens the keystores.
MINIPKI_PASSPHRASE=demo-pass "$MINIPKI" --dir "$W/ws" export alice --key \
    --no-encrypt --out "$W/alice.key" || tui_fail "alice's keystore"
# alice signs, bob opens what is sealed to him.
printf 'hello bob\n' >"$W/note.txt"
MINIPKI_PASSPHRASE=demo-pass "$MINIPKI" --dir "$W/ws" msg sign alice \
    --in "$W/note.txt" --out "$W/note.sig" || tui_fail "msg sign alice"
"$MINIPKI" --dir "$W/ws" msg verify --ca "$W/root.pem" "$W/note.sig" \
    >"$W/verify.out" || tui_fail "msg verify: $(cat "$W/verify.out")"
"$MINIPKI" --dir "$W/ws" export bob --cert --out "$W/bob-chain.pem"
"$MINIPKI" --dir "$W/ws" msg seal --to "$W/bob-chain.pem" --in "$W/note.txt" \
    --out "$W/note.cms" || tui_fail "msg seal --to bob"
[ "$(MINIPKI_PASSPHRASE=demo-pass "$MINIPKI" --dir "$W/ws" msg open bob \
    "$W/note.cms")" = "hello bob" ] || tui_fail "msg open bob"
echo "demo lab ok"
