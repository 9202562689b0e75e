/* entity-chain-test.c — entity_unlock_chain, the one unlocking of what a
 * TLS role presents (`server run`, `client connect` and the TUI's
 * Connect each had their own), and entity_load_chain: the key and the
 * chain leaf first, and the exact error of each refusal. */
#include <stdlib.h>
#include <string.h>

#include "role/entity.h"
#include "store/keystore.h"
#include "x509/pkey.h"
#include "testlib.h"
#include "testws.h"

static struct ws w;
static const char pass[] = "entity chain pass";

static void
test_unlock_chain(void)
{
	struct rsakey key, got;
	struct keystore ks;
	struct cert_list l;
	struct err e;
	uint8_t *kd, *leaf, *root, *chain;
	size_t kn, ln, rn;

	kd = test_slurp("tests/data/key-pkcs8.pem", &kn);
	leaf = test_slurp("tests/data/leaf.pem", &ln);
	root = test_slurp("tests/data/root.pem", &rn);
	chain = malloc(ln + rn);
	memcpy(chain, leaf, ln);
	memcpy(chain + ln, root, rn);
	rsakey_init(&key);
	CHECK(entity_read_key(kd, kn, NULL, 0, &key, &e) == 0);
	CHECK(entity_import(&w, "leaf", &key, chain, ln + rn, pass,
	    strlen(pass), &e) == 0);
	CHECK(entity_import(&w, "bare", &key, NULL, 0, pass, strlen(pass),
	    &e) == 0);

	/* The key and the chain, leaf first. */
	rsakey_init(&got);
	keystore_init(&ks);
	cert_list_init(&l);
	CHECK(entity_unlock_chain(&w, "leaf", pass, strlen(pass), &ks, &got,
	    &l, &e) == 0);
	CHECK(got.has_private);
	CHECK(entity_same_key(&got, &key));
	CHECK_EQ(l.n, 2);
	CHECK(l.n == 2 && entity_same_key(&l.v[0].key, &key));
	CHECK(ks.cert_pem != NULL);
	cert_list_clear(&l);
	keystore_clear(&ks);
	rsakey_clear(&got);

	/* Without a passphrase: the chain alone. */
	cert_list_init(&l);
	CHECK(entity_load_chain(&w, "leaf", &l, &e) == 0);
	CHECK_EQ(l.n, 2);
	cert_list_clear(&l);

	/* Refusals, each with its kind. */
	rsakey_init(&got);
	cert_list_init(&l);
	CHECK_ERR(entity_unlock_chain(&w, "bare", pass, strlen(pass), NULL,
	    &got, &l, &e), &e, "entity 'bare' has no certificate yet "
	    "(import one issued by the CA)");
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK_STR(e.msg, "entity 'bare' has no certificate yet (import one "
	    "issued by the CA)");
	CHECK_ERR(entity_load_chain(&w, "bare", &l, &e), &e,
	    "entity 'bare' has no certificate yet");
	CHECK_EQ(e.kind, ERR_REFUSED);
	CHECK_ERR(entity_unlock_chain(&w, "nobody", pass, strlen(pass), NULL,
	    &got, &l, &e), &e, "no keystore 'nobody'");
	CHECK_EQ(e.kind, ERR_USAGE);
	CHECK_ERR(entity_load_chain(&w, "nobody", &l, &e), &e,
	    "no keystore 'nobody'");
	CHECK_ERR(entity_unlock_chain(&w, "a/b", pass, strlen(pass), NULL,
	    &got, &l, &e), &e, "invalid name 'a/b'");
	CHECK_ERR(entity_unlock_chain(&w, "leaf", "wrong", 5, NULL, &got, &l,
	    &e), &e, "wrong passphrase for keystore 'leaf' (or the file was "
	    "altered)");
	CHECK_EQ(e.kind, ERR_PASS);
	CHECK_EQ(l.n, 0);
	cert_list_clear(&l);
	rsakey_clear(&got);
	rsakey_clear(&key);
	free(chain);
	free(root);
	free(leaf);
	free(kd);
}

static void
spki_ec(struct derw *dw, const void *arg)
{
	pkey_encode_spki_ec(dw, arg);
}

/* entity_unlock takes RSA only and refuses an EC key by its type, also
 * one stored without its private part; entity_unlock_any takes both. */
static void
test_unlock_ec(void)
{
	struct pkey pk, any;
	struct rsakey got;
	struct cert_list l;
	struct err e;
	uint8_t *spki;
	size_t n;

	pkey_init(&pk);
	CHECK(entity_new_ec_key(&w, "eck", pass, strlen(pass), &pk, &e) == 0);
	rsakey_init(&got);
	CHECK_ERR(entity_unlock(&w, "eck", pass, strlen(pass), NULL, &got,
	    &e), &e, "keystore 'eck': a P-256 EC key where an RSA key is "
	    "needed");
	CHECK_STR(e.msg, "keystore 'eck': a P-256 EC key where an RSA key is "
	    "needed");
	CHECK_EQ(e.kind, ERR_INPUT);
	CHECK(!got.has_private);
	pkey_init(&any);
	CHECK(entity_unlock_any(&w, "eck", pass, strlen(pass), NULL, &any,
	    &e) == 0);
	CHECK(any.type == PKEY_EC && pkey_has_private(&any));
	pkey_clear(&any);
	/* With the chain: the key type is refused before the missing
	 * certificate. */
	cert_list_init(&l);
	CHECK_ERR(entity_unlock_chain(&w, "eck", pass, strlen(pass), NULL,
	    &got, &l, &e), &e, "keystore 'eck': a P-256 EC key where an RSA "
	    "key is needed");
	pkey_init(&any);
	CHECK_ERR(entity_unlock_chain_any(&w, "eck", pass, strlen(pass), NULL,
	    &any, &l, &e), &e, "entity 'eck' has no certificate yet");
	CHECK_EQ(e.kind, ERR_REFUSED);
	pkey_clear(&any);
	cert_list_clear(&l);

	/* A public-only EC keystore: still the key-type message for RSA. */
	spki = der_encode(spki_ec, &pk.ec, &n, &e);
	CHECK(spki != NULL);
	CHECK(keystore_create(&w, "ecpub", spki, n, pass, strlen(pass), NULL,
	    NULL, 0, &e) == 0);
	CHECK_ERR(entity_unlock(&w, "ecpub", pass, strlen(pass), NULL, &got,
	    &e), &e, "keystore 'ecpub': a P-256 EC key where an RSA key is "
	    "needed");
	CHECK_STR(e.msg, "keystore 'ecpub': a P-256 EC key where an RSA key "
	    "is needed");
	pkey_init(&any);
	CHECK_ERR(entity_unlock_any(&w, "ecpub", pass, strlen(pass), NULL,
	    &any, &e), &e, "keystore 'ecpub': holds no private key");
	CHECK_STR(e.msg, "keystore 'ecpub': holds no private key");
	CHECK_EQ(e.kind, ERR_INPUT);
	pkey_clear(&any);
	free(spki);
	rsakey_clear(&got);
	pkey_clear(&pk);
}

int
main(void)
{
	char dir[] = "tests/work/entity-chain-XXXXXX";

	if (test_ws_open(&w, dir) == -1)
		return 1;
	test_unlock_chain();
	test_unlock_ec();
	test_ws_remove(&w, dir);
	return test_done();
}
