/* hex.c — base16; see hex.h. */
#include <nettle/base16.h>
#include <string.h>

#include "crypto/hex.h"

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
hex_encode(const uint8_t *in, size_t n, char *out)
{
	base16_encode_update(out, n, in);
	out[2 * n] = '\0';
}

void
hex_put(struct buf *b, const uint8_t *in, size_t n)
{
	char *p = (char *)buf_reserve(b, BASE16_ENCODE_LENGTH(n));

	base16_encode_update(p, n, in);
	b->len += BASE16_ENCODE_LENGTH(n);
	b->data[b->len] = '\0';
}

int
hex_decode(const char *s, size_t len, uint8_t *out, size_t n)
{
	size_t i;
	int hi, lo;

	if (len != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if ((hi = hex_digit(s[2 * i])) < 0 ||
		    (lo = hex_digit(s[2 * i + 1])) < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void
hex_serial(const uint8_t *s, size_t n, char *out, size_t outlen)
{
	size_t i;

	if (outlen == 0)
		return;
	while (n > 1 && s[0] == 0) {
		s++;
		n--;
	}
	for (i = 0; i < n && 2 * i + 2 < outlen; i++)
		base16_encode_single(out + 2 * i, s[i]);
	out[2 * i] = '\0';
}
