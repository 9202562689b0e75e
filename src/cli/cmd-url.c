/* cmd-url.c — `ca set-url`, and the URL of `ca init --url`: where the CA
 * service answers, which what the CA issues then carries (AIA and CDP). */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "role/ca.h"

enum {
	OPT_CA = 1, OPT_CLEAR,
};

static const struct args_opt set_url_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_CLEAR, .name = "clear", .has_value = 0 },
	{ .id = 0 },
};

static cli_fn cmd_ca_set_url;

const struct cli_cmd cmd_ca_set_url_entry = {
	.name = "ca set-url",
	.summary = "set where the CA service answers, for what the CA issues",
	.usage = "ca set-url [--ca NAME] URL | --clear",
	.help =
"Records the base URL of the CA's service (`ca serve`), http://HOST[:PORT]\n"
"with no path, in ca/NAME/ca.yaml, and audits it. What the CA signs from\n"
"then on (certificates, renewals, intermediate CAs) carries\n"
"authorityInfoAccess, OCSP URL/ocsp and CA Issuers URL/ca.cer, and\n"
"cRLDistributionPoints URL/crl, so that `openssl ocsp` and `openssl verify\n"
"-crl_download` find the service by themselves; what it signed before stays\n"
"as it is. No passphrase is needed; the CA's database lock is. Prints \"CA\n"
"'NAME' URL set to URL\" or \"CA 'NAME' URL cleared\".\n"
"\n"
"  --ca NAME  the CA (default \"ca\")\n"
"  --clear    remove the URL: what the CA signs carries neither extension\n",
	.opts = set_url_opts,
	.fn = cmd_ca_set_url,
};

int
cmd_ca_url_store(struct cli *cli, const char *name, const char *url,
    struct err *e)
{
	struct ws ws;
	struct ca ca;
	int rc = -1;

	ws_init(&ws);
	ca_init(&ca);
	/* The lock, not the key: ca_set_url signs nothing. */
	if (cliutil_ws(cli, &ws, e) == 0 &&
	    ca_open(&ca, &ws, name, CA_WRITE, e) == 0 &&
	    ca_set_url(&ca, url, e) == 0)
		rc = 0;
	ca_clear(&ca);
	ws_clear(&ws);
	return rc;
}

static int
cmd_ca_set_url(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	const char *v, *caname = "ca", *url = NULL;
	int r, rc = EXIT_OK, clear = 0;

	args_init(&a, cli, "ca set-url", set_url_opts, argc, argv);
	while ((r = cliutil_ca_args(&a, OPT_CA, &caname, &url, &v, &rc)) > 0)
		clear = 1;	/* OPT_CLEAR, the only other option */
	if (r == -1)
		return rc;
	if (clear && url != NULL)
		return cli_usage("ca set-url", "URL and --clear exclude each "
		    "other");
	if (!clear && url == NULL)
		return cli_usage("ca set-url", "missing URL (or --clear)");
	err_clear(&e);
	if (url != NULL && ca_check_url(url, &e) == -1)
		return cli_usage("ca set-url", "%s", e.msg);
	if (cmd_ca_url_store(cli, caname, url, &e) == -1)
		return cli_fail(&e);
	if (clear)
		printf("CA '%s' URL cleared\n", caname);
	else
		printf("CA '%s' URL set to %.*s\n", caname,
		    (int)(strlen(url) - (url[strlen(url) - 1] == '/')), url);
	return EXIT_OK;
}
