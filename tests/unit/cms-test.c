/* cms-test.c — CMS SignedData: certs-only and signed round trips (attached,
 * detached, without certificates), the exact bytes of a certs-only message,
 * and exact errors for tampered, incomplete and malformed messages.
 * OpenSSL as the judge is in tests/peer/cms-openssl-test.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "asn1/pem.h"
#include "util/buf.h"
#include "x509/cms.h"
#include "x509/pkey.h"
#include "testcert.h"
#include "testlib.h"

static struct rsakey root_key, leaf_key;
static struct cert_list root, leaf, pss, chain, three;

static const uint8_t msg[] = "The quick brown fox jumps over the lazy dog\n";

/* Index of the first occurrence of pat in buf, or -1. */
static long
find(const uint8_t *buf, size_t len, const void *pat, size_t plen)
{
	size_t i;

	for (i = 0; i + plen <= len; i++)
		if (memcmp(buf + i, pat, plen) == 0)
			return (long)i;
	return -1;
}

static void
sign(const struct cert_list *ch, const struct rsakey *k, int detached,
    int no_certs, uint8_t **der, size_t *len)
{
	struct cms_sign_params p;
	struct err e;

	memset(&p, 0, sizeof p);
	p.key = k;
	p.chain = ch;
	p.content = msg;
	p.content_len = sizeof msg - 1;
	p.detached = detached;
	p.no_certs = no_certs;
	p.has_signing_time = 1;
	p.signing_time = 1796656458;	/* 2026-12-07 15:14:18 UTC */
	if (cms_write_signed(&p, der, len, &e) == -1) {
		test_fail(__FILE__, __LINE__, "cms_write_signed: %s", e.msg);
		exit(1);
	}
}

/* A header of a DER element of length n into out; returns its size. */
static size_t
hdr(uint8_t *out, unsigned tag, size_t n)
{
	out[0] = (uint8_t)tag;
	if (n < 0x80) {
		out[1] = (uint8_t)n;
		return 2;
	}
	if (n <= 0xff) {
		out[1] = 0x81;
		out[2] = (uint8_t)n;
		return 3;
	}
	out[1] = 0x82;
	out[2] = (uint8_t)(n >> 8);
	out[3] = (uint8_t)n;
	return 4;
}

/* The exact bytes of a certs-only message, built by hand from its parts
 * (the structure `openssl crl2pkcs7 -nocrl` writes). */
static void
test_certs_only_bytes(void)
{
	static const uint8_t oid_sd[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
	    0xf7, 0x0d, 0x01, 0x07, 0x02 };
	static const uint8_t ver_dig_encap[] = { 0x02, 0x01, 0x01, 0x31, 0x00,
	    0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
	    0x07, 0x01 };
	static const uint8_t empty_set[] = { 0x31, 0x00 };
	uint8_t want[8192], h[3][4], *der = NULL;
	size_t certs_len, sd_len, ctx_len, ci_len, hl[3], n = 0, len = 0;
	struct err e;

	certs_len = leaf.v[0].len;
	sd_len = sizeof ver_dig_encap + 4 + certs_len + sizeof empty_set;
	hl[2] = hdr(h[2], 0x30, sd_len);
	ctx_len = hl[2] + sd_len;
	hl[1] = hdr(h[1], 0xa0, ctx_len);
	ci_len = sizeof oid_sd + hl[1] + ctx_len;
	hl[0] = hdr(want, 0x30, ci_len);
	n = hl[0];
	memcpy(want + n, oid_sd, sizeof oid_sd);
	n += sizeof oid_sd;
	memcpy(want + n, h[1], hl[1]);
	n += hl[1];
	memcpy(want + n, h[2], hl[2]);
	n += hl[2];
	memcpy(want + n, ver_dig_encap, sizeof ver_dig_encap);
	n += sizeof ver_dig_encap;
	n += hdr(want + n, 0xa0, certs_len);
	memcpy(want + n, leaf.v[0].der, certs_len);
	n += certs_len;
	memcpy(want + n, empty_set, sizeof empty_set);
	n += sizeof empty_set;

	CHECK_EQ(cms_write_certs(&leaf, &der, &len, &e), 0);
	CHECK_EQ(len, n);
	if (len == n)
		CHECK_MEM(der, want, n);
	free(der);
	/* The same from the certificate's DER, unparsed (ca serve). */
	der = NULL;
	CHECK_EQ(cms_write_cert_der(leaf.v[0].der, leaf.v[0].len, &der, &len,
	    &e), 0);
	CHECK_EQ(len, n);
	if (len == n)
		CHECK_MEM(der, want, n);
	free(der);
	CHECK_ERR(cms_write_cert_der(NULL, 0, &der, &len, &e), &e,
	    "a certs-only message needs at least one certificate");
	CHECK(der == NULL && len == 0);
}

