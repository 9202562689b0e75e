/* keygen.c — the forms whose work is slow and runs as a job (job.c): a
 * new key, a root CA (with its policies, as `ca init --policy --cps`),
 * the demo lab. The child makes the keys with the same calls the CLI
 * makes; the parent keeps no copy of the passphrase. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "role/ca.h"
#include "role/capolicy.h"
#include "role/demo.h"
#include "role/entity.h"
#include "tui/ui.h"
#include "x509/dn.h"

enum keygen_kind { KEYGEN_KEY, KEYGEN_CA, KEYGEN_DEMO };

/* The root CA form's fields, in order. */
enum {
	RC_NAME, RC_CN, RC_O, RC_C, RC_KEY, RC_DAYS, RC_POLICY, RC_CPS,
	RC_PASS, RC_PASS2,
};

/* What the job needs: filled by a form's submit, the child's copy made by
 * fork; the parent wipes its passphrase at once (keygen_go). */
struct keygen_arg {
	enum keygen_kind kind;
	char name[WS_NAME_MAX + 1];
	char subject[UI_FIELD_MAX * 4];
	unsigned bits;		/* RSA; 0 for a P-256 key */
	long days;
	char policy[UI_FIELD_MAX], cps[UI_FIELD_MAX];	/* CA; "": none */
	char pass[UI_FIELD_MAX];
	size_t passlen;
	unsigned ticks;
	int fd;
};

static struct keygen_arg kg_arg;

static void
keygen_progress(void *ctx, int c)
{
	struct keygen_arg *a = ctx;

	(void)c;
	if (++a->ticks % 64 == 0)
		job_report(a->fd, "P searching for primes (%u candidates)",
		    a->ticks);
}

static void
keygen_stage(void *ctx, const char *stage)
{
	struct keygen_arg *a = ctx;

	job_report(a->fd, "S %s", stage);
}

static void
keygen_run(struct ui *u, void *arg, int fd)
{
	struct keygen_arg *a = arg;
	struct capolicy pol;
	struct err e;
	struct dn subject;
	uint8_t *der = NULL;
	size_t len = 0;
	int rc = -1;

	err_clear(&e);
	a->fd = fd;
	dn_init(&subject);
	capolicy_init(&pol);
	switch (a->kind) {
	case KEYGEN_KEY:
		job_report_keygen(fd, "a", a->bits);
		if (a->bits == 0)
			rc = entity_new_ec_key(&u->ws, a->name, a->pass,
			    a->passlen, NULL, &e);
		else
			rc = entity_new_key(&u->ws, a->name, a->bits, a->pass,
			    a->passlen, a, keygen_progress, NULL, &e);
		break;
	case KEYGEN_CA:
		job_report_keygen(fd, "the CA's", a->bits);
		pol.policies = a->policy[0] ? a->policy : NULL;
		pol.cps = a->cps[0] ? a->cps : NULL;
		if (dn_from_string(&subject, a->subject, &e) == 0)
			rc = ca_create_policy(&u->ws, a->name, &subject,
			    a->bits == 0 ? PKEY_EC : PKEY_RSA, a->bits,
			    a->days, (int64_t)time(NULL), &pol, a->pass,
			    a->passlen, a, keygen_progress, &der, &len, &e);
		break;
	case KEYGEN_DEMO:
		rc = demo_create(&u->ws, a->pass, a->passlen, a, keygen_stage,
		    &e);
	}
	explicit_bzero(a->pass, sizeof a->pass);
	free(der);
	dn_clear(&subject);
	job_finish(fd, rc, &e);
}

