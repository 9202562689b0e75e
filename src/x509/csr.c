/* csr.c — PKCS#10 certification requests; see csr.h. */
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/csr.h"
#include "x509/pkey.h"

void
csr_init(struct csr *r)
{
	memset(r, 0, sizeof *r);
	dn_init(&r->subject);
	rsakey_init(&r->key);
	ec256key_init(&r->eckey);
	ext_info_init(&r->ext);
}

void
csr_clear(struct csr *r)
{
	free(r->der);
	dn_clear(&r->subject);
	rsakey_clear(&r->key);
	ec256key_clear(&r->eckey);
	ext_info_clear(&r->ext);
	csr_init(r);
}

/* Attribute ::= SEQUENCE { type OID, values SET SIZE (1..MAX) OF ANY }
 * extensionRequest's one value is Extensions. */
static int
parse_attrs(struct csr *r, struct der *d)
{
	struct der attr, set, exts;
	struct der_tlv oid;

	while (der_more(d)) {
		if (der_enter(d, DER_SEQUENCE, "Attribute", &attr) == -1 ||
		    der_get_oid(&attr, "attribute type", &oid) == -1 ||
		    der_enter(&attr, DER_SET, "attribute values", &set) == -1 ||
		    der_finish(&attr, "Attribute") == -1)
			return -1;
		if (oid_find(oid.val, oid.len) != OID_EXTENSION_REQUEST)
			continue;
		if (r->has_ext)
			return der_fail(&attr, oid.off, "more than one "
			    "extensionRequest attribute");
		if (der_enter(&set, DER_SEQUENCE, "Extensions", &exts) == -1 ||
		    der_finish(&set, "extensionRequest values") == -1)
			return -1;
		/* openssl writes an empty Extensions for no -addext. */
		if (der_more(&exts) && ext_parse(&exts, &r->ext) == -1)
			return err_wrap(d->err, "extensionRequest");
		r->has_ext = 1;
	}
	return 0;
}

/* Digests too weak for proof of possession that the OID table does not
 * know (nothing else reads them): md2/md4/md5WithRSAEncryption,
 * 1.2.840.113549.1.1.{2,3,4}. Named here so the refusal says which. */
static const struct {
	uint8_t last;
	const char *name, *hash;
} weak_sigalgs[] = {
	{ 2, "md2WithRSAEncryption", "MD2" },
	{ 3, "md4WithRSAEncryption", "MD4" },
	{ 4, "md5WithRSAEncryption", "MD5" },
};

/* Looks at the signatureAlgorithm ahead of the cursor without moving it
 * and refuses an MD2/MD4/MD5 one (ERR_REFUSED); anything else, malformed
 * included, is left for sigalg_parse. */
static int
refuse_weak_md(const struct der *top)
{
	static const uint8_t pkcs1[8] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
	    0x01, 0x01 };
	struct der d = *top, seq;
	struct der_tlv oid;
	struct err scratch;
	size_t i;

	d.err = &scratch;
	if (der_enter(&d, DER_SEQUENCE, "AlgorithmIdentifier", &seq) == -1 ||
	    der_get_oid(&seq, "signature algorithm", &oid) == -1 ||
	    oid.len != sizeof pkcs1 + 1 ||
	    memcmp(oid.val, pkcs1, sizeof pkcs1) != 0)
		return 0;
	for (i = 0; i < sizeof weak_sigalgs / sizeof weak_sigalgs[0]; i++)
		if (oid.val[sizeof pkcs1] == weak_sigalgs[i].last)
			return err_set(top->err, ERR_REFUSED, "offset 0x%zx: "
			    "request signed with %s: %s is refused for proof of "
			    "possession (sign with SHA-256 or better)", oid.off,
			    weak_sigalgs[i].name, weak_sigalgs[i].hash);
	return 0;
}

/*
 * CertificationRequest ::= SEQUENCE { certificationRequestInfo,
 *     signatureAlgorithm AlgorithmIdentifier, signature BIT STRING }
 * CertificationRequestInfo ::= SEQUENCE { version INTEGER { v1(0) },
 *     subject Name, subjectPKInfo SubjectPublicKeyInfo,
 *     attributes [0] IMPLICIT SET OF Attribute }
 */
