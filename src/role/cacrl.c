/* cacrl.c — IDP safety and delta CRL entries of a CA. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "role/cacrl.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "x509/crldp.h"
#include "x509/dn.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex to minimal non-negative INTEGER content bytes. */
static int
serial_int(const char *hex, uint8_t *out, size_t *len)
{
	uint8_t mag[CERT_MAX_SERIAL];
	size_t n = strlen(hex), i, o = 0, skip = 0;
	int hi, lo;

	if (n == 0 || n > 2 * CERT_MAX_SERIAL)
		return -1;
	for (i = 0; i < n; o++) {
		hi = (n - i) % 2 == 1 ? 0 : hexval(hex[i++]);
		lo = hexval(hex[i++]);
		if (hi < 0 || lo < 0)
			return -1;
		mag[o] = (uint8_t)(hi << 4 | lo);
	}
	while (skip + 1 < o && mag[skip] == 0)
		skip++;
	o -= skip;
	i = 0;
	if (mag[skip] & 0x80) {
		if (o + 1 > CERT_MAX_SERIAL)
			return -1;
		out[i++] = 0;
	}
	memcpy(out + i, mag + skip, o);
	*len = i + o;
	return 0;
}

int
cacrl_entry(const struct cadb_cert *c, struct crl_entry *en)
{
	int r;

	memset(en, 0, sizeof *en);
	if (serial_int(c->serial, en->serial, &en->serial_len) == -1)
		return -1;
	en->date = c->revoked_at;
	r = c->reason != NULL ? crl_reason_find(c->reason) : 0;
	/* RFC 5280 5.3.1: leave unspecified out. */
	en->reason = r <= 0 ? CRL_REASON_NONE : r;
	en->has_invalidity = c->invalidity != 0;
	en->invalidity = c->invalidity;
	en->issuer = -1;
	return 0;
}

/* Whether cert der names uri as a fullName of one of its CDPs. */
static int
has_cdp(const struct cert *c, const char *uri)
{
	size_t i, j;

	if (!c->ext.has_cdp)
		return 0;
	for (i = 0; i < c->ext.ncdp; i++) {
		const struct san_list *l = &c->ext.cdp[i].full;

		if (c->ext.cdp[i].has_reasons || c->ext.cdp[i].crl_issuer.n > 0)
			continue;	/* a partial or indirect point */
		for (j = 0; j < l->n; j++)
			if (l->v[j].type == SAN_URI &&
			    strcmp(l->v[j].value, uri) == 0)
				return 1;
	}
	return 0;
}

int
cacrl_idp(const struct ca *ca, int64_t now, char **uri, char *why,
    size_t whylen, struct err *e)
{
	const char *url = ca_url(ca);
	struct buf der;
	struct cert c;
	size_t i, len, live = 0, lacking = 0, first = 0;
	char *u;
	int rc = -1;

	*uri = NULL;
	if (url == NULL) {
		snprintf(why, whylen, "the CA has no URL");
		return 0;
	}
	len = strlen(url);
	if (len > 0 && url[len - 1] == '/')
		len--;
	u = xasprintf("%.*s%s", (int)len, url, CA_URL_CRL);
	buf_init(&der);
	cert_init(&c);
	/* `openssl verify -crl_check_all` checks a root against its own
	 * CRL too, and finds it outside an IDP's scope unless the root
	 * carries the CDP (ours never does: it is made before any URL). */
	if (dn_equal(&ca->root.subject, &ca->root.issuer) &&
	    !has_cdp(&ca->root, u)) {
		snprintf(why, whylen, "the CA is a root, whose own certificate "
		    "lacks the CDP %s (openssl verify -crl_check_all checks it "
		    "against this CRL)", u);
		rc = 0;
		goto out;
	}
	for (i = 0; i < ca->db.ncerts; i++) {
		const struct cadb_cert *r = &ca->db.certs[i];

		if (r->not_after < now)
			continue;	/* no longer on any CRL's watch */
		live++;
		buf_clear(&der);
		buf_init(&der);
		cert_clear(&c);
		cert_init(&c);
		if (cadb_cert_der(&ca->db, r, &der, e) == -1 ||
		    cert_parse(&c, der.data, der.len, e) == -1) {
			err_wrap(e, "%s: line %lu: cert", ca->db.label,
			    r->line);
			goto out;
		}
		if (!has_cdp(&c, u) && lacking++ == 0)
			first = i;
	}
	if (lacking > 0) {
		snprintf(why, whylen, "%zu of %zu unexpired certificates lack "
		    "the CDP %s (the first: serial %s)", lacking, live, u,
		    ca->db.certs[first].serial);
		rc = 0;
		goto out;
	}
	*uri = u;
	u = NULL;
	rc = 1;
out:
	free(u);
	cert_clear(&c);
	buf_clear(&der);
	return rc;
}

int
cacrl_delta(const struct ca *ca, const struct crl *base,
    struct crl_entry **v, size_t *n, struct err *e)
{
	struct crl_entry en;
	const struct crl_entry *old;
	size_t i, cap = 0;

	*v = NULL;
	*n = 0;
	for (i = 0; i < ca->db.ncerts; i++) {
		const struct cadb_cert *c = &ca->db.certs[i];

		if (cacrl_entry(c, &en) == -1) {
			free(*v);
			*v = NULL;
			return err_set(e, ERR_INPUT, "%s: line %lu: serial too "
			    "long for a CRL", ca->db.label, c->line);
		}
		old = crl_find(base, en.serial, en.serial_len);
		if (c->status == CADB_REVOKED) {
			if (old != NULL && old->reason == en.reason)
				continue;	/* the base says it already */
		} else {
			if (old == NULL)
				continue;
			/* On the base, no longer revoked: a lifted hold. */
			en.reason = CRL_REASON_REMOVE_FROM_CRL;
			en.date = old->date;
			en.has_invalidity = 0;
		}
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*v = xreallocarray(*v, cap, sizeof **v);
		}
		(*v)[(*n)++] = en;
	}
	return 0;
}
