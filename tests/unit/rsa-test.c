/* rsa-test — RSA key generation, PKCS#1 v1.5 and PSS signatures, and the
 * key checks of rsakey_finish.
 *
 * The known answer: an RSA-2048 key made with `openssl genrsa 2048` and the
 * signatures `openssl dgst -sha256 -sign` and `-sha384 -sign` of the message
 * "minipki known answer\n". PKCS#1 v1.5 signing is deterministic, so ours
 * must be the same bytes. */
#include <stdlib.h>
#include <string.h>

#include <gmp.h>

#include "crypto/hash.h"
#include "crypto/rsakey.h"
#include "testlib.h"
#include "util/err.h"

#define KAT_MSG "minipki known answer\n"

static const char KAT_N[] =
    "c557523ff7a48dc4226e7a459a4c66155c33d39230e9cdc8cfeaa3498e5a3977"
    "1fb30c3988815e13d2ba498dab5cc3bc50afb1500c077200d4be5b5de594e817"
    "13329192f47f4267098e3d8867badabcf94959f874b52386bd24e67ebc9435e2"
    "8948becd1b1664271069c8145c6f4eb7e6b3e9126a3b326ea8b419c4189a78ef"
    "fc468eea713e244a2fa906fe40d9111d82989a21b022d6bf334e9a9217285be8"
    "f8c10a940b4121bedc593e9ebd3f24b3e4210b8739eb5afa2de3e621b0e1d22d"
    "c6629f9a2666eddc4a6db837c9584ef1201ffc4a12de5c4c20fb207612dec484"
    "2d56d1db5d439fe13932ee4f385764d51719fc93f7bbbf1f30e8cb3e9a556ec9";
static const char KAT_E[] =
    "010001";
static const char KAT_D[] =
    "1ef03f12384906d0d11fc646534281b3fcededd03af59785a6d32a76706844ca"
    "204b79dc809787a04ea6ab66c28ef09652dab8a476be5413e7f1501c65cf4a9e"
    "68d6c2169559139803da2bb0cefd19d36161d69bd5459b7996fdca0539f0cd37"
    "399410c07c96ae17a7186e7dd80abb54a99eb07e6a9937f6e6b6c05e0b5d6c72"
    "d7933526aa2dfa4bb8717f4a310d07fc8c52c25813c843211c172be66c73dc87"
    "9a38544752863a1b9a4143099b18318f02e09c93915604ad10c87c25f32f51aa"
    "e313048eedf44d5cf8a56a92d18b2ba4d9a04dbb209ed99eda77a9e0f369d5d6"
    "9eba5d64927cb152f6927e5e18dc060abb236836b26f71236e0c10cc80df4961";
static const char KAT_P[] =
    "ebe406dc23e500d40cf5b12d0df353ce008bec8864b45fad8129ffac3ca2a780"
    "6dc4073e359daacc263b5c7fd04076fb8b95b7b5f488d79765a7d126f9936083"
    "4858e9dfbd6084ca346c60ad399e2e4638c709a21e6d096ae2e24d6475d0c36a"
    "d1729239de1b5abb7cbdd77c66abc72a597897971761e8bf149226f730512bdf";
static const char KAT_Q[] =
    "d62a0132ed9f748b652528146deac3624523c4404f35d14347e5494d0761452a"
    "407141cc9881bace53545dd48ebc51fbdf7f2ea38b70fb097b392b24b94d208d"
    "56d2b48cd5c6ad354882069bffdd47671179da40bed7638c2967731c93d0fac6"
    "97771d70993cc5a77fdc046788ee26c46c9e302e3e3688c43136b6453f113a57";
static const char KAT_A[] =
    "e76aaf282cb6af17591778180145a403c7197e955866742edd367cb35651240e"
    "a4a0d992383b53a23027b0595bcec26b88c6fa91b132c67eaaa5f6544c283f58"
    "cc131e6df775c7103059da8656ae4e2b69ec2a1137d43496fdba91be6aaec1e7"
    "fb4e71120049c9bb8167250dd013d9b23c5048375c231b98c9ef8ff6951a2cf5";
static const char KAT_B[] =
    "ac9c3c4d24d210e7ccc4aed2106957c29b81214ac7ccd375cbbb9461be21fad1"
    "fc108c7cef2a183af554992f993f55409138fb891af91b8bdfc20af0d55cc170"
    "c95a97e4aee42b7437957ce83cc7c725de22fcf2941e1b80bb5a429ff4cf495f"
    "c8725bcb05e6c253a72cd86bee242c20c27e98cc9c9ded8b5b3302a33b1a928f";
