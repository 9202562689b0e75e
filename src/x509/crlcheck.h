/* crlcheck.h — revocation checking of a validated path against CRLs.
 *
 * For each certificate path[i] below the anchor whose issuer path[i+1]
 * needs checking (the leaf whenever CRLs are given; every certificate with
 * crl_all; any other whose issuer has a CRL among those given), the CRLs
 * named by that issuer are candidates. A candidate is used only when:
 * its signature verifies with the issuer's key (or with the key of another
 * certificate of that name: one on the path, a trust anchor, or an
 * untrusted certificate whose own path validates with the same CRLs, as a
 * CA with a separate CRL signing key has; nested at most twice), and that
 * signer's keyUsage, if
 * present, has cRLSign; its authorityKeyIdentifier, if both are present,
 * matches the issuer's subjectKeyIdentifier; thisUpdate <= at and at <=
 * nextUpdate (a CRL without nextUpdate does not go stale); it is not a
 * delta CRL and has no critical extension this project does not process.
 * Of the usable ones the newest (latest thisUpdate) decides. A serial on
 * it is VERIFY_REVOKED, "revoked (REASON) on DATE" (certificateHold
 * included; removeFromCRL is not a revocation); no usable CRL is
 * VERIFY_CRL with the reason the last candidate was rejected. Steps name
 * the CRL (its label and cRLNumber). */
#ifndef MP_X509_CRLCHECK_H
#define MP_X509_CRLCHECK_H

#include <stddef.h>

#include "x509/crl.h"
#include "x509/verify.h"

void crlcheck_path(const struct verify_params *, const struct cert *const *path,
    size_t len, struct verify_result *);

#endif
