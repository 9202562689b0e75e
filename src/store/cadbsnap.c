/* cadbsnap.c — the CA database's snapshot; see cadbsnap.h.
 *
 * Read line by line through a window, like certs.yaml, so that loading a
 * snapshot of a million certificates does not hold the file in memory.
 * Every line is checked as strictly as the records it stands for. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "crypto/hex.h"
#include "store/cadbpriv.h"
#include "store/cadbsnap.h"
#include "store/yamlq.h"
#include "util/file.h"
#include "util/xalloc.h"

uint64_t cadbsnap_min = 8 * 1024 * 1024;

#define SAMPLE_BLOCK 4096
#define SAMPLES 16
#define WINDOW (1024 * 1024)
#define LINE_MAX_ (256 * 1024)
#define STRINGS_MAX 64

/* Reads n bytes of certs.yaml at off, from the file or db->data. */
static int
covered_read(const struct cadb *db, uint64_t off, void *out, size_t n)
{
	ssize_t k;

	if (db->fd == -1) {
		if (off > db->data.len || n > db->data.len - off)
			return -1;
		memcpy(out, db->data.data + off, n);
		return 0;
	}
	k = pread(db->fd, out, n, (off_t)off);
	return k == (ssize_t)n ? 0 : -1;
}

/* SHA-256 of the sampled blocks of certs.yaml's first covers bytes. */
static int
samples(const struct cadb *db, uint64_t covers, char out[65])
{
	struct sha256_ctx h;
	uint8_t blk[SAMPLE_BLOCK], d[32];
	uint64_t off, span;
	size_t n;
	int i;

	sha256_init(&h);
	if (covers <= (SAMPLES + 2) * (uint64_t)SAMPLE_BLOCK) {
		for (off = 0; off < covers; off += n) {
			n = covers - off < SAMPLE_BLOCK ? (size_t)(covers - off) :
			    SAMPLE_BLOCK;
			if (covered_read(db, off, blk, n) == -1)
				return -1;
			sha256_update(&h, n, blk);
		}
	} else {
		span = covers - SAMPLE_BLOCK;
		for (i = 0; i <= SAMPLES + 1; i++) {
			off = span / (SAMPLES + 1) * (uint64_t)i;
			if (i == SAMPLES + 1)
				off = span;
			if (covered_read(db, off, blk, SAMPLE_BLOCK) == -1)
				return -1;
			sha256_update(&h, SAMPLE_BLOCK, blk);
		}
	}
	sha256_digest(&h, 32, d);
	hex_encode(d, 32, out);
	return 0;
}

int
cadbsnap_samples(const struct cadb *db, uint64_t covers, char out[65])
{
	return samples(db, covers, out);
}

int
cadbsnap_record_end(const struct cadb *db, uint64_t covers)
{
	char t[5];

	/* Values cannot hold a line break: "\n...\n" ends a record. */
	return covers >= 5 && covered_read(db, covers - 5, t, 5) == 0 &&
	    memcmp(t, "\n...\n", 5) == 0;
}

/* ---- Writing ---- */

static void
put_ref(struct buf *b, const struct cadb *db, const char *s)
{
	size_t i;

	if (s == NULL) {
		buf_puts(b, "~");
		return;
	}
	for (i = 0; i < db->nstrs; i++)
		if (db->strs[i] == s) {
			buf_printf(b, "%zu", i);
			return;
		}
	yamlq_put(b, s);
}

int
cadbsnap_build(const struct cadb *db, uint64_t inode, struct buf *out,
    struct err *e)
{
	struct sha256_ctx h;
	uint8_t d[32];
	char hex[65];
	size_t i;

