/* scr-inventory.c — the Inventory screen: every certificate a CA issued
 * (its database, read-only), sorted by a column and filtered by status
 * or text; r revokes (or lifts a hold) after a reason and a y/n question,
 * n renews or rekeys: the calls `ca revoke` and `ca renew` make. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curses.h>

#include "asn1/oid.h"
#include "asn1/pem.h"
#include "role/ca.h"
#include "role/entity.h"
#include "role/lifecycle.h"
#include "tui/ui.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/csr.h"
#include "x509/verify.h"

#define SOON_DAYS 30

enum { RV_REASON, RV_INVALID, RV_DATE };
enum { RN_DAYS, RN_REVOKE_OLD, RN_REQ };

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

/* A revoke or renew under way. */
static int inv_confirm;		/* a revoke waits for y/n */
static char inv_serial[CADB_SERIAL_MAX + 1];
static char inv_subject[256];
static char inv_reason[32];
static int64_t inv_invalidity;	/* 0: none */
static int64_t inv_when;	/* revocationDate, when inv_when_set */
static int inv_when_set;	/* 0: the time of the y */
static long inv_days;		/* renew: 0 as long as the old one */
static int inv_revoke_old;
static struct csr *inv_req;	/* renew: the new key's request (owned), or
				 * NULL for the same key */
static char inv_req_path[UI_FIELD_MAX];

static const char *
inv_status(const struct cadb_cert *c)
{
	if (c->status == CADB_REVOKED)
		return c->reason != NULL && strcmp(c->reason,
		    "certificateHold") == 0 ? "on-hold" : "revoked";
	if (c->not_after < inv_now)
		return "expired";
	if (c->superseded_by != NULL)
		return "superseded";
	if (c->not_after < inv_now + SOON_DAYS * 86400)
		return "soon";
	return "valid";
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

/* ---- revoke and renew from the inventory (as `ca revoke`, `ca renew`) ---- */

static const char *const reason_choices[] = { "unspecified", "keyCompromise",
	"cACompromise", "affiliationChanged", "superseded",
	"cessationOfOperation", "certificateHold", NULL };
/* A certificate on hold: lift it, or make the revocation final. */
static const char *const held_choices[] = { "removeFromCRL", "unspecified",
	"keyCompromise", "cACompromise", "affiliationChanged", "superseded",
	"cessationOfOperation", NULL };
static const char *const noyes_choices[] = { "no", "yes", NULL };

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

/* Reopens the inventory after a change, the selection on serial. */
static void
inv_reload(struct ui *u, const char *serial)
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

/* The inventory's CA as a read-only struct ca around its copy of the
 * database, for the lifecycle checks: what can be refused is refused
 * before a passphrase is asked. */
static void
inv_as_ca(struct ui *u, struct ca *tmp)
{
	memset(tmp, 0, sizeof *tmp);
	tmp->name = u->inv_ca;
	tmp->db = inv_db;	/* a shallow copy, only read */
}

/* lifecycle_revoke_check on the inventory's CA. */
static int
inv_revoke_check(struct ui *u, const char *serial, const char *reason,
    struct err *e)
{
	struct ca tmp;

	inv_as_ca(u, &tmp);
	return lifecycle_revoke_check(&tmp, serial, reason, e);
}

/* lifecycle_renew_check likewise (rekey: the new request, or NULL). */
static int
inv_renew_check(struct ui *u, const char *serial, const struct csr *rekey,
    struct err *e)
{
	struct ca tmp;

	inv_as_ca(u, &tmp);
	return lifecycle_renew_check(&tmp, serial, rekey, NULL, e);
}

static void
inv_confirm_cancel(struct ui *u)
{
	if (inv_confirm) {
		inv_confirm = 0;
		ui_log(u, "revoke of %s cancelled: nothing changed",
		    inv_serial);
	}
}

static void
inv_revoke_then(struct ui *u)
{
	struct err e;
	int64_t now = inv_when_set ? inv_when : (int64_t)time(NULL);
	int lift = crl_reason_find(inv_reason) == CRL_REASON_REMOVE_FROM_CRL;
	char when[32], serial[CADB_SERIAL_MAX + 1];

	err_clear(&e);
	ui_fmt(serial, sizeof serial, "%s", inv_serial);
	if (lifecycle_revoke(&u->ca, serial, inv_reason, now,
	    inv_invalidity, &e) == -1) {
		ui_error(u, &e);
		inv_reload(u, serial);
		return;
	}
	verify_format_time(now, when, sizeof when);
	if (lift)
		ui_log(u, "hold lifted on %s (%s)", serial, inv_subject);
	else
		ui_log(u, "revoked %s (%s) on %s: %s", serial,
		    crl_reason_name(crl_reason_find(inv_reason)), when,
		    inv_subject);
	lc_regen_crl(u);
	inv_reload(u, serial);
	ui_set_openssl(u, "openssl ca -keyfile %s.key -cert %s.crt -revoke "
	    "%s.pem %s%s; openssl ca -gencrl -out crl.pem", u->ca.name,
	    u->ca.name, serial, strcmp(inv_reason, "certificateHold") == 0 ?
	    "-crl_hold holdInstructionReject" : "-crl_reason ",
	    strcmp(inv_reason, "certificateHold") == 0 ? "" : inv_reason);
}

static int
inv_submit_revoke(struct ui *u, struct form *fm)
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
	if (inv_revoke_check(u, inv_serial, fm->f[RV_REASON].val,
	    &e) == -1) {
		ui_fmt(fm->f[RV_REASON].err, sizeof fm->f[RV_REASON].err, "%s",
		    e.msg);
		fm->cur = RV_REASON;
		return -1;
	}
	ui_fmt(inv_reason, sizeof inv_reason, "%s", fm->f[RV_REASON].val);
	inv_invalidity = inv;
	inv_when = when;
	inv_when_set = fm->f[RV_DATE].val[0] != '\0';
	inv_confirm = 1;
	u->focus = WIN_MAIN;
	return 0;
}

