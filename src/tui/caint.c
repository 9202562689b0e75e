/* caint.c — the form that makes an intermediate CA, as `ca init NAME
 * --parent P [--type ec]` does: an RSA or P-256 key, its name
 * constraints (--permit, --exclude) and certificate policies (--policy,
 * --cps). The values are checked by the
 * same calls as the CLI's before anything runs; the key is made and
 * signed in a job (job.c), which unlocks the parent there. The parent
 * keeps no copy of either passphrase. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "role/ca.h"
#include "role/caconstr.h"
#include "role/capolicy.h"
#include "role/lifecycle.h"
#include "tui/ui.h"
#include "x509/dn.h"

/* The form's fields, in order. */
enum {
	CI_NAME, CI_PARENT, CI_CN, CI_O, CI_KEY, CI_DAYS, CI_PATHLEN,
	CI_PERMIT, CI_EXCLUDE, CI_POLICY, CI_CPS, CI_PPASS, CI_PASS, CI_PASS2,
};

/* What the job needs: filled by the submit, the child's copy made by
 * fork; the parent wipes the passphrases at once (caint_go). */
struct caint_arg {
	char name[WS_NAME_MAX + 1];
	char parent[WS_NAME_MAX + 1];
	char subject[UI_FIELD_MAX * 3];
	unsigned bits;		/* RSA; 0 for a P-256 key */
	long days, pathlen;
	char permit[UI_FIELD_MAX], exclude[UI_FIELD_MAX];
	char policy[UI_FIELD_MAX], cps[UI_FIELD_MAX];
	char ppass[UI_FIELD_MAX];
	size_t ppasslen;
	char pass[UI_FIELD_MAX];
	size_t passlen;
};

static struct caint_arg ci_arg;

static const char *
opt(const char *s)
{
	return *s != '\0' ? s : NULL;
}

static void
caint_run(struct ui *u, void *arg, int fd)
{
	struct caint_arg *a = arg;
	struct capolicy pol;
	struct ca parent;
	struct dn subject;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;
	int rc = -1;

	err_clear(&e);
	dn_init(&subject);
	ca_init(&parent);
	capolicy_init(&pol);
	pol.policies = opt(a->policy);
	pol.cps = opt(a->cps);
	job_report(fd, "S unlocking CA '%s'", a->parent);
	if (dn_from_string(&subject, a->subject, &e) == 0 &&
	    ca_open(&parent, &u->ws, a->parent, CA_WRITE, &e) == 0 &&
	    ca_unlock(&parent, a->ppass, a->ppasslen, &e) == 0) {
		job_report_keygen(fd, "the CA's", a->bits);
		rc = lifecycle_init_policy(&u->ws, a->name, &parent, &subject,
		    a->pathlen, opt(a->permit), opt(a->exclude), &pol,
		    a->bits == 0 ? PKEY_EC : PKEY_RSA, a->bits, a->days,
		    (int64_t)time(NULL), a->pass, a->passlen, &der, &len, &e);
	}
	explicit_bzero(a->pass, sizeof a->pass);
	explicit_bzero(a->ppass, sizeof a->ppass);
	free(der);
	ca_clear(&parent);
	dn_clear(&subject);
	job_finish(fd, rc, &e);
}

static void
caint_done(struct ui *u, int ok, const char *msg)
{
	if (!job_done_ok(u, ok, msg))
		return;
	ui_log(u, "CA '%s' created (intermediate, signed by CA '%s'%s%s%s%s%s)",
	    ci_arg.name, ci_arg.parent,
	    ci_arg.permit[0] || ci_arg.exclude[0] ? ", name constraints" : "",
	    ci_arg.policy[0] ? ", policies " : "", ci_arg.policy,
	    ci_arg.cps[0] ? " with CPS" : "", ci_arg.bits == 0 ?
	    "; a P-256 key" : "");
	job_show_entity(u, ci_arg.name);
}

/* -1 (none) to 16, as `ca init --pathlen`. */
static void
caint_check_pathlen(const char *v, char *err, size_t n)
{
	char *end;
	long p = strtol(v, &end, 10);

	if (*v == '\0' || *end != '\0' || p < -1 || p > 16)
		ui_fmt(err, n, "-1 (no limit) or 0 to 16");
}

/* A --permit or --exclude list, checked by the writer itself. */
static void
caint_check_names(const char *v, char *err, size_t n)
{
	struct ext_info x;
	struct err e;

	if (*v == '\0')
		return;
	ext_info_init(&x);
	if (caconstr_set(&x, v, NULL, &e) == -1)
		/* "--permit: item 1 ...": the field names the option. */
		ui_fmt(err, n, "%s", strncmp(e.msg, "--permit: ", 10) == 0 ?
		    e.msg + 10 : e.msg);
	ext_info_clear(&x);
}

static int
caint_fail(struct form *fm, int i, const char *msg)
{
	ui_fmt(fm->f[i].err, sizeof fm->f[i].err, "%s", msg);
	fm->cur = i;
	return -1;
}

