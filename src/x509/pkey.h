/* pkey.h — key encodings: RSA PKCS#1, P-256 SEC1 (ECPrivateKey), PKCS#8,
 * encrypted PKCS#8 (PBES2), and SubjectPublicKeyInfo. */
#ifndef MP_X509_PKEY_H
#define MP_X509_PKEY_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/der.h"
#include "crypto/ecdsa256.h"
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
	PKEY_SEC1,		/* ECPrivateKey (RFC 5915), P-256 */
};

/* A key of either type we support: RSA, or EC over P-256. */
enum pkey_type {
	PKEY_RSA = 1,
	PKEY_EC,
};

struct pkey {
	enum pkey_type type;
	struct rsakey rsa;	/* when type is PKEY_RSA */
	struct ec256key ec;	/* when type is PKEY_EC */
};

void pkey_init(struct pkey *);
/* Wipes the private parts of both. */
void pkey_clear(struct pkey *);
int pkey_has_private(const struct pkey *);
/* "rsa" or "ec", as keystores record it. */
const char *pkey_type_name(const struct pkey *);

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

/* ECPrivateKey with the curve and the public point, as `openssl ec`
 * writes it ("EC PRIVATE KEY" in PEM). */
void pkey_encode_sec1(const struct ec256key *, struct buf *out);
/* PKCS#8 (plain and encrypted) and SPKI of either type. */
void pkey_encode_pkcs8_any(const struct pkey *, struct buf *out);
void pkey_encode_pkcs8_encrypted_any(const struct pkey *, const char *pass,
    size_t passlen, unsigned iterations, struct buf *out);
void pkey_encode_spki_any(struct derw *, const struct pkey *);
void pkey_encode_spki_ec(struct derw *, const struct ec256key *);
/* The key identifier of an EC key: SHA-1 of the point. */
void pkey_key_id_ec(const struct ec256key *, uint8_t out[20]);
void pkey_key_id_any(const struct pkey *, uint8_t out[20]);

/* Detects the format of DER key data from its structure. */
enum pkey_format pkey_detect(const uint8_t *der, size_t len);
/* Decodes any of the formats above into key (private ones set
 * has_private). pass is needed for PKEY_PKCS8_ENCRYPTED (ERR_PASS when
 * wrong, ERR_USAGE "key is encrypted: a passphrase is needed" when NULL).
 * The key numbers are checked for consistency. */
int pkey_decode(struct rsakey *, const uint8_t *der, size_t len,
    const char *pass, size_t passlen, struct err *);
/* The same for a key of either type: RSA, or P-256 in SEC1, PKCS#8
 * (id-ecPublicKey with the named curve prime256v1) or SPKI. Other curves,
 * explicit curve parameters and compressed points are refused by name;
 * a private scalar must match a public point stored beside it. */
int pkey_decode_any(struct pkey *, const uint8_t *der, size_t len,
    const char *pass, size_t passlen, struct err *);
/* ERR_INPUT "a P-256 EC key where an RSA key is needed" for an EC key,
 * else 0: for the callers that take RSA keys only. */
int pkey_require_rsa(const struct pkey *, struct err *);
/* pkey_require_rsa, then swaps pk's RSA numbers into k: k's old ones go
 * to pk, to be wiped by the caller's pkey_clear. */
int pkey_take_rsa(struct pkey *pk, struct rsakey *k, struct err *);
/* Reads a SubjectPublicKeyInfo at the cursor; *alg gets the algorithm OID.
 * When it is RSA, key gets the public numbers (at most RSAKEY_MAX_BITS);
 * when it is id-ecPublicKey on prime256v1, ec gets the point (which must
 * be uncompressed and on the curve). A key on another curve still parses,
 * as another algorithm does, so that it can be shown: ec is left without
 * a point (ec256key_has_public false). */
int pkey_parse_spki(struct der *, enum oid_id *alg, struct rsakey *key,
    struct ec256key *ec);
/* The SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1), the
 * key identifier we put in SKI and AKI. */
void pkey_key_id(const struct rsakey *, uint8_t out[20]);

#endif
