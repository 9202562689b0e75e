/* ocsp-resp.c — OCSPResponse: write and sign ours, read and check a
 * responder's; see ocsp.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "x509/crl.h"
#include "x509/ocsp.h"
#include "x509/text.h"

/* ---- writing ---- */

/* GeneralizedTime YYYYMMDDHHMMSSZ: OCSP's times are never UTCTime. */
static void
gentime(struct derw *w, int64_t t)
{
	int64_t days = t / 86400, secs = t % 86400, y;
	unsigned m, d;
	char s[32];

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	der_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		derw_fail(w, "time out of range");
		return;
	}
	snprintf(s, sizeof s, "%04d%02u%02u%02d%02d%02dZ", (int)y, m, d,
	    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	derw_tlv(w, DER_GENERALIZEDTIME, s, 15);
}

/* Extensions holding the nonce alone. */
static void
nonce_exts(struct derw *w, const struct ocsp_nonce *n)
{
	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKIX_OCSP_NONCE);
	derw_tlv(w, DER_OCTET_STRING, n->ext, n->ext_len);
	derw_end(w);
	derw_end(w);
}

/* SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate,
 *     nextUpdate [0] EXPLICIT OPTIONAL } */
static void
encode_single(struct derw *w, const struct ocsp_single *s)
{
	uint8_t reason;

	derw_begin(w, DER_SEQUENCE);
	ocsp_certid_encode(w, &s->id);
	switch (s->status) {
	case OCSP_GOOD:
		derw_tlv(w, DER_CTX(0), "", 0);
		break;
	case OCSP_REVOKED:
		derw_begin(w, DER_CTX_CONS(1));
		gentime(w, s->revoked_at);
		if (s->reason != CRL_REASON_NONE) {
			reason = (uint8_t)s->reason;
			derw_begin(w, DER_CTX_CONS(0));
			derw_tlv(w, DER_ENUMERATED, &reason, 1);
			derw_end(w);
		}
		derw_end(w);
		break;
	default:
		derw_tlv(w, DER_CTX(2), "", 0);
		break;
	}
	gentime(w, s->this_update);
	if (s->has_next_update) {
		derw_begin(w, DER_CTX_CONS(0));
		gentime(w, s->next_update);
		derw_end(w);
	}
	derw_end(w);
}

/* ResponseData ::= SEQUENCE { responderID [1] EXPLICIT Name (byName),
 *     producedAt, responses SEQUENCE OF SingleResponse,
 *     responseExtensions [1] EXPLICIT Extensions OPTIONAL } */
static void
encode_tbs(struct derw *w, const void *arg)
{
	const struct ocsp_resp_template *t = arg;
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_CTX_CONS(1));
	dn_encode(w, &t->signer->subject);
	derw_end(w);
	gentime(w, t->produced_at);
	derw_begin(w, DER_SEQUENCE);
	for (i = 0; i < t->n; i++)
		encode_single(w, &t->v[i]);
	derw_end(w);
	if (t->nonce != NULL && t->nonce->ext_len > 0) {
		derw_begin(w, DER_CTX_CONS(1));
		nonce_exts(w, t->nonce);
		derw_end(w);
	}
	derw_end(w);
}

struct resp_arg {
	const uint8_t *tbs;
	size_t tbs_len;
	const uint8_t *sig;
	size_t sig_len;
	const struct cert_list *certs;
	const struct cert_signer *signer;
};

/* OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED (successful),
 *     responseBytes [0] EXPLICIT SEQUENCE { id-pkix-ocsp-basic,
 *     OCTET STRING { BasicOCSPResponse ::= SEQUENCE { tbsResponseData,
 *     signatureAlgorithm, signature BIT STRING,
 *     certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL } } } } */
