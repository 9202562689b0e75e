/* screens.c — the screens (welcome, entities, inventory, issue, detail,
 * verify) and the actions behind their forms. Every operation is a call
 * into role/, x509/ or store/: the same ones the CLI makes. */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "asn1/oid.h"
#include "asn1/pem.h"
#include "role/ca.h"
#include "role/demo.h"
#include "role/entity.h"
#include "role/lifecycle.h"
#include "role/profile.h"
#include "tui/ui.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/crl.h"
#include "x509/kind.h"
#include "x509/pkey.h"
#include "x509/text.h"
#include "x509/verify.h"

#define SOON_DAYS 30

static const char *const bits_choices[] = { "2048", "3072", "4096", NULL };
static const char *const purpose_choices[] = { "server", "client", "any",
	NULL };
static const char *const what_choices[] = { "certificate", "key", NULL };
static const char *const format_choices[] = { "PEM", "DER", NULL };
static const char *const yesno_choices[] = { "yes", "no", NULL };

/* ---- field checks: the message appears under the field ---- */

static void
check_name(const char *v, char *err, size_t n)
{
	struct err e;

	if (ws_check_name(v, &e) == -1)
		ui_fmt(err, n, "%s", e.msg);
}

static void
check_required(const char *v, char *err, size_t n)
{
	if (*v == '\0')
		ui_fmt(err, n, "required");
}

static void
check_country(const char *v, char *err, size_t n)
{
	if (*v != '\0' && (strlen(v) != 2 || !isalpha((unsigned char)v[0]) ||
	    !isalpha((unsigned char)v[1])))
		ui_fmt(err, n, "two letters, such as DE or US");
}

static void
check_email(const char *v, char *err, size_t n)
{
	if (*v != '\0' && strchr(v, '@') == NULL)
		ui_fmt(err, n, "an address needs an '@'");
}

static void
check_san(const char *v, char *err, size_t n)
{
	struct san_list l;
	struct err e;

	if (*v == '\0')
		return;
	san_list_init(&l);
	if (san_parse_list(&l, v, &e) == -1)
		ui_fmt(err, n, "%s", e.msg);
	san_list_clear(&l);
}

static void
check_days(const char *v, char *err, size_t n)
{
	char *end;
	long d = strtol(v, &end, 10);

	if (*v == '\0' || *end != '\0' || d < 1 || d > CA_MAX_DAYS)
		ui_fmt(err, n, "a number of days, 1 to %d", CA_MAX_DAYS);
}

static void
check_pass(const char *v, char *err, size_t n)
{
	if (*v == '\0')
		ui_fmt(err, n, "a passphrase is required");
}

/* Appends "KEY=value" with the characters dn_from_string treats
 * specially escaped. */
static void
dn_part(struct buf *b, const char *key, const char *v)
{
	if (*v == '\0')
		return;
	if (b->len > 0)
		buf_putc(b, ',');
	buf_puts(b, key);
	buf_putc(b, '=');
	for (; *v; v++) {
		if (strchr(",+\\=/\"", *v) != NULL)
			buf_putc(b, '\\');
		buf_putc(b, *v);
	}
}

/* ---- lists ---- */

static int
ent_matches(struct ui *u, size_t i)
{
	const char *f = u->ent_filter;

	return *f == '\0' || strcasestr(u->ents[i], f) != NULL ||
	    strcasestr(u->sums[i].subject, f) != NULL;
}

static void
ent_filter_apply(struct ui *u)
{
	size_t i;

	free(u->ent_idx);
	u->ent_idx = xcalloc(u->nents + 1, sizeof *u->ent_idx);
	u->nent_idx = 0;
	for (i = 0; i < u->nents; i++)
		if (ent_matches(u, i))
			u->ent_idx[u->nent_idx++] = i;
	if (u->ent_cur >= u->nent_idx)
		u->ent_cur = u->nent_idx ? u->nent_idx - 1 : 0;
}

void
scr_refresh_lists(struct ui *u)
{
	struct err e;
	struct keystore ks;
	struct cadb_meta m;
	size_t i;

	ws_free_list(u->ents, u->nents);
	free(u->sums);
	u->ents = NULL;
	u->sums = NULL;
	u->nents = 0;
	ws_free_list(u->cas, u->ncas);
	u->cas = NULL;
	u->ncas = 0;
	if (ws_list_keystores(&u->ws, &u->ents, &u->nents, &e) == -1)
		ui_error(u, &e);
	if (ws_list_cas(&u->ws, &u->cas, &u->ncas, &e) == -1)
		ui_error(u, &e);
	u->sums = xcalloc(u->nents + 1, sizeof *u->sums);
	for (i = 0; i < u->nents; i++) {
		struct ent_sum *s = &u->sums[i];

		keystore_init(&ks);
		if (keystore_load(&u->ws, u->ents[i], &ks, &e) == 0) {
			s->bits = ks.bits;
			s->has_cert = ks.cert_pem != NULL;
			ui_fmt(s->subject, sizeof s->subject, "%s",
			    ks.subject ? ks.subject : "");
			ui_fmt(s->not_after, sizeof s->not_after, "%s",
			    ks.not_after ? ks.not_after : "");
			ui_fmt(s->created, sizeof s->created, "%s",
			    ks.created ? ks.created : "");
		} else
			ui_fmt(s->subject, sizeof s->subject, "(%s)", e.msg);
		keystore_clear(&ks);
		cadb_meta_init(&m);
		s->is_ca = cadb_meta_load(&u->ws, u->ents[i], &m, NULL) == 0;
		cadb_meta_clear(&m);
	}
	ent_filter_apply(u);
}

static const char *
ent_selected(struct ui *u)
{
	if (u->nent_idx == 0)
		return NULL;
	return u->ents[u->ent_idx[u->ent_cur]];
}

/* ---- inventory ---- */

static const char *
inv_status(const struct ui *u, const struct cadb_cert *c)
{
	/* The status of role/lifecycle.h; "soon" marks a valid one that
	 * expires within SOON_DAYS. */
	if (lifecycle_state(c, u->now) == LIFECYCLE_VALID &&
	    c->not_after < u->now + SOON_DAYS * 86400)
		return "soon";
	return lifecycle_status(c, u->now);
}

static int
inv_cmp(const void *a, const void *b, void *ctx)
{
	struct ui *u = ctx;
	const struct cadb_cert *x = &u->db.certs[*(const size_t *)a];
	const struct cadb_cert *y = &u->db.certs[*(const size_t *)b];
	int r = 0;

	switch (u->sort_col) {
	case 0:
		r = strlen(x->serial) < strlen(y->serial) ? -1 :
		    strlen(x->serial) > strlen(y->serial) ? 1 :
		    strcmp(x->serial, y->serial);
		break;
	case 1:
		r = strcasecmp(x->subject, y->subject);
		break;
	case 2:
		r = x->not_after < y->not_after ? -1 : x->not_after >
		    y->not_after;
		break;
	default:
		r = strcmp(inv_status(u, x), inv_status(u, y));
	}
	if (r == 0)
		r = *(const size_t *)a < *(const size_t *)b ? -1 : 1;
	return u->sort_rev ? -r : r;
}

/* Sorting happens when the order changes; a filter keystroke only walks
 * the sorted indices (O(n) string searches). */
static void
inv_rebuild(struct ui *u)
{
	size_t i, k;
	const char *f = u->inv_filter;

	if (!u->inv_sorted) {
		free(u->inv_all);
		u->inv_all = xcalloc(u->db.ncerts + 1, sizeof *u->inv_all);
		for (i = 0; i < u->db.ncerts; i++)
			u->inv_all[i] = i;
		qsort_r(u->inv_all, u->db.ncerts, sizeof *u->inv_all, inv_cmp,
		    u);
		u->inv_sorted = 1;
	}
	free(u->inv);
	u->inv = xcalloc(u->db.ncerts + 1, sizeof *u->inv);
	u->ninv = 0;
	for (k = 0; k < u->db.ncerts; k++) {
		const struct cadb_cert *c = &u->db.certs[u->inv_all[k]];

		if (!lc_status_match(u, c))
			continue;
		if (*f != '\0' && strcasestr(c->subject, f) == NULL &&
		    strcasestr(c->serial, f) == NULL &&
		    strcasecmp(inv_status(u, c), f) != 0)
			continue;
		u->inv[u->ninv++] = u->inv_all[k];
	}
	if (u->inv_cur >= u->ninv)
		u->inv_cur = u->ninv ? u->ninv - 1 : 0;
}

static void
inv_open(struct ui *u, const char *name)
{
	struct err e;
	size_t i;

	if (u->db_open) {
		cadb_clear(&u->db);
		cadb_init(&u->db);
		u->db_open = 0;
	}
	u->inv_cur = u->inv_top = 0;
	u->ninv = 0;
	u->inv_ca[0] = '\0';
	if (name == NULL)
		return;
	ui_fmt(u->inv_ca, sizeof u->inv_ca, "%s", name);
	if (cadb_open(&u->db, &u->ws, name, 0, &e) == -1) {
		ui_error(u, &e);
		cadb_clear(&u->db);
		cadb_init(&u->db);
		return;
	}
	u->db_open = 1;
	for (i = 0; i < u->db.nwarnings; i++)
		ui_log(u, "warning: %s", u->db.warnings[i]);
	u->now = (int64_t)time(NULL);
	u->inv_sorted = 0;
	inv_rebuild(u);
	ui_set_openssl(u, "openssl x509 -in CERT.pem -noout -serial -subject "
	    "-enddate   (the database: %s/ca/%s/certs.yaml)", u->ws.dir, name);
}

/* ---- detail ---- */

static void
detail_clear(struct ui *u)
{
	lines_clear(&u->text);
	buf_clear(&u->der);
	free(u->nodes);
	u->nodes = NULL;
	u->nnodes = 0;
	u->asn1 = 0;
}

/* The certificate c in words, and its chain as a tree: root first, the
 * leaf last. chain (leaf first) may be NULL. */
static void
detail_cert(struct ui *u, const struct cert *c, const struct cert_list *chain,
    const char *from)
{
	struct buf b;
	size_t i, n;
	char *s;
	const char *branch = u->ascii ? "`-- " : "\xe2\x94\x94\xe2\x94\x80 ";

	detail_clear(u);
	buf_init(&b);
	lines_addf(&u->text, "%cCertificate (%s)", LINE_HEAD, from);
	if (chain != NULL && chain->n > 1) {
		lines_addf(&u->text, "%cChain", LINE_HEAD);
		n = chain->n;
		for (i = 0; i < n; i++) {
			s = dn_to_string(&chain->v[n - 1 - i].subject);
			lines_addf(&u->text, "  %*s%s%s%s", (int)(3 * i), "",
			    i ? branch : "", s, i == 0 ? "  (root)" :
			    i == n - 1 ? "  (leaf)" : "  (intermediate)");
			free(s);
		}
		lines_add(&u->text, "");
	}
	text_cert(&b, c);
	lines_add_text(&u->text, (const char *)b.data, 0);
	buf_clear(&b);
	buf_append(&u->der, c->der, c->len);
	u->nnodes = asn1view_flatten(u->der.data, u->der.len, &u->nodes);
	ui_set_openssl(u, "openssl x509 -in %s -noout -text -fingerprint "
	    "-sha256   (ASN.1: openssl asn1parse -in %s -i)", from, from);
	ui_set_screen(u, SCR_DETAIL);
}

static void
detail_csr(struct ui *u, const struct csr *r, const char *from)
{
	struct buf b;

	detail_clear(u);
	buf_init(&b);
	lines_addf(&u->text, "%cCertificate request (%s)", LINE_HEAD, from);
	text_csr(&b, r);
	lines_add_text(&u->text, (const char *)b.data, 0);
	buf_clear(&b);
	buf_append(&u->der, r->der, r->len);
	u->nnodes = asn1view_flatten(u->der.data, u->der.len, &u->nodes);
	ui_set_openssl(u, "openssl req -in %s -noout -text -verify", from);
	ui_set_screen(u, SCR_DETAIL);
}

/* Certificates of an entity (its keystore's chain) or of a file. */
static int
load_certs(struct ui *u, const char *spec, struct cert_list *l,
    struct err *e)
{
	struct keystore ks;
	struct err ne;
	int rc;

