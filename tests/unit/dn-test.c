/* dn-test.c — names: string types, text form, comparison, SAN lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "x509/dn.h"
#include "x509/ext.h"
#include "testlib.h"

static int
parse_hex(struct dn *dn, const char *hex, struct err *e)
{
	struct der d;
	uint8_t *p;
	size_t len;
	int r;

	p = test_hex(hex, &len);
	der_init(&d, p, len, e);
	r = dn_parse(&d, dn);
	if (r == 0)
		r = der_finish(&d, "test");
	free(p);
	return r;
}

/* Name with one attribute (CN, 2.5.4.3) of string tag and hex contents. */
static int
parse_cn(struct dn *dn, const char *tag_len_val, struct err *e)
{
	char hex[512];
	size_t vlen = strlen(tag_len_val) / 2;

	/* SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, value } } } */
	snprintf(hex, sizeof hex, "30%02zx31%02zx30%02zx0603550403%s",
	    vlen + 9, vlen + 7, vlen + 5, tag_len_val);
	return parse_hex(dn, hex, e);
}

static void
test_string_types(void)
{
	struct dn dn;
	struct err e;

	dn_init(&dn);
	/* UTF8String "é" */
	CHECK_EQ(parse_cn(&dn, "0c02c3a9", &e), 0);
	CHECK_STR(dn.v[0].value, "\xc3\xa9");
	CHECK_EQ(dn.v[0].strtag, DER_UTF8STRING);
	CHECK_EQ(dn.v[0].type, OID_CN);
	CHECK_STR(dn.v[0].oid, "2.5.4.3");
	/* PrintableString, IA5String */
	CHECK_EQ(parse_cn(&dn, "1303616263", &e), 0);
	CHECK_STR(dn.v[0].value, "abc");
	CHECK_EQ(parse_cn(&dn, "1603612e62", &e), 0);
	CHECK_STR(dn.v[0].value, "a.b");
	/* T61String as Latin-1: 0xe9 -> U+00E9 */
	CHECK_EQ(parse_cn(&dn, "140241e9", &e), 0);
	CHECK_STR(dn.v[0].value, "A\xc3\xa9");
	/* BMPString "Aé€" and a surrogate pair U+1F600 */
	CHECK_EQ(parse_cn(&dn, "1e06004100e920ac", &e), 0);
	CHECK_STR(dn.v[0].value, "A\xc3\xa9\xe2\x82\xac");
	CHECK_EQ(parse_cn(&dn, "1e04d83dde00", &e), 0);
	CHECK_STR(dn.v[0].value, "\xf0\x9f\x98\x80");
	/* UniversalString "Z" U+1F600 */
	CHECK_EQ(parse_cn(&dn, "1c080000005a0001f600", &e), 0);
	CHECK_STR(dn.v[0].value, "Z\xf0\x9f\x98\x80");

	/* Refused: overlong UTF-8, embedded NUL, lone surrogate, odd BMP. */
	CHECK_ERR(parse_cn(&dn, "0c02c0af", &e), &e,
	    "attribute value: invalid UTF-8 or NUL in UTF8String");
	CHECK_ERR(parse_cn(&dn, "0c03610062", &e), &e,
	    "invalid UTF-8 or NUL in UTF8String");
	CHECK_ERR(parse_cn(&dn, "0c03eda080", &e), &e, "invalid UTF-8");
	CHECK_ERR(parse_cn(&dn, "1303610062", &e), &e,
	    "invalid character in ASCII string");
	CHECK_ERR(parse_cn(&dn, "1e03004100", &e), &e, "BMPString of odd length");
	CHECK_ERR(parse_cn(&dn, "1e02dc00", &e), &e, "invalid surrogate in BMPString");
	CHECK_ERR(parse_cn(&dn, "1c0400110000", &e), &e,
	    "invalid character in UniversalString");
	CHECK_ERR(parse_cn(&dn, "0401ff", &e), &e, "unsupported string type");
	CHECK_EQ(dn.n, 0);
	/* An empty RDN SET. */
	CHECK_ERR(parse_hex(&dn, "30023100", &e), &e,
	    "empty RelativeDistinguishedName");
	dn_clear(&dn);
}

