/* estclient-enroll.c — EST (RFC 7030) enrollment: /cacerts and the
 * bootstrap of trust in the CA (4.1.1), /simpleenroll with HTTP Basic,
 * the certificate returned checked against the CA and the request, and
 * stored in the entity's keystore; see estclient.h. */
#include <errno.h>
#include <stdarg.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "asn1/pem.h"
#include "crypto/b64.h"
#include "crypto/hex.h"
#include "net/httpdec.h"
#include "net/loop.h"
#include "role/entity.h"
#include "role/estclient.h"
#include "store/keystore.h"
#include "util/xalloc.h"
#include "x509/cms.h"
#include "x509/csr.h"

/* A certs-only answer: a few certificates. */
#define ESTCLIENT_MAX_CMS (256 * 1024)
/* Retry-After taken: at least 1 s, at most an hour; 10 s when absent or a
 * date. */
#define ESTCLIENT_RETRY_MIN 1
#define ESTCLIENT_RETRY_MAX 3600
#define ESTCLIENT_RETRY_DEF 10

int
estclient_fp_parse(const char *text, uint8_t fp[ESTCLIENT_FP_SIZE],
    struct err *e)
{
	char hex[2 * ESTCLIENT_FP_SIZE + 1];
	const char *p = text;
	size_t n = 0;

	if (strncasecmp(p, "SHA256:", 7) == 0)
		p += 7;
	for (; *p != '\0'; p++) {
		if (*p == ':')
			continue;
		if (n == sizeof hex - 1 || hex_digit((unsigned char)*p) < 0)
			goto bad;
		hex[n++] = *p;
	}
	if (n != 2 * ESTCLIENT_FP_SIZE ||
	    hex_decode(hex, n, fp, ESTCLIENT_FP_SIZE) == -1)
		goto bad;
	return 0;
bad:
	return err_set(e, ERR_USAGE, "'%.80s': expected SHA256: and the 64 hex "
	    "digits of the CA certificate's SHA-256 (colons allowed)", text);
}

void
estclient_enroll_init(struct estclient_enroll *en,
    const struct estclient_enroll_conf *conf)
{
	memset(en, 0, sizeof *en);
	en->conf = conf;
	en->cfg.min_version = TLS_VERSION_12;
	en->cfg.max_version = TLS_VERSION_13;
	en->cfg.server_name = conf->target->host;
	en->cfg.anchors = conf->anchors;
	/* Without anchors the server is checked once /cacerts has given
	 * the CA (estclient_enroll_start). */
	en->cfg.peer_unchecked = conf->anchors == NULL;
	en->cfg.trace = conf->trace;
	en->cfg.cb_ctx = conf->ctx;
	estclient_conn_init(&en->conn, conf->target, &en->cfg, conf->timeout);
	en->conn.wait = conf->dial;
	cert_list_init(&en->cacerts);
	cert_list_init(&en->ca);
}

void
estclient_enroll_clear(struct estclient_enroll *en)
{
	estclient_conn_close(&en->conn);
	cert_list_clear(&en->cacerts);
	cert_list_clear(&en->ca);
}

/* The DER of a certs-only CMS in an EST answer: base64 (4.1.3), or DER
 * when the server sent it so. */
static int
estclient_certs_der(const struct httpcli_resp *r, struct buf *der,
    struct err *e)
{
	const char *cte = r->hdr[HTTPCLI_H_CONTENT_TRANSFER_ENCODING];

	if (cte == NULL && r->body_len > 0 && r->body[0] == 0x30) {
		buf_append(der, r->body, r->body_len);
		return 0;
	}
	if (httpdec_base64(r->body, r->body_len, ESTCLIENT_MAX_CMS, der, e)
	    == -1)
		return err_wrap(e, "the certs-only answer");
	return 0;
}

/* A borrowed list of a's certificates then b's; free only ->v. */
static void
estclient_join(const struct cert_list *a, const struct cert_list *b,
    struct cert_list *out)
{
	size_t i;

	out->n = a->n + b->n;
	out->v = xcalloc(out->n > 0 ? out->n : 1, sizeof *out->v);
	for (i = 0; i < a->n; i++)
		out->v[i] = a->v[i];
	for (i = 0; i < b->n; i++)
		out->v[a->n + i] = b->v[i];
}

