/* tls12.c — the TLS 1.2 handshake (RFC 5246), client and server:
 * TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 over x25519 and
 * TLS_RSA_WITH_AES_128_GCM_SHA256, client certificates, the extended master
 * secret (RFC 7627, required) and the renegotiation indication (RFC 5746,
 * required; renegotiation itself is refused). */
#include <stdlib.h>
#include <string.h>

#include "crypto/rand.h"
#include "crypto/rsadec.h"
#include "crypto/x25519.h"
#include "tls/internal.h"

enum {
	C12_WAIT_CERT = 100,
	C12_WAIT_SKE,
	C12_WAIT_CR_SHD,
	C12_WAIT_SHD,
	C12_WAIT_CCS,
	C12_WAIT_FIN,
	S12_WAIT_CERT,
	S12_WAIT_CKE,
	S12_WAIT_CV,
	S12_WAIT_CCS,
	S12_WAIT_FIN,
	ST12_CONNECTED,
};

static void
ext_empty(struct buf *b, unsigned type)
{
	wr_u16(b, type);
	wr_u16(b, 0);
}

/* master_secret = PRF(pre_master_secret, "extended master secret",
 * session_hash) (RFC 7627 4); the session hash runs through
 * ClientKeyExchange. */
static void
tls12_master(struct tls_engine *t, const uint8_t *pm, size_t pmlen)
{
	uint8_t sh[32];

	hs_transcript_hash(t, sh);
	prf_sha256(pm, pmlen, "extended master secret", sh, 32, NULL, 0,
	    t->ms12, 48);
	keylog_secret(t, "CLIENT_RANDOM", t->ms12, 48);
	if (trace_on(t))
		trace_printf(t, "  key schedule: extended master secret = "
		    "PRF(premaster (%s), \"extended master secret\", session "
		    "hash)", t->suite == TLS_SUITE_RSA_AES128_GCM ?
		    "48 bytes RSA-encrypted by the client" :
		    "x25519 shared secret");
}

/* key_block = PRF(master, "key expansion", server_random + client_random):
 * client key, server key, client salt, server salt. */
static void
tls12_install(struct tls_engine *t, int write)
{
	uint8_t kb[40];
	int client_side = write != t->cfg->is_server;

	prf_sha256(t->ms12, 48, "key expansion", t->server_random, 32,
	    t->client_random, 32, kb, sizeof kb);
	if (client_side)
		record_set_keys12(write ? &t->wr : &t->rd, kb, kb + 32);
	else
		record_set_keys12(write ? &t->wr : &t->rd, kb + 16, kb + 36);
	explicit_bzero(kb, sizeof kb);
	if (trace_on(t))
		trace_printf(t, "  key schedule: key block = PRF(master, \"key "
		    "expansion\", randoms); %s AES-128-GCM %s keys active",
		    client_side ? "client" : "server", write ? "write" :
		    "read");
}

static void
tls12_finished(struct tls_engine *t, int client, uint8_t out[12])
{
	uint8_t th[32];

	hs_transcript_hash(t, th);
	prf_sha256(t->ms12, 48, client ? "client finished" :
	    "server finished", th, 32, NULL, 0, out, 12);
}

static void
tls12_send_ccs_finished(struct tls_engine *t)
{
	uint8_t v[12];

	record_send_ccs(t);
	if (trace_on(t))
		trace_printf(t, "> ChangeCipherSpec");
	tls12_install(t, 1);
	tls12_finished(t, !t->cfg->is_server, v);
	hs_send(t, HS_FINISHED, v, 12);
}

static int
tls12_check_finished(struct tls_engine *t, const uint8_t *body, size_t len)
{
	uint8_t v[12];

	tls12_finished(t, t->cfg->is_server, v);
	return hs_check_finished(t, v, sizeof v, body, len);
}

/* What ServerKeyExchange signs: client_random + server_random +
 * ServerECDHParams (params), hashed. */
static void
tls12_ske_digest(const struct tls_engine *t, const uint8_t *params,
    size_t len, uint8_t d[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, 32, t->client_random);
	sha256_update(&c, 32, t->server_random);
	sha256_update(&c, len, params);
	sha256_digest(&c, 32, d);
}

