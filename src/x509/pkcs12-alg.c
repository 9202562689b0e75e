/* pkcs12-alg.c — the password-based encryption a PKCS#12 file names:
 * reading and writing its AlgorithmIdentifier, and running it; see
 * pkcs12.h. */
#include <stdio.h>
#include <string.h>

#include "asn1/oid.h"
#include "x509/pkcs12.h"

#define PBE_SALT_MAX 64

/* The RFC 7292 Appendix C schemes: SHA-1 KDF, this cipher. */
static const struct {
	enum oid_id oid;
	enum pbe_cipher cipher;
} p12_schemes[] = {
	{ OID_PBE_SHA1_3DES, PBE_DES3_CBC },
	{ OID_PBE_SHA1_RC2_128, PBE_RC2_128_CBC },
	{ OID_PBE_SHA1_RC2_40, PBE_RC2_40_CBC },
};

/* PBES2's encryption schemes (IV in the parameters). */
static const struct {
	enum oid_id oid;
	enum pbe_cipher cipher;
} pbes2_ciphers[] = {
	{ OID_AES128_CBC, PBE_AES128_CBC },
	{ OID_AES192_CBC, PBE_AES192_CBC },
	{ OID_AES256_CBC, PBE_AES256_CBC },
	{ OID_DES_EDE3_CBC, PBE_DES3_CBC },
};

/* PBKDF2's PRFs. */
static const struct {
	enum oid_id oid;
	enum hash_alg hash;
} pbkdf2_prfs[] = {
	{ OID_HMAC_SHA1, HASH_SHA1 },
	{ OID_HMAC_SHA256, HASH_SHA256 },
	{ OID_HMAC_SHA384, HASH_SHA384 },
	{ OID_HMAC_SHA512, HASH_SHA512 },
};

static int
get_salt_iter(struct der *d, unsigned max_iter, struct pkcs12_alg *a)
{
	struct der_tlv t;
	long iter;
	size_t off;

	if (der_get(d, DER_OCTET_STRING, "salt", &t) == -1)
		return -1;
	if (t.len == 0 || t.len > PBE_SALT_MAX)
		return der_fail(d, t.off, "salt of %zu bytes (1 to %d "
		    "allowed)", t.len, PBE_SALT_MAX);
	a->salt = t.val;
	a->saltlen = t.len;
	off = d->pos;
	if (der_get_small(d, "iterationCount", 0x7fffffffL, &iter) == -1)
		return -1;
	if (iter < 1)
		return der_fail(d, off, "iteration count 0");
	if ((unsigned long)iter > max_iter)
		return der_fail(d, off, "iteration count %ld over the limit "
		    "of %u", iter, max_iter);
	a->iterations = (unsigned)iter;
	return 0;
}

/* AlgorithmIdentifier whose parameters are absent or NULL. */
static int
get_plain_alg(struct der *d, const char *what, struct der_tlv *oid)
{
	struct der seq;

	if (der_enter(d, DER_SEQUENCE, what, &seq) == -1 ||
	    der_get_oid(&seq, what, oid) == -1)
		return -1;
	if (der_more(&seq) && der_get_null(&seq, "parameters") == -1)
		return -1;
	return der_finish(&seq, what);
}

/*
 * PBES2-params ::= SEQUENCE { keyDerivationFunc { id-PBKDF2,
 *     PBKDF2-params }, encryptionScheme { cipher, iv OCTET STRING } }
 * PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER,
 *     keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT
 *     hmacWithSHA1 }
 */
