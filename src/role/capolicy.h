/* capolicy.h — the certificate policies a CA asserts (RFC 5280 4.2.1.4)
 * and the policyConstraints (4.2.1.11) an intermediate puts on the CAs
 * below it.
 *
 * Where they are kept: in the CA's own certificate, nowhere else (no
 * ca.yaml field): the certificatePolicies of the CA's certificate is what
 * every certificate it signs carries (ca_sign_record calls
 * capolicy_apply), CPS qualifier included, so a chain of our CAs passes
 * `openssl verify -policy OID -explicit_policy`. Profiles carry no
 * policies of their own. */
#ifndef MP_ROLE_CAPOLICY_H
#define MP_ROLE_CAPOLICY_H

#include "util/err.h"
#include "x509/cert.h"

#define CAPOLICY_MAX_SKIP 64	/* largest SkipCerts we write */
#define CAPOLICY_CPS_MAX 200	/* bytes of a CPS URI */

/* What `ca init` was asked: policies "OID[,OID]" (dotted, or anyPolicy)
 * or NULL; cps an http:// or https:// URI or NULL; require_explicit and
 * inhibit_mapping SkipCerts 0 to CAPOLICY_MAX_SKIP, -1 for none. */
struct capolicy {
	const char *policies;
	const char *cps;
	long require_explicit;
	long inhibit_mapping;
};

void capolicy_init(struct capolicy *);

/* Whether any of it is asked. */
int capolicy_any(const struct capolicy *);

/* Writes certificatePolicies (each policy with the CPS qualifier when
 * cps is set) and a critical policyConstraints into x. ERR_USAGE:
 * "--policy: bad policy OID '1.x': expected dotted digits such as
 * 2.5.29.32.0, or anyPolicy", "--policy: 1.2.3 appears twice",
 * "--cps needs --policy", "--cps: 'ftp://x': use an http:// or https://
 * URI of printable ASCII, at most 200 bytes", "--require-explicit-policy:
 * 65: use 0 to 64". A no-op when nothing is asked. */
int capolicy_set(struct ext_info *x, const struct capolicy *, struct err *);

/* Called for everything issuer (a CA's certificate) signs: a template
 * without certificatePolicies gets issuer's (so a leaf asserts the CA's
 * policies); one with its own (an intermediate's --policy, a renewal's
 * old value) must stay within issuer's when issuer has policies and not
 * anyPolicy: ERR_REFUSED "policy 1.2.3 is not among the policies of CA
 * 'CN=Root' (1.2.4): a verifier would find no valid policy". */
int capolicy_apply(const struct cert *issuer, struct ext_info *t,
    struct err *);

/* The policies of x as text ("1.2.3, 1.2.4"), "" when none; into out. */
void capolicy_text(const struct ext_info *x, char *out, size_t outlen);

#endif
