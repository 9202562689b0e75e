/* http-curl-test.c — curl as the independent client of the HTTP engine: a
 * tiny echo server built from net/http.h, net/httpresp.h and
 * net/httpdec.h listens on a Unix socket and on TCP loopback; curl's GET,
 * POST with a base64 body and Basic credentials, keep-alive (two URLs on
 * one connection), HTTP/1.0, HEAD, a percent-encoded OCSP-style path, and
 * the refusals (chunked 411, a long target 414, a long header 431) must
 * come back exactly. Skipped (77) when curl is not installed. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/addr.h"
#include "net/http.h"
#include "net/httpdec.h"
#include "net/httpresp.h"
#include "util/buf.h"
#include "testlib.h"
#include "testsh.h"

#define DIR "tests/work/http-curl"

/* An EST body: base64 with CRLFs (RFC 7030 4.2.1). */
static const char est_body[] = "TUlJQ2hl\r\nbGxv\r\nd29y\r\nbGQ=\r\n";

/* The echo: what the engine and the decoders made of the request. */
static void
echo(const struct http_request *r, unsigned nth, struct buf *out)
{
	const char *auth = r->hdr[HTTP_H_AUTHORIZATION];
	struct buf u, p, d;
	struct err e;

	buf_printf(out, "%s %s v=%d n=%u host=%s ct=%s len=%zu\n",
	    r->method_name, r->path, r->version, nth,
	    r->hdr[HTTP_H_HOST] ? r->hdr[HTTP_H_HOST] : "-",
	    r->hdr[HTTP_H_CONTENT_TYPE] ? r->hdr[HTTP_H_CONTENT_TYPE] : "-",
	    r->body_len);
	if (r->query != NULL)
		buf_printf(out, "query=%s\n", r->query);
	buf_init(&u);
	buf_init(&p);
	buf_init(&d);
	if (auth != NULL) {
		if (httpdec_basic(auth, strlen(auth), 256, &u, &p, &e) == 0)
			buf_printf(out, "user=%s pass=%s\n", (char *)u.data,
			    (char *)p.data);
		else
			buf_printf(out, "auth: %s\n", e.msg);
	}
	if (strncmp(r->path, "/ocsp/", 6) == 0) {
		if (httpdec_percent(r->path + 6, strlen(r->path + 6), 1024, &d,
		    &e) == 0)
			buf_printf(out, "ocsp=%s\n", (char *)d.data);
		else
			buf_printf(out, "ocsp: %s\n", e.msg);
	}
	if (r->body_len > 0) {
		d.len = 0;
		if (httpdec_base64(r->body, r->body_len, 4096, &d, &e) == 0)
			buf_printf(out, "b64=%.*s\n", (int)d.len, (char *)d.data);
		else
			buf_printf(out, "b64: %s\n", e.msg);
	}
	buf_clear(&u);
	buf_clear_secret(&p);
	buf_clear(&d);
}

static int
write_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A close with unread input sends a reset, which may destroy the answer
 * before curl reads it: end our side, drain a little, then close. */
static void
linger_close(int fd)
{
	struct pollfd pfd;
	uint8_t tmp[4096];
	int i;

	shutdown(fd, SHUT_WR);
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (i = 0; i < 64 && poll(&pfd, 1, 1000) == 1; i++)
		if (read(fd, tmp, sizeof tmp) <= 0)
			break;
}

/* One connection, blocking, to its end: the caller's loop in small. The
 * input is kept in `in` so that a pipelined request waits its turn. */
