/* rsakey.c — RSA keys and signatures over Nettle and GMP; see rsakey.h. */
#include <string.h>

#include <nettle/bignum.h>

#include "crypto/rand.h"
#include "crypto/rsakey.h"

/* PKCS#1 v1.5 signature schemes. Nettle has digest-only signers for SHA-1,
 * SHA-256 and SHA-512; SHA-384 goes through rsa_pkcs1_sign_tr with the
 * DER DigestInfo prefix below (RFC 8017 section 9.2, note 1). */
typedef int pkcs1_sign_fn(const struct rsa_public_key *,
    const struct rsa_private_key *, void *, nettle_random_func *,
    const uint8_t *, mpz_t);
typedef int pkcs1_verify_fn(const struct rsa_public_key *, const uint8_t *,
    const mpz_t);
typedef int pss_sign_fn(const struct rsa_public_key *,
    const struct rsa_private_key *, void *, nettle_random_func *, size_t,
    const uint8_t *, const uint8_t *, mpz_t);
typedef int pss_verify_fn(const struct rsa_public_key *, size_t,
    const uint8_t *, const mpz_t);

static const struct rsa_scheme {
	enum hash_alg alg;
	pkcs1_sign_fn *pkcs1_sign;	/* NULL: refused for new signatures */
	pkcs1_verify_fn *pkcs1_verify;	/* NULL: use the prefix */
	const uint8_t *prefix;		/* DigestInfo up to the digest */
	size_t prefixlen;
	pss_sign_fn *pss_sign;
	pss_verify_fn *pss_verify;
} rsa_schemes[] = {
	{ .alg = HASH_SHA1,
	  .pkcs1_verify = rsa_sha1_verify_digest },
	{ .alg = HASH_SHA256,
	  .pkcs1_sign = rsa_sha256_sign_digest_tr,
	  .pkcs1_verify = rsa_sha256_verify_digest,
	  .pss_sign = rsa_pss_sha256_sign_digest_tr,
	  .pss_verify = rsa_pss_sha256_verify_digest },
	{ .alg = HASH_SHA384,
	  .prefix = (const uint8_t *)"\x30\x41\x30\x0d\x06\x09\x60\x86\x48"
	      "\x01\x65\x03\x04\x02\x02\x05\x00\x04\x30",
	  .prefixlen = 19,
	  .pss_sign = rsa_pss_sha384_sign_digest_tr,
	  .pss_verify = rsa_pss_sha384_verify_digest },
	{ .alg = HASH_SHA512,
	  .pkcs1_sign = rsa_sha512_sign_digest_tr,
	  .pkcs1_verify = rsa_sha512_verify_digest,
	  .pss_sign = rsa_pss_sha512_sign_digest_tr,
	  .pss_verify = rsa_pss_sha512_verify_digest },
};

static const struct rsa_scheme *
scheme_find(enum hash_alg alg)
{
	size_t i;

	for (i = 0; i < sizeof rsa_schemes / sizeof rsa_schemes[0]; i++)
		if (rsa_schemes[i].alg == alg)
			return &rsa_schemes[i];
	return NULL;
}

/* GMP frees limbs without wiping them: wipe by hand first. */
static void
mpz_wipe(mpz_t x)
{
	size_t n = mpz_size(x);

	if (n > 0)
		explicit_bzero(mpz_limbs_modify(x, n), n * sizeof(mp_limb_t));
	mpz_set_ui(x, 0);
}

void
rsakey_init(struct rsakey *k)
{
	rsa_public_key_init(&k->pub);
	rsa_private_key_init(&k->priv);
	k->has_private = 0;
}

void
rsakey_clear(struct rsakey *k)
{
	mpz_wipe(k->priv.d);
	mpz_wipe(k->priv.p);
	mpz_wipe(k->priv.q);
	mpz_wipe(k->priv.a);
	mpz_wipe(k->priv.b);
	mpz_wipe(k->priv.c);
	rsa_private_key_clear(&k->priv);
	rsa_public_key_clear(&k->pub);
	k->has_private = 0;
}

unsigned
rsakey_bits(const struct rsakey *k)
{
	if (mpz_sgn(k->pub.n) <= 0)
		return 0;
	return (unsigned)mpz_sizeinbase(k->pub.n, 2);
}

int
rsakey_generate(struct rsakey *k, unsigned bits,
    void *progress_ctx, void (*progress)(void *ctx, int c), struct err *e)
{
	if (bits < 1024 || bits > RSAKEY_MAX_BITS || bits % 8 != 0)
		return err_set(e, ERR_USAGE,
		    "RSA key size %u: want 1024 to %u bits in steps of 8",
		    bits, RSAKEY_MAX_BITS);
	mpz_set_ui(k->pub.e, 65537);
	if (!rsa_generate_keypair(&k->pub, &k->priv, NULL, rand_nettle,
	    progress_ctx, progress, bits, 0))
		return err_set(e, ERR_INPUT, "RSA key generation failed");
	k->has_private = 1;
	return 0;
}

