/* signpool-test.c — batches signed on several threads (role/signpool.c,
 * role/capresign.c): the pool's signatures are the caller's own bytes; one
 * pool takes batch after batch on the same threads; a failing signature
 * fails its job only, a cancelled or stopped job says so and none is left
 * without a result; a batch issued with 1 and with N signers gives the
 * same certificates (serials aside), each verifying under the CA key,
 * serials unique and in the database in request order; a signature that
 * fails in the middle fails that request only; the ca keeps its pool from
 * batch to batch until capresign_stop; a request whose own signature
 * fails is refused on the pool's check, also when its certificate is
 * then made on the spot; the service's batch
 * (enroll_presign) takes its token requests' signatures from the pool. */
#include <dirent.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "role/ca.h"
#include "role/capresign.h"
#include "role/enroll.h"
#include "role/signpool.h"
#include "testlib.h"
#include "testws.h"
#include "util/xalloc.h"
#include "x509/pkey.h"

#define NREQ 12

static const char pass[] = "signpool-test-pass";
static const int64_t now = 1790000000;	/* 2026-09-21 */

/* The hooks run on pool threads: only atomics are shared. */
static atomic_int signs;

static int
counting_sign(const uint8_t *body, size_t len, const struct cert_signer *s,
    uint8_t **der, size_t *dlen, struct err *e)
{
	atomic_fetch_add(&signs, 1);
	return cert_sign_wrap_by(body, len, s, der, dlen, e);
}

/* Refuses to sign the TBSCertificate for host5.example. */
static int
failing_sign(const uint8_t *body, size_t len, const struct cert_signer *s,
    uint8_t **der, size_t *dlen, struct err *e)
{
	static const char bad[] = "host5.example";

	atomic_fetch_add(&signs, 1);
	if (memmem(body, len, bad, sizeof bad - 1) != NULL)
		return err_set(e, ERR_INPUT, "test: signature refused");
	return cert_sign_wrap_by(body, len, s, der, dlen, e);
}

/* A request for subject from a new P-256 key (quick to make). */
static void
make_csr(struct csr *r, const char *subject)
{
	struct pkey k;
	struct dn dn;
	uint8_t *der = NULL;
	size_t len;

	pkey_init(&k);
	k.type = PKEY_EC;
	ec256key_generate(&k.ec);
	dn_init(&dn);
	CHECK(dn_from_string(&dn, subject, NULL) == 0);
	CHECK(csr_build_any(&dn, NULL, &k, &der, &len, NULL) == 0);
	csr_init(r);
	CHECK(csr_parse(r, der, len, NULL) == 0);
	free(der);
	dn_clear(&dn);
	pkey_clear(&k);
}

