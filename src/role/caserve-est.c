/* caserve-est.c — the CA service's EST endpoints (RFC 7030): cacerts,
 * simpleenroll, simplereenroll; see caserve.h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/b64.h"
#include "crypto/hex.h"
#include "net/httpdec.h"
#include "role/caservepriv.h"
#include "role/lifecycle.h"
#include "x509/cms.h"
#include "x509/csr.h"

enum httpsrv_verdict
caserve_est_cacerts(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	(void)req;
	out->content_transfer_encoding = "base64";
	return caserve_blob(peer, out, "application/pkcs7-mime",
	    s->cacerts.data, s->cacerts.len);
}

/* A certs-only answer of der (one certificate, as the CA made it: not
 * parsed again), base64 (EST). */
static enum httpsrv_verdict
caserve_est_certs(const struct httpsrv_peer *peer, struct httpresp *out,
    const uint8_t *der, size_t len)
{
	struct err e;
	uint8_t *cms = NULL;
	size_t n = 0;

	err_clear(&e);
	if (cms_write_cert_der(der, len, &cms, &n, &e) == -1)
		return caserve_text(peer, out, 500, "internal error: %s", e.msg);
	b64_encode(cms, n, 1, peer->body);
	free(cms);
	out->content_transfer_encoding = "base64";
	return caserve_blob(peer, out,
	    "application/pkcs7-mime; smime-type=certs-only",
	    peer->body->data, peer->body->len);
}

/* The request of an EST POST: base64 PKCS#10 into csr, or the answer. */
static int
caserve_est_csr(const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out, struct csr *csr)
{
	struct buf der;
	struct err e;
	int rc = -1;

	buf_init(&der);
	err_clear(&e);
	if (!caserve_ctype(req, "application/pkcs10")) {
		caserve_text(peer, out, 415, "Content-Type must be "
		    "application/pkcs10 (base64 PKCS#10), not %.100s",
		    req->hdr[HTTP_H_CONTENT_TYPE] != NULL ?
		    req->hdr[HTTP_H_CONTENT_TYPE] : "none");
		goto out;
	}
	if (httpdec_base64(req->body, req->body_len, ENROLL_CSR_MAX, &der,
	    &e) == -1) {
		caserve_text(peer, out, 400, "request body is not base64: %s",
		    e.msg);
		goto out;
	}
	if (csr_parse(csr, der.data, der.len, &e) == -1) {
		caserve_text(peer, out, 400, "request is not a PKCS#10 "
		    "request: %s", e.msg);
		goto out;
	}
	/* Proof of possession and key size: the same words ca issue says. */
	if (ca_check_request(csr, &e) == -1) {
		caserve_text(peer, out, 400, "%s", e.msg);
		goto out;
	}
	/* enroll_submit and ca_issue check it again: not its signature. */
	csr->sig_ok = 1;
	rc = 0;
out:
	buf_clear(&der);
	return rc;
}

/* The answer to an enroll_submit that returned rc with res or e. */
enum httpsrv_verdict
caserve_est_answer(struct caserve *s, const struct httpsrv_peer *peer,
    struct httpresp *out, int rc, const struct enroll_result *res,
    const struct err *e, int token)
{
	if (rc == -1)
		return caserve_refusal(peer, out, e, token);
	switch (res->verdict) {
	case ENROLL_ISSUED:
		caserve_note(s, "issued serial %s%s%s", res->cert.serial,
		    res->token_id[0] != '\0' ? " with token " : " (approved)",
		    res->token_id);
		return caserve_est_certs(peer, out, res->cert.der,
		    res->cert.len);
	case ENROLL_PENDING:
		caserve_note(s, "queued as request %s", res->id);
		out->retry_after = ENROLL_RETRY_AFTER;
		return caserve_text(peer, out, 202, "request %s is waiting for "
		    "the CA operator (%s)", res->id, res->reason != NULL ?
		    res->reason : "queued");
	case ENROLL_EXPIRED:
		return caserve_text(peer, out, 403, "request %s expired: %s",
		    res->id, res->reason != NULL ? res->reason : "not decided "
		    "in time");
	default:
		return caserve_text(peer, out, 403, "request %s was rejected: "
		    "%s", res->id, res->reason != NULL ? res->reason :
		    "no reason");
	}
}

