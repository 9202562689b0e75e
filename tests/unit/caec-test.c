/* caec-test.c — a CA with a P-256 key (role/ca.h PKEY_EC): the one
 * signing dispatch (cert_signer_sign: strict DER ECDSA, refusals), an EC
 * root and what it signs (certificates for RSA and EC keys, CRLs, OCSP
 * answers) checked by our own verifiers, RSA and EC intermediates under
 * each other, the keystore it is kept in, and the exact usage errors.
 * OpenSSL judges the same things in tests/interop/ca-ec-openssl.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "crypto/hash.h"
#include "role/ca.h"
#include "role/lifecycle.h"
#include "x509/cms.h"
#include "x509/crl.h"
#include "x509/ecsig.h"
#include "x509/ocsp.h"
#include "util/xalloc.h"

static const char pass[] = "caec unit pass";
static const int64_t now = 1790000000;

static void
test_key_type(void)
{
	enum pkey_type t = PKEY_RSA;
	struct err e;

	CHECK_EQ(ca_parse_key_type("ec", &t, &e), 0);
	CHECK_EQ(t, PKEY_EC);
	CHECK_EQ(ca_parse_key_type("rsa", &t, &e), 0);
	CHECK_EQ(t, PKEY_RSA);
	CHECK_ERR(ca_parse_key_type("dsa", &t, &e), &e,
	    "--type dsa: use rsa or ec (P-256)");
	CHECK_EQ(e.kind, ERR_USAGE);
	CHECK_ERR(ca_parse_key_type("EC", &t, &e), &e,
	    "--type EC: use rsa or ec (P-256)");
}

static void
test_signer(void)
{
	static const uint8_t msg[] = "to be signed";
	struct pkey k, pub;
	struct cert_signer s;
	struct err e;
	uint8_t *sig = NULL, r[32], sv[32], digest[32];
	size_t n = 0;

	pkey_init(&k);
	pkey_init(&pub);
	k.type = PKEY_EC;
	ec256key_generate(&k.ec);
	cert_signer_of(&s, &k);
	CHECK(s.ec == &k.ec && s.rsa == NULL);
	CHECK_EQ(cert_signer_sign(&s, msg, sizeof msg, &sig, &n, &e), 0);
	/* Strict DER that decodes whole, and verifies over SHA-256. */
	CHECK(n > 8 && n <= ECSIG_MAX_SIZE);
	CHECK_EQ(sig[0], 0x30);
	CHECK_EQ(sig[1], n - 2);
	CHECK_EQ(ecsig_decode(sig, n, r, sv, &e), 0);
	hash_sha256(msg, sizeof msg, digest);
	CHECK_EQ(ecsig_verify(&k.ec, digest, 32, sig, n, &e), 0);
	digest[0] ^= 1;
	CHECK_ERR(ecsig_verify(&k.ec, digest, 32, sig, n, &e), &e,
	    "ECDSA signature does not verify");
	free(sig);

	/* A public key alone signs nothing. */
	pub.type = PKEY_EC;
	memcpy(pub.ec.pub, k.ec.pub, EC256_PUB_SIZE);
	cert_signer_of(&s, &pub);
	CHECK_ERR(cert_signer_sign(&s, msg, sizeof msg, &sig, &n, &e), &e,
	    "signing needs a private key");
	CHECK(sig == NULL && n == 0);
	pkey_clear(&pub);
	pkey_init(&pub);
	cert_signer_of(&s, &pub);
	CHECK(s.rsa == &pub.rsa && s.ec == NULL);
	CHECK_ERR(cert_signer_sign(&s, msg, sizeof msg, &sig, &n, &e), &e,
	    "signing needs a private key");
	pkey_clear(&k);
	pkey_clear(&pub);
}

/* A request for CN=cn with a fresh key of type t. */
static void
request(const char *cn, enum pkey_type t, struct csr *req)
{
	struct pkey k;
	struct dn subject;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;
	char *s = xasprintf("CN=%s", cn);

	pkey_init(&k);
	dn_init(&subject);
	CHECK(ca_new_key(&k, t, 2048, NULL, NULL, &e) == 0);
	CHECK(dn_from_string(&subject, s, &e) == 0);
	CHECK(csr_build_any(&subject, NULL, &k, &der, &len, &e) == 0);
	CHECK(csr_parse(req, der, len, &e) == 0);
	free(der);
	free(s);
	dn_clear(&subject);
	pkey_clear(&k);
}

/* Issues for a key of type t under ca and checks the certificate with
 * issuer's key: signed as the CA's key type says. */
