/* verify.c — certification path validation and host name checks; see verify.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asn1/oid.h"
#include "util/xalloc.h"
#include "x509/crlcheck.h"
#include "x509/nameconstr.h"
#include "x509/policy.h"
#include "x509/verify.h"

/* Signature checks one verify_chain may make while searching (many
 * certificates with the same name must not make it slow). */
#define VERIFY_MAX_SIGS 64
/* Complete paths evaluated before giving up on finding a valid one. */
#define VERIFY_MAX_PATHS 8
/* A reason from a failed search: an err message and some words. */
#define WHY_MAX (sizeof(((struct err *)0)->msg) + 128)

static const struct {
	const char *name;
	const char *text;
} codes[VERIFY__COUNT] = {
	[VERIFY_OK] = { "OK", "valid" },
	[VERIFY_NO_ISSUER] = { "NO_ISSUER",
	    "unable to find the issuer of a certificate (untrusted)" },
	[VERIFY_BAD_SIGNATURE] = { "BAD_SIGNATURE", "certificate signature is bad" },
	[VERIFY_EXPIRED] = { "EXPIRED", "certificate has expired" },
	[VERIFY_NOT_YET_VALID] = { "NOT_YET_VALID", "certificate is not yet valid" },
	[VERIFY_NOT_CA] = { "NOT_CA", "issuer is not a CA certificate" },
	[VERIFY_PATHLEN] = { "PATHLEN", "path length constraint exceeded" },
	[VERIFY_KEY_USAGE] = { "KEY_USAGE",
	    "key usage does not allow this use" },
	[VERIFY_EKU] = { "EKU",
	    "extended key usage does not allow this purpose" },
	[VERIFY_HOST_MISMATCH] = { "HOST_MISMATCH",
	    "certificate does not name the host" },
	[VERIFY_UNKNOWN_CRITICAL] = { "UNKNOWN_CRITICAL",
	    "unsupported critical extension" },
	[VERIFY_SELF_SIGNED_LEAF] = { "SELF_SIGNED_LEAF",
	    "self-signed certificate is not a trust anchor" },
	[VERIFY_UNSUPPORTED_KEY] = { "UNSUPPORTED_KEY",
	    "issuer key algorithm is not supported" },
	[VERIFY_NAME_CONSTRAINTS] = { "NAME_CONSTRAINTS",
	    "a name is outside the name constraints of an issuer" },
	[VERIFY_MALFORMED] = { "MALFORMED", "malformed certificate or parameters" },
	[VERIFY_REVOKED] = { "REVOKED", "certificate revoked" },
	[VERIFY_CRL] = { "CRL", "no usable CRL" },
	[VERIFY_POLICY] = { "POLICY", "no valid certificate policy" },
	[VERIFY_UNDETERMINED] = { "UNDETERMINED",
	    "revocation status undetermined" },
};

const char *
verify_code_name(enum verify_code c)
{
	if ((unsigned)c >= VERIFY__COUNT)
		return "UNKNOWN";
	return codes[c].name;
}

const char *
verify_code_text(enum verify_code c)
{
	if ((unsigned)c >= VERIFY__COUNT)
		return "unknown verification result";
	return codes[c].text;
}

void
verify_result_init(struct verify_result *r)
{
	memset(r, 0, sizeof *r);
	r->code = VERIFY_OK;
}

void
verify_result_clear(struct verify_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->steps[i].what);
		free(r->steps[i].why);
	}
	free(r->steps);
	free(r->reason);
	verify_result_init(r);
}

/* Records a step; takes ownership of what. The first failure sets the
 * result's code and reason. */
