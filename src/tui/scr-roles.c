/* scr-roles.c — the Roles window, the clients' side: every role running
 * on the workspace (the registry, store/roles.h: this UI's CA service
 * and server, and those of other processes, such as a second UI in
 * another SSH window), read again every second, with their addresses.
 * From a selected role, or an address typed: c connects a client (an
 * entity's certificate, or anonymous) and shows the handshake as it
 * happens, then service lines are typed (i); e enrolls a new entity, an
 * RSA or P-256 key, from a CA service (the `client enroll` role
 * function, in a job); s sends a signed (or sealed) message to a
 * listening client as `client send` does (in a job), and b shows a
 * listener's inbox (the Inbox window). An entity signs and presents
 * whichever key it has, RSA or P-256 (struct pkey). Stale entries (a
 * role killed without a chance to leave) are removed as they are listed,
 * and the log says so.
 *
 * The client runs on this process's loop, as the Connect window's does:
 * nothing blocks the screen. */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "net/loop.h"
#include "role/client.h"
#include "role/entity.h"
#include "role/estclient.h"
#include "role/msg.h"
#include "role/msgnet.h"
#include "net/frame.h"
#include "x509/cms.h"
#include "crypto/b64.h"
#include "store/roles.h"
#include "tui/svc.h"
#include "util/xalloc.h"
#include "x509/dn.h"

#define RW_REFRESH_MS 1000
#define RW_TRACE_MAX 5000
#define RW_INPUT_MAX 200

enum { CF_ADDR, CF_CLIENT, CF_PASS, CF_TRUST, CF_HOST, CF__COUNT };
enum { EF_ADDR, EF_CA, EF_NAME, EF_TOKEN, EF_PASS, EF_PASS2, EF_KEY,
	EF__COUNT };
enum { MF_ADDR, MF_FROM, MF_PASS, MF_TRUST, MF_HOST, MF_TEXT, MF_SEAL,
	MF__COUNT };
enum rw_state { RW_IDLE, RW_HANDSHAKE, RW_OPEN, RW_OVER };

static const char anon[] = "anonymous";

struct rolesw {
	struct ui *u;
	struct roles_entry *v;
	size_t n, cur;
	int64_t next_refresh;
	char warn[300];		/* the last damaged entry, logged once */

	/* the client */
	struct loop loop;
	struct client_session *cli;
	struct client_conf cc;
	struct tls_config cfg;
	struct pkey key;
	struct cert_list chain, anchor;
	enum rw_state state;
	int changed;
	char target[ROLES_ADDR_MAX + 1];
	char status[300];
	struct lines trace;
	int scrolled;		/* PgUp: the trace stays where it is */
	int trace_h, trace_w;	/* its last drawn size */
	int typing;
	int signing;		/* the line typed is a message to sign */
	int expect_echo;	/* answers that are our signed messages */
	char input[RW_INPUT_MAX + 1];
	size_t ilen;
	char host[UI_FIELD_MAX];
	char client[WS_NAME_MAX + 16], trust[UI_FIELD_MAX];

	/* the forms' choices */
	char **names;
	size_t nnames;
	const char **cli_choices, **ca_choices;
};

static struct rolesw *rw_cur;

/* The enrollment job's arguments: copied into the child by the fork,
 * the passphrase and token wiped in the parent once it started. */
static struct {
	char addr[UI_FIELD_MAX];
	char ca[WS_NAME_MAX + 1];
	char name[WS_NAME_MAX + 1];
	char token[UI_FIELD_MAX];
	char pass[UI_FIELD_MAX];
	unsigned bits;		/* the new key: RSA bits, 0 for P-256 */
} rw_en;

/* How s seals: the choices of `client send --seal [--gcm] [--pkcs1]`. */
static const char *const rw_seal_choices[] = { "no", "AES-256-CBC, RSA-OAEP",
	"AES-256-GCM, RSA-OAEP", "AES-256-CBC, RSA PKCS#1 v1.5", NULL };

/* The sending job's message, key and chains: made in the UI (so that a
 * wrong passphrase is said in the form), copied into the child by the
 * fork, wiped in the parent once it started. */
static struct {
	struct addr addr;
	char target[ROLES_ADDR_MAX + 1];
	char from[WS_NAME_MAX + 1];
	char host[UI_FIELD_MAX];
	struct pkey key;
	struct cert_list chain, anchor;
	uint8_t *der;
	size_t len;
	int seal;
	struct msg_seal_opts so;
} rw_tx;

static struct rolesw *
rw_get(struct ui *u)
{
	struct rolesw *w = rw_cur;

	if (w != NULL)
		return w;
	w = xcalloc(1, sizeof *w);
	w->u = u;
	loop_init(&w->loop);
	pkey_init(&w->key);
	cert_list_init(&w->chain);
	cert_list_init(&w->anchor);
	rw_cur = w;
	return w;
}

