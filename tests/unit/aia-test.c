/* aia-test.c — authorityInfoAccess and cRLDistributionPoints (x509/ext.c,
 * x509/text.c): the exact bytes written for a CA service URL, parsed
 * back, the other forms others write (unknown methods, reasons, cRLIssuer,
 * relative names), broken values with their exact errors, and `show`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "asn1/pem.h"
#include "util/buf.h"
#include "x509/cert.h"
#include "x509/ext.h"
#include "x509/pkey.h"
#include "x509/text.h"
#include "testcert.h"
#include "testlib.h"

#define URL "http://127.0.0.1:9000"

/* What ext_encode writes for URL: SEQUENCE { AIA, CDP }, both without
 * the critical flag. */
#define AIA_HEX "306006082b0601050507010104543052" \
	"302606082b06010505073001861a" \
	"687474703a2f2f3132372e302e302e313a393030302f6f637370" \
	"302806082b06010505073002861c" \
	"687474703a2f2f3132372e302e302e313a393030302f63612e636572"
#define CDP_HEX "302a0603551d1f04233021301fa01da01b8619" \
	"687474703a2f2f3132372e302e302e313a393030302f63726c"

/* AIA with an unknown method (1.2.3.4, a dNSName) and an LDAP caIssuers;
 * CDP with two fullName URIs, reasons keyCompromise and cACompromise and a
 * cRLIssuer directoryName, then a point named relative to the issuer. */
#define OTHERS_HEX "304406082b0601050507010104383036301006032a0304820961" \
	"2e6578616d706c65302206082b0601050507300286166c6461703a2f2f6c2e65" \
	"78616d706c652f636e3d636130650603551d1f045e305c304aa032a030861668" \
	"7474703a2f2f612e6578616d706c652f312e63726c8616687474703a2f2f622e" \
	"6578616d706c652f312e63726c81020560a210a40e300c310a30080603550403" \
	"0c0158300ea00ca10a300806035504030c0159"

static void
encode_ext_only(struct derw *w, const void *arg)
{
	ext_encode(w, arg);
}

static int
parse_exts(const char *hex, struct ext_info *x, struct err *e)
{
	struct der d;
	uint8_t *p;
	size_t len;
	int r;

	p = test_hex(hex, &len);
	der_init(&d, p, len, e);
	ext_info_clear(x);
	r = ext_parse(&d, x);
	free(p);
	return r;
}

static void
service_locations(struct ext_info *x)
{
	ext_aia_add_uri(x, OID_AD_OCSP, URL "/ocsp");
	ext_aia_add_uri(x, OID_AD_CA_ISSUERS, URL "/ca.cer");
	ext_cdp_add_uri(x, URL "/crl");
}

static void
check_service_locations(const struct ext_info *y)
{
	CHECK(y->has_aia && !y->aia_critical);
	CHECK(y->has_cdp && !y->cdp_critical);
	CHECK(!y->unknown_critical);
	CHECK_EQ(y->naia, 2);
	CHECK_EQ(y->ncdp, 1);
	if (y->naia == 2) {
		CHECK_EQ(y->aia[0].method, OID_AD_OCSP);
		CHECK_STR(y->aia[0].method_oid, "1.3.6.1.5.5.7.48.1");
		CHECK_EQ(y->aia[0].loc.type, SAN_URI);
		CHECK_STR(y->aia[0].loc.value, URL "/ocsp");
		CHECK_EQ(y->aia[1].method, OID_AD_CA_ISSUERS);
		CHECK_STR(y->aia[1].loc.value, URL "/ca.cer");
	}
	if (y->ncdp == 1) {
		CHECK_EQ(y->cdp[0].full.n, 1);
		CHECK(!y->cdp[0].relative && !y->cdp[0].has_reasons);
		CHECK_EQ(y->cdp[0].crl_issuer.n, 0);
		if (y->cdp[0].full.n == 1) {
			CHECK_EQ(y->cdp[0].full.v[0].type, SAN_URI);
			CHECK_STR(y->cdp[0].full.v[0].value, URL "/crl");
		}
	}
}

