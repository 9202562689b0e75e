/* scr-server.c — the Server window: a TLS server (role/server.h, the line
 * service of `server run`) for an entity of the user's choice, on a Unix
 * or TCP address of the user's choice, run in a child process
 * (tui/rolechild.h): the server's loop never waits on the UI's, the key
 * lives in the child (the UI's copy is wiped once it has forked), and the
 * child is in the workspace's registry of running roles (store/roles.h)
 * so that another UI on the workspace can connect to it. The window
 * lists the connections with their authenticated peers and shows the
 * selected one's handshake as `server run --trace` prints it, message by
 * message and field by field, as it happens.
 *
 * The pipe's lines, each a letter, a space and text:
 *   A ADDR        listening (port 0 resolved)
 *   V LINE        a server event: "connection 3: accepted", ...
 *   T ID LINE     a trace line of connection ID
 * and rolechild's D, E and S. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "net/loop.h"
#include "role/entity.h"
#include "role/server.h"
#include "store/roles.h"
#include "tui/rolechild.h"
#include "tui/ui.h"
#include "x509/dn.h"
#include "util/nodump.h"
#include "util/xalloc.h"

enum { SF_ENTITY, SF_PASS, SF_ADDR, SF_AUTH, SF__COUNT };

static const char *const srvw_auth_choices[] = { "optional", "require",
	"none", NULL };

struct srvw {
	struct rolechild proc;	/* the server's process */
	char ent[WS_NAME_MAX + 1];
	char addr[ROLES_ADDR_MAX + 1];	/* as listening */
	struct rolechild_conns conns;
	/* the form's choices */
	char **names;
	size_t nnames;
	const char **choices;
	char last_addr[UI_FIELD_MAX], last_auth[16];
	/* the key and chains between the form and the fork */
	struct rolechild_keys keys;
	int client_auth;
};

static struct srvw *srvw_cur;

static void srvw_line(struct ui *, void *, char, char *);
static void srvw_ended(struct ui *, void *);

static struct srvw *
srvw_get(void)
{
	struct srvw *s = srvw_cur;

	if (s != NULL)
		return s;
	s = xcalloc(1, sizeof *s);
	rolechild_init(&s->proc, srvw_line, srvw_ended, s);
	rolechild_conns_init(&s->conns);
	rolechild_keys_init(&s->keys);
	srvw_cur = s;
	return s;
}

pid_t
scr_server_pid(void)
{
	return srvw_cur != NULL ? srvw_cur->proc.pid : 0;
}

/* ---- the child ---- */

struct srvw_arg {
	struct srvw *s;
	const char *addr;
};

static void
srvw_child(struct ui *u, void *arg, struct rolechild_kid *k)
{
	struct srvw_arg *a = arg;
	struct srvw *s = a->s;
	struct loop l;
	struct err e;
	int rc;

	/* The server's key and ticket keys: no core dump, as `server run` */
	(void)nodump_process();
	err_clear(&e);
	loop_init(&l);
	roles_reg_init(&k->reg, &u->ws, ROLES_SERVER, s->ent, 1);
	(void)rolechild_kid_serve(k, &l, a->addr, &s->keys, s->client_auth,
	    3600, NULL, &e);
	rc = rolechild_kid_end(k, &e);
	loop_clear(&l);
	rolechild_keys_clear(&s->keys);
	_exit(rc);
}

/* ---- the parent ---- */

static void
srvw_line(struct ui *u, void *owner, char kind, char *t)
{
	struct srvw *s = owner;
	struct rolechild_conn *c;

	switch (kind) {
	case 'A':
		ui_fmt(s->addr, sizeof s->addr, "%s", t);
		s->proc.ready = 1;
		ui_log(u, "server: '%s' listening on %s", s->ent, s->addr);
		break;
	case 'V':
		switch (rolechild_conns_event(&s->conns, t, &c)) {
		case RC_EV_OTHER:
			ui_log(u, "server: %s", t);
			break;
		case RC_EV_HANDSHAKE:
			ui_log(u, "server: connection %u from %s", c->id,
			    c->peer);
			break;
		default:
			break;
		}
		break;
	case 'T':
		(void)rolechild_conns_trace(&s->conns, t);
		break;
	}
}

static void
srvw_ended(struct ui *u, void *owner)
{
	struct srvw *s = owner;

	rolechild_conns_closed(&s->conns);
	ui_log(u, "server: '%s' %s", s->ent, s->proc.end);
}

static int
srvw_start(struct ui *u, struct srvw *s, const char *addr)
{
	struct srvw_arg a = { s, addr };

	if (rolechild_start(u, &s->proc, &scr_server, srvw_child, &a) == -1)
		return -1;
	s->addr[0] = '\0';
	rolechild_conns_clear(&s->conns);
	return 0;
}

