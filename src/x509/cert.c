/* cert.c — X.509 v3 certificates: parse, build, signatures; see cert.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "asn1/pem.h"
#include "crypto/hash.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/ecsig.h"
#include "x509/pkey.h"

#define CERT_LIST_MAX 1024
#define PSS_MAX_SALT 512

void
cert_init(struct cert *c)
{
	memset(c, 0, sizeof *c);
	dn_init(&c->issuer);
	dn_init(&c->subject);
	rsakey_init(&c->key);
	ec256key_init(&c->eckey);
	ext_info_init(&c->ext);
}

void
cert_clear(struct cert *c)
{
	free(c->der);
	dn_clear(&c->issuer);
	dn_clear(&c->subject);
	rsakey_clear(&c->key);
	ec256key_clear(&c->eckey);
	ext_info_clear(&c->ext);
	cert_init(c);
}

/* ---- signature algorithms ---- */

static const struct {
	enum oid_id oid;
	enum hash_alg hash;
} pkcs1_algs[] = {
	{ OID_SHA1_WITH_RSA, HASH_SHA1 },
	{ OID_SHA256_WITH_RSA, HASH_SHA256 },
	{ OID_SHA384_WITH_RSA, HASH_SHA384 },
	{ OID_SHA512_WITH_RSA, HASH_SHA512 },
};

/* HashAlgorithm ::= AlgorithmIdentifier { sha256 | sha384 | sha512,
 * parameters NULL or absent } */
static int
get_hash_alg(struct der *d, const char *what, enum hash_alg *h)
{
	struct der seq;
	struct der_tlv oid;
	char name[80];

	if (der_enter(d, DER_SEQUENCE, what, &seq) == -1 ||
	    der_get_oid(&seq, what, &oid) == -1)
		return -1;
	switch (oid_find(oid.val, oid.len)) {
	case OID_SHA256:
		*h = HASH_SHA256;
		break;
	case OID_SHA384:
		*h = HASH_SHA384;
		break;
	case OID_SHA512:
		*h = HASH_SHA512;
		break;
	default:
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&seq, oid.off, "%s: hash %s is not supported "
		    "with RSASSA-PSS", what, name);
	}
	if (der_more(&seq) && der_get_null(&seq, "hash parameters") == -1)
		return -1;
	return der_finish(&seq, what);
}

/*
 * RSASSA-PSS-params ::= SEQUENCE {
 *     hashAlgorithm [0] HashAlgorithm DEFAULT sha1,
 *     maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
 *     saltLength [2] INTEGER DEFAULT 20,
 *     trailerField [3] TrailerField DEFAULT trailerFieldBC }
 * SHA-1 is refused, so hashAlgorithm and maskGenAlgorithm must be present.
 */
