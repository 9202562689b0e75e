/* cms.c — CMS SignedData: parse and verify; see cms.h. The writers are
 * in cms-write.c. */
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "util/xalloc.h"
#include "x509/cms.h"
#include "x509/cmspriv.h"

void
cms_init(struct cms *c)
{
	memset(c, 0, sizeof *c);
	cert_list_init(&c->certs);
}

void
cms_clear(struct cms *c)
{
	size_t i;

	for (i = 0; i < c->nsigners; i++)
		dn_clear(&c->signers[i].issuer);
	free(c->signers);
	cert_list_clear(&c->certs);
	free(c->der);
	cms_init(c);
}

/* ---- reading ---- */

/* Nonzero when OID contents p (len bytes) are those of id. */
static int
oid_is(const uint8_t *p, size_t len, enum oid_id id)
{
	const struct oid_entry *o = oid_get(id);

	return len == o->len && memcmp(p, o->der, len) == 0;
}

/* DigestAlgorithmIdentifier ::= SEQUENCE { sha256 | sha384 | sha512,
 * parameters NULL OPTIONAL } */
static int
get_digest_alg(struct der *d, enum hash_alg *h)
{
	struct der seq;
	struct der_tlv oid;
	char name[80];

	if (der_enter(d, DER_SEQUENCE, "digestAlgorithm", &seq) == -1 ||
	    der_get_oid(&seq, "digestAlgorithm", &oid) == -1)
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
		return der_fail(&seq, oid.off, "digest algorithm %s is not "
		    "supported", name);
	}
	if (der_more(&seq) && der_get_null(&seq, "digest parameters") == -1)
		return -1;
	return der_finish(&seq, "digestAlgorithm");
}

/* signatureAlgorithm: rsaEncryption (PKCS#1 v1.5 with the digest
 * algorithm's hash, as RFC 3370 3.2 and OpenSSL), or one that names its
 * hash, which must then be the digest algorithm's. */
static int
get_sig_alg(struct der *d, enum hash_alg digest, struct sigalg *sa)
{
	struct der probe = *d, seq;
	struct der_tlv oid;
	size_t off = d->pos;

	memset(sa, 0, sizeof *sa);
	if (der_enter(&probe, DER_SEQUENCE, "signatureAlgorithm", &seq) == -1 ||
	    der_get_oid(&seq, "signatureAlgorithm", &oid) == -1)
		return -1;
	if (oid_is(oid.val, oid.len, OID_RSA_ENCRYPTION)) {
		if (der_more(&seq) &&
		    der_get_null(&seq, "signature parameters") == -1)
			return -1;
		if (der_finish(&seq, "signatureAlgorithm") == -1)
			return -1;
		sa->oid = OID_RSA_ENCRYPTION;
		sa->hash = digest;
		*d = probe;
		return 0;
	}
	/* Some writers name the key, not ECDSA with a hash (RFC 5753 7.1.3
	 * allows ecdsa-with-SHA* only; read as the digest's ECDSA). */
	if (oid_is(oid.val, oid.len, OID_EC_PUBLIC_KEY)) {
		if (der_more(&seq) &&
		    der_get_null(&seq, "signature parameters") == -1)
			return -1;
		if (der_finish(&seq, "signatureAlgorithm") == -1)
			return -1;
		if (digest != HASH_SHA256 && digest != HASH_SHA384)
			return der_fail(d, off, "ECDSA with %s is not "
			    "supported", hash_name(digest));
		sa->oid = digest == HASH_SHA256 ? OID_ECDSA_WITH_SHA256 :
		    OID_ECDSA_WITH_SHA384;
		sa->ecdsa = 1;
		sa->hash = digest;
		*d = probe;
		return 0;
	}
	if (sigalg_parse(d, sa) == -1)
		return -1;
	if (sa->hash != digest)
		return der_fail(d, off, "signatureAlgorithm hash %s differs "
		    "from digestAlgorithm %s", hash_name(sa->hash),
		    hash_name(digest));
	return 0;
}

/* Attribute ::= SEQUENCE { attrType OID, attrValues SET OF AttributeValue }
 * The three CMS attributes RFC 5652 11 defines have exactly one value and
 * appear at most once (5.3); others are skipped. */
