/* linger.c — the lingering close; see linger.h. */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/linger.h"

void
linger_start(struct loop *l, int fd)
{
	shutdown(fd, SHUT_WR);
	loop_want(l, fd, LOOP_READ);
	loop_deadline(l, fd, loop_now_ms() + LINGER_MS);
}

int
linger_drain(int fd, unsigned ev)
{
	char junk[4096];
	ssize_t r;

	if (ev & LOOP_TIMEOUT)
		return 1;
	while ((r = read(fd, junk, sizeof junk)) > 0)
		;
	return !(r == -1 && (errno == EAGAIN || errno == EINTR));
}
