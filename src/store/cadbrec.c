/* cadbrec.c — the records of certs.yaml: split into fields, checked, and
 * applied to the in-memory state, read through a window over the file;
 * see cadbpriv.h, and store/FORMATS.md for the format and why it is read
 * here rather than by libyaml. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "crypto/hex.h"
#include "store/cadbidx.h"
#include "store/cadbpriv.h"
#include "store/ws.h"
#include "store/yamlrec.h"
#include "util/xalloc.h"

#define MAX_FIELDS 32

/* ---- Values ---- */

int
cadbrec_token_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > CADB_TOKEN_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

int
cadbrec_serial_ok(const char *v, size_t n)
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

/* One record split into its fields; a failure names bad_line. */
struct rec {
	struct field f[MAX_FIELDS];
	size_t nf;
	unsigned long line;	/* of "---" */
	unsigned long bad_line;	/* of what a failure is about */
};

/* Fails with why (ERR_INPUT, no place) about line ln of the record. */
static int
rec_fail(struct rec *r, unsigned long ln, struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
rec_fail(struct rec *r, unsigned long ln, struct err *e, const char *fmt, ...)
{
	va_list ap;
	char why[sizeof e->msg];

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	r->bad_line = ln;
	return err_set(e, ERR_INPUT, "%s", why);
}

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
 * its "..." line and *line is advanced past it. On failure the record is
 * malformed or incomplete; *more says that it was cut short by the end of
 * data, so more bytes (if the file has them) could complete it. */
static int
split_record(const char *data, size_t len, size_t off, unsigned long *line,
    struct rec *r, size_t *next, int *more, struct err *e)
{
	const char *p = data + off, *end = data + len, *nl, *colon;
	const char *sum_start = NULL;
	unsigned long ln = *line;

	r->nf = 0;
	r->line = ln;
	*more = 0;
	if ((size_t)(end - p) < 4 || memcmp(p, "---\n", 4) != 0) {
		*more = prefix_of(p, (size_t)(end - p), "---\n");
		return rec_fail(r, ln, e, "expected '---' (start of a record)");
	}
	p += 4;
	ln++;
	for (;;) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			*more = 1;
			return rec_fail(r, ln, e, "record is incomplete");
		}
		if ((colon = memchr(p, ':', (size_t)(nl - p))) == NULL ||
		    colon + 1 >= nl || colon[1] != ' ' || colon == p)
			return rec_fail(r, ln, e, "expected 'key: value'");
		if ((size_t)(colon - p) == 3 && memcmp(p, "sum", 3) == 0) {
			sum_start = p;
			break;
		}
		if (r->nf == MAX_FIELDS)
			return rec_fail(r, ln, e, "too many fields in a record");
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
		return rec_fail(r, ln, e, "bad checksum line");
	p = nl + 1;
	ln++;
	if ((size_t)(end - p) < 4 || memcmp(p, "...\n", 4) != 0) {
		*more = prefix_of(p, (size_t)(end - p), "...\n");
		return rec_fail(r, ln, e, "record is incomplete (no '...' end "
		    "marker)");
	}
	if (!yamlrec_sum_ok(data + off, sum_start))
		return rec_fail(r, r->line, e, "record checksum does not match "
		    "its contents");
	*next = (size_t)(p + 4 - data);
	*line = ln + 1;
	return 0;
}

/* A required field whose value passes check (when not NULL). */
static const struct field *
get_field(struct rec *r, const char *key, int (*check)(const char *, size_t),
    struct err *e)
{
	const struct field *f = field_get(r, key);

	if (f == NULL) {
		rec_fail(r, r->line, e, "record has no '%s'", key);
		return NULL;
	}
	if (check != NULL && !check(f->val, f->vlen)) {
		rec_fail(r, f->line, e, "%s: bad value", key);
		return NULL;
	}
	return f;
}