/* Checks the CRT parts against n and e: p q = n, e a = 1 mod p-1,
 * e b = 1 mod q-1, c q = 1 mod p, and d (when given) matches a and b. */
static int
check_private(struct rsakey *k, struct err *e)
{
	struct rsa_private_key *pr = &k->priv;
	mpz_t t, pm1, qm1;
	int rc = -1;

	mpz_inits(t, pm1, qm1, NULL);
	if (mpz_cmp_ui(pr->p, 1) <= 0 || mpz_cmp_ui(pr->q, 1) <= 0) {
		err_set(e, ERR_INPUT, "RSA private key: prime p or q missing");
		goto out;
	}
	mpz_mul(t, pr->p, pr->q);
	if (mpz_cmp(t, k->pub.n) != 0) {
		err_set(e, ERR_INPUT,
		    "RSA private key: p * q does not equal the modulus");
		goto out;
	}
	mpz_sub_ui(pm1, pr->p, 1);
	mpz_sub_ui(qm1, pr->q, 1);
	if (mpz_sgn(pr->a) <= 0 || mpz_cmp(pr->a, pm1) >= 0 ||
	    mpz_sgn(pr->b) <= 0 || mpz_cmp(pr->b, qm1) >= 0 ||
	    mpz_sgn(pr->c) <= 0 || mpz_cmp(pr->c, pr->p) >= 0) {
		err_set(e, ERR_INPUT,
		    "RSA private key: CRT exponent or coefficient out of range");
		goto out;
	}
	mpz_mul(t, k->pub.e, pr->a);
	mpz_mod(t, t, pm1);
	if (mpz_cmp_ui(t, 1) != 0)
		goto bad;
	mpz_mul(t, k->pub.e, pr->b);
	mpz_mod(t, t, qm1);
	if (mpz_cmp_ui(t, 1) != 0)
		goto bad;
	mpz_mul(t, pr->c, pr->q);
	mpz_mod(t, t, pr->p);
	if (mpz_cmp_ui(t, 1) != 0)
		goto bad;
	if (mpz_sgn(pr->d) != 0) {
		mpz_mod(t, pr->d, pm1);
		if (mpz_cmp(t, pr->a) != 0)
			goto bad;
		mpz_mod(t, pr->d, qm1);
		if (mpz_cmp(t, pr->b) != 0)
			goto bad;
	}
	rc = 0;
	goto out;
bad:
	err_set(e, ERR_INPUT,
	    "RSA private key: exponents do not match the public key");
out:
	mpz_wipe(t);
	mpz_wipe(pm1);
	mpz_wipe(qm1);
	mpz_clears(t, pm1, qm1, NULL);
	return rc;
}

int
rsakey_finish(struct rsakey *k, struct err *e)
{
	if (mpz_sgn(k->pub.n) <= 0)
		return err_set(e, ERR_INPUT, "RSA modulus is not positive");
	if (mpz_sizeinbase(k->pub.n, 2) > RSAKEY_MAX_BITS)
		return err_set(e, ERR_INPUT,
		    "RSA modulus of %zu bits is larger than %u",
		    mpz_sizeinbase(k->pub.n, 2), RSAKEY_MAX_BITS);
	if (mpz_even_p(k->pub.n))
		return err_set(e, ERR_INPUT, "RSA modulus is even");
	if (mpz_cmp_ui(k->pub.e, 3) < 0 || mpz_even_p(k->pub.e))
		return err_set(e, ERR_INPUT,
		    "RSA public exponent must be odd and at least 3");
	if (mpz_cmp(k->pub.e, k->pub.n) >= 0)
		return err_set(e, ERR_INPUT,
		    "RSA public exponent is not smaller than the modulus");
	if (!rsa_public_key_prepare(&k->pub))
		return err_set(e, ERR_INPUT, "RSA modulus is too small");
	if (!k->has_private)
		return 0;
	if (check_private(k, e) == -1)
		return -1;
	if (!rsa_private_key_prepare(&k->priv) ||
	    k->priv.size != k->pub.size)
		return err_set(e, ERR_INPUT,
		    "RSA private key does not fit the modulus");
	return 0;
}

/* Common checks before a private-key operation. */
static const struct rsa_scheme *
sign_start(const struct rsakey *k, enum hash_alg alg, struct err *e)
{
	const struct rsa_scheme *s = scheme_find(alg);

	if (!k->has_private || k->pub.size == 0) {
		err_set(e, ERR_USAGE, "RSA signing needs a prepared private key");
		return NULL;
	}
	if (s == NULL || alg == HASH_SHA1) {
		err_set(e, ERR_REFUSED, "RSA signing with %s is not supported",
		    hash_name(alg));
		return NULL;
	}
	return s;
}