static void
keygen_done(struct ui *u, int ok, const char *msg)
{
	if (!job_done_ok(u, ok, msg))
		return;
	switch (kg_arg.kind) {
	case KEYGEN_KEY:
		ui_log(u, "key '%s' made: keys/%s.yaml (r: make a request)",
		    kg_arg.name, kg_arg.name);
		ui_fmt(u->last_ent, sizeof u->last_ent, "%s", kg_arg.name);
		break;
	case KEYGEN_CA:
		ui_log(u, "CA '%s' created: keys/%s.yaml, ca/%s/%s%s%s",
		    kg_arg.name, kg_arg.name, kg_arg.name,
		    kg_arg.policy[0] ? " (policies " : "", kg_arg.policy,
		    kg_arg.policy[0] ? kg_arg.cps[0] ? " with CPS)" : ")" :
		    "");
		break;
	case KEYGEN_DEMO:
		ui_log(u, "demo lab ready: CA %s, entities server, alice, bob",
		    DEMO_CA);
		ui_set_screen(u, &scr_entities);
		return;
	}
	job_show_entity(u, kg_arg.name);
}

static int
keygen_go(struct ui *u, const char *what)
{
	const struct job_secret s = { kg_arg.pass, sizeof kg_arg.pass };

	return job_start_secret(u, what, keygen_done, keygen_run, &kg_arg,
	    &s, 1);
}

static void
keygen_pass(struct form *fm, int i)
{
	ui_fmt(kg_arg.pass, sizeof kg_arg.pass, "%s", fm->f[i].val);
	kg_arg.passlen = strlen(kg_arg.pass);
}

/* create CA: name, CN, O, C, key, days, policies, CPS, passphrase
 * twice */
static int
submit_ca(struct ui *u, struct form *fm)
{
	struct buf b;
	struct dn dn;
	struct err e;

	if (field_pass_twice(fm, RC_PASS, RC_PASS2) == -1)
		return -1;
	if (keystore_exists(&u->ws, fm->f[RC_NAME].val)) {
		ui_fmt(fm->f[RC_NAME].err, sizeof fm->f[RC_NAME].err, "'%s' "
		    "exists already", fm->f[RC_NAME].val);
		fm->cur = RC_NAME;
		return -1;
	}
	if (field_policy_pair(fm, RC_POLICY, RC_CPS) == -1)
		return -1;
	buf_init(&b);
	field_dn_part(&b, "CN", fm->f[RC_CN].val);
	field_dn_part(&b, "O", fm->f[RC_O].val);
	field_dn_part(&b, "C", fm->f[RC_C].val);
	dn_init(&dn);
	if (dn_from_string(&dn, (const char *)b.data, &e) == -1) {
		ui_fmt(fm->f[RC_CN].err, sizeof fm->f[RC_CN].err, "%s", e.msg);
		dn_clear(&dn);
		buf_clear(&b);
		return -1;
	}
	dn_clear(&dn);
	memset(&kg_arg, 0, sizeof kg_arg);
	kg_arg.kind = KEYGEN_CA;
	ui_fmt(kg_arg.name, sizeof kg_arg.name, "%s", fm->f[RC_NAME].val);
	ui_fmt(kg_arg.subject, sizeof kg_arg.subject, "%s", b.data);
	kg_arg.bits = field_key_bits(fm->f[RC_KEY].val);
	kg_arg.days = atol(fm->f[RC_DAYS].val);
	ui_fmt(kg_arg.policy, sizeof kg_arg.policy, "%s",
	    fm->f[RC_POLICY].val);
	ui_fmt(kg_arg.cps, sizeof kg_arg.cps, "%s", fm->f[RC_CPS].val);
	keygen_pass(fm, RC_PASS);
	buf_clear(&b);
	ui_set_openssl(u, "openssl req -x509 -newkey %s%s -sha256 -days %ld "
	    "-subj '/CN=...' -addext basicConstraints=critical,CA:TRUE "
	    "-addext keyUsage=critical,keyCertSign,cRLSign%s%s -keyout %s.key "
	    "-out %s.crt", kg_arg.bits == 0 ? "ec -pkeyopt "
	    "ec_paramgen_curve:P-256" : "rsa:", kg_arg.bits == 0 ? "" :
	    fm->f[RC_KEY].val, kg_arg.days, kg_arg.policy[0] ?
	    " -addext certificatePolicies=" : "", kg_arg.policy, kg_arg.name,
	    kg_arg.name);
	keygen_go(u, "create CA");
	return 0;
}