	if (ws_check_name(spec, &ne) == 0 && keystore_exists(&u->ws, spec)) {
		keystore_init(&ks);
		rc = keystore_load(&u->ws, spec, &ks, e);
		if (rc == 0 && ks.cert_pem == NULL)
			rc = err_set(e, ERR_USAGE, "entity '%s' has no "
			    "certificate yet (r makes a request, i issues it)",
			    spec);
		if (rc == 0)
			rc = cert_list_load(l, (const uint8_t *)ks.cert_pem,
			    strlen(ks.cert_pem), e);
		keystore_clear(&ks);
		return rc;
	}
	return cert_list_load_file(l, spec, e);
}

static void
spki_encode(struct derw *w, const void *arg)
{
	pkey_encode_spki(w, arg);
}

static char key_detail_name[WS_NAME_MAX + 1];

/* The key of an entity without a certificate: its public half decoded
 * (never a private number), after the keystore's passphrase. */
static int
submit_key_detail(struct ui *u, struct form *fm)
{
	struct rsakey key;
	struct err e;
	struct buf b;
	uint8_t *der;
	size_t len;

	rsakey_init(&key);
	if (entity_unlock(&u->ws, key_detail_name, fm->f[0].val,
	    strlen(fm->f[0].val), NULL, &key, &e) == -1) {
		ui_fmt(fm->f[0].err, sizeof fm->f[0].err, "%s", e.msg);
		rsakey_clear(&key);
		return -1;
	}
	detail_clear(u);
	buf_init(&b);
	lines_addf(&u->text, "%cKey of entity %s (public part)", LINE_HEAD,
	    key_detail_name);
	text_key(&b, &key);
	lines_add_text(&u->text, (const char *)b.data, 0);
	buf_clear(&b);
	if ((der = der_encode(spki_encode, &key, &len, NULL)) != NULL) {
		buf_append(&u->der, der, len);
		free(der);
		u->nnodes = asn1view_flatten(u->der.data, u->der.len,
		    &u->nodes);
	}
	rsakey_clear(&key);
	ui_set_openssl(u, "openssl pkey -in %s.key -noout -text_pub",
	    key_detail_name);
	form_wipe(u);
	ui_set_screen(u, SCR_DETAIL);
	return 0;
}

static void
ent_detail(struct ui *u)
{
	const char *name = ent_selected(u);
	struct cert_list l;
	struct err e;

	if (name == NULL)
		return;
	cert_list_init(&l);
	if (!u->sums[u->ent_idx[u->ent_cur]].has_cert) {
		struct field *f;

		ui_fmt(key_detail_name, sizeof key_detail_name, "%s", name);
		form_begin(u, "Show the key (no certificate yet)",
		    submit_key_detail, 0);
		f = form_add(u, "Key passphrase", "");
		f->masked = 1;
		f->check = check_pass;
		f->hint = "only the public part is shown";
	} else if (load_certs(u, name, &l, &e) == -1)
		ui_error(u, &e);
	else {
		char from[128];

		ui_fmt(from, sizeof from, "%s.crt.pem", name);
		detail_cert(u, &l.v[0], &l, from);
	}
	cert_list_clear(&l);
}

static void
inv_detail(struct ui *u)
{
	const struct cadb_cert *c;
	struct cert_list chain;
	struct cert_list root;
	struct buf der;
	struct err e;
	char from[128];

	if (!u->db_open || u->ninv == 0)
		return;
	c = &u->db.certs[u->inv[u->inv_cur]];
	buf_init(&der);
	cert_list_init(&chain);
	cert_list_init(&root);
	if (cadb_cert_der(&u->db, c, &der, &e) == -1 ||
	    cert_list_load(&chain, der.data, der.len, &e) == -1) {
		ui_error(u, &e);
		goto out;
	}
	/* The chain: this certificate, then the CA's keystore chain (an
	 * intermediate CA keeps its parent's chain after its own). */
	if (load_certs(u, u->inv_ca, &root, &e) == 0 && root.n > 0) {
		struct buf pem;
		size_t i;

		buf_init(&pem);
		pem_encode("CERTIFICATE", der.data, der.len, &pem);
		for (i = 0; i < root.n; i++)
			pem_encode("CERTIFICATE", root.v[i].der, root.v[i].len,
			    &pem);
		cert_list_clear(&chain);
		cert_list_init(&chain);
		cert_list_load(&chain, pem.data, pem.len, &e);
		buf_clear(&pem);
	}
	ui_fmt(from, sizeof from, "%.40s.pem", c->serial);
	if (chain.n > 0)
		detail_cert(u, &chain.v[0], &chain, from);
out:
	cert_list_clear(&root);
	cert_list_clear(&chain);
	buf_clear(&der);
}

/* ---- jobs: key generation, CA, demo lab in a child ---- */

struct job_arg {
	int kind;		/* 0 key, 1 CA, 2 demo */
	char name[WS_NAME_MAX + 1];
	char subject[UI_FIELD_MAX * 4];
	unsigned bits;
	long days;
	char pass[UI_FIELD_MAX];
	size_t passlen;
	unsigned ticks;
	int fd;
};

static struct job_arg job_arg;

static void
job_progress(void *ctx, int c)
{
	struct job_arg *a = ctx;

	(void)c;
	if (++a->ticks % 64 == 0)
		ui_job_report(a->fd, "P searching for primes (%u candidates)",
		    a->ticks);
}

static void
job_stage(void *ctx, const char *stage)
{
	struct job_arg *a = ctx;

	ui_job_report(a->fd, "S %s", stage);
}

static void
job_run(struct ui *u, void *arg, int fd)
{
	struct job_arg *a = arg;
	struct err e;
	struct dn subject;
	uint8_t *der = NULL;
	size_t len = 0;
	int rc = -1;

	err_clear(&e);
	a->fd = fd;
	dn_init(&subject);
	switch (a->kind) {
	case 0:
		ui_job_report(fd, "S generating a %u-bit RSA key", a->bits);
		rc = entity_new_key(&u->ws, a->name, a->bits, a->pass,
		    a->passlen, a, job_progress, NULL, &e);
		break;
	case 1:
		ui_job_report(fd, "S generating the CA's %u-bit RSA key",
		    a->bits);
		if (dn_from_string(&subject, a->subject, &e) == 0)
			rc = ca_create(&u->ws, a->name, &subject, a->bits,
			    a->days, (int64_t)time(NULL), a->pass, a->passlen,
			    a, job_progress, &der, &len, &e);
		break;
	default:
		rc = demo_create(&u->ws, a->pass, a->passlen, a, job_stage,
		    &e);
	}
	explicit_bzero(a->pass, sizeof a->pass);
	free(der);
	dn_clear(&subject);
	if (rc == 0)
		ui_job_report(fd, "D 0 done");
	else
		ui_job_report(fd, "D 1 %s", e.msg);
}

static void
job_done(struct ui *u, int ok, const char *msg)
{
	scr_refresh_lists(u);
	if (!ok) {
		ui_log(u, "error: %s", msg);
		return;
	}
	switch (job_arg.kind) {
	case 0:
		ui_log(u, "key '%s' made: keys/%s.yaml (r: make a request)",
		    job_arg.name, job_arg.name);
		ui_fmt(u->last_ent, sizeof u->last_ent, "%s", job_arg.name);
		break;
	case 1:
		ui_log(u, "CA '%s' created: keys/%s.yaml, ca/%s/",
		    job_arg.name, job_arg.name, job_arg.name);
		break;
	default:
		ui_log(u, "demo lab ready: CA %s, entities server, alice, bob",
		    DEMO_CA);
	}
	ui_set_screen(u, SCR_ENTITIES);
}

static int
job_go(struct ui *u, const char *what)
{
	int rc = ui_job_start(u, what, job_done, job_run, &job_arg);

	/* The child has its copy; the parent keeps none. */
	explicit_bzero(job_arg.pass, sizeof job_arg.pass);
	return rc;
}

static int
pass_twice(struct form *fm, int a, int b)
{
	if (strcmp(fm->f[a].val, fm->f[b].val) != 0) {
		ui_fmt(fm->f[b].err, sizeof fm->f[b].err, "the two "
		    "passphrases differ");
		fm->cur = b;
		return -1;
	}
	return 0;
}

static void
job_pass(struct form *fm, int i)
{
	ui_fmt(job_arg.pass, sizeof job_arg.pass, "%s", fm->f[i].val);
	job_arg.passlen = strlen(job_arg.pass);
}

/* create CA: name, CN, O, C, bits, days, passphrase twice */
static int
submit_ca(struct ui *u, struct form *fm)
{
	struct buf b;
	struct dn dn;
	struct err e;

	if (pass_twice(fm, 6, 7) == -1)
		return -1;
	if (keystore_exists(&u->ws, fm->f[0].val)) {
		ui_fmt(fm->f[0].err, sizeof fm->f[0].err, "'%s' exists "
		    "already", fm->f[0].val);
		fm->cur = 0;
		return -1;
	}
	buf_init(&b);
	dn_part(&b, "CN", fm->f[1].val);
	dn_part(&b, "O", fm->f[2].val);
	dn_part(&b, "C", fm->f[3].val);
	dn_init(&dn);
	if (dn_from_string(&dn, (const char *)b.data, &e) == -1) {
		ui_fmt(fm->f[1].err, sizeof fm->f[1].err, "%s", e.msg);
		dn_clear(&dn);
		buf_clear(&b);
		return -1;
	}
	dn_clear(&dn);
	memset(&job_arg, 0, sizeof job_arg);
	job_arg.kind = 1;
	ui_fmt(job_arg.name, sizeof job_arg.name, "%s", fm->f[0].val);
	ui_fmt(job_arg.subject, sizeof job_arg.subject, "%s", b.data);
	job_arg.bits = (unsigned)atoi(fm->f[4].val);
	job_arg.days = atol(fm->f[5].val);
	job_pass(fm, 6);
	buf_clear(&b);
	job_go(u, "create CA");
	return 0;
}

void
scr_open_create_ca(struct ui *u)
{
	struct field *f;

	form_begin(u, "Create a root CA", submit_ca, 0);
	f = form_add(u, "CA name", u->ncas ? "" : "ca");
	f->check = check_name;
	f->hint = "the keystore and database name";
	f = form_add(u, "Common name (CN)", "minipki Root CA");
	f->check = check_required;
	form_add(u, "Organization (O)", "");
	f = form_add(u, "Country (C)", "");
	f->check = check_country;
	f = form_add(u, "Key size", "3072");
	f->choices = bits_choices;
	f->hint = "Space or Left/Right changes";
	f = form_add(u, "Validity (days)", "3650");
	f->check = check_days;
	f = form_add(u, "Passphrase", "");
	f->masked = 1;
	f->check = check_pass;
	f->hint = "encrypts the CA key in its keystore";
	f = form_add(u, "Repeat passphrase", "");
	f->masked = 1;
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl req -x509 "
	    "-newkey rsa:3072 -sha256 -days 3650 -subj '/CN=minipki Root CA' "
	    "-addext basicConstraints=critical,CA:TRUE -addext "
	    "keyUsage=critical,keyCertSign,cRLSign -keyout ca.key -out ca.crt");
}

static int
submit_demo(struct ui *u, struct form *fm)
{
	if (pass_twice(fm, 0, 1) == -1)
		return -1;
	memset(&job_arg, 0, sizeof job_arg);
	job_arg.kind = 2;
	job_pass(fm, 0);
	job_go(u, "demo lab");
	return 0;
}

void
scr_open_demo(struct ui *u)
{
	struct field *f;

	form_begin(u, "Create the demo lab (demo-ca, server, alice, bob)",
	    submit_demo, 0);
	f = form_add(u, "Passphrase", "");
	f->masked = 1;
	f->check = check_pass;
	f->hint = "one passphrase for all four keystores";
	f = form_add(u, "Repeat passphrase", "");
	f->masked = 1;
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl req -x509 "
	    "-newkey rsa:2048 -subj '/CN=minipki Demo Root CA' -keyout ca.key "
	    "-out ca.crt; then per entity: openssl req -new, openssl x509 -req");
}

static int
submit_key(struct ui *u, struct form *fm)
{
	if (pass_twice(fm, 2, 3) == -1)
		return -1;
	if (keystore_exists(&u->ws, fm->f[0].val)) {
		ui_fmt(fm->f[0].err, sizeof fm->f[0].err, "keystore '%s' "
		    "exists already", fm->f[0].val);
		fm->cur = 0;
		return -1;
	}
	memset(&job_arg, 0, sizeof job_arg);
	job_arg.kind = 0;
	ui_fmt(job_arg.name, sizeof job_arg.name, "%s", fm->f[0].val);
	job_arg.bits = (unsigned)atoi(fm->f[1].val);
	job_pass(fm, 2);
	ui_set_openssl(u, "openssl genpkey -algorithm RSA -pkeyopt "
	    "rsa_keygen_bits:%u -aes-256-cbc -out %s.key", job_arg.bits,
	    job_arg.name);
	job_go(u, "key generation");
	return 0;
}

