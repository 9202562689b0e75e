/* scr-detail.c — the Detail screen: a certificate (with its chain as a
 * tree), a request, a CRL or a key's public part in words, and t: its
 * ASN.1 tree with offsets, lengths and the bytes of the selected node.
 * Other screens and forms show things here through scr_detail_*. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "asn1/pem.h"
#include "store/keystore.h"
#include "tui/ui.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/csr.h"
#include "x509/dn.h"
#include "x509/pkey.h"
#include "x509/text.h"

static struct lines detail_text;	/* in the asn1 view: its cursor */
static struct buf detail_der;		/* what the ASN.1 view shows */
static struct asn1_node *detail_nodes;
static size_t detail_nnodes;
static int detail_asn1;			/* the ASN.1 view is shown */
static char detail_spec[UI_FIELD_MAX];	/* for Verify: scr_detail_spec */

static void
detail_reset(void)
{
	lines_clear(&detail_text);
	buf_clear(&detail_der);
	buf_init(&detail_der);
	free(detail_nodes);
	detail_nodes = NULL;
	detail_nnodes = 0;
	detail_asn1 = 0;
	detail_spec[0] = '\0';
}

void
scr_detail_set_spec(const char *spec)
{
	snprintf(detail_spec, sizeof detail_spec, "%s", spec);
}

const char *
scr_detail_spec(void)
{
	return detail_spec;
}

/* The DER the ASN.1 view shows. */
static void
detail_set_der(const uint8_t *der, size_t len)
{
	buf_append(&detail_der, der, len);
	detail_nnodes = asn1view_flatten(detail_der.data, detail_der.len,
	    &detail_nodes);
}

void
scr_detail_cert(struct ui *u, const struct cert *c,
    const struct cert_list *chain, const char *from)
{
	struct buf b;
	size_t i, n;
	char *s;
	const char *branch = u->ascii ? "`-- " : "\xe2\x94\x94\xe2\x94\x80 ";

	detail_reset();
	buf_init(&b);
	lines_addf(&detail_text, "%cCertificate (%s)", LINE_HEAD, from);
	if (chain != NULL && chain->n > 1) {
		lines_addf(&detail_text, "%cChain", LINE_HEAD);
		n = chain->n;
		for (i = 0; i < n; i++) {
			s = dn_to_string(&chain->v[n - 1 - i].subject);
			lines_addf(&detail_text, "  %*s%s%s%s", (int)(3 * i),
			    "", i ? branch : "", s, i == 0 ? "  (root)" :
			    i == n - 1 ? "  (leaf)" : "  (intermediate)");
			free(s);
		}
		lines_add(&detail_text, "");
	}
	text_cert(&b, c);
	lines_add_text(&detail_text, (const char *)b.data, 0);
	buf_clear(&b);
	detail_set_der(c->der, c->len);
	ui_set_openssl(u, "openssl x509 -in %s -noout -text -fingerprint "
	    "-sha256   (ASN.1: openssl asn1parse -in %s -i)", from, from);
	ui_set_screen(u, &scr_detail);
}

void
scr_detail_csr(struct ui *u, const struct csr *r, const char *from)
{
	struct buf b;

	detail_reset();
	buf_init(&b);
	lines_addf(&detail_text, "%cCertificate request (%s)", LINE_HEAD,
	    from);
	text_csr(&b, r);
	lines_add_text(&detail_text, (const char *)b.data, 0);
	buf_clear(&b);
	detail_set_der(r->der, r->len);
	ui_set_openssl(u, "openssl req -in %s -noout -text -verify", from);
	ui_set_screen(u, &scr_detail);
}

void
scr_detail_crl(struct ui *u, const struct crl *crl, const uint8_t *der,
    size_t len, const char *from)
{
	detail_reset();
	lines_addf(&detail_text, "%cCertificate revocation list (%s)",
	    LINE_HEAD, from);
	lc_crl_text(&detail_text, crl);
	detail_set_der(der, len);
	ui_set_openssl(u, "openssl crl -in %s -noout -text", from);
	ui_set_screen(u, &scr_detail);
}