static void
encode_resp(struct derw *w, const void *arg)
{
	const struct resp_arg *a = arg;
	uint8_t ok = OCSP_SUCCESSFUL;
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	derw_tlv(w, DER_ENUMERATED, &ok, 1);
	derw_begin(w, DER_CTX_CONS(0));
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKIX_OCSP_BASIC);
	derw_begin(w, DER_OCTET_STRING);
	derw_begin(w, DER_SEQUENCE);
	derw_raw(w, a->tbs, a->tbs_len);
	sigalg_encode_signer(w, a->signer);
	derw_bits(w, a->sig, a->sig_len, 0);
	if (a->certs != NULL && a->certs->n > 0) {
		derw_begin(w, DER_CTX_CONS(0));
		derw_begin(w, DER_SEQUENCE);
		for (i = 0; i < a->certs->n; i++)
			derw_raw(w, a->certs->v[i].der, a->certs->v[i].len);
		derw_end(w);
		derw_end(w);
	}
	derw_end(w);
	derw_end(w);
	derw_end(w);
	derw_end(w);
	derw_end(w);
}

int
ocsp_resp_build(const struct ocsp_resp_template *t, uint8_t **der,
    size_t *len, struct err *e)
{
	struct resp_arg a;
	uint8_t *tbs = NULL, *sig = NULL;
	size_t tbs_len, i;
	const struct ocsp_single *s;
	int rc = -1;

	*der = NULL;
	*len = 0;
	if (t->signer == NULL || !cert_signer_has_private(&t->by))
		return err_set(e, ERR_USAGE, "OCSP response: signer "
		    "certificate and private key needed");
	if (t->n == 0 || t->n > OCSP_MAX_REQUESTS)
		return err_set(e, ERR_USAGE, "OCSP response: 1 to %d answers, "
		    "not %zu", OCSP_MAX_REQUESTS, t->n);
	if (t->certs != NULL && t->certs->n > OCSP_MAX_CERTS)
		return err_set(e, ERR_USAGE, "OCSP response: at most %d "
		    "certificates", OCSP_MAX_CERTS);
	for (i = 0; i < t->n; i++) {
		s = &t->v[i];
		if (s->status == OCSP_REVOKED && s->reason !=
		    CRL_REASON_NONE && (s->reason < 0 || s->reason > 10 ||
		    s->reason == 7))
			return err_set(e, ERR_USAGE, "OCSP response: answer "
			    "%zu: reason %d is not a CRLReason", i + 1,
			    s->reason);
		if (s->has_next_update && s->next_update <= s->this_update)
			return err_set(e, ERR_USAGE, "OCSP response: answer "
			    "%zu: nextUpdate must be after thisUpdate", i + 1);
	}
	if ((tbs = der_encode(encode_tbs, t, &tbs_len, e)) == NULL)
		goto out;
	if (cert_signer_sign(&t->by, tbs, tbs_len, &sig, &a.sig_len, e) == -1)
		goto out;
	a.tbs = tbs;
	a.tbs_len = tbs_len;
	a.sig = sig;
	a.certs = t->certs;
	a.signer = &t->by;
	if ((*der = der_encode(encode_resp, &a, len, e)) == NULL)
		goto out;
	rc = 0;
out:
	free(tbs);
	free(sig);
	return rc;
}

static void
encode_error(struct derw *w, const void *arg)
{
	derw_begin(w, DER_SEQUENCE);
	derw_tlv(w, DER_ENUMERATED, arg, 1);
	derw_end(w);
}

int
ocsp_resp_error(enum ocsp_resp_status s, uint8_t **der, size_t *len,
    struct err *e)
{
	uint8_t v = (uint8_t)s;

	*der = NULL;
	*len = 0;
	if (s != OCSP_MALFORMED_REQUEST && s != OCSP_INTERNAL_ERROR &&
	    s != OCSP_TRY_LATER && s != OCSP_SIG_REQUIRED &&
	    s != OCSP_UNAUTHORIZED)
		return err_set(e, ERR_USAGE, "not an OCSP error status: %d",
		    (int)s);
	if ((*der = der_encode(encode_error, &v, len, e)) == NULL)
		return -1;
	return 0;
}

