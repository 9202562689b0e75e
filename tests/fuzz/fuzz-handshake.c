/* fuzz-handshake.c — whole TLS handshakes: one of our engines (the
 * victim, client or server) is fed the plaintext records of its peer from
 * the input, and the harness protects each one with the victim's own
 * current read keys and suite (read from the engine: struct tls_dir)
 * before handing it over. So a mutation anywhere, past the key change too,
 * reaches the message handlers: HelloRetryRequest, EncryptedExtensions,
 * Certificate (tls/peercert.c), CertificateVerify, Finished,
 * NewSessionTicket, the TLS 1.2 key exchanges (the RSA one through
 * crypto/rsadec.c), resumption and application data.
 *
 * The input: two bytes of configuration, then records, each a content
 * type, a 16-bit length and that many plaintext bytes.
 *   byte 0	bit 0	the victim: 0 the server, 1 the client
 *		bits 1-2	0 and 3 TLS 1.3; 1 TLS 1.2 ECDHE; 2 TLS 1.2 RSA
 *		bit 3	client certificates (the server requires one)
 *		bits 4-5	the suite's AEAD: 0 AES-128-GCM, 1 AES-256-GCM
 *			(SHA-384), 2 ChaCha20-Poly1305, 3 every suite
 *			(RSA key transport has AES-128-GCM only)
 *		bit 6	P-256 certificates and ECDSA (not with RSA
 *			key transport)
 *		bit 7	resumption: the client offers a ticket from a
 *			full handshake of the same configuration
 *   byte 1	bits 0-1	groups: 0 x25519 (a TLS 1.2 client with P-256
 *			certificates lists secp256r1 too); 1 secp256r1; 2 the client
 *			shares x25519, the server takes only secp256r1
 *			(TLS 1.3: HelloRetryRequest); 3 both, both sides
 * The victim's randomness is seeded from the configuration alone, so its
 * hellos are the same in every run and the recorded flights of the seeds
 * (signatures, Finished, tickets) stay valid until mutated.
 *
 * The seeds are recorded from real handshakes between our own client and
 * server, each on its own stream of the fuzzing generator:
 *	FUZZHS_RECORD=DIR tests/fuzz/fuzz-handshake-run any-file
 * writes one seed per configuration of the list below into DIR and
 * exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/chachapoly.h"
#include "crypto/rand.h"
#include "tls/internal.h"
#include "tls/tls.h"
#include "util/buf.h"
#include "x509/cert.h"

#include "fuzztls.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NOW 1700000000
#define CT_CCS 20
#define NCONF 2		/* configuration bytes */

struct hsconf {
	struct tls_config srv, cli;
	int victim_client;
};

/* The one suite a configuration allows: [version/kx][aead][ecdsa]. */
static const uint16_t suites13[3] = { TLS_SUITE_AES128_GCM_SHA256,
    TLS_SUITE_AES256_GCM_SHA384, TLS_SUITE_CHACHA20_POLY1305_SHA256 };
static const uint16_t suites12[2][3] = {
	{ TLS_SUITE_ECDHE_RSA_AES128_GCM, TLS_SUITE_ECDHE_RSA_AES256_GCM,
	    TLS_SUITE_ECDHE_RSA_CHACHA20 },
	{ TLS_SUITE_ECDHE_ECDSA_AES128_GCM, TLS_SUITE_ECDHE_ECDSA_AES256_GCM,
	    TLS_SUITE_ECDHE_ECDSA_CHACHA20 },
};
static const uint16_t suite_rsa = TLS_SUITE_RSA_AES128_GCM;
static const uint16_t g_x25519 = TLS_GROUP_X25519;
static const uint16_t g_p256 = TLS_GROUP_SECP256R1;
static const uint16_t g_both[2] = { TLS_GROUP_X25519, TLS_GROUP_SECP256R1 };

static void conf(struct hsconf *, const uint8_t cfg[NCONF]);
static void drain(struct tls_engine *, struct buf *);
static int feed(struct tls_engine *, const uint8_t *, size_t);

/* Moves records between a client and a server until neither has
 * anything to say; each runs on its own generator stream. With the
 * victim's records recorded into seed (when not NULL) as plaintext. */
