/* msg.c — signed and sealed messages between entities; see msg.h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "asn1/pem.h"
#include "role/entity.h"
#include "role/estclient.h"
#include "role/msg.h"
#include "util/xalloc.h"
#include "x509/cms.h"

/* ---- signing ---- */

/* Either key (the other NULL). */
static int
msg_sign_with(const struct rsakey *key, const struct ec256key *eckey,
    const struct cert_list *chain, const uint8_t *content, size_t len,
    const struct msg_sign_opts *o, uint8_t **der, size_t *derlen,
    struct err *e)
{
	static const struct msg_sign_opts defaults;
	struct cms_sign_params p;

	if (o == NULL)
		o = &defaults;
	memset(&p, 0, sizeof p);
	p.key = key;
	p.eckey = eckey;
	p.chain = chain;
	p.content = content;
	p.content_len = len;
	p.detached = o->detached;
	p.pss = o->pss;
	p.has_signing_time = 1;
	p.signing_time = o->now != 0 ? o->now : (int64_t)time(NULL);
	return cms_write_signed(&p, der, derlen, e);
}

int
msg_sign_key(const struct rsakey *key, const struct cert_list *chain,
    const uint8_t *content, size_t len, const struct msg_sign_opts *o,
    uint8_t **der, size_t *derlen, struct err *e)
{
	return msg_sign_with(key, NULL, chain, content, len, o, der, derlen,
	    e);
}

int
msg_sign_pkey(const struct pkey *key, const struct cert_list *chain,
    const uint8_t *content, size_t len, const struct msg_sign_opts *o,
    uint8_t **der, size_t *derlen, struct err *e)
{
	if (key->type == PKEY_EC)
		return msg_sign_with(NULL, &key->ec, chain, content, len, o,
		    der, derlen, e);
	return msg_sign_with(&key->rsa, NULL, chain, content, len, o, der,
	    derlen, e);
}

int
msg_sign(const struct ws *ws, const char *name, const void *pass,
    size_t passlen, const uint8_t *content, size_t len,
    const struct msg_sign_opts *o, uint8_t **der, size_t *derlen,
    struct err *e)
{
	struct pkey key;
	struct cert_list chain;
	int rc;

	*der = NULL;
	*derlen = 0;
	pkey_init(&key);
	cert_list_init(&chain);
	rc = entity_unlock_chain_any(ws, name, pass, passlen, NULL, &key,
	    &chain, e);
	if (rc == 0)
		rc = msg_sign_pkey(&key, &chain, content, len, o, der, derlen,
		    e);
	cert_list_clear(&chain);
	pkey_clear(&key);
	return rc;
}

/* ---- verifying ---- */

static const char *const verdict_names[] = {
	[MSG_GOOD] = "good",
	[MSG_INVALID] = "invalid",
	[MSG_REVOKED] = "revoked",
	[MSG_UNKNOWN] = "unknown",
	[MSG_MALFORMED] = "malformed",
};

const char *
msg_verdict_name(enum msg_verdict v)
{
	if ((unsigned)v >= sizeof verdict_names / sizeof verdict_names[0])
		return "?";
	return verdict_names[v];
}

void
msg_result_init(struct msg_result *r)
{
	memset(r, 0, sizeof *r);
	verify_result_init(&r->steps);
	r->verdict = MSG_MALFORMED;
}

void
msg_result_clear(struct msg_result *r)
{
	verify_result_clear(&r->steps);
	free(r->content);
	msg_result_init(r);
}

/* Appends src's steps to dst, prefixing each "what" with prefix. */
static void
steps_copy(struct verify_result *dst, const struct verify_result *src,
    const char *prefix)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		verify_step_add(dst, src->steps[i].code, xasprintf("%s%s",
		    prefix, src->steps[i].what), "%s", src->steps[i].why);
}

