/* wycheproof-rsadec-test — Wycheproof rsa_pkcs1_2048_test.json decryption
 * through rsadec (valid messages recovered, invalid paddings refused at the
 * expected and at the TLS premaster length); skipped (77) when the peer
 * folder is absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/rsadec.h"
#include "json.h"
#include "role/entity.h"
#include "testlib.h"

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
	if (doc == NULL)
		test_skip("no wycheproof/rsa_pkcs1_2048_test.json in the "
		    "peer folder");
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
	const char *dir = test_peer_dir();

	if (dir == NULL)
		test_skip("no peer folder (../shared/peer or $MINIPKI_PEER)");
	wycheproof(dir);
	return test_done();
}
