/* pkey-test.c — key encodings: every OpenSSL-made format decodes to the same
 * numbers, ours round-trip, wrong passphrases and broken keys fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "asn1/pem.h"
#include "util/xalloc.h"
#include "x509/pkey.h"
#include "x509/text.h"
#include "testlib.h"

static uint8_t *
fixture_der(const char *name, size_t *len)
{
	char path[256];
	struct pem_list pl;
	uint8_t *data, *der;
	size_t n;
	struct err e;

	snprintf(path, sizeof path, "tests/data/%s", name);
	if ((data = test_read_file(path, &n)) == NULL) {
		fprintf(stderr, "cannot read %s (run from the repository root)\n", path);
		exit(1);
	}
	if (!pem_detect(data, n)) {
		*len = n;
		return data;
	}
	pem_list_init(&pl);
	if (pem_decode((const char *)data, n, &pl, &e) == -1) {
		fprintf(stderr, "%s: %s\n", path, e.msg);
		exit(1);
	}
	der = xmalloc(pl.v[0].len);
	memcpy(der, pl.v[0].der, pl.v[0].len);
	*len = pl.v[0].len;
	pem_list_clear(&pl);
	free(data);
	return der;
}

static int
decode(const char *name, struct rsakey *k, const char *pass, struct err *e)
{
	uint8_t *der;
	size_t len;
	int r;

	der = fixture_der(name, &len);
	r = pkey_decode(k, der, len, pass, pass ? strlen(pass) : 0, e);
	free(der);
	return r;
}

static void
test_formats(void)
{
	static const struct {
		const char *file;
		enum pkey_format fmt;
		const char *pass;
		int priv;
		int leaf;	/* the key-pkcs8 key, else key-pkcs1 */
	} t[] = {
		{ "key-pkcs8.pem", PKEY_PKCS8, NULL, 1, 1 },
		{ "key-pkcs8.der", PKEY_PKCS8, NULL, 1, 1 },
		{ "key-pkcs1.pem", PKEY_PKCS1, NULL, 1, 0 },
		{ "key-enc.pem", PKEY_PKCS8_ENCRYPTED, "secret", 1, 1 },
		{ "key-enc-sha1.pem", PKEY_PKCS8_ENCRYPTED, "secret", 1, 0 },
		{ "pub-spki.pem", PKEY_SPKI, NULL, 0, 1 },
		{ "pub-pkcs1.pem", PKEY_PKCS1_PUBLIC, NULL, 0, 1 },
	};
	struct rsakey ref[2], k;
	struct err e;
	size_t i, len;
	uint8_t *der;

	rsakey_init(&ref[0]);
	rsakey_init(&ref[1]);
	CHECK_EQ(decode("key-pkcs1.pem", &ref[0], NULL, &e), 0);
	CHECK_EQ(decode("key-pkcs8.pem", &ref[1], NULL, &e), 0);
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		der = fixture_der(t[i].file, &len);
		CHECK_EQ(pkey_detect(der, len), t[i].fmt);
		rsakey_init(&k);
		if (pkey_decode(&k, der, len, t[i].pass, t[i].pass ?
		    strlen(t[i].pass) : 0, &e) != 0) {
			test_fail(__FILE__, __LINE__, "%s: %s", t[i].file, e.msg);
		} else {
			CHECK_EQ(k.has_private, t[i].priv);
			CHECK_EQ(rsakey_bits(&k), 2048);
			CHECK(mpz_cmp(k.pub.n, ref[t[i].leaf].pub.n) == 0);
			CHECK(mpz_cmp_ui(k.pub.e, 65537) == 0);
			if (t[i].priv)
				CHECK(mpz_cmp(k.priv.d, ref[t[i].leaf].priv.d) == 0);
		}
		rsakey_clear(&k);
		free(der);
	}

	/* Our encodings are byte-equal to OpenSSL's for the same key. */
	{
		struct buf b;
		uint8_t *want;

		buf_init(&b);
		pkey_encode_pkcs8(&ref[1], &b);
		want = fixture_der("key-pkcs8.pem", &len);
		CHECK_EQ(b.len, len);
		if (b.len == len)
			CHECK_MEM(b.data, want, len);
		free(want);
		buf_clear_secret(&b);
		pkey_encode_pkcs1(&ref[0], &b);
		want = fixture_der("key-pkcs1.pem", &len);
		CHECK_EQ(b.len, len);
		if (b.len == len)
			CHECK_MEM(b.data, want, len);
		free(want);
		buf_clear_secret(&b);
	}

	/* Encrypted round trip, with a small iteration count for speed. */
	{
		struct buf b;

		buf_init(&b);
		pkey_encode_pkcs8_encrypted(&ref[1], "pw", 2, 1000, &b);
		CHECK_EQ(pkey_detect(b.data, b.len), PKEY_PKCS8_ENCRYPTED);
		rsakey_init(&k);
		CHECK_EQ(pkey_decode(&k, b.data, b.len, "pw", 2, &e), 0);
		CHECK(mpz_cmp(k.priv.d, ref[1].priv.d) == 0);
		rsakey_clear(&k);
		rsakey_init(&k);
		CHECK_ERR(pkey_decode(&k, b.data, b.len, "pX", 2, &e), &e,
		    "wrong passphrase or corrupt key");
		CHECK_EQ(e.kind, ERR_PASS);
		CHECK(!k.has_private);
		CHECK_ERR(pkey_decode(&k, b.data, b.len, NULL, 0, &e), &e,
		    "key is encrypted: a passphrase is needed");
		CHECK_EQ(e.kind, ERR_USAGE);
		rsakey_clear(&k);
		buf_clear(&b);
	}

	/* Text never shows private numbers. */
	{
		struct buf b;
		char *dhex = mpz_get_str(NULL, 16, ref[1].priv.d);

		buf_init(&b);
		text_key(&b, &ref[1]);
		CHECK(strstr((char *)b.data, "RSA private key") != NULL);
		CHECK(strstr((char *)b.data, "Public-Key: (2048 bit)") != NULL);
		CHECK(strstr((char *)b.data, "SHA-256 of SubjectPublicKeyInfo: 83:A6:B7:ED:") != NULL);
		CHECK(strstr((char *)b.data, dhex) == NULL);
		CHECK(strstr((char *)b.data, "Modulus") == NULL);
		buf_clear(&b);
		free(dhex);
	}
	rsakey_clear(&ref[0]);
	rsakey_clear(&ref[1]);
}

