/* cadb.c — the append-only certificate database; see cadb.h.
 *
 * The writer produces a fixed layout, so the reader walks lines instead of
 * running a YAML parser over the whole file; the layout is plain YAML all
 * the same, which the tests check with libyaml. Every record's SHA-256 is
 * verified when it is read; a snapshot (cadbsnap.c) lets opening skip the
 * records it covers. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto/b64.h"
#include "crypto/hash.h"
#include "crypto/hex.h"
#include "store/cadb.h"
#include "store/cadbidx.h"
#include "store/cadbsnap.h"
#include "store/yamlq.h"
#include "store/yamlr.h"
#include "store/yamlw.h"
#include "util/file.h"
#include "util/xalloc.h"

#define CADB_MAGIC "# minipki-cadb 1\n"
#define MAX_FIELDS 32
#define TOKEN_MAX 64		/* type, profile, status, reason */

void
cadb_init(struct cadb *db)
{
	memset(db, 0, sizeof *db);
	buf_init(&db->data);
	db->fd = -1;
	db->lockfd = -1;
}

/* Large arrays of a big database: huge pages where the system offers
 * them on request (a million certificates touch some 200 MB; with 4 KiB
 * pages, faulting them in is a good part of opening). A hint only. */
void
cadb_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	uintptr_t a = ((uintptr_t)p + 0x1fffff) & ~(uintptr_t)0x1fffff;
	uintptr_t b = ((uintptr_t)p + len) & ~(uintptr_t)0x1fffff;

	if (len >= 0x400000 && b > a)
		(void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

/* ---- The certificates' strings ---- */

struct cadb_arena {
	struct cadb_arena *next;
	size_t used, cap;
	char data[];
};

#define ARENA_CHUNK (1024 * 1024)
#define INTERN_MAX 64

static void
arena_free(struct cadb *db)
{
	struct cadb_arena *a, *next;

	for (a = db->arena; a != NULL; a = next) {
		next = a->next;
		free(a);
	}
	db->arena = NULL;
	free(db->strs);
	db->strs = NULL;
	db->nstrs = 0;
}

/* A copy of s[0..n) with a NUL, living until the database is cleared. */
char *
cadb_strn(struct cadb *db, const char *s, size_t n)
{
	struct cadb_arena *a = db->arena;
	size_t cap;
	char *p;

	if (a == NULL || a->cap - a->used < n + 1) {
		cap = n + 1 > ARENA_CHUNK ? n + 1 : ARENA_CHUNK;
		a = xmalloc(sizeof *a + cap);
		cadb_huge(a, sizeof *a + cap);
		a->used = 0;
		a->cap = cap;
		/* A block of its own goes behind the current one, which still
		 * has room. */
		if (db->arena != NULL && cap > ARENA_CHUNK) {
			a->next = db->arena->next;
			db->arena->next = a;
		} else {
			a->next = db->arena;
			db->arena = a;
		}
	}
	p = a->data + a->used;
	a->used += n + 1;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* The one copy of a string that many certificates share (issuer,
 * profile, reason); past INTERN_MAX distinct ones, a copy each. */
char *
cadb_intern(struct cadb *db, const char *s, size_t n)
{
	size_t i;
	char *p;

	for (i = 0; i < db->nstrs; i++)
		if (strncmp(db->strs[i], s, n) == 0 && db->strs[i][n] == '\0')
			return (char *)db->strs[i];
	p = cadb_strn(db, s, n);
	if (db->nstrs < INTERN_MAX) {
		db->strs = xreallocarray(db->strs, db->nstrs + 1,
		    sizeof *db->strs);
		db->strs[db->nstrs++] = p;
	}
	return p;
}

void
cadb_clear(struct cadb *db)
{
	size_t i;

	free(db->certs);
	arena_free(db);
	for (i = 0; i < db->nwarnings; i++)
		free(db->warnings[i]);
	free(db->warnings);
	free(db->index);
	free(db->index_tag);
	free(db->name);
	free(db->label);
	free(db->snap_path);
	free(db->idx_path);
	if (db->idx != NULL)
		cadbidx_clear(db->idx);
	free(db->idx);
	buf_clear(&db->data);
	if (db->fd != -1)
		close(db->fd);
	/* Closing the last descriptor releases the flock. */
	if (db->lockfd != -1)
		close(db->lockfd);
	cadb_init(db);
}

static void
warn(struct cadb *db, const char *fmt, ...)
{
	va_list ap;
	char line[512];

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	db->warnings = xreallocarray(db->warnings, db->nwarnings + 1,
	    sizeof *db->warnings);
	db->warnings[db->nwarnings++] = xstrdup(line);
}

/* Serials: lower-case hex; the index compares them without leading
 * zeros, so "00ab" and "AB" are the same serial. */
static void
serial_strip(const char **s, size_t *n)
{
	while (*n > 1 && (*s)[0] == '0') {
		(*s)++;
		(*n)--;
	}
}

static uint64_t
serial_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t i;

	serial_strip(&s, &n);
	for (i = 0; i < n; i++) {
		h ^= (uint8_t)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t
cadb_serial_key(const char *s, size_t n)
{
	return serial_hash(s, n);
}

static int
serial_eq(const char *a, size_t an, const char *b, size_t bn)
{
	serial_strip(&a, &an);
	serial_strip(&b, &bn);
	return an == bn && memcmp(a, b, an) == 0;
}

/* Each slot of the index keeps 32 more bits of the serial's hash: a
 * probe looks at a certificate only when they match (1 << 31 marks the
 * tag as set). */
static uint32_t
tag_of(uint64_t h)
{
	return (uint32_t)(h >> 32) | UINT32_C(0x80000000);
}

/* Index of the certificate with serial s (lower-case), or -1. */
long
cadb_index_find(const struct cadb *db, const char *s, size_t n)
{
	size_t mask = db->index_cap - 1, i;
	const struct cadb_cert *c;
	uint64_t h;
	uint32_t tag;

	if (db->index_cap == 0)
		return -1;
	h = serial_hash(s, n);
	tag = tag_of(h);
	for (i = h & mask; db->index[i] != 0; i = (i + 1) & mask) {
		if (db->index_tag[i] != tag)
			continue;
		c = &db->certs[db->index[i] - 1];
		if (serial_eq(c->serial, strlen(c->serial), s, n))
			return (long)(db->index[i] - 1);
	}
	return -1;
}

/* Puts certs[k] in the index; -1 (and not put) when its serial is in it
 * already, if dup is set. */
static int
index_put(struct cadb *db, size_t k, int dup)
{
	size_t mask = db->index_cap - 1, i, n;
	const char *s = db->certs[k].serial, *t;
	uint64_t h;
	uint32_t tag;

	n = strlen(s);
	h = serial_hash(s, n);
	tag = tag_of(h);
	for (i = h & mask; db->index[i] != 0; i = (i + 1) & mask) {
		if (dup && db->index_tag[i] == tag) {
			t = db->certs[db->index[i] - 1].serial;
			if (serial_eq(t, strlen(t), s, n))
				return -1;
		}
	}
	db->index[i] = (uint32_t)(k + 1);
	db->index_tag[i] = tag;
	return 0;
}

/* Adds certs[k] (the newest) to the index, growing it to stay at most
 * half full. */
void
cadb_index_add(struct cadb *db, size_t k)
{
	if ((k + 1) * 2 > db->index_cap)
		cadb_index_reserve(db, k + 1);
	(void)index_put(db, k, 0);
}

/* The same, unless its serial is there already: -1. */
int
cadb_index_add_new(struct cadb *db, size_t k)
{
	if ((k + 1) * 2 > db->index_cap)
		cadb_index_reserve(db, k + 1);
	return index_put(db, k, 1);
}

/* Sizes the index for n certificates (the first ncerts are in it). */
void
cadb_index_reserve(struct cadb *db, size_t n)
{
	size_t i, cap = db->index_cap == 0 ? 1024 : db->index_cap;

	while (n * 2 > cap)
		cap *= 2;
	if (cap == db->index_cap)
		return;
	free(db->index);
	free(db->index_tag);
	db->index_cap = cap;
	db->index = xcalloc(db->index_cap, sizeof *db->index);
	db->index_tag = xcalloc(db->index_cap, sizeof *db->index_tag);
	cadb_huge(db->index, db->index_cap * sizeof *db->index);
	cadb_huge(db->index_tag, db->index_cap * sizeof *db->index_tag);
	for (i = 0; i < db->ncerts; i++)
		(void)index_put(db, i, 0);
}

/* Lower-cases serial into out; -1 when it is not 1..CADB_SERIAL_MAX hex
 * digits. */
static int
serial_norm(const char *serial, char out[CADB_SERIAL_MAX + 1])
{
	size_t i, n = strnlen(serial, CADB_SERIAL_MAX + 1);

	if (n == 0 || n > CADB_SERIAL_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		char c = serial[i];

		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		out[i] = c;
	}
	out[n] = '\0';
	return 0;
}

const struct cadb_cert *
cadb_find(const struct cadb *db, const char *serial)
{
	char s[CADB_SERIAL_MAX + 1];
	long k;

	if (serial_norm(serial, s) == -1)
		return NULL;
	k = cadb_index_find(db, s, strlen(s));
	return k < 0 ? NULL : &db->certs[k];
}

int
cadb_has_serial(const struct cadb *db, const char *serial)
{
	char s[CADB_SERIAL_MAX + 1];

	if (cadb_find(db, serial) != NULL)
		return 1;
	if (!db->append_only || serial_norm(serial, s) == -1)
		return 0;
	/* A key found may be another serial's, and a table that cannot be
	 * read answers -1: both count as taken, which only makes ca_issue
	 * draw another serial. */
	return cadbidx_has(db->idx, cadb_serial_key(s, strlen(s))) != 0;
}

/* Writes other than issuances need every certificate. */
static int
full_only(const struct cadb *db, struct err *e)
{
	if (db->append_only)
		return err_set(e, ERR_USAGE, "%s: opened for issuing only",
		    db->label);
	return 0;
}

/* ---- Values ---- */

int
cadb_token_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > TOKEN_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* A quoted scalar as a string of the database's (interned or not), or
 * NULL with the reason in why (may be NULL). Most values are plain
 * ASCII: those are copied as they are. */
char *
cadb_quoted(struct cadb *db, const char *v, size_t n, int shared,
    struct err *why)
{
	struct buf b;
	char *out;

	if (yamlq_plain(v, n))
		return shared ? cadb_intern(db, v + 1, n - 2) :
		    cadb_strn(db, v + 1, n - 2);
	buf_init(&b);
	if (yamlq_get(v, n, &b, why) == -1) {
		buf_clear(&b);
		return NULL;
	}
	out = shared ? cadb_intern(db, (char *)b.data, b.len) :
	    cadb_strn(db, (char *)b.data, b.len);
	buf_clear(&b);
	return out;
}

/* The base64 alphabet and '=', as a table: this runs over every byte of
 * every certificate on open. */
static const uint8_t b64_ok[256] = {
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
	['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
	['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1,
	['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['0'] = 1, ['1'] = 1,
	['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['+'] = 1, ['/'] = 1, ['='] = 1,
};

static int
is_b64(const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s;
	unsigned ok = 1;
	size_t i;

	if (n == 0 || n > (CADB_CERT_MAX / 3 + 1) * 4)
		return 0;
	for (i = 0; i < n; i++)
		ok &= b64_ok[p[i]];
	return (int)ok;
}

/* ---- Records ---- */

struct field {
	const char *key, *val;
	size_t klen, vlen;
	unsigned long line;
};

struct rec {
	struct field f[MAX_FIELDS];
	size_t nf;
	unsigned long line;	/* of "---" */
};

static const struct field *
field_get(const struct rec *r, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; i < r->nf; i++)
		if (r->f[i].klen == n && memcmp(r->f[i].key, key, n) == 0)
			return &r->f[i];
	return NULL;
}

/* Whether the n bytes at p are the start of lit (the rest may follow). */
static int
prefix_of(const char *p, size_t n, const char *lit)
{
	return n < strlen(lit) && memcmp(p, lit, n) == 0;
}

/* Splits the record at data[off]; on success *next is the offset after
 * its "..." line and *line is advanced past it. -1 with a reason (and the
 * line it applies to) when the record is malformed or incomplete; *more
 * says that it was cut short by the end of data, so more bytes (if the
 * file has them) could complete it. */
static int
split_record(const char *data, size_t len, size_t off, unsigned long *line,
    struct rec *r, size_t *next, char *why, size_t whylen,
    unsigned long *whyline, int *more)
{
	const char *p = data + off, *end = data + len, *nl, *colon;
	const char *sum_start = NULL;
	uint8_t digest[32];
	char hex[65];
	unsigned long ln = *line;

	r->nf = 0;
	r->line = ln;
	*more = 0;
	*whyline = ln;
#define BAD(...) do { snprintf(why, whylen, __VA_ARGS__); return -1; } while (0)
	if ((size_t)(end - p) < 4 || memcmp(p, "---\n", 4) != 0) {
		*more = prefix_of(p, (size_t)(end - p), "---\n");
		BAD("expected '---' (start of a record)");
	}
	p += 4;
	ln++;
	for (;;) {
		*whyline = ln;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			*more = 1;
			BAD("record is incomplete");
		}
		if ((colon = memchr(p, ':', (size_t)(nl - p))) == NULL ||
		    colon + 1 >= nl || colon[1] != ' ' || colon == p)
			BAD("expected 'key: value'");
		if ((size_t)(colon - p) == 3 && memcmp(p, "sum", 3) == 0) {
			sum_start = p;
			break;
		}
		if (r->nf == MAX_FIELDS)
			BAD("too many fields in a record");
		r->f[r->nf].key = p;
		r->f[r->nf].klen = (size_t)(colon - p);
		r->f[r->nf].val = colon + 2;
		r->f[r->nf].vlen = (size_t)(nl - colon - 2);
		r->f[r->nf].line = ln;
		r->nf++;
		p = nl + 1;
		ln++;
	}
	/* sum: 64 hex digits, then the "..." line. */
	if ((size_t)(nl - sum_start) != 5 + 64)
		BAD("bad checksum line");
	p = nl + 1;
	ln++;
	*whyline = ln;
	if ((size_t)(end - p) < 4 || memcmp(p, "...\n", 4) != 0) {
		*more = prefix_of(p, (size_t)(end - p), "...\n");
		BAD("record is incomplete (no '...' end marker)");
	}
	hash_sha256(data + off, (size_t)(sum_start - (data + off)), digest);
	hex_encode(digest, 32, hex);
	if (memcmp(hex, sum_start + 5, 64) != 0) {
		*whyline = r->line;
		BAD("record checksum does not match its contents");
	}
	*next = (size_t)(p + 4 - data);
	*line = ln + 1;
#undef BAD
	return 0;
}

static int
get_time(const struct rec *r, const char *key, int64_t *t, char *why,
    size_t whylen, unsigned long *whyline)
{
	const struct field *f = field_get(r, key);

	if (f == NULL) {
		*whyline = r->line;
		snprintf(why, whylen, "record has no '%s'", key);
		return -1;
	}
	if (ws_time_parse(f->val, f->vlen, t) == -1) {
		*whyline = f->line;
		snprintf(why, whylen, "%s: not a time YYYY-MM-DDTHH:MM:SSZ", key);
		return -1;
	}
	return 0;
}

/* A required field whose value passes check; its text in *v. */
static const struct field *
get_field(const struct rec *r, const char *key, int (*check)(const char *,
    size_t), char *why, size_t whylen, unsigned long *whyline)
{
	const struct field *f = field_get(r, key);

	if (f == NULL) {
		*whyline = r->line;
		snprintf(why, whylen, "record has no '%s'", key);
		return NULL;
	}
	if (check != NULL && !check(f->val, f->vlen)) {
		*whyline = f->line;
		snprintf(why, whylen, "%s: bad value", key);
		return NULL;
	}
	return f;
}

/* The serial as written: "lower-case hex", 1..CADB_SERIAL_MAX digits. */
int
cadb_serial_ok(const char *v, size_t n)
{
	size_t i;

	if (n < 3 || n > CADB_SERIAL_MAX + 2 || v[0] != '"' || v[n - 1] != '"')
		return 0;
	for (i = 1; i + 1 < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' &&
		    v[i] <= 'f')))
			return 0;
	return 1;
}

static int
get_serial(const struct rec *r, char out[CADB_SERIAL_MAX + 1], char *why,
    size_t whylen, unsigned long *whyline)
{
	const struct field *f = get_field(r, "serial", NULL, why, whylen,
	    whyline);

	if (f == NULL)
		return -1;
	if (!cadb_serial_ok(f->val, f->vlen)) {
		*whyline = f->line;
		snprintf(why, whylen, "serial: not lower-case hex");
		return -1;
	}
	memcpy(out, f->val + 1, f->vlen - 2);
	out[f->vlen - 2] = '\0';
	return 0;
}

/* A CRL was generated: its number must exceed every earlier one. */
static int
apply_crl(struct cadb *db, const struct rec *r, char *why, size_t whylen,
    unsigned long *whyline)
{
	const struct field *f;
	int64_t tu, nu;
	uint64_t n = 0;
	size_t i;

	if ((f = get_field(r, "number", NULL, why, whylen, whyline)) == NULL)
		return -1;
	for (i = 0; i < f->vlen; i++) {
		if (f->val[i] < '0' || f->val[i] > '9' || i >= 19 ||
		    (i == 0 && f->val[0] == '0' && f->vlen > 1)) {
			*whyline = f->line;
			snprintf(why, whylen, "number: not a decimal number");
			return -1;
		}
		n = n * 10 + (uint64_t)(f->val[i] - '0');
	}
	if (f->vlen == 0 || n <= db->crl_number) {
		*whyline = f->line;
		snprintf(why, whylen, "number: CRL number %llu does not follow "
		    "%llu", (unsigned long long)n,
		    (unsigned long long)db->crl_number);
		return -1;
	}
	if (get_time(r, "this_update", &tu, why, whylen, whyline) == -1 ||
	    get_time(r, "next_update", &nu, why, whylen, whyline) == -1)
		return -1;
	db->crl_number = n;
	db->crl_this_update = tu;
	db->crl_next_update = nu;
	db->nevents++;
	return 0;
}

/* Makes room for one more certificate and returns it, zeroed. */
struct cadb_cert *
cadb_cert_new(struct cadb *db)
{
	if (db->ncerts == db->capcerts) {
		db->capcerts = db->capcerts == 0 ? 64 : db->capcerts * 2;
		db->certs = xreallocarray(db->certs, db->capcerts,
		    sizeof *db->certs);
		cadb_huge(db->certs, db->capcerts * sizeof *db->certs);
	}
	return &db->certs[db->ncerts];
}

/* Applies a well-formed record to the in-memory state; -1 with a reason
 * when its contents are wrong. */
static int
apply_record(struct cadb *db, const struct rec *r, const char *win,
    uint64_t base, char *why, size_t whylen, unsigned long *whyline)
{
	const struct field *type, *f;
	struct cadb_cert c, scratch, *t;
	struct err qe;
	char serial[CADB_SERIAL_MAX + 1];
	long k;
	int has, issue;

	memset(&c, 0, sizeof c);
	memset(&scratch, 0, sizeof scratch);
	if ((type = get_field(r, "type", cadb_token_ok, why, whylen,
	    whyline)) == NULL)
		return -1;
	if (type->vlen == 3 && memcmp(type->val, "crl", 3) == 0)
		return apply_crl(db, r, why, whylen, whyline);
	if (get_serial(r, serial, why, whylen, whyline) == -1)
		return -1;
	k = cadb_index_find(db, serial, strlen(serial));
	t = k >= 0 ? &db->certs[k] : &scratch;
	/* After an append open, a serial not among the records read may be
	 * one of certs.idx's: an event about it is checked and counted (its
	 * certificate is not in memory); an issuance that may repeat it, or
	 * an event the index cannot place, needs the full open. */
	if (k < 0 && db->append_only) {
		has = cadbidx_has(db->idx, cadb_serial_key(serial,
		    strlen(serial)));
		issue = type->vlen == 5 && memcmp(type->val, "issue", 5) == 0;
		if (issue ? has != 0 : has != 1) {
			db->need_full = 1;
			*whyline = r->line;
			snprintf(why, whylen, "serial %s: certs.idx cannot tell",
			    serial);
			return -1;
		}
		if (!issue)
			k = LONG_MAX;	/* in certs.idx: t is scratch */
	}
	if (type->vlen == 6 && memcmp(type->val, "revoke", 6) == 0) {
		if (k < 0) {
			*whyline = r->line;
			snprintf(why, whylen, "revocation of serial %s, which "
			    "was never issued", serial);
			return -1;
		}
		if (get_time(r, "revoked_at", &c.revoked_at, why, whylen,
		    whyline) == -1 || (f = get_field(r, "reason", cadb_token_ok,
		    why, whylen, whyline)) == NULL)
			return -1;
		c.invalidity = 0;
		if (field_get(r, "invalidity") != NULL && get_time(r,
		    "invalidity", &c.invalidity, why, whylen, whyline) == -1)
			return -1;
		t->invalidity = c.invalidity;
		/* removeFromCRL lifts a certificateHold (RFC 5280 5.3.1). */
		if (f->vlen == 13 && memcmp(f->val, "removeFromCRL", 13) == 0) {
			t->status = CADB_VALID;
			t->revoked_at = 0;
			t->reason = NULL;
		} else {
			t->status = CADB_REVOKED;
			t->revoked_at = c.revoked_at;
			t->reason = cadb_intern(db, f->val, f->vlen);
		}
		db->nevents++;
		return 0;
	}
	if (type->vlen == 9 && memcmp(type->val, "supersede", 9) == 0) {
		if (k < 0) {
			*whyline = r->line;
			snprintf(why, whylen, "supersession of serial %s, "
			    "which was never issued", serial);
			return -1;
		}
		if ((f = get_field(r, "by", NULL, why, whylen,
		    whyline)) == NULL)
			return -1;
		if ((c.superseded_by = cadb_quoted(db, f->val, f->vlen,
		    0, &qe)) == NULL) {
			*whyline = f->line;
			snprintf(why, whylen, "by: %.120s", qe.msg);
			return -1;
		}
		t->superseded_by = c.superseded_by;
		db->nevents++;
		return 0;
	}
	if (!(type->vlen == 5 && memcmp(type->val, "issue", 5) == 0)) {
		*whyline = type->line;
		snprintf(why, whylen, "type: unknown record type '%.*s'",
		    (int)type->vlen, type->val);
		return -1;
	}
	if (k >= 0) {
		*whyline = r->line;
		snprintf(why, whylen, "serial %s appears twice (first at line "
		    "%lu)", serial, db->certs[k].line);
		return -1;
	}
	if ((f = get_field(r, "subject", NULL, why, whylen, whyline)) == NULL)
		return -1;
	if ((c.subject = cadb_quoted(db, f->val, f->vlen, 0, &qe)) == NULL) {
		*whyline = f->line;
		snprintf(why, whylen, "subject: %.120s", qe.msg);
		return -1;
	}
	if (strlen(c.subject) > CADB_TEXT_MAX) {
		*whyline = f->line;
		snprintf(why, whylen, "subject: longer than %d bytes",
		    CADB_TEXT_MAX);
		return -1;
	}
	if ((f = field_get(r, "issuer")) == NULL)
		c.issuer = cadb_intern(db, "", 0);
	else if ((c.issuer = cadb_quoted(db, f->val, f->vlen, 1,
	    &qe)) == NULL) {
		*whyline = f->line;
		snprintf(why, whylen, "issuer: %.120s", qe.msg);
		return -1;
	} else if (strlen(c.issuer) > CADB_TEXT_MAX) {
		*whyline = f->line;
		snprintf(why, whylen, "issuer: longer than %d bytes",
		    CADB_TEXT_MAX);
		return -1;
	}
	if (get_time(r, "not_before", &c.not_before, why, whylen,
	    whyline) == -1 || get_time(r, "not_after", &c.not_after, why,
	    whylen, whyline) == -1 || get_time(r, "issued_at", &c.issued_at,
	    why, whylen, whyline) == -1)
		return -1;
	if ((f = get_field(r, "profile", cadb_token_ok, why, whylen,
	    whyline)) == NULL)
		return -1;
	c.profile = cadb_intern(db, f->val, f->vlen);
	if ((f = get_field(r, "status", cadb_token_ok, why, whylen,
	    whyline)) == NULL)
		return -1;
	if (f->vlen == 5 && memcmp(f->val, "valid", 5) == 0)
		c.status = CADB_VALID;
	else {
		*whyline = f->line;
		snprintf(why, whylen, "status: an issue record must say "
		    "'valid'");
		return -1;
	}
	if ((f = get_field(r, "cert", is_b64, why, whylen, whyline)) == NULL)
		return -1;
	c.cert_off = base + (uint64_t)(f->val - win);
	c.cert_len = f->vlen;
	c.line = r->line;
	if (db->ncerts >= UINT32_MAX - 1) {
		snprintf(why, whylen, "too many records");
		return -1;
	}
	c.serial = cadb_strn(db, serial, strlen(serial));
	*cadb_cert_new(db) = c;
	cadb_index_add(db, db->ncerts);
	db->ncerts++;
	db->nevents++;
	return 0;
}

/* The bytes being parsed: all of them (memory), or a window sliding over
 * a file so that memory does not grow with the database. */
struct reader {
	int fd;			/* -1: win is the whole input */
	const char *label;
	char *win;
	size_t len, cap;
	uint64_t base;		/* file offset of win[0] */
	uint64_t limit;		/* read no further (0: to the end) */
	int eof;
};

#define WINDOW (1024 * 1024)
#define RECORD_MAX (256 * 1024)	/* longer than any record we write */

/* Drops win[0..*pos), moves the rest to the front and reads more. */
static int
fill(struct reader *r, size_t *pos, struct err *e)
{
	ssize_t n;
	size_t want;

	if (r->fd == -1 || r->eof) {
		r->eof = 1;
		return 0;
	}
	memmove(r->win, r->win + *pos, r->len - *pos);
	r->len -= *pos;
	r->base += *pos;
	*pos = 0;
	if (r->len == r->cap) {
		r->cap *= 2;
		r->win = xrealloc(r->win, r->cap);
	}
	while (r->len < r->cap) {
		want = r->cap - r->len;
		if (r->limit > 0 && r->limit - r->base - r->len < want)
			want = (size_t)(r->limit - r->base - r->len);
		if (want == 0) {
			r->eof = 1;
			break;
		}
		if ((n = read(r->fd, r->win + r->len, want)) == -1) {
			if (errno == EINTR)
				continue;
			return err_set(e, ERR_IO, "%s: %s", r->label,
			    strerror(errno));
		}
		if (n == 0) {
			r->eof = 1;
			break;
		}
		r->len += (size_t)n;
		if (r->base + r->len > CADB_FILE_MAX)
			return err_set(e, ERR_INPUT, "%s: larger than %llu "
			    "bytes", r->label, (unsigned long long)CADB_FILE_MAX);
	}
	return 0;
}

/* Whether a record starts anywhere after win[pos] (reading on to the end
 * of the file if need be). */
static int
later_record(struct reader *r, size_t pos, int *found, struct err *e)
{
	size_t from = pos + 1, keep;

	for (;;) {
		if (from < r->len && memmem(r->win + from, r->len - from,
		    "\n---\n", 5) != NULL) {
			*found = 1;
			return 0;
		}
		if (r->eof) {
			*found = 0;
			return 0;
		}
		/* Keep 4 bytes: a marker may straddle the refill. */
		keep = r->len > from + 4 ? r->len - 4 : from;
		if (fill(r, &keep, e) == -1)
			return -1;
		from = 0;
	}
}

/* Whether the bytes from valid_end to the end of the input (reached:
 * r->eof) end with a record's end marker. A write cut short by a crash
 * leaves a prefix of a record, which never does (values hold no line
 * break); a last record that does but fails is damage, not a torn write. */
static int
tail_complete(const struct reader *r, uint64_t valid_end)
{
	uint64_t end = r->base + r->len;
	char t[5];

	if (end < valid_end + 8)	/* "---\n...\n" at least */
		return 0;
	if (r->len >= 5)
		memcpy(t, r->win + r->len - 5, 5);
	else if (r->fd == -1 || pread(r->fd, t, 5, (off_t)(end - 5)) != 5)
		return 0;
	return memcmp(t, "\n...\n", 5) == 0;
}

/* Reads every record from the magic line on. A malformed record with
 * nothing after it is a torn write when it is incomplete: a warning, and
 * *valid_end (a file offset) stops before it. A malformed or wrong record
 * anywhere else, a complete last one included, is ERR_INPUT. *lines is
 * the number of the line after the last valid record. */
static int
parse_all(struct cadb *db, struct reader *r, uint64_t *valid_end,
    unsigned long *lines, struct err *e)
{
	size_t pos = 0, next, ml = strlen(CADB_MAGIC);
	unsigned long line = 2, whyline, start;
	const char *nl;
	struct rec rec;
	char why[160];
	int more, found;

	/* After a snapshot: records only, from its line on. */
	if (r->base > 0) {
		line = *lines;
		goto records;
	}
	while (r->len < ml && !r->eof)
		if (fill(r, &pos, e) == -1)
			return -1;
	if (r->len < ml || memcmp(r->win, CADB_MAGIC, ml) != 0)
		return err_set(e, ERR_INPUT, "%s: line 1: not a minipki CA "
		    "database (no '%.*s' line)", r->label, (int)ml - 1,
		    CADB_MAGIC);
	pos = ml;
	/* Comment lines may follow the magic line. */
	for (;;) {
		if (pos == r->len && fill(r, &pos, e) == -1)
			return -1;
		if (pos == r->len || r->win[pos] != '#')
			break;
		nl = memchr(r->win + pos, '\n', r->len - pos);
		if (nl == NULL && !r->eof && r->len - pos < RECORD_MAX) {
			if (fill(r, &pos, e) == -1)
				return -1;
			continue;
		}
		if (nl == NULL)
			break;
		pos = (size_t)(nl - r->win) + 1;
		line++;
	}
records:
	for (;;) {
		if (pos == r->len) {
			if (r->eof)
				break;
			if (fill(r, &pos, e) == -1)
				return -1;
			continue;
		}
		start = line;
		if (split_record(r->win, r->len, pos, &line, &rec, &next, why,
		    sizeof why, &whyline, &more) == 0) {
			if (apply_record(db, &rec, r->win, r->base, why,
			    sizeof why, &whyline) == -1)
				return err_set(e, ERR_INPUT, "%s: line %lu: %s",
				    r->label, whyline, why);
			pos = next;
			continue;
		}
		if (more && !r->eof && r->len - pos < RECORD_MAX) {
			if (fill(r, &pos, e) == -1)
				return -1;
			continue;
		}
		*valid_end = r->base + pos;
		if (later_record(r, pos, &found, e) == -1)
			return -1;
		if (found)
			return err_set(e, ERR_INPUT, "%s: line %lu: %s",
			    r->label, whyline, why);
		if (tail_complete(r, *valid_end))
			return err_set(e, ERR_INPUT, "%s: line %lu (offset "
			    "%llu): %s; the last record is complete, so it "
			    "was damaged, not torn by a crash: left as it is",
			    r->label, whyline, (unsigned long long)*valid_end,
			    why);
		warn(db, "%s: line %lu: last record is incomplete (torn "
		    "write), skipped", r->label, start);
		*lines = start;
		return 0;
	}
	*valid_end = r->base + r->len;
	*lines = line;
	return 0;
}

void
cadb_reset(struct cadb *db)
{
	db->ncerts = 0;
	db->nevents = 0;
	db->crl_number = 0;
	db->crl_this_update = db->crl_next_update = 0;
	db->snap_covers = 0;
	arena_free(db);
	if (db->index != NULL)
		memset(db->index, 0, db->index_cap * sizeof *db->index);
}

int
cadb_parse(struct cadb *db, const void *data, size_t len, const char *label,
    struct err *e)
{
	struct reader r = { .fd = -1, .eof = 1 };
	uint64_t end;
	unsigned long lines;

	cadb_clear(db);
	db->label = xstrdup(label);
	buf_append(&db->data, data, len);
	r.label = db->label;
	r.win = (char *)db->data.data;
	r.len = r.cap = len;
	if (parse_all(db, &r, &end, &lines, e) == -1) {
		cadb_reset(db);
		return -1;
	}
	db->data.len = (size_t)end;
	db->data.data[end] = '\0';
	db->size = end;
	db->next_line = lines;
	return 0;
}

/* ---- Files and the lock ---- */

static int
lock_take(struct cadb *db, const char *dir, const char *name, struct err *e)
{
	char *path = xasprintf("%s/lock", dir), pidbuf[32];
	ssize_t n;
	long pid;
	int rc = -1;

	db->lockfd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (db->lockfd == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (flock(db->lockfd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK) {
			err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
			goto out;
		}
		n = pread(db->lockfd, pidbuf, sizeof pidbuf - 1, 0);
		pidbuf[n > 0 ? n : 0] = '\0';
		pid = strtol(pidbuf, NULL, 10);
		if (pid > 0)
			err_set(e, ERR_LOCKED, "CA '%s' is locked by another "
			    "process (pid %ld)", name, pid);
		else
			err_set(e, ERR_LOCKED, "CA '%s' is locked by another "
			    "process", name);
		goto out;
	}
	n = snprintf(pidbuf, sizeof pidbuf, "%ld\n", (long)getpid());
	if (ftruncate(db->lockfd, 0) == -1 ||
	    pwrite(db->lockfd, pidbuf, (size_t)n, 0) != n) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc == -1 && db->lockfd != -1) {
		close(db->lockfd);
		db->lockfd = -1;
	}
	free(path);
	return rc;
}

/* certs.idx when it can stand for the first COVERS bytes of certs.yaml
 * (st): 1, db holds its state and is append_only; else 0. When many
 * records follow COVERS, the full open is due anyway: it rewrites the
 * snapshot and certs.idx, so that the tail read here stays short. */
/* Why certs.idx x cannot stand for the first bytes of certs.yaml (inode,
 * size bytes read), or NULL when it can: the same file, COVERS a whole
 * number of records within size, its sampled blocks as recorded. */
static const char *
idx_mismatch(struct cadb *db, const struct cadbidx *x, uint64_t inode,
    uint64_t size)
{
	char hex[65];

	if (x->inode != inode)
		return "for another certs.yaml (inode)";
	if (x->covers == 0 || x->covers > size ||
	    !cadbsnap_record_end(db, x->covers) ||
	    cadbsnap_samples(db, x->covers, hex) == -1 ||
	    memcmp(hex, x->samples, 64) != 0)
		return "covers bytes that differ from certs.yaml";
	return NULL;
}

static int
idx_load(struct cadb *db, const struct stat *st)
{
	struct cadbidx *x = xmalloc(sizeof *x);
	uint64_t size = (uint64_t)st->st_size;

	cadbidx_init(x);
	if (cadbidx_open(x, db->idx_path, db->idx_path, NULL) == -1 ||
	    (size > x->covers && size - x->covers >= cadbsnap_min) ||
	    idx_mismatch(db, x, (uint64_t)st->st_ino, size) != NULL) {
		cadbidx_clear(x);
		free(x);
		return 0;
	}
	db->idx = x;
	db->append_only = 1;
	db->size = x->covers;
	db->next_line = (unsigned long)x->lines;
	db->nevents = (size_t)x->events;
	db->crl_number = x->crl_number;
	db->crl_this_update = x->crl_this_update;
	db->crl_next_update = x->crl_next_update;
	return 1;
}

/* Leaves append mode: db as before load. */
static void
idx_drop(struct cadb *db)
{
	if (db->idx != NULL)
		cadbidx_clear(db->idx);
	free(db->idx);
	db->idx = NULL;
	db->append_only = 0;
	db->need_full = 0;
	db->size = 0;
	db->next_line = 0;
	cadb_reset(db);
}

/* Reads db's state from certs.yaml (st): the records after certs.idx's
 * COVERS (append), else after certs.snap's, else all of them. */
static int
load(struct cadb *db, struct reader *r, const struct stat *st, int append,
    uint64_t *end, unsigned long *lines, struct err *e)
{
	uint64_t from = 0;

	r->base = 0;
	r->len = 0;
	r->eof = 0;
	*lines = 2;
	if (append && idx_load(db, st) == 1)
		from = db->size;
	else if (cadbsnap_load(db, db->snap_path, st) == 1)
		from = db->snap_covers;
	/* Only the records after COVERS are read. */
	if (lseek(db->fd, (off_t)from, SEEK_SET) == -1)
		return err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
	if (from > 0) {
		r->base = from;
		*lines = db->next_line;
	}
	return parse_all(db, r, end, lines, e);
}

int
cadb_open(struct cadb *db, const struct ws *w, const char *name, int flags,
    struct err *e)
{
	struct reader r = { .fd = -1 };
	char *dir = NULL, *path = NULL;
	uint64_t end;
	unsigned long lines;
	struct stat st;
	int rc = -1, append = (flags & CADB_APPEND) && (flags & CADB_WRITE);
	int snap;

	cadb_clear(db);
	if (ws_check_name(name, e) == -1)
		return -1;
	dir = ws_ca_dir(w, name);
	path = xasprintf("%s/certs.yaml", dir);
	db->name = xstrdup(name);
	db->label = xasprintf("ca/%s/certs.yaml", name);
	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			err_set(e, ERR_USAGE, "no CA '%s'", name);
		else
			err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if ((flags & CADB_WRITE) && lock_take(db, dir, name, e) == -1)
		goto out;
	db->fd = open(path, ((flags & CADB_WRITE) ? O_RDWR | O_APPEND :
	    O_RDONLY) | O_NOFOLLOW | O_CLOEXEC);
	if (db->fd == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(db->fd, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	db->snap_path = xasprintf("%s/certs.snap", dir);
	db->idx_path = xasprintf("%s/certs.idx", dir);
	r.fd = db->fd;
	r.label = db->label;
	r.cap = WINDOW;
	r.win = xmalloc(r.cap);
	if (load(db, &r, &st, append, &end, &lines, e) == -1) {
		if (!db->need_full)
			goto out;
		/* A record after COVERS needs more than certs.idx tells. */
		idx_drop(db);
		err_clear(e);
		if (load(db, &r, &st, 0, &end, &lines, e) == -1)
			goto out;
	}
	if (fstat(db->fd, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if ((uint64_t)st.st_size > end && (flags & CADB_WRITE)) {
		/* Cut the torn tail so the next record follows a whole one. */
		file_save_torn(path, db->fd, end);
		if (ftruncate(db->fd, (off_t)end) == -1 ||
		    fsync(db->fd) == -1) {
			err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
			goto out;
		}
		warn(db, "%s: the incomplete record was removed (kept in "
		    "certs.yaml.torn)", db->label);
	}
	db->size = end;
	db->next_line = lines;
	/* Enough records beyond the snapshot: a new one, and certs.idx with
	 * it; also certs.idx alone when an append open could not use it
	 * (best effort: either missing only makes the next open slower). */
	snap = !db->append_only && end > db->snap_covers &&
	    end - db->snap_covers >= cadbsnap_min;
	if (snap)
		(void)cadbsnap_write(db, db->snap_path, (uint64_t)st.st_ino,
		    NULL);
	if (snap || (append && !db->append_only))
		(void)cadbidx_write(db, db->idx_path, (uint64_t)st.st_ino,
		    NULL);
	rc = 0;
out:
	if (rc == -1)
		cadb_clear(db);
	free(r.win);
	free(dir);
	free(path);
	return rc;
}

static int
cert_same(const struct cadb_cert *a, const struct cadb_cert *b)
{
#define S(f) ((a->f == NULL) == (b->f == NULL) && (a->f == NULL || \
	strcmp(a->f, b->f) == 0))
	return S(serial) && S(subject) && S(issuer) && S(profile) &&
	    S(reason) && S(superseded_by) && a->not_before == b->not_before &&
	    a->not_after == b->not_after && a->issued_at == b->issued_at &&
	    a->status == b->status && a->revoked_at == b->revoked_at &&
	    a->invalidity == b->invalidity && a->cert_off == b->cert_off &&
	    a->cert_len == b->cert_len && a->line == b->line;
#undef S
}

/* Checks certs.idx against db, a state verified from every record, and
 * removes it with a warning when it is wrong. */
static void
idx_verify(struct cadb *db)
{
	struct cadbidx x;
	struct stat st;
	struct err e;
	char why[512];
	const char *bad;
	int ok;

	if (db->idx_path == NULL || lstat(db->idx_path, &st) == -1)
		return;
	cadbidx_init(&x);
	err_clear(&e);
	if (cadbidx_open(&x, db->idx_path, "certs.idx", &e) == -1)
		snprintf(why, sizeof why, "%s", e.msg);
	else if (fstat(db->fd, &st) == -1)
		snprintf(why, sizeof why, "certs.idx: %s", strerror(errno));
	else if ((bad = idx_mismatch(db, &x, (uint64_t)st.st_ino,
	    db->size)) != NULL)
		snprintf(why, sizeof why, "certs.idx: %s", bad);
	else {
		memcpy(why, "certs.idx: ", 11);
		if (cadbidx_check(&x, db, why + 11, sizeof why - 11) == 0)
			why[0] = '\0';
	}
	ok = why[0] == '\0';
	cadbidx_clear(&x);
	if (ok)
		return;
	warn(db, "ca/%s/%s; it was removed (a cache: the next issuance "
	    "writes it again)", db->name != NULL ? db->name : "?", why);
	(void)unlink(db->idx_path);
}

int
cadb_verify(struct cadb *db, struct err *e)
{
	struct reader r = { .fd = -1 };
	struct cadb t;
	uint64_t end;
	unsigned long lines = 2, bad = 0;
	size_t i;
	int rc = -1, same;

	if (full_only(db, e) == -1)
		return -1;
	/* Without a snapshot every record was verified on open. */
	if (db->fd == -1)
		return 0;
	if (db->snap_covers == 0) {
		idx_verify(db);
		return 0;
	}
	cadb_init(&t);
	t.label = xstrdup(db->label);
	r.fd = db->fd;
	r.label = db->label;
	/* What db holds is the state of its first db->size bytes: records
	 * a writer appended since are neither compared nor taken. */
	r.limit = db->size;
	r.cap = WINDOW;
	r.win = xmalloc(r.cap);
	if (lseek(db->fd, 0, SEEK_SET) == -1) {
		err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
		goto out;
	}
	if (parse_all(&t, &r, &end, &lines, e) == -1)
		goto out;
	if (end < db->size) {
		err_set(e, ERR_INPUT, "%s", t.nwarnings > 0 ? t.warnings[0] :
		    "certs.yaml is shorter than its snapshot says");
		goto out;
	}
	same = t.ncerts == db->ncerts && t.nevents == db->nevents &&
	    t.crl_number == db->crl_number && end == db->size;
	for (i = 0; same && i < t.ncerts; i++)
		if (!cert_same(&t.certs[i], &db->certs[i])) {
			same = 0;
			bad = t.certs[i].line;
		}
	if (!same) {
		warn(db, "ca/%s/certs.snap did not match certs.yaml%s%.0lu and "
		    "was removed; the state is read from certs.yaml",
		    db->name != NULL ? db->name : "?", bad ? " at line " : "",
		    bad);
		(void)unlink(db->snap_path);
	}
	/* Take the state just verified. */
	free(db->certs);
	arena_free(db);
	free(db->index);
	free(db->index_tag);
	db->certs = t.certs;
	db->ncerts = t.ncerts;
	db->capcerts = t.capcerts;
	db->index = t.index;
	db->index_tag = t.index_tag;
	db->index_cap = t.index_cap;
	db->arena = t.arena;
	db->strs = t.strs;
	db->nstrs = t.nstrs;
	db->nevents = t.nevents;
	db->crl_number = t.crl_number;
	db->crl_this_update = t.crl_this_update;
	db->crl_next_update = t.crl_next_update;
	db->snap_covers = 0;
	t.certs = NULL;
	t.ncerts = 0;
	t.index = NULL;
	t.index_tag = NULL;
	t.arena = NULL;
	t.strs = NULL;
	t.nstrs = 0;
	idx_verify(db);
	rc = 0;
out:
	cadb_clear(&t);
	free(r.win);
	return rc;
}

static void
put_time(struct buf *b, const char *key, int64_t t)
{
	char iso[WS_TIME_LEN];

	ws_time_format(t, iso);
	buf_printf(b, "%s: %s\n", key, iso);
}

/* Finishes a record started at rec->data[0] ("---\n..."): the checksum
 * line and the end marker. */
static void
seal_record(struct buf *rec)
{
	uint8_t d[32];

	hash_sha256(rec->data, rec->len, d);
	buf_puts(rec, "sum: ");
	hex_put(rec, d, sizeof d);
	buf_puts(rec, "\n...\n");
}

/* Writes one sealed record at the end of the file and fsyncs it, then
 * reads it back into memory through the same parser as cadb_open. */
static int
append_record(struct cadb *db, const struct buf *rec, struct err *e)
{
	uint64_t end = db->size;
	size_t next;
	unsigned long line = db->next_line, whyline;
	struct stat st;
	struct rec r;
	char why[160];
	int more;

	if (db->fd == -1 || db->lockfd == -1)
		return err_set(e, ERR_USAGE, "%s: opened read-only", db->label);
	if (db->broken)
		return err_set(e, ERR_IO, "%s: an earlier write failed; open "
		    "the database again", db->label);
	/* Someone else writing without the lock would be overwritten by
	 * nothing, but our view would be stale: refuse. */
	if (fstat(db->fd, &st) == -1)
		return err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
	if ((uint64_t)st.st_size != end)
		return err_set(e, ERR_IO, "%s: changed by another program "
		    "(%lld bytes, expected %llu)", db->label,
		    (long long)st.st_size, (unsigned long long)end);
	if (file_write_all(db->fd, rec->data, rec->len) == -1) {
		err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
		/* Take the partial record back out; if even that fails the
		 * file's tail is unknown until the next open repairs it. */
		if (ftruncate(db->fd, (off_t)end) == -1 ||
		    fdatasync(db->fd) == -1)
			db->broken = 1;
		return -1;
	}
	if (!db->defer_sync && fdatasync(db->fd) == -1) {
		/* The record is whole: a reader may have taken it, even into
		 * certs.snap. It stays, as after a kill -9 before the sync
		 * (not acknowledged, not lost); this handle appends no more. */
		db->broken = 1;
		return err_set(e, ERR_IO, "%s: %s (the record is written but "
		    "may not be on disk; ca check shows what is there)",
		    db->label, strerror(errno));
	}
	db->size += rec->len;
	if (split_record((const char *)rec->data, rec->len, 0, &line, &r,
	    &next, why, sizeof why, &whyline, &more) == -1 ||
	    apply_record(db, &r, (const char *)rec->data, end, why, sizeof why,
	    &whyline) == -1) {
		/* Cannot happen for a record we just built; be loud. */
		db->broken = 1;
		return err_set(e, ERR_IO, "%s: line %lu: the record just "
		    "written does not read back: %s", db->label, whyline, why);
	}
	db->next_line = line;
	return 0;
}

int
cadb_sync(struct cadb *db, struct err *e)
{
	if (db->fd == -1)
		return err_set(e, ERR_USAGE, "%s: opened read-only", db->label);
	if (fdatasync(db->fd) == -1) {
		db->broken = 1;
		return err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
	}
	return 0;
}

int
cadb_append(struct cadb *db, const struct cadb_issue *is, struct err *e)
{
	char serial[CADB_SERIAL_MAX + 1];
	struct buf rec;
	int rc;

	if (is->serial == NULL || serial_norm(is->serial, serial) == -1)
		return err_set(e, ERR_USAGE, "serial number: want 1 to %d hex "
		    "digits", CADB_SERIAL_MAX);
	if (cadb_has_serial(db, serial))
		return err_set(e, ERR_REFUSED, "serial %s is already recorded "
		    "by CA '%s'", serial, db->name != NULL ? db->name : "?");
	if (is->profile == NULL || !cadb_token_ok(is->profile,
	    strlen(is->profile)))
		return err_set(e, ERR_USAGE, "profile: want letters, digits, "
		    "'_' and '-'");
	if (is->subject == NULL || strlen(is->subject) > CADB_TEXT_MAX ||
	    (is->issuer != NULL && strlen(is->issuer) > CADB_TEXT_MAX))
		return err_set(e, ERR_USAGE, "subject or issuer missing or "
		    "longer than %d bytes", CADB_TEXT_MAX);
	if (is->cert_der == NULL || is->cert_len == 0 ||
	    is->cert_len > CADB_CERT_MAX)
		return err_set(e, ERR_USAGE, "certificate missing or larger "
		    "than %d bytes", CADB_CERT_MAX);
	buf_init(&rec);
	buf_printf(&rec, "---\ntype: issue\nserial: \"%s\"\nsubject: ", serial);
	yamlq_put(&rec, is->subject);
	buf_puts(&rec, "\n");
	if (is->issuer != NULL) {
		buf_puts(&rec, "issuer: ");
		yamlq_put(&rec, is->issuer);
		buf_puts(&rec, "\n");
	}
	put_time(&rec, "not_before", is->not_before);
	put_time(&rec, "not_after", is->not_after);
	put_time(&rec, "issued_at", (int64_t)time(NULL));
	buf_printf(&rec, "profile: %s\nstatus: valid\ncert: ", is->profile);
	b64_encode(is->cert_der, is->cert_len, 0, &rec);
	buf_puts(&rec, "\n");
	seal_record(&rec);
	rc = append_record(db, &rec, e);
	buf_clear(&rec);
	return rc;
}

int
cadb_revoke(struct cadb *db, const char *serial, int64_t when,
    const char *reason, struct err *e)
{
	return cadb_revoke_invalid(db, serial, when, reason, 0, e);
}

int
cadb_revoke_invalid(struct cadb *db, const char *serial, int64_t when,
    const char *reason, int64_t invalidity, struct err *e)
{
	const struct cadb_cert *c = cadb_find(db, serial);
	struct buf rec;
	int rc, held;

	if (full_only(db, e) == -1)
		return -1;
	if (c == NULL)
		return err_set(e, ERR_USAGE, "CA '%s' has no certificate with "
		    "serial %s", db->name != NULL ? db->name : "?", serial);
	if (reason == NULL || !cadb_token_ok(reason, strlen(reason)))
		return err_set(e, ERR_USAGE, "reason: want letters, digits, "
		    "'_' and '-'");
	/* A hold may be lifted (removeFromCRL) or made final; any other
	 * revocation is for good. */
	held = c->status == CADB_REVOKED && c->reason != NULL &&
	    strcmp(c->reason, "certificateHold") == 0;
	if (strcmp(reason, "removeFromCRL") == 0 && !held)
		return err_set(e, ERR_REFUSED, "serial %s is not on hold "
		    "(removeFromCRL only lifts a certificateHold)", c->serial);
	if (c->status == CADB_REVOKED && !held)
		return err_set(e, ERR_REFUSED, "serial %s is already revoked",
		    c->serial);
	if (held && strcmp(reason, "certificateHold") == 0)
		return err_set(e, ERR_REFUSED, "serial %s is already on hold",
		    c->serial);
	buf_init(&rec);
	buf_printf(&rec, "---\ntype: revoke\nserial: \"%s\"\n", c->serial);
	put_time(&rec, "revoked_at", when);
	buf_printf(&rec, "reason: %s\n", reason);
	if (invalidity != 0)
		put_time(&rec, "invalidity", invalidity);
	seal_record(&rec);
	rc = append_record(db, &rec, e);
	buf_clear(&rec);
	return rc;
}

int
cadb_supersede(struct cadb *db, const char *serial, const char *by,
    struct err *e)
{
	const struct cadb_cert *c = cadb_find(db, serial);
	char norm[CADB_SERIAL_MAX + 1];
	struct buf rec;
	int rc;

	if (full_only(db, e) == -1)
		return -1;
	if (c == NULL)
		return err_set(e, ERR_USAGE, "CA '%s' has no certificate with "
		    "serial %s", db->name != NULL ? db->name : "?", serial);
	if (serial_norm(by, norm) == -1 || !cadb_has_serial(db, norm))
		return err_set(e, ERR_USAGE, "superseding serial %s is not "
		    "recorded", by);
	buf_init(&rec);
	buf_printf(&rec, "---\ntype: supersede\nserial: \"%s\"\nby: \"%s\"\n",
	    c->serial, norm);
	seal_record(&rec);
	rc = append_record(db, &rec, e);
	buf_clear(&rec);
	return rc;
}

int
cadb_crl_record(struct cadb *db, uint64_t number, int64_t this_update,
    int64_t next_update, struct err *e)
{
	struct buf rec;
	int rc;

	if (full_only(db, e) == -1)
		return -1;
	if (number <= db->crl_number || number > UINT64_C(999999999999999999))
		return err_set(e, ERR_USAGE, "CRL number %llu does not follow "
		    "%llu", (unsigned long long)number,
		    (unsigned long long)db->crl_number);
	buf_init(&rec);
	buf_printf(&rec, "---\ntype: crl\nnumber: %llu\n",
	    (unsigned long long)number);
	put_time(&rec, "this_update", this_update);
	put_time(&rec, "next_update", next_update);
	seal_record(&rec);
	rc = append_record(db, &rec, e);
	buf_clear(&rec);
	return rc;
}

int
cadb_cert_der(const struct cadb *db, const struct cadb_cert *c,
    struct buf *out, struct err *e)
{
	struct buf b64;
	ssize_t n;
	int rc = -1;

	if (c->cert_off > db->size || c->cert_len > db->size - c->cert_off)
		return err_set(e, ERR_INPUT, "%s: line %lu: no certificate",
		    db->label, c->line);
	if (db->fd == -1)	/* parsed from memory */
		return b64_decode((const char *)db->data.data + c->cert_off,
		    c->cert_len, out, e) == -1 ? err_wrap(e, "%s: line %lu: "
		    "cert", db->label, c->line) : 0;
	/* Records never change once written: read this one back. */
	buf_init(&b64);
	n = pread(db->fd, buf_reserve(&b64, c->cert_len), c->cert_len,
	    (off_t)c->cert_off);
	if (n != (ssize_t)c->cert_len) {
		err_set(e, ERR_IO, "%s: line %lu: %s", db->label, c->line,
		    n == -1 ? strerror(errno) : "file shorter than recorded");
		goto out;
	}
	b64.len = c->cert_len;
	if (b64_decode((const char *)b64.data, b64.len, out, e) == -1) {
		err_wrap(e, "%s: line %lu: cert", db->label, c->line);
		goto out;
	}
	rc = 0;
out:
	buf_clear(&b64);
	return rc;
}

/* ---- Creation and metadata ---- */

int
cadb_create(const struct ws *w, const char *name, const char *keystore,
    const char *subject, struct err *e)
{
	char *dir = NULL, *meta = NULL, *certs = NULL, now[WS_TIME_LEN];
	struct buf out;
	struct yamlw yw;
	struct stat st;
	int rc = -1;

	buf_init(&out);
	if (ws_check_name(name, e) == -1 || ws_check_name(keystore, e) == -1)
		return -1;
	dir = ws_ca_dir(w, name);
	meta = xasprintf("%s/ca.yaml", dir);
	certs = xasprintf("%s/certs.yaml", dir);
	if (lstat(certs, &st) == 0) {
		err_set(e, ERR_REFUSED, "CA '%s' already exists", name);
		goto out;
	}
	if (ws_mkdir(dir, e) == -1)
		goto out;
	ws_time_format((int64_t)time(NULL), now);
	yamlw_begin(&yw, &out, "minipki certificate authority");
	yamlw_str(&yw, "format", "minipki-ca");
	yamlw_uint(&yw, "version", 1);
	yamlw_str(&yw, "name", name);
	yamlw_str(&yw, "keystore", keystore);
	if (subject != NULL)
		yamlw_str(&yw, "subject", subject);
	yamlw_str(&yw, "created", now);
	if (yamlw_finish(&yw, e) == -1 ||
	    file_write(meta, out.data, out.len, 0600, 0, e) == -1)
		goto out;
	out.len = 0;
	buf_printf(&out, "%s# The certificates issued by CA '%s': one YAML "
	    "document per event,\n# appended, never rewritten. Each record "
	    "carries a checksum: do not edit.\n", CADB_MAGIC, name);
	if (file_write(certs, out.data, out.len, 0600, 1, e) == -1) {
		if (e != NULL && strstr(e->msg, "already exists") != NULL)
			err_set(e, ERR_REFUSED, "CA '%s' already exists", name);
		goto out;
	}
	rc = 0;
out:
	buf_clear(&out);
	free(dir);
	free(meta);
	free(certs);
	return rc;
}

void
cadb_meta_init(struct cadb_meta *m)
{
	memset(m, 0, sizeof *m);
}

void
cadb_meta_clear(struct cadb_meta *m)
{
	free(m->name);
	free(m->keystore);
	free(m->subject);
	free(m->created);
	cadb_meta_init(m);
}

static const struct yamlr_limits meta_limits = {
	.max_scalar = CADB_TEXT_MAX,
	.max_nodes = 256,
	.max_depth = 4,
};

static int
meta_str(const struct yamlr_node *root, const char *key, int required,
    char **out, const char *label, struct err *e)
{
	const struct yamlr_node *n = yamlr_get(root, key);

	if (n == NULL) {
		if (!required)
			return 0;
		return err_set(e, ERR_INPUT, "%s: line %lu: %s: missing", label,
		    root->line, key);
	}
	if (n->kind != YAMLR_SCALAR)
		return err_set(e, ERR_INPUT, "%s: line %lu: %s: expected a "
		    "single value", label, n->line, key);
	*out = xstrdup(n->str);
	return 0;
}

int
cadb_meta_load(const struct ws *w, const char *name, struct cadb_meta *m,
    struct err *e)
{
	char *dir = NULL, *path = NULL, *label = NULL, *format = NULL;
	struct yamlr_doc doc;
	struct buf data;
	int rc = -1;

	cadb_meta_clear(m);
	yamlr_init(&doc);
	buf_init(&data);
	if (ws_check_name(name, e) == -1)
		return -1;
	dir = ws_ca_dir(w, name);
	path = xasprintf("%s/ca.yaml", dir);
	label = xasprintf("ca/%s/ca.yaml", name);
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		err_set(e, ERR_USAGE, "no CA '%s'", name);
		goto out;
	}
	if (file_read(path, 64 * 1024, &data, e) == -1)
		goto out;
	if (yamlr_parse(&doc, data.data, data.len, &meta_limits, e) == -1) {
		err_wrap(e, "%s", label);
		goto out;
	}
	if (doc.root == NULL || doc.root->kind != YAMLR_MAP) {
		err_set(e, ERR_INPUT, "%s: line 1: not a minipki CA file",
		    label);
		goto out;
	}
	if (meta_str(doc.root, "format", 1, &format, label, e) == -1)
		goto out;
	if (strcmp(format, "minipki-ca") != 0) {
		err_set(e, ERR_INPUT, "%s: line %lu: format: not a minipki CA "
		    "file", label, yamlr_get(doc.root, "format")->line);
		goto out;
	}
	if (meta_str(doc.root, "name", 1, &m->name, label, e) == -1 ||
	    meta_str(doc.root, "keystore", 1, &m->keystore, label, e) == -1 ||
	    meta_str(doc.root, "subject", 0, &m->subject, label, e) == -1 ||
	    meta_str(doc.root, "created", 0, &m->created, label, e) == -1)
		goto out;
	if (ws_check_name(m->keystore, NULL) == -1) {
		err_set(e, ERR_INPUT, "%s: line %lu: keystore: not a valid "
		    "name", label, yamlr_get(doc.root, "keystore")->line);
		goto out;
	}
	rc = 0;
out:
	if (rc == -1)
		cadb_meta_clear(m);
	yamlr_clear(&doc);
	buf_clear(&data);
	free(format);
	free(dir);
	free(path);
	free(label);
	return rc;
}
