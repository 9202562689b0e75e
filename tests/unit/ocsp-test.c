/* ocsp-test.c — OCSP: known-answer requests (what OpenSSL 3.0 writes for
 * tests/data's root and leaf), request and response round trips through
 * the responder, the checks of a response (signature, CertID, nonce,
 * freshness, delegated responders) and exact errors for broken input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "testcert.h"
#include "testlib.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "x509/crl.h"
#include "x509/ocsp.h"
#include "x509/pkey.h"

#define NOW 1800000000LL	/* 2027-01-15 08:00:00 UTC, inside every test certificate */
#define CA_DN "C=DE,O=Mini PKI Test,CN=Test Root CA"

/* `openssl ocsp -issuer tests/data/root.pem -cert tests/data/leaf.pem
 * -no_nonce -reqout r.der`, then with -sha256. */
static const char kat_sha1[] =
    "30493047304530433041300906052b0e03021a0500041426fba5e18c594f4f4091"
    "11ef19c689ab7caa1512041499f058e52f29068113e1bc2b5a4dd6c8537d1dce02"
    "080123456789abcdef";
static const char kat_sha256[] =
    "306530633061305f305d300d060960864801650304020105000420e96da9a67158"
    "f372ce705bae428a121e4587d8c1e9845cb83298a87ba3216cf5042011f064de99"
    "5685b4103b28f79e7a62ccc6dfa882353f67b4a55dc6c733310e2902080123456789"
    "abcdef";

static struct rsakey cakey, otherkey;
static struct cert_list ca, leaf, other, delegate, plain_ee, foreign_del;
static const uint8_t revoked_serial[] = { 0x42 };
static const uint8_t unknown_serial[] = { 0x00, 0x99 };

static void
load_cert(const char *path, struct cert_list *l)
{
	struct err e;

	cert_list_init(l);
	if (cert_list_load_file(l, path, &e) == -1 || l->n != 1) {
		fprintf(stderr, "%s: %s\n", path, e.msg);
		exit(1);
	}
}

static void
setup(void)
{
	test_load_key("tests/data/key-pkcs1.pem", &cakey);
	test_load_key("tests/data/key-pkcs8.pem", &otherkey);
	load_cert("tests/data/root.pem", &ca);
	load_cert("tests/data/leaf.pem", &leaf);
	cert_list_init(&other);
	cert_list_init(&delegate);
	cert_list_init(&plain_ee);
	cert_list_init(&foreign_del);
	test_make_cert(&other, "CN=Other CA", "CN=Other CA", &otherkey,
	    &otherkey, 1, OID_UNKNOWN, NULL, NOW - 86400, NOW + 86400 * 365);
	test_make_cert(&delegate, "CN=OCSP Responder", CA_DN, &otherkey,
	    &cakey, 0, OID_KP_OCSP_SIGNING, NULL, NOW - 86400, NOW + 86400);
	test_make_cert(&plain_ee, "CN=Not A Responder", CA_DN, &otherkey,
	    &cakey, 0, OID_KP_SERVER_AUTH, NULL, NOW - 86400, NOW + 86400);
	/* Claims the CA's name as issuer, but the other key signed it. */
	test_make_cert(&foreign_del, "CN=Forged Responder", CA_DN, &otherkey,
	    &otherkey, 0, OID_KP_OCSP_SIGNING, NULL, NOW - 86400, NOW + 86400);
}

/* The CA database of the tests: the leaf is good, 0x42 revoked
 * (keyCompromise), anything else unknown. ctx non-NULL: the lookup fails. */
static int
lookup(void *ctx, const uint8_t *serial, size_t len, struct ocsp_answer *a)
{
	if (ctx != NULL)
		return -1;
	if (len == leaf.v[0].serial_len && memcmp(serial, leaf.v[0].serial,
	    len) == 0)
		a->status = OCSP_GOOD;
	else if (len == 1 && serial[0] == 0x42) {
		a->status = OCSP_REVOKED;
		a->revoked_at = NOW - 3600;
		a->reason = CRL_REASON_KEY_COMPROMISE;
	} else
		a->status = OCSP_UNKNOWN;
	return 0;
}

static void
responder_init(struct ocsp_responder *r)
{
	memset(r, 0, sizeof *r);
	r->ca = &ca.v[0];
	r->by.rsa = &cakey;
	r->validity = 3600;
	r->lookup = lookup;
}

static void
check_init(struct ocsp_check_params *p, const struct ocsp_certid *id,
    const struct ocsp_nonce *n)
{
	memset(p, 0, sizeof *p);
	p->issuer = &ca.v[0];
	p->id = id;
	p->nonce = n;
	p->now = NOW;
	p->skew = 300;
}

