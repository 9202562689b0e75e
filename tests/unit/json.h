/* json.h — a small bounded JSON reader for test data (Wycheproof files).
 *
 * Test-only: it builds a tree of nodes from a whole document in memory.
 * Depth, string and document sizes are bounded; strings are decoded
 * (escapes, \u with surrogate pairs to UTF-8) and NUL-terminated. */
#ifndef MP_TEST_JSON_H
#define MP_TEST_JSON_H

#include <stddef.h>

#define JSON_MAX_DEPTH 64
#define JSON_MAX_DOC (64u << 20)	/* largest document read at all */

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type type;
	char *key;		/* member name inside an object, else NULL */
	char *str;		/* JSON_STRING value; JSON_NUMBER text */
	size_t len;		/* bytes in str (a string may hold NUL) */
	double num;		/* JSON_NUMBER */
	int boolean;		/* JSON_BOOL */
	struct json *child;	/* first element or member */
	struct json *next;	/* next sibling */
	size_t count;		/* number of children */
};

/* Parses text (len bytes). Returns the root, which the caller frees with
 * json_free, or NULL with a message naming the offset in errbuf. */
struct json *json_parse(const char *text, size_t len, char *errbuf,
    size_t errlen);
void json_free(struct json *);

/* Member of an object by name; NULL when absent or j is not an object. */
const struct json *json_get(const struct json *j, const char *key);
/* The string value of a member, or NULL when absent or not a string. */
const char *json_get_str(const struct json *j, const char *key);
/* The value of a numeric member as an integer, or def when absent. */
long long json_get_int(const struct json *j, const char *key, long long def);

#endif
