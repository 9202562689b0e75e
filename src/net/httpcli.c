/* httpcli.c — HTTP/1.1 requests written and responses read over
 * libhttp-parser; see httpcli.h.
 *
 * The parser does the grammar; this file keeps what a client needs and
 * enforces the bounds (the library's own header limit is 80 KB and
 * global). The parser is paused after a final response, so that bytes of
 * a next one are never taken. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crypto/b64.h"
#include "net/httpcli.h"

static const char *const httpcli_hdr_names[HTTPCLI_H_COUNT] = {
	[HTTPCLI_H_CONTENT_TYPE] = "content-type",
	[HTTPCLI_H_CONTENT_LENGTH] = "content-length",
	[HTTPCLI_H_CONTENT_TRANSFER_ENCODING] = "content-transfer-encoding",
	[HTTPCLI_H_RETRY_AFTER] = "retry-after",
	[HTTPCLI_H_CONNECTION] = "connection",
	[HTTPCLI_H_TRANSFER_ENCODING] = "transfer-encoding",
};

/* Records the first failure only. */
static int __attribute__((format(printf, 2, 3)))
httpcli_fail(struct httpcli *c, const char *fmt, ...)
{
	va_list ap;

	if (c->state == HTTPCLI_S_ERROR)
		return -1;
	c->state = HTTPCLI_S_ERROR;
	c->error.kind = ERR_INPUT;
	va_start(ap, fmt);
	vsnprintf(c->error.msg, sizeof c->error.msg, fmt, ap);
	va_end(ap);
	return -1;
}

static struct httpcli *
httpcli_of(http_parser *p)
{
	return p->data;
}

/* Forgets the response being read (an interim one, or the last). */
static void
httpcli_forget(struct httpcli *c)
{
	c->headers_done = 0;
	c->head_bytes = 0;
	c->body.len = 0;
	httphdr_reset(&c->hdr);
	memset(&c->resp, 0, sizeof c->resp);
}

/* One fault of a header line, in words. */
static int
httpcli_hdr_fault(struct httpcli *c, enum httphdr_fault f)
{
	switch (f) {
	case HTTPHDR_TOO_MANY:
		return httpcli_fail(c, "more than %zu response header lines",
		    c->lim.max_headers);
	case HTTPHDR_TOO_LONG:
		return httpcli_fail(c, "response header line over %zu bytes",
		    c->lim.max_header_line);
	case HTTPHDR_TWICE:
		return httpcli_fail(c, "response header %s given twice",
		    httpcli_hdr_names[c->hdr.cur]);
	default:
		return 0;
	}
}

static int
httpcli_on_field(http_parser *p, const char *at, size_t n)
{
	struct httpcli *c = httpcli_of(p);

	return httpcli_hdr_fault(c, httphdr_field(&c->hdr, at, n));
}

static int
httpcli_on_value(http_parser *p, const char *at, size_t n)
{
	struct httpcli *c = httpcli_of(p);

	return httpcli_hdr_fault(c, httphdr_value(&c->hdr, at, n));
}

static int
httpcli_on_headers(http_parser *p)
{
	struct httpcli *c = httpcli_of(p);
	struct httpcli_resp *r = &c->resp;
	int i, nobody;

	c->headers_done = 1;
	if (p->http_major != 1)
		return httpcli_fail(c, "HTTP version %u.%u not supported",
		    p->http_major, p->http_minor);
	r->status = p->status_code;
	r->version = p->http_minor == 0 ? 10 : 11;
	for (i = 0; i < HTTPCLI_H_COUNT; i++)
		r->hdr[i] = httphdr_get(&c->hdr, i);
	if (r->status < 200)
		return 0;	/* interim: no body, the final one follows */
	if (p->flags & F_CHUNKED)
		return httpcli_fail(c, "chunked response refused: a "
		    "Content-Length is required");
	if (c->hdr.seen[HTTPCLI_H_TRANSFER_ENCODING])
		return httpcli_fail(c, "transfer coding '%.64s' refused",
		    r->hdr[HTTPCLI_H_TRANSFER_ENCODING]);
	nobody = c->head || r->status == 204 || r->status == 304;
	if (!nobody && !(p->flags & F_CONTENTLENGTH))
		return httpcli_fail(c, "response without Content-Length");
	if (!nobody && p->content_length > c->lim.max_body)
		return httpcli_fail(c, "response body of %llu bytes over the "
		    "limit of %zu", (unsigned long long)p->content_length,
		    c->lim.max_body);
	return c->head ? 1 : 0;	/* 1: the parser expects no body */
}