static void
issue_check(struct ca *ca, enum pkey_type t, struct ca_issued *out)
{
	struct csr req;
	struct cert c;
	struct err e;

	csr_init(&req);
	cert_init(&c);
	request(t == PKEY_EC ? "ec.example" : "rsa.example", t, &req);
	ca_issued_init(out);
	CHECK(ca_issue(ca, &req, profile_get(PROFILE_CLIENT), 30, now, out,
	    &e) == 0);
	CHECK(cert_parse(&c, out->der, out->len, &e) == 0);
	CHECK_EQ(c.key_alg, t == PKEY_EC ? OID_EC_PUBLIC_KEY :
	    OID_RSA_ENCRYPTION);
	CHECK_EQ(c.sigalg.ecdsa, ca->key.type == PKEY_EC);
	CHECK_EQ(c.sigalg.oid, ca->key.type == PKEY_EC ?
	    OID_ECDSA_WITH_SHA256 : OID_SHA256_WITH_RSA);
	CHECK(cert_check_signature(&c, &ca->root, &e));
	CHECK_MEM(c.ext.aki, ca->root.ext.ski, 20);
	cert_clear(&c);
	csr_clear(&req);
}

static void
open_ca(struct ws *ws, const char *name, struct ca *ca)
{
	ca_init(ca);
	CHECK(ca_open(ca, ws, name, CA_WRITE, NULL) == 0);
	CHECK(ca_unlock(ca, pass, strlen(pass), NULL) == 0);
}

/* An OCSP answer signed by the EC CA for one of its certificates, read
 * back and checked. */
static void
test_ocsp(struct ca *ca, const struct ca_issued *iss)
{
	struct ocsp_resp_template t;
	struct ocsp_single s;
	struct ocsp_resp resp;
	struct ocsp_check_params p;
	struct ocsp_result res;
	struct verify_result steps;
	struct cert c;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;

	cert_init(&c);
	ocsp_resp_init(&resp);
	verify_result_init(&steps);
	CHECK(cert_parse(&c, iss->der, iss->len, &e) == 0);
	memset(&s, 0, sizeof s);
	CHECK_EQ(ocsp_certid_make(&s.id, &ca->root, c.serial, c.serial_len,
	    HASH_SHA1, &e), 0);
	s.status = OCSP_REVOKED;
	s.revoked_at = now - 10;
	s.reason = CRL_REASON_KEY_COMPROMISE;
	s.this_update = now;
	memset(&t, 0, sizeof t);
	t.signer = &ca->root;
	t.by.ec = &ca->key.ec;
	t.produced_at = now;
	t.v = &s;
	t.n = 1;
	CHECK_EQ(ocsp_resp_build(&t, &der, &len, &e), 0);
	CHECK_EQ(ocsp_resp_parse(&resp, der, len, &e), 0);
	memset(&p, 0, sizeof p);
	p.issuer = &ca->root;
	p.id = &s.id;
	p.now = now;
	p.skew = 300;
	CHECK_EQ(ocsp_resp_check(&resp, &p, &res, &steps, &e), 0);
	CHECK_EQ(res.status, OCSP_REVOKED);
	CHECK_EQ(res.reason, CRL_REASON_KEY_COMPROMISE);
	/* One bit of the signature changed: refused. */
	der[len - 5] ^= 0x01;
	ocsp_resp_clear(&resp);
	ocsp_resp_init(&resp);
	if (ocsp_resp_parse(&resp, der, len, &e) == 0)
		CHECK_EQ(ocsp_resp_check(&resp, &p, &res, &steps, &e), -1);
	/* Without a private key nothing is signed. */
	{
		struct ec256key pub = ca->key.ec;

		pub.has_private = 0;
		free(der);
		der = NULL;
		t.by.ec = &pub;
		CHECK_ERR(ocsp_resp_build(&t, &der, &len, &e), &e,
		    "OCSP response: signer certificate and private key needed");
	}
	free(der);
	verify_result_clear(&steps);
	ocsp_resp_clear(&resp);
	cert_clear(&c);
}

/* CMS SignedData by a P-256 signer: written, read back and verified;
 * a flipped signature bit, a wrong key and PSS are refused. */
