/* caconstr.h — a CA refuses to sign what its own name constraints, or
 * those of the CAs above it, would make invalid (RFC 5280 4.2.1.10). */
#ifndef MP_ROLE_CACONSTR_H
#define MP_ROLE_CACONSTR_H

#include "role/ca.h"
#include "util/err.h"
#include "x509/cert.h"

/* Checks t's subject and subjectAltNames against the nameConstraints of
 * every certificate of ca's keystore chain (its own first). ERR_REFUSED
 * naming the constraint: "CA 'lab': name constraints of 'CN=Lab CA'
 * refuse it: DNS name 'www.other.example' is not within the permitted
 * subtrees (DNS:lab.example)". */
int caconstr_check(const struct ca *, const struct cert_template *t,
    struct err *);

/* The value of a critical nameConstraints extension from the
 * command-line lists (either may be NULL), into t's extensions (ERR_USAGE
 * "--permit: item 1 'x y': not a DNS name or .domain"); a no-op when both
 * are NULL. */
int caconstr_set(struct ext_info *, const char *permit, const char *exclude,
    struct err *);

#endif
