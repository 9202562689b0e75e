/* journal-test.c — the CA service's batch journal (store/journal.h):
 * what the writer writes reads back part for part; every broken input
 * (a torn header, a torn or damaged record, each length out of its
 * bounds) is refused or ignored with its exact reason and never read
 * past; a replay writes again exactly the parts a file lost (cut back,
 * torn inside a part, or a tail of zero bytes), keeps a torn tail aside,
 * is a no-op the second time, skips a file rewritten since (another
 * inode) and refuses a file changed behind the journal or missing data
 * the journal does not hold; journal_status counts what is missing. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "store/journal.h"
#include "testlib.h"
#include "util/buf.h"
#include "util/xalloc.h"

static char dir[] = "tests/work/journal-XXXXXX";

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

/* Appends a part (its header, then data) to body. */
static void
part(struct buf *body, int file, uint64_t ino, uint64_t off, const void *d,
    uint32_t len)
{
	uint8_t h[JOURNAL_PART_HEAD];

	h[0] = (uint8_t)file;
	put64(h + 1, ino);
	put64(h + 9, off);
	put32(h + 17, len);
	buf_append(body, h, sizeof h);
	buf_append(body, d, len);
}

/* Appends a sealed record (seq, nparts, body) to out. */
static void
rec(struct buf *out, uint64_t seq, uint32_t nparts, const struct buf *body)
{
	uint8_t h[JOURNAL_REC_HEAD], sum[32];
	size_t start = out->len;

	memcpy(h, "JREC", 4);
	put64(h + 4, seq);
	put32(h + 12, nparts);
	put32(h + 16, (uint32_t)body->len);
	buf_append(out, h, sizeof h);
	buf_append(out, body->data, body->len);
	hash_sha256(out->data + start, out->len - start, sum);
	buf_append(out, sum, sizeof sum);
}

/* A journal of one record holding one part built from the arguments,
 * after a first good record; parsed: want (NULL: no warning) must be
 * in the warning, and the good record read. */
static void
bad_second(uint64_t seq, uint32_t nparts, int file, uint32_t len,
    size_t extra, const char *want)
{
	struct journal_log l;
	struct buf j, body;
	struct err e;

	buf_init(&j);
	buf_init(&body);
	journal_log_init(&l);
	buf_append(&j, JOURNAL_MAGIC, JOURNAL_MAGIC_LEN);
	part(&body, JOURNAL_CERTS, 7, 100, "good", 4);
	rec(&j, 1, 1, &body);
	body.len = 0;
	part(&body, file, 7, 104, "abcdefgh", 8);
	/* The declared length, whatever the bytes. */
	put32(body.data + 17, len);
	while (extra-- > 0)
		buf_putc(&body, 'x');
	rec(&j, seq, nparts, &body);
	CHECK_EQ(journal_parse(j.data, j.len, "ca/x/journal", &l, &e), 0);
	CHECK_EQ(l.nrecs, 1);
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.valid_end, JOURNAL_MAGIC_LEN + JOURNAL_REC_HEAD +
	    JOURNAL_PART_HEAD + 4 + 32);
	if (strstr(l.warning, want) == NULL)
		test_fail(__FILE__, __LINE__, "want \"%s\", got \"%s\"", want,
		    l.warning);
	test_checks++;
	journal_log_clear(&l);
	buf_clear(&j);
	buf_clear(&body);
}

