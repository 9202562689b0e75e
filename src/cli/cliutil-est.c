/* cliutil-est.c — the options `client enroll` and `server register`
 * share; see cliutil-est.h. */
#include <stdio.h>
#include <string.h>

#include "cli/cliutil-est.h"
#include "cli/cliutil-wait.h"

void
cliutil_est_init(struct cliutil_est *o, const char *cmd)
{
	memset(o, 0, sizeof *o);
	o->cmd = cmd;
	o->timeout = CLIUTIL_EST_STEP;
}

/* One option of the shared ones, or the command's own: 0, or -1 after a
 * usage error. */
static int
cliutil_est_opt(struct args *a, struct cliutil_est *o, int id, const char *v,
    cliutil_est_own_fn *own, void *ctx)
{
	switch (id) {
	case CLIUTIL_EST_CA:
		o->addr = v;
		break;
	case CLIUTIL_EST_FP:
		o->fptext = v;
		break;
	case CLIUTIL_EST_ANCHOR:
		o->anchor = v;
		break;
	case CLIUTIL_EST_TOKEN:
		o->token = v;
		break;
	case CLIUTIL_EST_SUBJECT:
		o->subj = v;
		break;
	case CLIUTIL_EST_SAN:
		o->santext = v;
		break;
	case CLIUTIL_EST_WAIT_OPT:
		o->wait = 1;
		break;
	case CLIUTIL_EST_TIMEOUT:
		if (args_number(a, "timeout", v, 0, 86400, &o->timeout) == -1)
			return -1;
		o->timeout_set = 1;
		break;
	default:
		return own != NULL ? own(a, id, v, ctx) : 0;
	}
	return 0;
}

/* The checks after the scan; EXIT_USAGE after printing, else 0. */
static int
cliutil_est_check(struct cliutil_est *o)
{
	struct err e;

	if (o->name == NULL)
		return cli_usage(o->cmd, "missing NAME");
	if (o->addr == NULL)
		return cli_usage(o->cmd, "missing --ca ADDR (the CA service)");
	if (o->fptext == NULL && o->anchor == NULL)
		return cli_usage(o->cmd, "missing --ca-fingerprint "
		    "SHA256:HEX or --anchor FILE: without one the CA "
		    "certificate the service sends cannot be trusted");
	if (o->count > 0 && o->subj != NULL)
		return cli_usage(o->cmd, "--subject with --count: each "
		    "entity's subject is CN=NAME-i");
	if (o->fptext != NULL && estclient_fp_parse(o->fptext, o->fpbin,
	    &e) == -1)
		return cli_usage(o->cmd, "--ca-fingerprint: %s", e.msg);
	if (estclient_target_parse(&o->t, o->addr, &e) == -1)
		return cli_usage(o->cmd, "%s", e.msg);
	if (!o->t.tls)
		return cli_usage(o->cmd, "%s: EST runs over TLS: give "
		    "unix:PATH or tcp:HOST:PORT", o->addr);
	if (o->wait && !o->timeout_set)
		o->timeout = CLIUTIL_EST_WAIT;
	return 0;
}

int
cliutil_est_args(struct args *a, struct cliutil_est *o,
    cliutil_est_own_fn *own, void *ctx, int *status)
{
	const char *v;
	int r;

	while ((r = args_next(a, &v)) != ARGS_END) {
		switch (r) {
		case ARGS_HELP:
			*status = EXIT_OK;
			return -1;
		case ARGS_ERROR:
			*status = EXIT_USAGE;
			return -1;
		case ARGS_OPERAND:
			if (args_operand(a, &o->name, v) == -1) {
				*status = EXIT_USAGE;
				return -1;
			}
			break;
		default:
			if (cliutil_est_opt(a, o, r, v, own, ctx) == -1) {
				*status = EXIT_USAGE;
				return -1;
			}
		}
	}
	if ((*status = cliutil_est_check(o)) != 0)
		return -1;
	return 0;
}

static void
cliutil_est_progress(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

void
cliutil_est_conf(struct cliutil_est *o, struct estclient_enroll_conf *conf,
    struct dialwait *dw, const struct cert_list *anchors)
{
	int step;

	conf->target = &o->t;
	/* --timeout 0: wait for the service forever, 10 s per step; with
	 * --wait, --timeout is the whole wait and each step keeps 10 s. */
	step = cliutil_wait(dw, o->timeout, "the CA service");
	conf->timeout = (o->wait || o->short_steps) && step > CLIUTIL_EST_STEP ?
	    CLIUTIL_EST_STEP : step;
	conf->dial = dw;
	conf->anchors = o->anchor != NULL ? anchors : NULL;
	conf->fingerprint = o->fptext != NULL ? o->fpbin : NULL;
	conf->token = o->token;
	conf->wait = o->wait;
	conf->wait_s = o->timeout > 0 ? (int)o->timeout : 366 * 86400;
	conf->progress = cliutil_est_progress;
}

int
cliutil_est_names(const struct cliutil_est *o, struct dn *subject,
    struct san_list *san)
{
	struct err e;

	if (o->santext != NULL && san_parse_list(san, o->santext, &e) == -1)
		return cli_usage(o->cmd, "--san: %s", e.msg);
	if (o->subj != NULL && dn_from_string(subject, o->subj, &e) == -1)
		return cli_usage(o->cmd, "--subject: %s", e.msg);
	return 0;
}

void
cliutil_est_pending(const char *name, const struct estclient_issued *got,
    const struct err *e)
{
	printf("%s: pending (retry after %ld s)\n", name, got->retry_after);
	fflush(stdout);
	fprintf(stderr, CLI_PROG ": %s\n", e->msg);
}
