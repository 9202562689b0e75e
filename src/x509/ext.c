/* ext.c — certificate extensions: parse, encode, SAN lists; see ext.h. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "x509/dn.h"
#include "x509/ext.h"
#include "x509/crldp.h"
#include "x509/polext.h"

#define EXT_MAX_COUNT 64	/* extensions in one certificate */
#define SAN_MAX_TEXT 1024	/* bytes in one name */

/* ---- SAN lists ---- */

void
san_list_init(struct san_list *l)
{
	l->v = NULL;
	l->n = 0;
}

void
san_list_clear(struct san_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].value);
	free(l->v);
	san_list_init(l);
}

void
san_list_add(struct san_list *l, enum san_type type, const char *value,
    const uint8_t *ip, size_t iplen)
{
	struct san *s;

	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	s = &l->v[l->n++];
	memset(s, 0, sizeof *s);
	s->type = type;
	s->value = xstrdup(value);
	if (ip != NULL && iplen <= sizeof s->ip) {
		memcpy(s->ip, ip, iplen);
		s->iplen = iplen;
	}
}

void
ext_info_init(struct ext_info *x)
{
	memset(x, 0, sizeof *x);
	x->pathlen = -1;
	san_list_init(&x->san);
}

static void
san_list_copy(struct san_list *dst, const struct san_list *src)
{
	size_t i;

	san_list_init(dst);
	for (i = 0; i < src->n; i++)
		san_list_add(dst, src->v[i].type, src->v[i].value,
		    src->v[i].ip, src->v[i].iplen);
}

void
ext_locations_clear(struct ext_info *x)
{
	size_t i;

	for (i = 0; i < x->naia; i++)
		free(x->aia[i].loc.value);
	free(x->aia);
	for (i = 0; i < x->ncdp; i++) {
		san_list_clear(&x->cdp[i].full);
		san_list_clear(&x->cdp[i].crl_issuer);
	}
	free(x->cdp);
	x->aia = NULL;
	x->naia = 0;
	x->cdp = NULL;
	x->ncdp = 0;
	x->has_aia = x->aia_critical = 0;
	x->has_cdp = x->cdp_critical = 0;
}

void
ext_info_clear(struct ext_info *x)
{
	san_list_clear(&x->san);
	ext_locations_clear(x);
	free(x->nc);
	free(x->pol);
	free(x->polc);
	free(x->polmap);
	free(x->inhany);
	ext_info_init(x);
}

void
ext_info_copy(struct ext_info *dst, const struct ext_info *src)
{
	size_t i;

	*dst = *src;
	san_list_copy(&dst->san, &src->san);
	dst->aia = NULL;
	dst->cdp = NULL;
	dst->nc = NULL;
	if (src->nc_len > 0) {
		dst->nc = xmalloc(src->nc_len);
		memcpy(dst->nc, src->nc, src->nc_len);
	}
	dst->pol = NULL;
	if (src->pol_len > 0) {
		dst->pol = xmalloc(src->pol_len);
		memcpy(dst->pol, src->pol, src->pol_len);
	}
	dst->polc = NULL;
	if (src->polc_len > 0) {
		dst->polc = xmalloc(src->polc_len);
		memcpy(dst->polc, src->polc, src->polc_len);
	}
	dst->polmap = NULL;
	if (src->polmap_len > 0) {
		dst->polmap = xmalloc(src->polmap_len);
		memcpy(dst->polmap, src->polmap, src->polmap_len);
	}
	dst->inhany = NULL;
	if (src->inhany_len > 0) {
		dst->inhany = xmalloc(src->inhany_len);
		memcpy(dst->inhany, src->inhany, src->inhany_len);
	}
	if (src->naia > 0) {
		dst->aia = xreallocarray(NULL, src->naia, sizeof *dst->aia);
		for (i = 0; i < src->naia; i++) {
			dst->aia[i] = src->aia[i];
			dst->aia[i].loc.value = xstrdup(src->aia[i].loc.value);
		}
	}
	if (src->ncdp > 0) {
		dst->cdp = xreallocarray(NULL, src->ncdp, sizeof *dst->cdp);
		for (i = 0; i < src->ncdp; i++) {
			dst->cdp[i] = src->cdp[i];
			san_list_copy(&dst->cdp[i].full, &src->cdp[i].full);
			san_list_copy(&dst->cdp[i].crl_issuer,
			    &src->cdp[i].crl_issuer);
		}
	}
}

void
ext_aia_add_uri(struct ext_info *x, enum oid_id method, const char *uri)
{
	struct ext_access *a;

	x->aia = xreallocarray(x->aia, x->naia + 1, sizeof *x->aia);
	a = &x->aia[x->naia++];
	memset(a, 0, sizeof *a);
	a->method = method;
	snprintf(a->method_oid, sizeof a->method_oid, "%s",
	    oid_get(method)->dotted);
	a->loc.type = SAN_URI;
	a->loc.value = xstrdup(uri);
	x->has_aia = 1;
}

void
ext_cdp_add_uri(struct ext_info *x, const char *uri)
{
	struct ext_dp *dp;

	x->cdp = xreallocarray(x->cdp, x->ncdp + 1, sizeof *x->cdp);
	dp = &x->cdp[x->ncdp++];
	memset(dp, 0, sizeof *dp);
	san_list_init(&dp->full);
	san_list_init(&dp->crl_issuer);
	san_list_add(&dp->full, SAN_URI, uri, NULL, 0);
	x->has_cdp = 1;
}

