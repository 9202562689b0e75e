#!/bin/sh
# tls-matrix.sh — every cipher suite, group and signature scheme we speak,
# one named line each, against OpenSSL and GnuTLS in both directions:
#   suite x group: our client (--ciphers S --groups G) -> `openssl s_server`
#     and `gnutls-serv`; `openssl s_client` and `gnutls-cli` narrowed to S
#     and G -> our server (all enabled). Our side's --trace must name the
#     suite and group negotiated, and data must go both ways.
#   HelloRetryRequest: a peer client sharing the group our server does not
#     take, and our client sharing the group the peer server does not take.
#   signature schemes: narrowed on the peer (-sigalgs / %SIGN), with a
#     client certificate, so each side signs and checks the scheme.
#   TLS 1.3 records padded to the limit by OpenSSL (-record_padding).
#   resumption, TLS 1.3 and 1.2: s_client -reconnect (1.2) and
#     -sess_out/-sess_in ("Reused") and gnutls-cli --resume against our
#     server; our client (--reconnect, --sess-out/--sess-in) against
#     s_server and gnutls-serv. (OpenSSL 3.0's s_client -reconnect does
#     not resume TLS 1.3 even against s_server: it drops the connection
#     before reading the ticket.)
#   P-256 server certificates with our client against gnutls-serv too;
#   P-256 client certificates (ecdsa_secp256r1_sha256 in the client's
#   CertificateVerify), both directions, both tools, TLS 1.3 and 1.2.
#   record_size_limit (RFC 8449) with GnuTLS --recordsize both ways, and
#     ours lowered by --record-size-limit (OpenSSL 3.0 has no RFC 8449:
#     a skip line says so).
#   RFC 8422 5.1: our TLS 1.2 client with --groups x25519 offers no
#     ECDHE_ECDSA suite (as decoded by s_server -trace).
#   tickets bound to the server name; 0-RTT offered by GnuTLS and
#   refused cleanly, and our client against gnutls-serv --earlydata.
# Skipped without openssl; the GnuTLS lines are skipped without gnutls-bin.
set -u
command -v openssl >/dev/null 2>&1 || { echo "openssl not installed"; exit 77; }
have_gnutls=1
for p in gnutls-cli gnutls-serv; do
	command -v $p >/dev/null 2>&1 || have_gnutls=0
done
. tests/interop/tlslib
tls_setup tls-matrix
s_server_time=120

# suite (IANA) | version | OpenSSL name | GnuTLS kx | GnuTLS cipher
suites="TLS_AES_128_GCM_SHA256 1.3 TLS_AES_128_GCM_SHA256 - AES-128-GCM
TLS_AES_256_GCM_SHA384 1.3 TLS_AES_256_GCM_SHA384 - AES-256-GCM
TLS_CHACHA20_POLY1305_SHA256 1.3 TLS_CHACHA20_POLY1305_SHA256 - CHACHA20-POLY1305
TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 1.2 ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA AES-128-GCM
TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 1.2 ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA AES-256-GCM
TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 1.2 ECDHE-RSA-CHACHA20-POLY1305 ECDHE-RSA CHACHA20-POLY1305
TLS_RSA_WITH_AES_128_GCM_SHA256 1.2 AES128-GCM-SHA256 RSA AES-128-GCM"
# group | OpenSSL name | GnuTLS name
groups="x25519 X25519 GROUP-X25519
secp256r1 P-256 GROUP-SECP256R1"

# ossl_opts VERSION OSSLNAME OSSLGROUP: s_client/s_server options for one
# suite and group.
ossl_opts() {
	if [ "$1" = 1.3 ]; then
		echo "-tls1_3 -ciphersuites $2 -groups $3"
	else
		echo "-tls1_2 -cipher $2 -groups $3"
	fi
}

# gnutls_prio VERSION KX CIPHER GROUP
gnutls_prio() {
	if [ "$1" = 1.3 ]; then
		echo "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+$3:-GROUP-ALL:+$4"
	else
		echo "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+$2:-CIPHER-ALL:+$3:-GROUP-ALL:+$4"
	fi
}

# our_client_sees SUITE GROUP: our client's trace (err) names the suite
# and, for ECDHE, the group of the key schedule.
our_client_sees() {
	grep -q "^connected: TLS 1.[23], $1;" err || return 1
	case $1 in TLS_RSA_*) return 0 ;; esac
	grep -q "($2 shared secret)\|, $2 shared secret)" err
}

# no_early_data: our client's ClientHello (its --trace in err) carries no
# early_data extension.
no_early_data() {
	! awk '/^> ClientHello/ { c = 1; next } /^[<>]/ { c = 0 } c' err |
	    grep -q early_data
}

# err_checks CHECKS: each of CHECKS, separated by '~', holds for our
# client's stderr (err): PATTERN matches a line, !PATTERN none, N=PATTERN
# exactly N lines; @COMMAND succeeds.
err_checks() (
	IFS='~'
	set -f
	for c in $1; do
		case $c in
		'!'*) ! grep -q -- "${c#!}" err ;;
		[0-9]=*) [ "$(grep -c -- "${c#*=}" err)" -eq "${c%%=*}" ] ;;
		@*) eval "${c#@}" ;;
		*) grep -q -- "$c" err ;;
		esac || exit 1
	done
)

# gs_client_rows: our client against gnutls-serv (--echo), one named line
# per row of standard input, fields separated by '|':
#   name | server certificate and key (srv, ecsrv) | gnutls-serv options |
#   our client's arguments before the address | the --send line | the
#   output wanted ('\n' for a new line) | err_checks CHECKS
# Each row has a gnutls-serv of its own; one that does not start is a
# failure (gnutls_serv says so) and the next row goes on.
gs_client_rows() {
	while IFS='|' read -r name cert gopts copts send want checks; do
		[ -n "$name" ] || continue
		gs_cert=$cert.pem gs_key=$cert.key
		set -f	# options split on blanks, never globbed
		gnutls_serv $gopts || { set +f; continue; }
		out=$(timeout 30 "$M" client connect $copts tcp:127.0.0.1:$port \
		    --ca root.pem --server-name localhost --send "$send" 2>err </dev/null)
		rc=$?
		set +f
		if [ $rc -eq 0 ] && [ "$out" = "$(printf '%b' "$want")" ] &&
		    err_checks "$checks"; then
			ok "$name"
		else
			fail "$name: exit $rc, ${#out} bytes out"
			grep -v '^ \|^[<>]' err | tail -5; tail -3 gs.out
		fi
		stop
	done
	unset gs_cert gs_key
}