	if (db->append_only)
		return err_set(e, ERR_USAGE, "%s: opened for issuing only; a "
		    "snapshot needs the full state", db->label);
	if (samples(db, db->size, hex) == -1)
		return err_set(e, ERR_IO, "%s: cannot read the sampled blocks",
		    db->label != NULL ? db->label : "certs.yaml");
	buf_printf(out, "%s# The state of certs.yaml up to byte 'covers', so "
	    "that opening the CA need\n# not read it all. Rebuilt when it "
	    "does not match; safe to delete.\n", CADBSNAP_MAGIC);
	buf_printf(out, "covers: %llu\ninode: %llu\nlines: %lu\nevents: %zu\n"
	    "crl: [%llu, %lld, %lld]\nsamples: \"%s\"\nnstrings: %zu\n"
	    "strings:\n", (unsigned long long)db->size,
	    (unsigned long long)inode, db->next_line, db->nevents,
	    (unsigned long long)db->crl_number, (long long)db->crl_this_update,
	    (long long)db->crl_next_update, hex, db->nstrs);
	for (i = 0; i < db->nstrs; i++) {
		buf_puts(out, "- ");
		yamlq_put(out, db->strs[i]);
		buf_putc(out, '\n');
	}
	buf_printf(out, "ncerts: %zu\ncerts:\n", db->ncerts);
	for (i = 0; i < db->ncerts; i++) {
		const struct cadb_cert *c = &db->certs[i];

		buf_printf(out, "- [\"%s\", ", c->serial);
		yamlq_put(out, c->subject);
		buf_puts(out, ", ");
		put_ref(out, db, c->issuer);
		buf_puts(out, ", ");
		put_ref(out, db, c->profile);
		buf_printf(out, ", %lld, %lld, %lld, %d, %lld, ",
		    (long long)c->not_before, (long long)c->not_after,
		    (long long)c->issued_at, c->status == CADB_REVOKED,
		    (long long)c->revoked_at);
		put_ref(out, db, c->reason);
		buf_puts(out, ", ");
		if (c->superseded_by == NULL)
			buf_puts(out, "~");
		else
			yamlq_put(out, c->superseded_by);
		buf_printf(out, ", %lld, %llu, %zu, %lu]\n",
		    (long long)c->invalidity, (unsigned long long)c->cert_off,
		    c->cert_len, c->line);
	}
	sha256_init(&h);
	sha256_update(&h, out->len, out->data);
	sha256_digest(&h, 32, d);
	hex_encode(d, 32, hex);
	buf_printf(out, "sum: %s\n", hex);
	return 0;
}

/* Removes what writers killed in file_write left behind: path.tmp.*
 * untouched for SWEEP_AGE seconds (writing a snapshot takes seconds; a
 * live writer's file swept anyway only makes its rename fail). */
#define SWEEP_AGE 600

void
cadbsnap_sweep(const char *path)
{
	const char *slash = strrchr(path, '/'), *base;
	char *dir, *p;
	struct dirent *de;
	struct stat st;
	size_t bl;
	time_t now = time(NULL);
	DIR *d;

	if (slash == NULL)
		return;
	base = slash + 1;
	bl = strlen(base);
	dir = xstrndup(path, (size_t)(slash - path));
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, base, bl) != 0 ||
			    strncmp(de->d_name + bl, ".tmp.", 5) != 0)
				continue;
			p = xasprintf("%s/%s", dir, de->d_name);
			if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
			    st.st_mtime < now - SWEEP_AGE)
				(void)unlink(p);
			free(p);
		}
		closedir(d);
	}
	free(dir);
}

int
cadbsnap_write(const struct cadb *db, const char *path, uint64_t inode,
    struct err *e)
{
	struct buf out;
	int rc;

	cadbsnap_sweep(path);
	buf_init(&out);
	rc = cadbsnap_build(db, inode, &out, e);
	if (rc == 0)
		rc = file_write(path, out.data, out.len, 0600, 0, e);
	buf_clear(&out);
	return rc;
}

/* ---- Reading ---- */

struct lines {
	int fd;			/* -1: win is all of the input */
	char *win;
	size_t len, pos, cap;
	int eof;
	unsigned long line;	/* of the line last returned */
	uint64_t total;
	struct sha256_ctx h;
};

/* The next line (without its '\n') in *p, *n; hashed unless it is the
 * sum line (hash 0). -1 when there is none or it is too long. */
static int
next_line(struct lines *l, const char **p, size_t *n, int hash)
{
	char *nl;
	ssize_t k;

	for (;;) {
		nl = memchr(l->win + l->pos, '\n', l->len - l->pos);
		if (nl != NULL)
			break;
		if (l->fd == -1 || l->eof || l->len - l->pos >= LINE_MAX_)
			return -1;
		memmove(l->win, l->win + l->pos, l->len - l->pos);
		l->len -= l->pos;
		l->pos = 0;
		while (l->len < l->cap) {
			k = read(l->fd, l->win + l->len, l->cap - l->len);
			if (k == -1 && errno == EINTR)
				continue;
			if (k <= 0) {
				l->eof = 1;
				break;
			}
			l->len += (size_t)k;
			l->total += (uint64_t)k;
			if (l->total > CADBSNAP_FILE_MAX)
				return -1;
		}
	}
	*p = l->win + l->pos;
	*n = (size_t)(nl - *p);
	if (hash)
		sha256_update(&l->h, *n + 1, (const uint8_t *)*p);
	l->pos += *n + 1;
	l->line++;
	return 0;
}

