/* http-test.c — the HTTP/1.1 engine (net/http.h): good requests whole, in
 * pieces and byte by byte, keep-alive and pipelining, every bound with its
 * exact status and message; the response writer's exact bytes; the body
 * decoders (net/httpdec.h) with their exact errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/http.h"
#include "net/httpdec.h"
#include "net/httpresp.h"
#include "util/xalloc.h"
#include "testlib.h"

/* Feeds all of s (in pieces of step bytes; 0: at once) until the engine
 * stops taking bytes; *used gets what it took. */
static enum http_state
feed(struct http_conn *c, const char *s, size_t len, size_t step,
    size_t *usedp)
{
	size_t off = 0, n, used;
	enum http_state st = http_conn_state(c);

	while (off < len) {
		n = step == 0 || step > len - off ? len - off : step;
		st = http_conn_feed(c, s + off, n, &used);
		off += used;
		if (used < n)
			break;
	}
	if (usedp != NULL)
		*usedp = off;
	return st;
}

static enum http_state
feed_str(struct http_conn *c, const char *s)
{
	return feed(c, s, strlen(s), 0, NULL);
}

/* Asserts that s ends in HTTP_S_ERROR with status and a message holding
 * frag. */
#define CHECK_REFUSED_S(lim, lit, st, frag) \
	CHECK_REFUSED(lim, lit, sizeof(lit) - 1, st, frag)
#define CHECK_REFUSED(lim, s, len, st, frag) do { struct http_conn c_; \
	http_conn_init(&c_, (lim)); \
	CHECK_EQ(feed(&c_, (s), (len), 0, NULL), HTTP_S_ERROR); \
	CHECK_EQ(c_.status, (st)); \
	CHECK_EQ(c_.error.kind, ERR_INPUT); \
	if (strstr(c_.error.msg, (frag)) == NULL) \
		test_fail(__FILE__, __LINE__, "error \"%s\" lacks \"%s\"", \
		    c_.error.msg, (frag)); \
	http_conn_clear(&c_); } while (0)

static const char get_req[] =
    "GET /.well-known/est/cacerts?x=1 HTTP/1.1\r\n"
    "Host: localhost\r\n"
    "User-Agent: test\r\n"
    "Accept: */*\r\n\r\n";

static const char post_req[] =
    "POST /.well-known/est/simpleenroll HTTP/1.1\r\n"
    "host: ca.example:9000\r\n"
    "Content-Type:   application/pkcs10  \r\n"
    "AUTHORIZATION: Basic dXNlcjpwYXNz\r\n"
    "Content-Length: 11\r\n"
    "\r\n"
    "TUlJQ2hlbGw=";	/* one byte past the body: the next request */

static void
check_get(struct http_conn *c)
{
	const struct http_request *r = &c->req;

	CHECK_EQ(http_conn_state(c), HTTP_S_REQUEST);
	CHECK_EQ(r->method, HTTP_M_GET);
	CHECK_STR(r->method_name, "GET");
	CHECK_EQ(r->version, 11);
	CHECK_STR(r->target, "/.well-known/est/cacerts?x=1");
	CHECK_STR(r->path, "/.well-known/est/cacerts");
	CHECK_STR(r->query, "x=1");
	CHECK_STR(r->hdr[HTTP_H_HOST], "localhost");
	CHECK(r->hdr[HTTP_H_CONTENT_TYPE] == NULL);
	CHECK(r->hdr[HTTP_H_AUTHORIZATION] == NULL);
	CHECK(r->hdr[HTTP_H_CONNECTION] == NULL);
	CHECK_EQ(r->has_length, 0);
	CHECK_EQ(r->body_len, 0);
	CHECK_EQ(r->keep_alive, 1);
}

