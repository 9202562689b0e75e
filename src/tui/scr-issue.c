/* scr-issue.c — the Issue screen: a request under review (its subject,
 * SANs, key, the checks the CA makes) and what approving it will apply
 * (CA, profile, validity, the keystore that gets the certificate); a
 * approves after the CA's passphrase, r rejects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "asn1/oid.h"
#include "asn1/pem.h"
#include "role/ca.h"
#include "role/profile.h"
#include "tui/ui.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/csr.h"
#include "x509/dn.h"

static struct lines issue_text;
static struct csr *issue_req;		/* under review (owned), or NULL */
static char issue_path[UI_FIELD_MAX];	/* where it was read */
static char issue_entity[UI_FIELD_MAX];	/* the keystore that gets it */
static char issue_ca[WS_NAME_MAX + 1];
static int issue_profile;
static long issue_days;
static int issue_sig_ok;		/* it passed the CA's checks */

static void issue_render(struct ui *);

static void
issue_drop(struct ui *u)
{
	if (issue_req != NULL) {
		csr_clear(issue_req);
		free(issue_req);
		issue_req = NULL;
	}
}

enum { IS_REQ, IS_CA, IS_ENT };

static int
issue_submit(struct ui *u, struct form *fm)
{
	struct csr *req = xmalloc(sizeof *req);
	struct cadb_meta m;
	struct err e;

	cadb_meta_init(&m);
	if (cadb_meta_load(&u->ws, fm->f[IS_CA].val, &m, &e) == -1) {
		ui_fmt(fm->f[IS_CA].err, sizeof fm->f[IS_CA].err, "%s",
		    e.msg);
		fm->cur = IS_CA;
		cadb_meta_clear(&m);
		free(req);
		return -1;
	}
	cadb_meta_clear(&m);
	if (fm->f[IS_ENT].val[0] != '\0' &&
	    !keystore_exists(&u->ws, fm->f[IS_ENT].val)) {
		ui_fmt(fm->f[IS_ENT].err, sizeof fm->f[IS_ENT].err, "no "
		    "keystore '%s' (leave empty to write a file only)",
		    fm->f[IS_ENT].val);
		fm->cur = IS_ENT;
		free(req);
		return -1;
	}
	csr_init(req);
	if (csr_load(req, fm->f[IS_REQ].val, &e) == -1) {
		ui_fmt(fm->f[IS_REQ].err, sizeof fm->f[IS_REQ].err, "%s",
		    e.msg);
		fm->cur = IS_REQ;
		csr_clear(req);
		free(req);
		return -1;
	}
	issue_drop(u);
	issue_req = req;
	ui_fmt(issue_path, sizeof issue_path, "%s", fm->f[IS_REQ].val);
	ui_fmt(issue_ca, sizeof issue_ca, "%s", fm->f[IS_CA].val);
	ui_fmt(issue_entity, sizeof issue_entity, "%s", fm->f[IS_ENT].val);
	issue_profile = req->ext.has_bc && req->ext.ca ? PROFILE_CA :
	    (req->ext.san.n > 0 && req->ext.san.v[0].type != SAN_EMAIL) ?
	    PROFILE_SERVER : PROFILE_CLIENT;
	issue_days = profile_get((enum profile_id)issue_profile)->days;
	issue_render(u);
	ui_set_screen(u, &scr_issue);
	return 0;
}

void
scr_issue_open(struct ui *u)
{
	struct field *f;
	const char *ent = u->last_ent;
	char *path = NULL;

	if (u->ncas == 0) {
		ui_log(u, "no CA yet: c creates a root CA, d the demo lab");
		return;
	}
	if (u->scr == &scr_entities && scr_entities_selected(u) != NULL)
		ent = scr_entities_selected(u);
	if (u->last_req[0] != '\0' && strcmp(ent, u->last_ent) == 0)
		path = xstrdup(u->last_req);
	else
		path = xasprintf("%s/requests/%s.csr.pem", u->ws.dir, ent);
	form_begin(u, "Issue: open a request", issue_submit, 0);
	f = form_add(u, "Request file", path);
	f->check = field_check_required;
	f->hint = "PEM or DER PKCS#10";
	f = form_add(u, "CA", u->ca_open ? u->ca.name : u->cas[0]);
	f->check = field_check_name;
	f = form_add(u, "Store in entity", ent);
	f->hint = "keystore that gets the certificate; empty: file only";
	free(path);
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl req -in "
	    "REQUEST.csr -noout -text -verify");
}

