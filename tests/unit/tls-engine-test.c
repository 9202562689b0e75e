/* tls-engine-test — a client and a server engine against each other in
 * memory: handshakes (anonymous and mutual), data both ways, KeyUpdate,
 * certificate failures with their alerts, and hostile records and
 * handshake messages with the exact alert each must draw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testcert.h"
#include "testlib.h"
#include "tls/rd.h"
#include "tls/tls.h"
#include "util/xalloc.h"
#include "x509/verify.h"

#define NOW ((int64_t)1800000000)	/* 2027-01-15 */

static struct test_pki pki;
static struct cert_list expired_chain;

static void
pki_setup(void)
{
	test_pki_setup(&pki, "CN=Test Root", NOW - 86400, NOW + 86400 * 365,
	    NOW - 3600, NOW + 86400 * 30);
	cert_list_init(&expired_chain);
	test_make_cert(&expired_chain, "CN=localhost", "CN=Test Root",
	    &pki.leaf_key, &pki.ca_key, 0, OID_KP_SERVER_AUTH, "localhost",
	    NOW - 86400 * 10, NOW - 86400);
}

struct pair {
	struct tls_config ccfg, scfg;
	struct tls_engine *c, *s;
	struct buf trace, keylog;
};

static void
trace_cb(void *ctx, const char *line)
{
	struct buf *b = ctx;

	buf_puts(b, line);
	buf_putc(b, '\n');
}

static struct pair *
pair_new(void)
{
	struct pair *p = xcalloc(1, sizeof *p);

	buf_init(&p->trace);
	buf_init(&p->keylog);
	p->scfg.is_server = 1;
	p->scfg.chain = &pki.server_chain;
	p->scfg.key = &pki.leaf_key;
	p->scfg.anchors = &pki.root;
	p->ccfg.anchors = &pki.root;
	p->ccfg.server_name = "localhost";
	return p;
}

static void
keylog_cb(void *ctx, const char *line)
{
	trace_cb(ctx, line);
}

static void
pair_start(struct pair *p)
{
	p->c = xmalloc(sizeof *p->c);
	p->s = xmalloc(sizeof *p->s);
	tls_engine_init(p->s, &p->scfg, NOW);
	tls_engine_init(p->c, &p->ccfg, NOW);
}

static void
pair_free(struct pair *p)
{
	if (p->c != NULL) {
		tls_engine_clear(p->c);
		free(p->c);
	}
	if (p->s != NULL) {
		tls_engine_clear(p->s);
		free(p->s);
	}
	buf_clear(&p->trace);
	buf_clear(&p->keylog);
	free(p);
}

/* Moves up to chunk bytes at a time from a's output to b's input. */
static int
move(struct tls_engine *a, struct tls_engine *b, size_t chunk)
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
		if (n > chunk)
			n = chunk;
		memcpy(dst, src, n);
		tls_engine_sendrec_ack(a, n);
		tls_engine_recvrec_ack(b, n);
		moved = 1;
	}
	/* A side that can no longer receive drops what is sent to it. */
	if ((tls_engine_state(b) & TLS_CLOSED) &&
	    (tls_engine_state(a) & TLS_SENDREC)) {
		tls_engine_sendrec_buf(a, &n);
		tls_engine_sendrec_ack(a, n);
	}
	return moved;
}

static void
pump(struct pair *p, size_t chunk)
{
	int i;

	for (i = 0; i < 100000; i++)
		if (!move(p->c, p->s, chunk) && !move(p->s, p->c, chunk))
			break;
}

static void
send_app(struct tls_engine *t, const char *text)
{
	uint8_t *b;
	size_t n, len = strlen(text);

	b = tls_engine_sendapp_buf(t, &n);
	CHECK(b != NULL && n >= len);
	if (b == NULL || n < len)
		return;
	memcpy(b, text, len);
	tls_engine_sendapp_ack(t, len);
	tls_engine_flush(t);
}

