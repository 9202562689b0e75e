/* aescbc.h — AES-256-CBC with PKCS#7 padding, for PKCS#8 PBES2 export/import. */
#ifndef MP_CRYPTO_AESCBC_H
#define MP_CRYPTO_AESCBC_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* Appends the padded ciphertext of in to out. keylen is 16 or 32. */
void aescbc_encrypt(const uint8_t *key, size_t keylen, const uint8_t iv[16],
    const uint8_t *in, size_t len, struct buf *out);
/* Appends the plaintext to out; -1 (ERR_PASS: "wrong passphrase or corrupt
 * key") when the length or the padding is wrong. */
int aescbc_decrypt(const uint8_t *key, size_t keylen, const uint8_t iv[16],
    const uint8_t *in, size_t len, struct buf *out, struct err *);

#endif
