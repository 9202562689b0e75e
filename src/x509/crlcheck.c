/* crlcheck.c — revocation checking against CRLs; see crlcheck.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/crlcheck.h"
#include "util/xalloc.h"

/* "FILE (cRLNumber N)" into out. */
static void
crl_label(const struct verify_params *p, size_t k, char *out, size_t outlen)
{
	const struct crl *c = p->crls[k];
	char num[3 * CRL_MAX_NUMBER + 1];
	const char *name = p->crl_names != NULL && p->crl_names[k] != NULL ?
	    p->crl_names[k] : NULL;

	uint64_t v;

	if (crl_number_u64(c, &v) == 0)
		snprintf(num, sizeof num, "%llu", (unsigned long long)v);
	else if (c->has_number)
		cert_serial_hex(c->number, c->number_len, num, sizeof num);
	if (name != NULL)
		snprintf(out, outlen, "CRL %s (%s%s)", name,
		    c->has_number ? "cRLNumber " : "no cRLNumber",
		    c->has_number ? num : "");
	else
		snprintf(out, outlen, "CRL %zu (%s%s)", k + 1,
		    c->has_number ? "cRLNumber " : "no cRLNumber",
		    c->has_number ? num : "");
}

/* Whether CRL k may be used for certificates issued by issuer at time
 * at; why gets the reason when not. */