static int
get_pss_params(struct der *d, struct sigalg *sa)
{
	struct der seq, h, m, mgf, s, tf;
	struct der_tlv oid;
	enum hash_alg mh;
	long v;
	int r;

	if (der_enter(d, DER_SEQUENCE, "RSASSA-PSS-params", &seq) == -1)
		return -1;
	if ((r = der_opt(&seq, DER_CTX_CONS(0), "hashAlgorithm", &oid)) == -1)
		return -1;
	if (r == 0)
		return der_fail(&seq, seq.pos, "RSASSA-PSS with SHA-1 is not "
		    "supported");
	der_sub(&seq, &oid, &h);
	if (get_hash_alg(&h, "hashAlgorithm", &sa->hash) == -1 ||
	    der_finish(&h, "hashAlgorithm") == -1)
		return -1;
	if (der_enter(&seq, DER_CTX_CONS(1), "maskGenAlgorithm", &m) == -1 ||
	    der_enter(&m, DER_SEQUENCE, "MaskGenAlgorithm", &mgf) == -1 ||
	    der_get_oid(&mgf, "mask generation function", &oid) == -1)
		return -1;
	if (oid_find(oid.val, oid.len) != OID_MGF1)
		return der_fail(&mgf, oid.off, "mask generation function is "
		    "not MGF1");
	if (get_hash_alg(&mgf, "MGF1 hash", &mh) == -1 ||
	    der_finish(&mgf, "MaskGenAlgorithm") == -1 ||
	    der_finish(&m, "maskGenAlgorithm") == -1)
		return -1;
	if (mh != sa->hash)
		return der_fail(&mgf, oid.off, "MGF1 hash differs from the "
		    "signature hash");
	sa->salt_len = 20;
	if ((r = der_opt(&seq, DER_CTX_CONS(2), "saltLength", &oid)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&seq, &oid, &s);
		if (der_get_small(&s, "saltLength", PSS_MAX_SALT, &v) == -1 ||
		    der_finish(&s, "saltLength") == -1)
			return -1;
		sa->salt_len = (size_t)v;
	}
	if ((r = der_opt(&seq, DER_CTX_CONS(3), "trailerField", &oid)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&seq, &oid, &tf);
		if (der_get_small(&tf, "trailerField", 255, &v) == -1 ||
		    der_finish(&tf, "trailerField") == -1)
			return -1;
		if (v != 1)
			return der_fail(&tf, oid.off, "trailerField %ld (must "
			    "be 1)", v);
	}
	sa->pss = 1;
	return der_finish(&seq, "RSASSA-PSS-params");
}

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
int
sigalg_parse(struct der *d, struct sigalg *sa)
{
	struct der seq;
	struct der_tlv oid;
	char name[80];
	size_t i;

	memset(sa, 0, sizeof *sa);
	if (der_enter(d, DER_SEQUENCE, "AlgorithmIdentifier", &seq) == -1 ||
	    der_get_oid(&seq, "signature algorithm", &oid) == -1)
		return -1;
	sa->oid = oid_find(oid.val, oid.len);
	for (i = 0; i < sizeof pkcs1_algs / sizeof pkcs1_algs[0]; i++)
		if (pkcs1_algs[i].oid == sa->oid) {
			sa->hash = pkcs1_algs[i].hash;
			if (der_more(&seq) &&
			    der_get_null(&seq, "signature parameters") == -1)
				return -1;
			return der_finish(&seq, "AlgorithmIdentifier");
		}
	if (sa->oid == OID_ECDSA_WITH_SHA256 || sa->oid == OID_ECDSA_WITH_SHA384) {
		/* RFC 5758 3.2: the parameters MUST be absent. */
		if (der_more(&seq))
			return der_fail(&seq, seq.pos, "%s with parameters "
			    "(RFC 5758: they must be absent)",
			    oid_get(sa->oid)->sn);
		sa->ecdsa = 1;
		sa->hash = sa->oid == OID_ECDSA_WITH_SHA256 ? HASH_SHA256 :
		    HASH_SHA384;
		return der_finish(&seq, "AlgorithmIdentifier");
	}
	if (sa->oid == OID_RSASSA_PSS) {
		if (get_pss_params(&seq, sa) == -1)
			return -1;
		return der_finish(&seq, "AlgorithmIdentifier");
	}
	oid_to_text(oid.val, oid.len, name, sizeof name);
	return der_fail(&seq, oid.off, "unsupported signature algorithm %s",
	    name);
}

int
sigalg_verify(const struct sigalg *sa, const struct rsa_public_key *pub,
    const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
    struct err *e)
{
	uint8_t digest[HASH_MAX_SIZE];

	if (hash_size(sa->hash) == 0)
		return err_set(e, ERR_REFUSED, "unsupported signature algorithm");
	if (sa->ecdsa)
		return err_set(e, ERR_REFUSED, "%s signature with an RSA key",
		    oid_get(sa->oid)->sn);
	hash_digest(sa->hash, data, len, digest);
	if (sa->pss)
		return rsakey_verify_pss(pub, sa->hash, sa->salt_len, digest,
		    sig, siglen, e);
	return rsakey_verify_pkcs1(pub, sa->hash, digest, sig, siglen, e);
}

