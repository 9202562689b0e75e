#!/bin/sh
# Name constraints: an intermediate CA limited to one lab domain.
#
# A lab CA should only vouch for the lab's own names. The root signs an
# intermediate whose critical nameConstraints extension permits DNS names
# under lab.example (and mail on it, and the lab's 10.20.0.0/16 network)
# and excludes admin.lab.example. The intermediate then refuses to issue a
# certificate for a name outside that, naming the constraint; and a
# certificate made outside the CA's checks (here by OpenSSL with the same
# key, when it is installed) fails verification with a step that says why.
#
# Run it in an empty directory with MINIPKI_DIR and MINIPKI_PASSPHRASE set
# (see 01-request-and-issue.sh). The script stops at the first failure.
set -eu

: "${MINIPKI_PASSPHRASE:?set MINIPKI_PASSPHRASE to the passphrase for the keystores}"

# 1. The root, then the constrained intermediate.
minipki-tui ca init root --subject "CN=Example Root CA,O=Example"
minipki-tui ca init lab --parent root --pathlen 0 \
    --subject "CN=Lab CA,O=Example" \
    --permit "DNS:lab.example,email:lab.example,IP:10.20.0.0/16" \
    --exclude "DNS:admin.lab.example"
minipki-tui export root --cert --out root.pem
minipki-tui export lab --cert --out lab.pem

# 2. A server inside the lab domain is issued and verifies; the steps
#    show the lab CA's constraints.
minipki-tui key new web
minipki-tui csr new web --subject "CN=web.lab.example" \
    --san "DNS:web.lab.example,IP:10.20.1.5" --out web.csr
minipki-tui ca issue --ca lab --csr web.csr --profile server --out web.pem
minipki-tui verify --ca root.pem --untrusted lab.pem --purpose server web.pem

# 3. A name outside lab.example is refused by the CA itself (exit 1),
#    with the constraint named.
minipki-tui key new shop
minipki-tui csr new shop --subject "CN=shop.example.com" \
    --san "DNS:shop.example.com" --out shop.csr
if minipki-tui ca issue --ca lab --csr shop.csr --profile server \
    --out shop.pem; then
	echo "the lab CA issued a name outside lab.example" >&2
	exit 1
fi

# 4. The same certificate signed behind the CA's back (OpenSSL with the
#    lab CA's key) does not verify: the step names the subtree.
if command -v openssl >/dev/null 2>&1; then
	minipki-tui export lab --key --out lab-key.pem
	printf 'subjectAltName=DNS:shop.example.com\n' >shop.ext
	openssl x509 -req -in shop.csr -CA lab.pem -CAkey lab-key.pem \
	    -passin env:MINIPKI_PASSPHRASE -set_serial 7 -days 30 \
	    -extfile shop.ext -out rogue.pem 2>/dev/null
	if minipki-tui verify --ca root.pem --untrusted lab.pem rogue.pem; then
		echo "a certificate outside the constraints verified" >&2
		exit 1
	fi
	#   openssl verify -CAfile root.pem -untrusted lab.pem rogue.pem
	if openssl verify -CAfile root.pem -untrusted lab.pem rogue.pem; then
		echo "openssl accepted it too?" >&2
		exit 1
	fi
fi
