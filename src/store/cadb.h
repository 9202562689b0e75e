/* cadb.h — a CA's certificate database: ca/NAME/certs.yaml, append-only
 * YAML, one record per event (issue, revoke, supersede, crl), each with
 * its checksum; ca/NAME/ca.yaml, the authority's metadata. The formats,
 * the torn-tail rule and the two caches that keep opening and issuing
 * cheap (certs.snap, certs.idx) are in store/FORMATS.md.
 *
 * cadb_append writes a record with one write(2) on an O_APPEND descriptor
 * and fsyncs it before returning, so it costs the same however large the
 * file is, and a certificate handed out after it returns is on disk.
 * Opening reads the file through a fixed window, keeping in memory only
 * the fields of each record and where its certificate is (cadb_cert_der
 * reads it back), so memory does not grow with the certificates. Writers
 * hold the lock ca/NAME/lock; readers take none.
 *
 * The writer stays single: one process at a time holds the lock, and in
 * it one thread appends, so records go in the order they are acknowledged
 * and a serial is never handed out twice. Work on several cores runs
 * beside it in other processes (`server run --workers`, which never
 * writes here) or on a batch's signer threads (role/signpool.h), which
 * hand what they signed to this one writer, in request order, and never
 * append themselves. */
#ifndef MP_STORE_CADB_H
#define MP_STORE_CADB_H

#include <stddef.h>
#include <stdint.h>

#include "store/ws.h"
#include "util/buf.h"
#include "util/err.h"

#define CADB_SERIAL_MAX 64		/* hex digits */
#define CADB_TEXT_MAX 4096		/* subject, issuer */
#define CADB_CERT_MAX (64 * 1024)	/* certificate DER */
#define CADB_FILE_MAX (UINT64_C(1) << 40)	/* largest database read */

struct cadb_arena;
struct cadbidx;
struct journal;

enum cadb_status {
	CADB_VALID,
	CADB_REVOKED,
};

/* One issued certificate, with the effect of later events applied. */
struct cadb_cert {
	char *serial;		/* lower-case hex as recorded */
	char *subject;
	char *issuer;		/* "" when not recorded */
	char *profile;
	int64_t not_before, not_after, issued_at;	/* Unix seconds */
	enum cadb_status status;
	int64_t revoked_at;	/* when status is CADB_REVOKED */
	char *reason;		/* idem, else NULL */
	char *superseded_by;	/* serial of the renewal, else NULL */
	int64_t invalidity;	/* revoked: the key was unsafe since, 0: unknown */
	uint64_t cert_off;	/* where the base64 DER is in the file */
	size_t cert_len;
	unsigned long line;	/* of the record's "---" */
};

/* What the caller records for an issuance. */
struct cadb_issue {
	const char *serial;	/* hex, either case, 1..CADB_SERIAL_MAX digits */
	const char *subject;
	const char *issuer;	/* may be NULL */
	const char *profile;	/* [A-Za-z0-9_-]+ */
	int64_t not_before, not_after;
	const uint8_t *cert_der;
	size_t cert_len;
};

struct cadb {
	char *name;		/* the CA's name, NULL for cadb_parse */
	char *label;		/* "ca/NAME/certs.yaml" or cadb_parse's label */
	struct buf data;	/* cadb_parse: its copy of the input */
	uint64_t size;		/* bytes of valid records and header */
	struct cadb_cert *certs;	/* in issuance order */
	size_t ncerts, capcerts;
	size_t nevents;		/* records of every type */
	char **warnings;	/* one line each, for the caller to print */
	size_t nwarnings;
	/* The serial table (cadbserial.c; not certs.idx), private: */
	uint32_t *index;	/* open addressing: cert index + 1, 0 empty */
	uint32_t *index_tag;	/* more bits of each slot's hash */
	size_t index_cap;
	int fd;			/* certs.yaml, O_APPEND when writing */
	int lockfd;		/* -1 for readers */
	int idlefd;		/* ca/NAME/lock after cadb_unlock, unlocked
				 * but kept open for cadb_relock (private) */
	int broken;		/* a failed append left the file unknown */
	int defer_sync;		/* batches: appends skip fdatasync until
				 * cadb_sync (group commit) */
	struct journal *wal;	/* the CA service's batch journal: each
				 * append is also added to it (journal.h),
				 * which commits the batch; NULL: none */
	unsigned long next_line;	/* of the next record (private) */
	uint64_t crl_number;	/* of the last CRL generated, 0: none */
	int64_t crl_this_update, crl_next_update;
	uint64_t snap_covers;	/* bytes taken from certs.snap, 0: none */
	char *snap_path;	/* ca/NAME/certs.snap (private) */
	struct cadb_arena *arena;	/* the certificates' strings (private) */
	const char **strs;	/* interned issuers, profiles, reasons */
	size_t nstrs;
	int append_only;	/* CADB_APPEND took effect: certs holds only
				 * the records after certs.idx's COVERS */
	struct cadbidx *idx;	/* certs.idx then, else NULL (private) */
	char *idx_path;		/* ca/NAME/certs.idx (private) */
	int need_full;		/* the tail needs more than certs.idx tells
				 * (private) */
	char *dir;		/* ca/NAME/ (private) */
	int flags;		/* of cadb_open (private) */
};

