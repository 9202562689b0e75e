/* record.c — the record layer: framing, size limits and AEAD protection
 * with the suite's cipher, AES-GCM or ChaCha20-Poly1305 (RFC 8446 5,
 * RFC 5246 6.2, RFC 5288 for GCM and RFC 7905 for ChaCha20 in TLS 1.2). */
#include <string.h>

#include "crypto/aead.h"
#include "crypto/chachapoly.h"
#include "tls/internal.h"

/* Both AEADs have 16-byte tags and 12-byte nonces. */
static void
record_seal(const struct tls_dir *d, const uint8_t nonce[12],
    const uint8_t *aad, size_t aadlen, uint8_t *p, size_t n)
{
	if (d->su->aead == AEAD_CHACHA20_POLY1305)
		chachapoly_seal(d->key, nonce, aad, aadlen, p, n, p);
	else
		aead_seal(d->key, d->su->keylen, nonce, aad, aadlen, p, n, p);
}

static int
record_unseal(const struct tls_dir *d, const uint8_t nonce[12],
    const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t n,
    uint8_t *out)
{
	if (d->su->aead == AEAD_CHACHA20_POLY1305)
		return chachapoly_open(d->key, nonce, aad, aadlen, in, n, out);
	return aead_open(d->key, d->su->keylen, nonce, aad, aadlen, in, n,
	    out);
}

static size_t
record_len(const struct tls_engine *t)
{
	return (size_t)t->ibuf[3] << 8 | t->ibuf[4];
}

size_t
record_want(const struct tls_engine *t)
{
	if (t->ilen < 5)
		return 5 - t->ilen;
	return 5 + record_len(t) - t->ilen;
}

/* The largest record body the peer may send now. */
static size_t
record_limit(const struct tls_engine *t)
{
	if (!t->rd.active)
		return TLS_MAX_PLAIN;
	return t->version == TLS_VERSION_13 ? TLS_MAX_PLAIN + 256 :
	    TLS_MAX_CIPHER;
}

int
record_check_header(struct tls_engine *t)
{
	unsigned type = t->ibuf[0];
	size_t n = record_len(t);

	if (type < CT_CCS || type > CT_APPDATA)
		return engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE,
		    "record of unknown content type %u", type);
	if (t->ibuf[1] != 3)
		return engine_fail(t, t->version == 0 && t->cfg->is_server ?
		    TLS_ALERT_PROTOCOL_VERSION : TLS_ALERT_UNEXPECTED_MESSAGE,
		    "record version 0x%02x%02x is not TLS", t->ibuf[1],
		    t->ibuf[2]);
	if (n > record_limit(t))
		return engine_fail(t, TLS_ALERT_RECORD_OVERFLOW, "record of %zu "
		    "bytes is longer than the limit of %zu", n,
		    record_limit(t));
	return 0;
}