/* ---- the form ---- */

/* A keystore that holds the leaf alone: the workspace's CA that issued
 * it is the anchor for client certificates. */
static void
srvw_find_ca(struct ui *u, struct srvw *s)
{
	struct cert_list l;
	size_t i;

	for (i = 0; i < u->ncas && s->keys.anchor.n == 0 &&
	    s->keys.chain.n > 0; i++) {
		cert_list_init(&l);
		if (entity_load_chain(&u->ws, u->cas[i], &l, NULL) == 0 &&
		    l.n > 0 && dn_equal(&l.v[0].subject,
		    &s->keys.chain.v[0].issuer))
			(void)cert_list_load(&s->keys.anchor, l.v[0].der,
			    l.v[0].len, NULL);
		cert_list_clear(&l);
	}
}

static int
srvw_submit(struct ui *u, struct form *fm)
{
	struct srvw *s = srvw_get();
	const char *ent = fm->f[SF_ENTITY].val, *auth = fm->f[SF_AUTH].val;
	struct err e;

	err_clear(&e);
	if (rolechild_form_unlock(u, fm, SF_ADDR, SF_PASS, ent, &s->keys) ==
	    -1)
		return -1;
	ui_fmt(s->ent, sizeof s->ent, "%s", ent);
	ui_fmt(s->last_addr, sizeof s->last_addr, "%s", fm->f[SF_ADDR].val);
	ui_fmt(s->last_auth, sizeof s->last_auth, "%s", auth);
	form_wipe(u);	/* the passphrase; the values are copied above */
	auth = s->last_auth;
	/* Client certificates are checked against the CA that issued the
	 * server's own (the top of its chain). */
	if (s->keys.chain.n > 1) {
		const struct cert *top = &s->keys.chain.v[s->keys.chain.n - 1];

		(void)cert_list_load(&s->keys.anchor, top->der, top->len, &e);
	} else
		srvw_find_ca(u, s);
	s->client_auth = strcmp(auth, "require") == 0 ? TLS_AUTH_REQUIRE :
	    strcmp(auth, "optional") == 0 && s->keys.anchor.n > 0 ?
	    TLS_AUTH_OPTIONAL : TLS_AUTH_NONE;
	(void)srvw_start(u, s, s->last_addr);
	rolechild_keys_clear(&s->keys);	/* the child has its copy */
	if (s->proc.pid == 0)
		return 0;
	ui_set_openssl(u, "minipki-tui server run %s --listen %s%s%s  "
	    "(then: minipki-tui client connect NAME ADDR --ca CA.pem)", s->ent,
	    s->last_addr, s->client_auth != TLS_AUTH_NONE ?
	    " --ca CA.pem --client-auth " : "", s->client_auth !=
	    TLS_AUTH_NONE ? auth : "");
	ui_log(u, "server: starting '%s' on %s", s->ent, s->last_addr);
	return 0;
}

static void
srvw_open_form(struct ui *u)
{
	struct srvw *s = srvw_get();
	struct field *f;
	const char *def = NULL;
	size_t i;

	if (s->proc.pid != 0) {
		ui_log(u, "server: '%s' runs already (x stops it)", s->ent);
		return;
	}
	if (rolechild_entity_choices(u, &s->names, &s->nnames, &s->choices)
	    == 0) {
		ui_log(u, "server: no entity has a certificate yet (the demo "
		    "lab, d on the Entities screen, makes some)");
		return;
	}
	for (i = 0; i < s->nnames; i++)
		if (strcmp(s->names[i], s->ent[0] ? s->ent : "server") == 0)
			def = s->names[i];
	if (def == NULL && scr_entities_selected(u) != NULL)
		for (i = 0; i < s->nnames; i++)
			if (strcmp(s->names[i], scr_entities_selected(u)) == 0)
				def = s->names[i];
	rolechild_form_begin(u, "Start a TLS server", srvw_submit, def != NULL ?
	    def : s->names[0], s->choices, "Space: the keystore whose key and "
	    "certificate it presents", "unlocks the entity's key (kept in the "
	    "server's process)", s->last_addr);
	f = form_add(u, "Client auth", s->last_auth[0] ? s->last_auth :
	    "optional");
	f->choices = srvw_auth_choices;
	f->hint = "ask clients for a certificate from the server's CA";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "minipki-tui server "
	    "run server --listen tcp:127.0.0.1:8443 --ca ca.pem --client-auth "
	    "optional");
}

/* ---- the screen ---- */

