/* ocsp-openssl-test.c — `openssl ocsp` as the independent judge of our
 * OCSP codec, both ways:
 * - we parse the requests `openssl ocsp -reqout` writes (SHA-1 and SHA-256
 *   CertIDs, with and without its nonce, signed with -signer);
 * - `openssl ocsp -respin -reqin -issuer -CAfile` verifies our responses
 *   (signature, nonce) and with -cert prints good / revoked with the
 *   reason; it refuses one whose nonce is not the request's, and one whose
 *   signature was damaged;
 * - we read and check what OpenSSL's own responder (`openssl ocsp -index
 *   -rsigner`) answers to our requests: signed by the CA byName and byKey,
 *   and by a delegated responder it includes.
 * The CA and the first leaf are tests/data's (root.pem, key-pkcs1.pem,
 * leaf.pem); a revoked leaf and the delegated responder are built here.
 * Skipped (77) when the openssl command is not available. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/crl.h"
#include "x509/ocsp.h"
#include "x509/pkey.h"
#include "testcert.h"
#include "peerlib.h"
#include "testlib.h"

#define DIR "tests/work/ocsp-openssl"
#define CA "tests/data/root.pem"
#define CAKEY "tests/data/key-pkcs1.pem"
#define LEAF "tests/data/leaf.pem"
/* The judge's common arguments for reading a response. */
#define JUDGE "openssl ocsp -issuer " CA " -CAfile " CA

static struct rsakey cakey, key2;
static struct cert_list ca, leaf;
static struct cert leaf2, delegate;
static int64_t now, revoked_at;

/* Runs cmd (stderr joined) and says whether a line contains want; the
 * output is kept in the log for a failure. */
static int
output_has(const char *cmd, const char *want)
{
	char line[4096], *full = xasprintf("%s 2>&1", cmd);
	FILE *f = popen(full, "r");
	int found = 0;

	free(full);
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		fprintf(stderr, "    %s", line);
		if (strstr(line, want) != NULL)
			found = 1;
	}
	pclose(f);
	if (!found)
		fprintf(stderr, "(wanted \"%s\" from: %s)\n", want, cmd);
	return found;
}

/* A certificate for key2 issued by the CA, written as PEM to path. */
static void
make_cert(struct cert *out, const char *subject, const uint8_t *serial,
    size_t serial_len, enum oid_id eku, const char *path)
{
	struct cert_template t;
	struct dn name;
	struct err e;
	uint8_t *der;
	size_t len;

	dn_init(&name);
	CHECK_EQ(dn_from_string(&name, subject, &e), 0);
	memset(&t, 0, sizeof t);
	ext_info_init(&t.ext);
	t.serial = serial;
	t.serial_len = serial_len;
	t.issuer = &ca.v[0].subject;
	t.subject = &name;
	t.not_before = now - 86400;
	t.not_after = now + 30 * 86400;
	t.subject_key = &key2;
	t.ext.has_bc = 1;
	t.ext.pathlen = -1;
	t.ext.has_ku = 1;
	t.ext.ku = KU_DIGITAL_SIGNATURE;
	t.ext.has_eku = 1;
	t.ext.eku[0] = eku;
	t.ext.neku = 1;
	memcpy(t.ext.aki, ca.v[0].ext.ski, ca.v[0].ext.ski_len);
	t.ext.aki_len = ca.v[0].ext.ski_len;
	CHECK_EQ(cert_build(&t, &cakey, &der, &len, &e), 0);
	cert_init(out);
	CHECK_EQ(cert_parse(out, der, len, &e), 0);
	peer_write_pem(path, "CERTIFICATE", der, len);
	free(der);
	dn_clear(&name);
}

/* Our CA database: leaf good, leaf2 revoked (keyCompromise), the rest
 * unknown. */
static int
lookup(void *ctx, const uint8_t *serial, size_t len, struct ocsp_answer *a)
{
	if (len == leaf.v[0].serial_len && memcmp(serial, leaf.v[0].serial,
	    len) == 0)
		a->status = OCSP_GOOD;
	else if (len == leaf2.serial_len && memcmp(serial, leaf2.serial,
	    len) == 0) {
		a->status = OCSP_REVOKED;
		a->revoked_at = revoked_at;
		a->reason = CRL_REASON_KEY_COMPROMISE;
	} else
		a->status = OCSP_UNKNOWN;
	return 0;
}

