/* peercert.c — the certificate side of both handshakes: the Certificate
 * message sent and read (TLS 1.2 and 1.3 forms), the peer's chain
 * validated with x509/verify.h and the alert that says why it is refused,
 * and the signatures of CertificateVerify (and TLS 1.2 ServerKeyExchange)
 * made with our key and checked with the peer's. */
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "crypto/rsakey.h"
#include "tls/internal.h"
#include "util/xalloc.h"
#include "x509/ecsig.h"
#include "x509/verify.h"

static int
peercert_alert(enum verify_code c)
{
	switch (c) {
	case VERIFY_NO_ISSUER:
	case VERIFY_SELF_SIGNED_LEAF:
		return TLS_ALERT_UNKNOWN_CA;
	case VERIFY_EXPIRED:
	case VERIFY_NOT_YET_VALID:
		return TLS_ALERT_CERTIFICATE_EXPIRED;
	case VERIFY_BAD_SIGNATURE:
	case VERIFY_MALFORMED:
	case VERIFY_HOST_MISMATCH:
		return TLS_ALERT_BAD_CERTIFICATE;
	case VERIFY_REVOKED:
		return TLS_ALERT_CERTIFICATE_REVOKED;
	case VERIFY_KEY_USAGE:
	case VERIFY_EKU:
	case VERIFY_UNSUPPORTED_KEY:
		return TLS_ALERT_UNSUPPORTED_CERTIFICATE;
	default:
		return TLS_ALERT_CERTIFICATE_UNKNOWN;
	}
}

int
peercert_check(struct tls_engine *t, const uint8_t *const *ders,
    const size_t *lens, size_t n)
{
	struct verify_params p;
	struct verify_result res;
	struct cert_list untrusted;
	struct err e;
	struct buf steps;
	size_t i;
	char *s, *nl, *line;
	int rc = -1;

	if (n > TLS_MAX_CHAIN)
		return engine_fail(t, TLS_ALERT_BAD_CERTIFICATE, "peer sent %zu "
		    "certificates (at most %d accepted)", n, TLS_MAX_CHAIN);
	cert_list_clear(&t->peer_chain);
	cert_list_init(&t->peer_chain);
	for (i = 0; i < n; i++) {
		err_clear(&e);
		if (cert_list_load(&t->peer_chain, ders[i], lens[i], &e) == -1 ||
		    t->peer_chain.n != i + 1)
			return engine_fail(t, TLS_ALERT_BAD_CERTIFICATE, "peer "
			    "certificate %zu does not parse: %s", i + 1, e.msg);
		if (trace_on(t)) {
			s = dn_to_string(&t->peer_chain.v[i].subject);
			trace_printf(t, "    certificate %zu: %s", i + 1, s);
			free(s);
		}
	}
	if (t->peer_chain.v[0].key_alg != OID_RSA_ENCRYPTION &&
	    (t->peer_chain.v[0].key_alg != OID_EC_PUBLIC_KEY ||
	    !ec256key_has_public(&t->peer_chain.v[0].eckey)))
		return engine_fail(t, TLS_ALERT_UNSUPPORTED_CERTIFICATE, "peer "
		    "certificate key is neither RSA nor P-256");
	/* A TLS 1.2 suite names the server's key type (RFC 8422 5.3,
	 * RFC 5246 7.4.2). */
	if (!t->cfg->is_server && t->su != NULL &&
	    ((t->su->auth == AUTH_RSA &&
	    t->peer_chain.v[0].key_alg != OID_RSA_ENCRYPTION) ||
	    (t->su->auth == AUTH_ECDSA &&
	    t->peer_chain.v[0].key_alg != OID_EC_PUBLIC_KEY)))
		return engine_fail(t, TLS_ALERT_UNSUPPORTED_CERTIFICATE, "the "
		    "server's certificate key does not fit %s", t->su->name);
	if (t->cfg->peer_unchecked && !t->cfg->is_server) {
		free(t->peer_subject);
		t->peer_subject = dn_to_string(&t->peer_chain.v[0].subject);
		return 0;
	}
	memset(&p, 0, sizeof p);
	untrusted.v = t->peer_chain.v + 1;	/* borrowed: not cleared */
	untrusted.n = n - 1;
	p.anchors = t->cfg->anchors;
	p.untrusted = &untrusted;
	p.purpose = t->cfg->is_server ? VERIFY_PURPOSE_CLIENT :
	    VERIFY_PURPOSE_SERVER;
	p.host = t->cfg->is_server ? NULL : t->cfg->server_name;
	p.at = t->now;
	p.crls = t->cfg->crls;
	p.crl_names = t->cfg->crl_names;
	p.ncrls = t->cfg->ncrls;
	verify_result_init(&res);
	verify_chain(&t->peer_chain.v[0], &p, &res);
	if (trace_on(t)) {
		buf_init(&steps);
		verify_render(&steps, &res);
		for (line = (char *)steps.data; line != NULL && *line != '\0';
		    line = nl) {
			nl = strchr(line, '\n');
			if (nl != NULL)
				*nl++ = '\0';
			trace_printf(t, "    verify:%s", line);
		}
		buf_clear(&steps);
	}
	if (res.code != VERIFY_OK) {
		engine_fail(t, peercert_alert(res.code), "%s certificate "
		    "verify failed: %s", t->cfg->is_server ? "client" : "server",
		    res.reason != NULL ? res.reason :
		    verify_code_text(res.code));
		goto out;
	}
	free(t->peer_subject);
	t->peer_subject = dn_to_string(&t->peer_chain.v[0].subject);
	rc = 0;
out:
	verify_result_clear(&res);
	return rc;
}

