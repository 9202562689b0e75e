/* polext-test.c — the certificate policy extension parsers (x509/polext.h):
 * good values read as they say, every malformed one refused with its exact
 * message; policy OIDs from and to text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "x509/ext.h"
#include "x509/polext.h"

typedef int parse_fn(struct der *, struct pol_info *);

/* Runs fn on hex; returns its result, the message in e. */
static int
run(parse_fn *fn, const char *hex, struct pol_info *info, struct err *e)
{
	struct der d;
	uint8_t *p;
	size_t len;
	int r;

	p = test_hex(hex, &len);
	err_clear(e);
	der_init(&d, p, len, e);
	pol_info_init(info);
	r = fn(&d, info);
	if (r == 0 && der_finish(&d, "extension") == -1)
		r = -1;
	free(p);
	return r;
}

/* fn must refuse hex with exactly msg. */
#define BAD(fn, hex, want) do { struct pol_info i_; struct err e_; \
	CHECK_EQ(run(fn, hex, &i_, &e_), -1); CHECK_STR(e_.msg, want); } while (0)

static void
test_policies(void)
{
	struct pol_info pi;
	struct err e;
	char txt[64], hex[2048];
	size_t i, n;

	/* 1.2.3 with a CPS qualifier, then anyPolicy. */
	CHECK_EQ(run(polext_parse_policies, "3021 3017 06022a03 3011 300f "
	    "06082b06010505070201 1603683a78 3006 0604551d2000", &pi, &e), 0);
	CHECK_EQ(pi.npolicies, 2);
	pol_oid_text(&pi.policies[0], txt, sizeof txt);
	CHECK_STR(txt, "1.2.3");
	CHECK(pol_oid_is_any(&pi.policies[1]));
	/* Checking only (as ext.c does) keeps nothing. */
	CHECK_EQ(run(polext_parse_policies, "3006 3004 06022a03", &pi, &e), 0);
	BAD(polext_parse_policies, "3000",
	    "offset 0x2: empty certificatePolicies");
	BAD(polext_parse_policies, "300c 3004 06022a03 3004 06022a03",
	    "offset 0xa: policyIdentifier 1.2.3 appears twice");
	BAD(polext_parse_policies, "3008 3006 06022a03 3000",
	    "offset 0xa: empty policyQualifiers");
	BAD(polext_parse_policies, "300d 300b 06022a03 3005 3003 06012a",
	    "offset 0xf: PolicyQualifierInfo without qualifier");
	BAD(polext_parse_policies, "3006 3004 02022a03",
	    "offset 0x4: expected OBJECT IDENTIFIER (policyIdentifier), found 0x02");
	BAD(polext_parse_policies, "3008 3006 06022a03 0500",
	    "offset 0x8: expected SEQUENCE (policyQualifiers), found 0x05");
	/* 33 policies: one too many. */
	n = (size_t)snprintf(hex, sizeof hex, "3081c6");
	for (i = 0; i < 33; i++)
		n += (size_t)snprintf(hex + n, sizeof hex - n, " 3004 06022a%02zx",
		    i);
	BAD(polext_parse_policies, hex, "offset 0xc3: more than 32 policies");
	/* An OID of 41 bytes. */
	n = (size_t)snprintf(hex, sizeof hex, "302d 302b 0629");
	for (i = 0; i < 41; i++)
		n += (size_t)snprintf(hex + n, sizeof hex - n, "2a");
	BAD(polext_parse_policies, hex,
	    "offset 0x4: policyIdentifier longer than 40 bytes");
}

static void
test_mappings(void)
{
	struct pol_info pi;
	struct err e;
	char txt[64];

	CHECK_EQ(run(polext_parse_mappings, "3014 3008 06022a03 06022a04 "
	    "3008 06022a03 06022a05", &pi, &e), 0);
	CHECK_EQ(pi.nmaps, 2);
	pol_oid_text(&pi.maps[1].subject, txt, sizeof txt);
	CHECK_STR(txt, "1.2.5");
	BAD(polext_parse_mappings, "3000", "offset 0x2: empty policyMappings");
	BAD(polext_parse_mappings, "3006 3004 06022a03",
	    "offset 0x8: expected OBJECT IDENTIFIER (subjectDomainPolicy), "
	    "found end of PolicyMapping");
	BAD(polext_parse_mappings, "300c 300a 06022a03 06022a04 0500",
	    "offset 0xc: 2 bytes left over at end of PolicyMapping");
}

