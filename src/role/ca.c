/* ca.c — a certificate authority: create, open, issue; see ca.h. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asn1/pem.h"
#include "crypto/hex.h"
#include "crypto/rand.h"
#include "role/ca.h"
#include "role/caconstr.h"
#include "role/capresign.h"
#include "role/capriv.h"
#include "role/capolicy.h"
#include "role/caprofile.h"
#include "store/audit.h"
#include "util/file.h"
#include "x509/pkey.h"
#include "util/xalloc.h"

void
ca_init(struct ca *ca)
{
	memset(ca, 0, sizeof *ca);
	cadb_meta_init(&ca->meta);
	keystore_init(&ca->ks);
	cert_init(&ca->root);
	cadb_init(&ca->db);
	pkey_init(&ca->key);
}

void
ca_clear(struct ca *ca)
{
	free(ca->name);
	cadb_meta_clear(&ca->meta);
	keystore_clear(&ca->ks);
	cert_clear(&ca->root);
	/* The signer threads read the key: stopped before it is wiped. */
	capresign_stop(ca);
	cadb_clear(&ca->db);
	pkey_clear(&ca->key);
	memset(ca, 0, sizeof *ca);
}

void
ca_issued_init(struct ca_issued *r)
{
	memset(r, 0, sizeof *r);
}

void
ca_issued_clear(struct ca_issued *r)
{
	free(r->der);
	free(r->subject);
	memset(r, 0, sizeof *r);
}

/* A random serial: CA_SERIAL_BYTES bytes, top bit clear (positive) and a
 * non-zero first byte (so the encoding keeps its length): 127 - 7 bits of
 * entropy at least. */
static void
ca_random_serial(uint8_t s[CA_SERIAL_BYTES], char hex[CA_SERIAL_HEX])
{
	rand_bytes(s, CA_SERIAL_BYTES);
	s[0] &= 0x7f;
	if (s[0] == 0)
		s[0] = 0x01;
	hex_serial(s, CA_SERIAL_BYTES, hex, CA_SERIAL_HEX);
}

int
ca_fresh_serial(const struct ca *ca, uint8_t s[CA_SERIAL_BYTES],
    char hex[CA_SERIAL_HEX], struct err *e)
{
	int tries;

	/* A collision among 2^120 values is not expected; retry anyway. */
	for (tries = 0; tries < 16; tries++) {
		ca_random_serial(s, hex);
		if (!cadb_has_serial(&ca->db, hex))
			return 0;
	}
	return err_set(e, ERR_IO, "no fresh serial number found");
}

/* ---- the service URL ---- */

/* Whether host[0..n) is a DNS name (no wildcard), an IPv4 address, or an
 * IPv6 address in brackets. */
static int
ca_url_host_ok(const char *host, size_t n)
{
	char tmp[CA_URL_MAX + 1];
	uint8_t ip[16];
	struct san s;

	if (n == 0 || n > CA_URL_MAX)
		return 0;
	if (host[0] == '[') {
		if (n < 3 || host[n - 1] != ']')
			return 0;
		memcpy(tmp, host + 1, n - 2);
		tmp[n - 2] = '\0';
		return inet_pton(AF_INET6, tmp, ip) == 1;
	}
	memcpy(tmp, host, n);
	tmp[n] = '\0';
	/* All digits and dots: an address, or nothing ("999.1.1.1"). */
	if (strspn(tmp, "0123456789.") == n)
		return inet_pton(AF_INET, tmp, ip) == 1;
	memset(&s, 0, sizeof s);
	s.type = SAN_DNS;
	s.value = tmp;
	return strchr(tmp, '*') == NULL && san_value_ok(&s);
}

