/* rolechild.c — a role run by a window in a child process (see
 * rolechild.h).
 *
 * Why a process: the role's loop (a service answering enrollments, a
 * server's handshakes, a listener asking the CA about each signer) must
 * never wait on the UI's, nor the UI on it; the role's key lives in the
 * child only, gone when it stops; and the child may be made undumpable
 * without changing the UI. It is in a process group of its own (a Ctrl-C
 * or a hang-up of the terminal is the UI's to handle), dies with the UI
 * (PR_SET_PDEATHSIG) and never waits for it: a line the pipe cannot take
 * is dropped and counted. */
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

#include "role/entity.h"
#include "role/server.h"
#include "tui/rolechild.h"
#include "util/xalloc.h"

/* ---- the child ---- */

/* Right after the fork (ui_fork_piped has wiped the UI's secrets but
 * keep's, which are the role's, and closed the other descriptors):
 * returns unless the UI has ended already. */
static void
rolechild_kid_begin(struct rolechild_kid *k, int fd, pid_t parent)
{
	int dn;

	memset(k, 0, sizeof *k);
	k->pipe.fd = fd;
	setpgid(0, 0);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(1);	/* the UI ended before the line above */
	/* Nothing of the child may reach the terminal. */
	if ((dn = open("/dev/null", O_RDWR)) != -1) {
		dup2(dn, 0);
		dup2(dn, 1);
		dup2(dn, 2);
		if (dn > 2)
			close(dn);
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
}

void
rolechild_kid_ready(struct rolechild_kid *k, int tls, const char *addr,
    char kind)
{
	struct err e;

	err_clear(&e);
	if (roles_reg_ready(&k->reg, tls, addr, &e) == -1)
		childpipe_put(&k->pipe, kind,
		    "not in the registry of roles: %s", e.msg);
}

void
rolechild_kid_ready_cb(void *ctx, const char *addr)
{
	struct rolechild_kid *k = ctx;

	childpipe_put(&k->pipe, 'A', "%s", addr);
	rolechild_kid_ready(k, 1, addr, 'V');
}

void
rolechild_kid_trace_cb(void *ctx, unsigned id, const char *line)
{
	struct rolechild_kid *k = ctx;

	childpipe_put(&k->pipe, 'T', "%u %s", id, line);
}

void
rolechild_kid_event_cb(void *ctx, const char *line)
{
	struct rolechild_kid *k = ctx;

	childpipe_put(&k->pipe, 'V', "%s", line);
}

int
rolechild_kid_run(struct rolechild_kid *k, struct loop *l, struct err *e)
{
	/* A bounded wait: a SIGTERM that comes between the check and the
	 * poll is seen within half a second. */
	while (!loop_signalled() && !k->pipe.gone)
		if (loop_once(l, 500, e) == -1)
			return -1;
	return 0;
}

int
rolechild_kid_serve(struct rolechild_kid *k, struct loop *l,
    const char *addr, const struct rolechild_keys *keys, int client_auth,
    int idle_timeout, const struct server_service *service, struct err *e)
{
	struct server_conf sc;
	struct tls_config cfg;
	struct server *srv;
	int r;

	memset(&cfg, 0, sizeof cfg);
	cfg.is_server = 1;
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	cfg.chain = &keys->chain;
	rolechild_cfg_key(&cfg, &keys->key);
	cfg.anchors = keys->anchor.n > 0 ? &keys->anchor : NULL;
	cfg.client_auth = client_auth;
	memset(&sc, 0, sizeof sc);
	if (addr_parse(&sc.addr, addr, e) == -1)
		return -1;
	sc.tls = &cfg;
	sc.handshake_timeout = 10;
	sc.idle_timeout = idle_timeout;
	sc.ready = rolechild_kid_ready_cb;
	sc.ready_ctx = k;
	sc.trace = rolechild_kid_trace_cb;
	sc.event = rolechild_kid_event_cb;
	sc.cb_ctx = k;
	sc.service = service;
	loop_catch_signals();
	if ((srv = server_start(&sc, l, e)) == NULL)
		return -1;
	r = rolechild_kid_run(k, l, e);
	server_stop(srv);
	return r;
}

int
rolechild_kid_end(struct rolechild_kid *k, const struct err *e)
{
	roles_reg_clear(&k->reg);
	if (e->kind == ERR_NONE) {
		childpipe_put(&k->pipe, 'S', "stopped");
		return 0;
	}
	childpipe_put(&k->pipe, 'E', "%d %s", (int)e->kind, e->msg[0] ?
	    e->msg : "failed");
	return 1;
}

/* ---- the parent ---- */

void
rolechild_init(struct rolechild *rc,
    void (*line)(struct ui *, void *, char, char *),
    void (*ended)(struct ui *, void *), void *owner)
{
	memset(rc, 0, sizeof *rc);
	rc->fd = -1;
	buf_init(&rc->in);
	rc->line = line;
	rc->ended = ended;
	rc->owner = owner;
}

int
rolechild_start(struct ui *u, struct rolechild *rc,
    const struct screen *keep, rolechild_run_fn *run, void *arg)
{
	struct rolechild_kid k;
	pid_t pid, me = getpid();
	int fd;

	if ((pid = ui_fork_piped(u, keep, &fd)) == -1)
		return -1;
	if (pid == 0) {
		rolechild_kid_begin(&k, fd, me);
		run(u, arg, &k);
		_exit(1);	/* run ends with _exit */
	}
	/* The same in the parent: the group is the child's either way. */
	setpgid(pid, pid);
	rc->pid = pid;
	rc->fd = fd;
	buf_clear(&rc->in);
	buf_init(&rc->in);
	rc->ready = rc->stopping = rc->end_kind = 0;
	rc->end[0] = '\0';
	rc->dropped = 0;
	rc->started = loop_now_ms();
	return 0;
}

void
rolechild_stop(struct ui *u, struct rolechild *rc, const char *say)
{
	if (rc->pid == 0 || rc->stopping)
		return;
	kill(rc->pid, SIGTERM);
	rc->stopping = 1;
	ui_log(u, "%s", say);
}

static void
rolechild_line(struct ui *u, struct rolechild *rc, char *line)
{
	char *t = line + 2, *sp;
	long kind;

	if (line[0] == '\0' || line[1] != ' ')
		return;
	switch (line[0]) {
	case 'D':
		rc->dropped += strtoul(t, NULL, 10);
		break;
	case 'E':
		kind = strtol(t, &sp, 10);
		if (*sp == ' ')
			sp++;
		rc->end_kind = (int)kind;
		ui_fmt(rc->end, sizeof rc->end, "%s%s", rc->ready ? "" :
		    "cannot start: ", sp);
		break;
	case 'S':
		ui_fmt(rc->end, sizeof rc->end, "stopped");
		break;
	}
	if (rc->line != NULL)
		rc->line(u, rc->owner, line[0], t);
}

/* The pipe's end: the process has ended; how, unless it said so. */
static void
rolechild_reap(struct ui *u, struct rolechild *rc)
{
	int st = 0;

	close(rc->fd);
	rc->fd = -1;
	while (waitpid(rc->pid, &st, 0) == -1 && errno == EINTR)
		;
	if (rc->end[0] == '\0') {
		if (WIFSIGNALED(st))
			ui_fmt(rc->end, sizeof rc->end, "%s by signal %d",
			    rc->stopping ? "stopped" : "ended", WTERMSIG(st));
		else
			ui_fmt(rc->end, sizeof rc->end, "ended (status %d)",
			    WEXITSTATUS(st));
	}
	rc->pid = 0;
	rc->ready = rc->stopping = 0;
	buf_clear(&rc->in);
	buf_init(&rc->in);
	if (rc->ended != NULL)
		rc->ended(u, rc->owner);
}

struct rolechild_pipectx {
	struct ui *u;
	struct rolechild *rc;
};

static void
rolechild_pipe_line(void *ctx, char *text)
{
	struct rolechild_pipectx *pc = ctx;

	rolechild_line(pc->u, pc->rc, text);
}

size_t
rolechild_pollfd(const struct rolechild *rc, struct pollfd *p, size_t max)
{
	if (rc->pid == 0 || max == 0)
		return 0;
	p[0].fd = rc->fd;
	p[0].events = POLLIN;
	p[0].revents = 0;
	return 1;
}

int
rolechild_dispatch(struct ui *u, struct rolechild *rc,
    const struct pollfd *p, size_t n)
{
	struct rolechild_pipectx pc = { u, rc };

	if (rc->pid == 0 || n == 0 || p[0].revents == 0)
		return 0;
	if (childpipe_read(rc->fd, &rc->in, rolechild_pipe_line, &pc) == 0)
		rolechild_reap(u, rc);
	return 1;
}

int
rolechild_end(struct rolechild *rc)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int waited = 0, killed = 0;

	if (rc->pid == 0) {
		buf_clear(&rc->in);
		return 0;
	}
	kill(rc->pid, SIGTERM);
	while (waitpid(rc->pid, NULL, WNOHANG) == 0) {
		if (waited >= ROLECHILD_STOP_WAIT_MS) {
			kill(rc->pid, SIGKILL);
			waitpid(rc->pid, NULL, 0);
			killed = 1;
			break;
		}
		nanosleep(&ts, NULL);
		waited += 20;
	}
	close(rc->fd);
	rc->fd = -1;
	buf_clear(&rc->in);
	rc->pid = 0;
	return killed;
}

