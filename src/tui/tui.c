/* tui.c — the loop, the frame of windows, the key table, signals, jobs.
 *
 * Layout (rows x cols, at least UI_MIN_COLS x UI_MIN_ROWS):
 *	row 0		title: workspace, CA lock state
 *	rows 1..	navigation menu (left) | main area (list, or list over
 *			detail when split)
 *	UI_LOG_H rows	log window
 *	row rows-2	status line (job progress, the learning aid)
 *	row rows-1	key-hint bar
 * Everything is drawn on stdscr once per loop turn when ui.dirty is set;
 * curses sends only what changed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "tui/tui.h"
#include "tui/ui.h"
#include "util/xalloc.h"

struct ui *ui_current;
static volatile sig_atomic_t ui_signal;
static int ui_curses_on;
static int ui_dirty;

enum { C_TITLE = 1, C_SEL, C_OK, C_FAIL, C_HEAD, C_WARN, C_HINT, C_FOCUS };

/* ---- small helpers ---- */

int
ui_fmt(char *dst, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(dst, n, fmt, ap);
	va_end(ap);
	return r;
}

int64_t
ui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
ui_attr(int pair, attr_t fallback, int on)
{
	struct ui *u = ui_current;
	attr_t a = (u != NULL && u->color) ? (attr_t)COLOR_PAIR(pair) : fallback;

	if (pair == C_SEL || pair == C_TITLE)
		a |= A_REVERSE * (u == NULL || !u->color);
	if (on)
		attron(a);
	else
		attroff(a);
}

/* Writes len bytes of UTF-8 s at (y, x) in at most w columns; control
 * characters are shown as '?'. Returns the columns used. */
static int
ui_putn(int y, int x, int w, const char *s, size_t len)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int used = 0, cw;

	memset(&st, 0, sizeof st);
	move(y, x);
	while (len > 0 && used < w) {
		n = mbrtowc(&wc, s, len, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			wc = L'?';
			n = 1;
			memset(&st, 0, sizeof st);
		}
		if (wc < 0x20 || wc == 0x7f || (wc >= 0x80 && wc < 0xa0))
			wc = L'?';
		cw = wcwidth(wc);
		if (cw < 0)
			wc = L'?', cw = 1;
		if (used + cw > w)
			break;
		addnwstr(&wc, 1);
		used += cw;
		s += n;
		len -= n;
	}
	return used;
}

int
ui_put(int y, int x, int w, const char *s)
{
	return ui_putn(y, x, w, s, strlen(s));
}

/* The bytes of the first character of s (1 when it is not valid). */
static size_t
n_first(const char *s, size_t len)
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
ui_fit(const char *s, int w)
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
		return n_first(s, len);
	if (off < len && space > off / 2 && s[off] != ' ')
		return space;
	return off;
}

/* Continuation rows of a wrapped line are indented by this much more
 * than the line itself, within a third of the width. */
#define UI_WRAP_INDENT 2

static int
ui_wrap_indent(const char *s, int w)
{
	int n = (int)strspn(s, " ") + UI_WRAP_INDENT;

	return n < w / 3 ? n : w / 3;
}

static const char *
ui_unmark(const char *s)
{
	return *s == LINE_OK || *s == LINE_FAIL || *s == LINE_HEAD ||
	    *s == LINE_WARN ? s + 1 : s;
}

int
ui_text_rows(const char *s, int w)
{
	int rows = 0, ind;

	s = ui_unmark(s);
	if (w <= UI_WRAP_INDENT + 1)
		return 1;
	ind = ui_wrap_indent(s, w);
	do {
		s += ui_fit(s, rows ? w - ind : w);
		rows++;
	} while (*s != '\0');
	return rows;
}

void
ui_fill(int y, int x, int w)
{
	mvhline(y, x, ' ', w);
}

/* A frame with a title; ASCII when the terminal has no line drawing. */
void
ui_box(int y, int x, int h, int w, const char *title, int focused)
{
	struct ui *u = ui_current;
	chtype hl = u->ascii ? '-' : ACS_HLINE, vl = u->ascii ? '|' : ACS_VLINE;
	chtype ul = u->ascii ? '+' : ACS_ULCORNER, ur = u->ascii ? '+' : ACS_URCORNER;
	chtype ll = u->ascii ? '+' : ACS_LLCORNER, lr = u->ascii ? '+' : ACS_LRCORNER;

	if (h < 2 || w < 2)
		return;
	if (focused)
		ui_attr(C_FOCUS, A_BOLD, 1);
	mvaddch(y, x, ul);
	mvhline(y, x + 1, hl, w - 2);
	mvaddch(y, x + w - 1, ur);
	mvvline(y + 1, x, vl, h - 2);
	mvvline(y + 1, x + w - 1, vl, h - 2);
	mvaddch(y + h - 1, x, ll);
	mvhline(y + h - 1, x + 1, hl, w - 2);
	mvaddch(y + h - 1, x + w - 1, lr);
	if (title != NULL && w > 6) {
		mvaddch(y, x + 1, ' ');
		ui_put(y, x + 2, w - 5, title);
		addch(' ');
		if (focused)
			addch('*');
	}
	if (focused)
		ui_attr(C_FOCUS, A_BOLD, 0);
}

/* ---- lines ---- */

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

/* What the last frame drew of ui.text, so that scrolling plain text knows
 * where the wrapped end is. */