static int
submit_caint(struct ui *u, struct form *fm)
{
	struct ext_info x;
	struct buf b;
	struct dn dn;
	struct err e;
	const struct job_secret secrets[] = {
		{ ci_arg.pass, sizeof ci_arg.pass },
		{ ci_arg.ppass, sizeof ci_arg.ppass },
	};
	size_t i;
	int found = 0, r;

	if (field_pass_twice(fm, CI_PASS, CI_PASS2) == -1)
		return -1;
	if (fm->f[CI_PPASS].len == 0)
		return caint_fail(fm, CI_PPASS, "the parent CA's passphrase "
		    "unlocks its key");
	if (ca_check_free(&u->ws, fm->f[CI_NAME].val, &e) == -1)
		return caint_fail(fm, CI_NAME, e.msg);
	for (i = 0; i < u->ncas; i++)
		found |= strcmp(u->cas[i], fm->f[CI_PARENT].val) == 0;
	if (!found)
		return caint_fail(fm, CI_PARENT, "no such CA in this workspace");
	/* Both lists together, and the policies with their CPS, as the CLI
	 * checks them. */
	ext_info_init(&x);
	r = caconstr_set(&x, opt(fm->f[CI_PERMIT].val),
	    opt(fm->f[CI_EXCLUDE].val), &e);
	ext_info_clear(&x);
	if (r == -1)
		return caint_fail(fm, strncmp(e.msg, "--exclude", 9) == 0 ?
		    CI_EXCLUDE : CI_PERMIT, e.msg);
	if (field_policy_pair(fm, CI_POLICY, CI_CPS) == -1)
		return -1;
	buf_init(&b);
	field_dn_part(&b, "CN", fm->f[CI_CN].val);
	field_dn_part(&b, "O", fm->f[CI_O].val);
	dn_init(&dn);
	r = dn_from_string(&dn, (const char *)b.data, &e);
	dn_clear(&dn);
	if (r == -1) {
		buf_clear(&b);
		return caint_fail(fm, CI_CN, e.msg);
	}
	memset(&ci_arg, 0, sizeof ci_arg);
	ui_fmt(ci_arg.name, sizeof ci_arg.name, "%s", fm->f[CI_NAME].val);
	ui_fmt(ci_arg.parent, sizeof ci_arg.parent, "%s",
	    fm->f[CI_PARENT].val);
	ui_fmt(ci_arg.subject, sizeof ci_arg.subject, "%s", b.data);
	buf_clear(&b);
	ci_arg.bits = field_key_bits(fm->f[CI_KEY].val);
	ci_arg.days = atol(fm->f[CI_DAYS].val);
	ci_arg.pathlen = atol(fm->f[CI_PATHLEN].val);
	ui_fmt(ci_arg.permit, sizeof ci_arg.permit, "%s",
	    fm->f[CI_PERMIT].val);
	ui_fmt(ci_arg.exclude, sizeof ci_arg.exclude, "%s",
	    fm->f[CI_EXCLUDE].val);
	ui_fmt(ci_arg.policy, sizeof ci_arg.policy, "%s",
	    fm->f[CI_POLICY].val);
	ui_fmt(ci_arg.cps, sizeof ci_arg.cps, "%s", fm->f[CI_CPS].val);
	ui_fmt(ci_arg.ppass, sizeof ci_arg.ppass, "%s", fm->f[CI_PPASS].val);
	ci_arg.ppasslen = strlen(ci_arg.ppass);
	ui_fmt(ci_arg.pass, sizeof ci_arg.pass, "%s", fm->f[CI_PASS].val);
	ci_arg.passlen = strlen(ci_arg.pass);
	/* The job takes the parent's lock itself: the parent open here
	 * (unlocked for issuing) would hold it. */
	if (u->ca.name != NULL && strcmp(u->ca.name, ci_arg.parent) == 0)
		lc_ca_lock(u);
	job_start_secret(u, "create intermediate CA", caint_done, caint_run,
	    &ci_arg, secrets, 2);
	return 0;
}

void
caint_open(struct ui *u)
{
	const char *sel = scr_entities_selected(u), *parent = "";
	struct field *f;
	size_t i;

	if (u->ncas == 0) {
		ui_log(u, "no CA yet: c creates a root CA first");
		return;
	}
	/* The selected entity when it is a CA, else the first CA. */
	parent = u->cas[0];
	for (i = 0; sel != NULL && i < u->ncas; i++)
		if (strcmp(u->cas[i], sel) == 0)
			parent = sel;
	form_begin(u, "Create an intermediate CA", submit_caint, 0);
	f = form_add(u, "CA name", "");
	f->check = field_check_name;
	f->hint = "the new CA's keystore and database name";
	f = form_add(u, "Parent CA", parent);
	f->check = field_check_name;
	f->hint = "the CA that signs it (its passphrase is asked below)";
	f = form_add(u, "Common name (CN)", "");
	f->check = field_check_required;
	form_add(u, "Organization (O)", "");
	form_add_key(u, "3072");
	f = form_add(u, "Validity (days)", "1825");
	f->check = field_check_days;
	f = form_add(u, "Path length", "0");
	f->check = caint_check_pathlen;
	f->hint = "CAs allowed below it: 0 (leaves only) to 16, -1 no limit";
	f = form_add(u, "Permitted names", "");
	f->check = caint_check_names;
	f->hint = "name constraints: DNS:lab.example,email:lab.example,"
	    "IP:10.20.0.0/16,URI:.lab.example,dirName:O=Lab (empty: none)";
	f = form_add(u, "Excluded names", "");
	f->check = caint_check_names;
	f->hint = "names it may not certify, in the same form (empty: none)";
	form_add_policy(u, "certificatePolicies OID[,OID] or anyPolicy, "
	    "within the parent's (empty: the parent's)");
	f = form_add(u, "Parent passphrase", "");
	f->masked = 1;
	f->hint = "unlocks the parent CA's key to sign the new certificate";
	form_add_pass_twice(u, "encrypts the new CA's key in its keystore");
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl x509 -req "
	    "-in int.csr -CA %s.crt -CAkey %s.key -days 1825 -extfile ext.cnf "
	    "(basicConstraints=critical,CA:TRUE,pathlen:0; nameConstraints="
	    "critical,permitted;DNS:lab.example; certificatePolicies=OID)",
	    parent, parent);
}
