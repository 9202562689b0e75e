/* oaep.h — RSAES-OAEP (RFC 8017 7.1) with an empty label, on Nettle's raw
 * RSA: Nettle 3.8 (Debian 12) has no OAEP of its own.
 *
 * The label hash and MGF1's hash are named apart, as RSAES-OAEP-params
 * (RFC 4055 4.1) lets them differ: SHA-1 (the defaults, as older CMS
 * writers use) or SHA-256/384/512. */
#ifndef MP_CRYPTO_OAEP_H
#define MP_CRYPTO_OAEP_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/hash.h"
#include "crypto/rsakey.h"
#include "util/err.h"

/* Encrypts len bytes (at most pub->size - 2 * hash_size(hash) - 2) into
 * out, which receives exactly pub->size bytes. ERR_USAGE for a hash that
 * is not one of the four, or a message that does not fit. */
int oaep_encrypt(const struct rsa_public_key *, enum hash_alg hash,
    enum hash_alg mgf, const uint8_t *msg, size_t len, uint8_t *out,
    struct err *);

/* Decrypts ct expecting a message of exactly len bytes. Returns 1 when the
 * ciphertext was good and its message has that length, 0 otherwise; out
 * holds len bytes either way (garbage on failure). Nothing branches on the
 * decrypted bytes, so that a caller who replaces a failure with random
 * bytes (cnd_memcpy) gives away nothing about why it failed (Manger's
 * attack); what is public (ctlen against the modulus, the hashes, len
 * against the key size) may fail early. */
int oaep_decrypt(const struct rsakey *, enum hash_alg hash,
    enum hash_alg mgf, const uint8_t *ct, size_t ctlen, uint8_t *out,
    size_t len);

/* MGF1 (RFC 8017 B.2.1) of seed, XORed into out (outlen bytes). */
void oaep_mgf1_xor(enum hash_alg, const uint8_t *seed, size_t seedlen,
    uint8_t *out, size_t outlen);

#endif
