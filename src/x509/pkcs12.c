/* pkcs12.c — reading a PKCS#12 PFX; see pkcs12.h.
 *
 * The MAC covers the AuthenticatedSafe's octets, so it is checked before
 * any of them is decrypted or believed; a wrong passphrase therefore shows
 * as a MAC mismatch, never as a decryption failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/memops.h>

#include "asn1/oid.h"
#include "util/xalloc.h"
#include "x509/pkcs12.h"

#define MAC_SALT_MAX 64
#define FRIENDLY_NAME_MAX 256	/* bytes of BMPString kept */

struct reader {
	struct pkcs12 *p;
	const char *pass;	/* NULL: structure only */
	size_t passlen;
	struct err *e;
};

static const struct {
	enum oid_id type;
	const char *name;
} bag_names[] = {
	{ OID_P12_KEY_BAG, "keyBag" },
	{ OID_P12_SHROUDED_KEY_BAG, "pkcs8ShroudedKeyBag" },
	{ OID_P12_CERT_BAG, "certBag" },
	{ OID_P12_CRL_BAG, "crlBag" },
	{ OID_P12_SECRET_BAG, "secretBag" },
	{ OID_P12_SAFE_CONTENTS_BAG, "safeContentsBag" },
};

static const struct {
	enum oid_id oid;
	enum hash_alg hash;
	const char *name;
} mac_hashes[] = {
	{ OID_SHA1, HASH_SHA1, "HMAC-SHA1" },
	{ OID_SHA256, HASH_SHA256, "HMAC-SHA256" },
	{ OID_SHA384, HASH_SHA384, "HMAC-SHA384" },
	{ OID_SHA512, HASH_SHA512, "HMAC-SHA512" },
};

const char *
pkcs12_bag_name(enum oid_id t)
{
	size_t i;

	for (i = 0; i < sizeof bag_names / sizeof bag_names[0]; i++)
		if (bag_names[i].type == t)
			return bag_names[i].name;
	return "unknown bag";
}

void
pkcs12_init(struct pkcs12 *p)
{
	memset(p, 0, sizeof *p);
	p->max_iter = PKCS12_MAX_ITERATIONS;
}

void
pkcs12_clear(struct pkcs12 *p)
{
	unsigned max = p->max_iter;
	size_t i;

	for (i = 0; i < p->nbag; i++) {
		free(p->bag[i].friendly_name);
		if (p->bag[i].data != NULL)
			xfree_secret(p->bag[i].data, p->bag[i].len);
	}
	memset(p, 0, sizeof *p);
	p->max_iter = max;
}

int
pkcs12_detect(const uint8_t *der, size_t len)
{
	struct der d, seq, ci;
	long version;

	der_init(&d, der, len, NULL);
	return der_enter(&d, DER_SEQUENCE, NULL, &seq) == 0 &&
	    der_get_small(&seq, NULL, 255, &version) == 0 && version == 3 &&
	    der_enter(&seq, DER_SEQUENCE, NULL, &ci) == 0 &&
	    der_peek(&ci) == DER_OID;
}

/* BMPString to UTF-8 (NUL-terminated, owned). */
static char *
bmp_to_utf8(struct der *d, const struct der_tlv *t)
{
	struct buf b;
	unsigned c;
	size_t i;

	if (t->len % 2 != 0 || t->len > FRIENDLY_NAME_MAX) {
		der_fail(d, t->off, "friendlyName of %zu bytes (an even "
		    "number up to %d)", t->len, FRIENDLY_NAME_MAX);
		return NULL;
	}
	buf_init(&b);
	for (i = 0; i < t->len; i += 2) {
		c = (unsigned)t->val[i] << 8 | t->val[i + 1];
		if (c < 0x20 || c == 0x7f || (c >= 0xd800 && c <= 0xdfff))
			c = '?';	/* shown later: no control characters */
		if (c < 0x80)
			buf_putc(&b, (int)c);
		else if (c < 0x800) {
			buf_putc(&b, (int)(0xc0 | c >> 6));
			buf_putc(&b, (int)(0x80 | (c & 0x3f)));
		} else {
			buf_putc(&b, (int)(0xe0 | c >> 12));
			buf_putc(&b, (int)(0x80 | ((c >> 6) & 0x3f)));
			buf_putc(&b, (int)(0x80 | (c & 0x3f)));
		}
	}
	buf_putc(&b, 0);
	return (char *)buf_steal(&b, NULL);
}

/* bagAttributes SET OF PKCS12Attribute; PKCS12Attribute ::= SEQUENCE {
 *     attrId OID, attrValues SET OF ANY }. friendlyName and localKeyID are
 * kept, the rest (Microsoft's CSP name, Java's trust) skipped. */