static int
recv_app(struct tls_engine *t, const char *want)
{
	uint8_t *b;
	size_t n;
	int ok;

	b = tls_engine_recvapp_buf(t, &n);
	ok = b != NULL && n == strlen(want) && memcmp(b, want, n) == 0;
	if (b != NULL)
		tls_engine_recvapp_ack(t, n);
	return ok;
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

static void
test_anonymous(void)
{
	struct pair *p = pair_new();

	p->ccfg.trace = trace_cb;
	p->ccfg.keylog = keylog_cb;
	p->ccfg.cb_ctx = &p->trace;
	pair_start(p);
	pump(p, 100000);
	CHECK(tls_engine_handshake_done(p->c));
	CHECK(tls_engine_handshake_done(p->s));
	CHECK(tls_engine_error(p->c) == NULL);
	CHECK(tls_engine_error(p->s) == NULL);
	CHECK_STR(tls_engine_peer_subject(p->c), "CN=localhost");
	CHECK(tls_engine_peer_subject(p->s) == NULL);
	send_app(p->c, "hello server");
	pump(p, 100000);
	CHECK(recv_app(p->s, "hello server"));
	send_app(p->s, "hello client");
	pump(p, 100000);
	CHECK(recv_app(p->c, "hello client"));
	CHECK(strstr((char *)p->trace.data, "> ClientHello") != NULL);
	CHECK(strstr((char *)p->trace.data, "< ServerHello") != NULL);
	CHECK(strstr((char *)p->trace.data, "cipher suite chosen: "
	    "TLS_AES_128_GCM_SHA256") != NULL);
	CHECK(strstr((char *)p->trace.data, "signature rsa_pss_rsae_sha256")
	    != NULL);
	CHECK(strstr((char *)p->trace.data, "subject CN=localhost") != NULL);
	CHECK(strstr((char *)p->trace.data, "handshake complete") != NULL);
	/* the key log shares the trace buffer here (one cb_ctx) */
	CHECK(strstr((char *)p->trace.data, "CLIENT_HANDSHAKE_TRAFFIC_SECRET ")
	    != NULL);
	CHECK(strstr((char *)p->trace.data, "SERVER_TRAFFIC_SECRET_0 ") !=
	    NULL);
	/* clean close both ways */
	tls_engine_close(p->c);
	pump(p, 100000);
	CHECK(tls_engine_state(p->c) & TLS_CLOSED);
	CHECK(tls_engine_state(p->s) & TLS_CLOSED);
	CHECK(tls_engine_error(p->c) == NULL);
	CHECK(tls_engine_error(p->s) == NULL);
	pair_free(p);
}

static void
test_mutual(enum tls_client_auth mode, int with_cert)
{
	struct pair *p = pair_new();

	p->scfg.client_auth = mode;
	if (with_cert) {
		p->ccfg.chain = &pki.client_chain;
		p->ccfg.key = &pki.leaf_key;
	}
	pair_start(p);
	pump(p, 7);	/* small pieces: reassembly everywhere */
	if (mode == TLS_AUTH_REQUIRE && !with_cert) {
		CHECK(errmsg_has(p->s, "client sent no certificate"));
		CHECK(errmsg_has(p->c, "peer sent alert certificate_required"));
		CHECK_EQ(p->s->alert_sent, TLS_ALERT_CERTIFICATE_REQUIRED);
		pair_free(p);
		return;
	}
	CHECK(tls_engine_handshake_done(p->s));
	CHECK(tls_engine_error(p->s) == NULL);
	if (with_cert)
		CHECK_STR(tls_engine_peer_subject(p->s), "CN=alice");
	else
		CHECK(tls_engine_peer_subject(p->s) == NULL);
	send_app(p->s, "WHOAMI?");
	pump(p, 3);
	CHECK(recv_app(p->c, "WHOAMI?"));
	pair_free(p);
}

/* The trace names the key schedule steps but never shows a secret. */
static int
trace_has_hex(const struct buf *trace, const uint8_t *v, size_t n)
{
	char hex[2 * 64 + 1];
	size_t i;

	for (i = 0; i < n && i < 64; i++)
		snprintf(hex + 2 * i, 3, "%02x", v[i]);
	hex[2 * 8] = '\0';	/* even 8 bytes of it would be too much */
	return strstr((const char *)trace->data, hex) != NULL;
}

static void
test_trace_no_secrets(uint16_t version)
{
	struct pair *p = pair_new();

	p->ccfg.trace = trace_cb;
	p->ccfg.cb_ctx = &p->trace;
	p->scfg.trace = trace_cb;
	p->scfg.cb_ctx = &p->trace;
	p->ccfg.min_version = p->ccfg.max_version = version;
	p->scfg.min_version = TLS_VERSION_12;
	pair_start(p);
	pump(p, 100000);
	CHECK(tls_engine_handshake_done(p->c));
	CHECK(strstr((char *)p->trace.data, "key schedule") != NULL);
	CHECK(!trace_has_hex(&p->trace, p->c->hs_secret, 32));
	CHECK(!trace_has_hex(&p->trace, p->c->c_hs, 32));
	CHECK(!trace_has_hex(&p->trace, p->c->s_hs, 32));
	CHECK(!trace_has_hex(&p->trace, p->c->master_secret, 32));
	CHECK(!trace_has_hex(&p->trace, p->c->ms12, 48));
	CHECK(!trace_has_hex(&p->trace, p->c->wr.key, 16));
	CHECK(!trace_has_hex(&p->trace, p->c->rd.key, 16));
	CHECK(!trace_has_hex(&p->trace, p->c->wr.secret, 32));
	/* but the public randoms are there */
	CHECK(trace_has_hex(&p->trace, p->c->client_random, 32));
	pair_free(p);
}

static void
test_keyupdate(void)
{
	struct pair *p = pair_new();
	uint8_t before[32];

	pair_start(p);
	pump(p, 100000);
	memcpy(before, p->s->wr.secret, 32);
	CHECK(tls_engine_key_update(p->c, 1) == 0);
	send_app(p->c, "after update");
	pump(p, 100000);
	CHECK(recv_app(p->s, "after update"));
	/* the server answered update_requested with its own update */
	CHECK(memcmp(before, p->s->wr.secret, 32) != 0);
	CHECK_MEM(p->s->wr.secret, p->c->rd.secret, 32);
	send_app(p->s, "server too");
	pump(p, 100000);
	CHECK(recv_app(p->c, "server too"));
	CHECK(tls_engine_error(p->c) == NULL);
	pair_free(p);
}

static void
test_cert_failure(const char *what)
{
	struct pair *p = pair_new();
	int calert;

	if (strcmp(what, "unknown_ca") == 0) {
		p->ccfg.anchors = &pki.other_root;
		calert = TLS_ALERT_UNKNOWN_CA;
	} else if (strcmp(what, "host") == 0) {
		p->ccfg.server_name = "www.example.org";
		calert = TLS_ALERT_BAD_CERTIFICATE;
	} else if (strcmp(what, "expired") == 0) {
		p->scfg.chain = &expired_chain;
		calert = TLS_ALERT_CERTIFICATE_EXPIRED;
	} else if (strcmp(what, "purpose") == 0) {
		p->scfg.chain = &pki.client_chain;	/* clientAuth only */
		p->ccfg.server_name = NULL;
		calert = TLS_ALERT_UNSUPPORTED_CERTIFICATE;
	} else {	/* client cert from an unknown CA */
		p->scfg.client_auth = TLS_AUTH_OPTIONAL;
		p->scfg.anchors = &pki.other_root;
		p->ccfg.chain = &pki.client_chain;
		p->ccfg.key = &pki.leaf_key;
		pair_start(p);
		pump(p, 100000);
		CHECK(errmsg_has(p->s, "client certificate verify failed"));
		CHECK(errmsg_has(p->c, "peer sent alert unknown_ca"));
		pair_free(p);
		return;
	}
	pair_start(p);
	pump(p, 100000);
	CHECK(errmsg_has(p->c, "server certificate verify failed"));
	CHECK_EQ(p->c->alert_sent, calert);
	CHECK_EQ(p->s->alert_rcvd, calert);
	CHECK(tls_engine_state(p->c) & TLS_CLOSED);
	CHECK(tls_engine_state(p->s) & TLS_CLOSED);
	pair_free(p);
}

/* One record from a to b with byte i flipped. */
static void
test_tamper(void)
{
	struct pair *p = pair_new();
	uint8_t *src, *dst;
	size_t n, m;

	pair_start(p);
	pump(p, 100000);
	send_app(p->c, "attack at dawn");
	src = tls_engine_sendrec_buf(p->c, &n);
	CHECK(n == 5 + 14 + 1 + 16);
	src[10] ^= 0x01;
	while (n > 0) {
		dst = tls_engine_recvrec_buf(p->s, &m);
		if (dst == NULL)
			break;
		if (m > n)
			m = n;
		memcpy(dst, src, m);
		tls_engine_recvrec_ack(p->s, m);
		tls_engine_sendrec_ack(p->c, m);
		src = tls_engine_sendrec_buf(p->c, &n);
	}
	CHECK(errmsg_has(p->s, "bad_record_mac"));
	CHECK_EQ(p->s->alert_sent, TLS_ALERT_BAD_RECORD_MAC);
	pump(p, 100000);
	CHECK(errmsg_has(p->c, "peer sent alert bad_record_mac"));
	pair_free(p);
}

/* Feeds raw bytes to a fresh server (or to the connected server when
 * connected is set) and checks the alert it sends. */
static void
feed_server(const uint8_t *bytes, size_t len, int connected, int alert,
    const char *frag)
{
	struct pair *p = pair_new();
	uint8_t *dst;
	size_t m;

	pair_start(p);
	if (connected)
		pump(p, 100000);
	while (len > 0) {
		dst = tls_engine_recvrec_buf(p->s, &m);
		if (dst == NULL)
			break;
		if (m > len)
			m = len;
		memcpy(dst, bytes, m);
		tls_engine_recvrec_ack(p->s, m);
		bytes += m;
		len -= m;
	}
	CHECK_EQ(p->s->alert_sent, alert);
	if (frag != NULL)
		CHECK(errmsg_has(p->s, frag));
	pair_free(p);
}

/* The same for a server that accepts TLS 1.2 and 1.3. */
static void
feed_server12(const uint8_t *bytes, size_t len, int alert, const char *frag)
{
	struct pair *p = pair_new();
	uint8_t *dst;
	size_t m;

	p->scfg.min_version = TLS_VERSION_12;
	pair_start(p);
	while (len > 0 && (dst = tls_engine_recvrec_buf(p->s, &m)) != NULL) {
		if (m > len)
			m = len;
		memcpy(dst, bytes, m);
		tls_engine_recvrec_ack(p->s, m);
		bytes += m;
		len -= m;
	}
	CHECK_EQ(p->s->alert_sent, alert);
	CHECK(errmsg_has(p->s, frag));
	pair_free(p);
}

/* TLS 1.2: suite (0 = the server's choice), client certificate, the
 * versions each side allows. */
static void
test_tls12(uint16_t suite, int with_cert, uint16_t cmax, uint16_t smax)
{
	struct pair *p = pair_new();
	uint8_t *src;
	size_t n;

	p->ccfg.min_version = TLS_VERSION_12;
	p->ccfg.max_version = cmax;
	p->ccfg.tls12_suite = suite;
	p->scfg.min_version = TLS_VERSION_12;
	p->scfg.max_version = smax;
	p->scfg.client_auth = TLS_AUTH_OPTIONAL;
	p->ccfg.trace = trace_cb;
	p->ccfg.keylog = keylog_cb;
	p->ccfg.cb_ctx = &p->trace;
	if (with_cert) {
		p->ccfg.chain = &pki.client_chain;
		p->ccfg.key = &pki.leaf_key;
	}
	pair_start(p);
	pump(p, 5);
	CHECK(tls_engine_handshake_done(p->c));
	CHECK(tls_engine_handshake_done(p->s));
	CHECK(tls_engine_error(p->c) == NULL);
	CHECK(tls_engine_error(p->s) == NULL);
	if (tls_engine_error(p->s) != NULL)
		fprintf(stderr, "  server: %s\n", tls_engine_error(p->s)->msg);
	if (tls_engine_error(p->c) != NULL)
		fprintf(stderr, "  client: %s\n", tls_engine_error(p->c)->msg);
	CHECK_EQ(tls_engine_version(p->c), TLS_VERSION_12);
	CHECK_EQ(tls_engine_suite(p->c), suite != 0 ? suite :
	    TLS_SUITE_ECDHE_RSA_AES128_GCM);
	CHECK_EQ(tls_engine_suite(p->s), tls_engine_suite(p->c));
	if (with_cert)
		CHECK_STR(tls_engine_peer_subject(p->s), "CN=alice");
	else
		CHECK(tls_engine_peer_subject(p->s) == NULL);
	CHECK(strstr((char *)p->trace.data, "CLIENT_RANDOM ") != NULL);
	CHECK(strstr((char *)p->trace.data, "extended master secret") != NULL);
	send_app(p->c, "twelve");
	pump(p, 100000);
	CHECK(recv_app(p->s, "twelve"));
	send_app(p->s, "back");
	pump(p, 100000);
	CHECK(recv_app(p->c, "back"));
	CHECK(tls_engine_key_update(p->c, 1) == -1);	/* 1.3 only */
	/* a tampered 1.2 record: bad_record_mac */
	send_app(p->c, "tamper me");
	src = tls_engine_sendrec_buf(p->c, &n);
	CHECK_EQ(n, 5 + 8 + 9 + 16);
	src[n - 1] ^= 0x80;
	pump(p, 100000);
	CHECK_EQ(p->s->alert_sent, TLS_ALERT_BAD_RECORD_MAC);
	CHECK(errmsg_has(p->c, "peer sent alert bad_record_mac"));
	pair_free(p);
}

/* TLS 1.2 RSA key exchange with the encrypted premaster secret altered on
 * the way: the server must not fail on the decryption (RFC 5246 7.4.7.1)
 * but go on with a random premaster secret, so that the failure shows
 * only when the client's protected Finished does not open. */
static void
test_rsa_countermeasure(void)
{
	struct pair *p = pair_new();
	uint8_t *b, *dst;
	size_t n, off, rl, m;
	int i, flipped = 0;

	p->ccfg.min_version = p->ccfg.max_version = TLS_VERSION_12;
	p->ccfg.tls12_suite = TLS_SUITE_RSA_AES128_GCM;
	p->scfg.min_version = TLS_VERSION_12;
	pair_start(p);
	for (i = 0; i < 4; i++) {
		/* client -> server, with the ClientKeyExchange altered */
		b = tls_engine_sendrec_buf(p->c, &n);
		for (off = 0; b != NULL && off + 5 <= n; off += 5 + rl) {
			rl = (size_t)b[off + 3] << 8 | b[off + 4];
			if (b[off] == 22 && rl > 100 && b[off + 5] == 16) {
				b[off + 5 + 4 + 2 + 50] ^= 0x01;
				flipped = 1;
			}
		}
		while (b != NULL && n > 0 &&
		    (dst = tls_engine_recvrec_buf(p->s, &m)) != NULL) {
			if (m > n)
				m = n;
			memcpy(dst, b, m);
			tls_engine_recvrec_ack(p->s, m);
			tls_engine_sendrec_ack(p->c, m);
			b = tls_engine_sendrec_buf(p->c, &n);
		}
		move(p->s, p->c, 100000);
	}
	CHECK(flipped);
	CHECK_EQ(p->s->alert_sent, TLS_ALERT_BAD_RECORD_MAC);
	CHECK(errmsg_has(p->s, "record 0 failed authentication"));
	pair_free(p);
}

static void
test_hostile(void)
{
	static const uint8_t overflow_plain[] = { 0x16, 0x03, 0x01, 0x40, 0x01 };
	static const uint8_t overflow_cipher[] = { 0x17, 0x03, 0x03, 0x41, 0x01 };
	static const uint8_t badtype[] = { 0x18, 0x03, 0x03, 0x00, 0x01, 0x00 };
	static const uint8_t early_app[] = { 0x17, 0x03, 0x03, 0x00, 0x01, 0x00 };
	static const uint8_t big_hs[] = { 0x16, 0x03, 0x01, 0x00, 0x04,
	    0x01, 0x01, 0x00, 0x01 };
	static const uint8_t short_ch[] = { 0x16, 0x03, 0x01, 0x00, 0x08,
	    0x01, 0x00, 0x00, 0x04, 0x03, 0x03, 0x00, 0x00 };
	static const uint8_t empty_hs[] = { 0x16, 0x03, 0x01, 0x00, 0x00 };
	static const uint8_t alert_long[] = { 0x15, 0x03, 0x03, 0x00, 0x03,
	    0x02, 0x28, 0x00 };
	static const uint8_t ccs_bad[] = { 0x14, 0x03, 0x03, 0x00, 0x01, 0x02 };
	static const uint8_t notls[] = { 'G', 'E', 'T', ' ', '/', ' ' };
	uint8_t *ch12;
	size_t n;

	feed_server(overflow_plain, sizeof overflow_plain, 0,
	    TLS_ALERT_RECORD_OVERFLOW, "longer than the limit");
	feed_server(overflow_cipher, sizeof overflow_cipher, 1,
	    TLS_ALERT_RECORD_OVERFLOW, "longer than the limit");
	feed_server(badtype, sizeof badtype, 0, TLS_ALERT_UNEXPECTED_MESSAGE,
	    "unknown content type");
	feed_server(early_app, sizeof early_app, 0,
	    TLS_ALERT_UNEXPECTED_MESSAGE, "before the handshake");
	feed_server(big_hs, sizeof big_hs, 0, TLS_ALERT_DECODE_ERROR,
	    "over the limit");
	feed_server(short_ch, sizeof short_ch, 0, TLS_ALERT_DECODE_ERROR,
	    "ClientHello: malformed");
	feed_server(empty_hs, sizeof empty_hs, 0, TLS_ALERT_UNEXPECTED_MESSAGE,
	    "empty handshake record");
	feed_server(alert_long, sizeof alert_long, 0, TLS_ALERT_DECODE_ERROR,
	    "alert record of 3 bytes");
	feed_server(ccs_bad, sizeof ccs_bad, 0, TLS_ALERT_UNEXPECTED_MESSAGE,
	    "ChangeCipherSpec");
	feed_server(notls, sizeof notls, 0, TLS_ALERT_UNEXPECTED_MESSAGE,
	    "unknown content type");
	/* A TLS 1.2-only ClientHello (OpenSSL -tls1_2 shape): suites
	 * c02f 009c, no supported_versions. */
	ch12 = test_hex("16030100 33 010000 2f 0303"
	    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	    "00 0004 c02f 009c 0100 0006 000d 0002 0401"
	    "", &n);
	ch12[4] = (uint8_t)(n - 5);
	ch12[8] = (uint8_t)(n - 9);
	feed_server(ch12, n, 0, TLS_ALERT_PROTOCOL_VERSION,
	    "the client offers TLS 1.2 (legacy_version 0x0303); this server "
	    "speaks TLS 1.3");
	/* TLS 1.0 only, to a server that takes 1.2 too */
	ch12[9] = 0x01;
	feed_server12(ch12, n, TLS_ALERT_PROTOCOL_VERSION,
	    "only TLS 1.1 or older");
	free(ch12);
}

/* A ClientHello that supports x25519 but shares secp256r1 only draws a
 * HelloRetryRequest from a server that takes x25519 alone; the same hello
 * again is illegal_parameter. */
static void
test_hrr(void)
{
	static const uint16_t x25519[] = { TLS_GROUP_X25519 };
	struct pair *p = pair_new();
	uint8_t *ch, *dst, *out;
	size_t n, m, olen, i;
	static const uint8_t hrr_random[8] = {
		0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11
	};
	int round;

	ch = test_hex("16030100 00 010000 00 0303"
	    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	    "00 0002 1301 0100 0000"
	    "000a 0006 0004 0017 001d"
	    "000d 0004 0002 0804"
	    "002b 0003 02 0304"
	    "0033 0007 0005 0017 0001 04", &n);
	/* record, handshake and extension lengths */
	ch[3] = (uint8_t)((n - 5) >> 8);
	ch[4] = (uint8_t)(n - 5);
	ch[7] = (uint8_t)((n - 9) >> 8);
	ch[8] = (uint8_t)(n - 9);
	i = 5 + 4 + 2 + 32 + 1 + 4 + 2;
	ch[i] = (uint8_t)((n - i - 2) >> 8);
	ch[i + 1] = (uint8_t)(n - i - 2);
	p->scfg.trace = trace_cb;
	p->scfg.cb_ctx = &p->trace;
	p->scfg.groups = x25519;
	p->scfg.ngroups = 1;
	pair_start(p);
	for (round = 0; round < 2; round++) {
		for (m = 0; m < n; ) {
			dst = tls_engine_recvrec_buf(p->s, &olen);
			if (dst == NULL)
				break;
			if (olen > n - m)
				olen = n - m;
			memcpy(dst, ch + m, olen);
			tls_engine_recvrec_ack(p->s, olen);
			m += olen;
		}
		out = tls_engine_sendrec_buf(p->s, &olen);
		if (round == 0) {
			CHECK(tls_engine_error(p->s) == NULL);
			CHECK(out != NULL && olen > 11 + 8 &&
			    memcmp(out + 11, hrr_random, 8) == 0);
			CHECK(strstr((char *)p->trace.data,
			    "> HelloRetryRequest") != NULL);
			tls_engine_sendrec_ack(p->s, olen);
		}
	}
	CHECK_EQ(p->s->alert_sent, TLS_ALERT_ILLEGAL_PARAMETER);
	CHECK(errmsg_has(p->s, "the second ClientHello has no key share for "
	    "x25519, which our HelloRetryRequest asked for"));
	free(ch);
	pair_free(p);
}

/* Builds a ClientHello record from the hex of its body after the random
 * and session id (suites, compression, extensions with a placeholder
 * 0000 for the extension list length), filling in every length. */
static uint8_t *
make_ch(const char *rest, size_t *np)
{
	struct buf b;
	uint8_t *r, *out;
	size_t n, i;

	r = test_hex(rest, &n);
	buf_init(&b);
	buf_append(&b, (const uint8_t *)"\x16\x03\x01\x00\x00\x01\x00\x00"
	    "\x00\x03\x03", 11);
	for (i = 0; i < 32; i++)
		buf_putc(&b, (char)i);
	buf_putc(&b, 0);
	buf_append(&b, r, n);
	free(r);
	out = b.data;
	n = b.len;
	out[3] = (uint8_t)((n - 5) >> 8);
	out[4] = (uint8_t)(n - 5);
	out[7] = (uint8_t)((n - 9) >> 8);
	out[8] = (uint8_t)(n - 9);
	/* the extension list: after the suites and compression methods */
	i = 5 + 4 + 2 + 32 + 1;
	i += 2 + ((size_t)out[i] << 8 | out[i + 1]);
	i += 1 + out[i];
	out[i] = (uint8_t)((n - i - 2) >> 8);
	out[i + 1] = (uint8_t)(n - i - 2);
	*np = n;
	return out;
}

/* Feeds a record to a fresh server of the given versions; returns the
 * pair (the caller frees it) with the server's output unread. */
static struct pair *
server_fed(const uint8_t *rec, size_t n, uint16_t min, uint16_t max)
{
	struct pair *p = pair_new();
	uint8_t *dst;
	size_t m, off = 0;

	p->scfg.min_version = min;
	p->scfg.max_version = max;
	pair_start(p);
	while (off < n && (dst = tls_engine_recvrec_buf(p->s, &m)) != NULL) {
		if (m > n - off)
			m = n - off;
		memcpy(dst, rec + off, m);
		tls_engine_recvrec_ack(p->s, m);
		off += m;
	}
	return p;
}

/* Fault (a) of issue 12: a TLS 1.2 ServerHello carried ec_point_formats
 * when the ClientHello had not offered it (RFC 5246 7.4.1.4). Every
 * extension of our ServerHello must be one the client sent. */
static void
test_sh_extensions_offered(void)
{
	struct pair *p;
	struct rd r, e;
	uint8_t *ch, *out;
	size_t n, olen;
	unsigned type, seen;
	int with_ecpf;

	for (with_ecpf = 0; with_ecpf < 2; with_ecpf++) {
		/* ECDHE_RSA AES-128-GCM, x25519, rsa_pss_rsae_sha256, EMS,
		 * the renegotiation SCSV; ec_point_formats only the second
		 * time */
		ch = make_ch(with_ecpf ? "0004 c02f 00ff 0100 0000"
		    "000a 0004 0002 001d  000d 0004 0002 0804  0017 0000"
		    "000b 0002 0100" : "0004 c02f 00ff 0100 0000"
		    "000a 0004 0002 001d  000d 0004 0002 0804  0017 0000", &n);
		p = server_fed(ch, n, TLS_VERSION_12, TLS_VERSION_12);
		CHECK(tls_engine_error(p->s) == NULL);
		out = tls_engine_sendrec_buf(p->s, &olen);
		/* record header, handshake header, version, random, empty
		 * session id, suite, compression, extensions */
		CHECK(out != NULL && olen > 5 + 4 + 2 + 32 + 1 + 3 + 2 &&
		    out[5] == 2);
		if (out == NULL || olen < 5 + 4 + 2 + 32 + 1 + 3 + 2) {
			free(ch);
			pair_free(p);
			continue;
		}
		rd_init(&r, out + 5 + 4 + 2 + 32 + 1 + 3,
		    (size_t)out[3] << 8 | out[4]);
		rd_vec(&r, 2, &r);
		seen = 0;
		while (rd_left(&r) >= 4) {
			type = rd_u16(&r);
			rd_vec(&r, 2, &e);
			if (type == 11)
				seen |= 1;
			else if (type == 23)
				seen |= 2;
			else if (type == 0xff01)
				seen |= 4;	/* answers the SCSV */
			else
				seen |= 8;
		}
		CHECK_EQ(seen, with_ecpf ? 7u : 6u);
		free(ch);
		pair_free(p);
	}
}

/* The client side of the same rule: a ServerHello extension our
 * ClientHello did not offer is unsupported_extension. Our client without
 * ECDHE suites offers no ec_point_formats; the server's ServerHello gets
 * one added on the way. */
static void
test_client_unoffered_ext(void)
{
	struct pair *p = pair_new();
	struct buf b;
	uint8_t *src, *dst;
	size_t n, m, hl, el, off;

	p->ccfg.min_version = p->ccfg.max_version = TLS_VERSION_12;
	p->ccfg.kx12 = TLS_KX12_RSA;
	p->scfg.min_version = TLS_VERSION_12;
	p->scfg.max_version = TLS_VERSION_13;
	pair_start(p);
	move(p->c, p->s, 100000);	/* ClientHello */
	src = tls_engine_sendrec_buf(p->s, &n);
	CHECK(src != NULL && n > 5 && src[5] == 2);
	if (src == NULL || n < 5 || src[5] != 2) {
		pair_free(p);
		return;
	}
	/* the ServerHello record alone: header, message; its extension
	 * list ends the message */
	m = 5 + ((size_t)src[3] << 8 | src[4]);
	hl = (size_t)src[6] << 16 | (size_t)src[7] << 8 | src[8];
	off = 5 + 4 + 2 + 32 + 1 + src[5 + 4 + 2 + 32] + 3;
	el = (size_t)src[off] << 8 | src[off + 1];
	buf_init(&b);
	buf_append(&b, src, m);
	buf_append(&b, (const uint8_t *)"\x00\x0b\x00\x02\x01\x00", 6);
	b.data[3] = (uint8_t)((m - 5 + 6) >> 8);
	b.data[4] = (uint8_t)(m - 5 + 6);
	b.data[7] = (uint8_t)((hl + 6) >> 8);
	b.data[8] = (uint8_t)(hl + 6);
	b.data[off] = (uint8_t)((el + 6) >> 8);
	b.data[off + 1] = (uint8_t)(el + 6);
	tls_engine_sendrec_ack(p->s, n);
	for (off = 0; off < b.len; off += n) {
		dst = tls_engine_recvrec_buf(p->c, &n);
		if (dst == NULL)
			break;
		if (n > b.len - off)
			n = b.len - off;
		memcpy(dst, b.data + off, n);
		tls_engine_recvrec_ack(p->c, n);
	}
	CHECK_EQ(p->c->alert_sent, TLS_ALERT_UNSUPPORTED_EXTENSION);
	CHECK(errmsg_has(p->c, "ServerHello carries extension 11, which we "
	    "did not offer"));
	buf_clear(&b);
	pair_free(p);
}

/* RFC 8446 4.1.3: a server that could do TLS 1.3 marks a TLS 1.2 random
 * with the downgrade sentinel; one left without TLS 1.3 suites does not,
 * and a client that offered 1.3 takes its 1.2 answer. */
static void
test_downgrade_sentinel(void)
{
	static const uint16_t only12[] = { TLS_SUITE_ECDHE_RSA_AES256_GCM };
	struct pair *p = pair_new();

	p->ccfg.min_version = TLS_VERSION_12;
	p->ccfg.max_version = TLS_VERSION_13;
	p->scfg.min_version = TLS_VERSION_12;
	p->scfg.max_version = TLS_VERSION_13;
	p->scfg.suites = only12;
	p->scfg.nsuites = 1;
	pair_start(p);
	pump(p, 100000);
	CHECK(tls_engine_handshake_done(p->c));
	CHECK_EQ(tls_engine_version(p->c), TLS_VERSION_12);
	CHECK_EQ(tls_engine_suite(p->c), TLS_SUITE_ECDHE_RSA_AES256_GCM);
	pair_free(p);
}

/* Fault (b): a key share of the wrong length for its group is
 * illegal_parameter (RFC 8446 4.2.8.2), not decode_error, whether the
 * group is one we would choose or not. */
static void
test_keyshare_length(void)
{
	static const struct {
		const char *ch, *frag;
	} cases[] = {
		{ "0002 1301 0100 0000"
		    "000a 0004 0002 001d  000d 0004 0002 0804"
		    "002b 0003 02 0304"
		    "0033 0025 0023 001d 001f"
		    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		    "x25519 key share of 31 bytes (want 32)" },
		{ "0002 1301 0100 0000"
		    "000a 0006 0004 001d 0017  000d 0004 0002 0804"
		    "002b 0003 02 0304"
		    "0033 0007 0005 0017 0001 04",
		    "secp256r1 key share of 1 bytes (want 65)" },
		{ "0002 1301 0100 0000"
		    "000a 0004 0002 001d  000d 0004 0002 0804"
		    "002b 0003 02 0304"
		    "0033 0027 0025 001d 0021 00"
		    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		    "x25519 key share of 33 bytes (want 32)" },
	};
	struct pair *p;
	uint8_t *ch;
	size_t n, i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ch = make_ch(cases[i].ch, &n);
		p = server_fed(ch, n, TLS_VERSION_13, TLS_VERSION_13);
		CHECK_EQ(p->s->alert_sent, TLS_ALERT_ILLEGAL_PARAMETER);
		CHECK(errmsg_has(p->s, cases[i].frag));
		free(ch);
		pair_free(p);
	}
}

