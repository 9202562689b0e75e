/* lifecycle.c — revocation, CRLs, renewal, intermediate CAs, check; see
 * lifecycle.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asn1/pem.h"
#include "crypto/hex.h"
#include "crypto/rand.h"
#include "role/cacrl.h"
#include "role/caconstr.h"
#include "role/capolicy.h"
#include "role/entity.h"
#include "role/enroll.h"
#include "role/lifecycle.h"
#include "store/audit.h"
#include "store/journal.h"
#include "util/file.h"
#include "util/xalloc.h"

static const char *const lifecycle_words[] = {
	[LIFECYCLE_VALID] = "valid",
	[LIFECYCLE_REVOKED] = "revoked",
	[LIFECYCLE_ON_HOLD] = "on-hold",
	[LIFECYCLE_EXPIRED] = "expired",
	[LIFECYCLE_SUPERSEDED] = "superseded",
};

/* Revoked with reason certificateHold: on the CRL until removeFromCRL. */
static int
on_hold(const struct cadb_cert *c)
{
	return c->status == CADB_REVOKED && c->reason != NULL &&
	    strcmp(c->reason, "certificateHold") == 0;
}

enum lifecycle_state
lifecycle_state(const struct cadb_cert *c, int64_t now)
{
	if (c->status == CADB_REVOKED)
		return on_hold(c) ? LIFECYCLE_ON_HOLD : LIFECYCLE_REVOKED;
	if (c->not_after < now)
		return LIFECYCLE_EXPIRED;
	if (c->superseded_by != NULL)
		return LIFECYCLE_SUPERSEDED;
	return LIFECYCLE_VALID;
}

const char *
lifecycle_status(const struct cadb_cert *c, int64_t now)
{
	return lifecycle_words[lifecycle_state(c, now)];
}

int
lifecycle_status_ok(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof lifecycle_words / sizeof lifecycle_words[0];
	    i++)
		if (strcmp(w, lifecycle_words[i]) == 0)
			return 1;
	return 0;
}

int
lifecycle_match(const struct cadb_cert *c, int64_t now, const char *status,
    long expiring_days)
{
	enum lifecycle_state s = lifecycle_state(c, now);

	if (status != NULL && strcmp(lifecycle_words[s], status) != 0 &&
	    !(s == LIFECYCLE_ON_HOLD && strcmp(status, "revoked") == 0))
		return 0;
	if (expiring_days >= 0 && (c->status == CADB_REVOKED ||
	    c->not_after < now ||
	    c->not_after > now + (int64_t)expiring_days * 86400))
		return 0;
	return 1;
}

/* ---- serials ---- */

int
lifecycle_serial_norm(const char *serial, char out[CADB_SERIAL_MAX + 1])
{
	const char *p = serial;
	size_t n = 0, run = 0;
	int pairs = strchr(serial, ':') != NULL;
	char c;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (*p == '\0')
		return -1;
	for (; *p != '\0'; p++) {
		c = *p;
		if (c == ':') {
			/* Only between pairs: "01:23", not "1:23", "01::" */
			if (run != 2 || p[1] == '\0')
				return -1;
			run = 0;
			continue;
		}
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		if (pairs && ++run > 2)
			return -1;
		if (n == 0 && c == '0')
			continue;	/* a leading zero */
		if (n == CADB_SERIAL_MAX)
			return -1;
		out[n++] = c;
	}
	if (n == 0)
		out[n++] = '0';
	out[n] = '\0';
	return 0;
}

int
lifecycle_serial_eq(const char *a, const char *b)
{
	char x[CADB_SERIAL_MAX + 1], y[CADB_SERIAL_MAX + 1];

	return lifecycle_serial_norm(a, x) == 0 &&
	    lifecycle_serial_norm(b, y) == 0 && strcmp(x, y) == 0;
}

const struct cadb_cert *
lifecycle_find(const struct ca *ca, const char *serial)
{
	char s[CADB_SERIAL_MAX + 1];

	if (lifecycle_serial_norm(serial, s) == -1)
		return NULL;
	return cadb_find(&ca->db, s);
}

