/* polext.c — certificate policy extensions; see polext.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/cert.h"
#include "x509/certext.h"
#include "x509/polext.h"

static const uint8_t any_policy[] = { 0x55, 0x1d, 0x20, 0x00 };	/* 2.5.29.32.0 */

void
pol_info_init(struct pol_info *p)
{
	memset(p, 0, sizeof *p);
	p->require_explicit = -1;
	p->inhibit_mapping = -1;
	p->inhibit_any = -1;
}

int
pol_oid_is_any(const struct pol_oid *o)
{
	return o->len == sizeof any_policy && memcmp(o->v, any_policy,
	    sizeof any_policy) == 0;
}

int
pol_oid_eq(const struct pol_oid *a, const struct pol_oid *b)
{
	return a->len == b->len && memcmp(a->v, b->v, a->len) == 0;
}

void
pol_oid_text(const struct pol_oid *o, char *out, size_t outlen)
{
	if (pol_oid_is_any(o))
		snprintf(out, outlen, "anyPolicy");
	else
		oid_to_dotted(o->v, o->len, out, outlen);
}

/* Appends arc v in base 128 to o; -1 when it does not fit. */
static int
put_arc(struct pol_oid *o, unsigned long long v)
{
	uint8_t tmp[10];
	size_t n = 0;

	do {
		tmp[n++] = (uint8_t)(v & 0x7f);
		v >>= 7;
	} while (v != 0);
	if (o->len + n > POL_MAX_OID)
		return -1;
	while (n > 0) {
		n--;
		o->v[o->len++] = (uint8_t)(tmp[n] | (n > 0 ? 0x80 : 0));
	}
	return 0;
}

int
pol_oid_from_text(struct pol_oid *o, const char *text, struct err *e)
{
	unsigned long long arcs[2] = { 0, 0 }, v;
	const char *p = text;
	size_t n = 0;

	memset(o, 0, sizeof *o);
	if (strcmp(text, "anyPolicy") == 0) {
		memcpy(o->v, any_policy, sizeof any_policy);
		o->len = sizeof any_policy;
		return 0;
	}
	for (;;) {
		if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' &&
		    p[1] <= '9'))
			goto bad;
		for (v = 0; *p >= '0' && *p <= '9'; p++) {
			if (v > (~0ULL - 9) / 10)
				goto bad;
			v = v * 10 + (unsigned)(*p - '0');
		}
		if (n < 2)
			arcs[n] = v;
		if (n == 1 && (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) ||
		    arcs[1] > ~0ULL - 80 || put_arc(o, arcs[0] * 40 +
		    arcs[1]) == -1))
			goto bad;
		if (n >= 2 && put_arc(o, v) == -1)
			goto bad;
		n++;
		if (*p == '\0')
			break;
		if (*p++ != '.')
			goto bad;
	}
	if (n < 2)
		goto bad;
	return 0;
bad:
	return err_set(e, ERR_USAGE, "bad policy OID '%s': expected dotted "
	    "digits such as 2.5.29.32.0, or anyPolicy", text);
}

/* An OID into a pol_oid; what names it in messages. */
static int
get_policy_oid(struct der *d, const char *what, struct pol_oid *o)
{
	struct der_tlv t;

	if (der_get_oid(d, what, &t) == -1)
		return -1;
	if (t.len > POL_MAX_OID)
		return der_fail(d, t.off, "%s longer than %d bytes", what,
		    POL_MAX_OID);
	memcpy(o->v, t.val, t.len);
	o->len = t.len;
	return 0;
}

/* policyQualifiers SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo
 * PolicyQualifierInfo ::= SEQUENCE { policyQualifierId OID, qualifier ANY } */