# ---- our client -> openssl s_server / gnutls-serv ----
s_server -cert srv.pem -key srv.key
oss_port=$port
if [ $have_gnutls -eq 1 ]; then
	gnutls_serv --priority "NORMAL:+RSA" || have_gnutls=0
	gs_port=$port
fi
while read -r s v on gkx gc; do
	while read -r g og gg; do
		case $s in TLS_RSA_*) [ "$g" = x25519 ] || continue ;; esac
		out=$(timeout 20 "$M" client connect tcp:127.0.0.1:$oss_port \
		    --ca root.pem --server-name localhost --tls "$v" --ciphers "$s" \
		    --groups "$g" --trace --send "matrix $g" 2>err </dev/null)
		rc=$?
		if [ $rc -eq 0 ] && [ "$out" = "$(printf "%s" "matrix $g" | rev)" ] &&
		    our_client_sees "$s" "$g"; then
			ok "our client -> openssl s_server: $s, $g"
		else
			fail "our client -> openssl s_server: $s, $g: exit $rc '$out'"
			grep -v '^ \|^[<>]' err | tail -5
		fi
		[ $have_gnutls -eq 1 ] || continue
		out=$(timeout 20 "$M" client connect tcp:127.0.0.1:$gs_port \
		    --ca root.pem --server-name localhost --tls "$v" --ciphers "$s" \
		    --groups "$g" --trace --send "matrix $g" 2>err </dev/null)
		rc=$?
		if [ $rc -eq 0 ] && [ "$out" = "matrix $g" ] &&
		    our_client_sees "$s" "$g"; then
			ok "our client -> gnutls-serv: $s, $g"
		else
			fail "our client -> gnutls-serv: $s, $g: exit $rc '$out'"
			grep -v '^ \|^[<>]' err | tail -5
		fi
	done <<EOF
$groups
EOF
done <<EOF
$suites
EOF
stop

# ---- openssl s_client / gnutls-cli -> our server ----
our_server srv --trace
while read -r s v on gkx gc; do
	while read -r g og gg; do
		case $s in TLS_RSA_*) [ "$g" = x25519 ] || continue ;; esac
		want="chosen: $s (our first the client offers)"
		case $s in TLS_RSA_*) ;; *) want="$want, group $g" ;; esac
		before=$(grep -c "$want" srv.err)
		out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client \
		    $(ossl_opts "$v" "$on" "$og") -connect 127.0.0.1:$oport \
		    -CAfile root.pem -verify_return_error -quiet 2>err)
		rc=$?
		wait_for srv.err "handshake done ($s)"
		if [ $rc -eq 0 ] && [ "$out" = "$(printf 'anonymous\nBYE')" ] &&
		    [ "$(grep -c "$want" srv.err)" -gt "$before" ]; then
			ok "openssl s_client -> our server: $s, $g"
		else
			fail "openssl s_client -> our server: $s, $g: exit $rc '$out'"
			tail -3 err; grep -v '^\[[0-9]*\]  ' srv.err | tail -3
		fi
		[ $have_gnutls -eq 1 ] || continue
		before=$(grep -c "$want" srv.err)
		out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 gnutls-cli \
		    --priority "$(gnutls_prio "$v" "$gkx" "$gc" "$gg")" \
		    --x509cafile root.pem -p "$oport" localhost 2>err |
		    grep -v '^- ' | tail -n 2)
		if [ "$out" = "$(printf 'anonymous\nBYE')" ] &&
		    [ "$(grep -c "$want" srv.err)" -gt "$before" ]; then
			ok "gnutls-cli -> our server: $s, $g"
		else
			fail "gnutls-cli -> our server: $s, $g: '$out'"
			tail -3 err; grep -v '^\[[0-9]*\]  ' srv.err | tail -3
		fi
	done <<EOF
$groups
EOF
done <<EOF
$suites
EOF
stop

# ---- records padded to the limit (RFC 8446 5.4): Finished and data in
# records of 2^14 bytes of inner plaintext must not stall ----
our_server srv
out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client -tls1_3 \
    -record_padding 16384 -connect 127.0.0.1:$oport -CAfile root.pem \
    -verify_return_error -quiet 2>err)
[ "$out" = "$(printf 'anonymous\nBYE')" ] &&
    ok "openssl s_client -record_padding 16384 -> our server: data" ||
    { fail "padded records to our server: '$out'"; tail -n 3 err srv.err; }
stop
s_server -tls1_3 -cert srv.pem -key srv.key -record_padding 16384
out=$(timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --send padded 2>err </dev/null)
[ "$out" = deddap ] &&
    ok "our client -> openssl s_server -record_padding 16384: data" ||
    { fail "padded records from s_server: '$out'"; tail -n 3 err; }
stop

# ---- HelloRetryRequest, both directions ----
for pair in "x25519 secp256r1 X25519:P-256 P-256" "secp256r1 x25519 P-256:X25519 X25519"; do
	set -- $pair
	# the peer client shares $1 first; our server takes only $2
	our_server srv --trace --groups "$2"
	out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client -tls1_3 \
	    -groups "$3" -connect 127.0.0.1:$oport -CAfile root.pem \
	    -verify_return_error -quiet 2>err)
	wait_for srv.err "handshake done"
	if [ "$out" = "$(printf 'anonymous\nBYE')" ] &&
	    grep -q "HelloRetryRequest: the client supports $2 but sent no key share" srv.err &&
	    grep -q "> HelloRetryRequest" srv.err; then
		ok "openssl s_client sharing $1 -> our server (--groups $2): HelloRetryRequest, then $2"
	else
		fail "HelloRetryRequest from our server ($2): '$out'"; tail -n 3 err srv.err
	fi
	if [ $have_gnutls -eq 1 ]; then
		# GnuTLS shares its first group of each kind (x448, and
		# secp384r1): neither is ours, $2 comes third
		gg2=$(echo "$groups" | awk -v g="$2" '$1 == g { print $3 }')
		before=$(grep -c "> HelloRetryRequest" srv.err)
		out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 gnutls-cli \
		    --priority "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X448:+GROUP-SECP384R1:+$gg2" \
		    --x509cafile root.pem -p "$oport" localhost 2>err |
		    grep -v '^- ' | tail -n 2)
		if [ "$out" = "$(printf 'anonymous\nBYE')" ] &&
		    [ "$(grep -c "> HelloRetryRequest" srv.err)" -gt "$before" ]; then
			ok "gnutls-cli sharing x448, secp384r1 -> our server (--groups $2): HelloRetryRequest, then $2"
		else
			fail "gnutls-cli HelloRetryRequest ($2): '$out'"; tail -n 3 err srv.err
		fi
	fi
	stop
	# our client shares $1 first; the peer server takes only $2
	s_server -tls1_3 -cert srv.pem -key srv.key -groups "$4"
	out=$(timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
	    --server-name localhost --groups "$1,$2" --trace --send hrr 2>err </dev/null)
	if [ "$out" = rrh ] &&
	    grep -q "HelloRetryRequest: the server wants a key share for $2" err &&
	    our_client_sees TLS_AES_128_GCM_SHA256 "$2"; then
		ok "our client sharing $1 -> openssl s_server -groups $4: HelloRetryRequest answered"
	else
		fail "our client answering an HRR for $2 (openssl): '$out'"; grep -v '^ ' err | tail -5
	fi
	stop
