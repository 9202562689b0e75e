/* fuzz-passfile.c — libFuzzer entry point for the --passphrase-file
 * reader (cli/passphrase.c: passphrase_from_bytes): the passphrase is the
 * first line, "\r\n" or "\n" ended, no NUL, 1 to PASSPHRASE_MAX bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/passphrase.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct passphrase p;
	struct err e;

	if (len > 64 * 1024)
		return 0;
	if (passphrase_from_bytes(data, len, "fuzz.pass", &p, &e) == 0) {
		if (p.len == 0 || p.len > PASSPHRASE_MAX || p.len > len ||
		    strlen(p.s) != p.len || memcmp(p.s, data, p.len) != 0 ||
		    memchr(p.s, '\n', p.len) != NULL)
			abort();
		passphrase_free(&p);
	} else if (p.s != NULL)
		abort();
	return 0;
}
