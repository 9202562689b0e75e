/* estclient.h — the client side of the CA service: HTTP exchanges over our
 * TLS (unix:PATH, tcp:HOST:PORT) or plain HTTP (http://HOST:PORT), and the
 * three operations on them: EST enrollment (RFC 7030; estclient-enroll.c),
 * OCSP status (RFC 6960; estclient-status.c) and the CRL
 * (estclient-crl.c).
 *
 * Blocking, each step (connect, handshake, one answer) bounded by the
 * connection's timeout, and ended early by SIGINT/SIGTERM when
 * loop_catch_signals is in force. Nothing is printed: progress goes to a
 * callback. Failures: ERR_IO for the transport ("connect to ADDR: ...",
 * "timed out waiting for the answer to GET /crl"), ERR_REFUSED for a TLS
 * refusal or a check that fails, ERR_INPUT for an answer that does not
 * parse (net/httpcli.h's messages). */
#ifndef MP_ROLE_ESTCLIENT_H
#define MP_ROLE_ESTCLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/rsakey.h"
#include "x509/pkey.h"
#include "net/addr.h"
#include "net/dialwait.h"
#include "net/httpcli.h"
#include "store/ws.h"
#include "tls/tls.h"
#include "util/buf.h"
#include "util/err.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/dn.h"
#include "x509/ext.h"
#include "x509/ocsp.h"
#include "x509/verify.h"

#define ESTCLIENT_PATH "/.well-known/est"

/* Where the service is. */
struct estclient_target {
	struct addr addr;
	int tls;		/* 0: plain HTTP (http://HOST:PORT) */
	/* The Host header and the name the server's certificate must
	 * carry: the TCP host, "localhost" for a Unix socket. */
	char host[256];
};

/* "unix:PATH", "tcp:HOST:PORT" (HTTPS) or "http://HOST:PORT[/]" (plain);
 * ERR_USAGE "ADDR: ..." otherwise. */
int estclient_target_parse(struct estclient_target *, const char *text,
    struct err *);

/* One connection, opened on first use and again when the server closed a
 * kept one. */
struct estclient_conn {
	const struct estclient_target *t;
	const struct tls_config *tls;	/* t->tls: the caller's */
	int timeout;			/* seconds, > 0 */
	const struct dialwait *wait;	/* a service not up yet: how long to
					 * wait (NULL: not); set after
					 * estclient_conn_init */
	int fd;				/* -1: not open */
	int tls_on;			/* eng initialised */
	struct tls_engine eng;
	struct httpcli http;
	int reused;			/* the open connection carried one */
	struct buf out;			/* request bytes not yet sent (may
					 * hold a password: wiped) */
	size_t out_off;
	int eof;			/* the server ended its stream */
};

void estclient_conn_init(struct estclient_conn *, const struct estclient_target *,
    const struct tls_config *, int timeout);
/* Connects (and shakes hands) unless open. */
int estclient_conn_open(struct estclient_conn *, struct err *);
/* Sends q and reads the answer into c->http.resp (valid until the next
 * exchange). A kept connection the server closed meanwhile is reopened
 * once, as HTTP clients do. The connection is closed after an answer that
 * does not keep it. */
int estclient_exchange(struct estclient_conn *, const struct httpcli_req *,
    struct err *);
/* Closes (TLS: close_notify, best effort) and frees the connection. */
void estclient_conn_close(struct estclient_conn *);

/* "WHAT: 404 Not Found: BODY" into e (ERR_INPUT): an answer that is not the
 * one wanted, with at most 200 printable bytes of its body when that is
 * text/plain (the server's reason). */
int estclient_http_fail(const struct httpcli_resp *, const char *what,
    struct err *);
/* The server's reason: at most size - 1 printable bytes of a text/plain
 * body on one line, into text (NUL-terminated); returns their count (0:
 * none, or not text/plain). */
size_t estclient_http_reason(const struct httpcli_resp *, char *text,
    size_t size);

/* ---- OCSP (estclient-status.c) ---- */

/* Asks for cert's status, its issuer given, with a fresh nonce: POST
 * /ocsp. res and steps (initialised by the caller) get the answer and the
 * checks made (ocsp_resp_check, at now). -1: no usable answer (transport,
 * HTTP error, a response that does not parse or fails a check: then steps
 * say which). */
