/* tls13.c — the TLS 1.3 handshake (RFC 8446), client and server: the
 * suites of suite.c, the groups of group.c with HelloRetryRequest both
 * ways, the signature schemes of sigalg.c, optional client certificates;
 * resumption with tickets (psk.c); KeyUpdate. */
#include <stdlib.h>
#include <string.h>

#include "crypto/rand.h"
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
	keylog_secret(t, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", t->c_hs, t->hlen);
	keylog_secret(t, "SERVER_HANDSHAKE_TRAFFIC_SECRET", t->s_hs, t->hlen);
}

/* The suite is chosen: its hash runs the key schedule from here on. */
static void
tls13_set_suite(struct tls_engine *t, const struct suite_info *su)
{
	t->suite = su->id;
	t->su = su;
	t->hash = su->hash;
	t->hlen = hash_size(su->hash);
}

/* From the ECDHE secret and the transcript through ServerHello. */
static void
tls13_handshake_keys(struct tls_engine *t, const uint8_t *shared,
    size_t len)
{
	uint8_t th[TLS_MAX_HASH];

	keysched_handshake_secret(t->hash, t->resumed ? t->psk : NULL,
	    t->psk_len, shared, len, t->hs_secret);
	hs_transcript_hash(t, th);
	keysched_derive(t->hash, t->hs_secret, "c hs traffic", th, t->c_hs);
	keysched_derive(t->hash, t->hs_secret, "s hs traffic", th, t->s_hs);
	tls13_keylog_hs(t);
	if (trace_on(t)) {
		trace_printf(t, "  key schedule (HKDF-%s): early secret (%s) "
		    "-> handshake secret = HKDF-Extract(derived, %s shared "
		    "secret)", hash_name(t->hash), t->resumed ? "from the "
		    "resumption PSK" : "no PSK", tls_group_name(t->group));
		trace_printf(t, "  key schedule: client and server handshake "
		    "traffic secrets from the transcript hash through "
		    "ServerHello; %s handshake keys installed", t->su->cipher);
	}
}

/* From the transcript through the server's Finished. */
static void
tls13_app_secrets(struct tls_engine *t)
{
	uint8_t th[TLS_MAX_HASH];

	keysched_master_secret(t->hash, t->hs_secret, t->master_secret);
	hs_transcript_hash(t, th);
	keysched_derive(t->hash, t->master_secret, "c ap traffic", th,
	    t->c_ap);
	keysched_derive(t->hash, t->master_secret, "s ap traffic", th,
	    t->s_ap);
	keylog_secret(t, "CLIENT_TRAFFIC_SECRET_0", t->c_ap, t->hlen);
	keylog_secret(t, "SERVER_TRAFFIC_SECRET_0", t->s_ap, t->hlen);
	if (trace_on(t))
		trace_printf(t, "  key schedule: master secret -> client and "
		    "server application traffic secrets (transcript through "
		    "server Finished)");
}

/* The content a CertificateVerify signs (RFC 8446 4.4.3): 64 spaces,
 * the context string with its NUL, the transcript hash. Returns its
 * length. */
static size_t
tls13_cv_content(const struct tls_engine *t, int server, uint8_t *m)
{
	static const char sctx[] = "TLS 1.3, server CertificateVerify";
	static const char cctx[] = "TLS 1.3, client CertificateVerify";

	memset(m, 0x20, 64);
	memcpy(m + 64, server ? sctx : cctx, sizeof sctx);	/* with NUL */
	hs_transcript_hash(t, m + 64 + sizeof sctx);
	return 64 + sizeof sctx + t->hlen;
}

#define CV_CONTENT_MAX (64 + 34 + TLS_MAX_HASH)

static int
tls13_send_cv(struct tls_engine *t, int server)
{
	struct buf b;
	uint8_t m[CV_CONTENT_MAX];
	size_t n;
	int rc;

	n = tls13_cv_content(t, server, m);
	buf_init(&b);
	rc = peercert_sign(t, t->cv_scheme, m, n, "CertificateVerify", &b);
	if (rc == 0)
		hs_send(t, HS_CERTIFICATE_VERIFY, b.data, b.len);
	buf_clear(&b);
	return rc;
}