static int
get_pbes2(struct der *d, unsigned max_iter, struct pkcs12_alg *a)
{
	struct der params, kdf, kdfp, enc;
	struct der_tlv oid, t;
	long keylen = -1;
	enum oid_id id;
	char name[80];
	size_t i, off;

	if (der_enter(d, DER_SEQUENCE, "PBES2-params", &params) == -1 ||
	    der_enter(&params, DER_SEQUENCE, "keyDerivationFunc", &kdf) == -1 ||
	    der_get_oid(&kdf, "keyDerivationFunc", &oid) == -1)
		return -1;
	if (oid_find(oid.val, oid.len) != OID_PBKDF2) {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&kdf, oid.off, "unknown key derivation "
		    "function %s (only PBKDF2)", name);
	}
	if (der_enter(&kdf, DER_SEQUENCE, "PBKDF2-params", &kdfp) == -1 ||
	    get_salt_iter(&kdfp, max_iter, a) == -1)
		return -1;
	off = kdfp.pos;
	if (der_peek(&kdfp) == DER_INTEGER &&
	    der_get_small(&kdfp, "keyLength", 64, &keylen) == -1)
		return -1;
	a->hash = HASH_SHA1;
	if (der_more(&kdfp)) {
		if (get_plain_alg(&kdfp, "prf", &oid) == -1)
			return -1;
		id = oid_find(oid.val, oid.len);
		for (i = 0; i < sizeof pbkdf2_prfs / sizeof pbkdf2_prfs[0]; i++)
			if (pbkdf2_prfs[i].oid == id)
				break;
		if (i == sizeof pbkdf2_prfs / sizeof pbkdf2_prfs[0]) {
			oid_to_text(oid.val, oid.len, name, sizeof name);
			return der_fail(&kdfp, oid.off, "unknown PBKDF2 PRF "
			    "%s", name);
		}
		a->hash = pbkdf2_prfs[i].hash;
	}
	if (der_finish(&kdfp, "PBKDF2-params") == -1 ||
	    der_finish(&kdf, "keyDerivationFunc") == -1 ||
	    der_enter(&params, DER_SEQUENCE, "encryptionScheme", &enc) == -1 ||
	    der_get_oid(&enc, "encryptionScheme", &oid) == -1)
		return -1;
	id = oid_find(oid.val, oid.len);
	for (i = 0; i < sizeof pbes2_ciphers / sizeof pbes2_ciphers[0]; i++)
		if (pbes2_ciphers[i].oid == id)
			break;
	if (i == sizeof pbes2_ciphers / sizeof pbes2_ciphers[0]) {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&enc, oid.off, "unknown PBES2 cipher %s", name);
	}
	a->cipher = pbes2_ciphers[i].cipher;
	if (keylen != -1 && (size_t)keylen != pbe_cipher_keylen(a->cipher))
		return der_fail(&kdfp, off, "PBKDF2 keyLength %ld does not "
		    "match the cipher", keylen);
	if (der_get(&enc, DER_OCTET_STRING, "iv", &t) == -1)
		return -1;
	if (t.len != pbe_cipher_blocklen(a->cipher))
		return der_fail(&enc, t.off, "IV of %zu bytes (want %zu)",
		    t.len, pbe_cipher_blocklen(a->cipher));
	a->iv = t.val;
	if (der_finish(&enc, "encryptionScheme") == -1)
		return -1;
	return der_finish(&params, "PBES2-params");
}

int
pkcs12_alg_parse(struct der *d, unsigned max_iter, struct pkcs12_alg *a)
{
	struct der seq, params;
	struct der_tlv oid;
	enum oid_id id;
	char name[80];
	size_t i;

	memset(a, 0, sizeof *a);
	if (der_enter(d, DER_SEQUENCE, "encryption AlgorithmIdentifier",
	    &seq) == -1 || der_get_oid(&seq, "encryption algorithm", &oid) == -1)
		return -1;
	id = oid_find(oid.val, oid.len);
	a->scheme = id;
	if (id == OID_PBES2) {
		if (get_pbes2(&seq, max_iter, a) == -1)
			return -1;
		return der_finish(&seq, "encryption AlgorithmIdentifier");
	}
	for (i = 0; i < sizeof p12_schemes / sizeof p12_schemes[0]; i++)
		if (p12_schemes[i].oid == id)
			break;
	if (id == OID_UNKNOWN || i == sizeof p12_schemes / sizeof p12_schemes[0]) {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&seq, oid.off, "unknown PBE algorithm %s", name);
	}
	a->cipher = p12_schemes[i].cipher;
	a->hash = HASH_SHA1;
	/* pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING,
	 *     iterations INTEGER } */
	if (der_enter(&seq, DER_SEQUENCE, "pkcs-12PbeParams", &params) == -1 ||
	    get_salt_iter(&params, max_iter, a) == -1 ||
	    der_finish(&params, "pkcs-12PbeParams") == -1)
		return -1;
	return der_finish(&seq, "encryption AlgorithmIdentifier");
}

