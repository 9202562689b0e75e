/* mac.c — HMAC over a SHA-2 hash chosen at run time; see mac.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/mac.h"

void
mac_init(struct mac *m, enum hash_alg alg, const uint8_t *key,
    size_t keylen)
{
	m->alg = alg;
	switch (alg) {
	case HASH_SHA256:
		hmac_sha256_set_key(&m->u.s256, keylen, key);
		break;
	case HASH_SHA384:
		hmac_sha384_set_key(&m->u.s384, keylen, key);
		break;
	case HASH_SHA512:
		hmac_sha512_set_key(&m->u.s512, keylen, key);
		break;
	default:
		fputs("mac_init: not a SHA-2 hash\n", stderr);
		abort();
	}
}

void
mac_update(struct mac *m, const uint8_t *p, size_t len)
{
	if (m->alg == HASH_SHA256)
		hmac_sha256_update(&m->u.s256, len, p);
	else if (m->alg == HASH_SHA384)
		hmac_sha384_update(&m->u.s384, len, p);
	else
		hmac_sha512_update(&m->u.s512, len, p);
}

void
mac_digest(struct mac *m, uint8_t *out)
{
	if (m->alg == HASH_SHA256)
		hmac_sha256_digest(&m->u.s256, SHA256_DIGEST_SIZE, out);
	else if (m->alg == HASH_SHA384)
		hmac_sha384_digest(&m->u.s384, SHA384_DIGEST_SIZE, out);
	else
		hmac_sha512_digest(&m->u.s512, SHA512_DIGEST_SIZE, out);
}

void
mac_clear(struct mac *m)
{
	explicit_bzero(m, sizeof *m);
}

void
mac_hmac(enum hash_alg alg, const uint8_t *key, size_t keylen,
    const uint8_t *msg, size_t len, uint8_t *out)
{
	struct mac m;

	mac_init(&m, alg, key, keylen);
	mac_update(&m, msg, len);
	mac_digest(&m, out);
	mac_clear(&m);
}
