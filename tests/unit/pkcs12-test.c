/* pkcs12-test.c — the PKCS#12 reader and writer: OpenSSL's default and
 * legacy files (tests/data/p12-*.p12, see its README) read back to the
 * fixture key and certificates; our writer's files read back; and broken
 * files refused with their exact errors: wrong passphrase (MAC), altered
 * content, truncation at every length, unknown bag type, unknown PBE
 * algorithm, iteration counts over the cap, nesting and bag limits. The
 * hand-built files carry a real MAC so that each error is the one after
 * the MAC check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "asn1/oid.h"
#include "crypto/hash.h"
#include "crypto/pbe.h"
#include "testcert.h"
#include "testlib.h"
#include "x509/pkcs12.h"
#include "x509/pkey.h"

#define PASS "secret"

static struct rsakey leaf_key;
static struct cert_list leaf_chain;	/* leaf, root */

static const struct pkcs12_bag *
find_bag(const struct pkcs12 *p, enum oid_id type, size_t nth)
{
	size_t i;

	for (i = 0; i < p->nbag; i++)
		if (p->bag[i].type == type && nth-- == 0)
			return &p->bag[i];
	return NULL;
}

/* What a file holding the fixture key, leaf and root must read as. */
static void
check_contents(const struct pkcs12 *p, const char *name)
{
	const struct pkcs12_bag *kb, *c0, *c1;
	struct rsakey k;
	struct err e;

	CHECK(p->mac_checked);
	CHECK_EQ(p->nbag, 3);
	kb = find_bag(p, OID_P12_SHROUDED_KEY_BAG, 0);
	c0 = find_bag(p, OID_P12_CERT_BAG, 0);
	c1 = find_bag(p, OID_P12_CERT_BAG, 1);
	CHECK(kb != NULL && c0 != NULL && c1 != NULL);
	if (kb == NULL || c0 == NULL || c1 == NULL)
		return;
	rsakey_init(&k);
	CHECK(kb->data != NULL);
	CHECK_EQ(pkey_decode(&k, kb->data, kb->len, NULL, 0, &e), 0);
	CHECK(k.has_private);
	CHECK(mpz_cmp(k.pub.n, leaf_key.pub.n) == 0);
	CHECK(mpz_cmp(k.priv.d, leaf_key.priv.d) == 0);
	rsakey_clear(&k);
	CHECK_STR(kb->friendly_name, name);
	CHECK_EQ(c0->len, leaf_chain.v[0].len);
	CHECK(c0->len == leaf_chain.v[0].len &&
	    memcmp(c0->data, leaf_chain.v[0].der, c0->len) == 0);
	CHECK(c1->len == leaf_chain.v[1].len &&
	    memcmp(c1->data, leaf_chain.v[1].der, c1->len) == 0);
	/* Key and leaf tied by the same localKeyID; the root has none. */
	CHECK(kb->key_id_len > 0 && kb->key_id_len == c0->key_id_len &&
	    memcmp(kb->key_id, c0->key_id, kb->key_id_len) == 0);
	CHECK_EQ(c1->key_id_len, 0);
	CHECK_STR(c0->friendly_name, name);
}

static void
test_openssl_files(void)
{
	static const char *files[] = { "tests/data/p12-openssl.p12",
	    "tests/data/p12-legacy.p12" };
	struct pkcs12 p;
	struct err e;
	uint8_t *der;
	size_t len, i;

	for (i = 0; i < 2; i++) {
		der = test_slurp(files[i], &len);
		pkcs12_init(&p);
		CHECK_EQ(pkcs12_parse(&p, der, len, PASS, strlen(PASS), &e), 0);
		check_contents(&p, "leaf");
		pkcs12_clear(&p);
		/* The wrong passphrase: the MAC says so, nothing opened. */
		CHECK_ERR(pkcs12_parse(&p, der, len, "Secret", 6, &e), &e,
		    "wrong passphrase (the PKCS#12 MAC does not match)");
		CHECK_EQ(e.kind, ERR_PASS);
		CHECK_EQ(p.nbag, 0);
		pkcs12_clear(&p);
		/* No passphrase: the structure and algorithms only. */
		CHECK_EQ(pkcs12_parse(&p, der, len, NULL, 0, &e), 0);
		CHECK_EQ(p.nsafe, 2);
		CHECK(p.safe[0].encrypted && !p.safe[0].opened);
		CHECK(!p.safe[1].encrypted && p.safe[1].opened);
		CHECK_EQ(p.nbag, 1);
		CHECK(p.bag[0].data == NULL);
		CHECK_STR(p.mac, i == 0 ? "HMAC-SHA256, 2048 iterations" :
		    "HMAC-SHA1, 2048 iterations");
		CHECK_STR(p.safe[0].prot, i == 0 ?
		    "PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), 2048 iterations" :
		    "pbeWithSHA1And40BitRC2-CBC (weak), 2048 iterations");
		CHECK_STR(p.bag[0].prot, i == 0 ?
		    "PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), 2048 iterations" :
		    "pbeWithSHA1And3-KeyTripleDES-CBC, 2048 iterations");
		pkcs12_clear(&p);
		free(der);
	}
}

