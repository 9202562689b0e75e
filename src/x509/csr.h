/* csr.h — PKCS#10 certification requests (RFC 2986): parse, build, check. */
#ifndef MP_X509_CSR_H
#define MP_X509_CSR_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/rsakey.h"
#include "x509/cert.h"
#include "x509/dn.h"
#include "x509/ext.h"
#include "util/err.h"

#define CSR_MAX_SIZE (64 * 1024)

struct csr {
	uint8_t *der;		/* owned */
	size_t len;
	const uint8_t *info;	/* CertificationRequestInfo with header, into der */
	size_t info_len;
	int version;		/* must be 0 (v1) */
	struct dn subject;
	enum oid_id key_alg;
	struct rsakey key;	/* public key when RSA */
	const uint8_t *spki;
	size_t spki_len;
	struct sigalg sigalg;
	const uint8_t *sig;
	size_t sig_len;
	int has_ext;		/* an extensionRequest attribute was present */
	struct ext_info ext;	/* the requested extensions */
};

void csr_init(struct csr *);
void csr_clear(struct csr *);
/* Parses a DER request; unknown attributes are skipped, a malformed
 * extensionRequest is an error. Does not check the signature, but refuses
 * an MD2/MD4/MD5 signature algorithm (ERR_REFUSED, naming it). */
int csr_parse(struct csr *, const uint8_t *der, size_t len, struct err *);
/* Proof of possession: the request's own key verifies its signature.
 * Fails (ERR_REFUSED) with "request signature does not verify", or with
 * "request signed with sha1WithRSAEncryption: SHA-1 is refused ..."
 * before trying a SHA-1 signature. */
int csr_check_signature(const struct csr *, struct err *);
/* Makes a request for subject with optional SANs (an extensionRequest with
 * subjectAltName), signed with sha256WithRSAEncryption by key. */
int csr_build(const struct dn *subject, const struct san_list *san,
    const struct rsakey *key, uint8_t **der, size_t *len, struct err *);

#endif
