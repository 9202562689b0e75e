/* wycheproof-ecdsa-test — Wycheproof ecdsa_secp256r1_sha256_test.json
 * (DER signatures) from the peer folder, through the strict decoder and
 * the verifier the certificate and TLS paths use; skipped (77) when the
 * folder is absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/ecdsa256.h"
#include "crypto/hash.h"
#include "x509/ecsig.h"
#include "json.h"
#include "testlib.h"

static void
wycheproof(const char *dir)
{
	char path[4096], errbuf[128];
	uint8_t *doc, *pt, *msg, *sig, d[32];
	size_t len, ptl, ml, sl;
	struct json *root;
	const struct json *groups, *g, *t, *pk;
	struct ec256key k;
	struct err e;
	int cases = 0, passed = 0, valid = 0;

	snprintf(path, sizeof path,
	    "%s/wycheproof/ecdsa_secp256r1_sha256_test.json", dir);
	doc = test_read_file(path, &len);
	if (doc == NULL)
		test_skip("no wycheproof/ecdsa_secp256r1_sha256_test.json");
	root = json_parse((const char *)doc, len, errbuf, sizeof errbuf);
	CHECK(root != NULL);
	if (root == NULL)
		goto out;
	groups = json_get(root, "testGroups");
	for (g = groups != NULL ? groups->child : NULL; g; g = g->next) {
		const struct json *tests = json_get(g, "tests");
		int keyok;

		pk = json_get(g, "publicKey");
		CHECK(pk != NULL);
		if (pk == NULL)
			continue;
		CHECK_STR(json_get_str(pk, "curve"), "secp256r1");
		CHECK_STR(json_get_str(g, "sha"), "SHA-256");
		ec256key_init(&k);
		pt = test_hex(json_get_str(pk, "uncompressed"), &ptl);
		keyok = ec256key_set_public(&k, pt, ptl, &e) == 0;
		CHECK(keyok);
		free(pt);
		for (t = tests != NULL ? tests->child : NULL; t; t = t->next) {
			const char *res = json_get_str(t, "result");
			int rc;

			msg = test_hex(json_get_str(t, "msg"), &ml);
			sig = test_hex(json_get_str(t, "sig"), &sl);
			hash_sha256(msg, ml, d);
			rc = keyok ? ecsig_verify(&k, d, sizeof d, sig, sl, &e) :
			    -1;
			cases++;
			test_checks++;
			if (strcmp(res, "acceptable") == 0 ||
			    (strcmp(res, "valid") == 0) == (rc == 0))
				passed++;
			else
				test_fail(__FILE__, __LINE__, "tcId %lld (%s, "
				    "%s): got %s", json_get_int(t, "tcId", -1),
				    res, json_get_str(t, "comment"),
				    rc == 0 ? "valid" : e.msg);
			if (rc == 0)
				valid++;
			free(msg);
			free(sig);
		}
		ec256key_clear(&k);
	}
	printf("wycheproof/ecdsa_secp256r1_sha256_test.json: %d cases, %d "
	    "passed, %d verified\n", cases, passed, valid);
	CHECK(cases > 400);
	CHECK(valid > 50);
	json_free(root);
out:
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
