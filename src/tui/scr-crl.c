/* scr-crl.c — the CRL window: the CA's current CRL in words (number,
 * updates, issuer, whether its signature verifies) over its entries, and
 * what the database says; n regenerates it, as `ca crl` does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/keystore.h"
#include "tui/ui.h"
#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/dn.h"

static struct lc_view lc_crl;

static void
crlw_load(struct ui *u, const char *name)
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
	lines_addf(&lc_crl.head, "%cCRL of CA %s  (ca/%s/crl.pem)", LINE_HEAD,
	    name, name);
	/* The database already open, when it is this CA's (the unlocked
	 * one is the newest), else a read of it. */
	if (u->ca_open && strcmp(u->ca.name, name) == 0)
		pdb = &u->ca.db;
	else if ((pdb = scr_inventory_db(u, name)) != NULL)
		;
	else if (cadb_open(&db, &u->ws, name, 0, &e) == 0)
		pdb = &db;
	if (pdb != NULL) {
		size_t nrev = 0;

		for (i = 0; i < pdb->ncerts; i++)
			if (pdb->certs[i].status == CADB_REVOKED)
				nrev++;
		if (pdb->crl_number == 0)
			lines_addf(&lc_crl.head, "Database     no CRL generated "
			    "yet; %zu revoked", nrev);
		else
			lines_addf(&lc_crl.head, "Database     last CRL %llu; "
			    "%zu revoked now", (unsigned long long)
			    pdb->crl_number, nrev);
	} else
		lines_addf(&lc_crl.head, "%cDatabase     %s", LINE_FAIL, e.msg);
	if (access(path, F_OK) != 0) {
		lines_addf(&lc_crl.head, "%cNo CRL file yet: n generates one "
		    "now (revoking does too).", LINE_WARN);
		goto out;
	}
	if (crl_load_file(&crl, path, &e) == -1) {
		lines_addf(&lc_crl.head, "%cCannot read the CRL: %s", LINE_FAIL,
		    e.msg);
		ui_error(u, &e);
		goto out;
	}
	lc_crl_text(&tmp, &crl);
	/* The first lines of lc_crl_text are the CRL's head, the entries
	 * (indented) the rows. */
	for (i = 0; i < tmp.n; i++)
		lc_add(tmp.v[i][0] == ' ' ? &lc_crl.rows : &lc_crl.head, lc_crl.width,
		    tmp.v[i]);
	err_clear(&e2);
	if (keystore_load(&u->ws, name, &ks, &e2) == 0 && ks.cert_pem != NULL &&
	    cert_list_load(&cl, (const uint8_t *)ks.cert_pem,
	    strlen(ks.cert_pem), &e2) == 0 && cl.n > 0) {
		if (!dn_equal(&crl.issuer, &cl.v[0].subject))
			lines_addf(&lc_crl.head, "%cSignature    FAIL: the issuer "
			    "is not CA %s", LINE_FAIL, name);
		else if (crl_check_signature(&crl, &cl.v[0], &e2))
			lines_addf(&lc_crl.head, "%cSignature    ok: CA %s's key "
			    "verifies it", LINE_OK, name);
		else
			lines_addf(&lc_crl.head, "%cSignature    FAIL: %s",
			    LINE_FAIL, e2.msg);
	}
	if (crl.n == 0)
		lines_add(&lc_crl.rows, "  (no entries: nothing is revoked)");
	ui_fmt(lc_crl.cols, sizeof lc_crl.cols, "  %-32s  %-16s  %s", "Serial",
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
crlw_enter(struct ui *u)
{
	if (lc_view_begin(u, &lc_crl) == 0) {
		crlw_load(u, lc_ca(u));
		lc_view_end(&lc_crl);
	}
}

static void
crlw_draw(struct ui *u, const struct ui_rect *r)
{
	lc_view_draw(u, &lc_crl, "C next CA   n generate a new CRL now   "
	    "Up/Down scroll", crlw_enter, r);
}

static void
crlw_move(struct ui *u, long d, int page)
{
	(void)u;
	(void)page;
	lc_view_move(&lc_crl, d);
}

static void
crlw_gen_then(struct ui *u)
{
	lc_regen_crl(u);
	if (u->scr == &scr_crl)
		crlw_enter(u);
}

static int
crlw_key(struct ui *u, int ch)
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
		crlw_enter(u);
		return 1;
	case 'n':
		if (lc_ca(u) == NULL)
			return 0;
		lc_ca_need(u, lc_ca(u), crlw_gen_then);
		return 1;
	}
	return 0;
}

static void
crlw_clear(struct ui *u)
{
	(void)u;
	lc_view_clear(&lc_crl);
}

static const struct binding crlw_keys[] = {
	{ 'C', 0, 0, NULL, "C", "next CA" },
	{ 'n', 0, 0, NULL, "n", "generate a new CRL now (unlocks the CA)" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_crl = {
	.name = "CRL",
	.title = "CRL",
	.hints = "n new CRL now  C next CA  Up/Down scroll  o openssl  ? help",
	.keys = crlw_keys,
	.enter = crlw_enter,
	.draw = crlw_draw,
	.key = crlw_key,
	.move = crlw_move,
	.clear = crlw_clear,
};
