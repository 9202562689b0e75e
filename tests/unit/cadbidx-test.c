/* cadbidx-test.c — the serial index ca/NAME/certs.idx and the append open
 * (CADB_APPEND) behind `ca issue`: it loads no certificate of the
 * covered bytes yet refuses their serials; a missing, stale (inode,
 * covers) or corrupted index, or a long tail, falls back to the full
 * open with the same answers; a torn tail is cut as in a normal open;
 * what it appends a normal open sees; broken index files are rejected
 * with exact messages; ca check removes an index that is wrong; old
 * temporaries of killed writers are swept. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "store/cadb.h"
#include "store/cadbidx.h"
#include "store/cadbpriv.h"
#include "store/cadbsnap.h"
#include "testlib.h"
#include "testws.h"

#define BIG (UINT64_C(1) << 30)

static struct ws w;

static const char *
serial_of(unsigned i, char out[40])
{
	snprintf(out, 40, "%02x%08x", 0x5b, i * 2654435761u);
	return out;
}

static int
append_n(struct cadb *db, unsigned i, struct err *e)
{
	uint8_t der[200];
	char serial[40];
	struct cadb_issue is = { 0 };
	size_t k;

	is.cert_len = 50 + i % 100;
	for (k = 0; k < is.cert_len; k++)
		der[k] = (uint8_t)(k * 3 + i);
	is.serial = serial_of(i, serial);
	is.subject = "CN=x";
	is.issuer = "CN=Lab Root";
	is.profile = "server";
	is.not_before = 1795400000;
	is.not_after = 1795400000 + 86400 * 365;
	is.cert_der = der;
	return cadb_append(db, &is, e);
}

/* CA name with n certificates and other events, then a snapshot and a
 * certs.idx covering all of it. */
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
		CHECK_EQ(cadb_revoke(&db, serial_of(i, s), 1795500000,
		    "certificateHold", &e), 0);
	CHECK_EQ(cadb_supersede(&db, serial_of(1, s), serial_of(2, s2), &e),
	    0);
	CHECK_EQ(cadb_crl_record(&db, 7, 1795600000, 1796200000, &e), 0);
	CHECK_EQ(cadb_sync(&db, &e), 0);
	cadb_clear(&db);
	cadbsnap_min = 0;
	CHECK_EQ(cadb_open(&db, &w, name, 0, &e), 0);
	cadb_clear(&db);
	cadbsnap_min = BIG;
}

/* The state of certs.yaml read in full (no snapshot). */
static void
full_state(const char *name, struct cadb *full)
{
	char *p = test_ca_path(&w, name, "certs.yaml");
	struct err e;
	uint8_t *data;
	size_t n;

	data = test_slurp(p, &n);
	cadb_init(full);
	CHECK_EQ(cadb_parse(full, data, n, "full", &e), 0);
	free(data);
	free(p);
}

/* What issuing relies on, whichever way db was opened: the serials of
 * certificates 0..n are taken (either case, leading zeros), a fresh one
 * is not, and appending a taken one is refused with the exact error. */
static void
check_issuing(struct cadb *db, const char *name, unsigned n)
{
	char s[40], up[48], want[128];
	struct err e;
	unsigned i, missing = 0;
	size_t k;

	for (i = 0; i < n; i++)
		if (!cadb_has_serial(db, serial_of(i, s)))
			missing++;
	CHECK_EQ(missing, 0);
	serial_of(n - 1, s);
	snprintf(up, sizeof up, "00%s", s);
	for (k = 0; up[k] != '\0'; k++)
		if (up[k] >= 'a' && up[k] <= 'f')
			up[k] = (char)(up[k] - 'a' + 'A');
	CHECK(cadb_has_serial(db, up));
	CHECK(!cadb_has_serial(db, "77aa0001"));
	CHECK(!cadb_has_serial(db, "5b"));
	snprintf(want, sizeof want, "serial %s is already recorded by CA "
	    "'%s'", serial_of(3, s), name);
	err_clear(&e);
	CHECK_EQ(append_n(db, 3, &e), -1);
	CHECK_STR(e.msg, want);
	CHECK_EQ(e.kind, ERR_REFUSED);
}

