/* crl-test.c — CRL build/parse round trip, exact errors for broken CRLs,
 * (the PKITS CRLs as known answers are in tests/peer/pkits-parse-test.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "crypto/rsakey.h"
#include "x509/crl.h"
#include "x509/pkey.h"

static struct rsakey key;
static struct cert issuer;

/* A self-signed issuer certificate for key. */
static void
make_issuer(struct dn *name)
{
	struct cert_template t;
	static const uint8_t serial[] = { 0x01 };
	uint8_t *der = NULL;
	size_t len = 0;
	struct err e;

	memset(&t, 0, sizeof t);
	ext_info_init(&t.ext);
	t.serial = serial;
	t.serial_len = 1;
	t.issuer = name;
	t.subject = name;
	t.not_before = 1700000000;
	t.not_after = 1900000000;
	t.subject_key = &key;
	t.ext.has_bc = 1;
	t.ext.ca = 1;
	t.ext.pathlen = -1;
	t.ext.has_ku = 1;
	t.ext.ku = KU_KEY_CERT_SIGN | KU_CRL_SIGN;
	CHECK(cert_build(&t, &key, &der, &len, &e) == 0);
	CHECK(cert_parse(&issuer, der, len, &e) == 0);
	free(der);
	ext_info_clear(&t.ext);
}

/* Index of the n-th occurrence (from 0) of pat in buf, or -1. */
static long
find(const uint8_t *buf, size_t len, const uint8_t *pat, size_t plen, int n)
{
	size_t i;

	for (i = 0; i + plen <= len; i++)
		if (memcmp(buf + i, pat, plen) == 0 && n-- == 0)
			return (long)i;
	return -1;
}

/* Parses a copy of der with one byte changed; expects the error frag. */
static void
broken(const uint8_t *der, size_t len, long at, uint8_t v, const char *frag)
{
	uint8_t *copy = malloc(len);
	struct crl c;
	struct err e;

	crl_init(&c);
	CHECK(at >= 0 && (size_t)at < len);
	if (at >= 0 && (size_t)at < len) {
		memcpy(copy, der, len);
		copy[at] = v;
		err_clear(&e);
		CHECK_ERR(crl_parse(&c, copy, len, &e), &e, frag);
		CHECK_EQ(e.kind, ERR_INPUT);
	}
	crl_clear(&c);
	free(copy);
}

