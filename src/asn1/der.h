/* der.h — a bounded DER reader and a two-pass DER writer.
 *
 * Reader: a cursor {buf, pos, end} that checks what is left before every
 * byte, rejects indefinite and non-minimal lengths, lengths past the end of
 * the enclosing element, and nesting deeper than DER_MAX_DEPTH. Entering a
 * constructed element gives an inner cursor narrowed to its contents;
 * der_finish on a cursor with bytes left is an error. Every failure fills
 * the cursor's struct err (kind ERR_INPUT) with the offset in the whole
 * input: "offset 0x1a4: length runs past end of SEQUENCE".
 *
 * Only single-byte identifiers are supported (tag numbers below 31), which
 * covers every structure this project reads; a multi-byte tag is an error.
 *
 * Writer: the encoding function is run twice by der_encode: the first pass
 * measures every constructed element, the second writes into a buffer of the
 * exact size. The function must therefore make the same calls both times. */
#ifndef MP_ASN1_DER_H
#define MP_ASN1_DER_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "asn1/oid.h"
#include "util/err.h"

#define DER_MAX_DEPTH 24

#define DER_BOOLEAN		0x01
#define DER_INTEGER		0x02
#define DER_BIT_STRING		0x03
#define DER_OCTET_STRING	0x04
#define DER_NULL		0x05
#define DER_OID			0x06
#define DER_ENUMERATED		0x0a
#define DER_UTF8STRING		0x0c
#define DER_PRINTABLESTRING	0x13
#define DER_T61STRING		0x14
#define DER_IA5STRING		0x16
#define DER_UTCTIME		0x17
#define DER_GENERALIZEDTIME	0x18
#define DER_UNIVERSALSTRING	0x1c
#define DER_BMPSTRING		0x1e
#define DER_SEQUENCE		0x30
#define DER_SET			0x31
#define DER_CTX(n)		(0x80 | (n))	/* [n] IMPLICIT primitive */
#define DER_CTX_CONS(n)		(0xa0 | (n))	/* [n] constructed / EXPLICIT */

/* ---- reader ---- */

struct der {
	const uint8_t *buf;	/* the whole input, so offsets are absolute */
	size_t pos;		/* next byte to read */
	size_t end;		/* one past the last byte of this cursor */
	unsigned depth;
	struct err *err;	/* where failures go; may be NULL */
	const char *what;	/* name of the enclosing element for messages
				 * ("tbsCertificate"); NULL at the top: "input" */
};

/* One element: tag, where it starts, and its contents. */
struct der_tlv {
	unsigned tag;
	size_t off;		/* offset of the identifier byte in buf */
	size_t hdrlen;		/* identifier + length bytes */
	const uint8_t *val;	/* contents (points into buf) */
	size_t len;		/* contents length */
};

void der_init(struct der *, const uint8_t *buf, size_t len, struct err *);
/* Nonzero when the cursor has bytes left. */
int der_more(const struct der *);
/* The next identifier byte, or -1 at the end. Does not move. */
int der_peek(const struct der *);
/* Reads the next element whatever its tag. */
int der_next(struct der *, struct der_tlv *);
/* Reads the next element and fails unless its tag is tag. what names it in
 * the error ("offset 0x10: expected INTEGER (serialNumber), found 0x04"). */
int der_get(struct der *, unsigned tag, const char *what, struct der_tlv *);
/* Optional element: returns 1 and reads it when the next tag is tag, 0 when
 * the cursor is at its end or the next tag differs, -1 on a broken element. */
int der_opt(struct der *, unsigned tag, const char *what, struct der_tlv *);
/* Reads a constructed element with tag and sets inner to its contents. */
int der_enter(struct der *, unsigned tag, const char *what, struct der *inner);
/* Sets inner to the contents of an already-read tlv (for OCTET STRING
 * wrapped DER such as extension values). */
