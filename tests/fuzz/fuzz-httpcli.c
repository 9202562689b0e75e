/* fuzz-httpcli.c — the HTTP/1.1 response reader on any bytes: fed at once
 * and split at a few points (byte by byte for short inputs), it must keep
 * its bounds and see the same responses either way. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/httpcli.h"
#include "util/buf.h"

#include "fuzzsplit.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Small bounds, so that mutations reach them. */
static const struct httpcli_limits fuzz_lim = {
	.max_header_line = 128, .max_headers = 8, .max_header_block = 512,
	.max_body = 256,
};

/* Runs data through one connection in pieces of at most step bytes (0:
 * at once, else the cut points cut[0..1]); responses go to log as text,
 * keep-alive ones followed by the next. Returns nonzero when the stream
 * failed. */
static int
fuzz_run(const uint8_t *data, size_t size, size_t step, const size_t *cut,
    struct buf *log)
{
	struct httpcli c;
	enum httpcli_state st = HTTPCLI_S_READING;
	size_t off = 0, used, n, i;

	httpcli_init(&c, &fuzz_lim, 0);
	while (off < size) {
		n = fuzzsplit_piece(off, size, step, cut);
		st = httpcli_feed(&c, data + off, n, &used);
		if (used > n)
			abort();
		off += used;
		if (st == HTTPCLI_S_DONE) {
			const struct httpcli_resp *r = &c.resp;

			if (r->body_len > fuzz_lim.max_body ||
			    r->status < 200 || r->status > 999)
				abort();
			buf_printf(log, "%d %d %d|", r->status, r->version,
			    r->keep_alive);
			for (i = 0; i < HTTPCLI_H_COUNT; i++)
				buf_printf(log, "%s|",
				    r->hdr[i] ? r->hdr[i] : "-");
			buf_append(log, r->body, r->body_len);
			buf_putc(log, '\n');
			if (!r->keep_alive)
				break;
			httpcli_reset(&c, 0);
			st = HTTPCLI_S_READING;
		} else if (st == HTTPCLI_S_ERROR) {
			if (c.error.msg[0] == '\0')
				abort();
			break;
		} else if (used < n)
			abort();	/* reading must take it all */
	}
	if (st == HTTPCLI_S_READING)
		st = httpcli_eof(&c);
	httpcli_clear(&c);
	return st == HTTPCLI_S_ERROR;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzzsplit_check(data, size, fuzz_run);
	return 0;
}