/* The TLS server's chain, accepted unchecked during the bootstrap,
 * validated now that the CA is known: purpose serverAuth, the name. */
static int
estclient_check_server(struct estclient_enroll *en, struct err *e)
{
	const struct cert_list *pc = &en->conn.eng.peer_chain;
	struct cert_list rest, untrusted;
	struct verify_params p;
	struct verify_result res;
	int rc = 0;

	memset(&p, 0, sizeof p);
	rest.v = pc->v + 1;
	rest.n = pc->n - 1;
	estclient_join(&rest, &en->cacerts, &untrusted);
	p.anchors = &en->ca;
	p.untrusted = &untrusted;
	p.purpose = VERIFY_PURPOSE_SERVER;
	p.host = en->conf->target->host;
	p.at = (int64_t)time(NULL);
	verify_result_init(&res);
	if (verify_chain(&pc->v[0], &p, &res) == -1)
		rc = err_set(e, ERR_REFUSED, "the service's TLS certificate is "
		    "not the CA's: %s", res.reason != NULL ? res.reason :
		    verify_code_text(res.code));
	verify_result_clear(&res);
	free(untrusted.v);
	return rc;
}

int
estclient_enroll_start(struct estclient_enroll *en, struct err *e)
{
	const struct estclient_enroll_conf *conf = en->conf;
	const struct httpcli_resp *r = &en->conn.http.resp;
	struct httpcli_req q;
	struct cms cms;
	char want[3 * ESTCLIENT_FP_SIZE], got[3 * ESTCLIENT_FP_SIZE], *s;
	const struct cert *match = NULL;
	struct buf der;
	size_t i;
	int rc = -1;

	cms_init(&cms);
	buf_init(&der);
	memset(&q, 0, sizeof q);
	q.method = "GET";
	q.target = ESTCLIENT_PATH "/cacerts";
	q.host = conf->target->host;
	if (estclient_exchange(&en->conn, &q, e) == -1)
		goto out;
	if (r->status != 200) {
		estclient_http_fail(r, "GET " ESTCLIENT_PATH "/cacerts", e);
		goto out;
	}
	if (estclient_certs_der(r, &der, e) == -1)
		goto out;
	if (cms_parse(&cms, der.data, der.len, e) == -1) {
		err_wrap(e, "the certs-only answer");
		goto out;
	}
	if (cms.certs.n == 0) {
		err_set(e, ERR_INPUT, "the certs-only answer to /cacerts holds "
		    "no certificate");
		goto out;
	}
	for (i = 0; i < cms.certs.n; i++)
		if (cert_list_load(&en->cacerts, cms.certs.v[i].der,
		    cms.certs.v[i].len, e) == -1)
			goto out;
	if (conf->fingerprint != NULL) {
		for (i = 0; i < en->cacerts.n && match == NULL; i++)
			if (memcmp(en->cacerts.v[i].fp_sha256, conf->fingerprint,
			    ESTCLIENT_FP_SIZE) == 0)
				match = &en->cacerts.v[i];
		if (match == NULL) {
			/* name the CA certificate: the self-signed one, or
			 * the first */
			for (i = 0; i < en->cacerts.n && match == NULL; i++)
				if (cert_self_signed(&en->cacerts.v[i]))
					match = &en->cacerts.v[i];
			if (match == NULL)
				match = &en->cacerts.v[0];
			entity_fp_hex(conf->fingerprint, want);
			entity_fp_hex(match->fp_sha256, got);
			s = dn_to_string(&match->subject);
			err_set(e, ERR_REFUSED, "CA fingerprint mismatch: the "
			    "service's CA certificate '%s' is SHA256:%s, not "
			    "SHA256:%s as --ca-fingerprint says", s, got,
			    want);
			free(s);
			goto out;
		}
		if (cert_list_load(&en->ca, match->der, match->len, e) == -1)
			goto out;
	} else
		for (i = 0; i < conf->anchors->n; i++)
			if (cert_list_load(&en->ca, conf->anchors->v[i].der,
			    conf->anchors->v[i].len, e) == -1)
				goto out;
	/* From now on every connection checks the server against the CA;
	 * the one open is checked here. */
	if (en->cfg.peer_unchecked && en->conn.fd != -1 &&
	    estclient_check_server(en, e) == -1) {
		estclient_conn_close(&en->conn);
		estclient_conn_init(&en->conn, conf->target, &en->cfg,
		    conf->timeout);
		en->conn.wait = conf->dial;
		goto out;
	}
	en->cfg.anchors = &en->ca;
	en->cfg.peer_unchecked = 0;
	en->ready = 1;
	rc = 0;
out:
	buf_clear(&der);
	cms_clear(&cms);
	return rc;
}

