/* cms-envread.c — CMS EnvelopedData / AuthEnvelopedData: parse, and open
 * with a recipient's key; see cms-env.h. */
#include <stdlib.h>
#include <string.h>

#include <nettle/memops.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "crypto/aead.h"
#include "crypto/aescbc.h"
#include "crypto/oaep.h"
#include "crypto/rand.h"
#include "crypto/rsadec.h"
#include "util/xalloc.h"
#include "x509/cms-env.h"
#include "x509/cmspriv.h"

#define CMS_MAX_OTHER_RECIPS 64	/* kari, kekri, ... skipped */

void
cms_env_init(struct cms_env *c)
{
	memset(c, 0, sizeof *c);
}

void
cms_env_clear(struct cms_env *c)
{
	size_t i;

	for (i = 0; i < c->nrecips; i++)
		dn_clear(&c->recips[i].issuer);
	free(c->recips);
	free(c->der);
	cms_env_init(c);
}

static int
oid_is(const struct der_tlv *t, enum oid_id id)
{
	const struct oid_entry *o = oid_get(id);

	return t->len == o->len && memcmp(t->val, o->der, t->len) == 0;
}

/* HashAlgorithm ::= AlgorithmIdentifier { sha1 | sha2 family, NULL or
 * absent parameters } (RFC 4055 2.1). */
static int
get_oaep_hash(struct der *d, const char *what, enum hash_alg *h)
{
	struct der seq;
	struct der_tlv oid;
	char name[80];

	if (der_enter(d, DER_SEQUENCE, what, &seq) == -1 ||
	    der_get_oid(&seq, what, &oid) == -1)
		return -1;
	switch (oid_find(oid.val, oid.len)) {
	case OID_SHA1:
		*h = HASH_SHA1;
		break;
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
		return der_fail(&seq, oid.off, "%s %s is not supported", what,
		    name);
	}
	if (der_more(&seq) && der_get_null(&seq, "hash parameters") == -1)
		return -1;
	return der_finish(&seq, what);
}

/*
 * RSAES-OAEP-params ::= SEQUENCE {
 *     hashFunc [0] HashAlgorithm DEFAULT sha1,
 *     maskGenFunc [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
 *     pSourceFunc [2] PSourceAlgorithm DEFAULT pSpecifiedEmpty }
 */
static int
get_oaep_params(struct der *d, struct cms_recip *r)
{
	struct der seq, ctx, mgf, ps;
	struct der_tlv t;
	char name[80];
	int n;

	r->oaep_hash = HASH_SHA1;
	r->oaep_mgf = HASH_SHA1;
	if (!der_more(d))
		return 0;	/* parameters absent: all defaults */
	if (der_enter(d, DER_SEQUENCE, "RSAES-OAEP-params", &seq) == -1)
		return -1;
	if ((n = der_opt(&seq, DER_CTX_CONS(0), "hashFunc", &t)) == -1)
		return -1;
	if (n == 1) {
		der_sub(&seq, &t, &ctx);
		if (get_oaep_hash(&ctx, "hashFunc", &r->oaep_hash) == -1 ||
		    der_finish(&ctx, "hashFunc") == -1)
			return -1;
	}
	if ((n = der_opt(&seq, DER_CTX_CONS(1), "maskGenFunc", &t)) == -1)
		return -1;
	if (n == 1) {
		der_sub(&seq, &t, &ctx);
		if (der_enter(&ctx, DER_SEQUENCE, "maskGenFunc", &mgf) == -1 ||
		    der_get_oid(&mgf, "maskGenFunc", &t) == -1)
			return -1;
		if (!oid_is(&t, OID_MGF1)) {
			oid_to_text(t.val, t.len, name, sizeof name);
			return der_fail(&mgf, t.off, "mask generation %s is "
			    "not supported (only mgf1)", name);
		}
		if (get_oaep_hash(&mgf, "MGF1 hash", &r->oaep_mgf) == -1 ||
		    der_finish(&mgf, "maskGenFunc") == -1 ||
		    der_finish(&ctx, "maskGenFunc") == -1)
			return -1;
	}
	if ((n = der_opt(&seq, DER_CTX_CONS(2), "pSourceFunc", &t)) == -1)
		return -1;
	if (n == 1) {
		der_sub(&seq, &t, &ctx);
		if (der_enter(&ctx, DER_SEQUENCE, "pSourceFunc", &ps) == -1 ||
		    der_get_oid(&ps, "pSourceFunc", &t) == -1)
			return -1;
		if (!oid_is(&t, OID_PSPECIFIED))
			return der_fail(&ps, t.off, "pSourceFunc is not "
			    "pSpecified");
		if (der_get(&ps, DER_OCTET_STRING, "label", &t) == -1)
			return -1;
		if (t.len != 0)
			return der_fail(&ps, t.off, "an OAEP label of %zu "
			    "bytes is not supported (only the empty one)",
			    t.len);
		if (der_finish(&ps, "pSourceFunc") == -1 ||
		    der_finish(&ctx, "pSourceFunc") == -1)
			return -1;
	}
	return der_finish(&seq, "RSAES-OAEP-params");
}

