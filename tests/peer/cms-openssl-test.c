/* cms-openssl-test.c — OpenSSL as the judge of CMS SignedData, both ways:
 * `openssl pkcs7 -print_certs` reads our certs-only and prints our
 * certificates; we read what `openssl crl2pkcs7 -nocrl` writes (and write
 * the same bytes); `openssl cms -verify` accepts what we sign, attached and
 * detached, and refuses it tampered; we verify what `openssl cms -sign`
 * writes (with and without S/MIME capabilities or signed attributes, by
 * subjectKeyIdentifier, SHA-384/512, RSASSA-PSS, detached) and refuse its
 * -stream form with the exact error. Skipped (77) without openssl. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "x509/cms.h"
#include "x509/pkey.h"
#include "testcert.h"
#include "peerlib.h"
#include "testlib.h"

#define DIR "tests/work/cms-openssl"
#define DATA "tests/data"
#define SIGNER "-signer " DATA "/leaf.pem -inkey " DATA "/key-pkcs8.pem"
#define VERIFY "openssl cms -verify -inform DER -CAfile " DATA "/root.pem " \
	"-purpose any"

static const uint8_t msg[] = "CMS judged by OpenSSL\r\nline two\n\0binary";

/* Nonzero when the two lists hold the same certificates in order. */
static int
same_certs(const struct cert_list *a, const struct cert_list *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->v[i].len != b->v[i].len ||
		    memcmp(a->v[i].der, b->v[i].der, a->v[i].len) != 0)
			return 0;
	return 1;
}

/* Our certs-only, read by openssl pkcs7; openssl's, read by us. */
static void
test_certs_only(const struct cert_list *chain)
{
	struct cert_list printed;
	struct cms c;
	struct err e;
	uint8_t *der = NULL, *theirs;
	size_t len = 0, tlen;

	cms_init(&c);
	cert_list_init(&printed);
	CHECK_EQ(cms_write_certs(chain, &der, &len, &e), 0);
	test_spit(DIR "/certs.p7b", der, len);
	CHECK_EQ(peer_run("openssl pkcs7 -inform DER -in " DIR "/certs.p7b "
	    "-print_certs -out " DIR "/printed.pem"), 0);
	test_load_certs(DIR "/printed.pem", &printed);
	CHECK(same_certs(&printed, chain));

	CHECK_EQ(peer_run("openssl crl2pkcs7 -nocrl -certfile " DATA "/leaf.pem "
	    "-certfile " DATA "/root.pem -outform DER -out " DIR "/theirs.p7b"),
	    0);
	theirs = test_slurp(DIR "/theirs.p7b", &tlen);
	CHECK_EQ(cms_parse(&c, theirs, tlen, &e), 0);
	CHECK(same_certs(&c.certs, chain));
	CHECK_EQ(c.nsigners, 0);
	/* The same structure, byte for byte. */
	CHECK_EQ(tlen, len);
	if (tlen == len)
		CHECK_MEM(theirs, der, len);
	free(theirs);
	free(der);
	cms_clear(&c);
	cert_list_clear(&printed);
}