static int
httpcli_on_body(http_parser *p, const char *at, size_t n)
{
	struct httpcli *c = httpcli_of(p);

	/* Content-Length is at most max_body, so this holds. */
	if (n > c->lim.max_body - c->body.len)
		return httpcli_fail(c, "response body of more than %zu bytes "
		    "over the limit of %zu", c->body.len + n,
		    c->lim.max_body);
	buf_append(&c->body, at, n);
	return 0;
}

static int
httpcli_on_complete(http_parser *p)
{
	struct httpcli *c = httpcli_of(p);
	struct httpcli_resp *r = &c->resp;

	if (r->status < 200) {
		/* Paused here too, so that httpcli_feed counts the next
		 * head from its own first byte, not from this one's. */
		httpcli_forget(c);
		c->interim_done = 1;
		http_parser_pause(p, 1);
		return 0;
	}
	buf_putc(&c->body, '\0');
	c->body.len--;
	r->body = c->body.data;
	r->body_len = c->body.len;
	r->keep_alive = http_should_keep_alive(p);
	c->state = HTTPCLI_S_DONE;
	http_parser_pause(p, 1);
	return 0;
}

static const http_parser_settings httpcli_settings = {
	.on_header_field = httpcli_on_field,
	.on_header_value = httpcli_on_value,
	.on_headers_complete = httpcli_on_headers,
	.on_body = httpcli_on_body,
	.on_message_complete = httpcli_on_complete,
};

void
httpcli_init(struct httpcli *c, const struct httpcli_limits *lim, int head)
{
	memset(c, 0, sizeof *c);
	if (lim != NULL)
		c->lim = *lim;
#define HTTPCLI_DEF(f, d) if (c->lim.f == 0) c->lim.f = d
	HTTPCLI_DEF(max_header_line, HTTPCLI_DEF_MAX_HEADER_LINE);
	HTTPCLI_DEF(max_headers, HTTPCLI_DEF_MAX_HEADERS);
	HTTPCLI_DEF(max_header_block, HTTPCLI_DEF_MAX_HEADER_BLOCK);
	HTTPCLI_DEF(max_body, HTTPCLI_DEF_MAX_BODY);
#undef HTTPCLI_DEF
	buf_init(&c->body);
	httphdr_init(&c->hdr, httpcli_hdr_names, HTTPCLI_H_COUNT,
	    c->lim.max_headers, c->lim.max_header_line);
	httpcli_reset(c, head);
}

void
httpcli_reset(struct httpcli *c, int head)
{
	http_parser_init(&c->p, HTTP_RESPONSE);
	c->p.data = c;
	c->head = head;
	c->state = HTTPCLI_S_READING;
	err_clear(&c->error);
	c->fed = 0;
	c->interim_done = 0;
	httpcli_forget(c);
}

void
httpcli_clear(struct httpcli *c)
{
	buf_clear(&c->body);
	httphdr_clear(&c->hdr);
	memset(c, 0, sizeof *c);
}

