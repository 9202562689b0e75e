/* cadbkeep-test.c — a handle kept between operations (the CA service's):
 * cadb_unlock lets the lock go and keeps the state, cadb_relock takes it
 * again reading only what other writers appended (their issuances and
 * revocations, a torn tail cut), falls back to a full open when the tail
 * cannot do (the file replaced or cut, a revocation of a serial that
 * certs.idx cannot place, a tail grown to cadbsnap_min: certs.idx is then
 * written again) and stays append-only; a reader's cadb_refresh likewise,
 * leaving a half-written record for the next refresh. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/cadb.h"
#include "store/cadbidx.h"
#include "store/cadbsnap.h"
#include "testlib.h"
#include "testws.h"

#define BIG (UINT64_C(1) << 30)

static struct ws w;

static const char *
serial_of(unsigned i, char out[40])
{
	snprintf(out, 40, "%02x%08x", 0x6c, i * 2654435761u);
	return out;
}

static int
append_n(struct cadb *db, unsigned i, struct err *e)
{
	uint8_t der[200];
	char serial[40];
	struct cadb_issue is = { 0 };
	size_t k;

	is.cert_len = 60 + i % 90;
	for (k = 0; k < is.cert_len; k++)
		der[k] = (uint8_t)(k * 5 + i);
	is.serial = serial_of(i, serial);
	is.subject = "CN=kept";
	is.issuer = "CN=Lab Root";
	is.profile = "client";
	is.not_before = 1795400000;
	is.not_after = 1795400000 + 86400 * 365;
	is.cert_der = der;
	return cadb_append(db, &is, e);
}

/* CA name with n certificates and a certs.idx covering them. */
static void
make_ca(const char *name, unsigned n)
{
	struct cadb db;
	struct err e;
	unsigned i;

	cadb_init(&db);
	CHECK_EQ(cadb_create(&w, name, "k", "CN=Lab Root", &e), 0);
	CHECK_EQ(cadb_open(&db, &w, name, CADB_WRITE, &e), 0);
	for (i = 0; i < n; i++)
		CHECK_EQ(append_n(&db, i, &e), 0);
	cadb_clear(&db);
	/* An append open without certs.idx writes it. */
	CHECK_EQ(cadb_open(&db, &w, name, CADB_WRITE | CADB_APPEND, &e), 0);
	cadb_clear(&db);
}

static off_t
file_size(const char *name, const char *file)
{
	char *p = test_ca_path(&w, name, file);
	struct stat st;
	off_t n = stat(p, &st) == 0 ? st.st_size : -1;

	free(p);
	return n;
}

/* Another process's writes, as a second full handle makes them. */
static void
other_writer(const char *name, unsigned from, unsigned n, int revoke_old)
{
	struct cadb db;
	struct err e;
	char s[40];
	unsigned i;

	cadb_init(&db);
	CHECK_EQ(cadb_open(&db, &w, name, CADB_WRITE, &e), 0);
	for (i = from; i < from + n; i++)
		CHECK_EQ(append_n(&db, i, &e), 0);
	if (revoke_old)
		CHECK_EQ(cadb_revoke(&db, serial_of(1, s), 1795500000,
		    "keyCompromise", &e), 0);
	cadb_clear(&db);
}