/* Whether the request named a host (a DNS or IP name). */
static int
estclient_san_named(const struct san_list *asked)
{
	size_t j;

	for (j = 0; asked != NULL && j < asked->n; j++)
		if (asked->v[j].type == SAN_DNS || asked->v[j].type == SAN_IP)
			return 1;
	return 0;
}

/* The first name of the returned certificate that was not asked for, or
 * NULL. One name is not an extra: DNS:CN when the request named no host,
 * the CA's profile rule (role/profile.h, cn_as_dns: a server certificate
 * requested without --san names its host-like CN). */
static const struct san *
estclient_san_extra(const struct san_list *got, const struct san_list *asked,
    const char *cn)
{
	size_t i, j;
	const struct san *g, *a;

	for (i = 0; i < got->n; i++) {
		g = &got->v[i];
		for (j = 0; asked != NULL && j < asked->n; j++) {
			a = &asked->v[j];
			if (a->type != g->type)
				continue;
			if (g->type == SAN_IP ? (a->iplen == g->iplen &&
			    memcmp(a->ip, g->ip, g->iplen) == 0) :
			    strcasecmp(a->value, g->value) == 0)
				break;
		}
		if (asked != NULL && j < asked->n)
			continue;
		if (g->type == SAN_DNS && cn != NULL &&
		    strcasecmp(g->value, cn) == 0 && !estclient_san_named(asked))
			continue;
		return g;
	}
	return NULL;
}

int
estclient_enroll_check(const uint8_t *der, size_t len,
    const struct pkey *key, const struct dn *subject,
    const struct san_list *san, const struct cert_list *ca,
    const struct cert_list *extra, int64_t now, struct cert_list *certs,
    const struct cert **leafp, struct buf *chain_pem, struct err *e)
{
	struct cms cms;
	struct cert_list untrusted;
	struct verify_params p;
	struct verify_result res;
	const struct cert *leaf = NULL;
	const struct san *x;
	char *got = NULL, *want = NULL;
	size_t i;
	int rc = -1;

	cms_init(&cms);
	verify_result_init(&res);
	untrusted.v = NULL;
	if (cms_parse(&cms, der, len, e) == -1) {
		err_wrap(e, "the certs-only answer");
		goto out;
	}
	for (i = 0; i < cms.certs.n; i++)
		if (cert_list_load(certs, cms.certs.v[i].der,
		    cms.certs.v[i].len, e) == -1)
			goto out;
	for (i = 0; i < certs->n && leaf == NULL; i++)
		if (entity_cert_has_key(&certs->v[i], key))
			leaf = &certs->v[i];
	if (leaf == NULL) {
		err_set(e, ERR_REFUSED, "the CA returned a certificate for "
		    "another key: none of the %zu certificates holds the "
		    "public key requested", certs->n);
		goto out;
	}
	memset(&p, 0, sizeof p);
	estclient_join(certs, extra, &untrusted);
	p.anchors = ca;
	p.untrusted = &untrusted;
	p.purpose = VERIFY_PURPOSE_ANY;
	p.at = now;
	if (verify_chain(leaf, &p, &res) == -1) {
		err_set(e, ERR_REFUSED, "the returned certificate does not "
		    "verify against the CA: %s", res.reason != NULL ?
		    res.reason : verify_code_text(res.code));
		goto out;
	}
	if (!dn_equal(&leaf->subject, subject)) {
		got = dn_to_string(&leaf->subject);
		want = dn_to_string(subject);
		err_set(e, ERR_REFUSED, "the returned certificate's subject "
		    "'%s' is not the one requested ('%s')", got, want);
		goto out;
	}
	if ((x = estclient_san_extra(&leaf->ext.san, san,
	    dn_get(subject, OID_CN))) != NULL) {
		err_set(e, ERR_REFUSED, "the returned certificate names "
		    "'%s', which was not requested", x->value);
		goto out;
	}
	/* the leaf, then its path up to the anchor */
	pem_encode("CERTIFICATE", leaf->der, leaf->len, chain_pem);
	for (i = 1; i < res.chain_len; i++)
		pem_encode("CERTIFICATE", res.chain[i]->der, res.chain[i]->len,
		    chain_pem);
	*leafp = leaf;
	rc = 0;
out:
	free(got);
	free(want);
	free(untrusted.v);
	verify_result_clear(&res);
	cms_clear(&cms);
	return rc;
}