/* ---- reading ---- */

void
ocsp_resp_init(struct ocsp_resp *r)
{
	memset(r, 0, sizeof *r);
	dn_init(&r->rid_name);
	cert_list_init(&r->certs);
}

void
ocsp_resp_clear(struct ocsp_resp *r)
{
	free(r->der);
	dn_clear(&r->rid_name);
	cert_list_clear(&r->certs);
	ocsp_resp_init(r);
}

static int
get_gentime(struct der *d, const char *what, int64_t *t)
{
	struct der_tlv x;

	if (der_get(d, DER_GENERALIZEDTIME, what, &x) == -1)
		return -1;
	return der_parse_time(d, &x, t);
}

/* RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime,
 *     revocationReason [0] EXPLICIT CRLReason OPTIONAL } (IMPLICIT [1]) */
static int
parse_revoked(struct der *s, const struct der_tlv *t, struct ocsp_single *o)
{
	struct der ri, rw;
	struct der_tlv x;
	int r;

	der_sub(s, t, &ri);
	if (get_gentime(&ri, "revocationTime", &o->revoked_at) == -1 ||
	    (r = der_opt(&ri, DER_CTX_CONS(0), "revocationReason", &x)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&ri, &x, &rw);
		if (der_get(&rw, DER_ENUMERATED, "revocationReason", &x) == -1)
			return -1;
		if (x.len != 1 || x.val[0] > 10 || x.val[0] == 7)
			return der_fail(&rw, x.off, "revocationReason: not a "
			    "CRLReason value");
		o->reason = x.val[0];
		if (der_finish(&rw, "revocationReason") == -1)
			return -1;
	}
	return der_finish(&ri, "RevokedInfo");
}

static int
parse_single(struct der *list, struct ocsp_single *o)
{
	struct der s, w;
	struct der_tlv t;
	int r;

	memset(o, 0, sizeof *o);
	o->reason = CRL_REASON_NONE;
	if (der_enter(list, DER_SEQUENCE, "SingleResponse", &s) == -1 ||
	    ocsp_certid_parse(&s, &o->id) == -1)
		return -1;
	if (!der_more(&s))
		return der_fail(&s, s.pos, "missing certStatus");
	if (der_next(&s, &t) == -1)
		return -1;
	switch (t.tag) {
	case DER_CTX(0):
	case DER_CTX(2):
		if (t.len != 0)
			return der_fail(&s, t.off, "certStatus %s with "
			    "contents", t.tag == DER_CTX(0) ? "good" :
			    "unknown");
		o->status = t.tag == DER_CTX(0) ? OCSP_GOOD : OCSP_UNKNOWN;
		break;
	case DER_CTX_CONS(1):
		o->status = OCSP_REVOKED;
		if (parse_revoked(&s, &t, o) == -1)
			return -1;
		break;
	default:
		return der_fail(&s, t.off, "expected certStatus (good [0], "
		    "revoked [1] or unknown [2]), found 0x%02x", t.tag);
	}
	if (get_gentime(&s, "thisUpdate", &o->this_update) == -1 ||
	    (r = der_opt(&s, DER_CTX_CONS(0), "nextUpdate", &t)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&s, &t, &w);
		if (get_gentime(&w, "nextUpdate", &o->next_update) == -1 ||
		    der_finish(&w, "nextUpdate") == -1)
			return -1;
		o->has_next_update = 1;
	}
	if ((r = der_opt(&s, DER_CTX_CONS(1), "singleExtensions", &t)) == -1 ||
	    (r == 1 && ocsp_exts_in(&s, &t, "singleExtensions", NULL) == -1))
		return -1;
	return der_finish(&s, "SingleResponse");
}

