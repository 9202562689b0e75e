/* csr.h — PKCS#10 certification requests (RFC 2986): parse, build, check. */
#ifndef MP_X509_CSR_H
#define MP_X509_CSR_H

#include <stddef.h>
#include <stdint.h>

#include "asn1/pem.h"
#include "crypto/rsakey.h"
#include "x509/cert.h"
#include "x509/dn.h"
#include "x509/ext.h"
#include "x509/pkey.h"
#include "util/buf.h"
#include "util/err.h"

#define CSR_MAX_SIZE (64 * 1024)
#define CSR_FILE_MAX (4 * 1024 * 1024)	/* largest request file read */

struct csr {
	uint8_t *der;		/* owned */
	size_t len;
	const uint8_t *info;	/* CertificationRequestInfo with header, into der */
	size_t info_len;
	int version;		/* must be 0 (v1) */
	struct dn subject;
	enum oid_id key_alg;
	struct rsakey key;	/* public key when RSA */
	struct ec256key eckey;	/* public point when P-256 */
	const uint8_t *spki;
	size_t spki_len;
	struct sigalg sigalg;
	const uint8_t *sig;
	size_t sig_len;
	int has_ext;		/* an extensionRequest attribute was present */
	struct ext_info ext;	/* the requested extensions */
	/* Set by a caller whose csr_check_signature on this very request
	 * passed (csr_parse clears it): the check is then not repeated, as
	 * one request goes through several layers that each check it. */
	int sig_ok;
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
 * before trying a SHA-1 signature. 0 at once when sig_ok is set. */
int csr_check_signature(const struct csr *, struct err *);
/* Makes a request for subject with optional SANs (an extensionRequest with
 * subjectAltName), signed with sha256WithRSAEncryption by key. */
int csr_build(const struct dn *subject, const struct san_list *san,
    const struct rsakey *key, uint8_t **der, size_t *len, struct err *);
/* The same with a key of either type (a P-256 key signs with
 * ecdsa-with-SHA256). */
int csr_build_any(const struct dn *subject, const struct san_list *san,
    const struct pkey *key, uint8_t **der, size_t *len, struct err *);

/* A request file read one request at a time: a DER file holds one, a PEM
 * file each CERTIFICATE REQUEST or NEW CERTIFICATE REQUEST block in order
 * (other blocks are skipped). */
struct csr_file {
	const char *path;	/* the caller's; outlives the struct */
	int lines;		/* errors name a PEM request by its line */
	struct buf data;
	struct pem_list pl;	/* empty for a DER file */
	size_t next;		/* the next PEM block to look at */
	unsigned found;		/* requests handed out: the last one's number */
};

/* Reads path (at most CSR_FILE_MAX bytes; "-" is standard input) and
 * decodes its PEM blocks. With lines set, a PEM request that does not
 * parse is named by its line ("PATH: line 7: ..."), else by the file only.
 * Errors name the file: file_read's ("PATH: No such file or directory"),
 * "PATH: " and pem_decode's. csr_file_clear is needed either way. */
int csr_file_open(struct csr_file *, const char *path, int lines,
    struct err *);
/* Parses the next request into r (csr_init'ed). Returns 1 for a request,
 * 0 when there are no more, -1 with "PATH: no CERTIFICATE REQUEST block
 * found" when the file has none, or "PATH: " (and "line N: ") and
 * csr_parse's message for one that does not parse. */
int csr_file_next(struct csr_file *, struct csr *r, struct err *);
void csr_file_clear(struct csr_file *);
/* The first request of a file, as csr_file_next reads it (lines unset). */
int csr_load(struct csr *, const char *path, struct err *);

#endif