static void
test_round_trip(void)
{
	struct crl_entry en[3];
	struct crl_template t;
	struct crl c;
	struct dn name;
	struct err e;
	uint8_t *der = NULL, *copy;
	size_t len = 0;
	uint64_t num;
	long at;
	static const uint8_t aki[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    13, 14, 15, 16, 17, 18, 19, 20 };
	static const uint8_t reason_kc[] = { 0x0a, 0x01, 0x01 };
	static const uint8_t sha256rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7,
	    0x0d, 0x01, 0x01, 0x0b };
	static const uint8_t crlnum[] = { 0x55, 0x1d, 0x14, 0x04, 0x03, 0x02,
	    0x01, 0x2a };

	dn_init(&name);
	crl_init(&c);
	CHECK(dn_from_string(&name, "CN=CRL Test CA,O=Lab", &e) == 0);
	make_issuer(&name);
	memset(en, 0, sizeof en);
	en[0].serial[0] = 0x7f;
	en[0].serial[1] = 0x01;
	en[0].serial_len = 2;
	en[0].date = 1800000000;
	en[0].reason = CRL_REASON_KEY_COMPROMISE;
	en[1].serial[0] = 0x80;		/* needs a sign byte */
	en[1].serial_len = 1;
	en[1].date = 1800000100;
	en[1].reason = CRL_REASON_NONE;
	en[2].serial[0] = 0x05;
	en[2].serial_len = 1;
	en[2].date = 1800000200;
	en[2].reason = CRL_REASON_CERTIFICATE_HOLD;
	en[2].has_invalidity = 1;
	en[2].invalidity = 1799990000;
	memset(&t, 0, sizeof t);
	t.issuer = &name;
	t.this_update = 1800001000;
	t.next_update = 1800001000 + 7 * 86400;
	t.number = 42;
	t.aki = aki;
	t.aki_len = sizeof aki;
	t.entries = en;
	t.n = 3;
	CHECK(crl_build(&t, &key, &der, &len, &e) == 0);
	CHECK(crl_parse(&c, der, len, &e) == 0);
	CHECK_EQ(c.version, 2);
	CHECK(dn_equal(&c.issuer, &name));
	CHECK_EQ(c.this_update, 1800001000);
	CHECK(c.has_next_update);
	CHECK_EQ(c.next_update, 1800001000 + 7 * 86400);
	CHECK(crl_number_u64(&c, &num) == 0);
	CHECK_EQ(num, 42);
	CHECK_EQ(c.aki_len, 20);
	CHECK_MEM(c.aki, aki, 20);
	CHECK_EQ(c.n, 3);
	CHECK_EQ(c.entries[0].reason, CRL_REASON_KEY_COMPROMISE);
	CHECK_EQ(c.entries[0].date, 1800000000);
	CHECK_EQ(c.entries[1].reason, CRL_REASON_NONE);
	CHECK_EQ(c.entries[1].serial_len, 2);	/* 00 80 */
	CHECK_EQ(c.entries[2].reason, CRL_REASON_CERTIFICATE_HOLD);
	CHECK(c.entries[2].has_invalidity);
	CHECK_EQ(c.entries[2].invalidity, 1799990000);
	CHECK(!c.unsupported_critical && !c.is_delta);
	CHECK(crl_check_signature(&c, &issuer, &e));
	{
		static const uint8_t s80[] = { 0x00, 0x80 }, s7f01[] =
		    { 0x7f, 0x01 }, s06[] = { 0x06 };

		CHECK(crl_find(&c, s80, 2) == &c.entries[1]);
		/* 80 alone is -128, not the entry's 128. */
		CHECK(crl_find(&c, s80 + 1, 1) == NULL);
		CHECK(crl_find(&c, s7f01, 2) == &c.entries[0]);
		CHECK(crl_find(&c, s06, 1) == NULL);
	}
	CHECK_STR(crl_reason_name(CRL_REASON_CESSATION),
	    "cessationOfOperation");
	CHECK_EQ(crl_reason_find("KEYCOMPROMISE"), 1);
	CHECK_EQ(crl_reason_find("removeFromCRL"), 8);
	CHECK_EQ(crl_reason_find("nope"), -2);

	/* A changed byte in the signed part breaks the signature. */
	copy = malloc(len);
	memcpy(copy, der, len);
	at = find(copy, len, reason_kc, 3, 0);
	CHECK(at > 0);
	copy[at + 2] = 0x03;	/* affiliationChanged: still well-formed */
	CHECK(crl_parse(&c, copy, len, &e) == 0);
	CHECK(!crl_check_signature(&c, &issuer, &e));
	free(copy);

	/* Broken encodings, each with its exact complaint. */
	broken(der, len, find(der, len, reason_kc, 3, 0) + 2, 0x07,
	    "reasonCode: not a CRLReason value");
	broken(der, len, find(der, len, sha256rsa, 9, 1) + 8, 0x0c,
	    "signatureAlgorithm differs from the TBSCertList signature field");
	broken(der, len, find(der, len, crlnum, 8, 0) + 7, 0x81,
	    "cRLNumber is negative");
	/* version INTEGER 1 follows the two SEQUENCE headers */
	at = find(der, len, (const uint8_t *)"\x02\x01\x01\x30", 4, 0);
	broken(der, len, at + 2, 0x00, "version 1 must be omitted");
	broken(der, len, at, 0x04, "");	/* then it is no AlgorithmIdentifier */
	{
		static const char pem[] = "-----BEGIN CERTIFICATE-----\n"
		    "MAA=\n-----END CERTIFICATE-----\n";
		struct err e2;
		struct crl c2;

		crl_init(&c2);
		CHECK_ERR(crl_parse(&c2, der, len - 1, &e2), &e2,
		    "length runs past end of");
		copy = malloc(len + 1);
		memcpy(copy, der, len);
		copy[len] = 0;
		CHECK_ERR(crl_parse(&c2, copy, len + 1, &e2), &e2,
		    "left over at end of CRL");
		free(copy);
		CHECK_ERR(crl_load(&c2, (const uint8_t *)pem, strlen(pem),
		    &e2), &e2, "no X509 CRL block found");
		crl_clear(&c2);
	}

	/* nextUpdate not after thisUpdate is refused by the builder. */
	t.next_update = t.this_update;
	CHECK_ERR(crl_build(&t, &key, &copy, &len, &e), &e,
	    "nextUpdate must be after thisUpdate");
	free(der);
	crl_clear(&c);
	dn_clear(&name);
}

int
main(void)
{
	struct err e;

	rsakey_init(&key);
	cert_init(&issuer);
	if (rsakey_generate(&key, 2048, NULL, NULL, &e) == -1) {
		printf("keygen: %s\n", e.msg);
		return 1;
	}
	test_round_trip();
	cert_clear(&issuer);
	rsakey_clear(&key);
	return test_done();
}