static void step(struct verify_result *, enum verify_code, char *what,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
step(struct verify_result *r, enum verify_code code, char *what,
    const char *fmt, ...)
{
	struct verify_step *s;
	va_list ap;
	int n;

	r->steps = xreallocarray(r->steps, r->n + 1, sizeof *r->steps);
	s = &r->steps[r->n++];
	s->ok = code == VERIFY_OK;
	s->code = code;
	s->what = what;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		xalloc_fail("format");
	s->why = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s->why, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (code != VERIFY_OK && r->code == VERIFY_OK) {
		r->code = code;
		r->reason = xasprintf("%s: %s", what, s->why);
	}
}

void
verify_step_add(struct verify_result *r, enum verify_code code, char *what,
    const char *fmt, ...)
{
	va_list ap;
	char *why;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&why, fmt, ap);
	va_end(ap);
	if (n < 0)
		xalloc_fail("format");
	step(r, code, what, "%s", why);
	free(why);
}

static int
same_cert(const struct cert *a, const struct cert *b)
{
	return a == b || (a->len == b->len && memcmp(a->der, b->der, a->len) == 0);
}

static int
in_list(const struct cert_list *l, const struct cert *c)
{
	size_t i;

	if (l == NULL)
		return 0;
	for (i = 0; i < l->n; i++)
		if (same_cert(&l->v[i], c))
			return 1;
	return 0;
}

static int
self_issued(const struct cert *c)
{
	return dn_equal(&c->subject, &c->issuer);
}

static const char *
oid_name(enum oid_id id)
{
	if (id <= OID_UNKNOWN || id >= OID__COUNT)
		return "unknown algorithm";
	return oid_get(id)->sn;
}

/* "sha256WithRSAEncryption" or "RSASSA-PSS (sha256, salt 32)". */
static char *
sigalg_text(const struct sigalg *a)
{
	if (a->pss)
		return xasprintf("%s (%s, salt %zu)", oid_name(a->oid),
		    hash_name(a->hash), a->salt_len);
	return xstrdup(oid_name(a->oid));
}

void
verify_format_time(int64_t t, char *out, size_t outlen)
{
	int64_t days = t / 86400, secs = t % 86400, y;
	unsigned m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	der_civil_from_days(days, &y, &m, &d);
	snprintf(out, outlen, "%04lld-%02u-%02u %02lld:%02lld:%02lld UTC",
	    (long long)y, m, d, (long long)(secs / 3600),
	    (long long)(secs / 60 % 60), (long long)(secs % 60));
}

/* n decimal digits at s into *v; 0 or -1. */
static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
verify_parse_time(const char *text, int64_t *t, struct err *e)
{
	int y, mo, d, h = 0, mi = 0, s = 0;
	size_t len = strlen(text);
	long long v;
	char *end;

	if (text[0] == '@') {
		errno = 0;
		if (text[1] == '\0' || !(text[1] == '-' || (text[1] >= '0' &&
		    text[1] <= '9')))
			goto bad;
		v = strtoll(text + 1, &end, 10);
		if (*end != '\0' || errno != 0)
			goto bad;
		*t = v;
		return 0;
	}
	if (len != 10 && len != 20)
		goto bad;
	if (digits(text, 4, &y) || text[4] != '-' || digits(text + 5, 2, &mo) ||
	    text[7] != '-' || digits(text + 8, 2, &d))
		goto bad;
	if (len == 20 && (text[10] != 'T' || digits(text + 11, 2, &h) ||
	    text[13] != ':' || digits(text + 14, 2, &mi) || text[16] != ':' ||
	    digits(text + 17, 2, &s) || text[19] != 'Z'))
		goto bad;
	if (mo < 1 || mo > 12)
		return err_set(e, ERR_USAGE, "bad time '%s': month %d out of range",
		    text, mo);
	if (d < 1 || d > (int)der_days_in_month(y, (unsigned)mo))
		return err_set(e, ERR_USAGE, "bad time '%s': day %d out of range",
		    text, d);
	if (h > 23 || mi > 59 || s > 59)
		return err_set(e, ERR_USAGE, "bad time '%s': time of day out of range",
		    text);
	*t = der_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + s;
	return 0;
bad:
	return err_set(e, ERR_USAGE, "bad time '%s': expected YYYY-MM-DD, "
	    "YYYY-MM-DDTHH:MM:SSZ or @SECONDS", text);
}

