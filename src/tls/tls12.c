/* tls12.c — the TLS 1.2 handshake (RFC 5246), client and server: the
 * ECDHE_RSA suites of suite.c (AES-128/256-GCM, ChaCha20-Poly1305) over
 * the groups of group.c, and TLS_RSA_WITH_AES_128_GCM_SHA256; client
 * certificates, the extended master secret (RFC 7627, required) and the
 * renegotiation indication (RFC 5746, required; renegotiation itself is
 * refused). */
#include <stdlib.h>
#include <string.h>

#include "crypto/rand.h"
#include "crypto/rsadec.h"
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

/* master_secret = PRF(pre_master_secret, "extended master secret",
 * session_hash) (RFC 7627 4); the session hash runs through
 * ClientKeyExchange. */
static void
tls12_master(struct tls_engine *t, const uint8_t *pm, size_t pmlen)
{
	uint8_t sh[TLS_MAX_HASH];

	hs_transcript_hash(t, sh);
	prf_tls12(t->hash, pm, pmlen, "extended master secret", sh, t->hlen,
	    NULL, 0, t->ms12, 48);
	keylog_secret(t, "CLIENT_RANDOM", t->ms12, 48);
	if (trace_on(t))
		trace_printf(t, "  key schedule: extended master secret = "
		    "PRF-%s(premaster (%s%s), \"extended master secret\", "
		    "session hash)", hash_name(t->hash), t->su->kx == KX_RSA ?
		    "48 bytes RSA-encrypted by the client" :
		    tls_group_name(t->group), t->su->kx == KX_RSA ? "" :
		    " shared secret");
}

/* key_block = PRF(master, "key expansion", server_random + client_random):
 * client key, server key, client IV, server IV (the GCM salt of 4 bytes,
 * or ChaCha20's whole 12-byte IV, RFC 7905). */
static void
tls12_install(struct tls_engine *t, int write)
{
	uint8_t kb[2 * 32 + 2 * 12];
	const struct suite_info *su = t->su;
	size_t kl = su->keylen, il = su->fixed_iv;
	int client_side = write != t->cfg->is_server;

	prf_tls12(t->hash, t->ms12, 48, "key expansion", t->server_random, 32,
	    t->client_random, 32, kb, 2 * kl + 2 * il);
	if (client_side)
		record_set_keys12(write ? &t->wr : &t->rd, su, kb,
		    kb + 2 * kl);
	else
		record_set_keys12(write ? &t->wr : &t->rd, su, kb + kl,
		    kb + 2 * kl + il);
	explicit_bzero(kb, sizeof kb);
	if (trace_on(t))
		trace_printf(t, "  key schedule: key block = PRF(master, \"key "
		    "expansion\", randoms); %s %s %s keys active",
		    client_side ? "client" : "server", su->cipher, write ?
		    "write" : "read");
}

