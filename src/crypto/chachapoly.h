/* chachapoly.h — ChaCha20-Poly1305 (RFC 8439): 32-byte key, 96-bit
 * nonce, 16-byte tag; the same calling shape as aead.h. */
#ifndef MP_CRYPTO_CHACHAPOLY_H
#define MP_CRYPTO_CHACHAPOLY_H

#include <stddef.h>
#include <stdint.h>

#define CHACHAPOLY_KEY_SIZE 32
#define CHACHAPOLY_NONCE_SIZE 12
#define CHACHAPOLY_TAG_SIZE 16

/* out holds len + CHACHAPOLY_TAG_SIZE bytes; in and out may be equal. */
void chachapoly_seal(const uint8_t key[CHACHAPOLY_KEY_SIZE],
    const uint8_t nonce[CHACHAPOLY_NONCE_SIZE], const uint8_t *aad,
    size_t aadlen, const uint8_t *in, size_t len, uint8_t *out);
/* inlen includes the tag; -1 with out wiped when the tag does not match
 * (compared in constant time) or inlen is shorter than a tag. */
int chachapoly_open(const uint8_t key[CHACHAPOLY_KEY_SIZE],
    const uint8_t nonce[CHACHAPOLY_NONCE_SIZE], const uint8_t *aad,
    size_t aadlen, const uint8_t *in, size_t inlen, uint8_t *out);

#endif