static int
usable(const struct verify_params *p, size_t k, const struct cert *issuer,
    char *why, size_t whylen)
{
	const struct crl *c = p->crls[k];
	char t1[32], t2[32];
	struct err e;

	err_clear(&e);
	if (issuer->ext.has_ku && !(issuer->ext.ku & KU_CRL_SIGN)) {
		snprintf(why, whylen, "the issuer's keyUsage lacks cRLSign");
		return 0;
	}
	if (c->aki_len > 0 && issuer->ext.ski_len > 0 &&
	    (c->aki_len != issuer->ext.ski_len || memcmp(c->aki,
	    issuer->ext.ski, c->aki_len) != 0)) {
		snprintf(why, whylen, "its authorityKeyIdentifier is not the "
		    "issuer's key");
		return 0;
	}
	if (!crl_check_signature(c, issuer, &e)) {
		snprintf(why, whylen, "its signature does not verify with the "
		    "issuer's key");
		return 0;
	}
	if (c->is_delta) {
		snprintf(why, whylen, "it is a delta CRL (not supported)");
		return 0;
	}
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

/* Nesting of CRL signer path validations (a signer's own path is checked
 * with the same CRLs); the project is single-threaded. */
static int signer_depth;

/* Whether CRL k is usable when signed by some certificate named like its
 * issuer: the certificate's own issuer on the path first, then the other
 * certificates of the path above it with that name (a CA that changed
 * keys: PKITS 4.5), then a trust anchor or an untrusted certificate with
 * that name whose own path validates (a separate CRL signing key). */
static int
usable_any(const struct verify_params *p, size_t k,
    const struct cert *const *path, size_t len, size_t i, char *why,
    size_t whylen)
{
	const struct crl *c = p->crls[k];
	const struct cert_list *lists[2] = { p->anchors, p->untrusted };
	struct verify_params p2;
	struct verify_result r2;
	char why2[256];
	size_t j, l;
	int ok;

	if (usable(p, k, path[i + 1], why, whylen))
		return 1;
	/* The certificate itself may be a self-issued CRL signing key. */
	for (j = i; j < len; j++)
		if (j != i + 1 && dn_equal(&path[j]->subject, &c->issuer) &&
		    usable(p, k, path[j], why2, sizeof why2))
			return 1;
	if (signer_depth >= 2)
		return 0;
	for (l = 0; l < 2; l++) {
		if (lists[l] == NULL)
			continue;
		for (j = 0; j < lists[l]->n; j++) {
			const struct cert *s = &lists[l]->v[j];

			if (!dn_equal(&s->subject, &c->issuer) ||
			    !usable(p, k, s, why2, sizeof why2))
				continue;
			if (l == 0)
				return 1;
			p2 = *p;
			p2.purpose = VERIFY_PURPOSE_ANY;
			p2.host = NULL;
			verify_result_init(&r2);
			signer_depth++;
			ok = verify_chain(s, &p2, &r2) == 0;
			signer_depth--;
			if (!ok)
				snprintf(why, whylen, "its signer's path is not "
				    "valid: %.200s", r2.reason != NULL ?
				    r2.reason : "?");
			verify_result_clear(&r2);
			if (ok)
				return 1;
		}
	}
	return 0;
}

static void
check_one(const struct verify_params *p, const struct cert *const *path,
    size_t len, size_t i, int required, struct verify_result *r)
{
	const struct cert *c = path[i], *issuer = path[i + 1];
	const struct crl_entry *en;
	const struct crl *best = NULL;
	char why[256], label[160], t1[32], t2[32], *nm, *in;
	size_t k, ncand = 0, bestk = 0;

	why[0] = '\0';
	for (k = 0; k < p->ncrls; k++) {
		if (!dn_equal(&p->crls[k]->issuer, &issuer->subject))
			continue;
		ncand++;
		if (!usable_any(p, k, path, len, i, why, sizeof why)) {
			crl_label(p, k, label, sizeof label);
			/* Remember which CRL the reason belongs to. */
			{
				char tmp[256];

				snprintf(tmp, sizeof tmp, "%.100s: %.150s",
				    label, why);
				memcpy(why, tmp, sizeof why);
			}
			continue;
		}
		if (best == NULL || p->crls[k]->this_update >
		    best->this_update) {
			best = p->crls[k];
			bestk = k;
		}
	}
	if (best == NULL && ncand == 0 && !required)
		return;
	nm = dn_quoted(&c->subject);
	in = dn_quoted(&issuer->subject);
	if (best == NULL) {
		if (ncand == 0)
			verify_step_add(r, VERIFY_CRL, xasprintf("revocation "
			    "of %s", nm), "no CRL issued by %s among the %zu "
			    "given", in, p->ncrls);
		else
			verify_step_add(r, VERIFY_CRL, xasprintf("revocation "
			    "of %s", nm), "no usable CRL issued by %s: %s", in,
			    why);
		goto out;
	}
	crl_label(p, bestk, label, sizeof label);
	verify_format_time(best->this_update, t1, sizeof t1);
	if (best->has_next_update)
		verify_format_time(best->next_update, t2, sizeof t2);
	else
		snprintf(t2, sizeof t2, "(none)");
	verify_step_add(r, VERIFY_OK, xasprintf("%s", label), "issued by %s, "
	    "signature good, fresh (thisUpdate %s, nextUpdate %s), %zu "
	    "entr%s", in, t1, t2, best->n, best->n == 1 ? "y" : "ies");
	en = crl_find(best, c->serial, c->serial_len);
	if (en != NULL && en->reason != CRL_REASON_REMOVE_FROM_CRL) {
		verify_format_time(en->date, t1, sizeof t1);
		verify_step_add(r, VERIFY_REVOKED, xasprintf("revocation of %s",
		    nm), "revoked (%s) on %s, according to %s",
		    en->reason == CRL_REASON_NONE ? "unspecified" :
		    crl_reason_name(en->reason), t1, label);
	} else
		verify_step_add(r, VERIFY_OK, xasprintf("revocation of %s",
		    nm), "not revoked according to %s", label);
out:
	free(nm);
	free(in);
}

void
crlcheck_path(const struct verify_params *p, const struct cert *const *path,
    size_t len, struct verify_result *r)
{
	size_t i;

	for (i = 0; i + 1 < len; i++)
		check_one(p, path, len, i, i == 0 || p->crl_all, r);
}
