/* revoke.c — r in the inventory: revoke the selected certificate (or lift
 * its hold) as `ca revoke` does: a reason and optional dates in a form,
 * then a y/n question drawn over the list, then the CA's passphrase; the
 * CRL is regenerated after. What no reason would make right is refused
 * before anything is asked. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "role/lifecycle.h"
#include "tui/ui.h"
#include "x509/crl.h"
#include "x509/verify.h"

enum { RV_REASON, RV_INVALID, RV_DATE };

/* The revoke under way. */
static int rv_confirm;		/* it waits for y/n */
static char rv_serial[CADB_SERIAL_MAX + 1];
static char rv_subject[256];
static char rv_reason[32];
static int64_t rv_invalidity;	/* 0: none */
static int64_t rv_when;		/* revocationDate, when rv_when_set */
static int rv_when_set;		/* 0: the time of the y */

static const char *const reason_choices[] = { "unspecified", "keyCompromise",
	"cACompromise", "affiliationChanged", "superseded",
	"cessationOfOperation", "certificateHold", NULL };
/* A certificate on hold: lift it, or make the revocation final. */
static const char *const held_choices[] = { "removeFromCRL", "unspecified",
	"keyCompromise", "cACompromise", "affiliationChanged", "superseded",
	"cessationOfOperation", NULL };
/* lifecycle_revoke_check on the inventory's CA. */
static int
revoke_check(struct ui *u, const char *serial, const char *reason,
    struct err *e)
{
	struct ca tmp;

	scr_inventory_as_ca(u, &tmp);
	return lifecycle_revoke_check(&tmp, serial, reason, e);
}

void
revoke_cancel(struct ui *u)
{
	if (rv_confirm) {
		rv_confirm = 0;
		ui_log(u, "revoke of %s cancelled: nothing changed",
		    rv_serial);
	}
}

static void
revoke_then(struct ui *u)
{
	struct err e;
	int64_t now = rv_when_set ? rv_when : (int64_t)time(NULL);
	int lift = crl_reason_find(rv_reason) == CRL_REASON_REMOVE_FROM_CRL;
	char when[32], serial[CADB_SERIAL_MAX + 1];

	err_clear(&e);
	ui_fmt(serial, sizeof serial, "%s", rv_serial);
	if (lifecycle_revoke(&u->ca, serial, rv_reason, now,
	    rv_invalidity, &e) == -1) {
		ui_error(u, &e);
		scr_inventory_reload(u, serial);
		return;
	}
	verify_format_time(now, when, sizeof when);
	if (lift)
		ui_log(u, "hold lifted on %s (%s)", serial, rv_subject);
	else
		ui_log(u, "revoked %s (%s) on %s: %s", serial,
		    crl_reason_name(crl_reason_find(rv_reason)), when,
		    rv_subject);
	lc_regen_crl(u);
	scr_inventory_reload(u, serial);
	ui_set_openssl(u, "openssl ca -keyfile %s.key -cert %s.crt -revoke "
	    "%s.pem %s%s; openssl ca -gencrl -out crl.pem", u->ca.name,
	    u->ca.name, serial, strcmp(rv_reason, "certificateHold") == 0 ?
	    "-crl_hold holdInstructionReject" : "-crl_reason ",
	    strcmp(rv_reason, "certificateHold") == 0 ? "" : rv_reason);
}

static int
revoke_submit(struct ui *u, struct form *fm)
{
	struct err e;
	int64_t inv = 0, when = 0;

	err_clear(&e);
	if (fm->f[RV_INVALID].val[0] != '\0' &&
	    (verify_parse_time(fm->f[RV_INVALID].val, &inv, &e) == -1 ||
	    inv == 0)) {
		ui_fmt(fm->f[RV_INVALID].err, sizeof fm->f[RV_INVALID].err,
		    "%s", inv == 0 && e.msg[0] == '\0' ? "not the epoch" :
		    e.msg);
		fm->cur = RV_INVALID;
		return -1;
	}
	if (inv != 0 && strcmp(fm->f[RV_REASON].val, "removeFromCRL") == 0) {
		ui_fmt(fm->f[RV_INVALID].err, sizeof fm->f[RV_INVALID].err,
		    "no invalidity date when a hold is lifted");
		fm->cur = RV_INVALID;
		return -1;
	}
	/* A lift is no revocation: it holds from the CRL that no longer
	 * lists the certificate, so no date is taken for it. */
	if (fm->f[RV_DATE].val[0] != '\0' && strcmp(fm->f[RV_REASON].val,
	    "removeFromCRL") == 0) {
		ui_fmt(fm->f[RV_DATE].err, sizeof fm->f[RV_DATE].err,
		    "no revocation date when a hold is lifted (it is lifted "
		    "now)");
		fm->cur = RV_DATE;
		return -1;
	}
	/* As `ca revoke --date`: any time that parses, backdating included. */
	if (fm->f[RV_DATE].val[0] != '\0' &&
	    verify_parse_time(fm->f[RV_DATE].val, &when, &e) == -1) {
		ui_fmt(fm->f[RV_DATE].err, sizeof fm->f[RV_DATE].err, "%s",
		    e.msg);
		fm->cur = RV_DATE;
		return -1;
	}
	if (revoke_check(u, rv_serial, fm->f[RV_REASON].val,
	    &e) == -1) {
		ui_fmt(fm->f[RV_REASON].err, sizeof fm->f[RV_REASON].err, "%s",
		    e.msg);
		fm->cur = RV_REASON;
		return -1;
	}
	ui_fmt(rv_reason, sizeof rv_reason, "%s", fm->f[RV_REASON].val);
	rv_invalidity = inv;
	rv_when = when;
	rv_when_set = fm->f[RV_DATE].val[0] != '\0';
	rv_confirm = 1;
	u->focus = WIN_MAIN;
	return 0;
}