/* Fault (c): the TLS 1.3 inner plaintext (content, type and padding) is
 * at most 2^14 + 1 bytes, checked before the padding goes; a Finished
 * padded right up to the limit goes through without a stall. */
static void
test_padding(void)
{
	static const struct {
		size_t pad;
		int ok;
	} cases[] = {
		{ 0, 1 },
		{ 16000, 1 },
		{ 16384 - 36, 1 },	/* Finished: 36 + 1 + pad = 2^14 + 1 */
		{ 16384 - 36 + 1, 0 },
		{ 16384 + 200, 0 },
	};
	struct pair *p;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p = pair_new();
		p->ccfg.pad = cases[i].pad;
		pair_start(p);
		pump(p, 100000);
		if (cases[i].ok) {
			CHECK(tls_engine_handshake_done(p->s));
			CHECK(tls_engine_error(p->s) == NULL);
			send_app(p->c, "padded");
			pump(p, 100000);
			CHECK(recv_app(p->s, "padded"));
		} else {
			CHECK_EQ(p->s->alert_sent, TLS_ALERT_RECORD_OVERFLOW);
			CHECK(errmsg_has(p->s, "is longer than 2^14 + 1"));
			CHECK(errmsg_has(p->c, "peer sent alert record_overflow"));
		}
		pair_free(p);
	}
}

