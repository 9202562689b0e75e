#!/bin/sh
# bench/hs-bench.sh — TLS handshakes under concurrent load: our server
# (`server run`, 1 worker and 2 workers) beside `openssl s_server`, on the
# same RSA-2048 certificate and on the same P-256 certificate, in the same
# run. Not a test: nothing here fails on a slow number.
#
# The load: bench/bench-hs (our TLS engine as the client) keeps
# BENCH_HS_CONC connections in flight from one poll loop for
# BENCH_HS_SECONDS per run; each does one handshake, sends close_notify
# and waits for the server's, then the next starts. TLS 1.3,
# TLS_AES_128_GCM_SHA256, x25519; the server signs with rsa_pss_rsae_sha256
# or ecdsa_secp256r1_sha256. The generator's sockets are TCP_NODELAY (see
# bench-hs.c); the servers' are as they come. "full": a new session each
# time (one signature); "resumed": each connection offers the ticket its
# slot got last (psk_dhe_ke: no certificate, no signature; bench-hs counts
# how many did resume, and we warn when not all did). Each server sends
# one ticket per handshake (s_server -num_tickets 1, as ours). Runs take
# turns: every round runs each server and mode once; medians of
# BENCH_ROUNDS. The servers log each connection to a file, as they do by
# default.
#
# What is shown, per server and mode:
#   hs/s       handshakes completed per wall-clock second;
#   srv ms/hs  the server's CPU time (user + system, from /proc, the
#              supervisor and its workers summed; bench-hs reads it over
#              exactly its timed window) per handshake: what a noisy
#              shared machine moves least;
#   cli ms/hs  the load generator's own CPU time per handshake;
#   busy       server CPU seconds per wall second: the cores it kept busy.
# sign share: the CPU time of one signature of the server's key type, from
# the same implementation (bench/bench-sign's per-CPU-second rate for ours,
# PKCS#1 v1.5 on RSA, which costs what PSS costs: the private-key
# operation; `openssl speed`, which divides by CPU user time, for
# OpenSSL's), divided by the server's CPU per full handshake. 1.0 would be
# a server doing nothing but the signature. Target for ours with RSA:
# >= 0.85. The signature is timed in every round just before the runs on
# its key type and each share taken against it (a shared machine's load
# drifts, and with it what a CPU second buys); medians of the shares.
#
# Scaling 1 -> 2 workers, on a 2-core machine where the load generator
# needs CPU too (cli ms/hs), and other users take some: two numbers.
# "wall": hs/s with 2 workers / hs/s with 1 worker, what the machine gave,
# bounded by the generator and the neighbours; beside it its ceiling here,
# were the machine ours alone: hs/s is at most W / srv with W workers and
# at most NCPU / (srv + cli) with the generator on the same cores (for
# RSA on 2 cores about 1.5, not 2; with P-256 the generator costs more CPU
# per handshake than the server and is the bound). "per CPU": 2 x (srv ms/hs
# with 1 worker) / (srv ms/hs with 2 workers), what two workers would do
# with a core each, given what a handshake costs when two run side by side
# (sharing the listener and the ticket keys); the target (>= 1.7) is read
# on it, with busy showing whether the 2 workers really both got work.
# OpenSSL s_server serves one connection at a time (one process, no
# workers): its hs/s is bounded by round trips, its srv ms/hs is the fair
# comparison.
#
# Environment: MINIPKI (the binary), BENCH_ROUNDS (3), BENCH_HS_SECONDS
# (3), BENCH_HS_CONC (16), BENCH_HS_VERSION (1.3; 1.2: ECDHE suites and
# RFC 5077 session tickets with extended master secret). Runs alone:
# sh bench/hs-bench.sh
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
M=${MINIPKI:-$top/minipki-tui}
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_HS_SECONDS:-3}
CONC=${BENCH_HS_CONC:-16}
VER=${BENCH_HS_VERSION:-1.3}
case $VER in 1.2|1.3) ;; *) echo "hs-bench: BENCH_HS_VERSION is 1.2 or 1.3"; exit 1 ;; esac

if ! command -v openssl >/dev/null 2>&1; then
	echo "hs-bench: skipped: openssl is not installed"
	exit 0
fi
[ -x "$M" ] || { echo "hs-bench: no $M (run make)"; exit 1; }
if [ ! -r /proc/self/stat ]; then
	echo "hs-bench: skipped: no /proc to read the servers' CPU time from"
	exit 0
fi