static void
test_cms(void)
{
	static const uint8_t msg[] = "the lab is at nine";
	struct cert_template t;
	struct cert_signer by;
	struct cms_sign_params sp;
	struct cms_verify_params vp;
	struct cert_list chain;
	struct cms c;
	struct pkey k, other;
	struct dn subject;
	const struct cert *who;
	struct err e;
	uint8_t serial[] = { 0x01 }, *der = NULL, *cder = NULL;
	size_t len = 0, clen = 0, i;

	pkey_init(&k);
	pkey_init(&other);
	dn_init(&subject);
	cert_list_init(&chain);
	k.type = other.type = PKEY_EC;
	ec256key_generate(&k.ec);
	ec256key_generate(&other.ec);
	CHECK(dn_from_string(&subject, "CN=signer", &e) == 0);
	memset(&t, 0, sizeof t);
	ext_info_init(&t.ext);
	t.serial = serial;
	t.serial_len = 1;
	t.issuer = t.subject = &subject;
	t.not_before = now - 10;
	t.not_after = now + 86400;
	t.subject_ec = &k.ec;
	cert_signer_of(&by, &k);
	CHECK(cert_build_by(&t, &by, &cder, &clen, &e) == 0);
	CHECK(cert_list_load(&chain, cder, clen, &e) == 0);

	memset(&sp, 0, sizeof sp);
	sp.eckey = &k.ec;
	sp.chain = &chain;
	sp.content = msg;
	sp.content_len = sizeof msg;
	CHECK_EQ(cms_write_signed(&sp, &der, &len, &e), 0);
	cms_init(&c);
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_EQ(c.nsigners, 1);
	CHECK(c.signers[0].sigalg.ecdsa);
	CHECK_EQ(c.signers[0].sigalg.oid, OID_ECDSA_WITH_SHA256);
	memset(&vp, 0, sizeof vp);
	CHECK_EQ(cms_verify(&c, 0, &vp, &who, &e), 0);
	CHECK(who == &c.certs.v[0]);
	/* The signature is the last element: its last byte changed. */
	for (i = 0; i + c.signers[0].sig_len <= len; i++)
		if (memcmp(der + i, c.signers[0].sig,
		    c.signers[0].sig_len) == 0)
			break;
	CHECK(i + c.signers[0].sig_len <= len);
	cms_clear(&c);
	der[i + 12] ^= 0x01;	/* inside r, past the DER header */
	cms_init(&c);
	CHECK_EQ(cms_parse(&c, der, len, &e), 0);
	CHECK_ERR(cms_verify(&c, 0, &vp, &who, &e), &e,
	    "signature does not verify: ECDSA signature does not verify");
	cms_clear(&c);
	free(der);
	der = NULL;

	sp.eckey = &other.ec;
	CHECK_ERR(cms_write_signed(&sp, &der, &len, &e), &e,
	    "the key does not match the signer's certificate");
	sp.eckey = &k.ec;
	sp.pss = 1;
	CHECK_ERR(cms_write_signed(&sp, &der, &len, &e), &e,
	    "RSASSA-PSS needs an RSA key (the signer's is P-256)");
	CHECK(der == NULL);

	free(cder);
	ext_info_clear(&t.ext);
	cert_list_clear(&chain);
	dn_clear(&subject);
	pkey_clear(&k);
	pkey_clear(&other);
}

