/* crldp.h — distribution points for CRL processing (RFC 5280 4.2.1.13,
 * 5.2.5 and 6.3.3): a certificate's cRLDistributionPoints read in full
 * (names kept for matching, not only as text) and a CRL's
 * issuingDistributionPoint, and the scope test between them.
 *
 * A name is kept as its GeneralName tag and contents; a directoryName is
 * parsed too, so that it compares as RFC 5280 7.1 says (dn_equal). A
 * nameRelativeToCRLIssuer is kept as its RDN and resolved against the CRL
 * issuer's name when compared. */
#ifndef MP_X509_CRLDP_H
#define MP_X509_CRLDP_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/der.h"
#include "x509/dn.h"
#include "util/err.h"

#define CRLDP_MAX_NAMES 16	/* names in one GeneralNames we keep */
#define CRLDP_ALL_REASONS 0x1feu	/* ReasonFlags bits 1 to 8 (0 is unused) */

struct cert;

struct crldp_name {
	unsigned tag;		/* GeneralName tag: 0xa4 directoryName, 0x86 URI, ... */
	uint8_t *val;		/* contents; owned */
	size_t len;
	struct dn dn;		/* directoryName: parsed */
};

struct crldp_names {
	struct crldp_name *v;	/* owned */
	size_t n;
};

/* A DistributionPoint, or the point of an issuingDistributionPoint. */
struct crldp_point {
	int has_name;		/* distributionPoint present */
	struct crldp_names full;	/* fullName */
	uint8_t *rdn;		/* nameRelativeToCRLIssuer: the SET's
				 * contents; owned, NULL when full */
	size_t rdn_len;
	int has_reasons;
	uint32_t reasons;	/* ReasonFlags, bit n = 1u << n */
	struct crldp_names crl_issuer;	/* cRLIssuer (certificates only) */
};

struct crldp_idp {
	int present;
	struct crldp_point dp;	/* distributionPoint, onlySomeReasons */
	int only_user, only_ca, only_attr, indirect;
};

void crldp_names_clear(struct crldp_names *);
void crldp_point_clear(struct crldp_point *);
/* GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName at d, appended
 * to l (at most CRLDP_MAX_NAMES); what names it in errors. */
int crldp_parse_names(struct der *d, const char *what, struct crldp_names *l);
void crldp_idp_clear(struct crldp_idp *);

/* issuingDistributionPoint's value at d (inside extnValue). Errors name
 * the field: "offset 0x3a: onlyContainsUserCerts FALSE is encoded (DER
 * omits the default)". */
int crldp_parse_idp(struct der *, struct crldp_idp *);
/* A certificate's cRLDistributionPoints, read from its DER: *v gets *n
 * points (0 and NULL when the extension is absent); free each with
 * crldp_point_clear, then *v. */
int crldp_read_cert(const struct cert *, struct crldp_point **v, size_t *n,
    struct err *);

/* Checks a CRLDistributionPoints value at d (the syntax freshestCRL
 * shares), keeping nothing. */
int crldp_check_points(struct der *d);

/* Nonzero when one name of a (its relative name resolved against a_base)
 * equals one of b's (b's relative name against b_base). */
int crldp_points_match(const struct crldp_point *a, const struct dn *a_base,
    const struct crldp_point *b, const struct dn *b_base);
/* Nonzero when one of the names equals dn as a directoryName. */
int crldp_names_have_dn(const struct crldp_names *, const struct dn *);
/* Nonzero when the IDP's point names one of the names in l. */
int crldp_point_in_names(const struct crldp_point *, const struct dn *base,
    const struct crldp_names *l);

/* "keyCompromise, cACompromise" for the bits of mask into out. */
void crldp_reasons_text(uint32_t mask, char *out, size_t outlen);

#endif
