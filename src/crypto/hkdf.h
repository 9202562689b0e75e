/* hkdf.h — HKDF (RFC 5869) over SHA-256 or SHA-384, chosen at run time
 * (kdf.h keeps its SHA-256-only functions for the keystore). */
#ifndef MP_CRYPTO_HKDF_H
#define MP_CRYPTO_HKDF_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/hash.h"

/* prk gets hash_size(alg) bytes; an empty salt is HashLen zeros. */
void hkdf_extract(enum hash_alg, const uint8_t *salt, size_t saltlen,
    const uint8_t *ikm, size_t ikmlen, uint8_t *prk);
/* prk is hash_size(alg) bytes; outlen over 255 * HashLen is a caller bug
 * and aborts. */
void hkdf_expand(enum hash_alg, const uint8_t *prk, const uint8_t *info,
    size_t infolen, uint8_t *out, size_t outlen);

#endif
