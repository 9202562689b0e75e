/* caserve-test.c — the CA service's handler (role/caserve.c) without
 * sockets: routing (404, 405 with Allow, 403 for EST over plain HTTP),
 * Content-Type (415), base64 (400), enrollment with a token (200 with a
 * certs-only CMS of a certificate the CA signed), a reused token and a
 * malformed Authorization (401 with WWW-Authenticate), a broken request
 * (400, the token unspent), the CA lock held by another writer (503, the
 * token unspent), OCSP good, then revoked by another writer while the
 * service runs (its reader follows), unknown, and the CRL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/b64.h"
#include "role/caserve.h"
#include "role/lifecycle.h"
#include "testlib.h"
#include "testws.h"
#include "util/xalloc.h"
#include "x509/cms.h"
#include "x509/crl.h"
#include "x509/ocsp.h"

static const char pass[] = "caserve-test-pass";

/* CHECK with a message saying what was found. */
#define CHECK_MSG(e, ...) do { test_checks++; if (!(e)) \
	test_fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)

struct answer {
	struct httpresp r;
	struct buf body;
	char text[512];
};

/* Calls the handler for one request and keeps a copy of the answer. */
static void
ask(struct caserve *s, int tls, const char *method, const char *path,
    const char *ctype, const char *auth, const void *body, size_t len,
    struct answer *a)
{
	struct http_request req;
	struct httpsrv_peer peer;
	struct buf scratch;

	memset(&req, 0, sizeof req);
	memset(&peer, 0, sizeof peer);
	buf_init(&scratch);
	req.method = strcmp(method, "POST") == 0 ? HTTP_M_POST : HTTP_M_GET;
	req.method_name = method;
	req.version = 11;
	req.target = path;
	req.path = path;
	req.hdr[HTTP_H_CONTENT_TYPE] = ctype;
	req.hdr[HTTP_H_AUTHORIZATION] = auth;
	req.body = body;
	req.body_len = len;
	peer.id = 1;
	peer.tls = tls;
	snprintf(peer.addr, sizeof peer.addr, "test");
	peer.body = &scratch;
	memset(&a->r, 0, sizeof a->r);
	CHECK(caserve_handle(s, &req, &peer, &a->r) == HTTPSRV_ANSWERED);
	buf_init(&a->body);
	buf_append(&a->body, a->r.body, a->r.body_len);
	a->r.body = a->body.data;
	snprintf(a->text, sizeof a->text, "%.*s", (int)a->body.len,
	    (const char *)a->body.data);
	buf_clear(&scratch);
}

static void
answer_clear(struct answer *a)
{
	buf_clear(&a->body);
}

