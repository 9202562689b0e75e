/* prf.c — the TLS 1.2 PRF: P_hash(secret, label + seed) with the suite's
 * hash, SHA-256 or SHA-384 (RFC 5246 5). */
#include <string.h>

#include "crypto/mac.h"
#include "tls/internal.h"

void
prf_tls12(enum hash_alg h, const uint8_t *secret, size_t slen,
    const char *label, const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen, uint8_t *out, size_t outlen)
{
	struct mac m;
	uint8_t ai[HASH_MAX_SIZE], blk[HASH_MAX_SIZE];
	size_t ll = strlen(label), hl = hash_size(h), n;

	mac_init(&m, h, secret, slen);
	/* A(1) = HMAC(secret, label + seed) */
	mac_update(&m, (const uint8_t *)label, ll);
	mac_update(&m, a, alen);
	if (b != NULL)
		mac_update(&m, b, blen);
	mac_digest(&m, ai);
	while (outlen > 0) {
		mac_update(&m, ai, hl);
		mac_update(&m, (const uint8_t *)label, ll);
		mac_update(&m, a, alen);
		if (b != NULL)
			mac_update(&m, b, blen);
		mac_digest(&m, blk);
		n = outlen < hl ? outlen : hl;
		memcpy(out, blk, n);
		out += n;
		outlen -= n;
		/* A(i+1) = HMAC(secret, A(i)) */
		mac_update(&m, ai, hl);
		mac_digest(&m, ai);
	}
	mac_clear(&m);
	explicit_bzero(ai, sizeof ai);
	explicit_bzero(blk, sizeof blk);
}
