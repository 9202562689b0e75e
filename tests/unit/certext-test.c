/* certext-test.c — certext_find over the fixtures of tests/data/verify
 * (extensions as `openssl x509 -text` lists them): each known extension
 * found with its criticality and contents, absent ones not, and
 * OID_UNKNOWN finding the first extension not in the OID table. */
#include <stdlib.h>

#include "testlib.h"
#include "x509/cert.h"
#include "x509/certext.h"

#define DIR "tests/data/verify/"

static void
load(const char *path, struct cert_list *l)
{
	struct err e;
	uint8_t *p;
	size_t len;

	p = test_read_file(path, &len);
	cert_list_init(l);
	CHECK(cert_list_load(l, p, len, &e) == 0);
	CHECK_EQ(l->n, 1);
	free(p);
}

/* The contents of extension id in c, checked against want (hex). */
static void
expect(const struct cert *c, enum oid_id id, int crit, const char *want)
{
	struct der val;
	struct err e;
	uint8_t *w;
	size_t wlen;
	int critical = -1;

	w = test_hex(want, &wlen);
	CHECK_EQ(certext_find(c, id, &val, &critical, &e), 1);
	CHECK_EQ(critical, crit);
	CHECK_EQ(val.end - val.pos, wlen);
	if (val.end - val.pos == wlen)
		CHECK_MEM(val.buf + val.pos, w, wlen);
	free(w);
}

static void
absent(const struct cert *c, enum oid_id id)
{
	struct der val;
	struct err e;
	int critical = -1;

	CHECK_EQ(certext_find(c, id, &val, &critical, &e), 0);
	CHECK_EQ(critical, 0);
}

static void
test_server(void)
{
	struct cert_list l;

	load(DIR "server.pem", &l);
	if (l.n != 1)
		return;
	/* Key Usage: critical, digitalSignature and keyEncipherment. */
	expect(&l.v[0], OID_KEY_USAGE, 1, "030205a0");
	expect(&l.v[0], OID_BASIC_CONSTRAINTS, 1, "3000");
	expect(&l.v[0], OID_SUBJECT_KEY_ID, 0,
	    "04143aeee0e7c1e583c3acc7c2811fa2e2f7232219ae");
	absent(&l.v[0], OID_NAME_CONSTRAINTS);
	absent(&l.v[0], OID_CRL_DIST_POINTS);
	/* Every extension of server.pem is in the table. */
	absent(&l.v[0], OID_UNKNOWN);
	cert_list_clear(&l);
}

static void
test_unknown(void)
{
	struct cert_list l;

	load(DIR "crit.pem", &l);
	if (l.n != 1)
		return;
	/* 1.2.3.4, critical, an OCTET STRING holding NULL. */
	expect(&l.v[0], OID_UNKNOWN, 1, "0500");
	expect(&l.v[0], OID_SUBJECT_KEY_ID, 0,
	    "0414af22c78f64e3263d7640cd4da4c0eaa4a33eb156");
	absent(&l.v[0], OID_KEY_USAGE);
	cert_list_clear(&l);
}

int
main(void)
{
	test_server();
	test_unknown();
	return test_done();
}
