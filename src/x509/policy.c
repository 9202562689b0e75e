/* policy.c — the valid_policy_tree of RFC 5280 6.1; see policy.h.
 *
 * Nodes live in one array in the order they were made, so a parent always
 * comes before its children; a deleted node is marked dead. A node's
 * valid_policy is an index into the path's table of distinct policy OIDs
 * (0 is anyPolicy) and its expected_policy_set a bit set over that table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "x509/polext.h"
#include "x509/policy.h"

#define ANY 0u		/* the table index of anyPolicy */
#define SETW ((POLICY_MAX_OIDS + 63) / 64)

struct pnode {
	int parent;		/* -1 for the root */
	unsigned depth;
	unsigned oid;
	int dead;
	uint64_t exp[SETW];	/* expected_policy_set */
};

struct ptree {
	struct pnode *v;
	size_t n;
	struct pol_oid oids[POLICY_MAX_OIDS];
	size_t noids;
	int null;		/* valid_policy_tree is NULL */
	int full;		/* a bound was hit */
};

static void
set_add(uint64_t *s, unsigned b)
{
	s[b / 64] |= (uint64_t)1 << (b % 64);
}

static int
set_has(const uint64_t *s, unsigned b)
{
	return (s[b / 64] >> (b % 64)) & 1;
}

/* The table index of o, adding it; -1 (and t->full) when the table is full. */
static int
intern(struct ptree *t, const struct pol_oid *o)
{
	size_t i;

	for (i = 0; i < t->noids; i++)
		if (pol_oid_eq(&t->oids[i], o))
			return (int)i;
	if (t->noids == POLICY_MAX_OIDS) {
		t->full = 1;
		return -1;
	}
	t->oids[t->noids] = *o;
	return (int)t->noids++;
}

static int
add_node(struct ptree *t, int parent, unsigned depth, unsigned oid,
    const uint64_t *exp)
{
	struct pnode *nd;

	if (t->n == POLICY_MAX_NODES) {
		t->full = 1;
		return -1;
	}
	if (t->n % 64 == 0)
		t->v = xreallocarray(t->v, t->n + 64, sizeof *t->v);
	nd = &t->v[t->n];
	memset(nd, 0, sizeof *nd);
	nd->parent = parent;
	nd->depth = depth;
	nd->oid = oid;
	if (exp != NULL)
		memcpy(nd->exp, exp, sizeof nd->exp);
	else
		set_add(nd->exp, oid);
	return (int)t->n++;
}

/* Kills the descendants of dead nodes (parents come first). */
static void
kill_orphans(struct ptree *t)
{
	size_t k;

	for (k = 0; k < t->n; k++)
		if (!t->v[k].dead && t->v[k].parent >= 0 &&
		    t->v[t->v[k].parent].dead)
			t->v[k].dead = 1;
}

/* Deletes nodes of depth <= maxdepth that have no children, repeatedly
 * (deepest first makes one pass enough); the tree becomes NULL with its
 * root. */
static void
prune(struct ptree *t, unsigned maxdepth)
{
	unsigned char *kids;
	size_t k;
	unsigned d;

	kids = xcalloc(t->n > 0 ? t->n : 1, 1);
	for (d = maxdepth + 1; d-- > 0;) {
		memset(kids, 0, t->n);
		for (k = 0; k < t->n; k++)
			if (!t->v[k].dead && t->v[k].depth == d + 1 &&
			    t->v[k].parent >= 0)
				kids[t->v[k].parent] = 1;
		for (k = 0; k < t->n; k++)
			if (!t->v[k].dead && t->v[k].depth == d && !kids[k])
				t->v[k].dead = 1;
	}
	free(kids);
	if (t->n == 0 || t->v[0].dead)
		t->null = 1;
}

static void
self_null(struct ptree *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
	t->null = 1;
}

static int
self_issued(const struct cert *c)
{
	return dn_equal(&c->subject, &c->issuer);
}