static int play(struct tls_engine *v, struct tls_engine *peer,
    struct rand_fuzz_state *vs, struct rand_fuzz_state *ps,
    struct buf *seed);

/* The session a resuming client offers: the last ticket of a full
 * handshake of the same configuration, made once per configuration
 * on a stream of its own (so that it is the same in every process). */
static const struct tls_session *
session_for(const uint8_t cfg[NCONF])
{
	static struct tls_session cache[64][4];
	static uint8_t have[64][4];	/* 1 made, 2 none came */
	unsigned a = (cfg[0] >> 1) & 0x3f, g = cfg[1] & 3;
	struct rand_fuzz_state saved, cs, ss;
	static struct tls_engine c, s;
	struct hsconf h;
	uint8_t full[NCONF] = { (uint8_t)(a << 1), (uint8_t)g };
	const struct tls_session *got;

	if (have[a][g])
		return have[a][g] == 1 ? &cache[a][g] : NULL;
	rand_fuzz_get(&saved);
	conf(&h, full);
	rand_fuzz_seed("session", 7);
	tls_engine_init(&c, &h.cli, NOW);
	rand_fuzz_get(&cs);
	rand_fuzz_seed("session server", 14);
	tls_engine_init(&s, &h.srv, NOW);
	rand_fuzz_get(&ss);
	(void)play(&c, &s, &cs, &ss, NULL);
	have[a][g] = 2;
	if ((got = tls_engine_session(&c)) != NULL) {
		cache[a][g] = *got;
		have[a][g] = 1;
	}
	tls_engine_clear(&c);
	tls_engine_clear(&s);
	rand_fuzz_set(&saved);
	return have[a][g] == 1 ? &cache[a][g] : NULL;
}

static void
conf(struct hsconf *h, const uint8_t cfg[NCONF])
{
	const struct rsakey *key;
	const struct ec256key *eckey;
	const struct cert_list *chain, *ecchain;
	unsigned mode = (cfg[0] >> 1) & 3, aead = (cfg[0] >> 4) & 3;
	int certs = (cfg[0] >> 3) & 1, ec = (cfg[0] >> 6) & 1;
	int resume = (cfg[0] >> 7) & 1;
	struct tls_config *both[2];
	size_t i;

	fuzztls_identity(&key, &chain);
	fuzztls_identity_ec(&eckey, &ecchain);
	if (mode == 2)
		ec = 0;		/* RSA key transport needs an RSA key */
	if (ec) {
		key = NULL;
		chain = ecchain;
	} else
		eckey = NULL;
	memset(h, 0, sizeof *h);
	h->victim_client = cfg[0] & 1;
	both[0] = &h->srv;
	both[1] = &h->cli;
	for (i = 0; i < 2; i++) {
		struct tls_config *c = both[i];

		c->anchors = chain;
		if (mode == 1 || mode == 2) {
			c->min_version = c->max_version = TLS_VERSION_12;
			c->kx12 = mode == 1 ? TLS_KX12_ECDHE : TLS_KX12_RSA;
		} else
			c->min_version = c->max_version = TLS_VERSION_13;
		if (mode == 2)
			c->suites = &suite_rsa;
		else if (aead < 3)
			c->suites = mode == 1 ? &suites12[ec][aead] :
			    &suites13[aead];
		c->nsuites = c->suites != NULL ? 1 : 0;
		switch (cfg[1] & 3) {
		case 0:
			c->groups = &g_x25519;
			c->ngroups = 1;
			/* a TLS 1.2 client takes a P-256 certificate only
			 * when it lists secp256r1 (RFC 8422 5.1); x25519
			 * stays the one the server picks */
			if (mode == 1 && ec && i == 1) {
				c->groups = g_both;
				c->ngroups = 2;
			}
			break;
		case 1:
			c->groups = &g_p256;
			c->ngroups = 1;
			break;
		case 2:	/* the client shares x25519, the server wants P-256 */
			c->groups = i == 0 ? &g_p256 : g_both;
			c->ngroups = i == 0 ? 1 : 2;
			break;
		default:
			c->groups = g_both;
			c->ngroups = 2;
			break;
		}
	}
	h->srv.is_server = 1;
	h->srv.chain = chain;
	h->srv.key = key;
	h->srv.eckey = eckey;
	h->srv.client_auth = certs ? TLS_AUTH_REQUIRE : TLS_AUTH_NONE;
	h->srv.tickets = fuzztls_tickets();
	h->cli.server_name = "fuzz";
	if (certs) {
		h->cli.chain = chain;
		h->cli.key = key;
		h->cli.eckey = eckey;
	}
	if (resume)
		h->cli.resume = session_for(cfg);
}

