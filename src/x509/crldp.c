/* crldp.c — distribution points and issuingDistributionPoint; see crldp.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/certext.h"
#include "x509/crldp.h"

void
crldp_names_clear(struct crldp_names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].val);
		dn_clear(&l->v[i].dn);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
crldp_point_clear(struct crldp_point *p)
{
	crldp_names_clear(&p->full);
	crldp_names_clear(&p->crl_issuer);
	free(p->rdn);
	memset(p, 0, sizeof *p);
}

void
crldp_idp_clear(struct crldp_idp *idp)
{
	crldp_point_clear(&idp->dp);
	memset(idp, 0, sizeof *idp);
}

/* The body of a GeneralNames (or of an IMPLICIT tag standing for it). */
static int
parse_names(struct der *seq, const char *what, struct crldp_names *l)
{
	struct crldp_name *nm;
	struct der_tlv t;
	struct der in;

	if (!der_more(seq))
		return der_fail(seq, seq->pos, "empty %s", what);
	while (der_more(seq)) {
		if (der_next(seq, &t) == -1)
			return -1;
		if (l->n == CRLDP_MAX_NAMES)
			return der_fail(seq, t.off, "more than %d names in %s",
			    CRLDP_MAX_NAMES, what);
		switch (t.tag) {
		case DER_CTX_CONS(0): case DER_CTX(1): case DER_CTX(2):
		case DER_CTX_CONS(3): case DER_CTX_CONS(4):
		case DER_CTX_CONS(5): case DER_CTX(6): case DER_CTX(7):
		case DER_CTX(8):
			break;
		default:
			return der_fail(seq, t.off, "unknown GeneralName tag "
			    "0x%02x in %s", t.tag, what);
		}
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		nm = &l->v[l->n++];
		memset(nm, 0, sizeof *nm);
		dn_init(&nm->dn);
		nm->tag = t.tag;
		nm->val = xmalloc(t.len > 0 ? t.len : 1);
		memcpy(nm->val, t.val, t.len);
		nm->len = t.len;
		if (t.tag == DER_CTX_CONS(4)) {
			der_sub(seq, &t, &in);
			if (dn_parse(&in, &nm->dn) == -1 ||
			    der_finish(&in, "directoryName") == -1)
				return -1;
		}
	}
	return 0;
}

int
crldp_parse_names(struct der *d, const char *what, struct crldp_names *l)
{
	struct der seq;

	if (der_enter(d, DER_SEQUENCE, what, &seq) == -1)
		return -1;
	return parse_names(&seq, what, l);
}

/* DistributionPointName ::= CHOICE { fullName [0] GeneralNames,
 *     nameRelativeToCRLIssuer [1] RelativeDistinguishedName }, inside the
 * [0] that holds it. */
static int
parse_dp_name(struct der *d, const struct der_tlv *outer, struct crldp_point *p)
{
	struct der in, name;
	struct der_tlv t;

	der_sub(d, outer, &in);
	if (der_next(&in, &t) == -1)
		return -1;
	if (t.tag == DER_CTX_CONS(0)) {
		der_sub(&in, &t, &name);
		if (parse_names(&name, "fullName", &p->full) == -1)
			return -1;
	} else if (t.tag == DER_CTX_CONS(1)) {
		if (t.len == 0)
			return der_fail(&in, t.off, "empty "
			    "nameRelativeToCRLIssuer");
		p->rdn = xmalloc(t.len);
		memcpy(p->rdn, t.val, t.len);
		p->rdn_len = t.len;
	} else
		return der_fail(&in, t.off, "unknown DistributionPointName tag "
		    "0x%02x", t.tag);
	p->has_name = 1;
	return der_finish(&in, "distributionPoint");
}

