/* linger.h — closing a connection without losing its last answer.
 *
 * Closing a socket that has unread input makes the kernel send a reset,
 * which can destroy what was sent last before the peer reads it (RFC 7230
 * 6.6). A lingering close shuts down the write side instead, reads and
 * drops what the peer still sends for a moment, and closes after. */
#ifndef MP_NET_LINGER_H
#define MP_NET_LINGER_H

#include "net/loop.h"

#define LINGER_MS 1000

/* Shuts down fd's write side and asks l for its input only, with a
 * deadline LINGER_MS from now. */
void linger_start(struct loop *, int fd);
/* On an event of a lingering fd: drops its input. 1 when it is done with
 * (the peer ended, an error, or the time is up: remove and close it now),
 * 0 to wait on. */
int linger_drain(int fd, unsigned events);

#endif