int
sigalg_verify_ec(const struct sigalg *sa, const struct ec256key *k,
    const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
    struct err *e)
{
	uint8_t digest[HASH_MAX_SIZE];

	if (!sa->ecdsa)
		return err_set(e, ERR_REFUSED, "%s signature with a P-256 key",
		    sa->oid == OID_UNKNOWN ? "non-ECDSA" : oid_get(sa->oid)->sn);
	if (!ec256key_has_public(k))
		return err_set(e, ERR_REFUSED, "the key is on an EC curve "
		    "other than P-256");
	hash_digest(sa->hash, data, len, digest);
	return ecsig_verify(k, digest, hash_size(sa->hash), sig, siglen, e);
}

int
sigalg_sign_sha256(const struct rsakey *k, const uint8_t *data, size_t len,
    uint8_t *sig, struct err *e)
{
	uint8_t digest[32];

	hash_sha256(data, len, digest);
	return rsakey_sign_pkcs1(k, HASH_SHA256, digest, sig, e);
}

int
sigalg_parse_signed(struct der *top, size_t alg_off, size_t alg_len,
    const char *tbs_name, const char *name, struct sigalg *sa,
    const uint8_t **sig, size_t *sig_len)
{
	size_t a0 = top->pos, nbits;
	unsigned unused;

	if (sigalg_parse(top, sa) == -1)
		return -1;
	if (top->pos - a0 != alg_len ||
	    memcmp(top->buf + a0, top->buf + alg_off, alg_len) != 0)
		return der_fail(top, a0, "signatureAlgorithm differs from the "
		    "%s signature field", tbs_name);
	if (der_get_bits(top, "signatureValue", sig, &nbits, &unused) == -1)
		return -1;
	/* An RSA signature is whole octets. One with unused bits (PKITS
	 * 4.1.2) still parses, so that path validation can say why it fails:
	 * an empty signature never verifies. */
	*sig_len = unused != 0 ? 0 : nbits;
	return der_finish(top, name);
}

void
sigalg_encode_signer(struct derw *w, const struct cert_signer *s)
{
	if (s->ec != NULL) {
		derw_begin(w, DER_SEQUENCE);
		derw_oid(w, OID_ECDSA_WITH_SHA256);
		derw_end(w);
	} else
		sigalg_encode_sha256(w);
}

void
sigalg_encode_sha256(struct derw *w)
{
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_SHA256_WITH_RSA);
	derw_null(w);
	derw_end(w);
}

/* ---- parsing ---- */

/*
 * Certificate ::= SEQUENCE { tbsCertificate TBSCertificate,
 *     signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 * TBSCertificate ::= SEQUENCE {
 *     version [0] EXPLICIT Version DEFAULT v1, serialNumber INTEGER,
 *     signature AlgorithmIdentifier, issuer Name,
 *     validity SEQUENCE { notBefore Time, notAfter Time }, subject Name,
 *     subjectPublicKeyInfo, issuerUniqueID [1] IMPLICIT BIT STRING OPTIONAL,
 *     subjectUniqueID [2] IMPLICIT BIT STRING OPTIONAL,
 *     extensions [3] EXPLICIT Extensions OPTIONAL }
 */
