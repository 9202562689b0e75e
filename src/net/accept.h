/* accept.h — taking connections from a listener on the loop. */
#ifndef MP_NET_ACCEPT_H
#define MP_NET_ACCEPT_H

#include <sys/socket.h>

#include "net/loop.h"

/* How long a listener is left alone when no descriptor is left. */
#define ACCEPT_PAUSE_MS 250

/* The next connection waiting on listener lfd (the peer's address in *ss
 * when not NULL), or -1 when there is none now. When the process or the
 * system has no descriptor or memory left, the waiting connection would
 * wake poll again at once: the listener is then not polled for
 * ACCEPT_PAUSE_MS and *paused set, errno saying why (the caller says so
 * once); call
 * accept_resume on its LOOP_TIMEOUT. */
int accept_next(struct loop *, int lfd, struct sockaddr_storage *ss,
    int *paused);
void accept_resume(struct loop *, int lfd);

#endif
