#!/bin/sh
# ca-attach.sh — a certificate issued on this workspace needs no import:
# `ca issue` gives it (with the CA's chain) to the keystore that holds its
# key, so `server run` starts at once; never to a CA's keystore; to none
# when several keystores share the key (with the note saying so); a
# renewal of the same key replaces the older one.
set -u
. tests/interop/tlslib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
test_setup ca-attach attach-pass
P=minipki-tui

quiet "$M" ca init --subject "CN=Attach Root" --bits 2048
quiet "$M" export ca --cert --out root.pem
quiet "$M" key new web --bits 2048
quiet "$M" csr new web --subject CN=localhost --san DNS:localhost,IP:127.0.0.1 --out web.csr

# Before: no certificate, and the server says so.
"$M" server run web --listen "unix:$w/no.sock" >no.out 2>no.err
[ "$(cat no.err)" = "$P: entity 'web' has no certificate yet (import one issued by the CA)" ] ||
    fail "server run before the issue: $(cat no.err)"

run "$M" ca issue --csr web.csr --out web.pem
[ "$(sed -n 2p out)" = "attached to keystore web" ] || fail "ca issue: no 'attached to keystore web' line: $(cat out)"
run "$M" export web --cert --out chain.pem
[ "$(grep -c BEGIN chain.pem)" -eq 2 ] || fail "keystore web: not the certificate and the CA's"
openssl x509 -in chain.pem -noout -fingerprint -sha256 >a.fp
openssl x509 -in web.pem -noout -fingerprint -sha256 >b.fp
cmp -s a.fp b.fp || fail "keystore web holds another certificate than web.pem"

# The server starts without `import`.
sock=$w/web.sock
"$M" server run web --listen "unix:$sock" --timeout 2 >srv.out 2>srv.err &
pids=$!
wait_for srv.out "^listening on unix:" && ok "server run web after ca issue alone" ||
    { fail "server run web did not start"; cat srv.err; }
run "$M" client connect "unix:$sock" --ca root.pem --server-name localhost --send QUIT
kill $pids 2>/dev/null

# Issued again for the same key (to standard output): the newer one
# replaces it, and the note goes to stderr, not into the PEM.
"$M" ca issue --csr web.csr >web2.pem 2>err || fail "ca issue again"
[ "$(cat err)" = "$P: note: web.csr: attached to keystore web" ] || fail "second issue: stderr $(cat err)"
[ "$(grep -c BEGIN web2.pem)" -eq 1 ] || fail "second issue: stdout is not one PEM certificate"
"$M" export web --cert | openssl x509 -noout -fingerprint -sha256 >a.fp
openssl x509 -in web2.pem -noout -fingerprint -sha256 >b.fp
cmp -s a.fp b.fp || fail "keystore web kept the older certificate"

# Never a CA's own keystore (a request made with the CA's key).
quiet "$M" csr new ca --subject CN=selfish --out ca.csr
run "$M" ca issue --csr ca.csr --profile client --out selfish.pem
grep -q "attached" out && fail "the CA's keystore was given a certificate"
"$M" export ca --cert | openssl x509 -noout -fingerprint -sha256 >a.fp
openssl x509 -in root.pem -noout -fingerprint -sha256 >b.fp
cmp -s a.fp b.fp || fail "the CA's keystore changed"
run "$M" ca check

# Two keystores with one key: none is given it.
openssl genrsa -out shared.key 2048 2>/dev/null
quiet "$M" import s1 --key shared.key
quiet "$M" import s2 --key shared.key
openssl req -new -key shared.key -subj /CN=shared -out shared.csr
run "$M" ca issue --csr shared.csr --profile client --out shared.pem
grep -q "attached" out && fail "a shared key's certificate was attached"
[ "$(cat err)" = "$P: note: shared.csr: keystores s1, s2 hold its key: none was given it (import it into the right one)" ] ||
    fail "shared key: stderr $(cat err)"
"$M" export s1 --cert >/dev/null 2>&1 && fail "keystore s1 was given a certificate"

# A request for a key no keystore holds: nothing attached, no note.
openssl req -new -newkey rsa:2048 -nodes -keyout lone.key -subj /CN=lone -out lone.csr 2>/dev/null
run "$M" ca issue --csr lone.csr --profile client --out lone.pem
[ -s err ] && fail "lone key: stderr $(cat err)"
[ "$(wc -l <out)" -eq 1 ] || fail "lone key: $(cat out)"

[ "$fails" -eq 0 ]
