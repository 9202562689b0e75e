/* ocsp.h — OCSP (RFC 6960): request reader and writer, response writer,
 * reader and checker, and a responder over a status lookup.
 *
 * ocsp.c: CertID, nonce and extension helpers, the responder;
 * ocsp-req.c: OCSPRequest; ocsp-resp.c: OCSPResponse.
 *
 * Read (ocsp_req_parse), with every length checked and errors naming the
 * offset ("offset 0x1a: expected SEQUENCE (CertID), found 0x04"):
 *   OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest,
 *       optionalSignature [0] EXPLICIT Signature OPTIONAL }
 *   TBSRequest ::= SEQUENCE { version [0] EXPLICIT INTEGER DEFAULT v1,
 *       requestorName [1] EXPLICIT GeneralName OPTIONAL,
 *       requestList SEQUENCE OF Request,
 *       requestExtensions [2] EXPLICIT Extensions OPTIONAL }
 *   Request ::= SEQUENCE { reqCert CertID,
 *       singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }
 *   CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier,
 *       issuerNameHash OCTET STRING, issuerKeyHash OCTET STRING,
 *       serialNumber INTEGER }
 * - version: v1 only (an explicitly encoded v1 is accepted, as it is
 *   harmless); requestorName is skipped (recorded, not used).
 * - requestList: 1 to OCSP_MAX_REQUESTS entries, more is refused.
 * - hashAlgorithm: SHA-1 (what OpenSSL sends), SHA-256, SHA-384 or
 *   SHA-512, parameters NULL or absent; the hashes must have the digest's
 *   size; serialNumber at most CERT_MAX_SERIAL content bytes.
 * - nonce (id-pkix-ocsp-nonce, RFC 8954): the extnValue contents are kept
 *   as received and echoed byte for byte. Its value is read as OpenSSL and
 *   RFC 8954 write it, an OCTET STRING inside extnValue; contents that are
 *   not exactly one OCTET STRING are taken as the raw nonce (the form of
 *   some older clients). 1 to OCSP_NONCE_MAX bytes; empty or longer is
 *   refused.
 * - Any other extension: ignored unless critical; a critical one is refused.
 * - optionalSignature: its structure is checked (AlgorithmIdentifier, BIT
 *   STRING, optional certs) and it is then ignored: requests are not
 *   authenticated (is_signed records that one was there).
 *
 * Written (ocsp_req_build): version omitted, no requestorName, the CertIDs
 * given (the client uses SHA-1, as OpenSSL does, so any responder matches
 * it), a nonce extension in OpenSSL's form when one is given; unsigned.
 *
 * Written (ocsp_resp_build, ocsp_resp_error) and read (ocsp_resp_parse):
 *   OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED,
 *       responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
 *   ResponseBytes ::= SEQUENCE { responseType OID (id-pkix-ocsp-basic),
 *       response OCTET STRING (BasicOCSPResponse) }
 *   BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData,
 *       signatureAlgorithm AlgorithmIdentifier, signature BIT STRING,
 *       certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
 *   ResponseData ::= SEQUENCE { version [0] EXPLICIT INTEGER DEFAULT v1,
 *       responderID ResponderID, producedAt GeneralizedTime,
 *       responses SEQUENCE OF SingleResponse,
 *       responseExtensions [1] EXPLICIT Extensions OPTIONAL }
 *   ResponderID ::= CHOICE { byName [1] EXPLICIT Name,
 *       byKey [2] EXPLICIT OCTET STRING (SHA-1 of the key bits) }
 *   SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus,
 *       thisUpdate GeneralizedTime, nextUpdate [0] EXPLICIT GeneralizedTime
 *       OPTIONAL, singleExtensions [1] EXPLICIT Extensions OPTIONAL }
 *   CertStatus ::= CHOICE { good [0] IMPLICIT NULL,
 *       revoked [1] IMPLICIT SEQUENCE { revocationTime GeneralizedTime,
 *           revocationReason [0] EXPLICIT CRLReason OPTIONAL },
 *       unknown [2] IMPLICIT NULL }
 * - We write responderID byName (the signer's subject, as OpenSSL's
 *   responder does by default), sha256WithRSAEncryption with the signer's
 *   key (Nettle's side-channel-silent signing), certs only when given (none
 *   when the CA signs itself), the nonce echoed. An error response
 *   (malformedRequest, internalError, tryLater, unauthorized) has no
 *   responseBytes.
 * - We read both responderID forms, at most OCSP_MAX_REQUESTS responses
 *   and OCSP_MAX_CERTS certs; only id-pkix-ocsp-basic; an error status
 *   with responseBytes, or a successful one without, is refused; a
 *   critical extension we do not process is refused.
 *
 * Checked (ocsp_resp_check): status successful; the signer is the issuer
 * itself (responderID names it) or a delegated responder among the
 * response's certs, issued and signed by the issuer, carrying
 * id-kp-OCSPSigning and valid now; the signature; a SingleResponse for the
 * asked CertID; the nonce equal when one was sent (a missing one is
 * refused); thisUpdate <= now + skew, now - skew <= nextUpdate, and
 * without nextUpdate thisUpdate no older than max_age (when set). */
