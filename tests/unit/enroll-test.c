/* enroll-test.c — enrollment tokens and the approval queue (role/enroll.c,
 * store/enrolldb.c): token round trip, wrong, expired, used up, N uses,
 * subject match, revoked; processes racing for one token; the queue from
 * request to approval or rejection and the poll that follows, across a
 * reopen; the audit records; torn tails, a writer killed mid-append, and
 * damaged files with their exact errors. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "crypto/hex.h"
#include "role/ca.h"
#include "role/enroll.h"
#include "store/audit.h"
#include "store/cadb.h"
#include "store/enrolldb.h"
#include "testlib.h"
#include "testyaml.h"
#include "testws.h"
#include "util/xalloc.h"

static const char pass[] = "enroll-test-pass";
static const int64_t now = 1790000000;	/* 2026-09-21 */

/* A request for subject, signed by k. */
static void
make_csr(struct csr *r, const struct rsakey *k, const char *subject)
{
	struct dn dn;
	uint8_t *der = NULL;
	size_t len;

	dn_init(&dn);
	CHECK(dn_from_string(&dn, subject, NULL) == 0);
	CHECK(csr_build(&dn, NULL, k, &der, &len, NULL) == 0);
	csr_init(r);
	CHECK(csr_parse(r, der, len, NULL) == 0);
	free(der);
	dn_clear(&dn);
}

static char *
file_text(const struct ws *w, const char *name)
{
	char *p = test_ca_path(w, "root", name), *s;
	size_t n;

	s = (char *)test_read_file(p, &n);
	free(p);
	return s;
}

static const struct {
	struct enroll_token_opts o;
	const char *err;
} badopts[] = {
	{ { .profile = "admin" },
	    "unknown profile 'admin': use server, client, ca, peer" },
	{ { .profile = "ca" }, "a token cannot grant profile ca" },
	{ { .match = "CN=(a" }, "subject match 'CN=(a': " },
	{ { .match = "CN=\ta" }, "subject match: control character at byte 4" },
	{ { .uses = 2000000 }, "uses: 2000000: use 1 to 1000000" },
	{ { .ttl = -5 }, "ttl: -5 s: use 1 s to 366 days" },
	{ { .ttl = ENROLL_TTL_MAX + 1 }, "ttl: 31622401 s: use 1 s to 366 days" },
};

static void
test_tokens(const struct ws *w)
{
	struct enroll en, en2;
	struct enroll_token_opts o = { 0 };
	struct enrolldb_token t;
	struct err e;
	struct buf b;
	struct stat st;
	char tok[ENROLL_TOKEN_LEN + 1], id[ENROLLDB_ID_LEN + 1], other[8];
	char tok3[ENROLL_TOKEN_LEN + 1], id3[ENROLLDB_ID_LEN + 1];
	char tokm[ENROLL_TOKEN_LEN + 1], idm[ENROLLDB_ID_LEN + 1];
	char ide[ENROLLDB_ID_LEN + 1], idx[ENROLLDB_ID_LEN + 1];
	char *text, *p, line[160];
	int i;

	enroll_init(&en);
	CHECK_ERR(enroll_open(&en, w, "nope", &e), &e, "no CA 'nope'");
	CHECK(enroll_open(&en, w, "root", &e) == 0);
	CHECK_EQ(en.db.ntokens, 0);

	/* Round trip: made, shown once, used once. */
	CHECK(enroll_token_new(&en, &o, now, tok, id, &e) == 0);
	CHECK_EQ(strlen(tok), ENROLL_TOKEN_LEN);
	CHECK_EQ(strlen(id), ENROLLDB_ID_LEN);
	CHECK(strspn(tok, "0123456789abcdef") == ENROLL_TOKEN_LEN);
	p = test_ca_path(w, "root", "enroll.yaml");
	CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
	free(p);
	text = file_text(w, "enroll.yaml");
	CHECK(text != NULL && strstr(text, tok) == NULL);	/* hashed */
	CHECK(text != NULL && strstr(text, id) != NULL);
	free(text);
	buf_init(&b);
	enroll_token_line(&en.db.tokens[0], now, &b);
	snprintf(line, sizeof line, "%s client active 0/1 expires "
	    "2026-09-22T14:13:20Z", id);
	CHECK_STR((char *)b.data, line);
	buf_clear(&b);

	CHECK_ERR(enroll_token_use(&en, "0123", "CN=alice", now, &t, &e), &e,
	    "unknown token");
	CHECK_EQ(e.kind, ERR_REFUSED);
	memcpy(other, tok, 8);
	tok[0] = tok[0] == 'a' ? 'b' : 'a';
	CHECK_ERR(enroll_token_use(&en, tok, "CN=alice", now, &t, &e), &e,
	    "unknown token");
	tok[0] = other[0];
	CHECK(enroll_token_use(&en, tok, "CN=alice", now, &t, &e) == 1);
	CHECK_STR(t.id, id);
	CHECK_STR(t.profile, "client");
	snprintf(line, sizeof line, "token %s has been used (1 of 1 uses)", id);
	CHECK_ERR(enroll_token_use(&en, tok, "CN=alice", now, &t, &e), &e,
	    line);

	/* Expired: the time is injected. */
	o.ttl = 60;
	o.profile = "server";
	CHECK(enroll_token_new(&en, &o, now, tok, id, &e) == 0);
	memcpy(ide, id, sizeof ide);
	snprintf(line, sizeof line, "token %s expired at 2026-09-21T14:14:20Z",
	    id);
	CHECK_ERR(enroll_token_use(&en, tok, "CN=a", now + 60, &t, &e), &e,
	    line);
	CHECK(enroll_token_use(&en, tok, "CN=a", now + 59, &t, &e) == 1);
	CHECK_STR(t.profile, "server");

	/* N uses, then refused. */
	memset(&o, 0, sizeof o);
	o.uses = 3;
	CHECK(enroll_token_new(&en, &o, now, tok3, id3, &e) == 0);
	for (i = 0; i < 3; i++)
		CHECK(enroll_token_use(&en, tok3, "CN=x", now, &t, &e) == 1);
	snprintf(line, sizeof line, "token %s has been used (3 of 3 uses)",
	    id3);
	CHECK_ERR(enroll_token_use(&en, tok3, "CN=x", now, &t, &e), &e, line);

	/* Subject match: the whole subject, nothing spent when it does not
	 * cover. */
	memset(&o, 0, sizeof o);
	o.match = "CN=alice(, O=Lab)?";
	o.uses = 2;
	CHECK(enroll_token_new(&en, &o, now, tokm, idm, &e) == 0);
	CHECK(enroll_token_use(&en, tokm, "CN=malice", now, &t, &e) == 0);
	CHECK(enroll_token_use(&en, tokm, "CN=alice, O=Lab, C=FR", now, &t,
	    &e) == 0);
	CHECK_EQ(enrolldb_token(&en.db, idm)->used, 0);
	CHECK(enroll_token_use(&en, tokm, "CN=alice, O=Lab", now, &t, &e) == 1);
	buf_init(&b);
	enroll_token_line(enrolldb_token(&en.db, idm), now, &b);
	CHECK(strstr((char *)b.data, " client active 1/2 expires ") != NULL);
	CHECK(strstr((char *)b.data, " match \"CN=alice(, O=Lab)?\"") != NULL);
	buf_clear(&b);

	/* Revoked. */
	CHECK(enroll_token_revoke(&en, idm, now, &e) == 0);
	snprintf(line, sizeof line, "token %s has been revoked", idm);
	CHECK_ERR(enroll_token_use(&en, tokm, "CN=alice", now, &t, &e), &e,
	    line);
	snprintf(line, sizeof line, "token %s is revoked already", idm);
	CHECK_ERR(enroll_token_revoke(&en, idm, now, &e), &e, line);
	CHECK_ERR(enroll_token_revoke(&en, "ffffffff", now, &e), &e,
	    "no token 'ffffffff'");
	CHECK_EQ(e.kind, ERR_USAGE);

	/* Bad options, each with its error. */
	for (i = 0; i < (int)(sizeof badopts / sizeof badopts[0]); i++)
		CHECK_ERR(enroll_token_new(&en, &badopts[i].o, now, tok, id,
		    &e), &e, badopts[i].err);
	memset(&o, 0, sizeof o);
	o.ttl = 10;
	CHECK(enroll_token_new(&en, &o, now, tok, idx, &e) == 0);
	CHECK_EQ(enroll_token_state(enrolldb_token(&en.db, idx), now + 9),
	    ENROLL_TOKEN_ACTIVE);
	CHECK_EQ(enroll_token_state(enrolldb_token(&en.db, idx), now + 10),
	    ENROLL_TOKEN_EXPIRED);
	buf_init(&b);
	enroll_token_line(enrolldb_token(&en.db, idx), now + 10, &b);
	CHECK(strstr((char *)b.data, " client expired 0/1 ") != NULL);
	buf_clear(&b);

	/* Reopened: the same state. */
	enroll_init(&en2);
	CHECK(enroll_open(&en2, w, "root", &e) == 0);
	CHECK_EQ(en2.db.ntokens, 5);
	CHECK_EQ(enrolldb_token(&en2.db, id3)->used, 3);
	CHECK(enrolldb_token(&en2.db, idm)->revoked);
	CHECK_STR(enrolldb_token(&en2.db, idm)->match, "CN=alice(, O=Lab)?");
	CHECK_EQ(enroll_token_state(enrolldb_token(&en2.db, id3), now),
	    ENROLL_TOKEN_USED);
	/* Spent counts before expired. */
	CHECK_EQ(enroll_token_state(enrolldb_token(&en2.db, ide), now + 60),
	    ENROLL_TOKEN_USED);
	CHECK_EQ(enroll_token_state(enrolldb_token(&en2.db, ide), now),
	    ENROLL_TOKEN_USED);
	enroll_clear(&en2);
	enroll_clear(&en);
	explicit_bzero(tok, sizeof tok);
}

