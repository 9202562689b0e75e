/* audit.c — the hash-chained audit log; see audit.h. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "crypto/hex.h"
#include "store/audit.h"
#include "store/journal.h"
#include "store/yamlq.h"
#include "store/yamlrec.h"
#include "util/file.h"
#include "util/xalloc.h"

#define AUDIT_MAGIC "# minipki-audit 1\n"
#define AUDIT_FILE_MAX (UINT64_C(1) << 32)	/* largest log audit_read reads */

struct afield {
	const char *key, *val;
	size_t klen, vlen;
	unsigned long line;
};

/* The string in field x (a quoted scalar), or NULL with the reason in
 * why. Caller frees. */
static char *
quoted(const struct afield *x, struct err *why)
{
	struct buf b;

	buf_init(&b);
	if (yamlq_get(x->val, x->vlen, &b, why) == -1) {
		buf_clear(&b);
		return NULL;
	}
	return (char *)buf_steal(&b, NULL);
}

static char *
audit_path(const struct ws *w, const char *ca, const char *suffix)
{
	char *dir = ws_ca_dir(w, ca), *p;

	p = xasprintf("%s/audit.yaml%s", dir, suffix);
	free(dir);
	return p;
}

void
audit_log_init(struct audit_log *l)
{
	memset(l, 0, sizeof *l);
}

void
audit_log_clear(struct audit_log *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].user);
		free(l->v[i].from);
		free(l->v[i].details);
	}
	free(l->v);
	audit_log_init(l);
}

/* ---- reading ---- */

static const struct afield *
afield(const struct afield *f, size_t nf, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; i < nf; i++)
		if (f[i].klen == n && memcmp(f[i].key, key, n) == 0)
			return &f[i];
	return NULL;
}

#define AF_MAX 12

int
audit_parse(const void *data, size_t len, const char *label,
    struct audit_log *l, struct err *e)
{
	const char *d = data, *p, *end = d + len, *nl, *colon, *start;
	const char *sumline;
	struct afield f[AF_MAX];
	const struct afield *x;
	struct audit_rec r;
	struct err why;
	uint8_t prev[32];
	char prevhex[65];
	unsigned long line = 1, recline, seq;
	size_t nf, ml = strlen(AUDIT_MAGIC), i, cap = 0;
	int m;

