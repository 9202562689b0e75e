/* nameconstr.c — read and write the nameConstraints extension, and show
 * it. Its command-line form is nameconstr-list.c, matching
 * nameconstr-match.c. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "x509/nameconstr.h"

static const char *const form_names[NC__FORMS] = {
	[NC_OTHER_NAME] = "otherName", [NC_EMAIL] = "email",
	[NC_DNS] = "DNS", [NC_X400] = "x400Address", [NC_DIR] = "dirName",
	[NC_EDI_PARTY] = "ediPartyName", [NC_URI] = "URI", [NC_IP] = "IP",
	[NC_REGISTERED_ID] = "registeredID",
};

void
nc_list_init(struct nc_list *l)
{
	l->v = NULL;
	l->n = 0;
}

void
nc_list_clear(struct nc_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].text);
		dn_clear(&l->v[i].dir);
	}
	free(l->v);
	nc_list_init(l);
}

struct nc_name *
nc_list_add(struct nc_list *l, enum nc_form form)
{
	struct nc_name *n;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	n = &l->v[l->n++];
	memset(n, 0, sizeof *n);
	dn_init(&n->dir);
	n->form = form;
	return n;
}

void
nameconstr_init(struct nameconstr *nc)
{
	nc_list_init(&nc->permitted);
	nc_list_init(&nc->excluded);
	nc->critical = 0;
}

void
nameconstr_clear(struct nameconstr *nc)
{
	nc_list_clear(&nc->permitted);
	nc_list_clear(&nc->excluded);
	nc->critical = 0;
}

/* ---- reading ---- */

/* IA5 text of a name we match: printable ASCII without spaces, so that a
 * NUL cannot cut a name short and nothing odd reaches the screen. */
static int
nc_text(struct der *d, const struct der_tlv *t, const char *what, char **out)
{
	size_t i;

	if (t->len > NC_MAX_TEXT)
		return der_fail(d, t->off, "%s of %zu bytes (at most %d)", what,
		    t->len, NC_MAX_TEXT);
	for (i = 0; i < t->len; i++)
		if (t->val[i] < 0x21 || t->val[i] > 0x7e)
			return der_fail(d, t->off + t->hdrlen + i, "%s has byte "
			    "0x%02x (only printable ASCII without spaces)",
			    what, t->val[i]);
	*out = xstrndup((const char *)t->val, t->len);
	return 0;
}

/*
 * GeneralName ::= CHOICE { otherName [0], rfc822Name [1] IA5String,
 *     dNSName [2] IA5String, x400Address [3], directoryName [4] Name,
 *     ediPartyName [5], uniformResourceIdentifier [6] IA5String,
 *     iPAddress [7] OCTET STRING, registeredID [8] OBJECT IDENTIFIER }
 *
 * One name already read as t; base: a subtree's base (an iPAddress is an
 * address and a mask).
 */
int
nameconstr_read_name(struct der *d, const struct der_tlv *t, int base,
    struct nc_list *l)
{
	struct nc_name *n;
	struct der in;
	size_t want4 = base ? 8 : 4, want6 = base ? 32 : 16;

	switch (t->tag) {
	case DER_CTX(1):
	case DER_CTX(2):
	case DER_CTX(6):
		n = nc_list_add(l, (enum nc_form)(t->tag & 0x1f));
		return nc_text(d, t, t->tag == DER_CTX(1) ? "rfc822Name" :
		    t->tag == DER_CTX(2) ? "dNSName" : "URI", &n->text);
	case DER_CTX(7):
		if (t->len != want4 && t->len != want6)
			return der_fail(d, t->off, "iPAddress of %zu bytes "
			    "(want %zu or %zu)", t->len, want4, want6);
		n = nc_list_add(l, NC_IP);
		memcpy(n->ip, t->val, t->len);
		n->iplen = t->len;
		return 0;
	case DER_CTX_CONS(4):
		n = nc_list_add(l, NC_DIR);
		der_sub(d, t, &in);
		if (dn_parse(&in, &n->dir) == -1 ||
		    der_finish(&in, "directoryName") == -1)
			return -1;
		return 0;
	case DER_CTX_CONS(0):
	case DER_CTX_CONS(3):
	case DER_CTX_CONS(5):
	case DER_CTX(8):
		/* Not matched: kept so that a critical extension fails
		 * closed when such a name shows up. */
		nc_list_add(l, (enum nc_form)(t->tag & 0x1f));
		return 0;
	default:
		return der_fail(d, t->off, "unknown GeneralName tag 0x%02x",
		    t->tag);
	}
}