/* Every suite with every group, both directions of data; the server
 * picks in its order among what the client offers. */
static void
test_suite_group(uint16_t suite, uint16_t group)
{
	struct pair *p = pair_new();
	const struct suite_info *su = NULL;
	uint16_t s1[1], g1[1];
	char want[160];

	s1[0] = suite;
	g1[0] = group;
	p->ccfg.suites = s1;
	p->ccfg.nsuites = 1;
	p->ccfg.groups = g1;
	p->ccfg.ngroups = 1;
	p->ccfg.min_version = TLS_VERSION_12;
	p->ccfg.max_version = TLS_VERSION_13;
	p->scfg.min_version = TLS_VERSION_12;
	p->scfg.max_version = TLS_VERSION_13;
	p->scfg.trace = trace_cb;
	p->scfg.cb_ctx = &p->trace;
	(void)su;
	pair_start(p);
	pump(p, 1000);
	CHECK(tls_engine_handshake_done(p->c));
	CHECK(tls_engine_handshake_done(p->s));
	if (tls_engine_error(p->s) != NULL)
		fprintf(stderr, "  %s/%s server: %s\n", tls_suite_name(suite),
		    tls_group_name(group), tls_engine_error(p->s)->msg);
	if (tls_engine_error(p->c) != NULL)
		fprintf(stderr, "  %s/%s client: %s\n", tls_suite_name(suite),
		    tls_group_name(group), tls_engine_error(p->c)->msg);
	CHECK_EQ(tls_engine_suite(p->c), suite);
	CHECK_EQ(tls_engine_suite(p->s), suite);
	if (suite != TLS_SUITE_RSA_AES128_GCM) {
		CHECK_EQ(tls_engine_group(p->c), group);
		CHECK_EQ(tls_engine_group(p->s), group);
		snprintf(want, sizeof want, "chosen: %s (our first the client "
		    "offers), group %s", tls_suite_name(suite),
		    tls_group_name(group));
		CHECK(strstr((char *)p->trace.data, want) != NULL);
	}
	send_app(p->c, "to the server");
	pump(p, 100000);
	CHECK(recv_app(p->s, "to the server"));
	send_app(p->s, "to the client");
	pump(p, 100000);
	CHECK(recv_app(p->c, "to the client"));
	pair_free(p);
}

