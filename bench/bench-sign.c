/* bench-sign — RSA-2048 PKCS#1 v1.5 SHA-256 signatures per second.
 *
 * Generates a key, then runs 5 rounds of about one second each and prints
 * every round and the median as "rsa2048_sign_per_s N" (bench/run.sh reads
 * that line), then the median of the rounds' signatures per second of this
 * process's CPU time as "rsa2048_sign_per_cpu_s N": the rate with a core
 * to itself, which a busy machine does not lower as it lowers the first
 * (bench/caserve-bench.sh compares CPU with CPU). Not a test: it never
 * fails on a slow number. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "crypto/hash.h"
#include "crypto/rsakey.h"
#include "util/err.h"

#define ROUNDS 5

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(void)
{
	struct rsakey k;
	struct err e;
	uint8_t dg[32], sig[256];
	double rate[ROUNDS], cpurate[ROUNDS], t0, c0, t;
	unsigned long n;
	int i;

	rsakey_init(&k);
	err_clear(&e);
	if (rsakey_generate(&k, 2048, NULL, NULL, &e) == -1) {
		fprintf(stderr, "bench-sign: %s\n", e.msg);
		return 1;
	}
	hash_sha256("bench", 5, dg);
	/* Warm up caches and GMP's allocations before timing. */
	for (i = 0; i < 10; i++)
		if (rsakey_sign_pkcs1(&k, HASH_SHA256, dg, sig, &e) == -1) {
			fprintf(stderr, "bench-sign: %s\n", e.msg);
			return 1;
		}
	for (i = 0; i < ROUNDS; i++) {
		n = 0;
		t0 = now();
		c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		do {
			/* Check the clock every few signatures only. */
			int j;

			for (j = 0; j < 8; j++)
				rsakey_sign_pkcs1(&k, HASH_SHA256, dg, sig, &e);
			n += 8;
			t = now() - t0;
		} while (t < 1.0);
		rate[i] = (double)n / t;
		cpurate[i] = (double)n / (clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0);
		printf("round %d: %.1f sign/s\n", i + 1, rate[i]);
		dg[0]++;
	}
	qsort(rate, ROUNDS, sizeof rate[0], cmp_double);
	printf("rsa2048_sign_per_s %.1f\n", rate[ROUNDS / 2]);
	qsort(cpurate, ROUNDS, sizeof cpurate[0], cmp_double);
	printf("rsa2048_sign_per_cpu_s %.1f\n", cpurate[ROUNDS / 2]);
	rsakey_clear(&k);
	return 0;
}
