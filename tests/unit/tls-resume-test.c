/* tls-resume-test — TLS 1.3 resumption between our own engines in memory:
 * a ticket from a full handshake resumes (no certificate, no signature),
 * also after a HelloRetryRequest and with a SHA-384 suite; a wrong binder
 * is decrypt_error; a tampered, expired or foreign ticket falls back to a
 * full handshake; pre_shared_key not last is illegal_parameter; the
 * session file form round-trips and refuses broken input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testcert.h"
#include "testlib.h"
#include "tls/tls.h"
#include "util/xalloc.h"

#define NOW ((int64_t)1800000000)

static struct test_pki pki;
static struct tls_ticket_keys keys;

struct pair {
	struct tls_config ccfg, scfg;
	struct tls_engine c, s;
	struct buf ctrace, strace;
};

static void
trace_cb(void *ctx, const char *line)
{
	buf_puts(ctx, line);
	buf_putc(ctx, '\n');
}

static struct pair *
pair_new(const struct tls_session *resume)
{
	struct pair *p = xcalloc(1, sizeof *p);

	buf_init(&p->ctrace);
	buf_init(&p->strace);
	p->scfg.is_server = 1;
	p->scfg.chain = &pki.server_chain;
	p->scfg.key = &pki.leaf_key;
	p->scfg.anchors = &pki.root;
	p->scfg.tickets = &keys;
	p->scfg.trace = trace_cb;
	p->scfg.cb_ctx = &p->strace;
	p->ccfg.anchors = &pki.root;
	p->ccfg.server_name = "localhost";
	p->ccfg.resume = resume;
	p->ccfg.trace = trace_cb;
	p->ccfg.cb_ctx = &p->ctrace;
	return p;
}

static void
pair_start(struct pair *p, int64_t cnow, int64_t snow)
{
	tls_engine_init(&p->s, &p->scfg, snow);
	tls_engine_init(&p->c, &p->ccfg, cnow);
}

static void
pair_free(struct pair *p)
{
	tls_engine_clear(&p->c);
	tls_engine_clear(&p->s);
	buf_clear(&p->ctrace);
	buf_clear(&p->strace);
	free(p);
}

static int
move(struct tls_engine *a, struct tls_engine *b)
{
	uint8_t *src, *dst;
	size_t n, m;
	int moved = 0;

	while ((tls_engine_state(a) & TLS_SENDREC) &&
	    (tls_engine_state(b) & TLS_RECVREC)) {
		src = tls_engine_sendrec_buf(a, &n);
		dst = tls_engine_recvrec_buf(b, &m);
		if (n > m)
			n = m;
		memcpy(dst, src, n);
		tls_engine_sendrec_ack(a, n);
		tls_engine_recvrec_ack(b, n);
		moved = 1;
	}
	if ((tls_engine_state(b) & TLS_CLOSED) &&
	    (tls_engine_state(a) & TLS_SENDREC)) {
		tls_engine_sendrec_buf(a, &n);
		tls_engine_sendrec_ack(a, n);
	}
	return moved;
}

static void
pump(struct pair *p)
{
	int i;

	for (i = 0; i < 10000; i++)
		if (!move(&p->c, &p->s) && !move(&p->s, &p->c))
			break;
}

/* Data from the server to the client (which reads the ticket first). */
static int
server_says(struct pair *p, const char *text)
{
	uint8_t *b;
	size_t n, len = strlen(text);
	int ok;

	b = tls_engine_sendapp_buf(&p->s, &n);
	if (b == NULL || n < len)
		return 0;
	memcpy(b, text, len);
	tls_engine_sendapp_ack(&p->s, len);
	tls_engine_flush(&p->s);
	pump(p);
	b = tls_engine_recvapp_buf(&p->c, &n);
	ok = b != NULL && n == len && memcmp(b, text, n) == 0;
	if (b != NULL)
		tls_engine_recvapp_ack(&p->c, n);
	return ok;
}

static int
has(const struct buf *b, const char *frag)
{
	if (b->len > 0 && memmem(b->data, b->len, frag, strlen(frag)) != NULL)
		return 1;
	fprintf(stderr, "  trace lacks \"%s\"\n", frag);
	return 0;
}

