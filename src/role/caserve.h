/* caserve.h — the CA as a network service (`ca serve`): EST enrollment
 * (RFC 7030), OCSP (RFC 6960), the CRL and the CA certificate over HTTP,
 * on our TLS and on plain HTTP, as the handler of net/httpsrv.h.
 *
 * Endpoints (TLS: only on HTTPS listeners; 403 on plain ones):
 *   GET  /.well-known/est/cacerts       TLS  200 application/pkcs7-mime,
 *        base64 of a certs-only SignedData of the CA chain
 *   POST /.well-known/est/simpleenroll  TLS  application/pkcs10, base64
 *        PKCS#10; HTTP Basic password: a token (role/enroll.h), the user
 *        name is recorded as who asked. 200 certs-only of the new
 *        certificate; 202 + Retry-After when queued; 401 +
 *        WWW-Authenticate for a token that cannot be used; 403 when the
 *        operator rejected it; 400 with the reason for a bad request
 *   POST /.well-known/est/simplereenroll TLS  the same body; the client
 *        authenticates with its current certificate (TLS client
 *        certificate, verified against the CA), the request's subject
 *        must be that certificate's; the new one keeps its subject and
 *        extensions (a renewal: the old one is recorded as superseded)
 *   POST /ocsp (application/ocsp-request), GET /ocsp/BASE64 (RFC 6960
 *        appendix A, percent-decoded): application/ocsp-response
 *   GET  /crl     application/pkix-crl, DER: crl.pem's, kept in memory
 *        until crl.pem is replaced (`ca revoke`, `ca crl`) or its
 *        nextUpdate; regenerated (and crl.pem written) when it is
 *        missing or past its nextUpdate
 *   GET  /ca.pem  application/x-pem-file;  GET /ca.cer  application/pkix-cert
 * Any other path 404; a wrong method 405 with Allow; a wrong Content-Type
 * 415; a body that is not base64 (or an OCSP path that is not) 400.
 *
 * The CA database lock: the service does not hold it while idle, so that
 * `ca revoke`, `ca approve` and the like work while it serves. It takes
 * it for each batch of issuances (and a CRL regeneration, a renewal)
 * only, keeping its database handle between them so that taking it again
 * reads only the records others appended meanwhile (cadb_relock). Once
 * attached to its loop (caserve_attach), enrollments that issue and
 * renewals are queued and taken in batches: one lock, and one record
 * in the batch journal (store/journal.h: every record the batch
 * appended to certs.yaml, enroll.yaml and audit.yaml, one write and one
 * fdatasync: the commit point) for all before any answer; the three
 * files are synced, and the journal emptied, every
 * CASERVE_JOURNAL_BATCHES batches and when the service stops. While another process holds the lock the batch is retried
 * every CASERVE_LOCK_RETRY ms on the loop (other requests are answered
 * meanwhile) and a request that waited CASERVE_LOCK_WAIT ms gets 503
 * with Retry-After. A new CRL, and everything when not attached, tries
 * the lock once (503 when busy). Status answers (OCSP) come from a
 * reader of the database that reads what was appended since.
 *
 * The CA key is decrypted once at start, kept in memory only (its limbs
 * mlocked where the limit allows, the process made non-dumpable) and
 * wiped by caserve_clear. The HTTPS listeners' certificate is issued by
 * the CA itself at start (profile server, CASERVE_TLS_DAYS, for
 * localhost, 127.0.0.1, ::1 and the extra names), recorded in the
 * database like any issuance; its key (P-256, or RSA-2048 with tls_rsa)
 * lives in memory only. */
#ifndef MP_ROLE_CASERVE_H
#define MP_ROLE_CASERVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "crypto/ecdsa256.h"
#include "crypto/rsakey.h"
#include "net/httpsrv.h"
#include "role/ca.h"
#include "role/enroll.h"
#include "store/cadb.h"
#include "store/journal.h"
#include "store/ws.h"
#include "tls/tls.h"
#include "util/buf.h"
#include "util/err.h"
#include "x509/cert.h"

#define CASERVE_TLS_DAYS 30		/* the service certificate's validity */
#define CASERVE_TLS_BITS 2048
#define CASERVE_LOCK_WAIT 2000		/* ms for the CA lock, then 503 */
#define CASERVE_LOCK_RETRY 20		/* ms between tries meanwhile */
#define CASERVE_BATCH_MAX 64		/* requests in one group commit */
/* Batches the journal holds before the three files are synced and it is
 * emptied (or this many bytes, whichever first): a foreign writer reads
 * it whole before its first append (journal_replay). */
