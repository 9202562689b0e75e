#!/bin/sh
# inbox.sh — two UIs on one workspace, each at 80x24, exchanging signed
# messages as `client listen` and `client send` do: UI A starts the CA
# service (5) and, in its Inbox window (8), a listener for bob, which
# enters the registry of running roles as a listener; UI B's Roles window
# (7) lists it, and s sends a message from alice signed with her key (and
# a second one sealed to bob with AES-256-GCM); UI A's inbox shows each
# with its verdict good (its status asked of the CA service), Enter shows
# one with its verification steps (a sealed one once u opened it with
# bob's key); `client inbox bob` lists the same two;
# once alice is revoked (ca revoke) the next one is shown revoked;
# x stops the listener and its registry entry goes. A wrong passphrase
# is said in the send form. Then the CLI: a `client listen` is in the
# registry as a listener, and UI B sees it.
. tests/tui/tuilib
tui_setup inbox

M() { "$MINIPKI" --dir "$W/ws" "$@"; }
cd "$W/out" || tui_fail "cd"
export MINIPKI_PASSPHRASE=pw
M ca init --subject "CN=Inbox Root" --bits 2048 >/dev/null 2>&1 || tui_fail "ca init"
for n in alice bob carol; do
	M key new $n --bits 2048 >/dev/null 2>&1 || tui_fail "key $n"
	M csr new $n --subject CN=$n --out $n.csr >/dev/null 2>&1 || tui_fail "csr $n"
	M ca issue --csr $n.csr --profile peer --out $n.pem >/dev/null 2>&1 || tui_fail "issue $n"
	M import $n --cert $n.pem >/dev/null 2>&1 || tui_fail "import $n"
done
M export ca --cert --out ca.pem >/dev/null 2>&1 || tui_fail "export ca"
unset MINIPKI_PASSPHRASE

# tui_wait_file FILE TEXT: polls log FILE for TEXT (30 s).
tui_wait_file() {
	n=300
	while [ "$n" -gt 0 ]; do
		grep -F -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		n=$((n - 1))
	done
	tui_fail "$1 never said '$2'"
}

# UI A: the CA service, then a listener for bob on a Unix socket.
TUI_S=a
TUI_SIZE=80x24 tui_start MINIPKI_LOG="$W/a.log"
tui_wait "Menu"
tui_keys 5
tui_wait "CA service: EST enrollment"
tui_keys s
tui_wait "Start the CA service"
tui_keys Tab Tab Tab Tab Tab; tui_type "pw"; tui_keys Enter
tui_wait "Running: CA 'ca', pid" 60
tui_keys 8
tui_wait "Inbox 'alice': 0 messages"
tui_wait "No listener here"
tui_keys l
tui_wait "Start a message listener"
tui_wait "< alice >"
tui_keys Space
tui_wait "< bob >"
tui_wait "Status from       unix:$W/ws/ca/ca/ca.sock"
tui_keys Tab; tui_type "pw"; tui_keys Tab C-u; tui_type "unix:$W/bob.sock"
tui_keys Enter
tui_wait "Listener 'bob' on unix:$W/bob.sock" 30
tui_wait "Inbox 'bob': 0 messages"
lpid=$(ls "$W/ws/run" | sed -n 's/^listener\.\([0-9]*\)\.yaml$/\1/p')
[ -n "$lpid" ] || tui_fail "the listener is not in the registry: $(ls "$W/ws/run")"

# UI B: the listener, another process's; s sends from alice.
TUI_S=b
TUI_SIZE=80x24 tui_start MINIPKI_LOG="$W/b.log"
tui_wait "Menu"
tui_keys 7
tui_wait "Running roles on this workspace"
tui_wait "listener   bob"
tui_screen | grep -q "listener   bob .*another process" ||
    tui_fail "the listener is not shown as another process's"
tui_wait "unix:$W/bob.sock"
tui_keys Down s
tui_wait "Send a signed message"
tui_wait "To listener       unix:$W/bob.sock"
tui_wait "< alice >"
tui_keys Tab Tab; tui_type "wrong"
tui_keys Tab Tab Tab; tui_type "hello bob"; tui_keys Enter
tui_wait "wrong passphrase"
tui_keys C-u; tui_type "pw"; tui_keys Enter
tui_wait_file "$W/b.log" "send: the listener said: message 1: good:"
tui_wait_file "$W/b.log" "send: connected: TLS 1.3, TLS_AES_128_GCM_SHA256; listener CN=bob"
tui_wait "<- the listener said: message 1: good"

# UI A: the message, good, from alice; Enter shows its steps.
TUI_S=a
tui_wait "Inbox 'bob': 1 message, 0 not good"
tui_wait "good      CN=alice"
tui_wait "hello bob"
tui_wait_file "$W/a.log" "inbox: message 1 from CN=alice (peer CN=alice): good:"
tui_keys Enter
tui_wait "Verdict when it arrived: good"
tui_wait "hello bob"
tui_keys End
tui_wait "GOOD: signed by 'CN=alice'"
tui_keys Escape
tui_wait "listener: connections and messages"
# Its pane: one line a connection of the handshake's messages, zoomed.
tui_keys z
tui_wait "#1 handshake: < ClientHello > ServerHello > EncryptedExtensions"
tui_keys z