static const char KAT_C[] =
    "816c5c5db5e9c5f42a2d1c7b535878d4242ba06be67417824acd1907a0c2c8c6"
    "91a5e0feb8189a45b47c129ba6cbfaa954939a47475abf82ec03cce67b153d42"
    "9fe4ffd5dd69dd6fd0c3410d7c08102178305031de6143f0b20b7b6f91e92561"
    "4bf63d8013248dc54521516d7bcf1568477fd068be0d4d432df8182e2c5b189b";
static const char KAT_SIG_SHA256[] =
    "918b9632add6c9130deb300205609ea3e8d62be6556a3e34ed30d72389f59d7d"
    "e522eb9971f07eb68419cb23f14dc71fbbcb0e169d712b11b2708a8463a76ebf"
    "31276283ed7184c13246c12f41c76803d04bc69af7bf1840b7d0accb7a6d5a9b"
    "56a8142c74191a4198add883800482241522dd0fe12b88f2c1b2767ade10736e"
    "e40901ddd6b8885c4b983811aad11736233840ac29b3613700de3dbca75deb7e"
    "37b14382ab64167b62ecb1a07d1de5113162f008dd57c1f15ad4110fa62db4e5"
    "18ae24551e5afa9a5c1948a86640e43ad468017f1433aa2db3b34755e1baa2c9"
    "1bea4e0c9b91378094d2dd11203345369a39e553dc7f55f247ef2fed74e07cc9";
static const char KAT_SIG_SHA384[] =
    "8aff114b88ffd374dae84306479db37623314b96eeb3a03f1ad01f55a8a26d97"
    "ee27c1720e109cde9562ced34990d30b26f8402aa9ec59dc85a0580f723772b8"
    "dd6ee1ded79c46cb242d8131b3bb25def2831e82fe230f85785a34512faa17c5"
    "1ab6a846384863482cd6a935566be5d4cad3f9d8103e37b60f8ec1f6f2945c58"
    "cb533c86cafcfcbae3ae248caef7f4b6810b321205003ad24f57612a4f037701"
    "0ccdceef9ffae12b54a86262d334987e574ca114a1ec1e091e7df95d53381293"
    "262356bbde9f3dd196a2fec50df0e74a6a2eb4dda794c2a22cd0bdedda7c1ac4"
    "614dc47635e9013466cc07405a3ba7b3f8916406921abec0d3c180af8a6044e4";

static void
load_kat(struct rsakey *k)
{
	rsakey_init(k);
	CHECK_EQ(mpz_set_str(k->pub.n, KAT_N, 16), 0);
	CHECK_EQ(mpz_set_str(k->pub.e, KAT_E, 16), 0);
	CHECK_EQ(mpz_set_str(k->priv.d, KAT_D, 16), 0);
	CHECK_EQ(mpz_set_str(k->priv.p, KAT_P, 16), 0);
	CHECK_EQ(mpz_set_str(k->priv.q, KAT_Q, 16), 0);
	CHECK_EQ(mpz_set_str(k->priv.a, KAT_A, 16), 0);
	CHECK_EQ(mpz_set_str(k->priv.b, KAT_B, 16), 0);
	CHECK_EQ(mpz_set_str(k->priv.c, KAT_C, 16), 0);
	k->has_private = 1;
}

static void
test_known_answer(void)
{
	struct rsakey k;
	struct err e;
	uint8_t dg[HASH_MAX_SIZE], sig[256];
	uint8_t *want;
	size_t n;

	load_kat(&k);
	err_clear(&e);
	CHECK_EQ(rsakey_finish(&k, &e), 0);
	CHECK_EQ(rsakey_bits(&k), 2048);
	CHECK_EQ(k.pub.size, 256);

	hash_digest(HASH_SHA256, KAT_MSG, strlen(KAT_MSG), dg);
	memset(sig, 0, sizeof sig);
	CHECK_EQ(rsakey_sign_pkcs1(&k, HASH_SHA256, dg, sig, &e), 0);
	want = test_hex(KAT_SIG_SHA256, &n);
	CHECK_EQ(n, 256);
	CHECK_MEM(sig, want, 256);
	CHECK_EQ(rsakey_verify_pkcs1(&k.pub, HASH_SHA256, dg, want, n, &e), 0);
	free(want);

	hash_digest(HASH_SHA384, KAT_MSG, strlen(KAT_MSG), dg);
	memset(sig, 0, sizeof sig);
	CHECK_EQ(rsakey_sign_pkcs1(&k, HASH_SHA384, dg, sig, &e), 0);
	want = test_hex(KAT_SIG_SHA384, &n);
	CHECK_MEM(sig, want, 256);
	CHECK_EQ(rsakey_verify_pkcs1(&k.pub, HASH_SHA384, dg, want, n, &e), 0);
	/* The SHA-384 signature is not a SHA-256 one over a prefix. */
	CHECK_ERR(rsakey_verify_pkcs1(&k.pub, HASH_SHA256, dg, want, n, &e),
	    &e, "RSA PKCS#1 v1.5 sha256 signature does not verify");
	free(want);
	rsakey_clear(&k);
}