int
rsakey_sign_pkcs1(const struct rsakey *k, enum hash_alg alg,
    const uint8_t *digest, uint8_t *sig, struct err *e)
{
	const struct rsa_scheme *s;
	uint8_t info[19 + HASH_MAX_SIZE];
	size_t hlen = hash_size(alg);
	mpz_t m;
	int ok;

	if ((s = sign_start(k, alg, e)) == NULL)
		return -1;
	mpz_init(m);
	if (s->pkcs1_sign != NULL)
		ok = s->pkcs1_sign(&k->pub, &k->priv, NULL, rand_nettle,
		    digest, m);
	else {
		memcpy(info, s->prefix, s->prefixlen);
		memcpy(info + s->prefixlen, digest, hlen);
		ok = rsa_pkcs1_sign_tr(&k->pub, &k->priv, NULL, rand_nettle,
		    s->prefixlen + hlen, info, m);
	}
	if (ok)
		nettle_mpz_get_str_256(k->pub.size, sig, m);
	mpz_clear(m);
	if (!ok)
		return err_set(e, ERR_INPUT,
		    "RSA PKCS#1 v1.5 %s signing failed (key too small?)",
		    hash_name(alg));
	return 0;
}

int
rsakey_sign_pss(const struct rsakey *k, enum hash_alg alg,
    const uint8_t *digest, uint8_t *sig, struct err *e)
{
	const struct rsa_scheme *s;
	uint8_t salt[HASH_MAX_SIZE];
	size_t hlen = hash_size(alg);
	mpz_t m;
	int ok;

	if ((s = sign_start(k, alg, e)) == NULL)
		return -1;
	rand_bytes(salt, hlen);
	mpz_init(m);
	ok = s->pss_sign(&k->pub, &k->priv, NULL, rand_nettle, hlen, salt,
	    digest, m);
	if (ok)
		nettle_mpz_get_str_256(k->pub.size, sig, m);
	mpz_clear(m);
	if (!ok)
		return err_set(e, ERR_INPUT,
		    "RSA-PSS %s signing failed (key too small?)",
		    hash_name(alg));
	return 0;
}

/* Reads the signature as a number after checking its length. */
static int
sig_read(const struct rsa_public_key *pub, const uint8_t *sig, size_t siglen,
    mpz_t s, struct err *e)
{
	if (pub->size == 0)
		return err_set(e, ERR_USAGE, "RSA public key not prepared");
	if (siglen != pub->size)
		return err_set(e, ERR_REFUSED,
		    "RSA signature is %zu bytes, modulus is %zu", siglen,
		    pub->size);
	nettle_mpz_set_str_256_u(s, siglen, sig);
	return 0;
}

int
rsakey_verify_pkcs1(const struct rsa_public_key *pub, enum hash_alg alg,
    const uint8_t *digest, const uint8_t *sig, size_t siglen, struct err *e)
{
	const struct rsa_scheme *sc = scheme_find(alg);
	uint8_t info[19 + HASH_MAX_SIZE];
	size_t hlen = hash_size(alg);
	mpz_t s;
	int ok;

	if (sc == NULL)
		return err_set(e, ERR_REFUSED,
		    "RSA signature hash %s is not supported", hash_name(alg));
	mpz_init(s);
	if (sig_read(pub, sig, siglen, s, e) == -1) {
		mpz_clear(s);
		return -1;
	}
	if (sc->pkcs1_verify != NULL)
		ok = sc->pkcs1_verify(pub, digest, s);
	else {
		memcpy(info, sc->prefix, sc->prefixlen);
		memcpy(info + sc->prefixlen, digest, hlen);
		ok = rsa_pkcs1_verify(pub, sc->prefixlen + hlen, info, s);
	}
	mpz_clear(s);
	if (!ok)
		return err_set(e, ERR_REFUSED,
		    "RSA PKCS#1 v1.5 %s signature does not verify",
		    hash_name(alg));
	return 0;
}

int
rsakey_verify_pss(const struct rsa_public_key *pub, enum hash_alg alg,
    size_t salt_len, const uint8_t *digest, const uint8_t *sig, size_t siglen,
    struct err *e)
{
	const struct rsa_scheme *sc = scheme_find(alg);
	mpz_t s;
	int ok;

	if (sc == NULL || sc->pss_verify == NULL)
		return err_set(e, ERR_REFUSED,
		    "RSA-PSS with %s is not supported", hash_name(alg));
	/* Nettle adds salt_len to sizes: keep it in a sane range. */
	if (salt_len > pub->size)
		return err_set(e, ERR_REFUSED,
		    "RSA-PSS salt length %zu is longer than the modulus",
		    salt_len);
	mpz_init(s);
	if (sig_read(pub, sig, siglen, s, e) == -1) {
		mpz_clear(s);
		return -1;
	}
	ok = sc->pss_verify(pub, salt_len, digest, s);
	mpz_clear(s);
	if (!ok)
		return err_set(e, ERR_REFUSED,
		    "RSA-PSS %s signature does not verify", hash_name(alg));
	return 0;
}
