/* fuzz-cadbidx.c — libFuzzer entry point for the CA database's serial
 * index reader (ca/NAME/certs.idx).
 *
 * Random bytes seldom carry a right header SHA-256, so each input is also
 * read with that sum recomputed: that lets the fuzzer reach the checks
 * behind it. An index that is accepted must find every key it holds
 * (when small enough to have been checked whole). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "store/cadbidx.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
run(const uint8_t *data, size_t len)
{
	struct cadbidx x;
	struct err e;
	uint64_t i, key;
	int k;

	cadbidx_init(&x);
	if (cadbidx_parse(&x, data, len, "certs.idx", &e) == 0) {
		if (len != CADBIDX_HEADER + 8 * x.n)
			__builtin_trap();
		/* Up to 18 blocks of 4 KiB the whole table was checked to
		 * be sorted; beyond, only samples of it. */
		for (i = 0; x.n <= 18 * 512 && i < x.n && i < 256; i++) {
			for (key = 0, k = 0; k < 8; k++)
				key = key << 8 | data[CADBIDX_HEADER + 8 * i +
				    (uint64_t)k];
			if (cadbidx_has(&x, key) != 1)
				__builtin_trap();
		}
	}
	cadbidx_clear(&x);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint8_t *copy;

	run(data, len);
	if (len < CADBIDX_HEADER || (copy = malloc(len)) == NULL)
		return 0;
	memcpy(copy, data, len);
	hash_sha256(copy, 176, copy + 176);
	run(copy, len);
	free(copy);
	return 0;
}
