/* ecdsa256.c — ECDSA P-256 over Nettle; see ecdsa256.h. */
#include <string.h>

#include <gmp.h>
#include <nettle/bignum.h>
#include <nettle/dsa.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>

#include "crypto/ecdsa256.h"
#include "crypto/rand.h"

void
ec256key_init(struct ec256key *k)
{
	memset(k, 0, sizeof *k);
}

int
ec256key_has_public(const struct ec256key *k)
{
	return k->pub[0] == 4;
}

void
ec256key_clear(struct ec256key *k)
{
	explicit_bzero(k, sizeof *k);
}

/* The public point of scalar z into pub. */
static void
point_of(const struct ecc_scalar *s, uint8_t pub[EC256_PUB_SIZE])
{
	const struct ecc_curve *c = nettle_get_secp_256r1();
	struct ecc_point p;
	mpz_t x, y;

	mpz_inits(x, y, NULL);
	ecc_point_init(&p, c);
	ecc_point_mul_g(&p, s);
	ecc_point_get(&p, x, y);
	pub[0] = 4;
	nettle_mpz_get_str_256(32, pub + 1, x);
	nettle_mpz_get_str_256(32, pub + 33, y);
	ecc_point_clear(&p);
	mpz_clears(x, y, NULL);
}

void
ec256key_generate(struct ec256key *k)
{
	const struct ecc_curve *c = nettle_get_secp_256r1();
	struct ecc_scalar s;
	mpz_t z;

	mpz_init(z);
	ecc_scalar_init(&s, c);
	ecc_scalar_random(&s, NULL, rand_nettle);
	point_of(&s, k->pub);
	ecc_scalar_get(&s, z);
	nettle_mpz_get_str_256(EC256_PRIV_SIZE, k->priv, z);
	k->has_private = 1;
	ecc_scalar_clear(&s);
	mpz_clear(z);	/* gmpmem wipes the limbs */
}

/* Loads an encoded uncompressed point into p (already initialised). */
static int
point_load(struct ecc_point *p, const uint8_t *pt, size_t len, struct err *e)
{
	mpz_t x, y;
	int ok;

	if (len == 33 && (pt[0] == 2 || pt[0] == 3))
		return err_set(e, ERR_INPUT, "P-256: compressed points are "
		    "not supported");
	if (len != EC256_PUB_SIZE || pt[0] != 4)
		return err_set(e, ERR_INPUT, "P-256: public key is not an "
		    "uncompressed point (%zu bytes, first byte 0x%02x)", len,
		    len > 0 ? pt[0] : 0);
	mpz_inits(x, y, NULL);
	nettle_mpz_set_str_256_u(x, 32, pt + 1);
	nettle_mpz_set_str_256_u(y, 32, pt + 33);
	/* Refuses coordinates outside [0, p) and points off the curve. */
	ok = ecc_point_set(p, x, y);
	mpz_clears(x, y, NULL);
	if (!ok)
		return err_set(e, ERR_INPUT, "P-256: public key is not a point "
		    "on the curve");
	return 0;
}

int
ec256key_set_public(struct ec256key *k, const uint8_t *pt, size_t len,
    struct err *e)
{
	struct ecc_point p;
	int rc;

	ecc_point_init(&p, nettle_get_secp_256r1());
	rc = point_load(&p, pt, len, e);
	ecc_point_clear(&p);
	if (rc == 0)
		memcpy(k->pub, pt, EC256_PUB_SIZE);
	return rc;
}

int
ec256key_set_private(struct ec256key *k, const uint8_t *d, size_t len,
    int have_pub, struct err *e)
{
	struct ecc_scalar s;
	uint8_t pub[EC256_PUB_SIZE];
	mpz_t z;
	int rc = -1;

	while (len > 0 && d[0] == 0) {
		d++;
		len--;
	}
	if (len > EC256_PRIV_SIZE)
		return err_set(e, ERR_INPUT, "P-256: private key longer than "
		    "32 bytes");
	mpz_init(z);
	ecc_scalar_init(&s, nettle_get_secp_256r1());
	nettle_mpz_set_str_256_u(z, len, d);
	/* ecc_scalar_set refuses 0 and values not below the group order. */
	if (!ecc_scalar_set(&s, z)) {
		err_set(e, ERR_INPUT, "P-256: private key out of range");
		goto out;
	}
	point_of(&s, pub);
	if (have_pub && memcmp(pub, k->pub, EC256_PUB_SIZE) != 0) {
		err_set(e, ERR_INPUT, "P-256: public key does not match the "
		    "private key");
		goto out;
	}
	memcpy(k->pub, pub, EC256_PUB_SIZE);
	memset(k->priv, 0, EC256_PRIV_SIZE);
	memcpy(k->priv + EC256_PRIV_SIZE - len, d, len);
	k->has_private = 1;
	rc = 0;
out:
	ecc_scalar_clear(&s);
	mpz_clear(z);
	return rc;
}

int
ecdsa256_sign(const struct ec256key *k, const uint8_t *digest, size_t dlen,
    uint8_t r[EC256_SCALAR_SIZE], uint8_t s[EC256_SCALAR_SIZE],
    struct err *e)
{
	struct ecc_scalar x;
	struct dsa_signature sig;
	mpz_t z;
	int rc = -1;