static void
test_certs_only(const struct cert_list *l)
{
	struct cms c;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0, i;

	cms_init(&c);
	CHECK_EQ(cms_write_certs(l, &der, &len, &e), 0);
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_EQ(c.version, 1);
	CHECK_EQ(c.nsigners, 0);
	CHECK_EQ(c.has_content, 0);
	CHECK_EQ(c.ncrls, 0);
	CHECK_EQ(c.content_type_len, 9);
	CHECK_EQ(c.content_type[8], 0x01);	/* id-data */
	CHECK_EQ(c.certs.n, l->n);
	for (i = 0; i < l->n && i < c.certs.n; i++) {
		CHECK_EQ(c.certs.v[i].len, l->v[i].len);
		CHECK_MEM(c.certs.v[i].der, l->v[i].der, l->v[i].len);
	}
	/* A verify of a message without signers names the signer it lacks. */
	CHECK_ERR(cms_verify(&c, 0, NULL, NULL, &e), &e,
	    "no signer 1 (the message has 0)");
	cms_clear(&c);
	free(der);
}

/* Writes the parts given into a SignedData, for malformed messages. */
struct craft {
	long version;
	const char *certs_hex;	/* contents of certificates [0]; NULL: absent */
	const struct cert_list *certs;	/* or these */
	size_t repeat;		/* certs written this many times */
	const uint8_t *signer;	/* contents of signerInfos */
	size_t signer_len;
	enum oid_id ctype;	/* eContentType; 0: id-data */
};

static void
encode_craft(struct derw *w, const void *arg)
{
	const struct craft *c = arg;
	uint8_t *raw;
	size_t n, i, k;

	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKCS7_SIGNED_DATA);
	derw_begin(w, DER_CTX_CONS(0));
	derw_begin(w, DER_SEQUENCE);
	derw_small(w, c->version);
	derw_begin(w, DER_SET);
	derw_end(w);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, c->ctype != 0 ? c->ctype : OID_PKCS7_DATA);
	derw_end(w);
	if (c->certs_hex != NULL) {
		raw = test_hex(c->certs_hex, &n);
		derw_tlv(w, DER_CTX_CONS(0), raw, n);
		free(raw);
	} else if (c->certs != NULL) {
		derw_begin(w, DER_CTX_CONS(0));
		for (k = 0; k < c->repeat; k++)
			for (i = 0; i < c->certs->n; i++)
				derw_raw(w, c->certs->v[i].der,
				    c->certs->v[i].len);
		derw_end(w);
	}
	derw_tlv(w, DER_SET, c->signer, c->signer_len);
	derw_end(w);
	derw_end(w);
	derw_end(w);
}

static uint8_t *
craft(const struct craft *c, size_t *len)
{
	struct err e;
	uint8_t *der = der_encode(encode_craft, c, len, &e);

	if (der == NULL) {
		fprintf(stderr, "craft: %s\n", e.msg);
		exit(1);
	}
	return der;
}

