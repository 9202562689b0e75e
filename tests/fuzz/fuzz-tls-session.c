/* fuzz-tls-session.c — libFuzzer entry point for the session file that
 * `client connect --sess-in` reads, and what it writes back. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tls/tls.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct tls_session s, r;
	struct err e;
	struct buf b;

	if (tls_session_read(data, len, &s, &e) == 0) {
		/* what was read writes back the same bytes */
		buf_init(&b);
		tls_session_write(&s, &b);
		if (b.len != len || memcmp(b.data, data, len) != 0 ||
		    tls_session_read(b.data, b.len, &r, &e) != 0)
			__builtin_trap();
		buf_clear_secret(&b);
	}
	return 0;
}
