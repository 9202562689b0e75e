/* yamlq.h — YAML double-quoted scalars, for the lines the store writes by
 * hand (certs.yaml, certs.snap, audit.yaml; store/FORMATS.md).
 *
 * One escaping rule, which libyaml reads back to the same string: '"' and
 * '\' are escaped with a backslash; a character that YAML does not let
 * stand in a double-quoted scalar (controls, DEL, C1, the line breaks
 * U+2028 and U+2029, the BOM, U+FFFE and U+FFFF) is written \xNN up to
 * U+00FF and \uNNNN above; every other character is written as its UTF-8
 * bytes. A byte that is not part of valid UTF-8 becomes U+FFFD (as yamlw
 * does: subjects come from requests made by others).
 *
 * The reader takes what the writer writes and also what older versions
 * wrote: \uNNNN for any character (audit.yaml), either case of hex
 * digits. It refuses what cannot be a C string or was not written by us:
 * a NUL (\x00, \u0000), a surrogate, an unknown escape, a character that
 * must be escaped but is not, bytes that are not UTF-8. */
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