void
scr_open_new_key(struct ui *u)
{
	struct field *f;

	form_begin(u, "New key", submit_key, 0);
	f = form_add(u, "Entity name", "");
	f->check = check_name;
	f->hint = "letters, digits, '.', '_' and '-'";
	f = form_add(u, "Key size", "2048");
	f->choices = bits_choices;
	f->hint = "Space or Left/Right changes; 4096 takes seconds";
	f = form_add(u, "Passphrase", "");
	f->masked = 1;
	f->check = check_pass;
	f = form_add(u, "Repeat passphrase", "");
	f->masked = 1;
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl genpkey "
	    "-algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes-256-cbc "
	    "-out NAME.key");
}

/* ---- request ---- */

enum { RQ_ENT, RQ_CN, RQ_O, RQ_OU, RQ_C, RQ_ST, RQ_L, RQ_EMAIL, RQ_SAN,
	RQ_OUT, RQ_PASS };

static int
submit_csr(struct ui *u, struct form *fm)
{
	struct buf b, pem;
	struct dn dn;
	struct san_list san;
	struct err e;
	uint8_t *der = NULL;
	size_t len = 0;
	char *dir;
	const char *name = fm->f[RQ_ENT].val;
	int rc = -1;

	if (!keystore_exists(&u->ws, name)) {
		ui_fmt(fm->f[RQ_ENT].err, sizeof fm->f[RQ_ENT].err,
		    "no keystore '%s' (n makes a key)", name);
		fm->cur = RQ_ENT;
		return -1;
	}
	buf_init(&b);
	buf_init(&pem);
	dn_init(&dn);
	san_list_init(&san);
	dn_part(&b, "CN", fm->f[RQ_CN].val);
	dn_part(&b, "O", fm->f[RQ_O].val);
	dn_part(&b, "OU", fm->f[RQ_OU].val);
	dn_part(&b, "C", fm->f[RQ_C].val);
	dn_part(&b, "ST", fm->f[RQ_ST].val);
	dn_part(&b, "L", fm->f[RQ_L].val);
	dn_part(&b, "emailAddress", fm->f[RQ_EMAIL].val);
	if (dn_from_string(&dn, (const char *)b.data, &e) == -1) {
		ui_fmt(fm->f[RQ_CN].err, sizeof fm->f[RQ_CN].err, "%s",
		    e.msg);
		goto out;
	}
	if (san_parse_list(&san, fm->f[RQ_SAN].val, &e) == -1) {
		ui_fmt(fm->f[RQ_SAN].err, sizeof fm->f[RQ_SAN].err, "%s",
		    e.msg);
		goto out;
	}
	/* Whatever happens, <workspace>/requests exists for the default. */
	dir = xasprintf("%s/requests", u->ws.dir);
	ws_mkdir(dir, NULL);
	free(dir);
	if (entity_new_csr(&u->ws, name, &dn, &san, fm->f[RQ_PASS].val,
	    strlen(fm->f[RQ_PASS].val), &der, &len, &e) == -1) {
		ui_fmt(fm->f[e.kind == ERR_PASS ? RQ_PASS : RQ_ENT].err,
		    sizeof fm->f[0].err, "%s", e.msg);
		fm->cur = e.kind == ERR_PASS ? RQ_PASS : RQ_ENT;
		goto out;
	}
	pem_encode("CERTIFICATE REQUEST", der, len, &pem);
	if (file_write(fm->f[RQ_OUT].val, pem.data, pem.len, 0644, 0,
	    &e) == -1) {
		ui_fmt(fm->f[RQ_OUT].err, sizeof fm->f[RQ_OUT].err, "%s",
		    e.msg);
		fm->cur = RQ_OUT;
		goto out;
	}
	ui_fmt(u->last_req, sizeof u->last_req, "%s", fm->f[RQ_OUT].val);
	ui_fmt(u->last_ent, sizeof u->last_ent, "%s", name);
	ui_log(u, "request for '%s' written to %s (i: issue it)", name,
	    fm->f[RQ_OUT].val);
	ui_set_openssl(u, "openssl req -new -key %s.key -subj '/%s' %s%s%s "
	    "-out %s", name, (const char *)b.data, san.n ? "-addext "
	    "'subjectAltName=" : "", fm->f[RQ_SAN].val, san.n ? "'" : "",
	    fm->f[RQ_OUT].val);
	rc = 0;
out:
	free(der);
	buf_clear(&pem);
	buf_clear(&b);
	dn_clear(&dn);
	san_list_clear(&san);
	return rc;
}

void
scr_open_new_csr(struct ui *u)
{
	const char *name = ent_selected(u);
	struct field *f;
	char *out;

	if (name == NULL)
		name = u->last_ent;
	form_begin(u, "New certificate request", submit_csr, 0);
	f = form_add(u, "Entity", name);
	f->check = check_name;
	f = form_add(u, "Common name (CN)", name);
	f->check = check_required;
	f->hint = "a host name for a server, a person for a client";
	form_add(u, "Organization (O)", "");
	form_add(u, "Org. unit (OU)", "");
	f = form_add(u, "Country (C)", "");
	f->check = check_country;
	form_add(u, "State (ST)", "");
	form_add(u, "Locality (L)", "");
	f = form_add(u, "Email", "");
	f->check = check_email;
	f = form_add(u, "SANs", "");
	f->check = check_san;
	f->hint = "DNS:host,IP:127.0.0.1,email:a@b.example";
	out = xasprintf("%s/requests/%s.csr.pem", u->ws.dir, name);
	f = form_add(u, "Write to", out);
	f->check = check_required;
	free(out);
	f = form_add(u, "Key passphrase", "");
	f->masked = 1;
	f->check = check_pass;
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl req -new "
	    "-key %s.key -subj '/CN=%s' -addext 'subjectAltName=DNS:%s' -out "
	    "%s.csr", name, name, name, name);
}

/* ---- issue ---- */

static void issue_render(struct ui *);

static void
issue_drop(struct ui *u)
{
	if (u->req != NULL) {
		csr_clear(u->req);
		free(u->req);
		u->req = NULL;
	}
}

enum { IS_REQ, IS_CA, IS_ENT };
enum { RV_REASON, RV_INVALID, RV_DATE };
enum { RN_DAYS, RN_REVOKE_OLD, RN_REQ };

static int
submit_issue(struct ui *u, struct form *fm)
{
	struct csr *req = xmalloc(sizeof *req);
	struct cadb_meta m;
	struct err e;

	cadb_meta_init(&m);
	if (cadb_meta_load(&u->ws, fm->f[IS_CA].val, &m, &e) == -1) {
		ui_fmt(fm->f[IS_CA].err, sizeof fm->f[IS_CA].err, "%s",
		    e.msg);
		fm->cur = IS_CA;
		cadb_meta_clear(&m);
		free(req);
		return -1;
	}
	cadb_meta_clear(&m);
	if (fm->f[IS_ENT].val[0] != '\0' &&
	    !keystore_exists(&u->ws, fm->f[IS_ENT].val)) {
		ui_fmt(fm->f[IS_ENT].err, sizeof fm->f[IS_ENT].err, "no "
		    "keystore '%s' (leave empty to write a file only)",
		    fm->f[IS_ENT].val);
		fm->cur = IS_ENT;
		free(req);
		return -1;
	}
	csr_init(req);
	if (csr_load(req, fm->f[IS_REQ].val, &e) == -1) {
		ui_fmt(fm->f[IS_REQ].err, sizeof fm->f[IS_REQ].err, "%s",
		    e.msg);
		fm->cur = IS_REQ;
		csr_clear(req);
		free(req);
		return -1;
	}
	issue_drop(u);
	u->req = req;
	ui_fmt(u->req_path, sizeof u->req_path, "%s", fm->f[IS_REQ].val);
	ui_fmt(u->req_ca, sizeof u->req_ca, "%s", fm->f[IS_CA].val);
	ui_fmt(u->req_entity, sizeof u->req_entity, "%s", fm->f[IS_ENT].val);
	u->req_profile = req->ext.has_bc && req->ext.ca ? PROFILE_CA :
	    (req->ext.san.n > 0 && req->ext.san.v[0].type != SAN_EMAIL) ?
	    PROFILE_SERVER : PROFILE_CLIENT;
	u->req_days = profile_get((enum profile_id)u->req_profile)->days;
	issue_render(u);
	ui_set_screen(u, SCR_ISSUE);
	return 0;
}

void
scr_open_issue(struct ui *u)
{
	struct field *f;
	const char *ent = u->last_ent;
	char *path = NULL;

	if (u->ncas == 0) {
		ui_log(u, "no CA yet: c creates a root CA, d the demo lab");
		return;
	}
	if (u->scr == SCR_ENTITIES && ent_selected(u) != NULL)
		ent = ent_selected(u);
	if (u->last_req[0] != '\0' && strcmp(ent, u->last_ent) == 0)
		path = xstrdup(u->last_req);
	else
		path = xasprintf("%s/requests/%s.csr.pem", u->ws.dir, ent);
	form_begin(u, "Issue: open a request", submit_issue, 0);
	f = form_add(u, "Request file", path);
	f->check = check_required;
	f->hint = "PEM or DER PKCS#10";
	f = form_add(u, "CA", u->ca_open ? u->ca.name : u->cas[0]);
	f->check = check_name;
	f = form_add(u, "Store in entity", ent);
	f->hint = "keystore that gets the certificate; empty: file only";
	free(path);
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl req -in "
	    "REQUEST.csr -noout -text -verify");
}

static void
issue_render(struct ui *u)
{
	const struct profile *p = profile_get((enum profile_id)u->req_profile);
	const struct csr *r = u->req;
	struct err e;
	struct cadb_meta m;
	char *s;
	size_t i;

	lines_clear(&u->text);
	if (r == NULL) {
		lines_add(&u->text, "No request open: O opens one.");
		return;
	}
	lines_addf(&u->text, "%cRequest  %s", LINE_HEAD, u->req_path);
	s = dn_to_string(&r->subject);
	lines_addf(&u->text, "  Subject      %s", *s ? s : "(empty)");
	free(s);
	if (r->ext.san.n == 0)
		lines_add(&u->text, "  SANs         (none)");
	for (i = 0; i < r->ext.san.n; i++)
		lines_addf(&u->text, "  %s %s:%s", i ? "            " :
		    "SANs        ", r->ext.san.v[i].type == SAN_DNS ? "DNS" :
		    r->ext.san.v[i].type == SAN_IP ? "IP" :
		    r->ext.san.v[i].type == SAN_EMAIL ? "email" :
		    r->ext.san.v[i].type == SAN_URI ? "URI" : "other",
		    r->ext.san.v[i].value);
	if (r->key_alg == OID_RSA_ENCRYPTION)
		lines_addf(&u->text, "  Key          RSA %u bits",
		    rsakey_bits(&r->key));
	else
		lines_add(&u->text, "  Key          not RSA");
	if (r->ext.has_bc && r->ext.ca)
		lines_addf(&u->text, "%c  Asks for     CA:TRUE (only profile "
		    "ca grants it)", LINE_WARN);
	err_clear(&e);
	u->req_sig_ok = ca_check_request(r, &e) == 0;
	if (u->req_sig_ok)
		lines_addf(&u->text, "%c  Checks       ok: the request's own key "
		    "verifies its signature (proof of possession), key size "
		    "ok", LINE_OK);
	else
		lines_addf(&u->text, "%c  Checks       FAIL: %s", LINE_FAIL,
		    e.msg);
	lines_add(&u->text, "");
	lines_addf(&u->text, "%cWill apply", LINE_HEAD);
	cadb_meta_init(&m);
	cadb_meta_load(&u->ws, u->req_ca, &m, NULL);
	lines_addf(&u->text, "  CA           %s (%s)%s", u->req_ca,
	    m.subject ? m.subject : "?", u->ca_open &&
	    strcmp(u->ca.name, u->req_ca) == 0 ? "  key unlocked" : "");
	cadb_meta_clear(&m);
	lines_addf(&u->text, "  Profile      %s: %s", p->name, p->summary);
	lines_addf(&u->text, "  Validity     %ld days (not beyond the CA's "
	    "own notAfter)", u->req_days);
	lines_addf(&u->text, "  Store in     %s", u->req_entity[0] ?
	    u->req_entity : "(file only)");
	lines_add(&u->text, "");
	lines_add(&u->text, "a approve   r reject   p profile   + - days   "
	    "Enter: the request decoded");
	ui_set_openssl(u, "openssl x509 -req -in %s -CA %s.crt -CAkey %s.key "
	    "-days %ld -sha256 -extfile %s.ext -out cert.pem", u->req_path,
	    u->req_ca, u->req_ca, u->req_days, p->name);
}

