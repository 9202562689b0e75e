#!/bin/sh
# nameconstr-gnutls.sh — GnuTLS `certtool --verify-chain` judges name
# constraints with us: chains our CA issues under a constrained
# intermediate (DNS, IP, email) and chains with a leaf
# outside the constraints, signed behind the CA's back with its key (by
# OpenSSL, as our CA refuses to); both verifiers give the same verdict.
command -v certtool >/dev/null 2>&1 || { echo "certtool (gnutls-bin) not found"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
. tests/interop/testlib
test_setup nameconstr-gnutls nc-pass
export MINIPKI_EXPORT_PASSPHRASE=nc-pass

quiet "$M" ca init root --bits 2048 --subject "CN=NC Root,O=Lab"
quiet "$M" ca init lab --parent root --bits 2048 --subject "O=Lab,CN=Lab CA" \
    --permit "DNS:lab.example,email:lab.example,IP:10.20.0.0/16,IP:fd00:20::/32" \
    --exclude "DNS:admin.lab.example"
quiet "$M" export lab --cert --out lab-chain.pem	# lab, then root
quiet "$M" export lab --key --out lab.key
quiet "$M" export lab --cert --der --out lab.der
openssl x509 -inform DER -in lab.der -out lab.pem || fail "lab to PEM"

n=0
mine() {	# mine NAME SUBJECT SAN PROFILE: issued by our CA
	quiet "$M" key new "$1" --bits 2048
	quiet "$M" csr new "$1" --subject "$2" --san "$3" --out "$1.csr"
	quiet "$M" ca issue --ca lab --csr "$1.csr" --profile "$4" --out "$1.pem"
}
rogue() {	# rogue NAME SUBJECT SAN: signed with the CA's key by OpenSSL
	n=$((n + 1))
	printf 'basicConstraints=critical,CA:FALSE\nsubjectAltName=%s\nauthorityKeyIdentifier=keyid\n' \
	    "$3" >"$1.ext"
	openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -subj "$2" \
	    -out "$1.csr" 2>/dev/null || fail "req $1"
	openssl x509 -req -in "$1.csr" -CA lab.pem -CAkey lab.key \
	    -passin env:MINIPKI_EXPORT_PASSPHRASE -set_serial $((100 + n)) \
	    -days 30 -extfile "$1.ext" -sha256 -out "$1.pem" 2>/dev/null ||
	    fail "x509 $1"
}
mine web "/O=Lab/CN=web" "DNS:web.lab.example,IP:10.20.1.5,IP:fd00:20::5" server
mine ops "/O=Lab/CN=ops" "email:ops@lab.example" client
rogue dns_out "/O=Lab/CN=a" "DNS:shop.example.com"
rogue dns_excl "/O=Lab/CN=a" "DNS:x.admin.lab.example"
rogue ip_out "/O=Lab/CN=a" "DNS:a.lab.example,IP:10.21.0.1"
rogue mail_out "/O=Lab/CN=a" "email:a@other.example"
rogue ip6_out "/O=Lab/CN=a" "DNS:a.lab.example,IP:fd00:21::1"

pass=0
t() {	# t NAME WANT
	cat "$1.pem" lab-chain.pem >"$1.chain"
	certtool --verify-chain --infile "$1.chain" >"$1.gnutls" 2>&1
	grc=$?
	"$M" verify --ca root.pem --untrusted lab-chain.pem "$1.pem" >"$1.out" 2>&1
	mrc=$?
	if [ "$2" = valid ] && [ $grc -eq 0 ] && [ $mrc -eq 0 ]; then
		pass=$((pass + 1)); echo "ok   $1 (valid)"
	elif [ "$2" = invalid ] && [ $grc -ne 0 ] && [ $mrc -eq 1 ] &&
	    grep -q ": FAILED: name constraints of 'O=Lab, CN=Lab CA'" "$1.out"; then
		pass=$((pass + 1)); echo "ok   $1 (invalid)"
	else
		fail "$1: want $2, certtool exit $grc, minipki exit $mrc"
		sed 's/^/    gnutls  | /' "$1.gnutls" | tail -n 5
		sed 's/^/    minipki | /' "$1.out" | tail -n 3
	fi
}
quiet "$M" export root --cert --out root.pem
t web valid
t ops valid
t dns_out invalid
t dns_excl invalid
t ip_out invalid
t mail_out invalid
t ip6_out invalid
echo "nameconstr-gnutls: $pass agree, $fails do not"
[ $fails -eq 0 ] || exit 1
exit 0
