#!/bin/sh
# nameconstr-openssl.sh — name constraints, judged by OpenSSL.
# 1. Our CA: `ca init --parent --permit --exclude` writes a critical
#    nameConstraints extension; what the constrained CAs issue verifies
#    with us and with `openssl verify -x509_strict`; what their (or their
#    parents') constraints leave out is refused, naming the constraint;
#    bad lists are usage errors.
# 2. Chains made by OpenSSL with constraints of every form we match (DNS,
#    email, IP v4 and v6, URI, directory name; permitted and excluded):
#    `minipki-tui verify` and `openssl verify -x509_strict` give the same
#    verdict, and ours names the constraint when it fails.
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
. tests/interop/testlib
test_setup nameconstr-openssl nc-pass

# ---- 1. our CA ----
quiet "$M" ca init root --bits 2048 --subject "CN=NC Root,O=Lab"
expect 2 "minipki-tui ca init: --permit and --exclude need --parent: verifiers do not apply a root's own name constraints (RFC 5280 6.1), so they would limit nothing; constrain an intermediate: ca init NAME --parent ROOT --permit LIST" \
    "$M" ca init x --bits 2048 --subject "CN=X" --permit DNS:lab.example
expect 2 "minipki-tui ca init: --permit: item 2 'IP:10.20.0.1/16': host bits set below the /16 prefix" \
    "$M" ca init x --parent root --bits 2048 --subject "CN=X" \
    --permit "DNS:lab.example,IP:10.20.0.1/16"
expect 2 "minipki-tui ca init: --exclude: item 1 'mail:x': unknown type 'mail' (known: DNS, IP, email, URI, dirName)" \
    "$M" ca init x --parent root --bits 2048 --subject "CN=X" \
    --exclude "mail:x"
run "$M" ca init lab --parent root --pathlen 1 --bits 2048 \
    --subject "O=Lab,CN=Lab CA" \
    --permit "DNS:lab.example,email:lab.example,IP:10.20.0.0/16,IP:fd00:20::/32,dirName:O=Lab" \
    --exclude "DNS:admin.lab.example,DNS:secret.dev.lab.example,dirName:O=Lab,OU=Guests"
grep -qx "name constraints: critical, permitted DNS:lab.example, email:lab.example, IP:10.20.0.0/16, IP:fd00:20::/32, dirName:O=Lab; excluded DNS:admin.lab.example, DNS:secret.dev.lab.example, dirName:O=Lab, OU=Guests" out ||
    { fail "ca init does not print the constraints"; cat out; }
quiet "$M" export root --cert --der --out root.der
openssl x509 -inform DER -in root.der -out root.pem || fail "root to PEM"
quiet "$M" export lab --cert --out lab.pem
# OpenSSL reads the extension as we meant it.
openssl x509 -in lab.pem -noout -text >lab.txt || fail "x509 -text lab"
grep -q "X509v3 Name Constraints: critical" lab.txt &&
    grep -q "DNS:lab.example" lab.txt && grep -q "IP:10.20.0.0/255.255.0.0" lab.txt &&
    grep -q "DirName:O = Lab, OU = Guests" lab.txt ||
    { fail "openssl does not show the constraints"; cat lab.txt; }
# A sub-CA inside dirName O=Lab, constrained further.
run "$M" ca init dev --parent lab --bits 2048 --subject "O=Lab,CN=Dev CA" \
    --permit "DNS:dev.lab.example"
quiet "$M" export dev --cert --out dev.pem

req() {	# req NAME SUBJECT [SAN]
	quiet "$M" key new "$1" --bits 2048
	if [ -n "${3:-}" ]; then
		quiet "$M" csr new "$1" --subject "$2" --san "$3" --out "$1.csr"
	else
		quiet "$M" csr new "$1" --subject "$2" --out "$1.csr"
	fi
}
req web "O=Lab,CN=web" "DNS:web.lab.example,IP:10.20.1.5,IP:fd00:20::5"
run "$M" ca issue --ca lab --csr web.csr --profile server --out web.pem
req mail "O=Lab,CN=ops" "email:ops@lab.example,DNS:mail.lab.example"
run "$M" ca issue --ca lab --csr mail.csr --profile client --out mail.pem
req api "O=Lab,CN=api" "DNS:api.dev.lab.example"
run "$M" ca issue --ca dev --csr api.csr --profile server --out api.pem

# Refusals name the constraint, the CA's own or a parent's.
req shop "O=Lab,CN=shop" "DNS:shop.example.com"
expect 1 "minipki-tui: shop.csr: CA 'lab': name constraints of 'O=Lab, CN=Lab CA' refuse it: DNS name 'shop.example.com' is not within the permitted subtrees (DNS:lab.example)" \
    "$M" ca issue --ca lab --csr shop.csr --profile server --out shop.pem
req admin "O=Lab,CN=admin" "DNS:db.admin.lab.example"
expect 1 "minipki-tui: admin.csr: CA 'lab': name constraints of 'O=Lab, CN=Lab CA' refuse it: DNS name 'db.admin.lab.example' is within the excluded subtree DNS:admin.lab.example" \
    "$M" ca issue --ca lab --csr admin.csr --profile server --out admin.pem