void
tls12_client_sh(struct tls_engine *t, const struct sh_info *sh,
    const uint8_t *msg, size_t msglen)
{
	if (sh->other_ext != 0) {
		engine_fail(t, TLS_ALERT_UNSUPPORTED_EXTENSION, "ServerHello "
		    "carries extension %u we did not offer", sh->other_ext);
		return;
	}
	if ((sh->suite != TLS_SUITE_ECDHE_RSA_AES128_GCM &&
	    sh->suite != TLS_SUITE_RSA_AES128_GCM) || sh->comp != 0 ||
	    (t->cfg->tls12_suite != 0 && sh->suite != t->cfg->tls12_suite)) {
		engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the server chose "
		    "cipher suite 0x%04x / compression %u, which we did not "
		    "offer", sh->suite, sh->comp);
		return;
	}
	if (sh->reneg != 0) {
		engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, sh->reneg < 0 ?
		    "the server does not signal secure renegotiation "
		    "(RFC 5746)" : "the server's renegotiation_info is not "
		    "empty on a first handshake");
		return;
	}
	if (!sh->ems) {
		engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "the server does "
		    "not use the extended master secret (RFC 7627); refused");
		return;
	}
	t->version = TLS_VERSION_12;
	t->suite = (uint16_t)sh->suite;
	explicit_bzero(t->x_priv, 32);	/* the 1.3 key share is unused */
	hs_transcript_add(t, msg, msglen);
	t->state = C12_WAIT_CERT;
}

static int
tls12_client_ske(struct tls_engine *t, const uint8_t *body, size_t len)
{
	struct rd r, pt;
	unsigned ctype, group;
	uint8_t d[32];

	rd_init(&r, body, len);
	ctype = rd_u8(&r);
	group = rd_u16(&r);
	rd_vec(&r, 1, &pt);
	if (r.bad)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "ServerKeyExchange: lengths do not add up");
	if (ctype != 3 || group != GROUP_X25519 || pt.len != 32)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
		    "ServerKeyExchange: not an x25519 named curve (type %u, "
		    "group 0x%04x, %zu bytes)", ctype, group, pt.len);
	memcpy(t->peer_share, pt.p, 32);
	tls12_ske_digest(t, body, r.pos, d);
	return peercert_verify(t, &r, d, 1, "ServerKeyExchange");
}

static int
tls12_client_cr(struct tls_engine *t, const uint8_t *body, size_t len)
{
	struct rd r, types, algs, cas;
	int pss = 0, pkcs1 = 0;

	rd_init(&r, body, len);
	rd_vec(&r, 1, &types);
	rd_vec(&r, 2, &algs);
	rd_vec(&r, 2, &cas);
	if (!rd_done(&r))
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "CertificateRequest: lengths do not add up");
	peercert_schemes(&algs, &pss, &pkcs1);
	t->cert_requested = 1;
	t->cv_scheme = pss ? SIG_RSA_PSS_RSAE_SHA256 : pkcs1 ?
	    SIG_RSA_PKCS1_SHA256 : 0;
	return 0;
}

/* After ServerHelloDone: [Certificate] ClientKeyExchange
 * [CertificateVerify] ChangeCipherSpec Finished. */
static int
tls12_client_flight(struct tls_engine *t)
{
	struct buf b;
	uint8_t pm[48], pub[32], priv[32], th[32];
	struct err e;
	size_t m;
	int have = peercert_ours(t) && t->cv_scheme != 0;
	size_t pmlen;
	int rc = -1;

	buf_init(&b);
	if (t->cert_requested)
		peercert_send(t, 0, NULL, 0, !have);
	if (t->suite == TLS_SUITE_ECDHE_RSA_AES128_GCM) {
		x25519_keygen(priv, pub);
		if (x25519_shared(priv, t->peer_share, pm, &e) == -1) {
			engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "%s", e.msg);
			goto out;
		}
		pmlen = 32;
		wr_u8(&b, 32);
		buf_append(&b, pub, 32);
	} else {
		/* PreMasterSecret: client_version (the one we offered) and
		 * 46 random bytes, encrypted to the server's key. */
		const struct rsa_public_key *k = &t->peer_chain.v[0].key.pub;

		pm[0] = 3;
		pm[1] = 3;
		rand_bytes(pm + 2, 46);
		pmlen = 48;
		m = wr_begin(&b, 2);
		if (rsadec_encrypt(k, pm, 48, buf_reserve(&b, k->size), &e)
		    == -1) {
			engine_fail(t, TLS_ALERT_INTERNAL_ERROR, "%s", e.msg);
			goto out;
		}
		b.len += k->size;
		wr_end(&b, m, 2);
	}
	hs_send(t, HS_CLIENT_KEY_EXCHANGE, b.data, b.len);
	tls12_master(t, pm, pmlen);
	if (t->cert_requested && have) {
		b.len = 0;
		hs_transcript_hash(t, th);
		if (peercert_sign(t, t->cv_scheme, th, "CertificateVerify",
		    &b) == -1)
			goto out;
		hs_send(t, HS_CERTIFICATE_VERIFY, b.data, b.len);
	}
	tls12_send_ccs_finished(t);
	t->state = C12_WAIT_CCS;
	rc = 0;
