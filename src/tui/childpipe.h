/* childpipe.h — the line pipe from a role's child process (tui/rolechild.h:
 * the CA service's, the Server window's, the Inbox's listener's) to the
 * UI: "K text\n" lines, K one letter; the child never blocks on it (a
 * full pipe drops lines, counted and reported as "D N"), the UI reads
 * whole lines, cut at CHILDPIPE_LINE_MAX. */
#ifndef MP_TUI_CHILDPIPE_H
#define MP_TUI_CHILDPIPE_H

#include <stddef.h>

#include "util/buf.h"

#define CHILDPIPE_LINE_MAX 1000	/* longest line through the pipe */

/* The child's end. */
struct childpipe {
	int fd;			/* non-blocking */
	unsigned long dropped;	/* lines a full pipe dropped, not yet said */
	int gone;		/* the UI has closed its end */
};

/* One line into the pipe, never blocking; newlines in it become spaces. */
void childpipe_put(struct childpipe *, char kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The UI's end: reads what fd has into in and hands each whole line to
 * line(ctx, text). Returns 0 once the child has closed its end (EOF),
 * else 1. */
int childpipe_read(int fd, struct buf *in,
    void (*line)(void *ctx, char *text), void *ctx);

#endif
