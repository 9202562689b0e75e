/* b64.c — strict base64 (RFC 4648, standard alphabet); see b64.h. */
#include <string.h>

#include "crypto/b64.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
b64_encode(const uint8_t *in, size_t len, int wrap, struct buf *out)
{
	char q[4];
	size_t i, col = 0;
	uint32_t v = 0;

	for (i = 0; i < len; i += 3) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		q[0] = b64_alphabet[v >> 18];
		q[1] = b64_alphabet[(v >> 12) & 0x3f];
		q[2] = i + 1 < len ? b64_alphabet[(v >> 6) & 0x3f] : '=';
		q[3] = i + 2 < len ? b64_alphabet[v & 0x3f] : '=';
		buf_append(out, q, 4);
		col += 4;
		if (wrap && col == 64) {
			buf_putc(out, '\n');
			col = 0;
		}
	}
	if (wrap && col > 0)
		buf_putc(out, '\n');
	/* The input may be a key. */
	explicit_bzero(q, sizeof q);
	explicit_bzero(&v, sizeof v);
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Bits in flight; kept by the caller of b64_run so that they are wiped
 * whatever way it returns (PEM bodies may hold keys). */
struct b64_state {
	uint32_t v;
	uint8_t b[3];
};

static int
b64_run(const char *in, size_t len, struct buf *out, size_t *where,
    struct err *e, struct b64_state *st)
{
	size_t i, n = 0, pad = 0, last = 0;
	int c;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)in[i];

		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			continue;
		last = i;
		*where = i;
		if (ch == '=') {
			/* Padding only as the 3rd/4th character of a group. */
			if (n < 2)
				return err_set(e, ERR_INPUT,
				    "bad base64 padding");
			pad++;
			n++;
			st->v <<= 6;
		} else {
			if ((c = b64_value(ch)) == -1)
				return err_set(e, ERR_INPUT,
				    "invalid base64 character 0x%02x", ch);
			if (pad > 0)	/* data after '=' */
				return err_set(e, ERR_INPUT,
				    "bad base64 padding");
			st->v = (st->v << 6) | (uint32_t)c;
			n++;
		}
		if (n == 4) {
			st->b[0] = (uint8_t)(st->v >> 16);
			st->b[1] = (uint8_t)(st->v >> 8);
			st->b[2] = (uint8_t)st->v;
			/* Canonical only: the bits the padding drops must be
			 * zero. */
			if ((pad == 1 && st->b[2] != 0) ||
			    (pad == 2 && (st->b[1] != 0 || st->b[2] != 0)))
				return err_set(e, ERR_INPUT,
				    "bad base64 padding");
			buf_append(out, st->b, 3 - pad);
			if (pad > 0)
				pad = 3;	/* closed: nothing may follow */
			n = 0;
			st->v = 0;
		}
	}
	if (n != 0) {
		*where = pad > 0 ? last : last + 1;
		return err_set(e, ERR_INPUT, pad > 0 ? "bad base64 padding" :
		    "truncated base64");
	}
	return 0;
}

int
b64_decode_at(const char *in, size_t len, struct buf *out, size_t *where,
    struct err *e)
{
	struct b64_state st = { 0, { 0, 0, 0 } };
	int rc;

	rc = b64_run(in, len, out, where, e, &st);
	explicit_bzero(&st, sizeof st);
	return rc;
}

int
b64_decode(const char *in, size_t len, struct buf *out, struct err *e)
{
	size_t where = 0;

	if (b64_decode_at(in, len, out, &where, e) == -1)
		return err_wrap(e, "offset %zu", where);
	return 0;
}
