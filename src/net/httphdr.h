/* httphdr.h — header lines as libhttp-parser hands them over (a name and
 * a value, each in pieces), for the request engine (http.c) and the
 * response reader (httpcli.c): lines counted, each line's length bounded,
 * the headers kept (a table of lower-case names) collected, each at most
 * once. */
#ifndef MP_NET_HTTPHDR_H
#define MP_NET_HTTPHDR_H

#include <stddef.h>

#include "util/buf.h"

#define HTTPHDR_MAX_KEPT 8

enum httphdr_fault {
	HTTPHDR_OK = 0,
	HTTPHDR_TOO_MANY,	/* more than max_headers lines */
	HTTPHDR_TOO_LONG,	/* a line (name + value) over max_line */
	HTTPHDR_TWICE,		/* a kept header again: names[cur] */
};

struct httphdr {
	const char *const *names;	/* kept headers, lower case */
	int count;			/* at most HTTPHDR_MAX_KEPT */
	size_t max_headers, max_line;
	size_t n;			/* lines so far */
	size_t line_len;		/* name + value of the current line */
	int in_value;			/* the last piece was a value */
	int cur;			/* kept header being read, or -1 */
	char name[32];			/* current name (a prefix) */
	size_t name_len;
	struct buf hv[HTTPHDR_MAX_KEPT];	/* their values */
	int seen[HTTPHDR_MAX_KEPT];
};

void httphdr_init(struct httphdr *, const char *const *names, int count,
    size_t max_headers, size_t max_line);
/* For the next head; the values are wiped (one may hold a password). */
void httphdr_reset(struct httphdr *);
void httphdr_clear(struct httphdr *);
/* A piece of a name, or of a value. */
enum httphdr_fault httphdr_field(struct httphdr *, const char *at, size_t n);
enum httphdr_fault httphdr_value(struct httphdr *, const char *at, size_t n);
/* Once the head is read: kept header i's value, the blanks libhttp-parser
 * leaves at its end (folded lines) removed, NUL-terminated; NULL when
 * absent. Lives until httphdr_reset. */
const char *httphdr_get(struct httphdr *, int i);

#endif