/* Seals p[0..n) in place (the tag after it) with d's AEAD. */
static void
seal(const struct tls_dir *d, const uint8_t nonce[12], const uint8_t *aad,
    size_t aadlen, uint8_t *p, size_t n)
{
	if (d->su->aead == AEAD_CHACHA20_POLY1305)
		chachapoly_seal(d->key, nonce, aad, aadlen, p, n, p);
	else
		aead_seal(d->key, d->su->keylen, nonce, aad, aadlen, p, n, p);
}

static int
unseal(const struct tls_dir *d, const uint8_t nonce[12], const uint8_t *aad,
    size_t aadlen, const uint8_t *in, size_t n, uint8_t *out)
{
	if (d->su->aead == AEAD_CHACHA20_POLY1305)
		return chachapoly_open(d->key, nonce, aad, aadlen, in, n, out);
	return aead_open(d->key, d->su->keylen, nonce, aad, aadlen, in, n,
	    out);
}

/* The per-record nonce: the IV XOR the sequence number (TLS 1.3, and
 * ChaCha20 in TLS 1.2, RFC 7905). */
static void
seqnonce(const struct tls_dir *d, uint8_t nonce[12])
{
	size_t i;

	memcpy(nonce, d->iv, 12);
	for (i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(d->seq >> (8 * i));
}

/* The TLS 1.2 additional data: seq, type, version, plaintext length. */
static void
aad12(const struct tls_dir *d, int type, size_t n, uint8_t aad[13])
{
	size_t i;

	for (i = 0; i < 8; i++)
		aad[i] = (uint8_t)(d->seq >> (56 - 8 * i));
	aad[8] = (uint8_t)type;
	aad[9] = 3;
	aad[10] = 3;
	aad[11] = (uint8_t)(n >> 8);
	aad[12] = (uint8_t)n;
}

static void
header(struct buf *out, int type, size_t n)
{
	uint8_t hdr[5];

	hdr[0] = (uint8_t)type;
	hdr[1] = 3;
	hdr[2] = 3;
	hdr[3] = (uint8_t)(n >> 8);
	hdr[4] = (uint8_t)n;
	buf_append(out, hdr, 5);
}

/* The record the victim would read for plaintext (type, body[0..n)):
 * protected with its read keys once they are on, as its peer would. */
static void
protect(const struct tls_engine *v, int type, const uint8_t *body, size_t n,
    struct buf *out)
{
	const struct tls_dir *d = &v->rd;
	uint8_t nonce[12], aad[13], *p;
	size_t ex;

	out->len = 0;
	if (!d->active || type == CT_CCS) {
		header(out, type, n);
		buf_append(out, body, n);
		return;
	}
	if (v->version == TLS_VERSION_12) {
		/* GCM: an explicit nonce (the seq); ChaCha20: none */
		ex = d->su->aead == AEAD_CHACHA20_POLY1305 ? 0 : 8;
		aad12(d, type, n, aad);
		header(out, type, ex + n + AEAD_TAG_SIZE);
		if (ex > 0) {
			buf_append(out, aad, 8);
			memcpy(nonce, d->iv, 4);
			memcpy(nonce + 4, aad, 8);
		} else
			seqnonce(d, nonce);
		p = buf_reserve(out, n + AEAD_TAG_SIZE);
		if (n > 0)
			memcpy(p, body, n);
		seal(d, nonce, aad, 13, p, n);
		out->len += n + AEAD_TAG_SIZE;
		return;
	}
	/* TLS 1.3: type 23, inner plaintext = body || type */
	header(out, 23, n + 1 + AEAD_TAG_SIZE);
	p = buf_reserve(out, n + 1 + AEAD_TAG_SIZE);
	if (n > 0)
		memcpy(p, body, n);
	p[n] = (uint8_t)type;
	seqnonce(d, nonce);
	seal(d, nonce, out->data, 5, p, n + 1);
	out->len += n + 1 + AEAD_TAG_SIZE;
}

/* Feeds bytes as far as the engine takes them; 0 when all went in. */
static int
feed(struct tls_engine *t, const uint8_t *p, size_t n)
{
	uint8_t *b;
	size_t room;

	while (n > 0) {
		if ((b = tls_engine_recvrec_buf(t, &room)) == NULL)
			return -1;
		if (room > n)
			room = n;
		memcpy(b, p, room);
		tls_engine_recvrec_ack(t, room);
		p += room;
		n -= room;
	}
	return 0;
}

/* Takes what the engine has to send (appended to out when not NULL) and
 * the application data it received. */
static void
drain(struct tls_engine *t, struct buf *out)
{
	uint8_t *b;
	size_t n;

	while ((b = tls_engine_sendrec_buf(t, &n)) != NULL) {
		if (out != NULL)
			buf_append(out, b, n);
		tls_engine_sendrec_ack(t, n);
	}
	while ((b = tls_engine_recvapp_buf(t, &n)) != NULL)
		tls_engine_recvapp_ack(t, n);
}

/* FUZZHS_EXPECT set (tests/run.sh, over the unmutated seeds): the input
 * must have played its configuration through: handshake done, resumed
 * and with a HelloRetryRequest when it says so. A seed that no longer
 * does (the engines changed what they send) must be recorded again. */
static void
expect(const struct tls_engine *v, const uint8_t cfg[NCONF])
{
	unsigned mode = cfg[0] >> 1 & 3;
	const char *why = NULL;

	if (!tls_engine_handshake_done(v))
		why = "the handshake did not complete";
	else if ((cfg[0] & 0x80) && !tls_engine_resumed(v))
		why = "the handshake did not resume";
	else if ((cfg[1] & 3) == 2 && mode != 1 && mode != 2 &&
	    !(v->cfg->is_server ? v->hrr_sent : v->hrr_seen))
		why = "no HelloRetryRequest";
	if (why == NULL)
		return;
	fprintf(stderr, "fuzz-handshake: configuration %02x%02x: %s (%s); "
	    "record the seeds again (tests/fuzz/README.md)\n", cfg[0], cfg[1],
	    why, tls_engine_error(v) ? tls_engine_error(v)->msg : "no error");
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct tls_engine v;
	struct hsconf h;
	struct buf rec;
	size_t off, n;
	int type;

	if (len < NCONF || len > 256 * 1024)
		return 0;
	conf(&h, data);
	rand_fuzz_seed(data, NCONF);
	tls_engine_init(&v, h.victim_client ? &h.cli : &h.srv, NOW);
	drain(&v, NULL);
	buf_init(&rec);
	for (off = NCONF; off + 3 <= len; off += 3 + n) {
		type = data[off];
		n = (size_t)data[off + 1] << 8 | data[off + 2];
		if (n > len - off - 3)
			n = len - off - 3;
		if (n > TLS_MAX_PLAIN)
			n = TLS_MAX_PLAIN;
		protect(&v, type, data + off + 3, n, &rec);
		if (feed(&v, rec.data, rec.len) == -1)
			break;
		drain(&v, NULL);
		if (tls_engine_state(&v) & TLS_CLOSED)
			break;
	}
	if (getenv("FUZZHS_EXPECT") != NULL)
		expect(&v, data);
	tls_engine_eof(&v);
	tls_engine_clear(&v);
	buf_clear(&rec);
	return 0;
}

/* Recording the seeds. */

/* The plaintext of one complete record for the victim, opened with its
 * read keys as protect() would have sealed it; -1 when it does not open. */
static int
unprotect(const struct tls_engine *v, const uint8_t *r, size_t rlen,
    int *type, struct buf *pt)
{
	const struct tls_dir *d = &v->rd;
	uint8_t nonce[12], aad[13], *p;
	size_t n = rlen - 5, m, ex;

	pt->len = 0;
	if (!d->active || r[0] == CT_CCS) {
		*type = r[0];
		buf_append(pt, r + 5, n);
		return 0;
	}
	if (v->version == TLS_VERSION_12) {
		ex = d->su->aead == AEAD_CHACHA20_POLY1305 ? 0 : 8;
		if (n < ex + AEAD_TAG_SIZE)
			return -1;
		m = n - ex - AEAD_TAG_SIZE;
		aad12(d, r[0], m, aad);
		if (ex > 0) {
			memcpy(nonce, d->iv, 4);
			memcpy(nonce + 4, r + 5, 8);
		} else
			seqnonce(d, nonce);
		p = buf_reserve(pt, n);
		if (unseal(d, nonce, aad, 13, r + 5 + ex, n - ex, p) == -1)
			return -1;
		pt->len = m;
		*type = r[0];
		return 0;
	}
	if (n < AEAD_TAG_SIZE + 1)
		return -1;
	seqnonce(d, nonce);
	p = buf_reserve(pt, n);
	if (unseal(d, nonce, r, 5, r + 5, n, p) == -1)
		return -1;
	m = n - AEAD_TAG_SIZE;
	while (m > 0 && p[m - 1] == 0)
		m--;
	if (m == 0)
		return -1;
	*type = p[m - 1];
	pt->len = m - 1;
	return 0;
}

static int
play(struct tls_engine *v, struct tls_engine *peer,
    struct rand_fuzz_state *vs, struct rand_fuzz_state *ps, struct buf *seed)
{
	struct buf tov, top, pt;
	size_t off, rl;
	int round, type, sent = 0, rc = -1;
	uint8_t hdr[3], *b;

	buf_init(&tov);
	buf_init(&top);
	buf_init(&pt);
	for (round = 0; round < 64; round++) {
		rand_fuzz_set(vs);
		drain(v, &top);
		rand_fuzz_get(vs);
		rand_fuzz_set(ps);
		(void)feed(peer, top.data, top.len);
		top.len = 0;
		if (tls_engine_handshake_done(peer) && !sent) {
			/* a line of application data after the handshake */
			if ((b = tls_engine_sendapp_buf(peer, &rl)) != NULL &&
			    rl >= 8) {
				memcpy(b, "ECHO hi\n", 8);
				tls_engine_sendapp_ack(peer, 8);
				tls_engine_flush(peer);
				sent = 1;
			}
		}
		drain(peer, &tov);
		rand_fuzz_get(ps);
		/* Record by record, so that each is opened with the keys
		 * the victim has when it arrives. */
		rand_fuzz_set(vs);
		for (off = 0; off + 5 <= tov.len; off += rl) {
			rl = 5 + ((size_t)tov.data[off + 3] << 8 |
			    tov.data[off + 4]);
			if (rl > tov.len - off)
				break;
			if (seed != NULL) {
				if (unprotect(v, tov.data + off, rl, &type,
				    &pt) == -1)
					abort();
				hdr[0] = (uint8_t)type;
				hdr[1] = (uint8_t)(pt.len >> 8);
				hdr[2] = (uint8_t)pt.len;
				buf_append(seed, hdr, 3);
				buf_append(seed, pt.data, pt.len);
			}
			(void)feed(v, tov.data + off, rl);
			drain(v, &top);
		}
		rand_fuzz_get(vs);
		if (off < tov.len)
			memmove(tov.data, tov.data + off, tov.len - off);
		tov.len -= off;
		if (top.len == 0 && tov.len == 0 && sent)
			break;
	}
	if (tls_engine_handshake_done(v) && sent)
		rc = 0;
	buf_clear(&tov);
	buf_clear(&top);
	buf_clear(&pt);
	return rc;
}

/* One handshake of configuration cfg, the victim's input written to
 * dir/NAME. */
static void
record(const char *dir, const uint8_t cfg[NCONF])
{
	static const char *const aeads[4] = { "", "-aes256", "-chacha", "-any" };
	static const char *const groups[4] = { "", "-p256", "-hrr", "-groups" };
	static struct tls_engine v, peer;
	struct rand_fuzz_state vs, ps;
	struct buf seed;
	struct hsconf h;
	unsigned mode = cfg[0] >> 1 & 3;
	char path[4096];
	FILE *f;

	conf(&h, cfg);
	if ((cfg[0] & 0x80) && h.cli.resume == NULL) {
		fprintf(stderr, "fuzz-handshake: configuration %02x%02x: no "
		    "session to resume\n", cfg[0], cfg[1]);
		exit(1);
	}
	buf_init(&seed);
	buf_append(&seed, cfg, NCONF);
	rand_fuzz_seed(cfg, NCONF);
	tls_engine_init(&v, h.victim_client ? &h.cli : &h.srv, NOW);
	rand_fuzz_get(&vs);
	rand_fuzz_seed("peer", 4);
	tls_engine_init(&peer, h.victim_client ? &h.srv : &h.cli, NOW);
	rand_fuzz_get(&ps);
	if (play(&v, &peer, &vs, &ps, &seed) == -1 ||
	    ((cfg[0] & 0x80) && !tls_engine_resumed(&v)) ||
	    ((cfg[1] & 3) == 2 && mode != 1 && mode != 2 &&
	    !(h.victim_client ? v.hrr_seen : v.hrr_sent))) {
		fprintf(stderr, "fuzz-handshake: configuration %02x%02x did "
		    "not complete as meant: %s\n", cfg[0], cfg[1],
		    tls_engine_error(&v) ? tls_engine_error(&v)->msg :
		    tls_engine_error(&peer) ? tls_engine_error(&peer)->msg :
		    "no error");
		exit(1);
	}
	snprintf(path, sizeof path, "%s/%s-%s%s%s%s%s%s", dir,
	    h.victim_client ? "client" : "server",
	    mode == 1 ? "tls12-ecdhe" : mode == 2 ? "tls12-rsa" : "tls13",
	    aeads[cfg[0] >> 4 & 3], cfg[0] & 0x40 ? "-ecdsa" : "",
	    groups[cfg[1] & 3], cfg[0] & 0x80 ? "-resume" : "",
	    cfg[0] & 8 ? "-certs" : "");
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(seed.data, 1, seed.len, f) != seed.len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	tls_engine_clear(&v);
	tls_engine_clear(&peer);
	buf_clear(&seed);
}

/* FUZZHS_RECORD=DIR: writes the seeds before anything runs; each
 * configuration for both victims. */
static void record_seeds(void) __attribute__((constructor));

#define M13	0x00
#define M12E	0x02
#define M12R	0x04
#define CERTS	0x08
#define AES256	0x10
#define CHACHA	0x20
#define ECDSA	0x40
#define RESUME	0x80

static void
record_seeds(void)
{
	static const uint8_t list[][NCONF] = {
		{ M13, 0 }, { M13 | CERTS, 0 },
		{ M12E, 0 }, { M12E | CERTS, 0 },
		{ M12R, 0 }, { M12R | CERTS, 0 },
		{ M13 | AES256, 0 }, { M13 | CHACHA, 0 },
		{ M12E | AES256, 0 }, { M12E | CHACHA, 0 },
		{ M13 | ECDSA | CERTS, 0 }, { M12E | ECDSA | CERTS, 0 },
		{ M12E | ECDSA | AES256, 0 }, { M12E | ECDSA | CHACHA, 0 },
		{ M13, 1 }, { M12E, 1 }, { M13, 2 }, { M13 | CERTS, 2 },
		{ M13 | RESUME, 0 }, { M12E | RESUME, 0 },
		{ M12R | RESUME, 0 }, { M13 | CHACHA | RESUME, 2 },
	};
	const char *dir = getenv("FUZZHS_RECORD");
	uint8_t cfg[NCONF];
	size_t i;

	if (dir == NULL)
		return;
	for (i = 0; i < sizeof list / sizeof list[0]; i++) {
		cfg[0] = list[i][0];
		cfg[1] = list[i][1];
		record(dir, cfg);
		cfg[0] |= 1;
		record(dir, cfg);
	}
	exit(0);
}
