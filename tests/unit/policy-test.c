/* policy-test.c — certificate policy processing (x509/policy.h) on small
 * chains built here with the policy extensions in them: explicit policy,
 * requireExplicitPolicy, mappings and their inhibition, anyPolicy and its
 * inhibition, a mapping of anyPolicy, the bound on the tree, and no step
 * at all where no policy is involved. One key signs every certificate:
 * the names make the path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testcert.h"
#include "testextcert.h"
#include "testlib.h"
#include "x509/ext.h"
#include "x509/polext.h"
#include "x509/verify.h"

#define P(n) "1.3.6.1.4.1.55555.1." #n

static struct rsakey key;
static int64_t now;

/* What a certificate carries besides basicConstraints (a CA) and its
 * names: certificatePolicies ("oid,oid"), policyMappings
 * ("issuer:subject,..."), policyConstraints and inhibitAnyPolicy (-1:
 * absent). */
struct spec {
	const char *subject, *issuer;
	int ca;
	const char *policies, *maps;
	long require_explicit, inhibit_mapping, inhibit_any;
};

static unsigned serial = 1;

static void
put_oid(struct derw *w, const char *text, size_t n)
{
	struct pol_oid o;
	char buf[80];
	struct err e;

	snprintf(buf, sizeof buf, "%.*s", (int)n, text);
	if (pol_oid_from_text(&o, buf, &e) == -1) {
		fprintf(stderr, "policy-test: %s\n", e.msg);
		exit(1);
	}
	derw_tlv(w, DER_OID, o.v, o.len);
}

static void
skip_certs(struct derw *w, unsigned tag, long v)
{
	uint8_t b = (uint8_t)v;

	derw_tlv(w, tag, &b, 1);
}

/* The policy extensions of spec arg. */
static void
policy_exts(struct derw *w, const void *arg)
{
	const struct spec *s = arg;
	const char *p, *q;
	size_t n;

	if (s->policies != NULL) {
		ext_begin(w, OID_CERT_POLICIES, 0);
		derw_begin(w, DER_SEQUENCE);
		for (p = s->policies; *p != '\0'; p += n + (p[n] == ',')) {
			n = strcspn(p, ",");
			derw_begin(w, DER_SEQUENCE);
			put_oid(w, p, n);
			derw_end(w);
		}
		derw_end(w);
		ext_end(w);
	}
	if (s->maps != NULL) {
		ext_begin(w, OID_POLICY_MAPPINGS, 1);
		derw_begin(w, DER_SEQUENCE);
		for (p = s->maps; *p != '\0'; p += n + (p[n] == ',')) {
			n = strcspn(p, ",");
			q = memchr(p, ':', n);
			derw_begin(w, DER_SEQUENCE);
			put_oid(w, p, (size_t)(q - p));
			put_oid(w, q + 1, n - (size_t)(q - p) - 1);
			derw_end(w);
		}
		derw_end(w);
		ext_end(w);
	}
	if (s->require_explicit >= 0 || s->inhibit_mapping >= 0) {
		ext_begin(w, OID_POLICY_CONSTRAINTS, 1);
		derw_begin(w, DER_SEQUENCE);
		if (s->require_explicit >= 0)
			skip_certs(w, DER_CTX(0), s->require_explicit);
		if (s->inhibit_mapping >= 0)
			skip_certs(w, DER_CTX(1), s->inhibit_mapping);
		derw_end(w);
		ext_end(w);
	}
	if (s->inhibit_any >= 0) {
		ext_begin(w, OID_INHIBIT_ANY_POLICY, 1);
		derw_small(w, s->inhibit_any);
		ext_end(w);
	}
}

/* Builds the certificates of specs (anchor first, leaf last) into anchors,
 * untrusted and leaf. */
static void
build(const struct spec *specs, size_t n, struct cert_list *anchors,
    struct cert_list *untrusted, struct cert_list *leaf)
{
	size_t i;

	cert_list_init(anchors);
	cert_list_init(untrusted);
	cert_list_init(leaf);
	for (i = 0; i < n; i++)
		test_ext_cert(i == 0 ? anchors : i + 1 == n ? leaf : untrusted,
		    specs[i].subject, specs[i].issuer, &key, &key, serial++,
		    specs[i].ca, now - 86400, now + 86400, policy_exts,
		    &specs[i]);
}

/* Verifies the chain of specs with the initial policies (NULL-ended) and
 * flags; returns the code, the policy step's text in why (or "" when there
 * is none). */
