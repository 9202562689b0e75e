/* cmd-show.c — `show FILE`: a certificate, request, CRL or key, PEM or DER.
 *
 * An encrypted PKCS#8 key is shown without asking for its passphrase: only
 * the fact that it is encrypted and its size are visible. */
#include <stdio.h>
#include <string.h>

#include "asn1/pem.h"
#include "cli/args.h"
#include "cli/cliutil.h"
#include "util/file.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/csr.h"
#include "x509/pkey.h"
#include "x509/text.h"

enum show_kind { SHOW_CERT, SHOW_CSR, SHOW_CRL, SHOW_KEY, SHOW_UNKNOWN };

static const struct {
	const char *label;
	enum show_kind kind;
} show_labels[] = {
	{ "CERTIFICATE", SHOW_CERT },
	{ "X509 CERTIFICATE", SHOW_CERT },
	{ "CERTIFICATE REQUEST", SHOW_CSR },
	{ "NEW CERTIFICATE REQUEST", SHOW_CSR },
	{ "X509 CRL", SHOW_CRL },
	{ "RSA PRIVATE KEY", SHOW_KEY },
	{ "PRIVATE KEY", SHOW_KEY },
	{ "ENCRYPTED PRIVATE KEY", SHOW_KEY },
	{ "PUBLIC KEY", SHOW_KEY },
	{ "RSA PUBLIC KEY", SHOW_KEY },
};

static const char *const show_key_formats[] = {
	[PKEY_UNKNOWN] = "Key",
	[PKEY_PKCS1] = "RSA private key (PKCS#1)",
	[PKEY_PKCS8] = "Private key (PKCS#8)",
	[PKEY_PKCS8_ENCRYPTED] = "Encrypted private key (PKCS#8)",
	[PKEY_SPKI] = "Public key (SubjectPublicKeyInfo)",
	[PKEY_PKCS1_PUBLIC] = "RSA public key (PKCS#1)",
};

static int
show_key(const uint8_t *der, size_t len, struct buf *out, struct err *e)
{
	enum pkey_format f = pkey_detect(der, len);
	struct rsakey key;
	int rc;

	if (f == PKEY_UNKNOWN)
		return err_set(e, ERR_INPUT, "not a key: unknown DER structure");
	if (f == PKEY_PKCS8_ENCRYPTED) {
		buf_printf(out, "Encrypted private key (PKCS#8, %zu bytes)\n"
		    "  The contents need the passphrase; `export` or `import` "
		    "open it.\n", len);
		return 0;
	}
	rsakey_init(&key);
	rc = pkey_decode(&key, der, len, NULL, 0, e);
	if (rc == 0) {
		buf_printf(out, "%s\n", show_key_formats[f]);
		text_key(out, &key);
	}
	rsakey_clear(&key);
	return rc;
}

static int
show_der(enum show_kind kind, const uint8_t *der, size_t len,
    struct buf *out, struct err *e)
{
	struct cert c;
	struct csr r;
	struct crl l;
	struct err ce;
	int rc = -1;

	cert_init(&c);
	csr_init(&r);
	crl_init(&l);
	switch (kind) {
	case SHOW_CERT:
		if ((rc = cert_parse(&c, der, len, e)) == 0)
			text_cert(out, &c);
		break;
	case SHOW_CSR:
		if ((rc = csr_parse(&r, der, len, e)) == 0)
			text_csr(out, &r);
		break;
	case SHOW_CRL:
		if ((rc = crl_parse(&l, der, len, e)) == 0)
			text_crl(out, &l);
		break;
	case SHOW_KEY:
		rc = show_key(der, len, out, e);
		break;
	case SHOW_UNKNOWN:
		/* DER without a label: the structure decides. */
		if (pkey_detect(der, len) != PKEY_UNKNOWN) {
			rc = show_key(der, len, out, e);
			break;
		}
		err_clear(&ce);
		if ((rc = cert_parse(&c, der, len, &ce)) == 0) {
			text_cert(out, &c);
			break;
		}
		if ((rc = csr_parse(&r, der, len, NULL)) == 0) {
			text_csr(out, &r);
			break;
		}
		if ((rc = crl_parse(&l, der, len, NULL)) == 0) {
			text_crl(out, &l);
			break;
		}
		err_set(e, ERR_INPUT, "not a certificate, request, CRL or key "
		    "(as a certificate: %s)", ce.msg);
		break;
	}
	crl_clear(&l);
	csr_clear(&r);
	cert_clear(&c);
	return rc;
}

