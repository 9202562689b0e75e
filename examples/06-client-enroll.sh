#!/bin/sh
# Flow 1 over a socket with our own client only: request -> validate ->
# issue -> verify -> store, then status.
#
# The CA runs `ca serve` on a Unix socket (EST, RFC 7030, over TLS) and
# prints its certificate's fingerprint. The operator makes a one-time
# token and reads both out to the student. `client enroll` fetches the CA
# certificate and checks it against the fingerprint (EST 4.1.1), checks the
# service's TLS certificate against it, makes a key and a request, sends
# the request with the token; the CA checks the request's signature and key
# size and issues; the client verifies the certificate (its key, its
# names, the CA's signature) and stores it in the keystore beside the key.
# Then a receiver who holds only the certificate asks the CA whether it is
# good (`client status`, OCSP), before and after the CA revokes it.
#
# Needs nothing but minipki-tui. Run it in an empty directory with
# MINIPKI_DIR and MINIPKI_PASSPHRASE set (see 01-request-and-issue.sh).
# The script stops at the first failure.
set -eu

: "${MINIPKI_PASSPHRASE:?set MINIPKI_PASSPHRASE to the passphrase for the keystores}"

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
fingerprint=$(sed -n 's/^CA .* fingerprint //p' serve.out)

# 2. The operator makes a token (printed once; only its hash is kept) and
#    gives it to the student with the fingerprint.
token=$(minipki-tui ca token new --ca ca --subject-match "CN=alice.*")

# 3. The student enrolls: key, request, certificate checked and stored in
#    the keystore "alice", in one command.
minipki-tui client enroll alice --ca unix:"$PWD/ca.sock" \
    --ca-fingerprint "$fingerprint" --token "$token"

# 4. The certificate is there: exported from the keystore and verified
#    against the CA certificate (which anyone can fetch from /ca.pem).
minipki-tui export alice --cert --out alice.pem
minipki-tui export ca --cert --out root.pem
minipki-tui verify --ca root.pem --purpose client alice.pem

# 5. A receiver who was handed alice.pem asks the CA whether it is good
#    (OCSP over the same socket, the response's signature, nonce and
#    freshness checked). Exit 0: good.
minipki-tui client status alice.pem --ca unix:"$PWD/ca.sock" --anchor root.pem

# 6. The CA revokes it while the service runs; the receiver asks again.
#    Exit 1: revoked, with the reason and the date.
serial=$(minipki-tui ca list --ca ca | sed -n 's/^\([0-9A-Fa-f:]*\) .*CN=alice.*/\1/p')
minipki-tui ca revoke --ca ca "$serial" --reason keyCompromise
#    (Exit 3 would be no usable answer: that must stop the script too.)
rc=0
minipki-tui client status alice.pem --ca unix:"$PWD/ca.sock" \
    --anchor root.pem || rc=$?
[ $rc -eq 1 ] || { echo "client status after revocation: exit $rc" >&2; exit 1; }

# 7. The CRL too, checked against the CA certificate.
minipki-tui client crl --ca unix:"$PWD/ca.sock" --anchor root.pem --out ca.crl

# 8. Stop the service (SIGTERM); its socket file goes with it.
kill $serve
wait $serve || :
[ ! -e ca.sock ]