static int
get_time(struct rec *r, const char *key, int64_t *t, struct err *e)
{
	const struct field *f = get_field(r, key, NULL, e);

	if (f == NULL)
		return -1;
	if (ws_time_parse(f->val, f->vlen, t) == -1)
		return rec_fail(r, f->line, e, "%s: not a time "
		    "YYYY-MM-DDTHH:MM:SSZ", key);
	return 0;
}

/* A string field (a quoted scalar) as a string of the database. */
static char *
get_text(struct cadb *db, struct rec *r, const struct field *f, int shared,
    struct err *e)
{
	struct err why;
	char *s;

	if ((s = cadbstr_quoted(db, f->val, f->vlen, shared, &why)) == NULL)
		rec_fail(r, f->line, e, "%.*s: %s", (int)f->klen, f->key,
		    why.msg);
	else if (strlen(s) > CADB_TEXT_MAX) {
		rec_fail(r, f->line, e, "%.*s: longer than %d bytes",
		    (int)f->klen, f->key, CADB_TEXT_MAX);
		s = NULL;
	}
	return s;
}

/* ---- Applying a record ---- */

/* What a record of a type applies to. */
struct target {
	char serial[CADB_SERIAL_MAX + 1];
	long k;			/* its index in certs; -1: not there;
				 * LONG_MAX: in certs.idx (after an append
				 * open: its certificate is not in memory) */
	struct cadb_cert *t;	/* certs[k], else scratch */
	struct cadb_cert scratch;
	const char *win;	/* the bytes read and their file offset */
	uint64_t base;
};

/* A CRL was generated: its number must exceed every earlier one. */
static int
apply_crl(struct cadb *db, struct rec *r, struct target *x, struct err *e)
{
	const struct field *f;
	int64_t tu, nu;
	uint64_t n = 0;
	size_t i;

	if ((f = get_field(r, "number", NULL, e)) == NULL)
		return -1;
	for (i = 0; i < f->vlen; i++) {
		if (f->val[i] < '0' || f->val[i] > '9' || i >= 19 ||
		    (i == 0 && f->val[0] == '0' && f->vlen > 1))
			return rec_fail(r, f->line, e, "number: not a decimal "
			    "number");
		n = n * 10 + (uint64_t)(f->val[i] - '0');
	}
	if (f->vlen == 0 || n <= db->crl_number)
		return rec_fail(r, f->line, e, "number: CRL number %llu does "
		    "not follow %llu", (unsigned long long)n,
		    (unsigned long long)db->crl_number);
	if (get_time(r, "this_update", &tu, e) == -1 ||
	    get_time(r, "next_update", &nu, e) == -1)
		return -1;
	db->crl_number = n;
	db->crl_this_update = tu;
	db->crl_next_update = nu;
	return 0;
}

static int
apply_revoke(struct cadb *db, struct rec *r, struct target *x, struct err *e)
{
	const struct field *f;
	int64_t when, inval = 0;

	if (x->k < 0)
		return rec_fail(r, r->line, e, "revocation of serial %s, which "
		    "was never issued", x->serial);
	if (get_time(r, "revoked_at", &when, e) == -1 ||
	    (f = get_field(r, "reason", cadbrec_token_ok, e)) == NULL)
		return -1;
	if (field_get(r, "invalidity") != NULL &&
	    get_time(r, "invalidity", &inval, e) == -1)
		return -1;
	x->t->invalidity = inval;
	/* removeFromCRL lifts a certificateHold (RFC 5280 5.3.1). */
	if (f->vlen == 13 && memcmp(f->val, "removeFromCRL", 13) == 0) {
		x->t->status = CADB_VALID;
		x->t->revoked_at = 0;
		x->t->reason = NULL;
	} else {
		x->t->status = CADB_REVOKED;
		x->t->revoked_at = when;
		x->t->reason = cadbstr_intern(db, f->val, f->vlen);
	}
	return 0;
}

