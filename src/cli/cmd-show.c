/* cmd-show.c — `show FILE`: a certificate, request, CRL or key, PEM or DER,
 * or a PKCS#12 file (what kind: x509/kind.h).
 *
 * An encrypted PKCS#8 key is shown without asking for its passphrase: only
 * the fact that it is encrypted and its size are visible. A PKCS#12 file
 * lists its bags; with --open its passphrase checks the MAC and opens
 * the encrypted parts, whose certificates and keys' public parts are then
 * listed too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/csr.h"
#include "x509/kind.h"
#include "x509/pkcs12.h"
#include "x509/pkey.h"
#include "x509/text.h"

static int
show_key(const uint8_t *der, size_t len, struct buf *out, struct err *e)
{
	enum pkey_format f = pkey_detect(der, len);
	struct pkey key;
	int rc;

	if (f == PKEY_UNKNOWN)
		return err_set(e, ERR_INPUT, "not a key: unknown DER structure");
	if (f == PKEY_PKCS8_ENCRYPTED) {
		buf_printf(out, "Encrypted private key (PKCS#8, %zu bytes)\n"
		    "  The contents need the passphrase; `export` or `import` "
		    "open it.\n", len);
		return 0;
	}
	pkey_init(&key);
	rc = pkey_decode_any(&key, der, len, NULL, 0, e);
	if (rc == 0) {
		buf_printf(out, "%s\n", kind_key_name(f));
		text_pkey(out, &key);
	}
	pkey_clear(&key);
	return rc;
}

enum { OPT_OPEN = 1 };

static const struct args_opt show_opts[] = {
	{ .id = OPT_OPEN, .name = "open", .has_value = 0 },
	{ .id = 0 },
};

/* pass NULL: the structure and the plain parts only. */
static int
show_pkcs12(const uint8_t *der, size_t len, const struct passphrase *pass,
    struct buf *out, struct err *e)
{
	struct pkcs12 *p = xmalloc(sizeof *p);
	int rc;

	pkcs12_init(p);
	rc = pkcs12_parse(p, der, len, pass != NULL ? pass->s : NULL,
	    pass != NULL ? pass->len : 0, e);
	if (rc == 0)
		pkcs12_text(out, p);
	pkcs12_clear(p);
	free(p);
	return rc;
}

static int
show_der(enum kind kind, const uint8_t *der, size_t len,
    const struct passphrase *pass, struct buf *out, struct err *e)
{
	struct cert c;
	struct csr r;
	struct crl l;
	size_t n;
	int rc = -1;

	cert_init(&c);
	csr_init(&r);
	crl_init(&l);
	/* DER without a label: the structure decides. */
	if (kind == KIND_UNKNOWN &&
	    (kind = kind_sniff(der, len, e)) == KIND_UNKNOWN)
		goto out;
	switch (kind) {
	case KIND_CERT:
		if ((rc = cert_parse(&c, der, len, e)) == 0)
			text_cert(out, &c);
		break;
	case KIND_TRUSTED_CERT:
		if ((rc = kind_trusted_split(der, len, &n, e)) == 0 &&
		    (rc = cert_parse(&c, der, n, e)) == 0) {
			text_cert(out, &c);
			rc = text_trust(out, der + n, len - n, e);
		}
		break;
	case KIND_CSR:
		if ((rc = csr_parse(&r, der, len, e)) == 0)
			text_csr(out, &r);
		break;
	case KIND_CRL:
		if ((rc = crl_parse(&l, der, len, e)) == 0)
			text_crl(out, &l);
		break;
	case KIND_KEY:
		rc = show_key(der, len, out, e);
		break;
	case KIND_PKCS12:
		rc = show_pkcs12(der, len, pass, out, e);
		break;
	case KIND_UNKNOWN:
		break;
	}
out:
	crl_clear(&l);
	csr_clear(&r);
	cert_clear(&c);
	return rc;
}

static cli_fn cmd_show;

const struct cli_cmd cmd_show_entry = {
	.name = "show",
	.summary = "print a certificate, request, CRL, key or PKCS#12 readably",
	.usage = "show FILE [--open]",
	.help =
"Prints a readable rendering of a certificate, a certification request,\n"
"a CRL or a key, PEM or DER, detected from its content (\"-\" reads\n"
"standard input). Every PEM block of a file is shown; an OpenSSL TRUSTED\n"
"CERTIFICATE as the certificate and then its trust settings. An encrypted\n"
"PKCS#8 key is shown without asking for its passphrase: only its\n"
"encryption parameters are visible.\n"
"\n"
"A PKCS#12 file (.p12/.pfx, DER) is listed: its MAC, its SafeContents\n"
"and their bags (names, localKeyID, certificates). With --open its\n"
"passphrase (MINIPKI_IMPORT_PASSPHRASE when set, else asked as any\n"
"passphrase) checks the MAC and opens the encrypted parts; a key is\n"
"still shown by its size and identifier only, never its private part.\n"
"\n"
"  --open           open an encrypted PKCS#12 file with its passphrase\n",
	.opts = show_opts,
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
	struct passphrase pass = { NULL, 0 };
	size_t i, shown = 0;
	int r, rc = EXIT_OK, open = 0;

	args_init(&a, cli, "show", show_opts, argc, argv);
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
		case OPT_OPEN:
			open = 1;
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
		enum kind k = kind_sniff(data.data, data.len, &e);

		if (open && k != KIND_PKCS12) {
			err_set(&e, ERR_USAGE, "%s: --open applies to a PKCS#12 "
			    "file", file);
			goto fail;
		}
		if (open && passphrase_get(cli, "MINIPKI_IMPORT_PASSPHRASE",
		    "Passphrase of the PKCS#12 file", 0, &pass, &e) == -1)
			goto fail;
		if (k == KIND_UNKNOWN ||
		    show_der(k, data.data, data.len, open ? &pass : NULL,
		    &out, &e) == -1) {
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
		enum kind k = kind_of_label(b->label);

		if (pl.n > 1)
			buf_printf(&out, "%s--- block %zu (line %zu): %s ---\n",
			    i > 0 ? "\n" : "", i + 1, b->line, b->label);
		if (k == KIND_UNKNOWN) {
			buf_printf(&out, "(not shown: not a certificate, "
			    "request, CRL or key)\n");
			continue;
		}
		if (show_der(k, b->der, b->len, NULL, &out, &e) == -1) {
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
	passphrase_free(&pass);
	pem_list_clear(&pl);
	buf_clear(&out);
	buf_clear_secret(&data);
	return rc;
}