static void
check_post(struct http_conn *c)
{
	const struct http_request *r = &c->req;

	CHECK_EQ(http_conn_state(c), HTTP_S_REQUEST);
	CHECK_EQ(r->method, HTTP_M_POST);
	CHECK_STR(r->path, "/.well-known/est/simpleenroll");
	CHECK(r->query == NULL);
	CHECK_STR(r->hdr[HTTP_H_HOST], "ca.example:9000");
	CHECK_STR(r->hdr[HTTP_H_CONTENT_TYPE], "application/pkcs10");
	CHECK_STR(r->hdr[HTTP_H_AUTHORIZATION], "Basic dXNlcjpwYXNz");
	CHECK_STR(r->hdr[HTTP_H_CONTENT_LENGTH], "11");
	CHECK_EQ(r->has_length, 1);
	CHECK_EQ(r->content_length, 11);
	CHECK_EQ(r->body_len, 11);
	CHECK_MEM(r->body, "TUlJQ2hlbGw", 11);
	CHECK_EQ(r->body[11], '\0');
	CHECK_EQ(r->keep_alive, 1);
}

static void
test_good(void)
{
	struct http_conn c;
	size_t used, step, len = strlen(post_req);

	http_conn_init(&c, NULL);
	CHECK_EQ(http_conn_state(&c), HTTP_S_IDLE);
	CHECK_EQ(feed(&c, get_req, strlen(get_req), 0, &used), HTTP_S_REQUEST);
	CHECK_EQ(used, strlen(get_req));
	check_get(&c);
	/* Nothing is taken until the request is answered. */
	CHECK_EQ(http_conn_feed(&c, "GET", 3, &used), HTTP_S_REQUEST);
	CHECK_EQ(used, 0);
	CHECK_EQ(http_conn_next(&c), HTTP_S_IDLE);
	CHECK_EQ(feed(&c, post_req, len, 0, &used), HTTP_S_REQUEST);
	CHECK_EQ(used, len - 1);	/* the '=' after the body is left */
	check_post(&c);
	CHECK_EQ(http_conn_next(&c), HTTP_S_IDLE);
	http_conn_clear(&c);

	/* The same in every split: byte by byte, and pieces of 2..17. */
	for (step = 1; step < 18; step++) {
		http_conn_init(&c, NULL);
		CHECK_EQ(feed(&c, get_req, strlen(get_req), step, &used),
		    HTTP_S_REQUEST);
		check_get(&c);
		http_conn_next(&c);
		CHECK_EQ(feed(&c, post_req, len, step, &used), HTTP_S_REQUEST);
		CHECK_EQ(used, len - 1);
		check_post(&c);
		http_conn_clear(&c);
	}

	/* Mid-request is what the caller's timeout sees. */
	http_conn_init(&c, NULL);
	CHECK_EQ(feed_str(&c, "G"), HTTP_S_READING);
	CHECK_EQ(http_conn_timeout(&c), HTTP_S_ERROR);
	CHECK_EQ(c.status, 408);
	CHECK_STR(c.error.msg, "timed out inside a request");
	http_conn_clear(&c);
	/* Idle: the timeout and the end of stream just close. */
	http_conn_init(&c, NULL);
	CHECK_EQ(http_conn_timeout(&c), HTTP_S_CLOSED);
	http_conn_clear(&c);
	http_conn_init(&c, NULL);
	CHECK_EQ(http_conn_eof(&c), HTTP_S_CLOSED);
	http_conn_clear(&c);
	http_conn_init(&c, NULL);
	CHECK_EQ(feed_str(&c, "GET / HTTP/1.1\r\nHost: a\r\n"), HTTP_S_READING);
	CHECK_EQ(http_conn_eof(&c), HTTP_S_ERROR);
	CHECK_EQ(c.status, 400);
	CHECK_STR(c.error.msg, "stream ended inside a request");
	http_conn_clear(&c);

	/* HEAD, absolute form, a body on GET. */
	http_conn_init(&c, NULL);
	CHECK_EQ(feed_str(&c, "HEAD http://h:9000/crl?a HTTP/1.1\r\n\r\n"),
	    HTTP_S_REQUEST);
	CHECK_EQ(c.req.method, HTTP_M_HEAD);
	CHECK_STR(c.req.target, "http://h:9000/crl?a");
	CHECK_STR(c.req.path, "/crl");
	CHECK_STR(c.req.query, "a");
	http_conn_next(&c);
	CHECK_EQ(feed_str(&c, "GET / HTTP/1.1\r\nContent-Length: 2\r\n\r\nab"),
	    HTTP_S_REQUEST);
	CHECK_EQ(c.req.body_len, 2);
	CHECK_STR(c.req.path, "/");
	http_conn_next(&c);
	/* An empty value is there, and empty. */
	CHECK_EQ(feed_str(&c, "GET / HTTP/1.1\r\nContent-Type:\r\n"
	    "Host: \t \r\n\r\n"), HTTP_S_REQUEST);
	CHECK_STR(c.req.hdr[HTTP_H_CONTENT_TYPE], "");
	CHECK_STR(c.req.hdr[HTTP_H_HOST], "");
	http_conn_clear(&c);
}

