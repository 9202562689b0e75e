/* fuzz-cadbsnap.c — libFuzzer entry point for the CA database snapshot
 * reader (ca/NAME/certs.snap).
 *
 * Random bytes seldom end in a right SHA-256, so each input is also parsed
 * with its last line's sum recomputed (when it has the shape of one): that
 * lets the fuzzer reach the line parsers behind the checksum. A snapshot
 * that loads must answer for every serial it holds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "crypto/hex.h"
#include "store/cadbsnap.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
run(const uint8_t *data, size_t len)
{
	struct cadb db;
	struct err e;
	size_t i;

	cadb_init(&db);
	if (cadbsnap_parse(&db, data, len, "certs.snap", &e) == 0) {
		for (i = 0; i < db.ncerts; i++) {
			if (cadb_find(&db, db.certs[i].serial) != &db.certs[i])
				__builtin_trap();
			if (db.certs[i].cert_off + db.certs[i].cert_len >
			    db.size || (db.certs[i].status == CADB_REVOKED) !=
			    (db.certs[i].reason != NULL))
				__builtin_trap();
		}
	}
	cadb_clear(&db);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint8_t *copy, d[32];
	char hex[65];

	run(data, len);
	if (len < 70 || memcmp(data + len - 70, "sum: ", 5) != 0)
		return 0;
	if ((copy = malloc(len)) == NULL)
		return 0;
	memcpy(copy, data, len);
	hash_sha256(copy, len - 70, d);
	hex_encode(d, 32, hex);
	memcpy(copy + len - 65, hex, 64);
	run(copy, len);
	free(copy);
	return 0;
}
