#!/bin/sh
# ca-policy-map-openssl.sh — what issue 13 added to the CA's policies,
# judged by OpenSSL: policyMappings and inhibitAnyPolicy on intermediates
# (`ca init --policy-map`, `--inhibit-any`), and profiles with policies of
# their own (`ca set-policy`). On every chain our CA issues, `openssl
# verify -x509_strict -policy OID -explicit_policy` (and -inhibit_map,
# -inhibit_any) and `minipki-tui verify` give the same verdict, which is
# the expected one; bad values are refused with exact messages.
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
. tests/interop/testlib
test_setup ca-policy-map-openssl map-pass

P1=1.3.6.1.4.1.55555.1.1
P2=1.3.6.1.4.1.55555.1.2
P3=1.3.6.1.4.1.55555.1.3
Q1=1.3.6.1.4.1.66666.1.1
Q2=1.3.6.1.4.1.66666.1.2

# ---- bad input: exact messages, nothing made ----
quiet "$M" ca init root --bits 2048 --subject "CN=Map Root" --policy "$P1,$P2"
bad() {	# bad 'MESSAGE' OPTIONS...: ca init sub --parent root refuses them
	msg=$1
	shift
	expect 2 "minipki-tui ca init: $msg" "$M" ca init bad --parent root \
	    --bits 2048 --subject "CN=Bad" "$@"
}
bad "--policy-map: bad policy OID '1.x': expected dotted digits such as 2.5.29.32.0, or anyPolicy" \
    --policy-map "$P1=1.x"
bad "--policy-map: '$P1': expected ISSUER_OID=SUBJECT_OID" --policy-map "$P1"
bad "--policy-map: 'anyPolicy=$Q1': anyPolicy is never mapped, to or from (RFC 5280 4.2.1.5)" \
    --policy-map "anyPolicy=$Q1"
bad "--policy-map: '$P1=2.5.29.32.0': anyPolicy is never mapped, to or from (RFC 5280 4.2.1.5)" \
    --policy-map "$P1=2.5.29.32.0"
bad "--policy-map: $P1=$Q1 appears twice" --policy-map "$P1=$Q1,$P1=$Q1"
bad "option '--inhibit-any': '65' is not a number from 0 to 64" --inhibit-any 65
expect 2 "minipki-tui ca init: --policy-map and --inhibit-any need --parent (a verifier ignores them in a root)" \
    "$M" ca init bad --bits 2048 --subject "CN=Bad" --inhibit-any 0
# A mapping of a policy the new CA does not assert would never apply.
expect 1 "minipki-tui: CA 'root': policyMappings: $P1 is not among the new certificate's policies ($P2): the mapping would never apply" \
    "$M" ca init bad --parent root --bits 2048 --subject "CN=Bad" --policy "$P2" \
    --policy-map "$P1=$Q1"
[ ! -e "$MINIPKI_DIR/ca/bad" ] || fail "a refused ca init left ca/bad"

# ---- judge: openssl and our verify on one chain ----
quiet "$M" export root --cert --out root.pem
judge() {	# judge WANT(0 ok, 1 refused) LEAF UNTRUSTED OPENSSL-OPTS -- OUR-OPTS
	want=$1 leaf=$2 unt=$3
	shift 3
	oo= mo= side=o
	for a in "$@"; do
		if [ "$a" = -- ]; then side=m; continue; fi
		if [ $side = o ]; then oo="$oo $a"; else mo="$mo $a"; fi
	done
	# shellcheck disable=SC2086
	openssl verify -x509_strict -CAfile root.pem -untrusted "$unt" $oo "$leaf" >v.out 2>&1
	o=$?
	# shellcheck disable=SC2086
	"$M" verify --ca root.pem --untrusted "$unt" $mo "$leaf" >m.out 2>&1
	m=$?
	[ $o -ne 0 ] && o=1
	[ $m -ne 0 ] && m=1
	if [ $o -eq "$want" ] && [ $m -eq "$want" ]; then
		ok "$leaf$oo: both $( [ "$want" -eq 0 ] && echo accept || echo refuse)"
	else
		fail "$leaf$oo: openssl $o, minipki $m, want $want"
		sed 's/^/    | openssl: /' v.out
		sed 's/^/    | minipki: /' m.out | tail -n 8
	fi
}
leaf() {	# leaf CA NAME PROFILE: NAME.pem issued by CA under PROFILE
	quiet "$M" key new "$2" --bits 2048
	quiet "$M" csr new "$2" --subject "CN=$2.lab.example" --san "DNS:$2.lab.example" --out "$2.csr"
	quiet "$M" ca issue --ca "$1" --csr "$2.csr" --profile "$3" --out "$2.pem"
}
export_ca() {	# export_ca NAME: NAME.pem, its own certificate
	quiet "$M" export "$1" --cert --der --out "$1.der"
	openssl x509 -inform DER -in "$1.der" -out "$1.pem" || fail "$1 to PEM"
}

