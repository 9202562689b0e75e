#!/bin/sh
# roles-registry.sh — `ca serve` and `server run` enter the workspace's
# registry of running roles (run/KIND.PID.yaml) once they listen, with the
# addresses actually listened on, and leave it when they stop.
set -u
. tests/interop/tlslib
test_setup roles-registry roles-pass

srv_pki "Roles Root" svc.test DNS:svc.test
[ "$fails" -eq 0 ] || exit 1

# wait_gone FILE: up to 20 s for FILE to go.
wait_gone() {
	i=0
	while [ -e "$1" ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && return 1
		sleep 0.1
	done
}

"$M" ca serve --listen "unix:$w/ca.sock" --http-listen tcp:127.0.0.1:0 \
    >serve.out 2>serve.err &
cpid=$!
pids=$cpid
"$M" server run srv --listen tcp:127.0.0.1:0 >srv.out 2>srv.err &
spid=$!
pids="$pids $spid"
wait_for serve.out "^listening on tcp:" || { fail "ca serve did not start"; cat serve.err; }
wait_for srv.out "^listening on tcp:" || { fail "server run did not start"; cat srv.err; }
hport=$(sed -n 's/^listening on tcp:127.0.0.1://p' serve.out)
saddr=$(sed -n 's/^listening on //p' srv.out)

f=ws/run/ca-service.$cpid.yaml
# Registered with the last listener: wait for the file itself.
wait_for "$f" "^address-2:" || fail "no $f"
grep -qx "kind: ca-service" "$f" && grep -qx "name: ca" "$f" &&
    grep -qx "pid: $cpid" "$f" && grep -qx "address-1: tls unix:$w/ca.sock" "$f" &&
    grep -qx "address-2: http tcp:127.0.0.1:$hport" "$f" &&
    ok "ca serve registered with its addresses" ||
    { fail "ca serve's entry"; cat "$f"; }
[ "$(stat -c %a "$f")" = 600 ] && [ "$(stat -c %a ws/run)" = 700 ] &&
    ok "registry modes 0700/0600" || fail "registry modes"

g=ws/run/server.$spid.yaml
wait_for "$g" "^address-1:" || fail "no $g"
grep -qx "kind: server" "$g" && grep -qx "name: srv" "$g" &&
    grep -qx "address-1: tls $saddr" "$g" &&
    ok "server run registered at $saddr" || { fail "server's entry"; cat "$g"; }

kill "$cpid" "$spid"
wait "$cpid" "$spid" 2>/dev/null
pids=
wait_gone "$f" && ok "ca serve's entry gone on stop" || fail "$f left behind"
wait_gone "$g" && ok "server's entry gone on stop" || fail "$g left behind"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "roles-registry: all passed"