int
ca_check_url(const char *url, struct err *e)
{
	const char *host, *end, *colon, *close;
	size_t len, i;
	unsigned long port;
	char *stop;

	if (url == NULL || *url == '\0')
		return err_set(e, ERR_USAGE, "URL is empty");
	len = strlen(url);
	if (len > CA_URL_MAX)
		return err_set(e, ERR_USAGE, "URL is %zu bytes: at most %d "
		    "allowed", len, CA_URL_MAX);
	/* Checked before the URL is ever repeated in a message. */
	for (i = 0; i < len; i++)
		if ((unsigned char)url[i] <= 0x20 ||
		    (unsigned char)url[i] >= 0x7f)
			return err_set(e, ERR_USAGE, "URL: byte %zu is 0x%02x: "
			    "only printable ASCII without spaces is allowed",
			    i + 1, (unsigned char)url[i]);
	if (strncmp(url, "http://", 7) != 0)
		return err_set(e, ERR_USAGE, "URL '%s': only http:// is "
		    "supported (OCSP responses and CRLs are signed; clients "
		    "fetch them over plain HTTP)", url);
	host = url + 7;
	end = host + strcspn(host, "/?#");
	if (*end != '\0' && strcmp(end, "/") != 0)
		return err_set(e, ERR_USAGE, "URL '%s': no path, query or "
		    "fragment allowed (the CA appends %s, %s and %s)", url,
		    CA_URL_OCSP, CA_URL_CRL, CA_URL_CACERT);
	if (host == end)
		return err_set(e, ERR_USAGE, "URL '%s': no host", url);
	if (memchr(host, '@', (size_t)(end - host)) != NULL)
		return err_set(e, ERR_USAGE, "URL '%s': user information (@) "
		    "is not allowed", url);
	/* The port's colon: after the brackets of an IPv6 address. */
	close = host[0] == '[' ? memchr(host, ']', (size_t)(end - host)) :
	    NULL;
	if (host[0] == '[')
		colon = close != NULL && close + 1 < end ? close + 1 : end;
	else
		colon = memchr(host, ':', (size_t)(end - host));
	if (colon == NULL || *colon != ':')
		colon = end;
	if (!ca_url_host_ok(host, (size_t)(colon - host)))
		return err_set(e, ERR_USAGE, "URL '%s': bad host '%.*s' (use a "
		    "DNS name, an IPv4 address or an IPv6 one in brackets)",
		    url, (int)(colon - host), host);
	if (colon < end) {
		port = 0;
		if (end - colon - 1 >= 1 && end - colon - 1 <= 5 &&
		    strspn(colon + 1, "0123456789") ==
		    (size_t)(end - colon - 1))
			port = strtoul(colon + 1, &stop, 10);
		if (port < 1 || port > 65535)
			return err_set(e, ERR_USAGE, "URL '%s': bad port '%.*s' "
			    "(use 1 to 65535)", url, (int)(end - colon - 1),
			    colon + 1);
	}
	return 0;
}

const char *
ca_url(const struct ca *ca)
{
	return ca->meta.url;
}

int
ca_set_url(struct ca *ca, const char *url, struct err *e)
{
	char d[AUDIT_DETAILS_MAX], *old = ca->meta.url, *now = NULL;
	size_t len;

	if (ca->db.lockfd == -1)
		return err_set(e, ERR_USAGE, "CA '%s' is not open for writing",
		    ca->name);
	if (url != NULL) {
		if (ca_check_url(url, e) == -1)
			return -1;
		len = strlen(url);
		if (url[len - 1] == '/')
			len--;
		now = xstrndup(url, len);
	}
	ca->meta.url = now;
	if (cadb_meta_save(ca->ws, ca->name, &ca->meta, e) == -1) {
		ca->meta.url = old;
		free(now);
		return err_wrap(e, "CA '%s'", ca->name);
	}
	free(old);
	if (now != NULL)
		snprintf(d, sizeof d, "url %s", now);
	else
		snprintf(d, sizeof d, "url cleared");
	return audit_append(ca->ws, ca->name, "set-url", d, e);
}

/* What the CA's service URL puts in t (nothing without one): a renewal
 * copies the old certificate's extensions, so these are set afresh. */
