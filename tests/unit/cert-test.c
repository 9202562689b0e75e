/* cert-test.c — certificates: OpenSSL-made fixtures parsed field by field,
 * build and parse back, broken inputs with their exact errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "asn1/pem.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/pkey.h"
#include "x509/text.h"
#include "testlib.h"

/* The first PEM block of a fixture as DER; aborts when missing. */
static uint8_t *
fixture_der(const char *name, size_t *len)
{
	char path[256];
	struct pem_list pl;
	uint8_t *data, *der;
	size_t n;
	struct err e;

	snprintf(path, sizeof path, "tests/data/%s", name);
	if ((data = test_read_file(path, &n)) == NULL) {
		fprintf(stderr, "cannot read %s (run from the repository root)\n", path);
		exit(1);
	}
	pem_list_init(&pl);
	if (pem_decode((const char *)data, n, &pl, &e) == -1) {
		fprintf(stderr, "%s: %s\n", path, e.msg);
		exit(1);
	}
	der = xmalloc(pl.v[0].len);
	memcpy(der, pl.v[0].der, pl.v[0].len);
	*len = pl.v[0].len;
	pem_list_clear(&pl);
	free(data);
	return der;
}

static void
load_key(const char *name, struct rsakey *k)
{
	struct err e;
	uint8_t *der;
	size_t len;

	der = fixture_der(name, &len);
	rsakey_init(k);
	if (pkey_decode(k, der, len, NULL, 0, &e) == -1) {
		fprintf(stderr, "%s: %s\n", name, e.msg);
		exit(1);
	}
	free(der);
}