static void
test_parse_broken(void)
{
	struct journal_log l;
	struct buf j, body;
	struct err e;
	char want[256];
	size_t good;

	journal_log_init(&l);
	buf_init(&j);
	buf_init(&body);
	CHECK_EQ(journal_parse("", 0, "ca/x/journal", &l, &e), 0);
	CHECK_EQ(l.nrecs, 0);
	CHECK_STR(l.warning, "");
	CHECK_EQ(journal_parse("# minipki-journ", 15, "ca/x/journal", &l, &e),
	    0);
	CHECK_STR(l.warning, "ca/x/journal: offset 0: incomplete header; the "
	    "rest ignored");
	CHECK_ERR(journal_parse("garbage", 7, "ca/x/journal", &l, &e), &e,
	    "ca/x/journal: not a minipki journal (bad magic line)");
	CHECK_ERR(journal_parse("# minipki-journal 2\n", 20, "ca/x/journal",
	    &l, &e), &e, "not a minipki journal (bad magic line)");

	/* Two good records, then each cut and each damage. */
	buf_append(&j, JOURNAL_MAGIC, JOURNAL_MAGIC_LEN);
	part(&body, JOURNAL_CERTS, 7, 100, "hello", 5);
	part(&body, JOURNAL_AUDIT, 8, 0, "au", 2);
	rec(&j, 4, 2, &body);
	good = j.len;
	body.len = 0;
	part(&body, JOURNAL_ENROLL, 9, 55, "use", 3);
	rec(&j, 5, 1, &body);
	CHECK_EQ(journal_parse(j.data, j.len, "ca/x/journal", &l, &e), 0);
	CHECK_EQ(l.nrecs, 2);
	CHECK_EQ(l.n, 3);
	CHECK_EQ(l.valid_end, j.len);
	CHECK_STR(l.warning, "");
	CHECK_EQ(l.v[0].file, JOURNAL_CERTS);
	CHECK_EQ(l.v[0].inode, 7);
	CHECK_EQ(l.v[0].off, 100);
	CHECK_EQ(l.v[0].len, 5);
	CHECK_MEM(l.v[0].data, "hello", 5);
	CHECK_EQ(l.v[1].file, JOURNAL_AUDIT);
	CHECK_EQ(l.v[1].rec, 1);
	CHECK_EQ(l.v[2].file, JOURNAL_ENROLL);
	CHECK_EQ(l.v[2].off, 55);
	CHECK_EQ(l.v[2].rec, 2);

	/* Torn inside the second record's body. */
	CHECK_EQ(journal_parse(j.data, j.len - 10, "ca/x/journal", &l, &e), 0);
	CHECK_EQ(l.nrecs, 1);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(l.valid_end, good);
	snprintf(want, sizeof want, "ca/x/journal: offset %zu: record 2: "
	    "incomplete (body of 24 bytes runs past the end); the rest "
	    "ignored (an incomplete or damaged last batch, never "
	    "acknowledged)", good);
	CHECK_STR(l.warning, want);
	CHECK_EQ(l.bad_end, j.len - 10);
	/* Torn inside its header. */
	CHECK_EQ(journal_parse(j.data, good + 5, "ca/x/journal", &l, &e), 0);
	CHECK_EQ(l.nrecs, 1);
	snprintf(want, sizeof want, "ca/x/journal: offset %zu: record 2: "
	    "incomplete record header; the rest ignored", good);
	CHECK(strncmp(l.warning, want, strlen(want)) == 0);
	/* A byte of its part changed. */
	j.data[good + JOURNAL_REC_HEAD + JOURNAL_PART_HEAD] ^= 1;
	CHECK_EQ(journal_parse(j.data, j.len, "ca/x/journal", &l, &e), 0);
	CHECK_EQ(l.nrecs, 1);
	CHECK(strstr(l.warning, "record 2: checksum does not match; ") !=
	    NULL);
	j.data[good + JOURNAL_REC_HEAD + JOURNAL_PART_HEAD] ^= 1;
	/* Its tag. */
	j.data[good] = 'X';
	CHECK_EQ(journal_parse(j.data, j.len, "ca/x/journal", &l, &e), 0);
	CHECK(strstr(l.warning, "record 2: not a record (bad tag)") != NULL);
	j.data[good] = 'J';
	/* The end the writer marks (a zero tag): what follows is not read. */
	buf_append(&j, "\0\0\0\0zzzz", 8);
	CHECK_EQ(journal_parse(j.data, j.len, "ca/x/journal", &l, &e), 0);
	CHECK_EQ(l.nrecs, 2);
	CHECK_EQ(l.valid_end, j.len - 8);
	CHECK_STR(l.warning, "");
	/* Shorter than a tag, zeros: the end too. */
	CHECK_EQ(journal_parse(j.data, j.len - 6, "ca/x/journal", &l, &e), 0);
	CHECK_STR(l.warning, "");
	/* Garbage after the last record, then zeros (preallocated). */
	memcpy(j.data + j.len - 8, "zzzz\0\0\0\0", 8);
	CHECK_EQ(journal_parse(j.data, j.len, "ca/x/journal", &l, &e), 0);
	CHECK_EQ(l.nrecs, 2);
	CHECK(strstr(l.warning, "record 3: incomplete record header; the "
	    "rest ignored") != NULL);
	CHECK_EQ(l.bad_end, j.len - 4);

	/* Sealed records whose fields are out of their bounds. */
	bad_second(7, 1, JOURNAL_CERTS, 8, 0, "record 2: batch number 7, "
	    "expected 2");
	bad_second(0, 1, JOURNAL_CERTS, 8, 0, "record 2: batch number 0, "
	    "expected 2");
	bad_second(2, 0, JOURNAL_CERTS, 8, 0, "record 2: part count 0 out of "
	    "range");
	bad_second(2, JOURNAL_PARTS_MAX + 1, JOURNAL_CERTS, 8, 0, "record 2: "
	    "part count 4097 out of range");
	bad_second(2, 1, 9, 8, 0, "record 2: part 1: unknown file 9");
	bad_second(2, 1, 0, 8, 0, "record 2: part 1: unknown file 0");
	bad_second(2, 1, JOURNAL_CERTS, 0, 0, "record 2: part 1: length 0 out "
	    "of range");
	bad_second(2, 1, JOURNAL_CERTS, JOURNAL_PART_MAX + 1, 0, "record 2: "
	    "part 1: length 1048577 out of range");
	bad_second(2, 1, JOURNAL_CERTS, 9, 0, "record 2: part 1: 9 bytes run "
	    "past the body");
	bad_second(2, 2, JOURNAL_CERTS, 8, 3, "record 2: part 2: header runs "
	    "past the body");
	bad_second(2, 1, JOURNAL_CERTS, 8, 3, "record 2: 3 bytes of the body "
	    "after the last part");
	bad_second(2, 1, JOURNAL_CERTS, 5, 0, "record 2: 3 bytes of the body "
	    "after the last part");

	/* A body length over the limit, before any sum is computed. */
	j.len = good;
	buf_append(&j, "JREC\0\0\0\0\0\0\0\x05\0\0\0\x01\xff\xff\xff\xff",
	    20);
	CHECK_EQ(journal_parse(j.data, j.len, "ca/x/journal", &l, &e), 0);
	CHECK(strstr(l.warning, "record 2: body of 4294967295 bytes over the "
	    "limit") != NULL);
	journal_log_clear(&l);
	buf_clear(&j);
	buf_clear(&body);
}