static void
test_kat(void)
{
	struct ocsp_certid id1, id256;
	struct ocsp_req req;
	struct err e;
	uint8_t *kat, *der;
	size_t katlen, len;

	CHECK_EQ(ocsp_certid_make(&id1, &ca.v[0], leaf.v[0].serial,
	    leaf.v[0].serial_len, HASH_SHA1, &e), 0);
	CHECK_EQ(ocsp_certid_make(&id256, &ca.v[0], leaf.v[0].serial,
	    leaf.v[0].serial_len, HASH_SHA256, &e), 0);
	/* The SHA-1 key hash is the root's subjectKeyIdentifier. */
	CHECK_MEM(id1.key_hash, ca.v[0].ext.ski, 20);

	kat = test_hex(kat_sha1, &katlen);
	CHECK_EQ(ocsp_req_parse(&req, kat, katlen, &e), 0);
	CHECK_EQ(req.n, 1);
	CHECK_EQ(req.nonce.len, 0);
	CHECK_EQ(req.is_signed, 0);
	CHECK(ocsp_certid_equal(&req.ids[0], &id1));
	CHECK(ocsp_certid_issuer_is(&req.ids[0], &ca.v[0]));
	CHECK(!ocsp_certid_issuer_is(&req.ids[0], &other.v[0]));
	/* We write what OpenSSL writes, byte for byte. */
	CHECK_EQ(ocsp_req_build(&id1, 1, NULL, &der, &len, &e), 0);
	CHECK_EQ(len, katlen);
	CHECK_MEM(der, kat, katlen);
	free(der);
	/* A hash algorithm we do not know, at its offset. */
	kat[18] = 0x1b;
	CHECK_ERR(ocsp_req_parse(&req, kat, katlen, &e), &e,
	    "offset 0xc: unsupported CertID hash algorithm 1.3.14.3.2.27");
	CHECK_EQ(e.kind, ERR_INPUT);
	free(kat);

	kat = test_hex(kat_sha256, &katlen);
	CHECK_EQ(ocsp_req_parse(&req, kat, katlen, &e), 0);
	CHECK(ocsp_certid_equal(&req.ids[0], &id256));
	CHECK(!ocsp_certid_equal(&req.ids[0], &id1));
	CHECK(ocsp_certid_issuer_is(&req.ids[0], &ca.v[0]));
	CHECK_EQ(ocsp_req_build(&id256, 1, NULL, &der, &len, &e), 0);
	CHECK_EQ(len, katlen);
	CHECK_MEM(der, kat, katlen);
	free(der);
	free(kat);
}

/* A request written by hand, for shapes our writer never makes. */
struct creq {
	int version;			/* -1: omitted */
	int requestor;
	const struct ocsp_certid *ids;
	size_t n;
	const uint8_t *nonce_ext;	/* extnValue contents, or NULL */
	size_t nonce_ext_len;
	int crit_unknown;		/* a critical extension 1.2.3.4 */
	int noncrit_unknown;
	int signature;
	int empty_exts;
};

static void
encode_creq(struct derw *w, const void *arg)
{
	const struct creq *c = arg;
	static const uint8_t oid1234[] = { 0x2a, 0x03, 0x04 };
	static const uint8_t sigbits[] = { 1, 2, 3 };
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	if (c->version >= 0) {
		derw_begin(w, DER_CTX_CONS(0));
		derw_small(w, c->version);
		derw_end(w);
	}
	if (c->requestor) {
		derw_begin(w, DER_CTX_CONS(1));
		derw_begin(w, DER_CTX_CONS(4));
		dn_encode(w, &ca.v[0].subject);
		derw_end(w);
		derw_end(w);
	}
	derw_begin(w, DER_SEQUENCE);
	for (i = 0; i < c->n; i++) {
		derw_begin(w, DER_SEQUENCE);
		ocsp_certid_encode(w, &c->ids[i]);
		derw_end(w);
	}
	derw_end(w);
	if (c->nonce_ext != NULL || c->crit_unknown || c->noncrit_unknown ||
	    c->empty_exts) {
		derw_begin(w, DER_CTX_CONS(2));
		derw_begin(w, DER_SEQUENCE);
		if (c->noncrit_unknown || c->crit_unknown) {
			derw_begin(w, DER_SEQUENCE);
			derw_tlv(w, DER_OID, oid1234, sizeof oid1234);
			if (c->crit_unknown)
				derw_bool(w, 1);
			derw_tlv(w, DER_OCTET_STRING, "", 0);
			derw_end(w);
		}
		if (c->nonce_ext != NULL) {
			derw_begin(w, DER_SEQUENCE);
			derw_oid(w, OID_PKIX_OCSP_NONCE);
			derw_tlv(w, DER_OCTET_STRING, c->nonce_ext,
			    c->nonce_ext_len);
			derw_end(w);
		}
		derw_end(w);
		derw_end(w);
	}
	derw_end(w);
	if (c->signature) {
		derw_begin(w, DER_CTX_CONS(0));
		derw_begin(w, DER_SEQUENCE);
		sigalg_encode_sha256(w);
		derw_bits(w, sigbits, sizeof sigbits, 0);
		derw_begin(w, DER_CTX_CONS(0));
		derw_begin(w, DER_SEQUENCE);
		derw_raw(w, leaf.v[0].der, leaf.v[0].len);
		derw_end(w);
		derw_end(w);
		derw_end(w);
		derw_end(w);
	}
	derw_end(w);
}