static void
test_keepalive(void)
{
	static const char two[] =
	    "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
	    "POST /b HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n"
	    "\r\nxyz"
	    "GET /c HTTP/1.1\r\n\r\n";
	struct http_conn c;
	struct http_limits lim;
	size_t used, off = 0, len = strlen(two);

	/* Two requests in one buffer: one at a time, in order. */
	http_conn_init(&c, NULL);
	CHECK_EQ(feed(&c, two, len, 0, &used), HTTP_S_REQUEST);
	CHECK_STR(c.req.path, "/a");
	CHECK_EQ(c.req.keep_alive, 1);
	off += used;
	CHECK_EQ(http_conn_next(&c), HTTP_S_IDLE);
	CHECK_EQ(feed(&c, two + off, len - off, 0, &used), HTTP_S_REQUEST);
	CHECK_STR(c.req.path, "/b");
	CHECK_STR(c.req.hdr[HTTP_H_CONNECTION], "close");
	CHECK_EQ(c.req.keep_alive, 0);
	CHECK_MEM(c.req.body, "xyz", 3);
	off += used;
	CHECK_STR(two + off, "GET /c HTTP/1.1\r\n\r\n");
	/* Connection: close ends it; what follows is never read. */
	CHECK_EQ(http_conn_next(&c), HTTP_S_CLOSED);
	CHECK_EQ(http_conn_feed(&c, two + off, len - off, &used), HTTP_S_CLOSED);
	CHECK_EQ(used, 0);
	http_conn_clear(&c);

	/* An Upgrade is ignored (RFC 7230 6.7): both requests are seen. */
	http_conn_init(&c, NULL);
	CHECK_EQ(feed(&c, "GET / HTTP/1.1\r\nConnection: Upgrade\r\n"
	    "Upgrade: h2c\r\n\r\nGET /2 HTTP/1.1\r\n\r\n", 72, 0, &used),
	    HTTP_S_REQUEST);
	CHECK_EQ(used, 53);
	CHECK_STR(c.req.path, "/");
	CHECK_EQ(http_conn_next(&c), HTTP_S_IDLE);
	CHECK_EQ(feed_str(&c, "GET /2 HTTP/1.1\r\n\r\n"), HTTP_S_REQUEST);
	CHECK_STR(c.req.path, "/2");
	http_conn_clear(&c);

	/* HTTP/1.0 closes by default, keeps with keep-alive. */
	http_conn_init(&c, NULL);
	CHECK_EQ(feed_str(&c, "GET / HTTP/1.0\r\n\r\n"), HTTP_S_REQUEST);
	CHECK_EQ(c.req.version, 10);
	CHECK_EQ(c.req.keep_alive, 0);
	CHECK_EQ(http_conn_next(&c), HTTP_S_CLOSED);
	http_conn_clear(&c);
	http_conn_init(&c, NULL);
	CHECK_EQ(feed_str(&c, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
	    HTTP_S_REQUEST);
	CHECK_EQ(c.req.keep_alive, 1);
	CHECK_EQ(http_conn_next(&c), HTTP_S_IDLE);
	http_conn_clear(&c);

	/* The request cap: the third of three is the last. */
	memset(&lim, 0, sizeof lim);
	lim.max_requests = 3;
	http_conn_init(&c, &lim);
	CHECK_EQ(feed_str(&c, "GET / HTTP/1.1\r\n\r\n"), HTTP_S_REQUEST);
	CHECK_EQ(c.req.keep_alive, 1);
	http_conn_next(&c);
	CHECK_EQ(feed_str(&c, "\r\nGET / HTTP/1.1\r\n\r\n"), HTTP_S_REQUEST);
	CHECK_EQ(c.req.keep_alive, 1);
	http_conn_next(&c);
	CHECK_EQ(feed_str(&c, "GET / HTTP/1.1\r\n\r\n"), HTTP_S_REQUEST);
	CHECK_EQ(c.req.keep_alive, 0);
	CHECK_EQ(http_conn_next(&c), HTTP_S_CLOSED);
	http_conn_clear(&c);
}

static char *
repeat(const char *head, const char *unit, size_t n, const char *tail,
    size_t *lenp)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = xmalloc(hl + ul * n + tl + 1);

	memcpy(s, head, hl);
	for (i = 0; i < n; i++)
		memcpy(s + hl + i * ul, unit, ul);
	memcpy(s + hl + ul * n, tail, tl + 1);
	*lenp = hl + ul * n + tl;
	return s;
}