static void
serve_conn(int fd)
{
	struct http_conn c;
	struct httpresp rs;
	struct buf in, out, body;
	enum http_state st;
	struct pollfd pfd;
	size_t off = 0, used;
	uint8_t tmp[4096];
	ssize_t n;

	http_conn_init(&c, NULL);
	buf_init(&in);
	buf_init(&out);
	buf_init(&body);
	for (;;) {
		st = http_conn_feed(&c, in.data + off, in.len - off, &used);
		off += used;
		if (st == HTTP_S_REQUEST) {
			body.len = 0;
			echo(&c.req, c.requests, &body);
			memset(&rs, 0, sizeof rs);
			rs.status = 200;
			rs.content_type = "text/plain";
			rs.body = body.data;
			rs.body_len = body.len;
			rs.close = !c.req.keep_alive;
			rs.http10 = c.req.version == 10;
			rs.head = c.req.method == HTTP_M_HEAD;
			out.len = 0;
			(void)httpresp_write(&rs, &out, NULL);
			if (write_all(fd, out.data, out.len) == -1)
				break;
			if (http_conn_next(&c) == HTTP_S_CLOSED)
				break;
			continue;
		}
		if (st == HTTP_S_ERROR) {
			out.len = 0;
			httpresp_error(c.status, 1, &out);
			(void)write_all(fd, out.data, out.len);
			linger_close(fd);
			break;
		}
		if (st == HTTP_S_CLOSED)
			break;
		/* Everything was taken: read more, within the timeouts. */
		in.len = off = 0;
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 5000) == 0) {
			if (http_conn_timeout(&c) == HTTP_S_ERROR)
				continue;
			break;
		}
		if ((n = read(fd, tmp, sizeof tmp)) < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (http_conn_eof(&c) == HTTP_S_ERROR)
				continue;
			break;
		}
		buf_append(&in, tmp, (size_t)n);
	}
	buf_clear(&in);
	buf_clear(&out);
	buf_clear(&body);
	http_conn_clear(&c);
	close(fd);
}

static void
serve(int ufd, int tfd)
{
	struct pollfd pfd[2];
	int i, fd;

	pfd[0].fd = ufd;
	pfd[1].fd = tfd;
	pfd[0].events = pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0)
			continue;
		for (i = 0; i < 2; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			if ((fd = accept(pfd[i].fd, NULL, NULL)) < 0)
				continue;
			/* addr_listen's sockets are non-blocking; this one
			 * waits in poll instead. */
			serve_conn(fd);
		}
	}
}

/* Runs curl with args (a shell fragment) and returns what it printed. */
static char *
curl(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
curl(const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(tmp, sizeof tmp, fmt, ap) >= (int)sizeof tmp) {
		fprintf(stderr, "curl command too long\n");
		exit(1);
	}
	va_end(ap);
	return test_sh("curl -sS --max-time 20 %s", tmp);
}

#define CHECK_CURL(want, ...) do { char *got_ = curl(__VA_ARGS__); \
	CHECK_STR(got_, (want)); free(got_); } while (0)

/* The checks, over one address; via is the curl option that reaches it
 * ("--unix-socket PATH" or ""), base the URL's start. */
