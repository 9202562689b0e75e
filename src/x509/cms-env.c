/* cms-env.c — CMS EnvelopedData / AuthEnvelopedData writer: AES-256 (CBC
 * or GCM) content, its key transported with RSA to each recipient; see
 * cms-env.h for what is written. */
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "crypto/aead.h"
#include "crypto/aescbc.h"
#include "crypto/oaep.h"
#include "crypto/rand.h"
#include "crypto/rsadec.h"
#include "util/xalloc.h"
#include "x509/cms-env.h"

#define SEAL_KEY_LEN 32

struct seal_arg {
	const struct cms_seal_params *p;
	uint8_t **ekeys;	/* one encryptedKey per recipient */
	uint8_t **ktri;		/* their KeyTransRecipientInfos, DER order */
	size_t *ktri_len;
	uint8_t iv[16];		/* CBC: 16 bytes; GCM: the first 12 */
	const uint8_t *ct;	/* ciphertext (GCM: without the tag) */
	size_t ct_len;
	const uint8_t *tag;	/* GCM */
};

/* AlgorithmIdentifier { sha256 } without parameters, as OpenSSL writes
 * it in RSAES-OAEP-params. */
static void
encode_sha256_bare(struct derw *w)
{
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_SHA256);
	derw_end(w);
}

/* rsaesOaep { hashFunc [0] sha256, maskGenFunc [1] mgf1 { sha256 } };
 * pSourceFunc is left at its default, the empty label (RFC 4055 4.1). */
static void
encode_kt_alg(struct derw *w, enum cms_kt kt)
{
	derw_begin(w, DER_SEQUENCE);
	if (kt == CMS_KT_PKCS1) {
		derw_oid(w, OID_RSA_ENCRYPTION);
		derw_null(w);
	} else {
		derw_oid(w, OID_RSAES_OAEP);
		derw_begin(w, DER_SEQUENCE);
		derw_begin(w, DER_CTX_CONS(0));
		encode_sha256_bare(w);
		derw_end(w);
		derw_begin(w, DER_CTX_CONS(1));
		derw_begin(w, DER_SEQUENCE);
		derw_oid(w, OID_MGF1);
		encode_sha256_bare(w);
		derw_end(w);
		derw_end(w);
		derw_end(w);
	}
	derw_end(w);
}

/* KeyTransRecipientInfo ::= SEQUENCE { version 0,
 *     rid IssuerAndSerialNumber, keyEncryptionAlgorithm, encryptedKey } */
struct ktri_arg {
	const struct cert *x;
	enum cms_kt kt;
	const uint8_t *ekey;
};

static void
encode_ktri(struct derw *w, const void *arg)
{
	const struct ktri_arg *k = arg;
	const struct cert *x = k->x;
	enum cms_kt kt = k->kt;
	const uint8_t *ekey = k->ekey;

	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 0);
	derw_begin(w, DER_SEQUENCE);
	dn_encode(w, &x->issuer);
	derw_tlv(w, DER_INTEGER, x->serial, x->serial_len);
	derw_end(w);
	encode_kt_alg(w, kt);
	derw_tlv(w, DER_OCTET_STRING, ekey, x->key.pub.size);
	derw_end(w);
}

static void
encode_sealed(struct derw *w, const void *arg)
{
	const struct seal_arg *a = arg;
	const struct cms_seal_params *p = a->p;
	size_t i;

	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, p->gcm ? OID_AUTH_ENVELOPED_DATA :
	    OID_PKCS7_ENVELOPED_DATA);
	derw_begin(w, DER_CTX_CONS(0));
	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 0);
	derw_begin(w, DER_SET);
	for (i = 0; i < p->nto; i++)
		derw_raw(w, a->ktri[i], a->ktri_len[i]);
	derw_end(w);
	derw_begin(w, DER_SEQUENCE);		/* EncryptedContentInfo */
	derw_oid(w, OID_PKCS7_DATA);
	derw_begin(w, DER_SEQUENCE);
	if (p->gcm) {
		derw_oid(w, OID_AES256_GCM);
		derw_begin(w, DER_SEQUENCE);
		derw_tlv(w, DER_OCTET_STRING, a->iv, AEAD_NONCE_SIZE);
		derw_small(w, AEAD_TAG_SIZE);
		derw_end(w);
	} else {
		derw_oid(w, OID_AES256_CBC);
		derw_tlv(w, DER_OCTET_STRING, a->iv, 16);
	}
	derw_end(w);
	derw_tlv(w, DER_CTX(0), a->ct, a->ct_len);
	derw_end(w);
	if (p->gcm)
		derw_tlv(w, DER_OCTET_STRING, a->tag, AEAD_TAG_SIZE);
	derw_end(w);
	derw_end(w);
	derw_end(w);
}