static int
get_attributes(struct der *d, struct pkcs12_bag *bag)
{
	struct der set, attr, vals;
	struct der_tlv oid, t;
	enum oid_id id;

	if (der_enter(d, DER_SET, "bagAttributes", &set) == -1)
		return -1;
	while (der_more(&set)) {
		if (der_enter(&set, DER_SEQUENCE, "PKCS12Attribute",
		    &attr) == -1 || der_get_oid(&attr, "attrId", &oid) == -1 ||
		    der_enter(&attr, DER_SET, "attrValues", &vals) == -1)
			return -1;
		id = oid_find(oid.val, oid.len);
		if (id == OID_FRIENDLY_NAME && bag->friendly_name == NULL) {
			if (der_get(&vals, DER_BMPSTRING, "friendlyName",
			    &t) == -1 ||
			    (bag->friendly_name = bmp_to_utf8(&vals, &t)) == NULL)
				return -1;
		} else if (id == OID_LOCAL_KEY_ID && bag->key_id_len == 0) {
			if (der_get(&vals, DER_OCTET_STRING, "localKeyID",
			    &t) == -1)
				return -1;
			if (t.len == 0 || t.len > PKCS12_MAX_KEYID)
				return der_fail(&vals, t.off, "localKeyID of "
				    "%zu bytes (1 to %d)", t.len,
				    PKCS12_MAX_KEYID);
			memcpy(bag->key_id, t.val, t.len);
			bag->key_id_len = t.len;
		}
		/* Other values, and further values of these, are skipped. */
		while (der_more(&vals))
			if (der_next(&vals, &t) == -1)
				return -1;
		if (der_finish(&attr, "PKCS12Attribute") == -1)
			return -1;
	}
	return 0;
}

/* EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm,
 *     encryptedData OCTET STRING }, opened into bag->data when there is a
 * passphrase. */
static int
get_shrouded(struct reader *r, struct der *d, struct pkcs12_bag *bag)
{
	struct pkcs12_alg a;
	struct der seq, in;
	struct der_tlv t;
	struct buf plain;
	int rc = -1;

	if (der_enter(d, DER_SEQUENCE, "EncryptedPrivateKeyInfo", &seq) == -1 ||
	    pkcs12_alg_parse(&seq, r->p->max_iter, &a) == -1 ||
	    der_get(&seq, DER_OCTET_STRING, "encryptedData", &t) == -1 ||
	    der_finish(&seq, "EncryptedPrivateKeyInfo") == -1)
		return -1;
	pkcs12_alg_describe(&a, bag->prot, sizeof bag->prot);
	if (r->pass == NULL)
		return 0;
	buf_init(&plain);
	if (pkcs12_alg_decrypt(&a, r->pass, r->passlen, t.val, t.len, &plain,
	    r->e) == -1)
		goto out;
	/* The plaintext must at least be one SEQUENCE; the key itself is
	 * read by pkey_decode where it is used. */
	der_init(&in, plain.data, plain.len, r->e);
	if (der_get(&in, DER_SEQUENCE, "PrivateKeyInfo", &t) == -1 ||
	    der_finish(&in, "PrivateKeyInfo") == -1) {
		err_set(r->e, ERR_PASS, "shrouded key bag: wrong passphrase "
		    "or corrupt key");
		goto out;
	}
	bag->data = buf_steal(&plain, &bag->len);
	rc = 0;
out:
	buf_clear_secret(&plain);
	return rc;
}

/* CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT OCTET STRING } */
static int
get_cert(struct der *d, struct pkcs12_bag *bag)
{
	struct der seq, val;
	struct der_tlv oid, t;
	char name[80];

	if (der_enter(d, DER_SEQUENCE, "CertBag", &seq) == -1 ||
	    der_get_oid(&seq, "certId", &oid) == -1)
		return -1;
	if (oid_find(oid.val, oid.len) != OID_X509_CERTIFICATE) {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&seq, oid.off, "certificate type %s is not "
		    "supported (only x509Certificate)", name);
	}
	if (der_enter(&seq, DER_CTX_CONS(0), "certValue", &val) == -1 ||
	    der_get(&val, DER_OCTET_STRING, "certValue", &t) == -1 ||
	    der_finish(&val, "certValue") == -1 ||
	    der_finish(&seq, "CertBag") == -1)
		return -1;
	bag->data = xmalloc(t.len > 0 ? t.len : 1);
	memcpy(bag->data, t.val, t.len);
	bag->len = t.len;
	return 0;
}