/* The server's preference wins: a client listing ChaCha20 first still
 * gets AES-128-GCM; a server listing AES-256 first gives AES-256. */
static void
test_suite_order(void)
{
	static const uint16_t cli[] = { TLS_SUITE_CHACHA20_POLY1305_SHA256,
	    TLS_SUITE_AES256_GCM_SHA384, TLS_SUITE_AES128_GCM_SHA256 };
	static const uint16_t srv[] = { TLS_SUITE_AES256_GCM_SHA384,
	    TLS_SUITE_CHACHA20_POLY1305_SHA256 };
	struct pair *p;

	p = pair_new();
	p->ccfg.suites = cli;
	p->ccfg.nsuites = 3;
	pair_start(p);
	pump(p, 100000);
	CHECK_EQ(tls_engine_suite(p->s), TLS_SUITE_AES128_GCM_SHA256);
	pair_free(p);
	p = pair_new();
	p->ccfg.suites = cli;
	p->ccfg.nsuites = 3;
	p->scfg.suites = srv;
	p->scfg.nsuites = 2;
	pair_start(p);
	pump(p, 100000);
	CHECK_EQ(tls_engine_suite(p->c), TLS_SUITE_AES256_GCM_SHA384);
	pair_free(p);
	/* nothing in common */
	p = pair_new();
	p->ccfg.suites = cli;
	p->ccfg.nsuites = 1;
	p->scfg.suites = srv + 0;
	p->scfg.nsuites = 1;
	pair_start(p);
	pump(p, 100000);
	CHECK_EQ(p->s->alert_sent, TLS_ALERT_HANDSHAKE_FAILURE);
	CHECK(errmsg_has(p->s, "no common TLS 1.3 cipher suite"));
	pair_free(p);
}