static int
parse_attrs(struct der *set, struct cms_signer *s)
{
	struct der attr, vals;
	struct der_tlv oid, v;
	size_t n = 0, start = set->pos;
	enum oid_id id;

	while (der_more(set)) {
		if (++n > CMS_MAX_ATTRS)
			return der_fail(set, set->pos, "more than %d signed "
			    "attributes", CMS_MAX_ATTRS);
		if (der_enter(set, DER_SEQUENCE, "Attribute", &attr) == -1 ||
		    der_get_oid(&attr, "attrType", &oid) == -1 ||
		    der_enter(&attr, DER_SET, "attrValues", &vals) == -1 ||
		    der_finish(&attr, "Attribute") == -1)
			return -1;
		id = oid_find(oid.val, oid.len);
		if (id != OID_CONTENT_TYPE && id != OID_MESSAGE_DIGEST &&
		    id != OID_SIGNING_TIME)
			continue;
		if ((id == OID_CONTENT_TYPE && s->content_type != NULL) ||
		    (id == OID_MESSAGE_DIGEST && s->message_digest != NULL) ||
		    (id == OID_SIGNING_TIME && s->has_signing_time))
			return der_fail(set, oid.off, "duplicate %s attribute",
			    oid_get(id)->sn);
		if (!der_more(&vals))
			return der_fail(set, oid.off, "%s attribute without a "
			    "value", oid_get(id)->sn);
		if (id == OID_CONTENT_TYPE) {
			if (der_get_oid(&vals, "contentType", &v) == -1)
				return -1;
			s->content_type = v.val;
			s->content_type_len = v.len;
		} else if (id == OID_MESSAGE_DIGEST) {
			if (der_get(&vals, DER_OCTET_STRING, "messageDigest",
			    &v) == -1)
				return -1;
			s->message_digest = v.val;
			s->message_digest_len = v.len;
		} else {
			if (der_get_time(&vals, "signingTime",
			    &s->signing_time) == -1)
				return -1;
			s->has_signing_time = 1;
		}
		if (der_more(&vals))
			return der_fail(&vals, vals.pos, "%s attribute with "
			    "more than one value", oid_get(id)->sn);
	}
	if (s->content_type == NULL)
		return der_fail(set, start, "signedAttrs without contentType");
	if (s->message_digest == NULL)
		return der_fail(set, start, "signedAttrs without "
		    "messageDigest");
	return 0;
}

/*
 * SignerInfo ::= SEQUENCE {
 *     version CMSVersion, sid SignerIdentifier,
 *     digestAlgorithm DigestAlgorithmIdentifier,
 *     signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
 *     signatureAlgorithm SignatureAlgorithmIdentifier,
 *     signature OCTET STRING,
 *     unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
 * SignerIdentifier ::= CHOICE { issuerAndSerialNumber IssuerAndSerialNumber,
 *     subjectKeyIdentifier [0] SubjectKeyIdentifier }
 * IssuerAndSerialNumber ::= SEQUENCE { issuer Name,
 *     serialNumber CertificateSerialNumber }
 */
static int
parse_signer(struct der *d, const struct cms *c, struct cms_signer *s)
{
	struct der si, attrs;
	struct der_tlv t;
	long v;
	int r;

	s->off = d->pos;
	if (der_enter(d, DER_SEQUENCE, "SignerInfo", &si) == -1)
		return -1;
	t.off = si.pos;
	if (der_get_small(&si, "SignerInfo version", 5, &v) == -1)
		return -1;
	if (v != 1 && v != 3)
		return der_fail(&si, t.off, "SignerInfo version %ld is not "
		    "supported", v);
	s->version = (int)v;
	if (cms_get_sid(&si, v == 1, &s->issuer, s->serial, &s->serial_len,
	    s->ski, &s->ski_len) == -1 ||
	    get_digest_alg(&si, &s->digest) == -1)
		return -1;
	if ((r = der_opt(&si, DER_CTX_CONS(0), "signedAttrs", &t)) == -1)
		return -1;
	if (r == 1) {
		s->has_attrs = 1;
		s->attrs = si.buf + t.off;
		s->attrs_len = t.hdrlen + t.len;
		der_sub(&si, &t, &attrs);
		attrs.what = "signedAttrs";
		if (parse_attrs(&attrs, s) == -1)
			return -1;
	} else if (!oid_is(c->content_type, c->content_type_len,
	    OID_PKCS7_DATA))
		return der_fail(&si, si.pos, "signedAttrs missing (required "
		    "when eContentType is not pkcs7-data)");
	if (get_sig_alg(&si, s->digest, &s->sigalg) == -1 ||
	    der_get(&si, DER_OCTET_STRING, "signature", &t) == -1)
		return -1;
	s->sig = t.val;
	s->sig_len = t.len;
	if (der_opt(&si, DER_CTX_CONS(1), "unsignedAttrs", &t) == -1)
		return -1;
	return der_finish(&si, "SignerInfo");
}

