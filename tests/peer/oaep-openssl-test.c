/* oaep-openssl-test.c — OpenSSL as the judge of crypto/oaep.c, both ways:
 * what `openssl pkeyutl -encrypt` (rsa_padding_mode:oaep) writes with
 * every pair of label hash and MGF1 hash (SHA-1, SHA-256, SHA-512) and
 * message lengths from 0 to the longest that fits, we decrypt, and refuse
 * at another length or with a label; what we encrypt, `openssl pkeyutl
 * -decrypt` reads. Skipped (77) without openssl. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto/oaep.h"
#include "crypto/rand.h"
#include "testcert.h"
#include "peerlib.h"
#include "testlib.h"

#define DIR "tests/work/oaep-openssl"
#define KEY "tests/data/key-pkcs8.pem"
#define PUB "tests/data/pub-spki.pem"

static const struct {
	enum hash_alg h;
	const char *name;
} hashes[] = {
	{ HASH_SHA1, "sha1" },
	{ HASH_SHA256, "sha256" },
	{ HASH_SHA512, "sha512" },
};

#define NH (sizeof hashes / sizeof hashes[0])

static void
one(const struct rsakey *k, size_t hi, size_t mi, size_t len)
{
	char cmd[1024], opts[256];
	uint8_t msg[512], out[512], *ct, *back;
	size_t ctlen, backlen;
	struct err e;

	snprintf(opts, sizeof opts, "-pkeyopt rsa_padding_mode:oaep "
	    "-pkeyopt rsa_oaep_md:%s -pkeyopt rsa_mgf1_md:%s",
	    hashes[hi].name, hashes[mi].name);
	rand_bytes(msg, len);
	test_spit(DIR "/msg", msg, len);

	/* Theirs, decrypted by us: at its length only. */
	snprintf(cmd, sizeof cmd, "openssl pkeyutl -encrypt -pubin -inkey "
	    PUB " %s -in " DIR "/msg -out " DIR "/ct", opts);
	CHECK_EQ(peer_run(cmd), 0);
	ct = test_slurp(DIR "/ct", &ctlen);
	CHECK_EQ(ctlen, k->pub.size);
	if (oaep_decrypt(k, hashes[hi].h, hashes[mi].h, ct, ctlen, out, len)
	    != 1 || memcmp(out, msg, len) != 0)
		test_fail(__FILE__, __LINE__, "openssl's %s/%s %zu bytes not "
		    "decrypted", hashes[hi].name, hashes[mi].name, len);
	if (len > 0)
		CHECK_EQ(oaep_decrypt(k, hashes[hi].h, hashes[mi].h, ct, ctlen,
		    out, len - 1), 0);
	CHECK_EQ(oaep_decrypt(k, hashes[hi].h, hashes[mi].h, ct, ctlen, out,
	    len + 1), 0);
	if (hi != mi)
		CHECK_EQ(oaep_decrypt(k, hashes[mi].h, hashes[hi].h, ct, ctlen,
		    out, len), 0);
	free(ct);

	/* Ours, decrypted by openssl. */
	ct = malloc(k->pub.size);
	CHECK_EQ(oaep_encrypt(&k->pub, hashes[hi].h, hashes[mi].h, msg, len,
	    ct, &e), 0);
	test_spit(DIR "/ours", ct, k->pub.size);
	free(ct);
	snprintf(cmd, sizeof cmd, "openssl pkeyutl -decrypt -inkey " KEY
	    " %s -in " DIR "/ours -out " DIR "/back", opts);
	CHECK_EQ(peer_run(cmd), 0);
	back = test_slurp(DIR "/back", &backlen);
	CHECK_EQ(backlen, len);
	if (backlen == len)
		CHECK_MEM(back, msg, len);
	free(back);
}

int
main(void)
{
	struct rsakey k;
	char cmd[512];
	uint8_t out[64], *ct;
	size_t hi, mi, ctlen, max;

	if (peer_run("openssl version >/dev/null 2>&1") != 0)
		test_skip("openssl not found");
	mkdir("tests/work", 0755);
	mkdir(DIR, 0755);
	test_load_key(KEY, &k);
	for (hi = 0; hi < NH; hi++)
		for (mi = 0; mi < NH; mi++) {
			max = k.pub.size - 2 * hash_size(hashes[hi].h) - 2;
			one(&k, hi, mi, 0);
			one(&k, hi, mi, 32);
			one(&k, hi, mi, max);
		}
	one(&k, 1, 1, 1);
	one(&k, 1, 1, 100);

	/* A label (we only take the empty one): refused. */
	test_spit(DIR "/msg", "0123456789abcdef0123456789abcdef", 32);
	snprintf(cmd, sizeof cmd, "openssl pkeyutl -encrypt -pubin -inkey "
	    PUB " -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 "
	    "-pkeyopt rsa_oaep_label:6c6162656c -in " DIR "/msg -out " DIR
	    "/ct");
	CHECK_EQ(peer_run(cmd), 0);
	ct = test_slurp(DIR "/ct", &ctlen);
	CHECK_EQ(oaep_decrypt(&k, HASH_SHA256, HASH_SHA256, ct, ctlen, out,
	    32), 0);
	free(ct);
	/* PKCS#1 v1.5 is not OAEP. */
	snprintf(cmd, sizeof cmd, "openssl pkeyutl -encrypt -pubin -inkey "
	    PUB " -in " DIR "/msg -out " DIR "/ct");
	CHECK_EQ(peer_run(cmd), 0);
	ct = test_slurp(DIR "/ct", &ctlen);
	CHECK_EQ(oaep_decrypt(&k, HASH_SHA1, HASH_SHA1, ct, ctlen, out, 32),
	    0);
	free(ct);
	rsakey_clear(&k);
	return test_done();
}
