/* lifecycle.c — what the CA windows (scr-inventory.c, scr-crl.c,
 * scr-audit.c) share: the inventory's status filters, unlocking the CA and
 * locking it again, regenerating its CRL, a CRL in words, and the view of
 * fixed head lines over scrolling rows. The work is done by
 * role/lifecycle.h, the same calls `ca crl` and `ca revoke` make; this file
 * only shows what they return. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "role/lifecycle.h"
#include "store/audit.h"
#include "tui/ui.h"
#include "util/xalloc.h"
#include "x509/crl.h"
#include "x509/text.h"

#define LC_SOON_DAYS 30		/* as the inventory marks "soon" */

/* ---- status filters ---- */

static const char *const lc_st_names[LC_ST__COUNT] = { "all", "valid",
	"revoked", "expired", "superseded", "expiring-soon" };

const char *
lc_status_name(int s)
{
	return s >= 0 && s < LC_ST__COUNT ? lc_st_names[s] : "all";
}

int
lc_status_match(int st, int64_t now, const struct cadb_cert *c)
{
	switch (st) {
	case LC_ST_ALL:
		return 1;
	case LC_ST_SOON:
		return lifecycle_match(c, now, NULL, LC_SOON_DAYS);
	default:
		return lifecycle_match(c, now, lc_st_names[st], -1);
	}
}

/* ---- the CA key ---- */

static int
lc_submit_unlock(struct ui *u, struct form *fm)
{
	struct err e;

	if (ca_unlock(&u->ca, fm->f[0].val, strlen(fm->f[0].val), &e) == -1) {
		ui_fmt(fm->f[0].err, sizeof fm->f[0].err, "%s", e.msg);
		explicit_bzero(fm->f[0].val, sizeof fm->f[0].val);
		fm->f[0].len = 0;
		return -1;
	}
	u->ca_open = 1;
	ui_log(u, "CA '%s' unlocked for this run (L locks it)", u->ca.name);
	form_wipe(u);
	if (u->after_unlock != NULL) {
		void (*fn)(struct ui *) = u->after_unlock;

		u->after_unlock = NULL;
		fn(u);
		/* fn may have opened a form of its own: keep it open. */
		if (u->form_open)
			return -1;
	}
	return 0;
}

void
lc_ca_lock(struct ui *u)
{
	if (u->ca_open || u->ca.name != NULL) {
		if (u->ca_open)
			ui_log(u, "CA '%s' locked: its key is wiped from "
			    "memory", u->ca.name);
		ca_clear(&u->ca);	/* rsakey_clear wipes the key */
		ca_init(&u->ca);
		u->ca_open = 0;
	}
}

/* Esc on the unlock form: the CA was opened for writing, which holds its
 * lock; let go of it, so that other writers are not refused meanwhile. */
static void
lc_cancel_unlock(struct ui *u)
{
	u->after_unlock = NULL;
	lc_ca_lock(u);
}

void
lc_ca_need(struct ui *u, const char *name, void (*then)(struct ui *))
{
	struct err e;
	struct field *f;
	static char title[128];

	if (u->ca_open && strcmp(u->ca.name, name) == 0) {
		then(u);
		return;
	}
	lc_ca_lock(u);
	if (ca_open(&u->ca, &u->ws, name, CA_WRITE, &e) == -1) {
		ui_error(u, &e);
		ca_clear(&u->ca);
		ca_init(&u->ca);
		return;
	}
	ui_fmt(title, sizeof title, "Unlock CA '%s'", name);
	form_begin(u, title, lc_submit_unlock, 0);
	u->form.cancel = lc_cancel_unlock;
	f = form_add(u, "CA passphrase", "");
	f->masked = 1;
	f->check = field_check_pass;
	f->hint = "asked once per run; L locks again";
	u->after_unlock = then;
}

