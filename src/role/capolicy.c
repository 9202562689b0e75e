/* capolicy.c — certificatePolicies and policyConstraints a CA writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "role/capolicy.h"
#include "util/xalloc.h"
#include "x509/dn.h"
#include "x509/polext.h"

/* id-qt-cps, 1.3.6.1.5.5.7.2.1 */
static const uint8_t qt_cps[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02,
	0x01 };

struct polw {
	const struct pol_oid *v;
	size_t n;
	const char *cps;
	long req, inh;
	const struct pol_map *maps;
	size_t nmaps;
	long any;
};

void
capolicy_init(struct capolicy *p)
{
	memset(p, 0, sizeof *p);
	p->require_explicit = -1;
	p->inhibit_mapping = -1;
	p->inhibit_any = -1;
}

int
capolicy_any(const struct capolicy *p)
{
	return p != NULL && (p->policies != NULL || p->cps != NULL ||
	    p->mappings != NULL || p->require_explicit >= 0 ||
	    p->inhibit_mapping >= 0 || p->inhibit_any >= 0);
}

static void
write_policies(struct derw *w, const void *arg)
{
	const struct polw *p = arg;
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	for (i = 0; i < p->n; i++) {
		derw_begin(w, DER_SEQUENCE);
		derw_tlv(w, DER_OID, p->v[i].v, p->v[i].len);
		if (p->cps != NULL) {
			derw_begin(w, DER_SEQUENCE);
			derw_begin(w, DER_SEQUENCE);
			derw_tlv(w, DER_OID, qt_cps, sizeof qt_cps);
			derw_string(w, DER_IA5STRING, p->cps);
			derw_end(w);
			derw_end(w);
		}
		derw_end(w);
	}
	derw_end(w);
}

/* SkipCerts content bytes: one is enough for 0 to 64. */
static void
write_constraints(struct derw *w, const void *arg)
{
	const struct polw *p = arg;
	uint8_t b;

	derw_begin(w, DER_SEQUENCE);
	if (p->req >= 0) {
		b = (uint8_t)p->req;
		derw_tlv(w, DER_CTX(0), &b, 1);
	}
	if (p->inh >= 0) {
		b = (uint8_t)p->inh;
		derw_tlv(w, DER_CTX(1), &b, 1);
	}
	derw_end(w);
}

/* PolicyMappings ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE {
 *	issuerDomainPolicy CertPolicyId, subjectDomainPolicy CertPolicyId } */
static void
write_mappings(struct derw *w, const void *arg)
{
	const struct polw *p = arg;
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	for (i = 0; i < p->nmaps; i++) {
		derw_begin(w, DER_SEQUENCE);
		derw_tlv(w, DER_OID, p->maps[i].issuer.v, p->maps[i].issuer.len);
		derw_tlv(w, DER_OID, p->maps[i].subject.v,
		    p->maps[i].subject.len);
		derw_end(w);
	}
	derw_end(w);
}

/* InhibitAnyPolicy ::= SkipCerts (INTEGER 0..MAX) */
static void
write_inhibit_any(struct derw *w, const void *arg)
{
	const struct polw *p = arg;

	derw_small(w, p->any);
}