	audit_log_clear(l);
	l->size = l->valid_end = len;
	if (len == 0)
		return 0;
	if (len < ml || memcmp(d, AUDIT_MAGIC, ml) != 0)
		return err_set(e, ERR_INPUT, "%s: line 1: not a minipki audit "
		    "log (no '%.*s' line)", label, (int)ml - 1, AUDIT_MAGIC);
	p = d + ml;
	line = 2;
	while (p < end && *p == '#') {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		p = nl + 1;
		line++;
	}
	memset(prev, 0, sizeof prev);
#define BAD(ln, ...) do { \
	char m_[256]; snprintf(m_, sizeof m_, __VA_ARGS__); \
	return err_set(e, ERR_INPUT, "%s: line %lu: record %zu: %s", label, \
	    (unsigned long)(ln), l->n + 1, m_); } while (0)
	while (p < end) {
		start = p;
		recline = line;
		if ((m = yamlrec_line(p, (size_t)(end - p), "---\n")) == 0)
			goto torn;
		if (m == -1)
			BAD(line, "expected '---' (start of a record)");
		p += 4;
		line++;
		nf = 0;
		sumline = NULL;
		for (;;) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				goto torn;
			if ((colon = memchr(p, ':', (size_t)(nl - p))) ==
			    NULL || colon == p || colon + 1 >= nl ||
			    colon[1] != ' ')
				BAD(line, "expected 'key: value'");
			if (colon - p == 3 && memcmp(p, "sum", 3) == 0) {
				sumline = p;
				break;
			}
			if (nf == AF_MAX)
				BAD(line, "too many fields");
			f[nf].key = p;
			f[nf].klen = (size_t)(colon - p);
			f[nf].val = colon + 2;
			f[nf].vlen = (size_t)(nl - colon - 2);
			f[nf].line = line;
			nf++;
			p = nl + 1;
			line++;
		}
		if (nl - sumline != 5 + 64)
			BAD(line, "bad checksum line");
		p = nl + 1;
		line++;
		if ((m = yamlrec_line(p, (size_t)(end - p), "...\n")) == 0)
			goto torn;
		if (m == -1)
			BAD(line, "no '...' end marker");
		p += 4;
		line++;
		if (!yamlrec_sum_ok(start, sumline))
			BAD(recline, "checksum does not match its contents "
			    "(the record was edited)");
		memset(&r, 0, sizeof r);
		r.line = recline;
		if ((x = afield(f, nf, "seq")) == NULL)
			BAD(recline, "no 'seq'");
		seq = 0;
		for (i = 0; i < x->vlen; i++) {
			if (x->val[i] < '0' || x->val[i] > '9' || i > 15)
				BAD(x->line, "seq: not a number");
			seq = seq * 10 + (unsigned long)(x->val[i] - '0');
		}
		if (seq != l->n + 1)
			BAD(x->line, "seq is %lu, expected %zu (a record was "
			    "removed or moved)", seq, l->n + 1);
		r.seq = seq;
		if ((x = afield(f, nf, "prev")) == NULL || x->vlen != 64)
			BAD(recline, "no 'prev' of 64 hex digits");
		hex_encode(prev, 32, prevhex);
		if (memcmp(x->val, prevhex, 64) != 0)
			BAD(x->line, "prev does not match the SHA-256 of the "
			    "record before it (a record was removed or "
			    "edited)");
		if ((x = afield(f, nf, "time")) == NULL || x->vlen == 0 ||
		    x->vlen >= sizeof r.time)
			BAD(recline, "no 'time'");
		memcpy(r.time, x->val, x->vlen);
		if ((x = afield(f, nf, "action")) == NULL || x->vlen == 0 ||
		    x->vlen >= sizeof r.action)
			BAD(recline, "no 'action'");
		memcpy(r.action, x->val, x->vlen);
		if ((x = afield(f, nf, "user")) == NULL)
			BAD(recline, "no 'user'");
		if ((r.user = quoted(x, &why)) == NULL)
			BAD(x->line, "user: %.200s", why.msg);
		if ((x = afield(f, nf, "details")) == NULL) {
			free(r.user);
			BAD(recline, "no 'details'");
		}
		if ((r.details = quoted(x, &why)) == NULL) {
			free(r.user);
			BAD(x->line, "details: %.200s", why.msg);
		}
		if ((x = afield(f, nf, "from")) != NULL &&
		    (r.from = quoted(x, &why)) == NULL) {
			free(r.user);
			free(r.details);
			BAD(x->line, "from: %.200s", why.msg);
		}
		hash_sha256(start, (size_t)(p - start), prev);
		if (l->n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			l->v = xreallocarray(l->v, cap, sizeof *l->v);
		}
		l->v[l->n++] = r;
	}
	return 0;
torn:
	/* An incomplete record with nothing after it: a crash mid-append. */
	l->valid_end = (uint64_t)(start - d);
	return 0;
#undef BAD
}

static int
read_all(int fd, const char *label, struct buf *b, struct err *e)
{
	ssize_t n;

	for (;;) {
		if (b->len >= AUDIT_FILE_MAX)
			return err_set(e, ERR_INPUT, "%s: larger than %llu "
			    "bytes", label, (unsigned long long)AUDIT_FILE_MAX);
		n = read(fd, buf_reserve(b, 65536), 65536);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return err_set(e, ERR_IO, "%s: %s", label,
			    strerror(errno));
		}
		if (n == 0)
			return 0;
		b->len += (size_t)n;
	}
}