static void
test_constraints(void)
{
	struct pol_info pi;
	struct err e;

	CHECK_EQ(run(polext_parse_constraints, "3006 800100 810102", &pi, &e), 0);
	CHECK(pi.has_constraints && pi.require_explicit == 0 &&
	    pi.inhibit_mapping == 2);
	CHECK_EQ(run(polext_parse_constraints, "3003 810105", &pi, &e), 0);
	CHECK(pi.require_explicit == -1 && pi.inhibit_mapping == 5);
	/* A huge count is as good as no limit. */
	CHECK_EQ(run(polext_parse_constraints, "300b 8009 7fffffffffffffffff",
	    &pi, &e), 0);
	CHECK_EQ(pi.require_explicit, POL_SKIP_MAX);
	BAD(polext_parse_constraints, "3000",
	    "offset 0x2: empty policyConstraints (RFC 5280 4.2.1.11)");
	BAD(polext_parse_constraints, "3003 8001ff",
	    "offset 0x2: requireExplicitPolicy: negative SkipCerts");
	BAD(polext_parse_constraints, "3004 81020001",
	    "offset 0x2: inhibitPolicyMapping: INTEGER not minimally encoded");
	BAD(polext_parse_constraints, "3002 8000",
	    "offset 0x2: requireExplicitPolicy: empty INTEGER");
	BAD(polext_parse_constraints, "3006 810101 800101",
	    "offset 0x5: 3 bytes left over at end of policyConstraints");
}

static void
test_inhibit_any(void)
{
	struct pol_info pi;
	struct err e;

	CHECK_EQ(run(polext_parse_inhibit_any, "020101", &pi, &e), 0);
	CHECK(pi.has_inhibit_any && pi.inhibit_any == 1);
	BAD(polext_parse_inhibit_any, "0201ff",
	    "offset 0x0: inhibitAnyPolicy: negative SkipCerts");
	BAD(polext_parse_inhibit_any, "0400",
	    "offset 0x0: expected INTEGER (inhibitAnyPolicy), found 0x04");
	BAD(polext_parse_inhibit_any, "020100 00",
	    "offset 0x3: 1 bytes left over at end of extension");
}

/* A certificate's extensions refuse a malformed policy extension, naming it. */
static void
test_in_ext(void)
{
	struct ext_info x;
	struct err e;
	struct der d;
	uint8_t *p;
	size_t len;

	ext_info_init(&x);
	p = test_hex("3009 0603551d20 04023000", &len);
	der_init(&d, p, len, &e);
	CHECK_EQ(ext_parse(&d, &x), -1);
	CHECK_STR(e.msg, "extension certificatePolicies: offset 0xb: empty "
	    "certificatePolicies");
	free(p);
	ext_info_clear(&x);
	ext_info_init(&x);
	p = test_hex("300c 0603551d36 0101ff 04020200", &len);
	der_init(&d, p, len, &e);
	CHECK_EQ(ext_parse(&d, &x), -1);
	CHECK_STR(e.msg, "extension inhibitAnyPolicy: offset 0xc: "
	    "inhibitAnyPolicy: empty INTEGER");
	free(p);
	ext_info_clear(&x);
}

static void
test_oid_text(void)
{
	static const char *const good[] = { "1.2.3", "2.5.29.32.0",
	    "2.16.840.1.101.3.2.1.48.1", "2.999.1", "0.39" };
	static const char *const bad[] = { "", "1", "3.1", "1.40", "1..2",
	    "01.2", "1.2.", "1.2.x", "-1.2",
	    "1.2.99999999999999999999999" };
	struct pol_oid o;
	struct err e;
	char txt[64];
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		CHECK_EQ(pol_oid_from_text(&o, good[i], &e), 0);
		pol_oid_text(&o, txt, sizeof txt);
		CHECK_STR(txt, strcmp(good[i], "2.5.29.32.0") == 0 ?
		    "anyPolicy" : good[i]);
	}
	CHECK_EQ(pol_oid_from_text(&o, "anyPolicy", &e), 0);
	CHECK(pol_oid_is_any(&o));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char want[160];

		snprintf(want, sizeof want, "bad policy OID '%s': expected "
		    "dotted digits such as 2.5.29.32.0, or anyPolicy", bad[i]);
		CHECK_EQ(pol_oid_from_text(&o, bad[i], &e), -1);
		CHECK_STR(e.msg, want);
	}
}

int
main(void)
{
	test_policies();
	test_mappings();
	test_constraints();
	test_inhibit_any();
	test_in_ext();
	test_oid_text();
	return test_done();
}