static void
tls13_send_finished(struct tls_engine *t, const uint8_t *base)
{
	uint8_t th[TLS_MAX_HASH], v[TLS_MAX_HASH];

	hs_transcript_hash(t, th);
	keysched_finished(t->hash, base, th, v);
	hs_send(t, HS_FINISHED, v, t->hlen);
	explicit_bzero(v, sizeof v);
}

static int
tls13_check_finished(struct tls_engine *t, const uint8_t *base,
    const uint8_t *body, size_t len)
{
	uint8_t th[TLS_MAX_HASH], v[TLS_MAX_HASH];

	hs_transcript_hash(t, th);
	keysched_finished(t->hash, base, th, v);
	return hs_check_finished(t, v, t->hlen, body, len);
}

static int
tls13_read_cv(struct tls_engine *t, const uint8_t *body, size_t len,
    int server)
{
	struct rd r;
	uint8_t m[CV_CONTENT_MAX];
	size_t n;

	n = tls13_cv_content(t, server, m);
	rd_init(&r, body, len);
	return peercert_verify(t, &r, m, n, sig_offer(t, 1),
	    "CertificateVerify");
}

void
tls13_client_start(struct tls_engine *t)
{
	hello_client(t, 0);
	t->state = C_WAIT_SH;
}

/* The suite a TLS 1.3 ServerHello or HelloRetryRequest names must be one
 * we offered. */
static const struct suite_info *
tls13_offered_suite(struct tls_engine *t, unsigned id)
{
	const struct suite_info *l[TLS_MAX_SUITES];
	size_t i, n = suite_list(t, TLS_VERSION_13, l);

	for (i = 0; i < n; i++)
		if (l[i]->id == id)
			return l[i];
	return NULL;
}

/* HelloRetryRequest (RFC 8446 4.1.4): check it, restart the transcript
 * with message_hash(ClientHello1) and the HRR, and send ClientHello2 with
 * a share for the group asked for (and the cookie echoed). */
static int
tls13_client_hrr(struct tls_engine *t, const struct sh_info *sh,
    struct rd *exts, const uint8_t *msg, size_t msglen)
{
	const struct suite_info *su;
	const struct group_info *g = NULL;
	struct rd e, c;
	unsigned type, sv = 0, group = 0;
	int has_cookie = 0;

	if (t->hrr_seen)
		return engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "a second "
		    "HelloRetryRequest");
	if (sh->legacy_version != 0x0303 || sh->comp != 0 ||
	    sh->sid.len != t->session_id_len ||
	    memcmp(sh->sid.p, t->session_id, sh->sid.len) != 0)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
		    "HelloRetryRequest: bad version, compression or session "
		    "id echo");
	if ((su = tls13_offered_suite(t, sh->suite)) == NULL)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
		    "HelloRetryRequest names cipher suite 0x%04x, which we did "
		    "not offer", sh->suite);
	free(t->cookie);
	t->cookie = NULL;
	while (rd_left(exts) > 0 && !exts->bad) {
		type = rd_u16(exts);
		rd_vec(exts, 2, &e);
		switch (type) {
		case EXT_SUPPORTED_VERSIONS:
			sv = rd_u16(&e);
			break;
		case EXT_KEY_SHARE:
			group = rd_u16(&e);
			break;
		case EXT_COOKIE:
			rd_vec(&e, 2, &c);
			if (c.len == 0 || c.bad)
				break;
			t->cookie = xmalloc(c.len);
			memcpy(t->cookie, c.p, c.len);
			t->cookie_len = c.len;
			has_cookie = 1;
			break;
		default:
			return engine_fail(t, TLS_ALERT_UNSUPPORTED_EXTENSION,
			    "HelloRetryRequest carries extension %u, not "
			    "allowed there", type);
		}
		if (!rd_done(&e))
			return engine_fail(t, TLS_ALERT_DECODE_ERROR,
			    "HelloRetryRequest: extension %u is malformed",
			    type);
	}
	if (exts->bad)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "HelloRetryRequest: bad extension list");
	if (sv != TLS_VERSION_13)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
		    "HelloRetryRequest without supported_versions TLS 1.3");
	if (group != 0) {
		if (group_rank(t, group) < 0)
			return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
			    "HelloRetryRequest asks for group 0x%04x (%s), which "
			    "we did not offer", group, tls_group_name(
			    (uint16_t)group));
		if (group == t->group)
			return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
			    "HelloRetryRequest asks for %s, which we already "
			    "sent", tls_group_name((uint16_t)group));
		g = group_find(group);
	} else if (!has_cookie)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
		    "HelloRetryRequest that changes nothing");
	tls13_set_suite(t, su);
	hs_transcript_restart(t);
	hs_transcript_add(t, msg, msglen);
	t->hrr_seen = 1;
	if (trace_on(t))
		trace_printf(t, "  HelloRetryRequest: the server wants %s%s; "
		    "sending ClientHello again", g != NULL ? "a key share for "
		    : "", g != NULL ? g->name : "its cookie back");
	explicit_bzero(t->kx_priv, sizeof t->kx_priv);
	hello_client(t, g != NULL ? g->id : t->group);
	return 0;
}

