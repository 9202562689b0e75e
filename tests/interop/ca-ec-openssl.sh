#!/bin/sh
# ca-ec-openssl.sh — a CA with a P-256 key (`ca init --type ec`), OpenSSL
# as the judge: certificates it signs (ecdsa-with-SHA256, no parameters,
# RFC 5758) for EC and RSA keys, mixed chains (RSA root -> EC intermediate
# -> RSA leaf, EC root -> RSA intermediate -> EC leaf), its CRL and delta
# CRL (`openssl crl -verify`), `ca serve` of the EC CA (its TLS certificate
# is EC; EST enrollment of RSA and EC requests, `client enroll --type ec`;
# OCSP good then revoked, the response verified by `openssl ocsp`; `client
# status`), our verify of an EC chain OpenSSL made, and the usage errors.
set -u
. tests/interop/caservelib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
command -v curl >/dev/null 2>&1 || { echo "curl not installed"; exit 77; }
test_setup ca-ec-openssl ec-ca-pass
P=minipki-tui

# exits STATUS LINE COMMAND...: testlib's expect (caservelib has its own).
exits() {
	want=$1 line=$2
	shift 2
	"$@" >out 2>err </dev/null
	rc=$?
	if [ "$rc" -ne "$want" ] || [ "$(head -n 1 err)" != "$line" ]; then
		fail "$*: exit $rc (want $want), stderr:"
		sed 's/^/    | /' err
	else
		echo "ok ($rc): $*"
	fi
}

# Usage errors, before anything is made.
exits 2 "$P ca init: --type dsa: use rsa or ec (P-256)" \
    "$M" ca init bad --type dsa --subject CN=x
exits 2 "$P ca init: --bits is for RSA keys (an ec CA key is P-256)" \
    "$M" ca init bad --type ec --bits 2048 --subject CN=x
[ -e ws/keys/bad.yaml ] && fail "a refused ca init left a keystore"
exits 2 "$P client enroll: --type dsa: use rsa or ec (P-256)" \
    "$M" client enroll bad --ca tcp:127.0.0.1:1 --ca-fingerprint SHA256:00 \
    --type dsa

# sigalg FILE: the signatureAlgorithm of a PEM certificate or CRL, as
# openssl asn1parse shows the outer SEQUENCE's second element: the OID
# alone (no NULL parameters) for ECDSA.
sigalg() {
	openssl asn1parse -in "$1" >asn.txt 2>&1 || { echo "unparsable"; return; }
	# depth 1: the TBS, then the AlgorithmIdentifier and what is in it.
	awk '/d=1 /{n++} n==2' asn.txt | sed 's/.*:d=[0-9]* *//' |
	    tr -s ' ' | tr '\n' '|'
}

run "$M" ca init --type ec --subject "CN=EC Root,O=minipki test"
grep -qx "key: ec P-256" out || fail "ca init --type ec: $(cat out)"
quiet "$M" export ca --cert --out ca.pem
openssl x509 -in ca.pem -noout -text >ca.txt
grep -q "ASN1 OID: prime256v1" ca.txt && grep -q "Signature Algorithm: ecdsa-with-SHA256" ca.txt &&
    ok "the EC root is P-256, signed ecdsa-with-SHA256" || fail "EC root: $(head -20 ca.txt)"
grep -q "Certificate Sign, CRL Sign" ca.txt || fail "EC root keyUsage"
openssl verify -CAfile ca.pem ca.pem >/dev/null 2>&1 && ok "openssl verify: the EC root" ||
    fail "openssl verify refused the EC root"
# The AlgorithmIdentifier is 10 bytes: the OID alone, no NULL.
noparam="hl=2 l= 10 cons: SEQUENCE |hl=2 l= 8 prim: OBJECT :ecdsa-with-SHA256|"
[ "$(sigalg ca.pem)" = "$noparam" ] &&
	ok "signatureAlgorithm without parameters (RFC 5758)" ||
	fail "signatureAlgorithm of the EC root: $(sigalg ca.pem)"
grep -q "ec P-256" ws/ca/ca/audit.log 2>/dev/null || grep -rq "ec P-256" ws/ca/ca ||
    fail "the init audit record does not name the key type"

