/* cadb-test.c — the CA database: append and reopen, the file is YAML that
 * libyaml reads to the same values, duplicate serials, revocation, torn
 * last records at every byte, corrupted middle records, the writers' lock,
 * and kill -9 at random moments losing nothing acknowledged. */
#include <errno.h>
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
#include "store/cadb.h"
#include "testlib.h"
#include "testws.h"
#include "testyaml.h"

#define NREC 60		/* records in the append/reopen test */
#define KILLS 200	/* SIGKILLs in the crash test */

static struct ws w;

static char *
certs_path(const char *ca)
{
	char *p = malloc(strlen(w.dir) + strlen(ca) + 32);

	sprintf(p, "%s/ca/%s/certs.yaml", w.dir, ca);
	return p;
}

/* A fake certificate: the store treats it as opaque bytes. */
static void
fake_der(unsigned i, uint8_t *der, size_t *len)
{
	size_t k;

	*len = 300 + i % 200;
	for (k = 0; k < *len; k++)
		der[k] = (uint8_t)(k * 7 + i);
	der[0] = 0x30;
}

static int
append_n(struct cadb *db, unsigned i, const char *subject, struct err *e)
{
	uint8_t der[600];
	char serial[40];
	struct cadb_issue is = { 0 };

	fake_der(i, der, &is.cert_len);
	snprintf(serial, sizeof serial, "%02X%08x", 0x4a, i * 2654435761u);
	is.serial = serial;
	is.subject = subject;
	is.issuer = "CN=Lab Root,O=Lab";
	is.profile = i % 2 ? "server" : "client";
	is.not_before = 1795400000 + i;
	is.not_after = 1795400000 + 86400 * 365 + i;
	is.cert_der = der;
	return cadb_append(db, &is, e);
}

static const char *tricky[] = {
	"CN=plain,O=Lab",
	"CN=quote \" and back\\slash",
	"CN=caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91",	/* UTF-8 */
	"CN=tab\there\x01\x7f end",			/* controls */
	"CN=bad \xff\xfe utf8",				/* not UTF-8 */
	"CN=line\nbreak \xe2\x80\xa8 ls \xc2\x85 nel \xef\xbb\xbf bom",
	"",
	"- not: [a, list] # nor a comment",
};

static const char *
subject_of(unsigned i)
{
	return tricky[i % (sizeof tricky / sizeof tricky[0])];
}

/* What the subject reads back as: bad UTF-8 bytes become U+FFFD. */
static const char *
subject_back(unsigned i)
{
	if (i % (sizeof tricky / sizeof tricky[0]) == 4)
		return "CN=bad \xef\xbf\xbd\xef\xbf\xbd utf8";
	return subject_of(i);
}

