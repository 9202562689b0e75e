/* b64.h — base64 (RFC 4648) for PEM bodies. */
#ifndef MP_CRYPTO_B64_H
#define MP_CRYPTO_B64_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* Appends the base64 of in to out, a newline after every 64 characters
 * (and at the end) when wrap is set. */
void b64_encode(const uint8_t *in, size_t len, int wrap, struct buf *out);
/* Appends the decoded bytes to out; whitespace is skipped, anything else
 * outside the alphabet, bad padding or a truncated group is an error
 * naming the character offset. */
int b64_decode(const char *in, size_t len, struct buf *out, struct err *);
/* As b64_decode, but the message names no place and *where gets the offset
 * in in of the fault, so that callers (pem.c) can name a line instead. */
int b64_decode_at(const char *in, size_t len, struct buf *out, size_t *where,
    struct err *);

#endif