static uint8_t *
creq(const struct creq *c, size_t *len)
{
	struct err e;
	uint8_t *der = der_encode(encode_creq, c, len, &e);

	if (der == NULL) {
		fprintf(stderr, "encode_creq: %s\n", e.msg);
		exit(1);
	}
	return der;
}

static void
test_request_shapes(void)
{
	struct ocsp_certid ids[OCSP_MAX_REQUESTS + 1];
	struct ocsp_req req;
	struct creq c;
	struct err e;
	uint8_t raw[16], wrapped[18], *der;
	size_t len, i;

	for (i = 0; i <= OCSP_MAX_REQUESTS; i++) {
		uint8_t s[2] = { 0x10, (uint8_t)i };

		CHECK_EQ(ocsp_certid_make(&ids[i], &ca.v[0], s, 2, HASH_SHA1,
		    &e), 0);
	}
	ids[1].no_params = 1;
	for (i = 0; i < sizeof raw; i++)
		raw[i] = (uint8_t)(0xa0 + i);
	wrapped[0] = 0x04;
	wrapped[1] = 16;
	memcpy(wrapped + 2, raw, 16);

	/* Everything optional present: explicit v1, requestorName, a raw
	 * nonce, a non-critical unknown extension, a signature. */
	memset(&c, 0, sizeof c);
	c.version = 0;
	c.requestor = 1;
	c.ids = ids;
	c.n = 2;
	c.nonce_ext = raw;
	c.nonce_ext_len = sizeof raw;
	c.noncrit_unknown = 1;
	c.signature = 1;
	der = creq(&c, &len);
	CHECK_EQ(ocsp_req_parse(&req, der, len, &e), 0);
	CHECK_EQ(req.n, 2);
	CHECK_EQ(req.has_requestor, 1);
	CHECK_EQ(req.is_signed, 1);
	CHECK_EQ(req.nonce.len, 16);
	CHECK_MEM(req.nonce.val, raw, 16);
	CHECK_EQ(req.nonce.ext_len, 16);
	CHECK_EQ(req.ids[0].no_params, 0);
	CHECK_EQ(req.ids[1].no_params, 1);
	CHECK(ocsp_certid_equal(&req.ids[1], &ids[1]));
	free(der);

	/* OpenSSL's wrapped nonce: the value inside, the ext kept whole. */
	c.nonce_ext = wrapped;
	c.nonce_ext_len = sizeof wrapped;
	der = creq(&c, &len);
	CHECK_EQ(ocsp_req_parse(&req, der, len, &e), 0);
	CHECK_EQ(req.nonce.len, 16);
	CHECK_MEM(req.nonce.val, raw, 16);
	CHECK_EQ(req.nonce.ext_len, 18);
	CHECK_MEM(req.nonce.ext, wrapped, 18);
	free(der);

	/* The cap: 32 CertIDs parse, 33 do not. */
	memset(&c, 0, sizeof c);
	c.version = -1;
	c.ids = ids;
	c.n = OCSP_MAX_REQUESTS;
	der = creq(&c, &len);
	CHECK_EQ(ocsp_req_parse(&req, der, len, &e), 0);
	CHECK_EQ(req.n, OCSP_MAX_REQUESTS);
	free(der);
	c.n = OCSP_MAX_REQUESTS + 1;
	der = creq(&c, &len);
	CHECK_ERR(ocsp_req_parse(&req, der, len, &e), &e,
	    "more than 32 requests");
	CHECK(strncmp(e.msg, "offset 0x", 9) == 0);
	CHECK_EQ(req.n, 0);
	free(der);
	CHECK_ERR(ocsp_req_build(ids, OCSP_MAX_REQUESTS + 1, NULL, &der, &len,
	    &e), &e, "an OCSP request holds 1 to 32 CertIDs, not 33");
	CHECK_ERR(ocsp_req_build(ids, 0, NULL, &der, &len, &e), &e,
	    "not 0");

	c.n = 0;
	der = creq(&c, &len);
	CHECK_ERR(ocsp_req_parse(&req, der, len, &e), &e,
	    "offset 0x6: empty requestList");
	free(der);

	c.n = 1;
	c.version = 1;
	der = creq(&c, &len);
	CHECK_ERR(ocsp_req_parse(&req, der, len, &e), &e,
	    "offset 0x4: unsupported version 2 (only v1)");
	free(der);

	c.version = -1;
	c.crit_unknown = 1;
	der = creq(&c, &len);
	CHECK_ERR(ocsp_req_parse(&req, der, len, &e), &e,
	    "unsupported critical extension 1.2.3.4 in requestExtensions");
	free(der);

	c.crit_unknown = 0;
	c.empty_exts = 1;
	der = creq(&c, &len);
	CHECK_ERR(ocsp_req_parse(&req, der, len, &e), &e,
	    "empty requestExtensions");
	free(der);

	/* Nonces: empty and over 32 bytes are refused. */
	c.empty_exts = 0;
	{
		uint8_t big[35] = { 0x04, 33 }, empty[2] = { 0x04, 0 };

		c.nonce_ext = big;
		c.nonce_ext_len = sizeof big;
		der = creq(&c, &len);
		CHECK_ERR(ocsp_req_parse(&req, der, len, &e), &e,
		    "nonce of 33 bytes (1 to 32 allowed)");
		free(der);
		c.nonce_ext = empty;
		c.nonce_ext_len = sizeof empty;
		der = creq(&c, &len);
		CHECK_ERR(ocsp_req_parse(&req, der, len, &e), &e,
		    "nonce of 0 bytes (1 to 32 allowed)");
		free(der);
	}
}

