/* der-test.c — the DER reader's rejections (exact message and offset), its
 * accept side, and the two-pass writer against known encodings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asn1/der.h"
#include "testlib.h"

static struct der D;
static struct err E;
static uint8_t *B;
static size_t N;

/* A reader over hex test data; the buffer lives until the next call. */
static struct der *
in(const char *hex)
{
	free(B);
	B = test_hex(hex, &N);
	err_clear(&E);
	der_init(&D, B, N, &E);
	return &D;
}

static struct der *
in_bytes(const uint8_t *p, size_t n)
{
	free(B);
	B = malloc(n ? n : 1);
	if (B == NULL)
		abort();
	memcpy(B, p, n);
	N = n;
	err_clear(&E);
	der_init(&D, B, n, &E);
	return &D;
}

static void
test_lengths(void)
{
	struct der_tlv t;
	uint8_t *big;
	size_t i;

	CHECK_ERR(der_next(in("30 80 02 01 00 00 00"), &t), &E,
	    "offset 0x0: indefinite length");
	CHECK_EQ(E.kind, ERR_INPUT);
	CHECK_ERR(der_next(in("04 81 05 01 02 03 04 05"), &t), &E,
	    "offset 0x0: non-minimal length");
	big = calloc(1, 130);
	if (big == NULL)
		abort();
	memcpy(big, "\x04\x81\x7f", 3);
	CHECK_ERR(der_next(in_bytes(big, 130), &t), &E,
	    "offset 0x0: non-minimal length");
	free(big);
	CHECK_ERR(der_next(in("04 82 00 80"), &t), &E,
	    "offset 0x0: non-minimal length");
	CHECK_ERR(der_next(in("04 82 00 ff"), &t), &E,
	    "offset 0x0: non-minimal length");
	CHECK_ERR(der_next(in("04 84 00 00 00 80"), &t), &E,
	    "offset 0x0: non-minimal length");
	CHECK_ERR(der_next(in("02 05 01 02"), &t), &E,
	    "offset 0x0: length runs past end of input");
	CHECK_ERR(der_next(in("02"), &t), &E,
	    "offset 0x0: length runs past end of input");
	CHECK_ERR(der_next(in("04 82 01"), &t), &E,
	    "offset 0x0: length runs past end of input");
	CHECK_ERR(der_next(in("04 84 80 00 00 01"), &t), &E,
	    "offset 0x0: length too large");
	CHECK_ERR(der_next(in("04 84 ff ff ff ff"), &t), &E,
	    "offset 0x0: length too large");
	CHECK_ERR(der_next(in("04 85 01 00 00 00 00"), &t), &E,
	    "offset 0x0: length too large");
	CHECK_ERR(der_next(in("04 ff"), &t), &E, "offset 0x0: length too large");
	CHECK_ERR(der_next(in("1f 81 00 00"), &t), &E,
	    "offset 0x0: multi-byte tag not supported");
	CHECK_ERR(der_next(in("05 00 bf 20 00"), &t) == 0 ?
	    der_next(&D, &t) : 0, &E,
	    "offset 0x2: multi-byte tag not supported");
	CHECK_ERR(der_next(in(""), &t), &E, "offset 0x0: unexpected end of input");

	/* The enclosing element's name is used when it is known. */
	{
		struct der s;

		CHECK_EQ(der_enter(in("30 03 02 05 00"), DER_SEQUENCE,
		    "tbsCertificate", &s), 0);
		CHECK_ERR(der_next(&s, &t), &E,
		    "offset 0x2: length runs past end of tbsCertificate");
		/* The outer element itself is checked against the input. */
		CHECK_ERR(der_enter(in("30 04 02 01 00"), DER_SEQUENCE, "x",
		    &s), &E, "offset 0x0: length runs past end of input");
		/* Without a name the tag names it. */
		CHECK_EQ(der_next(in("30 03 02 05 00"), &t), 0);
		der_sub(&D, &t, &s);
		CHECK_ERR(der_next(&s, &t), &E,
		    "offset 0x2: length runs past end of SEQUENCE");
	}

	/* Long forms accepted at each size. */
	CHECK_EQ(der_next(in("04 81 80" "00000000000000000000000000000000"
	    "00000000000000000000000000000000" "00000000000000000000000000000000"
	    "00000000000000000000000000000000" "00000000000000000000000000000000"
	    "00000000000000000000000000000000" "00000000000000000000000000000000"
	    "00000000000000000000000000000000"), &t), 0);
	CHECK_EQ(t.len, 128);
	CHECK_EQ(t.hdrlen, 3);
	CHECK(t.val == B + 3);
	CHECK(!der_more(&D));
	for (i = 2; i <= 4; i++) {
		size_t len = (size_t)1 << (8 * (i - 1));

		big = calloc(1, len + 2 + i);
		if (big == NULL)
			abort();
		big[0] = DER_OCTET_STRING;
		big[1] = (uint8_t)(0x80 | i);
		big[2] = 0x01;
		CHECK_EQ(der_next(in_bytes(big, len + 2 + i), &t), 0);
		CHECK_EQ(t.len, len);
		CHECK_EQ(t.hdrlen, 2 + i);
		CHECK_EQ(D.pos, len + 2 + i);
		/* One byte short. */
		CHECK_ERR(der_next(in_bytes(big, len + 1 + i), &t), &E,
		    "offset 0x0: length runs past end of input");
		free(big);
	}
}