static int
parse_rid(struct ocsp_resp *o, struct der *rd)
{
	struct der w;
	struct der_tlv t;
	int tag = der_peek(rd);

	if (tag != DER_CTX_CONS(1) && tag != DER_CTX_CONS(2))
		return der_fail(rd, rd->pos, "expected responderID (byName "
		    "[1] or byKey [2]), found %s", tag < 0 ? "the end" :
		    "another tag");
	if (der_next(rd, &t) == -1)
		return -1;
	der_sub(rd, &t, &w);
	if (tag == DER_CTX_CONS(1)) {
		if (dn_parse(&w, &o->rid_name) == -1)
			return -1;
	} else {
		o->rid_by_key = 1;
		if (der_get(&w, DER_OCTET_STRING, "byKey", &t) == -1)
			return -1;
		if (t.len != sizeof o->rid_key)
			return der_fail(&w, t.off, "byKey of %zu bytes (a "
			    "SHA-1 hash has 20)", t.len);
		memcpy(o->rid_key, t.val, t.len);
	}
	return der_finish(&w, "responderID");
}

/* ResponseData (see ocsp.h). */
static int
parse_tbs(struct ocsp_resp *o, struct der *bo)
{
	struct der rd, v, list;
	struct der_tlv t;
	long ver;
	int r;

	if (der_get(bo, DER_SEQUENCE, "ResponseData", &t) == -1)
		return -1;
	o->tbs = bo->buf + t.off;
	o->tbs_len = t.hdrlen + t.len;
	der_sub(bo, &t, &rd);
	if ((r = der_opt(&rd, DER_CTX_CONS(0), "version", &t)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&rd, &t, &v);
		if (der_get_small(&v, "version", 255, &ver) == -1)
			return -1;
		if (ver != 0)
			return der_fail(&v, t.off, "unsupported version %ld "
			    "(only v1)", ver + 1);
		if (der_finish(&v, "version") == -1)
			return -1;
	}
	if (parse_rid(o, &rd) == -1 ||
	    get_gentime(&rd, "producedAt", &o->produced_at) == -1 ||
	    der_enter(&rd, DER_SEQUENCE, "responses", &list) == -1)
		return -1;
	if (!der_more(&list))
		return der_fail(&list, list.pos, "empty responses");
	while (der_more(&list)) {
		if (o->n == OCSP_MAX_REQUESTS)
			return der_fail(&list, list.pos, "more than %d "
			    "responses", OCSP_MAX_REQUESTS);
		if (parse_single(&list, &o->v[o->n]) == -1)
			return -1;
		o->n++;
	}
	if ((r = der_opt(&rd, DER_CTX_CONS(1), "responseExtensions",
	    &t)) == -1 || (r == 1 && ocsp_exts_in(&rd, &t, "responseExtensions",
	    &o->nonce) == -1))
		return -1;
	return der_finish(&rd, "ResponseData");
}

static int
parse_certs(struct ocsp_resp *o, struct der *bo, const struct der_tlv *t,
    struct err *e)
{
	struct der w, list;
	struct der_tlv c;

	der_sub(bo, t, &w);
	if (der_enter(&w, DER_SEQUENCE, "certs", &list) == -1)
		return -1;
	o->certs.v = xcalloc(OCSP_MAX_CERTS, sizeof *o->certs.v);
	while (der_more(&list)) {
		if (o->certs.n == OCSP_MAX_CERTS)
			return der_fail(&list, list.pos, "more than %d certs",
			    OCSP_MAX_CERTS);
		if (der_get(&list, DER_SEQUENCE, "Certificate", &c) == -1)
			return -1;
		cert_init(&o->certs.v[o->certs.n]);
		if (cert_parse(&o->certs.v[o->certs.n], list.buf + c.off,
		    c.hdrlen + c.len, e) == -1)
			return err_wrap(e, "offset 0x%zx: certs: certificate "
			    "%zu", c.off, o->certs.n + 1);
		o->certs.n++;
	}
	return der_finish(&w, "certs");
}

