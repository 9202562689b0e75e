/* ca.h — a certificate authority: create it, open it, issue from requests.
 *
 * The operations behind `ca init`, `ca issue` and `ca list`, shared by the
 * CLI and the TUI. Nothing here prints. A CA named NAME is the keystore
 * keys/NAME.yaml (its key and self-signed root certificate) and the
 * database ca/NAME/ (store/cadb.h). */
#ifndef MP_ROLE_CA_H
#define MP_ROLE_CA_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/rsakey.h"
#include "role/entity.h"
#include "role/profile.h"
#include "role/signpool.h"
#include "store/cadb.h"
#include "store/keystore.h"
#include "store/ws.h"
#include "x509/cert.h"
#include "x509/csr.h"
#include "x509/pkey.h"
#include "util/err.h"

#define CA_DEFAULT_BITS 3072
#define CA_DEFAULT_DAYS 3650
#define CA_MAX_DAYS 36500
#define CA_BACKDATE 300		/* notBefore this many seconds in the past */
#define CA_SERIAL_BYTES 16
#define CA_SERIAL_HEX (2 * CA_SERIAL_BYTES + 1)

/* The CA service's base URL (ca_set_url), and what the CA appends to it
 * in what it signs: the OCSP responder, the CA certificate (DER, as RFC
 * 5280 4.2.2.1 asks of an HTTP caIssuers location) and the CRL (DER). */
#define CA_URL_MAX 200		/* bytes */
#define CA_URL_OCSP "/ocsp"
#define CA_URL_CACERT "/ca.cer"
#define CA_URL_CRL "/crl"

struct capresign;

struct ca {
	char *name;
	const struct ws *ws;	/* borrowed; outlives the ca */
	struct cadb_meta meta;
	struct keystore ks;	/* the CA's keystore (key still encrypted) */
	struct cert root;	/* the CA's certificate (first of its chain) */
	struct cadb db;
	struct pkey key;	/* the private key (RSA or P-256) once
				 * ca_unlock succeeded */
	int unlocked;
	uint8_t keyid[EXT_MAX_KEYID];	/* the root's SKI, put in AKIs */
	size_t keyid_len;
	/* Batches sign on a pool of threads (role/capresign.h): signers
	 * of them, 0 for one per CPU (signpool_cpus); 1 signs on the
	 * caller's thread as a single issuance does. */
	unsigned signers;
	signpool_sign_fn *sign_fn;	/* tests: the pool's signer (NULL:
					 * cert_sign_wrap_by) */
	struct capresign *presign;	/* the batch signed ahead, or NULL */
	struct signpool *pool;	/* its signer threads, kept from the first
				 * batch to ca_clear; or NULL */
};

/* One issued certificate. */
struct ca_issued {
	uint8_t *der;		/* owned; ca_issued_clear frees it */
	size_t len;
	char serial[CA_SERIAL_HEX];	/* lower-case hex */
	char *subject;		/* one-line form; owned */
	int64_t not_before, not_after;
	int clamped;		/* notAfter cut to the CA's own notAfter */
	size_t dropped;		/* requested SANs the profile did not copy */
};

enum {
	CA_WRITE = 0x1,		/* ca_open: lock the database for issuing */
	CA_APPEND = 0x2,	/* with CA_WRITE: for ca_issue only, in a time
				 * that does not grow with the database
				 * (cadb_open's CADB_APPEND) */
};

void ca_init(struct ca *);
void ca_clear(struct ca *);
void ca_issued_init(struct ca_issued *);
void ca_issued_clear(struct ca_issued *);

/* Creates CA NAME: a bits-bit key, a self-signed root certificate valid
 * for days from now - CA_BACKDATE (basicConstraints critical CA:TRUE,
 * keyUsage critical keyCertSign and cRLSign, SKI and AKI), the keystore
 * (under pass) and an empty database. An existing CA or keystore NAME is
 * ERR_REFUSED. *root_der (the caller frees) gets the root certificate. */
int ca_create(const struct ws *, const char *name, const struct dn *subject,
    unsigned bits, long days, int64_t now, const void *pass, size_t passlen,
    void *progress_ctx, entity_progress_fn *, uint8_t **root_der,
    size_t *root_len, struct err *);

struct capolicy;
/* A CA's new key: RSA of bits (progress as rsakey_generate), or P-256
 * for PKEY_EC (bits unused). key is initialised by the caller. */
