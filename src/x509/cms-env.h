/* cms-env.h — CMS EnvelopedData (RFC 5652 6) and AuthEnvelopedData
 * (RFC 5083): content sealed with AES to recipients' RSA certificates,
 * written and read.
 *
 * Written (DER, definite lengths, as `openssl cms -encrypt` without
 * -stream):
 *   ContentInfo ::= SEQUENCE {
 *       contentType id-envelopedData | id-ct-authEnvelopedData,
 *       content [0] EXPLICIT EnvelopedData | AuthEnvelopedData }
 *   EnvelopedData ::= SEQUENCE {
 *       version 0,                          -- ktri v0 only, no
 *                                           -- originatorInfo (6.1)
 *       recipientInfos SET OF KeyTransRecipientInfo,
 *       encryptedContentInfo EncryptedContentInfo }
 *   AuthEnvelopedData ::= SEQUENCE {
 *       version 0,
 *       recipientInfos SET OF KeyTransRecipientInfo,
 *       authEncryptedContentInfo EncryptedContentInfo,
 *       mac OCTET STRING }                  -- the GCM tag, 16 bytes
 *   KeyTransRecipientInfo ::= SEQUENCE {
 *       version 0,
 *       rid IssuerAndSerialNumber,          -- of the recipient's cert
 *       keyEncryptionAlgorithm              -- rsaEncryption, NULL
 *                                           -- (PKCS#1 v1.5), or
 *           rsaesOaep { [0] sha256, [1] mgf1 { sha256 } }  -- RFC 4055,
 *                                           -- sha256 without parameters
 *                                           -- as OpenSSL writes it
 *       encryptedKey OCTET STRING }         -- the 32-byte AES key
 *   EncryptedContentInfo ::= SEQUENCE {
 *       contentType id-data,
 *       contentEncryptionAlgorithm          -- aes-256-cbc, IV OCTET
 *                                           -- STRING (16), or
 *           id-aes256-GCM GCMParameters { nonce (12), ICVlen 16 }
 *                                           -- (RFC 5084)
 *       encryptedContent [0] IMPLICIT OCTET STRING }
 * CBC content is PKCS#7-padded; GCM has no additional data (no authAttrs).
 *
 * Read: the same, and also
 *   - rid subjectKeyIdentifier [0] (ktri version 2), EnvelopedData
 *     version 0 to 4; originatorInfo [0], unprotectedAttrs [1] and
 *     unauthAttrs [2] skipped; authAttrs [1] read (the GCM additional
 *     data); other recipientInfo kinds (kari, kekri, pwri, ori) counted
 *     and skipped;
 *   - rsaesOaep with SHA-1, SHA-256, SHA-384, SHA-512 for the label hash
 *     and MGF1 (the RFC 4055 defaults, SHA-1, when a field is absent), the
 *     label empty (pSpecified with an empty OCTET STRING);
 *   - aes-128-cbc and id-aes128-GCM too; any content type.
 * Refused with the offset: BER (indefinite lengths, a constructed
 * encryptedContent), AES-GCM in EnvelopedData or CBC in
 * AuthEnvelopedData, nonces other than 12 bytes, tags other than 16,
 * more than CMS_MAX_RECIPS recipients, input over CMS_MAX_SIZE, bytes
 * after the ContentInfo.
 *
 * Decryption does not say why a key transport failed: a wrong key or a
 * bad encryptedKey (PKCS#1 v1.5 or OAEP) goes on with a random AES key,
 * so the only failure a sender sees is that of the content (Bleichenbacher
 * and Manger; RFC 3218 2.3.2), as TLS 1.2's RSA key exchange does. */
#ifndef MP_X509_CMS_ENV_H
#define MP_X509_CMS_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/hash.h"
#include "crypto/rsakey.h"
#include "util/buf.h"
#include "util/err.h"
#include "x509/cert.h"
#include "x509/cms.h"
#include "x509/dn.h"

#define CMS_MAX_RECIPS 16
#define CMS_ENV_KEY_MAX 32

