/* scr-verify.c — the Verify screen: a certificate checked against a trust
 * anchor for a purpose and a host, every step of the verification shown
 * with what failed and why (as `verify` prints them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/ui.h"
#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/dn.h"
#include "x509/verify.h"

static const char *const purpose_choices[] = { "server", "client", "any",
	NULL };

static struct lines vf_text;

enum { VF_CERT, VF_ANCHOR, VF_PURPOSE, VF_HOST };

/* The last inputs, offered again by V on the Verify screen. */
static char vf_last[4][UI_FIELD_MAX];

static int
vf_submit(struct ui *u, struct form *fm)
{
	struct cert_list leaf, anchors;
	struct verify_params vp;
	struct verify_result res;
	struct err e;
	struct buf b;
	const char *purpose = fm->f[VF_PURPOSE].val;
	char *s;
	int ok;

	cert_list_init(&leaf);
	cert_list_init(&anchors);
	verify_result_init(&res);
	buf_init(&b);
	if (scr_detail_load_certs(u, fm->f[VF_CERT].val, &leaf, &e) == -1) {
		ui_fmt(fm->f[VF_CERT].err, sizeof fm->f[VF_CERT].err, "%s",
		    e.msg);
		fm->cur = VF_CERT;
		goto fail;
	}
	if (scr_detail_load_certs(u, fm->f[VF_ANCHOR].val, &anchors, &e) == -1) {
		ui_fmt(fm->f[VF_ANCHOR].err, sizeof fm->f[VF_ANCHOR].err,
		    "%s", e.msg);
		fm->cur = VF_ANCHOR;
		goto fail;
	}
	/* An entity's keystore holds its CA after its own certificate: the
	 * anchor is the CA's own certificate, the first of its keystore. */
	while (anchors.n > 1)
		cert_clear(&anchors.v[--anchors.n]);
	memset(&vp, 0, sizeof vp);
	vp.anchors = &anchors;
	vp.purpose = strcmp(purpose, "server") == 0 ? VERIFY_PURPOSE_SERVER :
	    strcmp(purpose, "client") == 0 ? VERIFY_PURPOSE_CLIENT :
	    VERIFY_PURPOSE_ANY;
	vp.host = fm->f[VF_HOST].val[0] ? fm->f[VF_HOST].val : NULL;
	vp.at = (int64_t)time(NULL);
	for (ok = 0; ok < 4; ok++)
		ui_fmt(vf_last[ok], sizeof vf_last[ok], "%s",
		    fm->f[ok].val);
	ok = verify_chain(&leaf.v[0], &vp, &res) == 0;
	lines_clear(&vf_text);
	s = dn_to_string(&leaf.v[0].subject);
	lines_addf(&vf_text, "%cVerify %s", LINE_HEAD, s);
	free(s);
	s = dn_to_string(&anchors.v[0].subject);
	lines_addf(&vf_text, "  trust anchor %s (%s), purpose %s%s%s", s,
	    fm->f[VF_ANCHOR].val, purpose, vp.host ? ", host " : "",
	    vp.host ? vp.host : "");
	free(s);
	lines_add(&vf_text, "");
	verify_render(&b, &res);
	{
		const char *p = (const char *)b.data, *nl;

		while (p != NULL && *p) {
			nl = strchr(p, '\n');
			s = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
			lines_addf(&vf_text, "%c%s", strstr(s, "FAIL") == s + 2 ?
			    LINE_FAIL : LINE_OK, s);
			free(s);
			p = nl ? nl + 1 : NULL;
		}
	}
	lines_add(&vf_text, "");
	if (ok)
		lines_addf(&vf_text, "%cRESULT: valid (%zu certificates in the "
		    "path)", LINE_OK, res.chain_len);
	else
		lines_addf(&vf_text, "%cRESULT: FAIL %s: %s", LINE_FAIL,
		    verify_code_name(res.code), res.reason ? res.reason : "");
	ui_log(u, "verify %s: %s", fm->f[VF_CERT].val, ok ? "valid" :
	    verify_code_text(res.code));
	ui_set_openssl(u, "openssl verify -CAfile %s.crt -purpose %s%s%s %s",
	    fm->f[VF_ANCHOR].val, strcmp(purpose, "server") == 0 ? "sslserver"
	    : strcmp(purpose, "client") == 0 ? "sslclient" : "any",
	    vp.host ? " -verify_hostname " : "", vp.host ? vp.host : "",
	    fm->f[VF_CERT].val);
	ui_set_screen(u, &scr_verify);
	cert_list_clear(&leaf);
	cert_list_clear(&anchors);
	verify_result_clear(&res);
	buf_clear(&b);
	return 0;
fail:
	cert_list_clear(&leaf);
	cert_list_clear(&anchors);
	verify_result_clear(&res);
	buf_clear(&b);
	return -1;
}

