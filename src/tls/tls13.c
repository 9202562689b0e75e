/* tls13.c — the TLS 1.3 handshake (RFC 8446), client and server:
 * TLS_AES_128_GCM_SHA256, x25519, rsa_pss_rsae_sha256, optional client
 * certificates; post-handshake NewSessionTicket (ignored) and KeyUpdate. */
#include <stdlib.h>
#include <string.h>

#include "crypto/rand.h"
#include "crypto/x25519.h"
#include "tls/internal.h"
#include "util/xalloc.h"

enum {
	ST_START = 0,
	C_WAIT_SH,
	C_WAIT_EE,
	C_WAIT_CERT_CR,
	C_WAIT_CERT,
	C_WAIT_CV,
	C_WAIT_FIN,
	S_WAIT_CH,
	S_WAIT_CERT,
	S_WAIT_CV,
	S_WAIT_FIN,
	ST_CONNECTED,
};

static void
tls13_keylog_hs(struct tls_engine *t)
{
	keylog_secret(t, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", t->c_hs, 32);
	keylog_secret(t, "SERVER_HANDSHAKE_TRAFFIC_SECRET", t->s_hs, 32);
}

/* From the ECDHE secret and the transcript through ServerHello. */
static void
tls13_handshake_keys(struct tls_engine *t, const uint8_t shared[32])
{
	uint8_t th[32];

	keysched_handshake_secret(shared, 32, t->hs_secret);
	hs_transcript_hash(t, th);
	keysched_derive(t->hs_secret, "c hs traffic", th, t->c_hs);
	keysched_derive(t->hs_secret, "s hs traffic", th, t->s_hs);
	tls13_keylog_hs(t);
	if (trace_on(t)) {
		trace_printf(t, "  key schedule: early secret (no PSK) -> "
		    "handshake secret = HKDF-Extract(derived, x25519 shared "
		    "secret)");
		trace_printf(t, "  key schedule: client and server handshake "
		    "traffic secrets from the transcript hash through "
		    "ServerHello; AES-128-GCM handshake keys installed");
	}
}

/* From the transcript through the server's Finished. */
static void
tls13_app_secrets(struct tls_engine *t)
{
	uint8_t th[32];

	keysched_master_secret(t->hs_secret, t->master_secret);
	hs_transcript_hash(t, th);
	keysched_derive(t->master_secret, "c ap traffic", th, t->c_ap);
	keysched_derive(t->master_secret, "s ap traffic", th, t->s_ap);
	keylog_secret(t, "CLIENT_TRAFFIC_SECRET_0", t->c_ap, 32);
	keylog_secret(t, "SERVER_TRAFFIC_SECRET_0", t->s_ap, 32);
	if (trace_on(t))
		trace_printf(t, "  key schedule: master secret -> client and "
		    "server application traffic secrets (transcript through "
		    "server Finished)");
}

/* The content a CertificateVerify signs (RFC 8446 4.4.3), hashed. */
static void
tls13_cv_digest(const struct tls_engine *t, int server, uint8_t out[32])
{
	static const char sctx[] = "TLS 1.3, server CertificateVerify";
	static const char cctx[] = "TLS 1.3, client CertificateVerify";
	uint8_t m[64 + sizeof sctx + 32];

	memset(m, 0x20, 64);
	memcpy(m + 64, server ? sctx : cctx, sizeof sctx);	/* with NUL */
	hs_transcript_hash(t, m + 64 + sizeof sctx);
	hash_sha256(m, sizeof m, out);
}

static int
tls13_send_cv(struct tls_engine *t, int server)
{
	struct buf b;
	uint8_t d[32];
	int rc;

	tls13_cv_digest(t, server, d);
	buf_init(&b);
	rc = peercert_sign(t, SIG_RSA_PSS_RSAE_SHA256, d, "CertificateVerify",
	    &b);
	if (rc == 0)
		hs_send(t, HS_CERTIFICATE_VERIFY, b.data, b.len);
	buf_clear(&b);
	return rc;
}

static void
tls13_send_finished(struct tls_engine *t, const uint8_t base[32])
{
	uint8_t th[32], v[32];

	hs_transcript_hash(t, th);
	keysched_finished(base, th, v);
	hs_send(t, HS_FINISHED, v, 32);
	explicit_bzero(v, sizeof v);
}

static int
tls13_check_finished(struct tls_engine *t, const uint8_t base[32],
    const uint8_t *body, size_t len)
{
	uint8_t th[32], v[32];

	hs_transcript_hash(t, th);
	keysched_finished(base, th, v);
	return hs_check_finished(t, v, sizeof v, body, len);
}

static int
tls13_read_cv(struct tls_engine *t, const uint8_t *body, size_t len,
    int server)
{
	struct rd r;
	uint8_t d[32];

	tls13_cv_digest(t, server, d);
	rd_init(&r, body, len);
	return peercert_verify(t, &r, d, 0, "CertificateVerify");
}

void
tls13_client_start(struct tls_engine *t)
{
	hello_client(t);
	t->state = C_WAIT_SH;
}

static int
tls13_client_hrr(struct tls_engine *t, struct rd *exts)
{
	struct rd e;
	unsigned type, group = 0;

	while (rd_left(exts) > 0) {
		type = rd_u16(exts);
		rd_vec(exts, 2, &e);
		if (type == EXT_KEY_SHARE)
			group = rd_u16(&e);
	}
	if (group == GROUP_X25519)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
		    "HelloRetryRequest asks for x25519, which we already sent");
	return engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "the server asks "
	    "(HelloRetryRequest) for key share group 0x%04x; we support only "
	    "x25519", group);
}