enum cms_kt {
	CMS_KT_OAEP = 0,	/* RSAES-OAEP (the default we write: SHA-256) */
	CMS_KT_PKCS1,		/* RSAES-PKCS1-v1_5 */
	CMS_KT_OTHER,		/* read, not usable */
};

enum cms_cipher {
	CMS_AES128_CBC = 1,
	CMS_AES256_CBC,
	CMS_AES128_GCM,
	CMS_AES256_GCM,
};

struct cms_recip {
	int version;		/* 0: issuer and serial; 2: ski */
	struct dn issuer;
	uint8_t serial[CERT_MAX_SERIAL];
	size_t serial_len;
	uint8_t ski[EXT_MAX_KEYID];
	size_t ski_len;
	enum cms_kt kt;
	char kt_name[80];	/* the keyEncryptionAlgorithm OID, for
				 * messages about CMS_KT_OTHER */
	enum hash_alg oaep_hash;	/* OAEP: label hash and MGF1 hash */
	enum hash_alg oaep_mgf;
	const uint8_t *ekey;	/* encryptedKey, into der */
	size_t ekey_len;
	size_t off;		/* offset of the RecipientInfo */
};

struct cms_env {
	uint8_t *der;		/* the whole ContentInfo; owned */
	size_t len;
	int auth;		/* AuthEnvelopedData (GCM) */
	int version;
	struct cms_recip *recips;	/* key transport recipients; owned */
	size_t nrecips;
	size_t nother;		/* other recipientInfo kinds, skipped */
	const uint8_t *content_type;	/* OID contents, into der */
	size_t content_type_len;
	enum cms_cipher cipher;
	size_t key_len;		/* 16 or 32 */
	uint8_t iv[16];		/* CBC IV, or the 12-byte GCM nonce */
	size_t iv_len;
	const uint8_t *ct;	/* encryptedContent, into der */
	size_t ct_len;
	const uint8_t *aad;	/* authAttrs with its [1] header, or NULL */
	size_t aad_len;
	const uint8_t *mac;	/* AuthEnvelopedData's mac, into der */
	size_t mac_len;
};

void cms_env_init(struct cms_env *);
void cms_env_clear(struct cms_env *);

/* Parses one DER ContentInfo holding an EnvelopedData or an
 * AuthEnvelopedData (copied). Errors are ERR_INPUT naming the offset. */
int cms_env_parse(struct cms_env *, const uint8_t *der, size_t len,
    struct err *);
/* DER, or the first "CMS" or "PKCS7" block of PEM data. */
int cms_env_load(struct cms_env *, const uint8_t *data, size_t len,
    struct err *);

/* The recipient (0-based) whose rid names cert, or -1. */
long cms_env_find(const struct cms_env *, const struct cert *);

/* Decrypts the content for cert (whose rid must be among the recipients)
 * with its private key and appends it to out (clear it with
 * buf_clear_secret after use when it is secret). Failures: ERR_REFUSED
 * "the message is not sealed to 'CN=bob' (issuer 'CN=CA', serial 02; it
 * has 2 recipients)", ERR_REFUSED for a key transport algorithm not
 * supported, ERR_PASS "content decryption failed (not sealed to this key,
 * or altered)" for everything that happens after the RSA step. */
int cms_env_open(const struct cms_env *, const struct cert *cert,
    const struct rsakey *key, struct buf *out, struct err *);

struct cms_seal_params {
	const struct cert *const *to;	/* the recipients' certificates */
	size_t nto;			/* 1 to CMS_MAX_RECIPS */
	const uint8_t *content;		/* id-data, at most CMS_MAX_SIZE */
	size_t content_len;
	int gcm;		/* AuthEnvelopedData, AES-256-GCM; else
				 * EnvelopedData, AES-256-CBC */
	enum cms_kt kt;		/* CMS_KT_OAEP (SHA-256) or CMS_KT_PKCS1 */
};

/* Seals the content to every recipient as described above. A recipient
 * whose key is not RSA is ERR_USAGE "recipient 2: ...". *der is the
 * caller's to free. */
int cms_write_sealed(const struct cms_seal_params *, uint8_t **der,
    size_t *len, struct err *);

#endif
