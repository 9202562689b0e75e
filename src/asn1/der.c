/* der.c — bounded DER reader and two-pass DER writer; see der.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "util/xalloc.h"

/* Lengths above this are refused even where size_t could hold them. */
#define DER_MAX_LEN 0x80000000u

static const struct {
	unsigned tag;
	const char *name;
} der_tag_names[] = {
	{ DER_BOOLEAN, "BOOLEAN" },
	{ DER_INTEGER, "INTEGER" },
	{ DER_BIT_STRING, "BIT STRING" },
	{ DER_OCTET_STRING, "OCTET STRING" },
	{ DER_NULL, "NULL" },
	{ DER_OID, "OBJECT IDENTIFIER" },
	{ DER_ENUMERATED, "ENUMERATED" },
	{ DER_UTF8STRING, "UTF8String" },
	{ DER_PRINTABLESTRING, "PrintableString" },
	{ DER_T61STRING, "T61String" },
	{ DER_IA5STRING, "IA5String" },
	{ DER_UTCTIME, "UTCTime" },
	{ DER_GENERALIZEDTIME, "GeneralizedTime" },
	{ DER_UNIVERSALSTRING, "UniversalString" },
	{ DER_BMPSTRING, "BMPString" },
	{ DER_SEQUENCE, "SEQUENCE" },
	{ DER_SET, "SET" },
};

/* The name of a tag for messages; context tags share a small static pool. */
static const char *
der_tag_name(unsigned tag)
{
	static const char *ctx[] = { "[0]", "[1]", "[2]", "[3]", "[4]", "[5]",
	    "[6]", "[7]", "[8]", "[9]" };
	size_t i;

	for (i = 0; i < sizeof der_tag_names / sizeof der_tag_names[0]; i++)
		if (der_tag_names[i].tag == tag)
			return der_tag_names[i].name;
	if ((tag & 0xc0) == 0x80 && (tag & 0x1f) < 10)
		return ctx[tag & 0x1f];
	return "element";
}

static const char *
der_what(const struct der *d)
{
	return d->what != NULL ? d->what : "input";
}

/* ---- reader ---- */

void
der_init(struct der *d, const uint8_t *buf, size_t len, struct err *e)
{
	d->buf = buf;
	d->pos = 0;
	d->end = len;
	d->depth = 0;
	d->err = e;
	d->what = NULL;
}

int
der_more(const struct der *d)
{
	return d->pos < d->end;
}

int
der_peek(const struct der *d)
{
	return d->pos < d->end ? d->buf[d->pos] : -1;
}

int
der_fail(struct der *d, size_t off, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(d->err, ERR_INPUT, "offset 0x%zx: %s", off, msg);
}

/* Reads identifier and length at d->pos without moving; fills tlv. */
static int
der_header(struct der *d, struct der_tlv *t)
{
	size_t off = d->pos, p = d->pos, len, left, n, i;
	uint8_t b;

	if (p >= d->end)
		return der_fail(d, off, "unexpected end of %s", der_what(d));
	b = d->buf[p++];
	if ((b & 0x1f) == 0x1f)
		return der_fail(d, off, "multi-byte tag not supported");
	t->tag = b;
	t->off = off;
	if (p >= d->end)
		return der_fail(d, off, "length runs past end of %s",
		    der_what(d));
	b = d->buf[p++];
	if (b < 0x80)
		len = b;
	else if (b == 0x80)
		return der_fail(d, off, "indefinite length");
	else if (b > 0x84)
		return der_fail(d, off, "length too large");
	else {
		n = b & 0x7f;
		if (n > d->end - p)
			return der_fail(d, off, "length runs past end of %s",
			    der_what(d));
		if (d->buf[p] == 0)
			return der_fail(d, off, "non-minimal length");
		len = 0;
		for (i = 0; i < n; i++)
			len = (len << 8) | d->buf[p++];
		if (len < 0x80)
			return der_fail(d, off, "non-minimal length");
		if (len > DER_MAX_LEN)
			return der_fail(d, off, "length too large");
	}
	left = d->end - p;
	if (len > left)
		return der_fail(d, off, "length runs past end of %s",
		    der_what(d));
	t->hdrlen = p - off;
	t->val = d->buf + p;
	t->len = len;
	return 0;
}