/* Our client sends its share for its first group; a server that takes
 * only the other asks for it with a HelloRetryRequest, and our client
 * answers; both ways round, with the suite's hash (SHA-384 too) running
 * through the message_hash transcript. */
static void
test_hrr_both(uint16_t first, uint16_t second, uint16_t suite)
{
	uint16_t cg[2], sg[1], s1[1];
	struct pair *p = pair_new();

	cg[0] = first;
	cg[1] = second;
	sg[0] = second;
	s1[0] = suite;
	p->ccfg.groups = cg;
	p->ccfg.ngroups = 2;
	p->scfg.groups = sg;
	p->scfg.ngroups = 1;
	p->scfg.suites = s1;
	p->scfg.nsuites = 1;
	p->ccfg.trace = trace_cb;
	p->ccfg.cb_ctx = &p->trace;
	p->scfg.client_auth = TLS_AUTH_REQUIRE;
	p->ccfg.chain = &pki.client_chain;
	p->ccfg.key = &pki.leaf_key;
	pair_start(p);
	pump(p, 100000);
	CHECK(tls_engine_handshake_done(p->c));
	CHECK(tls_engine_handshake_done(p->s));
	if (tls_engine_error(p->s) != NULL)
		fprintf(stderr, "  server: %s\n", tls_engine_error(p->s)->msg);
	CHECK_EQ(tls_engine_group(p->c), second);
	CHECK_EQ(tls_engine_suite(p->c), suite);
	CHECK(strstr((char *)p->trace.data, "< HelloRetryRequest") != NULL);
	CHECK(strstr((char *)p->trace.data, "HelloRetryRequest: the server "
	    "wants a key share for") != NULL);
	CHECK_STR(tls_engine_peer_subject(p->s), "CN=alice");
	send_app(p->c, "after retry");
	pump(p, 100000);
	CHECK(recv_app(p->s, "after retry"));
	pair_free(p);
}

