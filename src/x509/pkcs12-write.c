/* pkcs12-write.c — a PFX as `openssl pkcs12 -export` writes it; see
 * pkcs12.h.
 *
 * Layout (OpenSSL's): AuthenticatedSafe = [ encryptedData holding the
 * certificate bags, data holding the shrouded key bag ], then the MAC over
 * the AuthenticatedSafe. Built inside out: each inner DER is encoded, then
 * encrypted or wrapped by the next layer. */
#include <stdlib.h>
#include <string.h>

#include "asn1/oid.h"
#include "crypto/rand.h"
#include "util/xalloc.h"
#include "x509/pkcs12.h"

#define SALT_LEN 16		/* PBES2 and the SHA-256 MAC */
#define LEGACY_SALT_LEN 8	/* what the RFC 7292 schemes always had */

struct enc_bag {		/* one SafeBag to encode */
	enum oid_id type;
	const uint8_t *value;	/* DER of the bagValue contents */
	size_t len;
	const uint8_t *attrs;	/* encoded Attributes in DER order, or NULL */
	size_t attrslen;
};

struct enc_safe {		/* SafeContents */
	const struct enc_bag *bags;
	size_t n;
};

/* SafeContents ::= SEQUENCE OF SafeBag; SafeBag ::= SEQUENCE { bagId,
 *     bagValue [0] EXPLICIT, bagAttributes SET OF Attribute OPTIONAL } */
static void
encode_safe(struct derw *w, const void *arg)
{
	const struct enc_safe *s = arg;
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	for (i = 0; i < s->n; i++) {
		derw_begin(w, DER_SEQUENCE);
		derw_oid(w, s->bags[i].type);
		derw_begin(w, DER_CTX_CONS(0));
		derw_raw(w, s->bags[i].value, s->bags[i].len);
		derw_end(w);
		if (s->bags[i].attrs != NULL) {
			derw_begin(w, DER_SET);
			derw_raw(w, s->bags[i].attrs, s->bags[i].attrslen);
			derw_end(w);
		}
		derw_end(w);
	}
	derw_end(w);
}

struct enc_attr {
	enum oid_id id;
	unsigned tag;
	const uint8_t *val;
	size_t len;
};

/* PKCS12Attribute ::= SEQUENCE { attrId, attrValues SET OF { value } } */
static void
encode_attr(struct derw *w, const void *arg)
{
	const struct enc_attr *a = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, a->id);
	derw_begin(w, DER_SET);
	derw_tlv(w, a->tag, a->val, a->len);
	derw_end(w);
	derw_end(w);
}

/* friendlyName and localKeyID, in the order of DER's SET OF. */
static void
make_attrs(const char *name, const uint8_t keyid[20], struct buf *out)
{
	struct enc_attr fn, ki;
	uint8_t *a, *b;
	size_t alen, blen, i;
	struct buf bmp;

	buf_init(&bmp);
	/* The name is an entity name (checked ASCII), so this cannot fail. */
	if (pbe_bmp_password(name, strlen(name), &bmp, NULL) == -1)
		xalloc_fail("friendlyName");
	fn.id = OID_FRIENDLY_NAME;
	fn.tag = DER_BMPSTRING;
	fn.val = bmp.data;
	fn.len = bmp.len - 2;	/* without the terminating zero pair */
	ki.id = OID_LOCAL_KEY_ID;
	ki.tag = DER_OCTET_STRING;
	ki.val = keyid;
	ki.len = 20;
	a = der_encode(encode_attr, &fn, &alen, NULL);
	b = der_encode(encode_attr, &ki, &blen, NULL);
	if (a == NULL || b == NULL)
		xalloc_fail("attributes");
	i = derw_set_cmp(a, alen, b, blen) <= 0;
	buf_append(out, i ? a : b, i ? alen : blen);
	buf_append(out, i ? b : a, i ? blen : alen);
	free(a);
	free(b);
	buf_clear(&bmp);
}

/* CertBag ::= SEQUENCE { certId x509Certificate,
 *     certValue [0] EXPLICIT OCTET STRING (the certificate DER) } */
static void
encode_certbag(struct derw *w, const void *arg)
{
	const struct cert *c = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_X509_CERTIFICATE);
	derw_begin(w, DER_CTX_CONS(0));
	derw_tlv(w, DER_OCTET_STRING, c->der, c->len);
	derw_end(w);
	derw_end(w);
}

struct enc_epki {
	const struct pkcs12_alg *alg;
	const uint8_t *ct;
	size_t len;
};

