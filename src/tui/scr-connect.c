/* scr-connect.c — the TLS connection window.
 *
 * A server role and a client role run in this process on one struct loop
 * whose descriptors the UI's main loop polls with the terminal (conn_pollfds,
 * conn_dispatch), so nothing blocks the screen. Both engines' trace lines
 * come here tagged C (client) and S (server); the sender's line of each
 * handshake message gets a few words on what the message is for. After the
 * handshake a line input sends service lines (WHOAMI, ECHO, TIME, QUIT)
 * and the answers are shown. The server keeps listening on its Unix socket
 * (in a private temporary directory) until the next connection, x, or the
 * end of the program, so `openssl s_client -unix` can try it too; while
 * it listens it is in the workspace's registry of running roles (kind
 * server, this process's pid), so another UI's Roles window finds it. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "net/loop.h"
#include "role/client.h"
#include "role/entity.h"
#include "role/server.h"
#include "store/keystore.h"
#include "store/roles.h"
#include "tui/ui.h"
#include "util/xalloc.h"

#define CONN_LINE_MAX 200
#define CONN_TRACE_MAX 20000	/* lines kept; older ones are dropped */

enum { CF_SERVER, CF_SPASS, CF_CLIENT, CF_CPASS, CF_ANCHOR, CF_TLS, CF_AUTH,
	CF_HOST, CF__COUNT };

enum conn_state {
	CS_IDLE,	/* nothing started */
	CS_HANDSHAKE,
	CS_OPEN,	/* handshake done: lines can be sent */
	CS_OVER,	/* the client's connection ended */
};

static const char *const tls_choices[] = { "1.3", "1.2 ECDHE", "1.2 RSA",
	NULL };
static const char *const auth_choices[] = { "optional", "require", "none",
	NULL };
static const char anon[] = "anonymous";

struct conn {
	struct ui *u;
	struct loop loop;
	struct server *srv;
	struct roles_reg reg;	/* the server in the registry (path NULL:
				 * not registered) */
	struct client_session *cli;
	struct server_conf sc;
	struct client_conf cc;
	struct tls_config scfg, ccfg;
	struct rsakey skey, ckey;
	struct cert_list schain, sanchor, cchain, canchor;
	char dir[96];		/* the socket's directory; "" when none */
	char addr[160];		/* "unix:PATH" */
	enum conn_state state;
	int changed;		/* something to redraw */
	int64_t t0;		/* when the connection started, ms */
	struct lines trace;	/* every line */
	struct lines brief;	/* without the messages' fields */
	int brief_view;
	int follow;		/* the view sticks to the newest line */
	int draw_h, draw_w;	/* the trace's last drawn size */
	int typing;
	int stop_after_close;	/* x: the server stops once the client closed */
	int ckeys, skeys;	/* the client's, the server's key and chains
				 * are loaded: wiped when that side ends */
	char input[CONN_LINE_MAX + 1];
	size_t ilen;
	/* the form's choices: entities with a certificate */
	char **names;
	size_t nnames;
	const char **srv_choices, **cli_choices;
	/* the last connection's choices (never passphrases) */
	char last[CF__COUNT][UI_FIELD_MAX];
	int have_last;
	uint16_t version;	/* the version asked for */
	char status[300];	/* the outcome, under the trace */
};

/* The window's state, NULL until it is first shown. */
static struct conn *conn_cur;

/* ---- the trace ---- */

static void
conn_keep(struct lines *l, char *line)
{
	size_t i, drop;

	lines_add(l, line);
	if (l->n > CONN_TRACE_MAX) {
		drop = l->n - CONN_TRACE_MAX / 2;
		for (i = 0; i < drop; i++)
			free(l->v[i]);
		memmove(l->v, l->v + drop, (l->n - drop) * sizeof *l->v);
		l->n -= drop;
		l->top = l->top > drop ? l->top - drop : 0;
	}
}

/* A line for the trace; detail lines (the fields of a message) are left
 * out of the brief view. */
static void
conn_vadd(struct conn *c, int detail, char marker, const char *fmt,
    va_list ap)
{
	char *s, *line;

	if (vasprintf(&s, fmt, ap) == -1)
		xalloc_fail("vasprintf");
	line = marker ? xasprintf("%c%s", marker, s) : s;
	conn_keep(&c->trace, line);
	if (!detail)
		conn_keep(&c->brief, line);
	if (line != s)
		free(line);
	free(s);
	c->changed = 1;
}

