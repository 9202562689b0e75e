/* bench-sign — RSA-2048 PKCS#1 v1.5 SHA-256 signatures per second, or
 * with the argument "ecdsa" ECDSA P-256 signatures and verifications.
 *
 * Generates a key, then runs 5 rounds of about one second each and prints
 * every round and the median as "rsa2048_sign_per_s N" (or
 * "ecdsap256_sign_per_s N" and "ecdsap256_verify_per_s N"; bench/run.sh
 * reads those lines), then the median of the rounds' signatures per second
 * of this process's CPU time as "rsa2048_sign_per_cpu_s N" (and
 * "ecdsap256_sign_per_cpu_s", "ecdsap256_verify_per_cpu_s"): the rate with
 * a core to itself, which a busy machine does not lower as it lowers the
 * first (bench/caserve-bench.sh compares CPU with CPU). Not a test: it
 * never fails on a slow number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/ecdsa256.h"
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

/* Median rate of op over ROUNDS rounds of about a second each, per wall
 * second; *cpu gets the median per second of this process's CPU time. */
static double
rounds(const char *what, int (*op)(void *), void *arg, double *cpu)
{
	double rate[ROUNDS], cpurate[ROUNDS], t0, c0, t;
	unsigned long n;
	int i, j;

	for (i = 0; i < ROUNDS; i++) {
		n = 0;
		t0 = now();
		c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		do {
			for (j = 0; j < 8; j++)
				if (op(arg) == -1) {
					fprintf(stderr, "bench-sign: %s failed\n",
					    what);
					exit(1);
				}
			n += 8;
			t = now() - t0;
		} while (t < 1.0);
		rate[i] = (double)n / t;
		cpurate[i] = (double)n / (clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0);
		printf("round %d: %.1f %s/s\n", i + 1, rate[i], what);
	}
	qsort(rate, ROUNDS, sizeof rate[0], cmp_double);
	qsort(cpurate, ROUNDS, sizeof cpurate[0], cmp_double);
	*cpu = cpurate[ROUNDS / 2];
	return rate[ROUNDS / 2];
}

struct ec_arg {
	struct ec256key k;
	uint8_t dg[32], r[32], s[32];
};

static int
ec_sign(void *p)
{
	struct ec_arg *a = p;

	return ecdsa256_sign(&a->k, a->dg, 32, a->r, a->s, NULL);
}

static int
ec_verify(void *p)
{
	struct ec_arg *a = p;

	return ecdsa256_verify(&a->k, a->dg, 32, a->r, a->s, NULL);
}

static int
bench_ecdsa(void)
{
	struct ec_arg a;
	double sign, verify, sign_cpu, verify_cpu;

	ec256key_init(&a.k);
	ec256key_generate(&a.k);
	hash_sha256("bench", 5, a.dg);
	if (ec_sign(&a) == -1 || ec_verify(&a) == -1) {
		fprintf(stderr, "bench-sign: ECDSA self-check failed\n");
		return 1;
	}
	sign = rounds("ECDSA P-256 sign", ec_sign, &a, &sign_cpu);
	verify = rounds("ECDSA P-256 verify", ec_verify, &a, &verify_cpu);
	printf("ecdsap256_sign_per_s %.1f\n", sign);
	printf("ecdsap256_verify_per_s %.1f\n", verify);
	printf("ecdsap256_sign_per_cpu_s %.1f\n", sign_cpu);
	printf("ecdsap256_verify_per_cpu_s %.1f\n", verify_cpu);
	ec256key_clear(&a.k);
	return 0;
}

int
main(int argc, char **argv)
{
	struct rsakey k;
	struct err e;
	uint8_t dg[32], sig[256];
	double rate[ROUNDS], cpurate[ROUNDS], t0, c0, t;
	unsigned long n;
	int i;

	if (argc > 1 && strcmp(argv[1], "ecdsa") == 0)
		return bench_ecdsa();
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