static void
test_leaf_fixture(void)
{
	static const uint8_t ski[] = { 0x3B, 0x00, 0xDD, 0xB9, 0x92, 0xB4, 0x42,
	    0x90, 0x53, 0xE2, 0xB9, 0x87, 0x2D, 0x24, 0xD3, 0x05, 0xFF, 0xFF,
	    0xCC, 0xA8 };
	static const uint8_t aki[] = { 0x99, 0xF0, 0x58, 0xE5, 0x2F, 0x29, 0x06,
	    0x81, 0x13, 0xE1, 0xBC, 0x2B, 0x5A, 0x4D, 0xD6, 0xC8, 0x53, 0x7D,
	    0x1D, 0xCE };
	struct cert c, root;
	struct err e;
	uint8_t *der, *fp;
	size_t len, fplen;
	char *s, hex[128];

	cert_init(&c);
	cert_init(&root);
	der = fixture_der("leaf.pem", &len);
	CHECK_EQ(cert_parse(&c, der, len, &e), 0);
	free(der);
	CHECK_EQ(c.version, 3);
	cert_serial_hex(c.serial, c.serial_len, hex, sizeof hex);
	CHECK_STR(hex, "01:23:45:67:89:AB:CD:EF");
	s = dn_to_string(&c.subject);
	CHECK_STR(s, "C=DE, O=Mini PKI Test, OU=Unit Tests, CN=leaf.example");
	free(s);
	s = dn_to_string(&c.issuer);
	CHECK_STR(s, "C=DE, O=Mini PKI Test, CN=Test Root CA");
	free(s);
	CHECK_STR(dn_get(&c.subject, OID_CN), "leaf.example");
	CHECK_EQ(c.not_before, 1795425148);
	CHECK_EQ(c.not_after, 2110785148);
	CHECK_EQ(c.sigalg.oid, OID_SHA256_WITH_RSA);
	CHECK_EQ(c.sigalg.hash, HASH_SHA256);
	CHECK_EQ(c.key_alg, OID_RSA_ENCRYPTION);
	CHECK_EQ(rsakey_bits(&c.key), 2048);
	CHECK_EQ(c.sig_len, 256);
	CHECK(c.ext.has_bc && c.ext.bc_critical && !c.ext.ca);
	CHECK_EQ(c.ext.pathlen, -1);
	CHECK(c.ext.has_ku && c.ext.ku_critical);
	CHECK_EQ(c.ext.ku, KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT);
	CHECK(c.ext.has_eku && !c.ext.eku_critical);
	CHECK_EQ(c.ext.neku, 2);
	CHECK_EQ(c.ext.eku[0], OID_KP_SERVER_AUTH);
	CHECK_EQ(c.ext.eku[1], OID_KP_CLIENT_AUTH);
	CHECK(c.ext.has_san && !c.ext.san_critical);
	CHECK_EQ(c.ext.san.n, 6);
	if (c.ext.san.n == 6) {
		CHECK_EQ(c.ext.san.v[0].type, SAN_DNS);
		CHECK_STR(c.ext.san.v[0].value, "leaf.example");
		CHECK_STR(c.ext.san.v[1].value, "*.leaf.example");
		CHECK_EQ(c.ext.san.v[2].type, SAN_IP);
		CHECK_STR(c.ext.san.v[2].value, "127.0.0.1");
		CHECK_EQ(c.ext.san.v[2].iplen, 4);
		CHECK_STR(c.ext.san.v[3].value, "2001:db8::1");
		CHECK_EQ(c.ext.san.v[3].iplen, 16);
		CHECK_EQ(c.ext.san.v[4].type, SAN_EMAIL);
		CHECK_STR(c.ext.san.v[4].value, "admin@leaf.example");
		CHECK_EQ(c.ext.san.v[5].type, SAN_URI);
		CHECK_STR(c.ext.san.v[5].value, "https://leaf.example/");
	}
	CHECK_EQ(c.ext.ski_len, 20);
	CHECK_MEM(c.ext.ski, ski, 20);
	CHECK_EQ(c.ext.aki_len, 20);
	CHECK_MEM(c.ext.aki, aki, 20);
	CHECK(c.ext.has_policies);
	CHECK(!c.ext.has_name_constraints);
	CHECK(!c.ext.unknown_critical);
	fp = test_hex("34:E4:A4:ED:34:AB:93:0A:5F:AD:11:EB:CC:92:BC:CA:F5:CB:9B:"
	    "D5:F1:A4:57:FF:00:DD:15:89:CD:09:0F:A9", &fplen);
	CHECK_MEM(c.fp_sha256, fp, 32);
	free(fp);

	der = fixture_der("root.pem", &len);
	CHECK_EQ(cert_parse(&root, der, len, &e), 0);
	free(der);
	CHECK(root.ext.has_bc && root.ext.ca);
	CHECK_EQ(root.ext.pathlen, 1);
	CHECK_EQ(root.ext.ku, KU_KEY_CERT_SIGN | KU_CRL_SIGN);
	CHECK_MEM(root.ext.ski, aki, 20);
	CHECK(cert_self_signed(&root));
	CHECK(!cert_self_signed(&c));
	CHECK(cert_check_signature(&c, &root, &e));
	CHECK(!cert_check_signature(&root, &c, &e));
	CHECK(dn_equal(&c.issuer, &root.subject));

	/* The key identifier we compute matches OpenSSL's "hash" method. */
	{
		uint8_t id[20];

		pkey_key_id(&c.key, id);
		CHECK_MEM(id, ski, 20);
	}

	/* The same certificate as DER gives the same fingerprint. */
	{
		struct cert d;
		uint8_t *raw = test_read_file("tests/data/leaf.der", &len);

		cert_init(&d);
		CHECK(raw != NULL);
		CHECK_EQ(cert_parse(&d, raw, len, &e), 0);
		CHECK_MEM(d.fp_sha256, c.fp_sha256, 32);
		cert_clear(&d);
		free(raw);
	}
	cert_clear(&c);
	cert_clear(&root);
}

static void
test_pss_fixture(void)
{
	struct cert c, root;
	struct err e;
	uint8_t *der;
	size_t len;

	cert_init(&c);
	cert_init(&root);
	der = fixture_der("leaf-pss.pem", &len);
	CHECK_EQ(cert_parse(&c, der, len, &e), 0);
	free(der);
	der = fixture_der("root.pem", &len);
	CHECK_EQ(cert_parse(&root, der, len, &e), 0);
	free(der);
	CHECK_EQ(c.sigalg.oid, OID_RSASSA_PSS);
	CHECK(c.sigalg.pss);
	CHECK_EQ(c.sigalg.hash, HASH_SHA256);
	CHECK_EQ(c.sigalg.salt_len, 32);
	CHECK(cert_check_signature(&c, &root, &e));
	cert_clear(&c);
	cert_clear(&root);
}