int
csr_parse(struct csr *r, const uint8_t *der, size_t len, struct err *e)
{
	struct der d, top, info, attrs;
	struct der_tlv t;
	const uint8_t *bits;
	size_t nbits, s0;
	unsigned unused;
	long v;

	csr_clear(r);
	if (len > CSR_MAX_SIZE)
		return err_set(e, ERR_INPUT, "request larger than %d bytes",
		    CSR_MAX_SIZE);
	r->der = xmalloc(len > 0 ? len : 1);
	if (len > 0)
		memcpy(r->der, der, len);
	r->len = len;
	der_init(&d, r->der, len, e);
	if (der_get(&d, DER_SEQUENCE, "CertificationRequest", &t) == -1 ||
	    der_finish(&d, "request") == -1)
		goto fail;
	der_sub(&d, &t, &top);
	if (der_get(&top, DER_SEQUENCE, "CertificationRequestInfo", &t) == -1)
		goto fail;
	r->info = top.buf + t.off;
	r->info_len = t.hdrlen + t.len;
	der_sub(&top, &t, &info);
	if (der_get_small(&info, "version", 0x7fffffffL, &v) == -1)
		goto fail;
	if (v != 0) {
		der_fail(&info, info.pos, "request version %ld (must be 0)", v);
		goto fail;
	}
	r->version = 0;
	if (dn_parse(&info, &r->subject) == -1)
		goto fail;
	r->spki = info.buf + info.pos;
	s0 = info.pos;
	if (pkey_parse_spki(&info, &r->key_alg, &r->key, &r->eckey) == -1)
		goto fail;
	r->spki_len = info.pos - s0;
	if (der_enter(&info, DER_CTX_CONS(0), "attributes", &attrs) == -1 ||
	    parse_attrs(r, &attrs) == -1 ||
	    der_finish(&info, "CertificationRequestInfo") == -1)
		goto fail;
	if (refuse_weak_md(&top) == -1 ||
	    sigalg_parse(&top, &r->sigalg) == -1 ||
	    der_get_bits(&top, "signature", &bits, &nbits, &unused) == -1)
		goto fail;
	if (unused != 0) {
		der_fail(&top, top.pos, "signature has unused bits");
		goto fail;
	}
	r->sig = bits;
	r->sig_len = nbits;
	if (der_finish(&top, "CertificationRequest") == -1)
		goto fail;
	return 0;
fail:
	csr_clear(r);
	return -1;
}

int
csr_check_signature(const struct csr *r, struct err *e)
{
	struct err tmp;

	if (r->key_alg != OID_RSA_ENCRYPTION &&
	    (r->key_alg != OID_EC_PUBLIC_KEY || !ec256key_has_public(&r->eckey)))
		return err_set(e, ERR_REFUSED, "request key is neither RSA nor "
		    "P-256");
	if (r->sig_ok)
		return 0;
	/* A SHA-1 self-signature can be forged by collision (SHAmbles); it
	 * proves nothing about the key holder. */
	if (r->sigalg.hash == HASH_SHA1)
		return err_set(e, ERR_REFUSED, "request signed with %s: SHA-1 "
		    "is refused for proof of possession (sign with SHA-256 or "
		    "better)", oid_get(r->sigalg.oid)->sn);
	if ((r->key_alg == OID_EC_PUBLIC_KEY ?
	    sigalg_verify_ec(&r->sigalg, &r->eckey, r->info, r->info_len,
	    r->sig, r->sig_len, &tmp) :
	    sigalg_verify(&r->sigalg, &r->key.pub, r->info, r->info_len,
	    r->sig, r->sig_len, &tmp)) == -1)
		return err_set(e, ERR_REFUSED, "request signature does not "
		    "verify");
	return 0;
}

static int build(const struct dn *, const struct san_list *,
    const struct cert_signer *, uint8_t **, size_t *, struct err *);

struct info_arg {
	const struct dn *subject;
	const struct rsakey *key;
	const struct ec256key *ec;	/* instead of key */
	const struct ext_info *ext;
};

