#!/bin/sh
# man-lint.sh — the manual is clean mdoc, documents every command that
# `minipki-tui --help` lists and, in that command's entry, every option its
# `CMD --help` lists, and no option that `CMD --help` does not name (its
# help names every option the command accepts: tests/unit/cli-test.c).
command -v mandoc >/dev/null 2>&1 || { echo "mandoc not installed"; exit 77; }
MINIPKI=${MINIPKI:-$(pwd)/minipki-tui}
# Style messages too, but not those about other pages (whether certtool(1)
# is installed, or the man database up to date, depends on the machine).
out=$(mandoc -Tlint -Wstyle man/minipki.1 2>&1 |
    grep -v 'mandoc\.db\|referenced manual not found')
if [ -n "$out" ]; then
	echo "$out"
	exit 1
fi
# Rendered text without the overstrike of bold and underline (col -b is in
# bsdextrautils, which a fresh Debian does not have).
bs=$(printf '\b')
page=$(mandoc -Tascii man/minipki.1 | sed "s/.$bs//g")
missing=0
# A command is an indented line of --help: one to three words, then two spaces.
cmds=$("$MINIPKI" --help | sed -n 's/^  \([a-z][a-z]*\( [a-z][a-z]*\)\{0,2\}\)  .*/\1/p' | tr ' ' _)
[ -n "$cmds" ] || { echo "no commands found in --help"; exit 1; }
for cmd in $cmds; do
	words=$(echo "$cmd" | tr _ ' ')
	# Its entries: from a line "     WORDS ..." to the next entry or section.
	entry=$(echo "$page" | awk -v w="     $words" '
	    /^[A-Z]/ || /^     [a-z]/ { on = index($0 " ", w " ") == 1 }
	    on')
	if [ -z "$entry" ]; then
		echo "man page does not document: $words"
		missing=1
		continue
	fi
	for o in $("$MINIPKI" $words --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		case $o in --dir|--help) continue ;; esac
		echo "$entry" | grep -q -- "$o\\([^a-z-]\\|\$\\)" || {
			echo "man page's $words does not document $o"
			missing=1
		}
	done
	help=$("$MINIPKI" $words --help)
	for o in $(echo "$entry" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		echo "$help" | grep -q -- "$o\\([^a-z-]\\|\$\\)" || {
			echo "man page's $words names $o, which $words --help does not"
			missing=1
		}
	done
done
exit $missing