/* OpenSSL's requests, read by us. */
static void
test_read_openssl_requests(void)
{
	struct ocsp_certid want;
	struct ocsp_req req;
	struct err e;
	uint8_t *der;
	size_t len;

	CHECK_EQ(peer_run("openssl ocsp -issuer " CA " -cert " LEAF " -reqout "
	    DIR "/req.der"), 0);
	CHECK_EQ(peer_run("openssl ocsp -issuer " CA " -cert " LEAF " -no_nonce "
	    "-reqout " DIR "/req-nn.der"), 0);
	CHECK_EQ(peer_run("openssl ocsp -sha256 -issuer " CA " -cert " LEAF
	    " -reqout " DIR "/req-256.der"), 0);
	CHECK_EQ(peer_run("openssl ocsp -issuer " CA " -cert " DIR "/leaf2.pem "
	    "-reqout " DIR "/req2.der"), 0);
	CHECK_EQ(peer_run("openssl ocsp -issuer " CA " -cert " LEAF " -signer " LEAF
	    " -signkey tests/data/key-pkcs8.pem -reqout " DIR "/req-signed.der"),
	    0);

	CHECK_EQ(ocsp_certid_make(&want, &ca.v[0], leaf.v[0].serial,
	    leaf.v[0].serial_len, HASH_SHA1, &e), 0);
	der = test_slurp(DIR "/req.der", &len);
	CHECK_EQ(ocsp_req_parse(&req, der, len, &e), 0);
	CHECK_EQ(req.n, 1);
	CHECK(ocsp_certid_equal(&req.ids[0], &want));
	CHECK_EQ(req.nonce.len, 16);	/* OpenSSL's default */
	CHECK_EQ(req.nonce.ext_len, 18);	/* in an OCTET STRING */
	free(der);

	/* Signed, with requestorName and the signer's certificate: read,
	 * the signature not verified. */
	der = test_slurp(DIR "/req-signed.der", &len);
	CHECK_EQ(ocsp_req_parse(&req, der, len, &e), 0);
	CHECK(ocsp_certid_equal(&req.ids[0], &want));
	CHECK_EQ(req.is_signed, 1);
	CHECK_EQ(req.has_requestor, 1);
	free(der);

	der = test_slurp(DIR "/req-nn.der", &len);
	CHECK_EQ(ocsp_req_parse(&req, der, len, &e), 0);
	CHECK(ocsp_certid_equal(&req.ids[0], &want));
	CHECK_EQ(req.nonce.len, 0);
	free(der);

	CHECK_EQ(ocsp_certid_make(&want, &ca.v[0], leaf.v[0].serial,
	    leaf.v[0].serial_len, HASH_SHA256, &e), 0);
	der = test_slurp(DIR "/req-256.der", &len);
	CHECK_EQ(ocsp_req_parse(&req, der, len, &e), 0);
	CHECK(ocsp_certid_equal(&req.ids[0], &want));
	free(der);
}

/* Answers the request file in with our responder into out. */
static void
respond(const char *in, const char *out, int expect)
{
	struct ocsp_responder r;
	struct err e;
	uint8_t *req, *der = NULL;
	size_t reqlen, len = 0;

	memset(&r, 0, sizeof r);
	r.ca = &ca.v[0];
	r.by.rsa = &cakey;
	r.validity = 3600;
	r.lookup = lookup;
	req = test_slurp(in, &reqlen);
	CHECK_EQ(ocsp_respond_der(&r, req, reqlen, now, &der, &len, &e),
	    expect);
	test_spit(out, der, len);
	free(der);
	free(req);
}

