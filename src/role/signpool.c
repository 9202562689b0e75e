/* signpool.c — signer threads for a batch; see signpool.h for what runs
 * on them and what stays on the caller's single thread. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/rand.h"
#include "role/signpool.h"
#include "util/xalloc.h"

struct signpool {
	pthread_mutex_t mu;
	pthread_cond_t more;	/* a job was queued, or stop */
	pthread_cond_t done;	/* a job is DONE */
	const struct cert_signer *signer;
	signpool_sign_fn *fn;
	struct signpool_job **q;	/* FIFO of what was queued */
	size_t cap, head, tail;
	int stop;
	pthread_t *tid;
	unsigned nthreads;
};

unsigned
signpool_cpus(void)
{
	cpu_set_t set;
	long n;

	if (!rand_threads_ok())
		return 1;
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > SIGNPOOL_MAX ? SIGNPOOL_MAX : (unsigned)n;
}

/* Signs j outside the lock: j is BUSY, nobody else touches it. */
static void
signpool_sign(struct signpool *p, struct signpool_job *j)
{
	err_clear(&j->err);
	j->der = NULL;
	j->len = 0;
	j->rc = p->fn(j->body, j->body_len, p->signer, &j->der, &j->len,
	    &j->err);
	if (j->rc != 0) {
		j->rc = -1;
		free(j->der);
		j->der = NULL;
		j->len = 0;
		if (j->err.kind == ERR_NONE)
			err_set(&j->err, ERR_INPUT, "signing failed");
	}
}

static void *
signpool_thread(void *arg)
{
	struct signpool *p = arg;
	struct signpool_job *j;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->head == p->tail)
			pthread_cond_wait(&p->more, &p->mu);
		/* Stopping: what is still queued was not wanted. */
		if (p->stop)
			break;
		j = p->q[p->head++];
		/* The waiter signed it itself meanwhile. */
		if (j->state != SIGNPOOL_QUEUED)
			continue;
		j->state = SIGNPOOL_BUSY;
		pthread_mutex_unlock(&p->mu);
		signpool_sign(p, j);
		pthread_mutex_lock(&p->mu);
		j->state = SIGNPOOL_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct signpool *
signpool_new(const struct cert_signer *signer, unsigned nthreads,
    size_t maxjobs, signpool_sign_fn *fn)
{
	struct signpool *p = xcalloc(1, sizeof *p);
	sigset_t all, old;
	unsigned i;

	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->more, NULL);
	pthread_cond_init(&p->done, NULL);
	p->signer = signer;
	p->fn = fn != NULL ? fn : cert_sign_wrap_by;
	p->cap = maxjobs;
	p->q = xcalloc(maxjobs > 0 ? maxjobs : 1, sizeof *p->q);
	if (nthreads > SIGNPOOL_MAX)
		nthreads = SIGNPOOL_MAX;
	p->tid = xcalloc(nthreads > 0 ? nthreads : 1, sizeof *p->tid);
	/* Threads inherit the mask: they start with every signal blocked,
	 * which stays the loop's thread's business. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&p->tid[p->nthreads], NULL,
		    signpool_thread, p) != 0)
			break;
		p->nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return p;
}

unsigned
signpool_threads(const struct signpool *p)
{
	return p->nthreads;
}

int
signpool_add(struct signpool *p, struct signpool_job *j)
{
	int rc = -1;

	pthread_mutex_lock(&p->mu);
	if (p->tail < p->cap && j->state == SIGNPOOL_IDLE) {
		j->state = SIGNPOOL_QUEUED;
		p->q[p->tail++] = j;
		pthread_cond_signal(&p->more);
		rc = 0;
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

void
signpool_wait(struct signpool *p, struct signpool_job *j)
{
	pthread_mutex_lock(&p->mu);
	if (j->state == SIGNPOOL_QUEUED || j->state == SIGNPOOL_IDLE) {
		/* No thread has it: sign it here rather than wait idle. */
		j->state = SIGNPOOL_BUSY;
		pthread_mutex_unlock(&p->mu);
		signpool_sign(p, j);
		pthread_mutex_lock(&p->mu);
		j->state = SIGNPOOL_DONE;
	}
	while (j->state != SIGNPOOL_DONE)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void
signpool_free(struct signpool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->more);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->tid[i], NULL);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->more);
	pthread_mutex_destroy(&p->mu);
	free(p->tid);
	free(p->q);
	free(p);
}
