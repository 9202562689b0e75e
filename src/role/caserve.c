/* caserve.c — the CA service: opening it (key, service certificate,
 * answers made once) and the request handler; see caserve.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "asn1/pem.h"
#include "crypto/b64.h"
#include "crypto/hex.h"
#include "net/httpdec.h"
#include "role/caserve.h"
#include "role/lifecycle.h"
#include "role/profile.h"
#include "store/audit.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/cms.h"
#include "x509/crl.h"
#include "x509/csr.h"
#include "x509/ocsp.h"

#define CASERVE_BODY_MAX (ENROLL_CSR_MAX * 2)	/* base64 with line breaks */
#define CASERVE_REALM "Basic realm=\"minipki-tui CA\""

void
caserve_init(struct caserve *s)
{
	memset(s, 0, sizeof *s);
	ca_init(&s->ca);
	enroll_init(&s->en);
	cadb_init(&s->rd);
	cert_list_init(&s->chain);
	buf_init(&s->cacerts);
	buf_init(&s->ca_pem);
	rsakey_init(&s->tls_key);
	cert_list_init(&s->tls_chain);
	s->lock_wait = CASERVE_LOCK_WAIT;
}

/* The limbs of a private number: locked in memory, best effort (the
 * RLIMIT_MEMLOCK may be small); unlocked again by caserve_clear. */
static int
caserve_mlock_mpz(mpz_srcptr z, int lock)
{
	size_t n = mpz_size(z) * sizeof(mp_limb_t);
	const void *p = mpz_limbs_read(z);

	if (n == 0)
		return 0;
	return lock ? mlock(p, n) : munlock(p, n);
}

static int
caserve_mlock_key(const struct rsakey *k, int lock)
{
	int rc = 0;

	rc |= caserve_mlock_mpz(k->priv.d, lock);
	rc |= caserve_mlock_mpz(k->priv.p, lock);
	rc |= caserve_mlock_mpz(k->priv.q, lock);
	rc |= caserve_mlock_mpz(k->priv.a, lock);
	rc |= caserve_mlock_mpz(k->priv.b, lock);
	rc |= caserve_mlock_mpz(k->priv.c, lock);
	return rc;
}

void
caserve_clear(struct caserve *s)
{
	if (s->mlocked) {
		(void)caserve_mlock_key(&s->ca.key, 0);
		(void)caserve_mlock_key(&s->tls_key, 0);
	}
	ca_clear(&s->ca);	/* wipes the CA key */
	enroll_clear(&s->en);
	cadb_clear(&s->rd);
	cert_list_clear(&s->chain);
	buf_clear(&s->cacerts);
	buf_clear(&s->ca_pem);
	rsakey_clear(&s->tls_key);
	cert_list_clear(&s->tls_chain);
	memset(s, 0, sizeof *s);
}

/* ---- the CA database: a writer per operation, a reader kept ---- */

/* Takes the CA lock for one operation: ca.db opened for writing (full:
 * for lookups by serial, else append only), retried until lock_wait. */
static int
caserve_lock(struct caserve *s, int full, struct err *e)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int waited = 0;

	for (;;) {
		err_clear(e);
		if (cadb_open(&s->ca.db, s->ws, s->ca.name, CADB_WRITE |
		    (full ? 0 : CADB_APPEND), e) == 0)
			return 0;
		if (e->kind != ERR_LOCKED || waited >= s->lock_wait)
			return -1;
		nanosleep(&ts, NULL);
		waited += 20;
	}
}

static void
caserve_unlock_db(struct caserve *s)
{
	cadb_clear(&s->ca.db);
	cadb_init(&s->ca.db);
}

