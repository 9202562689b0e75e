/* yamlr.h — a bounded YAML reader: one document into a small tree.
 *
 * libyaml's event parser underneath. The limits keep hostile files cheap:
 * nesting depth, node count and scalar length are capped, aliases are
 * refused (no "billion laughs"), duplicate mapping keys are refused, and
 * a stream with more than one document is an error. Scalars are strings;
 * every node remembers its line (1-based) for error messages. */
#ifndef MP_STORE_YAMLR_H
#define MP_STORE_YAMLR_H

#include <stddef.h>

#include "util/err.h"

enum yamlr_kind {
	YAMLR_SCALAR,
	YAMLR_MAP,	/* kids: key, value, key, value, ... */
	YAMLR_SEQ,
};

struct yamlr_node {
	enum yamlr_kind kind;
	unsigned long line;
	char *str;		/* scalar text, NUL-terminated */
	size_t len;
	struct yamlr_node **kids;
	size_t nkids;
};

struct yamlr_limits {
	size_t max_scalar;	/* longest scalar, in bytes */
	size_t max_nodes;
	unsigned max_depth;
};

struct yamlr_doc {
	struct yamlr_node *root;	/* NULL for an empty stream */
	size_t nodes;
};

void yamlr_init(struct yamlr_doc *);
void yamlr_clear(struct yamlr_doc *);
/* Parses data; errors are ERR_INPUT "line N: ..." (the caller prefixes
 * the file name with err_wrap). */
int yamlr_parse(struct yamlr_doc *, const void *data, size_t len,
    const struct yamlr_limits *, struct err *);
/* The value of key in a mapping, NULL when absent or map is not a map. */
const struct yamlr_node *yamlr_get(const struct yamlr_node *map,
    const char *key);

#endif