static void
test_append_open(void)
{
	struct cadb db, full;
	struct err e;
	char s[40], s2[40], *idx = test_ca_path(&w, "ap", "certs.idx");
	struct stat st;
	unsigned i;

	make_ca("ap", 300);
	CHECK_EQ(stat(idx, &st), 0);
	CHECK_EQ(st.st_size, CADBIDX_HEADER + 8 * 300);
	cadb_init(&db);
	CHECK_EQ(cadb_open(&db, &w, "ap", CADB_WRITE | CADB_APPEND, &e), 0);
	CHECK(db.append_only);
	CHECK_EQ(db.ncerts, 0);		/* nothing of the covered bytes */
	full_state("ap", &full);
	CHECK_EQ(db.nevents, full.nevents);
	CHECK_EQ(db.crl_number, 7);
	CHECK_EQ(db.size, full.size);
	CHECK_EQ(db.next_line, full.next_line);
	check_issuing(&db, "ap", 300);
	for (i = 300; i < 305; i++)
		CHECK_EQ(append_n(&db, i, &e), 0);
	check_issuing(&db, "ap", 305);
	/* Nothing that needs the full state. */
	CHECK_ERR(cadb_revoke(&db, serial_of(301, s), 1795500000,
	    "keyCompromise", &e), &e, "ca/ap/certs.yaml: opened for issuing "
	    "only");
	CHECK_EQ(e.kind, ERR_USAGE);
	CHECK_ERR(cadb_supersede(&db, serial_of(301, s), serial_of(302, s2),
	    &e), &e, "ca/ap/certs.yaml: opened for issuing only");
	CHECK_ERR(cadb_crl_record(&db, 8, 1, 2, &e), &e, "ca/ap/certs.yaml: "
	    "opened for issuing only");
	CHECK_ERR(cadb_verify(&db, &e), &e, "ca/ap/certs.yaml: opened for "
	    "issuing only");
	CHECK_ERR(cadbsnap_write(&db, "/nonexistent/x", 1, &e), &e,
	    "ca/ap/certs.yaml: opened for issuing only; a snapshot needs the "
	    "full state");
	CHECK_ERR(cadbidx_write(&db, "/nonexistent/x", 1, &e), &e,
	    "ca/ap/certs.yaml: opened for issuing only; the serial index "
	    "needs the full state");
	cadb_clear(&db);
	cadb_clear(&full);

	/* Events about covered certificates in the tail are counted. */
	CHECK_EQ(cadb_open(&db, &w, "ap", CADB_WRITE, &e), 0);
	CHECK(!db.append_only);
	CHECK_EQ(cadb_revoke(&db, serial_of(3, s), 1795500000,
	    "keyCompromise", &e), 0);
	CHECK_EQ(cadb_revoke(&db, serial_of(5, s), 1795500000,
	    "removeFromCRL", &e), 0);
	CHECK_EQ(cadb_supersede(&db, serial_of(4, s), serial_of(301, s2),
	    &e), 0);
	CHECK_EQ(cadb_crl_record(&db, 9, 1795700000, 1796300000, &e), 0);
	cadb_clear(&db);
	CHECK_EQ(cadb_open(&db, &w, "ap", CADB_WRITE | CADB_APPEND, &e), 0);
	CHECK(db.append_only);
	CHECK_EQ(db.ncerts, 5);
	full_state("ap", &full);
	CHECK_EQ(db.nevents, full.nevents);
	CHECK_EQ(db.crl_number, 9);
	CHECK_EQ(db.crl_this_update, full.crl_this_update);
	CHECK_EQ(db.next_line, full.next_line);
	cadb_clear(&full);
	for (i = 305; i < 310; i++)
		CHECK_EQ(append_n(&db, i, &e), 0);
	cadb_clear(&db);

	/* A normal open sees every certificate. */
	CHECK_EQ(cadb_open(&db, &w, "ap", 0, &e), 0);
	CHECK_EQ(db.ncerts, 310);
	for (i = 0; i < 310; i++)
		if (cadb_find(&db, serial_of(i, s)) == NULL)
			break;
	CHECK_EQ(i, 310);
	CHECK_EQ(cadb_find(&db, serial_of(3, s))->status, CADB_REVOKED);
	CHECK_STR(cadb_find(&db, serial_of(4, s))->superseded_by,
	    serial_of(301, s2));
	CHECK_EQ(cadb_verify(&db, &e), 0);
	CHECK_EQ(db.nwarnings, 0);
	cadb_clear(&db);
	free(idx);
}

