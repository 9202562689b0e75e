#!/bin/sh
# openssl-peer.sh — we read what OpenSSL writes: we issue from `openssl req`
# requests (SANs from -addext, PSS and SHA-384 signatures), import keys made
# by `openssl genpkey` (PKCS#8), `openssl genrsa -traditional` (PKCS#1) and
# PBES2-encrypted ones, PEM and DER, and issue for them. Must-fail cases: a
# tampered request, a 1024-bit request, CA:TRUE asked for under profile
# server or client.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
. tests/interop/testlib
test_setup openssl-peer peer-pass

# refuse STATUS 'stderr fragment' COMMAND...
refuse() {
	want=$1 frag=$2
	shift 2
	"$@" >out 2>err
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$*: exit $rc, want $want"
		sed 's/^/    | /' err
	elif ! grep -qF -- "$frag" err; then
		fail "$*: stderr lacks '$frag'"
		sed 's/^/    | /' err
	elif grep -q "BEGIN CERTIFICATE" out; then
		fail "$*: a certificate was written"
	else
		echo "ok (refused $rc): $*"
	fi
}
V="openssl verify -x509_strict -CAfile root.pem"

run "$M" ca init peerca --subject "CN=Peer Root,O=Lab" --bits 2048
run "$M" export peerca --cert --out root.pem

# ---- requests made by openssl req ----
openssl req -new -newkey rsa:2048 -nodes -keyout o1.key -subj "/C=GB/O=Lab/CN=o1.example" \
    -addext "subjectAltName=DNS:o1.example,DNS:*.o1.example,IP:192.0.2.7,email:x@o1.example" \
    -out o1.csr 2>/dev/null || fail "openssl req o1"
run "$M" ca issue --ca peerca --csr o1.csr --out o1.pem
grep -q "not copied (profile server)" err || fail "o1: no note about the dropped name"
run $V -purpose sslserver o1.pem
openssl x509 -in o1.pem -noout -text >o1.txt
for n in "DNS:o1.example" "DNS:\*.o1.example" "IP Address:192.0.2.7"; do
	grep -q "$n" o1.txt || fail "o1.pem: no SAN $n"
done
grep -q "email:x@o1.example" o1.txt && fail "o1.pem: server profile copied an email name"
[ "$(openssl x509 -in o1.pem -noout -subject)" = "subject=C = GB, O = Lab, CN = o1.example" ] ||
    fail "o1.pem: subject changed"

# Client profile from an OpenSSL request: email copied, IP not.
openssl req -new -key o1.key -subj "/CN=o1 client" \
    -addext "subjectAltName=email:x@o1.example,IP:192.0.2.7" -out o1c.csr 2>/dev/null
run "$M" ca issue --ca peerca --csr o1c.csr --profile client --out o1c.pem
run $V -purpose sslclient o1c.pem
openssl x509 -in o1c.pem -noout -text >o1c.txt
grep -q "email:x@o1.example" o1c.txt || fail "o1c.pem: no email SAN"
grep -q "IP Address" o1c.txt && fail "o1c.pem: client profile copied an IP"

# Requests signed with RSASSA-PSS and with SHA-384, in DER.
openssl req -new -key o1.key -subj "/CN=pss.example" -sigopt rsa_padding_mode:pss \
    -sigopt rsa_pss_saltlen:32 -out pss.csr 2>/dev/null || fail "openssl req pss"
run "$M" ca issue --ca peerca --csr pss.csr --out pss.pem
run $V pss.pem
openssl req -new -key o1.key -subj "/CN=sha384.example" -sha384 -outform DER \
    -out sha384.der 2>/dev/null
run "$M" ca issue --ca peerca --csr sha384.der --out sha384.pem
run $V sha384.pem

# ---- must-fail requests ----
# A tampered request: one bit of the signature flipped (the signature is
# the last element of the DER).
openssl req -in o1.csr -outform DER -out good.der
cp good.der bad.der
n=$(wc -c <bad.der)
last=$(tail -c 1 bad.der | od -An -tu1 | tr -d ' ')
printf "$(printf '\\%03o' $((last ^ 1)))" |
    dd of=bad.der bs=1 seek=$((n - 1)) conv=notrunc 2>/dev/null
cmp -s good.der bad.der && fail "the request was not tampered with"
refuse 1 "bad.der: request signature does not verify" \
    "$M" ca issue --ca peerca --csr bad.der
# The same in PEM, and with the change in the subject instead.
openssl req -inform DER -in bad.der -out bad.pem 2>/dev/null ||
    openssl base64 -in bad.der | sed '1i-----BEGIN CERTIFICATE REQUEST-----' |
    sed '$a-----END CERTIFICATE REQUEST-----' >bad.pem