static int
tls13_client_sh(struct tls_engine *t, const uint8_t *body, size_t len,
    const uint8_t *msg, size_t msglen)
{
	struct sh_info sh;
	struct rd exts;
	uint8_t shared[32];
	struct err er;
	unsigned ver;

	if (hello_parse_sh(t, body, len, &sh, &exts) == -1)
		return -1;
	if (memcmp(sh.random, hello_hrr_random, 32) == 0)
		return tls13_client_hrr(t, &exts);
	memcpy(t->server_random, sh.random, 32);
	ver = sh.sv != 0 ? sh.sv : sh.legacy_version;
	if (ver < engine_min_version(t) || ver > engine_max_version(t) ||
	    (ver != TLS_VERSION_13 && ver != TLS_VERSION_12) ||
	    (sh.sv != 0 && ver != TLS_VERSION_13))
		return engine_fail(t, TLS_ALERT_PROTOCOL_VERSION, "the server "
		    "chose version 0x%04x; we accept %s", ver,
		    engine_min_version(t) == engine_max_version(t) ?
		    tls_version_name(engine_min_version(t)) :
		    "TLS 1.2 and TLS 1.3");
	if (ver == TLS_VERSION_12) {
		/* RFC 8446 4.1.3: a 1.3 server pushed down to 1.2 says so. */
		if (t->offered13 &&
		    memcmp(sh.random + 24, hello_downgrade12, 8) == 0)
			return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
			    "downgrade to TLS 1.2 detected (the server's random "
			    "carries the TLS 1.3 downgrade sentinel)");
		tls12_client_sh(t, &sh, msg, msglen);
		return t->failed ? -1 : 0;
	}
	if (sh.other_ext != 0 || sh.ems || sh.reneg != -1 || sh.ecpf)
		return engine_fail(t, TLS_ALERT_UNSUPPORTED_EXTENSION,
		    "ServerHello carries an extension not allowed in TLS 1.3");
	if (sh.legacy_version != 0x0303)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "ServerHello "
		    "legacy_version 0x%04x (want 0x0303)", sh.legacy_version);
	if (sh.sid.len != t->session_id_len ||
	    memcmp(sh.sid.p, t->session_id, sh.sid.len) != 0)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "ServerHello "
		    "does not echo our session id");
	if (sh.suite != SUITE_TLS_AES_128_GCM_SHA256 || sh.comp != 0)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the server "
		    "chose cipher suite 0x%04x / compression %u, which we did "
		    "not offer", sh.suite, sh.comp);
	if (sh.group != GROUP_X25519 || sh.share == NULL)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "ServerHello "
		    "key share is not a 32-byte x25519 value (group 0x%04x)",
		    sh.group);
	t->version = TLS_VERSION_13;
	t->suite = SUITE_TLS_AES_128_GCM_SHA256;
	if (x25519_shared(t->x_priv, sh.share, shared, &er) == -1)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "%s", er.msg);
	explicit_bzero(t->x_priv, 32);
	hs_transcript_add(t, msg, msglen);
	tls13_handshake_keys(t, shared);
	explicit_bzero(shared, sizeof shared);
	record_set_keys13(&t->rd, t->s_hs);
	/* Our alerts from here on are protected, as RFC 8446 5 wants. */
	record_set_keys13(&t->wr, t->c_hs);
	t->key_changed = 1;
	t->state = C_WAIT_EE;
	return 0;
}