/* ---- parsing ---- */

/* BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
 *     pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
static int
parse_bc(struct der *d, struct ext_info *x)
{
	struct der seq;
	long v;
	int r;

	if (der_enter(d, DER_SEQUENCE, "BasicConstraints", &seq) == -1)
		return -1;
	x->ca = 0;
	x->pathlen = -1;
	if (der_peek(&seq) == DER_BOOLEAN) {
		if (der_get_bool(&seq, "cA", &r) == -1)
			return -1;
		x->ca = r;
	}
	if (der_more(&seq)) {
		if (der_get_small(&seq, "pathLenConstraint", 0x7fffffffL, &v) == -1)
			return -1;
		x->pathlen = v;
	}
	return der_finish(&seq, "BasicConstraints");
}

/* KeyUsage ::= BIT STRING */
static int
parse_ku(struct der *d, struct ext_info *x)
{
	const uint8_t *p;
	size_t len, i;
	unsigned unused;

	if (der_get_bits(d, "KeyUsage", &p, &len, &unused) == -1)
		return -1;
	x->ku = 0;
	for (i = 0; i < len && i < 2; i++) {
		unsigned b;

		for (b = 0; b < 8; b++)
			if (p[i] & (0x80 >> b) && i * 8 + b <= 8)
				x->ku |= 1u << (i * 8 + b);
	}
	return 0;
}

/* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
static int
parse_eku(struct der *d, struct ext_info *x)
{
	struct der seq;
	struct der_tlv oid;
	enum oid_id id;

	if (der_enter(d, DER_SEQUENCE, "ExtKeyUsageSyntax", &seq) == -1)
		return -1;
	x->neku = 0;
	if (!der_more(&seq))
		return der_fail(&seq, seq.pos, "empty ExtKeyUsageSyntax");
	while (der_more(&seq)) {
		if (der_get_oid(&seq, "KeyPurposeId", &oid) == -1)
			return -1;
		if (x->neku >= EXT_MAX_EKU)
			return der_fail(&seq, oid.off, "more than %d key "
			    "purposes", EXT_MAX_EKU);
		id = oid_find(oid.val, oid.len);
		if (id < OID_ANY_EKU || id > OID_KP_OCSP_SIGNING)
			id = OID_UNKNOWN;
		x->eku[x->neku++] = id;
	}
	return 0;
}

/* The text of an IA5String name; NUL and non-ASCII bytes are refused so
 * that "a.example\0.evil" cannot pass as "a.example". */
static int
ia5_text(struct der *d, const struct der_tlv *t, const char *what, char **out)
{
	size_t i;

	if (t->len > SAN_MAX_TEXT)
		return der_fail(d, t->off, "%s longer than %d bytes", what,
		    SAN_MAX_TEXT);
	for (i = 0; i < t->len; i++)
		if (t->val[i] < 0x20 || t->val[i] >= 0x7f)
			return der_fail(d, t->off, "%s: invalid character "
			    "0x%02x", what, t->val[i]);
	*out = xstrndup((const char *)t->val, t->len);
	return 0;
}

/*
 * GeneralName ::= CHOICE { otherName [0], rfc822Name [1] IA5String,
 *     dNSName [2] IA5String, x400Address [3], directoryName [4] Name,
 *     ediPartyName [5], uniformResourceIdentifier [6] IA5String,
 *     iPAddress [7] OCTET STRING, registeredID [8] OBJECT IDENTIFIER }
 *
 * One name, already read as t from d, appended to l.
 */
static int
parse_general_name(struct der *d, const struct der_tlv *t, struct san_list *l)
{
	struct der in;
	struct dn dn;
	char *s, txt[INET6_ADDRSTRLEN + 8], oid[80];
	enum san_type type;

	s = NULL;
	switch (t->tag) {
	case DER_CTX(1):
	case DER_CTX(2):
	case DER_CTX(6):
		type = t->tag == DER_CTX(1) ? SAN_EMAIL :
		    t->tag == DER_CTX(2) ? SAN_DNS : SAN_URI;
		if (ia5_text(d, t, type == SAN_EMAIL ? "rfc822Name" :
		    type == SAN_DNS ? "dNSName" : "URI", &s) == -1)
			return -1;
		san_list_add(l, type, s, NULL, 0);
		free(s);
		break;
	case DER_CTX(7):
		if (t->len == 4)
			inet_ntop(AF_INET, t->val, txt, sizeof txt);
		else if (t->len == 16)
			inet_ntop(AF_INET6, t->val, txt, sizeof txt);
		else
			return der_fail(d, t->off, "iPAddress of %zu "
			    "bytes (want 4 or 16)", t->len);
		san_list_add(l, SAN_IP, txt, t->val, t->len);
		break;
	case DER_CTX_CONS(4):
		der_sub(d, t, &in);
		dn_init(&dn);
		if (dn_parse(&in, &dn) == -1 ||
		    der_finish(&in, "directoryName") == -1) {
			dn_clear(&dn);
			return -1;
		}
		s = dn_to_string(&dn);
		dn_clear(&dn);
		{
			char *v = xasprintf("dirName:%s", s);

			san_list_add(l, SAN_OTHER, v, NULL, 0);
			free(v);
		}
		free(s);
		break;
	case DER_CTX(8):
		oid_to_dotted(t->val, t->len, oid, sizeof oid);
		s = xasprintf("registeredID:%s", oid);
		san_list_add(l, SAN_OTHER, s, NULL, 0);
		free(s);
		break;
	case DER_CTX_CONS(0):
		san_list_add(l, SAN_OTHER, "othername", NULL, 0);
		break;
	case DER_CTX_CONS(3):
		san_list_add(l, SAN_OTHER, "x400Address", NULL, 0);
		break;
	case DER_CTX_CONS(5):
		san_list_add(l, SAN_OTHER, "ediPartyName", NULL, 0);
		break;
	default:
		return der_fail(d, t->off, "unknown GeneralName tag "
		    "0x%02x", t->tag);
	}
	return 0;
}

