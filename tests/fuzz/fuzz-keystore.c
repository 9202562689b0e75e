/* fuzz-keystore.c — libFuzzer entry point for the keystore YAML parser.
 * Unlocking is left out: PBKDF2 at a legal iteration count is far too slow
 * for fuzzing, and the bytes it reads are checked lengths by then. */
#include <stddef.h>
#include <stdint.h>

#include "store/keystore.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct keystore ks;
	struct err e;

	keystore_init(&ks);
	(void)keystore_parse(&ks, data, len, "keys/fuzz.yaml", NULL, &e);
	(void)keystore_parse(&ks, data, len, "keys/alice.yaml", "alice", &e);
	keystore_clear(&ks);
	return 0;
}