/* ReasonFlags ::= BIT STRING, [n] IMPLICIT: named bits 0 to 8. */
static int
parse_reasons(struct der *d, const struct der_tlv *t, const char *what,
    uint32_t *flags)
{
	unsigned u, bit;
	size_t i;

	if (t->len == 0 || t->val[0] > 7 || (t->len == 1 && t->val[0] != 0))
		return der_fail(d, t->off, "%s: bad unused-bits count", what);
	u = t->val[0];
	if (u > 0 && (t->val[t->len - 1] & ((1u << u) - 1)) != 0)
		return der_fail(d, t->off, "%s: unused bits not zero", what);
	if (t->len > 3)
		return der_fail(d, t->off, "%s: %zu bytes of flags (at most 2)",
		    what, t->len - 1);
	*flags = 0;
	for (i = 1; i < t->len; i++)
		for (bit = 0; bit < 8; bit++)
			if (t->val[i] & (0x80 >> bit)) {
				if ((i - 1) * 8 + bit > 8)
					return der_fail(d, t->off, "%s: bit %zu "
					    "is not a reason", what,
					    (i - 1) * 8 + bit);
				*flags |= 1u << ((i - 1) * 8 + bit);
			}
	return 0;
}

/* [n] IMPLICIT BOOLEAN DEFAULT FALSE: only TRUE may be encoded. */
static int
get_true(struct der *d, const struct der_tlv *t, const char *what, int *v)
{
	if (t->len != 1 || (t->val[0] != 0x00 && t->val[0] != 0xff))
		return der_fail(d, t->off, "%s: not a DER BOOLEAN", what);
	if (t->val[0] == 0x00)
		return der_fail(d, t->off, "%s FALSE is encoded (DER omits the "
		    "default)", what);
	*v = 1;
	return 0;
}

/* IssuingDistributionPoint ::= SEQUENCE {
 *     distributionPoint [0] DistributionPointName OPTIONAL,
 *     onlyContainsUserCerts [1] BOOLEAN DEFAULT FALSE,
 *     onlyContainsCACerts [2] BOOLEAN DEFAULT FALSE,
 *     onlySomeReasons [3] ReasonFlags OPTIONAL,
 *     indirectCRL [4] BOOLEAN DEFAULT FALSE,
 *     onlyContainsAttributeCerts [5] BOOLEAN DEFAULT FALSE } */
int
crldp_parse_idp(struct der *d, struct crldp_idp *idp)
{
	static const char *const names[] = { NULL, "onlyContainsUserCerts",
	    "onlyContainsCACerts", NULL, "indirectCRL",
	    "onlyContainsAttributeCerts" };
	struct der seq;
	struct der_tlv t;
	int r, *flag[6];
	unsigned k;

	crldp_idp_clear(idp);
	flag[1] = &idp->only_user;
	flag[2] = &idp->only_ca;
	flag[4] = &idp->indirect;
	flag[5] = &idp->only_attr;
	if (der_enter(d, DER_SEQUENCE, "IssuingDistributionPoint", &seq) == -1)
		return -1;
	if (!der_more(&seq))
		return der_fail(&seq, seq.pos, "empty IssuingDistributionPoint");
	if ((r = der_opt(&seq, DER_CTX_CONS(0), "distributionPoint", &t)) == -1)
		return -1;
	if (r == 1 && parse_dp_name(&seq, &t, &idp->dp) == -1)
		return -1;
	for (k = 1; k <= 5; k++) {
		if (k == 3) {
			if ((r = der_opt(&seq, DER_CTX(3), "onlySomeReasons",
			    &t)) == -1)
				return -1;
			if (r == 1) {
				if (parse_reasons(&seq, &t, "onlySomeReasons",
				    &idp->dp.reasons) == -1)
					return -1;
				idp->dp.has_reasons = 1;
			}
			continue;
		}
		if ((r = der_opt(&seq, DER_CTX(k), names[k], &t)) == -1)
			return -1;
		if (r == 1 && get_true(&seq, &t, names[k], flag[k]) == -1)
			return -1;
	}
	if (der_finish(&seq, "IssuingDistributionPoint") == -1)
		return -1;
	if (idp->only_user + idp->only_ca + idp->only_attr > 1)
		return der_fail(d, d->pos, "IssuingDistributionPoint: more than "
		    "one of onlyContainsUserCerts, onlyContainsCACerts and "
		    "onlyContainsAttributeCerts");
	idp->present = 1;
	return 0;
}