/* EncryptedPrivateKeyInfo ::= SEQUENCE { alg, encryptedData OCTET STRING } */
static void
encode_epki(struct derw *w, const void *arg)
{
	const struct enc_epki *a = arg;

	derw_begin(w, DER_SEQUENCE);
	pkcs12_alg_encode(w, a->alg);
	derw_tlv(w, DER_OCTET_STRING, a->ct, a->len);
	derw_end(w);
}

struct enc_authsafe {
	const struct pkcs12_alg *certalg;
	const uint8_t *certct;	/* encrypted certificate SafeContents */
	size_t certlen;
	const uint8_t *keysafe;	/* plain SafeContents of the key bag */
	size_t keylen;
};

/* AuthenticatedSafe ::= SEQUENCE OF ContentInfo:
 *   { encryptedData, [0] EncryptedData { version 0, EncryptedContentInfo {
 *       data, alg, [0] IMPLICIT encryptedContent } } },
 *   { data, [0] OCTET STRING (SafeContents) } */
static void
encode_authsafe(struct derw *w, const void *arg)
{
	const struct enc_authsafe *a = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKCS7_ENCRYPTED_DATA);
	derw_begin(w, DER_CTX_CONS(0));
	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 0);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKCS7_DATA);
	pkcs12_alg_encode(w, a->certalg);
	derw_tlv(w, DER_CTX(0), a->certct, a->certlen);
	derw_end(w);
	derw_end(w);
	derw_end(w);
	derw_end(w);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKCS7_DATA);
	derw_begin(w, DER_CTX_CONS(0));
	derw_tlv(w, DER_OCTET_STRING, a->keysafe, a->keylen);
	derw_end(w);
	derw_end(w);
	derw_end(w);
}

struct enc_pfx {
	const uint8_t *authsafe;
	size_t authlen;
	enum oid_id machash;
	const uint8_t *mac;
	size_t maclen;
	const uint8_t *salt;
	size_t saltlen;
	unsigned iterations;
};

/* PFX ::= SEQUENCE { version 3, authSafe { data, [0] OCTET STRING },
 *     macData { DigestInfo { { hash, NULL }, digest }, macSalt,
 *     iterations } } */
static void
encode_pfx(struct derw *w, const void *arg)
{
	const struct enc_pfx *a = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 3);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKCS7_DATA);
	derw_begin(w, DER_CTX_CONS(0));
	derw_tlv(w, DER_OCTET_STRING, a->authsafe, a->authlen);
	derw_end(w);
	derw_end(w);
	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, a->machash);
	derw_null(w);
	derw_end(w);
	derw_tlv(w, DER_OCTET_STRING, a->mac, a->maclen);
	derw_end(w);
	derw_tlv(w, DER_OCTET_STRING, a->salt, a->saltlen);
	derw_small(w, (long)a->iterations);
	derw_end(w);
	derw_end(w);
}

/* An algorithm with fresh salt and IV (kept in salt and iv). */
static void
make_alg(struct pkcs12_alg *a, int legacy, enum pbe_cipher legacy_cipher,
    unsigned iterations, uint8_t salt[SALT_LEN], uint8_t iv[PBE_MAX_BLOCK])
{
	memset(a, 0, sizeof *a);
	a->iterations = iterations;
	a->salt = salt;
	if (legacy) {
		a->scheme = legacy_cipher == PBE_DES3_CBC ? OID_PBE_SHA1_3DES :
		    OID_PBE_SHA1_RC2_40;
		a->hash = HASH_SHA1;
		a->cipher = legacy_cipher;
		a->saltlen = LEGACY_SALT_LEN;
	} else {
		a->scheme = OID_PBES2;
		a->hash = HASH_SHA256;
		a->cipher = PBE_AES256_CBC;
		a->saltlen = SALT_LEN;
		rand_bytes(iv, PBE_MAX_BLOCK);
		a->iv = iv;
	}
	rand_bytes(salt, a->saltlen);
}

int
pkcs12_write(const struct pkcs12_out *o, const char *pass, size_t passlen,
    struct buf *out, struct err *e)
{
	uint8_t ksalt[SALT_LEN], csalt[SALT_LEN], msalt[SALT_LEN];
	uint8_t kiv[PBE_MAX_BLOCK], civ[PBE_MAX_BLOCK];
	uint8_t keyid[20], mackey[HASH_MAX_SIZE], mac[HASH_MAX_SIZE];
	unsigned iter = o->iterations ? o->iterations : PKCS12_ITERATIONS;
	struct buf attrs, keyct, certct, bmp;
	struct pkcs12_alg kalg, calg;
	struct enc_bag *bags = NULL, kbag;
	struct enc_safe safe;
	struct enc_epki epki;
	struct enc_authsafe as;
	struct enc_pfx pfx;
	uint8_t *epkider = NULL, *certsafe = NULL, *keysafe = NULL;
	uint8_t *authsafe = NULL, *der = NULL, **cbder = NULL;
	size_t epkilen, certsafelen, keysafelen, authlen, derlen, i, hlen;
	enum hash_alg mh = o->legacy ? HASH_SHA1 : HASH_SHA256;
	int rc = -1;