static int
ca_url_locations(const struct ca *ca, struct ext_info *x, struct err *e)
{
	const char *url = ca->meta.url;
	char *u;
	size_t len;

	ext_locations_clear(x);
	if (url == NULL)
		return 0;
	/* ca.yaml may have been edited by hand since ca_set_url. */
	if (ca_check_url(url, e) == -1)
		return err_wrap(e, "CA '%s': ca.yaml: url", ca->name);
	len = strlen(url);
	if (url[len - 1] == '/')
		len--;
	u = xasprintf("%.*s%s", (int)len, url, CA_URL_OCSP);
	ext_aia_add_uri(x, OID_AD_OCSP, u);
	free(u);
	u = xasprintf("%.*s%s", (int)len, url, CA_URL_CACERT);
	ext_aia_add_uri(x, OID_AD_CA_ISSUERS, u);
	free(u);
	u = xasprintf("%.*s%s", (int)len, url, CA_URL_CRL);
	ext_cdp_add_uri(x, u);
	free(u);
	return 0;
}

int
ca_sign_prepare(struct ca *ca, struct cert_template *t, int *clamped,
    struct err *e)
{
	if (ca_url_locations(ca, &t->ext, e) == -1)
		return -1;
	/* What validation would refuse is not signed at all. */
	if (caconstr_check(ca, t, e) == -1)
		return -1;
	if (capolicy_apply(&ca->root, &t->ext, e) == -1) {
		err_wrap(e, "CA '%s'", ca->name);
		return -1;
	}
	t->issuer = &ca->root.subject;
	memcpy(t->ext.aki, ca->keyid, ca->keyid_len);
	t->ext.aki_len = ca->keyid_len;
	if (t->not_after > ca->root.not_after) {
		t->not_after = ca->root.not_after;
		*clamped = 1;
	}
	return 0;
}

int
ca_sign_record(struct ca *ca, struct cert_template *t, const char *profile,
    struct ca_issued *out, struct err *e)
{
	return ca_sign_record_req(ca, t, profile, NULL, out, e);
}

int
ca_sign_record_req(struct ca *ca, struct cert_template *t,
    const char *profile, const struct csr *req, struct ca_issued *out,
    struct err *e)
{
	struct cadb_issue rec;
	struct cert_signer signer;
	uint8_t serial[CA_SERIAL_BYTES];
	char *issuer = NULL;
	int rc = -1;

	if (ca_sign_prepare(ca, t, &out->clamped, e) == -1)
		goto out;
	/* Signed ahead in a batch (capresign.h), or here. */
	switch (req != NULL ? capresign_take(ca, req, t, out, e) : 0) {
	case -1:
		goto out;
	case 0:
		if (ca_fresh_serial(ca, serial, out->serial, e) == -1)
			goto out;
		t->serial = serial;
		t->serial_len = sizeof serial;
		ca_signer(ca, &signer);
		if (cert_build_by(t, &signer, &out->der, &out->len, e) == -1)
			goto out;
		break;
	}
	out->subject = dn_to_string(t->subject);
	out->not_before = t->not_before;
	out->not_after = t->not_after;
	issuer = dn_to_string(&ca->root.subject);
	memset(&rec, 0, sizeof rec);
	rec.serial = out->serial;
	rec.subject = out->subject;
	rec.issuer = issuer;
	rec.profile = profile;
	rec.not_before = t->not_before;
	rec.not_after = t->not_after;
	rec.cert_der = out->der;
	rec.cert_len = out->len;
	if (cadb_append(&ca->db, &rec, e) == -1) {
		err_wrap(e, "CA '%s'", ca->name);
		goto out;
	}
	rc = 0;
out:
	/* The serial lives on this stack only. */
	t->serial = NULL;
	t->serial_len = 0;
	free(issuer);
	return rc;
}

