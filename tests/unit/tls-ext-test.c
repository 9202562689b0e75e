/* tls-ext-test — extensions of issue 12 between our engines in memory:
 * what a TLS 1.3 client takes in EncryptedExtensions (a server flight
 * forged here: EE decrypted, changed and sealed again), record_size_limit
 * (RFC 8449) both ways in TLS 1.3 and 1.2, and 0-RTT refused cleanly
 * (early records skipped, up to a bound); a TLS 1.2 server with a P-256
 * key picks ECDSA suites only when the client lists secp256r1 (RFC 8422
 * 5.1), and our client offers them only when it lists it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/ecdsa256.h"
#include "testcert.h"
#include "testlib.h"
#include "tls/internal.h"
#include "util/xalloc.h"

#define NOW ((int64_t)1800000000)

static struct test_pki pki;

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
pair_new(uint16_t version)
{
	struct pair *p = xcalloc(1, sizeof *p);

	buf_init(&p->ctrace);
	buf_init(&p->strace);
	p->scfg.is_server = 1;
	p->scfg.chain = &pki.server_chain;
	p->scfg.key = &pki.leaf_key;
	p->scfg.anchors = &pki.root;
	p->scfg.trace = trace_cb;
	p->scfg.cb_ctx = &p->strace;
	p->ccfg.anchors = &pki.root;
	p->ccfg.server_name = "localhost";
	p->ccfg.trace = trace_cb;
	p->ccfg.cb_ctx = &p->ctrace;
	p->ccfg.min_version = p->ccfg.max_version = version;
	p->scfg.min_version = TLS_VERSION_12;
	p->scfg.max_version = TLS_VERSION_13;
	return p;
}

static void
pair_start(struct pair *p)
{
	tls_engine_init(&p->s, &p->scfg, NOW);
	tls_engine_init(&p->c, &p->ccfg, NOW);
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

/* Feeds up to n bytes to t, as much as it takes at a time; returns
 * how many it took. */
static size_t
feed(struct tls_engine *t, const uint8_t *in, size_t n)
{
	uint8_t *dst;
	size_t m, off = 0;

	while (off < n && (dst = tls_engine_recvrec_buf(t, &m)) != NULL) {
		if (m > n - off)
			m = n - off;
		memcpy(dst, in + off, m);
		tls_engine_recvrec_ack(t, m);
		off += m;
	}
	return off;
}

/* Moves a's output to b; when sizes is set, checks that each protected
 * record carries at most max content bytes (over is the record layer's
 * overhead: 1.3 type byte and tag, 1.2 explicit nonce and tag). */
