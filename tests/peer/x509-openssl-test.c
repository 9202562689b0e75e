/* x509-openssl-test.c — OpenSSL as the independent judge of what we write:
 * a root and a leaf built by cert_build must pass `openssl verify`, our
 * request `openssl req -verify`, our encrypted key `openssl pkey -passin`.
 * Skipped (77) when the openssl command is not available. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "x509/cert.h"
#include "x509/csr.h"
#include "x509/pkey.h"
#include "testcert.h"
#include "peerlib.h"
#include "testlib.h"

#define DIR "tests/work/x509-openssl"

int
main(void)
{
	struct rsakey rootkey, leafkey;
	struct dn rootname, leafname;
	struct cert_template t;
	struct cert root;
	struct san_list san;
	struct err e;
	uint8_t *der, serial1[] = { 1 }, serial2[] = { 0x7f, 0x01, 0x02 };
	size_t len;
	struct buf b;

	peer_need_openssl(DIR);

	test_load_key("tests/data/key-pkcs1.pem", &rootkey);
	test_load_key("tests/data/key-pkcs8.pem", &leafkey);
	dn_init(&rootname);
	dn_init(&leafname);
	san_list_init(&san);
	cert_init(&root);
	CHECK_EQ(dn_from_string(&rootname, "C=DE,O=minipki test,CN=minipki Root", &e), 0);
	CHECK_EQ(dn_from_string(&leafname, "CN=server.example,O=minipki test", &e), 0);

	/* Root: self-signed CA, valid from an hour ago for ten years. */
	memset(&t, 0, sizeof t);
	t.serial = serial1;
	t.serial_len = sizeof serial1;
	t.issuer = &rootname;
	t.subject = &rootname;
	t.not_before = (int64_t)time(NULL) - 3600;
	t.not_after = t.not_before + 10 * 365 * 86400LL;
	t.subject_key = &rootkey;
	ext_info_init(&t.ext);
	t.ext.has_bc = 1;
	t.ext.ca = 1;
	t.ext.pathlen = 0;
	t.ext.has_ku = 1;
	t.ext.ku = KU_KEY_CERT_SIGN | KU_CRL_SIGN;
	CHECK_EQ(cert_build(&t, &rootkey, &der, &len, &e), 0);
	CHECK_EQ(cert_parse(&root, der, len, &e), 0);
	peer_write_pem(DIR "/root.pem", "CERTIFICATE", der, len);
	free(der);

	/* Leaf: server certificate with SANs and the root's key id. */
	t.serial = serial2;
	t.serial_len = sizeof serial2;
	t.subject = &leafname;
	t.subject_key = &leafkey;
	t.ext.ca = 0;
	t.ext.pathlen = -1;
	t.ext.ku = KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT;
	t.ext.has_eku = 1;
	t.ext.eku[0] = OID_KP_SERVER_AUTH;
	t.ext.eku[1] = OID_KP_CLIENT_AUTH;
	t.ext.neku = 2;
	CHECK_EQ(san_parse_list(&san, "server.example,IP:127.0.0.1,IP:::1", &e), 0);
	t.ext.has_san = 1;
	t.ext.san = san;
	memcpy(t.ext.aki, root.ext.ski, root.ext.ski_len);
	t.ext.aki_len = root.ext.ski_len;
	CHECK_EQ(cert_build(&t, &rootkey, &der, &len, &e), 0);
	peer_write_pem(DIR "/leaf.pem", "CERTIFICATE", der, len);
	free(der);

	CHECK_EQ(peer_run("openssl verify -CAfile " DIR "/root.pem " DIR "/leaf.pem"), 0);
	CHECK_EQ(peer_run("openssl verify -purpose sslserver -CAfile " DIR "/root.pem "
	    DIR "/leaf.pem >/dev/null"), 0);
	CHECK(peer_output_has("openssl x509 -noout -text -in " DIR "/leaf.pem",
	    "DNS:server.example, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"));
	CHECK(peer_output_has("openssl x509 -noout -text -in " DIR "/leaf.pem",
	    "CA:FALSE"));
	CHECK(peer_output_has("openssl x509 -noout -text -in " DIR "/root.pem",
	    "CA:TRUE, pathlen:0"));
	CHECK(peer_output_has("openssl x509 -noout -subject -nameopt compat -in "
	    DIR "/leaf.pem", "subject=/CN=server.example/O=minipki test"));
	CHECK(peer_output_has("openssl x509 -noout -serial -in " DIR "/leaf.pem",
	    "serial=7F0102"));
	CHECK(peer_output_has("openssl asn1parse -in " DIR "/leaf.pem",
	    "UTCTIME"));

	/* Request with SANs. */
	CHECK_EQ(csr_build(&leafname, &san, &leafkey, &der, &len, &e), 0);
	peer_write_pem(DIR "/req.pem", "CERTIFICATE REQUEST", der, len);
	free(der);
	CHECK(peer_output_has("openssl req -verify -noout -in " DIR "/req.pem 2>&1",
	    "verify OK"));
	CHECK(peer_output_has("openssl req -noout -text -in " DIR "/req.pem",
	    "DNS:server.example"));

	/* Encrypted PKCS#8. */
	buf_init(&b);
	pkey_encode_pkcs8_encrypted(&leafkey, "x", 1, 2048, &b);
	peer_write_pem(DIR "/key.pem", "ENCRYPTED PRIVATE KEY", b.data, b.len);
	buf_clear(&b);
	CHECK_EQ(peer_run("openssl pkey -in " DIR "/key.pem -passin pass:x -noout"), 0);
	CHECK(peer_run("openssl pkey -in " DIR "/key.pem -passin pass:y -noout "
	    "2>/dev/null") != 0);
	/* PKCS#1 and PKCS#8 unencrypted. */
	pkey_encode_pkcs1(&leafkey, &b);
	peer_write_pem(DIR "/key1.pem", "RSA PRIVATE KEY", b.data, b.len);
	buf_clear_secret(&b);
	CHECK_EQ(peer_run("openssl rsa -in " DIR "/key1.pem -check -noout >/dev/null 2>&1"), 0);

	if (test_failures == 0)
		peer_run("rm -rf " DIR);
	cert_clear(&root);
	san_list_clear(&san);
	dn_clear(&rootname);
	dn_clear(&leafname);
	rsakey_clear(&rootkey);
	rsakey_clear(&leafkey);
	return test_done();
}