/* Rewrites certs.idx's header field at off to v, with a right sum. */
static void
patch_header(const char *path, size_t off, uint64_t v)
{
	uint8_t *d;
	size_t n;
	int i;

	d = test_slurp(path, &n);
	for (i = 7; i >= 0; i--, v >>= 8)
		d[off + (size_t)i] = (uint8_t)v;
	hash_sha256(d, 176, d + 176);
	test_spit(path, d, n);
	free(d);
}

static uint64_t
header_field(const char *path, size_t off)
{
	uint8_t *d;
	size_t n;
	uint64_t v = 0;
	int i;

	d = test_slurp(path, &n);
	for (i = 0; i < 8; i++)
		v = v << 8 | d[off + (size_t)i];
	free(d);
	return v;
}

/* Rewrites certs.idx's covers to v, with the samples of certs.yaml's
 * first v bytes and a right sum: an index made by hand. */
static void
patch_covers(const char *name, uint64_t v)
{
	char *idx = test_ca_path(&w, name, "certs.idx"), *yaml = test_ca_path(&w, name,
	    "certs.yaml"), hex[65];
	struct cadb db;
	struct err e;
	uint8_t *y;
	size_t yn;

	y = test_slurp(yaml, &yn);
	cadb_init(&db);
	CHECK_EQ(cadb_parse(&db, y, yn, "yaml", &e), 0);
	CHECK_EQ(cadbsnap_samples(&db, v, hex), 0);
	cadb_clear(&db);
	free(y);
	patch_header(idx, 16, v);
	y = test_slurp(idx, &yn);
	memcpy(y + 80, hex, 64);
	hash_sha256(y, 176, y + 176);
	test_spit(idx, y, yn);
	free(y);
	free(idx);
	free(yaml);
}

/* Opens for appending: the full open (append_only unset), the same
 * answers, and a certs.idx the next append open uses. */
static void
check_fallback(const char *name, unsigned n, const char *what)
{
	struct cadb db;
	struct err e;

	cadb_init(&db);
	if (cadb_open(&db, &w, name, CADB_WRITE | CADB_APPEND, &e) == -1) {
		test_fail(__FILE__, __LINE__, "%s: %s", what, e.msg);
		return;
	}
	if (db.append_only || db.ncerts != n)
		test_fail(__FILE__, __LINE__, "%s: not the full open", what);
	check_issuing(&db, name, n);
	cadb_clear(&db);
	CHECK_EQ(cadb_open(&db, &w, name, CADB_WRITE | CADB_APPEND, &e), 0);
	if (!db.append_only)
		test_fail(__FILE__, __LINE__, "%s: certs.idx not rewritten",
		    what);
	check_issuing(&db, name, n);
	cadb_clear(&db);
}

