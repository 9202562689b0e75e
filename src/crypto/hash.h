/* hash.h — SHA-2 digests by algorithm id (Nettle underneath). */
#ifndef MP_CRYPTO_HASH_H
#define MP_CRYPTO_HASH_H

#include <stddef.h>
#include <stdint.h>

enum hash_alg {
	HASH_NONE = 0,
	HASH_SHA1,	/* only to compute key identifiers and read old data */
	HASH_SHA256,
	HASH_SHA384,
	HASH_SHA512,
};

#define HASH_MAX_SIZE 64

/* Digest size in bytes, 0 for HASH_NONE or an unknown id. */
size_t hash_size(enum hash_alg);
const char *hash_name(enum hash_alg);	/* "sha256", ... */
/* One-shot digest of msg into out (hash_size(alg) bytes). */
void hash_digest(enum hash_alg, const void *msg, size_t len, uint8_t *out);
void hash_sha256(const void *msg, size_t len, uint8_t out[32]);

#endif
