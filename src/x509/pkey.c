/* pkey.c — key encodings: PKCS#1, PKCS#8, PBES2, SPKI (the EC parts in
 * pkey-ec.c); see pkey.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/pbkdf2.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "crypto/aescbc.h"
#include "crypto/hash.h"
#include "crypto/kdf.h"
#include "crypto/rand.h"
#include "util/xalloc.h"
#include "x509/pkey.h"
#include "x509/pkeypriv.h"

/* A fuzzing build (crypto/rand.c) refuses all but cheap key derivations,
 * so that every input that decrypts stays fast. */
#ifdef MINIPKI_FUZZING
#define PBES2_MAX_ITERATIONS 16u
#else
#define PBES2_MAX_ITERATIONS 10000000u
#endif
#define PBES2_SALT_MIN 8
#define PBES2_SALT_MAX 64
#define RSA_E_MAX_BITS 256

/* hmacWithSHA1, 1.2.840.113549.2.7: the PBKDF2 default, not in the table. */
static const uint8_t oid_hmac_sha1[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07
};

void
pkey_init(struct pkey *k)
{
	k->type = PKEY_RSA;
	rsakey_init(&k->rsa);
	ec256key_init(&k->ec);
}

void
pkey_clear(struct pkey *k)
{
	rsakey_clear(&k->rsa);
	ec256key_clear(&k->ec);
}

int
pkey_has_private(const struct pkey *k)
{
	return k->type == PKEY_EC ? k->ec.has_private : k->rsa.has_private;
}

const char *
pkey_type_name(const struct pkey *k)
{
	return k->type == PKEY_EC ? "ec" : "rsa";
}

/* ---- encoding ---- */

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static void
encode_rsa_public(struct derw *w, const void *arg)
{
	const struct rsakey *k = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_mpz(w, k->pub.n);
	derw_mpz(w, k->pub.e);
	derw_end(w);
}

/* RSAPrivateKey ::= SEQUENCE { version 0, modulus, publicExponent,
 *     privateExponent, prime1, prime2, exponent1, exponent2, coefficient } */
static void
encode_rsa_private(struct derw *w, const void *arg)
{
	const struct rsakey *k = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 0);
	derw_mpz(w, k->pub.n);
	derw_mpz(w, k->pub.e);
	derw_mpz(w, k->priv.d);
	derw_mpz(w, k->priv.p);
	derw_mpz(w, k->priv.q);
	derw_mpz(w, k->priv.a);
	derw_mpz(w, k->priv.b);
	derw_mpz(w, k->priv.c);
	derw_end(w);
}

static void
encode_rsa_alg(struct derw *w)
{
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_RSA_ENCRYPTION);
	derw_null(w);
	derw_end(w);
}

/* PrivateKeyInfo ::= SEQUENCE { version 0, privateKeyAlgorithm
 *     AlgorithmIdentifier, privateKey OCTET STRING (RSAPrivateKey) } */
static void
encode_pkcs8(struct derw *w, const void *arg)
{
	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 0);
	encode_rsa_alg(w);
	derw_begin(w, DER_OCTET_STRING);
	encode_rsa_private(w, arg);
	derw_end(w);
	derw_end(w);
}

/* The same with an ECPrivateKey inside, id-ecPublicKey + prime256v1. */
static void
encode_pkcs8_ec(struct derw *w, const void *arg)
{
	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 0);
	pkey_ec_encode_alg(w);
	derw_begin(w, DER_OCTET_STRING);
	pkey_ec_encode_sec1_inner(w, arg);
	derw_end(w);
	derw_end(w);
}

static void
append_encoding(der_encode_fn *fn, const void *arg, struct buf *out)
{
	uint8_t *p;
	size_t len;

	/* Our own numbers always encode; a failure is a programming error. */
	if ((p = der_encode(fn, arg, &len, NULL)) == NULL)
		xalloc_fail("key encoding");
	buf_append(out, p, len);
	xfree_secret(p, len);
}

