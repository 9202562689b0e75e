/* renew.c — n in the inventory: renew the selected certificate as `ca
 * renew` does (a new serial; the same key, or the key of a new request: a
 * rekey), optionally revoking the old one; the new certificate goes to
 * the keystore that held the old one, or next to the request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asn1/pem.h"
#include "role/ca.h"
#include "role/lifecycle.h"
#include "tui/ui.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/csr.h"

enum { RN_DAYS, RN_REVOKE_OLD, RN_REQ };

static const char *const noyes_choices[] = { "no", "yes", NULL };

/* The renew under way. */
static char rn_serial[CADB_SERIAL_MAX + 1];
static long rn_days;		/* 0: as long as the old one */
static int rn_revoke_old;
static struct csr *rn_req;	/* the new key's request (owned), or NULL
				 * for the same key */
static char rn_req_path[UI_FIELD_MAX];

/* lifecycle_renew_check likewise (rekey: the new request, or NULL). */
static int
renew_check(struct ui *u, const char *serial, const struct csr *rekey,
    struct err *e)
{
	struct ca tmp;

	scr_inventory_as_ca(u, &tmp);
	return lifecycle_renew_check(&tmp, serial, rekey, NULL, e);
}

/* After a rekey no keystore holds the new key: the certificate goes next
 * to the request, as the Issue screen writes it. */
static void
renew_write(struct ui *u, const struct ca_issued *res)
{
	struct buf pem;
	struct err e;
	size_t n = strlen(rn_req_path);
	char *out;

	if (n > 8 && strcmp(rn_req_path + n - 8, ".csr.pem") == 0)
		out = xasprintf("%.*s.crt.pem", (int)(n - 8), rn_req_path);
	else
		out = xasprintf("%s.crt.pem", rn_req_path);
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
 * entity lifecycle_renew_keystore picks; after a rekey with none, writes
 * a file. */
static void
renew_store(struct ui *u, const char *oldserial, const struct ca_issued *res,
    const char *until)
{
	struct buf pem;
	struct err e;
	char *name = NULL;

	if (lifecycle_renew_keystore(&u->ca, oldserial, rn_req, &name,
	    &e) == -1)
		ui_error(u, &e);
	if (name != NULL) {
		buf_init(&pem);
		pem_encode("CERTIFICATE", res->der, res->len, &pem);
		if (u->ca.ks.cert_pem != NULL)
			buf_puts(&pem, u->ca.ks.cert_pem);
		else
			pem_encode("CERTIFICATE", u->ca.root.der,
			    u->ca.root.len, &pem);
		if (keystore_set_cert(&u->ws, name, (const char *)pem.data,
		    res->subject, until, &e) == -1)
			ui_error(u, &e);
		else
			ui_log(u, "the %s certificate replaces the old in "
			    "keystore '%s'", rn_req != NULL ? "rekeyed" :
			    "renewed", name);
		buf_clear(&pem);
		free(name);
		ui_lists_reload(u);
		return;
	}
	if (rn_req != NULL)
		renew_write(u, res);
}

void
renew_clear(struct ui *u)
{
	if (rn_req != NULL) {
		csr_clear(rn_req);
		free(rn_req);
		rn_req = NULL;
	}
}

static void
renew_then(struct ui *u)
{
	struct ca_issued res;
	struct err e;
	char until[WS_TIME_LEN], old[CADB_SERIAL_MAX + 1];

	err_clear(&e);
	ca_issued_init(&res);
	ui_fmt(old, sizeof old, "%s", rn_serial);
	if (lifecycle_renew(&u->ca, old, rn_req, rn_days,
	    rn_revoke_old, (int64_t)time(NULL), &res, &e) == -1) {
		ui_error(u, &e);
		scr_inventory_reload(u, old);
		goto out;
	}
	ws_time_format(res.not_after, until);
	ui_log(u, "%s %s as %s %s (until %s%s)", rn_req != NULL ?
	    "rekeyed" : "renewed", old, res.serial, res.subject, until,
	    res.clamped ? ", cut to the CA's notAfter" : "");
	if (rn_revoke_old) {
		ui_log(u, "old certificate %s revoked (superseded)", old);
		lc_regen_crl(u);
	}
	renew_store(u, old, &res, until);
	scr_inventory_reload(u, res.serial);
	if (rn_req != NULL)
		ui_set_openssl(u, "openssl ca -keyfile %s.key -cert %s.crt -in "
		    "%s -out %s.pem", u->ca.name, u->ca.name, rn_req_path,
		    res.serial);
	else
		ui_set_openssl(u, "openssl x509 -x509toreq -in %s.pem -signkey "
		    "KEY -out renew.csr; openssl ca -keyfile %s.key -cert "
		    "%s.crt -in renew.csr -out %s.pem", old, u->ca.name,
		    u->ca.name, res.serial);
out:
	renew_clear(u);
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
	return renew_check(u, rn_serial, req, e);
}

static int
renew_submit(struct ui *u, struct form *fm)
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
	renew_clear(u);
	rn_req = req;
	ui_fmt(rn_req_path, sizeof rn_req_path, "%s", rq->val);
	rn_days = fm->f[RN_DAYS].val[0] != '\0' ?
	    atol(fm->f[RN_DAYS].val) : 0;
	rn_revoke_old = strcmp(fm->f[RN_REVOKE_OLD].val, "yes") == 0;
	form_wipe(u);
	lc_ca_need(u, u->inv_ca, renew_then);
	/* The unlock form, when one was opened, stays. */
	return u->form_open ? -1 : 0;
}

/* n: renew the selected certificate (a new serial; the same key, or the
 * key of a new request: a rekey). */
void
renew_open(struct ui *u)
{
	const struct cadb_cert *c = scr_inventory_selected(u);
	static char title[CADB_SERIAL_MAX + 64];
	struct field *f;
	struct err e;

	if (c == NULL)
		return;
	/* As `ca renew` refuses before asking for a passphrase. */
	if (renew_check(u, c->serial, NULL, &e) == -1) {
		ui_log(u, "refused: %s", e.msg);
		return;
	}
	ui_fmt(rn_serial, sizeof rn_serial, "%s", c->serial);
	ui_fmt(title, sizeof title, "Renew serial %s", c->serial);
	form_begin(u, title, renew_submit, 0);
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

