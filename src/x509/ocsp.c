/* ocsp.c — OCSP CertIDs, nonces, extensions and the responder; see ocsp.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/rand.h"
#include "util/xalloc.h"
#include "x509/crl.h"
#include "x509/ocsp.h"

static const char *const resp_status_names[] = {
	"successful", "malformedRequest", "internalError", "tryLater", NULL,
	"sigRequired", "unauthorized",
};

const char *
ocsp_resp_status_name(int s)
{
	static char other[32];

	if (s >= 0 && (size_t)s < sizeof resp_status_names /
	    sizeof resp_status_names[0] && resp_status_names[s] != NULL)
		return resp_status_names[s];
	snprintf(other, sizeof other, "status %d", s);
	return other;
}

const char *
ocsp_cert_status_name(int s)
{
	static const char *const names[] = {
		[OCSP_GOOD] = "good",
		[OCSP_REVOKED] = "revoked",
		[OCSP_UNKNOWN] = "unknown",
	};

	return s >= 0 && (size_t)s < sizeof names / sizeof names[0] ?
	    names[s] : "unknown";
}

/* ---- CertID ---- */

static const struct {
	enum oid_id oid;
	enum hash_alg hash;
} certid_hashes[] = {
	{ OID_SHA1, HASH_SHA1 },
	{ OID_SHA256, HASH_SHA256 },
	{ OID_SHA384, HASH_SHA384 },
	{ OID_SHA512, HASH_SHA512 },
};
#define NHASHES (sizeof certid_hashes / sizeof certid_hashes[0])

/* The hash of the issuer's name and of its subjectPublicKey bits (RFC 6960
 * 4.1.1: the BIT STRING's value without tag, length and unused-bits byte,
 * as OpenSSL hashes it). */
static int
issuer_hashes(const struct cert *issuer, enum hash_alg h, uint8_t *name,
    uint8_t *key, struct err *e)
{
	struct der d, spki;
	struct der_tlv alg;
	const uint8_t *bits;
	size_t nbits;
	unsigned unused;

	if (hash_size(h) == 0)
		return err_set(e, ERR_USAGE, "CertID: unsupported hash");
	der_init(&d, issuer->spki, issuer->spki_len, e);
	if (der_enter(&d, DER_SEQUENCE, "SubjectPublicKeyInfo", &spki) == -1 ||
	    der_get(&spki, DER_SEQUENCE, "algorithm", &alg) == -1 ||
	    der_get_bits(&spki, "subjectPublicKey", &bits, &nbits,
	    &unused) == -1)
		return -1;
	hash_digest(h, issuer->subject.der, issuer->subject.derlen, name);
	hash_digest(h, bits, nbits, key);
	return 0;
}

int
ocsp_certid_make(struct ocsp_certid *id, const struct cert *issuer,
    const uint8_t *serial, size_t serial_len, enum hash_alg h, struct err *e)
{
	memset(id, 0, sizeof *id);
	if (serial_len == 0 || serial_len > CERT_MAX_SERIAL)
		return err_set(e, ERR_USAGE, "CertID: serial of %zu bytes "
		    "(1 to %d)", serial_len, CERT_MAX_SERIAL);
	if (issuer_hashes(issuer, h, id->name_hash, id->key_hash, e) == -1)
		return -1;
	id->hash = h;
	memcpy(id->serial, serial, serial_len);
	id->serial_len = serial_len;
	return 0;
}

int
ocsp_certid_issuer_is(const struct ocsp_certid *id, const struct cert *issuer)
{
	uint8_t name[HASH_MAX_SIZE], key[HASH_MAX_SIZE];
	size_t n = hash_size(id->hash);

	if (issuer_hashes(issuer, id->hash, name, key, NULL) == -1)
		return 0;
	return memcmp(name, id->name_hash, n) == 0 &&
	    memcmp(key, id->key_hash, n) == 0;
}

/* INTEGER contents without the sign byte of a positive number. */
static void
int_strip(const uint8_t **p, size_t *n)
{
	if (*n > 1 && (*p)[0] == 0) {
		(*p)++;
		(*n)--;
	}
}

int
ocsp_certid_equal(const struct ocsp_certid *a, const struct ocsp_certid *b)
{
	const uint8_t *sa = a->serial, *sb = b->serial;
	size_t na = a->serial_len, nb = b->serial_len, n;

	if (a->hash != b->hash || (n = hash_size(a->hash)) == 0)
		return 0;
	int_strip(&sa, &na);
	int_strip(&sb, &nb);
	return memcmp(a->name_hash, b->name_hash, n) == 0 &&
	    memcmp(a->key_hash, b->key_hash, n) == 0 &&
	    na == nb && memcmp(sa, sb, na) == 0;
}