static int
tls13_client_cr(struct tls_engine *t, const uint8_t *body, size_t len)
{
	struct rd r, ctx, exts, e, algs;
	unsigned type;
	int pss = 0, pkcs1 = 0;	/* pkcs1: not for TLS 1.3 signatures */

	rd_init(&r, body, len);
	rd_vec(&r, 1, &ctx);
	rd_vec(&r, 2, &exts);
	if (!rd_done(&r))
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "CertificateRequest: lengths do not add up");
	while (rd_left(&exts) > 0) {
		type = rd_u16(&exts);
		rd_vec(&exts, 2, &e);
		if (type != EXT_SIGNATURE_ALGORITHMS)
			continue;
		rd_vec(&e, 2, &algs);
		peercert_schemes(&algs, &pss, &pkcs1);
	}
	if (exts.bad)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "CertificateRequest: bad extension list");
	if (!pss && t->cfg->chain != NULL)
		return engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "the server "
		    "does not accept rsa_pss_rsae_sha256 client signatures");
	t->cert_requested = 1;
	free(t->cr_context);
	t->cr_context = xmalloc(ctx.len + 1);
	memcpy(t->cr_context, ctx.p, ctx.len);
	t->cr_context_len = ctx.len;
	return 0;
}

static int
tls13_client_finished(struct tls_engine *t)
{
	tls13_app_secrets(t);
	record_send_ccs(t);
	if (t->cert_requested) {
		peercert_send(t, 1, t->cr_context, t->cr_context_len, 0);
		if (peercert_ours(t) && tls13_send_cv(t, 0) == -1)
			return -1;
	}
	tls13_send_finished(t, t->c_hs);
	record_set_keys13(&t->rd, t->s_ap);
	record_set_keys13(&t->wr, t->c_ap);
	t->key_changed = 1;
	if (trace_on(t))
		trace_printf(t, "  key schedule: application traffic keys "
		    "installed; handshake complete");
	return 0;
}