/* Nothing encrypted and no MAC (`-keypbe NONE -certpbe NONE -nomac`):
 * read with or without a passphrase, the key in a plain keyBag. */
static void
test_plain_file(void)
{
	const struct pkcs12_bag *kb, *cb;
	struct pkcs12 p;
	struct rsakey k;
	struct err e;
	uint8_t *der;
	size_t len;

	der = test_slurp("tests/data/p12-plain.p12", &len);
	pkcs12_init(&p);
	CHECK_EQ(pkcs12_parse(&p, der, len, NULL, 0, &e), 0);
	CHECK_STR(p.mac, "");
	CHECK(!p.mac_checked);
	kb = find_bag(&p, OID_P12_KEY_BAG, 0);
	cb = find_bag(&p, OID_P12_CERT_BAG, 0);
	CHECK(kb != NULL && cb != NULL);
	if (kb != NULL && cb != NULL) {
		rsakey_init(&k);
		CHECK_EQ(pkey_decode(&k, kb->data, kb->len, NULL, 0, &e), 0);
		CHECK(mpz_cmp(k.priv.d, leaf_key.priv.d) == 0);
		rsakey_clear(&k);
		CHECK(cb->len == leaf_chain.v[0].len &&
		    memcmp(cb->data, leaf_chain.v[0].der, cb->len) == 0);
	}
	pkcs12_clear(&p);
	CHECK_EQ(pkcs12_parse(&p, der, len, PASS, strlen(PASS), &e), 0);
	CHECK_EQ(p.nbag, 2);
	pkcs12_clear(&p);
	free(der);
}

/* A flipped byte anywhere in the AuthenticatedSafe fails the MAC; cut
 * anywhere, the file is refused, never read past its end. */
static void
test_damaged(void)
{
	struct pkcs12 p;
	struct err e;
	uint8_t *der, *cut;
	size_t len, i;

	der = test_slurp("tests/data/p12-openssl.p12", &len);
	pkcs12_init(&p);
	der[200] ^= 1;
	CHECK_ERR(pkcs12_parse(&p, der, len, PASS, strlen(PASS), &e), &e,
	    "wrong passphrase (the PKCS#12 MAC does not match)");
	der[200] ^= 1;
	pkcs12_clear(&p);
	for (i = 0; i < len; i++) {
		/* An exact-size copy, so that ASan sees any overread. */
		cut = malloc(i > 0 ? i : 1);
		memcpy(cut, der, i);
		CHECK_EQ(pkcs12_parse(&p, cut, i, NULL, 0, &e), -1);
		pkcs12_clear(&p);
		free(cut);
	}
	CHECK_ERR(pkcs12_parse(&p, der, len - 1, NULL, 0, &e), &e,
	    "offset 0x0: length runs past end of input");
	pkcs12_clear(&p);
	free(der);
}

/* ---- hand-built files ---- */

struct mk {
	const uint8_t *bag;	/* one SafeBag DER, or NULL */
	size_t baglen;
	long maciter;
};

/* SEQUENCE OF ContentInfo { data, [0] OCTET STRING (SafeContents { bag }) } */
static void
enc_authsafe(struct derw *w, const void *arg)
{
	const struct mk *m = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKCS7_DATA);
	derw_begin(w, DER_CTX_CONS(0));
	derw_begin(w, DER_OCTET_STRING);
	derw_begin(w, DER_SEQUENCE);
	if (m->bag != NULL)
		derw_raw(w, m->bag, m->baglen);
	derw_end(w);
	derw_end(w);
	derw_end(w);
	derw_end(w);
	derw_end(w);
}

struct mkpfx {
	const uint8_t *as;
	size_t aslen;
	const uint8_t *mac;
	long iter;
};

static void
enc_pfx(struct derw *w, const void *arg)
{
	const struct mkpfx *m = arg;

	derw_begin(w, DER_SEQUENCE);
	derw_small(w, 3);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_PKCS7_DATA);
	derw_begin(w, DER_CTX_CONS(0));
	derw_tlv(w, DER_OCTET_STRING, m->as, m->aslen);
	derw_end(w);
	derw_end(w);
	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_begin(w, DER_SEQUENCE);
	derw_oid(w, OID_SHA256);
	derw_null(w);
	derw_end(w);
	derw_tlv(w, DER_OCTET_STRING, m->mac, 32);
	derw_end(w);
	derw_tlv(w, DER_OCTET_STRING, "saltsalt", 8);
	derw_small(w, m->iter);
	derw_end(w);
	derw_end(w);
}