/* 6.1.3 (d): the tree grows a level for certificate i's policies. */
static void
grow(struct ptree *t, const struct pol_info *pi, unsigned i, int any_ok)
{
	size_t before = t->n, k, j;
	uint64_t kids[SETW];
	int id, matched, has_any = 0;
	unsigned b;

	for (j = 0; j < pi->npolicies && !t->full; j++) {
		if (pol_oid_is_any(&pi->policies[j])) {
			has_any = 1;
			continue;
		}
		if ((id = intern(t, &pi->policies[j])) < 0)
			return;
		matched = 0;
		for (k = 0; k < before; k++)
			if (!t->v[k].dead && t->v[k].depth == i - 1 &&
			    set_has(t->v[k].exp, (unsigned)id)) {
				add_node(t, (int)k, i, (unsigned)id, NULL);
				matched = 1;
			}
		for (k = 0; k < before && !matched; k++)
			if (!t->v[k].dead && t->v[k].depth == i - 1 &&
			    t->v[k].oid == ANY)
				add_node(t, (int)k, i, (unsigned)id, NULL);
	}
	if (has_any && any_ok) {
		for (k = 0; k < before && !t->full; k++) {
			if (t->v[k].dead || t->v[k].depth != i - 1)
				continue;
			memset(kids, 0, sizeof kids);
			for (j = before; j < t->n; j++)
				if (t->v[j].parent == (int)k)
					set_add(kids, t->v[j].oid);
			for (b = 0; b < t->noids && !t->full; b++)
				if (set_has(t->v[k].exp, b) && !set_has(kids, b))
					add_node(t, (int)k, i, b, NULL);
		}
	}
	if (!t->full)
		prune(t, i - 1);
}

/* 6.1.4 (b): policyMappings of certificate i, mapping allowed or not. */
static void
map_level(struct ptree *t, const struct pol_info *pi, unsigned i, int allowed)
{
	uint64_t mapped[SETW];
	size_t j, m, k, before;
	int id, sid, found;

	for (j = 0; j < pi->nmaps && !t->full && !t->null; j++) {
		/* Each issuerDomainPolicy once, at its first mapping. */
		for (m = 0; m < j; m++)
			if (pol_oid_eq(&pi->maps[m].issuer, &pi->maps[j].issuer))
				break;
		if (m < j)
			continue;
		if ((id = intern(t, &pi->maps[j].issuer)) < 0)
			return;
		if (!allowed) {
			for (k = 0; k < t->n; k++)
				if (!t->v[k].dead && t->v[k].depth == i &&
				    t->v[k].oid == (unsigned)id)
					t->v[k].dead = 1;
			continue;
		}
		memset(mapped, 0, sizeof mapped);
		for (m = j; m < pi->nmaps; m++) {
			if (!pol_oid_eq(&pi->maps[m].issuer, &pi->maps[j].issuer))
				continue;
			if ((sid = intern(t, &pi->maps[m].subject)) < 0)
				return;
			set_add(mapped, (unsigned)sid);
		}
		found = 0;
		before = t->n;
		for (k = 0; k < before; k++)
			if (!t->v[k].dead && t->v[k].depth == i &&
			    t->v[k].oid == (unsigned)id) {
				memcpy(t->v[k].exp, mapped, sizeof mapped);
				found = 1;
			}
		for (k = 0; k < before && !found; k++)
			if (!t->v[k].dead && t->v[k].depth == i &&
			    t->v[k].oid == ANY) {
				add_node(t, t->v[k].parent, i, (unsigned)id,
				    mapped);
				break;
			}
	}
	if (!allowed && !t->full && !t->null && i > 0)
		prune(t, i - 1);
}

/* 6.1.5 (g): the intersection with the user's initial policy set. */
static void
intersect(struct ptree *t, const uint64_t *user, unsigned n)
{
	size_t k, before, a = (size_t)-1;
	uint64_t top[SETW];
	unsigned b;
	int par;

	memset(top, 0, sizeof top);
	for (k = 0; k < t->n; k++) {
		struct pnode *nd = &t->v[k];

		if (nd->dead || nd->oid == ANY || nd->parent < 0 ||
		    t->v[nd->parent].oid != ANY)
			continue;
		if (!set_has(user, nd->oid))
			nd->dead = 1;
		else
			set_add(top, nd->oid);
	}
	kill_orphans(t);
	for (k = 0; k < t->n; k++)
		if (!t->v[k].dead && t->v[k].depth == n && t->v[k].oid == ANY)
			a = k;
	if (a != (size_t)-1) {
		par = t->v[a].parent;
		before = t->n;
		for (b = 1; b < t->noids && !t->full; b++)
			if (set_has(user, b) && !set_has(top, b))
				add_node(t, par, n, b, NULL);
		(void)before;
		t->v[a].dead = 1;
	}
	if (!t->full)
		prune(t, n - 1);
}

