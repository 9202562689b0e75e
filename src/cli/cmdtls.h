/* cmdtls.h — what `server run` and `client connect` share: the entity
 * whose certificate and key a TLS role presents, the --crl files and
 * SSLKEYLOGFILE. */
#ifndef MP_CLI_CMDTLS_H
#define MP_CLI_CMDTLS_H

#include <stddef.h>
#include <stdio.h>

#include "cli/cli.h"
#include "crypto/rsakey.h"
#include "store/keystore.h"
#include "store/ws.h"
#include "tls/tls.h"
#include "util/err.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/pkey.h"

#define CMDTLS_MAX_CRLS 16

/* An unlocked entity: its certificate chain (leaf first) and key. */
struct cmdtls_entity {
	struct ws ws;
	struct keystore ks;
	struct pkey key;	/* RSA or P-256 */
	struct cert_list chain;
};

void cmdtls_entity_init(struct cmdtls_entity *);
void cmdtls_entity_clear(struct cmdtls_entity *);
/* Opens the workspace of --dir, asks for keystore NAME's passphrase,
 * unlocks it and loads its certificate chain. An unknown NAME is
 * ERR_USAGE, an entity without a certificate ERR_REFUSED. */
int cmdtls_entity_load(const struct cli *, const char *name,
    struct cmdtls_entity *, struct err *);

/* The --crl files of a command, loaded. */
struct cmdtls_crls {
	const char *files[CMDTLS_MAX_CRLS];
	struct crl crls[CMDTLS_MAX_CRLS];
	const struct crl *ptrs[CMDTLS_MAX_CRLS];
	size_t n;
};

void cmdtls_crls_init(struct cmdtls_crls *);
void cmdtls_crls_clear(struct cmdtls_crls *);
/* Notes one --crl FILE of command cmd; beyond CMDTLS_MAX_CRLS prints the
 * usage error and returns EXIT_USAGE, else 0. */
int cmdtls_crls_add(struct cmdtls_crls *, const char *cmd, const char *file);
/* Loads the files and points cfg's crls, crl_names and ncrls at them. */
int cmdtls_crls_load(struct cmdtls_crls *, struct tls_config *,
    struct err *);

/* SSLKEYLOGFILE, appended to, created 0600, never through a symlink, with
 * a note on stderr. NULL with e untouched when the variable is unset or
 * empty; NULL with ERR_IO when it cannot be opened. */
FILE *cmdtls_keylog_open(struct err *);
/* A tls_config.keylog callback: writes the line to the FILE * ctx. */
void cmdtls_keylog_write(void *ctx, const char *line);

#endif