/* The threads of this process (/proc/self/task), -1 when unknown. */
static int
ntasks(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Fails the bodies whose fill byte is 5 (test_pool's bodies). */
static int
failing_fill(const uint8_t *body, size_t len, const struct cert_signer *s,
    uint8_t **der, size_t *dlen, struct err *e)
{
	if (len > 2 && body[2] == 5)
		return err_set(e, ERR_INPUT, "test: signature refused");
	return cert_sign_wrap_by(body, len, s, der, dlen, e);
}

/* test_stop's signer: the first call holds its thread until gate is
 * set; the later ones take a millisecond more than a signature, so that
 * a stop finds most of the queue still there. */
static atomic_int entered, gate;

static int
gated_sign(const uint8_t *body, size_t len, const struct cert_signer *s,
    uint8_t **der, size_t *dlen, struct err *e)
{
	struct timespec ms = { 0, 1000000 };

	if (atomic_fetch_add(&entered, 1) == 0)
		while (!atomic_load(&gate))
			sched_yield();
	else
		nanosleep(&ms, NULL);
	return cert_sign_wrap_by(body, len, s, der, dlen, e);
}

#define NJOBS 20
#define NBATCH 10

static void
fill_body(uint8_t body[40], int fill)
{
	/* Some SEQUENCE to sign; the content is anything. */
	body[0] = 0x30;
	body[1] = 38;
	memset(body + 2, fill, 38);
}

/* job (DONE) holds what cert_sign_wrap_by makes of body on this thread
 * (PKCS#1 v1.5 is deterministic); its der is freed. */
static void
check_signed(struct signpool_job *j, const struct cert_signer *s)
{
	uint8_t *der;
	size_t len;

	CHECK(j->state == SIGNPOOL_DONE);
	CHECK_EQ(j->rc, 0);
	CHECK(cert_sign_wrap_by(j->body, j->body_len, s, &der, &len,
	    NULL) == 0);
	CHECK(j->der != NULL && j->len == len &&
	    memcmp(j->der, der, len) == 0);
	free(der);
	free(j->der);
	j->der = NULL;
}

/* The pool alone: what its threads sign is what cert_sign_wrap_by makes
 * on this thread, with threads and without any (the waiter signs). One
 * pool takes NBATCH batches with the same threads (the process's thread
 * count does not move), a signature that fails fails its job only and
 * the thread goes on, and no more threads are left after signpool_free. */
static void
test_pool(const struct rsakey *key)
{
	struct cert_signer s = { key, NULL };
	struct signpool_job jobs[NJOBS];
	struct signpool *p;
	uint8_t bodies[NJOBS][40];
	size_t i, batch;
	unsigned threads;
	cpu_set_t all, one;
	int cpu, base, tasks;
	unsigned long bythreads;

	CHECK(signpool_cpus() >= 1 && signpool_cpus() <= SIGNPOOL_MAX);
	/* The CPUs this process may run on, as `taskset -c 0` leaves one. */
	if (sched_getaffinity(0, sizeof all, &all) == 0) {
		for (cpu = 0; !CPU_ISSET(cpu, &all); cpu++)
			;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		CHECK(sched_setaffinity(0, sizeof one, &one) == 0);
		CHECK_EQ(signpool_cpus(), 1);
		CHECK(sched_setaffinity(0, sizeof all, &all) == 0);
		CHECK_EQ(signpool_cpus(), CPU_COUNT(&all) < SIGNPOOL_MAX ?
		    CPU_COUNT(&all) : SIGNPOOL_MAX);
	}
	for (threads = 0; threads <= 3; threads += 3) {
		/* A sanitizer may start a thread of its own with the first
		 * pthread_create: counted from after it. */
		base = ntasks();
		CHECK(base >= 1);
		p = signpool_new(threads);
		CHECK_EQ(signpool_threads(p), threads);
		CHECK_EQ(signpool_asked(p), threads);
		CHECK(signpool_owned(p));
		tasks = ntasks();
		CHECK(tasks >= base + (int)threads);
		for (batch = 0; batch < NBATCH; batch++) {
			memset(jobs, 0, sizeof jobs);
			for (i = 0; i < NJOBS; i++) {
				fill_body(bodies[i], (int)(i + batch));
				jobs[i].body = bodies[i];
				jobs[i].body_len = sizeof bodies[i];
				jobs[i].signer = &s;
				CHECK(signpool_add(p, &jobs[i]) == 0);
			}
			/* Queued already: not twice. */
			CHECK(signpool_add(p, &jobs[0]) == -1);
			/* Waited for last to first, so that some are
			 * still queued and signed by the waiter. */
			for (i = NJOBS; i-- > 0;) {
				signpool_wait(p, &jobs[i]);
				check_signed(&jobs[i], &s);
			}
			/* The same threads all along. */
			CHECK_EQ(ntasks(), tasks);
		}
		bythreads = signpool_signed(p);
		CHECK(bythreads <= NBATCH * NJOBS);
		if (threads == 0)
			CHECK_EQ(bythreads, 0);
		else
			CHECK(bythreads > 0);

		/* A failing signature fails its job, and only it; the
		 * threads then sign the next batch as before. */
		memset(jobs, 0, sizeof jobs);
		for (i = 0; i < NJOBS; i++) {
			fill_body(bodies[i], (int)i);
			jobs[i].body = bodies[i];
			jobs[i].body_len = sizeof bodies[i];
			jobs[i].signer = &s;
			jobs[i].fn = failing_fill;
			CHECK(signpool_add(p, &jobs[i]) == 0);
		}
		for (i = 0; i < NJOBS; i++) {
			signpool_wait(p, &jobs[i]);
			if (i != 5) {
				check_signed(&jobs[i], &s);
				continue;
			}
			CHECK(jobs[i].state == SIGNPOOL_DONE);
			CHECK_EQ(jobs[i].rc, -1);
			CHECK(jobs[i].der == NULL);
			CHECK_EQ(jobs[i].err.kind, ERR_INPUT);
			CHECK_STR(jobs[i].err.msg, "test: signature refused");
		}
		/* A DONE job goes again, reset. */
		memset(&jobs[5], 0, sizeof jobs[5]);
		jobs[5].body = bodies[5];
		jobs[5].body_len = sizeof bodies[5];
		jobs[5].signer = &s;
		CHECK(signpool_add(p, &jobs[5]) == 0);
		signpool_wait(p, &jobs[5]);
		check_signed(&jobs[5], &s);
		CHECK_EQ(ntasks(), tasks);
		signpool_free(p);
		CHECK_EQ(ntasks(), tasks - (int)threads);
	}
	signpool_free(NULL);
}

/* Jobs taken back and a pool stopped with jobs queued: a cancelled job
 * leaves the queue unsigned and says so, the one a thread signs is waited
 * for, and a stop ends every queued job with the reason; none is left
 * without a result. */
static void
test_stop(const struct rsakey *key)
{
	struct cert_signer s = { key, NULL };
	struct signpool_job jobs[NJOBS];
	struct signpool *p;
	uint8_t bodies[NJOBS][40];
	size_t i, stopped = 0;

	atomic_store(&entered, 0);
	atomic_store(&gate, 0);
	p = signpool_new(1);
	CHECK_EQ(signpool_threads(p), 1);
	memset(jobs, 0, sizeof jobs);
	for (i = 0; i < NJOBS; i++) {
		fill_body(bodies[i], (int)i);
		jobs[i].body = bodies[i];
		jobs[i].body_len = sizeof bodies[i];
		jobs[i].signer = &s;
		jobs[i].fn = gated_sign;
		CHECK(signpool_add(p, &jobs[i]) == 0);
	}
	/* The one thread holds job 0 at the gate; the rest is queued. */
	while (atomic_load(&entered) == 0)
		sched_yield();
	signpool_cancel(p, &jobs[10]);
	CHECK(jobs[10].state == SIGNPOOL_DONE);
	CHECK_EQ(jobs[10].rc, -1);
	CHECK(jobs[10].der == NULL);
	CHECK_EQ(jobs[10].err.kind, ERR_USAGE);
	CHECK_STR(jobs[10].err.msg, "the signature was cancelled");
	/* Cancelled twice, or a job never added: nothing happens. */
	signpool_cancel(p, &jobs[10]);
	CHECK_STR(jobs[10].err.msg, "the signature was cancelled");
	atomic_store(&gate, 1);
	/* Job 0 was being signed: cancel waits for it. */
	signpool_cancel(p, &jobs[0]);
	check_signed(&jobs[0], &s);
	signpool_free(p);
	for (i = 1; i < NJOBS; i++) {
		if (i == 10)
			continue;
		CHECK(jobs[i].state == SIGNPOOL_DONE);
		if (jobs[i].rc == 0) {
			check_signed(&jobs[i], &s);
			continue;
		}
		CHECK_EQ(jobs[i].rc, -1);
		CHECK(jobs[i].der == NULL);
		CHECK_EQ(jobs[i].err.kind, ERR_USAGE);
		CHECK_STR(jobs[i].err.msg,
		    "the signer pool stopped before signing it");
		stopped++;
	}
	/* Each later job takes over a millisecond: the stop came long
	 * before the thread got through the queue. */
	CHECK(stopped > 0);
	CHECK(jobs[NJOBS - 1].rc == -1);
}

/* Issues reqs as one batch with the given signers; res[i] gets the
 * certificates (parsed). */
static void
issue(struct ca *ca, struct csr *reqs, unsigned signers,
    signpool_sign_fn *fn, int want, struct ca_batch_req *batch)
{
	struct err e;
	size_t i;

	err_clear(&e);
	ca->signers = signers;
	ca->sign_fn = fn;
	for (i = 0; i < NREQ; i++)
		ca_batch_req_init(&batch[i], &reqs[i]);
	CHECK_EQ(ca_issue_batch(ca, batch, NREQ, profile_get(PROFILE_SERVER),
	    0, now, NULL, &e), want);
	CHECK(ca->presign == NULL);
	CHECK(!ca->db.defer_sync);
}

/* Each issued certificate of batch verifies under the CA, names its
 * request's subject, and follows the database's records from *k on. */
static void
check_batch(struct ca *ca, struct csr *reqs, struct ca_batch_req *batch,
    size_t *k)
{
	struct cert c;
	size_t i;

	for (i = 0; i < NREQ; i++) {
		if (batch[i].res.der == NULL)
			continue;
		cert_init(&c);
		CHECK(cert_parse(&c, batch[i].res.der, batch[i].res.len,
		    NULL) == 0);
		CHECK(cert_check_signature(&c, &ca->root, NULL));
		CHECK(dn_equal(&c.subject, &reqs[i].subject));
		CHECK(*k < ca->db.ncerts);
		if (*k < ca->db.ncerts)
			CHECK_STR(ca->db.certs[*k].serial, batch[i].res.serial);
		(*k)++;
		cert_clear(&c);
	}
}

/* a and b are the same certificate but for the serial: b's
 * TBSCertificate with a's serial is a's, and b's signature is the one
 * this thread makes over b's TBSCertificate. */
static void
check_same(const struct ca *ca, const uint8_t *da, size_t la,
    const uint8_t *db, size_t lb)
{
	struct cert a, b;
	struct cert_signer s;
	uint8_t *tbs, *der, *at;
	size_t off, len;

	ca_signer(ca, &s);
	cert_init(&a);
	cert_init(&b);
	CHECK(cert_parse(&a, da, la, NULL) == 0);
	CHECK(cert_parse(&b, db, lb, NULL) == 0);
	CHECK(a.serial_len == 16 && b.serial_len == 16);
	CHECK(memcmp(a.serial, b.serial, 16) != 0);
	CHECK_EQ(a.tbs_len, b.tbs_len);
	at = memmem(a.tbs, a.tbs_len, a.serial, 16);
	CHECK(at != NULL);
	if (at != NULL && a.tbs_len == b.tbs_len) {
		off = (size_t)(at - a.tbs);
		CHECK(memcmp(b.tbs + off, b.serial, 16) == 0);
		tbs = xmalloc(b.tbs_len);
		memcpy(tbs, b.tbs, b.tbs_len);
		memcpy(tbs + off, a.serial, 16);
		CHECK(memcmp(tbs, a.tbs, a.tbs_len) == 0);
		free(tbs);
	}
	CHECK(cert_sign_wrap_by(b.tbs, b.tbs_len, &s, &der, &len, NULL) == 0);
	CHECK(len == lb && memcmp(der, db, lb) == 0);
	free(der);
	cert_clear(&a);
	cert_clear(&b);
}

static void
test_batch(struct ws *ws)
{
	struct ca ca;
	struct err e;
	struct csr reqs[NREQ];
	struct ca_batch_req one[NREQ], many[NREQ], fail[NREQ];
	char subject[64];
	size_t i, j, k = 0;
	struct signpool *pool;
	int base = ntasks(), tasks;

	err_clear(&e);
	for (i = 0; i < NREQ; i++) {
		snprintf(subject, sizeof subject, "CN=host%zu.example", i);
		make_csr(&reqs[i], subject);
	}
	ca_init(&ca);
	CHECK(ca_open(&ca, ws, "root", CA_WRITE, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	k = ca.db.ncerts;

	/* One signer: no pool, the hook never called. */
	atomic_store(&signs, 0);
	issue(&ca, reqs, 1, counting_sign, NREQ, one);
	CHECK_EQ(atomic_load(&signs), 0);
	check_batch(&ca, reqs, one, &k);

	/* Four: every signature from the pool, the same certificates. */
	atomic_store(&signs, 0);
	issue(&ca, reqs, 4, counting_sign, NREQ, many);
	CHECK_EQ(atomic_load(&signs), NREQ);
	check_batch(&ca, reqs, many, &k);
	CHECK_EQ(k, ca.db.ncerts);
	for (i = 0; i < NREQ; i++) {
		CHECK(one[i].err.kind == ERR_NONE && many[i].err.kind ==
		    ERR_NONE);
		check_same(&ca, one[i].res.der, one[i].res.len,
		    many[i].res.der, many[i].res.len);
		for (j = 0; j < NREQ; j++)
			CHECK(strcmp(one[i].res.serial, many[j].res.serial) !=
			    0 && (i == j || strcmp(many[i].res.serial,
			    many[j].res.serial) != 0));
	}

	/* The pool stays for the next batch: its threads and no more. */
	pool = ca.pool;
	CHECK(pool != NULL);
	CHECK_EQ(signpool_threads(pool), 4);
	tasks = ntasks();
	CHECK(tasks >= base + 4);

	/* A signature that fails in the middle fails that request only:
	 * the others issued, recorded in order, request 5 not at all; the
	 * same pool signed them. */
	atomic_store(&signs, 0);
	issue(&ca, reqs, 4, failing_sign, NREQ - 1, fail);
	CHECK(ca.pool == pool);
	CHECK_EQ(ntasks(), tasks);
	CHECK_EQ(atomic_load(&signs), NREQ);
	CHECK(fail[5].res.der == NULL);
	CHECK_EQ(fail[5].err.kind, ERR_INPUT);
	CHECK_STR(fail[5].err.msg, "test: signature refused");
	for (i = 0; i < NREQ; i++)
		if (i != 5)
			CHECK(fail[i].res.der != NULL &&
			    fail[i].err.kind == ERR_NONE);
	check_batch(&ca, reqs, fail, &k);
	CHECK_EQ(k, ca.db.ncerts);

	/* A batch ended with its signatures queued or under way (as an
	 * I/O error ends one): nothing recorded, the pool kept and idle;
	 * then one stopped with its jobs queued. */
	ca.sign_fn = counting_sign;
	for (j = 0; j < 2; j++) {
		capresign_begin(&ca, NREQ);
		CHECK(ca.presign != NULL && ca.pool == pool);
		for (i = 0; i < NREQ; i++)
			capresign_add(&ca, &reqs[i], profile_get(
			    PROFILE_SERVER), 0, now);
		if (j == 0)
			capresign_end(&ca);
		else
			capresign_stop(&ca);
		CHECK(ca.presign == NULL);
		CHECK_EQ(ca.db.ncerts, k);
	}
	CHECK(ca.pool == NULL);
	CHECK_EQ(ntasks(), tasks - 4);
	for (i = 0; i < NREQ; i++) {
		ca_batch_req_clear(&one[i]);
		ca_batch_req_clear(&many[i]);
		ca_batch_req_clear(&fail[i]);
	}
	ca_clear(&ca);

	/* What was recorded is on disk, in the same order. */
	ca_init(&ca);
	CHECK(ca_open(&ca, ws, "root", 0, &e) == 0);
	CHECK_EQ(ca.db.ncerts, 3 * NREQ - 1);
	ca_clear(&ca);
	for (i = 0; i < NREQ; i++)
		csr_clear(&reqs[i]);
}

/* A request whose own signature does not verify, in a batch on the pool
 * (whose jobs check it, not the batch's thread): it fails with
 * ca_check_request's words and nothing is signed for it, the others
 * issue; and when its certificate is then made on the spot (another
 * profile than the one guessed ahead), the check still comes first. */
static void
test_badsig(struct ws *ws)
{
	struct ca ca;
	struct err e;
	struct csr reqs[NREQ];
	struct ca_batch_req batch[NREQ];
	struct ca_issued res;
	char subject[64];
	size_t i, k;

	err_clear(&e);
	for (i = 0; i < NREQ; i++) {
		snprintf(subject, sizeof subject, "CN=bad%zu.example", i);
		make_csr(&reqs[i], subject);
	}
	/* Request 7's signature, one bit off. */
	((uint8_t *)reqs[7].sig)[reqs[7].sig_len / 2] ^= 0x10;
	CHECK_ERR(csr_check_signature(&reqs[7], &e), &e,
	    "request signature does not verify");
	ca_init(&ca);
	CHECK(ca_open(&ca, ws, "root", CA_WRITE, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	k = ca.db.ncerts;

	atomic_store(&signs, 0);
	issue(&ca, reqs, 2, counting_sign, NREQ - 1, batch);
	CHECK_EQ(atomic_load(&signs), NREQ - 1);
	CHECK(batch[7].res.der == NULL);
	CHECK_EQ(batch[7].err.kind, ERR_REFUSED);
	CHECK_STR(batch[7].err.msg, "request signature does not verify");
	CHECK_EQ(ca.db.ncerts, k + NREQ - 1);
	for (i = 0; i < NREQ; i++) {
		if (i != 7)
			CHECK(batch[i].res.der != NULL);
		ca_batch_req_clear(&batch[i]);
	}

	/* Queued as a server certificate, issued as a client one: the
	 * signature made ahead is not used, and the check is not skipped. */
	atomic_store(&signs, 0);
	capresign_begin(&ca, 2);
	CHECK(ca.presign != NULL);
	capresign_add(&ca, &reqs[7], profile_get(PROFILE_SERVER), 0, now);
	capresign_add(&ca, &reqs[3], profile_get(PROFILE_SERVER), 0, now);
	CHECK(capresign_checked(&ca, &reqs[7]));
	ca_issued_init(&res);
	err_clear(&e);
	CHECK_EQ(ca_issue(&ca, &reqs[7], profile_get(PROFILE_CLIENT), 0, now,
	    &res, &e), -1);
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK_STR(e.msg, "request signature does not verify");
	CHECK(res.der == NULL);
	ca_issued_clear(&res);
	/* A good one the same way: issued on the spot. */
	ca_issued_init(&res);
	CHECK_EQ(ca_issue(&ca, &reqs[3], profile_get(PROFILE_CLIENT), 0, now,
	    &res, &e), 0);
	CHECK(res.der != NULL);
	ca_issued_clear(&res);
	capresign_end(&ca);
	CHECK_EQ(ca.db.ncerts, k + NREQ);
	ca_clear(&ca);
	for (i = 0; i < NREQ; i++)
		csr_clear(&reqs[i]);
}

/* The service's batch: requests with a token are signed ahead, the one
 * without (queued) is not, and enroll_submit issues from the pool. */
static void
test_enroll(struct ws *ws)
{
	struct enroll en;
	struct enroll_token_opts o;
	struct enroll_req rq;
	struct enroll_result res[4];
	struct ca ca;
	struct err e;
	struct csr reqs[4];
	struct cert c;
	char token[ENROLL_TOKEN_LEN + 1], id[ENROLLDB_ID_LEN + 1];
	char subject[64];
	size_t i;

	err_clear(&e);
	for (i = 0; i < 4; i++) {
		snprintf(subject, sizeof subject, "CN=svc%zu.example", i);
		make_csr(&reqs[i], subject);
	}
	ca_init(&ca);
	CHECK(ca_open(&ca, ws, "root", CA_WRITE, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	ca.signers = 2;
	ca.sign_fn = counting_sign;
	enroll_init(&en);
	CHECK(enroll_open(&en, ws, "root", &e) == 0);
	memset(&o, 0, sizeof o);
	o.uses = 3;
	CHECK(enroll_token_new(&en, &o, now, token, id, &e) == 0);

	atomic_store(&signs, 0);
	CHECK(enroll_batch_begin(&en, now, &e) == 0);
	ca.db.defer_sync = 1;
	capresign_begin(&ca, 4);
	CHECK(ca.presign != NULL);
	for (i = 0; i < 4; i++)
		enroll_presign(&en, &ca, &reqs[i], i == 2 ? NULL : token,
		    now);
	for (i = 0; i < 4; i++) {
		memset(&rq, 0, sizeof rq);
		rq.csr = &reqs[i];
		rq.token = i == 2 ? NULL : token;
		enroll_result_init(&res[i]);
		CHECK(enroll_submit(&en, &ca, &rq, now, &res[i], &e) == 0);
	}
	capresign_end(&ca);
	CHECK(ca.presign == NULL);
	CHECK(cadb_sync(&ca.db, &e) == 0);
	ca.db.defer_sync = 0;
	CHECK(enroll_batch_end(&en, &e) == 0);
	CHECK_EQ(atomic_load(&signs), 3);
	for (i = 0; i < 4; i++) {
		if (i == 2) {
			CHECK(res[i].verdict == ENROLL_PENDING);
			CHECK_STR(res[i].reason, "no token");
			continue;
		}
		CHECK(res[i].verdict == ENROLL_ISSUED);
		cert_init(&c);
		CHECK(cert_parse(&c, res[i].cert.der, res[i].cert.len,
		    NULL) == 0);
		CHECK(cert_check_signature(&c, &ca.root, NULL));
		CHECK(dn_equal(&c.subject, &reqs[i].subject));
		cert_clear(&c);
	}
	for (i = 0; i < 4; i++) {
		enroll_result_clear(&res[i]);
		csr_clear(&reqs[i]);
	}
	enroll_clear(&en);
	ca_clear(&ca);
}

int
main(void)
{
	char dir[] = "tests/work/signpool-XXXXXX";
	struct ws ws;
	struct dn subject;
	struct err e;
	struct ca ca;
	uint8_t *root = NULL;
	size_t rootlen;

	if (test_ws_open(&ws, dir) == -1)
		return 1;
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=Signpool Test Root", &e) == 0);
	CHECK(ca_create(&ws, "root", &subject, 2048, 30, now, pass,
	    strlen(pass), NULL, NULL, &root, &rootlen, &e) == 0);
	free(root);
	dn_clear(&subject);

	ca_init(&ca);
	CHECK(ca_open(&ca, &ws, "root", 0, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	test_pool(&ca.key.rsa);
	test_stop(&ca.key.rsa);
	ca_clear(&ca);

	test_batch(&ws);
	test_badsig(&ws);
	test_enroll(&ws);
	test_ws_remove(&ws, dir);
	return test_done();
}