done
# our client shares the first group; gnutls-serv takes only the second
[ $have_gnutls -eq 0 ] || gs_client_rows <<EOF
our client sharing x25519 -> gnutls-serv (secp256r1 only): HelloRetryRequest answered|srv|--priority NORMAL:-GROUP-ALL:+GROUP-SECP256R1|--groups x25519,secp256r1 --trace|hrr|hrr|HelloRetryRequest: the server wants a key share for secp256r1~@our_client_sees TLS_AES_128_GCM_SHA256 secp256r1
our client sharing secp256r1 -> gnutls-serv (x25519 only): HelloRetryRequest answered|srv|--priority NORMAL:-GROUP-ALL:+GROUP-X25519|--groups secp256r1,x25519 --trace|hrr|hrr|HelloRetryRequest: the server wants a key share for x25519~@our_client_sees TLS_AES_128_GCM_SHA256 x25519
EOF

# ---- signature schemes, with client certificates ----
# scheme | versions | GnuTLS name
sigs="rsa_pss_rsae_sha256 1.3,1.2 SIGN-RSA-PSS-RSAE-SHA256
rsa_pss_rsae_sha384 1.3,1.2 SIGN-RSA-PSS-RSAE-SHA384
rsa_pss_rsae_sha512 1.3,1.2 SIGN-RSA-PSS-RSAE-SHA512
rsa_pkcs1_sha256 1.2 SIGN-RSA-SHA256
rsa_pkcs1_sha384 1.2 SIGN-RSA-SHA384
rsa_pkcs1_sha512 1.2 SIGN-RSA-SHA512"
our_server srv --trace --ca root.pem --client-auth require
while read -r sig vs gsig; do
	for v in $(echo "$vs" | tr , ' '); do
		what=CertificateVerify
		[ "$v" = 1.2 ] && what=ServerKeyExchange
		b1=$(grep -c "$what signed with $sig" srv.err)
		b2=$(grep -c "the peer's CertificateVerify signature ($sig) is good" srv.err)
		out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client \
		    -tls$(echo "$v" | tr . _) -sigalgs "$sig" -connect 127.0.0.1:$oport \
		    -CAfile root.pem -verify_return_error -cert alice.pem \
		    -key alice.key -quiet 2>err)
		wait_for srv.err "handshake done"
		if [ "$out" = "$(printf 'CN=alice\nBYE')" ] &&
		    [ "$(grep -c "$what signed with $sig" srv.err)" -gt "$b1" ] &&
		    [ "$(grep -c "the peer's CertificateVerify signature ($sig) is good" srv.err)" -gt "$b2" ]; then
			ok "openssl s_client -sigalgs $sig -> our server (TLS $v): both sign $sig"
		else
			fail "openssl s_client -sigalgs $sig TLS $v: '$out'"; tail -3 err
		fi
		[ $have_gnutls -eq 1 ] || continue
		b1=$(grep -c "$what signed with $sig" srv.err)
		out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 gnutls-cli \
		    --priority "NORMAL:-VERS-ALL:+VERS-TLS$v:-SIGN-ALL:+$gsig" \
		    --x509cafile root.pem --x509certfile alice.pem \
		    --x509keyfile alice.key -p "$oport" localhost 2>err |
		    grep -v '^- ' | tail -n 2)
		if [ "$out" = "$(printf 'CN=alice\nBYE')" ] &&
		    [ "$(grep -c "$what signed with $sig" srv.err)" -gt "$b1" ]; then
			ok "gnutls-cli $gsig -> our server (TLS $v): we sign $sig"
		else
			fail "gnutls-cli $gsig TLS $v: '$out'"; tail -3 err
		fi
	done
done <<EOF
$sigs
EOF
stop
while read -r sig vs gsig; do
	for v in $(echo "$vs" | tr , ' '); do
		what=CertificateVerify
		[ "$v" = 1.2 ] && what=ServerKeyExchange
		s_server -tls$(echo "$v" | tr . _) -cert srv.pem -key srv.key \
		    -sigalgs "$sig" -Verify 1
		out=$(timeout 20 "$M" client connect alice tcp:127.0.0.1:$port \
		    --ca root.pem --server-name localhost --trace --send sig 2>err </dev/null)
		if [ "$out" = gis ] &&
		    grep -q "the peer's $what signature ($sig) is good" err &&
		    grep -q "CertificateVerify signed with $sig" err; then
			ok "our client -> openssl s_server -sigalgs $sig (TLS $v): both sign $sig"
		else
			fail "our client -> s_server -sigalgs $sig TLS $v: '$out'"
			grep -v '^ \|^[<>]' err | tail -3
		fi
		stop
	done
done <<EOF
$sigs
EOF
if [ $have_gnutls -eq 1 ]; then
	# gnutls-serv narrowed to one scheme, a client certificate required
	rows=$(while read -r sig vs gsig; do
		for v in $(echo "$vs" | tr , ' '); do
			what=CertificateVerify
			[ "$v" = 1.2 ] && what=ServerKeyExchange
			echo "our client -> gnutls-serv $gsig (TLS $v): both sign $sig|srv|--priority NORMAL:-VERS-ALL:+VERS-TLS$v:-SIGN-ALL:+$gsig --x509cafile root.pem --require-client-cert|alice --trace|sig|sig|^connected: TLS $v,~the peer's $what signature ($sig) is good~CertificateVerify signed with $sig"
		done
	done <<EOF
$sigs
EOF
)
	gs_client_rows <<EOF