static void
rw_add(struct rolesw *w, char marker, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
rw_add(struct rolesw *w, char marker, const char *fmt, ...)
{
	va_list ap;
	char *t;
	size_t i, drop;

	va_start(ap, fmt);
	if (vasprintf(&t, fmt, ap) == -1)
		xalloc_fail("vasprintf");
	va_end(ap);
	if (marker)
		lines_addf(&w->trace, "%c%s", marker, t);
	else
		lines_add(&w->trace, t);
	free(t);
	if (w->trace.n > RW_TRACE_MAX) {
		drop = w->trace.n - RW_TRACE_MAX / 2;
		for (i = 0; i < drop; i++)
			free(w->trace.v[i]);
		memmove(w->trace.v, w->trace.v + drop, (w->trace.n - drop) *
		    sizeof *w->trace.v);
		w->trace.n -= drop;
	}
	w->changed = 1;
}

/* ---- the registry ---- */

/* Whose an entry is: this UI's own windows run their roles in children. */
static const char *
rw_owner(struct ui *u, const struct roles_entry *r)
{
	struct svc *s = svc_get(u);

	/* the Connect window's server runs in this process */
	if (r->pid == (long)getpid() ||
	    (s->proc.pid != 0 && r->pid == (long)s->proc.pid) ||
	    (scr_server_pid() != 0 && r->pid == (long)scr_server_pid()) ||
	    (scr_inbox_pid() != 0 && r->pid == (long)scr_inbox_pid()))
		return "this UI";
	return "another process";
}

/* Reads the registry again; 1 when what it lists changed. */
static int
rw_refresh(struct ui *u, struct rolesw *w)
{
	struct roles_entry *v;
	size_t n, cleaned = 0;
	char warn[300] = "";
	struct err e;
	int changed;

	if (roles_list(&u->ws, &v, &n, &cleaned, warn, sizeof warn, &e) ==
	    -1) {
		ui_error(u, &e);
		return 0;
	}
	if (cleaned > 0)
		ui_log(u, "roles: %zu stale entr%s removed (the process is "
		    "gone)", cleaned, cleaned == 1 ? "y" : "ies");
	if (warn[0] != '\0' && strcmp(warn, w->warn) != 0)
		ui_log(u, "roles: skipped %s", warn);
	ui_fmt(w->warn, sizeof w->warn, "%s", warn);
	changed = n != w->n || (n > 0 && memcmp(v, w->v, n * sizeof *v) != 0);
	free(w->v);
	w->v = v;
	w->n = n;
	if (w->cur >= n)
		w->cur = n > 0 ? n - 1 : 0;
	return changed || cleaned > 0;
}

static const struct roles_entry *
rw_selected(struct rolesw *w)
{
	return w->cur < w->n ? &w->v[w->cur] : NULL;
}

/* The selected role's first TLS address, else "". */
static const char *
rw_sel_addr(struct rolesw *w)
{
	const struct roles_entry *r = rw_selected(w);
	size_t i;

	for (i = 0; r != NULL && i < r->naddrs; i++)
		if (r->addrs[i].tls)
			return r->addrs[i].addr;
	return "";
}

/* ---- the client ---- */

static void
rw_trace(void *ctx, const char *line)
{
	struct rolesw *w = ctx;

	if ((line[0] == '>' || line[0] == '<') && line[1] == ' ')
		rw_add(w, line[0] == '>' ? LINE_HEAD : 0, "%s", line);
	else if (strstr(line, "verify:") != NULL && strstr(line, "FAIL"))
		rw_add(w, LINE_FAIL, "%s", line);
	else
		rw_add(w, 0, "%s", line);
}

/* A signed message sent as ECHO comes back: verified as a receiver
 * would, against the CA the client trusts (purpose emailProtection). */
static void
rw_check_echo(struct rolesw *w, const char *text)
{
	struct msg_verify_params vp;
	struct msg_result res;
	struct buf der;
	struct err e;

	buf_init(&der);
	msg_result_init(&res);
	err_clear(&e);
	if (b64_decode(text, strlen(text), &der, &e) == -1) {
		rw_add(w, LINE_FAIL, "<- (not the message sent: %s)", e.msg);
		goto out;
	}
	rw_add(w, 0, "<- a signed message, %zu bytes of CMS SignedData",
	    der.len);
	memset(&vp, 0, sizeof vp);
	vp.anchors = &w->anchor;
	(void)msg_verify(der.data, der.len, &vp, &res, &e);
	rw_add(w, res.verdict == MSG_GOOD ? LINE_OK : LINE_FAIL, "== verified "
	    "as a receiver would: %s%s%s; signer %s; content \"%.*s\"",
	    msg_verdict_name(res.verdict), res.verdict == MSG_GOOD ? "" :
	    " -- ", res.verdict == MSG_GOOD ? "" : e.msg, res.signer[0] ?
	    res.signer : "?", (int)(res.content_len > 80 ? 80 :
	    res.content_len), res.content ? (const char *)res.content : "");
	ui_log(w->u, "roles: signed message verified: %s",
	    msg_verdict_name(res.verdict));
out:
	msg_result_clear(&res);
	buf_clear(&der);
}

static void
rw_event(void *ctx, enum client_event ev, const char *text)
{
	struct rolesw *w = ctx;
	const struct tls_engine *t = client_tls(w->cli);

	switch (ev) {
	case CLIENT_EV_HANDSHAKE:
		w->state = RW_OPEN;
		ui_fmt(w->status, sizeof w->status, "%s, verified %s",
		    tls_version_name(tls_engine_version(t)), text ? text : "?");
		rw_add(w, LINE_OK, "== handshake done: %s, %s; the server is "
		    "%s", tls_version_name(tls_engine_version(t)),
		    tls_suite_name(tls_engine_suite(t)), text ? text : "?");
		rw_add(w, LINE_HEAD, "== i types a service line (WHOAMI, ECHO "
		    "text, TIME, QUIT) for a server, m a signed message; x "
		    "disconnects");
		ui_log(w->u, "roles: connected to %s, server %s verified",
		    w->target, text ? text : "?");
		break;
	case CLIENT_EV_ANSWER:
		if (w->expect_echo > 0) {
			w->expect_echo--;
			rw_check_echo(w, text);
		} else
			rw_add(w, LINE_OK, "<- %s", text);
		break;
	case CLIENT_EV_CLOSED:
		if (text == NULL) {
			rw_add(w, LINE_HEAD, "== closed cleanly");
			ui_fmt(w->status, sizeof w->status, "closed");
		} else {
			rw_add(w, LINE_FAIL, "== FAILED: %s", text);
			ui_fmt(w->status, sizeof w->status, "FAILED: %s", text);
			ui_log(w->u, "roles: connection to %s failed: %s",
			    w->target, text);
		}
		w->state = RW_OVER;
		w->typing = 0;
		break;
	}
}

static void
rw_keys_clear(struct rolesw *w)
{
	pkey_clear(&w->key);
	cert_list_clear(&w->chain);
	cert_list_clear(&w->anchor);
	pkey_init(&w->key);
	cert_list_init(&w->chain);
	cert_list_init(&w->anchor);
}

/* After a turn of the loop: a finished client is freed, its key wiped. */
static void
rw_reap(struct rolesw *w)
{
	if (w->cli != NULL && client_closed_done(w->cli)) {
		client_free(w->cli);
		w->cli = NULL;
		rw_keys_clear(w);
	}
}

static void
rw_disconnect(struct rolesw *w)
{
	client_free(w->cli);
	w->cli = NULL;
	rw_keys_clear(w);
	w->typing = 0;
	if (w->state != RW_IDLE)
		w->state = RW_OVER;
}

static int
rw_connect_submit(struct ui *u, struct form *fm)
{
	struct rolesw *w = rw_get(u);
	const char *cli = fm->f[CF_CLIENT].val, *pass = fm->f[CF_PASS].val;
	int anonymous = strcmp(cli, anon) == 0;
	struct err e;

	err_clear(&e);
	rw_disconnect(w);
	memset(&w->cc, 0, sizeof w->cc);
	if (addr_parse(&w->cc.addr, fm->f[CF_ADDR].val, &e) == -1) {
		ui_fmt(fm->f[CF_ADDR].err, sizeof fm->f[CF_ADDR].err, "%s",
		    e.msg);
		fm->cur = CF_ADDR;
		return -1;
	}
	if (!anonymous && entity_unlock_chain_any(&u->ws, cli, pass,
	    strlen(pass), NULL, &w->key, &w->chain, &e) == -1) {
		ui_fmt(fm->f[CF_PASS].err, sizeof fm->f[CF_PASS].err, "%s%s",
		    e.msg, e.kind == ERR_PASS ? " (wrong passphrase?)" : "");
		fm->cur = CF_PASS;
		rw_keys_clear(w);
		return -1;
	}
	if (entity_load_chain(&u->ws, fm->f[CF_TRUST].val, &w->anchor, &e) ==
	    -1) {
		ui_fmt(fm->f[CF_TRUST].err, sizeof fm->f[CF_TRUST].err, "%s",
		    e.msg);
		fm->cur = CF_TRUST;
		rw_keys_clear(w);
		return -1;
	}
	/* The CA's own certificate, the first of its keystore. */
	while (w->anchor.n > 1)
		cert_clear(&w->anchor.v[--w->anchor.n]);
	ui_fmt(w->host, sizeof w->host, "%s", fm->f[CF_HOST].val);
	ui_fmt(w->target, sizeof w->target, "%s", fm->f[CF_ADDR].val);
	ui_fmt(w->client, sizeof w->client, "%s", cli);
	ui_fmt(w->trust, sizeof w->trust, "%s", fm->f[CF_TRUST].val);
	form_wipe(u);	/* the passphrase; the values are copied above */
	cli = w->client;
	memset(&w->cfg, 0, sizeof w->cfg);
	w->cfg.min_version = TLS_VERSION_12;
	w->cfg.max_version = TLS_VERSION_13;
	w->cfg.chain = anonymous ? NULL : &w->chain;
	rolechild_cfg_key(&w->cfg, anonymous ? NULL : &w->key);
	w->cfg.anchors = &w->anchor;
	w->cfg.server_name = w->host[0] ? w->host : NULL;
	w->cfg.trace = rw_trace;
	w->cfg.cb_ctx = w;
	w->cc.tls = &w->cfg;
	w->cc.timeout = 10;
	w->cc.event = rw_event;
	w->cc.event_ctx = w;
	lines_clear(&w->trace);
	w->scrolled = 0;
	w->expect_echo = 0;
	rw_add(w, LINE_HEAD, "Client '%s' -> %s, trusting '%s'%s%s", cli,
	    w->target, w->trust, w->host[0] ? ", expecting the "
	    "name " : "", w->host);
	rw_add(w, 0, "> sent, < received");
	ui_set_openssl(u, "minipki-tui client connect %s%s%s --ca %s.pem "
	    "--trace   (openssl s_client %s%s -CAfile %s.pem)", anonymous ? "" :
	    cli, anonymous ? "" : " ", w->target, w->trust,
	    w->cc.addr.unix_path ? "-unix " : "-connect ", w->cc.addr.unix_path
	    ? w->cc.addr.path : w->target + 4, w->trust);
	w->cli = client_start(&w->cc, &w->loop, &e);
	if (w->cli == NULL) {
		rw_add(w, LINE_FAIL, "== cannot connect: %s", e.msg);
		ui_fmt(w->status, sizeof w->status, "FAILED: %s", e.msg);
		ui_error(u, &e);
		w->state = RW_OVER;
		rw_keys_clear(w);
		return 0;
	}
	w->state = RW_HANDSHAKE;
	w->status[0] = '\0';
	ui_log(u, "roles: connecting to %s", w->target);
	return 0;
}

/* The forms' choices: entities with a certificate, and the CAs. */
static void
rw_choices(struct ui *u, struct rolesw *w)
{
	size_t i;

	ws_free_list(w->names, w->nnames);
	free(w->cli_choices);
	free(w->ca_choices);
	w->names = xcalloc(u->nents + 1, sizeof *w->names);
	w->nnames = 0;
	for (i = 0; i < u->nents; i++)
		if (u->sums != NULL && u->sums[i].has_cert && !u->sums[i].is_ca)
			w->names[w->nnames++] = xstrdup(u->ents[i]);
	w->cli_choices = xcalloc(w->nnames + 2, sizeof *w->cli_choices);
	w->cli_choices[0] = anon;
	for (i = 0; i < w->nnames; i++)
		w->cli_choices[i + 1] = w->names[i];
	w->ca_choices = xcalloc(u->ncas + 1, sizeof *w->ca_choices);
	for (i = 0; i < u->ncas; i++)
		w->ca_choices[i] = u->cas[i];
}

/* The CA a role's certificate comes from: a CA service's own name, else
 * the first CA. */
static const char *
rw_ca_for(struct ui *u, const struct roles_entry *r)
{
	size_t i;

	for (i = 0; r != NULL && r->kind == ROLES_CA_SERVICE && i < u->ncas;
	    i++)
		if (strcmp(u->cas[i], r->name) == 0)
			return u->cas[i];
	return u->ncas > 0 ? u->cas[0] : "";
}

static void
rw_connect_open(struct ui *u)
{
	struct rolesw *w = rw_get(u);
	const struct roles_entry *r = rw_selected(w);
	struct field *f;
	const char *def = anon;
	size_t i;

	rw_choices(u, w);
	for (i = 0; i < w->nnames; i++)
		if (strcmp(w->names[i], "alice") == 0)
			def = w->names[i];
	form_begin(u, "Connect a client", rw_connect_submit, 0);
	f = form_add(u, "Address", rw_sel_addr(w));
	f->check = field_check_required;
	f->hint = "unix:PATH or tcp:HOST:PORT (the selected role's)";
	f = form_add(u, "Client entity", def);
	f->choices = w->cli_choices;
	f->hint = "anonymous: no client certificate";
	f = form_add(u, "Passphrase", "");
	f->masked = 1;
	f->hint = "unlocks the client's key (none for anonymous)";
	f = form_add(u, "Trusts CA", rw_ca_for(u, r));
	if (u->ncas > 0)
		f->choices = w->ca_choices;
	f->check = field_check_required;
	f->hint = "the CA the server's certificate must chain to";
	f = form_add(u, "Server name", "localhost");
	f->hint = "the name the server's certificate must carry";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "minipki-tui client "
	    "connect alice %s --ca ca.pem --trace", rw_sel_addr(w)[0] ?
	    rw_sel_addr(w) : "ADDR");
}

