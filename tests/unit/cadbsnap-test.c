/* cadbsnap-test.c — the CA database's snapshot (ca/NAME/certs.snap): an
 * open through the snapshot gives the same state as reading certs.yaml in
 * full; a stale snapshot (records appended since) is completed from the
 * file; a broken, truncated or foreign snapshot, a certs.yaml shorter than
 * it covers, replaced, or edited where the samples look, are ignored; an
 * edit the samples miss is caught by cadb_verify (ca check); a reader's
 * snapshot has the file's state even when a writer's sync failed on the
 * record it parsed and another was appended before it sampled; kill -9
 * while snapshots are being written loses nothing acknowledged. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "crypto/hex.h"
#include "store/cadb.h"
#include "store/cadbsnap.h"
#include "testlib.h"
#include "testws.h"
#include "testyaml.h"

static struct ws w;

static const char *subjects[] = {
	"CN=plain,O=Lab",
	"CN=quote \" and back\\slash",
	"CN=caf\xc3\xa9 \xe2\x82\xac",
	"CN=tab\there\x01 end",
	"",
};

static int
append_n(struct cadb *db, unsigned i, struct err *e)
{
	uint8_t der[400];
	char serial[40];
	struct cadb_issue is = { 0 };
	size_t k;

	is.cert_len = 100 + i % 300;
	for (k = 0; k < is.cert_len; k++)
		der[k] = (uint8_t)(k * 5 + i);
	snprintf(serial, sizeof serial, "%02x%08x", 0x5b, i * 2654435761u);
	is.serial = serial;
	is.subject = subjects[i % 5];
	is.issuer = i % 7 == 3 ? "CN=Other Root" : "CN=Lab Root";
	is.profile = i % 2 ? "server" : "client";
	is.not_before = 1795400000 + i;
	is.not_after = 1795400000 + 86400 * 365 + i;
	is.cert_der = der;
	return cadb_append(db, &is, e);
}

static const char *
serial_of(unsigned i, char out[40])
{
	snprintf(out, 40, "%02x%08x", 0x5b, i * 2654435761u);
	return out;
}

/* Creates CA name with n certificates and some of every other event. */
static void
make_ca(const char *name, unsigned n)
{
	struct cadb db;
	struct err e;
	char s[40], s2[40];
	unsigned i;

	cadb_init(&db);
	CHECK_EQ(cadb_create(&w, name, "k", "CN=Lab Root", &e), 0);
	CHECK_EQ(cadb_open(&db, &w, name, CADB_WRITE, &e), 0);
	db.defer_sync = 1;
	for (i = 0; i < n; i++)
		CHECK_EQ(append_n(&db, i, &e), 0);
	for (i = 0; i < n; i += 5)
		CHECK_EQ(cadb_revoke_invalid(&db, serial_of(i, s), 1795500000 +
		    i, i % 10 ? "keyCompromise" : "certificateHold",
		    i % 3 ? 0 : 1795300000, &e), 0);
	CHECK_EQ(cadb_revoke(&db, serial_of(0, s), 1795600000,
	    "removeFromCRL", &e), 0);
	CHECK_EQ(cadb_supersede(&db, serial_of(1, s), serial_of(2, s2), &e),
	    0);
	CHECK_EQ(cadb_crl_record(&db, 7, 1795600000, 1796200000, &e), 0);
	CHECK_EQ(cadb_sync(&db, &e), 0);
	cadb_clear(&db);
}

static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL &&
	    strcmp(a, b) == 0);
}