static void
conn_add(struct conn *c, char marker, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
conn_detail(struct conn *c, char marker, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
conn_add(struct conn *c, char marker, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conn_vadd(c, 0, marker, fmt, ap);
	va_end(ap);
}

static void
conn_detail(struct conn *c, char marker, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conn_vadd(c, 1, marker, fmt, ap);
	va_end(ap);
}

static void
conn_reset(struct conn *c)
{
	lines_clear(&c->trace);
	lines_clear(&c->brief);
	c->follow = 1;
}

/* The lines on show: all, or the brief view. */
static struct lines *
conn_shown(struct conn *c)
{
	return c->brief_view ? &c->brief : &c->trace;
}

/* What a handshake message is for, in a few words; side is 'C' or 'S',
 * the sender. */
static const char *
conn_explain(const struct conn *c, const char *name, char side)
{
	int v13 = c->version == TLS_VERSION_13;
	int rsa = c->ccfg.tls12_suite == TLS_SUITE_RSA_AES128_GCM;
	static const struct {
		const char *name, *text;
	} tab[] = {
		{ "EncryptedExtensions", "TLS 1.3: the rest of the server's "
		    "answer, already encrypted with the handshake keys" },
		{ "CertificateRequest", "the server asks the client for a "
		    "certificate (client authentication)" },
		{ "ServerKeyExchange", "TLS 1.2 ECDHE: the server's x25519 key "
		    "share, signed with its certificate's key" },
		{ "ServerHelloDone", "TLS 1.2: the server's first flight is "
		    "complete, the client's turn" },
		{ "CertificateVerify", "a signature over the transcript so "
		    "far: proof that the sender holds its certificate's "
		    "private key" },
		{ "Finished", "an HMAC over the whole transcript with the new "
		    "keys: both saw the same handshake, nothing was tampered "
		    "with" },
		{ "NewSessionTicket", "a ticket for resuming later (not used "
		    "here)" },
		{ "KeyUpdate", "new traffic keys from here on" },
		{ "HelloRetryRequest", "the server asks for another ClientHello "
		    "with a key share it supports" },
	};
	size_t i;

	if (strcmp(name, "ClientHello") == 0)
		return v13 ? "the client's random, the versions and suites it "
		    "offers, and its x25519 key share" : "the client's random "
		    "and the TLS 1.2 suite it offers";
	if (strcmp(name, "ServerHello") == 0)
		return v13 ? "the server's random, its choice (TLS 1.3, "
		    "AES-128-GCM) and its x25519 key share: both sides now "
		    "derive the handshake keys" : "the server's random and its "
		    "choice of version and suite";
	if (strcmp(name, "Certificate") == 0)
		return side == 'S' ? "the server's certificate chain, leaf "
		    "first; the client checks it against its trust anchor and "
		    "the host name" : "the client's certificate chain (empty: "
		    "anonymous); the server checks it against its CA";
	if (strcmp(name, "ClientKeyExchange") == 0)
		return rsa ? "TLS 1.2 RSA: the premaster secret, encrypted to "
		    "the server's RSA key (no forward secrecy)" : "TLS 1.2 "
		    "ECDHE: the client's x25519 key share";
	if (strcmp(name, "ChangeCipherSpec") == 0)
		return v13 ? "TLS 1.3: a no-op kept for middleboxes" :
		    "TLS 1.2: from here on this side's records are encrypted";
	for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(tab[i].name, name) == 0)
			return tab[i].text;
	return NULL;
}

static void
conn_trace_line(struct conn *c, char side, const char *line)
{
	char name[64];
	const char *p, *why;
	size_t n;

	if ((line[0] == '>' || line[0] == '<') && line[1] == ' ') {
		p = line + 2;
		n = strcspn(p, " (");
		ui_fmt(name, sizeof name, "%.*s", (int)n, p);
		if (strcmp(name, "Alert") == 0) {
			conn_add(c, strstr(line, "close_notify") ? LINE_HEAD :
			    LINE_FAIL, "%c %s%s", side, line, line[0] == '>' ?
			    (strstr(line, "close_notify") ? "  -- a clean end "
			    "of the connection" : "  -- the sender ends the "
			    "connection and says why") : "");
			return;
		}
		why = line[0] == '>' ? conn_explain(c, name, side) : NULL;
		if (line[0] == '>')
			conn_add(c, LINE_HEAD, "%c %s%s%s", side, line,
			    why ? "  -- " : "", why ? why : "");
		else
			conn_add(c, 0, "%c %s", side, line);
		return;
	}
	if (strstr(line, "verify:") != NULL && strstr(line, "FAIL") != NULL)
		conn_add(c, LINE_FAIL, "%c %s", side, line);
	else if (strstr(line, "verify:") != NULL)
		conn_detail(c, LINE_OK, "%c %s", side, line);
	else if (strncmp(line, "  key schedule:", 15) == 0)
		conn_add(c, 0, "%c %s", side, line);
	else
		conn_detail(c, 0, "%c %s", side, line);
}

static void
conn_client_trace(void *ctx, const char *line)
{
	conn_trace_line(ctx, 'C', line);
}

static void
conn_server_trace(void *ctx, unsigned id, const char *line)
{
	(void)id;
	conn_trace_line(ctx, 'S', line);
}

static void
conn_server_event(void *ctx, const char *line)
{
	struct conn *c = ctx;

	conn_add(c, strstr(line, "handshake done") ? LINE_OK :
	    strstr(line, "accepted") || strstr(line, "closed") ||
	    strstr(line, "stopped") ? 0 : LINE_WARN, "S * %s", line);
}

static void conn_stop_server(struct ui *, struct conn *);

static void
conn_client_event(void *ctx, enum client_event ev, const char *text)
{
	struct conn *c = ctx;
	const struct tls_engine *t = client_tls(c->cli);

	switch (ev) {
	case CLIENT_EV_HANDSHAKE:
		c->state = CS_OPEN;
		ui_fmt(c->status, sizeof c->status, "connected, %s; server "
		    "verified: %s", tls_version_name(tls_engine_version(t)),
		    text ? text : "?");
		conn_add(c, LINE_OK, "== verified: the server is %s (its "
		    "certificate chains to the trust anchor%s%s%s); %s, %s, "
		    "%lld ms", text ? text : "?", c->ccfg.server_name ?
		    " and names '" : "", c->ccfg.server_name ?
		    c->ccfg.server_name : "", c->ccfg.server_name ? "'" : "",
		    tls_version_name(tls_engine_version(t)),
		    tls_suite_name(tls_engine_suite(t)),
		    (long long)(loop_now_ms() - c->t0));
		conn_add(c, LINE_HEAD, "== connected. Enter (or i) types a "
		    "service line: WHOAMI, ECHO text, TIME, QUIT");
		ui_log(c->u, "connect: handshake done, server %s verified",
		    text ? text : "?");
		break;
	case CLIENT_EV_ANSWER:
		conn_add(c, LINE_OK, "C <- %s", text);
		break;
	case CLIENT_EV_CLOSED:
		if (text == NULL) {
			conn_add(c, LINE_HEAD, "== the connection is closed "
			    "(close_notify)");
			ui_log(c->u, "connect: connection closed");
			ui_fmt(c->status, sizeof c->status, "closed cleanly");
		} else {
			const char *w = NULL;

			if (t->alert_rcvd > 0)
				w = alert_text(t->alert_rcvd);
			conn_add(c, LINE_FAIL, "== FAILED: %s", text);
			if (w != NULL)
				conn_add(c, LINE_FAIL, "   in words: the server "
				    "sent the alert %s: %s",
				    alert_name(t->alert_rcvd), w);
			else if (t->alert_sent > 0 && (w =
			    alert_text(t->alert_sent)) != NULL)
				conn_add(c, LINE_FAIL, "   in words: the client "
				    "refused the server and sent the alert %s "
				    "(%s)", alert_name(t->alert_sent), w);
			ui_log(c->u, "connect: failed: %s", text);
			ui_fmt(c->status, sizeof c->status, "FAILED: %s", text);
		}
		c->state = CS_OVER;
		c->typing = 0;
		if (c->stop_after_close) {
			c->stop_after_close = 0;
			conn_stop_server(c->u, c);
		} else if (c->srv != NULL)
			conn_add(c, 0, "   the server still listens on %s; c "
			    "starts another connection, x stops it", c->addr);
		break;
	}
}

/* ---- starting and stopping ---- */

/* One side's key and chains, emptied and ready for the next use. */
static void
conn_side_clear(struct rsakey *key, struct cert_list *chain,
    struct cert_list *anchor)
{
	rsakey_clear(key);	/* wipes the private numbers */
	cert_list_clear(chain);
	cert_list_clear(anchor);
	rsakey_init(key);
	cert_list_init(chain);
	cert_list_init(anchor);
}

/* The client's key and chains, once the client is gone. */
static void
conn_client_keys_clear(struct conn *c)
{
	conn_side_clear(&c->ckey, &c->cchain, &c->canchor);
	c->ckeys = 0;
}

/* The server's key and chains, once the server is stopped. */
static void
conn_server_keys_clear(struct conn *c)
{
	conn_side_clear(&c->skey, &c->schain, &c->sanchor);
	c->skeys = 0;
}

/* In a forked child (a key generation): wipes the child's copies of both
 * sides' private keys; the parent's own stay. Touches no socket and no
 * role: the child never runs them. */
static void
conn_forget_keys(struct ui *u)
{
	if (conn_cur == NULL)
		return;
	rsakey_clear(&conn_cur->ckey);
	rsakey_clear(&conn_cur->skey);
}

/* After a turn of the loop (never from a role's callback, which may still
 * use its session): a client whose connection ended is freed, and the
 * keys of a side that ended are wiped, not kept until the next
 * connection. */
static void
conn_reap(struct conn *c)
{
	if (c->cli != NULL && client_closed_done(c->cli)) {
		client_free(c->cli);
		c->cli = NULL;
	}
	if (c->cli == NULL && c->ckeys)
		conn_client_keys_clear(c);
	if (c->srv == NULL && c->skeys)
		conn_server_keys_clear(c);
}

/* Ends the client and the server and forgets the keys. */
static void
conn_stop(struct conn *c)
{
	client_free(c->cli);
	c->cli = NULL;
	if (c->srv != NULL) {
		server_stop(c->srv);
		c->srv = NULL;
	}
	roles_reg_clear(&c->reg);
	if (c->dir[0] != '\0') {
		rmdir(c->dir);
		c->dir[0] = '\0';
	}
	conn_reap(c);
	c->state = CS_IDLE;
	c->typing = 0;
	c->stop_after_close = 0;
}

static struct conn *
conn_get(struct ui *u)
{
	struct conn *c = conn_cur;

	if (c != NULL)
		return c;
	c = xcalloc(1, sizeof *c);
	c->u = u;
	loop_init(&c->loop);
	rsakey_init(&c->skey);
	rsakey_init(&c->ckey);
	cert_list_init(&c->schain);
	cert_list_init(&c->sanchor);
	cert_list_init(&c->cchain);
	cert_list_init(&c->canchor);
	c->follow = 1;
	conn_cur = c;
	return c;
}

static void
conn_free_names(struct conn *c)
{
	ws_free_list(c->names, c->nnames);
	free(c->srv_choices);
	free(c->cli_choices);
	c->names = NULL;
	c->nnames = 0;
	c->srv_choices = c->cli_choices = NULL;
}

/* Loads an entity's certificate chain from its keystore (no passphrase). */
static int
conn_load_chain(struct ui *u, const char *name, struct cert_list *l,
    struct err *e)
{
	return entity_load_chain(&u->ws, name, l, e);
}

/* Unlocks an entity's key and chain; the message goes under field i. */
static int
conn_unlock(struct ui *u, struct form *fm, int i, const char *name,
    const char *pass, struct rsakey *key, struct cert_list *chain)
{
	struct err e;

	if (entity_unlock_chain(&u->ws, name, pass, strlen(pass), NULL, key,
	    chain, &e) == -1) {
		ui_fmt(fm->f[i].err, sizeof fm->f[i].err, "%s%s", e.msg,
		    e.kind == ERR_PASS ? " (wrong passphrase?)" : "");
		fm->cur = i;
		return -1;
	}
	return 0;
}

static void conn_aid(struct ui *, struct conn *);

static void
conn_commands(struct ui *u, struct conn *c)
{
	const char *cli = c->last[CF_CLIENT], *ca = c->last[CF_ANCHOR];
	const char *tls = c->last[CF_TLS], *auth = c->last[CF_AUTH];
	const char *host = c->last[CF_HOST];
	int anonymous = strcmp(cli, anon) == 0;
	const char *ossl_tls = strcmp(tls, "1.3") == 0 ? "-tls1_3" :
	    strcmp(tls, "1.2 ECDHE") == 0 ? "-tls1_2 -cipher "
	    "ECDHE-RSA-AES128-GCM-SHA256" : "-tls1_2 -cipher AES128-GCM-SHA256";

	conn_add(c, LINE_HEAD, "Try it outside the UI (export the CA with: "
	    "minipki-tui export %s --cert --out %s.crt):", ca, ca);
	conn_add(c, 0, "  openssl s_client -unix %s%s%s%s -CAfile %s.crt%s%s%s"
	    "%s%s %s", c->dir[0] ? c->dir : "DIR", "/tls.sock", host[0] ?
	    " -servername " : "", host, ca, anonymous ? "" : " -cert ",
	    anonymous ? "" : cli, anonymous ? "" : ".crt -key ",
	    anonymous ? "" : cli, anonymous ? "" : ".key", ossl_tls);
	conn_add(c, 0, "  minipki-tui server run %s --listen %s%s%s%s%s",
	    c->last[CF_SERVER], c->addr, strcmp(auth, "none") ? " --ca " :
	    "", strcmp(auth, "none") ? ca : "", strcmp(auth, "none") ?
	    ".crt --client-auth " : "", strcmp(auth, "none") ? auth : "");
	conn_add(c, 0, "  minipki-tui client connect %s%s%s --ca %s.crt%s%s "
	    "--tls %s%s --trace", anonymous ? "" : cli, anonymous ? "" : " ",
	    c->addr, ca, host[0] ? " --server-name " : "", host,
	    strcmp(tls, "1.3") == 0 ? "1.3" : "1.2", strcmp(tls, "1.2 RSA")
	    == 0 ? " --kx rsa" : strcmp(tls, "1.2 ECDHE") == 0 ?
	    " --kx ecdhe" : "");
	conn_aid(u, c);
}

/* The learning aid (o): the same client with OpenSSL, and the server. */
static void
conn_aid(struct ui *u, struct conn *c)
{
	const char *cli = c->last[CF_CLIENT], *ca = c->last[CF_ANCHOR];
	const char *tls = c->last[CF_TLS], *auth = c->last[CF_AUTH];
	const char *host = c->last[CF_HOST];
	int anonymous = strcmp(cli, anon) == 0;
	const char *ossl_tls = strcmp(tls, "1.3") == 0 ? "-tls1_3" :
	    strcmp(tls, "1.2 ECDHE") == 0 ? "-tls1_2 -cipher "
	    "ECDHE-RSA-AES128-GCM-SHA256" : "-tls1_2 -cipher AES128-GCM-SHA256";

	ui_set_openssl(u, "openssl s_client -unix %s/tls.sock%s%s -CAfile "
	    "%s.crt%s%s%s%s%s %s ; minipki-tui server run %s --listen %s%s%s",
	    c->dir, host[0] ? " -servername " : "", host, ca,
	    anonymous ? "" : " -cert ", anonymous ? "" : cli,
	    anonymous ? "" : ".crt -key ", anonymous ? "" : cli,
	    anonymous ? "" : ".key", ossl_tls, c->last[CF_SERVER], c->addr,
	    strcmp(auth, "none") ? " --client-auth " : "",
	    strcmp(auth, "none") ? auth : "");
}

static int
conn_submit(struct ui *u, struct form *fm)
{
	struct conn *c = conn_get(u);
	struct err e;
	const char *srv = fm->f[CF_SERVER].val, *cli = fm->f[CF_CLIENT].val;
	const char *spass = fm->f[CF_SPASS].val, *cpass = fm->f[CF_CPASS].val;
	const char *tls = fm->f[CF_TLS].val, *auth = fm->f[CF_AUTH].val;
	const char *tmp = getenv("TMPDIR");
	int anonymous = strcmp(cli, anon) == 0, i;

	conn_stop(c);
	c->skeys = c->ckeys = 1;	/* from here, whatever fails */
	if (conn_unlock(u, fm, CF_SPASS, srv, spass, &c->skey,
	    &c->schain) == -1)
		goto fail;
	if (!anonymous && conn_unlock(u, fm, CF_CPASS, cli, cpass[0] ? cpass :
	    spass, &c->ckey, &c->cchain) == -1)
		goto fail;
	if (conn_load_chain(u, fm->f[CF_ANCHOR].val, &c->canchor, &e) == -1) {
		ui_fmt(fm->f[CF_ANCHOR].err, sizeof fm->f[CF_ANCHOR].err, "%s",
		    e.msg);
		fm->cur = CF_ANCHOR;
		goto fail;
	}
	/* The anchor is the CA's own certificate, the first in its
	 * keystore (an entity's keystore holds its CA after its own). */
	while (c->canchor.n > 1)
		cert_clear(&c->canchor.v[--c->canchor.n]);
	/* The server trusts the CA that issued its own certificate (the
	 * last of its chain) for client certificates; the chosen anchor
	 * when its keystore holds no chain. */
	if (c->schain.n > 1) {
		const struct cert *top = &c->schain.v[c->schain.n - 1];

		if (cert_list_load(&c->sanchor, top->der, top->len, &e) == -1)
			ui_error(u, &e);
	} else
		conn_load_chain(u, fm->f[CF_ANCHOR].val, &c->sanchor, &e);

	memset(&c->scfg, 0, sizeof c->scfg);
	c->scfg.is_server = 1;
	c->scfg.min_version = TLS_VERSION_12;
	c->scfg.max_version = TLS_VERSION_13;
	c->scfg.chain = &c->schain;
	c->scfg.key = &c->skey;
	c->scfg.anchors = c->sanchor.n > 0 ? &c->sanchor : NULL;
	c->scfg.client_auth = strcmp(auth, "require") == 0 ? TLS_AUTH_REQUIRE :
	    strcmp(auth, "optional") == 0 ? TLS_AUTH_OPTIONAL : TLS_AUTH_NONE;
	memset(&c->ccfg, 0, sizeof c->ccfg);
	if (strcmp(tls, "1.3") == 0) {
		c->ccfg.min_version = c->ccfg.max_version = TLS_VERSION_13;
	} else {
		c->ccfg.min_version = c->ccfg.max_version = TLS_VERSION_12;
		c->ccfg.tls12_suite = strcmp(tls, "1.2 RSA") == 0 ?
		    TLS_SUITE_RSA_AES128_GCM : TLS_SUITE_ECDHE_RSA_AES128_GCM;
	}
	c->version = c->ccfg.max_version;
	c->ccfg.chain = anonymous ? NULL : &c->cchain;
	c->ccfg.key = anonymous ? NULL : &c->ckey;
	c->ccfg.anchors = &c->canchor;
	c->ccfg.trace = conn_client_trace;
	c->ccfg.cb_ctx = c;

	/* A private directory for the socket. */
	if (tmp == NULL || *tmp == '\0' || strlen(tmp) > 60)
		tmp = "/tmp";
	ui_fmt(c->dir, sizeof c->dir, "%s/minipki-conn-XXXXXX", tmp);
	if (mkdtemp(c->dir) == NULL) {
		ui_log(u, "error: %s: %s", c->dir, strerror(errno));
		c->dir[0] = '\0';
		goto fail;
	}
	memset(&c->sc, 0, sizeof c->sc);
	c->sc.addr.unix_path = 1;
	ui_fmt(c->sc.addr.path, sizeof c->sc.addr.path, "%s/tls.sock",
	    c->dir);
	c->sc.tls = &c->scfg;
	c->sc.handshake_timeout = 10;
	c->sc.idle_timeout = 3600;
	c->sc.trace = conn_server_trace;
	c->sc.event = conn_server_event;
	c->sc.cb_ctx = c;
	addr_format(&c->sc.addr, c->addr, sizeof c->addr);
	memset(&c->cc, 0, sizeof c->cc);
	c->cc.addr = c->sc.addr;
	c->cc.tls = &c->ccfg;
	c->cc.timeout = 10;
	c->cc.event = conn_client_event;
	c->cc.event_ctx = c;

	for (i = 0; i < CF__COUNT; i++)
		if (i != CF_SPASS && i != CF_CPASS)
			ui_fmt(c->last[i], sizeof c->last[i], "%s",
			    fm->f[i].val);
	c->have_last = 1;
	c->ccfg.server_name = c->last[CF_HOST][0] ? c->last[CF_HOST] : NULL;

	conn_reset(c);
	conn_add(c, LINE_HEAD, "Connection: client '%s' -> server '%s', TLS "
	    "%s, client authentication %s, the client trusts '%s'%s%s", cli,
	    srv, tls, auth, c->last[CF_ANCHOR], c->ccfg.server_name ?
	    " and expects the name " : "", c->ccfg.server_name ?
	    c->ccfg.server_name : "");
	conn_add(c, 0, "C: the client's lines, S: the server's; > sent, < "
	    "received; -- what the message is for");
	c->srv = server_start(&c->sc, &c->loop, &e);
	if (c->srv == NULL) {
		conn_add(c, LINE_FAIL, "== the server cannot listen: %s",
		    e.msg);
		ui_error(u, &e);
		conn_stop(c);
		return 0;
	}
	conn_add(c, 0, "S * listening on %s", c->addr);
	roles_reg_init(&c->reg, &u->ws, ROLES_SERVER, c->last[CF_SERVER], 1);
	if (roles_reg_ready(&c->reg, 1, c->addr, &e) == -1)
		conn_add(c, LINE_WARN, "S * not in the registry of roles: %s",
		    e.msg);
	conn_commands(u, c);
	c->t0 = loop_now_ms();
	c->cli = client_start(&c->cc, &c->loop, &e);
	if (c->cli == NULL) {
		conn_add(c, LINE_FAIL, "== the client cannot connect: %s",
		    e.msg);
		ui_error(u, &e);
		conn_reap(c);
		return 0;
	}
	c->state = CS_HANDSHAKE;
	c->status[0] = '\0';
	ui_log(u, "connect: %s -> %s, TLS %s", cli, srv, tls);
	return 0;
fail:
	conn_stop(c);
	return -1;
}

static const char *
conn_default(struct ui *u, const char *want, const char *const *choices)
{
	size_t i;

	(void)u;
	for (i = 0; choices[i] != NULL; i++)
		if (strcmp(choices[i], want) == 0)
			return choices[i];
	return choices[0];
}

static void
conn_open_form(struct ui *u)
{
	struct conn *c = conn_get(u);
	struct field *f;
	size_t i, k;
	const char *anchor = NULL;

	conn_free_names(c);
	c->names = xcalloc(u->nents + 1, sizeof *c->names);
	for (i = 0; i < u->nents; i++)
		if (u->sums != NULL && u->sums[i].has_cert)
			c->names[c->nnames++] = xstrdup(u->ents[i]);
	if (c->nnames == 0) {
		ui_log(u, "connect: no entity has a certificate yet; the demo "
		    "lab (d on the Welcome or Entities screen) makes some");
		return;
	}
	c->srv_choices = xcalloc(c->nnames + 1, sizeof *c->srv_choices);
	c->cli_choices = xcalloc(c->nnames + 2, sizeof *c->cli_choices);
	c->cli_choices[0] = anon;
	for (i = 0; i < c->nnames; i++) {
		c->srv_choices[i] = c->names[i];
		c->cli_choices[i + 1] = c->names[i];
	}
	for (k = 0; k < u->ncas && anchor == NULL; k++)
		for (i = 0; i < c->nnames; i++)
			if (strcmp(c->names[i], u->cas[k]) == 0)
				anchor = c->names[i];
	form_begin(u, "Connect: a TLS server and client in this process",
	    conn_submit, 0);
	f = form_add(u, "Server entity", conn_default(u, c->have_last ?
	    c->last[CF_SERVER] : "server", c->srv_choices));
	f->choices = c->srv_choices;
	f->hint = "Space or Left/Right: the keystore the server uses";
	f = form_add(u, "Server passphrase", "");
	f->masked = 1;
	f->hint = "unlocks the server's key";
	f = form_add(u, "Client entity", conn_default(u, c->have_last ?
	    c->last[CF_CLIENT] : "alice", c->cli_choices));
	f->choices = c->cli_choices;
	f->hint = "anonymous: no client certificate";
	f = form_add(u, "Client passphrase", "");
	f->masked = 1;
	f->hint = "empty: the server's (the demo lab uses one for all)";
	f = form_add(u, "Client trusts", conn_default(u, c->have_last ?
	    c->last[CF_ANCHOR] : anchor ? anchor : "", c->srv_choices));
	f->choices = c->srv_choices;
	f->hint = "the trust anchor, a CA (any other certificate fails)";
	f = form_add(u, "TLS version", c->have_last ? c->last[CF_TLS] : "1.3");
	f->choices = tls_choices;
	f->hint = "1.2 RSA: the key exchange without forward secrecy";
	f = form_add(u, "Client auth", c->have_last ? c->last[CF_AUTH] :
	    "optional");
	f->choices = auth_choices;
	f->hint = "does the server ask for a client certificate?";
	f = form_add(u, "Server name", c->have_last ? c->last[CF_HOST] :
	    "localhost");
	f->hint = "the name the server's certificate must carry (SNI)";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "openssl s_server "
	    "-accept 8443 -cert server.crt -key server.key -Verify 1 "
	    "-CAfile demo-ca.crt ; openssl s_client -connect localhost:8443 "
	    "-CAfile demo-ca.crt -cert alice.crt -key alice.key");
}

