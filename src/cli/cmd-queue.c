/* cmd-queue.c — `ca pending`, `ca approve`, `ca reject`: the operator's
 * side of the approval queue of the CA service (role/enroll.h). */
#include <stdio.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "role/enroll.h"

enum {
	OPT_CA = 1, OPT_ALL, OPT_PROFILE, OPT_REASON,
};

/* ---- ca pending ---- */

static const struct args_opt pending_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_ALL, .name = "all", .has_value = 0 },
	{ .id = 0 },
};

static cli_fn cmd_ca_pending;

const struct cli_cmd cmd_ca_pending_entry = {
	.name = "ca pending",
	.summary = "list the enrollment requests waiting for the operator",
	.usage = "ca pending [--ca NAME] [--all]",
	.help =
"Lists the requests that came to the CA service without a token that\n"
"covers them, oldest first, one a line, its ID first:\n"
"  ID TIME PROFILE \"SUBJECT\" STATE [from \"NAME\"] [at \"PEER\"] ...\n"
"STATE is pending (then why it waits), or approved (then \"as PROFILE\":\n"
"its certificate is issued when the requester asks again). Decide with\n"
"`ca approve ID` or `ca reject ID`. A request not decided within the\n"
"days `ca serve` gives it (default 7) expires and is no longer listed.\n"
"\n"
"  --ca NAME  the CA (default \"ca\")\n"
"  --all      every request still on record, the decided ones too: issued\n"
"             (then \"serial S\"), rejected (then \"reason \\\"R\\\"\") and\n"
"             expired (then \"since TIME\")\n",
	.opts = pending_opts,
	.fn = cmd_ca_pending,
};

/* arg: --all given. */
static void
pending_lines(const struct enroll *en, const void *arg, struct buf *out)
{
	const struct enrolldb_req *q;
	int64_t now = (int64_t)time(NULL);
	size_t i;

	for (i = 0; i < en->db.nreqs; i++) {
		q = &en->db.reqs[i];
		if (arg == NULL && ((q->state != ENROLLDB_PENDING &&
		    q->state != ENROLLDB_APPROVED) ||
		    enroll_req_expired(q, now)))
			continue;
		enroll_req_line_at(q, now, out);
		buf_putc(out, '\n');
	}
}

static int
cmd_ca_pending(struct cli *cli, int argc, char **argv)
{
	struct args a;
	const char *v, *caname = "ca";
	int r, rc = EXIT_OK, all = 0;

	args_init(&a, cli, "ca pending", pending_opts, argc, argv);
	while ((r = cliutil_ca_args(&a, OPT_CA, &caname, NULL, &v, &rc)) > 0)
		all = 1;	/* OPT_ALL, the only other option */
	if (r == -1)
		return rc;
	return cliutil_enroll_print(cli, caname, pending_lines, all ? &all :
	    NULL);
}

/* ---- ca approve ---- */

static const struct args_opt approve_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_PROFILE, .name = "profile", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_ca_approve;

const struct cli_cmd cmd_ca_approve_entry = {
	.name = "ca approve",
	.summary = "approve a request waiting in the enrollment queue",
	.usage = "ca approve [--ca NAME] ID [--profile server|client|ca|peer]",
	.help =
"Approves the pending request ID (as `ca pending` shows it). The decision\n"
"is recorded and audited at once; the certificate is issued by the CA\n"
"service when the requester asks again (EST polls by sending the same\n"
"request), exactly once, and every later poll gets the same certificate.\n"
"So no CA passphrase is asked here, and it works while `ca serve` runs.\n"
"Prints \"approved request ID (profile P)\". A request decided already is\n"
"refused (1).\n"
"\n"
"  --ca NAME    the CA (default \"ca\")\n"
"  --profile P  issue under profile P instead of the one requested:\n"
"               server, client, ca or peer (only the operator may grant\n"
"               ca)\n",
	.opts = approve_opts,
	.fn = cmd_ca_approve,
};

static int
cmd_ca_approve(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct enroll en;
	struct err e;
	const struct profile *p = NULL;
	const struct enrolldb_req *q;
	const char *v, *caname = "ca", *id = NULL;
	int r, rc = EXIT_OK;

	args_init(&a, cli, "ca approve", approve_opts, argc, argv);
	while ((r = cliutil_ca_args(&a, OPT_CA, &caname, &id, &v, &rc)) > 0)
		if ((p = profile_find(v)) == NULL)
			return cli_usage("ca approve", "unknown profile '%s' "
			    "(use %s)", v, profile_names());
	if (r == -1)
		return rc;
	if (id == NULL)
		return cli_usage("ca approve", "missing ID");
	err_clear(&e);
	ws_init(&ws);
	enroll_init(&en);
	if (cliutil_enroll(cli, &ws, &en, caname, &e) == -1 ||
	    enroll_approve(&en, id, p, (int64_t)time(NULL), &e) == -1) {
		rc = cli_fail(&e);
	} else {
		q = enrolldb_req(&en.db, id);
		printf("approved request %s (profile %s)\n", id,
		    q != NULL ? q->approved_profile : "?");
	}
	enroll_clear(&en);
	ws_clear(&ws);
	return rc;
}

/* ---- ca reject ---- */

static const struct args_opt reject_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_REASON, .name = "reason", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_ca_reject;

const struct cli_cmd cmd_ca_reject_entry = {
	.name = "ca reject",
	.summary = "refuse a request waiting in the enrollment queue",
	.usage = "ca reject [--ca NAME] ID [--reason TEXT]",
	.help =
"Refuses the pending request ID (as `ca pending` shows it): recorded and\n"
"audited; the requester's next poll gets the refusal and its reason (EST\n"
"answers 403). A request decided already is refused (1). Prints \"rejected\n"
"request ID\".\n"
"\n"
"  --ca NAME      the CA (default \"ca\")\n"
"  --reason TEXT  what the requester is told (default \"refused by the CA\n"
"                 operator\"); one line, at most 1024 bytes\n",
	.opts = reject_opts,
	.fn = cmd_ca_reject,
};

static int
cmd_ca_reject(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct enroll en;
	struct err e;
	const char *v, *caname = "ca", *id = NULL, *reason = NULL;
	int r, rc = EXIT_OK;

	args_init(&a, cli, "ca reject", reject_opts, argc, argv);
	while ((r = cliutil_ca_args(&a, OPT_CA, &caname, &id, &v, &rc)) > 0)
		reason = v;	/* OPT_REASON, the only other option */
	if (r == -1)
		return rc;
	if (id == NULL)
		return cli_usage("ca reject", "missing ID");
	err_clear(&e);
	ws_init(&ws);
	enroll_init(&en);
	if (cliutil_enroll(cli, &ws, &en, caname, &e) == -1 ||
	    enroll_reject(&en, id, reason, (int64_t)time(NULL), &e) == -1)
		rc = cli_fail(&e);
	else
		printf("rejected request %s\n", id);
	enroll_clear(&en);
	ws_clear(&ws);
	return rc;
}