# shellcheck source=bench/benchlib.sh
. bench/benchlib.sh
bench_work hs
MINIPKI_DIR=$W/pki
MINIPKI_PASSPHRASE="hs bench passphrase"
export MINIPKI_DIR MINIPKI_PASSPHRASE
unset SSLKEYLOGFILE

# shellcheck disable=SC2034  # read by med (benchlib.sh)
BENCH_MED_NONE=-
# the median rounded to 3 or 2 decimals
med3() { med "$1" | awk '{ if ($1 == $1 + 0) printf "%.3f\n", $1; else print }'; }
med2() { med "$1" | awk '{ if ($1 == $1 + 0) printf "%.2f\n", $1; else print }'; }
med1() { med "$1" | awk '{ if ($1 == $1 + 0) printf "%.1f\n", $1; else print }'; }

# ---- the programs ----
# (make bench builds them; run alone, make brings them up to date)
HS=$top/bench/bench-hs
if [ -f Makefile ]; then
	make -s bench/bench-hs bench/bench-sign >/dev/null 2>&1 ||
	    die "could not build bench/bench-hs and bench/bench-sign"
fi
{ [ -x "$HS" ] && [ -x bench/bench-sign ]; } || die "no bench/bench-hs or bench/bench-sign (run make)"

# ---- one CA, an RSA-2048 and a P-256 server entity ----
run "$M" ca init --subject "CN=HS Bench Root" --bits 2048
run "$M" export ca --cert --out "$W/root.pem"
run "$M" key new rsa --bits 2048
run "$M" key new ec --type ec
for k in rsa ec; do
	run "$M" csr new "$k" --subject CN=localhost \
	    --san DNS:localhost,IP:127.0.0.1 --out "$W/$k.csr"
	run "$M" ca issue --csr "$W/$k.csr" --profile server --out "$W/$k.pem"
	# the same key and certificate for openssl s_server
	run "$M" export "$k" --key --no-encrypt --out "$W/$k.key"
done

# ---- the servers: ours with 1 and 2 workers, openssl, per key ----
# start NAME CMD...: starts a server in the background, reads its port.
start() {
	name=$1
	shift
	"$@" </dev/null >"$W/$name.out" 2>"$W/$name.err" &
	eval "pid_$name=$!"
	pids="$pids $!"
}
for k in rsa ec; do
	start "ours1_$k" "$M" server run "$k" --listen tcp:127.0.0.1:0 --workers 1
	start "ours2_$k" "$M" server run "$k" --listen tcp:127.0.0.1:0 --workers 2
	start "oss_$k" openssl s_server -accept 127.0.0.1:0 -cert "$W/$k.pem" \
	    -key "$W/$k.key" -rev -num_tickets 1
done
servers="ours1 ours2 oss"
for k in rsa ec; do
	for s in $servers; do
		n=${s}_$k
		i=0
		while :; do
			case $s in
			oss) port=$(sed -n 's/^ACCEPT .*://p' "$W/$n.out" | head -1) ;;
			*) port=$(sed -n 's/^listening on .*://p' "$W/$n.out") ;;
			esac
			[ -n "$port" ] && break
			i=$((i + 1))
			[ $i -gt 300 ] && { cat "$W/$n.err" "$W/$n.out"; die "server $n did not start"; }
			sleep 0.1
		done
		eval "port_$n=$port"
	done
done

echo "== TLS handshakes under load: bench-hs, $CONC connections in flight, TLS $VER, x25519, AES-128-GCM"
bench_machine

# milliseconds of CPU per signature from a rate per CPU second
sign_ms() { awk -v r="$1" 'BEGIN { if (r == r + 0 && r > 0) printf "%.4f", 1000 / r; else print "-" }'; }
isnum() { awk -v a="$1" 'BEGIN { exit !(a == a + 0 && a > 0) }'; }

# ---- one signature's CPU time, ours and OpenSSL's ----
# sign_round K: measures it for key type K (rsa, ec) just before that
# round's runs on K, so that a machine whose load drifts during the bench
# sets each share against a signature timed beside it; sets sms_ours and
# sms_oss (ms) and appends them to $W/sign.{ours,oss}.K.
sign_round() {
	case $1 in
	rsa)
		ro=$(./bench/bench-sign 2>/dev/null | awk '/^rsa2048_sign_per_cpu_s/ {print $2}')
		rs=$(openssl speed -seconds 1 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}') ;;
	ec)
		ro=$(./bench/bench-sign ecdsa 2>/dev/null | awk '/^ecdsap256_sign_per_cpu_s/ {print $2}')
		rs=$(openssl speed -seconds 1 ecdsap256 2>/dev/null | awk '/bits ecdsa/ {print $(NF-1)}') ;;
	esac
	sms_ours=$(sign_ms "${ro:-}")
	sms_oss=$(sign_ms "${rs:-}")
	isnum "$sms_ours" && echo "$sms_ours" >>"$W/sign.ours.$1"
	isnum "$sms_oss" && echo "$sms_oss" >>"$W/sign.oss.$1"
}

