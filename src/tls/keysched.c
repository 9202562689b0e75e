/* keysched.c — the TLS 1.3 key schedule over HKDF with the suite's hash
 * (RFC 8446 7.1): SHA-256, or SHA-384 for TLS_AES_256_GCM_SHA384. */
#include <string.h>

#include "crypto/hash.h"
#include "crypto/hkdf.h"
#include "crypto/mac.h"
#include "tls/internal.h"

/* HkdfLabel = uint16 length, opaque label<7..255> = "tls13 " + label,
 * opaque context<0..255>. */
void
keysched_expand_label(enum hash_alg h, const uint8_t *secret,
    const char *label, const uint8_t *ctx, size_t ctxlen, uint8_t *out,
    size_t outlen)
{
	uint8_t info[2 + 1 + 255 + 1 + 255];
	size_t ll = strlen(label), n = 0;

	info[n++] = (uint8_t)(outlen >> 8);
	info[n++] = (uint8_t)outlen;
	info[n++] = (uint8_t)(6 + ll);
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, ll);
	n += ll;
	info[n++] = (uint8_t)ctxlen;
	if (ctxlen > 0)
		memcpy(info + n, ctx, ctxlen);
	n += ctxlen;
	hkdf_expand(h, secret, info, n, out, outlen);
}

void
keysched_derive(enum hash_alg h, const uint8_t *secret, const char *label,
    const uint8_t *thash, uint8_t *out)
{
	size_t hl = hash_size(h);

	keysched_expand_label(h, secret, label, thash, hl, out, hl);
}

void
keysched_early_secret(enum hash_alg h, const uint8_t *psk, size_t psklen,
    uint8_t *early)
{
	uint8_t zero[HASH_MAX_SIZE];
	size_t hl = hash_size(h);

	memset(zero, 0, sizeof zero);
	hkdf_extract(h, zero, hl, psk != NULL ? psk : zero,
	    psk != NULL ? psklen : hl, early);
}

void
keysched_binder(enum hash_alg h, const uint8_t *psk, size_t psklen,
    const uint8_t *thash, uint8_t *out)
{
	uint8_t early[HASH_MAX_SIZE], empty[HASH_MAX_SIZE];
	uint8_t bkey[HASH_MAX_SIZE];

	keysched_early_secret(h, psk, psklen, early);
	hash_digest(h, "", 0, empty);
	keysched_derive(h, early, "res binder", empty, bkey);
	keysched_finished(h, bkey, thash, out);
	explicit_bzero(early, sizeof early);
	explicit_bzero(bkey, sizeof bkey);
}

void
keysched_handshake_secret(enum hash_alg h, const uint8_t *psk,
    size_t psklen, const uint8_t *ecdhe, size_t len, uint8_t *hs)
{
	uint8_t early[HASH_MAX_SIZE];
	uint8_t derived[HASH_MAX_SIZE], empty[HASH_MAX_SIZE];
	size_t hl = hash_size(h);

	keysched_early_secret(h, psk, psklen, early);
	hash_digest(h, "", 0, empty);
	keysched_derive(h, early, "derived", empty, derived);
	hkdf_extract(h, derived, hl, ecdhe, len, hs);
	explicit_bzero(early, sizeof early);
	explicit_bzero(derived, sizeof derived);
}

void
keysched_master_secret(enum hash_alg h, const uint8_t *hs, uint8_t *master)
{
	uint8_t zero[HASH_MAX_SIZE], derived[HASH_MAX_SIZE];
	uint8_t empty[HASH_MAX_SIZE];
	size_t hl = hash_size(h);

	memset(zero, 0, sizeof zero);
	hash_digest(h, "", 0, empty);
	keysched_derive(h, hs, "derived", empty, derived);
	hkdf_extract(h, derived, hl, zero, hl, master);
	explicit_bzero(derived, sizeof derived);
}

void
keysched_finished(enum hash_alg h, const uint8_t *base,
    const uint8_t *thash, uint8_t *out)
{
	uint8_t fk[HASH_MAX_SIZE];
	size_t hl = hash_size(h);

	keysched_expand_label(h, base, "finished", NULL, 0, fk, hl);
	mac_hmac(h, fk, hl, thash, hl, out);
	explicit_bzero(fk, sizeof fk);
}
