#!/bin/sh
# verify-policy-openssl.sh — `minipki-tui verify` and `openssl verify
# -x509_strict` judge certificate policies (RFC 5280 6.1) and CRL setups
# (6.3: distribution points, issuingDistributionPoint, a separate CRL
# signing key, an indirect CRL issuer, delta CRLs) made here by OpenSSL,
# and must both give the expected verdict; on a failure our FAILED line
# must say why (a word grepped from it). A chain whose policy tree would
# grow without bound is refused by both.
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
. tests/interop/testlib
test_setup verify-policy-openssl verify-pass

P1=1.3.6.1.4.1.55555.1.1 P2=1.3.6.1.4.1.55555.1.2 P3=1.3.6.1.4.1.55555.1.3
# P1..P8 and the mappings of P1..P4 onto all eight: the exploding chain.
all8= maps=
for i in 1 2 3 4 5 6 7 8; do
	all8="$all8${all8:+,}1.3.6.1.4.1.55555.1.$i"
done
for i in 1 2 3 4; do
	for j in 1 2 3 4 5 6 7 8; do
		maps="$maps${maps:+,}1.3.6.1.4.1.55555.1.$i:1.3.6.1.4.1.55555.1.$j"
	done
done

cat >ext.cnf <<EOF
[req]
distinguished_name = dn
[dn]

