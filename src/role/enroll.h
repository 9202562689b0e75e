/* enroll.h — who may enroll with a CA (EST, RFC 7030 §3.2.3): one-time
 * tokens, and the approval queue for requests that come without one.
 *
 * The rules behind `ca token new/list/revoke`, `ca pending`, `ca approve`,
 * `ca reject` and the service's enroll/poll; nothing here prints or does
 * network I/O. The records are in ca/NAME/enroll.yaml (store/enrolldb.h);
 * every token made, used, refused or revoked and every request queued,
 * approved, issued or rejected is also an audit record (store/audit.h).
 *
 * The operator's decision and the issuance are two records: `ca approve`
 * needs the enrollment store's lock only, never the CA's (which a running
 * service holds) nor its key; the process that holds the CA issues an
 * approved request when its requester polls (enroll_submit).
 *
 * A token is 160 random bits as 40 hex digits, shown once to its maker;
 * the store keeps its SHA-256 only. An unsalted fast hash is enough
 * because the secret is not a password: 2^160 guesses are out of reach
 * whatever the hash costs, and a salt defends against precomputed tables
 * for guessable secrets, which this is not. A leaked enroll.yaml gives no
 * usable token. */
#ifndef MP_ROLE_ENROLL_H
#define MP_ROLE_ENROLL_H

#include <stddef.h>
#include <stdint.h>

#include "role/ca.h"
#include "store/enrolldb.h"
#include "store/ws.h"
#include "util/buf.h"
#include "util/err.h"
#include "x509/csr.h"

#define ENROLL_TOKEN_BYTES 20
#define ENROLL_TOKEN_LEN (2 * ENROLL_TOKEN_BYTES)	/* hex digits */
#define ENROLL_TOKEN_INPUT_MAX 256	/* longest token text looked at */
#define ENROLL_MATCH_MAX 256		/* subject-match expression */
#define ENROLL_TTL_DEFAULT 86400	/* seconds: a day */
#define ENROLL_TTL_MAX (366L * 86400)
#define ENROLL_TOKENS_MAX 1000		/* tokens still usable at once */
#define ENROLL_PENDING_MAX 1000		/* requests waiting at once */
#define ENROLL_CSR_MAX 16384		/* bytes of a queued request */
#define ENROLL_REASON_MAX 1024
#define ENROLL_RETRY_AFTER 60		/* seconds, for a 202's Retry-After */
/* A request the operator has not decided within this lapses: its poll is
 * refused, `ca pending` no longer lists it (--all marks it expired), it
 * can no longer be approved, and it stops counting against
 * ENROLL_PENDING_MAX. `ca serve --pending-ttl` sets another. */
#define ENROLL_PENDING_TTL ENROLLDB_REQ_TTL	/* seconds: 7 days */
#define ENROLL_PENDING_TTL_MAX (366L * 86400)
#define ENROLL_DEFAULT_PROFILE "client"
/* enroll.yaml is compacted when a writer finds it over ENROLL_COMPACT_AT
 * bytes and more than twice what it would keep: the usable tokens, the
 * pending requests and those decided less than ENROLL_KEEP_DECIDED ago
 * (their requester may still poll). */
#define ENROLL_COMPACT_AT (8L * 1024 * 1024)
#define ENROLL_KEEP_DECIDED (30L * 86400)

struct enroll {
	const struct ws *ws;	/* borrowed; outlives the enroll */
	char *ca;
	struct enrolldb db;	/* the state as last read; list from it */
	int batch;		/* enroll_batch_begin: locked, syncs deferred */
	int journaled;		/* the CA service's batch journal commits the
				 * batch (store/journal.h): enroll_batch_end
				 * syncs neither file */
	int64_t pending_ttl;	/* s a request queued now waits at most; 0:
				 * ENROLL_PENDING_TTL */
};

/* What `ca token new` asks for. */
struct enroll_token_opts {
	const char *profile;	/* NULL: ENROLL_DEFAULT_PROFILE */
	const char *match;	/* POSIX extended RE the whole subject must
				 * match ("CN=alice, O=Lab"), NULL: any */
	unsigned long uses;	/* 0: 1 */
	int64_t ttl;		/* seconds, 0: ENROLL_TTL_DEFAULT */
};

/* A token's state at a time, for listings. */
enum enroll_token_state {
	ENROLL_TOKEN_ACTIVE,
	ENROLL_TOKEN_USED,	/* all its uses spent */
	ENROLL_TOKEN_EXPIRED,
	ENROLL_TOKEN_REVOKED,
};