static char *
path_of(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static uint64_t
inode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return 0;
	return (uint64_t)st.st_ino;
}

/* Writes the journal of the two parts, a and b, of certs.yaml (inode
 * ino) at offsets 10 and 16. */
static void
journal_two(uint64_t ino)
{
	char *jp = path_of("journal");
	struct buf j, body;

	buf_init(&j);
	buf_init(&body);
	buf_append(&j, JOURNAL_MAGIC, JOURNAL_MAGIC_LEN);
	part(&body, JOURNAL_CERTS, ino, 10, "AAAAAA", 6);
	part(&body, JOURNAL_AUDIT, ino, 0, "not this file", 13);
	rec(&j, 1, 2, &body);
	body.len = 0;
	part(&body, JOURNAL_CERTS, ino, 16, "BBBB", 4);
	rec(&j, 2, 1, &body);
	test_spit(jp, j.data, j.len);
	buf_clear(&j);
	buf_clear(&body);
	free(jp);
}

/* Replays certs.yaml, whose content is now have (n bytes): returns what
 * journal_replay returned, the file's content in *out. */
static int
replay(const char *have, size_t n, uint8_t **out, size_t *outlen,
    struct err *e)
{
	char *p = path_of("certs.yaml");
	struct buf note;
	int fd, r;

	buf_init(&note);
	fd = open(p, O_RDWR | O_APPEND);
	CHECK(fd != -1);
	CHECK_EQ(ftruncate(fd, 0), 0);
	CHECK_EQ(write(fd, have, n), (ssize_t)n);
	r = journal_replay(dir, JOURNAL_CERTS, fd, p, "ca/x/certs.yaml", &note,
	    e);
	close(fd);
	if (r > 0) {
		char want[200];

		snprintf(want, sizeof want, "ca/x/certs.yaml: %d record%s from "
		    "offset", r, r == 1 ? "" : "s");
		CHECK(strncmp((char *)note.data, want, strlen(want)) == 0);
		CHECK(strstr((char *)note.data, "written again from the batch "
		    "journal (ca/x/journal; a crash had lost them)") != NULL);
	}
	buf_clear(&note);
	*out = test_read_file(p, outlen);
	free(p);
	return r;
}