/* What we sign, verified by openssl cms. */
static void
test_we_sign(const struct cert_list *chain, const struct rsakey *key)
{
	struct cms_sign_params p;
	struct err e;
	uint8_t *der = NULL, *out;
	size_t len = 0, n;

	memset(&p, 0, sizeof p);
	p.key = key;
	p.chain = chain;
	p.content = msg;
	p.content_len = sizeof msg - 1;
	p.has_signing_time = 1;
	p.signing_time = 1796656458;
	CHECK_EQ(cms_write_signed(&p, &der, &len, &e), 0);
	test_spit(DIR "/ours-attached.der", der, len);
	free(der);
	CHECK_EQ(peer_run(VERIFY " -in " DIR "/ours-attached.der -out " DIR
	    "/out.bin 2>" DIR "/verify.err"), 0);
	out = test_slurp(DIR "/out.bin", &n);
	CHECK_EQ(n, sizeof msg - 1);
	if (n == sizeof msg - 1)
		CHECK_MEM(out, msg, n);
	free(out);
	/* openssl -cmsout -print shows the attributes it read. */
	CHECK_EQ(peer_run("openssl cms -cmsout -print -inform DER -in " DIR
	    "/ours-attached.der | grep -q 'Dec  7 15:14:18 2026 GMT'"), 0);

	p.detached = 1;
	CHECK_EQ(cms_write_signed(&p, &der, &len, &e), 0);
	test_spit(DIR "/ours-detached.der", der, len);
	free(der);
	test_spit(DIR "/content.bin", msg, sizeof msg - 1);
	CHECK_EQ(peer_run(VERIFY " -binary -in " DIR "/ours-detached.der -content "
	    DIR "/content.bin -out /dev/null 2>" DIR "/verify.err"), 0);
	/* Must fail: other content, and no content. */
	test_spit(DIR "/content.bin", msg, sizeof msg - 2);
	CHECK(peer_run(VERIFY " -binary -in " DIR "/ours-detached.der -content "
	    DIR "/content.bin -out /dev/null 2>/dev/null") != 0);
	CHECK(peer_run(VERIFY " -in " DIR "/ours-detached.der -out /dev/null "
	    "2>/dev/null") != 0);
	/* RSASSA-PSS. */
	p.detached = 0;
	p.pss = 1;
	CHECK_EQ(cms_write_signed(&p, &der, &len, &e), 0);
	test_spit(DIR "/ours-pss.der", der, len);
	free(der);
	CHECK_EQ(peer_run(VERIFY " -in " DIR "/ours-pss.der -out /dev/null 2>"
	    DIR "/verify.err"), 0);
	CHECK_EQ(peer_run("openssl cms -cmsout -print -inform DER -in " DIR
	    "/ours-pss.der | grep -q 'algorithm: rsassaPss'"), 0);
	/* Must fail: without the root as a trust anchor. */
	CHECK(peer_run("openssl cms -verify -inform DER -purpose any -in " DIR
	    "/ours-attached.der -out /dev/null 2>/dev/null") != 0);
}

/* What openssl cms -sign writes, verified by us. */
static void
theirs(const char *name, const char *opts, int detached, enum oid_id sigoid,
    int version)
{
	struct cms_verify_params p;
	struct cms c;
	struct err e;
	char cmd[1024];
	const struct cert *who = NULL;
	uint8_t *der;
	size_t len;

	cms_init(&c);
	snprintf(cmd, sizeof cmd, "openssl cms -sign -binary -outform DER "
	    SIGNER " -in " DIR "/content.bin -out " DIR "/%s.der %s", name,
	    opts);
	if (peer_run(cmd) != 0) {
		test_fail(__FILE__, __LINE__, "%s: failed", cmd);
		return;
	}
	test_checks++;
	snprintf(cmd, sizeof cmd, DIR "/%s.der", name);
	der = test_slurp(cmd, &len);
	if (cms_parse(&c, der, len, &e) == -1) {
		test_fail(__FILE__, __LINE__, "%s: %s", name, e.msg);
		goto out;
	}
	CHECK_EQ(c.nsigners, 1);
	CHECK_EQ(c.has_content, !detached);
	if (c.nsigners != 1)
		goto out;
	CHECK_EQ(c.signers[0].sigalg.oid, sigoid);
	CHECK_EQ(c.signers[0].version, version);
	memset(&p, 0, sizeof p);
	if (detached) {
		p.content = msg;
		p.content_len = sizeof msg - 1;
	}
	if (cms_verify(&c, 0, &p, &who, &e) == -1)
		test_fail(__FILE__, __LINE__, "%s: %s", name, e.msg);
	else
		CHECK_STR(dn_get(&who->subject, OID_CN), "leaf.example");
	/* Must fail: other content. */
	p.content = msg;
	p.content_len = sizeof msg - 2;
	if (!detached) {
		/* In place: the content's last byte. */
		((uint8_t *)c.content)[c.content_len - 1] ^= 1;
		p.content = NULL;
	}
	CHECK_ERR(cms_verify(&c, 0, &p, NULL, &e), &e, c.signers[0].has_attrs ?
	    "signer 1: messageDigest attribute does not match the content" :
	    "signer 1: signature does not verify");
out:
	free(der);
	cms_clear(&c);
}