void
pkey_encode_pkcs1(const struct rsakey *k, struct buf *out)
{
	append_encoding(encode_rsa_private, k, out);
}

void
pkey_encode_pkcs8(const struct rsakey *k, struct buf *out)
{
	append_encoding(encode_pkcs8, k, out);
}

void
pkey_encode_pkcs8_any(const struct pkey *k, struct buf *out)
{
	if (k->type == PKEY_EC)
		append_encoding(encode_pkcs8_ec, &k->ec, out);
	else
		append_encoding(encode_pkcs8, &k->rsa, out);
}

struct enc_arg {
	const uint8_t *salt;
	unsigned iterations;
	const uint8_t *iv;
	const uint8_t *ct;
	size_t ctlen;
};

/*
 * EncryptedPrivateKeyInfo ::= SEQUENCE {
 *     encryptionAlgorithm AlgorithmIdentifier { id-PBES2, PBES2-params },
 *     encryptedData OCTET STRING }
 * PBES2-params ::= SEQUENCE { keyDerivationFunc { id-PBKDF2, PBKDF2-params },
 *     encryptionScheme { aes256-CBC, iv OCTET STRING } }
 * PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER,
 *     prf AlgorithmIdentifier { hmacWithSHA256, NULL } }
 */
static void
encode_encrypted(struct derw *w, const void *arg)
{
	const struct enc_arg *a = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PBES2);
	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PBKDF2);
	derw_begin(w, DER_SEQUENCE);
	derw_tlv(w, DER_OCTET_STRING, a->salt, 16);
	derw_small(w, (long)a->iterations);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_HMAC_SHA256);
	derw_null(w);
	derw_end(w);
	derw_end(w);
	derw_end(w);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_AES256_CBC);
	derw_tlv(w, DER_OCTET_STRING, a->iv, 16);
	derw_end(w);
	derw_end(w);
	derw_end(w);
	derw_tlv(w, DER_OCTET_STRING, a->ct, a->ctlen);
	derw_end(w);
}

/* Encrypts the PrivateKeyInfo in plain (wiped here) into out. */
static void
encrypt_pkcs8(struct buf *plain, const char *pass, size_t passlen,
    unsigned iterations, struct buf *out)
{
	uint8_t salt[16], iv[16], key[32];
	struct buf ct;
	struct enc_arg a;

	if (iterations == 0)
		iterations = PKEY_PBES2_ITERATIONS;
	buf_init(&ct);
	rand_bytes(salt, sizeof salt);
	rand_bytes(iv, sizeof iv);
	kdf_pbkdf2_sha256(pass, passlen, salt, sizeof salt, iterations, key,
	    sizeof key);
	aescbc_encrypt(key, sizeof key, iv, plain->data, plain->len, &ct);
	a.salt = salt;
	a.iterations = iterations;
	a.iv = iv;
	a.ct = ct.data;
	a.ctlen = ct.len;
	append_encoding(encode_encrypted, &a, out);
	explicit_bzero(key, sizeof key);
	buf_clear_secret(plain);
	buf_clear(&ct);
}

void
pkey_encode_pkcs8_encrypted(const struct rsakey *k, const char *pass,
    size_t passlen, unsigned iterations, struct buf *out)
{
	struct buf plain;

	buf_init(&plain);
	pkey_encode_pkcs8(k, &plain);
	encrypt_pkcs8(&plain, pass, passlen, iterations, out);
}

void
pkey_encode_pkcs8_encrypted_any(const struct pkey *k, const char *pass,
    size_t passlen, unsigned iterations, struct buf *out)
{
	struct buf plain;

	buf_init(&plain);
	pkey_encode_pkcs8_any(k, &plain);
	encrypt_pkcs8(&plain, pass, passlen, iterations, out);
}

/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
 *     subjectPublicKey BIT STRING (RSAPublicKey) } */
