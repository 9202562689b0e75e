/* crlcheck.h — revocation checking of a validated path against CRLs
 * (RFC 5280 6.3).
 *
 * For each certificate path[i] below the anchor that needs checking (the
 * leaf whenever CRLs are given; every certificate with crl_all; any other
 * when a CRL among those given is from its issuer), each of its
 * distribution points (one without name or reasons when it has no
 * cRLDistributionPoints) is matched against the complete CRLs given,
 * newest first, until every reason is covered or the certificate is found
 * revoked. A CRL is used only when:
 * - its scope covers the certificate: issued by the certificate's issuer,
 *   or, when the point names a cRLIssuer, by that issuer with
 *   issuingDistributionPoint indirectCRL; the IDP's point name matches the
 *   certificate's point (or its cRLIssuer); onlyContainsUserCerts /
 *   onlyContainsCACerts agree with the certificate's cA flag;
 *   onlyContainsAttributeCerts is not set;
 * - it adds a reason not yet covered (onlySomeReasons and the point's
 *   reasons intersected);
 * - a certificate named like its issuer signed it: one on the path, a trust
 *   anchor, or an untrusted one whose own path validates with the same
 *   CRLs (a CA's separate CRL signing key, an indirect CRL issuer), with
 *   keyUsage cRLSign when it has keyUsage and a subjectKeyIdentifier that
 *   is the CRL's authorityKeyIdentifier when both are present;
 * - thisUpdate <= at <= nextUpdate (none: never stale), and no critical
 *   extension this project does not process.
 * With use_deltas, when the certificate or the complete CRL has freshestCRL
 * (RFC 5280 6.3.3 (a)(2)), the newest delta CRL for it (same issuer, same
 * IDP, same signer, BaseCRLNumber <= its cRLNumber, fresh) is applied on top:
 * removeFromCRL there releases, any other reason revokes.
 * Outcomes: VERIFY_REVOKED "revoked (REASON) on DATE, according to CRL";
 * not revoked when the CRLs used cover every reason; VERIFY_CRL when no
 * CRL given is from the certificate's CRL issuer at all; otherwise
 * VERIFY_UNDETERMINED with the reasons covered and why the last candidate
 * was not used. Steps name each CRL used (its label and cRLNumber). The
 * work is bounded: signer paths nest at most twice, and one check makes at
 * most a few hundred CRL signature checks (then candidates are refused,
 * which leaves the status undetermined, never good). */
#ifndef MP_X509_CRLCHECK_H
#define MP_X509_CRLCHECK_H

#include <stddef.h>

#include "x509/crl.h"
#include "x509/verify.h"

void crlcheck_path(const struct verify_params *, const struct cert *const *path,
    size_t len, struct verify_result *);

#endif
