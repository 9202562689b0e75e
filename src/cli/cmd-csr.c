/* cmd-csr.c — `csr new NAME --subject DN [--san LIST] [--out FILE]`. */
#include <stdio.h>
#include <stdlib.h>

#include "asn1/pem.h"
#include "cli/args.h"
#include "cli/cliutil.h"
#include "cli/passphrase.h"
#include "role/entity.h"

enum { OPT_SUBJECT = 1, OPT_SAN, OPT_OUT };

static const struct args_opt csr_new_opts[] = {
	{ .id = OPT_SUBJECT, .name = "subject", .has_value = 1 },
	{ .id = OPT_SAN, .name = "san", .has_value = 1 },
	{ .id = OPT_OUT, .name = "out", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_csr_new;

const struct cli_cmd cmd_csr_new_entry = {
	.name = "csr new",
	.summary = "make a certification request for an entity's key",
	.usage = "csr new NAME --subject DN [--san LIST] [--out FILE]",
	.help =
"Makes a PKCS#10 certification request for the key of entity NAME, signed\n"
"with that key (the passphrase unlocks it).\n"
"\n"
"  --subject DN   the subject name, as CN=x,O=y,C=z (also OU, ST, L,\n"
"                 emailAddress, serialNumber, DC, UID)\n"
"  --san LIST     subject alternative names to request, as\n"
"                 DNS:a.example,IP:127.0.0.1,email:x@y.example,URI:https://..\n"
"  --out FILE     write the request (PEM) to FILE; default standard output\n",
	.opts = csr_new_opts,
	.fn = cmd_csr_new,
};

static int
cmd_csr_new(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct err e;
	struct passphrase pass = { NULL, 0 };
	struct dn subject;
	struct san_list san;
	struct buf pem;
	const char *v, *name = NULL, *subj = NULL, *sanarg = NULL, *out = NULL;
	uint8_t *der = NULL;
	size_t derlen = 0;
	int r, rc;

	args_init(&a, cli, "csr new", csr_new_opts, argc, argv);
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
		case OPT_SUBJECT:
			subj = v;
			break;
		case OPT_SAN:
			sanarg = v;
			break;
		case OPT_OUT:
			out = v;
			break;
		}
	}
	if (name == NULL)
		return cli_usage("csr new", "missing NAME");
	if (subj == NULL)
		return cli_usage("csr new", "missing --subject DN");

	err_clear(&e);
	ws_init(&ws);
	dn_init(&subject);
	san_list_init(&san);
	buf_init(&pem);
	rc = EXIT_OK;
	if (dn_from_string(&subject, subj, &e) == -1) {
		rc = cli_usage("csr new", "--subject: %s", e.msg);
		goto out;
	}
	if (sanarg != NULL && san_parse_list(&san, sanarg, &e) == -1) {
		rc = cli_usage("csr new", "--san: %s", e.msg);
		goto out;
	}
	if (cliutil_ws(cli, &ws, &e) == -1 || ws_check_name(name, &e) == -1)
		goto fail;
	if (!keystore_exists(&ws, name)) {
		err_set(&e, ERR_USAGE, "no keystore '%s' (make one with: key "
		    "new %s)", name, name);
		goto fail;
	}
	if (cliutil_passphrase(cli, "keystore", name, 0, &pass, &e) == -1)
		goto fail;
	if (entity_new_csr(&ws, name, &subject, &san, pass.s, pass.len, &der,
	    &derlen, &e) == -1)
		goto fail;
	pem_encode("CERTIFICATE REQUEST", der, derlen, &pem);
	if (cliutil_write(out, pem.data, pem.len, 0, &e) == -1)
		goto fail;
	goto out;
fail:
	rc = cli_fail(&e);
out:
	free(der);
	buf_clear(&pem);
	passphrase_free(&pass);
	san_list_clear(&san);
	dn_clear(&subject);
	ws_clear(&ws);
	return rc;
}
