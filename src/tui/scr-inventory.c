/* scr-inventory.c — the Inventory screen: every certificate a CA issued
 * (its database, read-only), sorted by a column and filtered by status
 * or text; Enter shows the selection with its chain. r revokes (or lifts a
 * hold: revoke.c), n renews or rekeys (renew.c), as `ca revoke` and `ca
 * renew` do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curses.h>

#include "asn1/pem.h"
#include "role/lifecycle.h"
#include "tui/ui.h"
#include "util/xalloc.h"
#include "x509/cert.h"

#define SOON_DAYS 30

/* The CA's database as read when the screen was shown. */
static struct cadb inv_db;
static int inv_db_open;
static size_t *inv_all;		/* every index into inv_db.certs, sorted */
static int inv_sorted;		/* inv_all matches inv_sort_col, _rev */
static size_t *inv_view, inv_n;	/* the filtered view of inv_all */
static size_t inv_cur, inv_top;
static int inv_sort_col, inv_sort_rev;
static char inv_filter[64];
static int inv_st;		/* the status filter: LC_ST_* */
static int64_t inv_now;
static int inv_list_y, inv_list_h;	/* the screen rows of the list */

static const char *
inv_status(const struct cadb_cert *c)
{
	/* The status of role/lifecycle.h; "soon" marks a valid one that
	 * expires within SOON_DAYS. */
	if (lifecycle_state(c, inv_now) == LIFECYCLE_VALID &&
	    c->not_after < inv_now + SOON_DAYS * 86400)
		return "soon";
	return lifecycle_status(c, inv_now);
}

static int
inv_cmp(const void *a, const void *b)
{
	const struct cadb_cert *x = &inv_db.certs[*(const size_t *)a];
	const struct cadb_cert *y = &inv_db.certs[*(const size_t *)b];
	int r = 0;

	switch (inv_sort_col) {
	case 0:
		r = strlen(x->serial) < strlen(y->serial) ? -1 :
		    strlen(x->serial) > strlen(y->serial) ? 1 :
		    strcmp(x->serial, y->serial);
		break;
	case 1:
		r = strcasecmp(x->subject, y->subject);
		break;
	case 2:
		r = x->not_after < y->not_after ? -1 : x->not_after >
		    y->not_after;
		break;
	default:
		r = strcmp(inv_status(x), inv_status(y));
	}
	if (r == 0)
		r = *(const size_t *)a < *(const size_t *)b ? -1 : 1;
	return inv_sort_rev ? -r : r;
}

/* Sorting happens when the order changes; a filter keystroke only walks
 * the sorted indices (O(n) string searches). */
static void
inv_rebuild(struct ui *u)
{
	size_t i, k;
	const char *f = inv_filter;

	if (!inv_sorted) {
		free(inv_all);
		inv_all = xcalloc(inv_db.ncerts + 1, sizeof *inv_all);
		for (i = 0; i < inv_db.ncerts; i++)
			inv_all[i] = i;
		qsort(inv_all, inv_db.ncerts, sizeof *inv_all, inv_cmp);
		inv_sorted = 1;
	}
	free(inv_view);
	inv_view = xcalloc(inv_db.ncerts + 1, sizeof *inv_view);
	inv_n = 0;
	for (k = 0; k < inv_db.ncerts; k++) {
		const struct cadb_cert *c = &inv_db.certs[inv_all[k]];

		if (!lc_status_match(inv_st, inv_now, c))
			continue;
		if (*f != '\0' && strcasestr(c->subject, f) == NULL &&
		    strcasestr(c->serial, f) == NULL &&
		    strcasecmp(inv_status(c), f) != 0)
			continue;
		inv_view[inv_n++] = inv_all[k];
	}
	if (inv_cur >= inv_n)
		inv_cur = inv_n ? inv_n - 1 : 0;
}