/* The contents of a GeneralNames (SEQUENCE SIZE (1..MAX) OF GeneralName,
 * or an IMPLICIT tag standing for it), at most EXT_MAX_SAN names in l. */
static int
parse_names_body(struct der *seq, const char *what, struct san_list *l)
{
	struct der_tlv t;

	if (!der_more(seq))
		return der_fail(seq, seq->pos, "empty %s", what);
	while (der_more(seq)) {
		if (der_next(seq, &t) == -1)
			return -1;
		if (l->n >= EXT_MAX_SAN)
			return der_fail(seq, t.off, "more than %d names in %s",
			    EXT_MAX_SAN, what);
		if (parse_general_name(seq, &t, l) == -1)
			return -1;
	}
	return 0;
}

/* GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName */
static int
parse_general_names(struct der *d, const char *what, struct san_list *l)
{
	struct der seq;

	if (der_enter(d, DER_SEQUENCE, what, &seq) == -1)
		return -1;
	return parse_names_body(&seq, what, l);
}

static int
parse_san(struct der *d, struct ext_info *x)
{
	return parse_general_names(d, "GeneralNames", &x->san);
}

/* SubjectKeyIdentifier ::= KeyIdentifier ::= OCTET STRING */
static int
parse_ski(struct der *d, struct ext_info *x)
{
	struct der_tlv t;

	if (der_get(d, DER_OCTET_STRING, "SubjectKeyIdentifier", &t) == -1)
		return -1;
	if (t.len == 0 || t.len > EXT_MAX_KEYID)
		return der_fail(d, t.off, "key identifier of %zu bytes "
		    "(1 to %d allowed)", t.len, EXT_MAX_KEYID);
	memcpy(x->ski, t.val, t.len);
	x->ski_len = t.len;
	return 0;
}

/* AuthorityKeyIdentifier ::= SEQUENCE {
 *     keyIdentifier [0] KeyIdentifier OPTIONAL,
 *     authorityCertIssuer [1] GeneralNames OPTIONAL,
 *     authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL } */
int
ext_parse_aki(struct der *d, uint8_t aki[EXT_MAX_KEYID], size_t *aki_len)
{
	struct der seq;
	struct der_tlv t;
	int r;

	if (der_enter(d, DER_SEQUENCE, "AuthorityKeyIdentifier", &seq) == -1)
		return -1;
	if ((r = der_opt(&seq, DER_CTX(0), "keyIdentifier", &t)) == -1)
		return -1;
	if (r == 1) {
		if (t.len == 0 || t.len > EXT_MAX_KEYID)
			return der_fail(&seq, t.off, "key identifier of %zu "
			    "bytes (1 to %d allowed)", t.len, EXT_MAX_KEYID);
		memcpy(aki, t.val, t.len);
		*aki_len = t.len;
	}
	/* The issuer and serial form is tolerated, not used. */
	if ((r = der_opt(&seq, DER_CTX_CONS(1), "authorityCertIssuer", &t)) == -1)
		return -1;
	if ((r = der_opt(&seq, DER_CTX(2), "authorityCertSerialNumber", &t)) == -1)
		return -1;
	return der_finish(&seq, "AuthorityKeyIdentifier");
}

static int
parse_aki(struct der *d, struct ext_info *x)
{
	return ext_parse_aki(d, x->aki, &x->aki_len);
}

/*
 * AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
 * AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER,
 *     accessLocation GeneralName }
 */
static int
parse_aia(struct der *d, struct ext_info *x)
{
	struct der seq, ad;
	struct der_tlv oid, t;
	struct san_list one;
	struct ext_access *a;
	enum oid_id id;

	if (der_enter(d, DER_SEQUENCE, "AuthorityInfoAccessSyntax",
	    &seq) == -1)
		return -1;
	if (!der_more(&seq))
		return der_fail(&seq, seq.pos, "empty "
		    "AuthorityInfoAccessSyntax");
	while (der_more(&seq)) {
		if (x->naia >= EXT_MAX_ACCESS)
			return der_fail(&seq, seq.pos, "more than %d access "
			    "descriptions", EXT_MAX_ACCESS);
		if (der_enter(&seq, DER_SEQUENCE, "AccessDescription",
		    &ad) == -1 ||
		    der_get_oid(&ad, "accessMethod", &oid) == -1)
			return -1;
		if (!der_more(&ad))
			return der_fail(&ad, ad.pos, "AccessDescription "
			    "without accessLocation");
		if (der_next(&ad, &t) == -1)
			return -1;
		san_list_init(&one);
		if (parse_general_name(&ad, &t, &one) == -1 ||
		    der_finish(&ad, "AccessDescription") == -1) {
			san_list_clear(&one);
			return -1;
		}
		x->aia = xreallocarray(x->aia, x->naia + 1, sizeof *x->aia);
		a = &x->aia[x->naia++];
		memset(a, 0, sizeof *a);
		id = oid_find(oid.val, oid.len);
		a->method = id == OID_AD_OCSP || id == OID_AD_CA_ISSUERS ? id :
		    OID_UNKNOWN;
		oid_to_dotted(oid.val, oid.len, a->method_oid,
		    sizeof a->method_oid);
		/* Move the one name out of its list. */
		a->loc = one.v[0];
		free(one.v);
	}
	return 0;
}

