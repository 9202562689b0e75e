/* cms-write.c — CMS SignedData writers: certs-only and signed messages;
 * see cms.h for what is written. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "util/xalloc.h"
#include "x509/cms.h"

/* SEQUENCE { contentType id-signedData, [0] EXPLICIT SEQUENCE { version 1,
 * ... } }: the opening every SignedData we write shares. */
static void
encode_open(struct derw *w, int with_sha256)
{
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKCS7_SIGNED_DATA);
	derw_begin(w, DER_CTX_CONS(0));
	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 1);
	derw_begin(w, DER_SET);
	if (with_sha256) {
		derw_begin(w, DER_SEQUENCE);
		derw_oid(w, OID_SHA256);
		derw_end(w);
	}
	derw_end(w);
}

static void
encode_close(struct derw *w)
{
	derw_end(w);
	derw_end(w);
	derw_end(w);
}

static void
encode_certs(struct derw *w, const struct cert_list *l)
{
	size_t i;

	derw_begin(w, DER_CTX_CONS(0));
	for (i = 0; i < l->n; i++)
		derw_raw(w, l->v[i].der, l->v[i].len);
	derw_end(w);
}

static void
encode_certs_only(struct derw *w, const void *arg)
{
	encode_open(w, 0);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKCS7_DATA);
	derw_end(w);
	encode_certs(w, arg);
	derw_begin(w, DER_SET);
	derw_end(w);
	encode_close(w);
}

int
cms_write_certs(const struct cert_list *certs, uint8_t **der, size_t *len,
    struct err *e)
{
	*der = NULL;
	*len = 0;
	if (certs == NULL || certs->n == 0)
		return err_set(e, ERR_USAGE, "a certs-only message needs at "
		    "least one certificate");
	if (certs->n > CMS_MAX_CERTS)
		return err_set(e, ERR_USAGE, "more than %d certificates",
		    CMS_MAX_CERTS);
	if ((*der = der_encode(encode_certs_only, certs, len, e)) == NULL)
		return -1;
	return 0;
}

int
cms_write_cert_der(const uint8_t *cert, size_t cert_len, uint8_t **der,
    size_t *len, struct err *e)
{
	struct cert c;
	struct cert_list l = { &c, 1 };

	*der = NULL;
	*len = 0;
	if (cert == NULL || cert_len == 0)
		return err_set(e, ERR_USAGE, "a certs-only message needs at "
		    "least one certificate");
	/* encode_certs reads der and len only. */
	memset(&c, 0, sizeof c);
	c.der = (uint8_t *)(uintptr_t)cert;
	c.len = cert_len;
	if ((*der = der_encode(encode_certs_only, &l, len, e)) == NULL)
		return -1;
	return 0;
}

/* One signed attribute: Attribute ::= SEQUENCE { OID, SET { value } }. */
struct attr_arg {
	enum oid_id type;
	const uint8_t *digest;	/* messageDigest */
	int64_t time;		/* signingTime */
};

static void
encode_attr(struct derw *w, const void *arg)
{
	const struct attr_arg *a = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, a->type);
	derw_begin(w, DER_SET);
	if (a->type == OID_CONTENT_TYPE)
		derw_oid(w, OID_PKCS7_DATA);
	else if (a->type == OID_MESSAGE_DIGEST)
		derw_tlv(w, DER_OCTET_STRING, a->digest, 32);
	else
		derw_time(w, a->time);
	derw_end(w);
	derw_end(w);
}

/* The signed attributes' contents, sorted, into *out (caller frees). */
static int
encode_attrs(const struct cms_sign_params *p, const uint8_t digest[32],
    uint8_t **out, size_t *outlen, struct err *e)
{
	struct attr_arg a[3];
	uint8_t *enc[3] = { NULL, NULL, NULL }, *tp;
	size_t len[3], n = 0, i, j, total = 0, tl;
	int rc = -1;

	a[n++] = (struct attr_arg){ .type = OID_CONTENT_TYPE };
	if (p->has_signing_time)
		a[n++] = (struct attr_arg){ .type = OID_SIGNING_TIME,
		    .time = p->signing_time };
	a[n++] = (struct attr_arg){ .type = OID_MESSAGE_DIGEST,
	    .digest = digest };
	for (i = 0; i < n; i++) {
		if ((enc[i] = der_encode(encode_attr, &a[i], &len[i], e)) ==
		    NULL)
			goto out;
		total += len[i];
	}
	/* Insertion sort of at most three. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && derw_set_cmp(enc[j - 1], len[j - 1],
		    enc[j], len[j]) > 0; j--) {
			tp = enc[j];
			enc[j] = enc[j - 1];
			enc[j - 1] = tp;
			tl = len[j];
			len[j] = len[j - 1];
			len[j - 1] = tl;
		}
	*out = xmalloc(total);
	for (i = 0, j = 0; i < n; i++) {
		memcpy(*out + j, enc[i], len[i]);
		j += len[i];
	}
	*outlen = total;
	rc = 0;
out:
	for (i = 0; i < 3; i++)
		free(enc[i]);
	return rc;
}

struct blob {
	unsigned tag;
	const uint8_t *p;
	size_t len;
};

static void
encode_blob(struct derw *w, const void *arg)
{
	const struct blob *b = arg;

	derw_tlv(w, b->tag, b->p, b->len);
}

static void
encode_sha256_alg(struct derw *w)
{
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_SHA256);
	derw_null(w);
	derw_end(w);
}

/* AlgorithmIdentifier { id-RSASSA-PSS, RSASSA-PSS-params {
 *     hashAlgorithm [0] sha256, maskGenAlgorithm [1] mgf1 { sha256 },
 *     saltLength [2] 32 } } (RFC 4055 3.1; trailerField default) */
static void
encode_pss_alg(struct derw *w)
{
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_RSASSA_PSS);
	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_CTX_CONS(0));
	encode_sha256_alg(w);
	derw_end(w);
	derw_begin(w, DER_CTX_CONS(1));
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_MGF1);
	encode_sha256_alg(w);
	derw_end(w);
	derw_end(w);
	derw_begin(w, DER_CTX_CONS(2));
	derw_small(w, 32);
	derw_end(w);
	derw_end(w);
	derw_end(w);
}

