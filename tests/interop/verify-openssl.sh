#!/bin/sh
# verify-openssl.sh — `minipki-tui verify` and `openssl verify` judge the same
# RSA-2048 chains, made here by OpenSSL, and must both give the expected
# verdict; on a failure our output must name it (a word grepped from it).
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
. tests/interop/testlib
test_setup verify-openssl verify-pass

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

[int_pathlen0]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[int_noca]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[int_nokeycertsign]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[wild]
basicConstraints = critical,CA:FALSE
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.wild.example,DNS:*.example
authorityKeyIdentifier = keyid

[crit]
basicConstraints = critical,CA:FALSE
1.2.3.4 = critical,ASN1:NULL
authorityKeyIdentifier = keyid
EOF

die() { echo "verify-openssl: $*"; exit 1; }

key() {	# key NAME
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	    -out "$1.key" 2>/dev/null || die "genpkey $1"
}
root() {	# root NAME KEY SUBJECT
	openssl req -x509 -new -key "$2.key" -subj "$3" -days 3650 -set_serial 1 \
	    -config ext.cnf -extensions root -sha256 -out "$1.pem" 2>/dev/null ||
	    die "req -x509 $1"
	[ "$1" = "$2" ] || cp "$2.key" "$1.key"	# so it can issue as $1
}
issue() {	# issue NAME KEY SUBJECT ISSUER SECTION SERIAL DAYS
	openssl req -new -key "$2.key" -subj "$3" -config ext.cnf \
	    -out "$1.csr" 2>/dev/null || die "req $1"
	openssl x509 -req -in "$1.csr" -CA "$4.pem" -CAkey "$4.key" \
	    -set_serial "$6" -days "$7" -extfile ext.cnf -extensions "$5" \
	    -sha256 -out "$1.pem" 2>/dev/null || die "x509 -req $1"
	[ "$1" = "$2" ] || cp "$2.key" "$1.key"
}

for k in root other int int2 leaf; do key $k; done
root root root "/O=Interop/CN=Interop Root"
root other other "/O=Interop/CN=Other Root"
root sameroot other "/O=Interop/CN=Interop Root"	# same name, other key
issue int int "/O=Interop/CN=Interop Int" root int 2 3650
issue pl0 int "/O=Interop/CN=Pathlen0 Int" root int_pathlen0 3 3650
issue pl0sub int2 "/O=Interop/CN=Below Pathlen0 Int" pl0 int 4 3650
issue noca int "/O=Interop/CN=Not A CA" root int_noca 5 3650
issue noks int "/O=Interop/CN=No keyCertSign" root int_nokeycertsign 6 3650
issue direct leaf "/O=Interop/CN=www.example" root server 10 30
issue leaf leaf "/O=Interop/CN=www.example" int server 11 30
issue client leaf "/O=Interop/CN=client.example" root client 12 30
issue wild leaf "/O=Interop/CN=wild" root wild 13 30
issue crit leaf "/O=Interop/CN=crit.example" root crit 14 30
issue under_pl0 leaf "/O=Interop/CN=under.example" pl0sub server 15 30
issue under_noca leaf "/O=Interop/CN=under.example" noca server 16 30
issue under_noks leaf "/O=Interop/CN=under.example" noks server 17 30

# A flipped bit in the last byte of the signature.
openssl x509 -in direct.pem -outform DER -out direct.der || die "to DER"
n=$(wc -c <direct.der)
head -c $((n - 1)) direct.der >tampered.der
b=$(tail -c 1 direct.der | od -An -tu1 | tr -d ' ')
printf "\\$(printf %o $((b ^ 1)))" >>tampered.der
openssl x509 -inform DER -in tampered.der -out tampered.pem || die "tampered to PEM"

now=$(date +%s)
later=$((now + 60 * 86400))	# after the leaves' notAfter (30 days)
before=$((now - 86400))		# before every notBefore

pass=0 fail=0
# t NAME WANT WORD "OPENSSL OPTIONS" "MINIPKI OPTIONS" LEAF
t() {
	name=$1 want=$2 word=$3 oopt=$4 mopt=$5 leaf=$6
	# shellcheck disable=SC2086
	openssl verify $oopt "$leaf" >"$name.openssl" 2>&1
	orc=$?
	# shellcheck disable=SC2086
	"$M" verify $mopt "$leaf" >"$name.out" 2>&1
	mrc=$?
	ok=1
	if [ $want = valid ]; then
		[ $orc -eq 0 ] || { echo "FAIL $name: openssl says invalid"; ok=0; }
		[ $mrc -eq 0 ] || { echo "FAIL $name: minipki exit $mrc, want 0"; ok=0; }
		grep -q ": OK$" "$name.out" || { echo "FAIL $name: no OK line"; ok=0; }
	else
		[ $orc -ne 0 ] || { echo "FAIL $name: openssl says valid"; ok=0; }
		[ $mrc -eq 1 ] || { echo "FAIL $name: minipki exit $mrc, want 1"; ok=0; }
		grep -q ": FAILED: " "$name.out" ||
		    { echo "FAIL $name: no FAILED line"; ok=0; }
		grep ": FAILED: " "$name.out" | grep -qi -- "$word" ||
		    { echo "FAIL $name: the FAILED line does not say '$word'"; ok=0; }
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "ok   $name ($want)"
	else
		fail=$((fail + 1))
		echo "  openssl verify $oopt $leaf -> $orc:"
		sed 's/^/    | /' "$name.openssl"
		echo "  minipki-tui verify $mopt $leaf -> $mrc:"
		sed 's/^/    | /' "$name.out"
	fi
}

