/* rd.c — bounded reader and vector writer for TLS structures; see rd.h. */
#include <string.h>

#include "tls/rd.h"

void
rd_init(struct rd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->pos = 0;
	r->bad = 0;
}

const uint8_t *
rd_bytes(struct rd *r, size_t n)
{
	const uint8_t *q;

	if (r->bad || n > r->len - r->pos) {
		r->bad = 1;
		return NULL;
	}
	q = r->p + r->pos;
	r->pos += n;
	return q;
}

unsigned
rd_u8(struct rd *r)
{
	const uint8_t *q = rd_bytes(r, 1);

	return q != NULL ? q[0] : 0;
}

unsigned
rd_u16(struct rd *r)
{
	const uint8_t *q = rd_bytes(r, 2);

	return q != NULL ? (unsigned)q[0] << 8 | q[1] : 0;
}

uint32_t
rd_u24(struct rd *r)
{
	const uint8_t *q = rd_bytes(r, 3);

	return q != NULL ? (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2] : 0;
}

void
rd_vec(struct rd *r, int lenbytes, struct rd *sub)
{
	size_t n = lenbytes == 1 ? rd_u8(r) : lenbytes == 2 ? rd_u16(r) :
	    rd_u24(r);
	const uint8_t *q = rd_bytes(r, n);

	rd_init(sub, q, q != NULL ? n : 0);
	sub->bad = r->bad;
}

size_t
rd_left(const struct rd *r)
{
	return r->bad ? 0 : r->len - r->pos;
}

int
rd_done(const struct rd *r)
{
	return !r->bad && r->pos == r->len;
}

void
wr_u8(struct buf *b, unsigned v)
{
	buf_putc(b, (int)(v & 0xff));
}

void
wr_u16(struct buf *b, unsigned v)
{
	wr_u8(b, v >> 8);
	wr_u8(b, v);
}

void
wr_u24(struct buf *b, uint32_t v)
{
	wr_u8(b, v >> 16);
	wr_u8(b, v >> 8);
	wr_u8(b, v);
}

size_t
wr_begin(struct buf *b, int lenbytes)
{
	size_t mark = b->len;

	while (lenbytes-- > 0)
		wr_u8(b, 0);
	return mark;
}

void
wr_end(struct buf *b, size_t mark, int lenbytes)
{
	size_t n = b->len - mark - (size_t)lenbytes;
	int i;

	for (i = lenbytes - 1; i >= 0; i--) {
		b->data[mark + (size_t)i] = (uint8_t)(n & 0xff);
		n >>= 8;
	}
}
