/* httpcli.h — the I/O-free HTTP/1.1 client side: a request written into a
 * struct buf, and a response read over Debian's libhttp-parser in
 * HTTP_RESPONSE mode, every size bounded.
 *
 * Bytes in, state out, as net/http.h for the server: the caller reads from
 * its socket (or the TLS engine), feeds httpcli_feed and is told
 *   HTTPCLI_S_READING  more bytes are needed (at end of stream call
 *                      httpcli_eof);
 *   HTTPCLI_S_DONE     r->resp holds the response; bytes after it are not
 *                      consumed;
 *   HTTPCLI_S_ERROR    r->error says why (ERR_INPUT); the connection is
 *                      not usable any more.
 * Interim 1xx responses (100 Continue) are skipped. Refused, each with its
 * message:
 *   "the server closed the connection without answering"
 *   "the response ends after N bytes, in the middle" (httpcli_eof)
 *   "response header block over N bytes", "more than N response header
 *   lines", "response header line over N bytes"
 *   "response without Content-Length" (a body must be framed by its
 *   length: reading to the end of the connection cannot tell a complete
 *   answer from a cut one; 204 and 304 carry none)
 *   "chunked response refused: a Content-Length is required"
 *   "response body of N bytes over the limit of M"
 *   "HTTP version X.Y not supported", "malformed response: WHAT"
 *   a kept header twice: "response header NAME given twice". */
#ifndef MP_NET_HTTPCLI_H
#define MP_NET_HTTPCLI_H

#include <stddef.h>
#include <stdint.h>

#include <http_parser.h>

#include "net/httphdr.h"
#include "util/buf.h"
#include "util/err.h"

#define HTTPCLI_DEF_MAX_HEADER_LINE	8192
#define HTTPCLI_DEF_MAX_HEADERS		64
#define HTTPCLI_DEF_MAX_HEADER_BLOCK	16384
#define HTTPCLI_DEF_MAX_BODY		(1024 * 1024)

struct httpcli_limits {
	size_t max_header_line;
	size_t max_headers;
	size_t max_header_block;
	size_t max_body;
};

enum httpcli_state {
	HTTPCLI_S_READING,
	HTTPCLI_S_DONE,
	HTTPCLI_S_ERROR,
};

/* The response headers kept, in the order of resp.hdr[]. */
enum httpcli_hdr {
	HTTPCLI_H_CONTENT_TYPE,
	HTTPCLI_H_CONTENT_LENGTH,
	HTTPCLI_H_CONTENT_TRANSFER_ENCODING,
	HTTPCLI_H_RETRY_AFTER,
	HTTPCLI_H_CONNECTION,
	HTTPCLI_H_TRANSFER_ENCODING,
	HTTPCLI_H_COUNT,
};

/* One complete response; pointers live until httpcli_reset or
 * httpcli_clear. */
struct httpcli_resp {
	int status;			/* 200..599 */
	int version;			/* 10 or 11 */
	const char *hdr[HTTPCLI_H_COUNT];	/* values, NULL when absent */
	const uint8_t *body;		/* body_len bytes, NUL after */
	size_t body_len;
	int keep_alive;			/* the connection may carry another */
};

struct httpcli {
	struct httpcli_limits lim;
	http_parser p;
	int head;			/* the request was HEAD: no body */
	enum httpcli_state state;
	struct err error;
	struct httpcli_resp resp;
	size_t fed;			/* bytes of this response so far */
	size_t head_bytes;		/* of this response's head so far */
	int headers_done;
	int interim_done;	/* a 1xx just ended (the parser is paused) */
	struct httphdr hdr;		/* the header lines */
	struct buf body;
};

/* limits may be NULL (all defaults); head: the response answers a HEAD. */
void httpcli_init(struct httpcli *, const struct httpcli_limits *, int head);
void httpcli_clear(struct httpcli *);
/* Ready for the next response on the same connection. */
void httpcli_reset(struct httpcli *, int head);
/* Feeds bytes; *used gets how many were consumed. */
enum httpcli_state httpcli_feed(struct httpcli *, const void *data,
    size_t len, size_t *used);
/* The server ended its stream. */
enum httpcli_state httpcli_eof(struct httpcli *);

/* A request to write. */
struct httpcli_req {
	const char *method;		/* "GET", "POST" */
	const char *target;		/* "/crl" */
	const char *host;		/* Host header */
	const char *content_type;	/* NULL: none */
	const char *content_transfer_encoding;	/* NULL: none */
	const char *authorization;	/* NULL: none; a secret */
	const uint8_t *body;
	size_t body_len;		/* Content-Length written for POST */
	int close;			/* Connection: close */
};

/* Appends the request to out (which holds a secret when authorization is
 * set: clear it with buf_clear_secret). ERR_USAGE for a control byte in a
 * header value or the target (header injection). */
int httpcli_request(const struct httpcli_req *, struct buf *out,
    struct err *);
/* "Basic base64(user:pass)" into out (a secret). ERR_USAGE for a ':' in
 * user or a control byte in either. */
int httpcli_basic(const char *user, const char *pass, struct buf *out,
    struct err *);

#endif