/* A PFX of one plain SafeContents holding bag, with a true HMAC-SHA256
 * MAC under PASS (unless the iteration count is one the reader refuses
 * before it would compute the MAC). */
static uint8_t *
mk_pfx(const uint8_t *bag, size_t baglen, long maciter, size_t *len)
{
	struct mk m = { bag, baglen, maciter };
	struct mkpfx pf;
	uint8_t key[32], mac[32];
	struct buf bmp;
	uint8_t *as, *der;
	size_t aslen;

	as = der_encode(enc_authsafe, &m, &aslen, NULL);
	memset(mac, 0, sizeof mac);
	if (maciter <= 100000) {
		buf_init(&bmp);
		pbe_bmp_password(PASS, strlen(PASS), &bmp, NULL);
		pbe_pkcs12_kdf(HASH_SHA256, PBE_ID_MAC, bmp.data, bmp.len,
		    (const uint8_t *)"saltsalt", 8, (unsigned)maciter, key, 32);
		pbe_hmac(HASH_SHA256, key, 32, as, aslen, mac);
		buf_clear(&bmp);
	}
	pf.as = as;
	pf.aslen = aslen;
	pf.mac = mac;
	pf.iter = maciter;
	der = der_encode(enc_pfx, &pf, len, NULL);
	free(as);
	return der;
}

/* A SafeBag from hex pieces. */
static uint8_t *
mk_bag(const char *hex, size_t *len)
{
	return test_hex(hex, len);
}

static void
expect_error(const char *baghex, long maciter, const char *want)
{
	struct pkcs12 p;
	struct err e;
	uint8_t *bag, *der;
	size_t baglen, len;

	bag = baghex != NULL ? mk_bag(baghex, &baglen) : NULL;
	if (bag == NULL)
		baglen = 0;
	der = mk_pfx(bag, baglen, maciter, &len);
	pkcs12_init(&p);
	CHECK_ERR(pkcs12_parse(&p, der, len, PASS, strlen(PASS), &e), &e,
	    want);
	CHECK_EQ(e.kind, ERR_INPUT);
	CHECK_STR(e.msg, want);
	pkcs12_clear(&p);
	free(der);
	free(bag);
}

#define SHROUDED_OID "060b2a864886f70d010c0a0102"
#define SCB_OID "060b2a864886f70d010c0a0106"

static void
test_bad_bags(void)
{
	/* SafeBag { 1.2.3.4, [0] { NULL } } */
	expect_error("3009 06032a0304 a0020500", 2048,
	    "offset 0x2d: unknown bag type 1.2.3.4");
	/* A shrouded key bag encrypted with 1.2.3.4. */
	expect_error("3024" SHROUDED_OID "a015 3013 300706032a03040500"
	    "04080000000000000000", 2048,
	    "offset 0x41: unknown PBE algorithm 1.2.3.4");
	/* pbeWithSHAAnd3-KeyTripleDES-CBC asking for 10^9 iterations:
	 * refused, not run. */
	expect_error("303b" SHROUDED_OID "a02c 302a 301e"
	    "060a2a864886f70d010c0103 3010 04080102030405060708 02043b9aca00"
	    "04080000000000000000", 2048,
	    "offset 0x59: iteration count 1000000000 over the limit of "
	    "10000000");
	/* The MAC asking for 10^9. */
	expect_error(NULL, 1000000000L,
	    "offset 0x6a: iteration count 1000000000 over the limit of "
	    "10000000");
	/* PBES2 with an unknown cipher (1.2.3.4) in a shrouded key bag. */
	expect_error("3052" SHROUDED_OID "a043 3041 3035"
	    "06092a864886f70d01050d 3028"
	    "301b 06092a864886f70d01050c 300e 04080102030405060708 020207d0"
	    "3009 06032a0304 0402aabb"
	    "04080000000000000000", 2048,
	    "offset 0x6d: unknown PBES2 cipher 1.2.3.4");
}

/* Appends a DER length in hex (short form, or 82 and two bytes). */
static void
hex_len(char *out, size_t n)
{
	char l[8];

	snprintf(l, sizeof l, n < 128 ? "%02zx" : "82%04zx", n);
	strcat(out, l);
}

/* A safeContentsBag holding inner (SafeBag hex, no spaces), as hex:
 * SafeBag { safeContentsBag, [0] { SafeContents { inner } } }. */
