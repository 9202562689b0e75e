#!/bin/sh
# openssl-accepts.sh — OpenSSL accepts what we make: `openssl verify`
# (-x509_strict) every certificate we issue (root, server, client, ca
# profiles and a batch), `openssl req -verify` our requests, `openssl pkey`
# our exported keys (encrypted and not, PEM and DER), and `openssl x509
# -text` shows the names we asked for.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
. tests/interop/testlib
test_setup openssl-accepts accepts-pass

V="openssl verify -x509_strict -CAfile root.pem"

# The root.
run "$M" ca init --subject "CN=Accepts Root,O=Lab,C=GB" --bits 2048
run "$M" export ca --cert --out root.pem
run $V root.pem
openssl x509 -in root.pem -noout -text >root.txt
grep -A1 "Basic Constraints: critical" root.txt | grep -q "CA:TRUE" ||
    fail "root: no critical CA:TRUE"
grep -A1 "Key Usage: critical" root.txt | grep -q "Certificate Sign, CRL Sign" ||
    fail "root: keyUsage"
grep -q "Subject Key Identifier" root.txt || fail "root: no SKI"

# A server: key, request (OpenSSL checks its signature), certificate.
run "$M" key new srv
run "$M" csr new srv --subject "CN=srv.example,O=Lab" \
    --san "DNS:srv.example,DNS:www.srv.example,IP:127.0.0.1,IP:::1" --out srv.csr
openssl req -in srv.csr -noout -verify 2>&1 | grep -q "verify OK" ||
    fail "openssl req -verify does not say verify OK"
run "$M" ca issue --csr srv.csr --profile server --out srv.pem
run $V -purpose sslserver srv.pem
run openssl verify -CAfile root.pem -purpose sslserver -verify_hostname www.srv.example srv.pem
run openssl verify -CAfile root.pem -purpose sslserver -verify_ip 127.0.0.1 srv.pem
openssl x509 -in srv.pem -noout -text >srv.txt
for n in "DNS:srv.example" "DNS:www.srv.example" "IP Address:127.0.0.1" "IP Address:0:0:0:0:0:0:0:1"; do
	grep -q "$n" srv.txt || fail "srv.pem: no SAN $n"
done
grep -q "TLS Web Server Authentication" srv.txt || fail "srv.pem: no serverAuth"
grep -A1 "Basic Constraints" srv.txt | grep -q "CA:FALSE" || fail "srv.pem: not CA:FALSE"
grep -q "Authority Key Identifier" srv.txt || fail "srv.pem: no AKI"
# The AKI is the root's SKI.
rski=$(openssl x509 -in root.pem -noout -ext subjectKeyIdentifier | tail -n 1 | tr -d ' ')
grep -A1 "Authority Key Identifier" srv.txt | tail -n 1 | tr -d ' ' |
    sed 's/^keyid://' | grep -qx "$rski" || fail "srv.pem: AKI is not the root's SKI"

# A client with an email name.
run "$M" key new cli --bits 3072
run "$M" csr new cli --subject "CN=Client One,emailAddress=one@lab.example" \
    --san "email:one@lab.example,DNS:one.lab.example" --out cli.csr
openssl req -in cli.csr -noout -verify 2>&1 | grep -q "verify OK" ||
    fail "cli.csr: openssl req -verify"
run "$M" ca issue --csr cli.csr --profile client --days 30 --out cli.pem
run $V -purpose sslclient cli.pem
openssl x509 -in cli.pem -noout -text >cli.txt
grep -q "email:one@lab.example" cli.txt || fail "cli.pem: no email SAN"
grep -q "TLS Web Client Authentication" cli.txt || fail "cli.pem: no clientAuth"

# A subordinate CA; OpenSSL then signs a leaf with its exported key and
# checks the three-certificate chain.
run "$M" key new sub
run "$M" csr new sub --subject "CN=Accepts Sub CA,O=Lab" --out sub.csr
run "$M" ca issue --csr sub.csr --profile ca --out sub.pem
run $V sub.pem
openssl x509 -in sub.pem -noout -text >sub.txt
grep -A1 "Basic Constraints: critical" sub.txt | grep -q "CA:TRUE" ||
    fail "sub.pem: no CA:TRUE"
run "$M" export sub --key --no-encrypt --out sub.key
openssl req -new -newkey rsa:2048 -nodes -keyout leaf.key -subj /CN=leaf \
    -out leaf.csr 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n' >leaf.ext
run openssl x509 -req -in leaf.csr -CA sub.pem -CAkey sub.key \
    -CAcreateserial -days 10 -extfile leaf.ext -out leaf.pem
run openssl verify -CAfile root.pem -untrusted sub.pem leaf.pem

# A batch of five with the CA key unlocked once.
i=1
while [ $i -le 5 ]; do
	run "$M" key new "b$i"
	run "$M" csr new "b$i" --subject "CN=b$i.example" --san "DNS:b$i.example" \
	    --out "b$i.csr"
	i=$((i + 1))
done
run "$M" ca issue --csr b1.csr b2.csr b3.csr b4.csr --csr b5.csr --out-dir batch
[ "$(grep -c '^issued ' out)" -eq 5 ] || fail "batch: not five issued"
[ "$(ls batch | wc -l)" -eq 5 ] || fail "batch: not five files"
for f in batch/*.pem; do
	run $V -purpose sslserver "$f"
	s=$(openssl x509 -in "$f" -noout -serial | sed 's/serial=//' | tr 'A-F' 'a-f')
	[ "$f" = "batch/$s.pem" ] || fail "$f: named after $s?"
done
# Serials: positive, 16 bytes, all different.
"$M" ca list --format csv | tail -n +2 | cut -d, -f1 >serials
[ "$(sort -u serials | wc -l)" -eq 8 ] || fail "ca list: not 8 distinct serials"
grep -qv '^[0-7][0-9a-f]\{31\}$' serials && fail "a serial is not 16 bytes, positive"

# Exported keys: openssl reads them, and they match the certificates.
certmod=$(openssl x509 -in srv.pem -noout -modulus)
run "$M" export srv --key --out srv-enc.key
head -n 1 srv-enc.key | grep -q "BEGIN ENCRYPTED PRIVATE KEY" || fail "not encrypted PKCS#8"
run openssl pkey -in srv-enc.key -passin pass:accepts-pass -noout
[ "$(openssl rsa -in srv-enc.key -passin pass:accepts-pass -noout -modulus 2>/dev/null)" = "$certmod" ] ||
    fail "exported key does not match srv.pem"
openssl pkey -in srv-enc.key -passin pass:wrong -noout 2>/dev/null &&
    fail "openssl opened the key with a wrong passphrase"
run env MINIPKI_EXPORT_PASSPHRASE=export-only "$M" export srv --key --der --out srv-enc.der
run openssl pkey -inform DER -in srv-enc.der -passin pass:export-only -noout
run "$M" export srv --key --no-encrypt --out srv.key
head -n 1 srv.key | grep -q "BEGIN PRIVATE KEY" || fail "not PKCS#8"
[ "$(openssl rsa -in srv.key -noout -modulus 2>/dev/null)" = "$certmod" ] ||
    fail "unencrypted key does not match srv.pem"
run openssl pkey -in srv.key -check -noout
run "$M" export srv --key --no-encrypt --der --out srv.der
run openssl pkey -inform DER -in srv.der -noout
run "$M" import srv --cert srv.pem
run "$M" export srv --cert --der --out srv-cert.der
run openssl x509 -inform DER -in srv-cert.der -noout

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all passed"
