/* caconstr.c — name constraints on the issuing side: written into a new
 * intermediate, and checked before anything is signed, so that the CA
 * never hands out a certificate that validation would refuse. */
#include <stdlib.h>
#include <string.h>

#include "role/caconstr.h"
#include "util/xalloc.h"
#include "x509/nameconstr.h"

int
caconstr_check(const struct ca *ca, const struct cert_template *t,
    struct err *e)
{
	struct cert_list chain;
	struct nameconstr nc;
	struct nc_list names;
	size_t i;
	char *why = NULL, *nm;
	const char *pem;
	int rc = -1, r;

	cert_list_init(&chain);
	nameconstr_init(&nc);
	nc_list_init(&names);
	/* A root without constraints (its chain is itself) has nothing to
	 * check: the common case costs no parsing on the issuing path. */
	if (ca->ks.cert_pem == NULL || (!ca->root.ext.has_name_constraints &&
	    (pem = strstr(ca->ks.cert_pem, "-----BEGIN CERTIFICATE")) != NULL &&
	    strstr(pem + 1, "-----BEGIN CERTIFICATE") == NULL)) {
		rc = 0;
		goto out;
	}
	if (cert_list_load(&chain, (const uint8_t *)ca->ks.cert_pem,
	    strlen(ca->ks.cert_pem), e) == -1) {
		err_wrap(e, "CA '%s': its chain", ca->name);
		goto out;
	}
	nameconstr_template_names(t->subject, &t->ext.san,
	    !(t->ext.has_bc && t->ext.ca), &names);
	for (i = 0; i < chain.n; i++) {
		if ((r = nameconstr_from_cert(&nc, &chain.v[i], e)) == -1) {
			nm = dn_quoted(&chain.v[i].subject);
			err_wrap(e, "CA '%s': name constraints of %s", ca->name,
			    nm);
			free(nm);
			goto out;
		}
		if (r == 0)
			continue;
		if (nameconstr_check(&nc, &names, &why) == -1) {
			nm = dn_quoted(&chain.v[i].subject);
			err_set(e, ERR_REFUSED, "CA '%s': name constraints of %s "
			    "refuse it: %s", ca->name, nm, why);
			free(nm);
			goto out;
		}
	}
	rc = 0;
out:
	free(why);
	nc_list_clear(&names);
	nameconstr_clear(&nc);
	cert_list_clear(&chain);
	return rc;
}

int
caconstr_set(struct ext_info *x, const char *permit, const char *exclude,
    struct err *e)
{
	struct nameconstr nc;
	uint8_t *der = NULL;
	size_t len = 0;
	int rc = -1;

	if (permit == NULL && exclude == NULL)
		return 0;
	nameconstr_init(&nc);
	if (permit != NULL &&
	    nameconstr_parse_list(&nc.permitted, permit, e) == -1) {
		err_wrap(e, "--permit");
		goto out;
	}
	if (exclude != NULL &&
	    nameconstr_parse_list(&nc.excluded, exclude, e) == -1) {
		err_wrap(e, "--exclude");
		goto out;
	}
	if ((der = nameconstr_encode(&nc, &len, e)) == NULL)
		goto out;
	free(x->nc);
	x->nc = der;
	x->nc_len = len;
	/* RFC 5280 4.2.1.10: "Conforming CAs MUST mark this extension as
	 * critical". */
	x->nc_critical = 1;
	x->has_name_constraints = 1;
	rc = 0;
out:
	nameconstr_clear(&nc);
	return rc;
}
