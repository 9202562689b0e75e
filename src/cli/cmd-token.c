/* cmd-token.c — `ca token new`, `ca token list`, `ca token revoke`: who
 * may enroll through the CA service without waiting for the operator
 * (role/enroll.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/args.h"
#include "cli/cliutil.h"
#include "role/enroll.h"

enum {
	OPT_CA = 1, OPT_PROFILE, OPT_MATCH, OPT_USES, OPT_TTL,
};

/* ---- ca token new ---- */

static const struct args_opt token_new_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = OPT_PROFILE, .name = "profile", .has_value = 1 },
	{ .id = OPT_MATCH, .name = "subject-match", .has_value = 1 },
	{ .id = OPT_USES, .name = "uses", .has_value = 1 },
	{ .id = OPT_TTL, .name = "ttl", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_ca_token_new;

const struct cli_cmd cmd_ca_token_new_entry = {
	.name = "ca token new",
	.summary = "make a one-time enrollment token for the CA service",
	.usage =
"ca token new [--ca NAME] [--profile server|client|peer]\n"
"[--subject-match RE] [--uses N] [--ttl D]",
	.help =
"Makes an enrollment token and prints it, alone, on standard output (its\n"
"ID and expiry go to standard error). A client sends it as the HTTP Basic\n"
"password of an EST enrollment: a request the token covers is issued at\n"
"once under the token's profile; any other waits for the operator\n"
"(`ca pending`). The token is 160 random bits shown only now: the CA\n"
"keeps its SHA-256. It is spent once per certificate, expires, and every\n"
"use is audited. No CA passphrase is needed, and it works while\n"
"`ca serve` runs.\n"
"\n"
"  --ca NAME           the CA (default \"ca\")\n"
"  --profile P         what it issues: client (the default), server or\n"
"                      peer (clients that talk to each other and sign\n"
"                      messages); a token never grants ca\n"
"  --subject-match RE  only requests whose whole subject, as `show` prints\n"
"                      it (\"CN=alice, O=Lab\"), matches the POSIX extended\n"
"                      regular expression RE\n"
"  --uses N            how many certificates it may give (default 1)\n"
"  --ttl D             how long it lives: a number and a unit, s, m, h or\n"
"                      d (3600s, 90m, 24h, 7d; no unit: seconds), at most\n"
"                      366 days (default 24h)\n",
	.opts = token_new_opts,
	.fn = cmd_ca_token_new,
};

/* A duration: digits and one unit letter, s m h d (none: seconds). */
static int
token_ttl(const char *s, int64_t *out)
{
	static const struct {
		char unit;
		int64_t secs;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };
	size_t n = strspn(s, "0123456789"), i;
	int64_t v = 0;

	/* Nine digits of days still fit an int64_t. */
	if (n == 0 || n > 9)
		return -1;
	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	if (s[n] == '\0') {
		*out = v;
		return 0;
	}
	if (s[n + 1] != '\0')
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (s[n] == units[i].unit) {
			*out = v * units[i].secs;
			return 0;
		}
	return -1;
}

static int
cmd_ca_token_new(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct enroll en;
	struct enroll_token_opts o;
	struct err e;
	const char *v, *caname = "ca";
	char tok[ENROLL_TOKEN_LEN + 1], id[ENROLLDB_ID_LEN + 1];
	char until[WS_TIME_LEN];
	long uses = 1;
	int64_t now = (int64_t)time(NULL);
	int r, rc = EXIT_OK;

	memset(&o, 0, sizeof o);
	args_init(&a, cli, "ca token new", token_new_opts, argc, argv);
	while ((r = cliutil_ca_args(&a, OPT_CA, &caname, NULL, &v, &rc)) > 0) {
		switch (r) {
		case OPT_PROFILE:
			o.profile = v;
			break;
		case OPT_MATCH:
			o.match = v;
			break;
		case OPT_USES:
			if (args_number(&a, "uses", v, 1, ENROLLDB_USES_MAX,
			    &uses) == -1)
				return EXIT_USAGE;
			break;
		case OPT_TTL:
			if (token_ttl(v, &o.ttl) == -1 || o.ttl == 0)
				return cli_usage("ca token new", "--ttl: '%s' is "
				    "not a duration (use 3600s, 90m, 24h or "
				    "7d)", v);
			break;
		}
	}
	if (r == -1)
		return rc;
	o.uses = (unsigned long)uses;
	err_clear(&e);
	ws_init(&ws);
	enroll_init(&en);
	if (cliutil_enroll(cli, &ws, &en, caname, &e) == -1 ||
	    enroll_token_new(&en, &o, now, tok, id, &e) == -1) {
		rc = cli_fail(&e);
		goto out;
	}
	ws_time_format(now + (o.ttl ? o.ttl : ENROLL_TTL_DEFAULT), until);
	printf("%s\n", tok);
	if (fflush(stdout) != 0) {
		err_set(&e, ERR_IO, "standard output: %s", strerror(errno));
		rc = cli_fail(&e);
		goto out;
	}
	fprintf(stderr, "token %s: profile %s, %lu use%s, expires %s\n", id,
	    o.profile ? o.profile : ENROLL_DEFAULT_PROFILE, o.uses,
	    o.uses == 1 ? "" : "s", until);
out:
	explicit_bzero(tok, sizeof tok);
	enroll_clear(&en);
	ws_clear(&ws);
	return rc;
}

/* ---- ca token list ---- */

static const struct args_opt token_list_opts[] = {
	{ .id = OPT_CA, .name = "ca", .has_value = 1 },
	{ .id = 0 },
};

static cli_fn cmd_ca_token_list;

const struct cli_cmd cmd_ca_token_list_entry = {
	.name = "ca token list",
	.summary = "list a CA's enrollment tokens (never the secrets)",
	.usage = "ca token list [--ca NAME]",
	.help =
"Lists the CA's enrollment tokens, oldest first, one a line:\n"
"  ID PROFILE STATE USED/USES expires TIME [match \"RE\"]\n"
"STATE is active, used (every use spent), expired or revoked. The tokens\n"
"themselves are not kept, so they cannot be shown.\n"
"\n"
"  --ca NAME  the CA (default \"ca\")\n",
	.opts = token_list_opts,
	.fn = cmd_ca_token_list,
};

static void
token_lines(const struct enroll *en, const void *arg, struct buf *out)
{
	int64_t now = (int64_t)time(NULL);
	size_t i;

	(void)arg;
	for (i = 0; i < en->db.ntokens; i++) {
		enroll_token_line(&en->db.tokens[i], now, out);
		buf_putc(out, '\n');
	}
}

static int
cmd_ca_token_list(struct cli *cli, int argc, char **argv)
{
	struct args a;
	const char *v, *caname = "ca";
	int rc = EXIT_OK;

	args_init(&a, cli, "ca token list", token_list_opts, argc, argv);
	if (cliutil_ca_args(&a, OPT_CA, &caname, NULL, &v, &rc) == -1)
		return rc;
	return cliutil_enroll_print(cli, caname, token_lines, NULL);
}

/* ---- ca token revoke ---- */

static cli_fn cmd_ca_token_revoke;

const struct cli_cmd cmd_ca_token_revoke_entry = {
	.name = "ca token revoke",
	.summary = "revoke an enrollment token before it is used up",
	.usage = "ca token revoke [--ca NAME] ID",
	.help =
"Revokes the token with ID (as `ca token list` shows it): from now on it\n"
"is refused (\"token ID has been revoked\"), and the attempt audited.\n"
"Certificates it gave stay valid (`ca revoke` revokes those). Prints\n"
"\"token ID revoked\".\n"
"\n"
"  --ca NAME  the CA (default \"ca\")\n",
	.opts = token_list_opts,
	.fn = cmd_ca_token_revoke,
};

static int
cmd_ca_token_revoke(struct cli *cli, int argc, char **argv)
{
	struct args a;
	struct ws ws;
	struct enroll en;
	struct err e;
	const char *v, *caname = "ca", *id = NULL;
	int r, rc = EXIT_OK;

	args_init(&a, cli, "ca token revoke", token_list_opts, argc, argv);
	if ((r = cliutil_ca_args(&a, OPT_CA, &caname, &id, &v, &rc)) == -1)
		return rc;
	if (id == NULL)
		return cli_usage("ca token revoke", "missing ID");
	err_clear(&e);
	ws_init(&ws);
	enroll_init(&en);
	if (cliutil_enroll(cli, &ws, &en, caname, &e) == -1 ||
	    enroll_token_revoke(&en, id, (int64_t)time(NULL), &e) == -1)
		rc = cli_fail(&e);
	else
		printf("token %s revoked\n", id);
	enroll_clear(&en);
	ws_clear(&ws);
	return rc;
}
