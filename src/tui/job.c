/* job.c — slow work in a child process: the child writes lines "P
 * progress", "S stage" and finally "D 0 message" or "D 1 message" into a
 * pipe that the UI's loop polls; the status line shows the stage meanwhile
 * and Esc cancels. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/loop.h"
#include "tui/ui.h"
#include "util/xalloc.h"

void
job_report(int fd, const char *fmt, ...)
{
	va_list ap;
	char s[600];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof s - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof s - 2)
		n = (int)sizeof s - 2;
	s[n++] = '\n';
	/* The parent reads whole lines; a short write is the child's end. */
	if (write(fd, s, (size_t)n) != n)
		_exit(3);
}

void
job_finish(int fd, int rc, const struct err *e)
{
	if (rc == 0)
		job_report(fd, "D 0 done");
	else
		job_report(fd, "D 1 %s", e->msg);
}

void
job_report_keygen(int fd, const char *whose, unsigned bits)
{
	if (bits == 0)
		job_report(fd, "S generating %s P-256 EC key", whose);
	else
		job_report(fd, "S generating %s %u-bit RSA key", whose, bits);
}

/* In the child right after fork: closes every descriptor but the
 * terminal's 0-2 and keep (its pipe). The rest are the parent's: the
 * Connect window's listener and connections (a copy held here would keep
 * a connection the parent closed open to its peer, and a TCP listener's
 * port taken), the CA service's pipe, the database lock, the log file.
 * The child opens what it needs itself. */
void
job_close_fds(int keep)
{
	DIR *d;
	struct dirent *de;
	long fd, max;

	if ((d = opendir("/proc/self/fd")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			fd = strtol(de->d_name, NULL, 10);
			if (fd > 2 && fd != keep && fd != dirfd(d))
				close((int)fd);
		}
		closedir(d);
		return;
	}
	/* No /proc: every number up to the limit, within reason. */
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		if (fd != keep)
			close((int)fd);
}

pid_t
ui_fork_piped(struct ui *u, const struct screen *keep, int *fd)
{
	int p[2];
	pid_t pid;
	size_t i;

	if (pipe(p) == -1) {
		ui_log(u, "error: pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		ui_log(u, "error: fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		xalloc_set_fail_hook(NULL);
		job_close_fds(p[1]);
		/* Its copy of the parent's memory holds the unlocked CA key
		 * and the other windows' keys, which it never needs. */
		pkey_clear(&u->ca.key);
		for (i = 0; i < screens_n; i++)
			if (screens[i]->forget != NULL && screens[i] != keep)
				screens[i]->forget(u);
		*fd = p[1];
		return 0;
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	*fd = p[0];
	return pid;
}

int
job_start(struct ui *u, const char *what, job_done_fn *done,
    void (*run)(struct ui *, void *arg, int fd), void *arg)
{
	pid_t pid;
	int fd;

	if (u->job.pid != 0) {
		ui_log(u, "busy: %s is still running (Esc cancels it)",
		    u->job.what);
		return -1;
	}
	if ((pid = ui_fork_piped(u, NULL, &fd)) == -1)
		return -1;
	if (pid == 0) {
		/* The child never touches the terminal. */
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		run(u, arg, fd);
		_exit(0);
	}
	u->job.pid = pid;
	u->job.fd = fd;
	buf_init(&u->job.in);
	ui_fmt(u->job.what, sizeof u->job.what, "%s", what);
	u->job.stage[0] = '\0';
	u->job.started = loop_now_ms();
	u->job.done = done;
	ui_log(u, "%s: started (Esc cancels)", what);
	return 0;
}

int
job_start_secret(struct ui *u, const char *what, job_done_fn *done,
    void (*run)(struct ui *, void *arg, int fd), void *arg,
    const struct job_secret *s, size_t ns)
{
	int rc = job_start(u, what, done, run, arg);
	size_t i;

	/* The child has its copy; the parent keeps none. */
	for (i = 0; i < ns; i++)
		explicit_bzero(s[i].p, s[i].n);
	return rc;
}

int
job_done_ok(struct ui *u, int ok, const char *msg)
{
	ui_lists_reload(u);
	if (!ok)
		ui_log(u, "error: %s", msg);
	return ok;
}

void
job_show_entity(struct ui *u, const char *name)
{
	scr_entities_select(u, name);
	ui_set_screen(u, &scr_entities);
}

static void
job_end(struct ui *u, int ok, const char *msg)
{
	job_done_fn *done = u->job.done;
	char what[128];

	ui_fmt(what, sizeof what, "%s", u->job.what);
	close(u->job.fd);
	waitpid(u->job.pid, NULL, 0);
	buf_clear(&u->job.in);
	memset(&u->job, 0, sizeof u->job);
	if (done != NULL)
		done(u, ok, msg);
	ui_redraw();
}

void
job_cancel(struct ui *u)
{
	if (u->job.pid == 0)
		return;
	kill(u->job.pid, SIGTERM);
	ui_log(u, "%s: cancelled", u->job.what);
	u->job.done = NULL;
	job_end(u, 0, "cancelled");
	ui_lists_reload(u);
}

void
job_read(struct ui *u)
{
	char tmp[512], *nl, *line;
	ssize_t r;

	for (;;) {
		r = read(u->job.fd, tmp, sizeof tmp);
		if (r > 0) {
			buf_append(&u->job.in, tmp, (size_t)r);
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		break;
	}
	while ((nl = memchr(u->job.in.data, '\n', u->job.in.len)) != NULL) {
		size_t n = (size_t)(nl - (char *)u->job.in.data);

		line = xstrndup((char *)u->job.in.data, n);
		memmove(u->job.in.data, nl + 1, u->job.in.len - n - 1);
		u->job.in.len -= n + 1;
		if (line[0] == 'P' && line[1] == ' ') {
			/* progress: the status line only */
			ui_fmt(u->job.stage, sizeof u->job.stage, "%s",
			    line + 2);
		} else if (line[0] == 'S' && line[1] == ' ') {
			ui_fmt(u->job.stage, sizeof u->job.stage, "%s",
			    line + 2);
			ui_log(u, "%s: %s", u->job.what, line + 2);
		} else if (line[0] == 'D' && line[1] == ' ' && line[2] != '\0') {
			int ok = line[2] == '0';

			job_end(u, ok, line[3] ? line + 4 : "");
			free(line);
			return;
		}
		free(line);
	}
	if (r == 0)
		job_end(u, 0, "the worker process stopped");
}

/* At the end of the program: a job still running is stopped. */
void
job_clear(struct ui *u)
{
	if (u->job.pid == 0)
		return;
	kill(u->job.pid, SIGTERM);
	close(u->job.fd);
	waitpid(u->job.pid, NULL, 0);
	buf_clear(&u->job.in);
	u->job.pid = 0;
}
