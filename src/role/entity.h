/* entity.h — an entity's key and certificate: make, request, export, import.
 *
 * The operations behind `key new`, `csr new`, `export` and `import`, shared
 * by the CLI and the TUI. Nothing here prints; results come back in the
 * caller's buffers and failures in struct err. The key lives in the
 * entity's keystore (store/keystore.h) as PKCS#1 DER, encrypted. */
#ifndef MP_ROLE_ENTITY_H
#define MP_ROLE_ENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/rsakey.h"
#include "x509/pkey.h"
#include "store/keystore.h"
#include "store/ws.h"
#include "x509/cert.h"
#include "x509/dn.h"
#include "x509/ext.h"
#include "util/buf.h"
#include "util/err.h"

#define ENTITY_FP_SIZE 32

/* Nettle's progress hook, passed through to key generation. */
typedef void entity_progress_fn(void *ctx, int c);

/* SHA-256 of the key's SubjectPublicKeyInfo DER (as `openssl pkey -pubout
 * -outform DER | sha256sum` computes it). */
void entity_key_fingerprint(const struct rsakey *, uint8_t fp[ENTITY_FP_SIZE]);
void entity_key_fingerprint_any(const struct pkey *,
    uint8_t fp[ENTITY_FP_SIZE]);
/* "AB:CD:..." of a fingerprint into out (3 * ENTITY_FP_SIZE bytes). */
void entity_fp_hex(const uint8_t fp[ENTITY_FP_SIZE],
    char out[3 * ENTITY_FP_SIZE]);

/* Generates a key of bits and writes the keystore NAME encrypted under
 * pass. An existing keystore is ERR_REFUSED. key, if not NULL, receives
 * the new key pair (initialised by the caller). */
int entity_new_key(const struct ws *, const char *name, unsigned bits,
    const void *pass, size_t passlen, void *progress_ctx,
    entity_progress_fn *, struct rsakey *key, struct err *);

/* The same with a P-256 key (keystore type "ec", the key kept as SEC1). */
int entity_new_ec_key(const struct ws *, const char *name,
    const void *pass, size_t passlen, struct pkey *key, struct err *);

/* Loads keystore NAME (ks, initialised by the caller, may be NULL) and
 * decrypts its key into key (initialised by the caller). A P-256 key is
 * refused here ("a P-256 EC key where an RSA key is needed"): the callers
 * that handle both use entity_unlock_any. */
int entity_unlock(const struct ws *, const char *name, const void *pass,
    size_t passlen, struct keystore *ks, struct rsakey *key, struct err *);
int entity_unlock_any(const struct ws *, const char *name, const void *pass,
    size_t passlen, struct keystore *ks, struct pkey *key, struct err *);

/* Loads keystore NAME's certificate chain (leaf first) into chain
 * (initialised by the caller); no passphrase needed. A keystore without
 * a certificate is ERR_REFUSED "entity 'NAME' has no certificate yet
 * (import one issued by the CA)". */
int entity_load_chain(const struct ws *, const char *name,
    struct cert_list *chain, struct err *);
/* What a TLS role presents, for `server run`, `client connect` and the
 * TUI's Connect: entity_unlock, then entity_load_chain. */
int entity_unlock_chain(const struct ws *, const char *name,
    const void *pass, size_t passlen, struct keystore *ks,
    struct rsakey *key, struct cert_list *chain, struct err *);
/* The same with a key of either type (what the TLS commands present). */
int entity_unlock_chain_any(const struct ws *, const char *name,
    const void *pass, size_t passlen, struct keystore *ks,
    struct pkey *key, struct cert_list *chain, struct err *);

/* A PKCS#10 request for subject and san (may be NULL), signed by NAME's key.
 * *der is the caller's to free. */
int entity_new_csr(const struct ws *, const char *name,
    const struct dn *subject, const struct san_list *san, const void *pass,
    size_t passlen, uint8_t **der, size_t *len, struct err *);

/* Appends NAME's certificate chain to out: PEM as stored, or the DER of
 * the first (the entity's own) certificate when der is set. No
 * certificate yet is ERR_REFUSED. */
int entity_export_cert(const struct ws *, const char *name, int der,
    struct buf *out, struct err *);
/* Appends NAME's private key to out as PKCS#8, encrypted with PBES2 under
 * outpass unless outpass is NULL, PEM or DER. out holds a secret when
 * unencrypted: clear it with buf_clear_secret. */
int entity_export_key(const struct ws *, const char *name, const void *pass,
    size_t passlen, const char *outpass, size_t outpasslen, int der,
    struct buf *out, struct err *);

/* Nonzero when key data (PEM or DER) is an encrypted PKCS#8 key, which
 * needs a passphrase to read. */
int entity_key_is_encrypted(const uint8_t *data, size_t len);
/* Reads a private key from PEM (RSA PRIVATE KEY, PRIVATE KEY, ENCRYPTED
 * PRIVATE KEY) or DER (PKCS#1, PKCS#8, encrypted PKCS#8). keypass may be
 * NULL for an unencrypted key. key is initialised by the caller. */
int entity_read_key(const uint8_t *data, size_t len, const char *keypass,
    size_t keypasslen, struct rsakey *key, struct err *);
/* The same for a key of either type: also EC PRIVATE KEY (SEC1) and
 * PKCS#8 of a P-256 key. */
int entity_read_key_any(const uint8_t *data, size_t len,
    const char *keypass, size_t keypasslen, struct pkey *key, struct err *);
/* Creates keystore NAME (encrypted under pass) holding key and, when
 * certdata is not NULL, the certificate chain in it (PEM or DER; the first
 * certificate must hold key's public key). An existing keystore is
 * ERR_REFUSED. */
int entity_import(const struct ws *, const char *name,
    const struct rsakey *key, const uint8_t *certdata, size_t certlen,
    const void *pass, size_t passlen, struct err *);
/* The same for a key of either type (a P-256 key is kept as SEC1). */
int entity_import_any(const struct ws *, const char *name,
    const struct pkey *key, const uint8_t *certdata, size_t certlen,
    const void *pass, size_t passlen, struct err *);
/* Stores a certificate chain (PEM or DER) in the existing keystore NAME,
 * after checking with the unlocked key that the first certificate is
 * NAME's. */
int entity_import_cert(const struct ws *, const char *name,
    const uint8_t *certdata, size_t certlen, const void *pass,
    size_t passlen, struct err *);

/* Encodes a certificate list as PEM (appended to out). */
void entity_chain_pem(const struct cert_list *, struct buf *out);
/* Nonzero when certificate c holds key k's public key (either type). */
int entity_cert_has_key(const struct cert *c, const struct pkey *k);
/* Nonzero when two keys have the same public numbers. */
int entity_same_key(const struct rsakey *, const struct rsakey *);

#endif
