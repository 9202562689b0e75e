/* caserve-ocsp.c — the CA service's OCSP endpoints (RFC 6960): POST
 * /ocsp and GET /ocsp/BASE64 (appendix A), answered from the database as
 * it is now; see caserve.h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/hex.h"
#include "net/httpdec.h"
#include "role/caservepriv.h"
#include "x509/crl.h"
#include "x509/ocsp.h"

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
	struct err e, why;
	uint8_t *resp = NULL;
	size_t rlen = 0;
	int st;

	err_clear(&e);
	err_clear(&why);
	memset(&r, 0, sizeof r);
	r.ca = &s->ca.root;
	r.key = &s->ca.key;
	r.validity = CASERVE_OCSP_VALIDITY;
	r.lookup = caserve_ocsp_lookup;
	r.ctx = s;
	if (caserve_reader(s, &e) == -1) {
		if (ocsp_resp_error(OCSP_TRY_LATER, &resp, &rlen, &e) == -1)
			return caserve_text(peer, out, 500, "internal error");
	} else if ((st = ocsp_respond_der(&r, der, len, (int64_t)time(NULL),
	    &resp, &rlen, &why)) < 0)
		return caserve_text(peer, out, 500, "internal error");
	else if (st != OCSP_SUCCESSFUL)
		caserve_note(s, "OCSP %s: %s", ocsp_resp_status_name(st),
		    why.msg);
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
