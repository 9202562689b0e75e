/* dn.c — X.501 distinguished names; see dn.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "x509/dn.h"

/* The attributes dn_from_string knows, with the string type OpenSSL's
 * default mask would pick for them, and the name dn_to_string prints. */
static const struct dn_key {
	const char *name;
	enum oid_id id;
	unsigned strtag;
} dn_keys[] = {
	{ "CN", OID_CN, DER_UTF8STRING },
	{ "O", OID_O, DER_UTF8STRING },
	{ "OU", OID_OU, DER_UTF8STRING },
	{ "C", OID_C, DER_PRINTABLESTRING },
	{ "ST", OID_ST, DER_UTF8STRING },
	{ "L", OID_L, DER_UTF8STRING },
	{ "emailAddress", OID_EMAIL, DER_IA5STRING },
	{ "serialNumber", OID_SERIAL_NUMBER, DER_PRINTABLESTRING },
	{ "DC", OID_DC, DER_IA5STRING },
	{ "UID", OID_UID, DER_UTF8STRING },
	{ "street", OID_STREET, DER_UTF8STRING },
	{ "title", OID_TITLE, DER_UTF8STRING },
	{ "GN", OID_GIVEN_NAME, DER_UTF8STRING },
	{ "SN", OID_SURNAME, DER_UTF8STRING },
	{ "dnQualifier", OID_DN_QUALIFIER, DER_PRINTABLESTRING },
	{ "pseudonym", OID_PSEUDONYM, DER_UTF8STRING },
	/* input aliases */
	{ "E", OID_EMAIL, DER_IA5STRING },
	{ "email", OID_EMAIL, DER_IA5STRING },
	{ "givenName", OID_GIVEN_NAME, DER_UTF8STRING },
	{ "surname", OID_SURNAME, DER_UTF8STRING },
};

#define DN_KNOWN_LIST "CN, O, OU, C, ST, L, emailAddress, serialNumber, " \
	"DC, UID, street, title, GN, SN"

static const struct dn_key *
dn_key_by_id(enum oid_id id)
{
	size_t i;

	for (i = 0; i < sizeof dn_keys / sizeof dn_keys[0]; i++)
		if (dn_keys[i].id == id)
			return &dn_keys[i];
	return NULL;
}

static const struct dn_key *
dn_key_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof dn_keys / sizeof dn_keys[0]; i++)
		if (strcasecmp(dn_keys[i].name, name) == 0)
			return &dn_keys[i];
	return NULL;
}

void
dn_init(struct dn *dn)
{
	dn->v = NULL;
	dn->n = 0;
	dn->der = NULL;
	dn->derlen = 0;
}

void
dn_clear(struct dn *dn)
{
	size_t i;

	for (i = 0; i < dn->n; i++)
		free(dn->v[i].value);
	free(dn->v);
	free(dn->der);
	dn_init(dn);
}

void
dn_copy(struct dn *dst, const struct dn *src)
{
	size_t i;

	dn_init(dst);
	if (src->n > 0) {
		dst->v = xcalloc(src->n, sizeof *dst->v);
		for (i = 0; i < src->n; i++) {
			dst->v[i] = src->v[i];
			dst->v[i].value = xstrdup(src->v[i].value);
		}
		dst->n = src->n;
	}
	if (src->der != NULL) {
		dst->der = xmalloc(src->derlen);
		memcpy(dst->der, src->der, src->derlen);
		dst->derlen = src->derlen;
	}
}

/* ---- string values to UTF-8 ---- */

static void
put_utf8(struct buf *b, uint32_t c)
{
	if (c < 0x80)
		buf_putc(b, (int)c);
	else if (c < 0x800) {
		buf_putc(b, (int)(0xc0 | c >> 6));
		buf_putc(b, (int)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_putc(b, (int)(0xe0 | c >> 12));
		buf_putc(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (c & 0x3f)));
	} else {
		buf_putc(b, (int)(0xf0 | c >> 18));
		buf_putc(b, (int)(0x80 | ((c >> 12) & 0x3f)));
		buf_putc(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (c & 0x3f)));
	}
}

