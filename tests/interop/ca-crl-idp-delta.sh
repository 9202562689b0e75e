#!/bin/sh
# ca-crl-idp-delta.sh — the CA's CRLs, judged by OpenSSL: an
# issuingDistributionPoint only when every unexpired certificate carries
# the matching CDP (`openssl verify -crl_check` accepts the CRL for them),
# freshestCRL on complete CRLs of a CA with a URL, and delta CRLs
# (`ca crl --delta`, `ca revoke --delta`) that `openssl verify -crl_check
# -extended_crl -use_deltas` combines with their base.
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
. tests/interop/testlib
test_setup ca-crl-idp-delta crl-pass
URL=http://ca.lab.example:8080

leaf() {	# leaf CA NAME: NAME.pem issued by CA, its serial in $serial
	quiet "$M" key new "$2" --bits 2048
	quiet "$M" csr new "$2" --subject "CN=$2.lab.example" --san "DNS:$2.lab.example" --out "$2.csr"
	run "$M" ca issue --ca "$1" --csr "$2.csr" --profile server --out "$2.pem"
	serial=$(openssl x509 -in "$2.pem" -noout -serial | sed 's/serial=//')
}
ossl() {	# ossl WANT(ok|revoked|other) LEAF CA-PEM OPTIONS...
	want=$1 l=$2 cap=$3
	shift 3
	openssl verify -x509_strict -CAfile "$cap" "$@" "$l" >v.out 2>&1
	got=$?
	if [ "$got" -eq 0 ]; then g=ok
	elif grep -q "certificate revoked" v.out; then g=revoked
	else g=other; fi
	if [ "$g" = "$want" ]; then
		ok "openssl verify $* $l: $want"
	else
		fail "openssl verify $* $l: $g, want $want"
		sed 's/^/    | /' v.out
	fi
}

# ---- errors ----
quiet "$M" ca init plain --bits 2048 --subject "CN=Plain CA"
expect 2 "minipki-tui: CA 'plain' has no complete CRL to be the base of a delta: run \`ca crl\` first" \
    "$M" ca crl --ca plain --delta
quiet "$M" ca crl --ca plain --out plain-crl.pem
grep -qx "issuingDistributionPoint: none (the CA has no URL)" log ||
    { fail "plain: the IDP choice is not printed"; cat log; }
expect 1 "minipki-tui: ca/plain/crl.pem (number 1) names no freshestCRL, so relying parties would not look for a delta: set the CA's URL (\`ca set-url\`) and run \`ca crl\` first" \
    "$M" ca crl --ca plain --delta
openssl crl -in plain-crl.pem -noout -text >t || fail "crl -text plain"
grep -q "Issuing Distribution Point" t && fail "plain: an IDP without a URL"
grep -q "Freshest CRL" t && fail "plain: freshestCRL without a URL"

# ---- an intermediate whose certificates all carry the CDP: IDP ----
# (An intermediate: a root's CRL has no IDP, below.)
quiet "$M" ca init top --bits 2048 --subject "CN=Top CA"
quiet "$M" ca init lab --parent top --bits 2048 --subject "CN=Lab CA" --url "$URL"
quiet "$M" export lab --cert --out lab.pem	# lab, then top: both trusted
leaf lab web
web=$serial
leaf lab mail
mail=$serial
run "$M" ca crl --ca lab --out base.pem
grep -qx "issuingDistributionPoint: $URL/crl" out &&
    grep -qx "freshestCRL: written (deltas: \`ca crl --delta\`)" out ||
    { fail "lab: IDP / freshestCRL not printed"; cat out; }
openssl crl -in base.pem -noout -text >t || fail "crl -text base"
grep -q "X509v3 Issuing Distribution Point: critical" t &&
    grep -q "URI:$URL/crl" t && grep -q "Freshest CRL" t &&
    grep -q "URI:$URL/delta-crl" t ||
    { fail "openssl does not show IDP and freshestCRL"; cat t; }
ossl ok web.pem lab.pem -crl_check -CRLfile base.pem
ossl ok web.pem lab.pem -crl_check -extended_crl -CRLfile base.pem

# ---- delta: a certificate revoked after the base ----
run "$M" ca revoke --ca lab "$web" --reason keyCompromise --delta
grep -q "^delta CRL 2 (base 1, 1 entries) written to " out ||
    { fail "revoke --delta: no delta line"; cat out; }
cp "$MINIPKI_DIR/ca/lab/delta-crl.pem" delta.pem
cmp -s "$MINIPKI_DIR/ca/lab/crl.pem" base.pem || fail "revoke --delta rewrote crl.pem"
openssl crl -in delta.pem -noout -text >t || fail "crl -text delta"
grep -q "X509v3 Delta CRL Indicator: critical" t && grep -A1 "Delta CRL Indicator" t | grep -q "1$" &&
    grep -q "X509v3 Issuing Distribution Point: critical" t &&
    ! grep -q "Freshest CRL" t ||
    { fail "openssl does not show the delta's indicator and IDP"; cat t; }
