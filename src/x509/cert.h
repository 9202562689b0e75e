/* cert.h — X.509 v3 certificates (RFC 5280): parse, build, check signatures. */
#ifndef MP_X509_CERT_H
#define MP_X509_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/der.h"
#include "crypto/hash.h"
#include "crypto/ecdsa256.h"
#include "crypto/rsakey.h"
#include "x509/dn.h"
#include "x509/ext.h"
#include "util/err.h"

#define CERT_MAX_SERIAL 32	/* content bytes of serialNumber we accept */
#define CERT_MAX_SIZE (64 * 1024)

/* A signature algorithm as read from an AlgorithmIdentifier. */
struct sigalg {
	enum oid_id oid;	/* OID_SHA256_WITH_RSA, OID_RSASSA_PSS, ... */
	enum hash_alg hash;
	int pss;		/* RSASSA-PSS: MGF1 over hash */
	int ecdsa;		/* ecdsa-with-SHA256/384: a DER (r, s) */
	size_t salt_len;
};

struct cert {
	uint8_t *der;		/* the whole certificate; owned */
	size_t len;
	const uint8_t *tbs;	/* TBSCertificate with header, into der */
	size_t tbs_len;
	int version;		/* 1, 2 or 3 */
	uint8_t serial[CERT_MAX_SERIAL];	/* INTEGER content bytes */
	size_t serial_len;
	int serial_negative;	/* RFC 5280 forbids it; read and shown */
	struct sigalg sigalg;	/* signatureAlgorithm (equal to tbs signature) */
	struct dn issuer;
	struct dn subject;
	int64_t not_before;	/* seconds since 1970, UTC */
	int64_t not_after;
	enum oid_id key_alg;	/* OID_RSA_ENCRYPTION, or another recognised one */
	struct rsakey key;	/* public key, when key_alg is RSA */
	struct ec256key eckey;	/* public point, when key_alg is
				 * id-ecPublicKey on P-256 */
	const uint8_t *spki;	/* SubjectPublicKeyInfo with header, into der */
	size_t spki_len;
	const uint8_t *sig;	/* signature value bits, into der */
	size_t sig_len;
	struct ext_info ext;
	uint8_t fp_sha256[32];	/* SHA-256 of der */
};

void cert_init(struct cert *);
void cert_clear(struct cert *);

/* Parses one DER certificate (copying it). Enforces RFC 5280 structure:
 * version, serial (at most CERT_MAX_SERIAL bytes; a negative one is read,
 * serial_negative set, as RFC 5280 asks relying parties to), the
 * two signature algorithms equal, extensions only in v3 and no duplicate
 * extension. A key that is not RSA still parses (key_alg says which) so that
 * the certificate can be shown; using it to verify is an error. */
int cert_parse(struct cert *, const uint8_t *der, size_t len, struct err *);

/* Parses an AlgorithmIdentifier for a signature (PKCS#1 v1.5 with SHA-1/2,
 * or RSASSA-PSS with its parameters). */
int sigalg_parse(struct der *, struct sigalg *);
/* The end of a signed object (a Certificate, a CertificateList) after its
 * TBS part: signatureAlgorithm into sa, which must be the very bytes of
 * the TBS's own signature field (alg_len at alg_off of top), then
 * signatureValue into *sig (into top's buffer; empty when it has unused
 * bits, so it never verifies), then the end of top. tbs_name and name
 * ("TBSCertificate", "Certificate") are for messages. */
int sigalg_parse_signed(struct der *top, size_t alg_off, size_t alg_len,
    const char *tbs_name, const char *name, struct sigalg *sa,
    const uint8_t **sig, size_t *sig_len);
/* Checks an RSA signature over data with the given algorithm. */
int sigalg_verify(const struct sigalg *, const struct rsa_public_key *,
    const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
    struct err *);
/* Checks an ECDSA signature (sa->ecdsa) over data with a P-256 key. */
int sigalg_verify_ec(const struct sigalg *, const struct ec256key *,
    const uint8_t *data, size_t len, const uint8_t *sig, size_t siglen,
    struct err *);
/* Signs data with sha256WithRSAEncryption; sig gets key size bytes, which
 * the caller allocates (rsakey's pub.size). */
int sigalg_sign_sha256(const struct rsakey *, const uint8_t *data, size_t len,
    uint8_t *sig, struct err *);
/* Writes AlgorithmIdentifier sha256WithRSAEncryption with NULL parameters. */
void sigalg_encode_sha256(struct derw *);

/* Who signs a certificate, request or CRL: an RSA key (with
 * sha256WithRSAEncryption) or a P-256 key (ecdsa-with-SHA256); exactly
 * one is set. */
struct cert_signer {
	const struct rsakey *rsa;
	const struct ec256key *ec;
};

struct pkey;
/* The signer for a private key of either type (x509/pkey.h); s borrows
 * from key. */