static void
srvw_draw(struct ui *u, const struct ui_rect *r)
{
	struct srvw *s = srvw_get();
	struct ui_rect below = *r;
	int y = r->y, x = r->x, w = r->w;
	size_t i, authd = 0;
	char line[400];

	for (i = 0; i < s->conns.n; i++)
		authd += s->conns.v[i].peer[0] != '\0' &&
		    strcmp(s->conns.v[i].peer, "anonymous") != 0;
	if (s->proc.pid != 0)
		ui_fmt(line, sizeof line, "Server '%s' %s %s  pid %ld  up %llds",
		    s->ent, s->proc.ready ? "listening on" : "starting on",
		    s->proc.ready ? s->addr : s->last_addr, (long)s->proc.pid,
		    (long long)((loop_now_ms() - s->proc.started) / 1000));
	else
		ui_fmt(line, sizeof line, "No server running%s%s  (s starts "
		    "one)", s->proc.end[0] ? ": " : "", s->proc.end);
	attron(A_BOLD);
	ui_put(y, x, w, line);
	attroff(A_BOLD);
	ui_fmt(line, sizeof line, "Connections %zu, authenticated peers %zu%s",
	    s->conns.n, authd, s->proc.dropped ? "  (some lines dropped)" :
	    "");
	ui_put(y + 1, x, w, line);
	below.y += 2;
	below.h -= 2;
	rolechild_conns_draw(u, &s->conns, &below);
}

static void
srvw_move(struct ui *u, long d, int page)
{
	(void)u;
	(void)page;
	rolechild_conns_move(&srvw_get()->conns, d);
}

static int
srvw_key(struct ui *u, int ch)
{
	struct srvw *s = srvw_get();

	switch (ch) {
	case 's':
		srvw_open_form(u);
		return 1;
	case 'x':
		if (s->proc.pid == 0)
			ui_log(u, "server: not running (s starts it)");
		else
			rolechild_stop(u, &s->proc, "server: stopping");
		return 1;
	}
	return 0;
}

static void
srvw_select(struct ui *u)
{
	if (srvw_get()->proc.pid == 0)
		srvw_open_form(u);
}

static size_t
srvw_pollfds(struct ui *u, struct pollfd *p, size_t max, int *wait_ms)
{
	struct srvw *s = srvw_cur;
	int64_t left;

	if (s == NULL || s->proc.pid == 0 || max == 0)
		return 0;
	/* the uptime, once a second while shown */
	if (u->scr == &scr_server && !u->form_open) {
		left = 1000 - (loop_now_ms() - s->proc.started) % 1000;
		if (*wait_ms < 0 || left < *wait_ms)
			*wait_ms = (int)left;
		ui_redraw();
	}
	return rolechild_pollfd(&s->proc, p, max);
}

static int
srvw_dispatch(struct ui *u, const struct pollfd *p, size_t n)
{
	struct srvw *s = srvw_cur;

	return s != NULL ? rolechild_dispatch(u, &s->proc, p, n) : 0;
}

static const char *
srvw_note(const struct ui *u)
{
	(void)u;
	return srvw_cur != NULL && srvw_cur->proc.pid != 0 ? "server running" :
	    NULL;
}

static void
srvw_lock(struct ui *u)
{
	if (srvw_cur != NULL)
		rolechild_stop(u, &srvw_cur->proc, "server: stopping");
}

/* In another child (a job, the CA service): the key is not theirs. */
static void
srvw_forget(struct ui *u)
{
	(void)u;
	if (srvw_cur != NULL)
		rolechild_keys_clear(&srvw_cur->keys);
}

static void
srvw_clear(struct ui *u)
{
	struct srvw *s = srvw_cur;

	(void)u;
	if (s == NULL)
		return;
	(void)rolechild_end(&s->proc);
	rolechild_conns_clear(&s->conns);
	rolechild_keys_clear(&s->keys);
	ws_free_list(s->names, s->nnames);
	free(s->choices);
	free(s);
	srvw_cur = NULL;
}

static const char *
srvw_hints(const struct ui *u)
{
	(void)u;
	return "s start  x stop  Up/Down connection  o commands  ? help";
}

static const struct binding srvw_keys[] = {
	{ 's', 0, 0, NULL, "s Enter", "start a TLS server (form: entity, passphrase, unix: or tcp: address, client auth)" },
	{ 'x', 0, 0, NULL, "x", "stop the server (it leaves the registry of roles)" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_server = {
	.name = "Server",
	.title = "Server: a TLS server, its connections and peers",
	.keys = srvw_keys,
	.shortcut = '6',
	.draw = srvw_draw,
	.key = srvw_key,
	.move = srvw_move,
	.select = srvw_select,
	.dyn_hints = srvw_hints,
	.note = srvw_note,
	.lock = srvw_lock,
	.forget = srvw_forget,
	.pollfds = srvw_pollfds,
	.dispatch = srvw_dispatch,
	.clear = srvw_clear,
};
