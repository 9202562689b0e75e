/* cmd-setpolicy.c — `ca set-policy`: the certificate policies one profile
 * of a CA carries instead of the CA's own (role/caprofile.h). */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "role/ca.h"
#include "role/capolicy.h"
#include "role/caprofile.h"
#include "role/profile.h"

enum {
	OPT_CA = 1, OPT_PROFILE, OPT_POLICY, OPT_CPS, OPT_CLEAR,
};

static const struct args_opt set_policy_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_PROFILE, .name = "profile", .has_value = 1 },
	{ .id = OPT_POLICY, .name = "policy", .has_value = 1 },
	{ .id = OPT_CPS, .name = "cps", .has_value = 1 },
	{ .id = OPT_CLEAR, .name = "clear", .has_value = 0 },
	{ .id = 0 },
};

static cli_fn cmd_ca_set_policy;

const struct cli_cmd cmd_ca_set_policy_entry = {
	.name = "ca set-policy",
	.summary = "give a profile certificate policies of its own",
	.usage =
"ca set-policy [--ca NAME] --profile server|client|ca|peer\n"
"(--policy OID[,OID] [--cps URI] | --clear)",
	.help =
"Records in ca/NAME/ca.yaml the certificatePolicies that certificates the\n"
"CA issues under one profile carry from then on, instead of the CA's own\n"
"policies (which they carry by default), and audits it. Each policy must\n"
"be among the policies the CA's certificate allows below it (its own, a\n"
"mapped one replaced by what it maps to), unless those hold anyPolicy; an\n"
"intermediate CA without policies allows none. The CA refuses to issue a\n"
"certificate whose policies are not allowed, naming the policy. No\n"
"passphrase is needed; the CA's database lock is.\n"
"\n"
"  --ca NAME           the CA (default \"ca\")\n"
"  --profile P         the profile: server, client, ca or peer\n"
"  --policy OID[,OID]  the policies (dotted OIDs or anyPolicy)\n"
"  --cps URI           a CPS qualifier (http:// or https://) on each\n"
"  --clear             the profile's certificates carry the CA's policies\n"
"                      again\n",
	.opts = set_policy_opts,
	.fn = cmd_ca_set_policy,
};

static int
cmd_ca_set_policy(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct err e;
	struct ws ws;
	struct ca ca;
	struct capolicy pol;
	struct ext_info x;
	const char *v, *caname = "ca", *pname = NULL, *policies = NULL;
	const char *cps = NULL;
	char pols[256];
	int r, rc = EXIT_OK, clear = 0;

	args_init(&a, cli, "ca set-policy", set_policy_opts, argc, argv);
	while ((r = args_next(&a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			return EXIT_OK;
		case ARGS_ERROR:
			return EXIT_USAGE;
		case ARGS_OPERAND:
			return cli_usage("ca set-policy", "unexpected argument "
			    "'%s'", v);
		case OPT_CA:
			caname = v;
			break;
		case OPT_PROFILE:
			pname = v;
			break;
		case OPT_POLICY:
			policies = v;
			break;
		case OPT_CPS:
			cps = v;
			break;
		case OPT_CLEAR:
			clear = 1;
			break;
		}
	}
	if (pname == NULL)
		return cli_usage("ca set-policy", "missing --profile");
	if (profile_find(pname) == NULL)
		return cli_usage("ca set-policy", "--profile: unknown profile "
		    "'%s': use %s", pname, profile_names());
	if (clear && (policies != NULL || cps != NULL))
		return cli_usage("ca set-policy", "--clear excludes --policy "
		    "and --cps");
	if (!clear && policies == NULL)
		return cli_usage("ca set-policy", "missing --policy (or "
		    "--clear)");
	/* Bad values are usage errors, found before the CA is opened. */
	err_clear(&e);
	capolicy_init(&pol);
	pol.policies = policies;
	pol.cps = cps;
	ext_info_init(&x);
	r = capolicy_set(&x, &pol, &e);
	capolicy_text(&x, pols, sizeof pols);
	ext_info_clear(&x);
	if (r == -1)
		return cli_usage("ca set-policy", "%s", e.msg);

	ws_init(&ws);
	ca_init(&ca);
	if (cliutil_ws(cli, &ws, &e) == -1 ||
	    ca_open(&ca, &ws, caname, CA_WRITE, &e) == -1 ||
	    caprofile_set(&ca, pname, policies, cps, &e) == -1)
		rc = cli_fail(&e);
	else if (clear)
		printf("CA '%s' profile %s: policies cleared (its certificates "
		    "carry the CA's)\n", caname, pname);
	else
		printf("CA '%s' profile %s: policies %s%s%s\n", caname, pname,
		    pols, cps != NULL ? ", CPS " : "", cps != NULL ? cps : "");
	ca_clear(&ca);
	ws_clear(&ws);
	return rc;
}