/* Checks strict UTF-8 (no overlong forms, no surrogates, at most U+10FFFF)
 * without NUL; returns 0 when valid. */
static int
utf8_check(const uint8_t *p, size_t len)
{
	size_t i = 0, n, k;
	uint32_t c, min;

	while (i < len) {
		c = p[i];
		if (c == 0)
			return -1;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 1; c &= 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2; c &= 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3; c &= 0x07; min = 0x10000;
		} else
			return -1;
		if (len - i - 1 < n)
			return -1;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return -1;
			c = c << 6 | (p[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return -1;
		i += n + 1;
	}
	return 0;
}

static int
printable_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || strchr(" '()+,-./:=?", c) != NULL;
}

/* Converts a string value of type tag to UTF-8 in out; returns an error
 * text, or NULL on success. */
static const char *
dn_value_to_utf8(unsigned tag, const uint8_t *p, size_t len, struct buf *out)
{
	size_t i;
	uint32_t c, lo;

	switch (tag) {
	case DER_UTF8STRING:
		if (utf8_check(p, len) != 0)
			return "invalid UTF-8 or NUL in UTF8String";
		buf_append(out, p, len);
		return NULL;
	case DER_PRINTABLESTRING:
	case DER_IA5STRING:
	case 0x12:	/* NumericString */
	case 0x1a:	/* VisibleString */
		/* PrintableString is checked loosely (ASCII, no control
		 * characters): many issued certificates carry '*' or '@'. */
		for (i = 0; i < len; i++)
			if (p[i] == 0 || p[i] >= 0x80 ||
			    (tag != DER_IA5STRING && p[i] < 0x20))
				return "invalid character in ASCII string";
		buf_append(out, p, len);
		return NULL;
	case DER_T61STRING:
		/* Read as Latin-1, as most software does. */
		for (i = 0; i < len; i++) {
			if (p[i] == 0)
				return "NUL in T61String";
			put_utf8(out, p[i]);
		}
		return NULL;
	case DER_BMPSTRING:
		if (len % 2 != 0)
			return "BMPString of odd length";
		for (i = 0; i < len; i += 2) {
			c = (uint32_t)p[i] << 8 | p[i + 1];
			if (c >= 0xd800 && c <= 0xdbff && i + 3 < len) {
				lo = (uint32_t)p[i + 2] << 8 | p[i + 3];
				if (lo < 0xdc00 || lo > 0xdfff)
					return "invalid surrogate in BMPString";
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			} else if (c >= 0xd800 && c <= 0xdfff)
				return "invalid surrogate in BMPString";
			if (c == 0)
				return "NUL in BMPString";
			put_utf8(out, c);
		}
		return NULL;
	case DER_UNIVERSALSTRING:
		if (len % 4 != 0)
			return "UniversalString length not a multiple of 4";
		for (i = 0; i < len; i += 4) {
			c = (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
			    (uint32_t)p[i + 2] << 8 | p[i + 3];
			if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
				return "invalid character in UniversalString";
			put_utf8(out, c);
		}
		return NULL;
	default:
		return "unsupported string type";
	}
}

static struct dn_attr *
dn_add(struct dn *dn)
{
	struct dn_attr *a;

	dn->v = xreallocarray(dn->v, dn->n + 1, sizeof *dn->v);
	a = &dn->v[dn->n++];
	memset(a, 0, sizeof *a);
	return a;
}

/*
 * Name ::= SEQUENCE OF RelativeDistinguishedName
 * RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
 * AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }
 */
int
dn_parse(struct der *d, struct dn *dn)
{
	struct der_tlv name, oid, val;
	struct der seq, rdn, atv;
	struct buf b;
	struct dn_attr *a;
	const char *why;
	unsigned nrdn = 0;
	int rc = -1;

	buf_init(&b);
	dn_clear(dn);
	if (der_get(d, DER_SEQUENCE, "Name", &name) == -1)
		return -1;
	der_sub(d, &name, &seq);
	while (der_more(&seq)) {
		if (der_enter(&seq, DER_SET, "RelativeDistinguishedName",
		    &rdn) == -1)
			goto out;
		if (!der_more(&rdn)) {
			der_fail(&seq, rdn.pos, "empty RelativeDistinguishedName");
			goto out;
		}
		while (der_more(&rdn)) {
			if (dn->n >= DN_MAX_ATTRS) {
				der_fail(&rdn, rdn.pos,
				    "more than %d attributes in a name",
				    DN_MAX_ATTRS);
				goto out;
			}
			if (der_enter(&rdn, DER_SEQUENCE,
			    "AttributeTypeAndValue", &atv) == -1 ||
			    der_get_oid(&atv, "attribute type", &oid) == -1 ||
			    der_next(&atv, &val) == -1 ||
			    der_finish(&atv, "AttributeTypeAndValue") == -1)
				goto out;
			if (val.len > DN_MAX_VALUE) {
				der_fail(&atv, val.off,
				    "attribute value longer than %d bytes",
				    DN_MAX_VALUE);
				goto out;
			}
			b.len = 0;
			if ((why = dn_value_to_utf8(val.tag, val.val, val.len,
			    &b)) != NULL) {
				der_fail(&atv, val.off, "attribute value: %s",
				    why);
				goto out;
			}
			a = dn_add(dn);
			a->type = oid_find(oid.val, oid.len);
			oid_to_dotted(oid.val, oid.len, a->oid, sizeof a->oid);
			a->strtag = val.tag;
			buf_reserve(&b, 0);
			a->value = xstrndup((const char *)b.data, b.len);
			a->rdn = nrdn;
		}
		nrdn++;
	}
	dn->derlen = name.hdrlen + name.len;
	dn->der = xmalloc(dn->derlen);
	memcpy(dn->der, d->buf + name.off, dn->derlen);
	rc = 0;
out:
	buf_clear(&b);
	if (rc != 0)
		dn_clear(dn);
	return rc;
}

/* ---- control characters ---- */

/* The first control character in a UTF-8 value: C0 (0x00-0x1f), DEL and
 * C1 (U+0080-U+009F, C2 80..C2 9F in UTF-8). Returns its byte offset and
 * sets *cp, or -1 when there is none. */
static long
dn_control_at(const char *v, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t i;

	for (i = 0; p[i] != 0; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			*cp = p[i];
			return (long)i;
		}
		if (p[i] == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			*cp = p[i + 1];
			return (long)i;
		}
	}
	return -1;
}

