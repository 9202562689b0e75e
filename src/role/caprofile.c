/* caprofile.c — certificate policies per profile; see caprofile.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "role/capolicy.h"
#include "role/caprofile.h"
#include "role/profile.h"
#include "store/audit.h"
#include "util/xalloc.h"

const struct cadb_profpol *
caprofile_get(const struct ca *ca, const char *pname)
{
	size_t i;

	for (i = 0; i < ca->meta.npp; i++)
		if (strcmp(ca->meta.pp[i].profile, pname) == 0)
			return &ca->meta.pp[i];
	return NULL;
}

/* policies and cps into x, as `ca init --policy --cps` writes them. */
static int
caprofile_write(const char *policies, const char *cps, struct ext_info *x,
    struct err *e)
{
	struct capolicy pol;

	capolicy_init(&pol);
	pol.policies = policies;
	pol.cps = cps;
	return capolicy_set(x, &pol, e);
}

int
caprofile_apply(const struct ca *ca, const char *pname, struct ext_info *x,
    struct err *e)
{
	const struct cadb_profpol *pp = caprofile_get(ca, pname);

	if (pp == NULL)
		return 0;
	if (caprofile_write(pp->policies, pp->cps, x, e) == -1) {
		e->kind = ERR_INPUT;
		return err_wrap(e, "CA '%s': ca.yaml: profile_policies: %s",
		    ca->name, pname);
	}
	return 0;
}

int
caprofile_set(struct ca *ca, const char *pname, const char *policies,
    const char *cps, struct err *e)
{
	struct cadb_meta m;
	struct ext_info x;
	char d[AUDIT_DETAILS_MAX], pols[256];
	size_t i, k;
	int rc = -1;

	ext_info_init(&x);
	memset(&m, 0, sizeof m);
	if (ca->db.lockfd == -1)
		return err_set(e, ERR_USAGE, "CA '%s' is not open for writing",
		    ca->name);
	if (profile_find(pname) == NULL)
		return err_set(e, ERR_USAGE, "unknown profile '%s': use %s",
		    pname, profile_names());
	if (policies != NULL) {
		/* What the profile's certificates would carry, checked as
		 * a certificate the CA signs is. */
		if (caprofile_write(policies, cps, &x, e) == -1)
			goto out;
		if (capolicy_apply(&ca->root, &x, e) == -1) {
			err_wrap(e, "CA '%s'", ca->name);
			goto out;
		}
		capolicy_text(&x, pols, sizeof pols);
	} else if (cps != NULL) {
		err_set(e, ERR_USAGE, "--cps needs --policy");
		goto out;
	}
	/* The new list: the others as they are, this one replaced. */
	m = ca->meta;
	m.npp = 0;
	for (i = 0; i < ca->meta.npp; i++)
		if (strcmp(ca->meta.pp[i].profile, pname) != 0)
			m.pp[m.npp++] = ca->meta.pp[i];
	if (policies != NULL) {
		if (m.npp == CADB_PROFPOL_MAX) {
			err_set(e, ERR_INPUT, "CA '%s': ca.yaml: "
			    "profile_policies: more than %d profiles",
			    ca->name, CADB_PROFPOL_MAX);
			goto out;
		}
		k = m.npp++;
		m.pp[k].profile = (char *)pname;
		m.pp[k].policies = (char *)policies;
		m.pp[k].cps = (char *)cps;
	}
	if (cadb_meta_save(ca->ws, ca->name, &m, e) == -1) {
		err_wrap(e, "CA '%s'", ca->name);
		goto out;
	}
	/* Saved: the CA's copy follows. */
	for (i = 0; i < ca->meta.npp; i++)
		if (strcmp(ca->meta.pp[i].profile, pname) == 0) {
			free(ca->meta.pp[i].profile);
			free(ca->meta.pp[i].policies);
			free(ca->meta.pp[i].cps);
			ca->meta.pp[i] = ca->meta.pp[--ca->meta.npp];
			break;
		}
	if (policies != NULL) {
		k = ca->meta.npp++;
		ca->meta.pp[k].profile = xstrdup(pname);
		ca->meta.pp[k].policies = xstrdup(policies);
		ca->meta.pp[k].cps = cps != NULL ? xstrdup(cps) : NULL;
		snprintf(d, sizeof d, "profile %s policies %s%s%s", pname, pols,
		    cps != NULL ? " cps " : "", cps != NULL ? cps : "");
	} else
		snprintf(d, sizeof d, "profile %s policies cleared", pname);
	rc = audit_append(ca->ws, ca->name, "set-policy", d, e);
out:
	ext_info_clear(&x);
	return rc;
}
