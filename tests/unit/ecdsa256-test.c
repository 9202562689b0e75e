/* ecdsa256-test — ECDSA P-256 sign/verify and the strict DER signature
 * codec, including its broken inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/ecdsa256.h"
#include "crypto/hash.h"
#include "x509/ecsig.h"
#include "testlib.h"

static void
test_roundtrip(void)
{
	struct ec256key k, pub;
	uint8_t d[32], sig[ECSIG_MAX_SIZE], r[32], s[32];
	size_t n;
	struct err e;

	ec256key_init(&k);
	ec256key_init(&pub);
	ec256key_generate(&k);
	CHECK(k.has_private);
	CHECK_EQ(k.pub[0], 4);
	CHECK_EQ(ec256key_set_public(&pub, k.pub, sizeof k.pub, &e), 0);
	hash_sha256("hello", 5, d);
	n = ecsig_sign(&k, d, sizeof d, sig, &e);
	CHECK(n >= 8 && n <= ECSIG_MAX_SIZE);
	CHECK_EQ(ecsig_verify(&pub, d, sizeof d, sig, n, &e), 0);
	/* Another message does not verify. */
	d[0] ^= 1;
	CHECK_ERR(ecsig_verify(&pub, d, sizeof d, sig, n, &e), &e,
	    "ECDSA signature does not verify");
	CHECK_EQ(e.kind, ERR_REFUSED);
	d[0] ^= 1;
	/* Re-encoding the decoded pair gives the same bytes. */
	CHECK_EQ(ecsig_decode(sig, n, r, s, &e), 0);
	{
		uint8_t again[ECSIG_MAX_SIZE];

		CHECK_EQ(ecsig_encode(r, s, again), n);
		CHECK_MEM(again, sig, n);
	}
	/* s + n (the group order) is out of range and must fail, as must
	 * zero. */
	memset(s, 0, sizeof s);
	CHECK_ERR(ecdsa256_verify(&pub, d, sizeof d, r, s, &e), &e,
	    "does not verify");
	/* The private scalar reloaded gives the same public point. */
	{
		struct ec256key k2;

		ec256key_init(&k2);
		memcpy(k2.pub, k.pub, sizeof k.pub);
		CHECK_EQ(ec256key_set_private(&k2, k.priv, 32, 1, &e), 0);
		k2.pub[40] ^= 1;
		CHECK_ERR(ec256key_set_private(&k2, k.priv, 32, 1, &e), &e,
		    "P-256: public key does not match the private key");
		ec256key_clear(&k2);
	}
	ec256key_clear(&k);
	ec256key_clear(&pub);
}

static void
test_small_values(void)
{
	/* r and s with leading zero bytes encode minimally. */
	uint8_t r[32], s[32], out[ECSIG_MAX_SIZE], r2[32], s2[32];
	static const uint8_t want[] = { 0x30, 0x07, 0x02, 0x01, 0x05, 0x02,
	    0x02, 0x00, 0x80 };
	struct err e;

	memset(r, 0, 32);
	memset(s, 0, 32);
	r[31] = 5;
	s[31] = 0x80;
	CHECK_EQ(ecsig_encode(r, s, out), sizeof want);
	CHECK_MEM(out, want, sizeof want);
	CHECK_EQ(ecsig_decode(want, sizeof want, r2, s2, &e), 0);
	CHECK_MEM(r2, r, 32);
	CHECK_MEM(s2, s, 32);
}

static void
bad_sig(const char *hex, const char *msg)
{
	uint8_t r[32], s[32], *der;
	size_t len;
	struct err e;

	der = test_hex(hex, &len);
	CHECK_ERR(ecsig_decode(der, len, r, s, &e), &e, msg);
	CHECK_EQ(e.kind, ERR_INPUT);
	free(der);
}

static void
test_bad_sigs(void)
{
	bad_sig("", "offset 0x0: ");
	/* trailing byte after the SEQUENCE */
	bad_sig("3006020101020101 00",
	    "offset 0x8: 1 bytes left over at end of ECDSA signature");
	/* a third INTEGER */
	bad_sig("3009020101020101020101",
	    "offset 0x8: 3 bytes left over at end of Ecdsa-Sig-Value");
	/* non-minimal r (leading 0x00 before a byte below 0x80) */
	bad_sig("300702020001020101", "offset 0x2: ");
	/* negative s */
	bad_sig("3006020101020181",
	    "offset 0x5: ECDSA signature: s is negative");
	/* r of 33 bytes of magnitude */
	bad_sig("3026022101" "0000000000000000000000000000000000000000000000"
	    "000000000000000000" "020101",
	    "offset 0x2: ECDSA signature: r longer than 32 bytes");
	/* s missing */
	bad_sig("3003020101", "offset 0x5: ");
	/* not a SEQUENCE */
	bad_sig("3106020101020101", "offset 0x0: expected SEQUENCE");
}

static void
bad_point(const char *hex, const char *msg)
{
	struct ec256key k;
	uint8_t *pt;
	size_t len;
	struct err e;

	ec256key_init(&k);
	pt = test_hex(hex, &len);
	CHECK_ERR(ec256key_set_public(&k, pt, len, &e), &e, msg);
	free(pt);
}

static void
test_bad_points(void)
{
	char hex[200];

	bad_point("036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945"
	    "d898c296", "P-256: compressed points are not supported");
	bad_point("04", "P-256: public key is not an uncompressed point (1 "
	    "bytes, first byte 0x04)");
	/* (0, 0) is not on the curve. */
	memset(hex, '0', 130);
	hex[1] = '4';
	hex[130] = 0;
	bad_point(hex, "P-256: public key is not a point on the curve");
}

static void
test_bad_private(void)
{
	struct ec256key k;
	uint8_t zero[32], big[33];
	struct err e;

	ec256key_init(&k);
	memset(zero, 0, sizeof zero);
	CHECK_ERR(ec256key_set_private(&k, zero, 32, 0, &e), &e,
	    "P-256: private key out of range");
	memset(big, 0xff, sizeof big);
	CHECK_ERR(ec256key_set_private(&k, big, 32, 0, &e), &e,
	    "P-256: private key out of range");
	CHECK_ERR(ec256key_set_private(&k, big, 33, 0, &e), &e,
	    "P-256: private key longer than 32 bytes");
	CHECK(!k.has_private);
}

int
main(void)
{
	test_roundtrip();
	test_small_values();
	test_bad_sigs();
	test_bad_points();
	test_bad_private();
	return test_done();
}
