/* inbox.c — a client's received messages and their index; see inbox.h and
 * store/FORMATS.md, "inbox". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/inbox.h"
#include "store/yamlq.h"
#include "store/yamlrec.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/xalloc.h"

#define INBOX_MAGIC "# minipki-inbox 1\n"

void
inbox_init(struct inbox *ib)
{
	memset(ib, 0, sizeof *ib);
}

static void
inbox_rec_free(struct inbox_rec *r)
{
	free(r->from);
	free(r->peer);
	free(r->why);
	memset(r, 0, sizeof *r);
}

void
inbox_clear(struct inbox *ib)
{
	size_t i;

	for (i = 0; i < ib->n; i++)
		inbox_rec_free(&ib->v[i]);
	free(ib->v);
	inbox_init(ib);
}

char *
inbox_dir(const struct ws *w, const char *name)
{
	return xasprintf("%s/inbox/%s", w->dir, name);
}

/* ---- reading ---- */

struct inbox_rd {
	const char *p, *end;	/* the rest of the file */
	unsigned long line;	/* of p */
	const char *label;
	struct err *e;
};

/* The next line (without "\n") into *l, *n; 0 when the file ends without
 * a whole line. */
static int
inbox_next_line(struct inbox_rd *rd, const char **l, size_t *n)
{
	const char *nl = memchr(rd->p, '\n', (size_t)(rd->end - rd->p));

	if (nl == NULL)
		return 0;
	*l = rd->p;
	*n = (size_t)(nl - rd->p);
	rd->p = nl + 1;
	rd->line++;
	return 1;
}

static int
inbox_bad(struct inbox_rd *rd, const char *what)
{
	return err_set(rd->e, ERR_INPUT, "%s: line %lu: %s", rd->label,
	    rd->line, what);
}

/* "KEY: VALUE": *v, *vn get the value. */
static int
inbox_field(struct inbox_rd *rd, const char *l, size_t n, const char *key,
    const char **v, size_t *vn)
{
	size_t k = strlen(key);
	char what[80];

	if (n < k + 2 || memcmp(l, key, k) != 0 || l[k] != ':' ||
	    l[k + 1] != ' ') {
		snprintf(what, sizeof what, "expected '%s: ...'", key);
		return inbox_bad(rd, what);
	}
	*v = l + k + 2;
	*vn = n - k - 2;
	return 0;
}

static int
inbox_number(struct inbox_rd *rd, const char *v, size_t n,
    unsigned long max, unsigned long *out, const char *key)
{
	unsigned long x = 0;
	size_t i;
	char what[80];

	if (n == 0 || n > 10 || (n > 1 && v[0] == '0'))
		goto bad;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			goto bad;
		x = x * 10 + (unsigned long)(v[i] - '0');
	}
	if (x > max)
		goto bad;
	*out = x;
	return 0;
bad:
	snprintf(what, sizeof what, "%s: not a number up to %lu", key, max);
	return inbox_bad(rd, what);
}

static int
inbox_string(struct inbox_rd *rd, const char *v, size_t n, char **out,
    const char *key)
{
	struct buf b;
	struct err qe;
	char what[600];

	buf_init(&b);
	if (n > 2 * INBOX_TEXT_MAX + 2 || yamlq_get(v, n, &b, &qe) == -1 ||
	    b.len > INBOX_TEXT_MAX) {
		snprintf(what, sizeof what, "%s: %s", key, n > 2 *
		    INBOX_TEXT_MAX + 2 || b.len > INBOX_TEXT_MAX ?
		    "longer than 4096 bytes" : qe.msg);
		buf_clear(&b);
		return inbox_bad(rd, what);
	}
	*out = xstrdup(b.len > 0 ? (char *)b.data : "");
	buf_clear(&b);
	return 0;
}

static int
inbox_verdict_ok(const char *v, size_t n)
{
	static const char *const ok[] = { "good", "revoked", "invalid",
	    "unknown", "unchecked" };
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strlen(ok[i]) == n && memcmp(ok[i], v, n) == 0)
			return 1;
	return 0;
}

