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

int
main(void)
{
	test_formats();
	test_errors();
	return test_done();
}