/* ReasonFlags ::= BIT STRING, as [1] IMPLICIT: bits 0 to 8. */
static int
parse_reason_flags(struct der *d, const struct der_tlv *t, uint32_t *flags)
{
	size_t i;
	unsigned b, u;

	if (t->len == 0 || t->val[0] > 7 || (t->len == 1 && t->val[0] != 0))
		return der_fail(d, t->off, "reasons: bad unused-bits count");
	u = t->val[0];
	if (u > 0 && (t->val[t->len - 1] & ((1u << u) - 1)) != 0)
		return der_fail(d, t->off, "reasons: unused bits not zero");
	*flags = 0;
	for (i = 1; i < t->len; i++)
		for (b = 0; b < 8; b++)
			if (t->val[i] & (0x80 >> b)) {
				if ((i - 1) * 8 + b > 8)
					return der_fail(d, t->off, "reasons: "
					    "bit %zu is not a reason",
					    (i - 1) * 8 + b);
				*flags |= 1u << ((i - 1) * 8 + b);
			}
	return 0;
}

/*
 * CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
 * DistributionPoint ::= SEQUENCE {
 *     distributionPoint [0] DistributionPointName OPTIONAL,
 *     reasons [1] ReasonFlags OPTIONAL,
 *     cRLIssuer [2] GeneralNames OPTIONAL }
 * DistributionPointName ::= CHOICE {
 *     fullName [0] GeneralNames,
 *     nameRelativeToCRLIssuer [1] RelativeDistinguishedName }
 * (the module's tags are IMPLICIT; the CHOICE under [0] keeps its own)
 */
static int
parse_cdp(struct der *d, struct ext_info *x)
{
	struct der seq, dp, in, name;
	struct der_tlv t;
	struct ext_dp *p;
	int r;

	if (der_enter(d, DER_SEQUENCE, "CRLDistributionPoints", &seq) == -1)
		return -1;
	if (!der_more(&seq))
		return der_fail(&seq, seq.pos, "empty CRLDistributionPoints");
	while (der_more(&seq)) {
		if (x->ncdp >= EXT_MAX_DP)
			return der_fail(&seq, seq.pos, "more than %d "
			    "distribution points", EXT_MAX_DP);
		if (der_enter(&seq, DER_SEQUENCE, "DistributionPoint",
		    &dp) == -1)
			return -1;
		/* In the list first, so that ext_info_clear frees what a
		 * failure below leaves. */
		x->cdp = xreallocarray(x->cdp, x->ncdp + 1, sizeof *x->cdp);
		p = &x->cdp[x->ncdp++];
		memset(p, 0, sizeof *p);
		san_list_init(&p->full);
		san_list_init(&p->crl_issuer);
		if ((r = der_opt(&dp, DER_CTX_CONS(0), "distributionPoint",
		    &t)) == -1)
			return -1;
		if (r == 1) {
			der_sub(&dp, &t, &in);
			if (der_next(&in, &t) == -1)
				return -1;
			if (t.tag == DER_CTX_CONS(0)) {
				der_sub(&in, &t, &name);
				if (parse_names_body(&name, "fullName",
				    &p->full) == -1)
					return -1;
			} else if (t.tag == DER_CTX_CONS(1))
				p->relative = 1;
			else
				return der_fail(&in, t.off, "unknown "
				    "DistributionPointName tag 0x%02x", t.tag);
			if (der_finish(&in, "distributionPoint") == -1)
				return -1;
		}
		if ((r = der_opt(&dp, DER_CTX(1), "reasons", &t)) == -1)
			return -1;
		if (r == 1) {
			if (parse_reason_flags(&dp, &t, &p->reasons) == -1)
				return -1;
			p->has_reasons = 1;
		}
		if ((r = der_opt(&dp, DER_CTX_CONS(2), "cRLIssuer", &t)) == -1)
			return -1;
		if (r == 1) {
			der_sub(&dp, &t, &name);
			if (parse_names_body(&name, "cRLIssuer",
			    &p->crl_issuer) == -1)
				return -1;
		}
		if (der_finish(&dp, "DistributionPoint") == -1)
			return -1;
	}
	return 0;
}

/* Extensions we recognise but do not interpret: the value is skipped
 * unread, as a malformed one must not hide the rest of the certificate. */
static int
parse_skip(struct der *d, struct ext_info *x)
{
	d->pos = d->end;
	return 0;
}