static void
test_replay(void)
{
	static const char whole[] = "0123456789AAAAAABBBB";
	char *cp = path_of("certs.yaml"), *tp = path_of("certs.yaml.torn");
	uint8_t *d;
	size_t n;
	struct err e;
	unsigned long nrecs, missing;
	char warning[512];

	test_spit(cp, whole, 20);
	journal_two(inode_of(cp));
	/* All there: nothing written, then again after records beyond. */
	CHECK_EQ(replay(whole, 20, &d, &n, &e), 0);
	CHECK_EQ(n, 20);
	free(d);
	CHECK_EQ(replay("0123456789AAAAAABBBB---more", 27, &d, &n, &e), 0);
	CHECK_EQ(n, 27);
	free(d);
	CHECK_EQ(journal_status(dir, "x", &nrecs, &missing, warning, &e), 0);
	CHECK_EQ(nrecs, 2);
	CHECK_EQ(missing, 1);	/* the audit part: no audit.yaml here */
	/* Cut back to before both parts: both written again. */
	CHECK_EQ(replay("0123456789", 10, &d, &n, &e), 2);
	CHECK_EQ(n, 20);
	CHECK_MEM(d, whole, 20);
	free(d);
	/* A second time: nothing. */
	{
		char *p = path_of("certs.yaml");
		int fd = open(p, O_RDWR | O_APPEND);

		CHECK_EQ(journal_replay(dir, JOURNAL_CERTS, fd, p,
		    "ca/x/certs.yaml", NULL, &e), 0);
		close(fd);
		free(p);
	}
	/* Torn inside the first part: cut there (kept aside), rewritten. */
	unlink(tp);
	CHECK_EQ(replay("0123456789AAA", 13, &d, &n, &e), 2);
	CHECK_MEM(d, whole, 20);
	free(d);
	d = test_read_file(tp, &n);
	CHECK(d != NULL && n == 3 && memcmp(d, "AAA", 3) == 0);
	free(d);
	/* Only the second lost, its place zeros (size on disk, data not). */
	CHECK_EQ(replay("0123456789AAAAAA\0\0\0\0", 20, &d, &n, &e), 1);
	CHECK_MEM(d, whole, 20);
	free(d);
	CHECK_EQ(replay("0123456789AAAAAA\0\0", 18, &d, &n, &e), 1);
	CHECK_MEM(d, whole, 20);
	free(d);
	/* Changed behind the journal: refused, nothing written. */
	CHECK_ERR(replay("0123456789AAAAAAB-BB", 20, &d, &n, &e), &e,
	    "ca/x/journal: record 2: ca/x/certs.yaml differs at offset 17 "
	    "(changed behind the journal)");
	CHECK_MEM(d, "0123456789AAAAAAB-BB", 20);
	free(d);
	CHECK_ERR(replay("0123456789AAAAAA\0\0x", 19, &d, &n, &e), &e,
	    "record 2: ca/x/certs.yaml differs at offset 18");
	free(d);
	/* Data before the part lost that the journal does not hold. */
	CHECK_ERR(replay("01234", 5, &d, &n, &e), &e, "ca/x/journal: record "
	    "1: ca/x/certs.yaml ends at offset 5, before the part's offset "
	    "10 (lost data the journal does not hold)");
	free(d);
	/* Another inode (rewritten whole since): skipped. */
	journal_two(inode_of(cp) + 1);
	CHECK_EQ(replay("0123456789", 10, &d, &n, &e), 0);
	CHECK_EQ(n, 10);
	free(d);
	/* A journal not ours: said, nothing else. */
	{
		char *jp = path_of("journal"), *p = path_of("certs.yaml");
		struct buf note;
		int fd = open(p, O_RDWR | O_APPEND);

		buf_init(&note);
		test_spit(jp, "garbage", 7);
		CHECK_EQ(journal_replay(dir, JOURNAL_CERTS, fd, p,
		    "ca/x/certs.yaml", &note, &e), 0);
		CHECK_STR((char *)note.data, "ca/x/journal: not a minipki "
		    "journal (bad magic line); ignored");
		close(fd);
		unlink(jp);
		buf_clear(&note);
		free(jp);
		free(p);
	}
	free(cp);
	free(tp);
}