static int
errmsg_has(const struct tls_engine *t, const char *frag)
{
	const struct err *e = tls_engine_error(t);

	if (e == NULL || strstr(e->msg, frag) == NULL) {
		fprintf(stderr, "  error is \"%s\", want \"%s\"\n",
		    e != NULL ? e->msg : "(none)", frag);
		return 0;
	}
	return 1;
}

/* A full handshake that leaves the client's ticket in *s. */
static void
full_handshake(struct tls_session *s, const uint16_t *suites, size_t n)
{
	struct pair *p = pair_new(NULL);

	p->ccfg.suites = suites;
	p->ccfg.nsuites = n;
	pair_start(p, NOW, NOW);
	pump(p);
	CHECK(tls_engine_handshake_done(&p->c));
	CHECK(!tls_engine_resumed(&p->c) && !tls_engine_resumed(&p->s));
	CHECK(server_says(p, "first"));
	CHECK(tls_engine_session(&p->c) != NULL);
	CHECK(has(&p->strace, "> NewSessionTicket"));
	CHECK(has(&p->ctrace, "NewSessionTicket kept for resumption (good "
	    "for 7200 s)"));
	memset(s, 0, sizeof *s);
	if (tls_engine_session(&p->c) != NULL)
		*s = *tls_engine_session(&p->c);
	pair_free(p);
}

static void
test_resume(uint16_t suite)
{
	struct tls_session s;
	struct pair *p;

	full_handshake(&s, &suite, 1);
	CHECK_EQ(s.suite, suite);
	p = pair_new(&s);
	p->ccfg.suites = &suite;	/* a suite of the ticket's hash */
	p->ccfg.nsuites = 1;
	pair_start(p, NOW + 60, NOW + 60);
	pump(p);
	CHECK(tls_engine_handshake_done(&p->c));
	CHECK(tls_engine_handshake_done(&p->s));
	CHECK(tls_engine_resumed(&p->c));
	CHECK(tls_engine_resumed(&p->s));
	CHECK_EQ(tls_engine_suite(&p->c), suite);
	/* the PSK authenticates: no certificate, no signature */
	CHECK(strstr((char *)p->strace.data, "> Certificate") == NULL);
	CHECK(strstr((char *)p->strace.data, "> CertificateVerify") == NULL);
	CHECK(has(&p->strace, "resuming: the client's ticket is ours and "
	    "current, binder verified"));
	CHECK(has(&p->ctrace, "the server accepts our ticket: resumed"));
	CHECK(has(&p->ctrace, "early secret (from the resumption PSK)"));
	CHECK(server_says(p, "again"));
	/* and a new ticket comes with the resumed connection too */
	CHECK(tls_engine_session(&p->c) != NULL);
	pair_free(p);
}

/* The client shares x25519, the server takes only secp256r1: the PSK is
 * offered again in the second ClientHello, with a binder over the new
 * transcript. */
static void
test_resume_hrr(void)
{
	static const uint16_t sg[] = { TLS_GROUP_SECP256R1 };
	static const uint16_t cg[] = { TLS_GROUP_X25519, TLS_GROUP_SECP256R1 };
	struct tls_session s;
	struct pair *p;

	full_handshake(&s, NULL, 0);
	p = pair_new(&s);
	p->scfg.groups = sg;
	p->scfg.ngroups = 1;
	p->ccfg.groups = cg;
	p->ccfg.ngroups = 2;
	pair_start(p, NOW, NOW);
	pump(p);
	CHECK(tls_engine_handshake_done(&p->s));
	CHECK(tls_engine_resumed(&p->c) && tls_engine_resumed(&p->s));
	CHECK(has(&p->strace, "> HelloRetryRequest"));
	CHECK(server_says(p, "hrr"));
	pair_free(p);
}

/* A ticket stands for the client certificate checked when it was issued:
 * the resumed connection keeps its subject; an anonymous ticket does not
 * resume where a certificate is required. */