/* BaseDistance ::= INTEGER (0..MAX), here under an IMPLICIT tag: sets
 * *nonzero when it is not 0. */
static int
nc_read_distance(struct der *d, const struct der_tlv *t, const char *what,
    int *nonzero)
{
	size_t i;

	if (t->len == 0)
		return der_fail(d, t->off, "empty %s", what);
	if (t->val[0] & 0x80)
		return der_fail(d, t->off, "%s is negative", what);
	if (t->len > 1 && t->val[0] == 0 && !(t->val[1] & 0x80))
		return der_fail(d, t->off, "%s is not minimally encoded", what);
	*nonzero = 0;
	for (i = 0; i < t->len; i++)
		*nonzero |= t->val[i] != 0;
	return 0;
}

/*
 * GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree
 * GeneralSubtree ::= SEQUENCE { base GeneralName,
 *     minimum [0] BaseDistance DEFAULT 0, maximum [1] BaseDistance OPTIONAL }
 */
static int
nc_read_subtrees(struct der *d, const char *what, struct nc_list *l)
{
	struct der st;
	struct der_tlv t;
	int nonzero, r;

	if (!der_more(d))
		return der_fail(d, d->pos, "empty %s", what);
	while (der_more(d)) {
		if (l->n >= NC_MAX_SUBTREES)
			return der_fail(d, d->pos, "more than %d subtrees in %s",
			    NC_MAX_SUBTREES, what);
		if (der_enter(d, DER_SEQUENCE, "GeneralSubtree", &st) == -1 ||
		    der_next(&st, &t) == -1 ||
		    nameconstr_read_name(&st, &t, 1, l) == -1)
			return -1;
		if ((r = der_opt(&st, DER_CTX(0), "minimum", &t)) == -1)
			return -1;
		if (r == 1) {
			if (nc_read_distance(&st, &t, "minimum", &nonzero) == -1)
				return -1;
			l->v[l->n - 1].bounded |= nonzero;
		}
		if ((r = der_opt(&st, DER_CTX(1), "maximum", &t)) == -1)
			return -1;
		if (r == 1) {
			if (nc_read_distance(&st, &t, "maximum", &nonzero) == -1)
				return -1;
			l->v[l->n - 1].bounded = 1;
		}
		if (der_finish(&st, "GeneralSubtree") == -1)
			return -1;
	}
	return 0;
}

/*
 * NameConstraints ::= SEQUENCE {
 *     permittedSubtrees [0] GeneralSubtrees OPTIONAL,
 *     excludedSubtrees  [1] GeneralSubtrees OPTIONAL }
 */
int
nameconstr_parse(struct nameconstr *nc, const uint8_t *val, size_t len,
    struct err *e)
{
	struct der d, seq, in;
	int r, any = 0;