/* ---- enrollment (a job) ---- */

static void
rw_enroll_run(struct ui *u, void *arg, int fd)
{
	struct estclient_target t;
	struct estclient_enroll_conf conf;
	struct estclient_enroll en;
	struct estclient_issued got;
	struct cert_list anchors;
	struct dn subject;
	struct err e;
	char cn[WS_NAME_MAX + 8];
	int r = -1;

	(void)arg;
	err_clear(&e);
	cert_list_init(&anchors);
	dn_init(&subject);
	memset(&conf, 0, sizeof conf);
	memset(&got, 0, sizeof got);
	conf.target = &t;
	conf.timeout = 10;
	conf.anchors = &anchors;
	conf.token = rw_en.token[0] ? rw_en.token : NULL;
	conf.bits = rw_en.bits != 0 ? rw_en.bits : 2048;
	conf.type = rw_en.bits != 0 ? PKEY_RSA : PKEY_EC;
	estclient_enroll_init(&en, &conf);
	snprintf(cn, sizeof cn, "CN=%s", rw_en.name);
	job_report(fd, "S connecting to %s", rw_en.addr);
	if (estclient_target_parse(&t, rw_en.addr, &e) == 0 &&
	    entity_load_chain(&u->ws, rw_en.ca, &anchors, &e) == 0 &&
	    dn_from_string(&subject, cn, &e) == 0 &&
	    estclient_enroll_start(&en, &e) == 0) {
		job_report(fd, "S making %s key and enrolling '%s'",
		    rw_en.bits == 0 ? "a P-256" : "an RSA", rw_en.name);
		r = estclient_enroll_entity(&en, &u->ws, rw_en.name, &subject,
		    NULL, rw_en.pass, strlen(rw_en.pass), &got, &e);
	}
	explicit_bzero(&rw_en, sizeof rw_en);
	if (r == 0)
		job_report(fd, "D 0 certificate %s for '%s', stored", got.serial,
		    got.subject);
	else if (r == 1)
		job_report(fd, "D 1 pending: %s", e.msg);
	else
		job_report(fd, "D 1 %s", e.msg);
	estclient_enroll_clear(&en);
	dn_clear(&subject);
	cert_list_clear(&anchors);
}