/* CertIDs that are broken or do not fit their hash algorithm. */
static void
test_certid_errors(void)
{
	struct ocsp_certid id;
	struct ocsp_req req;
	struct err e;
	uint8_t *kat;
	size_t katlen;

	kat = test_hex(kat_sha1, &katlen);
	/* The serial INTEGER with a needless zero byte first. */
	kat[67] = 0x00;
	CHECK_ERR(ocsp_req_parse(&req, kat, katlen, &e), &e,
	    "offset 0x41: non-minimal INTEGER");
	free(kat);
	/* SHA-256 named, SHA-1 sized hashes (the sha1 vector's). */
	kat = test_hex("304d304b30493047304530"
	    "0d06096086480165030402010500"
	    "041426fba5e18c594f4f409111ef19c689ab7caa1512"
	    "041499f058e52f29068113e1bc2b5a4dd6c8537d1dce"
	    "02080123456789abcdef", &katlen);
	CHECK_ERR(ocsp_req_parse(&req, kat, katlen, &e), &e,
	    "offset 0x19: issuerNameHash of 20 bytes (sha256 gives 32)");
	free(kat);
	CHECK_ERR(ocsp_certid_make(&id, &ca.v[0], (const uint8_t *)"", 0,
	    HASH_SHA1, &e), &e, "CertID: serial of 0 bytes (1 to 32)");
}

