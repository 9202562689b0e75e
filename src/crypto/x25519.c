/* x25519.c — X25519 over Nettle; see x25519.h. */
#include <string.h>

#include <nettle/curve25519.h>

#include "crypto/rand.h"
#include "crypto/x25519.h"

void
x25519_base(const uint8_t priv[X25519_SIZE], uint8_t pub[X25519_SIZE])
{
	curve25519_mul_g(pub, priv);
}

void
x25519_keygen(uint8_t priv[X25519_SIZE], uint8_t pub[X25519_SIZE])
{
	rand_bytes(priv, X25519_SIZE);
	x25519_base(priv, pub);
}

int
x25519_shared(const uint8_t priv[X25519_SIZE],
    const uint8_t peer[X25519_SIZE], uint8_t shared[X25519_SIZE],
    struct err *e)
{
	uint8_t acc = 0;
	size_t i;

	curve25519_mul(shared, priv, peer);
	/* Constant-time test for the all-zero output. */
	for (i = 0; i < X25519_SIZE; i++)
		acc |= shared[i];
	if (acc == 0) {
		explicit_bzero(shared, X25519_SIZE);
		return err_set(e, ERR_INPUT, "x25519: the peer's public value "
		    "has small order (all-zero shared secret)");
	}
	return 0;
}
