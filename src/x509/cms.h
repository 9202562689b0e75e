/* cms.h — CMS SignedData (RFC 5652): certs-only and signed messages,
 * written and read.
 *
 * Written (DER, definite lengths, as `openssl cms -sign` without -stream):
 *   ContentInfo ::= SEQUENCE {
 *       contentType id-signedData,
 *       content [0] EXPLICIT SignedData }
 *   SignedData ::= SEQUENCE {
 *       version CMSVersion,                  -- 1
 *       digestAlgorithms SET OF AlgorithmIdentifier,  -- { sha256 }, or
 *                                            -- empty for certs-only
 *       encapContentInfo SEQUENCE {
 *           eContentType id-data,
 *           eContent [0] EXPLICIT OCTET STRING OPTIONAL },  -- absent when
 *                                            -- detached and in certs-only
 *       certificates [0] IMPLICIT SET OF Certificate,  -- in the caller's
 *                                            -- order (leaf first), as OpenSSL
 *       signerInfos SET OF SignerInfo }      -- empty for certs-only
 *   SignerInfo ::= SEQUENCE {
 *       version 1,
 *       sid IssuerAndSerialNumber,           -- of the signer's certificate
 *       digestAlgorithm sha256,              -- no parameters, as OpenSSL
 *       signedAttrs [0] IMPLICIT SET OF Attribute,  -- contentType,
 *                          -- signingTime (when asked), messageDigest; in
 *                          -- DER order
 *       signatureAlgorithm rsaEncryption,    -- NULL parameters; or
 *                          -- RSASSA-PSS { sha256, mgf1 sha256, salt 32 }
 *       signature OCTET STRING }  -- PKCS#1 v1.5 (or PSS) SHA-256 over the
 *                                 -- DER of the signedAttrs as a SET OF
 *
 * Read: the same, and also
 *   - SignedData version 1 or 3 and any eContentType (signedAttrs are then
 *     required, RFC 5652 5.3); crls [1] are skipped (counted);
 *   - SignerInfo version 1 (issuerAndSerialNumber) or 3 (subjectKeyIdentifier);
 *   - digestAlgorithm sha256, sha384, sha512 (parameters NULL or absent);
 *   - signatureAlgorithm rsaEncryption, sha256/384/512WithRSAEncryption (its
 *     hash must be the digestAlgorithm) or RSASSA-PSS (likewise);
 *   - signedAttrs absent (the signature is then over the content itself) or
 *     present with contentType and messageDigest (once each, one value);
 *     signingTime is read when present; other attributes (S/MIME
 *     capabilities ...) and unsignedAttrs are skipped.
 * Refused, with the offset of the element:
 *   - BER: indefinite lengths, as `openssl cms -sign -stream` writes
 *     ("offset 0x0: indefinite length"), and a constructed eContent
 *     ("expected OCTET STRING (eContent), found 0x24");
 *   - another ContentInfo type ("content type pkcs7-data is not supported
 *     (only pkcs7-signedData)"); certificate choices other than an X.509
 *     Certificate (attribute certificates, other); SHA-1 and MD5 digests;
 *   - more than CMS_MAX_CERTS certificates, CMS_MAX_SIGNERS signers,
 *     CMS_MAX_ATTRS attributes in one signedAttrs, CMS_MAX_DIGESTS
 *     digestAlgorithms, CMS_MAX_CRLS crls; input over CMS_MAX_SIZE;
 *   - bytes after the ContentInfo.
 * Verification (cms_verify) checks one SignerInfo: its certificate, the
 * contentType and messageDigest attributes and the signature. Whether that
 * certificate is trusted is the caller's question (verify_chain, with
 * cms.certs as the untrusted candidates). */
#ifndef MP_X509_CMS_H
#define MP_X509_CMS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/hash.h"
#include "crypto/rsakey.h"
#include "util/err.h"
#include "x509/cert.h"
#include "x509/dn.h"
#include "x509/verify.h"

#define CMS_MAX_SIZE (16 * 1024 * 1024)
#define CMS_MAX_CERTS 64
#define CMS_MAX_SIGNERS 8
#define CMS_MAX_ATTRS 32
#define CMS_MAX_DIGESTS 8
#define CMS_MAX_CRLS 64

