/* httpcli-test.c — the HTTP/1.1 response reader and request writer: whole
 * and byte by byte, interim 100, keep-alive, and each refusal with its
 * exact message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/httpcli.h"
#include "testlib.h"

static const struct httpcli_limits lim = {
	.max_header_line = 64, .max_headers = 4, .max_header_block = 256,
	.max_body = 16,
};

/* Feeds text whole (step 0) or in pieces of step bytes, then the end of
 * the stream when eof is set; returns the state, c left for checks. */
static enum httpcli_state
feed(struct httpcli *c, const char *text, size_t len, size_t step, int eof,
    size_t *used_all)
{
	enum httpcli_state st = HTTPCLI_S_READING;
	size_t off = 0, n, used;

	httpcli_init(c, &lim, 0);
	while (off < len && st == HTTPCLI_S_READING) {
		n = step == 0 || len - off < step ? len - off : step;
		st = httpcli_feed(c, text + off, n, &used);
		off += used;
	}
	if (st == HTTPCLI_S_READING && eof)
		st = httpcli_eof(c);
	if (used_all != NULL)
		*used_all = off;
	return st;
}

/* text must fail with msg, whole and byte by byte. */
static void
refused(const char *text, size_t len, int eof, const char *msg)
{
	struct httpcli c;
	size_t step;

	for (step = 0; step < 2; step++) {
		CHECK_EQ(feed(&c, text, len, step, eof, NULL), HTTPCLI_S_ERROR);
		CHECK_STR(c.error.msg, msg);
		CHECK_EQ(c.error.kind, ERR_INPUT);
		httpcli_clear(&c);
	}
}

static void
test_good(void)
{
	static const char two[] =
	    "HTTP/1.1 100 Continue\r\n\r\n"
	    "HTTP/1.1 202 Accepted\r\nRetry-After: 5 \r\n"
	    "Content-Length: 0\r\n\r\n"
	    "HTTP/1.0 200 OK\r\nContent-Type: application/pkix-crl\r\n"
	    "Content-Length: 4\r\n\r\nabcd";
	struct httpcli c;
	size_t used, step, first = strlen(two) - 78;

	for (step = 0; step < 2; step++) {
		CHECK_EQ(feed(&c, two, strlen(two), step, 0, &used),
		    HTTPCLI_S_DONE);
		/* the 100 is skipped; the 200 after the 202 not taken */
		CHECK_EQ(used, first);
		CHECK_EQ(c.resp.status, 202);
		CHECK_STR(c.resp.hdr[HTTPCLI_H_RETRY_AFTER], "5");
		CHECK(c.resp.keep_alive);
		CHECK_EQ(c.resp.body_len, 0);
		httpcli_reset(&c, 0);
		CHECK_EQ(httpcli_feed(&c, two + used, strlen(two) - used,
		    &used), HTTPCLI_S_DONE);
		CHECK_EQ(c.resp.status, 200);
		CHECK_EQ(c.resp.version, 10);
		CHECK(!c.resp.keep_alive);
		CHECK_STR(c.resp.hdr[HTTPCLI_H_CONTENT_TYPE],
		    "application/pkix-crl");
		CHECK(c.resp.body_len == 4 &&
		    memcmp(c.resp.body, "abcd", 4) == 0);
		httpcli_clear(&c);
	}
}

/* Each head is counted from its own first byte: an interim response's
 * head does not count against the final one's bound however the bytes
 * arrive (fuzz-httpcli found the whole stream refused where the same
 * bytes in pieces were read). */
static void
test_interim_bound(void)
{
	char text[512], big[512];
	struct httpcli c;
	size_t step, n, i;

	/* an interim head of 199 bytes and a final one of 94: each under
	 * the bound of 256, the two together over it */
	n = (size_t)snprintf(text, sizeof text, "HTTP/1.1 103 Early Hints\r\n");
	for (i = 0; i < 3; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "Link: "
		    "<https://ca.example/%zu.pem>; rel=preload; as=fetch\r\n",
		    i);
	n += (size_t)snprintf(text + n, sizeof text - n, "\r\n"
	    "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-cert\r\n"
	    "Content-Length: 4\r\nConnection: close\r\n\r\nabcd");
	CHECK_EQ(n, 199 + 94 + 4);
	for (step = 0; step < 2; step++) {
		CHECK_EQ(feed(&c, text, n, step, 0, NULL), HTTPCLI_S_DONE);
		CHECK_EQ(c.resp.status, 200);
		CHECK(c.resp.body_len == 4 &&
		    memcmp(c.resp.body, "abcd", 4) == 0);
		httpcli_clear(&c);
	}
	/* the final head keeps its own bound after an interim one */
	n = (size_t)snprintf(big, sizeof big, "HTTP/1.1 100 Continue\r\n\r\n"
	    "HTTP/1.1 200 OK\r\n");
	for (i = 0; i < 4; i++)
		n += (size_t)snprintf(big + n, sizeof big - n, "X-%zu: %.56s\r\n",
		    i, "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv");
	n += (size_t)snprintf(big + n, sizeof big - n, "\r\n");
	refused(big, n, 1, "response header block over 256 bytes");
}

