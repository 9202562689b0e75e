/* yamlw.h — emitting one YAML document with libyaml into a buffer.
 *
 * The calls mirror the document's shape: yamlw_begin, then key/value
 * pairs, yamlw_map/yamlw_end for nested mappings, then yamlw_finish.
 * Errors stick: after the first failure every call does nothing and
 * yamlw_finish reports it. Text that is not valid UTF-8 is repaired (each
 * bad byte becomes U+FFFD) rather than refused, since subjects come from
 * requests made by others. */
#ifndef MP_STORE_YAMLW_H
#define MP_STORE_YAMLW_H

#include <stddef.h>

#include <yaml.h>

#include "util/buf.h"
#include "util/err.h"

struct yamlw {
	yaml_emitter_t em;
	struct buf *out;
	int failed;
};

/* Starts a document in out (appended); comment, when not NULL, is written
 * first as "# comment" lines. */
void yamlw_begin(struct yamlw *, struct buf *out, const char *comment);
/* A key whose value is a plain or quoted string (libyaml chooses). */
void yamlw_str(struct yamlw *, const char *key, const char *value);
void yamlw_uint(struct yamlw *, const char *key, unsigned long long v);
/* A key whose value is a literal block ("|"), for PEM text. */
void yamlw_block(struct yamlw *, const char *key, const char *text);
/* A key whose value is a nested mapping, closed by yamlw_end. */
void yamlw_map(struct yamlw *, const char *key);
void yamlw_end(struct yamlw *);
/* Closes the document; -1 (ERR_INPUT) if anything failed. Frees the
 * emitter either way. */
int yamlw_finish(struct yamlw *, struct err *);

/* The length (1..4) of the valid, shortest-form UTF-8 sequence for a
 * scalar value (no surrogates, at most U+10FFFF) that starts at p, and its
 * code point in *cp; 0 when p does not start one. */
size_t yamlw_utf8_char(const unsigned char *p, size_t n, unsigned long *cp);
/* Appends s to out with every byte that is not part of valid UTF-8
 * replaced by U+FFFD. */
void yamlw_utf8_repair(const char *s, size_t len, struct buf *out);

#endif
