/* caservepriv.h — what the CA service's files share (caserve.c,
 * caserve-est.c, caserve-ocsp.c); not for other callers. */
#ifndef MP_ROLE_CASERVEPRIV_H
#define MP_ROLE_CASERVEPRIV_H

#include "role/caserve.h"

#define CASERVE_REALM "Basic realm=\"minipki-tui CA\""

/* An endpoint: answers req into out (its body in peer->body). */
typedef enum httpsrv_verdict caserve_fn(struct caserve *,
    const struct http_request *, const struct httpsrv_peer *,
    struct httpresp *);

caserve_fn caserve_est_cacerts, caserve_est_enroll, caserve_est_reenroll,
    caserve_ocsp_post, caserve_ocsp_get;

/* The answer to an enroll_submit that returned rc with res or e (token:
 * one was sent): 200 certs-only, 202 + Retry-After, 403 rejected or
 * expired, or the refusal (caserve_refusal). */
enum httpsrv_verdict caserve_est_answer(struct caserve *,
    const struct httpsrv_peer *, struct httpresp *, int rc,
    const struct enroll_result *, const struct err *, int token);
/* The answer to a renewal of serial that returned rc with res or e:
 * 200 certs-only, 403 for a certificate that is not this CA's, or the
 * refusal (caserve_refusal). */
enum httpsrv_verdict caserve_est_renewed(struct caserve *,
    const struct httpsrv_peer *, struct httpresp *, int rc,
    const char *serial, const struct ca_issued *res, const struct err *e);

/* A serial as hex, NUL included, as the renewal takes it. */
#define CASERVE_SERIAL_LEN (CA_SERIAL_HEX * 2)

/* Queues rq (its strings copied; csr, rq's request, taken over and left
 * empty) for the next batch and answers HTTPSRV_PENDING (the service is
 * attached to a loop: caserve_attach). */
enum httpsrv_verdict caserve_batch_add(struct caserve *, struct csr *csr,
    const struct enroll_req *rq, const struct httpsrv_peer *);
/* The same for a renewal of serial with csr (simplereenroll): renewals
 * that arrive together share the batch's lock and syncs with the
 * enrollments. A serial too long is answered in out at once. */
enum httpsrv_verdict caserve_batch_renew(struct caserve *, struct csr *csr,
    const char *serial, const struct httpsrv_peer *, struct httpresp *out);

/* Takes the CA lock for one operation: ca.db opened for writing (full:
 * for lookups by serial, else append only; an issuing handle is kept
 * between operations and reads only what others appended). One try:
 * ERR_LOCKED at once when another process holds it (the batch retries
 * on the loop, never sleeping). caserve_unlock_db lets it go. */
int caserve_lock(struct caserve *, int full, struct err *);
void caserve_unlock_db(struct caserve *);
/* Syncs certs.yaml (ca.db when open, else by its path), enroll.yaml and
 * audit.yaml, then empties the batch journal: what it held is on disk in
 * the files. */
int caserve_journal_settle(struct caserve *, struct err *);
/* Test hook: MINIPKI_TEST_CRASH=STEP kills the process (SIGKILL) when
 * the batch reaches STEP (apply: every record of the batch appended, the
 * journal not written; commit: the journal synced, nothing answered;
 * settle: the files synced, the journal not emptied). */
void caserve_crash_at(const char *step);
/* s->rd, read again when certs.yaml changed since it was. */
int caserve_reader(struct caserve *, struct err *);

/* Whether two stats are of the same file as it was: inode, size and
 * mtime (a file replaced by rename has another inode). */
int caserve_same_file(const struct stat *, const struct stat *);

/* Sets s->note (cut, bytes outside 0x20..0x7e as '?'). */
void caserve_note(struct caserve *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Answers status with "MESSAGE\n" as text/plain. */
enum httpsrv_verdict caserve_text(const struct httpsrv_peer *,
    struct httpresp *, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Frees the OCSP answers kept for s (caserve-ocsp.c). */
void caserve_ocsp_forget(const struct caserve *);
/* Answers 200 with data (copied into peer->body unless it is there). */
enum httpsrv_verdict caserve_blob(const struct httpsrv_peer *,
    struct httpresp *, const char *type, const void *data, size_t len);
/* Whether the request's Content-Type is type (parameters and case
 * ignored). */
int caserve_ctype(const struct http_request *, const char *type);
/* A refusal (of enroll_submit, of the lock, of the CA) as the status it
 * deserves: 503 busy, 401 for a token that cannot be used (token: one was
 * sent), 503 for a full queue, 400 for a refused or malformed request,
 * else 500 (the reason is not shown). */
enum httpsrv_verdict caserve_refusal(const struct httpsrv_peer *,
    struct httpresp *, const struct err *, int token);

#endif