static void
test_refused(void)
{
	char big[600];
	size_t i;

#define R(text, msg) refused(text, sizeof text - 1, 1, msg)
	R("", "the server closed the connection without answering");
	R("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
	    "the response ends after 42 bytes, in the middle");
	R("HTTP/1.1 200 OK\r\nConte",
	    "the response ends after 22 bytes, in the middle");
	R("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello",
	    "response without Content-Length");
	R("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "2\r\nok\r\n0\r\n\r\n",
	    "chunked response refused: a Content-Length is required");
	R("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nok",
	    "transfer coding 'gzip' refused");
	R("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n",
	    "response body of 17 bytes over the limit of 16");
	R("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n",
	    "more than 4 response header lines");
	R("HTTP/1.1 200 OK\r\nContent-Type: a\r\nContent-Type: b\r\n"
	    "Content-Length: 0\r\n\r\n",
	    "response header content-type given twice");
	/* the parser's own refusal of a second length */
	R("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n"
	    "\r\nx", "malformed response: unexpected content-length header");
	R("HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
	    "HTTP version 2.0 not supported");
	R("SSH-2.0-OpenSSH\r\n", "malformed response: invalid constant string");
	R("HTTP/1.1 200 OK\r\nX: a\001b\r\nContent-Length: 0\r\n\r\n",
	    "malformed response: invalid character in header");
#undef R
	/* one line too long, then the block */
	memset(big, 'a', sizeof big);
	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	refused(big, 100, 1, "response header line over 64 bytes");
	for (i = 17; i + 10 < sizeof big; i += 10)
		memcpy(big + i, "X-Y: 123\r\n", 10);
	refused(big, sizeof big, 1, "more than 4 response header lines");
	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	for (i = 20; i + 60 < sizeof big; i += 60) {
		memset(big + i, 'v', 56);
		memcpy(big + i + 56, "\r\n\t ", 4);	/* folded lines */
	}
	refused(big, sizeof big, 1, "response header line over 64 bytes");
}

static void
test_request(void)
{
	struct httpcli_req q;
	struct buf out;
	struct err e;

	buf_init(&out);
	memset(&q, 0, sizeof q);
	q.method = "POST";
	q.target = "/.well-known/est/simpleenroll";
	q.host = "localhost";
	q.content_type = "application/pkcs10";
	q.content_transfer_encoding = "base64";
	CHECK_EQ(httpcli_basic("alice", "s3cret", &out, &e), 0);
	CHECK_STR((char *)out.data, "Basic YWxpY2U6czNjcmV0");
	q.authorization = (char *)out.data;
	q.body = (const uint8_t *)"MIIB";
	q.body_len = 4;
	{
		struct buf r;

		buf_init(&r);
		CHECK_EQ(httpcli_request(&q, &r, &e), 0);
		CHECK_STR((char *)r.data,
		    "POST /.well-known/est/simpleenroll HTTP/1.1\r\n"
		    "Host: localhost\r\nContent-Type: application/pkcs10\r\n"
		    "Content-Transfer-Encoding: base64\r\n"
		    "Authorization: Basic YWxpY2U6czNjcmV0\r\n"
		    "Content-Length: 4\r\n\r\nMIIB");
		r.len = 0;
		q.host = "localhost\r\nX-Evil: 1";
		CHECK_EQ(httpcli_request(&q, &r, &e), -1);
		CHECK_STR(e.msg, "Host: control byte 0x0d");
		CHECK_EQ(r.len, 0);
		buf_clear(&r);
	}
	out.len = 0;
	CHECK_EQ(httpcli_basic("a:b", "x", &out, &e), -1);
	CHECK_STR(e.msg, "a user name for HTTP Basic cannot hold ':'");
	CHECK_EQ(httpcli_basic("a", "x\ny", &out, &e), -1);
	CHECK_STR(e.msg, "the token holds a control byte");
	buf_clear_secret(&out);
}

int
main(void)
{
	test_good();
	test_interim_bound();
	test_refused();
	test_request();
	return test_done();
}
