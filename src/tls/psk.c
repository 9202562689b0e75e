/* psk.c — TLS 1.3 resumption (RFC 8446 2.2, 4.2.9, 4.2.11, 4.6.1):
 * psk_dhe_ke only (a fresh ECDHE share every time, so forward secrecy
 * holds), one ticket per connection, no 0-RTT (we never send or accept
 * early_data, so no anti-replay store is needed). */
#include <string.h>

#include <nettle/memops.h>

#include "crypto/rand.h"
#include "tls/internal.h"
#include "tls/ticket.h"
#include "util/xalloc.h"

#define PSK_DHE_KE 1
#define TICKET_MAX_LIFETIME 604800	/* 7 days, RFC 8446 4.6.1 */

/* The transcript so far, then n more bytes (a truncated ClientHello),
 * hashed with h, without disturbing the transcript. */
static void
psk_partial_hash(const struct tls_engine *t, enum hash_alg h,
    const uint8_t *p, size_t n, uint8_t *out)
{
	struct sha256_ctx c256;
	struct sha512_ctx c512;

	if (h == HASH_SHA384) {
		c512 = t->th384;
		sha384_update(&c512, n, p);
		sha384_digest(&c512, SHA384_DIGEST_SIZE, out);
	} else {
		c256 = t->th256;
		sha256_update(&c256, n, p);
		sha256_digest(&c256, SHA256_DIGEST_SIZE, out);
	}
}

/* The session's suite among those we offer in TLS 1.3 (NULL: none). */
static const struct suite_info *
psk_session_suite(const struct tls_engine *t, const struct tls_session *s)
{
	const struct suite_info *l[TLS_MAX_SUITES];
	size_t i, n = suite_list(t, TLS_VERSION_13, l);

	for (i = 0; i < n; i++)
		if (l[i]->id == s->suite)
			return l[i];
	return NULL;
}

int
psk_client_ext(struct tls_engine *t, struct buf *b)
{
	const struct tls_session *s = t->cfg->resume;
	const struct suite_info *su;
	uint8_t zero[TLS_MAX_HASH];
	size_t x, y, z;
	uint32_t age;

	t->psk_offered = 0;
	if (s == NULL || s->version != TLS_VERSION_13 || s->ticket_len == 0 ||
	    !session_name_ok(t, s))
		return 0;
	if ((su = psk_session_suite(t, s)) == NULL ||
	    s->secret_len != hash_size(su->hash) ||
	    t->now < s->received || t->now - s->received > s->lifetime) {
		if (trace_on(t))
			trace_printf(t, "  not resuming: the session is expired "
			    "or its suite is not offered");
		return 0;
	}
	/* after a HelloRetryRequest, only a PSK of its suite's hash */
	if (t->hrr_seen && su->hash != t->hash)
		return 0;
	hello_ext_begin(b, EXT_PSK_KEY_EXCHANGE_MODES, &x);
	wr_u8(b, 1);
	wr_u8(b, PSK_DHE_KE);
	wr_end(b, x, 2);
	/* pre_shared_key, which must come last (RFC 8446 4.2.11) */
	hello_ext_begin(b, EXT_PRE_SHARED_KEY, &x);
	y = wr_begin(b, 2);
	wr_u16(b, (unsigned)s->ticket_len);
	buf_append(b, s->ticket, s->ticket_len);
	age = (uint32_t)(t->now - s->received) * 1000u + s->age_add;
	wr_u16(b, age >> 16);
	wr_u16(b, age & 0xffff);
	wr_end(b, y, 2);
	y = wr_begin(b, 2);
	z = wr_begin(b, 1);
	memset(zero, 0, sizeof zero);
	buf_append(b, zero, s->secret_len);	/* psk_client_bind fills it */
	wr_end(b, z, 1);
	wr_end(b, y, 2);
	wr_end(b, x, 2);
	t->psk_offered = 1;
	t->psk_hash = su->hash;
	memcpy(t->psk, s->secret, s->secret_len);
	t->psk_len = s->secret_len;
	return 1;
}