static void
test_relock(void)
{
	struct cadb db, other;
	struct err e;
	char s[40];
	unsigned long lines;

	make_ca("keep", 40);
	cadb_init(&db);
	cadb_init(&other);
	CHECK_EQ(cadb_open(&db, &w, "keep", CADB_WRITE | CADB_APPEND, &e), 0);
	CHECK(db.append_only);
	CHECK_EQ(db.ncerts, 0);
	CHECK_EQ(append_n(&db, 40, &e), 0);
	cadb_unlock(&db);
	/* Unlocked: appends are refused, another writer gets the lock. */
	err_clear(&e);
	CHECK_EQ(append_n(&db, 41, &e), -1);
	CHECK_STR(e.msg, "ca/keep/certs.yaml: opened read-only");
	other_writer("keep", 41, 3, 0);
	/* Relocked: the three are read, not the whole file. */
	CHECK_EQ(cadb_relock(&db, &e), 0);
	CHECK(db.append_only);
	CHECK_EQ(db.ncerts, 4);
	CHECK_EQ(db.size, file_size("keep", "certs.yaml"));
	CHECK(cadb_has_serial(&db, serial_of(42, s)));
	CHECK(cadb_has_serial(&db, serial_of(3, s)));
	err_clear(&e);
	CHECK_EQ(append_n(&db, 43, &e), -1);
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK_EQ(append_n(&db, 44, &e), 0);
	lines = db.next_line;
	cadb_unlock(&db);
	/* Nothing appended meanwhile: the same state. */
	CHECK_EQ(cadb_relock(&db, &e), 0);
	CHECK_EQ(db.ncerts, 5);
	CHECK_EQ(db.next_line, lines);
	/* Held by another: ERR_LOCKED with the usual words, handle kept. */
	cadb_unlock(&db);
	CHECK_EQ(cadb_open(&other, &w, "keep", CADB_WRITE, &e), 0);
	err_clear(&e);
	CHECK_EQ(cadb_relock(&db, &e), -1);
	CHECK_EQ(e.kind, ERR_LOCKED);
	{
		char want[96];

		snprintf(want, sizeof want, "CA 'keep' is locked by another "
		    "process (pid %ld)", (long)getpid());
		CHECK_STR(e.msg, want);
	}
	CHECK(db.fd != -1);
	CHECK_EQ(append_n(&other, 45, &e), 0);
	cadb_clear(&other);
	CHECK_EQ(cadb_relock(&db, &e), 0);
	CHECK(cadb_has_serial(&db, serial_of(45, s)));
	CHECK_EQ(append_n(&db, 46, &e), 0);
	cadb_clear(&db);
	/* Everything reads back whole. */
	CHECK_EQ(cadb_open(&db, &w, "keep", 0, &e), 0);
	CHECK_EQ(db.ncerts, 47);
	CHECK_EQ(db.nwarnings, 0);
	cadb_clear(&db);
}

/* A writer killed mid-record: the next relock cuts its tail. */
static void
test_relock_torn(void)
{
	struct cadb db;
	struct err e;
	char *p = test_ca_path(&w, "keep", "certs.yaml");
	char *torn = test_ca_path(&w, "keep", "certs.yaml.torn");
	off_t before;
	int fd;

	cadb_init(&db);
	CHECK_EQ(cadb_open(&db, &w, "keep", CADB_WRITE | CADB_APPEND, &e), 0);
	cadb_unlock(&db);
	before = file_size("keep", "certs.yaml");
	fd = open(p, O_WRONLY | O_APPEND);
	CHECK(fd != -1);
	CHECK_EQ(write(fd, "---\ntype: issue\nserial: \"ab", 27), 27);
	close(fd);
	(void)unlink(torn);
	CHECK_EQ(cadb_relock(&db, &e), 0);
	CHECK_EQ(db.nwarnings, 2);
	if (db.nwarnings == 2)
		CHECK_STR(db.warnings[1], "ca/keep/certs.yaml: the incomplete "
		    "record was removed (kept in certs.yaml.torn)");
	CHECK_EQ(file_size("keep", "certs.yaml"), before);
	CHECK_EQ(file_size("keep", "certs.yaml.torn"), 27);
	CHECK_EQ(append_n(&db, 47, &e), 0);
	cadb_clear(&db);
	CHECK_EQ(cadb_open(&db, &w, "keep", 0, &e), 0);
	CHECK_EQ(db.ncerts, 48);
	CHECK_EQ(db.nwarnings, 0);
	cadb_clear(&db);
	free(p);
	free(torn);
}

/* What the tail cannot tell: a full open again, then append-only. */
static void
test_relock_fallback(void)
{
	struct cadb db;
	struct err e;
	struct stat st;
	char s[40], *p = test_ca_path(&w, "keep", "certs.yaml");
	char *copy = test_ca_path(&w, "keep", "certs.copy");
	char *idx = test_ca_path(&w, "keep", "certs.idx");
	char cmd[512];

	cadb_init(&db);
	CHECK_EQ(cadb_open(&db, &w, "keep", CADB_WRITE | CADB_APPEND, &e), 0);
	CHECK(db.append_only);
	cadb_unlock(&db);
	/* A revocation of a serial before COVERS: not placeable. */
	other_writer("keep", 48, 1, 1);
	CHECK_EQ(cadb_relock(&db, &e), 0);
	CHECK(db.append_only);
	CHECK(cadb_has_serial(&db, serial_of(48, s)));
	CHECK_EQ(db.size, file_size("keep", "certs.yaml"));
	cadb_unlock(&db);
	/* certs.yaml replaced by a copy with one more record (new inode). */
	other_writer("keep", 49, 1, 0);
	snprintf(cmd, sizeof cmd, "cp %s %s && mv %s %s", p, copy, copy, p);
	CHECK_EQ(system(cmd), 0);
	CHECK_EQ(cadb_relock(&db, &e), 0);
	CHECK(db.append_only);
	CHECK(cadb_has_serial(&db, serial_of(49, s)));
	CHECK_EQ(append_n(&db, 50, &e), 0);
	cadb_unlock(&db);
	/* A tail grown to cadbsnap_min: certs.idx is written again. */
	other_writer("keep", 51, 5, 0);
	CHECK_EQ(stat(idx, &st), 0);
	cadbsnap_min = 1;
	CHECK_EQ(cadb_relock(&db, &e), 0);
	cadbsnap_min = BIG;
	CHECK(db.append_only);
	CHECK_EQ(db.ncerts, 0);
	CHECK(db.idx != NULL && db.idx->covers ==
	    (uint64_t)file_size("keep", "certs.yaml"));
	CHECK(cadb_has_serial(&db, serial_of(55, s)));
	CHECK_EQ(append_n(&db, 56, &e), 0);
	cadb_unlock(&db);
	/* Cut below what the handle read: opened again, with its error. */
	CHECK_EQ(truncate(p, 10), 0);
	err_clear(&e);
	CHECK_EQ(cadb_relock(&db, &e), -1);
	CHECK_STR(e.msg, "ca/keep/certs.yaml: line 1: not a minipki CA "
	    "database (no '# minipki-cadb 1' line)");
	CHECK_EQ(db.fd, -1);
	CHECK_EQ(db.lockfd, -1);
	cadb_clear(&db);
	free(p);
	free(copy);
	free(idx);
}