static void
test_resume_client_auth(void)
{
	struct tls_session s;
	struct pair *p;

	p = pair_new(NULL);
	p->scfg.client_auth = TLS_AUTH_OPTIONAL;
	p->ccfg.chain = &pki.client_chain;
	p->ccfg.key = &pki.leaf_key;
	pair_start(p, NOW, NOW);
	pump(p);
	CHECK_STR(tls_engine_peer_subject(&p->s), "CN=alice");
	CHECK(server_says(p, "cert"));
	CHECK(tls_engine_session(&p->c) != NULL);
	memset(&s, 0, sizeof s);
	if (tls_engine_session(&p->c) != NULL)
		s = *tls_engine_session(&p->c);
	pair_free(p);
	p = pair_new(&s);
	p->scfg.client_auth = TLS_AUTH_REQUIRE;
	pair_start(p, NOW, NOW);
	pump(p);
	CHECK(tls_engine_resumed(&p->s));
	CHECK_STR(tls_engine_peer_subject(&p->s), "CN=alice");
	CHECK(strstr((char *)p->strace.data, "> CertificateRequest") == NULL);
	pair_free(p);

	full_handshake(&s, NULL, 0);	/* anonymous */
	p = pair_new(&s);
	p->scfg.client_auth = TLS_AUTH_REQUIRE;
	p->ccfg.chain = &pki.client_chain;
	p->ccfg.key = &pki.leaf_key;
	pair_start(p, NOW, NOW);
	pump(p);
	CHECK(tls_engine_handshake_done(&p->s));
	CHECK(!tls_engine_resumed(&p->s));
	CHECK(has(&p->strace, "not resuming: the ticket's client was "
	    "anonymous and a certificate is required"));
	CHECK_STR(tls_engine_peer_subject(&p->s), "CN=alice");
	pair_free(p);
}

/* TLS 1.2 (RFC 5077): a ticket from a full handshake, then the
 * abbreviated handshake with the session id echoed; a tampered ticket
 * falls back to a full one. */
static void
test_resume12(uint16_t suite)
{
	struct tls_session s;
	struct pair *p;
	int pass;

	p = pair_new(NULL);
	p->ccfg.suites = &suite;
	p->ccfg.nsuites = 1;
	p->ccfg.max_version = p->ccfg.min_version = TLS_VERSION_12;
	p->scfg.min_version = TLS_VERSION_12;
	p->scfg.max_version = TLS_VERSION_13;
	pair_start(p, NOW, NOW);
	pump(p);
	CHECK(tls_engine_handshake_done(&p->c));
	CHECK_EQ(tls_engine_version(&p->c), TLS_VERSION_12);
	CHECK(tls_engine_session(&p->c) != NULL);
	CHECK(has(&p->strace, "NewSessionTicket (TLS 1.2): the master secret "
	    "sealed"));
	memset(&s, 0, sizeof s);
	if (tls_engine_session(&p->c) != NULL)
		s = *tls_engine_session(&p->c);
	CHECK_EQ(s.version, TLS_VERSION_12);
	CHECK(server_says(p, "full12"));
	pair_free(p);
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1)
			s.ticket[s.ticket_len - 1] ^= 1;
		p = pair_new(&s);
		p->ccfg.max_version = p->ccfg.min_version = TLS_VERSION_12;
		p->scfg.min_version = TLS_VERSION_12;
		p->scfg.max_version = TLS_VERSION_13;
		pair_start(p, NOW + 5, NOW + 5);
		pump(p);
		CHECK(tls_engine_handshake_done(&p->c));
		CHECK(tls_engine_handshake_done(&p->s));
		CHECK_EQ(tls_engine_resumed(&p->c), pass == 0);
		CHECK_EQ(tls_engine_resumed(&p->s), pass == 0);
		if (pass == 0) {
			CHECK_EQ(tls_engine_suite(&p->c), suite);
			CHECK(strstr((char *)p->strace.data, "> Certificate")
			    == NULL);
			CHECK(has(&p->ctrace, "the server echoes our session "
			    "id: resumed"));
			CHECK(has(&p->strace, "handshake complete (TLS 1.2, "
			    "resumed)"));
		} else
			CHECK(has(&p->strace, "not resuming: ticket refused "
			    "(does not decrypt: tampered with)"));
		CHECK(server_says(p, "again12"));
		pair_free(p);
	}
}

/* Tickets are bound to the server name (RFC 8446 4.6.1): a session kept
 * for "localhost" is not offered to another name by our client, and
 * our server does not resume a ticket issued under another SNI (a full
 * handshake instead); the name's case does not matter. */