static void
rw_enroll_done(struct ui *u, int ok, const char *msg)
{
	ui_lists_reload(u);
	ui_log(u, "enroll: %s%s", ok ? "" : "not enrolled: ", msg);
}

static int
rw_enroll_submit(struct ui *u, struct form *fm)
{
	const struct job_secret secrets[] = {
		{ rw_en.token, sizeof rw_en.token },
		{ rw_en.pass, sizeof rw_en.pass },
	};

	if (strcmp(fm->f[EF_PASS].val, fm->f[EF_PASS2].val) != 0) {
		ui_fmt(fm->f[EF_PASS2].err, sizeof fm->f[EF_PASS2].err,
		    "the passphrases differ");
		fm->cur = EF_PASS2;
		return -1;
	}
	ui_fmt(rw_en.addr, sizeof rw_en.addr, "%s", fm->f[EF_ADDR].val);
	ui_fmt(rw_en.ca, sizeof rw_en.ca, "%s", fm->f[EF_CA].val);
	ui_fmt(rw_en.name, sizeof rw_en.name, "%s", fm->f[EF_NAME].val);
	ui_fmt(rw_en.token, sizeof rw_en.token, "%s", fm->f[EF_TOKEN].val);
	ui_fmt(rw_en.pass, sizeof rw_en.pass, "%s", fm->f[EF_PASS].val);
	rw_en.bits = field_key_bits(fm->f[EF_KEY].val);
	form_wipe(u);
	if (rw_en.bits == 0)
		ui_set_openssl(u, "minipki-tui client enroll %s --ca %s "
		    "--anchor %s.pem --token TOKEN --type ec", rw_en.name,
		    rw_en.addr, rw_en.ca);
	else
		ui_set_openssl(u, "minipki-tui client enroll %s --ca %s "
		    "--anchor %s.pem --token TOKEN", rw_en.name, rw_en.addr,
		    rw_en.ca);
	/* Busy with another job: job_start says so in the log. */
	(void)job_start_secret(u, "enroll", rw_enroll_done, rw_enroll_run,
	    NULL, secrets, 2);
	return 0;
}