/* Each signature scheme, narrowed on the client (which accepts only it)
 * and so chosen by the server for CertificateVerify (1.3) or
 * ServerKeyExchange (1.2), and by the client for its CertificateVerify
 * too; PKCS#1 v1.5 in 1.3 has no scheme left: handshake_failure. */
static void
test_sigalg(uint16_t scheme, uint16_t version, const char *name)
{
	uint16_t one[1];
	struct pair *p = pair_new();
	char want[96];
	int ok = version == TLS_VERSION_12 || (scheme >> 8) == 0x08;

	one[0] = scheme;
	p->ccfg.sigalgs = one;
	p->ccfg.nsigalgs = 1;
	p->ccfg.min_version = p->ccfg.max_version = version;
	p->scfg.min_version = TLS_VERSION_12;
	p->scfg.max_version = TLS_VERSION_13;
	p->scfg.client_auth = TLS_AUTH_REQUIRE;
	p->ccfg.chain = &pki.client_chain;
	p->ccfg.key = &pki.leaf_key;
	p->scfg.trace = trace_cb;
	p->scfg.cb_ctx = &p->trace;
	pair_start(p);
	pump(p, 100000);
	if (!ok) {
		CHECK_EQ(p->s->alert_sent, TLS_ALERT_HANDSHAKE_FAILURE);
		CHECK(errmsg_has(p->s, "accepts none of our signature "
		    "schemes"));
		pair_free(p);
		return;
	}
	CHECK(tls_engine_handshake_done(p->c));
	CHECK(tls_engine_handshake_done(p->s));
	if (tls_engine_error(p->c) != NULL)
		fprintf(stderr, "  %s client: %s\n", name,
		    tls_engine_error(p->c)->msg);
	snprintf(want, sizeof want, "%s signed with %s", version ==
	    TLS_VERSION_12 ? "ServerKeyExchange" : "CertificateVerify", name);
	CHECK(strstr((char *)p->trace.data, want) != NULL);
	snprintf(want, sizeof want, "the peer's CertificateVerify signature "
	    "(%s) is good", name);
	CHECK(strstr((char *)p->trace.data, want) != NULL);
	pair_free(p);
}

static void
test_sigalgs(void)
{
	static const struct {
		uint16_t id;
		const char *name;
	} s[] = {
		{ 0x0804, "rsa_pss_rsae_sha256" },
		{ 0x0805, "rsa_pss_rsae_sha384" },
		{ 0x0806, "rsa_pss_rsae_sha512" },
		{ 0x0401, "rsa_pkcs1_sha256" },
		{ 0x0501, "rsa_pkcs1_sha384" },
		{ 0x0601, "rsa_pkcs1_sha512" },
	};
	size_t i;

	for (i = 0; i < sizeof s / sizeof s[0]; i++) {
		test_sigalg(s[i].id, TLS_VERSION_13, s[i].name);
		test_sigalg(s[i].id, TLS_VERSION_12, s[i].name);
	}
}

