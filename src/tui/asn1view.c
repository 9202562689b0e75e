/* asn1view.c — a DER encoding flattened into a tree of nodes for display.
 *
 * Read with the bounded reader of asn1/der.h: constructed elements are
 * entered; an OCTET STRING or BIT STRING whose contents are themselves
 * one whole DER element (extension values, the public key) is shown
 * opened too, as `openssl asn1parse` does with -strparse. */
#include <stdio.h>
#include <stdlib.h>

#include "asn1/der.h"
#include "tui/ui.h"
#include "util/xalloc.h"

#define ASN1VIEW_MAX 20000	/* nodes shown */

struct flat {
	struct asn1_node *v;
	size_t n, cap;
};

static void
flat_add(struct flat *f, unsigned depth, const struct der_tlv *t)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->v = xreallocarray(f->v, f->cap, sizeof *f->v);
	}
	f->v[f->n].depth = depth;
	f->v[f->n].tag = t->tag;
	f->v[f->n].off = t->off;
	f->v[f->n].hdrlen = t->hdrlen;
	f->v[f->n].len = t->len;
	f->n++;
}

/* Whether p..p+len is exactly one constructed DER element. */
static int
whole_element(const uint8_t *buf, size_t off, size_t len)
{
	struct der d;
	struct der_tlv t;

	if (len < 2 || (buf[off] & 0x20) == 0)
		return 0;
	d.buf = buf;
	d.pos = off;
	d.end = off + len;
	d.depth = 0;
	d.err = NULL;
	d.what = NULL;
	return der_next(&d, &t) == 0 && !der_more(&d);
}

static void
walk(struct flat *f, struct der *d, unsigned depth)
{
	struct der_tlv t;
	struct der in;

	while (der_more(d) && f->n < ASN1VIEW_MAX) {
		if (der_next(d, &t) == -1)
			return;
		flat_add(f, depth, &t);
		if (t.tag & 0x20) {
			der_sub(d, &t, &in);
			walk(f, &in, depth + 1);
		} else if (t.tag == DER_OCTET_STRING &&
		    whole_element(d->buf, t.off + t.hdrlen, t.len)) {
			der_sub(d, &t, &in);
			walk(f, &in, depth + 1);
		} else if (t.tag == DER_BIT_STRING && t.len > 1 &&
		    t.val[0] == 0 &&
		    whole_element(d->buf, t.off + t.hdrlen + 1, t.len - 1)) {
			der_sub(d, &t, &in);
			in.pos++;
			walk(f, &in, depth + 1);
		}
	}
}

size_t
asn1view_flatten(const uint8_t *der, size_t len, struct asn1_node **nodes)
{
	struct flat f = { NULL, 0, 0 };
	struct der d;

	der_init(&d, der, len, NULL);
	walk(&f, &d, 0);
	*nodes = f.v;
	return f.n;
}

const char *
asn1view_tag_name(unsigned tag)
{
	static const struct { unsigned tag; const char *name; } names[] = {
		{ DER_BOOLEAN, "BOOLEAN" }, { DER_INTEGER, "INTEGER" },
		{ DER_BIT_STRING, "BIT STRING" },
		{ DER_OCTET_STRING, "OCTET STRING" }, { DER_NULL, "NULL" },
		{ DER_OID, "OBJECT IDENTIFIER" },
		{ DER_ENUMERATED, "ENUMERATED" },
		{ DER_UTF8STRING, "UTF8String" },
		{ DER_PRINTABLESTRING, "PrintableString" },
		{ DER_T61STRING, "T61String" }, { DER_IA5STRING, "IA5String" },
		{ DER_UTCTIME, "UTCTime" },
		{ DER_GENERALIZEDTIME, "GeneralizedTime" },
		{ DER_UNIVERSALSTRING, "UniversalString" },
		{ DER_BMPSTRING, "BMPString" }, { DER_SEQUENCE, "SEQUENCE" },
		{ DER_SET, "SET" },
	};
	static char other[32];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].tag == tag)
			return names[i].name;
	if ((tag & 0xc0) == 0x80)
		snprintf(other, sizeof other, "[%u]%s", tag & 0x1f,
		    tag & 0x20 ? "" : " IMPLICIT");
	else
		snprintf(other, sizeof other, "tag 0x%02x", tag);
	return other;
}
