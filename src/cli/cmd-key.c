/* cmd-key.c — `key new NAME [--bits N]`. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "role/entity.h"

enum { OPT_BITS = 1 };

static const struct args_opt key_new_opts[] = {
	{ .id = OPT_BITS, .name = "bits", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_key_new;

const struct cli_cmd cmd_key_new_entry = {
	.name = "key new",
	.summary = "make a key pair in a new entity keystore",
	.usage = "key new NAME [--bits N]",
	.help =
"Makes a new RSA key pair and stores it in the keystore of entity NAME\n"
"(WORKSPACE/keys/NAME.yaml), the private key encrypted under the passphrase.\n"
"Prints the keystore path and the key's SHA-256 fingerprint.\n"
"\n"
"  --bits N       key size: 2048 (the default), 3072 or 4096\n",
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
	const char *v, *name = NULL;
	char fp_hex[3 * ENTITY_FP_SIZE], *path = NULL;
	uint8_t fp[ENTITY_FP_SIZE];
	long bits = 2048;
	int r, rc;

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
			break;
		}
	}
	if (name == NULL)
		return cli_usage("key new", "missing NAME");

	err_clear(&e);
	ws_init(&ws);
	rsakey_init(&key);
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
	if (entity_new_key(&ws, name, (unsigned)bits, pass.s, pass.len, NULL,
	    NULL, &key, &e) == -1)
		goto fail;
	entity_key_fingerprint(&key, fp);
	entity_fp_hex(fp, fp_hex);
	path = ws_keystore_path(&ws, name);
	printf("keystore: %s\nkey: rsa %ld bits\nfingerprint: SHA256:%s\n",
	    path, bits, fp_hex);
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(path);
	passphrase_free(&pass);
	rsakey_clear(&key);
	ws_clear(&ws);
	return rc;
}
