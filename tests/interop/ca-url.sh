#!/bin/sh
# ca-url.sh — the CA service's URL: `ca set-url` (and --clear), `ca init
# --url` for a root and an intermediate; what is issued afterwards carries
# AIA and CDP as openssl reads them, what was issued before does not; the
# exact errors (a bad URL, both or neither of URL and --clear, a CA held by
# another process).
set -u
. tests/interop/testlib
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
test_setup ca-url url-pass
P=minipki-tui

# issue NAME: a key, a request and a certificate NAME.pem
issue() {
	quiet "$M" key new "$1" --bits 2048
	quiet "$M" csr new "$1" --subject "CN=$1" --out "$1.csr"
	quiet "$M" ca issue ${2:+--ca "$2"} --csr "$1.csr" --out "$1.pem"
}
# locations FILE: its AIA and CDP URIs, one a line
locations() {
	openssl x509 -in "$1" -noout -text | sed -n 's/^ *\(OCSP - \|CA Issuers - \)\{0,1\}URI:\(.*\)/\2/p'
}

quiet "$M" ca init --subject "CN=URL Root" --bits 2048
issue before
expect 0 '' "$M" ca set-url http://127.0.0.1:9000/
[ "$(cat out)" = "CA 'ca' URL set to http://127.0.0.1:9000" ] || fail "set-url: stdout $(cat out)"
grep -qx "url: http://127.0.0.1:9000" ws/ca/ca/ca.yaml || fail "ca.yaml has no url"
issue after
[ "$(locations after.pem | tr '\n' ' ')" = "http://127.0.0.1:9000/ocsp http://127.0.0.1:9000/ca.cer http://127.0.0.1:9000/crl " ] ||
    fail "after set-url: $(locations after.pem)"
[ -z "$(locations before.pem)" ] || fail "a certificate issued before changed"
[ "$(openssl x509 -in after.pem -noout -ocsp_uri)" = "http://127.0.0.1:9000/ocsp" ] || fail "openssl -ocsp_uri"
expect 0 '' "$M" ca set-url --clear
[ "$(cat out)" = "CA 'ca' URL cleared" ] || fail "set-url --clear: stdout"
grep -q "^url:" ws/ca/ca/ca.yaml && fail "ca.yaml keeps the url after --clear"
issue cleared
[ -z "$(locations cleared.pem)" ] || fail "issued after --clear: $(locations cleared.pem)"
for a in "url http://127.0.0.1:9000" "url cleared"; do
	grep -q "^details: \"$a\"$" ws/ca/ca/audit.yaml || fail "no audit record '$a'"
done

# ca init --url, for a root and an intermediate.
expect 0 '' "$M" ca init r2 --subject "CN=R2" --bits 2048 --url http://pki.lab.example:8080
grep -qx "url: http://pki.lab.example:8080" out || fail "ca init --url: stdout"
expect 0 '' "$M" ca init sub --parent r2 --subject "CN=Sub" --bits 2048 --url "http://[::1]:9000"
grep -qx "url: http://\[::1\]:9000" out || fail "ca init --parent --url: stdout"
issue leaf sub
[ "$(locations leaf.pem | head -n 1)" = "http://[::1]:9000/ocsp" ] || fail "leaf of sub: $(locations leaf.pem)"
# sub's own certificate carries r2's URL (r2 signed it).
"$M" export sub --cert | openssl x509 -noout -ocsp_uri >sub.uri
[ "$(cat sub.uri)" = "http://pki.lab.example:8080/ocsp" ] || fail "sub's certificate: $(cat sub.uri)"
run "$M" ca check --ca sub

# must-fail lines
expect 2 "$P ca set-url: URL 'ftp://x': only http:// is supported (OCSP responses and CRLs are signed; clients fetch them over plain HTTP)" \
    "$M" ca set-url ftp://x
expect 2 "$P ca set-url: URL 'http://h/x': no path, query or fragment allowed (the CA appends /ocsp, /crl and /ca.cer)" \
    "$M" ca set-url http://h/x
expect 2 "$P ca set-url: URL 'http://h:0': bad port '0' (use 1 to 65535)" "$M" ca set-url http://h:0
expect 2 "$P ca set-url: missing URL (or --clear)" "$M" ca set-url
expect 2 "$P ca set-url: URL and --clear exclude each other" "$M" ca set-url --clear http://h
expect 2 "$P ca set-url: unexpected argument 'http://b'" "$M" ca set-url http://a http://b
expect 2 "$P: no CA 'nope'" "$M" ca set-url --ca nope http://h
expect 2 "$P ca init: --url: URL 'https://h': only http:// is supported (OCSP responses and CRLs are signed; clients fetch them over plain HTTP)" \
    "$M" ca init r3 --subject CN=R3 --url https://h
[ -e ws/keys/r3.yaml ] && fail "ca init with a bad --url made the CA"
( flock -x 9; sleep 30 ) 9>>ws/ca/ca/lock &
pids="$pids $!"
sleep 0.3
expect 1 '' "$M" ca set-url http://h
grep -q "^$P: CA 'ca' is locked by another process (pid [0-9]*)$" err || fail "set-url on a held CA: $(cat err)"

[ "$fails" -eq 0 ]
