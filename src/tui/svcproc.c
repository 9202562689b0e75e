/* svcproc.c — the CA service of the window runs in a child process: the
 * same caserve_open, caserve_handle and httpsrv loop as `ca serve`, its
 * lines sent to the UI through a pipe that the UI's loop polls.
 *
 * Why a process and not the UI's own loop (as the Connect window does):
 * the service answers each enrollment synchronously and may wait up to
 * CASERVE_LOCK_WAIT ms for the CA's database lock, and it starts by
 * making an RSA key for its TLS certificate, either of which would
 * freeze the screen; caserve_open also makes its process non-dumpable
 * and mlocks the CA key, which is right for a service and should not
 * change the UI's own process; and the decrypted CA key then lives in
 * the service's memory only, gone when it stops, whatever the UI does
 * meanwhile. The child is in a process group of its own (a Ctrl-C or a
 * hang-up of the terminal is the UI's to handle), dies with the UI
 * (PR_SET_PDEATHSIG) and never waits for it: a line the pipe cannot take
 * is dropped and counted.
 *
 * The pipe's lines, each a letter, a space and text:
 *   A tls|http ADDR   a listener listens (port 0 resolved)
 *   F SHA256:HEX      the CA certificate's fingerprint
 *   L LINE            one request (as `ca serve` logs it), or an event
 *   D N               N lines were dropped, the pipe being full
 *   E KIND MESSAGE    it cannot start or goes on no longer (err_kind)
 *   S stopped         a clean stop (SIGTERM)
 * The parent reads them whole; a line is cut at CHILDPIPE_LINE_MAX. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net/httpsrv.h"
#include "net/loop.h"
#include "store/roles.h"
#include "tui/childpipe.h"
#include "tui/svc.h"
#include "util/xalloc.h"

/* ---- the child ---- */

struct svc_child {
	struct childpipe pipe;
	struct caserve cs;
	struct httpsrv_listen lsn[SVC_LISTEN_MAX];
	struct roles_reg reg;	/* the workspace's registry of roles */
};

static void
svc_child_ready(void *ctx, size_t listener, const char *addr)
{
	struct svc_child *c = ctx;

	struct err e;

	childpipe_put(&c->pipe, 'A', "%s %s",
	    c->lsn[listener].tls != NULL ? "tls" : "http",
	    addr);
	if (roles_reg_ready(&c->reg, c->lsn[listener].tls != NULL, addr, &e)
	    == -1)
		childpipe_put(&c->pipe, 'L', "not in the registry of roles: %s", e.msg);
}

/* As `ca serve` logs it: the request's line and what was done. */
static void
svc_child_log(void *ctx, const struct httpsrv_log *rec, const char *line)
{
	struct svc_child *c = ctx;

	if (rec != NULL && c->cs.note[0] != '\0')
		childpipe_put(&c->pipe, 'L', "%s: %s", line, c->cs.note);
	else
		childpipe_put(&c->pipe, 'L', "%s", line);
	if (rec != NULL)
		c->cs.note[0] = '\0';
}

/* httpsrv gives the handler and the hooks one context: the child's,
 * which holds the service. */
static enum httpsrv_verdict
svc_child_handle(void *ctx, const struct http_request *req,
    const struct httpsrv_peer *peer, struct httpresp *out)
{
	struct svc_child *c = ctx;

	return caserve_handle(&c->cs, req, peer, out);
}

/* In the child: never returns. pass is the child's copy of the form's
 * passphrase, wiped once used. */