void cert_signer_of(struct cert_signer *s, const struct pkey *key);
/* Nonzero when the signer's key (the EC one when set) has its private
 * part. */
int cert_signer_has_private(const struct cert_signer *);
/* Signs data with SHA-256 and the signer's private key: the one place
 * that chooses PKCS#1 v1.5 (RSA, key size bytes) or a strict DER
 * Ecdsa-Sig-Value (P-256). *sig (the caller frees) gets *sig_len bytes.
 * ERR_USAGE "signing needs a private key" without one. */
int cert_signer_sign(const struct cert_signer *, const uint8_t *data,
    size_t len, uint8_t **sig, size_t *sig_len, struct err *);

/* Writes the signer's AlgorithmIdentifier (RFC 5758: no parameters for
 * ECDSA). */
void sigalg_encode_signer(struct derw *, const struct cert_signer *);

/* Nonzero when issuer's public key (RSA or P-256) verifies sig over tbs with
 * algorithm sa: what a certificate's and a CRL's checks share. */
int cert_issuer_verifies(const struct cert *issuer, const struct sigalg *sa,
    const uint8_t *tbs, size_t tbs_len, const uint8_t *sig, size_t sig_len,
    struct err *);
/* Nonzero when issuer's public key verifies c's signature. */
int cert_check_signature(const struct cert *c, const struct cert *issuer,
    struct err *);
/* Nonzero when subject equals issuer and the certificate's own key verifies it. */
int cert_self_signed(const struct cert *);

/* What a new certificate holds; the builder encodes and signs it. */
struct cert_template {
	const uint8_t *serial;	/* big-endian magnitude */
	size_t serial_len;
	const struct dn *issuer;
	const struct dn *subject;
	int64_t not_before;
	int64_t not_after;
	const struct rsakey *subject_key;	/* public part used */
	const struct ec256key *subject_ec;	/* instead, a P-256 key */
	/* Extensions to write; SKI is computed from subject_key when
	 * ext.ski_len is 0, AKI copied from ext.aki when aki_len > 0. */
	struct ext_info ext;
};

/* SEQUENCE { body, sha256WithRSAEncryption, BIT STRING signature of body }:
 * signs an already-encoded TBSCertificate / CertificationRequestInfo /
 * TBSCertList. *der is the caller's to free. */
int cert_sign_wrap(const uint8_t *body, size_t body_len,
    const struct rsakey *signer, uint8_t **der, size_t *len, struct err *);

/* The same for either kind of signer. */
int cert_sign_wrap_by(const uint8_t *body, size_t body_len,
    const struct cert_signer *, uint8_t **der, size_t *len, struct err *);

/* cert_sign_wrap of the body that fn encodes from arg (der_encode). */
int cert_sign_encode(der_encode_fn *fn, const void *arg,
    const struct rsakey *signer, uint8_t **der, size_t *len, struct err *);

/* Encodes and signs with sha256WithRSAEncryption. *der is the caller's to free. */
int cert_build(const struct cert_template *, const struct rsakey *signer,
    uint8_t **der, size_t *len, struct err *);
/* The same for either kind of signer (ECDSA: ecdsa-with-SHA256). */
int cert_build_by(const struct cert_template *, const struct cert_signer *,
    uint8_t **der, size_t *len, struct err *);

/* cert_build_by's first half: the TBSCertificate that s would sign, with
 * the same checks of t. *body is the caller's to free. Signed with
 * cert_sign_wrap_by it gives cert_build_by's very bytes (what a pool of
 * signers relies on: role/signpool.h). */
int cert_tbs_encode(const struct cert_template *, const struct cert_signer *,
    uint8_t **body, size_t *body_len, struct err *);

/* A list of certificates (a chain file, trust anchors). Owned. */
struct cert_list {
	struct cert *v;
	size_t n;
};

void cert_list_init(struct cert_list *);
void cert_list_clear(struct cert_list *);
/* Appends every certificate in data: all CERTIFICATE blocks of PEM (other
 * blocks are skipped) or one DER certificate. Errors name the block
 * ("certificate 2 (line 31): ..."). At most 1024 certificates. */
int cert_list_load(struct cert_list *, const uint8_t *data, size_t len,
    struct err *);
/* The same for a file; errors start with the path. */
int cert_list_load_file(struct cert_list *, const char *path, struct err *);

/* Serial as colon-separated hex ("4F:A1:..."), into out; always terminated. */
void cert_serial_hex(const uint8_t *serial, size_t len, char *out, size_t outlen);
/* The same for INTEGER contents that may be negative (two's complement):
 * "-" and the magnitude's hex ("-01:00" for FF:00), else cert_serial_hex. */
void cert_serial_text(const uint8_t *serial, size_t len, char *out,
    size_t outlen);

#endif