void
rolechild_keep(struct lines *l, size_t max, char marker, const char *text)
{
	size_t i, drop;

	if (marker)
		lines_addf(l, "%c%s", marker, text);
	else
		lines_add(l, text);
	if (l->n <= max)
		return;
	drop = l->n - max / 2;
	for (i = 0; i < drop; i++)
		free(l->v[i]);
	memmove(l->v, l->v + drop, (l->n - drop) * sizeof *l->v);
	l->n -= drop;
	l->top = l->top > drop ? l->top - drop : 0;
	l->cur = l->cur > drop ? l->cur - drop : 0;
}

void
rolechild_keys_init(struct rolechild_keys *k)
{
	pkey_init(&k->key);
	cert_list_init(&k->chain);
	cert_list_init(&k->anchor);
}

void
rolechild_keys_clear(struct rolechild_keys *k)
{
	pkey_clear(&k->key);
	cert_list_clear(&k->chain);
	cert_list_clear(&k->anchor);
	rolechild_keys_init(k);
}

void
rolechild_cfg_key(struct tls_config *cfg, const struct pkey *key)
{
	cfg->key = NULL;
	cfg->eckey = NULL;
	if (key == NULL)
		return;
	if (key->type == PKEY_EC)
		cfg->eckey = &key->ec;
	else
		cfg->key = &key->rsa;
}

