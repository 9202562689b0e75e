/* nameconstr.h — the nameConstraints extension (RFC 5280 4.2.1.10): read
 * it, write it, gather the names a certificate carries and match them.
 *
 * A name is within a subtree when (RFC 5280 4.2.1.10, as OpenSSL reads it):
 * - DNS: equal to the base or a name below it at a label boundary
 *   ("lab.example" takes lab.example and a.lab.example); a base with a
 *   leading dot takes only the names below it; an empty base takes all;
 * - rfc822: a base with '@' is one mailbox; ".lab.example" any mailbox on
 *   a host below lab.example; "lab.example" a mailbox on that host;
 * - URI: the host of the URI, as a DNS base with a leading dot, else the
 *   host itself; a URI without a host is outside every subtree;
 * - iPAddress: the base is an address and a mask (8 or 32 bytes), the name
 *   an address of the same family inside it;
 * - directoryName: the base's RDNs are the first RDNs of the name,
 *   compared as RFC 5280 7.1 (dn_equal).
 * With permitted subtrees of a form, every name of that form must be within
 * one of them; a name within an excluded subtree is refused. Forms this
 * code does not match (otherName, x400Address, ediPartyName,
 * registeredID), and subtrees with a minimum other than 0 or a maximum
 * (RFC 5280 says a CA must not use them), fail closed when the extension is
 * critical and a name of that form is present; a non-critical extension's
 * such subtrees are ignored. */
#ifndef MP_X509_NAMECONSTR_H
#define MP_X509_NAMECONSTR_H

#include <stddef.h>
#include <stdint.h>

#include "x509/cert.h"
#include "x509/dn.h"
#include "x509/ext.h"
#include "util/err.h"

#define NC_MAX_SUBTREES 64	/* per list, read or written */
#define NC_MAX_NAMES 300	/* names of one certificate (subject, SANs) */
#define NC_MAX_TEXT 1024	/* bytes in one DNS / email / URI name */

/* The GeneralName forms by their context tag number. */
enum nc_form {
	NC_OTHER_NAME = 0, NC_EMAIL = 1, NC_DNS = 2, NC_X400 = 3, NC_DIR = 4,
	NC_EDI_PARTY = 5, NC_URI = 6, NC_IP = 7, NC_REGISTERED_ID = 8,
	NC__FORMS
};

/* A name of a certificate or a subtree's base. */
struct nc_name {
	enum nc_form form;
	char *text;		/* NC_EMAIL, NC_DNS, NC_URI; owned */
	uint8_t ip[32];		/* NC_IP: address (4, 16 bytes), or address
				 * then mask (8, 32) in a subtree */
	size_t iplen;
	struct dn dir;		/* NC_DIR; owned */
	int bounded;		/* subtree: minimum not 0, or a maximum */
	int from_subject;	/* name: the subject, or taken from its
				 * emailAddress or CN attribute */
};

struct nc_list {
	struct nc_name *v;
	size_t n;
};

struct nameconstr {
	struct nc_list permitted;
	struct nc_list excluded;
	int critical;
};

void nc_list_init(struct nc_list *);
void nc_list_clear(struct nc_list *);
/* A new zeroed name of form at the end of l (owned by l). */
struct nc_name *nc_list_add(struct nc_list *, enum nc_form);
void nameconstr_init(struct nameconstr *);
void nameconstr_clear(struct nameconstr *);

/* Parses a nameConstraints extension value (the contents of extnValue).
 * ERR_INPUT naming the offset: "offset 0x4: nameConstraints has neither
 * permittedSubtrees nor excludedSubtrees". */
int nameconstr_parse(struct nameconstr *, const uint8_t *val, size_t len,
    struct err *);
/* The constraints of certificate c: 1 when it has the extension (nc
 * filled, critical as marked), 0 when not, -1 when it does not parse. */
int nameconstr_from_cert(struct nameconstr *, const struct cert *,
    struct err *);
/* Encodes the value (NameConstraints SEQUENCE); the caller frees it. At
 * least one list must be non-empty. */
uint8_t *nameconstr_encode(const struct nameconstr *, size_t *len,
    struct err *);

/* Parses the command-line form: items separated by commas,
 * "DNS:lab.example", "email:ops@lab.example", "email:.lab.example",
 * "URI:.lab.example" (a host or .domain), "IP:10.1.0.0/16" or
 * "IP:fd00::/8" (CIDR, no host bits), "dirName:O=Lab,C=DE" (the pieces
 * with '=' after it continue the name); a bare word is DNS. Appends to l.
 * ERR_USAGE "item 2 'IP:10.0.0.1/8': host bits set below the /8 prefix". */
int nameconstr_parse_list(struct nc_list *, const char *text, struct err *);

/* "DNS:lab.example", "IP:10.0.0.0/8", "dirName:O=Lab, C=DE"; caller frees. */
char *nc_name_text(const struct nc_name *);
/* "permitted DNS:a, IP:...; excluded ..." of nc; caller frees. */
char *nameconstr_text(const struct nameconstr *);

/* The names of certificate c that constraints apply to: the subject (when
 * not empty), its emailAddress attributes, every subjectAltName, and with
 * leaf set, when no dNSName SAN is present, each subject CN that looks like
 * a host name (as OpenSSL checks; verify_host falls back to the CN). */
int nameconstr_cert_names(const struct cert *c, int leaf, struct nc_list *,
    struct err *);
/* The same for a certificate about to be issued. */
void nameconstr_template_names(const struct dn *subject,
    const struct san_list *, int leaf, struct nc_list *);

/* For nameconstr-match.c: one GeneralName already read as t from d,
 * appended to l (base: a subtree's base, whose iPAddress has a mask); and
 * the value of extension want in c's TBSCertificate (1 found, 0 not, -1
 * broken), at val inside outer. */
int nameconstr_read_name(struct der *d, const struct der_tlv *t, int base,
    struct nc_list *l);
int nameconstr_find_ext(const struct cert *c, enum oid_id want,
    struct der_tlv *val, struct der *outer, int *critical, struct err *);

/* Matches names against nc. Returns 0 when every name passes, -1 at the
 * first that does not; *why (caller frees, may be NULL) says which name
 * and which subtree: "DNS name 'www.other.example' is not within the
 * permitted subtrees (DNS:lab.example)". */
int nameconstr_check(const struct nameconstr *, const struct nc_list *names,
    char **why);

struct verify_result;
/* For verify.c: the name constraints of every CA on path (leaf first,
 * anchor last, anchor's included) applied to the certificates below it,
 * self-issued intermediates exempt (RFC 5280 6.1.3 (b)); one step per CA
 * with constraints: its subtrees, or the first name outside them
 * (VERIFY_NAME_CONSTRAINTS) or what did not parse (VERIFY_MALFORMED). */
void nameconstr_path(const struct cert *const *path, size_t len,
    struct verify_result *);

#endif
