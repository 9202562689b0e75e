/* record.c — the record layer: framing, size limits and AES-128-GCM
 * protection (RFC 8446 5, RFC 5246 6.2). */
#include <string.h>

#include "crypto/aead.h"
#include "tls/internal.h"

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
record_set_keys13(struct tls_dir *d, const uint8_t secret[32])
{
	if (d->secret != secret)
		memcpy(d->secret, secret, 32);
	keysched_expand_label(secret, "key", NULL, 0, d->key, 16);
	keysched_expand_label(secret, "iv", NULL, 0, d->iv, 12);
	d->seq = 0;
	d->active = 1;
}

void
record_set_keys12(struct tls_dir *d, const uint8_t *key, const uint8_t *salt)
{
	memcpy(d->key, key, 16);
	memset(d->iv, 0, sizeof d->iv);
	memcpy(d->iv, salt, 4);
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
	size_t hdr = t->obuf.len;

	if (!t->wr.active || type == CT_CCS) {
		wr_u8(&t->obuf, (unsigned)type);
		/* ClientHello goes out as 0x0301 for old middleboxes */
		wr_u16(&t->obuf, t->version == 0 && !t->cfg->is_server ?
		    0x0301 : 0x0303);
		wr_u16(&t->obuf, (unsigned)n);
		buf_append(&t->obuf, data, n);
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
		aead_seal(t->wr.key, 16, nonce, aad, 13, p + 8, n, p + 8);
		t->obuf.len += 8 + n + AEAD_TAG_SIZE;
		t->wr.seq++;
		return;
	}
	/* TLSCiphertext: opaque_type 23, legacy 0x0303, length; the inner
	 * plaintext is the content and its real type. */
	wr_u8(&t->obuf, CT_APPDATA);
	wr_u16(&t->obuf, 0x0303);
	wr_u16(&t->obuf, (unsigned)(n + 1 + AEAD_TAG_SIZE));
	p = buf_reserve(&t->obuf, n + 1 + AEAD_TAG_SIZE);
	memcpy(p, data, n);
	p[n] = (uint8_t)type;
	record_nonce(&t->wr, nonce);
	aead_seal(t->wr.key, 16, nonce, t->obuf.data + hdr, 5, p, n + 1, p);
	t->obuf.len += n + 1 + AEAD_TAG_SIZE;
	t->wr.seq++;
}

void
record_send(struct tls_engine *t, int type, const uint8_t *data, size_t len)
{
	size_t frag = t->cfg->max_fragment, n;

	if (frag == 0 || frag > TLS_MAX_PLAIN)
		frag = TLS_MAX_PLAIN;
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

/* Opens a TLS 1.3 record into pbuf; returns the inner content type and
 * sets *plen (record_input checks it), or -1 after failing the
 * connection. */
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
	if (n < AEAD_TAG_SIZE || aead_open(t->rd.key, 16, nonce, t->ibuf, 5,
	    body, n, t->pbuf) == -1)
		return record_bad_mac(t);
	t->rd.seq++;
	/* Strip the zero padding; the last non-zero byte is the type. */
	m = n - AEAD_TAG_SIZE;
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
	size_t m;

	if (n < 8 + AEAD_TAG_SIZE)
		return engine_fail(t, TLS_ALERT_BAD_RECORD_MAC, "record %llu "
		    "too short to be protected (bad_record_mac)",
		    (unsigned long long)t->rd.seq);
	m = n - 8 - AEAD_TAG_SIZE;
	record_aad12(&t->rd, t->ibuf[0], m, aad);
	memcpy(nonce, t->rd.iv, 4);
	memcpy(nonce + 4, body, 8);
	if (aead_open(t->rd.key, 16, nonce, aad, 13, body + 8, n - 8,
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
	} else {
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