req guest "O=Lab,OU=Guests,CN=guest" "DNS:guest.lab.example"
expect 1 "minipki-tui: guest.csr: CA 'lab': name constraints of 'O=Lab, CN=Lab CA' refuse it: subject 'O=Lab, OU=Guests, CN=guest' is within the excluded subtree dirName:O=Lab, OU=Guests" \
    "$M" ca issue --ca lab --csr guest.csr --profile server --out guest.pem
req net "O=Lab,CN=net" "DNS:net.lab.example,IP:10.21.0.1"
expect 1 "minipki-tui: net.csr: CA 'lab': name constraints of 'O=Lab, CN=Lab CA' refuse it: IP address 10.21.0.1 is not within the permitted subtrees (IP:10.20.0.0/16, IP:fd00:20::/32)" \
    "$M" ca issue --ca lab --csr net.csr --profile server --out net.pem
req hostcn "O=Lab,CN=www.other.example"
expect 1 "minipki-tui: hostcn.csr: CA 'lab': name constraints of 'O=Lab, CN=Lab CA' refuse it: DNS name 'www.other.example' is not within the permitted subtrees (DNS:lab.example)" \
    "$M" ca issue --ca lab --csr hostcn.csr --profile server --out hostcn.pem
expect 1 "minipki-tui: web.csr: CA 'dev': name constraints of 'O=Lab, CN=Dev CA' refuse it: DNS name 'web.lab.example' is not within the permitted subtrees (DNS:dev.lab.example)" \
    "$M" ca issue --ca dev --csr web.csr --profile server --out web2.pem
req secret "O=Lab,CN=secret" "DNS:secret.dev.lab.example"
expect 1 "minipki-tui: secret.csr: CA 'dev': name constraints of 'O=Lab, CN=Lab CA' refuse it: DNS name 'secret.dev.lab.example' is within the excluded subtree DNS:secret.dev.lab.example" \
    "$M" ca issue --ca dev --csr secret.csr --profile server --out secret.pem
expect 1 "minipki-tui: CA 'lab': name constraints of 'O=Lab, CN=Lab CA' refuse it: subject 'O=Other, CN=Bad CA' is not within the permitted subtrees (dirName:O=Lab)" \
    "$M" ca init bad --parent lab --bits 2048 --subject "O=Other,CN=Bad CA"

cat lab.pem >chain-lab.pem
cat dev.pem >chain-dev.pem	# dev's chain file holds lab's too
for leaf in web mail api; do
	chain=chain-lab.pem
	[ $leaf = api ] && chain=chain-dev.pem
	if openssl verify -x509_strict -CAfile root.pem -untrusted $chain \
	    $leaf.pem >$leaf.openssl 2>&1; then
		ok "openssl -x509_strict accepts $leaf"
	else
		fail "openssl rejects $leaf"; cat $leaf.openssl
	fi
	if "$M" verify --ca root.pem --untrusted $chain $leaf.pem >$leaf.out 2>&1 &&
	    grep -q "ok    name constraints of 'O=Lab, CN=Lab CA': critical, permitted" $leaf.out; then
		ok "we accept $leaf, showing the constraints"
	else
		fail "we reject $leaf"; cat $leaf.out
	fi
done

# A renewal of the constrained intermediate keeps its constraints, byte
# for byte, still critical.
labserial=$("$M" ca list --ca root --format csv | grep "CN=Lab CA" | cut -d, -f1)
run "$M" ca renew --ca root "$labserial" --out lab-renewed.pem
openssl x509 -in lab-renewed.pem -noout -ext nameConstraints >renewed.txt 2>&1 &&
    openssl x509 -in lab.pem -noout -ext nameConstraints >orig.txt 2>&1 &&
    grep -q "critical" renewed.txt && cmp -s renewed.txt orig.txt ||
    { fail "the renewal lost or changed the name constraints"; cat renewed.txt; }

# ---- 2. chains made by OpenSSL ----
cat >ext.cnf <<'EOF'
[req]
distinguished_name = dn
[dn]

