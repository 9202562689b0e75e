/* buf.h — a growable byte buffer.
 *
 * The buffer owns data; buf_clear frees it (buf_clear_secret wipes first).
 * data is always NUL-terminated past len so text can be used as a C string. */
#ifndef MP_UTIL_BUF_H
#define MP_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *);
void buf_clear(struct buf *);
void buf_clear_secret(struct buf *);
/* Makes room for n more bytes and returns a pointer to them (len unchanged). */
uint8_t *buf_reserve(struct buf *, size_t n);
void buf_append(struct buf *, const void *, size_t);
void buf_putc(struct buf *, int);
void buf_puts(struct buf *, const char *);
void buf_printf(struct buf *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Moves the contents out: the caller frees the returned pointer. */
uint8_t *buf_steal(struct buf *, size_t *lenp);

#endif
