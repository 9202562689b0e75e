/* signpool.h — the signatures of a CA's batches on every CPU: a pool of
 * signer threads, started once and fed one batch after another, that run
 * "sign this encoded TBS with this key" jobs.
 *
 * DESIGN: what runs on several threads, and what stays single-threaded
 * (DESIGN.md, "Slow or parallel work"):
 * - Only the signatures and the Certificate's DER around them: a job is an
 *   encoded TBSCertificate (made by the caller, in order, serial
 *   included) and the signer's key, read-only while the job is queued; a
 *   pool thread calls cert_sign_wrap_by on it (hash, sign, wrap), the
 *   same function that signs when there is no pool, so the algorithm (RSA
 *   PKCS#1, ECDSA P-256) is the signer's business, not the pool's; before
 *   it, optionally, a read-only check (the request's own signature). Nettle
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
 * framed over a socket.
 *
 * The threads live as long as the pool: `ca serve` keeps one for the
 * service's life and `ca issue` for the command's (role/capresign.h: made
 * at the first batch that has use for it, stopped by ca_clear), so a
 * service does not make and join threads (and their stacks and malloc
 * arenas) for every batch. They block every signal: signals stay with the
 * loop's thread. Nothing that holds a pool forks (the TUI signs its
 * batches of one on its own thread); a pool found in a child of fork has
 * no threads there and is only freed (signpool_free).
 *
 * No job is lost: every job added ends DONE with rc 0 and its signature,
 * or rc -1 and why (the signature failed, or the job was cancelled or the
 * pool stopped before a thread took it), and the pool holds no pointer to
 * it after signpool_wait, signpool_cancel or signpool_free. A job nobody
 * took is signed by its waiter, so a pool whose threads could not start
 * is a slow pool, not a stuck one. */
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

/* One signature. The caller owns the job; it must not move, nor body or
 * signer change, from signpool_add until signpool_wait or signpool_cancel
 * returned or the pool was freed. A DONE job may be reset (memset, fields
 * set again) and added again. */
struct signpool_job {
	const uint8_t *body;	/* the encoded TBS; the caller's */
	size_t body_len;
	const struct cert_signer *signer;	/* the caller's */
	signpool_sign_fn *fn;	/* NULL: cert_sign_wrap_by */
	/* When not NULL, run first on the same thread: -1 fails the job
	 * with its error, unsigned (capresign: the request's own
	 * signature, so that its verification is not the caller's either).
	 * check_arg is read-only while the job is queued. */
	int (*check)(const void *check_arg, struct err *);
	const void *check_arg;
	/* Once DONE: rc 0 and der (the signed object, the caller's to
	 * free), or rc -1 and err. */
	int rc;
	uint8_t *der;
	size_t len;
	struct err err;
	enum signpool_state state;	/* the pool's, under its lock */
	struct signpool_job *prev, *next;	/* the pool's queue */
};

struct signpool;

/* The default number of signers: the CPUs this process may run on
 * (sched_getaffinity, so `taskset -c 0` gives one), at most SIGNPOOL_MAX;
 * 1 when the randomness source is not thread-safe (fuzzing builds). */
unsigned signpool_cpus(void);

/* A pool of nthreads threads (0 to SIGNPOOL_MAX), started now. Threads
 * that cannot be started are done without: signpool_wait signs what no
 * thread took. */
struct signpool *signpool_new(unsigned nthreads);
/* How many threads run; how many signpool_new was asked for. */
unsigned signpool_threads(const struct signpool *);
unsigned signpool_asked(const struct signpool *);
/* How many jobs the threads signed (not their waiters), since new. */
unsigned long signpool_signed(const struct signpool *);
/* 1 when this process made the pool (not a child of fork). */
int signpool_owned(const struct signpool *);
/* Queues j (state IDLE); the first idle thread signs it. -1 when j is
 * not IDLE or the pool is stopping (j unchanged). */
int signpool_add(struct signpool *, struct signpool_job *j);
/* Returns when j is DONE: signed by a thread, or by the caller here when
 * no thread has taken it yet (so a wait never idles while work is left). */
void signpool_wait(struct signpool *, struct signpool_job *j);
/* Takes j back: a queued j leaves the queue unsigned (DONE, rc -1, "the
 * signature was cancelled"), one being signed is waited for. Either way
 * the pool forgets it; an IDLE or DONE j is left as it is. */
void signpool_cancel(struct signpool *, struct signpool_job *j);
/* Stops the threads (a signature under way is finished; what is still
 * queued ends DONE, rc -1, "the signer pool stopped before signing it")
 * and frees the pool. NULL is a no-op. */
void signpool_free(struct signpool *);

#endif