static void
rw_enroll_open(struct ui *u)
{
	struct rolesw *w = rw_get(u);
	const struct roles_entry *r = rw_selected(w);
	struct field *f;

	if (u->ncas == 0) {
		ui_log(u, "enroll: no CA in this workspace to trust");
		return;
	}
	rw_choices(u, w);
	form_begin(u, "Enroll from a CA service", rw_enroll_submit, 0);
	f = form_add(u, "CA service", r != NULL && r->kind == ROLES_CA_SERVICE
	    ? rw_sel_addr(w) : "");
	f->check = field_check_required;
	f->hint = "its TLS address: unix:PATH or tcp:HOST:PORT";
	f = form_add(u, "Trusts CA", rw_ca_for(u, r));
	f->choices = w->ca_choices;
	f->hint = "the CA whose certificate the service must present";
	f = form_add(u, "New entity", "");
	f->check = field_check_name;
	f->hint = "a new keystore: its key is made here, CN=NAME";
	f = form_add(u, "Token", "");
	f->masked = 1;
	f->hint = "the enrollment token (empty: the request waits for the "
	    "operator)";
	form_add_pass_twice(u, "for the new keystore");
	/* RSA 2048 as `client enroll` makes by default; Left: P-256. */
	form_add_key(u, "2048");
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "minipki-tui client "
	    "enroll NAME --ca ADDR --anchor ca.pem --token TOKEN [--type "
	    "ec]");
}

/* ---- a message to a listening client (a job, as client send) ---- */

static void
rw_tx_clear(void)
{
	pkey_clear(&rw_tx.key);
	cert_list_clear(&rw_tx.chain);
	cert_list_clear(&rw_tx.anchor);
	free(rw_tx.der);
	memset(&rw_tx, 0, sizeof rw_tx);
	pkey_init(&rw_tx.key);
	cert_list_init(&rw_tx.chain);
	cert_list_init(&rw_tx.anchor);
}

static void
rw_tx_say(void *ctx, const char *line)
{
	job_report(*(int *)ctx, "S %s", line);
}

/* msgnet_send's log lines ("connected: ...", "sealed to ...") as the
 * job's progress. */
static ssize_t
rw_tx_log(void *ctx, const char *b, size_t n)
{
	int fd = *(int *)ctx;
	size_t i = 0, j;

	while (i < n) {
		for (j = i; j < n && b[j] != '\n'; j++)
			;
		if (j > i)
			job_report(fd, "S %.*s", (int)(j - i > 300 ? 300 : j -
			    i), b + i);
		i = j + 1;
	}
	return (ssize_t)n;
}

static void
rw_tx_run(struct ui *u, void *arg, int fd)
{
	cookie_io_functions_t io = { .write = rw_tx_log };
	struct msgnet_send_conf sc;
	struct tls_config cfg;
	struct dialwait w;
	struct err e;
	char verdict[FRAME_MAX_TEXT + 1];
	const char *v;
	int ok;

	(void)u;
	(void)arg;
	err_clear(&e);
	memset(&cfg, 0, sizeof cfg);
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	cfg.chain = &rw_tx.chain;
	rolechild_cfg_key(&cfg, &rw_tx.key);
	cfg.anchors = &rw_tx.anchor;
	cfg.server_name = rw_tx.host[0] ? rw_tx.host : rw_tx.addr.unix_path ?
	    NULL : rw_tx.addr.host;
	memset(&w, 0, sizeof w);
	w.wait_s = 10;
	w.what = "the listener";
	w.say = rw_tx_say;
	w.ctx = &fd;
	memset(&sc, 0, sizeof sc);
	sc.addr = rw_tx.addr;
	sc.tls = &cfg;
	sc.timeout = 10;
	sc.wait = &w;
	sc.msg = rw_tx.der;
	sc.len = rw_tx.len;
	sc.seal = rw_tx.seal;
	sc.seal_opts = &rw_tx.so;
	if ((sc.log = fopencookie(&fd, "w", io)) != NULL)
		setvbuf(sc.log, NULL, _IOLBF, 0);
	job_report(fd, "S sending to %s", rw_tx.target);
	if (msgnet_send(&sc, verdict, sizeof verdict, &e) == -1) {
		if (sc.log != NULL)
			fclose(sc.log);
		rw_tx_clear();
		job_report(fd, "D 1 not sent: %s", e.msg);
		return;
	}
	if (sc.log != NULL)
		fclose(sc.log);
	rw_tx_clear();
	/* "message N: good: ..." */
	v = strchr(verdict, ':');
	ok = v != NULL && (strncmp(v, ": good:", 7) == 0 ||
	    strncmp(v, ": unchecked:", 12) == 0);
	job_report(fd, "D %d the listener said: %s", ok ? 0 : 1, verdict);
}

static void
rw_tx_done(struct ui *u, int ok, const char *msg)
{
	struct rolesw *w = rw_cur;

	ui_log(u, "send: %s", msg);
	if (w != NULL)
		rw_add(w, ok ? LINE_OK : LINE_FAIL, "<- %s", msg);
}

