/* msg.h — messages between entities: signed (CMS SignedData, x509/cms.h)
 * and sealed (CMS EnvelopedData / AuthEnvelopedData, x509/cms-env.h).
 *
 * Buffers in, buffers out, nothing printed: `msg sign|verify|seal|open`
 * and the network roles (client send/listen) call the same functions.
 * Every message written is DER (the CLI wraps it in PEM "CMS"); every
 * message read may be DER or PEM ("CMS" or "PKCS7").
 *
 * Verification of a signed message, in order, each check a step:
 *   1. the CMS signature: the signer's certificate (by issuer and serial
 *      or subjectKeyIdentifier, among the message's certificates and the
 *      caller's), contentType, messageDigest, the RSA signature;
 *   2. the signer's certificate path to one of the caller's anchors
 *      (verify_chain) for the purpose emailProtection: the leaf's
 *      extendedKeyUsage, when present, has emailProtection (or
 *      anyExtendedKeyUsage) and its keyUsage digitalSignature or
 *      nonRepudiation — the "peer" profile (role/profile.h) gives both;
 *   3. when asked, the signer's status from the CA service over OCSP
 *      (role/estclient.h), or from the caller's own status function.
 * The verdict is the first failure's: invalid (1 or 2), revoked or
 * unknown (3); good when all pass. */
#ifndef MP_ROLE_MSG_H
#define MP_ROLE_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/rsakey.h"
#include "store/ws.h"
#include "util/buf.h"
#include "util/err.h"
#include "x509/cert.h"
#include "x509/cms-env.h"
#include "x509/ocsp.h"
#include "x509/verify.h"

#define MSG_STATUS_TIMEOUT 10	/* seconds for an OCSP exchange */

/* ---- signing ---- */

struct msg_sign_opts {
	int detached;		/* leave the content out of the message */
	int pss;		/* RSASSA-PSS instead of PKCS#1 v1.5 */
	int64_t now;		/* signingTime; 0: the clock */
};

/* Signs content (SHA-256, signed attributes contentType, signingTime,
 * messageDigest) with key, whose certificate is chain->v[0]; the whole
 * chain goes into the message. opts may be NULL (attached, PKCS#1 v1.5).
 * *der is the caller's to free. */
int msg_sign_key(const struct rsakey *key, const struct cert_list *chain,
    const uint8_t *content, size_t len, const struct msg_sign_opts *,
    uint8_t **der, size_t *derlen, struct err *);
/* The same with a key of either type: a P-256 one signs with
 * ecdsa-with-SHA256 (RFC 5753); opts->pss is then ERR_USAGE. */
int msg_sign_pkey(const struct pkey *key, const struct cert_list *chain,
    const uint8_t *content, size_t len, const struct msg_sign_opts *,
    uint8_t **der, size_t *derlen, struct err *);
/* The same with the key (RSA or P-256) and chain of keystore name,
 * unlocked with pass (entity_unlock_chain_any; the key is wiped before
 * returning). */
int msg_sign(const struct ws *, const char *name, const void *pass,
    size_t passlen, const uint8_t *content, size_t len,
    const struct msg_sign_opts *, uint8_t **der, size_t *derlen,
    struct err *);

/* ---- verifying ---- */

enum msg_verdict {
	MSG_GOOD = 0,		/* every check passed */
	MSG_INVALID,		/* the signature or the chain fails */
	MSG_REVOKED,		/* the CA says the signer is revoked */
	MSG_UNKNOWN,		/* status asked: unknown, or no usable answer */
	MSG_MALFORMED,		/* not a signed message that we read */
};

/* "good", "invalid", "revoked", "unknown", "malformed". */
const char *msg_verdict_name(enum msg_verdict);

/* A status source of the caller's (a cache, a CRL): fills res and
 * appends its checks to steps (initialised, cleared first); 0 when res
 * holds an answer, -1 (e set) when there is none. */
typedef int msg_status_fn(void *ctx, const struct cert *leaf,
    const struct cert *issuer, int64_t now, struct ocsp_result *res,
    struct verify_result *steps, struct err *);