void
keygen_open_ca(struct ui *u)
{
	struct field *f;

	form_begin(u, "Create a root CA", submit_ca, 0);
	f = form_add(u, "CA name", u->ncas ? "" : "ca");
	f->check = field_check_name;
	f->hint = "the keystore and database name";
	f = form_add(u, "Common name (CN)", "minipki Root CA");
	f->check = field_check_required;
	form_add(u, "Organization (O)", "");
	f = form_add(u, "Country (C)", "");
	f->check = field_check_country;
	form_add_key(u, "3072");
	f = form_add(u, "Validity (days)", "3650");
	f->check = field_check_days;
	form_add_policy(u, "certificatePolicies OID[,OID] or anyPolicy "
	    "(empty: none)");
	form_add_pass_twice(u, "encrypts the CA key in its keystore");
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl req -x509 "
	    "-newkey rsa:3072 -sha256 -days 3650 -subj '/CN=minipki Root CA' "
	    "-addext basicConstraints=critical,CA:TRUE -addext "
	    "keyUsage=critical,keyCertSign,cRLSign -keyout ca.key -out ca.crt");
}

static int
submit_demo(struct ui *u, struct form *fm)
{
	if (field_pass_twice(fm, 0, 1) == -1)
		return -1;
	memset(&kg_arg, 0, sizeof kg_arg);
	kg_arg.kind = KEYGEN_DEMO;
	keygen_pass(fm, 0);
	keygen_go(u, "demo lab");
	return 0;
}

void
keygen_open_demo(struct ui *u)
{
	form_begin(u, "Create the demo lab (demo-ca, server, alice, bob)",
	    submit_demo, 0);
	form_add_pass_twice(u, "one passphrase for all four keystores");
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl req -x509 "
	    "-newkey rsa:2048 -subj '/CN=minipki Demo Root CA' -keyout ca.key "
	    "-out ca.crt; then per entity: openssl req -new, openssl x509 -req");
}

static int
submit_key(struct ui *u, struct form *fm)
{
	if (field_pass_twice(fm, 2, 3) == -1)
		return -1;
	if (keystore_exists(&u->ws, fm->f[0].val)) {
		ui_fmt(fm->f[0].err, sizeof fm->f[0].err, "keystore '%s' "
		    "exists already", fm->f[0].val);
		fm->cur = 0;
		return -1;
	}
	memset(&kg_arg, 0, sizeof kg_arg);
	kg_arg.kind = KEYGEN_KEY;
	ui_fmt(kg_arg.name, sizeof kg_arg.name, "%s", fm->f[0].val);
	kg_arg.bits = field_key_bits(fm->f[1].val);
	keygen_pass(fm, 2);
	if (kg_arg.bits == 0)
		ui_set_openssl(u, "openssl genpkey -algorithm EC -pkeyopt "
		    "ec_paramgen_curve:P-256 -aes-256-cbc -out %s.key",
		    kg_arg.name);
	else
		ui_set_openssl(u, "openssl genpkey -algorithm RSA -pkeyopt "
		    "rsa_keygen_bits:%u -aes-256-cbc -out %s.key",
		    kg_arg.bits, kg_arg.name);
	keygen_go(u, "key generation");
	return 0;
}

void
keygen_open_key(struct ui *u)
{
	struct field *f;

	form_begin(u, "New key", submit_key, 0);
	f = form_add(u, "Entity name", "");
	f->check = field_check_name;
	f->hint = "letters, digits, '.', '_' and '-'";
	f = form_add_key(u, "2048");
	f->hint = "Left/Right: RSA 2048/3072/4096 (4096 is slow) or EC "
	    "P-256";
	form_add_pass_twice(u, NULL);
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl genpkey "
	    "-algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes-256-cbc "
	    "-out NAME.key");
}

