/* caserve-batch.c — the CA service's enrollments in batches on its loop:
 * a request that issues (a token, an approved request polled, a renewal)
 * waits in s->jobs; a timer on the loop takes them, up to
 * CASERVE_BATCH_MAX at a time, under one CA lock, with one fdatasync for
 * all before any is answered (group commit): of the batch journal's
 * record, which holds everything the batch appended to certs.yaml,
 * enroll.yaml and audit.yaml (store/journal.h; without a journal, one
 * sync of each of the three). While another
 * process holds the lock the timer tries again every CASERVE_LOCK_RETRY
 * ms, the loop serving everything else meanwhile; a request that waited
 * lock_wait ms gets 503. See caserve.h. */
#include <errno.h>
#include <fcntl.h>
#include <nettle/memops.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/httpsrv.h"
#include "net/loop.h"
#include "role/capresign.h"
#include "role/caservepriv.h"
#include "role/lifecycle.h"
#include "store/audit.h"
#include "util/xalloc.h"

/* One request waiting for the batch: a copy of what enroll_submit (or
 * lifecycle_renew) needs (the connection's request may be gone by the
 * time it is taken). */
struct caserve_job {
	unsigned conn;		/* httpsrv connection id */
	int64_t since;		/* loop ms when queued */
	int renew;		/* a renewal of serial, else an enrollment */
	char serial[CASERVE_SERIAL_LEN];
	struct csr csr;
	char *token;		/* wiped when done */
	char *name;
	char peer[64];
	/* What became of it: res for an enrollment, iss for a renewal. */
	int rc;
	struct enroll_result res;
	struct ca_issued iss;
	struct err err;
};

static void
caserve_job_clear(struct caserve_job *j)
{
	csr_clear(&j->csr);
	if (j->token != NULL) {
		explicit_bzero(j->token, strlen(j->token));
		free(j->token);
	}
	free(j->name);
	enroll_result_clear(&j->res);
	ca_issued_clear(&j->iss);
	memset(j, 0, sizeof *j);
}

static void
caserve_arm(struct caserve *s, int64_t when)
{
	loop_deadline(s->loop, LOOP_TIMER(s->timer_fd), when);
}

/* A new job at the end of the queue, taking csr over (csr is left
 * empty: parsed and verified once, not again). */
static struct caserve_job *
caserve_job_new(struct caserve *s, struct csr *csr,
    const struct httpsrv_peer *peer)
{
	struct caserve_job *j;

	if (s->njobs == s->capjobs) {
		s->capjobs = s->capjobs == 0 ? 16 : 2 * s->capjobs;
		s->jobs = xreallocarray(s->jobs, s->capjobs, sizeof *s->jobs);
	}
	j = &s->jobs[s->njobs];
	memset(j, 0, sizeof *j);
	enroll_result_init(&j->res);
	ca_issued_init(&j->iss);
	/* Its parts are the caller's allocations: moved, not copied. */
	j->csr = *csr;
	csr_init(csr);
	j->conn = peer->id;
	j->since = loop_now_ms();
	snprintf(j->peer, sizeof j->peer, "%s", peer->addr);
	return j;
}

/* Queues j (caserve_job_new's) for the next batch. */
static enum httpsrv_verdict
caserve_job_queue(struct caserve *s, struct caserve_job *j)
{
	s->njobs++;
	caserve_arm(s, j->since);
	return HTTPSRV_PENDING;
}

enum httpsrv_verdict
caserve_batch_add(struct caserve *s, struct csr *csr,
    const struct enroll_req *rq, const struct httpsrv_peer *peer)
{
	struct caserve_job *j = caserve_job_new(s, csr, peer);

	j->token = rq->token != NULL ? xstrdup(rq->token) : NULL;
	j->name = rq->name != NULL ? xstrdup(rq->name) : NULL;
	return caserve_job_queue(s, j);
}

enum httpsrv_verdict
caserve_batch_renew(struct caserve *s, struct csr *csr, const char *serial,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct caserve_job *j;

	if (strlen(serial) >= CASERVE_SERIAL_LEN)
		return caserve_text(peer, out, 400, "serial too long");
	j = caserve_job_new(s, csr, peer);
	j->renew = 1;
	snprintf(j->serial, sizeof j->serial, "%s", serial);
	return caserve_job_queue(s, j);
}