struct msg_verify_params {
	const struct cert_list *anchors;	/* trusted; required */
	const struct cert_list *untrusted;	/* more intermediates; NULL */
	const uint8_t *content;	/* detached content; NULL when attached */
	size_t content_len;
	int64_t at;		/* time of the checks; 0: the clock */
	/* Status: the caller's function, else the CA service at
	 * status_addr ("unix:PATH", "tcp:HOST:PORT" over HTTPS checked
	 * against anchors, "http://HOST:PORT"), else none. */
	msg_status_fn *status_fn;
	void *status_ctx;
	const char *status_addr;
	int timeout;		/* seconds; 0: MSG_STATUS_TIMEOUT */
};

struct msg_result {
	enum msg_verdict verdict;
	struct verify_result steps;	/* every check, in order; its reason
					 * is the first failure's "WHAT: WHY" */
	char signer[512];	/* the signer's subject; "" when not found */
	char serial[3 * CERT_MAX_SERIAL + 1];	/* "4F:A1:.." */
	int has_signing_time;
	int64_t signing_time;
	int detached;		/* the message carried no content */
	uint8_t *content;	/* the content signed (a copy); owned */
	size_t content_len;
	int status_checked;	/* status holds an answer */
	struct ocsp_result status;
};

void msg_result_init(struct msg_result *);
void msg_result_clear(struct msg_result *);

/* Verifies a signed message (DER or PEM) as described at the top and
 * fills res (initialised by the caller; cleared first). Returns 0 when
 * the verdict is MSG_GOOD; -1 otherwise, with res->verdict and e saying
 * why: ERR_INPUT for a message that does not parse or is a sealed one ("a
 * sealed message, not a signed one: open it first"; MSG_MALFORMED),
 * ERR_USAGE for detached content missing or given twice, ERR_REFUSED
 * with the first failure ("signer 1: messageDigest attribute does not
 * match the content", "status of 'CN=alice,O=x': revoked (keyCompromise)
 * on DATE"). */
int msg_verify(const uint8_t *data, size_t len, const struct msg_verify_params *,
    struct msg_result *res, struct err *);

/* ---- sealing ---- */

struct msg_seal_opts {
	int gcm;		/* AES-256-GCM AuthEnvelopedData; else
				 * AES-256-CBC EnvelopedData (the default:
				 * what every CMS reader opens) */
	enum cms_kt kt;		/* CMS_KT_OAEP (SHA-256, the default) or
				 * CMS_KT_PKCS1 */
};

/* Seals content to each of to (their certificates; at most
 * CMS_MAX_RECIPS). A certificate whose keyUsage lacks keyEncipherment is
 * ERR_REFUSED "recipient 'CN=..': keyUsage has no keyEncipherment (not a
 * certificate to seal to)". opts may be NULL (CBC, OAEP). *der is the
 * caller's to free. */
int msg_seal(const struct cert *const *to, size_t nto, const uint8_t *content,
    size_t len, const struct msg_seal_opts *, uint8_t **der, size_t *derlen,
    struct err *);

/* ---- opening ---- */

/* Opens a sealed message (DER or PEM) for cert with key, appending the
 * content to out (secret: clear it with buf_clear_secret). Errors:
 * cms_env_open's, ERR_INPUT for a message that does not parse or is a
 * signed one ("a signed message, not a sealed one: verify it instead"). */
int msg_open_key(const struct rsakey *key, const struct cert *cert,
    const uint8_t *data, size_t len, struct buf *out, struct err *);
/* The same with keystore name's key and certificate, unlocked with pass. */
int msg_open(const struct ws *, const char *name, const void *pass,
    size_t passlen, const uint8_t *data, size_t len, struct buf *out,
    struct err *);

/* ---- telling them apart ---- */

enum msg_kind {
	MSG_KIND_OTHER = 0,	/* not CMS, or another content type */
	MSG_KIND_SIGNED,	/* SignedData */
	MSG_KIND_SEALED,	/* EnvelopedData or AuthEnvelopedData */
};

/* What a message (DER or PEM) is, from its outer contentType only. */
enum msg_kind msg_kind(const uint8_t *data, size_t len);

#endif
