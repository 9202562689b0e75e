/* pbe.c — PKCS#12 / PKCS#5 password-based crypto; see pbe.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/aes.h>
#include <nettle/arctwo.h>
#include <nettle/cbc.h>
#include <nettle/des.h>
#include <nettle/hmac.h>
#include <nettle/nettle-meta.h>
#include <nettle/pbkdf2.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "crypto/pbe.h"

union pbe_ctx {
	struct aes128_ctx a128;
	struct aes192_ctx a192;
	struct aes256_ctx a256;
	struct des3_ctx des3;
	struct arctwo_ctx rc2;
};

/* Big enough and aligned for every hash context of the table. */
union pbe_hash_ctx {
	struct sha1_ctx sha1;
	struct sha256_ctx sha256;
	struct sha512_ctx sha512;
};

/* Adapters with nettle_cipher_func's exact type (no function casts). */
static void
e_a128(const void *c, size_t n, uint8_t *d, const uint8_t *s)
{
	aes128_encrypt(c, n, d, s);
}
static void
d_a128(const void *c, size_t n, uint8_t *d, const uint8_t *s)
{
	aes128_decrypt(c, n, d, s);
}
static void
e_a192(const void *c, size_t n, uint8_t *d, const uint8_t *s)
{
	aes192_encrypt(c, n, d, s);
}
static void
d_a192(const void *c, size_t n, uint8_t *d, const uint8_t *s)
{
	aes192_decrypt(c, n, d, s);
}
static void
e_a256(const void *c, size_t n, uint8_t *d, const uint8_t *s)
{
	aes256_encrypt(c, n, d, s);
}
static void
d_a256(const void *c, size_t n, uint8_t *d, const uint8_t *s)
{
	aes256_decrypt(c, n, d, s);
}
static void
e_des3(const void *c, size_t n, uint8_t *d, const uint8_t *s)
{
	des3_encrypt(c, n, d, s);
}
static void
d_des3(const void *c, size_t n, uint8_t *d, const uint8_t *s)
{
	des3_decrypt(c, n, d, s);
}
static void
e_rc2(const void *c, size_t n, uint8_t *d, const uint8_t *s)
{
	/* Nettle's arctwo functions take a non-const context. */
	arctwo_encrypt((struct arctwo_ctx *)(uintptr_t)c, n, d, s);
}
static void
d_rc2(const void *c, size_t n, uint8_t *d, const uint8_t *s)
{
	arctwo_decrypt((struct arctwo_ctx *)(uintptr_t)c, n, d, s);
}

static const struct {
	enum pbe_cipher id;
	const char *name;
	size_t keylen, blocklen;
	nettle_cipher_func *enc, *dec;
} pbe_ciphers[] = {
	{ PBE_AES128_CBC, "AES-128-CBC", 16, 16, e_a128, d_a128 },
	{ PBE_AES192_CBC, "AES-192-CBC", 24, 16, e_a192, d_a192 },
	{ PBE_AES256_CBC, "AES-256-CBC", 32, 16, e_a256, d_a256 },
	{ PBE_DES3_CBC, "DES-EDE3-CBC", 24, 8, e_des3, d_des3 },
	{ PBE_RC2_40_CBC, "RC2-40-CBC", 5, 8, e_rc2, d_rc2 },
	{ PBE_RC2_128_CBC, "RC2-CBC", 16, 8, e_rc2, d_rc2 },
};

static size_t
cipher_index(enum pbe_cipher c)
{
	size_t i;

	for (i = 0; i < sizeof pbe_ciphers / sizeof pbe_ciphers[0]; i++)
		if (pbe_ciphers[i].id == c)
			return i;
	/* Callers pass ids they got from this module's own table. */
	fputs("pbe: unknown cipher id\n", stderr);
	abort();
}

size_t
pbe_cipher_keylen(enum pbe_cipher c)
{
	return pbe_ciphers[cipher_index(c)].keylen;
}

size_t
pbe_cipher_blocklen(enum pbe_cipher c)
{
	return pbe_ciphers[cipher_index(c)].blocklen;
}

const char *
pbe_cipher_name(enum pbe_cipher c)
{
	return pbe_ciphers[cipher_index(c)].name;
}

