/* cmd-export.c — `export NAME (--cert|--key) [--der] [--no-encrypt]
 * [--out FILE]`.
 *
 * The key goes out as PKCS#8, encrypted with PBES2 under the export
 * passphrase: MINIPKI_EXPORT_PASSPHRASE when set, else the keystore's own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "role/entity.h"

enum { OPT_CERT = 1, OPT_KEY, OPT_DER, OPT_NO_ENCRYPT, OPT_OUT };

static const struct args_opt export_opts[] = {
	{ .id = OPT_CERT, .name = "cert", .has_value = 0 },
	{ .id = OPT_KEY, .name = "key", .has_value = 0 },
	{ .id = OPT_DER, .name = "der", .has_value = 0 },
	{ .id = OPT_NO_ENCRYPT, .name = "no-encrypt", .has_value = 0 },
	{ .id = OPT_OUT, .name = "out", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_export;

const struct cli_cmd cmd_export_entry = {
	.name = "export",
	.summary = "write out an entity's certificate or private key",
	.usage = "export NAME (--cert | --key) [--der] [--no-encrypt] [--out FILE]",
	.help =
"Writes out the certificate chain or the private key of entity NAME.\n"
"The key is written as PKCS#8, encrypted with PBES2 (PBKDF2-HMAC-SHA256,\n"
"600000 iterations, AES-256-CBC) unless --no-encrypt. The export\n"
"passphrase is MINIPKI_EXPORT_PASSPHRASE when set, else the keystore\n"
"passphrase. A key file is created with mode 0600 and never overwrites an\n"
"existing file.\n"
"\n"
"  --cert           export the certificate chain as stored (PEM)\n"
"  --key            export the private key\n"
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
	int r, rc = EXIT_OK, cert = 0, key = 0, der = 0, noenc = 0;

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
	if (cert == key)
		return cli_usage("export", "give one of --cert and --key");
	if (noenc && !key)
		return cli_usage("export", "--no-encrypt applies to --key only");

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
