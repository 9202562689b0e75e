/* rsl.c — record_size_limit (RFC 8449): each side says how large a
 * protected record it takes, and the other keeps its records to that.
 * In TLS 1.3 the value counts the inner plaintext (content, type byte and
 * padding), at most 2^14 + 1; in TLS 1.2 the plaintext, at most 2^14.
 * Unprotected records (the hellos) are not bound by it. A client offering
 * both versions sends the TLS 1.3 form; if TLS 1.2 is chosen, that value
 * read as a 1.2 one is one byte more generous, which is allowed. The
 * configured value (--record-size-limit) is the one advertised, capped at
 * 2^14 in TLS 1.2. A limit is in force only when both sides sent one. */
#include "tls/internal.h"

#define RSL_MIN TLS_RSL_MIN

/* The value we advertise (the configuration, an RFC 8449 value), within
 * what the version allows: 1.3 counts the type byte, 1.2 does not. */
static unsigned
rsl_value(const struct tls_engine *t, int v13)
{
	size_t l = t->cfg->record_limit;
	size_t max = v13 ? TLS_MAX_PLAIN + 1 : TLS_MAX_PLAIN;

	if (l == 0 || l > max)
		l = max;
	if (l < RSL_MIN)
		l = RSL_MIN;
	return (unsigned)l;
}

void
rsl_client_ext(struct tls_engine *t, struct buf *b)
{
	size_t x;

	t->rsl_sent = rsl_value(t, t->offered13);
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
	    &x)) {
		if (t->cfg->record_limit != 0 && trace_on(t))
			trace_printf(t, "  record_size_limit: the client sent "
			    "none, so ours is not in force (RFC 8449 4): "
			    "records of up to 2^14 bytes both ways");
		return;
	}
	t->rsl_ours = rsl_value(t, version == TLS_VERSION_13);
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

void
rsl_client_none(struct tls_engine *t)
{
	if (trace_on(t))
		trace_printf(t, "  record_size_limit: the server sent none, so "
		    "ours (%u) is not in force (RFC 8449 4): records of up to "
		    "2^14 bytes both ways", t->rsl_sent);
}

size_t
rsl_send_max(const struct tls_engine *t)
{
	if (t->rsl_peer == 0)
		return TLS_MAX_PLAIN;
	/* 1.3: the type byte is inside the limit */
	return t->version == TLS_VERSION_13 ? t->rsl_peer - 1 : t->rsl_peer;
}