#ifndef MP_X509_OCSP_H
#define MP_X509_OCSP_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/der.h"
#include "crypto/hash.h"
#include "crypto/rsakey.h"
#include "util/err.h"
#include "x509/cert.h"
#include "x509/dn.h"
#include "x509/verify.h"

#define OCSP_MAX_SIZE (64 * 1024)	/* a request or a response */
#define OCSP_MAX_REQUESTS 32	/* CertIDs in a request, answers in a response */
#define OCSP_MAX_CERTS 4	/* certs in a response */
#define OCSP_NONCE_MAX 32	/* RFC 8954 */
#define OCSP_NONCE_LEN 32	/* what we send (RFC 8954 recommends 32) */

/* OCSPResponseStatus; 4 is unused. */
enum ocsp_resp_status {
	OCSP_SUCCESSFUL = 0,
	OCSP_MALFORMED_REQUEST = 1,
	OCSP_INTERNAL_ERROR = 2,
	OCSP_TRY_LATER = 3,
	OCSP_SIG_REQUIRED = 5,
	OCSP_UNAUTHORIZED = 6,
};

enum ocsp_cert_status {
	OCSP_GOOD = 0,
	OCSP_REVOKED = 1,
	OCSP_UNKNOWN = 2,
};

/* A CertID: which certificate of which issuer. */
struct ocsp_certid {
	enum hash_alg hash;	/* HASH_SHA1, HASH_SHA256, ... */
	int no_params;		/* hashAlgorithm had no parameters (else NULL);
				 * kept so an echo is byte for byte */
	uint8_t name_hash[HASH_MAX_SIZE];	/* hash_size(hash) bytes */
	uint8_t key_hash[HASH_MAX_SIZE];
	uint8_t serial[CERT_MAX_SERIAL];	/* INTEGER content bytes */
	size_t serial_len;
};

/* A nonce: ext is the extnValue contents as received or sent (echoed as
 * they are), val the nonce itself (see above). len 0: no nonce. */
struct ocsp_nonce {
	uint8_t val[OCSP_NONCE_MAX];
	size_t len;
	uint8_t ext[OCSP_NONCE_MAX + 2];
	size_t ext_len;
};

struct ocsp_req {
	struct ocsp_certid ids[OCSP_MAX_REQUESTS];
	size_t n;
	struct ocsp_nonce nonce;
	int has_requestor;	/* requestorName present (not used) */
	int is_signed;		/* optionalSignature present (not verified) */
};

/* One answer of a response. */
struct ocsp_single {
	struct ocsp_certid id;
	enum ocsp_cert_status status;
	int64_t revoked_at;	/* OCSP_REVOKED: revocationTime */
	int reason;		/* enum crl_reason; CRL_REASON_NONE: none */
	int64_t this_update;
	int has_next_update;
	int64_t next_update;
};