static void issue_approve(struct ui *);

/* Opens CA name for issuing and asks for its passphrase unless it is the
 * one already unlocked; then runs then. */
static void
ca_need(struct ui *u, const char *name, void (*then)(struct ui *))
{
	lc_ca_need(u, name, then);
}

static void
issue_approve(struct ui *u)
{
	const struct profile *p = profile_get((enum profile_id)u->req_profile);
	struct ca_issued res;
	struct cert_list chain;
	struct buf pem, one;
	struct err e;
	char *out, until[WS_TIME_LEN];
	size_t n;

	ca_issued_init(&res);
	buf_init(&pem);
	buf_init(&one);
	cert_list_init(&chain);
	if (ca_issue(&u->ca, u->req, p, u->req_days, (int64_t)time(NULL), &res,
	    &e) == -1) {
		ui_error(u, &e);
		goto out;
	}
	pem_encode("CERTIFICATE", res.der, res.len, &one);
	buf_append(&pem, one.data, one.len);
	/* The CA's chain: an intermediate's keystore holds its parents. */
	if (u->ca.ks.cert_pem != NULL)
		buf_puts(&pem, u->ca.ks.cert_pem);
	else
		pem_encode("CERTIFICATE", u->ca.root.der, u->ca.root.len,
		    &pem);
	n = strlen(u->req_path);
	if (n > 8 && strcmp(u->req_path + n - 8, ".csr.pem") == 0)
		out = xasprintf("%.*s.crt.pem", (int)(n - 8), u->req_path);
	else
		out = xasprintf("%s.crt.pem", u->req_path);
	ws_time_format(res.not_after, until);
	ui_log(u, "issued %s %s (profile %s, until %s)", res.serial,
	    res.subject, p->name, until);
	if (res.dropped > 0)
		ui_log(u, "note: %zu requested SAN(s) not copied (profile %s)",
		    res.dropped, p->name);
	if (res.clamped)
		ui_log(u, "note: notAfter cut to the CA certificate's own");
	if (file_write(out, one.data, one.len, 0644, 0, &e) == -1)
		ui_error(u, &e);
	else
		ui_log(u, "certificate written to %s", out);
	free(out);
	if (u->req_entity[0] != '\0') {
		if (keystore_set_cert(&u->ws, u->req_entity,
		    (const char *)pem.data, res.subject, until, &e) == -1)
			ui_error(u, &e);
		else
			ui_log(u, "stored in keystore '%s' with the CA "
			    "certificate", u->req_entity);
	}
	scr_refresh_lists(u);
	if (cert_list_load(&chain, pem.data, pem.len, &e) == 0)
		detail_cert(u, &chain.v[0], &chain, "the new certificate");
	issue_drop(u);
out:
	cert_list_clear(&chain);
	buf_clear(&one);
	buf_clear(&pem);
	ca_issued_clear(&res);
}

static int
issue_key(struct ui *u, int ch)
{
	switch (ch) {
	case 'a':
		if (u->req == NULL)
			return 1;
		if (!u->req_sig_ok) {
			ui_log(u, "refused: the request failed its checks");
			return 1;
		}
		ca_need(u, u->req_ca, issue_approve);
		return 1;
	case 'r':
		if (u->req != NULL)
			ui_log(u, "request %s rejected: nothing signed",
			    u->req_path);
		issue_drop(u);
		issue_render(u);
		return 1;
	case 'p':
		u->req_profile = (u->req_profile + 1) % PROFILE__COUNT;
		u->req_days = profile_get((enum profile_id)
		    u->req_profile)->days;
		issue_render(u);
		return 1;
	case '+': case '-':
		u->req_days += ch == '+' ? 30 : -30;
		if (u->req_days < 1)
			u->req_days = 1;
		if (u->req_days > CA_MAX_DAYS)
			u->req_days = CA_MAX_DAYS;
		issue_render(u);
		return 1;
	case 'O':
		scr_open_issue(u);
		return 1;
	case '\r': case '\n': case KEY_ENTER:
		if (u->req != NULL)
			detail_csr(u, u->req, u->req_path);
		return 1;
	}
	return 0;
}

/* ---- verify ---- */

enum { VF_CERT, VF_ANCHOR, VF_PURPOSE, VF_HOST };

/* The last inputs, offered again by V on the Verify screen. */
static char verify_last[4][UI_FIELD_MAX];

static int
submit_verify(struct ui *u, struct form *fm)
{
	struct cert_list leaf, anchors;
	struct verify_params vp;
	struct verify_result res;
	struct err e;
	struct buf b;
	const char *purpose = fm->f[VF_PURPOSE].val;
	char *s;
	int ok;

	cert_list_init(&leaf);
	cert_list_init(&anchors);
	verify_result_init(&res);
	buf_init(&b);
	if (load_certs(u, fm->f[VF_CERT].val, &leaf, &e) == -1) {
		ui_fmt(fm->f[VF_CERT].err, sizeof fm->f[VF_CERT].err, "%s",
		    e.msg);
		fm->cur = VF_CERT;
		goto fail;
	}
	if (load_certs(u, fm->f[VF_ANCHOR].val, &anchors, &e) == -1) {
		ui_fmt(fm->f[VF_ANCHOR].err, sizeof fm->f[VF_ANCHOR].err,
		    "%s", e.msg);
		fm->cur = VF_ANCHOR;
		goto fail;
	}
	/* An entity's keystore holds its CA after its own certificate: the
	 * anchor is the CA's own certificate, the first of its keystore. */
	while (anchors.n > 1)
		cert_clear(&anchors.v[--anchors.n]);
	memset(&vp, 0, sizeof vp);
	vp.anchors = &anchors;
	vp.purpose = strcmp(purpose, "server") == 0 ? VERIFY_PURPOSE_SERVER :
	    strcmp(purpose, "client") == 0 ? VERIFY_PURPOSE_CLIENT :
	    VERIFY_PURPOSE_ANY;
	vp.host = fm->f[VF_HOST].val[0] ? fm->f[VF_HOST].val : NULL;
	vp.at = (int64_t)time(NULL);
	for (ok = 0; ok < 4; ok++)
		ui_fmt(verify_last[ok], sizeof verify_last[ok], "%s",
		    fm->f[ok].val);
	ok = verify_chain(&leaf.v[0], &vp, &res) == 0;
	lines_clear(&u->text);
	s = dn_to_string(&leaf.v[0].subject);
	lines_addf(&u->text, "%cVerify %s", LINE_HEAD, s);
	free(s);
	s = dn_to_string(&anchors.v[0].subject);
	lines_addf(&u->text, "  trust anchor %s (%s), purpose %s%s%s", s,
	    fm->f[VF_ANCHOR].val, purpose, vp.host ? ", host " : "",
	    vp.host ? vp.host : "");
	free(s);
	lines_add(&u->text, "");
	verify_render(&b, &res);
	{
		const char *p = (const char *)b.data, *nl;

		while (p != NULL && *p) {
			nl = strchr(p, '\n');
			s = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
			lines_addf(&u->text, "%c%s", strstr(s, "FAIL") == s + 2 ?
			    LINE_FAIL : LINE_OK, s);
			free(s);
			p = nl ? nl + 1 : NULL;
		}
	}
	lines_add(&u->text, "");
	if (ok)
		lines_addf(&u->text, "%cRESULT: valid (%zu certificates in the "
		    "path)", LINE_OK, res.chain_len);
	else
		lines_addf(&u->text, "%cRESULT: FAIL %s: %s", LINE_FAIL,
		    verify_code_name(res.code), res.reason ? res.reason : "");
	ui_log(u, "verify %s: %s", fm->f[VF_CERT].val, ok ? "valid" :
	    verify_code_text(res.code));
	ui_set_openssl(u, "openssl verify -CAfile %s.crt -purpose %s%s%s %s",
	    fm->f[VF_ANCHOR].val, strcmp(purpose, "server") == 0 ? "sslserver"
	    : strcmp(purpose, "client") == 0 ? "sslclient" : "any",
	    vp.host ? " -verify_hostname " : "", vp.host ? vp.host : "",
	    fm->f[VF_CERT].val);
	ui_set_screen(u, SCR_VERIFY);
	cert_list_clear(&leaf);
	cert_list_clear(&anchors);
	verify_result_clear(&res);
	buf_clear(&b);
	return 0;
fail:
	cert_list_clear(&leaf);
	cert_list_clear(&anchors);
	verify_result_clear(&res);
	buf_clear(&b);
	return -1;
}

void
scr_open_verify(struct ui *u)
{
	struct field *f;
	const char *cert = "", *anchor = u->ncas ? u->cas[0] : "";
	char path[64];
	int i;

	if (u->scr == SCR_ENTITIES && ent_selected(u) != NULL)
		cert = ent_selected(u);
	if (u->scr == SCR_INVENTORY) {
		anchor = u->inv_ca;
		if (u->db_open && u->ninv > 0) {
			/* An inventory entry: verify its file, written
			 * nowhere; use the entity whose subject matches. */
			const struct cadb_cert *c =
			    &u->db.certs[u->inv[u->inv_cur]];
			size_t k;

			for (k = 0; k < u->nents; k++)
				if (strcmp(u->sums[k].subject, c->subject) == 0)
					cert = u->ents[k];
		}
	}
	ui_fmt(path, sizeof path, "%s", strcmp(cert, "server") == 0 ?
	    "localhost" : "");
	if (u->scr == SCR_VERIFY && verify_last[0][0] != '\0') {
		form_begin(u, "Verify a certificate", submit_verify, 0);
		for (i = 0; i < 4; i++)
			f = form_add(u, i == 0 ? "Certificate" : i == 1 ?
			    "Trust anchor" : i == 2 ? "Purpose" :
			    "Host (optional)", verify_last[i]);
		u->form.f[VF_CERT].check = check_required;
		u->form.f[VF_ANCHOR].check = check_required;
		u->form.f[VF_PURPOSE].choices = purpose_choices;
		return;
	}
	form_begin(u, "Verify a certificate", submit_verify, 0);
	f = form_add(u, "Certificate", cert);
	f->check = check_required;
	f->hint = "an entity name or a PEM/DER file";
	f = form_add(u, "Trust anchor", anchor);
	f->check = check_required;
	f->hint = "a CA name or a PEM/DER file";
	f = form_add(u, "Purpose", "server");
	f->choices = purpose_choices;
	f = form_add(u, "Host (optional)", path);
	f->hint = "a DNS name or IP address the certificate must name";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl verify "
	    "-CAfile CA.crt -purpose sslserver -verify_hostname HOST CERT.pem");
}

/* ---- export ---- */

enum { EX_ENT, EX_WHAT, EX_FMT, EX_PATH, EX_PASS, EX_ENC, EX_OUTPASS };

