/* enrollcheck-test.c — `ca check` of enroll.yaml (enroll_check through
 * lifecycle_check): a store with tokens used, requests queued, approved,
 * issued, rejected and lapsed passes with its summary line; a CA without
 * one passes without it; an issue record whose serial is not in the
 * database, whose certificate is another's, or whose certificate is for
 * another key fails with its exact message; an edited record fails with
 * the reader's; a torn last record is a note, cut by --repair; an
 * interrupted issuance is a note. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "role/ca.h"
#include "role/enroll.h"
#include "role/lifecycle.h"
#include "store/enrolldb.h"
#include "testlib.h"
#include "testws.h"

static const char pass[] = "enrollcheck-test-pass";
static const int64_t now = 1790000000;	/* 2026-09-21 */

/* CHECK with a message saying what was found. */
#define CHECK_MSG(e, ...) do { test_checks++; if (!(e)) \
	test_fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)

static struct ws w;
static struct rsakey keys[3];

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

static void
new_ca(const char *name)
{
	struct dn subject;
	struct err e;
	uint8_t *root = NULL;
	size_t len;

	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=Check Root", &e) == 0);
	CHECK(ca_create(&w, name, &subject, 2048, 3650, (int64_t)time(NULL),
	    pass, strlen(pass), NULL, NULL, &root, &len, &e) == 0);
	free(root);
	dn_clear(&subject);
}

/* Runs the check; returns its result, the problem in e, and whether a
 * line (ok or note) starting with want was reported. */
static int
check(const char *name, int repair, const char *want, int *found,
    struct err *e)
{
	struct lifecycle_report rep;
	size_t i;
	int rc;

	lifecycle_report_init(&rep);
	err_clear(e);
	rc = lifecycle_check(&w, name, repair, &rep, e);
	*found = 0;
	for (i = 0; want != NULL && i < rep.nok; i++)
		*found |= strncmp(rep.ok[i], want, strlen(want)) == 0;
	for (i = 0; want != NULL && i < rep.nnotes; i++)
		*found |= strncmp(rep.notes[i], want, strlen(want)) == 0;
	if (getenv("TEST_VERBOSE") != NULL)
		for (i = 0; i < rep.nok + rep.nnotes; i++)
			fprintf(stderr, "%s\n", i < rep.nok ? rep.ok[i] :
			    rep.notes[i - rep.nok]);
	lifecycle_report_clear(&rep);
	return rc;
}