static void
issue_render(struct ui *u)
{
	const struct profile *p = profile_get((enum profile_id)issue_profile);
	const struct csr *r = issue_req;
	struct err e;
	struct cadb_meta m;
	char *s;
	size_t i;

	lines_clear(&issue_text);
	if (r == NULL) {
		lines_add(&issue_text, "No request open: O opens one.");
		return;
	}
	lines_addf(&issue_text, "%cRequest  %s", LINE_HEAD, issue_path);
	s = dn_to_string(&r->subject);
	lines_addf(&issue_text, "  Subject      %s", *s ? s : "(empty)");
	free(s);
	if (r->ext.san.n == 0)
		lines_add(&issue_text, "  SANs         (none)");
	for (i = 0; i < r->ext.san.n; i++)
		lines_addf(&issue_text, "  %s %s:%s", i ? "            " :
		    "SANs        ", r->ext.san.v[i].type == SAN_DNS ? "DNS" :
		    r->ext.san.v[i].type == SAN_IP ? "IP" :
		    r->ext.san.v[i].type == SAN_EMAIL ? "email" :
		    r->ext.san.v[i].type == SAN_URI ? "URI" : "other",
		    r->ext.san.v[i].value);
	if (r->key_alg == OID_RSA_ENCRYPTION)
		lines_addf(&issue_text, "  Key          RSA %u bits",
		    rsakey_bits(&r->key));
	else
		lines_add(&issue_text, "  Key          not RSA");
	if (r->ext.has_bc && r->ext.ca)
		lines_addf(&issue_text, "%c  Asks for     CA:TRUE (only profile "
		    "ca grants it)", LINE_WARN);
	err_clear(&e);
	issue_sig_ok = ca_check_request(r, &e) == 0;
	if (issue_sig_ok)
		lines_addf(&issue_text, "%c  Checks       ok: the request's own key "
		    "verifies its signature (proof of possession), key size "
		    "ok", LINE_OK);
	else
		lines_addf(&issue_text, "%c  Checks       FAIL: %s", LINE_FAIL,
		    e.msg);
	lines_add(&issue_text, "");
	lines_addf(&issue_text, "%cWill apply", LINE_HEAD);
	cadb_meta_init(&m);
	cadb_meta_load(&u->ws, issue_ca, &m, NULL);
	lines_addf(&issue_text, "  CA           %s (%s)%s", issue_ca,
	    m.subject ? m.subject : "?", u->ca_open &&
	    strcmp(u->ca.name, issue_ca) == 0 ? "  key unlocked" : "");
	lines_addf(&issue_text, "  Profile      %s: %s", p->name, p->summary);
	/* A profile's own policies (`ca set-policy`), else the CA's. */
	for (i = 0; i < m.npp; i++)
		if (strcmp(m.pp[i].profile, p->name) == 0)
			break;
	if (i < m.npp)
		lines_addf(&issue_text, "  Policies     %s%s%s (profile %s's "
		    "own)", m.pp[i].policies, m.pp[i].cps ? ", CPS " : "",
		    m.pp[i].cps ? m.pp[i].cps : "", p->name);
	else
		lines_add(&issue_text, "  Policies     the CA's, if it has "
		    "any");
	cadb_meta_clear(&m);
	lines_addf(&issue_text, "  Validity     %ld days (not beyond the CA's "
	    "own notAfter)", issue_days);
	lines_addf(&issue_text, "  Store in     %s", issue_entity[0] ?
	    issue_entity : "(file only)");
	lines_add(&issue_text, "");
	lines_add(&issue_text, "a approve   r reject   p profile   + - days   "
	    "Enter: the request decoded");
	ui_set_openssl(u, "openssl x509 -req -in %s -CA %s.crt -CAkey %s.key "
	    "-days %ld -sha256 -extfile %s.ext -out cert.pem", issue_path,
	    issue_ca, issue_ca, issue_days, p->name);
}

/* Through ca_issue_batch, as `ca issue` does: a batch of one gives the
 * same notes (CA:TRUE not granted, subjectAltNames not copied, notAfter
 * cut) in the same words on both faces. */
