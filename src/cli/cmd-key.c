/* cmd-key.c — `key new`: a new RSA or P-256 key in an entity's keystore. What it
 * accepts and does is its entry's usage and help, below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "role/entity.h"

enum { OPT_BITS = 1, OPT_TYPE };

static const struct args_opt key_new_opts[] = {
	{ .id = OPT_BITS, .name = "bits", .has_value = 1 },
	{ .id = OPT_TYPE, .name = "type", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_key_new;

const struct cli_cmd cmd_key_new_entry = {
	.name = "key new",
	.summary = "make a key pair in a new entity keystore",
	.usage = "key new NAME [--type rsa|ec] [--bits N]",
	.help =
"Makes a new key pair and stores it in the keystore of entity NAME\n"
"(WORKSPACE/keys/NAME.yaml), the private key encrypted under the passphrase.\n"
"Prints the keystore path and the key's SHA-256 fingerprint.\n"
"\n"
"  --type T       rsa (the default) or ec (ECDSA on NIST P-256)\n"
"  --bits N       RSA key size: 2048 (the default), 3072 or 4096\n",
	.opts = key_new_opts,
	.fn = cmd_key_new,
};

static int
cmd_key_new(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 };
	struct rsakey key;
	struct pkey eck;
	const char *v, *name = NULL, *type = "rsa";
	char fp_hex[3 * ENTITY_FP_SIZE], *path = NULL;
	uint8_t fp[ENTITY_FP_SIZE];
	long bits = 2048;
	int r, rc, have_bits = 0;

	args_init(&a, cli, "key new", key_new_opts, argc, argv);
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
		case OPT_BITS:
			if (args_bits(&a, v, &bits) == -1)
				return EXIT_USAGE;
			have_bits = 1;
			break;
		case OPT_TYPE:
			type = v;
			break;
		}
	}
	if (name == NULL)
		return cli_usage("key new", "missing NAME");
	if (strcmp(type, "rsa") != 0 && strcmp(type, "ec") != 0)
		return cli_usage("key new", "--type must be rsa or ec");
	if (strcmp(type, "ec") == 0 && have_bits)
		return cli_usage("key new", "--bits is for RSA keys (an ec key "
		    "is P-256)");

	err_clear(&e);
	ws_init(&ws);
	rsakey_init(&key);
	pkey_init(&eck);
	rc = EXIT_OK;
	if (cliutil_ws(cli, &ws, &e) == -1 || ws_check_name(name, &e) == -1)
		goto fail;
	if (keystore_exists(&ws, name)) {
		err_set(&e, ERR_REFUSED, "keystore '%s' already exists", name);
		goto fail;
	}
	if (cliutil_passphrase(cli, "keystore", name, PASSPHRASE_NEW, &pass,
	    &e) == -1)
		goto fail;
	if (strcmp(type, "ec") == 0) {
		if (entity_new_ec_key(&ws, name, pass.s, pass.len, &eck,
		    &e) == -1)
			goto fail;
		entity_key_fingerprint_any(&eck, fp);
	} else {
		if (entity_new_key(&ws, name, (unsigned)bits, pass.s, pass.len,
		    NULL, NULL, &key, &e) == -1)
			goto fail;
		entity_key_fingerprint(&key, fp);
	}
	entity_fp_hex(fp, fp_hex);
	path = ws_keystore_path(&ws, name);
	if (strcmp(type, "ec") == 0)
		printf("keystore: %s\nkey: ec P-256\nfingerprint: SHA256:%s\n",
		    path, fp_hex);
	else
		printf("keystore: %s\nkey: rsa %ld bits\nfingerprint: "
		    "SHA256:%s\n", path, bits, fp_hex);
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(path);
	passphrase_free(&pass);
	rsakey_clear(&key);
	pkey_clear(&eck);
	ws_clear(&ws);
	return rc;
}
