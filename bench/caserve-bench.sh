#!/bin/sh
# bench/caserve-bench.sh — the CA as a network service: enrollments per
# second through `ca serve` as a share of our raw RSA-2048 signature rate
# (bench/bench-sign) measured in the same round, and OCSP responses per
# second beside `openssl ocsp` as a responder on the same certificates. Not
# a test: nothing here fails on a slow number.
#
# Enrollment: C concurrent clients (1, 10, 100 over loopback TCP; 10 over
# the Unix socket), each one curl process that sends its share of
# BENCH_ENROLL requests to /.well-known/est/simpleenroll over one
# keep-alive TLS connection (curl reuses the connection for every URL of
# one invocation: one handshake per client, not per enrollment; curl's
# start-up is paid once per client). The request is made once before any
# timing (one key, one PKCS#10 request: the CA issues it again and again,
# each time with a fresh serial); one token (`ca token new --uses N`)
# covers every round. The rate is 200 answers / wall-clock time; the share
# is that rate over bench-sign's rate taken just before, in the same round.
# The service is single-threaded: its CPU time (from /proc) over the wall
# time is the cores it used (at most 1); the curl clients run on the other
# core of a 2-core machine. "per CPU s" divides the answers by the
# service's own CPU seconds, over bench-sign's signatures per second of its
# own CPU time: the share with one core busy, which stays meaningful on a
# shared machine where both get a fraction of a core. The
# enrollments that arrive together are issued as one batch: one CA lock
# (the service keeps its database handle and reads only what others
# appended) and one fdatasync of the batch journal's record (what the
# batch added to the database, the enrollment store and the audit log:
# store/journal.h) before any is answered; the three files are synced
# every 64 batches. With one client every enrollment is a batch of one
# (one sync each); a busy disk lowers "cores" and enroll/s, not much "per
# CPU s" (the kernel's writeback of the files runs in its own threads,
# outside the service's CPU time).
#
# OCSP: BENCH_OCSP_CLIENTS (4) curl processes POST pre-made OCSP requests
# (openssl ocsp -reqout, no nonce) for BENCH_OCSP (2000) responses in all,
# to three responders on the same CA key, certificates and serials:
# ours over plain HTTP with keep-alive, ours with "Connection: close" (one
# request per connection, as openssl's responder serves), and `openssl ocsp
# -index index.txt -port 0 -rsigner ca.pem -rkey ca.key -CA ca.pem`, whose
# index.txt lists the same serials. openssl's responder closes after each
# answer, so the like-with-like ratio is ours one-per-connection over
# openssl; the keep-alive figure shows what a client gets that reuses its
# connection. openssl signs every response; ours keeps the signed answer
# to a request without a nonce (caserve-ocsp.c), so the 8 requests are
# signed once per round or database change.
#
# Environment: MINIPKI (the binary), BENCH_ROUNDS (3), BENCH_ENROLL
# (500), BENCH_OCSP (2000), BENCH_OCSP_CLIENTS (4). Runs alone:
# sh bench/caserve-bench.sh
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
M=${MINIPKI:-$top/minipki-tui}
ROUNDS=${BENCH_ROUNDS:-3}
NENR=${BENCH_ENROLL:-500}
NOCSP=${BENCH_OCSP:-2000}
OCLI=${BENCH_OCSP_CLIENTS:-4}
SIGN=$top/bench/bench-sign

for t in curl openssl; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "caserve-bench: skipped: $t is not installed"
		exit 0
	fi
done
[ -x "$M" ] || { echo "caserve-bench: no $M (run make)"; exit 1; }
[ -x "$SIGN" ] || { echo "caserve-bench: no $SIGN (run make)"; exit 1; }

# shellcheck source=bench/benchlib.sh
. bench/benchlib.sh
bench_work caserve
cd "$W" || exit 1
export MINIPKI_DIR="$W/pki" MINIPKI_PASSPHRASE="bench passphrase"

