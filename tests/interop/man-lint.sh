#!/bin/sh
# man-lint.sh — the manual is clean mdoc and documents every command that
# `minipki-tui --help` lists.
command -v mandoc >/dev/null 2>&1 || { echo "mandoc not installed"; exit 77; }
out=$(mandoc -Tlint -Wwarning man/minipki.1 2>&1)
if [ -n "$out" ]; then
	echo "$out"
	exit 1
fi
page=$(mandoc -Tascii man/minipki.1 | col -b)
missing=0
# Commands are the indented lines of --help that start with a lower-case word.
# A command is an indented line of --help: one or two words, then two spaces.
for cmd in $("$MINIPKI" --help | sed -n 's/^  \([a-z][a-z]*\)\( [a-z][a-z]*\)\{0,1\}  .*/\1\2/p' | tr ' ' _); do
	words=$(echo "$cmd" | tr _ ' ')
	if ! echo "$page" | grep -q "^     $words"; then
		echo "man page does not document: $words"
		missing=1
	fi
done
[ -n "$cmd" ] || { echo "no commands found in --help"; exit 1; }
exit $missing
