/* fuzz-keystore.c — libFuzzer entry point for the keystore YAML parser and
 * unlocking (store/keystore.c). The fuzzing build takes any iteration
 * count (KS_ITER_MIN), so the seeds are keystores of FUZZ_PASS made with
 * one or two iterations; an input asking for more than FUZZ_ITER_MAX is
 * parsed but not unlocked, to keep every run fast. An unlocked key is
 * read as the program reads it. */
#include <stddef.h>
#include <stdint.h>

#include "crypto/rand.h"
#include "crypto/rsakey.h"
#include "store/keystore.h"
#include "x509/pkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_PASS "fuzz"
#define FUZZ_ITER_MAX 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct keystore ks;
	struct rsakey k;
	struct buf der;
	struct err e;

	rand_fuzz_seed(data, len);
	keystore_init(&ks);
	(void)keystore_parse(&ks, data, len, "keys/fuzz.yaml", NULL, &e);
	keystore_clear(&ks);
	keystore_init(&ks);
	if (keystore_parse(&ks, data, len, "keys/alice.yaml", "alice",
	    &e) == 0 && ks.iterations <= FUZZ_ITER_MAX) {
		buf_init(&der);
		if (keystore_unlock(&ks, FUZZ_PASS, 4, &der, &e) == 0) {
			rsakey_init(&k);
			(void)pkey_decode(&k, der.data, der.len, NULL, 0, &e);
			rsakey_clear(&k);
		}
		buf_clear_secret(&der);
	}
	keystore_clear(&ks);
	return 0;
}
