/* http.c — the HTTP/1.1 request engine over libhttp-parser; see http.h.
 *
 * libhttp-parser does the grammar; this file keeps what a request needs and
 * enforces the bounds the library does not (its own header limit is 80 KB
 * and global). The parser is paused after each complete request, so that a
 * pipelined request is never read before the previous one is answered. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "net/http.h"

static const char *const http_hdr_names[HTTP_H_COUNT] = {
	[HTTP_H_CONTENT_TYPE] = "content-type",
	[HTTP_H_CONTENT_LENGTH] = "content-length",
	[HTTP_H_AUTHORIZATION] = "authorization",
	[HTTP_H_CONNECTION] = "connection",
	[HTTP_H_HOST] = "host",
	[HTTP_H_TRANSFER_ENCODING] = "transfer-encoding",
};

/* RFC 7230 3.2.6 tchar: Debian builds libhttp-parser without
 * HTTP_PARSER_STRICT, which lets blanks into header names. */
static int
http_tchar(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= 'A' && ch <= 'Z') || (ch != '\0' &&
	    strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

static const struct {
	enum http_method m;
	enum http_method_id id;
} http_methods[] = {
	{ HTTP_GET, HTTP_M_GET },
	{ HTTP_HEAD, HTTP_M_HEAD },
	{ HTTP_POST, HTTP_M_POST },
};

/* libhttp-parser's errors and the status each answers; the rest are 400. */
static const struct {
	enum http_errno e;
	int status;
} http_errno_status[] = {
	{ HPE_HEADER_OVERFLOW, 431 },
	{ HPE_INVALID_TRANSFER_ENCODING, 501 },
};

/* Records the first failure only: a later callback must not replace it. */
static int __attribute__((format(printf, 3, 4)))
http_fail(struct http_conn *c, int status, const char *fmt, ...)
{
	va_list ap;

	if (c->state == HTTP_S_ERROR)
		return -1;
	c->state = HTTP_S_ERROR;
	c->status = status;
	c->error.kind = ERR_INPUT;
	va_start(ap, fmt);
	vsnprintf(c->error.msg, sizeof c->error.msg, fmt, ap);
	va_end(ap);
	return -1;
}

static struct http_conn *
http_of(http_parser *p)
{
	return p->data;
}

static int
http_on_begin(http_parser *p)
{
	http_of(p)->state = HTTP_S_READING;
	return 0;
}

static int
http_on_url(http_parser *p, const char *at, size_t n)
{
	struct http_conn *c = http_of(p);
	size_t i;

	/* The non-strict parser also takes bytes over 0x7f. */
	for (i = 0; i < n; i++)
		if ((unsigned char)at[i] < 0x21 || (unsigned char)at[i] > 0x7e)
			return http_fail(c, 400, "byte 0x%02x in the request "
			    "target", (unsigned char)at[i]);
	if (n > c->lim.max_target - c->target.len)
		return http_fail(c, 414, "request target longer than %zu bytes",
		    c->lim.max_target);
	buf_append(&c->target, at, n);
	return 0;
}

static int
http_on_field(http_parser *p, const char *at, size_t n)
{
	struct http_conn *c = http_of(p);
	size_t k;

	switch (httphdr_field(&c->hdr, at, n)) {
	case HTTPHDR_TOO_MANY:
		return http_fail(c, 431, "more than %zu header lines",
		    c->lim.max_headers);
	case HTTPHDR_TOO_LONG:
		return http_fail(c, 431, "a header line longer than %zu bytes",
		    c->lim.max_header_line);
	default:
		break;
	}
	for (k = 0; k < n; k++)
		if (!http_tchar((unsigned char)at[k]))
			return http_fail(c, 400, "byte 0x%02x in a header name",
			    (unsigned char)at[k]);
	return 0;
}

static int
http_on_value(http_parser *p, const char *at, size_t n)
{
	struct http_conn *c = http_of(p);

	switch (httphdr_value(&c->hdr, at, n)) {
	case HTTPHDR_TWICE:
		return http_fail(c, 400, "header %s given twice",
		    http_hdr_names[c->hdr.cur]);
	case HTTPHDR_TOO_LONG:
		return http_fail(c, 431, "a header line longer than %zu bytes",
		    c->lim.max_header_line);
	default:
		return 0;
	}
}

static int
http_on_headers(http_parser *p)
{
	struct http_conn *c = http_of(p);
	struct http_request *r = &c->req;
	struct http_parser_url u;
	size_t i, off, n;

	c->headers_done = 1;
	if (p->http_major != 1)
		return http_fail(c, 505, "HTTP version %u.%u not supported",
		    p->http_major, p->http_minor);
	for (i = 0; i < sizeof http_methods / sizeof http_methods[0]; i++)
		if (http_methods[i].m == p->method)
			break;
	if (i == sizeof http_methods / sizeof http_methods[0])
		return http_fail(c, 501, "method %s not implemented",
		    http_method_str(p->method));
	r->method = http_methods[i].id;
	r->method_name = http_method_str(p->method);
	r->version = p->http_minor == 0 ? 10 : 11;
	if (p->flags & F_CHUNKED)
		return http_fail(c, 411, "chunked request body refused: "
		    "send Content-Length");
	if (c->hdr.seen[HTTP_H_TRANSFER_ENCODING])
		return http_fail(c, 501, "transfer coding not implemented");
	r->has_length = (p->flags & F_CONTENTLENGTH) != 0;
	r->content_length = p->content_length;
	if (!r->has_length) {
		r->content_length = 0;
		if (r->method == HTTP_M_POST)
			return http_fail(c, 411, "POST without Content-Length");
	}
	if (r->content_length > c->lim.max_body)
		return http_fail(c, 413, "body longer than %zu bytes",
		    c->lim.max_body);

	buf_putc(&c->target, '\0');
	c->target.len--;
	r->target = (const char *)c->target.data;
	http_parser_url_init(&u);
	if (http_parser_parse_url(r->target, c->target.len, 0, &u) != 0)
		return http_fail(c, 400, "bad request target");
	if (u.field_set & (1u << UF_PATH)) {
		off = u.field_data[UF_PATH].off;
		n = u.field_data[UF_PATH].len;
		buf_append(&c->path, r->target + off, n);
	} else
		buf_putc(&c->path, '/');	/* "http://host" */
	r->path = (const char *)c->path.data;
	r->query = NULL;
	if (u.field_set & (1u << UF_QUERY))
		r->query = r->target + u.field_data[UF_QUERY].off;
	for (i = 0; i < HTTP_H_COUNT; i++)
		r->hdr[i] = httphdr_get(&c->hdr, (int)i);
	return 0;
}

static int
http_on_body(http_parser *p, const char *at, size_t n)
{
	struct http_conn *c = http_of(p);

	/* Content-Length is at most max_body, so this holds. */
	if (n > c->lim.max_body - c->body.len)
		return http_fail(c, 413, "body longer than %zu bytes",
		    c->lim.max_body);
	buf_append(&c->body, at, n);
	return 0;
}

static int
http_on_complete(http_parser *p)
{
	struct http_conn *c = http_of(p);
	struct http_request *r = &c->req;

	buf_putc(&c->body, '\0');
	c->body.len--;
	r->body = c->body.data;
	r->body_len = c->body.len;
	c->requests++;
	r->keep_alive = http_should_keep_alive(p) &&
	    c->requests < c->lim.max_requests;
	c->state = HTTP_S_REQUEST;
	http_parser_pause(p, 1);
	return 0;
}

static const http_parser_settings http_settings = {
	.on_message_begin = http_on_begin,
	.on_url = http_on_url,
	.on_header_field = http_on_field,
	.on_header_value = http_on_value,
	.on_headers_complete = http_on_headers,
	.on_body = http_on_body,
	.on_message_complete = http_on_complete,
};

static void
http_reset(struct http_conn *c)
{
	c->headers_done = 0;
	c->head_bytes = 0;
	c->target.len = 0;
	c->path.len = 0;
	c->body.len = 0;
	/* The Authorization value may hold a password: wiped. */
	httphdr_reset(&c->hdr);
	memset(&c->req, 0, sizeof c->req);
}

void
http_conn_init(struct http_conn *c, const struct http_limits *lim)
{
	memset(c, 0, sizeof *c);
	if (lim != NULL)
		c->lim = *lim;
#define HTTP_DEF(f, d) if (c->lim.f == 0) c->lim.f = d
	HTTP_DEF(max_target, HTTP_DEF_MAX_TARGET);
	HTTP_DEF(max_header_line, HTTP_DEF_MAX_HEADER_LINE);
	HTTP_DEF(max_headers, HTTP_DEF_MAX_HEADERS);
	HTTP_DEF(max_header_block, HTTP_DEF_MAX_HEADER_BLOCK);
	HTTP_DEF(max_body, HTTP_DEF_MAX_BODY);
	HTTP_DEF(max_requests, HTTP_DEF_MAX_REQUESTS);
#undef HTTP_DEF
	/* URL offsets are 16-bit in libhttp-parser. */
	if (c->lim.max_target > 65535)
		c->lim.max_target = 65535;
	http_parser_init(&c->p, HTTP_REQUEST);
	c->p.data = c;
	buf_init(&c->target);
	buf_init(&c->path);
	buf_init(&c->body);
	httphdr_init(&c->hdr, http_hdr_names, HTTP_H_COUNT, c->lim.max_headers,
	    c->lim.max_header_line);
	err_clear(&c->error);
	c->state = HTTP_S_IDLE;
	http_reset(c);
}

void
http_conn_clear(struct http_conn *c)
{
	buf_clear(&c->target);
	buf_clear(&c->path);
	buf_clear(&c->body);
	httphdr_clear(&c->hdr);
	memset(c, 0, sizeof *c);
}

static int
http_status_of(enum http_errno e)
{
	size_t i;

	for (i = 0; i < sizeof http_errno_status / sizeof http_errno_status[0];
	    i++)
		if (http_errno_status[i].e == e)
			return http_errno_status[i].status;
	return 400;
}

enum http_state
http_conn_feed(struct http_conn *c, const void *data, size_t len,
    size_t *used)
{
	const char *in = data;
	enum http_errno e;
	size_t n, done;

	*used = 0;
	while (*used < len && (c->state == HTTP_S_IDLE ||
	    c->state == HTTP_S_READING)) {
		n = len - *used;
		/* Never let the head run past its bound inside one call. */
		if (!c->headers_done && n > c->lim.max_header_block -
		    c->head_bytes)
			n = c->lim.max_header_block - c->head_bytes;
		done = http_parser_execute(&c->p, &http_settings, in + *used,
		    n);
		if (done > n)	/* not by its contract; be safe */
			done = n;
		*used += done;
		if (!c->headers_done)
			c->head_bytes += done;
		if (c->state == HTTP_S_ERROR)
			break;
		e = HTTP_PARSER_ERRNO(&c->p);
		if (e == HPE_PAUSED && c->state == HTTP_S_REQUEST)
			break;
		if (e != HPE_OK) {
			http_fail(c, http_status_of(e), "%s at byte %zu",
			    http_errno_description(e), c->head_bytes);
			break;
		}
		if (!c->headers_done &&
		    c->head_bytes >= c->lim.max_header_block) {
			http_fail(c, 431, "request head longer than %zu bytes",
			    c->lim.max_header_block);
			break;
		}
		if (done < n) {	/* cannot happen without an error */
			http_fail(c, 400, "parser stopped at byte %zu", *used);
			break;
		}
	}
	return c->state;
}

enum http_state
http_conn_next(struct http_conn *c)
{
	if (c->state != HTTP_S_REQUEST)
		return c->state;
	if (!c->req.keep_alive) {
		http_reset(c);
		c->state = HTTP_S_CLOSED;
		return c->state;
	}
	http_reset(c);
	http_parser_pause(&c->p, 0);
	c->state = HTTP_S_IDLE;
	return c->state;
}

enum http_state
http_conn_eof(struct http_conn *c)
{
	if (c->state == HTTP_S_IDLE)
		c->state = HTTP_S_CLOSED;
	else if (c->state == HTTP_S_READING)
		http_fail(c, 400, "stream ended inside a request");
	return c->state;
}

enum http_state
http_conn_timeout(struct http_conn *c)
{
	if (c->state == HTTP_S_IDLE)
		c->state = HTTP_S_CLOSED;
	else if (c->state == HTTP_S_READING)
		http_fail(c, 408, "timed out inside a request");
	return c->state;
}

enum http_state
http_conn_state(const struct http_conn *c)
{
	return c->state;
}