static void
cipher_setup(union pbe_ctx *ctx, enum pbe_cipher c, const uint8_t *key,
    int enc)
{
	uint8_t k3[DES3_KEY_SIZE];

	switch (c) {
	case PBE_AES128_CBC:
		if (enc)
			aes128_set_encrypt_key(&ctx->a128, key);
		else
			aes128_set_decrypt_key(&ctx->a128, key);
		break;
	case PBE_AES192_CBC:
		if (enc)
			aes192_set_encrypt_key(&ctx->a192, key);
		else
			aes192_set_decrypt_key(&ctx->a192, key);
		break;
	case PBE_AES256_CBC:
		if (enc)
			aes256_set_encrypt_key(&ctx->a256, key);
		else
			aes256_set_decrypt_key(&ctx->a256, key);
		break;
	case PBE_DES3_CBC:
		/* A derived key has random parity bits; DES ignores them,
		 * Nettle wants them right. Weak keys are not refused: the
		 * KDF output is what the writer used. */
		des_fix_parity(sizeof k3, k3, key);
		(void)des3_set_key(&ctx->des3, k3);
		explicit_bzero(k3, sizeof k3);
		break;
	case PBE_RC2_40_CBC:
		arctwo_set_key_ekb(&ctx->rc2, 5, key, 40);
		break;
	case PBE_RC2_128_CBC:
		arctwo_set_key_ekb(&ctx->rc2, 16, key, 128);
		break;
	case PBE_NONE:
		fputs("pbe: no cipher\n", stderr);
		abort();
	}
}

void
pbe_cbc_encrypt(enum pbe_cipher c, const uint8_t *key, const uint8_t *iv,
    const uint8_t *in, size_t len, struct buf *out)
{
	size_t i = cipher_index(c), bs = pbe_ciphers[i].blocklen;
	size_t full = len - len % bs, pad = bs - len % bs;
	uint8_t ivc[PBE_MAX_BLOCK], last[PBE_MAX_BLOCK];
	union pbe_ctx ctx;
	uint8_t *dst;

	cipher_setup(&ctx, c, key, 1);
	/* The last block holds the tail of in and 1..bs bytes of padding. */
	if (len > full)
		memcpy(last, in + full, len - full);
	memset(last + (len - full), (int)pad, pad);
	memcpy(ivc, iv, bs);
	dst = buf_reserve(out, full + bs);
	if (full > 0)
		cbc_encrypt(&ctx, pbe_ciphers[i].enc, bs, ivc, full, dst, in);
	cbc_encrypt(&ctx, pbe_ciphers[i].enc, bs, ivc, bs, dst + full, last);
	out->len += full + bs;
	explicit_bzero(&ctx, sizeof ctx);
	explicit_bzero(last, sizeof last);
}

int
pbe_cbc_decrypt(enum pbe_cipher c, const uint8_t *key, const uint8_t *iv,
    const uint8_t *in, size_t len, struct buf *out, struct err *e)
{
	size_t i = cipher_index(c), bs = pbe_ciphers[i].blocklen;
	uint8_t ivc[PBE_MAX_BLOCK];
	union pbe_ctx ctx;
	unsigned pad, bad, j;
	uint8_t *dst;

	if (len == 0 || len % bs != 0)
		return err_set(e, ERR_PASS, "wrong passphrase or corrupt data");
	cipher_setup(&ctx, c, key, 0);
	memcpy(ivc, iv, bs);
	dst = buf_reserve(out, len);
	cbc_decrypt(&ctx, pbe_ciphers[i].dec, bs, ivc, len, dst, in);
	explicit_bzero(&ctx, sizeof ctx);
	/* The padding is checked without branching on its bytes. */
	pad = dst[len - 1];
	bad = (unsigned)(pad == 0) | (unsigned)(pad > bs);
	for (j = 1; j <= bs; j++)
		bad |= (unsigned)(j <= pad) & (unsigned)(dst[len - j] != pad);
	if (bad) {
		explicit_bzero(dst, len);
		return err_set(e, ERR_PASS, "wrong passphrase or corrupt data");
	}
	out->len += len - pad;
	explicit_bzero(dst + len - pad, pad);
	return 0;
}

int
pbe_bmp_password(const char *s, size_t len, struct buf *out, struct err *e)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, start = out->len;
	uint32_t cp;
	unsigned n, k;

	while (i < len) {
		if (p[i] < 0x80) {
			cp = p[i];
			n = 0;
		} else if ((p[i] & 0xe0) == 0xc0) {
			cp = p[i] & 0x1f;
			n = 1;
		} else if ((p[i] & 0xf0) == 0xe0) {
			cp = p[i] & 0x0f;
			n = 2;
		} else
			goto bad;
		if (len - i - 1 < n)
			goto bad;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		/* Overlong forms and surrogates are not characters. */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		buf_putc(out, (int)(cp >> 8));
		buf_putc(out, (int)(cp & 0xff));
		i += n + 1;
	}
	buf_putc(out, 0);
	buf_putc(out, 0);
	return 0;
bad:
	if (out->len > start)
		explicit_bzero(out->data + start, out->len - start);
	out->len = start;
	return err_set(e, ERR_USAGE, "the passphrase is not UTF-8 text of "
	    "the Basic Multilingual Plane, which PKCS#12 requires");
}

