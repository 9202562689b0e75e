/* cms-env-test.c — sealed and signed messages: MGF1 known answers, OAEP
 * round trips and its silent failures, EnvelopedData / AuthEnvelopedData
 * round trips (CBC, GCM, OAEP, PKCS#1 v1.5, several recipients), every
 * decryption failure the same words, broken messages refused with their
 * exact errors, and role/msg's verdicts (good, altered, wrong purpose,
 * revoked, no status). OpenSSL's view is tests/peer/msg-openssl-test.c
 * and tests/interop/msg-openssl.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asn1/pem.h"
#include "crypto/oaep.h"
#include "crypto/rsadec.h"
#include "role/msg.h"
#include "x509/cms-env.h"
#include "testcert.h"
#include "testlib.h"

#define ROOT "CN=Msg Test Root"

static const uint8_t text[] = "a sealed line\nand a second one\n";

static struct test_pki pki;
static struct cert_list email_chain;	/* CN=carol, emailProtection */
static int64_t now;

/* ---- OAEP ---- */

static void
test_mgf1(void)
{
	uint8_t out[50];
	uint8_t *want;
	size_t n;

	/* The examples of MGF1 everyone quotes (seed "foo", "bar"). */
	memset(out, 0, sizeof out);
	oaep_mgf1_xor(HASH_SHA1, (const uint8_t *)"foo", 3, out, 3);
	want = test_hex("1ac907", &n);
	CHECK_MEM(out, want, n);
	free(want);
	memset(out, 0, sizeof out);
	oaep_mgf1_xor(HASH_SHA1, (const uint8_t *)"bar", 3, out, 50);
	want = test_hex("bc0c655e016bc2931d85a2e675181adcef7f581f76df2739da74fa"
	    "ac41627be2f7f415c89e983fd0ce80ced9878641cb4876", &n);
	CHECK_MEM(out, want, n);
	free(want);
	memset(out, 0, sizeof out);
	oaep_mgf1_xor(HASH_SHA256, (const uint8_t *)"bar", 3, out, 50);
	want = test_hex("382576a7841021cc28fc4c0948753fb8312090cea942ea4c4e735d"
	    "10dc724b155f9f6069f289d61daca0cb814502ef04eae1", &n);
	CHECK_MEM(out, want, n);
	free(want);
}

static void
test_oaep(void)
{
	const struct rsakey *k = &pki.leaf_key;
	uint8_t ct[512], ct2[512], out[64], msg[32];
	size_t ksize = k->pub.size;
	struct err e;

	memset(msg, 0x5a, sizeof msg);
	CHECK_EQ(oaep_encrypt(&k->pub, HASH_SHA256, HASH_SHA256, msg,
	    sizeof msg, ct, &e), 0);
	CHECK_EQ(oaep_decrypt(k, HASH_SHA256, HASH_SHA256, ct, ksize, out,
	    sizeof msg), 1);
	CHECK_MEM(out, msg, sizeof msg);
	/* Two encryptions differ (the seed is random). */
	CHECK_EQ(oaep_encrypt(&k->pub, HASH_SHA256, HASH_SHA256, msg,
	    sizeof msg, ct2, &e), 0);
	CHECK(memcmp(ct, ct2, ksize) != 0);
	/* Another length expected, other hashes, a bit flipped, a short
	 * ciphertext, the wrong key: all 0, nothing else said. */
	CHECK_EQ(oaep_decrypt(k, HASH_SHA256, HASH_SHA256, ct, ksize, out,
	    16), 0);
	CHECK_EQ(oaep_decrypt(k, HASH_SHA256, HASH_SHA256, ct, ksize, out,
	    33), 0);
	CHECK_EQ(oaep_decrypt(k, HASH_SHA1, HASH_SHA256, ct, ksize, out, 32),
	    0);
	CHECK_EQ(oaep_decrypt(k, HASH_SHA256, HASH_SHA1, ct, ksize, out, 32),
	    0);
	ct[ksize - 1] ^= 1;
	CHECK_EQ(oaep_decrypt(k, HASH_SHA256, HASH_SHA256, ct, ksize, out,
	    32), 0);
	CHECK_EQ(oaep_decrypt(k, HASH_SHA256, HASH_SHA256, ct2, ksize - 1,
	    out, 32), 0);
	CHECK_EQ(oaep_decrypt(&pki.ca_key, HASH_SHA256, HASH_SHA256, ct2,
	    ksize, out, 32), 0);
	/* A ciphertext not below the modulus. */
	memset(ct, 0xff, ksize);
	CHECK_EQ(oaep_decrypt(k, HASH_SHA256, HASH_SHA256, ct, ksize, out,
	    32), 0);
	/* SHA-1 label with SHA-512 MGF1, and an empty message. */
	CHECK_EQ(oaep_encrypt(&k->pub, HASH_SHA1, HASH_SHA512, msg, 0, ct,
	    &e), 0);
	CHECK_EQ(oaep_decrypt(k, HASH_SHA1, HASH_SHA512, ct, ksize, out, 0),
	    1);
	/* What does not fit is said. */
	CHECK_ERR(oaep_encrypt(&k->pub, HASH_SHA512, HASH_SHA512, msg,
	    ksize - 2 * 64 - 1, ct, &e), &e, "RSA-OAEP sha512: 127 bytes do "
	    "not fit a 256-byte key");
	CHECK_ERR(oaep_encrypt(&k->pub, HASH_NONE, HASH_SHA256, msg, 1, ct,
	    &e), &e, "RSA-OAEP with none / MGF1 sha256 is not supported");
}