int ca_new_key(struct pkey *key, enum pkey_type type, unsigned bits,
    void *progress_ctx, entity_progress_fn *, struct err *);
/* "--type T: use rsa or ec" (ERR_USAGE) for anything else; *type set. */
int ca_parse_key_type(const char *s, enum pkey_type *type, struct err *);
/* "rsa 3072 bits" or "ec P-256", into out. */
void ca_key_text(const struct pkey *, char *out, size_t outlen);

/* The same with certificatePolicies (role/capolicy.h; pol may be NULL):
 * the root asserts them and passes them on to what it signs.
 * policyConstraints are refused in a root (ERR_USAGE "--require-explicit-
 * policy and --inhibit-mapping need --parent (a verifier ignores them in
 * a root)"), as are bad OIDs, before any key is made. */
int ca_create_policy(const struct ws *, const char *name,
    const struct dn *subject, enum pkey_type type, unsigned bits,
    long days, int64_t now,
    const struct capolicy *pol, const void *pass, size_t passlen,
    void *progress_ctx, entity_progress_fn *, uint8_t **root_der,
    size_t *root_len, struct err *);

/* A certificate's validity in days: 1 to CA_MAX_DAYS, else ERR_USAGE
 * "validity of N days: use 1 to 36500". */
int ca_check_days(long days, struct err *);
/* A new CA's (root or intermediate): ca_check_days, then a non-empty
 * subject (ERR_USAGE "a CA needs a non-empty subject"). */
int ca_check_new(long days, const struct dn *subject, struct err *);
/* Refuses (ERR_REFUSED) a new CA name that an existing CA or keystore
 * already has. */
int ca_check_free(const struct ws *, const char *name, struct err *);
/* What makes t a CA certificate for key: its subject key, basicConstraints
 * critical CA:TRUE with pathLenConstraint pathlen (-1: none), keyUsage
 * critical keyCertSign and cRLSign, and the SKI of key. */
void ca_template(struct cert_template *t, const struct pkey *key,
    long pathlen);
/* The signer of what ca signs: its unlocked key, RSA or P-256. */
void ca_signer(const struct ca *, struct cert_signer *);

/* Stores a CA just made (ca_create, lifecycle_init_intermediate): its
 * key under pass with chain_pem (its certificate first), and subject and
 * not_after as the keystore's info in keys/NAME.yaml, an empty database
 * ca/NAME/, and the "init" audit record with details. When the database
 * cannot be made the new keystore is removed again. */
int ca_store_new(const struct ws *, const char *name, const struct pkey *,
    const char *subject, int64_t not_after, const char *chain_pem,
    const void *pass, size_t passlen, const char *details, struct err *);

/* Opens CA NAME: its metadata, keystore, root certificate and database
 * (locked against a second writer with CA_WRITE). */
int ca_open(struct ca *, const struct ws *, const char *name, int flags,
    struct err *);
/* Decrypts the CA key (once, for any number of ca_issue calls). */
int ca_unlock(struct ca *, const void *pass, size_t passlen, struct err *);

/* The checks on a request before anything is signed: an RSA key of at
 * least RSAKEY_MIN_BITS, and its own signature (proof of possession).
 * ERR_REFUSED "request signature does not verify" or "request key is N
 * bits: at least 2048 required". */
int ca_check_request(const struct csr *, struct err *);

/* Issues a certificate for req under profile p, valid from now -
 * CA_BACKDATE for days (0: the profile's default), not beyond the CA's
 * notAfter. The record is in the database, synced, when this returns 0.
 * The CA must be open with CA_WRITE and unlocked. out is initialised by
 * the caller. */
int ca_issue(struct ca *, const struct csr *req, const struct profile *p,
    long days, int64_t now, struct ca_issued *out, struct err *);

/* The steps every certificate a CA signs shares, after the caller's
 * checks: t's issuer and AKI become the CA's, its notAfter is cut to the
 * CA's (out->clamped), a serial no certificate of the database has is
 * drawn, t is signed with the CA key and the certificate recorded in the
 * database under profile. out (initialised by the caller) gets the
 * certificate, its serial, subject and validity. Auditing is left to the
 * caller, whose operation names the record. t->serial is reset. */
int ca_sign_record(struct ca *, struct cert_template *t, const char *profile,
    struct ca_issued *out, struct err *);

