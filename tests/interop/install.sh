#!/bin/sh
# install.sh — `make install` honours prefix and DESTDIR, and `make
# uninstall` removes what it put there.
set -e
d="$TESTS_TOP/tests/work/install.$$"
rm -rf "$d"
trap 'rm -rf "$d"' EXIT
trap 'exit 2' INT TERM
make -s install DESTDIR="$d" prefix=/opt/mp >/dev/null
test -x "$d/opt/mp/bin/minipki-tui" || { echo "binary not installed"; exit 1; }
test -f "$d/opt/mp/share/man/man1/minipki.1" || { echo "man page not installed"; exit 1; }
"$d/opt/mp/bin/minipki-tui" --version | grep -q '^minipki-tui ' || { echo "installed binary does not run"; exit 1; }
make -s uninstall DESTDIR="$d" prefix=/opt/mp >/dev/null
test ! -e "$d/opt/mp/bin/minipki-tui" || { echo "uninstall left the binary"; exit 1; }
test ! -e "$d/opt/mp/share/man/man1/minipki.1" || { echo "uninstall left the man page"; exit 1; }
rm -rf "$d"