#define CADB_PROFPOL_MAX 8	/* profiles with policies of their own */
#define CADB_PROFILE_MAX 32	/* bytes of a profile name */

/* The certificate policies one profile's certificates carry instead of
 * the CA's (`ca set-policy`); the store keeps the strings, role/caprofile.h
 * checks them where they are used, as the file can be edited. */
struct cadb_profpol {
	char *profile;		/* [a-z0-9_-]+, at most CADB_PROFILE_MAX */
	char *policies;		/* "OID[,OID]" */
	char *cps;		/* NULL: none */
};

/* The authority's metadata (ca/NAME/ca.yaml). */
struct cadb_meta {
	char *name;
	char *keystore;		/* the keystore holding the CA key */
	char *subject;		/* may be NULL */
	char *created;
	char *url;		/* the CA service's base URL; NULL: none (a
				 * file without the key); role/ca.h checks it */
	struct cadb_profpol pp[CADB_PROFPOL_MAX];
	size_t npp;
};

#define CADB_WRITE 0x1	/* cadb_open: lock, and allow appends */
#define CADB_APPEND 0x2	/* with CADB_WRITE: for issuing only (see above) */

void cadb_init(struct cadb *);
/* Closes the file and releases the lock. */
void cadb_clear(struct cadb *);

/* Creates ca/NAME/ with ca.yaml (keystore, subject) and an empty
 * certs.yaml. An existing CA is ERR_REFUSED "CA 'NAME' already exists". */
int cadb_create(const struct ws *, const char *name, const char *keystore,
    const char *subject, struct err *);
/* Loads ca/NAME/certs.yaml. With CADB_WRITE, takes the lock first: held
 * by another process it is ERR_LOCKED "CA 'NAME' is locked by another
 * process (pid N)". A missing CA is ERR_USAGE "no CA 'NAME'". A writer
 * then writes again what the batch journal holds and a crash took from
 * certs.yaml (journal_replay; a warning and a "journal-replay" audit
 * record say so).
 *
 * CADB_APPEND (with CADB_WRITE) opens for cadb_append and cadb_has_serial
 * only, in a time that does not grow with the certificates: when
 * certs.idx can be used, certs holds only the certificates after its
 * COVERS (append_only is set) and cadb_find, the list of certificates and
 * the other writes (refused: ERR_USAGE) are not to be used. When it
 * cannot, this is the full open (append_only unset), which then writes a
 * certs.idx for the next one. */
int cadb_open(struct cadb *, const struct ws *, const char *name, int flags,
    struct err *);
/* Lets a CADB_WRITE handle's lock go (flock LOCK_UN; the lock file's
 * descriptor is kept for cadb_relock) but keeps the handle: its state,
 * and certs.yaml open, so that cadb_relock reads only what other
 * processes appended meanwhile. Appends are refused until then. The
 * caller has synced what it deferred (cadb_sync). */