static int
submit_export(struct ui *u, struct form *fm)
{
	struct buf out;
	struct err e;
	const char *name = fm->f[EX_ENT].val, *path = fm->f[EX_PATH].val;
	int key = strcmp(fm->f[EX_WHAT].val, "key") == 0;
	int der = strcmp(fm->f[EX_FMT].val, "DER") == 0;
	int enc = strcmp(fm->f[EX_ENC].val, "yes") == 0;
	int rc = -1;

	if (!keystore_exists(&u->ws, name)) {
		ui_fmt(fm->f[EX_ENT].err, sizeof fm->f[EX_ENT].err,
		    "no keystore '%s'", name);
		fm->cur = EX_ENT;
		return -1;
	}
	if (*path == '\0') {
		ui_fmt(fm->f[EX_PATH].err, sizeof fm->f[EX_PATH].err,
		    "required");
		fm->cur = EX_PATH;
		return -1;
	}
	if (key && enc && fm->f[EX_OUTPASS].val[0] == '\0') {
		ui_fmt(fm->f[EX_OUTPASS].err, sizeof fm->f[EX_OUTPASS].err,
		    "needed to encrypt (or Encrypt: no)");
		fm->cur = EX_OUTPASS;
		return -1;
	}
	buf_init(&out);
	if (key) {
		const char *op = fm->f[EX_OUTPASS].val;

		if (entity_export_key(&u->ws, name, fm->f[EX_PASS].val,
		    strlen(fm->f[EX_PASS].val), enc ? op : NULL,
		    enc ? strlen(op) : 0, der, &out, &e) == -1) {
			ui_fmt(fm->f[EX_PASS].err, sizeof fm->f[EX_PASS].err,
			    "%s", e.msg);
			fm->cur = EX_PASS;
			goto out;
		}
	} else if (entity_export_cert(&u->ws, name, der, &out, &e) == -1) {
		ui_fmt(fm->f[EX_ENT].err, sizeof fm->f[EX_ENT].err, "%s",
		    e.msg);
		fm->cur = EX_ENT;
		goto out;
	}
	if (file_write(path, out.data, out.len, key ? 0600 : 0644, key,
	    &e) == -1) {
		ui_fmt(fm->f[EX_PATH].err, sizeof fm->f[EX_PATH].err, "%s",
		    e.msg);
		fm->cur = EX_PATH;
		goto out;
	}
	ui_log(u, "exported %s of '%s' to %s (%s%s)", key ? "key" :
	    "certificate", name, path, der ? "DER" : "PEM", key ? (enc ?
	    ", encrypted PKCS#8" : ", UNENCRYPTED PKCS#8, mode 0600") : "");
	if (key)
		ui_set_openssl(u, "openssl pkcs8 -topk8 %s -in %s.key -outform "
		    "%s -out %s", enc ? "-v2 aes-256-cbc -v2prf hmacWithSHA256" :
		    "-nocrypt", name, der ? "DER" : "PEM", path);
	else
		ui_set_openssl(u, "openssl x509 -in %s.crt -outform %s -out %s",
		    name, der ? "DER" : "PEM", path);
	rc = 0;
out:
	buf_clear_secret(&out);
	return rc;
}

void
scr_open_export(struct ui *u)
{
	struct field *f;
	const char *name = ent_selected(u);
	char *path;

	if (name == NULL)
		name = "";
	form_begin(u, "Export", submit_export, 0);
	f = form_add(u, "Entity", name);
	f->check = check_name;
	f = form_add(u, "What", "certificate");
	f->choices = what_choices;
	f = form_add(u, "Format", "PEM");
	f->choices = format_choices;
	path = xasprintf("%s.crt.pem", name);
	f = form_add(u, "Path", path);
	f->hint = "a key is never written over an existing file";
	free(path);
	f = form_add(u, "Key passphrase", "");
	f->masked = 1;
	f->hint = "for a key: the keystore's passphrase";
	f = form_add(u, "Encrypt key", "yes");
	f->choices = yesno_choices;
	f->hint = "PKCS#8 with PBES2 (AES-256-CBC, PBKDF2)";
	f = form_add(u, "Export passphrase", "");
	f->masked = 1;
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl x509 -in "
	    "%s.crt -outform PEM -out %s.crt.pem", name, name);
}

/* ---- revoke and renew from the inventory (as `ca revoke`, `ca renew`) ---- */

static const char *const reason_choices[] = { "unspecified", "keyCompromise",
	"cACompromise", "affiliationChanged", "superseded",
	"cessationOfOperation", "certificateHold", NULL };
/* A certificate on hold: lift it, or make the revocation final. */
static const char *const held_choices[] = { "removeFromCRL", "unspecified",
	"keyCompromise", "cACompromise", "affiliationChanged", "superseded",
	"cessationOfOperation", NULL };
static const char *const noyes_choices[] = { "no", "yes", NULL };

static const struct cadb_cert *
inv_selected(struct ui *u)
{
	if (!u->db_open || u->ninv == 0)
		return NULL;
	return &u->db.certs[u->inv[u->inv_cur]];
}

/* Reopens the inventory after a change, the selection on serial. */
static void
inv_reload(struct ui *u, const char *serial)
{
	char name[WS_NAME_MAX + 1];
	size_t k;

	ui_fmt(name, sizeof name, "%s", u->inv_ca);
	inv_open(u, name);
	for (k = 0; serial != NULL && k < u->ninv; k++)
		if (strcmp(u->db.certs[u->inv[k]].serial, serial) == 0) {
			u->inv_cur = k;
			break;
		}
}

/* The inventory's CA as a read-only struct ca around its copy of the
 * database, for the lifecycle checks: what can be refused is refused
 * before a passphrase is asked. */
static void
inv_as_ca(struct ui *u, struct ca *tmp)
{
	memset(tmp, 0, sizeof *tmp);
	tmp->name = u->inv_ca;
	tmp->db = u->db;	/* a shallow copy, only read */
}

/* lifecycle_revoke_check on the inventory's CA. */
static int
inv_revoke_check(struct ui *u, const char *serial, const char *reason,
    struct err *e)
{
	struct ca tmp;

	inv_as_ca(u, &tmp);
	return lifecycle_revoke_check(&tmp, serial, reason, e);
}

/* lifecycle_renew_check likewise (rekey: the new request, or NULL). */
static int
inv_renew_check(struct ui *u, const char *serial, const struct csr *rekey,
    struct err *e)
{
	struct ca tmp;

	inv_as_ca(u, &tmp);
	return lifecycle_renew_check(&tmp, serial, rekey, NULL, e);
}

static void
inv_confirm_cancel(struct ui *u)
{
	if (u->lc_confirm) {
		u->lc_confirm = 0;
		ui_log(u, "revoke of %s cancelled: nothing changed",
		    u->lc_serial);
	}
}

static void
inv_revoke_then(struct ui *u)
{
	struct err e;
	int64_t now = u->lc_when_set ? u->lc_when : (int64_t)time(NULL);
	int lift = crl_reason_find(u->lc_reason) == CRL_REASON_REMOVE_FROM_CRL;
	char when[32], serial[CADB_SERIAL_MAX + 1];

	err_clear(&e);
	ui_fmt(serial, sizeof serial, "%s", u->lc_serial);
	if (lifecycle_revoke(&u->ca, serial, u->lc_reason, now,
	    u->lc_invalidity, &e) == -1) {
		ui_error(u, &e);
		inv_reload(u, serial);
		return;
	}
	verify_format_time(now, when, sizeof when);
	if (lift)
		ui_log(u, "hold lifted on %s (%s)", serial, u->lc_subject);
	else
		ui_log(u, "revoked %s (%s) on %s: %s", serial,
		    crl_reason_name(crl_reason_find(u->lc_reason)), when,
		    u->lc_subject);
	lc_regen_crl(u);
	inv_reload(u, serial);
	ui_set_openssl(u, "openssl ca -keyfile %s.key -cert %s.crt -revoke "
	    "%s.pem %s%s; openssl ca -gencrl -out crl.pem", u->ca.name,
	    u->ca.name, serial, strcmp(u->lc_reason, "certificateHold") == 0 ?
	    "-crl_hold holdInstructionReject" : "-crl_reason ",
	    strcmp(u->lc_reason, "certificateHold") == 0 ? "" : u->lc_reason);
}

static int
submit_revoke(struct ui *u, struct form *fm)
{
	struct err e;
	int64_t inv = 0, when = 0;

	err_clear(&e);
	if (fm->f[RV_INVALID].val[0] != '\0' &&
	    (verify_parse_time(fm->f[RV_INVALID].val, &inv, &e) == -1 ||
	    inv == 0)) {
		ui_fmt(fm->f[RV_INVALID].err, sizeof fm->f[RV_INVALID].err,
		    "%s", inv == 0 && e.msg[0] == '\0' ? "not the epoch" :
		    e.msg);
		fm->cur = RV_INVALID;
		return -1;
	}
	if (inv != 0 && strcmp(fm->f[RV_REASON].val, "removeFromCRL") == 0) {
		ui_fmt(fm->f[RV_INVALID].err, sizeof fm->f[RV_INVALID].err,
		    "no invalidity date when a hold is lifted");
		fm->cur = RV_INVALID;
		return -1;
	}
	/* A lift is no revocation: it holds from the CRL that no longer
	 * lists the certificate, so no date is taken for it. */
	if (fm->f[RV_DATE].val[0] != '\0' && strcmp(fm->f[RV_REASON].val,
	    "removeFromCRL") == 0) {
		ui_fmt(fm->f[RV_DATE].err, sizeof fm->f[RV_DATE].err,
		    "no revocation date when a hold is lifted (it is lifted "
		    "now)");
		fm->cur = RV_DATE;
		return -1;
	}
	/* As `ca revoke --date`: any time that parses, backdating included. */
	if (fm->f[RV_DATE].val[0] != '\0' &&
	    verify_parse_time(fm->f[RV_DATE].val, &when, &e) == -1) {
		ui_fmt(fm->f[RV_DATE].err, sizeof fm->f[RV_DATE].err, "%s",
		    e.msg);
		fm->cur = RV_DATE;
		return -1;
	}
	if (inv_revoke_check(u, u->lc_serial, fm->f[RV_REASON].val,
	    &e) == -1) {
		ui_fmt(fm->f[RV_REASON].err, sizeof fm->f[RV_REASON].err, "%s",
		    e.msg);
		fm->cur = RV_REASON;
		return -1;
	}
	ui_fmt(u->lc_reason, sizeof u->lc_reason, "%s", fm->f[RV_REASON].val);
	u->lc_invalidity = inv;
	u->lc_when = when;
	u->lc_when_set = fm->f[RV_DATE].val[0] != '\0';
	u->lc_confirm = 1;
	u->focus = WIN_MAIN;
	return 0;
}

/* r: the reason picker, then the y/n question drawn over the list. */
static void
inv_revoke(struct ui *u)
{
	const struct cadb_cert *c = inv_selected(u);
	static char title[CADB_SERIAL_MAX + 64];
	struct field *f;
	struct err e;
	int held;

	if (c == NULL)
		return;
	held = lifecycle_state(c, u->now) == LIFECYCLE_ON_HOLD;
	/* Refuse at once what no reason would make right. */
	if (inv_revoke_check(u, c->serial, held ? "removeFromCRL" :
	    "unspecified", &e) == -1) {
		ui_log(u, "refused: %s", e.msg);
		return;
	}
	ui_fmt(u->lc_serial, sizeof u->lc_serial, "%s", c->serial);
	ui_fmt(u->lc_subject, sizeof u->lc_subject, "%s", c->subject);
	ui_fmt(title, sizeof title, "%s serial %s", held ? "On hold:" :
	    "Revoke", c->serial);
	form_begin(u, title, submit_revoke, 0);
	f = form_add(u, "Reason", held ? "removeFromCRL" : "unspecified");
	f->choices = held ? held_choices : reason_choices;
	/* Hints fit the field's 52 columns of an 80-column terminal. */
	f->hint = held ? "removeFromCRL lifts the hold; another makes it "
	    "final" : "Space, Left/Right; certificateHold can be lifted";
	f = form_add(u, "Invalid since", "");
	f->hint = "optional: YYYY-MM-DD, since when the key is unsafe";
	f = form_add(u, "Revoked on", "");
	f->hint = held ? "only with a final reason (empty: now)" :
	    "empty: now; to backdate YYYY-MM-DD[THH:MM:SSZ]";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl ca "
	    "-keyfile %s.key -cert %s.crt -revoke %s.pem -crl_reason REASON",
	    u->inv_ca, u->inv_ca, c->serial);
}

/* After a rekey no keystore holds the new key: the certificate goes next
 * to the request, as the Issue screen writes it. */
static void
renew_write(struct ui *u, const struct ca_issued *res)
{
	struct buf pem;
	struct err e;
	size_t n = strlen(u->lc_req_path);
	char *out;

	if (n > 8 && strcmp(u->lc_req_path + n - 8, ".csr.pem") == 0)
		out = xasprintf("%.*s.crt.pem", (int)(n - 8), u->lc_req_path);
	else
		out = xasprintf("%s.crt.pem", u->lc_req_path);
	buf_init(&pem);
	pem_encode("CERTIFICATE", res->der, res->len, &pem);
	if (file_write(out, pem.data, pem.len, 0644, 0, &e) == -1)
		ui_error(u, &e);
	else
		ui_log(u, "certificate written to %s (no keystore has its "
		    "key)", out);
	buf_clear(&pem);
	free(out);
}

