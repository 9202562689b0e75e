/* journal.c — the CA service's batch journal (journal.h, FORMATS.md):
 * the reader, the writer and the replay into certs.yaml, enroll.yaml and
 * audit.yaml. Binary and big-endian, like certs.idx: it is read only by
 * us, and a length before every part is what a bounded reader wants. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/hash.h"
#include "store/journal.h"
#include "util/file.h"
#include "util/xalloc.h"

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

void
journal_log_init(struct journal_log *l)
{
	memset(l, 0, sizeof *l);
}

void
journal_log_clear(struct journal_log *l)
{
	free(l->v);
	journal_log_init(l);
}

/* Why the record at d[0..left) is not a whole, good one (NULL: it is;
 * *reclen its length, *nparts its parts). seq is the one expected, 0
 * for the first record (any from 1). */
static const char *
rec_check(const uint8_t *d, uint64_t left, uint64_t seq, uint64_t *reclen,
    uint32_t *nparts, char *why, size_t whylen)
{
	const uint8_t *p, *end;
	uint8_t sum[32];
	uint64_t s, off;
	uint32_t n, body, k, len;

	if (left < JOURNAL_REC_HEAD)
		return "incomplete record header";
	if (memcmp(d, "JREC", 4) != 0)
		return "not a record (bad tag)";
	s = get64(d + 4);
	n = get32(d + 12);
	body = get32(d + 16);
	if (s == 0 || (seq != 0 && s != seq)) {
		snprintf(why, whylen, "batch number %llu, expected %llu",
		    (unsigned long long)s, (unsigned long long)
		    (seq != 0 ? seq : 1));
		return why;
	}
	if (n == 0 || n > JOURNAL_PARTS_MAX) {
		snprintf(why, whylen, "part count %u out of range", n);
		return why;
	}
	if (body > JOURNAL_BODY_MAX) {
		snprintf(why, whylen, "body of %u bytes over the limit", body);
		return why;
	}
	if ((uint64_t)body + 32 > left - JOURNAL_REC_HEAD) {
		snprintf(why, whylen, "incomplete (body of %u bytes runs past "
		    "the end)", body);
		return why;
	}
	hash_sha256(d, JOURNAL_REC_HEAD + (size_t)body, sum);
	if (memcmp(sum, d + JOURNAL_REC_HEAD + body, 32) != 0)
		return "checksum does not match";
	p = d + JOURNAL_REC_HEAD;
	end = p + body;
	for (k = 1; k <= n; k++) {
		if ((size_t)(end - p) < JOURNAL_PART_HEAD) {
			snprintf(why, whylen, "part %u: header runs past the "
			    "body", k);
			return why;
		}
		if (p[0] < JOURNAL_CERTS || p[0] > JOURNAL_AUDIT) {
			snprintf(why, whylen, "part %u: unknown file %u", k,
			    p[0]);
			return why;
		}
		off = get64(p + 9);
		len = get32(p + 17);
		if (len == 0 || len > JOURNAL_PART_MAX) {
			snprintf(why, whylen, "part %u: length %u out of "
			    "range", k, len);
			return why;
		}
		if (off > (UINT64_C(1) << 62)) {
			snprintf(why, whylen, "part %u: offset out of range",
			    k);
			return why;
		}
		p += JOURNAL_PART_HEAD;
		if ((size_t)(end - p) < len) {
			snprintf(why, whylen, "part %u: %u bytes run past the "
			    "body", k, len);
			return why;
		}
		p += len;
	}
	if (p != end) {
		snprintf(why, whylen, "%zu bytes of the body after the last "
		    "part", (size_t)(end - p));
		return why;
	}
	*reclen = JOURNAL_REC_HEAD + (uint64_t)body + 32;
	*nparts = n;
	return NULL;
}

#define JOURNAL_READ_STEP (64 * 1024)