$rows
EOF
fi

# ---- P-256 certificates (ECDSA), both directions ----
# The server's key picks the suites: with a P-256 certificate, the TLS 1.3
# suites and ECDHE_ECDSA; ECDHE_RSA is refused. Both sides sign and check
# ecdsa_secp256r1_sha256.
quiet "$M" key new ecsrv --type ec
quiet "$M" csr new ecsrv --subject CN=localhost --san DNS:localhost,IP:127.0.0.1 --out ecsrv.csr
quiet "$M" ca issue --csr ecsrv.csr --profile server --out ecsrv.pem
quiet "$M" export ecsrv --key --no-encrypt --out ecsrv.key
ecsuites="TLS_AES_128_GCM_SHA256 1.3 TLS_AES_128_GCM_SHA256 - AES-128-GCM
TLS_AES_256_GCM_SHA384 1.3 TLS_AES_256_GCM_SHA384 - AES-256-GCM
TLS_CHACHA20_POLY1305_SHA256 1.3 TLS_CHACHA20_POLY1305_SHA256 - CHACHA20-POLY1305
TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 1.2 ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA AES-128-GCM
TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 1.2 ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-ECDSA AES-256-GCM
TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 1.2 ECDHE-ECDSA-CHACHA20-POLY1305 ECDHE-ECDSA CHACHA20-POLY1305"
our_server ecsrv --trace
while read -r s v on gkx gc; do
	what=CertificateVerify
	[ "$v" = 1.2 ] && what=ServerKeyExchange
	b1=$(grep -c "chosen: $s" srv.err)
	b2=$(grep -c "$what signed with ecdsa_secp256r1_sha256" srv.err)
	out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client \
	    $(ossl_opts "$v" "$on" P-256) -connect 127.0.0.1:$oport \
	    -CAfile root.pem -verify_return_error -quiet 2>err)
	rc=$?
	wait_for srv.err "handshake done ($s)"
	if [ $rc -eq 0 ] && [ "$out" = "$(printf 'anonymous\nBYE')" ] &&
	    [ "$(grep -c "chosen: $s" srv.err)" -gt "$b1" ] &&
	    [ "$(grep -c "$what signed with ecdsa_secp256r1_sha256" srv.err)" -gt "$b2" ]; then
		ok "openssl s_client -> our server, P-256 certificate: $s, ecdsa_secp256r1_sha256"
	else
		fail "openssl s_client -> our server (P-256): $s: exit $rc '$out'"
		tail -3 err; grep -v '^\[[0-9]*\]  ' srv.err | tail -3
	fi
	[ $have_gnutls -eq 1 ] || continue
	b1=$(grep -c "chosen: $s" srv.err)
	out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 gnutls-cli \
	    --priority "$(gnutls_prio "$v" "$gkx" "$gc" GROUP-SECP256R1)" \
	    --x509cafile root.pem -p "$oport" localhost 2>err |
	    grep -v '^- ' | tail -n 2)
	if [ "$out" = "$(printf 'anonymous\nBYE')" ] &&
	    [ "$(grep -c "chosen: $s" srv.err)" -gt "$b1" ]; then
		ok "gnutls-cli -> our server, P-256 certificate: $s"
	else
		fail "gnutls-cli -> our server (P-256): $s: '$out'"
		tail -3 err; grep -v '^\[[0-9]*\]  ' srv.err | tail -3
	fi
done <<EOF
$ecsuites
EOF
# An RSA suite cannot be served with a P-256 key.
out=$(printf 'QUIT\n' | timeout 20 openssl s_client -tls1_2 \
    -cipher ECDHE-RSA-AES128-GCM-SHA256 -connect 127.0.0.1:$oport \
    -CAfile root.pem -quiet 2>&1)
echo "$out" | grep -q "alert handshake failure" &&
    ok "openssl s_client ECDHE-RSA only -> our server, P-256 certificate: handshake_failure" ||
    fail "ECDHE-RSA with a P-256 server key: '$out'"
# RFC 8422 5.1: a TLS 1.2 client whose supported_groups lacks secp256r1
# cannot take the P-256 certificate (x25519 alone would do for the ECDHE).
out=$(printf 'QUIT\n' | timeout 20 openssl s_client -tls1_2 -groups X25519 \
    -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -connect 127.0.0.1:$oport \
    -CAfile root.pem -quiet 2>&1)
wait_for srv.err "which the client's supported_groups lacks"
echo "$out" | grep -q "alert handshake failure" &&
    grep -q "no common TLS 1.2 cipher suite (our ECDSA certificate is on secp256r1, which the client's supported_groups lacks: RFC 8422 5.1)" srv.err &&
    ok "openssl s_client -groups X25519 ECDHE-ECDSA -> our server, P-256 certificate: handshake_failure" ||
    { fail "ECDHE-ECDSA without secp256r1 in supported_groups: '$out'"; tail -3 srv.err; }
stop
while read -r s v on gkx gc; do
	what=CertificateVerify
	[ "$v" = 1.2 ] && what=ServerKeyExchange
	s_server $(ossl_opts "$v" "$on" P-256) -cert ecsrv.pem -key ecsrv.key
	out=$(timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
	    --server-name localhost --tls "$v" --ciphers "$s" --trace \
	    --send "p256" 2>err </dev/null)
	rc=$?
	if [ $rc -eq 0 ] && [ "$out" = 652p ] &&
	    grep -q "^connected: TLS $v, $s;" err &&
	    grep -q "the peer's $what signature (ecdsa_secp256r1_sha256) is good" err; then
		ok "our client -> openssl s_server, P-256 certificate: $s, ecdsa_secp256r1_sha256"
	else
		fail "our client -> openssl s_server (P-256): $s: exit $rc '$out'"
		grep -v '^ \|^[<>]' err | tail -5
	fi
	stop