static void
record_nonce(const struct tls_dir *d, uint8_t nonce[12])
{
	int i;

	memcpy(nonce, d->iv, 12);
	for (i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(d->seq >> (8 * i));
}

void
record_set_keys13(struct tls_dir *d, const struct suite_info *su,
    const uint8_t *secret)
{
	size_t hl = hash_size(su->hash);

	if (d->secret != secret)
		memcpy(d->secret, secret, hl);
	d->su = su;
	keysched_expand_label(su->hash, secret, "key", NULL, 0, d->key,
	    su->keylen);
	keysched_expand_label(su->hash, secret, "iv", NULL, 0, d->iv, 12);
	d->seq = 0;
	d->active = 1;
}

void
record_set_keys12(struct tls_dir *d, const struct suite_info *su,
    const uint8_t *key, const uint8_t *iv)
{
	d->su = su;
	memcpy(d->key, key, su->keylen);
	memset(d->iv, 0, sizeof d->iv);
	memcpy(d->iv, iv, su->fixed_iv);
	d->seq = 0;
	d->active = 1;
}

/* The 1.2 additional data: seq_num, type, version, plaintext length. */
static void
record_aad12(const struct tls_dir *d, int type, size_t n, uint8_t aad[13])
{
	int i;

	for (i = 0; i < 8; i++)
		aad[i] = (uint8_t)(d->seq >> (56 - 8 * i));
	aad[8] = (uint8_t)type;
	aad[9] = 3;
	aad[10] = 3;
	aad[11] = (uint8_t)(n >> 8);
	aad[12] = (uint8_t)n;
}

void
record_clear_dir(struct tls_dir *d)
{
	explicit_bzero(d, sizeof *d);
}

static void
record_send_one(struct tls_engine *t, int type, const uint8_t *data,
    size_t n)
{
	uint8_t *p, nonce[12];
	size_t hdr = t->obuf.len, pad;

	if (!t->wr.active || type == CT_CCS) {
		wr_u8(&t->obuf, (unsigned)type);
		/* ClientHello goes out as 0x0301 for old middleboxes */
		wr_u16(&t->obuf, t->version == 0 && !t->cfg->is_server ?
		    0x0301 : 0x0303);
		wr_u16(&t->obuf, (unsigned)n);
		buf_append(&t->obuf, data, n);
		return;
	}
	if (t->version == TLS_VERSION_12 &&
	    t->wr.su->aead == AEAD_CHACHA20_POLY1305) {
		/* RFC 7905: no explicit nonce; nonce = iv XOR sequence. */
		uint8_t aad[13];

		wr_u8(&t->obuf, (unsigned)type);
		wr_u16(&t->obuf, 0x0303);
		wr_u16(&t->obuf, (unsigned)(n + AEAD_TAG_SIZE));
		p = buf_reserve(&t->obuf, n + AEAD_TAG_SIZE);
		record_aad12(&t->wr, type, n, aad);
		record_nonce(&t->wr, nonce);
		memcpy(p, data, n);
		record_seal(&t->wr, nonce, aad, 13, p, n);
		t->obuf.len += n + AEAD_TAG_SIZE;
		t->wr.seq++;
		return;
	}
	if (t->version == TLS_VERSION_12) {
		/* GenericAEADCipher: explicit nonce (our sequence number),
		 * ciphertext, tag; nonce = salt || explicit. */
		uint8_t aad[13];

		wr_u8(&t->obuf, (unsigned)type);
		wr_u16(&t->obuf, 0x0303);
		wr_u16(&t->obuf, (unsigned)(8 + n + AEAD_TAG_SIZE));
		p = buf_reserve(&t->obuf, 8 + n + AEAD_TAG_SIZE);
		record_aad12(&t->wr, type, n, aad);
		memcpy(p, aad, 8);
		memcpy(nonce, t->wr.iv, 4);
		memcpy(nonce + 4, aad, 8);
		memcpy(p + 8, data, n);
		record_seal(&t->wr, nonce, aad, 13, p + 8, n);
		t->obuf.len += 8 + n + AEAD_TAG_SIZE;
		t->wr.seq++;
		return;
	}
	/* TLSCiphertext: opaque_type 23, legacy 0x0303, length; the inner
	 * plaintext is the content, its real type and any zero padding. */
	pad = t->cfg->pad;
	if (n + 1 + pad + AEAD_TAG_SIZE > 0xffff)
		pad = 0xffff - n - 1 - AEAD_TAG_SIZE;
	wr_u8(&t->obuf, CT_APPDATA);
	wr_u16(&t->obuf, 0x0303);
	wr_u16(&t->obuf, (unsigned)(n + 1 + pad + AEAD_TAG_SIZE));
	p = buf_reserve(&t->obuf, n + 1 + pad + AEAD_TAG_SIZE);
	memcpy(p, data, n);
	p[n] = (uint8_t)type;
	memset(p + n + 1, 0, pad);
	record_nonce(&t->wr, nonce);
	record_seal(&t->wr, nonce, t->obuf.data + hdr, 5, p, n + 1 + pad);
	t->obuf.len += n + 1 + pad + AEAD_TAG_SIZE;
	t->wr.seq++;
}

void
record_send(struct tls_engine *t, int type, const uint8_t *data, size_t len)
{
	size_t frag = t->cfg->max_fragment, n;

	if (frag == 0 || frag > TLS_MAX_PLAIN)
		frag = TLS_MAX_PLAIN;
	/* RFC 8449: protected records keep to the peer's limit; the
	 * unprotected ones after the limit is agreed (TLS 1.2 server's
	 * Certificate) need not, but GnuTLS wants them to, and smaller
	 * records are always allowed */
	if (type != CT_CCS && frag > rsl_send_max(t))
		frag = rsl_send_max(t);
	do {
		n = len < frag ? len : frag;
		record_send_one(t, type, data, n);
		data += n;
		len -= n;
	} while (len > 0);
}

void
record_send_ccs(struct tls_engine *t)
{
	static const uint8_t ccs = 1;

	record_send(t, CT_CCS, &ccs, 1);
}

/* The same words for every record that fails authentication. */
static int
record_bad_mac(struct tls_engine *t)
{
	return engine_fail(t, TLS_ALERT_BAD_RECORD_MAC, "record %llu failed "
	    "authentication (bad_record_mac): altered or wrong keys",
	    (unsigned long long)t->rd.seq);
}

/* RFC 8446 4.2.10: a server refusing 0-RTT skips the client's early
 * records, which it cannot decrypt, up to a bound (we advertise no
 * max_early_data_size, so a client has no business sending much). */
#define EARLY_SKIP_MAX (4 * (TLS_MAX_PLAIN + 256))

static int
record_skip_early(struct tls_engine *t, size_t n)
{
	if (!t->early_skip || t->done || t->early_skipped + n >
	    EARLY_SKIP_MAX)
		return 0;
	t->early_skipped += n;
	if (trace_on(t))
		trace_printf(t, "  skipped a 0-RTT record of %zu bytes (early "
		    "data refused)", n);
	return 1;
}

/* Opens a TLS 1.3 record into pbuf; returns the inner content type and
 * sets *plen (record_input checks it), -1 after failing the
 * connection, or -2 for a refused 0-RTT record skipped. */
static int
record_open13(struct tls_engine *t, const uint8_t *body, size_t n,
    size_t *plen)
{
	uint8_t nonce[12];
	size_t m;

	if (t->ibuf[0] != CT_APPDATA)
		return engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "record of "
		    "type %u where a protected record was due", t->ibuf[0]);
	record_nonce(&t->rd, nonce);
	if (n < AEAD_TAG_SIZE || record_unseal(&t->rd, nonce, t->ibuf, 5,
	    body, n, t->pbuf) == -1) {
		if (record_skip_early(t, n))
			return -2;
		return record_bad_mac(t);
	}
	t->rd.seq++;
	t->early_skip = 0;	/* the client's own keys now: no more 0-RTT */
	/* RFC 8446 5.4: the whole inner plaintext, content type and padding
	 * included, is at most 2^14 + 1 bytes; checked before the padding
	 * goes, or padding would hide an oversized record. */
	m = n - AEAD_TAG_SIZE;
	if (m > TLS_MAX_PLAIN + 1)
		return engine_fail(t, TLS_ALERT_RECORD_OVERFLOW, "record %llu: "
		    "inner plaintext of %zu bytes (content, type and padding) "
		    "is longer than 2^14 + 1", (unsigned long long)(t->rd.seq -
		    1), m);
	if (t->rsl_ours != 0 && m > t->rsl_ours)
		return engine_fail(t, TLS_ALERT_RECORD_OVERFLOW, "record %llu: "
		    "inner plaintext of %zu bytes is longer than our "
		    "record_size_limit of %u", (unsigned long long)(t->rd.seq -
		    1), m, t->rsl_ours);
	/* Strip the zero padding; the last non-zero byte is the type. */
	while (m > 0 && t->pbuf[m - 1] == 0)
		m--;
	if (m == 0)
		return engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "protected "
		    "record without a content type");
	m--;
	*plen = m;
	return t->pbuf[m];
}

