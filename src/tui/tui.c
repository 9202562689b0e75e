/* tui.c — the loop, the frame of windows, the key table, signals.
 *
 * Layout (rows x cols, at least UI_MIN_COLS x UI_MIN_ROWS):
 *	row 0		title: workspace, CA lock state, the screens' notes
 *	rows 1..	navigation menu (left) | main area (the screen, or a
 *			list over the selection's summary when split)
 *	UI_LOG_H rows	log window
 *	row rows-2	status line (job progress, the learning aid)
 *	row rows-1	key-hint bar
 * ui_layout computes where each window is when the size or the arrangement
 * changes; the frame is drawn and clicks are placed from it. Everything is
 * drawn on stdscr once per loop turn when ui_dirty is set; curses sends
 * only what changed. What a screen shows and does comes through its
 * struct screen (screens.c), its digit shortcut and whether it is shown
 * first included: nothing here names a screen.
 *
 * Single-threaded, and stays so: one poll() loop owns the terminal and
 * every fd of the UI; curses is not thread-safe and nothing here locks.
 * Slow work (key generation, a server, a CA service) runs in forked
 * children that report through pipes this loop polls (job.c,
 * childpipe.c), never in threads. (A batch's signatures may run on
 * signer threads, role/signpool.h, which the calling thread waits for
 * and which never touch curses, the loop or a file.) */
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "net/loop.h"
#include "store/keystore.h"
#include "tui/tui.h"
#include "tui/ui.h"
#include "util/xalloc.h"

struct ui *ui_current;
static volatile sig_atomic_t ui_signal;
static int ui_curses_on;
static int ui_dirty;

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

void
ui_attr(int pair, unsigned fallback, int on)
{
	struct ui *u = ui_current;
	attr_t a = (u != NULL && u->color) ? (attr_t)COLOR_PAIR(pair) :
	    (attr_t)fallback;

	if (pair == C_SEL || pair == C_TITLE)
		a |= A_REVERSE * (u == NULL || !u->color);
	if (on)
		attron(a);
	else
		attroff(a);
}

size_t
ui_char(const char *s, size_t len, mbstate_t *st, wchar_t *wc, int *cw)
{
	size_t n = mbrtowc(wc, s, len, st);

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = L'?';
		n = 1;
		memset(st, 0, sizeof *st);
	}
	if (*wc < 0x20 || *wc == 0x7f || (*wc >= 0x80 && *wc < 0xa0))
		*wc = L'?';
	if ((*cw = wcwidth(*wc)) < 0) {
		*wc = L'?';
		*cw = 1;
	}
	return n;
}

/* Writes len bytes of UTF-8 s at (y, x) in at most w columns; control
 * characters are shown as '?'. Returns the columns used. */