static enum verify_code
run(const struct spec *specs, size_t n, const char *const *policies,
    int explicit_policy, int inhibit_mapping, int inhibit_any, char *why,
    size_t whylen)
{
	struct cert_list anchors, untrusted, leaf;
	struct verify_params p;
	struct verify_result r;
	enum verify_code code;
	size_t i;

	build(specs, n, &anchors, &untrusted, &leaf);
	memset(&p, 0, sizeof p);
	p.anchors = &anchors;
	p.untrusted = &untrusted;
	p.at = now;
	p.policies = policies;
	for (i = 0; policies != NULL && policies[i] != NULL; i++)
		p.npolicies++;
	p.explicit_policy = explicit_policy;
	p.inhibit_mapping = inhibit_mapping;
	p.inhibit_any = inhibit_any;
	verify_result_init(&r);
	code = VERIFY_MALFORMED;
	why[0] = '\0';
	if (leaf.n == 1) {
		verify_chain(&leaf.v[0], &p, &r);
		code = r.code;
		for (i = 0; i < r.n; i++)
			if (strstr(r.steps[i].what, "polic") != NULL)
				snprintf(why, whylen, "%s", r.steps[i].why);
	}
	verify_result_clear(&r);
	cert_list_clear(&anchors);
	cert_list_clear(&untrusted);
	cert_list_clear(&leaf);
	return code;
}

#define ROOT { "CN=Root", "CN=Root", 1, NULL, NULL, -1, -1, -1 }

static void
test_explicit(void)
{
	const struct spec chain[] = {
		ROOT,
		{ "CN=CA", "CN=Root", 1, P(1) "," P(2), NULL, 0, -1, -1 },
		{ "CN=leaf", "CN=CA", 0, P(1), NULL, -1, -1, -1 },
	}, other[] = {
		ROOT,
		{ "CN=CA", "CN=Root", 1, P(1) "," P(2), NULL, 0, -1, -1 },
		{ "CN=leaf", "CN=CA", 0, P(3), NULL, -1, -1, -1 },
	};
	const char *const p3[] = { P(3), NULL }, *const p1[] = { P(1), NULL };
	char why[512];

	CHECK_EQ(run(chain, 3, NULL, 0, 0, 0, why, sizeof why), VERIFY_OK);
	CHECK_STR(why, "initial set anyPolicy; valid for " P(1)
	    " (explicit policy required)");
	CHECK_EQ(run(chain, 3, p1, 1, 0, 0, why, sizeof why), VERIFY_OK);
	CHECK_STR(why, "initial set " P(1) "; valid for " P(1)
	    " (explicit policy required)");
	CHECK_EQ(run(chain, 3, p3, 0, 0, 0, why, sizeof why), VERIFY_POLICY);
	CHECK_STR(why, "an explicit policy is required and the policy tree "
	    "is empty: no valid policy is in the initial policy set");
	CHECK_EQ(run(other, 3, NULL, 0, 0, 0, why, sizeof why), VERIFY_POLICY);
	CHECK_STR(why, "an explicit policy is required and no valid policy "
	    "is left at 'CN=leaf': none of the policies of 'CN=leaf' is "
	    "acceptable");
}

static void
test_mapping(void)
{
	const struct spec chain[] = {
		ROOT,
		{ "CN=CA", "CN=Root", 1, P(1), P(1) ":" P(2), -1, -1, -1 },
		{ "CN=leaf", "CN=CA", 0, P(2), NULL, -1, -1, -1 },
	}, from_any[] = {
		ROOT,
		{ "CN=CA", "CN=Root", 1, "anyPolicy", "anyPolicy:" P(2), -1, -1,
		    -1 },
		{ "CN=leaf", "CN=CA", 0, P(2), NULL, -1, -1, -1 },
	}, inhibited[] = {
		ROOT,
		{ "CN=CA", "CN=Root", 1, P(1), NULL, -1, 0, -1 },
		{ "CN=Sub", "CN=CA", 1, P(1), P(1) ":" P(2), -1, -1, -1 },
		{ "CN=leaf", "CN=Sub", 0, P(2), NULL, -1, -1, -1 },
	};
	const char *const p1[] = { P(1), NULL }, *const p2[] = { P(2), NULL };
	char why[512];

	CHECK_EQ(run(chain, 3, p1, 1, 0, 0, why, sizeof why), VERIFY_OK);
	CHECK_STR(why, "initial set " P(1) "; valid for " P(1) "; mapped, "
	    "the end entity names " P(2) " (explicit policy required)");
	CHECK_EQ(run(chain, 3, p2, 1, 0, 0, why, sizeof why), VERIFY_POLICY);
	CHECK_EQ(run(chain, 3, p1, 1, 1, 0, why, sizeof why), VERIFY_POLICY);
	CHECK_STR(why, "an explicit policy is required and no valid policy "
	    "is left at 'CN=leaf': policy mapping is inhibited at 'CN=CA' and "
	    "its mapped policies were deleted");
	CHECK_EQ(run(from_any, 3, NULL, 0, 0, 0, why, sizeof why),
	    VERIFY_POLICY);
	CHECK_STR(why, "anyPolicy may not be mapped (RFC 5280 6.1.4 (a))");
	/* inhibitPolicyMapping 0 in CN=CA stops CN=Sub's mapping. */
	CHECK_EQ(run(inhibited, 4, p1, 1, 0, 0, why, sizeof why),
	    VERIFY_POLICY);
	CHECK_EQ(run(inhibited, 4, NULL, 0, 0, 0, why, sizeof why), VERIFY_OK);
	CHECK_STR(why, "initial set anyPolicy; no valid policy (policy "
	    "mapping is inhibited at 'CN=Sub' and its mapped policies were "
	    "deleted), none required");
}

