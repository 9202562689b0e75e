/* lifecycle.c — the CRL and audit-log windows, the inventory's status
 * filters, unlocking the CA, regenerating its CRL. The work is done by
 * role/lifecycle.h and store/audit.h, the same calls `ca crl` and
 * `ca check` make; this file only shows what they return. */
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
#define LC_AUDIT_SHOWN 20000	/* newest audit records in the window */

/* ---- status filters ---- */

static const char *const lc_st_names[LC_ST__COUNT] = { "all", "valid",
	"revoked", "expired", "superseded", "expiring-soon" };

const char *
lc_status_name(int s)
{
	return s >= 0 && s < LC_ST__COUNT ? lc_st_names[s] : "all";
}

int
lc_status_match(const struct ui *u, const struct cadb_cert *c)
{
	switch (u->inv_status) {
	case LC_ST_ALL:
		return 1;
	case LC_ST_SOON:
		return lifecycle_match(c, u->now, NULL, LC_SOON_DAYS);
	default:
		return lifecycle_match(c, u->now, lc_st_names[u->inv_status],
		    -1);
	}
}

/* ---- the CA key ---- */

static void
lc_check_pass(const char *v, char *err, size_t n)
{
	if (*v == '\0')
		ui_fmt(err, n, "a passphrase is required");
}

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

/* Esc on the unlock form: the CA was opened for writing, which holds its
 * lock; let go of it, so that other writers are not refused meanwhile. */
