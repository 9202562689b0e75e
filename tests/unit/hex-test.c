/* hex-test.c — the hex codec: RFC 4648 section 10 base16 vectors both
 * ways, strict decoding, and serials as the CA database writes them. */
#include <string.h>

#include "crypto/hex.h"
#include "testlib.h"

static void
test_vectors(void)
{
	static const char *v[][2] = {
		{ "", "" }, { "f", "66" }, { "fo", "666f" }, { "foo", "666f6f" },
		{ "foob", "666f6f62" }, { "fooba", "666f6f6261" },
		{ "foobar", "666f6f626172" },
	};
	uint8_t out[8];
	char hex[16];
	struct buf b;
	size_t i, n;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		n = strlen(v[i][0]);
		hex_encode((const uint8_t *)v[i][0], n, hex);
		CHECK_STR(hex, v[i][1]);
		buf_init(&b);
		buf_puts(&b, "x");
		hex_put(&b, (const uint8_t *)v[i][0], n);
		CHECK_EQ(b.len, 1 + 2 * n);
		CHECK(strcmp((char *)b.data + 1, v[i][1]) == 0);
		buf_clear(&b);
		CHECK_EQ(hex_decode(v[i][1], 2 * n, out, n), 0);
		CHECK_MEM(out, v[i][0], n);
	}
	/* Upper case in, lower case out. */
	CHECK_EQ(hex_decode("DEADbeef", 8, out, 4), 0);
	hex_encode(out, 4, hex);
	CHECK_STR(hex, "deadbeef");
}

static void
test_strict(void)
{
	uint8_t out[4];

	CHECK_EQ(hex_decode("abc", 3, out, 2), -1);	/* odd */
	CHECK_EQ(hex_decode("abcd", 4, out, 1), -1);	/* too long */
	CHECK_EQ(hex_decode("ab", 2, out, 2), -1);	/* too short */
	CHECK_EQ(hex_decode("ag", 2, out, 1), -1);
	CHECK_EQ(hex_decode("a b ", 4, out, 2), -1);	/* Nettle skips these */
	CHECK_EQ(hex_decode("0x", 2, out, 1), -1);
	CHECK_EQ(hex_digit('F'), 15);
	CHECK_EQ(hex_digit('/'), -1);
	CHECK_EQ(hex_digit(':'), -1);
	CHECK_EQ(hex_digit('G'), -1);
	CHECK_EQ(hex_digit('`'), -1);
}

static void
test_serial(void)
{
	static const uint8_t s1[] = { 0x00, 0x8f, 0x01 }, s2[] = { 0x00 },
	    s3[] = { 0x00, 0x00, 0x05 }, s4[] = { 0x7f, 0xff };
	char out[8];

	hex_serial(s1, sizeof s1, out, sizeof out);
	CHECK_STR(out, "8f01");		/* the sign byte goes */
	hex_serial(s2, sizeof s2, out, sizeof out);
	CHECK_STR(out, "00");		/* zero keeps one byte */
	hex_serial(s3, sizeof s3, out, sizeof out);
	CHECK_STR(out, "05");
	hex_serial(s4, sizeof s4, out, sizeof out);
	CHECK_STR(out, "7fff");
	hex_serial(s4, sizeof s4, out, 4);	/* room for one byte */
	CHECK_STR(out, "7f");
	hex_serial(s4, sizeof s4, out, 2);
	CHECK_STR(out, "");
}

int
main(void)
{
	test_vectors();
	test_strict();
	test_serial();
	return test_done();
}