static void
test_errors(void)
{
	struct rsakey k;
	struct err e;
	uint8_t *p;
	size_t len;

	rsakey_init(&k);
	CHECK_ERR(decode("key-enc.pem", &k, "wrong", &e), &e,
	    "wrong passphrase or corrupt key");
	CHECK_EQ(e.kind, ERR_PASS);
	CHECK_ERR(decode("key-enc-sha1.pem", &k, "wrong", &e), &e,
	    "wrong passphrase or corrupt key");

	/* Multi-prime (version 1) RSAPrivateKey. */
	p = test_hex("30 1b 02 01 01 02 01 0f 02 01 03 02 01 03 02 01 03 02 01 05"
	    " 02 01 01 02 01 01 02 01 01", &len);
	p[1] = (uint8_t)(len - 2);
	CHECK_EQ(pkey_detect(p, len), PKEY_PKCS1);
	CHECK_ERR(pkey_decode(&k, p, len, NULL, 0, &e), &e,
	    "multi-prime RSA keys are not supported");
	free(p);

	/* An EC SubjectPublicKeyInfo whose point is too short. */
	/* SEQ { SEQ { ecPublicKey, prime256v1 }, BIT STRING 00 04 01 02 } */
	p = test_hex("301b 3013 06072a8648ce3d0201 06082a8648ce3d030107 0304 00 04 01 02", &len);
	CHECK_EQ(pkey_detect(p, len), PKEY_SPKI);
	CHECK_ERR(pkey_decode(&k, p, len, NULL, 0, &e), &e,
	    "offset 0x17: P-256: public key is not an uncompressed point (3 "
	    "bytes, first byte 0x04)");
	free(p);

	/* PBES2 with an out-of-range iteration count (0). */
	p = test_hex("3072305e06092a864886f70d01050d3051303006092a864886f70d01050c"
	    "3023041000112233445566778899aabbccddeeff020100300c06082a864886f70d0209"
	    "0500301d0609608648016503040102041000112233445566778899aabbccddeeff"
	    "041000000000000000000000000000000000", &len);
	CHECK_EQ(pkey_detect(p, len), PKEY_PKCS8_ENCRYPTED);
	CHECK_ERR(pkey_decode(&k, p, len, "x", 1, &e), &e,
	    "PBKDF2 iteration count 0 out of range (1 to 10000000)");
	free(p);

	CHECK_ERR(pkey_decode(&k, (const uint8_t *)"\x04\x00", 2, NULL, 0, &e), &e,
	    "not a key: unknown DER structure");
	rsakey_clear(&k);
}


