/* role-async-test — the non-blocking server and client roles in one
 * process and one loop (as the TUI's connection window runs them): a
 * server_start listener on a Unix socket and on tcp:127.0.0.1:0, async
 * client sessions doing TLS 1.3 and 1.2 handshakes, service lines
 * answered, and failures reported in words; one run drives the loop through
 * loop_pollfds / loop_dispatch with a poll() of our own. */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/loop.h"
#include "role/client.h"
#include "role/server.h"
#include "testcert.h"
#include "testlib.h"
#include "tls/tls.h"
#include "util/xalloc.h"
#include "x509/cert.h"

static struct test_pki pki;

/* What the callbacks saw. */
struct seen {
	char ready[200];
	int handshakes, closed;
	char peer[200];
	char answers[8][200];
	int nanswers;
	char why[300];
	int clean;
	struct buf strace, ctrace, slog;
};

static void
on_ready(void *ctx, const char *addr)
{
	struct seen *v = ctx;

	snprintf(v->ready, sizeof v->ready, "%s", addr);
}

static void
on_strace(void *ctx, unsigned id, const char *line)
{
	struct seen *v = ctx;

	buf_printf(&v->strace, "[%u] %s\n", id, line);
}

static void
on_slog(void *ctx, const char *line)
{
	struct seen *v = ctx;

	buf_printf(&v->slog, "%s\n", line);
}

static void
on_ctrace(void *ctx, const char *line)
{
	struct seen *v = ctx;

	buf_printf(&v->ctrace, "%s\n", line);
}

static void
on_client(void *ctx, enum client_event ev, const char *text)
{
	struct seen *v = ctx;

	switch (ev) {
	case CLIENT_EV_HANDSHAKE:
		v->handshakes++;
		snprintf(v->peer, sizeof v->peer, "%s", text ? text : "(none)");
		break;
	case CLIENT_EV_ANSWER:
		if (v->nanswers < 8)
			snprintf(v->answers[v->nanswers++], 200, "%s", text);
		break;
	case CLIENT_EV_CLOSED:
		v->closed++;
		v->clean = text == NULL;
		snprintf(v->why, sizeof v->why, "%s", text ? text : "");
		break;
	}
}

static int
has(const struct buf *b, const char *frag)
{
	char *s = xstrndup((const char *)b->data, b->len);
	int r = strstr(s, frag) != NULL;

	free(s);
	return r;
}

/* Turns the loop until cond is true or 10 seconds pass; own_poll drives
 * it through loop_pollfds / loop_dispatch as the TUI does. */
static int
turn(struct loop *l, struct seen *v, int (*cond)(const struct seen *),
    int own_poll)
{
	int64_t end = loop_now_ms() + 10000;
	struct err e;

	while (!cond(v) && loop_now_ms() < end) {
		if (own_poll) {
			struct pollfd p[17];
			size_t n;
			int wait = 200;

			p[0].fd = -1;	/* a slot for "the terminal" */
			p[0].events = POLLIN;
			n = loop_pollfds(l, p + 1, 16, &wait);
			CHECK(poll(p, n + 1, wait) >= 0);
			loop_dispatch(l, p + 1, n);
		} else
			CHECK(loop_once(l, 200, &e) == 0);
	}
	return cond(v);
}

static int hs_or_closed(const struct seen *v) { return v->handshakes || v->closed; }
static int closed(const struct seen *v) { return v->closed > 0; }
static int two_answers(const struct seen *v) { return v->nanswers >= 2 || v->closed; }
static int three_answers(const struct seen *v) { return v->nanswers >= 3 || v->closed; }

struct run {
	struct loop l;
	struct tls_config scfg, ccfg;
	struct server_conf sc;
	struct client_conf cc;
	struct server *srv;
	struct client_session *cs;
	struct seen v;
	char dir[64];
};