/* Our responses, judged by OpenSSL. */
static void
test_openssl_reads_ours(void)
{
	uint8_t *der;
	size_t len;

	/* With -reqin the judge checks the signature and the nonce; with
	 * -cert (which makes a new request, hence -no_nonce) it prints the
	 * status. */
	respond(DIR "/req.der", DIR "/resp.der", OCSP_SUCCESSFUL);
	CHECK(output_has(JUDGE " -reqin " DIR "/req.der -respin " DIR
	    "/resp.der", "Response verify OK"));
	CHECK_EQ(peer_run(JUDGE " -reqin " DIR "/req.der -respin " DIR
	    "/resp.der >/dev/null 2>&1"), 0);
	CHECK(output_has(JUDGE " -cert " LEAF " -no_nonce -respin " DIR
	    "/resp.der", LEAF ": good"));

	respond(DIR "/req-256.der", DIR "/resp-256.der", OCSP_SUCCESSFUL);
	CHECK(output_has(JUDGE " -reqin " DIR "/req-256.der -respin " DIR
	    "/resp-256.der", "Response verify OK"));
	CHECK(output_has("openssl ocsp -sha256 -issuer " CA " -CAfile " CA
	    " -cert " LEAF " -no_nonce -respin " DIR "/resp-256.der",
	    LEAF ": good"));

	respond(DIR "/req2.der", DIR "/resp2.der", OCSP_SUCCESSFUL);
	CHECK(output_has(JUDGE " -reqin " DIR "/req2.der -respin " DIR
	    "/resp2.der", "Response verify OK"));
	CHECK(output_has(JUDGE " -cert " DIR "/leaf2.pem -no_nonce -respin "
	    DIR "/resp2.der", "leaf2.pem: revoked"));
	CHECK(output_has(JUDGE " -cert " DIR "/leaf2.pem -no_nonce -respin "
	    DIR "/resp2.der", "Reason: keyCompromise"));

	/* Must fail: the nonce of another request; a damaged signature. */
	CHECK(output_has(JUDGE " -reqin " DIR "/req2.der -respin " DIR
	    "/resp.der", "Nonce Verify error"));
	der = test_slurp(DIR "/resp.der", &len);
	der[len - 1] ^= 0x01;
	test_spit(DIR "/resp-bad.der", der, len);
	free(der);
	CHECK(output_has(JUDGE " -reqin " DIR "/req.der -respin " DIR
	    "/resp-bad.der", "Response Verify Failure"));
	CHECK(peer_run(JUDGE " -reqin " DIR "/req.der -respin " DIR
	    "/resp-bad.der >/dev/null 2>&1") != 0);

	/* A request for another CA: unauthorized. */
	CHECK_EQ(peer_run("openssl ocsp -issuer " DIR "/delegate.pem -cert " LEAF
	    " -reqout " DIR "/req-other.der"), 0);
	respond(DIR "/req-other.der", DIR "/resp-other.der",
	    OCSP_UNAUTHORIZED);
	CHECK(output_has(JUDGE " -cert " LEAF " -respin " DIR
	    "/resp-other.der", "Responder Error: unauthorized (6)"));
}

/* What OpenSSL's responder answers to our request for c, checked. */
static void
openssl_answers(const struct cert *c, const char *opts,
    struct ocsp_result *res, struct err *e)
{
	struct ocsp_certid id;
	struct ocsp_nonce nonce;
	struct ocsp_resp resp;
	struct ocsp_check_params p;
	struct verify_result st;
	uint8_t *der;
	size_t len;
	char *cmd;

	ocsp_resp_init(&resp);
	verify_result_init(&st);
	CHECK_EQ(ocsp_certid_make(&id, &ca.v[0], c->serial, c->serial_len,
	    HASH_SHA1, e), 0);
	ocsp_nonce_random(&nonce);
	CHECK_EQ(ocsp_req_build(&id, 1, &nonce, &der, &len, e), 0);
	test_spit(DIR "/ours.der", der, len);
	free(der);
	cmd = xasprintf("openssl ocsp -index " DIR "/index.txt -CA " CA
	    " -reqin " DIR "/ours.der -respout " DIR "/theirs.der %s "
	    ">/dev/null 2>&1", opts);
	CHECK_EQ(peer_run(cmd), 0);
	free(cmd);
	der = test_slurp(DIR "/theirs.der", &len);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, e), 0);
	memset(&p, 0, sizeof p);
	p.issuer = &ca.v[0];
	p.id = &id;
	p.nonce = &nonce;
	p.now = (int64_t)time(NULL);
	p.skew = 300;
	if (ocsp_resp_check(&resp, &p, res, &st, e) == -1)
		test_fail(__FILE__, __LINE__, "%s (%s)", e->msg, opts);
	free(der);
	ocsp_resp_clear(&resp);
	verify_result_clear(&st);
}