int
lc_regen_crl(struct ui *u)
{
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;
	uint64_t num = 0;
	char *path;

	err_clear(&e);
	if (lifecycle_crl(&u->ca, 0, (int64_t)time(NULL), &der, &len, &num,
	    &e) == -1) {
		err_wrap(&e, "the CRL was not regenerated (n in the CRL window "
		    "tries again)");
		ui_error(u, &e);
		return -1;
	}
	free(der);
	path = lifecycle_crl_path(&u->ca);
	ui_log(u, "CRL %llu written to %s", (unsigned long long)num, path);
	ui_set_openssl(u, "openssl ca -gencrl -crldays %d -keyfile %s.key "
	    "-cert %s.crt -out %s   (read it: openssl crl -in %s -noout "
	    "-text)", LIFECYCLE_CRL_DAYS, u->ca.name, u->ca.name, path, path);
	free(path);
	return 0;
}

/* ---- CRL in words ---- */

static void
lc_serial_hex(const uint8_t *s, size_t n, char *out, size_t outlen)
{
	size_t i, o = 0;

	/* Lower-case hex as the database records it, no leading zero byte. */
	while (n > 1 && s[0] == 0)
		s++, n--;
	out[0] = '\0';
	for (i = 0; i < n && o + 3 <= outlen; i++)
		o += (size_t)ui_fmt(out + o, outlen - o, "%02x", s[i]);
}

void
lc_crl_text(struct lines *l, const struct crl *c)
{
	char t[32], num[2 * CRL_MAX_NUMBER + 3], *s;
	uint64_t n;
	size_t i;

	if (!c->has_number)
		ui_fmt(num, sizeof num, "(none)");
	else if (crl_number_u64(c, &n) == 0)
		ui_fmt(num, sizeof num, "%llu", (unsigned long long)n);
	else {
		ui_fmt(num, sizeof num, "0x");
		lc_serial_hex(c->number, c->number_len, num + 2,
		    sizeof num - 2);
	}
	lines_addf(l, "CRL number   %s   (v%d, %zu entries)", num, c->version,
	    c->n);
	s = dn_to_string(&c->issuer);
	lines_addf(l, "Issuer       %s", s);
	free(s);
	text_time(c->this_update, t);
	lines_addf(l, "This update  %s", t);
	if (c->has_next_update) {
		text_time(c->next_update, t);
		lines_addf(l, "%cNext update  %s%s", c->next_update <
		    (int64_t)time(NULL) ? LINE_FAIL : LINE_OK, t,
		    c->next_update < (int64_t)time(NULL) ? "  (STALE: past; "
		    "generate a new one)" : "");
	} else
		lines_addf(l, "%cNext update  (none)", LINE_WARN);
	for (i = 0; i < c->n; i++) {
		const struct crl_entry *en = &c->entries[i];
		char hex[2 * CERT_MAX_SERIAL + 1], inv[32] = "";
		const char *r = crl_reason_name(en->reason);

		lc_serial_hex(en->serial, en->serial_len, hex, sizeof hex);
		text_time(en->date, t);
		if (en->has_invalidity) {
			char it[32];

			text_time(en->invalidity, it);
			ui_fmt(inv, sizeof inv, "  invalid since %.19s", it);
		}
		lines_addf(l, "  %-32s  %-16.16s  %s%s", hex, t, r != NULL ? r :
		    "(no reasonCode: unspecified)", inv);
	}
}

/* ---- the windows ---- */

const char *
lc_ca(struct ui *u)
{
	size_t i;

	for (i = 0; i < u->ncas; i++)
		if (strcmp(u->cas[i], u->inv_ca) == 0)
			return u->cas[i];
	if (u->ncas == 0)
		return NULL;
	ui_fmt(u->inv_ca, sizeof u->inv_ca, "%s", u->cas[0]);
	return u->cas[0];
}

/* Adds text in rows of at most w columns cut at spaces, each row after
 * marker (0: none) and the first indented by first, the rest by more. */
void
lc_wrap(struct lines *l, char marker, int first, int more, const char *text,
    int w)
{
	char mk[2] = { marker, 0 };
	size_t n = strlen(text), k, room;
	int ind = first;

	if (w < 40)
		w = 40;
	for (;;) {
		room = (size_t)(w - ind);
		if (n <= room)
			break;
		for (k = room; k > room / 2 && text[k] != ' '; k--)
			;
		if (text[k] != ' ')
			k = room;
		/* Never between the bytes of one UTF-8 character. */
		while (k > 1 && (text[k] & 0xc0) == 0x80)
			k--;
		lines_addf(l, "%s%*s%.*s", mk, ind, "", (int)k, text);
		text += k;
		n -= k;
		while (*text == ' ')
			text++, n--;
		ind = more;
	}
	lines_addf(l, "%s%*s%s", mk, ind, "", text);
}