	nameconstr_clear(nc);
	der_init(&d, val, len, e);
	if (der_enter(&d, DER_SEQUENCE, "NameConstraints", &seq) == -1)
		goto fail;
	if ((r = der_peek(&seq)) == DER_CTX_CONS(0)) {
		if (der_enter(&seq, DER_CTX_CONS(0), "permittedSubtrees",
		    &in) == -1 ||
		    nc_read_subtrees(&in, "permittedSubtrees",
		    &nc->permitted) == -1)
			goto fail;
		any = 1;
	}
	if (der_peek(&seq) == DER_CTX_CONS(1)) {
		if (der_enter(&seq, DER_CTX_CONS(1), "excludedSubtrees",
		    &in) == -1 ||
		    nc_read_subtrees(&in, "excludedSubtrees",
		    &nc->excluded) == -1)
			goto fail;
		any = 1;
	}
	if (der_finish(&seq, "NameConstraints") == -1 ||
	    der_finish(&d, "nameConstraints") == -1)
		goto fail;
	/* RFC 5280 4.2.1.10: "MUST NOT issue ... an empty sequence". */
	if (!any) {
		der_fail(&d, 0, "nameConstraints has neither "
		    "permittedSubtrees nor excludedSubtrees");
		goto fail;
	}
	return 0;
fail:
	nameconstr_clear(nc);
	return -1;
}

/* The extension's value and criticality in c's TBSCertificate, which
 * cert_parse has checked already: 1 when found. */
int
nameconstr_find_ext(const struct cert *c, enum oid_id want,
    struct der_tlv *val, struct der *outer, int *critical, struct err *e)
{
	struct der d, tbs, x, exts, ext;
	struct der_tlv t, oid;

	der_init(&d, c->tbs, c->tbs_len, e);
	if (der_enter(&d, DER_SEQUENCE, "tbsCertificate", &tbs) == -1)
		return -1;
	while (der_more(&tbs)) {
		if (der_next(&tbs, &t) == -1)
			return -1;
		if (t.tag != DER_CTX_CONS(3))
			continue;
		der_sub(&tbs, &t, &x);
		if (der_enter(&x, DER_SEQUENCE, "extensions", &exts) == -1)
			return -1;
		while (der_more(&exts)) {
			if (der_enter(&exts, DER_SEQUENCE, "Extension",
			    &ext) == -1 ||
			    der_get_oid(&ext, "extnID", &oid) == -1)
				return -1;
			*critical = 0;
			if (der_peek(&ext) == DER_BOOLEAN &&
			    der_get_bool(&ext, "critical", critical) == -1)
				return -1;
			if (der_get(&ext, DER_OCTET_STRING, "extnValue",
			    val) == -1)
				return -1;
			if (oid_find(oid.val, oid.len) == want) {
				*outer = ext;
				return 1;
			}
		}
	}
	return 0;
}

int
nameconstr_from_cert(struct nameconstr *nc, const struct cert *c,
    struct err *e)
{
	struct der_tlv val;
	struct der outer;
	int critical = 0, r;

	nameconstr_clear(nc);
	if (!c->ext.has_name_constraints)
		return 0;
	r = nameconstr_find_ext(c, OID_NAME_CONSTRAINTS, &val, &outer,
	    &critical, e);
	if (r != 1)
		return r;
	if (nameconstr_parse(nc, val.val, val.len, e) == -1)
		return -1;
	nc->critical = critical;
	return 1;
}

/* ---- writing ---- */

static void
nc_write_name(struct derw *w, const struct nc_name *n)
{
	switch (n->form) {
	case NC_EMAIL:
	case NC_DNS:
	case NC_URI:
		derw_tlv(w, DER_CTX(n->form), n->text, strlen(n->text));
		break;
	case NC_IP:
		derw_tlv(w, DER_CTX(7), n->ip, n->iplen);
		break;
	case NC_DIR:
		derw_begin(w, DER_CTX_CONS(4));
		dn_encode(w, &n->dir);
		derw_end(w);
		break;
	default:
		derw_fail(w, "cannot write a %s subtree", form_names[n->form]);
		break;
	}
}

static void
nc_write_subtrees(struct derw *w, unsigned tag, const struct nc_list *l)
{
	size_t i;

	if (l->n == 0)
		return;
	derw_begin(w, tag);
	for (i = 0; i < l->n; i++) {
		derw_begin(w, DER_SEQUENCE);
		nc_write_name(w, &l->v[i]);
		derw_end(w);
	}
	derw_end(w);
}

