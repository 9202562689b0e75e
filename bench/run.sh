#!/bin/sh
# bench/run.sh — `make bench`: our numbers beside OpenSSL's, measured in the
# same run on the same machine, reported as ratios (medians of several
# rounds; machines are shared and noisy). Not a test: nothing here fails on
# a slow number.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
M="$top/minipki-tui"
W="$top/bench/work"
rm -rf "$W"; mkdir -p "$W"
export MINIPKI_DIR="$W/pki" MINIPKI_PASSPHRASE="bench passphrase"
ROUNDS=${BENCH_ROUNDS:-3}
BATCH=${BENCH_BATCH:-1000}

# shellcheck source=bench/benchlib.sh
. bench/benchlib.sh
# run.sh's own ratio: "nan" when b is not above 0
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }

# `openssl speed` divides by the CPU user time it used, not by wall time:
# our rates beside it are bench-sign's per CPU second too (user + system),
# so that the neighbours on a shared machine move neither.
echo "== RSA-2048 PKCS#1 v1.5 SHA-256 signatures per CPU second"
ours=$(./bench/bench-sign | awk '/^rsa2048_sign_per_cpu_s/ {print $2}')
theirs=$(for i in $(seq "$ROUNDS"); do
	openssl speed -seconds 1 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}'
done | median)
echo "ours:    $ours sign/s (median of 5, bench-sign per CPU second)"
echo "openssl: $theirs sign/s (median of $ROUNDS, openssl speed: per CPU user second)"
echo "ratio ours/openssl: $(ratio "$ours" "$theirs")"

echo
echo "== ECDSA P-256 (SHA-256) signatures and verifications per CPU second"
./bench/bench-sign ecdsa > "$W/ecdsa.out"
ours_s=$(awk '/^ecdsap256_sign_per_cpu_s/ {print $2}' "$W/ecdsa.out")
ours_v=$(awk '/^ecdsap256_verify_per_cpu_s/ {print $2}' "$W/ecdsa.out")
for i in $(seq "$ROUNDS"); do
	openssl speed -seconds 1 ecdsap256 2>/dev/null | awk '/bits ecdsa/ {print $(NF-1), $NF}'
done > "$W/ecdsa.openssl"
theirs_s=$(awk '{print $1}' "$W/ecdsa.openssl" | median)
theirs_v=$(awk '{print $2}' "$W/ecdsa.openssl" | median)
echo "ours:    $ours_s sign/s, $ours_v verify/s (median of 5, bench-sign per CPU second)"
echo "openssl: $theirs_s sign/s, $theirs_v verify/s (median of $ROUNDS, openssl speed ecdsap256: per CPU user second)"
echo "ratio ours/openssl: sign $(ratio "$ours_s" "$theirs_s"), verify $(ratio "$ours_v" "$theirs_v")"

echo
echo "== Batch issuance of $BATCH certificates in one process"
"$M" ca init bench --subject "CN=Bench Root" --bits 2048 >/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$W/leaf.key" 2>/dev/null
mkdir -p "$W/csr"
i=0; args=""
while [ $i -lt "$BATCH" ]; do
	openssl req -new -key "$W/leaf.key" -subj "/CN=leaf$i.bench.example" -out "$W/csr/$i.csr"
	args="$args --csr $W/csr/$i.csr"
	i=$((i + 1))
done
# Each round measures our raw signature rate, one process issuing one
# certificate and one issuing the batch, back to back, so that a busy
# machine slows all three alike; the share is taken per round and the
# median reported. The whole-process rate includes the fixed cost of the
# run (unlocking the CA key: PBKDF2 with 600,000 iterations, opening the
# database); the marginal rate (BATCH-1)/(t_batch - t_one) leaves it out
# and is what the 0.80 target is about: the cost of each certificate
# beyond its signature.
#
# Both cores (issue 12): `ca issue` signs a batch with a pool of signers
# where it has one; then the batch's rate is set against twice our
# single-core rate (bench-sign's signatures per CPU second: a core to
# itself), target 0.85. When `ca issue` has an option for the number of
# signers (--signers, --workers or --jobs in its help) it gets 2;
# otherwise it signs as it does by default, and without a pool the share
# shows about 0.5. The batch's CPU time (GNU time, the process and its
# children) over its wall time shows how many cores it kept busy: on a
# shared machine a share under target with both cores busy is the
# neighbours' doing, one core busy is ours. Certificates per CPU second
# over signatures per CPU second (the unlock included) is what each
# certificate costs beyond its signature, whatever the load: the share on
# an idle machine is about that times busy / 2.
sopt=$("$M" ca issue --help 2>&1 | grep -oE -- '--(signers|workers|jobs) N' | head -1 | cut -d' ' -f1)
if [ -n "$sopt" ]; then signers="2 signers ($sopt 2)"; else signers="signers: ca issue's default"; fi
TIMER=
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e' -o /dev/null true 2>/dev/null; then
	TIMER=/usr/bin/time