/* ---- seal and open ---- */

static uint8_t *
seal(const struct cert *const *to, size_t nto, int gcm, enum cms_kt kt,
    const uint8_t *m, size_t mlen, size_t *len)
{
	struct cms_seal_params p;
	struct err e;
	uint8_t *der = NULL;

	memset(&p, 0, sizeof p);
	p.to = to;
	p.nto = nto;
	p.content = m;
	p.content_len = mlen;
	p.gcm = gcm;
	p.kt = kt;
	err_clear(&e);
	if (cms_write_sealed(&p, &der, len, &e) == -1)
		test_fail(__FILE__, __LINE__, "seal: %s", e.msg);
	return der;
}

/* Opens der for cert with key; returns the cms_env_open result and puts
 * the error in *e. */
static int
open_with(const uint8_t *der, size_t len, const struct cert *cert,
    const struct rsakey *key, struct buf *out, struct err *e)
{
	struct cms_env c;
	int rc;

	cms_env_init(&c);
	err_clear(e);
	rc = cms_env_parse(&c, der, len, e);
	if (rc == 0)
		rc = cms_env_open(&c, cert, key, out, e);
	cms_env_clear(&c);
	return rc;
}

static void
test_round_trips(void)
{
	const struct cert *leaf = &pki.server_chain.v[0];
	const struct cert *other = &pki.other_root.v[0];
	const struct cert *two[2] = { other, leaf };
	struct cms_env c;
	struct buf out;
	struct err e;
	uint8_t *der;
	size_t len;
	int gcm, kt;

	buf_init(&out);
	for (gcm = 0; gcm <= 1; gcm++)
		for (kt = CMS_KT_OAEP; kt <= CMS_KT_PKCS1; kt++) {
			der = seal(two, 2, gcm, (enum cms_kt)kt, text,
			    sizeof text - 1, &len);
			cms_env_init(&c);
			CHECK_EQ(cms_env_parse(&c, der, len, &e), 0);
			CHECK_EQ(c.auth, gcm);
			CHECK_EQ(c.nrecips, 2);
			CHECK_EQ(c.cipher, gcm ? CMS_AES256_GCM :
			    CMS_AES256_CBC);
			CHECK_EQ(c.recips[0].kt, kt);
			CHECK_EQ(c.recips[1].kt, kt);
			if (kt == CMS_KT_OAEP)
				CHECK_EQ(c.recips[0].oaep_mgf, HASH_SHA256);
			CHECK_EQ(cms_env_find(&c, leaf) >= 0, 1);
			CHECK_EQ(cms_env_find(&c, &pki.client_chain.v[0]), -1);
			cms_env_clear(&c);
			/* Each recipient opens it with its own key. */
			out.len = 0;
			CHECK_EQ(open_with(der, len, leaf, &pki.leaf_key, &out,
			    &e), 0);
			CHECK_EQ(out.len, sizeof text - 1);
			CHECK_MEM(out.data, text, sizeof text - 1);
			out.len = 0;
			CHECK_EQ(open_with(der, len, other, &pki.other_key,
			    &out, &e), 0);
			CHECK_EQ(out.len, sizeof text - 1);
			free(der);
		}
	/* Empty content, both ciphers. */
	for (gcm = 0; gcm <= 1; gcm++) {
		der = seal(&leaf, 1, gcm, CMS_KT_OAEP, NULL, 0, &len);
		out.len = 0;
		CHECK_EQ(open_with(der, len, leaf, &pki.leaf_key, &out, &e), 0);
		CHECK_EQ(out.len, 0);
		free(der);
	}
	buf_clear(&out);
}

