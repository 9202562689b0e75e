/* capresign.c — a batch's certificates signed ahead; see capresign.h. */
#include <stdlib.h>
#include <string.h>

#include "role/capresign.h"
#include "role/capriv.h"
#include "util/xalloc.h"

/* One certificate made ahead. */
struct capresign_one {
	const struct csr *req;	/* what it was made for; borrowed */
	uint8_t serial[CA_SERIAL_BYTES];
	char hex[CA_SERIAL_HEX];
	uint8_t *tbs;		/* the TBSCertificate signed */
	size_t tbs_len;
	int taken;
	struct signpool_job job;
};

struct capresign {
	struct cert_signer signer;	/* the ca's key, borrowed */
	struct capresign_one *v;	/* cap of them, fixed: jobs never move */
	size_t n, cap;
	size_t next;		/* where the next lookup starts */
};

void
capresign_begin(struct ca *ca, size_t n)
{
	struct capresign *b;
	unsigned k;

	capresign_end(ca);
	k = ca->signers != 0 ? ca->signers : signpool_cpus();
	if (k <= 1 || n <= 1 || !ca->unlocked || ca->db.lockfd == -1)
		return;
	/* The pool outlives the batch (signpool.h); made anew only when
	 * the number of signers asked for changed (tests do) or it is a
	 * parent's, inherited through fork. */
	if (ca->pool != NULL && (signpool_asked(ca->pool) != k ||
	    !signpool_owned(ca->pool))) {
		signpool_free(ca->pool);
		ca->pool = NULL;
	}
	if (ca->pool == NULL)
		ca->pool = signpool_new(k);
	b = xcalloc(1, sizeof *b);
	ca_signer(ca, &b->signer);
	b->cap = n;
	b->v = xcalloc(n, sizeof *b->v);
	ca->presign = b;
}

/* A job's check: req's proof of possession, on a pool thread (req is
 * only read, as the batch's thread reads it too). */
static int
capresign_check_sig(const void *req, struct err *e)
{
	return csr_check_signature(req, e);
}

void
capresign_add(struct ca *ca, const struct csr *req, const struct profile *p,
    long days, int64_t now)
{
	struct capresign *b = ca->presign;
	struct capresign_one *o;
	struct cert_template t;
	struct csr nosig;
	size_t dropped = 0;
	int clamped = 0;

	if (b == NULL || b->n == b->cap)
		return;
	o = &b->v[b->n];
	memset(&t, 0, sizeof t);
	ext_info_init(&t.ext);
	/* Everything ca_issue checks before it signs, so that nothing is
	 * signed here that it would refuse; the request's own signature
	 * (a verification, as costly as an ECDSA signature) on the pool,
	 * first thing in the job, when it was not checked before. */
	nosig = *req;
	nosig.sig_ok = 1;
	if (ca_check_request(&nosig, NULL) == -1 ||
	    ca_issue_template(ca, req, p, days, now, &t, &dropped,
	    NULL) == -1 ||
	    ca_sign_prepare(ca, &t, &clamped, NULL) == -1 ||
	    ca_fresh_serial(ca, o->serial, o->hex, NULL) == -1)
		goto out;
	t.serial = o->serial;
	t.serial_len = sizeof o->serial;
	if (cert_tbs_encode(&t, &b->signer, &o->tbs, &o->tbs_len, NULL) == -1)
		goto out;
	o->req = req;
	o->job.body = o->tbs;
	o->job.body_len = o->tbs_len;
	o->job.signer = &b->signer;
	o->job.fn = ca->sign_fn;
	if (!req->sig_ok) {
		o->job.check = capresign_check_sig;
		o->job.check_arg = req;
	}
	if (signpool_add(ca->pool, &o->job) == -1) {
		free(o->tbs);
		memset(o, 0, sizeof *o);
		goto out;
	}
	b->n++;
out:
	ext_info_clear(&t.ext);
}

/* The first untaken certificate made for req: looked for from where the
 * last one was found, since a batch takes them in the order made. */
static struct capresign_one *
capresign_find(const struct capresign *b, const struct csr *req)
{
	size_t i, k;

	for (k = 0; k < b->n; k++) {
		i = (b->next + k) % b->n;
		if (b->v[i].req == req && !b->v[i].taken)
			return &b->v[i];
	}
	return NULL;
}

int
capresign_checked(const struct ca *ca, const struct csr *req)
{
	return ca->presign != NULL && capresign_find(ca->presign, req) != NULL;
}

int
capresign_take(struct ca *ca, const struct csr *req, struct cert_template *t,
    struct ca_issued *out, struct err *e)
{
	struct capresign *b = ca->presign;
	struct capresign_one *o;
	uint8_t *tbs = NULL;
	size_t len = 0;
	int same;

	if (b == NULL || (o = capresign_find(b, req)) == NULL)
		return 0;
	o->taken = 1;
	b->next = (size_t)(o - b->v) + 1;
	/* Two serials of one batch alike (1 in 2^120): this one anew. */
	if (cadb_has_serial(&ca->db, o->hex))
		goto here;
	t->serial = o->serial;
	t->serial_len = sizeof o->serial;
	same = cert_tbs_encode(t, &b->signer, &tbs, &len, NULL) == 0 &&
	    len == o->tbs_len && memcmp(tbs, o->tbs, len) == 0;
	free(tbs);
	if (!same) {
		t->serial = NULL;
		t->serial_len = 0;
		goto here;
	}
	signpool_wait(ca->pool, &o->job);
	if (o->job.rc == -1) {
		if (e != NULL)
			*e = o->job.err;
		return -1;
	}
	out->der = o->job.der;
	out->len = o->job.len;
	o->job.der = NULL;
	memcpy(out->serial, o->hex, sizeof out->serial);
	return 1;
here:
	/* Signed on the spot instead: ca_issue left the request's own
	 * signature to the job (capresign_checked), so it is checked here. */
	if (o->job.check != NULL && o->job.check(o->job.check_arg, e) == -1)
		return -1;
	return 0;
}

void
capresign_end(struct ca *ca)
{
	struct capresign *b = ca->presign;
	size_t i;

	if (b == NULL)
		return;
	/* Each job back from the pool first (what no thread took leaves
	 * the queue, one being signed is waited for): none may still be
	 * signed into once freed. The pool's threads stay for the next
	 * batch. */
	for (i = 0; i < b->n; i++) {
		signpool_cancel(ca->pool, &b->v[i].job);
		free(b->v[i].tbs);
		free(b->v[i].job.der);
	}
	free(b->v);
	free(b);
	ca->presign = NULL;
}

void
capresign_stop(struct ca *ca)
{
	capresign_end(ca);
	signpool_free(ca->pool);
	ca->pool = NULL;
}
