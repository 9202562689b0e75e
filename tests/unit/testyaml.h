/* testyaml.h — libyaml's own view of a file, for the tests that check
 * that what the store writes is YAML that reads to the same values. */
#ifndef MP_TESTYAML_H
#define MP_TESTYAML_H

#include <stddef.h>

/* One scalar value: its document (0-based) and its path of mapping keys
 * and sequence indexes ("subject", "certs.3.1", "encrypted_key.salt"). */
struct yval {
	int doc;
	char path[64];
	char *val;
};

struct yview {
	struct yval *v;
	size_t n, cap;
	int docs;	/* documents in the stream */
};

/* Loads path (which must exist) with libyaml's parser: -1, with the
 * problem printed, when libyaml refuses it. A scalar holding a NUL is a
 * test failure. y (zeroed before its first use) is emptied first;
 * yview_clear frees it. */
int yaml_view(const char *path, struct yview *y);
void yview_clear(struct yview *y);
/* The value at path in document doc, or NULL. */
const char *yget(const struct yview *y, int doc, const char *path);

#endif