# The base alone still says good; with the delta, revoked.
ossl ok web.pem lab.pem -crl_check -extended_crl -use_deltas -CRLfile base.pem
ossl revoked web.pem lab.pem -crl_check -extended_crl -use_deltas -CRLfile base.pem -CRLfile delta.pem
ossl ok mail.pem lab.pem -crl_check -extended_crl -use_deltas -CRLfile base.pem -CRLfile delta.pem
# The delta is the changes only: the next complete CRL has it, a delta on
# that is empty.
run "$M" ca crl --ca lab --out base2.pem
run "$M" ca crl --ca lab --delta --out delta2.pem
grep -q "^delta CRL 4 (base 3, 0 entries" out || { fail "empty delta"; cat out; }
ossl revoked web.pem lab.pem -crl_check -extended_crl -use_deltas -CRLfile base2.pem -CRLfile delta2.pem
# A hold put on the complete CRL and lifted in a delta: removeFromCRL.
run "$M" ca revoke --ca lab "$mail" --reason certificateHold
run "$M" ca crl --ca lab --out base3.pem
ossl revoked mail.pem lab.pem -crl_check -extended_crl -use_deltas -CRLfile base3.pem
run "$M" ca revoke --ca lab "$mail" --reason removeFromCRL --delta
cp "$MINIPKI_DIR/ca/lab/delta-crl.pem" delta3.pem
openssl crl -in delta3.pem -noout -text | grep -q "Remove From CRL" ||
    fail "the lifted hold is not removeFromCRL in the delta"
ossl ok mail.pem lab.pem -crl_check -extended_crl -use_deltas -CRLfile base3.pem -CRLfile delta3.pem
run "$M" ca check --ca lab
grep -q "delta number" out || { fail "ca check does not see the delta"; cat out; }
grep -q "was never written" out err && fail "ca check takes the delta's number for a lost CRL"

# ---- a CA with certificates from before its URL: no IDP ----
quiet "$M" ca init mixed --parent top --bits 2048 --subject "CN=Mixed CA"
quiet "$M" export mixed --cert --out mixed.pem
leaf mixed early
early=$serial
quiet "$M" ca set-url --ca mixed "$URL"
leaf mixed late
run "$M" ca crl --ca mixed --out mixed-crl.pem
lc=$(echo "$early" | tr A-F a-f)
grep -qx "issuingDistributionPoint: none (1 of 2 unexpired certificates lack the CDP $URL/crl (the first: serial $lc))" out ||
    { fail "mixed: no IDP reason"; cat out; }
openssl crl -in mixed-crl.pem -noout -text | grep -q "Issuing Distribution Point" &&
    fail "mixed: an IDP that would leave 'early' uncovered"
ossl ok early.pem mixed.pem -crl_check -CRLfile mixed-crl.pem
ossl ok late.pem mixed.pem -crl_check -CRLfile mixed-crl.pem

# ---- a whole chain: -x509_strict -crl_check_all with our deltas ----
# Root and intermediate both with a URL; every certificate of the chain
# is checked against our CRLs (the root's complete CRL for the
# intermediate, the intermediate's base and delta for the leaf), and our
# verifier gives the same verdict with the same files.
quiet "$M" ca init croot --bits 2048 --subject "CN=Chain Root" --url "$URL"
quiet "$M" ca init cint --parent croot --bits 2048 --subject "CN=Chain Int" --url "$URL"
quiet "$M" export croot --cert --out croot.pem
quiet "$M" export cint --cert --der --out cint.der
openssl x509 -inform DER -in cint.der -out cint.pem || fail "cint to PEM"
leaf cint cweb
cweb=$serial
leaf cint cmail
run "$M" ca crl --ca croot --out croot-crl.pem
# openssl verify -crl_check_all checks the root against its own CRL: an
# IDP there would leave the root (which carries no CDP) out of its scope.
grep -qx "issuingDistributionPoint: none (the CA is a root, whose own certificate lacks the CDP $URL/crl (openssl verify -crl_check_all checks it against this CRL))" out ||
    { fail "croot: no IDP reason"; cat out; }
run "$M" ca crl --ca cint --out cbase.pem
run "$M" ca revoke --ca cint "$cweb" --reason keyCompromise --delta
cp "$MINIPKI_DIR/ca/cint/delta-crl.pem" cdelta.pem
all() {	# all WANT(ok|revoked) LEAF CRL...: openssl and minipki on the chain
	want=$1 l=$2
	shift 2
	oc= mc=
	for c in croot-crl.pem "$@"; do oc="$oc -CRLfile $c"; mc="$mc --crl $c"; done
	# shellcheck disable=SC2086
	ossl "$want" "$l" croot.pem -untrusted cint.pem -crl_check_all -extended_crl -use_deltas $oc
	# shellcheck disable=SC2086
	"$M" verify --ca croot.pem --untrusted cint.pem --crl-all $mc "$l" >m.out 2>&1
	mrc=$?
	if [ "$want" = ok ] && [ $mrc -eq 0 ]; then ok "minipki verify --crl-all $l: ok"
	elif [ "$want" = revoked ] && [ $mrc -ne 0 ] && grep -q "revoked" m.out; then
		ok "minipki verify --crl-all $l: revoked"
	else
		fail "minipki verify --crl-all $l: exit $mrc, want $want"
		sed 's/^/    | /' m.out | tail -n 8
	fi
}
all ok cweb.pem cbase.pem
all revoked cweb.pem cbase.pem cdelta.pem
all ok cmail.pem cbase.pem cdelta.pem
# The intermediate revoked on the root's CRL: every leaf below it fails.
cint_serial=$(openssl x509 -in cint.pem -noout -serial | sed 's/serial=//')
run "$M" ca revoke --ca croot "$cint_serial" --reason cACompromise
run "$M" ca crl --ca croot --out croot-crl.pem
all revoked cmail.pem cbase.pem cdelta.pem

[ "$fails" -eq 0 ] || exit 1
