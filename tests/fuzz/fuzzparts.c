/* fuzzparts.c — see fuzzparts.h. */
#include <stdlib.h>
#include <string.h>

#include "fuzzparts.h"

size_t
fuzzparts_split(const uint8_t *data, size_t len, struct fuzzpart *parts,
    size_t max)
{
	const size_t seplen = sizeof FUZZPARTS_SEP - 1;
	const uint8_t *p = data, *end = data + len, *s;
	size_t k = 0, i;

	for (i = 0; i < max; i++) {
		parts[i].p = end;
		parts[i].n = 0;
	}
	while (k + 1 < max && (s = memmem(p, (size_t)(end - p), FUZZPARTS_SEP,
	    seplen)) != NULL) {
		parts[k].p = p;
		parts[k].n = (size_t)(s - p);
		k++;
		p = s + seplen;
	}
	parts[k].p = p;
	parts[k].n = (size_t)(end - p);
	return k + 1;
}

char *
fuzzparts_str(const struct fuzzpart *part)
{
	char *s;

	if (part->n == 0 || memchr(part->p, '\0', part->n) != NULL)
		return NULL;
	if ((s = malloc(part->n + 1)) == NULL)
		abort();
	memcpy(s, part->p, part->n);
	s[part->n] = '\0';
	return s;
}