struct signed_arg {
	const struct cms_sign_params *p;
	const struct cert *signer;
	const uint8_t *attrs;	/* contents of the SET OF */
	size_t attrs_len;
	const uint8_t *sig;
	size_t sig_len;
};

static void
encode_signed(struct derw *w, const void *arg)
{
	const struct signed_arg *a = arg;

	encode_open(w, 1);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKCS7_DATA);
	if (!a->p->detached) {
		derw_begin(w, DER_CTX_CONS(0));
		derw_tlv(w, DER_OCTET_STRING, a->p->content,
		    a->p->content_len);
		derw_end(w);
	}
	derw_end(w);
	if (!a->p->no_certs)
		encode_certs(w, a->p->chain);
	derw_begin(w, DER_SET);
	derw_begin(w, DER_SEQUENCE);		/* SignerInfo */
	derw_small(w, 1);
	derw_begin(w, DER_SEQUENCE);		/* IssuerAndSerialNumber */
	dn_encode(w, &a->signer->issuer);
	derw_tlv(w, DER_INTEGER, a->signer->serial, a->signer->serial_len);
	derw_end(w);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_SHA256);
	derw_end(w);
	derw_tlv(w, DER_CTX_CONS(0), a->attrs, a->attrs_len);
	if (a->p->pss)
		encode_pss_alg(w);
	else {
		derw_begin(w, DER_SEQUENCE);
		derw_oid(w, OID_RSA_ENCRYPTION);
		derw_null(w);
		derw_end(w);
	}
	derw_tlv(w, DER_OCTET_STRING, a->sig, a->sig_len);
	derw_end(w);
	derw_end(w);
	encode_close(w);
}

int
cms_write_signed(const struct cms_sign_params *p, uint8_t **der,
    size_t *len, struct err *e)
{
	struct signed_arg a;
	struct blob b;
	const struct cert *x;
	uint8_t digest[32], *attrs = NULL, *set = NULL, *sig = NULL;
	size_t attrs_len, set_len;
	int rc = -1;

	*der = NULL;
	*len = 0;
	if (p->key == NULL || !p->key->has_private || p->key->pub.size == 0)
		return err_set(e, ERR_USAGE, "signing needs a private key");
	if (p->chain == NULL || p->chain->n == 0)
		return err_set(e, ERR_USAGE, "signing needs the signer's "
		    "certificate");
	if (p->chain->n > CMS_MAX_CERTS)
		return err_set(e, ERR_USAGE, "more than %d certificates",
		    CMS_MAX_CERTS);
	if (p->content == NULL && p->content_len > 0)
		return err_set(e, ERR_USAGE, "content missing");
	/* Never write what cms_parse would refuse. */
	if (p->content_len > CMS_MAX_SIZE)
		return err_set(e, ERR_USAGE, "content larger than %d bytes",
		    CMS_MAX_SIZE);
	x = &p->chain->v[0];
	if (x->key_alg != OID_RSA_ENCRYPTION ||
	    mpz_cmp(x->key.pub.n, p->key->pub.n) != 0 ||
	    mpz_cmp(x->key.pub.e, p->key->pub.e) != 0)
		return err_set(e, ERR_USAGE, "the key does not match the "
		    "signer's certificate");
	hash_sha256(p->content != NULL ? p->content : (const uint8_t *)"",
	    p->content_len, digest);
	if (encode_attrs(p, digest, &attrs, &attrs_len, e) == -1)
		goto out;
	b.tag = DER_SET;
	b.p = attrs;
	b.len = attrs_len;
	if ((set = der_encode(encode_blob, &b, &set_len, e)) == NULL)
		goto out;
	sig = xmalloc(p->key->pub.size);
	if (p->pss) {
		hash_sha256(set, set_len, digest);
		if (rsakey_sign_pss(p->key, HASH_SHA256, digest, sig, e) == -1)
			goto out;
	} else if (sigalg_sign_sha256(p->key, set, set_len, sig, e) == -1)
		goto out;
	a.p = p;
	a.signer = x;
	a.attrs = attrs;
	a.attrs_len = attrs_len;
	a.sig = sig;
	a.sig_len = p->key->pub.size;
	if ((*der = der_encode(encode_signed, &a, len, e)) == NULL)
		goto out;
	rc = 0;
out:
	free(sig);
	free(set);
	free(attrs);
	return rc;
}
