#!/bin/sh
# Flow 2: revoke a certificate and publish a CRL.
#
# The CA issues a server certificate, then learns that the server's key
# leaked: it revokes the certificate with reason keyCompromise. Revoking
# regenerates the CA's CRL (a v2 CRL with a cRLNumber one above the last);
# anyone who verifies with that CRL now refuses the certificate. Then the
# server gets a new key and a new certificate for the same name: issuing
# again after a revocation simply works. Every step is in the CA's audit
# log, which `ca check` verifies.
#
# Run it in an empty directory with MINIPKI_DIR and MINIPKI_PASSPHRASE set
# (see 01-request-and-issue.sh). The script stops at the first failure.
set -eu

: "${MINIPKI_PASSPHRASE:?set MINIPKI_PASSPHRASE to the passphrase for the keystores}"

# 1. A CA and a server certificate for www.lab.example.
minipki-tui ca init ca --subject "CN=Example Lab Root CA,O=Example Lab"
minipki-tui export ca --cert --out root.pem
minipki-tui key new www
minipki-tui csr new www --subject "CN=www.lab.example" \
    --san "DNS:www.lab.example" --out www.csr
minipki-tui ca issue --ca ca --csr www.csr --profile server --out www.pem
minipki-tui verify --ca root.pem --purpose server --host www.lab.example www.pem

# 2. The key leaked: revoke by serial (as `ca list` shows it). The first
#    column of `ca list --format csv` after its header is the serial.
serial=$(minipki-tui ca list --ca ca --format csv | sed -n 2p | cut -d, -f1)
minipki-tui ca revoke --ca ca "$serial" --reason keyCompromise

# 3. The CRL that `ca revoke` wrote, and a fresh one valid for 30 days.
minipki-tui ca crl --ca ca --days 30 --out ca.crl
minipki-tui show ca.crl

# 4. With the CRL, the certificate is refused (exit status 1: invalid).
if minipki-tui verify --ca root.pem --crl ca.crl --purpose server www.pem; then
	echo "a revoked certificate was accepted" >&2
	exit 1
fi

# 5. A new key and a new certificate for the same name: no conflict with
#    the revoked one, and it verifies against the same CRL.
minipki-tui key new www2
minipki-tui csr new www2 --subject "CN=www.lab.example" \
    --san "DNS:www.lab.example" --out www2.csr
minipki-tui ca issue --ca ca --csr www2.csr --profile server --out www2.pem
minipki-tui verify --ca root.pem --crl ca.crl --purpose server www2.pem

# 6. What the CA holds, by status; then the database and the hash-chained
#    audit log checked end to end.
minipki-tui ca list --ca ca --status revoked
minipki-tui ca check --ca ca
# The same checks with OpenSSL:
#   openssl crl -in ca.crl -CAfile root.pem -noout -verify
#   openssl verify -CAfile root.pem -CRLfile ca.crl -crl_check www.pem
if command -v openssl >/dev/null 2>&1; then
	openssl crl -in ca.crl -CAfile root.pem -noout -verify
	if openssl verify -CAfile root.pem -CRLfile ca.crl -crl_check www.pem; then
		echo "openssl accepted a revoked certificate" >&2
		exit 1
	fi
	openssl verify -CAfile root.pem -CRLfile ca.crl -crl_check www2.pem
fi
