/* net-nodelay-test — every TCP connection of ours has Nagle off
 * (net/addr.c, addr_nodelay): a socket dialed by addr_connect and by the
 * asynchronous addr_dial_start/step, and one taken by accept_next, have
 * TCP_NODELAY set, over IPv4 and (when the host has it) IPv6; a socket
 * accepted by plain accept(2) from the same listener does not, so the
 * option is ours and not the kernel's default or the listener's. Unix
 * sockets are left alone (the option does not exist for them) and still
 * connect and accept. */
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/accept.h"
#include "net/addr.h"
#include "net/loop.h"
#include "testlib.h"

/* TCP_NODELAY of fd: 0 or 1, -1 when the socket has no such option. */
static int
nodelay(int fd)
{
	int v = -1;
	socklen_t sl = sizeof v;

	if (getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &sl) == -1)
		return -1;
	return v != 0;
}

/* The next connection on lfd through accept_next (waits for it). */
static int
take(struct loop *l, int lfd, struct sockaddr_storage *ss)
{
	struct pollfd p = { lfd, POLLIN, 0 };
	int paused, fd;

	CHECK(poll(&p, 1, 10000) == 1);
	fd = accept_next(l, lfd, ss, &paused);
	CHECK(fd != -1);
	CHECK_EQ(paused, 0);
	return fd;
}

/* addr_dial_start/step to a, to the end. */
static int
dial_async(const struct addr *a)
{
	struct addr_dial d;
	struct pollfd p;
	struct err e;
	int fd = -1, rc, i;

	rc = addr_dial_start(&d, a, &fd, &e);
	for (i = 0; rc == 1 && i < 1000; i++) {
		p.fd = d.retry ? -1 : d.fd;
		p.events = POLLOUT;
		poll(&p, 1, 10);
		rc = addr_dial_step(&d, &fd, &e);
	}
	CHECK_EQ(rc, 0);
	return fd;
}

/* One listener of text's kind: dialed both ways and accepted both ways.
 * 0 when done, 1 when the host cannot listen there (skipped). */
static int
test_tcp(const char *text, int family)
{
	struct loop l;
	struct addr a;
	struct err e;
	struct sockaddr_storage ss;
	int lfd, c1, c2, c3, s1, s2, s3;

	loop_init(&l);
	CHECK_EQ(addr_parse(&a, text, &e), 0);
	if (addr_listen(&a, &lfd, &e) == -1) {
		printf("%s: %s (skipped)\n", text, e.msg);
		return 1;
	}
	/* The listener itself: the kernel's default, untouched. */
	CHECK_EQ(nodelay(lfd), 0);

	CHECK_EQ(addr_connect(&a, 10, &c1, &e), 0);
	CHECK_EQ(nodelay(c1), 1);
	s1 = take(&l, lfd, &ss);
	CHECK_EQ(ss.ss_family, family);
	CHECK_EQ(nodelay(s1), 1);

	c2 = dial_async(&a);
	CHECK_EQ(nodelay(c2), 1);
	s2 = take(&l, lfd, NULL);
	CHECK_EQ(nodelay(s2), 1);

	/* The control: the same listener, accept(2) without us. */
	CHECK_EQ(addr_connect(&a, 10, &c3, &e), 0);
	{
		struct pollfd p = { lfd, POLLIN, 0 };

		CHECK(poll(&p, 1, 10000) == 1);
	}
	s3 = accept(lfd, NULL, NULL);
	CHECK(s3 != -1);
	CHECK_EQ(nodelay(s3), 0);

	close(c1);
	close(c2);
	close(c3);
	close(s1);
	close(s2);
	close(s3);
	close(lfd);
	loop_clear(&l);
	return 0;
}

static void
test_unix(const char *path)
{
	struct loop l;
	struct addr a;
	struct err e;
	struct sockaddr_storage ss;
	char text[200];
	int lfd, c, s;

	loop_init(&l);
	snprintf(text, sizeof text, "unix:%s", path);
	CHECK_EQ(addr_parse(&a, text, &e), 0);
	CHECK_EQ(addr_listen(&a, &lfd, &e), 0);
	CHECK_EQ(addr_connect(&a, 10, &c, &e), 0);
	s = take(&l, lfd, &ss);
	CHECK_EQ(ss.ss_family, AF_UNIX);
	/* No such option on a Unix socket: nothing was set. */
	CHECK_EQ(nodelay(c), -1);
	CHECK_EQ(nodelay(s), -1);
	/* And the connection works. */
	CHECK_EQ(write(c, "x", 1), 1);
	{
		char b;
		struct pollfd p = { s, POLLIN, 0 };

		CHECK(poll(&p, 1, 10000) == 1);
		CHECK_EQ(read(s, &b, 1), 1);
		CHECK_EQ(b, 'x');
	}
	close(c);
	close(s);
	close(lfd);
	unlink(path);
	loop_clear(&l);
}

int
main(void)
{
	char path[] = "tests/work/nodelay-XXXXXX";
	char sock[sizeof path + 8];
	int fd;

	CHECK_EQ(test_tcp("tcp:127.0.0.1:0", AF_INET), 0);
	(void)test_tcp("tcp:[::1]:0", AF_INET6);
	if ((fd = mkstemp(path)) != -1) {
		close(fd);
		unlink(path);
		snprintf(sock, sizeof sock, "%s.sock", path);
		test_unix(sock);
	} else
		CHECK(fd != -1);
	return test_done();
}