static int
check_qualifiers(struct der *d)
{
	struct der seq, q;
	struct der_tlv t;
	size_t n = 0;

	if (der_enter(d, DER_SEQUENCE, "policyQualifiers", &seq) == -1)
		return -1;
	if (!der_more(&seq))
		return der_fail(&seq, seq.pos, "empty policyQualifiers");
	while (der_more(&seq)) {
		if (++n > POL_MAX_QUALIFIERS)
			return der_fail(&seq, seq.pos, "more than %d "
			    "policyQualifiers", POL_MAX_QUALIFIERS);
		if (der_enter(&seq, DER_SEQUENCE, "PolicyQualifierInfo",
		    &q) == -1 || der_get_oid(&q, "policyQualifierId",
		    &t) == -1)
			return -1;
		if (!der_more(&q))
			return der_fail(&q, q.pos, "PolicyQualifierInfo without "
			    "qualifier");
		if (der_next(&q, &t) == -1 ||
		    der_finish(&q, "PolicyQualifierInfo") == -1)
			return -1;
	}
	return 0;
}

/* certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation
 * PolicyInformation ::= SEQUENCE { policyIdentifier CertPolicyId,
 *     policyQualifiers SEQUENCE SIZE (1..MAX) OF ... OPTIONAL } */
int
polext_parse_policies(struct der *d, struct pol_info *info)
{
	struct pol_oid seen[POL_MAX_POLICIES], o;
	struct der seq, pi;
	size_t n = 0, i, off;
	char txt[128];

	if (der_enter(d, DER_SEQUENCE, "certificatePolicies", &seq) == -1)
		return -1;
	if (!der_more(&seq))
		return der_fail(&seq, seq.pos, "empty certificatePolicies");
	while (der_more(&seq)) {
		if (n == POL_MAX_POLICIES)
			return der_fail(&seq, seq.pos, "more than %d policies",
			    POL_MAX_POLICIES);
		if (der_enter(&seq, DER_SEQUENCE, "PolicyInformation",
		    &pi) == -1)
			return -1;
		off = pi.pos;
		if (get_policy_oid(&pi, "policyIdentifier", &o) == -1)
			return -1;
		for (i = 0; i < n; i++)
			if (pol_oid_eq(&seen[i], &o)) {
				pol_oid_text(&o, txt, sizeof txt);
				return der_fail(&pi, off, "policyIdentifier %s "
				    "appears twice", txt);
			}
		seen[n++] = o;
		if (der_more(&pi) && check_qualifiers(&pi) == -1)
			return -1;
		if (der_finish(&pi, "PolicyInformation") == -1)
			return -1;
	}
	if (info != NULL) {
		info->has_policies = 1;
		memcpy(info->policies, seen, n * sizeof seen[0]);
		info->npolicies = n;
	}
	return 0;
}

/* PolicyMappings ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE {
 *     issuerDomainPolicy CertPolicyId, subjectDomainPolicy CertPolicyId } */
int
polext_parse_mappings(struct der *d, struct pol_info *info)
{
	struct pol_map maps[POL_MAX_MAPPINGS];
	struct der seq, m;
	size_t n = 0;

	if (der_enter(d, DER_SEQUENCE, "policyMappings", &seq) == -1)
		return -1;
	if (!der_more(&seq))
		return der_fail(&seq, seq.pos, "empty policyMappings");
	while (der_more(&seq)) {
		if (n == POL_MAX_MAPPINGS)
			return der_fail(&seq, seq.pos, "more than %d policy "
			    "mappings", POL_MAX_MAPPINGS);
		if (der_enter(&seq, DER_SEQUENCE, "PolicyMapping", &m) == -1 ||
		    get_policy_oid(&m, "issuerDomainPolicy",
		    &maps[n].issuer) == -1 ||
		    get_policy_oid(&m, "subjectDomainPolicy",
		    &maps[n].subject) == -1 ||
		    der_finish(&m, "PolicyMapping") == -1)
			return -1;
		n++;
	}
	if (info != NULL) {
		info->has_mappings = 1;
		memcpy(info->maps, maps, n * sizeof maps[0]);
		info->nmaps = n;
	}
	return 0;
}

/* SkipCerts ::= INTEGER (0..MAX), its contents t (tag already read);
 * values past POL_SKIP_MAX count as POL_SKIP_MAX. */