/* certificates [0] IMPLICIT CertificateSet: X.509 certificates only. */
static int
parse_certs(struct der *set, struct cms *c)
{
	struct der_tlv t;
	struct cert *x;
	size_t n = 0;
	int tag;

	while (der_more(set)) {
		n++;
		if (n > CMS_MAX_CERTS)
			return der_fail(set, set->pos, "more than %d "
			    "certificates", CMS_MAX_CERTS);
		tag = der_peek(set);
		if (tag != DER_SEQUENCE)
			return der_fail(set, set->pos, "certificate %zu: only "
			    "X.509 certificates are supported (found 0x%02x)",
			    n, (unsigned)tag);
		if (der_next(set, &t) == -1)
			return -1;
		c->certs.v = xreallocarray(c->certs.v, c->certs.n + 1,
		    sizeof *c->certs.v);
		x = &c->certs.v[c->certs.n];
		cert_init(x);
		if (cert_parse(x, set->buf + t.off, t.hdrlen + t.len,
		    set->err) == -1)
			return err_wrap(set->err, "offset 0x%zx: "
			    "certificate %zu", t.off, n);
		c->certs.n++;
	}
	return 0;
}

/*
 * ContentInfo ::= SEQUENCE { contentType ContentType,
 *     content [0] EXPLICIT ANY DEFINED BY contentType }
 * SignedData ::= SEQUENCE {
 *     version CMSVersion,
 *     digestAlgorithms DigestAlgorithmIdentifiers,
 *     encapContentInfo EncapsulatedContentInfo,
 *     certificates [0] IMPLICIT CertificateSet OPTIONAL,
 *     crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
 *     signerInfos SignerInfos }
 * EncapsulatedContentInfo ::= SEQUENCE { eContentType ContentType,
 *     eContent [0] EXPLICIT OCTET STRING OPTIONAL }
 */
static int
parse_signed_data(struct der *sd, struct cms *c)
{
	struct der set, encap, ec, crls;
	struct der_tlv t;
	long v;
	size_t n;
	int r;

	t.off = sd->pos;
	if (der_get_small(sd, "SignedData version", 5, &v) == -1)
		return -1;
	if (v != 1 && v != 3)
		return der_fail(sd, t.off, "SignedData version %ld is not "
		    "supported", v);
	c->version = (int)v;
	/* The signers name their own digest; the set is only counted. */
	if (der_enter(sd, DER_SET, "digestAlgorithms", &set) == -1)
		return -1;
	for (n = 0; der_more(&set); n++) {
		if (n >= CMS_MAX_DIGESTS)
			return der_fail(&set, set.pos, "more than %d "
			    "digestAlgorithms", CMS_MAX_DIGESTS);
		if (der_get(&set, DER_SEQUENCE, "DigestAlgorithmIdentifier",
		    &t) == -1)
			return -1;
	}
	if (der_enter(sd, DER_SEQUENCE, "encapContentInfo", &encap) == -1 ||
	    der_get_oid(&encap, "eContentType", &t) == -1)
		return -1;
	c->content_type = t.val;
	c->content_type_len = t.len;
	if ((r = der_opt(&encap, DER_CTX_CONS(0), "eContent", &t)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&encap, &t, &ec);
		if (der_get(&ec, DER_OCTET_STRING, "eContent", &t) == -1 ||
		    der_finish(&ec, "eContent") == -1)
			return -1;
		c->has_content = 1;
		c->content = t.val;
		c->content_len = t.len;
	}
	if (der_finish(&encap, "encapContentInfo") == -1)
		return -1;
	if ((r = der_opt(sd, DER_CTX_CONS(0), "certificates", &t)) == -1)
		return -1;
	if (r == 1) {
		der_sub(sd, &t, &set);
		set.what = "certificates";
		if (parse_certs(&set, c) == -1)
			return -1;
	}
	if ((r = der_opt(sd, DER_CTX_CONS(1), "crls", &t)) == -1)
		return -1;
	if (r == 1) {
		der_sub(sd, &t, &crls);
		crls.what = "crls";
		while (der_more(&crls)) {
			if (c->ncrls >= CMS_MAX_CRLS)
				return der_fail(&crls, crls.pos, "more than %d "
				    "crls", CMS_MAX_CRLS);
			if (der_next(&crls, &t) == -1)
				return -1;
			c->ncrls++;
		}
	}
	if (der_enter(sd, DER_SET, "signerInfos", &set) == -1)
		return -1;
	while (der_more(&set)) {
		if (c->nsigners >= CMS_MAX_SIGNERS)
			return der_fail(&set, set.pos, "more than %d signers",
			    CMS_MAX_SIGNERS);
		c->signers = xreallocarray(c->signers, c->nsigners + 1,
		    sizeof *c->signers);
		memset(&c->signers[c->nsigners], 0, sizeof *c->signers);
		dn_init(&c->signers[c->nsigners].issuer);
		c->nsigners++;
		if (parse_signer(&set, c, &c->signers[c->nsigners - 1]) == -1)
			return -1;
	}
	return der_finish(sd, "SignedData");
}

