/* crldp-test.c — distribution points and the CRL extensions of RFC 5280
 * 6.3 (x509/crldp.h, x509/crl.h): issuingDistributionPoint,
 * deltaCRLIndicator, certificateIssuer entries, freshestCRL; good values
 * read as they say, every malformed one refused with its exact message;
 * names match as 6.3.3 (b) compares them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "util/buf.h"
#include "x509/crl.h"
#include "x509/crldp.h"
#include "x509/ext.h"

/* Appends tag, DER length and the bytes of hex. */
static void
tlv(struct buf *b, unsigned tag, const uint8_t *v, size_t len)
{
	buf_putc(b, (int)tag);
	if (len < 0x80) {
		buf_putc(b, (int)len);
	} else if (len < 0x100) {
		buf_putc(b, 0x81);
		buf_putc(b, (int)len);
	} else {
		buf_putc(b, 0x82);
		buf_putc(b, (int)(len >> 8));
		buf_putc(b, (int)(len & 0xff));
	}
	buf_append(b, v, len);
}

static void
hexin(struct buf *b, const char *hex)
{
	uint8_t *p;
	size_t len;

	p = test_hex(hex, &len);
	buf_append(b, p, len);
	free(p);
}

/* A v2 CRL by "CN=CA" with crlExtensions exts (hex of the Extension
 * SEQUENCEs, or NULL) and, for each of the n entry extension lists in
 * entries (hex, "" for none), one entry with serial 1, 2, ... The
 * signature is not valid: parsing does not check it. */
static uint8_t *
make_crl(const char *exts, const char *const *entries, size_t n, size_t *len)
{
	struct buf tbs, list, one, body, top, tmp;
	size_t i;
	uint8_t serial;

	buf_init(&tbs);
	buf_init(&list);
	buf_init(&top);
	hexin(&tbs, "020101 300d06092a864886f70d01010b0500 "
	    "300f310d300b06035504030c0443412031 "
	    "170d3230303130313030303030305a");
	for (i = 0; i < n; i++) {
		buf_init(&one);
		serial = (uint8_t)(i + 1);
		tlv(&one, 0x02, &serial, 1);
		hexin(&one, "170d3230303130313030303030305a");
		if (entries[i][0] != '\0') {
			buf_init(&tmp);
			hexin(&tmp, entries[i]);
			tlv(&one, 0x30, tmp.data, tmp.len);
			buf_clear(&tmp);
		}
		tlv(&list, 0x30, one.data, one.len);
		buf_clear(&one);
	}
	if (n > 0)
		tlv(&tbs, 0x30, list.data, list.len);
	if (exts != NULL) {
		buf_init(&tmp);
		buf_init(&one);
		hexin(&tmp, exts);
		tlv(&one, 0x30, tmp.data, tmp.len);
		tlv(&tbs, 0xa0, one.data, one.len);
		buf_clear(&tmp);
		buf_clear(&one);
	}
	buf_init(&body);
	tlv(&body, 0x30, tbs.data, tbs.len);
	hexin(&body, "300d06092a864886f70d01010b0500 03020000");
	tlv(&top, 0x30, body.data, body.len);
	buf_clear(&tbs);
	buf_clear(&list);
	buf_clear(&body);
	return buf_steal(&top, len);
}

static int
parse_crl(struct crl *c, const char *exts, const char *const *entries,
    size_t n, struct err *e)
{
	uint8_t *der;
	size_t len;
	int r;

	der = make_crl(exts, entries, n, &len);
	err_clear(e);
	r = crl_parse(c, der, len, e);
	free(der);
	return r;
}

static int
parse_idp(struct crldp_idp *idp, const char *hex, struct err *e)
{
	struct der d;
	uint8_t *p;
	size_t len;
	int r;

	p = test_hex(hex, &len);
	err_clear(e);
	der_init(&d, p, len, e);
	r = crldp_parse_idp(&d, idp);
	if (r == 0)
		r = der_finish(&d, "IDP");
	free(p);
	return r;
}

#define BAD_IDP(hex, want) do { struct crldp_idp i_; struct err e_; \
	memset(&i_, 0, sizeof i_); \
	CHECK_EQ(parse_idp(&i_, hex, &e_), -1); CHECK_STR(e_.msg, want); \
	crldp_idp_clear(&i_); } while (0)

