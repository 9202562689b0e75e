/* gmpmem-test — the wiping GMP memory functions: installed before main by
 * the crypto layer, every block handed back to malloc is zero (seen by a
 * release hook that inspects the block just before it is freed), realloc
 * keeps the contents, and GMP arithmetic and RSA still work through them. */
#include <stdlib.h>
#include <string.h>

#include <gmp.h>

#include "crypto/gmpmem.h"
#include "crypto/hash.h"
#include "crypto/rand.h"
#include "crypto/rsakey.h"
#include "testlib.h"
#include "util/err.h"

static size_t released, dirty_blocks, released_bytes;

/* Counts the blocks and whether any byte of each is still set, then frees
 * it. This is the last moment the block is ours to read. */
static void
watch_release(void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	released++;
	released_bytes += n;
	for (i = 0; i < n; i++)
		if (b[i] != 0) {
			dirty_blocks++;
			break;
		}
	free(p);
}

static void
reset_counts(void)
{
	released = dirty_blocks = released_bytes = 0;
}

static void
test_installed(void)
{
	void *(*a)(size_t);
	void *(*r)(void *, size_t, size_t);
	void (*f)(void *, size_t);
	uint8_t x;

	rand_bytes(&x, 1);	/* links rand.o, whose constructor installs */
	mp_get_memory_functions(&a, &r, &f);
	CHECK(a == gmpmem_alloc);
	CHECK(r == gmpmem_realloc);
	CHECK(f == gmpmem_free);
	gmpmem_install();	/* again: no change */
	mp_get_memory_functions(&a, &r, &f);
	CHECK(f == gmpmem_free);
}

static void
test_direct(void)
{
	unsigned char *p, *q;
	size_t i, bad;

	reset_counts();
	p = gmpmem_alloc(100);
	memset(p, 0xa5, 100);
	gmpmem_free(p, 100);
	CHECK_EQ(released, 1);
	CHECK_EQ(dirty_blocks, 0);
	CHECK(released_bytes >= 100);

	/* A caller that passes a wrong size (0) still gets the whole block
	 * wiped. */
	reset_counts();
	p = gmpmem_alloc(48);
	memset(p, 0x5a, 48);
	gmpmem_free(p, 0);
	CHECK_EQ(released, 1);
	CHECK_EQ(dirty_blocks, 0);
	CHECK(released_bytes >= 48);

	/* Growing: contents kept in a new block, the old one wiped. */
	reset_counts();
	p = gmpmem_alloc(64);
	for (i = 0; i < 64; i++)
		p[i] = (unsigned char)(i + 1);
	q = gmpmem_realloc(p, 64, 4096);
	CHECK_EQ(released, 1);
	CHECK_EQ(dirty_blocks, 0);
	for (bad = 0, i = 0; i < 64; i++)
		bad += q[i] != (unsigned char)(i + 1);
	CHECK_EQ(bad, 0);
	/* Shrinking keeps the front. */
	p = gmpmem_realloc(q, 4096, 16);
	CHECK_EQ(released, 2);
	CHECK_EQ(dirty_blocks, 0);
	for (bad = 0, i = 0; i < 16; i++)
		bad += p[i] != (unsigned char)(i + 1);
	CHECK_EQ(bad, 0);
	gmpmem_free(p, 16);
	CHECK_EQ(released, 3);
	CHECK_EQ(dirty_blocks, 0);

	/* NULL: realloc allocates, free does nothing. */
	p = gmpmem_realloc(NULL, 0, 8);
	CHECK(p != NULL);
	gmpmem_free(p, 8);
	gmpmem_free(NULL, 0);
	CHECK_EQ(released, 4);
}

/* GMP's own reallocations while a number grows, and its frees. */
static void
test_gmp(void)
{
	mpz_t x, y;
	int i;

	reset_counts();
	mpz_init_set_str(x, "c0ffee0123456789abcdef0123456789abcdef", 16);
	mpz_init(y);
	for (i = 0; i < 40; i++) {
		mpz_mul(x, x, x);	/* the limbs grow: realloc */
		mpz_fdiv_r_2exp(x, x, 40000);
		mpz_add_ui(x, x, 0x12345);
	}
	mpz_set(y, x);
	mpz_realloc2(x, 64);	/* shrinks, value cut */
	mpz_clear(x);
	mpz_clear(y);
	CHECK(released >= 3);
	CHECK_EQ(dirty_blocks, 0);
}

static void
test_rsa(void)
{
	struct rsakey k;
	struct err e;
	uint8_t dg[32], sig[1024 / 8];

	reset_counts();
	rsakey_init(&k);
	CHECK_EQ(rsakey_generate(&k, 1024, NULL, NULL, &e), 0);
	hash_digest(HASH_SHA256, "gmpmem", 6, dg);
	CHECK_EQ(k.pub.size, sizeof sig);
	CHECK_EQ(rsakey_sign_pkcs1(&k, HASH_SHA256, dg, sig, &e), 0);
	CHECK_EQ(rsakey_verify_pkcs1(&k.pub, HASH_SHA256, dg, sig, sizeof sig,
	    &e), 0);
	sig[5] ^= 1;
	CHECK_EQ(rsakey_verify_pkcs1(&k.pub, HASH_SHA256, dg, sig, sizeof sig,
	    &e), -1);
	rsakey_clear(&k);
	/* Key generation and the blinded signature free many temporaries. */
	CHECK(released > 10);
	CHECK_EQ(dirty_blocks, 0);
}

int
main(void)
{
	test_installed();
	gmpmem_set_release(watch_release);
	test_direct();
	test_gmp();
	test_rsa();
	gmpmem_set_release(NULL);
	return test_done();
}