static void
test_encode(void)
{
	struct ext_info x, y, z;
	struct err e;
	struct der d, seq;
	uint8_t *der, *want;
	size_t len, wantlen;

	ext_info_init(&x);
	ext_info_init(&y);
	CHECK_EQ(ext_count(&x), 0);
	service_locations(&x);
	CHECK_EQ(ext_count(&x), 2);
	der = der_encode(encode_ext_only, &x, &len, &e);
	want = test_hex("3081" "8e" AIA_HEX CDP_HEX, &wantlen);
	CHECK(der != NULL);
	CHECK_EQ(len, wantlen);
	if (der != NULL && len == wantlen)
		CHECK_MEM(der, want, len);
	free(want);

	/* Parsed back, field by field. */
	der_init(&d, der, len, &e);
	CHECK_EQ(der_enter(&d, DER_SEQUENCE, "Extensions", &seq), 0);
	CHECK_EQ(ext_parse(&seq, &y), 0);
	check_service_locations(&y);
	free(der);

	/* A copy owns its own strings (ASan finds a shared one). */
	ext_info_copy(&z, &y);
	ext_info_clear(&y);
	check_service_locations(&z);

	/* Cleared, nothing is written: a renewal's fresh start. */
	ext_locations_clear(&z);
	CHECK(!z.has_aia && !z.has_cdp && z.naia == 0 && z.ncdp == 0);
	CHECK_EQ(ext_count(&z), 0);
	ext_info_clear(&z);

	/* Only what can be written is: an unknown method and a point
	 * without a full name are left out, and with them the extension. */
	ext_info_clear(&x);
	ext_aia_add_uri(&x, OID_AD_OCSP, URL "/ocsp");
	x.aia[0].method = OID_UNKNOWN;
	ext_cdp_add_uri(&x, URL "/crl");
	san_list_clear(&x.cdp[0].full);
	CHECK_EQ(ext_count(&x), 0);
	ext_info_clear(&x);
}

static void
test_others(void)
{
	struct ext_info x;
	struct err e;

	ext_info_init(&x);
	CHECK_EQ(parse_exts(OTHERS_HEX, &x, &e), 0);
	CHECK(x.has_aia && x.has_cdp);
	CHECK_EQ(x.naia, 2);
	if (x.naia == 2) {
		CHECK_EQ(x.aia[0].method, OID_UNKNOWN);
		CHECK_STR(x.aia[0].method_oid, "1.2.3.4");
		CHECK_EQ(x.aia[0].loc.type, SAN_DNS);
		CHECK_STR(x.aia[0].loc.value, "a.example");
		CHECK_EQ(x.aia[1].method, OID_AD_CA_ISSUERS);
		CHECK_STR(x.aia[1].loc.value, "ldap://l.example/cn=ca");
	}
	CHECK_EQ(x.ncdp, 2);
	if (x.ncdp == 2) {
		CHECK_EQ(x.cdp[0].full.n, 2);
		CHECK(x.cdp[0].has_reasons);
		CHECK_EQ(x.cdp[0].reasons, (1u << 1) | (1u << 2));
		CHECK_EQ(x.cdp[0].crl_issuer.n, 1);
		if (x.cdp[0].crl_issuer.n == 1)
			CHECK_STR(x.cdp[0].crl_issuer.v[0].value, "dirName:CN=X");
		CHECK(x.cdp[1].relative);
		CHECK_EQ(x.cdp[1].full.n, 0);
	}

	/* Critical: read, and left to path validation to refuse. */
	CHECK_EQ(parse_exts("3017 0603551d1f 0101ff 040d 300b3009a007a005"
	    "8603683a78", &x, &e), 0);
	CHECK(x.has_cdp && x.cdp_critical && x.unknown_critical);
	CHECK_STR(x.unknown_critical_oid, "2.5.29.31");

	/* Broken values, each with its exact error. */
	CHECK_ERR(parse_exts("300e 06082b06010505070101 04023000", &x, &e), &e,
	    "extension authorityInfoAccess: offset 0x10: empty "
	    "AuthorityInfoAccessSyntax");
	CHECK_ERR(parse_exts("3018 06082b06010505070101 040c300a3008"
	    "06062b0601050507", &x, &e), &e,
	    "extension authorityInfoAccess: offset 0x1a: AccessDescription "
	    "without accessLocation");
	CHECK_ERR(parse_exts("301b 06082b06010505070101 040f300d300b"
	    "06062b0601050507 860541", &x, &e), &e,
	    "extension authorityInfoAccess: offset 0x1a: length runs past "
	    "end of AccessDescription");
	CHECK_ERR(parse_exts("301d 06082b06010505070101 0411300f300d"
	    "06082b06010505073001 8601 1b", &x, &e), &e,
	    "extension authorityInfoAccess: offset 0x1c: URI: invalid "
	    "character 0x1b");
	CHECK_ERR(parse_exts("301f 06082b06010505070101 04133011300f06082b"
	    "06010505073001 8601 41 0500", &x, &e), &e,
	    "extension authorityInfoAccess: offset 0x1f: 2 bytes left over at "
	    "end of AccessDescription");
	CHECK_ERR(parse_exts("3009 0603551d1f 04023000", &x, &e), &e,
	    "extension crlDistributionPoints: offset 0xb: empty "
	    "CRLDistributionPoints");
	CHECK_ERR(parse_exts("300f 0603551d1f 0408300630 04a002a200", &x, &e), &e,
	    "extension crlDistributionPoints: offset 0xf: unknown "
	    "DistributionPointName tag 0xa2");
	CHECK_ERR(parse_exts("300f 0603551d1f 0408300630 04a002a000", &x, &e), &e,
	    "extension crlDistributionPoints: offset 0x11: empty fullName");
	CHECK_ERR(parse_exts("3010 0603551d1f 0409300730 05 8103060040", &x, &e),
	    &e, "extension crlDistributionPoints: offset 0xd: reasons: bit 9 is "
	    "not a reason");
	CHECK_ERR(parse_exts("300f 0603551d1f 0408300630 04 81020701", &x, &e),
	    &e, "extension crlDistributionPoints: offset 0xd: reasons: unused "
	    "bits not zero");
	CHECK_ERR(parse_exts("300f 0603551d1f 0408300630 04 a2020500", &x, &e),
	    &e, "extension crlDistributionPoints: offset 0xf: unknown "
	    "GeneralName tag 0x05");
	ext_info_clear(&x);
}