/* n processes use a token of uses uses at once: exactly uses win. */
static void
race(const struct ws *w, unsigned long uses, int n)
{
	struct enroll en;
	struct enroll_token_opts o = { 0 };
	struct enrolldb_token t;
	struct err e;
	char tok[ENROLL_TOKEN_LEN + 1], id[ENROLLDB_ID_LEN + 1], c;
	int go[2], i, st, won = 0, lost = 0;
	pid_t pids[16];

	enroll_init(&en);
	CHECK(enroll_open(&en, w, "root", &e) == 0);
	o.uses = uses;
	CHECK(enroll_token_new(&en, &o, now, tok, id, &e) == 0);
	enroll_clear(&en);
	CHECK(pipe(go) == 0);
	for (i = 0; i < n; i++) {
		if ((pids[i] = fork()) == 0) {
			close(go[1]);
			/* Everybody opens first, then waits for the start. */
			enroll_init(&en);
			if (enroll_open(&en, w, "root", &e) == -1)
				_exit(3);
			if (read(go[0], &c, 1) != 0)
				_exit(3);
			st = enroll_token_use(&en, tok, "CN=racer", now, &t,
			    &e);
			_exit(st == 1 ? 0 : st == -1 && strstr(e.msg,
			    "has been used") != NULL ? 1 : 2);
		}
	}
	close(go[0]);
	close(go[1]);	/* the start */
	for (i = 0; i < n; i++) {
		CHECK(waitpid(pids[i], &st, 0) == pids[i]);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			won++;
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 1)
			lost++;
	}
	CHECK_EQ(won, (int)uses);
	CHECK_EQ(lost, n - (int)uses);
	enroll_init(&en);
	CHECK(enroll_open(&en, w, "root", &e) == 0);
	CHECK_EQ(enrolldb_token(&en.db, id)->used, uses);
	enroll_clear(&en);
}

/* Approves request id in a child process while this one holds the CA
 * open for writing: the child cannot take the CA, and needs not. */
static void
approve_elsewhere(const struct ws *w, const char *id, const char *profile)
{
	struct enroll en;
	struct ca ca;
	struct err e;
	pid_t pid;
	int st, ok;

	fflush(NULL);
	if ((pid = fork()) == 0) {
		ca_init(&ca);
		ok = ca_open(&ca, w, "root", CA_WRITE, &e) == -1 &&
		    e.kind == ERR_LOCKED;
		ca_clear(&ca);
		enroll_init(&en);
		ok = ok && enroll_open(&en, w, "root", &e) == 0 &&
		    enroll_approve(&en, id, profile ? profile_find(profile) :
		    NULL, now + 60, &e) == 0;
		if (!ok)
			fprintf(stderr, "approve_elsewhere: %s\n", e.msg);
		enroll_clear(&en);
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0);
}

