/* lines.c — lines of text for a scrollable window: each line owned, its
 * marker byte picking its look; drawn wrapped at spaces, continuation rows
 * indented, so the counting (lines_rows) and the drawing agree. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "tui/ui.h"
#include "util/xalloc.h"

/* The bytes of the first character of s (1 when it is not valid). */
static size_t
lines_first_len(const char *s, size_t len)
{
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	n = mbrlen(s, len, &st);
	return n == (size_t)-1 || n == (size_t)-2 || n == 0 ? 1 : n;
}

/* How many bytes of s go on one row of w columns when lines wrap: as many
 * characters as fit, cut after the last space when a word would be split
 * and that space is not too far back. At least one character. */
static size_t
lines_fit(const char *s, int w)
{
	mbstate_t st;
	wchar_t wc;
	size_t n, len = strlen(s), off = 0, space = 0;
	int used = 0, cw;

	if (len == 0)
		return 0;
	memset(&st, 0, sizeof st);
	while (off < len) {
		n = mbrtowc(&wc, s + off, len - off, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			wc = L'?';
			n = 1;
			memset(&st, 0, sizeof st);
		}
		if (wc < 0x20 || wc == 0x7f || (wc >= 0x80 && wc < 0xa0))
			wc = L'?';
		cw = wcwidth(wc);
		if (cw < 0)
			cw = 1;
		if (used + cw > w)
			break;
		used += cw;
		off += n;
		if (wc == L' ')
			space = off;
	}
	if (off == 0)
		return lines_first_len(s, len);
	if (off < len && space > off / 2 && s[off] != ' ')
		return space;
	return off;
}

/* Continuation rows of a wrapped line are indented by this much more
 * than the line itself, within a third of the width. */
#define LINES_WRAP_INDENT 2

static int
lines_wrap_indent(const char *s, int w)
{
	int n = (int)strspn(s, " ") + LINES_WRAP_INDENT;

	return n < w / 3 ? n : w / 3;
}

static const char *
lines_unmark(const char *s)
{
	return *s == LINE_OK || *s == LINE_FAIL || *s == LINE_HEAD ||
	    *s == LINE_WARN ? s + 1 : s;
}

int
lines_rows(const char *s, int w)
{
	int rows = 0, ind;

	s = lines_unmark(s);
	if (w <= LINES_WRAP_INDENT + 1)
		return 1;
	ind = lines_wrap_indent(s, w);
	do {
		s += lines_fit(s, rows ? w - ind : w);
		rows++;
	} while (*s != '\0');
	return rows;
}

void
lines_clear(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

void
lines_add(struct lines *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = xstrdup(s);
}

void
lines_addf(struct lines *l, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		xalloc_fail("vasprintf");
	va_end(ap);
	lines_add(l, s);
	free(s);
}

/* Splits text at newlines; marker (0: none) goes before each line. */
void
lines_add_text(struct lines *l, const char *text, char marker)
{
	const char *p = text, *nl;
	char *s;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		s = xasprintf("%s%.*s", marker ? (char[]){ marker, 0 } : "",
		    (int)(nl - p), p);
		lines_add(l, s);
		free(s);
		p = *nl ? nl + 1 : nl;
	}
}

void
lines_move(struct lines *l, long delta, int h)
{
	long c = (long)l->cur + delta;

	if (l->n == 0)
		return;
	if (c < 0)
		c = 0;
	if (c >= (long)l->n)
		c = (long)l->n - 1;
	l->cur = (size_t)c;
	if (l->cur < l->top)
		l->top = l->cur;
	if (h > 0 && l->cur >= l->top + (size_t)h)
		l->top = l->cur - (size_t)h + 1;
}

/* Draws the visible lines only, long ones wrapped onto more rows; sel
 * highlights the current line. Line cur is kept wholly in view. */
void
lines_draw(struct lines *l, int y, int x, int h, int w, int sel)
{
	size_t i, t, n;
	int r, pair, acc, first, wind;
	const char *s;

	if (h <= 0 || w <= 0)
		return;
	l->view_h = h;
	l->view_w = w;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur < l->n) {
		/* the first line from which all of line cur still fits */
		t = l->cur;
		acc = lines_rows(l->v[t], w);
		while (t > 0 && acc + lines_rows(l->v[t - 1], w) <= h) {
			acc += lines_rows(l->v[t - 1], w);
			t--;
		}
		/* The newest line as the anchor (the log): the window
		 * ends with it, however the lines above wrap. */
		if (l->top < t || (!sel && l->cur + 1 == l->n && l->cur !=
		    l->top))
			l->top = t;
	}
	for (r = 0, i = l->top; r < h && i < l->n; i++) {
		s = l->v[i];
		pair = 0;
		switch (*s) {
		case LINE_OK: pair = C_OK; s++; break;
		case LINE_FAIL: pair = C_FAIL; s++; break;
		case LINE_HEAD: pair = C_HEAD; s++; break;
		case LINE_WARN: pair = C_WARN; s++; break;
		}
		if (sel && i == l->cur)
			ui_attr(C_SEL, A_REVERSE, 1);
		else if (pair != 0)
			ui_attr(pair, pair == C_FAIL || pair == C_HEAD ?
			    A_BOLD : A_NORMAL, 1);
		first = 1;
		wind = lines_wrap_indent(s, w);
		do {
			int ind = first ? 0 : wind;

			if (w <= LINES_WRAP_INDENT + 1)
				n = strlen(s);	/* too narrow: cut */
			else
				n = lines_fit(s, w - ind);
			if (sel && i == l->cur)
				ui_fill(y + r, x, w);
			ui_putn(y + r, x + ind, w - ind, s, n);
			s += n;
			r++;
			first = 0;
		} while (*s != '\0' && r < h);
		if (sel && i == l->cur)
			ui_attr(C_SEL, A_REVERSE, 0);
		else if (pair != 0)
			ui_attr(pair, pair == C_FAIL || pair == C_HEAD ?
			    A_BOLD : A_NORMAL, 0);
	}
}

/* The first line from which the rest of the text fills a window of h rows
 * and w columns: how far plain text scrolls down. */
static size_t
lines_last_top(const struct lines *l, int h, int w)
{
	size_t t;
	int acc = 0, r;

	if (l->n == 0)
		return 0;
	for (t = l->n; t > 0; t--) {
		r = lines_rows(l->v[t - 1], w);
		if (acc + r > h)
			break;
		acc += r;
	}
	return t < l->n ? t : l->n - 1;
}

void
lines_scroll(struct lines *l, long d, int page)
{
	long c = (long)l->top + d, last;

	if (l->view_h > 0)
		last = (long)lines_last_top(l, l->view_h, l->view_w);
	else
		last = (long)l->n - page;	/* never drawn yet */
	if (c > last)
		c = last;
	if (c < 0)
		c = 0;
	l->top = l->cur = (size_t)c;
}

