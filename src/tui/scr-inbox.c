/* scr-inbox.c — the Inbox window: a client's received messages (the
 * inbox store `client listen` writes, store/inbox.h), each with the
 * verdict the listener gave it, its signer and time; Enter shows one
 * (its content and its verification steps, as `msg verify` prints
 * them). l starts a `client listen` for an entity as a role of this UI:
 * a child process (as the Server window's, scr-server.c) whose key never
 * returns to the UI, in the workspace's registry of running roles (kind
 * listener) so that another UI sees it in its Roles window and can send
 * to it. The index is read again every second: what the listener (this
 * UI's or another process's) stores shows up.
 *
 * The pipe's lines (tui/childpipe.h), each a letter, a space and text:
 *   A ADDR        listening (port 0 resolved)
 *   M LINE        a message stored: the line `client listen` prints
 *   V LINE        a connection event or a listener error
 *   T ID > NAME   a handshake message of connection ID, sent (>) or
 *                 received (<): the pane's simple trace, one line a
 *                 connection
 *   E MESSAGE     it cannot start, or goes on no longer
 *   S stopped     a clean stop (SIGTERM) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "net/loop.h"
#include "role/entity.h"
#include "role/msg.h"
#include "role/msgnet.h"
#include "role/server.h"
#include "store/inbox.h"
#include "store/roles.h"
#include "tui/childpipe.h"
#include "tui/ui.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/cms.h"
#include "x509/dn.h"

#define INW_REFRESH_MS 1000
#define INW_STOP_WAIT_MS 3000
#define INW_EVENTS_MAX 200	/* the listener's event lines kept */
#define INW_SHOW_MAX (64 * 1024)	/* content shown by Enter */

enum { LF_ENTITY, LF_PASS, LF_ADDR, LF_TRUST, LF_STATUS, LF__COUNT };

struct inboxw {
	/* the inbox shown */
	char ent[WS_NAME_MAX + 1];
	struct inbox ib;
	char **text;		/* a preview a record, ib.n of them */
	char err[300];		/* the index could not be read */
	off_t size;		/* index.yaml as last read */
	struct timespec mtime;
	size_t cur;
	int draw_h;
	int64_t next_refresh;	/* monotonic ms */
	int detail;		/* Enter: one message shown */
	int sealed;		/* the one shown is sealed */
	struct lines msg;

	/* the listener (a child): pid 0 when none */
	pid_t pid;
	int fd;
	struct buf in;
	int ready, stopping;
	int64_t started;
	char lent[WS_NAME_MAX + 1];	/* its entity */
	char addr[ROLES_ADDR_MAX + 1];	/* as listening */
	char status[ROLES_ADDR_MAX + 1];	/* the CA service asked */
	char end[300];
	unsigned long dropped;
	struct lines events;	/* its connections, one line each */

	/* the form's choices, and the key between the form and the fork */
	char **names;
	size_t nnames;
	const char **choices, **ca_choices;
	char last_addr[UI_FIELD_MAX];
	struct rsakey key;
	struct cert_list chain, anchor;
};

static struct inboxw *inw_cur;

static struct inboxw *
inw_get(void)
{
	struct inboxw *s = inw_cur;

	if (s != NULL)
		return s;
	s = xcalloc(1, sizeof *s);
	s->fd = -1;
	inbox_init(&s->ib);
	buf_init(&s->in);
	rsakey_init(&s->key);
	cert_list_init(&s->chain);
	cert_list_init(&s->anchor);
	inw_cur = s;
	return s;
}

static void
inw_keys_clear(struct inboxw *s)
{
	rsakey_clear(&s->key);
	cert_list_clear(&s->chain);
	cert_list_clear(&s->anchor);
	rsakey_init(&s->key);
	cert_list_init(&s->chain);
	cert_list_init(&s->anchor);
}

pid_t
scr_inbox_pid(void)
{
	return inw_cur != NULL ? inw_cur->pid : 0;
}

/* The CA that issued entity name's certificate: the top of its chain
 * when that is a root, else the workspace's CA whose subject is the
 * leaf's issuer. Into anchor (one certificate); -1 when none. */
static int
inw_anchor(struct ui *u, const char *name, struct cert_list *anchor)
{
	struct cert_list ch, l;
	const struct cert *top;
	size_t i;
	int r = -1;

	cert_list_init(&ch);
	if (entity_load_chain(&u->ws, name, &ch, NULL) == -1 || ch.n == 0)
		goto out;
	top = &ch.v[ch.n - 1];
	if (ch.n > 1 && dn_equal(&top->subject, &top->issuer)) {
		r = cert_list_load(anchor, top->der, top->len, NULL);
		goto out;
	}
	for (i = 0; i < u->ncas && r == -1; i++) {
		cert_list_init(&l);
		if (entity_load_chain(&u->ws, u->cas[i], &l, NULL) == 0 &&
		    l.n > 0 && dn_equal(&l.v[0].subject, &ch.v[0].issuer))
			r = cert_list_load(anchor, l.v[0].der, l.v[0].len,
			    NULL);
		cert_list_clear(&l);
	}
out:
	cert_list_clear(&ch);
	return r;
}

/* ---- the inbox store ---- */

static void
inw_text_free(struct inboxw *s)
{
	size_t i;

	for (i = 0; s->text != NULL && i < s->ib.n; i++)
		free(s->text[i]);
	free(s->text);
	s->text = NULL;
}

/* A stored message's file, read whole (at most INBOX_MSG_MAX). */
static int
inw_file(struct ui *u, const char *ent, const struct inbox_rec *r,
    struct buf *b, struct err *e)
{
	char *dir = inbox_dir(&u->ws, ent), *path;
	int rc;

