/* dn.h — X.501 distinguished names: parse, build from "CN=x,O=y", compare, print. */
#ifndef MP_X509_DN_H
#define MP_X509_DN_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/der.h"
#include "util/err.h"

#define DN_MAX_ATTRS 64		/* attributes in one name */
#define DN_MAX_VALUE 1024	/* bytes in one attribute value */

struct dn_attr {
	enum oid_id type;	/* OID_UNKNOWN for an attribute not in the table */
	char oid[64];		/* dotted OID, always filled */
	unsigned strtag;	/* DER string tag (DER_UTF8STRING, ...) */
	char *value;		/* UTF-8, NUL-terminated; owned */
	unsigned rdn;		/* attributes with the same rdn index form one
				 * (multi-valued) RelativeDistinguishedName */
};

/* A Name. der is the exact encoding (the SEQUENCE with its header), kept so
 * that names are compared and re-emitted byte for byte. Owned. */
struct dn {
	struct dn_attr *v;
	size_t n;
	uint8_t *der;
	size_t derlen;
};

void dn_init(struct dn *);
void dn_clear(struct dn *);
/* dst is overwritten as if uninitialised: clear it first if it holds a name. */
void dn_copy(struct dn *dst, const struct dn *src);

/* Reads one Name (SEQUENCE OF SET OF AttributeTypeAndValue) at the cursor. */
int dn_parse(struct der *, struct dn *);
/* Parses the command-line form "CN=x,O=y,C=z" (also accepts a leading '/'
 * and '/'-separated form "/CN=x/O=y"). Known keys: CN, O, OU, C, ST, L,
 * emailAddress (also E, email), serialNumber, DC, UID, street, title,
 * GN, SN. '\' escapes the next character. Values are UTF-8; C must be two
 * letters; emailAddress must contain '@'. Errors name the attribute:
 * "unknown attribute 'XX' (known: CN, O, OU, C, ST, L, emailAddress, ...)";
 * the caller prefixes which name it was ("subject: "). Errors are ERR_USAGE.
 * '+' joins attributes into one multi-valued RDN; "" is the empty name.
 * Control characters (see dn_check_controls) are refused. */
int dn_from_string(struct dn *, const char *text, struct err *);
/* Refuses a name with a control character (C0 0x00-0x1f, DEL, C1
 * U+0080-U+009F) in any value, for names that go into certificates we
 * issue: ERR_INPUT "attribute 2 (CN): control character U+000A at byte 3
 * of the value". Parsing accepts them (names of others are shown escaped). */
int dn_check_controls(const struct dn *, struct err *);
/* Writes the Name into a DER writer (the stored encoding when there is one). */
void dn_encode(struct derw *, const struct dn *);
/* One-line form "CN=x, O=y, C=z" in encoding order, control characters
 * (C0, DEL, C1) as RFC 4514 "\1B" so it is safe on a terminal; caller frees. */
char *dn_to_string(const struct dn *);
/* dn_to_string in single quotes, "(empty name)" for an empty Name: how
 * verification steps name a certificate; caller frees. */
char *dn_quoted(const struct dn *);
/* RFC 5280 7.1 comparison: same attributes in the same RDN structure,
 * strings compared after case folding (ASCII) and whitespace folding. */
int dn_equal(const struct dn *, const struct dn *);
/* First value of an attribute type, or NULL. */
const char *dn_get(const struct dn *, enum oid_id);
/* Nonzero for an empty name (no attributes). */
int dn_empty(const struct dn *);

#endif
