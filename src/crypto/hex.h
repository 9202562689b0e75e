/* hex.h — base16: the one hex codec (lower-case out, either case in).
 *
 * Encoding is Nettle's base16; decoding is our own because Nettle's
 * decoder skips whitespace, and every hex field we read (keystore salts,
 * checksums, serials) must be exactly its digits. */
#ifndef MP_CRYPTO_HEX_H
#define MP_CRYPTO_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* The value of hex digit c (either case), or -1. */
int hex_digit(int c);
/* Writes the 2 * n lower-case digits of in and a NUL to out. */
void hex_encode(const uint8_t *in, size_t n, char *out);
/* Appends the 2 * n lower-case digits of in to b. */
void hex_put(struct buf *b, const uint8_t *in, size_t n);
/* Decodes exactly n bytes from the len digits at s; -1 on any other
 * length or a character that is not a hex digit. */
int hex_decode(const char *s, size_t len, uint8_t *out, size_t n);
/* A serial number (an INTEGER's content bytes) as the CA database and
 * `ca list` write it: lower-case hex with no leading zero bytes (one zero
 * byte stays for zero). Truncated to fit outlen, which 2 * n + 1 always
 * does; out is always terminated when outlen > 0. */
void hex_serial(const uint8_t *s, size_t n, char *out, size_t outlen);

#endif