void
pkey_encode_spki(struct derw *w, const struct rsakey *k)
{
	derw_begin(w, DER_SEQUENCE);
	encode_rsa_alg(w);
	derw_begin(w, DER_BIT_STRING);
	encode_rsa_public(w, k);
	derw_end(w);
	derw_end(w);
}

void
pkey_encode_spki_any(struct derw *w, const struct pkey *k)
{
	if (k->type == PKEY_EC)
		pkey_encode_spki_ec(w, &k->ec);
	else
		pkey_encode_spki(w, &k->rsa);
}

void
pkey_key_id_any(const struct pkey *k, uint8_t out[20])
{
	if (k->type == PKEY_EC)
		pkey_key_id_ec(&k->ec, out);
	else
		pkey_key_id(&k->rsa, out);
}

void
pkey_key_id(const struct rsakey *k, uint8_t out[20])
{
	uint8_t *p;
	size_t len;

	if ((p = der_encode(encode_rsa_public, k, &len, NULL)) == NULL)
		xalloc_fail("key encoding");
	hash_digest(HASH_SHA1, p, len, out);
	free(p);
}

/* ---- decoding ---- */

enum pkey_format
pkey_detect(const uint8_t *der, size_t len)
{
	struct der d, seq;
	struct der_tlv t;
	int first, second, n = 0;

	der_init(&d, der, len, NULL);
	if (der_enter(&d, DER_SEQUENCE, "key", &seq) == -1)
		return PKEY_UNKNOWN;
	first = der_peek(&seq);
	if (der_next(&seq, &t) == -1)
		return PKEY_UNKNOWN;
	second = der_peek(&seq);
	while (der_more(&seq) && n < 16) {
		if (der_next(&seq, &t) == -1)
			return PKEY_UNKNOWN;
		n++;
	}
	if (first == DER_INTEGER && second == DER_INTEGER)
		return n == 1 ? PKEY_PKCS1_PUBLIC : PKEY_PKCS1;
	if (first == DER_INTEGER && second == DER_SEQUENCE)
		return PKEY_PKCS8;
	if (first == DER_INTEGER && second == DER_OCTET_STRING)
		return PKEY_SEC1;
	if (first == DER_SEQUENCE && second == DER_OCTET_STRING)
		return PKEY_PKCS8_ENCRYPTED;
	if (first == DER_SEQUENCE && second == DER_BIT_STRING)
		return PKEY_SPKI;
	return PKEY_UNKNOWN;
}

static int
get_rsa_public(struct der *d, struct rsakey *k)
{
	struct der seq;

	if (der_enter(d, DER_SEQUENCE, "RSAPublicKey", &seq) == -1 ||
	    der_get_mpz(&seq, "modulus", RSAKEY_MAX_BITS, k->pub.n) == -1 ||
	    der_get_mpz(&seq, "publicExponent", RSA_E_MAX_BITS, k->pub.e) == -1 ||
	    der_finish(&seq, "RSAPublicKey") == -1)
		return -1;
	k->has_private = 0;
	return rsakey_finish(k, d->err);
}

static int
get_rsa_private(struct der *d, struct rsakey *k)
{
	struct der seq;
	long version;

	if (der_enter(d, DER_SEQUENCE, "RSAPrivateKey", &seq) == -1 ||
	    der_get_small(&seq, "version", 1, &version) == -1)
		return -1;
	if (version != 0)
		return der_fail(&seq, seq.pos, "multi-prime RSA keys are not "
		    "supported");
	if (der_get_mpz(&seq, "modulus", RSAKEY_MAX_BITS, k->pub.n) == -1 ||
	    der_get_mpz(&seq, "publicExponent", RSA_E_MAX_BITS, k->pub.e) == -1 ||
	    der_get_mpz(&seq, "privateExponent", RSAKEY_MAX_BITS, k->priv.d) == -1 ||
	    der_get_mpz(&seq, "prime1", RSAKEY_MAX_BITS, k->priv.p) == -1 ||
	    der_get_mpz(&seq, "prime2", RSAKEY_MAX_BITS, k->priv.q) == -1 ||
	    der_get_mpz(&seq, "exponent1", RSAKEY_MAX_BITS, k->priv.a) == -1 ||
	    der_get_mpz(&seq, "exponent2", RSAKEY_MAX_BITS, k->priv.b) == -1 ||
	    der_get_mpz(&seq, "coefficient", RSAKEY_MAX_BITS, k->priv.c) == -1 ||
	    der_finish(&seq, "RSAPrivateKey") == -1)
		return -1;
	k->has_private = 1;
	return rsakey_finish(k, d->err);
}

