/* crl.h — X.509 v2 certificate revocation lists (RFC 5280 section 5):
 * build, parse, look up.
 *
 * What is read: version (v1 or v2), signature, issuer, thisUpdate,
 * nextUpdate, the entries (serial, revocationDate, reasonCode,
 * invalidityDate, certificateIssuer), and the CRL extensions cRLNumber,
 * authorityKeyIdentifier, deltaCRLIndicator (a delta CRL and its base
 * number), issuingDistributionPoint (x509/crldp.h), freshestCRL (its
 * presence, its syntax checked). Any other critical
 * extension is recorded (unsupported_critical) and a checker refuses such
 * a CRL. */
#ifndef MP_X509_CRL_H
#define MP_X509_CRL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/rsakey.h"
#include "x509/cert.h"
#include "x509/crldp.h"
#include "x509/dn.h"
#include "util/err.h"

#define CRL_MAX_SIZE (64 * 1024 * 1024)
#define CRL_MAX_NUMBER 20	/* content bytes of cRLNumber (RFC 5280 5.2.3) */

/* RFC 5280 CRLReason; 7 is unused. */
enum crl_reason {
	CRL_REASON_NONE = -1,	/* no reasonCode extension */
	CRL_REASON_UNSPECIFIED = 0,
	CRL_REASON_KEY_COMPROMISE = 1,
	CRL_REASON_CA_COMPROMISE = 2,
	CRL_REASON_AFFILIATION_CHANGED = 3,
	CRL_REASON_SUPERSEDED = 4,
	CRL_REASON_CESSATION = 5,
	CRL_REASON_CERTIFICATE_HOLD = 6,
	CRL_REASON_REMOVE_FROM_CRL = 8,
	CRL_REASON_PRIVILEGE_WITHDRAWN = 9,
	CRL_REASON_AA_COMPROMISE = 10,
};

struct crl_entry {
	uint8_t serial[CERT_MAX_SERIAL];	/* INTEGER content bytes */
	size_t serial_len;
	int64_t date;			/* revocationDate */
	int reason;			/* enum crl_reason */
	int has_invalidity;
	int64_t invalidity;		/* invalidityDate */
	/* Whose certificate it is (certificateIssuer, RFC 5280 5.3.3): an
	 * index into the CRL's entry_issuers, carried over from the entry
	 * before; -1 the CRL issuer; -2 a name that is no directoryName. */
	int issuer;
};

struct crl {
	uint8_t *der;		/* the whole CRL; owned */
	size_t len;
	const uint8_t *tbs;	/* TBSCertList with header, into der */
	size_t tbs_len;
	int version;		/* 1 or 2 */
	struct sigalg sigalg;
	struct dn issuer;
	int64_t this_update;
	int has_next_update;
	int64_t next_update;
	struct crl_entry *entries;	/* owned */
	size_t n, cap;
	int has_number;
	uint8_t number[CRL_MAX_NUMBER];	/* cRLNumber content bytes */
	size_t number_len;
	size_t aki_len;
	uint8_t aki[EXT_MAX_KEYID];
	int is_delta;		/* deltaCRLIndicator present */
	uint8_t base_number[CRL_MAX_NUMBER];	/* its BaseCRLNumber */
	size_t base_number_len;
	int has_idp;		/* issuingDistributionPoint present */
	struct crldp_idp idp;	/* owned */
	const uint8_t *idp_der;	/* its extnValue contents, into der */
	size_t idp_len;
	int has_freshest;	/* freshestCRL: delta CRLs exist for it */
	struct dn *entry_issuers;	/* certificateIssuer names; owned */
	size_t n_entry_issuers;
	/* The first critical extension (CRL or entry) not processed. */
	int unsupported_critical;
	char unsupported_oid[64];
	const uint8_t *sig;	/* signature bits, into der */
	size_t sig_len;
};

void crl_init(struct crl *);
void crl_clear(struct crl *);

/* Parses one DER CertificateList (copied). Errors are ERR_INPUT naming
 * the offset and the field: "offset 0x2c: expected INTEGER (userCertificate),
 * found 0x04". */
int crl_parse(struct crl *, const uint8_t *der, size_t len, struct err *);
/* The first X509 CRL block of PEM data, or DER data. */
int crl_load(struct crl *, const uint8_t *data, size_t len, struct err *);
/* The same for a file; errors start with the path. */
int crl_load_file(struct crl *, const char *path, struct err *);

/* Nonzero when issuer's key verifies the CRL's signature. */
int crl_check_signature(const struct crl *, const struct cert *issuer,
    struct err *);
/* The entry for serial (minimal INTEGER content bytes, as cert_parse
 * keeps them: 00 80 is 128, 80 is -128), or NULL. Linear in the entries the first time; a CRL
 * is looked up a few times per validation. */
const struct crl_entry *crl_find(const struct crl *, const uint8_t *serial,
    size_t len);
/* The same for a certificate issued by issuer: on an indirect CRL an
 * entry counts only under its certificateIssuer. */
const struct crl_entry *crl_find_issued(const struct crl *,
    const struct dn *issuer, const uint8_t *serial, size_t len);
/* Compares two CRL numbers (content bytes): <0, 0, >0. */
int crl_number_cmp(const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen);
/* The cRLNumber as an unsigned number, when it fits 64 bits; else -1. */
int crl_number_u64(const struct crl *, uint64_t *);

/* "keyCompromise", ...; "reason N" for values without a name (into a
 * static buffer); NULL for CRL_REASON_NONE. */
const char *crl_reason_name(int reason);
/* The code of a reason name (case-insensitive), or -2 when unknown. */
int crl_reason_find(const char *name);

/* What a new CRL holds. */
struct crl_template {
	const struct dn *issuer;
	int64_t this_update, next_update;
	uint64_t number;		/* cRLNumber */
	const uint8_t *aki;		/* keyIdentifier; may be NULL */
	size_t aki_len;
	const struct crl_entry *entries;	/* reason CRL_REASON_NONE: no
						 * reasonCode written */
	size_t n;
	/* issuingDistributionPoint (critical) when idp is set: fullName URI
	 * idp_uri (NULL: no name), the only* flags, onlySomeReasons when
	 * idp_reasons (ReasonFlags bits) is not 0. */
	int idp;
	const char *idp_uri;
	int idp_only_user, idp_only_ca, idp_indirect;
	uint32_t idp_reasons;
	/* A delta CRL: deltaCRLIndicator (critical) with base_number. */
	int delta;
	uint64_t base_number;
	/* freshestCRL (non-critical): where the deltas are; NULL: none. */
	const char *freshest_uri;
	/* An indirect CRL's entries: with n_entry_issuers > 0 an entry's
	 * issuer indexes entry_issuers (-1: the CRL issuer), written as
	 * certificateIssuer (critical) where it changes. */
	const struct dn *entry_issuers;
	size_t n_entry_issuers;
};

/* Encodes a v2 CRL and signs it with sha256WithRSAEncryption. *der is the
 * caller's to free. */
int crl_build(const struct crl_template *, const struct rsakey *signer,
    uint8_t **der, size_t *len, struct err *);
/* The same for either kind of signer (a P-256 one: ecdsa-with-SHA256). */
int crl_build_by(const struct crl_template *, const struct cert_signer *,
    uint8_t **der, size_t *len, struct err *);

#endif