/* A store with every kind of record, made as the service makes it. */
static void
fill(const char *name, char issued[ENROLLDB_ID_LEN + 1])
{
	struct enroll en;
	struct enroll_token_opts o = { 0 };
	struct enroll_req rq;
	struct enroll_result res;
	struct csr a, b, c;
	struct ca ca;
	struct err e;
	char tok[ENROLL_TOKEN_LEN + 1], tid[ENROLLDB_ID_LEN + 1];
	char rid[ENROLLDB_ID_LEN + 1];
	int64_t t = (int64_t)time(NULL);

	ca_init(&ca);
	CHECK(ca_open(&ca, &w, name, CA_WRITE | CA_APPEND, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	enroll_init(&en);
	CHECK(enroll_open(&en, &w, name, &e) == 0);
	make_csr(&a, &keys[0], "CN=a");
	make_csr(&b, &keys[1], "CN=b");
	make_csr(&c, &keys[2], "CN=c");
	o.uses = 2;
	CHECK(enroll_token_new(&en, &o, t, tok, tid, &e) == 0);
	memset(&rq, 0, sizeof rq);
	enroll_result_init(&res);
	rq.csr = &a;
	rq.token = tok;
	CHECK(enroll_submit(&en, &ca, &rq, t, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_ISSUED);
	enroll_result_clear(&res);
	/* Queued, approved, issued at the poll. */
	rq.csr = &b;
	rq.token = NULL;
	CHECK(enroll_submit(&en, &ca, &rq, t, &res, &e) == 0);
	snprintf(issued, ENROLLDB_ID_LEN + 1, "%s", res.id);
	enroll_result_clear(&res);
	CHECK(enroll_approve(&en, issued, NULL, t, &e) == 0);
	CHECK(enroll_submit(&en, &ca, &rq, t, &res, &e) == 0);
	CHECK_EQ(res.verdict, ENROLL_ISSUED);
	enroll_result_clear(&res);
	/* Queued long ago: lapsed. */
	rq.csr = &c;
	CHECK(enroll_submit(&en, &ca, &rq, now, &res, &e) == 0);
	snprintf(rid, sizeof rid, "%s", res.id);
	enroll_result_clear(&res);
	csr_clear(&a);
	csr_clear(&b);
	csr_clear(&c);
	enroll_clear(&en);
	ca_clear(&ca);
}

/* Rewrites the issue record of request id with serial and cert (hex
 * serial, DER) through the store, as a file edited with valid sums. */
static void
forge_issue(const char *name, const char *serial, const uint8_t *der,
    size_t len, const uint8_t key[32])
{
	struct enrolldb db;
	struct enrolldb_req_rec r;
	struct err e;
	uint8_t csr[4] = { 0x30, 0x02, 0x05, 0x00 };

	enrolldb_init(&db);
	CHECK(enrolldb_open(&db, &w, name, &e) == 0);
	CHECK(enrolldb_lock(&db, &e) == 0);
	memset(&r, 0, sizeof r);
	r.id = "0f0f0f0f";
	r.time = (int64_t)time(NULL);
	r.profile = "client";
	r.subject = "CN=forged";
	r.why = "no token";
	r.key = key;
	r.csr = csr;
	r.csr_len = sizeof csr;
	CHECK(enrolldb_add_req(&db, &r, &e) == 0);
	CHECK(enrolldb_approve(&db, "0f0f0f0f", r.time, "client", &e) == 0);
	CHECK(enrolldb_issue(&db, "0f0f0f0f", r.time, serial, der, len,
	    &e) == 0);
	enrolldb_unlock(&db);
	enrolldb_clear(&db);
}

static void
test_check(void)
{
	struct enrolldb db;
	struct cadb cdb;
	struct buf der;
	struct err e;
	char issued[ENROLLDB_ID_LEN + 1], want[300], ser[80], *path, *cmd;
	uint8_t key[32];
	const struct enrolldb_req *r;
	int found;
	FILE *f;

	/* No enroll.yaml: passes, says nothing of it. */
	new_ca("plain");
	CHECK_EQ(check("plain", 0, "ca/plain/enroll.yaml", &found, &e), 0);
	CHECK(!found);

	new_ca("ok");
	fill("ok", issued);
	CHECK_EQ(check("ok", 0, "ca/ok/enroll.yaml: 7 records, every "
	    "checksum matches; 1 tokens; requests: 1 pending (1 expired), 0 "
	    "approved, 1 issued, 0 rejected; every issued serial is in the "
	    "database with its certificate", &found, &e), 0);
	CHECK_MSG(found, "%s", e.msg);

	/* An issue record with a serial the database does not have. */
	enrolldb_init(&db);
	CHECK(enrolldb_open(&db, &w, "ok", &e) == 0);
	CHECK((r = enrolldb_req(&db, issued)) != NULL);
	memcpy(key, r->key, 32);
	buf_init(&der);
	buf_append(&der, r->cert, r->cert_len);
	enrolldb_clear(&db);
	forge_issue("ok", "77", der.data, der.len, key);
	CHECK_EQ(check("ok", 0, NULL, &found, &e), -1);
	CHECK_STR(e.msg, "ca/ok/enroll.yaml: request 0f0f0f0f: serial 77 is "
	    "not in the CA database");
	CHECK_EQ(e.kind, ERR_INPUT);

	/* A serial of the database with another certificate. */
	new_ca("other");
	fill("other", issued);
	enrolldb_init(&db);
	CHECK(enrolldb_open(&db, &w, "other", &e) == 0);
	r = enrolldb_req(&db, issued);
	cadb_init(&cdb);
	CHECK(cadb_open(&cdb, &w, "other", 0, &e) == 0);
	/* The token's, then the approved request's. */
	CHECK(cdb.ncerts == 2);
	snprintf(ser, sizeof ser, "%s", cdb.certs[0].serial);
	cadb_clear(&cdb);
	forge_issue("other", ser, r->cert, r->cert_len, r->key);
	enrolldb_clear(&db);
	CHECK_EQ(check("other", 0, NULL, &found, &e), -1);
	snprintf(want, sizeof want, "ca/other/enroll.yaml: request 0f0f0f0f: "
	    "the certificate recorded for serial %s is not the CA database's",
	    ser);
	CHECK_STR(e.msg, want);

	/* The database's own certificate, for another key. */
	new_ca("key");
	fill("key", issued);
	enrolldb_init(&db);
	CHECK(enrolldb_open(&db, &w, "key", &e) == 0);
	r = enrolldb_req(&db, issued);
	memset(key, 0xab, sizeof key);
	forge_issue("key", r->serial, r->cert, r->cert_len, key);
	snprintf(want, sizeof want, "ca/key/enroll.yaml: request 0f0f0f0f: "
	    "the certificate of serial %s is not for the request's key",
	    r->serial);
	enrolldb_clear(&db);
	/* Also a second issue for one serial would pass the reader; the
	 * key tells them apart. */
	CHECK_EQ(check("key", 0, NULL, &found, &e), -1);
	CHECK_STR(e.msg, want);

	/* An edited record: the reader's words. */
	new_ca("edit");
	fill("edit", issued);
	path = test_ca_path(&w, "edit", "enroll.yaml");
	cmd = malloc(strlen(path) + 64);
	sprintf(cmd, "sed -i 's/subject: \"CN=b\"/subject: \"CN=x\"/' %s",
	    path);
	CHECK_EQ(system(cmd), 0);
	CHECK_EQ(check("edit", 0, NULL, &found, &e), -1);
	CHECK_STR(e.msg, "ca/edit/enroll.yaml: line 20: record 3: checksum "
	    "does not match its contents (the record was edited)");
	free(cmd);
	free(path);

	/* A torn last record: a note; --repair cuts it. */
	new_ca("torn");
	fill("torn", issued);
	path = test_ca_path(&w, "torn", "enroll.yaml");
	CHECK((f = fopen(path, "a")) != NULL);
	fputs("---\ntype: revoke\nid: 0a0b", f);
	fclose(f);
	CHECK_EQ(check("torn", 0, "ca/torn/enroll.yaml: the last record is "
	    "incomplete (torn write); --repair or the next writer removes it",
	    &found, &e), 0);
	CHECK(found);
	CHECK_EQ(check("torn", 1, "repair: ca/torn/enroll.yaml: the "
	    "incomplete last record was removed (kept in enroll.yaml.torn)",
	    &found, &e), 0);
	CHECK(found);
	CHECK_EQ(check("torn", 0, "ca/torn/enroll.yaml: the last", &found,
	    &e), 0);
	CHECK(!found);
	free(path);
	buf_clear(&der);
}

/* An issuance interrupted before its certificate: a note. */
static void
test_interrupted(void)
{
	struct enroll en;
	struct enroll_req rq;
	struct enroll_result res;
	struct csr a;
	struct ca ca;
	struct err e;
	char id[ENROLLDB_ID_LEN + 1], want[300];
	int found;

	new_ca("intr");
	ca_init(&ca);
	CHECK(ca_open(&ca, &w, "intr", CA_WRITE | CA_APPEND, &e) == 0);
	CHECK(ca_unlock(&ca, pass, strlen(pass), &e) == 0);
	enroll_init(&en);
	CHECK(enroll_open(&en, &w, "intr", &e) == 0);
	make_csr(&a, &keys[0], "CN=a");
	memset(&rq, 0, sizeof rq);
	rq.csr = &a;
	enroll_result_init(&res);
	CHECK(enroll_submit(&en, &ca, &rq, now, &res, &e) == 0);
	snprintf(id, sizeof id, "%s", res.id);
	enroll_result_clear(&res);
	CHECK(enroll_approve(&en, id, NULL, now, &e) == 0);
	CHECK(enrolldb_lock(&en.db, &e) == 0);
	CHECK(enrolldb_issuing(&en.db, id, now + 60, &e) == 0);
	enrolldb_unlock(&en.db);
	ca_clear(&ca);
	snprintf(want, sizeof want, "ca/intr/enroll.yaml: request %s: an "
	    "issuance began at 2026-09-21T14:14:20Z and was not recorded "
	    "(interrupted); the requester's next poll completes it", id);
	CHECK_EQ(check("intr", 0, want, &found, &e), 0);
	CHECK(found);
	csr_clear(&a);
	enroll_clear(&en);
}

int
main(void)
{
	char dir[] = "tests/work/enrollcheck-XXXXXX";
	struct err e;
	size_t i;

	if (test_ws_open(&w, dir) == -1)
		return 1;
	for (i = 0; i < 3; i++) {
		rsakey_init(&keys[i]);
		CHECK(rsakey_generate(&keys[i], 2048, NULL, NULL, &e) == 0);
	}
	test_check();
	test_interrupted();
	for (i = 0; i < 3; i++)
		rsakey_clear(&keys[i]);
	test_ws_remove(&w, dir);
	return test_done();
}