static void
tls13_client(struct tls_engine *t, int type, const uint8_t *body, size_t len,
    const uint8_t *msg, size_t msglen)
{
	switch (t->state) {
	case C_WAIT_SH:
		if (type != HS_SERVER_HELLO)
			break;
		tls13_client_sh(t, body, len, msg, msglen);
		return;
	case C_WAIT_EE:
		if (type != HS_ENCRYPTED_EXTENSIONS)
			break;
		{
			struct rd r, exts;

			rd_init(&r, body, len);
			rd_vec(&r, 2, &exts);
			if (!rd_done(&r)) {
				engine_fail(t, TLS_ALERT_DECODE_ERROR,
				    "EncryptedExtensions: bad length");
				return;
			}
		}
		hs_transcript_add(t, msg, msglen);
		t->state = C_WAIT_CERT_CR;
		return;
	case C_WAIT_CERT_CR:
		if (type == HS_CERTIFICATE_REQUEST) {
			if (tls13_client_cr(t, body, len) == 0) {
				hs_transcript_add(t, msg, msglen);
				t->state = C_WAIT_CERT;
			}
			return;
		}
		/* FALLTHROUGH */
	case C_WAIT_CERT:
		if (type != HS_CERTIFICATE)
			break;
		if (peercert_read(t, 1, body, len) == -1)
			return;
		hs_transcript_add(t, msg, msglen);
		t->state = C_WAIT_CV;
		return;
	case C_WAIT_CV:
		if (type != HS_CERTIFICATE_VERIFY)
			break;
		if (tls13_read_cv(t, body, len, 1) == 0) {
			hs_transcript_add(t, msg, msglen);
			t->state = C_WAIT_FIN;
		}
		return;
	case C_WAIT_FIN:
		if (type != HS_FINISHED)
			break;
		if (tls13_check_finished(t, t->s_hs, body, len) == -1)
			return;
		hs_transcript_add(t, msg, msglen);
		if (tls13_client_finished(t) == 0) {
			t->state = ST_CONNECTED;
			t->done = 1;
		}
		return;
	}
	engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected %s message "
	    "in the handshake", trace_hs_name(type));
}

/* ServerHello in b, or with share NULL a HelloRetryRequest (whose
 * key_share names only the group): random, the client's session id echoed,
 * TLS_AES_128_GCM_SHA256, supported_versions TLS 1.3, x25519. */
static void
tls13_send_sh(struct tls_engine *t, struct buf *b, const uint8_t random[32],
    const uint8_t *share)
{
	size_t m, x;

	b->len = 0;
	wr_u16(b, 0x0303);
	buf_append(b, random, 32);
	wr_u8(b, (unsigned)t->session_id_len);
	buf_append(b, t->session_id, t->session_id_len);
	wr_u16(b, SUITE_TLS_AES_128_GCM_SHA256);
	wr_u8(b, 0);
	m = wr_begin(b, 2);
	hello_ext_begin(b, EXT_SUPPORTED_VERSIONS, &x);
	wr_u16(b, TLS_VERSION_13);
	wr_end(b, x, 2);
	hello_ext_begin(b, EXT_KEY_SHARE, &x);
	wr_u16(b, GROUP_X25519);
	if (share != NULL) {
		wr_u16(b, 32);
		buf_append(b, share, 32);
	}
	wr_end(b, x, 2);
	wr_end(b, m, 2);
	hs_send(t, HS_SERVER_HELLO, b->data, b->len);
}

/* Middlebox compatibility (RFC 8446 D.4): after its first handshake
 * message, a server answering a client that sent a session id sends one
 * ChangeCipherSpec. */
static void
tls13_server_ccs(struct tls_engine *t)
{
	if (t->session_id_len > 0 && !t->ccs_sent) {
		record_send_ccs(t);
		t->ccs_sent = 1;
	}
}

static void
tls13_server_flight(struct tls_engine *t, const uint8_t shared[32])
{
	struct buf b;
	size_t m, x, y;

	rand_bytes(t->server_random, 32);
	buf_init(&b);
	tls13_send_sh(t, &b, t->server_random, t->x_pub);
	tls13_handshake_keys(t, shared);
	tls13_server_ccs(t);
	record_set_keys13(&t->wr, t->s_hs);
	record_set_keys13(&t->rd, t->c_hs);
	t->key_changed = 1;

	b.len = 0;
	wr_u16(&b, 0);
	hs_send(t, HS_ENCRYPTED_EXTENSIONS, b.data, b.len);
	if (t->cfg->client_auth != TLS_AUTH_NONE) {
		b.len = 0;
		wr_u8(&b, 0);	/* empty certificate_request_context */
		m = wr_begin(&b, 2);
		hello_ext_begin(&b, EXT_SIGNATURE_ALGORITHMS, &x);
		y = wr_begin(&b, 2);
		wr_u16(&b, SIG_RSA_PSS_RSAE_SHA256);
		wr_end(&b, y, 2);
		wr_end(&b, x, 2);
		wr_end(&b, m, 2);
		hs_send(t, HS_CERTIFICATE_REQUEST, b.data, b.len);
	}
	buf_clear(&b);
	peercert_send(t, 1, NULL, 0, 0);
	if (tls13_send_cv(t, 1) == -1)
		return;
	tls13_send_finished(t, t->s_hs);
	tls13_app_secrets(t);
	record_set_keys13(&t->wr, t->s_ap);
	t->state = t->cfg->client_auth != TLS_AUTH_NONE ? S_WAIT_CERT :
	    S_WAIT_FIN;
}