/* ---- the screen ---- */

static void
conn_intro(struct ui *u, struct conn *c)
{
	(void)u;
	conn_reset(c);
	conn_add(c, LINE_HEAD, "The TLS connection lab");
	conn_add(c, 0, "%s", "");
	conn_add(c, 0, "Starts a server (a keystore with a server "
	    "certificate) and connects a client to it, both inside this "
	    "program, and shows the handshake message by message: who sends "
	    "what, what each message is for, how the certificates are "
	    "checked, and the outcome. Then you type service lines (WHOAMI, "
	    "ECHO text, TIME, QUIT) and see the server's answers.");
	conn_add(c, 0, "%s", "");
	conn_add(c, 0, "  c or Enter   a new connection: pick the server, the "
	    "client (or anonymous), the trust anchor, TLS 1.3 / 1.2 ECDHE / "
	    "1.2 RSA and client authentication");
	conn_add(c, 0, "  i            type a service line (when connected)");
	conn_add(c, 0, "  x            disconnect and stop the server");
	conn_add(c, 0, "  v            brief view: one line per message (again: "
	    "every field)");
	conn_add(c, 0, "  o            the equivalent openssl s_client and "
	    "minipki-tui commands");
}

static void
conn_enter(struct ui *u)
{
	struct conn *c = conn_get(u);

	if (c->state == CS_IDLE && c->trace.n == 0) {
		conn_intro(u, c);
		ui_set_openssl(u, "openssl s_client -connect localhost:8443 "
		    "-CAfile demo-ca.crt   (open a connection: c)");
		conn_open_form(u);
	} else if (c->srv != NULL)
		conn_aid(u, c);
}