static int
rw_send_submit(struct ui *u, struct form *fm)
{
	struct rolesw *w = rw_get(u);
	const char *from = fm->f[MF_FROM].val, *text = fm->f[MF_TEXT].val;
	const char *seal = fm->f[MF_SEAL].val;
	struct err e;

	err_clear(&e);
	rw_tx_clear();
	if (addr_parse(&rw_tx.addr, fm->f[MF_ADDR].val, &e) == -1) {
		ui_fmt(fm->f[MF_ADDR].err, sizeof fm->f[MF_ADDR].err, "%s",
		    e.msg);
		fm->cur = MF_ADDR;
		return -1;
	}
	if (entity_unlock_chain_any(&u->ws, from, fm->f[MF_PASS].val,
	    strlen(fm->f[MF_PASS].val), NULL, &rw_tx.key, &rw_tx.chain, &e) ==
	    -1) {
		ui_fmt(fm->f[MF_PASS].err, sizeof fm->f[MF_PASS].err, "%s%s",
		    e.msg, e.kind == ERR_PASS ? " (wrong passphrase?)" : "");
		fm->cur = MF_PASS;
		rw_tx_clear();
		return -1;
	}
	if (entity_load_chain(&u->ws, fm->f[MF_TRUST].val, &rw_tx.anchor, &e)
	    == -1) {
		ui_fmt(fm->f[MF_TRUST].err, sizeof fm->f[MF_TRUST].err, "%s",
		    e.msg);
		fm->cur = MF_TRUST;
		rw_tx_clear();
		return -1;
	}
	while (rw_tx.anchor.n > 1)
		cert_clear(&rw_tx.anchor.v[--rw_tx.anchor.n]);
	/* As client send signs: attached, SHA-256, the signing time and the
	 * sender's chain; RSA PKCS#1 v1.5 or ECDSA, as the key is. */
	if (msg_sign_pkey(&rw_tx.key, &rw_tx.chain, (const uint8_t *)text,
	    strlen(text), NULL, &rw_tx.der, &rw_tx.len, &e) == -1) {
		ui_fmt(fm->f[MF_TEXT].err, sizeof fm->f[MF_TEXT].err, "%s",
		    e.msg);
		fm->cur = MF_TEXT;
		rw_tx_clear();
		return -1;
	}
	rw_tx.seal = strcmp(seal, "no") != 0;
	rw_tx.so.gcm = strstr(seal, "GCM") != NULL;
	rw_tx.so.kt = strstr(seal, "PKCS#1") != NULL ? CMS_KT_PKCS1 :
	    CMS_KT_OAEP;
	ui_fmt(rw_tx.target, sizeof rw_tx.target, "%s", fm->f[MF_ADDR].val);
	ui_fmt(rw_tx.from, sizeof rw_tx.from, "%s", from);
	ui_fmt(rw_tx.host, sizeof rw_tx.host, "%s", fm->f[MF_HOST].val);
	rw_add(w, LINE_HEAD, "-> \"%s\" signed by %s (%s, %zu bytes of CMS "
	    "SignedData)%s%s, to %s", text, rw_tx.from, rw_tx.key.type ==
	    PKEY_EC ? "ECDSA P-256" : "RSA", rw_tx.len,
	    rw_tx.seal ? ", sealed: " : "", rw_tx.seal ? seal : "",
	    rw_tx.target);
	ui_set_openssl(u, "minipki-tui client send %s %s --message TEXT%s%s%s",
	    rw_tx.from, rw_tx.target, rw_tx.seal ? " --seal" : "",
	    rw_tx.so.gcm ? " --gcm" : "", rw_tx.so.kt == CMS_KT_PKCS1 ?
	    " --pkcs1" : "");
	form_wipe(u);
	/* Busy with another job: job_start says so in the log. */
	(void)job_start(u, "send", rw_tx_done, rw_tx_run, NULL);
	rw_tx_clear();	/* the child has its copy */
	return 0;
}

/* The selected role's address when it is a listener, else the first
 * listener's. */
static const char *
rw_listener_addr(struct rolesw *w)
{
	const struct roles_entry *r = rw_selected(w);
	size_t i;

	if (r != NULL && r->kind == ROLES_LISTENER)
		return rw_sel_addr(w);
	for (i = 0; i < w->n; i++)
		if (w->v[i].kind == ROLES_LISTENER && w->v[i].naddrs > 0)
			return w->v[i].addrs[0].addr;
	return "";
}

static void
rw_send_open(struct ui *u)
{
	struct rolesw *w = rw_get(u);
	struct field *f;
	const char *def = NULL, *sel = scr_entities_selected(u);
	size_t i;

	rw_choices(u, w);
	if (w->nnames == 0 || u->ncas == 0) {
		ui_log(u, "send: no entity with a certificate from a CA here");
		return;
	}
	for (i = 0; i < w->nnames; i++)
		if (sel != NULL && strcmp(w->names[i], sel) == 0)
			def = w->names[i];
	form_begin(u, "Send a signed message", rw_send_submit, 0);
	f = form_add(u, "To listener", rw_listener_addr(w));
	f->check = field_check_required;
	f->hint = "a client listen's address (the selected listener's)";
	f = form_add(u, "From entity", def != NULL ? def : w->names[0]);
	f->choices = (const char **)w->names;
	f->hint = "Space: the sender, whose key signs";
	f = form_add(u, "Passphrase", "");
	f->masked = 1;
	f->hint = "unlocks the sender's key";
	f = form_add(u, "Trusts CA", u->cas[0]);
	f->choices = w->ca_choices;
	f->hint = "the CA the listener's certificate must chain to";
	f = form_add(u, "Server name", "");
	f->hint = "the name the listener's certificate must carry (empty: "
	    "the TCP host)";
	f = form_add(u, "Message", "");
	f->check = field_check_required;
	f->hint = "the text, signed (CMS SignedData) and sent";
	f = form_add(u, "Seal", rw_seal_choices[0]);
	f->choices = rw_seal_choices;
	f->hint = "Space: seal it to the listener's certificate too";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "minipki-tui client "
	    "send alice %s --message TEXT [--seal]", rw_listener_addr(w)[0] ?
	    rw_listener_addr(w) : "ADDR");
}

/* ---- the screen ---- */

static void
rw_enter(struct ui *u)
{
	struct rolesw *w = rw_get(u);

	rw_refresh(u, w);
	w->next_refresh = loop_now_ms() + RW_REFRESH_MS;
	ui_set_openssl(u, "ls %s/run/   (one file per running role: kind, "
	    "name, pid, addresses)", u->ws.dir);
}

