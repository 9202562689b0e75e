#!/bin/sh
# run-example.sh SCRIPT — runs an example in a fresh workspace and directory,
# with the installed-looking program first on PATH, so examples never rot.

top=${TESTS_TOP:?}
script="$top/$1"
mkdir -p "$top/tests/work"
work=$(mktemp -d "$top/tests/work/example.XXXXXX")
mkdir -p "$work/bin" || exit 2
ln -s "$top/minipki-tui" "$work/bin/minipki-tui"
cd "$work"
PATH="$work/bin:$PATH" MINIPKI_DIR="$work/pki" MINIPKI_PASSPHRASE="example passphrase" \
    sh "$script"
rc=$?
rm -rf "$work"
exit $rc
