/* entity.c — an entity's key and certificate; see entity.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "crypto/hash.h"
#include "role/entity.h"
#include "x509/csr.h"
#include "x509/pkey.h"
#include "util/xalloc.h"

static void
entity_spki_enc(struct derw *w, const void *arg)
{
	pkey_encode_spki(w, arg);
}

void
entity_key_fingerprint(const struct rsakey *k, uint8_t fp[ENTITY_FP_SIZE])
{
	uint8_t *der;
	size_t len;

	der = der_encode(entity_spki_enc, k, &len, NULL);
	if (der == NULL) {
		memset(fp, 0, ENTITY_FP_SIZE);
		return;
	}
	hash_sha256(der, len, fp);
	free(der);
}

static void
entity_spki_enc_any(struct derw *w, const void *arg)
{
	pkey_encode_spki_any(w, arg);
}

void
entity_key_fingerprint_any(const struct pkey *k, uint8_t fp[ENTITY_FP_SIZE])
{
	uint8_t *der;
	size_t len;

	if (k->type == PKEY_RSA) {
		entity_key_fingerprint(&k->rsa, fp);
		return;
	}
	der = der_encode(entity_spki_enc_any, k, &len, NULL);
	if (der == NULL) {
		memset(fp, 0, ENTITY_FP_SIZE);
		return;
	}
	hash_sha256(der, len, fp);
	free(der);
}

void
entity_fp_hex(const uint8_t fp[ENTITY_FP_SIZE], char out[3 * ENTITY_FP_SIZE])
{
	size_t i;

	for (i = 0; i < ENTITY_FP_SIZE; i++)
		snprintf(out + 3 * i, 4, "%02X%s", fp[i],
		    i + 1 < ENTITY_FP_SIZE ? ":" : "");
}

int
entity_same_key(const struct rsakey *a, const struct rsakey *b)
{
	return mpz_cmp(a->pub.n, b->pub.n) == 0 &&
	    mpz_cmp(a->pub.e, b->pub.e) == 0;
}

/* Refuses an existing keystore before any slow work is done. */
static int
entity_check_new(const struct ws *ws, const char *name, struct err *e)
{
	if (ws_check_name(name, e) == -1)
		return -1;
	if (keystore_exists(ws, name))
		return err_set(e, ERR_REFUSED, "keystore '%s' already exists",
		    name);
	return 0;
}

/* Writes key into a new keystore, with chain_pem and the listing fields
 * of leaf when there is one. */
static int
entity_store(const struct ws *ws, const char *name, const struct rsakey *key,
    const char *chain_pem, const struct cert *leaf, const void *pass,
    size_t passlen, struct err *e)
{
	struct keystore_info info;
	char notafter[WS_TIME_LEN], *subject = NULL;
	uint8_t fp[ENTITY_FP_SIZE];
	struct buf der;
	int rc;

	memset(&info, 0, sizeof info);
	info.key_type = "rsa";
	info.bits = rsakey_bits(key);
	/* What ca_attach matches a certificate it issues against. */
	entity_key_fingerprint(key, fp);
	info.spki_sha256 = fp;
	if (leaf != NULL) {
		subject = dn_to_string(&leaf->subject);
		ws_time_format(leaf->not_after, notafter);
		info.subject = subject;
		info.not_after = notafter;
	}
	buf_init(&der);
	pkey_encode_pkcs1(key, &der);
	rc = keystore_create(ws, name, der.data, der.len, pass, passlen,
	    chain_pem, &info, 0, e);
	buf_clear_secret(&der);
	free(subject);
	return rc;
}

int
entity_new_key(const struct ws *ws, const char *name, unsigned bits,
    const void *pass, size_t passlen, void *progress_ctx,
    entity_progress_fn *progress, struct rsakey *out, struct err *e)
{
	struct rsakey key;
	int rc = -1;

	if (entity_check_new(ws, name, e) == -1)
		return -1;
	rsakey_init(&key);
	if (rsakey_generate(&key, bits, progress_ctx, progress, e) == -1)
		goto out;
	if (entity_store(ws, name, &key, NULL, NULL, pass, passlen, e) == -1)
		goto out;
	if (out != NULL) {
		struct buf der;

		/* Hand a copy back through the encoding rather than poking at
		 * Nettle's structs. */
		buf_init(&der);
		pkey_encode_pkcs1(&key, &der);
		rc = pkey_decode(out, der.data, der.len, NULL, 0, e);
		buf_clear_secret(&der);
		if (rc == -1)
			goto out;
	}
	rc = 0;
out:
	rsakey_clear(&key);
	return rc;
}

