/* p12.c — PKCS#12 export and import of an entity; see p12.h. */
#include <stdlib.h>
#include <string.h>

#include "role/entity.h"
#include "role/p12.h"
#include "util/xalloc.h"
#include "x509/pkcs12.h"
#include "x509/pkey.h"

void
p12_imported_clear(struct p12_imported *r)
{
	free(r->subject);
	memset(r, 0, sizeof *r);
}

int
p12_export(const struct ws *ws, const char *name, const void *pass,
    size_t passlen, const char *outpass, size_t outpasslen, int legacy,
    struct buf *out, struct err *e)
{
	struct pkcs12_out o;
	struct cert_list chain;
	struct pkey key;
	struct buf p8;
	int rc = -1;

	pkey_init(&key);
	cert_list_init(&chain);
	buf_init(&p8);
	if (entity_load_chain(ws, name, &chain, e) == -1 ||
	    entity_unlock_any(ws, name, pass, passlen, NULL, &key, e) == -1)
		goto out;
	pkey_encode_pkcs8_any(&key, &p8);
	memset(&o, 0, sizeof o);
	o.key = p8.data;
	o.keylen = p8.len;
	o.certs = &chain;
	o.name = name;
	o.legacy = legacy;
	rc = pkcs12_write(&o, outpass, outpasslen, out, e);
out:
	buf_clear_secret(&p8);
	cert_list_clear(&chain);
	pkey_clear(&key);
	return rc;
}

/* The one key of the file, decoded; its bag in *kb. */
static int
find_key(const struct pkcs12 *p, struct pkey *key,
    const struct pkcs12_bag **kb, struct err *e)
{
	size_t i, n = 0;

	*kb = NULL;
	for (i = 0; i < p->nbag; i++) {
		const struct pkcs12_bag *b = &p->bag[i];

		if ((b->type == OID_P12_KEY_BAG ||
		    b->type == OID_P12_SHROUDED_KEY_BAG) && b->data != NULL) {
			n++;
			if (*kb == NULL)
				*kb = b;
		}
	}
	if (n == 0)
		return err_set(e, ERR_INPUT, "no private key in the file");
	if (n > 1)
		return err_set(e, ERR_INPUT, "%zu private keys in the file "
		    "(an entity has one)", n);
	if (pkey_decode_any(key, (*kb)->data, (*kb)->len, NULL, 0, e) == -1)
		return err_wrap(e, "%s", pkcs12_bag_name((*kb)->type));
	if (!pkey_has_private(key))
		return err_set(e, ERR_INPUT, "key bag without a private key");
	return 0;
}

/* Index in certs of the issuer of c (not c itself), or -1. */
static long
find_issuer(const struct cert_list *certs, const unsigned char *used,
    const struct cert *c)
{
	size_t i;

	if (dn_equal(&c->subject, &c->issuer))
		return -1;	/* self-issued: the chain ends here */
	for (i = 0; i < certs->n; i++)
		if (!used[i] && dn_equal(&certs->v[i].subject, &c->issuer))
			return (long)i;
	return -1;
}

int
p12_import(const struct ws *ws, const char *name, const uint8_t *data,
    size_t len, const char *p12pass, size_t p12passlen,
    const void *storepass, size_t storepasslen, struct p12_imported *res,
    struct err *e)
{
	const struct pkcs12_bag *kb;
	struct pkcs12 *p = xmalloc(sizeof *p);
	struct cert_list certs, chain;
	unsigned char *used = NULL;
	struct pkey key;
	struct buf pem;
	long leaf = -1, next;
	size_t i, *bagof = NULL;
	int rc = -1;

	pkcs12_init(p);
	pkey_init(&key);
	cert_list_init(&certs);
	cert_list_init(&chain);
	buf_init(&pem);
	if (keystore_exists(ws, name)) {
		err_set(e, ERR_REFUSED, "keystore '%s' already exists", name);
		goto out;
	}
	if (pkcs12_parse(p, data, len, p12pass, p12passlen, e) == -1 ||
	    find_key(p, &key, &kb, e) == -1)
		goto out;
	/* Every certificate parsed, remembering its bag. */
	certs.v = xcalloc(PKCS12_MAX_BAGS, sizeof *certs.v);
	bagof = xcalloc(PKCS12_MAX_BAGS, sizeof *bagof);
	for (i = 0; i < p->nbag; i++) {
		if (p->bag[i].type != OID_P12_CERT_BAG)
			continue;
		cert_init(&certs.v[certs.n]);
		if (cert_parse(&certs.v[certs.n], p->bag[i].data,
		    p->bag[i].len, e) == -1) {
			certs.n++;
			err_wrap(e, "certificate bag %zu", i + 1);
			goto out;
		}
		bagof[certs.n++] = i;
	}
	/* The key's certificate: same localKeyID and key, else same key. */
	for (i = 0; i < certs.n && leaf < 0; i++) {
		const struct pkcs12_bag *cb = &p->bag[bagof[i]];

		if (kb->key_id_len > 0 && cb->key_id_len == kb->key_id_len &&
		    memcmp(cb->key_id, kb->key_id, kb->key_id_len) == 0 &&
		    entity_cert_has_key(&certs.v[i], &key))
			leaf = (long)i;
	}
	for (i = 0; i < certs.n && leaf < 0; i++)
		if (entity_cert_has_key(&certs.v[i], &key))
			leaf = (long)i;
	if (leaf < 0) {
		err_set(e, ERR_INPUT, "the private key's certificate is not "
		    "in the file");
		goto out;
	}
	/* The chain from it, by issuer name; the rest is left out. */
	used = xcalloc(certs.n, 1);
	chain.v = xcalloc(certs.n, sizeof *chain.v);
	for (next = leaf; next >= 0; next = find_issuer(&certs, used,
	    &chain.v[chain.n - 1])) {
		used[next] = 1;
		chain.v[chain.n++] = certs.v[next];
		cert_init(&certs.v[next]);	/* moved */
	}
	entity_chain_pem(&chain, &pem);
	if (entity_import_any(ws, name, &key, pem.data, pem.len, storepass,
	    storepasslen, e) == -1)
		goto out;
	if (res != NULL) {
		res->key_type = pkey_type_name(&key);
		res->bits = key.type == PKEY_EC ? 256 : rsakey_bits(&key.rsa);
		res->ncerts = chain.n;
		res->nskipped = certs.n - chain.n;
		res->subject = dn_to_string(&chain.v[0].subject);
	}
	rc = 0;
out:
	free(used);
	free(bagof);
	buf_clear(&pem);
	cert_list_clear(&chain);
	cert_list_clear(&certs);
	pkey_clear(&key);
	pkcs12_clear(p);
	free(p);
	return rc;
}