static void
conn_draw(struct ui *u, const struct ui_rect *r)
{
	int y = r->y, x = r->x, h = r->h, w = r->w;
	struct conn *c = conn_get(u);
	struct lines *l;
	int th = h - 2;
	char s[CONN_LINE_MAX + 64];
	static const char *const st[] = { "no connection", "handshake...",
		"connected", "closed" };

	if (th < 1)
		return;
	c->draw_h = th;
	c->draw_w = w;
	l = conn_shown(c);
	if (c->follow || l->top > lines_last_top(l, th, w))
		l->top = lines_last_top(l, th, w);
	l->cur = l->top;
	lines_draw(l, y, x, th, w, 0);
	ui_fmt(s, sizeof s, " %s%s ", c->state == CS_IDLE ||
	    c->state == CS_HANDSHAKE || c->status[0] == '\0' ?
	    st[c->state] : c->status, c->follow ? "" :
	    " (scrolled: End follows)");
	attron(A_DIM);
	mvhline(y + th, x, u->ascii ? '-' : ACS_HLINE, w);
	attroff(A_DIM);
	ui_put(y + th, x + 1, w - 2, s);
	if (c->typing) {
		ui_fmt(s, sizeof s, "line> %s_", c->input);
		attron(A_BOLD);
		/* the end of a long line stays in view */
		ui_put(y + th + 1, x, w, (int)strlen(s) > w ? s + strlen(s) -
		    (size_t)w : s);
		attroff(A_BOLD);
	} else {
		attron(A_DIM);
		ui_put(y + th + 1, x, w, c->state == CS_OPEN ?
		    "Enter/i: type a line  c: new  x: disconnect  v: brief" :
		    "c/Enter: new connection  x: stop the server  v: brief");
		attroff(A_DIM);
	}
}

