/* capolicy-test.c — the policy extensions `ca init --policy` writes: their
 * exact DER, exact errors for bad values, and what a CA passes on to what
 * it signs (role/capolicy.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "role/capolicy.h"
#include "x509/dn.h"

/* certificatePolicies of 1.2.3 and anyPolicy, each with the CPS
 * qualifier http://c. */
#define CPS_Q 0x30, 0x16, 0x30, 0x14, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, \
	0x05, 0x07, 0x02, 0x01, 0x16, 0x08, 'h', 't', 't', 'p', ':', '/', \
	'/', 'c'
static const uint8_t want_pol[] = {
	0x30, 0x3e,
	0x30, 0x1c, 0x06, 0x02, 0x2a, 0x03, CPS_Q,
	0x30, 0x1e, 0x06, 0x04, 0x55, 0x1d, 0x20, 0x00, CPS_Q,
};

static void
test_set(void)
{
	struct capolicy p;
	struct ext_info x;
	struct err e;
	char txt[128];
	static const uint8_t want_pc[] = { 0x30, 0x06, 0x80, 0x01, 0x00, 0x81,
		0x01, 0x40 };
	static const uint8_t want_one[] = { 0x30, 0x06, 0x30, 0x04, 0x06, 0x02,
		0x2a, 0x03 };
	static const uint8_t want_req[] = { 0x30, 0x03, 0x80, 0x01, 0x05 };

	ext_info_init(&x);
	capolicy_init(&p);
	CHECK(!capolicy_any(&p));
	CHECK(capolicy_set(&x, &p, &e) == 0);
	CHECK_EQ(x.pol_len, 0);
	CHECK_EQ(x.polc_len, 0);

	p.policies = "1.2.3";
	CHECK(capolicy_set(&x, &p, &e) == 0);
	CHECK_EQ(x.pol_len, sizeof want_one);
	CHECK_MEM(x.pol, want_one, sizeof want_one);
	CHECK(x.has_policies);
	CHECK_EQ(x.polc_len, 0);
	capolicy_text(&x, txt, sizeof txt);
	CHECK_STR(txt, "1.2.3");

	p.policies = "1.2.3,anyPolicy";
	p.cps = "http://c";
	CHECK(capolicy_set(&x, &p, &e) == 0);
	CHECK_EQ(x.pol_len, sizeof want_pol);
	CHECK_MEM(x.pol, want_pol, sizeof want_pol);
	capolicy_text(&x, txt, sizeof txt);
	CHECK_STR(txt, "1.2.3, anyPolicy");

	p.policies = NULL;
	p.cps = NULL;
	p.require_explicit = 0;
	p.inhibit_mapping = 64;
	CHECK(capolicy_set(&x, &p, &e) == 0);
	CHECK_EQ(x.polc_len, sizeof want_pc);
	CHECK_MEM(x.polc, want_pc, sizeof want_pc);
	p.inhibit_mapping = -1;
	p.require_explicit = 5;
	CHECK(capolicy_set(&x, &p, &e) == 0);
	CHECK_EQ(x.polc_len, sizeof want_req);
	CHECK_MEM(x.polc, want_req, sizeof want_req);
	ext_info_clear(&x);

	/* Bad values, word for word. */
	capolicy_init(&p);
	p.policies = "1.2.3,1.x";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--policy: bad policy OID "
	    "'1.x': expected dotted digits such as 2.5.29.32.0, or anyPolicy");
	CHECK_EQ(e.kind, ERR_USAGE);
	p.policies = "";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--policy: bad policy OID "
	    "'': expected");
	p.policies = "1.2.3,";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--policy: bad policy OID "
	    "'': expected");
	p.policies = "1.2.3,1.2.3";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--policy: 1.2.3 appears "
	    "twice");
	p.policies = NULL;
	p.cps = "http://c";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--cps needs --policy");
	p.policies = "1.2.3";
	p.cps = "http://";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--cps: 'http://': use an "
	    "http:// or https:// URI of printable ASCII, at most 200 bytes");
	p.cps = "https://a b";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--cps: 'https://a b'");
	p.cps = "mailto:x@y";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--cps: 'mailto:x@y'");
	p.cps = NULL;
	p.require_explicit = 65;
	CHECK_ERR(capolicy_set(&x, &p, &e), &e,
	    "--require-explicit-policy: 65: use 0 to 64");
	p.require_explicit = -1;
	p.inhibit_mapping = -2;
	CHECK_ERR(capolicy_set(&x, &p, &e), &e,
	    "--inhibit-mapping: -2: use 0 to 64");
	CHECK_EQ(x.pol_len, 0);
	ext_info_clear(&x);
}