/* HelloRetryRequest (RFC 8446 4.1.4): the client supports x25519 but sent
 * no share for it. The transcript restarts with message_hash(CH1). */
static int
tls13_server_hrr(struct tls_engine *t, const uint8_t *sid, size_t sidlen,
    const uint8_t *msg, size_t msglen)
{
	uint8_t mh[4 + 32];
	struct buf b;

	mh[0] = HS_MESSAGE_HASH;
	mh[1] = mh[2] = 0;
	mh[3] = 32;
	hash_sha256(msg, msglen, mh + 4);
	sha256_init(&t->transcript);
	hs_transcript_add(t, mh, sizeof mh);
	memcpy(t->session_id, sid, sidlen);
	t->session_id_len = sidlen;
	buf_init(&b);
	tls13_send_sh(t, &b, hello_hrr_random, NULL);
	buf_clear(&b);
	t->version = TLS_VERSION_13;
	t->hrr_sent = 1;
	tls13_server_ccs(t);
	if (trace_on(t))
		trace_printf(t, "  HelloRetryRequest: the client offered x25519 "
		    "without a key share for it; asking again");
	return 0;
}

static int
tls13_server_ch(struct tls_engine *t, const uint8_t *body, size_t len,
    const uint8_t *msg, size_t msglen)
{
	struct rd sid;
	struct ch_offer o;
	uint8_t shared[32];
	struct err er;

	if (!peercert_ours(t) || !t->cfg->key->has_private)
		return engine_fail(t, TLS_ALERT_INTERNAL_ERROR, "the server has "
		    "no certificate and key");
	if (hello_parse_ch(t, body, len, &o, &sid) == -1)
		return -1;
	if (t->hrr_sent && !o.v13)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the second "
		    "ClientHello no longer offers TLS 1.3");
	if (!o.v13 || engine_max_version(t) < TLS_VERSION_13) {
		if (o.v12 && engine_min_version(t) <= TLS_VERSION_12) {
			t->ch_version = (uint16_t)o.legacy_version;
			tls12_server_ch(t, &o, msg, msglen);
			return t->failed ? -1 : 0;
		}
		return engine_fail(t, TLS_ALERT_PROTOCOL_VERSION, "the client "
		    "offers %s (legacy_version 0x%04x); this server speaks %s",
		    o.v13 ? "TLS 1.3" : o.v12 ? "TLS 1.2" :
		    "only TLS 1.1 or older", o.legacy_version,
		    engine_min_version(t) == engine_max_version(t) ?
		    tls_version_name(engine_min_version(t)) :
		    "TLS 1.2 and TLS 1.3");
	}
	if (!o.s1301)
		return engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "the client "
		    "does not offer TLS_AES_128_GCM_SHA256");
	if (!o.pss)
		return engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "the client "
		    "does not accept rsa_pss_rsae_sha256 signatures");
	if (o.share == NULL && o.group && !t->hrr_sent)
		return tls13_server_hrr(t, sid.p, sid.len, msg, msglen);
	if (o.share == NULL)
		return engine_fail(t, t->hrr_sent ? TLS_ALERT_ILLEGAL_PARAMETER :
		    TLS_ALERT_HANDSHAKE_FAILURE, t->hrr_sent ? "the second "
		    "ClientHello still has no x25519 key share" :
		    "no common key exchange group: we support only x25519");
	if (t->hrr_sent && (sid.len != t->session_id_len ||
	    memcmp(sid.p, t->session_id, sid.len) != 0))
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the second "
		    "ClientHello changed its session id");
	t->version = TLS_VERSION_13;
	t->suite = SUITE_TLS_AES_128_GCM_SHA256;
	memcpy(t->session_id, sid.p, sid.len);
	t->session_id_len = sid.len;
	x25519_keygen(t->x_priv, t->x_pub);
	if (x25519_shared(t->x_priv, o.share, shared, &er) == -1)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "%s", er.msg);
	explicit_bzero(t->x_priv, 32);
	hs_transcript_add(t, msg, msglen);
	tls13_server_flight(t, shared);
	explicit_bzero(shared, sizeof shared);
	return 0;
}