/* ---- host names (RFC 6125) ---- */

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
ascii_caseeq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Length without one trailing dot (an absolute name). */
static size_t
dns_len(const char *s)
{
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '.')
		n--;
	return n;
}

int
verify_dns_match(const char *pattern, const char *host)
{
	size_t plen = dns_len(pattern), hlen = dns_len(host), i, dots;
	const char *rest, *hrest;
	size_t rlen, hrlen;

	if (plen == 0 || hlen == 0 || memchr(host, '*', hlen) != NULL)
		return 0;
	if (memchr(pattern, '*', plen) == NULL)
		return plen == hlen && ascii_caseeq(pattern, host, plen);
	/* A wildcard only as the whole left-most label. */
	if (plen < 3 || pattern[0] != '*' || pattern[1] != '.')
		return 0;
	rest = pattern + 2;
	rlen = plen - 2;
	if (memchr(rest, '*', rlen) != NULL)
		return 0;
	/* rest needs two non-empty labels: no "*.com", no "*..x". */
	dots = 0;
	for (i = 0; i < rlen; i++) {
		if (rest[i] != '.')
			continue;
		if (i == 0 || rest[i - 1] == '.')
			return 0;
		dots++;
	}
	if (dots == 0 || rest[rlen - 1] == '.')
		return 0;
	/* '*' stands for exactly one non-empty label. */
	hrest = memchr(host, '.', hlen);
	if (hrest == NULL || hrest == host)
		return 0;
	hrest++;
	hrlen = hlen - (size_t)(hrest - host);
	return hrlen == rlen && ascii_caseeq(rest, hrest, rlen);
}

/* The text form of the certificate's names for messages. */
static void
list_names(struct buf *b, const struct cert *c)
{
	static const char *pfx[] = { "DNS", "IP", "email", "URI", "other" };
	size_t i;

	for (i = 0; i < c->ext.san.n && i < 8; i++) {
		const struct san *s = &c->ext.san.v[i];

		buf_printf(b, "%s%s:%s", i ? ", " : "",
		    (unsigned)s->type < 5 ? pfx[s->type] : "?",
		    s->value ? s->value : "");
	}
	if (c->ext.san.n > 8)
		buf_printf(b, " and %zu more", c->ext.san.n - 8);
	if (c->ext.san.n == 0)
		buf_puts(b, "none");
}

int
verify_host(const struct cert *c, const char *host, char **why)
{
	uint8_t ip[16];
	size_t iplen = 0, i, n;
	char tmp[64];
	const char *cn = NULL;
	struct buf b;
	int found = 0;

	buf_init(&b);
	n = strlen(host);
	if (n == 0) {
		buf_puts(&b, "empty host name");
		goto out;
	}
	/* An IP literal, IPv6 possibly in brackets. */
	if (host[0] == '[' && n > 2 && host[n - 1] == ']' && n - 2 < sizeof tmp) {
		memcpy(tmp, host + 1, n - 2);
		tmp[n - 2] = '\0';
		if (inet_pton(AF_INET6, tmp, ip) == 1)
			iplen = 16;
	} else if (inet_pton(AF_INET, host, ip) == 1) {
		iplen = 4;
	} else if (inet_pton(AF_INET6, host, ip) == 1) {
		iplen = 16;
	}
	if (iplen > 0) {
		for (i = 0; i < c->ext.san.n; i++) {
			const struct san *s = &c->ext.san.v[i];

			if (s->type == SAN_IP && s->iplen == iplen &&
			    memcmp(s->ip, ip, iplen) == 0) {
				buf_printf(&b, "IP address %s matches subjectAltName IP:%s",
				    host, s->value);
				found = 1;
				goto out;
			}
		}
		buf_printf(&b, "IP address %s is not among the iPAddress "
		    "subjectAltNames (certificate names: ", host);
		list_names(&b, c);
		buf_putc(&b, ')');
		goto out;
	}
	if (c->ext.has_san) {
		for (i = 0; i < c->ext.san.n; i++) {
			const struct san *s = &c->ext.san.v[i];

			if (s->type == SAN_DNS && s->value != NULL &&
			    verify_dns_match(s->value, host)) {
				buf_printf(&b, "'%s' matches subjectAltName DNS:%s",
				    host, s->value);
				found = 1;
				goto out;
			}
		}
		buf_printf(&b, "'%s' matches no dNSName subjectAltName "
		    "(certificate names: ", host);
		list_names(&b, c);
		buf_putc(&b, ')');
		goto out;
	}
	/* No subjectAltName at all: the most specific (last) CN. */
	for (i = 0; i < c->subject.n; i++)
		if (c->subject.v[i].type == OID_CN)
			cn = c->subject.v[i].value;
	if (cn == NULL) {
		buf_printf(&b, "'%s': the certificate has no subjectAltName and "
		    "no CN", host);
	} else if (verify_dns_match(cn, host)) {
		buf_printf(&b, "'%s' matches subject CN=%s (no subjectAltName)",
		    host, cn);
		found = 1;
	} else {
		buf_printf(&b, "'%s' does not match subject CN=%s "
		    "(no subjectAltName)", host, cn);
	}
out:
	if (why != NULL)
		*why = (char *)buf_steal(&b, NULL);
	else
		buf_clear(&b);
	return found;
}

