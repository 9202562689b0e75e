/* accept.c — see accept.h. */
#include <errno.h>
#include <string.h>

#include "net/accept.h"

int
accept_next(struct loop *l, int lfd, struct sockaddr_storage *ss,
    int *paused)
{
	socklen_t sl = sizeof *ss;
	int fd, saved;

	*paused = 0;
	if (ss != NULL)
		memset(ss, 0, sizeof *ss);
	fd = accept(lfd, (struct sockaddr *)ss, ss != NULL ? &sl : NULL);
	if (fd == -1 && (errno == EMFILE || errno == ENFILE ||
	    errno == ENOBUFS || errno == ENOMEM)) {
		saved = errno;	/* the caller's strerror */
		*paused = 1;
		loop_want(l, lfd, 0);
		loop_deadline(l, lfd, loop_now_ms() + ACCEPT_PAUSE_MS);
		errno = saved;
	}
	return fd;
}

void
accept_resume(struct loop *l, int lfd)
{
	loop_deadline(l, lfd, 0);
	loop_want(l, lfd, LOOP_READ);
}
