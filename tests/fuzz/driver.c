/* driver.c — runs a libFuzzer entry point without libFuzzer, so that
 * `make check` exercises every fuzz target (under ASan/UBSan in CI).
 *
 * Each file named on the command line (the seed corpus) runs as it is and
 * then in FUZZ_MUTATIONS (default 300) mutated forms: bit flips, random
 * bytes, truncations, duplicated and deleted runs, boundary lengths. The
 * mutations come from a fixed-seed generator, so a failure reproduces.
 * `make fuzz` links the real libFuzzer instead, for long runs. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t
mutate(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t len = n, i, k, a, b;

	memcpy(out, in, n);
	for (k = 1 + next() % 4; k > 0; k--) {
		switch (next() % 7) {
		case 0:	/* flip a bit */
			if (len > 0)
				out[next() % len] ^= (uint8_t)(1u << (next() % 8));
			break;
		case 1:	/* a random byte */
			if (len > 0)
				out[next() % len] = (uint8_t)next();
			break;
		case 2:	/* boundary byte: lengths and tags live here */
			if (len > 0) {
				static const uint8_t v[] = { 0x00, 0x7f, 0x80,
				    0x81, 0x82, 0x84, 0xff, 0x30, 0x02 };
				out[next() % len] = v[next() % sizeof v];
			}
			break;
		case 3:	/* truncate */
			if (len > 0)
				len = next() % len;
			break;
		case 4:	/* delete a run */
			if (len > 1) {
				a = next() % len;
				b = a + next() % (len - a);
				memmove(out + a, out + b, len - b);
				len -= b - a;
			}
			break;
		case 5:	/* duplicate a run */
			if (len > 0 && len < cap) {
				a = next() % len;
				b = 1 + next() % 16;
				if (b > len - a)
					b = len - a;
				if (b > cap - len)
					b = cap - len;
				memmove(out + a + b, out + a, len - a);
				len += b;
			}
			break;
		default:	/* append junk */
			for (i = next() % 8; i > 0 && len < cap; i--)
				out[len++] = (uint8_t)next();
			break;
		}
	}
	return len;
}

int
main(int argc, char **argv)
{
	const char *env = getenv("FUZZ_MUTATIONS");
	long rounds = env != NULL ? atol(env) : 300, r;
	int i, ran = 0;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *p, *m;
		long n;
		size_t cap;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 1;
		}
		rewind(f);
		if ((p = malloc((size_t)n + 1)) == NULL ||
		    fread(p, 1, (size_t)n, f) != (size_t)n) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 1;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(p, (size_t)n);
		ran++;
		cap = (size_t)n + 64;
		if ((m = malloc(cap)) == NULL)
			return 1;
		for (r = 0; r < rounds; r++) {
			/* An exact-size copy lets ASan see reads past the end. */
			size_t len = mutate(p, (size_t)n, m, cap);
			uint8_t *exact = malloc(len ? len : 1);

			if (exact == NULL)
				return 1;
			memcpy(exact, m, len);
			LLVMFuzzerTestOneInput(exact, len);
			free(exact);
			ran++;
		}
		free(m);
		free(p);
	}
	if (argc < 2) {
		fprintf(stderr, "no seed files given\n");
		return 1;
	}
	printf("%d inputs ran from %d seeds\n", ran, argc - 1);
	return 0;
}