/* A page of wrapped lines is fewer lines than rows: turns a move of |d|
 * rows (at most a window less one) into lines from the top line. */
static long
conn_page_lines(struct conn *c, long d)
{
	const struct lines *l = conn_shown(c);
	long rows = d < 0 ? -d : d, n = 0, acc = 0;
	size_t i = l->top;

	if (rows >= 1L << 29)
		return d;	/* Home, End */
	if (rows > c->draw_h - 1)
		rows = c->draw_h - 1;
	while (acc < rows) {
		if (d > 0 && i + (size_t)n >= l->n)
			break;
		if (d < 0 && (size_t)n >= i)
			break;
		acc += lines_rows(l->v[d > 0 ? i + (size_t)n :
		    i - (size_t)n - 1], c->draw_w);
		n++;
	}
	if (n > 1 && acc > rows)
		n--;	/* the last line did not fit: show it again */
	return d < 0 ? -n : n;
}

static void
conn_move(struct ui *u, long d, int page)
{
	struct conn *c = conn_get(u);
	size_t last;
	long t;

	(void)page;
	if (c->draw_h <= 0)
		return;
	last = lines_last_top(conn_shown(c), c->draw_h, c->draw_w);
	if (d > 1 || d < -1)
		d = conn_page_lines(c, d);
	t = (long)conn_shown(c)->top + d;
	if (t < 0)
		t = 0;
	if (t > (long)last)
		t = (long)last;
	conn_shown(c)->top = conn_shown(c)->cur = (size_t)t;
	c->follow = (size_t)t == last;
}