done <<EOF
$ecsuites
EOF
# RFC 8422 5.1, our client's side: with --groups x25519 alone it offers no
# ECDHE_ECDSA suite in TLS 1.2 (s_server -trace decodes our ClientHello),
# and s_server with a P-256 certificate beside the RSA one serves
# ECDHE_RSA.
s_server -tls1_2 -cert ecsrv.pem -key ecsrv.key -dcert srv.pem -dkey srv.key \
    -groups X25519 -trace
out=$(timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --tls 1.2 --groups x25519 --trace --send g 2>err </dev/null)
# s_server's decoding of our ClientHello, up to its ServerHello
awk '/ClientHello/ { c = 1 } /ServerHello/ { c = 0 } c' oss.out >ch.txt
if [ "$out" = g ] &&
    grep -q "^connected: TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;" err &&
    grep -q "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" ch.txt &&
    ! grep -q "ECDHE_ECDSA" ch.txt &&
    grep -q "TLS 1.2 ECDHE_ECDSA suites not offered: secp256r1 is not among our groups (RFC 8422 5.1)" err; then
	ok "our client --tls 1.2 --groups x25519 -> openssl s_server -groups X25519, P-256 and RSA certificates: no ECDHE_ECDSA offered, ECDHE_RSA"
else
	fail "our client --groups x25519 (TLS 1.2) offered ECDHE_ECDSA or failed: '$out'"
	grep ECDHE_ECDSA ch.txt | head -3; grep -v '^ \|^[<>]' err | tail -3
fi
stop
if [ $have_gnutls -eq 1 ]; then
	rows=$(while read -r s v on gkx gc; do
		what=CertificateVerify
		[ "$v" = 1.2 ] && what=ServerKeyExchange
		echo "our client -> gnutls-serv, P-256 certificate: $s, ecdsa_secp256r1_sha256|ecsrv|--priority $(gnutls_prio "$v" "$gkx" "$gc" GROUP-SECP256R1)|--tls $v --ciphers $s --trace|p256|p256|^connected: TLS $v, $s;~@our_client_sees $s secp256r1~the peer's $what signature (ecdsa_secp256r1_sha256) is good"
	done <<EOF
$ecsuites
EOF
)
	gs_client_rows <<EOF
$rows
EOF
fi

# ---- P-256 client certificates: mutual TLS where the client signs its
# CertificateVerify with ecdsa_secp256r1_sha256, both directions ----
quiet "$M" key new ecalice --type ec
quiet "$M" csr new ecalice --subject CN=ecalice --out ecalice.csr
quiet "$M" ca issue --csr ecalice.csr --profile client --out ecalice.pem
quiet "$M" import ecalice --cert ecalice.pem
quiet "$M" export ecalice --key --no-encrypt --out ecalice.key
ecgood="the peer's CertificateVerify signature (ecdsa_secp256r1_sha256) is good"
our_server srv --trace --ca root.pem --client-auth require
for v in 1.3 1.2; do
	b=$(grep -c "$ecgood" srv.err)
	out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client \
	    -tls$(echo "$v" | tr . _) -connect 127.0.0.1:$oport -CAfile root.pem \
	    -verify_return_error -cert ecalice.pem -key ecalice.key -quiet 2>err)
	wait_for srv.err "handshake done"
	if [ "$out" = "$(printf 'CN=ecalice\nBYE')" ] &&
	    [ "$(grep -c "$ecgood" srv.err)" -gt "$b" ]; then
		ok "openssl s_client -cert (P-256) -> our server --client-auth require (TLS $v): ecdsa_secp256r1_sha256"
	else
		fail "openssl s_client with a P-256 client certificate TLS $v: '$out'"
		tail -3 err; grep -v '^\[[0-9]*\]  ' srv.err | tail -3
	fi
	[ $have_gnutls -eq 1 ] || continue
	b=$(grep -c "$ecgood" srv.err)
	out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 gnutls-cli \
	    --priority "NORMAL:-VERS-ALL:+VERS-TLS$v" --x509cafile root.pem \
	    --x509certfile ecalice.pem --x509keyfile ecalice.key -p "$oport" \
	    localhost 2>err | grep -v '^- ' | tail -n 2)
	wait_for srv.err "handshake done"
	if [ "$out" = "$(printf 'CN=ecalice\nBYE')" ] &&
	    [ "$(grep -c "$ecgood" srv.err)" -gt "$b" ]; then
		ok "gnutls-cli --x509certfile (P-256) -> our server --client-auth require (TLS $v): ecdsa_secp256r1_sha256"
	else
		fail "gnutls-cli with a P-256 client certificate TLS $v: '$out'"
		tail -3 err; grep -v '^\[[0-9]*\]  ' srv.err | tail -3
	fi
done
stop
for v in 1.3 1.2; do
	s_server -tls$(echo "$v" | tr . _) -cert srv.pem -key srv.key -Verify 1
	out=$(timeout 20 "$M" client connect ecalice tcp:127.0.0.1:$port \
	    --ca root.pem --server-name localhost --tls "$v" --trace --send ec \
	    2>err </dev/null)
	if [ "$out" = ce ] && grep -q "^connected: TLS $v," err &&
	    grep -q "CertificateVerify signed with ecdsa_secp256r1_sha256" err; then
		ok "our client with a P-256 certificate -> openssl s_server -Verify 1 (TLS $v): ecdsa_secp256r1_sha256"
	else
		fail "our client (P-256 certificate) -> s_server -Verify TLS $v: '$out'"
		grep -v '^ \|^[<>]' err | tail -3; tail -3 oss.out
	fi
	stop
done
[ $have_gnutls -eq 0 ] || gs_client_rows <<EOF
our client with a P-256 certificate -> gnutls-serv --require-client-cert (TLS 1.3): ecdsa_secp256r1_sha256|srv|--priority NORMAL:-VERS-ALL:+VERS-TLS1.3 --x509cafile root.pem --require-client-cert|ecalice --tls 1.3 --trace|ec|ec|^connected: TLS 1.3,~CertificateVerify signed with ecdsa_secp256r1_sha256
our client with a P-256 certificate -> gnutls-serv --require-client-cert (TLS 1.2): ecdsa_secp256r1_sha256|srv|--priority NORMAL:-VERS-ALL:+VERS-TLS1.2 --x509cafile root.pem --require-client-cert|ecalice --tls 1.2 --trace|ec|ec|^connected: TLS 1.2,~CertificateVerify signed with ecdsa_secp256r1_sha256
EOF

