/* nameconstr-path.c — name constraints along a certification path
 * (RFC 5280 6.1.3 (b)(c), 6.1.4 (g)), as steps of a verification.
 *
 * Checking each CA's constraints on its own against every certificate
 * below it is the RFC's intersection of permitted and union of excluded
 * subtrees, without building them. The trust anchor's constraints apply
 * too (OpenSSL and GnuTLS apply them). A self-issued certificate that is
 * not the leaf is exempt (6.1.3 (b)), as the RFC says, so that a CA can
 * roll its own key over. */
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "x509/nameconstr.h"
#include "x509/verify.h"

static int
path_self_issued(const struct cert *c)
{
	return dn_equal(&c->subject, &c->issuer);
}

/* The constraints of ca (at position i of the path) on the certificates
 * below it; names[j] caches certificate j's names (loaded once). */
static void
check_ca(const struct cert *const *path, size_t i, struct nc_list *names,
    int *loaded, struct verify_result *r)
{
	struct nameconstr nc;
	struct err e;
	size_t j, checked = 0;
	char *ca = dn_quoted(&path[i]->subject), *sub, *why = NULL, *txt;

	nameconstr_init(&nc);
	err_clear(&e);
	if (nameconstr_from_cert(&nc, path[i], &e) != 1) {
		verify_step_add(r, VERIFY_MALFORMED, xasprintf("name "
		    "constraints of %s", ca), "nameConstraints does not parse: "
		    "%s", e.msg);
		goto out;
	}
	for (j = i; j-- > 0;) {
		if (j > 0 && path_self_issued(path[j]))
			continue;
		sub = dn_quoted(&path[j]->subject);
		if (!loaded[j]) {
			err_clear(&e);
			if (nameconstr_cert_names(path[j], j == 0, &names[j],
			    &e) == -1) {
				verify_step_add(r, VERIFY_MALFORMED,
				    xasprintf("names of %s", sub), "%s", e.msg);
				free(sub);
				goto out;
			}
			loaded[j] = 1;
		}
		if (nameconstr_check(&nc, &names[j], &why) == -1) {
			verify_step_add(r, VERIFY_NAME_CONSTRAINTS,
			    xasprintf("name constraints of %s on %s", ca, sub),
			    "%s", why);
			free(why);
			free(sub);
			goto out;
		}
		free(sub);
		checked++;
	}
	txt = nameconstr_text(&nc);
	verify_step_add(r, VERIFY_OK, xasprintf("name constraints of %s", ca),
	    "%s%s; %zu certificate%s below within them", nc.critical ?
	    "critical, " : "", txt, checked, checked == 1 ? "" : "s");
	free(txt);
out:
	nameconstr_clear(&nc);
	free(ca);
}

void
nameconstr_path(const struct cert *const *path, size_t len,
    struct verify_result *r)
{
	struct nc_list names[VERIFY_MAX_DEPTH];
	int loaded[VERIFY_MAX_DEPTH] = { 0 };
	size_t i;

	if (len > VERIFY_MAX_DEPTH)
		len = VERIFY_MAX_DEPTH;
	for (i = 0; i < len; i++)
		nc_list_init(&names[i]);
	for (i = len; i-- > 1;)
		if (path[i]->ext.has_name_constraints)
			check_ca(path, i, names, loaded, r);
	for (i = 0; i < len; i++)
		nc_list_clear(&names[i]);
}