static void
run_init(struct run *r, const char *listen)
{
	struct err e;

	memset(r, 0, sizeof *r);
	buf_init(&r->v.strace);
	buf_init(&r->v.ctrace);
	buf_init(&r->v.slog);
	loop_init(&r->l);
	r->scfg.is_server = 1;
	r->scfg.min_version = TLS_VERSION_12;
	r->scfg.max_version = TLS_VERSION_13;
	r->scfg.chain = &pki.server_chain;
	r->scfg.key = &pki.leaf_key;
	r->scfg.anchors = &pki.root;
	r->ccfg.min_version = TLS_VERSION_12;
	r->ccfg.max_version = TLS_VERSION_13;
	r->ccfg.anchors = &pki.root;
	r->ccfg.server_name = "localhost";
	r->ccfg.trace = on_ctrace;
	r->ccfg.cb_ctx = &r->v;
	if (listen == NULL) {
		snprintf(r->dir, sizeof r->dir, "/tmp/role-async-XXXXXX");
		CHECK(mkdtemp(r->dir) != NULL);
		snprintf(r->sc.addr.path, sizeof r->sc.addr.path, "%s/s.sock",
		    r->dir);
		r->sc.addr.unix_path = 1;
	} else
		CHECK(addr_parse(&r->sc.addr, listen, &e) == 0);
	r->sc.tls = &r->scfg;
	r->sc.handshake_timeout = 5;
	r->sc.idle_timeout = 5;
	r->sc.ready = on_ready;
	r->sc.ready_ctx = &r->v;
	r->sc.trace = on_strace;
	r->sc.event = on_slog;
	r->sc.cb_ctx = &r->v;
	r->cc.tls = &r->ccfg;
	r->cc.timeout = 5;
	r->cc.event = on_client;
	r->cc.event_ctx = &r->v;
}

static int
run_start(struct run *r)
{
	struct err e;

	r->srv = server_start(&r->sc, &r->l, &e);
	CHECK(r->srv != NULL);
	if (r->srv == NULL)
		return -1;
	/* The client connects to where the server listens (the port
	 * chosen for tcp:...:0 is in sc.addr now). */
	r->cc.addr = r->sc.addr;
	r->cs = client_start(&r->cc, &r->l, &e);
	CHECK(r->cs != NULL);
	return r->cs != NULL ? 0 : -1;
}

static void
run_clear(struct run *r)
{
	client_free(r->cs);
	server_stop(r->srv);
	loop_clear(&r->l);
	buf_clear(&r->v.strace);
	buf_clear(&r->v.ctrace);
	buf_clear(&r->v.slog);
	if (r->dir[0] != '\0')
		rmdir(r->dir);
}

/* TLS 1.3 with client authentication required, over a Unix socket; the
 * loop driven by our own poll(). */
static void
test_mutual13(void)
{
	struct run r;
	struct err e;

	run_init(&r, NULL);
	r.scfg.client_auth = TLS_AUTH_REQUIRE;
	r.ccfg.chain = &pki.client_chain;
	r.ccfg.key = &pki.leaf_key;
	if (run_start(&r) == -1)
		goto out;
	CHECK(strncmp(r.v.ready, "unix:/tmp/role-async-", 21) == 0);
	/* Nothing to send before the handshake. */
	CHECK_ERR(client_send(r.cs, "WHOAMI", &e), &e,
	    "the handshake is not done yet");
	CHECK(turn(&r.l, &r.v, hs_or_closed, 1));
	CHECK_EQ(r.v.handshakes, 1);
	CHECK_STR(r.v.peer, "CN=localhost");
	CHECK_EQ(tls_engine_version(client_tls(r.cs)), TLS_VERSION_13);
	CHECK(client_send(r.cs, "WHOAMI", &e) == 0);
	CHECK(client_send(r.cs, "ECHO hello there", &e) == 0);
	CHECK(turn(&r.l, &r.v, two_answers, 1));
	CHECK_STR(r.v.answers[0], "CN=alice");
	CHECK_STR(r.v.answers[1], "hello there");
	CHECK(client_send(r.cs, "QUIT", &e) == 0);
	CHECK(turn(&r.l, &r.v, closed, 1));
	CHECK_STR(r.v.answers[2], "BYE");
	CHECK(r.v.clean);
	CHECK(client_closed_done(r.cs));
	CHECK_ERR(client_send(r.cs, "TIME", &e), &e, "the connection is over");
	/* Both sides traced: each message sent by one, received by the
	 * other. */
	CHECK(has(&r.v.ctrace, "> ClientHello"));
	CHECK(has(&r.v.ctrace, "< ServerHello"));
	CHECK(has(&r.v.ctrace, "> Certificate"));
	CHECK(has(&r.v.ctrace, "> Finished"));
	CHECK(has(&r.v.strace, "[1] < ClientHello"));
	CHECK(has(&r.v.strace, "[1] > ServerHello"));
	CHECK(has(&r.v.strace, "[1] > CertificateRequest"));
	CHECK(has(&r.v.slog, "connection 1: accepted"));
	CHECK(has(&r.v.slog, "connection 1: TLS 1.3 handshake done "
	    "(TLS_AES_128_GCM_SHA256), client CN=alice"));
out:
	run_clear(&r);
	CHECK(access(r.sc.addr.path, F_OK) == -1);	/* unlinked */
}