struct ocsp_resp {
	uint8_t *der;		/* the whole response; owned */
	size_t len;
	enum ocsp_resp_status status;
	/* The rest only when status is OCSP_SUCCESSFUL. */
	const uint8_t *tbs;	/* ResponseData with header, into der */
	size_t tbs_len;
	int rid_by_key;		/* responderID byKey (else byName) */
	struct dn rid_name;	/* byName */
	uint8_t rid_key[20];	/* byKey: SHA-1 of the key bits */
	int64_t produced_at;
	struct ocsp_single v[OCSP_MAX_REQUESTS];
	size_t n;
	struct ocsp_nonce nonce;
	struct sigalg sigalg;
	const uint8_t *sig;	/* signature bits, into der */
	size_t sig_len;
	struct cert_list certs;	/* certs, owned */
};

/* "successful", "malformedRequest", ...; "status N" for others (static
 * buffer). */
const char *ocsp_resp_status_name(int);
/* "good", "revoked", "unknown". */
const char *ocsp_cert_status_name(int);

/* ---- CertID ---- */

/* The CertID of the certificate with serial (INTEGER content bytes, as in
 * struct cert) issued by issuer, hashed with hash (SHA-1 or SHA-2). */
int ocsp_certid_make(struct ocsp_certid *, const struct cert *issuer,
    const uint8_t *serial, size_t serial_len, enum hash_alg,
    struct err *);
/* Nonzero when the CertID's issuer hashes are those of issuer. */
int ocsp_certid_issuer_is(const struct ocsp_certid *, const struct cert *issuer);
/* Nonzero when both name the same certificate: same hash algorithm,
 * hashes and serial (parameters NULL or absent alike). */
int ocsp_certid_equal(const struct ocsp_certid *, const struct ocsp_certid *);
/* Reads / writes one CertID at the cursor. */
int ocsp_certid_parse(struct der *, struct ocsp_certid *);
void ocsp_certid_encode(struct derw *, const struct ocsp_certid *);

/* A fresh random nonce of OCSP_NONCE_LEN bytes, in OpenSSL's form. */
void ocsp_nonce_random(struct ocsp_nonce *);
/* Sets a nonce from t, the extnValue OCTET STRING read at cursor at
 * (errors name its offset): what the readers call. */
int ocsp_nonce_set(struct der *at, const struct der_tlv *, struct ocsp_nonce *);

/* Reads an Extensions SEQUENCE body (list: inside it): the nonce into
 * nonce when it is not NULL; other extensions ignored unless critical;
 * what names the list ("requestExtensions"). */
int ocsp_exts_parse(struct der *list, const char *what, struct ocsp_nonce *);
/* The same inside an [n] EXPLICIT wrapper t already read from outer: its
 * one element must be the Extensions SEQUENCE. */
int ocsp_exts_in(struct der *outer, const struct der_tlv *t, const char *what,
    struct ocsp_nonce *);

/* ---- requests (ocsp-req.c) ---- */

/* Parses a DER OCSPRequest (at most OCSP_MAX_SIZE bytes) into req. Errors
 * are ERR_INPUT and name the offset. */
int ocsp_req_parse(struct ocsp_req *, const uint8_t *der, size_t len,
    struct err *);
/* Writes an unsigned request for n CertIDs (1 to OCSP_MAX_REQUESTS), with
 * the nonce when it is not NULL. *der is the caller's to free. */
int ocsp_req_build(const struct ocsp_certid *ids, size_t n,
    const struct ocsp_nonce *, uint8_t **der, size_t *len, struct err *);

/* ---- responses (ocsp-resp.c) ---- */

/* What a signed response holds. */
struct ocsp_resp_template {
	const struct cert *signer;	/* responderID byName: its subject */
	struct cert_signer by;		/* signer's private key, RSA or P-256 */
	const struct cert_list *certs;	/* to include; NULL or empty: none */
	int64_t produced_at;
	const struct ocsp_single *v;	/* 1 to OCSP_MAX_REQUESTS */
	size_t n;
	const struct ocsp_nonce *nonce;	/* echoed when not NULL and len > 0 */
};

/* Encodes and signs a successful response. *der is the caller's to free. */
int ocsp_resp_build(const struct ocsp_resp_template *, uint8_t **der,
    size_t *len, struct err *);
/* An error response (status not OCSP_SUCCESSFUL), without responseBytes. */
int ocsp_resp_error(enum ocsp_resp_status, uint8_t **der, size_t *len,
    struct err *);