static void
lc_cancel_unlock(struct ui *u)
{
	u->after_unlock = NULL;
	scr_lock(u);
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
	scr_lock(u);
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
	f->check = lc_check_pass;
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

/* The CA the windows show: the inventory's, else the first. */
static const char *
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
static void
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
static void
lc_add(struct lines *l, int w, const char *s)
{
	char mk = 0;

	if (*s == LINE_OK || *s == LINE_FAIL || *s == LINE_HEAD ||
	    *s == LINE_WARN)
		mk = *s++;
	lc_wrap(l, mk, 0, 4, s, w);
}

static void
lc_load_crl(struct ui *u, const char *name)
{
	struct crl crl;
	struct cadb db;
	const struct cadb *pdb = NULL;
	struct keystore ks;
	struct cert_list cl;
	struct err e, e2;
	struct lines tmp;
	char *dir, *path;
	size_t i;

	memset(&tmp, 0, sizeof tmp);
	crl_init(&crl);
	cadb_init(&db);
	keystore_init(&ks);
	cert_list_init(&cl);
	dir = ws_ca_dir(&u->ws, name);
	path = xasprintf("%s/crl.pem", dir);
	lines_addf(&u->lc_head, "%cCRL of CA %s  (ca/%s/crl.pem)", LINE_HEAD,
	    name, name);
	/* The database already open, when it is this CA's (the unlocked
	 * one is the newest), else a read of it. */
	if (u->ca_open && strcmp(u->ca.name, name) == 0)
		pdb = &u->ca.db;
	else if (u->db_open && strcmp(u->inv_ca, name) == 0)
		pdb = &u->db;
	else if (cadb_open(&db, &u->ws, name, 0, &e) == 0)
		pdb = &db;
	if (pdb != NULL) {
		size_t nrev = 0;

		for (i = 0; i < pdb->ncerts; i++)
			if (pdb->certs[i].status == CADB_REVOKED)
				nrev++;
		if (pdb->crl_number == 0)
			lines_addf(&u->lc_head, "Database     no CRL generated "
			    "yet; %zu revoked", nrev);
		else
			lines_addf(&u->lc_head, "Database     last CRL %llu; "
			    "%zu revoked now", (unsigned long long)
			    pdb->crl_number, nrev);
	} else
		lines_addf(&u->lc_head, "%cDatabase     %s", LINE_FAIL, e.msg);
	if (access(path, F_OK) != 0) {
		lines_addf(&u->lc_head, "%cNo CRL file yet: n generates one "
		    "now (revoking does too).", LINE_WARN);
		goto out;
	}
	if (crl_load_file(&crl, path, &e) == -1) {
		lines_addf(&u->lc_head, "%cCannot read the CRL: %s", LINE_FAIL,
		    e.msg);
		ui_error(u, &e);
		goto out;
	}
	lc_crl_text(&tmp, &crl);
	/* The first lines of lc_crl_text are the CRL's head, the entries
	 * (indented) the rows. */
	for (i = 0; i < tmp.n; i++)
		lc_add(tmp.v[i][0] == ' ' ? &u->lc : &u->lc_head, u->lc_width,
		    tmp.v[i]);
	err_clear(&e2);
	if (keystore_load(&u->ws, name, &ks, &e2) == 0 && ks.cert_pem != NULL &&
	    cert_list_load(&cl, (const uint8_t *)ks.cert_pem,
	    strlen(ks.cert_pem), &e2) == 0 && cl.n > 0) {
		if (!dn_equal(&crl.issuer, &cl.v[0].subject))
			lines_addf(&u->lc_head, "%cSignature    FAIL: the issuer "
			    "is not CA %s", LINE_FAIL, name);
		else if (crl_check_signature(&crl, &cl.v[0], &e2))
			lines_addf(&u->lc_head, "%cSignature    ok: CA %s's key "
			    "verifies it", LINE_OK, name);
		else
			lines_addf(&u->lc_head, "%cSignature    FAIL: %s",
			    LINE_FAIL, e2.msg);
	}
	if (crl.n == 0)
		lines_add(&u->lc, "  (no entries: nothing is revoked)");
	ui_fmt(u->lc_cols, sizeof u->lc_cols, "  %-32s  %-16s  %s", "Serial",
	    "Revoked (UTC)", "Reason");
out:
	ui_set_openssl(u, "openssl crl -in %s -noout -text", path);
	free(path);
	free(dir);
	lines_clear(&tmp);
	cert_list_clear(&cl);
	keystore_clear(&ks);
	cadb_clear(&db);
	crl_clear(&crl);
}

static void
lc_load_audit(struct ui *u, const char *name)
{
	struct audit_log log;
	struct err e;
	size_t i, first = 0;
	int bad;

	audit_log_init(&log);
	err_clear(&e);
	lines_addf(&u->lc_head, "%cAudit log of CA %s  (ca/%s/audit.yaml)",
	    LINE_HEAD, name, name);
	bad = audit_read(&u->ws, name, &log, &e) == -1;
	if (bad) {
		char *m = xasprintf("Hash chain FAIL: %s", e.msg);

		lc_wrap(&u->lc_head, LINE_FAIL, 0, 2, m, u->lc_width);
		free(m);
	} else
		lines_addf(&u->lc_head, "%cHash chain ok: %zu records, every "
		    "checksum and hash link matches", LINE_OK, log.n);
	if (!bad && log.valid_end < log.size)
		lines_addf(&u->lc_head, "%cthe last record is incomplete (torn "
		    "write); `ca check --repair` removes it", LINE_WARN);
	if (bad && log.n > 0)
		lines_addf(&u->lc_head, "%c(the %zu records before the "
		    "problem are shown)", LINE_WARN, log.n);
	ui_fmt(u->lc_cols, sizeof u->lc_cols, "%5s %-20s  %-7s  %s", "seq",
	    "Time", "Action", "User (from)");
	/* Two rows a record: the details are long (serials, subjects).
	 * A long log shows its newest records; the verdict covers all. */
	if (log.n > LC_AUDIT_SHOWN) {
		first = log.n - LC_AUDIT_SHOWN;
		lines_addf(&u->lc, "%c(%zu older records not shown: `ca check "
		    "--ca %s` reads them all)", LINE_WARN, first, name);
	}
	for (i = first; i < log.n; i++) {
		const struct audit_rec *r = &log.v[i];

		lines_addf(&u->lc, "%c%5lu %-20s  %-7s  %s%s%s", LINE_HEAD,
		    r->seq, r->time, r->action, r->user, r->from != NULL ?
		    " from " : "", r->from != NULL ? r->from : "");
		lc_wrap(&u->lc, 0, 8, 8, r->details, u->lc_width);
	}
	if (log.n == 0 && !bad)
		lines_add(&u->lc, "(no records yet)");
	if (bad)
		ui_log(u, "audit log of CA %s: %s", name, e.msg);
	u->lc_bottom = 1;
	ui_set_openssl(u, "cat %s/ca/%s/audit.yaml   (checked: minipki-tui "
	    "ca check --ca %s)", u->ws.dir, name, name);
	audit_log_clear(&log);
}

void
lc_enter(struct ui *u, enum ui_screen s)
{
	const char *name;

	lines_clear(&u->lc_head);
	lines_clear(&u->lc);
	u->lc_cols[0] = '\0';
	if (u->lc_width == 0)
		u->lc_width = u->cols - UI_NAV_W - 2;
	u->lc_bottom = 0;
	if ((name = lc_ca(u)) == NULL) {
		lines_addf(&u->lc_head, "%cNo CA yet: c on the Entities screen "
		    "creates one, d the demo lab.", LINE_WARN);
		return;
	}
	if (s == SCR_CRL)
		lc_load_crl(u, name);
	else
		lc_load_audit(u, name);
	/* The head's lines one row each too (messages can be long). */
	{
		struct lines h = u->lc_head;
		size_t i;

		memset(&u->lc_head, 0, sizeof u->lc_head);
		for (i = 0; i < h.n; i++)
			lc_add(&u->lc_head, u->lc_width, h.v[i]);
		lines_clear(&h);
	}
}

void
lc_draw(struct ui *u, int y, int x, int h, int w)
{
	int hh;
	char hint[200];

	if (w != u->lc_width) {
		/* The rows are wrapped to the window: again after a resize
		 * or a zoom, before anything is drawn. */
		u->lc_width = w;
		lc_enter(u, u->scr);
	}
	hh = (int)u->lc_head.n;
	if (hh > h - 3)
		hh = h - 3 > 0 ? h - 3 : 0;
	lines_draw(&u->lc_head, y, x, hh, w, 0);
	y += hh;
	h -= hh;
	ui_fmt(hint, sizeof hint, "%s", u->scr == SCR_CRL ?
	    "C next CA   n generate a new CRL now   Up/Down scroll" :
	    "C next CA   Up/Down scroll (newest at the bottom)");
	attron(A_DIM);
	ui_put(y, x, w, hint);
	attroff(A_DIM);
	y++;
	h--;
	if (u->lc_cols[0] != '\0' && h > 1) {
		attron(A_BOLD | A_UNDERLINE);
		ui_fill(y, x, w);
		ui_put(y, x, w, u->lc_cols);
		attroff(A_BOLD | A_UNDERLINE);
		y++;
		h--;
	}
	if (h <= 0)
		return;
	if (u->lc_bottom) {
		u->lc_bottom = 0;
		u->lc.top = u->lc.n > (size_t)h ? u->lc.n - (size_t)h : 0;
		u->lc.cur = u->lc.top;
	}
	if (u->lc.top + (size_t)h > u->lc.n)
		u->lc.top = u->lc.n > (size_t)h ? u->lc.n - (size_t)h : 0;
	u->lc.cur = u->lc.top;
	lines_draw(&u->lc, y, x, h, w, 0);
	if (u->lc.n > (size_t)h) {
		char more[64];

		ui_fmt(more, sizeof more, " %zu-%zu of %zu ", u->lc.top + 1,
		    u->lc.top + (size_t)h, u->lc.n);
		attron(A_REVERSE);
		ui_put(y + h - 1, x + w - (int)strlen(more), (int)strlen(more),
		    more);
		attroff(A_REVERSE);
	}
}

void
lc_move(struct ui *u, long d, int page)
{
	long c = (long)u->lc.top + d;

	(void)page;
	if (c > (long)u->lc.n - 1)
		c = (long)u->lc.n - 1;
	if (c < 0)
		c = 0;
	/* lc_draw keeps the last page full. */
	u->lc.top = u->lc.cur = (size_t)c;
}

static void
lc_gen_then(struct ui *u)
{
	lc_regen_crl(u);
	if (u->scr == SCR_CRL)
		lc_enter(u, SCR_CRL);
}

int
lc_key(struct ui *u, int ch)
{
	size_t i;

	switch (ch) {
	case 'C':
		if (u->ncas == 0)
			return 1;
		for (i = 0; i < u->ncas; i++)
			if (strcmp(u->cas[i], u->inv_ca) == 0)
				break;
		ui_fmt(u->inv_ca, sizeof u->inv_ca, "%s",
		    u->cas[(i + 1) % u->ncas]);
		lc_enter(u, u->scr);
		return 1;
	case 'n':
		if (u->scr != SCR_CRL || lc_ca(u) == NULL)
			return 0;
		lc_ca_need(u, lc_ca(u), lc_gen_then);
		return 1;
	}
	return 0;
}

void
lc_clear(struct ui *u)
{
	lines_clear(&u->lc_head);
	lines_clear(&u->lc);
}
