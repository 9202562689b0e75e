/* fuzz-cadb.c — libFuzzer entry point for the CA database reader.
 *
 * Random bytes seldom carry a right SHA-256, so each input is also parsed
 * a second time with every "sum:" line recomputed over its record: that
 * lets the fuzzer reach the field parsers behind the checksum. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "crypto/hex.h"
#include "store/cadb.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
run(const uint8_t *data, size_t len)
{
	struct cadb db;
	struct err e;
	struct buf der;
	size_t i;

	cadb_init(&db);
	buf_init(&der);
	if (cadb_parse(&db, data, len, "certs.yaml", &e) == 0) {
		for (i = 0; i < db.ncerts; i++) {
			/* Every recorded serial is found again. */
			if (cadb_find(&db, db.certs[i].serial) != &db.certs[i])
				__builtin_trap();
			der.len = 0;
			(void)cadb_cert_der(&db, &db.certs[i], &der, &e);
		}
	}
	buf_clear(&der);
	cadb_clear(&db);
}

/* Rewrites each "sum: " + 64 characters with the SHA-256 of the bytes
 * from the last "---\n" line before it. */
static void
fix_sums(uint8_t *p, size_t len)
{
	size_t i, start = 0;
	uint8_t d[32];
	char hex[65];

	for (i = 0; i < len; i++) {
		if (i > 0 && p[i - 1] != '\n')
			continue;
		if (len - i >= 4 && memcmp(p + i, "---\n", 4) == 0)
			start = i;
		else if (len - i >= 5 + 64 && memcmp(p + i, "sum: ", 5) == 0 &&
		    start < i) {
			hash_sha256(p + start, i - start, d);
			hex_encode(d, 32, hex);
			memcpy(p + i + 5, hex, 64);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint8_t *copy;

	run(data, len);
	if ((copy = malloc(len + 1)) == NULL)
		return 0;
	memcpy(copy, data, len);
	fix_sums(copy, len);
	run(copy, len);
	free(copy);
	return 0;
}
