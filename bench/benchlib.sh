# shellcheck shell=sh disable=SC2034,SC2154
# (sourced: top is the caller's; HZ and the rest are for the caller)

# bench/benchlib.sh — what the bench scripts share, sourced after they set
# top (the source tree): a work directory removed on exit together with
# the servers they started, medians, the clock, CPU ticks from /proc, the
# machine's load, and running a set-up step that must not fail.

# bench_work NAME: W=$top/bench/work/NAME.$$, made empty, and BENCH (the
# prefix of die's messages) NAME-bench. On exit, also after a signal or a
# reader that went away (| head), the processes in $pids are stopped and
# W is removed.
bench_work() {
	BENCH=$1-bench
	W=$top/bench/work/$1.$$
	pids=
	trap bench_cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 141' PIPE
	trap 'exit 143' TERM
	rm -rf "$W"
	mkdir -p "$W" || exit 1
}
bench_cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$W"
	rmdir "$top/bench/work" 2>/dev/null
}

median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
# med FILE: the median of its lines; $BENCH_MED_NONE (default nan) when it
# is empty or missing.
med() { if [ -s "$1" ]; then median <"$1"; else echo "${BENCH_MED_NONE:-nan}"; fi; }
now() { date +%s.%N; }
# a / b with 2 decimals, "-" when either is missing or b is not above 0
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == a + 0 && b == b + 0 && b > 0) printf "%.2f", a / b; else print "-" }'; }

# CPU ticks (user + system) a process and its children (the workers of
# `server run`) have used so far; 0 without /proc.
ticks() {
	t=0
	for p in $1 $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
		t=$((t + $(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo $t
}
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)

# Other work on the machine moves every number: say how busy it was.
bench_machine() {
	[ -r /proc/loadavg ] && echo "(machine: $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo ?) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start)"
}

die() { echo "$BENCH: $*"; exit 1; }
# run CMD...: a step that must work; its output is shown when it fails.
run() { "$@" >"$W/log" 2>&1 || { sed 's/^/    | /' "$W/log"; die "failed: $*"; }; }

# bench_openssl_ca DIR SUBJECT [LINE]: an `openssl ca` set up the classic
# way in DIR, to compare with: a self-signed RSA-2048 CA named SUBJECT
# (ca.pem, ca.key unencrypted), new/ and ca.cnf, whose CA section takes
# LINE too. index.txt and serial are the caller's.
bench_openssl_ca() {
	mkdir -p "$1/new"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/ca.key" \
	    -subj "$2" -days 3650 -out "$1/ca.pem" 2>/dev/null
	cat >"$1/ca.cnf" <<CNF
[ca]
default_ca = bench
[bench]
dir = $1
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
default_md = sha256
default_days = 365
policy = anything
unique_subject = no
${3:-}
[anything]
commonName = supplied
CNF
}