static const struct {
	int tls;
	const char *method, *path, *ctype, *body;
	int status;
	const char *text;	/* the whole body; NULL: not checked */
	const char *allow;
} cases[] = {
	{ 0, "GET", "/nothing", NULL, NULL, 404,
	    "no such resource: /nothing (see the ca serve section of "
	    "minipki(1))\n", NULL },
	{ 0, "POST", "/crl", "text/plain", "x", 405,
	    "POST /crl: use GET, HEAD\n", "GET, HEAD" },
	{ 1, "GET", "/ocsp", NULL, NULL, 405, "GET /ocsp: use POST\n",
	    "POST" },
	{ 1, "POST", "/ocsp/MEk", "application/ocsp-request", "x", 405,
	    "POST /ocsp/MEk: use GET, HEAD\n", "GET, HEAD" },
	{ 1, "GET", "/.well-known/est/simpleenroll", NULL, NULL, 405,
	    "GET /.well-known/est/simpleenroll: use POST\n", "POST" },
	{ 0, "GET", "/.well-known/est/cacerts", NULL, NULL, 403,
	    "EST is served over TLS only: use an HTTPS listener\n", NULL },
	{ 0, "POST", "/.well-known/est/simpleenroll", "application/pkcs10",
	    "MIIB", 403, NULL, NULL },
	{ 1, "POST", "/.well-known/est/simpleenroll", "text/plain", "MIIB",
	    415, "Content-Type must be application/pkcs10 (base64 PKCS#10), "
	    "not text/plain\n", NULL },
	{ 1, "POST", "/.well-known/est/simpleenroll", NULL, "MIIB", 415,
	    "Content-Type must be application/pkcs10 (base64 PKCS#10), not "
	    "none\n", NULL },
	{ 1, "POST", "/.well-known/est/simpleenroll", "application/pkcs10",
	    "@@@@", 400, "request body is not base64: offset 0: invalid "
	    "base64 character 0x40\n", NULL },
	{ 1, "POST", "/.well-known/est/simpleenroll", "application/pkcs10",
	    "AAAA", 400, NULL, NULL },
	{ 1, "POST", "/ocsp", "application/ocsp-requests", "x", 415,
	    "Content-Type must be application/ocsp-request, not "
	    "application/ocsp-requests\n", NULL },
	{ 1, "GET", "/ocsp/%zz", NULL, NULL, 400, NULL, NULL },
	{ 0, "GET", "/ocsp/@@@@", NULL, NULL, 400, "OCSP path is not base64: "
	    "offset 0: invalid base64 character 0x40\n", NULL },
	{ 1, "POST", "/.well-known/est/simplereenroll", "application/pkcs10",
	    "MIIB", 403, "re-enrollment needs the current certificate as the "
	    "TLS client certificate\n", NULL },
};

static void
test_cases(struct caserve *s)
{
	struct answer a;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ask(s, cases[i].tls, cases[i].method, cases[i].path,
		    cases[i].ctype, NULL, cases[i].body, cases[i].body != NULL ?
		    strlen(cases[i].body) : 0, &a);
		CHECK(a.r.status == cases[i].status);
		if (cases[i].text != NULL)
			CHECK_MSG(strcmp(a.text, cases[i].text) == 0,
			    "case %zu: %s", i, a.text);
		if (cases[i].allow != NULL)
			CHECK_MSG(a.r.allow != NULL &&
			    strcmp(a.r.allow, cases[i].allow) == 0, "case %zu",
			    i);
		answer_clear(&a);
	}
}

/* A request for CN=cn by a new key of bits, as base64. */
static void
make_req(const char *cn, unsigned bits, struct rsakey *k, struct buf *b64,
    int spoil)
{
	struct dn dn;
	uint8_t *der = NULL;
	size_t len;
	char subj[64];

	dn_init(&dn);
	snprintf(subj, sizeof subj, "CN=%s", cn);
	CHECK(dn_from_string(&dn, subj, NULL) == 0);
	CHECK(rsakey_generate(k, bits, NULL, NULL, NULL) == 0);
	CHECK(csr_build(&dn, NULL, k, &der, &len, NULL) == 0);
	if (spoil)
		der[len - 1] ^= 1;	/* the signature's last byte */
	b64_encode(der, len, 1, b64);
	free(der);
	dn_clear(&dn);
}

static char *
basic(const char *user, const char *token)
{
	struct buf raw, b;
	char *s;

	buf_init(&raw);
	buf_init(&b);
	buf_printf(&raw, "%s:%s", user, token);
	b64_encode(raw.data, raw.len, 0, &b);
	s = xasprintf("Basic %s", (const char *)b.data);
	buf_clear(&raw);
	buf_clear(&b);
	return s;
}

/* The certificate of a certs-only answer. */
static int
answer_cert(const struct answer *a, struct cert *c)
{
	struct buf der;
	struct cms cms;
	int rc = -1;

	buf_init(&der);
	cms_init(&cms);
	if (b64_decode((const char *)a->body.data, a->body.len, &der,
	    NULL) == 0 && cms_parse(&cms, der.data, der.len, NULL) == 0 &&
	    cms.certs.n == 1 && cert_parse(c, cms.certs.v[0].der,
	    cms.certs.v[0].len, NULL) == 0)
		rc = 0;
	cms_clear(&cms);
	buf_clear(&der);
	return rc;
}