static void
test_bounds(void)
{
	struct http_limits lim;
	struct http_conn c;
	size_t len, used;
	char *s;

	/* A request line of 100 KB: 414 as soon as the target passes 4096. */
	s = repeat("GET /", "a", 100 * 1024, " HTTP/1.1\r\n\r\n", &len);
	CHECK_REFUSED(NULL, s, len, 414, "request target longer than 4096 bytes");
	http_conn_init(&c, NULL);
	CHECK_EQ(feed(&c, s, len, 0, &used), HTTP_S_ERROR);
	CHECK(used <= 16384);	/* one head-sized piece */
	http_conn_clear(&c);
	free(s);
	/* Exactly at the bound passes. */
	s = repeat("GET /", "a", 4095, " HTTP/1.1\r\n\r\n", &len);
	http_conn_init(&c, NULL);
	CHECK_EQ(feed(&c, s, len, 0, NULL), HTTP_S_REQUEST);
	CHECK_EQ(strlen(c.req.target), 4096);
	http_conn_clear(&c);
	free(s);

	/* 10,000 headers: 431 at the 65th. */
	s = repeat("GET / HTTP/1.1\r\n", "X: y\r\n", 10000, "\r\n", &len);
	CHECK_REFUSED(NULL, s, len, 431, "more than 64 header lines");
	free(s);
	s = repeat("GET / HTTP/1.1\r\n", "X: y\r\n", 64, "\r\n", &len);
	http_conn_init(&c, NULL);
	CHECK_EQ(feed(&c, s, len, 0, NULL), HTTP_S_REQUEST);
	http_conn_clear(&c);
	free(s);

	/* An overlong header line, in the name or in the value. */
	s = repeat("GET / HTTP/1.1\r\nX: ", "v", 9000, "\r\n\r\n", &len);
	CHECK_REFUSED(NULL, s, len, 431, "a header line longer than 8192 bytes");
	free(s);
	s = repeat("GET / HTTP/1.1\r\nX", "n", 9000, ": v\r\n\r\n", &len);
	CHECK_REFUSED(NULL, s, len, 431, "a header line longer than 8192 bytes");
	free(s);

	/* The head as a whole: 40 lines of 500 bytes each pass the line and
	 * count bounds but not the 16384-byte block. */
	{
		char line[520];

		memset(line, 'v', sizeof line);
		memcpy(line, "X: ", 3);
		strcpy(line + 500, "\r\n");
		s = repeat("GET / HTTP/1.1\r\n", line, 40, "\r\n", &len);
		CHECK_REFUSED(NULL, s, len, 431,
		    "request head longer than 16384 bytes");
		/* byte by byte too */
		http_conn_init(&c, NULL);
		CHECK_EQ(feed(&c, s, len, 1, &used), HTTP_S_ERROR);
		CHECK_EQ(c.status, 431);
		CHECK_EQ(used, 16384);
		http_conn_clear(&c);
		free(s);
	}
	/* Blank padding counts too (no callback sees it). */
	s = repeat("GET / HTTP/1.1\r\nX:", " ", 20000, "v\r\n\r\n", &len);
	CHECK_REFUSED(NULL, s, len, 431, "request head longer than 16384 bytes");
	free(s);

	/* Body bounds. */
	memset(&lim, 0, sizeof lim);
	lim.max_body = 10;
	CHECK_REFUSED_S(&lim, "POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n",
	    413, "body longer than 10 bytes");
	http_conn_init(&c, &lim);
	CHECK_EQ(feed_str(&c, "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n"
	    "0123456789"), HTTP_S_REQUEST);
	http_conn_clear(&c);
	CHECK_REFUSED_S(NULL, "POST / HTTP/1.1\r\nContent-Length: "
	    "99999999999999999999999\r\n\r\n", 400,
	    "invalid character in content-length header");
	CHECK_REFUSED_S(NULL,
	    "POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n", 413,
	    "body longer than 1048576 bytes");
	/* A body that never finishes: reading, until the caller's timeout. */
	http_conn_init(&c, NULL);
	CHECK_EQ(feed_str(&c, "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n"
	    "only this"), HTTP_S_READING);
	CHECK_EQ(http_conn_timeout(&c), HTTP_S_ERROR);
	CHECK_EQ(c.status, 408);
	http_conn_clear(&c);

	CHECK_REFUSED_S(NULL, "POST / HTTP/1.1\r\nHost: a\r\n\r\n", 411,
	    "POST without Content-Length");
	CHECK_REFUSED_S(NULL, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "3\r\nabc\r\n0\r\n\r\n", 411,
	    "chunked request body refused: send Content-Length");
	CHECK_REFUSED_S(NULL, "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
	    501, "transfer coding not implemented");
	CHECK_REFUSED_S(NULL, "POST / HTTP/1.1\r\nContent-Length: 3\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 400,
	    "unexpected content-length header");
	CHECK_REFUSED_S(NULL, "POST / HTTP/1.1\r\nContent-Length: 3\r\n"
	    "Content-Length: 3\r\n\r\nabc", 400,
	    "unexpected content-length header");
	CHECK_REFUSED_S(NULL, "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n",
	    400, "header host given twice");
}