/* One record after its "---" line. 1: read; 0: the file ended inside it
 * (torn); -1: bad. */
static int
inbox_record(struct inbox_rd *rd, const char *start, struct inbox_rec *r)
{
	static const char *const keys[] = { "id", "time", "from", "peer",
	    "verdict", "why", "size", "file", "sum" };
	const char *l, *v = NULL, *sum = NULL;
	size_t n, vn = 0, k;
	unsigned long x;
	char what[80];

	for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		if (!inbox_next_line(rd, &l, &n))
			return 0;
		if (inbox_field(rd, l, n, keys[k], &v, &vn) == -1)
			return -1;
		switch (k) {
		case 0:
			if (inbox_number(rd, v, vn, INBOX_MAX_ID, &r->id, "id")
			    == -1)
				return -1;
			break;
		case 1:
			if (ws_time_parse(v, vn, &r->time) == -1)
				return inbox_bad(rd, "time: not "
				    "YYYY-MM-DDTHH:MM:SSZ");
			break;
		case 2:
			if (inbox_string(rd, v, vn, &r->from, "from") == -1)
				return -1;
			break;
		case 3:
			if (inbox_string(rd, v, vn, &r->peer, "peer") == -1)
				return -1;
			break;
		case 4:
			if (!inbox_verdict_ok(v, vn))
				return inbox_bad(rd, "verdict: not one of "
				    INBOX_VERDICTS);
			memcpy(r->verdict, v, vn);
			r->verdict[vn] = '\0';
			break;
		case 5:
			if (inbox_string(rd, v, vn, &r->why, "why") == -1)
				return -1;
			break;
		case 6:
			if (inbox_number(rd, v, vn, INBOX_MSG_MAX, &x, "size")
			    == -1)
				return -1;
			r->size = x;
			break;
		case 7:
			snprintf(what, sizeof what, "%09lu.cms", r->id);
			if (vn != strlen(what) || memcmp(v, what, vn) != 0) {
				snprintf(what, sizeof what, "file: not "
				    "%09lu.cms", r->id);
				return inbox_bad(rd, what);
			}
			memcpy(r->file, v, vn);
			r->file[vn] = '\0';
			break;
		case 8:
			if (vn != 64)
				return inbox_bad(rd, "sum: not 64 hex digits");
			sum = l;
			break;
		}
	}
	if (!yamlrec_sum_ok(start, sum))
		return inbox_bad(rd, "sum: does not match the record");
	if (!inbox_next_line(rd, &l, &n))
		return 0;
	if (n != 3 || memcmp(l, "...", 3) != 0)
		return inbox_bad(rd, "expected '...' (end of record)");
	return 1;
}

