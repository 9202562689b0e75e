/* fuzz-handshake.c — whole TLS handshakes: one of our engines (the
 * victim, client or server) is fed the plaintext records of its peer from
 * the input, and the harness protects each one with the victim's own
 * current read keys (read from the engine: struct tls_dir) before handing
 * it over. So a mutation anywhere, past the key change too, reaches the
 * message handlers: EncryptedExtensions, Certificate (tls/peercert.c),
 * CertificateVerify, Finished, the TLS 1.2 key exchanges (the RSA one
 * through crypto/rsadec.c) and application data.
 *
 * The input: one byte of configuration, then records, each a content
 * type, a 16-bit length and that many plaintext bytes.
 *	bit 0	the victim: 0 the server, 1 the client
 *	bits 1-2	0 and 3 TLS 1.3; 1 TLS 1.2 ECDHE; 2 TLS 1.2 RSA
 *	bit 3	client certificates (the server requires one)
 * The victim's randomness is seeded from the configuration byte alone,
 * so its hellos are the same in every run and the recorded flights of
 * the seeds (signatures, Finished) stay valid until mutated.
 *
 * The seeds are recorded from real handshakes between our own client and
 * server, each on its own stream of the fuzzing generator:
 *	FUZZHS_RECORD=DIR tests/fuzz/fuzz-handshake-run any-file
 * writes one seed per configuration into DIR and exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/aead.h"
#include "crypto/rand.h"
#include "tls/tls.h"
#include "util/buf.h"
#include "x509/cert.h"

#include "fuzztls.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NOW 1700000000
#define CT_CCS 20

struct hsconf {
	struct tls_config srv, cli;
	int victim_client;
};

static void
conf(struct hsconf *h, unsigned cfgbyte)
{
	const struct rsakey *key;
	const struct cert_list *chain;
	unsigned mode = (cfgbyte >> 1) & 3;
	int certs = (cfgbyte >> 3) & 1;

	fuzztls_identity(&key, &chain);
	memset(h, 0, sizeof *h);
	h->victim_client = cfgbyte & 1;
	h->srv.is_server = 1;
	h->srv.chain = chain;
	h->srv.key = key;
	h->srv.anchors = chain;
	h->srv.client_auth = certs ? TLS_AUTH_REQUIRE : TLS_AUTH_NONE;
	h->cli.server_name = "fuzz";
	h->cli.anchors = chain;
	if (certs) {
		h->cli.chain = chain;
		h->cli.key = key;
	}
	if (mode == 1 || mode == 2) {
		h->srv.min_version = h->srv.max_version = TLS_VERSION_12;
		h->cli.min_version = h->cli.max_version = TLS_VERSION_12;
		h->srv.tls12_suite = h->cli.tls12_suite = mode == 1 ?
		    TLS_SUITE_ECDHE_RSA_AES128_GCM : TLS_SUITE_RSA_AES128_GCM;
	} else {
		h->srv.min_version = h->srv.max_version = TLS_VERSION_13;
		h->cli.min_version = h->cli.max_version = TLS_VERSION_13;
	}
}

/* The record the victim would read for plaintext (type, body[0..n)):
 * protected with its read keys once they are on, as its peer would. */
static void
protect(const struct tls_engine *v, int type, const uint8_t *body, size_t n,
    struct buf *out)
{
	const struct tls_dir *d = &v->rd;
	uint8_t hdr[5], nonce[12], aad[13], *p;
	size_t i;

