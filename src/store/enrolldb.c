/* enrolldb.c — enrollment tokens and the approval queue on disk; see
 * enrolldb.h, and store/FORMATS.md for the format. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto/b64.h"
#include "crypto/hash.h"
#include "crypto/hex.h"
#include "store/audit.h"
#include "store/enrolldb.h"
#include "store/journal.h"
#include "store/yamlq.h"
#include "store/yamlrec.h"
#include "util/file.h"
#include "util/xalloc.h"

#define ENROLLDB_MAGIC "# minipki-enroll 1\n"

void
enrolldb_init(struct enrolldb *db)
{
	memset(db, 0, sizeof *db);
	db->fd = -1;
	db->lockfd = -1;
	db->idlelock = -1;
	db->line = 1;
}

/* Drops the state read so far: the next refresh reads the whole file. */
static void
enrolldb_forget(struct enrolldb *db)
{
	size_t i;

	for (i = 0; i < db->ntokens; i++)
		free(db->tokens[i].match);
	for (i = 0; i < db->nreqs; i++) {
		struct enrolldb_req *r = &db->reqs[i];

		free(r->subject);
		free(r->name);
		free(r->peer);
		free(r->why);
		free(r->csr);
		free(r->serial);
		free(r->cert);
		free(r->reason);
	}
	free(db->tokens);
	free(db->reqs);
	db->tokens = NULL;
	db->reqs = NULL;
	db->ntokens = db->captokens = db->nreqs = db->capreqs = 0;
	db->npending = db->nrecs = 0;
	db->size = db->inode = db->torn = 0;
	db->line = 1;
}

void
enrolldb_clear(struct enrolldb *db)
{
	enrolldb_unlock(db);
	if (db->idlelock != -1)
		close(db->idlelock);
	enrolldb_forget(db);
	free(db->path);
	free(db->lockpath);
	free(db->dir);
	free(db->ca);
	free(db->label);
	enrolldb_init(db);
}

struct enrolldb_token *
enrolldb_token(const struct enrolldb *db, const char *id)
{
	size_t i;

	for (i = 0; i < db->ntokens; i++)
		if (strcmp(db->tokens[i].id, id) == 0)
			return &db->tokens[i];
	return NULL;
}

struct enrolldb_req *
enrolldb_req(const struct enrolldb *db, const char *id)
{
	size_t i;

	for (i = 0; i < db->nreqs; i++)
		if (strcmp(db->reqs[i].id, id) == 0)
			return &db->reqs[i];
	return NULL;
}

struct enrolldb_req *
enrolldb_req_by_key(const struct enrolldb *db, const uint8_t key[32])
{
	size_t i;

	/* The latest: a key is queued once (role/enroll.c), but the file
	 * does not forbid more. */
	for (i = db->nreqs; i > 0; i--)
		if (memcmp(db->reqs[i - 1].key, key, 32) == 0)
			return &db->reqs[i - 1];
	return NULL;
}

/* ---- Records: one table of types and their fields ---- */

enum fkind {
	F_ID,		/* ENROLLDB_ID_LEN lower-case hex digits */
	F_HASH,		/* 64 lower-case hex digits */
	F_PROFILE,	/* [A-Za-z0-9_-]{1,ENROLLDB_PROFILE_MAX} */
	F_STR,		/* quoted string (yamlq) */
	F_UINT,		/* 1..ENROLLDB_USES_MAX */
	F_TIME,		/* YYYY-MM-DDTHH:MM:SSZ */
	F_DER,		/* base64 of at most ENROLLDB_DER_MAX bytes */
	F_SERIAL,	/* 1..64 lower-case hex digits */
};

struct fdef {
	const char *key;
	enum fkind kind;
	int optional;
};

/* A decoded field. */
struct fval {
	int present;
	unsigned long line;
	char *str;		/* F_ID, F_PROFILE, F_STR, F_SERIAL */
	uint8_t hash[32];
	unsigned long num;
	int64_t time;
	struct buf der;
};

#define FV_MAX 10		/* fields of the longest record (request) */

/* Applies a decoded record to db, or says why it cannot be (why->msg,
 * the caller names the line); applies nothing then. */
typedef int rapply_fn(struct enrolldb *, struct fval *, struct err *why);

struct rdef {
	const char *type;
	const struct fdef *f;
	size_t nf;
	rapply_fn *apply;
};

static char *
take(struct fval *v)
{
	char *s = v->str;

	v->str = NULL;
	return s;
}

static int
apply_token(struct enrolldb *db, struct fval *v, struct err *why)
{
	struct enrolldb_token *t;

	if (enrolldb_token(db, v[0].str) != NULL)
		return err_set(why, ERR_INPUT, "token %s recorded twice",
		    v[0].str);
	if (db->ntokens == db->captokens) {
		db->captokens = db->captokens ? db->captokens * 2 : 16;
		db->tokens = xreallocarray(db->tokens, db->captokens,
		    sizeof *db->tokens);
	}
	t = &db->tokens[db->ntokens++];
	memset(t, 0, sizeof *t);
	snprintf(t->id, sizeof t->id, "%s", v[0].str);
	memcpy(t->hash, v[1].hash, 32);
	snprintf(t->profile, sizeof t->profile, "%s", v[2].str);
	t->match = take(&v[3]);
	t->uses = v[4].num;
	t->created = v[5].time;
	t->expires = v[6].time;
	return 0;
}

