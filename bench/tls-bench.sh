#!/bin/sh
# bench/tls-bench.sh — TLS handshakes per second and bulk transfer, our
# server beside `openssl s_server`, measured in the same run on the same
# machine with the same key, certificate and load generators. Not a test:
# nothing here fails on a slow number.
#
# Handshakes: `openssl s_time -new` (one full handshake per connection,
# closed right after it) for BENCH_TLS_SECONDS seconds against each server,
# the two servers taking turns, BENCH_ROUNDS rounds; the median of the
# rounds. hs/s is connections / wall-clock time of the s_time run. The
# share of the raw signature rate is hs/s divided by the server's own
# RSA-2048 private-key operation rate (bench/bench-sign for ours, `openssl
# speed rsa2048` for OpenSSL's): every handshake here costs the server one
# such operation (a signature; the RSA decryption of the premaster secret
# for TLS 1.2 RSA), so 1.0 would be a server doing nothing else. The
# server's CPU time per handshake (from /proc) is shown too: s_time is a
# single process on a 2-core machine, so a fast server can be bounded by
# the load generator, and then CPU per handshake is the fairer comparison.
#
# Bulk: one TLS 1.3 connection carrying BENCH_TLS_MB MiB of 4096-byte
# lines, each echoed back (our server: "ECHO text"; s_server -rev: the line
# reversed), so each server decrypts and encrypts the same bytes. Two
# clients: bench/bench-tls (our engine) and `openssl s_client`. MB/s is
# payload sent (10^6 bytes) per second; as many bytes come back.
#
# Environment: MINIPKI (the binary), BENCH_ROUNDS (3), BENCH_TLS_SECONDS
# (3), BENCH_TLS_MB (32). Runs alone: sh bench/tls-bench.sh
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
M=${MINIPKI:-$top/minipki-tui}
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_TLS_SECONDS:-3}
MB=${BENCH_TLS_MB:-32}

if ! command -v openssl >/dev/null 2>&1; then
	echo "tls-bench: skipped: openssl is not installed"
	exit 0
fi
if ! openssl s_time -help 2>&1 | grep -q -- '-new'; then
	echo "tls-bench: skipped: this openssl has no s_time"
	exit 0
fi
[ -x "$M" ] || { echo "tls-bench: no $M (run make)"; exit 1; }

# shellcheck source=bench/benchlib.sh
. bench/benchlib.sh
bench_work tls
MINIPKI_DIR=$W/pki
MINIPKI_PASSPHRASE="tls bench passphrase"
export MINIPKI_DIR MINIPKI_PASSPHRASE
unset SSLKEYLOGFILE

# ---- one server entity: RSA-2048 key, certificate from our CA ----
run "$M" ca init --subject "CN=TLS Bench Root" --bits 2048
run "$M" export ca --cert --out "$W/root.pem"
run "$M" key new srv --bits 2048
run "$M" csr new srv --subject CN=localhost --san DNS:localhost,IP:127.0.0.1 \
    --out "$W/srv.csr"
run "$M" ca issue --csr "$W/srv.csr" --profile server --out "$W/srv.pem"
run "$M" import srv --cert "$W/srv.pem"
# the same key and certificate for openssl s_server
run "$M" export srv --key --no-encrypt --out "$W/srv.key"

# ---- the bulk client: bench/bench-tls (make bench builds it) ----
BT=$top/bench/bench-tls
if [ ! -x "$BT" ] || [ "$BT" -ot bench/bench-tls.c ]; then
	make -s bench/bench-tls >/dev/null 2>&1 ||
	    { BT=; echo "tls-bench: could not build bench/bench-tls"; }
fi

# ---- the servers, both on a free port, both serving every mode ----
# One worker: s_time makes one connection at a time, and s_server is one
# process (bench/hs-bench.sh measures 2 workers under concurrent load).
"$M" server run srv --listen tcp:127.0.0.1:0 --workers 1 >"$W/ours.out" 2>"$W/ours.err" &
ours_pid=$!
pids="$pids $ours_pid"
openssl s_server -accept 127.0.0.1:0 -cert "$W/srv.pem" -key "$W/srv.key" \
    -rev -groups X25519 -no_ticket -num_tickets 0 \
    -cipher AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256 \
    -ciphersuites TLS_AES_128_GCM_SHA256 </dev/null >"$W/oss.out" 2>&1 &