/* OCSP status of c through the handler (POST). */
static int
ocsp_status(struct caserve *s, const struct cert *issuer,
    const uint8_t *serial, size_t serial_len, struct ocsp_result *res)
{
	struct ocsp_certid id;
	struct ocsp_resp resp;
	struct ocsp_check_params p;
	struct verify_result steps;
	struct answer a;
	uint8_t *der = NULL;
	size_t len = 0;
	int rc = -1;

	ocsp_resp_init(&resp);
	verify_result_init(&steps);
	CHECK(ocsp_certid_make(&id, issuer, serial, serial_len, HASH_SHA1,
	    NULL) == 0);
	CHECK(ocsp_req_build(&id, 1, NULL, &der, &len, NULL) == 0);
	ask(s, 0, "POST", "/ocsp", "application/ocsp-request", NULL, der, len,
	    &a);
	CHECK(a.r.status == 200);
	CHECK(a.r.content_type != NULL &&
	    strcmp(a.r.content_type, "application/ocsp-response") == 0);
	memset(&p, 0, sizeof p);
	p.issuer = issuer;
	p.id = &id;
	p.now = (int64_t)time(NULL);
	p.skew = 300;
	if (ocsp_resp_parse(&resp, a.body.data, a.body.len, NULL) == 0 &&
	    resp.status != OCSP_SUCCESSFUL)
		rc = resp.status + 100;
	else if (ocsp_resp_check(&resp, &p, res, &steps, NULL) == 0)
		rc = 0;
	answer_clear(&a);
	ocsp_resp_clear(&resp);
	verify_result_clear(&steps);
	free(der);
	return rc;
}