static void
inv_open(struct ui *u, const char *name)
{
	struct err e;
	size_t i;

	if (inv_db_open) {
		cadb_clear(&inv_db);
		cadb_init(&inv_db);
		inv_db_open = 0;
	}
	inv_cur = inv_top = 0;
	inv_n = 0;
	u->inv_ca[0] = '\0';
	if (name == NULL)
		return;
	ui_fmt(u->inv_ca, sizeof u->inv_ca, "%s", name);
	cadb_init(&inv_db);	/* a zeroed cadb would take fd 0 for its lock */
	if (cadb_open(&inv_db, &u->ws, name, 0, &e) == -1) {
		ui_error(u, &e);
		cadb_clear(&inv_db);
		cadb_init(&inv_db);
		return;
	}
	inv_db_open = 1;
	for (i = 0; i < inv_db.nwarnings; i++)
		ui_log(u, "warning: %s", inv_db.warnings[i]);
	inv_now = (int64_t)time(NULL);
	inv_sorted = 0;
	inv_rebuild(u);
	ui_set_openssl(u, "openssl x509 -in CERT.pem -noout -serial -subject "
	    "-enddate   (the database: %s/ca/%s/certs.yaml)", u->ws.dir, name);
}


static void
inv_detail(struct ui *u)
{
	const struct cadb_cert *c;
	struct cert_list chain;
	struct cert_list root;
	struct buf der;
	struct err e;
	char from[128];

	if (!inv_db_open || inv_n == 0)
		return;
	c = &inv_db.certs[inv_view[inv_cur]];
	buf_init(&der);
	cert_list_init(&chain);
	cert_list_init(&root);
	if (cadb_cert_der(&inv_db, c, &der, &e) == -1 ||
	    cert_list_load(&chain, der.data, der.len, &e) == -1) {
		ui_error(u, &e);
		goto out;
	}
	/* The chain: this certificate, then the CA's keystore chain (an
	 * intermediate CA keeps its parent's chain after its own). */
	if (scr_detail_load_certs(u, u->inv_ca, &root, &e) == 0 && root.n > 0) {
		struct buf pem;
		size_t i;

		buf_init(&pem);
		pem_encode("CERTIFICATE", der.data, der.len, &pem);
		for (i = 0; i < root.n; i++)
			pem_encode("CERTIFICATE", root.v[i].der, root.v[i].len,
			    &pem);
		cert_list_clear(&chain);
		cert_list_init(&chain);
		cert_list_load(&chain, pem.data, pem.len, &e);
		buf_clear(&pem);
	}
	ui_fmt(from, sizeof from, "%.40s.pem", c->serial);
	if (chain.n > 0)
		scr_detail_cert(u, &chain.v[0], &chain, from);
out:
	cert_list_clear(&root);
	cert_list_clear(&chain);
	buf_clear(&der);
}

const struct cadb_cert *
scr_inventory_selected(const struct ui *u)
{
	(void)u;
	if (!inv_db_open || inv_n == 0)
		return NULL;
	return &inv_db.certs[inv_view[inv_cur]];
}

const struct cadb *
scr_inventory_db(const struct ui *u, const char *name)
{
	return inv_db_open && strcmp(u->inv_ca, name) == 0 ? &inv_db : NULL;
}

void
scr_inventory_reload(struct ui *u, const char *serial)
{
	char name[WS_NAME_MAX + 1];
	size_t k;

	ui_fmt(name, sizeof name, "%s", u->inv_ca);
	inv_open(u, name);
	for (k = 0; serial != NULL && k < inv_n; k++)
		if (strcmp(inv_db.certs[inv_view[k]].serial, serial) == 0) {
			inv_cur = k;
			break;
		}
}

void
scr_inventory_as_ca(struct ui *u, struct ca *tmp)
{
	memset(tmp, 0, sizeof *tmp);
	tmp->name = u->inv_ca;
	tmp->db = inv_db;	/* a shallow copy, only read */
}

