#!/bin/sh
# lifecycle-bench.sh — a CA database of N certificates (default 100000),
# every one revoked: time to open and list the revoked ones, look one up,
# issue one more, and generate and sign the CRL of N entries (which
# `openssl crl -verify` must accept). The database is written directly
# (records with their checksums; the certificates are placeholders, which
# these operations do not read) so that it takes seconds, not hours.
# Usage: sh bench/lifecycle-bench.sh [N]   (MINIPKI: the binary)
N=${1:-100000}
M=${MINIPKI:-$(pwd)/minipki-tui}
command -v python3 >/dev/null 2>&1 || { echo "python3 not found"; exit 77; }
command -v openssl >/dev/null 2>&1 || { echo "openssl not found"; exit 77; }
w=$(pwd)/tests/work/lifecycle-bench
rm -rf "$w"
mkdir -p "$w" && cd "$w" || exit 1
MINIPKI_DIR="$w/ws" MINIPKI_PASSPHRASE=bench-pass
export MINIPKI_DIR MINIPKI_PASSPHRASE

"$M" ca init b --subject "CN=Bench CA" --bits 2048 >/dev/null || exit 1
"$M" export b --cert >ca.pem
python3 - "$N" ws/ca/b/certs.yaml <<'EOF'
import hashlib, sys
n, path = int(sys.argv[1]), sys.argv[2]
out = open(path, "a")
def rec(body):
    r = "---\n" + body
    out.write(r + "sum: " + hashlib.sha256(r.encode()).hexdigest() + "\n...\n")
for i in range(n):
    s = "%032x" % (0x1000 + i)
    rec('type: issue\nserial: "%s"\nsubject: "CN=host%d.example"\n'
        'issuer: "CN=Bench CA"\nnot_before: 2026-01-01T00:00:00Z\n'
        'not_after: 2036-01-01T00:00:00Z\nissued_at: 2026-01-01T00:00:00Z\n'
        'profile: server\nstatus: valid\ncert: MAA=\n' % (s, i))
for i in range(n):
    s = "%032x" % (0x1000 + i)
    rec('type: revoke\nserial: "%s"\nrevoked_at: 2026-02-01T00:00:00Z\n'
        'reason: keyCompromise\n' % s)
EOF
t() { s=$(date +%s.%N); "$@" >/dev/null 2>t.err || { cat t.err; echo "FAILED: $*"; }; e=$(date +%s.%N); echo "$e - $s" | bc; }
echo "database: $N certificates, all revoked ($(du -h ws/ca/b/certs.yaml | cut -f1))"
echo "open + list --status revoked: $(t "$M" ca list --ca b --status revoked --format csv) s"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M "$M" ca list --ca b --status revoked --format csv 2>rss.txt >/dev/null
	kb=$(tail -1 rss.txt)
	echo "peak memory of ca list:       $kb KiB ($(( kb * 1024 / N )) bytes per certificate)"
fi
echo "lookup by serial (ca show):   $(t sh -c "\"$M\" ca show --ca b $(printf '%032x' $((0x1000 + N / 2))) | head -12") s"
"$M" key new e >/dev/null && "$M" csr new e --subject CN=e.example --out e.csr
echo "issue one more:               $(t "$M" ca issue --ca b --csr e.csr --out e.pem) s"
echo "CRL of $N entries (ca crl):   $(t "$M" ca crl --ca b --out crl.pem) s ($(du -h crl.pem | cut -f1))"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M "$M" ca crl --ca b --out crl2.pem 2>rss.txt >/dev/null
	echo "peak memory of ca crl:        $(tail -1 rss.txt) KiB"
fi
s=$(date +%s.%N)
openssl crl -in crl.pem -CAfile ca.pem -noout -verify 2>&1 | grep -q "verify OK" && v=accepted || v=REJECTED
echo "openssl crl -verify:          $v ($(echo "$(date +%s.%N) - $s" | bc) s)"
cd / && rm -rf "$w"