int
inbox_parse(struct inbox *ib, const char *data, size_t len,
    const char *label, struct err *e)
{
	struct inbox_rd rd;
	struct inbox_rec r;
	const char *l, *start;
	size_t n;
	int rc;

	inbox_clear(ib);
	rd.p = data;
	rd.end = data + len;
	rd.line = 0;
	rd.label = label;
	rd.e = e;
	if (len > INBOX_FILE_MAX)
		return err_set(e, ERR_INPUT, "%s: larger than %d bytes",
		    label, INBOX_FILE_MAX);
	if (memchr(data, '\0', len) != NULL)
		return err_set(e, ERR_INPUT, "%s: holds a NUL byte", label);
	if (yamlrec_line(data, len, INBOX_MAGIC) != 1) {
		if (yamlrec_line(data, len, INBOX_MAGIC) == 0 && len > 0)
			goto torn;	/* the magic line itself cut short */
		if (len == 0)
			return 0;
		rd.line = 1;
		return inbox_bad(&rd, "not an inbox index (expected '"
		    "# minipki-inbox 1')");
	}
	inbox_next_line(&rd, &l, &n);
	ib->good_len = (size_t)(rd.p - data);
	/* comment lines */
	while (rd.p < rd.end && *rd.p == '#') {
		if (!inbox_next_line(&rd, &l, &n))
			goto torn;
		ib->good_len = (size_t)(rd.p - data);
	}
	while (rd.p < rd.end) {
		start = rd.p;
		switch (yamlrec_line(rd.p, (size_t)(rd.end - rd.p), "---\n")) {
		case 0:
			goto torn;
		case -1:
			rd.line++;
			inbox_clear(ib);
			return inbox_bad(&rd, "expected '---' (a record)");
		}
		inbox_next_line(&rd, &l, &n);
		memset(&r, 0, sizeof r);
		rc = inbox_record(&rd, start, &r);
		if (rc == 1 && r.id != ib->n + 1) {
			rc = err_set(e, ERR_INPUT, "%s: line %lu: record %zu "
			    "has id %lu", label, rd.line, ib->n + 1, r.id);
		}
		if (rc != 1) {
			inbox_rec_free(&r);
			if (rc == 0)
				goto torn;
			inbox_clear(ib);
			return -1;
		}
		if (ib->n == ib->cap) {
			ib->cap = ib->cap ? 2 * ib->cap : 16;
			ib->v = xreallocarray(ib->v, ib->cap, sizeof *ib->v);
		}
		ib->v[ib->n++] = r;
		ib->good_len = (size_t)(rd.p - data);
	}
	return 0;
torn:
	ib->torn = 1;
	return 0;
}

static char *
inbox_label(const char *name)
{
	return xasprintf("inbox/%s/index.yaml", name);
}

int
inbox_read(const struct ws *w, const char *name, struct inbox *ib,
    struct err *e)
{
	struct buf b;
	char *dir = inbox_dir(w, name), *path, *label = inbox_label(name);
	int rc = -1;

	buf_init(&b);
	path = xasprintf("%s/index.yaml", dir);
	inbox_clear(ib);
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		rc = 0;
		goto out;
	}
	if (file_read(path, INBOX_FILE_MAX, &b, e) == -1)
		goto out;
	rc = inbox_parse(ib, (const char *)b.data, b.len, label, e);
out:
	buf_clear(&b);
	free(path);
	free(dir);
	free(label);
	return rc;
}

/* ---- writing ---- */

static int
inbox_lock(struct inbox_writer *iw, const char *name, struct err *e)
{
	char *path = xasprintf("%s/lock", iw->dir), pid[32];
	ssize_t n;
	int len;

	iw->lockfd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	free(path);
	if (iw->lockfd == -1)
		return err_set(e, ERR_IO, "inbox/%s/lock: %s", name,
		    strerror(errno));
	if (flock(iw->lockfd, LOCK_EX | LOCK_NB) == -1) {
		n = pread(iw->lockfd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		return err_set(e, ERR_LOCKED, "inbox '%s' is in use by another "
		    "listener (pid %ld)", name, strtol(pid, NULL, 10));
	}
	len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(iw->lockfd, 0) == -1 ||
	    pwrite(iw->lockfd, pid, (size_t)len, 0) != len)
		return err_set(e, ERR_IO, "inbox/%s/lock: %s", name,
		    strerror(errno));
	return 0;
}

int
inbox_open(struct inbox_writer *iw, const struct ws *w, const char *name,
    struct err *e)
{
	struct inbox ib;
	struct buf b;
	char *top, *path = NULL;
	int rc = -1;

