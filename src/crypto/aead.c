/* aead.c — AES-GCM with 96-bit nonces; see aead.h. */
#include <string.h>

#include <nettle/gcm.h>
#include <nettle/memops.h>

#include "crypto/aead.h"

/* One context for either key size; keylen selects the member. */
union aead_ctx {
	struct gcm_aes128_ctx a128;
	struct gcm_aes256_ctx a256;
};

static int
gcm_start(union aead_ctx *c, const uint8_t *key, size_t keylen,
    const uint8_t nonce[AEAD_NONCE_SIZE], const uint8_t *aad, size_t aadlen)
{
	if (keylen == 16) {
		gcm_aes128_set_key(&c->a128, key);
		gcm_aes128_set_iv(&c->a128, AEAD_NONCE_SIZE, nonce);
		gcm_aes128_update(&c->a128, aadlen, aad);
	} else if (keylen == 32) {
		gcm_aes256_set_key(&c->a256, key);
		gcm_aes256_set_iv(&c->a256, AEAD_NONCE_SIZE, nonce);
		gcm_aes256_update(&c->a256, aadlen, aad);
	} else
		return -1;
	return 0;
}

int
aead_seal(const uint8_t *key, size_t keylen,
    const uint8_t nonce[AEAD_NONCE_SIZE], const uint8_t *aad, size_t aadlen,
    const uint8_t *in, size_t len, uint8_t *out)
{
	union aead_ctx c;

	if (gcm_start(&c, key, keylen, nonce, aad, aadlen) == -1)
		return -1;
	if (keylen == 16) {
		gcm_aes128_encrypt(&c.a128, len, out, in);
		gcm_aes128_digest(&c.a128, AEAD_TAG_SIZE, out + len);
	} else {
		gcm_aes256_encrypt(&c.a256, len, out, in);
		gcm_aes256_digest(&c.a256, AEAD_TAG_SIZE, out + len);
	}
	explicit_bzero(&c, sizeof c);
	return 0;
}

int
aead_open(const uint8_t *key, size_t keylen,
    const uint8_t nonce[AEAD_NONCE_SIZE], const uint8_t *aad, size_t aadlen,
    const uint8_t *in, size_t inlen, uint8_t *out)
{
	union aead_ctx c;
	uint8_t tag[AEAD_TAG_SIZE];
	size_t len;
	int rc = -1;

	if (inlen < AEAD_TAG_SIZE)
		return -1;
	len = inlen - AEAD_TAG_SIZE;
	if (gcm_start(&c, key, keylen, nonce, aad, aadlen) == -1)
		return -1;
	if (keylen == 16) {
		gcm_aes128_decrypt(&c.a128, len, out, in);
		gcm_aes128_digest(&c.a128, AEAD_TAG_SIZE, tag);
	} else {
		gcm_aes256_decrypt(&c.a256, len, out, in);
		gcm_aes256_digest(&c.a256, AEAD_TAG_SIZE, tag);
	}
	/* in and out may be the same buffer, so the tag (past len) is still
	 * intact here: compare it only after decrypting. */
	if (memeql_sec(tag, in + len, AEAD_TAG_SIZE))
		rc = 0;
	else
		explicit_bzero(out, len);
	explicit_bzero(&c, sizeof c);
	explicit_bzero(tag, sizeof tag);
	return rc;
}