static void
test_list(void)
{
	struct cert_list l;
	struct err e;
	uint8_t *data;
	size_t len;

	cert_list_init(&l);
	CHECK_EQ(cert_list_load_file(&l, "tests/data/leaf.pem", &e), 0);
	CHECK_EQ(cert_list_load_file(&l, "tests/data/leaf.der", &e), 0);
	CHECK_EQ(l.n, 2);
	CHECK_ERR(cert_list_load_file(&l, "tests/data/key-pkcs8.pem", &e), &e,
	    "tests/data/key-pkcs8.pem: no CERTIFICATE block found");
	CHECK_ERR(cert_list_load_file(&l, "tests/data/none.pem", &e), &e,
	    "none.pem");
	CHECK_EQ(e.kind, ERR_IO);
	/* A broken second certificate names its block and line. */
	data = test_read_file("tests/data/root.pem", &len);
	{
		struct buf b;
		buf_init(&b);
		buf_append(&b, data, len);
		buf_puts(&b, "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n");
		CHECK_ERR(cert_list_load(&l, b.data, b.len, &e), &e,
		    "certificate 2 (line ");
		buf_clear(&b);
	}
	CHECK_EQ(l.n, 2);
	free(data);
	cert_list_clear(&l);
}

/* Builds with our code, parses back and compares every field. */
static void
test_build(void)
{
	struct rsakey rootkey, leafkey;
	struct cert_template t;
	struct dn issuer, subject;
	struct cert root, leaf;
	struct err e;
	uint8_t *der, serial[] = { 0x00, 0x9a, 0xbc };
	size_t len;
	char *s, hex[64];

	load_key("key-pkcs1.pem", &rootkey);
	load_key("key-pkcs8.pem", &leafkey);
	dn_init(&issuer);
	dn_init(&subject);
	cert_init(&root);
	cert_init(&leaf);
	CHECK_EQ(dn_from_string(&issuer, "CN=Built Root,O=Example,C=DE", &e), 0);
	CHECK_EQ(dn_from_string(&subject, "/CN=www.example/O=Example", &e), 0);

	memset(&t, 0, sizeof t);
	t.serial = serial;
	t.serial_len = sizeof serial;
	t.issuer = &issuer;
	t.subject = &issuer;
	t.not_before = 1700000000;
	t.not_after = 2600000000;	/* after 2050: GeneralizedTime */
	t.subject_key = &rootkey;
	ext_info_init(&t.ext);
	t.ext.has_bc = 1;
	t.ext.ca = 1;
	t.ext.pathlen = 0;
	t.ext.has_ku = 1;
	t.ext.ku = KU_KEY_CERT_SIGN | KU_CRL_SIGN;
	CHECK_EQ(cert_build(&t, &rootkey, &der, &len, &e), 0);
	CHECK_EQ(cert_parse(&root, der, len, &e), 0);
	free(der);
	CHECK(cert_self_signed(&root));
	CHECK(root.ext.ca && root.ext.pathlen == 0 && root.ext.bc_critical);
	CHECK_EQ(root.ext.ku, KU_KEY_CERT_SIGN | KU_CRL_SIGN);
	CHECK_EQ(root.ext.ski_len, 20);
	CHECK_EQ(root.not_before, 1700000000);
	CHECK_EQ(root.not_after, 2600000000);
	cert_serial_hex(root.serial, root.serial_len, hex, sizeof hex);
	CHECK_STR(hex, "9A:BC");

	t.subject = &subject;
	t.subject_key = &leafkey;
	t.not_after = 1800000000;
	t.ext.ca = 0;
	t.ext.pathlen = -1;
	t.ext.ku = KU_DIGITAL_SIGNATURE;
	t.ext.has_eku = 1;
	t.ext.eku[0] = OID_KP_SERVER_AUTH;
	t.ext.neku = 1;
	t.ext.has_san = 1;
	CHECK_EQ(san_parse_list(&t.ext.san, "DNS:www.example, IP:192.0.2.7, "
	    "IP:2001:db8::2, email:a@www.example, URI:https://www.example/x", &e), 0);
	memcpy(t.ext.aki, root.ext.ski, 20);
	t.ext.aki_len = 20;
	CHECK_EQ(cert_build(&t, &rootkey, &der, &len, &e), 0);
	CHECK_EQ(cert_parse(&leaf, der, len, &e), 0);
	free(der);
	CHECK(cert_check_signature(&leaf, &root, &e));
	s = dn_to_string(&leaf.subject);
	CHECK_STR(s, "CN=www.example, O=Example");
	free(s);
	CHECK(dn_equal(&leaf.issuer, &root.subject));
	CHECK(leaf.ext.has_bc && !leaf.ext.ca);
	CHECK_EQ(leaf.ext.eku[0], OID_KP_SERVER_AUTH);
	CHECK_EQ(leaf.ext.san.n, 5);
	if (leaf.ext.san.n == 5) {
		CHECK_STR(leaf.ext.san.v[1].value, "192.0.2.7");
		CHECK_STR(leaf.ext.san.v[2].value, "2001:db8::2");
		CHECK_STR(leaf.ext.san.v[4].value, "https://www.example/x");
	}
	CHECK_MEM(leaf.ext.aki, root.ext.ski, 20);

	/* Text rendering: fields, never private numbers. */
	{
		struct buf b;

		buf_init(&b);
		text_cert(&b, &leaf);
		CHECK(strstr((char *)b.data, "Serial Number: 9A:BC") != NULL);
		CHECK(strstr((char *)b.data, "Not After : 2027-01-15 08:00:00 UTC") != NULL);
		CHECK(strstr((char *)b.data, "Subject: CN=www.example, O=Example") != NULL);
		CHECK(strstr((char *)b.data, "X509v3 Basic Constraints: critical") != NULL);
		CHECK(strstr((char *)b.data, "IP Address:192.0.2.7") != NULL);
		CHECK(strstr((char *)b.data, "SHA-256 fingerprint: ") != NULL);
		buf_clear(&b);
	}

	/* Bad templates. */
	t.serial_len = 1;
	t.serial = (const uint8_t *)"\0";
	CHECK_ERR(cert_build(&t, &rootkey, &der, &len, &e), &e,
	    "serial number must be 1 to 20 bytes");
	/* RFC 5280 4.1.2.2: at most 20 octets as encoded, sign byte included. */
	{
		uint8_t big[20];

		memset(big, 0x7f, sizeof big);
		t.serial = big;
		t.serial_len = sizeof big;
		CHECK_EQ(cert_build(&t, &rootkey, &der, &len, &e), 0);
		free(der);
		big[0] = 0x80;
		CHECK_ERR(cert_build(&t, &rootkey, &der, &len, &e), &e,
		    "serial number must be 1 to 20 bytes");
	}
	t.serial = serial;
	t.serial_len = sizeof serial;
	t.not_after = t.not_before;
	CHECK_ERR(cert_build(&t, &rootkey, &der, &len, &e), &e,
	    "notAfter is not after notBefore");
	t.not_after = 1800000000;
	CHECK_ERR(cert_build(&t, &leaf.key, &der, &len, &e), &e,
	    "signing needs a private key");

	san_list_clear(&t.ext.san);
	dn_clear(&issuer);
	dn_clear(&subject);
	cert_clear(&root);
	cert_clear(&leaf);
	rsakey_clear(&rootkey);
	rsakey_clear(&leafkey);
}

