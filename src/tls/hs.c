/* hs.c — handshake messages: framing, transcript, reassembly across records
 * and several messages per record, with a size bound. */
#include <string.h>

#include <nettle/memops.h>

#include "tls/internal.h"

void
hs_transcript_add(struct tls_engine *t, const uint8_t *msg, size_t len)
{
	sha256_update(&t->transcript, len, msg);
}

void
hs_transcript_hash(const struct tls_engine *t, uint8_t out[32])
{
	struct sha256_ctx c = t->transcript;

	sha256_digest(&c, 32, out);
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