refuse 1 "request signature does not verify" "$M" ca issue --ca peerca --csr bad.pem
openssl req -in o1.csr -outform DER | sed 's/o1\.example/o2.example/' >subj.der
refuse 1 "request signature does not verify" "$M" ca issue --ca peerca --csr subj.der

# A 1024-bit key.
openssl req -new -newkey rsa:1024 -nodes -keyout small.key -subj "/CN=small" \
    -out small.csr 2>/dev/null || fail "openssl req 1024"
refuse 1 "small.csr: request key is 1024 bits: at least 2048 required" \
    "$M" ca issue --ca peerca --csr small.csr

# CA:TRUE asked for: never granted outside profile ca.
openssl req -new -key o1.key -subj "/CN=wants-ca" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out wantca.csr 2>/dev/null
for p in server client; do
	run "$M" ca issue --ca peerca --csr wantca.csr --profile $p --out wantca-$p.pem
	grep -q "asks for CA:TRUE; profile $p does not grant it" err ||
	    fail "wantca ($p): no note"
	openssl x509 -in wantca-$p.pem -noout -text >wantca.txt
	grep -A1 "Basic Constraints" wantca.txt | grep -q "CA:TRUE" &&
	    fail "wantca ($p): CA:TRUE granted"
	grep -q "Certificate Sign" wantca.txt && fail "wantca ($p): keyCertSign granted"
	# OpenSSL must refuse to use it as an issuer.
	openssl req -new -newkey rsa:2048 -nodes -keyout x.key -subj /CN=x -out x.csr 2>/dev/null
	openssl x509 -req -in x.csr -CA wantca-$p.pem -CAkey o1.key -CAcreateserial \
	    -days 1 -out x.pem 2>/dev/null
	cat wantca-$p.pem >chain.pem
	openssl verify -CAfile root.pem -untrusted chain.pem x.pem >/dev/null 2>&1 &&
	    fail "wantca ($p): OpenSSL accepts it as a CA"
done
run "$M" ca issue --ca peerca --csr wantca.csr --profile ca --out wantca-ca.pem
openssl x509 -in wantca-ca.pem -noout -text | grep -A1 "Basic Constraints" |
    grep -q "CA:TRUE" || fail "profile ca: no CA:TRUE"

# ---- keys made by OpenSSL, imported ----
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k8.pem 2>/dev/null
openssl genrsa -traditional -out k1.pem 2048 2>/dev/null
head -n 1 k1.pem | grep -q "BEGIN RSA PRIVATE KEY" || fail "genrsa -traditional: not PKCS#1"
openssl pkey -in k8.pem -aes-256-cbc -passout pass:import-only -out k8enc.pem
openssl pkcs8 -topk8 -in k1.pem -v2 aes-256-cbc -v2prf hmacWithSHA256 \
    -passout pass:peer-pass -outform DER -out k1enc.der
openssl pkey -in k8.pem -outform DER -out k8.der
openssl rsa -in k1.pem -traditional -outform DER -out k1.der 2>/dev/null
run "$M" import ik8 --key k8.pem
run "$M" import ik1 --key k1.pem
run env MINIPKI_IMPORT_PASSPHRASE=import-only "$M" import ik8enc --key k8enc.pem
run "$M" import ik1enc --key k1enc.der
run "$M" import ik8der --key k8.der
run "$M" import ik1der --key k1.der
refuse 3 "wrong passphrase" "$M" import wrongpass --key k8enc.pem
refuse 1 "key is 1024 bits: at least 2048 required" "$M" import smallkey --key small.key
for e in ik8:k8.pem ik1:k1.pem ik8enc:k8.pem ik1enc:k1.pem ik8der:k8.pem ik1der:k1.pem; do
	name=${e%%:*} key=${e#*:}
	run "$M" csr new "$name" --subject "CN=$name.example" --san "DNS:$name.example" \
	    --out "$name.csr"
	run openssl req -in "$name.csr" -noout -verify
	run "$M" ca issue --ca peerca --csr "$name.csr" --out "$name.pem"
	run $V -purpose sslserver "$name.pem"
	[ "$(openssl x509 -in "$name.pem" -noout -modulus)" = \
	  "$(openssl rsa -in "$key" -noout -modulus 2>/dev/null)" ] ||
	    fail "$name.pem: not the imported key"
	run "$M" import "$name" --cert "$name.pem"
done
# A key with its OpenSSL-made certificate in one go.
openssl req -x509 -key k8.pem -subj "/CN=self" -days 2 -out self.pem 2>/dev/null
run "$M" import withcert --key k8.pem --cert self.pem
run "$M" export withcert --cert --out self-out.pem
cmp -s self.pem self-out.pem || fail "import --cert: certificate changed"
refuse 1 "does not match the key" "$M" import mismatch --key k1.pem --cert self.pem

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all passed"
