/* prf.c — the TLS 1.2 PRF: P_SHA256(secret, label + seed) (RFC 5246 5). */
#include <string.h>

#include <nettle/hmac.h>

#include "tls/internal.h"

void
prf_sha256(const uint8_t *secret, size_t slen, const char *label,
    const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
    uint8_t *out, size_t outlen)
{
	struct hmac_sha256_ctx base, c;
	uint8_t ai[32], blk[32];
	size_t ll = strlen(label), n;

	hmac_sha256_set_key(&base, slen, secret);
	/* A(1) = HMAC(secret, label + seed) */
	c = base;
	hmac_sha256_update(&c, ll, (const uint8_t *)label);
	hmac_sha256_update(&c, alen, a);
	if (b != NULL)
		hmac_sha256_update(&c, blen, b);
	hmac_sha256_digest(&c, 32, ai);
	while (outlen > 0) {
		c = base;
		hmac_sha256_update(&c, 32, ai);
		hmac_sha256_update(&c, ll, (const uint8_t *)label);
		hmac_sha256_update(&c, alen, a);
		if (b != NULL)
			hmac_sha256_update(&c, blen, b);
		hmac_sha256_digest(&c, 32, blk);
		n = outlen < 32 ? outlen : 32;
		memcpy(out, blk, n);
		out += n;
		outlen -= n;
		/* A(i+1) = HMAC(secret, A(i)) */
		c = base;
		hmac_sha256_update(&c, 32, ai);
		hmac_sha256_digest(&c, 32, ai);
	}
	explicit_bzero(&base, sizeof base);
	explicit_bzero(&c, sizeof c);
	explicit_bzero(ai, sizeof ai);
	explicit_bzero(blk, sizeof blk);
}