static void
rw_draw(struct ui *u, const struct ui_rect *r)
{
	struct rolesw *w = rw_get(u);
	int y = r->y, x = r->x, h = r->h, wd = r->w, lh, k, th;
	size_t i, j, first;
	char line[600], when[WS_TIME_LEN];
	int len;

	attron(A_BOLD);
	ui_put(y, x, wd, "Running roles on this workspace");
	attroff(A_BOLD);
	lh = (h - 4) / 2;
	if (lh < 2)
		lh = 2;
	if (w->n == 0) {
		attron(A_DIM);
		ui_put(y + 1, x, wd, "(none: start a CA service (5), a server (6) "
		    "or a listener (8), here or in another window)");
		attroff(A_DIM);
	}
	/* Two rows an entry: what and whose, then where. */
	first = w->cur >= (size_t)(lh / 2) ? w->cur - (size_t)(lh / 2) + 1 :
	    0;
	for (k = 0, i = first; i < w->n && k + 1 < lh; i++, k += 2) {
		const struct roles_entry *e = &w->v[i];

		ws_time_format(e->started, when);
		ui_fmt(line, sizeof line, "%-10s %-10s pid %-7ld %s, since "
		    "%.8s", roles_kind_name(e->kind), e->name, e->pid,
		    rw_owner(u, e), when + 11);
		if (i == w->cur)
			attron(A_REVERSE);
		ui_fill(y + 1 + k, x, wd);
		ui_put(y + 1 + k, x, wd, line);
		if (i == w->cur)
			attroff(A_REVERSE);
		len = ui_fmt(line, sizeof line, "  at");
		for (j = 0; j < e->naddrs && len < (int)sizeof line; j++)
			len += ui_fmt(line + len, sizeof line - (size_t)len,
			    " %s%s", e->addrs[j].tls ? "" : "http ",
			    e->addrs[j].addr);
		ui_put(y + 2 + k, x, wd, line);
	}
	y += 1 + lh;
	h -= 1 + lh;
	attron(A_DIM);
	mvhline(y, x, u->ascii ? '-' : ACS_HLINE, wd);
	attroff(A_DIM);
	ui_fmt(line, sizeof line, " client: %s ", w->state == RW_IDLE ?
	    "not connected (c connects)" : w->status[0] ? w->status :
	    w->state == RW_HANDSHAKE ? "handshake..." : "connected");
	ui_put(y, x + 1, wd - 2, line);
	th = h - 2;
	if (th < 1)
		return;
	w->trace_h = th;
	w->trace_w = wd;
	if (!w->scrolled || w->trace.top > lines_last_top(&w->trace, th, wd))
		w->trace.top = lines_last_top(&w->trace, th, wd);
	w->trace.cur = w->trace.top;
	lines_draw(&w->trace, y + 1, x, th, wd, 0);
	if (w->typing) {
		ui_fmt(line, sizeof line, "%s> %s_", w->signing ? "sign" :
		    "line", w->input);
		attron(A_BOLD);
		ui_put(y + 1 + th, x, wd, (int)strlen(line) > wd ? line +
		    strlen(line) - (size_t)wd : line);
		attroff(A_BOLD);
	}
}

static void
rw_move(struct ui *u, long d, int page)
{
	struct rolesw *w = rw_get(u);
	long c;

	(void)page;
	/* A page, Home or End scrolls the trace; a line moves in the list. */
	if (d > 1 || d < -1) {
		long last = (long)lines_last_top(&w->trace, w->trace_h,
		    w->trace_w), t = (long)w->trace.top;

		if (d > (1L << 29) || d < -(1L << 29))
			t = d < 0 ? 0 : last;
		else
			t += d < 0 ? -(long)(w->trace_h > 1 ? w->trace_h - 1 :
			    1) : (long)(w->trace_h > 1 ? w->trace_h - 1 : 1);
		if (t > last)
			t = last;
		if (t < 0)
			t = 0;
		w->trace.top = (size_t)t;
		w->scrolled = t < last;
		return;
	}
	if (w->n == 0)
		return;
	c = (long)w->cur + (d > 0 ? 1 : d < 0 ? -1 : 0);
	if (c < 0)
		c = 0;
	if (c >= (long)w->n)
		c = (long)w->n - 1;
	w->cur = (size_t)c;
}

static void
rw_send(struct ui *u, struct rolesw *w)
{
	struct err e;

	if (w->ilen == 0)
		return;
	rw_add(w, LINE_HEAD, "-> %s", w->input);
	if (w->cli == NULL || client_send(w->cli, w->input, &e) == -1) {
		rw_add(w, LINE_FAIL, "   not sent: %s", w->cli ? e.msg :
		    "no connection");
		ui_log(u, "roles: not sent: %s", w->cli ? e.msg :
		    "no connection");
	}
	explicit_bzero(w->input, sizeof w->input);
	w->ilen = 0;
}

/* m: the line typed, signed with the client's key (msg_sign_pkey: CMS
 * SignedData, SHA-256, its chain inside), sent in base64 through the
 * server's ECHO service, and checked when it comes back. The messages
 * protocol of `client send` is not in this program yet: the echo stands
 * in for a receiver. */
static void
rw_send_signed(struct ui *u, struct rolesw *w)
{
	uint8_t *der = NULL;
	size_t len = 0;
	struct buf line;
	struct err e;

	if (w->ilen == 0)
		return;
	buf_init(&line);
	err_clear(&e);
	if (msg_sign_pkey(&w->key, &w->chain, (const uint8_t *)w->input,
	    w->ilen, NULL, &der, &len, &e) == -1) {
		rw_add(w, LINE_FAIL, "   not signed: %s", e.msg);
		goto out;
	}
	buf_puts(&line, "ECHO ");
	b64_encode(der, len, 0, &line);
	buf_append(&line, "", 1);
	rw_add(w, LINE_HEAD, "-> \"%s\" signed by %s: %zu bytes of CMS, "
	    "as ECHO BASE64 (%zu bytes)", w->input, w->client, len,
	    line.len - 1);
	if (w->cli == NULL || client_send(w->cli, (const char *)line.data,
	    &e) == -1) {
		rw_add(w, LINE_FAIL, "   not sent: %s", w->cli ? e.msg :
		    "no connection");
		ui_log(u, "roles: not sent: %s", w->cli ? e.msg :
		    "no connection");
	} else
		w->expect_echo++;
out:
	free(der);
	buf_clear(&line);
	explicit_bzero(w->input, sizeof w->input);
	w->ilen = 0;
}