# ---- record_size_limit (RFC 8449), both ways, with GnuTLS (OpenSSL 3.0
# has none): the peer takes records of 512 bytes at most; our TLS 1.3
# Certificate and our TLS 1.2 flight must be cut to fit ----
if [ $have_gnutls -eq 1 ]; then
	our_server srv --trace
	for v in 1.3 1.2; do
		b=$(grep -c "record_size_limit: the client takes records of at most 51[23] bytes" srv.err)
		out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 gnutls-cli --recordsize 512 \
		    --priority "NORMAL:-VERS-ALL:+VERS-TLS$v" --x509cafile root.pem \
		    -p "$oport" localhost 2>err | grep -v '^- ' | tail -n 2)
		if [ "$out" = "$(printf 'anonymous\nBYE')" ] &&
		    [ "$(grep -c "record_size_limit: the client takes records of at most 51[23] bytes" srv.err)" -gt "$b" ]; then
			ok "gnutls-cli --recordsize 512 -> our server (TLS $v): our records kept to it"
		else
			fail "gnutls-cli --recordsize 512 TLS $v: '$out'"; grep -i error err | head -3
		fi
	done
	stop
	big=$(head -c 3000 /dev/zero | tr '\0' r)
	gs_client_rows <<EOF
our client -> gnutls-serv --recordsize 512 (TLS 1.3): 3000 bytes in records kept to it|srv|--recordsize 512|--tls 1.3 --trace|$big|$big|record_size_limit: the server takes records of at most 51[23] bytes
our client -> gnutls-serv --recordsize 512 (TLS 1.2): 3000 bytes in records kept to it|srv|--recordsize 512|--tls 1.2 --trace|$big|$big|record_size_limit: the server takes records of at most 51[23] bytes
EOF
fi
# ---- --record-size-limit (RFC 8449): the limit we send, kept by the peer ----
# Our side fails a record over its limit with record_overflow, so data
# coming back whole shows the peer kept to it.
big=$(head -c 3000 /dev/zero | tr '\0' r)
if openssl s_server -help 2>&1 | grep -q record_size_limit; then
	echo "skip: openssl -record_size_limit exists in $(openssl version | cut -d' ' -f1,2) but has no line here yet"
else
	echo "skip: openssl s_client/s_server -record_size_limit: $(openssl version | cut -d' ' -f1,2) has no RFC 8449 (GnuTLS judges --record-size-limit)"
fi
s_server -cert srv.pem -key srv.key
out=$(timeout 20 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --record-size-limit 512 --trace --send rsl 2>err </dev/null)
if [ "$out" = lsr ] &&
    grep -q "record_size_limit: the server sent none, so ours (512) is not in force (RFC 8449 4)" err; then
	ok "our client --record-size-limit 512 -> openssl s_server (no RFC 8449): the trace says ours is not in force"
else
	fail "our client --record-size-limit -> openssl s_server: '$out'"; grep -v '^ \|^[<>]' err | tail -3
fi
stop
expect 2 "minipki-tui client connect: option '--record-size-limit': '63' is not a number from 64 to 16385" \
    "$M" client connect tcp:127.0.0.1:1 --ca root.pem --record-size-limit 63
expect 2 "minipki-tui server run: option '--record-size-limit': '16386' is not a number from 64 to 16385" \
    "$M" server run srv --listen tcp:127.0.0.1:0 --record-size-limit 16386
if [ $have_gnutls -eq 1 ]; then
	# gnutls-cli sends what it read in one call, which GnuTLS cuts to
	# our limit, dropping the rest: one line and QUIT, under 512 bytes
	# (our client's line below is the one cut into records)
	mid=$(head -c 400 /dev/zero | tr '\0' m)
	our_server srv --trace --record-size-limit 512
	for v in 1.3 1.2; do
		b=$(grep -c "ours are kept to that; we take 512$" srv.err)
		out=$(printf 'ECHO %s\nQUIT\n' "$mid" | timeout 20 \
		    gnutls-cli --priority "NORMAL:-VERS-ALL:+VERS-TLS$v" \
		    --x509cafile root.pem -p "$oport" localhost 2>err |
		    grep -v '^- ' | tail -n 2)
		if [ "$out" = "$(printf '%s\nBYE' "$mid")" ] &&
		    [ "$(grep -c "ours are kept to that; we take 512$" srv.err)" -gt "$b" ] &&
		    ! grep -q "record_size_limit of 512" srv.err; then
			ok "gnutls-cli -> our server --record-size-limit 512 (TLS $v): limits traced both ways, data"
		else
			fail "gnutls-cli -> our server --record-size-limit 512 TLS $v: ${#out} bytes back"
			grep -i error err | head -3; grep -v '^\[[0-9]*\]  ' srv.err | tail -3
		fi
	done
	stop
	gs_client_rows <<EOF
our client --record-size-limit 512 -> gnutls-serv (TLS 1.3): 3000 bytes back in records kept to it|srv||--tls 1.3 --record-size-limit 512 --trace|$big|$big|^connected: TLS 1.3,~record_size_limit: the server takes records of at most [0-9]* bytes.*; we take 512\$
our client --record-size-limit 512 -> gnutls-serv (TLS 1.2): 3000 bytes back in records kept to it|srv||--tls 1.2 --record-size-limit 512 --trace|$big|$big|^connected: TLS 1.2,~record_size_limit: the server takes records of at most [0-9]* bytes.*; we take 512\$
EOF
fi
# ---- resumption (TLS 1.3 tickets), both directions ----
our_server srv --trace
# s_client -sess_out, then -sess_in: the second handshake resumes
out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client -tls1_3 \
    -ign_eof -sess_out sess.pem -connect 127.0.0.1:$oport -CAfile root.pem \
    -verify_return_error 2>&1)
out2=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client -tls1_3 \
    -ign_eof -sess_in sess.pem -connect 127.0.0.1:$oport -CAfile root.pem \
    -verify_return_error 2>&1)
if echo "$out" | grep -q '^New, TLSv1.3' &&
    echo "$out2" | grep -q '^Reused, TLSv1.3' &&
    echo "$out2" | grep -q '^BYE' &&
    wait_for srv.err "handshake done (TLS_AES_128_GCM_SHA256, resumed)"; then
	ok "openssl s_client -sess_out/-sess_in -> our server (TLS 1.3): Reused"
