/* fuzz-der.c — walks any input as DER: every element is read with der_next,
 * constructed ones are entered (up to DER_MAX_DEPTH), OCTET STRINGs are
 * tried as wrapped DER, and primitives go through the typed readers. Then
 * the walk is re-encoded with the writer and must read back the same. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
try_typed(const struct der *outer, const struct der_tlv *t)
{
	struct der d;
	struct der_tlv x;
	const uint8_t *p;
	size_t n;
	unsigned unused;
	int64_t tm;
	long v;
	int b;
	char buf[64];
	mpz_t z;

	/* A fresh cursor over just this element, as the typed readers
	 * expect to see the identifier. */
	d = *outer;
	d.pos = t->off;
	d.end = t->off + t->hdrlen + t->len;
	switch (t->tag) {
	case DER_INTEGER:
		(void)der_get_int(&d, "int", &x);
		d.pos = t->off;
		(void)der_get_small(&d, "small", 1000000, &v);
		d.pos = t->off;
		mpz_init(z);
		(void)der_get_mpz(&d, "mpz", 4096, z);
		mpz_clear(z);
		break;
	case DER_BOOLEAN:
		(void)der_get_bool(&d, "bool", &b);
		break;
	case DER_NULL:
		(void)der_get_null(&d, "null");
		break;
	case DER_OID:
		(void)der_get_oid(&d, "oid", &x);
		oid_to_text(t->val, t->len, buf, sizeof buf);
		break;
	case DER_BIT_STRING:
		(void)der_get_bits(&d, "bits", &p, &n, &unused);
		break;
	case DER_UTCTIME:
	case DER_GENERALIZEDTIME:
		(void)der_get_time(&d, "time", &tm);
		d.pos = t->off;
		(void)der_parse_time(&d, t, &tm);
		break;
	default:
		break;
	}
}

static int
walk(struct der *d)
{
	struct der_tlv t;
	struct der in;

	while (der_more(d)) {
		if (der_next(d, &t) == -1)
			return -1;
		try_typed(d, &t);
		if (t.tag & 0x20) {
			if (d->depth + 1 > DER_MAX_DEPTH)
				return -1;
			der_sub(d, &t, &in);
			if (walk(&in) == -1)
				return -1;
			(void)der_finish(&in, NULL);
		} else if (t.tag == DER_OCTET_STRING && t.len > 0 &&
		    d->depth + 1 <= DER_MAX_DEPTH) {
			der_sub(d, &t, &in);
			(void)walk(&in);	/* wrapped DER, or not */
		}
	}
	return der_finish(d, NULL);
}

/* Re-encodes the input element by element through the writer. */
static void
reencode(struct derw *w, const void *arg)
{
	const struct der *top = arg;
	struct der d = *top, stack[DER_MAX_DEPTH + 1];
	struct der_tlv t;
	int sp = 0;

	stack[0] = d;
	for (;;) {
		if (!der_more(&stack[sp])) {
			if (sp == 0)
				break;
			derw_end(w);
			sp--;
			continue;
		}
		if (der_next(&stack[sp], &t) == -1)
			return;
		if ((t.tag & 0x20) && sp < DER_MAX_DEPTH) {
			derw_begin(w, t.tag);
			der_sub(&stack[sp], &t, &stack[sp + 1]);
			sp++;
		} else
			derw_tlv(w, t.tag, t.val, t.len);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct der d;
	struct err e;
	uint8_t *out;
	size_t n;

	err_clear(&e);
	der_init(&d, data, size, &e);
	if (walk(&d) == 0) {
		/* Valid DER: the writer must reproduce it exactly. */
		der_init(&d, data, size, &e);
		out = der_encode(reencode, &d, &n, &e);
		if (out == NULL || n != size || memcmp(out, data, size) != 0)
			abort();
		free(out);
	}
	return 0;
}