static int
zeros(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

int
journal_parse(const void *data, size_t len, const char *label,
    struct journal_log *l, struct err *e)
{
	const uint8_t *d = data, *p;
	const char *bad;
	char why[128];
	uint64_t pos, reclen = 0, seq = 0;
	uint32_t nparts = 0, k;
	size_t cap = 0;

	journal_log_clear(l);
	if (len == 0)
		return 0;
	if (memcmp(d, JOURNAL_MAGIC, len < JOURNAL_MAGIC_LEN ? len :
	    JOURNAL_MAGIC_LEN) != 0)
		return err_set(e, ERR_INPUT, "%s: not a minipki journal (bad "
		    "magic line)", label);
	if (len < JOURNAL_MAGIC_LEN) {
		snprintf(l->warning, sizeof l->warning, "%.200s: offset "
		    "0: incomplete header; the rest ignored", label);
		l->bad_end = len;
		return 0;
	}
	pos = JOURNAL_MAGIC_LEN;
	l->valid_end = pos;
	while (pos < len) {
		/* The end: four zero bytes where a tag would be (the writer
		 * writes them after every record; what follows them is of
		 * an earlier cycle of the file, or its preallocated zeros). */
		if (len - pos < 4 ? zeros(d + pos, len - pos) :
		    zeros(d + pos, 4))
			break;
		bad = rec_check(d + pos, len - pos, seq, &reclen, &nparts,
		    why, sizeof why);
		if (bad != NULL) {
			snprintf(l->warning, sizeof l->warning, "%.200s: "
			    "offset %llu: record %lu: %s; the rest ignored (an "
			    "incomplete or damaged last batch, never "
			    "acknowledged)", label, (unsigned long long)pos,
			    l->nrecs + 1, bad);
			for (l->bad_end = len; l->bad_end > pos &&
			    d[l->bad_end - 1] == 0; l->bad_end--)
				;
			break;
		}
		seq = get64(d + pos + 4) + 1;
		l->nrecs++;
		p = d + pos + JOURNAL_REC_HEAD;
		for (k = 0; k < nparts; k++) {
			struct journal_part *jp;

			if (l->n == cap) {
				cap = cap == 0 ? 16 : 2 * cap;
				l->v = xreallocarray(l->v, cap, sizeof *l->v);
			}
			jp = &l->v[l->n++];
			jp->file = p[0];
			jp->inode = get64(p + 1);
			jp->off = get64(p + 9);
			jp->len = get32(p + 17);
			jp->data = p + JOURNAL_PART_HEAD;
			jp->rec = l->nrecs;
			p += JOURNAL_PART_HEAD + jp->len;
		}
		pos += reclen;
		l->valid_end = pos;
	}
	return 0;
}

/* ---- The writer ---- */

/* The CA directory whose journal this process holds (journal_open). */
static char *held_dir;

int
journal_held(const char *dir)
{
	return held_dir != NULL && strcmp(held_dir, dir) == 0;
}

void
journal_init(struct journal *j)
{
	memset(j, 0, sizeof *j);
	j->fd = -1;
	buf_init(&j->rec);
}

void
journal_clear(struct journal *j)
{
	size_t n = held_dir != NULL ? strlen(held_dir) : 0;

	/* No longer held: this process's writes replay again. */
	if (j->fd != -1 && n > 0 && strncmp(j->path, held_dir, n) == 0 &&
	    strcmp(j->path + n, "/journal") == 0) {
		free(held_dir);
		held_dir = NULL;
	}
	if (j->fd != -1)
		close(j->fd);
	free(j->path);
	free(j->label);
	buf_clear(&j->rec);
	journal_init(j);
}

int
journal_open(struct journal *j, const char *dir, const char *ca,
    struct err *e)
{
	struct stat st;

	static const uint8_t zero[65536];
	uint64_t at;
	size_t n;

	journal_clear(j);
	j->path = xasprintf("%s/journal", dir);
	j->label = xasprintf("ca/%s/journal", ca);
	j->fd = open(j->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (j->fd == -1)
		goto io;
	/* One writer: a second `ca serve` of the same CA goes without. */
	if (flock(j->fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK)
			goto io;
		err_set(e, ERR_LOCKED, "%s is held by another process",
		    j->label);
		journal_clear(j);
		return -1;
	}
	if (fstat(j->fd, &st) == -1)
		goto io;
	/* Written with zeros once: a record then overwrites blocks that
	 * are there, and its fdatasync has no size or extent to commit
	 * (an append's would: a journal commit of the file system). */
	for (at = (uint64_t)st.st_size; at < JOURNAL_PREALLOC; at += n) {
		n = JOURNAL_PREALLOC - at < sizeof zero ?
		    (size_t)(JOURNAL_PREALLOC - at) : sizeof zero;
		if (pwrite(j->fd, zero, n, (off_t)at) != (ssize_t)n)
			goto io;
	}
	/* Empty: the header, then the end (a zero tag). */
	if (pwrite(j->fd, JOURNAL_MAGIC "\0\0\0", JOURNAL_MAGIC_LEN + 4, 0) !=
	    JOURNAL_MAGIC_LEN + 4 || fdatasync(j->fd) == -1)
		goto io;
	j->size = JOURNAL_MAGIC_LEN;
	/* Its name on disk before the first record counts on it. */
	if (file_sync_dir(j->path, e) == -1) {
		journal_clear(j);
		return -1;
	}
	free(held_dir);
	held_dir = xstrdup(dir);
	return 0;
io:
	err_set(e, ERR_IO, "%s: %s", j->label, strerror(errno));
	journal_clear(j);
	return -1;
}

void
journal_add(struct journal *j, enum journal_file file, uint64_t inode,
    uint64_t off, const void *data, size_t len)
{
	uint8_t h[JOURNAL_PART_HEAD];

	if (j->fd == -1)
		return;
	if (len == 0 || len > JOURNAL_PART_MAX ||
	    j->nparts == JOURNAL_PARTS_MAX ||
	    j->rec.len + JOURNAL_PART_HEAD + len > JOURNAL_BODY_MAX) {
		/* Never for records the store writes (at most 16 KiB to
		 * 100 KiB each, CASERVE_BATCH_MAX of them): refuse the
		 * commit rather than leave a part out. */
		j->broken = 1;
		return;
	}
	if (j->nparts == 0) {
		j->rec.len = 0;
		memset(buf_reserve(&j->rec, JOURNAL_REC_HEAD), 0,
		    JOURNAL_REC_HEAD);
		j->rec.len = JOURNAL_REC_HEAD;
	}
	h[0] = (uint8_t)file;
	put64(h + 1, inode);
	put64(h + 9, off);
	put32(h + 17, (uint32_t)len);
	buf_append(&j->rec, h, sizeof h);
	buf_append(&j->rec, data, len);
	j->nparts++;
}

void
journal_drop(struct journal *j)
{
	j->nparts = 0;
	j->rec.len = 0;
}

int
journal_commit(struct journal *j, struct err *e)
{
	struct buf out;
	uint8_t sum[32];
	int rc = -1;

	if (j->fd == -1 || j->broken) {
		journal_drop(j);
		return err_set(e, ERR_IO, "%s: %s", j->label != NULL ?
		    j->label : "journal", j->fd == -1 ? "not open" :
		    "an earlier write failed");
	}
	if (j->nparts == 0)
		return 0;
	memcpy(j->rec.data, "JREC", 4);
	put64(j->rec.data + 4, j->seq + 1);
	put32(j->rec.data + 12, j->nparts);
	put32(j->rec.data + 16, (uint32_t)(j->rec.len - JOURNAL_REC_HEAD));
	hash_sha256(j->rec.data, j->rec.len, sum);
	buf_append(&j->rec, sum, sizeof sum);
	buf_init(&out);
	buf_append(&out, j->rec.data, j->rec.len);
	/* The end after it, so that what follows (an earlier cycle's
	 * records) is never read as this one's. */
	buf_append(&out, "\0\0\0", 4);
	/* One write(2), one fdatasync: the batch's commit point. A failed
	 * write or sync leaves bytes that are not acknowledged: a replay of
	 * them is harmless (their records are in the files), but this
	 * journal writes no more. */
	if (pwrite(j->fd, out.data, out.len, (off_t)j->size) !=
	    (ssize_t)out.len || fdatasync(j->fd) == -1) {
		err_set(e, ERR_IO, "%s: %s", j->label, strerror(errno));
		j->broken = 1;
		goto out;
	}
	j->size += out.len - 4;
	j->seq++;
	j->batches++;
	rc = 0;
out:
	buf_clear(&out);
	journal_drop(j);
	return rc;
}

int
journal_empty(struct journal *j, struct err *e)
{
	if (j->fd == -1)
		return 0;
	/* The end right after the header. No sync: undone by a crash, it
	 * brings back records whose parts are all in the (synced) files,
	 * which a replay skips; the next record's sync carries it. */
	if (pwrite(j->fd, "\0\0\0", 4, JOURNAL_MAGIC_LEN) != 4)
		return err_set(e, ERR_IO, "%s: %s", j->label, strerror(errno));
	j->size = JOURNAL_MAGIC_LEN;
	j->batches = 0;
	return 0;
}

/* ---- Replay ---- */

/* Whether d[0..len), the start of a journal, holds its end: the records
 * walked by their lengths (journal_parse checks them) up to a zero tag,
 * or to something that is not a record. */
static int
end_known(const uint8_t *d, size_t len)
{
	uint64_t pos = JOURNAL_MAGIC_LEN;

	if (len < JOURNAL_MAGIC_LEN)
		return 0;
	/* A record longer than what is read so far puts pos past len:
	 * not known yet (and len - pos must not wrap). */
	while (pos <= len && len - pos >= JOURNAL_REC_HEAD &&
	    memcmp(d + pos, "JREC", 4) == 0)
		pos += JOURNAL_REC_HEAD + (uint64_t)get32(d + pos + 16) + 32;
	if (pos > len || pos + 4 > len || (len - pos < JOURNAL_REC_HEAD &&
	    memcmp(d + pos, "JREC", 4) == 0))
		return 0;
	return 1;
}

/* Reads DIR/journal into b, up to its end (end_known; a journal is
 * preallocated with zeros): 0 done (empty when missing), -1. */
static int
journal_read(const char *path, const char *label, struct buf *b,
    struct err *e)
{
	struct stat st;
	ssize_t n;
	size_t want;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return errno == ENOENT ? 0 : err_set(e, ERR_IO, "%s: %s",
		    label, strerror(errno));
	if (fstat(fd, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > JOURNAL_FILE_MAX) {
		close(fd);
		return err_set(e, ERR_INPUT, "%s: larger than %lu bytes", label,
		    JOURNAL_FILE_MAX);
	}
	while (b->len < (size_t)st.st_size && !end_known(b->data, b->len)) {
		want = (size_t)st.st_size - b->len;
		if (want > JOURNAL_READ_STEP)
			want = JOURNAL_READ_STEP;
		n = pread(fd, buf_reserve(b, want), want, (off_t)b->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)	/* cut meanwhile */
			break;
		b->len += (size_t)n;
	}
	close(fd);
	return 0;
}

/* Where p's bytes stand in fd (size bytes): 1 there at its offset; 0
 * lost or torn by a crash (every byte from the offset on is zero or,
 * within the part, the part's own); 2 changed (*bad the offset of the
 * first byte that is neither); -1 on an I/O error. tmp holds
 * JOURNAL_PART_MAX bytes. */
static int
part_state(int fd, uint64_t size, const struct journal_part *p,
    uint8_t *tmp, uint64_t *bad)
{
	uint64_t pos = p->off, i, n;
	ssize_t got;
	int whole = size - p->off >= p->len;

	while (pos < size) {
		n = size - pos;
		if (n > JOURNAL_PART_MAX)
			n = JOURNAL_PART_MAX;
		got = pread(fd, tmp, (size_t)n, (off_t)pos);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		for (i = 0; i < (uint64_t)got; i++) {
			uint64_t at = pos - p->off + i;

			if (at < p->len) {
				if (tmp[i] == p->data[at])
					continue;
				whole = 0;
				if (tmp[i] == 0)
					continue;
			} else if (whole) {
				/* Past the part, there whole: a record
				 * written after it. */
				return 1;
			}
			if (tmp[i] != 0) {
				*bad = pos + i;
				return 2;
			}
		}
		pos += (uint64_t)got;
	}
	return whole;
}

int
journal_replay(const char *dir, enum journal_file file, int fd,
    const char *path, const char *label, struct buf *note, struct err *e)
{
	struct journal_log l;
	struct buf b;
	struct stat st;
	char *jpath, *jlabel, *slash;
	uint8_t *tmp = NULL;
	uint64_t bad, size, first = 0;
	size_t i;
	int wrote = 0, rc = -1, in;

	if (journal_held(dir))
		return 0;
	journal_log_init(&l);
	buf_init(&b);
	jpath = xasprintf("%s/journal", dir);
	/* "ca/X/certs.yaml" -> "ca/X/journal" */
	slash = strrchr(label, '/');
	jlabel = xasprintf("%.*sjournal", slash != NULL ?
	    (int)(slash - label + 1) : 0, label);
	if (journal_read(jpath, jlabel, &b, e) == -1)
		goto out;
	if (b.len == 0) {
		rc = 0;
		goto out;
	}
	if (journal_parse(b.data, b.len, jlabel, &l, e) == -1) {
		/* Not ours to trust, and nothing to replay from: said, and
		 * left for the service to set aside when it starts. */
		if (note != NULL)
			buf_printf(note, "%s; ignored", e->msg);
		err_clear(e);
		rc = 0;
		goto out;
	}
	if (fstat(fd, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
		goto out;
	}
	size = (uint64_t)st.st_size;
	tmp = xmalloc(JOURNAL_PART_MAX + 1);
	for (i = 0; i < l.n; i++) {
		const struct journal_part *p = &l.v[i];

		if (p->file != (int)file || p->inode != (uint64_t)st.st_ino)
			continue;
		if (size < p->off) {
			err_set(e, ERR_INPUT, "%s: record %lu: %s ends at "
			    "offset %llu, before the part's offset %llu (lost "
			    "data the journal does not hold)", jlabel, p->rec,
			    label, (unsigned long long)size,
			    (unsigned long long)p->off);
			goto out;
		}
		if ((in = part_state(fd, size, p, tmp, &bad)) == -1) {
			err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
			goto out;
		}
		if (in == 1)
			continue;
		if (in == 2) {
			err_set(e, ERR_INPUT, "%s: record %lu: %s differs at "
			    "offset %llu (changed behind the journal)", jlabel,
			    p->rec, label, (unsigned long long)bad);
			goto out;
		}
		/* A tail lost or torn by a crash: kept aside, then the
		 * part written where it belongs. */
		if (size > p->off) {
			file_save_torn(path, fd, p->off);
			if (ftruncate(fd, (off_t)p->off) == -1) {
				err_set(e, ERR_IO, "%s: %s", label,
				    strerror(errno));
				goto out;
			}
		}
		if (file_write_all(fd, p->data, p->len) == -1) {
			err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
			goto out;
		}
		if (wrote++ == 0)
			first = p->off;
		size = p->off + p->len;
	}
	if (wrote > 0 && fdatasync(fd) == -1) {
		err_set(e, ERR_IO, "%s: %s", label, strerror(errno));
		goto out;
	}
	if (note != NULL && wrote > 0)
		buf_printf(note, "%s: %d record%s from offset %llu written "
		    "again from the batch journal (%s; a crash had lost "
		    "them)", label, wrote, wrote == 1 ? "" : "s",
		    (unsigned long long)first, jlabel);
	if (note != NULL && l.warning[0] != '\0')
		buf_printf(note, "%s%s", note->len > 0 ? "; " : "",
		    l.warning);
	rc = wrote;
out:
	free(tmp);
	journal_log_clear(&l);
	buf_clear(&b);
	free(jpath);
	free(jlabel);
	return rc;
}

int
journal_status(const char *dir, const char *ca, unsigned long *nrecs,
    unsigned long *missing, char *warning, struct err *e)
{
	static const char *const names[] = { NULL, "certs.yaml",
	    "enroll.yaml", "audit.yaml" };
	struct journal_log l;
	struct buf b;
	struct stat st;
	struct err pe;
	char *jpath = xasprintf("%s/journal", dir), *path;
	char *label = xasprintf("ca/%s/journal", ca);
	uint8_t *tmp = NULL;
	uint64_t bad;
	size_t i;
	int rc = -1, fd;

	*nrecs = *missing = 0;
	if (warning != NULL)
		warning[0] = '\0';
	journal_log_init(&l);
	buf_init(&b);
	err_clear(&pe);
	if (journal_read(jpath, label, &b, e) == -1)
		goto out;
	if (journal_parse(b.data, b.len, label, &l, &pe) == -1) {
		if (warning != NULL)
			snprintf(warning, sizeof l.warning, "%s", pe.msg);
		rc = 0;
		goto out;
	}
	if (warning != NULL)
		memcpy(warning, l.warning, sizeof l.warning);
	*nrecs = l.nrecs;
	tmp = xmalloc(JOURNAL_PART_MAX + 1);
	for (i = 0; i < l.n; i++) {
		const struct journal_part *p = &l.v[i];

		path = xasprintf("%s/%s", dir, names[p->file]);
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		free(path);
		if (fd == -1 || fstat(fd, &st) == -1) {
			(*missing)++;
			if (fd != -1)
				close(fd);
			continue;
		}
		if ((uint64_t)st.st_ino == p->inode &&
		    ((uint64_t)st.st_size < p->off ||
		    part_state(fd, (uint64_t)st.st_size, p, tmp, &bad) != 1))
			(*missing)++;
		close(fd);
	}
	rc = 0;
out:
	free(tmp);
	journal_log_clear(&l);
	buf_clear(&b);
	free(jpath);
	free(label);
	return rc;
}

void
journal_keep_torn(const char *path, const uint8_t *data,
    const struct journal_log *l)
{
	char *tp;
	int fd;

	if (l->bad_end <= l->valid_end)
		return;
	tp = xasprintf("%s.torn", path);
	fd = open(tp, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd != -1) {
		/* Best effort, as file_save_torn. */
		if (file_write_all(fd, data + l->valid_end, (size_t)(l->bad_end -
		    l->valid_end)) == 0)
			(void)fsync(fd);
		close(fd);
	}
	free(tp);
}
