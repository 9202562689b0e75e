/* rand.c — random bytes from getrandom(2); see rand.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

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

void
rand_nettle(void *ctx, size_t n, uint8_t *dst)
{
	(void)ctx;
	rand_bytes(dst, n);
}