static int
tls13_client_sh(struct tls_engine *t, const uint8_t *body, size_t len,
    const uint8_t *msg, size_t msglen)
{
	struct sh_info sh;
	struct rd exts;
	uint8_t shared[32];
	const struct suite_info *su;
	unsigned ver;

	if (hello_parse_sh(t, body, len, &sh, &exts) == -1)
		return -1;
	if (memcmp(sh.random, hello_hrr_random, 32) == 0)
		return tls13_client_hrr(t, &sh, &exts, msg, msglen);
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
	if (ver == TLS_VERSION_12 && t->hrr_seen)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the server "
		    "chose TLS 1.2 after a HelloRetryRequest");
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
	/* RFC 8446 4.2: a 1.3 ServerHello carries key_share and
	 * supported_versions only (no PSK here) */
	if (sh.exts & ~(hello_ext_bit(EXT_SUPPORTED_VERSIONS) |
	    hello_ext_bit(EXT_KEY_SHARE) | hello_ext_bit(EXT_PRE_SHARED_KEY)))
		return engine_fail(t, TLS_ALERT_UNSUPPORTED_EXTENSION,
		    "ServerHello carries an extension not allowed in TLS 1.3");
	if (sh.legacy_version != 0x0303)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "ServerHello "
		    "legacy_version 0x%04x (want 0x0303)", sh.legacy_version);
	if (sh.sid.len != t->session_id_len ||
	    memcmp(sh.sid.p, t->session_id, sh.sid.len) != 0)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "ServerHello "
		    "does not echo our session id");
	su = tls13_offered_suite(t, sh.suite);
	if (su == NULL || sh.comp != 0 || (t->hrr_seen && su != t->su))
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the server "
		    "chose cipher suite 0x%04x / compression %u, which we did "
		    "not offer%s", sh.suite, sh.comp, su != NULL && sh.comp == 0 ?
		    " (not the one of its HelloRetryRequest)" : "");
	if (sh.share == NULL || sh.group != t->group)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "ServerHello "
		    "key share is for group 0x%04x; we sent %s", sh.group,
		    tls_group_name(t->group));
	if (sh.has_psk && (sh.psk_sel != 0 || su->hash != t->psk_hash))
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "ServerHello "
		    "selects PSK identity %u with %s; we offered one, for "
		    "another hash", sh.psk_sel, su->name);
	t->resumed = sh.has_psk;
	if (t->resumed && trace_on(t))
		trace_printf(t, "  the server accepts our ticket: resumed "
		    "handshake (psk_dhe_ke)");
	t->version = TLS_VERSION_13;
	tls13_set_suite(t, su);
	if (group_shared(t, sh.share, sh.share_len, shared, "ServerHello")
	    == -1)
		return -1;
	hs_transcript_add(t, msg, msglen);
	hs_transcript_narrow(t);
	tls13_handshake_keys(t, shared, group_find(t->group)->secret_len);
	explicit_bzero(shared, sizeof shared);
	record_set_keys13(&t->rd, t->su, t->s_hs);
	/* Our alerts from here on are protected, as RFC 8446 5 wants. */
	record_set_keys13(&t->wr, t->su, t->c_hs);
	t->key_changed = 1;
	t->state = C_WAIT_EE;
	return 0;
}

