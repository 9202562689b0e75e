/* fuzzpki.h — the fixed PKI of the path validation targets: the trust
 * anchors (the Verify Root and Verify EC Test Root of tests/data/verify,
 * and Fuzz Root) and a chain under Fuzz Root (Fuzz Intermediate, then the
 * leaf fuzz.example, serial 3) whose CRLs seed tests/fuzz/corpus/crlcheck.
 * Parsed once; the lists live for the process. */
#ifndef MP_FUZZPKI_H
#define MP_FUZZPKI_H

#include "x509/cert.h"

/* Validation time of the targets: 2027-06-01, when every fixture is
 * valid. */
#define FUZZPKI_AT 1811808000

const struct cert_list *fuzzpki_anchors(void);
/* [0] the leaf fuzz.example, [1] Fuzz Intermediate. */
const struct cert_list *fuzzpki_chain(void);

#endif