	out->len = 0;
	if (!d->active || type == CT_CCS) {
		hdr[0] = (uint8_t)type;
		hdr[1] = 3;
		hdr[2] = 3;
		hdr[3] = (uint8_t)(n >> 8);
		hdr[4] = (uint8_t)n;
		buf_append(out, hdr, 5);
		buf_append(out, body, n);
		return;
	}
	if (v->version == TLS_VERSION_12) {
		/* explicit nonce = seq; aad = seq, type, version, length */
		for (i = 0; i < 8; i++)
			aad[i] = (uint8_t)(d->seq >> (56 - 8 * i));
		aad[8] = (uint8_t)type;
		aad[9] = 3;
		aad[10] = 3;
		aad[11] = (uint8_t)(n >> 8);
		aad[12] = (uint8_t)n;
		hdr[0] = (uint8_t)type;
		hdr[1] = 3;
		hdr[2] = 3;
		hdr[3] = (uint8_t)((8 + n + AEAD_TAG_SIZE) >> 8);
		hdr[4] = (uint8_t)(8 + n + AEAD_TAG_SIZE);
		buf_append(out, hdr, 5);
		buf_append(out, aad, 8);
		p = buf_reserve(out, n + AEAD_TAG_SIZE);
		memcpy(nonce, d->iv, 4);
		memcpy(nonce + 4, aad, 8);
		if (n > 0)
			memcpy(p, body, n);
		aead_seal(d->key, 16, nonce, aad, 13, p, n, p);
		out->len += n + AEAD_TAG_SIZE;
		return;
	}
	/* TLS 1.3: type 23, inner plaintext = body || type */
	hdr[0] = 23;
	hdr[1] = 3;
	hdr[2] = 3;
	hdr[3] = (uint8_t)((n + 1 + AEAD_TAG_SIZE) >> 8);
	hdr[4] = (uint8_t)(n + 1 + AEAD_TAG_SIZE);
	buf_append(out, hdr, 5);
	p = buf_reserve(out, n + 1 + AEAD_TAG_SIZE);
	if (n > 0)
		memcpy(p, body, n);
	p[n] = (uint8_t)type;
	memcpy(nonce, d->iv, 12);
	for (i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(d->seq >> (8 * i));
	aead_seal(d->key, 16, nonce, hdr, 5, p, n + 1, p);
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct tls_engine v;
	struct hsconf h;
	struct buf rec;
	size_t off, n;
	int type;

	if (len < 1 || len > 256 * 1024)
		return 0;
	conf(&h, data[0]);
	rand_fuzz_seed(data, 1);
	tls_engine_init(&v, h.victim_client ? &h.cli : &h.srv, NOW);
	drain(&v, NULL);
	buf_init(&rec);
	for (off = 1; off + 3 <= len; off += 3 + n) {
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
	size_t n = rlen - 5, m, i;

	pt->len = 0;
	if (!d->active || r[0] == CT_CCS) {
		*type = r[0];
		buf_append(pt, r + 5, n);
		return 0;
	}
	if (v->version == TLS_VERSION_12) {
		if (n < 8 + AEAD_TAG_SIZE)
			return -1;
		m = n - 8 - AEAD_TAG_SIZE;
		for (i = 0; i < 8; i++)
			aad[i] = (uint8_t)(d->seq >> (56 - 8 * i));
		aad[8] = r[0];
		aad[9] = 3;
		aad[10] = 3;
		aad[11] = (uint8_t)(m >> 8);
		aad[12] = (uint8_t)m;
		memcpy(nonce, d->iv, 4);
		memcpy(nonce + 4, r + 5, 8);
		p = buf_reserve(pt, n);
		if (aead_open(d->key, 16, nonce, aad, 13, r + 13, n - 8, p) == -1)
			return -1;
		pt->len = m;
		*type = r[0];
		return 0;
	}
	if (n < AEAD_TAG_SIZE + 1)
		return -1;
	memcpy(nonce, d->iv, 12);
	for (i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(d->seq >> (8 * i));
	p = buf_reserve(pt, n);
	if (aead_open(d->key, 16, nonce, r, 5, r + 5, n, p) == -1)
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

/* One handshake of configuration cfgbyte, the victim's input written to
 * dir/NAME. Each party runs on its own generator stream. */
static void
record(const char *dir, unsigned cfgbyte)
{
	static struct tls_engine v, peer;
	struct rand_fuzz_state vs, ps;
	struct buf tov, top, pt, seed;
	struct hsconf h;
	size_t off, rl;
	int round, type, sent = 0;
	uint8_t c = (uint8_t)cfgbyte, hdr[3], *b;
	char path[4096];
	FILE *f;

	conf(&h, cfgbyte);
	buf_init(&tov);
	buf_init(&top);
	buf_init(&pt);
	buf_init(&seed);
	buf_append(&seed, &c, 1);
	rand_fuzz_seed(&c, 1);
	tls_engine_init(&v, h.victim_client ? &h.cli : &h.srv, NOW);
	rand_fuzz_get(&vs);
	rand_fuzz_seed("peer", 4);
	tls_engine_init(&peer, h.victim_client ? &h.srv : &h.cli, NOW);
	rand_fuzz_get(&ps);
	for (round = 0; round < 64; round++) {
		rand_fuzz_set(&vs);
		drain(&v, &top);
		rand_fuzz_get(&vs);
		rand_fuzz_set(&ps);
		(void)feed(&peer, top.data, top.len);
		top.len = 0;
		if (tls_engine_handshake_done(&peer) && !sent) {
			/* a line of application data after the handshake */
			if ((b = tls_engine_sendapp_buf(&peer, &rl)) != NULL &&
			    rl >= 8) {
				memcpy(b, "ECHO hi\n", 8);
				tls_engine_sendapp_ack(&peer, 8);
				tls_engine_flush(&peer);
				sent = 1;
			}
		}
		drain(&peer, &tov);
		rand_fuzz_get(&ps);
		/* Record by record, so that each is opened with the keys
		 * the victim has when it arrives. */
		rand_fuzz_set(&vs);
		for (off = 0; off + 5 <= tov.len; off += rl) {
			rl = 5 + ((size_t)tov.data[off + 3] << 8 |
			    tov.data[off + 4]);
			if (rl > tov.len - off)
				break;
			if (unprotect(&v, tov.data + off, rl, &type, &pt) == -1)
				abort();
			hdr[0] = (uint8_t)type;
			hdr[1] = (uint8_t)(pt.len >> 8);
			hdr[2] = (uint8_t)pt.len;
			buf_append(&seed, hdr, 3);
			buf_append(&seed, pt.data, pt.len);
			(void)feed(&v, tov.data + off, rl);
			drain(&v, &top);
		}
		rand_fuzz_get(&vs);
		if (off < tov.len)
			memmove(tov.data, tov.data + off, tov.len - off);
		tov.len -= off;
		if (top.len == 0 && tov.len == 0 && sent)
			break;
	}
	if (!tls_engine_handshake_done(&v) || !sent) {
		fprintf(stderr, "fuzz-handshake: configuration %u did not "
		    "complete: %s\n", cfgbyte, tls_engine_error(&v) ?
		    tls_engine_error(&v)->msg : tls_engine_error(&peer) ?
		    tls_engine_error(&peer)->msg : "stalled");
		exit(1);
	}
	snprintf(path, sizeof path, "%s/%s-%s%s", dir,
	    h.victim_client ? "client" : "server",
	    (cfgbyte >> 1 & 3) == 1 ? "tls12-ecdhe" :
	    (cfgbyte >> 1 & 3) == 2 ? "tls12-rsa" : "tls13",
	    cfgbyte & 8 ? "-certs" : "");
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(seed.data, 1, seed.len, f) != seed.len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	tls_engine_clear(&v);
	tls_engine_clear(&peer);
	buf_clear(&tov);
	buf_clear(&top);
	buf_clear(&pt);
	buf_clear(&seed);
}

/* FUZZHS_RECORD=DIR: writes the seeds before anything runs. */
static void record_seeds(void) __attribute__((constructor));

static void
record_seeds(void)
{
	const char *dir = getenv("FUZZHS_RECORD");
	unsigned cfg;

	if (dir == NULL)
		return;
	for (cfg = 0; cfg < 16; cfg++)
		if ((cfg >> 1 & 3) != 3)
			record(dir, cfg);
	exit(0);
}