/* Certificate (1.2): certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>.
 * Certificate (1.3): certificate_request_context<0..255>, then
 * CertificateEntry { cert_data<1..2^24-1>, extensions<0..2^16-1> }
 * list<0..2^24-1>; our entries carry no extensions. */
void
peercert_send(struct tls_engine *t, int tls13, const uint8_t *ctx,
    size_t ctxlen, int empty)
{
	const struct cert_list *c = t->cfg->chain;
	struct buf b;
	size_t m, mc, i;

	buf_init(&b);
	if (tls13) {
		m = wr_begin(&b, 1);
		if (ctxlen > 0)
			buf_append(&b, ctx, ctxlen);
		wr_end(&b, m, 1);
	}
	m = wr_begin(&b, 3);
	for (i = 0; !empty && c != NULL && i < c->n; i++) {
		mc = wr_begin(&b, 3);
		buf_append(&b, c->v[i].der, c->v[i].len);
		wr_end(&b, mc, 3);
		if (tls13)
			wr_u16(&b, 0);	/* no extensions */
	}
	wr_end(&b, m, 3);
	hs_send(t, HS_CERTIFICATE, b.data, b.len);
	buf_clear(&b);
}

/* An empty chain: a client must have the server's; a server refuses it
 * when it requires client certificates (TLS 1.3 has an alert for that). */
static int
peercert_empty(struct tls_engine *t, int tls13)
{
	if (!t->cfg->is_server)
		return engine_fail(t, TLS_ALERT_DECODE_ERROR, "the server sent "
		    "no certificate");
	if (t->cfg->client_auth == TLS_AUTH_REQUIRE)
		return engine_fail(t, tls13 ? TLS_ALERT_CERTIFICATE_REQUIRED :
		    TLS_ALERT_HANDSHAKE_FAILURE, "the client sent no "
		    "certificate, and one is required");
	return 0;
}

int
peercert_read(struct tls_engine *t, int tls13, const uint8_t *body,
    size_t len)
{
	struct rd r, ctx, list, ent, ext;
	const uint8_t *ders[TLS_MAX_CHAIN];
	size_t lens[TLS_MAX_CHAIN], n = 0;

	rd_init(&r, body, len);
	rd_init(&ctx, NULL, 0);
	if (tls13)
		rd_vec(&r, 1, &ctx);
	rd_vec(&r, 3, &list);
	if (!rd_done(&r))
		return engine_fail(t, TLS_ALERT_DECODE_ERROR, "Certificate "
		    "message: lengths do not add up");
	if (ctx.len != 0)
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "Certificate "
		    "message with a request context we did not send");
	while (rd_left(&list) > 0) {
		rd_vec(&list, 3, &ent);
		if (tls13)
			rd_vec(&list, 2, &ext);
		if (list.bad || ent.len == 0)
			return engine_fail(t, TLS_ALERT_DECODE_ERROR,
			    "Certificate message: bad certificate entry");
		if (n == TLS_MAX_CHAIN)
			return engine_fail(t, TLS_ALERT_BAD_CERTIFICATE, "peer "
			    "sent more than %d certificates", TLS_MAX_CHAIN);
		ders[n] = ent.p;
		lens[n] = ent.len;
		n++;
	}
	if (n == 0)
		return peercert_empty(t, tls13);
	return peercert_check(t, ders, lens, n) == -1 ? -1 : (int)n;
}

int
peercert_ours(const struct tls_engine *t)
{
	return t->cfg->chain != NULL && t->cfg->chain->n > 0 &&
	    (t->cfg->key != NULL || t->cfg->eckey != NULL);
}

int
peercert_key_ready(const struct tls_engine *t)
{
	return peercert_ours(t) && (t->cfg->key != NULL ?
	    t->cfg->key->has_private : t->cfg->eckey->has_private);
}

/* The digest a signature covers: tbs hashed with the scheme's hash, or
 * (tbs NULL) the transcript in that hash. Returns its size. */