static void
set_policies(struct ext_info *x, const char *list)
{
	struct capolicy p;
	struct err e;

	capolicy_init(&p);
	p.policies = list;
	CHECK(capolicy_set(x, &p, &e) == 0);
}

static void
test_apply(void)
{
	struct cert issuer;
	struct ext_info t;
	struct err e;

	cert_init(&issuer);
	CHECK(dn_from_string(&issuer.subject, "CN=Pol CA", &e) == 0);
	ext_info_init(&t);
	/* An issuer without policies passes nothing on; an intermediate
	 * refuses any policy (a verifier would find none valid below it), a
	 * root (self-issued: the trust anchor) refuses none. */
	CHECK(capolicy_apply(&issuer, &t, &e) == 0);
	CHECK_EQ(t.pol_len, 0);
	set_policies(&t, "1.2.9");
	CHECK_ERR(capolicy_apply(&issuer, &t, &e), &e, "policy 1.2.9: CA "
	    "'CN=Pol CA' asserts no policies: a verifier would find no valid "
	    "policy");
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK(dn_from_string(&issuer.issuer, "CN=Pol CA", &e) == 0);
	CHECK(capolicy_apply(&issuer, &t, &e) == 0);
	ext_info_clear(&t);

	/* A template without its own gets the issuer's, byte for byte. */
	set_policies(&issuer.ext, "1.2.3,1.2.4");
	ext_info_init(&t);
	CHECK(capolicy_apply(&issuer, &t, &e) == 0);
	CHECK_EQ(t.pol_len, issuer.ext.pol_len);
	CHECK_MEM(t.pol, issuer.ext.pol, t.pol_len);
	CHECK(t.has_policies);
	ext_info_clear(&t);

	/* Its own: within the issuer's, or refused naming both. */
	set_policies(&t, "1.2.4");
	CHECK(capolicy_apply(&issuer, &t, &e) == 0);
	set_policies(&t, "1.2.4,1.2.5");
	CHECK_ERR(capolicy_apply(&issuer, &t, &e), &e, "policy 1.2.5 is not "
	    "among the policies of CA 'CN=Pol CA' (1.2.3, 1.2.4): a verifier "
	    "would find no valid policy");
	CHECK_EQ(e.kind, ERR_REFUSED);
	/* anyPolicy in the issuer admits any. */
	set_policies(&issuer.ext, "anyPolicy");
	CHECK(capolicy_apply(&issuer, &t, &e) == 0);
	ext_info_clear(&t);
	cert_clear(&issuer);
}

/* policyMappings and inhibitAnyPolicy: exact DER and exact errors. */
static void
test_set_mappings(void)
{
	struct capolicy p;
	struct ext_info x;
	struct err e;
	char txt[256];
	static const uint8_t want_map[] = { 0x30, 0x14,
		0x30, 0x08, 0x06, 0x02, 0x2a, 0x03, 0x06, 0x02, 0x2a, 0x04,
		0x30, 0x08, 0x06, 0x02, 0x2a, 0x03, 0x06, 0x02, 0x2a, 0x05 };
	static const uint8_t want_any[] = { 0x02, 0x01, 0x02 };

	ext_info_init(&x);
	capolicy_init(&p);
	p.mappings = "1.2.3=1.2.4,1.2.3=1.2.5";
	CHECK(capolicy_any(&p));
	CHECK(capolicy_set(&x, &p, &e) == 0);
	CHECK_EQ(x.polmap_len, sizeof want_map);
	CHECK_MEM(x.polmap, want_map, sizeof want_map);
	capolicy_maps_text(&x, txt, sizeof txt);
	CHECK_STR(txt, "1.2.3=1.2.4, 1.2.3=1.2.5");
	CHECK_EQ(capolicy_inhibit_any(&x), -1);
	p.mappings = NULL;
	p.inhibit_any = 2;
	CHECK(capolicy_set(&x, &p, &e) == 0);
	CHECK_EQ(x.inhany_len, sizeof want_any);
	CHECK_MEM(x.inhany, want_any, sizeof want_any);
	CHECK_EQ(capolicy_inhibit_any(&x), 2);
	p.inhibit_any = 65;
	CHECK_ERR(capolicy_set(&x, &p, &e), &e,
	    "--inhibit-any: 65: use 0 to 64");
	p.inhibit_any = -1;

	p.mappings = "1.2.3";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e,
	    "--policy-map: '1.2.3': expected ISSUER_OID=SUBJECT_OID");
	CHECK_EQ(e.kind, ERR_USAGE);
	p.mappings = "1.2.3=1.2.4=1.2.5";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--policy-map: "
	    "'1.2.3=1.2.4=1.2.5': expected ISSUER_OID=SUBJECT_OID");
	p.mappings = "1.2.3=";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--policy-map: bad policy "
	    "OID '': expected dotted digits such as 2.5.29.32.0, or anyPolicy");
	p.mappings = "1.2.3=1.x";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--policy-map: bad policy "
	    "OID '1.x': expected dotted digits such as 2.5.29.32.0, or "
	    "anyPolicy");
	p.mappings = "anyPolicy=1.2.4";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--policy-map: "
	    "'anyPolicy=1.2.4': anyPolicy is never mapped, to or from (RFC "
	    "5280 4.2.1.5)");
	p.mappings = "1.2.4=2.5.29.32.0";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e, "--policy-map: "
	    "'1.2.4=2.5.29.32.0': anyPolicy is never mapped, to or from (RFC "
	    "5280 4.2.1.5)");
	p.mappings = "1.2.3=1.2.4,1.2.3=1.2.4";
	CHECK_ERR(capolicy_set(&x, &p, &e), &e,
	    "--policy-map: 1.2.3=1.2.4 appears twice");
	ext_info_clear(&x);
}