static int
move(struct tls_engine *a, struct tls_engine *b, size_t max, size_t over,
    int *too_big)
{
	uint8_t *src;
	size_t n, off, rl;
	int moved = 0;

	while ((tls_engine_state(a) & TLS_SENDREC) &&
	    (tls_engine_state(b) & TLS_RECVREC)) {
		src = tls_engine_sendrec_buf(a, &n);
		/* whole records only, to see their sizes */
		for (off = 0; off + 5 <= n; off += 5 + rl) {
			rl = (size_t)src[off + 3] << 8 | src[off + 4];
			if (off + 5 + rl > n)
				break;
			if (max != 0 && src[off] == 23 && rl > max + over &&
			    too_big != NULL)
				*too_big = 1;
		}
		n = feed(b, src, n);
		if (n == 0)
			break;
		tls_engine_sendrec_ack(a, n);
		moved = 1;
	}
	if ((tls_engine_state(b) & TLS_CLOSED) &&
	    (tls_engine_state(a) & TLS_SENDREC)) {
		tls_engine_sendrec_buf(a, &n);
		tls_engine_sendrec_ack(a, n);
	}
	return moved;
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
all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
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

/* Writes n bytes of application data from t (as many records as the
 * engine makes). */
static void
send_n(struct tls_engine *t, size_t n)
{
	uint8_t *b;
	size_t room, k;

	while (n > 0) {
		b = tls_engine_sendapp_buf(t, &room);
		if (b == NULL)
			return;
		k = n < room ? n : room;
		memset(b, 'x', k);
		tls_engine_sendapp_ack(t, k);
		tls_engine_flush(t);
		n -= k;
	}
}

static size_t
recv_all(struct tls_engine *t)
{
	size_t n, got = 0;

	while (tls_engine_recvapp_buf(t, &n) != NULL) {
		got += n;
		tls_engine_recvapp_ack(t, n);
	}
	return got;
}

/* ---- EncryptedExtensions ---- */

/* The server's first flight to a fresh client, with EncryptedExtensions'
 * extension list replaced by exts (hex), is fed to the client; returns
 * the pair with the client's verdict. */
static struct pair *
forged_ee(const char *exts_hex)
{
	struct pair *p = pair_new(TLS_VERSION_13);
	struct tls_dir d;
	struct buf out;
	uint8_t *src, *ex, *rec;
	uint8_t plain[256], nonce[12];
	size_t n, off, rl, exn, m;
	int seen_ee = 0;

	pair_start(p);
	move(&p->c, &p->s, 0, 0, NULL);		/* ClientHello */
	src = tls_engine_sendrec_buf(&p->s, &n);
	memset(&d, 0, sizeof d);
	record_set_keys13(&d, p->s.su, p->s.s_hs);
	ex = test_hex(exts_hex, &exn);
	buf_init(&out);
	for (off = 0; src != NULL && off + 5 <= n && !seen_ee; off += 5 + rl) {
		rl = (size_t)src[off + 3] << 8 | src[off + 4];
		if (src[off] != 23) {
			buf_append(&out, src + off, 5 + rl);	/* SH, CCS */
			continue;
		}
		/* the first protected record: EncryptedExtensions, seq 0 */
		memcpy(nonce, d.iv, 12);
		CHECK(rl - 16 < sizeof plain);
		CHECK_EQ(aead_open(d.key, d.su->keylen, nonce, src + off, 5,
		    src + off + 5, rl, plain), 0);
		CHECK_EQ(plain[0], HS_ENCRYPTED_EXTENSIONS);
		m = 0;
		plain[m++] = HS_ENCRYPTED_EXTENSIONS;
		plain[m++] = 0;
		plain[m++] = (uint8_t)((exn + 2) >> 8);
		plain[m++] = (uint8_t)(exn + 2);
		plain[m++] = (uint8_t)(exn >> 8);
		plain[m++] = (uint8_t)exn;
		memcpy(plain + m, ex, exn);
		m += exn;
		plain[m++] = CT_HANDSHAKE;
		rec = buf_reserve(&out, 5 + m + 16);
		rec[0] = 23;
		rec[1] = 3;
		rec[2] = 3;
		rec[3] = (uint8_t)((m + 16) >> 8);
		rec[4] = (uint8_t)(m + 16);
		aead_seal(d.key, d.su->keylen, nonce, rec, 5, plain, m,
		    rec + 5);
		out.len += 5 + m + 16;
		seen_ee = 1;
	}
	CHECK(seen_ee);
	feed(&p->c, out.data, out.len);
	free(ex);
	buf_clear(&out);
	record_clear_dir(&d);
	return p;
}

static void
test_ee(void)
{
	static const struct {
		const char *exts;
		int alert;
		const char *msg;
	} cases[] = {
		/* known, but not an EE extension: illegal_parameter */
		{ "0033 0002 001d", TLS_ALERT_ILLEGAL_PARAMETER,
		    "EncryptedExtensions carries key_share, which is not "
		    "allowed there" },
		{ "002b 0002 0304", TLS_ALERT_ILLEGAL_PARAMETER,
		    "EncryptedExtensions carries supported_versions, which is "
		    "not allowed there" },
		/* allowed in EE, but we did not offer it */
		{ "0010 0005 0003 02 6832", TLS_ALERT_UNSUPPORTED_EXTENSION,
		    "EncryptedExtensions carries extension 16 (alpn), which "
		    "we did not offer" },
		{ "002a 0000", TLS_ALERT_UNSUPPORTED_EXTENSION,
		    "EncryptedExtensions carries extension 42 (early_data), "
		    "which we did not offer" },
		{ "1234 0000", TLS_ALERT_UNSUPPORTED_EXTENSION,
		    "EncryptedExtensions carries extension 4660, which we did "
		    "not offer" },
		/* offered, but wrong */
		{ "001c 0002 003f", TLS_ALERT_ILLEGAL_PARAMETER,
		    "EncryptedExtensions: record_size_limit of 63 (at least "
		    "64)" },
		{ "001c 0003 000100", TLS_ALERT_DECODE_ERROR,
		    "EncryptedExtensions: record_size_limit is malformed" },
		{ "0000 0004 0002 0000", TLS_ALERT_DECODE_ERROR,
		    "EncryptedExtensions: extension 0 is malformed" },
		{ "0000 0000 0000 0000", TLS_ALERT_ILLEGAL_PARAMETER,
		    "EncryptedExtensions repeats extension 0" },
		{ "000a 0001 00", TLS_ALERT_DECODE_ERROR,
		    "EncryptedExtensions: extension 10 is malformed" },
		{ "0000 0000 001c", TLS_ALERT_DECODE_ERROR,
		    "EncryptedExtensions: bad extension list" },
		/* all well: server_name acknowledged, groups, a limit */
		{ "0000 0000 000a 0004 0002 001d 001c 0002 0100", -1, NULL },
	};
	struct pair *p;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p = forged_ee(cases[i].exts);
		if (cases[i].msg != NULL) {
			CHECK_EQ(p->c.alert_sent, cases[i].alert);
			CHECK(errmsg_has(&p->c, cases[i].msg));
		} else {
			CHECK(tls_engine_error(&p->c) == NULL);
			CHECK_EQ(p->c.rsl_peer, 256);
			CHECK(has(&p->ctrace, "record_size_limit: the server "
			    "takes records of at most 256 bytes (with type and "
			    "padding)"));
		}
		pair_free(p);
	}
}

