#!/bin/sh
# Flow 1 over a socket: request -> validate -> issue -> verify -> store,
# with the CA as a network service.
#
# The CA runs `ca serve` on a Unix socket (EST, RFC 7030, over TLS). The
# operator makes a one-time token; the client makes a key and a request
# with its own keystore, sends the request to the CA with curl (the token
# as the HTTP Basic password), the CA checks the request's signature and
# key size and issues; the client verifies the certificate against the CA
# and stores it beside its key. Then anyone asks the CA over OCSP whether
# the certificate is good.
#
# Needs curl and openssl (the independent client). Run it in an empty
# directory with MINIPKI_DIR and MINIPKI_PASSPHRASE set (see
# 01-request-and-issue.sh). The script stops at the first failure.
set -eu

: "${MINIPKI_PASSPHRASE:?set MINIPKI_PASSPHRASE to the passphrase for the keystores}"
for t in curl openssl; do
	command -v $t >/dev/null 2>&1 || { echo "$t not installed"; exit 77; }
done

# 1. The CA, and the service on a Unix socket. It prints the CA
#    certificate's fingerprint and "listening on ADDR" once ready.
minipki-tui ca init ca --subject "CN=Example Lab Root CA" --bits 2048
minipki-tui ca serve --ca ca --listen unix:"$PWD/ca.sock" >serve.out \
    2>serve.log &
serve=$!
trap 'kill $serve 2>/dev/null || :' EXIT
trap 'exit 1' INT TERM
i=0
until grep -q listening serve.out 2>/dev/null; do
	i=$((i + 1))
	kill -0 $serve 2>/dev/null && [ $i -lt 600 ] || { cat serve.log; exit 1; }
	sleep 0.1
done
cat serve.out

# 2. First contact: the CA certificate from /cacerts, checked against the
#    fingerprint the operator read out (EST 4.1.1). -k only for this
#    bootstrap: the chain is what is being fetched.
curl -s -k --unix-socket "$PWD/ca.sock" \
    https://localhost/.well-known/est/cacerts | base64 -d |
    openssl pkcs7 -inform DER -print_certs | openssl x509 >root.pem
want=$(sed -n 's/.*fingerprint SHA256://p' serve.out)
got=$(openssl x509 -in root.pem -noout -fingerprint -sha256 |
    sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
[ "$got" = "$want" ] || { echo "fingerprint mismatch: $got" >&2; exit 1; }

# 3. The operator makes a token (printed once; only its hash is kept).
token=$(minipki-tui ca token new --ca ca --subject-match "CN=alice.*")

# 4. The client: a key in its keystore and a request, sent as base64 DER.
minipki-tui key new alice --bits 2048
minipki-tui csr new alice --subject "CN=alice,O=Example Lab" --out alice.csr
sed '/-----/d' alice.csr >alice.b64
curl -s --fail --unix-socket "$PWD/ca.sock" --cacert root.pem \
    -u "alice:$token" -H "Content-Type: application/pkcs10" \
    --data-binary @alice.b64 https://localhost/.well-known/est/simpleenroll |
    base64 -d | openssl pkcs7 -inform DER -print_certs |
    openssl x509 >alice.pem

# 5. The client verifies the certificate and stores it with its key.
minipki-tui verify --ca root.pem --purpose client alice.pem
minipki-tui import alice --cert alice.pem

# 6. Is it good? Ask the CA over OCSP (on the same socket, over TLS).
openssl ocsp -issuer root.pem -cert alice.pem -reqout ocsp.req >/dev/null
curl -s --fail --unix-socket "$PWD/ca.sock" --cacert root.pem \
    -H "Content-Type: application/ocsp-request" --data-binary @ocsp.req \
    https://localhost/ocsp -o ocsp.resp
openssl ocsp -respin ocsp.resp -issuer root.pem -cert alice.pem \
    -CAfile root.pem -no_nonce

# 7. Stop the service (SIGTERM); its socket file goes with it.
kill $serve
wait $serve || :
[ ! -e ca.sock ]
minipki-tui ca list --ca ca
