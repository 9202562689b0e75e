/* rsakey.h — RSA keys, signatures and PKCS#1 encodings' numbers (Nettle + GMP).
 *
 * Every private-key operation goes through Nettle's side-channel-silent _tr
 * functions with rand_nettle as the blinding source. */
#ifndef MP_CRYPTO_RSAKEY_H
#define MP_CRYPTO_RSAKEY_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/rsa.h>

#include "crypto/hash.h"
#include "util/err.h"

#define RSAKEY_MIN_BITS 2048	/* smallest key we issue for or accept in requests */
#define RSAKEY_MAX_BITS 16384	/* largest modulus we parse at all */

/* A key pair, or a public key alone when has_private is 0.
 * Caller-allocated; rsakey_init before use and rsakey_clear after (which
 * wipes the private numbers). */
struct rsakey {
	struct rsa_public_key pub;
	struct rsa_private_key priv;
	int has_private;
};

void rsakey_init(struct rsakey *);
void rsakey_clear(struct rsakey *);
/* Modulus size in bits. */
unsigned rsakey_bits(const struct rsakey *);

/* Generates a key of bits (2048, 3072 or 4096; others from 1024 to
 * RSAKEY_MAX_BITS in steps of 8 are accepted for tests) with e = 65537.
 * progress, if not NULL, is called now and then (Nettle's progress hook:
 * c is '.', '+', '*' or '\n'); it may not be called at all. */
int rsakey_generate(struct rsakey *, unsigned bits,
    void *progress_ctx, void (*progress)(void *ctx, int c), struct err *);

/* Checks that n, e (and the private parts, when has_private is set: p, q,
 * a, b, c, and d unless it is left 0) are consistent and sets the derived
 * sizes; call after filling the numbers by hand (import). Rejects an even
 * or non-positive n, n over RSAKEY_MAX_BITS, e even, below 3 or not below
 * n, and private parts that do not belong to n and e (ERR_INPUT). */
int rsakey_finish(struct rsakey *, struct err *);

/* Signature of a message digest. sig receives exactly pub.size bytes
 * (big-endian, left-padded). digest is hash_size(alg) bytes. */
int rsakey_sign_pkcs1(const struct rsakey *, enum hash_alg,
    const uint8_t *digest, uint8_t *sig, struct err *);
/* RSASSA-PSS with MGF1 over the same hash, salt length = digest length. */
int rsakey_sign_pss(const struct rsakey *, enum hash_alg,
    const uint8_t *digest, uint8_t *sig, struct err *);

/* Verification; return 0 when the signature is good, -1 otherwise (with a
 * reason in err). siglen must equal the modulus size. */
int rsakey_verify_pkcs1(const struct rsa_public_key *, enum hash_alg,
    const uint8_t *digest, const uint8_t *sig, size_t siglen, struct err *);
int rsakey_verify_pss(const struct rsa_public_key *, enum hash_alg,
    size_t salt_len, const uint8_t *digest, const uint8_t *sig, size_t siglen,
    struct err *);

#endif
