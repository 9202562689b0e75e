/* scr-server.c — the Server window: a TLS server (role/server.h, the line
 * service of `server run`) for an entity of the user's choice, on a Unix
 * or TCP address of the user's choice, run in a child process as
 * svcproc.c runs the CA service: the server's loop never waits on the
 * UI's, the key lives in the child (the UI's copy is wiped once it has
 * forked), and the child is in the workspace's registry of running roles
 * (store/roles.h) so that another UI on the workspace can connect to it.
 * The window lists the connections with their authenticated peers and
 * shows the selected one's handshake, message by message.
 *
 * The pipe's lines, each a letter, a space and text:
 *   A ADDR        listening (port 0 resolved)
 *   V LINE        a server event: "connection 3: accepted", ...
 *   T ID LINE     a trace line of connection ID
 *   E MESSAGE     it cannot start, or goes on no longer
 *   S stopped     a clean stop (SIGTERM)
 * A line is cut at CHILDPIPE_LINE_MAX; a full pipe drops lines (counted). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "net/loop.h"
#include "role/entity.h"
#include "role/server.h"
#include "store/roles.h"
#include "tui/childpipe.h"
#include "tui/ui.h"
#include "x509/dn.h"
#include "util/nodump.h"
#include "util/xalloc.h"

#define SRVW_CONNS_MAX 64	/* connections listed; older closed ones go */
#define SRVW_TRACE_MAX 4000	/* trace lines kept per connection */
#define SRVW_STOP_WAIT_MS 3000

enum { SF_ENTITY, SF_PASS, SF_ADDR, SF_AUTH, SF__COUNT };

static const char *const srvw_auth_choices[] = { "optional", "require",
	"none", NULL };

struct srvw_conn {
	unsigned id;
	int open;		/* not closed yet */
	char peer[200];		/* "CN=alice", "anonymous", "" before */
	char tls[64];		/* "TLS 1.3" once the handshake is done */
	char end[120];		/* why it closed */
	struct lines trace;
};

struct srvw {
	pid_t pid;		/* 0: none */
	int fd;
	struct buf in;
	int ready, stopping;
	int64_t started;	/* monotonic ms */
	char ent[WS_NAME_MAX + 1];
	char addr[ROLES_ADDR_MAX + 1];	/* as listening */
	char end[300];		/* how it ended */
	unsigned long dropped;
	struct srvw_conn conns[SRVW_CONNS_MAX];
	size_t nconns, cur;
	int follow;
	int scrolled;		/* PgUp: the trace stays where it is */
	int draw_h, draw_w;
	/* the form's choices */
	char **names;
	size_t nnames;
	const char **choices;
	char last_addr[UI_FIELD_MAX], last_auth[16];
	/* the key and chains between the form and the fork */
	struct rsakey key;
	struct cert_list chain, anchor;
	int client_auth;
};

static struct srvw *srvw_cur;

static struct srvw *
srvw_get(void)
{
	struct srvw *s = srvw_cur;

	if (s != NULL)
		return s;
	s = xcalloc(1, sizeof *s);
	s->fd = -1;
	s->follow = 1;
	buf_init(&s->in);
	rsakey_init(&s->key);
	cert_list_init(&s->chain);
	cert_list_init(&s->anchor);
	srvw_cur = s;
	return s;
}

/* The key and chains: wiped in the parent once the child has them. */
static void
srvw_keys_clear(struct srvw *s)
{
	rsakey_clear(&s->key);
	cert_list_clear(&s->chain);
	cert_list_clear(&s->anchor);
	rsakey_init(&s->key);
	cert_list_init(&s->chain);
	cert_list_init(&s->anchor);
}

pid_t
scr_server_pid(void)
{
	return srvw_cur != NULL ? srvw_cur->pid : 0;
}

/* ---- the child ---- */

struct srvw_child {
	struct childpipe pipe;
	struct roles_reg reg;
};

static void
srvw_child_ready(void *ctx, const char *addr)
{
	struct srvw_child *c = ctx;
	struct err e;

	childpipe_put(&c->pipe, 'A', "%s", addr);
	if (roles_reg_ready(&c->reg, 1, addr, &e) == -1)
		childpipe_put(&c->pipe, 'V', "not in the registry of roles: %s", e.msg);
}