out:
	explicit_bzero(pm, sizeof pm);
	explicit_bzero(priv, sizeof priv);
	buf_clear(&b);
	return rc;
}

static void
tls12_client(struct tls_engine *t, int type, const uint8_t *body, size_t len,
    const uint8_t *msg, size_t msglen)
{
	const struct cert *leaf;

	switch (t->state) {
	case C12_WAIT_CERT:
		if (type != HS_CERTIFICATE)
			break;
		if (peercert_read(t, 0, body, len) == -1)
			return;
		leaf = &t->peer_chain.v[0];
		if (t->suite == TLS_SUITE_RSA_AES128_GCM && leaf->ext.has_ku &&
		    !(leaf->ext.ku & KU_KEY_ENCIPHERMENT)) {
			engine_fail(t, TLS_ALERT_UNSUPPORTED_CERTIFICATE, "the "
			    "server certificate's keyUsage lacks keyEncipherment, "
			    "needed for RSA key exchange");
			return;
		}
		hs_transcript_add(t, msg, msglen);
		t->state = t->suite == TLS_SUITE_ECDHE_RSA_AES128_GCM ?
		    C12_WAIT_SKE : C12_WAIT_CR_SHD;
		return;
	case C12_WAIT_SKE:
		if (type != HS_SERVER_KEY_EXCHANGE)
			break;
		if (tls12_client_ske(t, body, len) == 0) {
			hs_transcript_add(t, msg, msglen);
			t->state = C12_WAIT_CR_SHD;
		}
		return;
	case C12_WAIT_CR_SHD:
		if (type == HS_CERTIFICATE_REQUEST) {
			if (tls12_client_cr(t, body, len) == 0) {
				hs_transcript_add(t, msg, msglen);
				t->state = C12_WAIT_SHD;
			}
			return;
		}
		/* FALLTHROUGH */
	case C12_WAIT_SHD:
		if (type != HS_SERVER_HELLO_DONE)
			break;
		if (len != 0) {
			engine_fail(t, TLS_ALERT_DECODE_ERROR, "ServerHelloDone "
			    "is not empty");
			return;
		}
		hs_transcript_add(t, msg, msglen);
		tls12_client_flight(t);
		return;
	case C12_WAIT_FIN:
		if (type != HS_FINISHED)
			break;
		if (tls12_check_finished(t, body, len) == -1)
			return;
		t->state = ST12_CONNECTED;
		t->done = 1;
		if (trace_on(t))
			trace_printf(t, "  handshake complete (TLS 1.2)");
		return;
	}
	engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected %s message "
	    "in the TLS 1.2 handshake", trace_hs_name(type));
}

