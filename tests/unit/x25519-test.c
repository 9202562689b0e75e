/* x25519-test — RFC 7748 vectors (5.2 and 6.1); the Wycheproof vectors are
 * tests/peer/wycheproof-x25519-test.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/x25519.h"
#include "testlib.h"

static void
kat(const char *k, const char *u, const char *out)
{
	uint8_t *kb, *ub, *ob, got[X25519_SIZE];
	size_t kl, ul, ol;
	struct err e;

	kb = test_hex(k, &kl);
	ub = test_hex(u, &ul);
	ob = test_hex(out, &ol);
	CHECK(x25519_shared(kb, ub, got, &e) == 0);
	CHECK_MEM(got, ob, X25519_SIZE);
	free(kb);
	free(ub);
	free(ob);
}

static void
rfc7748(void)
{
	uint8_t *a, *b, *apub, *bpub, pub[X25519_SIZE], zero[X25519_SIZE];
	size_t n;
	struct err e;

	kat("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
	    "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
	    "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
	a = test_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", &n);
	b = test_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", &n);
	apub = test_hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", &n);
	bpub = test_hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", &n);
	x25519_base(a, pub);
	CHECK_MEM(pub, apub, X25519_SIZE);
	x25519_base(b, pub);
	CHECK_MEM(pub, bpub, X25519_SIZE);
	kat("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
	    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
	    "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
	/* The zero point gives an all-zero secret: refused. */
	memset(zero, 0, sizeof zero);
	CHECK_ERR(x25519_shared(a, zero, pub, &e), &e, "small order");
	free(a);
	free(b);
	free(apub);
	free(bpub);
}

int
main(void)
{
	rfc7748();
	return test_done();
}
