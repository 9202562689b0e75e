/* buf.c — a growable byte buffer; see buf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_clear(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_clear_secret(struct buf *b)
{
	xfree_secret(b->data, b->cap);
	buf_init(b);
}

uint8_t *
buf_reserve(struct buf *b, size_t n)
{
	size_t need, cap;
	uint8_t *p;

	if (n > SIZE_MAX - b->len - 1)
		xalloc_fail("buffer size overflow");
	need = b->len + n + 1;
	if (need > b->cap) {
		cap = b->cap < 64 ? 64 : b->cap;
		while (cap < need)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
		/* Grow by copy so a secret buffer never leaves stale copies. */
		p = xmalloc(cap);
		if (b->len > 0)
			memcpy(p, b->data, b->len);
		xfree_secret(b->data, b->cap);
		b->data = p;
		b->cap = cap;
	}
	b->data[b->len + n] = '\0';
	return b->data + b->len;
}

void
buf_append(struct buf *b, const void *p, size_t n)
{
	uint8_t *dst = buf_reserve(b, n);

	if (n > 0)
		memcpy(dst, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_putc(struct buf *b, int c)
{
	uint8_t ch = (uint8_t)c;

	buf_append(b, &ch, 1);
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

uint8_t *
buf_steal(struct buf *b, size_t *lenp)
{
	uint8_t *p;

	buf_reserve(b, 0);
	p = b->data;
	if (lenp != NULL)
		*lenp = b->len;
	buf_init(b);
	return p;
}