static void
tls13_server(struct tls_engine *t, int type, const uint8_t *body, size_t len,
    const uint8_t *msg, size_t msglen)
{
	int n;

	switch (t->state) {
	case ST_START:
		if (type != HS_CLIENT_HELLO)
			break;
		tls13_server_ch(t, body, len, msg, msglen);
		return;
	case S_WAIT_CERT:
		if (type != HS_CERTIFICATE)
			break;
		if ((n = peercert_read(t, 1, body, len)) == -1)
			return;
		hs_transcript_add(t, msg, msglen);
		t->state = n == 0 ? S_WAIT_FIN : S_WAIT_CV;
		return;
	case S_WAIT_CV:
		if (type != HS_CERTIFICATE_VERIFY)
			break;
		if (tls13_read_cv(t, body, len, 0) == 0) {
			hs_transcript_add(t, msg, msglen);
			t->state = S_WAIT_FIN;
		}
		return;
	case S_WAIT_FIN:
		if (type != HS_FINISHED)
			break;
		if (tls13_check_finished(t, t->c_hs, body, len) == -1)
			return;
		record_set_keys13(&t->rd, t->c_ap);
		t->key_changed = 1;
		t->state = ST_CONNECTED;
		t->done = 1;
		if (trace_on(t))
			trace_printf(t, "  key schedule: application traffic "
			    "keys installed; handshake complete");
		return;
	}
	engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected %s message "
	    "in the handshake", trace_hs_name(type));
}

static void
tls13_post(struct tls_engine *t, int type, const uint8_t *body, size_t len)
{
	if (type == HS_NEW_SESSION_TICKET && !t->cfg->is_server)
		return;		/* no resumption: ignored */
	if (type != HS_KEY_UPDATE) {
		engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected %s "
		    "message after the handshake", trace_hs_name(type));
		return;
	}
	if (len != 1 || body[0] > 1) {
		engine_fail(t, len != 1 ? TLS_ALERT_DECODE_ERROR :
		    TLS_ALERT_ILLEGAL_PARAMETER, "malformed KeyUpdate");
		return;
	}
	keysched_expand_label(t->rd.secret, "traffic upd", NULL, 0,
	    t->rd.secret, 32);
	record_set_keys13(&t->rd, t->rd.secret);
	t->key_changed = 1;
	if (trace_on(t))
		trace_printf(t, "  key schedule: peer's traffic secret updated "
		    "(KeyUpdate)");
	if (body[0] == 1 && !t->close_sent)
		tls_engine_key_update(t, 0);
}

void
tls13_handle(struct tls_engine *t, int type, const uint8_t *body, size_t len,
    const uint8_t *msg, size_t msglen)
{
	if (t->version == TLS_VERSION_12)
		tls12_handle(t, type, body, len, msg, msglen);
	else if (t->done)
		tls13_post(t, type, body, len);
	else if (t->cfg->is_server)
		tls13_server(t, type, body, len, msg, msglen);
	else
		tls13_client(t, type, body, len, msg, msglen);
}
