/* rsadec.h — RSAES-PKCS1-v1_5 (RFC 8017 7.2) for the TLS 1.2 RSA key
 * exchange: encryption to a public key, and side-channel-silent decryption
 * of a message of known length (Nettle's rsa_sec_decrypt). */
#ifndef MP_CRYPTO_RSADEC_H
#define MP_CRYPTO_RSADEC_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/rsakey.h"
#include "util/err.h"

/* Encrypts len bytes (at most pub->size - 11) into out, which receives
 * exactly pub->size bytes. */
int rsadec_encrypt(const struct rsa_public_key *, const uint8_t *msg,
    size_t len, uint8_t *out, struct err *);

/* Decrypts ct (ctlen must equal the modulus size) expecting exactly len
 * bytes of message. Returns 1 when the padding was good and the message
 * has that length, 0 otherwise, without branching on secret data; out
 * holds len bytes either way (garbage on failure), so that a caller doing
 * the RFC 5246 7.4.7.1 countermeasure can select in constant time. */
int rsadec_decrypt(const struct rsakey *, const uint8_t *ct, size_t ctlen,
    uint8_t *out, size_t len);

#endif