static int
parse_tbs(struct cert *c, struct der *d, size_t *alg_off, size_t *alg_len)
{
	struct der tbs, ver, val, exts, extseq;
	struct der_tlv t;
	struct sigalg inner;
	size_t a0, a1;
	long v;
	int r;

	if (der_get(d, DER_SEQUENCE, "TBSCertificate", &t) == -1)
		return -1;
	c->tbs = d->buf + t.off;
	c->tbs_len = t.hdrlen + t.len;
	der_sub(d, &t, &tbs);
	c->version = 1;
	if ((r = der_opt(&tbs, DER_CTX_CONS(0), "version", &t)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&tbs, &t, &ver);
		if (der_get_small(&ver, "version", 2, &v) == -1 ||
		    der_finish(&ver, "version") == -1)
			return -1;
		c->version = (int)v + 1;
	}
	if (der_get_int(&tbs, "serialNumber", &t) == -1)
		return -1;
	/* RFC 5280 4.1.2.2: a CA must not make it negative, and a relying
	 * party should handle one gracefully: read and shown as such. */
	c->serial_negative = (t.val[0] & 0x80) != 0;
	if (t.len > CERT_MAX_SERIAL)
		return der_fail(&tbs, t.off, "serial number of %zu bytes (at "
		    "most %d)", t.len, CERT_MAX_SERIAL);
	memcpy(c->serial, t.val, t.len);
	c->serial_len = t.len;
	a0 = tbs.pos;
	if (sigalg_parse(&tbs, &inner) == -1)
		return -1;
	a1 = tbs.pos;
	if (dn_parse(&tbs, &c->issuer) == -1 ||
	    der_enter(&tbs, DER_SEQUENCE, "validity", &val) == -1 ||
	    der_get_time(&val, "notBefore", &c->not_before) == -1 ||
	    der_get_time(&val, "notAfter", &c->not_after) == -1 ||
	    der_finish(&val, "validity") == -1 ||
	    dn_parse(&tbs, &c->subject) == -1)
		return -1;
	c->spki = tbs.buf + tbs.pos;
	*alg_off = a0;
	*alg_len = a1 - a0;
	{
		size_t s0 = tbs.pos;

		if (pkey_parse_spki(&tbs, &c->key_alg, &c->key,
		    &c->eckey) == -1)
			return -1;
		c->spki_len = tbs.pos - s0;
	}
	if ((r = der_opt(&tbs, DER_CTX(1), "issuerUniqueID", &t)) == -1)
		return -1;
	if (r == 1 && c->version < 2)
		return der_fail(&tbs, t.off, "issuerUniqueID in a version 1 "
		    "certificate");
	if ((r = der_opt(&tbs, DER_CTX(2), "subjectUniqueID", &t)) == -1)
		return -1;
	if (r == 1 && c->version < 2)
		return der_fail(&tbs, t.off, "subjectUniqueID in a version 1 "
		    "certificate");
	if ((r = der_opt(&tbs, DER_CTX_CONS(3), "extensions", &t)) == -1)
		return -1;
	if (r == 1) {
		if (c->version != 3)
			return der_fail(&tbs, t.off, "extensions in a version %d "
			    "certificate", c->version);
		der_sub(&tbs, &t, &exts);
		if (der_enter(&exts, DER_SEQUENCE, "Extensions", &extseq) == -1 ||
		    ext_parse(&extseq, &c->ext) == -1 ||
		    der_finish(&exts, "extensions") == -1)
			return -1;
	}
	if (der_finish(&tbs, "TBSCertificate") == -1)
		return -1;
	c->sigalg = inner;
	return 0;
}

int
cert_parse(struct cert *c, const uint8_t *der, size_t len, struct err *e)
{
	struct der d, top;
	struct der_tlv t;
	size_t inner_off = 0, inner_len = 0;

	cert_clear(c);
	if (len > CERT_MAX_SIZE)
		return err_set(e, ERR_INPUT, "certificate larger than %d bytes",
		    CERT_MAX_SIZE);
	c->der = xmalloc(len > 0 ? len : 1);
	if (len > 0)
		memcpy(c->der, der, len);
	c->len = len;
	der_init(&d, c->der, len, e);
	if (der_get(&d, DER_SEQUENCE, "Certificate", &t) == -1 ||
	    der_finish(&d, "certificate") == -1)
		goto fail;
	der_sub(&d, &t, &top);
	if (parse_tbs(c, &top, &inner_off, &inner_len) == -1)
		goto fail;
	if (sigalg_parse_signed(&top, inner_off, inner_len, "TBSCertificate",
	    "Certificate", &c->sigalg, &c->sig, &c->sig_len) == -1)
		goto fail;
	hash_sha256(c->der, c->len, c->fp_sha256);
	return 0;
fail:
	cert_clear(c);
	return -1;
}

