/* keysched.c — the TLS 1.3 key schedule over HKDF-SHA256 (RFC 8446 7.1). */
#include <string.h>

#include "crypto/hash.h"
#include "crypto/kdf.h"
#include "tls/internal.h"

/* HkdfLabel = uint16 length, opaque label<7..255> = "tls13 " + label,
 * opaque context<0..255>. */
void
keysched_expand_label(const uint8_t secret[32], const char *label,
    const uint8_t *ctx, size_t ctxlen, uint8_t *out, size_t outlen)
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
	kdf_hkdf_sha256_expand(secret, info, n, out, outlen);
}

void
keysched_derive(const uint8_t secret[32], const char *label,
    const uint8_t thash[32], uint8_t out[32])
{
	keysched_expand_label(secret, label, thash, 32, out, 32);
}

void
keysched_handshake_secret(const uint8_t *ecdhe, size_t len, uint8_t hs[32])
{
	uint8_t zero[32], early[32], derived[32], empty[32];

	memset(zero, 0, sizeof zero);
	kdf_hkdf_sha256_extract(zero, 32, zero, 32, early);
	hash_sha256("", 0, empty);
	keysched_derive(early, "derived", empty, derived);
	kdf_hkdf_sha256_extract(derived, 32, ecdhe, len, hs);
	explicit_bzero(early, sizeof early);
	explicit_bzero(derived, sizeof derived);
}

void
keysched_master_secret(const uint8_t hs[32], uint8_t master[32])
{
	uint8_t zero[32], derived[32], empty[32];

	memset(zero, 0, sizeof zero);
	hash_sha256("", 0, empty);
	keysched_derive(hs, "derived", empty, derived);
	kdf_hkdf_sha256_extract(derived, 32, zero, 32, master);
	explicit_bzero(derived, sizeof derived);
}

void
keysched_finished(const uint8_t base[32], const uint8_t thash[32],
    uint8_t out[32])
{
	uint8_t fk[32];

	keysched_expand_label(base, "finished", NULL, 0, fk, 32);
	kdf_hmac_sha256(fk, 32, thash, 32, out);
	explicit_bzero(fk, sizeof fk);
}
