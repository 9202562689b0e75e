/* aescbc.c — AES-CBC with PKCS#7 padding; see aescbc.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/memops.h>

#include "crypto/aescbc.h"

union aescbc_ctx {
	struct aes128_ctx a128;
	struct aes256_ctx a256;
};

/* Adapters with nettle_cipher_func's exact type (no function casts). */
static void
enc128(const void *c, size_t n, uint8_t *dst, const uint8_t *src)
{
	aes128_encrypt(c, n, dst, src);
}

static void
dec128(const void *c, size_t n, uint8_t *dst, const uint8_t *src)
{
	aes128_decrypt(c, n, dst, src);
}

static void
enc256(const void *c, size_t n, uint8_t *dst, const uint8_t *src)
{
	aes256_encrypt(c, n, dst, src);
}

static void
dec256(const void *c, size_t n, uint8_t *dst, const uint8_t *src)
{
	aes256_decrypt(c, n, dst, src);
}

static nettle_cipher_func *
aes_setup(union aescbc_ctx *c, const uint8_t *key, size_t keylen, int enc)
{
	if (keylen == 16) {
		if (enc)
			aes128_set_encrypt_key(&c->a128, key);
		else
			aes128_set_decrypt_key(&c->a128, key);
		return enc ? enc128 : dec128;
	}
	if (keylen == 32) {
		if (enc)
			aes256_set_encrypt_key(&c->a256, key);
		else
			aes256_set_decrypt_key(&c->a256, key);
		return enc ? enc256 : dec256;
	}
	return NULL;
}

void
aescbc_encrypt(const uint8_t *key, size_t keylen, const uint8_t iv[16],
    const uint8_t *in, size_t len, struct buf *out)
{
	union aescbc_ctx c;
	uint8_t ivc[AES_BLOCK_SIZE], last[AES_BLOCK_SIZE];
	nettle_cipher_func *f;
	size_t full = len - len % AES_BLOCK_SIZE;
	size_t pad = AES_BLOCK_SIZE - len % AES_BLOCK_SIZE;
	uint8_t *dst;

	f = aes_setup(&c, key, keylen, 1);
	if (f == NULL) {
		/* The key length is fixed by the caller's algorithm choice. */
		fputs("aescbc_encrypt: bad key length\n", stderr);
		abort();
	}
	/* The last block holds the tail of in and 1..16 bytes of padding. */
	if (len > full)
		memcpy(last, in + full, len - full);
	memset(last + (len - full), (int)pad, pad);
	memcpy(ivc, iv, AES_BLOCK_SIZE);
	dst = buf_reserve(out, full + AES_BLOCK_SIZE);
	if (full > 0)
		cbc_encrypt(&c, f, AES_BLOCK_SIZE, ivc, full, dst, in);
	cbc_encrypt(&c, f, AES_BLOCK_SIZE, ivc, AES_BLOCK_SIZE, dst + full, last);
	out->len += full + AES_BLOCK_SIZE;
	explicit_bzero(&c, sizeof c);
	explicit_bzero(last, sizeof last);
}

int
aescbc_decrypt(const uint8_t *key, size_t keylen, const uint8_t iv[16],
    const uint8_t *in, size_t len, struct buf *out, struct err *e)
{
	union aescbc_ctx c;
	uint8_t ivc[AES_BLOCK_SIZE];
	nettle_cipher_func *f;
	uint8_t *dst;
	unsigned pad, bad, i;
	int rc = -1;

	if (len == 0 || len % AES_BLOCK_SIZE != 0)
		return err_set(e, ERR_PASS, "wrong passphrase or corrupt key");
	f = aes_setup(&c, key, keylen, 0);
	if (f == NULL)
		return err_set(e, ERR_USAGE, "AES-CBC: key length %zu", keylen);
	memcpy(ivc, iv, AES_BLOCK_SIZE);
	dst = buf_reserve(out, len);
	cbc_decrypt(&c, f, AES_BLOCK_SIZE, ivc, len, dst, in);
	/* Check the padding without branching on its bytes: the result is
	 * still one bit, but a timing oracle on which byte failed is gone. */
	pad = dst[len - 1];
	bad = (unsigned)(pad == 0) | (unsigned)(pad > AES_BLOCK_SIZE);
	for (i = 1; i <= AES_BLOCK_SIZE; i++) {
		unsigned inpad = (unsigned)(i <= pad);
		bad |= inpad & (unsigned)(dst[len - i] != pad);
	}
	if (bad) {
		explicit_bzero(dst, len);
		err_set(e, ERR_PASS, "wrong passphrase or corrupt key");
		goto out;
	}
	explicit_bzero(dst + len - pad, pad);
	out->len += len - pad;
	out->data[out->len] = '\0';
	rc = 0;
out:
	explicit_bzero(&c, sizeof c);
	return rc;
}
