/* crl-openssl-test.c — OpenSSL as the judge of the CRL extensions
 * crl_build writes (issuingDistributionPoint, deltaCRLIndicator,
 * freshestCRL, certificateIssuer entries): `openssl crl -text` reads them
 * as we meant them, and `openssl verify -crl_check -extended_crl
 * -use_deltas` takes our complete CRL with its IDP as covering a
 * certificate at that point, and our delta CRL as revoking it. Skipped
 * (77) when the openssl command is not available. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "x509/cert.h"
#include "x509/crl.h"
#include "testcert.h"
#include "peerlib.h"
#include "testlib.h"

#define DIR "tests/work/crl-openssl"
#define POINT "http://crl.example/ca.crl"

static void
cert(const char *path, struct cert *out, const struct dn *subject,
    const struct dn *issuer, const struct rsakey *key,
    const struct rsakey *signer, uint8_t sn, int ca, const uint8_t *aki,
    size_t aki_len)
{
	struct cert_template t;
	struct err e;
	uint8_t *der;
	size_t len;

	memset(&t, 0, sizeof t);
	t.serial = &sn;
	t.serial_len = 1;
	t.issuer = issuer;
	t.subject = subject;
	t.not_before = (int64_t)time(NULL) - 3600;
	t.not_after = t.not_before + 86400 * 30;
	t.subject_key = key;
	ext_info_init(&t.ext);
	t.ext.has_bc = 1;
	t.ext.ca = ca;
	t.ext.pathlen = -1;
	t.ext.has_ku = 1;
	t.ext.ku = ca ? KU_KEY_CERT_SIGN | KU_CRL_SIGN : KU_DIGITAL_SIGNATURE;
	if (!ca)
		ext_cdp_add_uri(&t.ext, POINT);
	if (aki_len > 0) {
		memcpy(t.ext.aki, aki, aki_len);
		t.ext.aki_len = aki_len;
	}
	CHECK_EQ(cert_build(&t, signer, &der, &len, &e), 0);
	CHECK_EQ(cert_parse(out, der, len, &e), 0);
	peer_write_pem(path, "CERTIFICATE", der, len);
	free(der);
	ext_info_clear(&t.ext);
}

static void
crl(const char *path, struct crl_template *t, const struct rsakey *signer)
{
	struct crl back;
	struct err e;
	uint8_t *der;
	size_t len;

	CHECK_EQ(crl_build(t, signer, &der, &len, &e), 0);
	crl_init(&back);
	CHECK_EQ(crl_parse(&back, der, len, &e), 0);
	peer_write_pem(path, "X509 CRL", der, len);
	free(der);
	crl_clear(&back);
}

int
main(void)
{
	struct rsakey rootkey, leafkey;
	struct dn rootname, leafname, other;
	struct cert root, leaf;
	struct crl_template t;
	struct crl_entry en[2];
	struct err e;
	int64_t now = (int64_t)time(NULL);

	peer_need_openssl(DIR);
	test_load_key("tests/data/key-pkcs1.pem", &rootkey);
	test_load_key("tests/data/key-pkcs8.pem", &leafkey);
	dn_init(&rootname);
	dn_init(&leafname);
	dn_init(&other);
	cert_init(&root);
	cert_init(&leaf);
	CHECK_EQ(dn_from_string(&rootname, "O=minipki test,CN=CRL Root", &e), 0);
	CHECK_EQ(dn_from_string(&leafname, "O=minipki test,CN=leaf", &e), 0);
	CHECK_EQ(dn_from_string(&other, "O=minipki test,CN=Other CA", &e), 0);
	cert(DIR "/root.pem", &root, &rootname, &rootname, &rootkey, &rootkey,
	    1, 1, NULL, 0);
	cert(DIR "/leaf.pem", &leaf, &leafname, &rootname, &leafkey, &rootkey,
	    2, 0, root.ext.ski, root.ext.ski_len);

	/* The complete CRL: nothing revoked, an IDP at the leaf's point
	 * (user certificates only), and where its deltas are. */
	memset(&t, 0, sizeof t);
	t.issuer = &rootname;
	t.this_update = now - 60;
	t.next_update = now + 86400;
	t.number = 1;
	t.aki = root.ext.ski;
	t.aki_len = root.ext.ski_len;
	t.idp = 1;
	t.idp_uri = POINT;
	t.idp_only_user = 1;
	t.freshest_uri = "http://crl.example/delta.crl";
	crl(DIR "/complete.pem", &t, &rootkey);
	/* The delta on base 1: the leaf revoked. */
	memset(en, 0, sizeof en);
	memcpy(en[0].serial, leaf.serial, leaf.serial_len);
	en[0].serial_len = leaf.serial_len;
	en[0].date = now - 30;
	en[0].reason = CRL_REASON_KEY_COMPROMISE;
	en[0].issuer = -1;
	t.number = 2;
	t.delta = 1;
	t.base_number = 1;
	t.freshest_uri = NULL;
	t.entries = en;
	t.n = 1;
	crl(DIR "/delta.pem", &t, &rootkey);
	/* An indirect CRL: an entry of another CA's, with reasons. */
	memset(&t, 0, sizeof t);
	t.issuer = &rootname;
	t.this_update = now - 60;
	t.next_update = now + 86400;
	t.number = 3;
	t.idp = 1;
	t.idp_indirect = 1;
	t.idp_reasons = 0x006;
	en[0].issuer = 0;
	t.entries = en;
	t.n = 1;
	t.entry_issuers = &other;
	t.n_entry_issuers = 1;
	crl(DIR "/indirect.pem", &t, &rootkey);

	CHECK(peer_output_has("openssl crl -noout -text -in " DIR "/complete.pem",
	    "X509v3 Issuing Distribution Point: critical"));
	CHECK(peer_output_has("openssl crl -noout -text -in " DIR "/complete.pem",
	    "URI:" POINT));
	CHECK(peer_output_has("openssl crl -noout -text -in " DIR "/complete.pem",
	    "Only User Certificates"));
	CHECK(peer_output_has("openssl crl -noout -text -in " DIR "/complete.pem",
	    "URI:http://crl.example/delta.crl"));
	CHECK(peer_output_has("openssl crl -noout -text -in " DIR "/delta.pem",
	    "X509v3 Delta CRL Indicator: critical"));
	CHECK(peer_output_has("openssl crl -noout -text -in " DIR "/indirect.pem",
	    "Indirect CRL"));
	CHECK(peer_output_has("openssl crl -noout -text -in " DIR "/indirect.pem",
	    "Key Compromise, CA Compromise"));
	CHECK(peer_output_has("openssl crl -noout -text -in " DIR "/indirect.pem",
	    "DirName:/O=minipki test/CN=Other CA"));
	CHECK(peer_output_has("openssl crl -noout -in " DIR "/delta.pem -CAfile "
	    DIR "/root.pem 2>&1", "verify OK"));
	/* The leaf: good by the complete CRL, revoked with the delta. */
	CHECK_EQ(peer_run("openssl verify -crl_check -extended_crl -use_deltas "
	    "-CAfile " DIR "/root.pem -CRLfile " DIR "/complete.pem " DIR
	    "/leaf.pem >/dev/null 2>&1"), 0);
	CHECK(peer_output_has("openssl verify -crl_check -extended_crl -use_deltas "
	    "-CAfile " DIR "/root.pem -CRLfile " DIR "/complete.pem -CRLfile "
	    DIR "/delta.pem " DIR "/leaf.pem 2>&1", "certificate revoked"));
	/* And we agree, through the command. */
	CHECK_EQ(peer_run("./minipki-tui verify --ca " DIR "/root.pem --crl " DIR
	    "/complete.pem " DIR "/leaf.pem >/dev/null 2>&1"), 0);
	CHECK(peer_output_has("./minipki-tui verify --ca " DIR "/root.pem --crl "
	    DIR "/complete.pem --crl " DIR "/delta.pem " DIR "/leaf.pem",
	    "according to delta CRL"));
	cert_clear(&root);
	cert_clear(&leaf);
	dn_clear(&rootname);
	dn_clear(&leafname);
	dn_clear(&other);
	rsakey_clear(&rootkey);
	rsakey_clear(&leafkey);
	return test_done();
}