static void
test_from_string(void)
{
	struct dn dn, dn2;
	struct err e;
	char *s;

	dn_init(&dn);
	dn_init(&dn2);
	CHECK_EQ(dn_from_string(&dn, "CN=Alice Example, O=Example Org,C=DE", &e), 0);
	CHECK_EQ(dn.n, 3);
	CHECK_EQ(dn.v[0].strtag, DER_UTF8STRING);
	CHECK_EQ(dn.v[2].strtag, DER_PRINTABLESTRING);
	s = dn_to_string(&dn);
	CHECK_STR(s, "CN=Alice Example, O=Example Org, C=DE");
	free(s);
	/* How verification steps name a certificate (and an empty name). */
	s = dn_quoted(&dn);
	CHECK_STR(s, "'CN=Alice Example, O=Example Org, C=DE'");
	free(s);
	s = dn_quoted(&dn2);
	CHECK_STR(s, "(empty name)");
	free(s);
	/* The DER OpenSSL would write for -subj "/CN=Alice Example/O=Example Org/C=DE"
	 * with -utf8 (UTF8String, C as PrintableString). */
	{
		size_t len;
		uint8_t *want = test_hex(
		    "303b3116301406035504030c0d416c696365204578616d706c65"
		    "3114301206035504 0a0c0b4578616d706c65204f7267"
		    "310b3009060355040613024445", &len);
		CHECK_EQ(dn.derlen, len);
		if (dn.derlen == len)
			CHECK_MEM(dn.der, want, len);
		free(want);
	}

	CHECK_EQ(dn_from_string(&dn2, "/CN=alice   example/O=EXAMPLE ORG/C=de", &e), 0);
	CHECK(dn_equal(&dn, &dn2));
	CHECK_EQ(dn_from_string(&dn2, "/CN=alice example/O=Example/C=DE", &e), 0);
	CHECK(!dn_equal(&dn, &dn2));
	CHECK_EQ(dn_from_string(&dn2, "/O=Example Org/CN=Alice Example/C=DE", &e), 0);
	CHECK(!dn_equal(&dn, &dn2));	/* order matters */

	/* Escapes, multi-valued RDN, email and DC types. */
	CHECK_EQ(dn_from_string(&dn, "CN=a\\,b\\=c+UID=x1, emailAddress=a@b.example, DC=example", &e), 0);
	CHECK_EQ(dn.n, 4);
	CHECK_EQ(dn.v[0].rdn, dn.v[1].rdn);
	CHECK_STR(dn.v[0].value, "a,b=c");
	CHECK_EQ(dn.v[2].strtag, DER_IA5STRING);
	CHECK_EQ(dn.v[3].strtag, DER_IA5STRING);
	s = dn_to_string(&dn);
	CHECK_STR(s, "CN=a\\,b\\=c + UID=x1, emailAddress=a@b.example, DC=example");
	free(s);
	CHECK_EQ(dn_from_string(&dn2, "UID=x1+CN=A\\,B\\=C, E=a@b.example, dc=EXAMPLE", &e), 0);
	CHECK(dn_equal(&dn, &dn2));	/* multiset within an RDN */
	CHECK_STR(dn_get(&dn, OID_EMAIL), "a@b.example");
	CHECK(dn_get(&dn, OID_O) == NULL);

	/* Round trip through DER. */
	{
		struct der d;
		struct dn back;

		dn_init(&back);
		der_init(&d, dn.der, dn.derlen, &e);
		CHECK_EQ(dn_parse(&d, &back), 0);
		CHECK(dn_equal(&back, &dn));
		CHECK_EQ(back.v[1].rdn, 0);
		CHECK_EQ(back.v[2].rdn, 1);
		dn_clear(&dn2);
		dn_copy(&dn2, &back);
		CHECK(dn_equal(&dn2, &dn));
		dn_clear(&back);
	}

	/* X.690 11.6: a multi-valued RDN is a SET OF, written in ascending
	 * order of the members' encodings, whatever order they were typed. */
	{
		size_t len;
		uint8_t *want = test_hex("301e311c"
		    "300806035504030c0161"
		    "3010060a0992268993f22c6401010c027831", &len);

		CHECK_EQ(dn_from_string(&dn2, "UID=x1+CN=a", &e), 0);
		CHECK_EQ(dn2.derlen, len);
		if (dn2.derlen == len)
			CHECK_MEM(dn2.der, want, len);
		s = dn_to_string(&dn2);
		CHECK_STR(s, "CN=a + UID=x1");
		free(s);
		free(want);
	}

	/* A '+' not followed by "KEY=" stays in the value. */
	CHECK_EQ(dn_from_string(&dn, "/CN=C++ team+UID=7/O=a+b", &e), 0);
	CHECK_EQ(dn.n, 3);
	CHECK_STR(dn.v[0].value, "C++ team");
	CHECK_EQ(dn.v[1].rdn, 0);
	CHECK_STR(dn.v[2].value, "a+b");
	s = dn_to_string(&dn);
	CHECK_STR(s, "CN=C\\+\\+ team + UID=7, O=a\\+b");
	free(s);

	CHECK_EQ(dn_from_string(&dn, "", &e), 0);
	CHECK(dn_empty(&dn));
	CHECK_EQ(dn.derlen, 2);

	/* Errors name the attribute. */
	CHECK_ERR(dn_from_string(&dn, "CN=x,XX=y", &e), &e,
	    "unknown attribute 'XX' (known: CN, O, OU, C, ST, L, emailAddress");
	CHECK_EQ(e.kind, ERR_USAGE);
	CHECK_ERR(dn_from_string(&dn, "CN=x,C=DEU", &e), &e,
	    "attribute 2: C must be two letters, not 'DEU'");
	CHECK_ERR(dn_from_string(&dn, "emailAddress=nobody", &e), &e,
	    "attribute 1: emailAddress must contain '@': 'nobody'");
	CHECK_ERR(dn_from_string(&dn, "CN=", &e), &e, "attribute 1 (CN): empty value");
	CHECK_ERR(dn_from_string(&dn, "CN=x,O", &e), &e, "attribute 2: missing '=' in 'O'");
	CHECK_ERR(dn_from_string(&dn, "=x", &e), &e, "attribute 1: missing name before '='");
	CHECK_ERR(dn_from_string(&dn, "CN=x\\", &e), &e, "attribute 1: '\\' at the end");
	CHECK_ERR(dn_from_string(&dn, "serialNumber=a_b", &e), &e,
	    "attribute 1 (serialNumber): character '_' not allowed in a PrintableString");
	CHECK_ERR(dn_from_string(&dn, "CN=\xc3(", &e), &e, "attribute 1 (CN): invalid UTF-8");
	CHECK(dn_empty(&dn));
	dn_clear(&dn);
	dn_clear(&dn2);
}