static struct {
	int drawn, h, w;
	enum ui_screen scr;
} text_geom;

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
	if (ui_current != NULL && l == &ui_current->text && !sel) {
		text_geom.drawn = 1;
		text_geom.h = h;
		text_geom.w = w;
		text_geom.scr = ui_current->scr;
	}
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur < l->n) {
		/* the first line from which all of line cur still fits */
		t = l->cur;
		acc = ui_text_rows(l->v[t], w);
		while (t > 0 && acc + ui_text_rows(l->v[t - 1], w) <= h) {
			acc += ui_text_rows(l->v[t - 1], w);
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
		wind = ui_wrap_indent(s, w);
		do {
			int ind = first ? 0 : wind;

			if (w <= UI_WRAP_INDENT + 1)
				n = strlen(s);	/* too narrow: cut */
			else
				n = ui_fit(s, w - ind);
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

/* The first line from which the rest of ui.text fills the window it was
 * last drawn in: how far plain text scrolls down. */
static size_t
text_last_top(const struct lines *l, int h, int w)
{
	size_t t;
	int acc = 0, r;

	if (l->n == 0)
		return 0;
	for (t = l->n; t > 0; t--) {
		r = ui_text_rows(l->v[t - 1], w);
		if (acc + r > h)
			break;
		acc += r;
	}
	return t < l->n ? t : l->n - 1;
}

/* ---- log ---- */

void
ui_log(struct ui *u, const char *fmt, ...)
{
	va_list ap;
	char *s, *line, when[16];
	time_t t = time(NULL);
	struct tm tm;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		xalloc_fail("vasprintf");
	va_end(ap);
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	line = xasprintf("%s %s", when, s);
	lines_add(&u->log, line);
	u->log.cur = u->log.n - 1;
	if (u->logf != NULL) {
		fprintf(u->logf, "%s\n", line);
		fflush(u->logf);
	}
	ui_fmt(u->status, sizeof u->status, "%s", s);
	free(line);
	free(s);
	ui_dirty = 1;
}

void
ui_error(struct ui *u, const struct err *e)
{
	ui_log(u, "error: %s", e->msg[0] ? e->msg : "failed");
}

void
ui_set_openssl(struct ui *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->openssl, sizeof u->openssl, fmt, ap);
	va_end(ap);
	ui_dirty = 1;
}

/* ---- jobs: slow work in a child process ---- */

void
ui_job_report(int fd, const char *fmt, ...)
{
	va_list ap;
	char s[600];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof s - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof s - 2)
		n = (int)sizeof s - 2;
	s[n++] = '\n';
	/* The parent reads whole lines; a short write is the child's end. */
	if (write(fd, s, (size_t)n) != n)
		_exit(3);
}

/* In the child right after fork: closes every descriptor but the
 * terminal's 0-2 and keep (its pipe). The rest are the parent's: the
 * Connect window's listener and connections (a copy held here would keep
 * a connection the parent closed open to its peer, and a TCP listener's
 * port taken), the database lock, the log file. The child opens what it
 * needs itself. */
static void
ui_job_close_fds(int keep)
{
	DIR *d;
	struct dirent *de;
	long fd, max;

	if ((d = opendir("/proc/self/fd")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			fd = strtol(de->d_name, NULL, 10);
			if (fd > 2 && fd != keep && fd != dirfd(d))
				close((int)fd);
		}
		closedir(d);
		return;
	}
	/* No /proc: every number up to the limit, within reason. */
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		if (fd != keep)
			close((int)fd);
}

int
ui_job_start(struct ui *u, const char *what, job_done_fn *done,
    void (*run)(struct ui *, void *arg, int fd), void *arg)
{
	int p[2];
	pid_t pid;

	if (u->job.pid != 0) {
		ui_log(u, "busy: %s is still running (Esc cancels it)",
		    u->job.what);
		return -1;
	}
	if (pipe(p) == -1) {
		ui_log(u, "error: pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		ui_log(u, "error: fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		/* The child never touches the terminal. */
		xalloc_set_fail_hook(NULL);
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		ui_job_close_fds(p[1]);
		/* Its copy of the parent's memory holds the unlocked CA key
		 * and the Connect keys, which the job never needs. */
		rsakey_clear(&u->ca.key);
		conn_forget_keys(u);
		run(u, arg, p[1]);
		_exit(0);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	u->job.pid = pid;
	u->job.fd = p[0];
	buf_init(&u->job.in);
	ui_fmt(u->job.what, sizeof u->job.what, "%s", what);
	u->job.stage[0] = '\0';
	u->job.started = ui_now_ms();
	u->job.done = done;
	ui_log(u, "%s: started (Esc cancels)", what);
	return 0;
}

static void
ui_job_end(struct ui *u, int ok, const char *msg)
{
	job_done_fn *done = u->job.done;
	char what[128];

	ui_fmt(what, sizeof what, "%s", u->job.what);
	close(u->job.fd);
	waitpid(u->job.pid, NULL, 0);
	buf_clear(&u->job.in);
	memset(&u->job, 0, sizeof u->job);
	if (done != NULL)
		done(u, ok, msg);
	ui_dirty = 1;
}

static void
ui_job_cancel(struct ui *u)
{
	if (u->job.pid == 0)
		return;
	kill(u->job.pid, SIGTERM);
	ui_log(u, "%s: cancelled", u->job.what);
	u->job.done = NULL;
	ui_job_end(u, 0, "cancelled");
	scr_refresh_lists(u);
}

static void
ui_job_read(struct ui *u)
{
	char tmp[512], *nl, *line;
	ssize_t r;

	for (;;) {
		r = read(u->job.fd, tmp, sizeof tmp);
		if (r > 0) {
			buf_append(&u->job.in, tmp, (size_t)r);
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		break;
	}
	while ((nl = memchr(u->job.in.data, '\n', u->job.in.len)) != NULL) {
		size_t n = (size_t)(nl - (char *)u->job.in.data);

		line = xstrndup((char *)u->job.in.data, n);
		memmove(u->job.in.data, nl + 1, u->job.in.len - n - 1);
		u->job.in.len -= n + 1;
		if (line[0] == 'P' && line[1] == ' ') {
			/* progress: the status line only */
			ui_fmt(u->job.stage, sizeof u->job.stage, "%s",
			    line + 2);
		} else if (line[0] == 'S' && line[1] == ' ') {
			ui_fmt(u->job.stage, sizeof u->job.stage, "%s",
			    line + 2);
			ui_log(u, "%s: %s", u->job.what, line + 2);
		} else if (line[0] == 'D' && line[1] == ' ' && line[2] != '\0') {
			int ok = line[2] == '0';

			ui_job_end(u, ok, line[3] ? line + 4 : "");
			free(line);
			return;
		}
		free(line);
	}
	if (r == 0)
		ui_job_end(u, 0, "the worker process stopped");
}

/* ---- the key table ---- */

typedef void action_fn(struct ui *);

/* Where a binding applies: the focused window and the screen (0: any). */
#define W(x) (1u << (x))
#define S(x) (1u << (x))
#define W_ANY 0u
/* With the windows: the key acts also while a form, a filter or a typed
 * line takes the keys (a function key, which nothing types). */
#define W_ALWAYS (1u << 31)
#define S_ANY 0u
#define S_LISTS (S(SCR_ENTITIES) | S(SCR_INVENTORY))

struct binding {
	int key;
	unsigned win, scr;
	action_fn *fn;
	const char *keys;	/* as the help shows them; NULL: not listed */
	const char *help;
};

static const enum ui_screen nav_screens[] = { SCR_WELCOME, SCR_ENTITIES,
	SCR_INVENTORY, SCR_ISSUE, SCR_VERIFY, SCR_DETAIL, SCR_CRL, SCR_AUDIT,
	SCR_CONNECT };
static const char *const nav_names[] = { "Welcome", "Entities", "Inventory",
	"Issue", "Verify", "Detail", "CRL", "Audit log", "Connect" };
#define NAV_N ((int)(sizeof nav_screens / sizeof nav_screens[0]))

/* Asks first when work runs or typed input would be lost: a form (F10
 * reaches here from one), a service line in Connect. */
static void act_quit(struct ui *u) {
	if (u->job.pid != 0 || u->form_open || conn_typing(u))
		u->confirm_quit = 1;
	else
		u->quit = 1;
}
static void act_focus(struct ui *u) {
	do
		u->focus = (enum win)((u->focus + 1) % WIN__COUNT);
	while (u->focus == WIN_DETAIL && !(u->split && scr_has_list(u)));
	u->zoom = 0;
}
static void act_focus_back(struct ui *u) {
	do
		u->focus = (enum win)((u->focus + WIN__COUNT - 1) % WIN__COUNT);
	while (u->focus == WIN_DETAIL && !(u->split && scr_has_list(u)));
	u->zoom = 0;
}
static void act_zoom(struct ui *u) { u->zoom = !u->zoom; }
static void act_help(struct ui *u) { u->help = 1; }
static void act_openssl(struct ui *u) {
	u->show_openssl = !u->show_openssl;
	if (u->show_openssl)
		ui_log(u, "openssl equivalent: %s", u->openssl[0] ? u->openssl :
		    "(none for this screen)");
}
static void act_split(struct ui *u) { u->split = !u->split; if (!u->split && u->focus == WIN_DETAIL) u->focus = WIN_MAIN; }
static int ui_page(struct ui *u) { return u->rows > 12 ? u->rows - 12 : 1; }
static void ui_move(struct ui *u, long d) {
	switch (u->focus) {
	case WIN_NAV:
		/* Home/End (a huge d) stop at the ends; a step wraps. */
		if (d <= -NAV_N)
			u->nav_cur = 0;
		else if (d >= NAV_N)
			u->nav_cur = NAV_N - 1;
		else
			u->nav_cur = (int)((u->nav_cur + d + NAV_N) % NAV_N);
		break;
	case WIN_LOG:
		lines_move(&u->log, d, UI_LOG_H - 2);
		break;
	case WIN_DETAIL:
		lines_move(&u->side, d, 0);
		break;
	default:
		if (u->scr == SCR_CONNECT) {
			conn_move(u, d, ui_page(u));
			break;
		}
		if (text_geom.drawn && text_geom.scr == u->scr &&
		    !scr_has_list(u) && !(u->scr == SCR_DETAIL && u->asn1)) {
			/* Plain text, wrapped: scroll to where its end is
			 * in view, not one row per line. */
			long c = (long)u->text.top + d;
			long last = (long)text_last_top(&u->text,
			    text_geom.h, text_geom.w);

			if (c > last)
				c = last;
			if (c < 0)
				c = 0;
			u->text.top = u->text.cur = (size_t)c;
			break;
		}
		scr_move(u, d, ui_page(u));
	}
}
static void act_up(struct ui *u) { ui_move(u, -1); }
static void act_down(struct ui *u) { ui_move(u, 1); }
static void act_pgup(struct ui *u) { ui_move(u, -ui_page(u)); }
static void act_pgdn(struct ui *u) { ui_move(u, ui_page(u)); }
static void act_home(struct ui *u) { ui_move(u, -(1L << 30)); }
static void act_end(struct ui *u) { ui_move(u, 1L << 30); }


static void act_enter(struct ui *u) {
	if (u->focus == WIN_NAV) {
		ui_set_screen(u, nav_screens[u->nav_cur]);
		u->focus = WIN_MAIN;
	} else if (u->focus == WIN_MAIN && u->scr == SCR_CONNECT)
		conn_key(u, '\n');
	else if (u->focus == WIN_MAIN)
		scr_select(u);
}
static void act_back(struct ui *u) {
	if (u->zoom)
		u->zoom = 0;
	else if (u->focus != WIN_MAIN && u->focus != WIN_NAV)
		u->focus = WIN_MAIN;
	else if (u->scr == SCR_DETAIL && u->asn1)
		u->asn1 = 0, u->text.cur = u->text.top = 0;
	else if (u->scr == SCR_DETAIL || u->scr == SCR_ISSUE ||
	    u->scr == SCR_VERIFY)
		ui_set_screen(u, u->back);
	else if (u->focus == WIN_MAIN)
		u->focus = WIN_NAV;
}
static void act_filter(struct ui *u) {
	if (!scr_has_list(u))
		return;
	u->filtering = 1;
	u->focus = WIN_MAIN;
}
static void act_lock(struct ui *u) { scr_lock(u); conn_lock(u); }
static void act_nav1(struct ui *u) { ui_set_screen(u, SCR_ENTITIES); }
static void act_nav2(struct ui *u) { ui_set_screen(u, SCR_INVENTORY); }
static void act_nav3(struct ui *u) { scr_open_issue(u); }
static void act_nav4(struct ui *u) { scr_open_verify(u); }
static void act_new_ca(struct ui *u) { scr_open_create_ca(u); }
static void act_demo(struct ui *u) { scr_open_demo(u); }
static void act_new_key(struct ui *u) { scr_open_new_key(u); }
static void act_new_csr(struct ui *u) { scr_open_new_csr(u); }
static void act_export(struct ui *u) { scr_open_export(u); }
static void act_refresh(struct ui *u) { scr_refresh_lists(u); clearok(curscr, TRUE); ui_log(u, "lists reloaded"); }
static void act_screen_key(struct ui *u) { (void)u; }

#define CTRL(c) ((c) & 0x1f)

/* Keys handled by the screens (scr_key) are listed here too, with
 * act_screen_key, so the help shows them from this one table. */
static const struct binding bindings[] = {
	{ 'q', W_ANY, S_ANY, act_quit, "q F10", "quit (asks first while work runs or input is typed; F10 also in a form)" },
	{ KEY_F(10), W_ANY | W_ALWAYS, S_ANY, act_quit, NULL, NULL },
	{ '\t', W_ANY, S_ANY, act_focus, "Tab S-Tab", "move the focus to the next / previous window" },
	{ KEY_BTAB, W_ANY, S_ANY, act_focus_back, NULL, NULL },
	{ 'z', W_ANY, S_ANY, act_zoom, "z", "zoom the focused window (again: unzoom)" },
	{ '?', W_ANY, S_ANY, act_help, "? F1", "this help" },
	{ KEY_F(1), W_ANY, S_ANY, act_help, NULL, NULL },
	{ 'o', W_ANY, S_ANY, act_openssl, "o", "learning aid: show the equivalent openssl command" },
	{ 'L', W_ANY, S_ANY, act_lock, "L", "lock: wipe the unlocked CA key; stop Connect's server, wipe its keys" },
	{ CTRL('l'), W_ANY, S_ANY, act_refresh, "C-l", "reload the lists and redraw" },
	{ KEY_UP, W_ANY, S_ANY, act_up, "Up k", "move up" },
	{ 'k', W_ANY, S_ANY, act_up, NULL, NULL },
	{ KEY_DOWN, W_ANY, S_ANY, act_down, "Down j", "move down" },
	{ 'j', W_ANY, S_ANY, act_down, NULL, NULL },
	{ KEY_PPAGE, W_ANY, S_ANY, act_pgup, "PgUp PgDn", "move a page" },
	{ KEY_NPAGE, W_ANY, S_ANY, act_pgdn, NULL, NULL },
	{ CTRL('b'), W_ANY, S_ANY, act_pgup, NULL, NULL },
	{ CTRL('f'), W_ANY, S_ANY, act_pgdn, NULL, NULL },
	{ KEY_HOME, W_ANY, S_ANY, act_home, "Home g End G", "first / last line" },
	{ 'g', W_ANY, S_ANY, act_home, NULL, NULL },
	{ KEY_END, W_ANY, S_ANY, act_end, NULL, NULL },
	{ 'G', W_ANY, S_ANY, act_end, NULL, NULL },
	{ '\n', W_ANY, S_ANY, act_enter, "Enter", "open the selected item" },
	{ KEY_ENTER, W_ANY, S_ANY, act_enter, NULL, NULL },
	{ '\r', W_ANY, S_ANY, act_enter, NULL, NULL },
	{ 'l', W(WIN_NAV), S_ANY, act_enter, NULL, NULL },
	{ KEY_RIGHT, W(WIN_NAV), S_ANY, act_enter, "Right l", "(menu) open the screen" },
	{ 27, W_ANY, S_ANY, act_back, "Esc", "back; cancels a running job" },
	{ KEY_LEFT, W(WIN_MAIN), S_ANY, act_back, "Left h", "back" },
	{ 'h', W(WIN_MAIN), S_ANY, act_back, NULL, NULL },
	{ 's', W_ANY, S_LISTS, act_split, "s", "split the main area: list over the selection's summary" },
	{ '/', W_ANY, S_LISTS, act_filter, "/", "filter the list as you type (Enter keeps, Esc clears)" },
	{ '1', W_ANY, S_ANY, act_nav1, "1 2 3 4", "Entities, Inventory, Issue, Verify" },
	{ '2', W_ANY, S_ANY, act_nav2, NULL, NULL },
	{ '3', W_ANY, S_ANY, act_nav3, NULL, NULL },
	{ '4', W_ANY, S_ANY, act_nav4, NULL, NULL },
	{ 'c', W_ANY, S(SCR_WELCOME) | S(SCR_ENTITIES), act_new_ca, "c", "create a root CA (form)" },
	{ 'a', W_ANY, S(SCR_WELCOME), act_new_ca, "a", "create a root CA (form)" },
	{ 'd', W_ANY, S(SCR_WELCOME) | S(SCR_ENTITIES), act_demo, "d", "create the demo lab" },
	{ 'n', W_ANY, S(SCR_ENTITIES), act_new_key, "n", "new key for an entity (form)" },
	{ 'r', W_ANY, S(SCR_ENTITIES), act_new_csr, "r", "new certificate request for the selected entity" },
	{ 'i', W_ANY, S(SCR_ENTITIES), act_nav3, "i", "issue: review a request" },
	{ 'v', W_ANY, S(SCR_ENTITIES) | S(SCR_INVENTORY), act_nav4, "v", "verify the selected certificate" },
	{ 'x', W_ANY, S(SCR_ENTITIES), act_export, "x", "export certificate or key" },
	{ 'e', W_ANY, S(SCR_ENTITIES), act_screen_key, NULL, NULL },
	{ '<', W_ANY, S(SCR_INVENTORY), act_screen_key, "< >", "sort by the previous / next column" },
	{ '>', W_ANY, S(SCR_INVENTORY), act_screen_key, NULL, NULL },
	{ 'R', W_ANY, S(SCR_INVENTORY), act_screen_key, "R", "reverse the sort order" },
	{ 'C', W_ANY, S(SCR_INVENTORY), act_screen_key, "C", "next CA" },
	{ 't', W_ANY, S(SCR_DETAIL), act_screen_key, "t", "toggle the ASN.1 tree (tag, offset, length, hex)" },
	{ 'a', W_ANY, S(SCR_ISSUE), act_screen_key, "a", "approve: sign the certificate" },
	{ 'r', W_ANY, S(SCR_ISSUE), act_screen_key, "r", "reject the request" },
	{ 'p', W_ANY, S(SCR_ISSUE), act_screen_key, "p", "next profile (server, client, ca)" },
	{ '+', W_ANY, S(SCR_ISSUE), act_screen_key, "+ -", "validity: 30 days more / less" },
	{ '-', W_ANY, S(SCR_ISSUE), act_screen_key, NULL, NULL },
	{ 'O', W_ANY, S(SCR_ISSUE), act_screen_key, "O", "open another request" },
	{ 'V', W_ANY, S(SCR_VERIFY), act_screen_key, "V", "verify again with other inputs" },
	{ 'c', W_ANY, S(SCR_CONNECT), act_screen_key, "c Enter", "new connection (form: server, client, anchor, TLS, client auth)" },
	{ 'i', W_ANY, S(SCR_CONNECT), act_screen_key, "i Enter", "type a service line: WHOAMI, ECHO text, TIME, QUIT (Esc stops)" },
	{ 'x', W_ANY, S(SCR_CONNECT), act_screen_key, "x", "disconnect the client and stop the server" },
	{ 'v', W_ANY, S(SCR_CONNECT), act_screen_key, "v", "brief trace: one line per message (again: every field)" },
	{ 'f', W_ANY, S(SCR_INVENTORY), act_screen_key, "f", "status filter: all, valid, revoked, expired, superseded, expiring-soon" },
	{ 'r', W_ANY, S(SCR_INVENTORY), act_screen_key, "r", "revoke the selected certificate (reason, optional dates, then y/n)" },
	{ 'n', W_ANY, S(SCR_INVENTORY), act_screen_key, "n", "renew the selected certificate (same key, or rekey from a request)" },
	{ 'y', W_ANY, S(SCR_INVENTORY), act_screen_key, "y", "confirm a revoke (any other key cancels)" },
	{ 'O', W_ANY, S(SCR_DETAIL) | S(SCR_ENTITIES), act_screen_key, "O", "open a file: certificate, request, CRL or key" },
	{ 'C', W_ANY, S(SCR_CRL) | S(SCR_AUDIT), act_screen_key, "C", "next CA" },
	{ 'n', W_ANY, S(SCR_CRL), act_screen_key, "n", "generate a new CRL now (unlocks the CA)" },
};

/* Whether b acts in the focused window and on the current screen (0 in
 * either: everywhere). */
static int
binding_here(const struct ui *u, const struct binding *b)
{
	return ((b->win & ~W_ALWAYS) == 0 || (b->win & W(u->focus))) &&
	    (b->scr == 0 || (b->scr & S(u->scr)));
}

static const struct binding *
ui_binding(const struct ui *u, int ch)
{
	size_t i;

	for (i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
		const struct binding *b = &bindings[i];

		if (b->key == ch && binding_here(u, b))
			return b;
	}
	return NULL;
}

static const char *
ui_hints(const struct ui *u)
{
	if (u->form_open)
		return "Tab/Down next field  Up prev  Space choice  Enter OK  Esc cancel  F10 quit";
	if (u->filtering)
		return "type to filter  Enter keep  Esc clear  F10 quit";
	switch (u->scr) {
	case SCR_WELCOME:
		return "a root CA  d demo lab  1 entities  ? help  q quit";
	case SCR_ENTITIES:
		return "n key  r request  i issue  v verify  x export  O open file  / filter  ? help";
	case SCR_INVENTORY:
		return "r revoke  n renew  f status  / filter  < > sort  R reverse  C next CA  ? help";
	case SCR_ISSUE:
		return "a approve  r reject  p profile  + - days  O other request  Esc back";
	case SCR_DETAIL:
		return "t ASN.1 tree  O open file  o openssl  Esc back  ? help";
	case SCR_VERIFY:
		return "V verify again  o openssl  Esc back  ? help";
	case SCR_CRL:
		return "n new CRL now  C next CA  Up/Down scroll  o openssl  ? help";
	case SCR_AUDIT:
		return "C next CA  Up/Down scroll (newest at the bottom)  o openssl  ? help";
	case SCR_CONNECT:
		return conn_hints(u);
	default:
		return "? help";
	}
}

/* ---- screens and drawing ---- */

void
ui_set_screen(struct ui *u, enum ui_screen s)
{
	if (u->scr == SCR_CONNECT && s != SCR_CONNECT)
		conn_leave(u);
	if (s != SCR_DETAIL && s != SCR_ISSUE && s != SCR_VERIFY)
		u->back = s;
	else if (u->scr != SCR_DETAIL && u->scr != SCR_ISSUE &&
	    u->scr != SCR_VERIFY)
		u->back = u->scr;
	u->scr = s;
	for (u->nav_cur = 0; u->nav_cur < NAV_N; u->nav_cur++)
		if (nav_screens[u->nav_cur] == s)
			break;
	if (u->nav_cur == NAV_N)
		u->nav_cur = 0;
	u->filtering = 0;
	scr_enter(u, s);
	ui_dirty = 1;
}

static void
ui_draw_help(struct ui *u)
{
	int h = u->rows - 4, w = u->cols - 8, y = 2, x = 4, r = 1;
	size_t i, nb = sizeof bindings / sizeof bindings[0];
	char line[256];
	static const char *const wname[] = { "menu", "main", "detail", "log" };

	for (i = 0; i < (size_t)h; i++)
		ui_fill(y + (int)i, x, w);
	ui_fmt(line, sizeof line, "Help: %s screen, %s window (Esc closes)",
	    nav_names[u->nav_cur], wname[u->focus]);
	ui_box(y, x, h, w, line, 1);
	/* The screen's own keys first, then the global ones. */
	for (i = 0; i < 2 * nb && r < h - 1; i++) {
		const struct binding *b = &bindings[i % nb];

		if (b->keys == NULL || (i < nb) != (b->scr != 0))
			continue;
		if (!binding_here(u, b))
			continue;
		attron(A_BOLD);
		ui_put(y + r, x + 2, 14, b->keys);
		attroff(A_BOLD);
		ui_put(y + r, x + 17, w - 19, b->help);
		r++;
	}
}

static void
ui_draw_nav(struct ui *u, int y, int x, int h, int w)
{
	int i;

	ui_box(y, x, h, w, "Menu", u->focus == WIN_NAV);
	for (i = 0; i < NAV_N && i < h - 2; i++) {
		char s[32];

		ui_fmt(s, sizeof s, " %s", nav_names[i]);
		if (i == u->nav_cur) {
			ui_attr(C_SEL, A_REVERSE, 1);
			ui_fill(y + 1 + i, x + 1, w - 2);
		}
		ui_put(y + 1 + i, x + 1, w - 2, s);
		if (i == u->nav_cur)
			ui_attr(C_SEL, A_REVERSE, 0);
	}
	if (h > 12) {
		ui_put(y + h - 4, x + 1, w - 2, u->ca_open ? " CA key:" : "");
		if (u->ca_open) {
			ui_attr(C_WARN, A_BOLD, 1);
			ui_put(y + h - 3, x + 2, w - 3, "unlocked (L)");
			ui_attr(C_WARN, A_BOLD, 0);
		}
	}
}

static void
ui_draw_status(struct ui *u)
{
	static const char spin[] = "|/-\\";
	char s[512];
	int y = u->rows - 2;

	ui_fill(y, 0, u->cols);
	if (u->job.pid != 0) {
		ui_fmt(s, sizeof s, "[%c] %s: %s (%llds)  Esc cancels",
		    spin[u->spin % 4], u->job.what,
		    u->job.stage[0] ? u->job.stage : "working",
		    (long long)((ui_now_ms() - u->job.started) / 1000));
		ui_attr(C_WARN, A_BOLD, 1);
		ui_put(y, 0, u->cols, s);
		ui_attr(C_WARN, A_BOLD, 0);
	} else if (u->show_openssl) {
		ui_fmt(s, sizeof s, "openssl: %s", u->openssl[0] ?
		    u->openssl : "(no equivalent for this screen)");
		ui_attr(C_HEAD, A_BOLD, 1);
		ui_put(y, 0, u->cols, s);
		ui_attr(C_HEAD, A_BOLD, 0);
	} else
		ui_put(y, 0, u->cols, u->status);
	ui_attr(C_HINT, A_REVERSE, 1);
	ui_fill(u->rows - 1, 0, u->cols);
	ui_put(u->rows - 1, 0, u->cols, ui_hints(u));
	ui_attr(C_HINT, A_REVERSE, 0);
}

/* The end of path s that fits in w columns with "..." before it, cut at a
 * character boundary; s itself when it fits. Counts bytes, which are never
 * fewer than the columns they take. Keeps the CA state in the title bar
 * visible under a long workspace path. */
static const char *
ui_tail(const char *s, size_t w)
{
	size_t len = strlen(s);

	if (len <= w)
		return s;
	s += len - (w > 3 ? w - 3 : 0);
	while (((unsigned char)*s & 0xc0) == 0x80)
		s++;
	return s;
}

static void
ui_draw(struct ui *u)
{
	char title[512], ca[192];
	const char *dir;
	int room, top = 1, logh = UI_LOG_H, mainh, mx, mw;
	static const char *const titles[SCR__COUNT] = {
		"Welcome", "Entities", "Inventory", "Issue: review a request",
		"Detail", "Verify", "CRL", "Audit log",
		"Connect: a TLS handshake, message by message",
	};

	erase();
	text_geom.drawn = 0;
	getmaxyx(stdscr, u->rows, u->cols);
	if (u->rows < UI_MIN_ROWS || u->cols < UI_MIN_COLS) {
		char s[128];

		ui_fmt(s, sizeof s, "terminal too small: need %dx%d, have "
		    "%dx%d", UI_MIN_COLS, UI_MIN_ROWS, u->cols, u->rows);
		attron(A_BOLD);
		mvaddnstr(u->rows / 2, 0, s, u->cols);
		attroff(A_BOLD);
		if (u->rows > 1)
			mvaddnstr(u->rows / 2 + 1, 0, "resize, or q to quit",
			    u->cols);
		refresh();
		return;
	}
	/* What holds secrets in memory stays in sight: the unlocked CA,
	 * and a TLS server of the Connect window on any screen. */
	ui_fmt(ca, sizeof ca, "%s%s%s%s", u->ca_open ? "  CA '" : "",
	    u->ca_open ? u->ca.name : "", u->ca_open ? "' unlocked" : "",
	    conn_listening(u) ? "  TLS server listening" : "");
	room = u->cols - (int)strlen(ca) - (int)strlen(" minipki-tui  workspace ");
	dir = ui_tail(u->ws.dir, room > 0 ? (size_t)room : 0);
	ui_fmt(title, sizeof title, " minipki-tui  workspace %s%s%s",
	    dir == u->ws.dir ? "" : "...", dir, ca);
	ui_attr(C_TITLE, A_REVERSE, 1);
	ui_fill(0, 0, u->cols);
	ui_put(0, 0, u->cols, title);
	ui_attr(C_TITLE, A_REVERSE, 0);

	mainh = u->rows - top - logh - 2;
	if (u->zoom) {
		int h = u->rows - 3;

		switch (u->focus) {
		case WIN_NAV:
			ui_draw_nav(u, top, 0, h, u->cols);
			break;
		case WIN_LOG:
			ui_box(top, 0, h, u->cols, "Log", 1);
			lines_draw(&u->log, top + 1, 1, h - 2, u->cols - 2, 0);
			break;
		case WIN_DETAIL:
			ui_box(top, 0, h, u->cols, "Summary", 1);
			scr_draw_side(u, top + 1, 1, h - 2, u->cols - 2);
			break;
		default:
			ui_box(top, 0, h, u->cols, titles[u->scr], 1);
			scr_draw_main(u, top + 1, 1, h - 2, u->cols - 2);
		}
	} else {
		ui_draw_nav(u, top, 0, mainh, UI_NAV_W);
		mx = UI_NAV_W;
		mw = u->cols - UI_NAV_W;
		if (u->split && scr_has_list(u)) {
			int h1 = mainh / 2 + 1, h2 = mainh - h1;

			ui_box(top, mx, h1, mw, titles[u->scr],
			    u->focus == WIN_MAIN);
			scr_draw_main(u, top + 1, mx + 1, h1 - 2, mw - 2);
			ui_box(top + h1, mx, h2, mw, "Summary",
			    u->focus == WIN_DETAIL);
			scr_draw_side(u, top + h1 + 1, mx + 1, h2 - 2, mw - 2);
		} else {
			ui_box(top, mx, mainh, mw, titles[u->scr],
			    u->focus == WIN_MAIN);
			scr_draw_main(u, top + 1, mx + 1, mainh - 2, mw - 2);
		}
		ui_box(top + mainh, 0, logh, u->cols, "Log",
		    u->focus == WIN_LOG);
		lines_draw(&u->log, top + mainh + 1, 1, logh - 2, u->cols - 2,
		    0);
	}
	ui_draw_status(u);
	if (u->form_open)
		form_draw(u);
	if (u->help)
		ui_draw_help(u);
	if (u->confirm_quit) {
		int w = 56, y = u->rows / 2 - 2, x = (u->cols - w) / 2, i;

		for (i = 0; i < 5; i++)
			ui_fill(y + i, x, w);
		ui_box(y, x, 5, w, "Quit?", 1);
		ui_put(y + 1, x + 2, w - 4, u->job.pid ? "A job is still "
		    "running; quitting cancels it." : "Unsaved input will be "
		    "lost.");
		attron(A_BOLD);
		ui_put(y + 3, x + 2, w - 4, "Quit minipki-tui? (y/n)");
		attroff(A_BOLD);
	}
	refresh();
}

/* ---- keys ---- */

static void
ui_key(struct ui *u, int ch, int is_key)
{
	const struct binding *b;

	ui_dirty = 1;
	if (ch == KEY_RESIZE)
		return;		/* ui_draw reads the new size */
	if (u->confirm_quit) {
		if (ch == 'y' || ch == 'Y')
			u->quit = 1;
		u->confirm_quit = 0;
		return;
	}
	if (u->rows < UI_MIN_ROWS || u->cols < UI_MIN_COLS) {
		if (ch == 'q' || ch == KEY_F(10))
			u->quit = 1;
		return;
	}
	/* F10 quits from a form or a typed line too. */
	if (is_key && (b = ui_binding(u, ch)) != NULL &&
	    (b->win & W_ALWAYS)) {
		u->help = 0;
		b->fn(u);
		return;
	}
	if (u->help) {
		u->help = 0;
		return;
	}
	if (!is_key && ch == 27 && u->job.pid != 0) {
		ui_job_cancel(u);
		return;
	}
	if (u->form_open) {
		form_key(u, ch, is_key);
		return;
	}
	if (u->filtering) {
		scr_key(u, ch);
		return;
	}
	if (u->scr == SCR_CONNECT && u->focus == WIN_MAIN && conn_typing(u) &&
	    ch != KEY_MOUSE && conn_key(u, ch))
		return;
	/* The screen's own keys (table entries with act_screen_key). */
	if (ui_binding(u, ch) == NULL || ui_binding(u, ch)->fn ==
	    act_screen_key) {
		if (scr_key(u, ch))
			return;
	}
	if ((b = ui_binding(u, ch)) != NULL) {
		b->fn(u);
		return;
	}
	if (ch == KEY_MOUSE) {
		MEVENT me;

		if (getmouse(&me) == OK && (me.bstate & (BUTTON1_CLICKED |
		    BUTTON1_PRESSED))) {
			int mainh = u->rows - 1 - UI_LOG_H - 2;

			if (me.x < UI_NAV_W && me.y >= 2 && me.y < 2 + NAV_N &&
			    me.y < mainh) {
				u->nav_cur = me.y - 2;
				u->focus = WIN_NAV;
				act_enter(u);
			} else if (me.x >= UI_NAV_W && me.y >= 2 &&
			    me.y < mainh) {
				u->focus = WIN_MAIN;
				scr_click(u, me.y);
			} else if (me.y > mainh && me.y < u->rows - 2)
				u->focus = WIN_LOG;
		}
	}
}

/* ---- timing, for bench/bench-tui.sh ---- */

static int64_t
ui_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* With MINIPKI_TUI_TIMING set, the log file gets how long the start-up
 * to the first drawn screen took, and each key from its arrival to the
 * end of the redraw it caused. Never on the screen. */
static void
ui_timing(struct ui *u, int64_t t_start, int64_t t_key, int key)
{
	const char *tm = getenv("MINIPKI_TUI_TIMING");

	if (tm == NULL || *tm == '\0' || u->logf == NULL)
		return;
	if (t_start != 0)
		fprintf(u->logf, "timing: first screen %.3f ms\n",
		    (double)(ui_now_us() - t_start) / 1000.0);
	else if (t_key != 0)
		fprintf(u->logf, "timing: key %d %.3f ms\n", key,
		    (double)(ui_now_us() - t_key) / 1000.0);
	fflush(u->logf);
}

/* ---- signals and the terminal ---- */

static void
ui_on_signal(int sig)
{
	ui_signal = sig;
}

static void
ui_restore(void)
{
	if (ui_curses_on) {
		endwin();
		ui_curses_on = 0;
	}
}

static void
ui_fail_hook(void)
{
	ui_restore();
}

/* The terminal lacks line drawing: no acsc capability (vt100 without it,
 * dumb terminals), or the user asks for ASCII. */
static int
ui_want_ascii(void)
{
	const char *e = getenv("MINIPKI_ASCII");
	char *acsc;

	if (e != NULL && *e != '\0' && strcmp(e, "0") != 0)
		return 1;
	acsc = tigetstr("acsc");
	return acsc == NULL || acsc == (char *)-1 || *acsc == '\0';
}

static void
ui_colors(struct ui *u)
{
	const char *nc = getenv("NO_COLOR");
	short bg = COLOR_BLACK;

	u->color = 0;
	if ((nc != NULL && *nc != '\0') || !has_colors())
		return;
	if (start_color() != OK)
		return;
	if (use_default_colors() == OK)
		bg = -1;
	init_pair(C_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_SEL, COLOR_BLACK, COLOR_WHITE);
	init_pair(C_OK, COLOR_GREEN, bg);
	init_pair(C_FAIL, COLOR_RED, bg);
	init_pair(C_HEAD, COLOR_CYAN, bg);
	init_pair(C_WARN, COLOR_YELLOW, bg);
	init_pair(C_HINT, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_FOCUS, COLOR_CYAN, bg);
	u->color = 1;
}

static void
ui_clear(struct ui *u)
{
	if (u->job.pid != 0) {
		kill(u->job.pid, SIGTERM);
		close(u->job.fd);
		waitpid(u->job.pid, NULL, 0);
		buf_clear(&u->job.in);
		u->job.pid = 0;
	}
	form_wipe(u);
	scr_clear(u);
	lines_clear(&u->log);
	lines_clear(&u->text);
	lines_clear(&u->side);
	if (u->logf != NULL)
		fclose(u->logf);
	ws_clear(&u->ws);
}

int
tui_main(const struct opts *opts)
{
	struct ui u;
	struct err e;
	struct sigaction sa;
	struct pollfd pfd[2 + CONN_MAX_POLL];
	const char *logpath;
	wint_t wc;
	int r, rc = EXIT_OK, sig, last_key = 0, wait;
	size_t nconn;
	int64_t t_start = ui_now_us(), t_key = 0;
	const char *tm = getenv("MINIPKI_TUI_TIMING");
	int timing = tm != NULL && *tm != '\0';

	memset(&u, 0, sizeof u);
	u.opts = opts;
	u.split = 1;
	u.focus = WIN_MAIN;
	ca_init(&u.ca);
	cadb_init(&u.db);
	buf_init(&u.der);
	ws_init(&u.ws);
	err_clear(&e);
	setlocale(LC_ALL, "");
	if (ws_open(&u.ws, opts->dir, &e) == -1) {
		fprintf(stderr, "minipki-tui: %s\n", e.msg);
		return err_exit_status(e.kind);
	}
	if ((logpath = getenv("MINIPKI_LOG")) != NULL && *logpath != '\0' &&
	    (u.logf = fopen(logpath, "a")) == NULL) {
		fprintf(stderr, "minipki-tui: %s: %s\n", logpath,
		    strerror(errno));
		ws_clear(&u.ws);
		return EXIT_DATA;
	}
	ui_current = &u;

	/* Ours before initscr, so curses leaves them alone: the loop sees
	 * the flag, restores the terminal and exits. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	xalloc_set_fail_hook(ui_fail_hook);

	if (initscr() == NULL) {
		fprintf(stderr, "minipki-tui: cannot start the terminal "
		    "interface (TERM=%s)\n", getenv("TERM") ? getenv("TERM") :
		    "unset");
		ui_clear(&u);
		return EXIT_DATA;
	}
	ui_curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	u.ascii = ui_want_ascii();
	ui_colors(&u);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);

	if (u.ws.warning != NULL)
		ui_log(&u, "warning: %s", u.ws.warning);
	ui_log(&u, "workspace %s", u.ws.dir);
	scr_refresh_lists(&u);
	ui_set_screen(&u, u.nents == 0 ? SCR_WELCOME : SCR_ENTITIES);
	ui_dirty = 1;

	while (!u.quit && !ui_signal) {
		if (ui_dirty) {
			ui_dirty = 0;
			ui_draw(&u);
			ui_timing(&u, t_start, t_key, last_key);
			t_start = t_key = 0;
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = u.job.pid ? u.job.fd : -1;
		pfd[1].events = POLLIN;
		/* The connection window's server and client share the wait. */
		wait = u.job.pid ? 120 : -1;
		nconn = conn_pollfds(&u, pfd + 2, CONN_MAX_POLL, &wait);
		r = poll(pfd, 2 + nconn, wait);
		if (ui_signal)
			break;
		if (r == -1 && errno != EINTR)
			break;
		if (r >= 0 && nconn > 0 && conn_dispatch(&u, pfd + 2, nconn))
			ui_dirty = 1;
		if (u.job.pid != 0) {
			u.spin++;
			ui_dirty = 1;
			if (r > 0 && pfd[1].revents != 0)
				ui_job_read(&u);
		}
		if (r > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) &&
		    !(pfd[0].revents & POLLIN))
			break;	/* the terminal went away */
		while ((r = get_wch(&wc)) != ERR) {
			if (timing && t_key == 0)
				t_key = ui_now_us();
			last_key = (int)wc;
			if (r == KEY_CODE_YES)
				ui_key(&u, (int)wc, 1);
			else
				ui_key(&u, (int)wc, 0);
			if (u.quit || ui_signal)
				break;
		}
		if (r == ERR && is_term_resized(LINES, COLS))
			ui_dirty = 1;
	}
	sig = ui_signal;
	ui_restore();
	if (sig != 0) {
		ui_log(&u, "stopped by signal %d", sig);
		rc = 128 + sig;
	}
	ui_clear(&u);
	ui_current = NULL;
	return rc;
}
