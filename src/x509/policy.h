/* policy.h — certificate policy processing of a path (RFC 5280 6.1.2 to
 * 6.1.5: the valid_policy_tree).
 *
 * Inputs are the verify_params' initial policy set (empty: anyPolicy) and
 * its initial explicit-policy, policy-mapping-inhibit and
 * any-policy-inhibit flags; the certificates' certificatePolicies,
 * policyMappings, policyConstraints and inhibitAnyPolicy (x509/polext.h).
 * A path fails (VERIFY_POLICY) when explicit_policy reaches 0 while the
 * tree is empty, or when a policyMappings maps to or from anyPolicy. The
 * tree is bounded (POLICY_MAX_NODES nodes, POLICY_MAX_OIDS distinct
 * policies on one path): a path that needs more fails with a step that
 * says so, it is never half-processed.
 *
 * A step "certificate policies" is added when a certificate below the
 * anchor carries one of these extensions or a setting differs from its
 * default: the authorities-constrained and user-constrained policy sets,
 * or where and why the tree became empty. */
#ifndef MP_X509_POLICY_H
#define MP_X509_POLICY_H

#include <stddef.h>

#include "x509/verify.h"

#define POLICY_MAX_NODES 1024
#define POLICY_MAX_OIDS 128

void policy_check_path(const struct verify_params *,
    const struct cert *const *path, size_t len, struct verify_result *);

#endif