/* Each recipient's KeyTransRecipientInfo, sorted as DER wants a SET OF
 * (X.690 11.6). */
static int
encode_recips(struct seal_arg *a, struct err *e)
{
	struct ktri_arg k;
	uint8_t *tp;
	size_t i, j, tl;

	for (i = 0; i < a->p->nto; i++) {
		k.x = a->p->to[i];
		k.kt = a->p->kt;
		k.ekey = a->ekeys[i];
		if ((a->ktri[i] = der_encode(encode_ktri, &k, &a->ktri_len[i],
		    e)) == NULL)
			return -1;
	}
	for (i = 1; i < a->p->nto; i++)
		for (j = i; j > 0 && derw_set_cmp(a->ktri[j - 1],
		    a->ktri_len[j - 1], a->ktri[j], a->ktri_len[j]) > 0; j--) {
			tp = a->ktri[j];
			a->ktri[j] = a->ktri[j - 1];
			a->ktri[j - 1] = tp;
			tl = a->ktri_len[j];
			a->ktri_len[j] = a->ktri_len[j - 1];
			a->ktri_len[j - 1] = tl;
		}
	return 0;
}

int
cms_write_sealed(const struct cms_seal_params *p, uint8_t **der, size_t *len,
    struct err *e)
{
	struct seal_arg a;
	struct buf ct;
	uint8_t key[SEAL_KEY_LEN], *gcm = NULL;
	size_t i;
	int rc = -1;

	*der = NULL;
	*len = 0;
	if (p->nto == 0 || p->to == NULL)
		return err_set(e, ERR_USAGE, "sealing needs at least one "
		    "recipient certificate");
	if (p->nto > CMS_MAX_RECIPS)
		return err_set(e, ERR_USAGE, "more than %d recipients",
		    CMS_MAX_RECIPS);
	if (p->content == NULL && p->content_len > 0)
		return err_set(e, ERR_USAGE, "content missing");
	if (p->content_len > CMS_MAX_SIZE - 65536)
		return err_set(e, ERR_USAGE, "content larger than %d bytes",
		    CMS_MAX_SIZE - 65536);
	if (p->kt != CMS_KT_OAEP && p->kt != CMS_KT_PKCS1)
		return err_set(e, ERR_USAGE, "unknown key transport");
	for (i = 0; i < p->nto; i++)
		if (p->to[i]->key_alg != OID_RSA_ENCRYPTION)
			return err_set(e, ERR_USAGE, "recipient %zu: the "
			    "certificate's key is not RSA", i + 1);
	memset(&a, 0, sizeof a);
	buf_init(&ct);
	a.p = p;
	a.ekeys = xcalloc(p->nto, sizeof *a.ekeys);
	a.ktri = xcalloc(p->nto, sizeof *a.ktri);
	a.ktri_len = xcalloc(p->nto, sizeof *a.ktri_len);
	rand_bytes(key, sizeof key);
	for (i = 0; i < p->nto; i++) {
		const struct rsa_public_key *pub = &p->to[i]->key.pub;

		a.ekeys[i] = xmalloc(pub->size);
		if ((p->kt == CMS_KT_OAEP ? oaep_encrypt(pub, HASH_SHA256,
		    HASH_SHA256, key, sizeof key, a.ekeys[i], e) :
		    rsadec_encrypt(pub, key, sizeof key, a.ekeys[i], e)) == -1) {
			err_wrap(e, "recipient %zu", i + 1);
			goto out;
		}
	}
	if (encode_recips(&a, e) == -1)
		goto out;
	if (p->gcm) {
		rand_bytes(a.iv, AEAD_NONCE_SIZE);
		gcm = xmalloc(p->content_len + AEAD_TAG_SIZE);
		aead_seal(key, sizeof key, a.iv, NULL, 0, p->content != NULL ?
		    p->content : (const uint8_t *)"", p->content_len, gcm);
		a.ct = gcm;
		a.ct_len = p->content_len;
		a.tag = gcm + p->content_len;
	} else {
		rand_bytes(a.iv, 16);
		aescbc_encrypt(key, sizeof key, a.iv, p->content != NULL ?
		    p->content : (const uint8_t *)"", p->content_len, &ct);
		a.ct = ct.data;
		a.ct_len = ct.len;
	}
	if ((*der = der_encode(encode_sealed, &a, len, e)) == NULL)
		goto out;
	rc = 0;
out:
	explicit_bzero(key, sizeof key);
	for (i = 0; i < p->nto; i++) {
		free(a.ekeys[i]);
		free(a.ktri[i]);
	}
	free(a.ekeys);
	free(a.ktri);
	free(a.ktri_len);
	free(gcm);
	buf_clear(&ct);
	return rc;
}