static void
tls12_finished(struct tls_engine *t, int client, uint8_t out[12])
{
	uint8_t th[TLS_MAX_HASH];

	hs_transcript_hash(t, th);
	prf_tls12(t->hash, t->ms12, 48, client ? "client finished" :
	    "server finished", th, t->hlen, NULL, 0, out, 12);
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
 * ServerECDHParams (params), into b. */
static void
tls12_ske_content(const struct tls_engine *t, const uint8_t *params,
    size_t len, struct buf *b)
{
	buf_append(b, t->client_random, 32);
	buf_append(b, t->server_random, 32);
	buf_append(b, params, len);
}

void
tls12_client_sh(struct tls_engine *t, const struct sh_info *sh,
    const uint8_t *msg, size_t msglen)
{
	const struct suite_info *l[TLS_MAX_SUITES], *su = NULL;
	size_t i, n = suite_list(t, TLS_VERSION_12, l);

	for (i = 0; i < n; i++)
		if (l[i]->id == sh->suite)
			su = l[i];
	if (sh->group != 0) {
		engine_fail(t, TLS_ALERT_UNSUPPORTED_EXTENSION, "TLS 1.2 "
		    "ServerHello carries a key_share");
		return;
	}
	if (su == NULL || sh->comp != 0) {
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
	t->suite = su->id;
	t->su = su;
	t->hash = su->hash;
	t->hlen = hash_size(su->hash);
	t->group = 0;
	/* the 1.3 key share is unused */
	explicit_bzero(t->kx_priv, sizeof t->kx_priv);
	if (sh->rsl != 0)
		rsl_client_got(t, sh->rsl);
	else if (t->cfg->record_limit != 0)
		rsl_client_none(t);
	hs_transcript_add(t, msg, msglen);
	t->state = C12_WAIT_CERT;
	/* RFC 5077 3.4: our session id echoed means our ticket resumes */
	if (t->ticket12 && t->session_id_len > 0 &&
	    sh->sid.len == t->session_id_len &&
	    memcmp(sh->sid.p, t->session_id, sh->sid.len) == 0) {
		const struct tls_session *s = ticket12_client_offer(t);

		if (s == NULL || s->suite != su->id) {
			engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "the server "
			    "resumes our session with another cipher suite");
			return;
		}
		memcpy(t->ms12, s->secret, 48);
		t->resumed = 1;
		t->state = C12_WAIT_CCS;
		if (trace_on(t))
			trace_printf(t, "  the server echoes our session id: "
			    "resumed (abbreviated handshake)");
	}
}

static int
tls12_client_ske(struct tls_engine *t, const uint8_t *body, size_t len)
{
	struct rd r, pt;
	unsigned ctype, group;
	const struct group_info *g;
	struct buf c;
	int rc;

	rd_init(&r, body, len);
	ctype = rd_u8(&r);
	group = rd_u16(&r);
	rd_vec(&r, 1, &pt);
	if (r.bad)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "ServerKeyExchange: lengths do not add up");
	g = group_find(group);
	if (ctype != 3 || group_rank(t, group) < 0)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
		    "ServerKeyExchange: not a named curve we offered (type %u, "
		    "group 0x%04x)", ctype, group);
	if (pt.len != g->share_len)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER,
		    "ServerKeyExchange: %s key share of %zu bytes (want %zu)",
		    g->name, pt.len, g->share_len);
	memcpy(t->peer_share, pt.p, pt.len);
	t->peer_share_len = pt.len;
	t->group = g->id;
	buf_init(&c);
	tls12_ske_content(t, body, r.pos, &c);
	rc = peercert_verify(t, &r, c.data, c.len, sig_offer(t, 0),
	    "ServerKeyExchange");
	buf_clear(&c);
	return rc;
}

static int
tls12_client_cr(struct tls_engine *t, const uint8_t *body, size_t len)
{
	struct rd r, types, algs, cas;

	rd_init(&r, body, len);
	rd_vec(&r, 1, &types);
	rd_vec(&r, 2, &algs);
	rd_vec(&r, 2, &cas);
	if (!rd_done(&r))
		return engine_fail(t, TLS_ALERT_DECODE_ERROR,
		    "CertificateRequest: lengths do not add up");
	t->cert_requested = 1;
	t->cv_scheme = (uint16_t)sig_choose(t, sig_read(&algs), 0);
	return 0;
}

/* After ServerHelloDone: [Certificate] ClientKeyExchange
 * [CertificateVerify] ChangeCipherSpec Finished. */