/* ---- path search ---- */

struct search {
	const struct verify_params *p;
	const struct cert *path[VERIFY_MAX_DEPTH];
	size_t len;
	unsigned sigs;		/* signature checks made */
	unsigned paths;		/* complete paths evaluated */
	int done;		/* a valid path was found */
	/* The longest partial path and why it ends. */
	const struct cert *best[VERIFY_MAX_DEPTH];
	size_t best_len;
	enum verify_code best_code;	/* NO_ISSUER, BAD_SIGNATURE, UNSUPPORTED_KEY */
	const struct cert *best_cand;	/* the candidate that failed */
	char best_why[WHY_MAX];
	struct verify_result first;	/* first complete path that failed */
	int have_first;
	struct verify_result *out;
};

static int
is_anchor(const struct search *s, const struct cert *c)
{
	return in_list(s->p->anchors, c);
}

struct cand {
	const struct cert *c;
	int rank;
	size_t idx;		/* list order, to keep the sort stable */
};

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->rank != y->rank)
		return (x->rank > y->rank) - (x->rank < y->rank);
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Key identifier preference: 0 match, 2 mismatch, 1 unknown; anchors
 * before untrusted certificates at the same rank. */
static int
cand_rank(const struct cert *child, const struct cert *c, int anchor)
{
	int r = 1;

	if (child->ext.aki_len > 0 && c->ext.ski_len > 0)
		r = child->ext.aki_len == c->ext.ski_len && memcmp(child->ext.aki,
		    c->ext.ski, c->ext.aki_len) == 0 ? 0 : 2;
	return r * 2 + !anchor;
}

static int
on_path(const struct search *s, const struct cert *c)
{
	size_t i;

	for (i = 0; i < s->len; i++)
		if (same_cert(s->path[i], c))
			return 1;
	return 0;
}

static void
add_cands(const struct search *s, const struct cert_list *l, int anchors,
    const struct cert *child, struct cand **v, size_t *n)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		const struct cert *c = &l->v[i];

		if (!dn_equal(&c->subject, &child->issuer) || on_path(s, c))
			continue;
		if (!anchors && is_anchor(s, c))
			continue;	/* found through the anchor list */
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[*n].c = c;
		(*v)[*n].rank = cand_rank(child, c, anchors);
		(*v)[*n].idx = *n;
		(*n)++;
	}
}

static void check_path(const struct verify_params *,
    const struct cert *const *, size_t, struct verify_result *);

static void
note_partial(struct search *s, enum verify_code code, const struct cert *cand,
    const char *why)
{
	/* Longer partial paths say more; at equal length a signature
	 * failure says more than a missing issuer. */
	if (s->len < s->best_len || (s->len == s->best_len &&
	    !(s->best_code == VERIFY_NO_ISSUER && code != VERIFY_NO_ISSUER)))
		return;
	memcpy(s->best, s->path, s->len * sizeof s->path[0]);
	s->best_len = s->len;
	s->best_code = code;
	s->best_cand = cand;
	snprintf(s->best_why, sizeof s->best_why, "%s", why);
}