static void
test_craft_errors(void)
{
	struct craft cr;
	struct cms c;
	struct err e;
	uint8_t *der;
	size_t len;
	char want[128];

	cms_init(&c);
	/* Certs-only without certificates (absent, or an empty set) parses:
	 * the caller says there is none. */
	memset(&cr, 0, sizeof cr);
	cr.version = 1;
	der = craft(&cr, &len);
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_EQ(c.certs.n, 0);
	CHECK_EQ(c.nsigners, 0);
	free(der);
	cr.certs_hex = "";
	der = craft(&cr, &len);
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_EQ(c.certs.n, 0);
	free(der);

	/* An attribute certificate ([1] of CertificateChoices). */
	cr.certs_hex = "a1 00";
	der = craft(&cr, &len);
	CHECK_ERR(cms_parse(&c, der, len, &e), &e, "offset 0x25: certificate 1: "
	    "only X.509 certificates are supported (found 0xa1)");
	free(der);
	/* A certificate that does not parse is named, with both offsets. */
	cr.certs_hex = "30 03 02 01 00";
	der = craft(&cr, &len);
	CHECK_ERR(cms_parse(&c, der, len, &e), &e, "offset 0x25: certificate 1: "
	    "offset 0x2: expected SEQUENCE (TBSCertificate), found 0x02");
	free(der);
	/* One certificate too many. The message is over 64 KiB, so its
	 * three outer headers and certificates [0] take 5 bytes each: the
	 * first certificate is at 0x31 (0x25 in the small messages). */
	cr.certs_hex = NULL;
	cr.certs = &leaf;
	cr.repeat = CMS_MAX_CERTS + 1;
	der = craft(&cr, &len);
	snprintf(want, sizeof want, "offset 0x%zx: more than %d certificates",
	    (size_t)0x31 + CMS_MAX_CERTS * leaf.v[0].len, CMS_MAX_CERTS);
	CHECK_ERR(cms_parse(&c, der, len, &e), &e, want);
	free(der);
	cr.repeat = CMS_MAX_CERTS;
	der = craft(&cr, &len);
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_EQ(c.certs.n, CMS_MAX_CERTS);
	free(der);

	/* Versions. */
	memset(&cr, 0, sizeof cr);
	cr.version = 2;
	der = craft(&cr, &len);
	CHECK_ERR(cms_parse(&c, der, len, &e), &e,
	    "offset 0x11: SignedData version 2 is not supported");
	free(der);
	cr.version = 3;
	der = craft(&cr, &len);
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_EQ(c.version, 3);
	free(der);

	/* SignerInfos: version 2, and an unsupported digest. */
	cr.version = 1;
	cr.signer = (const uint8_t *)"\x30\x03\x02\x01\x02";
	cr.signer_len = 5;
	der = craft(&cr, &len);
	CHECK_ERR(cms_parse(&c, der, len, &e), &e,
	    "offset 0x27: SignerInfo version 2 is not supported");
	free(der);
	/* version 3, sid [0] 01, digestAlgorithm sha1 */
	cr.signer = (const uint8_t *)"\x30\x0f\x02\x01\x03\x80\x01\x01"
	    "\x30\x07\x06\x05\x2b\x0e\x03\x02\x1a";
	cr.signer_len = 17;
	der = craft(&cr, &len);
	CHECK_ERR(cms_parse(&c, der, len, &e), &e,
	    "offset 0x2f: digest algorithm sha1 is not supported");
	free(der);
	cms_clear(&c);
}

/* A SignerInfo (version 3, sid [0] 01, sha256) whose signedAttrs
 * contents are attrs_hex (NULL: none), cut short after them: the errors
 * below come before the signatureAlgorithm. */