static void
test_idp(void)
{
	struct crldp_idp idp;
	struct err e;

	memset(&idp, 0, sizeof idp);
	/* fullName URI "h:x", onlySomeReasons keyCompromise+cACompromise,
	 * indirectCRL. */
	CHECK_EQ(parse_idp(&idp, "3010 a007a0058603683a78 83020560 8401ff",
	    &e), 0);
	CHECK(idp.present && idp.dp.has_name && idp.dp.full.n == 1);
	CHECK(idp.indirect && !idp.only_user && !idp.only_ca);
	CHECK(idp.dp.has_reasons && idp.dp.reasons == 0x6);
	CHECK_EQ(parse_idp(&idp, "3003 8201ff", &e), 0);
	CHECK(idp.only_ca && !idp.dp.has_name);
	crldp_idp_clear(&idp);
	BAD_IDP("3000", "offset 0x2: empty IssuingDistributionPoint");
	BAD_IDP("3003 810100", "offset 0x2: onlyContainsUserCerts FALSE is "
	    "encoded (DER omits the default)");
	BAD_IDP("3003 810101", "offset 0x2: onlyContainsUserCerts: not a DER "
	    "BOOLEAN");
	BAD_IDP("3006 8101ff 8201ff", "offset 0x8: IssuingDistributionPoint: "
	    "more than one of onlyContainsUserCerts, onlyContainsCACerts and "
	    "onlyContainsAttributeCerts");
	BAD_IDP("3004 83020781", "offset 0x2: onlySomeReasons: unused bits "
	    "not zero");
	BAD_IDP("3004 83020800", "offset 0x2: onlySomeReasons: bad unused-bits "
	    "count");
	BAD_IDP("3005 8303060040", "offset 0x2: onlySomeReasons: bit 9 is not "
	    "a reason");
	BAD_IDP("3004 a002a200", "offset 0x4: unknown DistributionPointName tag "
	    "0xa2");
	BAD_IDP("3004 a002a000", "offset 0x6: empty fullName");
	BAD_IDP("3004 a002a100", "offset 0x4: empty nameRelativeToCRLIssuer");
	BAD_IDP("3006 a004a0028900", "offset 0x6: unknown GeneralName tag 0x89 "
	    "in fullName");
	BAD_IDP("3006 8401ff 8101ff", "offset 0x5: 3 bytes left over at end of "
	    "IssuingDistributionPoint");
}

/* The extensions in a CRL: parsed, and refused when malformed. */
static void
test_crl_exts(void)
{
	static const char *const ent_ci[] = {
		/* certificateIssuer dirName CN=A (critical), then none. */
		"301c 0603551d1d 0101ff 0412 3010a40e300c310a30080603550403 "
		    "0c0141",
		"",
	};
	struct crl c;
	struct err e;
	struct dn a, ca;
	static const uint8_t s1[] = { 1 }, s2[] = { 2 };

	crl_init(&c);
	dn_init(&a);
	dn_init(&ca);
	/* A delta CRL: cRLNumber 7, base 5; and an IDP onlyContainsUserCerts. */
	CHECK_EQ(parse_crl(&c, "300a 0603551d14 0403020107 "
	    "300d 0603551d1b 0101ff 0403020105 "
	    "300f 0603551d1c 0101ff 0405 30038101ff", NULL, 0, &e), 0);
	CHECK(c.is_delta && c.base_number_len == 1 && c.base_number[0] == 5);
	CHECK(c.has_idp && c.idp.only_user && !c.unsupported_critical);
	CHECK(c.idp_len == 5);
	CHECK(crl_number_cmp(c.base_number, c.base_number_len, c.number,
	    c.number_len) < 0);
	CHECK_EQ(parse_crl(&c, "300d 0603551d1b 0101ff 04030201ff", NULL, 0,
	    &e), -1);
	CHECK_STR(e.msg, "offset 0x46: BaseCRLNumber is negative");
	CHECK_EQ(parse_crl(&c, "300d 0603551d1b 0101ff 0403040105", NULL, 0,
	    &e), -1);
	CHECK_STR(e.msg, "offset 0x46: expected INTEGER (BaseCRLNumber), found "
	    "0x04");
	CHECK_EQ(parse_crl(&c, "300d 0603551d1c 0101ff 0403 300100", NULL, 0,
	    &e), -1);
	CHECK_STR(e.msg, "offset 0x48: 1 bytes left over at end of "
	    "IssuingDistributionPoint");
	/* Indirect CRL: entry 1 under CN=A, entry 2 carries it over. */
	CHECK_EQ(parse_crl(&c, "300f 0603551d1c 0101ff 0405 30038401ff", ent_ci,
	    2, &e), 0);
	CHECK(c.idp.indirect);
	CHECK_EQ(c.n_entry_issuers, 1);
	CHECK_EQ(c.n, 2);
	if (c.n != 2)
		goto out;
	CHECK_EQ(c.entries[0].issuer, 0);
	CHECK_EQ(c.entries[1].issuer, 0);
	CHECK_EQ(dn_from_string(&a, "CN=A", &e), 0);
	CHECK_EQ(dn_from_string(&ca, "CN=CA 1", &e), 0);
	CHECK(crl_find_issued(&c, &a, s1, 1) == &c.entries[0]);
	CHECK(crl_find_issued(&c, &a, s2, 1) == &c.entries[1]);
	CHECK(crl_find_issued(&c, &ca, s1, 1) == NULL);
	CHECK(crl_find(&c, s2, 1) == &c.entries[1]);
	{
		static const char *const ent_bad[] = {
			"300c 0603551d1d 0101ff 0402 3000" };

		CHECK_EQ(parse_crl(&c, NULL, ent_bad, 1, &e), -1);
		CHECK_STR(e.msg, "offset 0x5c: empty certificateIssuer");
	}
	/* An entry without certificateIssuer is the CRL issuer's. */
	{
		static const char *const ent_none[] = { "" };

		CHECK_EQ(parse_crl(&c, NULL, ent_none, 1, &e), 0);
		CHECK(crl_find_issued(&c, &ca, s1, 1) == &c.entries[0]);
		CHECK(crl_find_issued(&c, &a, s1, 1) == NULL);
	}
out:
	CHECK(crl_number_cmp((const uint8_t *)"\0\x01", 2,
	    (const uint8_t *)"\x01", 1) == 0);
	CHECK(crl_number_cmp((const uint8_t *)"\x01\x00", 2,
	    (const uint8_t *)"\xff", 1) > 0);
	dn_clear(&a);
	dn_clear(&ca);
	crl_clear(&c);
}