int
entity_new_ec_key(const struct ws *ws, const char *name, const void *pass,
    size_t passlen, struct pkey *out, struct err *e)
{
	struct keystore_info info;
	uint8_t fp[ENTITY_FP_SIZE];
	struct pkey key;
	struct buf der;
	int rc;

	if (entity_check_new(ws, name, e) == -1)
		return -1;
	pkey_init(&key);
	key.type = PKEY_EC;
	ec256key_generate(&key.ec);
	memset(&info, 0, sizeof info);
	info.key_type = "ec";
	info.bits = 256;
	entity_key_fingerprint_any(&key, fp);
	info.spki_sha256 = fp;
	buf_init(&der);
	pkey_encode_sec1(&key.ec, &der);
	rc = keystore_create(ws, name, der.data, der.len, pass, passlen,
	    NULL, &info, 0, e);
	buf_clear_secret(&der);
	if (rc == 0 && out != NULL) {
		out->type = PKEY_EC;
		out->ec = key.ec;
	}
	pkey_clear(&key);
	return rc;
}

/* entity_unlock_any's body; rsa_only refuses an EC key before the
 * private-key test, so that a public-only EC keystore still gets the
 * key-type message. */
static int
unlock_key(const struct ws *ws, const char *name, const void *pass,
    size_t passlen, struct keystore *ksout, struct pkey *key, int rsa_only,
    struct err *e)
{
	struct keystore ks;
	struct buf der;
	int rc = -1;

	keystore_init(&ks);
	buf_init(&der);
	if (ws_check_name(name, e) == -1 ||
	    keystore_load(ws, name, &ks, e) == -1 ||
	    keystore_unlock(&ks, pass, passlen, &der, e) == -1)
		goto out;
	if (pkey_decode_any(key, der.data, der.len, NULL, 0, e) == -1 ||
	    (rsa_only && pkey_require_rsa(key, e) == -1)) {
		err_wrap(e, "keystore '%s'", name);
		goto out;
	}
	if (!pkey_has_private(key)) {
		err_set(e, ERR_INPUT, "keystore '%s': holds no private key",
		    name);
		goto out;
	}
	if (ksout != NULL) {
		*ksout = ks;
		keystore_init(&ks);
	}
	rc = 0;
out:
	buf_clear_secret(&der);
	keystore_clear(&ks);
	return rc;
}

int
entity_unlock_any(const struct ws *ws, const char *name, const void *pass,
    size_t passlen, struct keystore *ksout, struct pkey *key, struct err *e)
{
	return unlock_key(ws, name, pass, passlen, ksout, key, 0, e);
}

int
entity_unlock(const struct ws *ws, const char *name, const void *pass,
    size_t passlen, struct keystore *ksout, struct rsakey *key, struct err *e)
{
	struct pkey pk;
	int rc;

	pkey_init(&pk);
	rc = unlock_key(ws, name, pass, passlen, ksout, &pk, 1, e);
	if (rc == 0)
		rc = pkey_take_rsa(&pk, key, e);
	pkey_clear(&pk);
	return rc;
}

/* The chain of a loaded keystore. */
static int
chain_of(const struct keystore *ks, const char *name, struct cert_list *l,
    struct err *e)
{
	if (ks->cert_pem == NULL)
		return err_set(e, ERR_REFUSED, "entity '%s' has no certificate "
		    "yet (import one issued by the CA)", name);
	if (cert_list_load(l, (const uint8_t *)ks->cert_pem,
	    strlen(ks->cert_pem), e) == -1)
		return err_wrap(e, "keystore '%s'", name);
	return 0;
}

int
entity_load_chain(const struct ws *ws, const char *name,
    struct cert_list *chain, struct err *e)
{
	struct keystore ks;
	int rc;

	keystore_init(&ks);
	rc = ws_check_name(name, e) == -1 ||
	    keystore_load(ws, name, &ks, e) == -1 ||
	    chain_of(&ks, name, chain, e) == -1 ? -1 : 0;
	keystore_clear(&ks);
	return rc;
}

