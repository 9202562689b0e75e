/* kind.c — what a file holds; see kind.h. */
#include <string.h>

#include "asn1/der.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/csr.h"
#include "x509/kind.h"
#include "x509/pkcs12.h"

static const struct {
	const char *label;
	enum kind kind;
} kind_labels[] = {
	{ "CERTIFICATE", KIND_CERT },
	{ "X509 CERTIFICATE", KIND_CERT },
	{ "TRUSTED CERTIFICATE", KIND_TRUSTED_CERT },
	{ "CERTIFICATE REQUEST", KIND_CSR },
	{ "NEW CERTIFICATE REQUEST", KIND_CSR },
	{ "X509 CRL", KIND_CRL },
	{ "RSA PRIVATE KEY", KIND_KEY },
	{ "EC PRIVATE KEY", KIND_KEY },
	{ "PRIVATE KEY", KIND_KEY },
	{ "ENCRYPTED PRIVATE KEY", KIND_KEY },
	{ "PUBLIC KEY", KIND_KEY },
	{ "RSA PUBLIC KEY", KIND_KEY },
};

static const char *const kind_key_names[] = {
	[PKEY_UNKNOWN] = "Key",
	[PKEY_PKCS1] = "RSA private key (PKCS#1)",
	[PKEY_PKCS8] = "Private key (PKCS#8)",
	[PKEY_PKCS8_ENCRYPTED] = "Encrypted private key (PKCS#8)",
	[PKEY_SPKI] = "Public key (SubjectPublicKeyInfo)",
	[PKEY_PKCS1_PUBLIC] = "RSA public key (PKCS#1)",
	[PKEY_SEC1] = "EC private key (SEC1)",
};

enum kind
kind_of_label(const char *label)
{
	size_t i;

	for (i = 0; i < sizeof kind_labels / sizeof kind_labels[0]; i++)
		if (strcmp(label, kind_labels[i].label) == 0)
			return kind_labels[i].kind;
	return KIND_UNKNOWN;
}

enum kind
kind_sniff(const uint8_t *der, size_t len, struct err *e)
{
	struct cert c;
	struct csr r;
	struct crl l;
	struct err ce;
	enum kind k = KIND_UNKNOWN;

	if (pkcs12_detect(der, len))
		return KIND_PKCS12;
	if (pkey_detect(der, len) != PKEY_UNKNOWN)
		return KIND_KEY;
	cert_init(&c);
	csr_init(&r);
	crl_init(&l);
	err_clear(&ce);
	if (cert_parse(&c, der, len, &ce) == 0)
		k = KIND_CERT;
	else if (csr_parse(&r, der, len, NULL) == 0)
		k = KIND_CSR;
	else if (crl_parse(&l, der, len, NULL) == 0)
		k = KIND_CRL;
	else
		/* The certificate's complaint: the likeliest intent. */
		err_set(e, ERR_INPUT, "not a certificate, request, CRL or key "
		    "(as a certificate: %s)", ce.msg);
	crl_clear(&l);
	csr_clear(&r);
	cert_clear(&c);
	return k;
}

int
kind_trusted_split(const uint8_t *der, size_t len, size_t *certlen,
    struct err *e)
{
	struct der d;
	struct der_tlv t;

	der_init(&d, der, len, e);
	if (der_get(&d, DER_SEQUENCE, "Certificate", &t) == -1)
		return -1;
	*certlen = t.hdrlen + t.len;
	if (der_more(&d) && der_get(&d, DER_SEQUENCE, "trust settings",
	    &t) == -1)
		return -1;
	return der_finish(&d, "TRUSTED CERTIFICATE");
}

const char *
kind_key_name(enum pkey_format f)
{
	if ((size_t)f >= sizeof kind_key_names / sizeof kind_key_names[0])
		return kind_key_names[PKEY_UNKNOWN];
	return kind_key_names[f];
}
