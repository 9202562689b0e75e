/* pkcs12.h — PKCS#12 (RFC 7292) files, .p12 / .pfx: a private key and its
 * certificates under a passphrase, in the form browsers, Java, Windows and
 * `openssl pkcs12` exchange.
 *
 * Reader (pkcs12.c): the password-integrity mode (an HMAC over the
 * AuthenticatedSafe, checked before anything is decrypted), SafeContents
 * plain or in EncryptedData, key bags shrouded or not, certificate bags of
 * X.509 certificates, CRL and secret bags listed, safeContentsBag nesting up
 * to PKCS12_MAX_NEST. Encryption: PBES2 (PBKDF2 with HMAC-SHA-1/-256/-384/
 * -512; AES-128/192/256-CBC, DES-EDE3-CBC) and the RFC 7292 Appendix C
 * schemes pbeWithSHAAnd3-KeyTripleDES-CBC, -128BitRC2-CBC, -40BitRC2-CBC.
 * DER only (a BER file with indefinite lengths is refused by the reader).
 *
 * Writer (pkcs12-write.c): what `openssl pkcs12 -export` writes, in its
 * OpenSSL 3 default form or the legacy form (pkcs12_alg.h ids below).
 *
 * Algorithm identifiers of the encryption (pkcs12-alg.c) are shared. */
#ifndef MP_X509_PKCS12_H
#define MP_X509_PKCS12_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/der.h"
#include "crypto/pbe.h"
#include "util/buf.h"
#include "util/err.h"
#include "x509/cert.h"

#define PKCS12_MAX_SIZE (1024 * 1024)	/* largest file read */
#define PKCS12_MAX_ITERATIONS 10000000u	/* a file asking for more is refused */
#define PKCS12_MAX_BAGS 64
#define PKCS12_MAX_SAFES 16		/* ContentInfos in the AuthenticatedSafe */
#define PKCS12_MAX_NEST 3		/* safeContentsBag in safeContentsBag */
#define PKCS12_MAX_KEYID 64		/* longest localKeyID kept */
#define PKCS12_ITERATIONS 600000	/* what we write (OpenSSL: 2048) */

/* ---- encryption algorithms (pkcs12-alg.c) ---- */

struct pkcs12_alg {
	enum oid_id scheme;	/* OID_PBES2 or OID_PBE_SHA1_* */
	enum hash_alg hash;	/* PBKDF2's PRF hash, or the RFC 7292 KDF's */
	enum pbe_cipher cipher;
	const uint8_t *salt;	/* into the parsed input or the caller's */
	size_t saltlen;
	unsigned iterations;
	const uint8_t *iv;	/* PBES2: blocklen bytes; else derived */
};

/* Reads an AlgorithmIdentifier of password-based encryption. An
 * algorithm not listed above is "offset 0x..: unknown PBE algorithm
 * OID"; more than max_iter iterations "offset 0x..: iteration count N
 * over the limit of MAX" (refused before any work). */
int pkcs12_alg_parse(struct der *, unsigned max_iter, struct pkcs12_alg *);
/* Writes the AlgorithmIdentifier of a. */
void pkcs12_alg_encode(struct derw *, const struct pkcs12_alg *);
/* Decrypts (appended to out; may be a secret) or encrypts under pass
 * (UTF-8): PBES2 takes the passphrase bytes, the RFC 7292 schemes its
 * BMPString. A wrong passphrase is ERR_PASS. */
int pkcs12_alg_decrypt(const struct pkcs12_alg *, const char *pass,
    size_t passlen, const uint8_t *in, size_t len, struct buf *out,
    struct err *);
int pkcs12_alg_encrypt(const struct pkcs12_alg *, const char *pass,
    size_t passlen, const uint8_t *in, size_t len, struct buf *out,
    struct err *);
/* "PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), 600000 iterations" */
void pkcs12_alg_describe(const struct pkcs12_alg *, char *out, size_t n);

/* ---- reader (pkcs12.c) ---- */

struct pkcs12_bag {
	enum oid_id type;	/* OID_P12_*_BAG */
	unsigned safe;		/* index of the ContentInfo it came from */
	unsigned depth;		/* 0, or its safeContentsBag nesting */
	char *friendly_name;	/* UTF-8, NULL when absent; owned */
	uint8_t key_id[PKCS12_MAX_KEYID];	/* localKeyID */
	size_t key_id_len;	/* 0 when absent */
	/* Key bags: PrivateKeyInfo DER (a secret, wiped by pkcs12_clear),
	 * NULL for a shrouded key left closed. Certificate bags: the
	 * certificate DER. Others: NULL. Owned. */
	uint8_t *data;
	size_t len;
	char prot[120];		/* a shrouded key's encryption, else "" */
};

struct pkcs12_safe {
	int encrypted;		/* EncryptedData */
	int opened;		/* its bags were read */
	char prot[120];		/* its encryption, "" when plain */
};

struct pkcs12 {
	unsigned max_iter;	/* PKCS12_MAX_ITERATIONS; tests lower it */
	char mac[120];		/* "HMAC-SHA256, 600000 iterations", "" none */
	int mac_checked;	/* a passphrase was given and the MAC matched */
	struct pkcs12_safe safe[PKCS12_MAX_SAFES];
	size_t nsafe;
	struct pkcs12_bag bag[PKCS12_MAX_BAGS];
	size_t nbag;
};

void pkcs12_init(struct pkcs12 *);
/* Frees the bags, wiping the keys. */
void pkcs12_clear(struct pkcs12 *);
/* Nonzero when der has the outline of a PFX (SEQUENCE { INTEGER 3,
 * SEQUENCE { OID ... } ... }), for sniffing a file's kind. */
int pkcs12_detect(const uint8_t *der, size_t len);
/* Reads a PFX. With pass (UTF-8, may be ""), the MAC is checked first: a
 * mismatch is ERR_PASS "wrong passphrase (the PKCS#12 MAC does not
 * match)" and nothing is decrypted; then every SafeContents and shrouded
 * key is opened. With pass NULL only the structure, the plain
 * SafeContents' bags and the algorithms are read. */
int pkcs12_parse(struct pkcs12 *, const uint8_t *der, size_t len,
    const char *pass, size_t passlen, struct err *);
/* Printable name of a bag type: "pkcs8ShroudedKeyBag", ... */
const char *pkcs12_bag_name(enum oid_id);
/* The MAC, each SafeContents and its bags as text (pkcs12-text.c):
 * names, key ids, certificates' subjects, a key's size and identifier;
 * never a secret. */
void pkcs12_text(struct buf *, const struct pkcs12 *);

/* ---- writer (pkcs12-write.c) ---- */

struct pkcs12_out {
	const uint8_t *key;	/* PrivateKeyInfo DER */
	size_t keylen;
	const struct cert_list *certs;	/* the key's certificate first */
	const char *name;	/* friendlyName of the key and its certificate */
	int legacy;		/* 3DES, SHA-1 MAC; else PBES2 AES-256, SHA-256 */
	unsigned iterations;	/* 0: PKCS12_ITERATIONS */
};

/* Appends the PFX DER protected by pass (UTF-8) to out. Key and its
 * certificate carry friendlyName and localKeyID (SHA-1 of the
 * certificate, as OpenSSL sets it). ERR_USAGE for a passphrase PKCS#12
 * cannot carry. */
int pkcs12_write(const struct pkcs12_out *, const char *pass, size_t passlen,
    struct buf *out, struct err *);

#endif