	memset(iw, 0, sizeof *iw);
	iw->lockfd = iw->fd = -1;
	inbox_init(&ib);
	buf_init(&b);
	if (ws_check_name(name, e) == -1)
		return -1;
	top = xasprintf("%s/inbox", w->dir);
	if (ws_mkdir(top, e) == -1) {
		free(top);
		return -1;
	}
	free(top);
	iw->dir = inbox_dir(w, name);
	iw->label = inbox_label(name);
	if (ws_mkdir(iw->dir, e) == -1 || inbox_lock(iw, name, e) == -1)
		goto out;
	path = xasprintf("%s/index.yaml", iw->dir);
	iw->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (iw->fd == -1) {
		err_set(e, ERR_IO, "%s: %s", iw->label, strerror(errno));
		goto out;
	}
	if (file_read(path, INBOX_FILE_MAX, &b, e) == -1 ||
	    inbox_parse(&ib, (const char *)b.data, b.len, iw->label, e) == -1)
		goto out;
	if (b.len == 0 || (ib.good_len == 0 && ib.torn)) {
		/* new, or its magic line torn: start it again */
		if (ftruncate(iw->fd, 0) == -1 ||
		    file_write_all(iw->fd, INBOX_MAGIC, strlen(INBOX_MAGIC))
		    == -1 || fdatasync(iw->fd) == -1) {
			err_set(e, ERR_IO, "%s: %s", iw->label,
			    strerror(errno));
			goto out;
		}
	} else if (ib.torn) {
		file_save_torn(path, iw->fd, ib.good_len);
		if (ftruncate(iw->fd, (off_t)ib.good_len) == -1 ||
		    fdatasync(iw->fd) == -1) {
			err_set(e, ERR_IO, "%s: cutting its torn tail: %s",
			    iw->label, strerror(errno));
			goto out;
		}
	}
	iw->next = ib.n + 1;
	rc = 0;
out:
	free(path);
	buf_clear(&b);
	inbox_clear(&ib);
	if (rc == -1)
		inbox_close(iw);
	return rc;
}

int
inbox_add(struct inbox_writer *iw, struct inbox_rec *r, const uint8_t *der,
    size_t len, struct err *e)
{
	struct buf b;
	char *path;
	int rc = -1;

	if (iw->next > INBOX_MAX_ID)
		return err_set(e, ERR_REFUSED, "%s: full (%lu messages)",
		    iw->label, INBOX_MAX_ID);
	if (len > INBOX_MSG_MAX)
		return err_set(e, ERR_REFUSED, "a message of %zu bytes (at "
		    "most %d)", len, INBOX_MSG_MAX);
	r->id = iw->next;
	snprintf(r->file, sizeof r->file, "%09lu.cms", r->id);
	r->size = len;
	path = xasprintf("%s/%s", iw->dir, r->file);
	/* the message first: a record never names a file that is not whole */
	if (file_write(path, der, len, 0600, 0, e) == -1) {
		free(path);
		return -1;
	}
	free(path);
	buf_init(&b);
	buf_puts(&b, "---\n");
	buf_printf(&b, "id: %lu\n", r->id);
	yamlrec_time(&b, "time", r->time);
	buf_puts(&b, "from: ");
	yamlq_put(&b, r->from != NULL ? r->from : "");
	buf_puts(&b, "\npeer: ");
	yamlq_put(&b, r->peer != NULL ? r->peer : "");
	buf_printf(&b, "\nverdict: %s\nwhy: ", r->verdict);
	yamlq_put(&b, r->why != NULL ? r->why : "");
	buf_printf(&b, "\nsize: %zu\nfile: %s\n", r->size, r->file);
	yamlrec_seal(&b, 0);
	if (file_write_all(iw->fd, b.data, b.len) == -1 ||
	    fdatasync(iw->fd) == -1) {
		err_set(e, ERR_IO, "%s: %s", iw->label, strerror(errno));
		goto out;
	}
	iw->next++;
	rc = 0;
out:
	buf_clear(&b);
	return rc;
}

void
inbox_close(struct inbox_writer *iw)
{
	if (iw->fd != -1)
		close(iw->fd);
	if (iw->lockfd != -1)
		close(iw->lockfd);	/* releases the flock */
	free(iw->dir);
	free(iw->label);
	memset(iw, 0, sizeof *iw);
	iw->fd = iw->lockfd = -1;
}
