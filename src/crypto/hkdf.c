/* hkdf.c — HKDF-Extract and HKDF-Expand (RFC 5869) on mac.h; see hkdf.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hkdf.h"
#include "crypto/mac.h"

void
hkdf_extract(enum hash_alg alg, const uint8_t *salt, size_t saltlen,
    const uint8_t *ikm, size_t ikmlen, uint8_t *prk)
{
	struct mac m;

	/* An absent salt is HashLen zeros, which HMAC pads to the same key
	 * as an empty one. */
	mac_init(&m, alg, salt, saltlen);
	mac_update(&m, ikm, ikmlen);
	mac_digest(&m, prk);
	mac_clear(&m);
}

/* T(i) = HMAC(PRK, T(i-1) | info | i), i from 1. */
void
hkdf_expand(enum hash_alg alg, const uint8_t *prk, const uint8_t *info,
    size_t infolen, uint8_t *out, size_t outlen)
{
	struct mac m;
	uint8_t t[HASH_MAX_SIZE], i = 0;
	size_t hl = hash_size(alg), n;

	if (hl == 0 || outlen > 255 * hl) {
		fputs("hkdf_expand: output too long\n", stderr);
		abort();
	}
	mac_init(&m, alg, prk, hl);
	while (outlen > 0) {
		if (i > 0)
			mac_update(&m, t, hl);
		i++;
		mac_update(&m, info, infolen);
		mac_update(&m, &i, 1);
		mac_digest(&m, t);
		n = outlen < hl ? outlen : hl;
		memcpy(out, t, n);
		out += n;
		outlen -= n;
	}
	mac_clear(&m);
	explicit_bzero(t, sizeof t);
}