static void
run_checks(const char *via, const char *base, const char *host)
{
	char want[1024], *big;
	size_t i;

	snprintf(want, sizeof want,
	    "GET /.well-known/est/cacerts v=11 n=1 host=%s ct=- len=0\n"
	    "query=a=1&b=2\n", host);
	CHECK_CURL(want, "%s '%s/.well-known/est/cacerts?a=1&b=2'", via, base);

	/* EST-like POST: base64 with CRLFs, a token as the Basic password. */
	snprintf(want, sizeof want,
	    "POST /.well-known/est/simpleenroll v=11 n=1 host=%s "
	    "ct=application/pkcs10 len=28\n"
	    "user=alice pass=tok:en\n"
	    "b64=MIIChelloworld\n", host);
	CHECK_CURL(want, "%s -u 'alice:tok:en' -H 'Content-Type: "
	    "application/pkcs10' --data-binary @" DIR "/body.b64 "
	    "'%s/.well-known/est/simpleenroll'", via, base);

	/* Keep-alive: the second URL goes over the first connection (n=2
	 * on the server's side, no new connect on curl's). */
	snprintf(want, sizeof want,
	    "GET /a v=11 n=1 host=%s ct=- len=0\nconnects=1\n"
	    "GET /b v=11 n=2 host=%s ct=- len=0\nconnects=0\n", host, host);
	CHECK_CURL(want, "%s -w 'connects=%%{num_connects}\\n' '%s/a' '%s/b'",
	    via, base, base);

	/* HTTP/1.0 closes: the second URL needs a new connection. */
	snprintf(want, sizeof want,
	    "GET /a v=10 n=1 host=%s ct=- len=0\nconnects=1\n"
	    "GET /b v=10 n=1 host=%s ct=- len=0\nconnects=1\n", host, host);
	CHECK_CURL(want, "%s --http1.0 -w 'connects=%%{num_connects}\\n' "
	    "'%s/a' '%s/b'", via, base, base);

	/* OCSP GET: the base64 request percent-encoded in the path. */
	snprintf(want, sizeof want,
	    "GET /ocsp/MEkw%%2BRz%%2FA%%3D%%3D v=11 n=1 host=%s ct=- len=0\n"
	    "ocsp=MEkw+Rz/A==\n", host);
	CHECK_CURL(want, "%s '%s/ocsp/MEkw%%2BRz%%2FA%%3D%%3D'", via, base);

	/* HEAD: headers as for GET (curl -I prints them), no body. */
	snprintf(want, sizeof want,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: %zu\r\n\r\n",
	    strlen("HEAD /crl v=11 n=1 host= ct=- len=0\n") + strlen(host));
	CHECK_CURL(want, "%s -I '%s/crl'", via, base);

	/* The refusals, with the connection closed after each. */
	CHECK_CURL("HTTP/1.1 411 Length Required\r\n"
	    "Content-Type: text/plain\r\nContent-Length: 20\r\n"
	    "Connection: close\r\n\r\n411 Length Required\n",
	    "%s -i -H 'Transfer-Encoding: chunked' --data-binary @" DIR
	    "/body.b64 '%s/x'", via, base);
	CHECK_CURL("HTTP/1.1 413 Payload Too Large\r\n"
	    "Content-Type: text/plain\r\nContent-Length: 22\r\n"
	    "Connection: close\r\n\r\n413 Payload Too Large\n",
	    "%s -i -H 'Content-Length: 2000000' -d x '%s/x'", via, base);
	big = malloc(5001);
	for (i = 0; i < 5000; i++)
		big[i] = 'a';
	big[5000] = '\0';
	test_spit(DIR "/long", big, 5000);
	free(big);
	CHECK_CURL("414", "%s -w '%%{http_code}' -o /dev/null "
	    "\"%s/$(cat " DIR "/long)\"", via, base);
	CHECK_CURL("431", "%s -w '%%{http_code}' -o /dev/null "
	    "-H \"X-Big: $(cat " DIR "/long)$(cat " DIR "/long)\" '%s/x'",
	    via, base);
	CHECK_CURL("501", "%s -w '%%{http_code}' -o /dev/null -X PUT '%s/x'",
	    via, base);
}

int
main(void)
{
	struct addr ua, ta;
	struct err e;
	char base[64], via[160];
	int ufd, tfd, st;
	pid_t pid;

	if (system("curl --version >/dev/null 2>&1") != 0)
		test_skip("curl not installed");
	mkdir("tests/work", 0700);
	mkdir(DIR, 0700);
	test_spit(DIR "/body.b64", est_body, strlen(est_body));
	if (addr_parse(&ua, "unix:" DIR "/s.sock", &e) == -1 ||
	    addr_listen(&ua, &ufd, &e) == -1 ||
	    addr_parse(&ta, "tcp:127.0.0.1:0", &e) == -1 ||
	    addr_listen(&ta, &tfd, &e) == -1) {
		fprintf(stderr, "listen: %s\n", e.msg);
		return 1;
	}
	if ((pid = fork()) == -1) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		serve(ufd, tfd);
		_exit(0);
	}
	close(ufd);
	close(tfd);

	snprintf(via, sizeof via, "--unix-socket " DIR "/s.sock");
	run_checks(via, "http://localhost", "localhost");
	snprintf(base, sizeof base, "http://127.0.0.1:%s", ta.port);
	snprintf(via, sizeof via, "127.0.0.1:%s", ta.port);
	run_checks("", base, via);

	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	unlink(DIR "/s.sock");
	return test_done();
}