void
scr_detail_text(struct ui *u, const char *head, const char *file,
    const char *text, const uint8_t *der, size_t len)
{
	detail_reset();
	lines_addf(&detail_text, "%c%s", LINE_HEAD, head);
	if (file != NULL)
		lines_addf(&detail_text, "  file %s", file);
	lines_add_text(&detail_text, text, 0);
	detail_set_der(der, len);
	ui_set_screen(u, &scr_detail);
}

void
scr_detail_add_text(const char *text)
{
	if (text == NULL)
		return;
	lines_add(&detail_text, "");
	lines_add_text(&detail_text, text, 0);
}

static void
detail_spki_encode(struct derw *w, const void *arg)
{
	pkey_encode_spki(w, arg);
}

void
scr_detail_key(struct ui *u, const struct rsakey *key, const char *head,
    const char *file, const char *note, const uint8_t *der, size_t len,
    const char *aid)
{
	struct buf b;
	uint8_t *spki;
	size_t sl;

	detail_reset();
	buf_init(&b);
	lines_addf(&detail_text, "%c%s", LINE_HEAD, head);
	if (file != NULL)
		lines_addf(&detail_text, "  file %s", file);
	text_key(&b, key);
	lines_add_text(&detail_text, (const char *)b.data, 0);
	buf_clear(&b);
	if (note != NULL) {
		lines_add(&detail_text, "");
		lines_add(&detail_text, note);
	}
	if (der != NULL)
		detail_set_der(der, len);
	else if ((spki = der_encode(detail_spki_encode, key, &sl,
	    NULL)) != NULL) {
		detail_set_der(spki, sl);
		free(spki);
	}
	ui_set_openssl(u, "%s", aid);
	ui_set_screen(u, &scr_detail);
}

int
scr_detail_load_certs(struct ui *u, const char *spec, struct cert_list *l,
    struct err *e)
{
	struct keystore ks;
	struct err ne;
	int rc;

	if (ws_check_name(spec, &ne) == 0 && keystore_exists(&u->ws, spec)) {
		keystore_init(&ks);
		rc = keystore_load(&u->ws, spec, &ks, e);
		if (rc == 0 && ks.cert_pem == NULL)
			rc = err_set(e, ERR_USAGE, "entity '%s' has no "
			    "certificate yet (r makes a request, i issues it)",
			    spec);
		if (rc == 0)
			rc = cert_list_load(l, (const uint8_t *)ks.cert_pem,
			    strlen(ks.cert_pem), e);
		keystore_clear(&ks);
		return rc;
	}
	return cert_list_load_file(l, spec, e);
}

