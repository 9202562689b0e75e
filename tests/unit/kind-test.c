/* kind-test.c — the one table of what a file holds (x509/kind.h), which
 * `show` and the TUI's Open both use: PEM labels, DER sniffing with its
 * exact error, OpenSSL's TRUSTED CERTIFICATE split into the certificate
 * and its trust settings (text_trust), and malformed trust settings.
 * Before it only the TUI listed TRUSTED CERTIFICATE, and both faces
 * refused such a file ("no certificate, request, CRL or key in it"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "testlib.h"
#include "x509/cert.h"
#include "x509/kind.h"
#include "x509/text.h"

/* The first PEM block of a fixture; the caller frees *der. */
static uint8_t *
block(const char *path, const char *label, size_t *len)
{
	struct pem_list pl;
	struct err e;
	uint8_t *data, *der = NULL;
	size_t n;

	data = test_slurp(path, &n);
	pem_list_init(&pl);
	CHECK(pem_decode((const char *)data, n, &pl, &e) == 0);
	CHECK(pl.n >= 1);
	if (pl.n >= 1) {
		CHECK_STR(pl.v[0].label, label);
		der = malloc(pl.v[0].len + 1);
		memcpy(der, pl.v[0].der, pl.v[0].len);
		*len = pl.v[0].len;
	}
	pem_list_clear(&pl);
	free(data);
	return der;
}

static void
test_labels(void)
{
	CHECK_EQ(kind_of_label("CERTIFICATE"), KIND_CERT);
	CHECK_EQ(kind_of_label("X509 CERTIFICATE"), KIND_CERT);
	CHECK_EQ(kind_of_label("TRUSTED CERTIFICATE"), KIND_TRUSTED_CERT);
	CHECK_EQ(kind_of_label("CERTIFICATE REQUEST"), KIND_CSR);
	CHECK_EQ(kind_of_label("NEW CERTIFICATE REQUEST"), KIND_CSR);
	CHECK_EQ(kind_of_label("X509 CRL"), KIND_CRL);
	CHECK_EQ(kind_of_label("RSA PRIVATE KEY"), KIND_KEY);
	CHECK_EQ(kind_of_label("PRIVATE KEY"), KIND_KEY);
	CHECK_EQ(kind_of_label("ENCRYPTED PRIVATE KEY"), KIND_KEY);
	CHECK_EQ(kind_of_label("PUBLIC KEY"), KIND_KEY);
	CHECK_EQ(kind_of_label("RSA PUBLIC KEY"), KIND_KEY);
	CHECK_EQ(kind_of_label("PKCS7"), KIND_UNKNOWN);
	CHECK_EQ(kind_of_label("certificate"), KIND_UNKNOWN);
	CHECK_STR(kind_key_name(PKEY_PKCS1), "RSA private key (PKCS#1)");
	CHECK_STR(kind_key_name(PKEY_SPKI),
	    "Public key (SubjectPublicKeyInfo)");
	CHECK_STR(kind_key_name(PKEY_UNKNOWN), "Key");
	CHECK_STR(kind_key_name((enum pkey_format)99), "Key");
}

static void
test_sniff(void)
{
	static const uint8_t cut[] = { 0x30, 0x82, 0x01, 0x00, 0x02 };
	static const uint8_t octets[] = { 0x04, 0x01, 0x00 };
	struct err e;
	uint8_t *der;
	size_t len;

	err_clear(&e);
	der = test_slurp("tests/data/leaf.der", &len);
	CHECK_EQ(kind_sniff(der, len, &e), KIND_CERT);
	free(der);
	der = test_slurp("tests/data/key-pkcs8.der", &len);
	CHECK_EQ(kind_sniff(der, len, &e), KIND_KEY);
	free(der);
	der = block("tests/data/csr.pem", "CERTIFICATE REQUEST", &len);
	CHECK_EQ(kind_sniff(der, len, &e), KIND_CSR);
	free(der);
	/* A PFX looks like PKCS#8 (INTEGER, SEQUENCE, ...) but for its
	 * version 3: it must not be taken for a key. */
	der = test_slurp("tests/data/p12-openssl.p12", &len);
	CHECK_EQ(kind_sniff(der, len, &e), KIND_PKCS12);
	free(der);
	CHECK_EQ(kind_sniff(cut, sizeof cut, &e), KIND_UNKNOWN);
	CHECK_STR(e.msg, "not a certificate, request, CRL or key (as a "
	    "certificate: offset 0x0: length runs past end of input)");
	CHECK_EQ(e.kind, ERR_INPUT);
	CHECK_EQ(kind_sniff(octets, sizeof octets, &e), KIND_UNKNOWN);
	CHECK_STR(e.msg, "not a certificate, request, CRL or key (as a "
	    "certificate: offset 0x0: expected SEQUENCE (Certificate), "
	    "found 0x04)");
}

