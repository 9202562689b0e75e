/* rd.h — a bounded reader for TLS wire structures.
 *
 * Every read checks what is left; a read past the end sets bad and returns
 * zeros / NULL, so a parser reads a whole structure and checks bad (and
 * rd_done) once. Vectors (<0..2^8-1> etc.) open a sub-reader limited to
 * their length. */
#ifndef MP_TLS_RD_H
#define MP_TLS_RD_H

#include <stddef.h>
#include <stdint.h>

struct rd {
	const uint8_t *p;
	size_t len, pos;
	int bad;
};

void rd_init(struct rd *, const uint8_t *p, size_t len);
unsigned rd_u8(struct rd *);
unsigned rd_u16(struct rd *);
uint32_t rd_u24(struct rd *);
/* n bytes, or NULL (and bad) when fewer are left. */
const uint8_t *rd_bytes(struct rd *, size_t n);
/* A vector whose length is lenbytes (1, 2 or 3) bytes long: sub gets its
 * contents. */
void rd_vec(struct rd *, int lenbytes, struct rd *sub);
size_t rd_left(const struct rd *);
/* Nonzero when nothing was bad and everything was read. */
int rd_done(const struct rd *);

/* Writing: big-endian integers and vectors with a length filled in later. */
#include "util/buf.h"
void wr_u8(struct buf *, unsigned);
void wr_u16(struct buf *, unsigned);
void wr_u24(struct buf *, uint32_t);
/* Opens a vector with a lenbytes-byte length; returns its mark for wr_end. */
size_t wr_begin(struct buf *, int lenbytes);
void wr_end(struct buf *, size_t mark, int lenbytes);

#endif