/* What a CA with policyMappings passes on: its subject domain. */
static void
test_apply_mappings(void)
{
	struct cert issuer;
	struct ext_info t;
	struct capolicy p;
	struct err e;
	char txt[256];

	cert_init(&issuer);
	CHECK(dn_from_string(&issuer.subject, "CN=Map CA", &e) == 0);
	set_policies(&issuer.ext, "1.2.3,1.2.4");
	capolicy_init(&p);
	p.mappings = "1.2.3=1.2.7,1.2.3=1.2.8";
	CHECK(capolicy_set(&issuer.ext, &p, &e) == 0);
	ext_info_init(&t);
	CHECK(capolicy_apply(&issuer, &t, &e) == 0);
	capolicy_text(&t, txt, sizeof txt);
	CHECK_STR(txt, "1.2.7, 1.2.8, 1.2.4");
	ext_info_clear(&t);
	set_policies(&t, "1.2.8");
	CHECK(capolicy_apply(&issuer, &t, &e) == 0);
	set_policies(&t, "1.2.3");
	CHECK_ERR(capolicy_apply(&issuer, &t, &e), &e, "policy 1.2.3 is not "
	    "among the policies of CA 'CN=Map CA' (1.2.7, 1.2.8, 1.2.4): a "
	    "verifier would find no valid policy");
	ext_info_clear(&t);

	/* A new CA's mapping of a policy it does not assert. */
	set_policies(&t, "1.2.4");
	CHECK(capolicy_set(&t, &p, &e) == 0);
	CHECK_ERR(capolicy_apply(&issuer, &t, &e), &e, "policyMappings: "
	    "1.2.3 is not among the new certificate's policies (1.2.4): the "
	    "mapping would never apply");
	/* One that asserts anyPolicy maps what it likes. */
	set_policies(&issuer.ext, "anyPolicy");
	set_policies(&t, "anyPolicy");
	CHECK(capolicy_apply(&issuer, &t, &e) == 0);
	ext_info_clear(&t);

	/* But not to more policies than one certificate may carry: 31 kept
	 * and one mapped to 32 would be 63. */
	{
		char pols[512], maps[1024];
		size_t k, n = 0, m = 0;

		for (k = 0; k < 32; k++) {
			n += (size_t)snprintf(pols + n, sizeof pols - n,
			    "%s1.3.%zu", k ? "," : "", k);
			m += (size_t)snprintf(maps + m, sizeof maps - m,
			    "%s1.3.0=1.4.%zu", k ? "," : "", k);
		}
		ext_info_init(&t);
		set_policies(&t, pols);
		capolicy_init(&p);
		p.mappings = maps;
		CHECK(capolicy_set(&t, &p, &e) == 0);
		CHECK_ERR(capolicy_apply(&issuer, &t, &e), &e, "policyMappings: "
		    "the new certificate's policies would map to 63 policies, "
		    "more than the 32 a certificate may carry");
		ext_info_clear(&t);
	}
	cert_clear(&issuer);
}

int
main(void)
{
	test_set();
	test_apply();
	test_set_mappings();
	test_apply_mappings();
	return test_done();
}