/* A key's AlgorithmIdentifier: rsaEncryption with NULL (or absent)
 * parameters, or id-ecPublicKey with the named curve prime256v1. Returns
 * 0 for those, 1 for a key we cannot use (another algorithm or curve,
 * named in ka->why; the parameters skipped so the caller can go on), -1
 * on broken DER. */
static int
get_key_alg(struct der *d, struct pkey_alg *ka)
{
	struct der seq;
	struct der_tlv oid, t;
	char name[80];
	int r;

	if (der_enter(d, DER_SEQUENCE, "AlgorithmIdentifier", &seq) == -1 ||
	    der_get_oid(&seq, "algorithm", &oid) == -1)
		return -1;
	ka->alg = oid_find(oid.val, oid.len);
	ka->why[0] = 0;
	if (ka->alg == OID_EC_PUBLIC_KEY) {
		if ((r = pkey_ec_get_curve(&seq, ka)) == -1 ||
		    der_finish(&seq, "AlgorithmIdentifier") == -1)
			return -1;
		return r;
	}
	if (ka->alg != OID_RSA_ENCRYPTION) {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		snprintf(ka->why, sizeof ka->why, "unsupported key algorithm "
		    "%s (only RSA and P-256 EC keys are supported)",
		    ka->alg == OID_UNKNOWN ? name : oid_get(ka->alg)->sn);
		/* Skip the parameters so the caller can go on. */
		while (der_more(&seq))
			if (der_next(&seq, &t) == -1)
				return -1;
		return 1;
	}
	if (der_more(&seq) && der_get_null(&seq, "parameters") == -1)
		return -1;
	return der_finish(&seq, "AlgorithmIdentifier");
}

/* pkey_parse_spki that also says why an unusable key cannot be used. */
static int
parse_spki(struct der *d, struct pkey_alg *ka, struct rsakey *k,
    struct ec256key *ec)
{
	struct der seq, in;
	const uint8_t *p;
	size_t len, off;
	unsigned unused;
	int r;

	if (der_enter(d, DER_SEQUENCE, "SubjectPublicKeyInfo", &seq) == -1 ||
	    (r = get_key_alg(&seq, ka)) == -1)
		return -1;
	off = seq.pos;
	if (der_get_bits(&seq, "subjectPublicKey", &p, &len, &unused) == -1)
		return -1;
	if (r == 0 && ka->alg == OID_EC_PUBLIC_KEY) {
		if (unused != 0)
			return der_fail(&seq, off, "subjectPublicKey has "
			    "unused bits");
		if (ec256key_set_public(ec, p, len, d->err) == -1)
			return err_wrap(d->err, "offset 0x%zx", off);
	} else if (r == 0) {
		if (unused != 0)
			return der_fail(&seq, off, "subjectPublicKey has "
			    "unused bits");
		/* The bits hold DER; read them with absolute offsets. */
		in = seq;
		in.pos = (size_t)(p - seq.buf);
		in.end = in.pos + len;
		if (get_rsa_public(&in, k) == -1 ||
		    der_finish(&in, "subjectPublicKey") == -1)
			return -1;
	}
	if (der_finish(&seq, "SubjectPublicKeyInfo") == -1)
		return -1;
	return r;
}