static void
test_any(void)
{
	const struct spec chain[] = {
		ROOT,
		{ "CN=CA", "CN=Root", 1, "anyPolicy", NULL, -1, -1, -1 },
		{ "CN=leaf", "CN=CA", 0, "anyPolicy", NULL, -1, -1, -1 },
	}, inhibited[] = {
		ROOT,
		{ "CN=CA", "CN=Root", 1, "anyPolicy", NULL, -1, -1, 0 },
		{ "CN=leaf", "CN=CA", 0, "anyPolicy", NULL, -1, -1, -1 },
	};
	const char *const p1[] = { P(1), NULL };
	char why[512];

	CHECK_EQ(run(chain, 3, p1, 1, 0, 0, why, sizeof why), VERIFY_OK);
	CHECK_STR(why, "initial set " P(1) "; valid for " P(1)
	    " (explicit policy required)");
	CHECK_EQ(run(chain, 3, p1, 1, 0, 1, why, sizeof why), VERIFY_POLICY);
	CHECK_EQ(run(inhibited, 3, p1, 1, 0, 0, why, sizeof why),
	    VERIFY_POLICY);
	CHECK_EQ(run(inhibited, 3, NULL, 0, 0, 0, why, sizeof why), VERIFY_OK);
}

/* Eight policies, four of them mapped onto all eight, at every level:
 * the tree would grow about fourfold per certificate. */
static void
test_bound(void)
{
	static char all8[400], maps[2000];
	struct spec chain[8];
	char subj[7][16];
	const char *const p1[] = { P(1), NULL };
	char why[512];
	size_t i, j, n = 0, m = 0;

	for (i = 1; i <= 8; i++)
		n += (size_t)snprintf(all8 + n, sizeof all8 - n, "%s"
		    "1.3.6.1.4.1.55555.1.%zu", i > 1 ? "," : "", i);
	for (i = 1; i <= 4; i++)
		for (j = 1; j <= 8; j++)
			m += (size_t)snprintf(maps + m, sizeof maps - m, "%s"
			    "1.3.6.1.4.1.55555.1.%zu:1.3.6.1.4.1.55555.1.%zu",
			    m > 0 ? "," : "", i, j);
	chain[0] = (struct spec)ROOT;
	for (i = 1; i <= 6; i++) {
		snprintf(subj[i], sizeof subj[i], "CN=Boom %zu", i);
		chain[i] = (struct spec){ subj[i], i == 1 ? "CN=Root" :
		    subj[i - 1], 1, all8, maps, -1, -1, -1 };
	}
	chain[7] = (struct spec){ "CN=leaf", subj[6], 0, all8, NULL, -1, -1,
	    -1 };
	CHECK_EQ(run(chain, 8, p1, 1, 0, 0, why, sizeof why), VERIFY_POLICY);
	CHECK_STR(why, "the policy tree would exceed 1024 nodes or 128 "
	    "distinct policies: refused");
	/* Three levels stay well inside. */
	chain[3] = chain[7];
	chain[3].issuer = subj[2];
	CHECK_EQ(run(chain, 4, p1, 1, 0, 0, why, sizeof why), VERIFY_OK);
}

static void
test_no_policy(void)
{
	const struct spec chain[] = {
		ROOT,
		{ "CN=CA", "CN=Root", 1, NULL, NULL, -1, -1, -1 },
		{ "CN=leaf", "CN=CA", 0, NULL, NULL, -1, -1, -1 },
	};
	char why[512];

	CHECK_EQ(run(chain, 3, NULL, 0, 0, 0, why, sizeof why), VERIFY_OK);
	CHECK_STR(why, "");
	CHECK_EQ(run(chain, 3, NULL, 1, 0, 0, why, sizeof why), VERIFY_POLICY);
	CHECK_STR(why, "an explicit policy is required and no valid policy "
	    "is left at 'CN=CA': 'CN=CA' has no certificatePolicies");
}

int
main(void)
{
	test_load_key("tests/data/key-pkcs8.pem", &key);
	now = (int64_t)time(NULL);
	test_explicit();
	test_mapping();
	test_any();
	test_bound();
	test_no_policy();
	rsakey_clear(&key);
	return test_done();
}