/* The reader, read again when certs.yaml changed since. */
static int
caserve_reader(struct caserve *s, struct err *e)
{
	struct stat st;
	char *dir = ws_ca_dir(s->ws, s->ca.name), *path;
	int rc = -1;

	path = xasprintf("%s/certs.yaml", dir);
	free(dir);
	if (stat(path, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (s->rd_open && st.st_ino == s->rd_st.st_ino &&
	    st.st_size == s->rd_st.st_size &&
	    st.st_mtim.tv_sec == s->rd_st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == s->rd_st.st_mtim.tv_nsec) {
		rc = 0;
		goto out;
	}
	s->rd_open = 0;
	if (cadb_open(&s->rd, s->ws, s->ca.name, 0, e) == -1)
		goto out;
	s->rd_st = st;
	s->rd_open = 1;
	rc = 0;
out:
	free(path);
	return rc;
}

/* ---- opening ---- */

/* The service's own certificate: a fresh key, issued under profile
 * server for the service's names, recorded (the CA lock is held). */
static int
caserve_tls_cert(struct caserve *s, const char *const *names, size_t nnames,
    int64_t now, struct err *e)
{
	struct cert_template t;
	struct ext_info req;
	struct ca_issued out;
	struct dn subject;
	struct buf sans;
	uint8_t ip[16];
	size_t i;
	int rc = -1;

	memset(&t, 0, sizeof t);
	ext_info_init(&t.ext);
	ext_info_init(&req);
	ca_issued_init(&out);
	dn_init(&subject);
	buf_init(&sans);
	if (nnames > CASERVE_MAX_NAMES) {
		err_set(e, ERR_USAGE, "%zu names: at most %d", nnames,
		    CASERVE_MAX_NAMES);
		goto out;
	}
	buf_puts(&sans, "DNS:localhost,IP:127.0.0.1,IP:::1");
	for (i = 0; i < nnames; i++) {
		/* One name each: a list would smuggle in other types. */
		if (inet_pton(AF_INET, names[i], ip) == 1 ||
		    inet_pton(AF_INET6, names[i], ip) == 1)
			buf_printf(&sans, ",IP:%s", names[i]);
		else if (strchr(names[i], ',') != NULL ||
		    strchr(names[i], ':') != NULL) {
			err_set(e, ERR_USAGE, "name '%.80s': one DNS name or "
			    "IP address", names[i]);
			goto out;
		} else
			buf_printf(&sans, ",DNS:%s", names[i]);
	}
	buf_putc(&sans, '\0');
	req.has_san = 1;
	if (san_parse_list(&req.san, (const char *)sans.data, e) == -1) {
		err_wrap(e, "service names");
		goto out;
	}
	if (rsakey_generate(&s->tls_key, CASERVE_TLS_BITS, NULL, NULL,
	    e) == -1)
		goto out;
	if (dn_from_string(&subject, "CN=localhost", e) == -1)
		goto out;
	profile_apply(profile_get(PROFILE_SERVER), &req, "localhost", &t.ext,
	    NULL);
	t.subject = &subject;
	t.subject_key = &s->tls_key;
	t.not_before = now - CA_BACKDATE;
	t.not_after = now + (int64_t)CASERVE_TLS_DAYS * 86400;
	if (ca_sign_record(&s->ca, &t, "server", &out, e) == -1)
		goto out;
	buf_clear(&sans);
	buf_printf(&sans, "serial %s subject %s profile server (the ca serve "
	    "TLS certificate)", out.serial, out.subject);
	if (audit_append(s->ws, s->ca.name, "issue", (const char *)sans.data,
	    e) == -1)
		goto out;
	snprintf(s->tls_serial, sizeof s->tls_serial, "%s", out.serial);
	if (cert_list_load(&s->tls_chain, out.der, out.len, e) == -1 ||
	    cert_list_load(&s->tls_chain, s->ca_pem.data, s->ca_pem.len,
	    e) == -1)
		goto out;
	rc = 0;
out:
	ext_info_clear(&t.ext);
	ext_info_clear(&req);
	ca_issued_clear(&out);
	dn_clear(&subject);
	buf_clear(&sans);
	return rc;
}

int
caserve_open(struct caserve *s, const struct ws *ws, const char *name,
    const void *pass, size_t passlen, const char *const *names,
    size_t nnames, int64_t now, struct err *e)
{
	uint8_t *der = NULL;
	size_t len = 0, i;
	int rc = -1;

	s->ws = ws;
	/* Opened for writing to unlock (audited) and to record the
	 * service certificate; the lock is then let go. */
	if (ca_open(&s->ca, ws, name, CA_WRITE | CA_APPEND, e) == -1 ||
	    ca_unlock(&s->ca, pass, passlen, e) == -1)
		goto out;
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	s->mlocked = 1;
	(void)caserve_mlock_key(&s->ca.key, 1);
	if (cert_list_load(&s->chain, (const uint8_t *)s->ca.ks.cert_pem,
	    strlen(s->ca.ks.cert_pem), e) == -1)
		goto out;
	for (i = 0; i < s->chain.n; i++)
		pem_encode("CERTIFICATE", s->chain.v[i].der,
		    s->chain.v[i].len, &s->ca_pem);
	if (cms_write_certs(&s->chain, &der, &len, e) == -1)
		goto out;
	b64_encode(der, len, 1, &s->cacerts);
	memcpy(s->fpr, "SHA256:", 7);
	hex_encode(s->chain.v[0].fp_sha256, 32, s->fpr + 7);
	s->fpr[7 + 64] = '\0';
	if (caserve_tls_cert(s, names, nnames, now, e) == -1)
		goto out;
	(void)caserve_mlock_key(&s->tls_key, 1);
	caserve_unlock_db(s);
	if (enroll_open(&s->en, ws, name, e) == -1 ||
	    caserve_reader(s, e) == -1)
		goto out;
	memset(&s->tls, 0, sizeof s->tls);
	s->tls.is_server = 1;
	s->tls.min_version = TLS_VERSION_12;
	s->tls.max_version = TLS_VERSION_13;
	s->tls.chain = &s->tls_chain;
	s->tls.key = &s->tls_key;
	s->tls.anchors = &s->chain;
	s->tls.client_auth = TLS_AUTH_OPTIONAL;
	rc = 0;
out:
	free(der);
	if (rc == -1)
		caserve_unlock_db(s);
	return rc;
}

/* ---- answers ---- */

/* A text answer: status, "msg\n" as text/plain in peer->body. */
static enum httpsrv_verdict
caserve_text(const struct httpsrv_peer *peer, struct httpresp *out,
    int status, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum httpsrv_verdict
caserve_text(const struct httpsrv_peer *peer, struct httpresp *out,
    int status, const char *fmt, ...)
{
	va_list ap;
	char line[1200];

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	buf_printf(peer->body, "%s\n", line);
	out->status = status;
	out->content_type = "text/plain";
	out->body = peer->body->data;
	out->body_len = peer->body->len;
	return HTTPSRV_ANSWERED;
}

static enum httpsrv_verdict
caserve_blob(const struct httpsrv_peer *peer, struct httpresp *out,
    const char *type, const void *data, size_t len)
{
	if (data != peer->body->data)
		buf_append(peer->body, data, len);
	out->status = 200;
	out->content_type = type;
	out->body = peer->body->data;
	out->body_len = peer->body->len;
	return HTTPSRV_ANSWERED;
}

/* Whether the request's Content-Type is type (parameters after ';' and
 * case ignored). */
static int
caserve_ctype(const struct http_request *req, const char *type)
{
	const char *v = req->hdr[HTTP_H_CONTENT_TYPE];
	size_t n = strlen(type);

	return v != NULL && strncasecmp(v, type, n) == 0 &&
	    (v[n] == '\0' || v[n] == ';' || v[n] == ' ');
}

/* A certs-only answer of der, base64 (EST). */
static enum httpsrv_verdict
caserve_certs(const struct httpsrv_peer *peer, struct httpresp *out,
    const uint8_t *der, size_t len)
{
	struct cert_list l;
	struct err e;
	uint8_t *cms = NULL;
	size_t n = 0;

	cert_list_init(&l);
	err_clear(&e);
	if (cert_list_load(&l, der, len, &e) == -1 ||
	    cms_write_certs(&l, &cms, &n, &e) == -1) {
		cert_list_clear(&l);
		return caserve_text(peer, out, 500, "internal error: %s", e.msg);
	}
	b64_encode(cms, n, 1, peer->body);
	free(cms);
	cert_list_clear(&l);
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
	rc = 0;
out:
	buf_clear(&der);
	return rc;
}

/* A refusal of enroll_submit or of the CA as the status it deserves. */
static enum httpsrv_verdict
caserve_refusal(const struct httpsrv_peer *peer, struct httpresp *out,
    const struct err *e, int token)
{
	if (e->kind == ERR_LOCKED) {
		out->retry_after = 1;
		return caserve_text(peer, out, 503, "the CA is busy: try "
		    "again");
	}
	if (e->kind == ERR_REFUSED && token &&
	    (strncmp(e->msg, "token ", 6) == 0 ||
	    strcmp(e->msg, "unknown token") == 0)) {
		out->www_authenticate = CASERVE_REALM;
		return caserve_text(peer, out, 401, "%s", e->msg);
	}
	if (e->kind == ERR_REFUSED && strstr(e->msg, "queue is full") != NULL) {
		out->retry_after = ENROLL_RETRY_AFTER;
		return caserve_text(peer, out, 503, "%s", e->msg);
	}
	if (e->kind == ERR_REFUSED || e->kind == ERR_USAGE)
		return caserve_text(peer, out, 400, "%s", e->msg);
	return caserve_text(peer, out, 500, "internal error");
}

static enum httpsrv_verdict
caserve_simpleenroll(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct csr csr;
	struct enroll_req rq;
	struct enroll_result res;
	struct buf user, pass;
	struct err e;
	const char *auth = req->hdr[HTTP_H_AUTHORIZATION];
	enum httpsrv_verdict v;
	int locked = 0;

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
	/* A token issues at once: hold the CA lock before it is spent. */
	if (rq.token != NULL) {
		if (caserve_lock(s, 0, &e) == -1) {
			v = caserve_refusal(peer, out, &e, 0);
			goto out;
		}
		locked = 1;
	}
	if (enroll_submit(&s->en, &s->ca, &rq, (int64_t)time(NULL), &res,
	    &e) == -1) {
		v = caserve_refusal(peer, out, &e, rq.token != NULL);
		goto out;
	}
	switch (res.verdict) {
	case ENROLL_ISSUED:
		v = caserve_certs(peer, out, res.cert.der, res.cert.len);
		break;
	case ENROLL_PENDING:
		out->retry_after = ENROLL_RETRY_AFTER;
		v = caserve_text(peer, out, 202, "request %s is waiting for the "
		    "CA operator (%s)", res.id, res.reason != NULL ?
		    res.reason : "queued");
		break;
	default:
		v = caserve_text(peer, out, 403, "request %s was rejected: %s",
		    res.id, res.reason != NULL ? res.reason : "no reason");
		break;
	}
out:
	if (locked)
		caserve_unlock_db(s);
	csr_clear(&csr);
	enroll_result_clear(&res);
	buf_clear(&user);
	buf_clear_secret(&pass);
	return v;
}

static enum httpsrv_verdict
caserve_simplereenroll(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct csr csr;
	struct ca_issued res;
	struct err e;
	const struct cert *old;
	char serial[CA_SERIAL_HEX * 2];
	enum httpsrv_verdict v;
	int locked = 0;

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
	if (caserve_lock(s, 1, &e) == -1) {
		v = caserve_refusal(peer, out, &e, 0);
		goto out;
	}
	locked = 1;
	if (lifecycle_renew(&s->ca, serial, &csr, 0, 0, (int64_t)time(NULL),
	    &res, &e) == -1) {
		v = e.kind == ERR_USAGE ? caserve_text(peer, out, 403,
		    "the client certificate is not one of this CA's: %s",
		    e.msg) : caserve_refusal(peer, out, &e, 0);
		goto out;
	}
	v = caserve_certs(peer, out, res.der, res.len);
out:
	if (locked)
		caserve_unlock_db(s);
	csr_clear(&csr);
	ca_issued_clear(&res);
	return v;
}

/* ---- OCSP ---- */

static int
caserve_lookup(void *ctx, const uint8_t *serial, size_t len,
    struct ocsp_answer *a)
{
	struct caserve *s = ctx;
	const struct cadb_cert *c;
	char hex[2 * CERT_MAX_SERIAL + 1];
	int r;

	if (len > CERT_MAX_SERIAL)
		return -1;
	hex_encode(serial, len, hex);
	hex[2 * len] = '\0';
	memset(a, 0, sizeof *a);
	a->reason = CRL_REASON_NONE;
	if ((c = cadb_find(&s->rd, hex)) == NULL) {
		a->status = OCSP_UNKNOWN;
		return 0;
	}
	if (c->status != CADB_REVOKED) {
		a->status = OCSP_GOOD;
		return 0;
	}
	a->status = OCSP_REVOKED;
	a->revoked_at = c->revoked_at;
	r = c->reason != NULL ? crl_reason_find(c->reason) : -1;
	if (r >= 0 && r != CRL_REASON_UNSPECIFIED)
		a->reason = r;
	return 0;
}

static enum httpsrv_verdict
caserve_ocsp_answer(struct caserve *s, const struct httpsrv_peer *peer,
    struct httpresp *out, const uint8_t *der, size_t len)
{
	struct ocsp_responder r;
	struct err e, why;
	uint8_t *resp = NULL;
	size_t rlen = 0;

	err_clear(&e);
	err_clear(&why);
	memset(&r, 0, sizeof r);
	r.ca = &s->ca.root;
	r.key = &s->ca.key;
	r.validity = CASERVE_OCSP_VALIDITY;
	r.lookup = caserve_lookup;
	r.ctx = s;
	if (caserve_reader(s, &e) == -1) {
		if (ocsp_resp_error(OCSP_TRY_LATER, &resp, &rlen, &e) == -1)
			return caserve_text(peer, out, 500, "internal error");
	} else if (ocsp_respond_der(&r, der, len, (int64_t)time(NULL), &resp,
	    &rlen, &why) < 0)
		return caserve_text(peer, out, 500, "internal error");
	caserve_blob(peer, out, "application/ocsp-response", resp, rlen);
	free(resp);
	return HTTPSRV_ANSWERED;
}

static enum httpsrv_verdict
caserve_ocsp_post(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	if (!caserve_ctype(req, "application/ocsp-request"))
		return caserve_text(peer, out, 415, "Content-Type must be "
		    "application/ocsp-request, not %.100s",
		    req->hdr[HTTP_H_CONTENT_TYPE] != NULL ?
		    req->hdr[HTTP_H_CONTENT_TYPE] : "none");
	if (req->body_len > OCSP_MAX_SIZE)
		return caserve_text(peer, out, 413, "OCSP request of %zu "
		    "bytes: at most %d", req->body_len, OCSP_MAX_SIZE);
	return caserve_ocsp_answer(s, peer, out, req->body, req->body_len);
}

static enum httpsrv_verdict
caserve_ocsp_get(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	const char *b = req->path + strlen("/ocsp/");
	struct buf txt, der;
	struct err e;
	enum httpsrv_verdict v;

	buf_init(&txt);
	buf_init(&der);
	err_clear(&e);
	if (httpdec_percent(b, strlen(b), 2 * OCSP_MAX_SIZE, &txt,
	    &e) == -1) {
		v = caserve_text(peer, out, 400, "OCSP path: %s", e.msg);
		goto out;
	}
	if (httpdec_base64(txt.data, txt.len, OCSP_MAX_SIZE, &der, &e) == -1) {
		v = caserve_text(peer, out, 400, "OCSP path is not base64: %s",
		    e.msg);
		goto out;
	}
	v = caserve_ocsp_answer(s, peer, out, der.data, der.len);
out:
	buf_clear(&txt);
	buf_clear(&der);
	return v;
}

/* ---- CRL and the CA certificate ---- */

static enum httpsrv_verdict
caserve_crl(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct crl crl;
	struct buf pem;
	struct err e;
	char *path = lifecycle_crl_path(&s->ca);
	uint8_t *der = NULL;
	size_t len = 0;
	uint64_t number;
	int64_t now = (int64_t)time(NULL);
	enum httpsrv_verdict v;

	(void)req;
	crl_init(&crl);
	buf_init(&pem);
	err_clear(&e);
	if (file_read(path, CMS_MAX_SIZE, &pem, NULL) == 0 &&
	    crl_load(&crl, pem.data, pem.len, NULL) == 0 &&
	    (!crl.has_next_update || crl.next_update > now)) {
		v = caserve_blob(peer, out, "application/pkix-crl", crl.der,
		    crl.len);
		goto out;
	}
	/* Missing or stale: a new one, as `ca crl` makes it. */
	if (caserve_lock(s, 1, &e) == -1 ||
	    lifecycle_crl(&s->ca, LIFECYCLE_CRL_DAYS, now, &der, &len,
	    &number, &e) == -1) {
		caserve_unlock_db(s);
		v = caserve_refusal(peer, out, &e, 0);
		goto out;
	}
	caserve_unlock_db(s);
	v = caserve_blob(peer, out, "application/pkix-crl", der, len);
out:
	free(path);
	free(der);
	crl_clear(&crl);
	buf_clear(&pem);
	return v;
}

static enum httpsrv_verdict
caserve_cacerts(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	(void)req;
	out->content_transfer_encoding = "base64";
	return caserve_blob(peer, out, "application/pkcs7-mime",
	    s->cacerts.data, s->cacerts.len);
}

static enum httpsrv_verdict
caserve_ca_pem(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	(void)req;
	return caserve_blob(peer, out, "application/x-pem-file",
	    s->ca_pem.data, s->ca_pem.len);
}

static enum httpsrv_verdict
caserve_ca_cer(struct caserve *s, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	(void)req;
	return caserve_blob(peer, out, "application/pkix-cert",
	    s->ca.root.der, s->ca.root.len);
}

/* ---- routing ---- */

typedef enum httpsrv_verdict caserve_fn(struct caserve *,
    const struct http_request *, const struct httpsrv_peer *,
    struct httpresp *);

static const struct caserve_route {
	const char *path;
	int prefix;		/* path is a prefix ("/ocsp/") */
	int post;		/* POST (else GET and HEAD) */
	int tls;		/* HTTPS listeners only */
	caserve_fn *fn;
} caserve_routes[] = {
	{ "/.well-known/est/cacerts", 0, 0, 1, caserve_cacerts },
	{ "/.well-known/est/simpleenroll", 0, 1, 1, caserve_simpleenroll },
	{ "/.well-known/est/simplereenroll", 0, 1, 1, caserve_simplereenroll },
	{ "/ocsp", 0, 1, 0, caserve_ocsp_post },
	{ "/ocsp/", 1, 0, 0, caserve_ocsp_get },
	{ "/crl", 0, 0, 0, caserve_crl },
	{ "/ca.pem", 0, 0, 0, caserve_ca_pem },
	{ "/ca.cer", 0, 0, 0, caserve_ca_cer },
};

#define CASERVE_NROUTES (sizeof caserve_routes / sizeof caserve_routes[0])

enum httpsrv_verdict
caserve_handle(void *ctx, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct caserve *s = ctx;
	const struct caserve_route *r, *found = NULL;
	int post = req->method == HTTP_M_POST;
	size_t i;

	for (i = 0; i < CASERVE_NROUTES; i++) {
		r = &caserve_routes[i];
		if (r->prefix ? strncmp(req->path, r->path,
		    strlen(r->path)) != 0 : strcmp(req->path, r->path) != 0)
			continue;
		if (r->post == post)
			break;
		found = r;	/* the path, another method */
	}
	if (i == CASERVE_NROUTES) {
		if (found != NULL) {
			/* /ocsp takes both, under two paths. */
			out->allow = found->post ? "POST" : "GET, HEAD";
			return caserve_text(peer, out, 405, "%s %s: use %s",
			    req->method_name, req->path, out->allow);
		}
		return caserve_text(peer, out, 404, "no such resource: %.200s "
		    "(see the ca serve section of minipki(1))", req->path);
	}
	if (r->tls && !peer->tls)
		return caserve_text(peer, out, 403, "EST is served over TLS "
		    "only: use an HTTPS listener");
	return r->fn(s, req, peer, out);
}
