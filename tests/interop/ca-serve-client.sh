#!/bin/sh
# ca-serve-client.sh — our client against our service, end to end:
# `client enroll` with the fingerprint and a token over the Unix socket and
# TCP (the certificate stored in the keystore, `openssl verify` accepts
# it), `--count 3` over one connection, a request without a token pending
# until `ca approve` and fetched by `--wait`, a wrong fingerprint and a used
# token refused with their exact errors, `client status` good then revoked
# after `ca revoke`, `client crl` listing the revoked serial; then the CDP
# and AIA judges: with `ca set-url` before issuing, `openssl verify
# -crl_download -crl_check` and `openssl ocsp -url` (from the certificate)
# find the service by themselves, good before and revoked after.
set -u
. tests/interop/caservelib
caserve_setup ca-serve-client

# exits WANT LINE COMMAND...: COMMAND exits WANT and LINE is a line of its
# stderr ('' for any).
exits() {
	want=$1 line=$2
	shift 2
	"$@" >out 2>err </dev/null
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$*: exit $rc, want $want"
		sed 's/^/    | /' err out | head -n 20
	elif [ -n "$line" ] && ! grep -qxF -- "$line" err; then
		fail "$*: no line '$line' on stderr"
		sed 's/^/    | /' err | head -n 20
	else
		ok "($rc) $*"
	fi
}

# stored NAME: the certificate in NAME's keystore chains to ca.pem.
stored() {
	rm -f "$1.pem"
	"$M" export "$1" --cert --out "$1.pem" >/dev/null 2>&1 ||
	    { fail "export $1 --cert"; return; }
	openssl verify -CAfile ca.pem "$1.pem" >v.out 2>&1 &&
	    grep -qx "$1.pem: OK" v.out && ok "$1's stored certificate verifies" ||
	    { fail "openssl verify $1.pem"; cat v.out; }
	openssl x509 -in "$1.pem" -noout -subject | grep -q "CN *= *$1\$" ||
	    fail "subject of $1.pem: $(openssl x509 -in "$1.pem" -noout -subject)"
}

serve_start --listen unix:"$w/ca.sock"
case $fpr in SHA256:????????????????????????????????????????????????????????????????) ;;
*) fail "fingerprint '$fpr'" ;; esac

# Over the Unix socket, with a token.
tok=$("$M" ca token new 2>/dev/null)
exits 0 '' "$M" client enroll alice --ca "unix:$w/ca.sock" \
    --ca-fingerprint "$fpr" --token "$tok"
stored alice

# The token is used: a second enrollment with it gets the 401.
tid=$("$M" ca token list 2>/dev/null | sed -n '1s/ .*//p')
exits 1 "minipki-tui: the CA refused the token for 'alice2' (401 Unauthorized): token $tid has been used (1 of 1 uses)" \
    "$M" client enroll alice2 --ca "unix:$w/ca.sock" \
    --ca-fingerprint "$fpr" --token "$tok"

# Over TCP.
tok=$("$M" ca token new 2>/dev/null)
exits 0 '' "$M" client enroll bob --ca "tcp:127.0.0.1:$tport" \
    --ca-fingerprint "$fpr" --token "$tok"
stored bob

# A wrong fingerprint: nothing is sent.
bad=SHA256:$(printf '%064d' 0)
tok=$("$M" ca token new 2>/dev/null)
exits 1 "minipki-tui: CA fingerprint mismatch: the service's CA certificate 'CN=Serve Root' is $(echo "$fpr" | sed 's/^SHA256://; s/../&:/g; s/:$//' | tr a-f A-F | sed 's/^/SHA256:/'), not SHA256:$(printf '00:%.0s' $(seq 31))00 as --ca-fingerprint says" \
    "$M" client enroll carol --ca "tcp:127.0.0.1:$tport" \
    --ca-fingerprint "$bad" --token "$tok"

# --count 3: three entities over one connection (one peer port in the log).
tok=$("$M" ca token new --uses 3 2>/dev/null)
exits 0 '' "$M" client enroll batch --count 3 --ca "tcp:127.0.0.1:$tport" \
    --ca-fingerprint "$fpr" --token "$tok"
for i in 1 2 3; do stored batch-$i; done
grep ' - POST /\.well-known/est/simpleenroll 200 .* with token ' serve.err | tail -n 3 >b.log
ports=$(sed 's/^127\.0\.0\.1:\([0-9]*\) .*/\1/' b.log | sort -u)
[ "$(sed 's/.* //' b.log | sort -u | wc -l)" = 1 ] && [ "$(echo "$ports" | wc -w)" = 1 ] &&
    ok "the three from one connection (port $ports)" ||
    { fail "--count 3 not 3 issuances over one connection: ports '$ports'"; cat serve.err; }

# Without a token: pending (exit 1), approved by the operator, then --wait
# fetches it.
exits 1 "minipki-tui: dave: pending: the request waits for the CA operator's approval (retry after 60 s)" \
    "$M" client enroll dave --ca "unix:$w/ca.sock" --ca-fingerprint "$fpr"
"$M" ca pending >pending 2>&1
id=$(sed -n 's/^\([0-9a-f]*\) [-0-9T:]*Z client "CN=dave" pending at "unix" (no token)$/\1/p' pending)
[ -n "$id" ] && ok "dave pending as $id" || { fail "dave not pending"; cat pending; }
exits 1 "minipki-tui: dave: pending: the request waits for the CA operator's approval (retry after 60 s)" \
    "$M" client enroll dave --ca "unix:$w/ca.sock" --ca-fingerprint "$fpr"
