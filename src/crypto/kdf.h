/* kdf.h — PBKDF2-HMAC-SHA256 and HKDF-SHA256. */
#ifndef MP_CRYPTO_KDF_H
#define MP_CRYPTO_KDF_H

#include <stddef.h>
#include <stdint.h>

/* Longest HKDF-SHA256 output (RFC 5869: 255 blocks); longer is a caller
 * bug and aborts. */
#define KDF_HKDF_SHA256_MAX (255 * 32)

void kdf_pbkdf2_sha256(const void *pass, size_t passlen,
    const uint8_t *salt, size_t saltlen, unsigned iterations,
    uint8_t *out, size_t outlen);
void kdf_hkdf_sha256_extract(const uint8_t *salt, size_t saltlen,
    const uint8_t *ikm, size_t ikmlen, uint8_t prk[32]);
void kdf_hkdf_sha256_expand(const uint8_t prk[32], const uint8_t *info,
    size_t infolen, uint8_t *out, size_t outlen);
void kdf_hmac_sha256(const uint8_t *key, size_t keylen, const uint8_t *msg,
    size_t len, uint8_t out[32]);

#endif
