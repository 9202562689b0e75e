/* accept.c — see accept.h. */
#include <errno.h>
#include <string.h>

#include "net/accept.h"
#include "net/addr.h"

int
accept_next(struct loop *l, int lfd, struct sockaddr_storage *ss,
    int *paused)
{
	struct sockaddr_storage peer;
	socklen_t sl = sizeof peer;
	int fd, saved;

	*paused = 0;
	memset(&peer, 0, sizeof peer);
	fd = accept(lfd, (struct sockaddr *)&peer, &sl);
	if (ss != NULL)
		*ss = peer;
	/* A TCP connection answers without Nagle's wait (net/addr.c). */
	if (fd != -1)
		addr_nodelay(fd, peer.ss_family);
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
