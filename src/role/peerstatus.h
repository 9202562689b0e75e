/* peerstatus.h — is a peer's certificate still good? Asked of the CA
 * service by a server (`server run --status`) of each client that
 * connects, and by a listener (`client listen --status`) of each message's
 * signer: OCSP (estclient_status), or the CA's CRL fetched again when it
 * is older than max_age or past its nextUpdate.
 *
 * OCSP answers are cached per certificate until their nextUpdate, but at
 * most max_age seconds (0: not cached): the CA service's responses run
 * for an hour, and a revocation must show at the next connection in the
 * classroom. Blocking: the caller's loop waits for the answer (each step
 * bounded by the timeout). A certificate whose status cannot be learned
 * is refused (fail closed). */
#ifndef MP_ROLE_PEERSTATUS_H
#define MP_ROLE_PEERSTATUS_H

#include <stddef.h>
#include <stdint.h>

#include "net/dialwait.h"
#include "role/estclient.h"
#include "tls/tls.h"
#include "util/err.h"
#include "x509/cert.h"
#include "x509/crl.h"

#define PEERSTATUS_CACHE 256

enum peerstatus_mode {
	PEERSTATUS_OCSP = 0,
	PEERSTATUS_CRL,
};

enum peerstatus_verdict {
	PEERSTATUS_GOOD = 0,
	PEERSTATUS_REVOKED,
	PEERSTATUS_UNKNOWN,	/* the CA does not know it, or could not
				 * be asked: e says why */
};

struct peerstatus_entry {
	uint8_t serial[CERT_MAX_SERIAL];
	size_t serial_len;
	uint8_t issuer_fp[32];
	enum peerstatus_verdict verdict;
	char text[160];
	int64_t until;		/* cached until (seconds since 1970) */
};

struct peerstatus {
	struct estclient_target target;
	enum peerstatus_mode mode;
	const struct cert_list *anchors;	/* the CA: issuers, and the
						 * service's TLS anchor */
	int timeout;			/* seconds per step */
	int max_age;			/* seconds; see above */
	const struct dialwait *dial;	/* NULL: no wait */
	struct tls_config cfg;
	struct peerstatus_entry cache[PEERSTATUS_CACHE];
	size_t ncache, next;		/* next: the slot to reuse */
	struct crl crl;
	int has_crl;
	int64_t crl_at;			/* when fetched */
};

/* ERR_USAGE for an address that is not the service's. anchors must
 * outlive ps. */
int peerstatus_init(struct peerstatus *, const char *addr,
    enum peerstatus_mode, const struct cert_list *anchors, int timeout,
    int max_age, struct err *);
void peerstatus_clear(struct peerstatus *);

/* The status of leaf (its issuer found in more, which may be NULL or hold
 * leaf itself, else among the anchors) at now: text gets "good",
 * "revoked (keyCompromise) on DATE" or "unknown: WHY", then " (OCSP)",
 * " (OCSP, cached)" or " (CRL)" for where it came from. */
enum peerstatus_verdict peerstatus_check(struct peerstatus *,
    const struct cert *leaf, const struct cert_list *more, int64_t now,
    char *text, size_t textlen);

#endif
