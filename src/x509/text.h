/* text.h — readable renderings of certificates, requests and keys, in the
 * manner of `openssl x509 -text`. Output is appended to a buf. */
#ifndef MP_X509_TEXT_H
#define MP_X509_TEXT_H

#include <stdint.h>

#include "crypto/rsakey.h"
#include "util/buf.h"
#include "util/err.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/csr.h"

/* Every field and extension (decoded, with its critical flag), then
 * "SHA-256 fingerprint: AA:BB:...". */
void text_cert(struct buf *, const struct cert *);
void text_csr(struct buf *, const struct csr *);
/* Issuer, this/next update, cRLNumber, AKI, then every entry (serial,
 * revocation date, reason, invalidity date) and the SHA-256 of the DER. */
void text_crl(struct buf *, const struct crl *);
/* Type, size, public exponent and the SHA-256 of the SubjectPublicKeyInfo;
 * never any private number. */
void text_key(struct buf *, const struct rsakey *);
/* The same for a key of either type (P-256 included). */
void text_pkey(struct buf *, const struct pkey *);
/* OpenSSL's trust settings that follow the certificate of a TRUSTED
 * CERTIFICATE (X509_CERT_AUX, len 0 when there are none): trusted and
 * rejected uses, alias, key id. -1 with ERR_INPUT naming the offset in
 * aux when they do not decode. */
int text_trust(struct buf *, const uint8_t *aux, size_t len, struct err *);
/* "YYYY-MM-DD HH:MM:SS UTC" ("(out of range)" when gmtime cannot say). */
void text_time(int64_t t, char out[32]);

#endif