struct cms_signer {
	int version;		/* 1: issuer and serial; 3: ski */
	struct dn issuer;	/* sid of version 1 */
	uint8_t serial[CERT_MAX_SERIAL];	/* INTEGER content bytes */
	size_t serial_len;
	uint8_t ski[EXT_MAX_KEYID];	/* sid of version 3 */
	size_t ski_len;
	enum hash_alg digest;	/* digestAlgorithm */
	struct sigalg sigalg;	/* signatureAlgorithm; rsaEncryption gets
				 * the digestAlgorithm's hash */
	int has_attrs;
	const uint8_t *attrs;	/* signedAttrs with its [0] header, into der */
	size_t attrs_len;
	/* From the signed attributes, into der: */
	const uint8_t *content_type;	/* OID contents */
	size_t content_type_len;
	const uint8_t *message_digest;
	size_t message_digest_len;
	int has_signing_time;
	int64_t signing_time;
	const uint8_t *sig;	/* signature, into der */
	size_t sig_len;
	size_t off;		/* offset of the SignerInfo in der */
};

struct cms {
	uint8_t *der;		/* the whole ContentInfo; owned */
	size_t len;
	int version;		/* SignedData version */
	const uint8_t *content_type;	/* eContentType OID contents, into der */
	size_t content_type_len;
	int has_content;	/* eContent present (attached) */
	const uint8_t *content;	/* eContent, into der */
	size_t content_len;
	struct cert_list certs;	/* certificates, in their order; owned */
	size_t ncrls;		/* crls present (skipped) */
	struct cms_signer *signers;	/* owned */
	size_t nsigners;
};

void cms_init(struct cms *);
void cms_clear(struct cms *);

/* Parses one DER ContentInfo holding a SignedData (copied). Errors are
 * ERR_INPUT naming the offset and the field; a certificate that does not
 * parse is named by its number: "offset 0x2d: certificate 2: offset 0x4:
 * ...", the second offset inside the certificate. */
int cms_parse(struct cms *, const uint8_t *der, size_t len, struct err *);
/* DER, or the first "PKCS7" or "CMS" block of PEM data. */
int cms_load(struct cms *, const uint8_t *data, size_t len, struct err *);

struct cms_verify_params {
	const uint8_t *content;	/* detached content (not NULL even when
				 * empty); NULL when attached */
	size_t content_len;
	const struct cert_list *extra;	/* more candidates for the signer's
					 * certificate; may be NULL */
	struct verify_result *steps;	/* when not NULL, each check made is
					 * appended (verify_step_add) */
};

/* Verifies signer i (0-based) of c: finds its certificate by sid among
 * c->certs and then p->extra; with signedAttrs, checks that contentType
 * equals eContentType and messageDigest the digest of the content, and the
 * signature over the DER SET OF signedAttrs; without, the signature over
 * the content. On success *signer (when not NULL) points to the
 * certificate, which lives as long as c or p->extra. Failures are
 * ERR_REFUSED ("signer 1: messageDigest attribute does not match the
 * content"), ERR_USAGE for a missing or doubled content. */
int cms_verify(const struct cms *c, size_t i, const struct cms_verify_params *p,
    const struct cert **signer, struct err *);

/* Certs-only SignedData (RFC 7030 4.1.3, `openssl crl2pkcs7 -nocrl`):
 * every certificate of certs, in order; at least one (ERR_USAGE). *der is
 * the caller's to free. */
int cms_write_certs(const struct cert_list *certs, uint8_t **der,
    size_t *len, struct err *);
/* The same for one certificate given as its DER (cert, cert_len), which
 * is copied as it is, not parsed: the CA service answers each enrollment
 * with the certificate it has just made. */
int cms_write_cert_der(const uint8_t *cert, size_t cert_len, uint8_t **der,
    size_t *len, struct err *);

struct cms_sign_params {
	const struct rsakey *key;	/* the signer's private key */
	const struct cert_list *chain;	/* v[0]: the signer's certificate,
					 * whose key must be key's; all go
					 * into certificates, in order */
	const uint8_t *content;
	size_t content_len;
	int detached;		/* leave eContent out */
	int no_certs;		/* leave certificates out (openssl -nocerts):
				 * the reader must have the signer's */
	int has_signing_time;
	int64_t signing_time;	/* seconds since 1970 */
	int pss;		/* RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32)
				 * instead of PKCS#1 v1.5 */
};

/* Signed SignedData of the content (id-data, at most CMS_MAX_SIZE bytes,
 * as the reader takes) by one signer, as described above. *der is the
 * caller's to free. */
int cms_write_signed(const struct cms_sign_params *, uint8_t **der,
    size_t *len, struct err *);

#endif
