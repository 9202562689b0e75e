/* hash.c — SHA-1 and SHA-2 one-shot digests; see hash.h. */
#include <nettle/nettle-meta.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "crypto/hash.h"

static const struct {
	enum hash_alg alg;
	const char *name;
	const struct nettle_hash *nh;
} hash_table[] = {
	{ HASH_SHA1, "sha1", &nettle_sha1 },
	{ HASH_SHA256, "sha256", &nettle_sha256 },
	{ HASH_SHA384, "sha384", &nettle_sha384 },
	{ HASH_SHA512, "sha512", &nettle_sha512 },
};

static const struct nettle_hash *
hash_find(enum hash_alg alg)
{
	size_t i;

	for (i = 0; i < sizeof hash_table / sizeof hash_table[0]; i++)
		if (hash_table[i].alg == alg)
			return hash_table[i].nh;
	return NULL;
}

size_t
hash_size(enum hash_alg alg)
{
	const struct nettle_hash *nh = hash_find(alg);

	return nh == NULL ? 0 : nh->digest_size;
}

const char *
hash_name(enum hash_alg alg)
{
	size_t i;

	for (i = 0; i < sizeof hash_table / sizeof hash_table[0]; i++)
		if (hash_table[i].alg == alg)
			return hash_table[i].name;
	return "none";
}

void
hash_digest(enum hash_alg alg, const void *msg, size_t len, uint8_t *out)
{
	const struct nettle_hash *nh = hash_find(alg);
	/* Big enough and aligned for any of the contexts above. */
	union {
		struct sha1_ctx sha1;
		struct sha256_ctx sha256;
		struct sha512_ctx sha512;
	} ctx;

	if (nh == NULL)
		return;
	nh->init(&ctx);
	nh->update(&ctx, len, msg);
	nh->digest(&ctx, nh->digest_size, out);
}

void
hash_sha256(const void *msg, size_t len, uint8_t out[32])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, msg);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}