int
der_next(struct der *d, struct der_tlv *t)
{
	if (der_header(d, t) == -1)
		return -1;
	d->pos = t->off + t->hdrlen + t->len;
	return 0;
}

int
der_get(struct der *d, unsigned tag, const char *what, struct der_tlv *t)
{
	int c = der_peek(d);

	if (c == -1)
		return der_fail(d, d->pos, "expected %s (%s), found end of %s",
		    der_tag_name(tag), what ? what : "?", der_what(d));
	if ((unsigned)c != tag)
		return der_fail(d, d->pos, "expected %s (%s), found 0x%02x",
		    der_tag_name(tag), what ? what : "?", c);
	return der_next(d, t);
}

int
der_opt(struct der *d, unsigned tag, const char *what, struct der_tlv *t)
{
	int c = der_peek(d);

	if (c == -1 || (unsigned)c != tag)
		return 0;
	return der_get(d, tag, what, t) == -1 ? -1 : 1;
}

int
der_enter(struct der *d, unsigned tag, const char *what, struct der *inner)
{
	struct der_tlv t;

	if (d->pos < d->end && d->depth + 1 > DER_MAX_DEPTH)
		return der_fail(d, d->pos, "nesting deeper than %d",
		    DER_MAX_DEPTH);
	if (der_get(d, tag, what, &t) == -1)
		return -1;
	der_sub(d, &t, inner);
	if (what != NULL)
		inner->what = what;
	return 0;
}

void
der_sub(const struct der *outer, const struct der_tlv *t, struct der *inner)
{
	inner->buf = outer->buf;
	inner->pos = t->off + t->hdrlen;
	inner->end = inner->pos + t->len;
	inner->depth = outer->depth + 1;
	inner->err = outer->err;
	inner->what = der_tag_name(t->tag);
}

int
der_finish(struct der *d, const char *what)
{
	if (d->pos < d->end)
		return der_fail(d, d->pos, "%zu bytes left over at end of %s",
		    d->end - d->pos, what != NULL ? what : der_what(d));
	return 0;
}

/* ---- typed readers ---- */

static int
der_check_int(struct der *d, const struct der_tlv *t)
{
	if (t->len == 0)
		return der_fail(d, t->off, "empty INTEGER");
	if (t->len > 1 && ((t->val[0] == 0x00 && !(t->val[1] & 0x80)) ||
	    (t->val[0] == 0xff && (t->val[1] & 0x80))))
		return der_fail(d, t->off, "non-minimal INTEGER");
	return 0;
}

int
der_get_int(struct der *d, const char *what, struct der_tlv *t)
{
	if (der_get(d, DER_INTEGER, what, t) == -1)
		return -1;
	return der_check_int(d, t);
}

int
der_get_small(struct der *d, const char *what, long max, long *v)
{
	struct der_tlv t;
	unsigned long x = 0;
	size_t i;

	if (der_get_int(d, what, &t) == -1)
		return -1;
	if (t.val[0] & 0x80)
		return der_fail(d, t.off, "negative INTEGER (%s)",
		    what ? what : "?");
	/* Skip the sign byte; the rest must fit below max. */
	i = t.val[0] == 0 ? 1 : 0;
	if (t.len - i > sizeof x)
		return der_fail(d, t.off, "INTEGER too large (%s)",
		    what ? what : "?");
	for (; i < t.len; i++)
		x = (x << 8) | t.val[i];
	if (max < 0 || x > (unsigned long)max)
		return der_fail(d, t.off, "INTEGER too large (%s)",
		    what ? what : "?");
	*v = (long)x;
	return 0;
}

int
der_get_mpz(struct der *d, const char *what, unsigned maxbits, mpz_t x)
{
	struct der_tlv t;
	const uint8_t *p;
	size_t n, bits;
	unsigned top;

	if (der_get_int(d, what, &t) == -1)
		return -1;
	if (t.val[0] & 0x80)
		return der_fail(d, t.off, "negative INTEGER (%s)",
		    what ? what : "?");
	p = t.val;
	n = t.len;
	if (n > 1 && p[0] == 0) {
		p++;
		n--;
	}
	/* Count bits before GMP sees the number. */
	bits = 0;
	if (p[0] != 0) {
		for (top = p[0]; top != 0; top >>= 1)
			bits++;
		bits += (n - 1) * 8;
	}
	if (bits > maxbits)
		return der_fail(d, t.off, "INTEGER too large (%s)",
		    what ? what : "?");
	mpz_import(x, n, 1, 1, 1, 0, p);
	return 0;
}

