/* tls-rsadec-test — PKCS#1 v1.5 encryption round trips; the Wycheproof
 * decryption vectors are tests/peer/wycheproof-rsadec-test.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/rand.h"
#include "crypto/rsadec.h"
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

int
main(void)
{
	roundtrip();
	return test_done();
}