/* The reader: revocations and issuances of others, a record half
 * written. */
static void
test_refresh(void)
{
	struct cadb rd, wr;
	struct err e;
	const struct cadb_cert *c;
	char s[40], *p = test_ca_path(&w, "rd", "certs.yaml");
	struct buf rec;
	int fd;

	make_ca("rd", 10);
	cadb_init(&rd);
	cadb_init(&wr);
	CHECK_EQ(cadb_open(&rd, &w, "rd", 0, &e), 0);
	CHECK_EQ(rd.ncerts, 10);
	CHECK_EQ(cadb_refresh(&rd, &e), 0);
	CHECK_EQ(rd.ncerts, 10);
	other_writer("rd", 10, 2, 1);
	CHECK_EQ(cadb_refresh(&rd, &e), 0);
	CHECK_EQ(rd.ncerts, 12);
	CHECK((c = cadb_find(&rd, serial_of(1, s))) != NULL &&
	    c->status == CADB_REVOKED && strcmp(c->reason,
	    "keyCompromise") == 0);
	CHECK(cadb_find(&rd, serial_of(11, s)) != NULL);
	/* Half of a record: left for the next refresh. */
	CHECK_EQ(cadb_open(&wr, &w, "rd", CADB_WRITE, &e), 0);
	wr.defer_sync = 1;
	CHECK_EQ(append_n(&wr, 12, &e), 0);
	cadb_clear(&wr);
	buf_init(&rec);
	{
		uint8_t *all;
		size_t n, half;

		all = test_slurp(p, &n);
		half = n - (size_t)rd.size;
		buf_append(&rec, all + rd.size, half);
		free(all);
		CHECK_EQ(truncate(p, (off_t)rd.size), 0);
		fd = open(p, O_WRONLY | O_APPEND);
		CHECK(fd != -1);
		CHECK_EQ(write(fd, rec.data, half / 2), (ssize_t)(half / 2));
		CHECK_EQ(cadb_refresh(&rd, &e), 0);
		CHECK_EQ(rd.ncerts, 12);
		CHECK_EQ(rd.nwarnings, 1);
		CHECK_EQ(write(fd, rec.data + half / 2, half - half / 2),
		    (ssize_t)(half - half / 2));
		close(fd);
	}
	CHECK_EQ(cadb_refresh(&rd, &e), 0);
	CHECK_EQ(rd.ncerts, 13);
	CHECK_EQ(rd.nwarnings, 0);
	CHECK(cadb_find(&rd, serial_of(12, s)) != NULL);
	CHECK_EQ(rd.size, file_size("rd", "certs.yaml"));
	/* A reader cannot take the lock. */
	err_clear(&e);
	CHECK_EQ(cadb_relock(&rd, &e), -1);
	CHECK_STR(e.msg, "ca/rd/certs.yaml: not open for writing");
	buf_clear(&rec);
	cadb_clear(&rd);
	free(p);
}

int
main(void)
{
	char dir[] = "tests/work/cadbkeep-XXXXXX";

	if (test_ws_open(&w, dir) == -1)
		return 1;
	cadbsnap_min = BIG;
	test_relock();
	test_relock_torn();
	test_relock_fallback();
	test_refresh();
	test_ws_remove(&w, dir);
	return test_done();
}