static char *
nest(const char *inner)
{
	size_t sc = strlen(inner) / 2;
	size_t seq = sc + (sc < 128 ? 2 : 4);
	size_t bag = 13 + seq + (seq < 128 ? 2 : 4);
	char *out = malloc(strlen(inner) + 64);

	strcpy(out, "30");
	hex_len(out, bag);
	strcat(out, SCB_OID "a0");
	hex_len(out, seq);
	strcat(out, "30");
	hex_len(out, sc);
	strcat(out, inner);
	return out;
}

static void
test_limits(void)
{
	struct pkcs12 p;
	struct err e;
	char *h[5], *many;
	uint8_t *bag, *der;
	size_t baglen, len, i;

	/* Three safeContentsBags deep is read, four is refused. */
	h[0] = strdup("3011060b2a864886f70d010c0a0104a0020500");	/* crlBag */
	for (i = 1; i < 5; i++)
		h[i] = nest(h[i - 1]);
	bag = test_hex(h[3], &baglen);
	der = mk_pfx(bag, baglen, 2048, &len);
	pkcs12_init(&p);
	CHECK_EQ(pkcs12_parse(&p, der, len, PASS, strlen(PASS), &e), 0);
	CHECK_EQ(p.nbag, 1);
	CHECK_EQ(p.bag[0].type, OID_P12_CRL_BAG);
	CHECK_EQ(p.bag[0].depth, 3);
	pkcs12_clear(&p);
	free(der);
	free(bag);
	expect_error(h[4], 2048, "offset 0x66: safeContentsBag nested deeper "
	    "than 3");
	for (i = 0; i < 5; i++)
		free(h[i]);
	/* 64 bags are read, 65 refused. */
	many = malloc(65 * 38 + 1);
	many[0] = '\0';
	for (i = 0; i < 64; i++)
		strcat(many, "3011060b2a864886f70d010c0a0104a0020500");
	bag = test_hex(many, &baglen);
	der = mk_pfx(bag, baglen, 2048, &len);
	CHECK_EQ(pkcs12_parse(&p, der, len, PASS, strlen(PASS), &e), 0);
	CHECK_EQ(p.nbag, 64);
	pkcs12_clear(&p);
	free(der);
	free(bag);
	strcat(many, "3011060b2a864886f70d010c0a0104a0020500");
	expect_error(many, 2048, "offset 0x4fd: more than 64 bags");
	free(many);
}

/* Our writer, both forms, read back by our reader. */
static void
test_writer(void)
{
	struct pkcs12_out o;
	struct pkcs12 p;
	struct buf p8, out;
	struct err e;
	int legacy;

	buf_init(&p8);
	pkey_encode_pkcs8(&leaf_key, &p8);
	for (legacy = 0; legacy <= 1; legacy++) {
		memset(&o, 0, sizeof o);
		o.key = p8.data;
		o.keylen = p8.len;
		o.certs = &leaf_chain;
		o.name = "alice";
		o.legacy = legacy;
		o.iterations = 1000;
		buf_init(&out);
		CHECK_EQ(pkcs12_write(&o, PASS, strlen(PASS), &out, &e), 0);
		CHECK(pkcs12_detect(out.data, out.len));
		pkcs12_init(&p);
		CHECK_EQ(pkcs12_parse(&p, out.data, out.len, PASS,
		    strlen(PASS), &e), 0);
		check_contents(&p, "alice");
		CHECK_STR(p.mac, legacy ? "HMAC-SHA1, 1000 iterations" :
		    "HMAC-SHA256, 1000 iterations");
		CHECK_STR(p.safe[0].prot, legacy ?
		    "pbeWithSHA1And3-KeyTripleDES-CBC, 1000 iterations" :
		    "PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), 1000 iterations");
		pkcs12_clear(&p);
		CHECK_ERR(pkcs12_parse(&p, out.data, out.len, "secreT", 6,
		    &e), &e, "wrong passphrase (the PKCS#12 MAC does not "
		    "match)");
		pkcs12_clear(&p);
		buf_clear(&out);
	}
	/* No certificate: refused. */
	o.certs = NULL;
	buf_init(&out);
	CHECK_ERR(pkcs12_write(&o, PASS, strlen(PASS), &out, &e), &e,
	    "a PKCS#12 file needs the key's certificate");
	buf_clear(&out);
	buf_clear_secret(&p8);
}

int
main(void)
{
	test_load_key("tests/data/key-pkcs8.pem", &leaf_key);
	cert_list_init(&leaf_chain);
	test_load_certs("tests/data/leaf.pem", &leaf_chain);
	test_load_certs("tests/data/root.pem", &leaf_chain);
	test_openssl_files();
	test_plain_file();
	test_damaged();
	test_bad_bags();
	test_limits();
	test_writer();
	rsakey_clear(&leaf_key);
	cert_list_clear(&leaf_chain);
	return test_done();
}