#define CASERVE_JOURNAL_BATCHES 64
#define CASERVE_JOURNAL_BYTES (2UL * 1024 * 1024)
#define CASERVE_OCSP_VALIDITY 3600	/* s: nextUpdate - thisUpdate */
#define CASERVE_MAX_NAMES 16		/* --name */
#define CASERVE_FPR_LEN (7 + 64 + 1)	/* "SHA256:" hex NUL */
#define CASERVE_NOTE_MAX 240

struct loop;
struct httpsrv;
struct caserve_job;

struct caserve {
	const struct ws *ws;	/* borrowed */
	struct ca ca;		/* unlocked; ca.db open only while writing */
	struct enroll en;
	struct cadb rd;		/* reader for status answers */
	struct stat rd_st;	/* certs.yaml when rd was read */
	int rd_open;
	struct cert_list chain;	/* the CA's chain, its certificate first */
	struct buf cacerts;	/* base64 certs-only of chain */
	struct buf ca_pem;
	/* The service certificate's key: P-256 unless tls_rsa (`--tls-key
	 * rsa`: RSA-2048), whatever the CA's key. Every new TLS connection
	 * signs with it once, and an RSA-2048 signature costs as much as
	 * the issuance a short-lived client comes for; a P-256 one a tenth
	 * of it. Set tls_rsa before caserve_open. */
	int tls_rsa;
	struct pkey tls_key;
	struct cert_list tls_chain;	/* it, then the CA chain */
	struct tls_config tls;	/* for the HTTPS listeners */
	char tls_serial[CA_SERIAL_HEX];
	char fpr[CASERVE_FPR_LEN];	/* SHA256:hex of the CA certificate */
	int mlocked;
	int lock_wait;		/* ms a batched enrollment waits for the CA
				 * lock; CASERVE_LOCK_WAIT (tests lower it) */
	struct stat meta_st;	/* ca.yaml when its URL was read */
	int meta_known;
	/* GET /crl: crl.pem's CRL (DER) as last read, given again while
	 * crl.pem is the same file (a revocation by `ca revoke` or `ca crl`
	 * replaces it) and before its nextUpdate. */
	struct buf crl;
	struct stat crl_st;
	int64_t crl_next;	/* its nextUpdate, or INT64_MAX: none */
	int crl_known;
	/* caserve_attach: the loop and server answering later, a timer
	 * entry (LOOP_TIMER of timer_fd, a descriptor held for its number)
	 * and the requests waiting for the next batch. */
	struct loop *loop;
	struct httpsrv *srv;
	int timer_fd;
	struct caserve_job *jobs;
	size_t njobs, capjobs;
	/* The batch journal, held for the service's life (caserve_open
	 * replays what a crash left and empties it); not open: every batch
	 * syncs the three files itself, as before it existed. */
	struct journal wal;
	/* What caserve_open has to say about the journal (a replay, a torn
	 * tail ignored), lines for the log; empty: nothing. */
	struct buf start_note;
	/* What the last answer did ("issued serial S", "queued request
	 * ID") or why it refused, printable ASCII, never a secret: for the
	 * request's log line. The caller empties it once logged. */
	char note[CASERVE_NOTE_MAX];
};

void caserve_init(struct caserve *);
/* Syncs the three files and empties the journal (caserve_journal_settle),
 * wipes the keys (and unlocks their memory). */
void caserve_clear(struct caserve *);

/* Opens CA name, unlocks its key with pass, issues the service's TLS
 * certificate for localhost, 127.0.0.1, ::1 and names[0..nnames) (DNS
 * names or IP addresses), and prepares the answers. */
int caserve_open(struct caserve *, const struct ws *, const char *name,
    const void *pass, size_t passlen, const char *const *names,
    size_t nnames, int64_t now, struct err *);

/* Batches enrollments on l (see above): call after httpsrv_start(srv)
 * with this handler, and caserve_detach (or caserve_clear) before
 * httpsrv_stop. ERR_IO when no descriptor is left for the timer. */
int caserve_attach(struct caserve *, struct loop *l, struct httpsrv *srv,
    struct err *);
/* Drops the queue (its requests are not answered: httpsrv_stop closes
 * their connections) and the timer; answers at once from then on. */
void caserve_detach(struct caserve *);

/* The httpsrv handler; ctx is the struct caserve. */
enum httpsrv_verdict caserve_handle(void *ctx, const struct http_request *,
    const struct httpsrv_peer *, struct httpresp *out);

#endif