static int
tls12_client_flight(struct tls_engine *t)
{
	struct buf b;
	uint8_t pm[48];
	struct err e;
	size_t m;
	int have = peercert_ours(t) && t->cv_scheme != 0;
	size_t pmlen;
	int rc = -1;

	buf_init(&b);
	if (t->cert_requested)
		peercert_send(t, 0, NULL, 0, !have);
	if (t->su->kx == KX_ECDHE) {
		group_keygen(t, group_find(t->group));
		if (group_shared(t, t->peer_share, t->peer_share_len, pm,
		    "ServerKeyExchange") == -1)
			goto out;
		pmlen = group_find(t->group)->secret_len;
		wr_u8(&b, (unsigned)t->kx_publen);
		buf_append(&b, t->kx_pub, t->kx_publen);
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
		if (peercert_sign(t, t->cv_scheme, NULL, 0, "CertificateVerify",
		    &b) == -1)
			goto out;
		hs_send(t, HS_CERTIFICATE_VERIFY, b.data, b.len);
	}
	tls12_send_ccs_finished(t);
	t->state = C12_WAIT_CCS;
	rc = 0;
out:
	explicit_bzero(pm, sizeof pm);
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
		if (t->su->kx == KX_RSA && leaf->ext.has_ku &&
		    !(leaf->ext.ku & KU_KEY_ENCIPHERMENT)) {
			engine_fail(t, TLS_ALERT_UNSUPPORTED_CERTIFICATE, "the "
			    "server certificate's keyUsage lacks keyEncipherment, "
			    "needed for RSA key exchange");
			return;
		}
		hs_transcript_add(t, msg, msglen);
		t->state = t->su->kx == KX_ECDHE ? C12_WAIT_SKE :
		    C12_WAIT_CR_SHD;
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
	case C12_WAIT_CCS:
		/* RFC 5077 3.3: a ticket comes before the server's CCS */
		if (type != HS_NEW_SESSION_TICKET)
			break;
		ticket12_client_nst(t, body, len, msg, msglen);
		return;
	case C12_WAIT_FIN:
		if (type != HS_FINISHED)
			break;
		if (tls12_check_finished(t, body, len) == -1)
			return;
		if (t->resumed) {
			hs_transcript_add(t, msg, msglen);
			tls12_send_ccs_finished(t);
			if (!t->have_session) {	/* the same session again */
				t->session = *t->cfg->resume;
				t->have_session = 1;
			}
		}
		t->state = ST12_CONNECTED;
		t->done = 1;
		if (trace_on(t))
			trace_printf(t, "  handshake complete (TLS 1.2%s)",
			    t->resumed ? ", resumed" : "");
		return;
	}
	engine_fail(t, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected %s message "
	    "in the TLS 1.2 handshake", trace_hs_name(type));
}

/* Our TLS 1.2 choices, each in our order of preference: the first suite
 * of ours the client offers that we can complete (ECDHE needs a common
 * group and signature scheme), its group, the ServerKeyExchange scheme.
 * *curvep tells that an ECDSA suite the client offers was passed over
 * for our certificate's curve alone. */
static const struct suite_info *
tls12_server_choose(struct tls_engine *t, const struct ch_offer *o,
    const struct group_info **gp, unsigned *schemep, int *curvep)
{
	const struct suite_info *sl[TLS_MAX_SUITES];
	const struct group_info *gl[TLS_MAX_GROUPS];
	size_t i, k, ns = suite_list(t, TLS_VERSION_12, sl);
	size_t ng = group_list(t, gl);
	unsigned scheme = sig_choose(t, o->sigs, 0);
	/* RFC 8422 5.1 (RFC 4492 5.1): with supported_groups, the client
	 * takes an ECDSA certificate only on a curve it lists; ours is
	 * P-256 */
	int curve_ok = !o->has_groups || o->secp256r1;

	*gp = NULL;
	*curvep = 0;
	/* RFC 8422 4: without supported_groups, any curve will do */
	for (i = 0; i < ng && *gp == NULL; i++)
		if (!o->has_groups || (o->groups & (UINT32_C(1) << i)))
			*gp = gl[i];
	*schemep = scheme;
	for (i = 0; i < ns; i++) {
		if ((sl[i]->kx == KX_ECDHE && (*gp == NULL || scheme == 0)) ||
		    !suite_auth_ok(t, sl[i]))
			continue;
		for (k = 0; k < o->nsuites; k++)
			if (o->suites[k] == sl[i]->id)
				break;
		if (k == o->nsuites)
			continue;
		if (sl[i]->auth == AUTH_ECDSA && !curve_ok) {
			*curvep = 1;
			continue;
		}
		return sl[i];
	}
	return NULL;
}

/* The abbreviated handshake (RFC 5246 7.3): ServerHello echoing the
 * client's session id, then at once ChangeCipherSpec and Finished. */
