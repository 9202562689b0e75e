/* addr.c — parse service addresses, listen and connect; see addr.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "net/addr.h"
#include "net/loop.h"

int
addr_parse(struct addr *a, const char *text, struct err *e)
{
	const char *h, *p, *end;
	size_t hl;

	memset(a, 0, sizeof *a);
	if (strncmp(text, "unix:", 5) == 0) {
		if (text[5] == '\0' || strlen(text + 5) >= sizeof a->path)
			return err_set(e, ERR_USAGE, "%s: the socket path is "
			    "empty or longer than %zu bytes", text,
			    sizeof a->path - 1);
		a->unix_path = 1;
		strcpy(a->path, text + 5);
		return 0;
	}
	if (strncmp(text, "tcp:", 4) != 0)
		return err_set(e, ERR_USAGE, "%s: an address is unix:PATH or "
		    "tcp:HOST:PORT", text);
	h = text + 4;
	if (*h == '[') {
		end = strchr(h, ']');
		if (end == NULL || end[1] != ':')
			return err_set(e, ERR_USAGE, "%s: want tcp:[IPV6]:PORT",
			    text);
		h++;
		hl = (size_t)(end - h);
		p = end + 2;
	} else {
		end = strrchr(h, ':');
		if (end == NULL) {
			hl = 0;
			p = h;
		} else {
			hl = (size_t)(end - h);
			p = end + 1;
		}
	}
	if (hl >= sizeof a->host)
		return err_set(e, ERR_USAGE, "%s: host name too long", text);
	/* No name or IP literal holds a bracket, and one inside the host
	 * would not survive addr_format: "tcp:a:]b:1" would print as
	 * "tcp:[a:]b]:1", which reads differently. */
	if (memchr(h, '[', hl) != NULL || memchr(h, ']', hl) != NULL)
		return err_set(e, ERR_USAGE, "%s: a host cannot contain '[' or "
		    "']' (only tcp:[IPV6]:PORT brackets one)", text);
	if (*p == '\0' || strlen(p) > 5 || strspn(p, "0123456789") !=
	    strlen(p) || atoi(p) > 65535)
		return err_set(e, ERR_USAGE, "%s: the port must be a number "
		    "from 0 to 65535", text);
	if (hl == 0)
		strcpy(a->host, "127.0.0.1");
	else {
		memcpy(a->host, h, hl);
		a->host[hl] = '\0';
	}
	strcpy(a->port, p);
	return 0;
}

void
addr_format(const struct addr *a, char *out, size_t outlen)
{
	if (a->unix_path)
		snprintf(out, outlen, "unix:%s", a->path);
	else if (strchr(a->host, ':') != NULL)
		snprintf(out, outlen, "tcp:[%s]:%s", a->host, a->port);
	else
		snprintf(out, outlen, "tcp:%s:%s", a->host, a->port);
}

int
addr_nonblock(int fd, struct err *e)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return err_set(e, ERR_IO, "fcntl: %s", strerror(errno));
	return 0;
}

/* Why every TCP socket of ours is TCP_NODELAY: our protocols are
 * request/answer, and what one side sends before it waits often goes
 * out as more than one write (a TLS 1.2 client's Finished then its first
 * line; a server's ticket then its close_notify; a handshake record then
 * the next). Nagle's algorithm holds a small segment back while an
 * earlier one is not yet acknowledged, and the peer's delayed ACK holds
 * that acknowledgement for up to 40 ms (Linux): each such pair costs 40
 * ms of idle wait. Measured: `client connect --tls 1.2 --reconnect 30`
 * took about 45 ms more per resumed connection with Nagle on, and the
 * bench's load generator lost 40 ms per connection until it set the
 * option. We never write byte by byte, so turning Nagle off adds no
 * tiny packets. A Unix socket has no Nagle and refuses the option: left
 * alone. */
void
addr_nodelay(int fd, int family)
{
	int one = 1;

	if (family == AF_INET || family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof one);
}

static int
addr_unix(const struct addr *a, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, a->path, strlen(a->path) + 1);
	return 0;
}

