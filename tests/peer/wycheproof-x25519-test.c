/* wycheproof-x25519-test — Wycheproof x25519_test.json from the peer
 * folder; skipped (77) when the folder is absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/x25519.h"
#include "json.h"
#include "testlib.h"

static int
all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static void
wycheproof(const char *dir)
{
	char path[4096], errbuf[128];
	uint8_t *doc, *priv, *pub, *want, got[X25519_SIZE];
	size_t len, pl, ul, wl;
	struct json *root;
	const struct json *groups, *g, *t;
	struct err e;
	int cases = 0, passed = 0;

	snprintf(path, sizeof path, "%s/wycheproof/x25519_test.json", dir);
	doc = test_read_file(path, &len);
	if (doc == NULL)
		test_skip("no wycheproof/x25519_test.json in the peer folder");
	root = json_parse((const char *)doc, len, errbuf, sizeof errbuf);
	CHECK(root != NULL);
	if (root == NULL)
		goto out;
	groups = json_get(root, "testGroups");
	for (g = groups != NULL ? groups->child : NULL; g; g = g->next) {
		const struct json *tests = json_get(g, "tests");
		const char *curve = json_get_str(g, "curve");

		if (curve == NULL || strcmp(curve, "curve25519") != 0)
			continue;
		for (t = tests != NULL ? tests->child : NULL; t; t = t->next) {
			const char *res = json_get_str(t, "result");
			int rc;

			priv = test_hex(json_get_str(t, "private"), &pl);
			pub = test_hex(json_get_str(t, "public"), &ul);
			want = test_hex(json_get_str(t, "shared"), &wl);
			cases++;
			test_checks++;
			if (pl != 32 || ul != 32 || wl != 32) {
				/* malformed sizes must be invalid */
				if (strcmp(res, "invalid") == 0)
					passed++;
				else
					test_fail(__FILE__, __LINE__, "tcId %lld: "
					    "odd sizes", json_get_int(t, "tcId", -1));
			} else {
				rc = x25519_shared(priv, pub, got, &e);
				if (all_zero(want, 32) ? rc == -1 :
				    rc == 0 && memcmp(got, want, 32) == 0)
					passed++;
				else if (strcmp(res, "invalid") == 0 && rc == -1)
					passed++;
				else
					test_fail(__FILE__, __LINE__, "tcId %lld "
					    "(%s): wrong result", json_get_int(t,
					    "tcId", -1), res);
			}
			free(priv);
			free(pub);
			free(want);
		}
	}
	printf("wycheproof/x25519_test.json: %d cases, %d passed\n", cases,
	    passed);
	CHECK(cases > 500);
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
