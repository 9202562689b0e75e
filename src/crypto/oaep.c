/* oaep.c — RSAES-OAEP encryption and silent decryption; see oaep.h. */
#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <nettle/bignum.h>
#include <nettle/memops.h>

#include "crypto/oaep.h"
#include "crypto/rand.h"
#include "util/xalloc.h"

static int
oaep_hash_ok(enum hash_alg h)
{
	return h == HASH_SHA1 || h == HASH_SHA256 || h == HASH_SHA384 ||
	    h == HASH_SHA512;
}

void
oaep_mgf1_xor(enum hash_alg h, const uint8_t *seed, size_t seedlen,
    uint8_t *out, size_t outlen)
{
	uint8_t d[HASH_MAX_SIZE], *in;
	size_t hlen = hash_size(h), done = 0, i, n;
	uint32_t counter = 0;

	in = xmalloc(seedlen + 4);
	memcpy(in, seed, seedlen);
	while (done < outlen) {
		in[seedlen] = (uint8_t)(counter >> 24);
		in[seedlen + 1] = (uint8_t)(counter >> 16);
		in[seedlen + 2] = (uint8_t)(counter >> 8);
		in[seedlen + 3] = (uint8_t)counter;
		hash_digest(h, in, seedlen + 4, d);
		n = outlen - done < hlen ? outlen - done : hlen;
		for (i = 0; i < n; i++)
			out[done + i] ^= d[i];
		done += n;
		counter++;
	}
	/* The seed of a decryption is secret. */
	explicit_bzero(in, seedlen + 4);
	explicit_bzero(d, sizeof d);
	free(in);
}

/*
 * EM = 0x00 || maskedSeed || maskedDB, where
 * DB = lHash || PS (zeros) || 0x01 || M, seed random of hLen bytes,
 * maskedDB = DB xor MGF(seed), maskedSeed = seed xor MGF(maskedDB).
 */
int
oaep_encrypt(const struct rsa_public_key *pub, enum hash_alg hash,
    enum hash_alg mgf, const uint8_t *msg, size_t len, uint8_t *out,
    struct err *e)
{
	size_t k = pub->size, hlen = hash_size(hash), dblen;
	uint8_t *em;
	mpz_t m;

	if (!oaep_hash_ok(hash) || !oaep_hash_ok(mgf))
		return err_set(e, ERR_USAGE, "RSA-OAEP with %s / MGF1 %s is "
		    "not supported", hash_name(hash), hash_name(mgf));
	if (k < 2 * hlen + 2 || len > k - 2 * hlen - 2)
		return err_set(e, ERR_USAGE, "RSA-OAEP %s: %zu bytes do not "
		    "fit a %zu-byte key", hash_name(hash), len, k);
	em = xcalloc(1, k);
	dblen = k - hlen - 1;
	hash_digest(hash, "", 0, em + 1 + hlen);	/* lHash of "" */
	em[1 + hlen + dblen - len - 1] = 0x01;
	if (len > 0)
		memcpy(em + k - len, msg, len);
	rand_bytes(em + 1, hlen);
	oaep_mgf1_xor(mgf, em + 1, hlen, em + 1 + hlen, dblen);
	oaep_mgf1_xor(mgf, em + 1 + hlen, dblen, em + 1, hlen);
	mpz_init(m);
	nettle_mpz_set_str_256_u(m, k, em);
	mpz_powm(m, m, pub->e, pub->n);
	nettle_mpz_get_str_256(k, out, m);
	mpz_clear(m);
	explicit_bzero(em, k);
	free(em);
	return 0;
}

/* 1 when a == b, else 0, without a branch. */
static unsigned
ct_eq8(uint8_t a, uint8_t b)
{
	return (((unsigned)(a ^ b)) - 1u) >> (sizeof(unsigned) * 8 - 1);
}

int
oaep_decrypt(const struct rsakey *key, enum hash_alg hash, enum hash_alg mgf,
    const uint8_t *ct, size_t ctlen, uint8_t *out, size_t len)
{
	size_t k = key->pub.size, hlen = hash_size(hash), dblen, sep, i;
	uint8_t lhash[HASH_MAX_SIZE], *em, *db;
	unsigned good, zeros = 0;
	mpz_t c, m;
	int ok;

	/* What fails here is public: the sizes and the algorithms. */
	if (!key->has_private || !oaep_hash_ok(hash) || !oaep_hash_ok(mgf) ||
	    ctlen != k || k < 2 * hlen + 2 || len > k - 2 * hlen - 2) {
		rand_bytes(out, len);
		return 0;
	}
	em = xcalloc(1, k);
	mpz_init(c);
	mpz_init(m);
	nettle_mpz_set_str_256_u(c, ctlen, ct);
	/* A ciphertext not below n is malformed, not a padding question. */
	ok = mpz_cmp(c, key->pub.n) < 0 && rsa_compute_root_tr(&key->pub,
	    &key->priv, NULL, rand_nettle, m, c);
	if (ok)
		nettle_mpz_get_str_256(k, em, m);
	mpz_clear(c);
	mpz_clear(m);

	dblen = k - hlen - 1;
	db = em + 1 + hlen;
	oaep_mgf1_xor(mgf, db, dblen, em + 1, hlen);	/* seed */
	oaep_mgf1_xor(mgf, em + 1, hlen, db, dblen);	/* DB */
	hash_digest(hash, "", 0, lhash);
	good = ct_eq8(em[0], 0) & (unsigned)memeql_sec(db, lhash, hlen) &
	    (unsigned)(ok != 0);
	/* A message of len bytes: DB ends 0x01 || M, zeros before. */
	sep = dblen - len - 1;
	good &= ct_eq8(db[sep], 0x01);
	for (i = hlen; i < sep; i++)
		zeros |= db[i];
	good &= ct_eq8((uint8_t)zeros, 0);
	memcpy(out, db + sep + 1, len);
	explicit_bzero(em, k);
	free(em);
	return (int)good;
}
