#!/bin/sh
# Flow 1: request and issue.
#
# A client makes a key and a certificate request; the CA checks the
# request's own signature (proof of possession) and its key size, issues a
# certificate under the "client" profile; the client verifies the
# certificate against the CA's root and stores it in its keystore.
#
# Run it in an empty directory. The workspace is $MINIPKI_DIR (or
# ~/.local/share/minipki); the passphrase for every keystore comes from
# $MINIPKI_PASSPHRASE here so the script needs no terminal. Each step is
# checked: the script stops at the first failure (set -e).
set -eu

: "${MINIPKI_PASSPHRASE:?set MINIPKI_PASSPHRASE to the passphrase for the keystores}"

# 1. The CA: a self-signed root with its own encrypted keystore.
minipki-tui ca init ca --subject "CN=Example Lab Root CA,O=Example Lab,C=GB"
minipki-tui export ca --cert --out root.pem

# 2. The client: a key (kept encrypted in its keystore) and a request.
minipki-tui key new alice
minipki-tui csr new alice --subject "CN=alice,O=Example Lab" \
    --san "email:alice@lab.example,DNS:alice.lab.example" --out alice.csr

# 3. The CA validates the request and issues a certificate. Since alice's
#    keystore is in this workspace, the CA also stores the certificate
#    there, beside her key ("attached to keystore alice"): no import step.
minipki-tui ca issue --ca ca --csr alice.csr --profile client --out alice.pem

# 4. The client verifies the certificate chains to the root it trusts
#    (exit status 0 means valid), and finds it stored with its key.
minipki-tui verify --ca root.pem --purpose client alice.pem
minipki-tui export alice --cert --der --out alice-stored.der
minipki-tui show alice-stored.der | grep "CN=alice"

# 5. The CA's database lists what it issued.
minipki-tui ca list --ca ca
# For a reader who wants the same from OpenSSL:
#   openssl verify -CAfile root.pem -purpose sslclient alice.pem
if command -v openssl >/dev/null 2>&1; then
	openssl verify -CAfile root.pem -purpose sslclient alice.pem
fi