int
ca_store_new(const struct ws *ws, const char *name, const struct pkey *key,
    const char *subject, int64_t not_after, const char *chain_pem,
    const void *pass, size_t passlen, const char *details, struct err *e)
{
	struct keystore_info info;
	struct buf keyder;
	uint8_t fp[ENTITY_FP_SIZE];
	char notafter[WS_TIME_LEN], *path;
	int rc = -1;

	buf_init(&keyder);
	ws_time_format(not_after, notafter);
	memset(&info, 0, sizeof info);
	info.key_type = pkey_type_name(key);
	info.subject = subject;
	info.not_after = notafter;
	/* As entity keystores keep them: a P-256 key in SEC1. */
	if (key->type == PKEY_EC) {
		info.bits = 256;
		entity_key_fingerprint_any(key, fp);
		info.spki_sha256 = fp;
		pkey_encode_sec1(&key->ec, &keyder);
	} else {
		info.bits = rsakey_bits(&key->rsa);
		pkey_encode_pkcs1(&key->rsa, &keyder);
	}
	if (keystore_create(ws, name, keyder.data, keyder.len, pass, passlen,
	    chain_pem, &info, 0, e) == -1)
		goto out;
	if (cadb_create(ws, name, name, subject, e) == -1) {
		/* Leave nothing half made: the keystore is ours, just
		 * written. */
		path = ws_keystore_path(ws, name);
		(void)unlink(path);
		free(path);
		goto out;
	}
	if (audit_append(ws, name, "init", details, e) == -1)
		goto out;
	rc = 0;
out:
	buf_clear_secret(&keyder);
	return rc;
}

int
ca_check_free(const struct ws *ws, const char *name, struct err *e)
{
	struct cadb_meta meta;
	int found;

	cadb_meta_init(&meta);
	found = cadb_meta_load(ws, name, &meta, NULL) == 0;
	cadb_meta_clear(&meta);
	if (found)
		return err_set(e, ERR_REFUSED, "CA '%s' already exists", name);
	if (keystore_exists(ws, name))
		return err_set(e, ERR_REFUSED, "keystore '%s' already exists (a "
		    "CA needs a keystore of its own)", name);
	return 0;
}

void
ca_signer(const struct ca *ca, struct cert_signer *s)
{
	cert_signer_of(s, &ca->key);
}

int
ca_parse_key_type(const char *s, enum pkey_type *type, struct err *e)
{
	if (strcmp(s, "rsa") == 0)
		*type = PKEY_RSA;
	else if (strcmp(s, "ec") == 0)
		*type = PKEY_EC;
	else
		return err_set(e, ERR_USAGE, "--type %.20s: use rsa or ec "
		    "(P-256)", s);
	return 0;
}

int
ca_new_key(struct pkey *key, enum pkey_type type, unsigned bits,
    void *progress_ctx, entity_progress_fn *progress, struct err *e)
{
	key->type = type;
	if (type != PKEY_EC)
		return rsakey_generate(&key->rsa, bits, progress_ctx, progress,
		    e);
	ec256key_generate(&key->ec);
	return 0;
}

void
ca_key_text(const struct pkey *key, char *out, size_t outlen)
{
	if (key->type == PKEY_EC)
		snprintf(out, outlen, "ec P-256");
	else
		snprintf(out, outlen, "rsa %u bits", rsakey_bits(&key->rsa));
}

void
ca_template(struct cert_template *t, const struct pkey *key, long pathlen)
{
	t->subject_key = key->type == PKEY_EC ? NULL : &key->rsa;
	t->subject_ec = key->type == PKEY_EC ? &key->ec : NULL;
	t->ext.has_bc = 1;
	t->ext.bc_critical = 1;
	t->ext.ca = 1;
	t->ext.pathlen = pathlen;
	t->ext.has_ku = 1;
	t->ext.ku_critical = 1;
	t->ext.ku = KU_KEY_CERT_SIGN | KU_CRL_SIGN;
	pkey_key_id_any(key, t->ext.ski);
	t->ext.ski_len = 20;
}

int
ca_check_days(long days, struct err *e)
{
	if (days < 1 || days > CA_MAX_DAYS)
		return err_set(e, ERR_USAGE, "validity of %ld days: use 1 to "
		    "%d", days, CA_MAX_DAYS);
	return 0;
}

