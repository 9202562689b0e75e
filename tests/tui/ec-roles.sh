#!/bin/sh
# ec-roles.sh — P-256 keys through the Roles window (7) at 80x24: the UI's
# CA service (an RSA CA) enrolls a new entity whose key is chosen EC
# P-256 in the enroll form, and openssl reads its certificate as an
# id-ecPublicKey on prime256v1; that entity then sends (s) a signed
# message to a `client listen` (RSA) and to one with a P-256 key, both
# stored good, and `openssl cms -verify` accepts the stored message and
# shows it signed with ecdsa-with-SHA256; a sealed one to the P-256
# listener is refused with the named error in the log, and the UI goes
# on. Last, c connects ada (her P-256 certificate) to a `server run`
# requiring client certificates, and m's message, signed with her key,
# comes back through ECHO verified good.
. tests/tui/tuilib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
tui_setup ecroles
trap 'for p in $lp1 $lp2 $sp; do kill "$p" 2>/dev/null; done
      tmux -L "$TUI_SOCK" kill-server 2>/dev/null; rm -rf "$W"' EXIT

M() { "$MINIPKI" --dir "$W/ws" "$@"; }
cd "$W/out" || tui_fail "cd"
export MINIPKI_PASSPHRASE=pw
M ca init --subject "CN=EC Roles Root" --bits 2048 >/dev/null 2>&1 || tui_fail "ca init"
M key new bob --bits 2048 >/dev/null 2>&1 || tui_fail "key bob"
M key new carol --type ec >/dev/null 2>&1 || tui_fail "key carol"
for n in bob carol; do
	M csr new $n --subject CN=$n --out $n.csr >/dev/null 2>&1 || tui_fail "csr $n"
	M ca issue --csr $n.csr --profile peer --out $n.pem >/dev/null 2>&1 || tui_fail "issue $n"
	M import $n --cert $n.pem >/dev/null 2>&1 || tui_fail "import $n"
done
M export ca --cert --out ca.pem >/dev/null 2>&1 || tui_fail "export ca"
tok=$(M ca token new --profile peer 2>/dev/null) || tui_fail "token new"
unset MINIPKI_PASSPHRASE

# listen NAME: a `client listen` for NAME on $W/NAME.sock, in the
# registry; its pid in $lpid.
listen() {
	env MINIPKI_PASSPHRASE=pw "$MINIPKI" --dir "$W/ws" client listen "$1" \
	    --listen "unix:$W/$1.sock" --ca ca.pem \
	    --status "unix:$W/ws/ca/ca/ca.sock" >"$W/$1.out" 2>"$W/$1.err" &
	lpid=$!
	n=300
	until [ -e "$W/ws/run/listener.$lpid.yaml" ]; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || tui_fail "client listen $1: $(cat "$W/$1.err")"
		sleep 0.1
	done
}
listen bob; lp1=$lpid
listen carol; lp2=$lpid

TUI_SIZE=80x24 tui_start MINIPKI_LOG="$W/tui.log"
tui_wait "Menu"
tui_keys 5
tui_wait "CA service: EST enrollment"
tui_keys s
tui_wait "Start the CA service"
tui_keys Tab Tab Tab Tab Tab; tui_type "pw"; tui_keys Enter
tui_wait "Running: CA 'ca', pid" 60

# Enroll "ada" with a P-256 key (Left from RSA 2048 wraps to EC P-256).
tui_keys 7
tui_wait "Running roles on this workspace"
tui_wait "ca-service ca"
tui_wait "listener   bob"
# (a third entry is below the fold at 80x24)
tui_keys e
tui_wait "Enroll from a CA service"
tui_wait "Key (RSA bits/EC) < 2048 >"
tui_keys C-u; tui_type "unix:$W/ws/ca/ca/ca.sock"
tui_keys Tab Tab; tui_type "ada"; tui_keys Tab; tui_type "$tok"
tui_keys Tab; tui_type "ada-pw"; tui_keys Tab; tui_type "ada-pw"
tui_keys Tab Left
tui_wait "< EC P-256 >"
tui_keys Enter
tui_wait_log "enroll: certificate " 60
grep -q "enroll: making a P-256 key and enrolling 'ada'" "$W/tui.log" ||
    tui_fail "the job did not say it makes a P-256 key: $(grep enroll "$W/tui.log")"