static void
test_equal_rules(void)
{
	struct dn a, b;
	struct err e;

	dn_init(&a);
	dn_init(&b);
	/* PrintableString vs UTF8String with different case and spaces. */
	CHECK_EQ(parse_cn(&a, "13082020416263202064", &e), 0);	/* "  Abc  d" */
	CHECK_EQ(parse_cn(&b, "0c056162632044", &e), 0);	/* "abc D" */
	CHECK(dn_equal(&a, &b));
	CHECK_EQ(parse_cn(&b, "0c06616263204420", &e), 0);	/* "abc D " */
	CHECK(dn_equal(&a, &b));
	CHECK_EQ(parse_cn(&b, "0c0461626344", &e), 0);	/* "abcD" */
	CHECK(!dn_equal(&a, &b));
	CHECK_EQ(parse_cn(&b, "0c0761626320442078", &e), 0);	/* "abc D x" */
	CHECK(!dn_equal(&a, &b));
	dn_clear(&a);
	dn_clear(&b);
}

static void
test_san(void)
{
	struct san_list l;
	struct err e;

	san_list_init(&l);
	CHECK_EQ(san_parse_list(&l, "a.example, DNS:*.b.example,IP:10.1.2.3,"
	    "IP:::1,email:x@y.example,URI:https://z.example/p", &e), 0);
	CHECK_EQ(l.n, 6);
	CHECK_EQ(l.v[0].type, SAN_DNS);
	CHECK_STR(l.v[1].value, "*.b.example");
	CHECK_EQ(l.v[2].iplen, 4);
	CHECK_EQ(l.v[2].ip[3], 3);
	CHECK_EQ(l.v[3].iplen, 16);
	CHECK_STR(l.v[3].value, "::1");
	CHECK_EQ(l.v[4].type, SAN_EMAIL);
	CHECK_EQ(l.v[5].type, SAN_URI);
	CHECK_ERR(san_parse_list(&l, "a.example,IP:300.1.1.1", &e), &e,
	    "SAN item 2 'IP:300.1.1.1': not an IP address");
	CHECK_EQ(l.n, 6);	/* unchanged on error */
	CHECK_ERR(san_parse_list(&l, "bad_name.example", &e), &e,
	    "SAN item 1 'bad_name.example': not a DNS name");
	CHECK_ERR(san_parse_list(&l, "a..example", &e), &e, "not a DNS name");
	CHECK_ERR(san_parse_list(&l, "-a.example", &e), &e, "not a DNS name");
	CHECK_ERR(san_parse_list(&l, "a.*.example", &e), &e, "not a DNS name");
	CHECK_ERR(san_parse_list(&l, "email:nobody", &e), &e,
	    "SAN item 1 'email:nobody': not an email address");
	CHECK_ERR(san_parse_list(&l, "URI:nothing", &e), &e,
	    "SAN item 1 'URI:nothing': not a URI");
	CHECK_ERR(san_parse_list(&l, "a.example,,b.example", &e), &e,
	    "SAN item 2: empty");
	CHECK_ERR(san_parse_list(&l, "RID:1.2.3", &e), &e,
	    "SAN item 1 'RID:1.2.3': unknown type 'RID' (known: DNS, IP, email, URI)");
	CHECK_EQ(l.n, 6);
	san_list_clear(&l);
}