/* The OCSP status from the CA service at p->status_addr. */
static int
status_service(const struct msg_verify_params *p, const struct cert *leaf,
    const struct cert *issuer, int64_t now, struct ocsp_result *res,
    struct verify_result *steps, struct err *e)
{
	struct estclient_target t;
	struct estclient_conn c;
	struct tls_config cfg;
	int rc;

	if (estclient_target_parse(&t, p->status_addr, e) == -1)
		return -1;
	/* The service's certificate is checked against the anchors the
	 * message is checked against: one CA, one trust. */
	memset(&cfg, 0, sizeof cfg);
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	cfg.anchors = p->anchors;
	cfg.server_name = t.host;
	estclient_conn_init(&c, &t, &cfg, p->timeout > 0 ? p->timeout :
	    MSG_STATUS_TIMEOUT);
	rc = estclient_status(&c, leaf, issuer, now, res, steps, e);
	estclient_conn_close(&c);
	return rc;
}

/* Step 3: the signer's status; sets r->verdict unless good. */
static void
check_status(const struct msg_verify_params *p, const struct cert *leaf,
    const struct verify_result *chain, int64_t now, struct msg_result *r)
{
	struct verify_result st;
	struct err e;
	char text[256], *what;
	int rc;

	what = xasprintf("status of '%s'", r->signer);
	if (chain->chain_len < 2) {
		verify_step_add(&r->steps, VERIFY_OK, what, "the signer's "
		    "certificate is itself a trust anchor: nothing to ask");
		return;
	}
	verify_result_init(&st);
	err_clear(&e);
	if (p->status_fn != NULL)
		rc = p->status_fn(p->status_ctx, leaf, chain->chain[1], now,
		    &r->status, &st, &e);
	else
		rc = status_service(p, leaf, chain->chain[1], now, &r->status,
		    &st, &e);
	steps_copy(&r->steps, &st, "");
	verify_result_clear(&st);
	if (rc == -1) {
		verify_step_add(&r->steps, VERIFY_CRL, what, "no usable "
		    "answer: %s", e.msg);
		r->verdict = MSG_UNKNOWN;
		return;
	}
	r->status_checked = 1;
	ocsp_result_text(&r->status, text, sizeof text);
	if (r->status.status == OCSP_GOOD)
		verify_step_add(&r->steps, VERIFY_OK, what, "%s", text);
	else if (r->status.status == OCSP_REVOKED) {
		verify_step_add(&r->steps, VERIFY_REVOKED, what, "%s", text);
		r->verdict = MSG_REVOKED;
	} else {
		verify_step_add(&r->steps, VERIFY_CRL, what, "%s (the CA does "
		    "not know the certificate)", text);
		r->verdict = MSG_UNKNOWN;
	}
}

/* Step 2: the path of the signer's certificate, the message's
 * certificates and the caller's as candidates. both gets them, borrowed
 * (the caller frees only its array, after it is done with chain, which
 * points into it). */
static int
check_chain(const struct msg_verify_params *p, const struct cms *c,
    const struct cert *leaf, int64_t now, struct cert_list *both,
    struct verify_result *chain, struct msg_result *r)
{
	struct verify_params vp;
	size_t nu = p->untrusted != NULL ? p->untrusted->n : 0, i;
	int rc;

	both->n = c->certs.n + nu;
	both->v = xcalloc(both->n > 0 ? both->n : 1, sizeof *both->v);
	for (i = 0; i < c->certs.n; i++)
		both->v[i] = c->certs.v[i];
	for (i = 0; i < nu; i++)
		both->v[c->certs.n + i] = p->untrusted->v[i];
	memset(&vp, 0, sizeof vp);
	vp.anchors = p->anchors;
	vp.untrusted = both;
	vp.purpose = VERIFY_PURPOSE_EMAIL;
	vp.at = now;
	rc = verify_chain(leaf, &vp, chain);
	steps_copy(&r->steps, chain, "");
	return rc;
}