static void
test_sni_bound(uint16_t version)
{
	struct tls_session s, forged;
	struct pair *p;
	int round;

	p = pair_new(NULL);
	p->ccfg.max_version = p->ccfg.min_version = version;
	p->scfg.min_version = TLS_VERSION_12;
	p->scfg.max_version = TLS_VERSION_13;
	pair_start(p, NOW, NOW);
	pump(p);
	CHECK(tls_engine_session(&p->c) != NULL);
	memset(&s, 0, sizeof s);
	if (tls_engine_session(&p->c) != NULL)
		s = *tls_engine_session(&p->c);
	CHECK_STR(s.server_name, "localhost");
	pair_free(p);
	for (round = 0; round < 3; round++) {
		forged = s;
		if (round == 1)	/* the client is fooled: the server says no */
			strcpy(forged.server_name, "other.test");
		p = pair_new(&forged);
		p->ccfg.max_version = p->ccfg.min_version = version;
		p->scfg.min_version = TLS_VERSION_12;
		p->scfg.max_version = TLS_VERSION_13;
		/* another name; the certificate (for localhost) unchecked */
		p->ccfg.server_name = round == 2 ? "LocalHost" : "other.test";
		p->ccfg.peer_unchecked = round < 2;
		pair_start(p, NOW + 5, NOW + 5);
		pump(p);
		CHECK(tls_engine_handshake_done(&p->c));
		CHECK(tls_engine_handshake_done(&p->s));
		CHECK_EQ(tls_engine_resumed(&p->c), round == 2);
		CHECK_EQ(tls_engine_resumed(&p->s), round == 2);
		if (round == 0) {
			CHECK(has(&p->ctrace, "not resuming: the session was "
			    "kept for server name \"localhost\", this "
			    "connection is for \"other.test\""));
			CHECK(strstr((char *)p->strace.data, "not resuming")
			    == NULL);
		} else if (round == 1)
			CHECK(has(&p->strace, "not resuming: ticket refused "
			    "(issued for server name \"localhost\", this "
			    "ClientHello names \"other.test\"); full "
			    "handshake"));
		CHECK(server_says(p, "named"));
		pair_free(p);
	}
}

/* A binder made with the wrong PSK: decrypt_error (RFC 8446 4.2.11). */
static void
test_bad_binder(void)
{
	struct tls_session s;
	struct pair *p;

	full_handshake(&s, NULL, 0);
	s.secret[0] ^= 1;
	p = pair_new(&s);
	pair_start(p, NOW, NOW);
	pump(p);
	CHECK(!tls_engine_handshake_done(&p->s));
	CHECK_EQ(p->s.alert_sent, TLS_ALERT_DECRYPT_ERROR);
	CHECK(errmsg_has(&p->s, "ClientHello: the PSK binder does not "
	    "verify"));
	CHECK_EQ(p->c.alert_rcvd, TLS_ALERT_DECRYPT_ERROR);
	pair_free(p);
}

/* Tickets we cannot use: a full handshake instead, no error. */
static void
test_fallback(const char *what)
{
	struct tls_session s;
	struct pair *p;
	int64_t snow = NOW;
	const char *why = "";

	full_handshake(&s, NULL, 0);
	if (strcmp(what, "tampered") == 0) {
		s.ticket[s.ticket_len / 2] ^= 0x80;
		why = "ticket refused (does not decrypt: tampered with); "
		    "full handshake";
	} else if (strcmp(what, "expired") == 0) {
		/* the client thinks it fresh; the server's clock says not */
		snow = NOW + TLS_TICKET_LIFETIME + 1;
		why = "ticket refused (expired); full handshake";
	} else if (strcmp(what, "rotated") == 0) {
		/* two rotations: the key that sealed it is gone */
		tls_ticket_keys_rotate(&keys, NOW + TLS_TICKET_LIFETIME);
		tls_ticket_keys_rotate(&keys, NOW + 2 * TLS_TICKET_LIFETIME);
		why = "sealed under a key we no longer have";
	} else if (strcmp(what, "short") == 0) {
		s.ticket_len = 20;
		why = "not one of our tickets (length)";
	}
	p = pair_new(&s);
	pair_start(p, NOW, snow);
	pump(p);
	CHECK(tls_engine_handshake_done(&p->c));
	CHECK(tls_engine_handshake_done(&p->s));
	CHECK(!tls_engine_resumed(&p->c) && !tls_engine_resumed(&p->s));
	CHECK(tls_engine_error(&p->s) == NULL);
	CHECK(has(&p->strace, why));
	CHECK(has(&p->strace, "> CertificateVerify"));
	CHECK(server_says(p, "full"));
	pair_free(p);
	if (strcmp(what, "rotated") == 0)
		tls_ticket_keys_init(&keys, NOW, 0);
}