/* Answers job j (its result, or e when e is set) through the server;
 * the connection may have gone meanwhile. */
static void
caserve_job_answer(struct caserve *s, struct caserve_job *j,
    const struct err *e)
{
	struct httpsrv_peer peer;
	struct httpresp out;
	struct buf body;

	buf_init(&body);
	memset(&peer, 0, sizeof peer);
	memset(&out, 0, sizeof out);
	peer.id = j->conn;
	peer.body = &body;
	snprintf(peer.addr, sizeof peer.addr, "%s", j->peer);
	s->note[0] = '\0';
	if (e != NULL)
		caserve_refusal(&peer, &out, e, 0);
	else if (j->renew)
		caserve_est_renewed(s, &peer, &out, j->rc, j->serial, &j->iss,
		    &j->err);
	else
		caserve_est_answer(s, &peer, &out, j->rc, &j->res, &j->err,
		    j->token != NULL);
	if (out.status >= 400 && s->note[0] == '\0' && out.body_len > 0)
		caserve_note(s, "%.*s", (int)strcspn((const char *)out.body,
		    "\n"), (const char *)out.body);
	/* -1: the connection has gone (closed, timed out); what was issued
	 * stays in the database, never handed out. */
	(void)httpsrv_answer(s->srv, j->conn, &out);
	s->note[0] = '\0';
	buf_clear(&body);
}

/* Drops the first n jobs. */
static void
caserve_jobs_shift(struct caserve *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		caserve_job_clear(&s->jobs[i]);
	memmove(s->jobs, s->jobs + n, (s->njobs - n) * sizeof *s->jobs);
	s->njobs -= n;
}

/* The lock is busy: 503 for the jobs that waited long enough, the timer
 * again for the others. */
static void
caserve_batch_busy(struct caserve *s, const struct err *e, int64_t now)
{
	size_t i, k = 0;

	for (i = 0; i < s->njobs; i++) {
		if (now - s->jobs[i].since >= s->lock_wait) {
			caserve_job_answer(s, &s->jobs[i], e);
			caserve_job_clear(&s->jobs[i]);
		} else
			s->jobs[k++] = s->jobs[i];
	}
	s->njobs = k;
	if (k > 0)
		caserve_arm(s, now + CASERVE_LOCK_RETRY);
}

void
caserve_crash_at(const char *step)
{
	static const char *at;
	static int known;

	if (!known) {
		at = getenv("MINIPKI_TEST_CRASH");
		known = 1;
	}
	if (at != NULL && strcmp(at, step) == 0)
		(void)raise(SIGKILL);
}

/* Every record the batch appends also goes to the journal (wal set), or
 * to none (wal NULL). */
static void
caserve_journal_attach(struct caserve *s, struct journal *wal)
{
	s->ca.db.wal = wal;
	s->en.db.wal = wal;
	s->en.journaled = wal != NULL;
	audit_set_journal(wal);
}

/* The batch on disk before any answer: its journal record, or (no
 * journal) certs.yaml, then enroll.yaml and audit.yaml. */
static int
caserve_batch_commit(struct caserve *s, int wal, int enroll, struct err *e)
{
	int synced;

	if (wal)
		synced = journal_commit(&s->wal, e) == 0;
	else
		synced = cadb_sync(&s->ca.db, e) == 0;
	if (enroll ? enroll_batch_end(&s->en, synced ? e : NULL) == -1 :
	    !wal && synced && audit_sync(s->ws, s->ca.name, e) == -1)
		synced = 0;
	caserve_journal_attach(s, NULL);
	if (synced)
		caserve_crash_at("commit");
	/* Every CASERVE_JOURNAL_BATCHES: the files synced, the journal
	 * emptied (a failure leaves it for the next time). */
	if (synced && wal && (s->wal.batches >= CASERVE_JOURNAL_BATCHES ||
	    s->wal.size >= CASERVE_JOURNAL_BYTES))
		(void)caserve_journal_settle(s, NULL);
	return synced;
}

/* One batch: the lock, every job decided, one sync, then the answers.
 * A renewal looks its old certificate up by serial: a batch with one
 * opens the database in full (caserve_lock); one of enrollments only
 * does not touch the enrollment store. */
