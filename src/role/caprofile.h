/* caprofile.h — the certificate policies one profile of a CA carries
 * (`ca set-policy`), instead of the CA's own.
 *
 * Kept in ca/NAME/ca.yaml (profile_policies, store/FORMATS.md), since a
 * profile is the CA's choice, not its certificate's. They must stay
 * within the policies of the CA's subject domain (its own, after its
 * policyMappings) unless those hold anyPolicy: refused when set and
 * again when a certificate is signed (capolicy_apply), as ca.yaml can be
 * edited. */
#ifndef MP_ROLE_CAPROFILE_H
#define MP_ROLE_CAPROFILE_H

#include "role/ca.h"
#include "store/cadb.h"
#include "util/err.h"
#include "x509/ext.h"

/* Sets (policies not NULL, "OID[,OID]" as `ca init --policy`, cps an
 * http(s) URI or NULL) or clears (policies NULL) the policies of profile
 * pname in ca (open with CA_WRITE; no key needed): ERR_USAGE for an
 * unknown profile or a bad value (capolicy_set's messages), ERR_REFUSED
 * "CA 'sub': policy 1.2.3 is not among the policies of CA 'CN=Sub'
 * (1.2.4): a verifier would find no valid policy"; saved to ca.yaml and
 * audited ("set-policy"). */
int caprofile_set(struct ca *, const char *pname, const char *policies,
    const char *cps, struct err *);

/* The entry of profile pname in ca's metadata, NULL when it has none. */
const struct cadb_profpol *caprofile_get(const struct ca *,
    const char *pname);

/* Writes profile pname's policies (with their CPS) into x, which then
 * carries them instead of the CA's; nothing when it has none. ERR_INPUT
 * "CA 'x': ca.yaml: profile_policies: server: ..." for a bad stored
 * value. */
int caprofile_apply(const struct ca *, const char *pname, struct ext_info *x,
    struct err *);

#endif