enum httpcli_state
httpcli_feed(struct httpcli *c, const void *data, size_t len, size_t *used)
{
	const char *d = data;
	size_t n, got, off = 0;

	while (off < len && c->state == HTTPCLI_S_READING) {
		n = len - off;
		/* The head is fed in steps no longer than what the bound
		 * leaves, so that it is checked before it is all read. */
		if (!c->headers_done) {
			if (c->head_bytes >= c->lim.max_header_block) {
				httpcli_fail(c, "response header block over "
				    "%zu bytes", c->lim.max_header_block);
				break;
			}
			if (n > c->lim.max_header_block - c->head_bytes)
				n = c->lim.max_header_block - c->head_bytes;
		}
		got = http_parser_execute(&c->p, &httpcli_settings, d + off,
		    n);
		off += got;
		c->fed += got;
		if (c->interim_done && c->state == HTTPCLI_S_READING) {
			/* an interim response ended: the final one's head
			 * starts after it, counted from zero */
			c->interim_done = 0;
			http_parser_pause(&c->p, 0);
			continue;
		}
		if (!c->headers_done)
			c->head_bytes += got;
		if (c->state != HTTPCLI_S_READING)
			break;
		if (HTTP_PARSER_ERRNO(&c->p) != HPE_OK) {
			httpcli_fail(c, "malformed response: %s",
			    http_errno_description(HTTP_PARSER_ERRNO(&c->p)));
			break;
		}
		if (got < n)	/* cannot happen without an error */
			httpcli_fail(c, "malformed response");
	}
	/* A response complete at its head's last byte still counts bytes. */
	if (used != NULL)
		*used = off;
	return c->state;
}

enum httpcli_state
httpcli_eof(struct httpcli *c)
{
	if (c->state != HTTPCLI_S_READING)
		return c->state;
	if (c->fed == 0)
		httpcli_fail(c, "the server closed the connection without "
		    "answering");
	else
		httpcli_fail(c, "the response ends after %zu bytes, in the "
		    "middle", c->fed);
	return c->state;
}

/* A header value or target with a control byte would inject a header. */
static int
httpcli_clean(const char *what, const char *v, struct err *e)
{
	for (; *v != '\0'; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return err_set(e, ERR_USAGE, "%s: control byte 0x%02x",
			    what, (unsigned char)*v);
	return 0;
}

int
httpcli_request(const struct httpcli_req *q, struct buf *out, struct err *e)
{
	if (httpcli_clean("request target", q->target, e) == -1 ||
	    httpcli_clean("Host", q->host, e) == -1 ||
	    (q->content_type != NULL &&
	    httpcli_clean("Content-Type", q->content_type, e) == -1) ||
	    (q->content_transfer_encoding != NULL &&
	    httpcli_clean("Content-Transfer-Encoding",
	    q->content_transfer_encoding, e) == -1) ||
	    (q->authorization != NULL &&
	    httpcli_clean("Authorization", q->authorization, e) == -1))
		return -1;
	buf_printf(out, "%s %s HTTP/1.1\r\nHost: %s\r\n", q->method, q->target,
	    q->host);
	if (q->content_type != NULL)
		buf_printf(out, "Content-Type: %s\r\n", q->content_type);
	if (q->content_transfer_encoding != NULL)
		buf_printf(out, "Content-Transfer-Encoding: %s\r\n",
		    q->content_transfer_encoding);
	if (q->authorization != NULL)
		buf_printf(out, "Authorization: %s\r\n", q->authorization);
	if (q->body_len > 0 || strcmp(q->method, "POST") == 0)
		buf_printf(out, "Content-Length: %zu\r\n", q->body_len);
	if (q->close)
		buf_puts(out, "Connection: close\r\n");
	buf_puts(out, "\r\n");
	if (q->body_len > 0)
		buf_append(out, q->body, q->body_len);
	return 0;
}

int
httpcli_basic(const char *user, const char *pass, struct buf *out,
    struct err *e)
{
	struct buf up;

	if (strchr(user, ':') != NULL)
		return err_set(e, ERR_USAGE, "a user name for HTTP Basic "
		    "cannot hold ':'");
	if (httpcli_clean("user name", user, e) == -1)
		return -1;
	if (httpcli_clean("password", pass, e) == -1)
		return err_set(e, ERR_USAGE, "the token holds a control byte");
	buf_init(&up);
	buf_printf(&up, "%s:%s", user, pass);
	buf_puts(out, "Basic ");
	b64_encode(up.data, up.len, 0, out);
	buf_clear_secret(&up);
	return 0;
}