static size_t
peercert_digest(const struct tls_engine *t, const struct sig_info *si,
    const uint8_t *tbs, size_t tbslen, uint8_t *d)
{
	if (tbs == NULL)
		return hs_transcript_hash_alg(t, si->hash, d);
	hash_digest(si->hash, tbs, tbslen, d);
	return hash_size(si->hash);
}

int
peercert_sign(struct tls_engine *t, unsigned scheme, const uint8_t *tbs,
    size_t tbslen, const char *what, struct buf *b)
{
	const struct rsakey *k = t->cfg->key;
	const struct sig_info *si = sig_find(scheme);
	uint8_t d[HASH_MAX_SIZE], *sig;
	size_t m;
	struct err e;
	int rc;

	if (si == NULL)
		return engine_fail(t, TLS_ALERT_INTERNAL_ERROR, "signing %s: "
		    "no signature scheme", what);
	peercert_digest(t, si, tbs, tbslen, d);
	wr_u16(b, scheme);
	m = wr_begin(b, 2);
	err_clear(&e);
	if (si->kind == SIGK_ECDSA) {
		uint8_t der[ECSIG_MAX_SIZE];
		size_t n;

		if (t->cfg->eckey == NULL ||
		    (n = ecsig_sign(t->cfg->eckey, d, hash_size(si->hash), der,
		    &e)) == 0)
			return engine_fail(t, TLS_ALERT_INTERNAL_ERROR,
			    "signing %s: %s", what, t->cfg->eckey == NULL ?
			    "no P-256 key" : e.msg);
		buf_append(b, der, n);
		wr_end(b, m, 2);
		if (trace_on(t))
			trace_printf(t, "  %s signed with %s", what, si->name);
		return 0;
	}
	if (k == NULL)
		return engine_fail(t, TLS_ALERT_INTERNAL_ERROR, "signing %s: "
		    "no RSA key for %s", what, si->name);
	sig = buf_reserve(b, k->pub.size);
	rc = si->kind == SIGK_RSA_PSS ? rsakey_sign_pss(k, si->hash, d, sig,
	    &e) : rsakey_sign_pkcs1(k, si->hash, d, sig, &e);
	if (rc == -1)
		return engine_fail(t, TLS_ALERT_INTERNAL_ERROR, "signing %s: %s",
		    what, e.msg);
	b->len += k->pub.size;
	wr_end(b, m, 2);
	if (trace_on(t))
		trace_printf(t, "  %s signed with %s", what, si->name);
	return 0;
}

int
peercert_verify(struct tls_engine *t, struct rd *r, const uint8_t *tbs,
    size_t tbslen, uint32_t offered, const char *what)
{
	struct rd sig;
	unsigned scheme = rd_u16(r);
	const struct sig_info *si = sig_find(scheme);
	const struct cert *leaf = &t->peer_chain.v[0];
	const struct rsa_public_key *pub = &leaf->key.pub;
	uint8_t d[HASH_MAX_SIZE];
	size_t dlen;
	struct err e;
	int rc;

	rd_vec(r, 2, &sig);
	if (!rd_done(r))
		return engine_fail(t, TLS_ALERT_DECODE_ERROR, "%s: lengths do "
		    "not add up", what);
	if (si == NULL || !(offered & sig_bit(scheme)))
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "%s signed "
		    "with scheme 0x%04x, which we did not offer", what, scheme);
	/* The scheme must fit the certificate's key (RFC 8446 4.4.3). */
	if ((si->kind == SIGK_ECDSA) != (leaf->key_alg == OID_EC_PUBLIC_KEY))
		return engine_fail(t, TLS_ALERT_ILLEGAL_PARAMETER, "%s signed "
		    "with %s, which does not fit the certificate's %s key",
		    what, si->name, leaf->key_alg == OID_EC_PUBLIC_KEY ?
		    "P-256" : "RSA");
	dlen = peercert_digest(t, si, tbs, tbslen, d);
	err_clear(&e);
	if (si->kind == SIGK_ECDSA)
		rc = ecsig_verify(&leaf->eckey, d, dlen, sig.p, sig.len, &e);
	else
		rc = si->kind == SIGK_RSA_PSS ? rsakey_verify_pss(pub, si->hash,
		    dlen, d, sig.p, sig.len, &e) : rsakey_verify_pkcs1(pub,
		    si->hash, d, sig.p, sig.len, &e);
	if (rc == -1)
		return engine_fail(t, TLS_ALERT_DECRYPT_ERROR, "the peer's %s "
		    "signature (%s) is bad: %s", what, si->name, e.msg);
	if (trace_on(t))
		trace_printf(t, "  the peer's %s signature (%s) is good", what,
		    si->name);
	return 0;
}