static void
svc_child(struct ui *u, struct svc *s, char *pass, int fd, pid_t parent)
{
	struct svc_child c;
	struct httpsrv_conf conf;
	struct httpsrv *srv;
	struct loop l;
	struct err e;
	size_t i;
	int rc = 1, dn;

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
		_exit(1);	/* the UI ended before the line above */
	job_close_fds(fd);
	/* Nothing of the child may reach the terminal. */
	if ((dn = open("/dev/null", O_RDWR)) != -1) {
		dup2(dn, 0);
		dup2(dn, 1);
		dup2(dn, 2);
		if (dn > 2)
			close(dn);
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	/* The UI's secrets, copied by the fork, are not the service's. */
	pkey_clear(&u->ca.key);
	for (i = 0; i < screens_n; i++)
		if (screens[i]->forget != NULL)
			screens[i]->forget(u);

	err_clear(&e);
	caserve_init(&c.cs);
	loop_init(&l);
	for (i = 0; i < s->nwant; i++)
		if (addr_parse(&c.lsn[i].addr, s->want[i].addr, &e) == -1)
			goto fail;
		else
			c.lsn[i].tls = s->want[i].tls ? &c.cs.tls : NULL;
	if (caserve_open(&c.cs, &u->ws, s->ca, pass, strlen(pass), NULL, 0,
	    (int64_t)time(NULL), &e) == -1) {
		explicit_bzero(pass, strlen(pass));
		form_wipe(u);
		goto fail;
	}
	explicit_bzero(pass, strlen(pass));
	form_wipe(u);
	childpipe_put(&c.pipe, 'F', "%s", c.cs.fpr);
	memset(&conf, 0, sizeof conf);
	conf.listen = c.lsn;
	conf.nlisten = s->nwant;
	conf.handler = svc_child_handle;
	conf.ctx = &c;
	conf.ready = svc_child_ready;
	conf.log = svc_child_log;
	loop_catch_signals();
	roles_reg_init(&c.reg, &u->ws, ROLES_CA_SERVICE, s->ca, s->nwant);
	if ((srv = httpsrv_start(&conf, &l, &e)) == NULL)
		goto fail;
	/* Batches and the CA-lock wait on the loop, as `ca serve` does. */
	if (caserve_attach(&c.cs, &l, srv, &e) == -1) {
		httpsrv_stop(srv);
		goto fail;
	}
	/* A bounded wait: a SIGTERM that comes between the check and the
	 * poll is seen within half a second. */
	while (!loop_signalled() && !c.pipe.gone)
		if (loop_once(&l, 500, &e) == -1)
			break;
	caserve_detach(&c.cs);
	httpsrv_stop(srv);	/* unlinks the Unix sockets */
	roles_reg_clear(&c.reg);
	if (e.kind != ERR_NONE)
		goto fail;
	childpipe_put(&c.pipe, 'S', "stopped");
	rc = 0;
	goto out;
fail:
	childpipe_put(&c.pipe, 'E', "%d %s", (int)e.kind, e.msg[0] ? e.msg : "failed");
out:
	roles_reg_clear(&c.reg);
	loop_clear(&l);
	caserve_clear(&c.cs);	/* wipes the CA key */
	_exit(rc);
}

/* ---- the parent ---- */

int
svc_proc_start(struct ui *u, struct svc *s, char *pass)
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
		svc_child(u, s, pass, p[1], me);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	/* The same in the parent: the group is the child's either way. */
	setpgid(pid, pid);
	s->pid = pid;
	s->fd = p[0];
	buf_init(&s->in);
	s->ready = s->stopping = s->failed_pass = 0;
	s->nlsn = 0;
	s->fpr[0] = s->end[0] = '\0';
	s->started = loop_now_ms();
	return 0;
}

void
svc_proc_stop(struct ui *u, struct svc *s)
{
	if (s->pid == 0 || s->stopping)
		return;
	kill(s->pid, SIGTERM);
	s->stopping = 1;
	ui_log(u, "CA service: stopping");
}