/* The extensions RFC 8446 4.2 (and RFC 8449) let EncryptedExtensions
 * carry: server_name, max_fragment_length, supported_groups, use_srtp,
 * heartbeat, ALPN, client/server_certificate_type, record_size_limit,
 * early_data. */
static const uint16_t tls13_ee_allowed[] = {
	EXT_SERVER_NAME, 1, EXT_SUPPORTED_GROUPS, 14, 15, EXT_ALPN, 19, 20,
	EXT_RECORD_SIZE_LIMIT, EXT_EARLY_DATA,
};

static int
tls13_ee_ok(unsigned type)
{
	size_t i;

	for (i = 0; i < sizeof tls13_ee_allowed / sizeof tls13_ee_allowed[0];
	    i++)
		if (tls13_ee_allowed[i] == type)
			return 1;
	return 0;
}

/* EncryptedExtensions: an extension we know but that has no place there
 * is illegal_parameter; one we did not offer is unsupported_extension
 * (RFC 8446 4.2). We read record_size_limit; server_name must be empty
 * (RFC 6066 3); supported_groups is the server's list, for later. */
static int
tls13_client_ee(struct tls_engine *t, const uint8_t *body, size_t len)
{
	struct rd r, exts, e, l;
	unsigned type, rsl = 0;
	uint32_t bit, seen = 0;
	const char *n;

	rd_init(&r, body, len);
	rd_vec(&r, 2, &exts);
	if (!rd_done(&r))
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "EncryptedExtensions: bad length");
	while (rd_left(&exts) > 0) {
		type = rd_u16(&exts);
		rd_vec(&exts, 2, &e);
		if (exts.bad)
			break;
		bit = hello_ext_bit(type);
		n = trace_ext_name(type);
		if (bit != 0 && !tls13_ee_ok(type))
			return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
			    "EncryptedExtensions carries %s, which is not "
			    "allowed there", n != NULL ? n : "?");
		if (!(t->ext_offered & bit) || bit == 0)
			return engine_fail(t, TLS_ALERT_UNSUPPORTED_EXTENSION,
			    "EncryptedExtensions carries extension %u%s%s%s, "
			    "which we did not offer", type, n != NULL ? " (" :
			    "", n != NULL ? n : "", n != NULL ? ")" : "");
		if (seen & bit)
			return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
			    "EncryptedExtensions repeats extension %u", type);
		seen |= bit;
		switch (type) {
		case EXT_RECORD_SIZE_LIMIT:
			if (rsl_read(t, &e, "EncryptedExtensions", &rsl) == -1)
				return -1;
			break;
		case EXT_SUPPORTED_GROUPS:
			rd_vec(&e, 2, &l);
			if (l.len == 0 || l.len % 2 != 0)
				e.bad = 1;
			break;
		}
		if (!rd_done(&e))
			return engine_fail(t, TLS_ALERT_DECODE_ERROR,
			    "EncryptedExtensions: extension %u is malformed",
			    type);
	}
	if (exts.bad)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "EncryptedExtensions: bad extension list");
	if (rsl != 0)
		rsl_client_got(t, rsl);
	else if (t->cfg->record_limit != 0)
		rsl_client_none(t);
	return 0;
}

