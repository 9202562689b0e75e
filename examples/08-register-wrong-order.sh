#!/bin/sh
# Flow 3: the server registers with the CA, a client registers with the
# CA and then uses the server over mutual TLS — with everything started
# in the "wrong" order on purpose: the client first, then the server, the
# CA service last.
#
# Three phases, three processes:
#   1. the server registers: `server register` (EST enrollment with a
#      server-profile token), then `server run`, which asks the CA (OCSP)
#      about every client certificate before it serves it;
#   2. the client registers: `client enroll` (client profile);
#   3. the client requests service: `client connect` with its certificate
#      (mutual TLS), sending WHOAMI.
# A process whose peer is not up yet (its socket file missing, or nothing
# accepting) waits with a capped exponential backoff and says once what it
# waits for; --timeout bounds the wait (0: forever). So the order in which
# they start does not matter: here the client waits for the CA, then for
# the server; the server waits for the CA.
#
# Needs nothing but minipki-tui. Run it in an empty directory with
# MINIPKI_DIR and MINIPKI_PASSPHRASE set (see 01-request-and-issue.sh).
# The script stops at the first failure.
set -eu

: "${MINIPKI_PASSPHRASE:?set MINIPKI_PASSPHRASE to the passphrase for the keystores}"

pids=
trap 'for p in $pids; do kill $p 2>/dev/null || :; done' EXIT
trap 'exit 1' INT TERM

waitfor() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || { echo "no '$2' in $1" >&2; cat "$1" >&2; exit 1; }
		sleep 0.1
	done
}

# 0. The CA exists (its service is not running yet) and its operator made
#    two tokens, handed out with the CA certificate.
minipki-tui ca init ca --subject "CN=Example Lab Root CA" --bits 2048
minipki-tui export ca --cert --out root.pem
tserver=$(minipki-tui ca token new --ca ca --profile server --subject-match "CN=web")
tclient=$(minipki-tui ca token new --ca ca --subject-match "CN=alice")
ca=unix:$PWD/ca.sock
web=unix:$PWD/web.sock

# 1. The client first: it registers with the CA (which is not up), then
#    asks the server (which is not up either) for service.
(minipki-tui client enroll alice --ca "$ca" --anchor root.pem \
    --token "$tclient" --timeout 60 &&
 minipki-tui client connect alice "$web" --ca root.pem --timeout 60 \
    --send WHOAMI --send TIME) >client.out 2>client.log &
client=$!
pids="$pids $client"
waitfor client.log "waiting for the CA service"

# 2. The server next: it registers with the CA (still not up), then serves
#    clients whose certificates the CA says are good.
(minipki-tui server register web --ca "$ca" --anchor root.pem \
    --token "$tserver" --timeout 60 &&
 exec minipki-tui server run web --listen "$web" --ca root.pem \
    --client-auth require --status "$ca") >server.out 2>server.log &
pids="$pids $!"
waitfor server.log "waiting for the CA service"

# 3. The CA service last. Both registrations go through, then the client
#    is served.
minipki-tui ca serve --ca ca --listen "$ca" >serve.out 2>serve.log &
pids="$pids $!"
wait $client

# What each of them said: the waits, the registrations, the service.
echo "--- client"; cat client.log client.out
echo "--- server"; cat server.out server.log
grep -q "^CN=alice$" client.out
grep -q "client CN=alice: good (OCSP)" server.log