static void
test_ec_ca(const char *dir)
{
	struct ws ws;
	struct err e;
	struct dn subject;
	struct ca ca, rroot, sub;
	struct ca_issued a, b;
	struct keystore ks;
	struct cert root, inter;
	struct crl crl;
	uint8_t *der = NULL;
	size_t len = 0;
	uint64_t num;
	struct lifecycle_crl_info in;

	ws_init(&ws);
	dn_init(&subject);
	cert_init(&root);
	cert_init(&inter);
	crl_init(&crl);
	keystore_init(&ks);
	CHECK(ws_open(&ws, dir, &e) == 0);

	/* The root: P-256, self-signed ecdsa-with-SHA256. */
	CHECK(dn_from_string(&subject, "CN=EC Root", &e) == 0);
	CHECK(ca_create_policy(&ws, "ecroot", &subject, PKEY_EC, 0, 100, now,
	    NULL, pass, strlen(pass), NULL, NULL, &der, &len, &e) == 0);
	CHECK(cert_parse(&root, der, len, &e) == 0);
	free(der);
	der = NULL;
	CHECK_EQ(root.key_alg, OID_EC_PUBLIC_KEY);
	CHECK_EQ(root.sigalg.oid, OID_ECDSA_WITH_SHA256);
	CHECK(cert_self_signed(&root));
	CHECK(root.ext.ca && root.ext.ski_len == 20);
	CHECK(keystore_load(&ws, "ecroot", &ks, &e) == 0);
	CHECK_STR(ks.key_type, "ec");
	CHECK_EQ(ks.bits, 256);

	open_ca(&ws, "ecroot", &ca);
	CHECK_EQ(ca.key.type, PKEY_EC);
	CHECK_EQ(ca.keyid_len, 20);
	issue_check(&ca, PKEY_RSA, &a);
	issue_check(&ca, PKEY_EC, &b);

	/* Its CRL: ecdsa-with-SHA256, checked by our CRL code. */
	CHECK(lifecycle_revoke(&ca, a.serial, "keyCompromise", now, 0, &e) == 0);
	CHECK(lifecycle_crl_ex(&ca, 0, 0, now, &der, &len, &num, &in,
	    &e) == 0);
	CHECK(crl_parse(&crl, der, len, &e) == 0);
	CHECK_EQ(crl.sigalg.oid, OID_ECDSA_WITH_SHA256);
	CHECK_EQ(crl.n, 1);
	CHECK(crl_check_signature(&crl, &ca.root, &e));
	free(der);
	der = NULL;
	test_ocsp(&ca, &b);

	/* An RSA intermediate under the EC root, an EC one under an RSA
	 * root; each issues for the other type. */
	dn_clear(&subject);
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=RSA Sub", &e) == 0);
	CHECK(lifecycle_init_policy(&ws, "rsub", &ca, &subject, 0, NULL, NULL,
	    NULL, PKEY_RSA, 2048, 50, now, pass, strlen(pass), &der, &len,
	    &e) == 0);
	CHECK(cert_parse(&inter, der, len, &e) == 0);
	CHECK_EQ(inter.key_alg, OID_RSA_ENCRYPTION);
	CHECK_EQ(inter.sigalg.oid, OID_ECDSA_WITH_SHA256);
	CHECK(cert_check_signature(&inter, &ca.root, &e));
	free(der);
	der = NULL;
	open_ca(&ws, "rsub", &sub);
	ca_issued_clear(&a);
	issue_check(&sub, PKEY_EC, &a);
	ca_clear(&sub);
	cert_clear(&inter);
	cert_init(&inter);

	dn_clear(&subject);
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=RSA Root", &e) == 0);
	CHECK(ca_create(&ws, "rroot", &subject, 2048, 100, now, pass,
	    strlen(pass), NULL, NULL, &der, &len, &e) == 0);
	free(der);
	der = NULL;
	open_ca(&ws, "rroot", &rroot);
	dn_clear(&subject);
	dn_init(&subject);
	CHECK(dn_from_string(&subject, "CN=EC Sub", &e) == 0);
	CHECK(lifecycle_init_policy(&ws, "ecsub", &rroot, &subject, 0, NULL,
	    NULL, NULL, PKEY_EC, 0, 50, now, pass, strlen(pass), &der, &len,
	    &e) == 0);
	CHECK(cert_parse(&inter, der, len, &e) == 0);
	CHECK_EQ(inter.key_alg, OID_EC_PUBLIC_KEY);
	CHECK_EQ(inter.sigalg.oid, OID_SHA256_WITH_RSA);
	CHECK(cert_check_signature(&inter, &rroot.root, &e));
	free(der);
	der = NULL;
	open_ca(&ws, "ecsub", &sub);
	CHECK_EQ(sub.key.type, PKEY_EC);
	ca_issued_clear(&a);
	issue_check(&sub, PKEY_RSA, &a);

	/* The key must be the certificate's: an EC CA whose keystore got
	 * another CA's chain does not unlock. */
	{
		struct ca bad;

		ca_init(&bad);
		CHECK(ca_open(&bad, &ws, "ecsub", 0, &e) == 0);
		cert_clear(&bad.root);
		cert_init(&bad.root);
		CHECK(cert_parse(&bad.root, root.der, root.len, &e) == 0);
		CHECK_ERR(ca_unlock(&bad, pass, strlen(pass), &e), &e,
		    "CA 'ecsub': the key does not match the CA certificate");
		ca_clear(&bad);
	}

	ca_clear(&sub);
	ca_clear(&rroot);
	ca_issued_clear(&a);
	ca_issued_clear(&b);
	ca_clear(&ca);
	keystore_clear(&ks);
	crl_clear(&crl);
	cert_clear(&inter);
	cert_clear(&root);
	dn_clear(&subject);
	ws_clear(&ws);
}

int
main(void)
{
	char dir[128];

	snprintf(dir, sizeof dir, "tests/work/caec-test.%ld", (long)getpid());
	(void)mkdir("tests/work", 0700);
	test_key_type();
	test_signer();
	test_cms();
	test_ec_ca(dir);
	if (test_failures == 0) {
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
		free(cmd);
	}
	return test_done();
}