/* A cursor over one line. */
struct cur {
	const char *p, *end;
};

static int
lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return -1;
	c->p += n;
	return 0;
}

/* A decimal integer, optionally negative (neg), at most 18 digits, no
 * leading zeros. */
static int
num(struct cur *c, int neg, long long *out)
{
	int minus = 0;
	size_t i = 0;
	long long v = 0;

	if (neg && c->p < c->end && *c->p == '-') {
		minus = 1;
		c->p++;
	}
	while (c->p + i < c->end && c->p[i] >= '0' && c->p[i] <= '9') {
		if (i == 18)
			return -1;
		v = v * 10 + (c->p[i] - '0');
		i++;
	}
	if (i == 0 || (i > 1 && c->p[0] == '0') || (minus && v == 0))
		return -1;
	c->p += i;
	*out = minus ? -v : v;
	return 0;
}

static int
unum(struct cur *c, unsigned long long *out)
{
	long long v;

	if (num(c, 0, &v) == -1)
		return -1;
	*out = (unsigned long long)v;
	return 0;
}

/* A quoted scalar: its extent, quotes included. */
static int
qspan(struct cur *c, const char **s, size_t *n)
{
	const char *p = c->p;

	if (p >= c->end || *p != '"')
		return -1;
	for (p++; p < c->end && *p != '"'; p++)
		if (*p == '\\' && ++p == c->end)
			return -1;
	if (p == c->end)
		return -1;
	*s = c->p;
	*n = (size_t)(p + 1 - c->p);
	c->p = p + 1;
	return 0;
}

/* An index into strs or a quoted string, or ~ (opt). */
static int
ref(struct cadb *db, struct cur *c, char **strs, size_t nstrs, int opt,
    char **out)
{
	unsigned long long i;
	const char *s;
	size_t n;

	if (opt && c->p < c->end && *c->p == '~') {
		c->p++;
		*out = NULL;
		return 0;
	}
	if (c->p < c->end && *c->p == '"') {
		if (qspan(c, &s, &n) == -1 ||
		    (*out = cadbstr_quoted(db, s, n, 1, NULL)) == NULL)
			return -1;
		return 0;
	}
	if (unum(c, &i) == -1 || i >= nstrs)
		return -1;
	*out = strs[i];
	return 0;
}

/* Reads "key: N" into *v. */
static int
header(struct lines *l, const char *key, unsigned long long *v)
{
	struct cur c;
	size_t n;

	if (next_line(l, &c.p, &n, 1) == -1)
		return -1;
	c.end = c.p + n;
	if (lit(&c, key) == -1 || lit(&c, ": ") == -1 || unum(&c, v) == -1 ||
	    c.p != c.end)
		return -1;
	return 0;
}

struct meta {
	unsigned long long covers, inode;
	char samples[65];
};