int
der_get_bool(struct der *d, const char *what, int *v)
{
	struct der_tlv t;

	if (der_get(d, DER_BOOLEAN, what, &t) == -1)
		return -1;
	if (t.len != 1 || (t.val[0] != 0x00 && t.val[0] != 0xff))
		return der_fail(d, t.off, "BOOLEAN not 0x00 or 0xff");
	*v = t.val[0] != 0;
	return 0;
}

int
der_get_null(struct der *d, const char *what)
{
	struct der_tlv t;

	if (der_get(d, DER_NULL, what, &t) == -1)
		return -1;
	if (t.len != 0)
		return der_fail(d, t.off, "NULL with contents");
	return 0;
}

int
der_get_oid(struct der *d, const char *what, struct der_tlv *t)
{
	char tmp[8];

	if (der_get(d, DER_OID, what, t) == -1)
		return -1;
	if (oid_to_dotted(t->val, t->len, tmp, sizeof tmp) == -1)
		return der_fail(d, t->off, "malformed OID");
	return 0;
}

int
der_get_bits(struct der *d, const char *what, const uint8_t **p,
    size_t *len, unsigned *unused)
{
	struct der_tlv t;
	unsigned u;

	if (der_get(d, DER_BIT_STRING, what, &t) == -1)
		return -1;
	if (t.len == 0 || t.val[0] > 7 || (t.len == 1 && t.val[0] != 0))
		return der_fail(d, t.off, "bad unused-bits count");
	u = t.val[0];
	if (u > 0 && (t.val[t.len - 1] & ((1u << u) - 1)) != 0)
		return der_fail(d, t.off, "unused bits not zero");
	*p = t.val + 1;
	*len = t.len - 1;
	*unused = u;
	return 0;
}

/* ---- time ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), so no time zone or timegm is involved. */
int64_t
der_days_from_civil(int64_t y, unsigned m, unsigned dd)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
der_civil_from_days(int64_t z, int64_t *yp, unsigned *mp, unsigned *dp)
{
	int64_t era, doe, yoe, y, doy, mp_;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp_ = (5 * doy + 2) / 153;
	*dp = (unsigned)(doy - (153 * mp_ + 2) / 5 + 1);
	*mp = (unsigned)(mp_ < 10 ? mp_ + 3 : mp_ - 9);
	*yp = y + (*mp <= 2);
}

