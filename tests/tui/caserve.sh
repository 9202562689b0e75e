#!/bin/sh
# caserve.sh — the CA service window at 80x24, driven in tmux, with curl,
# openssl and `client enroll` as its clients from the shell: a bad
# address, a bad token form and a wrong passphrase come back with the
# reason under the field; the service listens on the CA's
# Unix socket and a plain HTTP port, shows the fingerprint openssl
# computes; a request without a token shows up in the queue by itself and
# is approved with a (the next poll gets a certificate openssl verifies),
# another rejected with r and a reason (its poll gets the reason), one
# approved from the shell changes its line; a token made with n is shown
# once (never logged) and enrolls `client enroll`; D revokes a token; o
# names the commands; x stops the service and its socket goes; quitting
# the UI, and killing it, stop the service too.
. tests/tui/tuilib
tui_setup caserve
command -v curl >/dev/null 2>&1 || { echo "curl not installed"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }

M() { "$MINIPKI" --dir "$W/ws" "$@"; }
cd "$W/out" || tui_fail "cd"
MINIPKI_PASSPHRASE=ca-pass M ca init --subject "CN=Service Root" --bits 2048 \
    >/dev/null 2>&1 || tui_fail "ca init"
M export ca --cert --out ca.pem >/dev/null 2>&1 || tui_fail "export ca"
fpr=SHA256:$(openssl x509 -in ca.pem -noout -fingerprint -sha256 |
    sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
sock=$W/ws/ca/ca/ca.sock

# est NAME CURLARGS...: POSTs NAME.b64 to simpleenroll over the socket;
# the answer in NAME.body, the status in $code.
est() {
	n=$1
	shift
	code=$(curl -s -o "$n.body" -w '%{http_code}' --unix-socket "$sock" \
	    --cacert ca.pem -H 'Content-Type: application/pkcs10' \
	    --data-binary "@$n.b64" "$@" \
	    https://localhost/.well-known/est/simpleenroll)
}
csr() {
	openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -subj "/CN=$1" \
	    -outform DER -out "$1.der" 2>/dev/null || tui_fail "openssl req $1"
	base64 "$1.der" >"$1.b64"
}

TUI_SIZE=80x24 tui_start MINIPKI_LOG="$W/tui.log"
tui_wait "Menu"
sh_pid=$(tmx list-panes -t t -F '#{pane_pid}')
pid=$(pgrep -o -P "$sh_pid" -f minipki-tui) || tui_fail "no process"
tui_keys 5
tui_wait "CA service: EST enrollment"
tui_wait "Stopped: CA 'ca'  (s starts it)"

# A bad address is refused under its field; a wrong passphrase brings
# the form back with the reason under it.
tui_keys s
tui_wait "Start the CA service"
tui_wait "< unix >"
tui_keys Tab Right
tui_wait "< tcp >"
tui_keys Tab Tab C-u
tui_type "127.0.0.1:99999"
tui_keys Enter
tui_wait "tcp:127.0.0.1:99999: the port must be a number from 0 to 65535"
tui_keys C-u
tui_type "127.0.0.1:9000"
tui_keys Up Up Left
tui_wait "< unix >"
tui_keys Down Down Down
tui_type "127.0.0.1:0"
tui_keys Tab
tui_type "wrong-pass"
tui_keys Enter
tui_wait "wrong passphrase for keystore 'ca'" 60
tui_wait "Start the CA service"
tui_wait "Plain HTTP        127.0.0.1:0"
tui_keys C-u
tui_type "ca-pass"
tui_keys Enter
tui_wait_log "CA service: CA 'ca' certificate fingerprint $fpr" 60
tui_wait_log "CA service: CA 'ca' listening on unix:$sock, tcp:127.0.0.1:"
tui_wait "Running: CA 'ca', pid"
tui_wait "  TLS   unix:$sock"
hport=$(sed -n "s/.*listening on unix:[^,]*, tcp:127\.0\.0\.1:\([0-9]*\)\$/\1/p" \
    "$W/tui.log" | tail -1)
[ -n "$hport" ] || tui_fail "no plain HTTP port in the log"
tui_wait "  HTTP  tcp:127.0.0.1:$hport"
[ -S "$sock" ] || tui_fail "no socket at $sock"
tmx capture-pane -p -t t | grep -F "CA service running" >/dev/null ||
    tui_fail "the title bar does not say the service runs"
# The whole fingerprint, zoomed (it wraps at 80 columns): openssl's.
tui_keys z
tui_wait "Running: CA 'ca'"
tui_screen | tr -d '│| \n' | grep -F -q "CA$fpr" ||
    tui_fail "the screen does not show the fingerprint $fpr"
# The shell lines of the log view: the service and curl.
tui_keys g
tui_wait "Try it from a shell"
tui_keys G z
tui_keys o
tui_wait_log "openssl equivalent: minipki-tui ca serve --ca ca --listen unix:$sock --http-listen tcp:127.0.0.1:0 ; curl --unix-socket $sock --cacert ca.pem https://localhost/.well-known/est/cacerts | base64 -d | openssl pkcs7 -inform DER -print_certs ; openssl ocsp -issuer ca.pem -cert leaf.pem -CAfile ca.pem -url http://127.0.0.1:$hport/ocsp"
tui_keys o
# ... which work: the CA certificate from /cacerts.
curl -s --unix-socket "$sock" --cacert ca.pem \
    https://localhost/.well-known/est/cacerts | base64 -d |
    openssl pkcs7 -inform DER -print_certs 2>/dev/null |
    openssl x509 >cacerts.pem 2>/dev/null
cmp -s cacerts.pem ca.pem || tui_fail "/cacerts is not the CA certificate"
tui_wait "GET /.well-known/est/cacerts 200"

# The queue, shown while a request arrives: it shows up by itself.
tui_keys v
tui_wait "Queue 0 waiting"
tui_wait "(no request waits"
csr bob
est bob
[ "$code" = 202 ] || tui_fail "bob without a token: $code $(cat bob.body)"
id=$(sed -n 's/^request \([0-9a-f]\{8\}\) is waiting for the CA operator (no token)$/\1/p' bob.body)
[ -n "$id" ] || tui_fail "bob's 202 says: $(cat bob.body)"
tui_wait "Queue 1 waiting"
tui_wait "$id "
tui_wait "\"CN=bob\" pending"
tui_keys a
tui_wait "Approve an enrollment request"
tui_wait "< $id CN=bob >"
tui_wait "< client >"
tui_keys Enter
tui_wait_log "CA service: approved request $id (profile client); issued when its requester asks again"
tui_wait "Queue 0 waiting"
tui_wait "\"CN=bob\" approved"
# The poll (the same request again) gets the certificate.
est bob
[ "$code" = 200 ] || tui_fail "bob's poll: $code $(cat bob.body)"
base64 -d bob.body | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
    openssl x509 >bob.pem 2>/dev/null || tui_fail "no certificate for bob"
openssl verify -CAfile ca.pem bob.pem >/dev/null 2>&1 ||
    tui_fail "openssl verify bob.pem"
bserial=$(openssl x509 -in bob.pem -noout -serial | sed 's/.*=//' |
    tr 'A-F' 'a-f' | sed 's/^0*//')
M ca list >list 2>&1
grep -qi "$bserial" list || tui_fail "bob's serial $bserial not in ca list"
# Its line is gone from the waiting ones; f shows it, issued.
tui_wait_gone "\"CN=bob\" approved"
tui_keys f
tui_wait "\"CN=bob\" issued"
tui_keys f
tui_wait_gone "\"CN=bob\""
# OCSP over the plain HTTP listener: bob is good.
openssl ocsp -issuer ca.pem -cert bob.pem -CAfile ca.pem \
    -url "http://127.0.0.1:$hport/ocsp" >ocsp.out 2>&1
grep -q 'bob.pem: good' ocsp.out || tui_fail "openssl ocsp: $(cat ocsp.out)"

# r rejects, with a reason the requester's next poll gets.
csr carol
est carol
[ "$code" = 202 ] || tui_fail "carol: $code"
cid=$(sed -n 's/^request \([0-9a-f]\{8\}\) is waiting.*/\1/p' carol.body)
tui_wait "\"CN=carol\" pending"
tui_keys r
tui_wait "Reject an enrollment request"
tui_type "not in the class list"
tui_keys Enter
tui_wait_log "CA service: rejected request $cid: not in the class list"
tui_wait_gone "\"CN=carol\""
est carol
[ "$code" = 403 ] && [ "$(cat carol.body)" = \
    "request $cid was rejected: not in the class list" ] ||
    tui_fail "carol's poll after the rejection: $code $(cat carol.body)"
# A decision from the shell shows up too.
csr dave
est dave
did=$(sed -n 's/^request \([0-9a-f]\{8\}\) is waiting.*/\1/p' dave.body)
tui_wait "\"CN=dave\" pending"
M ca approve "$did" >/dev/null 2>&1 || tui_fail "ca approve $did"
tui_wait "\"CN=dave\" approved"
tui_keys o
tui_wait_log "openssl equivalent: minipki-tui ca reject --ca ca $cid --reason 'not in the class list'"
tui_keys o

# A token: made in the window, shown once, never logged; it enrolls.
tui_keys v
tui_wait "Tokens 0 active"
tui_keys n
tui_wait "New enrollment token"
tui_wait "< 24h >"
# Bad values: each refused under its field.
tui_keys Tab
tui_type "("
tui_keys Tab C-u
tui_type "0"
tui_keys Enter
tui_wait "a number of certificates, 1 to 1000000"
tui_keys C-u
tui_type "1"
tui_keys Enter
tui_wait "subject match '(': Unmatched ( or \\("
tui_keys Up C-u Enter
tui_wait "New token, shown once (copy it now):"
tui_wait_log "CA service: token "
tid=$(sed -n 's/.*CA service: token \([0-9a-f]\{8\}\) made (profile client, 1 use, expires .*/\1/p' \
    "$W/tui.log" | tail -1)
[ -n "$tid" ] || tui_fail "no token id in the log"
tok=$(tui_screen | grep -A1 -F "New token, shown once" | tail -1 |
    grep -o '[0-9a-f]\{40\}')
[ ${#tok} -eq 40 ] || tui_fail "no token on the screen"
grep -F -q "$tok" "$W/tui.log" && tui_fail "the token is in the log file"
tui_wait "$tid client active 0/1"
tui_keys o
tui_wait_log "openssl equivalent: minipki-tui ca token new --ca ca --profile client --uses 1 --ttl 24h   then: minipki-tui client enroll NAME --ca unix:$sock --ca-fingerprint $fpr --token \$TOKEN"
tui_keys o
MINIPKI_PASSPHRASE=alice-pass M client enroll alice --ca "unix:$sock" \
    --ca-fingerprint "$fpr" --token "$tok" >enroll.out 2>&1 ||
    tui_fail "client enroll with the window's token: $(cat enroll.out)"
tui_wait "$tid client used 1/1"
M ca list >list 2>&1
grep -q "CN=alice" list || tui_fail "alice not in ca list: $(cat list)"
# The next key of the window hides the token.
tui_keys Down
tui_wait_gone "New token, shown once"
# D revokes the selected one (a second token, the last).
tui_keys n
tui_wait "New enrollment token"
tui_keys Enter
tui_wait "New token, shown once"
tid2=$(sed -n 's/.*CA service: token \([0-9a-f]\{8\}\) made.*/\1/p' \
    "$W/tui.log" | tail -1)
tui_keys D
tui_wait "Revoke an enrollment token"
tui_wait "< $tid2 >"
tui_keys Enter
tui_wait_log "CA service: token $tid2 revoked"
tui_wait "$tid2 client revoked"
M ca token list >tokens 2>&1
grep -q "^$tid2 client revoked" tokens || tui_fail "ca token list: $(cat tokens)"

# The request log: one line per request with what was done.
tui_keys v
tui_wait "Log "
tui_keys G
tui_wait "with token"
# x stops it: the socket goes, nothing answers.
tui_keys x
tui_wait_log "CA service: stopped"
tui_wait "Stopped: CA 'ca'  (s starts it)"
tui_wait_gone "CA service running"
[ -e "$sock" ] && tui_fail "x left the socket $sock behind"
curl -s --max-time 5 --unix-socket "$sock" --cacert ca.pem \
    https://localhost/.well-known/est/cacerts >/dev/null 2>&1 &&
    tui_fail "the service still answers after x"
pgrep -P "$pid" >/dev/null && tui_fail "a child of the UI is left after x"

# Quitting the UI stops a running service.
tui_keys s
tui_wait "Start the CA service"
tui_wait "Plain HTTP        127.0.0.1:0"
tui_keys Tab Tab Tab Tab Tab
tui_type "ca-pass"
tui_keys Enter
tui_wait "Running: CA 'ca', pid" 60
spid=$(pgrep -P "$pid") || tui_fail "no service process"
[ -S "$sock" ] || tui_fail "no socket after the second start"
tui_keys q
tui_wait "EXITED 0"
kill -0 "$spid" 2>/dev/null && tui_fail "the service outlived the UI"
[ -e "$sock" ] && tui_fail "the socket outlived the UI"

# Once more under a non-interactive shell, so that a stopped UI is not a
# stopped job of the pane's shell.
tui_type "sh -c \"env MINIPKI_DIR='$W/ws' MINIPKI_LOG='$W/tui.log' '$MINIPKI'; :\""
tui_keys Enter
tui_wait "Menu"
shc=$(pgrep -n -P "$sh_pid") || tui_fail "no shell"
pid=$(pgrep -P "$shc" -f minipki-tui) || tui_fail "no process"
tui_keys 5 s
tui_wait "Start the CA service"
tui_keys Tab Tab Tab Tab
tui_type "127.0.0.1:0"
tui_keys Tab
tui_type "ca-pass"
tui_keys Enter
tui_wait "Running: CA 'ca', pid" 60
spid=$(pgrep -P "$pid") || tui_fail "no service process"
tui_wait "  HTTP  tcp:127.0.0.1:"
hport=$(sed -n "s/.*listening on unix:[^,]*, tcp:127\.0\.0\.1:\([0-9]*\)\$/\1/p" \
    "$W/tui.log" | tail -1)
[ -n "$hport" ] || tui_fail "no plain HTTP port in the log"
# The service never waits for the window: with the UI stopped, 2000
# requests are answered; what the pipe could not take is counted and
# said once the UI reads again (before the next request's line).
kill -STOP "$pid"
i=0 cpids=
while [ $i -lt 10 ]; do
	# (--max-time bounds each of the 200, timeout the whole)
	timeout 60 curl -s --max-time 10 \
	    "http://127.0.0.1:$hport/ca.pem?[1-200]" >/dev/null &
	cpids="$cpids $!"
	i=$((i + 1))
done
bad=0
for c in $cpids; do wait "$c" || bad=1; done
kill -CONT "$pid"
[ $bad = 0 ] || tui_fail "requests failed while the UI was stopped"
curl -s --max-time 30 -o /dev/null "http://127.0.0.1:$hport/ca.pem" ||
    tui_fail "the plain HTTP listener after the flood"
tui_wait "log lines dropped: the window did not read them in"
tui_wait "GET /ca.pem 200"

# A UI killed outright stops the service too (its parent-death signal).
kill -9 "$pid"
n=150
while kill -0 "$spid" 2>/dev/null || [ -e "$sock" ]; do
	n=$((n - 1))
	[ $n -gt 0 ] || tui_fail "the service outlived a killed UI"
	sleep 0.1
done
M ca check >check.out 2>&1 || tui_fail "ca check: $(cat check.out)"
echo "caserve ok"