/* keyEncryptionAlgorithm: rsaEncryption (NULL or absent parameters) or
 * rsaesOaep; anything else is kept as CMS_KT_OTHER, by name, for the one
 * recipient it concerns. */
static int
get_kt_alg(struct der *d, struct cms_recip *r)
{
	struct der seq;
	struct der_tlv oid, t;

	if (der_enter(d, DER_SEQUENCE, "keyEncryptionAlgorithm", &seq) == -1 ||
	    der_get_oid(&seq, "keyEncryptionAlgorithm", &oid) == -1)
		return -1;
	oid_to_text(oid.val, oid.len, r->kt_name, sizeof r->kt_name);
	if (oid_is(&oid, OID_RSA_ENCRYPTION)) {
		r->kt = CMS_KT_PKCS1;
		if (der_more(&seq) && der_get_null(&seq, "rsaEncryption "
		    "parameters") == -1)
			return -1;
	} else if (oid_is(&oid, OID_RSAES_OAEP)) {
		r->kt = CMS_KT_OAEP;
		if (get_oaep_params(&seq, r) == -1)
			return -1;
	} else {
		r->kt = CMS_KT_OTHER;
		while (der_more(&seq))
			if (der_next(&seq, &t) == -1)
				return -1;
	}
	return der_finish(&seq, "keyEncryptionAlgorithm");
}

/*
 * KeyTransRecipientInfo ::= SEQUENCE {
 *     version CMSVersion,  -- 0 or 2
 *     rid RecipientIdentifier,
 *     keyEncryptionAlgorithm KeyEncryptionAlgorithmIdentifier,
 *     encryptedKey EncryptedKey }
 * RecipientIdentifier ::= CHOICE {
 *     issuerAndSerialNumber IssuerAndSerialNumber,
 *     subjectKeyIdentifier [0] SubjectKeyIdentifier }
 */
static int
parse_ktri(struct der *d, struct cms_recip *r)
{
	struct der ri;
	struct der_tlv t;
	long v;
	int by_name;

	r->off = d->pos;
	if (der_enter(d, DER_SEQUENCE, "KeyTransRecipientInfo", &ri) == -1)
		return -1;
	t.off = ri.pos;
	if (der_get_small(&ri, "KeyTransRecipientInfo version", 5, &v) == -1)
		return -1;
	if (v != 0 && v != 2)
		return der_fail(&ri, t.off, "KeyTransRecipientInfo version "
		    "%ld is not supported", v);
	r->version = (int)v;
	/* The tag decides; a subjectKeyIdentifier makes it version 2. */
	by_name = der_peek(&ri) == DER_SEQUENCE;
	if (cms_get_sid(&ri, by_name, &r->issuer, r->serial, &r->serial_len,
	    r->ski, &r->ski_len) == -1)
		return -1;
	if (!by_name)
		r->version = 2;
	if (get_kt_alg(&ri, r) == -1 ||
	    der_get(&ri, DER_OCTET_STRING, "encryptedKey", &t) == -1)
		return -1;
	r->ekey = t.val;
	r->ekey_len = t.len;
	return der_finish(&ri, "KeyTransRecipientInfo");
}

static int
parse_recips(struct der *set, struct cms_env *c)
{
	struct der_tlv t;
	struct cms_recip *r;

	while (der_more(set)) {
		if (der_peek(set) != DER_SEQUENCE) {
			/* kari [1], kekri [2], pwri [3], ori [4] */
			if (++c->nother > CMS_MAX_OTHER_RECIPS)
				return der_fail(set, set->pos, "more than %d "
				    "other recipientInfos",
				    CMS_MAX_OTHER_RECIPS);
			if (der_next(set, &t) == -1)
				return -1;
			continue;
		}
		if (c->nrecips >= CMS_MAX_RECIPS)
			return der_fail(set, set->pos, "more than %d "
			    "recipients", CMS_MAX_RECIPS);
		c->recips = xreallocarray(c->recips, c->nrecips + 1,
		    sizeof *c->recips);
		r = &c->recips[c->nrecips++];
		memset(r, 0, sizeof *r);
		dn_init(&r->issuer);
		if (parse_ktri(set, r) == -1)
			return -1;
	}
	if (c->nrecips == 0 && c->nother == 0)
		return der_fail(set, set->pos, "no recipientInfos");
	return 0;
}

