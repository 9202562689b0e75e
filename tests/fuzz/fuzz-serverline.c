/* fuzz-serverline.c — libFuzzer entry point for the server role's line
 * service (role/server.c: server_line_take, server_line_answer,
 * server_answer) without TLS or sockets: the input is what a client sends
 * after the handshake. Fed whole and in pieces (fuzzsplit.h), it must get
 * the same answers; after QUIT, or a line too long, input is dropped as
 * the server does. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "role/server.h"

#include "fuzzsplit.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
run(const uint8_t *data, size_t size, size_t step, const size_t *cut,
    struct buf *log)
{
	struct buf line, out;
	size_t off = 0, n, used;
	int done, quit = 0;

	buf_init(&line);
	buf_init(&out);		/* one answer buffer for every line */
	while (off < size && !quit) {
		n = fuzzsplit_piece(off, size, step, cut);
		/* A piece may hold several lines: take them one by one. */
		while (n > 0 && !quit) {
			used = server_line_take(&line, data + off, n, &done);
			if (used == 0 || used > n)
				abort();
			off += used;
			n -= used;
			if (!done)
				continue;
			out.len = 0;
			server_line_answer(&line, size & 1 ? "CN=fuzz" : NULL,
			    1811808000, &out, &quit);
			if (out.len == 0 || out.data[out.len - 1] != '\n' ||
			    line.len != 0)
				abort();
			buf_append(log, out.data, out.len);
		}
	}
	buf_clear(&out);
	buf_clear_secret(&line);
	return quit;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (len > 16 * 1024)
		return 0;
	fuzzsplit_check(data, len, run);
	return 0;
}