static void
test_bad(void)
{
	static const char nul[] = "GET /\0 HTTP/1.1\r\n\r\n";
	static const char nulhdr[] = "GET / HTTP/1.1\r\nX: a\0b\r\n\r\n";

	CHECK_REFUSED_S(NULL, "GET / HTTP/2.0\r\n\r\n", 505,
	    "HTTP version 2.0 not supported");
	CHECK_REFUSED_S(NULL, "GET / HTTP/0.9\r\n\r\n", 505,
	    "HTTP version 0.9 not supported");
	CHECK_REFUSED_S(NULL, "GET / HTTP/x.1\r\n\r\n", 400,
	    "invalid HTTP version at byte 11");
	CHECK_REFUSED_S(NULL, "GET / FTP/1.1\r\n\r\n", 400,
	    "invalid constant string");
	CHECK_REFUSED_S(NULL, "PUT / HTTP/1.1\r\n\r\n", 501,
	    "method PUT not implemented");
	CHECK_REFUSED_S(NULL, "CONNECT h:443 HTTP/1.1\r\n\r\n", 501,
	    "method CONNECT not implemented");
	CHECK_REFUSED_S(NULL, "\r\n\r\nOPTIONS * HTTP/1.1\r\n\r\n", 501,
	    "method OPTIONS not implemented");
	CHECK_REFUSED_S(NULL, "BREW / HTTP/1.1\r\n\r\n", 400,
	    "invalid HTTP method at byte 1");
	/* a TLS ClientHello on the plain listener */
	CHECK_REFUSED_S(NULL, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
	    400, "invalid HTTP method at byte 0");
	CHECK_REFUSED(NULL, nul, sizeof nul - 1, 400, "invalid URL at byte 5");
	CHECK_REFUSED(NULL, nulhdr, sizeof nulhdr - 1, 400,
	    "invalid character in header");
	CHECK_REFUSED_S(NULL, "GET / HTTP/1.1\r\nX y: z\r\n\r\n", 400,
	    "byte 0x20 in a header name");
	CHECK_REFUSED_S(NULL, "POST / HTTP/1.1\r\nContent-Length : 3\r\n\r\nabc",
	    400, "byte 0x20 in a header name");
	CHECK_REFUSED_S(NULL, "GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n", 400,
	    "byte 0xc3 in the request target");
	CHECK_REFUSED_S(NULL, "GET /\x7f HTTP/1.1\r\n\r\n", 400,
	    "invalid URL at byte 5");
	CHECK_REFUSED_S(NULL, "GET / HTTP/1.1\nHost: a\r\r\n\r\n", 400,
	    "LF character expected");
	CHECK_REFUSED_S(NULL, "GET /a b HTTP/1.1\r\n\r\n", 400,
	    "invalid constant string");
}