else
	fail "openssl s_client -sess_in (TLS 1.3): not reused"
	echo "$out2" | grep '^\(New\|Reused\)'; grep -v '^\[' srv.err | tail -5
fi
# our own client, both ways: --reconnect, then --sess-out / --sess-in
out=$(timeout 30 "$M" client connect tcp:127.0.0.1:$oport --ca root.pem \
    --server-name localhost --tls 1.3 --reconnect 2 --trace --send hi 2>err </dev/null)
if [ "$(echo "$out" | grep -c '^ERR')" -eq 3 ] &&
    [ "$(grep -c '^connected: TLS 1.3, .*(resumed)' err)" -eq 2 ] &&
    [ "$(grep -c 'the server accepts our ticket: resumed' err)" -eq 2 ]; then
	ok "our client --reconnect 2 -> our server: resumed twice"
else
	fail "our client --reconnect -> our server"; grep -v '^ \|^[<>]' err | tail -5
fi
stop
s_server -tls1_3 -cert srv.pem -key srv.key
out=$(timeout 30 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --reconnect 2 --trace --send abc 2>err </dev/null)
if [ "$out" = "$(printf 'cba\ncba\ncba')" ] &&
    [ "$(grep -c '^connected: TLS 1.3, .*(resumed)' err)" -eq 2 ]; then
	ok "our client --reconnect 2 -> openssl s_server: resumed twice"
else
	fail "our client --reconnect -> openssl s_server: '$out'"; grep -v '^ \|^[<>]' err | tail -5
fi
rm -f our.sess
out=$(timeout 30 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --sess-out our.sess --send abc 2>err </dev/null)
out2=$(timeout 30 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --sess-in our.sess --trace --send def 2>err2 </dev/null)
if [ "$out" = cba ] && [ "$out2" = fed ] &&
    [ "$(stat -c %a our.sess)" = 600 ] &&
    grep -q '^connected: TLS 1.3, .*(resumed)' err2 &&
    ! grep -q '(resumed)' err &&
    grep -q '^< EncryptedExtensions' err2 && ! grep -q '^< Certificate' err2; then
	ok "our client --sess-out/--sess-in -> openssl s_server: Reused (file 0600)"
else
	fail "our client --sess-in -> openssl s_server: '$out' '$out2'"; cat err2 | tail -3; grep Reused oss.out
fi
stop
if [ $have_gnutls -eq 1 ]; then
	our_server srv --trace
	out=$(printf 'WHOAMI\n' | timeout 20 gnutls-cli --resume --priority \
	    "NORMAL:-VERS-ALL:+VERS-TLS1.3" --x509cafile root.pem -p "$oport" \
	    localhost 2>&1)
	if echo "$out" | grep -q '^\*\*\* This is a resumed session' &&
	    wait_for srv.err "handshake done (TLS_AES_128_GCM_SHA256, resumed)"; then
		ok "gnutls-cli --resume -> our server (TLS 1.3): resumed"
	else
		fail "gnutls-cli --resume -> our server"; echo "$out" | grep -i 'resum\|error' | head -5
	fi
	stop
	gs_client_rows <<'EOF'
our client --reconnect 1 -> gnutls-serv (TLS 1.3): resumed|srv|--priority NORMAL:-VERS-ALL:+VERS-TLS1.3|--reconnect 1 --trace|abc|abc\nabc|1=^connected: TLS 1.3, .*(resumed)
EOF
fi

# ---- tickets are bound to the server name (RFC 8446 4.6.1) ----
our_server srv --trace
rm -f sni.pem
printf 'QUIT\n' | timeout 20 openssl s_client -tls1_3 -ign_eof -servername a.test \
    -sess_out sni.pem -connect 127.0.0.1:$oport -CAfile root.pem >/dev/null 2>&1
out=$(printf 'QUIT\n' | timeout 20 openssl s_client -tls1_3 -ign_eof \
    -servername b.test -sess_in sni.pem -connect 127.0.0.1:$oport \
    -CAfile root.pem 2>&1)
out2=$(printf 'QUIT\n' | timeout 20 openssl s_client -tls1_3 -ign_eof \
    -servername a.test -sess_in sni.pem -connect 127.0.0.1:$oport \
    -CAfile root.pem 2>&1)
if echo "$out" | grep -q '^New, TLSv1.3' && echo "$out2" | grep -q '^Reused, TLSv1.3' &&
    grep -q 'not resuming: ticket refused (issued for server name "a.test", this ClientHello names "b.test")' srv.err; then
	ok "openssl s_client -servername b.test -sess_in (a ticket for a.test) -> our server: New; for a.test: Reused"
else
	fail "ticket bound to SNI: $(echo "$out" | grep '^New\|^Reused') / $(echo "$out2" | grep '^New\|^Reused')"
	grep 'resuming' srv.err | tail -3
fi
rm -f our-a.sess
timeout 30 "$M" client connect tcp:127.0.0.1:$oport --ca root.pem \
    --server-name localhost --sess-out our-a.sess --send x >/dev/null 2>err </dev/null
out=$(timeout 30 "$M" client connect tcp:127.0.0.1:$oport --ca root.pem \
    --server-name 127.0.0.1 --sess-in our-a.sess --trace --send y 2>err2 </dev/null)
if [ -n "$out" ] &&
    grep -q 'not resuming: the session was kept for server name "localhost", this connection is for "127.0.0.1"' err2 &&
    ! grep -q 'pre_shared_key' err2 && ! grep -q '(resumed)' err2; then
	ok "our client --sess-in (a session for localhost) --server-name 127.0.0.1: not offered"
else
	fail "our client offered a session for another name: '$out'"; grep 'resum' err2 | head -3
