/* audit-test.c — the hash-chained audit log: appends chain by prev and
 * count seq; a torn last record (a crash mid-append) is cut off by the
 * next append and kept in audit.yaml.torn; appending reads only the tail,
 * so a record edited far back does not slow or stop it, but audit_read
 * (ca check) names it; an edited last record stops the next append,
 * which would chain on from it, with the same error; a new log
 * whose directory cannot be synced is an error (its name may not survive
 * a crash). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "crypto/hex.h"
#include "store/audit.h"
#include "store/cadb.h"
#include "testlib.h"
#include "testws.h"

static struct ws w;

/* The first record creates audit.yaml: its directory entry is synced
 * before the record counts as written. */
static void
test_new_log_dir_sync(void)
{
	struct err e;

	CHECK_EQ(cadb_create(&w, "d", "k", NULL, &e), 0);
	test_fail_dir_sync = 1;
	CHECK_ERR(audit_append(&w, "d", "init", "CA d", &e), &e,
	    "audit.yaml: syncing its directory: Input/output error");
	test_fail_dir_sync = 0;
	CHECK_EQ(audit_append(&w, "d", "init", "CA d", &e), 0);
	/* Not empty any more: appending does not sync the directory. */
	test_fail_dir_sync = 1;
	CHECK_EQ(audit_append(&w, "d", "issue", "serial 01", &e), 0);
	test_fail_dir_sync = 0;
}

/* The SHA-256 (hex) of bytes [from, to) of path. */
static void
hash_range(const char *path, size_t from, size_t to, char hex[65])
{
	uint8_t *d, dig[32];
	size_t n;

	d = test_read_file(path, &n);
	hash_sha256(d + from, to - from, dig);
	hex_encode(dig, 32, hex);
	free(d);
}

static void
test_chain_and_torn(void)
{
	static const char *torn[] = {
		"---\n",
		"---\nseq: 4\ntime: 2026-11-23T09:00:00Z\nuser: \"x",
		"---\nseq: 4\nprev: 00\nsum: 0123",
		("---\nseq: 4\nsum: 0123456789012345678901234567890123456789"
		    "012345678901234567890123\n.."),
	};
	char *log = test_ca_path(&w, "a", "audit.yaml");
	char *tp = test_ca_path(&w, "a", "audit.yaml.torn");
	char hex[65], *p;
	struct audit_log l;
	struct err e;
	struct stat st;
	uint8_t *d;
	size_t n, i, before, last;

	audit_log_init(&l);
	CHECK_EQ(cadb_create(&w, "a", "k", NULL, &e), 0);
	CHECK_EQ(audit_append(&w, "a", "init", "CA a", &e), 0);
	CHECK_EQ(audit_append(&w, "a", "issue", "serial 0a0b", &e), 0);
	CHECK_EQ(audit_append(&w, "a", "revoke", "serial 0a0b \"q\" \\",
	    &e), 0);
	CHECK_EQ(audit_read(&w, "a", &l, &e), 0);
	CHECK_EQ(l.n, 3);
	CHECK_EQ(l.valid_end, l.size);
	CHECK_STR(l.v[2].action, "revoke");
	CHECK_STR(l.v[2].details, "serial 0a0b \"q\" \\");
	CHECK_EQ(l.v[2].seq, 3);
	for (i = 0; i < sizeof torn / sizeof torn[0]; i++) {
		CHECK_EQ(stat(log, &st), 0);
		before = (size_t)st.st_size;
		test_append(log, torn[i]);
		/* Read back: a torn tail is not an error, only reported. */
		CHECK_EQ(audit_read(&w, "a", &l, &e), 0);
		CHECK_EQ(l.n, 3 + i);
		CHECK_EQ(l.valid_end, before);
		CHECK_EQ(l.size, before + strlen(torn[i]));
		/* The next append cuts it, keeps it aside, chains on from the
		 * last whole record. */
		(void)unlink(tp);
		CHECK_EQ(audit_append(&w, "a", "crl", "number 1", &e), 0);
		d = test_read_file(tp, &n);
		CHECK(d != NULL && n == strlen(torn[i]) &&
		    memcmp(d, torn[i], n) == 0);
		free(d);
		CHECK_EQ(audit_read(&w, "a", &l, &e), 0);
		CHECK_EQ(l.n, 4 + i);
		CHECK_EQ(l.valid_end, l.size);
		CHECK_EQ(l.v[3 + i].seq, 4 + i);
	}
	/* prev of the last record is the hash of the one before. */
	d = test_read_file(log, &n);
	p = (char *)d + n - 5;
	while (p > (char *)d && memcmp(p, "\n---\n", 5) != 0)
		p--;
	last = (size_t)(p - (char *)d) + 1;
	p--;
	while (p > (char *)d && memcmp(p, "\n---\n", 5) != 0)
		p--;
	hash_range(log, (size_t)(p - (char *)d) + 1, last, hex);
	CHECK(strstr((char *)d + last, hex) != NULL);
	free(d);
	audit_log_clear(&l);
	free(log);
	free(tp);
}

/* Appending reads only the tail: a log of thousands of records with an
 * edit near its start still takes appends (ca check's job to say), and
 * audit_read names the edited record. */