/* Stores a renewed certificate, with the CA's chain after it, in the
 * entity lifecycle_renew_keystore picks; after a rekey with none, writes
 * a file. */
static void
renew_store(struct ui *u, const char *oldserial, const struct ca_issued *res,
    const char *until)
{
	struct buf pem;
	struct err e;
	char *name = NULL;

	if (lifecycle_renew_keystore(&u->ca, oldserial, u->lc_req, &name,
	    &e) == -1)
		ui_error(u, &e);
	if (name != NULL) {
		buf_init(&pem);
		pem_encode("CERTIFICATE", res->der, res->len, &pem);
		if (u->ca.ks.cert_pem != NULL)
			buf_puts(&pem, u->ca.ks.cert_pem);
		else
			pem_encode("CERTIFICATE", u->ca.root.der,
			    u->ca.root.len, &pem);
		if (keystore_set_cert(&u->ws, name, (const char *)pem.data,
		    res->subject, until, &e) == -1)
			ui_error(u, &e);
		else
			ui_log(u, "the %s certificate replaces the old in "
			    "keystore '%s'", u->lc_req != NULL ? "rekeyed" :
			    "renewed", name);
		buf_clear(&pem);
		free(name);
		scr_refresh_lists(u);
		return;
	}
	if (u->lc_req != NULL)
		renew_write(u, res);
}

static void
renew_drop(struct ui *u)
{
	if (u->lc_req != NULL) {
		csr_clear(u->lc_req);
		free(u->lc_req);
		u->lc_req = NULL;
	}
}

static void
inv_renew_then(struct ui *u)
{
	struct ca_issued res;
	struct err e;
	char until[WS_TIME_LEN], old[CADB_SERIAL_MAX + 1];

	err_clear(&e);
	ca_issued_init(&res);
	ui_fmt(old, sizeof old, "%s", u->lc_serial);
	if (lifecycle_renew(&u->ca, old, u->lc_req, u->lc_days,
	    u->lc_revoke_old, (int64_t)time(NULL), &res, &e) == -1) {
		ui_error(u, &e);
		inv_reload(u, old);
		goto out;
	}
	ws_time_format(res.not_after, until);
	ui_log(u, "%s %s as %s %s (until %s%s)", u->lc_req != NULL ?
	    "rekeyed" : "renewed", old, res.serial, res.subject, until,
	    res.clamped ? ", cut to the CA's notAfter" : "");
	if (u->lc_revoke_old) {
		ui_log(u, "old certificate %s revoked (superseded)", old);
		lc_regen_crl(u);
	}
	renew_store(u, old, &res, until);
	inv_reload(u, res.serial);
	if (u->lc_req != NULL)
		ui_set_openssl(u, "openssl ca -keyfile %s.key -cert %s.crt -in "
		    "%s -out %s.pem", u->ca.name, u->ca.name, u->lc_req_path,
		    res.serial);
	else
		ui_set_openssl(u, "openssl x509 -x509toreq -in %s.pem -signkey "
		    "KEY -out renew.csr; openssl ca -keyfile %s.key -cert "
		    "%s.crt -in renew.csr -out %s.pem", old, u->ca.name,
		    u->ca.name, res.serial);
out:
	renew_drop(u);
	ca_issued_clear(&res);
}

static void
check_days_opt(const char *v, char *err, size_t n)
{
	if (*v != '\0')
		check_days(v, err, n);
}

/* lifecycle_renew's checks of a new key's request, before a passphrase
 * is asked: it reads, proves its key, and names the old subject. */
static int
renew_read_request(struct ui *u, const char *path, struct csr *req,
    struct err *e)
{
	if (csr_load(req, path, e) == -1 ||
	    ca_check_request(req, e) == -1)
		return -1;
	return inv_renew_check(u, u->lc_serial, req, e);
}

static int
submit_renew(struct ui *u, struct form *fm)
{
	struct field *rq = &fm->f[RN_REQ];
	struct csr *req = NULL;
	struct err e;

	err_clear(&e);
	if (rq->val[0] != '\0') {
		req = xmalloc(sizeof *req);
		csr_init(req);
		if (renew_read_request(u, rq->val, req, &e) == -1) {
			ui_fmt(rq->err, sizeof rq->err, "%s", e.msg);
			fm->cur = RN_REQ;
			csr_clear(req);
			free(req);
			return -1;
		}
	}
	renew_drop(u);
	u->lc_req = req;
	ui_fmt(u->lc_req_path, sizeof u->lc_req_path, "%s", rq->val);
	u->lc_days = fm->f[RN_DAYS].val[0] != '\0' ?
	    atol(fm->f[RN_DAYS].val) : 0;
	u->lc_revoke_old = strcmp(fm->f[RN_REVOKE_OLD].val, "yes") == 0;
	form_wipe(u);
	ca_need(u, u->inv_ca, inv_renew_then);
	/* The unlock form, when one was opened, stays. */
	return u->form_open ? -1 : 0;
}

/* n: renew the selected certificate (a new serial; the same key, or the
 * key of a new request: a rekey). */
static void
inv_renew(struct ui *u)
{
	const struct cadb_cert *c = inv_selected(u);
	static char title[CADB_SERIAL_MAX + 64];
	struct field *f;
	struct err e;

	if (c == NULL)
		return;
	/* As `ca renew` refuses before asking for a passphrase. */
	if (inv_renew_check(u, c->serial, NULL, &e) == -1) {
		ui_log(u, "refused: %s", e.msg);
		return;
	}
	ui_fmt(u->lc_serial, sizeof u->lc_serial, "%s", c->serial);
	ui_fmt(u->lc_subject, sizeof u->lc_subject, "%s", c->subject);
	ui_fmt(title, sizeof title, "Renew serial %s", c->serial);
	form_begin(u, title, submit_renew, 0);
	f = form_add(u, "Validity (days)", "");
	f->check = check_days_opt;
	f->hint = "empty: as long as the old certificate was";
	f = form_add(u, "Revoke the old", "no");
	f->choices = noyes_choices;
	f->hint = "yes: revoked with reason superseded, CRL regenerated";
	f = form_add(u, "New request", "");
	f->hint = "empty: same key; to rekey a request (same subject)";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl ca -keyfile "
	    "%s.key -cert %s.crt -in SAME-KEY.csr -out NEW.pem", u->inv_ca,
	    u->inv_ca);
}

static void
draw_confirm(struct ui *u, int y, int x, int h, int w)
{
	int bw = w - 4 > 76 ? 76 : w - 4, bx = x + (w - bw) / 2, by, i;
	char q[400];

	by = y + (h - 6) / 2;
	if (bw < 20 || h < 6)
		return;
	for (i = 0; i < 6; i++)
		ui_fill(by + i, bx, bw);
	ui_box(by, bx, 6, bw, "Confirm", 1);
	if (strcmp(u->lc_reason, "removeFromCRL") == 0)
		ui_fmt(q, sizeof q, "Lift the hold on serial %s of %s? y/n",
		    u->lc_serial, u->lc_subject);
	else
		ui_fmt(q, sizeof q, "Revoke serial %s of %s? y/n",
		    u->lc_serial, u->lc_subject);
	attron(A_BOLD);
	if ((int)strlen(q) <= bw - 4)
		ui_put(by + 1, bx + 2, bw - 4, q);
	else {
		/* Two rows, cut before the subject, else at the last space
		 * that fits. */
		char *of = strstr(q, " of ");
		size_t k = (size_t)(bw - 4);

		if (of != NULL && of - q <= bw - 4)
			k = (size_t)(of - q);
		while (k > 0 && q[k] != ' ')
			k--;
		if (k == 0)
			k = (size_t)(bw - 4);
		q[k] = '\0';
		ui_put(by + 1, bx + 2, bw - 4, q);
		ui_put(by + 2, bx + 2, bw - 4, q + k + 1);
	}
	attroff(A_BOLD);
	if (u->lc_when_set) {
		char when[32];

		verify_format_time(u->lc_when, when, sizeof when);
		ui_fmt(q, sizeof q, "reason %s, revoked on %s; the CRL is "
		    "regenerated", u->lc_reason, when);
	} else
		ui_fmt(q, sizeof q, "reason %s; the CRL is regenerated",
		    u->lc_reason);
	ui_put(by + 3, bx + 2, bw - 4, q);
	ui_put(by + 4, bx + 2, bw - 4, "y revokes, any other key cancels");
}

/* ---- open a file: certificate, request, CRL or key ---- */

static char open_last[UI_FIELD_MAX];

/* Shows one DER object of kind k (KIND_UNKNOWN: the structure decides);
 * only the public part of a key is ever shown. */
static int
open_show(struct ui *u, enum kind k, const uint8_t *der, size_t len,
    const char *path, const char *pass, struct err *e)
{
	struct cert c;
	struct csr r;
	struct crl crl;
	struct rsakey key;
	struct buf b;
	enum pkey_format pf;
	size_t tl;
	int rc = -1;

	cert_init(&c);
	csr_init(&r);
	crl_init(&crl);
	rsakey_init(&key);
	buf_init(&b);
	/* DER without a label: the structure decides. */
	if (k == KIND_UNKNOWN && (k = kind_sniff(der, len, e)) == KIND_UNKNOWN)
		goto out;
	switch (k) {
	case KIND_CERT:
		if (cert_parse(&c, der, len, e) == -1)
			goto out;
		detail_cert(u, &c, NULL, path);
		break;
	case KIND_TRUSTED_CERT:
		/* The certificate, then OpenSSL's trust settings under it. */
		if (kind_trusted_split(der, len, &tl, e) == -1 ||
		    cert_parse(&c, der, tl, e) == -1 ||
		    text_trust(&b, der + tl, len - tl, e) == -1)
			goto out;
		detail_cert(u, &c, NULL, path);
		lines_add(&u->text, "");
		lines_add_text(&u->text, (const char *)b.data, 0);
		break;
	case KIND_CSR:
		if (csr_parse(&r, der, len, e) == -1)
			goto out;
		detail_csr(u, &r, path);
		break;
	case KIND_CRL:
		if (crl_parse(&crl, der, len, e) == -1)
			goto out;
		detail_clear(u);
		lines_addf(&u->text, "%cCertificate revocation list (%s)",
		    LINE_HEAD, path);
		lc_crl_text(&u->text, &crl);
		buf_append(&u->der, der, len);
		u->nnodes = asn1view_flatten(u->der.data, u->der.len,
		    &u->nodes);
		ui_set_openssl(u, "openssl crl -in %s -noout -text", path);
		ui_set_screen(u, SCR_DETAIL);
		break;
	default:
		pf = pkey_detect(der, len);
		if (pf == PKEY_UNKNOWN) {
			err_set(e, ERR_INPUT, "not a key: unknown DER "
			    "structure");
			goto out;
		}
		if (pf == PKEY_PKCS8_ENCRYPTED && *pass == '\0') {
			err_set(e, ERR_PASS, "an encrypted private key: give "
			    "its passphrase in the form");
			goto out;
		}
		if (pkey_decode(&key, der, len, pass, strlen(pass), e) == -1)
			goto out;
		detail_clear(u);
		lines_addf(&u->text, "%c%s, public part", LINE_HEAD,
		    kind_key_name(pf));
		lines_addf(&u->text, "  file %s", path);
		text_key(&b, &key);
		lines_add_text(&u->text, (const char *)b.data, 0);
		if (pf == PKEY_SPKI || pf == PKEY_PKCS1_PUBLIC)
			buf_append(&u->der, der, len);
		else {
			/* Never a private number on the screen: the ASN.1
			 * view gets the public key's SPKI. */
			uint8_t *spki;
			size_t sl;

			lines_add(&u->text, "");
			lines_add(&u->text, "(the private part is not shown; t "
			    "shows the public key's ASN.1)");
			if ((spki = der_encode(spki_encode, &key, &sl,
			    NULL)) != NULL) {
				buf_append(&u->der, spki, sl);
				free(spki);
			}
		}
		u->nnodes = asn1view_flatten(u->der.data, u->der.len,
		    &u->nodes);
		ui_set_openssl(u, "openssl pkey -in %s -noout -text_pub", path);
		ui_set_screen(u, SCR_DETAIL);
	}
	rc = 0;
out:
	buf_clear(&b);
	rsakey_clear(&key);
	crl_clear(&crl);
	csr_clear(&r);
	cert_clear(&c);
	return rc;
}

