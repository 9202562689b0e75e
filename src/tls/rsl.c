/* rsl.c — record_size_limit (RFC 8449): each side says how large a
 * protected record it takes, and the other keeps its records to that.
 * In TLS 1.3 the value counts the inner plaintext (content, type byte and
 * padding), at most 2^14 + 1; in TLS 1.2 the plaintext, at most 2^14.
 * Unprotected records (the hellos) are not bound by it. A client offering
 * both versions sends the TLS 1.3 form; if TLS 1.2 is chosen, that value
 * read as a 1.2 one is one byte more generous, which is allowed. */
#include "tls/internal.h"

#define RSL_MIN 64

/* What we take, as content bytes (the configuration). */
static unsigned
rsl_content(const struct tls_engine *t)
{
	size_t l = t->cfg->record_limit;

	if (l == 0 || l > TLS_MAX_PLAIN)
		l = TLS_MAX_PLAIN;
	if (l < RSL_MIN)
		l = RSL_MIN;
	return (unsigned)l;
}

void
rsl_client_ext(struct tls_engine *t, struct buf *b)
{
	size_t x;

	t->rsl_sent = rsl_content(t) + (t->offered13 ? 1 : 0);
	hello_ext_begin(b, EXT_RECORD_SIZE_LIMIT, &x);
	wr_u16(b, t->rsl_sent);
	wr_end(b, x, 2);
}

int
rsl_read(struct tls_engine *t, struct rd *e, const char *where,
    unsigned *out)
{
	unsigned v = rd_u16(e);

	if (!rd_done(e))
		return engine_fail(t, TLS_ALERT_DECODE_ERROR, "%s: "
		    "record_size_limit is malformed", where);
	/* RFC 8449 4: below 64 is illegal_parameter */
	if (v < RSL_MIN)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "%s: "
		    "record_size_limit of %u (at least 64)", where, v);
	*out = v;
	return 0;
}

/* A peer's value capped at what the version allows at all. */
static unsigned
rsl_cap(unsigned v, uint16_t version)
{
	unsigned max = version == TLS_VERSION_13 ? TLS_MAX_PLAIN + 1 :
	    TLS_MAX_PLAIN;

	return v > max ? max : v;
}

void
rsl_server_ext(struct tls_engine *t, const struct ch_offer *o,
    struct buf *b, uint16_t version)
{
	size_t x;

	if (o->rsl == 0 || !hello_sh_ext_begin(b, o, EXT_RECORD_SIZE_LIMIT,
	    &x))
		return;
	t->rsl_ours = rsl_content(t) + (version == TLS_VERSION_13 ? 1 : 0);
	wr_u16(b, t->rsl_ours);
	wr_end(b, x, 2);
	t->rsl_peer = rsl_cap(o->rsl, version);
	if (trace_on(t))
		trace_printf(t, "  record_size_limit: the client takes records "
		    "of at most %u bytes%s, ours are kept to that; we take %u",
		    t->rsl_peer, version == TLS_VERSION_13 ? " (with type "
		    "and padding)" : "", t->rsl_ours);
}

void
rsl_client_got(struct tls_engine *t, unsigned limit)
{
	t->rsl_peer = rsl_cap(limit, t->version);
	t->rsl_ours = rsl_cap(t->rsl_sent, t->version);
	if (trace_on(t))
		trace_printf(t, "  record_size_limit: the server takes records "
		    "of at most %u bytes%s, ours are kept to that; we take %u",
		    t->rsl_peer, t->version == TLS_VERSION_13 ? " (with type "
		    "and padding)" : "", t->rsl_ours);
}

size_t
rsl_send_max(const struct tls_engine *t)
{
	if (t->rsl_peer == 0)
		return TLS_MAX_PLAIN;
	/* 1.3: the type byte is inside the limit */
	return t->version == TLS_VERSION_13 ? t->rsl_peer - 1 : t->rsl_peer;
}
