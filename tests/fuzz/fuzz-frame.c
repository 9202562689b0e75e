/* fuzz-frame.c — libFuzzer entry point for the client message framing
 * (net/frame.h): frames read one after another, as the listener and the
 * sender read their streams. */
#include <stddef.h>
#include <stdint.h>

#include "net/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct frame f;
	struct err e;
	size_t off = 0, used;

	while (off < len && frame_parse(data + off, len - off, &f, &used, &e)
	    == 1)
		off += used;
	return 0;
}