fi
stop
if [ $have_gnutls -eq 1 ]; then
	# our client's session file against gnutls-serv
	gnutls_serv --priority "NORMAL:-VERS-ALL:+VERS-TLS1.3" && {
		rm -f gs.sess
		out=$(timeout 30 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
		    --server-name localhost --sess-out gs.sess --send abc 2>err </dev/null)
		out2=$(timeout 30 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
		    --server-name localhost --sess-in gs.sess --trace --send def 2>err2 </dev/null)
		if [ "$out" = abc ] && [ "$out2" = def ] &&
		    grep -q '^connected: TLS 1.3, .*(resumed)' err2; then
			ok "our client --sess-out/--sess-in -> gnutls-serv (TLS 1.3): resumed"
		else
			fail "our client --sess-in -> gnutls-serv: '$out' '$out2'"; grep -v '^ \|^[<>]' err2 | tail -3
		fi
		stop
	}
	# 0-RTT stays off: GnuTLS offering early data resumes without it
	# against our server; against gnutls-serv --earlydata (tickets that
	# allow it) our client resumes and sends none
	our_server srv --trace
	echo early >early.txt
	out=$(printf 'WHOAMI\n' | timeout 20 gnutls-cli --resume --earlydata=early.txt \
	    --priority "NORMAL:-VERS-ALL:+VERS-TLS1.3" --x509cafile root.pem \
	    -p "$oport" localhost 2>&1)
	if echo "$out" | grep -q '^\*\*\* This is a resumed session' &&
	    echo "$out" | grep -q '^anonymous' &&
	    wait_for srv.err "handshake done (TLS_AES_128_GCM_SHA256, resumed)" &&
	    ! grep -q "Alert fatal" srv.err; then
		ok "gnutls-cli --resume --earlydata -> our server (TLS 1.3): resumed, no 0-RTT, no alert"
	else
		fail "gnutls-cli --earlydata -> our server"; echo "$out" | grep -i 'resum\|error\|early' | head -5
	fi
	stop
	gs_client_rows <<'EOF'
our client --reconnect 1 -> gnutls-serv --earlydata: resumed, no early_data sent|srv|--priority NORMAL:-VERS-ALL:+VERS-TLS1.3 --earlydata|--reconnect 1 --trace|abc|abc\nabc|1=^connected: TLS 1.3, .*(resumed)~@no_early_data
EOF
fi

# ---- resumption in TLS 1.2 (session tickets, RFC 5077) ----
our_server srv --trace
out=$(printf 'QUIT\n' | timeout 30 openssl s_client -tls1_2 -reconnect \
    -connect 127.0.0.1:$oport -CAfile root.pem -verify_return_error 2>&1)
if [ "$(echo "$out" | grep -c '^Reused, TLSv1.2')" -eq 5 ] &&
    wait_for srv.err "handshake done (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, resumed)"; then
	ok "openssl s_client -tls1_2 -reconnect -> our server: Reused five times"
else
	fail "openssl s_client -tls1_2 -reconnect: $(echo "$out" | grep -c '^Reused') reused"
	echo "$out" | grep '^\(New\|Reused\)' | head -3; grep -v '^\[' srv.err | tail -3
fi
out=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client -tls1_2 -ign_eof \
    -sess_out sess12.pem -connect 127.0.0.1:$oport -CAfile root.pem \
    -verify_return_error 2>&1)
out2=$(printf 'WHOAMI\nQUIT\n' | timeout 20 openssl s_client -tls1_2 -ign_eof \
    -sess_in sess12.pem -connect 127.0.0.1:$oport -CAfile root.pem \
    -verify_return_error 2>&1)
if echo "$out" | grep -q '^New, TLSv1.2' &&
    echo "$out2" | grep -q '^Reused, TLSv1.2' && echo "$out2" | grep -q '^BYE'; then
	ok "openssl s_client -tls1_2 -sess_out/-sess_in -> our server: Reused"
else
	fail "openssl s_client -tls1_2 -sess_in: not reused"; echo "$out2" | grep '^\(New\|Reused\)'
fi
out=$(timeout 30 "$M" client connect tcp:127.0.0.1:$oport --ca root.pem \
    --server-name localhost --tls 1.2 --reconnect 2 --send hi 2>err </dev/null)
if [ "$(grep -c '^connected: TLS 1.2, .*(resumed)' err)" -eq 2 ]; then
	ok "our client --tls 1.2 --reconnect 2 -> our server: resumed twice"
else
	fail "our client --tls 1.2 --reconnect -> our server"; tail -3 err
fi
if [ $have_gnutls -eq 1 ]; then
	out=$(printf 'WHOAMI\n' | timeout 20 gnutls-cli --resume --priority \
	    "NORMAL:-VERS-ALL:+VERS-TLS1.2" --x509cafile root.pem -p "$oport" \
	    localhost 2>&1)
	if echo "$out" | grep -q '^\*\*\* This is a resumed session'; then
		ok "gnutls-cli --resume -> our server (TLS 1.2): resumed"
	else
		fail "gnutls-cli --resume TLS 1.2 -> our server"; echo "$out" | grep -i 'resum\|error' | head -5
	fi
fi
stop
s_server -tls1_2 -cert srv.pem -key srv.key
out=$(timeout 30 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --reconnect 2 --trace --send abc 2>err </dev/null)
if [ "$out" = "$(printf 'cba\ncba\ncba')" ] &&
    [ "$(grep -c '^connected: TLS 1.2, .*(resumed)' err)" -eq 2 ]; then
	ok "our client --reconnect 2 -> openssl s_server -tls1_2: resumed twice"
else
	fail "our client --reconnect -> openssl s_server -tls1_2: '$out'"; grep -v '^ \|^[<>]' err | tail -5
fi
rm -f our12.sess
out=$(timeout 30 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --sess-out our12.sess --send abc 2>err </dev/null)
out2=$(timeout 30 "$M" client connect tcp:127.0.0.1:$port --ca root.pem \
    --server-name localhost --sess-in our12.sess --trace --send def 2>err2 </dev/null)
if [ "$out" = cba ] && [ "$out2" = fed ] &&
    [ "$(stat -c %a our12.sess)" = 600 ] &&
    grep -q '^connected: TLS 1.2, .*(resumed)' err2 &&
    ! grep -q '^< Certificate' err2; then
	ok "our client --sess-out/--sess-in -> openssl s_server -tls1_2: resumed"
else
	fail "our client --sess-in -> openssl s_server -tls1_2: '$out' '$out2'"; tail -3 err2
fi
stop
[ $have_gnutls -eq 0 ] || gs_client_rows <<'EOF'
our client --reconnect 1 -> gnutls-serv (TLS 1.2): resumed|srv|--priority NORMAL:-VERS-ALL:+VERS-TLS1.2|--reconnect 1|abc|abc\nabc|1=^connected: TLS 1.2, .*(resumed)
EOF

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "tls-matrix: all passed"
