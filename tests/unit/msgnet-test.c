/* msgnet-test.c — the listener's verdict on what arrives (msgnet_receive):
 * a signed message as it is; a sealed one (client send --seal) opened
 * with the listener's key first, then checked; sealed to someone else,
 * altered, with no key, or sealing something that is not a signed
 * message: each "invalid" with its exact reason. The network side is
 * tests/interop/flows-seal.sh and flows-msg.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "role/msg.h"
#include "role/msgnet.h"
#include "testcert.h"
#include "testlib.h"

#define ROOT "CN=Msgnet Test Root"

static const uint8_t text[] = "meet at nine";

static struct test_pki pki;
static struct cert_list bob;	/* CN=bob, other_key: not the listener */
static int64_t now;

static uint8_t *
sealed_to(const struct cert *to, const uint8_t *in, size_t n, size_t *len)
{
	struct err e;
	uint8_t *der = NULL;

	CHECK_EQ(msg_seal(&to, 1, in, n, NULL, &der, len, &e), 0);
	return der;
}

static void
test_receive(void)
{
	struct msgnet_verdict v;
	const struct cert *me = &pki.server_chain.v[0];	/* the listener */
	struct err e;
	uint8_t *sig = NULL, *env;
	size_t siglen = 0, len;
	char want[700], serial[3 * CERT_MAX_SERIAL + 1];

	CHECK_EQ(msg_sign_key(&pki.leaf_key, &pki.client_chain, text,
	    sizeof text - 1, NULL, &sig, &siglen, &e), 0);

	/* signed, as it is */
	msgnet_receive(sig, siglen, &pki.leaf_key, me, &pki.root, NULL, now,
	    &v);
	CHECK_STR(v.verdict, "unchecked");
	CHECK_EQ(v.sealed, 0);
	CHECK_STR(v.why, "signature and chain good; status not asked (no "
	    "--status)");
	msgnet_verdict_clear(&v);

	/* sealed to the listener: opened, then the same checks */
	env = sealed_to(me, sig, siglen, &len);
	msgnet_receive(env, len, &pki.leaf_key, me, &pki.root, NULL, now, &v);
	CHECK_STR(v.verdict, "unchecked");
	CHECK_EQ(v.sealed, 1);
	CHECK_STR(v.why, "sealed, opened; signature and chain good; status "
	    "not asked (no --status)");
	CHECK_STR(v.from, "CN=alice");
	CHECK_EQ(v.content_len, sizeof text - 1);
	CHECK(v.content != NULL && memcmp(v.content, text, sizeof text - 1)
	    == 0);
	msgnet_verdict_clear(&v);

	/* no key to open it with */
	msgnet_receive(env, len, NULL, me, &pki.root, NULL, now, &v);
	CHECK_STR(v.verdict, "invalid");
	CHECK_EQ(v.sealed, 1);
	CHECK_STR(v.why, "sealed, not opened: no key to open it with");
	CHECK(v.content == NULL);
	msgnet_verdict_clear(&v);

	/* altered: the last byte of the next-to-last CBC block flipped, so
	 * the padding cannot be valid */
	env[len - 17] ^= 0x80;
	msgnet_receive(env, len, &pki.leaf_key, me, &pki.root, NULL, now, &v);
	CHECK_STR(v.verdict, "invalid");
	CHECK_STR(v.why, "sealed, not opened: content decryption failed (not "
	    "sealed to this key, or altered)");
	msgnet_verdict_clear(&v);
	free(env);

	/* sealed to bob, received by the listener */
	env = sealed_to(&bob.v[0], sig, siglen, &len);
	msgnet_receive(env, len, &pki.leaf_key, me, &pki.root, NULL, now, &v);
	cert_serial_hex(me->serial, me->serial_len, serial, sizeof serial);
	snprintf(want, sizeof want, "sealed, not opened: the message is not "
	    "sealed to 'CN=localhost' (issuer '" ROOT "', serial %s; it has "
	    "1 recipient)", serial);
	CHECK_STR(v.verdict, "invalid");
	CHECK_STR(v.why, want);
	CHECK_STR(v.from, "");
	msgnet_verdict_clear(&v);
	/* and bob opens it */
	msgnet_receive(env, len, &pki.other_key, &bob.v[0], &pki.root, NULL,
	    now, &v);
	CHECK_STR(v.verdict, "unchecked");
	CHECK_EQ(v.sealed, 1);
	msgnet_verdict_clear(&v);
	free(env);

	/* sealed, but what is inside is not a signed message */
	env = sealed_to(me, text, sizeof text - 1, &len);
	msgnet_receive(env, len, &pki.leaf_key, me, &pki.root, NULL, now, &v);
	CHECK_STR(v.verdict, "invalid");
	CHECK_EQ(v.sealed, 1);
	CHECK(strncmp(v.why, "sealed, opened; not a CMS SignedData: ", 38)
	    == 0);
	CHECK(v.content == NULL);
	msgnet_verdict_clear(&v);
	free(env);

	/* a signer the anchors do not know: opened, chain invalid */
	env = sealed_to(me, sig, siglen, &len);
	msgnet_receive(env, len, &pki.leaf_key, me, &pki.other_root, NULL,
	    now, &v);
	CHECK_STR(v.verdict, "invalid");
	CHECK(strncmp(v.why, "sealed, opened; signature good; chain: ", 39)
	    == 0);
	msgnet_verdict_clear(&v);
	free(env);
	free(sig);
}

int
main(void)
{
	now = (int64_t)time(NULL);
	test_pki_setup(&pki, ROOT, now - 3600, now + 86400 * 30, now - 3600,
	    now + 86400 * 10);
	cert_list_init(&bob);
	test_make_cert(&bob, "CN=bob", ROOT, &pki.other_key, &pki.ca_key, 0,
	    OID_KP_SERVER_AUTH, NULL, now - 3600, now + 86400);
	test_receive();
	cert_list_clear(&bob);
	test_pki_clear(&pki);
	return test_done();
}