int
cert_issuer_verifies(const struct cert *issuer, const struct sigalg *sa,
    const uint8_t *tbs, size_t tbs_len, const uint8_t *sig, size_t sig_len,
    struct err *e)
{
	if (issuer->key_alg == OID_EC_PUBLIC_KEY)
		return sigalg_verify_ec(sa, &issuer->eckey, tbs, tbs_len, sig,
		    sig_len, e) == 0;
	if (issuer->key_alg != OID_RSA_ENCRYPTION) {
		err_set(e, ERR_REFUSED, "issuer key is neither RSA nor P-256");
		return 0;
	}
	return sigalg_verify(sa, &issuer->key.pub, tbs, tbs_len, sig, sig_len,
	    e) == 0;
}

int
cert_check_signature(const struct cert *c, const struct cert *issuer,
    struct err *e)
{
	return cert_issuer_verifies(issuer, &c->sigalg, c->tbs, c->tbs_len,
	    c->sig, c->sig_len, e);
}

int
cert_self_signed(const struct cert *c)
{
	return dn_equal(&c->subject, &c->issuer) &&
	    cert_check_signature(c, c, NULL);
}

/* ---- building ---- */

struct tbs_arg {
	const struct cert_template *t;
	const struct ext_info *ext;
	const struct cert_signer *signer;
};

static void
encode_tbs(struct derw *w, const void *arg)
{
	const struct tbs_arg *a = arg;
	const struct cert_template *t = a->t;

	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_CTX_CONS(0));
	derw_small(w, 2);
	derw_end(w);
	derw_uint(w, t->serial, t->serial_len);
	sigalg_encode_signer(w, a->signer);
	dn_encode(w, t->issuer);
	derw_begin(w, DER_SEQUENCE);
	derw_time(w, t->not_before);
	derw_time(w, t->not_after);
	derw_end(w);
	dn_encode(w, t->subject);
	if (t->subject_ec != NULL)
		pkey_encode_spki_ec(w, t->subject_ec);
	else
		pkey_encode_spki(w, t->subject_key);
	if (ext_count(a->ext) > 0) {
		derw_begin(w, DER_CTX_CONS(3));
		ext_encode(w, a->ext);
		derw_end(w);
	}
	derw_end(w);
}

struct signed_arg {
	const struct cert_signer *signer;
	const uint8_t *body;
	size_t body_len;
	const uint8_t *sig;
	size_t sig_len;
};

/* SEQUENCE { body, signatureAlgorithm, BIT STRING sig }: the shape of
 * a Certificate and of a CertificationRequest. */
static void
encode_signed(struct derw *w, const void *arg)
{
	const struct signed_arg *a = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_raw(w, a->body, a->body_len);
	sigalg_encode_signer(w, a->signer);
	derw_bits(w, a->sig, a->sig_len, 0);
	derw_end(w);
}

void
cert_signer_of(struct cert_signer *s, const struct pkey *key)
{
	s->rsa = key->type == PKEY_EC ? NULL : &key->rsa;
	s->ec = key->type == PKEY_EC ? &key->ec : NULL;
}

int
cert_signer_has_private(const struct cert_signer *s)
{
	return s->ec != NULL ? s->ec->has_private : s->rsa != NULL &&
	    s->rsa->has_private;
}

int
cert_signer_sign(const struct cert_signer *s, const uint8_t *data,
    size_t len, uint8_t **sig, size_t *sig_len, struct err *e)
{
	uint8_t digest[32];

	*sig = NULL;
	*sig_len = 0;
	if (!cert_signer_has_private(s) || (s->ec == NULL &&
	    s->rsa->pub.size == 0))
		return err_set(e, ERR_USAGE, "signing needs a private key");
	if (s->ec != NULL) {
		*sig = xmalloc(ECSIG_MAX_SIZE);
		hash_sha256(data, len, digest);
		*sig_len = ecsig_sign(s->ec, digest, sizeof digest, *sig, e);
	} else {
		*sig = xmalloc(s->rsa->pub.size);
		if (sigalg_sign_sha256(s->rsa, data, len, *sig, e) == 0)
			*sig_len = s->rsa->pub.size;
	}
	if (*sig_len == 0) {
		free(*sig);
		*sig = NULL;
		return -1;
	}
	return 0;
}

