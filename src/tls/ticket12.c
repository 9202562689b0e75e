/* ticket12.c — TLS 1.2 resumption with session tickets (RFC 5077): the
 * server seals the master secret (always an extended one, RFC 7627 5.3,
 * as we never do without it) and the suite with the same in-memory keys
 * as TLS 1.3 tickets (ticket.c), and keeps no session state; a client
 * offering a ticket sends a session id, which the server echoes when it
 * resumes (RFC 5077 3.4). */
#include <string.h>

#include "tls/internal.h"
#include "tls/ticket.h"
#include "util/xalloc.h"

int
ticket12_server_open(struct tls_engine *t, const struct ch_offer *o)
{
	struct ticket_plain tp;
	const struct suite_info *sl[TLS_MAX_SUITES], *su = NULL;
	char whybuf[600];
	const char *why;
	size_t i, k, n;

	if (t->cfg->tickets == NULL || !o->has_ticket12 ||
	    o->ticket12_len == 0 || t->session_id_len == 0)
		return 0;
	why = ticket_open(t->cfg->tickets, o->ticket12, o->ticket12_len,
	    t->now, &tp);
	if (why == NULL && (tp.version != TLS_VERSION_12 || tp.psk_len != 48))
		why = "not a TLS 1.2 session";
	/* bound to the server name, as TLS 1.3 tickets (psk.c) */
	if (why == NULL)
		why = ticket_sni_check(&tp, t->sni, whybuf, sizeof whybuf);
	if (why == NULL) {
		/* the session's suite, still allowed and offered */
		n = suite_list(t, TLS_VERSION_12, sl);
		for (i = 0; i < n && su == NULL; i++)
			for (k = 0; k < o->nsuites; k++)
				if (sl[i]->id == tp.suite && o->suites[k] ==
				    tp.suite && suite_auth_ok(t, sl[i]))
					su = sl[i];
		if (su == NULL)
			why = "for a suite not offered now";
	}
	if (why == NULL && tp.subject_len == 0 &&
	    t->cfg->client_auth == TLS_AUTH_REQUIRE)
		why = "of an anonymous client, and a certificate is required";
	if (why != NULL) {
		explicit_bzero(&tp, sizeof tp);
		if (trace_on(t))
			trace_printf(t, "  not resuming: ticket refused (%s); "
			    "full handshake", why);
		return 0;
	}
	t->suite = su->id;
	t->su = su;
	t->hash = su->hash;
	t->hlen = hash_size(su->hash);
	memcpy(t->ms12, tp.psk, 48);
	if (tp.subject_len > 0)
		t->peer_subject = xstrdup(tp.subject);
	explicit_bzero(&tp, sizeof tp);
	if (trace_on(t))
		trace_printf(t, "  resuming: the client's session ticket is ours "
		    "and current; abbreviated handshake with %s (no "
		    "certificate, no signature)", su->name);
	return 1;
}

/* A handshake message that, unlike in TLS 1.3, is part of the 1.2
 * transcript. */
static void
ticket12_send_msg(struct tls_engine *t, const struct buf *body)
{
	struct buf m;

	buf_init(&m);
	wr_u8(&m, HS_NEW_SESSION_TICKET);
	wr_u24(&m, (uint32_t)body->len);
	buf_append(&m, body->data, body->len);
	hs_transcript_add(t, m.data, m.len);
	if (trace_on(t))
		trace_message(t, 1, m.data, m.len);
	record_send(t, CT_HANDSHAKE, m.data, m.len);
	buf_clear_secret(&m);
}

void
ticket12_server_send(struct tls_engine *t)
{
	const struct tls_ticket_keys *k = t->cfg->tickets;
	struct ticket_plain tp;
	uint8_t tk[TICKET_MAX];
	struct buf b;
	size_t n;

	memset(&tp, 0, sizeof tp);
	tp.version = TLS_VERSION_12;
	tp.suite = t->suite;
	tp.issued = t->now;
	memcpy(tp.psk, t->ms12, 48);
	tp.psk_len = 48;
	if (t->peer_subject != NULL) {
		tp.subject_len = strlen(t->peer_subject);
		memcpy(tp.subject, t->peer_subject, tp.subject_len);
	}
	memcpy(tp.sni, t->sni, sizeof tp.sni);
	n = ticket_seal(k, &tp, tk);
	explicit_bzero(&tp, sizeof tp);
	buf_init(&b);
	wr_u16(&b, k->lifetime >> 16);	/* ticket_lifetime_hint */
	wr_u16(&b, k->lifetime & 0xffff);
	wr_u16(&b, (unsigned)n);
	buf_append(&b, tk, n);
	ticket12_send_msg(t, &b);
	buf_clear(&b);
	if (trace_on(t))
		trace_printf(t, "  NewSessionTicket (TLS 1.2): the master secret "
		    "sealed under our in-memory ticket key, good for %u s",
		    (unsigned)k->lifetime);
}

const struct tls_session *
ticket12_client_offer(const struct tls_engine *t)
{
	const struct tls_session *s = t->cfg->resume;

	if (s == NULL || s->version != TLS_VERSION_12 || s->ticket_len == 0 ||
	    s->secret_len != 48 || suite_find(s->suite) == NULL ||
	    !session_name_ok(t, s) ||
	    t->now < s->received || t->now - s->received > s->lifetime)
		return NULL;
	return s;
}

int
ticket12_client_nst(struct tls_engine *t, const uint8_t *body, size_t len,
    const uint8_t *msg, size_t msglen)
{
	struct rd r, tk;
	struct tls_session *s = &t->session;
	uint32_t life;

	rd_init(&r, body, len);
	life = (uint32_t)rd_u16(&r) << 16;
	life |= rd_u16(&r);
	rd_vec(&r, 2, &tk);
	if (!rd_done(&r))
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "NewSessionTicket: malformed");
	hs_transcript_add(t, msg, msglen);
	if (tk.len == 0 || tk.len > TLS_MAX_TICKET)
		return 0;	/* none, or too large to keep */
	explicit_bzero(s, sizeof *s);
	s->version = TLS_VERSION_12;
	s->suite = t->suite;
	memcpy(s->ticket, tk.p, tk.len);
	s->ticket_len = tk.len;
	/* 0: the server says nothing; keep it no longer than a 1.3 one */
	s->lifetime = life != 0 && life < TLS_TICKET_LIFETIME ? life :
	    TLS_TICKET_LIFETIME;
	s->received = t->now;
	memcpy(s->secret, t->ms12, 48);	/* known since our key exchange */
	s->secret_len = 48;
	session_name_set(t, s);
	t->have_session = 1;
	if (trace_on(t))
		trace_printf(t, "  NewSessionTicket (TLS 1.2) kept for "
		    "resumption");
	return 0;
}
