/* ecsig.h — the DER form of an ECDSA signature (RFC 3279 2.2.3,
 * Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }) for P-256, as
 * certificates and TLS carry it. */
#ifndef MP_X509_ECSIG_H
#define MP_X509_ECSIG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/ecdsa256.h"
#include "util/err.h"

/* At most 2 + 2 * (2 + 33) bytes. */
#define ECSIG_MAX_SIZE 72

/* Encodes (r, s) into out and returns its length. */
size_t ecsig_encode(const uint8_t r[EC256_SCALAR_SIZE],
    const uint8_t s[EC256_SCALAR_SIZE], uint8_t out[ECSIG_MAX_SIZE]);
/* Decodes strictly: exactly one SEQUENCE of two minimal, positive
 * INTEGERs of at most 32 bytes of magnitude, nothing after it (ERR_INPUT
 * naming what is wrong). */
int ecsig_decode(const uint8_t *der, size_t len,
    uint8_t r[EC256_SCALAR_SIZE], uint8_t s[EC256_SCALAR_SIZE],
    struct err *);
/* Decodes sig and checks it over digest: what the signature paths call. */
int ecsig_verify(const struct ec256key *, const uint8_t *digest, size_t dlen,
    const uint8_t *sig, size_t siglen, struct err *);
/* Signs digest and writes the DER signature; returns its length, 0 on
 * failure (err set). */
size_t ecsig_sign(const struct ec256key *, const uint8_t *digest,
    size_t dlen, uint8_t out[ECSIG_MAX_SIZE], struct err *);

#endif