/* Re-encodes a DER element header at p (len bytes of content follow). */
static size_t
put_hdr(uint8_t *p, unsigned tag, size_t len)
{
	p[0] = (uint8_t)tag;
	if (len < 0x80) {
		p[1] = (uint8_t)len;
		return 2;
	}
	if (len < 0x100) {
		p[1] = 0x81;
		p[2] = (uint8_t)len;
		return 3;
	}
	p[1] = 0x82;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	return 4;
}

struct raw_cert_arg {
	const uint8_t *tbs;
	size_t tbs_len;
	const uint8_t *alg;
	size_t alg_len;
};

static void
encode_raw_cert(struct derw *w, const void *arg)
{
	const struct raw_cert_arg *a = arg;
	static const uint8_t sig[4] = { 1, 2, 3, 4 };

	derw_begin(w, DER_SEQUENCE);
	derw_raw(w, a->tbs, a->tbs_len);
	derw_raw(w, a->alg, a->alg_len);
	derw_bits(w, sig, sizeof sig, 0);
	derw_end(w);
}

static void
encode_ext_only(struct derw *w, const void *arg)
{
	ext_encode(w, arg);
}

static void
test_broken(void)
{
	struct cert c;
	struct err e;
	uint8_t *der, *buf;
	size_t len;
	struct raw_cert_arg a;
	static const uint8_t sha1alg[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86,
	    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00 };

	cert_init(&c);
	der = fixture_der("leaf.pem", &len);
	CHECK_ERR(cert_parse(&c, der, len - 1, &e), &e, "offset 0x");
	CHECK_ERR(cert_parse(&c, der, 10, &e), &e, "offset 0x");
	buf = xmalloc(len + 2);
	memcpy(buf, der, len);
	buf[len] = 0;
	buf[len + 1] = 0;
	CHECK_ERR(cert_parse(&c, buf, len + 2, &e), &e,
	    "2 bytes left over at end of certificate");
	CHECK_EQ(e.kind, ERR_INPUT);
	CHECK_ERR(cert_parse(&c, buf, CERT_MAX_SIZE + 1, &e), &e,
	    "certificate larger than 65536 bytes");
	free(buf);

	/* Outer algorithm sha1WithRSA, inner sha256WithRSA. */
	{
		struct der d, top;
		struct der_tlv tbs;

		der_init(&d, der, len, &e);
		der_enter(&d, DER_SEQUENCE, "c", &top);
		der_get(&top, DER_SEQUENCE, "tbs", &tbs);
		a.tbs = der + tbs.off;
		a.tbs_len = tbs.hdrlen + tbs.len;
		a.alg = sha1alg;
		a.alg_len = sizeof sha1alg;
		buf = der_encode(encode_raw_cert, &a, &len, &e);
		CHECK(buf != NULL);
		CHECK_ERR(cert_parse(&c, buf, len, &e), &e,
		    "signatureAlgorithm differs from the TBSCertificate "
		    "signature field");
		free(buf);
	}
	free(der);

	/* A v1 certificate with extensions: rewrite our built leaf's
	 * version to 0 (v1) keeping the [3] extensions. */
	{
		struct rsakey k;
		struct cert_template t;
		struct dn n;
		uint8_t serial = 5, *tbs2;
		struct der d, top;
		struct der_tlv tbs;
		size_t o;

		load_key("key-pkcs1.pem", &k);
		dn_init(&n);
		dn_from_string(&n, "CN=x", &e);
		memset(&t, 0, sizeof t);
		t.serial = &serial;
		t.serial_len = 1;
		t.issuer = t.subject = &n;
		t.not_before = 0;
		t.not_after = 1000;
		t.subject_key = &k;
		ext_info_init(&t.ext);
		t.ext.has_bc = 1;
		CHECK_EQ(cert_build(&t, &k, &der, &len, &e), 0);
		der_init(&d, der, len, &e);
		der_enter(&d, DER_SEQUENCE, "c", &top);
		der_get(&top, DER_SEQUENCE, "tbs", &tbs);
		/* The version element is a0 03 02 01 02 right after the
		 * TBS header. */
		CHECK(tbs.val[0] == 0xa0 && tbs.val[4] == 2);
		tbs2 = xmalloc(tbs.hdrlen + tbs.len);
		memcpy(tbs2, der + tbs.off, tbs.hdrlen + tbs.len);
		tbs2[tbs.hdrlen + 4] = 0;
		a.tbs = tbs2;
		a.tbs_len = tbs.hdrlen + tbs.len;
		a.alg = tbs.val + 5 + 3;	/* after version and serial 02 01 05 */
		a.alg_len = 15;
		buf = der_encode(encode_raw_cert, &a, &len, &e);
		CHECK_ERR(cert_parse(&c, buf, len, &e), &e,
		    "extensions in a version 1 certificate");
		free(buf);
		/* Version 4 (value 3) is refused. */
		tbs2[tbs.hdrlen + 4] = 3;
		buf = der_encode(encode_raw_cert, &a, &len, &e);
		CHECK_ERR(cert_parse(&c, buf, len, &e), &e, "version");
		free(buf);

		/* A duplicate extension: basicConstraints twice. */
		{
			static const uint8_t bc[] = { 0x30, 0x0c, 0x06, 0x03, 0x55,
			    0x1d, 0x13, 0x01, 0x01, 0xff, 0x04, 0x02, 0x30, 0x00 };
			uint8_t *t3;
			size_t extoff, extlen, n3 = 0;
			struct der td, ext3;
			struct der_tlv x;

			tbs2[tbs.hdrlen + 4] = 2;
			der_init(&td, tbs2, tbs.hdrlen + tbs.len, &e);
			der_enter(&td, DER_SEQUENCE, "tbs", &top);
			while (der_peek(&top) != DER_CTX_CONS(3))
				der_next(&top, &x);
			extoff = top.pos;
			der_get(&top, DER_CTX_CONS(3), "ext", &x);
			der_sub(&top, &x, &ext3);
			der_get(&ext3, DER_SEQUENCE, "exts", &x);
			/* New TBS: everything before [3], then [3] { SEQ {
			 * old extensions + bc } } */
			extlen = x.len + sizeof bc;
			t3 = xmalloc(tbs.hdrlen + tbs.len + 64);
			o = extoff - tbs.hdrlen;	/* body bytes before [3] */
			n3 = 0;
			{
				uint8_t hdr1[8], hdr2[8], hdr0[8];
				size_t h2 = put_hdr(hdr2, 0x30, extlen);
				size_t h1 = put_hdr(hdr1, 0xa3, h2 + extlen);
				size_t h0 = put_hdr(hdr0, 0x30, o + h1 + h2 + extlen);

				memcpy(t3, hdr0, h0); n3 = h0;
				memcpy(t3 + n3, tbs2 + tbs.hdrlen, o); n3 += o;
				memcpy(t3 + n3, hdr1, h1); n3 += h1;
				memcpy(t3 + n3, hdr2, h2); n3 += h2;
				memcpy(t3 + n3, x.val, x.len); n3 += x.len;
				memcpy(t3 + n3, bc, sizeof bc); n3 += sizeof bc;
			}
			a.tbs = t3;
			a.tbs_len = n3;
			buf = der_encode(encode_raw_cert, &a, &len, &e);
			CHECK_ERR(cert_parse(&c, buf, len, &e), &e,
			    "duplicate extension basicConstraints");
			free(buf);
			free(t3);
		}
		free(tbs2);
		free(der);
		dn_clear(&n);
		rsakey_clear(&k);
	}
	cert_clear(&c);
}