static void
complete(struct search *s)
{
	struct verify_result r;

	s->paths++;
	verify_result_init(&r);
	check_path(s->p, s->path, s->len, &r);
	if (r.code == VERIFY_OK) {
		s->done = 1;
		verify_result_clear(s->out);
		*s->out = r;
		return;
	}
	if (!s->have_first) {
		s->first = r;
		s->have_first = 1;
	} else {
		verify_result_clear(&r);
	}
}

static void
search(struct search *s)
{
	const struct cert *cur = s->path[s->len - 1];
	struct cand *v = NULL;
	size_t n = 0, i;
	struct err e;
	char msg[WHY_MAX];
	char *alg;

	if (s->len == VERIFY_MAX_DEPTH) {
		note_partial(s, VERIFY_NO_ISSUER, NULL, "");
		return;
	}
	add_cands(s, s->p->anchors, 1, cur, &v, &n);
	add_cands(s, s->p->untrusted, 0, cur, &v, &n);
	if (n == 0) {
		note_partial(s, VERIFY_NO_ISSUER, NULL, "");
		return;
	}
	qsort(v, n, sizeof *v, cand_cmp);
	for (i = 0; i < n && !s->done; i++) {
		const struct cert *c = v[i].c;

		if (s->sigs >= VERIFY_MAX_SIGS || s->paths >= VERIFY_MAX_PATHS)
			break;
		if (c->key_alg != OID_RSA_ENCRYPTION &&
		    (c->key_alg != OID_EC_PUBLIC_KEY ||
		    !ec256key_has_public(&c->eckey))) {
			snprintf(msg, sizeof msg, "the issuer's key is %s, which "
			    "this implementation cannot verify",
			    c->key_alg == OID_UNKNOWN ? "of an unknown type" :
			    oid_name(c->key_alg));
			note_partial(s, VERIFY_UNSUPPORTED_KEY, c, msg);
			continue;
		}
		s->sigs++;
		err_clear(&e);
		if (!cert_check_signature(cur, c, &e)) {
			alg = sigalg_text(&cur->sigalg);
			snprintf(msg, sizeof msg, "%s signature does not verify "
			    "with the issuer's key%s%s", alg, e.msg[0] ? ": " : "",
			    e.msg);
			note_partial(s, VERIFY_BAD_SIGNATURE, c, msg);
			free(alg);
			continue;
		}
		s->path[s->len++] = c;
		if (is_anchor(s, c))
			complete(s);
		else
			search(s);
		s->len--;
	}
	free(v);
}

/* ---- checks on a path ---- */

static void
check_validity(const struct cert *c, int64_t at, struct verify_result *r)
{
	char nb[40], na[40], now[40];
	char *what = NULL, *nm = dn_quoted(&c->subject);

	verify_format_time(c->not_before, nb, sizeof nb);
	verify_format_time(c->not_after, na, sizeof na);
	verify_format_time(at, now, sizeof now);
	what = xasprintf("validity of %s", nm);
	if (at < c->not_before)
		step(r, VERIFY_NOT_YET_VALID, what, "not yet valid: valid from "
		    "%s, checked at %s", nb, now);
	else if (at > c->not_after)
		step(r, VERIFY_EXPIRED, what, "expired on %s, checked at %s",
		    na, now);
	else
		step(r, VERIFY_OK, what, "valid from %s to %s", nb, na);
	free(nm);
}

static void
check_critical(const struct cert *c, struct verify_result *r)
{
	char *nm = dn_quoted(&c->subject);

	if (c->ext.unknown_critical)
		step(r, VERIFY_UNKNOWN_CRITICAL, xasprintf("extensions of %s", nm),
		    "critical extension %s is not supported",
		    c->ext.unknown_critical_oid);
	else
		step(r, VERIFY_OK, xasprintf("extensions of %s", nm),
		    "no unsupported critical extension");
	free(nm);
}

