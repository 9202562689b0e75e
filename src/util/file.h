/* file.h — whole-file reads with a size limit, and safe writes. */
#ifndef MP_UTIL_FILE_H
#define MP_UTIL_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define FILE_MAX_INPUT (16 * 1024 * 1024)	/* largest input file we read */

/* Appends the contents of path ("-" is standard input) to out; more than
 * max bytes is an error ("FILE: larger than N bytes"). ERR_IO on failure. */
int file_read(const char *path, size_t max, struct buf *out, struct err *);
/* Writes data to path through a temporary file in the same directory
 * (PATH.tmp.RANDOM, made with O_CREAT|O_EXCL, another name tried when one
 * is taken), fsync, rename, fsync of the directory: the file is either the
 * old one or the whole new one. mode is the new file's permission (0600 for secrets,
 * created with O_EXCL|O_NOFOLLOW). With excl set, an existing path is an
 * error ("FILE: already exists") instead of being replaced. "-" writes to
 * standard output. A failed sync of the directory is an error too: until
 * it is on disk a crash may undo the rename. */
int file_write(const char *path, const void *data, size_t len, int mode,
    int excl, struct err *);
/* fsyncs the directory that holds path, so that a file just created or
 * renamed there survives a crash ("PATH: syncing its directory: ..."). */
int file_sync_dir(const char *path, struct err *);
/* Writes all len bytes to fd, going on after short writes and EINTR;
 * -1 with errno set on failure. */
int file_write_all(int fd, const void *data, size_t len);
/* Copies the bytes of fd from offset from to its end onto the end of
 * PATH.torn (created 0600, O_NOFOLLOW) and fsyncs it: the torn tail of an
 * append-only file is kept there before the caller cuts it off, so
 * nothing vanishes without a trace. Best effort: a failure leaves the
 * copy short and is not reported (cutting the tail must not wait on it). */
void file_save_torn(const char *path, int fd, uint64_t from);

#endif