/* DistributionPoint ::= SEQUENCE { distributionPoint [0] OPTIONAL,
 *     reasons [1] ReasonFlags OPTIONAL, cRLIssuer [2] GeneralNames OPTIONAL } */
static int
parse_point(struct der *seq, struct crldp_point *p)
{
	struct der dp, in;
	struct der_tlv t;
	int r;

	if (der_enter(seq, DER_SEQUENCE, "DistributionPoint", &dp) == -1)
		return -1;
	if ((r = der_opt(&dp, DER_CTX_CONS(0), "distributionPoint", &t)) == -1)
		return -1;
	if (r == 1 && parse_dp_name(&dp, &t, p) == -1)
		return -1;
	if ((r = der_opt(&dp, DER_CTX(1), "reasons", &t)) == -1)
		return -1;
	if (r == 1) {
		if (parse_reasons(&dp, &t, "reasons", &p->reasons) == -1)
			return -1;
		p->has_reasons = 1;
	}
	if ((r = der_opt(&dp, DER_CTX_CONS(2), "cRLIssuer", &t)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&dp, &t, &in);
		if (parse_names(&in, "cRLIssuer", &p->crl_issuer) == -1)
			return -1;
	}
	return der_finish(&dp, "DistributionPoint");
}

int
crldp_read_cert(const struct cert *c, struct crldp_point **v, size_t *n,
    struct err *e)
{
	struct der val, seq;
	size_t i;
	int crit, r;