static void
test_sigalg(void)
{
	/* RSASSA-PSS with SHA-256 but MGF1 over SHA-1: refused. */
	static const char *bad_mgf =
	    "303906092a864886f70d01010a302ca00d300b0609608648016503040201"
	    "a116301406092a864886f70d010108300706052b0e03021aa203020120";
	static const char *ok_pss =
	    "304106092a864886f70d01010a3034a00f300d06096086480165030402010500"
	    "a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120";
	static const char *md5 = "300d06092a864886f70d0101040500";
	struct sigalg sa;
	struct err e;
	struct der d;
	uint8_t *p;
	size_t len;

	p = test_hex(ok_pss, &len);
	der_init(&d, p, len, &e);
	CHECK_EQ(sigalg_parse(&d, &sa), 0);
	CHECK(sa.pss && sa.hash == HASH_SHA256 && sa.salt_len == 32);
	free(p);
	p = test_hex(bad_mgf, &len);
	der_init(&d, p, len, &e);
	CHECK_ERR(sigalg_parse(&d, &sa), &e,
	    "MGF1 hash: hash sha1 is not supported with RSASSA-PSS");
	free(p);
	p = test_hex(md5, &len);
	der_init(&d, p, len, &e);
	CHECK_ERR(sigalg_parse(&d, &sa), &e,
	    "unsupported signature algorithm 1.2.840.113549.1.1.4");
	free(p);
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

#define NC_CRIT "300c 0603551d1e 0101ff 04023000"
/* requireExplicitPolicy 0; anyPolicy (path validation reads them). */
#define PC_CRIT "300f 0603551d24 0101ff 0405 3003800100"
#define CP "3011 0603551d20 040a 3008 3006 0604551d2000"
/* A critical cRLDistributionPoints (fullName URI "h:x"): read, and
 * unknown_critical, since path validation does not process it. */
#define CRLDP_CRIT "3017 0603551d1f 0101ff 040d 300b3009a007a0058603683a78"
#define UNK_CRIT "300c 06032a0304 0101ff 04023000"
#define UNK "3009 06032a0304 04023000"

static void
test_ext(void)
{
	struct ext_info x, y;
	struct err e;
	uint8_t *der;
	size_t len;
	struct der d, seq;

	ext_info_init(&x);
	ext_info_init(&y);
	CHECK_EQ(parse_exts(NC_CRIT PC_CRIT CP UNK, &x, &e), 0);
	CHECK(x.has_name_constraints && x.has_policies && !x.unknown_critical);
	CHECK_EQ(parse_exts(NC_CRIT CRLDP_CRIT UNK_CRIT, &x, &e), 0);
	CHECK(x.unknown_critical);
	CHECK_STR(x.unknown_critical_oid, "2.5.29.31");
	CHECK_EQ(parse_exts(UNK UNK_CRIT, &x, &e), -1);
	CHECK_ERR(parse_exts(UNK_CRIT UNK, &x, &e), &e, "duplicate extension 1.2.3.4");
	CHECK_ERR(parse_exts("300e 0603551d13 0101ff 0404 3000 0500", &x, &e), &e,
	    "extension basicConstraints: offset 0xe: 2 bytes left over at end of basicConstraints");
	CHECK_ERR(parse_exts("300b 0603551d13 0101ff 0401 30", &x, &e), &e,
	    "extension basicConstraints: offset 0xc: length runs past end of OCTET STRING");
	/* keyUsage: unused bits must be zero; bit 8 (decipherOnly) needs a
	 * second byte. */
	CHECK_ERR(parse_exts("300e 0603551d0f 0101ff 0404 03020781", &x, &e), &e,
	    "extension keyUsage: offset 0xc: unused bits not zero");
	CHECK_EQ(parse_exts("300f 0603551d0f 0101ff 0405 0303070080", &x, &e), 0);
	CHECK_EQ(x.ku, KU_DECIPHER_ONLY);
	/* A SAN dNSName with a NUL inside is refused. */
	CHECK_ERR(parse_exts("3011 0603551d11 040a 3008 8206 61 00 2e 63 6f 6d", &x, &e), &e,
	    "dNSName: invalid character 0x00");
	CHECK_ERR(parse_exts("300f 0603551d11 0408 3006 8704 0a000001 00", &x, &e), &e,
	    "offset 0x");
	CHECK_ERR(parse_exts("300e 0603551d11 0407 3005 8703 0a0000", &x, &e), &e,
	    "iPAddress of 3 bytes (want 4 or 16)");
	CHECK_ERR(parse_exts("", &x, &e), &e, "empty Extensions");

	/* Encode every kind, parse back. */
	ext_info_clear(&x);
	x.has_bc = 1;
	x.ca = 1;
	x.pathlen = 3;
	x.has_ku = 1;
	x.ku = KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN | KU_DECIPHER_ONLY;
	x.has_eku = 1;
	x.eku[0] = OID_KP_CODE_SIGNING;
	x.eku[1] = OID_KP_OCSP_SIGNING;
	x.neku = 2;
	x.has_san = 1;
	x.san_critical = 1;
	CHECK_EQ(san_parse_list(&x.san, "a.example,IP:10.0.0.1,email:m@a.example", &e), 0);
	x.ski_len = 3;
	memcpy(x.ski, "\x01\x02\x03", 3);
	x.aki_len = 2;
	memcpy(x.aki, "\x09\x08", 2);
	CHECK_EQ(ext_count(&x), 6);
	der = der_encode(encode_ext_only, &x, &len, &e);
	CHECK(der != NULL);
	der_init(&d, der, len, &e);
	CHECK_EQ(der_enter(&d, DER_SEQUENCE, "Extensions", &seq), 0);
	CHECK_EQ(ext_parse(&seq, &y), 0);
	CHECK(y.has_bc && y.bc_critical && y.ca && y.pathlen == 3);
	CHECK(y.has_ku && y.ku_critical);
	CHECK_EQ(y.ku, x.ku);
	CHECK_EQ(y.neku, 2);
	CHECK_EQ(y.eku[1], OID_KP_OCSP_SIGNING);
	CHECK(y.san_critical);
	CHECK_EQ(y.san.n, 3);
	CHECK_EQ(y.ski_len, 3);
	CHECK_MEM(y.ski, "\x01\x02\x03", 3);
	CHECK_EQ(y.aki_len, 2);
	free(der);
	/* cA FALSE: no pathLen written even when set. */
	x.ca = 0;
	der = der_encode(encode_ext_only, &x, &len, &e);
	der_init(&d, der, len, &e);
	der_enter(&d, DER_SEQUENCE, "Extensions", &seq);
	ext_info_clear(&y);
	CHECK_EQ(ext_parse(&seq, &y), 0);
	CHECK(y.has_bc && !y.ca && y.pathlen == -1);
	free(der);
	ext_info_clear(&x);
	ext_info_clear(&y);
}

int
main(void)
{
	test_ext();
	test_leaf_fixture();
	test_pss_fixture();
	test_list();
	test_build();
	test_broken();
	test_sigalg();
	return test_done();
}