/* A request as the service got it. */
struct enroll_req {
	const struct csr *csr;	/* parsed; its DER is csr->der */
	const char *token;	/* the HTTP Basic password, NULL: none */
	const char *name;	/* who asks (HTTP user, TLS subject), or NULL */
	const char *peer;	/* where from, or NULL */
	const char *profile;	/* without a covering token, NULL: default */
};

enum enroll_verdict {
	ENROLL_ISSUED,		/* cert holds the certificate */
	ENROLL_PENDING,		/* queued as id: answer 202, poll later */
	ENROLL_REJECTED,	/* the operator refused it: reason */
	ENROLL_EXPIRED,		/* not decided in time (ENROLL_PENDING_TTL):
				 * reason says since when */
};

struct enroll_result {
	enum enroll_verdict verdict;
	char id[ENROLLDB_ID_LEN + 1];	/* the queued request's, or "" */
	char token_id[ENROLLDB_ID_LEN + 1];	/* the token used, or "" */
	struct ca_issued cert;	/* ISSUED; answered from the queue (an
				 * approved request polled), only der, len,
				 * serial and subject are set */
	char *reason;		/* PENDING: why it waits; REJECTED: the
				 * operator's words (owned) */
	char *attached;		/* issued now: the keystore of this
				 * workspace given the certificate
				 * (ca_attach), or NULL (owned) */
};

void enroll_init(struct enroll *);
void enroll_clear(struct enroll *);
void enroll_result_init(struct enroll_result *);
void enroll_result_clear(struct enroll_result *);

/* Opens CA NAME's tokens and queue (read; writers lock per operation). */
int enroll_open(struct enroll *, const struct ws *, const char *ca,
    struct err *);
/* Reads what other processes appended since (before a listing). */
int enroll_refresh(struct enroll *, struct err *);

/* A group commit (the service's batch of requests): takes the store's
 * lock once and defers the fdatasync of every record and audit record
 * written until enroll_batch_end, which syncs enroll.yaml and audit.yaml
 * and lets the lock go. Nothing decided in the batch may be acted on (a
 * certificate handed out) before enroll_batch_end returned 0; -1 means
 * none of it may (what was written stays, as after a crash). The CA's
 * own records are synced by the caller (cadb_sync). */
int enroll_batch_begin(struct enroll *, int64_t now, struct err *);
int enroll_batch_end(struct enroll *, struct err *);

/* Makes a token; token gets its text (once: only its hash is kept) and id
 * its id. ERR_USAGE for a bad option: "unknown profile 'x': use server,
 * client, ca", "a token cannot grant profile ca", "subject match: ...",
 * "uses: N: use 1 to 1000000", "ttl: N s: use 1 s to 366 days"; ERR_REFUSED
 * "1000 tokens are usable already: revoke some first". */
int enroll_token_new(struct enroll *, const struct enroll_token_opts *,
    int64_t now, char token[ENROLL_TOKEN_LEN + 1],
    char id[ENROLLDB_ID_LEN + 1], struct err *);
/* ERR_USAGE "no token 'ID'", ERR_REFUSED "token ID is revoked already". */
int enroll_token_revoke(struct enroll *, const char *id, int64_t now,
    struct err *);
enum enroll_token_state enroll_token_state(const struct enrolldb_token *,
    int64_t now);
const char *enroll_token_state_name(enum enroll_token_state);
/* One listing line, no secret: "ID PROFILE STATE USED/USES expires TIME"
 * and " match \"RE\"" when it has one. */
void enroll_token_line(const struct enrolldb_token *, int64_t now,
    struct buf *out);

/* Checks token against subject and spends one use, atomically (between
 * processes too). Returns 1 and the token (a copy) when it was used, 0
 * when it is good but does not cover subject (nothing spent), -1 with
 * ERR_REFUSED when it cannot be used: "unknown token", "token ID has been
 * revoked", "token ID expired at TIME", "token ID has been used (N of N
 * uses)". */
int enroll_token_use(struct enroll *, const char *token, const char *subject,
    int64_t now, struct enrolldb_token *used, struct err *);

/* The service's enroll and poll in one: a request whose key is queued
 * already (the same request sent again, EST §4.2.3) gets its state, and
 * an approved one its certificate, issued now through ca (its database
 * open for writing, its key unlocked) when it has none yet: exactly once,
 * under the store's lock, its serial recorded (without such a ca it stays
 * PENDING, "approved: waiting for the CA service to issue it"; see
 * enroll_to_issue); else a token that covers it
 * issues at once through ca under the token's profile; else it is queued
 * (PENDING, with why it waits). ERR_REFUSED for a request that fails
 * ca_check_request, is larger than ENROLL_CSR_MAX, carries a token that
 * cannot be used (see enroll_token_use), or finds the queue full ("the
 * approval queue is full (1000 requests pending)"). res is initialised by
 * the caller. */
