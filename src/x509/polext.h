/* polext.h — the certificate policy extensions (RFC 5280 4.2.1.4, 4.2.1.5,
 * 4.2.1.11, 4.2.1.14): certificatePolicies, policyMappings,
 * policyConstraints and inhibitAnyPolicy, read for path validation
 * (x509/policy.h).
 *
 * ext.c calls the same parsers with a NULL info to refuse a certificate
 * whose extension is malformed; path validation reads them again from the
 * certificate's DER (polext_read_cert) into a pol_info. Qualifiers are
 * checked for structure and otherwise ignored, as RFC 5280 6.1 allows. */
#ifndef MP_X509_POLEXT_H
#define MP_X509_POLEXT_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/der.h"
#include "util/err.h"

#define POL_MAX_OID 40		/* content bytes of a policy OID */
#define POL_MAX_POLICIES 32	/* PolicyInformation in one extension */
#define POL_MAX_MAPPINGS 32	/* pairs in one policyMappings */
#define POL_MAX_QUALIFIERS 8	/* PolicyQualifierInfo per policy */
#define POL_SKIP_MAX 0x7fffffffL	/* larger SkipCerts count as this */

struct pol_oid {
	uint8_t v[POL_MAX_OID];	/* OID content bytes */
	size_t len;
};

struct pol_map {
	struct pol_oid issuer, subject;	/* issuer- and subjectDomainPolicy */
};

struct pol_info {
	int has_policies;
	struct pol_oid policies[POL_MAX_POLICIES];
	size_t npolicies;
	int has_mappings;
	struct pol_map maps[POL_MAX_MAPPINGS];
	size_t nmaps;
	int has_constraints;
	long require_explicit;	/* -1: absent */
	long inhibit_mapping;	/* -1: absent */
	int has_inhibit_any;
	long inhibit_any;
};

void pol_info_init(struct pol_info *);

/* Each reads one extension value at d (inside extnValue) into info, or
 * only checks it when info is NULL. Errors are der_fail messages:
 * "offset 0x1c: policyIdentifier 2.5.29.32.0 appears twice". */
int polext_parse_policies(struct der *, struct pol_info *);
int polext_parse_mappings(struct der *, struct pol_info *);
int polext_parse_constraints(struct der *, struct pol_info *);
int polext_parse_inhibit_any(struct der *, struct pol_info *);

struct cert;
/* The four extensions of a parsed certificate, found in its DER. */
int polext_read_cert(const struct cert *, struct pol_info *, struct err *);

/* anyPolicy (2.5.29.32.0). */
int pol_oid_is_any(const struct pol_oid *);
int pol_oid_eq(const struct pol_oid *, const struct pol_oid *);
/* Parses a dotted OID or "anyPolicy" into o; ERR_USAGE on a bad one. */
int pol_oid_from_text(struct pol_oid *, const char *text, struct err *);
/* Dotted form, "anyPolicy" for anyPolicy, into out. */
void pol_oid_text(const struct pol_oid *, char *out, size_t outlen);

#endif
