/* oid-test.c — the OID table checks itself (bytes decode to the dotted
 * form, lookups round trip) and malformed encodings are refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asn1/oid.h"
#include "testlib.h"

/* Encodes a dotted OID independently of the table (tests the table). */
static size_t
encode_dotted(const char *s, uint8_t *out)
{
	unsigned long long arcs[32], v;
	size_t n = 0, o = 0, i;
	char *end;
	uint8_t tmp[10];
	int k;

	while (*s != '\0' && n < 32) {
		arcs[n++] = strtoull(s, &end, 10);
		s = *end == '.' ? end + 1 : end;
	}
	for (i = 1; i < n; i++) {
		v = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
		k = 0;
		do {
			tmp[k++] = (uint8_t)(v & 0x7f);
			v >>= 7;
		} while (v != 0);
		while (k > 0) {
			k--;
			out[o++] = (uint8_t)(tmp[k] | (k > 0 ? 0x80 : 0));
		}
	}
	return o;
}

static void
test_table(void)
{
	const struct oid_entry *o, *p;
	char buf[128], lower[64];
	uint8_t der[64];
	size_t n, i;
	unsigned id, id2;

	CHECK_EQ(oid_get(OID_UNKNOWN)->id, OID_UNKNOWN);
	CHECK_EQ(oid_get(OID__COUNT)->id, OID_UNKNOWN);
	for (id = 1; id < OID__COUNT; id++) {
		o = oid_get(id);
		/* A designated initialiser left out shows up as a hole. */
		if (o == NULL || o->sn == NULL || o->der == NULL) {
			test_fail(__FILE__, __LINE__, "id %u missing", id);
			continue;
		}
		CHECK_EQ(o->id, id);
		CHECK_EQ(oid_to_dotted(o->der, o->len, buf, sizeof buf), 0);
		CHECK_STR(buf, o->dotted);
		n = encode_dotted(o->dotted, der);
		CHECK_EQ(n, o->len);
		CHECK_MEM(der, o->der, n);
		CHECK_EQ(oid_find(o->der, o->len), id);
		CHECK_EQ(oid_find_name(o->sn), id);
		CHECK_EQ(oid_find_name(o->dotted), id);
		for (i = 0; o->sn[i] != '\0' && i < sizeof lower - 1; i++)
			lower[i] = (char)(o->sn[i] >= 'A' && o->sn[i] <= 'Z' ?
			    o->sn[i] + 32 : o->sn[i]);
		lower[i] = '\0';
		CHECK_EQ(oid_find_name(lower), id);
		oid_to_text(o->der, o->len, buf, sizeof buf);
		CHECK_STR(buf, o->sn);
		/* Names and encodings are unique. */
		for (id2 = id + 1; id2 < OID__COUNT; id2++) {
			p = oid_get(id2);
			if (p->sn == NULL)
				continue;
			CHECK(strcasecmp(o->sn, p->sn) != 0);
			CHECK(strcmp(o->dotted, p->dotted) != 0);
		}
	}
}

