#!/bin/sh
# Flow 4: a TLS service with client certificates.
#
# The CA issues a server certificate for localhost and a client
# certificate for alice. The server role runs the line service (WHOAMI,
# ECHO, TIME, QUIT) over TLS and requires a client certificate issued by
# the CA; alice connects with hers and the server answers WHOAMI with her
# subject. A client without a certificate is refused in the handshake.
# Then alice's key and certificate go out as PKCS#12, the form browsers
# and curl take, and curl makes the same handshake with it.
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
#    A connection silent for 3 seconds is closed (for curl in step 5).
minipki-tui server run server --listen unix:"$PWD/tls.sock" --ca root.pem \
    --client-auth require --idle-timeout 3 >server.out 2>server.log &
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

# 5. alice's key, certificate and the root as PKCS#12 (mode 0600, under
#    her keystore passphrase here; MINIPKI_EXPORT_PASSPHRASE sets another),
#    handed to curl as a browser would take it. The service speaks lines,
#    not HTTP, so it answers curl's request line with an error line: the
#    proof that the handshake, which requires a client certificate, went
#    through with the one from the file. The passphrase goes to curl in a
#    config on standard input, not on its command line.
minipki-tui export alice --p12 --out alice.p12
if command -v curl >/dev/null 2>&1; then
	printf 'pass = "%s"\n' "$MINIPKI_PASSPHRASE" |
	    curl -sS -K - --http0.9 --unix-socket "$PWD/tls.sock" \
	    --cacert root.pem --cert alice.p12 --cert-type P12 \
	    https://localhost/ >curl.txt
	head -n 1 curl.txt
	grep -q "ERR unknown command 'GET / HTTP/1.1'" curl.txt
else
	echo "curl not installed: step 5 shows only the export"
fi
# A browser imports alice.p12 under its certificate settings; Java reads
# it as a keystore of type PKCS12; Windows with certutil -importPFX.

# From OpenSSL (TCP only):
#   minipki-tui export alice --key --no-encrypt --out alice.key
#   openssl s_client -connect 127.0.0.1:PORT -CAfile root.pem -cert alice.pem -key alice.key