static void
test_tail_only(void)
{
	char *log = test_ca_path(&w, "b", "audit.yaml");
	struct audit_log l;
	struct err e;
	uint8_t *d;
	size_t n, i;
	char *p;
	FILE *f;

	audit_log_init(&l);
	CHECK_EQ(cadb_create(&w, "b", "k", NULL, &e), 0);
	for (i = 0; i < 2000; i++) {
		char det[64];

		snprintf(det, sizeof det, "serial %04zx", i);
		if (audit_append_flags(&w, "b", "issue", det, AUDIT_NOSYNC,
		    &e) == -1)
			break;
	}
	CHECK_EQ(i, 2000);
	CHECK_EQ(audit_sync(&w, "b", &e), 0);
	d = test_read_file(log, &n);
	CHECK(n > 8 * AUDIT_RECORD_MAX);
	p = strstr((char *)d, "serial 0004");
	CHECK(p != NULL);
	p[7] = '9';
	f = fopen(log, "wb");
	fwrite(d, 1, n, f);
	fclose(f);
	free(d);
	CHECK_EQ(audit_append(&w, "b", "crl", "number 1", &e), 0);
	CHECK_ERR(audit_read(&w, "b", &l, &e), &e, "record 5: checksum does "
	    "not match its contents (the record was edited)");
	audit_log_clear(&l);
	free(log);
}

/* An edited last record: the next append refuses to chain on from it
 * (its own sum is checked when the tail is read), leaving the log as it
 * is, with the error ca check (audit_read) gives for it. */
static void
test_edited_last(void)
{
	char *log = test_ca_path(&w, "c", "audit.yaml");
	char *tp = test_ca_path(&w, "c", "audit.yaml.torn");
	struct audit_log l;
	struct err e;
	uint8_t *d, *now;
	size_t n, nn, k;
	unsigned long line = 1;
	char *p, want[160];

	audit_log_init(&l);
	CHECK_EQ(cadb_create(&w, "c", "k", NULL, &e), 0);
	CHECK_EQ(audit_append(&w, "c", "init", "CA c", &e), 0);
	CHECK_EQ(audit_append(&w, "c", "issue", "serial 76", &e), 0);
	CHECK_EQ(audit_append(&w, "c", "issue", "serial 77", &e), 0);
	d = test_read_file(log, &n);
	p = strstr((char *)d, "serial 77");
	CHECK(p != NULL);
	if (p == NULL)
		return;
	p[8] = '8';
	test_spit(log, d, n);
	while (p > (char *)d && memcmp(p, "\n---\n", 5) != 0)
		p--;
	for (k = 0; k <= (size_t)(p - (char *)d); k++)
		line += d[k] == '\n';
	snprintf(want, sizeof want, "ca/c/audit.yaml: line %lu: record 3: "
	    "checksum does not match its contents (the record was edited)",
	    line);
	CHECK_ERR(audit_append(&w, "c", "revoke", "serial 78", &e), &e, want);
	CHECK_EQ(e.kind, ERR_INPUT);
	now = test_read_file(log, &nn);
	CHECK(now != NULL && nn == n && memcmp(now, d, n) == 0);
	CHECK(access(tp, F_OK) == -1);
	CHECK_ERR(audit_read(&w, "c", &l, &e), &e, want);
	/* Its sum line edited instead: the same. */
	p = strstr((char *)d, "serial 78");
	p[8] = '7';
	p = strstr(p, "\nsum: ");
	p[6] ^= 0x01;
	test_spit(log, d, n);
	CHECK_ERR(audit_append(&w, "c", "revoke", "serial 78", &e), &e, want);
	free(now);
	free(d);
	audit_log_clear(&l);
	free(log);
	free(tp);
}

/* This process keeps the log open between appends and chains on what it
 * wrote: a record another process appends meanwhile (a child here, whose
 * copy of the descriptor is not used) is chained on all the same, and a
 * log removed and made again is written, not the removed one. */
static void
test_other_writer(void)
{
	struct audit_log l;
	struct err e;
	pid_t pid;
	int st = -1;

	audit_log_init(&l);
	CHECK_EQ(cadb_create(&w, "o", "k", NULL, &e), 0);
	CHECK_EQ(audit_append(&w, "o", "init", "CA o", &e), 0);
	CHECK_EQ(audit_append(&w, "o", "issue", "serial 01", &e), 0);
	if ((pid = fork()) == 0)
		_exit(audit_append(&w, "o", "revoke", "serial 01", &e) == 0 ?
		    0 : 1);
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0);
	CHECK_EQ(audit_append(&w, "o", "crl", "number 1", &e), 0);
	CHECK_EQ(audit_read(&w, "o", &l, &e), 0);
	CHECK_EQ(l.n, 4);
	CHECK(l.n == 4 && strcmp(l.v[2].action, "revoke") == 0 &&
	    strcmp(l.v[3].action, "crl") == 0 && l.v[3].seq == 4);
	{
		char *log = test_ca_path(&w, "o", "audit.yaml");

		CHECK_EQ(unlink(log), 0);
		CHECK_EQ(audit_append(&w, "o", "init", "CA o again", &e), 0);
		CHECK_EQ(audit_read(&w, "o", &l, &e), 0);
		CHECK(l.n == 1 && l.v[0].seq == 1 &&
		    strcmp(l.v[0].details, "CA o again") == 0);
		free(log);
	}
	audit_log_clear(&l);
}

int
main(void)
{
	char dir[] = "tests/work/audit-XXXXXX";

	if (test_ws_open(&w, dir) == -1)
		return 1;
	test_chain_and_torn();
	test_tail_only();
	test_edited_last();
	test_new_log_dir_sync();
	test_other_writer();
	test_ws_remove(&w, dir);
	return test_done();
}