	buf_init(&attrs);
	buf_init(&keyct);
	buf_init(&certct);
	buf_init(&bmp);
	if (o->certs == NULL || o->certs->n == 0)
		return err_set(e, ERR_USAGE, "a PKCS#12 file needs the key's "
		    "certificate");
	if (pbe_bmp_password(pass, passlen, &bmp, e) == -1)
		goto out;
	hash_digest(HASH_SHA1, o->certs->v[0].der, o->certs->v[0].len, keyid);
	make_attrs(o->name, keyid, &attrs);

	/* The certificates: the key's own with the attributes, the chain
	 * without (as OpenSSL writes it). */
	bags = xcalloc(o->certs->n, sizeof *bags);
	cbder = xcalloc(o->certs->n, sizeof *cbder);
	for (i = 0; i < o->certs->n; i++) {
		cbder[i] = der_encode(encode_certbag, &o->certs->v[i],
		    &bags[i].len, e);
		if (cbder[i] == NULL)
			goto out;
		bags[i].type = OID_P12_CERT_BAG;
		bags[i].value = cbder[i];
		bags[i].attrs = i == 0 ? attrs.data : NULL;
		bags[i].attrslen = i == 0 ? attrs.len : 0;
	}
	safe.bags = bags;
	safe.n = o->certs->n;
	if ((certsafe = der_encode(encode_safe, &safe, &certsafelen, e)) == NULL)
		goto out;
	make_alg(&calg, o->legacy, PBE_DES3_CBC, iter, csalt, civ);
	if (pkcs12_alg_encrypt(&calg, pass, passlen, certsafe, certsafelen,
	    &certct, e) == -1)
		goto out;

	/* The key, shrouded. */
	make_alg(&kalg, o->legacy, PBE_DES3_CBC, iter, ksalt, kiv);
	if (pkcs12_alg_encrypt(&kalg, pass, passlen, o->key, o->keylen,
	    &keyct, e) == -1)
		goto out;
	epki.alg = &kalg;
	epki.ct = keyct.data;
	epki.len = keyct.len;
	if ((epkider = der_encode(encode_epki, &epki, &epkilen, e)) == NULL)
		goto out;
	kbag.type = OID_P12_SHROUDED_KEY_BAG;
	kbag.value = epkider;
	kbag.len = epkilen;
	kbag.attrs = attrs.data;
	kbag.attrslen = attrs.len;
	safe.bags = &kbag;
	safe.n = 1;
	if ((keysafe = der_encode(encode_safe, &safe, &keysafelen, e)) == NULL)
		goto out;

	as.certalg = &calg;
	as.certct = certct.data;
	as.certlen = certct.len;
	as.keysafe = keysafe;
	as.keylen = keysafelen;
	if ((authsafe = der_encode(encode_authsafe, &as, &authlen, e)) == NULL)
		goto out;

	/* MAC: RFC 7292 B KDF (purpose 3) keys an HMAC over the
	 * AuthenticatedSafe. */
	hlen = hash_size(mh);
	rand_bytes(msalt, sizeof msalt);
	pfx.saltlen = o->legacy ? LEGACY_SALT_LEN : SALT_LEN;
	pbe_pkcs12_kdf(mh, PBE_ID_MAC, bmp.data, bmp.len, msalt, pfx.saltlen,
	    iter, mackey, hlen);
	pbe_hmac(mh, mackey, hlen, authsafe, authlen, mac);
	pfx.authsafe = authsafe;
	pfx.authlen = authlen;
	pfx.machash = o->legacy ? OID_SHA1 : OID_SHA256;
	pfx.mac = mac;
	pfx.maclen = hlen;
	pfx.salt = msalt;
	pfx.iterations = iter;
	if ((der = der_encode(encode_pfx, &pfx, &derlen, e)) == NULL)
		goto out;
	buf_append(out, der, derlen);
	rc = 0;
out:
	explicit_bzero(mackey, sizeof mackey);
	free(der);
	free(authsafe);
	free(keysafe);
	free(epkider);
	free(certsafe);
	if (cbder != NULL)
		for (i = 0; i < o->certs->n; i++)
			free(cbder[i]);
	free(cbder);
	free(bags);
	buf_clear_secret(&bmp);
	buf_clear(&attrs);
	buf_clear(&keyct);
	buf_clear(&certct);
	return rc;
}