/* Signs body and wraps it (shared with csr.c). */
int
cert_sign_wrap_by(const uint8_t *body, size_t body_len,
    const struct cert_signer *s, uint8_t **der, size_t *len, struct err *e)
{
	struct signed_arg a;
	uint8_t *sig;
	int rc = -1;

	if (cert_signer_sign(s, body, body_len, &sig, &a.sig_len, e) == -1)
		return -1;
	a.signer = s;
	a.body = body;
	a.body_len = body_len;
	a.sig = sig;
	if ((*der = der_encode(encode_signed, &a, len, e)) == NULL)
		goto out;
	rc = 0;
out:
	free(sig);
	return rc;
}

int
cert_sign_wrap(const uint8_t *body, size_t body_len,
    const struct rsakey *signer, uint8_t **der, size_t *len, struct err *e)
{
	struct cert_signer s = { signer, NULL };

	return cert_sign_wrap_by(body, body_len, &s, der, len, e);
}

int
cert_sign_encode(der_encode_fn *fn, const void *arg,
    const struct rsakey *signer, uint8_t **der, size_t *len, struct err *e)
{
	uint8_t *body;
	size_t body_len;
	int rc;

	if ((body = der_encode(fn, arg, &body_len, e)) == NULL)
		return -1;
	rc = cert_sign_wrap(body, body_len, signer, der, len, e);
	free(body);
	return rc;
}

int
cert_build(const struct cert_template *t, const struct rsakey *signer,
    uint8_t **der, size_t *len, struct err *e)
{
	struct cert_signer s = { signer, NULL };

	return cert_build_by(t, &s, der, len, e);
}

int
cert_build_by(const struct cert_template *t, const struct cert_signer *s,
    uint8_t **der, size_t *len, struct err *e)
{
	uint8_t *body;
	size_t body_len;
	int rc;

	*der = NULL;
	*len = 0;
	if (cert_tbs_encode(t, s, &body, &body_len, e) == -1)
		return -1;
	rc = cert_sign_wrap_by(body, body_len, s, der, len, e);
	free(body);
	return rc;
}

int
cert_tbs_encode(const struct cert_template *t, const struct cert_signer *s,
    uint8_t **body, size_t *body_len, struct err *e)
{
	struct ext_info ext;
	struct tbs_arg a;
	size_t i;

	*body = NULL;
	*body_len = 0;
	for (i = 0; i < t->serial_len && t->serial[i] == 0; i++)
		;
	/* RFC 5280 4.1.2.2 limits the encoded INTEGER, whose contents gain a
	 * zero byte when the top bit is set. */
	if (i == t->serial_len || t->serial_len - i +
	    ((t->serial[i] & 0x80) != 0) > 20)
		return err_set(e, ERR_USAGE, "serial number must be 1 to 20 "
		    "bytes and not zero");
	if (t->issuer == NULL || t->subject == NULL ||
	    (t->subject_key == NULL && t->subject_ec == NULL))
		return err_set(e, ERR_USAGE, "certificate template is "
		    "missing issuer, subject or key");
	if (t->not_after <= t->not_before)
		return err_set(e, ERR_USAGE, "notAfter is not after notBefore");
	if (dn_empty(t->issuer))
		return err_set(e, ERR_USAGE, "issuer name is empty");
	/* The template's ext is shallow-copied: san stays the caller's. */
	ext = t->ext;
	/* RFC 5280 4.2.1.6: with an empty subject the SAN must be critical. */
	if (dn_empty(t->subject) && ext.has_san)
		ext.san_critical = 1;
	if (ext.ski_len == 0) {
		if (t->subject_ec != NULL)
			pkey_key_id_ec(t->subject_ec, ext.ski);
		else
			pkey_key_id(t->subject_key, ext.ski);
		ext.ski_len = 20;
	}
	a.t = t;
	a.ext = &ext;
	a.signer = s;
	if ((*body = der_encode(encode_tbs, &a, body_len, e)) == NULL)
		return -1;
	return 0;
}