static int
parse_name_constraints(struct der *d, struct ext_info *x)
{
	/* Kept as it is: nameconstr.c reads it where it is used, and a
	 * renewal writes it back unchanged. */
	x->has_name_constraints = 1;
	free(x->nc);
	x->nc_len = d->end - d->pos;
	x->nc = xmalloc(x->nc_len > 0 ? x->nc_len : 1);
	memcpy(x->nc, d->buf + d->pos, x->nc_len);
	return parse_skip(d, x);
}

/* The policy extensions are checked here and read again by path
 * validation (x509/polext.h). */
/* Keeps the value as it is (a renewal writes it back unchanged). */
static void
keep_raw(const struct der *d, uint8_t **v, size_t *len)
{
	free(*v);
	*len = d->end - d->pos;
	*v = xmalloc(*len > 0 ? *len : 1);
	memcpy(*v, d->buf + d->pos, *len);
}

static int
parse_policies(struct der *d, struct ext_info *x)
{
	x->has_policies = 1;
	keep_raw(d, &x->pol, &x->pol_len);
	return polext_parse_policies(d, NULL);
}

static int
parse_policy_mappings(struct der *d, struct ext_info *x)
{
	keep_raw(d, &x->polmap, &x->polmap_len);
	return polext_parse_mappings(d, NULL);
}

static int
parse_policy_constraints(struct der *d, struct ext_info *x)
{
	keep_raw(d, &x->polc, &x->polc_len);
	return polext_parse_constraints(d, NULL);
}

static int
parse_inhibit_any(struct der *d, struct ext_info *x)
{
	keep_raw(d, &x->inhany, &x->inhany_len);
	return polext_parse_inhibit_any(d, NULL);
}

/* freshestCRL: where delta CRLs are (RFC 5280 4.2.1.15); checked, not kept. */
static int
parse_freshest(struct der *d, struct ext_info *x)
{
	return crldp_check_points(d);
}

enum ext_mode {
	EXT_PROCESSED,	/* we interpret it */
	EXT_DEFERRED,	/* path validation decides; never unknown_critical */
	EXT_IGNORED,	/* known, not processed: critical means unknown_critical */
};

static const struct ext_handler {
	enum oid_id id;
	enum ext_mode mode;
	int (*parse)(struct der *, struct ext_info *);
} ext_handlers[] = {
	{ OID_BASIC_CONSTRAINTS, EXT_PROCESSED, parse_bc },
	{ OID_KEY_USAGE, EXT_PROCESSED, parse_ku },
	{ OID_EXT_KEY_USAGE, EXT_PROCESSED, parse_eku },
	{ OID_SUBJECT_ALT_NAME, EXT_PROCESSED, parse_san },
	{ OID_SUBJECT_KEY_ID, EXT_PROCESSED, parse_ski },
	{ OID_AUTHORITY_KEY_ID, EXT_PROCESSED, parse_aki },
	{ OID_NAME_CONSTRAINTS, EXT_DEFERRED, parse_name_constraints },
	{ OID_CERT_POLICIES, EXT_DEFERRED, parse_policies },
	{ OID_POLICY_MAPPINGS, EXT_DEFERRED, parse_policy_mappings },
	{ OID_POLICY_CONSTRAINTS, EXT_DEFERRED, parse_policy_constraints },
	{ OID_INHIBIT_ANY_POLICY, EXT_DEFERRED, parse_inhibit_any },
	/* Read and shown, not used by path validation: critical means
	 * unknown_critical as before. */
	{ OID_CRL_DIST_POINTS, EXT_IGNORED, parse_cdp },
	{ OID_AUTHORITY_INFO_ACCESS, EXT_IGNORED, parse_aia },
	{ OID_FRESHEST_CRL, EXT_IGNORED, parse_freshest },
	{ OID_ISSUER_ALT_NAME, EXT_IGNORED, parse_skip },
};

static const struct ext_handler *
ext_handler_find(enum oid_id id)
{
	size_t i;

	for (i = 0; i < sizeof ext_handlers / sizeof ext_handlers[0]; i++)
		if (ext_handlers[i].id == id)
			return &ext_handlers[i];
	return NULL;
}

static void
set_present(struct ext_info *x, enum oid_id id, int critical)
{
	switch (id) {
	case OID_BASIC_CONSTRAINTS:
		x->has_bc = 1;
		x->bc_critical = critical;
		break;
	case OID_KEY_USAGE:
		x->has_ku = 1;
		x->ku_critical = critical;
		break;
	case OID_EXT_KEY_USAGE:
		x->has_eku = 1;
		x->eku_critical = critical;
		break;
	case OID_SUBJECT_ALT_NAME:
		x->has_san = 1;
		x->san_critical = critical;
		break;
	case OID_AUTHORITY_INFO_ACCESS:
		x->has_aia = 1;
		x->aia_critical = critical;
		break;
	case OID_CRL_DIST_POINTS:
		x->has_cdp = 1;
		x->cdp_critical = critical;
		break;
	case OID_NAME_CONSTRAINTS:
		x->nc_critical = critical;
		break;
	default:
		break;
	}
}

/*
 * Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
 * Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER,
 *     critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 */
