/* ecdh256.h — ECDH over NIST P-256 (secp256r1) for TLS key shares
 * (RFC 8446 4.2.8.2: uncompressed points, the shared secret is the x
 * coordinate). Nettle's ECC code underneath is side-channel silent. */
#ifndef MP_CRYPTO_ECDH256_H
#define MP_CRYPTO_ECDH256_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define ECDH256_PRIV_SIZE 32
#define ECDH256_PUB_SIZE 65	/* 0x04 || X || Y */
#define ECDH256_SHARED_SIZE 32

/* A new random private scalar and its public point. */
void ecdh256_keygen(uint8_t priv[ECDH256_PRIV_SIZE],
    uint8_t pub[ECDH256_PUB_SIZE]);
/* shared = x(priv * peer). The peer's value must be exactly an
 * uncompressed point on the curve (ERR_INPUT otherwise, shared wiped). */
int ecdh256_shared(const uint8_t priv[ECDH256_PRIV_SIZE],
    const uint8_t *peer, size_t peerlen,
    uint8_t shared[ECDH256_SHARED_SIZE], struct err *);

#endif
