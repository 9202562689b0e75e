/* wycheproof-test — Project Wycheproof vectors, read from the peer folder
 * (../shared/peer/wycheproof or $MINIPKI_PEER/wycheproof); skipped when
 * absent. Every "valid" case must be accepted and every "invalid" one
 * rejected; "acceptable" may go either way. Cases outside what we support
 * (other IV or key sizes, SHA-1 and SHA-224 signing) are counted as
 * skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gmp.h>
#include <nettle/base64.h>

#include "crypto/aead.h"
#include "crypto/chachapoly.h"
#include "crypto/ecdh256.h"
#include "crypto/hash.h"
#include "crypto/hkdf.h"
#include "crypto/kdf.h"
#include "crypto/mac.h"
#include "crypto/rsakey.h"
#include "json.h"
#include "testlib.h"
#include "util/err.h"

static char wp_dir[4096];

struct tally {
	const char *file;
	int cases, passed, skipped;
};

enum verdict { V_VALID, V_INVALID, V_ACCEPTABLE, V_UNKNOWN };

static enum verdict
verdict_of(const struct json *t)
{
	const char *r = json_get_str(t, "result");

	if (r == NULL)
		return V_UNKNOWN;
	if (strcmp(r, "valid") == 0)
		return V_VALID;
	if (strcmp(r, "invalid") == 0)
		return V_INVALID;
	if (strcmp(r, "acceptable") == 0)
		return V_ACCEPTABLE;
	return V_UNKNOWN;
}

/* Records whether we accepted (ok = 1) or rejected a case. */
static void
judge(struct tally *ta, const struct json *t, int ok)
{
	enum verdict v = verdict_of(t);
	const char *comment = json_get_str(t, "comment");
	int good;

	ta->cases++;
	test_checks++;
	good = v == V_ACCEPTABLE || (v == V_VALID && ok) ||
	    (v == V_INVALID && !ok);
	if (good)
		ta->passed++;
	else
		test_fail(__FILE__, __LINE__, "%s tcId %lld (%s): expected %s, "
		    "we %s", ta->file, json_get_int(t, "tcId", -1),
		    comment != NULL ? comment : "", json_get_str(t, "result"),
		    ok ? "accepted" : "rejected");
}

static void
skip_case(struct tally *ta)
{
	ta->cases++;
	ta->skipped++;
}

static void
report(const struct tally *ta)
{
	printf("wycheproof/%s: %d cases, %d passed, %d skipped\n", ta->file,
	    ta->cases, ta->passed, ta->skipped);
	/* Each file must have run something, or the reader is broken. */
	test_checks++;
	if (ta->passed == 0)
		test_fail(__FILE__, __LINE__, "%s: no case passed", ta->file);
}

/* Loads and parses one file; the caller frees the tree. */
static struct json *
load(const char *name)
{
	char path[4200], err[256];
	uint8_t *text;
	size_t len;
	struct json *root;

	snprintf(path, sizeof path, "%s/%s", wp_dir, name);
	text = test_read_file(path, &len);
	if (text == NULL) {
		test_fail(__FILE__, __LINE__, "cannot read %s", path);
		return NULL;
	}
	root = json_parse((const char *)text, len, err, sizeof err);
	free(text);
	if (root == NULL)
		test_fail(__FILE__, __LINE__, "%s: %s", path, err);
	return root;
}

/* A hex member as bytes (free the result); NULL when absent. */
static uint8_t *
hexfield(const struct json *t, const char *key, size_t *len)
{
	const char *s = json_get_str(t, key);

	if (s == NULL) {
		*len = 0;
		return NULL;
	}
	return test_hex(s, len);
}

static enum hash_alg
hash_by_name(const char *s)
{
	if (s == NULL)
		return HASH_NONE;
	if (strcmp(s, "SHA-1") == 0)
		return HASH_SHA1;
	if (strcmp(s, "SHA-256") == 0)
		return HASH_SHA256;
	if (strcmp(s, "SHA-384") == 0)
		return HASH_SHA384;
	if (strcmp(s, "SHA-512") == 0)
		return HASH_SHA512;
	return HASH_NONE;
}