static void
test_fallback(void)
{
	char *idx = test_ca_path(&w, "fb", "certs.idx"), *yaml = test_ca_path(&w, "fb",
	    "certs.yaml"), *tmp = test_ca_path(&w, "fb", "certs.copy");
	char *old = test_ca_path(&w, "fb", "certs.idx.tmp.abc123"), *fresh =
	    test_ca_path(&w, "fb", "certs.idx.tmp.def456");
	struct timeval tv[2];
	struct stat st;
	struct cadb db;
	struct err e;
	uint8_t *d;
	size_t n;
	uint64_t covers;

	cadb_init(&db);
	make_ca("fb", 120);
	CHECK_EQ(unlink(idx), 0);
	/* What a writer killed in file_write leaves is swept when old. */
	test_spit(old, "x", 1);
	test_spit(fresh, "x", 1);
	tv[0].tv_sec = tv[1].tv_sec = time(NULL) - 3600;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	CHECK_EQ(utimes(old, tv), 0);
	check_fallback("fb", 120, "missing");
	CHECK_EQ(stat(old, &st), -1);
	CHECK_EQ(stat(fresh, &st), 0);

	/* certs.yaml replaced by a copy: another inode. */
	d = test_slurp(yaml, &n);
	test_spit(tmp, d, n);
	free(d);
	CHECK_EQ(rename(tmp, yaml), 0);
	check_fallback("fb", 120, "inode");

	covers = header_field(idx, 16);
	patch_header(idx, 16, covers + 1);
	check_fallback("fb", 120, "covers beyond the file");
	patch_header(idx, 16, covers - 1);
	check_fallback("fb", 120, "covers moved (samples)");
	/* Inside the last record, samples to match: the tail would be read
	 * from there and cut off as torn. */
	covers = header_field(idx, 16);
	d = test_slurp(yaml, &n);
	CHECK_EQ(n, covers);
	patch_covers("fb", covers - 10);
	check_fallback("fb", 120, "covers inside a record");
	free(d);
	d = test_slurp(yaml, &n);
	CHECK_EQ(n, covers);		/* nothing cut off */
	free(d);

	d = test_slurp(idx, &n);
	d[40] ^= 1;			/* events, sum not fixed */
	test_spit(idx, d, n);
	free(d);
	check_fallback("fb", 120, "corrupted header");

	d = test_slurp(idx, &n);
	test_spit(idx, d, n - 8);	/* a key short */
	free(d);
	check_fallback("fb", 120, "truncated table");

	/* A tail of cadbsnap_min bytes or more: the full open, which
	 * rewrites the snapshot and certs.idx. */
	CHECK_EQ(cadb_open(&db, &w, "fb", CADB_WRITE, &e), 0);
	CHECK_EQ(append_n(&db, 120, &e), 0);
	cadb_clear(&db);
	covers = header_field(idx, 16);
	cadbsnap_min = 1;
	CHECK_EQ(cadb_open(&db, &w, "fb", CADB_WRITE | CADB_APPEND, &e), 0);
	CHECK(!db.append_only);
	CHECK_EQ(db.ncerts, 121);
	check_issuing(&db, "fb", 121);
	cadb_clear(&db);
	cadbsnap_min = BIG;
	CHECK(header_field(idx, 16) > covers);
	CHECK_EQ(cadb_open(&db, &w, "fb", CADB_WRITE | CADB_APPEND, &e), 0);
	CHECK(db.append_only);
	CHECK_EQ(db.ncerts, 0);
	cadb_clear(&db);
	free(idx);
	free(yaml);
	free(tmp);
	free(old);
	free(fresh);
}

/* A torn last record is cut off as in a normal open; a tail that issues
 * a covered serial again is the normal open's error. */