int
audit_read(const struct ws *w, const char *ca, struct audit_log *l,
    struct err *e)
{
	char *path = NULL, *label = NULL;
	struct buf b;
	int fd = -1, rc = -1;

	buf_init(&b);
	audit_log_clear(l);
	if (ws_check_name(ca, e) == -1)
		return -1;
	path = audit_path(w, ca, "");
	label = xasprintf("ca/%s/audit.yaml", ca);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			rc = 0;
		else
			err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
		goto out;
	}
	if (read_all(fd, label, &b, e) == -1)
		goto out;
	rc = audit_parse(b.data, b.len, label, l, e);
out:
	if (fd != -1)
		close(fd);
	buf_clear(&b);
	free(path);
	free(label);
	return rc;
}

/* ---- writing ---- */

/* Whether the record [rs, end) (from "---" to "...\n") carries a sum line
 * that matches its contents. */
static int
sum_ok(const char *rs, const char *end)
{
	const char *sl = end - 4 - (5 + 64 + 1);

	if (sl <= rs || sl[-1] != '\n' || memcmp(sl, "sum: ", 5) != 0)
		return 0;
	return yamlrec_sum_ok(rs, sl);
}

/* The error for a last record (at off) that fails its sum, in ca check's
 * words: its line and number are counted from the start (rare: an edit). */
static void
tail_error(int fd, const char *label, uint64_t off, struct err *e)
{
	char chunk[65536];
	unsigned long line = 1, col = 0;
	size_t nrec = 0, i, want;
	uint64_t at = 0;
	ssize_t n;
	int dashes = 1;

	for (; at < off; at += (uint64_t)n) {
		want = off - at < sizeof chunk ? (size_t)(off - at) :
		    sizeof chunk;
		if ((n = pread(fd, chunk, want, (off_t)at)) <= 0)
			break;
		/* Records start with a line "---". */
		for (i = 0; i < (size_t)n; i++) {
			if (chunk[i] != '\n') {
				dashes &= chunk[i] == '-';
				col++;
				continue;
			}
			nrec += dashes && col == 3;
			line++;
			col = 0;
			dashes = 1;
		}
	}
	if (at < off)
		err_set(e, ERR_INPUT, "%s: offset %llu: the last record's "
		    "checksum does not match its contents (the record was "
		    "edited)", label, (unsigned long long)off);
	else
		err_set(e, ERR_INPUT, "%s: line %lu: record %zu: checksum does "
		    "not match its contents (the record was edited)", label,
		    line, nrec + 1);
}

/* Finds the last complete record in the file's tail: its seq and SHA-256
 * (zeros and 0 when there is none), and where the valid part ends. That
 * record must match its own sum: the next one is chained to it (the rest
 * of the chain is ca check's: audit_read). */
