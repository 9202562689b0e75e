/* capriv.h — ca.c's steps of an issuance that capresign.c repeats ahead
 * of time for a batch; not for other callers (use ca.h). */
#ifndef MP_ROLE_CAPRIV_H
#define MP_ROLE_CAPRIV_H

#include "role/ca.h"

/* A random serial that the CA's database does not hold yet. */
int ca_fresh_serial(const struct ca *, uint8_t s[CA_SERIAL_BYTES],
    char hex[CA_SERIAL_HEX], struct err *);

/* ca_issue's template for req under p (after ca_check_request): days,
 * validity, profile extensions (*dropped: SANs not copied), subject and
 * key. t is initialised by the caller. */
int ca_issue_template(const struct ca *, const struct csr *req,
    const struct profile *p, long days, int64_t now, struct cert_template *t,
    size_t *dropped, struct err *);

/* ca_sign_record's first steps: t becomes what the CA signs (service
 * URLs, name constraints checked, policies, issuer, AKI, notAfter cut to
 * the CA's: *clamped), all but the serial. */
int ca_sign_prepare(struct ca *, struct cert_template *t, int *clamped,
    struct err *);

/* ca_sign_record for ca_issue: with req (not NULL), a signature made
 * ahead for req (capresign_take) is used when it is for exactly t. */
int ca_sign_record_req(struct ca *, struct cert_template *t,
    const char *profile, const struct csr *req, struct ca_issued *out,
    struct err *);

#endif