/* BasicOCSPResponse (see ocsp.h). */
static int
parse_basic(struct ocsp_resp *o, struct der *octets, struct err *e)
{
	struct der bo;
	struct der_tlv t;
	size_t nbits;
	unsigned unused;
	int r;

	if (der_enter(octets, DER_SEQUENCE, "BasicOCSPResponse", &bo) == -1 ||
	    der_finish(octets, "response") == -1 ||
	    parse_tbs(o, &bo) == -1 ||
	    sigalg_parse(&bo, &o->sigalg) == -1 ||
	    der_get_bits(&bo, "signature", &o->sig, &nbits, &unused) == -1)
		return -1;
	/* Bits left over never make an RSA signature: it will not verify. */
	o->sig_len = unused != 0 ? 0 : nbits;
	if ((r = der_opt(&bo, DER_CTX_CONS(0), "certs", &t)) == -1 ||
	    (r == 1 && parse_certs(o, &bo, &t, e) == -1))
		return -1;
	return der_finish(&bo, "BasicOCSPResponse");
}

int
ocsp_resp_parse(struct ocsp_resp *o, const uint8_t *der, size_t len,
    struct err *e)
{
	struct der d, top, rb, octets;
	struct der_tlv t;
	char name[80];
	int r;

	ocsp_resp_clear(o);
	if (len > OCSP_MAX_SIZE)
		return err_set(e, ERR_INPUT, "OCSP response of %zu bytes (at "
		    "most %d)", len, OCSP_MAX_SIZE);
	o->der = xmalloc(len > 0 ? len : 1);
	if (len > 0)
		memcpy(o->der, der, len);
	o->len = len;
	der_init(&d, o->der, len, e);
	if (der_enter(&d, DER_SEQUENCE, "OCSPResponse", &top) == -1 ||
	    der_finish(&d, "OCSP response") == -1 ||
	    der_get(&top, DER_ENUMERATED, "responseStatus", &t) == -1)
		goto fail;
	if (t.len != 1 || t.val[0] > OCSP_UNAUTHORIZED || t.val[0] == 4) {
		der_fail(&top, t.off, "responseStatus: not an "
		    "OCSPResponseStatus value");
		goto fail;
	}
	o->status = t.val[0];
	if ((r = der_opt(&top, DER_CTX_CONS(0), "responseBytes", &t)) == -1)
		goto fail;
	if (o->status != OCSP_SUCCESSFUL) {
		if (r == 1) {
			der_fail(&top, t.off, "responseBytes in a %s "
			    "response", ocsp_resp_status_name(o->status));
			goto fail;
		}
	} else {
		if (r == 0) {
			der_fail(&top, top.pos, "successful response without "
			    "responseBytes");
			goto fail;
		}
		der_sub(&top, &t, &octets);
		if (der_enter(&octets, DER_SEQUENCE, "ResponseBytes",
		    &rb) == -1 || der_finish(&octets, "responseBytes") == -1 ||
		    der_get_oid(&rb, "responseType", &t) == -1)
			goto fail;
		if (oid_find(t.val, t.len) != OID_PKIX_OCSP_BASIC) {
			oid_to_text(t.val, t.len, name, sizeof name);
			der_fail(&rb, t.off, "unsupported responseType %s",
			    name);
			goto fail;
		}
		if (der_get(&rb, DER_OCTET_STRING, "response", &t) == -1)
			goto fail;
		der_sub(&rb, &t, &octets);
		if (parse_basic(o, &octets, e) == -1 ||
		    der_finish(&rb, "ResponseBytes") == -1)
			goto fail;
	}
	if (der_finish(&top, "OCSPResponse") == -1)
		goto fail;
	return 0;
fail:
	ocsp_resp_clear(o);
	return -1;
}

/* ---- checking ---- */