int
ca_check_new(long days, const struct dn *subject, struct err *e)
{
	if (ca_check_days(days, e) == -1)
		return -1;
	if (dn_empty(subject))
		return err_set(e, ERR_USAGE, "a CA needs a non-empty subject");
	return 0;
}

int
ca_create(const struct ws *ws, const char *name, const struct dn *subject,
    unsigned bits, long days, int64_t now, const void *pass, size_t passlen,
    void *progress_ctx, entity_progress_fn *progress, uint8_t **root_der,
    size_t *root_len, struct err *e)
{
	return ca_create_policy(ws, name, subject, PKEY_RSA, bits, days, now,
	    NULL, pass,
	    passlen, progress_ctx, progress, root_der, root_len, e);
}

int
ca_create_policy(const struct ws *ws, const char *name,
    const struct dn *subject, enum pkey_type type, unsigned bits,
    long days, int64_t now,
    const struct capolicy *pol, const void *pass, size_t passlen,
    void *progress_ctx, entity_progress_fn *progress, uint8_t **root_der,
    size_t *root_len, struct err *e)
{
	struct cert_template t;
	struct cert_signer by;
	struct pkey key;
	struct buf pem;
	uint8_t serial[CA_SERIAL_BYTES], *der = NULL;
	char hex[CA_SERIAL_HEX], d[AUDIT_DETAILS_MAX], *subj = NULL;
	char pols[256], kt[32];
	size_t len = 0;
	int rc = -1;

	pkey_init(&key);
	buf_init(&pem);
	memset(&t, 0, sizeof t);
	ext_info_init(&t.ext);
	if (ws_check_name(name, e) == -1)
		goto out;
	if (ca_check_free(ws, name, e) == -1)
		goto out;
	if (ca_check_new(days, subject, e) == -1)
		goto out;
	if (pol != NULL && (pol->require_explicit >= 0 ||
	    pol->inhibit_mapping >= 0)) {
		/* RFC 5280 6.1: a trust anchor's extensions are not
		 * processed; only an intermediate's constrain the path. */
		err_set(e, ERR_USAGE, "--require-explicit-policy and "
		    "--inhibit-mapping need --parent (a verifier ignores them "
		    "in a root)");
		goto out;
	}
	if (capolicy_set(&t.ext, pol, e) == -1)
		goto out;
	if (ca_new_key(&key, type, bits, progress_ctx, progress, e) == -1)
		goto out;

	ca_random_serial(serial, hex);
	t.serial = serial;
	t.serial_len = sizeof serial;
	t.issuer = subject;
	t.subject = subject;
	t.not_before = now - CA_BACKDATE;
	t.not_after = now + (int64_t)days * 86400;
	ca_template(&t, &key, -1);
	memcpy(t.ext.aki, t.ext.ski, 20);
	t.ext.aki_len = 20;
	cert_signer_of(&by, &key);
	if (cert_build_by(&t, &by, &der, &len, e) == -1)
		goto out;

	pem_encode("CERTIFICATE", der, len, &pem);
	subj = dn_to_string(subject);
	capolicy_text(&t.ext, pols, sizeof pols);
	ca_key_text(&key, kt, sizeof kt);
	snprintf(d, sizeof d, "root CA, subject %s, serial %s, %s%s%s",
	    subj, hex, kt, *pols != '\0' ? ", policies " : "", pols);
	if (ca_store_new(ws, name, &key, subj, t.not_after,
	    (const char *)pem.data, pass, passlen, d, e) == -1)
		goto out;
	*root_der = der;
	*root_len = len;
	der = NULL;
	rc = 0;
out:
	free(der);
	free(subj);
	buf_clear(&pem);
	ext_info_clear(&t.ext);
	pkey_clear(&key);
	return rc;
}

int
ca_open(struct ca *ca, const struct ws *ws, const char *name, int flags,
    struct err *e)
{
	struct cert_list chain;
	const char *ksname;
	int rc = -1;

