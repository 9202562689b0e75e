/* demo.h — a ready demo lab: a root CA, a server and two clients.
 *
 * What the TUI's welcome window offers a newcomer: CA "demo-ca" (CN=minipki
 * Demo Root CA), keystore "server" with a server certificate for localhost
 * and 127.0.0.1, keystores "alice" and "bob" with "peer" certificates
 * (profile.h: TLS client and server, signed and sealed messages). All
 * keys are DEMO_BITS bits and every keystore is encrypted under the one
 * passphrase given. Built only from role/ca.h and role/entity.h, so the lab
 * is what the CLI would have made. Nothing here prints. */
#ifndef MP_ROLE_DEMO_H
#define MP_ROLE_DEMO_H

#include <stddef.h>

#include "role/entity.h"
#include "store/ws.h"
#include "util/err.h"

#define DEMO_BITS 2048
#define DEMO_CA "demo-ca"

/* The names in the order they are made: the CA first. */
extern const char *const demo_names[4];

/* Reports each stage ("key server", ...) as it starts; may be NULL. */
typedef void demo_stage_fn(void *ctx, const char *stage);

/* Makes the lab. Any existing name is ERR_REFUSED before anything is
 * written; a failure part-way leaves what was made (each piece is whole). */
int demo_create(const struct ws *, const void *pass, size_t passlen,
    void *ctx, demo_stage_fn *, struct err *);

#endif