int
cms_parse(struct cms *c, const uint8_t *der, size_t len, struct err *e)
{
	struct der ci, content, sd;
	struct der_tlv t;
	char name[80];

	cms_clear(c);
	if (cms_content_info(der, len, &c->der, &c->len, &ci, &t, e) == -1)
		goto fail;
	if (!oid_is(t.val, t.len, OID_PKCS7_SIGNED_DATA)) {
		oid_to_text(t.val, t.len, name, sizeof name);
		der_fail(&ci, t.off, "content type %s is not supported (only "
		    "pkcs7-signedData)", name);
		goto fail;
	}
	if (cms_content_enter(&ci, "SignedData", &content, &sd) == -1 ||
	    parse_signed_data(&sd, c) == -1 ||
	    cms_content_leave(&ci, &content) == -1)
		goto fail;
	return 0;
fail:
	cms_clear(c);
	return -1;
}

static int
parse_any(void *c, const uint8_t *der, size_t len, struct err *e)
{
	return cms_parse(c, der, len, e);
}

int
cms_load(struct cms *c, const uint8_t *data, size_t len, struct err *e)
{
	return cms_read_pem(c, data, len, parse_any,
	    "no PKCS7 or CMS block found", e);
}

/* ---- verifying ---- */

static int
serial_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

static const struct cert *
find_in(const struct cert_list *l, const struct cms_signer *s)
{
	size_t i;

	if (l == NULL)
		return NULL;
	for (i = 0; i < l->n; i++) {
		const struct cert *x = &l->v[i];

		if (s->version == 1 ? serial_equal(x->serial, x->serial_len,
		    s->serial, s->serial_len) && dn_equal(&x->issuer,
		    &s->issuer) : x->ext.ski_len == s->ski_len &&
		    memcmp(x->ext.ski, s->ski, s->ski_len) == 0)
			return x;
	}
	return NULL;
}

/* "issuer 'CN=x', serial 01:02" or "subjectKeyIdentifier 3B:00:..". */
static char *
sid_text(const struct cms_signer *s)
{
	char hex[3 * EXT_MAX_KEYID + 1];
	char *name, *out;

	if (s->version == 3) {
		cert_serial_hex(s->ski, s->ski_len, hex, sizeof hex);
		return xasprintf("subjectKeyIdentifier %s", hex);
	}
	cert_serial_hex(s->serial, s->serial_len, hex, sizeof hex);
	name = dn_to_string(&s->issuer);
	out = xasprintf("issuer '%s', serial %s", name, hex);
	free(name);
	return out;
}

/* Records a check: a step when the caller keeps them, and on failure the
 * error. Returns 0 when ok, else -1. */
static int
step(const struct cms_verify_params *p, size_t i, enum verify_code code,
    const char *what, struct err *e, enum err_kind kind, const char *why)
{
	if (p->steps != NULL)
		verify_step_add(p->steps, code, xasprintf("signer %zu: %s",
		    i + 1, what), "%s", why);
	if (code == VERIFY_OK)
		return 0;
	return err_set(e, kind, "signer %zu: %s", i + 1, why);
}