[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[int]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical,permitted;DNS:lab.example,permitted;email:.lab.example,permitted;IP:10.20.0.0/255.255.0.0,permitted;IP:fd00:20::/ffff:ffff::,permitted;URI:.lab.example,permitted;dirName:dir_ok,excluded;DNS:admin.lab.example,excluded;IP:10.20.99.0/255.255.255.0,excluded;dirName:dir_bad

[dir_ok]
O = Lab

[dir_bad]
O = Lab
OU = Guests

[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

die() { echo "nameconstr-openssl: $*"; exit 1; }
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.key \
    2>/dev/null || die "genpkey"
openssl req -x509 -new -key k.key -subj "/CN=OpenSSL NC Root" -days 3650 \
    -set_serial 1 -config ext.cnf -extensions root -sha256 -out oroot.pem \
    2>/dev/null || die "root"
openssl req -new -key k.key -subj "/O=Lab/CN=OpenSSL NC Int" -config ext.cnf \
    -out oint.csr 2>/dev/null || die "int req"
openssl x509 -req -in oint.csr -CA oroot.pem -CAkey k.key -set_serial 2 \
    -days 3650 -extfile ext.cnf -extensions int -sha256 -out oint.pem \
    2>/dev/null || die "int"
n=10
leaf() {	# leaf NAME SUBJECT SAN
	n=$((n + 1))
	{ cat ext.cnf; echo "[leaf_$1]"; sed -n '/^\[leaf\]/,$p' ext.cnf | tail -n +2
	  [ -n "$3" ] && echo "subjectAltName = $3"; } >"$1.cnf"
	openssl req -new -key k.key -subj "$2" -config ext.cnf -out "$1.csr" \
	    2>/dev/null || die "req $1"
	openssl x509 -req -in "$1.csr" -CA oint.pem -CAkey k.key -set_serial $n \
	    -days 30 -extfile "$1.cnf" -extensions "leaf_$1" -sha256 \
	    -out "$1.pem" 2>/dev/null || die "x509 $1"
}
leaf dns_in "/O=Lab/CN=a" "DNS:a.lab.example,DNS:lab.example"
leaf dns_out "/O=Lab/CN=a" "DNS:a.lab.example,DNS:lab.example.com"
leaf dns_excl "/O=Lab/CN=a" "DNS:x.admin.lab.example"
leaf mail_in "/O=Lab/CN=a" "email:a@mx.lab.example"
leaf mail_out "/O=Lab/CN=a" "email:a@lab.example"
leaf mail_subj "/O=Lab/CN=a/emailAddress=a@other.example" "DNS:a.lab.example"
leaf ip4_in "/O=Lab/CN=a" "IP:10.20.3.4"
leaf ip4_out "/O=Lab/CN=a" "IP:10.30.3.4"
leaf ip4_excl "/O=Lab/CN=a" "IP:10.20.99.7"
leaf ip6_in "/O=Lab/CN=a" "IP:fd00:20::1"
leaf ip6_out "/O=Lab/CN=a" "IP:fd00:21::1"
leaf uri_in "/O=Lab/CN=a" "URI:https://www.lab.example/x"
leaf uri_out "/O=Lab/CN=a" "URI:https://lab.example/x"
leaf dir_out "/O=Other/CN=a" "DNS:a.lab.example"
leaf dir_excl "/O=Lab/OU=Guests/CN=a" "DNS:a.lab.example"
leaf cn_out "/O=Lab/CN=www.other.example" ""
leaf cn_in "/O=Lab/CN=www.lab.example" ""

pass=0 bad=0
t() {	# t NAME WANT WORD
	openssl verify -x509_strict -CAfile oroot.pem -untrusted oint.pem \
	    "$1.pem" >"$1.openssl" 2>&1
	orc=$?
	"$M" verify --ca oroot.pem --untrusted oint.pem "$1.pem" >"$1.out" 2>&1
	mrc=$?
	good=1
	if [ "$2" = valid ]; then
		[ $orc -eq 0 ] || { echo "FAIL $1: openssl says invalid"; good=0; }
		[ $mrc -eq 0 ] || { echo "FAIL $1: minipki exit $mrc, want 0"; good=0; }
	else
		[ $orc -ne 0 ] || { echo "FAIL $1: openssl says valid"; good=0; }
		[ $mrc -eq 1 ] || { echo "FAIL $1: minipki exit $mrc, want 1"; good=0; }
		grep ": FAILED: name constraints of 'O=Lab, CN=OpenSSL NC Int'" "$1.out" |
		    grep -q -- "$3" ||
		    { echo "FAIL $1: the FAILED line does not say '$3'"; good=0; }
	fi
	if [ $good = 1 ]; then
		pass=$((pass + 1))
		echo "ok   $1 ($2)"
	else
		bad=$((bad + 1))
		sed 's/^/    openssl | /' "$1.openssl"
		sed 's/^/    minipki | /' "$1.out"
	fi
}
t dns_in valid
t dns_out invalid "DNS name 'lab.example.com' is not within the permitted subtrees"
t dns_excl invalid "within the excluded subtree DNS:admin.lab.example"
t mail_in valid
t mail_out invalid "email address 'a@lab.example' is not within"
t mail_subj invalid "subject emailAddress 'a@other.example' is not within"
t ip4_in valid
t ip4_out invalid "IP address 10.30.3.4 is not within"
t ip4_excl invalid "within the excluded subtree IP:10.20.99.0/24"
t ip6_in valid
t ip6_out invalid "IP address fd00:21::1 is not within"
t uri_in valid
t uri_out invalid "URI 'https://lab.example/x' is not within"
t dir_out invalid "subject 'O=Other, CN=a' is not within the permitted subtrees (dirName:O=Lab)"
t dir_excl invalid "within the excluded subtree dirName:O=Lab, OU=Guests"
t cn_out invalid "subject CN 'www.other.example' is not within"
t cn_in valid
echo "nameconstr-openssl: $pass agree, $bad do not"
[ $bad -eq 0 ] || fails=$((fails + bad))
[ $fails -eq 0 ] || exit 1
exit 0
