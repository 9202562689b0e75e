#!/bin/sh
# libfuzzer.sh — runs the libFuzzer targets that `make fuzz` builds, each
# with its dictionaries (tests/fuzz/dict) and seed corpus.
#
#   sh tests/fuzz/libfuzzer.sh run NAME [LIBFUZZER-ARGS...]
#	fuzzes tests/fuzz/fuzz-NAME-libfuzzer until stopped (or as the
#	arguments say: -max_total_time=60, a crash file to replay, ...)
#   sh tests/fuzz/libfuzzer.sh soak SECONDS [RUNS [NAME...]]
#	runs every target (or those named) in turn on one core, each for
#	SECONDS or RUNS executions, whichever ends first (0: no limit of
#	that kind), and prints a table (target, execs, exec/s, coverage,
#	crashes) and a closing line "N targets, N execs, N crashes";
#	exit 1 when something crashed
#   sh tests/fuzz/libfuzzer.sh cov [-functions] [FILE...]
#	replays every corpus (seeds and tests/work/fuzz/corpus) through the
#	coverage builds (make fuzz-cov) and prints the coverage of the files
#	named (default: those issue 15 names) and of all of src/;
#	-functions: of each function of the files named (FUZZ_COV_TARGETS:
#	replay only these targets, as "handshake tls-client")
#   sh tests/fuzz/libfuzzer.sh hscov
#	the coverage of the handshake target's corpus (seeds and
#	tests/work/fuzz/corpus/handshake) split by TLS version (its first
#	byte, fuzz-handshake.c): per file of the TLS engine, then per
#	function of the message handlers, for 1.3 and for 1.2
#   sh tests/fuzz/libfuzzer.sh merge NAME...
#	adds to the committed seeds (tests/fuzz/corpus/NAME) the inputs of
#	tests/work/fuzz/corpus/NAME that reach something they do not
#	(libFuzzer -merge=1), and prints the counts and sizes before and
#	after
#   sh tests/fuzz/libfuzzer.sh minimise [-edges] NAME...
#	shrinks the committed seeds of each target to a smallest set with
#	the same libFuzzer features (-set_cover_merge=1; -edges: the same
#	edges, hit counts not kept, much smaller); seeds with names
#	of their own (not a 40-digit SHA-1: regressions, what tests and
#	README name) are always kept; prints the counts and sizes before
#	and after
#   sh tests/fuzz/libfuzzer.sh dicts NAME
#	prints the dictionaries NAME uses
#
# New inputs go to tests/work/fuzz/corpus/NAME, never into the committed
# seeds; crash, timeout, leak and OOM inputs to tests/work/fuzz/crashes/NAME/.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
work=tests/work/fuzz

# The dictionaries of a target: what its input is made of.
dicts() {
	case $1 in
	verify|crlcheck)	echo der pem cli ;;
	cert|crl|csr|kind|pkey|cms|cms-env|pkcs12)	echo der pem ;;
	der|dn|ocsp-req|ocsp-resp|asn1view|ecsig|crldp|nameconstr)	echo der ;;
	polext|capolicy)	echo der cli ;;
	pem)			echo pem der ;;
	keystore)		echo yaml pem ;;
	audit|cadb|cadbidx|cadbsnap|enrolldb|cameta|inbox|roles)	echo yaml ;;
	tls-client|tls-server|handshake)	echo tls der ;;
	http|httpcli|httpdec)	echo http ;;
	serverline)		echo line ;;
	addr|args|passfile|verifytext)	echo cli ;;
	*)			echo "" ;;
	esac
}

# Writes the target's dictionaries as one file (libFuzzer takes one) and
# prints its name, or nothing when it has none.
dictfile() {
	f=$work/dict/$1.dict
	mkdir -p "$work/dict"
	: >"$f"
	for d in $(dicts "$1"); do
		cat "tests/fuzz/dict/$d.dict" >>"$f" || exit 2
	done
	[ -s "$f" ] && echo "$f"
}

# run NAME ARGS...: the target's command line, corpus directories last.
fuzz_cmd() {
	name=$1; shift
	bin=tests/fuzz/fuzz-$name-libfuzzer
	if [ ! -x "$bin" ]; then
		echo "libfuzzer.sh: no $bin: run make fuzz first" >&2
		exit 2
	fi
	mkdir -p "$work/corpus/$name" "$work/crashes/$name"
	d=$(dictfile "$name")
	set -- "$bin" ${d:+-dict=$d} -artifact_prefix="$work/crashes/$name/" "$@"
	"$@" "$work/corpus/$name" "tests/fuzz/corpus/$name"
}

