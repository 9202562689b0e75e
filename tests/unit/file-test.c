/* file-test.c — util/file: atomic replace of regular files, O_EXCL
 * refusal, devices/pipes written in place (a rename over /dev/null
 * would replace the device with a regular file), leftover temporary
 * files of a crashed writer that neither block a write nor get touched,
 * a directory that cannot be synced after the rename (an error: the
 * new name may not survive a crash), and torn tails kept in PATH.torn. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"
#include "util/file.h"


/* Entries of dir other than . and .. */
static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

int
main(void)
{
	char dir[] = "/tmp/minipki-file-test.XXXXXX", path[256], fifo[256];
	char stale[300], excl[256], stale2[300];
	struct stat st;
	struct buf b;
	struct err e;
	pid_t pid;
	int status;

	alarm(20);	/* a regression that renames over the pipe would hang */
	if (mkdtemp(dir) == NULL)
		test_skip("cannot make a temporary directory");
	snprintf(path, sizeof path, "%s/out.txt", dir);
	snprintf(fifo, sizeof fifo, "%s/pipe", dir);

	/* A regular file is written, then replaced whole. */
	CHECK_EQ(file_write(path, "one\n", 4, 0644, 0, &e), 0);
	CHECK_EQ(file_write(path, "two!\n", 5, 0644, 0, &e), 0);
	buf_init(&b);
	CHECK_EQ(file_read(path, 100, &b, &e), 0);
	CHECK_STR((char *)b.data, "two!\n");
	buf_clear(&b);
	CHECK_EQ(stat(path, &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0644);

	/* Exclusive writes refuse an existing path. */
	CHECK_ERR(file_write(path, "x", 1, 0600, 1, &e), &e, "already exists");

	/* A size limit on reads. */
	buf_init(&b);
	CHECK_ERR(file_read(path, 3, &b, &e), &e, "larger than 3 bytes");
	buf_clear(&b);

	/* A pipe is written in place and stays a pipe. */
	CHECK_EQ(mkfifo(fifo, 0600), 0);
	if ((pid = fork()) == 0) {
		char got[16] = "";
		int fd = open(fifo, O_RDONLY);
		ssize_t n = fd == -1 ? -1 : read(fd, got, sizeof got - 1);

		_exit(n == 6 && memcmp(got, "piped\n", 6) == 0 ? 0 : 1);
	}
	CHECK_EQ(file_write(fifo, "piped\n", 6, 0644, 0, &e), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(lstat(fifo, &st), 0);
	CHECK(S_ISFIFO(st.st_mode));

	/* A leftover temporary file of a crashed writer under the old name
	 * scheme, with our pid (pids are reused), blocks nothing and is left
	 * alone; our own temporary files are gone afterwards. */
	snprintf(stale, sizeof stale, "%s.tmp.%ld", path, (long)getpid());
	CHECK_EQ(file_write(stale, "stale\n", 6, 0600, 1, &e), 0);
	CHECK_EQ(file_write(path, "three\n", 6, 0644, 0, &e), 0);
	snprintf(excl, sizeof excl, "%s/new.txt", dir);
	snprintf(stale2, sizeof stale2, "%s.tmp.%ld", excl, (long)getpid());
	CHECK_EQ(symlink("/nonexistent/target", stale2), 0);
	CHECK_EQ(file_write(excl, "new\n", 4, 0600, 1, &e), 0);
	buf_init(&b);
	CHECK_EQ(file_read(path, 100, &b, &e), 0);
	CHECK_STR((char *)b.data, "three\n");
	buf_clear(&b);
	buf_init(&b);
	CHECK_EQ(file_read(stale, 100, &b, &e), 0);
	CHECK_STR((char *)b.data, "stale\n");
	buf_clear(&b);
	CHECK_EQ(lstat(stale2, &st), 0);
	CHECK(S_ISLNK(st.st_mode));
	CHECK_EQ(stat(excl, &st), 0);
	CHECK_EQ(st.st_mode & 0777, 0600);
	CHECK_EQ(count_entries(dir), 5);	/* out, stale, new, stale2, pipe */

	/* The directory cannot be synced after the rename: an error. */
	test_fail_dir_sync = 1;
	CHECK_ERR(file_write(path, "four\n", 5, 0644, 0, &e), &e,
	    "out.txt: syncing its directory: Input/output error");
	CHECK_ERR(file_write(excl, "x", 1, 0600, 1, &e), &e,
	    "already exists");
	unlink(excl);
	CHECK_ERR(file_write(excl, "new\n", 4, 0600, 1, &e), &e,
	    "new.txt: syncing its directory: Input/output error");
	test_fail_dir_sync = 0;
	CHECK_EQ(count_entries(dir), 5);	/* no temporary file left */

	/* A directory is refused with its name. */
	CHECK_ERR(file_write(dir, "x", 1, 0644, 0, &e), &e, "is a directory");

	/* A torn tail is copied to PATH.torn (0600) from its offset to the
	 * end, and a second one is added after the first. */
	{
		char log[256], torn[300];
		int fd;

		snprintf(log, sizeof log, "%s/log", dir);
		snprintf(torn, sizeof torn, "%s.torn", log);
		fd = open(log, O_RDWR | O_CREAT | O_APPEND, 0600);
		CHECK(fd != -1);
		CHECK_EQ(file_write_all(fd, "whole\ntorn-1", 12), 0);
		file_save_torn(log, fd, 6);
		CHECK_EQ(ftruncate(fd, 6), 0);
		CHECK_EQ(file_write_all(fd, "torn-2", 6), 0);
		file_save_torn(log, fd, 6);
		close(fd);
		buf_init(&b);
		CHECK_EQ(file_read(torn, 100, &b, &e), 0);
		CHECK_STR((char *)b.data, "torn-1torn-2");
		buf_clear(&b);
		CHECK_EQ(stat(torn, &st), 0);
		CHECK_EQ(st.st_mode & 0777, 0600);
		/* Nothing past the end: nothing added. */
		fd = open(log, O_RDONLY);
		file_save_torn(log, fd, 100);
		close(fd);
		CHECK_EQ(stat(torn, &st), 0);
		CHECK_EQ(st.st_size, 12);
		unlink(torn);
		unlink(log);
	}

	unlink(stale2);
	unlink(excl);
	unlink(stale);
	unlink(fifo);
	unlink(path);
	rmdir(dir);
	return test_done();
}