/* ContentEncryptionAlgorithmIdentifier: aes-CBC { IV OCTET STRING (16) }
 * or aes-GCM GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING,
 * aes-ICVlen INTEGER DEFAULT 12 } (RFC 5084 3.2). */
static int
get_cipher(struct der *d, struct cms_env *c)
{
	struct der seq, gp;
	struct der_tlv oid, t;
	char name[80];
	long icv = 12;

	if (der_enter(d, DER_SEQUENCE, "contentEncryptionAlgorithm",
	    &seq) == -1 ||
	    der_get_oid(&seq, "contentEncryptionAlgorithm", &oid) == -1)
		return -1;
	switch (oid_find(oid.val, oid.len)) {
	case OID_AES128_CBC:
		c->cipher = CMS_AES128_CBC;
		break;
	case OID_AES256_CBC:
		c->cipher = CMS_AES256_CBC;
		break;
	case OID_AES128_GCM:
		c->cipher = CMS_AES128_GCM;
		break;
	case OID_AES256_GCM:
		c->cipher = CMS_AES256_GCM;
		break;
	default:
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&seq, oid.off, "content encryption %s is not "
		    "supported (only AES-128/256 CBC and GCM)", name);
	}
	c->key_len = c->cipher == CMS_AES128_CBC ||
	    c->cipher == CMS_AES128_GCM ? 16 : 32;
	if (c->cipher == CMS_AES128_CBC || c->cipher == CMS_AES256_CBC) {
		if (c->auth)
			return der_fail(&seq, oid.off, "AES-CBC in "
			    "AuthEnvelopedData (RFC 5083 needs an "
			    "authenticated cipher)");
		if (der_get(&seq, DER_OCTET_STRING, "IV", &t) == -1)
			return -1;
		if (t.len != 16)
			return der_fail(&seq, t.off, "AES-CBC IV of %zu bytes "
			    "(must be 16)", t.len);
	} else {
		if (!c->auth)
			return der_fail(&seq, oid.off, "AES-GCM in "
			    "EnvelopedData (RFC 5083: AuthEnvelopedData)");
		if (der_enter(&seq, DER_SEQUENCE, "GCMParameters", &gp) == -1 ||
		    der_get(&gp, DER_OCTET_STRING, "aes-nonce", &t) == -1)
			return -1;
		if (t.len != AEAD_NONCE_SIZE)
			return der_fail(&gp, t.off, "AES-GCM nonce of %zu "
			    "bytes is not supported (only %d)", t.len,
			    AEAD_NONCE_SIZE);
		if (der_more(&gp) && der_get_small(&gp, "aes-ICVlen", 16,
		    &icv) == -1)
			return -1;
		if (icv != AEAD_TAG_SIZE)
			return der_fail(&gp, gp.pos, "AES-GCM tag of %ld bytes "
			    "is not supported (only %d)", icv, AEAD_TAG_SIZE);
		if (der_finish(&gp, "GCMParameters") == -1)
			return -1;
	}
	memcpy(c->iv, t.val, t.len);
	c->iv_len = t.len;
	return der_finish(&seq, "contentEncryptionAlgorithm");
}

/*
 * EncryptedContentInfo ::= SEQUENCE {
 *     contentType ContentType,
 *     contentEncryptionAlgorithm ContentEncryptionAlgorithmIdentifier,
 *     encryptedContent [0] IMPLICIT EncryptedContent OPTIONAL }
 */
static int
parse_eci(struct der *d, struct cms_env *c)
{
	struct der eci;
	struct der_tlv t;

	if (der_enter(d, DER_SEQUENCE, "encryptedContentInfo", &eci) == -1 ||
	    der_get_oid(&eci, "contentType", &t) == -1)
		return -1;
	c->content_type = t.val;
	c->content_type_len = t.len;
	if (get_cipher(&eci, c) == -1)
		return -1;
	if (der_peek(&eci) == DER_CTX_CONS(0))
		return der_fail(&eci, eci.pos, "constructed encryptedContent "
		    "(BER) is not supported");
	if (!der_more(&eci))
		return der_fail(&eci, eci.pos, "encryptedContent missing "
		    "(detached content is not supported)");
	if (der_get(&eci, DER_CTX(0), "encryptedContent", &t) == -1)
		return -1;
	c->ct = t.val;
	c->ct_len = t.len;
	return der_finish(&eci, "encryptedContentInfo");
}