static int
apply_use(struct enrolldb *db, struct fval *v, struct err *why)
{
	struct enrolldb_token *t = enrolldb_token(db, v[0].str);

	if (t == NULL)
		return err_set(why, ERR_INPUT, "use of unknown token %s",
		    v[0].str);
	if (t->revoked)
		return err_set(why, ERR_INPUT, "use of revoked token %s",
		    t->id);
	if (t->used >= t->uses)
		return err_set(why, ERR_INPUT, "use of token %s beyond its "
		    "%lu uses", t->id, t->uses);
	t->used++;
	return 0;
}

static int
apply_revoke(struct enrolldb *db, struct fval *v, struct err *why)
{
	struct enrolldb_token *t = enrolldb_token(db, v[0].str);

	if (t == NULL)
		return err_set(why, ERR_INPUT, "revocation of unknown token "
		    "%s", v[0].str);
	if (t->revoked)
		return err_set(why, ERR_INPUT, "token %s revoked twice", t->id);
	t->revoked = 1;
	t->revoked_at = v[1].time;
	return 0;
}

static int
apply_request(struct enrolldb *db, struct fval *v, struct err *why)
{
	struct enrolldb_req *r;

	if (enrolldb_req(db, v[0].str) != NULL)
		return err_set(why, ERR_INPUT, "request %s recorded twice",
		    v[0].str);
	if (v[2].present && v[2].time <= v[1].time)
		return err_set(why, ERR_INPUT, "request %s expires before it "
		    "was queued", v[0].str);
	if (db->nreqs == db->capreqs) {
		db->capreqs = db->capreqs ? db->capreqs * 2 : 16;
		db->reqs = xreallocarray(db->reqs, db->capreqs,
		    sizeof *db->reqs);
	}
	r = &db->reqs[db->nreqs++];
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", v[0].str);
	r->time = v[1].time;
	/* Written before requests expired: the default then. */
	r->expires = v[2].present ? v[2].time : r->time + ENROLLDB_REQ_TTL;
	snprintf(r->profile, sizeof r->profile, "%s", v[3].str);
	r->subject = take(&v[4]);
	r->name = take(&v[5]);
	r->peer = take(&v[6]);
	r->why = take(&v[7]);
	memcpy(r->key, v[8].hash, 32);
	r->csr = buf_steal(&v[9].der, &r->csr_len);
	r->state = ENROLLDB_PENDING;
	db->npending++;
	return 0;
}

/* The pending request a decision record names. */
static struct enrolldb_req *
decided(struct enrolldb *db, const char *id, struct err *why)
{
	struct enrolldb_req *r = enrolldb_req(db, id);

	if (r == NULL)
		err_set(why, ERR_INPUT, "decision on unknown request %s", id);
	else if (r->state != ENROLLDB_PENDING)
		err_set(why, ERR_INPUT, "request %s decided twice", id);
	else
		return r;
	return NULL;
}

static int
apply_approve(struct enrolldb *db, struct fval *v, struct err *why)
{
	struct enrolldb_req *r = decided(db, v[0].str, why);

	if (r == NULL)
		return -1;
	/* serial and cert: what versions before the separate issue record
	 * wrote, approved and issued in one. */
	if (v[3].present != v[4].present)
		return err_set(why, ERR_INPUT, "approval of request %s with "
		    "%s but no %s", r->id, v[3].present ? "serial" : "cert",
		    v[3].present ? "cert" : "serial");
	r->state = v[3].present ? ENROLLDB_ISSUED : ENROLLDB_APPROVED;
	r->decided = v[1].time;
	snprintf(r->approved_profile, sizeof r->approved_profile, "%s",
	    v[2].present ? v[2].str : r->profile);
	if (v[3].present) {
		r->issued = v[1].time;
		r->serial = take(&v[3]);
		r->cert = buf_steal(&v[4].der, &r->cert_len);
	}
	db->npending--;
	return 0;
}

static int
apply_issue(struct enrolldb *db, struct fval *v, struct err *why)
{
	struct enrolldb_req *r = enrolldb_req(db, v[0].str);

	if (r == NULL)
		return err_set(why, ERR_INPUT, "issue for unknown request %s",
		    v[0].str);
	if (r->state == ENROLLDB_ISSUED)
		return err_set(why, ERR_INPUT, "request %s issued twice",
		    r->id);
	if (r->state != ENROLLDB_APPROVED)
		return err_set(why, ERR_INPUT, "issue for request %s, which "
		    "is not approved", r->id);
	r->state = ENROLLDB_ISSUED;
	r->issued = v[1].time;
	r->serial = take(&v[2]);
	r->cert = buf_steal(&v[3].der, &r->cert_len);
	return 0;
}