int
ext_parse(struct der *d, struct ext_info *x)
{
	struct der_tlv seen[EXT_MAX_COUNT], oid, val;
	const struct ext_handler *h;
	struct der ext, in;
	size_t nseen = 0, i;
	enum oid_id id;
	char name[80];
	int critical;

	if (!der_more(d))
		return der_fail(d, d->pos, "empty Extensions");
	while (der_more(d)) {
		if (der_enter(d, DER_SEQUENCE, "Extension", &ext) == -1 ||
		    der_get_oid(&ext, "extnID", &oid) == -1)
			return -1;
		oid_to_text(oid.val, oid.len, name, sizeof name);
		for (i = 0; i < nseen; i++)
			if (seen[i].len == oid.len &&
			    memcmp(seen[i].val, oid.val, oid.len) == 0)
				return der_fail(&ext, oid.off,
				    "duplicate extension %s", name);
		if (nseen >= EXT_MAX_COUNT)
			return der_fail(&ext, oid.off, "more than %d extensions",
			    EXT_MAX_COUNT);
		seen[nseen++] = oid;
		critical = 0;
		if (der_peek(&ext) == DER_BOOLEAN &&
		    der_get_bool(&ext, "critical", &critical) == -1)
			return -1;
		if (der_get(&ext, DER_OCTET_STRING, "extnValue", &val) == -1 ||
		    der_finish(&ext, "Extension") == -1)
			return -1;
		id = oid_find(oid.val, oid.len);
		h = ext_handler_find(id);
		if (h == NULL || h->mode == EXT_IGNORED) {
			if (critical && !x->unknown_critical) {
				x->unknown_critical = 1;
				oid_to_dotted(oid.val, oid.len,
				    x->unknown_critical_oid,
				    sizeof x->unknown_critical_oid);
			}
			if (h == NULL)
				continue;
		}
		der_sub(&ext, &val, &in);
		if (h->parse(&in, x) == -1 ||
		    der_finish(&in, name) == -1)
			return err_wrap(d->err, "extension %s", name);
		set_present(x, id, critical);
	}
	return 0;
}

/* ---- encoding ---- */

static int
ext_san_encodable(const struct san *s)
{
	return s->type == SAN_DNS || s->type == SAN_EMAIL ||
	    s->type == SAN_URI || (s->type == SAN_IP &&
	    (s->iplen == 4 || s->iplen == 16));
}

/* One GeneralName; nothing for a name ext_san_encodable refuses. */
static void
encode_general_name(struct derw *w, const struct san *s)
{
	switch (s->type) {
	case SAN_DNS:
		derw_tlv(w, DER_CTX(2), s->value, strlen(s->value));
		break;
	case SAN_EMAIL:
		derw_tlv(w, DER_CTX(1), s->value, strlen(s->value));
		break;
	case SAN_URI:
		derw_tlv(w, DER_CTX(6), s->value, strlen(s->value));
		break;
	case SAN_IP:
		if (ext_san_encodable(s))
			derw_tlv(w, DER_CTX(7), s->ip, s->iplen);
		break;
	default:
		break;
	}
}

/* The names of l, inside a GeneralNames the caller opened. */
static void
encode_names_body(struct derw *w, const struct san_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		encode_general_name(w, &l->v[i]);
}

static void
encode_san(struct derw *w, const struct san_list *l)
{
	derw_begin(w, DER_SEQUENCE);
	encode_names_body(w, l);
	derw_end(w);
}

static int
ext_access_encodable(const struct ext_access *a)
{
	return (a->method == OID_AD_OCSP || a->method == OID_AD_CA_ISSUERS) &&
	    a->loc.value != NULL && ext_san_encodable(&a->loc);
}

static size_t
ext_names_count(const struct san_list *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += ext_san_encodable(&l->v[i]);
	return n;
}

static size_t
ext_aia_count(const struct ext_info *x)
{
	size_t i, n = 0;

	for (i = 0; i < x->naia; i++)
		n += ext_access_encodable(&x->aia[i]);
	return n;
}

static size_t
ext_cdp_count(const struct ext_info *x)
{
	size_t i, n = 0;

	for (i = 0; i < x->ncdp; i++)
		n += ext_names_count(&x->cdp[i].full) > 0;
	return n;
}

/* AuthorityInfoAccessSyntax (definition at parse_aia). */
static void
encode_aia(struct derw *w, const struct ext_info *x)
{
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	for (i = 0; i < x->naia; i++) {
		if (!ext_access_encodable(&x->aia[i]))
			continue;
		derw_begin(w, DER_SEQUENCE);
		derw_oid(w, x->aia[i].method);
		encode_general_name(w, &x->aia[i].loc);
		derw_end(w);
	}
	derw_end(w);
}

/* CRLDistributionPoints (definition at parse_cdp): each point as
 * distributionPoint fullName only. */
static void
encode_cdp(struct derw *w, const struct ext_info *x)
{
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	for (i = 0; i < x->ncdp; i++) {
		if (ext_names_count(&x->cdp[i].full) == 0)
			continue;
		derw_begin(w, DER_SEQUENCE);
		derw_begin(w, DER_CTX_CONS(0));	/* distributionPoint */
		derw_begin(w, DER_CTX_CONS(0));	/* fullName */
		encode_names_body(w, &x->cdp[i].full);
		derw_end(w);
		derw_end(w);
		derw_end(w);
	}
	derw_end(w);
}