/* Adds line s (its marker byte kept) wrapped to the window's width, so
 * that one line is one row and the windows can count them. */
void
lc_add(struct lines *l, int w, const char *s)
{
	char mk = 0;

	if (*s == LINE_OK || *s == LINE_FAIL || *s == LINE_HEAD ||
	    *s == LINE_WARN)
		mk = *s++;
	lc_wrap(l, mk, 0, 4, s, w);
}

int
lc_view_begin(struct ui *u, struct lc_view *v)
{
	lines_clear(&v->head);
	lines_clear(&v->rows);
	v->cols[0] = '\0';
	if (v->width == 0)
		v->width = u->cols - UI_NAV_W - 2;
	v->bottom = 0;
	if (lc_ca(u) == NULL) {
		lines_addf(&v->head, "%cNo CA yet: c on the Entities screen "
		    "creates one, d the demo lab.", LINE_WARN);
		return -1;
	}
	return 0;
}

void
lc_view_end(struct lc_view *v)
{
	/* The head's lines one row each too (messages can be long). */
	struct lines h = v->head;
	size_t i;

	memset(&v->head, 0, sizeof v->head);
	for (i = 0; i < h.n; i++)
		lc_add(&v->head, v->width, h.v[i]);
	lines_clear(&h);
}

void
lc_view_draw(struct ui *u, struct lc_view *v, const char *hint,
    void (*reload)(struct ui *), const struct ui_rect *r)
{
	int y = r->y, x = r->x, h = r->h, w = r->w, hh;

	if (w != v->width) {
		/* The rows are wrapped to the window: again after a resize
		 * or a zoom, before anything is drawn. */
		v->width = w;
		reload(u);
	}
	hh = (int)v->head.n;
	if (hh > h - 3)
		hh = h - 3 > 0 ? h - 3 : 0;
	lines_draw(&v->head, y, x, hh, w, 0);
	y += hh;
	h -= hh;
	attron(A_DIM);
	ui_put(y, x, w, hint);
	attroff(A_DIM);
	y++;
	h--;
	if (v->cols[0] != '\0' && h > 1) {
		attron(A_BOLD | A_UNDERLINE);
		ui_fill(y, x, w);
		ui_put(y, x, w, v->cols);
		attroff(A_BOLD | A_UNDERLINE);
		y++;
		h--;
	}
	if (h <= 0)
		return;
	if (v->bottom) {
		v->bottom = 0;
		v->rows.top = v->rows.n > (size_t)h ? v->rows.n - (size_t)h : 0;
		v->rows.cur = v->rows.top;
	}
	if (v->rows.top + (size_t)h > v->rows.n)
		v->rows.top = v->rows.n > (size_t)h ? v->rows.n - (size_t)h : 0;
	v->rows.cur = v->rows.top;
	lines_draw(&v->rows, y, x, h, w, 0);
	if (v->rows.n > (size_t)h) {
		char more[64];

		ui_fmt(more, sizeof more, " %zu-%zu of %zu ", v->rows.top + 1,
		    v->rows.top + (size_t)h, v->rows.n);
		attron(A_REVERSE);
		ui_put(y + h - 1, x + w - (int)strlen(more), (int)strlen(more),
		    more);
		attroff(A_REVERSE);
	}
}

void
lc_view_move(struct lc_view *v, long d)
{
	long c = (long)v->rows.top + d;

	if (c > (long)v->rows.n - 1)
		c = (long)v->rows.n - 1;
	if (c < 0)
		c = 0;
	/* lc_view_draw keeps the last page full. */
	v->rows.top = v->rows.cur = (size_t)c;
}

void
lc_view_clear(struct lc_view *v)
{
	lines_clear(&v->head);
	lines_clear(&v->rows);
}