static int
audit(struct ca *ca, const char *action, struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
audit(struct ca *ca, const char *action, struct err *e, const char *fmt, ...)
{
	char details[AUDIT_DETAILS_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(details, sizeof details, fmt, ap);
	va_end(ap);
	/* In a group commit (db.defer_sync) the caller syncs the log with
	 * the database before anything goes out (caserve-batch.c). */
	if (audit_append_flags(ca->ws, ca->name, action, details,
	    ca->db.defer_sync ? AUDIT_NOSYNC : 0, e) == -1)
		return err_wrap(e, "CA '%s': done and recorded, but not "
		    "audited", ca->name);
	return 0;
}

/* ---- revocation ---- */

int
lifecycle_revoke_check(const struct ca *ca, const char *serial,
    const char *reason, struct err *e)
{
	const struct cadb_cert *c = lifecycle_find(ca, serial);
	int r = crl_reason_find(reason);
	int held;

	if (c == NULL)
		return err_set(e, ERR_USAGE, "CA '%s' has no certificate with "
		    "serial %s", ca->name, serial);
	if (r < 0 || r > CRL_REASON_REMOVE_FROM_CRL)
		return err_set(e, ERR_USAGE, "unknown reason '%s' (use "
		    "unspecified, keyCompromise, cACompromise, "
		    "affiliationChanged, superseded, cessationOfOperation, "
		    "certificateHold or removeFromCRL)", reason);
	held = on_hold(c);
	if (r == CRL_REASON_REMOVE_FROM_CRL && !held)
		return err_set(e, ERR_REFUSED, "serial %s is not on hold "
		    "(removeFromCRL only lifts a certificateHold)", c->serial);
	if (c->status == CADB_REVOKED && !held)
		return err_set(e, ERR_REFUSED, "serial %s is already revoked "
		    "(%s)", c->serial, c->reason != NULL ? c->reason : "?");
	if (held && r == CRL_REASON_CERTIFICATE_HOLD)
		return err_set(e, ERR_REFUSED, "serial %s is already on hold",
		    c->serial);
	return 0;
}

int
lifecycle_revoke(struct ca *ca, const char *serial, const char *reason,
    int64_t when, int64_t invalidity, struct err *e)
{
	const struct cadb_cert *c;
	char s[CADB_SERIAL_MAX + 1];
	const char *name;

	if (lifecycle_revoke_check(ca, serial, reason, e) == -1)
		return -1;
	c = lifecycle_find(ca, serial);
	snprintf(s, sizeof s, "%s", c->serial);
	name = crl_reason_name(crl_reason_find(reason));
	if (invalidity != 0 && crl_reason_find(reason) ==
	    CRL_REASON_REMOVE_FROM_CRL)
		return err_set(e, ERR_USAGE, "an invalidity date makes no sense "
		    "with removeFromCRL");
	if (cadb_revoke_invalid(&ca->db, s, when, name, invalidity, e) == -1)
		return err_wrap(e, "CA '%s'", ca->name);
	return audit(ca, "revoke", e, "serial %s reason %s", s, name);
}

/* ---- CRLs ---- */

char *
lifecycle_crl_path(const struct ca *ca)
{
	char *dir = ws_ca_dir(ca->ws, ca->name), *p;

	p = xasprintf("%s/crl.pem", dir);
	free(dir);
	return p;
}

int
lifecycle_crl(struct ca *ca, long days, int64_t now, uint8_t **der,
    size_t *len, uint64_t *number, struct err *e)
{
	return lifecycle_crl_ex(ca, 0, days, now, der, len, number, NULL, e);
}

char *
lifecycle_delta_path(const struct ca *ca)
{
	char *dir = ws_ca_dir(ca->ws, ca->name), *p;

	p = xasprintf("%s/%s", dir, CACRL_DELTA_PATH);
	free(dir);
	return p;
}

/* The CA's URL with suffix, or NULL. */
static char *
url_with(const struct ca *ca, const char *suffix)
{
	const char *url = ca_url(ca);
	size_t n;

	if (url == NULL)
		return NULL;
	n = strlen(url);
	if (n > 0 && url[n - 1] == '/')
		n--;
	return xasprintf("%.*s%s", (int)n, url, suffix);
}

/* crl.pem as the base of a delta: the CA's, complete, numbered, and
 * naming a freshestCRL (else relying parties such as OpenSSL never look
 * for a delta). */
static int
load_base(const struct ca *ca, struct crl *base, uint64_t *num,
    struct err *e)
{
	char *path = lifecycle_crl_path(ca);
	struct err e2;
	int rc = -1;

	if (access(path, F_OK) == -1) {
		err_set(e, ERR_USAGE, "CA '%s' has no complete CRL to be the "
		    "base of a delta: run `ca crl` first", ca->name);
		goto out;
	}
	if (crl_load_file(base, path, e) == -1)
		goto out;
	err_clear(&e2);
	if (!dn_equal(&base->issuer, &ca->root.subject) ||
	    !crl_check_signature(base, &ca->root, &e2) || base->is_delta ||
	    crl_number_u64(base, num) == -1) {
		err_set(e, ERR_INPUT, "ca/%s/crl.pem: not a complete CRL "
		    "numbered and signed by the CA", ca->name);
		goto out;
	}
	if (!base->has_freshest) {
		err_set(e, ERR_REFUSED, "ca/%s/crl.pem (number %llu) names no "
		    "freshestCRL, so relying parties would not look for a "
		    "delta: set the CA's URL (`ca set-url`) and run `ca crl` "
		    "first", ca->name, (unsigned long long)*num);
		goto out;
	}
	rc = 0;
out:
	free(path);
	return rc;
}

int
lifecycle_crl_ex(struct ca *ca, int delta, long days, int64_t now,
    uint8_t **der, size_t *len, uint64_t *number,
    struct lifecycle_crl_info *info, struct err *e)
{
	struct lifecycle_crl_info dummy;
	struct crl_template t;
	struct cert_signer by;
	struct crl_entry *en = NULL;
	struct crl base, made;
	struct buf pem;
	char *path = NULL, *idp = NULL, *fresh = NULL;
	size_t i, n = 0;
	uint64_t basenum = 0;
	int r, rc = -1;

	buf_init(&pem);
	crl_init(&base);
	crl_init(&made);
	*der = NULL;
	if (info == NULL)
		info = &dummy;
	memset(info, 0, sizeof *info);
	if (!ca->unlocked || ca->db.lockfd == -1) {
		err_set(e, ERR_USAGE, "CA '%s' is not open for signing",
		    ca->name);
		goto out;
	}
	if (days == 0)
		days = delta ? LIFECYCLE_DELTA_DAYS : LIFECYCLE_CRL_DAYS;
	if (days < 1 || days > LIFECYCLE_CRL_MAX_DAYS) {
		err_set(e, ERR_USAGE, "CRL validity of %ld days: use 1 to %d",
		    days, LIFECYCLE_CRL_MAX_DAYS);
		goto out;
	}
	memset(&t, 0, sizeof t);
	if (delta) {
		if (load_base(ca, &base, &basenum, e) == -1 ||
		    cacrl_delta(ca, &base, &en, &n, e) == -1)
			goto out;
		/* RFC 5280 5.2.4: the delta's scope is its base's. */
		if (base.has_idp && (idp = url_with(ca, CA_URL_CRL)) == NULL) {
			err_set(e, ERR_REFUSED, "ca/%s/crl.pem has an "
			    "issuingDistributionPoint but the CA no longer has "
			    "a URL: run `ca crl` first", ca->name);
			goto out;
		}
		t.delta = 1;
		t.base_number = basenum;
		snprintf(info->idp_note, sizeof info->idp_note, "%s",
		    base.has_idp ? idp : "none, as on the base");
	} else {
		for (i = 0; i < ca->db.ncerts; i++)
			if (ca->db.certs[i].status == CADB_REVOKED)
				n++;
		en = xcalloc(n > 0 ? n : 1, sizeof *en);
		n = 0;
		for (i = 0; i < ca->db.ncerts; i++) {
			const struct cadb_cert *c = &ca->db.certs[i];

			if (c->status != CADB_REVOKED)
				continue;
			if (cacrl_entry(c, &en[n]) == -1) {
				err_set(e, ERR_INPUT, "%s: line %lu: serial too "
				    "long for a CRL", ca->db.label, c->line);
				goto out;
			}
			n++;
		}
		if ((r = cacrl_idp(ca, now, &idp, info->idp_note,
		    sizeof info->idp_note, e)) == -1)
			goto out;
		if (r == 1)
			snprintf(info->idp_note, sizeof info->idp_note, "%s",
			    idp);
		/* Where the deltas are: only a CA with a URL can say. */
		fresh = url_with(ca, CA_URL_DELTA);
	}
	t.idp = idp != NULL;
	t.idp_uri = idp;
	t.freshest_uri = fresh;
	t.issuer = &ca->root.subject;
	t.this_update = now;
	t.next_update = now + (int64_t)days * 86400;
	t.number = ca->db.crl_number + 1;
	t.aki = ca->keyid;
	t.aki_len = ca->keyid_len;
	t.entries = en;
	t.n = n;
	ca_signer(ca, &by);
	if (crl_build_by(&t, &by, der, len, e) == -1)
		goto out;
	if (delta && base.has_idp) {
		/* A verifier pairs a delta with a base of the same IDP only
		 * (OpenSSL compares the encodings). */
		if (crl_parse(&made, *der, *len, e) == -1)
			goto out;
		if (made.idp_len != base.idp_len || memcmp(made.idp_der,
		    base.idp_der, base.idp_len) != 0) {
			err_set(e, ERR_REFUSED, "the CA's URL changed since "
			    "ca/%s/crl.pem was made: run `ca crl` first",
			    ca->name);
			goto out;
		}
	}
	/* The number is spent before the file is written: a crash between
	 * the two leaves an older file, never a reused number. Deltas and
	 * complete CRLs share the sequence (RFC 5280 5.2.3). */
	if (cadb_crl_record(&ca->db, t.number, t.this_update, t.next_update,
	    e) == -1) {
		err_wrap(e, "CA '%s'", ca->name);
		goto out;
	}
	pem_encode("X509 CRL", *der, *len, &pem);
	path = delta ? lifecycle_delta_path(ca) : lifecycle_crl_path(ca);
	if (file_write(path, pem.data, pem.len, 0644, 0, e) == -1)
		goto out;
	*number = t.number;
	info->delta = delta;
	info->base_number = basenum;
	info->n = n;
	info->idp = t.idp;
	info->freshest = fresh != NULL;
	if (delta)
		r = audit(ca, "crl", e, "delta number %llu base %llu entries "
		    "%zu next_update +%ld days idp %s", (unsigned long long)
		    t.number, (unsigned long long)basenum, n, days,
		    info->idp_note);
	else
		r = audit(ca, "crl", e, "number %llu entries %zu next_update "
		    "+%ld days idp %s%s%s", (unsigned long long)t.number, n,
		    days, t.idp ? "" : "none: ", info->idp_note,
		    fresh != NULL ? " freshest yes" : "");
	if (r == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1) {
		free(*der);
		*der = NULL;
	}
	free(en);
	free(path);
	free(idp);
	free(fresh);
	crl_clear(&base);
	crl_clear(&made);
	buf_clear(&pem);
	return rc;
}

/* ---- renewal ---- */

static int
load_record_cert(const struct ca *ca, const struct cadb_cert *c,
    struct cert *out, struct err *e)
{
	struct buf der;
	int rc;

	buf_init(&der);
	rc = cadb_cert_der(&ca->db, c, &der, e);
	if (rc == 0 && (rc = cert_parse(out, der.data, der.len, e)) == -1)
		err_wrap(e, "%s: line %lu: cert", ca->db.label, c->line);
	buf_clear(&der);
	return rc;
}

int
lifecycle_renew_check(const struct ca *ca, const char *serial,
    const struct csr *rekey, struct cert *old, struct err *e)
{
	const struct cadb_cert *c;
	struct cert tmp;
	char *a, *b;
	int rc = -1;

	if ((c = lifecycle_find(ca, serial)) == NULL)
		return err_set(e, ERR_USAGE, "CA '%s' has no certificate with "
		    "serial %s", ca->name, serial);
	if (c->status == CADB_REVOKED)
		return err_set(e, ERR_REFUSED, "serial %s is revoked (%s): "
		    "issue a new certificate from a request instead",
		    c->serial, c->reason != NULL ? c->reason : "?");
	if (c->superseded_by != NULL)
		return err_set(e, ERR_REFUSED, "serial %s was already renewed "
		    "as %s", c->serial, c->superseded_by);
	if (old == NULL && rekey == NULL)
		return 0;	/* the old certificate is not needed */
	cert_init(&tmp);
	if (load_record_cert(ca, c, &tmp, e) == -1)
		goto out;
	if (rekey != NULL && !dn_equal(&rekey->subject, &tmp.subject)) {
		a = dn_to_string(&rekey->subject);
		b = dn_to_string(&tmp.subject);
		err_set(e, ERR_REFUSED, "the request's subject '%s' differs "
		    "from the certificate's '%s'", a, b);
		free(a);
		free(b);
		goto out;
	}
	rc = 0;
	if (old != NULL) {
		*old = tmp;	/* handed over: not cleared here */
		return 0;
	}
out:
	cert_clear(&tmp);
	return rc;
}

int
lifecycle_renew(struct ca *ca, const char *serial, const struct csr *rekey,
    long days, int revoke_old, int64_t now, struct ca_issued *out,
    struct err *e)
{
	const struct cadb_cert *c;
	const struct profile *p;
	struct cert old;
	struct cert_template t;
	char oldserial[CADB_SERIAL_MAX + 1];
	int rc = -1;

	cert_init(&old);
	memset(&t, 0, sizeof t);
	ext_info_init(&t.ext);
	if (!ca->unlocked || ca->db.lockfd == -1) {
		err_set(e, ERR_USAGE, "CA '%s' is not open for issuing",
		    ca->name);
		goto out;
	}
	if (lifecycle_renew_check(ca, serial, rekey, &old, e) == -1)
		goto out;
	c = lifecycle_find(ca, serial);
	snprintf(oldserial, sizeof oldserial, "%s", c->serial);
	if (days == 0)
		days = (long)((old.not_after - old.not_before +
		    CA_BACKDATE) / 86400);
	if (days < 1)
		days = 1;
	if (ca_check_days(days, e) == -1)
		goto out;
	if (rekey != NULL) {
		if ((p = profile_find(c->profile)) == NULL) {
			err_set(e, ERR_INPUT, "serial %s: unknown profile %s",
			    c->serial, c->profile);
			goto out;
		}
		if (ca_issue(ca, rekey, p, days, now, out, e) == -1)
			goto out;
	} else {
		if (old.key_alg != OID_RSA_ENCRYPTION &&
		    (old.key_alg != OID_EC_PUBLIC_KEY ||
		    !ec256key_has_public(&old.eckey))) {
			err_set(e, ERR_REFUSED, "serial %s: neither an RSA nor "
			    "a P-256 key", c->serial);
			goto out;
		}
		if (now - CA_BACKDATE >= ca->root.not_after) {
			err_set(e, ERR_REFUSED, "CA '%s': its certificate has "
			    "expired", ca->name);
			goto out;
		}
		ext_info_copy(&t.ext, &old.ext);
		t.subject = &old.subject;
		if (old.key_alg == OID_EC_PUBLIC_KEY)
			t.subject_ec = &old.eckey;
		else
			t.subject_key = &old.key;
		t.not_before = now - CA_BACKDATE;
		t.not_after = now + (int64_t)days * 86400;
		if (ca_sign_record(ca, &t, c->profile, out, e) == -1)
			goto out;
	}
	if (cadb_supersede(&ca->db, oldserial, out->serial, e) == -1) {
		err_wrap(e, "CA '%s'", ca->name);
		goto out;
	}
	if (revoke_old && cadb_revoke(&ca->db, oldserial, now, "superseded",
	    e) == -1) {
		err_wrap(e, "CA '%s'", ca->name);
		goto out;
	}
	if (audit(ca, "renew", e, "serial %s renewed as %s%s%s", oldserial,
	    out->serial, rekey != NULL ? " with a new key" : "",
	    revoke_old ? ", old revoked (superseded)" : "") == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1 && out->der != NULL) {
		free(out->der);
		out->der = NULL;
		out->len = 0;
	}
	ext_info_clear(&t.ext);
	cert_clear(&old);
	return rc;
}

/* Whether keystore name holds the certificate renewed from oldserial
 * (rekey NULL) or one of rekey's key. */
static int
renew_owner(const struct ca *ca, const char *name, const char *oldserial,
    const struct csr *rekey)
{
	struct keystore ks;
	struct cert_list l;
	char hex[2 * CERT_MAX_SERIAL + 1];
	int match = 0;

	keystore_init(&ks);
	cert_list_init(&l);
	if (keystore_load(ca->ws, name, &ks, NULL) == -1 ||
	    ks.cert_pem == NULL || cert_list_load(&l, (const uint8_t *)
	    ks.cert_pem, strlen(ks.cert_pem), NULL) == -1 || l.n == 0)
		goto out;
	if (rekey != NULL) {
		match = (l.v[0].key_alg == OID_RSA_ENCRYPTION &&
		    rekey->key_alg == OID_RSA_ENCRYPTION &&
		    entity_same_key(&l.v[0].key, &rekey->key)) ||
		    (l.v[0].key_alg == OID_EC_PUBLIC_KEY &&
		    rekey->key_alg == OID_EC_PUBLIC_KEY &&
		    ec256key_has_public(&rekey->eckey) &&
		    memcmp(l.v[0].eckey.pub, rekey->eckey.pub,
		    EC256_PUB_SIZE) == 0);
		goto out;
	}
	hex_serial(l.v[0].serial, l.v[0].serial_len, hex, sizeof hex);
	match = lifecycle_serial_eq(hex, oldserial);
out:
	cert_list_clear(&l);
	keystore_clear(&ks);
	return match;
}

int
lifecycle_renew_keystore(const struct ca *ca, const char *oldserial,
    const struct csr *rekey, char **name, struct err *e)
{
	char **names = NULL;
	size_t i, n = 0;

	*name = NULL;
	if (ws_list_keystores(ca->ws, &names, &n, e) == -1)
		return -1;
	for (i = 0; i < n && *name == NULL; i++) {
		if (strcmp(names[i], ca->name) == 0 ||
		    (ca->meta.keystore != NULL &&
		    strcmp(names[i], ca->meta.keystore) == 0))
			continue;	/* the CA's own */
		if (renew_owner(ca, names[i], oldserial, rekey))
			*name = xstrdup(names[i]);
	}
	ws_free_list(names, n);
	return 0;
}

/* ---- intermediate CAs ---- */

int
lifecycle_init_intermediate(const struct ws *ws, const char *name,
    struct ca *parent, const struct dn *subject, long pathlen,
    unsigned bits, long days, int64_t now, const void *pass,
    size_t passlen, uint8_t **der, size_t *len, struct err *e)
{
	return lifecycle_init_constrained(ws, name, parent, subject, pathlen,
	    NULL, NULL, bits, days, now, pass, passlen, der, len, e);
}

int
lifecycle_init_constrained(const struct ws *ws, const char *name,
    struct ca *parent, const struct dn *subject, long pathlen,
    const char *permit, const char *exclude, unsigned bits, long days,
    int64_t now, const void *pass, size_t passlen, uint8_t **der,
    size_t *len, struct err *e)
{
	return lifecycle_init_policy(ws, name, parent, subject, pathlen,
	    permit, exclude, NULL, PKEY_RSA, bits, days, now, pass, passlen,
	    der, len, e);
}

int
lifecycle_init_policy(const struct ws *ws, const char *name,
    struct ca *parent, const struct dn *subject, long pathlen,
    const char *permit, const char *exclude, const struct capolicy *pol,
    enum pkey_type type, unsigned bits, long days, int64_t now,
    const void *pass, size_t passlen, uint8_t **der, size_t *len,
    struct err *e)
{
	struct cert_template t;
	struct ca_issued iss;
	struct pkey key;
	struct buf pem;
	char d[AUDIT_DETAILS_MAX], pols[256], kt[32];
	long ppl = parent->root.ext.has_bc ? parent->root.ext.pathlen : -1;
	int rc = -1;

	*der = NULL;
	pkey_init(&key);
	buf_init(&pem);
	ca_issued_init(&iss);
	memset(&t, 0, sizeof t);
	ext_info_init(&t.ext);
	if (ws_check_name(name, e) == -1)
		goto out;
	if (!parent->unlocked || parent->db.lockfd == -1) {
		err_set(e, ERR_USAGE, "CA '%s' is not open for issuing",
		    parent->name);
		goto out;
	}
	if (ca_check_free(ws, name, e) == -1)
		goto out;
	if (ppl == 0) {
		err_set(e, ERR_REFUSED, "CA '%s' has pathLenConstraint 0: it "
		    "may not certify another CA", parent->name);
		goto out;
	}
	if (ppl > 0 && (pathlen < 0 || pathlen >= ppl)) {
		err_set(e, ERR_REFUSED, "CA '%s' has pathLenConstraint %ld: "
		    "the intermediate's must be below it (use --pathlen %ld "
		    "or less)", parent->name, ppl, ppl - 1);
		goto out;
	}
	if (ca_check_new(days, subject, e) == -1)
		goto out;
	if (caconstr_set(&t.ext, permit, exclude, e) == -1)
		goto out;
	if (capolicy_set(&t.ext, pol, e) == -1)
		goto out;
	/* A policy the parent does not assert is refused before a key is
	 * made (ca_sign_record would refuse it after). */
	if (capolicy_apply(&parent->root, &t.ext, e) == -1) {
		err_wrap(e, "CA '%s'", parent->name);
		goto out;
	}
	if (now - CA_BACKDATE >= parent->root.not_after) {
		err_set(e, ERR_REFUSED, "CA '%s': its certificate has expired",
		    parent->name);
		goto out;
	}
	if (ca_new_key(&key, type, bits, NULL, NULL, e) == -1)
		goto out;
	t.subject = subject;
	t.not_before = now - CA_BACKDATE;
	t.not_after = now + (int64_t)days * 86400;
	ca_template(&t, &key, pathlen);
	/* The parent records it first: a certificate is never out there
	 * without its issuer knowing. */
	if (ca_sign_record(parent, &t, "ca", &iss, e) == -1)
		goto out;
	if (audit(parent, "issue", e, "serial %s subject %s profile ca "
	    "(intermediate CA '%s')", iss.serial, iss.subject, name) == -1)
		goto out;

	pem_encode("CERTIFICATE", iss.der, iss.len, &pem);
	buf_puts(&pem, parent->ks.cert_pem);
	buf_putc(&pem, '\0');
	capolicy_text(&t.ext, pols, sizeof pols);
	ca_key_text(&key, kt, sizeof kt);
	snprintf(d, sizeof d, "intermediate CA under '%s' (serial %s there), "
	    "subject %s, %s, pathlen %ld%s%s%s%s%s%s", parent->name,
	    iss.serial, iss.subject, kt, pathlen,
	    permit != NULL ? ", permit " : "",
	    permit != NULL ? permit : "", exclude != NULL ? ", exclude " : "",
	    exclude != NULL ? exclude : "", *pols != '\0' ? ", policies " :
	    "", pols);
	if (ca_store_new(ws, name, &key, iss.subject, iss.not_after,
	    (const char *)pem.data, pass, passlen, d, e) == -1)
		goto out;
	*der = iss.der;
	*len = iss.len;
	iss.der = NULL;
	rc = 0;
out:
	ca_issued_clear(&iss);
	buf_clear(&pem);
	ext_info_clear(&t.ext);
	pkey_clear(&key);
	return rc;
}

/* ---- check ---- */

void
lifecycle_report_init(struct lifecycle_report *r)
{
	memset(r, 0, sizeof *r);
}

void
lifecycle_report_clear(struct lifecycle_report *r)
{
	size_t i;

	for (i = 0; i < r->nok; i++)
		free(r->ok[i]);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->ok);
	free(r->notes);
	lifecycle_report_init(r);
}

static void
report_add(char ***v, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
report_add(char ***v, size_t *n, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(line);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The audit log against the database: every serial an issue, revoke or
 * renew record names must be in the database (the database is written
 * first, so one missing there was lost); a certificate no record names
 * is only a note (issued before the audit log existed, a crash between
 * the two writes, or audit records removed from the end). */
static int
cross_check(const struct ca *ca, const struct audit_log *log,
    struct lifecycle_report *rep, struct err *e)
{
	char **seen = NULL, *tok;
	size_t nseen = 0, cap = 0, i, missing = 0, first = 0;
	const char *p, *q;
	int rc = -1;

	for (i = 0; i < log->n; i++) {
		const struct audit_rec *r = &log->v[i];

		if (strcmp(r->action, "issue") != 0 &&
		    strcmp(r->action, "revoke") != 0 &&
		    strcmp(r->action, "renew") != 0)
			continue;
		for (p = r->details; *p != '\0'; p = q) {
			for (q = p; (*q >= '0' && *q <= '9') ||
			    (*q >= 'a' && *q <= 'f'); q++)
				;
			if (q - p >= 16 && q - p <= CADB_SERIAL_MAX &&
			    (p == r->details || p[-1] == ' ') &&
			    (*q == '\0' || *q == ' ' || *q == ',')) {
				tok = xstrndup(p, (size_t)(q - p));
				if (cadb_find(&ca->db, tok) == NULL) {
					err_set(e, ERR_INPUT, "ca/%s/audit.yaml: "
					    "line %lu: record %lu: serial %s is "
					    "not in the database (a database "
					    "record was lost)", ca->name,
					    r->line, r->seq, tok);
					free(tok);
					goto out;
				}
				if (nseen == cap) {
					cap = cap == 0 ? 64 : cap * 2;
					seen = xreallocarray(seen, cap,
					    sizeof *seen);
				}
				seen[nseen++] = tok;
			}
			if (q == p)
				q++;
		}
	}
	/* No audit record names a serial: seen is NULL, which qsort may
	 * not be given even for no elements. */
	if (nseen > 0)
		qsort(seen, nseen, sizeof *seen, cmpstr);
	for (i = 0; i < ca->db.ncerts; i++) {
		const char *sp = ca->db.certs[i].serial;

		if (nseen == 0 || bsearch(&sp, seen, nseen, sizeof *seen,
		    cmpstr) == NULL) {
			if (missing++ == 0)
				first = i;
		}
	}
	if (missing > 0)
		report_add(&rep->notes, &rep->nnotes, "%zu of %zu certificates "
		    "have no audit record (the first: serial %s, %s line %lu): "
		    "issued before the audit log existed, or the audit write "
		    "was interrupted, or the log's last records were removed",
		    missing, ca->db.ncerts, ca->db.certs[first].serial,
		    ca->db.label, ca->db.certs[first].line);
	else
		report_add(&rep->ok, &rep->nok, "every certificate has its "
		    "audit record, every audited serial is in the database");
	rc = 0;
out:
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	return rc;
}

/* enroll_check's lines into the report. */
static void
report_line(void *ctx, int note, const char *line)
{
	struct lifecycle_report *rep = ctx;

	if (note)
		report_add(&rep->notes, &rep->nnotes, "%s", line);
	else
		report_add(&rep->ok, &rep->nok, "%s", line);
}

/* The number of delta-crl.pem when it is the CA's delta on base; -1
 * when there is none such (a number below the recorded one is then a
 * CRL never written). */
static int
delta_number(const struct ca *ca, const struct crl *base, uint64_t *num)
{
	struct crl d;
	struct err e2;
	char *path = lifecycle_delta_path(ca);
	uint64_t b;
	int rc = -1;

	crl_init(&d);
	err_clear(&e2);
	if (access(path, F_OK) == 0 && crl_load_file(&d, path, NULL) == 0 &&
	    d.is_delta && dn_equal(&d.issuer, &ca->root.subject) &&
	    crl_check_signature(&d, &ca->root, &e2) &&
	    crl_number_u64(&d, num) == 0 && crl_number_u64(base, &b) == 0 &&
	    crl_number_cmp(d.base_number, d.base_number_len, base->number,
	    base->number_len) == 0 && b < *num)
		rc = 0;
	crl_clear(&d);
	free(path);
	return rc;
}

/* The CA service's batch journal: what a crash of the system took from
 * the three files is written again (each under its writer's lock, as
 * any writer would: cadb_open, enrolldb_lock, audit_replay); a torn tail
 * of it is said. A lock held by a running service leaves that file to
 * the next writer. */
static int
journal_check(const struct ws *ws, const char *name,
    struct lifecycle_report *rep, struct err *e)
{
	struct enrolldb en;
	struct ca ca;
	struct err e2;
	char *dir = ws_ca_dir(ws, name), warning[512];
	unsigned long nrecs, missing, left;
	size_t i;
	int rc = -1;

	ca_init(&ca);
	enrolldb_init(&en);
	if (journal_status(dir, name, &nrecs, &missing, warning, e) == -1)
		goto out;
	if (warning[0] != '\0')
		report_add(&rep->notes, &rep->nnotes, "%s", warning);
	if (nrecs == 0) {
		rc = 0;
		goto out;
	}
	if (missing > 0) {
		err_clear(&e2);
		if (ca_open(&ca, ws, name, CA_WRITE | CA_APPEND, &e2) == -1)
			report_add(&rep->notes, &rep->nnotes, "journal: "
			    "certs.yaml not replayed now: %s", e2.msg);
		for (i = 0; i < ca.db.nwarnings; i++)
			report_add(&rep->notes, &rep->nnotes, "%s",
			    ca.db.warnings[i]);
		err_clear(&e2);
		if (enrolldb_open(&en, ws, name, &e2) == -1 ||
		    enrolldb_lock(&en, &e2) == -1)
			report_add(&rep->notes, &rep->nnotes, "journal: "
			    "enroll.yaml not replayed now: %s", e2.msg);
		enrolldb_unlock(&en);
		if (audit_replay(ws, name, e) == -1)
			goto out;
		if (journal_status(dir, name, &nrecs, &left, NULL, e) == -1)
			goto out;
		if (left > 0) {
			err_set(e, ERR_INPUT, "ca/%s/journal: %lu records of "
			    "%lu batches are still not in the files", name,
			    left, nrecs);
			goto out;
		}
		report_add(&rep->notes, &rep->nnotes, "ca/%s/journal: %lu "
		    "records a crash had lost written again (audited as "
		    "journal-replay)", name, missing);
	}
	report_add(&rep->ok, &rep->nok, "ca/%s/journal: %lu batch%s, every "
	    "record in the files", name, nrecs, nrecs == 1 ? "" : "es");
	rc = 0;
out:
	enrolldb_clear(&en);
	ca_clear(&ca);
	free(dir);
	return rc;
}

int
lifecycle_check(const struct ws *ws, const char *name, int repair,
    struct lifecycle_report *rep, struct err *e)
{
	struct ca ca;
	struct cert c;
	struct crl crl;
	struct audit_log log;
	struct err e2;
	char *path = NULL, *s = NULL, hex[2 * CERT_MAX_SERIAL + 1];
	size_t i, nrev = 0;
	uint64_t num, dnum = 0;
	int r, rc = -1;

	ca_init(&ca);
	cert_init(&c);
	crl_init(&crl);
	audit_log_init(&log);
	if (journal_check(ws, name, rep, e) == -1)
		goto out;
	if (repair) {
		/* Opening for writing cuts a torn last record (kept aside). */
		if (ca_open(&ca, ws, name, CA_WRITE, e) == -1)
			goto out;
		for (i = 0; i < ca.db.nwarnings; i++)
			report_add(&rep->notes, &rep->nnotes, "repair: %s",
			    ca.db.warnings[i]);
		if ((r = audit_repair(ws, name, e)) == -1)
			goto out;
		if (r == 1)
			report_add(&rep->notes, &rep->nnotes, "repair: "
			    "ca/%s/audit.yaml: the incomplete last record was "
			    "removed (kept in audit.yaml.torn)", name);
		ca_clear(&ca);
		ca_init(&ca);
	}
	if (ca_open(&ca, ws, name, 0, e) == -1 || cadb_verify(&ca.db, e) == -1)
		goto out;
	for (i = 0; i < ca.db.nwarnings; i++)
		report_add(&rep->notes, &rep->nnotes, "%s", ca.db.warnings[i]);
	report_add(&rep->ok, &rep->nok, "%s: %zu records, every checksum "
	    "matches", ca.db.label, ca.db.nevents);
	for (i = 0; i < ca.db.ncerts; i++) {
		const struct cadb_cert *rc1 = &ca.db.certs[i];

		if (load_record_cert(&ca, rc1, &c, e) == -1)
			goto out;
		hex_serial(c.serial, c.serial_len, hex, sizeof hex);
		if (!lifecycle_serial_eq(hex, rc1->serial)) {
			err_set(e, ERR_INPUT, "%s: line %lu: serial %s but the "
			    "certificate's is %s", ca.db.label, rc1->line,
			    rc1->serial, hex);
			goto out;
		}
		free(s);
		s = dn_to_string(&c.subject);
		if (strcmp(s, rc1->subject) != 0) {
			err_set(e, ERR_INPUT, "%s: line %lu: subject '%s' but "
			    "the certificate's is '%s'", ca.db.label, rc1->line,
			    rc1->subject, s);
			goto out;
		}
		err_clear(&e2);
		if (!cert_check_signature(&c, &ca.root, &e2)) {
			err_set(e, ERR_INPUT, "%s: line %lu: serial %s: the "
			    "CA's key does not verify the certificate (%s)",
			    ca.db.label, rc1->line, rc1->serial, e2.msg);
			goto out;
		}
		if (rc1->status == CADB_REVOKED)
			nrev++;
	}
	report_add(&rep->ok, &rep->nok, "%zu certificates decode, match "
	    "their records and carry the CA's signature (%zu revoked)",
	    ca.db.ncerts, nrev);
	if (audit_read(ws, name, &log, e) == -1)
		goto out;
	if (log.valid_end < log.size)
		report_add(&rep->notes, &rep->nnotes, "ca/%s/audit.yaml: the "
		    "last record is incomplete (torn write); --repair removes "
		    "it", name);
	report_add(&rep->ok, &rep->nok, "ca/%s/audit.yaml: %zu records, "
	    "every checksum and hash link matches", name, log.n);
	if (cross_check(&ca, &log, rep, e) == -1)
		goto out;
	if (enroll_check(ws, name, &ca.db, repair, (int64_t)time(NULL),
	    report_line, rep, e) == -1)
		goto out;
	path = lifecycle_crl_path(&ca);
	if (access(path, F_OK) == 0) {
		if (crl_load_file(&crl, path, e) == -1)
			goto out;
		err_clear(&e2);
		if (!dn_equal(&crl.issuer, &ca.root.subject)) {
			err_set(e, ERR_INPUT, "ca/%s/crl.pem: issuer is not "
			    "the CA", name);
			goto out;
		}
		if (!crl_check_signature(&crl, &ca.root, &e2)) {
			err_set(e, ERR_INPUT, "ca/%s/crl.pem: the CA's key does "
			    "not verify it (%s)", name, e2.msg);
			goto out;
		}
		if (crl_number_u64(&crl, &num) == -1) {
			err_set(e, ERR_INPUT, "ca/%s/crl.pem: no usable "
			    "cRLNumber", name);
			goto out;
		}
		if (num > ca.db.crl_number) {
			err_set(e, ERR_INPUT, "ca/%s/crl.pem: cRLNumber %llu "
			    "is above the last recorded (%llu)", name,
			    (unsigned long long)num,
			    (unsigned long long)ca.db.crl_number);
			goto out;
		}
		if (num < ca.db.crl_number && delta_number(&ca, &crl,
		    &dnum) == 0 && dnum == ca.db.crl_number)
			report_add(&rep->ok, &rep->nok, "ca/%s/%s: delta "
			    "number %llu on base %llu, signed by the CA", name,
			    CACRL_DELTA_PATH, (unsigned long long)dnum,
			    (unsigned long long)num);
		else if (num < ca.db.crl_number)
			report_add(&rep->notes, &rep->nnotes, "ca/%s/crl.pem: "
			    "cRLNumber %llu, but %llu was recorded: that CRL "
			    "was never written (interrupted); run `ca crl`",
			    name, (unsigned long long)num,
			    (unsigned long long)ca.db.crl_number);
		report_add(&rep->ok, &rep->nok, "ca/%s/crl.pem: number %llu, "
		    "%zu %s, signed by the CA", name, (unsigned long long)num,
		    crl.n, crl.n == 1 ? "entry" : "entries");
	}
	rc = 0;
out:
	free(s);
	free(path);
	audit_log_clear(&log);
	crl_clear(&crl);
	cert_clear(&c);
	ca_clear(&ca);
	return rc;
}
