/* yamlq.h — YAML double-quoted scalars, for the lines the store writes by
 * hand (certs.yaml, certs.snap, audit.yaml). One escaping rule for all of
 * them, which libyaml reads back to the same string; the reader also takes
 * the escapes older versions wrote, and refuses a NUL. The rule and what
 * is refused: store/FORMATS.md, "Strings". */
#ifndef MP_STORE_YAMLQ_H
#define MP_STORE_YAMLQ_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/* Appends s, quotes included, to b. */
void yamlq_put(struct buf *b, const char *s);
/* Decodes the scalar v[0..n) (quotes included) onto out, NUL-terminated
 * (the NUL is not counted in out->len). On failure, ERR_INPUT with the
 * reason and no place, e.g. "bad escape \q" (the caller names the line
 * and field); out may hold part of the string. */
int yamlq_get(const char *v, size_t n, struct buf *out, struct err *);
/* Whether v[0..n) is a quoted string that needs no decoding: printable
 * ASCII only, no '"' or '\' inside (most values: the fast path). */
int yamlq_plain(const char *v, size_t n);

#endif