static void
test_they_sign(void)
{
	struct cms c;
	struct err e;
	uint8_t *der;
	size_t len;

	test_spit(DIR "/content.bin", msg, sizeof msg - 1);
	theirs("plain", "-nodetach -md sha256", 0, OID_RSA_ENCRYPTION, 1);
	theirs("nosmimecap", "-nodetach -md sha256 -nosmimecap", 0,
	    OID_RSA_ENCRYPTION, 1);
	theirs("noattr", "-nodetach -md sha256 -noattr", 0,
	    OID_RSA_ENCRYPTION, 1);
	theirs("keyid", "-nodetach -md sha256 -keyid", 0,
	    OID_RSA_ENCRYPTION, 3);
	theirs("chain", "-nodetach -md sha256 -certfile " DATA "/root.pem", 0,
	    OID_RSA_ENCRYPTION, 1);
	theirs("sha384", "-nodetach -md sha384", 0, OID_RSA_ENCRYPTION, 1);
	theirs("sha512", "-nodetach -md sha512", 0, OID_RSA_ENCRYPTION, 1);
	theirs("pss", "-nodetach -md sha256 -keyopt rsa_padding_mode:pss", 0,
	    OID_RSASSA_PSS, 1);
	theirs("detached", "-md sha256", 1, OID_RSA_ENCRYPTION, 1);

	/* -stream writes BER with indefinite lengths: refused, exactly. */
	cms_init(&c);
	CHECK_EQ(peer_run("openssl cms -sign -binary -nodetach -stream -outform DER "
	    SIGNER " -in " DIR "/content.bin -out " DIR "/stream.der"), 0);
	der = test_slurp(DIR "/stream.der", &len);
	CHECK_ERR(cms_parse(&c, der, len, &e), &e,
	    "offset 0x0: indefinite length");
	CHECK_EQ(e.kind, ERR_INPUT);
	free(der);
	/* PEM as openssl writes it. */
	CHECK_EQ(peer_run("openssl cms -sign -binary -nodetach -outform PEM "
	    SIGNER " -in " DIR "/content.bin -out " DIR "/signed.pem"), 0);
	der = test_slurp(DIR "/signed.pem", &len);
	CHECK_EQ(cms_load(&c, der, len, &e), 0);
	CHECK_EQ(c.nsigners, 1);
	CHECK_EQ(cms_verify(&c, 0, NULL, NULL, &e), 0);
	free(der);
	cms_clear(&c);
}

/* Without -purpose any, openssl cms -verify wants a signer fit for
 * S/MIME signing: a leaf with emailProtection, from our own builder. */
static void
test_smime_purpose(const struct rsakey *leaf_key)
{
	struct cms_sign_params p;
	struct cert_list ca, ee;
	struct rsakey ca_key;
	struct buf b;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;

	cert_list_init(&ca);
	cert_list_init(&ee);
	test_load_key(DATA "/key-pkcs1.pem", &ca_key);
	test_make_cert(&ca, "CN=CMS Test Root", "CN=CMS Test Root", &ca_key,
	    &ca_key, 1, 0, NULL, 1700000000, 2100000000);
	test_make_cert(&ee, "CN=alice,emailAddress=alice@example.org",
	    "CN=CMS Test Root", leaf_key, &ca_key, 0, OID_KP_EMAIL_PROTECTION,
	    NULL, 1700000000, 2100000000);
	buf_init(&b);
	pem_encode("CERTIFICATE", ca.v[0].der, ca.v[0].len, &b);
	test_spit(DIR "/smime-root.pem", b.data, b.len);
	buf_clear(&b);
	memset(&p, 0, sizeof p);
	p.key = leaf_key;
	p.chain = &ee;
	p.content = msg;
	p.content_len = sizeof msg - 1;
	CHECK_EQ(cms_write_signed(&p, &der, &len, &e), 0);
	test_spit(DIR "/ours-smime.der", der, len);
	free(der);
	CHECK_EQ(peer_run("openssl cms -verify -inform DER -CAfile " DIR
	    "/smime-root.pem -in " DIR "/ours-smime.der -out /dev/null 2>"
	    DIR "/verify.err"), 0);
	/* Must fail: the TLS leaf is not for S/MIME. */
	CHECK(peer_run("openssl cms -verify -inform DER -CAfile " DATA "/root.pem "
	    "-in " DIR "/ours-attached.der -out /dev/null 2>/dev/null") != 0);
	cert_list_clear(&ca);
	cert_list_clear(&ee);
	rsakey_clear(&ca_key);
}

int
main(void)
{
	struct cert_list chain;
	struct rsakey key;

	peer_need_openssl(DIR);
	cert_list_init(&chain);
	test_load_certs(DATA "/leaf.pem", &chain);
	test_load_certs(DATA "/root.pem", &chain);
	test_load_key(DATA "/key-pkcs8.pem", &key);

	test_certs_only(&chain);
	test_we_sign(&chain, &key);
	test_smime_purpose(&key);
	test_they_sign();

	if (test_failures == 0)
		peer_run("rm -rf " DIR);
	cert_list_clear(&chain);
	rsakey_clear(&key);
	return test_done();
}
