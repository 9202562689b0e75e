/* aead.h — AES-GCM (128- or 256-bit keys, 96-bit nonces, 16-byte tags). */
#ifndef MP_CRYPTO_AEAD_H
#define MP_CRYPTO_AEAD_H

#include <stddef.h>
#include <stdint.h>

#define AEAD_NONCE_SIZE 12
#define AEAD_TAG_SIZE 16

/* Encrypts len bytes of in into out and appends the tag: out must hold
 * len + AEAD_TAG_SIZE bytes. keylen is 16 or 32. in and out may be equal. */
int aead_seal(const uint8_t *key, size_t keylen,
    const uint8_t nonce[AEAD_NONCE_SIZE], const uint8_t *aad, size_t aadlen,
    const uint8_t *in, size_t len, uint8_t *out);
/* Checks the tag (in constant time) and decrypts: inlen includes the tag, out
 * receives inlen - AEAD_TAG_SIZE bytes. Returns -1, with out wiped, when
 * the tag does not match or inlen is shorter than a tag. */
int aead_open(const uint8_t *key, size_t keylen,
    const uint8_t nonce[AEAD_NONCE_SIZE], const uint8_t *aad, size_t aadlen,
    const uint8_t *in, size_t inlen, uint8_t *out);

#endif