static int get_safe_contents(struct reader *, struct der *, unsigned safe,
    unsigned depth);

/* SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY,
 *     bagAttributes SET OF PKCS12Attribute OPTIONAL } */
static int
get_bag(struct reader *r, struct der *d, unsigned safe, unsigned depth)
{
	struct pkcs12 *p = r->p;
	struct pkcs12_bag *bag;
	struct der seq, val;
	struct der_tlv oid, t;
	enum oid_id type;
	char name[80];
	size_t i, start = d->pos;

	if (der_enter(d, DER_SEQUENCE, "SafeBag", &seq) == -1 ||
	    der_get_oid(&seq, "bagId", &oid) == -1)
		return -1;
	type = oid_find(oid.val, oid.len);
	for (i = 0; i < sizeof bag_names / sizeof bag_names[0]; i++)
		if (bag_names[i].type == type)
			break;
	if (type == OID_UNKNOWN || i == sizeof bag_names / sizeof bag_names[0]) {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&seq, oid.off, "unknown bag type %s", name);
	}
	if (der_enter(&seq, DER_CTX_CONS(0), "bagValue", &val) == -1)
		return -1;
	if (type == OID_P12_SAFE_CONTENTS_BAG) {
		if (depth >= PKCS12_MAX_NEST)
			return der_fail(&seq, start, "safeContentsBag nested "
			    "deeper than %d", PKCS12_MAX_NEST);
		if (get_safe_contents(r, &val, safe, depth + 1) == -1)
			return -1;
		/* Attributes of the container bag itself are skipped. */
		while (der_more(&seq))
			if (der_next(&seq, &t) == -1)
				return -1;
		return der_finish(&val, "bagValue");
	}
	if (p->nbag >= PKCS12_MAX_BAGS)
		return der_fail(&seq, start, "more than %d bags",
		    PKCS12_MAX_BAGS);
	bag = &p->bag[p->nbag++];
	bag->type = type;
	bag->safe = safe;
	bag->depth = depth;
	switch (type) {
	case OID_P12_KEY_BAG:
		if (der_get(&val, DER_SEQUENCE, "PrivateKeyInfo", &t) == -1)
			return -1;
		bag->data = xmalloc(t.hdrlen + t.len);
		memcpy(bag->data, val.buf + t.off, t.hdrlen + t.len);
		bag->len = t.hdrlen + t.len;
		break;
	case OID_P12_SHROUDED_KEY_BAG:
		if (get_shrouded(r, &val, bag) == -1)
			return -1;
		break;
	case OID_P12_CERT_BAG:
		if (get_cert(&val, bag) == -1)
			return -1;
		break;
	default:
		/* CRL and secret bags are listed, not read. */
		if (der_next(&val, &t) == -1)
			return -1;
		break;
	}
	if (der_finish(&val, "bagValue") == -1)
		return -1;
	if (der_more(&seq) && get_attributes(&seq, bag) == -1)
		return -1;
	return der_finish(&seq, "SafeBag");
}

/* SafeContents ::= SEQUENCE OF SafeBag */
static int
get_safe_contents(struct reader *r, struct der *d, unsigned safe,
    unsigned depth)
{
	struct der seq;

	if (der_enter(d, DER_SEQUENCE, "SafeContents", &seq) == -1)
		return -1;
	while (der_more(&seq))
		if (get_bag(r, &seq, safe, depth) == -1)
			return -1;
	return 0;
}

/* SafeContents in plaintext of its own: offsets restart at 0 there. */
static int
get_decrypted(struct reader *r, const uint8_t *plain, size_t len,
    unsigned safe)
{
	struct der d;

	der_init(&d, plain, len, r->e);
	if (get_safe_contents(r, &d, safe, 0) == -1 ||
	    der_finish(&d, "SafeContents") == -1)
		return err_wrap(r->e, "encrypted SafeContents %u", safe + 1);
	return 0;
}

/* EncryptedData ::= SEQUENCE { version INTEGER, encryptedContentInfo
 *     SEQUENCE { contentType OID (data), contentEncryptionAlgorithm,
 *     encryptedContent [0] IMPLICIT OCTET STRING }, unprotectedAttrs [1]
 *     OPTIONAL } */
