#!/bin/sh
# Flow 4: a TLS service with client certificates.
#
# The CA issues a server certificate for localhost and a client
# certificate for alice. The server role runs the line service (WHOAMI,
# ECHO, TIME, QUIT) over TLS and requires a client certificate issued by
# the CA; alice connects with hers and the server answers WHOAMI with her
# subject. A client without a certificate is refused in the handshake.
#
# Run it in an empty directory with MINIPKI_DIR and MINIPKI_PASSPHRASE set
# (see 01-request-and-issue.sh). The script stops at the first failure.
set -eu

: "${MINIPKI_PASSPHRASE:?set MINIPKI_PASSPHRASE to the passphrase for the keystores}"

# 1. The PKI: a CA, a server entity, a client entity, each certified; the
#    CA stores each certificate in the keystore that holds its key.
minipki-tui ca init ca --subject "CN=Example Lab Root CA" --bits 2048
minipki-tui export ca --cert --out root.pem
minipki-tui key new server --bits 2048
minipki-tui csr new server --subject "CN=localhost" \
    --san "DNS:localhost,IP:127.0.0.1" --out server.csr
minipki-tui ca issue --ca ca --csr server.csr --profile server --out server.pem
minipki-tui key new alice --bits 2048
minipki-tui csr new alice --subject "CN=alice,O=Example Lab" --out alice.csr
minipki-tui ca issue --ca ca --csr alice.csr --profile client --out alice.pem

# 2. The server, in the background, on a Unix socket; it prints
#    "listening on ADDR" once ready.
minipki-tui server run server --listen unix:"$PWD/tls.sock" --ca root.pem \
    --client-auth require >server.out 2>server.log &
server=$!
trap 'kill $server 2>/dev/null' EXIT
trap 'exit 1' INT TERM
# Unlocking the key can take seconds on a busy machine; a server that
# failed to start is seen at once.
i=0
until grep -q listening server.out 2>/dev/null; do
	i=$((i + 1))
	kill -0 $server 2>/dev/null && [ $i -lt 600 ] || { cat server.log; exit 1; }
	sleep 0.1
done

# 3. alice connects with her certificate, checks the server's against the
#    root for the name localhost, and talks to the service.
minipki-tui client connect alice unix:"$PWD/tls.sock" --ca root.pem \
    --server-name localhost --send WHOAMI --send "ECHO hello" --send QUIT \
    >answers.txt
cat answers.txt
grep -q "CN=alice" answers.txt

# 4. Anonymous: the server requires a certificate, so the handshake fails
#    (exit status 1) and the reason is printed.
if minipki-tui client connect unix:"$PWD/tls.sock" --ca root.pem \
    --server-name localhost --send WHOAMI; then
	echo "an anonymous client got through client-auth require" >&2
	exit 1
fi
# From OpenSSL (TCP only):
#   minipki-tui export alice --key --no-encrypt --out alice.key
#   openssl s_client -connect 127.0.0.1:PORT -CAfile root.pem -cert alice.pem -key alice.key