/* The service is about to issue an approved request (its certificate
 * may be in the CA database without an issue record after a crash). */
static int
apply_issuing(struct enrolldb *db, struct fval *v, struct err *why)
{
	struct enrolldb_req *r = enrolldb_req(db, v[0].str);

	if (r == NULL)
		return err_set(why, ERR_INPUT, "issuing for unknown request "
		    "%s", v[0].str);
	if (r->state != ENROLLDB_APPROVED)
		return err_set(why, ERR_INPUT, "issuing for request %s, which "
		    "is %s", r->id, r->state == ENROLLDB_ISSUED ? "issued "
		    "already" : "not approved");
	if (r->issuing == 0)
		r->issuing = v[1].time;
	return 0;
}

static int
apply_reject(struct enrolldb *db, struct fval *v, struct err *why)
{
	struct enrolldb_req *r = decided(db, v[0].str, why);

	if (r == NULL)
		return -1;
	r->state = ENROLLDB_REJECTED;
	r->decided = v[1].time;
	r->reason = take(&v[2]);
	db->npending--;
	return 0;
}

static const struct fdef f_token[] = {
	{ "id", F_ID, 0 }, { "hash", F_HASH, 0 }, { "profile", F_PROFILE, 0 },
	{ "match", F_STR, 1 }, { "uses", F_UINT, 0 },
	{ "created", F_TIME, 0 }, { "expires", F_TIME, 0 },
};
static const struct fdef f_use[] = {
	{ "id", F_ID, 0 }, { "time", F_TIME, 0 }, { "subject", F_STR, 0 },
};
static const struct fdef f_revoke[] = {
	{ "id", F_ID, 0 }, { "time", F_TIME, 0 },
};
static const struct fdef f_request[] = {
	{ "id", F_ID, 0 }, { "time", F_TIME, 0 }, { "expires", F_TIME, 1 },
	{ "profile", F_PROFILE, 0 },
	{ "subject", F_STR, 0 }, { "name", F_STR, 1 }, { "peer", F_STR, 1 },
	{ "why", F_STR, 0 }, { "key", F_HASH, 0 }, { "csr", F_DER, 0 },
};
static const struct fdef f_approve[] = {
	{ "id", F_ID, 0 }, { "time", F_TIME, 0 }, { "profile", F_PROFILE, 1 },
	{ "serial", F_SERIAL, 1 }, { "cert", F_DER, 1 },
};
static const struct fdef f_issue[] = {
	{ "id", F_ID, 0 }, { "time", F_TIME, 0 }, { "serial", F_SERIAL, 0 },
	{ "cert", F_DER, 0 },
};
static const struct fdef f_issuing[] = {
	{ "id", F_ID, 0 }, { "time", F_TIME, 0 },
};
static const struct fdef f_reject[] = {
	{ "id", F_ID, 0 }, { "time", F_TIME, 0 }, { "reason", F_STR, 0 },
};

#define RDEF(t, f, fn) { t, f, sizeof f / sizeof f[0], fn }
static const struct rdef rdefs[] = {
	RDEF("token", f_token, apply_token),
	RDEF("use", f_use, apply_use),
	RDEF("revoke", f_revoke, apply_revoke),
	RDEF("request", f_request, apply_request),
	RDEF("approve", f_approve, apply_approve),
	RDEF("issue", f_issue, apply_issue),
	RDEF("issuing", f_issuing, apply_issuing),
	RDEF("reject", f_reject, apply_reject),
};

static int
lower_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return 1;
}

/* Decodes the value s[0..n) of a field of kind k into v. */
static int
fval_decode(struct fval *v, enum fkind k, const char *s, size_t n,
    struct err *why)
{
	struct buf b;
	size_t i;