static int
submit_open(struct ui *u, struct form *fm)
{
	struct buf data;
	struct pem_list pl;
	struct err e;
	const char *path = fm->f[0].val, *pass = fm->f[1].val;
	enum kind k = KIND_UNKNOWN;
	size_t i;
	int rc = -1;

	err_clear(&e);
	buf_init(&data);
	pem_list_init(&pl);
	ui_fmt(open_last, sizeof open_last, "%s", path);
	if (file_read(path, FILE_MAX_INPUT, &data, &e) == -1)
		goto fail;
	if (!pem_detect(data.data, data.len)) {
		if (open_show(u, KIND_UNKNOWN, data.data, data.len, path, pass,
		    &e) == -1) {
			err_wrap(&e, "%s", path);
			goto fail;
		}
		goto ok;
	}
	if (pem_decode((const char *)data.data, data.len, &pl, &e) == -1) {
		err_wrap(&e, "%s", path);
		goto fail;
	}
	/* The first block of a kind we show. */
	for (i = 0; i < pl.n; i++)
		if ((k = kind_of_label(pl.v[i].label)) != KIND_UNKNOWN)
			break;
	if (i == pl.n) {
		err_set(&e, ERR_INPUT, "%s: no certificate, request, CRL or "
		    "key in it", path);
		goto fail;
	}
	if (k == KIND_CERT) {
		/* A chain file: every certificate, drawn as the chain tree. */
		struct cert_list l;

		cert_list_init(&l);
		if (cert_list_load(&l, data.data, data.len, &e) == 0 && l.n > 1) {
			detail_cert(u, &l.v[0], &l, path);
			ui_log(u, "%s: %zu certificates; the first is shown",
			    path, l.n);
			cert_list_clear(&l);
			goto ok;
		}
		cert_list_clear(&l);
		err_clear(&e);
	}
	if (open_show(u, k, pl.v[i].der, pl.v[i].len, path, pass, &e) == -1) {
		err_wrap(&e, "%s: line %zu: %s", path, pl.v[i].line,
		    pl.v[i].label);
		goto fail;
	}
	if (pl.n > 1)
		ui_log(u, "%s: %zu PEM blocks; showing block %zu (%s)", path,
		    pl.n, i + 1, pl.v[i].label);
ok:
	ui_log(u, "opened %s", path);
	rc = 0;
	goto out;
fail:
	/* The message goes to the log; the form closes and the UI goes on. */
	ui_error(u, &e);
	rc = 0;
out:
	form_wipe(u);
	pem_list_clear(&pl);
	buf_clear_secret(&data);
	return rc;
}

/* O: open any file and show it decoded on the Detail screen. */
static void
scr_open_file(struct ui *u)
{
	struct field *f;

	form_begin(u, "Open a file: certificate, request, CRL or key",
	    submit_open, 0);
	f = form_add(u, "Path", open_last);
	f->check = check_required;
	f->hint = "PEM or DER; a key shows only its public part";
	f = form_add(u, "Key passphrase", "");
	f->masked = 1;
	f->hint = "only for an encrypted private key";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl x509 -in "
	    "FILE -noout -text   (openssl req / crl / pkey for the others)");
}

/* ---- lock ---- */

void
scr_lock(struct ui *u)
{
	if (u->ca_open || u->ca.name != NULL) {
		if (u->ca_open)
			ui_log(u, "CA '%s' locked: its key is wiped from "
			    "memory", u->ca.name);
		ca_clear(&u->ca);	/* rsakey_clear wipes the key */
		ca_init(&u->ca);
		u->ca_open = 0;
	}
}

/* ---- drawing ---- */

static void
draw_entities(struct ui *u, int y, int x, int h, int w)
{
	size_t i, k;
	int r;
	char line[512];

	if (u->filtering || u->ent_filter[0]) {
		ui_fmt(line, sizeof line, "/%s%s", u->ent_filter,
		    u->filtering ? "_" : "");
		attron(A_BOLD);
		ui_put(y + h - 1, x, w, line);
		attroff(A_BOLD);
		h--;
	}
	attron(A_BOLD | A_UNDERLINE);
	ui_fmt(line, sizeof line, " %-16s %-5s %-5s %-11s %s", "Name", "Key",
	    "Cert", "Not after", "Subject");
	ui_fill(y, x, w);
	ui_put(y, x, w, line);
	attroff(A_BOLD | A_UNDERLINE);
	if (u->nent_idx == 0) {
		ui_put(y + 2, x + 1, w - 2, u->nents ? "(nothing matches the "
		    "filter)" : "No entities yet: n makes a key, c a CA, d the "
		    "demo lab.");
		return;
	}
	h--;
	u->list_y = y + 1;
	u->list_h = h;
	if (u->ent_cur < u->ent_top)
		u->ent_top = u->ent_cur;
	if (u->ent_cur >= u->ent_top + (size_t)h)
		u->ent_top = u->ent_cur - (size_t)h + 1;
	for (r = 0; r < h; r++) {
		const struct ent_sum *s;

		k = u->ent_top + (size_t)r;
		if (k >= u->nent_idx)
			break;
		i = u->ent_idx[k];
		s = &u->sums[i];
		ui_fmt(line, sizeof line, " %-16s %-5u %-5s %-11.10s %s",
		    u->ents[i], s->bits, s->is_ca ? "CA" : s->has_cert ?
		    "yes" : "none", s->not_after[0] ? s->not_after : "-",
		    s->subject);
		if (k == u->ent_cur)
			attron(A_REVERSE);
		ui_fill(y + 1 + r, x, w);
		ui_put(y + 1 + r, x, w, line);
		if (k == u->ent_cur)
			attroff(A_REVERSE);
	}
}

static void
draw_inventory(struct ui *u, int y, int x, int h, int w)
{
	static const char *const cols[] = { "Serial", "Subject", "Not after",
		"Status" };
	char line[600], head[200], when[WS_TIME_LEN];
	size_t k;
	int y0 = y, h0 = h;
	int r, sw = w - 54 > 10 ? w - 54 : 10;

	if (!u->db_open) {
		ui_put(y + 1, x + 1, w - 2, u->ncas ? "Cannot open the CA "
		    "database (see the log)." : "No CA yet: c on the Entities "
		    "screen creates one, d the demo lab.");
		return;
	}
	ui_fmt(line, sizeof line, "CA %s: %zu certificates, %zu shown; "
	    "status %s (f); sorted by %s%s", u->inv_ca, u->db.ncerts, u->ninv,
	    lc_status_name(u->inv_status), cols[u->sort_col],
	    u->sort_rev ? " (reversed)" : "");
	ui_put(y, x, w, line);
	if (u->filtering || u->inv_filter[0]) {
		ui_fmt(line, sizeof line, "/%s%s", u->inv_filter,
		    u->filtering ? "_" : "");
		attron(A_BOLD);
		ui_put(y + h - 1, x, w, line);
		attroff(A_BOLD);
		h--;
	}
	ui_fmt(head, sizeof head, "  %-18s %-*.*s %-12s %-10s",
	    u->sort_col == 0 ? "Serial*" : "Serial", sw, sw,
	    u->sort_col == 1 ? "Subject*" : "Subject",
	    u->sort_col == 2 ? "Not after*" : "Not after",
	    u->sort_col == 3 ? "Status*" : "Status");
	attron(A_BOLD | A_UNDERLINE);
	ui_fill(y + 1, x, w);
	ui_put(y + 1, x, w, head);
	attroff(A_BOLD | A_UNDERLINE);
	h -= 2;
	u->list_y = y + 2;
	u->list_h = h;
	if (u->inv_cur < u->inv_top)
		u->inv_top = u->inv_cur;
	if (h > 0 && u->inv_cur >= u->inv_top + (size_t)h)
		u->inv_top = u->inv_cur - (size_t)h + 1;
	/* Only the visible rows are formatted. */
	for (r = 0; r < h; r++) {
		const struct cadb_cert *c;
		const char *st;
		char mark;

		k = u->inv_top + (size_t)r;
		if (k >= u->ninv)
			break;
		c = &u->db.certs[u->inv[k]];
		st = inv_status(u, c);
		ws_time_format(c->not_after, when);
		when[10] = '\0';
		mark = strcmp(st, "valid") == 0 ? ' ' : strcmp(st, "soon") == 0
		    ? '~' : '!';
		ui_fmt(line, sizeof line, "%c %-18.18s %-*.*s %-12s %-10s",
		    mark, c->serial, sw, sw, c->subject, when, st);
		if (k == u->inv_cur)
			attron(A_REVERSE);
		else if (mark == '!')
			attron(A_BOLD);
		ui_fill(y + 2 + r, x, w);
		ui_put(y + 2 + r, x, w, line);
		if (k == u->inv_cur)
			attroff(A_REVERSE);
		else if (mark == '!')
			attroff(A_BOLD);
	}
	if (u->ninv == 0)
		ui_put(y + 3, x + 1, w - 2, u->inv_status != LC_ST_ALL ?
		    "(nothing with this status: f shows the next filter)" :
		    u->inv_filter[0] ? "(nothing matches the filter)" :
		    "No certificates issued yet: i on the Entities screen.");
	if (u->lc_confirm)
		draw_confirm(u, y0, x, h0, w);
}
static void
draw_asn1(struct ui *u, int y, int x, int h, int w)
{
	int lh = h - 7, r;
	size_t i;
	char line[300];

	if (u->nnodes == 0) {
		ui_put(y, x, w, "(nothing decoded)");
		return;
	}
	attron(A_BOLD | A_UNDERLINE);
	ui_put(y, x, w, "offset   len  ASN.1 (t: back to the fields)");
	attroff(A_BOLD | A_UNDERLINE);
	y++;
	if (u->text.cur >= u->nnodes)
		u->text.cur = u->nnodes - 1;
	if (u->text.cur < u->text.top)
		u->text.top = u->text.cur;
	if (u->text.cur >= u->text.top + (size_t)lh)
		u->text.top = u->text.cur - (size_t)lh + 1;
	for (r = 0; r < lh; r++) {
		const struct asn1_node *n;
		char val[80] = "";

		i = u->text.top + (size_t)r;
		if (i >= u->nnodes)
			break;
		n = &u->nodes[i];
		if (n->tag == DER_OID) {
			oid_to_text(u->der.data + n->off + n->hdrlen, n->len,
			    val, sizeof val);
		} else if (n->tag == DER_UTF8STRING || n->tag ==
		    DER_PRINTABLESTRING || n->tag == DER_IA5STRING ||
		    n->tag == DER_UTCTIME || n->tag == DER_GENERALIZEDTIME) {
			ui_fmt(val, sizeof val, "%.*s", n->len > 60 ? 60 :
			    (int)n->len, u->der.data + n->off + n->hdrlen);
		}
		ui_fmt(line, sizeof line, "%6zu %5zu  %*s%s %s", n->off,
		    n->len, (int)(2 * n->depth), "",
		    asn1view_tag_name(n->tag), val);
		if (i == u->text.cur)
			attron(A_REVERSE);
		ui_fill(y + r, x, w);
		ui_put(y + r, x, w, line);
		if (i == u->text.cur)
			attroff(A_REVERSE);
	}
	{
		const struct asn1_node *n = &u->nodes[u->text.cur];
		size_t tot = n->hdrlen + n->len, k, per = (size_t)(w - 8) / 3;

		attron(A_BOLD);
		ui_fmt(line, sizeof line, "tag 0x%02x %s  offset %zu  header "
		    "%zu  length %zu", n->tag, asn1view_tag_name(n->tag),
		    n->off, n->hdrlen, n->len);
		ui_put(y + lh, x, w, line);
		attroff(A_BOLD);
		for (r = 0; r < 5 && (size_t)r * per < tot; r++) {
			int p = ui_fmt(line, sizeof line, "%04zx ",
			    (size_t)r * per);

			for (k = (size_t)r * per; k < tot && k < (size_t)(r + 1)
			    * per && p < (int)sizeof line - 4; k++)
				p += ui_fmt(line + p, sizeof line - (size_t)p,
				    " %02x", u->der.data[n->off + k]);
			if (r == 4 && tot > 5 * per)
				ui_fmt(line + p, sizeof line - (size_t)p,
				    " ...");
			ui_put(y + lh + 1 + r, x, w, line);
		}
	}
}