static void
test_parse_lists(void)
{
	uint16_t v[TLS_MAX_SUITES];
	struct err e;

	CHECK_EQ(tls_suites_parse("TLS_AES_256_GCM_SHA384:"
	    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", v, TLS_MAX_SUITES,
	    &e), 2);
	CHECK_EQ(v[0], TLS_SUITE_AES256_GCM_SHA384);
	CHECK_EQ(v[1], TLS_SUITE_ECDHE_RSA_CHACHA20);
	CHECK_EQ(tls_suites_parse("TLS_AES_128_GCM_SHA256,TLS_NULL", v,
	    TLS_MAX_SUITES, &e), -1);
	CHECK(strncmp(e.msg, "unknown cipher suite 'TLS_NULL' (known: "
	    "TLS_AES_128_GCM_SHA256, ", 64) == 0);
	CHECK_EQ(tls_suites_parse("TLS_AES_128_GCM_SHA256,"
	    "TLS_AES_128_GCM_SHA256", v, TLS_MAX_SUITES, &e), -1);
	CHECK_STR(e.msg, "cipher suite 'TLS_AES_128_GCM_SHA256' named twice");
	{
		static const uint16_t all[] = { 0x1301, 0x1302, 0x1303, 0xc02f,
		    0xc030, 0xcca8, 0x009c };
		size_t i;

		for (i = 0; i < sizeof all / sizeof all[0]; i++)
			CHECK(strstr(tls_suites_known(), tls_suite_name(all[i]))
			    != NULL);
	}
	CHECK_EQ(tls_groups_parse("P-256:x25519", v, TLS_MAX_GROUPS, &e), 2);
	CHECK_EQ(v[0], TLS_GROUP_SECP256R1);
	CHECK_EQ(v[1], TLS_GROUP_X25519);
	CHECK_EQ(tls_groups_parse("x448", v, TLS_MAX_GROUPS, &e), -1);
	CHECK_STR(e.msg, "unknown group 'x448' (known: x25519, secp256r1 "
	    "(also P-256, prime256v1))");
	CHECK_EQ(tls_groups_parse("", v, TLS_MAX_GROUPS, &e), -1);
	CHECK_STR(e.msg, "empty group list");
}

static void
test_fragment_one(void)
{
	struct pair *p = pair_new();

	p->ccfg.max_fragment = 1;
	p->scfg.max_fragment = 1;
	p->scfg.client_auth = TLS_AUTH_REQUIRE;
	p->ccfg.chain = &pki.client_chain;
	p->ccfg.key = &pki.leaf_key;
	pair_start(p);
	pump(p, 100000);
	CHECK(tls_engine_handshake_done(p->c));
	CHECK(tls_engine_handshake_done(p->s));
	CHECK(tls_engine_error(p->s) == NULL);
	send_app(p->c, "ab");
	pump(p, 100000);
	CHECK(recv_app(p->s, "a"));	/* one record at a time */
	pump(p, 100000);
	CHECK(recv_app(p->s, "b"));
	pair_free(p);
}

static void
test_truncated(void)
{
	struct pair *p = pair_new();
	uint8_t *src, *dst;
	size_t n, m;

	pair_start(p);
	/* half the ClientHello, then the transport ends */
	src = tls_engine_sendrec_buf(p->c, &n);
	dst = tls_engine_recvrec_buf(p->s, &m);
	CHECK(m == 5);
	memcpy(dst, src, 5);
	tls_engine_recvrec_ack(p->s, 5);
	dst = tls_engine_recvrec_buf(p->s, &m);
	memcpy(dst, src + 5, m / 2);
	tls_engine_recvrec_ack(p->s, m / 2);
	tls_engine_eof(p->s);
	CHECK(tls_engine_state(p->s) & TLS_CLOSED);
	CHECK(errmsg_has(p->s, "closed by the peer during the handshake"));
	pair_free(p);
}

int
main(void)
{
	pki_setup();
	test_anonymous();
	test_mutual(TLS_AUTH_OPTIONAL, 0);
	test_mutual(TLS_AUTH_OPTIONAL, 1);
	test_mutual(TLS_AUTH_REQUIRE, 1);
	test_mutual(TLS_AUTH_REQUIRE, 0);
	test_keyupdate();
	test_trace_no_secrets(TLS_VERSION_13);
	test_trace_no_secrets(TLS_VERSION_12);
	test_cert_failure("unknown_ca");
	test_cert_failure("host");
	test_cert_failure("expired");
	test_cert_failure("purpose");
	test_cert_failure("client");
	test_tamper();
	test_hostile();
	test_fragment_one();
	test_hrr();
	test_rsa_countermeasure();
	test_truncated();
	test_tls12(0, 0, TLS_VERSION_12, TLS_VERSION_13);
	test_tls12(TLS_SUITE_ECDHE_RSA_AES128_GCM, 1, TLS_VERSION_13,
	    TLS_VERSION_12);
	test_tls12(TLS_SUITE_RSA_AES128_GCM, 0, TLS_VERSION_12, TLS_VERSION_13);
	test_tls12(TLS_SUITE_RSA_AES128_GCM, 1, TLS_VERSION_12, TLS_VERSION_12);
	test_sh_extensions_offered();
	test_client_unoffered_ext();
	test_downgrade_sentinel();
	test_keyshare_length();
	test_padding();
	{
		static const uint16_t suites[] = {
			TLS_SUITE_AES128_GCM_SHA256, TLS_SUITE_AES256_GCM_SHA384,
			TLS_SUITE_CHACHA20_POLY1305_SHA256,
			TLS_SUITE_ECDHE_RSA_AES128_GCM,
			TLS_SUITE_ECDHE_RSA_AES256_GCM,
			TLS_SUITE_ECDHE_RSA_CHACHA20, TLS_SUITE_RSA_AES128_GCM,
		};
		size_t i;

		for (i = 0; i < sizeof suites / sizeof suites[0]; i++) {
			test_suite_group(suites[i], TLS_GROUP_X25519);
			test_suite_group(suites[i], TLS_GROUP_SECP256R1);
		}
	}
	test_suite_order();
	test_hrr_both(TLS_GROUP_X25519, TLS_GROUP_SECP256R1,
	    TLS_SUITE_AES128_GCM_SHA256);
	test_hrr_both(TLS_GROUP_SECP256R1, TLS_GROUP_X25519,
	    TLS_SUITE_AES256_GCM_SHA384);
	test_hrr_both(TLS_GROUP_X25519, TLS_GROUP_SECP256R1,
	    TLS_SUITE_CHACHA20_POLY1305_SHA256);
	test_sigalgs();
	test_parse_lists();
	test_pki_clear(&pki);
	cert_list_clear(&expired_chain);
	return test_done();
}