static int
tls13_client_cr(struct tls_engine *t, const uint8_t *body, size_t len)
{
	struct rd r, ctx, exts, e, algs;
	unsigned type;
	uint32_t sigs = 0;

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
		sigs |= sig_read(&algs);
	}
	if (exts.bad)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "CertificateRequest: bad extension list");
	t->cv_scheme = (uint16_t)sig_choose(t, sigs, 1);
	if (t->cv_scheme == 0 && peercert_ours(t))
		return engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "the server "
		    "accepts none of our signature schemes for client "
		    "certificates");
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
	psk_res_master(t);
	record_set_keys13(&t->rd, t->su, t->s_ap);
	record_set_keys13(&t->wr, t->su, t->c_ap);
	t->key_changed = 1;
	if (trace_on(t))
		trace_printf(t, "  key schedule: application traffic keys "
		    "installed; handshake complete%s", t->resumed ?
		    " (resumed)" : "");
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
		if (tls13_client_ee(t, body, len) == -1)
			return;
		hs_transcript_add(t, msg, msglen);
		/* resumed: the PSK authenticates, no certificates */
		t->state = t->resumed ? C_WAIT_FIN : C_WAIT_CERT_CR;
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
 * our suite, supported_versions TLS 1.3, our group and share. Only
 * extensions the client sent (hello_sh_ext_begin). */
