/* ecdsa256.h — ECDSA over NIST P-256 (secp256r1) with Nettle.
 *
 * Keys are kept as fixed-size big-endian bytes (no heap, wiped by
 * ec256key_clear); Nettle's ECC code underneath is side-channel silent and
 * the nonce k comes from rand_nettle. Signatures here are the raw pair
 * (r, s), each 32 bytes big-endian; the DER form (Ecdsa-Sig-Value) is in
 * x509/ecsig.h. */
#ifndef MP_CRYPTO_ECDSA256_H
#define MP_CRYPTO_ECDSA256_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define EC256_PRIV_SIZE 32
#define EC256_PUB_SIZE 65	/* uncompressed point: 0x04 || X || Y */
#define EC256_SCALAR_SIZE 32	/* r and s */

/* A key pair, or a public key alone when has_private is 0. */
struct ec256key {
	uint8_t pub[EC256_PUB_SIZE];
	uint8_t priv[EC256_PRIV_SIZE];
	int has_private;
};

void ec256key_init(struct ec256key *);
/* Nonzero when the key holds a public point (set_public or generate). */
int ec256key_has_public(const struct ec256key *);
/* Wipes the private scalar. */
void ec256key_clear(struct ec256key *);
/* A new random key pair. */
void ec256key_generate(struct ec256key *);
/* Sets the public point from an encoded point, which must be exactly an
 * uncompressed point on the curve (ERR_INPUT otherwise; compressed points
 * are named as such). */
int ec256key_set_public(struct ec256key *, const uint8_t *pt, size_t len,
    struct err *);
/* Sets the private scalar (1 <= d < n, big-endian, at most 32 bytes after
 * leading zeros) and computes the public point from it; when the key
 * already has a public point (read beside the private one), the two must
 * agree. */
int ec256key_set_private(struct ec256key *, const uint8_t *d, size_t len,
    int have_pub, struct err *);

/* Signs a digest (any length; Nettle uses its leftmost 256 bits, as
 * FIPS 186-4 says) with a fresh random nonce. */
int ecdsa256_sign(const struct ec256key *, const uint8_t *digest,
    size_t dlen, uint8_t r[EC256_SCALAR_SIZE], uint8_t s[EC256_SCALAR_SIZE],
    struct err *);
/* 0 when (r, s) is a good signature of digest under the public point,
 * -1 otherwise (ERR_REFUSED "ECDSA signature does not verify"). */
int ecdsa256_verify(const struct ec256key *, const uint8_t *digest,
    size_t dlen, const uint8_t r[EC256_SCALAR_SIZE],
    const uint8_t s[EC256_SCALAR_SIZE], struct err *);

#endif