static void
conn_send(struct ui *u, struct conn *c)
{
	struct err e;

	if (c->ilen == 0)
		return;
	conn_add(c, LINE_HEAD, "C -> %s", c->input);
	if (c->cli == NULL || client_send(c->cli, c->input, &e) == -1) {
		conn_add(c, LINE_FAIL, "   not sent: %s", c->cli ? e.msg :
		    "no connection");
		ui_log(u, "connect: not sent: %s", c->cli ? e.msg :
		    "no connection");
	}
	c->follow = 1;
	explicit_bzero(c->input, sizeof c->input);
	c->ilen = 0;
}

static void
conn_stop_server(struct ui *u, struct conn *c)
{
	if (c->srv != NULL) {
		server_stop(c->srv);
		c->srv = NULL;
		conn_add(c, 0, "S * the server is stopped");
	}
	roles_reg_clear(&c->reg);
	if (c->dir[0] != '\0') {
		rmdir(c->dir);
		c->dir[0] = '\0';
	}
	ui_log(u, "connect: disconnected, server stopped");
}

static void
conn_disconnect(struct ui *u, struct conn *c)
{
	if (c->stop_after_close)
		return;		/* x again while the client closes */
	if (c->cli == NULL && c->srv == NULL) {
		ui_log(u, "connect: nothing is running");
		return;
	}
	c->typing = 0;
	if (c->cli != NULL && !client_closed_done(c->cli)) {
		/* The client's close_notify goes out from the loop: the
		 * server stops when the close is done (or the client's
		 * timer ends it). Stopped at once, it cut the connection
		 * under the client, which then reported a failure. */
		c->stop_after_close = 1;
		client_close(c->cli);
		return;
	}
	conn_stop_server(u, c);
	conn_reap(c);
}