/* r: the reason picker, then the y/n question drawn over the list. */
static void
inv_revoke(struct ui *u)
{
	const struct cadb_cert *c = scr_inventory_selected(u);
	static char title[CADB_SERIAL_MAX + 64];
	struct field *f;
	struct err e;
	int held;

	if (c == NULL)
		return;
	held = c->status == CADB_REVOKED && c->reason != NULL &&
	    strcmp(c->reason, "certificateHold") == 0;
	/* Refuse at once what no reason would make right. */
	if (inv_revoke_check(u, c->serial, held ? "removeFromCRL" :
	    "unspecified", &e) == -1) {
		ui_log(u, "refused: %s", e.msg);
		return;
	}
	ui_fmt(inv_serial, sizeof inv_serial, "%s", c->serial);
	ui_fmt(inv_subject, sizeof inv_subject, "%s", c->subject);
	ui_fmt(title, sizeof title, "%s serial %s", held ? "On hold:" :
	    "Revoke", c->serial);
	form_begin(u, title, inv_submit_revoke, 0);
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

/* Whether keystore name should get the renewed certificate: its own
 * certificate is the old serial, or after a rekey holds the new key. An
 * entity's other keys are encrypted, so a keystore without a certificate
 * of the new key is never chosen: it would pair the certificate with a
 * key that may not be its. */
static int
renew_match(struct ui *u, const char *name, const char *oldserial)
{
	struct keystore ks;
	struct cert_list l;
	struct err e;
	char hex[2 * CERT_MAX_SERIAL + 1];
	const char *a, *b;
	size_t k;
	int match = 0;

	if (strcmp(name, u->ca.name) == 0)
		return 0;
	keystore_init(&ks);
	cert_list_init(&l);
	if (keystore_load(&u->ws, name, &ks, &e) == -1 || ks.cert_pem == NULL ||
	    cert_list_load(&l, (const uint8_t *)ks.cert_pem,
	    strlen(ks.cert_pem), &e) == -1 || l.n == 0)
		goto out;
	if (inv_req != NULL) {
		match = l.v[0].key_alg == OID_RSA_ENCRYPTION &&
		    inv_req->key_alg == OID_RSA_ENCRYPTION &&
		    entity_same_key(&l.v[0].key, &inv_req->key);
		goto out;
	}
	hex[0] = '\0';
	for (k = 0; k < l.v[0].serial_len; k++)
		ui_fmt(hex + 2 * k, 3, "%02x", l.v[0].serial[k]);
	for (a = hex; a[0] == '0' && a[1] != '\0'; a++)
		;
	for (b = oldserial; b[0] == '0' && b[1] != '\0'; b++)
		;
	match = strcasecmp(a, b) == 0;
out:
	cert_list_clear(&l);
	keystore_clear(&ks);
	return match;
}

/* After a rekey no keystore holds the new key: the certificate goes next
 * to the request, as the Issue screen writes it. */
static void
renew_write(struct ui *u, const struct ca_issued *res)
{
	struct buf pem;
	struct err e;
	size_t n = strlen(inv_req_path);
	char *out;

	if (n > 8 && strcmp(inv_req_path + n - 8, ".csr.pem") == 0)
		out = xasprintf("%.*s.crt.pem", (int)(n - 8), inv_req_path);
	else
		out = xasprintf("%s.crt.pem", inv_req_path);
	buf_init(&pem);
	pem_encode("CERTIFICATE", res->der, res->len, &pem);
	if (file_write(out, pem.data, pem.len, 0644, 0, &e) == -1)
		ui_error(u, &e);
	else
		ui_log(u, "certificate written to %s (no keystore has its "
		    "key)", out);
	buf_clear(&pem);
	free(out);
}

/* Stores a renewed certificate, with the CA's chain after it, in the
 * entity renew_match picks; after a rekey with none, writes a file. */
static void
renew_store(struct ui *u, const char *oldserial, const struct ca_issued *res,
    const char *until)
{
	struct buf pem;
	struct err e;
	size_t i;

	for (i = 0; i < u->nents; i++) {
		if (!renew_match(u, u->ents[i], oldserial))
			continue;
		buf_init(&pem);
		pem_encode("CERTIFICATE", res->der, res->len, &pem);
		if (u->ca.ks.cert_pem != NULL)
			buf_puts(&pem, u->ca.ks.cert_pem);
		else
			pem_encode("CERTIFICATE", u->ca.root.der,
			    u->ca.root.len, &pem);
		if (keystore_set_cert(&u->ws, u->ents[i], (const char *)
		    pem.data, res->subject, until, &e) == -1)
			ui_error(u, &e);
		else
			ui_log(u, "the %s certificate replaces the old in "
			    "keystore '%s'", inv_req != NULL ? "rekeyed" :
			    "renewed", u->ents[i]);
		buf_clear(&pem);
		ui_lists_reload(u);
		return;
	}
	if (inv_req != NULL)
		renew_write(u, res);
}

static void
renew_drop(struct ui *u)
{
	if (inv_req != NULL) {
		csr_clear(inv_req);
		free(inv_req);
		inv_req = NULL;
	}
}

static void
inv_renew_then(struct ui *u)
{
	struct ca_issued res;
	struct err e;
	char until[WS_TIME_LEN], old[CADB_SERIAL_MAX + 1];

	err_clear(&e);
	ca_issued_init(&res);
	ui_fmt(old, sizeof old, "%s", inv_serial);
	if (lifecycle_renew(&u->ca, old, inv_req, inv_days,
	    inv_revoke_old, (int64_t)time(NULL), &res, &e) == -1) {
		ui_error(u, &e);
		inv_reload(u, old);
		goto out;
	}
	ws_time_format(res.not_after, until);
	ui_log(u, "%s %s as %s %s (until %s%s)", inv_req != NULL ?
	    "rekeyed" : "renewed", old, res.serial, res.subject, until,
	    res.clamped ? ", cut to the CA's notAfter" : "");
	if (inv_revoke_old) {
		ui_log(u, "old certificate %s revoked (superseded)", old);
		lc_regen_crl(u);
	}
	renew_store(u, old, &res, until);
	inv_reload(u, res.serial);
	if (inv_req != NULL)
		ui_set_openssl(u, "openssl ca -keyfile %s.key -cert %s.crt -in "
		    "%s -out %s.pem", u->ca.name, u->ca.name, inv_req_path,
		    res.serial);
	else
		ui_set_openssl(u, "openssl x509 -x509toreq -in %s.pem -signkey "
		    "KEY -out renew.csr; openssl ca -keyfile %s.key -cert "
		    "%s.crt -in renew.csr -out %s.pem", old, u->ca.name,
		    u->ca.name, res.serial);
out:
	renew_drop(u);
	ca_issued_clear(&res);
}

/* lifecycle_renew's checks of a new key's request, before a passphrase
 * is asked: it reads, proves its key, and names the old subject. */
static int
renew_read_request(struct ui *u, const char *path, struct csr *req,
    struct err *e)
{
	if (csr_load(req, path, e) == -1 ||
	    ca_check_request(req, e) == -1)
		return -1;
	return inv_renew_check(u, inv_serial, req, e);
}

static int
inv_submit_renew(struct ui *u, struct form *fm)
{
	struct field *rq = &fm->f[RN_REQ];
	struct csr *req = NULL;
	struct err e;

	err_clear(&e);
	if (rq->val[0] != '\0') {
		req = xmalloc(sizeof *req);
		csr_init(req);
		if (renew_read_request(u, rq->val, req, &e) == -1) {
			ui_fmt(rq->err, sizeof rq->err, "%s", e.msg);
			fm->cur = RN_REQ;
			csr_clear(req);
			free(req);
			return -1;
		}
	}
	renew_drop(u);
	inv_req = req;
	ui_fmt(inv_req_path, sizeof inv_req_path, "%s", rq->val);
	inv_days = fm->f[RN_DAYS].val[0] != '\0' ?
	    atol(fm->f[RN_DAYS].val) : 0;
	inv_revoke_old = strcmp(fm->f[RN_REVOKE_OLD].val, "yes") == 0;
	form_wipe(u);
	lc_ca_need(u, u->inv_ca, inv_renew_then);
	/* The unlock form, when one was opened, stays. */
	return u->form_open ? -1 : 0;
}

/* n: renew the selected certificate (a new serial; the same key, or the
 * key of a new request: a rekey). */
static void
inv_renew(struct ui *u)
{
	const struct cadb_cert *c = scr_inventory_selected(u);
	static char title[CADB_SERIAL_MAX + 64];
	struct field *f;
	struct err e;

	if (c == NULL)
		return;
	/* As `ca renew` refuses before asking for a passphrase. */
	if (inv_renew_check(u, c->serial, NULL, &e) == -1) {
		ui_log(u, "refused: %s", e.msg);
		return;
	}
	ui_fmt(inv_serial, sizeof inv_serial, "%s", c->serial);
	ui_fmt(inv_subject, sizeof inv_subject, "%s", c->subject);
	ui_fmt(title, sizeof title, "Renew serial %s", c->serial);
	form_begin(u, title, inv_submit_renew, 0);
	f = form_add(u, "Validity (days)", "");
	f->check = field_check_days_opt;
	f->hint = "empty: as long as the old certificate was";
	f = form_add(u, "Revoke the old", "no");
	f->choices = noyes_choices;
	f->hint = "yes: revoked with reason superseded, CRL regenerated";
	f = form_add(u, "New request", "");
	f->hint = "empty: same key; to rekey a request (same subject)";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl ca -keyfile "
	    "%s.key -cert %s.crt -in SAME-KEY.csr -out NEW.pem", u->inv_ca,
	    u->inv_ca);
}

