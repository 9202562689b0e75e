/* x25519.h — the X25519 function of RFC 7748 (Nettle's curve25519). */
#ifndef MP_CRYPTO_X25519_H
#define MP_CRYPTO_X25519_H

#include <stdint.h>

#include "util/err.h"

#define X25519_SIZE 32

/* A new private scalar (random) and its public value. */
void x25519_keygen(uint8_t priv[X25519_SIZE], uint8_t pub[X25519_SIZE]);
/* pub = X25519(priv, 9). */
void x25519_base(const uint8_t priv[X25519_SIZE], uint8_t pub[X25519_SIZE]);
/* shared = X25519(priv, peer). An all-zero result (the peer sent a point of
 * small order) is refused with ERR_INPUT and shared wiped (RFC 7748 6.1,
 * RFC 8446 7.4.2). */
int x25519_shared(const uint8_t priv[X25519_SIZE],
    const uint8_t peer[X25519_SIZE], uint8_t shared[X25519_SIZE],
    struct err *);

#endif