static void
test_writer(void)
{
	struct journal j;
	struct journal_log l;
	struct err e;
	char *jp = path_of("journal");
	uint8_t *d;
	size_t n;

	journal_init(&j);
	journal_log_init(&l);
	unlink(jp);
	CHECK(!journal_held(dir));
	CHECK_EQ(journal_open(&j, dir, "x", &e), 0);
	CHECK(journal_held(dir));
	/* One writer at a time. */
	{
		struct journal j2;

		journal_init(&j2);
		CHECK_ERR(journal_open(&j2, dir, "x", &e), &e,
		    "ca/x/journal is held by another process");
		CHECK_EQ(e.kind, ERR_LOCKED);
		CHECK_EQ(j2.fd, -1);
		journal_clear(&j2);
	}
	/* Preallocated, empty; nothing gathered: nothing written. */
	d = test_read_file(jp, &n);
	CHECK_EQ(n, JOURNAL_PREALLOC);
	CHECK_MEM(d, JOURNAL_MAGIC "\0\0\0", JOURNAL_MAGIC_LEN + 4);
	free(d);
	CHECK_EQ(journal_commit(&j, &e), 0);
	CHECK_EQ(j.size, JOURNAL_MAGIC_LEN);
	journal_add(&j, JOURNAL_CERTS, 42, 100, "rec-one", 7);
	journal_add(&j, JOURNAL_AUDIT, 43, 5, "audit", 5);
	CHECK_EQ(journal_commit(&j, &e), 0);
	journal_add(&j, JOURNAL_ENROLL, 44, 9, "use", 3);
	CHECK_EQ(journal_commit(&j, &e), 0);
	CHECK_EQ(j.batches, 2);
	d = test_read_file(jp, &n);
	CHECK_EQ(n, JOURNAL_PREALLOC);
	CHECK_EQ(journal_parse(d, n, "ca/x/journal", &l, &e), 0);
	CHECK_EQ(l.valid_end, j.size);
	CHECK_EQ(l.nrecs, 2);
	CHECK_EQ(l.n, 3);
	CHECK_STR(l.warning, "");
	CHECK_EQ(l.v[0].inode, 42);
	CHECK_EQ(l.v[1].off, 5);
	CHECK_MEM(l.v[1].data, "audit", 5);
	CHECK_EQ(l.v[2].file, JOURNAL_ENROLL);
	free(d);
	/* Held: this process's own writes are not replayed. */
	{
		char *p = path_of("certs.yaml");
		int fd = open(p, O_RDWR | O_APPEND);

		CHECK_EQ(journal_replay(dir, JOURNAL_CERTS, fd, p,
		    "ca/x/certs.yaml", NULL, &e), 0);
		close(fd);
		free(p);
	}
	/* Emptied, then the header again with the next record; the batch
	 * numbers go on. */
	CHECK_EQ(journal_empty(&j, &e), 0);
	d = test_read_file(jp, &n);
	CHECK_EQ(journal_parse(d, n, "ca/x/journal", &l, &e), 0);
	CHECK_EQ(l.nrecs, 0);
	CHECK_STR(l.warning, "");
	free(d);
	journal_add(&j, JOURNAL_CERTS, 42, 107, "rec-two", 7);
	CHECK_EQ(journal_commit(&j, &e), 0);
	d = test_read_file(jp, &n);
	/* One record: the older second one after it is not read. */
	CHECK_EQ(journal_parse(d, n, "ca/x/journal", &l, &e), 0);
	CHECK_EQ(l.nrecs, 1);
	CHECK_STR(l.warning, "");
	CHECK_MEM(d + JOURNAL_MAGIC_LEN + 4, "\0\0\0\0\0\0\0\x03", 8);
	free(d);
	/* A record longer than one read step (64 KiB) is read whole: the
	 * reader once walked past what it had read (ca serve's batch of 200
	 * enrollments made ca check crash). */
	CHECK_EQ(journal_empty(&j, &e), 0);
	{
		size_t big = 200 * 1024;
		char *blob = malloc(big);
		unsigned long nrecs, missing;
		char warning[512];

		if (blob == NULL)
			abort();
		memset(blob, 'c', big);
		journal_add(&j, JOURNAL_CERTS, 42, 0, blob, big);
		CHECK_EQ(journal_commit(&j, &e), 0);
		journal_add(&j, JOURNAL_AUDIT, 43, 0, "audit", 5);
		CHECK_EQ(journal_commit(&j, &e), 0);
		free(blob);
		CHECK_EQ(journal_status(dir, "x", &nrecs, &missing, warning,
		    &e), 0);
		CHECK_EQ(nrecs, 2);
		CHECK_STR(warning, "");
	}
	/* A part over the bounds: the commit is refused, not shortened. */
	journal_add(&j, JOURNAL_CERTS, 42, 0, "x", 0);
	CHECK_ERR(journal_commit(&j, &e), &e, "ca/x/journal: an earlier write "
	    "failed");
	journal_log_clear(&l);
	journal_clear(&j);
	CHECK(!journal_held(dir));
	free(jp);
}

int
main(void)
{
	char *p;

	if (mkdtemp(dir) == NULL) {
		perror(dir);
		return 1;
	}
	p = path_of("certs.yaml");
	test_spit(p, "", 0);
	free(p);
	test_parse_broken();
	test_replay();
	test_writer();
	p = xasprintf("rm -rf '%s'", dir);
	if (system(p) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(p);
	return test_done();
}