/* NameConstraints (above): minimum and maximum never written. */
static void
nc_write(struct derw *w, const void *arg)
{
	const struct nameconstr *nc = arg;

	derw_begin(w, DER_SEQUENCE);
	nc_write_subtrees(w, DER_CTX_CONS(0), &nc->permitted);
	nc_write_subtrees(w, DER_CTX_CONS(1), &nc->excluded);
	derw_end(w);
}

uint8_t *
nameconstr_encode(const struct nameconstr *nc, size_t *len, struct err *e)
{
	if (nc->permitted.n == 0 && nc->excluded.n == 0) {
		err_set(e, ERR_USAGE, "name constraints need a permitted or an "
		    "excluded subtree");
		return NULL;
	}
	if (nc->permitted.n > NC_MAX_SUBTREES ||
	    nc->excluded.n > NC_MAX_SUBTREES) {
		err_set(e, ERR_USAGE, "more than %d subtrees", NC_MAX_SUBTREES);
		return NULL;
	}
	return der_encode(nc_write, nc, len, e);
}

/* ---- text ---- */

static unsigned
mask_prefix(const uint8_t *m, size_t n, int *contiguous)
{
	unsigned bits = 0;
	size_t i;
	int b, seen_zero = 0;

	*contiguous = 1;
	for (i = 0; i < n; i++)
		for (b = 7; b >= 0; b--) {
			if (m[i] >> b & 1) {
				if (seen_zero)
					*contiguous = 0;
				bits++;
			} else
				seen_zero = 1;
		}
	return bits;
}

char *
nc_name_text(const struct nc_name *n)
{
	char a[INET6_ADDRSTRLEN], m[INET6_ADDRSTRLEN], *s, *r;
	size_t half;
	int contiguous;
	unsigned bits;

	switch (n->form) {
	case NC_EMAIL:
	case NC_DNS:
	case NC_URI:
		return xasprintf("%s:%s", form_names[n->form], n->text);
	case NC_IP:
		if (n->iplen == 4 || n->iplen == 16) {
			inet_ntop(n->iplen == 4 ? AF_INET : AF_INET6, n->ip, a,
			    sizeof a);
			return xasprintf("IP:%s", a);
		}
		half = n->iplen / 2;
		inet_ntop(half == 4 ? AF_INET : AF_INET6, n->ip, a, sizeof a);
		bits = mask_prefix(n->ip + half, half, &contiguous);
		if (contiguous)
			return xasprintf("IP:%s/%u", a, bits);
		inet_ntop(half == 4 ? AF_INET : AF_INET6, n->ip + half, m,
		    sizeof m);
		return xasprintf("IP:%s mask %s", a, m);
	case NC_DIR:
		s = dn_to_string(&n->dir);
		r = xasprintf("dirName:%s", s);
		free(s);
		return r;
	default:
		return xstrdup(form_names[n->form]);
	}
}

static void
nc_list_text(struct buf *b, const char *label, const struct nc_list *l)
{
	size_t i;
	char *s;

	if (l->n == 0)
		return;
	buf_printf(b, "%s%s ", b->len > 0 ? "; " : "", label);
	for (i = 0; i < l->n; i++) {
		s = nc_name_text(&l->v[i]);
		buf_printf(b, "%s%s%s", i > 0 ? ", " : "", s,
		    l->v[i].bounded ? " (with minimum/maximum)" : "");
		free(s);
	}
}

char *
nameconstr_text(const struct nameconstr *nc)
{
	struct buf b;
	char *s;

	buf_init(&b);
	nc_list_text(&b, "permitted", &nc->permitted);
	nc_list_text(&b, "excluded", &nc->excluded);
	buf_putc(&b, '\0');
	s = xstrdup((const char *)b.data);
	buf_clear(&b);
	return s;
}