/* One rotation: the previous key still opens the ticket. */
static void
test_rotate_once(void)
{
	struct tls_session s;
	struct pair *p;

	full_handshake(&s, NULL, 0);
	tls_ticket_keys_rotate(&keys, NOW + 10);	/* too early: nothing */
	CHECK(!keys.have_prev);
	tls_ticket_keys_rotate(&keys, NOW + TLS_TICKET_LIFETIME);
	CHECK(keys.have_prev);
	p = pair_new(&s);
	pair_start(p, NOW + 100, NOW + 100);
	pump(p);
	CHECK(tls_engine_resumed(&p->s));
	pair_free(p);
	tls_ticket_keys_init(&keys, NOW, 0);
}

/* Builds a ClientHello record around the hex of its extensions. */
static uint8_t *
make_ch(const char *exts, size_t *np)
{
	struct buf b;
	uint8_t *r;
	size_t n, i;

	r = test_hex(exts, &n);
	buf_init(&b);
	buf_append(&b, "\x16\x03\x01\x00\x00\x01\x00\x00\x00\x03\x03", 11);
	for (i = 0; i < 32; i++)
		buf_putc(&b, (char)i);
	buf_append(&b, "\x00\x00\x02\x13\x01\x01\x00", 7);
	buf_putc(&b, (char)(n >> 8));
	buf_putc(&b, (char)n);
	buf_append(&b, r, n);
	free(r);
	b.data[3] = (uint8_t)((b.len - 5) >> 8);
	b.data[4] = (uint8_t)(b.len - 5);
	b.data[7] = (uint8_t)((b.len - 9) >> 8);
	b.data[8] = (uint8_t)(b.len - 9);
	*np = b.len;
	return b.data;
}

#define SHARE "0033 0026 0024 001d 0020" \
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define COMMON "000a 0004 0002 001d  000d 0004 0002 0804  002b 0003 02 0304"
#define BINDER "20 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static void
test_hostile_psk(void)
{
	static const struct {
		const char *exts, *frag;
		int alert;
	} cases[] = {
		/* pre_shared_key, then key_share: it must come last */
		{ COMMON " 002d 0002 01 01"
		    " 0029 002d 0008 0002 aabb 00000000 0021 " BINDER " " SHARE,
		    "pre_shared_key is not the last extension",
		    TLS_ALERT_ILLEGAL_PARAMETER },
		/* two identities, one binder */
		{ COMMON " 002d 0002 01 01 " SHARE
		    " 0029 0035 0010 0002 aabb 00000000 0002 ccdd 00000000"
		    " 0021 " BINDER,
		    "pre_shared_key has 2 identities but 1 binders",
		    TLS_ALERT_ILLEGAL_PARAMETER },
		/* a binder list that runs past its extension */
		{ COMMON " 002d 0002 01 01 " SHARE
		    " 0029 002d 0008 0002 aabb 00000000 0022 " BINDER,
		    "ClientHello: bad pre_shared_key", TLS_ALERT_DECODE_ERROR },
		/* no psk_key_exchange_modes (RFC 8446 4.2.9) */
		{ COMMON " " SHARE
		    " 0029 002d 0008 0002 aabb 00000000 0021 " BINDER,
		    "pre_shared_key without psk_key_exchange_modes",
		    TLS_ALERT_MISSING_EXTENSION },
	};
	struct pair *p;
	uint8_t *ch, *dst;
	size_t n, m, off, i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ch = make_ch(cases[i].exts, &n);
		p = pair_new(NULL);
		pair_start(p, NOW, NOW);
		off = 0;
		while (off < n &&
		    (dst = tls_engine_recvrec_buf(&p->s, &m)) != NULL) {
			if (m > n - off)
				m = n - off;
			memcpy(dst, ch + off, m);
			tls_engine_recvrec_ack(&p->s, m);
			off += m;
		}
		CHECK_EQ(p->s.alert_sent, cases[i].alert);
		CHECK(errmsg_has(&p->s, cases[i].frag));
		free(ch);
		pair_free(p);
	}
}