static void
signed_attrs_error(const char *attrs_hex, enum oid_id ctype,
    const char *want)
{
	static const uint8_t head[] = { 0x02, 0x01, 0x03, 0x80, 0x01, 0x01,
	    0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
	    0x02, 0x01 };
	uint8_t si[128], *attrs = NULL, *der;
	size_t n = 0, alen = 0, len;
	struct craft cr;
	struct cms c;
	struct err e;

	if (attrs_hex != NULL)
		attrs = test_hex(attrs_hex, &alen);
	si[n++] = 0x30;
	si[n++] = (uint8_t)(sizeof head + (attrs != NULL ? 2 + alen : 0));
	memcpy(si + n, head, sizeof head);
	n += sizeof head;
	if (attrs != NULL) {
		si[n++] = 0xa0;
		si[n++] = (uint8_t)alen;
		memcpy(si + n, attrs, alen);
		n += alen;
	}
	memset(&cr, 0, sizeof cr);
	cr.version = 3;
	cr.signer = si;
	cr.signer_len = n;
	cr.ctype = ctype;
	der = craft(&cr, &len);
	cms_init(&c);
	CHECK(len < 128);	/* the offsets below assume short lengths */
	CHECK_ERR(cms_parse(&c, der, len, &e), &e, want);
	cms_clear(&c);
	free(der);
	free(attrs);
}

#define CT_OID "06 09 2a 86 48 86 f7 0d 01 09 03 "
#define MD_OID "06 09 2a 86 48 86 f7 0d 01 09 04 "
#define DATA_OID "06 09 2a 86 48 86 f7 0d 01 07 01 "

/* signedAttrs start at 0x3a, their contents at 0x3c. */
static void
test_attr_errors(void)
{
	signed_attrs_error("", 0,
	    "offset 0x3c: signedAttrs without contentType");
	signed_attrs_error("30 18 " CT_OID "31 0b " DATA_OID, 0,
	    "offset 0x3c: signedAttrs without messageDigest");
	signed_attrs_error("30 18 " CT_OID "31 0b " DATA_OID
	    "30 18 " CT_OID "31 0b " DATA_OID, 0,
	    "offset 0x58: duplicate contentType attribute");
	signed_attrs_error("30 23 " CT_OID "31 16 " DATA_OID DATA_OID, 0,
	    "offset 0x56: contentType attribute with more than one value");
	signed_attrs_error("30 0d " CT_OID "31 00", 0,
	    "offset 0x3e: contentType attribute without a value");
	signed_attrs_error("30 0f " MD_OID "31 02 05 00", 0,
	    "offset 0x4b: expected OCTET STRING (messageDigest), found 0x05");
	signed_attrs_error(NULL, OID_PKCS7_SIGNED_DATA, "offset 0x3a: "
	    "signedAttrs missing (required when eContentType is not "
	    "pkcs7-data)");
}

/* A ContentInfo of type id-data, and BER with an indefinite length. */
static void
test_top_errors(void)
{
	static const char *data_ci = "30 14 06 09 2a 86 48 86 f7 0d 01 07 01 "
	    "a0 07 04 05 68 65 6c 6c 6f";
	static const char *ber = "30 80 06 09 2a 86 48 86 f7 0d 01 07 02 "
	    "a0 80 30 80 02 01 01 00 00 00 00 00 00";
	struct cms c;
	struct err e;
	uint8_t *der;
	size_t len;

	cms_init(&c);
	der = test_hex(data_ci, &len);
	CHECK_ERR(cms_parse(&c, der, len, &e), &e, "offset 0x2: content type "
	    "pkcs7-data is not supported (only pkcs7-signedData)");
	free(der);
	der = test_hex(ber, &len);
	CHECK_ERR(cms_parse(&c, der, len, &e), &e,
	    "offset 0x0: indefinite length");
	free(der);
	CHECK_ERR(cms_parse(&c, (const uint8_t *)"", 0, &e), &e,
	    "offset 0x0: expected SEQUENCE (ContentInfo), found end of input");
	cms_clear(&c);
}

/* The number of ok steps and of failed ones. */
static void
count_steps(const struct verify_result *r, size_t *ok, size_t *bad)
{
	size_t i;

	*ok = *bad = 0;
	for (i = 0; i < r->n; i++)
		(*(r->steps[i].ok ? ok : bad))++;
}