	switch (k) {
	case F_ID:
		if (n != ENROLLDB_ID_LEN || !lower_hex(s, n))
			return err_set(why, ERR_INPUT, "not %d lower-case hex "
			    "digits", ENROLLDB_ID_LEN);
		break;
	case F_SERIAL:
		if (n == 0 || n > 64 || !lower_hex(s, n))
			return err_set(why, ERR_INPUT, "not 1 to 64 lower-case "
			    "hex digits");
		break;
	case F_HASH:
		if (n != 64 || !lower_hex(s, n) ||
		    hex_decode(s, n, v->hash, 32) == -1)
			return err_set(why, ERR_INPUT, "not 64 lower-case hex "
			    "digits");
		return 0;
	case F_PROFILE:
		if (n == 0 || n > ENROLLDB_PROFILE_MAX)
			return err_set(why, ERR_INPUT, "not a profile name");
		for (i = 0; i < n; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
			    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
			    s[i] == '_' || s[i] == '-'))
				return err_set(why, ERR_INPUT, "not a profile "
				    "name");
		break;
	case F_STR:
		buf_init(&b);
		if (yamlq_get(s, n, &b, why) == -1) {
			buf_clear(&b);
			return -1;
		}
		if (b.len > ENROLLDB_TEXT_MAX) {
			buf_clear(&b);
			return err_set(why, ERR_INPUT, "longer than %d bytes",
			    ENROLLDB_TEXT_MAX);
		}
		v->str = (char *)buf_steal(&b, NULL);
		return 0;
	case F_UINT:
		v->num = 0;
		if (n == 0 || n > 7 || s[0] == '0')
			return err_set(why, ERR_INPUT, "not a number from 1 to "
			    "%d", ENROLLDB_USES_MAX);
		for (i = 0; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return err_set(why, ERR_INPUT, "not a number "
				    "from 1 to %d", ENROLLDB_USES_MAX);
			v->num = v->num * 10 + (unsigned long)(s[i] - '0');
		}
		if (v->num > ENROLLDB_USES_MAX)
			return err_set(why, ERR_INPUT, "not a number from 1 to "
			    "%d", ENROLLDB_USES_MAX);
		return 0;
	case F_TIME:
		if (ws_time_parse(s, n, &v->time) == -1)
			return err_set(why, ERR_INPUT, "not a time "
			    "YYYY-MM-DDTHH:MM:SSZ");
		return 0;
	case F_DER:
		/* Checked before decoding: base64 is 4 characters per 3. */
		if (n > (ENROLLDB_DER_MAX + 2) / 3 * 4)
			return err_set(why, ERR_INPUT, "more than %d bytes",
			    ENROLLDB_DER_MAX);
		if (b64_decode(s, n, &v->der, why) == -1)
			return -1;
		if (v->der.len == 0)
			return err_set(why, ERR_INPUT, "empty");
		return 0;
	}
	v->str = xstrndup(s, n);
	return 0;
}

static void
fvals_clear(struct fval *v)
{
	size_t i;

	for (i = 0; i < FV_MAX; i++) {
		free(v[i].str);
		buf_clear(&v[i].der);
	}
}

/* The line "key: value" from p to its newline nl: the key's length and
 * the value (not empty). */
static int
split_line(const char *p, const char *nl, const char **val, size_t *klen)
{
	const char *colon = memchr(p, ':', (size_t)(nl - p));

	if (colon == NULL || colon == p || colon + 2 >= nl || colon[1] != ' ')
		return -1;
	*klen = (size_t)(colon - p);
	*val = colon + 2;
	return 0;
}

/* Parses and applies the whole records in d[0..len) (the bytes of the
 * file from db->size on; at_start: from its beginning), advancing
 * db->size and db->line past each. An incomplete last record is left
 * unread (db->torn counts it). */