/* ---- lists ---- */

void
cert_list_init(struct cert_list *l)
{
	l->v = NULL;
	l->n = 0;
}

void
cert_list_clear(struct cert_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		cert_clear(&l->v[i]);
	free(l->v);
	cert_list_init(l);
}

static int
cert_list_add(struct cert_list *l, const uint8_t *der, size_t len,
    struct err *e)
{
	struct cert c;

	if (l->n >= CERT_LIST_MAX)
		return err_set(e, ERR_INPUT, "more than %d certificates",
		    CERT_LIST_MAX);
	cert_init(&c);
	if (cert_parse(&c, der, len, e) == -1)
		return -1;
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = c;
	return 0;
}

int
cert_list_load(struct cert_list *l, const uint8_t *data, size_t len,
    struct err *e)
{
	struct pem_list pl;
	size_t i, n0 = l->n, count = 0;
	int rc = -1;

	pem_list_init(&pl);
	if (!pem_detect(data, len)) {
		if (cert_list_add(l, data, len, e) == -1)
			return err_wrap(e, "certificate 1");
		return 0;
	}
	if (pem_decode((const char *)data, len, &pl, e) == -1)
		goto out;
	for (i = 0; i < pl.n; i++) {
		if (strcmp(pl.v[i].label, "CERTIFICATE") != 0)
			continue;
		count++;
		if (cert_list_add(l, pl.v[i].der, pl.v[i].len, e) == -1) {
			err_wrap(e, "certificate %zu (line %zu)", count,
			    pl.v[i].line);
			goto out;
		}
	}
	if (count == 0) {
		err_set(e, ERR_INPUT, "no CERTIFICATE block found");
		goto out;
	}
	rc = 0;
out:
	pem_list_clear(&pl);
	if (rc != 0)
		while (l->n > n0)
			cert_clear(&l->v[--l->n]);
	return rc;
}

int
cert_list_load_file(struct cert_list *l, const char *path, struct err *e)
{
	struct buf b;
	int rc;

	buf_init(&b);
	if (file_read(path, FILE_MAX_INPUT, &b, e) == -1) {
		buf_clear(&b);
		return -1;
	}
	rc = cert_list_load(l, b.data, b.len, e);
	buf_clear(&b);
	if (rc == -1)
		err_wrap(e, "%s", path);
	return rc;
}

void
cert_serial_hex(const uint8_t *serial, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;

	if (outlen == 0)
		return;
	out[0] = '\0';
	/* The sign byte of a positive INTEGER is not part of the number. */
	if (len > 1 && serial[0] == 0) {
		serial++;
		len--;
	}
	for (i = 0; i < len; i++) {
		if (o + (i + 1 < len ? 3 : 2) >= outlen)
			break;
		o += (size_t)snprintf(out + o, outlen - o, i + 1 < len ?
		    "%02X:" : "%02X", serial[i]);
	}
}

void
cert_serial_text(const uint8_t *serial, size_t len, char *out, size_t outlen)
{
	uint8_t mag[CERT_MAX_SERIAL];
	unsigned carry = 1;
	size_t i;

	if (len == 0 || len > CERT_MAX_SERIAL || !(serial[0] & 0x80) ||
	    outlen < 2) {
		cert_serial_hex(serial, len, out, outlen);
		return;
	}
	/* Two's complement: the magnitude is the inverse plus one. */
	for (i = len; i-- > 0;) {
		carry += (uint8_t)~serial[i];
		mag[i] = (uint8_t)carry;
		carry >>= 8;
	}
	for (i = 0; i + 1 < len && mag[i] == 0; i++)
		;
	out[0] = '-';
	/* No sign byte to drop: mag[i] is the first non-zero byte. */
	cert_serial_hex(mag + i, len - i, out + 1, outlen - 1);
}