static void
inv_draw_confirm(int y, int x, int h, int w)
{
	int bw = w - 4 > 76 ? 76 : w - 4, bx = x + (w - bw) / 2, by, i;
	char q[400];

	by = y + (h - 6) / 2;
	if (bw < 20 || h < 6)
		return;
	for (i = 0; i < 6; i++)
		ui_fill(by + i, bx, bw);
	ui_box(by, bx, 6, bw, "Confirm", 1);
	if (strcmp(inv_reason, "removeFromCRL") == 0)
		ui_fmt(q, sizeof q, "Lift the hold on serial %s of %s? y/n",
		    inv_serial, inv_subject);
	else
		ui_fmt(q, sizeof q, "Revoke serial %s of %s? y/n",
		    inv_serial, inv_subject);
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
	if (inv_when_set) {
		char when[32];

		verify_format_time(inv_when, when, sizeof when);
		ui_fmt(q, sizeof q, "reason %s, revoked on %s; the CRL is "
		    "regenerated", inv_reason, when);
	} else
		ui_fmt(q, sizeof q, "reason %s; the CRL is regenerated",
		    inv_reason);
	ui_put(by + 3, bx + 2, bw - 4, q);
	ui_put(by + 4, bx + 2, bw - 4, "y revokes, any other key cancels");
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
	if (inv_confirm)
		inv_draw_confirm(y0, x, h0, w);
}

/* The draw cancels a revoke question the user turned away from. */
static void
inv_draw_main(struct ui *u, const struct ui_rect *rc)
{
	if (inv_confirm && (u->focus != WIN_MAIN || u->filtering ||
	    u->form_open || u->help))
		inv_confirm_cancel(u);
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

	inv_confirm_cancel(u);
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
	inv_confirm_cancel(u);
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
	if (inv_confirm)
		inv_confirm_cancel(u);
	else
		inv_detail(u);
}

static int
inv_key(struct ui *u, int ch)
{
	size_t i;

	if (inv_confirm) {
		/* The revoke question takes the next key: y, or cancel. */
		if (ch == 'y' || ch == 'Y') {
			inv_confirm = 0;
			lc_ca_need(u, u->inv_ca, inv_revoke_then);
		} else
			inv_confirm_cancel(u);
		return 1;
	}
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
		inv_revoke(u);
		return 1;
	case 'n':
		inv_renew(u);
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
	renew_drop(u);
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
	.leave = inv_confirm_cancel,
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
