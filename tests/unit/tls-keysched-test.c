/* tls-keysched-test — the TLS 1.3 key schedule against the RFC 8448
 * section 3 trace (Simple 1-RTT Handshake): x25519 shared secret,
 * handshake and master secrets, traffic secrets, keys and IVs, and both
 * Finished values from the trace's own messages. */
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "crypto/x25519.h"
#include "testlib.h"
#include "tls/internal.h"

static const char ch[] =
"010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7"
"000006130113031302010000910000000b0009000006736572766572ff01000100000a001400"
"12001d0017001800190100010101020103010400230000003300260024001d002099381de560"
"e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d0020"
"001e040305030603020308040805080604010501060102010402050206020202002d00020101"
"001c00024001";
static const char sh[] =
"020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928"
"00130100002e00330024001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1"
"dd69b1b04e751f0f002b00020304";
static const char ee[] =
"080000240022000a00140012001d00170018001901000101010201030104001c000240010000"
"0000";
static const char cert[] =
"0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d01"
"010b0500300e310c300a06035504031303727361301e170d3136303733303031323335395a17"
"0d3236303733303031323335395a300e310c300a0603550403130372736130819f300d06092a"
"864886f70d010101050003818d0030818902818100b4bb498f8279303d980836399b36c6988c"
"0c68de55e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced"
"43120998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0"
"461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f020301"
"0001a31a301830090603551d1304023000300b0603551d0f0404030205a0300d06092a864886"
"f70d01010b05000381810085aad2a0e5b9276b908c65f73a7267170618a54c5f8a7b337d2df7"
"a594365417f2eae8f8a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67"
"f2dbf102702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2"
"f759409ba3eac9d91d402dcc0cc8f8961229ac9187b42b4de10000";
static const char cv[] =
"0f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda8"
"477b0b7abc90db78e2d33a5c141a078653fa6bef780c5ea248eeaaa785c4f394cab6d30bbe8d"
"4859ee511f602957b15411ac027671459e46445c9ea58c181e818e95b8c3fb0bf3278409d3be"
"152a3da5043e063dda65cdf5aea20d53dfacd42f74f3";
static const char sfin[] =
"140000209b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718";

static struct sha256_ctx th;

static void
add(const char *hex)
{
	size_t n;
	uint8_t *m = test_hex(hex, &n);

	sha256_update(&th, n, m);
	free(m);
}

static void
thash(uint8_t out[32])
{
	struct sha256_ctx c = th;

	sha256_digest(&c, 32, out);
}

static void
check_hex(const uint8_t *got, const char *hex)
{
	size_t n;
	uint8_t *want = test_hex(hex, &n);

	CHECK_MEM(got, want, n);
	free(want);
}

int
main(void)
{
	uint8_t *cpriv, *spub, *spriv, *cpub, shared[32], hs[32], ms[32];
	uint8_t h[32], chs[32], shs[32], cap[32], sap[32], v[32];
	struct tls_dir d;
	struct err e;
	size_t n;

	cpriv = test_hex("49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb63"
	    "4540e7ea5005", &n);
	spub = test_hex("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69"
	    "b1b04e751f0f", &n);
	spriv = test_hex("b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d0583"
	    "08cea216a21e", &n);
	cpub = test_hex("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413"
	    "691e529aaf2c", &n);
	x25519_base(cpriv, v);
	CHECK_MEM(v, cpub, 32);
	CHECK(x25519_shared(cpriv, spub, shared, &e) == 0);
	check_hex(shared, "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd462"
	    "72900f89492d");
	CHECK(x25519_shared(spriv, cpub, v, &e) == 0);
	CHECK_MEM(v, shared, 32);

	keysched_handshake_secret(HASH_SHA256, NULL, 0, shared, 32, hs);
	check_hex(hs, "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca"
	    "043fbeac");
	sha256_init(&th);
	add(ch);
	add(sh);
	thash(h);
	check_hex(h, "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063c"
	    "f0e1cad8");
	keysched_derive(HASH_SHA256, hs, "c hs traffic", h, chs);
	keysched_derive(HASH_SHA256, hs, "s hs traffic", h, shs);
	check_hex(chs, "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e"
	    "27a55a21");
	check_hex(shs, "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59"
	    "d391ad38");
	memset(&d, 0, sizeof d);
	record_set_keys13(&d, suite_find(TLS_SUITE_AES128_GCM_SHA256), shs);
	check_hex(d.key, "3fce516009c21727d0f2e4e86ee403bc");
	check_hex(d.iv, "5d313eb2671276ee13000b30");
	record_set_keys13(&d, suite_find(TLS_SUITE_AES128_GCM_SHA256), chs);
	check_hex(d.key, "dbfaa693d1762c5b666af5d950258d01");
	check_hex(d.iv, "5bd3c71b836e0b76bb73265f");

	keysched_master_secret(HASH_SHA256, hs, ms);
	check_hex(ms, "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8"
	    "d0402919");
	add(ee);
	add(cert);
	add(cv);
	thash(h);
	keysched_finished(HASH_SHA256, shs, h, v);
	check_hex(v, "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454"
	    "b78f0718");
	add(sfin);
	thash(h);
	keysched_derive(HASH_SHA256, ms, "c ap traffic", h, cap);
	keysched_derive(HASH_SHA256, ms, "s ap traffic", h, sap);
	check_hex(cap, "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7"
	    "c17504a5");
	check_hex(sap, "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3f"
	    "cb631643");
	record_set_keys13(&d, suite_find(TLS_SUITE_AES128_GCM_SHA256), sap);
	check_hex(d.key, "9f02283b6c9c07efc26bb9f2ac92e356");
	check_hex(d.iv, "cf782b88dd83549aadf1e984");
	keysched_finished(HASH_SHA256, chs, h, v);
	check_hex(v, "a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2"
	    "edd5ce61");
	free(cpriv);
	free(spub);
	free(spriv);
	free(cpub);
	return test_done();
}