#define FOR_TESTS(root, g, t) \
	for (g = json_get(root, "testGroups") ? \
	    json_get(root, "testGroups")->child : NULL; g != NULL; g = g->next) \
		for (t = json_get(g, "tests") ? json_get(g, "tests")->child : \
		    NULL; t != NULL; t = t->next)

/* Public key from {modulus, publicExponent} in hex; -1 when we refuse it. */
static int
rsa_pub_from_hex(struct rsakey *k, const struct json *pk)
{
	const char *n = json_get_str(pk, "modulus");
	const char *e = json_get_str(pk, "publicExponent");

	if (n == NULL || e == NULL || mpz_set_str(k->pub.n, n, 16) != 0 ||
	    mpz_set_str(k->pub.e, e, 16) != 0)
		return -1;
	return rsakey_finish(k, NULL);
}

/* PKCS#1 v1.5 and PSS verification against each group's public key. */
static void
run_rsa_verify(const char *name, int pss)
{
	struct tally ta = { name, 0, 0, 0 };
	struct json *root = load(name);
	const struct json *g, *t, *lastg = NULL;
	struct rsakey k;
	int keyok = 0;

	if (root == NULL)
		return;
	rsakey_init(&k);
	FOR_TESTS(root, g, t) {
		enum hash_alg alg = hash_by_name(json_get_str(g, "sha"));
		uint8_t dg[HASH_MAX_SIZE], *msg, *sig;
		size_t ml, sl;
		long long slen = json_get_int(g, "sLen", -1);
		const char *mgf = json_get_str(g, "mgfSha");
		int ok;

		if (g != lastg) {
			rsakey_clear(&k);
			rsakey_init(&k);
			keyok = rsa_pub_from_hex(&k, json_get(g,
			    "publicKey")) == 0;
			lastg = g;
		}
		if (alg == HASH_NONE || (pss && (mgf == NULL ||
		    hash_by_name(mgf) != alg || slen < 0))) {
			skip_case(&ta);
			continue;
		}
		msg = hexfield(t, "msg", &ml);
		sig = hexfield(t, "sig", &sl);
		hash_digest(alg, msg, ml, dg);
		if (!keyok)
			ok = 0;
		else if (pss)
			ok = rsakey_verify_pss(&k.pub, alg, (size_t)slen, dg, sig,
			    sl, NULL) == 0;
		else
			ok = rsakey_verify_pkcs1(&k.pub, alg, dg, sig, sl,
			    NULL) == 0;
		judge(&ta, t, ok);
		free(msg);
		free(sig);
	}
	rsakey_clear(&k);
	json_free(root);
	report(&ta);
}

/* Decodes unpadded base64url (JWK) into x. */
static int
mpz_from_b64url(mpz_t x, const char *s)
{
	struct base64_decode_ctx ctx;
	size_t n = strlen(s), padded = (n + 3) / 4 * 4, outlen;
	char *p = malloc(padded + 1);
	uint8_t *out = malloc(BASE64_DECODE_LENGTH(padded) + 1);
	int ok;

	memcpy(p, s, n);
	memset(p + n, '=', padded - n);
	base64url_decode_init(&ctx);
	outlen = BASE64_DECODE_LENGTH(padded);
	ok = base64_decode_update(&ctx, &outlen, out, padded, p) &&
	    base64_decode_final(&ctx);
	if (ok)
		mpz_import(x, outlen, 1, 1, 1, 0, out);
	free(p);
	free(out);
	return ok ? 0 : -1;
}

/* The signing key of a group: the hex privateKey has only n, e and d, so
 * the CRT parts come from privateKeyJwk. */