int
cms_verify(const struct cms *c, size_t i, const struct cms_verify_params *p,
    const struct cert **signer, struct err *e)
{
	static const struct cms_verify_params none;
	const struct cms_signer *s;
	const struct cert *x;
	const uint8_t *content;
	uint8_t digest[HASH_MAX_SIZE], *set = NULL;
	size_t content_len, dlen;
	char *text, *why = NULL;
	struct err e2;
	int rc = -1;

	err_clear(&e2);
	if (p == NULL)
		p = &none;
	if (i >= c->nsigners)
		return err_set(e, ERR_USAGE, "no signer %zu (the message has "
		    "%zu)", i + 1, c->nsigners);
	s = &c->signers[i];
	if (c->has_content && p->content != NULL)
		return err_set(e, ERR_USAGE, "the content is attached; no "
		    "detached content expected");
	if (!c->has_content && p->content == NULL)
		return err_set(e, ERR_USAGE, "detached signature: the content "
		    "is needed to verify it");
	content = c->has_content ? c->content : p->content;
	content_len = c->has_content ? c->content_len : p->content_len;

	text = sid_text(s);
	if ((x = find_in(&c->certs, s)) == NULL)
		x = find_in(p->extra, s);
	if (x == NULL) {
		why = xasprintf("signer certificate not found (%s)", text);
		step(p, i, VERIFY_NO_ISSUER, "certificate", e, ERR_REFUSED,
		    why);
		goto out;
	}
	if (x->key_alg != OID_RSA_ENCRYPTION &&
	    (x->key_alg != OID_EC_PUBLIC_KEY ||
	    !ec256key_has_public(&x->eckey))) {
		step(p, i, VERIFY_UNSUPPORTED_KEY, "certificate", e,
		    ERR_REFUSED, "signer certificate key is neither RSA nor "
		    "P-256");
		goto out;
	}
	why = dn_to_string(&x->subject);
	step(p, i, VERIFY_OK, "certificate", e, ERR_NONE, why);
	free(why);
	why = NULL;

	dlen = hash_size(s->digest);
	hash_digest(s->digest, content, content_len, digest);
	if (s->has_attrs) {
		if (s->content_type_len != c->content_type_len ||
		    memcmp(s->content_type, c->content_type,
		    c->content_type_len) != 0) {
			step(p, i, VERIFY_MALFORMED, "content type", e,
			    ERR_REFUSED, "contentType attribute differs from "
			    "eContentType");
			goto out;
		}
		step(p, i, VERIFY_OK, "content type", e, ERR_NONE,
		    "contentType attribute equals eContentType");
		if (s->message_digest_len != dlen ||
		    memcmp(s->message_digest, digest, dlen) != 0) {
			step(p, i, VERIFY_BAD_SIGNATURE, "message digest", e,
			    ERR_REFUSED, "messageDigest attribute does not "
			    "match the content");
			goto out;
		}
		why = xasprintf("%s of the content equals messageDigest",
		    hash_name(s->digest));
		step(p, i, VERIFY_OK, "message digest", e, ERR_NONE, why);
		free(why);
		why = NULL;
		/* The signature covers the attributes as a SET OF, not as
		 * the [0] IMPLICIT they are sent as (RFC 5652 5.4). */
		set = xmalloc(s->attrs_len);
		memcpy(set, s->attrs, s->attrs_len);
		set[0] = DER_SET;
		rc = cert_issuer_verifies(x, &s->sigalg, set, s->attrs_len,
		    s->sig, s->sig_len, &e2) ? 0 : -1;
	} else
		rc = cert_issuer_verifies(x, &s->sigalg, content, content_len,
		    s->sig, s->sig_len, &e2) ? 0 : -1;
	if (rc == -1) {
		why = xasprintf("signature does not verify: %s", e2.msg);
		step(p, i, VERIFY_BAD_SIGNATURE, "signature", e, ERR_REFUSED,
		    why);
		goto out;
	}
	why = xasprintf("%s signature by '%s' is good", s->sigalg.ecdsa ?
	    "ECDSA P-256" : s->sigalg.pss ? "RSASSA-PSS" : "RSA PKCS#1 v1.5",
	    dn_get(&x->subject, OID_CN) ?
	    dn_get(&x->subject, OID_CN) : "?");
	step(p, i, VERIFY_OK, "signature", e, ERR_NONE, why);
	if (signer != NULL)
		*signer = x;
	rc = 0;
out:
	free(set);
	free(why);
	free(text);
	return rc;
}
