/* fuzz-addr.c — libFuzzer entry point for service addresses
 * (net/addr.c: addr_parse, addr_format). What parses is formatted and
 * parsed again, and must come back the same: the formatted form is what
 * the roles print for a user to paste back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/addr.h"

#include "fuzzparts.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct fuzzpart whole = { data, len };
	struct addr a, b;
	char *text, out[512];
	struct err e;

	if (len > 1024 || (text = fuzzparts_str(&whole)) == NULL)
		return 0;
	if (addr_parse(&a, text, &e) == 0) {
		addr_format(&a, out, sizeof out);
		if (addr_parse(&b, out, &e) != 0 ||
		    memcmp(&a, &b, sizeof a) != 0)
			abort();
	}
	free(text);
	return 0;
}