static const struct nettle_hash *
pbe_hash(enum hash_alg h)
{
	switch (h) {
	case HASH_SHA1:
		return &nettle_sha1;
	case HASH_SHA256:
		return &nettle_sha256;
	case HASH_SHA384:
		return &nettle_sha384;
	case HASH_SHA512:
		return &nettle_sha512;
	case HASH_NONE:
		break;
	}
	fputs("pbe: unknown hash\n", stderr);
	abort();
}

/* Fills dst (n bytes) with src repeated; n > 0 needs srclen > 0. */
static void
repeat_fill(uint8_t *dst, size_t n, const uint8_t *src, size_t srclen)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = src[i % srclen];
}

/*
 * RFC 7292 B.2: D = v bytes of id; I = S || P, the salt and the password
 * each repeated to a multiple of v bytes; per u-byte output block
 * A = H^r(D || I), and unless it was the last block, each v-byte piece
 * I_j of I becomes (I_j + B + 1) mod 2^(8v) with B = A repeated to v bytes.
 */
void
pbe_pkcs12_kdf(enum hash_alg h, unsigned id, const uint8_t *bmp,
    size_t bmplen, const uint8_t *salt, size_t saltlen, unsigned iterations,
    uint8_t *out, size_t outlen)
{
	const struct nettle_hash *nh = pbe_hash(h);
	size_t u = nh->digest_size, v = nh->block_size;
	size_t slen = saltlen == 0 ? 0 : v * ((saltlen + v - 1) / v);
	size_t plen = bmplen == 0 ? 0 : v * ((bmplen + v - 1) / v);
	size_t ilen = slen + plen, j, k, n;
	uint8_t d[128], a[64], b[128];
	union pbe_hash_ctx ctx;
	unsigned r, carry;
	uint8_t *in;

	in = malloc(ilen > 0 ? ilen : 1);
	if (in == NULL) {
		fputs("pbe: out of memory\n", stderr);
		abort();
	}
	memset(d, (int)id, v);
	if (slen > 0)
		repeat_fill(in, slen, salt, saltlen);
	if (plen > 0)
		repeat_fill(in + slen, plen, bmp, bmplen);
	while (outlen > 0) {
		nh->init(&ctx);
		nh->update(&ctx, v, d);
		nh->update(&ctx, ilen, in);
		nh->digest(&ctx, u, a);
		for (r = 1; r < iterations; r++) {
			nh->init(&ctx);
			nh->update(&ctx, u, a);
			nh->digest(&ctx, u, a);
		}
		n = outlen < u ? outlen : u;
		memcpy(out, a, n);
		out += n;
		outlen -= n;
		if (outlen == 0)
			break;
		repeat_fill(b, v, a, u);
		for (j = 0; j < ilen; j += v) {
			/* I_j + B + 1, big-endian, carry out dropped. */
			carry = 1;
			for (k = v; k-- > 0;) {
				carry += (unsigned)in[j + k] + b[k];
				in[j + k] = (uint8_t)carry;
				carry >>= 8;
			}
		}
	}
	explicit_bzero(&ctx, sizeof ctx);
	explicit_bzero(a, sizeof a);
	explicit_bzero(b, sizeof b);
	explicit_bzero(in, ilen);
	free(in);
}

void
pbe_pbkdf2(enum hash_alg h, const void *pass, size_t passlen,
    const uint8_t *salt, size_t saltlen, unsigned iterations, uint8_t *out,
    size_t outlen)
{
	const uint8_t *p = pass;

	switch (h) {
	case HASH_SHA1:
		pbkdf2_hmac_sha1(passlen, p, iterations, saltlen, salt,
		    outlen, out);
		return;
	case HASH_SHA256:
		pbkdf2_hmac_sha256(passlen, p, iterations, saltlen, salt,
		    outlen, out);
		return;
	case HASH_SHA384:
		pbkdf2_hmac_sha384(passlen, p, iterations, saltlen, salt,
		    outlen, out);
		return;
	case HASH_SHA512:
		pbkdf2_hmac_sha512(passlen, p, iterations, saltlen, salt,
		    outlen, out);
		return;
	case HASH_NONE:
		break;
	}
	fputs("pbe: unknown PBKDF2 hash\n", stderr);
	abort();
}

void
pbe_hmac(enum hash_alg h, const uint8_t *key, size_t keylen,
    const uint8_t *msg, size_t len, uint8_t *out)
{
	const struct nettle_hash *nh = pbe_hash(h);
	union pbe_hash_ctx outer, inner, state;

	hmac_set_key(&outer, &inner, &state, nh, keylen, key);
	hmac_update(&state, nh, len, msg);
	hmac_digest(&outer, &inner, &state, nh, nh->digest_size, out);
	explicit_bzero(&outer, sizeof outer);
	explicit_bzero(&inner, sizeof inner);
	explicit_bzero(&state, sizeof state);
}
