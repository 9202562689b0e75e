#!/bin/sh
# Flow 3: an intermediate CA.
#
# The root CA's key should sign rarely and stay locked away; day-to-day
# certificates come from an intermediate CA that the root signs once. A
# client that trusts only the root verifies a leaf by the chain leaf ->
# intermediate -> root, given the intermediate as an untrusted helper.
# pathlen 0 lets the intermediate sign end-entity certificates only.
#
# Run it in an empty directory with MINIPKI_DIR and MINIPKI_PASSPHRASE set
# (see 01-request-and-issue.sh). The script stops at the first failure.
set -eu

: "${MINIPKI_PASSPHRASE:?set MINIPKI_PASSPHRASE to the passphrase for the keystores}"

# 1. The root, then the intermediate signed by it.
minipki-tui ca init root --subject "CN=Example Lab Root CA,O=Example Lab"
minipki-tui ca init issuing --parent root --pathlen 0 \
    --subject "CN=Example Lab Issuing CA,O=Example Lab"
minipki-tui export root --cert --out root.pem
minipki-tui export issuing --cert --out issuing.pem

# 2. A client certificate from the intermediate.
minipki-tui key new bob
minipki-tui csr new bob --subject "CN=bob,O=Example Lab" --out bob.csr
minipki-tui ca issue --ca issuing --csr bob.csr --profile client --out bob.pem

# 3. Verify with only the root trusted; the steps name each link.
minipki-tui verify --ca root.pem --untrusted issuing.pem --purpose client bob.pem

# 4. Without the intermediate there is no path to the root (exit 1).
if minipki-tui verify --ca root.pem --purpose client bob.pem; then
	echo "a chain without its intermediate was accepted" >&2
	exit 1
fi

# 5. The root's database records the intermediate it signed.
minipki-tui ca list --ca root
#   openssl verify -CAfile root.pem -untrusted issuing.pem -purpose sslclient bob.pem
if command -v openssl >/dev/null 2>&1; then
	openssl verify -CAfile root.pem -untrusted issuing.pem -purpose sslclient bob.pem
fi
