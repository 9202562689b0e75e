#!/bin/sh
# flows-orders.sh — the CA service (ca serve), the server (server register
# then server run --status) and the client (client enroll then client
# connect) started in each of the six orders, over Unix sockets and over
# loopback TCP: whoever starts before its peer waits for it, and every
# time the client is served ("CN=alice" back from WHOAMI) by a server that
# asked the CA about it. Each run has a workspace of its own.
set -u
command -v python3 >/dev/null 2>&1 || { echo "python3 not installed"; exit 77; }
. tests/interop/flowslib
test_setup flows-orders flows-pass
base=$w

# start ROLE: one role in the background, in the run's workspace.
start() {
	case $1 in
	ca)
		bg ca "$M" ca serve --ca ca --listen "$caaddr" ;;
	server)
		bg server sh -c '"$1" server register web --ca "$2" --anchor root.pem \
		    --token "$3" --timeout 120 && exec "$1" server run web \
		    --listen "$4" --ca root.pem --client-auth require \
		    --status "$2" --status-cache 0' sh "$M" "$caaddr" "$stok" \
		    "$webaddr" ;;
	client)
		bg client sh -c '"$1" client enroll alice --ca "$2" --anchor root.pem \
		    --token "$3" --timeout 120 && exec "$1" client connect alice \
		    "$4" --ca root.pem --send WHOAMI --timeout 120' sh "$M" \
		    "$caaddr" "$ctok" "$webaddr"
		cpid=$bgpid ;;
	esac
}

# started ROLE: waits until the role that started is waiting for its peer
# or does not need to (the CA service listening, the server listening, the
# client done), so that the next starts after it as the order says.
started() {
	i=0
	while :; do
		case $1 in
		ca) grep -q "^listening on " ca.out 2>/dev/null && return ;;
		server) grep -q "waiting for " server.err 2>/dev/null ||
		    grep -q "^listening on " server.out 2>/dev/null && return ;;
		client) grep -q "waiting for " client.err 2>/dev/null ||
		    ! kill -0 $cpid 2>/dev/null && return ;;
		esac
		i=$((i + 1))
		[ $i -gt 600 ] && { fail "$1 did not start"; return; }
		sleep 0.1
	done
}

for net in unix tcp; do
	for order in "ca server client" "ca client server" "server ca client" \
	    "server client ca" "client ca server" "client server ca"; do
		run_dir=$base/$net-$(echo "$order" | tr ' ' -)
		mkdir -p "$run_dir" && cd "$run_dir" || exit 2
		MINIPKI_DIR=$run_dir/ws
		export MINIPKI_DIR
		quiet "$M" ca init ca --subject "CN=Orders Root" --bits 2048
		quiet "$M" export ca --cert --out root.pem
		stok=$("$M" ca token new --ca ca --profile server 2>/dev/null)
		ctok=$("$M" ca token new --ca ca 2>/dev/null)
		if [ $net = unix ]; then
			caaddr=unix:$run_dir/ca.sock webaddr=unix:$run_dir/web.sock
		else
			free_port; caaddr=tcp:127.0.0.1:$port
			free_port; webaddr=tcp:127.0.0.1:$port
		fi
		rolepids=
		for role in $order; do
			start $role
			rolepids="$rolepids $bgpid"
			started $role
		done
		wait_pid $cpid 120
		if [ $rc -eq 0 ] && [ "$(cat client.out | tail -n 1)" = "CN=alice" ] &&
		    grep -q "client CN=alice: good (OCSP)" server.err; then
			ok "$net: $order"
		else
			fail "$net: $order: client exit $rc"
			tail -n 5 ca.err server.err client.out client.err | sed 's/^/    | /'
		fi
		for p in $rolepids; do kill $p 2>/dev/null; done
	done
done
cd "$base"
[ "$fails" -eq 0 ]
