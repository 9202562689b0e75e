#!/bin/sh
# cli-basic.sh — the headless command contract: --help for every command,
# usage errors (exit 2), refusals (exit 1), bad data and wrong passphrases
# (exit 3), each with its exact message on stderr.
set -u
. tests/interop/testlib
test_setup cli-basic cli-basic-pass

# fail MSG: as testlib's, and shows the stderr of the command expect ran
fail() {
	echo "FAIL: $*"
	sed 's/^/    | /' err
	fails=$((fails + 1))
}

# expect STATUS 'exact first line of stderr' COMMAND... ('' = anything)
expect() {
	want=$1 line=$2
	shift 2
	"$@" >out 2>err </dev/null
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$*: exit $rc, want $want"
	elif [ -n "$line" ] && [ "$(head -n 1 err)" != "$line" ]; then
		fail "$*: stderr is not '$line'"
	else
		echo "ok ($rc): $*"
	fi
}

# expect_has STATUS 'fragment of stderr' COMMAND...
expect_has() {
	want=$1 frag=$2
	shift 2
	"$@" >out 2>err </dev/null
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$*: exit $rc, want $want"
	elif ! grep -qF -- "$frag" err; then
		fail "$*: stderr lacks '$frag'"
	else
		echo "ok ($rc): $*"
	fi
}

P=minipki-tui

# ---- help ----
expect 0 '' "$M" --help
cp out help.txt
for c in "key new" "csr new" "ca init" "ca issue" "ca list" show verify \
    export import; do
	grep -q "^  $c " help.txt || fail "--help does not list '$c'"
done
# Every command --help lists (one to three words, then two spaces).
sed -n 's/^  \([a-z][a-z]*\( [a-z][a-z]*\)\{0,2\}\)  .*/\1/p' help.txt |
    tr ' ' _ >cmds.txt
[ "$(wc -l <cmds.txt)" -ge 16 ] || fail "--help lists $(wc -l <cmds.txt) commands"
for c in $(cat cmds.txt); do
	c=$(echo "$c" | tr _ ' ')
	# shellcheck disable=SC2086
	expect 0 '' "$M" $c --help
	head -n 1 out | grep -q "^usage: $P \[--dir DIR\] $c" ||
	    fail "$c --help: no usage line on stdout"
	[ -s err ] && fail "$c --help wrote to stderr"
done
expect 0 '' "$M" --version
grep -q "^$P [0-9]" out || fail "--version"
expect 0 '' "$M"
grep -q "^Commands:" out || fail "no command: no command list"
expect 0 '' "$M" ca --help

# ---- usage errors: exit 2 ----
expect 2 "$P: unknown command 'frob' (see $P --help)" "$M" frob
expect 2 "$P: unknown command 'ca frob' (see $P --help)" "$M" ca frob
expect 2 "$P: unknown option '--frob' (see $P --help)" "$M" --frob
expect 2 "$P: option '--dir' needs a value" "$M" --dir
expect 2 "$P: 'ca' needs a subcommand" "$M" ca
expect 2 "$P key new: missing NAME" "$M" key new
expect 2 "$P key new: unknown option '--frob'" "$M" key new a --frob
expect 2 "$P key new: unexpected argument 'b'" "$M" key new a b
expect 2 "$P key new: option '--bits': 2500 is not 2048, 3072 or 4096" \
    "$M" key new a --bits 2500
expect 2 "$P key new: option '--bits': 'x' is not a number from 2048 to 4096" \
    "$M" key new a --bits x
expect 2 "$P key new: option '--bits' needs a value" "$M" key new a --bits
expect 2 "$P key new: option '--help' takes no value" "$M" key new a --help=1
expect_has 2 "invalid name 'a/b'" "$M" key new a/b
expect 2 "$P csr new: missing --subject DN" "$M" csr new a
expect_has 2 "$P csr new: --subject: unknown attribute 'XX'" \
    "$M" csr new a --subject XX=1
expect_has 2 "$P csr new: --san: SAN item 1" \
    "$M" csr new a --subject CN=a --san "foo:bar"
expect 2 "$P: no keystore 'nobody' (make one with: key new nobody)" \
    "$M" csr new nobody --subject CN=a
expect 2 "$P ca init: missing --subject DN" "$M" ca init
expect 2 "$P ca init: option '--days': '0' is not a number from 1 to 36500" \
    "$M" ca init --subject CN=x --days 0
expect 2 "$P ca issue: missing --csr FILE" "$M" ca issue
expect 2 "$P ca issue: unknown profile 'admin' (use server, client, ca, peer)" \
    "$M" ca issue --csr x --profile admin
expect 2 "$P ca issue: --out and --out-dir exclude each other" \
    "$M" ca issue --csr x --out a --out-dir b
expect 2 "$P ca issue: unexpected argument 'x' (requests go after --csr)" \
    "$M" ca issue x