/* Names come from certificates of strangers (show, verify, TLS peers):
 * control characters never reach a terminal raw, they print as \HH. */
static void
test_text_controls(void)
{
	struct dn dn;
	struct err e;
	char *s;

	dn_init(&dn);
	/* UTF8String "a" ESC "]0;x" BEL "b" */
	CHECK_EQ(parse_cn(&dn, "0c0861" "1b5d303b78" "07" "62", &e), 0);
	CHECK_STR(dn.v[0].value, "a\x1b]0;x\x07" "b");
	s = dn_to_string(&dn);
	CHECK_STR(s, "CN=a\\1B]0;x\\07b");
	free(s);
	/* IA5String with DEL, and a C1 control (U+009B, CSI) in UTF-8 */
	CHECK_EQ(parse_cn(&dn, "16037f410a", &e), 0);
	s = dn_to_string(&dn);
	CHECK_STR(s, "CN=\\7FA\\0A");
	free(s);
	CHECK_EQ(parse_cn(&dn, "0c0341c29b", &e), 0);
	s = dn_to_string(&dn);
	CHECK_STR(s, "CN=A\\C2\\9B");
	free(s);
	/* Printable non-ASCII stays as it is. */
	CHECK_EQ(parse_cn(&dn, "0c02c3a9", &e), 0);
	s = dn_to_string(&dn);
	CHECK_STR(s, "CN=\xc3\xa9");
	free(s);
	dn_clear(&dn);
}

/* Names for certificates we issue: control characters are refused with
 * the attribute named; parsed names still carry them (test above). */
static void
test_check_controls(void)
{
	struct dn dn;
	struct err e;

	dn_init(&dn);
	CHECK_EQ(parse_cn(&dn, "0c0861" "1b5d303b78" "07" "62", &e), 0);
	CHECK_ERR(dn_check_controls(&dn, &e), &e,
	    "attribute 1 (CN): control character U+001B at byte 1 of the value");
	CHECK_EQ(e.kind, ERR_INPUT);
	CHECK_EQ(parse_cn(&dn, "16037f410a", &e), 0);
	CHECK_ERR(dn_check_controls(&dn, &e), &e,
	    "(CN): control character U+007F at byte 0");
	CHECK_EQ(parse_cn(&dn, "0c0341c29b", &e), 0);
	CHECK_ERR(dn_check_controls(&dn, &e), &e,
	    "(CN): control character U+009B at byte 1");
	/* BMPString U+0009 after "ok" */
	CHECK_EQ(parse_cn(&dn, "1e06006f006b0009", &e), 0);
	CHECK_ERR(dn_check_controls(&dn, &e), &e,
	    "(CN): control character U+0009 at byte 2");
	/* Printable non-ASCII, and U+00A0 (C2 A0, past C1), pass. */
	CHECK_EQ(parse_cn(&dn, "0c04c3a9c2a0", &e), 0);
	CHECK_EQ(dn_check_controls(&dn, &e), 0);
	dn_clear(&dn);
	/* The second attribute, an unknown type named by its OID:
	 * O=x, 2.5.4.99=a LF b */
	CHECK_EQ(parse_hex(&dn, "301a"
	    "310a3008060355040a0c0178"
	    "310c300a06035504630c03610a62", &e), 0);
	CHECK_ERR(dn_check_controls(&dn, &e), &e,
	    "attribute 2 (2.5.4.99): control character U+000A at byte 1");
	dn_clear(&dn);
	CHECK_EQ(dn_from_string(&dn, "CN=plain,O=Lab", &e), 0);
	CHECK_EQ(dn_check_controls(&dn, &e), 0);
	dn_clear(&dn);

	/* Typed names refuse them at once. */
	CHECK_ERR(dn_from_string(&dn, "O=Lab,CN=a\tb", &e), &e,
	    "attribute 2 (CN): control character U+0009 not allowed");
	CHECK_EQ(e.kind, ERR_USAGE);
	CHECK_ERR(dn_from_string(&dn, "CN=x\x1b[31m", &e), &e,
	    "attribute 1 (CN): control character U+001B not allowed");
	CHECK_ERR(dn_from_string(&dn, "CN=next\xc2\x85line", &e), &e,
	    "attribute 1 (CN): control character U+0085 not allowed");
	CHECK_ERR(dn_from_string(&dn, "CN=del\x7f", &e), &e,
	    "control character U+007F not allowed");
	dn_clear(&dn);
}

int
main(void)
{
	test_string_types();
	test_text_controls();
	test_check_controls();
	test_from_string();
	test_equal_rules();
	test_san();
	return test_done();
}