static int
has_eku(const struct cert *c, enum oid_id want)
{
	size_t i;

	for (i = 0; i < c->ext.neku && i < EXT_MAX_EKU; i++)
		if (c->ext.eku[i] == want || c->ext.eku[i] == OID_ANY_EKU)
			return 1;
	return 0;
}

static void
check_eku(const struct cert *c, enum verify_purpose purpose, int leaf,
    struct verify_result *r)
{
	enum oid_id want = purpose == VERIFY_PURPOSE_SERVER ?
	    OID_KP_SERVER_AUTH : purpose == VERIFY_PURPOSE_EMAIL ?
	    OID_KP_EMAIL_PROTECTION : OID_KP_CLIENT_AUTH;
	char *nm, *what;

	if (purpose == VERIFY_PURPOSE_ANY || (!leaf && !c->ext.has_eku))
		return;
	nm = dn_quoted(&c->subject);
	what = xasprintf("extended key usage of %s", nm);
	free(nm);
	if (!c->ext.has_eku)
		step(r, VERIFY_OK, what, "no extendedKeyUsage: any purpose");
	else if (has_eku(c, want))
		step(r, VERIFY_OK, what, "%s allowed", oid_name(want));
	else
		step(r, VERIFY_EKU, what, "extendedKeyUsage does not include %s"
		    " (needed for %s)", oid_name(want),
		    purpose == VERIFY_PURPOSE_SERVER ? "a TLS server" :
		    purpose == VERIFY_PURPOSE_EMAIL ? "signed messages" :
		    "a TLS client");
}

static void
check_leaf_ku(const struct cert *c, enum verify_purpose purpose,
    struct verify_result *r)
{
	uint32_t need;
	char *nm, *what;

	if (purpose == VERIFY_PURPOSE_ANY)
		return;
	nm = dn_quoted(&c->subject);
	what = xasprintf("key usage of %s", nm);
	free(nm);
	need = purpose == VERIFY_PURPOSE_SERVER ?
	    KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT :
	    purpose == VERIFY_PURPOSE_EMAIL ?
	    KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION : KU_DIGITAL_SIGNATURE;
	if (!c->ext.has_ku)
		step(r, VERIFY_OK, what, "no keyUsage: any use");
	else if (c->ext.ku & need)
		step(r, VERIFY_OK, what, "%s allowed", (c->ext.ku &
		    KU_DIGITAL_SIGNATURE) ? "digitalSignature" :
		    (c->ext.ku & KU_KEY_ENCIPHERMENT) ? "keyEncipherment" :
		    "nonRepudiation");
	else if (purpose == VERIFY_PURPOSE_EMAIL)
		step(r, VERIFY_KEY_USAGE, what, "keyUsage has neither "
		    "digitalSignature nor nonRepudiation (needed to sign "
		    "messages)");
	else
		step(r, VERIFY_KEY_USAGE, what, "keyUsage has neither %s "
		    "(needed for a TLS %s)", purpose == VERIFY_PURPOSE_SERVER ?
		    "digitalSignature nor keyEncipherment" : "digitalSignature",
		    purpose == VERIFY_PURPOSE_SERVER ? "server" : "client");
}

/* Checks of chain[i], i >= 1, as an issuer; below = non-self-issued
 * intermediates between it and the leaf. */
static void
check_issuer(const struct cert *c, int anchor, size_t below,
    struct verify_result *r)
{
	char *nm = dn_quoted(&c->subject);
	char *what = xasprintf("CA status of %s", nm);

	if (c->ext.has_bc && c->ext.ca)
		step(r, VERIFY_OK, what, "basicConstraints cA is TRUE");
	else if (c->ext.has_bc)
		step(r, VERIFY_NOT_CA, what, "basicConstraints cA is FALSE: "
		    "not allowed to issue certificates");
	else if (anchor && c->version < 3)
		step(r, VERIFY_OK, what, "version %d trust anchor without "
		    "basicConstraints, accepted", c->version);
	else if (anchor && c->ext.has_ku && (c->ext.ku & KU_KEY_CERT_SIGN))
		step(r, VERIFY_OK, what, "trust anchor without basicConstraints "
		    "but with keyUsage keyCertSign, accepted");
	else
		step(r, VERIFY_NOT_CA, what, "no basicConstraints extension: "
		    "not a CA certificate");