int
dn_check_controls(const struct dn *dn, struct err *e)
{
	const struct dn_key *k;
	unsigned cp;
	long at;
	size_t i;

	for (i = 0; i < dn->n; i++) {
		if ((at = dn_control_at(dn->v[i].value, &cp)) < 0)
			continue;
		k = dn_key_by_id(dn->v[i].type);
		return err_set(e, ERR_INPUT, "attribute %zu (%s): control "
		    "character U+%04X at byte %ld of the value", i + 1,
		    k != NULL ? k->name : dn->v[i].oid, cp, at);
	}
	return 0;
}

/* ---- building from text ---- */

/* AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY } */
static void
dn_encode_atv(struct derw *w, const void *arg)
{
	const struct dn_attr *a = arg;

	derw_begin(w, DER_SEQUENCE);
	if (a->type == OID_UNKNOWN)
		derw_fail(w, "cannot encode attribute %s", a->oid);
	else
		derw_oid(w, a->type);
	derw_string(w, a->strtag, a->value);
	derw_end(w);
}

static void
dn_encode_attrs(struct derw *w, const void *arg)
{
	const struct dn *dn = arg;
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	for (i = 0; i < dn->n; i++) {
		if (i == 0 || dn->v[i].rdn != dn->v[i - 1].rdn)
			derw_begin(w, DER_SET);
		dn_encode_atv(w, &dn->v[i]);
		if (i + 1 == dn->n || dn->v[i + 1].rdn != dn->v[i].rdn)
			derw_end(w);
	}
	derw_end(w);
}