static void
inv_draw(struct ui *u, const struct ui_rect *rc)
{
	int y = rc->y, x = rc->x, h = rc->h, w = rc->w;
	static const char *const cols[] = { "Serial", "Subject", "Not after",
		"Status" };
	char line[600], head[200], when[WS_TIME_LEN];
	size_t k;
	int y0 = y, h0 = h;
	int r, sw = w - 54 > 10 ? w - 54 : 10;

	if (!inv_db_open) {
		ui_put(y + 1, x + 1, w - 2, u->ncas ? "Cannot open the CA "
		    "database (see the log)." : "No CA yet: c on the Entities "
		    "screen creates one, d the demo lab.");
		return;
	}
	ui_fmt(line, sizeof line, "CA %s: %zu certificates, %zu shown; "
	    "status %s (f); sorted by %s%s", u->inv_ca, inv_db.ncerts, inv_n,
	    lc_status_name(inv_st), cols[inv_sort_col],
	    inv_sort_rev ? " (reversed)" : "");
	ui_put(y, x, w, line);
	if (u->filtering || inv_filter[0]) {
		ui_fmt(line, sizeof line, "/%s%s", inv_filter,
		    u->filtering ? "_" : "");
		attron(A_BOLD);
		ui_put(y + h - 1, x, w, line);
		attroff(A_BOLD);
		h--;
	}
	ui_fmt(head, sizeof head, "  %-18s %-*.*s %-12s %-10s",
	    inv_sort_col == 0 ? "Serial*" : "Serial", sw, sw,
	    inv_sort_col == 1 ? "Subject*" : "Subject",
	    inv_sort_col == 2 ? "Not after*" : "Not after",
	    inv_sort_col == 3 ? "Status*" : "Status");
	attron(A_BOLD | A_UNDERLINE);
	ui_fill(y + 1, x, w);
	ui_put(y + 1, x, w, head);
	attroff(A_BOLD | A_UNDERLINE);
	h -= 2;
	inv_list_y = y + 2;
	inv_list_h = h;
	if (inv_cur < inv_top)
		inv_top = inv_cur;
	if (h > 0 && inv_cur >= inv_top + (size_t)h)
		inv_top = inv_cur - (size_t)h + 1;
	/* Only the visible rows are formatted. */
	for (r = 0; r < h; r++) {
		const struct cadb_cert *c;
		const char *st;
		char mark;

		k = inv_top + (size_t)r;
		if (k >= inv_n)
			break;
		c = &inv_db.certs[inv_view[k]];
		st = inv_status(c);
		ws_time_format(c->not_after, when);
		when[10] = '\0';
		mark = strcmp(st, "valid") == 0 ? ' ' : strcmp(st, "soon") == 0
		    ? '~' : '!';
		ui_fmt(line, sizeof line, "%c %-18.18s %-*.*s %-12s %-10s",
		    mark, c->serial, sw, sw, c->subject, when, st);
		if (k == inv_cur)
			attron(A_REVERSE);
		else if (mark == '!')
			attron(A_BOLD);
		ui_fill(y + 2 + r, x, w);
		ui_put(y + 2 + r, x, w, line);
		if (k == inv_cur)
			attroff(A_REVERSE);
		else if (mark == '!')
			attroff(A_BOLD);
	}
	if (inv_n == 0)
		ui_put(y + 3, x + 1, w - 2, inv_st != LC_ST_ALL ?
		    "(nothing with this status: f shows the next filter)" :
		    inv_filter[0] ? "(nothing matches the filter)" :
		    "No certificates issued yet: i on the Entities screen.");
	revoke_draw(y0, x, h0, w);
}

/* The draw cancels a revoke question the user turned away from. */
static void
inv_draw_main(struct ui *u, const struct ui_rect *rc)
{
	if (revoke_pending() && (u->focus != WIN_MAIN || u->filtering ||
	    u->form_open || u->help))
		revoke_cancel(u);
	inv_draw(u, rc);
}

static void
inv_draw_side(struct ui *u)
{
	const struct cadb_cert *c = scr_inventory_selected(u);
	char a[WS_TIME_LEN], b[WS_TIME_LEN], i[WS_TIME_LEN];

	if (c == NULL)
		return;
	ws_time_format(c->not_before, a);
	ws_time_format(c->not_after, b);
	ws_time_format(c->issued_at, i);
	lines_addf(&u->side, "%cSerial %s", LINE_HEAD, c->serial);
	lines_addf(&u->side, "subject    %s", c->subject);
	lines_addf(&u->side, "issuer     %s", c->issuer);
	lines_addf(&u->side, "profile    %s, issued %s", c->profile, i);
	lines_addf(&u->side, "valid      %s .. %s", a, b);
	lines_addf(&u->side, "%cstatus     %s%s%s", strcmp(inv_status(c),
	    "valid") ? LINE_FAIL : LINE_OK, inv_status(c),
	    c->reason ? ", " : "", c->reason ? c->reason : "");
	if (c->status == CADB_REVOKED) {
		ws_time_format(c->revoked_at, a);
		lines_addf(&u->side, "revoked    %s", a);
	}
	if (c->superseded_by != NULL)
		lines_addf(&u->side, "renewed as %s", c->superseded_by);
	lines_add(&u->side, "Enter: decoded; r revoke; n renew; f status "
	    "filter; v verify");
}

