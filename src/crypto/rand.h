/* rand.h — random bytes from getrandom(2).
 *
 * rand_nettle has Nettle's nettle_random_func signature; pass it (with a NULL
 * context) wherever Nettle asks for randomness: key generation and the
 * blinding of the side-channel-silent _tr functions. */
#ifndef MP_CRYPTO_RAND_H
#define MP_CRYPTO_RAND_H

#include <stddef.h>
#include <stdint.h>

/* Fills buf with n random bytes; on failure of the kernel source, aborts
 * (there is no safe way to go on without randomness). */
void rand_bytes(void *buf, size_t n);
void rand_nettle(void *ctx, size_t n, uint8_t *dst);
/* 1 when rand_bytes may be called from several threads at once (getrandom
 * keeps no state of ours); 0 in a fuzzing build, whose one deterministic
 * generator must be drawn from by one thread for a run to replay. */
int rand_threads_ok(void);

/* Fuzzing builds only (MINIPKI_FUZZING; see rand.c): restarts the
 * deterministic generator from seed (the fuzz input). Not defined in any
 * other build, so a call outside the fuzz targets fails to link. Until it
 * is first called the generator runs from an all-zero key. */
void rand_fuzz_seed(const void *seed, size_t n);
/* Fuzzing builds only: the generator's whole state, saved and put back, so
 * that a harness can run two parties on two streams of their own. */
struct rand_fuzz_state {
	uint8_t b[96];
};
void rand_fuzz_get(struct rand_fuzz_state *);
void rand_fuzz_set(const struct rand_fuzz_state *);

#endif