void
tls12_server_ch(struct tls_engine *t, const struct ch_offer *o,
    const uint8_t *msg, size_t msglen)
{
	unsigned want = t->cfg->tls12_suite, scheme;
	struct buf b;
	uint8_t d[32];
	size_t m, x, i;
	const struct cert_list *a = t->cfg->anchors;

	if (o->sc02f && o->group && (want == 0 ||
	    want == TLS_SUITE_ECDHE_RSA_AES128_GCM))
		t->suite = TLS_SUITE_ECDHE_RSA_AES128_GCM;
	else if (o->s009c && (want == 0 || want == TLS_SUITE_RSA_AES128_GCM))
		t->suite = TLS_SUITE_RSA_AES128_GCM;
	else {
		engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "no common TLS 1.2 "
		    "cipher suite: we accept %s", want ==
		    TLS_SUITE_RSA_AES128_GCM ? "TLS_RSA_WITH_AES_128_GCM_SHA256" :
		    want != 0 ? "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (x25519)" :
		    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (x25519) and "
		    "TLS_RSA_WITH_AES_128_GCM_SHA256");
		return;
	}
	if (o->reneg != 0 && !(o->reneg < 0 && o->scsv)) {
		engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, o->reneg > 0 ?
		    "the client's renegotiation_info is not empty" :
		    "the client does not signal secure renegotiation "
		    "(RFC 5746)");
		return;
	}
	if (!o->ems) {
		engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "the client does not "
		    "offer the extended master secret (RFC 7627)");
		return;
	}
	scheme = o->pss ? SIG_RSA_PSS_RSAE_SHA256 : o->pkcs1 ?
	    SIG_RSA_PKCS1_SHA256 : 0;
	if (scheme == 0 && t->suite == TLS_SUITE_ECDHE_RSA_AES128_GCM) {
		engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "the client accepts "
		    "neither rsa_pss_rsae_sha256 nor rsa_pkcs1_sha256");
		return;
	}
	t->version = TLS_VERSION_12;
	hs_transcript_add(t, msg, msglen);

	rand_bytes(t->server_random, 32);
	if (engine_max_version(t) >= TLS_VERSION_13)
		memcpy(t->server_random + 24, hello_downgrade12, 8);
	buf_init(&b);
	wr_u16(&b, 0x0303);
	buf_append(&b, t->server_random, 32);
	wr_u8(&b, 0);		/* no session id: no resumption */
	wr_u16(&b, t->suite);
	wr_u8(&b, 0);
	m = wr_begin(&b, 2);
	wr_u16(&b, EXT_RENEGOTIATION_INFO);
	wr_u16(&b, 1);
	wr_u8(&b, 0);
	ext_empty(&b, EXT_EXTENDED_MASTER_SECRET);
	if (t->suite == TLS_SUITE_ECDHE_RSA_AES128_GCM) {
		wr_u16(&b, EXT_EC_POINT_FORMATS);
		wr_u16(&b, 2);
		wr_u8(&b, 1);
		wr_u8(&b, 0);
	}
	wr_end(&b, m, 2);
	hs_send(t, HS_SERVER_HELLO, b.data, b.len);
	peercert_send(t, 0, NULL, 0, 0);
	if (t->suite == TLS_SUITE_ECDHE_RSA_AES128_GCM) {
		x25519_keygen(t->x_priv, t->x_pub);
		b.len = 0;
		wr_u8(&b, 3);	/* named_curve */
		wr_u16(&b, GROUP_X25519);
		wr_u8(&b, 32);
		buf_append(&b, t->x_pub, 32);
		tls12_ske_digest(t, b.data, b.len, d);
		if (peercert_sign(t, scheme, d, "ServerKeyExchange", &b) == -1)
			goto out;
		hs_send(t, HS_SERVER_KEY_EXCHANGE, b.data, b.len);
	}
	if (t->cfg->client_auth != TLS_AUTH_NONE) {
		b.len = 0;
		wr_u8(&b, 1);
		wr_u8(&b, 1);	/* rsa_sign */
		wr_u16(&b, 4);
		wr_u16(&b, SIG_RSA_PSS_RSAE_SHA256);
		wr_u16(&b, SIG_RSA_PKCS1_SHA256);
		/* certificate_authorities: our anchors' names */
		m = wr_begin(&b, 2);
		for (i = 0; a != NULL && i < a->n && b.len < 16384; i++) {
			x = wr_begin(&b, 2);
			buf_append(&b, a->v[i].subject.der,
			    a->v[i].subject.derlen);
			wr_end(&b, x, 2);
		}
		wr_end(&b, m, 2);
		hs_send(t, HS_CERTIFICATE_REQUEST, b.data, b.len);
	}
	hs_send(t, HS_SERVER_HELLO_DONE, NULL, 0);
	t->state = t->cfg->client_auth != TLS_AUTH_NONE ? S12_WAIT_CERT :
	    S12_WAIT_CKE;
out:
	buf_clear(&b);
}

/* ClientKeyExchange. For RSA, RFC 5246 7.4.7.1: whatever goes wrong with
 * the decryption or the version bytes, go on with a random premaster
 * secret, choosing without a branch, so the failure shows only as a
 * Finished mismatch. */
