/* crlcheck.c — revocation checking against CRLs (RFC 5280 6.3); see
 * crlcheck.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/certext.h"
#include "x509/crlcheck.h"
#include "util/xalloc.h"

/* CRL signers whose own path is being validated, innermost last: a CRL
 * issuer's certificate may be covered by a CRL it signed itself, which
 * must not recurse. Nesting of signer validations is bounded; the
 * project is single-threaded. */
#define SIGNER_MAX_DEPTH 2
static const struct cert *signer_stack[SIGNER_MAX_DEPTH];
static int signer_depth;
/* CRL signature checks one top-level check may make: many certificates
 * with a CRL issuer's name must not make it slow. */
#define CRLCHECK_MAX_SIGS 256
static unsigned crl_sigs;

struct why {
	char text[320];
};

static void
why_set(struct why *w, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
why_set(struct why *w, const char *label, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	snprintf(w->text, sizeof w->text, "%.60s: %s", label, tmp);
}

/* "CRL FILE (cRLNumber N)" into out. */
static void
crl_label(const struct verify_params *p, size_t k, char *out, size_t outlen)
{
	const struct crl *c = p->crls[k];
	char num[3 * CRL_MAX_NUMBER + 1];
	const char *name = p->crl_names != NULL && p->crl_names[k] != NULL ?
	    p->crl_names[k] : NULL;
	const char *kind = c->is_delta ? "delta CRL" : "CRL";
	uint64_t v;

	num[0] = '\0';
	if (crl_number_u64(c, &v) == 0)
		snprintf(num, sizeof num, "%llu", (unsigned long long)v);
	else if (c->has_number)
		cert_serial_hex(c->number, c->number_len, num, sizeof num);
	if (name != NULL)
		snprintf(out, outlen, "%s %s (%s%s)", kind, name,
		    c->has_number ? "cRLNumber " : "no cRLNumber", num);
	else
		snprintf(out, outlen, "%s %zu (%s%s)", kind, k + 1,
		    c->has_number ? "cRLNumber " : "no cRLNumber", num);
}

static int
is_ca(const struct cert *c)
{
	return c->ext.has_bc && c->ext.ca;
}

static int
same_cert(const struct cert *a, const struct cert *b)
{
	return a == b || (a->len == b->len && memcmp(a->der, b->der, a->len) == 0);
}

static int
in_anchors(const struct verify_params *p, const struct cert *s)
{
	size_t j;

	for (j = 0; p->anchors != NULL && j < p->anchors->n; j++)
		if (&p->anchors->v[j] == s)
			return 1;
	return 0;
}

/* Whether s may have signed CRL c: keyUsage, key identifier, signature. */
static int
signs(const struct crl *c, const struct cert *s, char *why, size_t whylen)
{
	struct err e;

	err_clear(&e);
	if (!dn_equal(&s->subject, &c->issuer)) {
		snprintf(why, whylen, "no certificate of its issuer");
		return 0;
	}
	if (s->ext.has_ku && !(s->ext.ku & KU_CRL_SIGN)) {
		snprintf(why, whylen, "its signer's keyUsage lacks cRLSign");
		return 0;
	}
	if (c->aki_len > 0 && s->ext.ski_len > 0 && (c->aki_len !=
	    s->ext.ski_len || memcmp(c->aki, s->ext.ski, c->aki_len) != 0)) {
		snprintf(why, whylen, "its authorityKeyIdentifier is not the "
		    "issuer's key");
		return 0;
	}
	if (crl_sigs >= CRLCHECK_MAX_SIGS) {
		snprintf(why, whylen, "more than %d CRL signature checks: "
		    "refused", CRLCHECK_MAX_SIGS);
		return 0;
	}
	crl_sigs++;
	if (!crl_check_signature(c, s, &e)) {
		snprintf(why, whylen, "its signature does not verify with the "
		    "issuer's key");
		return 0;
	}
	return 1;
}

/* The certificate that signed CRL k, with a valid path (RFC 5280 6.3.3
 * (f)): on the path at or above path[i] first (the issuer, or a
 * self-issued key of the same CA), then a trust anchor, then an untrusted
 * certificate whose own path validates with the same parameters. NULL
 * with why when none. */
static const struct cert *
find_signer(const struct verify_params *p, size_t k,
    const struct cert *const *path, size_t len, size_t i, char *why,
    size_t whylen)
{
	const struct crl *c = p->crls[k];
	const struct cert_list *lists[2] = { p->anchors, p->untrusted };
	struct verify_params p2;
	struct verify_result r2;
	char w2[256] = "";
	size_t j, l;
	int ok, d;

	why[0] = '\0';
	if (signs(c, path[i + 1], why, whylen))
		return path[i + 1];
	for (j = i + 2; j < len; j++)
		if (signs(c, path[j], w2, sizeof w2))
			return path[j];
	for (l = 0; l < 2; l++) {
		if (lists[l] == NULL)
			continue;
		for (j = 0; j < lists[l]->n; j++) {
			const struct cert *s = &lists[l]->v[j];

			if (!dn_equal(&s->subject, &c->issuer) ||
			    !signs(c, s, w2, sizeof w2))
				continue;
			if (l == 0)
				return s;
			for (d = 0; d < signer_depth; d++)
				if (same_cert(signer_stack[d], s))
					return s;	/* being validated */
			if (signer_depth >= SIGNER_MAX_DEPTH) {
				snprintf(why, whylen, "its signer's path is "
				    "nested too deep to check");
				continue;
			}
			p2 = *p;
			p2.purpose = VERIFY_PURPOSE_ANY;
			p2.host = NULL;
			verify_result_init(&r2);
			signer_stack[signer_depth++] = s;
			ok = verify_chain(s, &p2, &r2) == 0;
			signer_depth--;
			/* The same trust anchor as the certificate's path. */
			if (ok && (r2.chain_len == 0 || !same_cert(
			    r2.chain[r2.chain_len - 1], path[len - 1]))) {
				ok = 0;
				snprintf(why, whylen, "its signer's path ends in "
				    "another trust anchor");
			} else if (!ok)
				snprintf(why, whylen, "its signer's path is not "
				    "valid: %.200s", r2.reason != NULL ?
				    r2.reason : "?");
			verify_result_clear(&r2);
			if (ok)
				return s;
		}
	}
	if (why[0] == '\0')
		snprintf(why, whylen, "%s", w2[0] ? w2 : "no certificate of "
		    "its issuer");
	return NULL;
}

/* Freshness and extensions of a CRL at p->at. */
static int
fresh(const struct verify_params *p, const struct crl *c, char *why,
    size_t whylen)
{
	char t1[40], t2[40];

	if (c->unsupported_critical) {
		snprintf(why, whylen, "critical extension %s is not supported",
		    c->unsupported_oid);
		return 0;
	}
	verify_format_time(p->at, t2, sizeof t2);
	if (c->this_update > p->at) {
		verify_format_time(c->this_update, t1, sizeof t1);
		snprintf(why, whylen, "not yet valid: thisUpdate %s, checked "
		    "at %s", t1, t2);
		return 0;
	}
	if (c->has_next_update && c->next_update < p->at) {
		verify_format_time(c->next_update, t1, sizeof t1);
		snprintf(why, whylen, "stale: nextUpdate %s passed, checked at "
		    "%s", t1, t2);
		return 0;
	}
	return 1;
}

/* RFC 5280 6.3.3 (b): whether complete CRL c covers certificate x through
 * distribution point dp. */
static int
in_scope(const struct cert *x, const struct crldp_point *dp,
    const struct crl *c, char *why, size_t whylen)
{
	const struct crldp_idp *idp = &c->idp;

	if (dp->crl_issuer.n > 0) {
		if (!crldp_names_have_dn(&dp->crl_issuer, &c->issuer)) {
			snprintf(why, whylen, "not from the cRLIssuer the "
			    "certificate's distribution point names");
			return 0;
		}
		if (!idp->present || !idp->indirect) {
			snprintf(why, whylen, "the distribution point names a "
			    "cRLIssuer but this is not an indirect CRL");
			return 0;
		}
	} else if (!dn_equal(&c->issuer, &x->issuer)) {
		snprintf(why, whylen, "not from the certificate's issuer");
		return 0;
	}
	if (!idp->present)
		return 1;
	if (idp->dp.has_name) {
		int ok;

		if (dp->has_name)
			ok = crldp_points_match(&idp->dp, &c->issuer, dp,
			    &c->issuer);
		else if (dp->crl_issuer.n > 0)
			ok = crldp_point_in_names(&idp->dp, &c->issuer,
			    &dp->crl_issuer);
		else {
			/* No distribution point in the certificate: the
			 * issuer's own name stands for it. */
			struct crldp_names self;
			struct crldp_name nm;

			memset(&nm, 0, sizeof nm);
			nm.tag = DER_CTX_CONS(4);
			nm.dn = x->issuer;
			self.v = &nm;
			self.n = 1;
			ok = crldp_point_in_names(&idp->dp, &c->issuer, &self);
		}
		if (!ok) {
			snprintf(why, whylen, "its issuingDistributionPoint "
			    "names another distribution point");
			return 0;
		}
	}
	if (idp->only_user && is_ca(x)) {
		snprintf(why, whylen, "onlyContainsUserCerts, and the "
		    "certificate is a CA");
		return 0;
	}
	if (idp->only_ca && !is_ca(x)) {
		snprintf(why, whylen, "onlyContainsCACerts, and the certificate "
		    "is not a CA");
		return 0;
	}
	if (idp->only_attr) {
		snprintf(why, whylen, "onlyContainsAttributeCerts");
		return 0;
	}
	return 1;
}

static int
same_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* The newest usable delta CRL for complete CRL base signed by signer, or
 * -1 (RFC 5280 6.3.3 (c), (g)); why tells about the last one refused. */
static long
find_delta(const struct verify_params *p, size_t base,
    const struct cert *signer, char *why, size_t whylen)
{
	const struct crl *b = p->crls[base], *d;
	long best = -1;
	char w[256];
	size_t k;

	for (k = 0; k < p->ncrls; k++) {
		d = p->crls[k];
		if (!d->is_delta || !dn_equal(&d->issuer, &b->issuer) ||
		    !same_bytes(d->idp_der, d->idp_len, b->idp_der, b->idp_len) ||
		    !same_bytes(d->aki, d->aki_len, b->aki, b->aki_len))
			continue;
		if (!b->has_number || !d->has_number) {
			snprintf(why, whylen, "a delta CRL or its base has no "
			    "cRLNumber");
			continue;
		}
		if (crl_number_cmp(d->base_number, d->base_number_len,
		    b->number, b->number_len) > 0) {
			snprintf(why, whylen, "a delta CRL needs a newer base "
			    "than this CRL");
			continue;
		}
		if (crl_number_cmp(d->number, d->number_len, b->number,
		    b->number_len) <= 0)
			continue;
		if (!signs(d, signer, w, sizeof w) || !fresh(p, d, w,
		    sizeof w)) {
			snprintf(why, whylen, "delta CRL: %.200s", w);
			continue;
		}
		if (best < 0 || crl_number_cmp(d->number, d->number_len,
		    p->crls[best]->number, p->crls[best]->number_len) > 0)
			best = (long)k;
	}
	return best;
}

/* The complete CRLs, newest first, into order; returns how many. */
static size_t
complete_crls(const struct verify_params *p, size_t *order)
{
	size_t n = 0, k, j;

	for (k = 0; k < p->ncrls; k++) {
		if (p->crls[k]->is_delta)
			continue;
		for (j = n; j > 0 && p->crls[order[j - 1]]->this_update <
		    p->crls[k]->this_update; j--)
			order[j] = order[j - 1];
		order[j] = k;
		n++;
	}
	return n;
}

/* Whether any CRL given could be for x at all (by its issuer name). */
static int
any_crl_for(const struct verify_params *p, const struct cert *x,
    const struct crldp_point *dps, size_t ndp)
{
	size_t k, j;

	for (k = 0; k < p->ncrls; k++) {
		if (dn_equal(&p->crls[k]->issuer, &x->issuer))
			return 1;
		for (j = 0; j < ndp; j++)
			if (crldp_names_have_dn(&dps[j].crl_issuer,
			    &p->crls[k]->issuer))
				return 1;
	}
	return 0;
}

static void
check_one(const struct verify_params *p, const struct cert *const *path,
    size_t len, size_t i, int required, struct verify_result *r)
{
	const struct cert *x = path[i], *signer;
	const struct crl *c;
	const struct crl_entry *en, *den;
	struct crldp_point *dps = NULL, none;
	size_t ndp = 0, *order, ncomp, j, q, k;
	uint32_t mask = 0, interim;
	long delta;
	struct why last;
	char w[256], label[160], dlabel[160], used[400], t1[40], t2[40];
	char *nm, *in;
	int revoked = 0, status_set = 0, freshest, crit;
	struct err e;

	last.text[0] = '\0';
	used[0] = '\0';
	err_clear(&e);
	nm = dn_quoted(&x->subject);
	in = dn_quoted(&x->issuer);
	{
		struct der fv;

		freshest = certext_find(x, OID_FRESHEST_CRL, &fv, &crit,
		    NULL) == 1;
	}
	if (crldp_read_cert(x, &dps, &ndp, &e) == -1) {
		verify_step_add(r, VERIFY_MALFORMED, xasprintf("revocation of %s",
		    nm), "%s", e.msg);
		goto out;
	}
	if (!any_crl_for(p, x, dps, ndp)) {
		if (required)
			verify_step_add(r, VERIFY_CRL, xasprintf("revocation "
			    "of %s", nm), "no CRL issued by %s among the %zu "
			    "given", in, p->ncrls);
		goto out;
	}
	if (ndp == 0) {
		memset(&none, 0, sizeof none);
		dps = xmalloc(sizeof *dps);
		dps[0] = none;
		ndp = 1;
	}
	order = xcalloc(p->ncrls > 0 ? p->ncrls : 1, sizeof *order);
	ncomp = complete_crls(p, order);
	for (j = 0; j < ndp && mask != CRLDP_ALL_REASONS && !revoked; j++) {
		const struct crldp_point *dp = &dps[j];

		for (q = 0; q < ncomp && mask != CRLDP_ALL_REASONS && !revoked;
		    q++) {
			k = order[q];
			c = p->crls[k];
			/* Only CRLs from the right issuer are worth a word. */
			if (!dn_equal(&c->issuer, &x->issuer) &&
			    !crldp_names_have_dn(&dp->crl_issuer, &c->issuer))
				continue;
			crl_label(p, k, label, sizeof label);
			if (!in_scope(x, dp, c, w, sizeof w)) {
				why_set(&last, label, "%s", w);
				continue;
			}
			interim = CRLDP_ALL_REASONS;
			if (c->idp.present && c->idp.dp.has_reasons)
				interim &= c->idp.dp.reasons;
			if (dp->has_reasons)
				interim &= dp->reasons;
			if ((interim & ~mask) == 0) {
				why_set(&last, label, "it covers no reason not "
				    "covered yet");
				continue;
			}
			if ((signer = find_signer(p, k, path, len, i, w,
			    sizeof w)) == NULL) {
				why_set(&last, label, "%s", w);
				continue;
			}
			if (!fresh(p, c, w, sizeof w)) {
				why_set(&last, label, "%s", w);
				continue;
			}
			delta = -1;
			w[0] = '\0';
			/* 6.3.3 (a)(2): deltas when the certificate or the
			 * complete CRL points to them (freshestCRL). */
			if (p->use_deltas && (c->has_freshest || freshest))
				delta = find_delta(p, k, signer, w, sizeof w);
			verify_format_time(c->this_update, t1, sizeof t1);
			if (c->has_next_update)
				verify_format_time(c->next_update, t2, sizeof t2);
			else
				snprintf(t2, sizeof t2, "(none)");
			{
				char rs[160], *sn = dn_quoted(&signer->subject);
				char *ci = dn_quoted(&c->issuer);
				size_t m;

				for (m = 0; m < len && path[m] != signer; m++)
					;

				crldp_reasons_text(interim, rs, sizeof rs);
				verify_step_add(r, VERIFY_OK, xstrdup(label),
				    "issued by %s%s%s, signature good, fresh "
				    "(thisUpdate %s, nextUpdate %s), %zu "
				    "entr%s%s%s%s%s%s", ci, dn_equal(&signer->subject,
				    &c->issuer) ? "" : ", signed by ",
				    dn_equal(&signer->subject, &c->issuer) ? "" : sn, t1, t2, c->n, c->n == 1 ? "y" : "ies",
				    c->idp.present ? ", in scope" : "",
				    c->idp.indirect ? " (indirect)" : "",
				    interim != CRLDP_ALL_REASONS ? "; reasons: " :
				    "", interim != CRLDP_ALL_REASONS ? rs : "",
				    m == len && !in_anchors(p, signer) ? "; the "
				    "signer's own path was validated" : "");
				free(sn);
				free(ci);
			}
			den = NULL;
			if (delta >= 0) {
				const struct crl *d = p->crls[delta];

				crl_label(p, (size_t)delta, dlabel, sizeof dlabel);
				verify_step_add(r, VERIFY_OK, xstrdup(dlabel),
				    "delta of %s, signature good, fresh, %zu "
				    "entr%s", label, d->n, d->n == 1 ? "y" : "ies");
				den = crl_find_issued(d, &x->issuer, x->serial,
				    x->serial_len);
			}
			en = crl_find_issued(c, &x->issuer, x->serial,
			    x->serial_len);
			if (den != NULL) {
				if (den->reason != CRL_REASON_REMOVE_FROM_CRL) {
					en = den;
					snprintf(label, sizeof label, "%s",
					    dlabel);
				} else
					en = NULL;
			}
			if (en != NULL && en->reason != CRL_REASON_REMOVE_FROM_CRL) {
				revoked = 1;
				verify_format_time(en->date, t1, sizeof t1);
				verify_step_add(r, VERIFY_REVOKED, xasprintf(
				    "revocation of %s", nm), "revoked (%s) on %s, "
				    "according to %s", en->reason ==
				    CRL_REASON_NONE ? "unspecified" :
				    crl_reason_name(en->reason), t1, label);
				status_set = 1;
				break;
			}
			mask |= interim;
			snprintf(used + strlen(used), sizeof used - strlen(used),
			    "%s%s%s%s", used[0] ? ", " : "", label,
			    delta >= 0 ? " with " : "", delta >= 0 ? dlabel : "");
		}
	}
	free(order);
	if (status_set)
		goto out;
	if (mask == CRLDP_ALL_REASONS) {
		verify_step_add(r, VERIFY_OK, xasprintf("revocation of %s", nm),
		    "not revoked according to %s", used);
	} else {
		char rs[160];

		crldp_reasons_text(mask, rs, sizeof rs);
		verify_step_add(r, VERIFY_UNDETERMINED, xasprintf("revocation "
		    "of %s", nm), "revocation status undetermined: %s%s%s%s",
		    mask == 0 ? "no usable CRL issued by " :
		    "the CRLs used cover only ", mask == 0 ? in : rs,
		    last.text[0] ? "; " : "", last.text);
	}
out:
	for (j = 0; j < ndp; j++)
		crldp_point_clear(&dps[j]);
	free(dps);
	free(nm);
	free(in);
}

void
crlcheck_path(const struct verify_params *p, const struct cert *const *path,
    size_t len, struct verify_result *r)
{
	size_t i;

	if (signer_depth == 0)
		crl_sigs = 0;
	for (i = 0; i + 1 < len; i++)
		check_one(p, path, len, i, i == 0 || p->crl_all, r);
}
