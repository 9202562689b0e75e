/* fuzz-http.c — the HTTP/1.1 request engine on any bytes: fed at once and
 * split at a few points (byte by byte for short inputs), the engine must
 * keep its bounds and see the same requests either way; a stream that
 * parses whole parses the same in pieces, one that fails fails. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/http.h"
#include "util/buf.h"

#include "fuzzsplit.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Small bounds, so that mutations reach them. */
static const struct http_limits fuzz_lim = {
	.max_target = 64, .max_header_line = 128, .max_headers = 8,
	.max_header_block = 512, .max_body = 256, .max_requests = 4,
};

/* Runs data through one connection in pieces of at most step bytes (0:
 * at once, else the cut points cut[0..1]); the requests seen go to log as
 * text. Returns nonzero when the stream failed. */
static int
fuzz_run(const uint8_t *data, size_t size, size_t step, const size_t *cut,
    struct buf *log)
{
	struct http_conn c;
	enum http_state st;
	size_t off = 0, used, n, i;

	http_conn_init(&c, &fuzz_lim);
	st = http_conn_state(&c);
	while (off < size) {
		n = fuzzsplit_piece(off, size, step, cut);
		st = http_conn_feed(&c, data + off, n, &used);
		if (used > n)
			abort();
		off += used;
		if (st == HTTP_S_REQUEST) {
			const struct http_request *r = &c.req;

			if (r->body_len != r->content_length ||
			    r->body_len > fuzz_lim.max_body ||
			    strlen(r->target) > fuzz_lim.max_target ||
			    r->path[0] == '\0')
				abort();
			buf_printf(log, "%s %s %d %d|", r->method_name, r->target,
			    r->version, r->keep_alive);
			for (i = 0; i < HTTP_H_COUNT; i++)
				buf_printf(log, "%s|", r->hdr[i] ? r->hdr[i] : "-");
			buf_append(log, r->body, r->body_len);
			buf_putc(log, '\n');
			st = http_conn_next(&c);
		} else if (st == HTTP_S_ERROR) {
			if (c.status < 400 || c.status > 505 ||
			    c.error.msg[0] == '\0')
				abort();
			break;
		} else if (st == HTTP_S_CLOSED)
			break;
		else if (used < n)
			abort();	/* idle or reading must take it all */
	}
	if (st == HTTP_S_IDLE || st == HTTP_S_READING)
		st = http_conn_eof(&c);
	http_conn_clear(&c);
	return st == HTTP_S_ERROR;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzzsplit_check(data, size, fuzz_run);
	return 0;
}
