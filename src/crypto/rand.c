/* rand.c — random bytes from getrandom(2); see rand.h.
 *
 * In a fuzzing build (MINIPKI_FUZZING, set only by `configure
 * --enable-fuzzing-rng` and by the fuzz targets' own builds, never by an
 * installable one) the bytes come instead from a generator seeded by the
 * fuzz input, so that a run replays exactly and the keys of a handshake
 * are ones an input can predict. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/sha2.h>

#include "crypto/gmpmem.h"
#include "crypto/rand.h"

/* The crypto layer's start-up: GMP's memory functions must be replaced
 * before GMP allocates anything, so this runs before main in every program
 * that links the randomness source (all that make or use keys). */
static void rand_init(void) __attribute__((constructor));

static void
rand_init(void)
{
	gmpmem_install();
}

#ifdef MINIPKI_FUZZING

/* SHA-256 in counter mode over the seed's hash: not secure, only
 * deterministic and spread well enough for prime search and nonces. */
static struct {
	uint8_t key[SHA256_DIGEST_SIZE];
	uint8_t block[SHA256_DIGEST_SIZE];
	uint64_t counter;
	size_t used;		/* bytes of block handed out */
} fz = { .used = SHA256_DIGEST_SIZE };

_Static_assert(sizeof fz <= sizeof(struct rand_fuzz_state),
    "rand_fuzz_state too small");

void
rand_fuzz_seed(const void *seed, size_t n)
{
	struct sha256_ctx h;

	sha256_init(&h);
	sha256_update(&h, 16, (const uint8_t *)"minipki-fuzz-rng");
	sha256_update(&h, n, seed);
	sha256_digest(&h, sizeof fz.key, fz.key);
	fz.counter = 0;
	fz.used = sizeof fz.block;
}

/* One generator for the process, its state unguarded: a second thread
 * would race on it and make the order of draws, so the output, depend on
 * scheduling. */
int
rand_threads_ok(void)
{
	return 0;
}

void
rand_fuzz_get(struct rand_fuzz_state *st)
{
	memcpy(st->b, &fz, sizeof fz);
}

void
rand_fuzz_set(const struct rand_fuzz_state *st)
{
	memcpy(&fz, st->b, sizeof fz);
}

void
rand_bytes(void *buf, size_t n)
{
	uint8_t *p = buf, ctr[8];
	struct sha256_ctx h;
	size_t k;
	int i;

	while (n > 0) {
		if (fz.used == sizeof fz.block) {
			for (i = 0; i < 8; i++)
				ctr[i] = (uint8_t)(fz.counter >> (56 - 8 * i));
			fz.counter++;
			sha256_init(&h);
			sha256_update(&h, sizeof fz.key, fz.key);
			sha256_update(&h, sizeof ctr, ctr);
			sha256_digest(&h, sizeof fz.block, fz.block);
			fz.used = 0;
		}
		k = sizeof fz.block - fz.used;
		if (k > n)
			k = n;
		memcpy(p, fz.block + fz.used, k);
		fz.used += k;
		p += k;
		n -= k;
	}
}

#else

/* getrandom(2) keeps no state of ours. */
int
rand_threads_ok(void)
{
	return 1;
}

void
rand_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	ssize_t r;

	while (n > 0) {
		/* getrandom returns at most 32 MiB per call and may be cut
		 * short by a signal: loop until everything is filled. */
		r = getrandom(p, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("getrandom");
			abort();
		}
		if (r == 0) {
			fputs("getrandom: no bytes\n", stderr);
			abort();
		}
		p += r;
		n -= (size_t)r;
	}
}

#endif

void
rand_nettle(void *ctx, size_t n, uint8_t *dst)
{
	(void)ctx;
	rand_bytes(dst, n);
}