static int
rsa_priv_from_jwk(struct rsakey *k, const struct json *jwk)
{
	static const char *names[] = { "n", "e", "d", "p", "q", "dp", "dq",
	    "qi" };
	mpz_ptr dst[8];
	size_t i;

	dst[0] = k->pub.n;
	dst[1] = k->pub.e;
	dst[2] = k->priv.d;
	dst[3] = k->priv.p;
	dst[4] = k->priv.q;
	dst[5] = k->priv.a;
	dst[6] = k->priv.b;
	dst[7] = k->priv.c;
	for (i = 0; i < 8; i++) {
		const char *s = json_get_str(jwk, names[i]);

		if (s == NULL || mpz_from_b64url(dst[i], s) == -1)
			return -1;
	}
	k->has_private = 1;
	return rsakey_finish(k, NULL);
}

static void
run_rsa_sign(const char *name)
{
	struct tally ta = { name, 0, 0, 0 };
	struct json *root = load(name);
	const struct json *g, *t, *lastg = NULL;
	struct rsakey k;
	int keyok = 0;

	if (root == NULL)
		return;
	rsakey_init(&k);
	FOR_TESTS(root, g, t) {
		enum hash_alg alg = hash_by_name(json_get_str(g, "sha"));
		uint8_t dg[HASH_MAX_SIZE], *msg, *want, *sig;
		size_t ml, wl;
		int ok, signed_ok;

		if (g != lastg) {
			rsakey_clear(&k);
			rsakey_init(&k);
			keyok = rsa_priv_from_jwk(&k,
			    json_get(g, "privateKeyJwk")) == 0;
			/* The JWK must be the same key as the hex one. */
			if (keyok) {
				const char *hn = json_get_str(json_get(g,
				    "privateKey"), "modulus");
				mpz_t hx;

				mpz_init(hx);
				test_checks++;
				if (hn == NULL || mpz_set_str(hx, hn, 16) != 0 ||
				    mpz_cmp(hx, k.pub.n) != 0)
					test_fail(__FILE__, __LINE__,
					    "%s: JWK and hex moduli differ", name);
				mpz_clear(hx);
			}
			lastg = g;
		}
		/* We make no SHA-1 signatures and have no SHA-224. */
		if (alg == HASH_NONE || alg == HASH_SHA1) {
			skip_case(&ta);
			continue;
		}
		msg = hexfield(t, "msg", &ml);
		want = hexfield(t, "sig", &wl);
		hash_digest(alg, msg, ml, dg);
		ok = 0;
		if (keyok) {
			sig = malloc(k.pub.size);
			signed_ok = rsakey_sign_pkcs1(&k, alg, dg, sig,
			    NULL) == 0;
			ok = signed_ok && wl == k.pub.size &&
			    memcmp(sig, want, wl) == 0;
			/* A signature we did make must be the expected one,
			 * even where the case is merely acceptable. */
			test_checks++;
			if (signed_ok && !ok)
				test_fail(__FILE__, __LINE__, "%s tcId %lld: "
				    "our signature differs", name,
				    json_get_int(t, "tcId", -1));
			if (ok) {
				test_checks++;
				if (rsakey_verify_pkcs1(&k.pub, alg, dg, sig,
				    k.pub.size, NULL) != 0)
					test_fail(__FILE__, __LINE__,
					    "%s tcId %lld: own signature does "
					    "not verify", name,
					    json_get_int(t, "tcId", -1));
			}
			free(sig);
		}
		judge(&ta, t, ok);
		free(msg);
		free(want);
	}
	rsakey_clear(&k);
	json_free(root);
	report(&ta);
}

