/* ecdh256-test — ECDH P-256 for TLS key shares: a known answer (the first
 * Wycheproof ecdh_secp256r1 vector, so it runs without the peer folder),
 * a round trip of fresh keys, and refused shares with their reasons: not
 * uncompressed, wrong length, off the curve, a coordinate not below p. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/ecdh256.h"
#include "testlib.h"

static void
kat(void)
{
	uint8_t *priv, *pub, *want, got[ECDH256_SHARED_SIZE];
	size_t n;
	struct err e;

	priv = test_hex("0612465c89a023ab17855b0a6bcebfd3febb53aef84138647b535"
	    "2e02c10c346", &n);
	pub = test_hex("0462d5bd3372af75fe85a040715d0f502428e07046868b0bfdfa61"
	    "d731afe44f26ac333a93a9e70a81cd5a95b5bf8d13990eb741c8c38872b4a07d2"
	    "75a014e30cf", &n);
	want = test_hex("53020d908b0219328b658b525f26780e3ae12bcd952bb25a93bc0"
	    "895e1714285", &n);
	CHECK(ecdh256_shared(priv, pub, ECDH256_PUB_SIZE, got, &e) == 0);
	CHECK_MEM(got, want, ECDH256_SHARED_SIZE);
	/* refused shares */
	CHECK_ERR(ecdh256_shared(priv, pub, 64, got, &e), &e, "secp256r1: the "
	    "peer's public value is not an uncompressed point (64 bytes, "
	    "first byte 0x04)");
	pub[0] = 2;
	CHECK_ERR(ecdh256_shared(priv, pub, ECDH256_PUB_SIZE, got, &e), &e,
	    "secp256r1: the peer's public value is not an uncompressed point "
	    "(65 bytes, first byte 0x02)");
	pub[0] = 4;
	pub[64] ^= 1;
	CHECK_ERR(ecdh256_shared(priv, pub, ECDH256_PUB_SIZE, got, &e), &e,
	    "secp256r1: the peer's public value is not a point on the curve");
	pub[64] ^= 1;
	memset(pub + 1, 0xff, 32);	/* x = 2^256 - 1 > p */
	CHECK_ERR(ecdh256_shared(priv, pub, ECDH256_PUB_SIZE, got, &e), &e,
	    "secp256r1: the peer's public value is not a point on the curve");
	free(priv);
	free(pub);
	free(want);
}

static void
roundtrip(void)
{
	uint8_t a[ECDH256_PRIV_SIZE], b[ECDH256_PRIV_SIZE];
	uint8_t apub[ECDH256_PUB_SIZE], bpub[ECDH256_PUB_SIZE];
	uint8_t s1[ECDH256_SHARED_SIZE], s2[ECDH256_SHARED_SIZE];
	struct err e;

	ecdh256_keygen(a, apub);
	ecdh256_keygen(b, bpub);
	CHECK(apub[0] == 4 && memcmp(apub, bpub, sizeof apub) != 0);
	CHECK(ecdh256_shared(a, bpub, sizeof bpub, s1, &e) == 0);
	CHECK(ecdh256_shared(b, apub, sizeof apub, s2, &e) == 0);
	CHECK_MEM(s1, s2, sizeof s1);
}

int
main(void)
{
	kat();
	roundtrip();
	return test_done();
}