/* Every failure after the RSA step reads the same. */
#define DECRYPT_FAILED "content decryption failed (not sealed to this " \
	"key, or altered)"

/* Offset of the first occurrence of needle in der (a test of ours). */
static size_t
find(const uint8_t *der, size_t len, const uint8_t *needle, size_t n)
{
	size_t i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(der + i, needle, n) == 0)
			return i;
	test_fail(__FILE__, __LINE__, "pattern not found");
	return 0;
}

static void
test_broken(void)
{
	const struct cert *leaf = &pki.server_chain.v[0];
	const struct cert *alice = &pki.client_chain.v[0];
	struct cms_env c;
	struct buf out;
	struct err e;
	uint8_t *der, ekey_tag[] = { 0x04, 0x82, 0x01, 0x00 };
	size_t len, off;
	char want[512];
	int gcm;

	buf_init(&out);
	for (gcm = 0; gcm <= 1; gcm++) {
		/* The encryptedKey damaged: PKCS#1 v1.5 and OAEP fail late,
		 * as the content. */
		der = seal(&leaf, 1, gcm, CMS_KT_PKCS1, text, sizeof text - 1,
		    &len);
		off = find(der, len, ekey_tag, sizeof ekey_tag);
		der[off + 4 + 10] ^= 0x40;
		out.len = 0;
		if (gcm) {
			CHECK_ERR(open_with(der, len, leaf, &pki.leaf_key,
			    &out, &e), &e, DECRYPT_FAILED);
			CHECK_EQ(e.kind, ERR_PASS);
			CHECK_EQ(out.len, 0);
		} else if (open_with(der, len, leaf, &pki.leaf_key, &out,
		    &e) == -1) {
			/* CBC under the random key: the padding fails, or
			 * (1 in 256) garbage comes out — never the text. */
			CHECK_STR(e.msg, DECRYPT_FAILED);
			CHECK_EQ(e.kind, ERR_PASS);
			CHECK_EQ(out.len, 0);
		} else
			CHECK(out.len != sizeof text - 1 ||
			    memcmp(out.data, text, out.len) != 0);
		out.len = 0;
		free(der);
		der = seal(&leaf, 1, gcm, CMS_KT_OAEP, text, sizeof text - 1,
		    &len);
		off = find(der, len, ekey_tag, sizeof ekey_tag);
		der[off + 4 + 200] ^= 0x01;
		if (gcm)
			CHECK_ERR(open_with(der, len, leaf, &pki.leaf_key,
			    &out, &e), &e, DECRYPT_FAILED);
		else if (open_with(der, len, leaf, &pki.leaf_key, &out, &e)
		    == -1)
			CHECK_STR(e.msg, DECRYPT_FAILED);
		else
			CHECK(memcmp(out.data, text, out.len) != 0);
		out.len = 0;
		der[off + 4 + 200] ^= 0x01;
		/* GCM: the tag's last byte; CBC: the byte of the
		 * next-to-last block that makes the padding byte 0x81. */
		der[gcm ? len - 1 : len - 17] ^= 0x80;
		CHECK_ERR(open_with(der, len, leaf, &pki.leaf_key, &out, &e),
		    &e, DECRYPT_FAILED);
		CHECK_EQ(out.len, 0);
		der[gcm ? len - 1 : len - 17] ^= 0x80;
		CHECK_EQ(open_with(der, len, leaf, &pki.leaf_key, &out, &e), 0);
		CHECK_EQ(out.len, sizeof text - 1);
		out.len = 0;
		/* Not sealed to alice; alice's certificate with the leaf's
		 * key; a certificate with the wrong key. */
		CHECK_ERR(open_with(der, len, alice, &pki.leaf_key, &out, &e),
		    &e, "the message is not sealed to 'CN=alice' (issuer '"
		    ROOT "', serial ");
		CHECK_EQ(e.kind, ERR_REFUSED);
		CHECK(strstr(e.msg, "; it has 1 recipient)") != NULL);
		CHECK_ERR(open_with(der, len, leaf, &pki.ca_key, &out, &e),
		    &e, "the key does not match the recipient's certificate");
		free(der);
	}
	/* GCM: the ciphertext and the tag both count. */
	der = seal(&leaf, 1, 1, CMS_KT_OAEP, text, sizeof text - 1, &len);
	der[len - 16 - 2 - 3] ^= 0x01;		/* in the ciphertext */
	CHECK_ERR(open_with(der, len, leaf, &pki.leaf_key, &out, &e), &e,
	    DECRYPT_FAILED);
	free(der);

	/* Too many recipients, none, a key that is not RSA. */
	{
		const struct cert *many[CMS_MAX_RECIPS + 1];
		struct cms_seal_params p;
		struct cert ec;
		size_t i;

		for (i = 0; i <= CMS_MAX_RECIPS; i++)
			many[i] = leaf;
		memset(&p, 0, sizeof p);
		p.to = many;
		p.nto = CMS_MAX_RECIPS + 1;
		CHECK_ERR(cms_write_sealed(&p, &der, &len, &e), &e,
		    "more than 16 recipients");
		p.nto = 0;
		CHECK_ERR(cms_write_sealed(&p, &der, &len, &e), &e,
		    "sealing needs at least one recipient certificate");
		ec = *leaf;
		ec.key_alg = OID_EC_PUBLIC_KEY;
		many[1] = &ec;
		p.nto = 2;
		CHECK_ERR(cms_write_sealed(&p, &der, &len, &e), &e,
		    "recipient 2: the certificate's key is not RSA");
	}

	/* Parse errors, exactly. */
	cms_env_init(&c);
	CHECK_ERR(cms_env_parse(&c, (const uint8_t *)"", 0, &e), &e,
	    "offset 0x0: ");
	der = seal(&leaf, 1, 0, CMS_KT_OAEP, text, sizeof text - 1, &len);
	for (off = 0; off < len; off++)	/* every truncation fails */
		if (cms_env_parse(&c, der, off, &e) != -1)
			test_fail(__FILE__, __LINE__, "%zu bytes parsed", off);
	{
		uint8_t *longer = malloc(len + 1);

		memcpy(longer, der, len);
		longer[len] = 0;
		snprintf(want, sizeof want, "offset 0x%zx: 1 bytes left over "
		    "at end of CMS message", len);
		CHECK_ERR(cms_env_parse(&c, longer, len + 1, &e), &e, want);
		free(longer);
	}
	{
		/* AES-GCM's OID in an EnvelopedData. */
		static const uint8_t cbc[] = { 0x06, 0x09, 0x60, 0x86, 0x48,
		    0x01, 0x65, 0x03, 0x04, 0x01, 0x2a };

		off = find(der, len, cbc, sizeof cbc);
		der[off + 10] = 0x2e;
		snprintf(want, sizeof want, "offset 0x%zx: AES-GCM in "
		    "EnvelopedData (RFC 5083: AuthEnvelopedData)", off);
		CHECK_ERR(cms_env_parse(&c, der, len, &e), &e, want);
		der[off + 10] = 0x16;
		snprintf(want, sizeof want, "offset 0x%zx: content encryption "
		    "2.16.840.1.101.3.4.1.22 is not supported (only "
		    "AES-128/256 CBC and GCM)", off);
		CHECK_ERR(cms_env_parse(&c, der, len, &e), &e, want);
		der[off + 10] = 0x2a;
	}
	{
		/* The EnvelopedData's version (before its SET of
		 * recipients), then the ktri's (before its rid). */
		static const uint8_t ed_v0[] = { 0x02, 0x01, 0x00, 0x31 };
		static const uint8_t ktri_v0[] = { 0x02, 0x01, 0x00, 0x30 };

		off = find(der, len, ed_v0, sizeof ed_v0);
		der[off + 2] = 5;
		snprintf(want, sizeof want, "offset 0x%zx: EnvelopedData "
		    "version 5 is not supported", off);
		CHECK_ERR(cms_env_parse(&c, der, len, &e), &e, want);
		der[off + 2] = 0;
		off = find(der, len, ktri_v0, sizeof ktri_v0);
		der[off + 2] = 1;
		snprintf(want, sizeof want, "offset 0x%zx: "
		    "KeyTransRecipientInfo version 1 is not supported", off);
		CHECK_ERR(cms_env_parse(&c, der, len, &e), &e, want);
		der[off + 2] = 0;
	}
	CHECK_EQ(cms_env_parse(&c, der, len, &e), 0);
	{
		/* A SignedData is not a sealed message. */
		static const uint8_t enveloped[] = { 0x2a, 0x86, 0x48, 0x86,
		    0xf7, 0x0d, 0x01, 0x07, 0x03 };

		off = find(der, len, enveloped, sizeof enveloped);
		der[off + 8] = 0x02;
		snprintf(want, sizeof want, "offset 0x%zx: content type "
		    "pkcs7-signedData is not supported (only "
		    "pkcs7-envelopedData and id-smime-ct-authEnvelopedData)",
		    off - 2);
		CHECK_ERR(cms_env_parse(&c, der, len, &e), &e, want);
	}
	free(der);
	/* GCM parameters: a 12-byte tag is refused. */
	der = seal(&leaf, 1, 1, CMS_KT_OAEP, text, sizeof text - 1, &len);
	{
		static const uint8_t icv[] = { 0x02, 0x01, 0x10, 0x80 };

		off = find(der, len, icv, sizeof icv);
		der[off + 2] = 12;
		snprintf(want, sizeof want, "offset 0x%zx: AES-GCM tag of 12 "
		    "bytes is not supported (only 16)", off + 3);
		CHECK_ERR(cms_env_parse(&c, der, len, &e), &e, want);
	}
	free(der);
	/* PEM: the CMS block is found, a wrong label is named. */
	{
		struct buf pem;
		uint8_t *d2;
		size_t l2;

		d2 = seal(&leaf, 1, 0, CMS_KT_PKCS1, text, sizeof text - 1,
		    &l2);
		buf_init(&pem);
		buf_puts(&pem, "note before\n");
		pem_encode("CMS", d2, l2, &pem);
		CHECK_EQ(cms_env_load(&c, pem.data, pem.len, &e), 0);
		CHECK_EQ(c.recips[0].kt, CMS_KT_PKCS1);
		pem.len = 0;
		pem_encode("CERTIFICATE", d2, l2, &pem);
		CHECK_ERR(cms_env_load(&c, pem.data, pem.len, &e), &e,
		    "no CMS or PKCS7 block found");
		buf_clear(&pem);
		free(d2);
	}
	cms_env_clear(&c);
	buf_clear(&out);
}

