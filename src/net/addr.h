/* addr.h — service addresses: "unix:PATH" or "tcp:HOST:PORT".
 *
 * HOST may be a name, an IPv4 literal or a bracketed IPv6 literal; an
 * empty HOST ("tcp::8443" or "tcp:8443") means 127.0.0.1, the loopback
 * default. Sockets are returned non-blocking and close-on-exec. */
#ifndef MP_NET_ADDR_H
#define MP_NET_ADDR_H

#include <stddef.h>

#include "util/err.h"

struct addr {
	int unix_path;		/* 1: path is a Unix-domain socket path */
	char path[108];
	char host[256];
	char port[8];
};

/* ERR_USAGE "ADDR: ..." on a malformed address. */
int addr_parse(struct addr *, const char *text, struct err *);
/* "unix:PATH" / "tcp:HOST:PORT" into out. */
void addr_format(const struct addr *, char *out, size_t outlen);
/* A listening socket (SO_REUSEADDR; a stale Unix socket file is replaced
 * when nothing answers on it). For "tcp:HOST:0" the chosen port is
 * written back into a->port. */
int addr_listen(struct addr *, int *fd, struct err *);
/* A connected socket, or the reason: "connect to ADDR: timed out after
 * N s" when it is not connected within timeout seconds (> 0): a TCP peer
 * that never answers, or a Unix listener whose backlog is full (nobody
 * accepts). On failure errno is the reason of the last try (ECONNREFUSED,
 * ENOENT for a missing Unix socket file, ETIMEDOUT). */
int addr_connect(const struct addr *, int timeout, int *fd, struct err *);

/* The same connect without blocking, for a caller's poll loop. */
struct addrinfo;
struct addr_dial {
	struct addr a;
	struct addrinfo *res, *next;	/* TCP: the candidates, the next */
	int fd;			/* the socket being connected; -1: none */
	int retry;		/* Unix: the backlog was full, nothing to
				 * poll for: step again after a pause */
	int err;		/* errno of the last failed candidate */
};
#define ADDR_DIAL_RETRY_MS 50

/* Starts: 0 when connected at once (*fd set, d empty), 1 when in progress,
 * -1 when no candidate can be connected ("connect to ADDR: ..."). In
 * progress, wait for d->fd writable (or ADDR_DIAL_RETRY_MS when d->retry),
 * then call addr_dial_step, which answers the same way; calling it early
 * is harmless. */
int addr_dial_start(struct addr_dial *, const struct addr *, int *fd,
    struct err *);
int addr_dial_step(struct addr_dial *, int *fd, struct err *);
/* Gives up: closes the socket, frees the candidates. Safe when empty. */
void addr_dial_clear(struct addr_dial *);
/* addr_dial_clear and "connect to ADDR: timed out after N s"; -1. */
int addr_dial_timeout(struct addr_dial *, int timeout, struct err *);
/* Makes fd non-blocking and close-on-exec. */
int addr_nonblock(int fd, struct err *);
/* TCP_NODELAY on fd when family is AF_INET or AF_INET6 (why: addr.c);
 * nothing for a Unix socket. Dialed sockets get it here, accepted ones
 * in accept_next. */
void addr_nodelay(int fd, int family);

#endif