/* Nonzero when the responderID names c (by name, or by its key hash). */
static int
rid_is(const struct ocsp_resp *o, const struct cert *c)
{
	struct ocsp_certid id;
	static const uint8_t one = 1;

	if (!o->rid_by_key)
		return dn_equal(&o->rid_name, &c->subject);
	/* byKey is SHA-1 of the key bits, as a SHA-1 CertID hashes them. */
	if (ocsp_certid_make(&id, c, &one, 1, HASH_SHA1, NULL) == -1)
		return 0;
	return memcmp(id.key_hash, o->rid_key, 20) == 0;
}

/* A delegated responder certificate: issued by the CA, id-kp-OCSPSigning,
 * valid at now. Adds its steps; returns the certificate or NULL. */
static const struct cert *
find_delegate(const struct ocsp_resp *o, const struct ocsp_check_params *p,
    struct verify_result *st)
{
	const struct cert *c;
	struct err e;
	char tb[32], *ca;
	size_t i, k;

	for (i = 0; i < o->certs.n; i++) {
		c = &o->certs.v[i];
		if (!rid_is(o, c))
			continue;
		if (!dn_equal(&c->issuer, &p->issuer->subject) ||
		    !cert_check_signature(c, p->issuer, &e)) {
			ca = dn_quoted(&p->issuer->subject);
			verify_step_add(st, VERIFY_NO_ISSUER, dn_quoted(&c->subject),
			    "delegated responder not issued by the CA %s", ca);
			free(ca);
			return NULL;
		}
		for (k = 0; k < c->ext.neku; k++)
			if (c->ext.eku[k] == OID_KP_OCSP_SIGNING)
				break;
		if (!c->ext.has_eku || k == c->ext.neku) {
			verify_step_add(st, VERIFY_EKU, dn_quoted(&c->subject),
			    "delegated responder without id-kp-OCSPSigning");
			return NULL;
		}
		if (p->now < c->not_before) {
			text_time(c->not_before, tb);
			verify_step_add(st, VERIFY_NOT_YET_VALID,
			    dn_quoted(&c->subject), "delegated responder not "
			    "valid before %s", tb);
			return NULL;
		}
		if (p->now > c->not_after) {
			text_time(c->not_after, tb);
			verify_step_add(st, VERIFY_EXPIRED, dn_quoted(&c->subject),
			    "delegated responder expired on %s", tb);
			return NULL;
		}
		verify_step_add(st, VERIFY_OK, dn_quoted(&c->subject),
		    "delegated responder issued by the CA, with "
		    "id-kp-OCSPSigning, valid now");
		return c;
	}
	verify_step_add(st, VERIFY_NO_ISSUER, xstrdup("responder"),
	    "responderID names neither the CA nor a certificate in the "
	    "response");
	return NULL;
}

int
ocsp_resp_check(const struct ocsp_resp *o, const struct ocsp_check_params *p,
    struct ocsp_result *out, struct verify_result *st, struct err *e)
{
	const struct ocsp_single *s = NULL;
	const struct cert *signer;
	struct err se;
	char serial[3 * CERT_MAX_SERIAL + 1], tb[32];
	size_t i;