static int
get_encrypted_data(struct reader *r, struct der *d, unsigned safe)
{
	struct pkcs12_safe *s = &r->p->safe[safe];
	struct der seq, eci;
	struct der_tlv oid, t;
	struct pkcs12_alg a;
	struct buf plain;
	long version;
	int rc = -1;

	if (der_enter(d, DER_SEQUENCE, "EncryptedData", &seq) == -1 ||
	    der_get_small(&seq, "version", 2, &version) == -1 ||
	    der_enter(&seq, DER_SEQUENCE, "EncryptedContentInfo", &eci) == -1 ||
	    der_get_oid(&eci, "contentType", &oid) == -1)
		return -1;
	if (oid_find(oid.val, oid.len) != OID_PKCS7_DATA)
		return der_fail(&eci, oid.off, "encrypted content is not data");
	if (pkcs12_alg_parse(&eci, r->p->max_iter, &a) == -1 ||
	    der_get(&eci, DER_CTX(0), "encryptedContent", &t) == -1 ||
	    der_finish(&eci, "EncryptedContentInfo") == -1)
		return -1;
	/* unprotectedAttrs are skipped. */
	while (der_more(&seq))
		if (der_next(&seq, &oid) == -1)
			return -1;
	s->encrypted = 1;
	pkcs12_alg_describe(&a, s->prot, sizeof s->prot);
	if (r->pass == NULL)
		return 0;
	buf_init(&plain);
	if (pkcs12_alg_decrypt(&a, r->pass, r->passlen, t.val, t.len, &plain,
	    r->e) == -1) {
		err_wrap(r->e, "encrypted SafeContents %u", safe + 1);
		goto out;
	}
	if (get_decrypted(r, plain.data, plain.len, safe) == -1)
		goto out;
	s->opened = 1;
	rc = 0;
out:
	buf_clear_secret(&plain);
	return rc;
}

/* ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT } of
 * the AuthenticatedSafe: data (SafeContents in an OCTET STRING) or
 * encryptedData. */
static int
get_content_info(struct reader *r, struct der *d, unsigned safe)
{
	struct der seq, content, in;
	struct der_tlv oid, t;
	enum oid_id type;
	char name[80];

	if (der_enter(d, DER_SEQUENCE, "ContentInfo", &seq) == -1 ||
	    der_get_oid(&seq, "contentType", &oid) == -1 ||
	    der_enter(&seq, DER_CTX_CONS(0), "content", &content) == -1)
		return -1;
	type = oid_find(oid.val, oid.len);
	if (type == OID_PKCS7_DATA) {
		if (der_get(&content, DER_OCTET_STRING, "data", &t) == -1)
			return -1;
		der_sub(&content, &t, &in);
		if (get_safe_contents(r, &in, safe, 0) == -1 ||
		    der_finish(&in, "SafeContents") == -1)
			return -1;
		r->p->safe[safe].opened = 1;
	} else if (type == OID_PKCS7_ENCRYPTED_DATA) {
		if (get_encrypted_data(r, &content, safe) == -1)
			return -1;
	} else {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&seq, oid.off, "SafeContents of type %s are "
		    "not supported (only data and encryptedData)", name);
	}
	if (der_finish(&content, "content") == -1)
		return -1;
	return der_finish(&seq, "ContentInfo");
}

/* MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING,
 *     iterations INTEGER DEFAULT 1 }
 * DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier,
 *     digest OCTET STRING } */