#define CA_NOTES_MAX 4		/* CA:TRUE, SANs, notAfter, keystore */
#define CA_NOTE_SIZE 160

/* One request of a batch (ca_issue_batch) and what became of it. */
struct ca_batch_req {
	const struct csr *csr;	/* the request; borrowed */
	struct ca_issued res;	/* res.der set: issued, recorded and synced */
	struct err err;		/* kind set: refused, failed, or not written
				 * to the out-dir (then res.der is set) */
	char *path;		/* with an out-dir: the file written; owned */
	char *attached;		/* the keystore given the certificate
				 * (ca_attach), or NULL; owned */
	/* What the profile changed from what was asked, for the person who
	 * asked ("1 requested subjectAltName(s) not copied (profile
	 * server)"); nnotes of them. A batch of one gives them for a single
	 * request too. */
	char notes[CA_NOTES_MAX][CA_NOTE_SIZE];
	size_t nnotes;
};

void ca_batch_req_init(struct ca_batch_req *, const struct csr *);
void ca_batch_req_clear(struct ca_batch_req *);

/* Issues a certificate for each of n requests under profile p (days and
 * now as for ca_issue) as one group commit: every record is written, then
 * one sync of the database and one of the audit log cover them all before
 * any certificate is handed out (a batch of one is ca_issue's own sync).
 * A refused request is reported in its err and does not stop the others;
 * an I/O error, or a database that a failed write left unknown, stops the
 * batch there: the requests after it keep err.kind ERR_NONE and res.der
 * NULL (not tried). With outdir (not NULL), each certificate is then
 * written there as SERIAL.pem (PEM, 0644, never over an existing file),
 * into path; a write that fails is that request's err, though it stays
 * issued. Returns the number issued, or -1 with e when the commit failed:
 * then none of them counts as issued (every res.der is freed). Each
 * certificate issued is then given to its keystore (ca_attach: attached,
 * or a note why not). The CA must be open with CA_WRITE and unlocked. */
int ca_issue_batch(struct ca *, struct ca_batch_req *reqs, size_t n,
    const struct profile *p, long days, int64_t now, const char *outdir,
    struct err *e);

/* Checks a CA service URL: "http://HOST[:PORT]" with at most a final
 * "/", HOST a DNS name, an IPv4 address or an IPv6 one in brackets, PORT
 * 1 to 65535, at most CA_URL_MAX bytes of printable ASCII. ERR_USAGE, as
 * "URL 'X': only http:// is supported (...)"; a URL with a control
 * character is not repeated ("URL: byte 8 is 0x1b: ..."). */
int ca_check_url(const char *url, struct err *);

/* Sets (url) or clears (NULL) the service URL of a CA open with
 * CA_WRITE (the key need not be unlocked): checked by ca_check_url, its
 * final "/" dropped, written to ca/NAME/ca.yaml and audited ("set-url").
 * From then on what the CA signs (ca_issue, renewals, intermediate CAs)
 * carries authorityInfoAccess (OCSP URL/ocsp, CA Issuers URL/ca.cer) and
 * cRLDistributionPoints (URL/crl); its own certificate and what it signed
 * before stay as they are. */
int ca_set_url(struct ca *, const char *url, struct err *);
/* The service URL what the CA signs now carries, NULL when none; lives
 * as long as the ca or until the next ca_set_url. */
const char *ca_url(const struct ca *);

/* A reader of a certificate issued on this workspace needs no import
 * step: gives the certificate iss (issued by ca, recorded) to the
 * keystore of the workspace whose key it certifies, followed by the CA's
 * chain (the keystore's listing fields become its subject and notAfter).
 * A keystore takes it when its key is the certificate's (its spki_sha256,
 * or for one written before that was kept, the key of the certificate it
 * holds) and it holds no certificate yet or an older one for that key;
 * never a CA's own keystore. Returns how many keystores took it or would
 * have: 1, *name (the caller frees) names it; 0 (*name NULL), none; 2 or
 * more, none was given it (which one is meant cannot be told), *name
 * lists them ("a, b"). -1 with e when the keystores cannot be listed or
 * the one found cannot be written. */
int ca_attach(const struct ca *, const struct ca_issued *iss, char **name,
    struct err *);

/* The status word of a database entry at time now: "valid", "expired" or
 * "revoked". */
const char *ca_status(const struct cadb_cert *, int64_t now);

#endif
