/* cliutil-tls.h — the TLS material `client connect` and `server run` hold
 * while they run: trust anchors, the --crl files, the entity presented
 * and the SSLKEYLOGFILE, loaded in one order and cleared in one place. */
#ifndef MP_CLI_CLIUTIL_TLS_H
#define MP_CLI_CLIUTIL_TLS_H

#include <stdio.h>

#include "cli/cli.h"
#include "cli/cmdtls.h"
#include "tls/tls.h"
#include "util/err.h"
#include "x509/cert.h"

struct cliutil_tls {
	struct cmdtls_entity en;
	struct cert_list anchors;
	FILE *keylog;		/* SSLKEYLOGFILE; NULL: none */
};

void cliutil_tls_init(struct cliutil_tls *);
/* Loads the anchors of ca (none when NULL), the --crl files of crls, the
 * entity name (none when NULL) and opens SSLKEYLOGFILE, in that order,
 * stopping at the first failure; points cfg's anchors, CRLs, chain and key
 * at them. Wiring keylog is the caller's (a client's is in cfg, a
 * server's in its server_conf). */
int cliutil_tls_load(struct cliutil_tls *, const struct cli *,
    const char *name, const char *ca, struct cmdtls_crls *crls,
    struct tls_config *cfg, struct err *);
/* Closes the key log, frees the anchors, wipes the entity's key. */
void cliutil_tls_clear(struct cliutil_tls *);

#endif