static void
test_tail(void)
{
	char *yaml = test_ca_path(&w, "tt", "certs.yaml"), want[600], s[40];
	const char *torn = "---\ntype: issue\nserial: \"ab";
	struct cadb db;
	struct err e;
	struct stat st;
	uint8_t *d;
	char *p, *q, *rec;
	size_t n;
	off_t before;

	make_ca("tt", 40);
	CHECK_EQ(stat(yaml, &st), 0);
	before = st.st_size;
	test_append(yaml, torn);
	cadb_init(&db);
	CHECK_EQ(cadb_open(&db, &w, "tt", CADB_WRITE | CADB_APPEND, &e), 0);
	CHECK(db.append_only);
	CHECK_EQ(db.nwarnings, 2);
	snprintf(want, sizeof want, "ca/tt/certs.yaml: line %lu: last record "
	    "is incomplete (torn write), skipped", db.next_line);
	CHECK_STR(db.nwarnings > 0 ? db.warnings[0] : "", want);
	CHECK_STR(db.nwarnings > 1 ? db.warnings[1] : "", "ca/tt/certs.yaml: "
	    "the incomplete record was removed (kept in certs.yaml.torn)");
	CHECK_EQ(stat(yaml, &st), 0);
	CHECK_EQ(st.st_size, before);
	CHECK_EQ(append_n(&db, 40, &e), 0);
	cadb_clear(&db);
	CHECK_EQ(cadb_open(&db, &w, "tt", 0, &e), 0);
	CHECK_EQ(db.ncerts, 41);
	CHECK_EQ(db.nwarnings, 0);
	cadb_clear(&db);

	/* Certificate 7's record appended again, verbatim. */
	d = test_slurp(yaml, &n);
	snprintf(want, sizeof want, "serial: \"%s\"", serial_of(7, s));
	p = strstr((char *)d, want);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	while (p > (char *)d && memcmp(p, "---\n", 4) != 0)
		p--;
	q = strstr(p, "\n...\n") + 5;
	rec = strndup(p, (size_t)(q - p));
	test_append(yaml, rec);
	cadb_init(&db);
	CHECK_EQ(cadb_open(&db, &w, "tt", 0, &e), -1);
	snprintf(want, sizeof want, "%s", e.msg);
	CHECK(strstr(want, "appears twice") != NULL);
	CHECK_ERR(cadb_open(&db, &w, "tt", CADB_WRITE | CADB_APPEND, &e), &e,
	    want);
	free(rec);
	free(d);
	free(yaml);
}

/* Broken index files, read from memory. */
static void
test_broken(void)
{
	char *yaml = test_ca_path(&w, "br", "certs.yaml"), s[40];
	struct cadb db;
	struct cadbidx x;
	struct buf b;
	struct err e;
	uint8_t *d;
	size_t n, i;
	unsigned found = 0;

	make_ca("br", 10000);	/* more than 18 blocks of keys: sampled */
	cadb_init(&db);
	CHECK_EQ(cadb_open(&db, &w, "br", 0, &e), 0);
	buf_init(&b);
	CHECK_EQ(cadbidx_build(&db, 42, &b, &e), 0);
	cadbidx_init(&x);
	CHECK_EQ(cadbidx_parse(&x, b.data, b.len, "x", &e), 0);
	CHECK_EQ(x.n, 10000);
	CHECK_EQ(x.inode, 42);
	CHECK_EQ(x.covers, db.size);
	for (i = 0; i < 10000; i++) {
		serial_of((unsigned)i, s);
		found += cadbidx_has(&x, cadbserial_key(s, strlen(s))) == 1;
	}
	CHECK_EQ(found, 10000);
	CHECK_EQ(cadbidx_has(&x, cadbserial_key("77aa", 4)), 0);
	/* The keys of the certificates and no others. */
	CHECK_EQ(cadbidx_check(&x, &db, &e), 0);

	d = malloc(b.len);
#define BROKEN(fix, want) do { \
	memcpy(d, b.data, b.len); \
	n = b.len; \
	fix; \
	CHECK_ERR(cadbidx_parse(&x, d, n, "x", &e), &e, want); \
	CHECK_STR(e.msg, want); \
	CHECK_EQ(e.kind, ERR_INPUT); \
} while (0)
	BROKEN(n = 207, "x: shorter than its header");
	BROKEN(n = 0, "x: shorter than its header");
	BROKEN(d[2] = 'M', "x: not a minipki serial index");
	BROKEN(d[30] ^= 0x40, "x: header checksum does not match");
	BROKEN(d[200] ^= 1, "x: header checksum does not match");
	BROKEN(n -= 8, "x: size does not match the number of keys");
	BROKEN(n += 1, "x: size does not match the number of keys");
	/* A right sum over wrong values. */
	BROKEN((d[80] = 'G', hash_sha256(d, 176, d + 176)),
	    "x: samples: not hex");
	BROKEN((d[72] = 0xff, hash_sha256(d, 176, d + 176)),
	    "x: counts out of range");
	BROKEN((memset(d + 32, 0, 8), hash_sha256(d, 176, d + 176)),
	    "x: counts out of range");
	/* Keys swapped in the first block: not sorted. */
	BROKEN((memcpy(s, d + 208, 8), memcpy(d + 208, d + 216, 8),
	    memcpy(d + 216, s, 8)), "x: table is not sorted");
	/* The last key changed in a sampled block, still sorted. */
	BROKEN(d[n - 1] ^= 1, "x: table samples do not match");