static void
tls13_send_sh(struct tls_engine *t, const struct ch_offer *o, struct buf *b,
    const uint8_t random[32], const uint8_t *share)
{
	size_t m, x;

	b->len = 0;
	wr_u16(b, 0x0303);
	buf_append(b, random, 32);
	wr_u8(b, (unsigned)t->session_id_len);
	buf_append(b, t->session_id, t->session_id_len);
	wr_u16(b, t->suite);
	wr_u8(b, 0);
	m = wr_begin(b, 2);
	if (hello_sh_ext_begin(b, o, EXT_SUPPORTED_VERSIONS, &x)) {
		wr_u16(b, TLS_VERSION_13);
		wr_end(b, x, 2);
	}
	if (hello_sh_ext_begin(b, o, EXT_KEY_SHARE, &x)) {
		wr_u16(b, t->group);
		if (share != NULL) {
			wr_u16(b, (unsigned)t->kx_publen);
			buf_append(b, share, t->kx_publen);
		}
		wr_end(b, x, 2);
	}
	if (t->resumed && share != NULL &&
	    hello_sh_ext_begin(b, o, EXT_PRE_SHARED_KEY, &x)) {
		wr_u16(b, 0);	/* selected_identity: the first */
		wr_end(b, x, 2);
	}
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
tls13_server_flight(struct tls_engine *t, const struct ch_offer *o,
    const uint8_t *shared, size_t sharedlen)
{
	struct buf b;
	size_t m, x;

	rand_bytes(t->server_random, 32);
	buf_init(&b);
	tls13_send_sh(t, o, &b, t->server_random, t->kx_pub);
	hs_transcript_narrow(t);
	tls13_handshake_keys(t, shared, sharedlen);
	tls13_server_ccs(t);
	record_set_keys13(&t->wr, t->su, t->s_hs);
	record_set_keys13(&t->rd, t->su, t->c_hs);
	t->key_changed = 1;

	b.len = 0;
	m = wr_begin(&b, 2);
	rsl_server_ext(t, o, &b, TLS_VERSION_13);
	wr_end(&b, m, 2);
	hs_send(t, HS_ENCRYPTED_EXTENSIONS, b.data, b.len);
	if (t->cfg->client_auth != TLS_AUTH_NONE && !t->resumed) {
		b.len = 0;
		wr_u8(&b, 0);	/* empty certificate_request_context */
		m = wr_begin(&b, 2);
		hello_ext_begin(&b, EXT_SIGNATURE_ALGORITHMS, &x);
		sig_write(&b, sig_offer(t, 1));
		wr_end(&b, x, 2);
		wr_end(&b, m, 2);
		hs_send(t, HS_CERTIFICATE_REQUEST, b.data, b.len);
	}
	buf_clear(&b);
	if (!t->resumed) {
		peercert_send(t, 1, NULL, 0, 0);
		if (tls13_send_cv(t, 1) == -1)
			return;
	}
	tls13_send_finished(t, t->s_hs);
	tls13_app_secrets(t);
	record_set_keys13(&t->wr, t->su, t->s_ap);
	t->state = t->cfg->client_auth != TLS_AUTH_NONE && !t->resumed ?
	    S_WAIT_CERT : S_WAIT_FIN;
}

/* HelloRetryRequest (RFC 8446 4.1.4): the client supports a group of
 * ours but sent no share for any. The transcript restarts with
 * message_hash(CH1). */
static int
tls13_server_hrr(struct tls_engine *t, const struct ch_offer *o,
    const struct group_info *g, const uint8_t *sid, size_t sidlen)
{
	struct buf b;

	hs_transcript_restart(t);
	memcpy(t->session_id, sid, sidlen);
	t->session_id_len = sidlen;
	t->group = g->id;
	buf_init(&b);
	tls13_send_sh(t, o, &b, hello_hrr_random, NULL);
	buf_clear(&b);
	t->version = TLS_VERSION_13;
	t->hrr_sent = 1;
	tls13_server_ccs(t);
	if (trace_on(t))
		trace_printf(t, "  HelloRetryRequest: the client supports %s "
		    "but sent no key share for a group we accept; asking for "
		    "one", g->name);
	return 0;
}

/* Our choices for a TLS 1.3 ClientHello, each in our order of preference:
 * the suite, the group (one the client sent a share for, to spare a round
 * trip; else one it supports, through a HelloRetryRequest) and the
 * signature scheme. */
static int
tls13_server_choose(struct tls_engine *t, const struct ch_offer *o,
    const struct group_info **gp, int *rankp)
{
	const struct suite_info *sl[TLS_MAX_SUITES];
	const struct group_info *gl[TLS_MAX_GROUPS];
	size_t i, k, ns = suite_list(t, TLS_VERSION_13, sl);
	size_t ng = group_list(t, gl);
	const struct suite_info *su = NULL;
	int rank = -1, hrr = -1;

	for (i = 0; i < ns && su == NULL; i++)
		for (k = 0; k < o->nsuites; k++)
			if (o->suites[k] == sl[i]->id) {
				su = sl[i];
				break;
			}
	if (su == NULL)
		return engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "no common "
		    "TLS 1.3 cipher suite (we accept %zu; the client offers "
		    "none of them)", ns);
	if (t->hrr_sent && su != t->su)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the second "
		    "ClientHello changed the cipher suites offered");
	tls13_set_suite(t, su);
	t->cv_scheme = (uint16_t)sig_choose(t, o->sigs, 1);
	if (t->cv_scheme == 0)
		return engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "the client "
		    "accepts none of our signature schemes (rsa_pss_rsae_*)");
	for (i = 0; i < ng; i++) {
		if (o->share[i] != NULL && rank < 0)
			rank = (int)i;
		if ((o->groups & (UINT32_C(1) << i)) && hrr < 0)
			hrr = (int)i;
	}
	*rankp = rank;
	*gp = rank >= 0 ? gl[rank] : hrr >= 0 ? gl[hrr] : NULL;
	if (*gp == NULL)
		return engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "no common "
		    "key exchange group: we support %s", ng == 1 ?
		    gl[0]->name : "x25519 and secp256r1 (as configured)");
	if (trace_on(t))
		trace_printf(t, "  chosen: %s (our first the client offers), "
		    "group %s (%s), signature %s", su->name, (*gp)->name,
		    rank >= 0 ? "the client sent a key share" :
		    "supported, no share yet", sig_find(t->cv_scheme)->name);
	return 0;
}