/* Waits ms milliseconds, or less when a signal comes. */
static int
estclient_sleep(int64_t ms, struct err *e)
{
	int64_t end = loop_now_ms() + ms, left;

	while ((left = end - loop_now_ms()) > 0) {
		if (poll(NULL, 0, (int)left) == -1 && errno != EINTR)
			return err_set(e, ERR_IO, "poll: %s", strerror(errno));
		if (loop_signalled())
			return err_set(e, ERR_IO, "interrupted");
	}
	return 0;
}

static long
estclient_retry_after(const char *v)
{
	char *end;
	long n;

	if (v == NULL || *v < '0' || *v > '9')
		return ESTCLIENT_RETRY_DEF;	/* absent, or an HTTP-date */
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n > ESTCLIENT_RETRY_MAX)
		return ESTCLIENT_RETRY_MAX;
	return n < ESTCLIENT_RETRY_MIN ? ESTCLIENT_RETRY_MIN : n;
}

static void __attribute__((format(printf, 2, 3)))
estclient_progress(const struct estclient_enroll_conf *conf,
    const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (conf->progress == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	conf->progress(conf->ctx, line);
}

/* The entity's key: the keystore's when it exists without a certificate
 * (a request left pending), else a new one. */
static int
estclient_key(const struct estclient_enroll_conf *conf, const struct ws *ws,
    const char *name, const void *pass, size_t passlen, struct pkey *key,
    struct err *e)
{
	struct cert_list chain;
	struct err ce;
	int rc;

	if (!keystore_exists(ws, name)) {
		if (conf->type == PKEY_EC)
			return entity_new_ec_key(ws, name, pass, passlen, key,
			    e);
		key->type = PKEY_RSA;
		return entity_new_key(ws, name, conf->bits, pass, passlen, NULL,
		    NULL, &key->rsa, e);
	}
	cert_list_init(&chain);
	err_clear(&ce);
	rc = entity_load_chain(ws, name, &chain, &ce);
	cert_list_clear(&chain);
	if (rc == 0)
		return err_set(e, ERR_REFUSED, "entity '%s' already has a "
		    "certificate", name);
	if (ce.kind != ERR_REFUSED) {
		*e = ce;
		return -1;
	}
	estclient_progress(conf, "%s: the keystore has no certificate yet: "
	    "its key is sent again", name);
	return entity_unlock_any(ws, name, pass, passlen, NULL, key, e);
}

int
estclient_enroll_entity(struct estclient_enroll *en, const struct ws *ws,
    const char *name, const struct dn *subject, const struct san_list *san,
    const void *pass, size_t passlen, struct estclient_issued *out,
    struct err *e)
{
	const struct estclient_enroll_conf *conf = en->conf;
	const struct httpcli_resp *r = &en->conn.http.resp;
	struct pkey key;
	struct httpcli_req q;
	struct buf body, auth, pem, der;
	struct cert_list certs;
	const struct cert *leaf;
	uint8_t *csr = NULL;
	size_t csrlen;
	int64_t wait_end = 0, left;
	long retry;
	char *s;
	int rc = -1;

	memset(out, 0, sizeof *out);
	pkey_init(&key);
	buf_init(&body);
	buf_init(&auth);
	buf_init(&pem);
	buf_init(&der);
	cert_list_init(&certs);
	if (!en->ready && estclient_enroll_start(en, e) == -1)
		goto out;
	if (estclient_key(conf, ws, name, pass, passlen, &key, e) == -1)
		goto out;
	if (entity_new_csr(ws, name, subject, san, pass, passlen, &csr,
	    &csrlen, e) == -1)
		goto out;
	b64_encode(csr, csrlen, 1, &body);
	memset(&q, 0, sizeof q);
	q.method = "POST";
	q.target = ESTCLIENT_PATH "/simpleenroll";
	q.host = conf->target->host;
	q.content_type = "application/pkcs10";
	q.content_transfer_encoding = "base64";
	q.body = body.data;
	q.body_len = body.len;
	if (conf->token != NULL) {
		if (httpcli_basic(name, conf->token, &auth, e) == -1)
			goto out;
		q.authorization = (const char *)auth.data;
	}
	for (;;) {
		if (estclient_exchange(&en->conn, &q, e) == -1)
			goto out;
		if (r->status != 202)
			break;
		/* EST 4.2.3: queued; the same request again later */
		retry = estclient_retry_after(r->hdr[HTTPCLI_H_RETRY_AFTER]);
		out->retry_after = retry;
		/* the wait counts from the first "pending" */
		if (wait_end == 0)
			wait_end = loop_now_ms() + 1000 * (int64_t)conf->wait_s;
		left = wait_end - loop_now_ms();
		if (!conf->wait) {
			err_set(e, ERR_REFUSED, "%s: pending: the request waits "
			    "for the CA operator's approval (retry after %ld "
			    "s)", name, retry);
			rc = 1;
			goto out;
		}
		if (left <= 0) {
			err_set(e, ERR_REFUSED, "%s: still pending after %d s: "
			    "the CA operator has not decided", name,
			    conf->wait_s);
			rc = 1;
			goto out;
		}
		if (1000 * (int64_t)retry > left)
			retry = (long)((left + 999) / 1000);
		estclient_progress(conf, "%s: waiting for the CA operator to "
		    "approve the request (next try in %ld s, %lld s left)",
		    name, retry, (long long)((left + 999) / 1000));
		if (estclient_sleep(1000 * (int64_t)retry, e) == -1)
			goto out;
	}
	switch (r->status) {
	case 200:
		break;
	case 401:
		if (conf->token != NULL) {
			/* the service says why: used, expired, revoked */
			char why[201];

			if (estclient_http_reason(r, why, sizeof why) > 0)
				err_set(e, ERR_REFUSED, "the CA refused the "
				    "token for '%s' (401 Unauthorized): %s",
				    name, why);
			else
				err_set(e, ERR_REFUSED, "the CA refused the "
				    "token for '%s' (401 Unauthorized)", name);
		} else
			err_set(e, ERR_REFUSED, "the CA wants a token for '%s' "
			    "(401 Unauthorized): give --token", name);
		goto out;
	case 400:
	case 403:
		estclient_http_fail(r, "the CA refused the request", e);
		e->kind = ERR_REFUSED;
		goto out;
	default:
		estclient_http_fail(r, "POST " ESTCLIENT_PATH "/simpleenroll",
		    e);
		goto out;
	}
	if (estclient_certs_der(r, &der, e) == -1 ||
	    estclient_enroll_check(der.data, der.len, &key, subject, san,
	    &en->ca, &en->cacerts, (int64_t)time(NULL), &certs, &leaf, &pem,
	    e) == -1)
		goto out;
	if (entity_import_cert(ws, name, pem.data, pem.len, pass, passlen, e)
	    == -1)
		goto out;
	s = dn_to_string(&leaf->subject);
	snprintf(out->subject, sizeof out->subject, "%s", s);
	free(s);
	cert_serial_hex(leaf->serial, leaf->serial_len, out->serial,
	    sizeof out->serial);
	out->not_after = leaf->not_after;
	rc = 0;
out:
	free(csr);
	pkey_clear(&key);
	buf_clear(&body);
	buf_clear_secret(&auth);
	buf_clear(&pem);
	buf_clear(&der);
	cert_list_clear(&certs);
	return rc;
}