static void
tls12_server_resume(struct tls_engine *t, const struct ch_offer *o,
    const uint8_t *msg, size_t msglen)
{
	const struct suite_info *sl[TLS_MAX_SUITES];
	struct buf b;
	size_t m, x;

	t->version = TLS_VERSION_12;
	t->resumed = 1;
	hs_transcript_add(t, msg, msglen);
	rand_bytes(t->server_random, 32);
	if (engine_max_version(t) >= TLS_VERSION_13 &&
	    suite_list(t, TLS_VERSION_13, sl) > 0)
		memcpy(t->server_random + 24, hello_downgrade12, 8);
	buf_init(&b);
	wr_u16(&b, 0x0303);
	buf_append(&b, t->server_random, 32);
	wr_u8(&b, (unsigned)t->session_id_len);
	buf_append(&b, t->session_id, t->session_id_len);
	wr_u16(&b, t->suite);
	wr_u8(&b, 0);
	m = wr_begin(&b, 2);
	if (hello_sh_ext_begin(&b, o, EXT_RENEGOTIATION_INFO, &x)) {
		wr_u8(&b, 0);
		wr_end(&b, x, 2);
	}
	if (hello_sh_ext_begin(&b, o, EXT_EXTENDED_MASTER_SECRET, &x))
		wr_end(&b, x, 2);
	if (t->su->kx == KX_ECDHE &&
	    hello_sh_ext_begin(&b, o, EXT_EC_POINT_FORMATS, &x)) {
		wr_u8(&b, 1);
		wr_u8(&b, 0);
		wr_end(&b, x, 2);
	}
	rsl_server_ext(t, o, &b, TLS_VERSION_12);
	wr_end(&b, m, 2);
	hs_send(t, HS_SERVER_HELLO, b.data, b.len);
	hs_transcript_narrow(t);	/* resumed: no CertificateVerify */
	buf_clear(&b);
	tls12_send_ccs_finished(t);
	t->state = S12_WAIT_CCS;
}

