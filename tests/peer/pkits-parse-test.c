/* pkits-parse-test.c — the NIST PKITS certificates and CRLs from the peer
 * folder as known answers for the parsers (path validation is
 * pkits-test.c); skipped (77) when the peer folder is absent. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "x509/cert.h"
#include "x509/crl.h"

/* Every PKITS certificate parses, except the DSA-signed ones; the one
 * with a negative serial number parses with serial_negative set. */
static void
test_pkits_parse(const char *peer)
{
	static const char *const refused[] = {
		"DSAParametersInheritedCACert.crt", "InvalidDSASignatureTest6EE.crt",
		"ValidDSAParameterInheritanceTest5EE.crt",
		"ValidDSASignaturesTest4EE.crt",
	};
	char path[8192];
	const char *line;
	struct dirent *de;
	DIR *d;
	size_t i, n = 0;

	snprintf(path, sizeof path, "%s/pkits/certs", peer);
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		test_skip("no pkits/certs in the peer folder");
	}
	while ((de = readdir(d)) != NULL) {
		struct cert c;
		struct err e;
		uint8_t *der;
		size_t len;
		int want = 0, r;

		line = de->d_name;
		if (line[0] == '.')
			continue;
		for (i = 0; i < sizeof refused / sizeof refused[0]; i++)
			if (strcmp(line, refused[i]) == 0)
				want = -1;
		snprintf(path, sizeof path, "%s/pkits/certs/%s", peer, line);
		if ((der = test_read_file(path, &len)) == NULL)
			continue;
		cert_init(&c);
		r = cert_parse(&c, der, len, &e);
		CHECK_EQ(r, want);
		if (r != want)
			fprintf(stderr, "%s: %s\n", line, r ? e.msg : "parsed");
		if (r == 0 && strcmp(line,
		    "InvalidNegativeSerialNumberTest15EE.crt") == 0) {
			char txt[3 * CERT_MAX_SERIAL + 2];

			CHECK(c.serial_negative);
			cert_serial_text(c.serial, c.serial_len, txt,
			    sizeof txt);
			CHECK_STR(txt, "-01");
		} else if (r == 0)
			CHECK(!c.serial_negative);
		if (r == 0 && strcmp(line, "BadSignedCACert.crt") == 0)
			CHECK_EQ(c.sig_len, 0);
		if (r == 0 && strcmp(line, "InvalidUnknownCriticalCertificateExtensionTest2EE.crt") == 0)
			CHECK_STR(c.ext.unknown_critical_oid, "2.16.840.1.101.2.1.12.2");
		cert_clear(&c);
		free(der);
		n++;
	}
	closedir(d);
	CHECK(n > 400);
}

/* PKITS CRLs as known answers. */
static void
test_pkits_crls(const char *dir)
{
	char path[1024];
	struct crl c;
	struct err e;
	uint64_t num;

	crl_init(&c);
	snprintf(path, sizeof path, "%s/pkits/crls/GoodCACRL.crl", dir);
	CHECK(crl_load_file(&c, path, &e) == 0);
	CHECK_EQ(c.version, 2);
	CHECK_EQ(c.n, 2);
	CHECK(crl_number_u64(&c, &num) == 0 && num == 1);
	CHECK_EQ(c.entries[0].reason, CRL_REASON_KEY_COMPROMISE);
	snprintf(path, sizeof path, "%s/pkits/crls/UnknownCRLExtensionCACRL.crl",
	    dir);
	CHECK(crl_load_file(&c, path, &e) == 0);
	CHECK(c.unsupported_critical);
	snprintf(path, sizeof path,
	    "%s/pkits/crls/GeneralizedTimeCRLnextUpdateCACRL.crl", dir);
	CHECK(crl_load_file(&c, path, &e) == 0);
	CHECK(c.has_next_update && c.next_update > 2524608000LL);
	crl_clear(&c);
}

int
main(void)
{
	const char *dir = test_peer_dir();

	if (dir == NULL)
		test_skip("no peer folder (../shared/peer or $MINIPKI_PEER)");
	test_pkits_parse(dir);
	test_pkits_crls(dir);
	return test_done();
}
