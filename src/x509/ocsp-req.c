/* ocsp-req.c — OCSPRequest: read what clients send, write ours; see ocsp.h. */
#include <stdlib.h>
#include <string.h>

#include "x509/ocsp.h"

/* [0] EXPLICIT version DEFAULT v1: only v1. */
static int
version_v1(struct der *outer, const struct der_tlv *t)
{
	struct der v;
	long n;

	der_sub(outer, t, &v);
	if (der_get_small(&v, "version", 255, &n) == -1)
		return -1;
	if (n != 0)
		return der_fail(&v, t->off, "unsupported version %ld (only "
		    "v1)", n + 1);
	return der_finish(&v, "version");
}

/* Signature ::= SEQUENCE { signatureAlgorithm AlgorithmIdentifier,
 *     signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate
 *     OPTIONAL }: checked for shape, not verified. */
static int
skip_signature(struct der *outer, const struct der_tlv *t)
{
	struct der wrap, sig, alg, list, certs;
	struct der_tlv x;
	const uint8_t *bits;
	size_t nbits;
	unsigned unused;
	int r;

	der_sub(outer, t, &wrap);
	if (der_enter(&wrap, DER_SEQUENCE, "Signature", &sig) == -1 ||
	    der_enter(&sig, DER_SEQUENCE, "signatureAlgorithm", &alg) == -1 ||
	    der_get_oid(&alg, "signatureAlgorithm", &x) == -1)
		return -1;
	if (der_more(&alg) && der_next(&alg, &x) == -1)
		return -1;
	if (der_finish(&alg, "signatureAlgorithm") == -1 ||
	    der_get_bits(&sig, "signature", &bits, &nbits, &unused) == -1)
		return -1;
	if ((r = der_opt(&sig, DER_CTX_CONS(0), "certs", &x)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&sig, &x, &certs);
		if (der_enter(&certs, DER_SEQUENCE, "certs", &list) == -1)
			return -1;
		while (der_more(&list))
			if (der_get(&list, DER_SEQUENCE, "Certificate",
			    &x) == -1)
				return -1;
		if (der_finish(&certs, "certs") == -1)
			return -1;
	}
	return der_finish(&sig, "Signature") == -1 ||
	    der_finish(&wrap, "optionalSignature") == -1 ? -1 : 0;
}

/* Request ::= SEQUENCE { reqCert CertID,
 *     singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL } */
static int
parse_list(struct ocsp_req *r, struct der *list)
{
	struct der item;
	struct der_tlv t;
	int rc;

	if (!der_more(list))
		return der_fail(list, list->pos, "empty requestList");
	while (der_more(list)) {
		if (r->n == OCSP_MAX_REQUESTS)
			return der_fail(list, list->pos, "more than %d "
			    "requests", OCSP_MAX_REQUESTS);
		if (der_enter(list, DER_SEQUENCE, "Request", &item) == -1 ||
		    ocsp_certid_parse(&item, &r->ids[r->n]) == -1)
			return -1;
		if ((rc = der_opt(&item, DER_CTX_CONS(0),
		    "singleRequestExtensions", &t)) == -1)
			return -1;
		if (rc == 1 && ocsp_exts_in(&item, &t, "singleRequestExtensions",
		    NULL) == -1)
			return -1;
		if (der_finish(&item, "Request") == -1)
			return -1;
		r->n++;
	}
	return 0;
}

int
ocsp_req_parse(struct ocsp_req *r, const uint8_t *der, size_t len,
    struct err *e)
{
	struct der d, top, tbs, list;
	struct der_tlv t;
	int rc;

	memset(r, 0, sizeof *r);
	if (len > OCSP_MAX_SIZE)
		return err_set(e, ERR_INPUT, "OCSP request of %zu bytes (at "
		    "most %d)", len, OCSP_MAX_SIZE);
	der_init(&d, der, len, e);
	if (der_enter(&d, DER_SEQUENCE, "OCSPRequest", &top) == -1 ||
	    der_finish(&d, "OCSP request") == -1 ||
	    der_enter(&top, DER_SEQUENCE, "TBSRequest", &tbs) == -1)
		goto fail;
	if ((rc = der_opt(&tbs, DER_CTX_CONS(0), "version", &t)) == -1 ||
	    (rc == 1 && version_v1(&tbs, &t) == -1))
		goto fail;
	if ((rc = der_opt(&tbs, DER_CTX_CONS(1), "requestorName", &t)) == -1)
		goto fail;
	r->has_requestor = rc;
	if (der_enter(&tbs, DER_SEQUENCE, "requestList", &list) == -1 ||
	    parse_list(r, &list) == -1)
		goto fail;
	if ((rc = der_opt(&tbs, DER_CTX_CONS(2), "requestExtensions",
	    &t)) == -1 || (rc == 1 && ocsp_exts_in(&tbs, &t, "requestExtensions",
	    &r->nonce) == -1))
		goto fail;
	if (der_finish(&tbs, "TBSRequest") == -1)
		goto fail;
	if ((rc = der_opt(&top, DER_CTX_CONS(0), "optionalSignature",
	    &t)) == -1 || (rc == 1 && skip_signature(&top, &t) == -1))
		goto fail;
	r->is_signed = rc;
	if (der_finish(&top, "OCSPRequest") == -1)
		goto fail;
	return 0;
fail:
	memset(r, 0, sizeof *r);
	return -1;
}

struct req_arg {
	const struct ocsp_certid *ids;
	size_t n;
	const struct ocsp_nonce *nonce;
};

/* OCSPRequest ::= SEQUENCE { tbsRequest SEQUENCE { requestList SEQUENCE
 *     OF SEQUENCE { CertID }, requestExtensions [2] EXPLICIT SEQUENCE {
 *     SEQUENCE { id-pkix-ocsp-nonce, OCTET STRING { nonce } } } } } */
static void
encode_req(struct derw *w, const void *arg)
{
	const struct req_arg *a = arg;
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	for (i = 0; i < a->n; i++) {
		derw_begin(w, DER_SEQUENCE);
		ocsp_certid_encode(w, &a->ids[i]);
		derw_end(w);
	}
	derw_end(w);
	if (a->nonce != NULL && a->nonce->ext_len > 0) {
		derw_begin(w, DER_CTX_CONS(2));
		derw_begin(w, DER_SEQUENCE);
		derw_begin(w, DER_SEQUENCE);
		derw_oid(w, OID_PKIX_OCSP_NONCE);
		derw_tlv(w, DER_OCTET_STRING, a->nonce->ext,
		    a->nonce->ext_len);
		derw_end(w);
		derw_end(w);
		derw_end(w);
	}
	derw_end(w);
	derw_end(w);
}

int
ocsp_req_build(const struct ocsp_certid *ids, size_t n,
    const struct ocsp_nonce *nonce, uint8_t **der, size_t *len,
    struct err *e)
{
	struct req_arg a;

	*der = NULL;
	*len = 0;
	if (n == 0 || n > OCSP_MAX_REQUESTS)
		return err_set(e, ERR_USAGE, "an OCSP request holds 1 to %d "
		    "CertIDs, not %zu", OCSP_MAX_REQUESTS, n);
	a.ids = ids;
	a.n = n;
	a.nonce = nonce;
	if ((*der = der_encode(encode_req, &a, len, e)) == NULL)
		return -1;
	return 0;
}