static int
tls13_server_ch(struct tls_engine *t, const uint8_t *body, size_t len,
    const uint8_t *msg, size_t msglen)
{
	struct rd sid;
	struct ch_offer o;
	const struct group_info *g = NULL;
	const struct suite_info *sl[TLS_MAX_SUITES];
	uint8_t shared[32];
	int rank = -1;

	if (!peercert_key_ready(t))
		return engine_fail(t, TLS_ALERT_INTERNAL_ERROR, "the server has "
		    "no certificate and key");
	if (hello_parse_ch(t, body, len, &o, &sid) == -1)
		return -1;
	if (t->hrr_sent && !o.v13)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the second "
		    "ClientHello no longer offers TLS 1.3");
	if (!o.v13 || engine_max_version(t) < TLS_VERSION_13 ||
	    suite_list(t, TLS_VERSION_13, sl) == 0) {
		if (o.v12 && engine_min_version(t) <= TLS_VERSION_12) {
			t->ch_version = (uint16_t)o.legacy_version;
			memcpy(t->session_id, sid.p, sid.len);	/* 5077 */
			t->session_id_len = sid.len;
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
	/* RFC 8446 4.2.10: no early_data after a HelloRetryRequest */
	if (t->hrr_sent && o.early_data)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the second "
		    "ClientHello offers early_data");
	/* 0-RTT stays off (RFC 8446 4.2.10): our EncryptedExtensions
	 * carries no early_data, and the client's early records are
	 * skipped, not taken for an attack */
	if (o.early_data && !t->hrr_sent) {
		t->early_skip = 1;
		if (trace_on(t))
			trace_printf(t, "  the client offers 0-RTT early data: "
			    "refused (we never accept it); its early records "
			    "will be skipped");
	}
	if (tls13_server_choose(t, &o, &g, &rank) == -1)
		return -1;
	if (rank < 0 && !t->hrr_sent) {
		hs_transcript_add(t, msg, msglen);	/* then message_hash */
		return tls13_server_hrr(t, &o, g, sid.p, sid.len);
	}
	if (rank < 0 || (t->hrr_sent && g->id != t->group))
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the second "
		    "ClientHello has no key share for %s, which our "
		    "HelloRetryRequest asked for", tls_group_name(t->group));
	if (t->hrr_sent && (sid.len != t->session_id_len ||
	    memcmp(sid.p, t->session_id, sid.len) != 0))
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the second "
		    "ClientHello changed its session id");
	if (o.has_psk && !(o.exts & hello_ext_bit(EXT_PSK_KEY_EXCHANGE_MODES)))
		return engine_fail(t, TLS_ALERT_MISSING_EXTENSION, "ClientHello: "
		    "pre_shared_key without psk_key_exchange_modes");
	if ((t->resumed = psk_server_accept(t, &o, msg, msglen)) == -1)
		return -1;
	t->version = TLS_VERSION_13;
	memcpy(t->session_id, sid.p, sid.len);
	t->session_id_len = sid.len;
	group_keygen(t, g);
	if (group_shared(t, o.share[rank], o.share_len[rank], shared,
	    "ClientHello") == -1)
		return -1;
	hs_transcript_add(t, msg, msglen);
	tls13_server_flight(t, &o, shared, g->secret_len);
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
		hs_transcript_add(t, msg, msglen);
		record_set_keys13(&t->rd, t->su, t->c_ap);
		t->key_changed = 1;
		t->state = ST_CONNECTED;
		t->done = 1;
		if (trace_on(t))
			trace_printf(t, "  key schedule: application traffic "
			    "keys installed; handshake complete%s", t->resumed ?
			    " (resumed)" : "");
		if (t->cfg->tickets != NULL) {
			psk_res_master(t);
			psk_server_ticket(t);
		}
		return;
	}
	engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected %s message "
	    "in the handshake", trace_hs_name(type));
}

static void
tls13_post(struct tls_engine *t, int type, const uint8_t *body, size_t len)
{
	if (type == HS_NEW_SESSION_TICKET && !t->cfg->is_server) {
		psk_client_nst(t, body, len);
		return;
	}
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
	keysched_expand_label(t->hash, t->rd.secret, "traffic upd", NULL, 0,
	    t->rd.secret, t->hlen);
	record_set_keys13(&t->rd, t->su, t->rd.secret);
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