/* Signs and verifies with one scheme and hash, then breaks each input. */
static void
round_trip(const struct rsakey *k, enum hash_alg alg, int pss)
{
	struct err e;
	uint8_t dg[HASH_MAX_SIZE], sig[RSAKEY_MAX_BITS / 8];
	size_t hl = hash_size(alg), sl = k->pub.size;
	const char *bad = pss ? "signature does not verify" :
	    "signature does not verify";
	int r;

	hash_digest(alg, "round trip", 10, dg);
	err_clear(&e);
	r = pss ? rsakey_sign_pss(k, alg, dg, sig, &e) :
	    rsakey_sign_pkcs1(k, alg, dg, sig, &e);
	CHECK_EQ(r, 0);
#define VERIFY(d, s, n) (pss ? \
	rsakey_verify_pss(&k->pub, alg, hl, (d), (s), (n), &e) : \
	rsakey_verify_pkcs1(&k->pub, alg, (d), (s), (n), &e))
	CHECK_EQ(VERIFY(dg, sig, sl), 0);
	dg[hl - 1] ^= 0x01;
	CHECK_ERR(VERIFY(dg, sig, sl), &e, bad);
	CHECK_EQ(e.kind, ERR_REFUSED);
	dg[hl - 1] ^= 0x01;
	sig[sl / 2] ^= 0x10;
	CHECK_ERR(VERIFY(dg, sig, sl), &e, bad);
	sig[sl / 2] ^= 0x10;
	CHECK_ERR(VERIFY(dg, sig, sl - 1), &e, "RSA signature is 255 bytes, "
	    "modulus is 256");
	CHECK_ERR(VERIFY(dg, sig, sl + 1), &e, "RSA signature is 257 bytes");
	CHECK_EQ(VERIFY(dg, sig, sl), 0);
#undef VERIFY
	if (pss) {
		/* A PSS signature is not PKCS#1 v1.5, and the salt length
		 * is part of the check. */
		CHECK_ERR(rsakey_verify_pkcs1(&k->pub, alg, dg, sig, sl, &e),
		    &e, "PKCS#1 v1.5");
		CHECK_ERR(rsakey_verify_pss(&k->pub, alg, hl - 1, dg, sig, sl,
		    &e), &e, "RSA-PSS");
		CHECK_ERR(rsakey_verify_pss(&k->pub, alg, 100000, dg, sig, sl,
		    &e), &e, "salt length 100000 is longer than the modulus");
	} else
		CHECK_ERR(rsakey_verify_pss(&k->pub, alg, hl, dg, sig, sl, &e),
		    &e, "RSA-PSS");
}

static void
progress(void *ctx, int c)
{
	(void)c;
	(*(int *)ctx)++;
}

static void
test_generate(void)
{
	struct rsakey k;
	struct err e;
	uint8_t dg[32], sig[256];
	int calls = 0;

	rsakey_init(&k);
	err_clear(&e);
	CHECK_EQ(rsakey_generate(&k, 2048, &calls, progress, &e), 0);
	CHECK_EQ(rsakey_bits(&k), 2048);
	CHECK_EQ(mpz_cmp_ui(k.pub.e, 65537), 0);
	CHECK_EQ(k.pub.size, 256);
	CHECK(k.has_private);
	/* A generated key passes the import checks too. */
	CHECK_EQ(rsakey_finish(&k, &e), 0);

	round_trip(&k, HASH_SHA256, 0);
	round_trip(&k, HASH_SHA384, 0);
	round_trip(&k, HASH_SHA512, 0);
	round_trip(&k, HASH_SHA256, 1);
	round_trip(&k, HASH_SHA384, 1);
	round_trip(&k, HASH_SHA512, 1);

	/* PSS is randomized: two signatures differ, PKCS#1 ones do not. */
	{
		uint8_t s2[256];

		hash_sha256("x", 1, dg);
		CHECK_EQ(rsakey_sign_pss(&k, HASH_SHA256, dg, sig, &e), 0);
		CHECK_EQ(rsakey_sign_pss(&k, HASH_SHA256, dg, s2, &e), 0);
		CHECK(memcmp(sig, s2, 256) != 0);
		CHECK_EQ(rsakey_sign_pkcs1(&k, HASH_SHA256, dg, sig, &e), 0);
		CHECK_EQ(rsakey_sign_pkcs1(&k, HASH_SHA256, dg, s2, &e), 0);
		CHECK_MEM(sig, s2, 256);
	}

	/* No new SHA-1 signatures; a public key alone cannot sign. */
	CHECK_ERR(rsakey_sign_pkcs1(&k, HASH_SHA1, dg, sig, &e), &e,
	    "RSA signing with sha1 is not supported");
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK_ERR(rsakey_sign_pss(&k, HASH_NONE, dg, sig, &e), &e,
	    "is not supported");
	k.has_private = 0;
	CHECK_ERR(rsakey_sign_pkcs1(&k, HASH_SHA256, dg, sig, &e), &e,
	    "RSA signing needs a prepared private key");
	rsakey_clear(&k);

	rsakey_init(&k);
	CHECK_ERR(rsakey_generate(&k, 1000, NULL, NULL, &e), &e,
	    "RSA key size 1000: want 1024 to 16384 bits in steps of 8");
	CHECK_ERR(rsakey_generate(&k, 2049, NULL, NULL, &e), &e,
	    "RSA key size 2049");
	CHECK_ERR(rsakey_generate(&k, 16392, NULL, NULL, &e), &e,
	    "RSA key size 16392");
	rsakey_clear(&k);
}