static void
test_nesting(void)
{
	struct der cur[30];
	uint8_t buf[64];
	int i, r;

	/* 26 nested SEQUENCEs; the innermost is empty. */
	for (i = 0; i < 26; i++) {
		buf[2 * i] = DER_SEQUENCE;
		buf[2 * i + 1] = (uint8_t)(2 * (25 - i));
	}
	in_bytes(buf, 52);
	cur[0] = D;
	for (i = 0; i < 24; i++) {
		r = der_enter(&cur[i], DER_SEQUENCE, "level", &cur[i + 1]);
		CHECK_EQ(r, 0);
		CHECK_EQ(cur[i + 1].depth, (unsigned)i + 1);
	}
	CHECK_ERR(der_enter(&cur[24], DER_SEQUENCE, "level", &cur[25]), &E,
	    "offset 0x30: nesting deeper than 24");

	/* 24 levels are fine all the way down and back. */
	in_bytes(buf + 4, 48);
	cur[0] = D;
	for (i = 0; i < 24; i++)
		CHECK_EQ(der_enter(&cur[i], DER_SEQUENCE, NULL, &cur[i + 1]), 0);
	for (i = 24; i > 0; i--)
		CHECK_EQ(der_finish(&cur[i], NULL), 0);
	CHECK_EQ(der_finish(&cur[0], NULL), 0);
}

static void
test_tags(void)
{
	struct der_tlv t;
	struct der s, o;

	CHECK_ERR(der_get(in("04 00"), DER_INTEGER, "serialNumber", &t), &E,
	    "offset 0x0: expected INTEGER (serialNumber), found 0x04");
	/* A failed der_get leaves the cursor where it was. */
	CHECK_EQ(D.pos, 0);
	CHECK_ERR(der_enter(in("31 00"), DER_SEQUENCE, "Name", &s), &E,
	    "offset 0x0: expected SEQUENCE (Name), found 0x31");
	CHECK_ERR(der_get(in(""), DER_INTEGER, "version", &t), &E,
	    "offset 0x0: expected INTEGER (version), found end of input");
	CHECK_ERR(der_get(in("02 01 00"), DER_CTX_CONS(3), "extensions", &t),
	    &E, "offset 0x0: expected [3] (extensions), found 0x02");

	/* Enter narrows; finish catches what is left over. */
	CHECK_EQ(der_enter(in("30 07 02 01 05 04 00 05 00 01 01 ff"),
	    DER_SEQUENCE, "tbs", &s), 0);
	CHECK_EQ(D.pos, 9);
	CHECK_EQ(s.pos, 2);
	CHECK_EQ(s.end, 9);
	CHECK_EQ(der_peek(&s), DER_INTEGER);
	CHECK_EQ(der_get(&s, DER_INTEGER, "a", &t), 0);
	CHECK_EQ(t.off, 2);
	CHECK_EQ(t.len, 1);
	CHECK_EQ(t.val[0], 5);
	CHECK_ERR(der_finish(&s, "tbs"), &E,
	    "offset 0x5: 4 bytes left over at end of tbs");
	CHECK_ERR(der_finish(&s, NULL), &E,
	    "offset 0x5: 4 bytes left over at end of tbs");
	CHECK_EQ(der_next(&s, &t), 0);
	CHECK_EQ(der_get_null(&s, "params"), 0);
	CHECK(!der_more(&s));
	CHECK_EQ(der_peek(&s), -1);
	CHECK_EQ(der_finish(&s, "tbs"), 0);
	/* The outer cursor goes on after the SEQUENCE. */
	CHECK_EQ(der_peek(&D), DER_BOOLEAN);
	CHECK_ERR(der_finish(&D, NULL), &E,
	    "offset 0x9: 3 bytes left over at end of input");

	/* der_opt: present, absent (other tag), absent (end), broken. */
	CHECK_EQ(der_opt(in("a0 03 02 01 02 02 01 07"), DER_CTX_CONS(0),
	    "version", &t), 1);
	CHECK_EQ(t.len, 3);
	CHECK_EQ(der_opt(&D, DER_CTX_CONS(0), "version", &t), 0);
	CHECK_EQ(D.pos, 5);
	CHECK_EQ(der_get(&D, DER_INTEGER, "serial", &t), 0);
	CHECK_EQ(der_opt(&D, DER_CTX_CONS(0), "version", &t), 0);
	CHECK_EQ(der_opt(in("a0 05 02 01 02"), DER_CTX_CONS(0), "version", &t),
	    -1);
	CHECK(strstr(E.msg, "offset 0x0: length runs past end of input") != NULL);

	/* der_sub over an OCTET STRING holding DER (an extension value). */
	CHECK_EQ(der_next(in("30 08 04 06 30 04 01 01 ff 00"), &t), 0);
	der_sub(&D, &t, &o);
	CHECK_EQ(der_get(&o, DER_OCTET_STRING, "extnValue", &t), 0);
	der_sub(&o, &t, &s);
	CHECK_EQ(s.depth, 2);
	CHECK_EQ(der_enter(&s, DER_SEQUENCE, "BasicConstraints", &o), 0);
	CHECK_ERR(der_next(&o, &t) == 0 ? der_finish(&o, NULL) : 0, &E,
	    "offset 0x9: 1 bytes left over at end of BasicConstraints");
}

