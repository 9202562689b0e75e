/* tls-rsadec-test — PKCS#1 v1.5 encryption round trips and Wycheproof
 * rsa_pkcs1_2048_test.json decryption (valid messages recovered, invalid
 * paddings refused at the expected and at the TLS premaster length).
 * Wycheproof is skipped when the peer folder is absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/rand.h"
#include "crypto/rsadec.h"
#include "json.h"
#include "role/entity.h"
#include "testlib.h"

static void
roundtrip(void)
{
	struct rsakey k;
	struct err e;
	uint8_t msg[48], ct[512], out[48];

	rsakey_init(&k);
	CHECK(rsakey_generate(&k, 2048, NULL, NULL, &e) == 0);
	rand_bytes(msg, sizeof msg);
	CHECK(rsadec_encrypt(&k.pub, msg, sizeof msg, ct, &e) == 0);
	CHECK_EQ(rsadec_decrypt(&k, ct, k.pub.size, out, 48), 1);
	CHECK_MEM(out, msg, 48);
	/* another length than encrypted: refused */
	CHECK_EQ(rsadec_decrypt(&k, ct, k.pub.size, out, 47), 0);
	ct[100] ^= 1;
	CHECK_EQ(rsadec_decrypt(&k, ct, k.pub.size, out, 48), 0);
	CHECK_EQ(rsadec_decrypt(&k, ct, k.pub.size - 1, out, 48), 0);
	CHECK_ERR(rsadec_encrypt(&k.pub, ct, k.pub.size - 10, ct, &e), &e,
	    "do not fit");
	rsakey_clear(&k);
}

static void
wycheproof(const char *dir)
{
	char path[4096], errbuf[128];
	uint8_t *doc, *ct, *msg, out[512];
	size_t len, cl, ml;
	struct json *root;
	const struct json *g, *t;
	struct rsakey k;
	struct err e;
	int cases = 0, passed = 0, ok;

	snprintf(path, sizeof path, "%s/wycheproof/rsa_pkcs1_2048_test.json",
	    dir);
	doc = test_read_file(path, &len);
	if (doc == NULL) {
		printf("tls-rsadec-test: %s absent\n", path);
		return;
	}
	root = json_parse((const char *)doc, len, errbuf, sizeof errbuf);
	CHECK(root != NULL);
	for (g = root ? json_get(root, "testGroups")->child : NULL; g;
	    g = g->next) {
		const char *pem = json_get_str(g, "privateKeyPem");

		rsakey_init(&k);
		CHECK(pem != NULL && entity_read_key((const uint8_t *)pem,
		    strlen(pem), NULL, 0, &k, &e) == 0);
		for (t = json_get(g, "tests")->child; t; t = t->next) {
			const char *res = json_get_str(t, "result");

			ct = test_hex(json_get_str(t, "ct"), &cl);
			msg = test_hex(json_get_str(t, "msg"), &ml);
			cases++;
			test_checks++;
			if (strcmp(res, "valid") == 0)
				ok = rsadec_decrypt(&k, ct, cl, out, ml) == 1 &&
				    memcmp(out, msg, ml) == 0;
			else if (strcmp(res, "invalid") == 0)
				ok = rsadec_decrypt(&k, ct, cl, out, ml) == 0 &&
				    rsadec_decrypt(&k, ct, cl, out, 48) == 0;
			else
				ok = 1;
			if (ok)
				passed++;
			else
				test_fail(__FILE__, __LINE__, "tcId %lld (%s): "
				    "expected %s", json_get_int(t, "tcId", -1),
				    json_get_str(t, "comment"), res);
			free(ct);
			free(msg);
		}
		rsakey_clear(&k);
	}
	printf("wycheproof/rsa_pkcs1_2048_test.json: %d cases, %d passed\n",
	    cases, passed);
	CHECK(cases > 50);
	json_free(root);
	free(doc);
}

int
main(void)
{
	const char *dir;

	roundtrip();
	dir = test_peer_dir();
	if (dir != NULL)
		wycheproof(dir);
	else if (test_failures == 0)
		test_skip("no peer folder: Wycheproof RSAES-PKCS1 skipped "
		    "(round trips passed)");
	return test_done();
}
