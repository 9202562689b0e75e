/* peerstatus.c — a peer certificate's status from the CA service (OCSP or
 * its CRL), cached; see peerstatus.h. */
#include <stdio.h>
#include <string.h>

#include "role/peerstatus.h"
#include "x509/ocsp.h"
#include "x509/verify.h"

int
peerstatus_init(struct peerstatus *ps, const char *addr,
    enum peerstatus_mode mode, const struct cert_list *anchors, int timeout,
    int max_age, struct err *e)
{
	memset(ps, 0, sizeof *ps);
	crl_init(&ps->crl);
	if (estclient_target_parse(&ps->target, addr, e) == -1)
		return -1;
	ps->mode = mode;
	ps->anchors = anchors;
	ps->timeout = timeout;
	ps->max_age = max_age;
	ps->cfg.min_version = TLS_VERSION_12;
	ps->cfg.max_version = TLS_VERSION_13;
	ps->cfg.anchors = anchors;
	ps->cfg.server_name = ps->target.host;
	return 0;
}

void
peerstatus_clear(struct peerstatus *ps)
{
	crl_clear(&ps->crl);
	ps->has_crl = 0;
	ps->ncache = 0;
}

/* The issuer of c: in more, else among the anchors. */
static const struct cert *
peerstatus_issuer(const struct peerstatus *ps, const struct cert *c,
    const struct cert_list *more)
{
	const struct cert_list *l[2] = { more, ps->anchors };
	size_t i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; l[k] != NULL && i < l[k]->n; i++)
			if (&l[k]->v[i] != c &&
			    dn_equal(&l[k]->v[i].subject, &c->issuer) &&
			    cert_check_signature(c, &l[k]->v[i], NULL))
				return &l[k]->v[i];
	return NULL;
}

static struct peerstatus_entry *
peerstatus_find(struct peerstatus *ps, const struct cert *c,
    const struct cert *issuer)
{
	size_t i;

	for (i = 0; i < ps->ncache; i++)
		if (ps->cache[i].serial_len == c->serial_len &&
		    memcmp(ps->cache[i].serial, c->serial, c->serial_len) == 0
		    && memcmp(ps->cache[i].issuer_fp, issuer->fp_sha256, 32)
		    == 0)
			return &ps->cache[i];
	return NULL;
}

static void
peerstatus_store(struct peerstatus *ps, const struct cert *c,
    const struct cert *issuer, enum peerstatus_verdict v, const char *text,
    int64_t until)
{
	struct peerstatus_entry *en = peerstatus_find(ps, c, issuer);

	if (en == NULL) {
		if (ps->ncache < PEERSTATUS_CACHE)
			en = &ps->cache[ps->ncache++];
		else {
			en = &ps->cache[ps->next];
			ps->next = (ps->next + 1) % PEERSTATUS_CACHE;
		}
	}
	memcpy(en->serial, c->serial, c->serial_len);
	en->serial_len = c->serial_len;
	memcpy(en->issuer_fp, issuer->fp_sha256, 32);
	en->verdict = v;
	snprintf(en->text, sizeof en->text, "%s", text);
	en->until = until;
}

static enum peerstatus_verdict
peerstatus_ocsp(struct peerstatus *ps, const struct cert *c,
    const struct cert *issuer, int64_t now, char *text, size_t textlen)
{
	struct estclient_conn conn;
	struct ocsp_result res;
	struct verify_result steps;
	struct peerstatus_entry *en;
	struct err e;
	enum peerstatus_verdict v;
	char what[128];
	int64_t until;

	if ((en = peerstatus_find(ps, c, issuer)) != NULL && now < en->until) {
		snprintf(text, textlen, "%s (OCSP, cached)", en->text);
		return en->verdict;
	}
	err_clear(&e);
	verify_result_init(&steps);
	estclient_conn_init(&conn, &ps->target, &ps->cfg, ps->timeout);
	conn.wait = ps->dial;
	if (estclient_status(&conn, c, issuer, now, &res, &steps, &e) == -1) {
		snprintf(text, textlen, "unknown: no usable OCSP answer: %s",
		    e.msg);
		v = PEERSTATUS_UNKNOWN;
		goto out;
	}
	ocsp_result_text(&res, what, sizeof what);
	v = res.status == OCSP_GOOD ? PEERSTATUS_GOOD : res.status ==
	    OCSP_REVOKED ? PEERSTATUS_REVOKED : PEERSTATUS_UNKNOWN;
	until = now + ps->max_age;
	if (res.has_next_update && res.next_update < until)
		until = res.next_update;
	if (ps->max_age > 0)
		peerstatus_store(ps, c, issuer, v, what, until);
	snprintf(text, textlen, "%s (OCSP)", what);
out:
	estclient_conn_close(&conn);
	verify_result_clear(&steps);
	return v;
}

static enum peerstatus_verdict
peerstatus_crl(struct peerstatus *ps, const struct cert *c,
    const struct cert *issuer, int64_t now, char *text, size_t textlen)
{
	struct estclient_conn conn;
	const struct crl_entry *ce;
	const struct cert *signer;
	struct err e;
	char date[32];
	int stale;

	stale = !ps->has_crl || now - ps->crl_at >= ps->max_age ||
	    (ps->crl.has_next_update && ps->crl.next_update <= now);
	if (stale) {
		err_clear(&e);
		crl_clear(&ps->crl);
		crl_init(&ps->crl);
		ps->has_crl = 0;
		estclient_conn_init(&conn, &ps->target, &ps->cfg, ps->timeout);
		conn.wait = ps->dial;
		if (estclient_crl(&conn, ps->anchors, &ps->crl, &signer, &e)
		    == -1) {
			estclient_conn_close(&conn);
			snprintf(text, textlen, "unknown: no usable CRL: %s",
			    e.msg);
			return PEERSTATUS_UNKNOWN;
		}
		estclient_conn_close(&conn);
		ps->has_crl = 1;
		ps->crl_at = now;
	}
	if (!dn_equal(&ps->crl.issuer, &issuer->subject)) {
		snprintf(text, textlen, "unknown: the CRL is not of the "
		    "certificate's issuer (CRL)");
		return PEERSTATUS_UNKNOWN;
	}
	ce = crl_find(&ps->crl, c->serial, c->serial_len);
	if (ce == NULL) {
		snprintf(text, textlen, "good (CRL)");
		return PEERSTATUS_GOOD;
	}
	verify_format_time(ce->date, date, sizeof date);
	if (ce->reason != CRL_REASON_NONE)
		snprintf(text, textlen, "revoked (%s) on %s (CRL)",
		    crl_reason_name(ce->reason), date);
	else
		snprintf(text, textlen, "revoked on %s (CRL)", date);
	return PEERSTATUS_REVOKED;
}

enum peerstatus_verdict
peerstatus_check(struct peerstatus *ps, const struct cert *leaf,
    const struct cert_list *more, int64_t now, char *text, size_t textlen)
{
	const struct cert *issuer;

	if (leaf == NULL) {
		snprintf(text, textlen, "unknown: no certificate");
		return PEERSTATUS_UNKNOWN;
	}
	if ((issuer = peerstatus_issuer(ps, leaf, more)) == NULL) {
		snprintf(text, textlen, "unknown: its issuer is not known");
		return PEERSTATUS_UNKNOWN;
	}
	if (ps->mode == PEERSTATUS_CRL)
		return peerstatus_crl(ps, leaf, issuer, now, text, textlen);
	return peerstatus_ocsp(ps, leaf, issuer, now, text, textlen);
}