static void
test_signed_attached(void)
{
	struct cms_verify_params p;
	struct verify_result vr;
	struct cms c;
	struct err e;
	const struct cert *who = NULL;
	uint8_t *der = NULL, *bad;
	size_t len = 0, ok, nbad, i;
	long at;

	cms_init(&c);
	verify_result_init(&vr);
	sign(&chain, &leaf_key, 0, 0, &der, &len);
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_EQ(c.version, 1);
	CHECK_EQ(c.has_content, 1);
	CHECK_EQ(c.content_len, sizeof msg - 1);
	CHECK_MEM(c.content, msg, sizeof msg - 1);
	CHECK_EQ(c.certs.n, 2);
	CHECK_EQ(c.nsigners, 1);
	CHECK_EQ(c.signers[0].version, 1);
	CHECK_EQ(c.signers[0].digest, HASH_SHA256);
	CHECK_EQ(c.signers[0].sigalg.oid, OID_RSA_ENCRYPTION);
	CHECK_EQ(c.signers[0].has_attrs, 1);
	CHECK_EQ(c.signers[0].has_signing_time, 1);
	CHECK_EQ(c.signers[0].signing_time, 1796656458);
	CHECK_EQ(c.signers[0].message_digest_len, 32);
	/* DER order of the attributes: contentType (30 18), signingTime
	 * (30 1c), messageDigest (30 2f), as OpenSSL writes them. */
	CHECK(find(c.signers[0].attrs, c.signers[0].attrs_len,
	    "\x30\x18\x06\x09", 4) < find(c.signers[0].attrs,
	    c.signers[0].attrs_len, "\x30\x1c\x06\x09", 4));
	CHECK(find(c.signers[0].attrs, c.signers[0].attrs_len,
	    "\x30\x1c\x06\x09", 4) < find(c.signers[0].attrs,
	    c.signers[0].attrs_len, "\x30\x2f\x06\x09", 4));
	memset(&p, 0, sizeof p);
	p.steps = &vr;
	CHECK_EQ(cms_verify(&c, 0, &p, &who, &e), 0);
	CHECK(who == &c.certs.v[0]);
	count_steps(&vr, &ok, &nbad);
	CHECK_EQ(ok, 4);
	CHECK_EQ(nbad, 0);
	CHECK_EQ(vr.code, VERIFY_OK);
	verify_result_clear(&vr);
	/* Content given besides the attached one. */
	p.content = msg;
	p.content_len = sizeof msg - 1;
	CHECK_ERR(cms_verify(&c, 0, &p, NULL, &e), &e,
	    "the content is attached; no detached content expected");
	CHECK_EQ(e.kind, ERR_USAGE);

	/* Tampered content: the digest no longer matches. */
	bad = malloc(len);
	memcpy(bad, der, len);
	at = find(bad, len, msg, sizeof msg - 1);
	CHECK(at > 0);
	bad[at + 4] ^= 0x20;
	CHECK_EQ(cms_parse(&c, bad, len, &e), 0);
	p.content = NULL;
	p.steps = &vr;
	CHECK_ERR(cms_verify(&c, 0, &p, NULL, &e), &e,
	    "signer 1: messageDigest attribute does not match the content");
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK_EQ(vr.code, VERIFY_BAD_SIGNATURE);
	CHECK_STR(vr.reason, "signer 1: message digest: messageDigest "
	    "attribute does not match the content");
	verify_result_clear(&vr);
	p.steps = NULL;
	/* A changed signed attribute (the signing time): the signature. */
	memcpy(bad, der, len);
	at = find(bad, len, "261207151418Z", 13);
	CHECK(at > 0);
	bad[at + 11] = '9';
	CHECK_EQ(cms_parse(&c, bad, len, &e), 0);
	CHECK_ERR(cms_verify(&c, 0, &p, NULL, &e), &e, "signer 1: signature "
	    "does not verify: RSA PKCS#1 v1.5 sha256 signature does not verify");
	/* A changed signature. */
	memcpy(bad, der, len);
	bad[len - 5] ^= 1;
	CHECK_EQ(cms_parse(&c, bad, len, &e), 0);
	CHECK_ERR(cms_verify(&c, 0, &p, NULL, &e), &e, "signer 1: signature "
	    "does not verify: RSA PKCS#1 v1.5 sha256 signature does not verify");
	/* A changed contentType attribute (id-data -> id-signedData). */
	memcpy(bad, der, len);
	at = find(bad, len, "\x30\x18\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x09"
	    "\x03\x31\x0b\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01", 26);
	CHECK(at > 0);
	bad[at + 25] = 0x02;
	CHECK_EQ(cms_parse(&c, bad, len, &e), 0);
	CHECK_ERR(cms_verify(&c, 0, &p, NULL, &e), &e,
	    "signer 1: contentType attribute differs from eContentType");
	/* Trailing garbage. */
	memcpy(bad, der, len);
	bad = realloc(bad, len + 1);
	bad[len] = 0;
	CHECK_ERR(cms_parse(&c, bad, len + 1, &e), &e, "1 bytes left over at "
	    "end of CMS message");
	{
		char want[64];

		snprintf(want, sizeof want, "offset 0x%zx: 1 bytes left over",
		    len);
		CHECK(strstr(e.msg, want) == e.msg);
	}
	/* Truncated at every length: an error each time, never a crash. */
	for (i = 0; i < len; i++) {
		memcpy(bad, der, i);
		if (cms_parse(&c, bad, i, &e) != -1 || e.msg[0] == '\0') {
			test_fail(__FILE__, __LINE__, "truncated at %zu parsed",
			    i);
			break;
		}
		test_checks++;
	}
	free(bad);
	cms_clear(&c);
	free(der);
}