fi
: > "$W/rounds"
for r in $(seq "$ROUNDS"); do
	./bench/bench-sign > "$W/sign.out"
	sign=$(awk '/^rsa2048_sign_per_s/ {print $2}' "$W/sign.out")
	signcpu=$(awk '/^rsa2048_sign_per_cpu_s/ {print $2}' "$W/sign.out")
	a=$(now); "$M" ca issue --ca bench --profile server --csr "$W/csr/0.csr" --out "$W/one.pem" >/dev/null; b=$(now)
	echo "0 0 0" > "$W/batch.time"
	# shellcheck disable=SC2086
	if [ -n "$TIMER" ]; then
		"$TIMER" -f '%e %U %S' -o "$W/batch.time" \
		    "$M" ca issue --ca bench --profile server ${sopt:+$sopt 2} $args --out "$W/batch.pem" >/dev/null
	else
		"$M" ca issue --ca bench --profile server ${sopt:+$sopt 2} $args --out "$W/batch.pem" >/dev/null
	fi
	c=$(now)
	cpu=$(awk '{print $2 + $3}' "$W/batch.time")
	awk -v n="$BATCH" -v s="$sign" -v sc="$signcpu" -v cpu="$cpu" -v a="$a" -v b="$b" -v c="$c" 'BEGIN {
		one = b - a; batch = c - b
		whole = n / batch; marg = (batch > one) ? (n - 1) / (batch - one) : 0
		printf "%.1f %.3f %.1f %.1f %.2f %.2f %.1f %.2f %.2f %.2f %.2f\n", s, batch, whole, marg, whole / s, marg / s,
		    sc, (sc > 0) ? whole / (2 * sc) : 0, (sc > 0) ? marg / (2 * sc) : 0, cpu / batch,
		    (cpu > 0 && sc > 0) ? n / cpu / sc : 0
	}' >> "$W/rounds"
done
col() { awk -v k="$1" '{print $k}' "$W/rounds" | median; }
echo "rounds (sign/s, batch s, whole cert/s, marginal cert/s, shares, sign/CPU s, shares of 2x, busy cores, cert/sign per CPU s):"
sed 's/^/  /' "$W/rounds"
echo "ours: $BATCH certificates in $(col 2)s = $(col 3) cert/s (median, whole process)"
echo "marginal rate: $(col 4) cert/s (median; without the fixed unlock + open)"
echo "share of our raw signature rate: whole process $(col 5), marginal $(col 6) (target >= 0.80)"
echo "batch issuance, $signers, share of 2x single-core sign rate ($(col 7) sign per CPU s):" \
    "marginal $(col 9) (target >= 0.85), whole process $(col 8); cores busy $( [ -n "$TIMER" ] && col 10 || echo '-')," \
    "certificates per CPU second / signatures per CPU second $( [ -n "$TIMER" ] && col 11 || echo '-')"

echo
echo "== One issuance per process: minipki-tui ca issue vs openssl ca"
cp "$W/csr/0.csr" "$W/one.csr"
ourt=$(for i in $(seq "$ROUNDS"); do
	a=$(now); "$M" ca issue --ca bench --csr "$W/one.csr" --out /dev/null >/dev/null; b=$(now)
	awk -v a="$a" -v b="$b" 'BEGIN {print b - a}'
done | median)
# An openssl ca with an index.txt, the classic way.
O="$W/openssl-ca"
bench_openssl_ca "$O" "/CN=OpenSSL Bench Root" "copy_extensions = copy"
: > "$O/index.txt"; echo 01 > "$O/serial"
theirt=$(for i in $(seq "$ROUNDS"); do
	a=$(now); openssl ca -batch -config "$O/ca.cnf" -in "$W/one.csr" -out /dev/null 2>/dev/null; b=$(now)
	awk -v a="$a" -v b="$b" 'BEGIN {print b - a}'
done | median)
echo "ours:    ${ourt}s per process (median; includes unlocking the CA key: PBKDF2, 600000 iterations)"
echo "openssl: ${theirt}s per process (median; its CA key is stored unencrypted)"
echo "ratio ours/openssl: $(ratio "$ourt" "$theirt")"
rm -rf "$W"

echo
echo "== The CA database at scale (bench/lifecycle-bench.sh)"
MINIPKI="$M" sh bench/lifecycle-bench.sh "${BENCH_DB:-100000}" || echo "(skipped or failed: see above)"

echo
echo "== The interface over a large CA (bench/bench-tui.sh)"
MINIPKI="$M" sh bench/bench-tui.sh "${BENCH_DB:-100000}" || echo "(skipped or failed: see above)"

echo
echo "== TLS handshakes and bulk transfer (bench/tls-bench.sh)"
MINIPKI="$M" sh bench/tls-bench.sh || echo "(failed: see above)"

echo
echo "== TLS handshakes under concurrent load, RSA and P-256, 1 and 2 workers (bench/hs-bench.sh)"
MINIPKI="$M" sh bench/hs-bench.sh || echo "(failed: see above)"

echo
echo "== The CA as a network service: enrollment and OCSP (bench/caserve-bench.sh)"
MINIPKI="$M" sh bench/caserve-bench.sh || echo "(failed: see above)"