static void
svc_line(struct ui *u, struct svc *s, char *line)
{
	char *t = line + 2, *sp;
	long kind;

	if (line[0] == '\0' || line[1] != ' ')
		return;
	switch (line[0]) {
	case 'A':
		if (s->nlsn == SVC_LISTEN_MAX || (sp = strchr(t, ' ')) == NULL)
			return;
		s->lsn[s->nlsn].tls = strncmp(t, "tls ", 4) == 0;
		ui_fmt(s->lsn[s->nlsn].addr, sizeof s->lsn[s->nlsn].addr, "%s",
		    sp + 1);
		s->nlsn++;
		svc_logf(s, LINE_OK, "listening on %s (%s)", sp + 1,
		    s->lsn[s->nlsn - 1].tls ? "TLS: EST, OCSP, CRL" :
		    "plain HTTP: OCSP, CRL, CA certificate");
		if (s->nlsn == s->nwant) {
			s->ready = 1;
			ui_log(u, "CA service: CA '%s' listening on %s%s%s%s%s",
			    s->ca, s->lsn[0].addr, s->nlsn > 1 ? ", " : "",
			    s->nlsn > 1 ? s->lsn[1].addr : "", s->nlsn > 2 ?
			    ", " : "", s->nlsn > 2 ? s->lsn[2].addr : "");
			svc_aid(u, s);
		}
		break;
	case 'F':
		ui_fmt(s->fpr, sizeof s->fpr, "%s", t);
		ui_log(u, "CA service: CA '%s' certificate fingerprint %s",
		    s->ca, s->fpr);
		break;
	case 'L':
		svc_logf(s, strstr(t, " 200 ") != NULL ? 0 : LINE_WARN, "%s",
		    t);
		s->nreq++;
		s->next_refresh = 0;	/* the queue may have changed */
		break;
	case 'D':
		svc_logf(s, LINE_WARN, "(%s log lines dropped: the window did "
		    "not read them in time)", t);
		break;
	case 'E':
		kind = strtol(t, &sp, 10);
		if (*sp == ' ')
			sp++;
		s->failed_pass = kind == ERR_PASS && !s->ready;
		ui_fmt(s->end, sizeof s->end, "%s%s", s->ready ? "" :
		    "cannot start: ", sp);
		break;
	case 'S':
		ui_fmt(s->end, sizeof s->end, "stopped");
		break;
	}
}

/* The pipe's end: the process has ended; how, unless it said so. */
static void
svc_reap(struct ui *u, struct svc *s)
{
	int st = 0;

	close(s->fd);
	s->fd = -1;
	while (waitpid(s->pid, &st, 0) == -1 && errno == EINTR)
		;
	if (s->end[0] == '\0') {
		if (WIFSIGNALED(st))
			ui_fmt(s->end, sizeof s->end, "%s by signal %d",
			    s->stopping ? "stopped" : "ended", WTERMSIG(st));
		else
			ui_fmt(s->end, sizeof s->end, "ended (status %d)",
			    WEXITSTATUS(st));
	}
	s->pid = 0;
	s->ready = s->stopping = 0;
	buf_clear(&s->in);
	svc_ended(u, s);
}

struct svc_pipectx {
	struct ui *u;
	struct svc *s;
};

static void
svc_pipe_line(void *ctx, char *text)
{
	struct svc_pipectx *pc = ctx;

	svc_line(pc->u, pc->s, text);
}

int
svc_proc_read(struct ui *u, struct svc *s)
{
	if (s->pid == 0)
		return 0;
	struct svc_pipectx pc = { u, s };

	if (childpipe_read(s->fd, &s->in, svc_pipe_line, &pc) == 0)
		svc_reap(u, s);
	return 1;
}

void
svc_proc_end(struct svc *s)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	struct addr a;
	int waited = 0, killed = 0;
	size_t i;

	if (s->pid == 0)
		return;
	kill(s->pid, SIGTERM);
	while (waitpid(s->pid, NULL, WNOHANG) == 0) {
		if (waited >= SVC_STOP_WAIT_MS) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
			killed = 1;
			break;
		}
		nanosleep(&ts, NULL);
		waited += 20;
	}
	/* Killed, it could not remove its sockets. */
	for (i = 0; killed && i < s->nwant; i++)
		if (addr_parse(&a, s->want[i].addr, NULL) == 0 && a.unix_path)
			unlink(a.path);
	close(s->fd);
	s->fd = -1;
	buf_clear(&s->in);
	s->pid = 0;
}
