/* dialwait.c — connect, waiting for a peer that is not up yet; see
 * dialwait.h. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "net/dialwait.h"
#include "net/loop.h"

int
dialwait_retryable(int errnum)
{
	return errnum == ENOENT || errnum == ECONNREFUSED;
}

int
dialwait_backoff(int pause_ms)
{
	if (pause_ms <= 0)
		return DIALWAIT_FIRST_MS;
	if (pause_ms >= DIALWAIT_CAP_MS / 2)
		return DIALWAIT_CAP_MS;
	return 2 * pause_ms;
}

static void
dialwait_say(const struct dialwait *w, const char *line)
{
	if (w->say != NULL)
		w->say(w->ctx, line);
}

int
dialwait_connect(const struct addr *a, int timeout, const struct dialwait *w,
    int *fd, struct err *e)
{
	const char *what = w != NULL && w->what != NULL ? w->what :
	    "the peer";
	char name[400], line[600];
	int64_t start = loop_now_ms(), left, end;
	int pause = 0, last = 0, errnum;

	addr_format(a, name, sizeof name);
	end = w != NULL && w->wait_s > 0 ? start + 1000 * (int64_t)w->wait_s
	    : 0;
	for (;;) {
		errno = 0;
		if (addr_connect(a, timeout, fd, e) == 0)
			break;
		errnum = errno;
		if (w == NULL || w->wait_s < 0 || !dialwait_retryable(errnum) ||
		    loop_signalled())
			return -1;
		if (errnum != last) {
			snprintf(line, sizeof line, "waiting for %s at %s (%s)",
			    what, name, strerror(errnum));
			dialwait_say(w, line);
		}
		last = errnum;
		pause = dialwait_backoff(pause);
		if (end != 0) {
			left = end - loop_now_ms();
			if (left <= 0)
				return err_set(e, ERR_IO, "connect to %s: not "
				    "up after %d s (%s)", name, w->wait_s,
				    strerror(errnum));
			if (pause > left)
				pause = (int)left;
		}
		/* poll with no descriptor: a sleep that a signal ends */
		poll(NULL, 0, pause);
		if (loop_signalled())
			return err_set(e, ERR_IO, "interrupted");
	}
	if (last != 0) {
		snprintf(line, sizeof line, "%s at %s is up after %ld s", what,
		    name, (long)((loop_now_ms() - start + 500) / 1000));
		dialwait_say(w, line);
	}
	return 0;
}
