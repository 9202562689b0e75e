/* cliutil-est.h — the options `client enroll` and `server register` share:
 * the CA service, the trust in its CA, the token, the subject and names
 * asked, --wait and --timeout; scanned, checked and turned into the EST
 * enrollment's configuration in one place. */
#ifndef MP_CLI_CLIUTIL_EST_H
#define MP_CLI_CLIUTIL_EST_H

#include <stdint.h>

#include "cli/args.h"
#include "net/dialwait.h"
#include "role/estclient.h"
#include "x509/dn.h"

#define CLIUTIL_EST_STEP 10	/* seconds for each step */
#define CLIUTIL_EST_WAIT 300	/* --wait without --timeout */

enum {
	CLIUTIL_EST_CA = 1, CLIUTIL_EST_FP, CLIUTIL_EST_ANCHOR,
	CLIUTIL_EST_TOKEN, CLIUTIL_EST_SUBJECT, CLIUTIL_EST_SAN,
	CLIUTIL_EST_WAIT_OPT, CLIUTIL_EST_TIMEOUT,
	CLIUTIL_EST_OWN		/* the first id of a command's own options */
};

/* The shared entries of a command's args_opt table. */
#define CLIUTIL_EST_OPTS \
	{ .id = CLIUTIL_EST_CA, .name = "ca", .has_value = 1 }, \
	{ .id = CLIUTIL_EST_FP, .name = "ca-fingerprint", .has_value = 1 }, \
	{ .id = CLIUTIL_EST_ANCHOR, .name = "anchor", .has_value = 1 }, \
	{ .id = CLIUTIL_EST_TOKEN, .name = "token", .has_value = 1 }, \
	{ .id = CLIUTIL_EST_SUBJECT, .name = "subject", .has_value = 1 }, \
	{ .id = CLIUTIL_EST_SAN, .name = "san", .has_value = 1 }, \
	{ .id = CLIUTIL_EST_WAIT_OPT, .name = "wait", .has_value = 0 }, \
	{ .id = CLIUTIL_EST_TIMEOUT, .name = "timeout", .has_value = 1 }

/* A command's own option: 0, or -1 after a usage error was printed. */
typedef int cliutil_est_own_fn(struct args *, int id, const char *value,
    void *ctx);

struct cliutil_est {
	const char *cmd;	/* "client enroll": usage messages name it */
	const char *name;	/* NAME */
	const char *addr, *fptext, *anchor, *token, *subj, *santext;
	long count;		/* client enroll --count; 0: one NAME */
	long timeout;
	int wait;
	int timeout_set;
	/* Each step at most CLIUTIL_EST_STEP seconds also without --wait
	 * (server register); else only with it. */
	int short_steps;
	uint8_t fpbin[ESTCLIENT_FP_SIZE];
	struct estclient_target t;
};

/* Sets o for command cmd: nothing given, --timeout CLIUTIL_EST_STEP. A
 * default for santext may be set after. */
void cliutil_est_init(struct cliutil_est *, const char *cmd);
/* Scans the arguments: NAME and the shared options into o, a command's own
 * (ids from CLIUTIL_EST_OWN) to own. Then checks them: NAME, --ca and
 * --ca-fingerprint or --anchor given, --subject not with --count, the
 * fingerprint and the address read (an address over TLS). Returns -1 when
 * the command ends here, with *status EXIT_OK (--help) or EXIT_USAGE (the
 * usage error printed). */
int cliutil_est_args(struct args *, struct cliutil_est *,
    cliutil_est_own_fn *own, void *ctx, int *status);
/* Fills what of conf the options say (the caller sets bits, type and
 * zeroes conf first): the target, the wait for the service (dw) and each
 * step's time, the trust (anchors, loaded by the caller when o->anchor),
 * the token, --wait; the progress lines go to standard error. */
void cliutil_est_conf(struct cliutil_est *, struct estclient_enroll_conf *,
    struct dialwait *dw, const struct cert_list *anchors);
/* Parses --san and --subject (those given) into san and subject; EXIT_USAGE
 * after printing "--san: ..." or "--subject: ...", else 0. */
int cliutil_est_names(const struct cliutil_est *, struct dn *subject,
    struct san_list *san);
/* Says that name's request is pending: "NAME: pending (retry after N s)"
 * on standard output, e's reason on standard error. */
void cliutil_est_pending(const char *name, const struct estclient_issued *,
    const struct err *);

#endif
