/* openfile.c — O: open any file, PEM or DER, and show it decoded on the
 * Detail screen: a certificate (a chain file as its chain, OpenSSL's
 * TRUSTED CERTIFICATE with its trust settings), a request, a CRL, a
 * key, of which only the public part is ever shown, or a PKCS#12 file
 * (its bags listed; with the passphrase, opened: the key's certificate
 * shown, the key by size and identifier only). What a file holds is
 * x509/kind.h's one table, as for `show`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "tui/ui.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/csr.h"
#include "x509/kind.h"
#include "x509/pkcs12.h"
#include "x509/pkey.h"
#include "x509/text.h"

static char openfile_last[UI_FIELD_MAX];

/* A PKCS#12 file: the listing (x509/pkcs12.h) under the first
 * certificate it holds, or alone on the Detail screen. */
static int
openfile_pkcs12(struct ui *u, const uint8_t *der, size_t len,
    const char *path, const char *pass, struct err *e)
{
	struct pkcs12 *p = xmalloc(sizeof *p);
	struct cert c;
	struct buf b;
	size_t i;
	int rc = -1;

	pkcs12_init(p);
	cert_init(&c);
	buf_init(&b);
	if (pkcs12_parse(p, der, len, *pass != '\0' ? pass : NULL,
	    strlen(pass), e) == -1)
		goto out;
	pkcs12_text(&b, p);
	if (*pass == '\0')
		buf_puts(&b, "(give the file's passphrase in the form to open "
		    "its encrypted parts)\n");
	for (i = 0; i < p->nbag; i++)
		if (p->bag[i].type == OID_P12_CERT_BAG &&
		    cert_parse(&c, p->bag[i].data, p->bag[i].len, NULL) == 0)
			break;
	/* The key's certificate on top when it can be read, else the listing
	 * alone with the PFX in the ASN.1 view, unless that would show an
	 * unencrypted key. */
	if (i < p->nbag) {
		scr_detail_cert(u, &c, NULL, path);
		scr_detail_add_text((const char *)b.data);
	} else {
		for (i = 0; i < p->nbag; i++)
			if (p->bag[i].type == OID_P12_KEY_BAG)
				break;
		if (i < p->nbag) {
			err_set(e, ERR_REFUSED, "an unencrypted key and no "
			    "certificate: not shown here (`show` lists it)");
			goto out;
		}
		scr_detail_text(u, "PKCS#12 file", path, (const char *)b.data,
		    der, len);
	}
	ui_set_openssl(u, "openssl pkcs12 -info -in %s -nokeys", path);
	rc = 0;
out:
	buf_clear(&b);
	cert_clear(&c);
	pkcs12_clear(p);
	free(p);
	return rc;
}

/* Shows one DER object of kind k (KIND_UNKNOWN: the structure decides);
 * only the public part of a key is ever shown. */
static int
openfile_show(struct ui *u, enum kind k, const uint8_t *der, size_t len,
    const char *path, const char *pass, struct err *e)
{
	struct cert c;
	struct csr r;
	struct crl crl;
	struct rsakey key;
	enum pkey_format pf;
	struct buf b;
	size_t tl;
	char *aid, *head;
	int rc = -1;

	cert_init(&c);
	csr_init(&r);
	crl_init(&crl);
	rsakey_init(&key);
	/* DER without a label: the structure decides. */
	if (k == KIND_UNKNOWN && (k = kind_sniff(der, len, e)) == KIND_UNKNOWN)
		goto out;
	switch (k) {
	case KIND_PKCS12:
		if (openfile_pkcs12(u, der, len, path, pass, e) == -1)
			goto out;
		break;
	case KIND_CERT:
		if (cert_parse(&c, der, len, e) == -1)
			goto out;
		scr_detail_cert(u, &c, NULL, path);
		break;
	case KIND_TRUSTED_CERT:
		/* The certificate, then OpenSSL's trust settings under it. */
		buf_init(&b);
		if (kind_trusted_split(der, len, &tl, e) == -1 ||
		    cert_parse(&c, der, tl, e) == -1 ||
		    text_trust(&b, der + tl, len - tl, e) == -1) {
			buf_clear(&b);
			goto out;
		}
		scr_detail_cert(u, &c, NULL, path);
		scr_detail_add_text((const char *)b.data);
		buf_clear(&b);
		break;
	case KIND_CSR:
		if (csr_parse(&r, der, len, e) == -1)
			goto out;
		scr_detail_csr(u, &r, path);
		break;
	case KIND_CRL:
		if (crl_parse(&crl, der, len, e) == -1)
			goto out;
		scr_detail_crl(u, &crl, der, len, path);
		break;
	default:
		pf = pkey_detect(der, len);
		if (pf == PKEY_UNKNOWN) {
			err_set(e, ERR_INPUT, "not a key: unknown DER "
			    "structure");
			goto out;
		}
		if (pf == PKEY_PKCS8_ENCRYPTED && *pass == '\0') {
			err_set(e, ERR_PASS, "an encrypted private key: give "
			    "its passphrase in the form");
			goto out;
		}
		if (pkey_decode(&key, der, len, pass, strlen(pass), e) == -1)
			goto out;
		aid = xasprintf("openssl pkey -in %s -noout -text_pub", path);
		head = xasprintf("%s, public part", kind_key_name(pf));
		/* Never a private number on the screen: the ASN.1 view gets
		 * the public key's SPKI. */
		if (pf == PKEY_SPKI || pf == PKEY_PKCS1_PUBLIC)
			scr_detail_key(u, &key, head, path, NULL,
			    der, len, aid);
		else
			scr_detail_key(u, &key, head, path,
			    "(the private part is not shown; t shows the "
			    "public key's ASN.1)", NULL, 0, aid);
		free(head);
		free(aid);
	}
	rc = 0;
out:
	rsakey_clear(&key);
	crl_clear(&crl);
	csr_clear(&r);
	cert_clear(&c);
	return rc;
}