static void
test_response(void)
{
	static const char want_ok[] =
	    "HTTP/1.1 200 OK\r\n"
	    "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "Content-Type: application/pkcs7-mime; smime-type=certs-only\r\n"
	    "Content-Length: 4\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n"
	    "TUlJ";
	static const char want_wait[] =
	    "HTTP/1.1 202 Accepted\r\n"
	    "Content-Length: 0\r\n"
	    "Retry-After: 60\r\n"
	    "Connection: close\r\n\r\n";
	static const char want_401[] =
	    "HTTP/1.1 401 Unauthorized\r\n"
	    "Content-Length: 0\r\n"
	    "WWW-Authenticate: Basic realm=\"estrealm\"\r\n"
	    "Allow: GET, POST\r\n"
	    "Connection: keep-alive\r\n\r\n";
	static const char want_err[] =
	    "HTTP/1.1 413 Payload Too Large\r\n"
	    "Content-Type: text/plain\r\n"
	    "Content-Length: 22\r\n"
	    "Connection: close\r\n\r\n"
	    "413 Payload Too Large\n";
	struct httpresp r;
	struct buf b;
	struct err e;

	buf_init(&b);
	memset(&r, 0, sizeof r);
	r.status = 200;
	r.date = 784111777;
	r.content_type = "application/pkcs7-mime; smime-type=certs-only";
	r.content_transfer_encoding = "base64";
	r.body = (const uint8_t *)"TUlJ";
	r.body_len = 4;
	CHECK_EQ(httpresp_write(&r, &b, &e), 0);
	CHECK_STR((char *)b.data, want_ok);
	/* HEAD: the same headers, no body. */
	b.len = 0;
	r.head = 1;
	CHECK_EQ(httpresp_write(&r, &b, &e), 0);
	CHECK_EQ(b.len, strlen(want_ok) - 4);
	CHECK_MEM(b.data, want_ok, b.len);

	b.len = 0;
	memset(&r, 0, sizeof r);
	r.status = 202;
	r.retry_after = 60;
	r.close = 1;
	CHECK_EQ(httpresp_write(&r, &b, &e), 0);
	CHECK_STR((char *)b.data, want_wait);

	b.len = 0;
	memset(&r, 0, sizeof r);
	r.status = 401;
	r.www_authenticate = "Basic realm=\"estrealm\"";
	r.allow = "GET, POST";
	r.http10 = 1;
	CHECK_EQ(httpresp_write(&r, &b, &e), 0);
	CHECK_STR((char *)b.data, want_401);

	b.len = 0;
	httpresp_error(413, 1, &b);
	CHECK_STR((char *)b.data, want_err);

	/* 204 has no Content-Length, and may not have a body. */
	b.len = 0;
	memset(&r, 0, sizeof r);
	r.status = 204;
	CHECK_EQ(httpresp_write(&r, &b, &e), 0);
	CHECK_STR((char *)b.data, "HTTP/1.1 204 No Content\r\n\r\n");
	b.len = 0;
	r.body = (const uint8_t *)"x";
	r.body_len = 1;
	CHECK_ERR(httpresp_write(&r, &b, &e), &e, "HTTP status 204 has no body");
	CHECK_EQ(b.len, 0);
	r.status = 99;
	CHECK_ERR(httpresp_write(&r, &b, &e), &e, "HTTP status 99 out of range");
	r.status = 600;
	CHECK_ERR(httpresp_write(&r, &b, &e), &e, "HTTP status 600 out of range");
	memset(&r, 0, sizeof r);
	r.status = 200;
	r.content_type = "text/plain\r\nSet-Cookie: x=1";
	CHECK_ERR(httpresp_write(&r, &b, &e), &e,
	    "Content-Type value holds a control byte");
	r.content_type = NULL;
	r.www_authenticate = "Basic\n";
	CHECK_ERR(httpresp_write(&r, &b, &e), &e,
	    "WWW-Authenticate value holds a control byte");
	CHECK_EQ(b.len, 0);
	CHECK_STR(httpresp_reason(431), "Request Header Fields Too Large");
	CHECK_STR(httpresp_reason(299), "");
	buf_clear(&b);
}