	what = xasprintf("key usage of %s", nm);
	if (!c->ext.has_ku)
		step(r, VERIFY_OK, what, "no keyUsage extension: any use");
	else if (c->ext.ku & KU_KEY_CERT_SIGN)
		step(r, VERIFY_OK, what, "keyCertSign set");
	else
		step(r, VERIFY_KEY_USAGE, what, "keyUsage lacks keyCertSign: "
		    "not allowed to sign certificates");

	if (c->ext.has_bc && c->ext.pathlen >= 0) {
		what = xasprintf("path length of %s", nm);
		if ((long)below > c->ext.pathlen)
			step(r, VERIFY_PATHLEN, what, "pathLenConstraint %ld, but "
			    "%zu intermediate CA certificate%s below", c->ext.pathlen,
			    below, below == 1 ? " is" : "s are");
		else
			step(r, VERIFY_OK, what, "pathLenConstraint %ld, %zu "
			    "intermediate CA certificate%s below", c->ext.pathlen,
			    below, below == 1 ? "" : "s");
	}
	free(nm);
}

static void
step_signature(const struct cert *c, const struct cert *issuer,
    struct verify_result *r)
{
	char *a = dn_quoted(&c->subject), *b = dn_quoted(&issuer->subject);
	char *alg = sigalg_text(&c->sigalg);

	step(r, VERIFY_OK, xasprintf("signature of %s by %s", a, b),
	    "%s signature is good", alg);
	free(a);
	free(b);
	free(alg);
}

/* RFC 5280 4.1.2.2: CAs must not, relying parties should cope. */
static void
step_negative_serial(const struct cert *c, struct verify_result *r)
{
	char *nm = dn_quoted(&c->subject), num[3 * CERT_MAX_SERIAL + 2];

	cert_serial_text(c->serial, c->serial_len, num, sizeof num);
	step(r, VERIFY_OK, xasprintf("serial number of %s", nm), "negative "
	    "(%s), which RFC 5280 forbids a CA to issue; read and accepted, "
	    "as it asks relying parties to", num);
	free(nm);
}

/* The checks that do not depend on how the path was found. */
static void
check_certs(const struct verify_params *p, const struct cert *const *path,
    size_t len, int anchored, struct verify_result *r)
{
	size_t i, below = 0;
	char *what, *why;

	for (i = 0; i < len; i++) {
		const struct cert *c = path[i];

		check_validity(c, p->at, r);
		if (c->serial_negative)
			step_negative_serial(c, r);
		check_critical(c, r);
		if (i == 0) {
			check_leaf_ku(c, p->purpose, r);
		} else {
			check_issuer(c, anchored && i == len - 1, below, r);
			if (!self_issued(c))
				below++;
		}
		check_eku(c, p->purpose, i == 0, r);
	}
	if (p->host != NULL) {
		what = xasprintf("host name '%s'", p->host);
		if (verify_host(path[0], p->host, &why))
			step(r, VERIFY_OK, what, "%s", why);
		else
			step(r, VERIFY_HOST_MISMATCH, what, "%s", why);
		free(why);
	}
	r->chain_len = len;
	memcpy(r->chain, path, len * sizeof path[0]);
	r->anchored = anchored;
}

/* A path that ends in a trust anchor, whose signatures search checked. */
static void
check_path(const struct verify_params *p, const struct cert *const *path,
    size_t len, struct verify_result *r)
{
	size_t i;
	char *nm;

	for (i = 0; i + 1 < len; i++)
		step_signature(path[i], path[i + 1], r);
	nm = dn_quoted(&path[len - 1]->subject);
	step(r, VERIFY_OK, xstrdup("trust anchor"), "%s is a trust anchor%s",
	    nm, len == 1 ? " (the certificate itself is trusted)" : "");
	free(nm);
	check_certs(p, path, len, 1, r);
	nameconstr_path(path, len, r);
	policy_check_path(p, path, len, r);
	if (p->ncrls > 0 || p->crl_all)
		crlcheck_path(p, path, len, r);
}