# ---- the runs ----
# hs NAME MODE [SIGN_MS]: one bench-hs run against server NAME; appends
# hs/s, server and client CPU ms per handshake, the server's busy cores
# and (given SIGN_MS) the sign share to $W/NAME.MODE.{hs,srv,cli,busy,
# share}; sets last_hs and last_srv (empty when the run failed).
hs() {
	n=$1 mode=$2 sms=${3:-}
	last_hs='' last_srv=''
	port='' pid=''
	eval "port=\$port_$n pid=\$pid_$n"
	set --
	[ "$mode" = res ] && set -- -r
	if ! "$HS" "$@" -v "$VER" -c "$CONC" -t "$SECS" -p "$pid" "tcp:127.0.0.1:$port" \
	    "$W/root.pem" >"$W/hs.out" 2>"$W/hs.err"; then
		echo "hs-bench: $n $mode: no handshake completed:"
		tail -3 "$W/hs.err" | sed 's/^/    | /'
		return
	fi
	awk -v pre="$W/$n.$mode" -v want="$mode" -v sms="$sms" '
	    { v[$1] = $2 }
	    END {
		c = v["hs_count"]
		srv = 1000 * v["server_cpu_s"] / c
		printf "%.1f\n", v["hs_per_s"] >> (pre ".hs")
		printf "%.4f\n", srv >> (pre ".srv")
		printf "%.4f\n", 1000 * v["client_cpu_s"] / c >> (pre ".cli")
		printf "%.2f\n", v["server_cpu_s"] / v["hs_seconds"] >> (pre ".busy")
		if (sms == sms + 0 && sms > 0 && srv > 0)
			printf "%.3f\n", sms / srv >> (pre ".share")
		if (want == "res" && v["hs_resumed"] < c)
			printf "hs-bench: warning: %s: %d of %d handshakes resumed\n", pre, v["hs_resumed"], c
		if (want == "full" && v["hs_resumed"] > 0)
			printf "hs-bench: warning: %s: %d full handshakes resumed\n", pre, v["hs_resumed"]
		if (v["hs_failed"] > 0)
			printf "hs-bench: warning: %s: %d connections failed\n", pre, v["hs_failed"]
	    }' "$W/hs.out" | sed "s|$W/||"
	# shellcheck disable=SC2034  # read through eval by the caller
	last_hs=$(tail -1 "$W/$n.$mode.hs")
	# shellcheck disable=SC2034
	last_srv=$(tail -1 "$W/$n.$mode.srv")
}
# Each round: per key type, the signature timed, then every server full
# and resumed; the 1 -> 2 worker ratios are taken within the round (the
# two runs minutes apart would see a different machine) and their median
# reported.
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	for k in rsa ec; do
		sign_round $k
		for s in $servers; do
			if [ "$s" = oss ]; then sm=$sms_oss; else sm=$sms_ours; fi
			hs "${s}_$k" full "$sm"
			eval "hs_$s=\$last_hs srv_$s=\$last_srv"
			hs "${s}_$k" res
		done
		# shellcheck disable=SC2154
		if isnum "$hs_ours1" && isnum "$hs_ours2"; then
			# ratio prints no newline
			# shellcheck disable=SC2005
			echo "$(ratio "$hs_ours2" "$hs_ours1")" >>"$W/scale.wall.$k"
		fi
		# shellcheck disable=SC2154
		if isnum "$srv_ours1" && isnum "$srv_ours2"; then
			awk -v a="$srv_ours1" -v b="$srv_ours2" \
			    'BEGIN { printf "%.2f\n", 2 * a / b }' >>"$W/scale.cpu.$k"
		fi
	done
done
echo "one signature, CPU ms: RSA-2048 ours $(med3 "$W/sign.ours.rsa"), openssl $(med3 "$W/sign.oss.rsa");" \
    "P-256 ours $(med3 "$W/sign.ours.ec"), openssl $(med3 "$W/sign.oss.ec")"
echo "(bench/bench-sign per CPU second, median of 5, and openssl speed, per CPU"
echo " user second, each timed in every round beside the handshakes; medians)"

