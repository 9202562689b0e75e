/* journal.c — the CA service's batch journal (journal.h, FORMATS.md):
 * the reader, the writer and the replay into certs.yaml, enroll.yaml and
 * audit.yaml. Binary and big-endian, like certs.idx: it is read only by
 * us, and a length before every part is what a bounded reader wants. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
		    "0: incomplete header; %zu bytes ignored", label, len);
		return 0;
	}
	pos = JOURNAL_MAGIC_LEN;
	l->valid_end = pos;
	while (pos < len) {
		bad = rec_check(d + pos, len - pos, seq, &reclen, &nparts,
		    why, sizeof why);
		if (bad != NULL) {
			snprintf(l->warning, sizeof l->warning, "%.200s: "
			    "offset %llu: record %lu: %s; %llu bytes ignored (an "
			    "incomplete or damaged last batch, never "
			    "acknowledged)", label, (unsigned long long)pos,
			    l->nrecs + 1, bad,
			    (unsigned long long)(len - pos));
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

	journal_clear(j);
	j->path = xasprintf("%s/journal", dir);
	j->label = xasprintf("ca/%s/journal", ca);
	j->fd = open(j->path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (j->fd == -1 || fstat(j->fd, &st) == -1) {
		err_set(e, ERR_IO, "%s: %s", j->label, strerror(errno));
		journal_clear(j);
		return -1;
	}
	j->size = (uint64_t)st.st_size;
	/* Its name on disk before the first record counts on it. */
	if (file_sync_dir(j->path, e) == -1) {
		journal_clear(j);
		return -1;
	}
	free(held_dir);
	held_dir = xstrdup(dir);
	return 0;
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
	if (j->size == 0)
		buf_append(&out, JOURNAL_MAGIC, JOURNAL_MAGIC_LEN);
	buf_append(&out, j->rec.data, j->rec.len);
	/* One write(2), one fdatasync: the batch's commit point. */
	if (file_write_all(j->fd, out.data, out.len) == -1) {
		err_set(e, ERR_IO, "%s: %s", j->label, strerror(errno));
		if (ftruncate(j->fd, (off_t)j->size) == -1)
			j->broken = 1;
		goto out;
	}
	if (fdatasync(j->fd) == -1) {
		/* Whole but maybe not on disk: not acknowledged, and a
		 * replay of it is harmless (its records are in the files). */
		err_set(e, ERR_IO, "%s: %s", j->label, strerror(errno));
		j->broken = 1;
		j->size += out.len;
		goto out;
	}
	j->size += out.len;
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
	/* No sync: a cut undone by a crash brings back records whose parts
	 * are all in the (synced) files, which a replay skips. */
	if (ftruncate(j->fd, 0) == -1)
		return err_set(e, ERR_IO, "%s: %s", j->label, strerror(errno));
	j->size = 0;
	j->batches = 0;
	return 0;
}

/* ---- Replay ---- */

/* Reads DIR/journal whole into b: 0 done (empty when missing), -1. */
static int
journal_read(const char *path, const char *label, struct buf *b,
    struct err *e)
{
	struct stat st;
	ssize_t n;
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
	while (b->len < (size_t)st.st_size) {
		n = pread(fd, buf_reserve(b, (size_t)st.st_size - b->len),
		    (size_t)st.st_size - b->len, (off_t)b->len);
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