void
psk_client_bind(struct tls_engine *t, struct buf *b)
{
	uint8_t hdr[4], th[TLS_MAX_HASH];
	size_t hl = t->psk_len, trunc = b->len - 3 - hl;
	struct sha256_ctx c256;
	struct sha512_ctx c512;

	hdr[0] = HS_CLIENT_HELLO;
	hdr[1] = (uint8_t)(b->len >> 16);
	hdr[2] = (uint8_t)(b->len >> 8);
	hdr[3] = (uint8_t)b->len;
	/* Transcript-Hash(earlier messages + truncated ClientHello) */
	if (t->psk_hash == HASH_SHA384) {
		c512 = t->th384;
		sha384_update(&c512, 4, hdr);
		sha384_update(&c512, trunc, b->data);
		sha384_digest(&c512, SHA384_DIGEST_SIZE, th);
	} else {
		c256 = t->th256;
		sha256_update(&c256, 4, hdr);
		sha256_update(&c256, trunc, b->data);
		sha256_digest(&c256, SHA256_DIGEST_SIZE, th);
	}
	keysched_binder(t->psk_hash, t->psk, hl, th, b->data + b->len - hl);
	if (trace_on(t))
		trace_printf(t, "  offering to resume: pre_shared_key with our "
		    "session ticket, psk_dhe_ke, binder over the truncated "
		    "ClientHello");
}

/* Server: the ClientHello's pre_shared_key. 1 when the first identity is
 * a ticket of ours, unexpired, of the chosen suite's hash, with a good
 * binder: t->psk holds the PSK. 0 when it cannot be used (full
 * handshake); -1 after failing the connection (a bad binder). */
int
psk_server_accept(struct tls_engine *t, const struct ch_offer *o,
    const uint8_t *msg, size_t msglen)
{
	struct ticket_plain tp;
	uint8_t th[TLS_MAX_HASH], want[TLS_MAX_HASH];
	char whybuf[600];
	const char *why;
	size_t hl;

	if (!o->has_psk || t->cfg->tickets == NULL)
		return 0;
	if (!o->psk_dhe) {
		if (trace_on(t))
			trace_printf(t, "  not resuming: the client does not "
			    "offer psk_dhe_ke");
		return 0;
	}
	why = ticket_open(t->cfg->tickets, o->psk_id, o->psk_id_len, t->now,
	    &tp);
	if (why == NULL && (tp.version != TLS_VERSION_13 ||
	    suite_find(tp.suite) == NULL ||
	    suite_find(tp.suite)->hash != t->hash))
		why = "for a suite of another hash";
	/* RFC 8446 4.6.1: a ticket resumes only for the name it came from */
	if (why == NULL)
		why = ticket_sni_check(&tp, t->sni, whybuf, sizeof whybuf);
	if (why != NULL) {
		explicit_bzero(&tp, sizeof tp);
		if (trace_on(t))
			trace_printf(t, "  not resuming: ticket refused (%s); "
			    "full handshake", why);
		return 0;
	}
	hl = t->hlen;
	if (o->psk_binder_len != hl || tp.psk_len != hl ||
	    4 + o->psk_trunc > msglen) {
		explicit_bzero(&tp, sizeof tp);
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "ClientHello: "
		    "PSK binder of %zu bytes (want %zu)", o->psk_binder_len, hl);
	}
	psk_partial_hash(t, t->hash, msg, 4 + o->psk_trunc, th);
	keysched_binder(t->hash, tp.psk, hl, th, want);
	if (!memeql_sec(want, o->psk_binder, hl)) {
		explicit_bzero(&tp, sizeof tp);
		explicit_bzero(want, sizeof want);
		return engine_fail(t, TLS_ALERT_DECRYPT_ERROR, "ClientHello: "
		    "the PSK binder does not verify");
	}
	explicit_bzero(want, sizeof want);
	/* the ticket stands for the client certificate checked when it was
	 * issued: an anonymous ticket cannot pass where one is required */
	if (tp.subject_len == 0 && t->cfg->client_auth == TLS_AUTH_REQUIRE) {
		explicit_bzero(&tp, sizeof tp);
		if (trace_on(t))
			trace_printf(t, "  not resuming: the ticket's client was "
			    "anonymous and a certificate is required; full "
			    "handshake");
		return 0;
	}
	if (tp.subject_len > 0)
		t->peer_subject = xstrdup(tp.subject);
	memcpy(t->psk, tp.psk, hl);
	t->psk_len = hl;
	t->psk_hash = t->hash;
	explicit_bzero(&tp, sizeof tp);
	if (trace_on(t))
		trace_printf(t, "  resuming: the client's ticket is ours and "
		    "current, binder verified; psk_dhe_ke (no certificate, no "
		    "signature)");
	return 1;
}