static void
test_names(void)
{
	static const struct {
		const char *name;
		enum oid_id id;
	} v[] = {
		{ "CN", OID_CN }, { "cn", OID_CN }, { "O", OID_O },
		{ "OU", OID_OU }, { "C", OID_C }, { "ST", OID_ST },
		{ "L", OID_L }, { "emailAddress", OID_EMAIL },
		{ "serialNumber", OID_SERIAL_NUMBER }, { "SN", OID_SURNAME },
		{ "GN", OID_GIVEN_NAME }, { "DC", OID_DC }, { "UID", OID_UID },
		{ "street", OID_STREET }, { "title", OID_TITLE },
		{ "dnQualifier", OID_DN_QUALIFIER },
		{ "pseudonym", OID_PSEUDONYM },
		{ "rsaEncryption", OID_RSA_ENCRYPTION },
		{ "sha256WithRSAEncryption", OID_SHA256_WITH_RSA },
		{ "RSASSA-PSS", OID_RSASSA_PSS }, { "mgf1", OID_MGF1 },
		{ "SHA256", OID_SHA256 }, { "basicConstraints",
		    OID_BASIC_CONSTRAINTS }, { "keyUsage", OID_KEY_USAGE },
		{ "extendedKeyUsage", OID_EXT_KEY_USAGE },
		{ "subjectAltName", OID_SUBJECT_ALT_NAME },
		{ "subjectKeyIdentifier", OID_SUBJECT_KEY_ID },
		{ "authorityKeyIdentifier", OID_AUTHORITY_KEY_ID },
		{ "crlDistributionPoints", OID_CRL_DIST_POINTS },
		{ "certificatePolicies", OID_CERT_POLICIES },
		{ "cRLNumber", OID_CRL_NUMBER }, { "cRLReason", OID_CRL_REASON },
		{ "serverAuth", OID_KP_SERVER_AUTH },
		{ "clientAuth", OID_KP_CLIENT_AUTH },
		{ "codeSigning", OID_KP_CODE_SIGNING },
		{ "emailProtection", OID_KP_EMAIL_PROTECTION },
		{ "timeStamping", OID_KP_TIME_STAMPING },
		{ "OCSPSigning", OID_KP_OCSP_SIGNING },
		{ "anyExtendedKeyUsage", OID_ANY_EKU },
		{ "pbes2", OID_PBES2 }, { "pbkdf2", OID_PBKDF2 },
		{ "hmacWithSHA256", OID_HMAC_SHA256 },
		{ "aes-128-cbc", OID_AES128_CBC }, { "AES-256-CBC", OID_AES256_CBC },
		{ "extensionRequest", OID_EXTENSION_REQUEST },
		{ "challengePassword", OID_CHALLENGE_PASSWORD },
		{ "2.5.4.3", OID_CN }, { "1.2.840.113549.1.1.11",
		    OID_SHA256_WITH_RSA },
		{ "commonName", OID_UNKNOWN }, { "", OID_UNKNOWN },
		{ "2.5.4", OID_UNKNOWN }, { "2.5.4.3.", OID_UNKNOWN },
		{ "UNKNOWN", OID_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		CHECK_EQ(oid_find_name(v[i].name), v[i].id);
		if (oid_find_name(v[i].name) != v[i].id)
			test_fail(__FILE__, __LINE__, "name %s", v[i].name);
	}
	/* Known bytes straight from an OpenSSL certificate. */
	CHECK_EQ(oid_find((const uint8_t *)"\x55\x1d\x13", 3),
	    OID_BASIC_CONSTRAINTS);
	CHECK_EQ(oid_find((const uint8_t *)"\x55\x1d", 2), OID_UNKNOWN);
	CHECK_EQ(oid_find((const uint8_t *)"", 0), OID_UNKNOWN);
}

static void
test_dotted(void)
{
	static const struct {
		const char *hex;
		const char *dotted;	/* NULL: malformed */
	} v[] = {
		{ "00", "0.0" },
		{ "27", "0.39" },
		{ "28", "1.0" },
		{ "4f", "1.39" },
		{ "50", "2.0" },
		{ "8837", "2.999" },
		{ "2b0601040182370201", "1.3.6.1.4.1.311.2.1" },
		/* 2^64 - 1 as the last arc (ten bytes). */
		{ "2a 81 ff ff ff ff ff ff ff ff 7f", "1.2.18446744073709551615" },
		/* 2^64 overflows. */
		{ "2a 82 80 80 80 80 80 80 80 80 00", NULL },
		{ "", NULL },
		{ "80 01", NULL },		/* leading 0x80 in the first arc */
		{ "2a 80 01", NULL },		/* leading 0x80 later */
		{ "2a 86", NULL },		/* truncated arc */
		{ "86", NULL },
		{ "2a 00", "1.2.0" },
	};
	char buf[128], small[6];
	uint8_t *der;
	size_t n, i;
	int r;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		der = test_hex(v[i].hex, &n);
		r = oid_to_dotted(der, n, buf, sizeof buf);
		if (v[i].dotted == NULL) {
			CHECK_EQ(r, -1);
			CHECK_STR(buf, "<bad OID>");
		} else {
			CHECK_EQ(r, 0);
			CHECK_STR(buf, v[i].dotted);
			oid_to_text(der, n, buf, sizeof buf);
			CHECK_STR(buf, v[i].dotted);
		}
		free(der);
	}
	/* A short output buffer truncates but stays terminated. */
	CHECK_EQ(oid_to_dotted((const uint8_t *)"\x55\x04\x03", 3, small,
	    sizeof small), 0);
	CHECK_STR(small, "2.5.4");
	oid_to_text((const uint8_t *)"\x55\x04\x03", 3, small, 2);
	CHECK_STR(small, "C");
	oid_to_text((const uint8_t *)"\x80", 1, buf, sizeof buf);
	CHECK_STR(buf, "<bad OID>");
}

int
main(void)
{
	test_table();
	test_names();
	test_dotted();
	return test_done();
}
