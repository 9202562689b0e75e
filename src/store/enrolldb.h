/* enrolldb.h — a CA's enrollment tokens and approval queue,
 * ca/NAME/enroll.yaml: append-only YAML, one record per event (a token
 * made, used, revoked; a request queued, approved, rejected), each with
 * its checksum, under the torn-tail rule of certs.yaml. The format is in
 * store/FORMATS.md.
 *
 * The store keeps no secret: a token is recorded as the SHA-256 of its
 * text. It applies no policy either (role/enroll.c decides who may
 * enroll); it refuses only what would make the file contradict itself (a
 * use of an unknown token, a decision on a request already decided).
 *
 * Writers hold ca/NAME/enroll.lock (flock, waited for up to
 * ENROLLDB_LOCK_WAIT ms), separate from the CA database's lock, so that
 * `ca token new` works while the service holds the CA open. Every check
 * that precedes an append is made under it, against the state read under
 * it: that is what makes check-and-use atomic between processes. Readers
 * take no lock. */
#ifndef MP_STORE_ENROLLDB_H
#define MP_STORE_ENROLLDB_H

#include <stddef.h>
#include <stdint.h>

#include "store/ws.h"
#include "util/buf.h"
#include "util/err.h"

#define ENROLLDB_ID_LEN 8		/* hex digits of a token or request id */
#define ENROLLDB_PROFILE_MAX 32
#define ENROLLDB_TEXT_MAX 4096		/* subject, name, peer, match, reason */
#define ENROLLDB_DER_MAX (64 * 1024)	/* a request or certificate */
#define ENROLLDB_USES_MAX 1000000
#define ENROLLDB_FILE_MAX (64UL * 1024 * 1024)	/* largest file read */
#define ENROLLDB_LOCK_WAIT 5000		/* ms */
/* A request recorded without "expires" (before requests expired)
 * expires this long after it was queued. */
#define ENROLLDB_REQ_TTL (7L * 86400)

struct enrolldb_token {
	char id[ENROLLDB_ID_LEN + 1];
	uint8_t hash[32];	/* SHA-256 of the token's text */
	char profile[ENROLLDB_PROFILE_MAX + 1];
	char *match;		/* regular expression, NULL: any subject */
	unsigned long uses;	/* allowed */
	unsigned long used;	/* use records so far */
	int64_t created, expires;
	int revoked;
	int64_t revoked_at;
};

/* A request's life: queued (PENDING), then the operator's decision
 * (APPROVED or REJECTED), then for an approved one the certificate that
 * the CA's holder issues at the requester's next poll (ISSUED). The
 * decision needs no CA lock: a running service holds it. */
enum enrolldb_state {
	ENROLLDB_PENDING,
	ENROLLDB_APPROVED,	/* decided; no certificate yet */
	ENROLLDB_ISSUED,
	ENROLLDB_REJECTED,
};

struct enrolldb_req {
	char id[ENROLLDB_ID_LEN + 1];
	int64_t time;		/* queued */
	int64_t expires;	/* undecided until then, it lapses (role/enroll.h) */
	char profile[ENROLLDB_PROFILE_MAX + 1];
	char *subject;		/* one-line form */
	char *name;		/* who asked (HTTP user, TLS subject), or NULL */
	char *peer;		/* where from ("unix", "127.0.0.1:5123"), or NULL */
	char *why;		/* why it waits: "no token", ... */
	uint8_t key[32];	/* SHA-256 of the request's SubjectPublicKeyInfo:
				 * a poll is the same request sent again */
	uint8_t *csr;		/* DER */
	size_t csr_len;
	enum enrolldb_state state;
	int64_t decided;	/* approved or rejected at */
	char approved_profile[ENROLLDB_PROFILE_MAX + 1];	/* approved and
				 * issued: the profile to issue under */
	int64_t issued;		/* issued at */
	int64_t issuing;	/* approved: an issuance began then (its
				 * "issuing" record), 0: none yet */
	char *serial;		/* issued: the certificate's, lower-case hex */
	uint8_t *cert;		/* issued: its DER */
	size_t cert_len;
	char *reason;		/* rejected: the operator's words */
};

struct journal;

struct enrolldb {
	char *path, *lockpath;	/* NULL for enrolldb_parse */
	char *dir, *ca;		/* ca/NAME/ and NAME; idem */
	char *label;		/* "ca/NAME/enroll.yaml" in messages */
	struct enrolldb_token *tokens;	/* in creation order */
	size_t ntokens, captokens;
	struct enrolldb_req *reqs;	/* in queueing order */
	size_t nreqs, capreqs, npending;
	/* Where reading stopped: the end of the last whole record. A
	 * refresh reads only what follows, when the file is the same. */
	uint64_t size, inode;
	unsigned long line;	/* of the next record */
	size_t nrecs;
	uint64_t torn;		/* bytes of an incomplete last record seen */
	int fd;			/* enroll.yaml, O_APPEND, while locked */
	int lockfd;
	int idlelock;		/* nowait: enroll.lock after enrolldb_unlock,
				 * unlocked but kept open (private) */
	int defer_sync;		/* batches: appends skip fdatasync until
				 * enrolldb_sync (group commit) */
	struct journal *wal;	/* the CA service's batch journal: each
				 * append is also added to it (journal.h);
				 * NULL: none */
	int nowait;		/* a service on a poll loop: the lock is
				 * tried once, never waited for (its timer
				 * tries again) */
};