/* ---- record_size_limit ---- */

static void
test_rsl(uint16_t version)
{
	/* 1.3: type byte and tag; 1.2 AES-GCM: explicit nonce and tag */
	size_t over = version == TLS_VERSION_13 ? 1 + 16 : 8 + 16;
	struct pair *p = pair_new(version);
	size_t got_c = 0, got_s = 0;
	int big = 0, i;

	p->ccfg.record_limit = 512;
	p->scfg.record_limit = 1000;
	pair_start(p);
	/* the whole handshake: the server's protected records (in TLS 1.3
	 * its Certificate too) keep to the client's 512 */
	for (i = 0; i < 1000; i++)
		if (!move(&p->c, &p->s, 1000, over, &big) &&
		    !move(&p->s, &p->c, 512, over, &big))
			break;
	CHECK(tls_engine_handshake_done(&p->c));
	CHECK(tls_engine_handshake_done(&p->s));
	CHECK_EQ(tls_engine_version(&p->c), version);
	/* the values advertised, as configured: in 1.3 they count the
	 * type byte */
	CHECK_EQ(p->c.rsl_ours, 512);
	CHECK_EQ(p->s.rsl_ours, 1000);
	CHECK(has(&p->strace, "record_size_limit: the client takes records of "
	    "at most"));
	send_n(&p->s, 3000);
	send_n(&p->c, 3000);
	for (i = 0; i < 1000; i++) {
		got_c += recv_all(&p->c);
		got_s += recv_all(&p->s);
		if (!move(&p->c, &p->s, 1000, over, &big) &&
		    !move(&p->s, &p->c, 512, over, &big))
			break;
	}
	CHECK(!big);
	CHECK_EQ(got_c, 3000);
	CHECK_EQ(got_s, 3000);
	/* a server that forgets the client's limit: record_overflow */
	p->s.rsl_peer = 0;
	send_n(&p->s, 1000);
	move(&p->s, &p->c, 0, 0, NULL);
	CHECK_EQ(p->c.alert_sent, TLS_ALERT_RECORD_OVERFLOW);
	CHECK(errmsg_has(&p->c, version == TLS_VERSION_13 ?
	    "inner plaintext of 1001 bytes is longer than our "
	    "record_size_limit of 512" : "record plaintext of 1000 bytes is "
	    "longer than our record_size_limit of 512"));
	/* what the records carried is wiped, though clear wipes the record
	 * buffers only as far as they were used */
	CHECK(p->c.ihigh > 0 && p->c.ahigh > 0);
	tls_engine_clear(&p->c);
	CHECK(all_zero(&p->c, sizeof p->c));
	pair_free(p);
}

/* A ClientHello record from the hex of everything after the session id,
 * the extension list's length as 0000; every length filled in. */
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
	i = 5 + 4 + 2 + 32 + 1;
	i += 2 + ((size_t)out[i] << 8 | out[i + 1]);
	i += 1 + out[i];
	out[i] = (uint8_t)((n - i - 2) >> 8);
	out[i + 1] = (uint8_t)(n - i - 2);
	*np = n;
	return out;
}

#define CH_X25519 "0002 1301 0100 0000" \
	"000a 0004 0002 001d  000d 0004 0002 0804  002b 0003 02 0304" \
	"0033 0026 0024 001d 0020" \
	"0900000000000000000000000000000000000000000000000000000000000000"