static void
test_signed_detached(void)
{
	struct cms_verify_params p;
	struct cms c;
	struct err e;
	const struct cert *who = NULL;
	uint8_t *der = NULL, *att = NULL;
	size_t len = 0, attlen = 0;

	cms_init(&c);
	sign(&chain, &leaf_key, 1, 0, &der, &len);
	sign(&chain, &leaf_key, 0, 0, &att, &attlen);
	/* Detached is the attached message without the eContent [0]: 2 + 2
	 * bytes of headers and the content, and three outer headers less. */
	CHECK_EQ(len, attlen - (sizeof msg - 1) - 4);
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_EQ(c.has_content, 0);
	CHECK_EQ(c.nsigners, 1);
	memset(&p, 0, sizeof p);
	CHECK_ERR(cms_verify(&c, 0, &p, NULL, &e), &e,
	    "detached signature: the content is needed to verify it");
	p.content = msg;
	p.content_len = sizeof msg - 1;
	CHECK_EQ(cms_verify(&c, 0, &p, &who, &e), 0);
	CHECK(who == &c.certs.v[0]);
	/* Other content: the (authentic) messageDigest is not its digest. */
	p.content_len--;
	CHECK_ERR(cms_verify(&c, 0, &p, NULL, &e), &e,
	    "signer 1: messageDigest attribute does not match the content");
	CHECK_ERR(cms_verify(&c, 1, &p, NULL, &e), &e,
	    "no signer 2 (the message has 1)");
	cms_clear(&c);
	free(der);
	free(att);
}

/* RSASSA-PSS instead of PKCS#1 v1.5. */
static void
test_signed_pss(void)
{
	struct cms_sign_params p;
	struct cms c;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;

	cms_init(&c);
	memset(&p, 0, sizeof p);
	p.key = &leaf_key;
	p.chain = &leaf;
	p.content = msg;
	p.content_len = sizeof msg - 1;
	p.pss = 1;
	CHECK_EQ(cms_write_signed(&p, &der, &len, &e), 0);
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_EQ(c.signers[0].sigalg.oid, OID_RSASSA_PSS);
	CHECK_EQ(c.signers[0].sigalg.pss, 1);
	CHECK_EQ(c.signers[0].sigalg.hash, HASH_SHA256);
	CHECK_EQ(c.signers[0].sigalg.salt_len, 32);
	CHECK_EQ(c.signers[0].has_signing_time, 0);
	CHECK_EQ(cms_verify(&c, 0, NULL, NULL, &e), 0);
	der[len - 1] ^= 0x80;
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_ERR(cms_verify(&c, 0, NULL, NULL, &e), &e, "signer 1: signature "
	    "does not verify: RSA-PSS sha256 signature does not verify");
	cms_clear(&c);
	free(der);
}

