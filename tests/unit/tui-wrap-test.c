/* tui-wrap-test — how the text windows wrap long lines (lines_rows, the
 * row count lines_draw and the scrolling use): words kept whole where a
 * space allows, continuation rows indented two more than the line, marker
 * bytes and double-width characters counted right, nothing read past the
 * end of an empty line. */
#include <locale.h>
#include <string.h>

#include "testlib.h"
#include "tui/ui.h"

int
main(void)
{
	char s[64];

	CHECK_EQ(lines_rows("", 10), 1);
	CHECK_EQ(lines_rows("abc", 10), 1);
	CHECK_EQ(lines_rows("abcdefghij", 10), 1);	/* exactly fits */
	/* 25 characters, no space: 10, then rows of 8 (indent 2). */
	CHECK_EQ(lines_rows("abcdefghijklmnopqrstuvwxy", 10), 3);
	/* Words: "hello world " | "foo". */
	CHECK_EQ(lines_rows("hello world foo", 12), 2);
	/* A break at the space, not inside "wonderful": "a " would waste
	 * the row, so a space too far back is not used. */
	CHECK_EQ(lines_rows("a wonderful", 10), 2);
	/* The marker byte takes no column. */
	s[0] = LINE_OK;
	strcpy(s + 1, "abcdefghij");
	CHECK_EQ(lines_rows(s, 10), 1);
	/* An indented line's continuation is indented two more, within a
	 * third of the width: "  abcdefgh" then rows of 10 - 3. */
	CHECK_EQ(lines_rows("  abcdefghijklmnop", 10), 3);
	CHECK_EQ(lines_rows("  abcdefghijklmno", 10), 2);
	/* At 30 columns the indent is 4: 30, then rows of 26. */
	memset(s, 'x', 56);
	s[0] = s[1] = ' ';
	s[56] = '\0';
	CHECK_EQ(lines_rows(s, 30), 2);
	s[56] = 'x';
	s[57] = '\0';
	CHECK_EQ(lines_rows(s, 30), 3);
	/* Too narrow to wrap: one row, cut. */
	CHECK_EQ(lines_rows("abcdefghijklmnop", 3), 1);
	if (setlocale(LC_ALL, "C.UTF-8") != NULL) {
		/* Six double-width characters are 12 columns: 10 + 2. */
		CHECK_EQ(lines_rows("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
		    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 10), 2);
		CHECK_EQ(lines_rows("\xe6\x97\xa5\xe6\x9c\xac", 4), 1);
	}
	return test_done();
}