/* Puts the attributes of each multi-valued RDN in DER order, so that the
 * encoding (and the text form, which follows it) is canonical. */
static int
dn_sort_rdns(struct dn *dn, struct err *e)
{
	struct {
		uint8_t *der;
		size_t len;
		struct dn_attr a;
	} m[DN_MAX_ATTRS], t;
	size_t i, j, k, l, n;
	int rc = 0;

	for (i = 0; i < dn->n && dn->n <= DN_MAX_ATTRS; i = j) {
		for (j = i + 1; j < dn->n && dn->v[j].rdn == dn->v[i].rdn; j++)
			;
		if (j - i < 2)
			continue;
		for (n = 0; rc == 0 && i + n < j; n++) {
			m[n].a = dn->v[i + n];
			if ((m[n].der = der_encode(dn_encode_atv, &m[n].a,
			    &m[n].len, e)) == NULL)
				rc = -1;
		}
		/* Insertion sort: an RDN has a handful of members. */
		for (k = 1; rc == 0 && k < n; k++) {
			t = m[k];
			for (l = k; l > 0 && derw_set_cmp(m[l - 1].der,
			    m[l - 1].len, t.der, t.len) > 0; l--)
				m[l] = m[l - 1];
			m[l] = t;
		}
		for (k = 0; k < n; k++) {
			if (rc == 0)
				dn->v[i + k] = m[k].a;
			free(m[k].der);
		}
		if (rc == -1)
			break;
	}
	return rc;
}

void
dn_encode(struct derw *w, const struct dn *dn)
{
	if (dn->der != NULL)
		derw_raw(w, dn->der, dn->derlen);
	else
		dn_encode_attrs(w, dn);
}

static int
dn_add_text(struct dn *dn, const char *key, const char *val, unsigned rdn,
    unsigned idx, struct err *e)
{
	const struct dn_key *k;
	struct dn_attr *a;
	size_t i, len = strlen(val);
	unsigned cp;

	if ((k = dn_key_by_name(key)) == NULL)
		return err_set(e, ERR_USAGE, "unknown attribute '%s' (known: "
		    DN_KNOWN_LIST ")", key);
	if (len == 0)
		return err_set(e, ERR_USAGE, "attribute %u (%s): empty value",
		    idx, k->name);
	if (len > DN_MAX_VALUE)
		return err_set(e, ERR_USAGE, "attribute %u (%s): value longer "
		    "than %d bytes", idx, k->name, DN_MAX_VALUE);
	if (dn->n >= DN_MAX_ATTRS)
		return err_set(e, ERR_USAGE, "more than %d attributes",
		    DN_MAX_ATTRS);
	if (utf8_check((const uint8_t *)val, len) != 0)
		return err_set(e, ERR_USAGE, "attribute %u (%s): invalid UTF-8",
		    idx, k->name);
	if (dn_control_at(val, &cp) >= 0)
		return err_set(e, ERR_USAGE, "attribute %u (%s): control "
		    "character U+%04X not allowed", idx, k->name, cp);
	if (k->id == OID_C && (len != 2 ||
	    !((val[0] >= 'A' && val[0] <= 'Z') || (val[0] >= 'a' && val[0] <= 'z')) ||
	    !((val[1] >= 'A' && val[1] <= 'Z') || (val[1] >= 'a' && val[1] <= 'z'))))
		return err_set(e, ERR_USAGE, "attribute %u: C must be two "
		    "letters, not '%s'", idx, val);
	if (k->id == OID_EMAIL && strchr(val, '@') == NULL)
		return err_set(e, ERR_USAGE, "attribute %u: emailAddress must "
		    "contain '@': '%s'", idx, val);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)val[i];

		if (k->strtag == DER_PRINTABLESTRING && !printable_char(c))
			return err_set(e, ERR_USAGE, "attribute %u (%s): "
			    "character '%c' not allowed in a PrintableString",
			    idx, k->name, c >= 0x20 && c < 0x7f ? c : '?');
		if (k->strtag == DER_IA5STRING && c >= 0x80)
			return err_set(e, ERR_USAGE, "attribute %u (%s): "
			    "only ASCII allowed", idx, k->name);
	}
	a = dn_add(dn);
	a->type = k->id;
	snprintf(a->oid, sizeof a->oid, "%s", oid_get(k->id)->dotted);
	a->strtag = k->strtag;
	a->value = xstrdup(val);
	a->rdn = rdn;
	return 0;
}