/* db against a full read of certs.yaml, field by field. */
static void
check_state(const struct cadb *db, const char *name)
{
	char *p = test_ca_path(&w, name, "certs.yaml");
	struct cadb full;
	struct err e;
	uint8_t *data;
	size_t n, i, bad = 0;

	cadb_init(&full);
	data = test_slurp(p, &n);
	CHECK_EQ(cadb_parse(&full, data, n, "full", &e), 0);
	CHECK_EQ(db->ncerts, full.ncerts);
	CHECK_EQ(db->nevents, full.nevents);
	CHECK_EQ(db->size, full.size);
	CHECK_EQ(db->next_line, full.next_line);
	CHECK_EQ(db->crl_number, full.crl_number);
	CHECK_EQ(db->crl_this_update, full.crl_this_update);
	CHECK_EQ(db->crl_next_update, full.crl_next_update);
	for (i = 0; i < db->ncerts && i < full.ncerts; i++) {
		const struct cadb_cert *a = &db->certs[i], *b = &full.certs[i];

		if (!same_str(a->serial, b->serial) ||
		    !same_str(a->subject, b->subject) ||
		    !same_str(a->issuer, b->issuer) ||
		    !same_str(a->profile, b->profile) ||
		    !same_str(a->reason, b->reason) ||
		    !same_str(a->superseded_by, b->superseded_by) ||
		    a->not_before != b->not_before ||
		    a->not_after != b->not_after ||
		    a->issued_at != b->issued_at || a->status != b->status ||
		    a->revoked_at != b->revoked_at ||
		    a->invalidity != b->invalidity ||
		    a->cert_off != b->cert_off || a->cert_len != b->cert_len ||
		    a->line != b->line)
			bad++;
		/* Every serial is found through the index. */
		if (cadb_find(db, a->serial) != a)
			bad++;
	}
	CHECK_EQ(bad, 0);
	cadb_clear(&full);
	free(data);
	free(p);
}

/* The snapshot is YAML: libyaml reads it, and its "certs" sequence has
 * n entries of 15 values each. */
static void
check_yaml(const char *path, size_t want)
{
	struct yview y = { 0 };
	char key[64];
	size_t i, k;

	CHECK_EQ(yaml_view(path, &y), 0);
	CHECK_EQ(y.docs, 1);
	for (i = 0; i < want; i++)
		for (k = 0; k < 15; k++) {
			snprintf(key, sizeof key, "certs.%zu.%zu", i, k);
			CHECK(yget(&y, 0, key) != NULL);
		}
	snprintf(key, sizeof key, "certs.%zu.0", want);
	CHECK(yget(&y, 0, key) == NULL);
	for (i = 0; i < want; i++) {
		snprintf(key, sizeof key, "certs.%zu.15", i);
		CHECK(yget(&y, 0, key) == NULL);
	}
	yview_clear(&y);
}