void
scr_draw_main(struct ui *u, int y, int x, int h, int w)
{
	switch (u->scr) {
	case SCR_ENTITIES:
		draw_entities(u, y, x, h, w);
		break;
	case SCR_INVENTORY:
		if (u->lc_confirm && (u->focus != WIN_MAIN || u->filtering ||
		    u->form_open || u->help))
			inv_confirm_cancel(u);
		draw_inventory(u, y, x, h, w);
		break;
	case SCR_DETAIL:
		if (u->asn1) {
			draw_asn1(u, y, x, h, w);
			break;
		}
		lines_draw(&u->text, y, x, h, w, 0);
		break;
	case SCR_CRL:
	case SCR_AUDIT:
		lc_draw(u, y, x, h, w);
		break;
	case SCR_CONNECT:
		conn_draw(u, y, x, h, w);
		break;
	default:
		lines_draw(&u->text, y, x, h, w, 0);
	}
}

void
scr_draw_side(struct ui *u, int y, int x, int h, int w)
{
	lines_clear(&u->side);
	if (u->scr == SCR_ENTITIES && ent_selected(u) != NULL) {
		const struct ent_sum *s = &u->sums[u->ent_idx[u->ent_cur]];
		const char *n = ent_selected(u);

		lines_addf(&u->side, "%cEntity %s%s", LINE_HEAD, n,
		    s->is_ca ? "  (a CA)" : "");
		lines_addf(&u->side, "keystore   %s/keys/%s.yaml", u->ws.dir, n);
		lines_addf(&u->side, "key        RSA %u bits, encrypted "
		    "(PBKDF2-HMAC-SHA256, AES-256-GCM)", s->bits);
		lines_addf(&u->side, "created    %s", s->created);
		if (s->has_cert) {
			lines_addf(&u->side, "subject    %s", s->subject);
			lines_addf(&u->side, "not after  %s", s->not_after);
			lines_add(&u->side, "Enter: the certificate decoded; "
			    "v verify; x export; O open any file");
		} else
			lines_addf(&u->side, "%cno certificate yet: r makes a "
			    "request, i issues it", LINE_WARN);
	} else if (u->scr == SCR_INVENTORY && u->db_open && u->ninv > 0) {
		const struct cadb_cert *c = &u->db.certs[u->inv[u->inv_cur]];
		char a[WS_TIME_LEN], b[WS_TIME_LEN], i[WS_TIME_LEN];

		ws_time_format(c->not_before, a);
		ws_time_format(c->not_after, b);
		ws_time_format(c->issued_at, i);
		lines_addf(&u->side, "%cSerial %s", LINE_HEAD, c->serial);
		lines_addf(&u->side, "subject    %s", c->subject);
		lines_addf(&u->side, "issuer     %s", c->issuer);
		lines_addf(&u->side, "profile    %s, issued %s", c->profile, i);
		lines_addf(&u->side, "valid      %s .. %s", a, b);
		lines_addf(&u->side, "%cstatus     %s%s%s", strcmp(inv_status(u,
		    c), "valid") ? LINE_FAIL : LINE_OK, inv_status(u, c),
		    c->reason ? ", " : "", c->reason ? c->reason : "");
		if (c->status == CADB_REVOKED) {
			ws_time_format(c->revoked_at, a);
			lines_addf(&u->side, "revoked    %s", a);
		}
		if (c->superseded_by != NULL)
			lines_addf(&u->side, "renewed as %s", c->superseded_by);
		lines_add(&u->side, "Enter: decoded; r revoke; n renew; f status "
		    "filter; v verify");
	}
	lines_draw(&u->side, y, x, h, w, 0);
}

/* ---- keys ---- */

int
scr_has_list(const struct ui *u)
{
	return u->scr == SCR_ENTITIES || u->scr == SCR_INVENTORY;
}

char *
scr_filter(struct ui *u)
{
	return u->scr == SCR_INVENTORY ? u->inv_filter : u->ent_filter;
}

void
scr_filter_changed(struct ui *u)
{
	if (u->scr == SCR_INVENTORY)
		inv_rebuild(u);
	else
		ent_filter_apply(u);
}

void
scr_move(struct ui *u, long d, int page)
{
	size_t *cur, n;
	long c;

	switch (u->scr) {
	case SCR_ENTITIES:
		cur = &u->ent_cur;
		n = u->nent_idx;
		break;
	case SCR_CRL:
	case SCR_AUDIT:
		lc_move(u, d, page);
		return;
	case SCR_INVENTORY:
		inv_confirm_cancel(u);
		cur = &u->inv_cur;
		n = u->ninv;
		break;
	case SCR_DETAIL:
		if (u->asn1) {
			cur = &u->text.cur;
			n = u->nnodes;
			break;
		}
		/* FALLTHROUGH */
	default:
		/* Plain text scrolls. */
		c = (long)u->text.top + d;
		if (c > (long)u->text.n - page)
			c = (long)u->text.n - page;
		if (c < 0)
			c = 0;
		u->text.top = u->text.cur = (size_t)c;
		return;
	}
	if (n == 0)
		return;
	c = (long)*cur + d;
	if (c < 0)
		c = 0;
	if (c >= (long)n)
		c = (long)n - 1;
	*cur = (size_t)c;
}

/* A click on row y of the screen: select the list entry shown there. */
void
scr_click(struct ui *u, int y)
{
	size_t k;

	if (!scr_has_list(u) || y < u->list_y || y >= u->list_y + u->list_h)
		return;
	if (u->scr == SCR_ENTITIES) {
		k = u->ent_top + (size_t)(y - u->list_y);
		if (k < u->nent_idx)
			u->ent_cur = k;
	} else {
		k = u->inv_top + (size_t)(y - u->list_y);
		if (k < u->ninv)
			u->inv_cur = k;
	}
}

void
scr_select(struct ui *u)
{
	switch (u->scr) {
	case SCR_ENTITIES:
		ent_detail(u);
		break;
	case SCR_INVENTORY:
		if (u->lc_confirm) {
			inv_confirm_cancel(u);
			break;
		}
		inv_detail(u);
		break;
	case SCR_WELCOME:
		ui_set_screen(u, SCR_ENTITIES);
		break;
	case SCR_VERIFY:
		scr_open_verify(u);
		break;
	default:
		break;
	}
}

static int
filter_key(struct ui *u, int ch)
{
	char *f = scr_filter(u);
	size_t n = strlen(f);

	if (ch == 27) {
		f[0] = '\0';
		u->filtering = 0;
	} else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
		u->filtering = 0;
		return 1;
	} else if (ch == 0x7f || ch == 8 || ch == KEY_BACKSPACE) {
		if (n > 0)
			f[n - 1] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f && n < 63) {
		f[n] = (char)ch;
		f[n + 1] = '\0';
	} else
		return 1;
	scr_filter_changed(u);
	return 1;
}

int
scr_key(struct ui *u, int ch)
{
	if (u->filtering)
		return filter_key(u, ch);
	if (u->lc_confirm) {
		/* The revoke question takes the next key: y, or cancel. */
		if (u->scr == SCR_INVENTORY && (ch == 'y' || ch == 'Y')) {
			u->lc_confirm = 0;
			ca_need(u, u->inv_ca, inv_revoke_then);
		} else
			inv_confirm_cancel(u);
		return 1;
	}
	if (ch == 'O' && (u->scr == SCR_DETAIL || u->scr == SCR_ENTITIES)) {
		scr_open_file(u);
		return 1;
	}
	switch (u->scr) {
	case SCR_ISSUE:
		return issue_key(u, ch);
	case SCR_DETAIL:
		if (ch == 't') {
			u->asn1 = !u->asn1;
			u->text.cur = u->text.top = 0;
			return 1;
		}
		return 0;
	case SCR_VERIFY:
		if (ch == 'V') {
			scr_open_verify(u);
			return 1;
		}
		return 0;
	case SCR_INVENTORY:
		switch (ch) {
		case '<': case '>':
			u->sort_col = (u->sort_col + (ch == '>' ? 1 : 3)) % 4;
			u->inv_sorted = 0;
			inv_rebuild(u);
			return 1;
		case 'R':
			u->sort_rev = !u->sort_rev;
			u->inv_sorted = 0;
			inv_rebuild(u);
			return 1;
		case 'f':
			u->inv_status = (u->inv_status + 1) % LC_ST__COUNT;
			u->now = (int64_t)time(NULL);
			inv_rebuild(u);
			ui_set_openssl(u, "minipki-tui ca list --ca %s%s%s",
			    u->inv_ca, u->inv_status == LC_ST_ALL ? "" :
			    u->inv_status == LC_ST_SOON ? " --expiring 30" :
			    " --status ", u->inv_status == LC_ST_ALL ||
			    u->inv_status == LC_ST_SOON ? "" :
			    lc_status_name(u->inv_status));
			return 1;
		case 'r':
			inv_revoke(u);
			return 1;
		case 'n':
			inv_renew(u);
			return 1;
		case 'C':
			if (u->ncas > 0) {
				size_t i;

				for (i = 0; i < u->ncas; i++)
					if (strcmp(u->cas[i], u->inv_ca) == 0)
						break;
				inv_open(u, u->cas[(i + 1) % u->ncas]);
			}
			return 1;
		}
		return 0;
	case SCR_CRL:
	case SCR_AUDIT:
		return lc_key(u, ch);
	case SCR_CONNECT:
		return conn_key(u, ch);
	default:
		return 0;
	}
}

static void
welcome_text(struct ui *u)
{
	lines_clear(&u->text);
	lines_addf(&u->text, "%cWelcome to minipki-tui", LINE_HEAD);
	lines_add(&u->text, "");
	lines_addf(&u->text, "This workspace (%s) is empty.", u->ws.dir);
	lines_add(&u->text, "A certificate authority (CA) signs certificates "
	    "that bind names to keys.");
	lines_add(&u->text, "");
	lines_add(&u->text, "  a   create a root CA through a form");
	lines_add(&u->text, "  d   create the demo lab: a root CA (demo-ca), a "
	    "server (localhost,");
	lines_add(&u->text, "      127.0.0.1) and two clients (alice, bob), "
	    "each with a certificate");
	lines_add(&u->text, "  1   go to the Entities screen");
	lines_add(&u->text, "");
	lines_add(&u->text, "Tab moves between windows, ? lists the keys, o "
	    "shows the openssl command");
	lines_add(&u->text, "of an action, q quits.");
}

void
scr_enter(struct ui *u, enum ui_screen s)
{
	inv_confirm_cancel(u);
	switch (s) {
	case SCR_WELCOME:
		welcome_text(u);
		ui_set_openssl(u, "openssl version");
		break;
	case SCR_ENTITIES:
		ui_set_openssl(u, "ls %s/keys/   (keystores: YAML, the key "
		    "encrypted with PBKDF2 + AES-256-GCM)", u->ws.dir);
		break;
	case SCR_INVENTORY: {
		const char *name = NULL;
		size_t i;

		for (i = 0; i < u->ncas; i++)
			if (strcmp(u->cas[i], u->inv_ca) == 0)
				name = u->cas[i];
		if (name == NULL && u->ncas > 0)
			name = u->cas[0];
		inv_open(u, name);
		break;
	}
	case SCR_ISSUE:
		if (u->req == NULL)
			issue_render(u);
		break;
	case SCR_DETAIL:
		if (u->text.n == 0 || u->der.len == 0) {
			lines_clear(&u->text);
			lines_add(&u->text, "Nothing selected: Enter on an "
			    "entity or an inventory row shows it here;");
			lines_add(&u->text, "O opens a certificate, request, "
			    "CRL or key file.");
		}
		break;
	case SCR_VERIFY:
		if (u->text.n == 0)
			lines_add(&u->text, "V (or Enter) opens the verify "
			    "form.");
		break;
	case SCR_CRL:
	case SCR_AUDIT:
		lc_enter(u, s);
		break;
	case SCR_CONNECT:
		conn_enter(u);
		break;
	default:
		break;
	}
}

void
scr_clear(struct ui *u)
{
	scr_lock(u);
	ca_clear(&u->ca);
	issue_drop(u);
	renew_drop(u);
	if (u->db_open)
		cadb_clear(&u->db);
	free(u->inv);
	free(u->inv_all);
	free(u->ent_idx);
	free(u->sums);
	ws_free_list(u->ents, u->nents);
	ws_free_list(u->cas, u->ncas);
	detail_clear(u);
	lc_clear(u);
	conn_clear(u);
}
