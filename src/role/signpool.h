/* signpool.h — the signatures of a batch on every CPU: a pool of signer
 * threads that run "sign this encoded TBS with the CA key" jobs.
 *
 * What runs on several threads, and what does not (DESIGN.md, "Slow or
 * parallel work"):
 * - Only the signature: a job is an encoded TBSCertificate (made by the
 *   caller, in order, serial included) and the signer's key, read-only
 *   while the pool runs; a pool thread calls cert_sign_wrap_by on it, the
 *   same function that signs when there is no pool, so the algorithm (RSA
 *   PKCS#1, ECDSA P-256) is the signer's business, not the pool's. Nettle
 *   and GMP keep no state between calls (each signature has its own mpz
 *   temporaries; the key is only read), and randomness comes from
 *   getrandom(2), which is safe from any thread (crypto/rand.h:
 *   rand_threads_ok; the fuzzing build's deterministic generator is not,
 *   so it signs on the calling thread alone).
 * - The store's writer stays single and ordered: the thread that made the
 *   jobs takes their results in its own order and appends each record
 *   itself (cadb_append, audit), with one sync before anything is handed
 *   out. No pool thread touches a file, the database or a socket.
 * - The poll loop (the TUI's and `ca serve`'s) stays single-threaded:
 *   it is the caller, and it waits for a batch's signatures in
 *   signpool_wait as it waited for them when it signed them itself.
 *
 * Threads, not processes: the CA key lives in one (mlocked) copy that the
 * threads only read, with no copy sent over a pipe to a child and no
 * child to clean up; a job's result is a pointer handed back, not bytes
 * framed over a socket. The threads live for one batch (created by
 * signpool_new, joined by signpool_free: tens of microseconds against a
 * millisecond per signature), so a process never forks with signer
 * threads running and an idle service holds none. They block every
 * signal: signals stay with the loop's thread. */
#ifndef MP_ROLE_SIGNPOOL_H
#define MP_ROLE_SIGNPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "x509/cert.h"

#define SIGNPOOL_MAX 64		/* signer threads at most */

/* What signs a job: cert_sign_wrap_by's signature (tests pass another to
 * make one job fail). */
typedef int signpool_sign_fn(const uint8_t *body, size_t body_len,
    const struct cert_signer *, uint8_t **der, size_t *len, struct err *);

enum signpool_state {
	SIGNPOOL_IDLE,		/* not queued */
	SIGNPOOL_QUEUED,
	SIGNPOOL_BUSY,		/* a thread signs it */
	SIGNPOOL_DONE,
};

/* One signature. The caller owns the job; it must not move, nor body
 * change, from signpool_add until signpool_wait returned or the pool was
 * freed. */
struct signpool_job {
	const uint8_t *body;	/* the encoded TBS; the caller's */
	size_t body_len;
	/* After signpool_wait: rc 0 and der (the signed object, the
	 * caller's to free), or rc -1 and err. */
	int rc;
	uint8_t *der;
	size_t len;
	struct err err;
	enum signpool_state state;	/* the pool's, under its lock */
};

struct signpool;

/* The default number of signers: the CPUs this process may run on
 * (sched_getaffinity, so `taskset -c 0` gives one), at most SIGNPOOL_MAX;
 * 1 when the randomness source is not thread-safe (fuzzing builds). */
unsigned signpool_cpus(void);

/* A pool of nthreads threads (1 to SIGNPOOL_MAX) signing with signer
 * (borrowed, read-only until signpool_free) through fn (NULL:
 * cert_sign_wrap_by), for at most maxjobs jobs. Threads that cannot be
 * started are done without: signpool_wait signs what no thread took. */
struct signpool *signpool_new(const struct cert_signer *signer,
    unsigned nthreads, size_t maxjobs, signpool_sign_fn *fn);
/* How many threads run. */
unsigned signpool_threads(const struct signpool *);
/* Queues j (state IDLE); the first idle thread signs it. -1 when
 * maxjobs were queued already (j stays IDLE). */
int signpool_add(struct signpool *, struct signpool_job *j);
/* Returns when j is signed: by a thread, or by the caller here when no
 * thread has taken it yet (so a wait never idles while work is left). */
void signpool_wait(struct signpool *, struct signpool_job *j);
/* Stops the threads (a signature under way is finished; queued jobs are
 * left IDLE or QUEUED, unsigned) and frees the pool. NULL is a no-op. */
void signpool_free(struct signpool *);

#endif
