/* pbe-test.c — the RFC 7292 Appendix B key derivation, PBKDF2 and the
 * PKCS#12 CBC ciphers.
 *
 * KDF known answers, SHA-1: Dr Stephen Henson's PKCS#12 test vectors
 * (drh-consultancy.demon.co.uk/test.txt), the set BouncyCastle's
 * PKCS12Test and GnuTLS's tests/pkcs12_s2k.c check; passwords "smeg" and
 * "queeg". SHA-256: the vector of RustCrypto's formats/pkcs12 kdf tests
 * (password "ge@äheim", salt 01..08, MAC id, 100 iterations), which also
 * exercises a non-ASCII character in the BMP password. */
#include <stdlib.h>
#include <string.h>

#include "crypto/pbe.h"
#include "testlib.h"

static void
kdf_case(enum hash_alg h, const char *pass, const char *salthex,
    unsigned id, unsigned iter, const char *wanthex)
{
	uint8_t *salt, *want, out[64];
	size_t saltlen, wantlen;
	struct buf bmp;
	struct err e;

	buf_init(&bmp);
	salt = test_hex(salthex, &saltlen);
	want = test_hex(wanthex, &wantlen);
	CHECK_EQ(pbe_bmp_password(pass, strlen(pass), &bmp, &e), 0);
	memset(out, 0, sizeof out);
	pbe_pkcs12_kdf(h, id, bmp.data, bmp.len, salt, saltlen, iter, out,
	    wantlen);
	CHECK_MEM(out, want, wantlen);
	free(salt);
	free(want);
	buf_clear(&bmp);
}

static void
test_kdf(void)
{
	kdf_case(HASH_SHA1, "smeg", "0A58CF64530D823F", 1, 1,
	    "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3");
	kdf_case(HASH_SHA1, "smeg", "0A58CF64530D823F", 2, 1,
	    "79993DFE048D3B76");
	kdf_case(HASH_SHA1, "smeg", "642B99AB44FB4B1F", 1, 1,
	    "F3A95FEC48D7711E985CFE67908C5AB79FA3D7C5CAA5D966");
	kdf_case(HASH_SHA1, "smeg", "642B99AB44FB4B1F", 2, 1,
	    "C0A38D64A79BEA1D");
	kdf_case(HASH_SHA1, "smeg", "3D83C0E4546AC140", 3, 1,
	    "8D967D88F6CAA9D714800AB3D48051D63F73A312");
	kdf_case(HASH_SHA1, "queeg", "05DEC959ACFF72F7", 1, 1000,
	    "ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4");
	kdf_case(HASH_SHA1, "queeg", "05DEC959ACFF72F7", 2, 1000,
	    "11DEDAD7758D4860");
	kdf_case(HASH_SHA1, "queeg", "1682C0FC5B3F7EC5", 1, 1000,
	    "483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F");
	kdf_case(HASH_SHA1, "queeg", "1682C0FC5B3F7EC5", 2, 1000,
	    "9D461D1B00355C50");
	kdf_case(HASH_SHA1, "queeg", "263216FCC2FAB31C", 3, 1000,
	    "5EC4C7A80DF652294C3925B6489A7AB857C83476");
	kdf_case(HASH_SHA256, "ge@\xc3\xa4heim", "0102030405060708", 3, 100,
	    "136355ED9434516682534F46D63956DB5FF06B844702C2C1F3B46321E2524A4D");
}

static void
test_bmp(void)
{
	struct buf b;
	struct err e;

	buf_init(&b);
	CHECK_EQ(pbe_bmp_password("smeg", 4, &b, &e), 0);
	CHECK_EQ(b.len, 10);
	CHECK_MEM(b.data, "\0s\0m\0e\0g\0\0", 10);
	buf_clear(&b);
	/* An empty passphrase is the two zero bytes alone. */
	CHECK_EQ(pbe_bmp_password("", 0, &b, &e), 0);
	CHECK_EQ(b.len, 2);
	buf_clear(&b);
	/* U+1F600 lies outside the BMP; a lone continuation byte is not
	 * UTF-8; C0 80 is an overlong NUL. */
	CHECK_ERR(pbe_bmp_password("\xf0\x9f\x98\x80", 4, &b, &e), &e,
	    "the passphrase is not UTF-8 text of the Basic Multilingual "
	    "Plane, which PKCS#12 requires");
	CHECK_EQ(b.len, 0);
	CHECK_ERR(pbe_bmp_password("a\x80", 2, &b, &e), &e, "not UTF-8");
	CHECK_ERR(pbe_bmp_password("\xc0\x80", 2, &b, &e), &e, "not UTF-8");
	buf_clear(&b);
}

/* Round trips through every cipher, every length around a block, and
 * the padding check. */
static void
test_cbc(void)
{
	static const enum pbe_cipher c[] = { PBE_AES128_CBC, PBE_AES192_CBC,
	    PBE_AES256_CBC, PBE_DES3_CBC, PBE_RC2_40_CBC, PBE_RC2_128_CBC };
	uint8_t key[32], iv[16], msg[40];
	struct buf ct, pt;
	struct err e;
	size_t i, n;

	for (i = 0; i < sizeof key; i++)
		key[i] = (uint8_t)(i * 7 + 1);
	for (i = 0; i < sizeof iv; i++)
		iv[i] = (uint8_t)(0xa0 + i);
	for (i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)i;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		size_t bs = pbe_cipher_blocklen(c[i]);

		for (n = 0; n <= 2 * bs + 1; n++) {
			buf_init(&ct);
			buf_init(&pt);
			pbe_cbc_encrypt(c[i], key, iv, msg, n, &ct);
			CHECK_EQ(ct.len, (n / bs + 1) * bs);
			CHECK_EQ(pbe_cbc_decrypt(c[i], key, iv, ct.data,
			    ct.len, &pt, &e), 0);
			CHECK_EQ(pt.len, n);
			CHECK(n == 0 || memcmp(pt.data, msg, n) == 0);
			buf_clear(&pt);
			/* A truncated ciphertext is refused. */
			CHECK_ERR(pbe_cbc_decrypt(c[i], key, iv, ct.data,
			    ct.len - 1, &pt, &e), &e,
			    "wrong passphrase or corrupt data");
			buf_clear(&pt);
			buf_clear(&ct);
		}
	}
}

/* RC2 with 40 effective bits (what pbeWithSHAAnd40BitRC2-CBC uses):
 * RFC 2268 has no 40-bit vector, so the answer is OpenSSL 3.0's, for one
 * zero block: `printf '\0\0\0\0\0\0\0\0' | openssl enc -rc2-40-cbc
 * -K 0102030405 -iv 0000000000000000 -nopad -provider legacy -provider
 * default | xxd -p`. */
#define RC2_40_WANT "269b2c0070a1cb64"

static void
test_rc2_40(void)
{
	static const uint8_t key[5] = { 1, 2, 3, 4, 5 }, iv[8] = { 0 };
	static const uint8_t zero[8] = { 0 };
	uint8_t *want;
	size_t wantlen;
	struct buf ct;

	buf_init(&ct);
	pbe_cbc_encrypt(PBE_RC2_40_CBC, key, iv, zero, sizeof zero, &ct);
	want = test_hex(RC2_40_WANT, &wantlen);
	CHECK_EQ(ct.len, 16);
	CHECK_MEM(ct.data, want, 8);
	free(want);
	buf_clear(&ct);
}

int
main(void)
{
	test_kdf();
	test_bmp();
	test_cbc();
	test_rc2_40();
	return test_done();
}