int
msg_verify(const uint8_t *data, size_t len, const struct msg_verify_params *p,
    struct msg_result *r, struct err *e)
{
	struct cms c;
	struct cms_verify_params cp;
	struct verify_result chain;
	struct cert_list both = { NULL, 0 };
	const struct cert *leaf = NULL;
	const struct cms_signer *s;
	char *name;
	int64_t now = p->at != 0 ? p->at : (int64_t)time(NULL);
	int rc = -1;

	msg_result_clear(r);
	cms_init(&c);
	verify_result_init(&chain);
	if (p->anchors == NULL || p->anchors->n == 0) {
		err_set(e, ERR_USAGE, "verifying a message needs trust "
		    "anchors");
		goto out;
	}
	if (msg_kind(data, len) == MSG_KIND_SEALED) {
		err_set(e, ERR_INPUT, "a sealed message, not a signed one: "
		    "open it first");
		goto out;
	}
	if (cms_load(&c, data, len, e) == -1)
		goto out;
	if (c.nsigners == 0) {
		err_set(e, ERR_INPUT, "the message has no signer (a "
		    "certificates-only message?)");
		goto out;
	}
	r->verdict = MSG_INVALID;
	r->detached = !c.has_content;
	memset(&cp, 0, sizeof cp);
	cp.content = p->content;
	cp.content_len = p->content_len;
	cp.extra = p->untrusted;
	cp.steps = &r->steps;
	/* Step 1; a message with several signers is good when its first
	 * is: that is the one shown. */
	if (cms_verify(&c, 0, &cp, &leaf, e) == -1) {
		if (e != NULL && e->kind == ERR_USAGE)
			r->verdict = MSG_MALFORMED;
		goto out;
	}
	s = &c.signers[0];
	r->has_signing_time = s->has_signing_time;
	r->signing_time = s->signing_time;
	name = dn_to_string(&leaf->subject);
	snprintf(r->signer, sizeof r->signer, "%s", name);
	free(name);
	cert_serial_hex(leaf->serial, leaf->serial_len, r->serial,
	    sizeof r->serial);
	if (c.has_content) {
		r->content_len = c.content_len;
		r->content = xmalloc(c.content_len > 0 ? c.content_len : 1);
		if (c.content_len > 0)
			memcpy(r->content, c.content, c.content_len);
	} else {
		r->content_len = p->content_len;
		r->content = xmalloc(p->content_len > 0 ? p->content_len : 1);
		if (p->content_len > 0)
			memcpy(r->content, p->content, p->content_len);
	}
	/* Step 2. */
	if (check_chain(p, &c, leaf, now, &both, &chain, r) == -1) {
		err_set(e, ERR_REFUSED, "%s", r->steps.reason != NULL ?
		    r->steps.reason : "the signer's certificate is not valid");
		goto out;
	}
	/* Step 3. */
	r->verdict = MSG_GOOD;
	if (p->status_fn != NULL || p->status_addr != NULL)
		check_status(p, leaf, &chain, now, r);
	if (r->verdict != MSG_GOOD) {
		err_set(e, ERR_REFUSED, "%s", r->steps.reason != NULL ?
		    r->steps.reason : msg_verdict_name(r->verdict));
		goto out;
	}
	rc = 0;
out:
	verify_result_clear(&chain);
	free(both.v);
	cms_clear(&c);
	return rc;
}

/* ---- sealing ---- */

int
msg_seal(const struct cert *const *to, size_t nto, const uint8_t *content,
    size_t len, const struct msg_seal_opts *o, uint8_t **der, size_t *derlen,
    struct err *e)
{
	static const struct msg_seal_opts defaults;
	struct cms_seal_params p;
	size_t i;
	char *name;

