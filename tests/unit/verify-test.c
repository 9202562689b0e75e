/* verify-test.c — path validation over the fixtures in tests/data/verify
 * (see its README for how they were made and OpenSSL's verdicts), host
 * name matching and the --at time parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "util/xalloc.h"
#include "x509/verify.h"

#define DIR "tests/data/verify/"
#define AT 1798761600	/* 2027-01-01 00:00:00 UTC */

static void
load(struct cert_list *l, const char *name)
{
	char path[256];
	struct err e;

	snprintf(path, sizeof path, DIR "%s", name);
	err_clear(&e);
	if (cert_list_load_file(l, path, &e) == -1) {
		fprintf(stderr, "%s\n", e.msg);
		exit(1);
	}
}

/* The step of the first failure, for messages. */
static const char *
first_fail(const struct verify_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!r->steps[i].ok)
			return r->steps[i].why;
	return "(none)";
}

/* Verifies leaf (first certificate of file leafname) with anchors and
 * untrusted (space-separated file names, may be empty) and returns the code. */
static enum verify_code
run(const char *leafname, const char *anchors, const char *untrusted,
    enum verify_purpose purpose, const char *host, int64_t at,
    struct verify_result *res)
{
	struct cert_list a, u, l;
	struct verify_params p;
	char names[256], *w;
	int rc;

	cert_list_init(&a);
	cert_list_init(&u);
	cert_list_init(&l);
	snprintf(names, sizeof names, "%s", anchors);
	for (w = strtok(names, " "); w != NULL; w = strtok(NULL, " "))
		load(&a, w);
	snprintf(names, sizeof names, "%s", untrusted);
	for (w = strtok(names, " "); w != NULL; w = strtok(NULL, " "))
		load(&u, w);
	load(&l, leafname);
	memset(&p, 0, sizeof p);
	p.anchors = &a;
	p.untrusted = &u;
	p.purpose = purpose;
	p.host = host;
	p.at = at;
	rc = verify_chain(&l.v[0], &p, res);
	CHECK_EQ(rc, res->code == VERIFY_OK ? 0 : -1);
	if (res->code != VERIFY_OK) {
		CHECK(res->reason != NULL);
		CHECK(strstr(res->reason, first_fail(res)) != NULL);
	}
	/* The chain pointers borrow the lists: forget them before freeing. */
	res->chain_len = 0;
	cert_list_clear(&a);
	cert_list_clear(&u);
	cert_list_clear(&l);
	return res->code;
}

/* Checks the code and that the reason holds frag (when not NULL). */
static void
expect(int line, enum verify_code code, const char *leaf, const char *anchors,
    const char *untrusted, enum verify_purpose purpose, const char *host,
    int64_t at, const char *frag)
{
	struct verify_result r;
	enum verify_code c;

	verify_result_init(&r);
	c = run(leaf, anchors, untrusted, purpose, host, at, &r);
	test_checks++;
	if (c != code) {
		test_fail(__FILE__, line, "%s: got %s, want %s", leaf,
		    verify_code_name(c), verify_code_name(code));
		verify_print(stderr, &r);
	}
	if (frag != NULL) {
		test_checks++;
		if (r.reason == NULL || strstr(r.reason, frag) == NULL)
			test_fail(__FILE__, line, "reason \"%s\" lacks \"%s\"",
			    r.reason ? r.reason : "(null)", frag);
	}
	verify_result_clear(&r);
}

#define EXPECT(...) expect(__LINE__, __VA_ARGS__)