static int
addr_resolve(const struct addr *a, int passive, struct addrinfo **res,
    struct err *e)
{
	struct addrinfo hints;
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = passive ? AI_PASSIVE : 0;
	rc = getaddrinfo(a->host, a->port, &hints, res);
	if (rc != 0) {
		err_set(e, ERR_IO, "tcp:%s:%s: %s", a->host, a->port,
		    gai_strerror(rc));
		errno = EINVAL;	/* not a peer to wait for */
		return -1;
	}
	return 0;
}

/* Connections waiting for accept: a Unix socket refuses the connect
 * (EAGAIN) of a client beyond it at once, where TCP retries its SYN, and
 * a busy loop (a CA signing) may accept late behind hundreds of clients.
 * The kernel caps it at net.core.somaxconn. */
#define ADDR_BACKLOG SOMAXCONN

int
addr_listen(struct addr *a, int *fdp, struct err *e)
{
	struct sockaddr_un sun;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	struct addrinfo *res, *ai;
	struct stat st;
	int fd = -1, one = 1, probe;

	if (a->unix_path) {
		addr_unix(a, &sun);
		/* A leftover socket file nobody listens on is replaced. */
		if (lstat(a->path, &st) == 0 && S_ISSOCK(st.st_mode)) {
			probe = socket(AF_UNIX, SOCK_STREAM, 0);
			if (probe != -1 && connect(probe, (struct sockaddr *)&sun,
			    sizeof sun) == -1 && errno == ECONNREFUSED)
				unlink(a->path);
			if (probe != -1)
				close(probe);
		}
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd == -1 || bind(fd, (struct sockaddr *)&sun, sizeof sun)
		    == -1 || listen(fd, ADDR_BACKLOG) == -1)
			goto fail;
		goto done;
	}
	if (addr_resolve(a, 1, &res, e) == -1)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, ADDR_BACKLOG) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1)
		goto fail;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET)
			snprintf(a->port, sizeof a->port, "%u",
			    ntohs(((struct sockaddr_in *)&ss)->sin_port));
		else if (ss.ss_family == AF_INET6)
			snprintf(a->port, sizeof a->port, "%u",
			    ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
	}
done:
	if (addr_nonblock(fd, e) == -1) {
		close(fd);
		return -1;
	}
	*fdp = fd;
	return 0;
fail:
	{
		char name[400];

		addr_format(a, name, sizeof name);
		err_set(e, ERR_IO, "listen on %s: %s", name, strerror(errno));
	}
	if (fd != -1)
		close(fd);
	return -1;
}

/* The next candidate's socket, or -1 when none is left. */
static int
addr_dial_socket(struct addr_dial *d)
{
	const struct addrinfo *ai;
	struct err e;

	for (;;) {
		if (d->a.unix_path) {
			if (d->err != 0)
				return -1;	/* its one try failed */
			d->fd = socket(AF_UNIX, SOCK_STREAM, 0);
		} else {
			if ((ai = d->next) == NULL)
				return -1;
			d->next = ai->ai_next;
			d->fd = socket(ai->ai_family, ai->ai_socktype,
			    ai->ai_protocol);
			if (d->fd != -1)
				addr_nodelay(d->fd, ai->ai_family);
		}
		if (d->fd != -1 && addr_nonblock(d->fd, &e) == 0)
			return 0;
		d->err = errno != 0 ? errno : EIO;
		if (d->fd != -1)
			close(d->fd);
		d->fd = -1;
	}
}

/* connect() on d->fd: 0 connected, 1 in progress, -1 failed (d->err). */
static int
addr_dial_connect(struct addr_dial *d, const struct addrinfo *ai)
{
	struct sockaddr_un sun;
	int rc;

	if (d->a.unix_path) {
		addr_unix(&d->a, &sun);
		rc = connect(d->fd, (struct sockaddr *)&sun, sizeof sun);
	} else
		rc = connect(d->fd, ai->ai_addr, ai->ai_addrlen);
	if (rc == 0 || errno == EISCONN)
		return 0;
	if (errno == EINPROGRESS || errno == EINTR || errno == EALREADY) {
		d->retry = 0;
		return 1;
	}
	/* A full Unix backlog: Linux says EAGAIN and gives nothing to
	 * poll for; the connect is tried again. */
	if (errno == EAGAIN && d->a.unix_path) {
		d->retry = 1;
		return 1;
	}
	d->err = errno;
	return -1;
}