/* A '+' joins a second attribute into the RDN only when an '=' follows
 * before the next separator, so "CN=C++ team" keeps its pluses. */
static int
plus_joins(const char *p)
{
	if (*p != '+')
		return 0;
	for (p++; *p != '\0' && *p != ',' && *p != '/' && *p != '+'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '=')
			return 1;
	}
	return 0;
}

static void
trim_tail(struct buf *b, size_t keep)
{
	while (b->len > keep && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

int
dn_from_string(struct dn *dn, const char *text, struct err *e)
{
	struct buf key, val;
	const char *p = text;
	char sep = ',';
	unsigned rdn = 0, idx = 1;
	size_t keep;
	int in_val, rc = -1;
	uint8_t *der;
	size_t derlen;

	dn_clear(dn);
	buf_init(&key);
	buf_init(&val);
	while (*p == ' ')
		p++;
	if (*p == '/') {
		sep = '/';
		p++;
	}
	if (*p == '\0') {
		rc = 0;
		goto encode;
	}
	for (;;) {
		/* One attribute: key '=' value, up to sep, '+' or the end. */
		key.len = val.len = 0;
		buf_reserve(&key, 0);
		buf_reserve(&val, 0);
		in_val = 0;
		keep = 0;
		while (*p == ' ')
			p++;
		for (; *p != '\0' && *p != sep && !plus_joins(p); p++) {
			if (*p == '\\') {
				if (p[1] == '\0') {
					err_set(e, ERR_USAGE, "attribute %u: "
					    "'\\' at the end", idx);
					goto out;
				}
				p++;
				buf_putc(in_val ? &val : &key, *p);
				keep = in_val ? val.len : key.len;
			} else if (*p == '=' && !in_val) {
				in_val = 1;
				keep = 0;
				trim_tail(&key, 0);
				while (p[1] == ' ')
					p++;
			} else
				buf_putc(in_val ? &val : &key, *p);
		}
		if (in_val)
			trim_tail(&val, keep);
		else
			trim_tail(&key, keep);
		if (!in_val) {
			err_set(e, ERR_USAGE, "attribute %u: missing '=' in '%s'",
			    idx, (char *)key.data);
			goto out;
		}
		if (key.len == 0) {
			err_set(e, ERR_USAGE, "attribute %u: missing name "
			    "before '='", idx);
			goto out;
		}
		if (dn_add_text(dn, (char *)key.data, (char *)val.data, rdn,
		    idx, e) == -1)
			goto out;
		idx++;
		if (*p == '\0')
			break;
		if (*p == sep)
			rdn++;
		p++;
		if (sep == '/' && *p == '\0')
			break;	/* tolerate a trailing '/' */
	}
	if (dn_sort_rdns(dn, e) == -1)
		goto out;
	rc = 0;
encode:
	if ((der = der_encode(dn_encode_attrs, dn, &derlen, e)) == NULL) {
		rc = -1;
		goto out;
	}
	dn->der = der;
	dn->derlen = derlen;
out:
	buf_clear(&key);
	buf_clear(&val);
	if (rc != 0)
		dn_clear(dn);
	return rc;
}

/* ---- printing and comparing ---- */

char *
dn_to_string(const struct dn *dn)
{
	const struct dn_key *k;
	struct buf b;
	const char *s;
	size_t i;

	buf_init(&b);
	for (i = 0; i < dn->n; i++) {
		if (i > 0)
			buf_puts(&b, dn->v[i].rdn == dn->v[i - 1].rdn ?
			    " + " : ", ");
		k = dn->v[i].type != OID_UNKNOWN ? dn_key_by_id(dn->v[i].type) :
		    NULL;
		buf_puts(&b, k != NULL ? k->name : dn->v[i].type != OID_UNKNOWN ?
		    oid_get(dn->v[i].type)->sn : dn->v[i].oid);
		buf_putc(&b, '=');
		for (s = dn->v[i].value; *s != '\0'; s++) {
			unsigned char c = (unsigned char)*s;

			/* Names come from strangers and end up on terminals:
			 * C0, DEL and C1 (U+0080..U+009F) as RFC 4514 \HH. */
			if (c < 0x20 || c == 0x7f || (c == 0xc2 &&
			    (unsigned char)s[1] >= 0x80 &&
			    (unsigned char)s[1] <= 0x9f)) {
				buf_printf(&b, "\\%02X", c);
				if (c == 0xc2)
					buf_printf(&b, "\\%02X",
					    (unsigned char)*++s);
				continue;
			}
			if (c == ',' || c == '+' || c == '=' || c == '\\')
				buf_putc(&b, '\\');
			buf_putc(&b, *s);
		}
	}
	return (char *)buf_steal(&b, NULL);
}

char *
dn_quoted(const struct dn *dn)
{
	char *s, *q;

	if (dn_empty(dn))
		return xstrdup("(empty name)");
	s = dn_to_string(dn);
	q = xasprintf("'%s'", s);
	free(s);
	return q;
}

/* Compares two values after trimming, collapsing inner whitespace and
 * folding ASCII case (RFC 5280 7.1, RFC 4518 simplified). */
static int
value_equal(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		while (*a != '\0' && *a != ' ' && *b != '\0' && *b != ' ') {
			int ca = (unsigned char)*a, cb = (unsigned char)*b;

			if (ca >= 'A' && ca <= 'Z')
				ca += 'a' - 'A';
			if (cb >= 'A' && cb <= 'Z')
				cb += 'a' - 'A';
			if (ca != cb)
				return 0;
			a++;
			b++;
		}
		/* Both at a word end, or both at the end. */
		if ((*a == '\0') != (*b == '\0'))
			return *a == '\0' ? strspn(b, " ") == strlen(b) :
			    strspn(a, " ") == strlen(a);
		if (*a == '\0')
			return 1;
		if ((*a == ' ') != (*b == ' '))
			return 0;
	}
}

static int
attr_equal(const struct dn_attr *a, const struct dn_attr *b)
{
	return strcmp(a->oid, b->oid) == 0 && value_equal(a->value, b->value);
}

int
dn_equal(const struct dn *a, const struct dn *b)
{
	size_t i, j, k, ai, bi, an, bn;
	char used[DN_MAX_ATTRS];

	if (a->der != NULL && b->der != NULL && a->derlen == b->derlen &&
	    memcmp(a->der, b->der, a->derlen) == 0)
		return 1;
	if (a->n != b->n || a->n > DN_MAX_ATTRS)
		return 0;
	for (ai = bi = 0; ai < a->n; ai += an, bi += bn) {
		for (an = 1; ai + an < a->n && a->v[ai + an].rdn == a->v[ai].rdn;)
			an++;
		for (bn = 1; bi + bn < b->n && b->v[bi + bn].rdn == b->v[bi].rdn;)
			bn++;
		if (an != bn)
			return 0;
		/* Multiset match within the RDN. */
		memset(used, 0, sizeof used);
		for (i = 0; i < an; i++) {
			for (j = 0; j < bn; j++) {
				k = bi + j;
				if (!used[j] && attr_equal(&a->v[ai + i], &b->v[k]))
					break;
			}
			if (j == bn)
				return 0;
			used[j] = 1;
		}
	}
	return 1;
}

const char *
dn_get(const struct dn *dn, enum oid_id id)
{
	size_t i;

	for (i = 0; i < dn->n; i++)
		if (dn->v[i].type == id)
			return dn->v[i].value;
	return NULL;
}

int
dn_empty(const struct dn *dn)
{
	return dn->n == 0;
}