/*
 * EnvelopedData ::= SEQUENCE {
 *     version CMSVersion,
 *     originatorInfo [0] IMPLICIT OriginatorInfo OPTIONAL,
 *     recipientInfos RecipientInfos,
 *     encryptedContentInfo EncryptedContentInfo,
 *     unprotectedAttrs [1] IMPLICIT UnprotectedAttributes OPTIONAL }
 * AuthEnvelopedData ::= SEQUENCE {
 *     version CMSVersion,
 *     originatorInfo [0] IMPLICIT OriginatorInfo OPTIONAL,
 *     recipientInfos RecipientInfos,
 *     authEncryptedContentInfo EncryptedContentInfo,
 *     authAttrs [1] IMPLICIT AuthAttributes OPTIONAL,
 *     mac MessageAuthenticationCode,
 *     unauthAttrs [2] IMPLICIT UnauthAttributes OPTIONAL }
 */
static int
parse_env_data(struct der *ed, struct cms_env *c)
{
	struct der set;
	struct der_tlv t;
	long v;
	int r;

	t.off = ed->pos;
	if (der_get_small(ed, "version", 5, &v) == -1)
		return -1;
	if (c->auth ? v != 0 : v > 4)
		return der_fail(ed, t.off, "%s version %ld is not supported",
		    c->auth ? "AuthEnvelopedData" : "EnvelopedData", v);
	c->version = (int)v;
	if (der_opt(ed, DER_CTX_CONS(0), "originatorInfo", &t) == -1 ||
	    der_enter(ed, DER_SET, "recipientInfos", &set) == -1 ||
	    parse_recips(&set, c) == -1 || parse_eci(ed, c) == -1)
		return -1;
	if (c->auth) {
		if ((r = der_opt(ed, DER_CTX_CONS(1), "authAttrs", &t)) == -1)
			return -1;
		if (r == 1) {
			c->aad = ed->buf + t.off;
			c->aad_len = t.hdrlen + t.len;
		}
		if (der_get(ed, DER_OCTET_STRING, "mac", &t) == -1)
			return -1;
		if (t.len != AEAD_TAG_SIZE)
			return der_fail(ed, t.off, "mac of %zu bytes (the "
			    "GCM tag is %d)", t.len, AEAD_TAG_SIZE);
		c->mac = t.val;
		c->mac_len = t.len;
		if (der_opt(ed, DER_CTX_CONS(2), "unauthAttrs", &t) == -1)
			return -1;
	} else if (der_opt(ed, DER_CTX_CONS(1), "unprotectedAttrs", &t) == -1)
		return -1;
	return der_finish(ed, c->auth ? "AuthEnvelopedData" :
	    "EnvelopedData");
}

int
cms_env_parse(struct cms_env *c, const uint8_t *der, size_t len,
    struct err *e)
{
	struct der ci, content, ed;
	struct der_tlv t;
	char name[80];

	cms_env_clear(c);
	if (cms_content_info(der, len, &c->der, &c->len, &ci, &t, e) == -1)
		goto fail;
	if (oid_is(&t, OID_AUTH_ENVELOPED_DATA))
		c->auth = 1;
	else if (!oid_is(&t, OID_PKCS7_ENVELOPED_DATA)) {
		oid_to_text(t.val, t.len, name, sizeof name);
		der_fail(&ci, t.off, "content type %s is not supported (only "
		    "pkcs7-envelopedData and id-smime-ct-authEnvelopedData)",
		    name);
		goto fail;
	}
	if (cms_content_enter(&ci, c->auth ? "AuthEnvelopedData" :
	    "EnvelopedData", &content, &ed) == -1 ||
	    parse_env_data(&ed, c) == -1 ||
	    cms_content_leave(&ci, &content) == -1)
		goto fail;
	return 0;
fail:
	cms_env_clear(c);
	return -1;
}

static int
parse_any(void *c, const uint8_t *der, size_t len, struct err *e)
{
	return cms_env_parse(c, der, len, e);
}

int
cms_env_load(struct cms_env *c, const uint8_t *data, size_t len,
    struct err *e)
{
	return cms_read_pem(c, data, len, parse_any,
	    "no CMS or PKCS7 block found", e);
}

/* ---- opening ---- */

long
cms_env_find(const struct cms_env *c, const struct cert *x)
{
	size_t i;

	for (i = 0; i < c->nrecips; i++) {
		const struct cms_recip *r = &c->recips[i];

		if (r->version == 0 ? r->serial_len == x->serial_len &&
		    memcmp(r->serial, x->serial, x->serial_len) == 0 &&
		    dn_equal(&r->issuer, &x->issuer) :
		    x->ext.ski_len == r->ski_len && r->ski_len > 0 &&
		    memcmp(x->ext.ski, r->ski, r->ski_len) == 0)
			return (long)i;
	}
	return -1;
}