static size_t
ext_san_count(const struct ext_info *x)
{
	size_t i, n = 0;

	for (i = 0; i < x->san.n; i++)
		n += ext_san_encodable(&x->san.v[i]);
	return n;
}

static size_t
ext_eku_count(const struct ext_info *x)
{
	size_t i, n = 0;

	for (i = 0; i < x->neku && i < EXT_MAX_EKU; i++)
		n += x->eku[i] != OID_UNKNOWN;
	return n;
}

int
ext_count(const struct ext_info *x)
{
	return (x->has_bc != 0) + (x->has_ku != 0) +
	    (x->has_eku && ext_eku_count(x) > 0) +
	    (x->has_san && ext_san_count(x) > 0) +
	    (x->ski_len > 0) + (x->aki_len > 0) +
	    (x->has_aia && ext_aia_count(x) > 0) +
	    (x->has_cdp && ext_cdp_count(x) > 0) + (x->nc_len > 0) +
	    (x->pol_len > 0) + (x->polc_len > 0) + (x->polmap_len > 0) +
	    (x->inhany_len > 0);
}

void
ext_begin(struct derw *w, enum oid_id id, int critical)
{
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, id);
	if (critical)
		derw_bool(w, 1);
	derw_begin(w, DER_OCTET_STRING);
}

void
ext_end(struct derw *w)
{
	derw_end(w);	/* OCTET STRING */
	derw_end(w);	/* Extension */
}

void
ext_encode(struct derw *w, const struct ext_info *x)
{
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	if (x->has_bc) {
		ext_begin(w, OID_BASIC_CONSTRAINTS, 1);
		derw_begin(w, DER_SEQUENCE);
		if (x->ca) {
			derw_bool(w, 1);
			if (x->pathlen >= 0)
				derw_small(w, x->pathlen);
		}
		derw_end(w);
		ext_end(w);
	}
	if (x->has_ku) {
		ext_begin(w, OID_KEY_USAGE, 1);
		derw_named_bits(w, x->ku, 9);
		ext_end(w);
	}
	if (x->has_eku && ext_eku_count(x) > 0) {
		ext_begin(w, OID_EXT_KEY_USAGE, x->eku_critical);
		derw_begin(w, DER_SEQUENCE);
		for (i = 0; i < x->neku && i < EXT_MAX_EKU; i++)
			if (x->eku[i] != OID_UNKNOWN)
				derw_oid(w, x->eku[i]);
		derw_end(w);
		ext_end(w);
	}
	if (x->has_san && ext_san_count(x) > 0) {
		ext_begin(w, OID_SUBJECT_ALT_NAME, x->san_critical);
		encode_san(w, &x->san);
		ext_end(w);
	}
	if (x->ski_len > 0 && x->ski_len <= EXT_MAX_KEYID) {
		ext_begin(w, OID_SUBJECT_KEY_ID, 0);
		derw_tlv(w, DER_OCTET_STRING, x->ski, x->ski_len);
		ext_end(w);
	}
	if (x->aki_len > 0 && x->aki_len <= EXT_MAX_KEYID) {
		ext_begin(w, OID_AUTHORITY_KEY_ID, 0);
		derw_begin(w, DER_SEQUENCE);
		derw_tlv(w, DER_CTX(0), x->aki, x->aki_len);
		derw_end(w);
		ext_end(w);
	}
	/* RFC 5280 4.2.2.1 and 4.2.1.13: non-critical. */
	if (x->has_aia && ext_aia_count(x) > 0) {
		ext_begin(w, OID_AUTHORITY_INFO_ACCESS, 0);
		encode_aia(w, x);
		ext_end(w);
	}
	if (x->has_cdp && ext_cdp_count(x) > 0) {
		ext_begin(w, OID_CRL_DIST_POINTS, 0);
		encode_cdp(w, x);
		ext_end(w);
	}
	if (x->nc_len > 0) {
		ext_begin(w, OID_NAME_CONSTRAINTS, x->nc_critical);
		derw_raw(w, x->nc, x->nc_len);
		ext_end(w);
	}
	if (x->pol_len > 0) {
		ext_begin(w, OID_CERT_POLICIES, 0);
		derw_raw(w, x->pol, x->pol_len);
		ext_end(w);
	}
	/* RFC 5280 4.2.1.5: "Conforming CAs SHOULD mark this extension as
	 * critical". */
	if (x->polmap_len > 0) {
		ext_begin(w, OID_POLICY_MAPPINGS, 1);
		derw_raw(w, x->polmap, x->polmap_len);
		ext_end(w);
	}
	/* RFC 5280 4.2.1.11: "Conforming CAs MUST mark this extension as
	 * critical". */
	if (x->polc_len > 0) {
		ext_begin(w, OID_POLICY_CONSTRAINTS, 1);
		derw_raw(w, x->polc, x->polc_len);
		ext_end(w);
	}
	/* RFC 5280 4.2.1.14: "Conforming CAs MUST mark this extension as
	 * critical". */
	if (x->inhany_len > 0) {
		ext_begin(w, OID_INHIBIT_ANY_POLICY, 1);
		derw_raw(w, x->inhany, x->inhany_len);
		ext_end(w);
	}
	derw_end(w);
}

/* ---- SAN text lists ---- */