static void
run_gcm(const char *name)
{
	struct tally ta = { name, 0, 0, 0 };
	struct json *root = load(name);
	const struct json *g, *t;

	if (root == NULL)
		return;
	FOR_TESTS(root, g, t) {
		long long ivs = json_get_int(g, "ivSize", -1);
		long long ks = json_get_int(g, "keySize", -1);
		long long tags = json_get_int(g, "tagSize", -1);
		uint8_t *key, *iv, *aad, *msg, *ct, *tag, *in, *out;
		size_t kl, il, al, ml, cl, tl;
		int ok;

		if (ivs != 96 || (ks != 128 && ks != 256) || tags != 128) {
			skip_case(&ta);
			continue;
		}
		key = hexfield(t, "key", &kl);
		iv = hexfield(t, "iv", &il);
		aad = hexfield(t, "aad", &al);
		msg = hexfield(t, "msg", &ml);
		ct = hexfield(t, "ct", &cl);
		tag = hexfield(t, "tag", &tl);
		in = malloc(cl + tl + 1);
		out = malloc(cl + AEAD_TAG_SIZE + 1);
		memcpy(in, ct, cl);
		memcpy(in + cl, tag, tl);
		ok = il == AEAD_NONCE_SIZE && tl == AEAD_TAG_SIZE &&
		    aead_open(key, kl, iv, aad, al, in, cl + tl, out) == 0 &&
		    ml == cl && memcmp(out, msg, ml) == 0;
		/* A valid case seals to the same bytes. */
		if (ok && verdict_of(t) == V_VALID) {
			test_checks++;
			if (aead_seal(key, kl, iv, aad, al, msg, ml, out) != 0 ||
			    memcmp(out, in, cl + tl) != 0)
				test_fail(__FILE__, __LINE__, "%s tcId %lld: "
				    "seal differs", name,
				    json_get_int(t, "tcId", -1));
		}
		judge(&ta, t, ok);
		free(key);
		free(iv);
		free(aad);
		free(msg);
		free(ct);
		free(tag);
		free(in);
		free(out);
	}
	json_free(root);
	report(&ta);
}

static void
run_hkdf(const char *name)
{
	struct tally ta = { name, 0, 0, 0 };
	struct json *root = load(name);
	const struct json *g, *t;

	if (root == NULL)
		return;
	FOR_TESTS(root, g, t) {
		uint8_t *ikm, *salt, *info, *okm, prk[32], *out;
		size_t il, sl, fl, ol;
		long long size = json_get_int(t, "size", -1);
		int ok = 0;

		ikm = hexfield(t, "ikm", &il);
		salt = hexfield(t, "salt", &sl);
		info = hexfield(t, "info", &fl);
		okm = hexfield(t, "okm", &ol);
		/* Our API refuses (aborts on) longer outputs: the caller
		 * checks against KDF_HKDF_SHA256_MAX, as here. */
		if (size >= 0 && size <= KDF_HKDF_SHA256_MAX) {
			out = malloc((size_t)size + 1);
			kdf_hkdf_sha256_extract(salt, sl, ikm, il, prk);
			kdf_hkdf_sha256_expand(prk, info, fl, out, (size_t)size);
			ok = ol == (size_t)size && memcmp(out, okm, ol) == 0;
			free(out);
		}
		judge(&ta, t, ok);
		free(ikm);
		free(salt);
		free(info);
		free(okm);
	}
	json_free(root);
	report(&ta);
}

static void
run_hmac(const char *name)
{
	struct tally ta = { name, 0, 0, 0 };
	struct json *root = load(name);
	const struct json *g, *t;

	if (root == NULL)
		return;
	FOR_TESTS(root, g, t) {
		long long tagbits = json_get_int(g, "tagSize", -1);
		uint8_t *key, *msg, *tag, out[32];
		size_t kl, ml, tl;
		int ok;

		if (tagbits <= 0 || tagbits > 256 || tagbits % 8 != 0) {
			skip_case(&ta);
			continue;
		}
		key = hexfield(t, "key", &kl);
		msg = hexfield(t, "msg", &ml);
		tag = hexfield(t, "tag", &tl);
		kdf_hmac_sha256(key, kl, msg, ml, out);
		/* Truncated tags compare the prefix. */
		ok = tl == (size_t)tagbits / 8 && memcmp(out, tag, tl) == 0;
		judge(&ta, t, ok);
		free(key);
		free(msg);
		free(tag);
	}
	json_free(root);
	report(&ta);
}