static void
test_rsl_hostile(void)
{
	struct pair *p = pair_new(TLS_VERSION_13);
	uint8_t *ch;
	size_t n;

	ch = make_ch(CH_X25519 " 001c 0002 003f", &n);
	pair_start(p);
	feed(&p->s, ch, n);
	CHECK_EQ(p->s.alert_sent, TLS_ALERT_ILLEGAL_PARAMETER);
	CHECK(errmsg_has(&p->s, "ClientHello: record_size_limit of 63 (at "
	    "least 64)"));
	free(ch);
	pair_free(p);
}

/* ---- 0-RTT refused ---- */

/* A record of n bytes of type 23 that no key opens. */
static void
early_record(struct buf *b, size_t n)
{
	uint8_t *r = buf_reserve(b, 5 + n);

	r[0] = 23;
	r[1] = 3;
	r[2] = 3;
	r[3] = (uint8_t)(n >> 8);
	r[4] = (uint8_t)n;
	memset(r + 5, 0xa5, n);
	b->len += 5 + n;
}

static void
test_early_data(void)
{
	static const uint16_t p256[] = { TLS_GROUP_SECP256R1 };
	struct pair *p;
	struct buf in;
	uint8_t *ch;
	const char *ee;
	size_t n;
	int i, k;

	/* the client offers early_data and sends two 0-RTT records: we go
	 * on with a full handshake, skipping them, and say no early_data */
	for (i = 0; i < 3; i++) {
		ch = make_ch(i == 0 ? CH_X25519 :
		    CH_X25519 " 002a 0000", &n);
		buf_init(&in);
		buf_append(&in, ch, n);
		early_record(&in, 100);
		early_record(&in, 300);
		if (i == 2) {
			/* more than the bound: an attack, not 0-RTT */
			for (k = 0; k < 5; k++)
				early_record(&in, 16000);
		}
		p = pair_new(TLS_VERSION_13);
		pair_start(p);
		feed(&p->s, in.data, in.len);
		if (i == 0) {
			/* no early_data offered: the record is an attack */
			CHECK_EQ(p->s.alert_sent, TLS_ALERT_BAD_RECORD_MAC);
			CHECK(errmsg_has(&p->s, "record 0 failed "
			    "authentication"));
		} else if (i == 1) {
			CHECK(tls_engine_error(&p->s) == NULL);
			CHECK(has(&p->strace, "the client offers 0-RTT early "
			    "data: refused (we never accept it)"));
			CHECK(has(&p->strace, "skipped a 0-RTT record of 100 "
			    "bytes"));
			CHECK(has(&p->strace, "skipped a 0-RTT record of 300 "
			    "bytes"));
			ee = p->strace.len > 0 ? strstr((char *)p->strace.data,
			    "> EncryptedExtensions") : NULL;
			CHECK(ee != NULL && strstr(ee, "early_data") == NULL);
		} else {
			CHECK_EQ(p->s.alert_sent, TLS_ALERT_BAD_RECORD_MAC);
			CHECK(errmsg_has(&p->s, "record 0 failed "
			    "authentication"));
		}
		free(ch);
		buf_clear(&in);
		pair_free(p);
	}
	/* after a HelloRetryRequest the early records come in the clear
	 * phase; skipped too; the second ClientHello must not offer it */
	p = pair_new(TLS_VERSION_13);
	p->scfg.groups = p256;
	p->scfg.ngroups = 1;
	pair_start(p);
	ch = make_ch("0002 1301 0100 0000"
	    "000a 0006 0004 001d 0017  000d 0004 0002 0804"
	    "002b 0003 02 0304"
	    "0033 0026 0024 001d 0020"
	    "0900000000000000000000000000000000000000000000000000000000000000"
	    "002a 0000", &n);
	buf_init(&in);
	buf_append(&in, ch, n);
	early_record(&in, 200);
	feed(&p->s, in.data, in.len);
	CHECK(tls_engine_error(&p->s) == NULL);
	CHECK(has(&p->strace, "> HelloRetryRequest"));
	CHECK(has(&p->strace, "skipped a 0-RTT record of 200 bytes"));
	/* the same hello again (early_data and no P-256 share) */
	in.len = 0;
	buf_append(&in, ch, n);
	feed(&p->s, in.data, in.len);
	CHECK_EQ(p->s.alert_sent, TLS_ALERT_ILLEGAL_PARAMETER);
	CHECK(errmsg_has(&p->s, "the second ClientHello offers early_data"));
	free(ch);
	buf_clear(&in);
	pair_free(p);
}

