/* ecdsa-openssl-test.c — OpenSSL as the judge of P-256 keys and ECDSA:
 * certificates and requests we sign with ECDSA (and an RSA CA certifying
 * a P-256 key) pass `openssl verify` / `req -verify`; our SEC1, PKCS#8,
 * encrypted PKCS#8 and SPKI are read by `openssl pkey` and name the same
 * public key; OpenSSL's own encodings of a P-256 key are read by us;
 * signatures cross both ways with `openssl dgst`. Skipped (77) when the
 * openssl command is not available. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asn1/pem.h"
#include "crypto/hash.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/csr.h"
#include "x509/ecsig.h"
#include "x509/pkey.h"
#include "testcert.h"
#include "peerlib.h"
#include "testlib.h"

#define DIR "tests/work/ecdsa-openssl"

static void
write_file(const char *path, const void *data, size_t len)
{
	struct err e;

	if (file_write(path, data, len, 0600, 0, &e) == -1)
		test_fail(__FILE__, __LINE__, "%s", e.msg);
}

/* Reads the first PEM block of path (or the whole file as DER when it is
 * not PEM) into a new buffer. */
static uint8_t *
read_der(const char *path, size_t *len)
{
	struct pem_list l;
	struct err e;
	uint8_t *data, *out;
	size_t n;

	data = test_slurp(path, &n);
	if (!pem_detect(data, n)) {
		*len = n;
		return data;
	}
	pem_list_init(&l);
	if (pem_decode((const char *)data, n, &l, &e) == -1) {
		test_fail(__FILE__, __LINE__, "%s: %s", path, e.msg);
		exit(1);
	}
	out = xmalloc(l.v[0].len);
	memcpy(out, l.v[0].der, l.v[0].len);
	*len = l.v[0].len;
	pem_list_clear(&l);
	free(data);
	return out;
}

/* Decodes an OpenSSL-written key file into k; checks it against want's
 * public point. */
static void
read_openssl_key(const char *path, const char *pass, int private,
    const struct ec256key *want)
{
	struct pkey k;
	struct err e;
	uint8_t *der;
	size_t len;

	pkey_init(&k);
	der = read_der(path, &len);
	err_clear(&e);
	CHECK_EQ(pkey_decode_any(&k, der, len, pass, pass ? strlen(pass) : 0,
	    &e), 0);
	if (e.msg[0])
		fprintf(stderr, "%s: %s\n", path, e.msg);
	CHECK_EQ(k.type, PKEY_EC);
	CHECK_EQ(pkey_has_private(&k), private);
	if (want != NULL)
		CHECK_MEM(k.ec.pub, want->pub, EC256_PUB_SIZE);
	pkey_clear(&k);
	xfree_secret(der, len);
}