static int
tls12_server_cke(struct tls_engine *t, const uint8_t *body, size_t len)
{
	struct rd r, v;
	uint8_t pm[48], alt[48], mask;
	struct err e;
	size_t i, pmlen;
	unsigned good;

	rd_init(&r, body, len);
	if (t->suite == TLS_SUITE_ECDHE_RSA_AES128_GCM) {
		rd_vec(&r, 1, &v);
		if (!rd_done(&r) || v.len != 32)
			return engine_fail(t, TLS_ALERT_DECODE_ERROR,
			    "ClientKeyExchange: not a 32-byte x25519 value");
		if (x25519_shared(t->x_priv, v.p, pm, &e) == -1)
			return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "%s",
			    e.msg);
		explicit_bzero(t->x_priv, 32);
		pmlen = 32;
	} else {
		rd_vec(&r, 2, &v);
		if (!rd_done(&r))
			return engine_fail(t, TLS_ALERT_DECODE_ERROR,
			    "ClientKeyExchange: lengths do not add up");
		rand_bytes(alt, sizeof alt);
		good = (unsigned)rsadec_decrypt(t->cfg->key, v.p, v.len, pm, 48);
		good &= (unsigned)(pm[0] == (t->ch_version >> 8)) &
		    (unsigned)(pm[1] == (t->ch_version & 0xff));
		mask = (uint8_t)(0 - (good & 1));	/* 0xff when good */
		for (i = 0; i < 48; i++)
			pm[i] = (uint8_t)((pm[i] & mask) | (alt[i] & ~mask));
		explicit_bzero(alt, sizeof alt);
		pmlen = 48;
	}
	tls12_master(t, pm, pmlen);
	explicit_bzero(pm, sizeof pm);
	return 0;
}

static void
tls12_server(struct tls_engine *t, int type, const uint8_t *body, size_t len,
    const uint8_t *msg, size_t msglen)
{
	uint8_t th[32];
	struct rd r;

	switch (t->state) {
	case S12_WAIT_CERT:
		if (type != HS_CERTIFICATE)
			break;
		if (peercert_read(t, 0, body, len) == -1)
			return;
		hs_transcript_add(t, msg, msglen);
		t->state = S12_WAIT_CKE;
		return;
	case S12_WAIT_CKE:
		if (type != HS_CLIENT_KEY_EXCHANGE)
			break;
		hs_transcript_add(t, msg, msglen);
		if (tls12_server_cke(t, body, len) == -1)
			return;
		t->state = t->peer_chain.n > 0 ? S12_WAIT_CV : S12_WAIT_CCS;
		return;
	case S12_WAIT_CV:
		if (type != HS_CERTIFICATE_VERIFY)
			break;
		hs_transcript_hash(t, th);
		rd_init(&r, body, len);
		if (peercert_verify(t, &r, th, 1, "CertificateVerify") == -1)
			return;
		hs_transcript_add(t, msg, msglen);
		t->state = S12_WAIT_CCS;
		return;
	case S12_WAIT_FIN:
		if (type != HS_FINISHED)
			break;
		if (tls12_check_finished(t, body, len) == -1)
			return;
		hs_transcript_add(t, msg, msglen);
		tls12_send_ccs_finished(t);
		t->state = ST12_CONNECTED;
		t->done = 1;
		if (trace_on(t))
			trace_printf(t, "  handshake complete (TLS 1.2)");
		return;
	}
	engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected %s message "
	    "in the TLS 1.2 handshake", trace_hs_name(type));
}

void
tls12_ccs(struct tls_engine *t, const uint8_t *body, size_t n)
{
	int want = t->cfg->is_server ? S12_WAIT_CCS : C12_WAIT_CCS;

	if (n != 1 || body[0] != 1 || t->state != want) {
		engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected "
		    "ChangeCipherSpec");
		return;
	}
	if (trace_on(t))
		trace_printf(t, "< ChangeCipherSpec");
	tls12_install(t, 0);
	t->state = t->cfg->is_server ? S12_WAIT_FIN : C12_WAIT_FIN;
}

void
tls12_handle(struct tls_engine *t, int type, const uint8_t *body, size_t len,
    const uint8_t *msg, size_t msglen)
{
	static const uint8_t norenego[2] = { 1, 100 };

	if (!t->done) {
		if (t->cfg->is_server)
			tls12_server(t, type, body, len, msg, msglen);
		else
			tls12_client(t, type, body, len, msg, msglen);
		return;
	}
	/* No renegotiation (RFC 5746 allows refusing it). */
	if (type == 0 && !t->cfg->is_server && len == 0) {
		record_send(t, CT_ALERT, norenego, 2);
		return;
	}
	engine_fail(t, type == HS_CLIENT_HELLO ? 100 :
	    TLS_ALERT_UNEXPECTED_MESSAGE, type == HS_CLIENT_HELLO ?
	    "the client asks for renegotiation, which we do not do" :
	    "unexpected %s message after the handshake", trace_hs_name(type));
}