# EC root -> EC leaf, EC root -> RSA leaf.
quiet "$M" key new ecl --type ec
quiet "$M" csr new ecl --subject CN=ecl.example --san DNS:ecl.example --out ecl.csr
run "$M" ca issue --csr ecl.csr --out ecl.pem
openssl verify -CAfile ca.pem ecl.pem >/dev/null 2>&1 && ok "openssl verify: EC root -> EC leaf" ||
    fail "openssl verify refused EC root -> EC leaf"
quiet "$M" key new rsal
quiet "$M" csr new rsal --subject CN=rsal.example --san DNS:rsal.example --out rsal.csr
run "$M" ca issue --csr rsal.csr --out rsal.pem
openssl verify -CAfile ca.pem rsal.pem >/dev/null 2>&1 && ok "openssl verify: EC root -> RSA leaf" ||
    fail "openssl verify refused EC root -> RSA leaf"
openssl x509 -in rsal.pem -noout -text | grep -q "Key Encipherment" ||
    fail "the RSA leaf of the EC CA lost keyEncipherment"
run "$M" verify rsal.pem --ca ca.pem
run "$M" verify ecl.pem --ca ca.pem
# Renewal of a certificate for an EC key keeps the key, under the EC CA.
quiet "$M" key new ren --type ec
quiet "$M" csr new ren --subject CN=ren.example --out ren.csr
quiet "$M" ca issue --csr ren.csr --out ren.pem
rs=$(openssl x509 -in ren.pem -noout -serial | sed 's/.*=//')
run "$M" ca renew "$rs" --out ren2.pem
openssl verify -CAfile ca.pem ren2.pem >/dev/null 2>&1 &&
    [ "$(openssl x509 -in ren2.pem -noout -pubkey)" = "$(openssl x509 -in ren.pem -noout -pubkey)" ] &&
    ok "ca renew of an EC key's certificate: same key, verifies" ||
    fail "ca renew of an EC key's certificate"

# RSA root -> EC intermediate -> RSA leaf, and EC root -> RSA intermediate
# -> EC leaf.
quiet "$M" ca init rroot --subject "CN=RSA Root" --bits 2048
quiet "$M" export rroot --cert --out rroot.pem
run "$M" ca init ecsub --type ec --parent rroot --subject "CN=EC Sub" --pathlen 0
quiet "$M" export ecsub --cert --out ecsub.pem
openssl x509 -in ecsub.pem -noout -text | grep -q "ASN1 OID: prime256v1" ||
    fail "the intermediate's key is not P-256"
quiet "$M" key new r2
quiet "$M" csr new r2 --subject CN=r2.example --out r2.csr
run "$M" ca issue --ca ecsub --csr r2.csr --out r2.pem
openssl verify -CAfile rroot.pem -untrusted ecsub.pem r2.pem >/dev/null 2>&1 &&
    ok "openssl verify: RSA root -> EC intermediate -> RSA leaf" ||
    fail "openssl verify refused RSA root -> EC intermediate -> RSA leaf"
openssl x509 -in r2.pem -noout -text | grep -q "Signature Algorithm: ecdsa-with-SHA256" ||
    fail "the leaf of the EC intermediate is not signed with ECDSA"
run "$M" ca init rsub --parent ca --subject "CN=RSA Sub" --bits 2048 --pathlen 0
quiet "$M" export rsub --cert --out rsub.pem
quiet "$M" key new e2 --type ec
quiet "$M" csr new e2 --subject CN=e2.example --out e2.csr
run "$M" ca issue --ca rsub --csr e2.csr --out e2.pem
openssl verify -CAfile ca.pem -untrusted rsub.pem e2.pem >/dev/null 2>&1 &&
    ok "openssl verify: EC root -> RSA intermediate -> EC leaf" ||
    fail "openssl verify refused EC root -> RSA intermediate -> EC leaf"
run "$M" verify r2.pem --ca rroot.pem --untrusted ecsub.pem

# The EC CA's CRLs, base and delta.
serial=$(openssl x509 -in rsal.pem -noout -serial | sed 's/.*=//')
run "$M" ca revoke "$serial" --reason keyCompromise
# A delta needs a base that names where deltas are: a URL.
quiet "$M" ca set-url http://127.0.0.1:9
run "$M" ca crl --out ec.crl
openssl crl -in ec.crl -CAfile ca.pem -noout -verify >crl.out 2>&1 &&
    grep -q "verify OK" crl.out && ok "openssl crl -verify: the EC CA's CRL" ||
    { fail "openssl crl -verify refused the EC CRL"; cat crl.out; }