void
pkcs12_alg_encode(struct derw *w, const struct pkcs12_alg *a)
{
	enum oid_id cipher = OID_UNKNOWN, prf = OID_UNKNOWN;
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, a->scheme);
	if (a->scheme != OID_PBES2) {
		derw_begin(w, DER_SEQUENCE);
		derw_tlv(w, DER_OCTET_STRING, a->salt, a->saltlen);
		derw_small(w, (long)a->iterations);
		derw_end(w);
		derw_end(w);
		return;
	}
	for (i = 0; i < sizeof pbes2_ciphers / sizeof pbes2_ciphers[0]; i++)
		if (pbes2_ciphers[i].cipher == a->cipher)
			cipher = pbes2_ciphers[i].oid;
	for (i = 0; i < sizeof pbkdf2_prfs / sizeof pbkdf2_prfs[0]; i++)
		if (pbkdf2_prfs[i].hash == a->hash)
			prf = pbkdf2_prfs[i].oid;
	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PBKDF2);
	derw_begin(w, DER_SEQUENCE);
	derw_tlv(w, DER_OCTET_STRING, a->salt, a->saltlen);
	derw_small(w, (long)a->iterations);
	/* hmacWithSHA1 is the DEFAULT, which DER leaves out. */
	if (a->hash != HASH_SHA1) {
		derw_begin(w, DER_SEQUENCE);
		derw_oid(w, prf);
		derw_null(w);
		derw_end(w);
	}
	derw_end(w);
	derw_end(w);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, cipher);
	derw_tlv(w, DER_OCTET_STRING, a->iv, pbe_cipher_blocklen(a->cipher));
	derw_end(w);
	derw_end(w);
	derw_end(w);
}

/* The key and IV of a, from pass. */
static int
derive(const struct pkcs12_alg *a, const char *pass, size_t passlen,
    uint8_t key[PBE_MAX_KEY], uint8_t iv[PBE_MAX_BLOCK], struct err *e)
{
	size_t kl = pbe_cipher_keylen(a->cipher);
	size_t bl = pbe_cipher_blocklen(a->cipher);
	struct buf bmp;

	if (a->scheme == OID_PBES2) {
		pbe_pbkdf2(a->hash, pass, passlen, a->salt, a->saltlen,
		    a->iterations, key, kl);
		memcpy(iv, a->iv, bl);
		return 0;
	}
	buf_init(&bmp);
	if (pbe_bmp_password(pass, passlen, &bmp, e) == -1)
		return -1;
	pbe_pkcs12_kdf(a->hash, PBE_ID_KEY, bmp.data, bmp.len, a->salt,
	    a->saltlen, a->iterations, key, kl);
	pbe_pkcs12_kdf(a->hash, PBE_ID_IV, bmp.data, bmp.len, a->salt,
	    a->saltlen, a->iterations, iv, bl);
	buf_clear_secret(&bmp);
	return 0;
}

int
pkcs12_alg_decrypt(const struct pkcs12_alg *a, const char *pass,
    size_t passlen, const uint8_t *in, size_t len, struct buf *out,
    struct err *e)
{
	uint8_t key[PBE_MAX_KEY], iv[PBE_MAX_BLOCK];
	int rc;

	if (derive(a, pass, passlen, key, iv, e) == -1)
		return -1;
	rc = pbe_cbc_decrypt(a->cipher, key, iv, in, len, out, e);
	explicit_bzero(key, sizeof key);
	explicit_bzero(iv, sizeof iv);
	return rc;
}

int
pkcs12_alg_encrypt(const struct pkcs12_alg *a, const char *pass,
    size_t passlen, const uint8_t *in, size_t len, struct buf *out,
    struct err *e)
{
	uint8_t key[PBE_MAX_KEY], iv[PBE_MAX_BLOCK];

	if (derive(a, pass, passlen, key, iv, e) == -1)
		return -1;
	pbe_cbc_encrypt(a->cipher, key, iv, in, len, out);
	explicit_bzero(key, sizeof key);
	explicit_bzero(iv, sizeof iv);
	return 0;
}

void
pkcs12_alg_describe(const struct pkcs12_alg *a, char *out, size_t n)
{
	const char *h = a->hash == HASH_SHA1 ? "SHA1" :
	    a->hash == HASH_SHA256 ? "SHA256" :
	    a->hash == HASH_SHA384 ? "SHA384" : "SHA512";

	if (a->scheme == OID_PBES2)
		snprintf(out, n, "PBES2 (PBKDF2-HMAC-%s, %s), %u iterations",
		    h, pbe_cipher_name(a->cipher), a->iterations);
	else
		snprintf(out, n, "%s%s, %u iterations",
		    oid_get(a->scheme)->sn,
		    a->cipher == PBE_DES3_CBC ? "" : " (weak)", a->iterations);
}