# signrates: bench-sign's rate per second of wall time and per second of
# its own CPU time (the rate with a core to itself).
signrates() { "$SIGN" | awk '/^rsa2048_sign_per_s/ {w = $2} /^rsa2048_sign_per_cpu_s/ {c = $2} END {print w, c}'; }
# count200 FILES...: the 200 answers curl reported (-w to stderr).
count200() { cat "$@" | grep -c '^200$'; }

"$M" ca init --subject "CN=Serve Bench Root" --bits 2048 >/dev/null 2>&1 ||
    { echo "caserve-bench: ca init failed"; exit 1; }
"$M" export ca --cert --out ca.pem >/dev/null 2>&1 &&
    "$M" export ca --key --no-encrypt --out ca.key >/dev/null 2>&1 ||
    { echo "caserve-bench: export failed"; exit 1; }
openssl req -newkey rsa:2048 -nodes -keyout leaf.key -subj /CN=leaf.bench.example \
    -outform DER -out leaf.der 2>/dev/null && base64 leaf.der >leaf.b64 ||
    { echo "caserve-bench: openssl req failed"; exit 1; }
# Enough uses for every round and level, the OCSP certificates and a margin.
uses=$(( (ROUNDS * 4 + 1) * (NENR + 200) ))
tok=$("$M" ca token new --uses $uses 2>/dev/null)
[ -n "$tok" ] || { echo "caserve-bench: ca token new failed"; exit 1; }

# The service, its log in a file; a bounded life (timeout) besides the trap.
timeout 1800 "$M" ca serve --listen tcp:127.0.0.1:0 --http-listen tcp:127.0.0.1:0 \
    --listen unix:"$W/serve.sock" >serve.out 2>serve.err &
spid=$!
pids="$pids $spid"
i=0
while [ "$(grep -c '^listening on ' serve.out 2>/dev/null)" != 3 ]; do
	i=$((i + 1))
	[ $i -gt 300 ] && { echo "caserve-bench: ca serve did not start"; cat serve.out serve.err; exit 1; }
	sleep 0.1
done
pid=$(pgrep -P "$spid" | head -n 1)
[ -n "$pid" ] || { echo "caserve-bench: no ca serve process under $spid"; exit 1; }
tport=$(grep '^listening on tcp' serve.out | sed -n 1p | sed 's/.*://')
hport=$(grep '^listening on tcp' serve.out | sed -n 2p | sed 's/.*://')
EST=https://127.0.0.1:$tport/.well-known/est/simpleenroll
bench_machine

# urls N URL: a curl config with URL N times (one invocation, one connection).
urls() { j=0; while [ $j -lt "$1" ]; do echo "url = \"$2\""; j=$((j + 1)); done; }

# enroll C TRANSPORT: one timed run of C clients sharing NENR enrollments;
# appends "rate cores percpu" to enr.C.TRANSPORT.
enroll() {
	c=$1 tr=$2 per=$(( (NENR + $1 - 1) / $1 ))
	set --
	[ "$tr" = unix ] && set -- --unix-socket "$W/serve.sock"
	urls $per "$EST" >cfg.enr
	rm -f enr.*.err
	t0=$(ticks "$pid"); a=$(now)
	k=0; jobs=
	while [ $k -lt "$c" ]; do
		curl -s --max-time 300 --cacert ca.pem -u "bench:$tok" \
		    -H 'Content-Type: application/pkcs10' --data-binary @leaf.b64 \
		    -o /dev/null -w '%{stderr}%{http_code}\n' "$@" -K cfg.enr \
		    >/dev/null 2>enr.$k.err &
		jobs="$jobs $!"
		k=$((k + 1))
	done
	for j in $jobs; do wait "$j"; done
	b=$(now); t1=$(ticks "$pid")
	n=$(count200 enr.*.err)
	[ "$n" -eq $((c * per)) ] || echo "  note: $n of $((c * per)) enrollments answered 200 ($c clients, $tr)"
	awk -v n="$n" -v a="$a" -v b="$b" -v t="$((t1 - t0))" -v hz="$HZ" -v s="$sign" -v sc="$signcpu" 'BEGIN {
		w = b - a; cpu = t / hz
		printf "%.1f %.2f %.1f %.2f %.2f\n", n / w, cpu / w, (cpu > 0 ? n / cpu : 0), n / w / s, (cpu > 0 && sc > 0 ? n / cpu / sc : 0)
	}' >>"enr.$c.$tr"
}

