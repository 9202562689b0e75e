/* caattach.c — ca_attach: a certificate the CA issued goes to the keystore
 * of the workspace whose key it certifies; see ca.h.
 *
 * A service issues many certificates a second, most for keys no keystore
 * here holds: reading every keystore each time costs more than the
 * issuance. What ca_attach needs of each keystore (its key's fingerprint,
 * that of the certificate it holds and that one's notBefore, whether it
 * is a CA's) is kept in memory, with the state of keys/ and ca/ it was
 * read from. Every store write replaces a keystore by rename (file_write)
 * and a CA comes with a directory, so a change by any process changes
 * one of the two directories; the listing is read again when it has, or
 * when the last change is so recent (CAATTACH_RACY seconds) that it might
 * have happened during the last reading within the clock's granularity.
 * The memory holds no secret: public key hashes and names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "asn1/oid.h"
#include "asn1/pem.h"
#include "crypto/ecdsa256.h"
#include "crypto/hash.h"
#include "role/ca.h"
#include "role/entity.h"
#include "util/xalloc.h"

#define CAATTACH_RACY 2

/* What ca_attach needs of one keystore. */
struct caattach_ks {
	char *name;
	int skip;		/* a CA's, or unreadable */
	int has_spki;
	uint8_t spki[ENTITY_FP_SIZE];
	int has_cert;		/* it holds a certificate (its first) */
	int cert_known;		/* ... with a key we know: cert_fp, cert_nb */
	uint8_t cert_fp[ENTITY_FP_SIZE];
	int64_t cert_nb;
};

/* A directory's state as last read. */
struct caattach_dir {
	int ok;			/* it existed */
	dev_t dev;
	ino_t ino;
	struct timespec mtime, ctime;
};

static struct {
	char *root;		/* the workspace directory read */
	struct caattach_dir keys, cas;
	time_t read_at;
	struct caattach_ks *v;
	size_t n;
} cache;

static void
caattach_forget(void)
{
	size_t i;

	for (i = 0; i < cache.n; i++)
		free(cache.v[i].name);
	free(cache.v);
	free(cache.root);
	memset(&cache, 0, sizeof cache);
}

static void
caattach_dir_state(const char *root, const char *sub, struct caattach_dir *d)
{
	char *p = xasprintf("%s/%s", root, sub);
	struct stat st;

	memset(d, 0, sizeof *d);
	if (stat(p, &st) == 0) {
		d->ok = 1;
		d->dev = st.st_dev;
		d->ino = st.st_ino;
		d->mtime = st.st_mtim;
		d->ctime = st.st_ctim;
	}
	free(p);
}

static int
caattach_dir_same(const struct caattach_dir *a, const struct caattach_dir *b)
{
	return a->ok == b->ok && a->dev == b->dev && a->ino == b->ino &&
	    a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec &&
	    a->ctime.tv_sec == b->ctime.tv_sec &&
	    a->ctime.tv_nsec == b->ctime.tv_nsec;
}

/* Changed within CAATTACH_RACY seconds of when it was read. */
static int
caattach_dir_racy(const struct caattach_dir *d, time_t at)
{
	return d->ok && (d->mtime.tv_sec >= at - CAATTACH_RACY ||
	    d->ctime.tv_sec >= at - CAATTACH_RACY);
}

/* Reads keystore name into k. */
/* The SHA-256 of c's key as keystores record it (spki_sha256); -1 for
 * a key type we do not attach. Ours is the one encoding of a P-256
 * SPKI, so the hash of the certificate's is the keystore's. */
static int
caattach_fp(const struct cert *c, uint8_t fp[ENTITY_FP_SIZE])
{
	if (c->key_alg == OID_EC_PUBLIC_KEY && ec256key_has_public(&c->eckey))
		hash_sha256(c->spki, c->spki_len, fp);
	else if (c->key_alg == OID_RSA_ENCRYPTION)
		entity_key_fingerprint(&c->key, fp);
	else
		return -1;
	return 0;
}

static void
caattach_read(const struct ws *w, const char *name, struct caattach_ks *k)
{
	struct keystore ks;
	struct cadb_meta m;
	struct cert_list l;

	memset(k, 0, sizeof *k);
	k->name = xstrdup(name);
	/* Not another CA's: a certificate for its key would replace its
	 * own in its chain. */
	cadb_meta_init(&m);
	k->skip = cadb_meta_load(w, name, &m, NULL) == 0;
	cadb_meta_clear(&m);
	keystore_init(&ks);
	/* One that cannot be read is passed over. */
	if (!k->skip && keystore_load(w, name, &ks, NULL) == -1)
		k->skip = 1;
	if (!k->skip) {
		k->has_spki = ks.has_spki_sha256;
		memcpy(k->spki, ks.spki_sha256, ENTITY_FP_SIZE);
		k->has_cert = ks.cert_pem != NULL;
		cert_list_init(&l);
		if (k->has_cert && cert_list_load(&l,
		    (const uint8_t *)ks.cert_pem, strlen(ks.cert_pem),
		    NULL) == 0 && l.n > 0 &&
		    caattach_fp(&l.v[0], k->cert_fp) == 0) {
			k->cert_known = 1;
			k->cert_nb = l.v[0].not_before;
		}
		cert_list_clear(&l);
	}
	keystore_clear(&ks);
}