/* The content key of recipient r, or random bytes when the key transport
 * fails: which of the two it is is known to no one (RFC 3218 2.3.2). */
static void
unwrap_key(const struct cms_recip *r, const struct rsakey *key,
    uint8_t *cek, size_t len)
{
	uint8_t fake[CMS_ENV_KEY_MAX];
	int ok;

	rand_bytes(fake, len);
	if (r->kt == CMS_KT_OAEP)
		ok = oaep_decrypt(key, r->oaep_hash, r->oaep_mgf, r->ekey,
		    r->ekey_len, cek, len);
	else
		ok = rsadec_decrypt(key, r->ekey, r->ekey_len, cek, len);
	cnd_memcpy(!ok, cek, fake, len);
	explicit_bzero(fake, sizeof fake);
}

static int
decrypt_content(const struct cms_env *c, const uint8_t *cek, struct buf *out)
{
	struct err e2;
	uint8_t *in, *pt;
	size_t n;
	int rc;

	if (!c->auth) {
		err_clear(&e2);
		if (aescbc_decrypt(cek, c->key_len, c->iv, c->ct, c->ct_len,
		    out, &e2) == -1)
			return -1;
		return 0;
	}
	/* aead_open wants the tag after the ciphertext. */
	n = c->ct_len + c->mac_len;
	in = xmalloc(n);
	pt = xmalloc(c->ct_len > 0 ? c->ct_len : 1);
	memcpy(in, c->ct, c->ct_len);
	memcpy(in + c->ct_len, c->mac, c->mac_len);
	if (c->aad != NULL) {
		/* The additional data is the DER of authAttrs as a SET OF
		 * (RFC 5083 2.2), not the [1] it is sent as. */
		uint8_t *aad = xmalloc(c->aad_len);

		memcpy(aad, c->aad, c->aad_len);
		aad[0] = DER_SET;
		rc = aead_open(cek, c->key_len, c->iv, aad, c->aad_len, in, n,
		    pt);
		free(aad);
	} else
		rc = aead_open(cek, c->key_len, c->iv, NULL, 0, in, n, pt);
	if (rc == 0)
		buf_append(out, pt, c->ct_len);
	explicit_bzero(pt, c->ct_len);
	free(pt);
	free(in);
	return rc == 0 ? 0 : -1;
}

static int
no_recipient(const struct cms_env *c, const struct cert *x, struct err *e)
{
	char serial[3 * CERT_MAX_SERIAL + 1], *subj, *iss;

	cert_serial_hex(x->serial, x->serial_len, serial, sizeof serial);
	subj = dn_to_string(&x->subject);
	iss = dn_to_string(&x->issuer);
	err_set(e, ERR_REFUSED, "the message is not sealed to '%s' (issuer "
	    "'%s', serial %s; it has %zu recipient%s)", subj, iss, serial,
	    c->nrecips + c->nother, c->nrecips + c->nother == 1 ? "" : "s");
	free(subj);
	free(iss);
	return -1;
}

int
cms_env_open(const struct cms_env *c, const struct cert *x,
    const struct rsakey *key, struct buf *out, struct err *e)
{
	const struct cms_recip *r;
	uint8_t cek[CMS_ENV_KEY_MAX];
	size_t before = out->len;
	long i;
	int rc;

	if ((i = cms_env_find(c, x)) == -1)
		return no_recipient(c, x, e);
	r = &c->recips[i];
	if (r->kt == CMS_KT_OTHER)
		return err_set(e, ERR_REFUSED, "recipient %ld: key transport "
		    "%s is not supported (only rsaEncryption and rsaesOaep)",
		    i + 1, r->kt_name);
	if (!key->has_private || key->pub.size == 0)
		return err_set(e, ERR_USAGE, "opening needs the recipient's "
		    "private key");
	if (mpz_cmp(x->key.pub.n, key->pub.n) != 0)
		return err_set(e, ERR_USAGE, "the key does not match the "
		    "recipient's certificate");
	unwrap_key(r, key, cek, c->key_len);
	rc = decrypt_content(c, cek, out);
	explicit_bzero(cek, sizeof cek);
	if (rc == -1) {
		if (out->len > before)
			explicit_bzero(out->data + before, out->len - before);
		out->len = before;
		return err_set(e, ERR_PASS, "content decryption failed (not "
		    "sealed to this key, or altered)");
	}
	return 0;
}