static int
check_mac(struct reader *r, struct der *d, const uint8_t *authsafe,
    size_t authlen)
{
	struct pkcs12 *p = r->p;
	struct der seq, di, alg;
	struct der_tlv oid, dig, salt;
	uint8_t key[HASH_MAX_SIZE], mac[HASH_MAX_SIZE];
	struct buf bmp;
	enum oid_id id;
	long iter = 1;
	char name[80];
	size_t i, hlen, off;
	int ok;

	if (der_enter(d, DER_SEQUENCE, "MacData", &seq) == -1 ||
	    der_enter(&seq, DER_SEQUENCE, "DigestInfo", &di) == -1 ||
	    der_enter(&di, DER_SEQUENCE, "digestAlgorithm", &alg) == -1 ||
	    der_get_oid(&alg, "digestAlgorithm", &oid) == -1)
		return -1;
	id = oid_find(oid.val, oid.len);
	for (i = 0; i < sizeof mac_hashes / sizeof mac_hashes[0]; i++)
		if (mac_hashes[i].oid == id)
			break;
	if (id == OID_UNKNOWN || i == sizeof mac_hashes / sizeof mac_hashes[0]) {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&alg, oid.off, "unknown MAC algorithm %s",
		    name);
	}
	if ((der_more(&alg) && der_get_null(&alg, "parameters") == -1) ||
	    der_finish(&alg, "digestAlgorithm") == -1 ||
	    der_get(&di, DER_OCTET_STRING, "digest", &dig) == -1 ||
	    der_finish(&di, "DigestInfo") == -1 ||
	    der_get(&seq, DER_OCTET_STRING, "macSalt", &salt) == -1)
		return -1;
	hlen = hash_size(mac_hashes[i].hash);
	if (dig.len != hlen)
		return der_fail(&di, dig.off, "MAC of %zu bytes (want %zu)",
		    dig.len, hlen);
	if (salt.len == 0 || salt.len > MAC_SALT_MAX)
		return der_fail(&seq, salt.off, "MAC salt of %zu bytes (1 to "
		    "%d allowed)", salt.len, MAC_SALT_MAX);
	off = seq.pos;
	if (der_more(&seq) && der_get_small(&seq, "iterations", 0x7fffffffL,
	    &iter) == -1)
		return -1;
	if (iter < 1)
		return der_fail(&seq, off, "iteration count 0");
	if ((unsigned long)iter > p->max_iter)
		return der_fail(&seq, off, "iteration count %ld over the "
		    "limit of %u", iter, p->max_iter);
	if (der_finish(&seq, "MacData") == -1)
		return -1;
	snprintf(p->mac, sizeof p->mac, "%s, %ld iteration%s",
	    mac_hashes[i].name, iter, iter == 1 ? "" : "s");
	if (r->pass == NULL)
		return 0;
	buf_init(&bmp);
	if (pbe_bmp_password(r->pass, r->passlen, &bmp, r->e) == -1)
		return -1;
	pbe_pkcs12_kdf(mac_hashes[i].hash, PBE_ID_MAC, bmp.data, bmp.len,
	    salt.val, salt.len, (unsigned)iter, key, hlen);
	buf_clear_secret(&bmp);
	pbe_hmac(mac_hashes[i].hash, key, hlen, authsafe, authlen, mac);
	ok = memeql_sec(mac, dig.val, hlen);
	explicit_bzero(key, sizeof key);
	if (!ok)
		return err_set(r->e, ERR_PASS, "wrong passphrase (the PKCS#12 "
		    "MAC does not match)");
	p->mac_checked = 1;
	return 0;
}

/* PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo,
 *     macData MacData OPTIONAL }
 * AuthenticatedSafe ::= SEQUENCE OF ContentInfo */
int
pkcs12_parse(struct pkcs12 *p, const uint8_t *der, size_t len,
    const char *pass, size_t passlen, struct err *e)
{
	struct reader r = { p, pass, passlen, e };
	struct der d, pfx, ci, content, as;
	struct der_tlv oid, t;
	char name[80];
	long version;
	size_t off;

	if (len > PKCS12_MAX_SIZE)
		return err_set(e, ERR_INPUT, "PKCS#12 file larger than %d "
		    "bytes", PKCS12_MAX_SIZE);
	der_init(&d, der, len, e);
	if (der_enter(&d, DER_SEQUENCE, "PFX", &pfx) == -1 ||
	    der_finish(&d, "input") == -1)
		return -1;
	off = pfx.pos;
	if (der_get_small(&pfx, "version", 255, &version) == -1)
		return -1;
	if (version != 3)
		return der_fail(&pfx, off, "PFX version %ld (want 3)", version);
	if (der_enter(&pfx, DER_SEQUENCE, "authSafe", &ci) == -1 ||
	    der_get_oid(&ci, "contentType", &oid) == -1)
		return -1;
	if (oid_find(oid.val, oid.len) != OID_PKCS7_DATA) {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&ci, oid.off, "authSafe of type %s: only the "
		    "password integrity mode (data) is supported", name);
	}
	if (der_enter(&ci, DER_CTX_CONS(0), "content", &content) == -1 ||
	    der_get(&content, DER_OCTET_STRING, "authSafe", &t) == -1 ||
	    der_finish(&content, "content") == -1 ||
	    der_finish(&ci, "authSafe") == -1)
		return -1;
	/* The MAC first: nothing inside is trusted before it matches. */
	if (der_more(&pfx)) {
		if (check_mac(&r, &pfx, t.val, t.len) == -1)
			return -1;
	}
	if (der_finish(&pfx, "PFX") == -1)
		return -1;
	der_sub(&content, &t, &as);
	if (der_enter(&as, DER_SEQUENCE, "AuthenticatedSafe", &ci) == -1 ||
	    der_finish(&as, "authSafe") == -1)
		return -1;
	while (der_more(&ci)) {
		if (p->nsafe >= PKCS12_MAX_SAFES)
			return der_fail(&ci, ci.pos, "more than %d "
			    "SafeContents", PKCS12_MAX_SAFES);
		if (get_content_info(&r, &ci, (unsigned)p->nsafe++) == -1)
			return -1;
	}
	return 0;
}