/* TLS 1.2 ECDHE and RSA over TCP on an ephemeral loopback port, an
 * anonymous client; then server_stop under a live connection. */
static void
test_tls12(uint16_t suite)
{
	struct run r;
	struct err e;

	run_init(&r, "tcp:127.0.0.1:0");
	r.ccfg.max_version = TLS_VERSION_12;
	r.ccfg.tls12_suite = suite;
	if (run_start(&r) == -1)
		goto out;
	CHECK(strncmp(r.v.ready, "tcp:127.0.0.1:", 14) == 0);
	CHECK(strcmp(r.v.ready, "tcp:127.0.0.1:0") != 0);
	CHECK(turn(&r.l, &r.v, hs_or_closed, 0));
	CHECK_EQ(r.v.handshakes, 1);
	CHECK_EQ(tls_engine_version(client_tls(r.cs)), TLS_VERSION_12);
	CHECK_EQ(tls_engine_suite(client_tls(r.cs)), suite);
	CHECK(client_send(r.cs, "WHOAMI", &e) == 0);
	CHECK(client_send(r.cs, "NOPE", &e) == 0);
	CHECK(client_send(r.cs, "TIME", &e) == 0);
	CHECK(turn(&r.l, &r.v, three_answers, 0));
	CHECK_STR(r.v.answers[0], "anonymous");
	CHECK(strncmp(r.v.answers[1], "ERR unknown command 'NOPE'", 26) == 0);
	CHECK_EQ(strlen(r.v.answers[2]), 20);	/* 2026-11-23T12:00:00Z */
	CHECK(has(&r.v.ctrace, suite == TLS_SUITE_RSA_AES128_GCM ?
	    "> ClientKeyExchange" : "< ServerKeyExchange"));
	/* The server goes away: the client hears close_notify. */
	server_stop(r.srv);
	r.srv = NULL;
	CHECK(turn(&r.l, &r.v, closed, 0));
	CHECK(r.v.clean);
	CHECK(has(&r.v.slog, "stopped"));
out:
	run_clear(&r);
}

/* The client trusts another root: it refuses the server in words. */
static void
test_unknown_ca(void)
{
	struct run r;

	run_init(&r, NULL);
	r.ccfg.anchors = &pki.other_root;
	if (run_start(&r) == -1)
		goto out;
	CHECK(turn(&r.l, &r.v, closed, 1));
	CHECK_EQ(r.v.handshakes, 0);
	CHECK(!r.v.clean);
	CHECK(strstr(r.v.why, "server certificate verify failed") != NULL);
	/* The server hears why; give it a moment to read the alert. */
	{
		int64_t end = loop_now_ms() + 3000;
		struct err e;

		while (!has(&r.v.slog, "unknown_ca") && loop_now_ms() < end)
			loop_once(&r.l, 100, &e);
	}
	CHECK(has(&r.v.slog, "connection 1: peer sent alert unknown_ca"));
out:
	run_clear(&r);
}

/* Client authentication required, an anonymous client: TLS 1.3 lets the
 * client finish first, then the server's alert ends it. */
static void
test_cert_required(void)
{
	struct run r;

	run_init(&r, NULL);
	r.scfg.client_auth = TLS_AUTH_REQUIRE;
	if (run_start(&r) == -1)
		goto out;
	CHECK(turn(&r.l, &r.v, closed, 1));
	CHECK(!r.v.clean);
	CHECK(strstr(r.v.why, "certificate_required") != NULL);
out:
	run_clear(&r);
}

