/* store-yaml-test.c — every file the store writes is YAML that libyaml
 * reads to the same values as the store: certs.yaml, certs.snap,
 * audit.yaml, ca.yaml and a keystore, written through the store with
 * strings holding quotes, backslashes, UTF-8, control characters and
 * bytes that are not UTF-8, then loaded with yaml_parser_* and compared
 * with what the store reads back. Also: certs.yaml and audit.yaml quote a
 * string the same way (they had drifted), files in the old escapes still
 * read, and a NUL or a bad escape is refused with its exact error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "crypto/hex.h"
#include "store/audit.h"
#include "store/cadb.h"
#include "store/cadbsnap.h"
#include "store/keystore.h"
#include "store/yamlq.h"
#include "testlib.h"
#include "testws.h"
#include "testyaml.h"

static struct ws w;

static const char *tricky[] = {
	"CN=quote \" and back\\slash \\\\ \\\"",
	"CN=caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91 \xe4\xb8\xad",
	"CN=tab\there\x01\x1b[0m\x7f end",
	"CN=line\nbreak\r \xe2\x80\xa8 ls \xc2\x85 nel \xef\xbb\xbf bom",
	"CN=bad \xff\xfe utf8 \xc3",
	"\\x00 not an escape \\u0000",
	"- not: [a, list] # nor a comment",
	"",
};
#define NTRICKY (sizeof tricky / sizeof tricky[0])

/* What a string reads back as: bytes that are not UTF-8 become U+FFFD. */
static const char *
back(size_t i)
{
	if (i == 4)
		return "CN=bad \xef\xbf\xbd\xef\xbf\xbd utf8 \xef\xbf\xbd";
	return tricky[i];
}

/* ---- The files ---- */

static struct yview y;

