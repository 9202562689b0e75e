#!/bin/sh
# msg-ec-openssl.sh — `msg sign|verify` with a P-256 signer, judged by
# OpenSSL both ways: `openssl cms -verify` accepts what we sign (attached
# and detached; SignerInfo signatureAlgorithm ecdsa-with-SHA256 without
# parameters, RFC 5753), we verify what `openssl cms -sign` writes with an
# EC key; under an EC root and an RSA root. Refused with their exact
# errors: --pss with an EC key, sealing to an EC recipient, content that
# was changed. Skipped without openssl.
set -u
. tests/interop/testlib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
test_setup msg-ec-openssl msg-ec-pass
P=minipki-tui

quiet "$M" ca init ecroot --type ec --subject "CN=Msg EC Root"
quiet "$M" export ecroot --cert --out ecroot.pem
quiet "$M" ca init rroot --subject "CN=Msg RSA Root" --bits 2048
quiet "$M" export rroot --cert --out rroot.pem
entity() {	# NAME CA: a P-256 key with a peer certificate from CA
	quiet "$M" key new "$1" --type ec
	quiet "$M" csr new "$1" --subject "CN=$1" --san "email:$1@example.org" \
	    --out "$1.csr"
	quiet "$M" ca issue --ca "$2" --csr "$1.csr" --profile peer --out "$1.pem"
	quiet "$M" export "$1" --key --no-encrypt --out "$1.key"
}
entity erin ecroot
entity ed rroot
[ "$fails" -eq 0 ] || exit 1
printf 'Dear Bob,\r\nthe lab is at nine.\n\000and a binary tail\n' >m.txt

for who in erin:ecroot ed:rroot; do
	n=${who%%:*} root=${who#*:}.pem
	run "$M" msg sign "$n" --in m.txt --out "$n-a.pem"
	rm -f v.txt
	openssl cms -verify -binary -in "$n-a.pem" -inform PEM -CAfile "$root" \
	    -out v.txt >osl.out 2>&1 && cmp -s m.txt v.txt &&
	    ok "openssl cms -verify accepts $n's ECDSA signature (attached)" ||
	    { fail "openssl cms -verify refused $n's attached signature"; cat osl.out; }
	run "$M" msg sign "$n" --in m.txt --detached --out "$n-d.pem"
	openssl cms -verify -binary -in "$n-d.pem" -inform PEM -CAfile "$root" \
	    -content m.txt -out v.txt >osl.out 2>&1 && cmp -s m.txt v.txt &&
	    ok "openssl cms -verify accepts $n's ECDSA signature (detached)" ||
	    { fail "openssl cms -verify refused $n's detached signature"; cat osl.out; }
	run "$M" msg verify "$n-a.pem" --ca "$root" --out w.txt
	cmp -s m.txt w.txt || fail "msg verify wrote other content"
	grep -q "ECDSA P-256 signature by '$n' is good" out ||
	    fail "msg verify does not name the ECDSA signature: $(cat out)"
done
openssl cms -cmsout -in erin-a.pem -inform PEM -print >p.txt
grep -A2 "signatureAlgorithm:" p.txt | grep -q "ecdsa-with-SHA256" &&
    grep -A2 "signatureAlgorithm:" p.txt | grep -q "parameter: <ABSENT>" &&
    ok "SignerInfo signatureAlgorithm ecdsa-with-SHA256, no parameters" ||
    { fail "SignerInfo signatureAlgorithm"; grep -A2 "signatureAlgorithm:" p.txt; }

# What openssl signs with an EC key, attached and detached, we verify.
openssl cms -sign -binary -nodetach -in m.txt -signer erin.pem -inkey erin.key \
    -outform PEM -out o-a.pem 2>/dev/null || fail "openssl cms -sign (EC)"
run "$M" msg verify o-a.pem --ca ecroot.pem --out w.txt
cmp -s m.txt w.txt || fail "msg verify of openssl's message wrote other content"
openssl cms -sign -binary -in m.txt -signer ed.pem -inkey ed.key \
    -outform DER -out o-d.der -nodetach -md sha256 2>/dev/null || fail "openssl cms -sign (DER)"
run "$M" msg verify o-d.der --ca rroot.pem
openssl cms -sign -binary -in m.txt -signer erin.pem -inkey erin.key \
    -outform PEM -out o-det.pem 2>/dev/null || fail "openssl cms -sign (detached)"
run "$M" msg verify o-det.pem --ca ecroot.pem --content m.txt
# Changed content: the messageDigest no longer matches.
printf 'Dear Bob,\r\nthe lab is at ten.\n' >m2.txt
expect 1 "$P: o-det.pem: signer 1: messageDigest attribute does not match the content" \
    "$M" msg verify o-det.pem --ca ecroot.pem --content m2.txt
# The wrong root.
"$M" msg verify erin-a.pem --ca rroot.pem >out 2>&1 &&
    fail "msg verify accepted erin's message under another root" ||
    ok "msg verify refused erin's message under another root"

expect 2 "$P: RSASSA-PSS needs an RSA key (the signer's is P-256)" \
    "$M" msg sign erin --in m.txt --pss --out x.pem
expect 1 "$P: recipient 'CN=erin': a P-256 EC key: sealing to EC recipients (ECDH key agreement) is not supported; seal to an RSA certificate" \
    "$M" msg seal --to erin.pem --in m.txt --out x.pem
[ -e x.pem ] && fail "a refused seal or sign wrote x.pem"

[ "$fails" -eq 0 ]