void
scr_verify_open(struct ui *u)
{
	struct field *f;
	const char *cert = "", *anchor = u->ncas ? u->cas[0] : "";
	char path[64];
	int i;

	if (u->scr == &scr_entities && scr_entities_selected(u) != NULL)
		cert = scr_entities_selected(u);
	if (u->scr == &scr_detail && scr_detail_spec()[0] != '\0')
		cert = scr_detail_spec();
	if (u->scr == &scr_inventory) {
		const struct cadb_cert *c = scr_inventory_selected(u);
		size_t k;

		anchor = u->inv_ca;
		/* An inventory entry: verify its file, written nowhere; use
		 * the entity whose subject matches. */
		for (k = 0; c != NULL && k < u->nents; k++)
			if (strcmp(u->sums[k].subject, c->subject) == 0)
				cert = u->ents[k];
	}
	ui_fmt(path, sizeof path, "%s", strcmp(cert, "server") == 0 ?
	    "localhost" : "");
	if (u->scr == &scr_verify && vf_last[0][0] != '\0') {
		form_begin(u, "Verify a certificate", vf_submit, 0);
		for (i = 0; i < 4; i++)
			f = form_add(u, i == 0 ? "Certificate" : i == 1 ?
			    "Trust anchor" : i == 2 ? "Purpose" :
			    "Host (optional)", vf_last[i]);
		u->form.f[VF_CERT].check = field_check_required;
		u->form.f[VF_ANCHOR].check = field_check_required;
		u->form.f[VF_PURPOSE].choices = purpose_choices;
		return;
	}
	form_begin(u, "Verify a certificate", vf_submit, 0);
	f = form_add(u, "Certificate", cert);
	f->check = field_check_required;
	f->hint = "an entity name or a PEM/DER file";
	f = form_add(u, "Trust anchor", anchor);
	f->check = field_check_required;
	f->hint = "a CA name or a PEM/DER file";
	f = form_add(u, "Purpose", "server");
	f->choices = purpose_choices;
	f = form_add(u, "Host (optional)", path);
	f->hint = "a DNS name or IP address the certificate must name";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl verify "
	    "-CAfile CA.crt -purpose sslserver -verify_hostname HOST CERT.pem");
}

static void
vf_enter(struct ui *u)
{
	(void)u;
	if (vf_text.n == 0)
		lines_add(&vf_text, "V (or Enter) opens the verify form.");
}

static int
vf_key(struct ui *u, int ch)
{
	if (ch != 'V')
		return 0;
	scr_verify_open(u);
	return 1;
}

static struct lines *
vf_lines(struct ui *u)
{
	(void)u;
	return &vf_text;
}

static void
vf_clear(struct ui *u)
{
	(void)u;
	lines_clear(&vf_text);
}

static const struct binding vf_keys[] = {
	{ 'V', 0, 0, NULL, "V", "verify again with other inputs" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_verify = {
	.name = "Verify",
	.title = "Verify",
	.hints = "V verify again  o openssl  Esc back  ? help",
	.flags = SCREEN_BACK,
	.keys = vf_keys,
	.shortcut = '4',
	.go = scr_verify_open,
	.enter = vf_enter,
	.text = vf_lines,
	.key = vf_key,
	.select = scr_verify_open,
	.clear = vf_clear,
};
