/* lifecycle.h — what happens to certificates after issuance: revocation,
 * CRLs, renewal, intermediate CAs, list filters, and the end-to-end check
 * of a CA's files. Shared by the CLI and the TUI; nothing here prints.
 *
 * Every operation that changes the CA appends to its database (the
 * record is synced before the function returns) and then to its audit
 * log (store/audit.h). The CA is a struct ca opened with CA_WRITE (and
 * unlocked when something is signed). */
#ifndef MP_ROLE_LIFECYCLE_H
#define MP_ROLE_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "role/ca.h"
#include "x509/crl.h"

#define LIFECYCLE_CRL_DAYS 7		/* default nextUpdate - thisUpdate */
#define LIFECYCLE_CRL_MAX_DAYS 3650

/* The status of a certificate of the CA database, the one rule both
 * faces show. Revocation comes first: a certificate on the CRL is
 * "revoked" (its reason in the record) or "on-hold" (certificateHold,
 * which removeFromCRL lifts: the record is then valid again), whether it
 * also expired or was renewed; then "expired" (notAfter passed); then
 * "superseded" (renewed, the old one not revoked); else "valid". */
enum lifecycle_state {
	LIFECYCLE_VALID,
	LIFECYCLE_REVOKED,
	LIFECYCLE_ON_HOLD,
	LIFECYCLE_EXPIRED,
	LIFECYCLE_SUPERSEDED,
};

enum lifecycle_state lifecycle_state(const struct cadb_cert *, int64_t now);
/* Its word: "valid", "revoked", "on-hold", "expired", "superseded". */
const char *lifecycle_status(const struct cadb_cert *, int64_t now);

/* A serial as typed or printed: hex digits in either case, after an
 * optional "0x", either run together or in pairs with ':' between them
 * (as `show` and `openssl x509 -text` print it); leading zeros are not
 * part of the number. out gets lower-case hex without leading zeros ("0"
 * for zero). -1 when serial is not such, or longer than CADB_SERIAL_MAX
 * digits without its leading zeros. */
int lifecycle_serial_norm(const char *serial,
    char out[CADB_SERIAL_MAX + 1]);
/* Whether two serials (any form lifecycle_serial_norm takes) are the
 * same number; 0 when either is malformed. */
int lifecycle_serial_eq(const char *, const char *);
/* The record of serial (any form lifecycle_serial_norm takes) in ca's
 * database; NULL when none. Every lifecycle_* call taking a serial looks
 * it up so. */
const struct cadb_cert *lifecycle_find(const struct ca *, const char *serial);

/* The checks of a revocation before anything is asked or written:
 * serial known, reason a name of crl_reason_find (removeFromCRL only for a
 * certificate on hold), not revoked already. ERR_USAGE for an unknown
 * serial or reason, ERR_REFUSED for the rest. */
int lifecycle_revoke_check(const struct ca *, const char *serial,
    const char *reason, struct err *);
/* Records the revocation (when: the revocationDate; invalidity, when not
 * 0, the invalidityDate: since when the key is known or suspected unsafe)
 * and audits it. Does not write the CRL: call lifecycle_crl next. */
int lifecycle_revoke(struct ca *, const char *serial, const char *reason,
    int64_t when, int64_t invalidity, struct err *);

/* Builds a v2 CRL of every revoked certificate (thisUpdate now,
 * nextUpdate now + days), numbered one above the last recorded number,
 * records the number in the database, writes ca/NAME/crl.pem (atomic
 * replace) and audits it. *der (the caller frees) gets the CRL; *number
 * its number. The CA must be open for writing and unlocked. */
int lifecycle_crl(struct ca *, long days, int64_t now, uint8_t **der,
    size_t *len, uint64_t *number, struct err *);
/* The path of ca/NAME/crl.pem; the caller frees. */
char *lifecycle_crl_path(const struct ca *);
/* The path of ca/NAME/delta-crl.pem; the caller frees. */
char *lifecycle_delta_path(const struct ca *);

#define LIFECYCLE_DELTA_DAYS 1		/* a delta's default validity */

/* What lifecycle_crl_ex chose. */
struct lifecycle_crl_info {
	int delta;		/* a delta CRL was written */
	uint64_t base_number;	/* its base's cRLNumber */
	size_t n;		/* entries */
	int idp;		/* an issuingDistributionPoint was written */
	char idp_note[256];	/* its URI, or why there is none */
	int freshest;		/* freshestCRL (URL/delta-crl) was written */
};

/* lifecycle_crl, and more. A complete CRL carries an
 * issuingDistributionPoint (URL/crl) only when every unexpired
 * certificate of the CA carries that CDP (role/cacrl.h: an IDP CRL does
 * not cover a certificate without it), and freshestCRL (URL/delta-crl)
 * when the CA has a URL. With delta, a delta CRL instead
 * (deltaCRLIndicator of crl.pem's number, the changes since it, the
 * base's IDP) into ca/NAME/delta-crl.pem; crl.pem must be a complete CRL
 * naming a freshestCRL: ERR_USAGE "CA 'x' has no complete CRL to be the
 * base of a delta: run `ca crl` first", ERR_REFUSED "ca/x/crl.pem (number
 * N) names no freshestCRL, ...". days 0: LIFECYCLE_DELTA_DAYS for a
 * delta. info (may be NULL) gets what was chosen; the audit record says
 * it too. */
int lifecycle_crl_ex(struct ca *, int delta, long days, int64_t now,
    uint8_t **der, size_t *len, uint64_t *number,
    struct lifecycle_crl_info *info, struct err *);