/* Opens a TLS 1.2 AEAD record into pbuf. */
static int
record_open12(struct tls_engine *t, const uint8_t *body, size_t n,
    size_t *plen)
{
	uint8_t nonce[12], aad[13];
	size_t m, ex = t->rd.su->aead == AEAD_CHACHA20_POLY1305 ? 0 : 8;

	if (n < ex + AEAD_TAG_SIZE)
		return engine_fail(t, TLS_ALERT_BAD_RECORD_MAC, "record %llu "
		    "too short to be protected (bad_record_mac)",
		    (unsigned long long)t->rd.seq);
	m = n - ex - AEAD_TAG_SIZE;
	record_aad12(&t->rd, t->ibuf[0], m, aad);
	if (ex == 0)
		record_nonce(&t->rd, nonce);	/* RFC 7905 */
	else {
		memcpy(nonce, t->rd.iv, 4);
		memcpy(nonce + 4, body, 8);
	}
	if (record_unseal(&t->rd, nonce, aad, 13, body + ex, n - ex,
	    t->pbuf) == -1)
		return record_bad_mac(t);
	t->rd.seq++;
	*plen = m;
	return t->ibuf[0];
}

void
record_input(struct tls_engine *t)
{
	const uint8_t *body = t->ibuf + 5;
	size_t n = record_len(t), plen = n;
	int type = t->ibuf[0];

	t->ilen = 0;
	if (type == CT_CCS && t->version == TLS_VERSION_12) {
		if (t->hs.len > 0) {
			engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE,
			    "ChangeCipherSpec inside a handshake message");
			return;
		}
		tls12_ccs(t, body, n);
		return;
	}
	if (type == CT_CCS) {
		/* TLS 1.3 middlebox compatibility: one byte 0x01, only
		 * before the handshake is done; otherwise unexpected. */
		if (n == 1 && body[0] == 1 && !t->done && !t->ccs_seen &&
		    (t->version == TLS_VERSION_13 || t->version == 0)) {
			t->ccs_seen = 1;
			return;
		}
		engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected "
		    "ChangeCipherSpec record");
		return;
	}
	if (t->rd.active && type == CT_ALERT && !t->done && n == 2) {
		/* Some peers (OpenSSL clients refusing our certificate) send
		 * their handshake alerts unprotected: take them. */
		memcpy(t->pbuf, body, n);
	} else if (t->rd.active) {
		type = t->version == TLS_VERSION_12 ?
		    record_open12(t, body, n, &plen) :
		    record_open13(t, body, n, &plen);
		if (type < 0)
			return;
		/* At most 2^14 bytes inside (RFC 8446 5.2, RFC 5246 6.2.3). */
		if (plen > TLS_MAX_PLAIN) {
			engine_fail(t, TLS_ALERT_RECORD_OVERFLOW, "record "
			    "plaintext of %zu bytes is longer than 2^14", plen);
			return;
		}
		if (t->version == TLS_VERSION_12 && t->rsl_ours != 0 &&
		    plen > t->rsl_ours) {
			engine_fail(t, TLS_ALERT_RECORD_OVERFLOW, "record "
			    "plaintext of %zu bytes is longer than our "
			    "record_size_limit of %u", plen, t->rsl_ours);
			return;
		}
	} else {
		/* 0-RTT records before our HelloRetryRequest's answer */
		if (type == CT_APPDATA && record_skip_early(t, n))
			return;
		if (type == CT_APPDATA) {
			engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE,
			    "application data before the handshake");
			return;
		}
		memcpy(t->pbuf, body, n);
	}
	if (t->hs.len > 0 && type != CT_HANDSHAKE) {
		engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "record of type %d "
		    "inside a fragmented handshake message", type);
		return;
	}
	switch (type) {
	case CT_ALERT:
		if (plen != 2) {
			engine_fail(t, TLS_ALERT_DECODE_ERROR, "alert record of "
			    "%zu bytes (want 2)", plen);
			return;
		}
		engine_peer_alert(t, t->pbuf[0], t->pbuf[1]);
		break;
	case CT_HANDSHAKE:
		if (plen == 0) {
			engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE,
			    "empty handshake record");
			return;
		}
		hs_input(t, t->pbuf, plen);
		break;
	case CT_APPDATA:
		if (!t->done) {
			engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE,
			    "application data before the handshake finished");
			return;
		}
		t->app_off = 0;
		t->app_len = plen;
		break;
	default:
		engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "record of type %d "
		    "not allowed here", type);
	}
}