echo "== Enrollments through ca serve (EST over keep-alive TLS, $NENR per run, RSA-2048)"
: >sign.rounds
: >signcpu.rounds
for r in $(seq "$ROUNDS"); do
	set -- $(signrates)
	sign=$1 signcpu=${2:-0}
	echo "$sign" >>sign.rounds
	echo "$signcpu" >>signcpu.rounds
	for lv in "1 tcp" "10 tcp" "100 tcp" "10 unix"; do
		# shellcheck disable=SC2086
		enroll $lv
	done
done
printf '%-16s %10s %8s %12s %10s %12s\n' clients enroll/s cores "per CPU s" "/sign" "/sign CPU"
for lv in "1 tcp" "10 tcp" "100 tcp" "10 unix"; do
	f="enr.$(echo "$lv" | tr ' ' .)"
	col() { awk -v k="$1" '{print $k}' "$f" | median; }
	printf '%-16s %10s %8s %12s %10s %12s\n' "$lv" "$(col 1)" "$(col 2)" "$(col 3)" "$(col 4)" "$(col 5)"
done
echo "rounds (enroll/s cores per-CPU-s /sign /sign-CPU), the database growing:"
for lv in "1 tcp" "10 tcp" "100 tcp" "10 unix"; do
	echo "  $lv: $(tr '\n' '|' <"enr.$(echo "$lv" | tr ' ' .)")"
done
echo "(certificates in the database at the end: $(grep -c 'simpleenroll 200' serve.err))"
echo "(medians of $ROUNDS rounds; raw RSA-2048 sign rate (bench-sign) median $(med sign.rounds)/s"
echo " of wall time, $(med signcpu.rounds)/s of its CPU time;"
echo " /sign: enroll/s over the wall sign rate of the same round; cores: the"
echo " service's CPU time over wall time (single-threaded: at most 1); /sign CPU:"
echo " enrollments per service CPU second over signatures per bench-sign CPU"
echo " second: the share with one core busy, target >= 0.80, which a loaded"
echo " machine does not skew as it skews /sign)"

echo
echo "== OCSP responses: ca serve /ocsp vs openssl ocsp (same CA key and serials)"
# Certificates to ask about: 8 enrolled through the service.
# One subject for all eight: index.txt.attr lets openssl load that.
: >index.txt
echo 'unique_subject = no' >index.txt.attr
k=0
while [ $k -lt 8 ]; do
	curl -s --cacert ca.pem -u "bench:$tok" -H 'Content-Type: application/pkcs10' \
	    --data-binary @leaf.b64 -o c$k.b64 "$EST" &&
	    base64 -d c$k.b64 | openssl pkcs7 -inform DER -print_certs 2>/dev/null |
	    openssl x509 -out c$k.pem 2>/dev/null &&
	    openssl ocsp -issuer ca.pem -cert c$k.pem -no_nonce -reqout q$k.der >/dev/null 2>&1 ||
	    { echo "caserve-bench: could not make certificate $k"; exit 1; }
	ser=$(openssl x509 -in c$k.pem -noout -serial | sed 's/.*=//')
	printf 'V\t%s\t\t%s\tunknown\t%s\n' 491231235959Z "$ser" /CN=leaf.bench.example >>index.txt
	k=$((k + 1))
done
timeout 1800 openssl ocsp -index index.txt -port 0 -rsigner ca.pem -rkey ca.key \
    -CA ca.pem >ossl.out 2>&1 &
opid=$!
pids="$pids $opid"
i=0
while ! grep -q '^ACCEPT' ossl.out 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "caserve-bench: openssl ocsp did not start"; cat ossl.out; exit 1; }
	sleep 0.1
done
ospid=$(pgrep -P "$opid" | head -n 1)
oport=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\) .*/\1/p' ossl.out)
for u in "http://127.0.0.1:$hport/ocsp" "http://127.0.0.1:$oport/"; do
	st=$(openssl ocsp -issuer ca.pem -cert c0.pem -CAfile ca.pem -url "$u" 2>&1 | grep 'c0.pem:')
	echo "  $u: ${st:-no answer}"
	[ -n "$st" ] || cat ossl.out