/* Without certificates: the signer's must come from the caller. */
static void
test_signer_missing(void)
{
	struct cms_verify_params p;
	struct cms c;
	struct err e;
	const struct cert *who = NULL;
	uint8_t *der = NULL;
	size_t len = 0;

	cms_init(&c);
	sign(&chain, &leaf_key, 0, 1, &der, &len);
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_EQ(c.certs.n, 0);
	memset(&p, 0, sizeof p);
	CHECK_ERR(cms_verify(&c, 0, &p, NULL, &e), &e,
	    "signer 1: signer certificate not found (issuer 'C=DE, "
	    "O=Mini PKI Test, CN=Test Root CA', serial 01:23:45:67:89:AB:CD:EF)");
	CHECK_EQ(e.kind, ERR_REFUSED);
	/* The root has another serial; leaf-pss another serial too. */
	p.extra = &three;
	CHECK_EQ(cms_verify(&c, 0, &p, &who, &e), 0);
	CHECK(who == &three.v[0]);
	p.extra = &root;
	CHECK_ERR(cms_verify(&c, 0, &p, NULL, &e), &e,
	    "signer certificate not found");
	cms_clear(&c);
	free(der);
}

/* A SignerInfo without signedAttrs: the signature is over the content. */
struct noattr_arg {
	const uint8_t *sig;
	size_t sig_len;
	int version;
};

static void
encode_noattr(struct derw *w, const void *arg)
{
	const struct noattr_arg *a = arg;
	const struct cert *x = &leaf.v[0];

	derw_begin(w, DER_SEQUENCE);
	derw_small(w, a->version);
	if (a->version == 1) {
		derw_begin(w, DER_SEQUENCE);
		dn_encode(w, &x->issuer);
		derw_tlv(w, DER_INTEGER, x->serial, x->serial_len);
		derw_end(w);
	} else
		derw_tlv(w, DER_CTX(0), x->ext.ski, x->ext.ski_len);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_SHA256);
	derw_null(w);
	derw_end(w);
	sigalg_encode_sha256(w);
	derw_tlv(w, DER_OCTET_STRING, a->sig, a->sig_len);
	derw_end(w);
}

static void
test_no_attrs(void)
{
	struct cms_verify_params p;
	struct noattr_arg a;
	struct craft cr;
	struct cms c;
	struct err e;
	uint8_t sig[256], *si, *der;
	size_t silen, len;

	cms_init(&c);
	CHECK_EQ(sigalg_sign_sha256(&leaf_key, msg, sizeof msg - 1, sig, &e), 0);
	a.sig = sig;
	a.sig_len = sizeof sig;
	for (a.version = 1; a.version <= 3; a.version += 2) {
		si = der_encode(encode_noattr, &a, &silen, &e);
		CHECK(si != NULL);
		memset(&cr, 0, sizeof cr);
		cr.version = 1;
		cr.certs = &three;
		cr.repeat = 1;
		cr.signer = si;
		cr.signer_len = silen;
		der = craft(&cr, &len);
		CHECK_EQ(cms_parse(&c, der, len, &e), 0);
		CHECK_EQ(c.signers[0].version, a.version);
		CHECK_EQ(c.signers[0].has_attrs, 0);
		CHECK_EQ(c.signers[0].sigalg.oid, OID_SHA256_WITH_RSA);
		memset(&p, 0, sizeof p);
		p.content = msg;
		p.content_len = sizeof msg - 1;
		CHECK_EQ(cms_verify(&c, 0, &p, NULL, &e), 0);
		p.content_len--;
		CHECK_ERR(cms_verify(&c, 0, &p, NULL, &e), &e, "signer 1: "
		    "signature does not verify: RSA PKCS#1 v1.5 sha256 "
		    "signature does not verify");
		free(der);
		free(si);
	}
	cms_clear(&c);
}