static int
tail_state(int fd, const char *label, uint64_t size, unsigned long *seq,
    uint8_t prev[32], uint64_t *valid_end, struct err *e)
{
	size_t want = size < 2 * AUDIT_RECORD_MAX ? (size_t)size :
	    2 * AUDIT_RECORD_MAX, i, endpos, ml = strlen(AUDIT_MAGIC);
	uint64_t base = size - want;
	char *t = xmalloc(want + 1), *s, *rs = NULL;
	ssize_t n;
	int rc = -1;

	*seq = 0;
	memset(prev, 0, 32);
	*valid_end = size;
	if ((n = pread(fd, t, want, (off_t)base)) != (ssize_t)want) {
		err_set(e, ERR_IO, "%s: %s", label, n == -1 ? strerror(errno) :
		    "short read");
		goto out;
	}
	t[want] = '\0';
	/* The valid part ends after the last "\n...\n" (or the header). */
	endpos = 0;
	for (i = want; i >= 5; i--)
		if (memcmp(t + i - 5, "\n...\n", 5) == 0) {
			endpos = i;
			break;
		}
	if (endpos == 0) {
		/* No complete record in the tail: only the header (and
		 * comments) may precede. */
		if (base != 0) {
			err_set(e, ERR_INPUT, "%s: no complete record in the "
			    "last %zu bytes", label, want);
			goto out;
		}
		for (i = ml; i < want && t[i] == '#'; ) {
			s = memchr(t + i, '\n', want - i);
			if (s == NULL)
				break;
			i = (size_t)(s - t) + 1;
		}
		*valid_end = i;
		rc = 0;
		goto out;
	}
	*valid_end = base + endpos;
	/* The start of that record: the last "---\n" at a line start. */
	for (i = endpos - 4; i > 0; i--)
		if (t[i - 1] == '\n' && memcmp(t + i, "---\n", 4) == 0) {
			rs = t + i;
			break;
		}
	if (rs == NULL) {
		err_set(e, ERR_INPUT, "%s: the last record has no start",
		    label);
		goto out;
	}
	/* Chain on from it only as it was written: its own sum first. */
	if (!sum_ok(rs, t + endpos)) {
		tail_error(fd, label, base + (uint64_t)(rs - t), e);
		goto out;
	}
	hash_sha256(rs, (size_t)(t + endpos - rs), prev);
	s = strstr(rs, "\nseq: ");
	if (s == NULL || s > t + endpos) {
		err_set(e, ERR_INPUT, "%s: the last record has no seq", label);
		goto out;
	}
	*seq = strtoul(s + 6, NULL, 10);
	rc = 0;
out:
	free(t);
	return rc;
}

/* The account name, looked up once per process and effective uid (a
 * lookup reads /etc/passwd). */
static void
local_user(char *out, size_t outlen)
{
	static char name[256];
	static uid_t uid;
	static int known;
	struct passwd *pw;

	if (!known || uid != geteuid()) {
		uid = geteuid();
		pw = getpwuid(uid);
		if (pw != NULL && pw->pw_name != NULL)
			snprintf(name, sizeof name, "%s", pw->pw_name);
		else
			snprintf(name, sizeof name, "uid %lu",
			    (unsigned long)uid);
		known = 1;
	}
	snprintf(out, outlen, "%s", name);
}

/* "ADDR PORT" from SSH_CONNECTION ("client_ip client_port server_ip
 * server_port"), only when it looks like that. */
static int
ssh_from(char *out, size_t outlen)
{
	const char *s = getenv("SSH_CONNECTION"), *sp;
	size_t i, n;

	if (s == NULL || (sp = strchr(s, ' ')) == NULL)
		return 0;
	if ((sp = strchr(sp + 1, ' ')) == NULL)
		sp = s + strlen(s);
	n = (size_t)(sp - s);
	if (n == 0 || n >= outlen || n > 80)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F') ||
		    s[i] == '.' || s[i] == ':' || s[i] == ' ' || s[i] == '%'))
			return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