/* No path reached an anchor: report the longest attempt. */
static void
report_partial(const struct search *s, struct verify_result *r)
{
	const struct cert *top = s->best[s->best_len - 1];
	size_t i, na, nu;
	char *nm, *iss;

	for (i = 0; i + 1 < s->best_len; i++)
		step_signature(s->best[i], s->best[i + 1], r);
	nm = dn_quoted(&top->subject);
	na = s->p->anchors ? s->p->anchors->n : 0;
	nu = s->p->untrusted ? s->p->untrusted->n : 0;
	if (s->best_code == VERIFY_NO_ISSUER && s->best_len == VERIFY_MAX_DEPTH) {
		step(r, VERIFY_NO_ISSUER, xasprintf("issuer of %s", nm),
		    "no trust anchor within %d certificates", VERIFY_MAX_DEPTH);
	} else if (s->best_len == 1 && cert_self_signed(top)) {
		step(r, VERIFY_SELF_SIGNED_LEAF, xasprintf("issuer of %s", nm),
		    "self-signed certificate is not a trust anchor");
	} else if (s->best_code == VERIFY_NO_ISSUER) {
		iss = dn_quoted(&top->issuer);
		if (self_issued(top) && cert_self_signed(top))
			step(r, VERIFY_NO_ISSUER, xasprintf("issuer of %s", nm),
			    "self-signed root certificate is not a trust anchor");
		else
			step(r, VERIFY_NO_ISSUER, xasprintf("issuer of %s", nm),
			    "no certificate named %s among the %zu trust "
			    "anchor%s and %zu untrusted certificate%s", iss, na,
			    na == 1 ? "" : "s", nu, nu == 1 ? "" : "s");
		free(iss);
	} else {
		iss = dn_quoted(&s->best_cand->subject);
		step(r, s->best_code, xasprintf("signature of %s by %s", nm, iss),
		    "%s", s->best_why);
		free(iss);
	}
	free(nm);
	check_certs(s->p, s->best, s->best_len, 0, r);
}

int
verify_chain(const struct cert *leaf, const struct verify_params *p,
    struct verify_result *r)
{
	struct search *s;

	verify_result_clear(r);
	if (leaf == NULL || leaf->der == NULL || p == NULL) {
		step(r, VERIFY_MALFORMED, xstrdup("parameters"),
		    "no certificate or no parameters to verify");
		return -1;
	}
	s = xcalloc(1, sizeof *s);
	s->p = p;
	s->out = r;
	s->path[0] = leaf;
	s->len = 1;
	s->best_code = VERIFY_NO_ISSUER;
	verify_result_init(&s->first);
	if (is_anchor(s, leaf))
		complete(s);
	else
		search(s);
	if (s->done) {
		/* r holds the valid path */
	} else if (s->have_first) {
		*r = s->first;
		s->have_first = 0;
	} else {
		if (s->best_len == 0) {
			s->best[0] = leaf;
			s->best_len = 1;
		}
		report_partial(s, r);
	}
	if (s->have_first)
		verify_result_clear(&s->first);
	free(s);
	return r->code == VERIFY_OK ? 0 : -1;
}

void
verify_render(struct buf *b, const struct verify_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		buf_printf(b, "  %-4s  %s: %s\n", r->steps[i].ok ? "ok" : "FAIL",
		    r->steps[i].what, r->steps[i].why);
}

void
verify_print(FILE *f, const struct verify_result *r)
{
	struct buf b;

	buf_init(&b);
	verify_render(&b, r);
	if (b.len > 0)	/* no steps: data is NULL, which fwrite may not get */
		fwrite(b.data, 1, b.len, f);
	buf_clear(&b);
}