# A sealed one (AES-256-GCM): opened by the listener, good.
TUI_S=b
tui_keys s
tui_wait "Send a signed message"
tui_keys Tab Tab; tui_type "pw"
tui_keys Tab Tab Tab; tui_type "sealed for bob"
tui_keys Tab Space
tui_wait "< AES-256-CBC, RSA-OAEP >"
tui_keys Space
tui_wait "< AES-256-GCM, RSA-OAEP >"
tui_keys Enter
tui_wait_file "$W/b.log" "send: the listener said: message 2: good: sealed, opened"
tui_wait_file "$W/b.log" "send: sealed to CN=bob: AES-256-GCM, RSA-OAEP, "
TUI_S=a
tui_wait "Inbox 'bob': 2 messages, 0 not good"
tui_wait "(sealed,"
# Enter on it: sealed; u opens it with bob's key (a wrong passphrase is
# said in the form), then its steps as for a signed one.
tui_keys Enter
tui_wait "here it stays"
tui_keys u
tui_wait "Open a sealed message"
tui_type "wrong"; tui_keys Enter
tui_wait "wrong passphrase"
tui_keys C-u; tui_type "pw"; tui_keys Enter
tui_wait "Sealed, opened with 'bob''s key"
tui_wait "sealed for bob"
tui_keys End
tui_wait "GOOD: signed by 'CN=alice'"
tui_keys Escape
tui_wait "listener: connections and messages"
out=$(M client inbox bob 2>&1) || tui_fail "client inbox: $out"
echo "$out" | grep -q "^1 .* good from CN=alice (peer CN=alice): hello bob" ||
    tui_fail "client inbox: $out"
echo "$out" | grep -q "^2 .* good from CN=alice .*(sealed" || tui_fail "client inbox: $out"
# OpenSSL agrees on what UI B signed and UI A's listener stored.
if command -v openssl >/dev/null 2>&1; then
	openssl cms -verify -inform DER -in "$W/ws/inbox/bob/000000001.cms" \
	    -CAfile ca.pem -purpose any -out content.txt >osl.out 2>&1 &&
	    [ "$(cat content.txt)" = "hello bob" ] ||
	    tui_fail "openssl cms -verify: $(cat osl.out)"
fi

# alice revoked a moment ago: the next message's verdict is revoked, and
# UI A's inbox says so (its status is asked afresh for every message).
TUI_S=b
ser=$(M ca list --ca ca | sed -n 's/^\([0-9a-f]*\) .*CN=alice$/\1/p')
[ -n "$ser" ] || tui_fail "no serial for alice: $(M ca list --ca ca)"
MINIPKI_PASSPHRASE=pw "$MINIPKI" --dir "$W/ws" ca revoke --ca ca "$ser" \
    --reason keyCompromise >/dev/null 2>&1 || tui_fail "ca revoke"
tui_keys s
tui_wait "Send a signed message"
tui_keys Tab Tab; tui_type "pw"
tui_keys Tab Tab Tab; tui_type "revoked now"; tui_keys Enter
tui_wait_file "$W/b.log" "send: the listener said: message 3: revoked:"
TUI_S=a
tui_wait "Inbox 'bob': 3 messages, 1 not good"
tui_wait "revoked   CN=alice"
tui_keys Enter
tui_wait "Verdict when it arrived: revoked"
tui_keys Escape

# x: the listener stops and leaves the registry; UI B's list loses it.
tui_keys x
tui_wait "No listener here: stopped"
[ -e "$W/ws/run/listener.$lpid.yaml" ] && tui_fail "the stopped listener's entry stayed"
TUI_S=b
tui_wait_gone "listener   bob"

# The CLI's client listen is in the registry too (kind listener).
env MINIPKI_PASSPHRASE=pw "$MINIPKI" --dir "$W/ws" client listen carol --listen "unix:$W/carol.sock" --ca ca.pem >"$W/listen.out" 2>"$W/listen.err" &
cpid=$!
n=300
until grep -F -q "listening on unix:$W/carol.sock" "$W/listen.out"; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || tui_fail "client listen: $(cat "$W/listen.err")"
	sleep 0.1
done
# (it registers right after it says so)
n=300
until [ -e "$W/ws/run/listener.$cpid.yaml" ]; do
	n=$((n - 1))
	[ "$n" -gt 0 ] || tui_fail "client listen is not in the registry: $(ls "$W/ws/run")"
	sleep 0.1
done
tui_wait "listener   carol"
kill "$cpid"; wait "$cpid"
[ -e "$W/ws/run/listener.$cpid.yaml" ] && tui_fail "client listen's entry stayed after SIGTERM"
tui_wait_gone "listener   carol"

for s in a b; do
	TUI_S=$s
	tui_keys q
	tui_wait "EXITED 0"
done
ls "$W/ws/run" | grep -q . && tui_fail "entries left: $(ls "$W/ws/run")"
echo "inbox: all passed"