	if (!k->has_private)
		return err_set(e, ERR_USAGE, "P-256: no private key to sign "
		    "with");
	mpz_init(z);
	ecc_scalar_init(&x, nettle_get_secp_256r1());
	dsa_signature_init(&sig);
	nettle_mpz_set_str_256_u(z, EC256_PRIV_SIZE, k->priv);
	if (!ecc_scalar_set(&x, z)) {
		err_set(e, ERR_INPUT, "P-256: private key out of range");
		goto out;
	}
	ecdsa_sign(&x, NULL, rand_nettle, dlen, digest, &sig);
	nettle_mpz_get_str_256(EC256_SCALAR_SIZE, r, sig.r);
	nettle_mpz_get_str_256(EC256_SCALAR_SIZE, s, sig.s);
	rc = 0;
out:
	dsa_signature_clear(&sig);
	ecc_scalar_clear(&x);
	mpz_clear(z);
	return rc;
}

/* The order n of the P-256 group. */
static const char order_hex[] =
    "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

/* Nettle adds u1*G and u2*Q with a formula that gives garbage when the two
 * are the same point (its comment: whoever meets that case knows the
 * private key). Such a signature is still valid (Wycheproof "point
 * duplication"), so after a refusal this checks that one case with public
 * operations only: all inputs are public. */
static int
verify_doubling(const struct ecc_point *q, const uint8_t *digest,
    size_t dlen, const struct dsa_signature *sig)
{
	const struct ecc_curve *c = nettle_get_secp_256r1();
	struct ecc_scalar a, b;
	struct ecc_point pa, pb;
	mpz_t n, w, u1, u2, x1, y1, x2, y2;
	int ok = 0;

	mpz_inits(n, w, u1, u2, x1, y1, x2, y2, NULL);
	mpz_set_str(n, order_hex, 16);
	if (mpz_sgn(sig->r) <= 0 || mpz_cmp(sig->r, n) >= 0 ||
	    mpz_sgn(sig->s) <= 0 || mpz_cmp(sig->s, n) >= 0 ||
	    !mpz_invert(w, sig->s, n)) {
		mpz_clears(n, w, u1, u2, x1, y1, x2, y2, NULL);
		return 0;
	}
	/* e: the leftmost 256 bits of the digest */
	nettle_mpz_set_str_256_u(u1, dlen < 32 ? dlen : 32, digest);
	mpz_mul(u1, u1, w);
	mpz_mod(u1, u1, n);
	mpz_mul(u2, sig->r, w);
	mpz_mod(u2, u2, n);
	ecc_scalar_init(&a, c);
	ecc_scalar_init(&b, c);
	ecc_point_init(&pa, c);
	ecc_point_init(&pb, c);
	if (ecc_scalar_set(&a, u1) && ecc_scalar_set(&b, u2)) {
		ecc_point_mul_g(&pa, &a);
		ecc_point_mul(&pb, &b, q);
		ecc_point_get(&pa, x1, y1);
		ecc_point_get(&pb, x2, y2);
		if (mpz_cmp(x1, x2) == 0 && mpz_cmp(y1, y2) == 0) {
			/* R = u1*G + u2*Q = 2*u1*G */
			mpz_mul_2exp(u1, u1, 1);
			mpz_mod(u1, u1, n);
			if (ecc_scalar_set(&a, u1)) {
				ecc_point_mul_g(&pa, &a);
				ecc_point_get(&pa, x1, NULL);
				mpz_mod(x1, x1, n);
				ok = mpz_cmp(x1, sig->r) == 0;
			}
		}
	}
	ecc_point_clear(&pa);
	ecc_point_clear(&pb);
	ecc_scalar_clear(&a);
	ecc_scalar_clear(&b);
	mpz_clears(n, w, u1, u2, x1, y1, x2, y2, NULL);
	return ok;
}

int
ecdsa256_verify(const struct ec256key *k, const uint8_t *digest, size_t dlen,
    const uint8_t r[EC256_SCALAR_SIZE], const uint8_t s[EC256_SCALAR_SIZE],
    struct err *e)
{
	struct ecc_point p;
	struct dsa_signature sig;
	int ok = 0;

	ecc_point_init(&p, nettle_get_secp_256r1());
	dsa_signature_init(&sig);
	if (point_load(&p, k->pub, EC256_PUB_SIZE, e) == 0) {
		nettle_mpz_set_str_256_u(sig.r, EC256_SCALAR_SIZE, r);
		nettle_mpz_set_str_256_u(sig.s, EC256_SCALAR_SIZE, s);
		/* Nettle refuses r or s of 0 or not below the group order. */
		ok = ecdsa_verify(&p, dlen, digest, &sig) ||
		    verify_doubling(&p, digest, dlen, &sig);
		if (!ok)
			err_set(e, ERR_REFUSED, "ECDSA signature does not "
			    "verify");
	}
	dsa_signature_clear(&sig);
	ecc_point_clear(&p);
	return ok ? 0 : -1;
}