int estclient_status(struct estclient_conn *, const struct cert *cert,
    const struct cert *issuer, int64_t now, struct ocsp_result *res,
    struct verify_result *steps, struct err *);

/* ---- CRL (estclient-crl.c) ---- */

/* GET /crl into crl (initialised by the caller), and its signature checked
 * with the anchor that issued it (*signer). ERR_REFUSED when no anchor
 * names its issuer or the signature fails. */
int estclient_crl(struct estclient_conn *, const struct cert_list *anchors,
    struct crl *, const struct cert **signer, struct err *);

/* ---- EST enrollment (estclient-enroll.c) ---- */

#define ESTCLIENT_FP_SIZE 32

/* "SHA256:AB:CD:..." or "SHA256:abcd..." (the prefix optional, colons
 * optional) into fp; ERR_USAGE otherwise. */
int estclient_fp_parse(const char *text, uint8_t fp[ESTCLIENT_FP_SIZE],
    struct err *);

struct estclient_enroll_conf {
	const struct estclient_target *target;
	int timeout;			/* seconds for each step */
	const struct dialwait *dial;	/* a service not up yet; NULL: fail */
	/* Trust in the CA: anchors (--anchor), or the SHA-256 of the CA
	 * certificate (--ca-fingerprint), or both; one at least. */
	const struct cert_list *anchors;
	const uint8_t *fingerprint;
	const char *token;		/* HTTP Basic password; NULL: none */
	/* With wait, a 202 is polled as its Retry-After says, for at most
	 * wait_s seconds from the first 202; without, a 202 ends with 1. */
	int wait;
	int wait_s;
	unsigned bits;			/* key size of new RSA keys */
	enum pkey_type type;		/* of new keys; 0: PKEY_RSA */
	void (*progress)(void *ctx, const char *line);
	void *ctx;
	void (*trace)(void *ctx, const char *line);	/* TLS trace; NULL */
};

struct estclient_enroll {
	const struct estclient_enroll_conf *conf;
	struct tls_config cfg;
	struct estclient_conn conn;
	struct cert_list cacerts;	/* /cacerts, as sent */
	struct cert_list ca;		/* the anchors in force */
	int ready;			/* the CA is known and the server
					 * checked */
};

void estclient_enroll_init(struct estclient_enroll *,
    const struct estclient_enroll_conf *);
void estclient_enroll_clear(struct estclient_enroll *);
/* Connects, fetches /cacerts and establishes trust in the CA and in the
 * server (EST 4.1.1): a fingerprint that no CA certificate has is
 * ERR_REFUSED "CA fingerprint mismatch: ...". */
int estclient_enroll_start(struct estclient_enroll *, struct err *);

/* What one enrollment gave. */
struct estclient_issued {
	char subject[512];
	char serial[2 * CERT_MAX_SERIAL + 1];
	int64_t not_after;
	long retry_after;		/* pending: seconds asked */
};

/* Enrolls entity name: its keystore's key when it exists without a
 * certificate (a request left pending before), else a new key of
 * conf->type (RSA of conf->bits, or P-256) in a new keystore under pass; a PKCS#10 request for subject
 * and san (NULL: none) sent to /simpleenroll with HTTP Basic (user name,
 * password the token); the certificate returned checked against the CA and
 * the request and stored in the keystore with its chain. Returns 0 when
 * stored, 1 when the request waits for the CA operator (without wait, or
 * when wait_s ran out; e says so), -1 on failure: 401 is ERR_REFUSED "the
 * CA refused the token for 'NAME' (401 Unauthorized)" and ": REASON" when
 * the service gave one (used, expired...), 400 ERR_REFUSED
 * "the CA refused the request: REASON". */
int estclient_enroll_entity(struct estclient_enroll *, const struct ws *,
    const char *name, const struct dn *subject, const struct san_list *san,
    const void *pass, size_t passlen, struct estclient_issued *,
    struct err *);

/* The checks of a returned certificate chain (certs-only CMS, DER) against
 * the request: the certificate for key, its path to ca (certs as
 * intermediates) at now, subject equal, names as asked or fewer. *leaf
 * points into certs (filled, initialised by the caller). */
int estclient_enroll_check(const uint8_t *cms, size_t len,
    const struct pkey *key, const struct dn *subject,
    const struct san_list *san, const struct cert_list *ca,
    const struct cert_list *extra, int64_t now, struct cert_list *certs,
    const struct cert **leaf, struct buf *chain_pem, struct err *);

#endif