/* Appends the policy text of table entry oid to b unless seen; ids are
 * marked in seen. */
static void
put_policy(const struct ptree *t, unsigned oid, uint64_t *seen, size_t *cnt,
    struct buf *b)
{
	char txt[128];

	if (set_has(seen, oid))
		return;
	set_add(seen, oid);
	if ((*cnt)++ == 8) {
		buf_puts(b, ", ...");
		return;
	}
	if (*cnt > 9)
		return;
	pol_oid_text(&t->oids[oid], txt, sizeof txt);
	buf_printf(b, "%s%s", *cnt > 1 ? ", " : "", txt);
}

/* The policies the path is valid for, for the step: in the trust
 * anchor's domain (each leaf's top-most ancestor that is not anyPolicy,
 * the user-constrained policy set), then, when mappings made them differ,
 * as the leaves name them. */
static void
leaf_policies(const struct ptree *t, unsigned n, struct buf *b)
{
	uint64_t seen[SETW];
	size_t k, cnt = 0;
	int top, mapped = 0;

	memset(seen, 0, sizeof seen);
	for (k = 0; k < t->n; k++) {
		if (t->v[k].dead || t->v[k].depth != n)
			continue;
		for (top = (int)k; t->v[top].parent >= 0 &&
		    t->v[t->v[top].parent].oid != ANY; top = t->v[top].parent)
			;
		put_policy(t, t->v[top].oid, seen, &cnt, b);
		mapped |= t->v[top].oid != t->v[k].oid;
	}
	if (cnt == 0) {
		buf_puts(b, "none");
		return;
	}
	if (!mapped)
		return;
	buf_puts(b, "; mapped, the end entity names ");
	memset(seen, 0, sizeof seen);
	cnt = 0;
	for (k = 0; k < t->n; k++)
		if (!t->v[k].dead && t->v[k].depth == n)
			put_policy(t, t->v[k].oid, seen, &cnt, b);
}