	cert_list_init(&chain);
	ca->ws = ws;
	ca->name = xstrdup(name);
	if (ws_check_name(name, e) == -1)
		goto out;
	if (cadb_meta_load(ws, name, &ca->meta, e) == -1)
		goto out;
	ksname = ca->meta.keystore != NULL ? ca->meta.keystore : name;
	if (keystore_load(ws, ksname, &ca->ks, e) == -1) {
		err_wrap(e, "CA '%s'", name);
		goto out;
	}
	if (ca->ks.cert_pem == NULL) {
		err_set(e, ERR_INPUT, "CA '%s': keystore '%s' holds no "
		    "certificate", name, ksname);
		goto out;
	}
	if (cert_list_load(&chain, (const uint8_t *)ca->ks.cert_pem,
	    strlen(ca->ks.cert_pem), e) == -1 || chain.n == 0) {
		if (chain.n == 0 && e != NULL && e->kind == ERR_NONE)
			err_set(e, ERR_INPUT, "no certificate");
		err_wrap(e, "CA '%s': keystore '%s'", name, ksname);
		goto out;
	}
	/* Move the first certificate out of the list. */
	ca->root = chain.v[0];
	cert_init(&chain.v[0]);
	if (ca->root.ext.ski_len > 0) {
		memcpy(ca->keyid, ca->root.ext.ski, ca->root.ext.ski_len);
		ca->keyid_len = ca->root.ext.ski_len;
	} else if (ca->root.key_alg == OID_RSA_ENCRYPTION) {
		pkey_key_id(&ca->root.key, ca->keyid);
		ca->keyid_len = 20;
	} else if (ca->root.key_alg == OID_EC_PUBLIC_KEY &&
	    ec256key_has_public(&ca->root.eckey)) {
		pkey_key_id_ec(&ca->root.eckey, ca->keyid);
		ca->keyid_len = 20;
	}
	if (cadb_open(&ca->db, ws, name, !(flags & CA_WRITE) ? 0 :
	    (flags & CA_APPEND) ? CADB_WRITE | CADB_APPEND : CADB_WRITE,
	    e) == -1)
		goto out;
	rc = 0;
out:
	cert_list_clear(&chain);
	return rc;
}

int
ca_unlock(struct ca *ca, const void *pass, size_t passlen, struct err *e)
{
	struct buf der;
	int rc = -1;

	if (ca->unlocked)
		return 0;
	buf_init(&der);
	if (keystore_unlock(&ca->ks, pass, passlen, &der, e) == -1)
		goto out;
	if (pkey_decode_any(&ca->key, der.data, der.len, NULL, 0, e) == -1 ||
	    !pkey_has_private(&ca->key)) {
		if (e != NULL && e->kind == ERR_NONE)
			err_set(e, ERR_INPUT, "no private key");
		err_wrap(e, "CA '%s'", ca->name);
		goto out;
	}
	if (!entity_cert_has_key(&ca->root, &ca->key)) {
		err_set(e, ERR_INPUT, "CA '%s': the key does not match the CA "
		    "certificate", ca->name);
		goto out;
	}
	ca->unlocked = 1;
	if (ca->db.lockfd != -1 && audit_append(ca->ws, ca->name, "unlock",
	    "CA key decrypted", e) == -1)
		goto out;
	rc = 0;
out:
	buf_clear_secret(&der);
	return rc;
}

int
ca_check_request(const struct csr *req, struct err *e)
{
	if (req->key_alg != OID_RSA_ENCRYPTION &&
	    (req->key_alg != OID_EC_PUBLIC_KEY ||
	    !ec256key_has_public(&req->eckey)))
		return err_set(e, ERR_REFUSED, "request key is neither RSA nor "
		    "P-256 EC (only those are supported)");
	if (csr_check_signature(req, e) == -1)
		return -1;
	/* The subject goes into the certificate as it is: no control
	 * characters for other software to print raw. A policy refusal like
	 * the others here, though the request itself is well formed. */
	if (dn_check_controls(&req->subject, e) == -1) {
		err_wrap(e, "request subject");
		if (e != NULL)
			e->kind = ERR_REFUSED;
		return -1;
	}
	if (req->key_alg == OID_RSA_ENCRYPTION &&
	    rsakey_bits(&req->key) < RSAKEY_MIN_BITS)
		return err_set(e, ERR_REFUSED, "request key is %u bits: at "
		    "least %d required", rsakey_bits(&req->key),
		    RSAKEY_MIN_BITS);
	return 0;
}

