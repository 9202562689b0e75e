/* crypto-kat-test — known answers for hash, HMAC, AES-GCM, PBKDF2, HKDF and
 * AES-CBC from their specifications (FIPS 180-4 examples, RFC 4231, the GCM
 * specification, RFC 7914 section 11, RFC 5869 appendix A, SP 800-38A);
 * our PBKDF2 is also compared with Nettle's pbkdf2_hmac_sha256. */
#include <stdlib.h>
#include <string.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/pbkdf2.h>

#include "crypto/aead.h"
#include "crypto/aescbc.h"
#include "crypto/hash.h"
#include "crypto/kdf.h"
#include "testlib.h"
#include "util/buf.h"
#include "util/err.h"

#define MSG448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

static void
check_hash(enum hash_alg alg, const char *msg, const char *want_hex)
{
	uint8_t out[HASH_MAX_SIZE];
	size_t n;
	uint8_t *want = test_hex(want_hex, &n);

	CHECK_EQ(hash_size(alg), n);
	memset(out, 0, sizeof out);
	hash_digest(alg, msg, strlen(msg), out);
	CHECK_MEM(out, want, n);
	free(want);
}

static void
test_hashes(void)
{
	uint8_t out[32];

	check_hash(HASH_SHA256, "abc", "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	check_hash(HASH_SHA256, "", "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	check_hash(HASH_SHA256, MSG448, "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	check_hash(HASH_SHA384, "abc", "cb00753f45a35e8bb5a03d699ac65007"
	    "272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
	check_hash(HASH_SHA384, "", "38b060a751ac96384cd9327eb1b1e36a"
	    "21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b");
	check_hash(HASH_SHA384, MSG448, "3391fdddfc8dc7393707a65b1b470939"
	    "7cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b");
	check_hash(HASH_SHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d");
	check_hash(HASH_SHA512, "abc", "ddaf35a193617abacc417349ae204131"
	    "12e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
	    "454d4423643ce80e2a9ac94fa54ca49f");
	hash_sha256("abc", 3, out);
	CHECK(out[0] == 0xba && out[31] == 0xad);
	CHECK_EQ(hash_size(HASH_NONE), 0);
	CHECK_STR(hash_name(HASH_SHA384), "sha384");
}

/* RFC 4231 section 4: key, data and HMAC-SHA-256 (case 5 truncated to
 * 128 bits). Keys and data written as hex. */
static const struct {
	const char *key, *data, *mac;
} hmac_cases[] = {
	{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  "4869205468657265",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "4a656665",
	  "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	  "dddddddddddddddddddddddddddddddddddd",
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
	  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	{ "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	  "546573742057697468205472756e636174696f6e",
	  "a3b6167473100ee06e0c796c2955552b" },
};

static void
test_hmac(void)
{
	static const char *big_key_data[2][2] = {
		{ "Test Using Larger Than Block-Size Key - Hash Key First",
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
		{ "This is a test using a larger than block-size key and a larger "
		  "than block-size data. The key needs to be hashed before being "
		  "used by the HMAC algorithm.",
		  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
	};
	uint8_t out[32], key[131];
	size_t i, kl, dl, ml;

	for (i = 0; i < sizeof hmac_cases / sizeof hmac_cases[0]; i++) {
		uint8_t *k = test_hex(hmac_cases[i].key, &kl);
		uint8_t *d = test_hex(hmac_cases[i].data, &dl);
		uint8_t *m = test_hex(hmac_cases[i].mac, &ml);

		kdf_hmac_sha256(k, kl, d, dl, out);
		CHECK_MEM(out, m, ml);
		free(k);
		free(d);
		free(m);
	}
	/* Cases 6 and 7: a 131-byte key of 0xaa. */
	memset(key, 0xaa, sizeof key);
	for (i = 0; i < 2; i++) {
		uint8_t *m = test_hex(big_key_data[i][1], &ml);

		kdf_hmac_sha256(key, sizeof key, (const uint8_t *)big_key_data[i][0],
		    strlen(big_key_data[i][0]), out);
		CHECK_MEM(out, m, ml);
		free(m);
	}
}

/* The GCM specification (McGrew and Viega), test cases 2-4 (AES-128) and
 * 14-16 (AES-256). */
#define GCM_KEY "feffe9928665731c6d6a8f9467308308"
#define GCM_IV "cafebabefacedbaddecaf888"
#define GCM_P60 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_AAD "feedfacedeadbeeffeedfacedeadbeefabaddad2"
static const struct {
	int tc;
	const char *key, *iv, *aad, *pt, *ct, *tag;
} gcm_cases[] = {
	{ 2, "00000000000000000000000000000000", "000000000000000000000000", "",
	  "00000000000000000000000000000000",
	  "0388dace60b6a392f328c2b971b2fe78",
	  "ab6e47d42cec13bdf53a67b21257bddf" },
	{ 3, GCM_KEY, GCM_IV, "", GCM_P60 "1aafd255",
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ 4, GCM_KEY, GCM_IV, GCM_AAD, GCM_P60,
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ 14, "0000000000000000000000000000000000000000000000000000000000000000",
	  "000000000000000000000000", "",
	  "00000000000000000000000000000000",
	  "cea7403d4d606b6e074ec5d3baf39d18",
	  "d0d1c8a799996bf0265b98b5d48ab919" },
	{ 15, GCM_KEY GCM_KEY, GCM_IV, "", GCM_P60 "1aafd255",
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
	  "b094dac5d93471bdec1a502270e3cc6c" },
	{ 16, GCM_KEY GCM_KEY, GCM_IV, GCM_AAD, GCM_P60,
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

static void
test_gcm(void)
{
	size_t i, kl, nl, al, pl, cl, tl;

	for (i = 0; i < sizeof gcm_cases / sizeof gcm_cases[0]; i++) {
		uint8_t *k = test_hex(gcm_cases[i].key, &kl);
		uint8_t *n = test_hex(gcm_cases[i].iv, &nl);
		uint8_t *a = test_hex(gcm_cases[i].aad, &al);
		uint8_t *p = test_hex(gcm_cases[i].pt, &pl);
		uint8_t *c = test_hex(gcm_cases[i].ct, &cl);
		uint8_t *t = test_hex(gcm_cases[i].tag, &tl);
		uint8_t *sealed = malloc(pl + AEAD_TAG_SIZE);
		uint8_t *opened = malloc(pl + 1);

		CHECK_EQ(nl, AEAD_NONCE_SIZE);
		CHECK_EQ(cl, pl);
		CHECK_EQ(aead_seal(k, kl, n, a, al, p, pl, sealed), 0);
		CHECK_MEM(sealed, c, cl);
		CHECK_MEM(sealed + pl, t, AEAD_TAG_SIZE);
		memset(opened, 0x55, pl);
		CHECK_EQ(aead_open(k, kl, n, a, al, sealed, pl + AEAD_TAG_SIZE,
		    opened), 0);
		CHECK_MEM(opened, p, pl);

		/* A flipped bit anywhere must be caught, and out wiped. */
		sealed[pl + 15] ^= 0x01;	/* tag */
		CHECK_EQ(aead_open(k, kl, n, a, al, sealed, pl + AEAD_TAG_SIZE,
		    opened), -1);
		CHECK(opened[0] == 0 && opened[pl - 1] == 0);
		sealed[pl + 15] ^= 0x01;
		sealed[0] ^= 0x80;		/* ciphertext */
		CHECK_EQ(aead_open(k, kl, n, a, al, sealed, pl + AEAD_TAG_SIZE,
		    opened), -1);
		sealed[0] ^= 0x80;
		if (al > 0) {
			a[al - 1] ^= 0x01;	/* associated data */
			CHECK_EQ(aead_open(k, kl, n, a, al, sealed,
			    pl + AEAD_TAG_SIZE, opened), -1);
			a[al - 1] ^= 0x01;
			/* Dropping the AAD entirely fails too. */
			CHECK_EQ(aead_open(k, kl, n, NULL, 0, sealed,
			    pl + AEAD_TAG_SIZE, opened), -1);
		}
		n[0] ^= 0x01;			/* nonce */
		CHECK_EQ(aead_open(k, kl, n, a, al, sealed, pl + AEAD_TAG_SIZE,
		    opened), -1);
		n[0] ^= 0x01;
		/* Shorter than a tag, and a bad key length. */
		CHECK_EQ(aead_open(k, kl, n, a, al, sealed, AEAD_TAG_SIZE - 1,
		    opened), -1);
		CHECK_EQ(aead_seal(k, 24, n, a, al, p, pl, sealed), -1);
		/* In place: in == out. */
		memcpy(sealed, p, pl);
		CHECK_EQ(aead_seal(k, kl, n, a, al, sealed, pl, sealed), 0);
		CHECK_MEM(sealed, c, cl);
		CHECK_EQ(aead_open(k, kl, n, a, al, sealed, pl + AEAD_TAG_SIZE,
		    sealed), 0);
		CHECK_MEM(sealed, p, pl);
		free(k);
		free(n);
		free(a);
		free(p);
		free(c);
		free(t);
		free(sealed);
		free(opened);
	}
}

static void
check_pbkdf2(const char *pass, const char *salt, unsigned iter,
    const char *want_hex)
{
	uint8_t out[64];
	size_t n;
	uint8_t *want = test_hex(want_hex, &n);

	CHECK_EQ(n, sizeof out);
	kdf_pbkdf2_sha256(pass, strlen(pass), (const uint8_t *)salt,
	    strlen(salt), iter, out, sizeof out);
	CHECK_MEM(out, want, n);
	free(want);
}

static void
test_pbkdf2(void)
{
	/* RFC 7914 section 11. */
	check_pbkdf2("passwd", "salt", 1,
	    "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
	    "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
	check_pbkdf2("Password", "NaCl", 80000,
	    "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
	    "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
}

/* Our PBKDF2 against Nettle's for iteration counts that exercise the
 * U-chain and lengths around the 32-byte block edge (multi-block and a
 * partial last block), with a key longer than the SHA-256 block (hashed
 * first) and an empty salt. */
static void
test_pbkdf2_vs_nettle(void)
{
	static const unsigned iters[] = { 1, 2, 3, 17, 1000 };
	static const size_t lens[] = { 1, 31, 32, 33, 64, 65, 100, 160 };
	static const char *const passes[] = { "", "pw",
	    ("a passphrase that is longer than the sixty-four byte block of "
	    "SHA-256, so HMAC hashes it first") };
	static const char *const salts[] = { "", "NaCl", "salt of 21 bytes....." };
	uint8_t ours[160], theirs[160];
	size_t a, b, c;

	for (a = 0; a < sizeof iters / sizeof iters[0]; a++)
		for (b = 0; b < sizeof lens / sizeof lens[0]; b++)
			for (c = 0; c < 3; c++) {
				const char *p = passes[c], *s = salts[(a + b + c) % 3];

				memset(ours, 0xaa, sizeof ours);
				memset(theirs, 0xaa, sizeof theirs);
				kdf_pbkdf2_sha256(p, strlen(p), (const uint8_t *)s,
				    strlen(s), iters[a], ours, lens[b]);
				pbkdf2_hmac_sha256(strlen(p), (const uint8_t *)p,
				    iters[a], strlen(s), (const uint8_t *)s,
				    lens[b], theirs);
				CHECK_MEM(ours, theirs, sizeof ours);
			}
}

/* RFC 5869 appendix A, test cases 1-3 (SHA-256). */
static const struct {
	const char *ikm, *salt, *info, *prk, *okm;
} hkdf_cases[] = {
	{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
	  "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
	  "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	  "34007208d5b887185865" },
	{ "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	  "404142434445464748494a4b4c4d4e4f",
	  "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	  "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
	  "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
	  "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
	  "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
	  "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
	  "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
	  "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
	  "cc30c58179ec3e87c14c01d5c1f3434f1d87" },
	{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
	  "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
	  "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	  "9d201395faa4b61a96c8" },
};

static void
test_hkdf(void)
{
	uint8_t prk[32], okm[82];
	size_t i, il, sl, fl, pl, ol;

	for (i = 0; i < sizeof hkdf_cases / sizeof hkdf_cases[0]; i++) {
		uint8_t *ikm = test_hex(hkdf_cases[i].ikm, &il);
		uint8_t *salt = test_hex(hkdf_cases[i].salt, &sl);
		uint8_t *info = test_hex(hkdf_cases[i].info, &fl);
		uint8_t *wprk = test_hex(hkdf_cases[i].prk, &pl);
		uint8_t *wokm = test_hex(hkdf_cases[i].okm, &ol);

		kdf_hkdf_sha256_extract(salt, sl, ikm, il, prk);
		CHECK_MEM(prk, wprk, 32);
		CHECK(ol <= sizeof okm);
		kdf_hkdf_sha256_expand(prk, info, fl, okm, ol);
		CHECK_MEM(okm, wokm, ol);
		free(ikm);
		free(salt);
		free(info);
		free(wprk);
		free(wokm);
	}
}

/* SP 800-38A F.2.5 / F.2.6: CBC-AES256, four blocks. */
#define CBC_KEY "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"
#define CBC_IV "000102030405060708090a0b0c0d0e0f"
#define CBC_PT "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51" \
	"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
#define CBC_CT "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d" \
	"39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"

static void
test_cbc(void)
{
	struct aes256_ctx ctx;
	struct buf ct, pt;
	struct err e;
	size_t kl, il, pl, cl, n;
	uint8_t *key = test_hex(CBC_KEY, &kl);
	uint8_t *iv = test_hex(CBC_IV, &il);
	uint8_t *p = test_hex(CBC_PT, &pl);
	uint8_t *c = test_hex(CBC_CT, &cl);
	uint8_t ivc[16], out[64], bad[32];

	/* The raw vectors through Nettle, without padding. */
	aes256_set_encrypt_key(&ctx, key);
	memcpy(ivc, iv, 16);
	cbc_encrypt(&ctx, (nettle_cipher_func *)aes256_encrypt, 16, ivc, 64,
	    out, p);
	CHECK_MEM(out, c, 64);
	aes256_set_decrypt_key(&ctx, key);
	memcpy(ivc, iv, 16);
	cbc_decrypt(&ctx, (nettle_cipher_func *)aes256_decrypt, 16, ivc, 64,
	    out, c);
	CHECK_MEM(out, p, 64);

	/* Our wrapper: a whole-block input gets a full block of padding, and
	 * the first four blocks are still the NIST ciphertext. */
	buf_init(&ct);
	buf_init(&pt);
	aescbc_encrypt(key, kl, iv, p, pl, &ct);
	CHECK_EQ(ct.len, 80);
	CHECK_MEM(ct.data, c, 64);
	err_clear(&e);
	CHECK_EQ(aescbc_decrypt(key, kl, iv, ct.data, ct.len, &pt, &e), 0);
	CHECK_EQ(pt.len, 64);
	CHECK_MEM(pt.data, p, 64);
	/* Every length from 0 to 33 round-trips to the next block size. */
	for (n = 0; n <= 33; n++) {
		buf_clear(&ct);
		buf_clear(&pt);
		aescbc_encrypt(key, 16, iv, p, n, &ct);
		CHECK_EQ(ct.len, (n / 16 + 1) * 16);
		CHECK_EQ(aescbc_decrypt(key, 16, iv, ct.data, ct.len, &pt, &e), 0);
		CHECK_EQ(pt.len, n);
		if (n > 0)
			CHECK_MEM(pt.data, p, n);
	}

	/* Bad padding: two blocks whose plaintext ends in 0x00, then in
	 * 0x11, then 03 02 03, each made with the raw CBC encryption. */
	{
		static const uint8_t tails[3][3] = { { 0, 0, 0x00 },
		    { 0, 0, 0x11 }, { 3, 2, 3 } };
		size_t t;

		for (t = 0; t < 3; t++) {
			uint8_t blk[32];

			memset(blk, 0x41, sizeof blk);
			memcpy(blk + 29, tails[t], 3);
			aes256_set_encrypt_key(&ctx, key);
			memcpy(ivc, iv, 16);
			cbc_encrypt(&ctx, (nettle_cipher_func *)aes256_encrypt,
			    16, ivc, 32, bad, blk);
			buf_clear(&pt);
			err_clear(&e);
			CHECK_ERR(aescbc_decrypt(key, kl, iv, bad, 32, &pt, &e),
			    &e, "wrong passphrase or corrupt key");
			CHECK_EQ(e.kind, ERR_PASS);
			CHECK_EQ(pt.len, 0);
		}
	}
	/* Wrong key: padding almost surely breaks. */
	buf_clear(&ct);
	aescbc_encrypt(key, kl, iv, p, 5, &ct);
	key[0] ^= 1;
	err_clear(&e);
	CHECK_ERR(aescbc_decrypt(key, kl, iv, ct.data, ct.len, &pt, &e), &e,
	    "wrong passphrase or corrupt key");
	key[0] ^= 1;
	/* Lengths that are not whole blocks, or zero. */
	CHECK_ERR(aescbc_decrypt(key, kl, iv, c, 15, &pt, &e), &e,
	    "wrong passphrase or corrupt key");
	CHECK_ERR(aescbc_decrypt(key, kl, iv, c, 0, &pt, &e), &e,
	    "wrong passphrase or corrupt key");
	CHECK_EQ(e.kind, ERR_PASS);

	buf_clear(&ct);
	buf_clear(&pt);
	free(key);
	free(iv);
	free(p);
	free(c);
}

int
main(void)
{
	test_hashes();
	test_hmac();
	test_gcm();
	test_pbkdf2();
	test_pbkdf2_vs_nettle();
	test_hkdf();
	test_cbc();
	return test_done();
}