static int
enrolldb_parse_chunk(struct enrolldb *db, const char *d, size_t len,
    int at_start, struct err *e)
{
	const char *p = d, *end = d + len, *nl, *start, *val, *sumline;
	const struct rdef *rd;
	struct fval v[FV_MAX];
	struct err why;
	unsigned long line = db->line, recline;
	size_t ml = strlen(ENROLLDB_MAGIC), klen, i, j;
	int rc = -1, m;

	memset(v, 0, sizeof v);
	for (i = 0; i < FV_MAX; i++)
		buf_init(&v[i].der);
#define BAD(ln, ...) do { \
	char m_[300]; snprintf(m_, sizeof m_, __VA_ARGS__); \
	err_set(e, ERR_INPUT, "%s: line %lu: record %zu: %s", db->label, \
	    (unsigned long)(ln), db->nrecs + 1, m_); goto out; } while (0)
	if (at_start) {
		if (len < ml && memcmp(d, ENROLLDB_MAGIC, len) == 0) {
			/* A writer creating the file. */
			db->torn = len;
			return 0;
		}
		if (len < ml || memcmp(d, ENROLLDB_MAGIC, ml) != 0) {
			err_set(e, ERR_INPUT, "%s: line 1: not a minipki "
			    "enrollment store (no '%.*s' line)", db->label,
			    (int)ml - 1, ENROLLDB_MAGIC);
			goto out;
		}
		p += ml;
		line = 2;
		while (p < end && *p == '#' &&
		    (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			p = nl + 1;
			line++;
		}
		db->size += (uint64_t)(p - d);
		db->line = line;
	}
	while (p < end) {
		start = p;
		recline = line;
		if ((m = yamlrec_line(p, (size_t)(end - p), "---\n")) == 0)
			break;
		if (m == -1)
			BAD(line, "expected '---' (start of a record)");
		p += 4;
		line++;
		/* Find the record's end first: an incomplete one is torn.
		 * One that ends ("...") without its sum line is damage:
		 * the sum check below names what is wrong with it. */
		sumline = NULL;
		for (const char *q = p; ; q = nl + 1) {
			if ((nl = memchr(q, '\n', (size_t)(end - q))) == NULL)
				break;
			if (((size_t)(nl - q) > 5 && memcmp(q, "sum: ", 5) ==
			    0) || (nl - q == 3 && memcmp(q, "...", 3) == 0)) {
				sumline = q;
				break;
			}
		}
		if (sumline == NULL || (*sumline == 's' && yamlrec_line(nl + 1,
		    (size_t)(end - nl - 1), "...\n") == 0)) {
			p = start;
			break;
		}
		/* type first, then the fields in the table's order. */
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
		    split_line(p, nl, &val, &klen) == -1 || klen != 4 ||
		    memcmp(p, "type", 4) != 0)
			BAD(line, "expected 'type: ...'");
		rd = NULL;
		for (i = 0; i < sizeof rdefs / sizeof rdefs[0]; i++)
			if ((size_t)(nl - val) == strlen(rdefs[i].type) &&
			    memcmp(val, rdefs[i].type, (size_t)(nl - val)) == 0)
				rd = &rdefs[i];
		if (rd == NULL)
			BAD(line, "unknown type '%.*s'", (int)(nl - val > 40 ?
			    40 : nl - val), val);
		p = nl + 1;
		line++;
		j = 0;
		while (p < sumline) {
			nl = memchr(p, '\n', (size_t)(end - p));
			if (split_line(p, nl, &val, &klen) == -1)
				BAD(line, "expected 'key: value'");
			while (j < rd->nf && rd->f[j].optional &&
			    (strlen(rd->f[j].key) != klen ||
			    memcmp(rd->f[j].key, p, klen) != 0))
				j++;
			if (j == rd->nf || strlen(rd->f[j].key) != klen ||
			    memcmp(rd->f[j].key, p, klen) != 0)
				BAD(line, "unexpected field '%.*s' in a %s "
				    "record", (int)(klen > 40 ? 40 : klen), p,
				    rd->type);
			v[j].present = 1;
			v[j].line = line;
			if (fval_decode(&v[j], rd->f[j].kind, val,
			    (size_t)(nl - val), &why) == -1)
				BAD(line, "%s: %.200s", rd->f[j].key, why.msg);
			j++;
			p = nl + 1;
			line++;
		}
		for (; j < rd->nf; j++)
			if (!rd->f[j].optional)
				BAD(line, "no '%s' in a %s record", rd->f[j].key,
				    rd->type);
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl - p != 5 + 64)
			BAD(line, "bad checksum line");
		p = nl + 1;
		line++;
		if (yamlrec_line(p, (size_t)(end - p), "...\n") != 1)
			BAD(line, "no '...' end marker");
		p += 4;
		line++;
		if (!yamlrec_sum_ok(start, sumline))
			BAD(recline, "checksum does not match its contents "
			    "(the record was edited)");
		if (rd->apply(db, v, &why) == -1)
			BAD(recline, "%.200s", why.msg);
		fvals_clear(v);
		memset(v, 0, sizeof v);
		db->nrecs++;
		db->size += (uint64_t)(p - start);
		db->line = line;
	}
	db->torn = (uint64_t)(end - p);
	rc = 0;
out:
	fvals_clear(v);
	return rc;
#undef BAD
}

int
enrolldb_parse(struct enrolldb *db, const void *data, size_t len,
    const char *label, struct err *e)
{
	enrolldb_forget(db);
	free(db->label);
	db->label = xstrdup(label);
	if (len == 0)
		return 0;
	return enrolldb_parse_chunk(db, data, len, 1, e);
}

/* ---- The file ---- */

/* Reads what fd holds beyond db->size (all of it when the file is
 * another one or shorter than what was read). */
static int
enrolldb_read_fd(struct enrolldb *db, int fd, struct err *e)
{
	struct stat st;
	struct buf b;
	uint64_t want;
	ssize_t n;
	int rc = -1;

	buf_init(&b);
	if (fstat(fd, &st) == -1)
		return err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
	if ((uint64_t)st.st_ino != db->inode ||
	    (uint64_t)st.st_size < db->size) {
		enrolldb_forget(db);
		db->inode = (uint64_t)st.st_ino;
	}
	if ((uint64_t)st.st_size > ENROLLDB_FILE_MAX)
		return err_set(e, ERR_INPUT, "%s: larger than %lu bytes",
		    db->label, ENROLLDB_FILE_MAX);
	want = (uint64_t)st.st_size - db->size;
	if (want == 0) {
		db->torn = 0;
		return 0;
	}
	n = pread(fd, buf_reserve(&b, (size_t)want), (size_t)want,
	    (off_t)db->size);
	if (n == -1) {
		err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
		goto out;
	}
	b.len = (size_t)n;
	rc = enrolldb_parse_chunk(db, (const char *)b.data, b.len,
	    db->size == 0, e);
out:
	buf_clear(&b);
	return rc;
}

int
enrolldb_refresh(struct enrolldb *db, struct err *e)
{
	int fd, rc;

	if (db->fd != -1)
		return enrolldb_read_fd(db, db->fd, e);
	fd = open(db->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		if (errno != ENOENT)
			return err_set(e, ERR_IO, "%s: %s", db->label,
			    strerror(errno));
		enrolldb_forget(db);
		return 0;
	}
	rc = enrolldb_read_fd(db, fd, e);
	close(fd);
	return rc;
}

