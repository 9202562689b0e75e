/* childpipe.c — the line pipe from a role's child to the UI (see
 * childpipe.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/childpipe.h"
#include "util/xalloc.h"

/* Lines of at most PIPE_BUF bytes are written whole or not at all. */
void
childpipe_put(struct childpipe *c, char kind, const char *fmt, ...)
{
	char s[CHILDPIPE_LINE_MAX + 4], d[32];
	va_list ap;
	size_t n, i;
	int k;

	if (c->gone)
		return;
	s[0] = kind;
	s[1] = ' ';
	va_start(ap, fmt);
	k = vsnprintf(s + 2, sizeof s - 3, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	n = strlen(s);
	for (i = 2; i < n; i++)
		if (s[i] == '\n' || s[i] == '\r')
			s[i] = ' ';
	s[n++] = '\n';
	if (c->dropped > 0) {
		k = snprintf(d, sizeof d, "D %lu\n", c->dropped);
		if (write(c->fd, d, (size_t)k) == k)
			c->dropped = 0;
	}
	if (c->dropped == 0 && write(c->fd, s, n) == (ssize_t)n)
		return;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		c->dropped++;
	else
		c->gone = 1;	/* EPIPE: the UI is gone; PDEATHSIG follows */
}

int
childpipe_read(int fd, struct buf *in,
    void (*line)(void *ctx, char *text), void *ctx)
{
	char tmp[4096], *nl, *text;
	ssize_t r;
	size_t n;

	for (;;) {
		r = read(fd, tmp, sizeof tmp);
		if (r > 0) {
			buf_append(in, tmp, (size_t)r);
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		break;
	}
	for (;;) {
		nl = memchr(in->data, '\n', in->len);
		/* A line longer than the child writes: cut, not kept. */
		if (nl == NULL && in->len > CHILDPIPE_LINE_MAX + 4)
			nl = (char *)in->data + CHILDPIPE_LINE_MAX + 4;
		if (nl == NULL)
			break;
		n = (size_t)(nl - (char *)in->data);
		text = xstrndup((char *)in->data, n);
		if (n < in->len)
			n++;
		memmove(in->data, (char *)in->data + n, in->len - n);
		in->len -= n;
		line(ctx, text);
		free(text);
	}
	return r != 0;
}
