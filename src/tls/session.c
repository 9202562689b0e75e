/* session.c — a client's resumable session in file form (--sess-out,
 * --sess-in). It holds the resumption PSK: the caller writes it 0600 and
 * never logs it.
 *   "MPTLSS01" version[2] suite[2] received[8] age_add[4] lifetime[4]
 *   secret<1> ticket<2> */
#include <string.h>

#include "tls/internal.h"

static const char session_magic[8] = "MPTLSS01";

void
tls_session_write(const struct tls_session *s, struct buf *b)
{
	uint64_t r = (uint64_t)s->received;
	int i;

	buf_append(b, session_magic, sizeof session_magic);
	wr_u16(b, s->version);
	wr_u16(b, s->suite);
	for (i = 56; i >= 0; i -= 8)
		wr_u8(b, (unsigned)(r >> i) & 0xff);
	wr_u16(b, s->age_add >> 16);
	wr_u16(b, s->age_add & 0xffff);
	wr_u16(b, s->lifetime >> 16);
	wr_u16(b, s->lifetime & 0xffff);
	wr_u8(b, (unsigned)s->secret_len);
	buf_append(b, s->secret, s->secret_len);
	wr_u16(b, (unsigned)s->ticket_len);
	buf_append(b, s->ticket, s->ticket_len);
}

int
tls_session_read(const uint8_t *p, size_t len, struct tls_session *s,
    struct err *e)
{
	struct rd r, sec, tk;
	const uint8_t *m;
	uint64_t v = 0;
	int i;

	memset(s, 0, sizeof *s);
	rd_init(&r, p, len);
	m = rd_bytes(&r, sizeof session_magic);
	if (m == NULL || memcmp(m, session_magic, sizeof session_magic) != 0)
		return err_set(e, ERR_INPUT, "not a session file (no "
		    "MPTLSS01 magic)");
	s->version = (uint16_t)rd_u16(&r);
	s->suite = (uint16_t)rd_u16(&r);
	for (i = 0; i < 8; i++)
		v = v << 8 | rd_u8(&r);
	s->received = (int64_t)v;
	s->age_add = (uint32_t)rd_u16(&r) << 16;
	s->age_add |= rd_u16(&r);
	s->lifetime = (uint32_t)rd_u16(&r) << 16;
	s->lifetime |= rd_u16(&r);
	rd_vec(&r, 1, &sec);
	rd_vec(&r, 2, &tk);
	if (!rd_done(&r))
		goto bad;
	if (s->version != TLS_VERSION_13 && s->version != TLS_VERSION_12)
		return err_set(e, ERR_INPUT, "session file: version 0x%04x "
		    "(TLS 1.2 or 1.3 only)", s->version);
	if (suite_find(s->suite) == NULL ||
	    suite_find(s->suite)->version != s->version)
		return err_set(e, ERR_INPUT, "session file: unknown %s suite "
		    "0x%04x", tls_version_name(s->version), s->suite);
	if (sec.len != (s->version == TLS_VERSION_12 ? 48 :
	    hash_size(suite_find(s->suite)->hash)))
		return err_set(e, ERR_INPUT, "session file: secret of %zu "
		    "bytes for %s", sec.len, suite_find(s->suite)->name);
	if (tk.len == 0 || tk.len > TLS_MAX_TICKET)
		return err_set(e, ERR_INPUT, "session file: ticket of %zu "
		    "bytes (1 to %d)", tk.len, TLS_MAX_TICKET);
	memcpy(s->secret, sec.p, sec.len);
	s->secret_len = sec.len;
	memcpy(s->ticket, tk.p, tk.len);
	s->ticket_len = tk.len;
	return 0;
bad:
	memset(s, 0, sizeof *s);
	return err_set(e, ERR_INPUT, "session file: truncated or trailing "
	    "bytes");
}