int
ca_issue_template(const struct ca *ca, const struct csr *req,
    const struct profile *p, long days, int64_t now, struct cert_template *t,
    size_t *dropped, struct err *e)
{
	if (days == 0)
		days = p->days;
	if (ca_check_days(days, e) == -1)
		return -1;
	profile_apply(p, &req->ext, dn_get(&req->subject, OID_CN), &t->ext,
	    dropped);
	/* The profile's own policies, if the CA gave it some; else
	 * ca_sign_prepare gives it the CA's. */
	if (caprofile_apply(ca, p->name, &t->ext, e) == -1)
		return -1;
	if (dn_empty(&req->subject) && !t->ext.has_san)
		return err_set(e, ERR_REFUSED, "request has an empty subject "
		    "and no subjectAltName that profile %s copies", p->name);
	if (now - CA_BACKDATE >= ca->root.not_after)
		return err_set(e, ERR_REFUSED, "CA '%s': its certificate has "
		    "expired", ca->name);
	t->not_before = now - CA_BACKDATE;
	t->not_after = now + (int64_t)days * 86400;
	t->subject = &req->subject;
	if (req->key_alg == OID_EC_PUBLIC_KEY) {
		/* An EC key cannot encipher (RFC 5480 3): a profile's
		 * keyEncipherment is for RSA subjects. */
		t->subject_ec = &req->eckey;
		t->ext.ku &= ~(uint32_t)KU_KEY_ENCIPHERMENT;
	} else
		t->subject_key = &req->key;
	return 0;
}

int
ca_issue(struct ca *ca, const struct csr *req, const struct profile *p,
    long days, int64_t now, struct ca_issued *out, struct err *e)
{
	struct cert_template t;
	int rc = -1;

	memset(&t, 0, sizeof t);
	ext_info_init(&t.ext);
	if (!ca->unlocked || ca->db.lockfd == -1) {
		err_set(e, ERR_USAGE, "CA '%s' is not open for issuing",
		    ca->name);
		goto out;
	}
	/* A request signed ahead passed this check then (it is const). */
	if (!capresign_checked(ca, req) && ca_check_request(req, e) == -1)
		goto out;
	if (ca_issue_template(ca, req, p, days, now, &t, &out->dropped,
	    e) == -1)
		goto out;
	if (ca_sign_record_req(ca, &t, p->name, req, out, e) == -1)
		goto out;
	{
		char d[AUDIT_DETAILS_MAX];

		snprintf(d, sizeof d, "serial %s subject %s profile %s",
		    out->serial, out->subject, p->name);
		if (audit_append_flags(ca->ws, ca->name, "issue", d,
		    ca->db.defer_sync ? AUDIT_NOSYNC : 0, e) == -1)
			goto out;
	}
	rc = 0;
out:
	if (rc == -1) {
		free(out->der);
		out->der = NULL;
		out->len = 0;
	}
	ext_info_clear(&t.ext);
	return rc;
}

void
ca_batch_req_init(struct ca_batch_req *q, const struct csr *csr)
{
	memset(q, 0, sizeof *q);
	q->csr = csr;
	ca_issued_init(&q->res);
	err_clear(&q->err);
}

void
ca_batch_req_clear(struct ca_batch_req *q)
{
	ca_issued_clear(&q->res);
	free(q->path);
	free(q->attached);
	memset(q, 0, sizeof *q);
}