static void
test_create(void)
{
	struct cadb_meta m;
	struct cadb db;
	struct err e;
	struct stat st;
	char *p;

	cadb_init(&db);
	cadb_meta_init(&m);
	CHECK_EQ(cadb_create(&w, "lab", "lab-key", "CN=Lab Root,O=Lab", &e), 0);
	CHECK_ERR(cadb_create(&w, "lab", "lab-key", NULL, &e), &e,
	    "CA 'lab' already exists");
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK_ERR(cadb_create(&w, "a/b", "k", NULL, &e), &e,
	    "invalid name 'a/b'");
	CHECK_EQ(cadb_meta_load(&w, "lab", &m, &e), 0);
	CHECK_STR(m.name, "lab");
	CHECK_STR(m.keystore, "lab-key");
	CHECK_STR(m.subject, "CN=Lab Root,O=Lab");
	CHECK(m.created != NULL && strlen(m.created) == 20);
	cadb_meta_clear(&m);
	CHECK_ERR(cadb_meta_load(&w, "nope", &m, &e), &e, "no CA 'nope'");
	CHECK_ERR(cadb_open(&db, &w, "nope", 0, &e), &e, "no CA 'nope'");
	CHECK_EQ(e.kind, ERR_USAGE);
	p = certs_path("lab");
	CHECK_EQ(stat(p, &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0600);
	free(p);
	p = malloc(strlen(w.dir) + 16);
	sprintf(p, "%s/ca/lab", w.dir);
	CHECK_EQ(stat(p, &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0700);
	free(p);
	/* An empty database opens. */
	CHECK_EQ(cadb_open(&db, &w, "lab", 0, &e), 0);
	CHECK_EQ(db.ncerts, 0);
	CHECK_EQ(db.nwarnings, 0);
	cadb_clear(&db);
}

static void
test_append_reopen(void)
{
	struct cadb db;
	struct err e;
	struct buf der;
	struct yview y = { 0 };
	uint8_t want[600];
	size_t wantlen, i;
	char *p;

	cadb_init(&db);
	buf_init(&der);
	CHECK_EQ(cadb_open(&db, &w, "lab", CADB_WRITE, &e), 0);
	for (i = 0; i < NREC; i++)
		CHECK_EQ(append_n(&db, (unsigned)i, subject_of((unsigned)i),
		    &e), 0);
	CHECK_EQ(db.ncerts, NREC);
	CHECK(cadb_has_serial(&db, "4a9e3779b1"));	/* i = 1 */
	CHECK(cadb_has_serial(&db, "004A9E3779B1"));
	CHECK(!cadb_has_serial(&db, "4a9e3779b2"));
	CHECK(!cadb_has_serial(&db, "xyz"));
	/* A serial already recorded, in any spelling, is refused. */
	CHECK_ERR(append_n(&db, 1, "CN=again", &e), &e,
	    "serial 4a9e3779b1 is already recorded by CA 'lab'");
	CHECK_EQ(e.kind, ERR_REFUSED);
	/* Revocation is a new record. */
	CHECK_EQ(cadb_revoke(&db, "4A9E3779B1", 1795500000, "keyCompromise",
	    &e), 0);
	CHECK_ERR(cadb_revoke(&db, "4a9e3779b1", 1795500000, "unspecified",
	    &e), &e, "serial 4a9e3779b1 is already revoked");
	CHECK_ERR(cadb_revoke(&db, "77", 1795500000, "unspecified", &e), &e,
	    "CA 'lab' has no certificate with serial 77");
	cadb_clear(&db);

	CHECK_EQ(cadb_open(&db, &w, "lab", 0, &e), 0);
	CHECK_EQ(db.ncerts, NREC);
	CHECK_EQ(db.nevents, NREC + 1);
	CHECK_EQ(db.nwarnings, 0);
	for (i = 0; i < db.ncerts && i < NREC; i++) {
		const struct cadb_cert *c = &db.certs[i];

		CHECK_STR(c->subject, subject_back((unsigned)i));
		CHECK_STR(c->issuer, "CN=Lab Root,O=Lab");
		CHECK_STR(c->profile, i % 2 ? "server" : "client");
		CHECK_EQ(c->not_before, 1795400000 + (long long)i);
		CHECK_EQ(c->not_after, 1795400000 + 86400 * 365 + (long long)i);
		CHECK_EQ(c->status, i == 1 ? CADB_REVOKED : CADB_VALID);
		fake_der((unsigned)i, want, &wantlen);
		der.len = 0;
		CHECK_EQ(cadb_cert_der(&db, c, &der, &e), 0);
		CHECK_EQ(der.len, wantlen);
		CHECK_MEM(der.data, want, wantlen);
	}
	CHECK_STR(db.certs[1].reason, "keyCompromise");
	CHECK_EQ(db.certs[1].revoked_at, 1795500000);
	CHECK_STR(cadb_find(&db, "4a9e3779b1")->serial, "4a9e3779b1");
	cadb_clear(&db);

	/* libyaml reads the file as NREC + 1 documents with the same
	 * subjects: the hand-written escaping is real YAML. */
	p = certs_path("lab");
	CHECK_EQ(yaml_view(p, &y), 0);
	CHECK_EQ(y.docs, NREC + 1);
	for (i = 0; i < NREC; i++)
		CHECK_STR(yget(&y, (int)i, "subject"),
		    subject_back((unsigned)i));
	CHECK(yget(&y, NREC, "subject") == NULL);	/* the revoke record */
	yview_clear(&y);
	free(p);
	buf_clear(&der);
}

/* Cuts the database at every byte inside its last record. */
static void
test_torn(void)
{
	struct cadb db;
	struct err e;
	uint8_t *data;
	size_t n, last, cut, bad = 0;
	unsigned long line = 1;
	char *p = certs_path("lab"), *copy, want[128];
	int fd;

	cadb_init(&db);
	data = test_slurp(p, &n);
	/* The last record starts after the last "\n---\n". */
	for (last = n - 5; last > 0; last--)
		if (memcmp(data + last, "\n---\n", 5) == 0)
			break;
	last++;
	for (cut = 0; cut < last; cut++)
		line += data[cut] == '\n';
	snprintf(want, sizeof want, "ca/torn/certs.yaml: line %lu: last record "
	    "is incomplete (torn write), skipped", line);
	CHECK_EQ(cadb_create(&w, "torn", "k", NULL, &e), 0);
	copy = certs_path("torn");
	test_spit(copy, data, n);
	fd = open(copy, O_WRONLY);
	for (cut = last; cut < n; cut++) {
		if (ftruncate(fd, (off_t)cut) == -1)
			break;
		if (cadb_open(&db, &w, "torn", 0, &e) == -1) {
			bad++;
			fprintf(stderr, "cut at %zu: %s\n", cut, e.msg);
			continue;
		}
		/* Everything before the torn record is there. */
		if (db.nevents != NREC || (cut > last && (db.nwarnings != 1 ||
		    strcmp(db.warnings[0], want) != 0)) ||
		    (cut == last && db.nwarnings != 0)) {
			bad++;
			fprintf(stderr, "cut at %zu: %zu events, %zu warnings "
			    "%s\n", cut, db.nevents, db.nwarnings,
			    db.nwarnings ? db.warnings[0] : "");
		}
		cadb_clear(&db);
	}
	close(fd);
	CHECK_EQ(bad, 0);
	CHECK(n - last > 100);

	/* The same from memory. */
	CHECK_EQ(cadb_parse(&db, data, n - 1, "mem", &e), 0);
	CHECK_EQ(db.nwarnings, 1);
	CHECK_EQ(db.nevents, NREC);

	/* A writer cuts the torn tail off (keeping it aside) and appends
	 * after the last whole record. */
	test_spit(copy, data, n - 7);
	CHECK_EQ(cadb_open(&db, &w, "torn", CADB_WRITE, &e), 0);
	CHECK_EQ(db.nwarnings, 2);
	if (db.nwarnings == 2)
		CHECK(strstr(db.warnings[1], "removed (kept in "
		    "certs.yaml.torn)") != NULL);
	CHECK_EQ(append_n(&db, 1000, "CN=after the crash", &e), 0);
	cadb_clear(&db);
	CHECK_EQ(cadb_open(&db, &w, "torn", 0, &e), 0);
	CHECK_EQ(db.nwarnings, 0);
	CHECK_EQ(db.nevents, NREC + 1);
	CHECK(cadb_has_serial(&db, "4a08b35b68"));	/* i = 1000 */
	cadb_clear(&db);
	free(p);
	p = malloc(strlen(copy) + 8);
	sprintf(p, "%s.torn", copy);
	free(data);
	data = test_slurp(p, &n);
	CHECK(n > 0 && n < 2000);	/* the cut-off bytes, kept */
	free(data);
	free(p);
	free(copy);
}

/* Line number and offset of the last record of data[0..n). */
static size_t
last_record(const uint8_t *data, size_t n, unsigned long *line)
{
	size_t last, k;

	for (last = n - 5; last > 0; last--)
		if (memcmp(data + last, "\n---\n", 5) == 0)
			break;
	last++;
	*line = 1;
	for (k = 0; k < last; k++)
		*line += data[k] == '\n';
	return last;
}

/* A last record that is complete but damaged (bit rot, an edit) is not a
 * torn write: every open refuses it, naming it, and a writer leaves the
 * file as it is (nothing cut into certs.yaml.torn). */
static void
test_damaged_tail(void)
{
	struct cadb db;
	struct err e;
	uint8_t *data, *t, *now;
	size_t n, nn, last;
	unsigned long line;
	char *p = certs_path("lab"), *copy, *torn, want[320], *at;

	cadb_init(&db);
	data = test_slurp(p, &n);
	last = last_record(data, n, &line);
	CHECK_EQ(cadb_create(&w, "rot", "k", NULL, &e), 0);
	copy = certs_path("rot");
	torn = malloc(strlen(copy) + 8);
	sprintf(torn, "%s.torn", copy);
	t = malloc(n + 1);
	memcpy(t, data, n);
	t[n] = '\0';
	/* keyCompromise -> keyCompromisf in the last record (a revocation). */
	at = strstr((char *)t + last, "\nreason: keyCompromise\n");
	CHECK(at != NULL);
	if (at != NULL)
		at[21] ^= 0x03;
	test_spit(copy, t, n);
	snprintf(want, sizeof want, "ca/rot/certs.yaml: line %lu (offset "
	    "%zu): record checksum does not match its contents; the last "
	    "record is complete, so it was damaged, not torn by a crash: left "
	    "as it is", line, last);
	CHECK_ERR(cadb_open(&db, &w, "rot", CADB_WRITE, &e), &e, want);
	CHECK_EQ(e.kind, ERR_INPUT);
	CHECK_ERR(cadb_open(&db, &w, "rot", CADB_WRITE | CADB_APPEND, &e), &e,
	    want);
	CHECK_ERR(cadb_open(&db, &w, "rot", 0, &e), &e, want);
	now = test_slurp(copy, &nn);
	CHECK(nn == n && memcmp(now, t, n) == 0);
	free(now);
	CHECK(access(torn, F_OK) == -1);

	/* A damaged shape in a complete last record: the same. */
	memcpy(t, data, n);
	at = strstr((char *)t + last, "\nrevoked_at: ");
	CHECK(at != NULL);
	if (at != NULL)
		at[11] = ';';
	snprintf(want, sizeof want, "mem: line %lu (offset %zu): expected "
	    "'key: value'; the last record is complete, so it was damaged, "
	    "not torn by a crash: left as it is", line + 3, last);
	CHECK_ERR(cadb_parse(&db, t, n, "mem", &e), &e, want);

	/* Cut short instead, it is a torn write, cut off by a writer. */
	test_spit(copy, data, n - 1);
	CHECK_EQ(cadb_open(&db, &w, "rot", CADB_WRITE, &e), 0);
	CHECK_EQ(db.size, last);
	cadb_clear(&db);
	CHECK(access(torn, F_OK) == 0);
	free(t);
	free(torn);
	free(copy);
	free(data);
	free(p);
}

static void
test_corrupt(void)
{
	struct cadb db;
	struct err e;
	uint8_t *data, *t;
	size_t n;
	char *p = certs_path("lab"), *at;

	cadb_init(&db);
	data = test_slurp(p, &n);
	t = malloc(n + 1);

	/* A changed byte in the third record: an error naming its line. */
	memcpy(t, data, n);
	t[n] = '\0';
	at = strstr((char *)t, "CN=caf");
	at[3] = 'K';
	CHECK_ERR(cadb_parse(&db, t, n, "certs.yaml", &e), &e,
	    "certs.yaml: line 30: record checksum does not match its "
	    "contents");
	CHECK_EQ(e.kind, ERR_INPUT);
	CHECK_EQ(db.ncerts, 0);

	/* A lost end marker in the middle. */
	memcpy(t, data, n);
	at = strstr((char *)t, "\n...\n");
	memcpy(at, "\n..,\n", 5);
	CHECK_ERR(cadb_parse(&db, t, n, "certs.yaml", &e), &e,
	    "certs.yaml: line 16: record is incomplete (no '...' end marker)");

	/* Garbage between records. */
	memcpy(t, data, n);
	at = strstr((char *)t, "\n...\n---\n");
	memcpy(at + 5, "-x-\n", 4);
	CHECK_ERR(cadb_parse(&db, t, n, "certs.yaml", &e), &e,
	    "certs.yaml: line 17: expected '---' (start of a record)");

	/* Not a database at all. */
	CHECK_ERR(cadb_parse(&db, "---\nfoo: bar\n", 13, "x.yaml", &e), &e,
	    "x.yaml: line 1: not a minipki CA database");
	CHECK_ERR(cadb_parse(&db, "", 0, "x.yaml", &e), &e,
	    "x.yaml: line 1: not a minipki CA database");
	cadb_clear(&db);
	free(t);
	free(data);
	free(p);
}

/* A record built by hand with a correct checksum but wrong contents. */
static void
test_semantics(void)
{
	static const char *cases[][2] = {
		{ "type: issue", "type: frobnicate" },
		{ "serial: \"4a00000000\"", "serial: \"4A00000000\"" },
		{ "not_after: 2026-11-23T08:00:00Z", "not_after: tomorrow" },
		{ "profile: client", "profile: \"client\"" },
		{ "status: valid", "status: revoked" },
		{ "cert: MIIB", "cert: MI*B" },
	};
	static const char *want[] = {
		"x: line 4: type: unknown record type 'frobnicate'",
		"x: line 5: serial: not lower-case hex",
		"x: line 8: not_after: not a time",
		"x: line 10: profile: bad value",
		"x: line 11: status: an issue record must say 'valid'",
		"x: line 12: cert: bad value",
	};
	static const char rec[] =
	    "---\ntype: issue\nserial: \"4a00000000\"\nsubject: \"CN=x\"\n"
	    "not_before: 2026-11-23T08:00:00Z\nnot_after: 2026-11-23T08:00:00Z\n"
	    "issued_at: 2026-11-23T08:00:00Z\nprofile: client\n"
	    "status: valid\ncert: MIIB\n";
	struct cadb db;
	struct err e;
	struct buf b, r;
	uint8_t d[32];
	size_t i, k;
	char *at;

	cadb_init(&db);
	buf_init(&b);
	buf_init(&r);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		r.len = 0;
		buf_puts(&r, rec);
		at = strstr((char *)r.data, cases[i][0]);
		b.len = 0;
		buf_append(&b, r.data, (size_t)(at - (char *)r.data));
		buf_puts(&b, cases[i][1]);
		buf_puts(&b, at + strlen(cases[i][0]));
		hash_sha256(b.data, b.len, d);
		buf_puts(&b, "sum: ");
		for (k = 0; k < 32; k++)
			buf_printf(&b, "%02x", d[k]);
		buf_puts(&b, "\n...\n");
		r.len = 0;
		buf_puts(&r, "# minipki-cadb 1\n# comment\n");
		buf_append(&r, b.data, b.len);
		/* A wrong record is an error even when it is the last. */
		CHECK_ERR(cadb_parse(&db, r.data, r.len, "x", &e), &e, want[i]);
	}
	/* The untouched record parses; twice it is a duplicate. */
	r.len = 0;
	buf_puts(&r, "# minipki-cadb 1\n");
	hash_sha256(rec, strlen(rec), d);
	b.len = 0;
	buf_puts(&b, rec);
	buf_puts(&b, "sum: ");
	for (k = 0; k < 32; k++)
		buf_printf(&b, "%02x", d[k]);
	buf_puts(&b, "\n...\n");
	buf_append(&r, b.data, b.len);
	CHECK_EQ(cadb_parse(&db, r.data, r.len, "x", &e), 0);
	CHECK_EQ(db.ncerts, 1);
	buf_append(&r, b.data, b.len);
	CHECK_ERR(cadb_parse(&db, r.data, r.len, "x", &e), &e,
	    "x: line 14: serial 4a00000000 appears twice (first at line 2)");
	cadb_clear(&db);
	buf_clear(&b);
	buf_clear(&r);
}

/* Appends one issue record written by hand (not by cadb.c) to b. */
static void
hand_record(struct buf *b, unsigned i, size_t certlen)
{
	struct buf r;
	uint8_t d[32];
	size_t k;

	buf_init(&r);
	buf_printf(&r, "---\ntype: issue\nserial: \"%x\"\nsubject: \"CN=h%u\"\n"
	    "not_before: 2026-11-23T08:00:00Z\n"
	    "not_after: 2027-11-23T08:00:00Z\n"
	    "issued_at: 2026-11-23T08:00:00Z\nprofile: server\n"
	    "status: valid\ncert: ", i + 1, i);
	for (k = 0; k < certlen; k++)
		buf_putc(&r, "ABCDEFGHIJKLMNOP"[(k + i) % 16]);
	buf_putc(&r, '\n');
	hash_sha256(r.data, r.len, d);
	buf_puts(&r, "sum: ");
	for (k = 0; k < 32; k++)
		buf_printf(&r, "%02x", d[k]);
	buf_puts(&r, "\n...\n");
	buf_append(b, r.data, r.len);
	buf_clear(&r);
}

/* A database of several megabytes: records straddle the reader's 1 MiB
 * window, and faults near the boundaries are still placed right. */
static void
test_big(void)
{
	struct cadb db;
	struct err e;
	struct buf b, der;
	char *p, want[128];
	size_t i, n = 3000, off_mid = 0, off_last = 0;
	unsigned long line_mid = 0, line_last = 0, line = 2;

	cadb_init(&db);
	buf_init(&b);
	buf_init(&der);
	CHECK_EQ(cadb_create(&w, "big", "k", NULL, &e), 0);
	buf_puts(&b, "# minipki-cadb 1\n");
	for (i = 0; i < n; i++) {
		if (i == n / 2) {
			off_mid = b.len;
			line_mid = line;
		}
		if (i == n - 1) {
			off_last = b.len;
			line_last = line;
		}
		hand_record(&b, (unsigned)i, (1000 + i % 700) & ~3u);
		line += 12;
	}
	p = certs_path("big");
	test_spit(p, b.data, b.len);
	CHECK_EQ(cadb_open(&db, &w, "big", 0, &e), 0);
	CHECK_EQ(db.ncerts, n);
	CHECK_EQ(db.nwarnings, 0);
	for (i = 0; i < db.ncerts; i += 97) {
		char s[24];

		snprintf(s, sizeof s, "%zx", i + 1);
		CHECK(cadb_has_serial(&db, s));
		der.len = 0;
		CHECK_EQ(cadb_cert_der(&db, &db.certs[i], &der, &e), 0);
		CHECK_EQ(der.len, ((1000 + i % 700) & ~3u) / 4 * 3);
	}
	cadb_clear(&db);
	/* Torn in the last record. */
	test_spit(p, b.data, b.len - 100);
	CHECK_EQ(cadb_open(&db, &w, "big", 0, &e), 0);
	CHECK_EQ(db.ncerts, n - 1);
	snprintf(want, sizeof want, "line %lu: last record is incomplete",
	    line_last);
	CHECK(db.nwarnings == 1 && strstr(db.warnings[0], want) != NULL);
	cadb_clear(&db);
	(void)off_last;
	/* A flipped byte in a record in the middle, megabytes before the
	 * end: an error naming its line. */
	b.data[off_mid + 300] ^= 1;	/* inside the cert line */
	test_spit(p, b.data, b.len);
	snprintf(want, sizeof want, "ca/big/certs.yaml: line %lu: record "
	    "checksum does not match its contents", line_mid);
	CHECK_ERR(cadb_open(&db, &w, "big", 0, &e), &e, want);
	CHECK_EQ(e.kind, ERR_INPUT);
	free(p);
	buf_clear(&b);
	buf_clear(&der);
}

static void
test_lock(void)
{
	struct cadb db;
	struct err e;
	pid_t pid, me = getpid();
	int status;
	char want[128];

	cadb_init(&db);
	CHECK_EQ(cadb_open(&db, &w, "lab", CADB_WRITE, &e), 0);
	snprintf(want, sizeof want, "CA 'lab' is locked by another process "
	    "(pid %ld)", (long)me);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		struct cadb db2;
		struct err e2;
		int ok;

		cadb_init(&db2);
		ok = cadb_open(&db2, &w, "lab", CADB_WRITE, &e2) == -1 &&
		    e2.kind == ERR_LOCKED && strcmp(e2.msg, want) == 0;
		if (!ok)
			fprintf(stderr, "child got: %s\n", e2.msg);
		/* A reader needs no lock. */
		if (cadb_open(&db2, &w, "lab", 0, &e2) == -1)
			ok = 0;
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cadb_clear(&db);
	/* Released: a new writer gets it. */
	if ((pid = fork()) == 0) {
		struct cadb db2;

		cadb_init(&db2);
		_exit(cadb_open(&db2, &w, "lab", CADB_WRITE, NULL) == 0 ? 0 : 1);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* The child of the crash test: appends until killed, and reports each
 * serial once cadb_append has returned. */
static void
crash_child(int out, unsigned seed)
{
	struct cadb db;
	struct err e;
	uint8_t der[600];
	char serial[40], line[41];
	struct cadb_issue is = { 0 };
	unsigned i;

	cadb_init(&db);
	if (cadb_open(&db, &w, "crash", CADB_WRITE, &e) == -1) {
		fprintf(stderr, "child: %s\n", e.msg);
		_exit(2);
	}
	for (i = 0;; i++) {
		fake_der(i, der, &is.cert_len);
		snprintf(serial, sizeof serial, "%08x%08x", seed, i);
		is.serial = serial;
		is.subject = "CN=crash test";
		is.profile = "server";
		is.not_before = 0;
		is.not_after = 1;
		is.cert_der = der;
		if (cadb_append(&db, &is, &e) == -1) {
			fprintf(stderr, "child: %s\n", e.msg);
			_exit(3);
		}
		snprintf(line, sizeof line, "%s\n", serial);
		if (write(out, line, strlen(line)) != (ssize_t)strlen(line))
			_exit(4);
	}
}

/* The serials the crash test's children acknowledged. */
static char (*acked)[17];
static size_t nacked, acap;

/* Collects whole lines from the pipe; returns how many arrived. */
static size_t
collect(const char *buf, size_t n, char *part, size_t *plen)
{
	size_t i, got = 0;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (*plen < 16)
				part[(*plen)++] = buf[i];
			continue;
		}
		if (nacked == acap) {
			acap = acap ? acap * 2 : 1024;
			acked = realloc(acked, acap * sizeof *acked);
		}
		part[*plen] = '\0';
		memcpy(acked[nacked++], part, 17);
		*plen = 0;
		got++;
	}
	return got;
}

static void
test_crash(void)
{
	struct cadb db;
	struct err e;
	char buf[4096], part[17];
	size_t plen, i, missing = 0, torn = 0, got;
	unsigned kill_no, bad_exit = 0, bad_open = 0;
	int fds[2], status;
	ssize_t r;
	pid_t pid;

	cadb_init(&db);
	CHECK_EQ(cadb_create(&w, "crash", "k", NULL, &e), 0);
	srand((unsigned)time(NULL));
	for (kill_no = 0; kill_no < KILLS; kill_no++) {
		if (pipe(fds) == -1)
			break;
		fflush(NULL);
		if ((pid = fork()) == 0) {
			close(fds[0]);
			crash_child(fds[1], kill_no + 1);
		}
		close(fds[1]);
		plen = 0;
		/* Every other time wait for a first record, so that however
		 * slow the machine, most kills land in the middle of work;
		 * then 0..8 ms more. The others are purely random and may
		 * even come before the database is open. */
		if (kill_no % 2 == 1) {
			got = 0;
			while (got == 0 && (r = read(fds[0], buf, sizeof buf)) > 0)
				got = collect(buf, (size_t)r, part, &plen);
		}
		usleep((useconds_t)(rand() % 8000));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (!WIFSIGNALED(status))
			bad_exit++;
		while ((r = read(fds[0], buf, sizeof buf)) > 0)
			collect(buf, (size_t)r, part, &plen);
		close(fds[0]);
		/* After every kill: the file loads, at most the torn tail
		 * skipped, and every acknowledged serial is there. */
		if (cadb_open(&db, &w, "crash", 0, &e) == -1) {
			fprintf(stderr, "after kill %u: %s\n", kill_no, e.msg);
			bad_open++;
			continue;
		}
		torn += db.nwarnings;
		if (db.nwarnings > 1)
			bad_open++;
		for (i = 0; i < nacked; i++)
			if (!cadb_has_serial(&db, acked[i])) {
				fprintf(stderr, "after kill %u: serial %s lost\n",
				    kill_no, acked[i]);
				missing++;
			}
		cadb_clear(&db);
	}
	CHECK_EQ(kill_no, KILLS);
	CHECK_EQ(bad_exit, 0);
	CHECK_EQ(bad_open, 0);
	CHECK_EQ(missing, 0);
	CHECK(nacked >= KILLS / 2);	/* the children did get work done */
	printf("crash test: %u kills, %zu acknowledged records, %zu torn "
	    "tails seen\n", kill_no, nacked, torn);
	free(acked);
}

int
main(void)
{
	char dir[] = "tests/work/cadb-XXXXXX";

	if (test_ws_open(&w, dir) == -1)
		return 1;
	test_create();
	test_append_reopen();
	test_torn();
	test_damaged_tail();
	test_corrupt();
	test_semantics();
	test_big();
	test_lock();
	test_crash();
	test_ws_remove(&w, dir);
	return test_done();
}
