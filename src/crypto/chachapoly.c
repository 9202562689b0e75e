/* chachapoly.c — ChaCha20-Poly1305 over Nettle; see chachapoly.h. */
#include <string.h>

#include <nettle/chacha-poly1305.h>
#include <nettle/memops.h>

#include "crypto/chachapoly.h"

static void
chachapoly_start(struct chacha_poly1305_ctx *c, const uint8_t *key,
    const uint8_t *nonce, const uint8_t *aad, size_t aadlen)
{
	chacha_poly1305_set_key(c, key);
	chacha_poly1305_set_nonce(c, nonce);
	chacha_poly1305_update(c, aadlen, aad);
}

void
chachapoly_seal(const uint8_t key[CHACHAPOLY_KEY_SIZE],
    const uint8_t nonce[CHACHAPOLY_NONCE_SIZE], const uint8_t *aad,
    size_t aadlen, const uint8_t *in, size_t len, uint8_t *out)
{
	struct chacha_poly1305_ctx c;

	chachapoly_start(&c, key, nonce, aad, aadlen);
	chacha_poly1305_encrypt(&c, len, out, in);
	chacha_poly1305_digest(&c, CHACHAPOLY_TAG_SIZE, out + len);
	explicit_bzero(&c, sizeof c);
}

int
chachapoly_open(const uint8_t key[CHACHAPOLY_KEY_SIZE],
    const uint8_t nonce[CHACHAPOLY_NONCE_SIZE], const uint8_t *aad,
    size_t aadlen, const uint8_t *in, size_t inlen, uint8_t *out)
{
	struct chacha_poly1305_ctx c;
	uint8_t tag[CHACHAPOLY_TAG_SIZE];
	size_t len;
	int rc = -1;

	if (inlen < CHACHAPOLY_TAG_SIZE)
		return -1;
	len = inlen - CHACHAPOLY_TAG_SIZE;
	chachapoly_start(&c, key, nonce, aad, aadlen);
	chacha_poly1305_decrypt(&c, len, out, in);
	chacha_poly1305_digest(&c, CHACHAPOLY_TAG_SIZE, tag);
	/* The tag sits past len, untouched even when in == out. */
	if (memeql_sec(tag, in + len, CHACHAPOLY_TAG_SIZE))
		rc = 0;
	else
		explicit_bzero(out, len);
	explicit_bzero(&c, sizeof c);
	explicit_bzero(tag, sizeof tag);
	return rc;
}
