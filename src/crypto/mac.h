/* mac.h — HMAC over SHA-256, SHA-384 or SHA-512, chosen at run time (the
 * TLS key schedules and PRF follow the negotiated suite's hash). */
#ifndef MP_CRYPTO_MAC_H
#define MP_CRYPTO_MAC_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/hmac.h>

#include "crypto/hash.h"

/* Caller-allocated; mac_init keys it, mac_digest leaves it keyed for the
 * next message, mac_clear wipes it. */
struct mac {
	enum hash_alg alg;
	union {
		struct hmac_sha256_ctx s256;
		struct hmac_sha384_ctx s384;
		struct hmac_sha512_ctx s512;
	} u;
};

/* alg is HASH_SHA256, HASH_SHA384 or HASH_SHA512 (anything else is a
 * caller bug and aborts). */
void mac_init(struct mac *, enum hash_alg, const uint8_t *key, size_t keylen);
void mac_update(struct mac *, const uint8_t *, size_t);
/* Writes hash_size(alg) bytes. */
void mac_digest(struct mac *, uint8_t *out);
void mac_clear(struct mac *);
/* One-shot HMAC. */
void mac_hmac(enum hash_alg, const uint8_t *key, size_t keylen,
    const uint8_t *msg, size_t len, uint8_t *out);

#endif