static void
test_certs(void)
{
	static const uint8_t der[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
	struct cadb db;
	struct err e;
	char serial[16], path[64];
	char *certs = test_ca_path(&w, "c", "certs.yaml");
	char *snap = test_ca_path(&w, "c", "certs.snap");
	const char *s;
	size_t i, k;

	CHECK_EQ(cadb_create(&w, "c", "k", NULL, &e), 0);
	cadb_init(&db);
	CHECK_EQ(cadb_open(&db, &w, "c", CADB_WRITE, &e), 0);
	for (i = 0; i < NTRICKY; i++) {
		struct cadb_issue is = { 0 };

		snprintf(serial, sizeof serial, "%02zx", i + 1);
		is.serial = serial;
		is.subject = tricky[i];
		is.issuer = tricky[NTRICKY - 1 - i];
		is.profile = "client";
		is.not_before = 1795400000;
		is.not_after = 1795400000 + 86400;
		is.cert_der = der;
		is.cert_len = sizeof der;
		CHECK_EQ(cadb_append(&db, &is, &e), 0);
	}
	CHECK_EQ(cadb_supersede(&db, "01", "02", &e), 0);
	cadb_clear(&db);

	/* The store reads its own file back; libyaml reads the same. */
	cadb_init(&db);
	CHECK_EQ(cadb_open(&db, &w, "c", 0, &e), 0);
	CHECK_EQ(db.ncerts, NTRICKY);
	CHECK_EQ(yaml_view(certs, &y), 0);
	CHECK_EQ(y.docs, (int)NTRICKY + 1);
	for (i = 0; i < db.ncerts && i < NTRICKY; i++) {
		CHECK_STR(db.certs[i].subject, back(i));
		CHECK_STR(db.certs[i].issuer, back(NTRICKY - 1 - i));
		CHECK_STR(yget(&y, (int)i, "subject"), db.certs[i].subject);
		CHECK_STR(yget(&y, (int)i, "issuer"), db.certs[i].issuer);
		CHECK_STR(yget(&y, (int)i, "serial"), db.certs[i].serial);
	}
	CHECK_STR(yget(&y, (int)NTRICKY, "by"), "02");
	yview_clear(&y);
	cadb_clear(&db);

	/* certs.snap: the cadb_open above wrote it (cadbsnap_min is 0). */
	cadb_init(&db);
	CHECK_EQ(cadb_open(&db, &w, "c", 0, &e), 0);
	CHECK(db.snap_covers > 0);
	CHECK_EQ(yaml_view(snap, &y), 0);
	CHECK_EQ(y.docs, 1);
	for (i = 0; i < db.ncerts; i++) {
		snprintf(path, sizeof path, "certs.%zu.1", i);
		CHECK_STR(yget(&y, 0, path), db.certs[i].subject);
		/* The issuer is an index into strings or the string. */
		snprintf(path, sizeof path, "certs.%zu.2", i);
		if ((s = yget(&y, 0, path)) != NULL && s[0] >= '0' &&
		    s[0] <= '9') {
			k = strtoul(s, NULL, 10);
			snprintf(path, sizeof path, "strings.%zu", k);
			s = yget(&y, 0, path);
		}
		CHECK_STR(s, db.certs[i].issuer);
	}
	CHECK_STR(yget(&y, 0, "certs.0.10"), "02");	/* superseded_by */
	yview_clear(&y);
	/* And the store reads the snapshot to the same state as the file. */
	CHECK_EQ(cadb_verify(&db, &e), 0);
	CHECK_EQ(db.nwarnings, 0);
	cadb_clear(&db);
	free(certs);
	free(snap);
}

static void
test_audit(void)
{
	char *path = test_ca_path(&w, "c", "audit.yaml");
	struct audit_log l;
	struct err e;
	size_t i;

	for (i = 0; i < NTRICKY; i++)
		CHECK_EQ(audit_append(&w, "c", "note", tricky[i], &e), 0);
	audit_log_init(&l);
	CHECK_EQ(audit_read(&w, "c", &l, &e), 0);
	CHECK_EQ(l.n, NTRICKY);
	CHECK_EQ(yaml_view(path, &y), 0);
	CHECK_EQ(y.docs, (int)NTRICKY);
	for (i = 0; i < l.n; i++) {
		CHECK_STR(l.v[i].details, back(i));
		CHECK_STR(yget(&y, (int)i, "details"), l.v[i].details);
		CHECK_STR(yget(&y, (int)i, "user"), l.v[i].user);
		CHECK_STR(yget(&y, (int)i, "ca"), "c");
		CHECK_STR(yget(&y, (int)i, "action"), "note");
	}
	yview_clear(&y);
	audit_log_clear(&l);
	free(path);
}

static void
test_meta(void)
{
	char *path = test_ca_path(&w, "m", "ca.yaml");
	struct cadb_meta m;
	struct err e;
	size_t i;
	char name[8];

	for (i = 0; i < NTRICKY; i++) {
		snprintf(name, sizeof name, "m%zu", i);
		CHECK_EQ(cadb_create(&w, name, "k", tricky[i], &e), 0);
		free(path);
		path = test_ca_path(&w, name, "ca.yaml");
		cadb_meta_init(&m);
		CHECK_EQ(cadb_meta_load(&w, name, &m, &e), 0);
		CHECK_STR(m.subject, back(i));
		CHECK_EQ(yaml_view(path, &y), 0);
		CHECK_STR(yget(&y, 0, "subject"), m.subject);
		CHECK_STR(yget(&y, 0, "name"), m.name);
		CHECK_STR(yget(&y, 0, "keystore"), "k");
		yview_clear(&y);
		cadb_meta_clear(&m);
	}
	free(path);
}

static void
test_keystore(void)
{
	static const uint8_t key[] = { 0x30, 0x03, 0x02, 0x01, 0x07 };
	struct keystore_info info = { .iterations = KEYSTORE_ITER_MIN };
	struct keystore ks;
	struct err e;
	char *path, salt[2 * KEYSTORE_SALT_SIZE + 1];
	size_t i;

	path = malloc(strlen(w.dir) + 32);
	sprintf(path, "%s/keys/k.yaml", w.dir);
	for (i = 0; i < NTRICKY; i++) {
		info.subject = tricky[i];
		info.not_after = tricky[NTRICKY - 1 - i];
		CHECK_EQ(keystore_create(&w, "k", key, sizeof key, "pw", 2,
		    tricky[(i + 1) % NTRICKY], &info, KEYSTORE_REPLACE, &e), 0);
		keystore_init(&ks);
		CHECK_EQ(keystore_load(&w, "k", &ks, &e), 0);
		CHECK_STR(ks.subject, back(i));
		CHECK_EQ(yaml_view(path, &y), 0);
		CHECK_STR(yget(&y, 0, "subject"), ks.subject);
		CHECK_STR(yget(&y, 0, "not_after"), ks.not_after);
		/* An empty chain is stored as none. */
		if (ks.cert_pem != NULL)
			CHECK_STR(yget(&y, 0, "certificates"), ks.cert_pem);
		hex_encode(ks.salt, sizeof ks.salt, salt);
		CHECK_STR(yget(&y, 0, "encrypted_key.salt"), salt);
		yview_clear(&y);
		keystore_clear(&ks);
	}
	free(path);
}

/* certs.yaml and audit.yaml quote a string alike: \x for controls, not
 * \u00XX (audit.yaml's old rule), and U+FFFD itself for a byte that is
 * not UTF-8, not \uFFFD. */
static void
test_one_rule(void)
{
	struct buf b;

	buf_init(&b);
	yamlq_put(&b, "a\x01\x7f\xc2\x85\xe2\x80\xa8\xef\xbb\xbf\xff\"\\\xc3\xa9");
	CHECK_STR((char *)b.data, "\"a\\x01\\x7f\\x85\\u2028\\ufeff"
	    "\xef\xbf\xbd\\\"\\\\\xc3\xa9\"");
	buf_clear(&b);
}

/* ---- Records built by hand ---- */

/* Appends "sum: " and the end marker to the record that starts at
 * b->data[from]. */
static void
seal(struct buf *b, size_t from)
{
	uint8_t d[32];

	hash_sha256(b->data + from, b->len - from, d);
	buf_puts(b, "sum: ");
	hex_put(b, d, 32);
	buf_puts(b, "\n...\n");
}

static void
cadb_with_subject(struct buf *b, const char *quoted)
{
	size_t from;

	buf_puts(b, "# minipki-cadb 1\n");
	from = b->len;
	buf_printf(b, "---\ntype: issue\nserial: \"0a\"\nsubject: %s\n"
	    "not_before: 2026-11-23T09:00:00Z\nnot_after: 2027-11-23T09:00:00Z\n"
	    "issued_at: 2026-11-23T09:00:01Z\nprofile: client\nstatus: valid\n"
	    "cert: MAMCAQU=\n", quoted);
	seal(b, from);
}

static void
audit_with_details(struct buf *b, const char *quoted)
{
	size_t from;

	buf_puts(b, "# minipki-audit 1\n");
	from = b->len;
	buf_printf(b, "---\nseq: 1\ntime: 2026-11-23T09:56:42Z\nuser: \"root\"\n"
	    "action: init\nca: \"sub\"\ndetails: %s\nprev: ", quoted);
	buf_printf(b, "%064d\n", 0);
	seal(b, from);
}

/* Old writers: certs.yaml wrote \x and \u (lower case), audit.yaml \u in
 * upper case for every escape and \uFFFD for bad bytes. Both still read,
 * to what libyaml reads. */
static void
test_old_escapes(void)
{
	static const char *q[][2] = {
		{ "\"a\\x01\\x7f\\u2028\\ufeff\\\"\\\\\"",
		  "a\x01\x7f\xe2\x80\xa8\xef\xbb\xbf\"\\" },
		{ "\"a\\u0001\\u007F\\u0085\\u2028\\uFEFF\\uFFFD\\u00E9\"",
		  "a\x01\x7f\xc2\x85\xe2\x80\xa8\xef\xbb\xbf\xef\xbf\xbd\xc3\xa9" },
	};
	char *tmp = malloc(strlen(w.dir) + 16);
	struct audit_log l;
	struct cadb db;
	struct buf b;
	struct err e;
	size_t i;

	sprintf(tmp, "%s/old.yaml", w.dir);
	for (i = 0; i < 2; i++) {
		buf_init(&b);
		cadb_with_subject(&b, q[i][0]);
		cadb_init(&db);
		CHECK_EQ(cadb_parse(&db, b.data, b.len, "x", &e), 0);
		CHECK_EQ(db.ncerts, 1);
		if (db.ncerts == 1)
			CHECK_STR(db.certs[0].subject, q[i][1]);
		test_spit(tmp, b.data, b.len);
		CHECK_EQ(yaml_view(tmp, &y), 0);
		CHECK_STR(yget(&y, 0, "subject"), q[i][1]);
		yview_clear(&y);
		cadb_clear(&db);
		buf_clear(&b);

		buf_init(&b);
		audit_with_details(&b, q[i][0]);
		audit_log_init(&l);
		CHECK_EQ(audit_parse(b.data, b.len, "x", &l, &e), 0);
		CHECK_EQ(l.n, 1);
		if (l.n == 1)
			CHECK_STR(l.v[0].details, q[i][1]);
		test_spit(tmp, b.data, b.len);
		CHECK_EQ(yaml_view(tmp, &y), 0);
		CHECK_STR(yget(&y, 0, "details"), q[i][1]);
		yview_clear(&y);
		audit_log_clear(&l);
		buf_clear(&b);
	}
	free(tmp);
}

/* A NUL escape (which audit.yaml's reader once took, cutting the string
 * short) and the other bad scalars: the exact error, both files. */
static void
test_bad(void)
{
	static const char *bad[][2] = {
		{ "\"ab\\x00cd\"", "escape \\x00 is a NUL, which a string "
		  "cannot hold" },
		{ "\"ab\\u0000cd\"", "escape \\u0000 is a NUL, which a string "
		  "cannot hold" },
		{ "\"ab\\qcd\"", "bad escape \\q" },
		{ "\"ab\\x4gcd\"", "bad escape \\x4g" },
		{ "\"ab\\u12\"", "bad escape \\u12" },
		{ "\"ab\\U0001F511\"", "bad escape \\U" },
		{ "\"ab\\n\"", "bad escape \\n" },
		{ "\"ab\\ud800\"", "escape \\ud800 is a lone surrogate" },
		{ "\"ab\\\"", "'\\' at the end of the string" },
		{ "\"a\"b\"", "'\"' inside the string is not escaped" },
		{ "\"a\tb\"", "character U+0009 is not escaped" },
		{ "\"a\xc2\x85\"", "character U+0085 is not escaped" },
		{ "\"a\xff\"", "byte 0xff is not UTF-8" },
		{ "ab", "not a double-quoted string" },
	};
	struct audit_log l;
	struct cadb db;
	struct buf b;
	struct err e;
	char want[256];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		buf_init(&b);
		CHECK_EQ(yamlq_get(bad[i][0], strlen(bad[i][0]), &b, &e), -1);
		CHECK_STR(e.msg, bad[i][1]);
		CHECK_EQ(e.kind, ERR_INPUT);
		buf_clear(&b);

		buf_init(&b);
		cadb_with_subject(&b, bad[i][0]);
		cadb_init(&db);
		snprintf(want, sizeof want, "x: line 5: subject: %s",
		    bad[i][1]);
		CHECK_EQ(cadb_parse(&db, b.data, b.len, "x", &e), -1);
		CHECK_STR(e.msg, want);
		cadb_clear(&db);
		buf_clear(&b);

		buf_init(&b);
		audit_with_details(&b, bad[i][0]);
		audit_log_init(&l);
		snprintf(want, sizeof want, "x: line 8: record 1: details: %s",
		    bad[i][1]);
		CHECK_EQ(audit_parse(b.data, b.len, "x", &l, &e), -1);
		CHECK_STR(e.msg, want);
		audit_log_clear(&l);
		buf_clear(&b);
	}
}

