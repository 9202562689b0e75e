#!/bin/sh
# ca-serve-lapse.sh — a queued request the operator does not decide within
# `ca serve --pending-days` expires: the service ran two days ago (under
# faketime) with --pending-days 1 and queued it; now `ca pending` no
# longer lists it, `ca pending --all` marks it expired, `ca approve` is
# refused, and its poll gets "403 request ID expired: ..."; one queued
# with the default (7 days) at the same time is still pending.
set -u
. tests/interop/caservelib
command -v faketime >/dev/null 2>&1 || { echo "faketime not installed"; exit 77; }
# faketime preloads its library, which AddressSanitizer refuses to follow.
grep -q __asan_init "${MINIPKI:-./minipki-tui}" 2>/dev/null &&
    { echo "faketime cannot run a binary built with AddressSanitizer"; exit 77; }
caserve_setup ca-serve-lapse

csr gus 2048
csr hal 2048
# Two days ago: the service queues gus (1 day to decide); another with the
# default queues hal.
ago() { faketime -f '-2d' "$@"; }
serve_start_ago() {
	rm -f serve.out serve.err
	timeout --foreground 120 faketime -f '-2d' "$M" ca serve \
	    --listen tcp:127.0.0.1:0 --http-listen tcp:127.0.0.1:0 "$@" \
	    >serve.out 2>serve.err &
	spid=$!
	pids="$pids $spid"
	i=0
	while [ "$(grep -c '^listening on ' serve.out 2>/dev/null)" != 2 ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && { fail "ca serve did not start"; cat serve.out serve.err; exit 1; }
		sleep 0.1
	done
	tport=$(grep '^listening on ' serve.out | sed -n 1p | sed 's/.*://')
	hport=$(grep '^listening on ' serve.out | sed -n 2p | sed 's/.*://')
}
stop() { kill "$spid"; wait "$spid" 2>/dev/null; }

serve_start_ago --pending-days 1
est simpleenroll -H 'Content-Type: application/pkcs10' --data-binary @gus.b64
[ "$code" = 202 ] && ok "gus queued (202)" || fail "gus: $code $(cat body)"
gid=$(sed -n 's/^request \([0-9a-f]*\) is waiting.*/\1/p' body)
stop
serve_start_ago
est simpleenroll -H 'Content-Type: application/pkcs10' --data-binary @hal.b64
[ "$code" = 202 ] && ok "hal queued (202)" || fail "hal: $code $(cat body)"
hid=$(sed -n 's/^request \([0-9a-f]*\) is waiting.*/\1/p' body)
stop
[ -n "$gid" ] && [ -n "$hid" ] || { fail "no request ids"; exit 1; }

# Its expiry, as the records say it: a day after it was queued.
until=$(grep -A3 "^id: $gid" "$MINIPKI_DIR/ca/ca/enroll.yaml" | sed -n 's/^expires: //p')
[ -n "$until" ] || fail "no expires in gus's record"

run "$M" ca pending
grep -q "^$gid " out && fail "ca pending lists the expired request" ||
    ok "ca pending leaves out the expired request"
grep -q "^$hid .*\"CN=hal\" pending .*(no token)\$" out && ok "ca pending lists hal (7 days)" ||
    fail "ca pending: $(cat out)"
run "$M" ca pending --all
grep -q "^$gid .*\"CN=gus\" expired .* since $until\$" out &&
    ok "ca pending --all: $gid expired since $until" || fail "ca pending --all: $(cat out)"
"$M" ca approve "$gid" >out 2>err
st=$?
want="minipki-tui: request $gid expired at $until (not decided in time)"
[ $st = 1 ] && [ "$(head -n 1 err)" = "$want" ] && ok "ca approve: $want" ||
    fail "ca approve of the expired request: exit $st, $(cat err)"

serve_start
est simpleenroll -H 'Content-Type: application/pkcs10' --data-binary @gus.b64
expect 403 "request $gid expired: not decided by $until; send a new request, with a new key" \
    "the expired request's poll"
est simpleenroll -H 'Content-Type: application/pkcs10' --data-binary @hal.b64
[ "$code" = 202 ] && ok "hal's poll still waits (202)" || fail "hal: $code $(cat body)"
run "$M" ca check
grep -q "requests: 2 pending (1 expired)" out && ok "ca check counts the expired one" ||
    fail "ca check: $(cat out)"

[ "$fails" -eq 0 ] || exit 1
echo "all ca-serve-lapse checks passed"