int
enrolldb_open(struct enrolldb *db, const struct ws *w, const char *ca,
    struct err *e)
{
	char *dir, *meta;
	int ok;

	enrolldb_clear(db);
	if (ws_check_name(ca, e) == -1)
		return -1;
	dir = ws_ca_dir(w, ca);
	meta = xasprintf("%s/ca.yaml", dir);
	ok = access(meta, F_OK) == 0;
	free(meta);
	db->path = xasprintf("%s/enroll.yaml", dir);
	db->lockpath = xasprintf("%s/enroll.lock", dir);
	db->label = xasprintf("ca/%s/enroll.yaml", ca);
	db->dir = dir;
	db->ca = xstrdup(ca);
	if (!ok)
		return err_set(e, ERR_USAGE, "no CA '%s'", ca);
	return enrolldb_refresh(db, e);
}

/* Whether the file fd holds exactly s[0..n) (a lock file's pid). */
static int
file_holds(int fd, const char *s, size_t n)
{
	char b[32];

	return n < sizeof b && pread(fd, b, sizeof b, 0) == (ssize_t)n &&
	    memcmp(b, s, n) == 0;
}

/* flock with a deadline: the service must not hang on a stopped CLI. */
static int
enrolldb_flock(struct enrolldb *db, struct err *e)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	char pidbuf[32];
	ssize_t n;
	int waited;

	for (waited = 0; flock(db->lockfd, LOCK_EX | LOCK_NB) == -1;
	    waited += 10) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return err_set(e, ERR_IO, "%s: %s", db->lockpath,
			    strerror(errno));
		if (waited >= ENROLLDB_LOCK_WAIT || db->nowait) {
			n = pread(db->lockfd, pidbuf, sizeof pidbuf - 1, 0);
			pidbuf[n > 0 ? n : 0] = '\0';
			return err_set(e, ERR_LOCKED, "%s is locked by another "
			    "process (pid %ld)", db->label,
			    strtol(pidbuf, NULL, 10));
		}
		nanosleep(&pause, NULL);
	}
	n = snprintf(pidbuf, sizeof pidbuf, "%ld\n", (long)getpid());
	/* Ours already (the service, again and again): no rewrite. */
	if (file_holds(db->lockfd, pidbuf, (size_t)n))
		return 0;
	if (ftruncate(db->lockfd, 0) == -1 ||
	    pwrite(db->lockfd, pidbuf, (size_t)n, 0) != n)
		return err_set(e, ERR_IO, "%s: %s", db->lockpath,
		    strerror(errno));
	return 0;
}

/* What the batch journal holds and a crash took from the file, written
 * again (db locked, before it is read) and audited. */
static int
enrolldb_replay(struct enrolldb *db, struct err *e)
{
	struct buf note;
	int r;

	if (db->dir == NULL)
		return 0;
	buf_init(&note);
	r = journal_replay(db->dir, JOURNAL_ENROLL, db->fd, db->path,
	    db->label, &note, e);
	if (r > 0 && audit_append_dir(db->dir, db->ca, "journal-replay",
	    (const char *)note.data, e) == -1)
		r = -1;
	buf_clear(&note);
	return r == -1 ? -1 : 0;
}

