/* scr-audit.c — the audit-log window: the CA's audit log, newest at the
 * bottom, under the verdict on its hash chain (as `ca check` gives it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "tui/ui.h"
#include "util/xalloc.h"

#define AUDIT_SHOWN 20000	/* newest audit records in the window */

static struct lc_view lc_audit;

static void
auditw_load(struct ui *u, const char *name)
{
	struct audit_log log;
	struct err e;
	size_t i, first = 0;
	int bad;

	audit_log_init(&log);
	err_clear(&e);
	lines_addf(&lc_audit.head, "%cAudit log of CA %s  (ca/%s/audit.yaml)",
	    LINE_HEAD, name, name);
	bad = audit_read(&u->ws, name, &log, &e) == -1;
	if (bad) {
		char *m = xasprintf("Hash chain FAIL: %s", e.msg);

		lc_wrap(&lc_audit.head, LINE_FAIL, 0, 2, m, lc_audit.width);
		free(m);
	} else
		lines_addf(&lc_audit.head, "%cHash chain ok: %zu records, every "
		    "checksum and hash link matches", LINE_OK, log.n);
	if (!bad && log.valid_end < log.size)
		lines_addf(&lc_audit.head, "%cthe last record is incomplete (torn "
		    "write); `ca check --repair` removes it", LINE_WARN);
	if (bad && log.n > 0)
		lines_addf(&lc_audit.head, "%c(the %zu records before the "
		    "problem are shown)", LINE_WARN, log.n);
	ui_fmt(lc_audit.cols, sizeof lc_audit.cols, "%5s %-20s  %-7s  %s", "seq",
	    "Time", "Action", "User (from)");
	/* Two rows a record: the details are long (serials, subjects).
	 * A long log shows its newest records; the verdict covers all. */
	if (log.n > AUDIT_SHOWN) {
		first = log.n - AUDIT_SHOWN;
		lines_addf(&lc_audit.rows, "%c(%zu older records not shown: `ca check "
		    "--ca %s` reads them all)", LINE_WARN, first, name);
	}
	for (i = first; i < log.n; i++) {
		const struct audit_rec *r = &log.v[i];

		lines_addf(&lc_audit.rows, "%c%5lu %-20s  %-7s  %s%s%s", LINE_HEAD,
		    r->seq, r->time, r->action, r->user, r->from != NULL ?
		    " from " : "", r->from != NULL ? r->from : "");
		lc_wrap(&lc_audit.rows, 0, 8, 8, r->details, lc_audit.width);
	}
	if (log.n == 0 && !bad)
		lines_add(&lc_audit.rows, "(no records yet)");
	if (bad)
		ui_log(u, "audit log of CA %s: %s", name, e.msg);
	lc_audit.bottom = 1;
	ui_set_openssl(u, "cat %s/ca/%s/audit.yaml   (checked: minipki-tui "
	    "ca check --ca %s)", u->ws.dir, name, name);
	audit_log_clear(&log);
}

static void
auditw_enter(struct ui *u)
{
	if (lc_view_begin(u, &lc_audit) == 0) {
		auditw_load(u, lc_ca(u));
		lc_view_end(&lc_audit);
	}
}

static void
auditw_draw(struct ui *u, const struct ui_rect *r)
{
	lc_view_draw(u, &lc_audit, "C next CA   Up/Down scroll (newest at the "
	    "bottom)", auditw_enter, r);
}

static void
auditw_move(struct ui *u, long d, int page)
{
	(void)u;
	(void)page;
	lc_view_move(&lc_audit, d);
}

static int
auditw_key(struct ui *u, int ch)
{
	size_t i;

	if (ch != 'C')
		return 0;
	if (u->ncas == 0)
		return 1;
	for (i = 0; i < u->ncas; i++)
		if (strcmp(u->cas[i], u->inv_ca) == 0)
			break;
	ui_fmt(u->inv_ca, sizeof u->inv_ca, "%s", u->cas[(i + 1) % u->ncas]);
	auditw_enter(u);
	return 1;
}

static void
auditw_clear(struct ui *u)
{
	(void)u;
	lc_view_clear(&lc_audit);
}

static const struct binding auditw_keys[] = {
	{ 'C', 0, 0, NULL, "C", "next CA" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_audit = {
	.name = "Audit log",
	.title = "Audit log",
	.hints = "C next CA  Up/Down scroll (newest at the bottom)  o openssl  ? help",
	.keys = auditw_keys,
	.enter = auditw_enter,
	.draw = auditw_draw,
	.key = auditw_key,
	.move = auditw_move,
	.clear = auditw_clear,
};
