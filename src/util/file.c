/* file.c — whole-file reads and crash-safe writes; see file.h. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file.h"
#include "util/xalloc.h"

int
file_read(const char *path, size_t max, struct buf *out, struct err *e)
{
	int fd, rc = -1;
	ssize_t r;
	size_t total = 0;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	for (;;) {
		uint8_t *p = buf_reserve(out, 65536);

		r = read(fd, p, 65536);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		total += (size_t)r;
		if (total > max) {
			err_set(e, ERR_INPUT, "%s: larger than %zu bytes", path, max);
			goto out;
		}
		out->len += (size_t)r;
		out->data[out->len] = '\0';
	}
	rc = 0;
out:
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

int
file_write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

#define FILE_TMP_TRIES 8

/* PATH.tmp.<16 hex digits>; the digits from getrandom, or, should that
 * fail, from the pid, a counter and the clock (O_EXCL keeps it safe either
 * way, the randomness only makes a collision unlikely). Caller frees. */
static char *
file_tmp_name(const char *path)
{
	static unsigned long counter;
	struct timespec ts;
	uint64_t r;

	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		r = (uint64_t)getpid() << 40 ^ (uint64_t)++counter << 20 ^
		    (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32;
	}
	return xasprintf("%s.tmp.%016llx", path, (unsigned long long)r);
}

int
file_write(const char *path, const void *data, size_t len, int mode,
    int excl, struct err *e)
{
	char *tmp = NULL;
	int fd = -1, rc = -1, tries, saved;
	struct stat st;

	if (strcmp(path, "-") == 0) {
		if (file_write_all(STDOUT_FILENO, data, len) == -1)
			return err_set(e, ERR_IO, "standard output: %s",
			    strerror(errno));
		return 0;
	}
	if (excl && lstat(path, &st) == 0)
		return err_set(e, ERR_IO, "%s: already exists", path);
	/* A device or a pipe (/dev/null, /dev/stdout) is written in place:
	 * renaming a temporary file over it would replace the device. */
	if (!excl && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return err_set(e, ERR_IO, "%s: is a directory", path);
		if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
			return err_set(e, ERR_IO, "%s: %s", path,
			    strerror(errno));
		if (file_write_all(fd, data, len) == -1) {
			err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
		return 0;
	}
	/* A random name, created exclusively: a leftover of a crashed writer
	 * (or anything planted there) is never opened, followed or removed;
	 * a taken name is retried with another. */
	for (tries = 1; ; tries++) {
		tmp = file_tmp_name(path);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, mode);
		if (fd != -1)
			break;
		saved = errno;
		free(tmp);
		tmp = NULL;	/* not ours: not unlinked below */
		if (saved != EEXIST) {
			err_set(e, ERR_IO, "%s: %s", path, strerror(saved));
			goto out;
		}
		if (tries == FILE_TMP_TRIES) {
			err_set(e, ERR_IO, "%s: no free temporary name in %d "
			    "tries", path, FILE_TMP_TRIES);
			goto out;
		}
	}
	if (file_write_all(fd, data, len) == -1 || fsync(fd) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	/* link() refuses to replace, which gives O_EXCL semantics atomically. */
	if (excl ? link(tmp, path) == -1 : rename(tmp, path) == -1) {
		err_set(e, ERR_IO, "%s: %s", path,
		    errno == EEXIST ? "already exists" : strerror(errno));
		goto out;
	}
	/* A link's temporary name goes first, so that the directory synced
	 * next holds no second name of the file. */
	if (excl)
		(void)unlink(tmp);
	free(tmp);
	tmp = NULL;
	/* Until the directory is on disk, a crash may undo the rename: the
	 * caller must not act on the file (hand out what it records). */
	if (file_sync_dir(path, e) == -1)
		goto out;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (tmp != NULL) {
		(void)unlink(tmp);
		free(tmp);
	}
	return rc;
}

int
file_sync_dir(const char *path, struct err *e)
{
	char *dircopy = xstrdup(path);
	int dfd, rc = 0;

	if ((dfd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1 || fsync(dfd) == -1)
		rc = err_set(e, ERR_IO, "%s: syncing its directory: %s", path,
		    strerror(errno));
	if (dfd != -1)
		close(dfd);
	free(dircopy);
	return rc;
}

void
file_save_torn(const char *path, int fd, uint64_t from)
{
	char *tp = xasprintf("%s.torn", path), chunk[65536];
	int out = open(tp, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	ssize_t n;

	while (out != -1 && (n = pread(fd, chunk, sizeof chunk,
	    (off_t)from)) > 0) {
		if (file_write_all(out, chunk, (size_t)n) == -1)
			break;
		from += (uint64_t)n;
	}
	if (out != -1) {
		(void)fsync(out);
		close(out);
	}
	free(tp);
}
