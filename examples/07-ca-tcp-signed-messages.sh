#!/bin/sh
# Flow 2: a CA on TCP port 9000 and two clients that enroll, then talk:
# signed messages over mutual TLS.
#
# The CA runs `ca serve` on tcp:127.0.0.1:9000 (EST, OCSP, CRL over TLS)
# and prints its certificate's fingerprint. Two students, alice and bob,
# enroll with one-time tokens of the peer profile: a certificate with both
# clientAuth and serverAuth, so that each can listen for messages (the TLS
# server side) and send them (the TLS client side, mutual TLS).
#
# Each runs `client listen`, which accepts mutual-TLS connections from
# holders of a certificate of the CA; `client send` signs a message (CMS
# SignedData: SHA-256, RSA, her certificate chain attached), checks bob's
# certificate, sends the message and prints bob's verdict. bob verifies the
# signature, the chain to the CA and asks the CA (OCSP) whether alice's
# certificate is still good, stores the message in his inbox with the
# verdict and prints one line; bob answers alice the same way. Then the CA
# revokes alice; her next message reaches bob but is shown revoked.
#
# The session key is TLS's own: `--trace` shows each handshake message and
# where the key schedule derives the traffic secrets ("key schedule: ..."),
# and SSLKEYLOGFILE, when set, receives those secrets (NSS key log format)
# so that Wireshark can decrypt a capture of the connection.
#
# Needs nothing but minipki-tui. Run it in an empty directory with
# MINIPKI_DIR and MINIPKI_PASSPHRASE set (see 01-request-and-issue.sh).
# PORT overrides 9000; when 9000 is taken the service picks a free port.
# The script stops at the first failure.
set -eu

: "${MINIPKI_PASSPHRASE:?set MINIPKI_PASSPHRASE to the passphrase for the keystores}"

pids=
trap 'for p in $pids; do kill $p 2>/dev/null || :; done' EXIT
trap 'exit 1' INT TERM

# waitfor FILE PATTERN: until a line of FILE matches (at most 60 s).
waitfor() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || { echo "no '$2' in $1" >&2; cat "$1" >&2; exit 1; }
		sleep 0.1
	done
}

# 1. The CA and its service on TCP port 9000 (another free port when 9000
#    is taken: the port is read back from "listening on").
minipki-tui ca init ca --subject "CN=Example Lab Root CA" --bits 2048
port=${PORT:-9000}
minipki-tui ca serve --ca ca --listen "tcp:127.0.0.1:$port" >serve.out 2>serve.log &
serve=$!
pids="$pids $serve"
# (until it listens, or ends: the port is taken)
while kill -0 $serve 2>/dev/null && ! grep -q "^listening on " serve.out; do
	sleep 0.1
done
if ! grep -q "^listening on " serve.out; then
	echo "port $port is taken; the service picks one" >&2
	minipki-tui ca serve --ca ca --listen tcp:127.0.0.1:0 >serve.out 2>serve.log &
	serve=$!
	pids="$pids $serve"
fi
waitfor serve.out "^listening on "
cat serve.out
ca=$(sed -n 's/^listening on //p' serve.out)
fingerprint=$(sed -n 's/^CA .* fingerprint //p' serve.out)

# 2. The operator makes a token for each student, of the peer profile.
tbob=$(minipki-tui ca token new --ca ca --profile peer --subject-match "CN=bob")
talice=$(minipki-tui ca token new --ca ca --profile peer --subject-match "CN=alice")

# 3. Both enroll over TCP: the CA certificate checked against the
#    fingerprint, a key made, the request sent with the token, the
#    certificate checked and stored with the CA certificate in the
#    keystore (which is why no --ca is needed below). The names are
#    those the listeners are reached by (a sender checks them).
for who in bob alice; do
	[ $who = bob ] && tok=$tbob || tok=$talice
	minipki-tui client enroll $who --ca "$ca" --ca-fingerprint "$fingerprint" \
	    --token "$tok" --san DNS:localhost,IP:127.0.0.1
done

# 4. Both listen (port 0: a free one), asking the CA about each signer.
minipki-tui client listen bob --listen tcp:127.0.0.1:0 --status "$ca" \
    >listen.out 2>listen.log &
pids="$pids $!"
minipki-tui client listen alice --listen tcp:127.0.0.1:0 --status "$ca" \
    >alisten.out 2>alisten.log &
pids="$pids $!"
waitfor listen.out "^listening on "
waitfor alisten.out "^listening on "
bobaddr=$(sed -n 's/^listening on //p' listen.out)
alicaddr=$(sed -n 's/^listening on //p' alisten.out)

# 5. alice sends a signed message; the verdict comes back ("message 1:
#    good: ..."). --trace shows where TLS derives the session keys;
#    SSLKEYLOGFILE receives them.
SSLKEYLOGFILE=$PWD/keys.log minipki-tui client send alice "$bobaddr" \
    --message "hello bob, this is alice" --trace 2>trace.log
grep "key schedule" trace.log
grep -q "^CLIENT_TRAFFIC_SECRET_0 " keys.log   # TLS 1.3's application secret
echo "TLS secrets logged: $(wc -l <keys.log) lines (for Wireshark)"
waitfor listen.out "^message 1 from CN=alice"

# 5b. bob answers alice: the same, the other way.
minipki-tui client send bob "$alicaddr" --message "hello alice, bob here"
waitfor alisten.out "^message 1 from CN=bob"

# 6. The CA revokes alice (her key is lost). Her next message still
#    arrives, and bob's listener shows it revoked: exit 1 for alice.
serial=$(minipki-tui ca list --ca ca | sed -n 's/^\([0-9a-f]*\) .*CN=alice$/\1/p')
minipki-tui ca revoke --ca ca "$serial" --reason keyCompromise
rc=0
minipki-tui client send alice "$bobaddr" --message "it is still me" || rc=$?
[ $rc -eq 1 ] || { echo "client send after revocation: exit $rc" >&2; exit 1; }
waitfor listen.out "^message 2 from CN=alice .*: revoked: "

# 7. What the listeners printed, and bob's inbox: each message with its
#    verdict, as it was when it arrived.
cat listen.out alisten.out
minipki-tui client inbox bob