/* Nothing listens: client_start says so at once. */
static void
test_no_server(void)
{
	struct client_conf cc;
	struct tls_config cfg;
	struct loop l;
	struct err e;

	memset(&cc, 0, sizeof cc);
	memset(&cfg, 0, sizeof cfg);
	loop_init(&l);
	CHECK(addr_parse(&cc.addr, "unix:/tmp/role-async-nothing-here.sock",
	    &e) == 0);
	cc.tls = &cfg;
	cc.timeout = 1;
	CHECK(client_start(&cc, &l, &e) == NULL);
	CHECK(e.kind == ERR_IO || e.kind == ERR_REFUSED);
	CHECK_EQ(l.n, 0);
	loop_clear(&l);
}

/* A peer that accepts the connection but never speaks: the handshake
 * deadline ends the session, in words, and leaves nothing in the loop. */
static void
test_silent_server(void)
{
	struct run r;
	struct err e;
	int lfd;
	int64_t t0;

	run_init(&r, NULL);
	CHECK(addr_listen(&r.sc.addr, &lfd, &e) == 0);
	r.cc.addr = r.sc.addr;
	r.cc.timeout = 1;
	t0 = loop_now_ms();
	r.cs = client_start(&r.cc, &r.l, &e);
	CHECK(r.cs != NULL);
	if (r.cs == NULL)
		goto out;
	CHECK(turn(&r.l, &r.v, closed, 0));
	CHECK(loop_now_ms() - t0 >= 1000);
	CHECK_EQ(r.v.handshakes, 0);
	CHECK(!r.v.clean);
	CHECK_STR(r.v.why, "timed out during the handshake");
	CHECK(client_closed_done(r.cs));
	loop_once(&r.l, 0, &e);	/* compacts the removed entry */
	CHECK_EQ(r.l.n, 0);
out:
	close(lfd);
	unlink(r.sc.addr.path);
	run_clear(&r);
}

/* Out of descriptors: accept fails with a connection still queued, so the
 * listener stays readable. The server must pause accepting for a while
 * rather than spin the loop, then take the connection once it can. */
static void
test_accept_emfile(void)
{
	struct run r;
	struct sockaddr_un sun;
	struct rlimit old, low;
	struct err e;
	int64_t end;
	int fd, probe, turns = 0;

	run_init(&r, NULL);
	r.srv = server_start(&r.sc, &r.l, &e);
	CHECK(r.srv != NULL);
	if (r.srv == NULL)
		goto out;
	CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
	/* Room for exactly one more descriptor: the client's socket. */
	probe = dup(0);
	CHECK(probe != -1);
	close(probe);
	low = old;
	low.rlim_cur = (rlim_t)probe + 1;
	CHECK(setrlimit(RLIMIT_NOFILE, &low) == 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(fd != -1);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", r.sc.addr.path);
	CHECK(connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0);
	end = loop_now_ms() + 300;
	while (loop_now_ms() < end && loop_once(&r.l, 50, &e) == 0)
		turns++;
	CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
	/* Waiting, not spinning: a few turns of 50 ms, not thousands. */
	CHECK(turns < 20);
	CHECK(has(&r.v.slog, "accept: Too many open files"));
	end = loop_now_ms() + 3000;
	while (!has(&r.v.slog, "connection 1: accepted") &&
	    loop_now_ms() < end)
		CHECK(loop_once(&r.l, 100, &e) == 0);
	CHECK(has(&r.v.slog, "connection 1: accepted"));
	if (fd != -1)
		close(fd);
out:
	run_clear(&r);
}

int
main(void)
{
	int64_t now = (int64_t)time(NULL);

	loop_catch_signals();	/* SIGPIPE ignored */
	test_pki_setup(&pki, "CN=Async Root", now - 3600, now + 86400 * 30,
	    now - 3600, now + 86400 * 30);
	test_mutual13();
	test_tls12(TLS_SUITE_ECDHE_RSA_AES128_GCM);
	test_tls12(TLS_SUITE_RSA_AES128_GCM);
	test_unknown_ca();
	test_cert_required();
	test_no_server();
	test_accept_emfile();
	test_silent_server();
	test_pki_clear(&pki);
	return test_done();
}