static void
detail_draw_asn1(const struct ui_rect *r)
{
	int y = r->y, x = r->x, h = r->h, w = r->w;
	int lh = h - 7, row;
	size_t i;
	char line[300];

	if (detail_nnodes == 0) {
		ui_put(y, x, w, "(nothing decoded)");
		return;
	}
	attron(A_BOLD | A_UNDERLINE);
	ui_put(y, x, w, "offset   len  ASN.1 (t: back to the fields)");
	attroff(A_BOLD | A_UNDERLINE);
	y++;
	if (detail_text.cur >= detail_nnodes)
		detail_text.cur = detail_nnodes - 1;
	if (detail_text.cur < detail_text.top)
		detail_text.top = detail_text.cur;
	if (detail_text.cur >= detail_text.top + (size_t)lh)
		detail_text.top = detail_text.cur - (size_t)lh + 1;
	for (row = 0; row < lh; row++) {
		const struct asn1_node *n;
		char val[80] = "";

		i = detail_text.top + (size_t)row;
		if (i >= detail_nnodes)
			break;
		n = &detail_nodes[i];
		if (n->tag == DER_OID) {
			oid_to_text(detail_der.data + n->off + n->hdrlen,
			    n->len, val, sizeof val);
		} else if (n->tag == DER_UTF8STRING || n->tag ==
		    DER_PRINTABLESTRING || n->tag == DER_IA5STRING ||
		    n->tag == DER_UTCTIME || n->tag == DER_GENERALIZEDTIME) {
			ui_fmt(val, sizeof val, "%.*s", n->len > 60 ? 60 :
			    (int)n->len, detail_der.data + n->off + n->hdrlen);
		}
		ui_fmt(line, sizeof line, "%6zu %5zu  %*s%s %s", n->off,
		    n->len, (int)(2 * n->depth), "",
		    asn1view_tag_name(n->tag), val);
		if (i == detail_text.cur)
			attron(A_REVERSE);
		ui_fill(y + row, x, w);
		ui_put(y + row, x, w, line);
		if (i == detail_text.cur)
			attroff(A_REVERSE);
	}
	{
		const struct asn1_node *n = &detail_nodes[detail_text.cur];
		size_t tot = n->hdrlen + n->len, k, per = (size_t)(w - 8) / 3;

		attron(A_BOLD);
		ui_fmt(line, sizeof line, "tag 0x%02x %s  offset %zu  header "
		    "%zu  length %zu", n->tag, asn1view_tag_name(n->tag),
		    n->off, n->hdrlen, n->len);
		ui_put(y + lh, x, w, line);
		attroff(A_BOLD);
		for (row = 0; row < 5 && (size_t)row * per < tot; row++) {
			int p = ui_fmt(line, sizeof line, "%04zx ",
			    (size_t)row * per);

			for (k = (size_t)row * per; k < tot && k <
			    (size_t)(row + 1) * per && p < (int)sizeof line - 4;
			    k++)
				p += ui_fmt(line + p, sizeof line - (size_t)p,
				    " %02x", detail_der.data[n->off + k]);
			if (row == 4 && tot > 5 * per)
				ui_fmt(line + p, sizeof line - (size_t)p,
				    " ...");
			ui_put(y + lh + 1 + row, x, w, line);
		}
	}
}

static void
detail_draw(struct ui *u, const struct ui_rect *r)
{
	(void)u;
	if (detail_asn1)
		detail_draw_asn1(r);
	else
		lines_draw(&detail_text, r->y, r->x, r->h, r->w, 0);
}

static void
detail_enter(struct ui *u)
{
	(void)u;
	if (detail_text.n == 0 || detail_der.len == 0) {
		lines_clear(&detail_text);
		lines_add(&detail_text, "Nothing selected: Enter on an "
		    "entity or an inventory row shows it here;");
		lines_add(&detail_text, "O opens a certificate, request, "
		    "CRL or key file.");
	}
}

static int
detail_key(struct ui *u, int ch)
{
	(void)u;
	if (ch != 't')
		return 0;
	detail_asn1 = !detail_asn1;
	detail_text.cur = detail_text.top = 0;
	return 1;
}

static void
detail_move(struct ui *u, long d, int page)
{
	long c;

	(void)u;
	if (!detail_asn1) {
		lines_scroll(&detail_text, d, page);
		return;
	}
	if (detail_nnodes == 0)
		return;
	c = (long)detail_text.cur + d;
	if (c < 0)
		c = 0;
	if (c >= (long)detail_nnodes)
		c = (long)detail_nnodes - 1;
	detail_text.cur = (size_t)c;
}

/* Esc leaves the ASN.1 view first. */
static int
detail_back(struct ui *u)
{
	(void)u;
	if (!detail_asn1)
		return 0;
	detail_asn1 = 0;
	detail_text.cur = detail_text.top = 0;
	return 1;
}

static void
detail_clear(struct ui *u)
{
	(void)u;
	detail_reset();
	buf_clear(&detail_der);
}

static const struct binding detail_keys[] = {
	{ 't', 0, 0, NULL, "t", "toggle the ASN.1 tree (tag, offset, length, hex)" },
	{ 'O', 0, 0, openfile_open, "O", "open a file: certificate, request, CRL or key" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_detail = {
	.name = "Detail",
	.title = "Detail",
	.hints = "t ASN.1 tree  O open file  o openssl  Esc back  ? help",
	.flags = SCREEN_BACK,
	.keys = detail_keys,
	.enter = detail_enter,
	.draw = detail_draw,
	.key = detail_key,
	.move = detail_move,
	.back = detail_back,
	.clear = detail_clear,
};
