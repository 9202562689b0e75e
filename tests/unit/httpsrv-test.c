/* httpsrv-test.c — the HTTP server on the loop, over plain sockets, with
 * a raw client: answers, keep-alive and pipelining, the request cap, the
 * engine's refusals answered exactly and the service going on after them,
 * the timeouts (slow request 408, a body that never finishes, idle, a
 * peer that never reads), answers given later (pending, and 503 when none
 * comes), the connection bound, and the log lines. curl and TLS are in
 * tests/peer/httpsrv-curl-test.c. */
#include <sys/socket.h>
#include <sys/stat.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/tlsio.h"
#include "testcert.h"
#include "testhttpsrv.h"
#include "testlib.h"

#define DIR "tests/work/httpsrv"

static struct test_httpsrv srv;
static const char *ux, *tcp, *tls;	/* the listeners' addresses */
static struct test_pki pki;

/* Our TLS engine as the client: sends req once the handshake is done,
 * waits stall_ms without reading (a peer that does not read), then
 * collects the plaintext until the connection ends or timeout_ms of
 * silence; "<tls: why>" is appended when it ends in an error. */
static char *
tls_exchange(const char *addr, const char *req, int stall_ms,
    int timeout_ms)
{
	struct tls_config cc;
	struct tls_engine t;
	struct pollfd pfd;
	struct buf out;
	struct err e;
	uint8_t *b;
	size_t n, sent = 0, len = strlen(req);
	int fd;

	buf_init(&out);
	memset(&cc, 0, sizeof cc);
	cc.min_version = TLS_VERSION_12;
	cc.max_version = TLS_VERSION_13;
	cc.anchors = &pki.root;
	cc.server_name = "localhost";
	if ((fd = test_dial(addr)) == -1 || addr_nonblock(fd, &e) == -1) {
		buf_puts(&out, "<cannot connect>");
		goto out;
	}
	tls_engine_init(&t, &cc, (int64_t)time(NULL));
	for (;;) {
		(void)tlsio_pump(&t, fd, &e);
		if (tls_engine_handshake_done(&t) && sent < len &&
		    (b = tls_engine_sendapp_buf(&t, &n)) != NULL) {
			if (n > len - sent)
				n = len - sent;
			memcpy(b, req + sent, n);
			tls_engine_sendapp_ack(&t, n);
			tls_engine_flush(&t);
			sent += n;
			if (sent == len && stall_ms > 0) {
				(void)tlsio_pump(&t, fd, &e);
				usleep((useconds_t)stall_ms * 1000);
			}
			continue;
		}
		while ((b = tls_engine_recvapp_buf(&t, &n)) != NULL) {
			buf_append(&out, b, n);
			tls_engine_recvapp_ack(&t, n);
		}
		if (tls_engine_state(&t) & TLS_CLOSED)
			break;
		pfd.fd = fd;
		pfd.events = (short)((tlsio_events(&t) & LOOP_READ ? POLLIN :
		    0) | (tlsio_events(&t) & LOOP_WRITE ? POLLOUT : 0));
		if (poll(&pfd, 1, timeout_ms) == 0) {
			buf_puts(&out, "<timeout>");
			break;
		}
	}
	if (tls_engine_error(&t) != NULL)
		buf_printf(&out, "<tls: %s>", tls_engine_error(&t)->msg);
	tls_engine_clear(&t);
out:
	if (fd != -1)
		close(fd);
	buf_putc(&out, '\0');
	return (char *)buf_steal(&out, &n);
}

/* "HTTP/1.1 408 Request Timeout\r\n...": the error answers as
 * httpresp_error writes them, with Connection: close. */
static void
check_refusal(const char *got, int status, const char *reason)
{
	char want[256];

	snprintf(want, sizeof want, "HTTP/1.1 %d %s\r\nContent-Type: "
	    "text/plain\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n"
	    "%d %s\n", status, reason, strlen(reason) + 5, status, reason);
	CHECK_STR(got, want);
}

/* The number of times needle occurs in hay. */
static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* An answer with a Date: the status line, then after the headers, the
 * body; the headers named in hdrs must be among them. */