/* ---- role/msg ---- */

struct fake_status {
	int rc;
	enum ocsp_cert_status status;
	int called;
};

static int
fake_status(void *ctx, const struct cert *leaf, const struct cert *issuer,
    int64_t at, struct ocsp_result *res, struct verify_result *steps,
    struct err *e)
{
	struct fake_status *f = ctx;

	f->called++;
	CHECK(dn_equal(&issuer->subject, &leaf->issuer));
	verify_step_add(steps, VERIFY_OK, strdup("fake responder"), "asked");
	if (f->rc == -1)
		return err_set(e, ERR_IO, "connect to unix:/nowhere: No such "
		    "file or directory");
	memset(res, 0, sizeof *res);
	res->status = f->status;
	res->revoked_at = at - 60;
	res->reason = 1;	/* keyCompromise */
	return 0;
}

static void
test_msg(void)
{
	struct msg_sign_opts so;
	struct msg_verify_params vp;
	struct msg_result r;
	struct fake_status fs;
	struct buf out;
	struct err e;
	uint8_t *der, *sealed;
	size_t len, slen, off;
	const struct cert *to;
	struct cert noenc;

	msg_result_init(&r);
	buf_init(&out);
	memset(&so, 0, sizeof so);
	memset(&vp, 0, sizeof vp);
	vp.anchors = &pki.root;
	vp.at = now;

	/* Good, attached, PKCS#1 v1.5. */
	CHECK_EQ(msg_sign_key(&pki.leaf_key, &email_chain, text,
	    sizeof text - 1, &so, &der, &len, &e), 0);
	CHECK_EQ(msg_kind(der, len), MSG_KIND_SIGNED);
	CHECK_EQ(msg_verify(der, len, &vp, &r, &e), 0);
	CHECK_EQ(r.verdict, MSG_GOOD);
	CHECK_STR(r.signer, "CN=carol");
	CHECK_EQ(r.content_len, sizeof text - 1);
	CHECK_MEM(r.content, text, sizeof text - 1);
	CHECK_EQ(r.has_signing_time, 1);
	CHECK(r.steps.reason == NULL);
	/* The status asked of the caller's source: good, revoked, none. */
	memset(&fs, 0, sizeof fs);
	vp.status_fn = fake_status;
	vp.status_ctx = &fs;
	fs.status = OCSP_GOOD;
	CHECK_EQ(msg_verify(der, len, &vp, &r, &e), 0);
	CHECK_EQ(r.status_checked, 1);
	fs.status = OCSP_REVOKED;
	CHECK_ERR(msg_verify(der, len, &vp, &r, &e), &e, "status of "
	    "'CN=carol': revoked (keyCompromise) on ");
	CHECK_EQ(r.verdict, MSG_REVOKED);
	CHECK_STR(msg_verdict_name(r.verdict), "revoked");
	fs.status = OCSP_UNKNOWN;
	CHECK_ERR(msg_verify(der, len, &vp, &r, &e), &e, "status of "
	    "'CN=carol': unknown (the CA does not know the certificate)");
	CHECK_EQ(r.verdict, MSG_UNKNOWN);
	fs.rc = -1;
	CHECK_ERR(msg_verify(der, len, &vp, &r, &e), &e, "status of "
	    "'CN=carol': no usable answer: connect to unix:/nowhere: No such "
	    "file or directory");
	CHECK_EQ(r.verdict, MSG_UNKNOWN);
	CHECK_EQ(fs.called, 4);
	vp.status_fn = NULL;

	/* The content altered: the digest says so. */
	off = find(der, len, text, sizeof text - 1);
	der[off] ^= 0x20;
	CHECK_ERR(msg_verify(der, len, &vp, &r, &e), &e, "signer 1: "
	    "messageDigest attribute does not match the content");
	CHECK_EQ(r.verdict, MSG_INVALID);
	CHECK_EQ(e.kind, ERR_REFUSED);
	der[off] ^= 0x20;
	/* Another trust anchor. */
	vp.anchors = &pki.other_root;
	CHECK_ERR(msg_verify(der, len, &vp, &r, &e), &e, "issuer of "
	    "'CN=carol': no certificate named '" ROOT "' among the 1 trust "
	    "anchor and 1 untrusted certificate");
	CHECK_EQ(r.verdict, MSG_INVALID);
	vp.anchors = &pki.root;
	free(der);

	/* A TLS client certificate is not for signed messages. */
	CHECK_EQ(msg_sign_key(&pki.leaf_key, &pki.client_chain, text,
	    sizeof text - 1, &so, &der, &len, &e), 0);
	CHECK_ERR(msg_verify(der, len, &vp, &r, &e), &e, "extended key usage "
	    "of 'CN=alice': extendedKeyUsage does not include emailProtection "
	    "(needed for signed messages)");
	CHECK_EQ(r.verdict, MSG_INVALID);
	free(der);

	/* Detached, PSS: the content is needed, and must be the one. */
	so.detached = 1;
	so.pss = 1;
	CHECK_EQ(msg_sign_key(&pki.leaf_key, &email_chain, text,
	    sizeof text - 1, &so, &der, &len, &e), 0);
	CHECK_ERR(msg_verify(der, len, &vp, &r, &e), &e, "detached "
	    "signature: the content is needed to verify it");
	CHECK_EQ(e.kind, ERR_USAGE);
	vp.content = text;
	vp.content_len = sizeof text - 1;
	CHECK_EQ(msg_verify(der, len, &vp, &r, &e), 0);
	CHECK_EQ(r.detached, 1);
	vp.content_len--;
	CHECK_ERR(msg_verify(der, len, &vp, &r, &e), &e, "signer 1: "
	    "messageDigest attribute does not match the content");
	vp.content = NULL;
	free(der);

	/* A signed message is not opened. */
	CHECK_EQ(msg_sign_key(&pki.leaf_key, &email_chain, text, 1, NULL,
	    &der, &len, &e), 0);
	CHECK_ERR(msg_open_key(&pki.leaf_key, &email_chain.v[0], der, len,
	    &out, &e), &e, "a signed message, not a sealed one: verify it "
	    "instead");
	free(der);
	/* Not a signed message. */
	CHECK_ERR(msg_verify((const uint8_t *)"hello", 5, &vp, &r, &e), &e,
	    "offset 0x0: expected SEQUENCE (ContentInfo), found 0x68");
	CHECK_EQ(r.verdict, MSG_MALFORMED);
	CHECK_EQ(msg_kind((const uint8_t *)"hello", 5), MSG_KIND_OTHER);

	/* Seal and open through the role layer; GCM, PKCS#1 v1.5. */
	to = &email_chain.v[0];
	{
		struct msg_seal_opts o = { .gcm = 1, .kt = CMS_KT_PKCS1 };

		CHECK_EQ(msg_seal(&to, 1, text, sizeof text - 1, &o, &sealed,
		    &slen, &e), 0);
	}
	CHECK_EQ(msg_kind(sealed, slen), MSG_KIND_SEALED);
	CHECK_EQ(msg_open_key(&pki.leaf_key, to, sealed, slen, &out, &e), 0);
	CHECK_EQ(out.len, sizeof text - 1);
	CHECK_ERR(msg_verify(sealed, slen, &vp, &r, &e), &e, "a sealed "
	    "message, not a signed one: open it first");
	CHECK_EQ(r.verdict, MSG_MALFORMED);
	free(sealed);
	/* A certificate without keyEncipherment is refused. */
	noenc = *to;
	noenc.ext.ku = KU_DIGITAL_SIGNATURE;
	to = &noenc;
	CHECK_ERR(msg_seal(&to, 1, text, 1, NULL, &sealed, &slen, &e), &e,
	    "recipient 'CN=carol': keyUsage has no keyEncipherment (not a "
	    "certificate to seal to)");
	buf_clear_secret(&out);
	msg_result_clear(&r);
}