# ---- the table ----
label() {
	case $1 in
	ours1) echo "ours, 1 worker" ;;
	ours2) echo "ours, 2 workers" ;;
	oss) echo "openssl s_server" ;;
	esac
}
echo
echo "== TLS handshakes under load, ${SECS}s per run, median of $ROUNDS rounds"
row() { printf '%-6s %-17s %8s %9s %9s %6s %6s | %8s %9s %9s %6s\n' "$@"; }
row cert server "full" "srv" "cli" "srv" "sign" "resumed" "srv" "cli" "srv"
row "" "" "hs/s" "ms/hs" "ms/hs" "busy" "share" "hs/s" "ms/hs" "ms/hs" "busy"
for k in rsa ec; do
	case $k in rsa) kl=RSA ;; ec) kl=P-256 ;; esac
	for s in $servers; do
		n=${s}_$k
		row "$kl" "$(label "$s")" "$(med1 "$W/$n.full.hs")" \
		    "$(med3 "$W/$n.full.srv")" "$(med3 "$W/$n.full.cli")" \
		    "$(med2 "$W/$n.full.busy")" "$(med2 "$W/$n.full.share")" \
		    "$(med1 "$W/$n.res.hs")" "$(med3 "$W/$n.res.srv")" \
		    "$(med3 "$W/$n.res.cli")" "$(med2 "$W/$n.res.busy")"
	done
done
echo "(srv/cli ms/hs: CPU time of the server / of the load generator per handshake;"
echo " busy: server CPU seconds per wall second; sign share: one signature's CPU"
echo " time / srv ms per full handshake)"

# ceiling SRV1 CLI1 SRV2 CLI2 (CPU ms per handshake, 1 and 2 workers):
# hs/s is bounded by the workers' cores (W / srv) and by the machine's
# cores, which the generator shares (NCPU / (srv + cli)).
NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
ceiling() {
	awk -v s1="$1" -v c1="$2" -v s2="$3" -v c2="$4" -v n="$NCPU" '
	    function min(a, b) { return a < b ? a : b }
	    BEGIN {
		if (!(s1 > 0 && s2 > 0 && c1 == c1 + 0 && c2 == c2 + 0)) { print "-"; exit }
		w1 = min(1, n); w2 = min(2, n)
		printf "%.2f", min(w2 / s2, n / (s2 + c2)) / min(w1 / s1, n / (s1 + c1))
	    }'
}
echo
for k in rsa ec; do
	case $k in rsa) kl=RSA-2048 ;; ec) kl=P-256 ;; esac
	o1=$(med "$W/ours1_$k.full.srv")
	o2=$(med "$W/ours2_$k.full.srv")
	os=$(med "$W/oss_$k.full.srv")
	r1=$(med "$W/ours1_$k.res.srv")
	rs=$(med "$W/oss_$k.res.srv")
	echo "$kl: server CPU per handshake, openssl/ours (above 1: ours is cheaper):" \
	    "full $(ratio "$os" "$o1"), resumed $(ratio "$rs" "$r1")"
	echo "$kl: full hs/s ours 1 worker / openssl: $(ratio "$(med "$W/ours1_$k.full.hs")" "$(med "$W/oss_$k.full.hs")")," \
	    "2 workers / openssl: $(ratio "$(med "$W/ours2_$k.full.hs")" "$(med "$W/oss_$k.full.hs")")"
	if [ $k = rsa ]; then
		echo "$kl: signature share of a full handshake's server CPU, ours 1 worker:" \
		    "$(med2 "$W/ours1_$k.full.share") (target >= 0.85; 2 workers" \
		    "$(med2 "$W/ours2_$k.full.share"))"
	fi
	echo "$kl: scaling 1 -> 2 workers, full handshakes: wall $(med2 "$W/scale.wall.$k")" \
	    "(ceiling here $(ceiling "$o1" "$(med "$W/ours1_$k.full.cli")" "$o2" "$(med "$W/ours2_$k.full.cli")")," \
	    "busy $(med2 "$W/ours1_$k.full.busy") -> $(med2 "$W/ours2_$k.full.busy") cores)," \
	    "per CPU $(med2 "$W/scale.cpu.$k") (target >= 1.7)"
done
echo "(scaling: medians of the ratios within each round; ceiling: the most the wall"
echo " ratio can be on $NCPU cores shared with the load generator and nobody else:"
echo " min(W/srv, $NCPU/(srv+cli)) for W workers, 2 over 1, from the medians)"
