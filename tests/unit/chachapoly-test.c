/* chachapoly-test — ChaCha20-Poly1305: the RFC 8439 2.8.2 vector sealed
 * and opened, in place too, and a flipped bit in the ciphertext, tag or
 * additional data refused (the output wiped). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/chachapoly.h"
#include "testlib.h"

int
main(void)
{
	uint8_t *key, *iv, *aad, *msg, *ct, *tag, buf[256], out[256];
	size_t kl, il, al, ml, cl, tl, i;

	key = test_hex("808182838485868788898a8b8c8d8e8f909192939495969798999a"
	    "9b9c9d9e9f", &kl);
	iv = test_hex("070000004041424344454647", &il);
	aad = test_hex("50515253c0c1c2c3c4c5c6c7", &al);
	msg = (uint8_t *)strdup("Ladies and Gentlemen of the class of '99: If "
	    "I could offer you only one tip for the future, sunscreen would be "
	    "it.");
	ml = strlen((char *)msg);
	ct = test_hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a7"
	    "36ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67e"
	    "cd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831"
	    "d7bc3ff4def08e4b7a9de576d26586cec64b6116", &cl);
	tag = test_hex("1ae10b594f09e26a7e902ecbd0600691", &tl);
	CHECK(kl == 32 && il == 12 && cl == ml && tl == 16);
	chachapoly_seal(key, iv, aad, al, msg, ml, out);
	CHECK_MEM(out, ct, cl);
	CHECK_MEM(out + cl, tag, tl);
	memcpy(buf, out, cl + tl);
	CHECK(chachapoly_open(key, iv, aad, al, buf, cl + tl, buf) == 0);
	CHECK_MEM(buf, msg, ml);
	for (i = 0; i < 3; i++) {
		memcpy(buf, out, cl + tl);
		if (i == 0)
			buf[5] ^= 1;
		else if (i == 1)
			buf[cl + 3] ^= 0x80;
		else
			aad[0] ^= 1;
		CHECK(chachapoly_open(key, iv, aad, al, buf, cl + tl, buf) ==
		    -1);
		CHECK(buf[0] == 0 && buf[ml - 1] == 0);	/* wiped */
		if (i == 2)
			aad[0] ^= 1;
	}
	CHECK(chachapoly_open(key, iv, aad, al, buf, 15, out) == -1);
	free(key);
	free(iv);
	free(aad);
	free(msg);
	free(ct);
	free(tag);
	return test_done();
}