/* unlock_key, then the chain (rsa_only as there). */
static int
unlock_chain(const struct ws *ws, const char *name, const void *pass,
    size_t passlen, struct keystore *ksout, struct pkey *key, int rsa_only,
    struct cert_list *chain, struct err *e)
{
	struct keystore ks;
	int rc;

	keystore_init(&ks);
	rc = unlock_key(ws, name, pass, passlen, &ks, key, rsa_only, e) == -1 ||
	    chain_of(&ks, name, chain, e) == -1 ? -1 : 0;
	if (rc == 0 && ksout != NULL) {
		*ksout = ks;
		keystore_init(&ks);
	}
	keystore_clear(&ks);
	return rc;
}

int
entity_unlock_chain(const struct ws *ws, const char *name, const void *pass,
    size_t passlen, struct keystore *ksout, struct rsakey *key,
    struct cert_list *chain, struct err *e)
{
	struct pkey pk;
	int rc;

	pkey_init(&pk);
	rc = unlock_chain(ws, name, pass, passlen, ksout, &pk, 1, chain, e);
	if (rc == 0)
		rc = pkey_take_rsa(&pk, key, e);
	pkey_clear(&pk);
	return rc;
}

int
entity_unlock_chain_any(const struct ws *ws, const char *name,
    const void *pass, size_t passlen, struct keystore *ksout,
    struct pkey *key, struct cert_list *chain, struct err *e)
{
	return unlock_chain(ws, name, pass, passlen, ksout, key, 0, chain, e);
}

int
entity_new_csr(const struct ws *ws, const char *name, const struct dn *subject,
    const struct san_list *san, const void *pass, size_t passlen,
    uint8_t **der, size_t *len, struct err *e)
{
	struct pkey key;
	int rc;

	pkey_init(&key);
	rc = entity_unlock_any(ws, name, pass, passlen, NULL, &key, e);
	if (rc == 0)
		rc = csr_build_any(subject, san != NULL && san->n > 0 ? san :
		    NULL, &key, der, len, e);
	pkey_clear(&key);
	return rc;
}

int
entity_export_cert(const struct ws *ws, const char *name, int der,
    struct buf *out, struct err *e)
{
	struct keystore ks;
	struct cert_list chain;
	int rc = -1;

	keystore_init(&ks);
	cert_list_init(&chain);
	if (ws_check_name(name, e) == -1 ||
	    keystore_load(ws, name, &ks, e) == -1)
		goto out;
	if (ks.cert_pem == NULL || ks.cert_pem[0] == '\0') {
		err_set(e, ERR_REFUSED, "keystore '%s' holds no certificate "
		    "(store one with: import %s --cert FILE)", name, name);
		goto out;
	}
	if (cert_list_load(&chain, (const uint8_t *)ks.cert_pem,
	    strlen(ks.cert_pem), e) == -1) {
		err_wrap(e, "keystore '%s'", name);
		goto out;
	}
	if (chain.n == 0) {
		err_set(e, ERR_INPUT, "keystore '%s': no certificate in its "
		    "chain", name);
		goto out;
	}
	if (der)
		buf_append(out, chain.v[0].der, chain.v[0].len);
	else
		entity_chain_pem(&chain, out);
	rc = 0;
out:
	cert_list_clear(&chain);
	keystore_clear(&ks);
	return rc;
}

int
entity_export_key(const struct ws *ws, const char *name, const void *pass,
    size_t passlen, const char *outpass, size_t outpasslen, int der,
    struct buf *out, struct err *e)
{
	struct pkey key;
	struct buf p8;
	int rc;

	pkey_init(&key);
	buf_init(&p8);
	rc = entity_unlock_any(ws, name, pass, passlen, NULL, &key, e);
	if (rc == 0) {
		if (outpass != NULL)
			pkey_encode_pkcs8_encrypted_any(&key, outpass,
			    outpasslen, PKEY_PBES2_ITERATIONS, &p8);
		else
			pkey_encode_pkcs8_any(&key, &p8);
		if (der)
			buf_append(out, p8.data, p8.len);
		else
			pem_encode(outpass != NULL ? "ENCRYPTED PRIVATE KEY" :
			    "PRIVATE KEY", p8.data, p8.len, out);
	}
	buf_clear_secret(&p8);
	pkey_clear(&key);
	return rc;
}

