/* verify.h — certification path validation (RFC 5280 section 6, the parts
 * this project uses) and server identity checks (RFC 6125).
 *
 * verify_chain builds a path from a leaf to a trust anchor and checks it.
 * It returns every check it made as a step in words, so that the CLI and the
 * TUI can show what was checked, what failed and why, and a code for the
 * first failure that callers (the TLS engine) can branch on.
 *
 * What is checked, on the path leaf = chain[0] ... anchor = chain[n-1]:
 * - name chaining (issuer of chain[i] equals subject of chain[i+1]) with the
 *   authority/subject key identifiers preferred when both are present;
 *   candidates whose signature fails are skipped and others tried;
 * - every signature, with the issuer's RSA key (the anchor's own signature
 *   is not checked: it is trusted as configured);
 * - validity (notBefore <= at <= notAfter) of every certificate, anchor
 *   included (as OpenSSL does);
 * - issuers: basicConstraints cA TRUE (an anchor without basicConstraints is
 *   accepted when it is v1/v2 or has keyUsage keyCertSign, as OpenSSL does);
 *   keyUsage, when present, with keyCertSign; pathLenConstraint against the
 *   non-self-issued intermediates below (anchor's too); nameConstraints are
 *   not enforced, so an issuer carrying them is refused (fail closed);
 * - every certificate: no critical extension that is not understood;
 * - purpose SERVER / CLIENT: the leaf's extendedKeyUsage (when present) has
 *   serverAuth / clientAuth or anyExtendedKeyUsage, and so does every
 *   issuer's that carries the extension (as OpenSSL's sslserver purpose);
 *   the leaf's keyUsage (when present) has digitalSignature or
 *   keyEncipherment (server) / digitalSignature (client); purpose EMAIL
 *   likewise with emailProtection and digitalSignature or nonRepudiation
 *   (a signer of CMS messages, as OpenSSL's smimesign);
 * - host (when given): see verify_host.
 * A leaf that is byte for byte one of the anchors is trusted directly. */
#ifndef MP_X509_VERIFY_H
#define MP_X509_VERIFY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/err.h"
#include "x509/cert.h"

#define VERIFY_MAX_DEPTH 10	/* certificates in a path, leaf and anchor included */

enum verify_purpose {
	VERIFY_PURPOSE_ANY = 0,
	VERIFY_PURPOSE_SERVER,	/* id-kp-serverAuth */
	VERIFY_PURPOSE_CLIENT,	/* id-kp-clientAuth */
	VERIFY_PURPOSE_EMAIL,	/* id-kp-emailProtection (CMS messages) */
};

enum verify_code {
	VERIFY_OK = 0,
	VERIFY_NO_ISSUER,	/* no path to a trust anchor */
	VERIFY_BAD_SIGNATURE,
	VERIFY_EXPIRED,
	VERIFY_NOT_YET_VALID,
	VERIFY_NOT_CA,		/* issuer is not a CA (basicConstraints) */
	VERIFY_PATHLEN,		/* pathLenConstraint exceeded */
	VERIFY_KEY_USAGE,
	VERIFY_EKU,		/* extendedKeyUsage does not allow the purpose */
	VERIFY_HOST_MISMATCH,
	VERIFY_UNKNOWN_CRITICAL,
	VERIFY_SELF_SIGNED_LEAF,	/* self-signed and not a trust anchor */
	VERIFY_UNSUPPORTED_KEY,	/* issuer key is not RSA */
	VERIFY_NAME_CONSTRAINTS,	/* nameConstraints present, not enforced */
	VERIFY_MALFORMED,	/* bad parameters or an unparsed certificate */
	VERIFY_REVOKED,		/* on a CRL (x509/crlcheck.h) */
	VERIFY_CRL,		/* no usable CRL for a certificate that needs one */
	VERIFY__COUNT
};