static void
test_integers(void)
{
	struct der_tlv t;
	long v;
	mpz_t x;

	mpz_init(x);
	CHECK_ERR(der_get_int(in("02 02 00 7f"), "serial", &t), &E,
	    "offset 0x0: non-minimal INTEGER");
	CHECK_ERR(der_get_int(in("02 02 ff 80"), "serial", &t), &E,
	    "offset 0x0: non-minimal INTEGER");
	CHECK_ERR(der_get_int(in("02 00"), "serial", &t), &E,
	    "offset 0x0: empty INTEGER");
	CHECK_EQ(der_get_int(in("02 02 00 80"), "serial", &t), 0);
	CHECK_EQ(der_get_int(in("02 02 ff 7f"), "serial", &t), 0);
	CHECK_EQ(der_get_int(in("02 01 ff"), "serial", &t), 0);
	CHECK_EQ(der_get_int(in("02 01 00"), "serial", &t), 0);

	CHECK_EQ(der_get_small(in("02 01 00"), "version", 2, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(der_get_small(in("02 01 02"), "version", 2, &v), 0);
	CHECK_EQ(v, 2);
	CHECK_EQ(der_get_small(in("02 03 00 ff ff"), "n", 65535, &v), 0);
	CHECK_EQ(v, 65535);
	CHECK_EQ(der_get_small(in("02 04 7f ff ff ff"), "n", 0x7fffffffL, &v),
	    0);
	CHECK_EQ(v, 0x7fffffffL);
	CHECK_ERR(der_get_small(in("02 01 03"), "version", 2, &v), &E,
	    "offset 0x0: INTEGER too large (version)");
	CHECK_ERR(der_get_small(in("02 01 ff"), "version", 2, &v), &E,
	    "offset 0x0: negative INTEGER (version)");
	CHECK_ERR(der_get_small(in("02 09 01 00 00 00 00 00 00 00 00"),
	    "pathLen", 100, &v), &E, "offset 0x0: INTEGER too large (pathLen)");
	CHECK_ERR(der_get_small(in("02 09 00 ff ff ff ff ff ff ff ff"),
	    "pathLen", 100, &v), &E, "offset 0x0: INTEGER too large (pathLen)");
	CHECK_ERR(der_get_small(in("02 02 00 01"), "v", 10, &v), &E,
	    "offset 0x0: non-minimal INTEGER");

	CHECK_EQ(der_get_mpz(in("02 03 01 00 01"), "e", 32, x), 0);
	CHECK_EQ(mpz_get_ui(x), 65537);
	CHECK_EQ(der_get_mpz(in("02 01 00"), "e", 1, x), 0);
	CHECK_EQ(mpz_sgn(x), 0);
	/* 0x80 needs a sign byte and is 8 bits. */
	CHECK_EQ(der_get_mpz(in("02 02 00 80"), "n", 8, x), 0);
	CHECK_EQ(mpz_get_ui(x), 128);
	CHECK_ERR(der_get_mpz(in("02 02 00 80"), "n", 7, x), &E,
	    "offset 0x0: INTEGER too large (n)");
	CHECK_ERR(der_get_mpz(in("02 03 01 00 01"), "e", 16, x), &E,
	    "offset 0x0: INTEGER too large (e)");
	CHECK_EQ(der_get_mpz(in("02 03 01 00 01"), "e", 17, x), 0);
	CHECK_ERR(der_get_mpz(in("02 01 80"), "n", 2048, x), &E,
	    "offset 0x0: negative INTEGER (n)");
	CHECK_ERR(der_get_mpz(in("02 02 00 01"), "n", 2048, x), &E,
	    "offset 0x0: non-minimal INTEGER");
	mpz_clear(x);
}

static void
test_primitives(void)
{
	struct der_tlv t;
	const uint8_t *p;
	size_t len;
	unsigned unused;
	int b;

	CHECK_EQ(der_get_bool(in("01 01 ff"), "cA", &b), 0);
	CHECK_EQ(b, 1);
	CHECK_EQ(der_get_bool(in("01 01 00"), "cA", &b), 0);
	CHECK_EQ(b, 0);
	CHECK_ERR(der_get_bool(in("01 01 01"), "cA", &b), &E,
	    "offset 0x0: BOOLEAN not 0x00 or 0xff");
	CHECK_ERR(der_get_bool(in("01 02 ff ff"), "cA", &b), &E,
	    "offset 0x0: BOOLEAN not 0x00 or 0xff");
	CHECK_ERR(der_get_bool(in("01 00"), "cA", &b), &E,
	    "offset 0x0: BOOLEAN not 0x00 or 0xff");

	CHECK_EQ(der_get_null(in("05 00"), "params"), 0);
	CHECK_ERR(der_get_null(in("05 01 00"), "params"), &E,
	    "offset 0x0: NULL with contents");

	CHECK_EQ(der_get_bits(in("03 01 00"), "ku", &p, &len, &unused), 0);
	CHECK_EQ(len, 0);
	CHECK_EQ(der_get_bits(in("03 02 05 a0"), "ku", &p, &len, &unused), 0);
	CHECK_EQ(len, 1);
	CHECK_EQ(unused, 5);
	CHECK_EQ(p[0], 0xa0);
	CHECK_ERR(der_get_bits(in("03 00"), "ku", &p, &len, &unused), &E,
	    "offset 0x0: bad unused-bits count");
	CHECK_ERR(der_get_bits(in("03 02 08 00"), "ku", &p, &len, &unused), &E,
	    "offset 0x0: bad unused-bits count");
	CHECK_ERR(der_get_bits(in("03 01 01"), "ku", &p, &len, &unused), &E,
	    "offset 0x0: bad unused-bits count");
	CHECK_ERR(der_get_bits(in("03 02 01 01"), "ku", &p, &len, &unused), &E,
	    "offset 0x0: unused bits not zero");
	CHECK_ERR(der_get_bits(in("03 03 07 00 c0"), "ku", &p, &len, &unused),
	    &E, "offset 0x0: unused bits not zero");

	CHECK_EQ(der_get_oid(in("06 03 55 04 03"), "type", &t), 0);
	CHECK_EQ(oid_find(t.val, t.len), OID_CN);
	CHECK_ERR(der_get_oid(in("06 00"), "type", &t), &E,
	    "offset 0x0: malformed OID");
	CHECK_ERR(der_get_oid(in("06 02 80 01"), "type", &t), &E,
	    "offset 0x0: malformed OID");
	CHECK_ERR(der_get_oid(in("06 03 55 04 83"), "type", &t), &E,
	    "offset 0x0: malformed OID");
	CHECK_ERR(der_get_oid(in("06 03 55 80 03"), "type", &t), &E,
	    "offset 0x0: malformed OID");
}

/* Reads one time element from a string. */
static int
get_time(unsigned tag, const char *s, int64_t *t)
{
	uint8_t buf[64];
	size_t n = strlen(s);

	buf[0] = (uint8_t)tag;
	buf[1] = (uint8_t)n;
	memcpy(buf + 2, s, n);
	in_bytes(buf, n + 2);
	return der_get_time(&D, "notBefore", t);
}

static void
test_time(void)
{
	struct der_tlv tlv;
	struct tm tm;
	int64_t t;
	char s[32];
	int i;

	CHECK_EQ(get_time(DER_UTCTIME, "700101000000Z", &t), 0);
	CHECK_EQ(t, 0);
	CHECK_EQ(get_time(DER_UTCTIME, "491231235959Z", &t), 0);
	CHECK_EQ(t, 2524607999LL);	/* 2049-12-31T23:59:59Z */
	CHECK_EQ(get_time(DER_UTCTIME, "500101000000Z", &t), 0);
	CHECK_EQ(t, -631152000LL);	/* 1950-01-01 */
	CHECK_EQ(get_time(DER_UTCTIME, "240229120000Z", &t), 0);
	CHECK_EQ(t, 1709208000LL);	/* 2024-02-29T12:00:00Z */
	CHECK_EQ(get_time(DER_UTCTIME, "000229000000Z", &t), 0);
	CHECK_EQ(t, 951782400LL);	/* 2000 is a leap year */
	CHECK_ERR(get_time(DER_UTCTIME, "230229000000Z", &t), &E,
	    "offset 0x0: bad UTCTime (notBefore): day out of range");
	CHECK_EQ(get_time(DER_GENERALIZEDTIME, "20500101000000Z", &t), 0);
	CHECK_EQ(t, 2524608000LL);
	CHECK_EQ(get_time(DER_GENERALIZEDTIME, "99991231235959Z", &t), 0);
	CHECK_EQ(t, 253402300799LL);
	CHECK_EQ(get_time(DER_GENERALIZEDTIME, "19691231235959Z", &t), 0);
	CHECK_EQ(t, -1);
	CHECK_ERR(get_time(DER_GENERALIZEDTIME, "21000229000000Z", &t), &E,
	    "bad GeneralizedTime (notBefore): day out of range");
	CHECK_EQ(get_time(DER_GENERALIZEDTIME, "24000229000000Z", &t), 0);

	CHECK_ERR(get_time(DER_UTCTIME, "491331235959Z", &t), &E,
	    "offset 0x0: bad UTCTime (notBefore): month out of range");
	CHECK_ERR(get_time(DER_UTCTIME, "490031235959Z", &t), &E,
	    "month out of range");
	CHECK_ERR(get_time(DER_UTCTIME, "490100235959Z", &t), &E,
	    "day out of range");
	CHECK_ERR(get_time(DER_UTCTIME, "490431235959Z", &t), &E,
	    "day out of range");
	CHECK_ERR(get_time(DER_UTCTIME, "491231245959Z", &t), &E,
	    "hour out of range");
	CHECK_ERR(get_time(DER_UTCTIME, "491231236059Z", &t), &E,
	    "minute out of range");
	CHECK_ERR(get_time(DER_UTCTIME, "491231235960Z", &t), &E,
	    "second out of range");
	CHECK_ERR(get_time(DER_UTCTIME, "4912312359Z", &t), &E,
	    "bad UTCTime (notBefore): wrong length");
	CHECK_ERR(get_time(DER_UTCTIME, "491231235959+0000", &t), &E,
	    "bad UTCTime");
	CHECK_ERR(get_time(DER_UTCTIME, "4912312359590", &t), &E,
	    "not ending in Z");
	CHECK_ERR(get_time(DER_UTCTIME, "491231235959z", &t), &E,
	    "not ending in Z");
	CHECK_ERR(get_time(DER_UTCTIME, "4912312359 9Z", &t), &E,
	    "not a digit");
	CHECK_ERR(get_time(DER_UTCTIME, "-91231235959Z", &t), &E,
	    "not a digit");
	CHECK_ERR(get_time(DER_GENERALIZEDTIME, "20500101000000.5Z", &t), &E,
	    "bad GeneralizedTime (notBefore): wrong length");
	CHECK_ERR(get_time(DER_GENERALIZEDTIME, "205001010000Z", &t), &E,
	    "bad GeneralizedTime");
	CHECK_ERR(get_time(DER_GENERALIZEDTIME, "205001010000000", &t), &E,
	    "not ending in Z");
	CHECK_ERR(get_time(DER_OCTET_STRING, "205001010000000", &t), &E,
	    "offset 0x0: expected Time (notBefore), found 0x04");

	/* der_parse_time on an element already read. */
	CHECK_EQ(der_next(in("17 0d 3730303130313030303030315a"), &tlv), 0);
	CHECK_EQ(der_parse_time(&D, &tlv, &t), 0);
	CHECK_EQ(t, 1);
	CHECK_EQ(der_next(in("02 01 00"), &tlv), 0);
	CHECK_ERR(der_parse_time(&D, &tlv, &t), &E, "expected Time");
	CHECK_EQ(der_next(in("17 0d 3730313330313030303030315a"), &tlv), 0);
	CHECK_ERR(der_parse_time(&D, &tlv, &t), &E,
	    "offset 0x0: bad UTCTime: month out of range");

	/* Against the C library over many dates (timegm as the oracle). */
	for (i = 0; i < 2000; i++) {
		time_t tt = (time_t)((int64_t)i * 126230400 / 2000 * 100 +
		    (int64_t)i * 7919 - 2208988800LL);	/* 1900..~2300 */

		gmtime_r(&tt, &tm);
		snprintf(s, sizeof s, "%04d%02d%02d%02d%02d%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		if (get_time(DER_GENERALIZEDTIME, s, &t) != 0 ||
		    t != (int64_t)tt) {
			test_fail(__FILE__, __LINE__, "%s -> %lld, want %lld",
			    s, (long long)t, (long long)tt);
			break;
		}
	}
}

/* ---- writer ---- */

struct enc_case {
	const char *name;
	der_encode_fn *fn;
	const char *hex;
};

static void
enc_small(struct derw *w, const void *arg)
{
	derw_small(w, 0);
	derw_small(w, 127);
	derw_small(w, 128);
	derw_small(w, 256);
	derw_small(w, 65537);
}

static void
enc_uint(struct derw *w, const void *arg)
{
	static const uint8_t a[] = { 0x00, 0x00, 0x7f, 0x01 };
	static const uint8_t b[] = { 0x00, 0x80 };
	static const uint8_t z[] = { 0x00, 0x00 };

	derw_uint(w, a, sizeof a);
	derw_uint(w, b, sizeof b);
	derw_uint(w, z, sizeof z);
	derw_uint(w, z, 0);
}

static void
enc_mpz(struct derw *w, const void *arg)
{
	mpz_t x;

	mpz_init_set_ui(x, 0);
	derw_mpz(w, x);
	mpz_set_ui(x, 0x7f);
	derw_mpz(w, x);
	mpz_set_ui(x, 0x80);
	derw_mpz(w, x);
	mpz_setbit(x, 64);
	derw_mpz(w, x);
	mpz_clear(x);
}

static void
enc_misc(struct derw *w, const void *arg)
{
	static const uint8_t bits[] = { 0xde, 0xad, 0xb0 };

	derw_begin(w, DER_SEQUENCE);
	derw_bool(w, 1);
	derw_bool(w, 0);
	derw_null(w);
	derw_oid(w, OID_CN);
	derw_oid(w, OID_SHA256_WITH_RSA);
	derw_bits(w, bits, sizeof bits, 4);
	derw_string(w, DER_PRINTABLESTRING, "seed");
	derw_tlv(w, DER_OCTET_STRING, "", 0);
	derw_end(w);
}

static void
enc_named(struct derw *w, const void *arg)
{
	derw_named_bits(w, 0, 9);
	derw_named_bits(w, 1u << 0, 9);			/* digitalSignature */
	derw_named_bits(w, (1u << 0) | (1u << 2), 9);	/* + keyEncipherment */
	derw_named_bits(w, (1u << 5) | (1u << 6), 9);	/* keyCertSign|cRLSign */
	derw_named_bits(w, 1u << 7, 9);
	derw_named_bits(w, 1u << 8, 9);			/* decipherOnly */
	derw_named_bits(w, 1u << 9, 9);			/* outside nbits */
}

static void
enc_time(struct derw *w, const void *arg)
{
	derw_time(w, 0);
	derw_time(w, 2524607999LL);	/* 2049-12-31T23:59:59 */
	derw_time(w, 2524608000LL);	/* 2050-01-01 */
	derw_time(w, -631152000LL);	/* 1950-01-01 */
	derw_time(w, -631152001LL);	/* 1949-12-31T23:59:59 */
}

static void
enc_wrappers(struct derw *w, const void *arg)
{
	derw_begin(w, DER_OCTET_STRING);
	derw_begin(w, DER_SEQUENCE);
	derw_end(w);
	derw_end(w);
	derw_begin(w, DER_BIT_STRING);
	derw_small(w, 5);
	derw_end(w);
	derw_begin(w, DER_CTX_CONS(3));
	derw_raw(w, "\x05\x00", 2);
	derw_end(w);
	derw_tlv(w, DER_CTX(2), "ab", 2);
}

static void
enc_empty(struct derw *w, const void *arg)
{
}

static const struct enc_case enc_cases[] = {
	{ "small", enc_small,
	    "020100 02017f 02020080 02020100 0203010001" },
	{ "uint", enc_uint, "02027f01 02020080 020100 020100" },
	{ "mpz", enc_mpz,
	    "020100 02017f 02020080 0209 010000000000000080" },
	{ "misc", enc_misc,
	    "3026 0101ff 010100 0500 0603550403 06092a864886f70d01010b"
	    " 030404deadb0 130473656564 0400" },
	{ "named", enc_named,
	    "030100 03020780 030205a0 03020106 03020001 0303070080 030100" },
	{ "time", enc_time,
	    "170d 3730303130313030303030305a"
	    "170d 3439313233313233353935395a"
	    "180f 32303530303130313030303030305a"
	    "170d 3530303130313030303030305a"
	    "180f 31393439313233313233353935395a" },
	{ "wrappers", enc_wrappers,
	    "0402 3000 0304 00 020105 a302 0500 8202 6162" },
	{ "empty", enc_empty, "" },
};

static void
test_writer_known(void)
{
	struct err e;
	uint8_t *want, *got;
	size_t wn, gn, i;

	for (i = 0; i < sizeof enc_cases / sizeof enc_cases[0]; i++) {
		want = test_hex(enc_cases[i].hex, &wn);
		got = der_encode(enc_cases[i].fn, NULL, &gn, &e);
		CHECK(got != NULL);
		if (got == NULL) {
			test_fail(__FILE__, __LINE__, "%s: %s",
			    enc_cases[i].name, e.msg);
			free(want);
			continue;
		}
		CHECK_EQ(gn, wn);
		if (gn == wn)
			CHECK_MEM(got, want, wn);
		if (gn != wn || memcmp(got, want, wn) != 0)
			test_fail(__FILE__, __LINE__, "case %s differs",
			    enc_cases[i].name);
		free(got);
		free(want);
	}
}

/* SEQUENCE { OCTET STRING (200), SEQUENCE { OCTET STRING (300) },
 * [0] { } } : lengths of one and two bytes in the same encoding. */
static void
enc_nested(struct derw *w, const void *arg)
{
	static uint8_t a[200], b[300];

	memset(a, 0xaa, sizeof a);
	memset(b, 0xbb, sizeof b);
	derw_begin(w, DER_SEQUENCE);
	derw_tlv(w, DER_OCTET_STRING, a, sizeof a);
	derw_begin(w, DER_SEQUENCE);
	derw_tlv(w, DER_OCTET_STRING, b, sizeof b);
	derw_end(w);
	derw_begin(w, DER_CTX_CONS(0));
	derw_end(w);
	derw_end(w);
}

static void
test_writer_nested(void)
{
	struct der s, s2, s3;
	struct der_tlv t;
	struct err e;
	uint8_t *p;
	size_t n;

	p = der_encode(enc_nested, NULL, &n, &e);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	/* 30 82 0201 | 04 81 c8 ... | 30 82 0130 04 82 012c ... | a0 00 */
	CHECK_EQ(n, 4 + 3 + 200 + 4 + 4 + 300 + 2);
	CHECK_MEM(p, "\x30\x82\x02\x01\x04\x81\xc8\xaa", 8);
	CHECK_MEM(p + 207, "\x30\x82\x01\x30\x04\x82\x01\x2c\xbb", 9);
	CHECK_MEM(p + n - 3, "\xbb\xa0\x00", 3);
	in_bytes(p, n);
	CHECK_EQ(der_enter(&D, DER_SEQUENCE, "outer", &s), 0);
	CHECK_EQ(der_get(&s, DER_OCTET_STRING, "a", &t), 0);
	CHECK_EQ(t.len, 200);
	CHECK_EQ(der_enter(&s, DER_SEQUENCE, "inner", &s2), 0);
	CHECK_EQ(der_get(&s2, DER_OCTET_STRING, "b", &t), 0);
	CHECK_EQ(t.len, 300);
	CHECK_EQ(der_finish(&s2, NULL), 0);
	CHECK_EQ(der_enter(&s, DER_CTX_CONS(0), "c", &s3), 0);
	CHECK_EQ(der_finish(&s3, NULL), 0);
	CHECK_EQ(der_finish(&s, NULL), 0);
	CHECK_EQ(der_finish(&D, NULL), 0);
	free(p);
}

static void
enc_unstable(struct derw *w, const void *arg)
{
	static int calls;

	derw_begin(w, DER_SEQUENCE);
	if (calls++ % 2 == 1)
		derw_null(w);
	derw_end(w);
}

static void
enc_unstable_flat(struct derw *w, const void *arg)
{
	static int calls;

	if (calls++ % 2 == 1)
		derw_null(w);
}

static void
enc_fails(struct derw *w, const void *arg)
{
	derw_begin(w, DER_SEQUENCE);
	derw_fail(w, "serial of %d bytes is too long", 21);
	derw_small(w, 1);
	derw_end(w);
}

static void
enc_negative(struct derw *w, const void *arg)
{
	derw_small(w, -1);
}

static void
enc_unbalanced(struct derw *w, const void *arg)
{
	derw_begin(w, DER_SEQUENCE);
}

static void
enc_extra_end(struct derw *w, const void *arg)
{
	derw_end(w);
}

static void
enc_badbits(struct derw *w, const void *arg)
{
	derw_bits(w, (const uint8_t *)"\x01", 1, 1);
}

static void
enc_badoid(struct derw *w, const void *arg)
{
	derw_oid(w, OID__COUNT);
}

static void
test_writer_errors(void)
{
	struct err e;
	size_t n;

	err_clear(&e);
	CHECK(der_encode(enc_unstable, NULL, &n, &e) == NULL);
	CHECK(strstr(e.msg, "encoder is not deterministic") != NULL);
	CHECK(der_encode(enc_unstable_flat, NULL, &n, &e) == NULL);
	CHECK(strstr(e.msg, "encoder is not deterministic") != NULL);
	CHECK(der_encode(enc_fails, NULL, &n, &e) == NULL);
	CHECK(strstr(e.msg, "serial of 21 bytes is too long") != NULL);
	CHECK_EQ(e.kind, ERR_USAGE);
	CHECK(der_encode(enc_negative, NULL, &n, &e) == NULL);
	CHECK(strstr(e.msg, "negative INTEGER") != NULL);
	CHECK(der_encode(enc_unbalanced, NULL, &n, &e) == NULL);
	CHECK(strstr(e.msg, "derw_begin without derw_end") != NULL);
	CHECK(der_encode(enc_extra_end, NULL, &n, &e) == NULL);
	CHECK(strstr(e.msg, "derw_end without derw_begin") != NULL);
	CHECK(der_encode(enc_badbits, NULL, &n, &e) == NULL);
	CHECK(strstr(e.msg, "bad BIT STRING") != NULL);
	CHECK(der_encode(enc_badoid, NULL, &n, &e) == NULL);
	CHECK(strstr(e.msg, "unknown OID") != NULL);
}

/* ---- round trips ---- */

struct rt {
	long small;
	mpz_t big;
	int64_t t;
	uint32_t bits;
};

static void
enc_rt(struct derw *w, const void *arg)
{
	const struct rt *r = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_small(w, r->small);
	derw_mpz(w, r->big);
	derw_time(w, r->t);
	derw_named_bits(w, r->bits, 9);
	derw_end(w);
}

static void
test_roundtrip(void)
{
	struct rt r;
	struct der s;
	struct err e;
	const uint8_t *bp;
	uint8_t *p;
	size_t n, bl;
	unsigned unused, i, k;
	uint32_t got;
	int64_t t;
	long v;
	mpz_t x;
	gmp_randstate_t rs;
	int ok;

	mpz_init(r.big);
	mpz_init(x);
	gmp_randinit_default(rs);
	gmp_randseed_ui(rs, 42);
	for (i = 0; i < 600; i++) {
		r.small = i < 31 ? 1L << i : i == 31 ? 0x7fffffffL :
		    i == 32 ? 0 : (long)(i * 2654435761u % 0x7fffffff);
		mpz_urandomb(r.big, rs, i * 7 % 4100);
		r.t = (int64_t)i * 424242424LL - 62135596800LL;	/* from 0001 */
		if (i == 1)
			r.t = 253402300799LL;
		r.bits = i % 512;
		ok = 1;
		p = der_encode(enc_rt, &r, &n, &e);
		if (p == NULL) {
			test_fail(__FILE__, __LINE__, "encode %u: %s", i, e.msg);
			continue;
		}
		in_bytes(p, n);
		free(p);
		ok &= der_enter(&D, DER_SEQUENCE, "rt", &s) == 0;
		ok &= der_get_small(&s, "small", 0x7fffffffL, &v) == 0 &&
		    v == r.small;
		ok &= der_get_mpz(&s, "big", 4100, x) == 0 &&
		    mpz_cmp(x, r.big) == 0;
		ok &= der_get_time(&s, "t", &t) == 0 && t == r.t;
		ok &= der_get_bits(&s, "bits", &bp, &bl, &unused) == 0;
		got = 0;
		for (k = 0; ok && k < bl * 8; k++)
			if (bp[k / 8] & (0x80 >> (k % 8)))
				got |= 1u << k;
		ok &= got == r.bits;
		/* Minimal: the last byte has a set bit at its last used bit. */
		ok &= bl == 0 || (bp[bl - 1] & (1u << unused)) != 0;
		ok &= der_finish(&s, NULL) == 0 && der_finish(&D, NULL) == 0;
		test_checks++;
		if (!ok)
			test_fail(__FILE__, __LINE__, "round trip %u: %s", i,
			    E.msg);
	}
	gmp_randclear(rs);
	mpz_clear(x);
	mpz_clear(r.big);
}

/* X.690 11.6: SET OF members ordered as octet strings, the shorter
 * padded with zeros (the DN and CMS writers both sort with it). */
static void
test_set_order(void)
{
	static const uint8_t a[] = { 0x31, 0x02 }, b[] = { 0x31, 0x02, 0x00 },
	    c[] = { 0x31, 0x02, 0x01 }, d[] = { 0x30, 0x09 };

	CHECK(derw_set_cmp(a, sizeof a, b, sizeof b) == 0);
	CHECK(derw_set_cmp(a, sizeof a, c, sizeof c) < 0);
	CHECK(derw_set_cmp(c, sizeof c, a, sizeof a) > 0);
	CHECK(derw_set_cmp(d, sizeof d, a, sizeof a) < 0);
	CHECK(derw_set_cmp(a, 0, a, 0) == 0);
}

int
main(void)
{
	test_lengths();
	test_nesting();
	test_tags();
	test_integers();
	test_primitives();
	test_time();
	test_writer_known();
	test_writer_nested();
	test_writer_errors();
	test_roundtrip();
	test_set_order();
	free(B);
	return test_done();
}