static int
parse_cert(struct cadb *db, struct cur *c, char **strs, size_t nstrs,
    uint64_t covers, unsigned long lines, struct cadb_cert *prev,
    const char **why)
{
	struct cadb_cert x;
	const char *s;
	size_t n;
	long long v[3], st, ra, inv;
	unsigned long long off, len, line;

	memset(&x, 0, sizeof x);
#define W(msg) do { *why = msg; return -1; } while (0)
	if (lit(c, "- [") == -1 || qspan(c, &s, &n) == -1 ||
	    !cadbrec_serial_ok(s, n))
		W("serial");
	x.serial = cadbstr_copy(db, s + 1, n - 2);
	if (lit(c, ", ") == -1 || qspan(c, &s, &n) == -1 ||
	    (x.subject = cadbstr_quoted(db, s, n, 0, NULL)) == NULL ||
	    strlen(x.subject) > CADB_TEXT_MAX)
		W("subject");
	if (lit(c, ", ") == -1 || ref(db, c, strs, nstrs, 0, &x.issuer) == -1 ||
	    strlen(x.issuer) > CADB_TEXT_MAX)
		W("issuer");
	if (lit(c, ", ") == -1 || ref(db, c, strs, nstrs, 0, &x.profile) ==
	    -1 || !cadbrec_token_ok(x.profile, strlen(x.profile)))
		W("profile");
	if (lit(c, ", ") == -1 || num(c, 1, &v[0]) == -1 || lit(c, ", ") ==
	    -1 || num(c, 1, &v[1]) == -1 || lit(c, ", ") == -1 ||
	    num(c, 1, &v[2]) == -1)
		W("times");
	if (lit(c, ", ") == -1 || num(c, 0, &st) == -1 || st > 1)
		W("status");
	if (lit(c, ", ") == -1 || num(c, 1, &ra) == -1)
		W("revoked_at");
	if (lit(c, ", ") == -1 || ref(db, c, strs, nstrs, 1, &x.reason) == -1 ||
	    (x.reason != NULL && !cadbrec_token_ok(x.reason,
	    strlen(x.reason))) || (x.reason != NULL) != (st == 1))
		W("reason");
	if (lit(c, ", ") == -1)
		W("superseded_by");
	if (c->p < c->end && *c->p == '~')
		c->p++;
	else if (qspan(c, &s, &n) == -1 ||
	    (x.superseded_by = cadbstr_quoted(db, s, n, 0, NULL)) == NULL)
		W("superseded_by");
	if (lit(c, ", ") == -1 || num(c, 1, &inv) == -1)
		W("invalidity");
	if (lit(c, ", ") == -1 || unum(c, &off) == -1 || lit(c, ", ") == -1 ||
	    unum(c, &len) == -1 || len == 0 || len > (CADB_CERT_MAX / 3 + 1) *
	    4 || off > covers || len > covers - off ||
	    (prev != NULL && off <= prev->cert_off))
		W("cert_off, cert_len");
	if (lit(c, ", ") == -1 || unum(c, &line) == -1 || line < 2 ||
	    line >= lines || (prev != NULL && line <= prev->line))
		W("line");
	if (lit(c, "]") == -1 || c->p != c->end)
		W("expected ']' at the end");
	x.not_before = v[0];
	x.not_after = v[1];
	x.issued_at = v[2];
	x.status = st == 1 ? CADB_REVOKED : CADB_VALID;
	x.revoked_at = ra;
	x.invalidity = inv;
	x.cert_off = off;
	x.cert_len = (size_t)len;
	x.line = (unsigned long)line;
	*cadb_cert_new(db) = x;
	if (cadbserial_add_new(db, db->ncerts) == -1)
		W("serial appears twice");
#undef W
	db->ncerts++;
	return 0;
}

/* Parses a snapshot from l into db (empty); meta gets what cadbsnap_load
 * checks against certs.yaml. */
static int
parse(struct cadb *db, struct lines *l, const char *label, struct meta *m,
    struct err *e)
{
	unsigned long long v, ncerts, nstrs, crl[3], lines;
	char *strs[STRINGS_MAX], hex[65];
	const char *p, *why = NULL;
	struct cur c;
	uint8_t d[32];
	size_t n, i, ml = strlen(CADBSNAP_MAGIC) - 1;
	long long t;