int
ui_putn(int y, int x, int w, const char *s, size_t len)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int used = 0, cw;

	memset(&st, 0, sizeof st);
	move(y, x);
	while (len > 0 && used < w) {
		n = ui_char(s, len, &st, &wc, &cw);
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
ui_redraw(void)
{
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

/* ---- the workspace's lists ---- */

void
ui_lists_reload(struct ui *u)
{
	struct err e;
	struct keystore ks;
	struct cadb_meta m;
	size_t i;

	ws_free_list(u->ents, u->nents);
	free(u->sums);
	u->ents = NULL;
	u->sums = NULL;
	u->nents = 0;
	ws_free_list(u->cas, u->ncas);
	u->cas = NULL;
	u->ncas = 0;
	if (ws_list_keystores(&u->ws, &u->ents, &u->nents, &e) == -1)
		ui_error(u, &e);
	if (ws_list_cas(&u->ws, &u->cas, &u->ncas, &e) == -1)
		ui_error(u, &e);
	u->sums = xcalloc(u->nents + 1, sizeof *u->sums);
	for (i = 0; i < u->nents; i++) {
		struct ent_sum *s = &u->sums[i];

		keystore_init(&ks);
		if (keystore_load(&u->ws, u->ents[i], &ks, &e) == 0) {
			s->bits = ks.bits;
			s->has_cert = ks.cert_pem != NULL;
			ui_fmt(s->subject, sizeof s->subject, "%s",
			    ks.subject ? ks.subject : "");
			ui_fmt(s->not_after, sizeof s->not_after, "%s",
			    ks.not_after ? ks.not_after : "");
			ui_fmt(s->created, sizeof s->created, "%s",
			    ks.created ? ks.created : "");
		} else
			ui_fmt(s->subject, sizeof s->subject, "(%s)", e.msg);
		keystore_clear(&ks);
		cadb_meta_init(&m);
		s->is_ca = cadb_meta_load(&u->ws, u->ents[i], &m, NULL) == 0;
		cadb_meta_clear(&m);
	}
	for (i = 0; i < screens_n; i++)
		if (screens[i]->lists != NULL)
			screens[i]->lists(u);
}

/* ---- the key table ---- */

#define NAV_N ((int)screens_n)

static int
ui_has_list(const struct ui *u)
{
	return (u->scr->flags & SCREEN_LIST) != 0;
}

/* Some screen takes typed input that quitting would lose. */
static int
ui_typing(const struct ui *u)
{
	size_t i;

	for (i = 0; i < screens_n; i++)
		if (screens[i]->typing != NULL && screens[i]->typing(u))
			return 1;
	return 0;
}

/* Asks first when work runs or typed input would be lost: a form (F10
 * reaches here from one), a service line in Connect. */
static void act_quit(struct ui *u) {
	if (u->job.pid != 0 || u->form_open || ui_typing(u))
		u->confirm_quit = 1;
	else
		u->quit = 1;
}
static void act_focus(struct ui *u) {
	do
		u->focus = (enum win)((u->focus + 1) % WIN__COUNT);
	while (u->focus == WIN_DETAIL && !(u->split && ui_has_list(u)));
	u->zoom = 0;
}
static void act_focus_back(struct ui *u) {
	do
		u->focus = (enum win)((u->focus + WIN__COUNT - 1) % WIN__COUNT);
	while (u->focus == WIN_DETAIL && !(u->split && ui_has_list(u)));
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
		if (u->scr->move != NULL)
			(u->scr->move)(u, d, ui_page(u));	/* not curses move() */
		else if (u->scr->text != NULL)
			lines_scroll(u->scr->text(u), d, ui_page(u));
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
		ui_set_screen(u, screens[u->nav_cur]);
		u->focus = WIN_MAIN;
	} else if (u->focus == WIN_MAIN && u->scr->select != NULL)
		u->scr->select(u);
}
static void act_back(struct ui *u) {
	if (u->zoom)
		u->zoom = 0;
	else if (u->focus != WIN_MAIN && u->focus != WIN_NAV)
		u->focus = WIN_MAIN;
	else if (u->scr->back != NULL && u->scr->back(u))
		;
	else if (u->scr->flags & SCREEN_BACK)
		ui_set_screen(u, u->back);
	else if (u->focus == WIN_MAIN)
		u->focus = WIN_NAV;
}
static void act_filter(struct ui *u) {
	if (!ui_has_list(u))
		return;
	u->filtering = 1;
	u->focus = WIN_MAIN;
}
static void act_lock(struct ui *u) {
	size_t i;

	lc_ca_lock(u);
	for (i = 0; i < screens_n; i++)
		if (screens[i]->lock != NULL)
			screens[i]->lock(u);
}
static void act_refresh(struct ui *u) { ui_lists_reload(u); clearok(curscr, TRUE); ui_log(u, "lists reloaded"); }

#define CTRL(c) ((c) & 0x1f)

/* The keys of every screen; a screen's own are in its keys, after these
 * (list: 1 where only a screen with a list takes the key). */
static const struct binding bindings[] = {
	{ 'q', 0, 0, act_quit, "q F10", "quit (asks first while work runs or input is typed; F10 also in a form)" },
	{ KEY_F(10), W_ALWAYS, 0, act_quit, NULL, NULL },
	{ '\t', 0, 0, act_focus, "Tab S-Tab", "move the focus to the next / previous window" },
	{ KEY_BTAB, 0, 0, act_focus_back, NULL, NULL },
	{ 'z', 0, 0, act_zoom, "z", "zoom the focused window (again: unzoom)" },
	{ '?', 0, 0, act_help, "? F1", "this help" },
	{ KEY_F(1), 0, 0, act_help, NULL, NULL },
	{ 'o', 0, 0, act_openssl, "o", "learning aid: show the equivalent openssl command" },
	{ 'L', 0, 0, act_lock, "L", "lock: wipe the unlocked CA key; stop the servers, clients and CA service" },
	{ CTRL('l'), 0, 0, act_refresh, "C-l", "reload the lists and redraw" },
	{ KEY_UP, 0, 0, act_up, "Up k", "move up" },
	{ 'k', 0, 0, act_up, NULL, NULL },
	{ KEY_DOWN, 0, 0, act_down, "Down j", "move down" },
	{ 'j', 0, 0, act_down, NULL, NULL },
	{ KEY_PPAGE, 0, 0, act_pgup, "PgUp PgDn", "move a page" },
	{ KEY_NPAGE, 0, 0, act_pgdn, NULL, NULL },
	{ CTRL('b'), 0, 0, act_pgup, NULL, NULL },
	{ CTRL('f'), 0, 0, act_pgdn, NULL, NULL },
	{ KEY_HOME, 0, 0, act_home, "Home g End G", "first / last line" },
	{ 'g', 0, 0, act_home, NULL, NULL },
	{ KEY_END, 0, 0, act_end, NULL, NULL },
	{ 'G', 0, 0, act_end, NULL, NULL },
	{ '\n', 0, 0, act_enter, "Enter", "open the selected item" },
	{ KEY_ENTER, 0, 0, act_enter, NULL, NULL },
	{ '\r', 0, 0, act_enter, NULL, NULL },
	{ 'l', W(WIN_NAV), 0, act_enter, NULL, NULL },
	{ KEY_RIGHT, W(WIN_NAV), 0, act_enter, "Right l", "(menu) open the screen" },
	{ 27, 0, 0, act_back, "Esc", "back; cancels a running job" },
	{ KEY_LEFT, W(WIN_MAIN), 0, act_back, "Left h", "back" },
	{ 'h', W(WIN_MAIN), 0, act_back, NULL, NULL },
	{ 's', 0, 1, act_split, "s", "split the main area: list over the selection's summary" },
	{ '/', 0, 1, act_filter, "/", "filter the list as you type (Enter keeps, Esc clears)" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

/* Whether b acts in the focused window and on the current screen. */
static int
binding_here(const struct ui *u, const struct binding *b)
{
	return ((b->win & ~W_ALWAYS) == 0 || (b->win & W(u->focus))) &&
	    (!b->list || ui_has_list(u));
}

/* The binding of ch here: the table's, else the screen's own. */
static const struct binding *
ui_binding(const struct ui *u, int ch)
{
	const struct binding *b;

	for (b = bindings; b->key != 0; b++)
		if (b->key == ch && binding_here(u, b))
			return b;
	for (b = u->scr->keys; b != NULL && b->key != 0; b++)
		if (b->key == ch && binding_here(u, b))
			return b;
	return NULL;
}

static const char *
ui_hints(const struct ui *u)
{
	if (u->form_open)
		return "Tab/Down next field  Up prev  Space choice  Enter OK  Esc cancel  F10 quit";
	if (u->filtering)
		return "type to filter  Enter keep  Esc clear  F10 quit";
	if (u->scr->dyn_hints != NULL)
		return u->scr->dyn_hints(u);
	return u->scr->hints != NULL ? u->scr->hints : "? help";
}

/* ---- screens and drawing ---- */

void
ui_set_screen(struct ui *u, const struct screen *s)
{
	if (u->scr != s && u->scr->leave != NULL)
		u->scr->leave(u);
	if (!(s->flags & SCREEN_BACK))
		u->back = s;
	else if (!(u->scr->flags & SCREEN_BACK))
		u->back = u->scr;
	u->scr = s;
	for (u->nav_cur = 0; u->nav_cur < NAV_N; u->nav_cur++)
		if (screens[u->nav_cur] == s)
			break;
	if (u->nav_cur == NAV_N)
		u->nav_cur = 0;
	u->filtering = 0;
	if (s->enter != NULL)
		s->enter(u);
	ui_dirty = 1;
}

/* The windows for the terminal's size and the arrangement (zoom, split),
 * computed again only when one of them changed. */
static void
ui_layout(struct ui *u)
{
	struct ui_layout *l = &u->lay;
	int top = 1, mainh, mw, split = u->split && ui_has_list(u);

	if (l->rows == u->rows && l->cols == u->cols && l->zoom == u->zoom &&
	    l->split == split && (!u->zoom || l->zoomed == u->focus))
		return;
	memset(l, 0, sizeof *l);
	l->rows = u->rows;
	l->cols = u->cols;
	l->zoom = u->zoom;
	l->split = split;
	l->zoomed = u->focus;
	mainh = u->rows - top - UI_LOG_H - 2;
	if (u->zoom) {
		struct ui_rect all = { top, 0, u->rows - 3, u->cols };

		switch (u->focus) {
		case WIN_NAV: l->nav = all; break;
		case WIN_LOG: l->log_box = all; break;
		case WIN_DETAIL: l->side_box = all; break;
		default: l->main_box = all;
		}
	} else {
		l->nav = (struct ui_rect){ top, 0, mainh, UI_NAV_W };
		mw = u->cols - UI_NAV_W;
		if (split) {
			int h1 = mainh / 2 + 1;

			l->main_box = (struct ui_rect){ top, UI_NAV_W, h1, mw };
			l->side_box = (struct ui_rect){ top + h1, UI_NAV_W,
			    mainh - h1, mw };
		} else
			l->main_box = (struct ui_rect){ top, UI_NAV_W, mainh,
			    mw };
		l->log_box = (struct ui_rect){ top + mainh, 0, UI_LOG_H,
		    u->cols };
	}
#define INSIDE(b) (struct ui_rect){ (b).y + 1, (b).x + 1, (b).h - 2, (b).w - 2 }
	if (l->main_box.h > 0)
		l->main = INSIDE(l->main_box);
	if (l->side_box.h > 0)
		l->side = INSIDE(l->side_box);
	if (l->log_box.h > 0)
		l->log = INSIDE(l->log_box);
#undef INSIDE
}

static int
ui_in(const struct ui_rect *r, int y, int x)
{
	return r->h > 0 && y >= r->y && y < r->y + r->h && x >= r->x &&
	    x < r->x + r->w;
}

/* The first screen shown: the first whose start says so, else the first. */
static const struct screen *
ui_start_screen(const struct ui *u)
{
	size_t i;

	for (i = 0; i < screens_n; i++)
		if (screens[i]->start != NULL && screens[i]->start(u))
			return screens[i];
	return screens[0];
}

/* The screens' shortcuts as one help line: "1 2 3 4  Entities, ...". */
static void
ui_help_shortcuts(int y, int x, int w)
{
	char keys[32] = "", names[256] = "";
	size_t i, nk, nn;
	int d;

	for (d = '1'; d <= '9'; d++)
		for (i = 0; i < screens_n; i++) {
			if (screens[i]->shortcut != d)
				continue;
			nk = strlen(keys);
			nn = strlen(names);
			ui_fmt(keys + nk, sizeof keys - nk, "%s%c",
			    nk ? " " : "", d);
			ui_fmt(names + nn, sizeof names - nn, "%s%s",
			    nn ? ", " : "", screens[i]->name);
			break;
		}
	if (keys[0] == '\0')
		return;
	attron(A_BOLD);
	ui_put(y, x + 2, 14, keys);
	attroff(A_BOLD);
	ui_put(y, x + 17, w - 19, names);
}

/* The screen whose shortcut ch is (its go, else shown); 1: taken. */
static int
ui_shortcut(struct ui *u, int ch)
{
	size_t i;

	if (ch < '1' || ch > '9')
		return 0;
	for (i = 0; i < screens_n; i++) {
		if (screens[i]->shortcut != ch)
			continue;
		if (screens[i]->go != NULL)
			screens[i]->go(u);
		else
			ui_set_screen(u, screens[i]);
		return 1;
	}
	return 0;
}

static void
ui_draw_help(struct ui *u)
{
	int h = u->rows - 4, w = u->cols - 8, y = 2, x = 4, r = 1, pass;
	const struct binding *b;
	char line[256];
	static const char *const wname[] = { "menu", "main", "detail", "log" };

	for (r = 0; r < h; r++)
		ui_fill(y + r, x, w);
	ui_fmt(line, sizeof line, "Help: %s screen, %s window (Esc closes)",
	    u->scr->name, wname[u->focus]);
	ui_box(y, x, h, w, line, 1);
	/* The screen's own keys first (the table's for lists too), then
	 * the others. */
	r = 1;
	for (pass = 0; pass < 3; pass++) {
		b = pass == 1 ? u->scr->keys : bindings;
		for (; b != NULL && b->key != 0 && r < h - 1; b++) {
			if (b->keys == NULL || !binding_here(u, b))
				continue;
			if ((pass == 0 && !b->list) || (pass == 2 && b->list))
				continue;
			attron(A_BOLD);
			ui_put(y + r, x + 2, 14, b->keys);
			attroff(A_BOLD);
			ui_put(y + r, x + 17, w - 19, b->help);
			r++;
		}
	}
	if (r < h - 1)
		ui_help_shortcuts(y + r, x, w);
}

static void
ui_draw_nav(struct ui *u, const struct ui_rect *rc)
{
	int i, y = rc->y, x = rc->x, h = rc->h, w = rc->w;

	ui_box(y, x, h, w, "Menu", u->focus == WIN_NAV);
	for (i = 0; i < NAV_N && i < h - 2; i++) {
		char s[32];

		ui_fmt(s, sizeof s, " %s", screens[i]->name);
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
		    (long long)((loop_now_ms() - u->job.started) / 1000));
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
ui_draw_main(struct ui *u, const struct ui_rect *r)
{
	if (u->scr->draw != NULL)
		u->scr->draw(u, r);
	else if (u->scr->text != NULL)
		lines_draw(u->scr->text(u), r->y, r->x, r->h, r->w, 0);
}

static void
ui_draw_side(struct ui *u, const struct ui_rect *r)
{
	lines_clear(&u->side);
	if (u->scr->draw_side != NULL)
		u->scr->draw_side(u);
	lines_draw(&u->side, r->y, r->x, r->h, r->w, 0);
}

static void
ui_draw(struct ui *u)
{
	char title[512], ca[192];
	const char *dir, *note;
	const struct ui_layout *l = &u->lay;
	int room, z;
	size_t i;

	erase();
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
	ui_layout(u);
	/* What holds secrets in memory stays in sight: the unlocked CA,
	 * and a TLS server of the Connect window on any screen. */
	ui_fmt(ca, sizeof ca, "%s%s%s", u->ca_open ? "  CA '" : "",
	    u->ca_open ? u->ca.name : "", u->ca_open ? "' unlocked" : "");
	for (i = 0; i < screens_n; i++)
		if (screens[i]->note != NULL &&
		    (note = screens[i]->note(u)) != NULL)
			ui_fmt(ca + strlen(ca), sizeof ca - strlen(ca), "  %s",
			    note);
	room = u->cols - (int)strlen(ca) - (int)strlen(" minipki-tui  workspace ");
	dir = ui_tail(u->ws.dir, room > 0 ? (size_t)room : 0);
	ui_fmt(title, sizeof title, " minipki-tui  workspace %s%s%s",
	    dir == u->ws.dir ? "" : "...", dir, ca);
	ui_attr(C_TITLE, A_REVERSE, 1);
	ui_fill(0, 0, u->cols);
	ui_put(0, 0, u->cols, title);
	ui_attr(C_TITLE, A_REVERSE, 0);

	z = u->zoom;	/* the zoomed window is the focused one */
	if (l->nav.h > 0)
		ui_draw_nav(u, &l->nav);
	if (l->main_box.h > 0) {
		ui_box(l->main_box.y, l->main_box.x, l->main_box.h,
		    l->main_box.w, u->scr->title, z || u->focus == WIN_MAIN);
		ui_draw_main(u, &l->main);
	}
	if (l->side_box.h > 0) {
		ui_box(l->side_box.y, l->side_box.x, l->side_box.h,
		    l->side_box.w, "Summary", z || u->focus == WIN_DETAIL);
		ui_draw_side(u, &l->side);
	}
	if (l->log_box.h > 0) {
		ui_box(l->log_box.y, l->log_box.x, l->log_box.h, l->log_box.w,
		    "Log", z || u->focus == WIN_LOG);
		lines_draw(&u->log, l->log.y, l->log.x, l->log.h, l->log.w,
		    0);
	}
	ui_draw_status(u);
	if (u->form_open)
		form_draw(u);
	if (u->help)
		ui_draw_help(u);
	if (u->confirm_quit) {
		int w = 56, y = u->rows / 2 - 2, x = (u->cols - w) / 2, k;

		for (k = 0; k < 5; k++)
			ui_fill(y + k, x, w);
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

/* Typing into the list's filter: every key edits it. */
static void
ui_filter_key(struct ui *u, int ch)
{
	char *f;
	size_t n;

	if (u->scr->filter == NULL) {
		u->filtering = 0;
		return;
	}
	f = u->scr->filter(u);
	n = strlen(f);
	if (ch == 27) {
		f[0] = '\0';
		u->filtering = 0;
	} else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
		u->filtering = 0;
		return;
	} else if (ch == 0x7f || ch == 8 || ch == KEY_BACKSPACE) {
		if (n > 0)
			f[n - 1] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f && n < 63) {
		f[n] = (char)ch;
		f[n + 1] = '\0';
	} else
		return;
	if (u->scr->filter_changed != NULL)
		u->scr->filter_changed(u);
}

/* A click of button 1, tested against the windows as drawn. */
static void
ui_click(struct ui *u, int y, int x)
{
	const struct ui_layout *l = &u->lay;

	if (ui_in(&l->nav, y, x)) {
		if (y > l->nav.y && y < l->nav.y + l->nav.h - 1 &&
		    y - l->nav.y - 1 < NAV_N) {
			u->nav_cur = y - l->nav.y - 1;
			u->focus = WIN_NAV;
			act_enter(u);
		}
	} else if (ui_in(&l->main_box, y, x) || ui_in(&l->side_box, y, x)) {
		u->focus = WIN_MAIN;
		if (u->scr->click != NULL)
			u->scr->click(u, y);
	} else if (ui_in(&l->log_box, y, x))
		u->focus = WIN_LOG;
}

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
		job_cancel(u);
		return;
	}
	if (u->form_open) {
		form_key(u, ch, is_key);
		return;
	}
	if (u->filtering) {
		ui_filter_key(u, ch);
		return;
	}
	if (u->focus == WIN_MAIN && u->scr->typing != NULL &&
	    u->scr->typing(u) && ch != KEY_MOUSE && u->scr->key(u, ch))
		return;
	/* The screens' shortcuts, before a screen's own keys. */
	if (ui_shortcut(u, ch))
		return;
	/* The screen's own keys (fn NULL), and keys bound nowhere. */
	b = ui_binding(u, ch);
	if ((b == NULL || b->fn == NULL) && u->scr->key != NULL &&
	    u->scr->key(u, ch))
		return;
	if (b != NULL) {
		if (b->fn != NULL)
			b->fn(u);
		return;
	}
	if (ch == KEY_MOUSE) {
		MEVENT me;

		if (getmouse(&me) == OK && (me.bstate & (BUTTON1_CLICKED |
		    BUTTON1_PRESSED)))
			ui_click(u, me.y, me.x);
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
	size_t i;

	job_clear(u);
	form_wipe(u);
	lc_ca_lock(u);
	ca_clear(&u->ca);
	for (i = 0; i < screens_n; i++)
		if (screens[i]->clear != NULL)
			(screens[i]->clear)(u);	/* not curses clear() */
	free(u->sums);
	ws_free_list(u->ents, u->nents);
	ws_free_list(u->cas, u->ncas);
	lines_clear(&u->log);
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
	struct pollfd pfd[2 + UI_MAX_POLL];
	size_t *npoll, i;
	const char *logpath;
	wint_t wc;
	int r, rc = EXIT_OK, sig, last_key = 0, wait, hup, keys;
	size_t nconn;
	int64_t t_start = ui_now_us(), t_key = 0;
	const char *tm = getenv("MINIPKI_TUI_TIMING");
	int timing = tm != NULL && *tm != '\0';

	memset(&u, 0, sizeof u);
	u.opts = opts;
	u.split = 1;
	u.focus = WIN_MAIN;
	u.scr = u.back = screens[0];
	ca_init(&u.ca);
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
	ui_lists_reload(&u);
	ui_set_screen(&u, ui_start_screen(&u));
	/* How many poll entries each screen filled this turn. */
	npoll = xcalloc(screens_n, sizeof *npoll);
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
		nconn = 0;
		for (i = 0; i < screens_n; i++) {
			npoll[i] = screens[i]->pollfds == NULL ? 0 :
			    screens[i]->pollfds(&u, pfd + 2 + nconn,
			    UI_MAX_POLL - nconn, &wait);
			nconn += npoll[i];
		}
		r = poll(pfd, 2 + nconn, wait);
		if (ui_signal)
			break;
		if (r == -1 && errno != EINTR)
			break;
		for (i = 0, nconn = 0; r >= 0 && i < screens_n; i++) {
			if (npoll[i] > 0 && screens[i]->dispatch(&u,
			    pfd + 2 + nconn, npoll[i]))
				ui_dirty = 1;
			nconn += npoll[i];
		}
		if (u.job.pid != 0) {
			u.spin++;
			ui_dirty = 1;
			if (r > 0 && pfd[1].revents != 0)
				job_read(&u);
		}
		hup = r > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL));
		if (hup && !(pfd[0].revents & POLLIN))
			break;	/* the terminal went away */
		keys = 0;
		while ((r = get_wch(&wc)) != ERR) {
			keys++;
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
		/* Hung up with its last input read: a pty reports POLLIN
		 * with POLLHUP for ever after, and a process that missed the
		 * SIGHUP (not in the foreground group) would spin here. */
		if (hup && keys == 0)
			break;
		if (r == ERR && is_term_resized(LINES, COLS))
			ui_dirty = 1;
	}
	sig = ui_signal;
	ui_restore();
	if (sig != 0) {
		ui_log(&u, "stopped by signal %d", sig);
		rc = 128 + sig;
	}
	free(npoll);
	ui_clear(&u);
	ui_current = NULL;
	return rc;
}
