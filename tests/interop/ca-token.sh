#!/bin/sh
# ca-token.sh — the operator's side of the CA service: `ca token new` (the
# token alone on stdout, --ttl forms), `ca token list` (no secret),
# `ca token revoke`; `ca pending`, `ca approve`, `ca reject` on requests
# queued in enroll.yaml (written here as the service writes them), with
# the exact errors and exit statuses, while another process holds the CA.
set -u
. tests/interop/testlib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
test_setup ca-token ca-token-pass
P=minipki-tui

quiet "$M" ca init --subject "CN=Token Test CA" --bits 2048

# ---- tokens ----
expect 0 '' "$M" ca token new
tok=$(cat out)
echo "$tok" | grep -qx '[0-9a-f]\{40\}' || fail "token new: stdout is not the token alone: $tok"
[ "$(wc -l <out)" -eq 1 ] || fail "token new: more than the token on stdout"
id=$(sed -n 's/^token \([0-9a-f]\{8\}\): profile client, 1 use, expires .*/\1/p' err)
[ -n "$id" ] || fail "token new: no 'token ID: profile client, 1 use, expires' on stderr"
grep -q "$tok" ws/ca/ca/enroll.yaml && fail "the token itself is in enroll.yaml"
expect 0 '' "$M" ca token new --profile server --uses 3 --ttl 7d --subject-match 'CN=web[0-9]+'
id2=$(sed -n 's/^token \([0-9a-f]\{8\}\): profile server, 3 uses, .*/\1/p' err)
[ -n "$id2" ] || fail "token new --uses 3: stderr"
for d in 3600s 90m 24h 3600; do
	expect 0 '' "$M" ca token new --ttl $d
done
expect 0 '' "$M" ca token list
[ "$(wc -l <out)" -eq 6 ] || fail "token list: $(wc -l <out) lines, want 6"
grep -q "^$id client active 0/1 expires " out || fail "token list: $id line"
grep -q "^$id2 server active 0/3 expires .* match \"CN=web\[0-9\]+\"$" out ||
    fail "token list: $id2 line"
grep -q "$tok" out && fail "token list shows a secret"
expect 0 '' "$M" ca token revoke "$id"
[ "$(cat out)" = "token $id revoked" ] || fail "token revoke: stdout"
expect 0 '' "$M" ca token list
grep -q "^$id client revoked 0/1 " out || fail "token list: $id not revoked"

# must-fail lines
expect 1 "$P: token $id is revoked already" "$M" ca token revoke "$id"
expect 2 "$P: no token '0000000z'" "$M" ca token revoke 0000000z
expect 2 "$P ca token revoke: missing ID" "$M" ca token revoke
expect 2 "$P: no CA 'nope'" "$M" ca token new --ca nope
expect 2 "$P: unknown profile 'admin': use server, client, ca, peer" "$M" ca token new --profile admin
expect 2 "$P: a token cannot grant profile ca (approve such a request by hand)" "$M" ca token new --profile ca
expect 2 "$P ca token new: --ttl: '2w' is not a duration (use 3600s, 90m, 24h or 7d)" "$M" ca token new --ttl 2w
expect 2 "$P ca token new: --ttl: '0h' is not a duration (use 3600s, 90m, 24h or 7d)" "$M" ca token new --ttl 0h
expect 2 "$P ca token new: --ttl: '1dd' is not a duration (use 3600s, 90m, 24h or 7d)" "$M" ca token new --ttl 1dd
expect 2 "$P: ttl: 31708800 s: use 1 s to 366 days" "$M" ca token new --ttl 367d
expect 2 "$P ca token new: option '--uses': '0' is not a number from 1 to 1000000" "$M" ca token new --uses 0
LC_ALL=C expect 2 "$P: subject match 'CN=(a': Unmatched ( or \\(" "$M" ca token new --subject-match 'CN=(a'
expect 2 "$P ca token list: unexpected argument 'x'" "$M" ca token list x

# ---- the queue: two requests as the service queues them ----
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
queue() {	# queue ID SUBJECT
	openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -subj "/CN=$2" \
	    -outform DER -out "$1.der" 2>/dev/null || fail "openssl req"
	key=$(openssl req -inform DER -in "$1.der" -pubkey -noout |
	    openssl pkey -pubin -outform DER | sha256sum | cut -c1-64)
	rec=$(printf -- '---\ntype: request\nid: %s\ntime: %s\nprofile: client\nsubject: "CN=%s"\nname: "%s"\npeer: "unix"\nwhy: "no token"\nkey: %s\ncsr: %s\n' \
	    "$1" "$now" "$2" "$2" "$key" "$(base64 -w0 "$1.der")")
	sum=$(printf '%s\n' "$rec" | sha256sum | cut -c1-64)
	printf '%s\nsum: %s\n...\n' "$rec" "$sum" >>ws/ca/ca/enroll.yaml
}
queue 0a0a0a0a alice
queue 0b0b0b0b bob
expect 0 '' "$M" ca pending
[ "$(wc -l <out)" -eq 2 ] || fail "pending: $(wc -l <out) lines, want 2"
grep -qx "0a0a0a0a $now client \"CN=alice\" pending from \"alice\" at \"unix\" (no token)" out ||
    fail "pending: alice's line"

# The service holds the CA (its lock); the decisions need not.
"$M" ca check >/dev/null 2>&1 || fail "ca check before"
( flock -x 9; sleep 30 ) 9>>ws/ca/ca/lock &
holder=$!
pids="$pids $holder"
sleep 0.3
expect 1 '' "$M" ca revoke 00 --reason keyCompromise
grep -q "locked by another process" err || fail "the CA is not held: $(cat err)"
expect 0 '' "$M" ca approve 0a0a0a0a --profile server
[ "$(cat out)" = "approved request 0a0a0a0a (profile server)" ] || fail "approve: stdout $(cat out)"
expect 0 '' "$M" ca reject 0b0b0b0b --reason "unknown to us"
[ "$(cat out)" = "rejected request 0b0b0b0b" ] || fail "reject: stdout"
kill "$holder" 2>/dev/null

expect 1 "$P: request 0a0a0a0a is approved already" "$M" ca approve 0a0a0a0a
expect 1 "$P: request 0a0a0a0a is approved already" "$M" ca reject 0a0a0a0a
expect 1 "$P: request 0b0b0b0b was rejected: unknown to us" "$M" ca approve 0b0b0b0b
expect 2 "$P: no request '0c0c0c0c'" "$M" ca approve 0c0c0c0c
expect 2 "$P ca approve: missing ID" "$M" ca approve
expect 2 "$P ca approve: unknown profile 'admin' (use server, client, ca, peer)" "$M" ca approve 0a0a0a0a --profile admin
expect 2 "$P: reason: control character at byte 2" "$M" ca reject 0c0c0c0c --reason "$(printf 'a\tb')"
expect 0 '' "$M" ca pending
grep -qx "0a0a0a0a $now client \"CN=alice\" approved from \"alice\" at \"unix\" as server" out ||
    fail "pending: alice approved"
grep -q "^0b0b0b0b" out && fail "pending lists a rejected request"
expect 0 '' "$M" ca pending --all
grep -qx "0b0b0b0b $now client \"CN=bob\" rejected from \"bob\" at \"unix\" reason \"unknown to us\"" out ||
    fail "pending --all: bob rejected"

# Audited, the chain intact.
"$M" ca check >log 2>&1 || { fail "ca check after"; cat log; }
for a in token-new token-revoke approve reject; do
	grep -q "^action: $a$" ws/ca/ca/audit.yaml || fail "no audit record '$a'"
done

[ "$fails" -eq 0 ]