int
pkey_parse_spki(struct der *d, enum oid_id *alg, struct rsakey *k,
    struct ec256key *ec)
{
	struct pkey_alg ka;
	int r = parse_spki(d, &ka, k, ec);

	*alg = ka.alg;
	return r == -1 ? -1 : 0;
}

/* PrivateKeyInfo ::= SEQUENCE { version INTEGER (0 or 1),
 *     privateKeyAlgorithm, privateKey OCTET STRING,
 *     attributes [0] OPTIONAL, publicKey [1] OPTIONAL } */
static int
get_pkcs8(struct der *d, struct pkey *k)
{
	struct der seq, in;
	struct der_tlv t;
	struct pkey_alg ka;
	long version;
	int r;

	if (der_enter(d, DER_SEQUENCE, "PrivateKeyInfo", &seq) == -1 ||
	    der_get_small(&seq, "version", 1, &version) == -1 ||
	    (r = get_key_alg(&seq, &ka)) == -1)
		return -1;
	if (r == 1)
		return err_set(d->err, ERR_INPUT, "%s", ka.why);
	if (der_get(&seq, DER_OCTET_STRING, "privateKey", &t) == -1)
		return -1;
	der_sub(&seq, &t, &in);
	k->type = ka.alg == OID_EC_PUBLIC_KEY ? PKEY_EC : PKEY_RSA;
	if ((k->type == PKEY_EC ? pkey_ec_get_private(&in, &k->ec, 0) :
	    get_rsa_private(&in, &k->rsa)) == -1 ||
	    der_finish(&in, "privateKey") == -1)
		return -1;
	/* Attributes and the v2 public key are ignored. */
	while (der_more(&seq))
		if (der_next(&seq, &t) == -1)
			return -1;
	return 0;
}

struct pbes2 {
	enum hash_alg prf;
	const uint8_t *salt;
	size_t saltlen;
	long iterations;
	size_t keylen;
	const uint8_t *iv;
	const uint8_t *ct;
	size_t ctlen;
};