static int
conn_key(struct ui *u, int ch)
{
	struct conn *c = conn_get(u);

	if (c->typing) {
		switch (ch) {
		case 27:
			c->typing = 0;
			return 1;
		case '\r': case '\n': case KEY_ENTER:
			conn_send(u, c);
			if (c->state != CS_OPEN)
				c->typing = 0;
			return 1;
		case 0x7f: case 8: case KEY_BACKSPACE:
			if (c->ilen > 0)
				c->input[--c->ilen] = '\0';
			return 1;
		case 21:	/* ^U */
			c->ilen = 0;
			c->input[0] = '\0';
			return 1;
		case '\t':
			c->typing = 0;
			return 0;	/* and the focus moves */
		}
		if (ch >= 0x20 && ch < 0x7f && c->ilen < CONN_LINE_MAX) {
			c->input[c->ilen++] = (char)ch;
			c->input[c->ilen] = '\0';
		}
		return 1;
	}
	switch (ch) {
	case 'c':
		conn_open_form(u);
		return 1;
	case '\r': case '\n': case KEY_ENTER: case 'i':
		if (c->state == CS_OPEN) {
			c->typing = 1;
			c->follow = 1;
		} else if (ch == 'i')
			ui_log(u, "connect: not connected (c opens a "
			    "connection)");
		else
			conn_open_form(u);
		return 1;
	case 'x':
		conn_disconnect(u, c);
		return 1;
	case 'v':
		c->brief_view = !c->brief_view;
		c->follow = 1;
		ui_log(u, "connect: %s", c->brief_view ? "brief view: one line "
		    "per message (v: every field)" : "every field of each "
		    "message (v: brief)");
		return 1;
	}
	return 0;
}

