/* cmd-export.c — `export`: an entity's certificate chain, private key or
 * both as PKCS#12, written out. What it accepts and does (the passphrases, the PKCS#8
 * encryption) is its entry's usage and help, below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "role/entity.h"
#include "role/p12.h"

enum { OPT_CERT = 1, OPT_KEY, OPT_P12, OPT_LEGACY, OPT_DER, OPT_NO_ENCRYPT,
    OPT_OUT };

static const struct args_opt export_opts[] = {
	{ .id = OPT_CERT, .name = "cert", .has_value = 0 },
	{ .id = OPT_KEY, .name = "key", .has_value = 0 },
	{ .id = OPT_P12, .name = "p12", .has_value = 0 },
	{ .id = OPT_LEGACY, .name = "legacy", .has_value = 0 },
	{ .id = OPT_DER, .name = "der", .has_value = 0 },
	{ .id = OPT_NO_ENCRYPT, .name = "no-encrypt", .has_value = 0 },
	{ .id = OPT_OUT, .name = "out", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_export;

const struct cli_cmd cmd_export_entry = {
	.name = "export",
	.summary = "write out an entity's certificate, private key or PKCS#12",
	.usage = "export NAME (--cert | --key | --p12) [--der] [--no-encrypt] "
	    "[--legacy] [--out FILE]",
	.help =
"Writes out the certificate chain or the private key of entity NAME, or\n"
"both as PKCS#12 (.p12/.pfx, for browsers, Java, Windows, curl).\n"
"The key is written as PKCS#8, encrypted with PBES2 (PBKDF2-HMAC-SHA256,\n"
"600000 iterations, AES-256-CBC) unless --no-encrypt. The export\n"
"passphrase is MINIPKI_EXPORT_PASSPHRASE when set, else the keystore\n"
"passphrase. A key or PKCS#12 file is created with mode 0600 and never\n"
"overwrites an existing file.\n"
"\n"
"PKCS#12 holds the key (RSA or P-256, PKCS#8 in a shrouded key bag),\n"
"its certificate and the stored chain, the key and\n"
"its certificate named NAME (friendlyName) and tied by localKeyID; as\n"
"OpenSSL 3 writes it: both encrypted with PBES2 (PBKDF2-HMAC-SHA256,\n"
"AES-256-CBC), an HMAC-SHA256 MAC, 600000 iterations each.\n"
"\n"
"  --cert           export the certificate chain as stored (PEM)\n"
"  --key            export the private key\n"
"  --p12            export key, certificate and chain as PKCS#12 (binary:\n"
"                   give --out FILE when standard output is a terminal)\n"
"  --legacy         with --p12: the WEAK legacy form older readers need\n"
"                   (pbeWithSHAAnd3-KeyTripleDES-CBC for key and\n"
"                   certificates, SHA-1 MAC); only for software that cannot\n"
"                   read the default\n"
"  --der            DER instead of PEM (with --cert: NAME's own\n"
"                   certificate only)\n"
"  --no-encrypt     write the key unencrypted\n"
"  --out FILE       write to FILE; default standard output\n",
	.opts = export_opts,
	.fn = cmd_export,
};

static int
cmd_export(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 };
	struct buf out;
	const char *v, *name = NULL, *outfile = NULL, *outpass;
	size_t outpasslen;
	int r, rc = EXIT_OK, cert = 0, key = 0, p12 = 0, legacy = 0, der = 0;
	int noenc = 0;

	args_init(&a, cli, "export", export_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			return EXIT_OK;
		case ARGS_ERROR:
			return EXIT_USAGE;
		case ARGS_OPERAND:
			if (args_operand(&a, &name, v) == -1)
				return EXIT_USAGE;
			break;
		case OPT_CERT:
			cert = 1;
			break;
		case OPT_KEY:
			key = 1;
			break;
		case OPT_P12:
			p12 = 1;
			break;
		case OPT_LEGACY:
			legacy = 1;
			break;
		case OPT_DER:
			der = 1;
			break;
		case OPT_NO_ENCRYPT:
			noenc = 1;
			break;
		case OPT_OUT:
			outfile = v;
			break;
		}
	}
	if (name == NULL)
		return cli_usage("export", "missing NAME");
	if (cert + key + p12 != 1)
		return cli_usage("export", "give one of --cert, --key and --p12");
	if (noenc && !key)
		return cli_usage("export", "--no-encrypt applies to --key only");
	if (legacy && !p12)
		return cli_usage("export", "--legacy applies to --p12 only");
	if (der && p12)
		return cli_usage("export", "--der does not apply to --p12 (it "
		    "is DER)");
	if (p12 && (outfile == NULL || strcmp(outfile, "-") == 0) &&
	    isatty(STDOUT_FILENO))
		return cli_usage("export", "PKCS#12 is binary: give --out "
		    "FILE");

	err_clear(&e);
	ws_init(&ws);
	buf_init(&out);
	if (cliutil_ws(cli, &ws, &e) == -1 || ws_check_name(name, &e) == -1)
		goto fail;
	if (cert) {
		if (entity_export_cert(&ws, name, der, &out, &e) == -1 ||
		    cliutil_write(outfile, out.data, out.len, 0, &e) == -1)
			goto fail;
		goto out;
	}
	if (!keystore_exists(&ws, name)) {
		err_set(&e, ERR_USAGE, "no keystore '%s'", name);
		goto fail;
	}
	if (cliutil_passphrase(cli, "keystore", name, 0, &pass, &e) == -1)
		goto fail;
	outpass = pass.s;
	outpasslen = pass.len;
	if ((v = getenv("MINIPKI_EXPORT_PASSPHRASE")) != NULL) {
		if (v[0] == '\0') {
			err_set(&e, ERR_USAGE, "MINIPKI_EXPORT_PASSPHRASE: the "
			    "passphrase is empty");
			goto fail;
		}
		outpass = v;
		outpasslen = strlen(v);
	}
	if (p12) {
		if (p12_export(&ws, name, pass.s, pass.len, outpass, outpasslen,
		    legacy, &out, &e) == -1 ||
		    cliutil_write(outfile, out.data, out.len, 1, &e) == -1)
			goto fail;
		goto out;
	}
	if (noenc)
		outpass = NULL;
	if (entity_export_key(&ws, name, pass.s, pass.len, outpass, outpasslen,
	    der, &out, &e) == -1)
		goto fail;
	if (cliutil_write(outfile, out.data, out.len, 1, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	passphrase_free(&pass);
	buf_clear_secret(&out);
	ws_clear(&ws);
	return rc;
}
