/* cmdsess.h — `client connect --sess-in/--sess-out`: a TLS session in a
 * file (it holds the resumption secret: written 0600, never printed). */
#ifndef MP_CLI_CMDSESS_H
#define MP_CLI_CMDSESS_H

#include "tls/tls.h"
#include "util/err.h"

/* Reads a session file written by cmdsess_save. */
int cmdsess_load(const char *path, struct tls_session *, struct err *);
/* Writes s to path, mode 0600, replacing it. */
int cmdsess_save(const char *path, const struct tls_session *,
    struct err *);

#endif