static int
dns_name_ok(const char *s)
{
	size_t label = 0, total = strlen(s);
	const char *p = s;
	char prev = '.';

	if (strncmp(p, "*.", 2) == 0)
		p += 2;
	if (*p == '\0' || total > 253)
		return 0;
	for (; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0 || prev == '-')
				return 0;
			label = 0;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-') {
			if (label == 0 && *p == '-')
				return 0;
			if (++label > 63)
				return 0;
		} else
			return 0;
		prev = *p;
	}
	return label > 0 && prev != '-';
}

/* Printable ASCII without spaces: email addresses and URIs. */
static int
san_ascii_ok(const char *v)
{
	size_t i;

	for (i = 0; v[i] != '\0'; i++)
		if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7f)
			return 0;
	return 1;
}

int
san_value_ok(const struct san *s)
{
	if (s->value == NULL)
		return 0;
	switch (s->type) {
	case SAN_DNS:
		return dns_name_ok(s->value);
	case SAN_IP:
		return s->iplen == 4 || s->iplen == 16;
	case SAN_EMAIL:
		return strchr(s->value, '@') != NULL && s->value[0] != '@' &&
		    san_ascii_ok(s->value);
	case SAN_URI:
		return strchr(s->value, ':') != NULL && s->value[0] != ':' &&
		    san_ascii_ok(s->value);
	default:
		return 0;
	}
}

static const struct {
	const char *prefix;
	enum san_type type;
} san_prefixes[] = {
	{ "DNS", SAN_DNS }, { "IP", SAN_IP }, { "email", SAN_EMAIL },
	{ "URI", SAN_URI },
};

static int
san_parse_item(struct san_list *l, const char *item, unsigned idx,
    struct err *e)
{
	const char *colon = strchr(item, ':'), *v = item;
	enum san_type type = SAN_DNS;
	uint8_t ip[16];
	size_t i, plen;

	if (*item == '\0')
		return err_set(e, ERR_USAGE, "SAN item %u: empty", idx);
	if (strlen(item) > SAN_MAX_TEXT)
		return err_set(e, ERR_USAGE, "SAN item %u: longer than %d bytes",
		    idx, SAN_MAX_TEXT);
	if (colon != NULL) {
		plen = (size_t)(colon - item);
		for (i = 0; i < sizeof san_prefixes / sizeof san_prefixes[0]; i++)
			if (strlen(san_prefixes[i].prefix) == plen &&
			    strncasecmp(san_prefixes[i].prefix, item, plen) == 0)
				break;
		if (i == sizeof san_prefixes / sizeof san_prefixes[0])
			return err_set(e, ERR_USAGE, "SAN item %u '%s': unknown "
			    "type '%.*s' (known: DNS, IP, email, URI)", idx, item,
			    (int)plen, item);
		type = san_prefixes[i].type;
		v = colon + 1;
	}
	switch (type) {
	case SAN_DNS:
		if (!dns_name_ok(v))
			return err_set(e, ERR_USAGE, "SAN item %u '%s': not a "
			    "DNS name", idx, item);
		san_list_add(l, SAN_DNS, v, NULL, 0);
		break;
	case SAN_IP:
		if (inet_pton(AF_INET, v, ip) == 1)
			san_list_add(l, SAN_IP, v, ip, 4);
		else if (inet_pton(AF_INET6, v, ip) == 1) {
			char txt[INET6_ADDRSTRLEN];

			/* Store the canonical text, as a parse would. */
			inet_ntop(AF_INET6, ip, txt, sizeof txt);
			san_list_add(l, SAN_IP, txt, ip, 16);
		} else
			return err_set(e, ERR_USAGE, "SAN item %u '%s': not an "
			    "IP address", idx, item);
		break;
	case SAN_EMAIL:
		if (strchr(v, '@') == NULL || v[0] == '@')
			return err_set(e, ERR_USAGE, "SAN item %u '%s': not an "
			    "email address", idx, item);
		goto ascii;
	case SAN_URI:
		if (strchr(v, ':') == NULL || v[0] == ':')
			return err_set(e, ERR_USAGE, "SAN item %u '%s': not a "
			    "URI", idx, item);
	ascii:
		if (!san_ascii_ok(v))
			return err_set(e, ERR_USAGE, "SAN item %u '%s': "
			    "only printable ASCII without spaces is "
			    "allowed", idx, item);
		san_list_add(l, type, v, NULL, 0);
		break;
	default:
		break;
	}
	return 0;
}

int
san_parse_list(struct san_list *l, const char *text, struct err *e)
{
	const char *p = text, *end;
	size_t n0 = l->n, a, b;
	unsigned idx = 1;
	char *item;
	int r;

	for (;;) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		a = 0;
		b = (size_t)(end - p);
		while (a < b && p[a] == ' ')
			a++;
		while (b > a && p[b - 1] == ' ')
			b--;
		if (l->n >= EXT_MAX_SAN) {
			r = err_set(e, ERR_USAGE, "more than %d SAN items",
			    EXT_MAX_SAN);
			goto fail;
		}
		item = xstrndup(p + a, b - a);
		r = san_parse_item(l, item, idx, e);
		free(item);
		if (r == -1)
			goto fail;
		if (*end == '\0')
			break;
		p = end + 1;
		idx++;
	}
	return 0;
fail:
	/* Leave the list as it was. */
	while (l->n > n0)
		free(l->v[--l->n].value);
	return -1;
}