	path = xasprintf("%s/%s", dir, r->file);
	rc = file_read(path, INBOX_MSG_MAX, b, e);
	free(path);
	free(dir);
	return rc;
}

/* The list's text of one message: its signed content, printable. */
static char *
inw_preview(struct ui *u, const char *ent, const struct inbox_rec *r)
{
	struct buf b, out;
	struct cms c;
	struct err e;
	char *t;

	buf_init(&b);
	buf_init(&out);
	cms_init(&c);
	if (inw_file(u, ent, r, &b, &e) == -1)
		buf_printf(&out, "(%s)", e.msg);
	else if (msg_kind(b.data, b.len) == MSG_KIND_SEALED)
		buf_printf(&out, "(sealed, %zu bytes)", b.len);
	else if (cms_parse(&c, b.data, b.len, &e) == -1 || !c.has_content)
		buf_printf(&out, "(%zu bytes, not a signed message)", b.len);
	else
		msgnet_preview(c.content, c.content_len, 60, &out);
	buf_putc(&out, '\0');
	t = xstrdup((char *)out.data);
	cms_clear(&c);
	buf_clear(&b);
	buf_clear(&out);
	return t;
}

/* Reads the index again when it changed (or force); 1 when the list
 * changed. */
static int
inw_reload(struct ui *u, struct inboxw *s, int force)
{
	struct stat st;
	struct inbox ib;
	struct err e;
	char *dir, *path, **text;
	size_t i, was = s->ib.n;
	int have;

	if (s->ent[0] == '\0')
		return 0;
	dir = inbox_dir(&u->ws, s->ent);
	path = xasprintf("%s/index.yaml", dir);
	free(dir);
	have = stat(path, &st) == 0;
	free(path);
	if (!force && have && st.st_size == s->size &&
	    st.st_mtim.tv_sec == s->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == s->mtime.tv_nsec)
		return 0;
	if (!force && !have && s->size == 0 && s->ib.n == 0)
		return 0;
	s->size = have ? st.st_size : 0;
	if (have)
		s->mtime = st.st_mtim;
	inbox_init(&ib);
	s->err[0] = '\0';
	err_clear(&e);
	if (inbox_read(&u->ws, s->ent, &ib, &e) == -1) {
		ui_fmt(s->err, sizeof s->err, "%s", e.msg);
		ui_error(u, &e);
		inbox_clear(&ib);
		inbox_init(&ib);
	}
	/* The index only grows: the previews of the records read before
	 * are kept (a file is read for each new one only), unless the
	 * inbox was made again (the first ids differ). */
	text = xcalloc(ib.n + 1, sizeof *text);
	for (i = 0; i < ib.n; i++) {
		if (i < s->ib.n && s->text != NULL && s->text[i] != NULL &&
		    s->ib.v[i].id == ib.v[i].id && s->ib.v[i].size ==
		    ib.v[i].size && strcmp(s->ib.v[i].file, ib.v[i].file) ==
		    0) {
			text[i] = s->text[i];
			s->text[i] = NULL;
		} else
			text[i] = inw_preview(u, s->ent, &ib.v[i]);
	}
	inw_text_free(s);
	inbox_clear(&s->ib);
	s->ib = ib;
	s->text = text;
	/* the newest is selected when it arrives */
	if (s->ib.n > was || s->cur >= s->ib.n)
		s->cur = s->ib.n > 0 ? s->ib.n - 1 : 0;
	return 1;
}

/* Enter: one message, its verdict as stored and its steps as `msg verify`
 * prints them (signature and chain again now; the status was the
 * listener's to ask). */