static int
entity_key_label(const char *label)
{
	return strcmp(label, "RSA PRIVATE KEY") == 0 ||
	    strcmp(label, "EC PRIVATE KEY") == 0 ||
	    strcmp(label, "PRIVATE KEY") == 0 ||
	    strcmp(label, "ENCRYPTED PRIVATE KEY") == 0;
}

int
entity_key_is_encrypted(const uint8_t *data, size_t len)
{
	struct pem_list pl;
	size_t i;
	int enc = 0;

	if (!pem_detect(data, len))
		return pkey_detect(data, len) == PKEY_PKCS8_ENCRYPTED;
	pem_list_init(&pl);
	if (pem_decode((const char *)data, len, &pl, NULL) == 0) {
		for (i = 0; i < pl.n; i++) {
			if (entity_key_label(pl.v[i].label)) {
				enc = pkey_detect(pl.v[i].der, pl.v[i].len) ==
				    PKEY_PKCS8_ENCRYPTED;
				break;
			}
		}
	}
	pem_list_clear(&pl);
	return enc;
}

int
entity_read_key(const uint8_t *data, size_t len, const char *keypass,
    size_t keypasslen, struct rsakey *key, struct err *e)
{
	struct pkey k;
	int rc;

	pkey_init(&k);
	rc = entity_read_key_any(data, len, keypass, keypasslen, &k, e);
	if (rc == 0)
		rc = pkey_take_rsa(&k, key, e);
	pkey_clear(&k);
	return rc;
}

int
entity_read_key_any(const uint8_t *data, size_t len, const char *keypass,
    size_t keypasslen, struct pkey *key, struct err *e)
{
	struct pem_list pl;
	const uint8_t *der = data;
	size_t i, derlen = len;
	int rc = -1, pubonly = 0;

	pem_list_init(&pl);
	if (pem_detect(data, len)) {
		if (pem_decode((const char *)data, len, &pl, e) == -1)
			goto out;
		der = NULL;
		for (i = 0; i < pl.n && der == NULL; i++) {
			if (entity_key_label(pl.v[i].label)) {
				der = pl.v[i].der;
				derlen = pl.v[i].len;
			} else if (strstr(pl.v[i].label, "PUBLIC KEY") != NULL)
				pubonly = 1;
		}
		if (der == NULL) {
			err_set(e, ERR_INPUT, pubonly ? "a public key, not a "
			    "private key" : "no private key in the PEM data "
			    "(expected RSA PRIVATE KEY, EC PRIVATE KEY, "
			    "PRIVATE KEY or ENCRYPTED PRIVATE KEY)");
			goto out;
		}
	}
	if (pkey_decode_any(key, der, derlen, keypass, keypasslen, e) == -1)
		goto out;
	if (!pkey_has_private(key)) {
		err_set(e, ERR_INPUT, "a public key, not a private key");
		goto out;
	}
	if (key->type == PKEY_RSA && rsakey_bits(&key->rsa) < RSAKEY_MIN_BITS) {
		err_set(e, ERR_REFUSED, "key is %u bits: at least %d required",
		    rsakey_bits(&key->rsa), RSAKEY_MIN_BITS);
		goto out;
	}
	rc = 0;
out:
	pem_list_clear(&pl);
	return rc;
}

void
entity_chain_pem(const struct cert_list *chain, struct buf *out)
{
	size_t i;

	for (i = 0; i < chain->n; i++)
		pem_encode("CERTIFICATE", chain->v[i].der, chain->v[i].len,
		    out);
}

/* Loads a chain whose first certificate must hold key; fills pem. */
static int
entity_match_chain(const uint8_t *data, size_t len, const struct rsakey *key,
    struct cert_list *chain, struct buf *pem, struct err *e)
{
	if (cert_list_load(chain, data, len, e) == -1)
		return err_wrap(e, "certificate");
	if (chain->n == 0)
		return err_set(e, ERR_INPUT, "certificate: none found");
	if (chain->v[0].key_alg != OID_RSA_ENCRYPTION ||
	    !entity_same_key(&chain->v[0].key, key))
		return err_set(e, ERR_REFUSED, "the certificate does not "
		    "match the key (its public key differs)");
	entity_chain_pem(chain, pem);
	return 0;
}

