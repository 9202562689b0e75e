/* http.h — the I/O-free HTTP/1.1 server engine: request framing over
 * Debian's libhttp-parser (RFC 7230), every size bounded.
 *
 * Bytes in, events out, no socket and no clock, as the TLS engine: the
 * caller reads from its socket (or from the TLS engine's application
 * data), hands the bytes to http_conn_feed, and is told one of
 *   HTTP_S_IDLE     nothing of a request seen: more bytes may come or
 *                   not; the caller's idle timeout closes silently;
 *   HTTP_S_READING  a request has begun and is not complete: the caller's
 *                   request timeout calls http_conn_timeout (408, close);
 *   HTTP_S_REQUEST  c->req holds one complete request; bytes after it (a
 *                   pipelined request) are not consumed: answer, call
 *                   http_conn_next, feed the rest again;
 *   HTTP_S_ERROR    c->status is the status to answer (httpresp_error),
 *                   then close; c->error says why, for the log. Close
 *                   lingering (shutdown the write side, drain input a
 *                   moment): unread input makes close send a reset that
 *                   can destroy the answer before the client reads it;
 *   HTTP_S_CLOSED   the connection is over (the last request was answered
 *                   with Connection: close, or the peer ended while idle).
 *
 * Accepted: HTTP/1.0 and HTTP/1.x (x >= 1, treated as 1.1) requests with
 * the methods GET, HEAD and POST, origin-form or absolute-form targets.
 * Kept of the headers: Content-Type, Content-Length, Authorization,
 * Connection, Host, Transfer-Encoding (each at most once); the others are
 * counted and skipped. Header names must be tokens and the target bytes
 * 0x21..0x7e (Debian's libhttp-parser is built non-strict; we are not).
 * A body only with Content-Length (POST must have one).
 * Keep-alive as RFC 7230 6.3: HTTP/1.1 keeps the connection unless
 * "Connection: close"; HTTP/1.0 closes unless "Connection: keep-alive".
 * Pipelined requests are answered one after the other, in order.
 *
 * Bounds (struct http_limits; 0 in a field takes the default) and what
 * each answers:
 *   request target longer than max_target (4096)           414, close
 *   one header line (name + value) over max_header_line (8192)
 *                                                          431, close
 *   more than max_headers (64) header lines                431, close
 *   request line + headers over max_header_block (16384)   431, close
 *   Content-Length over max_body (1 MiB)                   413, close
 *   POST without Content-Length                            411, close
 *   Transfer-Encoding: chunked (refused: RFC 7230 3.3.3
 *     lets a server ask for a length with 411)             411, close
 *   any other Transfer-Encoding                            501, close
 *   a method other than GET, HEAD, POST                    501, close
 *   HTTP major version other than 1                        505, close
 *   a kept header twice, Content-Length with
 *     Transfer-Encoding, a malformed request line or
 *     header, bytes outside the grammar (NUL, controls,
 *     a blank in a header name, non-ASCII in the target)   400, close
 *   end of stream in the middle of a request (http_conn_eof)
 *                                                          400, close
 *   the caller's timeout in the middle of a request       408, close
 *   max_requests (100) requests on one connection: the last is answered
 *     with Connection: close (req.keep_alive is 0).
 * A body that never finishes stays HTTP_S_READING until the caller's
 * timeout.
 * A rate in time (requests per second) needs a clock: the caller's; the
 * engine caps the count. Memory per connection: the target, the kept
 * headers and the body, each within its bound. */
#ifndef MP_NET_HTTP_H
#define MP_NET_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <http_parser.h>

#include "net/httphdr.h"
#include "util/buf.h"
#include "util/err.h"

#define HTTP_DEF_MAX_TARGET		4096
#define HTTP_DEF_MAX_HEADER_LINE	8192
#define HTTP_DEF_MAX_HEADERS		64
#define HTTP_DEF_MAX_HEADER_BLOCK	16384
#define HTTP_DEF_MAX_BODY		(1024 * 1024)
#define HTTP_DEF_MAX_REQUESTS		100

struct http_limits {
	size_t max_target;
	size_t max_header_line;
	size_t max_headers;
	size_t max_header_block;
	size_t max_body;
	unsigned max_requests;
};

enum http_state {
	HTTP_S_IDLE,
	HTTP_S_READING,
	HTTP_S_REQUEST,
	HTTP_S_ERROR,
	HTTP_S_CLOSED,
};

enum http_method_id {
	HTTP_M_GET,
	HTTP_M_HEAD,
	HTTP_M_POST,
};

/* The headers kept, in the order of struct http_request's hdr[]. */
enum http_hdr {
	HTTP_H_CONTENT_TYPE,
	HTTP_H_CONTENT_LENGTH,
	HTTP_H_AUTHORIZATION,
	HTTP_H_CONNECTION,
	HTTP_H_HOST,
	HTTP_H_TRANSFER_ENCODING,
	HTTP_H_COUNT,
};

/* One complete request. Every pointer points into the connection and
 * lives until http_conn_next or http_conn_clear. */
struct http_request {
	enum http_method_id method;
	const char *method_name;	/* "GET", static */
	int version;			/* 10 or 11 */
	const char *target;		/* as sent: "/ocsp/MEk...%3D?x=1" */
	const char *path;		/* target up to '?' (a copy) */
	const char *query;		/* after '?', or NULL */
	/* The kept headers' values (outer whitespace removed), NULL when
	 * absent; hdr[HTTP_H_AUTHORIZATION] may hold a password. */
	const char *hdr[HTTP_H_COUNT];
	int has_length;
	uint64_t content_length;
	const uint8_t *body;		/* body_len bytes, NUL after */
	size_t body_len;
	/* 0: answer with Connection: close and close after the answer. */
	int keep_alive;
};

struct http_conn {
	struct http_limits lim;
	http_parser p;
	enum http_state state;
	int status;			/* HTTP_S_ERROR: status to answer */
	struct err error;		/* HTTP_S_ERROR: why */
	unsigned requests;		/* complete requests so far */
	struct http_request req;

	/* the request being read */
	int headers_done;
	size_t head_bytes;		/* bytes fed while reading the head */
	struct httphdr hdr;		/* the header lines */
	struct buf target, path, body;
};

/* limits may be NULL (all defaults). */
void http_conn_init(struct http_conn *, const struct http_limits *limits);
/* Frees what the connection holds; the Authorization value is wiped. */
void http_conn_clear(struct http_conn *);
/* Feeds bytes; *used gets how many were consumed (fewer than len when a
 * request completes before the end, or none in HTTP_S_REQUEST, HTTP_S_ERROR
 * and HTTP_S_CLOSED). Returns the state. */
enum http_state http_conn_feed(struct http_conn *, const void *data,
    size_t len, size_t *used);
/* After a request is answered: HTTP_S_IDLE for the next one, or
 * HTTP_S_CLOSED when the request did not keep the connection. Frees the
 * request. */
enum http_state http_conn_next(struct http_conn *);
/* The peer ended its stream: HTTP_S_CLOSED when idle, HTTP_S_ERROR 400
 * when reading a request; a complete request (HTTP_S_REQUEST) is still
 * answered: call again after http_conn_next. */
enum http_state http_conn_eof(struct http_conn *);
/* The caller's request timeout: HTTP_S_ERROR 408 when reading a request,
 * HTTP_S_CLOSED when idle. */
enum http_state http_conn_timeout(struct http_conn *);
enum http_state http_conn_state(const struct http_conn *);

#endif
