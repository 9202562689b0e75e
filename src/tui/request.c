/* request.c — the form that makes a certificate request for an entity
 * (as `req new`): the subject's parts, SANs, where to write it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "role/entity.h"
#include "tui/ui.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/dn.h"
#include "x509/ext.h"

enum { RQ_ENT, RQ_CN, RQ_O, RQ_OU, RQ_C, RQ_ST, RQ_L, RQ_EMAIL, RQ_SAN,
	RQ_OUT, RQ_PASS };

static int
request_submit(struct ui *u, struct form *fm)
{
	struct buf b, pem;
	struct dn dn;
	struct san_list san;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;
	char *dir;
	const char *name = fm->f[RQ_ENT].val;
	int rc = -1;

	if (!keystore_exists(&u->ws, name)) {
		ui_fmt(fm->f[RQ_ENT].err, sizeof fm->f[RQ_ENT].err,
		    "no keystore '%s' (n makes a key)", name);
		fm->cur = RQ_ENT;
		return -1;
	}
	buf_init(&b);
	buf_init(&pem);
	dn_init(&dn);
	san_list_init(&san);
	field_dn_part(&b, "CN", fm->f[RQ_CN].val);
	field_dn_part(&b, "O", fm->f[RQ_O].val);
	field_dn_part(&b, "OU", fm->f[RQ_OU].val);
	field_dn_part(&b, "C", fm->f[RQ_C].val);
	field_dn_part(&b, "ST", fm->f[RQ_ST].val);
	field_dn_part(&b, "L", fm->f[RQ_L].val);
	field_dn_part(&b, "emailAddress", fm->f[RQ_EMAIL].val);
	if (dn_from_string(&dn, (const char *)b.data, &e) == -1) {
		ui_fmt(fm->f[RQ_CN].err, sizeof fm->f[RQ_CN].err, "%s",
		    e.msg);
		goto out;
	}
	if (san_parse_list(&san, fm->f[RQ_SAN].val, &e) == -1) {
		ui_fmt(fm->f[RQ_SAN].err, sizeof fm->f[RQ_SAN].err, "%s",
		    e.msg);
		goto out;
	}
	/* Whatever happens, <workspace>/requests exists for the default. */
	dir = xasprintf("%s/requests", u->ws.dir);
	ws_mkdir(dir, NULL);
	free(dir);
	if (entity_new_csr(&u->ws, name, &dn, &san, fm->f[RQ_PASS].val,
	    strlen(fm->f[RQ_PASS].val), &der, &len, &e) == -1) {
		ui_fmt(fm->f[e.kind == ERR_PASS ? RQ_PASS : RQ_ENT].err,
		    sizeof fm->f[0].err, "%s", e.msg);
		fm->cur = e.kind == ERR_PASS ? RQ_PASS : RQ_ENT;
		goto out;
	}
	pem_encode("CERTIFICATE REQUEST", der, len, &pem);
	if (file_write(fm->f[RQ_OUT].val, pem.data, pem.len, 0644, 0,
	    &e) == -1) {
		ui_fmt(fm->f[RQ_OUT].err, sizeof fm->f[RQ_OUT].err, "%s",
		    e.msg);
		fm->cur = RQ_OUT;
		goto out;
	}
	ui_fmt(u->last_req, sizeof u->last_req, "%s", fm->f[RQ_OUT].val);
	ui_fmt(u->last_ent, sizeof u->last_ent, "%s", name);
	ui_log(u, "request for '%s' written to %s (i: issue it)", name,
	    fm->f[RQ_OUT].val);
	ui_set_openssl(u, "openssl req -new -key %s.key -subj '/%s' %s%s%s "
	    "-out %s", name, (const char *)b.data, san.n ? "-addext "
	    "'subjectAltName=" : "", fm->f[RQ_SAN].val, san.n ? "'" : "",
	    fm->f[RQ_OUT].val);
	rc = 0;
out:
	free(der);
	buf_clear(&pem);
	buf_clear(&b);
	dn_clear(&dn);
	san_list_clear(&san);
	return rc;
}

void
request_open(struct ui *u)
{
	const char *name = scr_entities_selected(u);
	struct field *f;
	char *out;

	if (name == NULL)
		name = u->last_ent;
	form_begin(u, "New certificate request", request_submit, 0);
	f = form_add(u, "Entity", name);
	f->check = field_check_name;
	f = form_add(u, "Common name (CN)", name);
	f->check = field_check_required;
	f->hint = "a host name for a server, a person for a client";
	form_add(u, "Organization (O)", "");
	form_add(u, "Org. unit (OU)", "");
	f = form_add(u, "Country (C)", "");
	f->check = field_check_country;
	form_add(u, "State (ST)", "");
	form_add(u, "Locality (L)", "");
	f = form_add(u, "Email", "");
	f->check = field_check_email;
	f = form_add(u, "SANs", "");
	f->check = field_check_san;
	f->hint = "DNS:host,IP:127.0.0.1,email:a@b.example";
	out = xasprintf("%s/requests/%s.csr.pem", u->ws.dir, name);
	f = form_add(u, "Write to", out);
	f->check = field_check_required;
	free(out);
	f = form_add(u, "Key passphrase", "");
	f->masked = 1;
	f->check = field_check_pass;
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl req -new "
	    "-key %s.key -subj '/CN=%s' -addext 'subjectAltName=DNS:%s' -out "
	    "%s.csr", name, name, name, name);
}