struct verify_params {
	const struct cert_list *anchors;	/* trusted; may be NULL (none) */
	const struct cert_list *untrusted;	/* candidate intermediates; may be NULL */
	enum verify_purpose purpose;
	const char *host;	/* DNS name or IP literal to match; NULL: no check */
	int64_t at;		/* the time to check validity at (seconds since 1970) */
	/* Revocation (x509/crlcheck.h): the CRLs to check against, with a
	 * label each (a file name) for the steps; crl_names may be NULL.
	 * With ncrls > 0 the leaf must be covered by one of them; with
	 * crl_all every certificate below the anchor must be. */
	const struct crl *const *crls;
	const char *const *crl_names;
	size_t ncrls;
	int crl_all;
};

struct crl;

/* One check, in words. */
struct verify_step {
	int ok;
	enum verify_code code;	/* VERIFY_OK when ok */
	char *what;	/* "signature of 'CN=leaf' by 'CN=Int'"; owned */
	char *why;	/* "sha256WithRSAEncryption signature is good", or the failure; owned */
};

struct verify_result {
	struct verify_step *steps;	/* in the order checked; owned */
	size_t n;
	enum verify_code code;	/* VERIFY_OK or the first failure */
	char *reason;		/* "WHAT: WHY" of the first failure; NULL when valid; owned */
	/* The path found, leaf first. The pointers borrow the caller's leaf and
	 * lists and live as long as they do. When no complete path was found
	 * this is the longest partial path and anchored is 0. */
	const struct cert *chain[VERIFY_MAX_DEPTH];
	size_t chain_len;
	int anchored;		/* chain ends in a trust anchor */
};

void verify_result_init(struct verify_result *);
/* Appends a step (for checkers outside verify.c, such as crlcheck.c);
 * takes ownership of what. The first failure sets code and reason. */
void verify_step_add(struct verify_result *, enum verify_code, char *what,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void verify_result_clear(struct verify_result *);

/* Validates leaf against params and fills res, which must have been
 * initialised (a previous result in it is cleared first). Returns 0 when the
 * path is valid (res->code == VERIFY_OK), -1 otherwise. The search tries
 * other issuer candidates when one fails its signature or a complete path
 * fails a check, within fixed bounds (VERIFY_MAX_DEPTH, and a few dozen
 * signature checks). */
int verify_chain(const struct cert *leaf, const struct verify_params *,
    struct verify_result *);

/* "NO_ISSUER", ... and a short sentence ("unable to find the issuer of a
 * certificate (untrusted)"); never NULL. */
const char *verify_code_name(enum verify_code);
const char *verify_code_text(enum verify_code);

/* Appends one line per step: "  ok    WHAT: WHY" or "  FAIL  WHAT: WHY". */
void verify_render(struct buf *, const struct verify_result *);
void verify_print(FILE *, const struct verify_result *);

/* Server identity (RFC 6125). host is a DNS name (a trailing dot is
 * ignored, comparison is ASCII case-insensitive) or an IP literal (IPv4
 * dotted quad or IPv6, optionally in brackets). An IP literal matches only
 * iPAddress subjectAltNames. A DNS name matches the dNSName
 * subjectAltNames; only when the certificate has no subjectAltName
 * extension at all is the subject's last CN used instead (legacy, as
 * RFC 6125 6.4.4 allows). Returns 1 on a match, 0 otherwise; *why, when
 * not NULL, gets an explanation (owned by the caller). */
int verify_host(const struct cert *, const char *host, char **why);
/* One dNSName pattern against a host name: equal ignoring ASCII case, or a
 * wildcard "*.rest" where '*' is the whole left-most label, matching
 * exactly one non-empty label, and rest has at least two labels ("*.com"
 * and "f*.example.com" match nothing as wildcards). Returns 1 on a match. */
int verify_dns_match(const char *pattern, const char *host);

/* Parses a time for --at: "YYYY-MM-DD" (midnight UTC),
 * "YYYY-MM-DDTHH:MM:SSZ" or "@SECONDS" (seconds since 1970, may be
 * negative). ERR_USAGE with the reason on a bad value. */
int verify_parse_time(const char *text, int64_t *t, struct err *);
/* "YYYY-MM-DD HH:MM:SS UTC" into out (at least 32 bytes). */
void verify_format_time(int64_t t, char *out, size_t outlen);

#endif