void cadb_unlock(struct cadb *);
/* Takes the lock of a handle cadb_unlock let go again (ERR_LOCKED as
 * cadb_open: the handle is kept, to try again) and brings its state up to
 * date by reading the records appended since, cutting a torn tail. When
 * that cannot be done (certs.yaml replaced or cut, a record after
 * certs.idx's COVERS needing more than it tells, an append handle's
 * records beyond COVERS grown to cadbsnap_min bytes: then certs.idx is
 * written again) it is cadb_open again, with its errors; a handle that
 * failed so is closed. The time does not grow with the database. */
int cadb_relock(struct cadb *, struct err *);
/* A reader's cadb_relock: reads the records appended since cadb_open or
 * the last refresh (a writer's record being written counts as torn and is
 * read next time); cadb_open again when that cannot be done. Replaces
 * the warnings. */
int cadb_refresh(struct cadb *, struct err *);
/* Parses a database held in memory (copied); label names it in messages.
 * The entry point for tests and fuzzing. */
int cadb_parse(struct cadb *, const void *data, size_t len,
    const char *label, struct err *);

/* Re-reads certs.yaml up to db->size (records a writer appended since
 * the open are left to the next one), verifying every record as if there
 * were no snapshot, and replaces db's state with the result (a state that
 * differed from the snapshot's is a warning, and the snapshot is removed).
 * For ca check. */
int cadb_verify(struct cadb *, struct err *);
/* Whether serial (hex, either case, leading zeros ignored) is recorded.
 * After an append open, "maybe" counts as yes (see store/cadbidx.h). */
int cadb_has_serial(const struct cadb *, const char *serial);
/* The certificate with serial, or NULL; not after an append open. */
const struct cadb_cert *cadb_find(const struct cadb *, const char *serial);
/* Appends an issuance and fsyncs it. A serial already recorded is
 * ERR_REFUSED; the database must be open with CADB_WRITE. A failed write
 * takes the partial record back out; a failed fdatasync is ERR_IO with the
 * record left in the file, and db appends no more (open it again). */
int cadb_append(struct cadb *, const struct cadb_issue *, struct err *);
/* With defer_sync set, appends are written but not yet synced: a batch
 * calls cadb_sync once before handing out any of its certificates, so one
 * fdatasync covers them all. A failure marks the database broken. */
int cadb_sync(struct cadb *, struct err *);
/* Appends a revocation of serial (reason as in RFC 5280, e.g.
 * "keyCompromise", or "unspecified"). A revoked serial is refused
 * (ERR_REFUSED "serial S is already revoked") unless it is on
 * certificateHold: then another reason makes it final and removeFromCRL
 * lifts the hold (refused for a serial not on hold). */
int cadb_revoke(struct cadb *, const char *serial, int64_t when,
    const char *reason, struct err *);
/* The same with an invalidity date (RFC 5280 5.3.2: since when the key
 * is known or suspected unsafe; 0: none), recorded as "invalidity". */
int cadb_revoke_invalid(struct cadb *, const char *serial, int64_t when,
    const char *reason, int64_t invalidity, struct err *);
/* Records that serial was renewed as serial by (type: supersede). */
int cadb_supersede(struct cadb *, const char *serial, const char *by,
    struct err *);
/* Records a CRL generated with number (type: crl, number, this_update,
 * next_update); number must exceed crl_number. */
int cadb_crl_record(struct cadb *, uint64_t number, int64_t this_update,
    int64_t next_update, struct err *);
/* Decodes a certificate's DER into out (appended). */
int cadb_cert_der(const struct cadb *, const struct cadb_cert *,
    struct buf *out, struct err *);

void cadb_meta_init(struct cadb_meta *);
void cadb_meta_clear(struct cadb_meta *);
/* Rewrites ca/NAME/ca.yaml whole (file_write: a reader sees the old or
 * the new file) with m's fields; the caller holds the CA's lock. */
int cadb_meta_save(const struct ws *, const char *name,
    const struct cadb_meta *, struct err *);
int cadb_meta_load(const struct ws *, const char *name, struct cadb_meta *,
    struct err *);
/* Whether s may name a profile in profile_policies. */
int cadb_profile_name_ok(const char *s);
/* What cadb_meta_load does with the file's bytes (label names it in
 * messages: "ca/NAME/ca.yaml: line N: ..."); for it and for fuzzing. */
int cadb_meta_parse(const void *data, size_t len, const char *label,
    struct cadb_meta *, struct err *);

#endif
