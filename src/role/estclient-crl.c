/* estclient-crl.c — the CRL by HTTP GET, its signature checked with the
 * anchor that issued it; see estclient.h. */
#include <stdlib.h>
#include <string.h>

#include "role/estclient.h"

int
estclient_crl(struct estclient_conn *c, const struct cert_list *anchors,
    struct crl *crl, const struct cert **signer, struct err *e)
{
	struct httpcli_req q;
	const struct httpcli_resp *r = &c->http.resp;
	struct err se;
	char *s;
	size_t i;
	int named = 0;

	memset(&q, 0, sizeof q);
	q.method = "GET";
	q.target = "/crl";
	q.host = c->t->host;
	if (estclient_exchange(c, &q, e) == -1)
		return -1;
	if (r->status != 200)
		return estclient_http_fail(r, "GET /crl", e);
	/* DER as the service sends it (application/pkix-crl); PEM taken
	 * too, as a file server may hold either. */
	if (crl_load(crl, r->body, r->body_len, e) == -1)
		return err_wrap(e, "the CRL");
	err_clear(&se);
	for (i = 0; i < anchors->n; i++) {
		if (!dn_equal(&anchors->v[i].subject, &crl->issuer))
			continue;
		named = 1;
		if (crl_check_signature(crl, &anchors->v[i], &se)) {
			*signer = &anchors->v[i];
			return 0;
		}
	}
	s = dn_to_string(&crl->issuer);
	if (named)
		err_set(e, ERR_REFUSED, "the CRL's signature does not verify "
		    "with the key of '%s'", s);
	else
		err_set(e, ERR_REFUSED, "the CRL is issued by '%s', which is "
		    "not an --anchor certificate", s);
	free(s);
	return -1;
}