/* ChaCha20-Poly1305 (RFC 8439) with 96-bit nonces, as TLS uses it. */
static void
run_chachapoly(const char *name)
{
	struct tally ta = { name, 0, 0, 0 };
	struct json *root = load(name);
	const struct json *g, *t;

	if (root == NULL)
		return;
	FOR_TESTS(root, g, t) {
		long long ivs = json_get_int(g, "ivSize", -1);
		long long ks = json_get_int(g, "keySize", -1);
		long long tags = json_get_int(g, "tagSize", -1);
		uint8_t *key, *iv, *aad, *msg, *ct, *tag, *in, *out;
		size_t kl, il, al, ml, cl, tl;
		int ok;

		if (ivs != 96 || ks != 256 || tags != 128) {
			skip_case(&ta);
			continue;
		}
		key = hexfield(t, "key", &kl);
		iv = hexfield(t, "iv", &il);
		aad = hexfield(t, "aad", &al);
		msg = hexfield(t, "msg", &ml);
		ct = hexfield(t, "ct", &cl);
		tag = hexfield(t, "tag", &tl);
		in = malloc(cl + tl + 1);
		out = malloc(cl + CHACHAPOLY_TAG_SIZE + 1);
		memcpy(in, ct, cl);
		memcpy(in + cl, tag, tl);
		ok = kl == CHACHAPOLY_KEY_SIZE && il == CHACHAPOLY_NONCE_SIZE &&
		    tl == CHACHAPOLY_TAG_SIZE && chachapoly_open(key, iv, aad, al,
		    in, cl + tl, out) == 0 && ml == cl &&
		    memcmp(out, msg, ml) == 0;
		if (ok && verdict_of(t) == V_VALID) {
			test_checks++;
			chachapoly_seal(key, iv, aad, al, msg, ml, out);
			if (memcmp(out, in, cl + tl) != 0)
				test_fail(__FILE__, __LINE__, "%s tcId %lld: "
				    "seal differs", name,
				    json_get_int(t, "tcId", -1));
		}
		judge(&ta, t, ok);
		free(key);
		free(iv);
		free(aad);
		free(msg);
		free(ct);
		free(tag);
		free(in);
		free(out);
	}
	json_free(root);
	report(&ta);
}

/* The SubjectPublicKeyInfo of a named P-256 key with an uncompressed
 * point, up to the point: the one form a TLS key share corresponds to.
 * Any other encoding (compressed points, explicit or other curves, bad
 * DER) is refused here before ecdh256_shared sees the point. */
static const uint8_t p256_spki_prefix[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
	0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01,
	0x07, 0x03, 0x42, 0x00,
};

/* ECDH P-256: the peer's key as SubjectPublicKeyInfo, our private key as
 * a big-endian integer (leading zeros added or dropped to 32 bytes). */
static void
run_ecdh256(const char *name)
{
	struct tally ta = { name, 0, 0, 0 };
	struct json *root = load(name);
	const struct json *g, *t;

	if (root == NULL)
		return;
	FOR_TESTS(root, g, t) {
		const char *curve = json_get_str(g, "curve");
		const char *enc = json_get_str(g, "encoding");
		uint8_t *pub, *priv, *want, k[32], got[ECDH256_SHARED_SIZE];
		size_t ul, pl, wl, skip, pre = sizeof p256_spki_prefix;
		struct err e;
		int ok = 0;

		if (curve == NULL || strcmp(curve, "secp256r1") != 0 ||
		    enc == NULL || strcmp(enc, "asn") != 0) {
			skip_case(&ta);
			continue;
		}
		pub = hexfield(t, "public", &ul);
		priv = hexfield(t, "private", &pl);
		want = hexfield(t, "shared", &wl);
		for (skip = 0; skip < pl && priv[skip] == 0; skip++)
			;
		if (pl - skip <= 32 && ul == pre + ECDH256_PUB_SIZE &&
		    memcmp(pub, p256_spki_prefix, pre) == 0) {
			memset(k, 0, sizeof k);
			memcpy(k + 32 - (pl - skip), priv + skip, pl - skip);
			err_clear(&e);
			ok = ecdh256_shared(k, pub + pre, ul - pre, got, &e) == 0 &&
			    wl == sizeof got && memcmp(got, want, wl) == 0;
			explicit_bzero(k, sizeof k);
		}
		judge(&ta, t, ok);
		free(pub);
		free(priv);
		free(want);
	}
	json_free(root);
	report(&ta);
}