void
tls12_server_ch(struct tls_engine *t, const struct ch_offer *o,
    const uint8_t *msg, size_t msglen)
{
	const struct suite_info *su, *sl[TLS_MAX_SUITES];
	const struct group_info *g;
	unsigned scheme;
	struct buf b, c;
	size_t m, x, i;
	const struct cert_list *a = t->cfg->anchors;
	int curve;

	su = tls12_server_choose(t, o, &g, &scheme, &curve);
	if (su == NULL) {
		engine_fail(t, TLS_ALERT_HANDSHAKE_FAILURE, "no common TLS 1.2 "
		    "cipher suite%s", g == NULL ? " (and no common group for "
		    "ECDHE)" : scheme == 0 ? " (the client accepts none of our "
		    "signature schemes for ECDHE)" : curve ? " (our ECDSA "
		    "certificate is on secp256r1, which the client's "
		    "supported_groups lacks: RFC 8422 5.1)" : "");
		return;
	}
	if (curve && trace_on(t))
		trace_printf(t, "  ECDSA suites passed over: the client's "
		    "supported_groups lacks secp256r1, our certificate's "
		    "curve");
	t->suite = su->id;
	t->su = su;
	t->hash = su->hash;
	t->hlen = hash_size(su->hash);
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
	if (ticket12_server_open(t, o)) {
		tls12_server_resume(t, o, msg, msglen);
		return;
	}
	t->session_id_len = 0;	/* ours is empty: no session to resume */
	t->ticket12 = t->cfg->tickets != NULL && o->has_ticket12;
	if (trace_on(t))
		trace_printf(t, "  chosen: %s (our first the client offers)%s%s"
		    "%s%s", su->name, su->kx == KX_ECDHE ? ", group " : "",
		    su->kx == KX_ECDHE ? g->name : "", su->kx == KX_ECDHE ?
		    ", signature " : "", su->kx == KX_ECDHE ?
		    sig_find(scheme)->name : "");
	t->version = TLS_VERSION_12;
	hs_transcript_add(t, msg, msglen);

	rand_bytes(t->server_random, 32);
	/* RFC 8446 4.1.3: the sentinel says we could have done TLS 1.3 */
	if (engine_max_version(t) >= TLS_VERSION_13 &&
	    suite_list(t, TLS_VERSION_13, sl) > 0)
		memcpy(t->server_random + 24, hello_downgrade12, 8);
	buf_init(&b);
	wr_u16(&b, 0x0303);
	buf_append(&b, t->server_random, 32);
	wr_u8(&b, 0);		/* no session id: resumption is by ticket */
	wr_u16(&b, t->suite);
	wr_u8(&b, 0);
	m = wr_begin(&b, 2);
	if (hello_sh_ext_begin(&b, o, EXT_RENEGOTIATION_INFO, &x)) {
		wr_u8(&b, 0);
		wr_end(&b, x, 2);
	}
	if (hello_sh_ext_begin(&b, o, EXT_EXTENDED_MASTER_SECRET, &x))
		wr_end(&b, x, 2);
	if (t->ticket12 && hello_sh_ext_begin(&b, o, EXT_SESSION_TICKET, &x))
		wr_end(&b, x, 2);	/* a NewSessionTicket will come */
	if (su->kx == KX_ECDHE &&
	    hello_sh_ext_begin(&b, o, EXT_EC_POINT_FORMATS, &x)) {
		wr_u8(&b, 1);
		wr_u8(&b, 0);	/* uncompressed */
		wr_end(&b, x, 2);
	}
	rsl_server_ext(t, o, &b, TLS_VERSION_12);
	wr_end(&b, m, 2);
	hs_send(t, HS_SERVER_HELLO, b.data, b.len);
	/* no CertificateRequest, so no CertificateVerify to check */
	if (t->cfg->client_auth == TLS_AUTH_NONE)
		hs_transcript_narrow(t);
	peercert_send(t, 0, NULL, 0, 0);
	if (su->kx == KX_ECDHE) {
		group_keygen(t, g);
		b.len = 0;
		wr_u8(&b, 3);	/* named_curve */
		wr_u16(&b, g->id);
		wr_u8(&b, (unsigned)t->kx_publen);
		buf_append(&b, t->kx_pub, t->kx_publen);
		buf_init(&c);
		tls12_ske_content(t, b.data, b.len, &c);
		i = (size_t)peercert_sign(t, scheme, c.data, c.len,
		    "ServerKeyExchange", &b);
		buf_clear(&c);
		if (i != 0)
			goto out;
		hs_send(t, HS_SERVER_KEY_EXCHANGE, b.data, b.len);
	}
	if (t->cfg->client_auth != TLS_AUTH_NONE) {
		b.len = 0;
		/* rsa_sign and ecdsa_sign (RFC 8422 5.5): a P-256 client
		 * certificate is welcome too (OpenSSL 3.0 and GnuTLS send
		 * theirs even unlisted; a strict client would not) */
		wr_u8(&b, 2);
		wr_u8(&b, 1);
		wr_u8(&b, 64);
		sig_write(&b, sig_offer(t, 0));
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
	size_t i, pmlen;
	unsigned good;

	rd_init(&r, body, len);
	if (t->su->kx == KX_ECDHE) {
		rd_vec(&r, 1, &v);
		if (!rd_done(&r))
			return engine_fail(t, TLS_ALERT_DECODE_ERROR,
			    "ClientKeyExchange: lengths do not add up");
		/* a share of the wrong size: illegal_parameter */
		if (group_shared(t, v.p, v.len, pm, "ClientKeyExchange") == -1)
			return -1;
		pmlen = group_find(t->group)->secret_len;
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
		rd_init(&r, body, len);
		if (peercert_verify(t, &r, NULL, 0, sig_offer(t, 0),
		    "CertificateVerify") == -1)
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
		if (!t->resumed) {
			if (t->ticket12)
				ticket12_server_send(t);
			tls12_send_ccs_finished(t);
		}
		t->state = ST12_CONNECTED;
		t->done = 1;
		if (trace_on(t))
			trace_printf(t, "  handshake complete (TLS 1.2%s)",
			    t->resumed ? ", resumed" : "");
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
