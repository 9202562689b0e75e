/* fuzz-inbox.c — libFuzzer entry point for the inbox index reader
 * (inbox/NAME/index.yaml, store/inbox.h). */
#include <stddef.h>
#include <stdint.h>

#include "store/inbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct inbox ib;
	struct err e;

	inbox_init(&ib);
	(void)inbox_parse(&ib, (const char *)data, len, "fuzz", &e);
	inbox_clear(&ib);
	return 0;
}
