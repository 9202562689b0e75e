/* pkey.h — RSA key encodings: PKCS#1, PKCS#8, encrypted PKCS#8 (PBES2),
 * and SubjectPublicKeyInfo. */
#ifndef MP_X509_PKEY_H
#define MP_X509_PKEY_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/der.h"
#include "crypto/rsakey.h"
#include "util/buf.h"
#include "util/err.h"

#define PKEY_MAX_SIZE (64 * 1024)
#define PKEY_PBES2_ITERATIONS 600000	/* for exported keys */

enum pkey_format {
	PKEY_UNKNOWN = 0,
	PKEY_PKCS1,		/* RSAPrivateKey */
	PKEY_PKCS8,		/* PrivateKeyInfo */
	PKEY_PKCS8_ENCRYPTED,	/* EncryptedPrivateKeyInfo */
	PKEY_SPKI,		/* SubjectPublicKeyInfo (public only) */
	PKEY_PKCS1_PUBLIC,	/* RSAPublicKey */
};

/* Writes RSAPrivateKey (PKCS#1) of a private key into out (appended).
 * out may hold secrets: clear it with buf_clear_secret. */
void pkey_encode_pkcs1(const struct rsakey *, struct buf *out);
/* PrivateKeyInfo (PKCS#8, unencrypted). */
void pkey_encode_pkcs8(const struct rsakey *, struct buf *out);
/* EncryptedPrivateKeyInfo: PBES2 with PBKDF2-HMAC-SHA256 (iterations,
 * random 16-byte salt) and AES-256-CBC (random IV), as `openssl pkey`
 * writes with -aes-256-cbc. */
void pkey_encode_pkcs8_encrypted(const struct rsakey *, const char *pass,
    size_t passlen, unsigned iterations, struct buf *out);
/* SubjectPublicKeyInfo of the public part. */
void pkey_encode_spki(struct derw *, const struct rsakey *);

/* Detects the format of DER key data from its structure. */
enum pkey_format pkey_detect(const uint8_t *der, size_t len);
/* Decodes any of the formats above into key (private ones set
 * has_private). pass is needed for PKEY_PKCS8_ENCRYPTED (ERR_PASS when
 * wrong, ERR_USAGE "key is encrypted: a passphrase is needed" when NULL).
 * The key numbers are checked for consistency. */
int pkey_decode(struct rsakey *, const uint8_t *der, size_t len,
    const char *pass, size_t passlen, struct err *);
/* Reads a SubjectPublicKeyInfo at the cursor; *alg gets the algorithm OID.
 * When it is RSA, key gets the public numbers (at most RSAKEY_MAX_BITS). */
int pkey_parse_spki(struct der *, enum oid_id *alg, struct rsakey *key);
/* The SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1), the
 * key identifier we put in SKI and AKI. */
void pkey_key_id(const struct rsakey *, uint8_t out[20]);

#endif