int
ocsp_certid_parse(struct der *d, struct ocsp_certid *id)
{
	struct der seq, alg;
	struct der_tlv oid, t;
	char name[80];
	size_t i, n;

	memset(id, 0, sizeof *id);
	if (der_enter(d, DER_SEQUENCE, "CertID", &seq) == -1 ||
	    der_enter(&seq, DER_SEQUENCE, "hashAlgorithm", &alg) == -1 ||
	    der_get_oid(&alg, "hashAlgorithm", &oid) == -1)
		return -1;
	for (i = 0; i < NHASHES; i++)
		if (oid_find(oid.val, oid.len) == certid_hashes[i].oid)
			break;
	if (i == NHASHES) {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&alg, oid.off, "unsupported CertID hash "
		    "algorithm %s", name);
	}
	id->hash = certid_hashes[i].hash;
	if (!der_more(&alg))
		id->no_params = 1;
	else if (der_get_null(&alg, "hashAlgorithm parameters") == -1)
		return -1;
	if (der_finish(&alg, "hashAlgorithm") == -1)
		return -1;
	n = hash_size(id->hash);
	if (der_get(&seq, DER_OCTET_STRING, "issuerNameHash", &t) == -1)
		return -1;
	if (t.len != n)
		return der_fail(&seq, t.off, "issuerNameHash of %zu bytes "
		    "(%s gives %zu)", t.len, hash_name(id->hash), n);
	memcpy(id->name_hash, t.val, n);
	if (der_get(&seq, DER_OCTET_STRING, "issuerKeyHash", &t) == -1)
		return -1;
	if (t.len != n)
		return der_fail(&seq, t.off, "issuerKeyHash of %zu bytes "
		    "(%s gives %zu)", t.len, hash_name(id->hash), n);
	memcpy(id->key_hash, t.val, n);
	if (der_get_int(&seq, "serialNumber", &t) == -1)
		return -1;
	if (t.len > CERT_MAX_SERIAL)
		return der_fail(&seq, t.off, "serial number of %zu bytes "
		    "(at most %d)", t.len, CERT_MAX_SERIAL);
	memcpy(id->serial, t.val, t.len);
	id->serial_len = t.len;
	return der_finish(&seq, "CertID");
}

void
ocsp_certid_encode(struct derw *w, const struct ocsp_certid *id)
{
	size_t i, n = hash_size(id->hash);

	for (i = 0; i < NHASHES; i++)
		if (certid_hashes[i].hash == id->hash)
			break;
	if (i == NHASHES || id->serial_len == 0 ||
	    id->serial_len > CERT_MAX_SERIAL) {
		derw_fail(w, "CertID: unsupported hash or bad serial");
		return;
	}
	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, certid_hashes[i].oid);
	if (!id->no_params)
		derw_null(w);
	derw_end(w);
	derw_tlv(w, DER_OCTET_STRING, id->name_hash, n);
	derw_tlv(w, DER_OCTET_STRING, id->key_hash, n);
	/* The serial's INTEGER contents as read: a negative one echoes too. */
	derw_tlv(w, DER_INTEGER, id->serial, id->serial_len);
	derw_end(w);
}

/* ---- nonce and extensions ---- */

void
ocsp_nonce_random(struct ocsp_nonce *n)
{
	memset(n, 0, sizeof *n);
	rand_bytes(n->val, OCSP_NONCE_LEN);
	n->len = OCSP_NONCE_LEN;
	n->ext[0] = DER_OCTET_STRING;
	n->ext[1] = OCSP_NONCE_LEN;
	memcpy(n->ext + 2, n->val, OCSP_NONCE_LEN);
	n->ext_len = OCSP_NONCE_LEN + 2;
}

int
ocsp_nonce_set(struct der *at, const struct der_tlv *t, struct ocsp_nonce *n)
{
	struct der in;
	struct der_tlv v;
	const uint8_t *p = t->val;
	size_t len = t->len;

	memset(n, 0, sizeof *n);
	/* OpenSSL's and RFC 8954's form: an OCTET STRING in extnValue. Its
	 * errors are not reported: other contents are a raw nonce. */
	der_init(&in, t->val, t->len, NULL);
	if (der_peek(&in) == DER_OCTET_STRING && der_next(&in, &v) == 0 &&
	    !der_more(&in)) {
		p = v.val;
		len = v.len;
	}
	if (len == 0 || len > OCSP_NONCE_MAX)
		return der_fail(at, t->off, "nonce of %zu bytes (1 to %d "
		    "allowed)", len, OCSP_NONCE_MAX);
	memcpy(n->val, p, len);
	n->len = len;
	memcpy(n->ext, t->val, t->len);	/* t->len <= len + 2 */
	n->ext_len = t->len;
	return 0;
}