static int
addr_dial_fail(struct addr_dial *d, struct err *e)
{
	char name[400];
	int saved = d->err;

	addr_dial_clear(d);
	addr_format(&d->a, name, sizeof name);
	if (saved == 0)
		saved = ECONNREFUSED;
	err_set(e, ERR_IO, "connect to %s: %s", name, strerror(saved));
	errno = saved;		/* for net/dialwait.c: is it worth a wait */
	return -1;
}

static int
addr_dial_done(struct addr_dial *d, int *fdp)
{
	*fdp = d->fd;
	d->fd = -1;
	addr_dial_clear(d);
	return 0;
}

/* Tries the candidates from the next one on. */
static int
addr_dial_try(struct addr_dial *d, int *fdp, struct err *e)
{
	const struct addrinfo *ai;
	int rc;

	for (;;) {
		ai = d->next;
		if (addr_dial_socket(d) == -1)
			return addr_dial_fail(d, e);
		if ((rc = addr_dial_connect(d, ai)) == 0)
			return addr_dial_done(d, fdp);
		if (rc == 1)
			return 1;
		close(d->fd);
		d->fd = -1;
	}
}

int
addr_dial_start(struct addr_dial *d, const struct addr *a, int *fdp,
    struct err *e)
{
	memset(d, 0, sizeof *d);
	d->a = *a;
	d->fd = -1;
	if (!a->unix_path) {
		if (addr_resolve(a, 0, &d->res, e) == -1)
			return -1;
		d->next = d->res;
	}
	return addr_dial_try(d, fdp, e);
}

int
addr_dial_step(struct addr_dial *d, int *fdp, struct err *e)
{
	struct pollfd p;
	socklen_t sl = sizeof d->err;
	int rc;

	if (d->fd == -1)
		return addr_dial_fail(d, e);
	if (d->retry) {
		if ((rc = addr_dial_connect(d, NULL)) == 0)
			return addr_dial_done(d, fdp);
		if (rc == 1)
			return 1;
		return addr_dial_fail(d, e);
	}
	/* TCP in progress: done when writable, SO_ERROR says how. */
	p.fd = d->fd;
	p.events = POLLOUT;
	if (poll(&p, 1, 0) == 0 || (p.revents & (POLLOUT | POLLERR |
	    POLLHUP)) == 0)
		return 1;
	if (getsockopt(d->fd, SOL_SOCKET, SO_ERROR, &d->err, &sl) == -1)
		d->err = errno;
	if (d->err == 0)
		return addr_dial_done(d, fdp);
	close(d->fd);
	d->fd = -1;
	return addr_dial_try(d, fdp, e);
}

void
addr_dial_clear(struct addr_dial *d)
{
	if (d->fd != -1)
		close(d->fd);
	d->fd = -1;
	if (d->res != NULL)
		freeaddrinfo(d->res);
	d->res = d->next = NULL;
	d->retry = 0;
}

int
addr_dial_timeout(struct addr_dial *d, int timeout, struct err *e)
{
	char name[400];

	addr_dial_clear(d);
	addr_format(&d->a, name, sizeof name);
	err_set(e, ERR_IO, "connect to %s: timed out after %d s", name,
	    timeout);
	errno = ETIMEDOUT;
	return -1;
}

int
addr_connect(const struct addr *a, int timeout, int *fdp, struct err *e)
{
	struct addr_dial d;
	struct pollfd p;
	int64_t deadline = loop_now_ms() + 1000 * (int64_t)timeout, left;
	int rc;

	rc = addr_dial_start(&d, a, fdp, e);
	while (rc == 1) {
		left = deadline - loop_now_ms();
		if (left <= 0)
			return addr_dial_timeout(&d, timeout, e);
		/* a negative fd: poll only waits */
		p.fd = d.retry ? -1 : d.fd;
		p.events = POLLOUT;
		if (d.retry && left > ADDR_DIAL_RETRY_MS)
			left = ADDR_DIAL_RETRY_MS;
		poll(&p, 1, (int)left);
		if (loop_signalled()) {
			addr_dial_clear(&d);
			return err_set(e, ERR_IO, "interrupted");
		}
		rc = addr_dial_step(&d, fdp, e);
	}
	return rc;
}