static void
encode_info(struct derw *w, const void *arg)
{
	const struct info_arg *a = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 0);
	dn_encode(w, a->subject);
	if (a->ec != NULL)
		pkey_encode_spki_ec(w, a->ec);
	else
		pkey_encode_spki(w, a->key);
	derw_begin(w, DER_CTX_CONS(0));
	if (ext_count(a->ext) > 0) {
		derw_begin(w, DER_SEQUENCE);
		derw_oid(w, OID_EXTENSION_REQUEST);
		derw_begin(w, DER_SET);
		ext_encode(w, a->ext);
		derw_end(w);
		derw_end(w);
	}
	derw_end(w);
	derw_end(w);
}

int
csr_build(const struct dn *subject, const struct san_list *san,
    const struct rsakey *key, uint8_t **der, size_t *len, struct err *e)
{
	struct cert_signer s = { key, NULL };

	return build(subject, san, &s, der, len, e);
}

int
csr_build_any(const struct dn *subject, const struct san_list *san,
    const struct pkey *key, uint8_t **der, size_t *len, struct err *e)
{
	struct cert_signer s = { NULL, NULL };

	if (key->type == PKEY_EC)
		s.ec = &key->ec;
	else
		s.rsa = &key->rsa;
	return build(subject, san, &s, der, len, e);
}

static int
build(const struct dn *subject, const struct san_list *san,
    const struct cert_signer *s, uint8_t **der, size_t *len, struct err *e)
{
	struct ext_info ext;
	struct info_arg a;
	uint8_t *info;
	size_t info_len;
	int rc;

	*der = NULL;
	*len = 0;
	ext_info_init(&ext);
	if (san != NULL && san->n > 0) {
		/* Shallow: the list stays the caller's. */
		ext.has_san = 1;
		ext.san = *san;
		ext.san_critical = dn_empty(subject);
	} else if (dn_empty(subject))
		return err_set(e, ERR_USAGE, "a request needs a subject name "
		    "or a subject alternative name");
	a.subject = subject;
	a.key = s->rsa;
	a.ec = s->ec;
	a.ext = &ext;
	if ((info = der_encode(encode_info, &a, &info_len, e)) == NULL)
		return -1;
	rc = cert_sign_wrap_by(info, info_len, s, der, len, e);
	free(info);
	return rc;
}

/* ---- request files ---- */

int
csr_file_open(struct csr_file *f, const char *path, int lines,
    struct err *e)
{
	memset(f, 0, sizeof *f);
	f->path = path;
	f->lines = lines;
	buf_init(&f->data);
	pem_list_init(&f->pl);
	if (file_read(path, CSR_FILE_MAX, &f->data, e) == -1)
		return -1;	/* the message names the file */
	if (pem_detect(f->data.data, f->data.len) &&
	    pem_decode((const char *)f->data.data, f->data.len, &f->pl,
	    e) == -1)
		return err_wrap(e, "%s", path);
	return 0;
}

int
csr_file_next(struct csr_file *f, struct csr *r, struct err *e)
{
	const struct pem_block *b;

	if (f->pl.n == 0) {
		/* DER: the whole file, once. */
		if (f->found > 0)
			return 0;
		f->found++;
		if (csr_parse(r, f->data.data, f->data.len, e) == -1)
			return err_wrap(e, "%s", f->path);
		return 1;
	}
	for (; f->next < f->pl.n; f->next++) {
		b = &f->pl.v[f->next];
		if (strcmp(b->label, "CERTIFICATE REQUEST") == 0 ||
		    strcmp(b->label, "NEW CERTIFICATE REQUEST") == 0)
			break;
	}
	if (f->next == f->pl.n) {
		if (f->found > 0)
			return 0;
		return err_set(e, ERR_INPUT, "%s: no CERTIFICATE REQUEST "
		    "block found", f->path);
	}
	b = &f->pl.v[f->next++];
	f->found++;
	if (csr_parse(r, b->der, b->len, e) == -1) {
		if (f->lines)
			return err_wrap(e, "%s: line %zu", f->path, b->line);
		return err_wrap(e, "%s", f->path);
	}
	return 1;
}

void
csr_file_clear(struct csr_file *f)
{
	pem_list_clear(&f->pl);
	buf_clear(&f->data);
}

int
csr_load(struct csr *r, const char *path, struct err *e)
{
	struct csr_file f;
	int rc;

	rc = csr_file_open(&f, path, 0, e);
	if (rc == 0)
		rc = csr_file_next(&f, r, e) == 1 ? 0 : -1;
	csr_file_clear(&f);
	return rc;
}