/* The checks of a renewal before anything is asked or written: serial
 * known, not revoked, not renewed already and, with rekey, the request's
 * subject equal to the old certificate's. old, when not NULL (cert_init'ed
 * by the caller, who clears it), gets the old certificate.
 * ERR_USAGE for an unknown serial, ERR_REFUSED for the rest. */
int lifecycle_renew_check(const struct ca *, const char *serial,
    const struct csr *rekey, struct cert *old, struct err *);
/* Renews serial: a new certificate with a new serial for the same subject
 * and extensions, valid from now for days (0: as long as the old one
 * was), with the same key, or with rekey's key (a request whose subject
 * must equal the old certificate's). The old certificate is recorded as
 * superseded by the new one, and revoked with reason superseded when
 * revoke_old is set (then call lifecycle_crl). */
int lifecycle_renew(struct ca *, const char *serial, const struct csr *rekey,
    long days, int revoke_old, int64_t now, struct ca_issued *out,
    struct err *);

/* The keystore that gets the certificate ca renewed from oldserial: the
 * first by name, other than ca's own, whose own certificate (the first
 * of its chain) is oldserial or, after a rekey (rekey not NULL), holds
 * rekey's key. An entity's other keys are encrypted, so a keystore
 * without a certificate of the new key is never chosen: it would pair
 * the certificate with a key that may not be its. *name (the caller
 * frees) gets it, NULL when there is none (after a rekey the certificate
 * then goes to a file). Keystores that cannot be read are passed over;
 * -1 only when the keystores cannot be listed. */
int lifecycle_renew_keystore(const struct ca *, const char *oldserial,
    const struct csr *rekey, char **name, struct err *);

/* Creates CA name as an intermediate of parent (open for writing,
 * unlocked): a bits-bit key, a certificate signed by the parent
 * (basicConstraints critical CA:TRUE with pathLenConstraint pathlen, -1
 * for none; keyUsage critical keyCertSign, cRLSign; SKI; AKI of the
 * parent) valid for days (cut to the parent's notAfter), recorded in the
 * parent's database (profile ca), the keystore holding the new
 * certificate followed by the parent's chain, an empty database, and
 * audit records in both CAs. A parent whose pathLenConstraint forbids
 * another CA below it is refused. *der gets the certificate. */
int lifecycle_init_intermediate(const struct ws *, const char *name,
    struct ca *parent, const struct dn *subject, long pathlen,
    unsigned bits, long days, int64_t now, const void *pass,
    size_t passlen, uint8_t **der, size_t *len, struct err *);
/* The same with name constraints: permit and exclude (either may be
 * NULL) in the form of nameconstr_parse_list become a critical
 * nameConstraints extension (role/caconstr.h); ERR_USAGE for a bad list,
 * before anything is made. */
int lifecycle_init_constrained(const struct ws *, const char *name,
    struct ca *parent, const struct dn *subject, long pathlen,
    const char *permit, const char *exclude, unsigned bits, long days,
    int64_t now, const void *pass, size_t passlen, uint8_t **der,
    size_t *len, struct err *);

struct capolicy;
/* The same with certificate policies (role/capolicy.h; pol may be NULL):
 * --policy (within the parent's policies, when the parent has any and
 * not anyPolicy; without --policy the intermediate gets the parent's),
 * --cps, and a critical policyConstraints. ERR_USAGE for bad values,
 * ERR_REFUSED for a policy the parent lacks, before anything is made.
 * type: the new CA's key, RSA of bits or P-256 (PKEY_EC, bits unused),
 * whatever the parent's is. */
int lifecycle_init_policy(const struct ws *, const char *name,
    struct ca *parent, const struct dn *subject, long pathlen,
    const char *permit, const char *exclude, const struct capolicy *pol,
    enum pkey_type type, unsigned bits, long days, int64_t now,
    const void *pass, size_t passlen, uint8_t **der, size_t *len,
    struct err *);

/* List filters: status NULL or a word of lifecycle_status, where
 * "revoked" also takes the certificates on hold (they are on the CRL);
 * expiring_days >= 0: only certificates not revoked (nor on hold) whose
 * notAfter is within that many days from now (and not past). Returns
 * nonzero when c passes. */
int lifecycle_match(const struct cadb_cert *, int64_t now,
    const char *status, long expiring_days);
/* Whether word is a status a filter accepts. */
int lifecycle_status_ok(const char *word);

/* What `ca check` found: one line per check that passed (ok[]), and the
 * first problem (problem, with its kind in *e) or none. */
struct lifecycle_report {
	char **ok;		/* owned */
	size_t nok;
	char **notes;		/* warnings and what --repair did; owned */
	size_t nnotes;
};

void lifecycle_report_init(struct lifecycle_report *);
void lifecycle_report_clear(struct lifecycle_report *);
/* Checks CA name end to end: the database (every record's checksum and
 * structure, every certificate decodes, its serial and subject match the
 * record and the CA's key verifies it), the audit log (every sum, seq and
 * prev; every serial its issue, revoke and renew records name is in the
 * database; certificates no record names are a note), the enrollment
 * store (enroll_check: enroll.yaml against the database), and crl.pem
 * (signature, issuer, number not above the database's).
 * Returns 0 when all is well, -1 with the first problem in e. With repair,
 * first cuts torn last records of the database, the audit log and
 * enroll.yaml (kept in .torn files); nothing else is changed. */
int lifecycle_check(const struct ws *, const char *name, int repair,
    struct lifecycle_report *, struct err *);

#endif