static void
inw_detail(struct ui *u, struct inboxw *s, const char *pass)
{
	const struct inbox_rec *r;
	struct msg_verify_params p;
	struct msg_result res;
	struct cert_list anchor;
	struct buf b, inner;
	struct err e;
	char when[WS_TIME_LEN], *steps = NULL;
	size_t slen = 0;
	FILE *f;

	if (s->cur >= s->ib.n)
		return;
	r = &s->ib.v[s->cur];
	lines_clear(&s->msg);
	buf_init(&b);
	buf_init(&inner);
	cert_list_init(&anchor);
	msg_result_init(&res);
	err_clear(&e);
	ws_time_format(r->time, when);
	lines_addf(&s->msg, "%cMessage %lu in inbox '%s' (inbox/%s/%s, %zu "
	    "bytes)", LINE_HEAD, r->id, s->ent, s->ent, r->file, r->size);
	lines_addf(&s->msg, "Received %s from %s (TLS peer %s)", when,
	    r->from[0] ? r->from : "?", r->peer);
	lines_addf(&s->msg, "%cVerdict when it arrived: %s: %s",
	    strcmp(r->verdict, "good") == 0 ? LINE_OK :
	    strcmp(r->verdict, "unchecked") == 0 ? LINE_WARN : LINE_FAIL,
	    r->verdict, r->why);
	lines_add(&s->msg, "");
	if (inw_file(u, s->ent, r, &b, &e) == -1) {
		lines_addf(&s->msg, "%c%s", LINE_FAIL, e.msg);
		goto out;
	}
	s->sealed = msg_kind(b.data, b.len) == MSG_KIND_SEALED;
	if (s->sealed && pass == NULL) {
		lines_add(&s->msg, "Sealed (CMS EnvelopedData to this "
		    "entity): the listener opened it with its key when it "
		    "arrived; here it stays sealed until u opens it with "
		    "the entity's key (its passphrase asked).");
		lines_addf(&s->msg, "  minipki-tui msg open %s %s/inbox/%s/%s "
		    "opens it", s->ent, u->ws.dir, s->ent, r->file);
		goto out;
	}
	if (s->sealed) {
		if (msg_open(&u->ws, s->ent, pass, strlen(pass), b.data, b.len,
		    &inner, &e) == -1) {
			lines_addf(&s->msg, "%cnot opened: %s", LINE_FAIL,
			    e.msg);
			goto out;
		}
		lines_addf(&s->msg, "%cSealed, opened with '%s''s key: the "
		    "signed message inside, %zu bytes", LINE_OK, s->ent,
		    inner.len);
		buf_clear_secret(&b);
		b = inner;
		buf_init(&inner);
	}
	memset(&p, 0, sizeof p);
	if (inw_anchor(u, s->ent, &anchor) == -1) {
		lines_addf(&s->msg, "%cno CA found for '%s' to verify "
		    "against", LINE_WARN, s->ent);
		goto out;
	}
	p.anchors = &anchor;
	(void)msg_verify(b.data, b.len, &p, &res, &e);
	if (res.content != NULL) {
		/* the content is bytes: a NUL-terminated copy, at most
		 * INW_SHOW_MAX of it (a NUL inside ends it early) */
		size_t n = res.content_len > INW_SHOW_MAX ? INW_SHOW_MAX :
		    res.content_len;
		char *t = xmalloc(n + 1);

		memcpy(t, res.content, n);
		t[n] = '\0';
		lines_addf(&s->msg, "Content (%zu bytes%s):", res.content_len,
		    n < res.content_len ? ", the first shown" : "");
		lines_add_text(&s->msg, t, 0);
		free(t);
	}
	lines_add(&s->msg, "");
	lines_addf(&s->msg, "%cVerified again now, as `msg verify --ca CA.pem "
	    "FILE` prints it (no status asked here):", LINE_HEAD);
	if ((f = open_memstream(&steps, &slen)) != NULL) {
		verify_print(f, &res.steps);
		fclose(f);
		lines_add_text(&s->msg, steps, 0);
		free(steps);
	}
	if (res.verdict == MSG_GOOD)
		lines_addf(&s->msg, "%cGOOD: signed by '%s' (serial %s)",
		    LINE_OK, res.signer, res.serial);
	else
		lines_addf(&s->msg, "%c%s: %s", LINE_FAIL,
		    msg_verdict_name(res.verdict), e.msg);
out:
	s->msg.top = s->msg.cur = 0;
	s->detail = 1;
	ui_set_openssl(u, "minipki-tui msg verify --ca CA.pem %s/inbox/%s/%s"
	    "   (openssl cms -verify -inform DER -CAfile CA.pem -in FILE)",
	    u->ws.dir, s->ent, r->file);
	msg_result_clear(&res);
	cert_list_clear(&anchor);
	buf_clear_secret(&inner);
	buf_clear_secret(&b);
}

/* u in a sealed message: the entity's passphrase, then the message opened
 * and its steps shown (the key is unlocked for that and wiped). */
static int
inw_open_submit(struct ui *u, struct form *fm)
{
	struct inboxw *s = inw_get();
	struct rsakey k;
	struct err e;
	int r;

	err_clear(&e);
	rsakey_init(&k);
	/* the passphrase checked first, to say so in the form */
	r = entity_unlock(&u->ws, s->ent, fm->f[0].val, strlen(fm->f[0].val),
	    NULL, &k, &e);
	rsakey_clear(&k);
	if (r == -1) {
		ui_fmt(fm->f[0].err, sizeof fm->f[0].err, "%s%s", e.msg,
		    e.kind == ERR_PASS ? " (wrong passphrase?)" : "");
		return -1;
	}
	inw_detail(u, s, fm->f[0].val);
	return 0;
}

static void
inw_open_open(struct ui *u, struct inboxw *s)
{
	struct field *f;

	if (!s->detail || !s->sealed) {
		ui_log(u, "inbox: u opens a sealed message shown with Enter");
		return;
	}
	form_begin(u, "Open a sealed message", inw_open_submit, 0);
	f = form_add(u, "Passphrase", "");
	f->masked = 1;
	f->hint = "unlocks the entity's key to open the message (then wiped)";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "minipki-tui msg "
	    "open %s FILE   (openssl cms -decrypt -inform DER -recip %s.pem "
	    "-inkey %s.key)", s->ent, s->ent, s->ent);
}

/* Shows entity name's inbox. */
static void
inw_show(struct ui *u, struct inboxw *s, const char *name)
{
	if (strcmp(s->ent, name) != 0) {
		ui_fmt(s->ent, sizeof s->ent, "%s", name);
		/* another inbox: nothing of this one's is kept */
		inw_text_free(s);
		inbox_clear(&s->ib);
		s->detail = 0;
		s->cur = 0;
		s->size = 0;
	}
	inw_reload(u, s, 1);
}

void
scr_inbox_open(struct ui *u, const char *name)
{
	struct inboxw *s = inw_get();

	if (name != NULL && name[0] != '\0')
		inw_show(u, s, name);
	ui_set_screen(u, &scr_inbox);
}

/* ---- the listener's child ---- */

struct inw_child {
	struct childpipe pipe;
	struct roles_reg reg;
};

/* A FILE whose lines go through the pipe as kind (`client listen`'s
 * output and log, written by msgnet-listen.c). */
struct inw_out {
	struct childpipe *pipe;
	char kind;
	char line[CHILDPIPE_LINE_MAX];
	size_t len;
};

