/* b64-test.c — RFC 4648 section 10 vectors both ways, wrapping, and each
 * decoding error with its offset. */
#include <string.h>

#include "crypto/b64.h"
#include "testlib.h"

static void
test_vectors(void)
{
	static const char *v[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	struct buf b;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		buf_init(&b);
		b64_encode((const uint8_t *)v[i][0], strlen(v[i][0]), 0, &b);
		CHECK_EQ(b.len, strlen(v[i][1]));
		CHECK(b.len == 0 || strcmp((char *)b.data, v[i][1]) == 0);
		buf_clear(&b);
		CHECK_EQ(b64_decode(v[i][1], strlen(v[i][1]), &b, &e), 0);
		CHECK_EQ(b.len, strlen(v[i][0]));
		CHECK(b.len == 0 || memcmp(b.data, v[i][0], b.len) == 0);
		buf_clear(&b);
	}
}

static void
test_wrap(void)
{
	uint8_t in[96];
	struct buf b, d;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)(i * 37 + 1);
	/* 48 bytes are exactly one 64-column line. */
	buf_init(&b);
	b64_encode(in, 48, 1, &b);
	CHECK_EQ(b.len, 65);
	CHECK_EQ(b.data[64], '\n');
	buf_clear(&b);
	b64_encode(in, 49, 1, &b);
	CHECK_EQ(b.len, 65 + 5);
	CHECK_EQ(b.data[69], '\n');
	CHECK(memchr(b.data, '\n', 64) == NULL);
	buf_clear(&b);
	b64_encode(in, 0, 1, &b);
	CHECK_EQ(b.len, 0);
	b64_encode(in, sizeof in, 1, &b);
	CHECK_EQ(b.len, 130);
	/* Whitespace of every kind is skipped when decoding. */
	buf_putc(&b, ' ');
	buf_putc(&b, '\t');
	buf_puts(&b, "\r\n");
	buf_init(&d);
	CHECK_EQ(b64_decode((char *)b.data, b.len, &d, &e), 0);
	CHECK_EQ(d.len, sizeof in);
	CHECK_MEM(d.data, in, sizeof in);
	buf_clear(&d);
	CHECK_EQ(b64_decode(" Zm9v\r\nYmFy\t", 12, &d, &e), 0);
	CHECK_EQ(d.len, 6);
	CHECK_MEM(d.data, "foobar", 6);
	buf_clear(&d);
	CHECK_EQ(b64_decode("Zm\n9=", 5, &d, &e), -1);	/* bits not zero */
	buf_clear(&d);
	CHECK_EQ(b64_decode("Zm\n8=", 5, &d, &e), 0);
	CHECK_MEM(d.data, "fo", 2);
	buf_clear(&d);
	buf_clear(&b);
}

static void
test_errors(void)
{
	static const struct {
		const char *in;
		const char *msg;
	} v[] = {
		{ "Zm9v!mFy", "offset 4: invalid base64 character 0x21" },
		{ "Zm9v-_Fy", "offset 4: invalid base64 character 0x2d" },
		{ "Zm9\x80", "offset 3: invalid base64 character 0x80" },
		{ "Zm9vYmF", "offset 7: truncated base64" },
		{ "Z", "offset 1: truncated base64" },
		{ "Zg=", "offset 2: bad base64 padding" },
		{ "Z===", "offset 1: bad base64 padding" },
		{ "=Zg=", "offset 0: bad base64 padding" },
		{ "Zg=a", "offset 3: bad base64 padding" },
		{ "Zg==Zm8=", "offset 4: bad base64 padding" },
		{ "Zg== =", "offset 5: bad base64 padding" },
		{ "Zm8=Zg==", "offset 4: bad base64 padding" },
		{ "Zh==", "offset 3: bad base64 padding" },	/* nonzero bits */
		{ "Zm9=", "offset 3: bad base64 padding" },
	};
	struct buf b;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		buf_init(&b);
		err_clear(&e);
		CHECK_ERR(b64_decode(v[i].in, strlen(v[i].in), &b, &e), &e,
		    v[i].msg);
		CHECK_EQ(e.kind, ERR_INPUT);
		buf_clear(&b);
	}
	/* A NUL inside the input is a character like any other. */
	buf_init(&b);
	CHECK_ERR(b64_decode("Zm\0v", 4, &b, &e), &e,
	    "offset 2: invalid base64 character 0x00");
	buf_clear(&b);
	/* The _at form names no place and returns it instead. */
	{
		size_t where = 99;

		CHECK_ERR(b64_decode_at("Zm9v\nZm?v", 9, &b, &where, &e), &e,
		    "invalid base64 character 0x3f");
		CHECK_EQ(where, 7);
		CHECK(strncmp(e.msg, "invalid", 7) == 0);
		buf_clear(&b);
	}
}

int
main(void)
{
	test_vectors();
	test_wrap();
	test_errors();
	return test_done();
}
