/* fuzzparts.h — one fuzz input read as several: parts separated by
 * FUZZPARTS_SEP (in the dictionaries, so that mutations keep and add
 * them). The targets that take a certificate and its chain, a host and a
 * time, or several CRLs use it. */
#ifndef MP_FUZZPARTS_H
#define MP_FUZZPARTS_H

#include <stddef.h>
#include <stdint.h>

#define FUZZPARTS_SEP "--8<--"

struct fuzzpart {
	const uint8_t *p;	/* into the input */
	size_t n;
};

/* Splits data at each separator into at most max parts (the last one
 * keeps the rest, separators included); returns their number (at least
 * 1). Parts past it are set empty. */
size_t fuzzparts_split(const uint8_t *data, size_t len,
    struct fuzzpart *parts, size_t max);
/* The part as a C string (malloc'd), or NULL when it is empty or holds a
 * NUL byte. */
char *fuzzparts_str(const struct fuzzpart *);

#endif