static void
test_enroll(struct caserve *s, const struct ws *ws)
{
	struct enroll en;
	struct enroll_token_opts o = { 0 };
	struct rsakey k;
	struct buf req, bad, small;
	struct answer a;
	struct cert c;
	struct ocsp_result res;
	struct ca other;
	struct err e;
	char token[ENROLL_TOKEN_LEN + 1], id[ENROLLDB_ID_LEN + 1], want[200];
	char *auth, serial[2 * CERT_MAX_SERIAL + 1];
	size_t i;

	enroll_init(&en);
	rsakey_init(&k);
	buf_init(&req);
	buf_init(&bad);
	buf_init(&small);
	cert_init(&c);
	ca_init(&other);
	err_clear(&e);
	CHECK(enroll_open(&en, ws, "root", &e) == 0);
	CHECK(enroll_token_new(&en, &o, (int64_t)time(NULL), token, id,
	    &e) == 0);
	auth = basic("alice", token);
	make_req("alice", 2048, &k, &req, 0);
	rsakey_clear(&k);
	rsakey_init(&k);
	make_req("alice", 2048, &k, &bad, 1);
	rsakey_clear(&k);
	rsakey_init(&k);
	make_req("alice", 1024, &k, &small, 0);

	/* Refused requests do not spend the token. */
	ask(s, 1, "POST", "/.well-known/est/simpleenroll",
	    "application/pkcs10", auth, bad.data, bad.len, &a);
	CHECK(a.r.status == 400);
	CHECK_MSG(strcmp(a.text, "request signature does not verify\n") == 0,
	    "%s", a.text);
	answer_clear(&a);
	ask(s, 1, "POST", "/.well-known/est/simpleenroll",
	    "application/pkcs10", auth, small.data, small.len, &a);
	CHECK(a.r.status == 400);
	CHECK(strcmp(a.text, "request key is 1024 bits: at least 2048 "
	    "required\n") == 0);
	answer_clear(&a);
	ask(s, 1, "POST", "/.well-known/est/simpleenroll",
	    "application/pkcs10", "Bearer x", req.data, req.len, &a);
	CHECK(a.r.status == 401 && a.r.www_authenticate != NULL);
	CHECK(strcmp(a.text, "Authorization: not the Basic scheme (send "
	    "the token as the HTTP Basic password)\n") == 0);
	answer_clear(&a);

	/* The CA lock held by another writer: 503, the token unspent. */
	CHECK(ca_open(&other, ws, "root", CA_WRITE, &e) == 0);
	s->lock_wait = 100;
	ask(s, 1, "POST", "/.well-known/est/simpleenroll",
	    "application/pkcs10", auth, req.data, req.len, &a);
	CHECK_MSG(a.r.status == 503 && a.r.retry_after == 1, "%d %s",
	    a.r.status, a.text);
	CHECK(strcmp(a.text, "the CA is busy: try again\n") == 0);
	answer_clear(&a);
	ca_clear(&other);
	ca_init(&other);

	/* Issued. */
	ask(s, 1, "POST", "/.well-known/est/simpleenroll",
	    "application/pkcs10", auth, req.data, req.len, &a);
	CHECK(a.r.status == 200);
	CHECK(a.r.content_type != NULL && strcmp(a.r.content_type,
	    "application/pkcs7-mime; smime-type=certs-only") == 0);
	CHECK(a.r.content_transfer_encoding != NULL &&
	    strcmp(a.r.content_transfer_encoding, "base64") == 0);
	CHECK(answer_cert(&a, &c) == 0);
	CHECK(cert_check_signature(&c, &s->ca.root, NULL));
	CHECK(strcmp(dn_get(&c.subject, OID_CN), "alice") == 0);
	answer_clear(&a);

	/* Used. */
	ask(s, 1, "POST", "/.well-known/est/simpleenroll",
	    "application/pkcs10", auth, req.data, req.len, &a);
	snprintf(want, sizeof want, "token %s has been used (1 of 1 uses)\n",
	    id);
	CHECK(a.r.status == 401 && a.r.www_authenticate != NULL);
	CHECK(strcmp(a.text, want) == 0);
	answer_clear(&a);

	/* OCSP: good; revoked by another writer while serving; unknown. */
	CHECK(ocsp_status(s, &s->ca.root, c.serial, c.serial_len, &res) == 0);
	CHECK(res.status == OCSP_GOOD);
	for (i = 0; i < c.serial_len; i++)
		snprintf(serial + 2 * i, 3, "%02x", c.serial[i]);
	CHECK(ca_open(&other, ws, "root", CA_WRITE, &e) == 0);
	CHECK(ca_unlock(&other, pass, strlen(pass), &e) == 0);
	CHECK(lifecycle_revoke(&other, serial, "keyCompromise",
	    (int64_t)time(NULL), 0, &e) == 0);
	ca_clear(&other);
	ca_init(&other);
	CHECK(ocsp_status(s, &s->ca.root, c.serial, c.serial_len, &res) == 0);
	CHECK(res.status == OCSP_REVOKED);
	CHECK(res.reason == CRL_REASON_KEY_COMPROMISE);
	CHECK(ocsp_status(s, &s->ca.root, (const uint8_t *)"\x01\x02", 2,
	    &res) == 0);
	CHECK(res.status == OCSP_UNKNOWN);
	/* Another CA's certificate: unauthorized. */
	CHECK(ocsp_status(s, &c, c.serial, c.serial_len, &res) ==
	    100 + OCSP_UNAUTHORIZED);

	/* The CRL: made at the first request (none yet), lists alice. */
	ask(s, 0, "GET", "/crl", NULL, NULL, NULL, 0, &a);
	CHECK(a.r.status == 200);
	{
		struct crl crl;

		crl_init(&crl);
		CHECK(crl_parse(&crl, a.body.data, a.body.len, NULL) == 0);
		CHECK(crl_check_signature(&crl, &s->ca.root, NULL));
		CHECK(crl.n == 1);
		crl_clear(&crl);
	}
	answer_clear(&a);

	free(auth);
	cert_clear(&c);
	buf_clear(&req);
	buf_clear(&bad);
	buf_clear(&small);
	rsakey_clear(&k);
	enroll_clear(&en);
	ca_clear(&other);
}