static enum show_kind
show_label_kind(const char *label)
{
	size_t i;

	for (i = 0; i < sizeof show_labels / sizeof show_labels[0]; i++)
		if (strcmp(label, show_labels[i].label) == 0)
			return show_labels[i].kind;
	return SHOW_UNKNOWN;
}

static cli_fn cmd_show;

const struct cli_cmd cmd_show_entry = {
	.name = "show",
	.summary = "print a certificate, request, CRL or key readably",
	.usage = "show FILE",
	.help =
"Prints a readable rendering of a certificate, a certification request,\n"
"a CRL or a key, PEM or DER, detected from its content (\"-\" reads\n"
"standard input). Every PEM block of a file is shown. An encrypted PKCS#8\n"
"key is shown without asking for its passphrase: only its encryption\n"
"parameters are visible.\n",
	.opts = NULL,
	.fn = cmd_show,
};

static int
cmd_show(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct buf data, out;
	struct pem_list pl;
	const char *v, *file = NULL;
	size_t i, shown = 0;
	int r, rc = EXIT_OK;

	args_init(&a, cli, "show", NULL, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			return EXIT_OK;
		case ARGS_ERROR:
			return EXIT_USAGE;
		case ARGS_OPERAND:
			if (args_operand(&a, &file, v) == -1)
				return EXIT_USAGE;
			break;
		}
	}
	if (file == NULL)
		return cli_usage("show", "missing FILE");

	err_clear(&e);
	buf_init(&data);
	buf_init(&out);
	pem_list_init(&pl);
	if (file_read(file, FILE_MAX_INPUT, &data, &e) == -1)
		goto fail;
	if (!pem_detect(data.data, data.len)) {
		if (show_der(SHOW_UNKNOWN, data.data, data.len, &out, &e) == -1) {
			err_wrap(&e, "%s", file);
			goto fail;
		}
		goto print;
	}
	if (pem_decode((const char *)data.data, data.len, &pl, &e) == -1) {
		err_wrap(&e, "%s", file);
		goto fail;
	}
	for (i = 0; i < pl.n; i++) {
		const struct pem_block *b = &pl.v[i];
		enum show_kind k = show_label_kind(b->label);

		if (pl.n > 1)
			buf_printf(&out, "%s--- block %zu (line %zu): %s ---\n",
			    i > 0 ? "\n" : "", i + 1, b->line, b->label);
		if (k == SHOW_UNKNOWN) {
			buf_printf(&out, "(not shown: not a certificate, "
			    "request, CRL or key)\n");
			continue;
		}
		if (show_der(k, b->der, b->len, &out, &e) == -1) {
			err_wrap(&e, "%s: line %zu: %s", file, b->line,
			    b->label);
			/* Print what was good before the bad block. */
			if (out.len > 0)
				fwrite(out.data, 1, out.len, stdout);
			goto fail;
		}
		shown++;
	}
	if (shown == 0) {
		err_set(&e, ERR_INPUT, "%s: no certificate, request, CRL or "
		    "key in it", file);
		goto fail;
	}
print:
	if (cliutil_write(NULL, out.data, out.len, 0, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	pem_list_clear(&pl);
	buf_clear(&out);
	buf_clear_secret(&data);
	return rc;
}
