/* ext.h — the certificate extensions this project reads and writes. */
#ifndef MP_X509_EXT_H
#define MP_X509_EXT_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/der.h"
#include "util/err.h"

/* keyUsage bits, by their RFC 5280 bit number. */
enum {
	KU_DIGITAL_SIGNATURE	= 1u << 0,
	KU_NON_REPUDIATION	= 1u << 1,
	KU_KEY_ENCIPHERMENT	= 1u << 2,
	KU_DATA_ENCIPHERMENT	= 1u << 3,
	KU_KEY_AGREEMENT	= 1u << 4,
	KU_KEY_CERT_SIGN	= 1u << 5,
	KU_CRL_SIGN		= 1u << 6,
	KU_ENCIPHER_ONLY	= 1u << 7,
	KU_DECIPHER_ONLY	= 1u << 8,
};

enum san_type { SAN_DNS, SAN_IP, SAN_EMAIL, SAN_URI, SAN_OTHER };

struct san {
	enum san_type type;
	char *value;		/* text form ("a.example", "127.0.0.1", ...); owned */
	uint8_t ip[16];		/* SAN_IP: the address bytes */
	size_t iplen;		/* 4 or 16 */
};

struct san_list {
	struct san *v;
	size_t n;
};

#define EXT_MAX_EKU 16
#define EXT_MAX_SAN 256
#define EXT_MAX_KEYID 64
#define EXT_MAX_ACCESS 16	/* AccessDescriptions in authorityInfoAccess */
#define EXT_MAX_DP 16		/* DistributionPoints in cRLDistributionPoints */

/* One AccessDescription of authorityInfoAccess (RFC 5280 4.2.2.1). */
struct ext_access {
	enum oid_id method;	/* OID_AD_OCSP, OID_AD_CA_ISSUERS; OID_UNKNOWN
				 * for another method (read, never written) */
	char method_oid[48];	/* the method's dotted form */
	struct san loc;		/* accessLocation; loc.value owned */
};

/* One DistributionPoint of cRLDistributionPoints (RFC 5280 4.2.1.13).
 * The writer writes full only. */
struct ext_dp {
	struct san_list full;	/* fullName; empty when absent */
	int relative;		/* nameRelativeToCRLIssuer given (not kept) */
	int has_reasons;
	uint32_t reasons;	/* ReasonFlags, bit n = 1u << n */
	struct san_list crl_issuer;	/* cRLIssuer; empty when absent */
};

/* Parsed extensions of a certificate or a request (requested extensions).
 * The has_* flags say which were present. Owned parts: san, aia, cdp,
 * nc, freed by ext_info_clear and copied whole by ext_info_copy. */
struct ext_info {
	int has_bc, bc_critical, ca;
	long pathlen;			/* -1: no pathLenConstraint */
	int has_ku, ku_critical;
	uint32_t ku;			/* KU_* bits */
	int has_eku, eku_critical;
	enum oid_id eku[EXT_MAX_EKU];	/* OID_UNKNOWN for unknown purposes */
	size_t neku;
	int has_san, san_critical;
	struct san_list san;
	size_t ski_len;
	uint8_t ski[EXT_MAX_KEYID];
	size_t aki_len;			/* keyIdentifier of the AKI */
	uint8_t aki[EXT_MAX_KEYID];
	/* nameConstraints: its value as read (x509/nameconstr.h reads it
	 * for path validation), or to write, critical when nc_critical. */
	int has_name_constraints, nc_critical;
	uint8_t *nc;			/* owned */
	size_t nc_len;
	int has_policies;		/* certificatePolicies present */
	/* certificatePolicies (non-critical) and policyConstraints
	 * (critical) values as read, or to write: a renewal keeps them, a CA
	 * passes its own policies on (role/capolicy.h). */
	uint8_t *pol;			/* owned */
	size_t pol_len;
	uint8_t *polc;			/* owned */
	size_t polc_len;
	/* policyMappings and inhibitAnyPolicy values (both written
	 * critical, RFC 5280 4.2.1.5 and 4.2.1.14): an intermediate's
	 * `ca init --policy-map`, `--inhibit-any`; a renewal keeps them. */
	uint8_t *polmap;		/* owned */
	size_t polmap_len;
	uint8_t *inhany;		/* owned */
	size_t inhany_len;
	/* Where to ask: read from any certificate, shown, written for what
	 * a CA with a service URL issues; path validation ignores them. */
	int has_aia, aia_critical;
	struct ext_access *aia;		/* owned, naia of them */
	size_t naia;
	int has_cdp, cdp_critical;
	struct ext_dp *cdp;		/* owned, ncdp of them */
	size_t ncdp;
	/* The first critical extension this project does not process;
	 * path validation rejects it. */
	int unknown_critical;
	char unknown_critical_oid[64];
};