/* ---- a TLS role's start form ---- */

size_t
rolechild_entity_choices(struct ui *u, char ***names, size_t *nnames,
    const char ***choices)
{
	size_t i;

	ws_free_list(*names, *nnames);
	free(*choices);
	*names = xcalloc(u->nents + 1, sizeof **names);
	*nnames = 0;
	for (i = 0; i < u->nents; i++)
		if (u->sums != NULL && u->sums[i].has_cert &&
		    !u->sums[i].is_ca)
			(*names)[(*nnames)++] = xstrdup(u->ents[i]);
	*choices = xcalloc(*nnames + 1, sizeof **choices);
	for (i = 0; i < *nnames; i++)
		(*choices)[i] = (*names)[i];
	return *nnames;
}

void
rolechild_form_begin(struct ui *u, const char *title, form_submit_fn *submit,
    const char *def, const char **choices, const char *ent_hint,
    const char *pass_hint, const char *last_addr)
{
	struct field *f;

	form_begin(u, title, submit, 0);
	f = form_add(u, "Entity", def);
	f->choices = choices;
	f->hint = ent_hint;
	f = form_add(u, "Passphrase", "");
	f->masked = 1;
	f->hint = pass_hint;
	f = form_add(u, "Address", last_addr[0] ? last_addr :
	    "tcp:127.0.0.1:0");
	f->check = field_check_required;
	f->hint = "unix:PATH or tcp:HOST:PORT (port 0: a free one)";
}