int
main(void)
{
	struct pkey eck, theirs;
	struct rsakey rsakey;
	struct dn rootname, leafname, rsaname;
	struct cert_template t;
	struct cert_signer ecs = { NULL, NULL }, rsas = { NULL, NULL };
	struct cert root, back;
	struct err e;
	struct buf b;
	uint8_t *der, serial1[] = { 1 }, serial2[] = { 2 }, serial3[] = { 3 };
	uint8_t d[32], sig[ECSIG_MAX_SIZE];
	size_t len, n;

	peer_need_openssl(DIR);

	pkey_init(&eck);
	pkey_init(&theirs);
	eck.type = PKEY_EC;
	ec256key_generate(&eck.ec);
	test_load_key("tests/data/key-pkcs8.pem", &rsakey);
	ecs.ec = &eck.ec;
	rsas.rsa = &rsakey;
	dn_init(&rootname);
	dn_init(&leafname);
	dn_init(&rsaname);
	cert_init(&root);
	cert_init(&back);
	CHECK_EQ(dn_from_string(&rootname, "O=minipki test,CN=ECDSA Root", &e), 0);
	CHECK_EQ(dn_from_string(&leafname, "O=minipki test,CN=rsa.example", &e), 0);
	CHECK_EQ(dn_from_string(&rsaname, "O=minipki test,CN=RSA Root", &e), 0);

	/* An ECDSA root, self-signed with ecdsa-with-SHA256. */
	memset(&t, 0, sizeof t);
	t.serial = serial1;
	t.serial_len = sizeof serial1;
	t.issuer = &rootname;
	t.subject = &rootname;
	t.not_before = (int64_t)time(NULL) - 3600;
	t.not_after = t.not_before + 10 * 365 * 86400LL;
	t.subject_ec = &eck.ec;
	ext_info_init(&t.ext);
	t.ext.has_bc = 1;
	t.ext.ca = 1;
	t.ext.pathlen = -1;
	t.ext.has_ku = 1;
	t.ext.ku = KU_KEY_CERT_SIGN | KU_CRL_SIGN;
	CHECK_EQ(cert_build_by(&t, &ecs, &der, &len, &e), 0);
	CHECK_EQ(cert_parse(&root, der, len, &e), 0);
	CHECK_EQ(root.key_alg, OID_EC_PUBLIC_KEY);
	CHECK_EQ(root.sigalg.oid, OID_ECDSA_WITH_SHA256);
	CHECK(cert_self_signed(&root));
	peer_write_pem(DIR "/ecroot.pem", "CERTIFICATE", der, len);
	free(der);

	/* An RSA leaf under it. */
	t.serial = serial2;
	t.serial_len = sizeof serial2;
	t.subject = &leafname;
	t.subject_ec = NULL;
	t.subject_key = &rsakey;
	t.ext.ca = 0;
	t.ext.has_bc = 0;
	t.ext.ku = KU_DIGITAL_SIGNATURE;
	memcpy(t.ext.aki, root.ext.ski, root.ext.ski_len);
	t.ext.aki_len = root.ext.ski_len;
	CHECK_EQ(cert_build_by(&t, &ecs, &der, &len, &e), 0);
	CHECK_EQ(cert_parse(&back, der, len, &e), 0);
	CHECK(cert_check_signature(&back, &root, &e));
	peer_write_pem(DIR "/rsaleaf.pem", "CERTIFICATE", der, len);
	free(der);
	CHECK_EQ(peer_run("openssl verify -CAfile " DIR "/ecroot.pem " DIR
	    "/rsaleaf.pem"), 0);
	CHECK(peer_output_has("openssl x509 -noout -text -in " DIR "/ecroot.pem",
	    "Signature Algorithm: ecdsa-with-SHA256"));
	CHECK(peer_output_has("openssl x509 -noout -text -in " DIR "/ecroot.pem",
	    "NIST CURVE: P-256"));

	/* An RSA root certifying the P-256 key (RSA CA, EC subject). */
	t.serial = serial3;
	t.serial_len = sizeof serial3;
	t.issuer = &rsaname;
	t.subject = &rootname;
	t.subject_key = NULL;
	t.subject_ec = &eck.ec;
	t.ext.aki_len = 0;
	CHECK_EQ(cert_build_by(&t, &rsas, &der, &len, &e), 0);
	peer_write_pem(DIR "/ecleaf.pem", "CERTIFICATE", der, len);
	free(der);
	t.issuer = &rsaname;
	t.subject = &rsaname;
	t.subject_ec = NULL;
	t.subject_key = &rsakey;
	t.ext.has_bc = 1;
	t.ext.ca = 1;
	t.ext.ku = KU_KEY_CERT_SIGN;
	CHECK_EQ(cert_build_by(&t, &rsas, &der, &len, &e), 0);
	peer_write_pem(DIR "/rsaroot.pem", "CERTIFICATE", der, len);
	free(der);
	CHECK_EQ(peer_run("openssl verify -CAfile " DIR "/rsaroot.pem " DIR
	    "/ecleaf.pem"), 0);

	/* A request signed with the P-256 key. */
	CHECK_EQ(csr_build_any(&rootname, NULL, &eck, &der, &len, &e), 0);
	peer_write_pem(DIR "/req.pem", "CERTIFICATE REQUEST", der, len);
	{
		struct csr r;

		csr_init(&r);
		CHECK_EQ(csr_parse(&r, der, len, &e), 0);
		CHECK_EQ(csr_check_signature(&r, &e), 0);
		csr_clear(&r);
	}
	free(der);
	CHECK(peer_output_has("openssl req -verify -noout -in " DIR "/req.pem 2>&1",
	    "verify OK"));

	/* Our key encodings, read by OpenSSL, which names the same point. */
	buf_init(&b);
	pkey_encode_sec1(&eck.ec, &b);
	peer_write_pem(DIR "/sec1.pem", "EC PRIVATE KEY", b.data, b.len);
	buf_clear_secret(&b);
	pkey_encode_pkcs8_any(&eck, &b);
	peer_write_pem(DIR "/p8.pem", "PRIVATE KEY", b.data, b.len);
	buf_clear_secret(&b);
	pkey_encode_pkcs8_encrypted_any(&eck, "x", 1, 1000, &b);
	peer_write_pem(DIR "/p8enc.pem", "ENCRYPTED PRIVATE KEY", b.data, b.len);
	buf_clear_secret(&b);
	CHECK_EQ(peer_run("openssl ec -check -noout -in " DIR "/sec1.pem 2>/dev/null"),
	    0);
	CHECK_EQ(peer_run("openssl pkey -in " DIR "/p8.pem -pubout -outform DER -out "
	    DIR "/pub-p8.der"), 0);
	CHECK_EQ(peer_run("openssl pkey -in " DIR "/p8enc.pem -passin pass:x -pubout "
	    "-outform DER -out " DIR "/pub-enc.der"), 0);
	CHECK(peer_run("openssl pkey -in " DIR "/p8enc.pem -passin pass:y -noout "
	    "2>/dev/null") != 0);
	CHECK_EQ(peer_run("openssl pkey -in " DIR "/sec1.pem -pubout -outform DER "
	    "-out " DIR "/pub-sec1.der"), 0);
	{
		uint8_t *p;
		size_t plen;

		/* The SPKI of the root certificate is ours. */
		p = test_slurp(DIR "/pub-p8.der", &plen);
		CHECK(plen == root.spki_len &&
		    memcmp(p, root.spki, plen) == 0);
		free(p);
		p = test_slurp(DIR "/pub-enc.der", &plen);
		CHECK(plen == root.spki_len &&
		    memcmp(p, root.spki, plen) == 0);
		free(p);
		p = test_slurp(DIR "/pub-sec1.der", &plen);
		CHECK(plen == root.spki_len &&
		    memcmp(p, root.spki, plen) == 0);
		free(p);
	}
	CHECK(peer_output_has("openssl asn1parse -in " DIR "/p8enc.pem",
	    "PBES2"));

	/* OpenSSL's encodings of its own P-256 key, read by us. */
	CHECK_EQ(peer_run("openssl genpkey -algorithm EC -pkeyopt "
	    "ec_paramgen_curve:P-256 -out " DIR "/o-p8.pem"), 0);
	CHECK_EQ(peer_run("openssl ec -in " DIR "/o-p8.pem -out " DIR
	    "/o-sec1.pem 2>/dev/null"), 0);
	CHECK_EQ(peer_run("openssl pkey -in " DIR "/o-p8.pem -aes-256-cbc -passout "
	    "pass:secret -out " DIR "/o-enc.pem"), 0);
	CHECK_EQ(peer_run("openssl pkey -in " DIR "/o-p8.pem -pubout -out " DIR
	    "/o-pub.pem"), 0);
	CHECK_EQ(peer_run("openssl ec -in " DIR "/o-p8.pem -outform DER -out " DIR
	    "/o-sec1.der 2>/dev/null"), 0);
	{
		uint8_t *p;
		size_t plen;

		p = read_der(DIR "/o-pub.pem", &plen);
		CHECK_EQ(pkey_decode_any(&theirs, p, plen, NULL, 0, &e), 0);
		CHECK_EQ(theirs.type, PKEY_EC);
		CHECK(!pkey_has_private(&theirs));
		free(p);
	}
	read_openssl_key(DIR "/o-p8.pem", NULL, 1, &theirs.ec);
	read_openssl_key(DIR "/o-sec1.pem", NULL, 1, &theirs.ec);
	read_openssl_key(DIR "/o-sec1.der", NULL, 1, &theirs.ec);
	read_openssl_key(DIR "/o-enc.pem", "secret", 1, &theirs.ec);

	/* Signatures both ways. */
	write_file(DIR "/msg", "attack at dawn", 14);
	hash_sha256("attack at dawn", 14, d);
	n = ecsig_sign(&eck.ec, d, sizeof d, sig, &e);
	CHECK(n > 0);
	write_file(DIR "/our.sig", sig, n);
	CHECK_EQ(peer_run("openssl dgst -sha256 -verify " DIR "/pub-p8.der -keyform "
	    "DER -signature " DIR "/our.sig " DIR "/msg >/dev/null"), 0);
	CHECK_EQ(peer_run("openssl dgst -sha256 -sign " DIR "/o-p8.pem -out " DIR
	    "/their.sig " DIR "/msg"), 0);
	{
		uint8_t *p;
		size_t plen;

		p = test_slurp(DIR "/their.sig", &plen);
		CHECK_EQ(ecsig_verify(&theirs.ec, d, sizeof d, p, plen, &e), 0);
		d[5] ^= 1;
		CHECK_ERR(ecsig_verify(&theirs.ec, d, sizeof d, p, plen, &e),
		    &e, "ECDSA signature does not verify");
		free(p);
	}

	cert_clear(&root);
	cert_clear(&back);
	dn_clear(&rootname);
	dn_clear(&leafname);
	dn_clear(&rsaname);
	rsakey_clear(&rsakey);
	pkey_clear(&eck);
	pkey_clear(&theirs);
	return test_done();
}