/* ---- the ECDSA certificate's curve in TLS 1.2 ---- */

/* Only ECDHE_ECDSA suites, with every extension a 1.2 server wants;
 * supported_groups is spliced in. */
#define CH12_ECDSA(groups) "0004 c02b c02c 0100 0000" \
	groups " 000d 0004 0002 0403  0017 0000  ff01 0001 00" \
	" 000b 0002 01 00"

static void
test_ecdsa_curve(void)
{
	struct ec256key k;
	struct pair *p;
	uint8_t *ch;
	size_t n;

	ec256key_init(&k);
	ec256key_generate(&k);
	/* x25519 alone: both can do the ECDHE, but the client cannot take
	 * our P-256 certificate, and it offers no other suite */
	p = pair_new(TLS_VERSION_12);
	p->scfg.key = NULL;
	p->scfg.eckey = &k;
	pair_start(p);
	ch = make_ch(CH12_ECDSA("000a 0004 0002 001d"), &n);
	feed(&p->s, ch, n);
	CHECK_EQ(p->s.alert_sent, TLS_ALERT_HANDSHAKE_FAILURE);
	CHECK(errmsg_has(&p->s, "no common TLS 1.2 cipher suite (our ECDSA "
	    "certificate is on secp256r1, which the client's "
	    "supported_groups lacks: RFC 8422 5.1)"));
	free(ch);
	pair_free(p);
	/* secp256r1 listed too (x25519 still first for the ECDHE) */
	p = pair_new(TLS_VERSION_12);
	p->scfg.key = NULL;
	p->scfg.eckey = &k;
	pair_start(p);
	ch = make_ch(CH12_ECDSA("000a 0006 0004 001d 0017"), &n);
	feed(&p->s, ch, n);
	CHECK(tls_engine_error(&p->s) == NULL);
	CHECK_EQ(p->s.alert_sent, -1);
	CHECK(has(&p->strace, "chosen: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_"
	    "SHA256 (our first the client offers), group x25519, signature "
	    "ecdsa_secp256r1_sha256"));
	CHECK(has(&p->strace, "> ServerKeyExchange"));
	free(ch);
	pair_free(p);
	/* no supported_groups at all: any curve will do (RFC 8422 4) */
	p = pair_new(TLS_VERSION_12);
	p->scfg.key = NULL;
	p->scfg.eckey = &k;
	pair_start(p);
	ch = make_ch(CH12_ECDSA(""), &n);
	feed(&p->s, ch, n);
	CHECK(tls_engine_error(&p->s) == NULL);
	CHECK(has(&p->strace, "chosen: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_"
	    "SHA256"));
	free(ch);
	pair_free(p);
	/* with an RSA key as well, the RSA suite is taken instead, and the
	 * trace says why the ECDSA one was passed over */
	p = pair_new(TLS_VERSION_12);
	p->scfg.eckey = &k;
	pair_start(p);
	ch = make_ch("0006 c02b c02f c02c 0100 0000 000a 0004 0002 001d"
	    " 000d 0006 0004 0403 0804  0017 0000  ff01 0001 00", &n);
	feed(&p->s, ch, n);
	CHECK(tls_engine_error(&p->s) == NULL);
	CHECK(has(&p->strace, "ECDSA suites passed over: the client's "
	    "supported_groups lacks secp256r1, our certificate's curve"));
	CHECK(has(&p->strace, "chosen: TLS_ECDHE_RSA_WITH_AES_128_GCM_"
	    "SHA256"));
	free(ch);
	pair_free(p);
	ec256key_clear(&k);
}

/* Whether our client's first flight (its ClientHello record) offers
 * cipher suite id; -1 when there is no hello to read. */
static int
ch_offers(struct tls_engine *c, unsigned id)
{
	const uint8_t *r;
	size_t n, off, sl, i;

	if (!(tls_engine_state(c) & TLS_SENDREC))
		return -1;
	r = tls_engine_sendrec_buf(c, &n);
	/* record header, handshake header, version, random */
	off = 5 + 4 + 2 + 32;
	if (n < off + 1 || r[0] != 22 || r[5] != 1)
		return -1;
	off += 1 + r[off];
	if (n < off + 2)
		return -1;
	sl = (size_t)r[off] << 8 | r[off + 1];
	off += 2;
	if (n < off + sl)
		return -1;
	for (i = 0; i + 1 < sl; i += 2)
		if (((unsigned)r[off + i] << 8 | r[off + i + 1]) == id)
			return 1;
	return 0;
}

