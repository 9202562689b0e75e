#!/bin/sh
# flows-netns.sh — the CA service, the server and the client in three
# network namespaces of their own, each joined to a bridge (in a fourth,
# "hub", namespace) by a veth pair: the client started first waits for the
# CA, enrolls over 10.199.N.1, the server registers and serves it, asking
# the CA about it. Skipped (77) where `ip netns add` is not permitted (no
# root, no CAP_NET_ADMIN, a container without it). The namespaces and the
# processes in them are removed at exit, whatever happens.
set -u
command -v ip >/dev/null 2>&1 || { echo "ip not installed"; exit 77; }
. tests/interop/flowslib
ns=mpf$$
if ! ip netns add ${ns}hub 2>/dev/null; then
	echo "ip netns add is not permitted here"
	exit 77
fi
ip netns del ${ns}hub
flows_setup flows-netns

netns_cleanup() {
	for r in ca srv cli hub; do
		# every process still in the namespace, then the namespace
		for p in $(ip netns pids $ns$r 2>/dev/null); do kill $p 2>/dev/null; done
		ip netns del $ns$r 2>/dev/null
	done
	test_cleanup
}
trap netns_cleanup EXIT
ip netns add ${ns}hub || { fail "ip netns add ${ns}hub"; exit 1; }

# the hub's bridge, and a veth pair from each role's namespace to it
# (names of at most 15 bytes: mpfPID + role fits for PIDs up to 7 digits)
net=10.199.$(( $$ % 250 ))
ip -n ${ns}hub link add br0 type bridge && ip -n ${ns}hub link set br0 up ||
    { fail "bridge"; exit 1; }
i=1
for r in ca srv cli; do
	ip netns add $ns$r || { fail "ip netns add $ns$r"; exit 1; }
	ip link add v$r$$ netns $ns$r type veth peer name h$r$$ netns ${ns}hub &&
	ip -n $ns$r addr add $net.$i/24 dev v$r$$ &&
	ip -n $ns$r link set v$r$$ up && ip -n $ns$r link set lo up &&
	ip -n ${ns}hub link set h$r$$ master br0 && ip -n ${ns}hub link set h$r$$ up ||
	    { fail "veth for $r"; exit 1; }
	i=$((i + 1))
done
ok "namespaces $ns{ca,srv,cli} on $net.0/24"

ca=tcp:$net.1:9000
web=tcp:$net.2:8443
stok=$("$M" ca token new --ca ca --profile server 2>/dev/null)
ctok=$("$M" ca token new --ca ca 2>/dev/null)
bg client ip netns exec ${ns}cli sh -c '"$1" client enroll alice --ca "$2" \
    --anchor root.pem --token "$3" --timeout 60 && exec "$1" client connect \
    alice "$4" --ca root.pem --send WHOAMI --timeout 60' sh "$M" "$ca" \
    "$ctok" "$web"
cpid=$bgpid
wait_for client.err "waiting for the CA service at $ca"
bg ca ip netns exec ${ns}ca "$M" ca serve --ca ca --listen "$ca" --name "$net.1"
wait_for ca.out "^listening on "
bg server ip netns exec ${ns}srv sh -c '"$1" server register web --ca "$2" \
    --anchor root.pem --token "$3" --san "IP:$5" --timeout 60 && exec "$1" \
    server run web --listen "$4" --ca root.pem --client-auth require \
    --status "$2"' sh "$M" "$ca" "$stok" "$web" "$net.2"
wait_pid $cpid 90
[ $rc -eq 0 ] && [ "$(tail -n 1 client.out)" = "CN=alice" ] &&
    ok "the client in its namespace was served by the server in its own" ||
    { fail "client: exit $rc"; tail -n 5 client.out client.err server.out server.err ca.err | sed 's/^/    | /'; }
grep -q "^connection 1: client CN=alice: good (OCSP)$" server.err &&
    ok "the server asked the CA in its namespace" ||
    { fail "server log"; sed 's/^/    | /' server.err; }
[ "$fails" -eq 0 ]