/* More than EXT_MAX_ACCESS descriptions, more than EXT_MAX_DP points. */
static void
test_bounds(void)
{
	struct ext_info x;
	struct buf h;
	struct err e;
	size_t i;

	/* 17 descriptions of 13 bytes: method 1.3.6.1.5.5.7, URI "A". */
	buf_init(&h);
	buf_printf(&h, "3081%02x 06082b06010505070101 0481%02x 3081%02x",
	    (unsigned)(10 + 3 + 3 + 17 * 13), (unsigned)(3 + 17 * 13),
	    (unsigned)(17 * 13));
	for (i = 0; i < 17; i++)
		buf_puts(&h, "300b 06062b0601050507 8601 41");
	buf_putc(&h, '\0');
	ext_info_init(&x);
	CHECK_ERR(parse_exts((const char *)h.data, &x, &e), &e,
	    "extension authorityInfoAccess: offset 0xe3: more than 16 access "
	    "descriptions");
	buf_clear(&h);

	buf_init(&h);
	buf_printf(&h, "3081%02x 0603551d1f 0481%02x 3081%02x",
	    (unsigned)(5 + 3 + 3 + 17 * 9), (unsigned)(3 + 17 * 9),
	    (unsigned)(17 * 9));
	for (i = 0; i < 17; i++)
		buf_puts(&h, "3007 a005a0038601 41");
	buf_putc(&h, '\0');
	CHECK_ERR(parse_exts((const char *)h.data, &x, &e), &e,
	    "extension crlDistributionPoints: offset 0x9e: more than 16 "
	    "distribution points");
	buf_clear(&h);
	ext_info_clear(&x);
}

/* `show`: the lines openssl x509 -text prints for the same extensions. */
static void
test_text(void)
{
	struct cert_template t;
	struct rsakey key;
	struct dn dn;
	struct cert c;
	struct buf b;
	struct err e;
	uint8_t serial[] = { 0x01 }, *der = NULL, *raw;
	size_t len, rawlen;

	test_load_key("tests/data/key-pkcs1.pem", &key);
	dn_init(&dn);
	CHECK_EQ(dn_from_string(&dn, "CN=AIA Test", &e), 0);
	memset(&t, 0, sizeof t);
	ext_info_init(&t.ext);
	t.serial = serial;
	t.serial_len = sizeof serial;
	t.issuer = &dn;
	t.subject = &dn;
	t.not_before = 1790000000;
	t.not_after = 1790086400;
	t.subject_key = &key;
	service_locations(&t.ext);
	CHECK_EQ(cert_build(&t, &key, &der, &len, &e), 0);
	cert_init(&c);
	CHECK_EQ(cert_parse(&c, der, len, &e), 0);
	check_service_locations(&c.ext);
	buf_init(&b);
	text_cert(&b, &c);
	buf_putc(&b, '\0');
	CHECK(strstr((const char *)b.data,
	    "        Authority Information Access:\n"
	    "            OCSP - URI:" URL "/ocsp\n"
	    "            CA Issuers - URI:" URL "/ca.cer\n"
	    "        X509v3 CRL Distribution Points:\n"
	    "            Full Name:\n"
	    "              URI:" URL "/crl\n") != NULL);
	buf_clear(&b);
	cert_clear(&c);
	free(der);

	/* The other forms, shown in a certificate of their own. */
	ext_info_clear(&t.ext);
	raw = test_hex(OTHERS_HEX, &rawlen);
	{
		struct der d;

		der_init(&d, raw, rawlen, &e);
		CHECK_EQ(ext_parse(&d, &t.ext), 0);
	}
	free(raw);
	/* The writer keeps the caIssuers and the first point's names. */
	CHECK_EQ(cert_build(&t, &key, &der, &len, &e), 0);
	cert_init(&c);
	CHECK_EQ(cert_parse(&c, der, len, &e), 0);
	CHECK_EQ(c.ext.naia, 1);
	CHECK_EQ(c.ext.ncdp, 1);
	cert_clear(&c);
	free(der);
	ext_info_clear(&t.ext);
	dn_clear(&dn);
	rsakey_clear(&key);
}

int
main(void)
{
	test_encode();
	test_others();
	test_bounds();
	test_text();
	return test_done();
}
