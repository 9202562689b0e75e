/* pbe.h — the password-based pieces of PKCS#12 (RFC 7292) and PKCS#5
 * (RFC 8018): the RFC 7292 Appendix B key derivation, PBKDF2, HMAC and the
 * CBC ciphers the two standards name, by id (Nettle underneath).
 *
 * The legacy ciphers (3DES, RC2) exist to read and, on request, write the
 * files older software takes; nothing else in the project uses them. */
#ifndef MP_CRYPTO_PBE_H
#define MP_CRYPTO_PBE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/hash.h"
#include "util/buf.h"
#include "util/err.h"

enum pbe_cipher {
	PBE_NONE = 0,
	PBE_AES128_CBC,
	PBE_AES192_CBC,
	PBE_AES256_CBC,
	PBE_DES3_CBC,		/* three-key triple DES (24-byte key) */
	PBE_RC2_40_CBC,		/* RC2, 40 effective key bits (5-byte key) */
	PBE_RC2_128_CBC,	/* RC2, 128 effective key bits (16-byte key) */
};

#define PBE_MAX_KEY 32
#define PBE_MAX_BLOCK 16

/* RFC 7292 Appendix B.3 purpose bytes. */
#define PBE_ID_KEY 1
#define PBE_ID_IV 2
#define PBE_ID_MAC 3

size_t pbe_cipher_keylen(enum pbe_cipher);
size_t pbe_cipher_blocklen(enum pbe_cipher);
const char *pbe_cipher_name(enum pbe_cipher);	/* "AES-256-CBC", ... */

/* Appends the PKCS#7-padded CBC encryption of in to out. */
void pbe_cbc_encrypt(enum pbe_cipher, const uint8_t *key, const uint8_t *iv,
    const uint8_t *in, size_t len, struct buf *out);
/* Appends the plaintext to out. A length that is not whole blocks or bad
 * padding is ERR_PASS "wrong passphrase or corrupt data". */
int pbe_cbc_decrypt(enum pbe_cipher, const uint8_t *key, const uint8_t *iv,
    const uint8_t *in, size_t len, struct buf *out, struct err *);

/* The passphrase as RFC 7292 B.1 wants it: UTF-8 into big-endian
 * BMPString with two zero bytes at the end, appended to out (a secret:
 * clear it with buf_clear_secret). -1, ERR_USAGE, for a passphrase that is
 * not UTF-8 or has a character outside the BMP. */
int pbe_bmp_password(const char *utf8, size_t len, struct buf *out,
    struct err *);

/* RFC 7292 Appendix B.2 with hash (SHA-1 or SHA-2): outlen bytes for
 * purpose id from the BMP password, salt and iteration count. */
void pbe_pkcs12_kdf(enum hash_alg, unsigned id, const uint8_t *bmp,
    size_t bmplen, const uint8_t *salt, size_t saltlen, unsigned iterations,
    uint8_t *out, size_t outlen);
/* PBKDF2 (RFC 8018 5.2) with HMAC of hash as the PRF. */
void pbe_pbkdf2(enum hash_alg, const void *pass, size_t passlen,
    const uint8_t *salt, size_t saltlen, unsigned iterations, uint8_t *out,
    size_t outlen);
/* HMAC of msg under key; out gets hash_size(hash) bytes. */
void pbe_hmac(enum hash_alg, const uint8_t *key, size_t keylen,
    const uint8_t *msg, size_t len, uint8_t *out);

#endif