static void
issue_approve(struct ui *u)
{
	const struct profile *p = profile_get((enum profile_id)issue_profile);
	struct ca_batch_req q;
	struct cert_list chain;
	struct buf pem, one;
	struct err e;
	char *out, until[WS_TIME_LEN];
	size_t n, i;

	ca_batch_req_init(&q, issue_req);
	buf_init(&pem);
	buf_init(&one);
	cert_list_init(&chain);
	err_clear(&e);
	if (ca_issue_batch(&u->ca, &q, 1, p, issue_days, (int64_t)time(NULL),
	    NULL, &e) == -1) {
		ui_error(u, &e);
		goto out;
	}
	if (q.res.der == NULL) {
		ui_error(u, &q.err);
		goto out;
	}
	pem_encode("CERTIFICATE", q.res.der, q.res.len, &one);
	buf_append(&pem, one.data, one.len);
	/* The CA's chain: an intermediate's keystore holds its parents. */
	if (u->ca.ks.cert_pem != NULL)
		buf_puts(&pem, u->ca.ks.cert_pem);
	else
		pem_encode("CERTIFICATE", u->ca.root.der, u->ca.root.len,
		    &pem);
	n = strlen(issue_path);
	if (n > 8 && strcmp(issue_path + n - 8, ".csr.pem") == 0)
		out = xasprintf("%.*s.crt.pem", (int)(n - 8), issue_path);
	else
		out = xasprintf("%s.crt.pem", issue_path);
	ws_time_format(q.res.not_after, until);
	ui_log(u, "issued %s %s (profile %s, until %s)", q.res.serial,
	    q.res.subject, p->name, until);
	for (i = 0; i < q.nnotes; i++)
		ui_log(u, "note: %s", q.notes[i]);
	if (file_write(out, one.data, one.len, 0644, 0, &e) == -1) {
		ui_error(u, &e);
		out[0] = '\0';
	} else
		ui_log(u, "certificate written to %s", out);
	if (issue_entity[0] != '\0') {
		if (keystore_set_cert(&u->ws, issue_entity,
		    (const char *)pem.data, q.res.subject, until, &e) == -1)
			ui_error(u, &e);
		else
			ui_log(u, "stored in keystore '%s' with the CA "
			    "certificate", issue_entity);
	}
	ui_lists_reload(u);
	if (cert_list_load(&chain, pem.data, pem.len, &e) == 0)
		scr_detail_cert(u, &chain.v[0], &chain, "the new certificate");
	/* Verify from here starts with it: the file written, else the
	 * keystore that holds it. */
	scr_detail_set_spec(out[0] != '\0' ? out : issue_entity);
	free(out);
	issue_drop(u);
out:
	cert_list_clear(&chain);
	buf_clear(&one);
	buf_clear(&pem);
	ca_batch_req_clear(&q);
}

static int
issue_key(struct ui *u, int ch)
{
	switch (ch) {
	case 'a':
		if (issue_req == NULL)
			return 1;
		if (!issue_sig_ok) {
			ui_log(u, "refused: the request failed its checks");
			return 1;
		}
		lc_ca_need(u, issue_ca, issue_approve);
		return 1;
	case 'r':
		if (issue_req != NULL)
			ui_log(u, "request %s rejected: nothing signed",
			    issue_path);
		issue_drop(u);
		issue_render(u);
		return 1;
	case 'p':
		issue_profile = (issue_profile + 1) % PROFILE__COUNT;
		issue_days = profile_get((enum profile_id)
		    issue_profile)->days;
		issue_render(u);
		return 1;
	case '+': case '-':
		issue_days += ch == '+' ? 30 : -30;
		if (issue_days < 1)
			issue_days = 1;
		if (issue_days > CA_MAX_DAYS)
			issue_days = CA_MAX_DAYS;
		issue_render(u);
		return 1;
	case 'O':
		scr_issue_open(u);
		return 1;
	}
	return 0;
}

/* Enter: the request decoded on the Detail screen. */
static void
issue_select(struct ui *u)
{
	if (issue_req != NULL)
		scr_detail_csr(u, issue_req, issue_path);
}

static struct lines *
issue_lines(struct ui *u)
{
	(void)u;
	return &issue_text;
}

static void
issue_clear(struct ui *u)
{
	(void)u;
	issue_drop(u);
	lines_clear(&issue_text);
}

static const struct binding issue_keys[] = {
	{ 'a', 0, 0, NULL, "a", "approve: sign the certificate" },
	{ 'r', 0, 0, NULL, "r", "reject the request" },
	{ 'p', 0, 0, NULL, "p", "next profile (server, client, ca, peer)" },
	{ '+', 0, 0, NULL, "+ -", "validity: 30 days more / less" },
	{ '-', 0, 0, NULL, NULL, NULL },
	{ 'O', 0, 0, NULL, "O", "open another request" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_issue = {
	.name = "Issue",
	.title = "Issue: review a request",
	.hints = "a approve  r reject  p profile  + - days  O other request  Esc back",
	.flags = SCREEN_BACK,
	.keys = issue_keys,
	.shortcut = '3',
	.go = scr_issue_open,
	.enter = issue_render,
	.text = issue_lines,
	.key = issue_key,
	.select = issue_select,
	.clear = issue_clear,
};