static void
test_session_file(void)
{
	struct tls_session s, r;
	struct buf b, b2;
	struct err e;
	size_t i;

	full_handshake(&s, NULL, 0);
	buf_init(&b);
	tls_session_write(&s, &b);
	CHECK_EQ(tls_session_read(b.data, b.len, &r, &e), 0);
	CHECK_EQ(r.suite, s.suite);
	CHECK_EQ(r.secret_len, s.secret_len);
	CHECK_MEM(r.secret, s.secret, s.secret_len);
	CHECK_EQ(r.ticket_len, s.ticket_len);
	CHECK_MEM(r.ticket, s.ticket, s.ticket_len);
	CHECK_EQ(r.age_add, s.age_add);
	CHECK_EQ(r.received, s.received);
	CHECK(memcmp(b.data, "MPTLSS02", 8) == 0);
	CHECK_STR(r.server_name, "localhost");
	/* a session for no name keeps the older form */
	r.server_name[0] = '\0';
	buf_init(&b2);
	tls_session_write(&r, &b2);
	CHECK(memcmp(b2.data, "MPTLSS01", 8) == 0);
	CHECK_EQ(b2.len, b.len - 1 - strlen("localhost"));
	CHECK_EQ(tls_session_read(b2.data, b2.len, &r, &e), 0);
	CHECK_STR(r.server_name, "");
	/* an empty name in the newer form is refused */
	b2.data[7] = '2';
	buf_putc(&b2, 0);
	CHECK_ERR(tls_session_read(b2.data, b2.len, &r, &e), &e,
	    "session file: bad server name");
	buf_clear_secret(&b2);
	/* a NUL inside the name would cut it short as a C string: refused */
	buf_init(&b2);
	buf_append(&b2, b.data, b.len);
	b2.data[b2.len - 5] = 0;	/* "loca\0host" */
	CHECK_ERR(tls_session_read(b2.data, b2.len, &r, &e), &e,
	    "session file: bad server name");
	buf_clear_secret(&b2);
	/* the name's length byte past the end */
	buf_init(&b2);
	buf_append(&b2, b.data, b.len);
	b2.data[b2.len - 10] = 10;
	CHECK_ERR(tls_session_read(b2.data, b2.len, &r, &e), &e,
	    "session file: truncated or trailing bytes");
	buf_clear_secret(&b2);
	/* every truncation, and a trailing byte, is refused */
	for (i = 8; i < b.len; i++)
		CHECK_ERR(tls_session_read(b.data, i, &r, &e), &e,
		    "session file: truncated or trailing bytes");
	buf_putc(&b, 0);
	CHECK_ERR(tls_session_read(b.data, b.len, &r, &e), &e,
	    "session file: truncated or trailing bytes");
	CHECK_ERR(tls_session_read((const uint8_t *)"MPTLSS03", 8, &r, &e),
	    &e, "not a session file (no MPTLSS01 or MPTLSS02 magic)");
	b.data[11] = 0x99;	/* suite 0x1399 */
	b.len--;
	CHECK_ERR(tls_session_read(b.data, b.len, &r, &e), &e,
	    "session file: unknown TLS 1.3 suite 0x1399");
	buf_clear_secret(&b);
}

int
main(void)
{
	test_pki_setup(&pki, "CN=Test Root", NOW - 86400, NOW + 86400 * 365,
	    NOW - 3600, NOW + 86400 * 30);
	tls_ticket_keys_init(&keys, NOW, 0);
	test_resume(TLS_SUITE_AES128_GCM_SHA256);
	test_resume(TLS_SUITE_AES256_GCM_SHA384);
	test_resume(TLS_SUITE_CHACHA20_POLY1305_SHA256);
	test_resume_hrr();
	test_resume_client_auth();
	test_resume12(TLS_SUITE_ECDHE_RSA_AES128_GCM);
	test_resume12(TLS_SUITE_ECDHE_RSA_AES256_GCM);
	test_resume12(TLS_SUITE_RSA_AES128_GCM);
	test_bad_binder();
	test_sni_bound(TLS_VERSION_13);
	test_sni_bound(TLS_VERSION_12);
	test_fallback("tampered");
	test_fallback("expired");
	test_fallback("rotated");
	test_fallback("short");
	test_rotate_once();
	test_hostile_psk();
	test_session_file();
	tls_ticket_keys_clear(&keys);
	test_pki_clear(&pki);
	return test_done();
}