run "$M" ca approve "$id"
exits 0 '' "$M" client enroll dave --ca "unix:$w/ca.sock" --ca-fingerprint "$fpr" \
    --wait --timeout 30
stored dave

# Status over plain HTTP: good, then revoked after `ca revoke`.
serial=$(openssl x509 -in bob.pem -noout -serial | sed 's/.*=//')
exits 0 '' "$M" client status bob.pem --ca "http://127.0.0.1:$hport" --anchor ca.pem
grep -qx 'bob.pem: good' out err && ok "client status: good" || { fail "client status before"; cat out err; }
run "$M" ca revoke "$serial" --reason keyCompromise
exits 1 '' "$M" client status bob.pem --ca "http://127.0.0.1:$hport" --anchor ca.pem
grep -qx "bob.pem: revoked (keyCompromise) on $(date -u +%Y-%m-%d) [0-9:]* UTC" out err &&
    ok "client status: revoked (keyCompromise)" || { fail "client status after"; cat out err; }
exits 0 '' "$M" client crl --ca "http://127.0.0.1:$hport" --anchor ca.pem --out f.crl
openssl crl -inform DER -in f.crl -noout -text >crl.txt 2>&1
grep -qi "Serial Number: *$serial" crl.txt && ok "the CRL lists $serial" ||
    { fail "the CRL fetched does not list $serial"; cat crl.txt; }

# The CDP and AIA judges: the URL is recorded before issuing, so the port
# of the plain-HTTP listener is chosen first (a free one, by binding it;
# taken again meanwhile -> another try).
kill "$spid"
wait "$spid" 2>/dev/null
n=0
while :; do
	n=$((n + 1))
	[ $n -gt 5 ] && { fail "no free port for --http-listen"; exit 1; }
	hp=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	quiet "$M" ca set-url "http://127.0.0.1:$hp"
	rm -f serve.out serve.err
	timeout --foreground 120 "$M" ca serve --listen tcp:127.0.0.1:0 \
	    --http-listen "tcp:127.0.0.1:$hp" >serve.out 2>serve.err &
	spid=$!
	pids="$pids $spid"
	i=0
	while [ "$(grep -c '^listening on ' serve.out 2>/dev/null)" != 2 ] &&
	    kill -0 "$spid" 2>/dev/null && [ $i -lt 300 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	[ "$(grep -c '^listening on ' serve.out)" = 2 ] && break
	grep -q 'in use' serve.err || { fail "ca serve did not start"; cat serve.out serve.err; exit 1; }
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
done
tport=$(grep '^listening on ' serve.out | sed -n 1p | sed 's/.*://')
tok=$("$M" ca token new 2>/dev/null)
exits 0 '' "$M" client enroll erin --ca "tcp:127.0.0.1:$tport" \
    --ca-fingerprint "$fpr" --token "$tok"
stored erin
url=$(openssl x509 -ocsp_uri -noout -in erin.pem)
[ "$url" = "http://127.0.0.1:$hp/ocsp" ] && ok "AIA OCSP $url" || fail "AIA OCSP '$url'"
openssl x509 -in erin.pem -noout -ext crlDistributionPoints 2>/dev/null |
    grep -qF "URI:http://127.0.0.1:$hp/crl" && ok "CDP points at the service" ||
    fail "CDP of erin.pem: $(openssl x509 -in erin.pem -noout -ext crlDistributionPoints 2>&1)"
cdp() {
	openssl verify -crl_download -crl_check -CAfile ca.pem erin.pem >v.out 2>&1
}
ocspaia() {
	openssl ocsp -issuer ca.pem -cert erin.pem -url "$url" -CAfile ca.pem >o.out 2>&1
}
cdp && grep -qx 'erin.pem: OK' v.out && ok "verify -crl_download: OK" ||
    { fail "verify -crl_download before revoke"; cat v.out; }
ocspaia
grep -q 'Response verify OK' o.out && grep -qx 'erin.pem: good' o.out &&
    ok "openssl ocsp (AIA URL): good" || { fail "openssl ocsp before"; cat o.out; }
eserial=$(openssl x509 -in erin.pem -noout -serial | sed 's/.*=//')
run "$M" ca revoke "$eserial" --reason keyCompromise
if cdp; then fail "verify -crl_download after revoke: OK"; cat v.out
elif grep -q 'certificate revoked' v.out; then ok "verify -crl_download: certificate revoked"
else fail "verify -crl_download after revoke"; cat v.out; fi
ocspaia
grep -q 'Response verify OK' o.out && grep -qx 'erin.pem: revoked' o.out &&
    grep -q 'Reason: keyCompromise' o.out &&
    ok "openssl ocsp (AIA URL): revoked, keyCompromise" || { fail "openssl ocsp after"; cat o.out; }

# `ca set-url` while the service runs: what it issues from then on carries
# the new URL (set-url takes the CA's lock; the service reads ca.yaml again
# under it), as set-url's help says.
run "$M" ca set-url "http://localhost:$hp"
tok=$("$M" ca token new 2>/dev/null)
exits 0 '' "$M" client enroll frank --ca "tcp:127.0.0.1:$tport" \
    --ca-fingerprint "$fpr" --token "$tok"
stored frank
url=$(openssl x509 -ocsp_uri -noout -in frank.pem)
[ "$url" = "http://localhost:$hp/ocsp" ] && ok "set-url while serving: AIA OCSP $url" ||
    fail "set-url while serving: AIA OCSP '$url', want http://localhost:$hp/ocsp"
[ "$fails" -eq 0 ]