static void
test_sign_errors(void)
{
	struct cms_sign_params p;
	struct cert_list none;
	struct rsakey pub;
	struct err e;
	uint8_t *der = (uint8_t *)"x";
	size_t len = 1;

	memset(&p, 0, sizeof p);
	cert_list_init(&none);
	p.key = &root_key;
	p.chain = &leaf;
	p.content = msg;
	p.content_len = sizeof msg - 1;
	CHECK_ERR(cms_write_signed(&p, &der, &len, &e), &e,
	    "the key does not match the signer's certificate");
	CHECK(der == NULL);
	CHECK_EQ(len, 0);
	p.key = &leaf_key;
	p.content_len = CMS_MAX_SIZE + 1;	/* checked before it is read */
	CHECK_ERR(cms_write_signed(&p, &der, &len, &e), &e,
	    "content larger than 16777216 bytes");
	p.content_len = sizeof msg - 1;
	p.key = &root_key;
	p.chain = &none;
	CHECK_ERR(cms_write_signed(&p, &der, &len, &e), &e,
	    "signing needs the signer's certificate");
	rsakey_init(&pub);
	p.key = &pub;
	CHECK_ERR(cms_write_signed(&p, &der, &len, &e), &e,
	    "signing needs a private key");
	CHECK_ERR(cms_write_certs(&none, &der, &len, &e), &e,
	    "a certs-only message needs at least one certificate");
	CHECK_EQ(e.kind, ERR_USAGE);
	rsakey_clear(&pub);
}

static void
test_load_pem(void)
{
	struct buf b;
	struct cms c;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;

	cms_init(&c);
	buf_init(&b);
	CHECK_EQ(cms_write_certs(&three, &der, &len, &e), 0);
	pem_encode("PKCS7", der, len, &b);
	CHECK_EQ(cms_load(&c, b.data, b.len, &e), 0);
	CHECK_EQ(c.certs.n, 3);
	CHECK_EQ(cms_load(&c, der, len, &e), 0);
	CHECK_EQ(c.certs.n, 3);
	buf_clear(&b);
	pem_encode("CERTIFICATE", leaf.v[0].der, leaf.v[0].len, &b);
	CHECK_ERR(cms_load(&c, b.data, b.len, &e), &e,
	    "no PKCS7 or CMS block found");
	buf_clear(&b);
	cms_clear(&c);
	free(der);
}

int
main(void)
{
	test_load_key("tests/data/key-pkcs1.pem", &root_key);
	test_load_key("tests/data/key-pkcs8.pem", &leaf_key);
	cert_list_init(&root);
	cert_list_init(&leaf);
	cert_list_init(&pss);
	cert_list_init(&chain);
	cert_list_init(&three);
	test_load_certs("tests/data/root.pem", &root);
	test_load_certs("tests/data/leaf.pem", &leaf);
	test_load_certs("tests/data/leaf-pss.pem", &pss);
	test_load_certs("tests/data/leaf.pem", &chain);
	test_load_certs("tests/data/root.pem", &chain);
	test_load_certs("tests/data/leaf.pem", &three);
	test_load_certs("tests/data/leaf-pss.pem", &three);
	test_load_certs("tests/data/root.pem", &three);

	test_certs_only_bytes();
	test_certs_only(&leaf);
	test_certs_only(&three);
	test_craft_errors();
	test_top_errors();
	test_attr_errors();
	test_signed_attached();
	test_signed_detached();
	test_signed_pss();
	test_signer_missing();
	test_no_attrs();
	test_sign_errors();
	test_load_pem();

	cert_list_clear(&root);
	cert_list_clear(&leaf);
	cert_list_clear(&pss);
	cert_list_clear(&chain);
	cert_list_clear(&three);
	rsakey_clear(&root_key);
	rsakey_clear(&leaf_key);
	return test_done();
}