int enroll_submit(struct enroll *, struct ca *, const struct enroll_req *,
    int64_t now, struct enroll_result *res, struct err *);
/* In a batch (enroll_batch_begin) whose ca signs ahead (capresign_begin):
 * when enroll_submit would issue csr at once with token (a usable token
 * that covers it, no request of its key queued), queues its certificate
 * on ca's signers (capresign_add) under the token's profile, so that
 * enroll_submit(..., now, ...) in the same batch finds it signed. Changes
 * nothing in the store; a request it cannot tell about is signed by
 * enroll_submit itself. */
void enroll_presign(struct enroll *, struct ca *, const struct csr *csr,
    const char *token, int64_t now);
/* 1 when the queued request with csr's key is approved and has no
 * certificate yet, so that enroll_submit would issue it (0 otherwise,
 * -1 when the store cannot be read): a service that takes the CA's lock
 * per issuance takes it then. */
int enroll_to_issue(struct enroll *, const struct csr *, struct err *);
/* The state of the queued request with csr's key, without queueing or
 * issuing anything (an approved request without its certificate yet is
 * PENDING): ERR_USAGE "no request for this key is queued" when there is
 * none. */
int enroll_poll(struct enroll *, const struct csr *, struct enroll_result *,
    struct err *);

/* Records the operator's approval of the pending request id under
 * profile p (NULL: the request's). It takes the store's lock only, not
 * the CA's: the certificate is issued by whoever holds the CA (the
 * service) when the requester polls again (enroll_submit). ERR_USAGE "no
 * request 'ID'"; ERR_REFUSED "request ID is approved already", "request
 * ID is approved already (serial S)" or "request ID was rejected:
 * REASON". */
int enroll_approve(struct enroll *, const char *id, const struct profile *p,
    int64_t now, struct err *);
/* Records the refusal of the pending request id with reason (NULL: "refused
 * by the CA operator"); the same errors as enroll_approve, and ERR_USAGE
 * for a reason longer than ENROLL_REASON_MAX or with a control character. */
int enroll_reject(struct enroll *, const char *id, const char *reason,
    int64_t now, struct err *);
/* Compacts enroll.yaml now (see ENROLL_COMPACT_AT for what it keeps);
 * writers do it by themselves when it has grown. */
int enroll_compact(struct enroll *, int64_t now, struct err *);
struct cadb;

/* `ca check` of CA's enroll.yaml against db, its database read in full
 * (verified): the file reads whole (every checksum and structure, and
 * the reader's refusals: "ca/NAME/enroll.yaml: line 20: record 3: ..."),
 * every issued request's serial is in db ("ca/NAME/enroll.yaml: request
 * ID: serial S is not in the CA database") with the very certificate
 * recorded ("... the certificate recorded for serial S is not the CA
 * database's"), certifying the request's key ("... the certificate of
 * serial S is not for the request's key"). A torn last record and an
 * issuance interrupted before its issue record are notes; with repair
 * the torn record is cut (kept in enroll.yaml.torn). What passed is one
 * line. Lines go to add (note: 1 for a note); -1 with ERR_INPUT for the
 * first problem. A CA without enroll.yaml passes with no line. */
int enroll_check(const struct ws *, const char *ca, const struct cadb *db,
    int repair, int64_t now, void (*add)(void *ctx, int note,
    const char *line), void *ctx, struct err *);

/* Whether r lapsed undecided by now (see ENROLL_PENDING_TTL). */
int enroll_req_expired(const struct enrolldb_req *r, int64_t now);
/* enroll_req_line as of now: a lapsed request's STATE is "expired"
 * followed by " since TIME". (enroll_req_line and enroll_poll tell the
 * state as recorded, without a time: a lapsed request as pending.) */
void enroll_req_line_at(const struct enrolldb_req *, int64_t now,
    struct buf *out);
/* One listing line, ID first: "ID TIME PROFILE \"SUBJECT\" STATE" then
 * " from \"NAME\"", " at \"PEER\"" when known and " (WHY)" for a pending
 * one, " as PROFILE" for an approved one, " serial S" for an issued one or
 * " reason \"R\"" for a rejected one. */
void enroll_req_line(const struct enrolldb_req *, struct buf *out);

#endif