/* r: the reason picker, then the y/n question drawn over the list. */
void
revoke_open(struct ui *u)
{
	const struct cadb_cert *c = scr_inventory_selected(u);
	static char title[CADB_SERIAL_MAX + 64];
	struct field *f;
	struct err e;
	int held;

	if (c == NULL)
		return;
	held = lifecycle_state(c, (int64_t)time(NULL)) == LIFECYCLE_ON_HOLD;
	/* Refuse at once what no reason would make right. */
	if (revoke_check(u, c->serial, held ? "removeFromCRL" :
	    "unspecified", &e) == -1) {
		ui_log(u, "refused: %s", e.msg);
		return;
	}
	ui_fmt(rv_serial, sizeof rv_serial, "%s", c->serial);
	ui_fmt(rv_subject, sizeof rv_subject, "%s", c->subject);
	ui_fmt(title, sizeof title, "%s serial %s", held ? "On hold:" :
	    "Revoke", c->serial);
	form_begin(u, title, revoke_submit, 0);
	f = form_add(u, "Reason", held ? "removeFromCRL" : "unspecified");
	f->choices = held ? held_choices : reason_choices;
	/* Hints fit the field's 52 columns of an 80-column terminal. */
	f->hint = held ? "removeFromCRL lifts the hold; another makes it "
	    "final" : "Space, Left/Right; certificateHold can be lifted";
	f = form_add(u, "Invalid since", "");
	f->hint = "optional: YYYY-MM-DD, since when the key is unsafe";
	f = form_add(u, "Revoked on", "");
	f->hint = held ? "only with a final reason (empty: now)" :
	    "empty: now; to backdate YYYY-MM-DD[THH:MM:SSZ]";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl ca "
	    "-keyfile %s.key -cert %s.crt -revoke %s.pem -crl_reason REASON",
	    u->inv_ca, u->inv_ca, c->serial);
}

void
revoke_draw(int y, int x, int h, int w)
{
	int bw = w - 4 > 76 ? 76 : w - 4, bx = x + (w - bw) / 2, by, i;
	char q[400];

	if (!rv_confirm)
		return;
	by = y + (h - 6) / 2;
	if (bw < 20 || h < 6)
		return;
	for (i = 0; i < 6; i++)
		ui_fill(by + i, bx, bw);
	ui_box(by, bx, 6, bw, "Confirm", 1);
	if (strcmp(rv_reason, "removeFromCRL") == 0)
		ui_fmt(q, sizeof q, "Lift the hold on serial %s of %s? y/n",
		    rv_serial, rv_subject);
	else
		ui_fmt(q, sizeof q, "Revoke serial %s of %s? y/n",
		    rv_serial, rv_subject);
	attron(A_BOLD);
	if ((int)strlen(q) <= bw - 4)
		ui_put(by + 1, bx + 2, bw - 4, q);
	else {
		/* Two rows, cut before the subject, else at the last space
		 * that fits. */
		char *of = strstr(q, " of ");
		size_t k = (size_t)(bw - 4);

		if (of != NULL && of - q <= bw - 4)
			k = (size_t)(of - q);
		while (k > 0 && q[k] != ' ')
			k--;
		if (k == 0)
			k = (size_t)(bw - 4);
		q[k] = '\0';
		ui_put(by + 1, bx + 2, bw - 4, q);
		ui_put(by + 2, bx + 2, bw - 4, q + k + 1);
	}
	attroff(A_BOLD);
	if (rv_when_set) {
		char when[32];

		verify_format_time(rv_when, when, sizeof when);
		ui_fmt(q, sizeof q, "reason %s, revoked on %s; the CRL is "
		    "regenerated", rv_reason, when);
	} else
		ui_fmt(q, sizeof q, "reason %s; the CRL is regenerated",
		    rv_reason);
	ui_put(by + 3, bx + 2, bw - 4, q);
	ui_put(by + 4, bx + 2, bw - 4, "y revokes, any other key cancels");
}



int
revoke_pending(void)
{
	return rv_confirm;
}

/* The question takes the next key: y goes on (after the CA's passphrase
 * when it is not unlocked), any other cancels. */
int
revoke_key(struct ui *u, int ch)
{
	if (ch == 'y' || ch == 'Y') {
		rv_confirm = 0;
		lc_ca_need(u, u->inv_ca, revoke_then);
	} else
		revoke_cancel(u);
	return 1;
}