static int
conn_typing(const struct ui *u)
{
	return conn_cur != NULL && conn_cur->typing;
}

static const char *
conn_hints(const struct ui *u)
{
	if (conn_typing(u))
		return "type WHOAMI, ECHO text, TIME or QUIT  Enter send  "
		    "Esc stop typing  F10 quit";
	if (conn_cur != NULL && conn_cur->state == CS_OPEN)
		return "Enter/i type a line  c new connection  x disconnect  "
		    "o commands  ? help";
	return "c new connection  x stop the server  Up/Down scroll  "
	    "o commands  ? help";
}

static size_t
conn_pollfds(struct ui *u, struct pollfd *p, size_t max, int *wait_ms)
{
	if (conn_cur == NULL || conn_cur->loop.n == 0)
		return 0;
	return loop_pollfds(&conn_cur->loop, p, max, wait_ms);
}

static int
conn_dispatch(struct ui *u, const struct pollfd *p, size_t n)
{
	struct conn *c = conn_cur;
	int changed;

	if (c == NULL)
		return 0;
	loop_dispatch(&c->loop, p, n);
	conn_reap(c);
	changed = c->changed;
	c->changed = 0;
	return changed;
}

static int
conn_listening(const struct ui *u)
{
	(void)u;
	return conn_cur != NULL && conn_cur->srv != NULL;
}

/* The server listens on every screen: the title bar says so. */
static const char *
conn_note(const struct ui *u)
{
	return conn_listening(u) ? "TLS server listening" : NULL;
}

static void
conn_leave(struct ui *u)
{
	if (conn_listening(u))
		ui_log(u, "connect: the TLS server keeps listening on %s (the "
		    "title bar says so); x in Connect or L stops it",
		    conn_cur->addr);
}

static void
conn_lock(struct ui *u)
{
	struct conn *c = conn_cur;

	if (c == NULL || (c->cli == NULL && c->srv == NULL))
		return;
	conn_add(c, LINE_HEAD, "== L (lock): the client and the server are "
	    "stopped, their keys wiped from memory");
	conn_stop(c);
	ui_log(u, "connect: the TLS server is stopped and its keys wiped (L)");
}

static void
conn_clear(struct ui *u)
{
	struct conn *c = conn_cur;

	if (c == NULL)
		return;
	conn_stop(c);
	conn_reset(c);
	conn_free_names(c);
	loop_clear(&c->loop);
	explicit_bzero(c->input, sizeof c->input);
	free(c);
	conn_cur = NULL;
}

static void
conn_select(struct ui *u)
{
	conn_key(u, '\n');
}

static const struct binding conn_keys[] = {
	{ 'c', 0, 0, NULL, "c Enter", "new connection (form: server, client, anchor, TLS, client auth)" },
	{ 'i', 0, 0, NULL, "i Enter", "type a service line: WHOAMI, ECHO text, TIME, QUIT (Esc stops)" },
	{ 'x', 0, 0, NULL, "x", "disconnect the client and stop the server" },
	{ 'v', 0, 0, NULL, "v", "brief trace: one line per message (again: every field)" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_connect = {
	.name = "Connect",
	.title = "Connect: a TLS handshake, message by message",
	.keys = conn_keys,
	.enter = conn_enter,
	.leave = conn_leave,
	.draw = conn_draw,
	.key = conn_key,
	.move = conn_move,
	.select = conn_select,
	.dyn_hints = conn_hints,
	.typing = conn_typing,
	.note = conn_note,
	.lock = conn_lock,
	.forget = conn_forget_keys,
	.pollfds = conn_pollfds,
	.dispatch = conn_dispatch,
	.clear = conn_clear,
};