static void
test_trusted(void)
{
	struct cert c;
	struct buf b;
	struct err e;
	uint8_t *der, *leaf, *bad;
	size_t len, leaflen, n = 0;

	/* openssl x509 -addtrust serverAuth -addtrust clientAuth
	 * -addreject emailProtection -setalias "lab leaf" -trustout */
	der = block("tests/data/leaf-trusted.pem", "TRUSTED CERTIFICATE",
	    &len);
	leaf = test_slurp("tests/data/leaf.der", &leaflen);
	CHECK(kind_trusted_split(der, len, &n, &e) == 0);
	CHECK_EQ(n, leaflen);
	CHECK(n == leaflen && memcmp(der, leaf, n) == 0);
	cert_init(&c);
	CHECK(cert_parse(&c, der, n, &e) == 0);
	cert_clear(&c);
	buf_init(&b);
	CHECK(text_trust(&b, der + n, len - n, &e) == 0);
	buf_putc(&b, '\0');
	CHECK_STR((const char *)b.data,
	    "OpenSSL trust settings (TRUSTED CERTIFICATE):\n"
	    "    Trusted uses: serverAuth, clientAuth\n"
	    "    Rejected uses: emailProtection\n"
	    "    Alias: lab leaf\n");
	buf_clear(&b);

	/* -trustout without settings: the certificate alone. */
	free(der);
	der = block("tests/data/root-trusted-bare.pem", "TRUSTED CERTIFICATE",
	    &len);
	CHECK(kind_trusted_split(der, len, &n, &e) == 0);
	CHECK_EQ(n, len);
	buf_init(&b);
	CHECK(text_trust(&b, der + n, 0, &e) == 0);
	buf_putc(&b, '\0');
	CHECK_STR((const char *)b.data,
	    "OpenSSL trust settings (TRUSTED CERTIFICATE):\n    none\n");
	buf_clear(&b);

	/* Anything but one SEQUENCE after the certificate. */
	bad = malloc(leaflen + 8);
	memcpy(bad, leaf, leaflen);
	memcpy(bad + leaflen, "\x30\x00\x05\x00", 4);
	CHECK_ERR(kind_trusted_split(bad, leaflen + 4, &n, &e), &e,
	    "offset 0x445: 2 bytes left over at end of TRUSTED CERTIFICATE");
	CHECK_STR(e.msg, "offset 0x445: 2 bytes left over at end of TRUSTED "
	    "CERTIFICATE");
	memcpy(bad + leaflen, "\x04\x00", 2);
	CHECK_ERR(kind_trusted_split(bad, leaflen + 2, &n, &e), &e,
	    "offset 0x443: expected SEQUENCE (trust settings), found 0x04");
	CHECK_ERR(kind_trusted_split(bad + 1, 4, &n, &e), &e,
	    "offset 0x0: expected SEQUENCE (Certificate), found 0x82");
	free(bad);

	/* Settings that do not decode: an INTEGER among the trusted uses,
	 * an unknown field at the end. */
	buf_init(&b);
	CHECK_ERR(text_trust(&b, (const uint8_t *)"\x30\x05\x30\x03\x02\x01"
	    "\x01", 7, &e), &e, "offset 0x4: expected OBJECT IDENTIFIER "
	    "(Trusted uses), found 0x02");
	CHECK_ERR(text_trust(&b, (const uint8_t *)"\x30\x03\x02\x01\x01", 5,
	    &e), &e, "offset 0x2: 3 bytes left over at end of trust settings");
	buf_clear(&b);
	free(leaf);
	free(der);
}

int
main(void)
{
	test_labels();
	test_sniff();
	test_trusted();
	return test_done();
}