/* resumption_master_secret, from the transcript through the client's
 * Finished (RFC 8446 7.1). */
void
psk_res_master(struct tls_engine *t)
{
	uint8_t th[TLS_MAX_HASH];

	hs_transcript_hash(t, th);
	keysched_derive(t->hash, t->master_secret, "res master", th,
	    t->res_master);
}

void
psk_server_ticket(struct tls_engine *t)
{
	const struct tls_ticket_keys *k = t->cfg->tickets;
	struct ticket_plain tp;
	uint8_t tk[TICKET_MAX], nonce = 0;
	struct buf b;
	size_t n;

	if (k == NULL || t->ticket_sent || (t->peer_subject != NULL &&
	    strlen(t->peer_subject) > TICKET_MAX_SUBJECT))
		return;
	t->ticket_sent = 1;
	memset(&tp, 0, sizeof tp);
	tp.version = TLS_VERSION_13;
	tp.suite = t->suite;
	tp.issued = t->now;
	rand_bytes(&tp.age_add, sizeof tp.age_add);
	tp.psk_len = t->hlen;
	if (t->peer_subject != NULL) {
		tp.subject_len = strlen(t->peer_subject);
		memcpy(tp.subject, t->peer_subject, tp.subject_len);
	}
	memcpy(tp.sni, t->sni, sizeof tp.sni);
	keysched_expand_label(t->hash, t->res_master, "resumption", &nonce,
	    1, tp.psk, t->hlen);
	n = ticket_seal(k, &tp, tk);
	buf_init(&b);
	wr_u16(&b, k->lifetime >> 16);
	wr_u16(&b, k->lifetime & 0xffff);
	wr_u16(&b, tp.age_add >> 16);
	wr_u16(&b, tp.age_add & 0xffff);
	wr_u8(&b, 1);
	wr_u8(&b, nonce);
	wr_u16(&b, (unsigned)n);
	buf_append(&b, tk, n);
	wr_u16(&b, 0);		/* no extensions: no early_data */
	hs_send(t, HS_NEW_SESSION_TICKET, b.data, b.len);
	buf_clear(&b);
	explicit_bzero(&tp, sizeof tp);
	if (trace_on(t))
		trace_printf(t, "  NewSessionTicket: sealed under our in-memory "
		    "ticket key, good for %u s", (unsigned)k->lifetime);
}

int
psk_client_nst(struct tls_engine *t, const uint8_t *body, size_t len)
{
	struct rd r, nonce, tk, exts;
	struct tls_session *s = &t->session;
	uint32_t life, add;

	rd_init(&r, body, len);
	life = (uint32_t)rd_u16(&r) << 16;
	life |= rd_u16(&r);
	add = (uint32_t)rd_u16(&r) << 16;
	add |= rd_u16(&r);
	rd_vec(&r, 1, &nonce);
	rd_vec(&r, 2, &tk);
	rd_vec(&r, 2, &exts);
	if (!rd_done(&r) || tk.len == 0)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "NewSessionTicket: malformed");
	if (life > TICKET_MAX_LIFETIME)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
		    "NewSessionTicket: lifetime of %u s is over 7 days",
		    (unsigned)life);
	if (tk.len > TLS_MAX_TICKET || life == 0) {
		if (trace_on(t))
			trace_printf(t, "  NewSessionTicket not kept (%s)",
			    life == 0 ? "lifetime 0" : "ticket too large");
		return 0;
	}
	explicit_bzero(s, sizeof *s);
	s->version = TLS_VERSION_13;
	s->suite = t->suite;
	keysched_expand_label(t->hash, t->res_master, "resumption", nonce.p,
	    nonce.len, s->secret, t->hlen);
	s->secret_len = t->hlen;
	memcpy(s->ticket, tk.p, tk.len);
	s->ticket_len = tk.len;
	s->age_add = add;
	s->lifetime = life;
	s->received = t->now;
	session_name_set(t, s);
	t->have_session = 1;
	if (trace_on(t))
		trace_printf(t, "  NewSessionTicket kept for resumption (good "
		    "for %u s)", (unsigned)life);
	return 0;
}