static int
openfile_submit(struct ui *u, struct form *fm)
{
	struct buf data;
	struct pem_list pl;
	struct err e;
	const char *path = fm->f[0].val, *pass = fm->f[1].val;
	enum kind k = KIND_UNKNOWN;
	size_t i;
	int rc = -1;

	err_clear(&e);
	buf_init(&data);
	pem_list_init(&pl);
	ui_fmt(openfile_last, sizeof openfile_last, "%s", path);
	if (file_read(path, FILE_MAX_INPUT, &data, &e) == -1)
		goto fail;
	if (!pem_detect(data.data, data.len)) {
		if (openfile_show(u, KIND_UNKNOWN, data.data, data.len, path, pass,
		    &e) == -1) {
			err_wrap(&e, "%s", path);
			goto fail;
		}
		goto ok;
	}
	if (pem_decode((const char *)data.data, data.len, &pl, &e) == -1) {
		err_wrap(&e, "%s", path);
		goto fail;
	}
	/* The first block of a kind we show. */
	for (i = 0; i < pl.n; i++)
		if ((k = kind_of_label(pl.v[i].label)) != KIND_UNKNOWN)
			break;
	if (i == pl.n) {
		err_set(&e, ERR_INPUT, "%s: no certificate, request, CRL or "
		    "key in it", path);
		goto fail;
	}
	if (k == KIND_CERT) {
		/* A chain file: every certificate, drawn as the chain tree. */
		struct cert_list l;

		cert_list_init(&l);
		if (cert_list_load(&l, data.data, data.len, &e) == 0 && l.n > 1) {
			scr_detail_cert(u, &l.v[0], &l, path);
			ui_log(u, "%s: %zu certificates; the first is shown",
			    path, l.n);
			cert_list_clear(&l);
			goto ok;
		}
		cert_list_clear(&l);
		err_clear(&e);
	}
	if (openfile_show(u, k, pl.v[i].der, pl.v[i].len, path, pass, &e) == -1) {
		err_wrap(&e, "%s: line %zu: %s", path, pl.v[i].line,
		    pl.v[i].label);
		goto fail;
	}
	if (pl.n > 1)
		ui_log(u, "%s: %zu PEM blocks; showing block %zu (%s)", path,
		    pl.n, i + 1, pl.v[i].label);
ok:
	ui_log(u, "opened %s", path);
	rc = 0;
	goto out;
fail:
	/* The message goes to the log; the form closes and the UI goes on. */
	ui_error(u, &e);
	rc = 0;
out:
	form_wipe(u);
	pem_list_clear(&pl);
	buf_clear_secret(&data);
	return rc;
}

/* O: the form; the file is shown decoded on the Detail screen. */
void
openfile_open(struct ui *u)
{
	struct field *f;

	form_begin(u, "Open a file: certificate, request, CRL, key, PKCS#12",
	    openfile_submit, 0);
	f = form_add(u, "Path", openfile_last);
	f->check = field_check_required;
	f->hint = "PEM or DER; a key shows only its public part";
	f = form_add(u, "Key passphrase", "");
	f->masked = 1;
	f->hint = "only for an encrypted private key or PKCS#12 file";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl x509 -in "
	    "FILE -noout -text   (openssl req / crl / pkey for the others)");
}