int
ocsp_exts_parse(struct der *list, const char *what, struct ocsp_nonce *nonce)
{
	struct der ext;
	struct der_tlv oid, t;
	char name[80];
	int critical, seen = 0;

	if (!der_more(list))
		return der_fail(list, list->pos, "empty %s", what);
	while (der_more(list)) {
		critical = 0;
		if (der_enter(list, DER_SEQUENCE, "Extension", &ext) == -1 ||
		    der_get_oid(&ext, "extnID", &oid) == -1)
			return -1;
		if (der_peek(&ext) == DER_BOOLEAN) {
			if (der_get_bool(&ext, "critical", &critical) == -1)
				return -1;
			if (!critical)
				return der_fail(&ext, ext.pos, "critical FALSE "
				    "is encoded (DER omits the default)");
		}
		if (der_get(&ext, DER_OCTET_STRING, "extnValue", &t) == -1 ||
		    der_finish(&ext, "Extension") == -1)
			return -1;
		if (oid_find(oid.val, oid.len) == OID_PKIX_OCSP_NONCE &&
		    nonce != NULL) {
			if (seen++)
				return der_fail(list, oid.off, "nonce "
				    "extension appears twice");
			if (ocsp_nonce_set(list, &t, nonce) == -1)
				return -1;
		} else if (critical) {
			oid_to_text(oid.val, oid.len, name, sizeof name);
			return der_fail(list, oid.off, "unsupported critical "
			    "extension %s in %s", name, what);
		}
	}
	return 0;
}

int
ocsp_exts_in(struct der *outer, const struct der_tlv *t, const char *what,
    struct ocsp_nonce *nonce)
{
	struct der wrap, list;

	der_sub(outer, t, &wrap);
	if (der_enter(&wrap, DER_SEQUENCE, what, &list) == -1 ||
	    ocsp_exts_parse(&list, what, nonce) == -1)
		return -1;
	return der_finish(&wrap, what);
}

/* ---- responder ---- */

static int
respond_error(enum ocsp_resp_status s, uint8_t **der, size_t *len)
{
	return ocsp_resp_error(s, der, len, NULL) == -1 ? -1 : (int)s;
}

int
ocsp_respond(const struct ocsp_responder *r, const struct ocsp_req *req,
    int64_t now, uint8_t **der, size_t *len, struct err *why)
{
	struct ocsp_single v[OCSP_MAX_REQUESTS];
	struct ocsp_resp_template t;
	struct ocsp_answer a;
	char *name;
	size_t i, ours = 0;

	*der = NULL;
	*len = 0;
	err_clear(why);
	if (req->n == 0 || req->n > OCSP_MAX_REQUESTS) {
		err_set(why, ERR_INPUT, "request with %zu CertIDs", req->n);
		return respond_error(OCSP_MALFORMED_REQUEST, der, len);
	}
	memset(v, 0, sizeof v);
	for (i = 0; i < req->n; i++) {
		v[i].id = req->ids[i];
		v[i].reason = CRL_REASON_NONE;
		v[i].this_update = now;
		if (r->validity > 0) {
			v[i].has_next_update = 1;
			v[i].next_update = now + r->validity;
		}
		/* Not our issuer: "unknown" (RFC 6960 2.2). */
		v[i].status = OCSP_UNKNOWN;
		if (!ocsp_certid_issuer_is(&req->ids[i], r->ca))
			continue;
		ours++;
		memset(&a, 0, sizeof a);
		a.reason = CRL_REASON_NONE;
		if (r->lookup(r->ctx, req->ids[i].serial,
		    req->ids[i].serial_len, &a) == -1) {
			err_set(why, ERR_IO, "status lookup failed");
			return respond_error(OCSP_INTERNAL_ERROR, der, len);
		}
		v[i].status = a.status;
		if (a.status == OCSP_REVOKED) {
			v[i].revoked_at = a.revoked_at;
			v[i].reason = a.reason;
		}
	}
	if (ours == 0) {
		name = dn_to_string(&r->ca->subject);
		err_set(why, ERR_REFUSED, "no CertID names this CA (%s)",
		    name);
		free(name);
		return respond_error(OCSP_UNAUTHORIZED, der, len);
	}
	memset(&t, 0, sizeof t);
	t.signer = r->signer != NULL ? r->signer : r->ca;
	t.by = r->by;
	t.certs = r->certs;
	t.produced_at = now;
	t.v = v;
	t.n = req->n;
	t.nonce = &req->nonce;
	if (ocsp_resp_build(&t, der, len, why) == -1)
		return respond_error(OCSP_INTERNAL_ERROR, der, len);
	return OCSP_SUCCESSFUL;
}

int
ocsp_respond_der(const struct ocsp_responder *r, const uint8_t *reqder,
    size_t req_len, int64_t now, uint8_t **der, size_t *len, struct err *why)
{
	struct ocsp_req *req = xmalloc(sizeof *req);
	int rc;

	*der = NULL;
	*len = 0;
	if (ocsp_req_parse(req, reqder, req_len, why) == -1)
		rc = respond_error(OCSP_MALFORMED_REQUEST, der, len);
	else
		rc = ocsp_respond(r, req, now, der, len, why);
	free(req);
	return rc;
}