oss_pid=$!
pids="$pids $oss_pid"
i=0
while ! grep -q '^listening on ' "$W/ours.out" 2>/dev/null ||
    ! grep -q '^ACCEPT ' "$W/oss.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { cat "$W/ours.err" "$W/oss.out"; die "a server did not start"; }
	sleep 0.1
done
ours_port=$(sed -n 's/^listening on .*://p' "$W/ours.out")
oss_port=$(sed -n 's/^ACCEPT .*://p' "$W/oss.out" | head -1)

# ---- raw RSA-2048 private-key operations per second ----
echo "== TLS: RSA-2048 signatures per second (the bound for RSA-signed handshakes)"
bench_machine
sign_ours=
if [ -x bench/bench-sign ] || make -s bench/bench-sign >/dev/null 2>&1; then
	sign_ours=$(./bench/bench-sign | awk '/^rsa2048_sign_per_s/ {print $2}')
fi
sign_oss=$(for i in $(seq "$ROUNDS"); do
	openssl speed -seconds 1 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}'
done | median)
echo "ours:    ${sign_ours:--} sign/s (bench/bench-sign, median of 5)"
echo "openssl: $sign_oss sign/s (openssl speed rsa2048, median of $ROUNDS)"

# ---- handshakes ----
# hs PORT PID OUTFILE-PREFIX S_TIME-ARGS...: one s_time run; appends hs/s
# and server CPU ms per handshake to PREFIX.hs and PREFIX.cpu.
hs() {
	port=$1 pid=$2 pre=$3
	shift 3
	c0=$(ticks "$pid")
	t0=$(now)
	openssl s_time -connect "127.0.0.1:$port" -new -time "$SECS" "$@" \
	    >"$W/stime.out" 2>&1
	t1=$(now)
	c1=$(ticks "$pid")
	n=$(sed -n 's/^\([0-9][0-9]*\) connections in [0-9]* real seconds.*/\1/p' \
	    "$W/stime.out")
	if [ -z "$n" ] || [ "$n" -eq 0 ]; then
		echo "tls-bench: s_time completed no handshake against port $port ($*):"
		tail -5 "$W/stime.out" | sed 's/^/    | /'
		return
	fi
	awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", n / (b - a) }' \
	    >>"$pre.hs"
	[ "$c1" -gt 0 ] && awk -v n="$n" -v c="$((c1 - c0))" -v hz="$HZ" \
	    'BEGIN { printf "%.3f\n", 1000 * c / hz / n }' >>"$pre.cpu"
}

modes="rsa ecdhe tls13"
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	for m in $modes; do
		case $m in
		rsa) set -- -tls1_2 -cipher AES128-GCM-SHA256 ;;
		ecdhe) set -- -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 ;;
		tls13) set -- -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256 ;;
		esac
		hs "$ours_port" "$ours_pid" "$W/ours.$m" "$@"
		hs "$oss_port" "$oss_pid" "$W/oss.$m" "$@"
	done
done
# s_time must really have completed handshakes with our server, in the
# suite asked for.
for s in TLS_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 \
    TLS_AES_128_GCM_SHA256; do
	grep -q "handshake done ($s)" "$W/ours.err" ||
	    echo "tls-bench: warning: our server logged no $s handshake"
done

echo
echo "== TLS: full handshakes per second, openssl s_time -new, ${SECS}s per run, median of $ROUNDS"
printf '%-14s %9s %9s %8s %9s %9s %9s %9s\n' mode "ours" "openssl" "ratio" \
    "ours" "openssl" "ours" "openssl"
printf '%-14s %9s %9s %8s %9s %9s %9s %9s\n' "" "hs/s" "hs/s" "ours/oss" \
    "/sign" "/sign" "cpu ms/hs" "cpu ms/hs"
