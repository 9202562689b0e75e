/* keystore.h — one entity's encrypted private key and certificate chain,
 * keys/NAME.yaml (mode 0600), written whole through a temporary file and
 * rename. The key is encrypted with AES-256-GCM under a PBKDF2 key; the
 * additional data binds the name and every parameter. Format:
 * store/FORMATS.md. The store treats the key (PKCS#1 or SEC1 DER) and the
 * certificates (PEM text) as opaque. */
#ifndef MP_STORE_KEYSTORE_H
#define MP_STORE_KEYSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "store/ws.h"
#include "util/buf.h"
#include "util/err.h"

#define KEYSTORE_ITERATIONS 600000	/* default PBKDF2 count */
#define KEYSTORE_ITER_MIN 100000	/* a file asking for fewer is refused */
#define KEYSTORE_ITER_MAX 100000000	/* ... or for more (a CPU trap) */
#define KEYSTORE_SALT_SIZE 16
#define KEYSTORE_KEY_MAX 16384		/* largest key DER stored */
#define KEYSTORE_FILE_MAX (1024 * 1024)	/* largest keystore file read */

/* flags for keystore_create */
#define KEYSTORE_REPLACE 0x1	/* replace an existing keystore */

struct keystore {
	char *name;
	char *label;		/* "keys/NAME.yaml", for messages */
	char *created;		/* "YYYY-MM-DDTHH:MM:SSZ" */
	char *key_type;		/* "rsa" or "ec" */
	unsigned bits;
	/* SHA-256 of the public key's SubjectPublicKeyInfo DER, so that a
	 * certificate can be matched to its keystore without the passphrase
	 * (bound into the encryption's additional data); has_spki_sha256 0
	 * for keystores written before it was kept. */
	uint8_t spki_sha256[32];
	int has_spki_sha256;
	char *subject;		/* NULL when not recorded */
	char *not_after;	/* NULL when not recorded */
	char *cert_pem;		/* NULL when there is no certificate yet */
	unsigned iterations;
	uint8_t salt[KEYSTORE_SALT_SIZE];
	uint8_t nonce[12];
	uint8_t *ct;		/* ciphertext then tag */
	size_t ct_len;
};

/* Public facts the caller knows about the key; all optional. */
struct keystore_info {
	const char *key_type;	/* NULL: "rsa" */
	unsigned bits;
	const uint8_t *spki_sha256;	/* 32 bytes, or NULL */
	const char *subject;
	const char *not_after;
	unsigned iterations;	/* 0: KEYSTORE_ITERATIONS */
};

void keystore_init(struct keystore *);
void keystore_clear(struct keystore *);

/* Encrypts key_der under pass and writes keys/NAME.yaml. An existing
 * keystore is an error ("keystore 'NAME' already exists") unless flags has
 * KEYSTORE_REPLACE. cert_pem and info may be NULL. */
int keystore_create(const struct ws *, const char *name,
    const uint8_t *key_der, size_t key_len, const void *pass, size_t passlen,
    const char *cert_pem, const struct keystore_info *, int flags,
    struct err *);
/* Reads keys/NAME.yaml: everything but the key itself, no passphrase
 * needed. A missing keystore is ERR_USAGE "no keystore 'NAME'". */
int keystore_load(const struct ws *, const char *name, struct keystore *,
    struct err *);
/* Parses a keystore file's bytes (label names it in messages). When name
 * is not NULL the file's name field must equal it. Errors are ERR_INPUT
 * "LABEL: line N: FIELD: problem". */
int keystore_parse(struct keystore *, const void *data, size_t len,
    const char *label, const char *name, struct err *);
/* Decrypts the key into key_der_out (appended; the caller wipes it with
 * buf_clear_secret). A wrong passphrase or an altered file is ERR_PASS
 * "wrong passphrase for keystore 'NAME' (or the file was altered)". */
int keystore_unlock(const struct keystore *, const void *pass,
    size_t passlen, struct buf *key_der_out, struct err *);
/* Replaces the certificate chain and the listing fields subject and
 * not_after (NULL removes one) keeping the encrypted key and the created
 * time; the file is rewritten atomically. */
int keystore_set_cert(const struct ws *, const char *name,
    const char *cert_pem, const char *subject, const char *not_after,
    struct err *);
/* Whether keys/NAME.yaml exists. */
int keystore_exists(const struct ws *, const char *name);

#endif
