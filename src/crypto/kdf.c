/* kdf.c — PBKDF2-HMAC-SHA256, HKDF-SHA256 and HMAC-SHA256; see kdf.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/hkdf.h>
#include <nettle/hmac.h>
#include <nettle/pbkdf2.h>

#include "crypto/kdf.h"

/* Adapters with the exact types hkdf_extract/hkdf_expand call through, so no
 * function pointer is cast to a different type. */
static void
kdf_mac_update(void *ctx, size_t len, const uint8_t *data)
{
	hmac_sha256_update(ctx, len, data);
}

static void
kdf_mac_digest(void *ctx, size_t len, uint8_t *dst)
{
	hmac_sha256_digest(ctx, len, dst);
}

void
kdf_pbkdf2_sha256(const void *pass, size_t passlen,
    const uint8_t *salt, size_t saltlen, unsigned iterations,
    uint8_t *out, size_t outlen)
{
	/* Nettle asserts iterations > 0; a zero count is a caller bug. */
	if (iterations == 0) {
		fputs("kdf_pbkdf2_sha256: zero iterations\n", stderr);
		abort();
	}
	pbkdf2_hmac_sha256(passlen, pass, iterations, saltlen, salt,
	    outlen, out);
}

void
kdf_hkdf_sha256_extract(const uint8_t *salt, size_t saltlen,
    const uint8_t *ikm, size_t ikmlen, uint8_t prk[32])
{
	struct hmac_sha256_ctx ctx;

	/* RFC 5869: an absent salt is HashLen zero bytes, which HMAC treats
	 * the same as an empty key. */
	hmac_sha256_set_key(&ctx, saltlen, salt);
	hkdf_extract(&ctx, kdf_mac_update, kdf_mac_digest,
	    SHA256_DIGEST_SIZE, ikmlen, ikm, prk);
	explicit_bzero(&ctx, sizeof ctx);
}

void
kdf_hkdf_sha256_expand(const uint8_t prk[32], const uint8_t *info,
    size_t infolen, uint8_t *out, size_t outlen)
{
	struct hmac_sha256_ctx ctx;

	/* Nettle does not check the RFC 5869 limit; past it the counter
	 * byte would wrap and the output repeat. */
	if (outlen > KDF_HKDF_SHA256_MAX) {
		fputs("kdf_hkdf_sha256_expand: output too long\n", stderr);
		abort();
	}
	hmac_sha256_set_key(&ctx, SHA256_DIGEST_SIZE, prk);
	hkdf_expand(&ctx, kdf_mac_update, kdf_mac_digest,
	    SHA256_DIGEST_SIZE, infolen, info, outlen, out);
	explicit_bzero(&ctx, sizeof ctx);
}

void
kdf_hmac_sha256(const uint8_t *key, size_t keylen, const uint8_t *msg,
    size_t len, uint8_t out[32])
{
	struct hmac_sha256_ctx ctx;

	hmac_sha256_set_key(&ctx, keylen, key);
	hmac_sha256_update(&ctx, len, msg);
	hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
	explicit_bzero(&ctx, sizeof ctx);
}