openssl crl -in ec.crl -noout -text | grep -qi "Serial Number: *$serial" ||
    fail "the EC CRL does not list $serial"
[ "$(sigalg ec.crl)" = "$noparam" ] && ok "the CRL's signatureAlgorithm" ||
	fail "signatureAlgorithm of the EC CRL: $(sigalg ec.crl)"
serial2=$(openssl x509 -in ecl.pem -noout -serial | sed 's/.*=//')
run "$M" ca revoke "$serial2"
run "$M" ca crl --delta --out delta.crl
openssl crl -in delta.crl -CAfile ca.pem -noout -verify >crl.out 2>&1 &&
    grep -q "verify OK" crl.out && ok "openssl crl -verify: the EC CA's delta CRL" ||
    { fail "openssl crl -verify refused the EC delta CRL"; cat crl.out; }
openssl crl -in delta.crl -noout -text | grep -q "Delta CRL Indicator" ||
    fail "the delta CRL has no deltaCRLIndicator"
# And our own checker of a CRL: the RSA leaf is revoked by it.
run "$M" verify ecl.pem --ca ca.pem
"$M" verify rsal.pem --ca ca.pem --crl ec.crl >vout 2>&1 &&
    fail "verify with the EC CRL accepted a revoked certificate" ||
    { grep -qi "revoked" vout && ok "our verify: revoked by the EC CRL" ||
      { fail "verify with the EC CRL"; cat vout; }; }

# ca serve of the EC CA: its TLS certificate is EC, EST issues for RSA
# and EC requests, OCSP answers are ECDSA-signed.
serve_start
echo | openssl s_client -connect "127.0.0.1:$tport" -CAfile ca.pem \
    -servername localhost >sc.out 2>&1
grep -q "Verify return code: 0" sc.out && grep -qi "Peer signature type: ECDSA" sc.out &&
    ok "ca serve of the EC CA: an ECDSA TLS certificate that verifies" ||
    { fail "openssl s_client to ca serve of the EC CA"; sed -n '1,20p' sc.out; }
tok=$("$M" ca token new 2>/dev/null)
csr erin 2048
est simpleenroll -u "erin:$tok" -H 'Content-Type: application/pkcs10' \
    --data-binary @erin.b64
[ "$code" = 200 ] || fail "simpleenroll (RSA request): $code $(cat body)"
base64 -d body | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
    openssl x509 >erin.pem 2>/dev/null || fail "no certificate for erin"
openssl verify -CAfile ca.pem erin.pem >/dev/null 2>&1 &&
    ok "EST of the EC CA: an RSA request, certificate verifies" ||
    fail "openssl verify refused erin.pem"
tok=$("$M" ca token new 2>/dev/null)
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout fay.key \
    -subj /CN=fay -outform DER -out fay.der 2>/dev/null || fail "openssl req fay"
base64 fay.der >fay.b64
est simpleenroll -u "fay:$tok" -H 'Content-Type: application/pkcs10' \
    --data-binary @fay.b64
[ "$code" = 200 ] || fail "simpleenroll (EC request): $code $(cat body)"
base64 -d body | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
    openssl x509 >fay.pem 2>/dev/null || fail "no certificate for fay"
openssl verify -CAfile ca.pem fay.pem >/dev/null 2>&1 &&
    ok "EST of the EC CA: an EC request, certificate verifies" ||
    fail "openssl verify refused fay.pem"

ocsp() {
	openssl ocsp -issuer ca.pem -cert "$1" -CAfile ca.pem \
	    -url "http://127.0.0.1:$hport/ocsp" -resp_text >ocsp.out 2>&1
}
ocsp fay.pem
grep -q 'Response verify OK' ocsp.out && grep -q 'fay.pem: good' ocsp.out &&
    grep -q 'Signature Algorithm: ecdsa-with-SHA256' ocsp.out &&
    ok "openssl ocsp: good, ECDSA response verifies" || { fail "openssl ocsp fay"; cat ocsp.out; }