static int
skip_certs(struct der *d, const struct der_tlv *t, const char *what, long *v)
{
	unsigned long x = 0;
	size_t i;

	if (t->len == 0)
		return der_fail(d, t->off, "%s: empty INTEGER", what);
	if (t->len > 1 && ((t->val[0] == 0 && !(t->val[1] & 0x80)) ||
	    (t->val[0] == 0xff && (t->val[1] & 0x80))))
		return der_fail(d, t->off, "%s: INTEGER not minimally encoded",
		    what);
	if (t->val[0] & 0x80)
		return der_fail(d, t->off, "%s: negative SkipCerts", what);
	for (i = 0; i < t->len; i++) {
		x = (x << 8) | t->val[i];
		if (x > (unsigned long)POL_SKIP_MAX) {
			x = (unsigned long)POL_SKIP_MAX;
			break;
		}
	}
	*v = (long)x;
	return 0;
}

/* PolicyConstraints ::= SEQUENCE {
 *     requireExplicitPolicy [0] SkipCerts OPTIONAL,
 *     inhibitPolicyMapping [1] SkipCerts OPTIONAL } (IMPLICIT tags) */
int
polext_parse_constraints(struct der *d, struct pol_info *info)
{
	struct der seq;
	struct der_tlv t;
	long req = -1, inh = -1;
	int r;

	if (der_enter(d, DER_SEQUENCE, "policyConstraints", &seq) == -1)
		return -1;
	if (!der_more(&seq))
		return der_fail(&seq, seq.pos, "empty policyConstraints "
		    "(RFC 5280 4.2.1.11)");
	if ((r = der_opt(&seq, DER_CTX(0), "requireExplicitPolicy", &t)) == -1)
		return -1;
	if (r == 1 && skip_certs(&seq, &t, "requireExplicitPolicy", &req) == -1)
		return -1;
	if ((r = der_opt(&seq, DER_CTX(1), "inhibitPolicyMapping", &t)) == -1)
		return -1;
	if (r == 1 && skip_certs(&seq, &t, "inhibitPolicyMapping", &inh) == -1)
		return -1;
	if (der_finish(&seq, "policyConstraints") == -1)
		return -1;
	if (info != NULL) {
		info->has_constraints = 1;
		info->require_explicit = req;
		info->inhibit_mapping = inh;
	}
	return 0;
}

/* InhibitAnyPolicy ::= SkipCerts */
int
polext_parse_inhibit_any(struct der *d, struct pol_info *info)
{
	struct der_tlv t;
	long v;

	if (der_get(d, DER_INTEGER, "inhibitAnyPolicy", &t) == -1 ||
	    skip_certs(d, &t, "inhibitAnyPolicy", &v) == -1)
		return -1;
	if (info != NULL) {
		info->has_inhibit_any = 1;
		info->inhibit_any = v;
	}
	return 0;
}

int
polext_read_cert(const struct cert *c, struct pol_info *info, struct err *e)
{
	static const struct {
		enum oid_id id;
		int (*parse)(struct der *, struct pol_info *);
		const char *name;
	} exts[] = {
		{ OID_CERT_POLICIES, polext_parse_policies, "certificatePolicies" },
		{ OID_POLICY_MAPPINGS, polext_parse_mappings, "policyMappings" },
		{ OID_POLICY_CONSTRAINTS, polext_parse_constraints,
		    "policyConstraints" },
		{ OID_INHIBIT_ANY_POLICY, polext_parse_inhibit_any,
		    "inhibitAnyPolicy" },
	};
	struct der val;
	size_t i;
	int crit, r;

	pol_info_init(info);
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		r = certext_find(c, exts[i].id, &val, &crit, e);
		if (r == -1)
			return -1;
		if (r == 0)
			continue;
		if (exts[i].parse(&val, info) == -1 ||
		    der_finish(&val, exts[i].name) == -1)
			return err_wrap(e, "extension %s", exts[i].name);
	}
	return 0;
}
