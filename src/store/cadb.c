/* cadb.c — the append-only certificate database: opening (from
 * certs.idx, certs.snap or every record), the lock, appending records,
 * verification, creation and ca.yaml; see cadb.h. The records are read
 * by cadbrec.c; the formats are in store/FORMATS.md. */
#include <errno.h>
#include <fcntl.h>
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
#include "store/audit.h"
#include "store/cadb.h"
#include "store/cadbidx.h"
#include "store/cadbpriv.h"
#include "store/cadbsnap.h"
#include "store/journal.h"
#include "store/yamlq.h"
#include "store/yamlrec.h"
#include "store/yamlr.h"
#include "store/yamlw.h"
#include "util/file.h"
#include "util/xalloc.h"


void
cadb_init(struct cadb *db)
{
	memset(db, 0, sizeof *db);
	buf_init(&db->data);
	db->fd = -1;
	db->lockfd = -1;
	db->idlefd = -1;
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

void
cadb_clear(struct cadb *db)
{
	size_t i;

	free(db->certs);
	cadbstr_free(db);
	for (i = 0; i < db->nwarnings; i++)
		free(db->warnings[i]);
	free(db->warnings);
	cadbserial_free(db);
	free(db->name);
	free(db->label);
	free(db->snap_path);
	free(db->idx_path);
	free(db->dir);
	if (db->idx != NULL)
		cadbidx_clear(db->idx);
	free(db->idx);
	buf_clear(&db->data);
	if (db->fd != -1)
		close(db->fd);
	/* Closing the last descriptor releases the flock. */
	if (db->lockfd != -1)
		close(db->lockfd);
	if (db->idlefd != -1)
		close(db->idlefd);
	cadb_init(db);
}

void
cadb_warn(struct cadb *db, const char *fmt, ...)
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

const struct cadb_cert *
cadb_find(const struct cadb *db, const char *serial)
{
	char s[CADB_SERIAL_MAX + 1];
	long k;

	if (cadbserial_norm(serial, s) == -1)
		return NULL;
	k = cadbserial_find(db, s, strlen(s));
	return k < 0 ? NULL : &db->certs[k];
}

int
cadb_has_serial(const struct cadb *db, const char *serial)
{
	char s[CADB_SERIAL_MAX + 1];

	if (cadb_find(db, serial) != NULL)
		return 1;
	if (!db->append_only || cadbserial_norm(serial, s) == -1)
		return 0;
	/* A key found may be another serial's, and a table that cannot be
	 * read answers -1: both count as taken, which only makes ca_issue
	 * draw another serial. */
	return cadbidx_has(db->idx, cadbserial_key(s, strlen(s))) != 0;
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

void
cadb_reset(struct cadb *db)
{
	db->ncerts = 0;
	db->nevents = 0;
	db->crl_number = 0;
	db->crl_this_update = db->crl_next_update = 0;
	db->snap_covers = 0;
	cadbstr_free(db);
	cadbserial_empty(db);
}

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

int
cadb_parse(struct cadb *db, const void *data, size_t len, const char *label,
    struct err *e)
{
	struct cadbrec_reader r = { .fd = -1, .eof = 1 };
	uint64_t end;
	unsigned long lines;

	cadb_clear(db);
	db->label = xstrdup(label);
	buf_append(&db->data, data, len);
	r.label = db->label;
	r.win = (char *)db->data.data;
	r.len = r.cap = len;
	if (cadbrec_read(db, &r, &end, &lines, e) == -1) {
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
	char *path = xasprintf("%s/lock", dir), pidbuf[32], held[32];
	ssize_t n;
	long pid;
	int rc = -1;

	/* The one cadb_unlock kept (the service, batch after batch). */
	db->lockfd = db->idlefd != -1 ? db->idlefd : open(path, O_RDWR |
	    O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	db->idlefd = -1;
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
	/* Ours already (the service takes it again and again): as it is. */
	if (pread(db->lockfd, held, sizeof held, 0) == n &&
	    memcmp(held, pidbuf, (size_t)n) == 0) {
		rc = 0;
		goto out;
	}
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
load(struct cadb *db, struct cadbrec_reader *r, const struct stat *st, int append,
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
	return cadbrec_read(db, r, end, lines, e);
}

/* What the batch journal holds and a crash took from certs.yaml, written
 * again (db locked, nothing read yet), warned and audited. */
static int
replay(struct cadb *db, const char *dir, const char *path, struct err *e)
{
	struct buf note;
	struct err e2;
	int r;

	buf_init(&note);
	r = journal_replay(dir, JOURNAL_CERTS, db->fd, path, db->label, &note,
	    e);
	if (note.len > 0)
		cadb_warn(db, "%s", (const char *)note.data);
	err_clear(&e2);
	if (r > 0 && audit_append_dir(dir, db->name, "journal-replay",
	    (const char *)note.data, &e2) == -1)
		cadb_warn(db, "the audit record of the replay: %s", e2.msg);
	buf_clear(&note);
	return r == -1 ? -1 : 0;
}

/* cadb_open of ca/NAME/ in dir (both the caller's: not db's). */
static int
open_dir(struct cadb *db, const char *dir, const char *name, int flags,
    struct err *e)
{
	struct cadbrec_reader r = { .fd = -1 };
	char *path = NULL;
	uint64_t end;
	unsigned long lines;
	struct stat st;
	int rc = -1, append = (flags & CADB_APPEND) && (flags & CADB_WRITE);
	int snap;

	cadb_clear(db);
	path = xasprintf("%s/certs.yaml", dir);
	db->name = xstrdup(name);
	db->dir = xstrdup(dir);
	db->flags = flags;
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
	if ((flags & CADB_WRITE) && replay(db, dir, path, e) == -1)
		goto out;
	if (fstat(db->fd, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	db->snap_path = xasprintf("%s/certs.snap", dir);
	db->idx_path = xasprintf("%s/certs.idx", dir);
	r.fd = db->fd;
	r.label = db->label;
	r.cap = CADBREC_WINDOW;
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
		cadb_warn(db, "%s: the incomplete record was removed (kept in "
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
	free(path);
	return rc;
}

int
cadb_open(struct cadb *db, const struct ws *w, const char *name, int flags,
    struct err *e)
{
	char *dir;
	int rc;

	cadb_clear(db);
	if (ws_check_name(name, e) == -1)
		return -1;
	dir = ws_ca_dir(w, name);
	rc = open_dir(db, dir, name, flags, e);
	free(dir);
	return rc;
}

/* ---- Keeping a handle: the records appended since ---- */

#define TAIL_WINDOW (64 * 1024)	/* first window of a tail read */

/* Reads the records after db->size into db: 1 done (*end the end of the
 * last whole one, *size the file's size), 0 when the tail cannot bring
 * db up to date (certs.yaml replaced or cut, a record needing more than
 * certs.idx tells, an append handle grown to cadbsnap_min beyond it),
 * -1 on damage or I/O: db's state is then partly applied. */
static int
tail_read(struct cadb *db, uint64_t *end, uint64_t *size, struct err *e)
{
	struct cadbrec_reader r = { .fd = -1 };
	struct stat st, pst;
	unsigned long lines = db->next_line;
	char *path = xasprintf("%s/certs.yaml", db->dir);
	int rc = -1;

	if (lstat(path, &pst) == -1 || fstat(db->fd, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
	*size = (uint64_t)st.st_size;
	if (pst.st_ino != st.st_ino || pst.st_dev != st.st_dev ||
	    *size < db->size || db->need_full || db->broken)
		goto out;
	if (db->append_only && db->idx != NULL &&
	    *size - db->idx->covers >= cadbsnap_min)
		goto out;
	rc = 1;
	*end = db->size;
	if (*size == db->size)
		goto out;
	if (lseek(db->fd, (off_t)db->size, SEEK_SET) == -1) {
		rc = err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
		goto out;
	}
	r.fd = db->fd;
	r.label = db->label;
	r.base = db->size;
	r.cap = TAIL_WINDOW;
	r.win = xmalloc(r.cap);
	if (cadbrec_read(db, &r, end, &lines, e) == -1)
		rc = db->need_full ? 0 : -1;
	else
		db->next_line = lines;
	free(r.win);
out:
	free(path);
	return rc;
}

static void
drop_warnings(struct cadb *db)
{
	size_t i;

	for (i = 0; i < db->nwarnings; i++)
		free(db->warnings[i]);
	db->nwarnings = 0;
}

/* cadb_open again with db's own name, directory and flags. */
static int
reopen(struct cadb *db, struct err *e)
{
	char *dir = db->dir, *name = db->name;
	int flags = db->flags, rc;

	db->dir = db->name = NULL;
	rc = open_dir(db, dir, name, flags, e);
	/* A full open stood in for certs.idx and wrote it: once more, to
	 * keep only the records after it. */
	if (rc == 0 && (flags & CADB_APPEND) && !db->append_only)
		rc = open_dir(db, dir, name, flags, e);
	free(dir);
	free(name);
	return rc;
}

void
cadb_unlock(struct cadb *db)
{
	if (db->lockfd == -1)
		return;
	/* Let go, the descriptor kept for cadb_relock. */
	if (flock(db->lockfd, LOCK_UN) == 0 && db->idlefd == -1)
		db->idlefd = db->lockfd;
	else
		close(db->lockfd);
	db->lockfd = -1;
}

int
cadb_relock(struct cadb *db, struct err *e)
{
	uint64_t end = 0, size = 0;
	char *path;
	int rc;

	if (db->fd == -1 || db->dir == NULL || !(db->flags & CADB_WRITE))
		return err_set(e, ERR_USAGE, "%s: not open for writing",
		    db->label != NULL ? db->label : "certs.yaml");
	if (db->lockfd == -1 && lock_take(db, db->dir, db->name, e) == -1)
		return -1;
	drop_warnings(db);
	if ((rc = tail_read(db, &end, &size, e)) != 1)
		return reopen(db, e);
	if (size > end) {
		/* Torn by a writer that died: cut, as cadb_open does. */
		path = xasprintf("%s/certs.yaml", db->dir);
		file_save_torn(path, db->fd, end);
		rc = ftruncate(db->fd, (off_t)end) == -1 ||
		    fsync(db->fd) == -1 ? -1 : 0;
		if (rc == -1)
			err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		free(path);
		if (rc == -1) {
			cadb_clear(db);
			return -1;
		}
		cadb_warn(db, "%s: the incomplete record was removed (kept in "
		    "certs.yaml.torn)", db->label);
	}
	db->size = end;
	return 0;
}

int
cadb_refresh(struct cadb *db, struct err *e)
{
	uint64_t end = 0, size = 0;

	if (db->fd == -1 || db->dir == NULL)
		return err_set(e, ERR_USAGE, "%s: not open",
		    db->label != NULL ? db->label : "certs.yaml");
	drop_warnings(db);
	if (tail_read(db, &end, &size, e) != 1)
		return reopen(db, e);
	/* A torn tail (a record still being written) is read next time. */
	db->size = end;
	return 0;
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
	struct err why;
	const char *bad;
	int ok = 0;

	if (db->idx_path == NULL || lstat(db->idx_path, &st) == -1)
		return;
	cadbidx_init(&x);
	err_clear(&why);
	if (cadbidx_open(&x, db->idx_path, "certs.idx", &why) == -1)
		;
	else if (fstat(db->fd, &st) == -1)
		err_set(&why, ERR_IO, "certs.idx: %s", strerror(errno));
	else if ((bad = idx_mismatch(db, &x, (uint64_t)st.st_ino,
	    db->size)) != NULL)
		err_set(&why, ERR_INPUT, "certs.idx: %s", bad);
	else if (cadbidx_check(&x, db, &why) == -1)
		err_wrap(&why, "certs.idx");
	else
		ok = 1;
	cadbidx_clear(&x);
	if (ok)
		return;
	cadb_warn(db, "ca/%s/%s; it was removed (a cache: the next issuance "
	    "writes it again)", db->name != NULL ? db->name : "?", why.msg);
	(void)unlink(db->idx_path);
}

int
cadb_verify(struct cadb *db, struct err *e)
{
	struct cadbrec_reader r = { .fd = -1 };
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
	r.cap = CADBREC_WINDOW;
	r.win = xmalloc(r.cap);
	if (lseek(db->fd, 0, SEEK_SET) == -1) {
		err_set(e, ERR_IO, "%s: %s", db->label, strerror(errno));
		goto out;
	}
	if (cadbrec_read(&t, &r, &end, &lines, e) == -1)
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
		cadb_warn(db, "ca/%s/certs.snap did not match certs.yaml%s%.0lu and "
		    "was removed; the state is read from certs.yaml",
		    db->name != NULL ? db->name : "?", bad ? " at line " : "",
		    bad);
		(void)unlink(db->snap_path);
	}
	/* Take the state just verified. */
	free(db->certs);
	cadbstr_free(db);
	cadbserial_free(db);
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

/* Writes one sealed record at the end of the file and fsyncs it, then
 * reads it back into memory through the same reader as cadb_open. */
static int
append_sealed(struct cadb *db, const struct buf *rec, struct err *e)
{
	uint64_t end = db->size;
	unsigned long line = db->next_line;
	struct stat st;
	struct err why;

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
	if (db->wal != NULL)
		journal_add(db->wal, JOURNAL_CERTS, (uint64_t)st.st_ino, end,
		    rec->data, rec->len);
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
	if (cadbrec_add(db, rec, end, &line, &why) == -1) {
		/* Cannot happen for a record we just built; be loud. */
		db->broken = 1;
		return err_set(e, ERR_IO, "%s: the record just written does "
		    "not read back: %s", db->label, why.msg);
	}
	db->next_line = line;
	return 0;
}

/* Seals rec, appends it and clears it. */
static int
append_record(struct cadb *db, struct buf *rec, struct err *e)
{
	int rc;

	yamlrec_seal(rec, 0);
	rc = append_sealed(db, rec, e);
	buf_clear(rec);
	return rc;
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

	if (is->serial == NULL || cadbserial_norm(is->serial, serial) == -1)
		return err_set(e, ERR_USAGE, "serial number: want 1 to %d hex "
		    "digits", CADB_SERIAL_MAX);
	if (cadb_has_serial(db, serial))
		return err_set(e, ERR_REFUSED, "serial %s is already recorded "
		    "by CA '%s'", serial, db->name != NULL ? db->name : "?");
	if (is->profile == NULL || !cadbrec_token_ok(is->profile,
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
	yamlrec_time(&rec, "not_before", is->not_before);
	yamlrec_time(&rec, "not_after", is->not_after);
	yamlrec_time(&rec, "issued_at", (int64_t)time(NULL));
	buf_printf(&rec, "profile: %s\nstatus: valid\ncert: ", is->profile);
	b64_encode(is->cert_der, is->cert_len, 0, &rec);
	buf_puts(&rec, "\n");
	return append_record(db, &rec, e);
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
	int held;

	if (full_only(db, e) == -1)
		return -1;
	if (c == NULL)
		return err_set(e, ERR_USAGE, "CA '%s' has no certificate with "
		    "serial %s", db->name != NULL ? db->name : "?", serial);
	if (reason == NULL || !cadbrec_token_ok(reason, strlen(reason)))
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
	yamlrec_time(&rec, "revoked_at", when);
	buf_printf(&rec, "reason: %s\n", reason);
	if (invalidity != 0)
		yamlrec_time(&rec, "invalidity", invalidity);
	return append_record(db, &rec, e);
}

int
cadb_supersede(struct cadb *db, const char *serial, const char *by,
    struct err *e)
{
	const struct cadb_cert *c = cadb_find(db, serial);
	char norm[CADB_SERIAL_MAX + 1];
	struct buf rec;

	if (full_only(db, e) == -1)
		return -1;
	if (c == NULL)
		return err_set(e, ERR_USAGE, "CA '%s' has no certificate with "
		    "serial %s", db->name != NULL ? db->name : "?", serial);
	if (cadbserial_norm(by, norm) == -1 || !cadb_has_serial(db, norm))
		return err_set(e, ERR_USAGE, "superseding serial %s is not "
		    "recorded", by);
	buf_init(&rec);
	buf_printf(&rec, "---\ntype: supersede\nserial: \"%s\"\nby: \"%s\"\n",
	    c->serial, norm);
	return append_record(db, &rec, e);
}

int
cadb_crl_record(struct cadb *db, uint64_t number, int64_t this_update,
    int64_t next_update, struct err *e)
{
	struct buf rec;

	if (full_only(db, e) == -1)
		return -1;
	if (number <= db->crl_number || number > UINT64_C(999999999999999999))
		return err_set(e, ERR_USAGE, "CRL number %llu does not follow "
		    "%llu", (unsigned long long)number,
		    (unsigned long long)db->crl_number);
	buf_init(&rec);
	buf_printf(&rec, "---\ntype: crl\nnumber: %llu\n",
	    (unsigned long long)number);
	yamlrec_time(&rec, "this_update", this_update);
	yamlrec_time(&rec, "next_update", next_update);
	return append_record(db, &rec, e);
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

/* ca.yaml from m (format: store/FORMATS.md). */
static int
meta_write(const char *path, const struct cadb_meta *m, struct err *e)
{
	struct buf out;
	struct yamlw yw;
	size_t i;
	int rc;

	buf_init(&out);
	yamlw_begin(&yw, &out, "minipki certificate authority");
	yamlw_str(&yw, "format", "minipki-ca");
	yamlw_uint(&yw, "version", 1);
	yamlw_str(&yw, "name", m->name);
	yamlw_str(&yw, "keystore", m->keystore);
	if (m->subject != NULL)
		yamlw_str(&yw, "subject", m->subject);
	if (m->created != NULL)
		yamlw_str(&yw, "created", m->created);
	if (m->url != NULL)
		yamlw_str(&yw, "url", m->url);
	if (m->npp > 0) {
		yamlw_map(&yw, "profile_policies");
		for (i = 0; i < m->npp && i < CADB_PROFPOL_MAX; i++) {
			yamlw_map(&yw, m->pp[i].profile);
			yamlw_str(&yw, "policies", m->pp[i].policies);
			if (m->pp[i].cps != NULL)
				yamlw_str(&yw, "cps", m->pp[i].cps);
			yamlw_end(&yw);
		}
		yamlw_end(&yw);
	}
	rc = yamlw_finish(&yw, e);
	if (rc == 0)
		rc = file_write(path, out.data, out.len, 0600, 0, e);
	buf_clear(&out);
	return rc;
}

int
cadb_create(const struct ws *w, const char *name, const char *keystore,
    const char *subject, struct err *e)
{
	char *dir = NULL, *meta = NULL, *certs = NULL, now[WS_TIME_LEN];
	struct cadb_meta m;
	struct buf out;
	struct stat st;
	int rc = -1;

	buf_init(&out);
	cadb_meta_init(&m);
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
	m.name = (char *)name;
	m.keystore = (char *)keystore;
	m.subject = (char *)subject;
	m.created = now;
	m.url = NULL;
	if (meta_write(meta, &m, e) == -1)
		goto out;
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
	size_t i;

	free(m->name);
	free(m->keystore);
	free(m->subject);
	free(m->created);
	free(m->url);
	for (i = 0; i < m->npp; i++) {
		free(m->pp[i].profile);
		free(m->pp[i].policies);
		free(m->pp[i].cps);
	}
	cadb_meta_init(m);
}

int
cadb_profile_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CADB_PROFILE_MAX)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}


int
cadb_meta_save(const struct ws *w, const char *name,
    const struct cadb_meta *m, struct err *e)
{
	char *dir, *path;
	int rc;

	if (ws_check_name(name, e) == -1)
		return -1;
	if (m->name == NULL || m->keystore == NULL)
		return err_set(e, ERR_USAGE, "CA '%s': metadata without name "
		    "or keystore", name);
	dir = ws_ca_dir(w, name);
	path = xasprintf("%s/ca.yaml", dir);
	rc = meta_write(path, m, e);
	free(dir);
	free(path);
	return rc;
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

/* profile_policies: a mapping of profile names to {policies, cps}. */
static int
meta_profpol(const struct yamlr_node *root, struct cadb_meta *m,
    const char *label, struct err *e)
{
	const struct yamlr_node *n = yamlr_get(root, "profile_policies");
	const struct yamlr_node *k, *v;
	struct cadb_profpol *pp;
	size_t i, j;

	if (n == NULL)
		return 0;
	if (n->kind != YAMLR_MAP)
		return err_set(e, ERR_INPUT, "%s: line %lu: profile_policies: "
		    "expected a mapping of profile names", label, n->line);
	if (n->nkids / 2 > CADB_PROFPOL_MAX)
		return err_set(e, ERR_INPUT, "%s: line %lu: profile_policies: "
		    "more than %d profiles", label, n->line, CADB_PROFPOL_MAX);
	for (i = 0; i + 1 < n->nkids; i += 2) {
		k = n->kids[i];
		v = n->kids[i + 1];
		if (k->kind != YAMLR_SCALAR || !cadb_profile_name_ok(k->str))
			return err_set(e, ERR_INPUT, "%s: line %lu: "
			    "profile_policies: not a profile name", label,
			    k->line);
		if (v->kind != YAMLR_MAP)
			return err_set(e, ERR_INPUT, "%s: line %lu: "
			    "profile_policies: %s: expected policies and cps",
			    label, v->line, k->str);
		for (j = 0; j < v->nkids; j += 2)
			if (v->kids[j]->kind != YAMLR_SCALAR ||
			    (strcmp(v->kids[j]->str, "policies") != 0 &&
			    strcmp(v->kids[j]->str, "cps") != 0))
				return err_set(e, ERR_INPUT, "%s: line %lu: "
				    "profile_policies: %s: unknown key", label,
				    v->kids[j]->line, k->str);
		pp = &m->pp[m->npp++];
		pp->profile = xstrdup(k->str);
		if (meta_str(v, "policies", 1, &pp->policies, label, e) == -1 ||
		    meta_str(v, "cps", 0, &pp->cps, label, e) == -1)
			return -1;
	}
	return 0;
}

int
cadb_meta_parse(const void *data, size_t len, const char *label,
    struct cadb_meta *m, struct err *e)
{
	struct yamlr_doc doc;
	char *format = NULL;
	int rc = -1;

	cadb_meta_clear(m);
	yamlr_init(&doc);
	if (yamlr_parse(&doc, data, len, &meta_limits, e) == -1) {
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
	    meta_str(doc.root, "created", 0, &m->created, label, e) == -1 ||
	    meta_str(doc.root, "url", 0, &m->url, label, e) == -1 ||
	    meta_profpol(doc.root, m, label, e) == -1)
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
	free(format);
	return rc;
}

int
cadb_meta_load(const struct ws *w, const char *name, struct cadb_meta *m,
    struct err *e)
{
	char *dir = NULL, *path = NULL, *label = NULL;
	struct buf data;
	int rc = -1;

	cadb_meta_clear(m);
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
	rc = cadb_meta_parse(data.data, data.len, label, m, e);
out:
	buf_clear(&data);
	free(dir);
	free(path);
	free(label);
	return rc;
}
