/* sigalg.c — the signature schemes of CertificateVerify and TLS 1.2
 * ServerKeyExchange, one table in our order of preference: RSA-PSS
 * (rsae) with SHA-256, -384, -512, then PKCS#1 v1.5 with the same hashes
 * (TLS 1.2 only: RFC 8446 4.4.3 forbids it in a 1.3 CertificateVerify),
 * then ECDSA on P-256 with SHA-256 (RFC 8446 9.1 mandatory; in TLS 1.2
 * the same code point is ECDSA with SHA-256 on the curve of the key).
 * Another key type is another row here, and a kind in sig_key_fits and
 * peercert_sign / peercert_verify. */
#include <string.h>

#include "tls/internal.h"

static const struct sig_info sig_table[] = {
	{ 0x0804, "rsa_pss_rsae_sha256", SIGK_RSA_PSS, HASH_SHA256, 1 },
	{ 0x0805, "rsa_pss_rsae_sha384", SIGK_RSA_PSS, HASH_SHA384, 1 },
	{ 0x0806, "rsa_pss_rsae_sha512", SIGK_RSA_PSS, HASH_SHA512, 1 },
	{ 0x0401, "rsa_pkcs1_sha256", SIGK_RSA_PKCS1, HASH_SHA256, 0 },
	{ 0x0501, "rsa_pkcs1_sha384", SIGK_RSA_PKCS1, HASH_SHA384, 0 },
	{ 0x0601, "rsa_pkcs1_sha512", SIGK_RSA_PKCS1, HASH_SHA512, 0 },
	{ 0x0403, "ecdsa_secp256r1_sha256", SIGK_ECDSA, HASH_SHA256, 1 },
};
#define NSIGS (sizeof sig_table / sizeof sig_table[0])

const struct sig_info *
sig_find(unsigned id)
{
	size_t i;

	for (i = 0; i < NSIGS; i++)
		if (sig_table[i].id == id)
			return &sig_table[i];
	return NULL;
}

uint32_t
sig_bit(unsigned id)
{
	size_t i;

	for (i = 0; i < NSIGS; i++)
		if (sig_table[i].id == id)
			return UINT32_C(1) << i;
	return 0;
}

/* The configured schemes (all when none are). */
static uint32_t
sig_config(const struct tls_engine *t)
{
	uint32_t m = 0;
	size_t i;

	if (t->cfg->sigalgs == NULL)
		return (UINT32_C(1) << NSIGS) - 1;
	for (i = 0; i < t->cfg->nsigalgs; i++)
		m |= sig_bit(t->cfg->sigalgs[i]);
	return m;
}

uint32_t
sig_offer(const struct tls_engine *t, int tls13)
{
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < NSIGS; i++)
		if (!tls13 || sig_table[i].tls13)
			m |= UINT32_C(1) << i;
	return m & sig_config(t);
}

void
sig_write(struct buf *b, uint32_t mask)
{
	size_t i, m = wr_begin(b, 2);

	for (i = 0; i < NSIGS; i++)
		if (mask & (UINT32_C(1) << i))
			wr_u16(b, sig_table[i].id);
	wr_end(b, m, 2);
}

uint32_t
sig_read(struct rd *r)
{
	uint32_t m = 0;

	while (rd_left(r) >= 2)
		m |= sig_bit(rd_u16(r));
	return m;
}

/* Whether our own key can make signatures of this scheme. */
static int
sig_key_fits(const struct tls_engine *t, const struct sig_info *s)
{
	if (s->kind == SIGK_ECDSA)
		return t->cfg->eckey != NULL;
	return t->cfg->key != NULL;
}

unsigned
sig_choose(const struct tls_engine *t, uint32_t peer, int tls13)
{
	size_t i;

	peer &= sig_config(t);
	for (i = 0; i < NSIGS; i++)
		if ((peer & (UINT32_C(1) << i)) &&
		    (!tls13 || sig_table[i].tls13) &&
		    sig_key_fits(t, &sig_table[i]))
			return sig_table[i].id;
	return 0;
}