# ---- policyMappings ----
run "$M" ca init map --parent root --bits 2048 --pathlen 1 --subject "CN=Map Sub" \
    --policy-map "$P1=$Q1,$P1=$Q2"
grep -qx "policy mappings: critical, $P1=$Q1, $P1=$Q2" out ||
    { fail "ca init does not print the mappings"; cat out; }
export_ca map
openssl x509 -in map.pem -noout -text >map.txt || fail "x509 -text map"
grep -q "X509v3 Policy Mappings: critical" map.txt &&
    grep -q "$P1:$Q1" map.txt && grep -q "$P1:$Q2" map.txt ||
    { fail "openssl does not show the mappings"; cat map.txt; }
leaf map web server
# The leaf carries the subject domain's policies: P1 mapped to Q1 and Q2,
# P2 as it is; never P1 itself.
openssl x509 -in web.pem -noout -text >web.txt || fail "x509 -text web"
grep -q "Policy: $Q1" web.txt && grep -q "Policy: $Q2" web.txt &&
    grep -q "Policy: $P2" web.txt && ! grep -q "Policy: $P1" web.txt ||
    { fail "the leaf does not carry the mapped policies"; cat web.txt; }
# The user's policy set is in the trust anchor's domain: P1, not Q1.
judge 0 web.pem map.pem -policy "$P1" -explicit_policy -- --policy "$P1" --explicit-policy
judge 0 web.pem map.pem -policy "$P2" -explicit_policy -- --policy "$P2" --explicit-policy
judge 1 web.pem map.pem -policy "$Q1" -explicit_policy -- --policy "$Q1" --explicit-policy
judge 1 web.pem map.pem -policy "$P3" -explicit_policy -- --policy "$P3" --explicit-policy
judge 1 web.pem map.pem -policy "$P1" -explicit_policy -inhibit_map -- \
    --policy "$P1" --explicit-policy --inhibit-mapping
judge 0 web.pem map.pem -policy "$P2" -explicit_policy -inhibit_map -- \
    --policy "$P2" --explicit-policy --inhibit-mapping
# Below the mapping CA, a sub-CA's policies are in its domain.
expect 1 "minipki-tui: CA 'map': policy $P1 is not among the policies of CA 'CN=Map Sub' ($Q1, $Q2, $P2): a verifier would find no valid policy" \
    "$M" ca init deep --parent map --bits 2048 --subject "CN=Deep" --policy "$P1"

# ---- inhibitAnyPolicy ----
quiet "$M" ca init aroot --bits 2048 --subject "CN=Any Root" --policy anyPolicy
quiet "$M" export aroot --cert --out aroot.pem
cp root.pem root-map.pem
cp aroot.pem root.pem
run "$M" ca init any0 --parent aroot --bits 2048 --subject "CN=Any 0" --inhibit-any 0
grep -qx "inhibitAnyPolicy: critical, 0" out || { fail "inhibit-any not printed"; cat out; }
quiet "$M" ca init any1 --parent aroot --bits 2048 --pathlen 1 --subject "CN=Any 1" --inhibit-any 1
export_ca any0
export_ca any1
openssl x509 -in any0.pem -noout -text | grep -A1 "X509v3 Inhibit Any Policy: critical" | grep -q "^ *0$" ||
    fail "openssl does not show inhibitAnyPolicy 0"
leaf any0 a0 server
leaf any1 a1 server
# The leaves carry anyPolicy; under any0 it no longer counts.
judge 1 a0.pem any0.pem -policy "$P1" -explicit_policy -- --policy "$P1" --explicit-policy
judge 0 a1.pem any1.pem -policy "$P1" -explicit_policy -- --policy "$P1" --explicit-policy
judge 1 a1.pem any1.pem -policy "$P1" -explicit_policy -inhibit_any -- \
    --policy "$P1" --explicit-policy --inhibit-any
cp root-map.pem root.pem