int
entity_cert_has_key(const struct cert *c, const struct pkey *k)
{
	if (k->type == PKEY_EC)
		return c->key_alg == OID_EC_PUBLIC_KEY &&
		    memcmp(c->eckey.pub, k->ec.pub, EC256_PUB_SIZE) == 0;
	return c->key_alg == OID_RSA_ENCRYPTION &&
	    entity_same_key(&c->key, &k->rsa);
}

static int
match_chain_any(const uint8_t *data, size_t len, const struct pkey *key,
    struct cert_list *chain, struct buf *pem, struct err *e)
{
	if (cert_list_load(chain, data, len, e) == -1)
		return err_wrap(e, "certificate");
	if (chain->n == 0)
		return err_set(e, ERR_INPUT, "certificate: none found");
	if (!entity_cert_has_key(&chain->v[0], key))
		return err_set(e, ERR_REFUSED, "the certificate does not "
		    "match the key (its public key differs)");
	entity_chain_pem(chain, pem);
	return 0;
}

int
entity_import_any(const struct ws *ws, const char *name,
    const struct pkey *key, const uint8_t *certdata, size_t certlen,
    const void *pass, size_t passlen, struct err *e)
{
	struct keystore_info info;
	struct cert_list chain;
	struct buf pem, der;
	char notafter[WS_TIME_LEN], *subject = NULL;
	uint8_t fp[ENTITY_FP_SIZE];
	int rc = -1;

	if (key->type == PKEY_RSA)
		return entity_import(ws, name, &key->rsa, certdata, certlen,
		    pass, passlen, e);
	cert_list_init(&chain);
	buf_init(&pem);
	buf_init(&der);
	if (entity_check_new(ws, name, e) == -1)
		goto out;
	if (certdata != NULL && match_chain_any(certdata, certlen, key,
	    &chain, &pem, e) == -1)
		goto out;
	memset(&info, 0, sizeof info);
	info.key_type = "ec";
	info.bits = 256;
	entity_key_fingerprint_any(key, fp);
	info.spki_sha256 = fp;
	if (chain.n > 0) {
		subject = dn_to_string(&chain.v[0].subject);
		ws_time_format(chain.v[0].not_after, notafter);
		info.subject = subject;
		info.not_after = notafter;
	}
	pkey_encode_sec1(&key->ec, &der);
	rc = keystore_create(ws, name, der.data, der.len, pass, passlen,
	    chain.n > 0 ? (const char *)pem.data : NULL, &info, 0, e);
out:
	free(subject);
	buf_clear_secret(&der);
	buf_clear(&pem);
	cert_list_clear(&chain);
	return rc;
}

int
entity_import(const struct ws *ws, const char *name, const struct rsakey *key,
    const uint8_t *certdata, size_t certlen, const void *pass, size_t passlen,
    struct err *e)
{
	struct cert_list chain;
	struct buf pem;
	int rc = -1;

	cert_list_init(&chain);
	buf_init(&pem);
	if (entity_check_new(ws, name, e) == -1)
		goto out;
	if (certdata != NULL && entity_match_chain(certdata, certlen, key,
	    &chain, &pem, e) == -1)
		goto out;
	rc = entity_store(ws, name, key, certdata != NULL ?
	    (const char *)pem.data : NULL, chain.n > 0 ? &chain.v[0] : NULL,
	    pass, passlen, e);
out:
	buf_clear(&pem);
	cert_list_clear(&chain);
	return rc;
}

int
entity_import_cert(const struct ws *ws, const char *name,
    const uint8_t *certdata, size_t certlen, const void *pass,
    size_t passlen, struct err *e)
{
	struct cert_list chain;
	struct pkey key;
	struct buf pem;
	char notafter[WS_TIME_LEN], *subject = NULL;
	int rc = -1;

	cert_list_init(&chain);
	pkey_init(&key);
	buf_init(&pem);
	if (entity_unlock_any(ws, name, pass, passlen, NULL, &key, e) == -1)
		goto out;
	if (match_chain_any(certdata, certlen, &key, &chain, &pem, e) == -1)
		goto out;
	subject = dn_to_string(&chain.v[0].subject);
	ws_time_format(chain.v[0].not_after, notafter);
	rc = keystore_set_cert(ws, name, (const char *)pem.data, subject,
	    notafter, e);
out:
	free(subject);
	buf_clear(&pem);
	pkey_clear(&key);
	cert_list_clear(&chain);
	return rc;
}