static int
apply_supersede(struct cadb *db, struct rec *r, struct target *x,
    struct err *e)
{
	const struct field *f;
	char *by;

	if (x->k < 0)
		return rec_fail(r, r->line, e, "supersession of serial %s, "
		    "which was never issued", x->serial);
	if ((f = get_field(r, "by", NULL, e)) == NULL ||
	    (by = get_text(db, r, f, 0, e)) == NULL)
		return -1;
	x->t->superseded_by = by;
	return 0;
}

static int
apply_issue(struct cadb *db, struct rec *r, struct target *x, struct err *e)
{
	const struct field *f;
	struct cadb_cert c;

	memset(&c, 0, sizeof c);
	if (x->k >= 0)
		return rec_fail(r, r->line, e, "serial %s appears twice (first "
		    "at line %lu)", x->serial, db->certs[x->k].line);
	if ((f = get_field(r, "subject", NULL, e)) == NULL ||
	    (c.subject = get_text(db, r, f, 0, e)) == NULL)
		return -1;
	if ((f = field_get(r, "issuer")) == NULL)
		c.issuer = cadbstr_intern(db, "", 0);
	else if ((c.issuer = get_text(db, r, f, 1, e)) == NULL)
		return -1;
	if (get_time(r, "not_before", &c.not_before, e) == -1 ||
	    get_time(r, "not_after", &c.not_after, e) == -1 ||
	    get_time(r, "issued_at", &c.issued_at, e) == -1)
		return -1;
	if ((f = get_field(r, "profile", cadbrec_token_ok, e)) == NULL)
		return -1;
	c.profile = cadbstr_intern(db, f->val, f->vlen);
	if ((f = get_field(r, "status", cadbrec_token_ok, e)) == NULL)
		return -1;
	if (!(f->vlen == 5 && memcmp(f->val, "valid", 5) == 0))
		return rec_fail(r, f->line, e, "status: an issue record must "
		    "say 'valid'");
	c.status = CADB_VALID;
	if ((f = get_field(r, "cert", is_b64, e)) == NULL)
		return -1;
	c.cert_off = x->base + (uint64_t)(f->val - x->win);
	c.cert_len = f->vlen;
	c.line = r->line;
	if (db->ncerts >= UINT32_MAX - 1)
		return rec_fail(r, r->line, e, "too many records");
	c.serial = cadbstr_copy(db, x->serial, strlen(x->serial));
	*cadb_cert_new(db) = c;
	cadbserial_add(db, db->ncerts);
	db->ncerts++;
	return 0;
}

/* The record types: what the "type" field selects. */
static const struct rec_type {
	const char *name;
	int serial;		/* names a serial (the target) */
	int issue;		/* records a new serial */
	int (*apply)(struct cadb *, struct rec *, struct target *,
	    struct err *);
} rec_types[] = {
	{ .name = "issue", .serial = 1, .issue = 1, .apply = apply_issue },
	{ .name = "revoke", .serial = 1, .apply = apply_revoke },
	{ .name = "supersede", .serial = 1, .apply = apply_supersede },
	{ .name = "crl", .apply = apply_crl },
};

/* Finds the certificate a record names (its serial field). */
static int
find_target(struct cadb *db, struct rec *r, const struct rec_type *ty,
    struct target *x, struct err *e)
{
	const struct field *f;
	int has;