soak() {
	secs=${1:-0} runs=${2:-0}
	[ $# -gt 0 ] && shift
	[ $# -gt 0 ] && shift
	case $secs$runs in ''|*[!0-9]*)
		echo "libfuzzer.sh: soak SECONDS [RUNS [NAME...]]" >&2; exit 2 ;;
	esac
	if [ "$secs" -eq 0 ] && [ "$runs" -eq 0 ]; then
		echo "libfuzzer.sh: soak: give SECONDS or RUNS" >&2; exit 2
	fi
	if [ $# -eq 0 ]; then
		for bin in tests/fuzz/fuzz-*-libfuzzer; do
			[ -x "$bin" ] || continue
			name=${bin#tests/fuzz/fuzz-}
			set -- "$@" "${name%-libfuzzer}"
		done
	fi
	mkdir -p "$work/log"
	n=0 total=0 crashes=0
	printf '%-12s %12s %9s %9s %8s\n' target execs exec/s coverage crashes
	for name in "$@"; do
		log=$work/log/$name.log
		before=$(ls "$work/crashes/$name" 2>/dev/null | wc -l)
		# One process, one core; -close_fd_mask hides the targets'
		# own messages (libFuzzer and the sanitizers still report).
		lim=-runs=$runs
		[ "$runs" -eq 0 ] && lim=-runs=-1
		fuzz_cmd "$name" -max_total_time="$secs" "$lim" \
		    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		    -close_fd_mask=3 >"$log" 2>&1
		rc=$?
		after=$(ls "$work/crashes/$name" 2>/dev/null | wc -l)
		found=$((after - before))
		[ $rc -ne 0 ] && [ $found -eq 0 ] && found=1
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n 1)
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
		cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
		printf '%-12s %12s %9s %9s %8s\n' "$name" "${execs:-0}" \
		    "${rate:-?}" "${cov:-?}" "$found"
		n=$((n + 1))
		total=$((total + ${execs:-0}))
		crashes=$((crashes + found))
	done
	echo "$n targets, $total execs, $crashes crashes"
	[ $crashes -eq 0 ]
}

cov() {
	prof=$work/prof
	fn=
	[ "$1" = -functions ] && { fn=--show-functions; shift; }
	rm -rf "$prof"; mkdir -p "$prof"
	objs=
	for bin in tests/fuzz/fuzz-*-cov; do
		[ -x "$bin" ] || continue
		name=${bin#tests/fuzz/fuzz-}; name=${name%-cov}
		case " ${FUZZ_COV_TARGETS:-$name} " in
		*" $name "*) ;;
		*) continue ;;
		esac
		mkdir -p "$work/corpus/$name"
		LLVM_PROFILE_FILE="$prof/$name.profraw" "$bin" -runs=0 \
		    -close_fd_mask=3 "$work/corpus/$name" \
		    "tests/fuzz/corpus/$name" >"$prof/$name.log" 2>&1 ||
			echo "libfuzzer.sh: $name failed replaying its corpus" >&2
		objs="$objs${objs:+ -object }$bin"
	done
	[ -n "$objs" ] || { echo "libfuzzer.sh: run make fuzz-cov first" >&2; exit 2; }
	llvm-profdata merge -sparse "$prof"/*.profraw -o "$prof/all.profdata" || exit 2
	[ $# -gt 0 ] || set -- src/x509/verify.c src/x509/crlcheck.c \
	    src/role/server.c src/net/addr.c src/cli/args.c \
	    src/cli/passphrase.c src/store/cadb.c src/tui/asn1view.c \
	    src/store/keystore.c src/x509/pkey.c src/tls/peercert.c \
	    src/crypto/rsadec.c
	# shellcheck disable=SC2086
	llvm-cov report $fn $objs -instr-profile="$prof/all.profdata" "$@"
	# shellcheck disable=SC2086
	llvm-cov report $objs -instr-profile="$prof/all.profdata" src | tail -n 1
}

hscov() {
	bin=tests/fuzz/fuzz-handshake-cov
	[ -x "$bin" ] || { echo "libfuzzer.sh: run make fuzz-cov first" >&2; exit 2; }
	prof=$work/prof-hs
	rm -rf "$prof"
	for v in 13 12; do
		mkdir -p "$prof/$v"
		for f in tests/fuzz/corpus/handshake/* "$work"/corpus/handshake/*; do
			[ -f "$f" ] || continue
			# byte 0 bits 1-2: 1 and 2 are TLS 1.2, 0 and 3 TLS 1.3
			m=$(od -An -tu1 -N1 "$f" | tr -d ' ')
			m=$(( (m >> 1) & 3 ))
			case $v$m in 131|132|120|123) continue ;; esac
			cp "$f" "$prof/$v/"
		done
		LLVM_PROFILE_FILE="$prof/$v.profraw" "$bin" -runs=0 \
		    -close_fd_mask=3 "$prof/$v" >"$prof/$v.log" 2>&1
		llvm-profdata merge -sparse "$prof/$v.profraw" \
		    -o "$prof/$v.profdata" || exit 2
		echo "== TLS 1.${v#1}: $(ls "$prof/$v" | wc -l) inputs"
		llvm-cov report "$bin" -instr-profile="$prof/$v.profdata" \
		    src/tls src/crypto/rsadec.c | sed 's/ \{2,\}/  /g' |
		    cut -c1-100
		llvm-cov report --show-functions "$bin" \
		    -instr-profile="$prof/$v.profdata" src/tls/tls1$((v % 10)).c \
		    src/tls/hello.c src/tls/peercert.c src/tls/psk.c \
		    src/tls/ticket.c src/tls/ticket12.c src/crypto/rsadec.c |
		    awk '$2 ~ /^[0-9]+$/ && $1 != "TOTAL" {
			sub(/^.*:/, "", $1)
			print "  " $1 ($3 == $2 ? ": not reached" : "") }'
	done
}

# Files and bytes of a directory.
size() {
	echo "$(ls "$1" | wc -l) files, $(cat "$1"/* 2>/dev/null | wc -c) bytes"
}

merge() {
	for name in "$@"; do
		bin=tests/fuzz/fuzz-$name-libfuzzer
		[ -x "$bin" ] || { echo "libfuzzer.sh: no $bin: run make fuzz first" >&2; exit 2; }
		seeds=tests/fuzz/corpus/$name
		before=$(size "$seeds")
		mkdir -p "$work/corpus/$name" "$work/log"
		"$bin" -merge=1 -timeout=10 -rss_limit_mb=2048 \
		    -close_fd_mask=3 "$seeds" "$work/corpus/$name" \
		    >"$work/log/$name-merge.log" 2>&1 ||
			{ echo "libfuzzer.sh: merge of $name failed" \
			    "($work/log/$name-merge.log)" >&2; exit 1; }
		echo "$name: $before -> $(size "$seeds")"
	done
}

minimise() {
	edges=
	[ "$1" = -edges ] && { edges=-use_counters=0; shift; }
	for name in "$@"; do
		bin=tests/fuzz/fuzz-$name-libfuzzer
		[ -x "$bin" ] || { echo "libfuzzer.sh: no $bin: run make fuzz first" >&2; exit 2; }
		seeds=tests/fuzz/corpus/$name
		min=$work/min/$name
		before=$(size "$seeds")
		rm -rf "$min"; mkdir -p "$min" "$work/log"
		for f in "$seeds"/*; do
			case ${f##*/} in
			????????????????????????????????????????) ;;
			*) cp "$f" "$min/" ;;
			esac
		done
		# shellcheck disable=SC2086
		"$bin" -set_cover_merge=1 $edges -timeout=10 -rss_limit_mb=2048 \
		    -close_fd_mask=3 "$min" "$seeds" \
		    >"$work/log/$name-minimise.log" 2>&1 ||
			{ echo "libfuzzer.sh: minimising $name failed" \
			    "($work/log/$name-minimise.log)" >&2; exit 1; }
		# Only now that the merge worked: replace the seeds.
		find "$seeds" -type f -name '????????????????????????????????????????' -delete
		cp "$min"/* "$seeds/"
		echo "$name: $before -> $(size "$seeds")"
	done
}

case $1 in
merge)	shift; merge "$@" ;;
minimise) shift; minimise "$@" ;;
hscov)	hscov ;;
cov)	shift; cov "$@" ;;
run)	[ $# -ge 2 ] || { echo "libfuzzer.sh: run NAME [ARGS...]" >&2; exit 2; }
	shift; fuzz_cmd "$@" ;;
soak)	shift; soak "$@" ;;
dicts)	dicts "$2" ;;
*)	sed -n '2,/^$/s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