done

# ocsp NAME PID URL [HEADER]: one timed run of OCLI clients, NOCSP requests in
# all, cycling through the 8, with HEADER besides the content type; appends
# "rate cores" (the responder PID's CPU time over wall time) to ocsp.NAME.
# Options after "next" in a curl config start afresh, so each URL's block
# carries its own.
ocsp() {
	name=$1 rp=$2 u=$3 h=${4:-}
	per=$(( (NOCSP + OCLI - 1) / OCLI ))
	rm -f ocsp.*.err
	k=0; jobs=
	while [ $k -lt "$OCLI" ]; do
		j=0
		while [ $j -lt $per ]; do
			printf 'url = "%s"\ndata-binary = "@q%d.der"\n' "$u" $(( (j + k) % 8 ))
			echo 'header = "Content-Type: application/ocsp-request"'
			echo 'output = "/dev/null"'
			echo silent
			printf '%s\n' 'write-out = "%{stderr}%{http_code}\n"'
			[ -n "$h" ] && echo "header = \"$h\""
			j=$((j + 1))
			[ $j -lt $per ] && echo next
		done >cfg.ocsp.$k
		k=$((k + 1))
	done
	t0=$(ticks "$rp"); a=$(now)
	k=0
	while [ $k -lt "$OCLI" ]; do
		curl -s --max-time 300 -K cfg.ocsp.$k >/dev/null 2>ocsp.$k.err &
		jobs="$jobs $!"
		k=$((k + 1))
	done
	for j in $jobs; do wait "$j"; done
	b=$(now); t1=$(ticks "$rp")
	n=$(count200 ocsp.*.err)
	[ "$n" -eq $((OCLI * per)) ] || echo "  note: $n of $((OCLI * per)) OCSP answers 200 ($name)"
	awk -v n="$n" -v a="$a" -v b="$b" -v t="$((t1 - t0))" -v hz="$HZ" \
	    'BEGIN { printf "%.1f %.2f\n", n / (b - a), t / hz / (b - a) }' >>"ocsp.$name"
}
for r in $(seq "$ROUNDS"); do
	ocsp keepalive "$pid" "http://127.0.0.1:$hport/ocsp"
	ocsp close "$pid" "http://127.0.0.1:$hport/ocsp" "Connection: close"
	ocsp openssl "${ospid:-$opid}" "http://127.0.0.1:$oport/"
done
ocol() { awk -v k="$1" '{print $k}' "ocsp.$2" | median; }
ka=$(ocol 1 keepalive) cl=$(ocol 1 close) os=$(ocol 1 openssl)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }
echo "ours, keep-alive:              $ka responses/s, $(ocol 2 keepalive) cores (medians of $ROUNDS)"
echo "ours, one per connection:      $cl responses/s, $(ocol 2 close) cores"
echo "openssl ocsp (one per conn.):  $os responses/s, $(ocol 2 openssl) cores"
echo "ratio ours/openssl, like with like (one per connection): $(ratio "$cl" "$os");"
echo "  ours keep-alive/openssl: $(ratio "$ka" "$os") ($OCLI curl clients, $NOCSP requests per run)"
# Per CPU second of each responder (rate over cores, per round, median):
# what a loaded machine does not skew, as for the enrollments.
pcpu() { awk '{ if ($2 > 0) print $1 / $2 }' "ocsp.$1" | median; }
kc=$(pcpu keepalive) cc=$(pcpu close) oc=$(pcpu openssl)
echo "per responder CPU second: ours keep-alive $kc, one per connection $cc, openssl $oc;"
echo "  ratio ours/openssl per CPU (one per connection): $(ratio "$cc" "$oc"), keep-alive: $(ratio "$kc" "$oc")"
echo "  (the requests carry no nonce: ours answers a request it answered in the"
echo "  last 60 s, the database unchanged, with the signed answer it kept;"
echo "  a request with a nonce is signed afresh every time)"
