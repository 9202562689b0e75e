/* net-dial-test — connects bounded in time: a Unix listener whose backlog
 * is full (nobody accepts) and a TCP one the same way make addr_connect and
 * the asynchronous client give up with "connect to ADDR: timed out after
 * 1 s"; once the listener accepts, the asynchronous client's retried
 * connect goes through and its ClientHello arrives; a refused connect says
 * so at once. */
#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/addr.h"
#include "net/loop.h"
#include "role/client.h"
#include "testlib.h"
#include "tls/tls.h"

#define NHELD 8

/* A listener (backlog 0) and the non-blocking connects that fill its
 * queue; name is its address text. */
struct full {
	int lfd;
	int held[NHELD];
	char name[200];
};

static void
full_open(struct full *f, int unix_sock, const char *path)
{
	struct sockaddr_un sun;
	struct sockaddr_in sin;
	struct sockaddr *sa;
	socklen_t sl;
	int i;

	memset(f, 0, sizeof *f);
	if (unix_sock) {
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
		unlink(path);
		sa = (struct sockaddr *)&sun;
		sl = sizeof sun;
		f->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	} else {
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sa = (struct sockaddr *)&sin;
		sl = sizeof sin;
		f->lfd = socket(AF_INET, SOCK_STREAM, 0);
	}
	CHECK(f->lfd != -1);
	CHECK(bind(f->lfd, sa, sl) == 0);
	CHECK(listen(f->lfd, 0) == 0);
	CHECK(getsockname(f->lfd, sa, &sl) == 0);
	if (unix_sock)
		snprintf(f->name, sizeof f->name, "unix:%s", path);
	else
		snprintf(f->name, sizeof f->name, "tcp:127.0.0.1:%u",
		    ntohs(sin.sin_port));
	for (i = 0; i < NHELD; i++) {
		f->held[i] = socket(sa->sa_family, SOCK_STREAM, 0);
		fcntl(f->held[i], F_SETFL, O_NONBLOCK);
		connect(f->held[i], sa, sl);
	}
}

static void
full_close(struct full *f)
{
	int i;

	for (i = 0; i < NHELD; i++)
		close(f->held[i]);
	close(f->lfd);
}

static char want[300];

static const char *
timed_out(const struct full *f)
{
	snprintf(want, sizeof want, "connect to %s: timed out after 1 s",
	    f->name);
	return want;
}

static void
test_blocking(int unix_sock, const char *path)
{
	struct full f;
	struct addr a;
	struct err e;
	int fd = -1;

	full_open(&f, unix_sock, path);
	err_clear(&e);
	CHECK(addr_parse(&a, f.name, &e) == 0);
	CHECK(addr_connect(&a, 1, &fd, &e) == -1);
	CHECK_STR(e.msg, timed_out(&f));
	CHECK_EQ(e.kind, ERR_IO);
	CHECK_EQ(fd, -1);
	full_close(&f);
}

struct seen {
	int closed, turns;
	char why[300];
};

static void
on_event(void *ctx, enum client_event ev, const char *text)
{
	struct seen *v = ctx;

	if (ev == CLIENT_EV_CLOSED) {
		v->closed = 1;
		snprintf(v->why, sizeof v->why, "%s", text ? text : "(clean)");
	}
}

/* Runs l until the session is over or max turns. */
static void
run_until_closed(struct loop *l, struct seen *v, int max)
{
	struct err e;

	while (!v->closed && v->turns < max) {
		CHECK(loop_once(l, 5000, &e) == 0);
		v->turns++;
	}
}

/* A client of f's listener with no trust anchors (it never gets as far
 * as a certificate) reporting to v. */
struct async {
	struct tls_config cfg;
	struct cert_list anchors;
	struct client_conf cc;
};

static void
async_conf(struct async *a, const struct full *f, int timeout,
    struct seen *v)
{
	struct err e;

	memset(a, 0, sizeof *a);
	a->cfg.min_version = TLS_VERSION_12;
	a->cfg.max_version = TLS_VERSION_13;
	cert_list_init(&a->anchors);
	a->cfg.anchors = &a->anchors;
	err_clear(&e);
	CHECK(addr_parse(&a->cc.addr, f->name, &e) == 0);
	a->cc.tls = &a->cfg;
	a->cc.timeout = timeout;
	a->cc.event = on_event;
	a->cc.event_ctx = v;
}