/* The fuzz corpus holds files in both escapes (and one with a NUL escape
 * in each): they read as they should, so the fuzzers start from records
 * that get past the checksum. */
static void
test_corpus(void)
{
	struct audit_log l;
	struct cadb db;
	struct err e;
	uint8_t *d;
	size_t n;

	d = test_slurp("tests/fuzz/corpus/cadb/escapes.yaml", &n);
	cadb_init(&db);
	CHECK_EQ(cadb_parse(&db, d, n, "x", &e), 0);
	CHECK_EQ(db.ncerts, 2);
	if (db.ncerts == 2) {
		CHECK_STR(db.certs[0].subject, "CN=caf\xc3\xa9 \"q\" "
		    "back\\slash \x01\x7f\xe2\x80\xa8");
		CHECK_STR(db.certs[1].subject, "CN=old \x01\xc3\xa9"
		    "\xef\xbf\xbd");
		CHECK_STR(db.certs[0].superseded_by, "0b");
	}
	cadb_clear(&db);
	free(d);
	d = test_slurp("tests/fuzz/corpus/cadb/nul-escape.yaml", &n);
	CHECK_EQ(cadb_parse(&db, d, n, "x", &e), -1);
	CHECK_STR(e.msg, "x: line 18: subject: escape \\x00 is a NUL, which "
	    "a string cannot hold");
	cadb_clear(&db);
	free(d);

	d = test_slurp("tests/fuzz/corpus/audit/escapes.yaml", &n);
	audit_log_init(&l);
	CHECK_EQ(audit_parse(d, n, "x", &l, &e), 0);
	CHECK_EQ(l.n, 2);
	if (l.n == 2) {
		CHECK_STR(l.v[0].details, "old \x01\x7f\xc3\xa9\xef\xbf\xbd "
		    "\"q\"");
		CHECK_STR(l.v[1].details, "new \x01\x7f caf\xc3\xa9 "
		    "\xe2\x80\xa8 back\\slash");
	}
	audit_log_clear(&l);
	free(d);
	d = test_slurp("tests/fuzz/corpus/audit/nul-escape.yaml", &n);
	CHECK_EQ(audit_parse(d, n, "x", &l, &e), -1);
	CHECK_STR(e.msg, "x: line 28: record 3: details: escape \\u0000 is a "
	    "NUL, which a string cannot hold");
	audit_log_clear(&l);
	free(d);
}

int
main(void)
{
	char dir[] = "tests/work/store-yaml-XXXXXX";

	if (test_ws_open(&w, dir) == -1)
		return 1;
	cadbsnap_min = 0;
	test_certs();
	test_audit();
	test_meta();
	test_keystore();
	test_one_rule();
	test_old_escapes();
	test_bad();
	test_corpus();
	test_ws_remove(&w, dir);
	return test_done();
}