static int
get_pbes2(struct der *d, struct pbes2 *pb)
{
	struct der seq, alg, params, kdf, kdfp, prf, enc;
	struct der_tlv oid, t;
	long keylen = -1;
	enum oid_id id;
	char name[80];

	if (der_enter(d, DER_SEQUENCE, "EncryptedPrivateKeyInfo", &seq) == -1 ||
	    der_enter(&seq, DER_SEQUENCE, "encryptionAlgorithm", &alg) == -1 ||
	    der_get_oid(&alg, "encryption algorithm", &oid) == -1)
		return -1;
	if (oid_find(oid.val, oid.len) != OID_PBES2) {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&alg, oid.off, "key encryption %s is not "
		    "supported (only PBES2)", name);
	}
	if (der_enter(&alg, DER_SEQUENCE, "PBES2-params", &params) == -1 ||
	    der_enter(&params, DER_SEQUENCE, "keyDerivationFunc", &kdf) == -1 ||
	    der_get_oid(&kdf, "key derivation function", &oid) == -1)
		return -1;
	if (oid_find(oid.val, oid.len) != OID_PBKDF2) {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&kdf, oid.off, "key derivation %s is not "
		    "supported (only PBKDF2)", name);
	}
	if (der_enter(&kdf, DER_SEQUENCE, "PBKDF2-params", &kdfp) == -1 ||
	    der_get(&kdfp, DER_OCTET_STRING, "salt", &t) == -1)
		return -1;
	if (t.len < PBES2_SALT_MIN || t.len > PBES2_SALT_MAX)
		return der_fail(&kdfp, t.off, "PBKDF2 salt of %zu bytes (%d to "
		    "%d allowed)", t.len, PBES2_SALT_MIN, PBES2_SALT_MAX);
	pb->salt = t.val;
	pb->saltlen = t.len;
	if (der_get_small(&kdfp, "iterationCount", 0x7fffffffL,
	    &pb->iterations) == -1)
		return -1;
	if (pb->iterations < 1 || pb->iterations > (long)PBES2_MAX_ITERATIONS)
		return der_fail(&kdfp, kdfp.pos, "PBKDF2 iteration count %ld "
		    "out of range (1 to %u)", pb->iterations,
		    PBES2_MAX_ITERATIONS);
	if (der_peek(&kdfp) == DER_INTEGER &&
	    der_get_small(&kdfp, "keyLength", 64, &keylen) == -1)
		return -1;
	pb->prf = HASH_SHA1;	/* the default */
	if (der_more(&kdfp)) {
		if (der_enter(&kdfp, DER_SEQUENCE, "prf", &prf) == -1 ||
		    der_get_oid(&prf, "prf", &oid) == -1)
			return -1;
		if (oid_find(oid.val, oid.len) == OID_HMAC_SHA256)
			pb->prf = HASH_SHA256;
		else if (oid.len != sizeof oid_hmac_sha1 ||
		    memcmp(oid.val, oid_hmac_sha1, oid.len) != 0) {
			oid_to_text(oid.val, oid.len, name, sizeof name);
			return der_fail(&prf, oid.off, "PBKDF2 with %s is not "
			    "supported (only hmacWithSHA256 and hmacWithSHA1)",
			    name);
		}
		if (der_more(&prf) && der_get_null(&prf, "prf parameters") == -1)
			return -1;
		if (der_finish(&prf, "prf") == -1)
			return -1;
	}
	if (der_finish(&kdfp, "PBKDF2-params") == -1 ||
	    der_finish(&kdf, "keyDerivationFunc") == -1 ||
	    der_enter(&params, DER_SEQUENCE, "encryptionScheme", &enc) == -1 ||
	    der_get_oid(&enc, "encryption scheme", &oid) == -1)
		return -1;
	id = oid_find(oid.val, oid.len);
	if (id == OID_AES128_CBC)
		pb->keylen = 16;
	else if (id == OID_AES256_CBC)
		pb->keylen = 32;
	else {
		oid_to_text(oid.val, oid.len, name, sizeof name);
		return der_fail(&enc, oid.off, "key cipher %s is not supported "
		    "(only AES-128-CBC and AES-256-CBC)", name);
	}
	if (keylen != -1 && (size_t)keylen != pb->keylen)
		return der_fail(&kdfp, kdfp.pos, "PBKDF2 keyLength %ld does not "
		    "match the cipher", keylen);
	if (der_get(&enc, DER_OCTET_STRING, "iv", &t) == -1)
		return -1;
	if (t.len != 16)
		return der_fail(&enc, t.off, "AES-CBC IV of %zu bytes (want 16)",
		    t.len);
	pb->iv = t.val;
	if (der_finish(&enc, "encryptionScheme") == -1 ||
	    der_finish(&params, "PBES2-params") == -1 ||
	    der_finish(&alg, "encryptionAlgorithm") == -1 ||
	    der_get(&seq, DER_OCTET_STRING, "encryptedData", &t) == -1 ||
	    der_finish(&seq, "EncryptedPrivateKeyInfo") == -1)
		return -1;
	pb->ct = t.val;
	pb->ctlen = t.len;
	return 0;
}