int
rolechild_form_unlock(struct ui *u, struct form *fm, int addr, int pass,
    const char *ent, struct rolechild_keys *keys)
{
	struct addr a;
	struct err e;

	err_clear(&e);
	if (addr_parse(&a, fm->f[addr].val, &e) == -1) {
		ui_fmt(fm->f[addr].err, sizeof fm->f[addr].err, "%s", e.msg);
		fm->cur = addr;
		return -1;
	}
	rolechild_keys_clear(keys);
	if (entity_unlock_chain_any(&u->ws, ent, fm->f[pass].val,
	    strlen(fm->f[pass].val), NULL, &keys->key, &keys->chain, &e) ==
	    -1) {
		ui_fmt(fm->f[pass].err, sizeof fm->f[pass].err, "%s%s", e.msg,
		    e.kind == ERR_PASS ? " (wrong passphrase?)" : "");
		fm->cur = pass;
		rolechild_keys_clear(keys);
		return -1;
	}
	return 0;
}

/* ---- connections and their traces ---- */

void
rolechild_conns_init(struct rolechild_conns *cs)
{
	memset(cs, 0, sizeof *cs);
	cs->follow = 1;
}

void
rolechild_conns_clear(struct rolechild_conns *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		lines_clear(&cs->v[i].trace);
	rolechild_conns_init(cs);
}

void
rolechild_conns_closed(struct rolechild_conns *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		cs->v[i].open = 0;
}

static struct rolechild_conn *
rolechild_conn(struct rolechild_conns *cs, unsigned id, int make)
{
	struct rolechild_conn *c;
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (cs->v[i].id == id)
			return &cs->v[i];
	if (!make)
		return NULL;
	if (cs->n == ROLECHILD_CONNS_MAX) {
		/* the oldest goes */
		lines_clear(&cs->v[0].trace);
		memmove(cs->v, cs->v + 1, (ROLECHILD_CONNS_MAX - 1) *
		    sizeof *cs->v);
		cs->n--;
		if (cs->cur > 0)
			cs->cur--;
	}
	c = &cs->v[cs->n++];
	memset(c, 0, sizeof *c);
	c->id = id;
	c->open = 1;
	if (cs->follow)
		cs->cur = cs->n - 1;
	return c;
}

/* "connection N: ..." from the server's log (role/server.c). */
enum rolechild_event
rolechild_conns_event(struct rolechild_conns *cs, const char *t,
    struct rolechild_conn **cp)
{
	struct rolechild_conn *c;
	const char *p, *cl;
	unsigned id;
	int n = 0;

	*cp = NULL;
	if (sscanf(t, "connection %u: %n", &id, &n) != 1 || n == 0)
		return RC_EV_OTHER;
	p = t + n;
	if ((c = rolechild_conn(cs, id, strcmp(p, "accepted") == 0)) == NULL)
		return RC_EV_UNKNOWN;
	*cp = c;
	if (strstr(p, "handshake done") != NULL) {
		ui_fmt(c->tls, sizeof c->tls, "%.*s", (int)strcspn(p, "("),
		    p);
		if ((cl = strstr(p, "), client ")) != NULL)
			ui_fmt(c->peer, sizeof c->peer, "%s", cl + 10);
		rolechild_keep(&c->trace, ROLECHILD_TRACE_MAX, LINE_OK, p);
		return RC_EV_HANDSHAKE;
	}
	if (strcmp(p, "accepted") == 0) {
		rolechild_keep(&c->trace, ROLECHILD_TRACE_MAX, LINE_HEAD,
		    "accepted");
		return RC_EV_ACCEPTED;
	}
	c->open = 0;
	ui_fmt(c->end, sizeof c->end, "%s", p);
	rolechild_keep(&c->trace, ROLECHILD_TRACE_MAX, strcmp(p, "closed") ==
	    0 ? LINE_HEAD : LINE_FAIL, p);
	return RC_EV_CLOSED;
}