/* freshestCRL in a certificate's extensions: checked as a
 * CRLDistributionPoints. */
static void
test_freshest(void)
{
	struct ext_info x;
	struct err e;
	struct der d;
	uint8_t *p;
	size_t len;

	ext_info_init(&x);
	p = test_hex("3014 0603551d2e 040d 300b3009a007a0058603683a78", &len);
	der_init(&d, p, len, &e);
	CHECK_EQ(ext_parse(&d, &x), 0);
	free(p);
	ext_info_clear(&x);
	ext_info_init(&x);
	p = test_hex("3009 0603551d2e 04023000", &len);
	der_init(&d, p, len, &e);
	CHECK_EQ(ext_parse(&d, &x), -1);
	CHECK_STR(e.msg, "extension freshestCRL: offset 0xb: empty "
	    "CRLDistributionPoints");
	free(p);
	ext_info_clear(&x);
	ext_info_init(&x);
	p = test_hex("300f 0603551d2e 0408 30063004 8102 0781", &len);
	der_init(&d, p, len, &e);
	CHECK_EQ(ext_parse(&d, &x), -1);
	CHECK_STR(e.msg, "extension freshestCRL: offset 0xd: reasons: unused "
	    "bits not zero");
	free(p);
	ext_info_clear(&x);
}

/* Names: a relative name resolves against the CRL issuer's name. */
static void
test_match(void)
{
	struct crldp_idp rel, full, uri;
	struct dn base;
	struct err e;

	memset(&rel, 0, sizeof rel);
	memset(&full, 0, sizeof full);
	memset(&uri, 0, sizeof uri);
	dn_init(&base);
	CHECK_EQ(dn_from_string(&base, "CN=CA 1", &e), 0);
	/* nameRelativeToCRLIssuer OU=p1 */
	CHECK_EQ(parse_idp(&rel, "300f a00d a10b 3009 0603 55040b 0c02 7031",
	    &e), 0);
	/* fullName dirName CN=CA 1, OU=p: another name. */
	CHECK_EQ(parse_idp(&full, "3024 a022 a020 a41e 301c 310e 300c 0603550403 "
	    "0c05 4341203120 310a 3008 0603 55040b 0c01 70", &e), 0);
	CHECK(!crldp_points_match(&rel.dp, &base, &full.dp, &base));
	crldp_idp_clear(&full);
	/* CN=CA 1, OU= (empty): another name. */
	CHECK_EQ(parse_idp(&full, "3023 a021 a01f a41d 301b 310e 300c 0603550403 "
	    "0c05 4341203120 3109 3007 0603 55040b 0c00", &e), 0);
	CHECK(!crldp_points_match(&rel.dp, &base, &full.dp, &base));
	crldp_idp_clear(&full);
	/* CN=CA 1, OU=p1: the relative name resolved. */
	CHECK_EQ(parse_idp(&full, "3025 a023 a021 a41f 301d 310e 300c 0603550403 "
	    "0c05 4341203120 310b 3009 0603 55040b 0c02 7031", &e), 0);
	CHECK(crldp_points_match(&rel.dp, &base, &full.dp, &base));
	CHECK(crldp_points_match(&full.dp, &base, &rel.dp, &base));
	CHECK_EQ(parse_idp(&uri, "3009 a007a0058603683a78", &e), 0);
	CHECK(!crldp_points_match(&uri.dp, &base, &full.dp, &base));
	CHECK(crldp_points_match(&uri.dp, &base, &uri.dp, &base));
	crldp_idp_clear(&rel);
	crldp_idp_clear(&full);
	crldp_idp_clear(&uri);
	dn_clear(&base);
}

static void
test_reasons_text(void)
{
	char out[200];

	crldp_reasons_text(0x6, out, sizeof out);
	CHECK_STR(out, "keyCompromise, cACompromise");
	crldp_reasons_text(0, out, sizeof out);
	CHECK_STR(out, "none");
	crldp_reasons_text(CRLDP_ALL_REASONS, out, 20);
	CHECK(strlen(out) < 20);
}

int
main(void)
{
	test_idp();
	test_crl_exts();
	test_freshest();
	test_match();
	test_reasons_text();
	return test_done();
}