# ---- profiles with policies of their own ----
expect 2 "minipki-tui ca set-policy: --profile: unknown profile 'web': use server, client, ca, peer" \
    "$M" ca set-policy --ca root --profile web --policy "$P1"
expect 2 "minipki-tui ca set-policy: --policy: bad policy OID '1..2': expected dotted digits such as 2.5.29.32.0, or anyPolicy" \
    "$M" ca set-policy --ca root --profile server --policy 1..2
expect 2 "minipki-tui ca set-policy: --cps: 'ftp://c.example/': use an http:// or https:// URI of printable ASCII, at most 200 bytes" \
    "$M" ca set-policy --ca root --profile server --policy "$P1" --cps ftp://c.example/
expect 2 "minipki-tui ca set-policy: --clear excludes --policy and --cps" \
    "$M" ca set-policy --ca root --profile server --policy "$P1" --clear
expect 1 "minipki-tui: CA 'root': policy $P3 is not among the policies of CA 'CN=Map Root' ($P1, $P2): a verifier would find no valid policy" \
    "$M" ca set-policy --ca root --profile server --policy "$P3"
expect 1 "minipki-tui: CA 'map': policy $P1 is not among the policies of CA 'CN=Map Sub' ($Q1, $Q2, $P2): a verifier would find no valid policy" \
    "$M" ca set-policy --ca map --profile client --policy "$P1"
# An intermediate without policies allows none.
quiet "$M" ca init plain --bits 2048 --subject "CN=Plain Root"
quiet "$M" ca init plainsub --parent plain --bits 2048 --subject "CN=Plain Sub"
expect 1 "minipki-tui: CA 'plainsub': policy $P1: CA 'CN=Plain Sub' asserts no policies: a verifier would find no valid policy" \
    "$M" ca set-policy --ca plainsub --profile server --policy "$P1"

# One policy of the CA's two, with a CPS: the leaf carries it alone.
run "$M" ca init sub --parent root --bits 2048 --subject "CN=Pol Sub"
run "$M" ca set-policy --ca sub --profile server --policy "$P2" --cps https://cps.lab.example/server
grep -qx "CA 'sub' profile server: policies $P2, CPS https://cps.lab.example/server" out ||
    { fail "set-policy output"; cat out; }
grep -q "set-policy" "$MINIPKI_DIR/ca/sub/audit.yaml" || fail "set-policy not audited"
export_ca sub
leaf sub srv server
leaf sub cli client
openssl x509 -in srv.pem -noout -text >srv.txt || fail "x509 -text srv"
grep -q "Policy: $P2" srv.txt && ! grep -q "Policy: $P1" srv.txt &&
    grep -q "CPS: https://cps.lab.example/server" srv.txt ||
    { fail "the server leaf does not carry its profile's policy"; cat srv.txt; }
judge 0 srv.pem sub.pem -policy "$P2" -explicit_policy -- --policy "$P2" --explicit-policy
judge 1 srv.pem sub.pem -policy "$P1" -explicit_policy -- --policy "$P1" --explicit-policy
# The client profile has none of its own: the CA's two.
judge 0 cli.pem sub.pem -policy "$P1" -explicit_policy -- --policy "$P1" --explicit-policy
# Under the mapping CA a profile names subject-domain policies.
run "$M" ca set-policy --ca map --profile server --policy "$Q2"
leaf map web2 server
judge 0 web2.pem map.pem -policy "$P1" -explicit_policy -- --policy "$P1" --explicit-policy
judge 1 web2.pem map.pem -policy "$P2" -explicit_policy -- --policy "$P2" --explicit-policy
# A ca.yaml edited to a policy the CA does not allow: the issue is refused.
sed -i "s/policies: $P2\$/policies: $P3/" "$MINIPKI_DIR/ca/sub/ca.yaml"
expect 1 "minipki-tui: srv.csr: CA 'sub': policy $P3 is not among the policies of CA 'CN=Pol Sub' ($P1, $P2): a verifier would find no valid policy" \
    "$M" ca issue --ca sub --csr srv.csr --profile server --out x.pem
# Cleared: the CA's policies again.
run "$M" ca set-policy --ca sub --profile server --clear
grep -q profile_policies "$MINIPKI_DIR/ca/sub/ca.yaml" && fail "--clear left profile_policies"
quiet "$M" ca issue --ca sub --csr srv.csr --profile server --out srv2.pem
judge 0 srv2.pem sub.pem -policy "$P1" -explicit_policy -- --policy "$P1" --explicit-policy

[ "$fails" -eq 0 ] || exit 1