void der_sub(const struct der *outer, const struct der_tlv *, struct der *inner);
/* Fails when bytes are left: "offset 0x20: 3 bytes left over at end of WHAT". */
int der_finish(struct der *, const char *what);
/* Sets an error at the cursor's position: "offset 0x..: MESSAGE". */
int der_fail(struct der *, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Typed readers; each checks the tag and the encoding rules of its type. */
/* INTEGER as its content bytes (minimal two's complement, checked). */
int der_get_int(struct der *, const char *what, struct der_tlv *);
/* INTEGER that must be 0 <= v <= max. */
int der_get_small(struct der *, const char *what, long max, long *v);
/* Non-negative INTEGER into mpz, refusing more than maxbits bits. */
int der_get_mpz(struct der *, const char *what, unsigned maxbits, mpz_t);
int der_get_bool(struct der *, const char *what, int *v);
int der_get_null(struct der *, const char *what);
int der_get_oid(struct der *, const char *what, struct der_tlv *);
/* BIT STRING: contents after the unused-bits byte, and that count (0..7;
 * unused bits must be zero). */
int der_get_bits(struct der *, const char *what, const uint8_t **p,
    size_t *len, unsigned *unused);
/* UTCTime (YYMMDDHHMMSSZ, 50..99 -> 19xx) or GeneralizedTime
 * (YYYYMMDDHHMMSSZ), as RFC 5280 restricts them, to seconds since 1970. */
int der_get_time(struct der *, const char *what, int64_t *t);
/* Decodes a time element already read. */
int der_parse_time(struct der *, const struct der_tlv *, int64_t *t);

/* The proleptic Gregorian calendar of the time codec (H. Hinnant's
 * algorithms), for other code that turns dates into seconds and back:
 * days since 1970-01-01 of y-m-d, and the date of such a day. */
int64_t der_days_from_civil(int64_t y, unsigned m, unsigned d);
void der_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* The days of month m (1 to 12) of year y, leap years counted. */
unsigned der_days_in_month(int64_t y, unsigned m);

/* ---- writer ---- */

struct derw;
typedef void der_encode_fn(struct derw *, const void *arg);

/* Runs fn twice (measure, then write) and returns the encoding; the caller
 * frees it. Returns NULL, with err set, if fn reported a failure through
 * derw_fail (for example a value too large to encode). */
uint8_t *der_encode(der_encode_fn *fn, const void *arg, size_t *lenp,
    struct err *);

/* Opens a constructed element (SEQUENCE, SET, [n] EXPLICIT, or an OCTET
 * STRING / BIT STRING wrapper when tag is DER_OCTET_STRING / DER_BIT_STRING,
 * for which a BIT STRING gets its zero unused-bits byte). */
void derw_begin(struct derw *, unsigned tag);
void derw_end(struct derw *);
void derw_tlv(struct derw *, unsigned tag, const void *val, size_t len);
/* Already-encoded DER, copied as it is. */
void derw_raw(struct derw *, const void *der, size_t len);
/* INTEGER from an unsigned big-endian magnitude (leading zeros dropped, a
 * zero byte added when the top bit is set). */
void derw_uint(struct derw *, const uint8_t *be, size_t len);
void derw_small(struct derw *, long v);	/* INTEGER, v >= 0 */
void derw_mpz(struct derw *, const mpz_t);	/* INTEGER, non-negative */
void derw_bool(struct derw *, int);
void derw_null(struct derw *);
void derw_oid(struct derw *, enum oid_id);
void derw_bits(struct derw *, const uint8_t *p, size_t len, unsigned unused);
/* BIT STRING of named bits (bit 0 = 0x80 of the first byte), trailing zero
 * bits removed as DER requires. */
void derw_named_bits(struct derw *, uint32_t bits, unsigned nbits);
/* UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
void derw_time(struct derw *, int64_t t);
void derw_string(struct derw *, unsigned tag, const char *s);
/* Marks the encoding as failed; der_encode then returns NULL. */
void derw_fail(struct derw *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The order of SET OF members in DER (X.690 11.6): their encodings
 * compared as octet strings, the shorter padded with zero octets; <0, 0
 * or >0 as memcmp. */
int derw_set_cmp(const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen);

#endif