void ext_info_init(struct ext_info *);
void ext_info_clear(struct ext_info *);
void ext_info_copy(struct ext_info *dst, const struct ext_info *src);

/* Reads the body of an Extensions SEQUENCE (at the cursor, inside it);
 * rejects duplicates and malformed values, naming the extension. */
int ext_parse(struct der *, struct ext_info *);
/* An AuthorityKeyIdentifier value at d (certificates and CRLs): its
 * keyIdentifier, when present, into aki and *aki_len; the issuer and
 * serial form is read and ignored. */
int ext_parse_aki(struct der *d, uint8_t aki[EXT_MAX_KEYID], size_t *aki_len);
/* Opens an Extension (extnID, critical when set, extnValue's OCTET
 * STRING) for its value to be written; ext_end closes both. */
void ext_begin(struct derw *, enum oid_id, int critical);
void ext_end(struct derw *);
/* Writes an Extensions SEQUENCE for what ext says is present: basic
 * constraints (critical), key usage (critical), EKU, SAN (critical when
 * the subject is empty), SKI, AKI, then authorityInfoAccess (the
 * descriptions of a known method) and cRLDistributionPoints (the points
 * with a fullName), both non-critical, nameConstraints (nc as it is), certificatePolicies
 * (pol), policyMappings (polmap, critical), policyConstraints (polc,
 * critical) and inhibitAnyPolicy (inhany, critical) as they are; names as
 * the SAN writer writes them (DNS, email, URI, IP). */
void ext_encode(struct derw *, const struct ext_info *);
/* How many extensions ext_encode would write (0: write no Extensions at
 * all, an empty SEQUENCE is not allowed). */
int ext_count(const struct ext_info *);

/* Appends an AccessDescription (method OID_AD_OCSP or OID_AD_CA_ISSUERS)
 * whose location is the URI uri, and sets has_aia. */
void ext_aia_add_uri(struct ext_info *, enum oid_id method, const char *uri);
/* Appends a DistributionPoint whose fullName is the URI uri, and sets
 * has_cdp. */
void ext_cdp_add_uri(struct ext_info *, const char *uri);
/* Removes every AccessDescription and DistributionPoint (has_aia and
 * has_cdp cleared): a renewal copies the old certificate's extensions,
 * and the CA decides these afresh. */
void ext_locations_clear(struct ext_info *);

/* Parses "DNS:a.example,IP:127.0.0.1,email:x@y.example,URI:https://..."
 * appending to list; a bare word counts as DNS. Errors name the item. */
int san_parse_list(struct san_list *, const char *text, struct err *);
/* Nonzero when a name is well formed as san_parse_list would accept it:
 * DNS syntax (a "*." wildcard label allowed), '@' in an email address, a
 * scheme in a URI, printable ASCII without spaces, a 4 or 16 byte IP. */
int san_value_ok(const struct san *);
void san_list_init(struct san_list *);
void san_list_clear(struct san_list *);
void san_list_add(struct san_list *, enum san_type, const char *value,
    const uint8_t *ip, size_t iplen);

#endif