static void
inv_enter(struct ui *u)
{
	const char *name = NULL;
	size_t i;

	revoke_cancel(u);
	for (i = 0; i < u->ncas; i++)
		if (strcmp(u->cas[i], u->inv_ca) == 0)
			name = u->cas[i];
	if (name == NULL && u->ncas > 0)
		name = u->cas[0];
	inv_open(u, name);
}

static void
inv_move(struct ui *u, long d, int page)
{
	long c;

	(void)page;
	revoke_cancel(u);
	if (inv_n == 0)
		return;
	c = (long)inv_cur + d;
	if (c < 0)
		c = 0;
	if (c >= (long)inv_n)
		c = (long)inv_n - 1;
	inv_cur = (size_t)c;
}

/* A click on row y: select the entry shown there. */
static void
inv_click(struct ui *u, int y)
{
	size_t k;

	(void)u;
	if (y < inv_list_y || y >= inv_list_y + inv_list_h)
		return;
	k = inv_top + (size_t)(y - inv_list_y);
	if (k < inv_n)
		inv_cur = k;
}

static void
inv_select(struct ui *u)
{
	if (revoke_pending())
		revoke_cancel(u);
	else
		inv_detail(u);
}

static int
inv_key(struct ui *u, int ch)
{
	size_t i;

	if (revoke_pending())
		return revoke_key(u, ch);
	switch (ch) {
	case '<': case '>':
		inv_sort_col = (inv_sort_col + (ch == '>' ? 1 : 3)) % 4;
		inv_sorted = 0;
		inv_rebuild(u);
		return 1;
	case 'R':
		inv_sort_rev = !inv_sort_rev;
		inv_sorted = 0;
		inv_rebuild(u);
		return 1;
	case 'f':
		inv_st = (inv_st + 1) % LC_ST__COUNT;
		inv_now = (int64_t)time(NULL);
		inv_rebuild(u);
		ui_set_openssl(u, "minipki-tui ca list --ca %s%s%s",
		    u->inv_ca, inv_st == LC_ST_ALL ? "" :
		    inv_st == LC_ST_SOON ? " --expiring 30" :
		    " --status ", inv_st == LC_ST_ALL ||
		    inv_st == LC_ST_SOON ? "" : lc_status_name(inv_st));
		return 1;
	case 'r':
		revoke_open(u);
		return 1;
	case 'n':
		renew_open(u);
		return 1;
	case 'C':
		if (u->ncas > 0) {
			for (i = 0; i < u->ncas; i++)
				if (strcmp(u->cas[i], u->inv_ca) == 0)
					break;
			inv_open(u, u->cas[(i + 1) % u->ncas]);
		}
		return 1;
	}
	return 0;
}

static char *
inv_filter_text(struct ui *u)
{
	(void)u;
	return inv_filter;
}

static void
inv_clear(struct ui *u)
{
	renew_clear(u);
	if (inv_db_open)
		cadb_clear(&inv_db);
	inv_db_open = 0;
	free(inv_view);
	free(inv_all);
	inv_view = inv_all = NULL;
	inv_n = 0;
}

static const struct binding inv_keys[] = {
	{ 'v', 0, 0, scr_verify_open, "v", "verify the selected certificate" },
	{ '<', 0, 0, NULL, "< >", "sort by the previous / next column" },
	{ '>', 0, 0, NULL, NULL, NULL },
	{ 'R', 0, 0, NULL, "R", "reverse the sort order" },
	{ 'C', 0, 0, NULL, "C", "next CA" },
	{ 'f', 0, 0, NULL, "f", "status filter: all, valid, revoked, expired, superseded, expiring-soon" },
	{ 'r', 0, 0, NULL, "r", "revoke the selected certificate (reason, optional dates, then y/n)" },
	{ 'n', 0, 0, NULL, "n", "renew the selected certificate (same key, or rekey from a request)" },
	{ 'y', 0, 0, NULL, "y", "confirm a revoke (any other key cancels)" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_inventory = {
	.name = "Inventory",
	.title = "Inventory",
	.hints = "r revoke  n renew  f status  / filter  < > sort  R reverse  C next CA  ? help",
	.flags = SCREEN_LIST,
	.keys = inv_keys,
	.enter = inv_enter,
	.leave = revoke_cancel,
	.draw = inv_draw_main,
	.draw_side = inv_draw_side,
	.key = inv_key,
	.move = inv_move,
	.select = inv_select,
	.click = inv_click,
	.filter = inv_filter_text,
	.filter_changed = inv_rebuild,
	.clear = inv_clear,
};
