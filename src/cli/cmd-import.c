/* cmd-import.c — `import NAME [--key FILE] [--cert FILE]`.
 *
 * With --key, a new keystore from a PKCS#1 or PKCS#8 key (PEM or DER); an
 * encrypted key is opened with MINIPKI_IMPORT_PASSPHRASE when set, else
 * with the keystore passphrase. With --cert alone, the certificate goes
 * into the existing keystore once the key (unlocked) shows it matches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "role/entity.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/pkey.h"

enum { OPT_KEY = 1, OPT_CERT };

static const struct args_opt import_opts[] = {
	{ .id = OPT_KEY, .name = "key", .has_value = 1 },
	{ .id = OPT_CERT, .name = "cert", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_import;

const struct cli_cmd cmd_import_entry = {
	.name = "import",
	.summary = "make an entity keystore from an existing key",
	.usage = "import NAME [--key FILE] [--cert FILE]",
	.help =
"Creates the keystore of entity NAME from a private key made elsewhere:\n"
"PKCS#1 (RSA PRIVATE KEY) or PKCS#8, encrypted or not, PEM or DER, as\n"
"OpenSSL writes them. An encrypted key is opened with\n"
"MINIPKI_IMPORT_PASSPHRASE when set, else with the keystore passphrase.\n"
"With --cert, the certificate (chain) is stored too; its public key must\n"
"match the private key. With --cert alone, the certificate goes into the\n"
"existing keystore NAME (the passphrase unlocks the key to check it).\n"
"Keys under 2048 bits are refused.\n"
"\n"
"  --key FILE       the private key\n"
"  --cert FILE      its certificate, optionally followed by the chain\n",
	.opts = import_opts,
	.fn = cmd_import,
};

static int
cmd_import(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 }, keypass = { NULL, 0 };
	struct buf keydata, certdata;
	struct rsakey key;
	struct cert_list chain;
	const char *v, *name = NULL, *keyfile = NULL, *certfile = NULL;
	char *path = NULL, *subject = NULL;
	char fp_hex[3 * ENTITY_FP_SIZE];
	uint8_t fp[ENTITY_FP_SIZE];
	int r, rc = EXIT_OK;

	args_init(&a, cli, "import", import_opts, argc, argv);
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
		case OPT_KEY:
			keyfile = v;
			break;
		case OPT_CERT:
			certfile = v;
			break;
		}
	}
	if (name == NULL)
		return cli_usage("import", "missing NAME");
	if (keyfile == NULL && certfile == NULL)
		return cli_usage("import", "give --key FILE, --cert FILE or "
		    "both");

	err_clear(&e);
	ws_init(&ws);
	buf_init(&keydata);
	buf_init(&certdata);
	rsakey_init(&key);
	cert_list_init(&chain);
	if (cliutil_ws(cli, &ws, &e) == -1 || ws_check_name(name, &e) == -1)
		goto fail;
	if (keyfile != NULL && keystore_exists(&ws, name)) {
		err_set(&e, ERR_REFUSED, "keystore '%s' already exists", name);
		goto fail;
	}
	if (keyfile == NULL && !keystore_exists(&ws, name)) {
		err_set(&e, ERR_USAGE, "no keystore '%s' (import a key with "
		    "--key FILE)", name);
		goto fail;
	}
	if (keyfile != NULL && file_read(keyfile, PKEY_MAX_SIZE * 4, &keydata,
	    &e) == -1)
		goto fail;
	if (certfile != NULL) {
		if (file_read(certfile, FILE_MAX_INPUT, &certdata, &e) == -1)
			goto fail;
		if (cert_list_load(&chain, certdata.data, certdata.len,
		    &e) == -1) {
			err_wrap(&e, "%s", certfile);
			goto fail;
		}
	}

	if (keyfile == NULL) {
		if (cliutil_passphrase(cli, "keystore", name, 0, &pass,
		    &e) == -1)
			goto fail;
		if (entity_import_cert(&ws, name, certdata.data, certdata.len,
		    pass.s, pass.len, &e) == -1)
			goto fail;
		subject = dn_to_string(&chain.v[0].subject);
		path = ws_keystore_path(&ws, name);
		printf("keystore: %s\ncertificate: %s\n", path, subject);
		goto out;
	}

	if (cliutil_passphrase(cli, "keystore", name, PASSPHRASE_NEW, &pass,
	    &e) == -1)
		goto fail;
	if (entity_key_is_encrypted(keydata.data, keydata.len)) {
		const char *env = getenv("MINIPKI_IMPORT_PASSPHRASE");

		if (env != NULL && env[0] != '\0') {
			keypass.s = xstrdup(env);
			keypass.len = strlen(env);
		} else {
			keypass.s = xstrdup(pass.s);
			keypass.len = pass.len;
		}
	}
	if (entity_read_key(keydata.data, keydata.len, keypass.s, keypass.len,
	    &key, &e) == -1) {
		err_wrap(&e, "%s", keyfile);
		goto fail;
	}
	if (entity_import(&ws, name, &key, certfile != NULL ? certdata.data :
	    NULL, certdata.len, pass.s, pass.len, &e) == -1)
		goto fail;
	entity_key_fingerprint(&key, fp);
	entity_fp_hex(fp, fp_hex);
	path = ws_keystore_path(&ws, name);
	printf("keystore: %s\nkey: rsa %u bits\nfingerprint: SHA256:%s\n",
	    path, rsakey_bits(&key), fp_hex);
	if (chain.n > 0) {
		subject = dn_to_string(&chain.v[0].subject);
		printf("certificate: %s\n", subject);
	}
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(subject);
	free(path);
	passphrase_free(&pass);
	passphrase_free(&keypass);
	cert_list_clear(&chain);
	rsakey_clear(&key);
	buf_clear_secret(&keydata);
	buf_clear(&certdata);
	ws_clear(&ws);
	return rc;
}