enum httpsrv_verdict
caserve_est_enroll(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct csr csr;
	struct enroll_req rq;
	struct enroll_result res;
	struct buf user, pass;
	struct err e;
	const char *auth = req->hdr[HTTP_H_AUTHORIZATION];
	enum httpsrv_verdict v;
	int locked = 0, rc;

	csr_init(&csr);
	enroll_result_init(&res);
	buf_init(&user);
	buf_init(&pass);
	err_clear(&e);
	memset(&rq, 0, sizeof rq);
	if (caserve_est_csr(req, peer, out, &csr) == -1) {
		v = HTTPSRV_ANSWERED;
		goto out;
	}
	if (auth != NULL) {
		if (httpdec_basic(auth, strlen(auth), ENROLL_TOKEN_INPUT_MAX,
		    &user, &pass, &e) == -1) {
			out->www_authenticate = CASERVE_REALM;
			v = caserve_text(peer, out, 401, "%s "
			    "(send the token as the HTTP Basic password)",
			    e.msg);
			goto out;
		}
		if (pass.len > 0 && ((const char *)pass.data)[0] != '\0')
			rq.token = (const char *)pass.data;
		if (user.len > 0 && ((const char *)user.data)[0] != '\0')
			rq.name = (const char *)user.data;
	}
	rq.csr = &csr;
	rq.peer = peer->addr;
	/* A token issues at once, and so does a request the operator has
	 * approved (`ca approve`): hold the CA lock before either is spent.
	 * A service on a loop queues it for the next batch (caserve-batch.c);
	 * else the lock is tried once. */
	if (rq.token != NULL || enroll_to_issue(&s->en, &csr, NULL) == 1) {
		if (s->loop != NULL) {
			v = caserve_batch_add(s, &csr, &rq, peer);
			goto out;
		}
		if (caserve_lock(s, 0, &e) == -1) {
			v = caserve_refusal(peer, out, &e, 0);
			goto out;
		}
		locked = 1;
	}
	rc = enroll_submit(&s->en, &s->ca, &rq, (int64_t)time(NULL), &res,
	    &e);
	v = caserve_est_answer(s, peer, out, rc, &res, &e, rq.token != NULL);
out:
	if (locked)
		caserve_unlock_db(s);
	csr_clear(&csr);
	enroll_result_clear(&res);
	buf_clear(&user);
	buf_clear_secret(&pass);
	return v;
}

enum httpsrv_verdict
caserve_est_renewed(struct caserve *s, const struct httpsrv_peer *peer,
    struct httpresp *out, int rc, const char *serial,
    const struct ca_issued *res, const struct err *e)
{
	if (rc == -1)
		return e->kind == ERR_USAGE ? caserve_text(peer, out, 403,
		    "the client certificate is not one of this CA's: %s",
		    e->msg) : caserve_refusal(peer, out, e, 0);
	caserve_note(s, "renewed serial %s as %s", serial, res->serial);
	return caserve_est_certs(peer, out, res->der, res->len);
}

enum httpsrv_verdict
caserve_est_reenroll(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct csr csr;
	struct ca_issued res;
	struct err e;
	const struct cert *old;
	char serial[CASERVE_SERIAL_LEN];
	enum httpsrv_verdict v;
	int locked = 0, rc;

	csr_init(&csr);
	ca_issued_init(&res);
	err_clear(&e);
	if (peer->chain == NULL || peer->chain->n == 0) {
		v = caserve_text(peer, out, 403, "re-enrollment needs the "
		    "current certificate as the TLS client certificate");
		goto out;
	}
	if (caserve_est_csr(req, peer, out, &csr) == -1) {
		v = HTTPSRV_ANSWERED;
		goto out;
	}
	old = &peer->chain->v[0];
	if (!dn_equal(&old->subject, &csr.subject)) {
		v = caserve_text(peer, out, 400, "the request's subject is not "
		    "the client certificate's (%.200s)", peer->subject);
		goto out;
	}
	if (old->serial_len * 2 >= sizeof serial) {
		v = caserve_text(peer, out, 400, "serial too long");
		goto out;
	}
	hex_encode(old->serial, old->serial_len, serial);
	serial[old->serial_len * 2] = '\0';
	/* On a loop: with the others that arrive together (one lock, one
	 * sync); else the lock is tried once. */
	if (s->loop != NULL) {
		v = caserve_batch_renew(s, &csr, serial, peer, out);
		goto out;
	}
	if (caserve_lock(s, 1, &e) == -1) {
		v = caserve_refusal(peer, out, &e, 0);
		goto out;
	}
	locked = 1;
	rc = lifecycle_renew(&s->ca, serial, &csr, 0, 0, (int64_t)time(NULL),
	    &res, &e);
	v = caserve_est_renewed(s, peer, out, rc, serial, &res, &e);
out:
	if (locked)
		caserve_unlock_db(s);
	csr_clear(&csr);
	ca_issued_clear(&res);
	return v;
}
