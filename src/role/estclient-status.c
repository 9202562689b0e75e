/* estclient-status.c — OCSP (RFC 6960) over HTTP: POST /ocsp with a
 * nonce, the response parsed and checked; see estclient.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "role/estclient.h"

/* thisUpdate/nextUpdate: clocks may differ this much. */
#define ESTCLIENT_OCSP_SKEW 300
/* A response without nextUpdate is fresh this long after thisUpdate. */
#define ESTCLIENT_OCSP_MAX_AGE (24 * 3600)

int
estclient_status(struct estclient_conn *c, const struct cert *cert,
    const struct cert *issuer, int64_t now, struct ocsp_result *res,
    struct verify_result *steps, struct err *e)
{
	struct ocsp_certid id;
	struct ocsp_nonce nonce;
	struct ocsp_check_params p;
	struct ocsp_resp resp;
	struct httpcli_req q;
	const struct httpcli_resp *r = &c->http.resp;
	const char *ct;
	uint8_t *der = NULL;
	size_t len;
	int rc = -1;

	ocsp_resp_init(&resp);
	if (ocsp_certid_make(&id, issuer, cert->serial, cert->serial_len,
	    HASH_SHA1, e) == -1)
		goto out;
	ocsp_nonce_random(&nonce);
	if (ocsp_req_build(&id, 1, &nonce, &der, &len, e) == -1)
		goto out;
	memset(&q, 0, sizeof q);
	q.method = "POST";
	q.target = "/ocsp";
	q.host = c->t->host;
	q.content_type = "application/ocsp-request";
	q.body = der;
	q.body_len = len;
	if (estclient_exchange(c, &q, e) == -1)
		goto out;
	if (r->status != 200) {
		estclient_http_fail(r, "the OCSP responder answered", e);
		goto out;
	}
	ct = r->hdr[HTTPCLI_H_CONTENT_TYPE];
	if (ct == NULL || strncasecmp(ct, "application/ocsp-response", 25)
	    != 0) {
		err_set(e, ERR_INPUT, "the OCSP responder answered with "
		    "Content-Type %.64s, not application/ocsp-response",
		    ct != NULL ? ct : "(none)");
		goto out;
	}
	if (ocsp_resp_parse(&resp, r->body, r->body_len, e) == -1) {
		err_wrap(e, "OCSP response");
		goto out;
	}
	memset(&p, 0, sizeof p);
	p.issuer = issuer;
	p.id = &id;
	p.nonce = &nonce;
	p.now = now;
	p.skew = ESTCLIENT_OCSP_SKEW;
	p.max_age = ESTCLIENT_OCSP_MAX_AGE;
	rc = ocsp_resp_check(&resp, &p, res, steps, e);
out:
	free(der);
	ocsp_resp_clear(&resp);
	return rc;
}