static void
test_decoders(void)
{
	static const char est[] =
	    "TUlJQ2hl\r\nbGxv\r\nd29y\r\nbGQ=\r\n";
	struct buf b, u, p;
	struct err e;

	buf_init(&b);
	CHECK_EQ(httpdec_base64((const uint8_t *)est, strlen(est), 100, &b, &e),
	    0);
	CHECK_EQ(b.len, 14);
	CHECK_MEM(b.data, "MIIChelloworld", 14);
	b.len = 0;
	/* The bound is the exact size: 14 passes, 13 does not. */
	CHECK_ERR(httpdec_base64((const uint8_t *)est, strlen(est), 13, &b, &e),
	    &e, "base64 body decodes to more than 13 bytes");
	CHECK_EQ(b.len, 0);
	CHECK_EQ(httpdec_base64((const uint8_t *)est, strlen(est), 14, &b, &e),
	    0);
	b.len = 0;
	CHECK_ERR(httpdec_base64((const uint8_t *)"TUlJ\r\nQ2h-", 10, 100, &b,
	    &e), &e, "offset 9: invalid base64 character 0x2d");
	CHECK_EQ(b.len, 0);
	CHECK_ERR(httpdec_base64((const uint8_t *)"TUlJ\0Q2h", 8, 100, &b, &e),
	    &e, "offset 4: invalid base64 character 0x00");
	CHECK_ERR(httpdec_base64((const uint8_t *)"TUlJQ2", 6, 100, &b, &e),
	    &e, "offset 6: truncated base64");
	CHECK_EQ(b.len, 0);

	/* OCSP GET: a URL-encoded base64 request. */
	CHECK_EQ(httpdec_percent("MEkw%2BRz%2fA%3D%3D", 19, 100, &b, &e), 0);
	CHECK_STR((char *)b.data, "MEkw+Rz/A==");
	b.len = 0;
	CHECK_EQ(httpdec_percent("a+b/c", 5, 100, &b, &e), 0);
	CHECK_STR((char *)b.data, "a+b/c");
	b.len = 0;
	CHECK_ERR(httpdec_percent("ab%2", 4, 100, &b, &e), &e,
	    "offset 2: '%' without two hex digits");
	CHECK_ERR(httpdec_percent("ab%g0", 5, 100, &b, &e), &e,
	    "offset 2: '%' without two hex digits");
	CHECK_ERR(httpdec_percent("a%00", 4, 100, &b, &e), &e,
	    "offset 1: %00 (NUL) in a path");
	CHECK_ERR(httpdec_percent("a b", 3, 100, &b, &e), &e,
	    "offset 1: byte 0x20 in a path");
	CHECK_ERR(httpdec_percent("a\x80", 2, 100, &b, &e), &e,
	    "offset 1: byte 0x80 in a path");
	CHECK_ERR(httpdec_percent("abcd", 4, 3, &b, &e), &e,
	    "offset 3: path decodes to more than 3 bytes");
	CHECK_EQ(b.len, 0);
	CHECK_EQ(httpdec_percent("a%41c", 5, 3, &b, &e), 0);
	CHECK_STR((char *)b.data, "aAc");
	buf_clear(&b);

	/* Basic (RFC 7617 2: "Aladdin:open sesame"). */
	buf_init(&u);
	buf_init(&p);
#define BASIC(s) httpdec_basic((s), strlen(s), 256, &u, &p, &e)
	CHECK_EQ(BASIC("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="), 0);
	CHECK_STR((char *)u.data, "Aladdin");
	CHECK_STR((char *)p.data, "open sesame");
	u.len = p.len = 0;
	CHECK_EQ(BASIC("  bAsIc \t dXNlcjo=  "), 0);	/* "user:" */
	CHECK_STR((char *)u.data, "user");
	CHECK_EQ(p.len, 0);
	u.len = 0;
	/* ":token:with:colons": the password may hold ':' */
	CHECK_EQ(BASIC("Basic OnRva2VuOndpdGg6Y29sb25z"), 0);
	CHECK_EQ(u.len, 0);
	CHECK_STR((char *)p.data, "token:with:colons");
	u.len = p.len = 0;
	CHECK_ERR(BASIC("Bearer abc"), &e, "Authorization: not the Basic scheme");
	CHECK_ERR(BASIC("Basic"), &e, "Authorization: not the Basic scheme");
	CHECK_ERR(BASIC("Basicx dXNlcjo="), &e,
	    "Authorization: not the Basic scheme");
	CHECK_ERR(BASIC("Basic dXNlcjpwYXNz!"), &e,
	    "Authorization: Basic: offset 12: invalid base64 character 0x21");
	CHECK_ERR(BASIC("Basic dXNl cjo="), &e,
	    "Authorization: Basic credentials with a blank inside");
	CHECK_ERR(BASIC("Basic "), &e,
	    "Authorization: Basic credentials without ':'");
	CHECK_ERR(BASIC("basic \t "), &e,
	    "Authorization: Basic credentials without ':'");
	CHECK_ERR(BASIC("Basic dXNlcg=="), &e,	/* "user" */
	    "Authorization: Basic credentials without ':'");
	CHECK_ERR(BASIC("Basic dXNlcjpwAGFzcw=="), &e,	/* "user:p\0ass" */
	    "Authorization: Basic credentials with a control byte");
	CHECK_ERR(httpdec_basic("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", 34, 10,
	    &u, &p, &e), &e,
	    "Authorization: Basic: base64 body decodes to more than 10 bytes");
	CHECK_EQ(u.len, 0);
	CHECK_EQ(p.len, 0);
#undef BASIC
	buf_clear(&u);
	buf_clear_secret(&p);
}

int
main(void)
{
	test_good();
	test_keepalive();
	test_bounds();
	test_bad();
	test_response();
	test_decoders();
	return test_done();
}