	*v = NULL;
	*n = 0;
	if ((r = certext_find(c, OID_CRL_DIST_POINTS, &val, &crit, e)) != 1)
		return r;
	if (der_enter(&val, DER_SEQUENCE, "CRLDistributionPoints", &seq) == -1)
		goto fail;
	if (!der_more(&seq)) {
		der_fail(&seq, seq.pos, "empty CRLDistributionPoints");
		goto fail;
	}
	while (der_more(&seq)) {
		if (*n == EXT_MAX_DP) {
			der_fail(&seq, seq.pos, "more than %d distribution "
			    "points", EXT_MAX_DP);
			goto fail;
		}
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		memset(&(*v)[*n], 0, sizeof **v);
		(*n)++;
		if (parse_point(&seq, &(*v)[*n - 1]) == -1)
			goto fail;
	}
	return 0;
fail:
	for (i = 0; i < *n; i++)
		crldp_point_clear(&(*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
	return err_wrap(e, "extension crlDistributionPoints");
}

int
crldp_check_points(struct der *d)
{
	struct crldp_point pt;
	struct der seq;
	size_t n = 0;
	int r = 0;

	if (der_enter(d, DER_SEQUENCE, "CRLDistributionPoints", &seq) == -1)
		return -1;
	if (!der_more(&seq))
		return der_fail(&seq, seq.pos, "empty CRLDistributionPoints");
	while (der_more(&seq) && r == 0) {
		if (n++ == EXT_MAX_DP)
			return der_fail(&seq, seq.pos, "more than %d distribution "
			    "points", EXT_MAX_DP);
		memset(&pt, 0, sizeof pt);
		r = parse_point(&seq, &pt);
		crldp_point_clear(&pt);
	}
	return r;
}

static int
name_eq(const struct crldp_name *a, const struct crldp_name *b)
{
	if (a->tag != b->tag)
		return 0;
	if (a->tag == DER_CTX_CONS(4))
		return dn_equal(&a->dn, &b->dn);
	return a->len == b->len && memcmp(a->val, b->val, a->len) == 0;
}

struct rel_arg {
	const struct dn *base;
	const uint8_t *rdn;
	size_t rdn_len;
};

static void
encode_rel(struct derw *w, const void *arg)
{
	const struct rel_arg *a = arg;
	struct der d, in;

	derw_begin(w, DER_SEQUENCE);
	if (a->base->der != NULL) {
		der_init(&d, a->base->der, a->base->derlen, NULL);
		if (der_enter(&d, DER_SEQUENCE, "Name", &in) == 0)
			derw_raw(w, in.buf + in.pos, in.end - in.pos);
	}
	derw_tlv(w, DER_SET, a->rdn, a->rdn_len);
	derw_end(w);
}

/* The point's names, a relative name resolved against base into *tmp
 * (one directoryName). Returns NULL when it has none. */
static const struct crldp_names *
point_names(const struct crldp_point *p, const struct dn *base,
    struct crldp_names *tmp)
{
	struct rel_arg a;
	struct der d;
	uint8_t *der;
	size_t len;

	tmp->v = NULL;
	tmp->n = 0;
	if (p->rdn == NULL)
		return p->has_name ? &p->full : NULL;
	if (base == NULL)
		return NULL;
	a.base = base;
	a.rdn = p->rdn;
	a.rdn_len = p->rdn_len;
	if ((der = der_encode(encode_rel, &a, &len, NULL)) == NULL)
		return NULL;
	tmp->v = xcalloc(1, sizeof *tmp->v);
	tmp->n = 1;
	tmp->v[0].tag = DER_CTX_CONS(4);
	dn_init(&tmp->v[0].dn);
	der_init(&d, der, len, NULL);
	if (dn_parse(&d, &tmp->v[0].dn) == -1) {
		free(der);
		crldp_names_clear(tmp);
		return NULL;
	}
	free(der);
	return tmp;
}

static int
names_meet(const struct crldp_names *a, const struct crldp_names *b)
{
	size_t i, j;

	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++)
			if (name_eq(&a->v[i], &b->v[j]))
				return 1;
	return 0;
}

int
crldp_points_match(const struct crldp_point *a, const struct dn *a_base,
    const struct crldp_point *b, const struct dn *b_base)
{
	struct crldp_names ta, tb;
	const struct crldp_names *na, *nb;
	int r = 0;

	na = point_names(a, a_base, &ta);
	nb = point_names(b, b_base, &tb);
	if (na != NULL && nb != NULL)
		r = names_meet(na, nb);
	crldp_names_clear(&ta);
	crldp_names_clear(&tb);
	return r;
}

int
crldp_names_have_dn(const struct crldp_names *l, const struct dn *dn)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].tag == DER_CTX_CONS(4) && dn_equal(&l->v[i].dn, dn))
			return 1;
	return 0;
}

int
crldp_point_in_names(const struct crldp_point *p, const struct dn *base,
    const struct crldp_names *l)
{
	struct crldp_names t;
	const struct crldp_names *n;
	int r = 0;

	n = point_names(p, base, &t);
	if (n != NULL)
		r = names_meet(n, l);
	crldp_names_clear(&t);
	return r;
}

void
crldp_reasons_text(uint32_t mask, char *out, size_t outlen)
{
	static const char *const names[] = { "unused", "keyCompromise",
	    "cACompromise", "affiliationChanged", "superseded",
	    "cessationOfOperation", "certificateHold", "privilegeWithdrawn",
	    "aACompromise" };
	size_t used = 0;
	unsigned b;

	out[0] = '\0';
	for (b = 1; b <= 8; b++) {
		if (!(mask & (1u << b)))
			continue;
		used += (size_t)snprintf(out + used, used < outlen ?
		    outlen - used : 0, "%s%s", used ? ", " : "", names[b]);
		if (used >= outlen)
			break;
	}
	if (used == 0)
		snprintf(out, outlen, "none");
}