	if ((f = get_field(r, "serial", NULL, e)) == NULL)
		return -1;
	if (!cadbrec_serial_ok(f->val, f->vlen))
		return rec_fail(r, f->line, e, "serial: not lower-case hex");
	memcpy(x->serial, f->val + 1, f->vlen - 2);
	x->serial[f->vlen - 2] = '\0';
	x->k = cadbserial_find(db, x->serial, strlen(x->serial));
	x->t = x->k >= 0 ? &db->certs[x->k] : &x->scratch;
	/* After an append open, a serial not among the records read may be
	 * one of certs.idx's: an event about it is checked and counted (its
	 * certificate is not in memory); an issuance that may repeat it, or
	 * an event the index cannot place, needs the full open. */
	if (x->k < 0 && db->append_only) {
		has = cadbidx_has(db->idx, cadbserial_key(x->serial,
		    strlen(x->serial)));
		if (ty->issue ? has != 0 : has != 1) {
			db->need_full = 1;
			return rec_fail(r, r->line, e, "serial %s: certs.idx "
			    "cannot tell", x->serial);
		}
		if (!ty->issue)
			x->k = LONG_MAX;
	}
	return 0;
}

/* Applies a well-formed record to the in-memory state. */
static int
apply_record(struct cadb *db, struct rec *r, const char *win, uint64_t base,
    struct err *e)
{
	const struct rec_type *ty = NULL;
	const struct field *type;
	struct target x;
	size_t i;

	if ((type = get_field(r, "type", cadbrec_token_ok, e)) == NULL)
		return -1;
	for (i = 0; i < sizeof rec_types / sizeof rec_types[0]; i++)
		if (strlen(rec_types[i].name) == type->vlen &&
		    memcmp(rec_types[i].name, type->val, type->vlen) == 0)
			ty = &rec_types[i];
	if (ty == NULL)
		return rec_fail(r, type->line, e, "type: unknown record type "
		    "'%.*s'", (int)type->vlen, type->val);
	memset(&x, 0, sizeof x);
	x.k = -1;
	x.win = win;
	x.base = base;
	if (ty->serial && find_target(db, r, ty, &x, e) == -1)
		return -1;
	if (ty->apply(db, r, &x, e) == -1)
		return -1;
	db->nevents++;
	return 0;
}

/* ---- Reading ---- */

#define RECORD_MAX (256 * 1024)	/* longer than any record we write */

/* Drops win[0..*pos), moves the rest to the front and reads more. */
static int
fill(struct cadbrec_reader *r, size_t *pos, struct err *e)
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
later_record(struct cadbrec_reader *r, size_t pos, int *found, struct err *e)
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
tail_complete(const struct cadbrec_reader *r, uint64_t valid_end)
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

int
cadbrec_read(struct cadb *db, struct cadbrec_reader *r, uint64_t *valid_end,
    unsigned long *lines, struct err *e)
{
	size_t pos = 0, next, ml = strlen(CADB_MAGIC);
	unsigned long line = 2, start;
	const char *nl;
	struct rec rec;
	struct err why;
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
		if (split_record(r->win, r->len, pos, &line, &rec, &next, &more,
		    &why) == 0) {
			if (apply_record(db, &rec, r->win, r->base, &why) == -1)
				return err_set(e, ERR_INPUT, "%s: line %lu: %s",
				    r->label, rec.bad_line, why.msg);
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
			    r->label, rec.bad_line, why.msg);
		if (tail_complete(r, *valid_end))
			return err_set(e, ERR_INPUT, "%s: line %lu (offset "
			    "%llu): %s; the last record is complete, so it "
			    "was damaged, not torn by a crash: left as it is",
			    r->label, rec.bad_line,
			    (unsigned long long)*valid_end, why.msg);
		cadb_warn(db, "%s: line %lu: last record is incomplete (torn "
		    "write), skipped", r->label, start);
		*lines = start;
		return 0;
	}
	*valid_end = r->base + r->len;
	*lines = line;
	return 0;
}

int
cadbrec_add(struct cadb *db, const struct buf *rec, uint64_t base,
    unsigned long *line, struct err *e)
{
	const char *data = (const char *)rec->data;
	struct rec r;
	size_t next;
	int more;

	if (split_record(data, rec->len, 0, line, &r, &next, &more, e) == -1 ||
	    apply_record(db, &r, data, base, e) == -1)
		return err_wrap(e, "line %lu", r.bad_line);
	return 0;
}