/* Round trip through the responder: good, revoked, unknown, the nonce. */
static void
test_respond(void)
{
	struct ocsp_responder r;
	struct ocsp_certid ids[3];
	struct ocsp_nonce nonce;
	struct ocsp_req req;
	struct ocsp_resp resp;
	struct ocsp_check_params p;
	struct ocsp_result res;
	struct verify_result st;
	struct err e;
	uint8_t *reqder, *der;
	size_t reqlen, len;
	char *name, text[128];

	responder_init(&r);
	ocsp_resp_init(&resp);
	verify_result_init(&st);
	CHECK_EQ(ocsp_certid_make(&ids[0], &ca.v[0], leaf.v[0].serial,
	    leaf.v[0].serial_len, HASH_SHA1, &e), 0);
	CHECK_EQ(ocsp_certid_make(&ids[1], &ca.v[0], revoked_serial, 1,
	    HASH_SHA256, &e), 0);
	CHECK_EQ(ocsp_certid_make(&ids[2], &ca.v[0], unknown_serial, 2,
	    HASH_SHA1, &e), 0);
	ocsp_nonce_random(&nonce);
	CHECK_EQ(nonce.len, OCSP_NONCE_LEN);
	CHECK_EQ(nonce.ext_len, OCSP_NONCE_LEN + 2);
	CHECK_EQ(ocsp_req_build(ids, 3, &nonce, &reqder, &reqlen, &e), 0);
	CHECK_EQ(ocsp_req_parse(&req, reqder, reqlen, &e), 0);
	CHECK_EQ(req.n, 3);
	CHECK(ocsp_certid_equal(&req.ids[1], &ids[1]));
	CHECK_EQ(req.nonce.len, OCSP_NONCE_LEN);
	CHECK_MEM(req.nonce.val, nonce.val, OCSP_NONCE_LEN);

	CHECK_EQ(ocsp_respond_der(&r, reqder, reqlen, NOW, &der, &len, &e),
	    OCSP_SUCCESSFUL);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	CHECK_EQ(resp.status, OCSP_SUCCESSFUL);
	CHECK_EQ(resp.rid_by_key, 0);
	CHECK(dn_equal(&resp.rid_name, &ca.v[0].subject));
	CHECK_EQ(resp.produced_at, NOW);
	CHECK_EQ(resp.n, 3);
	CHECK_EQ(resp.certs.n, 0);
	CHECK_EQ(resp.sigalg.oid, OID_SHA256_WITH_RSA);
	CHECK_EQ(resp.nonce.ext_len, nonce.ext_len);
	CHECK_MEM(resp.nonce.ext, nonce.ext, nonce.ext_len);
	CHECK_EQ(resp.v[0].status, OCSP_GOOD);
	CHECK_EQ(resp.v[0].this_update, NOW);
	CHECK_EQ(resp.v[0].has_next_update, 1);
	CHECK_EQ(resp.v[0].next_update, NOW + 3600);
	CHECK_EQ(resp.v[1].status, OCSP_REVOKED);
	CHECK_EQ(resp.v[1].revoked_at, NOW - 3600);
	CHECK_EQ(resp.v[1].reason, CRL_REASON_KEY_COMPROMISE);
	CHECK_EQ(resp.v[2].status, OCSP_UNKNOWN);
	CHECK_EQ(resp.v[2].reason, CRL_REASON_NONE);

	check_init(&p, &ids[0], &nonce);
	CHECK_EQ(ocsp_resp_check(&resp, &p, &res, &st, &e), 0);
	CHECK_EQ(res.status, OCSP_GOOD);
	CHECK_EQ(res.delegated, 0);
	ocsp_result_text(&res, text, sizeof text);
	CHECK_STR(text, "good");
	{
		struct buf b;

		buf_init(&b);
		verify_render(&b, &st);
		buf_putc(&b, '\0');
		CHECK(strstr((char *)b.data, "  ok    signature: "
		    "sha256WithRSAEncryption signature is good\n") != NULL);
		CHECK(strstr((char *)b.data, "  ok    responder: the CA itself "
		    "(byName)\n") != NULL);
		buf_clear(&b);
	}
	CHECK_EQ(res.next_update, NOW + 3600);
	CHECK_EQ(st.code, VERIFY_OK);
	CHECK(st.n >= 6);
	p.id = &ids[1];
	CHECK_EQ(ocsp_resp_check(&resp, &p, &res, &st, &e), 0);
	CHECK_EQ(res.status, OCSP_REVOKED);
	CHECK_EQ(res.revoked_at, NOW - 3600);
	CHECK_EQ(res.reason, CRL_REASON_KEY_COMPROMISE);
	ocsp_result_text(&res, text, sizeof text);
	CHECK_STR(text, "revoked (keyCompromise) on 2027-01-15 07:00:00 UTC");
	res.reason = CRL_REASON_NONE;
	ocsp_result_text(&res, text, sizeof text);
	CHECK_STR(text, "revoked on 2027-01-15 07:00:00 UTC");
	p.id = &ids[2];
	CHECK_EQ(ocsp_resp_check(&resp, &p, &res, &st, &e), 0);
	CHECK_EQ(res.status, OCSP_UNKNOWN);
	ocsp_result_text(&res, text, sizeof text);
	CHECK_STR(text, "unknown");

	/* Wrong nonce, missing nonce. */
	{
		struct ocsp_nonce other_nonce;

		ocsp_nonce_random(&other_nonce);
		p.id = &ids[0];
		p.nonce = &other_nonce;
		CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
		    "nonce: differs from the nonce sent");
		CHECK_EQ(e.kind, ERR_REFUSED);
		CHECK_EQ(st.code, VERIFY_MALFORMED);
		CHECK_EQ(res.status, OCSP_UNKNOWN);
	}
	/* Freshness: stale, from the future, skew inside. */
	p.nonce = &nonce;
	p.now = NOW + 3600 + 300 + 1;
	CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
	    "freshness: stale: nextUpdate 2027-01-15 09:00:00 UTC has passed");
	CHECK_EQ(st.code, VERIFY_EXPIRED);
	p.now = NOW + 3600 + 300;
	CHECK_EQ(ocsp_resp_check(&resp, &p, &res, &st, &e), 0);
	p.now = NOW - 301;
	CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
	    "freshness: thisUpdate 2027-01-15 08:00:00 UTC is in the future");
	CHECK_EQ(st.code, VERIFY_NOT_YET_VALID);
	p.now = NOW;
	/* A CertID that was not asked (another serial). */
	{
		struct ocsp_certid nid;
		const uint8_t s77[] = { 0x77 };

		CHECK_EQ(ocsp_certid_make(&nid, &ca.v[0], s77, 1, HASH_SHA1,
		    &e), 0);
		p.id = &nid;
		CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
		    "CertID: no answer for the certificate asked (serial 77)");
		/* Same serial, other hash: not the same CertID. */
		CHECK_EQ(ocsp_certid_make(&nid, &ca.v[0], leaf.v[0].serial,
		    leaf.v[0].serial_len, HASH_SHA256, &e), 0);
		CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
		    "CertID: no answer");
		p.id = &ids[0];
	}
	/* Checked against the wrong issuer. */
	p.issuer = &other.v[0];
	CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
	    "responder: responderID names neither the CA nor a certificate "
	    "in the response");
	CHECK_EQ(st.code, VERIFY_NO_ISSUER);
	p.issuer = &ca.v[0];
	ocsp_resp_clear(&resp);

	/* Tampered: a signature byte, then a byte of ResponseData. */
	der[len - 1] ^= 0x01;
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
	    "signature: ");
	CHECK_EQ(st.code, VERIFY_BAD_SIGNATURE);
	der[len - 1] ^= 0x01;
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	CHECK_EQ(ocsp_resp_check(&resp, &p, &res, &st, &e), 0);
	{
		/* The last digit of the minutes in producedAt: 0 -> 1. */
		size_t off = (size_t)(resp.tbs - resp.der);

		for (; off + 15 < len; off++)
			if (memcmp(der + off, "20270115080000Z", 15) == 0)
				break;
		CHECK(off + 15 < len);
		der[off + 11] = '1';
		CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
		CHECK_EQ(resp.produced_at, NOW + 60);
		CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
		    "signature: ");
	}
	free(der);

	/* Without a nonce in the request: none echoed; a client that sent
	 * one refuses the response. */
	free(reqder);
	CHECK_EQ(ocsp_req_build(ids, 1, NULL, &reqder, &reqlen, &e), 0);
	CHECK_EQ(ocsp_respond_der(&r, reqder, reqlen, NOW, &der, &len, &e),
	    OCSP_SUCCESSFUL);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	CHECK_EQ(resp.nonce.len, 0);
	CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
	    "nonce: the response has no nonce (one was sent)");
	p.nonce = NULL;
	CHECK_EQ(ocsp_resp_check(&resp, &p, &res, &st, &e), 0);
	free(der);

	/* No nextUpdate: max_age decides. */
	r.validity = 0;
	CHECK_EQ(ocsp_respond_der(&r, reqder, reqlen, NOW, &der, &len, &e),
	    OCSP_SUCCESSFUL);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	CHECK_EQ(resp.v[0].has_next_update, 0);
	p.now = NOW + 86400;
	CHECK_EQ(ocsp_resp_check(&resp, &p, &res, &st, &e), 0);
	p.max_age = 3600;
	CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
	    "freshness: stale: no nextUpdate and thisUpdate 2027-01-15 "
	    "08:00:00 UTC is older than 3600 s");
	free(der);
	free(reqder);

	/* Another issuer: unauthorized when nothing is ours, "unknown" for
	 * the foreign one in a mixed request. */
	{
		struct ocsp_certid mix[2];

		CHECK_EQ(ocsp_certid_make(&mix[0], &other.v[0],
		    leaf.v[0].serial, leaf.v[0].serial_len, HASH_SHA1, &e), 0);
		mix[1] = ids[0];
		CHECK_EQ(ocsp_req_build(mix, 1, NULL, &reqder, &reqlen, &e), 0);
		CHECK_EQ(ocsp_respond_der(&r, reqder, reqlen, NOW, &der, &len,
		    &e), OCSP_UNAUTHORIZED);
		name = xasprintf("no CertID names this CA (%s)", "C=DE, "
		    "O=Mini PKI Test, CN=Test Root CA");
		CHECK_STR(e.msg, name);
		free(name);
		CHECK_EQ(len, 5);
		CHECK_MEM(der, "\x30\x03\x0a\x01\x06", 5);
		CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
		CHECK_EQ(resp.status, OCSP_UNAUTHORIZED);
		p.now = NOW;
		p.max_age = 0;
		CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
		    "response status: the responder answered unauthorized");
		free(der);
		free(reqder);
		CHECK_EQ(ocsp_req_build(mix, 2, NULL, &reqder, &reqlen, &e), 0);
		CHECK_EQ(ocsp_respond_der(&r, reqder, reqlen, NOW, &der, &len,
		    &e), OCSP_SUCCESSFUL);
		CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
		CHECK_EQ(resp.n, 2);
		CHECK_EQ(resp.v[0].status, OCSP_UNKNOWN);
		CHECK_EQ(resp.v[1].status, OCSP_GOOD);
		free(der);
		/* A failing database: internalError. */
		r.ctx = &r;
		CHECK_EQ(ocsp_respond_der(&r, reqder, reqlen, NOW, &der, &len,
		    &e), OCSP_INTERNAL_ERROR);
		CHECK_STR(e.msg, "status lookup failed");
		CHECK_MEM(der, "\x30\x03\x0a\x01\x02", 5);
		free(der);
		free(reqder);
		r.ctx = NULL;
	}
	/* Garbage: malformedRequest, with the place. */
	CHECK_EQ(ocsp_respond_der(&r, (const uint8_t *)"\x30\x05\x30", 3, NOW,
	    &der, &len, &e), OCSP_MALFORMED_REQUEST);
	CHECK_STR(e.msg, "offset 0x0: length runs past end of input");
	CHECK_EQ(len, 5);
	CHECK_MEM(der, "\x30\x03\x0a\x01\x01", 5);
	free(der);

	ocsp_resp_clear(&resp);
	verify_result_clear(&st);
}

