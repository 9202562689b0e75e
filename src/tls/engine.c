/* engine.c — the engine's buffers and state flags; see tls.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls/internal.h"
#include "util/xalloc.h"

void
tls_engine_init(struct tls_engine *t, const struct tls_config *cfg,
    int64_t now)
{
	memset(t, 0, sizeof *t);
	t->cfg = cfg;
	t->now = now;
	t->alert_sent = t->alert_rcvd = -1;
	err_clear(&t->error);
	buf_init(&t->obuf);
	buf_init(&t->hs);
	cert_list_init(&t->peer_chain);
	sha256_init(&t->th256);
	sha384_init(&t->th384);
	sha512_init(&t->th512);
	t->hash = HASH_SHA256;
	t->hlen = 32;
	if (!cfg->is_server)
		tls13_client_start(t);
}

/* The three record buffers are 53 of the engine's 57 KiB, and a
 * handshake uses a few KiB of them: they are wiped as far as they were
 * used (tls_engine_init zeroed the rest), all else in full. */
_Static_assert(offsetof(struct tls_engine, ibuf) <
    offsetof(struct tls_engine, pbuf) && offsetof(struct tls_engine, pbuf) <
    offsetof(struct tls_engine, abuf), "engine buffer order");

static void
engine_wipe(struct tls_engine *t)
{
	const struct {
		size_t off, size, used;
	} big[3] = {
		{ offsetof(struct tls_engine, ibuf), sizeof t->ibuf, t->ihigh },
		{ offsetof(struct tls_engine, pbuf), sizeof t->pbuf, t->ihigh },
		{ offsetof(struct tls_engine, abuf), sizeof t->abuf, t->ahigh },
	};
	uint8_t *p = (uint8_t *)t;
	size_t at = 0, i;

	for (i = 0; i < 3; i++) {
		explicit_bzero(p + at, big[i].off - at);
		explicit_bzero(p + big[i].off, big[i].used < big[i].size ?
		    big[i].used : big[i].size);
		at = big[i].off + big[i].size;
	}
	explicit_bzero(p + at, sizeof *t - at);
}

void
tls_engine_clear(struct tls_engine *t)
{
	buf_clear_secret(&t->obuf);
	buf_clear_secret(&t->hs);
	cert_list_clear(&t->peer_chain);
	free(t->peer_subject);
	free(t->cr_context);
	free(t->cookie);
	/* every key, secret and plaintext buffer in the struct */
	engine_wipe(t);
}

void
tls_engine_set_time(struct tls_engine *t, int64_t now)
{
	t->now = now;
}

int
engine_fail(struct tls_engine *t, int alert, const char *fmt, ...)
{
	va_list ap;
	uint8_t a[2];

	if (t->failed)
		return -1;
	t->failed = 1;
	va_start(ap, fmt);
	vsnprintf(t->error.msg, sizeof t->error.msg, fmt, ap);
	va_end(ap);
	t->error.kind = ERR_REFUSED;
	if (alert >= 0 && !t->close_sent) {
		a[0] = 2;
		a[1] = (uint8_t)alert;
		t->alert_sent = alert;
		/* Pending application data is dropped: the connection is over. */
		t->alen = 0;
		record_send(t, CT_ALERT, a, 2);
		if (trace_on(t))
			trace_printf(t, "> Alert fatal %s", alert_name(alert));
	}
	t->close_sent = 1;
	t->app_len = 0;
	return -1;
}

void
engine_peer_alert(struct tls_engine *t, int level, int code)
{
	if (trace_on(t))
		trace_printf(t, "< Alert %s %s", level == 1 ? "warning" : "fatal",
		    alert_name(code));
	if (code == TLS_ALERT_CLOSE_NOTIFY) {
		t->close_rcvd = 1;
		if (!t->close_sent)
			tls_engine_close(t);
		return;
	}
	/* TLS 1.2 warnings (no_renegotiation, user_canceled) go on; in 1.3
	 * every other alert is fatal (RFC 8446 6). */
	if (level == 1 && (code == TLS_ALERT_USER_CANCELED ||
	    t->version == TLS_VERSION_12))
		return;
	t->alert_rcvd = code;
	if (alert_text(code) != NULL)
		engine_fail(t, -1, "peer sent alert %s: %s", alert_name(code),
		    alert_text(code));
	else
		engine_fail(t, -1, "peer sent alert %s", alert_name(code));
}

unsigned
tls_engine_state(const struct tls_engine *t)
{
	unsigned s = 0;
	size_t pending = t->obuf.len - t->ooff;

	if (pending > 0)
		s |= TLS_SENDREC;
	if (t->failed || (t->close_sent && t->close_rcvd) ||
	    (t->close_rcvd && !t->done)) {
		if (pending == 0)
			s |= TLS_CLOSED;
		return s;
	}
	if (t->app_len > 0)
		s |= TLS_RECVAPP;
	else if (!t->close_rcvd && pending < TLS_MAX_PENDING_OUT)
		s |= TLS_RECVREC;
	if (t->done && !t->close_sent && t->alen < sizeof t->abuf &&
	    pending < TLS_MAX_PENDING_OUT)
		s |= TLS_SENDAPP;
	return s;
}

uint8_t *
tls_engine_sendrec_buf(struct tls_engine *t, size_t *len)
{
	*len = t->obuf.len - t->ooff;
	return *len > 0 ? t->obuf.data + t->ooff : NULL;
}