int
enrolldb_lock(struct enrolldb *db, struct err *e)
{
	struct buf h;
	int rc = -1;

	buf_init(&h);
	if (db->path == NULL || db->lockfd != -1)
		return err_set(e, ERR_USAGE, "%s: not opened, or locked "
		    "already", db->label ? db->label : "enrollment store");
	db->lockfd = db->idlelock != -1 ? db->idlelock : open(db->lockpath,
	    O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	db->idlelock = -1;
	if (db->lockfd == -1) {
		err_set(e, ERR_IO, "%s: %s", db->lockpath, strerror(errno));
		goto out;
	}
	if (enrolldb_flock(db, e) == -1)
		goto out;
	db->fd = open(db->path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (db->fd == -1) {
		err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
		goto out;
	}
	if (enrolldb_replay(db, e) == -1 ||
	    enrolldb_read_fd(db, db->fd, e) == -1)
		goto out;
	if (db->torn > 0) {
		/* A writer killed mid-append: nothing of it was
		 * acknowledged. */
		file_save_torn(db->path, db->fd, db->size);
		if (ftruncate(db->fd, (off_t)db->size) == -1) {
			err_set(e, ERR_IO, "%s: %s", db->label,
			    strerror(errno));
			goto out;
		}
		db->torn = 0;
	}
	if (db->size == 0) {
		/* New (or its header was torn): the header first, on disk
		 * with the file's name before any record is acknowledged. */
		buf_printf(&h, "%s# Enrollment tokens (hashed) and the approval "
		    "queue, appended: do not edit.\n", ENROLLDB_MAGIC);
		if (file_write_all(db->fd, h.data, h.len) == -1 ||
		    fdatasync(db->fd) == -1) {
			err_set(e, ERR_IO, "%s: %s", db->label,
			    strerror(errno));
			goto out;
		}
		if (file_sync_dir(db->path, e) == -1 ||
		    enrolldb_read_fd(db, db->fd, e) == -1)
			goto out;
	}
	rc = 0;
out:
	buf_clear(&h);
	if (rc == -1)
		enrolldb_unlock(db);
	return rc;
}

int
enrolldb_sync(struct enrolldb *db, struct err *e)
{
	if (db->fd == -1)
		return err_set(e, ERR_USAGE, "%s: not locked for writing",
		    db->label);
	if (fdatasync(db->fd) == -1) {
		/* What the batch wrote stays (not acknowledged, not lost);
		 * read it again. */
		err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
		enrolldb_forget(db);
		return -1;
	}
	return 0;
}

void
enrolldb_unlock(struct enrolldb *db)
{
	if (db->fd != -1)
		close(db->fd);
	/* Closing the descriptor releases the flock; a service (nowait)
	 * lets it go and keeps the descriptor for the next batch. */
	if (db->lockfd != -1 && db->nowait && db->idlelock == -1 &&
	    flock(db->lockfd, LOCK_UN) == 0)
		db->idlelock = db->lockfd;
	else if (db->lockfd != -1)
		close(db->lockfd);
	db->fd = db->lockfd = -1;
}

/* ---- Compaction ---- */

int
enrolldb_compact(struct enrolldb *db,
    int (*keep_token)(const struct enrolldb_token *, void *),
    int (*keep_req)(const struct enrolldb_req *, void *), void *ctx,
    struct err *e)
{
	const struct enrolldb_token *t;
	const struct enrolldb_req *r;
	const char *p, *end, *rs, *nl;
	char id[ENROLLDB_ID_LEN + 1];
	struct buf old, out;
	ssize_t n;
	int keep, rc = -1;

	buf_init(&old);
	buf_init(&out);
	if (db->fd == -1)
		return err_set(e, ERR_USAGE, "%s: not locked for writing",
		    db->label);
	n = pread(db->fd, buf_reserve(&old, (size_t)db->size), (size_t)db->size,
	    0);
	if (n != (ssize_t)db->size) {
		err_set(e, ERR_IO, "%s: %s", db->label, n == -1 ?
		    strerror(errno) : "short read");
		goto out;
	}
	p = (const char *)old.data;
	end = p + n;
	/* The header: everything before the first record. */
	while (p < end && *p == '#' && (nl = memchr(p, '\n',
	    (size_t)(end - p))) != NULL)
		p = nl + 1;
	buf_append(&out, old.data, (size_t)(p - (const char *)old.data));
	/* Records were checked by the read that got db->size: each starts
	 * "---\ntype: T\nid: ID\n" and ends with the line "...". */
	while (p < end) {
		rs = p;
		if ((nl = memmem(p, (size_t)(end - p), "\n...\n", 5)) == NULL)
			break;
		p = nl + 5;
		nl = memchr(rs + 4, '\n', (size_t)(p - rs - 4));
		if (nl == NULL || (size_t)(p - nl) < 5 + ENROLLDB_ID_LEN ||
		    memcmp(nl + 1, "id: ", 4) != 0)
			continue;
		memcpy(id, nl + 5, ENROLLDB_ID_LEN);
		id[ENROLLDB_ID_LEN] = '\0';
		if (memcmp(rs + 4, "type: token\n", 12) == 0 ||
		    memcmp(rs + 4, "type: use\n", 10) == 0 ||
		    memcmp(rs + 4, "type: revoke\n", 13) == 0)
			keep = (t = enrolldb_token(db, id)) != NULL &&
			    keep_token(t, ctx);
		else
			keep = (r = enrolldb_req(db, id)) != NULL &&
			    keep_req(r, ctx);
		if (keep)
			buf_append(&out, rs, (size_t)(p - rs));
	}
	if (file_write(db->path, out.data, out.len, 0600, 0, e) == -1)
		goto out;
	/* Our descriptor still holds the old file: move to the new one. */
	close(db->fd);
	db->fd = open(db->path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (db->fd == -1) {
		err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
		goto out;
	}
	enrolldb_forget(db);
	rc = enrolldb_read_fd(db, db->fd, e);
out:
	buf_clear(&old);
	buf_clear(&out);
	return rc;
}

/* ---- Appending ---- */

static void
rec_begin(struct buf *r, const char *type, const char *id)
{
	buf_printf(r, "---\ntype: %s\nid: %s\n", type, id);
}

static void
rec_str(struct buf *r, const char *key, const char *s)
{
	if (s == NULL)
		return;
	buf_printf(r, "%s: ", key);
	yamlq_put(r, s);
	buf_putc(r, '\n');
}

static void
rec_hex(struct buf *r, const char *key, const uint8_t *h, size_t n)
{
	buf_printf(r, "%s: ", key);
	hex_put(r, h, n);
	buf_putc(r, '\n');
}

static void
rec_der(struct buf *r, const char *key, const uint8_t *d, size_t n)
{
	buf_printf(r, "%s: ", key);
	b64_encode(d, n, 0, r);
	buf_putc(r, '\n');
}

/* Ends the record, checks it against the state (applying it), writes it
 * with one write(2) and syncs it. */
static int
rec_commit(struct enrolldb *db, struct buf *r, struct err *e)
{
	uint64_t before = db->size;
	int rc = -1;

	if (db->fd == -1) {
		err_set(e, ERR_USAGE, "%s: not locked for writing", db->label);
		goto out;
	}
	yamlrec_seal(r, 0);
	/* Our own record: what parsing refuses here (a decision on a
	 * request decided already) never reaches the file. */
	if (enrolldb_parse_chunk(db, (const char *)r->data, r->len, 0,
	    e) == -1)
		goto out;
	if (db->torn != 0) {
		err_set(e, ERR_USAGE, "%s: record incomplete", db->label);
		goto bad;
	}
	if (file_write_all(db->fd, r->data, r->len) == -1) {
		err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
		/* Take the partial record back out. */
		if (ftruncate(db->fd, (off_t)before) == -1)
			err_wrap(e, "and cutting it back failed");
		goto bad;
	}
	if (db->wal != NULL)
		journal_add(db->wal, JOURNAL_ENROLL, db->inode, before, r->data,
		    r->len);
	if (!db->defer_sync && fdatasync(db->fd) == -1) {
		/* The record stays (not acknowledged, not lost). */
		err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
		goto bad;
	}
	rc = 0;
	goto out;
bad:
	/* The state no longer matches the file: read it again. */
	enrolldb_forget(db);
out:
	buf_clear(r);
	return rc;
}

int
enrolldb_add_token(struct enrolldb *db, const struct enrolldb_token_rec *t,
    struct err *e)
{
	struct buf r;

	buf_init(&r);
	rec_begin(&r, "token", t->id);
	rec_hex(&r, "hash", t->hash, 32);
	buf_printf(&r, "profile: %s\n", t->profile);
	rec_str(&r, "match", t->match);
	buf_printf(&r, "uses: %lu\n", t->uses);
	yamlrec_time(&r, "created", t->created);
	yamlrec_time(&r, "expires", t->expires);
	return rec_commit(db, &r, e);
}

int
enrolldb_use(struct enrolldb *db, const char *id, int64_t when,
    const char *subject, struct err *e)
{
	struct buf r;

	buf_init(&r);
	rec_begin(&r, "use", id);
	yamlrec_time(&r, "time", when);
	rec_str(&r, "subject", subject);
	return rec_commit(db, &r, e);
}

int
enrolldb_revoke(struct enrolldb *db, const char *id, int64_t when,
    struct err *e)
{
	struct buf r;

	buf_init(&r);
	rec_begin(&r, "revoke", id);
	yamlrec_time(&r, "time", when);
	return rec_commit(db, &r, e);
}

int
enrolldb_add_req(struct enrolldb *db, const struct enrolldb_req_rec *q,
    struct err *e)
{
	struct buf r;

	buf_init(&r);
	rec_begin(&r, "request", q->id);
	yamlrec_time(&r, "time", q->time);
	yamlrec_time(&r, "expires", q->expires != 0 ? q->expires :
	    q->time + ENROLLDB_REQ_TTL);
	buf_printf(&r, "profile: %s\n", q->profile);
	rec_str(&r, "subject", q->subject);
	rec_str(&r, "name", q->name);
	rec_str(&r, "peer", q->peer);
	rec_str(&r, "why", q->why);
	rec_hex(&r, "key", q->key, 32);
	rec_der(&r, "csr", q->csr, q->csr_len);
	return rec_commit(db, &r, e);
}

int
enrolldb_approve(struct enrolldb *db, const char *id, int64_t when,
    const char *profile, struct err *e)
{
	struct buf r;

	buf_init(&r);
	rec_begin(&r, "approve", id);
	yamlrec_time(&r, "time", when);
	buf_printf(&r, "profile: %s\n", profile);
	return rec_commit(db, &r, e);
}

int
enrolldb_issue(struct enrolldb *db, const char *id, int64_t when,
    const char *serial, const uint8_t *cert, size_t cert_len, struct err *e)
{
	struct buf r;

	buf_init(&r);
	rec_begin(&r, "issue", id);
	yamlrec_time(&r, "time", when);
	buf_printf(&r, "serial: %s\n", serial);
	rec_der(&r, "cert", cert, cert_len);
	return rec_commit(db, &r, e);
}

int
enrolldb_issuing(struct enrolldb *db, const char *id, int64_t when,
    struct err *e)
{
	struct buf r;

	buf_init(&r);
	rec_begin(&r, "issuing", id);
	yamlrec_time(&r, "time", when);
	return rec_commit(db, &r, e);
}

int
enrolldb_reject(struct enrolldb *db, const char *id, int64_t when,
    const char *reason, struct err *e)
{
	struct buf r;

	buf_init(&r);
	rec_begin(&r, "reject", id);
	yamlrec_time(&r, "time", when);
	rec_str(&r, "reason", reason);
	return rec_commit(db, &r, e);
}
