/* cacrl.h — what goes on a CA's CRLs beyond the revoked list: whether an
 * issuingDistributionPoint is safe, and a delta CRL's entries
 * (RFC 5280 5.2.4, 5.2.5). lifecycle_crl_ex (role/lifecycle.h) uses
 * them; nothing here writes. */
#ifndef MP_ROLE_CACRL_H
#define MP_ROLE_CACRL_H

#include <stddef.h>
#include <stdint.h>

#include "role/ca.h"
#include "x509/crl.h"

#define CACRL_DELTA_PATH "delta-crl.pem"	/* in ca/NAME/ */
#define CA_URL_DELTA "/delta-crl"		/* freshestCRL: URL + this */

/* A record's entry: serial as INTEGER content bytes (as cert_parse keeps
 * them), revocationDate, reasonCode (none for unspecified, RFC 5280
 * 5.3.1), invalidityDate. -1 when the serial does not fit. */
int cacrl_entry(const struct cadb_cert *, struct crl_entry *);

/* An IDP naming URL/crl makes the CRL cover only certificates whose CDP
 * names it (RFC 5280 6.3.3 (b)(2)): 1 when the CA has a URL and every
 * certificate of its database not expired at now (revoked or not) carries
 * that CDP, and so does the CA's own certificate if it is a root (which
 * `openssl verify -crl_check_all` checks against the root's own CRL);
 * *uri, the caller frees, gets it. 0 when not, with the reason in why
 * ("no URL", "the CA is a root, whose own certificate lacks the CDP ...",
 * "2 of 5 unexpired certificates lack the CDP
 * http://ca.lab:8080/crl (the first: serial 1f...)"); -1 when a record
 * cannot be read. */
int cacrl_idp(const struct ca *, int64_t now, char **uri, char *why,
    size_t whylen, struct err *);

/* The entries of a delta CRL against base (a complete CRL of the CA):
 * each certificate revoked now but not on base, or with another reason
 * there; removeFromCRL for each on base that is no longer revoked (a hold
 * lifted). *v (the caller frees) gets *n of them. */
int cacrl_delta(const struct ca *, const struct crl *base,
    struct crl_entry **v, size_t *n, struct err *);

#endif