t root-leaf valid "" "-CAfile root.pem" "--ca root.pem" direct.pem
t root-int-leaf valid "" "-CAfile root.pem -untrusted int.pem" \
    "--ca root.pem --untrusted int.pem" leaf.pem
t server-purpose-host valid "" \
    "-CAfile root.pem -untrusted int.pem -purpose sslserver -verify_hostname www.example" \
    "--ca root.pem --untrusted int.pem --purpose server --host www.example" leaf.pem
t server-ip valid "" "-CAfile root.pem -verify_ip 127.0.0.1" \
    "--ca root.pem --host 127.0.0.1" direct.pem
t client-purpose valid "" "-CAfile root.pem -purpose sslclient" \
    "--ca root.pem --purpose client" client.pem
t wildcard valid "" "-CAfile root.pem -verify_hostname a.wild.example" \
    "--ca root.pem --host a.wild.example" wild.pem
t pathlen0-direct valid "" "-CAfile root.pem -untrusted pl0.pem" \
    "--ca root.pem --untrusted pl0.pem" pl0sub.pem
t at-inside valid "" "-CAfile root.pem -attime $((now + 86400))" \
    "--ca root.pem --at @$((now + 86400))" direct.pem

t expired invalid expired "-CAfile root.pem -untrusted int.pem -attime $later" \
    "--ca root.pem --untrusted int.pem --at @$later" leaf.pem
t not-yet-valid invalid "not yet valid" "-CAfile root.pem -attime $before" \
    "--ca root.pem --at @$before" direct.pem
t wrong-root invalid "issuer" "-CAfile other.pem" "--ca other.pem" direct.pem
t same-name-root invalid "signature" "-CAfile sameroot.pem" \
    "--ca sameroot.pem" direct.pem
t no-intermediate invalid "issuer" "-CAfile root.pem" "--ca root.pem" leaf.pem
t self-signed invalid "self-signed" "-CAfile root.pem" "--ca root.pem" other.pem
t tampered invalid "signature" "-CAfile root.pem" "--ca root.pem" tampered.pem
t ca-false invalid "not allowed to issue" "-CAfile root.pem -untrusted noca.pem" \
    "--ca root.pem --untrusted noca.pem" under_noca.pem
t pathlen invalid "pathLenConstraint" \
    "-CAfile root.pem -untrusted pl0.pem -untrusted pl0sub.pem" \
    "--ca root.pem --untrusted pl0.pem --untrusted pl0sub.pem" under_pl0.pem
t no-keycertsign invalid "keyCertSign" "-CAfile root.pem -untrusted noks.pem" \
    "--ca root.pem --untrusted noks.pem" under_noks.pem
t unknown-critical invalid "critical extension 1.2.3.4" "-CAfile root.pem" \
    "--ca root.pem" crit.pem
t wrong-eku invalid "serverAuth" "-CAfile root.pem -purpose sslserver" \
    "--ca root.pem --purpose server" client.pem
t host-mismatch invalid "host name 'other.example'" \
    "-CAfile root.pem -untrusted int.pem -verify_hostname other.example" \
    "--ca root.pem --untrusted int.pem --host other.example" leaf.pem
t ip-mismatch invalid "127.0.0.2" "-CAfile root.pem -verify_ip 127.0.0.2" \
    "--ca root.pem --host 127.0.0.2" direct.pem
t wildcard-two-labels invalid "host name" "-CAfile root.pem -verify_hostname a.example" \
    "--ca root.pem --host a.example" wild.pem
t wildcard-one-label-only invalid "host name" \
    "-CAfile root.pem -verify_hostname a.b.wild.example" \
    "--ca root.pem --host a.b.wild.example" wild.pem

echo "verify-openssl: $pass passed, $fail failed"
[ $fail -eq 0 ] || exit 1
# The pathlen case gives --untrusted twice; one chain file works the same,
# and so does a leaf file that carries its chain.
cat pl0.pem pl0sub.pem >chain.pem
"$M" verify --ca root.pem --untrusted chain.pem under_pl0.pem >chain.out 2>&1
[ $? -eq 1 ] && grep -q pathLenConstraint chain.out ||
    { cat chain.out; die "pathlen with a chain file"; }
cat leaf.pem int.pem >leafchain.pem
"$M" verify --ca root.pem leafchain.pem >leafchain.out 2>&1 ||
    { cat leafchain.out; die "leaf file with its chain"; }
# Several CERTs at once, as the usage says (CERT...): each is verified and
# the worst outcome is the exit status.
"$M" verify --help | grep -q "CERT\.\.\." || die "the usage does not say CERT..."
"$M" verify --ca root.pem direct.pem client.pem >two.out 2>&1 ||
    { cat two.out; die "two valid certificates"; }
[ "$(grep -c ': OK$' two.out)" -eq 2 ] || { cat two.out; die "two OK lines"; }
"$M" verify --ca root.pem direct.pem tampered.pem >mixed.out 2>&1
[ $? -eq 1 ] && grep -q ": OK$" mixed.out && grep -q ": FAILED: " mixed.out ||
    { cat mixed.out; die "one valid, one tampered"; }
exit 0