static void
test_queue(const struct ws *w, const struct rsakey *keys)
{
	struct enroll en, en2;
	struct enroll_token_opts o = { 0 };
	struct enroll_req rq;
	struct enroll_result res, res2;
	struct ca_issued out;
	struct csr bob, carol, dave, alice, big;
	struct cert c;
	struct ca ca;
	struct err e;
	struct buf b;
	char tok[ENROLL_TOKEN_LEN + 1], tid[ENROLLDB_ID_LEN + 1];
	char bid[ENROLLDB_ID_LEN + 1], cid[ENROLLDB_ID_LEN + 1], line[200];
	size_t i, np, ncerts;

	ca_init(&ca);
	CHECK(ca_open(&ca, w, "root", CA_WRITE, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	enroll_init(&en);
	CHECK(enroll_open(&en, w, "root", &e) == 0);
	make_csr(&bob, &keys[0], "CN=bob,O=Lab");
	make_csr(&carol, &keys[1], "CN=carol");
	make_csr(&dave, &keys[2], "CN=dave");
	make_csr(&alice, &keys[3], "CN=alice");

	/* No token: queued, and the same request again is a poll. */
	memset(&rq, 0, sizeof rq);
	rq.csr = &bob;
	rq.name = "bob";
	rq.peer = "127.0.0.1:5123";
	enroll_result_init(&res);
	CHECK(enroll_submit(&en, &ca, &rq, now, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_PENDING);
	CHECK_STR(res.reason, "no token");
	CHECK_EQ(strlen(res.id), ENROLLDB_ID_LEN);
	snprintf(bid, sizeof bid, "%s", res.id);
	enroll_result_clear(&res);
	CHECK(enroll_submit(&en, &ca, &rq, now + 5, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_PENDING);
	CHECK_STR(res.id, bid);
	enroll_result_clear(&res);
	CHECK_EQ(en.db.nreqs, 1);
	CHECK(enroll_poll(&en, &bob, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_PENDING);
	enroll_result_clear(&res);
	CHECK_ERR(enroll_poll(&en, &carol, &res, &e), &e,
	    "no request for this key is queued");

	/* The listing: one line, its ID first. */
	buf_init(&b);
	enroll_req_line(&en.db.reqs[0], &b);
	snprintf(line, sizeof line, "%s 2026-09-21T14:13:20Z client "
	    "\"CN=bob, O=Lab\" pending from \"bob\" at \"127.0.0.1:5123\" "
	    "(no token)", bid);
	CHECK_STR((char *)b.data, line);
	buf_clear(&b);

	/* A token that does not cover the name: queued, nothing spent. */
	o.match = "CN=alice";
	CHECK(enroll_token_new(&en, &o, now, tok, tid, &e) == 0);
	rq.csr = &dave;
	rq.token = tok;
	rq.name = NULL;
	rq.peer = NULL;
	CHECK(enroll_submit(&en, &ca, &rq, now, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_PENDING);
	CHECK_STR(res.reason, "token does not cover subject CN=dave");
	enroll_result_clear(&res);
	CHECK_EQ(enrolldb_token(&en.db, tid)->used, 0);
	/* A wrong token is refused, not queued. */
	rq.csr = &carol;
	rq.token = "00000000";
	CHECK_ERR(enroll_submit(&en, &ca, &rq, now, &res, &e), &e,
	    "unknown token");
	enroll_result_clear(&res);
	/* The covering token issues at once. */
	rq.csr = &alice;
	rq.token = tok;
	CHECK(enroll_submit(&en, &ca, &rq, now, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_ISSUED);
	CHECK_STR(res.token_id, tid);
	cert_init(&c);
	CHECK(cert_parse(&c, res.cert.der, res.cert.len, &e) == 0);
	CHECK(cert_check_signature(&c, &ca.root, &e));
	cert_clear(&c);
	enroll_result_clear(&res);
	snprintf(line, sizeof line, "token %s has been used", tid);
	rq.csr = &carol;
	CHECK_ERR(enroll_submit(&en, &ca, &rq, now, &res, &e), &e, line);
	enroll_result_clear(&res);

	/* Carol without a token, then rejected. */
	rq.token = NULL;
	CHECK(enroll_submit(&en, &ca, &rq, now, &res, &e) == 0);
	snprintf(cid, sizeof cid, "%s", res.id);
	enroll_result_clear(&res);
	CHECK_EQ(en.db.npending, 3);

	/* Restart: the queue is on disk. */
	enroll_clear(&en);
	enroll_init(&en);
	CHECK(enroll_open(&en, w, "root", &e) == 0);
	CHECK_EQ(en.db.npending, 3);
	CHECK_EQ(en.db.nreqs, 3);

	/* Approve while another process holds the CA (as `ca serve` does):
	 * the decision is a record of its own, written under the store's
	 * lock only; the holder issues at the requester's next poll. */
	CHECK_EQ(enroll_to_issue(&en, &bob, &e), 0);
	approve_elsewhere(w, bid, NULL);
	CHECK_EQ(enroll_to_issue(&en, &bob, &e), 1);
	CHECK_EQ(enroll_to_issue(&en, &carol, &e), 0);
	CHECK(enroll_poll(&en, &bob, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_PENDING);
	CHECK_STR(res.reason, "approved: waiting for the CA service to issue "
	    "it");
	enroll_result_clear(&res);
	snprintf(line, sizeof line, "request %s is approved already", bid);
	CHECK_ERR(enroll_approve(&en, bid, NULL, now, &e), &e, line);
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK_ERR(enroll_reject(&en, bid, NULL, now, &e), &e, line);
	CHECK_ERR(enroll_approve(&en, "0000000g", NULL, now, &e), &e,
	    "no request '0000000g'");
	CHECK_EQ(e.kind, ERR_USAGE);
	/* Without the CA, a poll through submit still waits. */
	rq.csr = &bob;
	CHECK(enroll_submit(&en, NULL, &rq, now + 90, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_PENDING);
	enroll_result_clear(&res);
	/* Bob's key is in a keystore of this workspace: it gets the
	 * certificate too. */
	CHECK(entity_import(w, "bob", &keys[0], NULL, 0, pass, strlen(pass),
	    &e) == 0);
	ncerts = ca.db.ncerts;
	CHECK(enroll_submit(&en, &ca, &rq, now + 120, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_ISSUED);
	CHECK_STR(res.id, bid);
	CHECK(res.attached != NULL && strcmp(res.attached, "bob") == 0);
	{
		struct cert_list l;

		cert_list_init(&l);
		CHECK(entity_load_chain(w, "bob", &l, &e) == 0);
		CHECK(l.n == 2 && l.v[0].len == res.cert.len &&
		    memcmp(l.v[0].der, res.cert.der, res.cert.len) == 0);
		cert_list_clear(&l);
	}
	CHECK_EQ(ca.db.ncerts, ncerts + 1);
	cert_init(&c);
	CHECK(cert_parse(&c, res.cert.der, res.cert.len, &e) == 0);
	CHECK(cert_check_signature(&c, &ca.root, &e));
	CHECK(entity_same_key(&c.key, &keys[0]));
	cert_clear(&c);
	ca_issued_init(&out);
	out.der = xmalloc(res.cert.len);
	memcpy(out.der, res.cert.der, res.cert.len);
	out.len = res.cert.len;
	snprintf(out.serial, sizeof out.serial, "%s", res.cert.serial);
	enroll_result_clear(&res);
	CHECK_EQ(enroll_to_issue(&en, &bob, &e), 0);
	/* Issued once: the next poll gets the same certificate. */
	CHECK(enroll_submit(&en, &ca, &rq, now + 180, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_ISSUED);
	CHECK(res.attached == NULL);
	CHECK_EQ(ca.db.ncerts, ncerts + 1);
	CHECK(res.cert.len == out.len && memcmp(res.cert.der, out.der,
	    out.len) == 0);
	CHECK_STR(res.cert.serial, out.serial);
	enroll_result_clear(&res);
	snprintf(line, sizeof line, "request %s is approved already (serial "
	    "%s)", bid, out.serial);
	CHECK_ERR(enroll_approve(&en, bid, NULL, now, &e), &e, line);
	CHECK_ERR(enroll_reject(&en, bid, "late", now, &e), &e, line);

	/* Reject: the poll gets the reason. */
	CHECK_ERR(enroll_reject(&en, cid, "bad\nreason", now, &e), &e,
	    "reason: control character at byte 4");
	CHECK(enroll_reject(&en, cid, "unknown to us", now, &e) == 0);
	snprintf(line, sizeof line, "request %s was rejected: unknown to us",
	    cid);
	CHECK_ERR(enroll_reject(&en, cid, NULL, now, &e), &e, line);
	CHECK_ERR(enroll_approve(&en, cid, NULL, now, &e), &e, line);
	enroll_init(&en2);
	CHECK(enroll_open(&en2, w, "root", &e) == 0);
	CHECK(enroll_poll(&en2, &carol, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_REJECTED);
	CHECK_STR(res.reason, "unknown to us");
	enroll_result_clear(&res);
	enroll_result_init(&res2);
	CHECK(enroll_poll(&en2, &bob, &res2, &e) == 0);
	CHECK_EQ(res2.verdict, ENROLL_ISSUED);
	enroll_result_clear(&res2);
	buf_init(&b);
	enroll_req_line(enrolldb_req(&en2.db, cid), &b);
	CHECK(strstr((char *)b.data, " rejected reason \"unknown to us\"") !=
	    NULL);
	buf_clear(&b);
	buf_init(&b);
	enroll_req_line(enrolldb_req(&en2.db, bid), &b);
	snprintf(line, sizeof line, " issued from \"bob\" at "
	    "\"127.0.0.1:5123\" serial %s", out.serial);
	CHECK(strstr((char *)b.data, line) != NULL);
	buf_clear(&b);
	CHECK_EQ(en2.db.npending, 1);
	enroll_clear(&en2);
	ca_issued_clear(&out);

	/* Bounds: a request too large, a full queue. */
	big = dave;
	big.len = ENROLL_CSR_MAX + 1;
	rq.csr = &big;
	CHECK_ERR(enroll_submit(&en, &ca, &rq, now, &res, &e), &e,
	    "request of 16385 bytes: at most 16384");
	rq.csr = &dave;
	rq.name = "x\x01";
	CHECK_ERR(enroll_submit(&en, &ca, &rq, now, &res, &e), &e,
	    "requester name: control character at byte 2");
	rq.name = NULL;
	CHECK(enrolldb_lock(&en.db, &e) == 0);
	np = en.db.npending;
	for (i = np; i < ENROLL_PENDING_MAX; i++) {
		struct enrolldb_req_rec r = { 0 };
		uint8_t key[32];
		char id[ENROLLDB_ID_LEN + 1];

		memset(key, 0, sizeof key);
		memcpy(key, &i, sizeof i);
		snprintf(id, sizeof id, "%08zx", 0x10000000 + i);
		r.id = id;
		r.time = now;
		r.profile = "client";
		r.subject = "CN=filler";
		r.why = "no token";
		r.key = key;
		r.csr = dave.der;
		r.csr_len = dave.len;
		if (enrolldb_add_req(&en.db, &r, &e) == -1) {
			CHECK(0);
			break;
		}
	}
	enrolldb_unlock(&en.db);
	make_csr(&big, &keys[4], "CN=late");
	rq.csr = &big;
	CHECK_ERR(enroll_submit(&en, &ca, &rq, now, &res, &e), &e,
	    "the approval queue is full (1000 requests pending)");
	csr_clear(&big);
	enroll_clear(&en);

	csr_clear(&bob);
	csr_clear(&carol);
	csr_clear(&dave);
	csr_clear(&alice);
	ca_clear(&ca);
}

static void
test_audit(const struct ws *w)
{
	static const char *const want[] = {
		"token-new", "token-use", "token-refused", "token-revoke",
		"enroll-queue", "issue", "approve", "enroll-issue", "reject",
	};
	struct audit_log l;
	struct err e;
	size_t i, j;
	int found;

	audit_log_init(&l);
	CHECK(audit_read(w, "root", &l, &e) == 0);	/* chain intact */
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		found = 0;
		for (j = 0; j < l.n; j++)
			found |= strcmp(l.v[j].action, want[i]) == 0;
		if (!found)
			test_fail(__FILE__, __LINE__, "no audit '%s'", want[i]);
		test_checks++;
	}
	audit_log_clear(&l);
}

/* A record as the store writes it, its sum computed. */
static void
put_rec(struct buf *b, const char *body)
{
	uint8_t d[32];
	char hex[65];
	size_t start = b->len;

	buf_printf(b, "---\n%s", body);
	hash_sha256(b->data + start, b->len - start, d);
	hex_encode(d, 32, hex);
	buf_printf(b, "sum: %s\n...\n", hex);
}

#define HDR "# minipki-enroll 1\n# comment\n"
#define TOK "type: token\nid: 0a0b0c0d\nhash: " \
	"00000000000000000000000000000000000000000000000000000000000000aa\n" \
	"profile: client\nuses: 1\ncreated: 2026-09-21T00:00:00Z\n" \
	"expires: 2026-09-22T00:00:00Z\n"

/* Parses HDR, then the records in bodies, then tail; checks the error. */
static void
bad(const char *const *bodies, const char *tail, const char *want)
{
	struct enrolldb db;
	struct buf b;
	struct err e;

	buf_init(&b);
	buf_puts(&b, HDR);
	for (; *bodies != NULL; bodies++)
		put_rec(&b, *bodies);
	buf_puts(&b, tail);
	enrolldb_init(&db);
	err_clear(&e);
	if (want == NULL)
		CHECK(enrolldb_parse(&db, b.data, b.len, "t", &e) == 0);
	else
		CHECK_ERR(enrolldb_parse(&db, b.data, b.len, "t", &e), &e,
		    want);
	enrolldb_clear(&db);
	buf_clear(&b);
}

static void
test_damage(void)
{
	struct enrolldb db;
	struct buf b;
	struct err e;
	const char *one[] = { TOK, NULL };
	const char *use[] = { TOK, "type: use\nid: 0a0b0c0d\n"
	    "time: 2026-09-21T01:00:00Z\nsubject: \"CN=a\"\n", NULL };
	const char *twice[] = { TOK, "type: use\nid: 0a0b0c0d\n"
	    "time: 2026-09-21T01:00:00Z\nsubject: \"CN=a\"\n",
	    "type: use\nid: 0a0b0c0d\n"
	    "time: 2026-09-21T01:00:00Z\nsubject: \"CN=a\"\n", NULL };
	const char *unknown[] = { "type: use\nid: 0a0b0c0e\n"
	    "time: 2026-09-21T01:00:00Z\nsubject: \"CN=a\"\n", NULL };
	const char *esc[] = { "type: token\nid: 0a0b0c0d\nhash: "
	    "00000000000000000000000000000000000000000000000000000000000000aa\n"
	    "profile: client\nmatch: \"CN=\\q\"\nuses: 1\n"
	    "created: 2026-09-21T00:00:00Z\nexpires: 2026-09-22T00:00:00Z\n",
	    NULL };
	const char *type[] = { "type: frob\nid: 0a0b0c0d\n", NULL };
	const char *missing[] = { "type: revoke\nid: 0a0b0c0d\n", NULL };
	const char *order[] = { "type: revoke\ntime: 2026-09-21T01:00:00Z\n"
	    "id: 0a0b0c0d\n", NULL };
	const char *badtime[] = { "type: revoke\nid: 0a0b0c0d\n"
	    "time: 2026-13-21T01:00:00Z\n", NULL };
	const char *badb64[] = { "type: request\nid: 01020304\n"
	    "time: 2026-09-21T01:00:00Z\nprofile: client\nsubject: \"CN=a\"\n"
	    "why: \"no token\"\nkey: "
	    "00000000000000000000000000000000000000000000000000000000000000aa\n"
	    "csr: MII*\n", NULL };
	const char *decide[] = { "type: reject\nid: 01020304\n"
	    "time: 2026-09-21T01:00:00Z\nreason: \"no\"\n", NULL };
#define REQ "type: request\nid: 01020304\ntime: 2026-09-21T01:00:00Z\n" \
	"profile: client\nsubject: \"CN=a\"\nwhy: \"no token\"\nkey: " \
	"00000000000000000000000000000000000000000000000000000000000000aa\n" \
	"csr: AAAA\n"
#define APPROVE "type: approve\nid: 01020304\ntime: 2026-09-21T02:00:00Z\n" \
	"profile: server\n"
#define ISSUE "type: issue\nid: 01020304\ntime: 2026-09-21T03:00:00Z\n" \
	"serial: 0a1b\ncert: AAAA\n"
#define ISSUING "type: issuing\nid: 01020304\ntime: 2026-09-21T02:30:00Z\n"
	const char *issued[] = { REQ, APPROVE, ISSUE, NULL };
	const char *intent[] = { REQ, APPROVE, ISSUING, ISSUING, ISSUE, NULL };
	const char *intent_early[] = { REQ, ISSUING, NULL };
	const char *intent_late[] = { REQ, APPROVE, ISSUE, ISSUING, NULL };
	const char *lapse_bad[] = { "type: request\nid: 01020304\n"
	    "time: 2026-09-21T01:00:00Z\nexpires: 2026-09-21T01:00:00Z\n"
	    "profile: client\nsubject: \"CN=a\"\nwhy: \"no token\"\nkey: "
	    "00000000000000000000000000000000000000000000000000000000000000aa\n"
	    "csr: AAAA\n", NULL };
	const char *lapse_order[] = { "type: request\nid: 01020304\n"
	    "time: 2026-09-21T01:00:00Z\nprofile: client\n"
	    "expires: 2026-09-22T01:00:00Z\nsubject: \"CN=a\"\n"
	    "why: \"no token\"\nkey: "
	    "00000000000000000000000000000000000000000000000000000000000000aa\n"
	    "csr: AAAA\n", NULL };
	const char *early[] = { REQ, ISSUE, NULL };
	const char *twice_issued[] = { REQ, APPROVE, ISSUE, ISSUE, NULL };
	const char *half[] = { REQ, "type: approve\nid: 01020304\n"
	    "time: 2026-09-21T02:00:00Z\nserial: 0a1b\n", NULL };
	/* As versions before the issue record wrote it: both in one. */
	const char *legacy[] = { REQ, "type: approve\nid: 01020304\n"
	    "time: 2026-09-21T02:00:00Z\nserial: 0a1b\ncert: AAAA\n", NULL };

	bad(one, "", NULL);
	bad(use, "", NULL);
	bad(twice, "", "t: line 20: record 3: use of token 0a0b0c0d beyond "
	    "its 1 uses");
	bad(unknown, "", "t: line 3: record 1: use of unknown token 0a0b0c0e");
	bad(esc, "", "t: line 8: record 1: match: bad escape \\q");
	bad(type, "", "t: line 4: record 1: unknown type 'frob'");
	bad(missing, "", "t: line 6: record 1: no 'time' in a revoke record");
	bad(order, "", "t: line 5: record 1: unexpected field 'time' in a "
	    "revoke record");
	bad(badtime, "", "t: line 6: record 1: time: not a time "
	    "YYYY-MM-DDTHH:MM:SSZ");
	bad(badb64, "", "t: line 11: record 1: csr: ");
	bad(decide, "", "t: line 3: record 1: decision on unknown request "
	    "01020304");
	bad(issued, "", NULL);
	bad(legacy, "", NULL);
	bad(early, "", "t: line 14: record 2: issue for request 01020304, "
	    "which is not approved");
	bad(twice_issued, "", "t: line 29: record 4: request 01020304 issued "
	    "twice");
	bad(half, "", "t: line 14: record 2: approval of request 01020304 "
	    "with serial but no cert");
	bad(intent, "", NULL);
	bad(intent_early, "", "t: line 14: record 2: issuing for request "
	    "01020304, which is not approved");
	bad(intent_late, "", "t: line 29: record 4: issuing for request "
	    "01020304, which is issued already");
	bad(lapse_bad, "", "t: line 3: record 1: request 01020304 expires "
	    "before it was queued");
	bad(lapse_order, "", "t: line 8: record 1: unexpected field 'expires' "
	    "in a request record");
	enrolldb_init(&db);
	buf_init(&b);
	buf_puts(&b, HDR);
	put_rec(&b, REQ);
	put_rec(&b, APPROVE);
	CHECK(enrolldb_parse(&db, b.data, b.len, "t", &e) == 0);
	CHECK(db.nreqs == 1 && db.reqs[0].state == ENROLLDB_APPROVED);
	/* Written before requests expired: a week after it was queued. */
	CHECK(db.nreqs == 1 && db.reqs[0].expires == db.reqs[0].time +
	    7 * 86400);
	CHECK(db.nreqs == 1 && strcmp(db.reqs[0].approved_profile, "server") ==
	    0);
	CHECK_EQ(db.npending, 0);
	put_rec(&b, ISSUE);
	CHECK(enrolldb_parse(&db, b.data, b.len, "t", &e) == 0);
	CHECK(db.nreqs == 1 && db.reqs[0].state == ENROLLDB_ISSUED);
	CHECK(db.nreqs == 1 && strcmp(db.reqs[0].serial, "0a1b") == 0);
	enrolldb_clear(&db);
	buf_clear(&b);
	/* An edited record: its sum no longer matches. */
	buf_init(&b);
	buf_puts(&b, HDR);
	put_rec(&b, TOK);
	((char *)b.data)[b.len - 80] ^= 1;
	enrolldb_init(&db);
	CHECK_ERR(enrolldb_parse(&db, b.data, b.len, "t", &e), &e,
	    "t: line 3: record 1:");
	buf_clear(&b);
	enrolldb_clear(&db);
	bad(one, "garbage\n", "t: line 13: record 2: expected '---' (start of "
	    "a record)");
	/* Complete but broken last record (ends with "..."): damage. */
	bad(one, "---\ntype: use\nsum: 00\n...\n", "t: line 15: record 2: no "
	    "'id' in a use record");
	bad(one, "---\ntype: use\n...\n", "t: line 15: record 2: no 'id' in "
	    "a use record");
	bad(one, "---\ntype: revoke\nid: 0a0b0c0d\ntime: "
	    "2026-09-21T01:00:00Z\n...\n", "t: line 17: record 2: bad checksum "
	    "line");
	/* Torn tails: skipped. */
	bad(one, "--", NULL);
	bad(one, "---\ntype: use\nid: 0a0b", NULL);
	bad(one, "---\ntype: use\nid: 0a0b0c0d\ntime: 2026-09-21T01:00:00Z\n"
	    "subject: \"CN=a\"\nsum: 0000", NULL);
	buf_init(&b);
	buf_puts(&b, HDR);
	put_rec(&b, TOK);
	buf_puts(&b, "---\ntype: use\nid: 0a0b");
	enrolldb_init(&db);
	CHECK(enrolldb_parse(&db, b.data, b.len, "t", &e) == 0);
	CHECK_EQ(db.ntokens, 1);
	CHECK_EQ(db.torn, strlen("---\ntype: use\nid: 0a0b"));
	enrolldb_clear(&db);
	buf_clear(&b);
	/* Not a store at all. */
	enrolldb_init(&db);
	CHECK_ERR(enrolldb_parse(&db, "hello\n", 6, "t", &e), &e,
	    "t: line 1: not a minipki enrollment store (no '# minipki-enroll "
	    "1' line)");
	CHECK(enrolldb_parse(&db, "# minipki-en", 12, "t", &e) == 0);
	enrolldb_clear(&db);
}

/* A writer killed while it appends leaves a store that opens, with every
 * token it acknowledged; the next writer cuts the torn tail off. */
static void
test_kill(const struct ws *w)
{
	struct enroll en;
	struct enroll_token_opts o = { 0 };
	struct err e;
	char tok[ENROLL_TOKEN_LEN + 1], id[ENROLLDB_ID_LEN + 1];
	char ids[4096][ENROLLDB_ID_LEN + 1], *p, *torn;
	int fd[2], n = 0, i, st;
	struct timespec ms = { 0, 100 * 1000 * 1000 };
	struct stat sb;
	ssize_t r;
	pid_t pid;

	CHECK(pipe(fd) == 0);
	if ((pid = fork()) == 0) {
		close(fd[0]);
		enroll_init(&en);
		if (enroll_open(&en, w, "root", &e) == -1)
			_exit(1);
		for (;;) {
			if (enroll_token_new(&en, &o, now, tok, id, &e) == -1)
				_exit(1);
			/* Acknowledged: the parent must find it. */
			if (write(fd[1], id, ENROLLDB_ID_LEN) !=
			    ENROLLDB_ID_LEN)
				_exit(1);
			/* Keep under the usable-token bound. */
			if (enroll_token_revoke(&en, id, now, &e) == -1)
				_exit(1);
		}
	}
	close(fd[1]);
	/* Kill it once it has acknowledged one, at some later instant. */
	if (read(fd[0], ids[0], ENROLLDB_ID_LEN) == ENROLLDB_ID_LEN) {
		ids[0][ENROLLDB_ID_LEN] = '\0';
		n = 1;
	}
	nanosleep(&ms, NULL);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st));
	while (n < 4096 && (r = read(fd[0], ids[n], ENROLLDB_ID_LEN)) ==
	    ENROLLDB_ID_LEN) {
		ids[n][ENROLLDB_ID_LEN] = '\0';
		n++;
	}
	close(fd[0]);
	CHECK(n > 0);
	enroll_init(&en);
	CHECK(enroll_open(&en, w, "root", &e) == 0);
	for (i = 0; i < n; i++)
		CHECK(enrolldb_token(&en.db, ids[i]) != NULL);

	/* A torn tail made by hand: readers skip it, a writer keeps it in
	 * enroll.yaml.torn and cuts it off. */
	p = test_ca_path(w, "root", "enroll.yaml");
	test_append(p, "---\ntype: token\nid: 1234");
	CHECK(enroll_refresh(&en, &e) == 0);
	CHECK(en.db.torn > 0);
	CHECK(enroll_token_new(&en, &o, now, tok, id, &e) == 0);
	CHECK(enroll_token_revoke(&en, id, now, &e) == 0);
	torn = test_ca_path(w, "root", "enroll.yaml.torn");
	CHECK(stat(torn, &sb) == 0 && sb.st_size >= 24);
	free(torn);
	enroll_clear(&en);
	enroll_init(&en);
	CHECK(enroll_open(&en, w, "root", &e) == 0);
	CHECK_EQ(en.db.torn, 0);
	CHECK(enrolldb_token(&en.db, id) != NULL);

	/* A damaged file is an error for every open, naming the line. */
	test_append(p, "---\ntype: frob\nsum: 00\n...\n");
	CHECK_ERR(enroll_refresh(&en, &e), &e, "ca/root/enroll.yaml: line ");
	CHECK(strstr(e.msg, "unknown type 'frob'") != NULL);
	enroll_clear(&en);
	enroll_init(&en);
	CHECK_ERR(enroll_open(&en, w, "root", &e), &e, "unknown type 'frob'");
	CHECK_ERR(enroll_token_new(&en, &o, now, tok, id, &e), &e,
	    "unknown type 'frob'");
	enroll_clear(&en);
	free(p);
}

/* What the store writes is YAML that libyaml reads to the same strings
 * as the store (quoting through yamlq). */
static void
test_yaml(const struct ws *w)
{
	static const char *const tricky[] = {
		"CN=Ren\xc3\xa9", "CN=a\"b\\c", "CN=\x01ctl\x7f",
		"CN=\xe2\x80\xa8 sep", "CN=bad \xff byte",
	};
	struct enrolldb db;
	struct enrolldb_req_rec r;
	struct enrolldb_token_rec t;
	struct yview y;
	struct err e;
	uint8_t key[32], hash[32];
	char id[ENROLLDB_ID_LEN + 1], *path;
	size_t i, n = sizeof tricky / sizeof tricky[0];

	CHECK(cadb_create(w, "y", "y", NULL, &e) == 0);
	enrolldb_init(&db);
	CHECK(enrolldb_open(&db, w, "y", &e) == 0);
	CHECK(enrolldb_lock(&db, &e) == 0);
	memset(hash, 7, sizeof hash);
	memset(&t, 0, sizeof t);
	t.id = "00000001";
	t.hash = hash;
	t.profile = "client";
	t.match = "CN=(a|\"b\")";
	t.uses = 1;
	t.created = now;
	t.expires = now + 1;
	CHECK(enrolldb_add_token(&db, &t, &e) == 0);
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof r);
		memset(key, (int)i, sizeof key);
		snprintf(id, sizeof id, "%08zx", i);
		r.id = id;
		r.time = now;
		r.profile = "server";
		r.subject = tricky[i];
		r.name = tricky[(i + 1) % n];
		r.peer = "unix";
		r.why = "no token";
		r.key = key;
		r.csr = hash;
		r.csr_len = sizeof hash;
		CHECK(enrolldb_add_req(&db, &r, &e) == 0);
		CHECK(enrolldb_reject(&db, id, now, tricky[(i + 2) % n],
		    &e) == 0);
	}
	enrolldb_unlock(&db);
	enrolldb_clear(&db);
	enrolldb_init(&db);
	CHECK(enrolldb_open(&db, w, "y", &e) == 0);
	CHECK_EQ(db.nreqs, n);
	path = test_ca_path(w, "y", "enroll.yaml");
	memset(&y, 0, sizeof y);
	CHECK_EQ(yaml_view(path, &y), 0);
	CHECK_EQ(y.docs, (int)(1 + 2 * n));
	CHECK_STR(yget(&y, 0, "type"), "token");
	CHECK_STR(yget(&y, 0, "match"), db.tokens[0].match);
	CHECK_STR(yget(&y, 0, "uses"), "1");
	for (i = 0; i < db.nreqs; i++) {
		CHECK_STR(yget(&y, (int)(1 + 2 * i), "subject"),
		    db.reqs[i].subject);
		CHECK_STR(yget(&y, (int)(1 + 2 * i), "name"), db.reqs[i].name);
		CHECK_STR(yget(&y, (int)(2 + 2 * i), "reason"),
		    db.reqs[i].reason);
	}
	CHECK_STR(db.reqs[0].subject, "CN=Ren\xc3\xa9");
	CHECK_STR(db.reqs[4].subject, "CN=bad \xef\xbf\xbd byte");
	yview_clear(&y);
	free(path);
	enrolldb_clear(&db);
}

/* Compaction keeps the usable tokens and what a requester may still poll,
 * record for record; a reader that had the old file reads the new one. */
static void
test_compact(const struct ws *w)
{
	struct enroll en, stale;
	struct enroll_token_opts o = { 0 };
	struct enrolldb_token t;
	struct enrolldb_req_rec r = { 0 };
	struct err e;
	struct stat a, b;
	uint8_t key[32];
	char tok[ENROLL_TOKEN_LEN + 1], ida[ENROLLDB_ID_LEN + 1];
	char idb[ENROLLDB_ID_LEN + 1], *path = test_ca_path(w, "z", "enroll.yaml");
	int64_t later = now + 40 * 86400;

	CHECK(cadb_create(w, "z", "z", NULL, &e) == 0);
	enroll_init(&en);
	CHECK(enroll_open(&en, w, "z", &e) == 0);
	o.ttl = ENROLL_TTL_MAX;
	o.uses = 5;
	CHECK(enroll_token_new(&en, &o, now, tok, idb, &e) == 0);
	CHECK(enroll_token_revoke(&en, idb, now, &e) == 0);
	/* Expired by then. */
	CHECK(enroll_token_new(&en, &o, later - ENROLL_TTL_MAX, tok, idb,
	    &e) == 0);
	CHECK(enroll_token_new(&en, &o, now, tok, ida, &e) == 0);
	CHECK(enroll_token_use(&en, tok, "CN=a", now, &t, &e) == 1);
	CHECK(enrolldb_lock(&en.db, &e) == 0);
	memset(key, 1, sizeof key);
	r.id = "00000001";
	r.time = now;
	/* Lapsed and 30 days on, it would go (test_lapse). */
	r.expires = later;
	r.profile = "client";
	r.subject = "CN=kept";
	r.why = "no token";
	r.key = key;
	r.csr = key;
	r.csr_len = sizeof key;
	CHECK(enrolldb_add_req(&en.db, &r, &e) == 0);
	r.id = "00000002";
	r.subject = "CN=gone";
	key[0] = 2;
	CHECK(enrolldb_add_req(&en.db, &r, &e) == 0);
	enrolldb_unlock(&en.db);
	CHECK(enroll_reject(&en, "00000002", NULL, now, &e) == 0);
	enroll_init(&stale);
	CHECK(enroll_open(&stale, w, "z", &e) == 0);
	CHECK_EQ(stale.db.ntokens, 3);
	CHECK(stat(path, &a) == 0);

	CHECK(enroll_compact(&en, later, &e) == 0);
	CHECK(stat(path, &b) == 0);
	CHECK(b.st_size < a.st_size && a.st_ino != b.st_ino);
	CHECK((b.st_mode & 0777) == 0600);
	CHECK_EQ(en.db.ntokens, 1);
	CHECK(enrolldb_token(&en.db, ida) != NULL &&
	    enrolldb_token(&en.db, ida)->used == 1);
	CHECK_EQ(en.db.nreqs, 1);
	CHECK(enrolldb_req(&en.db, "00000001") != NULL);
	CHECK(enroll_refresh(&stale, &e) == 0);
	CHECK_EQ(stale.db.ntokens, 1);
	CHECK_EQ(stale.db.nreqs, 1);
	/* The kept token goes on working, in both. */
	CHECK(enroll_token_use(&stale, tok, "CN=b", later, &t, &e) == 1);
	CHECK_EQ(t.used, 2);
	CHECK(enroll_refresh(&en, &e) == 0);
	CHECK_EQ(enrolldb_token(&en.db, ida)->used, 2);
	enroll_clear(&stale);
	enroll_clear(&en);
	free(path);
}

/* A writer waits for the lock, then gives up naming the holder; two
 * descriptions of the lock in one process exclude each other too (two
 * connections of one service). */
static void
test_lock_wait(const struct ws *w)
{
	struct enroll en, other;
	struct enroll_token_opts o = { 0 };
	struct err e;
	char tok[ENROLL_TOKEN_LEN + 1], id[ENROLLDB_ID_LEN + 1], want[96];
	time_t t0;

	enroll_init(&en);
	enroll_init(&other);
	CHECK(enroll_open(&en, w, "z", &e) == 0);
	CHECK(enroll_open(&other, w, "z", &e) == 0);
	CHECK(enrolldb_lock(&other.db, &e) == 0);
	t0 = time(NULL);
	snprintf(want, sizeof want, "ca/z/enroll.yaml is locked by another "
	    "process (pid %ld)", (long)getpid());
	CHECK_ERR(enroll_token_new(&en, &o, now, tok, id, &e), &e, want);
	CHECK_EQ(e.kind, ERR_LOCKED);
	CHECK(time(NULL) - t0 >= ENROLLDB_LOCK_WAIT / 1000 - 1);
	enrolldb_unlock(&other.db);
	CHECK(enroll_token_new(&en, &o, now, tok, id, &e) == 0);
	enroll_clear(&other);
	enroll_clear(&en);
}

/* A CA of its own for a test, opened for issuing and unlocked. */
static void
own_ca(const struct ws *w, const char *name, struct ca *ca)
{
	struct dn subject;
	struct err e;
	uint8_t *root = NULL;
	size_t len;

	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=Enroll Test Two", &e) == 0);
	CHECK(ca_create(w, name, &subject, 2048, 10, now, pass, strlen(pass),
	    NULL, NULL, &root, &len, &e) == 0);
	free(root);
	dn_clear(&subject);
	ca_init(ca);
	CHECK(ca_open(ca, w, name, CA_WRITE | CA_APPEND, &e) == 0);
	CHECK(ca_unlock(ca, pass, strlen(pass), &e) == 0);
}

/* Requests lapse undecided: the poll is refused, the listing says so,
 * the operator can no longer decide, the default is a week. */
static void
test_lapse(const struct ws *w, const struct rsakey *keys)
{
	struct enroll en;
	struct enroll_req rq;
	struct enroll_result res;
	struct csr bob, carol;
	struct ca ca;
	struct err e;
	struct buf b;
	char id[ENROLLDB_ID_LEN + 1], want[300];
	const struct enrolldb_req *r;

	own_ca(w, "lapse", &ca);
	enroll_init(&en);
	CHECK(enroll_open(&en, w, "lapse", &e) == 0);
	en.pending_ttl = 3600;
	make_csr(&bob, &keys[0], "CN=bob,O=Lab");
	make_csr(&carol, &keys[1], "CN=carol");
	memset(&rq, 0, sizeof rq);
	rq.csr = &bob;
	enroll_result_init(&res);
	CHECK(enroll_submit(&en, &ca, &rq, now, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_PENDING);
	snprintf(id, sizeof id, "%s", res.id);
	enroll_result_clear(&res);
	CHECK((r = enrolldb_req(&en.db, id)) != NULL && r->expires ==
	    now + 3600);
	/* A second before: still waiting. */
	CHECK(enroll_submit(&en, &ca, &rq, now + 3599, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_PENDING);
	enroll_result_clear(&res);
	buf_init(&b);
	enroll_req_line_at(enrolldb_req(&en.db, id), now + 3599, &b);
	snprintf(want, sizeof want, "%s 2026-09-21T14:13:20Z client "
	    "\"CN=bob, O=Lab\" pending (no token)", id);
	CHECK_STR((char *)b.data, want);
	/* Then lapsed. */
	CHECK(enroll_submit(&en, &ca, &rq, now + 3600, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_EXPIRED);
	CHECK_STR(res.id, id);
	CHECK_STR(res.reason, "not decided by 2026-09-21T15:13:20Z; send a "
	    "new request, with a new key");
	enroll_result_clear(&res);
	b.len = 0;
	enroll_req_line_at(enrolldb_req(&en.db, id), now + 3600, &b);
	buf_putc(&b, '\0');
	snprintf(want, sizeof want, "%s 2026-09-21T14:13:20Z client "
	    "\"CN=bob, O=Lab\" expired since 2026-09-21T15:13:20Z", id);
	CHECK_STR((char *)b.data, want);
	buf_clear(&b);
	CHECK(enroll_req_expired(enrolldb_req(&en.db, id), now + 3600));
	CHECK(!enroll_req_expired(enrolldb_req(&en.db, id), now + 3599));
	snprintf(want, sizeof want, "request %s expired at "
	    "2026-09-21T15:13:20Z (not decided in time)", id);
	err_clear(&e);
	CHECK_EQ(enroll_approve(&en, id, NULL, now + 4000, &e), -1);
	CHECK_STR(e.msg, want);
	CHECK_EQ(e.kind, ERR_REFUSED);
	err_clear(&e);
	CHECK_EQ(enroll_reject(&en, id, NULL, now + 4000, &e), -1);
	CHECK_STR(e.msg, want);
	/* Approved in time, it does not lapse. */
	en.pending_ttl = 0;
	rq.csr = &carol;
	CHECK(enroll_submit(&en, &ca, &rq, now, &res, &e) == 0);
	snprintf(id, sizeof id, "%s", res.id);
	enroll_result_clear(&res);
	CHECK((r = enrolldb_req(&en.db, id)) != NULL && r->expires ==
	    now + 7 * 86400);
	CHECK(enroll_approve(&en, id, NULL, now + 60, &e) == 0);
	CHECK(enroll_submit(&en, &ca, &rq, now + 8 * 86400, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_ISSUED);
	enroll_result_clear(&res);
	csr_clear(&bob);
	csr_clear(&carol);
	enroll_clear(&en);
	ca_clear(&ca);
}

/* How many certificates of CA name have subject. */
static size_t
count_subject(const struct ws *w, const char *name, const char *subject)
{
	struct cadb db;
	struct err e;
	size_t i, n = 0;

	cadb_init(&db);
	CHECK(cadb_open(&db, w, name, 0, &e) == 0);
	for (i = 0; i < db.ncerts; i++)
		n += strcmp(db.certs[i].subject, subject) == 0;
	cadb_clear(&db);
	return n;
}

/* A crash between the certificate of an approved request and its issue
 * record: the next poll finds that certificate instead of issuing a
 * second; a crash before the certificate: it is issued then. */
static void
test_recover(const struct ws *w, const struct rsakey *keys)
{
	struct enroll en;
	struct enroll_req rq;
	struct enroll_result res;
	struct ca_issued out;
	struct csr dave, erin, fay;
	struct ca ca;
	struct err e;
	char id[ENROLLDB_ID_LEN + 1], want[200], *p, *text;
	size_t n;

	own_ca(w, "rec", &ca);
	enroll_init(&en);
	CHECK(enroll_open(&en, w, "rec", &e) == 0);
	make_csr(&dave, &keys[2], "CN=dave");
	make_csr(&erin, &keys[3], "CN=erin");
	make_csr(&fay, &keys[4], "CN=fay");
	memset(&rq, 0, sizeof rq);
	enroll_result_init(&res);

	/* The normal way: an issuing record, then the issue record. */
	rq.csr = &fay;
	CHECK(enroll_submit(&en, &ca, &rq, now, &res, &e) == 0);
	snprintf(id, sizeof id, "%s", res.id);
	enroll_result_clear(&res);
	CHECK(enroll_approve(&en, id, NULL, now + 10, &e) == 0);
	CHECK(enroll_submit(&en, &ca, &rq, now + 20, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_ISSUED);
	enroll_result_clear(&res);
	p = test_ca_path(w, "rec", "enroll.yaml");
	text = (char *)test_read_file(p, &n);
	free(p);
	snprintf(want, sizeof want, "type: issuing\nid: %s\n"
	    "time: 2026-09-21T14:13:40Z\n", id);
	CHECK(text != NULL && strstr(text, want) != NULL);
	free(text);

	/* Killed after the certificate, before its issue record: as the
	 * dead process left it. */
	rq.csr = &dave;
	CHECK(enroll_submit(&en, &ca, &rq, now, &res, &e) == 0);
	snprintf(id, sizeof id, "%s", res.id);
	enroll_result_clear(&res);
	CHECK(enroll_approve(&en, id, NULL, now + 10, &e) == 0);
	CHECK(enrolldb_lock(&en.db, &e) == 0);
	CHECK(enrolldb_issuing(&en.db, id, now + 20, &e) == 0);
	enrolldb_unlock(&en.db);
	ca_issued_init(&out);
	CHECK(ca_issue(&ca, &dave, profile_find("client"), 0, now + 20, &out,
	    &e) == 0);
	CHECK_EQ(count_subject(w, "rec", "CN=dave"), 1);
	CHECK_EQ(enroll_to_issue(&en, &dave, &e), 1);
	CHECK(enroll_submit(&en, &ca, &rq, now + 30, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_ISSUED);
	CHECK_STR(res.cert.serial, out.serial);
	CHECK(res.cert.len == out.len && memcmp(res.cert.der, out.der,
	    out.len) == 0);
	enroll_result_clear(&res);
	CHECK_EQ(count_subject(w, "rec", "CN=dave"), 1);
	/* Every later poll: that one, from the issue record. */
	CHECK(enroll_submit(&en, &ca, &rq, now + 40, &res, &e) == 0);
	CHECK_STR(res.cert.serial, out.serial);
	enroll_result_clear(&res);
	CHECK_EQ(count_subject(w, "rec", "CN=dave"), 1);
	p = test_ca_path(w, "rec", "audit.yaml");
	text = (char *)test_read_file(p, &n);
	free(p);
	snprintf(want, sizeof want, "request %s serial %s (found in the CA "
	    "database after an interrupted issuance)", id, out.serial);
	CHECK(text != NULL && strstr(text, want) != NULL);
	free(text);
	ca_issued_clear(&out);

	/* Killed after the issuing record, before the certificate. */
	rq.csr = &erin;
	CHECK(enroll_submit(&en, &ca, &rq, now, &res, &e) == 0);
	snprintf(id, sizeof id, "%s", res.id);
	enroll_result_clear(&res);
	CHECK(enroll_approve(&en, id, NULL, now + 10, &e) == 0);
	CHECK(enrolldb_lock(&en.db, &e) == 0);
	CHECK(enrolldb_issuing(&en.db, id, now + 20, &e) == 0);
	enrolldb_unlock(&en.db);
	CHECK_EQ(count_subject(w, "rec", "CN=erin"), 0);
	CHECK(enroll_submit(&en, &ca, &rq, now + 30, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_ISSUED);
	enroll_result_clear(&res);
	CHECK_EQ(count_subject(w, "rec", "CN=erin"), 1);
	csr_clear(&dave);
	csr_clear(&erin);
	csr_clear(&fay);
	enroll_clear(&en);
	ca_clear(&ca);
}

int
main(void)
{
	char dir[] = "tests/work/enroll-XXXXXX";
	struct rsakey keys[5];
	struct ws ws;
	struct dn subject;
	struct err e;
	uint8_t *root = NULL;
	size_t rootlen, i;

	if (test_ws_open(&ws, dir) == -1)
		return 1;
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=Enroll Test Root", &e) == 0);
	CHECK(ca_create(&ws, "root", &subject, 2048, 10, now, pass,
	    strlen(pass), NULL, NULL, &root, &rootlen, &e) == 0);
	free(root);
	dn_clear(&subject);
	for (i = 0; i < 5; i++) {
		rsakey_init(&keys[i]);
		CHECK(rsakey_generate(&keys[i], 2048, NULL, NULL, &e) == 0);
	}
	test_tokens(&ws);
	race(&ws, 1, 8);
	race(&ws, 3, 8);
	test_queue(&ws, keys);
	test_audit(&ws);
	test_damage();
	test_kill(&ws);
	test_yaml(&ws);
	test_compact(&ws);
	test_lock_wait(&ws);
	test_lapse(&ws, keys);
	test_recover(&ws, keys);
	for (i = 0; i < 5; i++)
		rsakey_clear(&keys[i]);
	test_ws_remove(&ws, dir);
	return test_done();
}
