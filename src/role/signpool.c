/* signpool.c — signer threads that outlive a batch; see signpool.h for
 * what runs on them and what stays on the caller's single thread. */
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
	/* FIFO of QUEUED jobs, linked through the jobs themselves so that
	 * the pool needs no room per batch and a cancel is O(1). */
	struct signpool_job *head, *tail;
	int stop;
	unsigned long nsigned;	/* by the threads */
	pthread_t *tid;
	unsigned nthreads, asked;
	pid_t pid;		/* the process that has the threads */
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

/* Under the lock: j off the queue. */
static void
signpool_unlink(struct signpool *p, struct signpool_job *j)
{
	if (j->prev != NULL)
		j->prev->next = j->next;
	else
		p->head = j->next;
	if (j->next != NULL)
		j->next->prev = j->prev;
	else
		p->tail = j->prev;
	j->prev = j->next = NULL;
}

/* Under the lock: queued j ends unsigned, with why. */
static void
signpool_drop(struct signpool *p, struct signpool_job *j, const char *why)
{
	signpool_unlink(p, j);
	j->rc = -1;
	j->der = NULL;
	j->len = 0;
	err_set(&j->err, ERR_USAGE, "%s", why);
	j->state = SIGNPOOL_DONE;
}

/* Signs j outside the lock: j is BUSY, nobody else touches it. */
static void
signpool_sign(struct signpool_job *j)
{
	signpool_sign_fn *fn = j->fn != NULL ? j->fn : cert_sign_wrap_by;

	err_clear(&j->err);
	j->der = NULL;
	j->len = 0;
	if (j->check != NULL && j->check(j->check_arg, &j->err) == -1)
		j->rc = -1;
	else
		j->rc = fn(j->body, j->body_len, j->signer, &j->der, &j->len,
		    &j->err);
	if (j->rc != 0) {
		j->rc = -1;
		free(j->der);
		j->der = NULL;
		j->len = 0;
		if (j->err.kind == ERR_NONE)
			err_set(&j->err, ERR_INPUT, j->check != NULL ?
			    "check or signing failed" : "signing failed");
	}
}

static void *
signpool_thread(void *arg)
{
	struct signpool *p = arg;
	struct signpool_job *j;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->head == NULL)
			pthread_cond_wait(&p->more, &p->mu);
		/* Stopping: signpool_free ends what is still queued. */
		if (p->stop)
			break;
		j = p->head;
		signpool_unlink(p, j);
		j->state = SIGNPOOL_BUSY;
		pthread_mutex_unlock(&p->mu);
		signpool_sign(j);
		pthread_mutex_lock(&p->mu);
		/* From here on j may be freed by its owner: not touched. */
		j->state = SIGNPOOL_DONE;
		p->nsigned++;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct signpool *
signpool_new(unsigned nthreads)
{
	struct signpool *p = xcalloc(1, sizeof *p);
	sigset_t all, old;
	unsigned i;

	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->more, NULL);
	pthread_cond_init(&p->done, NULL);
	p->pid = getpid();
	if (nthreads > SIGNPOOL_MAX)
		nthreads = SIGNPOOL_MAX;
	p->asked = nthreads;
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

unsigned
signpool_asked(const struct signpool *p)
{
	return p->asked;
}

unsigned long
signpool_signed(const struct signpool *p)
{
	struct signpool *q = (struct signpool *)p;
	unsigned long n;

	pthread_mutex_lock(&q->mu);
	n = q->nsigned;
	pthread_mutex_unlock(&q->mu);
	return n;
}

int
signpool_owned(const struct signpool *p)
{
	return p->pid == getpid();
}

int
signpool_add(struct signpool *p, struct signpool_job *j)
{
	int rc = -1;

	pthread_mutex_lock(&p->mu);
	if (!p->stop && j->state == SIGNPOOL_IDLE) {
		j->state = SIGNPOOL_QUEUED;
		j->next = NULL;
		j->prev = p->tail;
		if (p->tail != NULL)
			p->tail->next = j;
		else
			p->head = j;
		p->tail = j;
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
		if (j->state == SIGNPOOL_QUEUED)
			signpool_unlink(p, j);
		j->state = SIGNPOOL_BUSY;
		pthread_mutex_unlock(&p->mu);
		signpool_sign(j);
		pthread_mutex_lock(&p->mu);
		j->state = SIGNPOOL_DONE;
	}
	while (j->state != SIGNPOOL_DONE)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void
signpool_cancel(struct signpool *p, struct signpool_job *j)
{
	pthread_mutex_lock(&p->mu);
	if (j->state == SIGNPOOL_QUEUED)
		signpool_drop(p, j, "the signature was cancelled");
	while (j->state == SIGNPOOL_BUSY)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void
signpool_free(struct signpool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	/* A child of fork has the memory but not the threads (nor,
	 * maybe, a usable lock): nothing to stop or join there. */
	if (p->pid != getpid()) {
		free(p->tid);
		free(p);
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->more);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->tid[i], NULL);
	/* The threads are gone: what they left queued ends here, so that
	 * no job is left without a result. */
	while (p->head != NULL)
		signpool_drop(p, p->head,
		    "the signer pool stopped before signing it");
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->more);
	pthread_mutex_destroy(&p->mu);
	free(p->tid);
	free(p);
}