void ocsp_resp_init(struct ocsp_resp *);
void ocsp_resp_clear(struct ocsp_resp *);
/* Parses a DER OCSPResponse (copied). Errors are ERR_INPUT naming the
 * offset. An error status parses (status says which). */
int ocsp_resp_parse(struct ocsp_resp *, const uint8_t *der, size_t len,
    struct err *);

/* What the client asked and when it checks. */
struct ocsp_check_params {
	const struct cert *issuer;	/* the CA of the asked certificate */
	const struct ocsp_certid *id;	/* the CertID asked */
	const struct ocsp_nonce *nonce;	/* sent; NULL or len 0: none sent */
	int64_t now;
	int64_t skew;		/* seconds of clock difference allowed */
	int64_t max_age;	/* without nextUpdate: oldest thisUpdate
				 * accepted, in seconds; 0: any */
};

/* The answer for the asked certificate. */
struct ocsp_result {
	enum ocsp_cert_status status;
	int64_t revoked_at;
	int reason;		/* enum crl_reason; CRL_REASON_NONE: none */
	int64_t this_update;
	int has_next_update;
	int64_t next_update;
	int delegated;		/* signed by a delegated responder */
};

/* "good", "unknown", "revoked (keyCompromise) on 2027-01-15 07:00:00 UTC"
 * or "revoked on DATE" without a reason, into out (always terminated). */
void ocsp_result_text(const struct ocsp_result *, char *out, size_t outlen);

/* Checks resp as described at the top and fills out. Every check is a
 * step in steps (initialised by the caller; cleared first), whose code is
 * VERIFY_BAD_SIGNATURE, VERIFY_NO_ISSUER (no usable signer), VERIFY_EKU,
 * VERIFY_EXPIRED / VERIFY_NOT_YET_VALID (stale or future response, or a
 * delegated certificate out of its validity) or VERIFY_MALFORMED (error
 * status, CertID or nonce mismatch). Returns 0 when the response is
 * good to use (whatever the certificate's status), -1 otherwise with
 * ERR_REFUSED and the first failure in e. */
int ocsp_resp_check(const struct ocsp_resp *, const struct ocsp_check_params *,
    struct ocsp_result *, struct verify_result *steps, struct err *);

/* ---- responder (ocsp.c) ---- */

/* What the CA database says of a serial. */
struct ocsp_answer {
	enum ocsp_cert_status status;
	int64_t revoked_at;
	int reason;		/* enum crl_reason; CRL_REASON_NONE: none */
};

/* Fills a for serial (INTEGER content bytes); returns 0, or -1 when the
 * lookup itself failed (the responder then answers internalError). A
 * serial the CA never issued should be OCSP_UNKNOWN. */
typedef int ocsp_lookup_fn(void *ctx, const uint8_t *serial, size_t len,
    struct ocsp_answer *a);

struct ocsp_responder {
	const struct cert *ca;		/* the issuer whose certificates we answer for */
	const struct cert *signer;	/* NULL: the CA signs */
	struct cert_signer by;		/* signer's (or the CA's) private key */
	const struct cert_list *certs;	/* included in responses; may be NULL */
	int64_t validity;		/* nextUpdate - thisUpdate; 0: no nextUpdate */
	ocsp_lookup_fn *lookup;
	void *ctx;
};

/* Answers req at time now with a DER response (*der the caller's to free).
 * A CertID for another issuer gets "unknown" (RFC 6960 2.2) when the
 * request also asks about one of ours; a request with none of ours gets
 * unauthorized (RFC 5019 2.2.3), a failed lookup internalError.
 * Returns the responseStatus sent (OCSP_SUCCESSFUL or an error, with the
 * reason in why for the log), or -1 when nothing could be encoded. */
int ocsp_respond(const struct ocsp_responder *, const struct ocsp_req *,
    int64_t now, uint8_t **der, size_t *len, struct err *why);
/* The same from the request's DER: one that does not parse gets
 * malformedRequest (why says where). */
int ocsp_respond_der(const struct ocsp_responder *, const uint8_t *req,
    size_t req_len, int64_t now, uint8_t **der, size_t *len, struct err *why);

#endif
