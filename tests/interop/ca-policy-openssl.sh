#!/bin/sh
# ca-policy-openssl.sh — certificate policies our CA writes, judged by
# OpenSSL: `ca init --policy --cps` on a root and intermediates,
# policyConstraints on an intermediate; what the CAs issue carries the
# CA's policies, so `openssl verify -policy OID -explicit_policy` accepts
# the chain and refuses another policy; bad values are usage errors.
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
. tests/interop/testlib
test_setup ca-policy-openssl pol-pass

P1=1.3.6.1.4.1.55555.1.1
P2=1.3.6.1.4.1.55555.1.2
P3=1.3.6.1.4.1.55555.1.3

# ---- bad input: exact messages, nothing made ----
expect 2 "minipki-tui ca init: --policy: bad policy OID '1.x': expected dotted digits such as 2.5.29.32.0, or anyPolicy" \
    "$M" ca init bad --bits 2048 --subject "CN=Bad" --policy "$P1,1.x"
expect 2 "minipki-tui ca init: --policy: $P1 appears twice" \
    "$M" ca init bad --bits 2048 --subject "CN=Bad" --policy "$P1,$P1"
expect 2 "minipki-tui ca init: --cps needs --policy" \
    "$M" ca init bad --bits 2048 --subject "CN=Bad" --cps http://cps.example/
expect 2 "minipki-tui ca init: --cps: 'ftp://cps.example/': use an http:// or https:// URI of printable ASCII, at most 200 bytes" \
    "$M" ca init bad --bits 2048 --subject "CN=Bad" --policy "$P1" --cps ftp://cps.example/
expect 2 "minipki-tui ca init: option '--require-explicit-policy': '65' is not a number from 0 to 64" \
    "$M" ca init bad --bits 2048 --subject "CN=Bad" --parent x --require-explicit-policy 65
expect 2 "minipki-tui ca init: option '--inhibit-mapping': 'x' is not a number from 0 to 64" \
    "$M" ca init bad --bits 2048 --subject "CN=Bad" --parent x --inhibit-mapping x
expect 2 "minipki-tui ca init: --require-explicit-policy and --inhibit-mapping need --parent (a verifier ignores them in a root)" \
    "$M" ca init bad --bits 2048 --subject "CN=Bad" --require-explicit-policy 0
[ ! -e "$MINIPKI_DIR/ca/bad" ] || fail "a refused ca init left ca/bad"

# ---- a root with two policies and a CPS ----
run "$M" ca init root --bits 2048 --subject "CN=Pol Root" --policy "$P1,$P2" \
    --cps https://cps.lab.example/cps.html
grep -qx "policies: $P1, $P2" out || { fail "ca init does not print the policies"; cat out; }
quiet "$M" export root --cert --out root.pem
openssl x509 -in root.pem -noout -text >root.txt || fail "x509 -text root"
grep -q "Policy: $P1" root.txt && grep -q "Policy: $P2" root.txt &&
    grep -q "CPS: https://cps.lab.example/cps.html" root.txt ||
    { fail "openssl does not show the root's policies"; cat root.txt; }

# An intermediate asking for a policy the root lacks is refused.
expect 1 "minipki-tui: CA 'root': policy $P3 is not among the policies of CA 'CN=Pol Root' ($P1, $P2): a verifier would find no valid policy" \
    "$M" ca init sub --parent root --bits 2048 --subject "CN=Sub" --policy "$P3"
# One policy of the two, and policyConstraints.
run "$M" ca init sub --parent root --bits 2048 --subject "CN=Pol Sub" \
    --policy "$P1" --cps https://cps.lab.example/cps.html \
    --require-explicit-policy 0 --inhibit-mapping 0
grep -qx "policies: $P1" out || { fail "sub: policies not printed"; cat out; }
grep -qx "policy constraints: critical, requireExplicitPolicy 0, inhibitPolicyMapping 0 (-1: none)" out ||
    { fail "sub: policy constraints not printed"; cat out; }
quiet "$M" export sub --cert --out sub.pem
openssl x509 -in sub.pem -noout -text >sub.txt || fail "x509 -text sub"
grep -q "X509v3 Policy Constraints: critical" sub.txt &&
    grep -q "Require Explicit Policy:0" sub.txt &&
    grep -q "Inhibit Policy Mapping:0" sub.txt &&
    grep -q "Policy: $P1" sub.txt && ! grep -q "Policy: $P2" sub.txt ||
    { fail "openssl does not show sub's policies"; cat sub.txt; }
# An intermediate without --policy gets its parent's.
run "$M" ca init inh --parent root --bits 2048 --subject "CN=Inherit"
grep -qx "policies: $P1, $P2" out || { fail "inh: parent's policies not inherited"; cat out; }

# ---- leaves carry their CA's policies ----
quiet "$M" key new web --bits 2048
quiet "$M" csr new web --subject "CN=web.lab.example" --san DNS:web.lab.example --out web.csr
run "$M" ca issue --ca sub --csr web.csr --profile server --out web.pem
openssl x509 -in web.pem -noout -text >web.txt || fail "x509 -text web"
grep -q "Policy: $P1" web.txt && grep -q "CPS: https://cps.lab.example/cps.html" web.txt ||
    { fail "the leaf does not carry sub's policy"; cat web.txt; }
run "$M" ca issue --ca root --csr web.csr --profile server --out web-root.pem

verify() {	# verify WANT(0 ok, 1 refused) LEAF UNTRUSTED OPENSSL-OPTIONS...
	want=$1 leaf=$2 unt=$3
	shift 3
	if [ -n "$unt" ]; then
		openssl verify -x509_strict -CAfile root.pem -untrusted "$unt" "$@" "$leaf" >v.out 2>&1
	else
		openssl verify -x509_strict -CAfile root.pem "$@" "$leaf" >v.out 2>&1
	fi
	got=$?
	[ "$got" -ne 0 ] && got=1
	if [ "$got" -eq "$want" ]; then
		ok "openssl verify $* $leaf: $( [ "$want" -eq 0 ] && echo accepted || echo refused)"
	else
		fail "openssl verify $* $leaf: exit $got, want $want"
		sed 's/^/    | /' v.out
	fi
}
verify 0 web.pem sub.pem -policy "$P1" -explicit_policy
verify 1 web.pem sub.pem -policy "$P2" -explicit_policy
verify 1 web.pem sub.pem -policy "$P3" -explicit_policy
verify 0 web-root.pem "" -policy "$P2" -explicit_policy
verify 0 web-root.pem "" -policy "$P1" -explicit_policy
verify 1 web-root.pem "" -policy "$P3" -explicit_policy
# sub's requireExplicitPolicy 0 asks a policy without -explicit_policy too:
# a leaf of a CA with no policies under it would fail; ours passes.
verify 0 web.pem sub.pem -policy "$P1"
# Our verifier agrees.
"$M" verify --ca root.pem --untrusted sub.pem --policy "$P1" --explicit-policy web.pem >o 2>&1 ||
    { fail "minipki verify refuses $P1"; sed 's/^/    | /' o; }
"$M" verify --ca root.pem --untrusted sub.pem --policy "$P2" --explicit-policy web.pem >o 2>&1 &&
    { fail "minipki verify accepts $P2"; sed 's/^/    | /' o; }

# ---- a renewal keeps the policies ----
serial=$(openssl x509 -in web.pem -noout -serial | sed 's/serial=//')
run "$M" ca renew --ca sub "$serial" --out web2.pem
verify 0 web2.pem sub.pem -policy "$P1" -explicit_policy

[ "$fails" -eq 0 ] || exit 1