/* The purpose of signed messages in verify_chain itself. */
static void
test_purpose(void)
{
	struct verify_params vp;
	struct verify_result res;
	struct cert leaf;

	memset(&vp, 0, sizeof vp);
	vp.anchors = &pki.root;
	vp.purpose = VERIFY_PURPOSE_EMAIL;
	vp.at = now;
	verify_result_init(&res);
	CHECK_EQ(verify_chain(&email_chain.v[0], &vp, &res), 0);
	/* keyUsage without digitalSignature or nonRepudiation (the
	 * extensions as parsed; the signature covers the DER, unchanged). */
	leaf = email_chain.v[0];
	leaf.ext.ku = KU_KEY_ENCIPHERMENT;
	CHECK_EQ(verify_chain(&leaf, &vp, &res), -1);
	CHECK_EQ(res.code, VERIFY_KEY_USAGE);
	CHECK_STR(res.reason, "key usage of 'CN=carol': keyUsage has neither "
	    "digitalSignature nor nonRepudiation (needed to sign messages)");
	leaf.ext.ku = KU_NON_REPUDIATION;
	CHECK_EQ(verify_chain(&leaf, &vp, &res), 0);
	/* A server certificate (serverAuth only) is not for messages. */
	CHECK_EQ(verify_chain(&pki.server_chain.v[0], &vp, &res), -1);
	CHECK_EQ(res.code, VERIFY_EKU);
	CHECK_STR(res.reason, "extended key usage of 'CN=localhost': "
	    "extendedKeyUsage does not include emailProtection (needed for "
	    "signed messages)");
	verify_result_clear(&res);
}

int
main(void)
{
	now = (int64_t)time(NULL);
	test_pki_setup(&pki, ROOT, now - 3600, now + 86400 * 30, now - 3600,
	    now + 86400 * 10);
	cert_list_init(&email_chain);
	test_make_cert(&email_chain, "CN=carol", ROOT, &pki.leaf_key,
	    &pki.ca_key, 0, OID_KP_EMAIL_PROTECTION, NULL, now - 3600,
	    now + 86400);
	test_mgf1();
	test_oaep();
	test_round_trips();
	test_broken();
	test_msg();
	test_purpose();
	cert_list_clear(&email_chain);
	test_pki_clear(&pki);
	return test_done();
}