static void
test_chains(void)
{
	struct verify_result r;
	struct buf b;
	char *nb = NULL;

	/* Valid: root -> int -> server, every purpose, the names it holds. */
	EXPECT(VERIFY_OK, "server.pem", "root.pem", "int.pem", VERIFY_PURPOSE_ANY,
	    NULL, AT, NULL);
	EXPECT(VERIFY_OK, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_SERVER, "www.example", AT, NULL);
	EXPECT(VERIFY_OK, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_SERVER, "WWW.Example.", AT, NULL);
	EXPECT(VERIFY_OK, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_SERVER, "a.wild.example", AT, NULL);
	EXPECT(VERIFY_OK, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_SERVER, "127.0.0.1", AT, NULL);
	EXPECT(VERIFY_OK, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_SERVER, "[::1]", AT, NULL);
	/* The wrong candidate (same name and key id, other key) first. */
	EXPECT(VERIFY_OK, "server.pem", "root.pem", "fakeint.pem int.pem",
	    VERIFY_PURPOSE_SERVER, NULL, AT, NULL);
	/* Host names it does not hold. */
	EXPECT(VERIFY_HOST_MISMATCH, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_SERVER, "other.example", AT, "matches no dNSName");
	EXPECT(VERIFY_HOST_MISMATCH, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_SERVER, "a.b.wild.example", AT, NULL);
	EXPECT(VERIFY_HOST_MISMATCH, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_SERVER, "wild.example", AT, NULL);
	EXPECT(VERIFY_HOST_MISMATCH, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_SERVER, "127.0.0.2", AT, "iPAddress");
	/* An IP literal never matches a DNS name or the CN. */
	EXPECT(VERIFY_HOST_MISMATCH, "nosan.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_ANY, "127.0.0.1", AT, NULL);
	/* CN fallback without any SAN. */
	EXPECT(VERIFY_OK, "nosan.pem", "root.pem", "int.pem", VERIFY_PURPOSE_ANY,
	    "nosan.example", AT, NULL);
	EXPECT(VERIFY_HOST_MISMATCH, "nosan.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_ANY, "other.example", AT, "CN=nosan.example");
	/* Time. */
	EXPECT(VERIFY_EXPIRED, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_ANY, NULL, 2114380800 /* 2037-01-01 */, "expired");
	EXPECT(VERIFY_NOT_YET_VALID, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_ANY, NULL, 1767225600 /* 2026-01-01 */, "not yet valid");
	/* Chain building. */
	EXPECT(VERIFY_NO_ISSUER, "server.pem", "root.pem", "", VERIFY_PURPOSE_ANY,
	    NULL, AT, "no certificate named 'O=Verify Test, CN=Verify Intermediate'");
	EXPECT(VERIFY_NO_ISSUER, "server.pem", "self.pem", "int.pem",
	    VERIFY_PURPOSE_ANY, NULL, AT,
	    "no certificate named 'O=Verify Test, CN=Verify Root'");
	EXPECT(VERIFY_BAD_SIGNATURE, "server.pem", "root.pem", "fakeint.pem",
	    VERIFY_PURPOSE_ANY, NULL, AT, "signature does not verify");
	EXPECT(VERIFY_SELF_SIGNED_LEAF, "self.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_ANY, NULL, AT, "self-signed certificate is not a trust anchor");
	/* A trust anchor is trusted directly, the leaf included. */
	EXPECT(VERIFY_OK, "self.pem", "root.pem self.pem", "", VERIFY_PURPOSE_ANY,
	    "self.example", AT, NULL);
	EXPECT(VERIFY_OK, "int.pem", "root.pem", "", VERIFY_PURPOSE_ANY, NULL, AT,
	    NULL);
	EXPECT(VERIFY_OK, "root.pem", "root.pem", "", VERIFY_PURPOSE_ANY, NULL, AT,
	    NULL);
	/* ecleaf is RSA-signed but names the P-256 ecint as its issuer. */
	EXPECT(VERIFY_BAD_SIGNATURE, "ecleaf.pem", "ecroot.pem", "ecint.pem",
	    VERIFY_PURPOSE_ANY, NULL, AT,
	    "sha256WithRSAEncryption signature with a P-256 key");
	/* ECDSA P-256 all the way: root and intermediate sign with
	 * ecdsa-with-SHA256 (OpenSSL: OK). */
	EXPECT(VERIFY_OK, "ecdsaleaf.pem", "ecdsaroot.pem", "ecdsaint.pem",
	    VERIFY_PURPOSE_SERVER, "www.example", AT, NULL);
	EXPECT(VERIFY_OK, "ecdsaint.pem", "ecdsaroot.pem", "", VERIFY_PURPOSE_ANY,
	    NULL, AT, NULL);
	EXPECT(VERIFY_BAD_SIGNATURE, "ecdsaint-badsig.pem", "ecdsaroot.pem", "",
	    VERIFY_PURPOSE_ANY, NULL, AT, "ECDSA signature does not verify");
	/* The leaf's signature is good, its issuer's is not. */
	EXPECT(VERIFY_BAD_SIGNATURE, "ecdsaleaf.pem", "ecdsaroot.pem",
	    "ecdsaint-badsig.pem", VERIFY_PURPOSE_ANY, NULL, AT,
	    "ECDSA signature does not verify");
	/* P-384: recognised, not supported. */
	EXPECT(VERIFY_UNSUPPORTED_KEY, "p384leaf.pem", "p384root.pem", "",
	    VERIFY_PURPOSE_ANY, NULL, AT, "id-ecPublicKey");
	/* Issuer checks. */
	EXPECT(VERIFY_NOT_CA, "under-noca.pem", "root.pem", "noca.pem",
	    VERIFY_PURPOSE_ANY, NULL, AT, "cA is FALSE");
	EXPECT(VERIFY_UNKNOWN_CRITICAL, "crit.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_ANY, NULL, AT, "1.2.3.4");
	/* Purposes. */
	EXPECT(VERIFY_EKU, "client.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_SERVER, NULL, AT, "serverAuth");
	EXPECT(VERIFY_OK, "client.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_CLIENT, NULL, AT, NULL);
	EXPECT(VERIFY_EKU, "server.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_CLIENT, NULL, AT, "clientAuth");
	EXPECT(VERIFY_OK, "nosan.pem", "root.pem", "int.pem",
	    VERIFY_PURPOSE_SERVER, NULL, AT, NULL);

	/* The steps in words, and the chain found. */
	verify_result_init(&r);
	{
		struct cert_list a, u, l;
		struct verify_params p;

		cert_list_init(&a);
		cert_list_init(&u);
		cert_list_init(&l);
		load(&a, "root.pem");
		load(&u, "int.pem");
		load(&l, "server.pem");
		memset(&p, 0, sizeof p);
		p.anchors = &a;
		p.untrusted = &u;
		p.at = AT;
		p.purpose = VERIFY_PURPOSE_SERVER;
		p.host = "www.example";
		CHECK_EQ(verify_chain(&l.v[0], &p, &r), 0);
		CHECK_EQ(r.chain_len, 3);
		CHECK(r.anchored);
		CHECK(r.chain[0] == &l.v[0]);
		CHECK(r.chain[1] == &u.v[0]);
		CHECK(r.chain[2] == &a.v[0]);
		CHECK(r.reason == NULL);
		buf_init(&b);
		verify_render(&b, &r);
		nb = (char *)b.data;
		CHECK(strstr(nb, "  ok    signature of 'O=Verify Test, CN=www.example' by "
		    "'O=Verify Test, CN=Verify Intermediate': sha256WithRSAEncryption "
		    "signature is good\n") != NULL);
		CHECK(strstr(nb, "  ok    trust anchor: 'O=Verify Test, CN=Verify Root' "
		    "is a trust anchor\n") != NULL);
		CHECK(strstr(nb, "  ok    path length of 'O=Verify Test, CN=Verify "
		    "Intermediate': pathLenConstraint 0, 0 intermediate CA "
		    "certificates below\n") != NULL);
		CHECK(strstr(nb, "  ok    host name 'www.example': 'www.example' "
		    "matches subjectAltName DNS:www.example\n") != NULL);
		CHECK(strstr(nb, "FAIL") == NULL);
		buf_clear(&b);

		/* A second call on the same result replaces it; expired. */
		p.at = 2114380800;
		p.host = NULL;
		CHECK_EQ(verify_chain(&l.v[0], &p, &r), -1);
		CHECK_EQ(r.code, VERIFY_EXPIRED);
		CHECK_STR(r.reason, "validity of 'O=Verify Test, CN=www.example': "
		    "expired on 2036-11-20 09:19:12 UTC, checked at 2037-01-01 "
		    "00:00:00 UTC");
		buf_init(&b);
		verify_render(&b, &r);
		CHECK(strstr((char *)b.data, "  FAIL  validity of 'O=Verify Test, "
		    "CN=Verify Intermediate': expired") != NULL);
		buf_clear(&b);
		verify_result_clear(&r);
		CHECK_EQ(verify_chain(NULL, &p, &r), -1);
		CHECK_EQ(r.code, VERIFY_MALFORMED);
		verify_result_clear(&r);
		cert_list_clear(&a);
		cert_list_clear(&u);
		cert_list_clear(&l);
	}
}

static void
test_dns(void)
{
	CHECK_EQ(verify_dns_match("www.example.com", "www.example.com"), 1);
	CHECK_EQ(verify_dns_match("WWW.Example.COM", "www.example.com"), 1);
	CHECK_EQ(verify_dns_match("www.example.com.", "www.example.com"), 1);
	CHECK_EQ(verify_dns_match("www.example.com", "www.example.com."), 1);
	CHECK_EQ(verify_dns_match("www.example.com", "ww.example.com"), 0);
	CHECK_EQ(verify_dns_match("www.example.com", "www.example.co"), 0);
	CHECK_EQ(verify_dns_match("*.example.com", "www.example.com"), 1);
	CHECK_EQ(verify_dns_match("*.example.com", "WWW.EXAMPLE.com"), 1);
	CHECK_EQ(verify_dns_match("*.example.com", "a.b.example.com"), 0);
	CHECK_EQ(verify_dns_match("*.example.com", "example.com"), 0);
	CHECK_EQ(verify_dns_match("*.example.com", ".example.com"), 0);
	CHECK_EQ(verify_dns_match("*.com", "example.com"), 0);
	CHECK_EQ(verify_dns_match("*", "example"), 0);
	CHECK_EQ(verify_dns_match("*.", "example."), 0);
	CHECK_EQ(verify_dns_match("f*.example.com", "foo.example.com"), 0);
	CHECK_EQ(verify_dns_match("*oo.example.com", "foo.example.com"), 0);
	CHECK_EQ(verify_dns_match("www.*.com", "www.example.com"), 0);
	CHECK_EQ(verify_dns_match("*.*.example.com", "a.b.example.com"), 0);
	CHECK_EQ(verify_dns_match("*..com", "a..com"), 0);
	CHECK_EQ(verify_dns_match("*.example.com", "*.example.com"), 0);
	CHECK_EQ(verify_dns_match("", ""), 0);
	CHECK_EQ(verify_dns_match("example.com", ""), 0);
}

static void
test_time(void)
{
	struct err e;
	int64_t t;
	char s[40];

	CHECK_EQ(verify_parse_time("2020-06-15", &t, &e), 0);
	CHECK_EQ(t, 1592179200);
	CHECK_EQ(verify_parse_time("2020-06-15T01:02:03Z", &t, &e), 0);
	CHECK_EQ(t, 1592179200 + 3723);
	CHECK_EQ(verify_parse_time("1970-01-01", &t, &e), 0);
	CHECK_EQ(t, 0);
	CHECK_EQ(verify_parse_time("2000-02-29", &t, &e), 0);
	CHECK_EQ(t, 951782400);
	CHECK_EQ(verify_parse_time("1950-01-01", &t, &e), 0);
	CHECK_EQ(t, -631152000);
	CHECK_EQ(verify_parse_time("@1592179200", &t, &e), 0);
	CHECK_EQ(t, 1592179200);
	CHECK_EQ(verify_parse_time("@-1", &t, &e), 0);
	CHECK_EQ(t, -1);
	CHECK_ERR(verify_parse_time("2021-02-29", &t, &e), &e,
	    "bad time '2021-02-29': day 29 out of range");
	CHECK_EQ(e.kind, ERR_USAGE);
	CHECK_ERR(verify_parse_time("2021-13-01", &t, &e), &e, "month 13");
	CHECK_ERR(verify_parse_time("2021-01-01T24:00:00Z", &t, &e), &e,
	    "time of day out of range");
	CHECK_ERR(verify_parse_time("2021-01-01T10:00:00", &t, &e), &e,
	    "expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or @SECONDS");
	CHECK_ERR(verify_parse_time("yesterday", &t, &e), &e, "expected");
	CHECK_ERR(verify_parse_time("@", &t, &e), &e, "expected");
	CHECK_ERR(verify_parse_time("@12x", &t, &e), &e, "expected");
	CHECK_ERR(verify_parse_time("@ 12", &t, &e), &e, "expected");
	CHECK_ERR(verify_parse_time("@99999999999999999999", &t, &e), &e,
	    "expected");
	CHECK_ERR(verify_parse_time("", &t, &e), &e, "expected");

	verify_format_time(1592179200 + 3723, s, sizeof s);
	CHECK_STR(s, "2020-06-15 01:02:03 UTC");
	verify_format_time(-1, s, sizeof s);
	CHECK_STR(s, "1969-12-31 23:59:59 UTC");
	verify_format_time(951782400, s, sizeof s);
	CHECK_STR(s, "2000-02-29 00:00:00 UTC");

	CHECK_STR(verify_code_name(VERIFY_EXPIRED), "EXPIRED");
	CHECK_STR(verify_code_text(VERIFY_SELF_SIGNED_LEAF),
	    "self-signed certificate is not a trust anchor");
	CHECK_STR(verify_code_name((enum verify_code)99), "UNKNOWN");
}

int
main(void)
{
	test_dns();
	test_time();
	test_chains();
	return test_done();
}