fs=$(openssl x509 -in fay.pem -noout -serial | sed 's/.*=//')
run "$M" ca revoke "$fs" --reason keyCompromise
ocsp fay.pem
grep -q 'Response verify OK' ocsp.out && grep -q 'fay.pem: revoked' ocsp.out &&
    grep -q 'Reason: keyCompromise' ocsp.out &&
    ok "openssl ocsp: revoked, ECDSA response verifies" || { fail "openssl ocsp after revoke"; cat ocsp.out; }
"$M" client status erin.pem --ca "http://127.0.0.1:$hport" --anchor ca.pem >out 2>&1
grep -qx 'erin.pem: good' out && ok "client status against the EC CA: good" ||
    { fail "client status erin"; cat out; }
"$M" client status fay.pem --ca "http://127.0.0.1:$hport" --anchor ca.pem >out 2>&1
grep -q '^fay.pem: revoked (keyCompromise)' out && ok "client status against the EC CA: revoked" ||
    { fail "client status fay"; cat out; }
# Our own EST client over TLS to the EC CA's service (an ECDSA server
# certificate, the chain checked against the fingerprint).
tok=$("$M" ca token new 2>/dev/null)
"$M" client enroll gus --ca "tcp:127.0.0.1:$tport" --ca-fingerprint "$fpr" \
    --token "$tok" >out 2>&1 </dev/null && ok "client enroll against the EC CA" ||
    { fail "client enroll against the EC CA"; cat out; }
"$M" export gus --cert --out gus.pem >/dev/null 2>&1
openssl verify -CAfile ca.pem gus.pem >/dev/null 2>&1 ||
    fail "openssl verify refused the certificate client enroll stored"
# --type ec: a P-256 key made and enrolled; OpenSSL judges what is stored.
tok=$("$M" ca token new 2>/dev/null)
"$M" client enroll hal --type ec --ca "tcp:127.0.0.1:$tport" \
    --ca-fingerprint "$fpr" --token "$tok" >out 2>&1 </dev/null &&
    ok "client enroll --type ec against the EC CA" ||
    { fail "client enroll --type ec against the EC CA"; cat out; }
rm -f hal.pem
"$M" export hal --cert --out hal.pem >/dev/null 2>&1
openssl x509 -in hal.pem -noout -text >hal.txt 2>&1
grep -q "Public Key Algorithm: id-ecPublicKey" hal.txt &&
    grep -q "ASN1 OID: prime256v1" hal.txt &&
    ok "client enroll --type ec: the stored certificate holds a P-256 key" ||
    { fail "client enroll --type ec: the stored certificate's key"; head -20 hal.txt; }
openssl verify -CAfile ca.pem hal.pem >/dev/null 2>&1 &&
    ok "openssl verify: the certificate client enroll --type ec stored" ||
    fail "openssl verify refused the certificate client enroll --type ec stored"
kill "$spid" 2>/dev/null

# An EC chain OpenSSL made: our verify accepts it, and refuses a leaf
# whose signature is broken.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout o.key \
    -subj /CN=OpenSSL-EC-Root -days 30 -out oroot.pem \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null ||
    fail "openssl req -x509 (EC root)"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ol.key \
    -subj /CN=ol.example -out ol.csr 2>/dev/null
openssl x509 -req -in ol.csr -CA oroot.pem -CAkey o.key -CAcreateserial -days 10 \
    -out ol.pem 2>/dev/null || fail "openssl x509 -req (EC leaf)"
run "$M" verify ol.pem --ca oroot.pem
"$M" verify ol.pem --ca ca.pem >vout 2>&1 && fail "verify accepted ol.pem under another root"
# Flip a byte in the signature (the last bytes of the DER).
openssl x509 -in ol.pem -outform DER -out ol.der
n=$(wc -c <ol.der)
b=$(tail -c 3 ol.der | head -c 1 | od -An -tu1 | tr -d ' ')
head -c $((n - 3)) ol.der >bad.der
printf "\\$(printf %o $(( (b + 1) % 256 )))" >>bad.der
tail -c 2 ol.der >>bad.der
cmp -s ol.der bad.der && fail "the tampered copy is the same"
"$M" verify bad.der --ca oroot.pem >vout 2>&1 &&
    fail "verify accepted an EC certificate with a broken signature" ||
    ok "verify refused an EC certificate with a broken signature"

[ "$fails" -eq 0 ]
