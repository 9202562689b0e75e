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
/* A connected socket (the connect itself blocks, bounded by the kernel;
 * loopback and Unix sockets answer at once). */
int addr_connect(const struct addr *, int *fd, struct err *);
/* Makes fd non-blocking and close-on-exec. */
int addr_nonblock(int fd, struct err *);

#endif