[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[int_p12_req0]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = $P1,$P2
policyConstraints = requireExplicitPolicy:0

[int_map12]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = $P1
policyMappings = $P1:$P2

[int_any_inhibit0]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = 2.5.29.32.0
inhibitAnyPolicy = 0

[int_any]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = 2.5.29.32.0

[int_boom]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = $all8
policyMappings = $maps

[leaf_p1]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = $P1

[leaf_p2]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = $P2

[leaf_p3]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = $P3

[leaf_any]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = 2.5.29.32.0

[leaf_boom]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = $all8

[ca_dp]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.example/root.crl

[ca_nocrlsign]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.example/root.crl

[ca_sub]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.example/ca.crl

[crlsigner]
basicConstraints = critical,CA:FALSE
keyUsage = critical,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.example/root.crl

[leaf_dp]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.example/ca.crl

[leaf_otherdp]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.example/other.crl

[leaf_indirect]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = indirect_dp
[indirect_dp]
fullname = URI:http://crl.example/indirect.crl
CRLissuer = dirName:crl_issuer_dn
[crl_issuer_dn]
O = Interop
CN = Interop CRL Issuer

[crlext_root]
authorityKeyIdentifier = keyid
issuingDistributionPoint = critical,@idp_root
[idp_root]
fullname = URI:http://crl.example/root.crl

[crlext_ca]
authorityKeyIdentifier = keyid
issuingDistributionPoint = critical,@idp_ca
[idp_ca]
fullname = URI:http://crl.example/ca.crl
onlyuser = TRUE

[crlext_indirect]
authorityKeyIdentifier = keyid
issuingDistributionPoint = critical,@idp_indirect
[idp_indirect]
fullname = URI:http://crl.example/indirect.crl
indirectCRL = TRUE

[crlext_plain]
authorityKeyIdentifier = keyid

[crlext_base]
authorityKeyIdentifier = keyid
freshestCRL = URI:http://crl.example/delta.crl

[crlext_delta]
authorityKeyIdentifier = keyid
2.5.29.27 = critical,ASN1:INTEGER:1
EOF

die() { echo "verify-policy-openssl: $*"; exit 1; }

key() {	# key NAME
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	    -out "$1.key" 2>/dev/null || die "genpkey $1"
}
issue() {	# issue NAME SUBJECT ISSUER SECTION SERIAL (key NAME.key)
	openssl req -new -key "$1.key" -subj "$2" -config ext.cnf \
	    -out "$1.csr" 2>/dev/null || die "req $1"
	openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" \
	    -set_serial "$5" -days 365 -extfile ext.cnf -extensions "$4" \
	    -sha256 -out "$1.pem" 2>/dev/null || die "x509 -req $1"
}
# mkcrl NAME SIGNER SECTION NUMBER [REVOKED...]: a CRL by SIGNER (its .pem
# and .key) numbered NUMBER, listing the certificates REVOKED.
mkcrl() {
	name=$1 signer=$2 sect=$3 num=$4
	shift 4
	mkdir -p "ca.$name" && : >"ca.$name/index.txt" || die "ca dir $name"
	printf "%02x\n" "$num" >"ca.$name/crlnumber"
	cat >"ca.$name/ca.cnf" <<EOF
[ca]
default_ca = this
[this]
database = ca.$name/index.txt
crlnumber = ca.$name/crlnumber
default_md = sha256
default_crl_days = 30
EOF
	# (openssl ca reads the CRL extension section from its -config)
	cat ext.cnf >>"ca.$name/ca.cnf"
	for c in "$@"; do
		openssl ca -config "ca.$name/ca.cnf" -keyfile "$signer.key" \
		    -cert "$signer.pem" -revoke "$c.pem" \
		    -crl_reason keyCompromise >log 2>&1 || { cat log; die "revoke $c"; }
	done
	openssl ca -config "ca.$name/ca.cnf" -gencrl -keyfile "$signer.key" \
	    -cert "$signer.pem" -crlexts "$sect" \
	    -out "$name.crl" >log 2>&1 || { cat log; die "gencrl $name"; }
}

for k in root intp intm inti inta c1 c2 c3 c4 c5 c6 ca ca2 sign sub leaf; do
	key $k
done
openssl req -x509 -new -key root.key -subj "/O=Interop/CN=Policy Root" \
    -days 3650 -set_serial 1 -config ext.cnf -extensions root -sha256 \
    -out root.pem 2>/dev/null || die "root"
issue intp "/O=Interop/CN=P1 P2 Explicit" root int_p12_req0 2
issue intm "/O=Interop/CN=Maps P1 to P2" root int_map12 3
issue inti "/O=Interop/CN=Any Inhibited" root int_any_inhibit0 4
issue inta "/O=Interop/CN=Any" root int_any 5
for n in 1 2 3; do
	cp leaf.key lp_p$n.key
	issue lp_p$n "/O=Interop/CN=leaf p$n" intp leaf_p$n 1$n
done
cp leaf.key lm.key; issue lm "/O=Interop/CN=mapped leaf" intm leaf_p2 20
cp leaf.key li.key; issue li "/O=Interop/CN=any leaf" inti leaf_any 21
cp leaf.key la.key; issue la "/O=Interop/CN=any leaf 2" inta leaf_any 22
prev=root
for n in 1 2 3 4 5 6; do
	issue c$n "/O=Interop/CN=Boom $n" $prev int_boom 3$n
	prev=c$n
done
cp leaf.key lb.key; issue lb "/O=Interop/CN=boom leaf" c6 leaf_boom 40
boom="-untrusted c1.pem -untrusted c2.pem -untrusted c3.pem -untrusted c4.pem -untrusted c5.pem -untrusted c6.pem"
mboom="--untrusted c1.pem --untrusted c2.pem --untrusted c3.pem --untrusted c4.pem --untrusted c5.pem --untrusted c6.pem"

# CRLs: CA "ca" under root with a distribution point; leaves good and
# revoked at ca.crl, one at another point; root's CRL has an IDP too.
issue ca "/O=Interop/CN=CRL CA" root ca_dp 50
cp leaf.key good.key; issue good "/O=Interop/CN=good" ca leaf_dp 51
cp leaf.key bad.key; issue bad "/O=Interop/CN=bad" ca leaf_dp 52
cp leaf.key elsewhere.key; issue elsewhere "/O=Interop/CN=elsewhere" ca leaf_otherdp 53
mkcrl root root crlext_plain 1
mkcrl ca ca crlext_ca 1 bad
# A CA that does not sign CRLs itself: a certificate of the same name with
# its own key and cRLSign (a separate CRL signing key, its own path).
issue ca2 "/O=Interop/CN=CRL CA 2" root ca_nocrlsign 60
cp sign.key ca2sign.key
issue ca2sign "/O=Interop/CN=CRL CA 2" root crlsigner 61
cp leaf.key good2.key; issue good2 "/O=Interop/CN=good 2" ca2 leaf_dp 62
cp leaf.key bad2.key; issue bad2 "/O=Interop/CN=bad 2" ca2 leaf_dp 63
mkcrl ca2 ca2sign crlext_ca 1 bad2
# An indirect CRL issuer named by the leaf's distribution point.
cp sign.key crliss.key
issue crliss "/O=Interop/CN=Interop CRL Issuer" root crlsigner 70
cp leaf.key ind.key; issue ind "/O=Interop/CN=indirect" ca leaf_indirect 71
mkcrl indirect crliss crlext_indirect 1
# Delta CRLs: a complete CRL 1 with nothing revoked that points to its
# deltas (freshestCRL), a delta 2 on base 1 that revokes bad; the same
# complete CRL without freshestCRL (its deltas are not looked for).
mkcrl base ca crlext_base 1
mkcrl delta ca crlext_delta 2 bad
mkcrl plainbase ca crlext_plain 1
# A sub-CA at ca.crl's point: a CA certificate, which that CRL
# (onlyContainsUserCerts) does not cover.
issue sub "/O=Interop/CN=Sub CA" ca ca_sub 80

pass=0 fail=0
# t NAME WANT WORD "OPENSSL OPTIONS" "MINIPKI OPTIONS" LEAF
t() {
	name=$1 want=$2 word=$3 oopt=$4 mopt=$5 leaf=$6
	# shellcheck disable=SC2086
	openssl verify -x509_strict $oopt "$leaf" >"$name.openssl" 2>&1
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
		grep ": FAILED: " "$name.out" | grep -qi -- "$word" ||
		    { echo "FAIL $name: the FAILED line does not say '$word'"; ok=0; }
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "ok   $name ($want)"
	else
		fail=$((fail + 1))
		echo "  openssl verify -x509_strict $oopt $leaf -> $orc:"
		sed 's/^/    | /' "$name.openssl"
		echo "  minipki-tui verify $mopt $leaf -> $mrc:"
		sed 's/^/    | /' "$name.out"
	fi
}

O="-CAfile root.pem -policy_check"
t explicit-p1 valid "" "$O -untrusted intp.pem -policy $P1 -explicit_policy" \
    "--ca root.pem --untrusted intp.pem --policy $P1 --explicit-policy" lp_p1.pem
t explicit-p3-wanted invalid "policy" "$O -untrusted intp.pem -policy $P3 -explicit_policy" \
    "--ca root.pem --untrusted intp.pem --policy $P3 --explicit-policy" lp_p1.pem
# Our initial policy set is anyPolicy by default (RFC 5280 6.1.1 (c));
# OpenSSL's is empty unless given, so it gets anyPolicy spelt out.
t require-explicit-in-chain invalid "explicit policy is required" \
    "$O -untrusted intp.pem -policy 2.5.29.32.0" \
    "--ca root.pem --untrusted intp.pem" lp_p3.pem
t require-explicit-p2 valid "" "$O -untrusted intp.pem -policy 2.5.29.32.0" \
    "--ca root.pem --untrusted intp.pem" lp_p2.pem
t mapped valid "" "$O -untrusted intm.pem -policy $P1 -explicit_policy" \
    "--ca root.pem --untrusted intm.pem --policy $P1 --explicit-policy" lm.pem
t mapping-inhibited invalid "policy" \
    "$O -untrusted intm.pem -policy $P1 -explicit_policy -inhibit_map" \
    "--ca root.pem --untrusted intm.pem --policy $P1 --explicit-policy --inhibit-mapping" lm.pem
t mapped-not-p2 invalid "policy" "$O -untrusted intm.pem -policy $P2 -explicit_policy" \
    "--ca root.pem --untrusted intm.pem --policy $P2 --explicit-policy" lm.pem
t any-policy valid "" "$O -untrusted inta.pem -policy $P1 -explicit_policy" \
    "--ca root.pem --untrusted inta.pem --policy $P1 --explicit-policy" la.pem
t any-inhibited-by-option invalid "policy" \
    "$O -untrusted inta.pem -policy $P1 -explicit_policy -inhibit_any" \
    "--ca root.pem --untrusted inta.pem --policy $P1 --explicit-policy --inhibit-any" la.pem
t any-inhibited-by-ca invalid "policy" "$O -untrusted inti.pem -policy $P1 -explicit_policy" \
    "--ca root.pem --untrusted inti.pem --policy $P1 --explicit-policy" li.pem
t policy-tree-bound invalid "policy tree would exceed" \
    "$O $boom -policy $P1 -explicit_policy" \
    "--ca root.pem $mboom --policy 1.3.6.1.4.1.55555.1.1 --explicit-policy" lb.pem

C="-CAfile root.pem -crl_check_all -extended_crl -use_deltas"
t crl-idp-good valid "" "$C -untrusted ca.pem -CRLfile root.crl -CRLfile ca.crl" \
    "--ca root.pem --untrusted ca.pem --crl-all --crl root.crl --crl ca.crl" good.pem
t crl-idp-revoked invalid "revoked (keyCompromise)" \
    "$C -untrusted ca.pem -CRLfile root.crl -CRLfile ca.crl" \
    "--ca root.pem --untrusted ca.pem --crl-all --crl root.crl --crl ca.crl" bad.pem
t crl-idp-other-point invalid "undetermined" \
    "$C -untrusted ca.pem -CRLfile root.crl -CRLfile ca.crl" \
    "--ca root.pem --untrusted ca.pem --crl-all --crl root.crl --crl ca.crl" elsewhere.pem
t crl-idp-onlyuser-for-ca invalid "undetermined" \
    "$C -untrusted ca.pem -CRLfile root.crl -CRLfile ca.crl" \
    "--ca root.pem --untrusted ca.pem --crl-all --crl root.crl --crl ca.crl" sub.pem
t crl-signing-key-good valid "" \
    "$C -untrusted ca2.pem -untrusted ca2sign.pem -CRLfile root.crl -CRLfile ca2.crl" \
    "--ca root.pem --untrusted ca2.pem --untrusted ca2sign.pem --crl-all --crl root.crl --crl ca2.crl" good2.pem
t crl-signing-key-revoked invalid "revoked" \
    "$C -untrusted ca2.pem -untrusted ca2sign.pem -CRLfile root.crl -CRLfile ca2.crl" \
    "--ca root.pem --untrusted ca2.pem --untrusted ca2sign.pem --crl-all --crl root.crl --crl ca2.crl" bad2.pem
t crl-signing-key-missing invalid "undetermined" \
    "$C -untrusted ca2.pem -CRLfile root.crl -CRLfile ca2.crl" \
    "--ca root.pem --untrusted ca2.pem --crl-all --crl root.crl --crl ca2.crl" good2.pem
t crl-indirect valid "" \
    "$C -untrusted ca.pem -untrusted crliss.pem -CRLfile root.crl -CRLfile indirect.crl" \
    "--ca root.pem --untrusted ca.pem --untrusted crliss.pem --crl-all --crl root.crl --crl indirect.crl" ind.pem
t crl-indirect-not-from-ca invalid "undetermined" \
    "$C -untrusted ca.pem -untrusted crliss.pem -CRLfile root.crl -CRLfile ca.crl" \
    "--ca root.pem --untrusted ca.pem --untrusted crliss.pem --crl-all --crl root.crl --crl ca.crl" ind.pem
t crl-delta-good valid "" \
    "$C -untrusted ca.pem -CRLfile root.crl -CRLfile base.crl -CRLfile delta.crl" \
    "--ca root.pem --untrusted ca.pem --crl-all --crl root.crl --crl base.crl --crl delta.crl" good.pem
t crl-delta-revoked invalid "according to delta CRL" \
    "$C -untrusted ca.pem -CRLfile root.crl -CRLfile base.crl -CRLfile delta.crl" \
    "--ca root.pem --untrusted ca.pem --crl-all --crl root.crl --crl base.crl --crl delta.crl" bad.pem
t crl-base-only valid "" "$C -untrusted ca.pem -CRLfile root.crl -CRLfile base.crl" \
    "--ca root.pem --untrusted ca.pem --crl-all --crl root.crl --crl base.crl" bad.pem
t crl-delta-unannounced valid "" \
    "$C -untrusted ca.pem -CRLfile root.crl -CRLfile plainbase.crl -CRLfile delta.crl" \
    "--ca root.pem --untrusted ca.pem --crl-all --crl root.crl --crl plainbase.crl --crl delta.crl" bad.pem

echo "$pass agree, $fail do not"
[ $fail -eq 0 ]