	sha256_init(&l->h);
#define BAD(msg) do { why = msg; goto bad; } while (0)
	if (next_line(l, &p, &n, 1) == -1 || n != ml ||
	    memcmp(p, CADBSNAP_MAGIC, ml) != 0)
		BAD("not a minipki CA database snapshot");
	while (l->pos < l->len && l->win[l->pos] == '#')
		if (next_line(l, &p, &n, 1) == -1)
			BAD("comment");
	if (header(l, "covers", &m->covers) == -1 ||
	    header(l, "inode", &m->inode) == -1 ||
	    header(l, "lines", &lines) == -1 || lines < 2 ||
	    header(l, "events", &v) == -1)
		BAD("expected covers, inode, lines, events");
	db->nevents = (size_t)v;
	if (next_line(l, &c.p, &n, 1) == -1)
		BAD("expected crl");
	c.end = c.p + n;
	if (lit(&c, "crl: [") == -1 || unum(&c, &crl[0]) == -1 ||
	    lit(&c, ", ") == -1 || num(&c, 1, &t) == -1)
		BAD("crl");
	crl[1] = (unsigned long long)t;
	if (lit(&c, ", ") == -1 || num(&c, 1, &t) == -1 || lit(&c, "]") == -1 ||
	    c.p != c.end)
		BAD("crl");
	crl[2] = (unsigned long long)t;
	if (next_line(l, &p, &n, 1) == -1 || n != 11 + 64 ||
	    memcmp(p, "samples: \"", 10) != 0 || p[n - 1] != '"')
		BAD("samples");
	for (i = 0; i < 64; i++)
		if (!((p[10 + i] >= '0' && p[10 + i] <= '9') ||
		    (p[10 + i] >= 'a' && p[10 + i] <= 'f')))
			BAD("samples");
	memcpy(m->samples, p + 10, 64);
	m->samples[64] = '\0';
	if (header(l, "nstrings", &nstrs) == -1 || nstrs > STRINGS_MAX ||
	    next_line(l, &p, &n, 1) == -1 || n != 8 ||
	    memcmp(p, "strings:", 8) != 0)
		BAD("expected nstrings, strings");
	for (i = 0; i < nstrs; i++) {
		const char *s;
		size_t sn;

		if (next_line(l, &c.p, &n, 1) == -1)
			BAD("string");
		c.end = c.p + n;
		if (lit(&c, "- ") == -1 || qspan(&c, &s, &sn) == -1 ||
		    c.p != c.end || (strs[i] = cadbstr_quoted(db, s, sn, 1, NULL)) ==
		    NULL || strlen(strs[i]) > CADB_TEXT_MAX)
			BAD("string");
	}
	if (header(l, "ncerts", &ncerts) == -1 || ncerts > v ||
	    ncerts >= UINT32_MAX - 1 || ncerts > m->covers / 64 ||
	    next_line(l, &p, &n, 1) == -1 || n != 6 ||
	    memcmp(p, "certs:", 6) != 0)
		BAD("expected ncerts, certs");
	/* Bounded by the bytes covered: each record takes more than 64. */
	/* With room for the records after the snapshot (fewer than
	 * cadbsnap_min bytes of them, usually), which would otherwise
	 * double the array; pages not used are not touched. */
	db->capcerts = (size_t)ncerts + (size_t)ncerts / 8 + 64;
	db->certs = xreallocarray(db->certs, db->capcerts, sizeof *db->certs);
	cadb_huge(db->certs, db->capcerts * sizeof *db->certs);
	cadbserial_reserve(db, (size_t)ncerts + 64);
	for (i = 0; i < ncerts; i++) {
		if (next_line(l, &c.p, &n, 1) == -1)
			BAD("certificate line missing");
		c.end = c.p + n;
		if (parse_cert(db, &c, strs, nstrs, m->covers,
		    (unsigned long)lines, i > 0 ? &db->certs[i - 1] : NULL,
		    &why) == -1)
			goto bad;
	}
	sha256_digest(&l->h, 32, d);
	hex_encode(d, 32, hex);
	if (next_line(l, &p, &n, 0) == -1 || n != 5 + 64 ||
	    memcmp(p, "sum: ", 5) != 0)
		BAD("expected sum");
	if (memcmp(p + 5, hex, 64) != 0)
		BAD("sum does not match the contents");
	if (l->pos != l->len || (l->fd != -1 && !l->eof &&
	    read(l->fd, hex, 1) != 0))
		BAD("text after sum");
#undef BAD
	db->crl_number = crl[0];
	db->crl_this_update = (int64_t)crl[1];
	db->crl_next_update = (int64_t)crl[2];
	db->size = m->covers;
	db->snap_covers = m->covers;
	db->next_line = (unsigned long)lines;
	return 0;
bad:
	err_set(e, ERR_INPUT, "%s: line %lu: %s", label, l->line, why);
	cadb_reset(db);
	return -1;
}

int
cadbsnap_parse(struct cadb *db, const void *data, size_t len,
    const char *label, struct err *e)
{
	struct lines l;
	struct meta m;

	cadb_clear(db);
	memset(&l, 0, sizeof l);
	l.fd = -1;
	l.win = (char *)data;	/* read only */
	l.len = l.cap = len;
	l.eof = 1;
	return parse(db, &l, label, &m, e);
}

int
cadbsnap_load(struct cadb *db, const char *path, const struct stat *st)
{
	struct lines l;
	struct meta m;
	struct err e;
	char hex[65];
	int rc = 0;

	memset(&l, 0, sizeof l);
	if ((l.fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return 0;
	l.cap = WINDOW;
	l.win = xmalloc(l.cap);
	if (parse(db, &l, path, &m, &e) == -1)
		goto out;
	/* The same certs.yaml, at least as long, sampled bytes unchanged,
	 * ending with a record (so not covering 0 bytes: its state would be
	 * added to a full read, and cadb_verify would take it for one). */
	if (m.inode != (unsigned long long)st->st_ino ||
	    m.covers > (unsigned long long)st->st_size ||
	    !cadbsnap_record_end(db, m.covers) ||
	    samples(db, m.covers, hex) == -1 ||
	    memcmp(hex, m.samples, 64) != 0)
		goto out;
	rc = 1;
out:
	if (rc == 0)
		cadb_reset(db);
	close(l.fd);
	free(l.win);
	return rc;
}