static void
test_roundtrip(void)
{
	char *snap = test_ca_path(&w, "a", "certs.snap"), s[40];
	struct cadb db;
	struct err e;
	struct stat st;
	struct buf der;

	cadb_init(&db);
	buf_init(&der);
	make_ca("a", 300);
	cadbsnap_min = 0;
	/* No snapshot yet: read in full, then written. */
	CHECK_EQ(stat(snap, &st), -1);
	CHECK_EQ(cadb_open(&db, &w, "a", 0, &e), 0);
	CHECK_EQ(db.snap_covers, 0);
	CHECK_EQ(db.ncerts, 300);
	cadb_clear(&db);
	CHECK_EQ(stat(snap, &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0600);
	check_yaml(snap, 300);
	/* Through the snapshot: the same state, nothing read after it. */
	CHECK_EQ(cadb_open(&db, &w, "a", 0, &e), 0);
	CHECK(db.snap_covers > 0);
	CHECK_EQ(db.snap_covers, db.size);
	check_state(&db, "a");
	CHECK_STR(db.certs[0].reason == NULL ? "none" : db.certs[0].reason,
	    "none");
	CHECK_EQ(db.certs[0].status, CADB_VALID);
	CHECK_STR(db.certs[5].reason, "keyCompromise");
	CHECK_STR(db.certs[10].reason, "certificateHold");
	CHECK_STR(db.certs[1].superseded_by, serial_of(2, s));
	CHECK_STR(db.certs[3].subject, subjects[3]);
	CHECK_STR(db.certs[3].issuer, "CN=Other Root");
	CHECK_EQ(db.crl_number, 7);
	/* Certificates read back through the offsets. */
	CHECK_EQ(cadb_cert_der(&db, &db.certs[299], &der, &e), 0);
	CHECK_EQ(der.len, 100 + 299 % 300);
	CHECK_EQ(der.data[1], (uint8_t)(5 + 299));
	/* ca check: everything re-read, nothing to say. */
	CHECK_EQ(cadb_verify(&db, &e), 0);
	CHECK_EQ(db.nwarnings, 0);
	CHECK_EQ(db.snap_covers, 0);
	check_state(&db, "a");
	cadb_clear(&db);
	buf_clear(&der);
	free(snap);
}

static void
test_stale(void)
{
	struct cadb db;
	struct err e;
	uint64_t covers;
	unsigned i;

	cadb_init(&db);
	cadbsnap_min = UINT64_MAX;
	CHECK_EQ(cadb_open(&db, &w, "a", CADB_WRITE, &e), 0);
	covers = db.snap_covers;
	CHECK(covers > 0);
	for (i = 300; i < 310; i++)
		CHECK_EQ(append_n(&db, i, &e), 0);
	cadb_clear(&db);
	/* The snapshot is older than the file: the rest is read from it. */
	CHECK_EQ(cadb_open(&db, &w, "a", 0, &e), 0);
	CHECK_EQ(db.snap_covers, covers);
	CHECK(db.size > covers);
	CHECK_EQ(db.ncerts, 310);
	check_state(&db, "a");
	cadb_clear(&db);
	/* And rewritten once enough lies beyond it. */
	cadbsnap_min = 0;
	CHECK_EQ(cadb_open(&db, &w, "a", 0, &e), 0);
	CHECK_EQ(db.snap_covers, covers);
	cadb_clear(&db);
	CHECK_EQ(cadb_open(&db, &w, "a", 0, &e), 0);
	CHECK_EQ(db.snap_covers, db.size);
	check_state(&db, "a");
	cadb_clear(&db);
}

/* Opens "a" and checks that the snapshot was not used, and the state is
 * still right. */
static void
check_ignored(int line)
{
	struct cadb db;
	struct err e;

	cadb_init(&db);
	cadbsnap_min = UINT64_MAX;
	if (cadb_open(&db, &w, "a", 0, &e) != 0 || db.snap_covers != 0)
		test_fail(__FILE__, line, "snapshot used (%s)", e.msg);
	check_state(&db, "a");
	cadb_clear(&db);
}

/* Writes a fresh snapshot of "a". */
static void
fresh_snapshot(void)
{
	struct cadb db;
	struct err e;

	cadb_init(&db);
	cadbsnap_min = 0;
	CHECK_EQ(cadb_open(&db, &w, "a", 0, &e), 0);
	cadb_clear(&db);
	CHECK_EQ(cadb_open(&db, &w, "a", 0, &e), 0);
	CHECK(db.snap_covers > 0);
	cadb_clear(&db);
}

/* Recomputes the sum line of a snapshot in memory. */
static void
fix_sum(uint8_t *p, size_t n)
{
	uint8_t d[32];
	char hex[65];

	hash_sha256(p, n - 70, d);
	hex_encode(d, 32, hex);
	memcpy(p + n - 65, hex, 64);
}

static void
test_broken(void)
{
	char *snap = test_ca_path(&w, "a", "certs.snap");
	char *certs = test_ca_path(&w, "a", "certs.yaml");
	char *tmp = test_ca_path(&w, "a", "certs.yaml.copy");
	struct cadb db;
	struct err e;
	uint8_t *d, *c;
	size_t n, cn;
	char *p;

	cadb_init(&db);
	fresh_snapshot();
	d = test_slurp(snap, &n);
	/* In memory it parses; a flipped byte fails the sum. */
	CHECK_EQ(cadbsnap_parse(&db, d, n, "snap", &e), 0);
	CHECK_EQ(db.ncerts, 310);
	p = strstr((char *)d, "\n- [\"5b");
	CHECK(p != NULL);
	p[8] ^= 1;
	CHECK_ERR(cadbsnap_parse(&db, d, n, "snap", &e), &e,
	    "sum does not match the contents");
	CHECK_EQ(db.ncerts, 0);
	test_spit(snap, d, n);
	check_ignored(__LINE__);
	p[8] ^= 1;
	/* A wrong value with a right sum: refused by the checks. */
	p = strstr(p, ", 0, 0, ~, ~, 0, ");	/* status of a valid one */
	CHECK(p != NULL);
	p[2] = '2';
	fix_sum(d, n);
	CHECK_ERR(cadbsnap_parse(&db, d, n, "snap", &e), &e, ": status");
	test_spit(snap, d, n);
	check_ignored(__LINE__);
	p[2] = '0';
	fix_sum(d, n);
	/* Truncated; empty; not a snapshot. */
	CHECK_ERR(cadbsnap_parse(&db, d, n - 30, "snap", &e), &e,
	    "expected sum");
	test_spit(snap, d, n - 30);
	check_ignored(__LINE__);
	CHECK_ERR(cadbsnap_parse(&db, d, 0, "snap", &e), &e,
	    "snap: line 0: not a minipki CA database snapshot");
	CHECK_ERR(cadbsnap_parse(&db, "# minipki-cadb 1\n", 17, "snap", &e),
	    &e, "line 1: not a minipki CA database snapshot");
	test_spit(snap, "", 0);
	check_ignored(__LINE__);
	/* Text after the sum. */
	test_spit(snap, d, n);
	{
		FILE *f = fopen(snap, "ab");

		fputs("x\n", f);
		fclose(f);
	}
	check_ignored(__LINE__);
	free(d);

	/* certs.yaml shorter than the snapshot covers: a torn tail now. */
	fresh_snapshot();
	c = test_slurp(certs, &cn);
	CHECK_EQ(truncate(certs, (off_t)cn - 10), 0);
	CHECK_EQ(cadb_open(&db, &w, "a", 0, &e), 0);
	CHECK_EQ(db.snap_covers, 0);
	CHECK_EQ(db.nwarnings, 1);
	CHECK_EQ(db.ncerts, 309);	/* the last issuance is torn */
	cadb_clear(&db);
	test_spit(certs, c, cn);

	/* certs.yaml replaced by a copy (another inode). */
	fresh_snapshot();
	test_spit(tmp, c, cn);
	CHECK_EQ(rename(tmp, certs), 0);
	check_ignored(__LINE__);

	/* An edit in the sampled tail of the covered bytes. */
	fresh_snapshot();
	c[cn - 80] ^= 1;	/* inside the last sum */
	d = test_slurp(certs, &n);
	CHECK_EQ(n, cn);
	free(d);
	{
		int fd = open(certs, O_WRONLY);

		CHECK(pwrite(fd, c + cn - 80, 1, (off_t)cn - 80) == 1);
		close(fd);
	}
	/* Read in full (the snapshot ignored), the last record is complete
	 * and fails its checksum: damage, an error naming it. */
	{
		char want[256];
		unsigned long ln = 1;
		size_t k, last = cn - 5;

		while (last > 0 && memcmp(c + last, "\n---\n", 5) != 0)
			last--;
		for (k = 0; k <= last; k++)
			ln += c[k] == '\n';
		snprintf(want, sizeof want, "ca/a/certs.yaml: line %lu "
		    "(offset %zu): record checksum does not match its "
		    "contents; the last record is complete, so it was "
		    "damaged, not torn by a crash: left as it is", ln,
		    last + 1);
		CHECK_ERR(cadb_open(&db, &w, "a", 0, &e), &e, want);
	}
	cadb_clear(&db);
	c[cn - 80] ^= 1;
	{
		int fd = open(certs, O_WRONLY);

		CHECK(pwrite(fd, c + cn - 80, 1, (off_t)cn - 80) == 1);
		close(fd);
	}
	free(c);
	free(snap);
	free(certs);
	free(tmp);
}

/* A snapshot that covers no bytes (hand-made: a writer's covers at least
 * the magic line) but carries a state: loading it would add that state to
 * a full read of every record, and cadb_verify, seeing covers 0, would
 * take it for a full read. It is ignored. */
static void
test_covers_zero(void)
{
	char *snap = test_ca_path(&w, "a", "certs.snap");
	char *certs = test_ca_path(&w, "a", "certs.yaml");
	struct stat st;
	struct buf b;
	uint8_t d[32];

	buf_init(&b);
	CHECK_EQ(stat(certs, &st), 0);
	buf_printf(&b, "%scovers: 0\ninode: %llu\nlines: 2\nevents: 40\n"
	    "crl: [99, 1, 2]\nsamples: \"e3b0c44298fc1c149afbf4c8996fb92427ae"
	    "41e4649b934ca495991b7852b855\"\nnstrings: 0\nstrings:\nncerts: "
	    "0\ncerts:\n", CADBSNAP_MAGIC, (unsigned long long)st.st_ino);
	hash_sha256(b.data, b.len, d);
	buf_puts(&b, "sum: ");
	hex_put(&b, d, 32);
	buf_putc(&b, '\n');
	test_spit(snap, b.data, b.len);
	check_ignored(__LINE__);
	buf_clear(&b);
	free(snap);
	free(certs);
}

/* A snapshot whose covers is not the end of a record, with samples and
 * sum made to match (by hand): the records after it would be read from
 * inside one, and a writer would cut the rest of certs.yaml off as a torn
 * record. It is ignored. */
static void
test_covers_mid_record(void)
{
	char *snap = test_ca_path(&w, "s", "certs.snap");
	char *certs = test_ca_path(&w, "s", "certs.yaml");
	unsigned long long covers;
	struct cadb db, full;
	struct err e;
	struct buf b;
	uint8_t *d, *c;
	size_t n, cn;
	char *p, *q, hex[65];

	cadb_init(&db);
	cadb_init(&full);
	buf_init(&b);
	make_ca("s", 20);
	cadbsnap_min = 0;
	CHECK_EQ(cadb_open(&db, &w, "s", 0, &e), 0);
	cadb_clear(&db);
	c = test_slurp(certs, &cn);
	d = test_slurp(snap, &n);
	CHECK_EQ(cadb_parse(&full, c, cn, "full", &e), 0);
	p = strstr((char *)d, "\ncovers: ");
	CHECK(p != NULL);
	covers = strtoull(p + 9, &q, 10);
	CHECK_EQ(covers, cn);
	buf_append(&b, d, (size_t)(p + 9 - (char *)d));
	buf_printf(&b, "%llu", covers - 10);
	buf_append(&b, q, n - (size_t)(q - (char *)d));
	CHECK_EQ(cadbsnap_samples(&full, covers - 10, hex), 0);
	p = strstr((char *)b.data, "\nsamples: \"");
	CHECK(p != NULL);
	memcpy(p + 11, hex, 64);
	fix_sum(b.data, b.len);
	test_spit(snap, b.data, b.len);
	cadbsnap_min = UINT64_MAX;
	CHECK_EQ(cadb_open(&db, &w, "s", CADB_WRITE, &e), 0);
	CHECK_EQ(db.snap_covers, 0);
	CHECK_EQ(db.nwarnings, 0);
	CHECK_EQ(db.size, cn);
	CHECK_EQ(db.ncerts, full.ncerts);
	cadb_clear(&db);
	free(d);
	d = test_slurp(certs, &n);	/* nothing cut off */
	CHECK(n == cn && memcmp(d, c, n) == 0);
	cadb_clear(&full);
	buf_clear(&b);
	free(c);
	free(d);
	free(snap);
	free(certs);
}

/* An edit between the samples is not seen by open (the snapshot trusts
 * those bytes), but cadb_verify finds it and names the line. */
static void
test_unsampled_edit(void)
{
	char *certs = test_ca_path(&w, "b", "certs.yaml");
	struct cadb db;
	struct err e;
	uint8_t *c;
	size_t cn, span, k, at = 0;
	int fd;
	char *p;

	cadb_init(&db);
	make_ca("b", 400);
	cadbsnap_min = 0;
	CHECK_EQ(cadb_open(&db, &w, "b", 0, &e), 0);
	cadb_clear(&db);
	c = test_slurp(certs, &cn);
	CHECK(cn > 20 * 4096);
	/* A subject letter outside every sampled block. */
	span = cn - 4096;
	for (p = (char *)c; (p = strstr(p + 1, "subject: \"CN=plain")) != NULL; ) {
		size_t off = (size_t)(p - (char *)c) + 12;
		int hit = 0;

		for (k = 0; k <= 17; k++) {
			size_t s = k == 17 ? span : span / 17 * k;

			if (off >= s && off < s + 4096)
				hit = 1;
		}
		if (!hit) {
			at = off;
			break;
		}
	}
	CHECK(at > 0);
	c[at] = 'X';
	fd = open(certs, O_WRONLY);
	CHECK(pwrite(fd, c + at, 1, (off_t)at) == 1);
	close(fd);
	cadbsnap_min = UINT64_MAX;
	CHECK_EQ(cadb_open(&db, &w, "b", 0, &e), 0);
	CHECK(db.snap_covers > 0);
	CHECK_ERR(cadb_verify(&db, &e), &e,
	    "record checksum does not match its contents");
	CHECK(strstr(e.msg, "ca/b/certs.yaml: line ") != NULL);
	cadb_clear(&db);
	free(c);
	free(certs);
}

/* A snapshot whose state disagrees with a certs.yaml that verifies (the
 * file was rewritten with right checksums): cadb_verify takes the file's
 * state, warns and removes the snapshot. */
static void
test_verify_mismatch(void)
{
	char *snap = test_ca_path(&w, "a", "certs.snap");
	struct cadb db;
	struct err e;
	struct stat st;
	uint8_t *d;
	size_t n;
	char *p;

	cadb_init(&db);
	fresh_snapshot();
	d = test_slurp(snap, &n);
	p = strstr((char *)d, "\", \"CN=plain,O=Lab\"");
	CHECK(p != NULL);
	p[7] = 'Q';
	fix_sum(d, n);
	test_spit(snap, d, n);
	cadbsnap_min = UINT64_MAX;
	CHECK_EQ(cadb_open(&db, &w, "a", 0, &e), 0);
	CHECK(db.snap_covers > 0);
	CHECK_EQ(cadb_verify(&db, &e), 0);
	CHECK_EQ(db.nwarnings, 1);
	CHECK(db.nwarnings == 1 && strstr(db.warnings[0], "ca/a/certs.snap "
	    "did not match certs.yaml at line ") != NULL);
	CHECK_EQ(stat(snap, &st), -1);
	check_state(&db, "a");
	cadb_clear(&db);
	free(d);
	free(snap);
}

/* A writer appends while ca check, which takes no lock, has the database
 * open through the snapshot: cadb_verify checks the bytes the open read,
 * does not call the snapshot wrong, and every certificate it holds can
 * be read back. */
static void
test_verify_growing(void)
{
	char *snap = test_ca_path(&w, "a", "certs.snap");
	struct cadb db, wr;
	struct stat st;
	struct buf der;
	struct err e;
	size_t i, ncerts, bad = 0;

	cadb_init(&db);
	cadb_init(&wr);
	buf_init(&der);
	fresh_snapshot();
	cadbsnap_min = UINT64_MAX;
	CHECK_EQ(cadb_open(&db, &w, "a", 0, &e), 0);
	CHECK(db.snap_covers > 0);
	ncerts = db.ncerts;
	CHECK_EQ(cadb_open(&wr, &w, "a", CADB_WRITE, &e), 0);
	CHECK_EQ(append_n(&wr, 900, &e), 0);
	cadb_clear(&wr);
	CHECK_EQ(cadb_verify(&db, &e), 0);
	CHECK_EQ(db.nwarnings, 0);
	CHECK_EQ(stat(snap, &st), 0);
	CHECK_EQ(db.ncerts, ncerts);
	for (i = 0; i < db.ncerts; i++) {
		der.len = 0;
		if (cadb_cert_der(&db, &db.certs[i], &der, &e) == -1)
			bad++;
	}
	CHECK_EQ(bad, 0);
	cadb_clear(&db);
	buf_clear(&der);
	free(snap);
}

/* Writers that rewrite the snapshot on every open, killed at random:
 * every acknowledged record is there, through the snapshot or not. */
static void
test_crash(void)
{
	struct cadb db;
	struct err e;
	char s[40];
	unsigned kills, i, *acked = NULL, missing = 0;
	size_t nacked = 0, k;
	int fds[2];
	pid_t pid;

	cadb_init(&db);
	CHECK_EQ(cadb_create(&w, "c", "k", NULL, &e), 0);
	srand((unsigned)time(NULL));
	for (kills = 0; kills < 40; kills++) {
		CHECK_EQ(pipe(fds), 0);
		if ((pid = fork()) == 0) {
			close(fds[0]);
			cadbsnap_min = 0;	/* a snapshot on every open */
			for (i = 1000000 * (kills + 1);; i++) {
				struct cadb d;

				cadb_init(&d);
				if (cadb_open(&d, &w, "c", CADB_WRITE, &e) == -1)
					_exit(3);
				if (append_n(&d, i, &e) == -1)
					_exit(4);
				if (write(fds[1], &i, sizeof i) != sizeof i)
					_exit(5);
				cadb_clear(&d);
			}
		}
		close(fds[1]);
		/* After the child's first acknowledgement, at a random
		 * moment (in an append, a snapshot write, an open...). */
		if (read(fds[0], &i, sizeof i) == sizeof i) {
			acked = realloc(acked, (nacked + 1) * sizeof *acked);
			acked[nacked++] = i;
		}
		usleep((useconds_t)(rand() % 30000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		while (read(fds[0], &i, sizeof i) == sizeof i) {
			acked = realloc(acked, (nacked + 1) * sizeof *acked);
			acked[nacked++] = i;
		}
		close(fds[0]);
		/* Every acknowledged record, through the snapshot if any. */
		cadbsnap_min = UINT64_MAX;
		CHECK_EQ(cadb_open(&db, &w, "c", 0, &e), 0);
		for (k = 0; k < nacked; k++)
			if (!cadb_has_serial(&db, serial_of(acked[k], s)))
				missing++;
		cadb_clear(&db);
	}
	CHECK_EQ(missing, 0);
	CHECK(nacked >= 40);	/* the children did get work done */
	/* Old temporary snapshots of killed writers are swept by the next
	 * snapshot write. */
	{
		struct stat st2;
		char *junk = test_ca_path(&w, "c", "certs.snap.tmp.00c0ffee00c0ffee");
		char *fresh = test_ca_path(&w, "c", "certs.snap.tmp.1111111111111111");
		struct timeval old[2] = { { time(NULL) - 3600, 0 },
		    { time(NULL) - 3600, 0 } };

		test_spit(junk, "x", 1);
		test_spit(fresh, "x", 1);
		CHECK_EQ(utimes(junk, old), 0);
		cadbsnap_min = UINT64_MAX;
		CHECK_EQ(cadb_open(&db, &w, "c", CADB_WRITE, &e), 0);
		CHECK_EQ(append_n(&db, 7, &e), 0);
		cadb_clear(&db);
		cadbsnap_min = 0;
		CHECK_EQ(cadb_open(&db, &w, "c", 0, &e), 0);
		cadb_clear(&db);
		CHECK_EQ(stat(junk, &st2), -1);
		CHECK_EQ(stat(fresh, &st2), 0);	/* maybe a live writer's */
		unlink(fresh);
		free(junk);
		free(fresh);
	}
	cadbsnap_min = UINT64_MAX;
	/* The full read agrees and verifies. */
	CHECK_EQ(cadb_open(&db, &w, "c", CADB_WRITE, &e), 0);
	CHECK_EQ(cadb_verify(&db, &e), 0);
	CHECK_EQ(db.nwarnings, db.snap_covers == 0 ? db.nwarnings : 0);
	cadb_clear(&db);
	CHECK_EQ(cadb_open(&db, &w, "c", 0, &e), 0);
	check_state(&db, "c");
	cadb_clear(&db);
	printf("crash test: %u kills, %zu acknowledged records\n", kills,
	    nacked);
	free(acked);
}

/* ---- A reader writing certs.snap while a writer's sync fails ----
 *
 * A reader takes no lock and writes a snapshot of what it parsed, its
 * samples read from certs.yaml after the parse. Were a writer to take a
 * whole record back out (its fdatasync failed) and append another of the
 * same length meanwhile, the samples would match the file and the state
 * would not: every later open would take the lost record for real. The
 * replacements of libc's fdatasync and pread below stage that: the
 * writer's sync fails while a reader (a child) has parsed its record and
 * waits, before it samples, until the writer has appended again. */

static struct cadb race_wr;	/* the writer */
static int race_sync;		/* the next fdatasync forks the reader, fails */
static int race_read;		/* the reader's next pread waits */
static int race_to_writer[2], race_to_reader[2];
static pid_t race_pid = -1;
static char race_got;		/* 'p': the reader stopped before sampling */

static void
race_reader(void)
{
	struct cadb rd;
	struct err e;
	char *snap = test_ca_path(&w, "race", "certs.snap");
	int rc;

	/* Its copies of the writer's descriptors would hold the lock. */
	close(race_wr.lockfd);
	close(race_wr.fd);
	cadbsnap_min = 0;
	race_read = 1;
	cadb_init(&rd);
	rc = cadb_open(&rd, &w, "race", 0, &e);
	if (race_read)	/* it never sampled: let the writer go on */
		(void)write(race_to_writer[1], "n", 1);
	_exit(rc == 0 && access(snap, F_OK) == 0 ? 0 : 1);
}

int
fdatasync(int fd)
{
	char c;

	if (!race_sync)
		return (int)syscall(SYS_fdatasync, fd);
	race_sync = 0;
	if ((race_pid = fork()) == 0)
		race_reader();
	if (race_pid > 0 && read(race_to_writer[0], &c, 1) == 1)
		race_got = c;
	errno = EIO;
	return -1;
}

ssize_t
pread(int fd, void *buf, size_t n, off_t off)
{
	char c;

	if (race_read) {
		race_read = 0;
		(void)write(race_to_writer[1], "p", 1);
		(void)read(race_to_reader[0], &c, 1);
	}
	return (ssize_t)syscall(SYS_pread64, fd, buf, n, off);
}

static void
test_reader_race(void)
{
	uint64_t min = cadbsnap_min;
	struct cadb db;
	struct err e;
	char a[40], b[40];
	int st = -1;

	cadbsnap_min = UINT64_C(1) << 40;	/* writers write none here */
	CHECK_EQ(pipe(race_to_writer), 0);
	CHECK_EQ(pipe(race_to_reader), 0);
	cadb_init(&race_wr);
	cadb_init(&db);
	CHECK_EQ(cadb_create(&w, "race", "k", "CN=Lab Root", &e), 0);
	CHECK_EQ(cadb_open(&race_wr, &w, "race", CADB_WRITE, &e), 0);
	CHECK_EQ(append_n(&race_wr, 0, &e), 0);
	CHECK_EQ(append_n(&race_wr, 1, &e), 0);
	/* The reader parses this revocation; then its sync fails. */
	race_sync = 1;
	CHECK_ERR(cadb_revoke(&race_wr, serial_of(0, a), 1795500000,
	    "keyCompromise", &e), &e, "ca/race/certs.yaml: Input/output "
	    "error (the record is written but may not be on disk; ca check "
	    "shows what is there)");
	CHECK(race_pid > 0);
	CHECK_EQ(race_got, 'p');
	/* The writer opens again and revokes another serial of the same
	 * length; then the reader samples and writes certs.snap. */
	cadb_clear(&race_wr);
	CHECK_EQ(cadb_open(&race_wr, &w, "race", CADB_WRITE, &e), 0);
	CHECK_EQ(cadb_revoke(&race_wr, serial_of(1, b), 1795500000,
	    "keyCompromise", &e), 0);
	cadb_clear(&race_wr);
	CHECK_EQ(write(race_to_reader[1], "g", 1), 1);
	if (race_pid > 0)
		CHECK(waitpid(race_pid, &st, 0) == race_pid && WIFEXITED(st) &&
		    WEXITSTATUS(st) == 0);
	/* The next open (through that snapshot) has certs.yaml's state:
	 * the revocation whose sync failed stays, as after a kill -9
	 * before the sync; the second one is there. */
	cadbsnap_min = UINT64_C(1) << 40;
	CHECK_EQ(cadb_open(&db, &w, "race", 0, &e), 0);
	CHECK(db.snap_covers > 0);
	check_state(&db, "race");
	CHECK(cadb_find(&db, b) != NULL &&
	    cadb_find(&db, b)->status == CADB_REVOKED);
	CHECK(cadb_find(&db, a) != NULL &&
	    cadb_find(&db, a)->status == CADB_REVOKED);
	cadb_clear(&db);
	close(race_to_writer[0]);
	close(race_to_writer[1]);
	close(race_to_reader[0]);
	close(race_to_reader[1]);
	cadbsnap_min = min;
}

int
main(void)
{
	char dir[] = "tests/work/cadbsnap-XXXXXX";

	if (test_ws_open(&w, dir) == -1)
		return 1;
	test_roundtrip();
	test_stale();
	test_broken();
	test_covers_zero();
	test_covers_mid_record();
	test_unsampled_edit();
	test_verify_mismatch();
	test_verify_growing();
	test_reader_race();
	test_crash();
	test_ws_remove(&w, dir);
	return test_done();
}