static void
test_async(int unix_sock, const char *path)
{
	struct full f;
	struct loop l;
	struct async a;
	struct client_session *s;
	struct seen v;
	struct err e;

	full_open(&f, unix_sock, path);
	memset(&v, 0, sizeof v);
	err_clear(&e);
	async_conf(&a, &f, 1, &v);
	loop_init(&l);
	s = client_start(&a.cc, &l, &e);
	CHECK(s != NULL);
	CHECK(!v.closed);	/* never from inside client_start */
	if (s != NULL) {
		run_until_closed(&l, &v, 1000);
		CHECK(v.closed);
		CHECK_STR(v.why, timed_out(&f));
		/* waits in the loop, not spinning: a Unix retry every
		 * ADDR_DIAL_RETRY_MS is some twenty turns */
		CHECK(v.turns < 200);
		client_free(s);
	}
	loop_clear(&l);
	full_close(&f);
	cert_list_clear(&a.anchors);
}

/* The backlog frees while the client waits: its connect goes through and
 * the ClientHello (a handshake record, 0x16) arrives. */
static void
test_async_late(int unix_sock, const char *path)
{
	struct full f;
	struct loop l;
	struct async a;
	struct client_session *s;
	struct seen v;
	struct err e;
	struct pollfd p;
	unsigned char hello[5];
	int i, afd, n = 0;

	full_open(&f, unix_sock, path);
	memset(&v, 0, sizeof v);
	err_clear(&e);
	async_conf(&a, &f, 30, &v);
	loop_init(&l);
	s = client_start(&a.cc, &l, &e);
	CHECK(s != NULL);
	if (s != NULL) {
		fcntl(f.lfd, F_SETFL, O_NONBLOCK);
		for (i = 0; i < 3; i++)		/* the client retries */
			CHECK(loop_once(&l, 100, &e) == 0);
		while ((afd = accept(f.lfd, NULL, NULL)) != -1)
			close(afd);		/* the held connects */
		for (i = 0; i < 100 && afd == -1; i++) {
			CHECK(loop_once(&l, 50, &e) == 0);
			afd = accept(f.lfd, NULL, NULL);
		}
		CHECK(afd != -1);
		for (i = 0; afd != -1 && i < 100 && n < (int)sizeof hello;
		    i++) {
			CHECK(loop_once(&l, 50, &e) == 0);
			p.fd = afd;
			p.events = POLLIN;
			if (poll(&p, 1, 50) == 1)
				n += (int)read(afd, hello + n,
				    sizeof hello - (size_t)n);
		}
		CHECK_EQ(n, (int)sizeof hello);
		CHECK_EQ(hello[0], 0x16);
		CHECK(!v.closed);
		if (afd != -1)
			close(afd);
		client_free(s);
	}
	loop_clear(&l);
	full_close(&f);
	cert_list_clear(&a.anchors);
}

static void
test_refused(const char *path)
{
	struct addr a;
	struct err e;
	char name[200], msg[300];
	int fd = -1;

	unlink(path);
	snprintf(name, sizeof name, "unix:%s", path);
	snprintf(msg, sizeof msg, "connect to %s: No such file or directory",
	    name);
	err_clear(&e);
	CHECK(addr_parse(&a, name, &e) == 0);
	CHECK(addr_connect(&a, 1, &fd, &e) == -1);
	CHECK_STR(e.msg, msg);
}

/* A connect that blocks is the bug: end the test instead of hanging. */
static void
on_alarm(int sig)
{
	static const char msg[] = "net-dial-test: FAILED: a connect blocked "
	    "for 60 s\n";

	(void)sig;
	(void)!write(2, msg, sizeof msg - 1);
	_exit(1);
}

int
main(void)
{
	char path[100];

	loop_catch_signals();
	signal(SIGALRM, on_alarm);
	alarm(60);
	snprintf(path, sizeof path, "/tmp/net-dial-test.%ld.sock",
	    (long)getpid());
	test_blocking(1, path);
	test_blocking(0, NULL);
	test_async(1, path);
	test_async(0, NULL);
	test_async_late(1, path);
	test_refused(path);
	unlink(path);
	return test_done();
}