struct rolechild_conn *
rolechild_conns_trace(struct rolechild_conns *cs, const char *t)
{
	struct rolechild_conn *c;
	unsigned long id;
	char *sp;

	id = strtoul(t, &sp, 10);
	if (sp == t || *sp != ' ' || (c = rolechild_conn(cs, (unsigned)id,
	    0)) == NULL)
		return NULL;
	rolechild_keep(&c->trace, ROLECHILD_TRACE_MAX, sp[1] == '>' &&
	    sp[2] == ' ' ? LINE_HEAD : strstr(sp, "FAIL") != NULL ? LINE_FAIL :
	    0, sp + 1);
	return c;
}

void
rolechild_conns_draw(struct ui *u, struct rolechild_conns *cs,
    const struct ui_rect *r)
{
	int y = r->y, x = r->x, h = r->h, w = r->w, lh, th, k;
	struct rolechild_conn *c;
	struct lines *l;
	char line[400];
	size_t i, first;

	/* The connections, up to a third of the window. */
	lh = (h - 1) / 3;
	if (lh < 1)
		lh = 1;
	if (cs->n == 0) {
		attron(A_DIM);
		ui_put(y, x, w, "(no connection yet)");
		attroff(A_DIM);
	}
	first = cs->cur >= (size_t)lh ? cs->cur - (size_t)lh + 1 : 0;
	for (k = 0, i = first; i < cs->n && k < lh; i++, k++) {
		c = &cs->v[i];
		ui_fmt(line, sizeof line, "#%-3u %-6s %-10s %s%s%s", c->id,
		    c->open ? "open" : "closed", c->tls[0] ? c->tls :
		    "handshake", c->peer[0] ? c->peer : "-", c->open ||
		    !c->end[0] ? "" : "  ", c->open ? "" : c->end);
		if (i == cs->cur)
			attron(A_REVERSE);
		ui_fill(y + k, x, w);
		ui_put(y + k, x, w, line);
		if (i == cs->cur)
			attroff(A_REVERSE);
	}
	y += lh;
	h -= lh;
	attron(A_DIM);
	mvhline(y, x, u->ascii ? '-' : ACS_HLINE, w);
	attroff(A_DIM);
	th = h - 1;
	if (cs->cur >= cs->n || th < 1)
		return;
	c = &cs->v[cs->cur];
	ui_fmt(line, sizeof line, " trace of connection #%u ", c->id);
	ui_put(y, x + 1, w - 2, line);
	l = &c->trace;
	cs->draw_h = th;
	cs->draw_w = w;
	if (!cs->scrolled || l->top > lines_last_top(l, th, w))
		l->top = lines_last_top(l, th, w);
	l->cur = l->top;
	lines_draw(l, y + 1, x, th, w, 0);
}

void
rolechild_conns_move(struct rolechild_conns *cs, long d)
{
	long c;

	if (cs->n == 0)
		return;
	/* A page, Home or End scrolls the selected connection's trace. */
	if (d > 1 || d < -1) {
		struct lines *l = &cs->v[cs->cur].trace;
		long last = (long)lines_last_top(l, cs->draw_h, cs->draw_w);
		long t = (long)l->top, page = cs->draw_h > 1 ? cs->draw_h - 1 :
		    1;

		if (d > (1L << 29) || d < -(1L << 29))
			t = d < 0 ? 0 : last;
		else
			t += d < 0 ? -page : page;
		if (t > last)
			t = last;
		if (t < 0)
			t = 0;
		l->top = (size_t)t;
		cs->scrolled = t < last;
		return;
	}
	cs->scrolled = 0;
	c = (long)cs->cur + d;
	if (c < 0)
		c = 0;
	if (c >= (long)cs->n)
		c = (long)cs->n - 1;
	cs->cur = (size_t)c;
	cs->follow = cs->cur + 1 == cs->n;
}