/* Responses signed by a delegated responder, good and bad. */
static void
test_delegated(void)
{
	struct ocsp_responder r;
	struct ocsp_certid id;
	struct ocsp_req req;
	struct ocsp_resp resp;
	struct ocsp_check_params p;
	struct ocsp_result res;
	struct verify_result st;
	struct err e;
	uint8_t *der;
	size_t len;

	responder_init(&r);
	ocsp_resp_init(&resp);
	verify_result_init(&st);
	memset(&req, 0, sizeof req);
	CHECK_EQ(ocsp_certid_make(&id, &ca.v[0], revoked_serial, 1, HASH_SHA1,
	    &e), 0);
	req.ids[0] = id;
	req.n = 1;
	check_init(&p, &id, NULL);

	r.signer = &delegate.v[0];
	r.by.rsa = &otherkey;
	r.certs = &delegate;
	CHECK_EQ(ocsp_respond(&r, &req, NOW, &der, &len, &e), OCSP_SUCCESSFUL);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	CHECK_EQ(resp.certs.n, 1);
	CHECK_EQ(ocsp_resp_check(&resp, &p, &res, &st, &e), 0);
	CHECK_EQ(res.delegated, 1);
	CHECK_EQ(res.status, OCSP_REVOKED);
	/* Out of the delegate's validity. */
	p.now = NOW + 2 * 86400;
	CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
	    "delegated responder expired on");
	CHECK_EQ(st.code, VERIFY_EXPIRED);
	p.now = NOW;
	free(der);

	/* Without id-kp-OCSPSigning. */
	r.signer = &plain_ee.v[0];
	r.certs = &plain_ee;
	CHECK_EQ(ocsp_respond(&r, &req, NOW, &der, &len, &e), OCSP_SUCCESSFUL);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
	    "'CN=Not A Responder': delegated responder without "
	    "id-kp-OCSPSigning");
	CHECK_EQ(st.code, VERIFY_EKU);
	free(der);

	/* Not signed by the CA. */
	r.signer = &foreign_del.v[0];
	r.certs = &foreign_del;
	CHECK_EQ(ocsp_respond(&r, &req, NOW, &der, &len, &e), OCSP_SUCCESSFUL);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
	    "'CN=Forged Responder': delegated responder not issued by the CA "
	    "'C=DE, O=Mini PKI Test, CN=Test Root CA'");
	CHECK_EQ(st.code, VERIFY_NO_ISSUER);
	free(der);

	/* The delegate's name, its certificate left out. */
	r.signer = &delegate.v[0];
	r.certs = NULL;
	CHECK_EQ(ocsp_respond(&r, &req, NOW, &der, &len, &e), OCSP_SUCCESSFUL);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
	    "responderID names neither the CA nor a certificate");
	free(der);

	/* The CA's name, but another key signed. */
	r.signer = &ca.v[0];
	CHECK_EQ(ocsp_respond(&r, &req, NOW, &der, &len, &e), OCSP_SUCCESSFUL);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	CHECK_ERR(ocsp_resp_check(&resp, &p, &res, &st, &e), &e,
	    "signature: ");
	free(der);

	ocsp_resp_clear(&resp);
	verify_result_clear(&st);
}

