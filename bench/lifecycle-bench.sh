#!/bin/sh
# lifecycle-bench.sh — the CA database at scale: for each size N (one CA
# holding N certificates, min(N, 100000) of them revoked) the time to open
# the CA, list the revoked ones, look one up by serial, issue one more,
# generate and sign the CRL of 100,000 revoked entries (N >= 100000; and
# `openssl crl -verify` must accept it), memory per certificate, and
# `openssl ca` issuing one certificate with an index.txt of the same size.
#
# The database is written directly by python3 (records with their
# checksums; the certificates are placeholders, which these operations do
# not read) so that it takes seconds, not hours; index.txt likewise.
# Times are medians of BENCH_ROUNDS runs (default 3) of the whole command
# (process start, CA keystore load, database open); "issue" includes
# unlocking the CA key (PBKDF2), which costs the same at every size, and
# opens the database for appending only (the serial index certs.idx and
# the records after it, not the certificates: the same at every size).
# "first open" is the first command after the database was written: no
# snapshot yet, every record read and hashed, the snapshot written.
# Bytes per certificate: peak RSS (ru_maxrss) of `ca list --status
# superseded` (opens the CA, prints nothing) at N minus the same on the
# empty CA, divided by N (N >= 10000 only). It counts everything the
# process holds for the database: the certificate structs, their strings,
# the serial index, the read window.
#
# Usage: sh bench/lifecycle-bench.sh [N ...]
#   sizes: the arguments, else $BENCH_SIZES, else "100 1000 100000 1000000"
#   MINIPKI: the binary; BENCH_ROUNDS: rounds per measurement
M=${MINIPKI:-$(pwd)/minipki-tui}
SIZES=${*:-${BENCH_SIZES:-100 1000 100000 1000000}}
ROUNDS=${BENCH_ROUNDS:-3}
REVOKED_MAX=100000
command -v python3 >/dev/null 2>&1 || { echo "python3 not found"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
top=$(pwd)
# shellcheck source=bench/benchlib.sh
. "$top/bench/benchlib.sh"
w=$top/tests/work/lifecycle-bench.$$
rm -rf "$w"
mkdir -p "$w" && cd "$w" || exit 1
trap 'cd / && rm -rf "$w"' EXIT
MINIPKI_PASSPHRASE=bench-pass
export MINIPKI_PASSPHRASE

# run.py ROUNDS CMD...: runs CMD ROUNDS times (output to /dev/null);
# prints the median wall time in seconds and the largest peak RSS in KiB.
# A failing run prints its stderr and "FAILED".
cat >run.py <<'EOF'
import resource, subprocess, sys, time
rounds, cmd = int(sys.argv[1]), sys.argv[2:]
ts, rss = [], 0
for _ in range(rounds):
    t = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ts.append(time.monotonic() - t)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors="replace"))
        print("FAILED 0")
        sys.exit(0)
    # ru_maxrss of children is the largest of any child so far: one
    # process per run.py keeps it to this command.
    rss = max(rss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
ts.sort()
print("%.4f %d" % (ts[len(ts) // 2], rss))
EOF
# gen.py N NREV CERTS INDEX PEM: appends N issue records and NREV
# revocations to certs.yaml, and writes the same certificates as an
# OpenSSL index.txt. The certificate looked up (N/2) is a real one (PEM).
cat >gen.py <<'EOF'
import hashlib, sys
n, nrev, path, index = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
real = "".join(l.strip() for l in open(sys.argv[5]) if not l.startswith("-----"))
out = open(path, "a")
idx = open(index, "w")
def rec(body):
    r = "---\n" + body
    out.write(r + "sum: " + hashlib.sha256(r.encode()).hexdigest() + "\n...\n")
for i in range(n):
    s = "%032x" % (0x1000 + i)
    rec('type: issue\nserial: "%s"\nsubject: "CN=host%d.example"\n'
        'issuer: "CN=Bench CA"\nnot_before: 2026-01-01T00:00:00Z\n'
        'not_after: 2036-01-01T00:00:00Z\nissued_at: 2026-01-01T00:00:00Z\n'
        'profile: server\nstatus: valid\ncert: %s\n'
        % (s, i, real if i == n // 2 else "MAA="))
    if i < nrev:
        idx.write("R\t360101000000Z\t260201000000Z,keyCompromise\t%s\tunknown\t/CN=host%d.example\n" % (s.upper(), i))
    else:
        idx.write("V\t360101000000Z\t\t%s\tunknown\t/CN=host%d.example\n" % (s.upper(), i))
for i in range(nrev):
    s = "%032x" % (0x1000 + i)
    rec('type: revoke\nserial: "%s"\nrevoked_at: 2026-02-01T00:00:00Z\n'
        'reason: keyCompromise\n' % s)
EOF

# One CSR for every issuance, ours and OpenSSL's.
MINIPKI_DIR=$w/keys "$M" key new e >/dev/null &&
    MINIPKI_DIR=$w/keys "$M" csr new e --subject CN=e.example --out e.csr ||
    exit 1

# OpenSSL's CA, the classic way; index.txt is replaced for each size.
O=$w/openssl-ca
bench_openssl_ca "$O" "/CN=OpenSSL Bench CA"

m() { python3 run.py "$@"; }
sec() { echo "$1" | cut -d' ' -f1; }
kib() { echo "$1" | cut -d' ' -f2; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }

printf '%-9s %8s %9s %7s %7s %7s %7s %7s %9s %9s %6s\n' certs first_s \
    open_s list_s show_s issue_s crl_s B/cert osslca_s 'ours/ossl' crl_ok
for n in $SIZES; do
	case $n in ''|*[!0-9]*) echo "bad size '$n'"; continue ;; esac
	nrev=$n
	[ "$nrev" -gt $REVOKED_MAX ] && nrev=$REVOKED_MAX
	MINIPKI_DIR=$w/ws-$n
	export MINIPKI_DIR
	"$M" ca init b --subject "CN=Bench CA" --bits 2048 >/dev/null || exit 1
	"$M" export b --cert >ca-$n.pem
	base=$(m 1 "$M" ca list --ca b --status superseded)
	python3 gen.py "$n" "$nrev" "$MINIPKI_DIR/ca/b/certs.yaml" \
	    "$O/index.txt" ca-$n.pem || exit 1
	echo 0F000000 >"$O/serial"
	first=$(m 1 "$M" ca list --ca b --status superseded)
	open=$(m "$ROUNDS" "$M" ca list --ca b --status superseded)
	list=$(m "$ROUNDS" "$M" ca list --ca b --status revoked --format csv)
	show=$(m "$ROUNDS" "$M" ca show --ca b "$(printf '%032x' $((0x1000 + n / 2)))")
	issue=$(m "$ROUNDS" "$M" ca issue --ca b --csr e.csr --out e.pem)
	crl=- ok=-
	if [ "$n" -ge $REVOKED_MAX ]; then
		crl=$(sec "$(m "$ROUNDS" "$M" ca crl --ca b --out crl-$n.pem)")
		openssl crl -in crl-$n.pem -CAfile ca-$n.pem -noout -verify 2>&1 |
		    grep -q "verify OK" && ok=yes || ok=NO
	fi
	# Below 10,000 certificates the difference drowns in the noise.
	bpc=-
	[ "$n" -ge 10000 ] && bpc=$(awk -v a="$(kib "$open")" \
	    -v b="$(kib "$base")" -v n="$n" \
	    'BEGIN { printf "%d", (a - b) * 1024 / n }')
	ossl=$(m "$ROUNDS" openssl ca -batch -config "$O/ca.cnf" -notext \
	    -in e.csr -out "$w/ossl.pem")
	printf '%-9s %8s %9s %7s %7s %7s %7s %7s %9s %9s %6s\n' "$n" \
	    "$(sec "$first")" "$(sec "$open")" "$(sec "$list")" \
	    "$(sec "$show")" "$(sec "$issue")" "$crl" "$bpc" "$(sec "$ossl")" \
	    "$(ratio "$(sec "$issue")" "$(sec "$ossl")")" "$ok"
	rm -rf "$MINIPKI_DIR" "$O/new"/* crl-$n.pem
done
echo "(seconds, medians of $ROUNDS; open = ca list --status superseded," \
    "list = --status revoked; issue includes the PBKDF2 unlock of the CA" \
    "key; crl = 100,000 revoked entries; osslca = openssl ca issuing one" \
    "with an index.txt of the same size; crl_ok = openssl crl -verify)"