int
main(void)
{
	struct ws ws;
	struct caserve s;
	struct dn subject;
	struct err e;
	struct answer a;
	char dir[] = "tests/work/caserve-XXXXXX";
	const char *names[] = { "ca.example", "192.0.2.1" };
	uint8_t *root = NULL;
	size_t rootlen;

	if (test_ws_open(&ws, dir) == -1)
		return 1;
	err_clear(&e);
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=Serve Test Root", &e) == 0);
	CHECK(ca_create(&ws, "root", &subject, 2048, 10, (int64_t)time(NULL),
	    pass, strlen(pass), NULL, NULL, &root, &rootlen, &e) == 0);
	free(root);
	dn_clear(&subject);

	caserve_init(&s);
	CHECK(caserve_open(&s, &ws, "root", "wrong", 5, NULL, 0,
	    (int64_t)time(NULL), &e) == -1);
	CHECK(e.kind == ERR_PASS);
	caserve_clear(&s);
	caserve_init(&s);
	CHECK_MSG(caserve_open(&s, &ws, "root", pass, strlen(pass), names, 2,
	    (int64_t)time(NULL), &e) == 0, "%s", e.msg);
	CHECK(strncmp(s.fpr, "SHA256:", 7) == 0 && strlen(s.fpr) == 71);
	/* The service certificate: issued by the CA, for its names. */
	CHECK(s.tls_chain.n == 2);
	CHECK(cert_check_signature(&s.tls_chain.v[0], &s.ca.root, NULL));
	CHECK(s.tls_chain.v[0].ext.san.n == 5);
	/* Its key is P-256 by default (a handshake costs an ECDSA
	 * signature, not an RSA one), for signatures only. */
	CHECK(s.tls_chain.v[0].key_alg == OID_EC_PUBLIC_KEY);
	CHECK(s.tls.eckey == &s.tls_ec && s.tls.key == NULL);
	CHECK(!(s.tls_chain.v[0].ext.ku & KU_KEY_ENCIPHERMENT));
	/* The lock is free while serving. */
	CHECK(s.ca.db.lockfd == -1);

	ask(&s, 0, "GET", "/ca.pem", NULL, NULL, NULL, 0, &a);
	CHECK(a.r.status == 200 && a.body.len == s.ca_pem.len &&
	    memcmp(a.body.data, s.ca_pem.data, a.body.len) == 0);
	answer_clear(&a);
	ask(&s, 0, "GET", "/ca.cer", NULL, NULL, NULL, 0, &a);
	CHECK(a.r.status == 200 && a.body.len == s.ca.root.len &&
	    memcmp(a.body.data, s.ca.root.der, a.body.len) == 0);
	answer_clear(&a);

	test_cases(&s);
	test_enroll(&s, &ws);
	caserve_clear(&s);
	/* --tls-key rsa: an RSA-2048 key instead. */
	caserve_init(&s);
	s.tls_rsa = 1;
	CHECK_MSG(caserve_open(&s, &ws, "root", pass, strlen(pass), NULL, 0,
	    (int64_t)time(NULL), &e) == 0, "%s", e.msg);
	CHECK(s.tls_chain.v[0].key_alg == OID_RSA_ENCRYPTION);
	CHECK(rsakey_bits(&s.tls_chain.v[0].key) == CASERVE_TLS_BITS);
	CHECK(s.tls.key == &s.tls_key && s.tls.eckey == NULL);
	caserve_clear(&s);
	test_ws_remove(&ws, dir);
	return test_done();
}