/* OpenSSL's responder, read and checked by us. */
static void
test_we_read_openssl(void)
{
	struct ocsp_result res;
	struct err e;
	struct buf b;
	char when[32], line[512];
	struct tm tm;
	time_t t = (time_t)revoked_at;

	/* index.txt: V/R, expiry, revocation "time,reason", serial, file,
	 * subject. */
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%y%m%d%H%M%SZ", &tm);
	snprintf(line, sizeof line,
	    "V\t301231000000Z\t\t0123456789ABCDEF\tunknown\t/CN=leaf.example\n"
	    "R\t301231000000Z\t%s,keyCompromise\t4201\tunknown\t"
	    "/CN=revoked.example\n", when);
	test_spit(DIR "/index.txt", line, strlen(line));
	test_spit(DIR "/index.txt.attr", "unique_subject = no\n", 20);

	openssl_answers(&leaf.v[0], "-rsigner " CA " -rkey " CAKEY " -ndays 1",
	    &res, &e);
	CHECK_EQ(res.status, OCSP_GOOD);
	CHECK_EQ(res.has_next_update, 1);
	CHECK_EQ(res.delegated, 0);

	openssl_answers(&leaf2, "-rsigner " CA " -rkey " CAKEY, &res, &e);
	CHECK_EQ(res.status, OCSP_REVOKED);
	CHECK_EQ(res.reason, CRL_REASON_KEY_COMPROMISE);
	CHECK_EQ(res.revoked_at, revoked_at);
	CHECK_EQ(res.has_next_update, 0);

	/* responderID byKey. */
	openssl_answers(&leaf2, "-rsigner " CA " -rkey " CAKEY " -resp_key_id",
	    &res, &e);
	CHECK_EQ(res.status, OCSP_REVOKED);

	/* A delegated responder, its certificate in the response. */
	buf_init(&b);
	pkey_encode_pkcs1(&key2, &b);
	if (file_write(DIR "/delegate.key", b.data, b.len, 0600, 0, &e) == -1)
		test_fail(__FILE__, __LINE__, "%s", e.msg);
	buf_clear_secret(&b);
	openssl_answers(&leaf.v[0], "-rsigner " DIR "/delegate.pem -rkey " DIR
	    "/delegate.key -ndays 1", &res, &e);
	CHECK_EQ(res.status, OCSP_GOOD);
	CHECK_EQ(res.delegated, 1);
}

int
main(void)
{
	static const uint8_t serial2[] = { 0x42, 0x01 }, serial3[] = { 0x0d };

	peer_need_openssl(DIR);
	now = (int64_t)time(NULL);
	revoked_at = now - 7200;
	test_load_key(CAKEY, &cakey);
	test_load_key("tests/data/key-pkcs8.pem", &key2);
	cert_list_init(&ca);
	cert_list_init(&leaf);
	{
		struct err e;

		if (cert_list_load_file(&ca, CA, &e) == -1 ||
		    cert_list_load_file(&leaf, LEAF, &e) == -1) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
	}
	make_cert(&leaf2, "CN=revoked.example", serial2, sizeof serial2,
	    OID_KP_CLIENT_AUTH, DIR "/leaf2.pem");
	make_cert(&delegate, "CN=OCSP Responder", serial3, sizeof serial3,
	    OID_KP_OCSP_SIGNING, DIR "/delegate.pem");

	test_read_openssl_requests();
	test_openssl_reads_ours();
	test_we_read_openssl();

	if (test_failures == 0)
		peer_run("rm -rf " DIR);
	cert_clear(&leaf2);
	cert_clear(&delegate);
	cert_list_clear(&ca);
	cert_list_clear(&leaf);
	rsakey_clear(&cakey);
	rsakey_clear(&key2);
	return test_done();
}
