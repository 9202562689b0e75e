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
};

void
capolicy_init(struct capolicy *p)
{
	memset(p, 0, sizeof *p);
	p->require_explicit = -1;
	p->inhibit_mapping = -1;
}

int
capolicy_any(const struct capolicy *p)
{
	return p != NULL && (p->policies != NULL || p->cps != NULL ||
	    p->require_explicit >= 0 || p->inhibit_mapping >= 0);
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

int
capolicy_set(struct ext_info *x, const struct capolicy *p, struct err *e)
{
	struct pol_oid v[POL_MAX_POLICIES];
	struct polw w;
	uint8_t *der;
	size_t len;

	if (!capolicy_any(p))
		return 0;
	memset(&w, 0, sizeof w);
	if (skip_ok("require-explicit-policy", p->require_explicit, e) == -1 ||
	    skip_ok("inhibit-mapping", p->inhibit_mapping, e) == -1)
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
	return 0;
}

static int
read_policies(const uint8_t *v, size_t len, struct pol_info *info,
    struct err *e)
{
	struct der d;

	pol_info_init(info);
	der_init(&d, v, len, e);
	return polext_parse_policies(&d, info);
}

void
capolicy_text(const struct ext_info *x, char *out, size_t outlen)
{
	struct pol_info info;
	char one[128];
	size_t i, n = 0;

	*out = '\0';
	if (x->pol_len == 0 || read_policies(x->pol, x->pol_len, &info,
	    NULL) == -1)
		return;
	for (i = 0; i < info.npolicies; i++) {
		pol_oid_text(&info.policies[i], one, sizeof one);
		n += (size_t)snprintf(out + n, n < outlen ? outlen - n : 0,
		    "%s%s", i > 0 ? ", " : "", one);
		if (n >= outlen)
			break;
	}
}

int
capolicy_apply(const struct cert *issuer, struct ext_info *t, struct err *e)
{
	struct pol_info mine, theirs;
	char one[128], all[512], *s;
	size_t i, j;
	int found;

	if (issuer->ext.pol_len == 0)
		return 0;
	if (t->pol_len == 0) {
		t->pol = xmalloc(issuer->ext.pol_len);
		memcpy(t->pol, issuer->ext.pol, issuer->ext.pol_len);
		t->pol_len = issuer->ext.pol_len;
		t->has_policies = 1;
		return 0;
	}
	if (read_policies(issuer->ext.pol, issuer->ext.pol_len, &theirs,
	    e) == -1 || read_policies(t->pol, t->pol_len, &mine, e) == -1)
		return err_wrap(e, "certificatePolicies");
	for (j = 0; j < theirs.npolicies; j++)
		if (pol_oid_is_any(&theirs.policies[j]))
			return 0;
	for (i = 0; i < mine.npolicies; i++) {
		found = 0;
		for (j = 0; j < theirs.npolicies && !found; j++)
			found = pol_oid_eq(&mine.policies[i],
			    &theirs.policies[j]);
		if (found)
			continue;
		pol_oid_text(&mine.policies[i], one, sizeof one);
		capolicy_text(&issuer->ext, all, sizeof all);
		s = dn_to_string(&issuer->subject);
		err_set(e, ERR_REFUSED, "policy %s is not among the policies "
		    "of CA '%s' (%s): a verifier would find no valid policy",
		    one, s, all);
		free(s);
		return -1;
	}
	return 0;
}
