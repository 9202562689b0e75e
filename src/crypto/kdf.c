/* kdf.c — PBKDF2-HMAC-SHA256, HKDF-SHA256 and HMAC-SHA256; see kdf.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/hkdf.h>
#include <nettle/hmac.h>

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

/* PBKDF2 (RFC 8018 section 5.2) on our own HMAC context rather than
 * Nettle's pbkdf2_hmac_sha256, which leaves the keyed HMAC state and the
 * U/T blocks on its stack; here every copy of them is wiped before return.
 * hmac_sha256_digest resets the running state to the keyed inner state, so
 * the key is set once and reused for every block and iteration. */
void
kdf_pbkdf2_sha256(const void *pass, size_t passlen,
    const uint8_t *salt, size_t saltlen, unsigned iterations,
    uint8_t *out, size_t outlen)
{
	struct hmac_sha256_ctx ctx;
	uint8_t u[SHA256_DIGEST_SIZE], t[SHA256_DIGEST_SIZE], idx[4];
	uint32_t block;
	size_t done, n, k;
	unsigned i;

	/* A zero count is a caller bug (RFC 8018: c is a positive integer). */
	if (iterations == 0) {
		fputs("kdf_pbkdf2_sha256: zero iterations\n", stderr);
		abort();
	}
	/* The block index is 32 bits; (2^32 - 1) * 32 bytes is the limit. */
	if (outlen / SHA256_DIGEST_SIZE >= UINT32_MAX) {
		fputs("kdf_pbkdf2_sha256: output too long\n", stderr);
		abort();
	}
	hmac_sha256_set_key(&ctx, passlen, pass);
	for (done = 0, block = 1; done < outlen; done += n, block++) {
		idx[0] = (uint8_t)(block >> 24);
		idx[1] = (uint8_t)(block >> 16);
		idx[2] = (uint8_t)(block >> 8);
		idx[3] = (uint8_t)block;
		/* U_1 = PRF(P, S || INT(i)) */
		hmac_sha256_update(&ctx, saltlen, salt);
		hmac_sha256_update(&ctx, sizeof idx, idx);
		hmac_sha256_digest(&ctx, sizeof u, u);
		memcpy(t, u, sizeof t);
		/* U_j = PRF(P, U_{j-1}); T = U_1 ^ ... ^ U_c */
		for (i = 1; i < iterations; i++) {
			hmac_sha256_update(&ctx, sizeof u, u);
			hmac_sha256_digest(&ctx, sizeof u, u);
			for (k = 0; k < sizeof t; k++)
				t[k] ^= u[k];
		}
		n = outlen - done < sizeof t ? outlen - done : sizeof t;
		memcpy(out + done, t, n);
	}
	explicit_bzero(&ctx, sizeof ctx);
	explicit_bzero(u, sizeof u);
	explicit_bzero(t, sizeof t);
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
