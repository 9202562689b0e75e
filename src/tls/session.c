/* session.c — a client's resumable session in file form (--sess-out,
 * --sess-in), and the server name it is bound to. It holds the
 * resumption PSK: the caller writes it 0600 and never logs it.
 *   "MPTLSS02" version[2] suite[2] received[8] age_add[4] lifetime[4]
 *   secret<1> ticket<2> server_name<1>
 * A session without a server name is written in the older form,
 * "MPTLSS01" and the same fields without server_name, which is read
 * as a session for no name. */
#include <string.h>
#include <strings.h>

#include "tls/internal.h"

static const char session_magic[8] = "MPTLSS01";
static const char session_magic2[8] = "MPTLSS02";

/* The name a client connection is for: its server_name, "" for none. */
static const char *
session_want(const struct tls_engine *t)
{
	return t->cfg->server_name != NULL ? t->cfg->server_name : "";
}

int
session_name_ok(const struct tls_engine *t, const struct tls_session *s)
{
	return strcasecmp(s->server_name, session_want(t)) == 0;
}

void
session_name_set(const struct tls_engine *t, struct tls_session *s)
{
	const char *n = session_want(t);

	/* a name too long to keep binds to "", which it never matches */
	if (strlen(n) < sizeof s->server_name)
		strcpy(s->server_name, n);
	else
		s->server_name[0] = '\0';
}

void
tls_session_write(const struct tls_session *s, struct buf *b)
{
	uint64_t r = (uint64_t)s->received;
	int i;

	size_t nl = strlen(s->server_name);

	buf_append(b, nl > 0 ? session_magic2 : session_magic,
	    sizeof session_magic);
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
	if (nl > 0) {
		wr_u8(b, (unsigned)nl);
		buf_append(b, s->server_name, nl);
	}
}

int
tls_session_read(const uint8_t *p, size_t len, struct tls_session *s,
    struct err *e)
{
	struct rd r, sec, tk, name;
	const uint8_t *m;
	uint64_t v = 0;
	int i, v2;

	memset(s, 0, sizeof *s);
	rd_init(&r, p, len);
	m = rd_bytes(&r, sizeof session_magic);
	if (m == NULL || (memcmp(m, session_magic, sizeof session_magic) != 0
	    && memcmp(m, session_magic2, sizeof session_magic2) != 0))
		return err_set(e, ERR_INPUT, "not a session file (no "
		    "MPTLSS01 or MPTLSS02 magic)");
	v2 = m[7] == '2';
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
	if (v2)
		rd_vec(&r, 1, &name);
	if (!rd_done(&r))
		goto bad;
	if (v2 && (name.len == 0 || memchr(name.p, 0, name.len) != NULL))
		return err_set(e, ERR_INPUT, "session file: bad server name");
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
	if (v2)
		memcpy(s->server_name, name.p, name.len);
	return 0;
bad:
	memset(s, 0, sizeof *s);
	return err_set(e, ERR_INPUT, "session file: truncated or trailing "
	    "bytes");
}
