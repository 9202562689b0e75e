/* hs.c — handshake messages: framing, transcript, reassembly across records
 * and several messages per record, with a size bound. */
#include <string.h>

#include <nettle/memops.h>

#include "tls/internal.h"

void
hs_transcript_add(struct tls_engine *t, const uint8_t *msg, size_t len)
{
	if (!t->th_one || t->hash == HASH_SHA256)
		sha256_update(&t->th256, len, msg);
	if (!t->th_one || t->hash == HASH_SHA384)
		sha384_update(&t->th384, len, msg);
	if (!t->th_one || t->hash == HASH_SHA512)
		sha512_update(&t->th512, len, msg);
}

/* Three hashes of every message cost a server a hash of its certificate
 * chain twice over for nothing once only the suite's can be wanted: the
 * suite and version are settled, and no TLS 1.2 CertificateVerify (whose
 * scheme picks the hash) can come. */
void
hs_transcript_narrow(struct tls_engine *t)
{
	t->th_one = 1;
}

size_t
hs_transcript_hash_alg(const struct tls_engine *t, enum hash_alg alg,
    uint8_t *out)
{
	struct sha256_ctx c256;
	struct sha512_ctx c512;

	/* narrowed, only the suite's hash is up to date */
	if (t->th_one && alg != t->hash)
		alg = t->hash;
	switch (alg) {
	case HASH_SHA384:
		c512 = t->th384;
		sha384_digest(&c512, SHA384_DIGEST_SIZE, out);
		return SHA384_DIGEST_SIZE;
	case HASH_SHA512:
		c512 = t->th512;
		sha512_digest(&c512, SHA512_DIGEST_SIZE, out);
		return SHA512_DIGEST_SIZE;
	default:
		c256 = t->th256;
		sha256_digest(&c256, SHA256_DIGEST_SIZE, out);
		return SHA256_DIGEST_SIZE;
	}
}

void
hs_transcript_hash(const struct tls_engine *t, uint8_t *out)
{
	hs_transcript_hash_alg(t, t->hash, out);
}

/* message_hash header (type 254, 24-bit length) and Hash(ClientHello1). */
void
hs_transcript_restart(struct tls_engine *t)
{
	uint8_t m[4 + HASH_MAX_SIZE];
	size_t n;

	memset(m, 0, 4);
	m[0] = HS_MESSAGE_HASH;
	n = hs_transcript_hash_alg(t, HASH_SHA256, m + 4);
	m[3] = (uint8_t)n;
	sha256_init(&t->th256);
	sha256_update(&t->th256, 4 + n, m);
	n = hs_transcript_hash_alg(t, HASH_SHA384, m + 4);
	m[3] = (uint8_t)n;
	sha384_init(&t->th384);
	sha384_update(&t->th384, 4 + n, m);
	n = hs_transcript_hash_alg(t, HASH_SHA512, m + 4);
	m[3] = (uint8_t)n;
	sha512_init(&t->th512);
	sha512_update(&t->th512, 4 + n, m);
}

int
hs_check_finished(struct tls_engine *t, uint8_t *want, size_t n,
    const uint8_t *body, size_t len)
{
	int ok = len == n && memeql_sec(want, body, n);

	explicit_bzero(want, n);
	if (len != n)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR, "Finished of %zu "
		    "bytes (want %zu)", len, n);
	if (!ok)
		return engine_fail(t, TLS_ALERT_DECRYPT_ERROR, "the peer's "
		    "Finished does not match the handshake (verify_data "
		    "differs)");
	return 0;
}

void
hs_send(struct tls_engine *t, int type, const uint8_t *body, size_t len)
{
	struct buf m;

	buf_init(&m);
	wr_u8(&m, (unsigned)type);
	wr_u24(&m, (uint32_t)len);
	buf_append(&m, body, len);
	if (type != HS_KEY_UPDATE && type != HS_NEW_SESSION_TICKET)
		hs_transcript_add(t, m.data, m.len);
	if (trace_on(t))
		trace_message(t, 1, m.data, m.len);
	record_send(t, CT_HANDSHAKE, m.data, m.len);
	buf_clear_secret(&m);
}

void
hs_input(struct tls_engine *t, const uint8_t *data, size_t len)
{
	size_t off = 0, n;
	int type;

	buf_append(&t->hs, data, len);
	while (!t->failed && t->hs.len - off >= 4) {
		const uint8_t *p = t->hs.data + off;

		type = p[0];
		n = (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
		if (n > TLS_MAX_HS_MSG) {
			engine_fail(t, TLS_ALERT_DECODE_ERROR, "%s message of "
			    "%zu bytes is over the limit of %d",
			    trace_hs_name(type), n, TLS_MAX_HS_MSG);
			break;
		}
		if (t->hs.len - off - 4 < n)
			break;
		if (trace_on(t))
			trace_message(t, 0, p, 4 + n);
		t->key_changed = 0;
		tls13_handle(t, type, p + 4, n, p, 4 + n);
		off += 4 + n;
		/* A message that changes the read keys must end its record
		 * (RFC 8446 5.1). */
		if (!t->failed && t->key_changed && t->hs.len > off)
			engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "handshake "
			    "data after a key change in the same record");
	}
	if (t->failed) {
		t->hs.len = 0;
		return;
	}
	memmove(t->hs.data, t->hs.data + off, t->hs.len - off);
	t->hs.len -= off;
}