static void
caserve_batch_run(struct caserve *s)
{
	struct enroll_req rq;
	struct err e;
	int64_t now = loop_now_ms(), t = (int64_t)time(NULL);
	size_t n = s->njobs < CASERVE_BATCH_MAX ? s->njobs : CASERVE_BATCH_MAX;
	size_t i;
	int synced, renew = 0, enroll = 0, wal;

	err_clear(&e);
	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		renew |= s->jobs[i].renew;
		enroll |= !s->jobs[i].renew;
	}
	if (caserve_lock(s, renew, &e) == -1) {
		if (e.kind == ERR_LOCKED) {
			caserve_batch_busy(s, &e, now);
			return;
		}
		for (i = 0; i < n; i++)
			caserve_job_answer(s, &s->jobs[i], &e);
		caserve_jobs_shift(s, n);
		goto next;
	}
	if (enroll && enroll_batch_begin(&s->en, t, &e) == -1) {
		caserve_unlock_db(s);
		/* A CLI command holds the enrollment store: as the CA lock. */
		if (e.kind == ERR_LOCKED) {
			caserve_batch_busy(s, &e, now);
			return;
		}
		for (i = 0; i < n; i++)
			caserve_job_answer(s, &s->jobs[i], &e);
		caserve_jobs_shift(s, n);
		goto next;
	}
	s->ca.db.defer_sync = 1;
	wal = s->wal.fd != -1 && !s->wal.broken;
	if (wal)
		caserve_journal_attach(s, &s->wal);
	/* The enrollments' signatures on every CPU, made in order
	 * (capresign.h); the loop below takes them and stays the one
	 * writer. Renewals sign there, as before. */
	capresign_begin(&s->ca, n);
	for (i = 0; i < n; i++)
		if (!s->jobs[i].renew)
			enroll_presign(&s->en, &s->ca, &s->jobs[i].csr,
			    s->jobs[i].token, t);
	for (i = 0; i < n; i++) {
		struct caserve_job *j = &s->jobs[i];

		err_clear(&j->err);
		if (j->renew) {
			j->rc = lifecycle_renew(&s->ca, j->serial, &j->csr, 0,
			    0, t, &j->iss, &j->err);
			continue;
		}
		memset(&rq, 0, sizeof rq);
		rq.csr = &j->csr;
		rq.token = j->token;
		rq.name = j->name;
		rq.peer = j->peer;
		j->rc = enroll_submit(&s->en, &s->ca, &rq, t, &j->res,
		    &j->err);
	}
	capresign_end(&s->ca);
	caserve_crash_at("apply");
	/* Nothing of the batch goes out before all of it is on disk. */
	err_clear(&e);
	synced = caserve_batch_commit(s, wal, enroll, &e);
	s->ca.db.defer_sync = 0;
	caserve_unlock_db(s);
	for (i = 0; i < n; i++)
		caserve_job_answer(s, &s->jobs[i], synced ? NULL : &e);
	caserve_jobs_shift(s, n);
next:
	if (s->njobs > 0)
		caserve_arm(s, loop_now_ms());
}

static void
caserve_tick(void *ctx, int fd, unsigned events)
{
	struct caserve *s = ctx;

	(void)fd;
	(void)events;
	caserve_arm(s, 0);
	caserve_batch_run(s);
}

int
caserve_attach(struct caserve *s, struct loop *l, struct httpsrv *srv,
    struct err *e)
{
	caserve_detach(s);
	/* A descriptor of our own, for a timer key no other entry has. */
	s->timer_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (s->timer_fd == -1)
		return err_set(e, ERR_IO, "/dev/null: %s", strerror(errno));
	s->loop = l;
	s->srv = srv;
	/* The loop never sleeps on the enrollment store's lock: a batch
	 * that finds it taken waits on the timer, a request answered at
	 * once gets 503 with Retry-After (caserve_refusal). */
	s->en.db.nowait = 1;
	loop_add(l, LOOP_TIMER(s->timer_fd), 0, caserve_tick, s);
	return 0;
}

void
caserve_detach(struct caserve *s)
{
	while (s->njobs > 0)
		caserve_jobs_shift(s, s->njobs);
	free(s->jobs);
	s->jobs = NULL;
	s->capjobs = 0;
	if (s->loop != NULL)
		loop_remove(s->loop, LOOP_TIMER(s->timer_fd));
	if (s->timer_fd != -1)
		close(s->timer_fd);
	s->timer_fd = -1;
	s->loop = NULL;
	s->srv = NULL;
	s->en.db.nowait = 0;
}