static ssize_t
inw_out_write(void *ctx, const char *b, size_t n)
{
	struct inw_out *o = ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		if (b[i] == '\n') {
			childpipe_put(o->pipe, o->kind, "%.*s", (int)o->len,
			    o->line);
			o->len = 0;
		} else if (o->len < sizeof o->line)
			o->line[o->len++] = b[i];
	}
	return (ssize_t)n;
}

static FILE *
inw_out_open(struct inw_out *o, struct childpipe *p, char kind)
{
	cookie_io_functions_t io = { .write = inw_out_write };
	FILE *f;

	memset(o, 0, sizeof *o);
	o->pipe = p;
	o->kind = kind;
	if ((f = fopencookie(o, "w", io)) != NULL)
		setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

static void
inw_child_ready(void *ctx, const char *addr)
{
	struct inw_child *c = ctx;
	struct err e;

	childpipe_put(&c->pipe, 'A', "%s", addr);
	if (roles_reg_ready(&c->reg, 1, addr, &e) == -1)
		childpipe_put(&c->pipe, 'V', "not in the registry of roles: %s",
		    e.msg);
}

/* Of the engine's trace, the message lines only ("> ServerHello (90
 * bytes)"): their names make the pane's one line per connection. */
static void
inw_child_trace(void *ctx, unsigned id, const char *line)
{
	struct inw_child *c = ctx;

	if ((line[0] == '>' || line[0] == '<') && line[1] == ' ')
		childpipe_put(&c->pipe, 'T', "%u %c %.*s", id, line[0],
		    (int)strcspn(line + 2, " "), line + 2);
}

static void
inw_child_event(void *ctx, const char *line)
{
	struct inw_child *c = ctx;

	childpipe_put(&c->pipe, 'V', "%s", line);
}

static void
inw_child(struct ui *u, struct inboxw *s, int fd, pid_t parent)
{
	struct inw_child c;
	struct inw_out oo, lo;
	struct server_conf sc;
	struct tls_config cfg;
	struct server *srv = NULL;
	struct peerstatus ps;
	struct inbox_writer iw;
	struct msgnet_listen ml;
	struct loop l;
	struct err e;
	FILE *out = NULL, *log = NULL;
	size_t i;
	int dn, rc = 1, psinit = 0;

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
	/* The UI's other secrets, copied by the fork, are not the
	 * listener's; its own key (s->key) is. */
	pkey_clear(&u->ca.key);
	for (i = 0; i < screens_n; i++)
		if (screens[i]->forget != NULL && screens[i] != &scr_inbox)
			screens[i]->forget(u);
	err_clear(&e);
	loop_init(&l);
	memset(&iw, 0, sizeof iw);
	iw.fd = iw.lockfd = -1;
	memset(&ps, 0, sizeof ps);
	crl_init(&ps.crl);
	roles_reg_init(&c.reg, &u->ws, ROLES_LISTENER, s->lent, 1);
	out = inw_out_open(&oo, &c.pipe, 'M');
	log = inw_out_open(&lo, &c.pipe, 'V');
	if (out == NULL || log == NULL) {
		err_set(&e, ERR_IO, "fopencookie: %s", strerror(errno));
		goto fail;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.is_server = 1;
	cfg.min_version = TLS_VERSION_12;
	cfg.max_version = TLS_VERSION_13;
	cfg.chain = &s->chain;
	cfg.key = &s->key;
	cfg.anchors = &s->anchor;
	cfg.client_auth = TLS_AUTH_REQUIRE;
	memset(&sc, 0, sizeof sc);
	if (addr_parse(&sc.addr, s->last_addr, &e) == -1)
		goto fail;
	if (s->status[0] != '\0') {
		if (peerstatus_init(&ps, s->status, PEERSTATUS_OCSP, &s->anchor,
		    10, 0, &e) == -1)
			goto fail;
		psinit = 1;
	}
	if (inbox_open(&iw, &u->ws, s->lent, &e) == -1)
		goto fail;
	memset(&ml, 0, sizeof ml);
	msgnet_listen_init(&ml);
	ml.anchors = &s->anchor;
	ml.ps = psinit ? &ps : NULL;
	ml.inbox = &iw;
	ml.key = &s->key;
	ml.cert = &s->chain.v[0];
	ml.out = out;
	ml.log = log;
	sc.tls = &cfg;
	sc.handshake_timeout = 10;
	sc.idle_timeout = 300;
	sc.ready = inw_child_ready;
	sc.ready_ctx = &c;
	sc.event = inw_child_event;
	sc.trace = inw_child_trace;
	sc.cb_ctx = &c;
	sc.service = &ml.service;
	loop_catch_signals();
	if ((srv = server_start(&sc, &l, &e)) == NULL)
		goto fail;
	while (!loop_signalled() && !c.pipe.gone)
		if (loop_once(&l, 500, &e) == -1)
			break;
	server_stop(srv);
	if (e.kind != ERR_NONE)
		goto fail;
	childpipe_put(&c.pipe, 'S', "stopped");
	rc = 0;
	goto out;
fail:
	childpipe_put(&c.pipe, 'E', "%s", e.msg[0] ? e.msg : "failed");
out:
	roles_reg_clear(&c.reg);
	inbox_close(&iw);
	peerstatus_clear(&ps);
	if (out != NULL)
		fclose(out);
	if (log != NULL)
		fclose(log);
	loop_clear(&l);
	inw_keys_clear(s);
	_exit(rc);
}

/* ---- the listener, the UI's side ---- */

static void
inw_event(struct inboxw *s, char marker, const char *t)
{
	size_t i, drop;

	if (marker)
		lines_addf(&s->events, "%c%s", marker, t);
	else
		lines_add(&s->events, t);
	if (s->events.n > INW_EVENTS_MAX) {
		drop = s->events.n - INW_EVENTS_MAX / 2;
		for (i = 0; i < drop; i++)
			free(s->events.v[i]);
		memmove(s->events.v, s->events.v + drop, (s->events.n - drop)
		    * sizeof *s->events.v);
		s->events.n -= drop;
	}
}

/* A handshake message of connection id: added to that connection's
 * line ("#3 handshake: < ClientHello > ServerHello ..."), among the last
 * few; a new line when there is none. */
static void
inw_trace(struct inboxw *s, const char *t)
{
	char head[32], *l, *n;
	unsigned long id;
	char *sp;
	size_t i, k, hl;

	id = strtoul(t, &sp, 10);
	if (*sp != ' ' || sp == t)
		return;
	hl = (size_t)snprintf(head, sizeof head, "#%lu handshake:", id);
	for (k = 0, i = s->events.n; i > 0 && k < 8; i--, k++) {
		l = s->events.v[i - 1];
		if (strncmp(l, head, hl) == 0) {
			if (strlen(l) > 400)
				return;
			n = xasprintf("%s%s", l, sp);
			free(l);
			s->events.v[i - 1] = n;
			return;
		}
	}
	n = xasprintf("%s%s", head, sp);
	inw_event(s, 0, n);
	free(n);
}

static void
inw_line(struct ui *u, struct inboxw *s, char *line)
{
	char *t = line + 2;

	if (line[0] == '\0' || line[1] != ' ')
		return;
	switch (line[0]) {
	case 'A':
		ui_fmt(s->addr, sizeof s->addr, "%s", t);
		s->ready = 1;
		ui_log(u, "inbox: '%s' listening on %s", s->lent, s->addr);
		break;
	case 'M':
		ui_log(u, "inbox: %s", t);
		inw_event(s, strstr(t, "): good:") != NULL ? LINE_OK :
		    LINE_WARN, t);
		if (strcmp(s->ent, s->lent) == 0)
			inw_reload(u, s, 1);
		break;
	case 'V':
		/* "accepted" is said by the handshake's line that follows */
		if (strncmp(t, "connection ", 11) == 0 && strlen(t) > 10 &&
		    strcmp(t + strlen(t) - 10, ": accepted") == 0)
			break;
		inw_event(s, strstr(t, "refused") != NULL || strstr(t,
		    "failed") != NULL ? LINE_FAIL : 0, t);
		break;
	case 'T':
		inw_trace(s, t);
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
inw_reap(struct ui *u, struct inboxw *s)
{
	int st = 0;

	close(s->fd);
	s->fd = -1;
	while (waitpid(s->pid, &st, 0) == -1 && errno == EINTR)
		;
	if (s->end[0] == '\0')
		ui_fmt(s->end, sizeof s->end, WIFSIGNALED(st) ? "ended by "
		    "signal %d" : "ended (status %d)", WIFSIGNALED(st) ?
		    WTERMSIG(st) : WEXITSTATUS(st));
	s->pid = 0;
	s->ready = s->stopping = 0;
	buf_clear(&s->in);
	ui_log(u, "inbox: listener '%s' %s", s->lent, s->end);
}

struct inw_pipectx {
	struct ui *u;
	struct inboxw *s;
};

static void
inw_pipe_line(void *ctx, char *text)
{
	struct inw_pipectx *pc = ctx;

	inw_line(pc->u, pc->s, text);
}

static int
inw_start(struct ui *u, struct inboxw *s)
{
	int p[2];
	pid_t pid, me = getpid();

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
		inw_child(u, s, p[1], me);
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
	lines_clear(&s->events);
	s->started = loop_now_ms();
	return 0;
}

static void
inw_stop(struct ui *u, struct inboxw *s)
{
	if (s->pid == 0 || s->stopping)
		return;
	kill(s->pid, SIGTERM);
	s->stopping = 1;
	ui_log(u, "inbox: stopping the listener");
}

/* ---- the form ---- */

/* The first CA service in the registry, for the listener's status. */
static void
inw_status_default(struct ui *u, char *out, size_t n)
{
	struct roles_entry *v = NULL;
	size_t nv = 0, i, j;

	out[0] = '\0';
	if (roles_list(&u->ws, &v, &nv, NULL, NULL, 0, NULL) == -1)
		return;
	for (i = 0; i < nv && out[0] == '\0'; i++)
		for (j = 0; v[i].kind == ROLES_CA_SERVICE && j < v[i].naddrs &&
		    out[0] == '\0'; j++)
			if (v[i].addrs[j].tls)
				ui_fmt(out, n, "%s", v[i].addrs[j].addr);
	free(v);
}

static int
inw_submit(struct ui *u, struct form *fm)
{
	struct inboxw *s = inw_get();
	const char *ent = fm->f[LF_ENTITY].val;
	struct addr a;
	struct err e;

	err_clear(&e);
	if (addr_parse(&a, fm->f[LF_ADDR].val, &e) == -1) {
		ui_fmt(fm->f[LF_ADDR].err, sizeof fm->f[LF_ADDR].err, "%s",
		    e.msg);
		fm->cur = LF_ADDR;
		return -1;
	}
	inw_keys_clear(s);
	if (entity_unlock_chain(&u->ws, ent, fm->f[LF_PASS].val,
	    strlen(fm->f[LF_PASS].val), NULL, &s->key, &s->chain, &e) == -1) {
		ui_fmt(fm->f[LF_PASS].err, sizeof fm->f[LF_PASS].err, "%s%s",
		    e.msg, e.kind == ERR_PASS ? " (wrong passphrase?)" : "");
		fm->cur = LF_PASS;
		inw_keys_clear(s);
		return -1;
	}
	if (entity_load_chain(&u->ws, fm->f[LF_TRUST].val, &s->anchor, &e) ==
	    -1 || s->anchor.n == 0) {
		ui_fmt(fm->f[LF_TRUST].err, sizeof fm->f[LF_TRUST].err, "%s",
		    e.kind != ERR_NONE ? e.msg : "no certificate");
		fm->cur = LF_TRUST;
		inw_keys_clear(s);
		return -1;
	}
	/* The CA's own certificate, the first of its keystore. */
	while (s->anchor.n > 1)
		cert_clear(&s->anchor.v[--s->anchor.n]);
	ui_fmt(s->lent, sizeof s->lent, "%s", ent);
	ui_fmt(s->last_addr, sizeof s->last_addr, "%s", fm->f[LF_ADDR].val);
	ui_fmt(s->status, sizeof s->status, "%s", fm->f[LF_STATUS].val);
	form_wipe(u);	/* the passphrase; the values are copied above */
	if (inw_start(u, s) == 0) {
		ui_log(u, "inbox: starting a listener for '%s' on %s", s->lent,
		    s->last_addr);
		ui_set_openssl(u, "minipki-tui client listen %s --listen %s "
		    "--ca CA.pem%s%s", s->lent, s->last_addr, s->status[0] ?
		    " --status " : "", s->status);
		inw_show(u, s, s->lent);
	}
	inw_keys_clear(s);	/* the child has its copy */
	return 0;
}

static void
inw_open_form(struct ui *u)
{
	struct inboxw *s = inw_get();
	struct field *f;
	const char *def = NULL;
	char st[ROLES_ADDR_MAX + 1];
	size_t i;

	if (s->pid != 0) {
		ui_log(u, "inbox: a listener for '%s' runs already (x stops "
		    "it)", s->lent);
		return;
	}
	ws_free_list(s->names, s->nnames);
	free(s->choices);
	free(s->ca_choices);
	s->names = xcalloc(u->nents + 1, sizeof *s->names);
	s->nnames = 0;
	for (i = 0; i < u->nents; i++)
		if (u->sums != NULL && u->sums[i].has_cert &&
		    !u->sums[i].is_ca)
			s->names[s->nnames++] = xstrdup(u->ents[i]);
	s->choices = xcalloc(s->nnames + 1, sizeof *s->choices);
	s->ca_choices = xcalloc(u->ncas + 1, sizeof *s->ca_choices);
	for (i = 0; i < u->ncas; i++)
		s->ca_choices[i] = u->cas[i];
	if (s->nnames == 0 || u->ncas == 0) {
		ui_log(u, "inbox: no entity with a certificate from a CA here "
		    "yet (the demo lab, d on the Entities screen, makes some)");
		return;
	}
	for (i = 0; i < s->nnames; i++) {
		s->choices[i] = s->names[i];
		if (strcmp(s->names[i], s->ent) == 0)
			def = s->names[i];
	}
	inw_status_default(u, st, sizeof st);
	form_begin(u, "Start a message listener", inw_submit, 0);
	f = form_add(u, "Entity", def != NULL ? def : s->names[0]);
	f->choices = s->choices;
	f->hint = "Space: whose inbox; its key opens sealed messages";
	f = form_add(u, "Passphrase", "");
	f->masked = 1;
	f->hint = "unlocks the entity's key (kept in the listener's process)";
	f = form_add(u, "Address", s->last_addr[0] ? s->last_addr :
	    "tcp:127.0.0.1:0");
	f->check = field_check_required;
	f->hint = "unix:PATH or tcp:HOST:PORT (port 0: a free one)";
	f = form_add(u, "Trusts CA", u->cas[0]);
	f->choices = s->ca_choices;
	f->hint = "senders and signers must chain to this CA";
	f = form_add(u, "Status from", st);
	f->hint = "a CA service asked about each signer (empty: verdict "
	    "unchecked)";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "minipki-tui client "
	    "listen bob --listen tcp:127.0.0.1:0 --ca ca.pem --status "
	    "unix:SOCKET");
}

/* ---- the screen ---- */

/* The entity shown first: the listener's, the Entities screen's
 * selection when it has a certificate, else the first client. */
static void
inw_enter(struct ui *u)
{
	struct inboxw *s = inw_get();
	const char *sel = scr_entities_selected(u);
	size_t i;

	if (s->ent[0] == '\0' && s->pid != 0)
		inw_show(u, s, s->lent);
	for (i = 0; s->ent[0] == '\0' && i < u->nents; i++)
		if (u->sums != NULL && u->sums[i].has_cert &&
		    !u->sums[i].is_ca && sel != NULL && strcmp(sel,
		    u->ents[i]) == 0)
			inw_show(u, s, sel);
	for (i = 0; s->ent[0] == '\0' && i < u->nents; i++)
		if (u->sums != NULL && u->sums[i].has_cert &&
		    !u->sums[i].is_ca)
			inw_show(u, s, u->ents[i]);
	inw_reload(u, s, 1);
	s->next_refresh = loop_now_ms() + INW_REFRESH_MS;
	ui_set_openssl(u, "minipki-tui client inbox %s", s->ent[0] ? s->ent :
	    "NAME");
}

/* e: the next entity's inbox. */
static void
inw_next_entity(struct ui *u, struct inboxw *s)
{
	size_t i, k, at = 0;

	for (i = 0; i < u->nents; i++)
		if (strcmp(u->ents[i], s->ent) == 0)
			at = i + 1;
	for (k = 0; k < u->nents; k++) {
		i = (at + k) % u->nents;
		if (u->sums != NULL && u->sums[i].has_cert &&
		    !u->sums[i].is_ca) {
			inw_show(u, s, u->ents[i]);
			ui_set_openssl(u, "minipki-tui client inbox %s",
			    s->ent);
			return;
		}
	}
	ui_log(u, "inbox: no entity with a certificate");
}

static void
inw_draw(struct ui *u, const struct ui_rect *r)
{
	struct inboxw *s = inw_get();
	int y = r->y, x = r->x, h = r->h, w = r->w, lh, k, eh;
	size_t i, first, nbad = 0;
	char line[600], when[WS_TIME_LEN];
	const struct inbox_rec *m;

	for (i = 0; i < s->ib.n; i++)
		nbad += strcmp(s->ib.v[i].verdict, "good") != 0;
	if (s->pid != 0)
		ui_fmt(line, sizeof line, "Listener '%s' %s %s  pid %ld%s%s",
		    s->lent, s->ready ? "on" : "starting on", s->ready ?
		    s->addr : s->last_addr, (long)s->pid, s->status[0] ?
		    "  status " : "  no status", s->status);
	else
		ui_fmt(line, sizeof line, "No listener here%s%s  (l starts "
		    "one)", s->end[0] ? ": " : "", s->end);
	attron(A_BOLD);
	ui_put(y, x, w, line);
	attroff(A_BOLD);
	ui_fmt(line, sizeof line, "Inbox '%s': %zu message%s, %zu not good%s",
	    s->ent[0] ? s->ent : "-", s->ib.n, s->ib.n == 1 ? "" : "s", nbad,
	    s->ib.torn ? "  (a torn last record skipped)" : "");
	ui_put(y + 1, x, w, line);
	y += 2;
	h -= 2;
	if (s->detail) {
		s->draw_h = h;
		lines_draw(&s->msg, y, x, h, w, 0);
		return;
	}
	/* The listener's last events below the list, when it runs. */
	eh = s->pid != 0 || s->events.n > 0 ? (h >= 12 ? 4 : 2) : 0;
	lh = h - (eh > 0 ? eh + 1 : 0);
	if (lh < 1)
		lh = 1;
	s->draw_h = lh;
	if (s->err[0]) {
		attron(A_BOLD);
		ui_put(y, x, w, s->err);
		attroff(A_BOLD);
	} else if (s->ib.n == 0) {
		attron(A_DIM);
		ui_put(y, x, w, "(no message yet: l starts a listener; another "
		    "UI sends with s in Roles)");
		attroff(A_DIM);
	}
	first = s->cur >= (size_t)lh ? s->cur - (size_t)lh + 1 : 0;
	for (k = 0, i = first; i < s->ib.n && k < lh; i++, k++) {
		m = &s->ib.v[i];
		ws_time_format(m->time, when);
		ui_fmt(line, sizeof line, "%-3lu %.8s %-9s %-14.14s %s", m->id,
		    when + 11, m->verdict, m->from[0] ? m->from : "?",
		    s->text != NULL ? s->text[i] : "");
		if (i == s->cur)
			attron(A_REVERSE);
		else
			ui_attr(strcmp(m->verdict, "good") == 0 ? C_OK :
			    strcmp(m->verdict, "unchecked") == 0 ? C_WARN :
			    C_FAIL, 0, 1);
		ui_fill(y + k, x, w);
		ui_put(y + k, x, w, line);
		if (i == s->cur)
			attroff(A_REVERSE);
		else
			ui_attr(strcmp(m->verdict, "good") == 0 ? C_OK :
			    strcmp(m->verdict, "unchecked") == 0 ? C_WARN :
			    C_FAIL, 0, 0);
	}
	if (eh == 0)
		return;
	y += lh;
	attron(A_DIM);
	mvhline(y, x, u->ascii ? '-' : ACS_HLINE, w);
	attroff(A_DIM);
	ui_put(y, x + 1, w - 2, " listener: connections and messages ");
	/* The last eh lines, one row each (cut, not wrapped): a connection's
	 * handshake line stays in view beside its messages. */
	first = s->events.n > (size_t)eh ? s->events.n - (size_t)eh : 0;
	for (k = 0, i = first; i < s->events.n; i++, k++) {
		const char *l = s->events.v[i];
		int pair = l[0] == LINE_OK ? C_OK : l[0] == LINE_FAIL ? C_FAIL :
		    l[0] == LINE_WARN ? C_WARN : l[0] == LINE_HEAD ? C_HEAD : 0;

		if (pair != 0) {
			l++;
			ui_attr(pair, 0, 1);
		}
		ui_put(y + 1 + k, x, w, l);
		if (pair != 0)
			ui_attr(pair, 0, 0);
	}
}

static void
inw_move(struct ui *u, long d, int page)
{
	struct inboxw *s = inw_get();
	long c;

	(void)u;
	if (s->detail) {
		lines_scroll(&s->msg, d, page);
		return;
	}
	if (s->ib.n == 0)
		return;
	if (d > (1L << 29) || d < -(1L << 29))
		c = d < 0 ? 0 : (long)s->ib.n - 1;
	else
		c = (long)s->cur + d;	/* a page is d rows already */
	if (c < 0)
		c = 0;
	if (c >= (long)s->ib.n)
		c = (long)s->ib.n - 1;
	s->cur = (size_t)c;
}

static void
inw_select(struct ui *u)
{
	struct inboxw *s = inw_get();

	if (!s->detail && s->ib.n > 0)
		inw_detail(u, s, NULL);
}

static int
inw_back(struct ui *u)
{
	struct inboxw *s = inw_get();

	(void)u;
	if (!s->detail)
		return 0;
	s->detail = 0;
	return 1;
}

static int
inw_key(struct ui *u, int ch)
{
	struct inboxw *s = inw_get();

	switch (ch) {
	case 'l':
		inw_open_form(u);
		return 1;
	case 'x':
		if (s->pid == 0)
			ui_log(u, "inbox: no listener running (l starts one)");
		else
			inw_stop(u, s);
		return 1;
	case 'e':
		inw_next_entity(u, s);
		return 1;
	case 'u':
		inw_open_open(u, s);
		return 1;
	}
	return 0;
}

static const char *
inw_hints(const struct ui *u)
{
	(void)u;
	if (inw_cur != NULL && inw_cur->detail)
		return inw_cur->sealed ? "u open it  Up/Down scroll  Esc back "
		    "to the list  ? help" : "Up/Down scroll  Esc back to the "
		    "list  ? help";
	return "Enter show  l listen  x stop  e next entity  ? help";
}

/* The listener's pipe; and, while shown, the index read again every
 * INW_REFRESH_MS (another process's listener writes it too). */
static size_t
inw_pollfds(struct ui *u, struct pollfd *p, size_t max, int *wait_ms)
{
	struct inboxw *s = inw_cur;
	int64_t now = loop_now_ms(), left;

	if (s == NULL)
		return 0;
	if (u->scr == &scr_inbox && !u->form_open) {
		if (now >= s->next_refresh) {
			s->next_refresh = now + INW_REFRESH_MS;
			if (inw_reload(u, s, 0)) {
				ui_redraw();
				*wait_ms = 0;
			}
		}
		left = s->next_refresh - now;
		if (*wait_ms < 0 || left < *wait_ms)
			*wait_ms = (int)(left > 0 ? left : 0);
	}
	if (s->pid == 0 || max == 0)
		return 0;
	p[0].fd = s->fd;
	p[0].events = POLLIN;
	p[0].revents = 0;
	return 1;
}

static int
inw_dispatch(struct ui *u, const struct pollfd *p, size_t n)
{
	struct inboxw *s = inw_cur;
	struct inw_pipectx pc = { u, s };

	if (s == NULL || s->pid == 0 || n == 0 || p[0].revents == 0)
		return 0;
	if (childpipe_read(s->fd, &s->in, inw_pipe_line, &pc) == 0)
		inw_reap(u, s);
	return 1;
}

/* C-l and the other reloads of the workspace's lists: the index too. */
static void
inw_lists(struct ui *u)
{
	if (inw_cur != NULL)
		inw_reload(u, inw_cur, 1);
}

static const char *
inw_note(const struct ui *u)
{
	(void)u;
	return inw_cur != NULL && inw_cur->pid != 0 ? "listener running" :
	    NULL;
}

static void
inw_lock(struct ui *u)
{
	if (inw_cur != NULL && inw_cur->pid != 0)
		inw_stop(u, inw_cur);
}

static void
inw_forget(struct ui *u)
{
	(void)u;
	if (inw_cur != NULL)
		rsakey_clear(&inw_cur->key);
}

static void
inw_clear(struct ui *u)
{
	struct inboxw *s = inw_cur;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int waited = 0;

	(void)u;
	if (s == NULL)
		return;
	if (s->pid != 0) {
		kill(s->pid, SIGTERM);
		while (waitpid(s->pid, NULL, WNOHANG) == 0) {
			if (waited >= INW_STOP_WAIT_MS) {
				kill(s->pid, SIGKILL);
				waitpid(s->pid, NULL, 0);
				break;
			}
			nanosleep(&ts, NULL);
			waited += 20;
		}
		close(s->fd);
	}
	inw_text_free(s);
	inbox_clear(&s->ib);
	lines_clear(&s->msg);
	lines_clear(&s->events);
	inw_keys_clear(s);
	rsakey_clear(&s->key);
	ws_free_list(s->names, s->nnames);
	free(s->choices);
	free(s->ca_choices);
	buf_clear(&s->in);
	free(s);
	inw_cur = NULL;
}

static const struct binding inw_keys[] = {
	{ 'l', 0, 0, NULL, "l", "start a message listener for an entity (form: entity, passphrase, address, CA, status): client listen as a role of this UI, in the registry" },
	{ 'x', 0, 0, NULL, "x", "stop the listener (it leaves the registry of roles)" },
	{ 'e', 0, 0, NULL, "e", "show the next entity's inbox" },
	{ 'u', 0, 0, NULL, "u", "(a sealed message shown) open it with the entity's key: passphrase asked, the key wiped after" },
	{ '\r', 0, 0, NULL, "Enter", "show the selected message: content, verdict, verification steps (Esc: back)" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_inbox = {
	.name = "Inbox",
	.title = "Inbox: a client's messages and their verdicts",
	.keys = inw_keys,
	.shortcut = '8',
	.enter = inw_enter,
	.draw = inw_draw,
	.key = inw_key,
	.move = inw_move,
	.select = inw_select,
	.back = inw_back,
	.dyn_hints = inw_hints,
	.note = inw_note,
	.lists = inw_lists,
	.lock = inw_lock,
	.forget = inw_forget,
	.pollfds = inw_pollfds,
	.dispatch = inw_dispatch,
	.clear = inw_clear,
};