	*der = NULL;
	*derlen = 0;
	if (o == NULL)
		o = &defaults;
	/* Sealing to a P-256 key is ECDH key agreement (RFC 5753
	 * KeyAgreeRecipientInfo), which we do not write: said by name
	 * before the keyUsage check, which would only puzzle. */
	for (i = 0; i < nto; i++)
		if (to[i]->key_alg == OID_EC_PUBLIC_KEY) {
			name = dn_to_string(&to[i]->subject);
			err_set(e, ERR_REFUSED, "recipient '%s': a P-256 EC key: "
			    "sealing to EC recipients (ECDH key agreement) is "
			    "not supported; seal to an RSA certificate", name);
			free(name);
			return -1;
		}
	for (i = 0; i < nto; i++)
		if (to[i]->ext.has_ku &&
		    !(to[i]->ext.ku & KU_KEY_ENCIPHERMENT)) {
			name = dn_to_string(&to[i]->subject);
			err_set(e, ERR_REFUSED, "recipient '%s': keyUsage has "
			    "no keyEncipherment (not a certificate to seal "
			    "to)", name);
			free(name);
			return -1;
		}
	memset(&p, 0, sizeof p);
	p.to = to;
	p.nto = nto;
	p.content = content;
	p.content_len = len;
	p.gcm = o->gcm;
	p.kt = o->kt;
	return cms_write_sealed(&p, der, derlen, e);
}

/* ---- opening ---- */

int
msg_open_key(const struct rsakey *key, const struct cert *cert,
    const uint8_t *data, size_t len, struct buf *out, struct err *e)
{
	struct cms_env c;
	int rc;

	if (msg_kind(data, len) == MSG_KIND_SIGNED)
		return err_set(e, ERR_INPUT, "a signed message, not a sealed "
		    "one: verify it instead");
	cms_env_init(&c);
	rc = cms_env_load(&c, data, len, e);
	if (rc == 0)
		rc = cms_env_open(&c, cert, key, out, e);
	cms_env_clear(&c);
	return rc;
}

int
msg_open(const struct ws *ws, const char *name, const void *pass,
    size_t passlen, const uint8_t *data, size_t len, struct buf *out,
    struct err *e)
{
	struct rsakey key;
	struct cert_list chain;
	int rc;

	rsakey_init(&key);
	cert_list_init(&chain);
	rc = entity_unlock_chain(ws, name, pass, passlen, NULL, &key, &chain,
	    e);
	if (rc == 0)
		rc = msg_open_key(&key, &chain.v[0], data, len, out, e);
	cert_list_clear(&chain);
	rsakey_clear(&key);
	return rc;
}

/* ---- telling them apart ---- */

static enum msg_kind
kind_of_der(const uint8_t *der, size_t len)
{
	struct der d, ci;
	struct der_tlv t;

	der_init(&d, der, len, NULL);
	if (der_enter(&d, DER_SEQUENCE, "ContentInfo", &ci) == -1 ||
	    der_get_oid(&ci, "contentType", &t) == -1)
		return MSG_KIND_OTHER;
	switch (oid_find(t.val, t.len)) {
	case OID_PKCS7_SIGNED_DATA:
		return MSG_KIND_SIGNED;
	case OID_PKCS7_ENVELOPED_DATA:
	case OID_AUTH_ENVELOPED_DATA:
		return MSG_KIND_SEALED;
	default:
		return MSG_KIND_OTHER;
	}
}

enum msg_kind
msg_kind(const uint8_t *data, size_t len)
{
	struct pem_list pl;
	enum msg_kind k = MSG_KIND_OTHER;
	size_t i;

	if (!pem_detect(data, len))
		return kind_of_der(data, len);
	pem_list_init(&pl);
	if (pem_decode((const char *)data, len, &pl, NULL) == 0)
		for (i = 0; i < pl.n; i++)
			if (strcmp(pl.v[i].label, "CMS") == 0 ||
			    strcmp(pl.v[i].label, "PKCS7") == 0) {
				k = kind_of_der(pl.v[i].der, pl.v[i].len);
				break;
			}
	pem_list_clear(&pl);
	return k;
}