static int
rw_key(struct ui *u, int ch)
{
	struct rolesw *w = rw_get(u);

	if (w->typing) {
		switch (ch) {
		case 27:
			w->typing = 0;
			return 1;
		case '\r': case '\n': case KEY_ENTER:
			if (w->signing)
				rw_send_signed(u, w);
			else
				rw_send(u, w);
			if (w->state != RW_OPEN)
				w->typing = 0;
			return 1;
		case 0x7f: case 8: case KEY_BACKSPACE:
			if (w->ilen > 0)
				w->input[--w->ilen] = '\0';
			return 1;
		}
		if (ch >= 0x20 && ch < 0x7f && w->ilen < RW_INPUT_MAX) {
			w->input[w->ilen++] = (char)ch;
			w->input[w->ilen] = '\0';
		}
		return 1;
	}
	switch (ch) {
	case 'c':
		rw_connect_open(u);
		return 1;
	case 'e':
		rw_enroll_open(u);
		return 1;
	case 's':
		rw_send_open(u);
		return 1;
	case 'b':
		if (rw_selected(w) != NULL && rw_selected(w)->kind ==
		    ROLES_LISTENER)
			scr_inbox_open(u, rw_selected(w)->name);
		else
			scr_inbox_open(u, NULL);
		return 1;
	case 'i':
	case 'm':
		if (w->state != RW_OPEN)
			ui_log(u, "roles: not connected (c connects)");
		else if (ch == 'm' && w->cfg.key == NULL &&
		    w->cfg.eckey == NULL)
			ui_log(u, "roles: an anonymous client has no key to "
			    "sign with (c: connect as an entity)");
		else {
			w->typing = 1;
			w->signing = ch == 'm';
		}
		return 1;
	case 'x':
		if (w->cli != NULL && !client_closed_done(w->cli))
			client_close(w->cli);
		else
			ui_log(u, "roles: no connection");
		return 1;
	}
	return 0;
}

static void
rw_select(struct ui *u)
{
	struct rolesw *w = rw_get(u);

	if (w->state == RW_OPEN) {
		w->typing = 1;
		w->signing = 0;
	} else
		rw_connect_open(u);
}

static int
rw_typing(const struct ui *u)
{
	(void)u;
	return rw_cur != NULL && rw_cur->typing;
}

static const char *
rw_hints(const struct ui *u)
{
	if (rw_typing(u))
		return rw_cur->signing ? "type a message to sign  Enter sign "
		    "and send  Esc stop typing" : "type WHOAMI, ECHO text, "
		    "TIME or QUIT  Enter send  Esc stop typing";
	return "c connect  e enroll  s send  b inbox  i line  m echo  x "
	    "disconnect  ? help";
}

/* The client's loop; and, while shown, the registry read again every
 * RW_REFRESH_MS (nothing else wakes the loop for it). */
static size_t
rw_pollfds(struct ui *u, struct pollfd *p, size_t max, int *wait_ms)
{
	struct rolesw *w = rw_cur;
	int64_t now = loop_now_ms(), left;

	if (w == NULL)
		return 0;
	if (u->scr == &scr_roles && !u->form_open) {
		if (now >= w->next_refresh) {
			w->next_refresh = now + RW_REFRESH_MS;
			if (rw_refresh(u, w)) {
				ui_redraw();
				*wait_ms = 0;
			}
		}
		left = w->next_refresh - now;
		if (*wait_ms < 0 || left < *wait_ms)
			*wait_ms = (int)(left > 0 ? left : 0);
	}
	if (w->loop.n == 0)
		return 0;
	return loop_pollfds(&w->loop, p, max, wait_ms);
}

static int
rw_dispatch(struct ui *u, const struct pollfd *p, size_t n)
{
	struct rolesw *w = rw_cur;
	int changed;

	(void)u;
	if (w == NULL)
		return 0;
	loop_dispatch(&w->loop, p, n);
	rw_reap(w);
	changed = w->changed;
	w->changed = 0;
	return changed;
}

/* C-l: the registry read again now (it is, every second, while shown);
 * g, which it was, is Home everywhere. */
static void
rw_lists(struct ui *u)
{
	if (rw_cur != NULL)
		rw_refresh(u, rw_cur);
}

static void
rw_lock(struct ui *u)
{
	(void)u;
	if (rw_cur != NULL && rw_cur->cli != NULL) {
		rw_add(rw_cur, LINE_HEAD, "== L (lock): disconnected, the "
		    "client's key wiped");
		rw_disconnect(rw_cur);
	}
}

static void
rw_forget(struct ui *u)
{
	(void)u;
	if (rw_cur != NULL)
		pkey_clear(&rw_cur->key);
}

static void
rw_clear(struct ui *u)
{
	struct rolesw *w = rw_cur;

	(void)u;
	if (w == NULL)
		return;
	rw_disconnect(w);
	loop_clear(&w->loop);
	lines_clear(&w->trace);
	free(w->v);
	ws_free_list(w->names, w->nnames);
	free(w->cli_choices);
	free(w->ca_choices);
	explicit_bzero(w->input, sizeof w->input);
	free(w);
	rw_cur = NULL;
}

static const struct binding rw_keys[] = {
	{ 'c', 0, 0, NULL, "c Enter", "connect a client to the selected role or a typed address (form)" },
	{ 'e', 0, 0, NULL, "e", "enroll a new entity from the selected CA service (form: name, token, passphrase, key: RSA or EC P-256)" },
	{ 's', 0, 0, NULL, "s", "send a signed (or sealed) message to the selected listener, as client send (form: sender, passphrase, text, seal); RSA or ECDSA as the sender's key is" },
	{ 'b', 0, 0, NULL, "b", "the inbox of the selected listener (the Inbox window, 8)" },
	{ 'i', 0, 0, NULL, "i Enter", "(connected) type a service line: WHOAMI, ECHO text, TIME, QUIT" },
	{ 'm', 0, 0, NULL, "m", "(connected to a server) type a message: signed with the client's key (CMS), sent through ECHO, verified when it comes back" },
	{ 'x', 0, 0, NULL, "x", "disconnect the client" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_roles = {
	.name = "Roles",
	.title = "Roles: running on this workspace; connect, enroll, send",
	.keys = rw_keys,
	.shortcut = '7',
	.enter = rw_enter,
	.draw = rw_draw,
	.key = rw_key,
	.move = rw_move,
	.select = rw_select,
	.dyn_hints = rw_hints,
	.typing = rw_typing,
	.lists = rw_lists,
	.lock = rw_lock,
	.forget = rw_forget,
	.pollfds = rw_pollfds,
	.dispatch = rw_dispatch,
	.clear = rw_clear,
};
