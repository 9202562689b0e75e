/* caserve-ocsp.c — the CA service's OCSP endpoints (RFC 6960): POST
 * /ocsp and GET /ocsp/BASE64 (appendix A), answered from the database as
 * it is now; see caserve.h.
 *
 * Signing is most of an answer's cost, and clients ask about the same
 * certificates again and again: a signed answer to a request without a
 * nonce is kept (as responders commonly do, RFC 5019 §6) and given again
 * for the same request bytes while certs.yaml is as it was (a revocation
 * by any process changes it) and for at most CASERVE_OCSP_CACHE_TTL
 * seconds (its thisUpdate that old at most, nextUpdate still ahead). A
 * request with a nonce is answered afresh every time: its answer must
 * echo that nonce. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "crypto/hex.h"
#include "net/httpdec.h"
#include "role/caservepriv.h"
#include "x509/crl.h"
#include "x509/ocsp.h"
#include "util/xalloc.h"

#define CASERVE_OCSP_CACHE_TTL 60	/* s */
#define CASERVE_OCSP_CACHE_N 64

static struct caserve_ocsp_kept {
	const struct caserve *owner;	/* NULL: a free slot */
	uint8_t *req, *resp;
	size_t req_len, resp_len;
	struct stat st;		/* certs.yaml when answered */
	time_t made;
} kept[CASERVE_OCSP_CACHE_N];
static size_t kept_next;

static int
caserve_ocsp_same_db(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The answer kept for request der, or NULL. */
static const struct caserve_ocsp_kept *
caserve_ocsp_find(const struct caserve *s, const uint8_t *der, size_t len,
    time_t now)
{
	size_t i;

	for (i = 0; i < CASERVE_OCSP_CACHE_N; i++) {
		const struct caserve_ocsp_kept *k = &kept[i];

		if (k->owner == s && k->req_len == len &&
		    now >= k->made && now - k->made < CASERVE_OCSP_CACHE_TTL &&
		    caserve_ocsp_same_db(&k->st, &s->rd_st) &&
		    memcmp(k->req, der, len) == 0)
			return k;
	}
	return NULL;
}

/* Keeps resp as the answer to der when der carries no nonce. */
static void
caserve_ocsp_keep(const struct caserve *s, const uint8_t *der, size_t len,
    const uint8_t *resp, size_t rlen, time_t now)
{
	struct caserve_ocsp_kept *k;
	struct ocsp_req q;
	struct err e;

	err_clear(&e);
	memset(&q, 0, sizeof q);
	if (ocsp_req_parse(&q, der, len, &e) == -1 || q.nonce.len > 0 ||
	    q.nonce.ext_len > 0)
		return;
	k = &kept[kept_next];
	kept_next = (kept_next + 1) % CASERVE_OCSP_CACHE_N;
	free(k->req);
	free(k->resp);
	k->owner = s;
	k->req = xmalloc(len > 0 ? len : 1);
	memcpy(k->req, der, len);
	k->req_len = len;
	k->resp = xmalloc(rlen > 0 ? rlen : 1);
	memcpy(k->resp, resp, rlen);
	k->resp_len = rlen;
	k->st = s->rd_st;
	k->made = now;
}

/* Forgets what s kept (the service stops). */
void
caserve_ocsp_forget(const struct caserve *s)
{
	size_t i;

	for (i = 0; i < CASERVE_OCSP_CACHE_N; i++)
		if (kept[i].owner == s) {
			free(kept[i].req);
			free(kept[i].resp);
			memset(&kept[i], 0, sizeof kept[i]);
		}
}

static int
caserve_ocsp_lookup(void *ctx, const uint8_t *serial, size_t len,
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
	const struct caserve_ocsp_kept *k;
	struct err e, why;
	uint8_t *resp = NULL;
	size_t rlen = 0;
	time_t now = time(NULL);
	int st;

	err_clear(&e);
	err_clear(&why);
	memset(&r, 0, sizeof r);
	r.ca = &s->ca.root;
	/* The CA signs its answers, with whichever key type it has. */
	ca_signer(&s->ca, &r.by);
	r.validity = CASERVE_OCSP_VALIDITY;
	r.lookup = caserve_ocsp_lookup;
	r.ctx = s;
	if (caserve_reader(s, &e) == -1) {
		if (ocsp_resp_error(OCSP_TRY_LATER, &resp, &rlen, &e) == -1)
			return caserve_text(peer, out, 500, "internal error");
	} else if ((k = caserve_ocsp_find(s, der, len, now)) != NULL) {
		caserve_note(s, "OCSP answer kept from %lds ago",
		    (long)(now - k->made));
		return caserve_blob(peer, out, "application/ocsp-response",
		    k->resp, k->resp_len);
	} else if ((st = ocsp_respond_der(&r, der, len, (int64_t)now,
	    &resp, &rlen, &why)) < 0)
		return caserve_text(peer, out, 500, "internal error");
	else if (st != OCSP_SUCCESSFUL)
		caserve_note(s, "OCSP %s: %s", ocsp_resp_status_name(st),
		    why.msg);
	else
		caserve_ocsp_keep(s, der, len, resp, rlen, now);
	caserve_blob(peer, out, "application/ocsp-response", resp, rlen);
	free(resp);
	return HTTPSRV_ANSWERED;
}

enum httpsrv_verdict
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

enum httpsrv_verdict
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