static void
check_answer(const char *got, const char *status, const char *hdrs,
    const char *body)
{
	const char *end = strstr(got, "\r\n\r\n");

	test_checks++;
	if (strncmp(got, status, strlen(status)) != 0 || end == NULL ||
	    strstr(got, hdrs) == NULL || strstr(got, hdrs) > end ||
	    strstr(got, "\r\nDate: ") == NULL || strcmp(end + 4, body) != 0)
		test_fail(__FILE__, __LINE__, "want %s ... %s ... %s, got "
		    "\"%s\"", status, hdrs, body, got);
}

static void
test_basic(const char *addr)
{
	char *r;

	r = test_exchange(addr, "GET /hello HTTP/1.1\r\nHost: x\r\n"
	    "Connection: close\r\n\r\n", 3000);
	check_answer(r, "HTTP/1.1 200 OK\r\n", "\r\nContent-Type: text/plain"
	    "\r\nContent-Length: 6\r\nConnection: close\r\n", "hello\n");
	free(r);
	r = test_exchange(addr, "POST /echo HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 11\r\nConnection: close\r\n\r\nhello world",
	    3000);
	check_answer(r, "HTTP/1.1 200 OK\r\n", "\r\nContent-Type: "
	    "application/octet-stream\r\nContent-Length: 11\r\n",
	    "hello world");
	free(r);
	r = test_exchange(addr, "HEAD /hello HTTP/1.1\r\nHost: x\r\n"
	    "Connection: close\r\n\r\n", 3000);
	check_answer(r, "HTTP/1.1 200 OK\r\n", "\r\nContent-Length: 6\r\n",
	    "");
	free(r);
	r = test_exchange(addr, "GET /nothing HTTP/1.0\r\n\r\n", 3000);
	check_answer(r, "HTTP/1.1 404 Not Found\r\n", "\r\nConnection: close"
	    "\r\n", "not found\n");
	free(r);
	/* An answer httpresp_write refuses becomes a 500. */
	r = test_exchange(addr, "GET /bad HTTP/1.1\r\nHost: x\r\n"
	    "Connection: close\r\n\r\n", 3000);
	check_refusal(r, 500, "Internal Server Error");
	free(r);
	/* The handler closes the connection although the client keeps it. */
	r = test_exchange(addr, "GET /close HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
	CHECK_EQ(count(r, "HTTP/1.1 200 OK"), 1);
	CHECK(strstr(r, "Connection: close\r\n\r\nbye\n") != NULL);
	free(r);
}

/* A client that ends its stream after the request (shutdown): still
 * answered; one that ends it inside a request: 400. */
static void
test_half_close(const char *addr)
{
	static const char *req[2] = {
		"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /hello HTTP/1.1\r\nHost: x\r\n",
	};
	struct buf out;
	int fd, i;

	buf_init(&out);
	for (i = 0; i < 2; i++) {
		out.len = 0;
		if ((fd = test_dial(addr)) == -1)
			continue;
		CHECK(test_send(fd, req[i], strlen(req[i])) == 0);
		shutdown(fd, SHUT_WR);
		CHECK_EQ(test_recv_all(fd, &out, 3000), 0);
		buf_putc(&out, '\0');
		if (i == 0)
			CHECK(out.len > 10 && strcmp((char *)out.data +
			    out.len - 11, "\r\n\r\nhello\n") == 0);
		else
			check_refusal((char *)out.data, 400, "Bad Request");
		close(fd);
	}
	buf_clear(&out);
}

/* Pipelined requests in one write are answered one by one, in order;
 * the third (limits.max_requests 3) is answered with Connection: close
 * and the fourth never; max_rate 2 holds the third until the next second
 * (a lower bound: it cannot come sooner). */
static void
test_pipeline(const char *addr)
{
	char *r, *a, *b, *c;
	int64_t t0 = loop_now_ms();

	r = test_exchange(addr, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
	    "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
	    "GET /whoami HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
	CHECK_EQ(count(r, "HTTP/1.1 200 OK\r\n"), 3);
	CHECK_EQ(count(r, "Connection: close\r\n"), 1);
	a = strstr(r, "\r\n\r\nhello\n");
	b = strstr(r, "\r\n\r\nabc");
	c = strstr(r, "Connection: close\r\n\r\nanonymous\nplain ");
	CHECK(a != NULL && b != NULL && c != NULL && a < b && b < c);
	CHECK(loop_now_ms() - t0 >= 900);
	free(r);
}

/* The engine's refusals, each answered exactly and the connection closed
 * (the read reaches end of stream, not the timeout). */
static void
test_refusals(const char *addr)
{
	char *big, *r;
	size_t n = 9000;

	big = malloc(n + 100);
	memcpy(big, "GET /", 5);
	memset(big + 5, 'a', n);
	strcpy(big + 5 + n, " HTTP/1.1\r\nHost: x\r\n\r\n");
	r = test_exchange(addr, big, 3000);
	check_refusal(r, 414, "URI Too Long");
	free(r);
	strcpy(big, "GET / HTTP/1.1\r\nX-Big: ");
	memset(big + strlen(big), 'b', n);
	strcpy(big + 23 + n, "\r\n\r\n");
	r = test_exchange(addr, big, 3000);
	check_refusal(r, 431, "Request Header Fields Too Large");
	free(r);
	free(big);
	r = test_exchange(addr, "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n",
	    3000);
	check_refusal(r, 400, "Bad Request");
	free(r);
	r = test_exchange(addr, "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 3000);
	check_refusal(r, 505, "HTTP Version Not Supported");
	free(r);
	r = test_exchange(addr, "DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", 3000);
	check_refusal(r, 501, "Not Implemented");
	free(r);
	r = test_exchange(addr, "POST /echo HTTP/1.1\r\nHost: x\r\n\r\n",
	    3000);
	check_refusal(r, 411, "Length Required");
	free(r);
	r = test_exchange(addr, "POST /echo HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 9999999\r\n\r\n", 3000);
	check_refusal(r, 413, "Payload Too Large");
	free(r);
	/* A refusal after an answer on the same connection. */
	r = test_exchange(addr, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 3000);
	CHECK(strncmp(r, "HTTP/1.1 200 OK\r\n", 17) == 0);
	CHECK(strstr(r, "hello\nHTTP/1.1 400 Bad Request\r\n") != NULL);
	free(r);
	/* and the service goes on */
	r = test_exchange(addr, "GET /hello HTTP/1.0\r\n\r\n", 3000);
	CHECK(strncmp(r, "HTTP/1.1 200 OK\r\n", 17) == 0);
	free(r);
}

/* request_ms (800) runs from a request's first byte: a head that stops,
 * a body that never finishes (told to continue first), get 408. */
static void
test_timeouts(const char *addr)
{
	static const char req[] = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
	struct buf out;
	char *r;
	int fd;

	r = test_exchange(addr, "GET /hello HTTP/1.1\r\nHost: x\r\n", 3000);
	check_refusal(r, 408, "Request Timeout");
	free(r);
	r = test_exchange(addr, "POST /echo HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 10\r\n\r\nabc", 3000);
	CHECK(strncmp(r, "HTTP/1.1 100 Continue\r\n\r\n", 25) == 0);
	check_refusal(r + 25, 408, "Request Timeout");
	free(r);
	/* Idle (idle_ms 1500): closed without a word. */
	buf_init(&out);
	if ((fd = test_dial(addr)) != -1) {
		CHECK_EQ(test_recv_all(fd, &out, 4000), 0);
		CHECK_EQ(out.len, 0);
		close(fd);
	}
	/* Idle after an answer, too. */
	if ((fd = test_dial(addr)) != -1) {
		CHECK(test_send(fd, req, strlen(req)) == 0);
		CHECK_EQ(test_recv_all(fd, &out, 4000), 0);
		CHECK(out.len > 6 && memcmp(out.data + out.len - 10,
		    "\r\n\r\nhello\n", 10) == 0);
		close(fd);
	}
	buf_clear(&out);
}

/* A peer that asks for 8 MiB and never reads is closed after write_ms
 * (1000): it gets less than all of it, then end of stream. */
static void
test_no_reader(const char *addr)
{
	static const char req[] = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
	struct buf out;
	int fd;

	buf_init(&out);
	if ((fd = test_dial(addr)) == -1)
		return;
	CHECK(test_send(fd, req, strlen(req)) == 0);
	sleep(3);
	CHECK_EQ(test_recv_all(fd, &out, 4000), 0);
	CHECK(out.len > 0 && out.len < TEST_HTTPSRV_BIG);
	close(fd);
	buf_clear(&out);
}

/* The handler answers later: /later after 200 ms through httpsrv_answer,
 * the next pipelined request after it; /never gets the server's 503 when
 * request_ms runs out. */
static void
test_pending(const char *addr)
{
	char *r, *a, *b;

	r = test_exchange(addr, "GET /later HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	    3000);
	a = strstr(r, "\r\n\r\nlater\n");
	b = strstr(r, "\r\n\r\nhello\n");
	CHECK(a != NULL && b != NULL && a < b);
	free(r);
	r = test_exchange(addr, "GET /never HTTP/1.1\r\nHost: x\r\n\r\n",
	    3000);
	check_answer(r, "HTTP/1.1 503 Service Unavailable\r\n",
	    "\r\nContent-Length: 0\r\nConnection: close\r\n", "");
	free(r);
}

/* max_conns (6): a seventh connection is closed at once; once the six
 * are gone, the service answers again. */
static void
test_max_conns(void)
{
	struct buf out;
	char *r;
	int fd[7], i, ok = 0;

	buf_init(&out);
	for (i = 0; i < 6; i++)
		fd[i] = test_dial(i % 2 ? ux : tcp);
	usleep(200 * 1000);
	if ((fd[6] = test_dial(tcp)) != -1) {
		(void)test_send(fd[6], "GET /hello HTTP/1.0\r\n\r\n", 23);
		CHECK_EQ(test_recv_all(fd[6], &out, 1000), 0);
		CHECK_EQ(out.len, 0);
		close(fd[6]);
	}
	for (i = 0; i < 6; i++)
		if (fd[i] != -1)
			close(fd[i]);
	for (i = 0; i < 20 && !ok; i++) {
		usleep(100 * 1000);
		r = test_exchange(tcp, "GET /hello HTTP/1.0\r\n\r\n", 3000);
		ok = strncmp(r, "HTTP/1.1 200 OK\r\n", 17) == 0;
		free(r);
	}
	CHECK(ok);
	buf_clear(&out);
}

/* Over TLS: pipelined requests (the rest waits in the engine), answers
 * ended with close_notify, a refusal, the handshake timeout, a client
 * that speaks no TLS, and a peer that does not read. */
static void
test_tls(void)
{
	struct buf out;
	char *r, *a, *b;
	int fd;

	r = tls_exchange(tls, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET /later HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET /whoami HTTP/1.1\r\nHost: x\r\n\r\n", 0, 3000);
	a = strstr(r, "\r\n\r\nhello\n");
	b = strstr(r, "\r\n\r\nlater\n");
	CHECK(a != NULL && b != NULL && a < b);
	/* the count cap closed it, cleanly: no error appended */
	CHECK(strstr(r, "Connection: close\r\n\r\nanonymous\ntls 127.0.0.1:")
	    != NULL && strstr(r, "<") == NULL);
	free(r);
	r = tls_exchange(tls, "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 0, 3000);
	check_refusal(r, 505, "HTTP Version Not Supported");
	free(r);
	r = tls_exchange(tls, "GET /hello HTTP/1.1\r\nHost: x\r\n", 0, 3000);
	check_refusal(r, 408, "Request Timeout");
	free(r);
	/* Nothing sent: closed after handshake_ms (1000). */
	buf_init(&out);
	if ((fd = test_dial(tls)) != -1) {
		CHECK_EQ(test_recv_all(fd, &out, 4000), 0);
		close(fd);
	}
	/* Plain HTTP to the TLS port: an alert, then the end. */
	out.len = 0;
	if ((fd = test_dial(tls)) != -1) {
		CHECK(test_send(fd, "GET / HTTP/1.1\r\n\r\n", 18) == 0);
		CHECK_EQ(test_recv_all(fd, &out, 3000), 0);
		/* an alert record: content type 21, version 3.x */
		CHECK(out.len == 7 && out.data[0] == 21 && out.data[1] == 3);
		close(fd);
	}
	buf_clear(&out);
	r = tls_exchange(tls, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n", 3000,
	    3000);
	CHECK(strlen(r) < TEST_HTTPSRV_BIG &&
	    strstr(r, "<tls: connection closed by the peer without "
	    "close_notify>") != NULL);
	free(r);
}

static void
test_log(void)
{
	uint8_t *log;
	size_t len;
	char want[200];
	const char *p;

	log = test_slurp(DIR "/log", &len);
	CHECK(strstr((char *)log, "\nunix - GET /hello 200 6 ") != NULL);
	CHECK(strstr((char *)log, "\nunix - HEAD /hello 200 0 ") != NULL);
	snprintf(want, sizeof want, "\n127.0.0.1:");
	CHECK(strstr((char *)log, want) != NULL);
	CHECK(strstr((char *)log, " - POST /echo 200 11 ") != NULL);
	CHECK(strstr((char *)log, "\nunix - - - 414 17 ") != NULL);
	CHECK(strstr((char *)log, "\nunix - - - 408 20 ") != NULL);
	CHECK(strstr((char *)log, " - GET /never 503 0 ") != NULL);
	/* The duration between "26 " and "ms (" is whatever the machine
	 * took; only its presence is checked. */
	p = strstr((char *)log, "\nunix - GET /bad 500 26 ");
	if (p != NULL)
		p += strlen("\nunix - GET /bad 500 26 ");
	CHECK(p != NULL && strspn(p, "0123456789") > 0 &&
	    strncmp(p + strspn(p, "0123456789"), "ms (", 4) == 0);
	CHECK(strstr((char *)log, ": refused: too many connections\n") !=
	    NULL);
	CHECK(strstr((char *)log, ": does not read its answer: closed after "
	    "1000 ms\n") != NULL);
	CHECK(strstr((char *)log, "later: connection") == NULL);
	CHECK(strstr((char *)log, ": TLS handshake timed out after 1000 ms\n")
	    != NULL);
	CHECK(strstr((char *)log, ": TLS handshake failed: ") != NULL);
	CHECK(strstr((char *)log, " - GET /whoami 200 30 ") != NULL);
	free(log);
}

int
main(void)
{
	struct httpsrv_listen ls[3];
	struct httpsrv_conf conf;
	struct tls_config sc;
	struct err e;
	int64_t now = time(NULL);

	mkdir("tests/work", 0700);
	mkdir(DIR, 0700);
	memset(ls, 0, sizeof ls);
	memset(&conf, 0, sizeof conf);
	if (addr_parse(&ls[0].addr, "unix:" DIR "/h.sock", &e) == -1 ||
	    addr_parse(&ls[1].addr, "tcp:127.0.0.1:0", &e) == -1 ||
	    addr_parse(&ls[2].addr, "tcp:127.0.0.1:0", &e) == -1) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	test_pki_setup(&pki, "CN=HTTP Test Root", now - 3600, now + 86400,
	    now - 3600, now + 86400);
	test_httpsrv_tls(&sc, &pki, TLS_AUTH_NONE);
	ls[2].tls = &sc;
	conf.listen = ls;
	conf.nlisten = 3;
	conf.handshake_ms = 1000;
	conf.max_conns = 6;
	conf.request_ms = 800;
	conf.idle_ms = 1500;
	conf.write_ms = 1000;
	conf.limits.max_requests = 3;
	conf.max_rate = 2;
	test_httpsrv_fork(&srv, &conf, DIR "/log");
	CHECK_EQ(srv.n, 3);
	ux = srv.addr[0];
	tcp = srv.addr[1];
	tls = srv.addr[2];
	CHECK_STR(ux, "unix:" DIR "/h.sock");
	CHECK(strncmp(tcp, "tcp:127.0.0.1:", 14) == 0 &&
	    strcmp(tcp, "tcp:127.0.0.1:0") != 0);

	test_basic(ux);
	test_basic(tcp);
	test_half_close(ux);
	test_half_close(tcp);
	test_pipeline(ux);
	test_pipeline(tcp);
	test_refusals(ux);
	test_refusals(tcp);
	test_timeouts(ux);
	test_pending(tcp);
	test_no_reader(ux);
	test_tls();
	test_max_conns();

	test_httpsrv_stop(&srv);
	/* The Unix socket file is gone with the server. */
	CHECK(access(DIR "/h.sock", F_OK) == -1);
	test_log();
	test_pki_clear(&pki);
	return test_done();
}
