/* capolicy.h — the certificate policies a CA asserts (RFC 5280 4.2.1.4)
 * and the policyConstraints (4.2.1.11) an intermediate puts on the CAs
 * below it.
 *
 * Where they are kept: in the CA's own certificate: the certificatePolicies
 * of the CA's certificate is what every certificate it signs carries by
 * default (ca_sign_record calls capolicy_apply), CPS qualifier included,
 * so a chain of our CAs passes `openssl verify -policy OID
 * -explicit_policy`. A profile may carry policies of its own
 * (role/caprofile.h, `ca set-policy`), which must stay within the CA's.
 *
 * An intermediate may also map its issuer's policies onto those of its
 * own domain (policyMappings, 4.2.1.5) and stop anyPolicy from counting
 * below it (inhibitAnyPolicy, 4.2.1.14); what such a CA signs carries the
 * policies of its subject domain. */
#ifndef MP_ROLE_CAPOLICY_H
#define MP_ROLE_CAPOLICY_H

#include "util/err.h"
#include "x509/cert.h"

#define CAPOLICY_MAX_SKIP 64	/* largest SkipCerts we write */
#define CAPOLICY_CPS_MAX 200	/* bytes of a CPS URI */

/* What `ca init` was asked: policies "OID[,OID]" (dotted, or anyPolicy)
 * or NULL; cps an http:// or https:// URI or NULL; mappings
 * "ISSUER_OID=SUBJECT_OID[,...]" or NULL; require_explicit,
 * inhibit_mapping and inhibit_any SkipCerts 0 to CAPOLICY_MAX_SKIP, -1
 * for none. */
struct capolicy {
	const char *policies;
	const char *cps;
	const char *mappings;
	long require_explicit;
	long inhibit_mapping;
	long inhibit_any;
};

void capolicy_init(struct capolicy *);

/* Whether any of it is asked. */
int capolicy_any(const struct capolicy *);

/* Writes certificatePolicies (each policy with the CPS qualifier when
 * cps is set), critical policyMappings, policyConstraints and
 * inhibitAnyPolicy into x. ERR_USAGE:
 * "--policy: bad policy OID '1.x': expected dotted digits such as
 * 2.5.29.32.0, or anyPolicy", "--policy: 1.2.3 appears twice",
 * "--cps needs --policy", "--cps: 'ftp://x': use an http:// or https://
 * URI of printable ASCII, at most 200 bytes", "--require-explicit-policy:
 * 65: use 0 to 64", "--policy-map: '1.2.3': expected
 * ISSUER_OID=SUBJECT_OID", "--policy-map: 'anyPolicy=1.2.3': anyPolicy is
 * never mapped, to or from (RFC 5280 4.2.1.5)", "--policy-map: 1.2=1.3
 * appears twice". A no-op when nothing is asked. */
int capolicy_set(struct ext_info *x, const struct capolicy *, struct err *);

/* Called for everything issuer (a CA's certificate) signs. The policies
 * of issuer's subject domain are its own with those its policyMappings
 * maps replaced by what they map to. A template without
 * certificatePolicies gets them (issuer's value as it is when there are
 * no mappings, so a leaf asserts the CA's policies and CPS); one with
 * its own (an intermediate's --policy, a profile's, a renewal's old
 * value) must stay within them unless they hold anyPolicy: ERR_REFUSED
 * "policy 1.2.3 is not among the policies of CA 'CN=Root' (1.2.4): a
 * verifier would find no valid policy". An issuer without policies
 * that is not self-issued (an intermediate) refuses any: "policy 1.2.3:
 * CA 'CN=Sub' asserts no policies: a verifier would find no valid
 * policy"; a root (a trust anchor, whose policies verifiers do not
 * process) allows any. A template with policyMappings must assert each
 * issuerDomainPolicy (or anyPolicy): "policyMappings: 1.2.3 is not among
 * the new certificate's policies (1.2.4): the mapping would never
 * apply". */
int capolicy_apply(const struct cert *issuer, struct ext_info *t,
    struct err *);

/* The policies of x as text ("1.2.3, 1.2.4"), "" when none; into out. */
void capolicy_text(const struct ext_info *x, char *out, size_t outlen);
/* Its policyMappings as text ("1.2.3=1.2.4, ..."), "" when none. */
void capolicy_maps_text(const struct ext_info *x, char *out, size_t outlen);
/* Its inhibitAnyPolicy SkipCerts, -1 when absent. */
long capolicy_inhibit_any(const struct ext_info *x);

#endif