void
tls_engine_sendrec_ack(struct tls_engine *t, size_t len)
{
	if (len > t->obuf.len - t->ooff)
		len = t->obuf.len - t->ooff;
	t->ooff += len;
	if (t->ooff == t->obuf.len) {
		explicit_bzero(t->obuf.data, t->obuf.len);
		t->obuf.len = 0;
		t->ooff = 0;
	}
}

uint8_t *
tls_engine_recvrec_buf(struct tls_engine *t, size_t *len)
{
	if (!(tls_engine_state(t) & TLS_RECVREC)) {
		*len = 0;
		return NULL;
	}
	*len = record_want(t);
	return t->ibuf + t->ilen;
}

void
tls_engine_recvrec_ack(struct tls_engine *t, size_t len)
{
	size_t want = record_want(t);

	if (len > want)
		len = want;
	t->ilen += len;
	if (t->ilen > t->ihigh)
		t->ihigh = t->ilen;
	/* The header alone is checked as soon as it is in, before the body
	 * is asked for. */
	if (t->ilen == 5 && len > 0 && record_check_header(t) == -1)
		return;
	if (t->ilen >= 5 && record_want(t) == 0 && !t->failed)
		record_input(t);
}

uint8_t *
tls_engine_sendapp_buf(struct tls_engine *t, size_t *len)
{
	if (!(tls_engine_state(t) & TLS_SENDAPP)) {
		*len = 0;
		return NULL;
	}
	*len = sizeof t->abuf - t->alen;
	return t->abuf + t->alen;
}

void
tls_engine_sendapp_ack(struct tls_engine *t, size_t len)
{
	if (len > sizeof t->abuf - t->alen)
		len = sizeof t->abuf - t->alen;
	t->alen += len;
	if (t->alen > t->ahigh)
		t->ahigh = t->alen;
	if (t->alen == sizeof t->abuf)
		tls_engine_flush(t);
}

void
tls_engine_flush(struct tls_engine *t)
{
	if (t->alen == 0 || !t->done || t->failed || t->close_sent)
		return;
	record_send(t, CT_APPDATA, t->abuf, t->alen);
	explicit_bzero(t->abuf, t->alen);
	t->alen = 0;
}

uint8_t *
tls_engine_recvapp_buf(struct tls_engine *t, size_t *len)
{
	*len = t->app_len;
	return t->app_len > 0 ? t->pbuf + t->app_off : NULL;
}

void
tls_engine_recvapp_ack(struct tls_engine *t, size_t len)
{
	if (len > t->app_len)
		len = t->app_len;
	t->app_off += len;
	t->app_len -= len;
	if (t->app_len == 0) {
		/* a record is never longer than ibuf has been */
		explicit_bzero(t->pbuf, t->ihigh < sizeof t->pbuf ? t->ihigh :
		    sizeof t->pbuf);
		t->app_off = 0;
	}
}

void
tls_engine_close(struct tls_engine *t)
{
	static const uint8_t a[2] = { 1, TLS_ALERT_CLOSE_NOTIFY };

	if (t->close_sent || t->failed)
		return;
	tls_engine_flush(t);
	record_send(t, CT_ALERT, a, 2);
	if (trace_on(t))
		trace_printf(t, "> Alert warning close_notify");
	t->close_sent = 1;
}

void
tls_engine_eof(struct tls_engine *t)
{
	if (t->failed || t->close_rcvd)
		return;
	/* Nothing can be sent any more either. */
	t->close_sent = 1;
	engine_fail(t, -1, t->done ? "connection closed by the peer without "
	    "close_notify" : "connection closed by the peer during the "
	    "handshake");
}

int
tls_engine_key_update(struct tls_engine *t, int request)
{
	uint8_t b = request ? 1 : 0;

	if (!t->done || t->failed || t->close_sent ||
	    t->version != TLS_VERSION_13)
		return -1;
	tls_engine_flush(t);
	hs_send(t, HS_KEY_UPDATE, &b, 1);
	keysched_expand_label(t->hash, t->wr.secret, "traffic upd", NULL, 0,
	    t->wr.secret, t->hlen);
	record_set_keys13(&t->wr, t->su, t->wr.secret);
	if (trace_on(t))
		trace_printf(t, "  key schedule: our traffic secret updated "
		    "(KeyUpdate)");
	return 0;
}

const struct err *
tls_engine_error(const struct tls_engine *t)
{
	return t->failed ? &t->error : NULL;
}

int
tls_engine_handshake_done(const struct tls_engine *t)
{
	return t->done;
}

uint16_t
engine_min_version(const struct tls_engine *t)
{
	return t->cfg->min_version != 0 ? t->cfg->min_version : TLS_VERSION_13;
}

uint16_t
engine_max_version(const struct tls_engine *t)
{
	return t->cfg->max_version != 0 ? t->cfg->max_version : TLS_VERSION_13;
}

uint16_t
tls_engine_version(const struct tls_engine *t)
{
	return t->version;
}

uint16_t
tls_engine_suite(const struct tls_engine *t)
{
	return t->suite;
}

const char *
tls_version_name(uint16_t v)
{
	return v == TLS_VERSION_13 ? "TLS 1.3" : v == TLS_VERSION_12 ?
	    "TLS 1.2" : "TLS (version not negotiated)";
}

const char *
tls_engine_peer_subject(const struct tls_engine *t)
{
	return t->peer_subject;
}

int
tls_engine_resumed(const struct tls_engine *t)
{
	return t->resumed;
}

const struct tls_session *
tls_engine_session(const struct tls_engine *t)
{
	return t->have_session ? &t->session : NULL;
}
