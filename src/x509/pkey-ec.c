/* pkey-ec.c — P-256 key encodings: SEC1 ECPrivateKey (RFC 5915), the
 * id-ecPublicKey AlgorithmIdentifier with a named curve (RFC 5480) and the
 * EC SubjectPublicKeyInfo; see pkey.h. PKCS#8 and PBES2 wrapping is shared
 * with RSA in pkey.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "crypto/hash.h"
#include "util/xalloc.h"
#include "x509/pkey.h"
#include "x509/pkeypriv.h"

void
pkey_ec_encode_alg(struct derw *w)
{
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_EC_PUBLIC_KEY);
	derw_oid(w, OID_PRIME256V1);
	derw_end(w);
}

/* ECPrivateKey ::= SEQUENCE { version INTEGER 1, privateKey OCTET STRING,
 *     parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING
 *     OPTIONAL }. OpenSSL writes the curve in the bare form and leaves it
 * out inside PKCS#8, where the AlgorithmIdentifier names it; so do we. */
static void
encode_sec1(struct derw *w, const struct ec256key *k, int with_params)
{
	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 1);
	derw_tlv(w, DER_OCTET_STRING, k->priv, EC256_PRIV_SIZE);
	if (with_params) {
		derw_begin(w, DER_CTX_CONS(0));
		derw_oid(w, OID_PRIME256V1);
		derw_end(w);
	}
	derw_begin(w, DER_CTX_CONS(1));
	derw_bits(w, k->pub, EC256_PUB_SIZE, 0);
	derw_end(w);
	derw_end(w);
}

static void
encode_sec1_full(struct derw *w, const void *arg)
{
	encode_sec1(w, arg, 1);
}

void
pkey_ec_encode_sec1_inner(struct derw *w, const struct ec256key *k)
{
	encode_sec1(w, k, 0);
}

void
pkey_encode_sec1(const struct ec256key *k, struct buf *out)
{
	uint8_t *p;
	size_t len;

	if ((p = der_encode(encode_sec1_full, k, &len, NULL)) == NULL)
		xalloc_fail("key encoding");
	buf_append(out, p, len);
	xfree_secret(p, len);
}

void
pkey_encode_spki_ec(struct derw *w, const struct ec256key *k)
{
	derw_begin(w, DER_SEQUENCE);
	pkey_ec_encode_alg(w);
	derw_bits(w, k->pub, EC256_PUB_SIZE, 0);
	derw_end(w);
}

void
pkey_key_id_ec(const struct ec256key *k, uint8_t out[20])
{
	/* RFC 5280 4.2.1.2 (1): the SHA-1 of the subjectPublicKey bits,
	 * which for EC are the point itself. */
	hash_digest(HASH_SHA1, k->pub, EC256_PUB_SIZE, out);
}

/* The named curve after id-ecPublicKey (or in [0] of ECPrivateKey).
 * Returns 0 for prime256v1, 1 for another named curve (its name in
 * ka->why), -1 for broken or non-named parameters. */
int
pkey_ec_get_curve(struct der *d, struct pkey_alg *ka)
{
	struct der_tlv oid;
	char name[80];
	int t = der_peek(d);

	if (t == DER_SEQUENCE)
		return der_fail(d, d->pos, "EC parameters must name a curve "
		    "(explicit curve parameters are not supported)");
	if (t != DER_OID)
		return der_fail(d, d->pos, "EC key without a named curve");
	if (der_get_oid(d, "namedCurve", &oid) == -1)
		return -1;
	if (oid_find(oid.val, oid.len) == OID_PRIME256V1)
		return 0;
	oid_to_text(oid.val, oid.len, name, sizeof name);
	snprintf(ka->why, sizeof ka->why, "unsupported EC curve %s (only "
	    "prime256v1)", name);
	return 1;
}

int
pkey_ec_get_private(struct der *d, struct ec256key *k, int need_curve)
{
	struct der seq, in;
	struct der_tlv t, priv;
	struct pkey_alg ka;
	const uint8_t *p;
	size_t len, off;
	unsigned unused;
	long version;
	int r, have_pub = 0, have_curve = 0;

	if (der_enter(d, DER_SEQUENCE, "ECPrivateKey", &seq) == -1 ||
	    der_get_small(&seq, "version", 255, &version) == -1)
		return -1;
	if (version != 1)
		return der_fail(&seq, seq.pos, "ECPrivateKey version %ld "
		    "(must be 1)", version);
	if (der_get(&seq, DER_OCTET_STRING, "privateKey", &priv) == -1)
		return -1;
	/* RFC 5915: exactly ceiling(log2(n) / 8) octets. */
	if (priv.len != EC256_PRIV_SIZE)
		return der_fail(&seq, priv.off, "P-256 private key of %zu "
		    "bytes (want 32)", priv.len);
	if ((r = der_opt(&seq, DER_CTX_CONS(0), "parameters", &t)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&seq, &t, &in);
		if ((r = pkey_ec_get_curve(&in, &ka)) == -1)
			return -1;
		if (r == 1)
			return der_fail(&in, t.off, "%s", ka.why);
		if (der_finish(&in, "parameters") == -1)
			return -1;
		have_curve = 1;
	}
	if (need_curve && !have_curve)
		return der_fail(&seq, seq.pos, "ECPrivateKey without its "
		    "curve");
	if ((r = der_opt(&seq, DER_CTX_CONS(1), "publicKey", &t)) == -1)
		return -1;
	if (r == 1) {
		der_sub(&seq, &t, &in);
		off = in.pos;
		if (der_get_bits(&in, "publicKey", &p, &len, &unused) == -1 ||
		    der_finish(&in, "publicKey") == -1)
			return -1;
		if (unused != 0)
			return der_fail(&in, off, "EC publicKey has unused "
			    "bits");
		if (ec256key_set_public(k, p, len, d->err) == -1)
			return -1;
		have_pub = 1;
	}
	if (der_finish(&seq, "ECPrivateKey") == -1)
		return -1;
	return ec256key_set_private(k, priv.val, priv.len, have_pub, d->err);
}
