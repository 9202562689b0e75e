/* fuzz-kind.c — libFuzzer entry point for what `show` and the TUI's Open
 * do with a file's bytes: DER sniffing, and a TRUSTED CERTIFICATE's split
 * and trust settings. */
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "x509/kind.h"
#include "x509/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct err e;
	struct buf b;
	size_t n;

	(void)kind_sniff(data, len, &e);
	buf_init(&b);
	if (kind_trusted_split(data, len, &n, &e) == 0)
		(void)text_trust(&b, data + n, len - n, &e);
	/* The settings alone, as they follow a certificate. */
	(void)text_trust(&b, data, len, &e);
	buf_clear(&b);
	return 0;
}