/* rsakey_finish on the known key with one number changed. */
static void
test_finish_rejects(void)
{
	struct rsakey k;
	struct err e;

	err_clear(&e);
	load_kat(&k);
	mpz_add_ui(k.pub.n, k.pub.n, 1);
	CHECK_ERR(rsakey_finish(&k, &e), &e, "RSA modulus is even");
	CHECK_EQ(e.kind, ERR_INPUT);
	rsakey_clear(&k);

	load_kat(&k);
	mpz_set_ui(k.pub.e, 1);
	CHECK_ERR(rsakey_finish(&k, &e), &e,
	    "RSA public exponent must be odd and at least 3");
	mpz_set_ui(k.pub.e, 65538);
	CHECK_ERR(rsakey_finish(&k, &e), &e,
	    "RSA public exponent must be odd and at least 3");
	mpz_set_ui(k.pub.e, 0);
	CHECK_ERR(rsakey_finish(&k, &e), &e,
	    "RSA public exponent must be odd and at least 3");
	mpz_set(k.pub.e, k.pub.n);
	CHECK_ERR(rsakey_finish(&k, &e), &e,
	    "RSA public exponent is not smaller than the modulus");
	rsakey_clear(&k);

	load_kat(&k);
	mpz_set_ui(k.pub.n, 0);
	CHECK_ERR(rsakey_finish(&k, &e), &e, "RSA modulus is not positive");
	mpz_setbit(k.pub.n, RSAKEY_MAX_BITS);
	mpz_setbit(k.pub.n, 0);
	CHECK_ERR(rsakey_finish(&k, &e), &e,
	    "RSA modulus of 16385 bits is larger than 16384");
	mpz_set_ui(k.pub.n, 15);
	mpz_set_ui(k.pub.e, 3);
	CHECK_ERR(rsakey_finish(&k, &e), &e, "RSA modulus is too small");
	rsakey_clear(&k);

	/* Private parts that do not belong to the public key. */
	load_kat(&k);
	mpz_add_ui(k.priv.p, k.priv.p, 2);
	CHECK_ERR(rsakey_finish(&k, &e), &e,
	    "RSA private key: p * q does not equal the modulus");
	rsakey_clear(&k);
	load_kat(&k);
	mpz_sub_ui(k.priv.a, k.priv.a, 2);
	CHECK_ERR(rsakey_finish(&k, &e), &e,
	    "RSA private key: exponents do not match the public key");
	rsakey_clear(&k);
	load_kat(&k);
	mpz_add_ui(k.priv.c, k.priv.c, 1);
	CHECK_ERR(rsakey_finish(&k, &e), &e,
	    "RSA private key: exponents do not match the public key");
	rsakey_clear(&k);
	load_kat(&k);
	mpz_add_ui(k.priv.d, k.priv.d, 2);
	CHECK_ERR(rsakey_finish(&k, &e), &e,
	    "RSA private key: exponents do not match the public key");
	rsakey_clear(&k);
	load_kat(&k);
	mpz_set_ui(k.priv.q, 0);
	CHECK_ERR(rsakey_finish(&k, &e), &e,
	    "RSA private key: prime p or q missing");
	rsakey_clear(&k);
	load_kat(&k);
	mpz_set(k.priv.b, k.priv.q);
	CHECK_ERR(rsakey_finish(&k, &e), &e,
	    "RSA private key: CRT exponent or coefficient out of range");
	rsakey_clear(&k);

	/* A public key alone needs no private parts. */
	load_kat(&k);
	k.has_private = 0;
	mpz_set_ui(k.priv.p, 0);
	CHECK_EQ(rsakey_finish(&k, &e), 0);
	rsakey_clear(&k);
}

int
main(void)
{
	test_known_answer();
	test_generate();
	test_finish_rejects();
	return test_done();
}