/* The new records; strings may be NULL where the field is optional. */
struct enrolldb_token_rec {
	const char *id, *profile, *match;
	const uint8_t *hash;	/* 32 bytes */
	unsigned long uses;
	int64_t created, expires;
};

struct enrolldb_req_rec {
	const char *id, *profile, *subject, *name, *peer, *why;
	int64_t time;
	int64_t expires;	/* 0: time + ENROLLDB_REQ_TTL */
	const uint8_t *key;	/* 32 bytes */
	const uint8_t *csr;
	size_t csr_len;
};

void enrolldb_init(struct enrolldb *);
void enrolldb_clear(struct enrolldb *);

/* Reads ca/CA/enroll.yaml (a missing file is an empty store). A missing
 * CA is ERR_USAGE "no CA 'NAME'". Damage is ERR_INPUT naming the line and
 * the record: "ca/NAME/enroll.yaml: line 12: record 2: use of unknown
 * token 0a1b2c3d"; an incomplete last record is skipped (db->torn). */
int enrolldb_open(struct enrolldb *, const struct ws *, const char *ca,
    struct err *);
/* Reads what was appended since (the whole file again when it was
 * replaced or cut). */
int enrolldb_refresh(struct enrolldb *, struct err *);
/* Parses a store held in memory; label names it in messages. For tests
 * and fuzzing. */
int enrolldb_parse(struct enrolldb *, const void *data, size_t len,
    const char *label, struct err *);

/* Takes the writers' lock, waiting up to ENROLLDB_LOCK_WAIT ms (with
 * nowait set, not at all) (then
 * ERR_LOCKED "the enrollment store of CA 'NAME' is busy (pid N)"), writes
 * again what the batch journal holds and a crash took from the file
 * (journal_replay; audited "journal-replay"), brings the state up to
 * date and cuts off a torn tail (kept in enroll.yaml.torn). */
int enrolldb_lock(struct enrolldb *, struct err *);
/* Lets the lock go; with nowait (a service) the lock file's descriptor
 * is kept for the next enrolldb_lock. */
void enrolldb_unlock(struct enrolldb *);

/* With defer_sync set, appends are written but not synced: a batch
 * calls this once, db still locked, before acting on any of them. */
int enrolldb_sync(struct enrolldb *, struct err *);

/* Appends one record and fdatasyncs it (see defer_sync); db must be
 * locked. The record is
 * in db's state when this returns 0. A failed write takes the partial
 * record back out. */
int enrolldb_add_token(struct enrolldb *, const struct enrolldb_token_rec *,
    struct err *);
int enrolldb_use(struct enrolldb *, const char *id, int64_t when,
    const char *subject, struct err *);
int enrolldb_revoke(struct enrolldb *, const char *id, int64_t when,
    struct err *);
int enrolldb_add_req(struct enrolldb *, const struct enrolldb_req_rec *,
    struct err *);
/* The operator's decision: the request is to be issued under profile. */
int enrolldb_approve(struct enrolldb *, const char *id, int64_t when,
    const char *profile, struct err *);
/* Before the certificate of an approved request is made: so that, if the
 * process dies before its issue record, the next one looks for that
 * certificate in the CA database instead of issuing a second. */
int enrolldb_issuing(struct enrolldb *, const char *id, int64_t when,
    struct err *);
/* The certificate of an approved request, once issued. */
int enrolldb_issue(struct enrolldb *, const char *id, int64_t when,
    const char *serial, const uint8_t *cert, size_t cert_len, struct err *);
int enrolldb_reject(struct enrolldb *, const char *id, int64_t when,
    const char *reason, struct err *);

/* Rewrites the file (db locked) with the records of the tokens and
 * requests keep_token / keep_req say yes to, copied as they are, through
 * file_write (a reader sees the old file or the new one whole; it reads
 * the new one again from its start, its inode having changed), and reads
 * it back. What is dropped stays in the audit log. */
int enrolldb_compact(struct enrolldb *,
    int (*keep_token)(const struct enrolldb_token *, void *),
    int (*keep_req)(const struct enrolldb_req *, void *), void *ctx,
    struct err *);

/* Lookups in the state as last read; NULL when absent. */
struct enrolldb_token *enrolldb_token(const struct enrolldb *,
    const char *id);
struct enrolldb_req *enrolldb_req(const struct enrolldb *, const char *id);
struct enrolldb_req *enrolldb_req_by_key(const struct enrolldb *,
    const uint8_t key[32]);

#endif
