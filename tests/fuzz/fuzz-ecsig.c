/* fuzz-ecsig.c — libFuzzer entry point for the DER ECDSA signature
 * decoder (x509/ecsig.h): decode, re-encode, and what decodes must
 * re-encode to the very same bytes (DER is unique). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x509/ecsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint8_t r[EC256_SCALAR_SIZE], s[EC256_SCALAR_SIZE];
	uint8_t out[ECSIG_MAX_SIZE];
	struct err e;
	size_t n;

	if (ecsig_decode(data, len, r, s, &e) == 0) {
		n = ecsig_encode(r, s, out);
		if (n != len || memcmp(out, data, n) != 0)
			abort();
	}
	return 0;
}