void
policy_check_path(const struct verify_params *p, const struct cert *const *path,
    size_t len, struct verify_result *r)
{
	struct pol_info *info = NULL;
	struct ptree t;
	uint64_t user[SETW];
	long explicit_policy, inhibit_any, policy_mapping;
	unsigned n, i;
	size_t j;
	int relevant, user_any = 1, id;
	char *nm = NULL, why[320];
	struct pol_oid o;
	struct buf b;
	struct err e;

	memset(&t, 0, sizeof t);
	buf_init(&b);
	if (len < 2)
		return;
	n = (unsigned)(len - 1);
	relevant = p->npolicies > 0 || p->explicit_policy ||
	    p->inhibit_mapping || p->inhibit_any;
	info = xcalloc(n + 1, sizeof *info);
	for (i = 1; i <= n; i++) {
		const struct cert *c = path[len - 1 - i];

		err_clear(&e);
		if (polext_read_cert(c, &info[i], &e) == -1) {
			nm = dn_quoted(&c->subject);
			verify_step_add(r, VERIFY_MALFORMED, xasprintf("policy "
			    "extensions of %s", nm), "%s", e.msg);
			goto out;
		}
		relevant |= info[i].has_policies || info[i].has_mappings ||
		    info[i].has_constraints || info[i].has_inhibit_any;
	}
	if (!relevant)
		goto out;
	/* 6.1.2: the root, and the user's set as bits in the same table. */
	memset(&o, 0, sizeof o);
	pol_oid_from_text(&o, "anyPolicy", NULL);
	intern(&t, &o);
	add_node(&t, -1, 0, ANY, NULL);
	memset(user, 0, sizeof user);
	for (j = 0; j < p->npolicies; j++) {
		err_clear(&e);
		if (pol_oid_from_text(&o, p->policies[j], &e) == -1) {
			verify_step_add(r, VERIFY_MALFORMED, xstrdup("certificate "
			    "policies"), "%s", e.msg);
			goto out;
		}
		if (pol_oid_is_any(&o))
			break;
		user_any = 0;
		if ((id = intern(&t, &o)) >= 0)
			set_add(user, (unsigned)id);
	}
	if (j < p->npolicies)
		user_any = 1;
	explicit_policy = p->explicit_policy ? 0 : (long)n + 1;
	inhibit_any = p->inhibit_any ? 0 : (long)n + 1;
	policy_mapping = p->inhibit_mapping ? 0 : (long)n + 1;
	why[0] = '\0';
	for (i = 1; i <= n && !t.full; i++) {
		const struct cert *c = path[len - 1 - i];
		const struct pol_info *pi = &info[i];

		free(nm);
		nm = dn_quoted(&c->subject);
		if (pi->has_policies && !t.null) {
			grow(&t, pi, i, inhibit_any > 0 || (i < n &&
			    self_issued(c)));
			if (t.null)
				snprintf(why, sizeof why, "none of the policies "
				    "of %.150s is acceptable", nm);
		} else if (!pi->has_policies && !t.null) {
			self_null(&t);
			snprintf(why, sizeof why, "%.150s has no "
			    "certificatePolicies", nm);
		}
		if (t.full)
			break;
		if (explicit_policy <= 0 && t.null) {
			verify_step_add(r, VERIFY_POLICY, xstrdup("certificate "
			    "policies"), "an explicit policy is required and "
			    "no valid policy is left at %s: %s", nm, why);
			goto out;
		}
		if (i == n)
			break;
		/* 6.1.4: preparation for certificate i+1. */
		for (j = 0; j < pi->nmaps; j++)
			if (pol_oid_is_any(&pi->maps[j].issuer) ||
			    pol_oid_is_any(&pi->maps[j].subject)) {
				verify_step_add(r, VERIFY_POLICY, xasprintf(
				    "policy mappings of %s", nm), "anyPolicy "
				    "may not be mapped (RFC 5280 6.1.4 (a))");
				goto out;
			}
		if (pi->has_mappings && !t.null) {
			map_level(&t, pi, i, policy_mapping > 0);
			if (t.null)
				snprintf(why, sizeof why, "policy mapping is "
				    "inhibited at %.150s and its mapped "
				    "policies were deleted", nm);
		}
		if (!self_issued(c)) {
			if (explicit_policy > 0)
				explicit_policy--;
			if (policy_mapping > 0)
				policy_mapping--;
			if (inhibit_any > 0)
				inhibit_any--;
		}
		if (pi->require_explicit >= 0 &&
		    pi->require_explicit < explicit_policy)
			explicit_policy = pi->require_explicit;
		if (pi->inhibit_mapping >= 0 &&
		    pi->inhibit_mapping < policy_mapping)
			policy_mapping = pi->inhibit_mapping;
		if (pi->has_inhibit_any && pi->inhibit_any < inhibit_any)
			inhibit_any = pi->inhibit_any;
	}
	if (t.full) {
		verify_step_add(r, VERIFY_POLICY, xstrdup("certificate policies"),
		    "the policy tree would exceed %d nodes or %d distinct "
		    "policies: refused", POLICY_MAX_NODES, POLICY_MAX_OIDS);
		goto out;
	}
	/* 6.1.5: wrap-up at the leaf. */
	if (explicit_policy > 0)
		explicit_policy--;
	if (info[n].require_explicit == 0)
		explicit_policy = 0;
	if (!t.null && !user_any) {
		intersect(&t, user, n);
		if (t.null)
			snprintf(why, sizeof why, "no valid policy is in the "
			    "initial policy set");
	}
	if (t.full) {
		verify_step_add(r, VERIFY_POLICY, xstrdup("certificate policies"),
		    "the policy tree would exceed %d nodes: refused",
		    POLICY_MAX_NODES);
		goto out;
	}
	if (explicit_policy <= 0 && t.null) {
		verify_step_add(r, VERIFY_POLICY, xstrdup("certificate policies"),
		    "an explicit policy is required and the policy tree is "
		    "empty: %s", why);
		goto out;
	}
	buf_puts(&b, "initial set ");
	if (user_any)
		buf_puts(&b, "anyPolicy");
	for (j = 0; j < p->npolicies && !user_any; j++)
		buf_printf(&b, "%s%s", j ? ", " : "", p->policies[j]);
	if (t.null) {
		buf_printf(&b, "; no valid policy (%s), none required", why);
	} else {
		buf_puts(&b, "; valid for ");
		leaf_policies(&t, n, &b);
		buf_printf(&b, "%s", explicit_policy <= 0 ?
		    " (explicit policy required)" : "");
	}
	verify_step_add(r, VERIFY_OK, xstrdup("certificate policies"), "%s",
	    (const char *)b.data);
out:
	buf_clear(&b);
	free(nm);
	free(info);
	free(t.v);
}
