#!/bin/sh
# flows-msg.sh — signed messages between two clients over mutual TLS:
# client send started before client listen waits for it; the listener
# verifies each message (signature, chain, the signer's status with the CA
# over OCSP), stores it in its inbox and prints one line; a signer revoked
# a moment ago is shown revoked (the sender exits 1); client inbox lists
# both with their verdicts. OpenSSL judges what was stored (openssl cms
# -verify). A second listener on the same inbox is refused; a TCP
# listener is reached by its IP address; a sender the listener's CA did
# not certify is refused in the handshake; garbage instead of a frame
# gets the exact refusal.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 not installed"; exit 77; }
. tests/interop/flowslib
flows_setup flows-msg

ca=unix:$w/ca.sock
bg serve "$M" ca serve --ca ca --listen "$ca"
wait_for serve.out "^listening on "
# bob listens: the server profile (serverAuth, and clientAuth is not
# needed to listen); carol sends: the client profile.
stok=$("$M" ca token new --ca ca --profile server 2>/dev/null)
ctok=$("$M" ca token new --ca ca 2>/dev/null)
quiet "$M" client enroll bob --ca "$ca" --anchor root.pem --token "$stok" \
    --san DNS:localhost,IP:127.0.0.1
quiet "$M" client enroll carol --ca "$ca" --anchor root.pem --token "$ctok"

# the sender first: it waits for the listener
bg send1 "$M" client send carol "unix:$w/bob.sock" --message "hello bob" --timeout 60
spid=$bgpid
wait_for send1.err "waiting for the listener at unix:$w/bob.sock"
bg listen "$M" client listen bob --listen "unix:$w/bob.sock" --status "$ca"
lpid=$bgpid
wait_pid $spid
[ $rc -eq 0 ] && [ "$(cat send1.out)" = "message 1: good: signature, chain and status good: good (OCSP)" ] &&
    ok "the first message: good" || { fail "send 1: exit $rc"; sed 's/^/    | /' send1.out send1.err; }
wait_for listen.out "^message 1 from CN=carol (peer CN=carol): good: signature, chain and status good: good (OCSP); 9 bytes: hello bob$"

# OpenSSL reads what was stored and agrees
openssl cms -verify -inform DER -in ws/inbox/bob/000000001.cms -CAfile root.pem \
    -purpose any -out content.txt >osl.out 2>&1 && [ "$(cat content.txt)" = "hello bob" ] &&
    ok "openssl cms -verify: the stored message and its content" ||
    { fail "openssl cms -verify"; cat osl.out; }

# carol is revoked; her next message is shown revoked
quiet "$M" ca revoke --ca ca "$(serial_of carol)" --reason keyCompromise
printf 'second\nline' >msg.txt
expect 1 "connected: TLS 1.3, TLS_AES_128_GCM_SHA256; listener CN=bob" \
    "$M" client send carol "unix:$w/bob.sock" --in msg.txt
grep -q "^message 2: revoked: signature and chain good, but the signer is revoked (keyCompromise) on .* UTC (OCSP)$" out &&
    ok "the second message: revoked" || { fail "send 2"; cat out; }
wait_for listen.out "^message 2 from CN=carol (peer CN=carol): revoked: .*; 11 bytes: second.line$"

run "$M" client inbox bob
sed -n 1p out | grep -q "^1 [0-9T:-]*Z good from CN=carol (peer CN=carol): hello bob$" &&
    sed -n 3p out | grep -q "^2 [0-9T:-]*Z revoked from CN=carol (peer CN=carol): second.line$" &&
    sed -n 4p out | grep -q "^    signature and chain good, but the signer is revoked (keyCompromise)" &&
    ok "client inbox: both, with their verdicts" || { fail "client inbox"; cat out; }

# one listener per inbox
expect 1 "" "$M" client listen bob --listen "unix:$w/bob2.sock"
grep -q "^minipki-tui: inbox 'bob' is in use by another listener (pid [0-9]*)$" err &&
    ok "a second listener on the inbox is refused" || { fail "second listener"; cat err; }

# garbage instead of a frame: the exact refusal, as a VERDICT frame
openssl genrsa -out dave.key 2048 2>/dev/null
openssl req -new -key dave.key -subj /CN=dave -out dave.csr 2>/dev/null
quiet "$M" ca issue --ca ca --profile client --csr dave.csr --out dave.pem
(printf 'GET / HTTP/1.1\r\n\r\n'; sleep 3) | timeout 20 openssl s_client -quiet \
    -unix "$w/bob.sock" -cert dave.pem -key dave.key -CAfile root.pem >garbage.out 2>garbage.err
grep -q "refused: frame: bad magic 0x4745" garbage.out &&
    ok "garbage: 'refused: frame: bad magic 0x4745'" || { fail "garbage"; od -c garbage.out | head; }
wait_for listen.err "^connection [0-9]*: frame: bad magic 0x4745$"

# a sender from another CA is refused in the handshake
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem \
    -subj /CN=Other -days 2 >/dev/null 2>&1
openssl req -new -key dave.key -subj /CN=eve -out eve.csr 2>/dev/null
openssl x509 -req -in eve.csr -CA other.pem -CAkey other.key -set_serial 7 \
    -out eve.pem -days 1 >/dev/null 2>&1
echo x | timeout 20 openssl s_client -quiet -unix "$w/bob.sock" -cert eve.pem \
    -key dave.key -CAfile root.pem >eve.out 2>&1
wait_for listen.err "^connection [0-9]*: client certificate verify failed: issuer of 'CN=eve': no certificate named 'CN=Other' among the 1 trust anchor"
kill $lpid

# over TCP, the listener's IP address checked in its certificate
free_port
bg tlisten "$M" client listen bob --listen "tcp:127.0.0.1:$port" --ca root.pem
wait_for tlisten.out "^listening on "
ctok=$("$M" ca token new --ca ca 2>/dev/null)
quiet "$M" client enroll frank --ca "$ca" --anchor root.pem --token "$ctok"
expect 0 "" "$M" client send frank "tcp:127.0.0.1:$port" --message "over tcp"
[ "$(cat out)" = "message 3: unchecked: signature and chain good; status not asked (no --status)" ] &&
    ok "tcp: unchecked without --status" || { fail "tcp send"; cat out err; }

[ "$fails" -eq 0 ]