/* Our TLS 1.2 client offers ECDHE_ECDSA suites only with secp256r1 among
 * its groups (RFC 8422 5.1): a strict server, ours among them, refuses
 * them otherwise. */
static void
test_client_ecdsa_groups(void)
{
	static const uint16_t x25519[] = { TLS_GROUP_X25519 };
	static const uint16_t both[] = { TLS_GROUP_X25519,
	    TLS_GROUP_SECP256R1 };
	static const uint16_t p256[] = { TLS_GROUP_SECP256R1 };
	static const uint16_t ecdsa[] = { TLS_SUITE_ECDHE_ECDSA_AES128_GCM,
	    TLS_SUITE_ECDHE_ECDSA_AES256_GCM };
	static const struct {
		const uint16_t *groups;
		size_t n;
		uint16_t version;
		int ecdsa;
	} cases[] = {
		{ x25519, 1, TLS_VERSION_12, 0 },
		{ x25519, 1, 0, 0 },		/* 1.3 and 1.2 offered */
		{ both, 2, TLS_VERSION_12, 1 },
		{ p256, 1, TLS_VERSION_12, 1 },
		{ NULL, 0, TLS_VERSION_12, 1 },	/* the default groups */
	};
	static const char why[] = "TLS 1.2 ECDHE_ECDSA suites not offered: "
	    "secp256r1 is not among our groups (RFC 8422 5.1)";
	struct pair *p;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p = pair_new(cases[i].version != 0 ? cases[i].version :
		    TLS_VERSION_12);
		if (cases[i].version == 0)
			p->ccfg.max_version = TLS_VERSION_13;
		p->ccfg.groups = cases[i].groups;
		p->ccfg.ngroups = cases[i].n;
		pair_start(p);
		CHECK_EQ(ch_offers(&p->c, TLS_SUITE_ECDHE_ECDSA_AES128_GCM),
		    cases[i].ecdsa);
		CHECK_EQ(ch_offers(&p->c, TLS_SUITE_ECDHE_ECDSA_CHACHA20),
		    cases[i].ecdsa);
		CHECK_EQ(ch_offers(&p->c, TLS_SUITE_ECDHE_RSA_AES128_GCM), 1);
		CHECK_EQ(p->ctrace.len > 0 && memmem(p->ctrace.data,
		    p->ctrace.len, why, strlen(why)) != NULL, !cases[i].ecdsa);
		if (cases[i].version == 0)
			CHECK_EQ(ch_offers(&p->c, TLS_SUITE_AES128_GCM_SHA256),
			    1);
		pair_free(p);
	}
	/* only ECDSA suites and x25519: nothing left to offer in 1.2, which
	 * a command refuses before connecting */
	p = pair_new(TLS_VERSION_12);
	p->ccfg.groups = x25519;
	p->ccfg.ngroups = 1;
	p->ccfg.suites = ecdsa;
	p->ccfg.nsuites = 2;
	CHECK_EQ(tls_config_suites(&p->ccfg, TLS_VERSION_12), 0);
	CHECK(!tls_config_ecdsa12_ok(&p->ccfg));
	p->ccfg.groups = both;
	p->ccfg.ngroups = 2;
	CHECK_EQ(tls_config_suites(&p->ccfg, TLS_VERSION_12), 2);
	/* a server keeps them: a client without supported_groups may take
	 * any curve (RFC 8422 4) */
	p->scfg.groups = x25519;
	p->scfg.ngroups = 1;
	p->scfg.suites = ecdsa;
	p->scfg.nsuites = 2;
	CHECK_EQ(tls_config_suites(&p->scfg, TLS_VERSION_12), 2);
	pair_free(p);
}

int
main(void)
{
	test_pki_setup(&pki, "CN=Test Root", NOW - 86400, NOW + 86400 * 365,
	    NOW - 3600, NOW + 86400 * 30);
	test_ee();
	test_rsl(TLS_VERSION_13);
	test_rsl(TLS_VERSION_12);
	test_rsl_hostile();
	test_early_data();
	test_ecdsa_curve();
	test_client_ecdsa_groups();
	test_pki_clear(&pki);
	return test_done();
}