grep -q "type: ec" "$W/ws/keys/ada.yaml" || tui_fail "ada's keystore is not of type ec"
M export ada --cert --out ada.pem >/dev/null 2>&1 || tui_fail "export ada"
openssl x509 -in ada.pem -noout -text >ada.txt || tui_fail "openssl x509 ada.pem"
grep -q "Public Key Algorithm: id-ecPublicKey" ada.txt &&
    grep -q "ASN1 OID: prime256v1" ada.txt ||
    { cat ada.txt; tui_fail "ada's certificate is not for a P-256 key"; }
openssl verify -CAfile ca.pem ada.pem >/dev/null 2>&1 || tui_fail "openssl verify ada.pem"

# s: a message from ada (ECDSA) to bob's listener.
tui_keys s
tui_wait "Send a signed message"
tui_keys C-u; tui_type "unix:$W/bob.sock"
tui_wait "< ada >"
tui_keys Tab Tab; tui_type "ada-pw"
tui_keys Tab Tab Tab; tui_type "hello bob from ada"; tui_keys Enter
tui_wait_log "send: the listener said: message 1: good:" 60
tui_wait "signed by ada (ECDSA P-256"
f=$(ls "$W/ws/inbox/bob/"*.cms 2>/dev/null | head -1)
[ -n "$f" ] || tui_fail "bob's inbox holds no message"
openssl cms -verify -inform DER -in "$f" -CAfile ca.pem -out got.txt \
    -signer signer.pem 2>cms.err || tui_fail "openssl cms -verify: $(cat cms.err)"
[ "$(cat got.txt)" = "hello bob from ada" ] || tui_fail "the content: $(cat got.txt)"
openssl x509 -in signer.pem -noout -subject | grep -q "CN *= *ada" ||
    tui_fail "the signer is not ada"
openssl cms -cmsout -print -inform DER -in "$f" | grep -q "algorithm: ecdsa-with-SHA256" ||
    tui_fail "the SignerInfo is not ecdsa-with-SHA256"

# To carol's P-256 listener: signed, good; sealed, refused by name.
tui_keys s
tui_wait "Send a signed message"
tui_keys C-u; tui_type "unix:$W/carol.sock"
tui_keys Tab Tab; tui_type "ada-pw"
tui_keys Tab Tab Tab; tui_type "hello carol"; tui_keys Enter
n=600
until grep -q "message 1 from CN=ada .*: good:" "$W/carol.out"; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || tui_fail "carol's listener: $(cat "$W/carol.out" "$W/carol.err")"
	sleep 0.1
done
[ "$(grep -c "send: the listener said: message 1: good:" "$W/tui.log")" = 2 ] ||
    tui_fail "the UI did not say carol's verdict: $(grep send: "$W/tui.log")"
tui_keys s
tui_wait "Send a signed message"
tui_keys C-u; tui_type "unix:$W/carol.sock"
tui_keys Tab Tab; tui_type "ada-pw"
tui_keys Tab Tab Tab; tui_type "sealed for carol"; tui_keys Tab Space
tui_wait "< AES-256-CBC, RSA-OAEP >"
tui_keys Enter
tui_wait_log "send: not sent: recipient 'CN=carol': a P-256 EC key: sealing to EC recipients (ECDH key agreement) is not supported; seal to an RSA certificate" 60
grep -q "sealed for carol" "$W/carol.out" && tui_fail "the sealed message reached carol"
tui_wait "<- not sent: recipient 'CN=carol'"

# c: ada's P-256 certificate presented to a server that requires one.
env MINIPKI_PASSPHRASE=pw "$MINIPKI" --dir "$W/ws" server run bob \
    --listen "unix:$W/srv.sock" --ca ca.pem --client-auth require \
    >"$W/srv.out" 2>"$W/srv.err" &
sp=$!
n=300
until grep -q "listening on" "$W/srv.out"; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || tui_fail "server run: $(cat "$W/srv.err")"
	sleep 0.1
done
tui_keys c
tui_wait "Connect a client"
tui_keys C-u; tui_type "unix:$W/srv.sock"; tui_keys Tab Space
tui_wait "< ada >"
tui_keys Tab; tui_type "ada-pw"; tui_keys Tab Tab C-u Enter
tui_wait "verified CN=bob" 30
tui_wait_log "roles: connected to unix:$W/srv.sock, server CN=bob verified"
tui_keys m
tui_wait "sign> _"
tui_type "echo from ada"; tui_keys Enter
tui_wait_log "roles: signed message verified: good" 30
tui_wait "signer CN=ada"
tui_keys Escape x
grep -q "CN=ada" "$W/srv.err" || tui_fail "the server did not see ada: $(cat "$W/srv.err")"
tui_keys q
tui_wait "EXITED 0"
echo "ec-roles: all passed"
