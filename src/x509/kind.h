/* kind.h — what a file opened by `show` or the TUI's Open holds: the PEM
 * labels both faces know, the DER structures they sniff and the names of
 * key formats, in one table.
 *
 * "TRUSTED CERTIFICATE" is OpenSSL's `x509 -trustout` form: a Certificate
 * followed by its trust settings (X509_CERT_AUX); it is shown as the
 * certificate and then those settings (text_trust). */
#ifndef MP_X509_KIND_H
#define MP_X509_KIND_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "x509/pkey.h"

enum kind {
	KIND_UNKNOWN,		/* nothing we show */
	KIND_CERT,
	KIND_TRUSTED_CERT,	/* a certificate, then its trust settings */
	KIND_CSR,
	KIND_CRL,
	KIND_KEY,		/* any of pkey.h's formats */
	KIND_PKCS12,		/* a PKCS#12 PFX (x509/pkcs12.h), DER only */
};

/* The kind a PEM label names; KIND_UNKNOWN for any other label. */
enum kind kind_of_label(const char *label);
/* DER without a label: the structure decides, trying a PKCS#12 PFX
 * (pkcs12_detect: its version 3 tells it from a PKCS#8 key), a key
 * (pkey_detect), then a certificate, a request, a CRL. KIND_UNKNOWN, with ERR_INPUT "not
 * a certificate, request, CRL or key (as a certificate: WHY)" in e, when
 * it is none of them. */
enum kind kind_sniff(const uint8_t *der, size_t len, struct err *);
/* Splits a TRUSTED CERTIFICATE block: *certlen gets the length of the
 * Certificate that starts it; the X509_CERT_AUX SEQUENCE, if any, is the
 * rest (der + *certlen, len - *certlen). ERR_INPUT when der does not
 * start with a SEQUENCE or anything but one SEQUENCE follows it. */
int kind_trusted_split(const uint8_t *der, size_t len, size_t *certlen,
    struct err *);
/* "RSA private key (PKCS#1)", ...; "Key" for PKEY_UNKNOWN. */
const char *kind_key_name(enum pkey_format);

#endif