/* A P-256 key OpenSSL wrote (`openssl ec -outform DER`), and parts of it
 * to build broken variants from. */
#define EC_PRIV "2f564982d9e68879b4a9bd7507d1291d60b0c706e9435e32d72dd0ea6492dd2e"
#define EC_PUB "04c5b118da13b44d07cdab0ddecc9a88f92a4596a1aada4b0bf36d5ece3cc2d01a" \
	"69e936e6cb4f80f92b7b4e0df87f13d23df3100ba02e7112389ac40633b58fa9"
#define EC_G "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296" \
	"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
#define P256 "06082a8648ce3d030107"
#define ECPK "06072a8648ce3d0201"

static void
ec_bad(const char *hex, const char *msg)
{
	struct pkey k;
	struct err e;
	uint8_t *p;
	size_t len;

	pkey_init(&k);
	p = test_hex(hex, &len);
	CHECK_ERR(pkey_decode_any(&k, p, len, NULL, 0, &e), &e, msg);
	CHECK_EQ(e.kind, ERR_INPUT);
	CHECK(!pkey_has_private(&k));
	free(p);
	pkey_clear(&k);
}

static void
test_ec(void)
{
	struct pkey k, k2;
	struct rsakey r;
	struct err e;
	struct buf b;
	uint8_t *p;
	size_t len;

	pkey_init(&k);
	pkey_init(&k2);
	rsakey_init(&r);
	buf_init(&b);
	p = test_hex("3077 020101 0420" EC_PRIV " a00a" P256 " a144 034200" EC_PUB,
	    &len);
	CHECK_EQ(pkey_detect(p, len), PKEY_SEC1);
	CHECK_EQ(pkey_decode_any(&k, p, len, NULL, 0, &e), 0);
	CHECK_EQ(k.type, PKEY_EC);
	CHECK(pkey_has_private(&k));
	CHECK_STR(pkey_type_name(&k), "ec");
	/* We write SEC1 exactly as OpenSSL did. */
	pkey_encode_sec1(&k.ec, &b);
	CHECK(b.len == len && memcmp(b.data, p, len) == 0);
	buf_clear_secret(&b);
	/* An RSA-only caller is told what it got. */
	CHECK_ERR(pkey_decode(&r, p, len, NULL, 0, &e), &e,
	    "a P-256 EC key where an RSA key is needed");
	free(p);
	/* PKCS#8 and PBES2 round trips. */
	pkey_encode_pkcs8_any(&k, &b);
	CHECK_EQ(pkey_detect(b.data, b.len), PKEY_PKCS8);
	CHECK_EQ(pkey_decode_any(&k2, b.data, b.len, NULL, 0, &e), 0);
	CHECK_EQ(k2.type, PKEY_EC);
	CHECK_MEM(k2.ec.priv, k.ec.priv, 32);
	buf_clear_secret(&b);
	pkey_encode_pkcs8_encrypted_any(&k, "pw", 2, 1000, &b);
	CHECK_ERR(pkey_decode_any(&k2, b.data, b.len, "px", 2, &e), &e,
	    "wrong passphrase or corrupt key");
	CHECK_EQ(pkey_decode_any(&k2, b.data, b.len, "pw", 2, &e), 0);
	CHECK_MEM(k2.ec.pub, k.ec.pub, EC256_PUB_SIZE);
	buf_clear_secret(&b);
	/* SPKI: public only. */
	p = test_hex("3059 3013" ECPK P256 " 034200" EC_PUB, &len);
	CHECK_EQ(pkey_decode_any(&k2, p, len, NULL, 0, &e), 0);
	CHECK_EQ(k2.type, PKEY_EC);
	CHECK(!pkey_has_private(&k2));
	free(p);

	/* Broken SEC1. */
	ec_bad("3077 020102 0420" EC_PRIV " a00a" P256 " a144 034200" EC_PUB,
	    "offset 0x5: ECPrivateKey version 2 (must be 1)");
	ec_bad("3076 020101 041f 564982d9e68879b4a9bd7507d1291d60b0c706e9435e32d7"
	    "2dd0ea6492dd2e a00a" P256 " a144 034200" EC_PUB,
	    "offset 0x5: P-256 private key of 31 bytes (want 32)");
	ec_bad("3074 020101 0420" EC_PRIV " a007 06052b81040022 a144 034200"
	    EC_PUB, "offset 0x27: unsupported EC curve 1.3.132.0.34 (only "
	    "prime256v1)");
	ec_bad("306b 020101 0420" EC_PRIV " a144 034200" EC_PUB,
	    "offset 0x27: ECPrivateKey without its curve");
	ec_bad("3077 020101 0420" EC_PRIV " a00a" P256 " a144 034200" EC_G,
	    "P-256: public key does not match the private key");
	ec_bad("3077 020101 0420" EC_PRIV " a00a" P256 " a144 034201" EC_PUB,
	    "unused bits");
	ec_bad("3077 020101 0420" EC_PRIV " a00a" P256 " a144 034200" EC_PUB
	    " 00", "offset 0x79: 1 bytes left over at end of key");
	ec_bad("3057 020101 0420" "0000000000000000000000000000000000000000000000"
	    "000000000000000000 a00a" P256 " a124 032200" "02c5b118da13b44d07cdab0d"
	    "decc9a88f92a4596a1aada4b0bf36d5ece3cc2d01a",
	    "P-256: compressed points are not supported");
	ec_bad("3031 020101 0420" "ffffffffffffffffffffffffffffffffffffffffffffff"
	    "ffffffffffffffffff a00a" P256,
	    "P-256: private key out of range");
	/* Broken SPKI. */
	ec_bad("3039 3013" ECPK P256 " 032200 02c5b118da13b44d07cdab0ddecc9a88f9"
	    "2a4596a1aada4b0bf36d5ece3cc2d01a",
	    "offset 0x17: P-256: compressed points are not supported");
	ec_bad("3056 3010" ECPK " 06052b81040022 034200" EC_PUB,
	    "unsupported EC curve 1.3.132.0.34 (only prime256v1)");
	ec_bad("3051 300b" ECPK " 0500 034200" EC_PUB,
	    "offset 0xd: EC key without a named curve");
	ec_bad("3051 300b" ECPK " 3000 034200" EC_PUB,
	    "offset 0xd: EC parameters must name a curve (explicit curve "
	    "parameters are not supported)");
	/* The point moved off the curve. */
	{
		char hex[400];

		snprintf(hex, sizeof hex, "3059 3013" ECPK P256 " 034200%s",
		    EC_PUB);
		hex[strlen(hex) - 1] ^= 1;	/* last hex digit of y */
		ec_bad(hex, "offset 0x17: P-256: public key is not a point on "
		    "the curve");
	}
	/* PKCS#8 for P-384. */
	ec_bad("3041 020100 3010" ECPK " 06052b81040022 042a 3028 020101 0423"
	    "000000000000000000000000000000000000000000000000000000000000000000"
	    "0001", "unsupported EC curve 1.3.132.0.34 (only prime256v1)");
	rsakey_clear(&r);
	pkey_clear(&k);
	pkey_clear(&k2);
}

int
main(void)
{
	test_formats();
	test_errors();
	test_ec();
	return test_done();
}