expect 2 "$P ca list: unknown format 'xml' (use table, yaml, json or csv)" \
    "$M" ca list --format xml
expect 2 "$P show: missing FILE" "$M" show
expect 2 "$P export: give one of --cert, --key and --p12" "$M" export a
expect 2 "$P export: give one of --cert, --key and --p12" "$M" export a --cert --key
expect 2 "$P export: --no-encrypt applies to --key only" \
    "$M" export a --cert --no-encrypt
expect 2 "$P import: give --key FILE, --cert FILE, both, or --p12 FILE" "$M" import a
expect 2 "$P: no CA 'nosuch'" "$M" ca list --ca nosuch

# ---- passphrase sources ----
expect 2 "$P: MINIPKI_PASSPHRASE: the passphrase is empty" \
    env MINIPKI_PASSPHRASE= "$M" key new e1
if setsid -w true 2>/dev/null; then
	# setsid: no controlling terminal, so no prompt is possible.
	expect 2 "$P: no passphrase: set MINIPKI_PASSPHRASE, use --passphrase-file or run on a terminal" \
	    env -u MINIPKI_PASSPHRASE setsid -w "$M" key new e2
fi
printf 'from-a-file\nsecond line ignored\n' >pass.txt
expect 0 '' env -u MINIPKI_PASSPHRASE "$M" --passphrase-file pass.txt \
    key new filekey
expect 0 '' env -u MINIPKI_PASSPHRASE "$M" csr new filekey --subject CN=f \
    --passphrase-file pass.txt --out f.csr
expect_has 3 "wrong passphrase" env MINIPKI_PASSPHRASE=from-a-file2 \
    "$M" csr new filekey --subject CN=f
expect_has 3 "passphrase file: nonexistent.txt" env -u MINIPKI_PASSPHRASE \
    "$M" --passphrase-file nonexistent.txt key new e3
grep -q "from-a-file" "$MINIPKI_DIR/keys/filekey.yaml" &&
    fail "the passphrase is in the keystore"

# The terminal prompt (through a pseudo-terminal): no echo, asked twice
# for a new keystore, the two entries must agree.
if command -v python3 >/dev/null 2>&1; then
	cat >ptyrun.py <<'PY'
# ptyrun.py PROGRAM ARGS... LINES: runs PROGRAM on a pseudo-terminal and
# types each comma-separated line of LINES after a prompt (": ") appears.
import os, pty, select, sys
args, lines = sys.argv[1:-1], sys.argv[-1].split(",")
pid, fd = pty.fork()
if pid == 0:
    os.execv(args[0], args)
out = b""
def more():
    global out
    r, _, _ = select.select([fd], [], [], 20)
    if not r:
        return False
    try:
        d = os.read(fd, 4096)
    except OSError:
        return False
    out += d
    return bool(d)
seen = 0
for line in lines:
    while out.count(b": ") <= seen and more():
        pass
    seen = out.count(b": ")
    os.write(fd, line.encode() + b"\n")
while more():
    pass
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
PY
	env -u MINIPKI_PASSPHRASE python3 ptyrun.py "$M" key new ttykey \
	    "tty-secret-1,tty-secret-1" >tty.out 2>&1
	rc=$?
	[ $rc -eq 0 ] || { fail "tty prompt: exit $rc"; cat tty.out; }
	grep -q "New passphrase for keystore 'ttykey' (again): " tty.out ||
	    fail "tty prompt: not asked twice"
	grep -q "tty-secret" tty.out && fail "tty prompt: the passphrase was echoed"
	env -u MINIPKI_PASSPHRASE python3 ptyrun.py "$M" key new ttykey2 \
	    "tty-secret-1,tty-secret-2" >tty.out 2>&1
	rc=$?
	[ $rc -eq 3 ] && grep -q "$P: the two passphrases differ" tty.out ||
	    fail "tty prompt: differing entries (exit $rc)"
	env -u MINIPKI_PASSPHRASE python3 ptyrun.py "$M" csr new ttykey \
	    --subject CN=tty "tty-secret-1" >tty.out 2>&1 ||
	    fail "tty prompt: unlocking"
	grep -q "BEGIN CERTIFICATE REQUEST" tty.out || fail "tty prompt: no request"
fi

# ---- refusals: exit 1; bad data: exit 3 ----
expect 0 '' "$M" ca init --subject "CN=CLI Test Root,O=Lab" --bits 2048
grep -q "^CA 'ca' created" out || fail "ca init: no summary"
expect 1 "$P: CA 'ca' already exists" "$M" ca init --subject CN=again
expect 0 '' "$M" key new alice
grep -q "^fingerprint: SHA256:" out || fail "key new: no fingerprint"
expect 1 "$P: keystore 'alice' already exists" "$M" key new alice
expect 1 "$P: keystore 'alice' already exists (a CA needs a keystore of its own)" \
    "$M" ca init alice --subject CN=x