static int
open_log(const char *path, const char *label, uint64_t *size, struct err *e)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1 || fstat(fd, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	*size = (uint64_t)st.st_size;
	/* Just created (or empty): its name must reach the disk before the
	 * first record is acknowledged. */
	if (st.st_size == 0 && file_sync_dir(path, e) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The log this process appended to last, kept open: a service appends
 * several records a second. While the file is as this process left it
 * (same inode at the path, same size and mtime after its flock), the next
 * record chains on the remembered seq and hash instead of reading the
 * tail again; anything else (another writer, a torn tail cut off, a new
 * file) reads the tail as on first use. Dropped in a forked child: its
 * copy of the descriptor would share the parent's flock. */
static struct {
	char *path;
	int fd;
	pid_t pid;
	dev_t dev;
	ino_t ino;
	int known;		/* end, mtime, seq, prev hold */
	uint64_t end;
	struct timespec mtime;
	unsigned long seq;
	uint8_t prev[32];
} ah = { NULL, -1, 0, 0, 0, 0, 0, { 0, 0 }, 0, { 0 } };

static void
ah_drop(void)
{
	if (ah.fd != -1 && ah.pid == getpid())
		close(ah.fd);
	free(ah.path);
	ah.path = NULL;
	ah.fd = -1;
	ah.known = 0;
}

/* The descriptor of path, kept or opened (then *fresh is set). */
static int
ah_open(const char *path, const char *label, int *fresh, struct err *e)
{
	struct stat st, fst;
	uint64_t size;
	int fd;

	*fresh = 0;
	/* The same file still at path: not one removed (its inode number
	 * may be reused at once) and made again. */
	if (ah.fd != -1 && ah.pid == getpid() && strcmp(ah.path, path) == 0 &&
	    stat(path, &st) == 0 && st.st_dev == ah.dev &&
	    st.st_ino == ah.ino && fstat(ah.fd, &fst) == 0 &&
	    fst.st_nlink > 0)
		return ah.fd;
	ah_drop();
	if ((fd = open_log(path, label, &size, e)) == -1)
		return -1;
	if (fstat(fd, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
		close(fd);
		return -1;
	}
	ah.path = xstrdup(path);
	ah.fd = fd;
	ah.pid = getpid();
	ah.dev = st.st_dev;
	ah.ino = st.st_ino;
	*fresh = 1;
	return fd;
}

static int
ah_same(const struct stat *st)
{
	return ah.known && (uint64_t)st->st_size == ah.end &&
	    st->st_mtim.tv_sec == ah.mtime.tv_sec &&
	    st->st_mtim.tv_nsec == ah.mtime.tv_nsec;
}

int
audit_append(const struct ws *w, const char *ca, const char *action,
    const char *details, struct err *e)
{
	return audit_append_flags(w, ca, action, details, 0, e);
}

/* The batch journal of the CA service while it gathers a batch
 * (audit_set_journal), else NULL. */
static struct journal *audit_wal;

void
audit_set_journal(struct journal *j)
{
	audit_wal = j;
}

/* One record (seq, prev) into rec. */
static void
audit_rec(struct buf *rec, unsigned long seq, const char *now,
    const char *user, const char *from, const char *action, const char *ca,
    const char *details, const uint8_t prev[32])
{
	char hex[65];
	size_t start = rec->len;

	buf_printf(rec, "---\nseq: %lu\ntime: %s\nuser: ", seq, now);
	yamlq_put(rec, user);
	if (from != NULL) {
		buf_puts(rec, "\nfrom: ");
		yamlq_put(rec, from);
	}
	buf_printf(rec, "\naction: %s\nca: ", action);
	yamlq_put(rec, ca);
	buf_puts(rec, "\ndetails: ");
	yamlq_put(rec, details);
	hex_encode(prev, 32, hex);
	buf_printf(rec, "\nprev: %s\n", hex);
	yamlrec_seal(rec, start);
}

/* audit_append_flags on ca/CA/audit.yaml at path (label) in the CA's
 * directory dir. */
static int
append_at(const char *dir, const char *path, const char *label,
    const char *ca, const char *action, const char *details, int flags,
    struct err *e)
{
	char user[256], from[96], now[WS_TIME_LEN];
	uint8_t prev[32];
	uint64_t size, valid_end, at;
	unsigned long seq;
	struct buf rec, note;
	struct stat st;
	size_t i, first = 0;
	int fd = -1, rc = -1, fresh, locked = 0, hasfrom;

	buf_init(&rec);
	buf_init(&note);
	for (i = 0; action[i] != '\0'; i++)
		if (!((action[i] >= 'a' && action[i] <= 'z') ||
		    action[i] == '-') || i >= 31)
			return err_set(e, ERR_USAGE, "audit action '%s': want "
			    "a-z and '-'", action);
	if (i == 0 || strlen(details) > AUDIT_DETAILS_MAX)
		return err_set(e, ERR_USAGE, "audit details longer than %d "
		    "bytes", AUDIT_DETAILS_MAX);
	if ((fd = ah_open(path, label, &fresh, e)) == -1)
		goto out;
	/* Writers of other stores (enroll.yaml) append without the CA
	 * lock: the tail read and the write must not interleave. */
	if (flock(fd, LOCK_EX) == -1) {
		err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
		ah_drop();
		fd = -1;
		goto out;
	}
	locked = 1;
	if (fstat(fd, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
		goto out;
	}
	size = (uint64_t)st.st_size;
	if (fresh || !ah_same(&st)) {
		/* Not as this process left it: what a crash lost of the
		 * service's last batches first (journal.h). */
		if (journal_replay(dir, JOURNAL_AUDIT, fd, path, label, &note,
		    e) == -1)
			goto out;
		if (fstat(fd, &st) == -1) {
			err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
			goto out;
		}
		size = (uint64_t)st.st_size;
	}
	if (size == 0) {
		ah.known = 0;
		buf_printf(&rec, "%s# Every action on CA '%s', appended and "
		    "hash-chained: do not edit.\n", AUDIT_MAGIC, ca);
		if (file_write_all(fd, rec.data, rec.len) == -1) {
			err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
			goto out;
		}
		if (audit_wal != NULL)
			journal_add(audit_wal, JOURNAL_AUDIT,
			    (uint64_t)st.st_ino, 0, rec.data, rec.len);
		rec.len = 0;
		size = (uint64_t)lseek(fd, 0, SEEK_END);
	}
	if (!fresh && ah_same(&st)) {
		/* As this process left it: chain on what it wrote. */
		seq = ah.seq;
		memcpy(prev, ah.prev, 32);
	} else {
		ah.known = 0;
		if (tail_state(fd, label, size, &seq, prev, &valid_end,
		    e) == -1)
			goto out;
		if (valid_end < size) {
			file_save_torn(path, fd, valid_end);
			if (ftruncate(fd, (off_t)valid_end) == -1) {
				err_set(e, ERR_IO, "%s: %s", label,
				    strerror(errno));
				goto out;
			}
			size = valid_end;
		}
	}
	ah.known = 0;
	local_user(user, sizeof user);
	hasfrom = ssh_from(from, sizeof from);
	ws_time_format((int64_t)time(NULL), now);
	if (note.len > 0) {
		/* The replay, said in the log it completed. */
		buf_putc(&note, '\0');
		if (note.len > AUDIT_DETAILS_MAX)
			note.data[AUDIT_DETAILS_MAX] = '\0';
		audit_rec(&rec, ++seq, now, user, hasfrom ? from : NULL,
		    "journal-replay", ca, (const char *)note.data, prev);
		hash_sha256(rec.data, rec.len, prev);
		first = rec.len;
	}
	audit_rec(&rec, ++seq, now, user, hasfrom ? from : NULL, action, ca,
	    details, prev);
	at = size;
	if (file_write_all(fd, rec.data, rec.len) == -1 ||
	    (!(flags & AUDIT_NOSYNC) && fdatasync(fd) == -1)) {
		err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
		goto out;
	}
	if (audit_wal != NULL)
		journal_add(audit_wal, JOURNAL_AUDIT, (uint64_t)st.st_ino, at,
		    rec.data, rec.len);
	/* What the next record chains on, while the file stays so. */
	if (fstat(fd, &st) == 0) {
		ah.seq = seq;
		hash_sha256(rec.data + first, rec.len - first, ah.prev);
		ah.end = (uint64_t)st.st_size;
		ah.mtime = st.st_mtim;
		ah.known = 1;
	}
	rc = 0;
out:
	if (locked)
		(void)flock(fd, LOCK_UN);
	buf_clear(&rec);
	buf_clear(&note);
	return rc;
}

int
audit_append_flags(const struct ws *w, const char *ca, const char *action,
    const char *details, int flags, struct err *e)
{
	char *dir, *path, *label;
	int rc;

	if (ws_check_name(ca, e) == -1)
		return -1;
	dir = ws_ca_dir(w, ca);
	path = xasprintf("%s/audit.yaml", dir);
	label = xasprintf("ca/%s/audit.yaml", ca);
	rc = append_at(dir, path, label, ca, action, details, flags, e);
	free(dir);
	free(path);
	free(label);
	return rc;
}

int
audit_append_dir(const char *dir, const char *ca, const char *action,
    const char *details, struct err *e)
{
	char *path, *label;
	int rc;

	path = xasprintf("%s/audit.yaml", dir);
	label = xasprintf("ca/%s/audit.yaml", ca);
	rc = append_at(dir, path, label, ca, action, details, 0, e);
	free(path);
	free(label);
	return rc;
}

int
audit_replay(const struct ws *w, const char *ca, struct err *e)
{
	char *dir, *path, *label;
	struct buf note;
	int fd, rc = -1, r;

	if (ws_check_name(ca, e) == -1)
		return -1;
	buf_init(&note);
	dir = ws_ca_dir(w, ca);
	path = xasprintf("%s/audit.yaml", dir);
	label = xasprintf("ca/%s/audit.yaml", ca);
	fd = open(path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		rc = errno == ENOENT ? 0 : err_set(e, ERR_IO, "%s: %s", label,
		    strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX) == -1) {
		err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
		goto out;
	}
	r = journal_replay(dir, JOURNAL_AUDIT, fd, path, label, &note, e);
	(void)flock(fd, LOCK_UN);
	if (r == -1)
		goto out;
	rc = r;
	/* Said in the log (append_at, which finds nothing more to do). */
	if (r > 0 && append_at(dir, path, label, ca, "journal-replay",
	    (const char *)note.data, 0, e) == -1)
		rc = -1;
out:
	if (fd != -1)
		close(fd);
	buf_clear(&note);
	free(dir);
	free(path);
	free(label);
	return rc;
}

int
audit_sync(const struct ws *w, const char *ca, struct err *e)
{
	char *path = audit_path(w, ca, "");
	int fd, rc = 0;

	if (ah.fd != -1 && ah.pid == getpid() && strcmp(ah.path, path) == 0) {
		if (fdatasync(ah.fd) == -1)
			rc = err_set(e, ERR_IO, "%s: %s", path,
			    strerror(errno));
		free(path);
		return rc;
	}
	/* fdatasync on any descriptor of the file flushes its data. */
	if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) == -1 ||
	    fdatasync(fd) == -1)
		rc = err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	free(path);
	return rc;
}

int
audit_repair(const struct ws *w, const char *ca, struct err *e)
{
	char *path = NULL, *label = NULL;
	struct audit_log l;
	struct buf b;
	uint64_t size;
	int fd = -1, rc = -1;

	audit_log_init(&l);
	buf_init(&b);
	if (ws_check_name(ca, e) == -1)
		return -1;
	path = audit_path(w, ca, "");
	label = xasprintf("ca/%s/audit.yaml", ca);
	if (access(path, F_OK) == -1) {
		rc = 0;
		goto out;
	}
	if ((fd = open_log(path, label, &size, e)) == -1 ||
	    read_all(fd, label, &b, e) == -1 ||
	    audit_parse(b.data, b.len, label, &l, e) == -1)
		goto out;
	rc = 0;
	if (l.valid_end < l.size) {
		file_save_torn(path, fd, l.valid_end);
		if (ftruncate(fd, (off_t)l.valid_end) == -1 ||
		    fsync(fd) == -1) {
			rc = err_set(e, ERR_IO, "%s: %s", label,
			    strerror(errno));
			goto out;
		}
		rc = 1;
	}
out:
	if (fd != -1)
		close(fd);
	audit_log_clear(&l);
	buf_clear(&b);
	free(path);
	free(label);
	return rc;
}
