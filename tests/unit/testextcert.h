/* testextcert.h — certificates with whatever extensions a test writes,
 * for the checks whose extensions the certificate builder does not make
 * (policies, distribution points with a cRLIssuer). */
#ifndef MP_TESTEXTCERT_H
#define MP_TESTEXTCERT_H

#include <stdint.h>

#include "asn1/der.h"
#include "x509/cert.h"

/* Writes Extension elements (inside the Extensions SEQUENCE). */
typedef void test_ext_fn(struct derw *, const void *arg);

/* A v3 certificate subject / issuer (DN text), key's public key signed by
 * signer, valid from nb to na, serial serial, basicConstraints critical
 * (cA TRUE when ca), then what exts writes (may be NULL); appended to
 * out. A failure to build ends the test with its reason. */
void test_ext_cert(struct cert_list *out, const char *subject,
    const char *issuer, const struct rsakey *key, const struct rsakey *signer,
    unsigned serial, int ca, int64_t nb, int64_t na, test_ext_fn *exts,
    const void *arg);

#endif