static void
srvw_child_trace(void *ctx, unsigned id, const char *line)
{
	struct srvw_child *c = ctx;

	childpipe_put(&c->pipe, 'T', "%u %s", id, line);
}

static void
srvw_child_event(void *ctx, const char *line)
{
	struct srvw_child *c = ctx;

	childpipe_put(&c->pipe, 'V', "%s", line);
}

static void
srvw_child(struct ui *u, struct srvw *s, const char *addr, int fd,
    pid_t parent)
{
	struct srvw_child c;
	struct server_conf sc;
	struct tls_config cfg;
	struct server *srv = NULL;
	struct loop l;
	struct err e;
	size_t i;
	int dn, rc = 1;

	memset(&c, 0, sizeof c);
	c.pipe.fd = fd;
	xalloc_set_fail_hook(NULL);
	setpgid(0, 0);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(1);
	job_close_fds(fd);
	if ((dn = open("/dev/null", O_RDWR)) != -1) {
		dup2(dn, 0);
		dup2(dn, 1);
		dup2(dn, 2);
		if (dn > 2)
			close(dn);
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	/* The server's key and ticket keys: no core dump, as `server run` */
	(void)nodump_process();
	/* The UI's other secrets, copied by the fork, are not the server's;
	 * its own key (s->key) is. */
	rsakey_clear(&u->ca.key);
	for (i = 0; i < screens_n; i++)
		if (screens[i]->forget != NULL && screens[i] != &scr_server)
			screens[i]->forget(u);
	err_clear(&e);
	loop_init(&l);
	memset(&cfg, 0, sizeof cfg);
	cfg.is_server = 1;
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	cfg.chain = &s->chain;
	cfg.key = &s->key;
	cfg.anchors = s->anchor.n > 0 ? &s->anchor : NULL;
	cfg.client_auth = s->client_auth;
	memset(&sc, 0, sizeof sc);
	if (addr_parse(&sc.addr, addr, &e) == -1)
		goto fail;
	sc.tls = &cfg;
	sc.handshake_timeout = 10;
	sc.idle_timeout = 3600;
	sc.ready = srvw_child_ready;
	sc.ready_ctx = &c;
	sc.trace = srvw_child_trace;
	sc.event = srvw_child_event;
	sc.cb_ctx = &c;
	roles_reg_init(&c.reg, &u->ws, ROLES_SERVER, s->ent, 1);
	loop_catch_signals();
	if ((srv = server_start(&sc, &l, &e)) == NULL)
		goto fail;
	while (!loop_signalled() && !c.pipe.gone)
		if (loop_once(&l, 500, &e) == -1)
			break;
	server_stop(srv);
	roles_reg_clear(&c.reg);
	if (e.kind != ERR_NONE)
		goto fail;
	childpipe_put(&c.pipe, 'S', "stopped");
	rc = 0;
	goto out;
fail:
	childpipe_put(&c.pipe, 'E', "%s", e.msg[0] ? e.msg : "failed");
out:
	roles_reg_clear(&c.reg);
	loop_clear(&l);
	srvw_keys_clear(s);
	_exit(rc);
}

/* ---- the parent ---- */

static struct srvw_conn *
srvw_conn(struct srvw *s, unsigned id, int make)
{
	struct srvw_conn *c;
	size_t i;

	for (i = 0; i < s->nconns; i++)
		if (s->conns[i].id == id)
			return &s->conns[i];
	if (!make)
		return NULL;
	if (s->nconns == SRVW_CONNS_MAX) {
		/* the oldest goes */
		lines_clear(&s->conns[0].trace);
		memmove(s->conns, s->conns + 1, (SRVW_CONNS_MAX - 1) *
		    sizeof *s->conns);
		s->nconns--;
		if (s->cur > 0)
			s->cur--;
	}
	c = &s->conns[s->nconns++];
	memset(c, 0, sizeof *c);
	c->id = id;
	c->open = 1;
	if (s->follow)
		s->cur = s->nconns - 1;
	return c;
}

static void
srvw_trace_add(struct srvw_conn *c, char marker, const char *text)
{
	size_t i, drop;

	if (marker)
		lines_addf(&c->trace, "%c%s", marker, text);
	else
		lines_add(&c->trace, text);
	if (c->trace.n > SRVW_TRACE_MAX) {
		drop = c->trace.n - SRVW_TRACE_MAX / 2;
		for (i = 0; i < drop; i++)
			free(c->trace.v[i]);
		memmove(c->trace.v, c->trace.v + drop, (c->trace.n - drop) *
		    sizeof *c->trace.v);
		c->trace.n -= drop;
		c->trace.top = 0;
	}
}

/* "connection N: ..." from the server's log. */
static void
srvw_event(struct ui *u, struct srvw *s, const char *t)
{
	struct srvw_conn *c;
	const char *p, *cl;
	unsigned id;
	int n = 0;

	if (sscanf(t, "connection %u: %n", &id, &n) != 1 || n == 0) {
		ui_log(u, "server: %s", t);
		return;
	}
	p = t + n;
	if ((c = srvw_conn(s, id, strcmp(p, "accepted") == 0)) == NULL)
		return;
	if (strstr(p, "handshake done") != NULL) {
		ui_fmt(c->tls, sizeof c->tls, "%.*s", (int)strcspn(p, "("),
		    p);
		if ((cl = strstr(p, "), client ")) != NULL)
			ui_fmt(c->peer, sizeof c->peer, "%s", cl + 10);
		srvw_trace_add(c, LINE_OK, p);
		ui_log(u, "server: connection %u from %s", id, c->peer);
	} else if (strcmp(p, "accepted") == 0)
		srvw_trace_add(c, LINE_HEAD, "accepted");
	else {
		c->open = 0;
		ui_fmt(c->end, sizeof c->end, "%s", p);
		srvw_trace_add(c, strcmp(p, "closed") == 0 ? LINE_HEAD :
		    LINE_FAIL, p);
	}
}

static void
srvw_line(struct ui *u, struct srvw *s, char *line)
{
	struct srvw_conn *c;
	char *t = line + 2, *sp;
	unsigned long id;

	if (line[0] == '\0' || line[1] != ' ')
		return;
	switch (line[0]) {
	case 'A':
		ui_fmt(s->addr, sizeof s->addr, "%s", t);
		s->ready = 1;
		ui_log(u, "server: '%s' listening on %s", s->ent, s->addr);
		break;
	case 'V':
		srvw_event(u, s, t);
		break;
	case 'T':
		id = strtoul(t, &sp, 10);
		if (*sp != ' ' || (c = srvw_conn(s, (unsigned)id, 0)) == NULL)
			return;
		srvw_trace_add(c, (sp[1] == '>' && sp[2] == ' ') ? LINE_HEAD :
		    strstr(sp, "FAIL") != NULL ? LINE_FAIL : 0, sp + 1);
		break;
	case 'D':
		s->dropped += strtoul(t, NULL, 10);
		break;
	case 'E':
		ui_fmt(s->end, sizeof s->end, "%s%s", s->ready ? "" :
		    "cannot start: ", t);
		break;
	case 'S':
		ui_fmt(s->end, sizeof s->end, "stopped");
		break;
	}
}

static void
srvw_reap(struct ui *u, struct srvw *s)
{
	int st = 0;
	size_t i;

	close(s->fd);
	s->fd = -1;
	while (waitpid(s->pid, &st, 0) == -1 && errno == EINTR)
		;
	if (s->end[0] == '\0')
		ui_fmt(s->end, sizeof s->end, WIFSIGNALED(st) ? "ended by "
		    "signal %d" : "ended (status %d)", WIFSIGNALED(st) ?
		    WTERMSIG(st) : WEXITSTATUS(st));
	for (i = 0; i < s->nconns; i++)
		s->conns[i].open = 0;
	s->pid = 0;
	s->ready = s->stopping = 0;
	buf_clear(&s->in);
	ui_log(u, "server: '%s' %s", s->ent, s->end);
}

struct srvw_pipectx {
	struct ui *u;
	struct srvw *s;
};

static void
srvw_pipe_line(void *ctx, char *text)
{
	struct srvw_pipectx *pc = ctx;

	srvw_line(pc->u, pc->s, text);
}

static int
srvw_read(struct ui *u, struct srvw *s)
{
	struct srvw_pipectx pc = { u, s };

	if (childpipe_read(s->fd, &s->in, srvw_pipe_line, &pc) == 0)
		srvw_reap(u, s);
	return 1;
}

static int
srvw_start(struct ui *u, struct srvw *s, const char *addr)
{
	int p[2];
	pid_t pid, me = getpid();
	size_t i;

	if (pipe(p) == -1) {
		ui_log(u, "error: pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		ui_log(u, "error: fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		srvw_child(u, s, addr, p[1], me);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	setpgid(pid, pid);
	s->pid = pid;
	s->fd = p[0];
	buf_init(&s->in);
	s->ready = s->stopping = 0;
	s->addr[0] = s->end[0] = '\0';
	s->dropped = 0;
	for (i = 0; i < s->nconns; i++)
		lines_clear(&s->conns[i].trace);
	s->nconns = s->cur = 0;
	s->follow = 1;
	s->started = loop_now_ms();
	return 0;
}

static void
srvw_stop(struct ui *u, struct srvw *s)
{
	if (s->pid == 0 || s->stopping)
		return;
	kill(s->pid, SIGTERM);
	s->stopping = 1;
	ui_log(u, "server: stopping");
}

/* ---- the form ---- */

/* A keystore that holds the leaf alone: the workspace's CA that issued
 * it is the anchor for client certificates. */
static void
srvw_find_ca(struct ui *u, struct srvw *s)
{
	struct cert_list l;
	size_t i;

	for (i = 0; i < u->ncas && s->anchor.n == 0 && s->chain.n > 0; i++) {
		cert_list_init(&l);
		if (entity_load_chain(&u->ws, u->cas[i], &l, NULL) == 0 &&
		    l.n > 0 && dn_equal(&l.v[0].subject,
		    &s->chain.v[0].issuer))
			(void)cert_list_load(&s->anchor, l.v[0].der, l.v[0].len,
			    NULL);
		cert_list_clear(&l);
	}
}

static int
srvw_submit(struct ui *u, struct form *fm)
{
	struct srvw *s = srvw_get();
	const char *ent = fm->f[SF_ENTITY].val, *auth = fm->f[SF_AUTH].val;
	struct addr a;
	struct err e;

	err_clear(&e);
	if (addr_parse(&a, fm->f[SF_ADDR].val, &e) == -1) {
		ui_fmt(fm->f[SF_ADDR].err, sizeof fm->f[SF_ADDR].err, "%s",
		    e.msg);
		fm->cur = SF_ADDR;
		return -1;
	}
	srvw_keys_clear(s);
	if (entity_unlock_chain(&u->ws, ent, fm->f[SF_PASS].val,
	    strlen(fm->f[SF_PASS].val), NULL, &s->key, &s->chain, &e) == -1) {
		ui_fmt(fm->f[SF_PASS].err, sizeof fm->f[SF_PASS].err, "%s%s",
		    e.msg, e.kind == ERR_PASS ? " (wrong passphrase?)" : "");
		fm->cur = SF_PASS;
		srvw_keys_clear(s);
		return -1;
	}
	ui_fmt(s->ent, sizeof s->ent, "%s", ent);
	ui_fmt(s->last_addr, sizeof s->last_addr, "%s", fm->f[SF_ADDR].val);
	ui_fmt(s->last_auth, sizeof s->last_auth, "%s", auth);
	form_wipe(u);	/* the passphrase; the values are copied above */
	auth = s->last_auth;
	/* Client certificates are checked against the CA that issued the
	 * server's own (the top of its chain). */
	if (s->chain.n > 1) {
		const struct cert *top = &s->chain.v[s->chain.n - 1];

		(void)cert_list_load(&s->anchor, top->der, top->len, &e);
	} else
		srvw_find_ca(u, s);
	s->client_auth = strcmp(auth, "require") == 0 ? TLS_AUTH_REQUIRE :
	    strcmp(auth, "optional") == 0 && s->anchor.n > 0 ?
	    TLS_AUTH_OPTIONAL : TLS_AUTH_NONE;
	if (srvw_start(u, s, s->last_addr) == -1) {
		srvw_keys_clear(s);
		return 0;
	}
	srvw_keys_clear(s);	/* the child has its copy */
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

	if (s->pid != 0) {
		ui_log(u, "server: '%s' runs already (x stops it)", s->ent);
		return;
	}
	ws_free_list(s->names, s->nnames);
	free(s->choices);
	s->names = xcalloc(u->nents + 1, sizeof *s->names);
	s->nnames = 0;
	for (i = 0; i < u->nents; i++)
		if (u->sums != NULL && u->sums[i].has_cert &&
		    !u->sums[i].is_ca)
			s->names[s->nnames++] = xstrdup(u->ents[i]);
	if (s->nnames == 0) {
		s->choices = NULL;
		ui_log(u, "server: no entity has a certificate yet (the demo "
		    "lab, d on the Entities screen, makes some)");
		return;
	}
	s->choices = xcalloc(s->nnames + 1, sizeof *s->choices);
	for (i = 0; i < s->nnames; i++) {
		s->choices[i] = s->names[i];
		if (strcmp(s->names[i], s->ent[0] ? s->ent : "server") == 0)
			def = s->names[i];
	}
	if (def == NULL && scr_entities_selected(u) != NULL)
		for (i = 0; i < s->nnames; i++)
			if (strcmp(s->names[i], scr_entities_selected(u)) == 0)
				def = s->names[i];
	form_begin(u, "Start a TLS server", srvw_submit, 0);
	f = form_add(u, "Entity", def != NULL ? def : s->names[0]);
	f->choices = s->choices;
	f->hint = "Space: the keystore whose key and certificate it presents";
	f = form_add(u, "Passphrase", "");
	f->masked = 1;
	f->hint = "unlocks the entity's key (kept in the server's process)";
	f = form_add(u, "Address", s->last_addr[0] ? s->last_addr :
	    "tcp:127.0.0.1:0");
	f->check = field_check_required;
	f->hint = "unix:PATH or tcp:HOST:PORT (port 0: a free one)";
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
	int y = r->y, x = r->x, h = r->h, w = r->w, lh, th, k;
	size_t i, first, authd = 0;
	struct srvw_conn *c;
	char line[400];
	struct lines *l;

	(void)u;
	for (i = 0; i < s->nconns; i++)
		authd += s->conns[i].peer[0] != '\0' &&
		    strcmp(s->conns[i].peer, "anonymous") != 0;
	if (s->pid != 0)
		ui_fmt(line, sizeof line, "Server '%s' %s %s  pid %ld  up %llds",
		    s->ent, s->ready ? "listening on" : "starting on",
		    s->ready ? s->addr : s->last_addr, (long)s->pid,
		    (long long)((loop_now_ms() - s->started) / 1000));
	else
		ui_fmt(line, sizeof line, "No server running%s%s  (s starts "
		    "one)", s->end[0] ? ": " : "", s->end);
	attron(A_BOLD);
	ui_put(y, x, w, line);
	attroff(A_BOLD);
	ui_fmt(line, sizeof line, "Connections %zu, authenticated peers %zu%s",
	    s->nconns, authd, s->dropped ? "  (some lines dropped)" : "");
	ui_put(y + 1, x, w, line);
	/* The connections, up to a third of the window. */
	lh = (h - 3) / 3;
	if (lh < 1)
		lh = 1;
	if (s->nconns == 0) {
		attron(A_DIM);
		ui_put(y + 2, x, w, "(no connection yet)");
		attroff(A_DIM);
	}
	first = s->cur >= (size_t)lh ? s->cur - (size_t)lh + 1 : 0;
	for (k = 0, i = first; i < s->nconns && k < lh; i++, k++) {
		c = &s->conns[i];
		ui_fmt(line, sizeof line, "#%-3u %-6s %-10s %s%s%s", c->id,
		    c->open ? "open" : "closed", c->tls[0] ? c->tls :
		    "handshake", c->peer[0] ? c->peer : "-", c->open ||
		    !c->end[0] ? "" : "  ", c->open ? "" : c->end);
		if (i == s->cur)
			attron(A_REVERSE);
		ui_fill(y + 2 + k, x, w);
		ui_put(y + 2 + k, x, w, line);
		if (i == s->cur)
			attroff(A_REVERSE);
	}
	y += 2 + lh;
	h -= 2 + lh;
	attron(A_DIM);
	mvhline(y, x, u->ascii ? '-' : ACS_HLINE, w);
	attroff(A_DIM);
	th = h - 1;
	if (s->cur >= s->nconns || th < 1)
		return;
	c = &s->conns[s->cur];
	ui_fmt(line, sizeof line, " trace of connection #%u ", c->id);
	ui_put(y, x + 1, w - 2, line);
	l = &c->trace;
	s->draw_h = th;
	s->draw_w = w;
	if (!s->scrolled || l->top > lines_last_top(l, th, w))
		l->top = lines_last_top(l, th, w);
	l->cur = l->top;
	lines_draw(l, y + 1, x, th, w, 0);
}

static void
srvw_move(struct ui *u, long d, int page)
{
	struct srvw *s = srvw_get();
	long c;

	(void)u;
	(void)page;
	if (s->nconns == 0)
		return;
	/* A page, Home or End scrolls the selected connection's trace. */
	if (d > 1 || d < -1) {
		struct lines *l = &s->conns[s->cur].trace;
		long last = (long)lines_last_top(l, s->draw_h, s->draw_w);
		long t = (long)l->top;

		if (d > (1L << 29) || d < -(1L << 29))
			t = d < 0 ? 0 : last;
		else
			t += d < 0 ? -(long)(s->draw_h > 1 ? s->draw_h - 1 :
			    1) : (long)(s->draw_h > 1 ? s->draw_h - 1 : 1);
		if (t > last)
			t = last;
		if (t < 0)
			t = 0;
		l->top = (size_t)t;
		s->scrolled = t < last;
		return;
	}
	s->scrolled = 0;
	c = (long)s->cur + d;
	if (c < 0)
		c = 0;
	if (c >= (long)s->nconns)
		c = (long)s->nconns - 1;
	s->cur = (size_t)c;
	s->follow = s->cur + 1 == s->nconns;
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
		if (s->pid == 0)
			ui_log(u, "server: not running (s starts it)");
		else
			srvw_stop(u, s);
		return 1;
	}
	return 0;
}

static void
srvw_select(struct ui *u)
{
	if (srvw_get()->pid == 0)
		srvw_open_form(u);
}

static size_t
srvw_pollfds(struct ui *u, struct pollfd *p, size_t max, int *wait_ms)
{
	struct srvw *s = srvw_cur;
	int64_t left;

	if (s == NULL || s->pid == 0 || max == 0)
		return 0;
	/* the uptime, once a second while shown */
	if (u->scr == &scr_server && !u->form_open) {
		left = 1000 - (loop_now_ms() - s->started) % 1000;
		if (*wait_ms < 0 || left < *wait_ms)
			*wait_ms = (int)left;
		ui_redraw();
	}
	p[0].fd = s->fd;
	p[0].events = POLLIN;
	p[0].revents = 0;
	return 1;
}

static int
srvw_dispatch(struct ui *u, const struct pollfd *p, size_t n)
{
	struct srvw *s = srvw_cur;

	if (s == NULL || s->pid == 0 || n == 0 || p[0].revents == 0)
		return 0;
	return srvw_read(u, s);
}

static const char *
srvw_note(const struct ui *u)
{
	(void)u;
	return srvw_cur != NULL && srvw_cur->pid != 0 ? "server running" :
	    NULL;
}

static void
srvw_lock(struct ui *u)
{
	if (srvw_cur != NULL && srvw_cur->pid != 0)
		srvw_stop(u, srvw_cur);
}

/* In another child (a job, the CA service): the key is not theirs. */
static void
srvw_forget(struct ui *u)
{
	(void)u;
	if (srvw_cur != NULL)
		rsakey_clear(&srvw_cur->key);
}

static void
srvw_clear(struct ui *u)
{
	struct srvw *s = srvw_cur;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int waited = 0;
	size_t i;

	(void)u;
	if (s == NULL)
		return;
	if (s->pid != 0) {
		kill(s->pid, SIGTERM);
		while (waitpid(s->pid, NULL, WNOHANG) == 0) {
			if (waited >= SRVW_STOP_WAIT_MS) {
				kill(s->pid, SIGKILL);
				waitpid(s->pid, NULL, 0);
				break;
			}
			nanosleep(&ts, NULL);
			waited += 20;
		}
		close(s->fd);
	}
	for (i = 0; i < s->nconns; i++)
		lines_clear(&s->conns[i].trace);
	srvw_keys_clear(s);
	rsakey_clear(&s->key);
	ws_free_list(s->names, s->nnames);
	free(s->choices);
	buf_clear(&s->in);
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