static int
decode_encrypted(struct pkey *k, struct der *d, const char *pass,
    size_t passlen, struct err *e)
{
	struct pbes2 pb;
	struct buf plain;
	struct der in;
	uint8_t key[32];
	int rc = -1;

	buf_init(&plain);
	if (get_pbes2(d, &pb) == -1)
		return -1;
	if (pass == NULL)
		return err_set(e, ERR_USAGE,
		    "key is encrypted: a passphrase is needed");
	if (pb.prf == HASH_SHA256)
		kdf_pbkdf2_sha256(pass, passlen, pb.salt, pb.saltlen,
		    (unsigned)pb.iterations, key, pb.keylen);
	else
		pbkdf2_hmac_sha1(passlen, (const uint8_t *)pass,
		    (unsigned)pb.iterations, pb.saltlen, pb.salt, pb.keylen,
		    key);
	if (aescbc_decrypt(key, pb.keylen, pb.iv, pb.ct, pb.ctlen, &plain,
	    e) == -1)
		goto out;
	der_init(&in, plain.data, plain.len, e);
	if (get_pkcs8(&in, k) == -1 || der_finish(&in, "PrivateKeyInfo") == -1) {
		/* Padding can match by chance under a wrong passphrase. */
		err_set(e, ERR_PASS, "wrong passphrase or corrupt key");
		goto out;
	}
	rc = 0;
out:
	explicit_bzero(key, sizeof key);
	buf_clear_secret(&plain);
	return rc;
}

int
pkey_decode_any(struct pkey *k, const uint8_t *der, size_t len,
    const char *pass, size_t passlen, struct err *e)
{
	enum pkey_format f;
	struct pkey_alg ka;
	struct der d;
	int rc = -1;

	if (len > PKEY_MAX_SIZE)
		return err_set(e, ERR_INPUT, "key larger than %d bytes",
		    PKEY_MAX_SIZE);
	der_init(&d, der, len, e);
	f = pkey_detect(der, len);
	k->type = PKEY_RSA;
	k->rsa.has_private = 0;
	ec256key_clear(&k->ec);
	switch (f) {
	case PKEY_PKCS1:
		rc = get_rsa_private(&d, &k->rsa);
		break;
	case PKEY_PKCS1_PUBLIC:
		rc = get_rsa_public(&d, &k->rsa);
		break;
	case PKEY_SEC1:
		k->type = PKEY_EC;
		rc = pkey_ec_get_private(&d, &k->ec, 1);
		break;
	case PKEY_PKCS8:
		rc = get_pkcs8(&d, k);
		break;
	case PKEY_PKCS8_ENCRYPTED:
		rc = decode_encrypted(k, &d, pass, passlen, e);
		break;
	case PKEY_SPKI:
		rc = parse_spki(&d, &ka, &k->rsa, &k->ec);
		if (rc == 1)
			rc = err_set(e, ERR_INPUT, "%s", ka.why);
		else if (rc == 0 && ka.alg == OID_EC_PUBLIC_KEY)
			k->type = PKEY_EC;
		break;
	default:
		return err_set(e, ERR_INPUT, "not a key: unknown DER structure");
	}
	if (rc == 0 && der_finish(&d, "key") == -1)
		rc = -1;
	/* On failure the numbers read so far stay in k: pkey_clear wipes
	 * them. */
	if (rc != 0) {
		k->rsa.has_private = 0;
		k->ec.has_private = 0;
	}
	return rc;
}

int
pkey_decode(struct rsakey *k, const uint8_t *der, size_t len,
    const char *pass, size_t passlen, struct err *e)
{
	struct pkey pk;
	int rc;

	pkey_init(&pk);
	rc = pkey_decode_any(&pk, der, len, pass, passlen, e);
	if (rc == 0)
		rc = pkey_take_rsa(&pk, k, e);
	pkey_clear(&pk);
	return rc;
}

int
pkey_require_rsa(const struct pkey *pk, struct err *e)
{
	if (pk->type == PKEY_EC)
		return err_set(e, ERR_INPUT, "a P-256 EC key where an RSA key "
		    "is needed");
	return 0;
}

int
pkey_take_rsa(struct pkey *pk, struct rsakey *k, struct err *e)
{
	struct rsakey t;

	if (pkey_require_rsa(pk, e) == -1)
		return -1;
	/* Swap the numbers in: the caller's old ones are cleared with pk. */
	t = *k;
	*k = pk->rsa;
	pk->rsa = t;
	return 0;
}