/* The keystores of w, from memory while keys/ and ca/ are as read. */
static int
caattach_list(const struct ws *w, struct err *e)
{
	struct caattach_dir keys, cas;
	char **names = NULL;
	size_t i, n = 0;
	time_t now;

	caattach_dir_state(w->dir, "keys", &keys);
	caattach_dir_state(w->dir, "ca", &cas);
	if (cache.root != NULL && strcmp(cache.root, w->dir) == 0 &&
	    caattach_dir_same(&keys, &cache.keys) &&
	    caattach_dir_same(&cas, &cache.cas) &&
	    !caattach_dir_racy(&keys, cache.read_at) &&
	    !caattach_dir_racy(&cas, cache.read_at))
		return 0;
	caattach_forget();
	/* Stamped before the listing: a change during it is recent. */
	now = time(NULL);
	if (ws_list_keystores(w, &names, &n, e) == -1)
		return -1;
	cache.v = xreallocarray(NULL, n > 0 ? n : 1, sizeof *cache.v);
	for (i = 0; i < n; i++)
		caattach_read(w, names[i], &cache.v[i]);
	cache.n = n;
	ws_free_list(names, n);
	cache.root = xstrdup(w->dir);
	cache.keys = keys;
	cache.cas = cas;
	cache.read_at = now;
	return 0;
}

/* Whether keystore k takes a certificate for the key with SPKI hash fp,
 * made valid from nb: its key is that key, and it holds no certificate
 * yet or an older one for it. */
static int
caattach_fits(const struct caattach_ks *k, const uint8_t fp[ENTITY_FP_SIZE],
    int64_t nb)
{
	if (k->skip)
		return 0;
	if (k->has_spki && memcmp(k->spki, fp, ENTITY_FP_SIZE) != 0)
		return 0;
	if (!k->has_cert)
		return k->has_spki;
	return k->cert_known && memcmp(k->cert_fp, fp, ENTITY_FP_SIZE) == 0 &&
	    k->cert_nb <= nb;
}

int
ca_attach(const struct ca *ca, const struct ca_issued *iss, char **name,
    struct err *e)
{
	struct cert c;
	struct buf pem, found;
	uint8_t fp[ENTITY_FP_SIZE];
	char until[WS_TIME_LEN], *first = NULL;
	size_t i;
	int nfit = 0, rc = -1;

	*name = NULL;
	cert_init(&c);
	buf_init(&pem);
	buf_init(&found);
	if (cert_parse(&c, iss->der, iss->len, e) == -1)
		goto out;
	if (caattach_fp(&c, fp) == -1) {
		rc = 0;
		goto out;
	}
	if (caattach_list(ca->ws, e) == -1)
		goto out;
	for (i = 0; i < cache.n; i++) {
		const struct caattach_ks *k = &cache.v[i];

		if (strcmp(k->name, ca->name) == 0 || (ca->meta.keystore !=
		    NULL && strcmp(k->name, ca->meta.keystore) == 0))
			continue;
		if (!caattach_fits(k, fp, c.not_before))
			continue;
		if (nfit++ == 0)
			first = k->name;
		buf_printf(&found, "%s%s", nfit > 1 ? ", " : "", k->name);
	}
	if (nfit == 1) {
		pem_encode("CERTIFICATE", iss->der, iss->len, &pem);
		if (ca->ks.cert_pem != NULL)
			buf_puts(&pem, ca->ks.cert_pem);
		else
			pem_encode("CERTIFICATE", ca->root.der, ca->root.len,
			    &pem);
		ws_time_format(c.not_after, until);
		/* The keystore changes (keys/ with it): read again next time. */
		if (keystore_set_cert(ca->ws, first, (const char *)pem.data,
		    iss->subject, until, e) == -1)
			goto out;
	}
	if (nfit > 0)
		*name = (char *)buf_steal(&found, NULL);
	rc = nfit;
out:
	buf_clear(&found);
	buf_clear(&pem);
	cert_clear(&c);
	return rc;
}
