#!/bin/sh
# install-fuzzing.sh — a fuzzing build (MINIPKI_FUZZING: predictable
# randomness, src/crypto/rand.c) can never be installed: configure refuses
# the switch given through CFLAGS or CPPFLAGS, and a build configured with
# --enable-fuzzing-rng (or given it at make time) refuses `make install`
# before building or copying anything. A normal configuration installs.
d="$TESTS_TOP/tests/work/install-fuzzing.$$"
rm -rf "$d"
trap 'rm -rf "$d"' EXIT
trap 'exit 2' INT TERM
mkdir -p "$d/tree/src" "$d/dest" || exit 2
cp "$TESTS_TOP/configure" "$TESTS_TOP/Makefile.in" "$d/tree/" &&
    cp "$TESTS_TOP/src/main.c" "$d/tree/src/" || exit 2
cd "$d/tree" || exit 2
fail() { echo "FAIL: $*"; exit 1; }

if sh ./configure CFLAGS='-O0 -DMINIPKI_FUZZING' >out 2>&1; then
	fail "configure accepted CFLAGS=-DMINIPKI_FUZZING"
fi
grep -q 'error: MINIPKI_FUZZING given in CC, CFLAGS or CPPFLAGS: it makes randomness predictable; use --enable-fuzzing-rng, whose build cannot be installed' out ||
	{ cat out; fail "configure's refusal does not say why"; }
if sh ./configure CPPFLAGS='-DMINIPKI_FUZZING=1' >out 2>&1; then
	fail "configure accepted CPPFLAGS=-DMINIPKI_FUZZING=1"
fi

sh ./configure --enable-fuzzing-rng >out 2>&1 || { cat out; fail "configure --enable-fuzzing-rng failed"; }
grep -q '^FUZZING_RNG = -DMINIPKI_FUZZING$' Makefile || fail "--enable-fuzzing-rng did not set FUZZING_RNG"
if make install DESTDIR="$d/dest" prefix=/opt/mp </dev/null >out 2>&1; then
	fail "make install installed a fuzzing build"
fi
grep -q '^make install: refused: this is a fuzzing build (MINIPKI_FUZZING): its randomness is predictable; configure without --enable-fuzzing-rng$' out ||
	{ cat out; fail "make install's refusal does not say why"; }
[ -z "$(ls -A "$d/dest")" ] || fail "make install copied something"
[ ! -e minipki-tui ] || fail "make install built before refusing"

sh ./configure >out 2>&1 || { cat out; fail "plain configure failed"; }
grep -q '^FUZZING_RNG = $' Makefile || fail "a plain configure set FUZZING_RNG"
make install-allowed </dev/null >out 2>&1 || { cat out; fail "a normal build may not install"; }
if make install-allowed CFLAGS='-DMINIPKI_FUZZING' </dev/null >out 2>&1; then
	fail "make install-allowed CFLAGS=-DMINIPKI_FUZZING was allowed"
fi
echo "fuzzing builds are refused by configure and make install"
