/* profile.h — what a certificate of each kind holds: one table.
 *
 * A profile decides the extensions of an issued certificate; of the
 * request's extensions only the subjectAltNames of the allowed types are
 * looked at, and CA:TRUE comes from the profile alone.
 *
 * "peer" is the profile of a client that also listens (two clients talking
 * mutual TLS to each other, either side accepting) and that signs and
 * receives sealed messages: serverAuth, clientAuth and emailProtection,
 * with digitalSignature (TLS, signed messages) and keyEncipherment (TLS 1.2
 * RSA key exchange, CMS key transport). The demo lab's alice and bob have
 * it. "client" stays the narrow TLS-client-only profile. */
#ifndef MP_ROLE_PROFILE_H
#define MP_ROLE_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/oid.h"
#include "x509/ext.h"
#include "util/err.h"

enum profile_id {
	PROFILE_SERVER,
	PROFILE_CLIENT,
	PROFILE_CA,
	PROFILE_PEER,
	PROFILE__COUNT
};

#define PROFILE_MAX_EKU 3

struct profile {
	enum profile_id id;
	const char *name;	/* "server", "client", "ca", "peer" */
	const char *summary;	/* one line for help texts and the TUI */
	int ca;			/* basicConstraints CA:TRUE (else CA:FALSE) */
	uint32_t ku;		/* keyUsage bits (KU_*), always critical */
	enum oid_id eku[PROFILE_MAX_EKU];	/* extendedKeyUsage, if neku > 0 */
	size_t neku;
	unsigned san_types;	/* requested SANs copied: 1u << SAN_DNS, ... */
	int cn_as_dns;		/* no DNS/IP SAN requested: copy a host-like CN */
	long days;		/* default validity */
};

/* The entry of an id; never NULL for ids below PROFILE__COUNT. */
const struct profile *profile_get(enum profile_id);
/* By name; NULL when there is none. */
const struct profile *profile_find(const char *name);
/* "server, client, ca, peer" — for messages. */
const char *profile_names(void);

/* Fills out (initialised by the caller) with the extensions of a
 * certificate under profile p for a request asking for req (may be NULL)
 * whose subject CN is cn (may be NULL). *dropped, if not NULL, gets the
 * number of requested SANs not copied: of a type the profile does not
 * allow, or malformed (san_value_ok). */
void profile_apply(const struct profile *p, const struct ext_info *req,
    const char *cn, struct ext_info *out, size_t *dropped);

#endif
