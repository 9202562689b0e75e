/* ecdh256.c — ECDH P-256 over Nettle; see ecdh256.h. */
#include <string.h>

#include <gmp.h>
#include <nettle/bignum.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>

#include "crypto/ecdh256.h"
#include "crypto/rand.h"

void
ecdh256_keygen(uint8_t priv[ECDH256_PRIV_SIZE],
    uint8_t pub[ECDH256_PUB_SIZE])
{
	const struct ecc_curve *c = nettle_get_secp_256r1();
	struct ecc_scalar s;
	struct ecc_point p;
	mpz_t x, y, z;

	mpz_inits(x, y, z, NULL);
	ecc_scalar_init(&s, c);
	ecc_point_init(&p, c);
	ecc_scalar_random(&s, NULL, rand_nettle);
	ecc_point_mul_g(&p, &s);
	ecc_point_get(&p, x, y);
	ecc_scalar_get(&s, z);
	pub[0] = 4;
	nettle_mpz_get_str_256(32, pub + 1, x);
	nettle_mpz_get_str_256(32, pub + 33, y);
	nettle_mpz_get_str_256(ECDH256_PRIV_SIZE, priv, z);
	ecc_scalar_clear(&s);
	ecc_point_clear(&p);
	mpz_clears(x, y, z, NULL);	/* gmpmem wipes the limbs */
}

int
ecdh256_shared(const uint8_t priv[ECDH256_PRIV_SIZE],
    const uint8_t *peer, size_t peerlen,
    uint8_t shared[ECDH256_SHARED_SIZE], struct err *e)
{
	const struct ecc_curve *c = nettle_get_secp_256r1();
	struct ecc_scalar s;
	struct ecc_point p, r;
	mpz_t x, y, z;
	int rc = -1;

	memset(shared, 0, ECDH256_SHARED_SIZE);
	if (peerlen != ECDH256_PUB_SIZE || peer[0] != 4)
		return err_set(e, ERR_INPUT, "secp256r1: the peer's public "
		    "value is not an uncompressed point (%zu bytes, first "
		    "byte 0x%02x)", peerlen, peerlen > 0 ? peer[0] : 0);
	mpz_inits(x, y, z, NULL);
	ecc_scalar_init(&s, c);
	ecc_point_init(&p, c);
	ecc_point_init(&r, c);
	nettle_mpz_set_str_256_u(x, 32, peer + 1);
	nettle_mpz_set_str_256_u(y, 32, peer + 33);
	/* ecc_point_set refuses coordinates outside [0, p) and points off
	 * the curve (no invalid-curve attack). */
	if (!ecc_point_set(&p, x, y)) {
		err_set(e, ERR_INPUT, "secp256r1: the peer's public value is "
		    "not a point on the curve");
		goto out;
	}
	nettle_mpz_set_str_256_u(z, ECDH256_PRIV_SIZE, priv);
	if (!ecc_scalar_set(&s, z)) {
		err_set(e, ERR_INPUT, "secp256r1: private scalar out of range");
		goto out;
	}
	ecc_point_mul(&r, &s, &p);
	ecc_point_get(&r, x, NULL);
	nettle_mpz_get_str_256(ECDH256_SHARED_SIZE, shared, x);
	rc = 0;
out:
	ecc_scalar_clear(&s);
	ecc_point_clear(&p);
	ecc_point_clear(&r);
	mpz_clears(x, y, z, NULL);
	return rc;
}