/* HKDF and HMAC with the hash chosen at run time (crypto/hkdf.h, mac.h:
 * the TLS 1.3 key schedule of TLS_AES_256_GCM_SHA384, the TLS 1.2 PRF). */
static void
run_hkdf_alg(const char *name, enum hash_alg alg)
{
	struct tally ta = { name, 0, 0, 0 };
	struct json *root = load(name);
	const struct json *g, *t;
	size_t hl = hash_size(alg);

	if (root == NULL)
		return;
	FOR_TESTS(root, g, t) {
		uint8_t *ikm, *salt, *info, *okm, prk[HASH_MAX_SIZE], *out;
		size_t il, sl, fl, ol;
		long long size = json_get_int(t, "size", -1);
		int ok = 0;

		ikm = hexfield(t, "ikm", &il);
		salt = hexfield(t, "salt", &sl);
		info = hexfield(t, "info", &fl);
		okm = hexfield(t, "okm", &ol);
		/* hkdf_expand aborts past 255 * HashLen: checked here */
		if (size >= 0 && (size_t)size <= 255 * hl) {
			out = malloc((size_t)size + 1);
			hkdf_extract(alg, salt, sl, ikm, il, prk);
			hkdf_expand(alg, prk, info, fl, out, (size_t)size);
			ok = ol == (size_t)size && memcmp(out, okm, ol) == 0;
			free(out);
		}
		judge(&ta, t, ok);
		free(ikm);
		free(salt);
		free(info);
		free(okm);
	}
	json_free(root);
	report(&ta);
}

static void
run_hmac_alg(const char *name, enum hash_alg alg)
{
	struct tally ta = { name, 0, 0, 0 };
	struct json *root = load(name);
	const struct json *g, *t;
	size_t hl = hash_size(alg);

	if (root == NULL)
		return;
	FOR_TESTS(root, g, t) {
		long long tagbits = json_get_int(g, "tagSize", -1);
		uint8_t *key, *msg, *tag, out[HASH_MAX_SIZE];
		size_t kl, ml, tl;
		int ok;

		if (tagbits <= 0 || (size_t)tagbits > 8 * hl || tagbits % 8 != 0) {
			skip_case(&ta);
			continue;
		}
		key = hexfield(t, "key", &kl);
		msg = hexfield(t, "msg", &ml);
		tag = hexfield(t, "tag", &tl);
		mac_hmac(alg, key, kl, msg, ml, out);
		ok = tl == (size_t)tagbits / 8 && memcmp(out, tag, tl) == 0;
		judge(&ta, t, ok);
		free(key);
		free(msg);
		free(tag);
	}
	json_free(root);
	report(&ta);
}

int
main(void)
{
	const char *peer = test_peer_dir();
	struct stat st;

	if (peer == NULL)
		test_skip("no peer folder (../shared/peer or $MINIPKI_PEER)");
	snprintf(wp_dir, sizeof wp_dir, "%s/wycheproof", peer);
	if (stat(wp_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		test_skip("no wycheproof folder in the peer folder");

	run_rsa_verify("rsa_signature_2048_sha256_test.json", 0);
	run_rsa_verify("rsa_pss_2048_sha256_mgf1_32_test.json", 1);
	run_rsa_sign("rsa_pkcs1_2048_sig_gen_test.json");
	run_gcm("aes_gcm_test.json");
	run_hkdf("hkdf_sha256_test.json");
	run_hmac("hmac_sha256_test.json");
	/* the TLS suites, groups and signature schemes of issue 12 */
	run_chachapoly("chacha20_poly1305_test.json");
	run_ecdh256("ecdh_secp256r1_test.json");
	run_hkdf_alg("hkdf_sha256_test.json", HASH_SHA256);
	run_hkdf_alg("hkdf_sha384_test.json", HASH_SHA384);
	run_hmac_alg("hmac_sha384_test.json", HASH_SHA384);
	run_rsa_verify("rsa_signature_2048_sha384_test.json", 0);
	run_rsa_verify("rsa_signature_2048_sha512_test.json", 0);
	run_rsa_verify("rsa_pss_2048_sha384_mgf1_48_test.json", 1);
	return test_done();
}