/* An http:// or https:// URI with a host part, printable ASCII. */
static int
cps_ok(const char *s)
{
	size_t i, n = strlen(s), scheme;

	if (strncmp(s, "http://", 7) == 0)
		scheme = 7;
	else if (strncmp(s, "https://", 8) == 0)
		scheme = 8;
	else
		return 0;
	if (n > CAPOLICY_CPS_MAX || n == scheme || s[scheme] == '/')
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

static int
skip_ok(const char *opt, long v, struct err *e)
{
	if (v < -1 || v > CAPOLICY_MAX_SKIP)
		return err_set(e, ERR_USAGE, "--%s: %ld: use 0 to %d", opt, v,
		    CAPOLICY_MAX_SKIP);
	return 0;
}

/* Splits "a,b" into oids; ERR_USAGE naming the bad one. */
static int
parse_list(const char *list, struct pol_oid *v, size_t *n, struct err *e)
{
	char *copy = xstrdup(list), *p, *q;
	char txt[128];
	size_t i;
	int rc = -1;

	*n = 0;
	for (p = copy; ; p = q + 1) {
		if ((q = strchr(p, ',')) != NULL)
			*q = '\0';
		if (*n == POL_MAX_POLICIES) {
			err_set(e, ERR_USAGE, "--policy: more than %d policies",
			    POL_MAX_POLICIES);
			goto out;
		}
		if (pol_oid_from_text(&v[*n], p, e) == -1) {
			err_wrap(e, "--policy");
			goto out;
		}
		for (i = 0; i < *n; i++)
			if (pol_oid_eq(&v[i], &v[*n])) {
				pol_oid_text(&v[i], txt, sizeof txt);
				err_set(e, ERR_USAGE, "--policy: %s appears "
				    "twice", txt);
				goto out;
			}
		(*n)++;
		if (q == NULL)
			break;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

/* Splits "a=b,c=d" into maps; ERR_USAGE naming the bad item. */
static int
parse_maps(const char *list, struct pol_map *v, size_t *n, struct err *e)
{
	char *copy = xstrdup(list), *p, *q, *eq;
	char a[128], b[128];
	size_t i;
	int rc = -1;

	*n = 0;
	for (p = copy; ; p = q + 1) {
		if ((q = strchr(p, ',')) != NULL)
			*q = '\0';
		if (*n == POL_MAX_MAPPINGS) {
			err_set(e, ERR_USAGE, "--policy-map: more than %d "
			    "mappings", POL_MAX_MAPPINGS);
			goto out;
		}
		if ((eq = strchr(p, '=')) == NULL || strchr(eq + 1, '=')) {
			err_set(e, ERR_USAGE, "--policy-map: '%s': expected "
			    "ISSUER_OID=SUBJECT_OID", p);
			goto out;
		}
		*eq = '\0';
		if (pol_oid_from_text(&v[*n].issuer, p, e) == -1 ||
		    pol_oid_from_text(&v[*n].subject, eq + 1, e) == -1) {
			err_wrap(e, "--policy-map");
			goto out;
		}
		if (pol_oid_is_any(&v[*n].issuer) ||
		    pol_oid_is_any(&v[*n].subject)) {
			err_set(e, ERR_USAGE, "--policy-map: '%s=%s': anyPolicy "
			    "is never mapped, to or from (RFC 5280 4.2.1.5)",
			    p, eq + 1);
			goto out;
		}
		for (i = 0; i < *n; i++)
			if (pol_oid_eq(&v[i].issuer, &v[*n].issuer) &&
			    pol_oid_eq(&v[i].subject, &v[*n].subject)) {
				pol_oid_text(&v[i].issuer, a, sizeof a);
				pol_oid_text(&v[i].subject, b, sizeof b);
				err_set(e, ERR_USAGE, "--policy-map: %s=%s "
				    "appears twice", a, b);
				goto out;
			}
		(*n)++;
		if (q == NULL)
			break;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

int
capolicy_set(struct ext_info *x, const struct capolicy *p, struct err *e)
{
	struct pol_oid v[POL_MAX_POLICIES];
	struct pol_map maps[POL_MAX_MAPPINGS];
	struct polw w;
	uint8_t *der;
	size_t len;

	if (!capolicy_any(p))
		return 0;
	memset(&w, 0, sizeof w);
	if (skip_ok("require-explicit-policy", p->require_explicit, e) == -1 ||
	    skip_ok("inhibit-mapping", p->inhibit_mapping, e) == -1 ||
	    skip_ok("inhibit-any", p->inhibit_any, e) == -1)
		return -1;
	if (p->cps != NULL && p->policies == NULL)
		return err_set(e, ERR_USAGE, "--cps needs --policy");
	if (p->cps != NULL && !cps_ok(p->cps))
		return err_set(e, ERR_USAGE, "--cps: '%s': use an http:// or "
		    "https:// URI of printable ASCII, at most %d bytes",
		    p->cps, CAPOLICY_CPS_MAX);
	if (p->policies != NULL) {
		if (parse_list(p->policies, v, &w.n, e) == -1)
			return -1;
		w.v = v;
		w.cps = p->cps;
		if ((der = der_encode(write_policies, &w, &len, e)) == NULL)
			return -1;
		free(x->pol);
		x->pol = der;
		x->pol_len = len;
		x->has_policies = 1;
	}
	if (p->require_explicit >= 0 || p->inhibit_mapping >= 0) {
		w.req = p->require_explicit;
		w.inh = p->inhibit_mapping;
		if ((der = der_encode(write_constraints, &w, &len, e)) == NULL)
			return -1;
		free(x->polc);
		x->polc = der;
		x->polc_len = len;
	}
	if (p->mappings != NULL) {
		if (parse_maps(p->mappings, maps, &w.nmaps, e) == -1)
			return -1;
		w.maps = maps;
		if ((der = der_encode(write_mappings, &w, &len, e)) == NULL)
			return -1;
		free(x->polmap);
		x->polmap = der;
		x->polmap_len = len;
	}
	if (p->inhibit_any >= 0) {
		w.any = p->inhibit_any;
		if ((der = der_encode(write_inhibit_any, &w, &len, e)) == NULL)
			return -1;
		free(x->inhany);
		x->inhany = der;
		x->inhany_len = len;
	}
	return 0;
}

/* One extension value (len 0: absent) into info. */
static int
read_one(const uint8_t *v, size_t len, int (*parse)(struct der *,
    struct pol_info *), const char *name, struct pol_info *info,
    struct err *e)
{
	struct der d;

	if (len == 0)
		return 0;
	der_init(&d, v, len, e);
	if (parse(&d, info) == -1 || der_finish(&d, name) == -1)
		return err_wrap(e, "%s", name);
	return 0;
}

/* The policy extensions of x (as ext.c keeps them) into info. */
static int
read_policies(const struct ext_info *x, struct pol_info *info,
    struct err *e)
{
	pol_info_init(info);
	if (read_one(x->pol, x->pol_len, polext_parse_policies,
	    "certificatePolicies", info, e) == -1 ||
	    read_one(x->polmap, x->polmap_len, polext_parse_mappings,
	    "policyMappings", info, e) == -1 ||
	    read_one(x->inhany, x->inhany_len, polext_parse_inhibit_any,
	    "inhibitAnyPolicy", info, e) == -1)
		return -1;
	return 0;
}

/* "a, b" of n oids into out. */
static void
oids_text(const struct pol_oid *v, size_t n, char *out, size_t outlen)
{
	char one[128];
	size_t i, k = 0;

	*out = '\0';
	for (i = 0; i < n; i++) {
		pol_oid_text(&v[i], one, sizeof one);
		k += (size_t)snprintf(out + k, k < outlen ? outlen - k : 0,
		    "%s%s", i > 0 ? ", " : "", one);
		if (k >= outlen)
			break;
	}
}

void
capolicy_text(const struct ext_info *x, char *out, size_t outlen)
{
	struct pol_info info;

	*out = '\0';
	if (x->pol_len == 0 || read_policies(x, &info, NULL) == -1)
		return;
	oids_text(info.policies, info.npolicies, out, outlen);
}

void
capolicy_maps_text(const struct ext_info *x, char *out, size_t outlen)
{
	struct pol_info info;
	char a[128], b[128];
	size_t i, n = 0;

	*out = '\0';
	if (x->polmap_len == 0 || read_policies(x, &info, NULL) == -1)
		return;
	for (i = 0; i < info.nmaps; i++) {
		pol_oid_text(&info.maps[i].issuer, a, sizeof a);
		pol_oid_text(&info.maps[i].subject, b, sizeof b);
		n += (size_t)snprintf(out + n, n < outlen ? outlen - n : 0,
		    "%s%s=%s", i > 0 ? ", " : "", a, b);
		if (n >= outlen)
			break;
	}
}

long
capolicy_inhibit_any(const struct ext_info *x)
{
	struct pol_info info;

	if (x->inhany_len == 0 || read_policies(x, &info, NULL) == -1 ||
	    !info.has_inhibit_any)
		return -1;
	return info.inhibit_any;
}

static int
oid_in(const struct pol_oid *o, const struct pol_oid *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pol_oid_eq(o, &v[i]))
			return 1;
	return 0;
}

/* The policies of the issuer's subject domain (RFC 5280 6.1.4 (b)):
 * its own, a mapped one replaced by what it maps to; into dom. */
static size_t
subject_domain(const struct pol_info *ca, struct pol_oid *dom, size_t max)
{
	size_t i, j, n = 0;
	int mapped;

	for (i = 0; i < ca->npolicies; i++) {
		mapped = 0;
		for (j = 0; j < ca->nmaps; j++) {
			if (!pol_oid_eq(&ca->maps[j].issuer, &ca->policies[i]))
				continue;
			mapped = 1;
			if (n < max && !oid_in(&ca->maps[j].subject, dom, n))
				dom[n++] = ca->maps[j].subject;
		}
		if (!mapped && n < max && !oid_in(&ca->policies[i], dom, n))
			dom[n++] = ca->policies[i];
	}
	return n;
}

int
capolicy_apply(const struct cert *issuer, struct ext_info *t, struct err *e)
{
	struct pol_info *ca, *mine;
	struct pol_oid dom[POL_MAX_POLICIES + POL_MAX_MAPPINGS];
	struct polw w;
	char one[128], all[512], *s;
	size_t i, ndom;
	int any, rc = -1;

	ca = xmalloc(sizeof *ca);
	mine = xmalloc(sizeof *mine);
	if (read_policies(&issuer->ext, ca, e) == -1) {
		err_wrap(e, "the CA's certificate");
		goto out;
	}
	ndom = subject_domain(ca, dom, sizeof dom / sizeof dom[0]);
	if (ndom > POL_MAX_POLICIES) {
		s = dn_to_string(&issuer->subject);
		err_set(e, ERR_REFUSED, "the policies of CA '%s' map to %zu "
		    "policies, more than the %d a certificate may carry", s,
		    ndom, POL_MAX_POLICIES);
		free(s);
		goto out;
	}
	any = 0;
	for (i = 0; i < ndom; i++)
		any |= pol_oid_is_any(&dom[i]);
	if (t->pol_len == 0 && ndom > 0) {
		if (ca->nmaps == 0) {
			t->pol = xmalloc(issuer->ext.pol_len);
			memcpy(t->pol, issuer->ext.pol, issuer->ext.pol_len);
			t->pol_len = issuer->ext.pol_len;
		} else {
			/* The mapped set: qualifiers belong to the issuer's
			 * domain and are not carried over. */
			memset(&w, 0, sizeof w);
			w.v = dom;
			w.n = ndom;
			if ((t->pol = der_encode(write_policies, &w, &t->pol_len,
			    e)) == NULL)
				goto out;
		}
		t->has_policies = 1;
	}
	if (read_policies(t, mine, e) == -1) {
		err_wrap(e, "the new certificate");
		goto out;
	}
	/* A root's policies are not processed (its certificate is the
	 * trust anchor, outside the path): it may sign any. */
	for (i = 0; i < mine->npolicies && ca->npolicies == 0; i++) {
		if (dn_equal(&issuer->subject, &issuer->issuer))
			break;
		pol_oid_text(&mine->policies[i], one, sizeof one);
		s = dn_to_string(&issuer->subject);
		err_set(e, ERR_REFUSED, "policy %s: CA '%s' asserts no "
		    "policies: a verifier would find no valid policy", one, s);
		free(s);
		goto out;
	}
	for (i = 0; i < mine->npolicies && ndom > 0 && !any; i++) {
		if (oid_in(&mine->policies[i], dom, ndom))
			continue;
		pol_oid_text(&mine->policies[i], one, sizeof one);
		oids_text(dom, ndom, all, sizeof all);
		s = dn_to_string(&issuer->subject);
		err_set(e, ERR_REFUSED, "policy %s is not among the policies "
		    "of CA '%s' (%s): a verifier would find no valid policy",
		    one, s, all);
		free(s);
		goto out;
	}
	/* A mapping of a policy the certificate does not assert is never
	 * applied (6.1.4 (b)): a mistake, not a choice. */
	any = 0;
	for (i = 0; i < mine->npolicies; i++)
		any |= pol_oid_is_any(&mine->policies[i]);
	for (i = 0; i < mine->nmaps && !any; i++) {
		if (oid_in(&mine->maps[i].issuer, mine->policies,
		    mine->npolicies))
			continue;
		pol_oid_text(&mine->maps[i].issuer, one, sizeof one);
		oids_text(mine->policies, mine->npolicies, all, sizeof all);
		err_set(e, ERR_REFUSED, "policyMappings: %s is not among the "
		    "new certificate's policies (%s): the mapping would never "
		    "apply", one, *all != '\0' ? all : "none");
		goto out;
	}
	/* What the new CA will pass on must fit in one extension. */
	if (mine->nmaps > 0 && (i = subject_domain(mine, dom,
	    sizeof dom / sizeof dom[0])) > POL_MAX_POLICIES) {
		err_set(e, ERR_REFUSED, "policyMappings: the new certificate's "
		    "policies would map to %zu policies, more than the %d a "
		    "certificate may carry", i, POL_MAX_POLICIES);
		goto out;
	}
	rc = 0;
out:
	free(ca);
	free(mine);
	return rc;
}