	verify_result_clear(st);
	memset(out, 0, sizeof *out);
	out->status = OCSP_UNKNOWN;	/* what a caller sees on a failure */
	out->reason = CRL_REASON_NONE;
	if (o->status != OCSP_SUCCESSFUL) {
		verify_step_add(st, VERIFY_MALFORMED, xstrdup("response "
		    "status"), "the responder answered %s",
		    ocsp_resp_status_name(o->status));
		goto out;
	}
	verify_step_add(st, VERIFY_OK, xstrdup("response status"),
	    "successful");
	if (rid_is(o, p->issuer)) {
		signer = p->issuer;
		verify_step_add(st, VERIFY_OK, xstrdup("responder"),
		    "the CA itself (%s)", o->rid_by_key ? "byKey" : "byName");
	} else if ((signer = find_delegate(o, p, st)) == NULL)
		goto out;
	else
		out->delegated = 1;
	if (!cert_issuer_verifies(signer, &o->sigalg, o->tbs, o->tbs_len,
	    o->sig, o->sig_len, &se)) {
		verify_step_add(st, VERIFY_BAD_SIGNATURE, xstrdup("signature"),
		    "%s", se.msg);
		goto out;
	}
	verify_step_add(st, VERIFY_OK, xstrdup("signature"),
	    "%s signature is good", oid_get(o->sigalg.oid)->sn);
	for (i = 0; i < o->n; i++)
		if (ocsp_certid_equal(&o->v[i].id, p->id)) {
			s = &o->v[i];
			break;
		}
	cert_serial_hex(p->id->serial, p->id->serial_len, serial,
	    sizeof serial);
	if (s == NULL) {
		verify_step_add(st, VERIFY_MALFORMED, xstrdup("CertID"),
		    "no answer for the certificate asked (serial %s)", serial);
		goto out;
	}
	verify_step_add(st, VERIFY_OK, xstrdup("CertID"), "answer for serial "
	    "%s", serial);
	if (p->nonce != NULL && p->nonce->len > 0) {
		if (o->nonce.len == 0) {
			verify_step_add(st, VERIFY_MALFORMED, xstrdup("nonce"),
			    "the response has no nonce (one was sent)");
			goto out;
		}
		if (o->nonce.len != p->nonce->len || memcmp(o->nonce.val,
		    p->nonce->val, o->nonce.len) != 0) {
			verify_step_add(st, VERIFY_MALFORMED, xstrdup("nonce"),
			    "differs from the nonce sent");
			goto out;
		}
		verify_step_add(st, VERIFY_OK, xstrdup("nonce"), "equal to "
		    "the nonce sent");
	}
	if (s->this_update > p->now + p->skew) {
		text_time(s->this_update, tb);
		verify_step_add(st, VERIFY_NOT_YET_VALID, xstrdup("freshness"),
		    "thisUpdate %s is in the future", tb);
		goto out;
	}
	if (s->has_next_update && s->next_update < p->now - p->skew) {
		text_time(s->next_update, tb);
		verify_step_add(st, VERIFY_EXPIRED, xstrdup("freshness"),
		    "stale: nextUpdate %s has passed", tb);
		goto out;
	}
	if (!s->has_next_update && p->max_age > 0 &&
	    s->this_update < p->now - p->skew - p->max_age) {
		text_time(s->this_update, tb);
		verify_step_add(st, VERIFY_EXPIRED, xstrdup("freshness"),
		    "stale: no nextUpdate and thisUpdate %s is older than "
		    "%lld s", tb, (long long)p->max_age);
		goto out;
	}
	text_time(s->this_update, tb);
	verify_step_add(st, VERIFY_OK, xstrdup("freshness"), "thisUpdate %s%s",
	    tb, s->has_next_update ? ", nextUpdate not passed" : "");
	out->status = s->status;
	out->revoked_at = s->revoked_at;
	out->reason = s->reason;
	out->this_update = s->this_update;
	out->has_next_update = s->has_next_update;
	out->next_update = s->next_update;
out:
	if (st->code != VERIFY_OK)
		return err_set(e, ERR_REFUSED, "%s", st->reason);
	return 0;
}

void
ocsp_result_text(const struct ocsp_result *r, char *out, size_t outlen)
{
	char tb[32];

	if (r->status != OCSP_REVOKED) {
		snprintf(out, outlen, "%s", ocsp_cert_status_name(r->status));
		return;
	}
	text_time(r->revoked_at, tb);
	if (r->reason == CRL_REASON_NONE)
		snprintf(out, outlen, "revoked on %s", tb);
	else
		snprintf(out, outlen, "revoked (%s) on %s",
		    crl_reason_name(r->reason), tb);
}