static void
ca_batch_note(struct ca_batch_req *q, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ca_batch_note(struct ca_batch_req *q, const char *fmt, ...)
{
	va_list ap;

	if (q->nnotes == CA_NOTES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(q->notes[q->nnotes++], sizeof q->notes[0], fmt, ap);
	va_end(ap);
}

/* What profile p changed from what q asked for. */
static void
ca_batch_notes(const struct ca *ca, const struct profile *p,
    struct ca_batch_req *q)
{
	char when[WS_TIME_LEN];

	if (q->csr->ext.has_bc && q->csr->ext.ca && !p->ca)
		ca_batch_note(q, "the request asks for CA:TRUE; profile %s "
		    "does not grant it", p->name);
	if (q->res.dropped > 0)
		ca_batch_note(q, "%zu requested subjectAltName(s) not copied "
		    "(profile %s)", q->res.dropped, p->name);
	if (q->res.clamped) {
		ws_time_format(ca->root.not_after, when);
		ca_batch_note(q, "notAfter cut to the CA certificate's own "
		    "(%s)", when);
	}
}

/* Gives q's certificate to its keystore; what went wrong is a note: the
 * certificate is issued and handed out all the same. */
static void
ca_batch_attach(const struct ca *ca, struct ca_batch_req *q)
{
	struct err e;
	char *names = NULL;
	int n;

	err_clear(&e);
	if ((n = ca_attach(ca, &q->res, &names, &e)) == -1)
		ca_batch_note(q, "not given to its keystore: %s", e.msg);
	else if (n > 1)
		ca_batch_note(q, "keystores %s hold its key: none was given "
		    "it (import it into the right one)", names);
	else if (n == 1)
		q->attached = xstrdup(names);
	free(names);
}

int
ca_issue_batch(struct ca *ca, struct ca_batch_req *reqs, size_t n,
    const struct profile *p, long days, int64_t now, const char *outdir,
    struct err *e)
{
	struct ca_batch_req *q;
	struct buf pem;
	size_t i;
	int issued = 0, rc = -1;

	buf_init(&pem);
	/* A group commit: the appends skip their fdatasync, one sync below
	 * covers them all. */
	ca->db.defer_sync = n > 1;
	/* The signatures on every CPU: each TBSCertificate is made here, in
	 * order, and signed on a pool thread; ca_issue below takes them in
	 * the same order, and this thread alone appends and syncs
	 * (capresign.h). */
	capresign_begin(ca, n);
	for (i = 0; ca->presign != NULL && i < n; i++)
		capresign_add(ca, reqs[i].csr, p, days, now);
	for (i = 0; i < n; i++) {
		q = &reqs[i];
		if (ca_issue(ca, q->csr, p, days, now, &q->res,
		    &q->err) == -1) {
			ca_issued_clear(&q->res);
			/* A database that could not be written stops all. */
			if (q->err.kind == ERR_IO || ca->db.broken)
				break;
			continue;
		}
		ca_batch_notes(ca, p, q);
		issued++;
	}
	/* What a stop left untaken is dropped, never recorded nor sent. */
	capresign_end(ca);
	if (ca->db.defer_sync && (cadb_sync(&ca->db, e) == -1 ||
	    audit_sync(ca->ws, ca->name, e) == -1)) {
		for (i = 0; i < n; i++) {
			ca_issued_clear(&reqs[i].res);
			reqs[i].nnotes = 0;
		}
		goto out;
	}
	/* The records are on disk: now the certificates may go out. */
	for (i = 0; outdir != NULL && i < n; i++) {
		q = &reqs[i];
		if (q->res.der == NULL)
			continue;
		buf_clear(&pem);
		pem_encode("CERTIFICATE", q->res.der, q->res.len, &pem);
		q->path = xasprintf("%s/%s.pem", outdir, q->res.serial);
		(void)file_write(q->path, pem.data, pem.len, 0644, 1, &q->err);
	}
	for (i = 0; i < n; i++)
		if (reqs[i].res.der != NULL)
			ca_batch_attach(ca, &reqs[i]);
	rc = issued;
out:
	ca->db.defer_sync = 0;
	buf_clear(&pem);
	return rc;
}

const char *
ca_status(const struct cadb_cert *c, int64_t now)
{
	if (c->status == CADB_REVOKED)
		return "revoked";
	if (c->not_after < now)
		return "expired";
	return "valid";
}