unsigned
der_days_in_month(int64_t y, unsigned m)
{
	static const unsigned days[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static unsigned
der_2digits(const uint8_t *p)
{
	return (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
}

static int
der_time(struct der *d, const struct der_tlv *t, const char *what,
    int64_t *out)
{
	const char *kind;
	const char *why;
	size_t want, i;
	const uint8_t *p = t->val;
	int64_t year;
	unsigned mon, day, hh, mm, ss;

	if (t->tag == DER_UTCTIME) {
		kind = "UTCTime";
		want = 13;
	} else if (t->tag == DER_GENERALIZEDTIME) {
		kind = "GeneralizedTime";
		want = 15;
	} else
		return der_fail(d, t->off, "expected Time (%s), found 0x%02x",
		    what ? what : "?", t->tag);
	if (t->len != want) {
		why = "wrong length";
		goto bad;
	}
	if (p[want - 1] != 'Z') {
		why = "not ending in Z";
		goto bad;
	}
	for (i = 0; i < want - 1; i++)
		if (p[i] < '0' || p[i] > '9') {
			why = "not a digit";
			goto bad;
		}
	if (want == 13) {
		year = der_2digits(p);
		year += year >= 50 ? 1900 : 2000;
		p += 2;
	} else {
		year = der_2digits(p) * 100 + der_2digits(p + 2);
		p += 4;
	}
	mon = der_2digits(p);
	day = der_2digits(p + 2);
	hh = der_2digits(p + 4);
	mm = der_2digits(p + 6);
	ss = der_2digits(p + 8);
	if (mon < 1 || mon > 12) {
		why = "month out of range";
		goto bad;
	}
	if (day < 1 || day > der_days_in_month(year, mon)) {
		why = "day out of range";
		goto bad;
	}
	if (hh > 23) {
		why = "hour out of range";
		goto bad;
	}
	if (mm > 59) {
		why = "minute out of range";
		goto bad;
	}
	if (ss > 59) {
		why = "second out of range";
		goto bad;
	}
	*out = der_days_from_civil(year, mon, day) * 86400 +
	    (int64_t)hh * 3600 + mm * 60 + ss;
	return 0;
bad:
	if (what != NULL)
		return der_fail(d, t->off, "bad %s (%s): %s", kind, what, why);
	return der_fail(d, t->off, "bad %s: %s", kind, why);
}

int
der_get_time(struct der *d, const char *what, int64_t *t)
{
	struct der_tlv tlv;
	int c = der_peek(d);

	if (c == -1)
		return der_fail(d, d->pos, "expected Time (%s), found end of %s",
		    what ? what : "?", der_what(d));
	if (c != DER_UTCTIME && c != DER_GENERALIZEDTIME)
		return der_fail(d, d->pos, "expected Time (%s), found 0x%02x",
		    what ? what : "?", c);
	if (der_next(d, &tlv) == -1)
		return -1;
	return der_time(d, &tlv, what, t);
}

int
der_parse_time(struct der *d, const struct der_tlv *tlv, int64_t *t)
{
	return der_time(d, tlv, NULL, t);
}

/* ---- writer ---- */

#define DERW_MAX_NEST 64

struct derw {
	int pass;		/* 1 measures, 2 writes */
	uint8_t *out;		/* pass 2: the buffer of exactly cap bytes */
	size_t cap;
	size_t pos;		/* bytes counted or written so far */
	size_t *slots;		/* content length of each begin, in order */
	size_t nslots, slotcap;
	size_t next;		/* pass 2: the next slot to consume */
	struct {
		size_t slot;
		size_t start;	/* pos where the contents start */
	} stack[DERW_MAX_NEST];
	unsigned sp;
	int failed;
	char msg[400];
};

void
derw_fail(struct derw *w, const char *fmt, ...)
{
	va_list ap;

	if (w->failed)
		return;		/* keep the first reason */
	w->failed = 1;
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof w->msg, fmt, ap);
	va_end(ap);
}

static void
derw_put(struct derw *w, const void *p, size_t n)
{
	if (w->failed)
		return;
	if (n > SIZE_MAX - w->pos) {
		derw_fail(w, "encoding too large");
		return;
	}
	if (w->pass == 2) {
		if (n > w->cap - w->pos) {
			derw_fail(w, "encoder is not deterministic");
			return;
		}
		if (n > 0)
			memcpy(w->out + w->pos, p, n);
	}
	w->pos += n;
}

static size_t
derw_lenlen(size_t len)
{
	if (len < 0x80)
		return 1;
	if (len <= 0xff)
		return 2;
	if (len <= 0xffff)
		return 3;
	if (len <= 0xffffff)
		return 4;
	return 5;
}

/* Identifier and minimal length. */
static void
derw_header(struct derw *w, unsigned tag, size_t len)
{
	uint8_t h[6];
	size_t n, i;

	if (tag > 0xff || (tag & 0x1f) == 0x1f) {
		derw_fail(w, "tag 0x%x cannot be encoded", tag);
		return;
	}
	if (len > 0xffffffffu) {
		derw_fail(w, "element of %zu bytes is too large", len);
		return;
	}
	h[0] = (uint8_t)tag;
	n = derw_lenlen(len);
	if (n == 1)
		h[1] = (uint8_t)len;
	else {
		h[1] = (uint8_t)(0x80 | (n - 1));
		for (i = 0; i < n - 1; i++)
			h[2 + i] = (uint8_t)(len >> (8 * (n - 2 - i)));
	}
	derw_put(w, h, 1 + n);
}

void
derw_begin(struct derw *w, unsigned tag)
{
	size_t slot;
	uint8_t zero = 0;

	if (w->failed)
		return;
	if (w->sp >= DERW_MAX_NEST) {
		derw_fail(w, "nesting deeper than %d", DERW_MAX_NEST);
		return;
	}
	if (w->pass == 1) {
		if (w->nslots == w->slotcap) {
			w->slotcap = w->slotcap ? w->slotcap * 2 : 16;
			w->slots = xreallocarray(w->slots, w->slotcap,
			    sizeof *w->slots);
		}
		slot = w->nslots++;
		w->slots[slot] = 0;
	} else {
		if (w->next >= w->nslots) {
			derw_fail(w, "encoder is not deterministic");
			return;
		}
		slot = w->next++;
		derw_header(w, tag, w->slots[slot]);
	}
	w->stack[w->sp].slot = slot;
	w->stack[w->sp].start = w->pos;
	w->sp++;
	if (tag == DER_BIT_STRING)
		derw_put(w, &zero, 1);
}

void
derw_end(struct derw *w)
{
	size_t slot, len;

	if (w->failed)
		return;
	if (w->sp == 0) {
		derw_fail(w, "derw_end without derw_begin");
		return;
	}
	w->sp--;
	slot = w->stack[w->sp].slot;
	len = w->pos - w->stack[w->sp].start;
	if (w->pass == 1) {
		w->slots[slot] = len;
		/* The header is counted now that the length is known. */
		if (len > 0xffffffffu) {
			derw_fail(w, "element of %zu bytes is too large", len);
			return;
		}
		w->pos += 1 + derw_lenlen(len);
	} else if (w->slots[slot] != len)
		derw_fail(w, "encoder is not deterministic");
}

void
derw_tlv(struct derw *w, unsigned tag, const void *val, size_t len)
{
	derw_header(w, tag, len);
	derw_put(w, val, len);
}

void
derw_raw(struct derw *w, const void *der, size_t len)
{
	derw_put(w, der, len);
}

void
derw_uint(struct derw *w, const uint8_t *be, size_t len)
{
	uint8_t zero = 0;

	while (len > 0 && be[0] == 0) {
		be++;
		len--;
	}
	if (len == 0) {
		derw_tlv(w, DER_INTEGER, &zero, 1);
		return;
	}
	if (be[0] & 0x80) {
		derw_header(w, DER_INTEGER, len + 1);
		derw_put(w, &zero, 1);
		derw_put(w, be, len);
	} else
		derw_tlv(w, DER_INTEGER, be, len);
}

void
derw_small(struct derw *w, long v)
{
	uint8_t be[sizeof(unsigned long)];
	unsigned long x = (unsigned long)v;
	size_t i;

	if (v < 0) {
		derw_fail(w, "negative INTEGER %ld", v);
		return;
	}
	for (i = sizeof be; i > 0; i--) {
		be[i - 1] = (uint8_t)x;
		x >>= 8;
	}
	derw_uint(w, be, sizeof be);
}

void
derw_mpz(struct derw *w, const mpz_t x)
{
	size_t n, count;
	uint8_t zero = 0;
	int pad;

	if (mpz_sgn(x) < 0) {
		derw_fail(w, "negative INTEGER");
		return;
	}
	if (mpz_sgn(x) == 0) {
		derw_tlv(w, DER_INTEGER, &zero, 1);
		return;
	}
	n = (mpz_sizeinbase(x, 2) + 7) / 8;
	pad = mpz_sizeinbase(x, 2) % 8 == 0;
	derw_header(w, DER_INTEGER, n + (size_t)pad);
	if (pad)
		derw_put(w, &zero, 1);
	if (w->failed)
		return;
	/* Exported straight into the output: no stray copies of secrets. */
	if (w->pass == 2) {
		if (n > w->cap - w->pos) {
			derw_fail(w, "encoder is not deterministic");
			return;
		}
		mpz_export(w->out + w->pos, &count, 1, 1, 1, 0, x);
		if (count != n) {
			derw_fail(w, "mpz_export size mismatch");
			return;
		}
	}
	w->pos += n;
}

void
derw_bool(struct derw *w, int v)
{
	uint8_t b = v ? 0xff : 0x00;

	derw_tlv(w, DER_BOOLEAN, &b, 1);
}

void
derw_null(struct derw *w)
{
	derw_tlv(w, DER_NULL, NULL, 0);
}

void
derw_oid(struct derw *w, enum oid_id id)
{
	const struct oid_entry *o;

	if (id <= OID_UNKNOWN || id >= OID__COUNT) {
		derw_fail(w, "unknown OID id %d", (int)id);
		return;
	}
	o = oid_get(id);
	derw_tlv(w, DER_OID, o->der, o->len);
}

void
derw_bits(struct derw *w, const uint8_t *p, size_t len, unsigned unused)
{
	uint8_t u = (uint8_t)unused;

	if (unused > 7 || (len == 0 && unused != 0) ||
	    (unused > 0 && (p[len - 1] & ((1u << unused) - 1)) != 0)) {
		derw_fail(w, "bad BIT STRING (%u unused bits)", unused);
		return;
	}
	if (len == SIZE_MAX) {
		derw_fail(w, "BIT STRING too large");
		return;
	}
	derw_header(w, DER_BIT_STRING, len + 1);
	derw_put(w, &u, 1);
	derw_put(w, p, len);
}

void
derw_named_bits(struct derw *w, uint32_t bits, unsigned nbits)
{
	uint8_t v[4] = { 0, 0, 0, 0 };
	unsigned i, top = 0, n;

	if (nbits > 32) {
		derw_fail(w, "more than 32 named bits");
		return;
	}
	if (nbits < 32)
		bits &= (UINT32_C(1) << nbits) - 1;
	for (i = 0; i < 32; i++)
		if (bits & (UINT32_C(1) << i)) {
			v[i / 8] |= (uint8_t)(0x80u >> (i % 8));
			top = i + 1;
		}
	n = (top + 7) / 8;
	derw_bits(w, v, n, n * 8 - top);
}

void
derw_time(struct derw *w, int64_t t)
{
	char s[16];
	int64_t days, secs, y;
	unsigned m, d;

	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	der_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		derw_fail(w, "time %lld out of range", (long long)t);
		return;
	}
	if (y >= 1950 && y <= 2049) {
		snprintf(s, sizeof s, "%02u%02u%02u%02u%02u%02uZ",
		    (unsigned)(y % 100), m, d, (unsigned)(secs / 3600),
		    (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
		derw_tlv(w, DER_UTCTIME, s, 13);
	} else {
		snprintf(s, sizeof s, "%04u%02u%02u%02u%02u%02uZ",
		    (unsigned)y, m, d, (unsigned)(secs / 3600),
		    (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
		derw_tlv(w, DER_GENERALIZEDTIME, s, 15);
	}
}

void
derw_string(struct derw *w, unsigned tag, const char *s)
{
	derw_tlv(w, tag, s, strlen(s));
}

static void
derw_run(struct derw *w, der_encode_fn *fn, const void *arg)
{
	fn(w, arg);
	if (!w->failed && w->sp != 0)
		derw_fail(w, "derw_begin without derw_end");
}

uint8_t *
der_encode(der_encode_fn *fn, const void *arg, size_t *lenp, struct err *e)
{
	struct derw w;
	uint8_t *out = NULL;

	memset(&w, 0, sizeof w);
	w.pass = 1;
	derw_run(&w, fn, arg);
	if (w.failed)
		goto out;
	w.pass = 2;
	w.cap = w.pos;
	/* One spare byte so an empty encoding still gets a pointer. */
	w.out = xmalloc(w.cap + 1);
	w.pos = 0;
	derw_run(&w, fn, arg);
	if (!w.failed && (w.pos != w.cap || w.next != w.nslots))
		derw_fail(&w, "encoder is not deterministic");
	if (w.failed) {
		xfree_secret(w.out, w.cap + 1);
		goto out;
	}
	out = w.out;
	*lenp = w.cap;
out:
	if (w.failed)
		err_set(e, ERR_USAGE, "DER encoding: %s", w.msg);
	free(w.slots);
	return out;
}

int
derw_set_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t i, n = alen < blen ? alen : blen;
	int c;

	if ((c = memcmp(a, b, n)) != 0)
		return c;
	for (i = n; i < alen; i++)
		if (a[i] != 0)
			return 1;
	for (i = n; i < blen; i++)
		if (b[i] != 0)
			return -1;
	return 0;
}