expect_has 3 "wrong passphrase for keystore 'alice'" \
    env MINIPKI_PASSPHRASE=not-it "$M" csr new alice --subject CN=a
expect 1 "$P: keystore 'alice' holds no certificate (store one with: import alice --cert FILE)" \
    "$M" export alice --cert
expect 0 '' "$M" csr new alice --subject CN=alice --out alice.csr
expect 2 "$P: no CA 'other'" "$M" ca issue --ca other --csr alice.csr
expect_has 3 "$P: missing.csr: " "$M" ca issue --csr missing.csr
printf 'not a request\n' >junk.csr
expect_has 3 "$P: junk.csr: " "$M" ca issue --csr junk.csr
: >empty.csr
expect_has 3 "$P: empty.csr: " "$M" ca issue --csr empty.csr
printf -- '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n' >short.csr
expect_has 3 "$P: short.csr: " "$M" ca issue --csr short.csr
expect_has 3 "wrong passphrase" env MINIPKI_PASSPHRASE=not-it \
    "$M" ca issue --csr alice.csr
# A batch with one bad request: the good one is issued, the status is 3.
expect_has 3 "$P: junk.csr: " "$M" ca issue --csr alice.csr junk.csr
grep -q "BEGIN CERTIFICATE" out || fail "batch: the good request was not issued"
# An out-dir file that cannot be written: that certificate's error and
# status 3, no "issued" line; the batch's notes still go to stderr.
if [ -d /proc/self ]; then
	expect_has 3 "$P: /proc/" "$M" ca issue --csr alice.csr alice.csr \
	    --out-dir /proc
	[ "$(grep -c "^$P: /proc/[0-9a-f]*\.pem: " err)" -eq 2 ] ||
	    fail "out-dir: want one error per certificate"
	grep -q issued out && fail "out-dir: an unwritten certificate said issued"
fi
expect 0 '' "$M" ca issue --csr alice.csr --out alice.pem
expect 1 "$P: the certificate does not match the key (its public key differs)" \
    env MINIPKI_PASSPHRASE=from-a-file "$M" import filekey --cert alice.pem
expect 0 '' "$M" import alice --cert alice.pem
expect 0 '' "$M" export alice --cert --out alice-out.pem
cmp -s alice.pem alice-out.pem || fail "export --cert differs from the issued certificate"

# A second writer is locked out.
if command -v flock >/dev/null 2>&1; then
	# The holder keeps the lock from "held" until "release" exists (a
	# loaded machine may start it late: no fixed sleeps).
	flock "$MINIPKI_DIR/ca/ca/lock" sh -c ': >held
	    while [ ! -e release ]; do sleep 0.1; done' &
	i=0
	while [ ! -e held ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.1; done
	expect_has 1 "CA 'ca' is locked by another process" \
	    "$M" ca issue --csr alice.csr
	: >release
	wait
fi

# Keys: an existing output file is never replaced.
expect 0 '' "$M" export alice --key --out alice.key
[ "$(stat -c %a alice.key)" = 600 ] || fail "exported key is not mode 0600"
expect_has 3 "$P: alice.key: already exists" "$M" export alice --key --out alice.key
expect 1 "$P: keystore 'alice' already exists" "$M" import alice --key alice.key

# show: every kind, and broken input.
for f in alice.pem alice.csr alice.key; do
	expect 0 '' "$M" show "$f"
done
expect_has 3 "$P: nothing.pem: " "$M" show nothing.pem
expect_has 3 "$P: junk.csr: " "$M" show junk.csr
expect_has 3 "$P: short.csr: " "$M" show short.csr
head -c 300 alice.pem >trunc.pem
expect_has 3 "$P: trunc.pem: " "$M" show trunc.pem
head -c 100 /dev/urandom >random.bin
expect_has 3 "$P: random.bin: " "$M" show random.bin
printf -- '-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n' >foo.pem
expect 3 "$P: foo.pem: no certificate, request, CRL or key in it" "$M" show foo.pem

# A damaged keystore is bad data.
cp "$MINIPKI_DIR/keys/alice.yaml" alice.yaml.bak
printf 'format: [\n' >"$MINIPKI_DIR/keys/alice.yaml"
expect_has 3 "keys/alice.yaml" "$M" export alice --cert
cp alice.yaml.bak "$MINIPKI_DIR/keys/alice.yaml"

# ca list: every format, the issued serials in each.
for f in table yaml json csv; do
	expect 0 '' "$M" ca list --format "$f"
	[ "$(grep -c '[0-9a-f]\{32\}' out)" -ge 2 ] || fail "ca list --format $f"
done
expect 0 '' "$M" ca list --format csv
[ "$(head -n 1 out)" = "serial,subject,not_after,status,profile" ] ||
    fail "csv header"
if command -v python3 >/dev/null 2>&1; then
	"$M" ca list --format json | python3 -c 'import json,sys; json.load(sys.stdin)' ||
	    fail "ca list --format json is not JSON"
fi

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all passed"