for m in $modes; do
	case $m in
	rsa) label="TLS 1.2 RSA" ;;
	ecdhe) label="TLS 1.2 ECDHE" ;;
	tls13) label="TLS 1.3" ;;
	esac
	o=$(med "$W/ours.$m.hs")
	s=$(med "$W/oss.$m.hs")
	oc=$(med "$W/ours.$m.cpu")
	sc=$(med "$W/oss.$m.cpu")
	printf '%-14s %9s %9s %8s %9s %9s %9s %9s\n' "$label" "$o" "$s" \
	    "$(ratio "$o" "$s")" "$(ratio "$o" "${sign_ours:-0}")" \
	    "$(ratio "$s" "$sign_oss")" "$oc" "$sc"
done
echo "(/sign: hs/s as a share of the server's own RSA-2048 sign rate; cpu ms/hs:"
echo " the server process's CPU time per handshake; 2 cores, s_time on the other)"

# ---- bulk ----
# 4096-byte lines, and the line that ends the connection for each server.
awk -v n="$((MB * 256))" 'BEGIN { s = "ECHO "; while (length(s) < 4095) s = s "x"
	for (i = 0; i < n; i++) print s }' >"$W/lines"
bytes=$((MB * 1048576))
# bulk_client TOOL PORT PID PREFIX: one transfer; appends MB/s and server
# CPU ms per MB to PREFIX.mbs and PREFIX.cpu.
bulk() {
	tool=$1 port=$2 pid=$3 pre=$4
	c0=$(ticks "$pid")
	t0=$(now)
	if [ "$tool" = ours ]; then
		"$BT" "tcp:127.0.0.1:$port" "$W/root.pem" "$MB" >"$W/bulk.out" 2>&1
		rc=$?
		t1=$(now)
		[ $rc -eq 0 ] && t=$(sed -n 's/^bulk_seconds //p' "$W/bulk.out")
	else
		if [ "$port" = "$ours_port" ]; then last=QUIT; else last=CLOSE; fi
		got=$( (cat "$W/lines"; echo "$last") | openssl s_client -quiet \
		    -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256 \
		    -connect "127.0.0.1:$port" 2>"$W/bulk.out" | wc -c)
		t1=$(now)
		t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
		# every line answered: at least 4091 bytes each
		rc=0
		[ "$got" -ge $((MB * 256 * 4091)) ] || rc=1
	fi
	c1=$(ticks "$pid")
	if [ $rc -ne 0 ]; then
		echo "tls-bench: bulk $tool -> port $port failed:"
		tail -3 "$W/bulk.out" | sed 's/^/    | /'
		return
	fi
	awk -v b="$bytes" -v t="$t" 'BEGIN { printf "%.1f\n", b / 1e6 / t }' >>"$pre.mbs"
	[ "$c1" -gt 0 ] && awk -v b="$bytes" -v c="$((c1 - c0))" -v hz="$HZ" \
	    'BEGIN { printf "%.2f\n", 1000 * c / hz / (b / 1e6) }' >>"$pre.cpu"
}
clients="sclient"
[ -n "$BT" ] && clients="ours sclient"
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	for c in $clients; do
		bulk "$c" "$ours_port" "$ours_pid" "$W/bulk.$c.ours"
		bulk "$c" "$oss_port" "$oss_pid" "$W/bulk.$c.oss"
	done
done

echo
echo "== TLS: bulk transfer over one TLS 1.3 connection, $MB MiB of 4096-byte lines echoed back, median of $ROUNDS"
printf '%-22s %11s %11s %8s %11s %11s\n' client "ours srv" "openssl srv" "ratio" \
    "ours srv" "openssl srv"
printf '%-22s %11s %11s %8s %11s %11s\n' "" "MB/s" "MB/s" "ours/oss" \
    "cpu ms/MB" "cpu ms/MB"
for c in $clients; do
	case $c in
	ours) label="bench-tls (our engine)" ;;
	sclient) label="openssl s_client" ;;
	esac
	o=$(med "$W/bulk.$c.ours.mbs")
	s=$(med "$W/bulk.$c.oss.mbs")
	oc=$(med "$W/bulk.$c.ours.cpu")
	sc=$(med "$W/bulk.$c.oss.cpu")
	printf '%-22s %11s %11s %8s %11s %11s\n' "$label" "$o" "$s" \
	    "$(ratio "$o" "$s")" "$oc" "$sc"
done
echo "(MB/s: payload sent, 10^6 bytes, the same again echoed back; cpu ms/MB: the"
echo " server process's CPU time per MB sent; the client can be the bound)"
