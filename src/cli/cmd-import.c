/* cmd-import.c — `import`: a key made elsewhere (alone or in PKCS#12)
 * into a new keystore, or a certificate into an existing one. What it accepts and does (which
 * passphrase opens an encrypted key) is its entry's usage and help,
 * below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "role/entity.h"
#include "role/p12.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/pkcs12.h"
#include "x509/pkey.h"

enum { OPT_KEY = 1, OPT_CERT, OPT_P12 };

static const struct args_opt import_opts[] = {
	{ .id = OPT_KEY, .name = "key", .has_value = 1 },
	{ .id = OPT_CERT, .name = "cert", .has_value = 1 },
	{ .id = OPT_P12, .name = "p12", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_import;

const struct cli_cmd cmd_import_entry = {
	.name = "import",
	.summary = "make an entity keystore from an existing key",
	.usage = "import NAME ([--key FILE] [--cert FILE] | --p12 FILE)",
	.help =
"Creates the keystore of entity NAME from a private key made elsewhere:\n"
"RSA in PKCS#1 (RSA PRIVATE KEY), P-256 in SEC1 (EC PRIVATE KEY), or\n"
"either in PKCS#8, encrypted or not, PEM or DER, as OpenSSL writes them.\n"
"An encrypted key is opened with\n"
"MINIPKI_IMPORT_PASSPHRASE when set, else with the keystore passphrase.\n"
"With --cert, the certificate (chain) is stored too; its public key must\n"
"match the private key. With --cert alone, the certificate goes into the\n"
"existing keystore NAME (the passphrase unlocks the key to check it).\n"
"Keys under 2048 bits are refused.\n"
"\n"
"With --p12, key (RSA or P-256) and certificates come from a PKCS#12\n"
"file (.p12/.pfx) as\n"
"`openssl pkcs12 -export` (default or -legacy), GnuTLS, Java or Windows\n"
"write it, opened with MINIPKI_IMPORT_PASSPHRASE when set, else the\n"
"keystore passphrase. Its MAC is checked before anything is decrypted (a\n"
"wrong passphrase is exit 3). It must hold one private key and that key's\n"
"certificate (found by localKeyID or public key); the chain is what\n"
"follows from it by issuer among the file's certificates.\n"
"\n"
"  --key FILE       the private key\n"
"  --cert FILE      its certificate, optionally followed by the chain\n"
"  --p12 FILE       a PKCS#12 file: key, certificate and chain\n",
	.opts = import_opts,
	.fn = cmd_import,
};

/* import NAME --p12 FILE */
static int
import_p12(struct cli *cli, const char *name, const char *file)
{
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 };
	struct p12_imported res;
	struct buf data;
	const char *p12pass, *env;
	size_t p12passlen;
	char *path = NULL;
	int rc = EXIT_OK;

	err_clear(&e);
	ws_init(&ws);
	buf_init(&data);
	memset(&res, 0, sizeof res);
	if (cliutil_ws(cli, &ws, &e) == -1 || ws_check_name(name, &e) == -1)
		goto fail;
	if (keystore_exists(&ws, name)) {
		err_set(&e, ERR_REFUSED, "keystore '%s' already exists", name);
		goto fail;
	}
	if (file_read(file, PKCS12_MAX_SIZE, &data, &e) == -1)
		goto fail;
	if (cliutil_passphrase(cli, "keystore", name, PASSPHRASE_NEW, &pass,
	    &e) == -1)
		goto fail;
	p12pass = pass.s;
	p12passlen = pass.len;
	if ((env = getenv("MINIPKI_IMPORT_PASSPHRASE")) != NULL &&
	    env[0] != '\0') {
		p12pass = env;
		p12passlen = strlen(env);
	}
	if (p12_import(&ws, name, data.data, data.len, p12pass, p12passlen,
	    pass.s, pass.len, &res, &e) == -1) {
		err_wrap(&e, "%s", file);
		goto fail;
	}
	path = ws_keystore_path(&ws, name);
	if (strcmp(res.key_type, "ec") == 0)
		printf("keystore: %s\nkey: ec P-256\n", path);
	else
		printf("keystore: %s\nkey: rsa %u bits\n", path, res.bits);
	printf("certificate: %s\n"
	    "chain: %zu certificate%s", res.subject,
	    res.ncerts, res.ncerts == 1 ? "" : "s");
	if (res.nskipped > 0)
		printf(" (%zu other%s in the file left out)", res.nskipped,
		    res.nskipped == 1 ? "" : "s");
	printf("\n");
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(path);
	p12_imported_clear(&res);
	passphrase_free(&pass);
	buf_clear_secret(&data);
	ws_clear(&ws);
	return rc;
}

static int
cmd_import(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 }, keypass = { NULL, 0 };
	struct buf keydata, certdata;
	struct pkey key;
	struct cert_list chain;
	const char *v, *name = NULL, *keyfile = NULL, *certfile = NULL;
	const char *p12file = NULL;
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
		case OPT_P12:
			p12file = v;
			break;
		}
	}
	if (name == NULL)
		return cli_usage("import", "missing NAME");
	if (p12file != NULL && (keyfile != NULL || certfile != NULL))
		return cli_usage("import", "--p12 FILE holds key and "
		    "certificates: give it alone");
	if (p12file != NULL)
		return import_p12(cli, name, p12file);
	if (keyfile == NULL && certfile == NULL)
		return cli_usage("import", "give --key FILE, --cert FILE, "
		    "both, or --p12 FILE");

	err_clear(&e);
	ws_init(&ws);
	buf_init(&keydata);
	buf_init(&certdata);
	pkey_init(&key);
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
	if (entity_read_key_any(keydata.data, keydata.len, keypass.s, keypass.len,
	    &key, &e) == -1) {
		err_wrap(&e, "%s", keyfile);
		goto fail;
	}
	if (entity_import_any(&ws, name, &key, certfile != NULL ? certdata.data :
	    NULL, certdata.len, pass.s, pass.len, &e) == -1)
		goto fail;
	entity_key_fingerprint_any(&key, fp);
	entity_fp_hex(fp, fp_hex);
	path = ws_keystore_path(&ws, name);
	if (key.type == PKEY_EC)
		printf("keystore: %s\nkey: ec P-256\nfingerprint: SHA256:%s\n",
		    path, fp_hex);
	else
		printf("keystore: %s\nkey: rsa %u bits\nfingerprint: "
		    "SHA256:%s\n", path, rsakey_bits(&key.rsa), fp_hex);
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
	pkey_clear(&key);
	buf_clear_secret(&keydata);
	buf_clear(&certdata);
	ws_clear(&ws);
	return rc;
}