/* Every prefix of a valid encoding is an error, never a crash. */
static void
test_truncated(void)
{
	struct ocsp_responder r;
	struct ocsp_certid id;
	struct ocsp_nonce nonce;
	struct ocsp_req req;
	struct ocsp_resp resp;
	struct err e;
	uint8_t *reqder, *der, *cut;
	size_t reqlen, len, i;
	int bad = 0;

	responder_init(&r);
	r.signer = &delegate.v[0];
	r.by.rsa = &otherkey;
	r.certs = &delegate;
	ocsp_resp_init(&resp);
	CHECK_EQ(ocsp_certid_make(&id, &ca.v[0], revoked_serial, 1, HASH_SHA1,
	    &e), 0);
	ocsp_nonce_random(&nonce);
	CHECK_EQ(ocsp_req_build(&id, 1, &nonce, &reqder, &reqlen, &e), 0);
	CHECK_EQ(ocsp_respond_der(&r, reqder, reqlen, NOW, &der, &len, &e),
	    OCSP_SUCCESSFUL);
	for (i = 0; i < reqlen; i++) {
		cut = xmalloc(i + 1);
		memcpy(cut, reqder, i);
		err_clear(&e);
		if (ocsp_req_parse(&req, cut, i, &e) != -1 ||
		    e.kind != ERR_INPUT || strncmp(e.msg, "offset 0x", 9) != 0)
			bad++;
		free(cut);
	}
	CHECK_EQ(bad, 0);
	for (i = 0; i < len; i++) {
		cut = xmalloc(i + 1);
		memcpy(cut, der, i);
		err_clear(&e);
		if (ocsp_resp_parse(&resp, cut, i, &e) != -1 ||
		    e.kind != ERR_INPUT || strstr(e.msg, "offset 0x") == NULL)
			bad++;
		free(cut);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	/* Trailing bytes. */
	cut = xmalloc(len + 1);
	memcpy(cut, der, len);
	cut[len] = 0;
	CHECK_ERR(ocsp_resp_parse(&resp, cut, len + 1, &e), &e,
	    "1 bytes left over at end of OCSP response");
	free(cut);
	free(der);
	free(reqder);
	ocsp_resp_clear(&resp);
}

static void
test_response_errors(void)
{
	struct ocsp_resp resp;
	struct ocsp_single s;
	struct ocsp_resp_template t;
	struct err e;
	uint8_t *der, *copy;
	size_t len, i;
	static const enum ocsp_resp_status errs[] = { OCSP_MALFORMED_REQUEST,
	    OCSP_INTERNAL_ERROR, OCSP_TRY_LATER, OCSP_SIG_REQUIRED,
	    OCSP_UNAUTHORIZED };

	ocsp_resp_init(&resp);
	for (i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		CHECK_EQ(ocsp_resp_error(errs[i], &der, &len, &e), 0);
		CHECK_EQ(len, 5);
		CHECK_EQ(der[4], errs[i]);
		CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
		CHECK_EQ(resp.status, errs[i]);
		free(der);
	}
	CHECK_STR(ocsp_resp_status_name(OCSP_TRY_LATER), "tryLater");
	CHECK_STR(ocsp_resp_status_name(4), "status 4");
	CHECK_ERR(ocsp_resp_error(OCSP_SUCCESSFUL, &der, &len, &e), &e,
	    "not an OCSP error status: 0");
	CHECK_ERR(ocsp_resp_parse(&resp, (const uint8_t *)"\x30\x03\x0a\x01"
	    "\x04", 5, &e), &e, "offset 0x2: responseStatus: not an "
	    "OCSPResponseStatus value");
	CHECK_ERR(ocsp_resp_parse(&resp, (const uint8_t *)"\x30\x03\x0a\x01"
	    "\x00", 5, &e), &e, "offset 0x5: successful response without "
	    "responseBytes");
	CHECK_ERR(ocsp_resp_parse(&resp, (const uint8_t *)"\x30\x07\x0a\x01"
	    "\x03\xa0\x02\x30\x00", 9, &e), &e, "offset 0x5: responseBytes "
	    "in a tryLater response");

	/* A signed response to damage. */
	memset(&s, 0, sizeof s);
	CHECK_EQ(ocsp_certid_make(&s.id, &ca.v[0], revoked_serial, 1,
	    HASH_SHA1, &e), 0);
	s.status = OCSP_REVOKED;
	s.revoked_at = NOW - 10;
	s.reason = CRL_REASON_NONE;
	s.this_update = NOW;
	memset(&t, 0, sizeof t);
	t.signer = &ca.v[0];
	t.by.rsa = &cakey;
	t.produced_at = NOW;
	t.v = &s;
	t.n = 1;
	CHECK_EQ(ocsp_resp_build(&t, &der, &len, &e), 0);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	CHECK_EQ(resp.v[0].status, OCSP_REVOKED);
	CHECK_EQ(resp.v[0].reason, CRL_REASON_NONE);
	CHECK_EQ(resp.v[0].has_next_update, 0);
	copy = xmalloc(len);
	/* responseType: id-pkix-ocsp-basic's last arc 1 -> 5. */
	memcpy(copy, der, len);
	for (i = 0; i + 9 < len; i++)
		if (memcmp(copy + i, "\x2b\x06\x01\x05\x05\x07\x30\x01\x01",
		    9) == 0)
			break;
	copy[i + 8] = 0x05;
	CHECK_ERR(ocsp_resp_parse(&resp, copy, len, &e), &e,
	    "unsupported responseType 1.3.6.1.5.5.7.48.1.5");
	/* certStatus revoked [1] -> [3]. */
	memcpy(copy, der, len);
	for (i = 0; i + 1 < len; i++)
		if (copy[i] == 0xa1 && copy[i + 2] == DER_GENERALIZEDTIME)
			break;
	copy[i] = 0xa3;
	CHECK_ERR(ocsp_resp_parse(&resp, copy, len, &e), &e,
	    "expected certStatus (good [0], revoked [1] or unknown [2]), "
	    "found 0xa3");
	/* responderID [1] -> [3]. */
	memcpy(copy, der, len);
	for (i = 0; i + 1 < len; i++)
		if (copy[i] == 0xa1 && copy[i + 2] == DER_SEQUENCE)
			break;
	copy[i] = 0xa3;
	CHECK_ERR(ocsp_resp_parse(&resp, copy, len, &e), &e,
	    "expected responderID (byName [1] or byKey [2]), found another "
	    "tag");
	free(copy);
	free(der);

	/* Template checks. */
	s.reason = 7;
	CHECK_ERR(ocsp_resp_build(&t, &der, &len, &e), &e,
	    "answer 1: reason 7 is not a CRLReason");
	s.reason = CRL_REASON_NONE;
	s.has_next_update = 1;
	s.next_update = s.this_update;
	CHECK_ERR(ocsp_resp_build(&t, &der, &len, &e), &e,
	    "answer 1: nextUpdate must be after thisUpdate");
	s.has_next_update = 0;
	t.by.rsa = &otherkey;
	{
		struct rsakey pub;

		rsakey_init(&pub);
		t.by.rsa = &pub;
		CHECK_ERR(ocsp_resp_build(&t, &der, &len, &e), &e,
		    "signer certificate and private key needed");
		rsakey_clear(&pub);
	}
	ocsp_resp_clear(&resp);
}

int
main(void)
{
	setup();
	test_kat();
	test_request_shapes();
	test_certid_errors();
	test_respond();
	test_delegated();
	test_truncated();
	test_response_errors();
	rsakey_clear(&cakey);
	rsakey_clear(&otherkey);
	cert_list_clear(&ca);
	cert_list_clear(&leaf);
	cert_list_clear(&other);
	cert_list_clear(&delegate);
	cert_list_clear(&plain_ee);
	cert_list_clear(&foreign_del);
	return test_done();
}