#undef BROKEN
	free(d);
	buf_clear(&b);
	cadb_clear(&db);
	free(yaml);
}

/* ca check: a certs.idx whose keys are wrong is removed with a warning,
 * with or without a snapshot. */
static void
test_verify(void)
{
	char *idx = test_ca_path(&w, "ve", "certs.idx"), *snap = test_ca_path(&w, "ve",
	    "certs.snap"), *yaml = test_ca_path(&w, "ve", "certs.yaml"), s[40],
	    want[256];
	struct cadb db;
	struct stat st;
	struct err e;
	char *saved;
	int round;

	make_ca("ve", 50);
	for (round = 0; round < 2; round++) {
		if (round == 1)
			CHECK_EQ(unlink(snap), 0);
		cadb_init(&db);
		CHECK_EQ(cadb_open(&db, &w, "ve", 0, &e), 0);
		CHECK_EQ(cadb_verify(&db, &e), 0);
		CHECK_EQ(db.nwarnings, 0);
		/* An index that misses certificate 9's serial. */
		saved = db.certs[9].serial;
		db.certs[9].serial = "77aa";
		CHECK_EQ(stat(yaml, &st), 0);
		CHECK_EQ(cadbidx_write(&db, idx, (uint64_t)st.st_ino, &e), 0);
		db.certs[9].serial = saved;
		CHECK_EQ(cadb_verify(&db, &e), 0);
		snprintf(want, sizeof want, "ca/ve/certs.idx: serial %s (line "
		    "%lu) is missing; it was removed (a cache: the next "
		    "issuance writes it again)", serial_of(9, s),
		    db.certs[9].line);
		CHECK_EQ(db.nwarnings, 1);
		CHECK_STR(db.nwarnings > 0 ? db.warnings[0] : "", want);
		CHECK_EQ(stat(idx, &st), -1);
		cadb_clear(&db);
		/* The next append open writes it again. */
		CHECK_EQ(cadb_open(&db, &w, "ve", CADB_WRITE | CADB_APPEND,
		    &e), 0);
		CHECK(!db.append_only);
		cadb_clear(&db);
		CHECK_EQ(stat(idx, &st), 0);
	}
	free(idx);
	free(snap);
	free(yaml);
}

int
main(void)
{
	char dir[] = "tests/work/cadbidx-XXXXXX";

	if (test_ws_open(&w, dir) == -1)
		return 1;
	cadbsnap_min = BIG;
	test_append_open();
	test_fallback();
	test_tail();
	test_broken();
	test_verify();
	test_ws_remove(&w, dir);
	return test_done();
}
