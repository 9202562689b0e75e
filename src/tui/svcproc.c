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
 * meanwhile. The process itself is tui/rolechild.h's.
 *
 * The pipe's lines, each a letter, a space and text:
 *   A tls|http ADDR   a listener listens (port 0 resolved)
 *   F SHA256:HEX      the CA certificate's fingerprint
 *   L LINE            one request (as `ca serve` logs it), or an event
 * and rolechild's D, E and S. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/httpsrv.h"
#include "net/loop.h"
#include "store/roles.h"
#include "tui/rolechild.h"
#include "tui/svc.h"
#include "util/xalloc.h"

/* ---- the child ---- */

struct svc_child {
	struct rolechild_kid *k;
	struct caserve cs;
	struct httpsrv_listen lsn[SVC_LISTEN_MAX];
};

static void
svc_child_ready(void *ctx, size_t listener, const char *addr)
{
	struct svc_child *c = ctx;

	childpipe_put(&c->k->pipe, 'A', "%s %s",
	    c->lsn[listener].tls != NULL ? "tls" : "http", addr);
	rolechild_kid_ready(c->k, c->lsn[listener].tls != NULL, addr, 'L');
}

/* As `ca serve` logs it: the request's line and what was done. */
static void
svc_child_log(void *ctx, const struct httpsrv_log *rec, const char *line)
{
	struct svc_child *c = ctx;

	if (rec != NULL && c->cs.note[0] != '\0')
		childpipe_put(&c->k->pipe, 'L', "%s: %s", line, c->cs.note);
	else
		childpipe_put(&c->k->pipe, 'L', "%s", line);
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

struct svc_arg {
	struct svc *s;
	char *pass;
};

/* In the child: never returns. pass is the child's copy of the form's
 * passphrase, wiped once used. */
static void
svc_child(struct ui *u, void *arg, struct rolechild_kid *k)
{
	struct svc *s = ((struct svc_arg *)arg)->s;
	char *pass = ((struct svc_arg *)arg)->pass;
	struct svc_child c;
	struct httpsrv_conf conf;
	struct httpsrv *srv;
	struct loop l;
	struct err e;
	size_t i;
	int rc;

	memset(&c, 0, sizeof c);
	c.k = k;
	err_clear(&e);
	caserve_init(&c.cs);
	loop_init(&l);
	for (i = 0; i < s->nwant; i++)
		if (addr_parse(&c.lsn[i].addr, s->want[i].addr, &e) == -1)
			goto out;
		else
			c.lsn[i].tls = s->want[i].tls ? &c.cs.tls : NULL;
	if (caserve_open(&c.cs, &u->ws, s->ca, pass, strlen(pass), NULL, 0,
	    (int64_t)time(NULL), &e) == -1) {
		explicit_bzero(pass, strlen(pass));
		form_wipe(u);
		goto out;
	}
	explicit_bzero(pass, strlen(pass));
	form_wipe(u);
	childpipe_put(&k->pipe, 'F', "%s", c.cs.fpr);
	memset(&conf, 0, sizeof conf);
	conf.listen = c.lsn;
	conf.nlisten = s->nwant;
	conf.handler = svc_child_handle;
	conf.ctx = &c;
	conf.ready = svc_child_ready;
	conf.log = svc_child_log;
	loop_catch_signals();
	roles_reg_init(&k->reg, &u->ws, ROLES_CA_SERVICE, s->ca, s->nwant);
	if ((srv = httpsrv_start(&conf, &l, &e)) == NULL)
		goto out;
	/* Batches and the CA-lock wait on the loop, as `ca serve` does. */
	if (caserve_attach(&c.cs, &l, srv, &e) == -1) {
		httpsrv_stop(srv);
		goto out;
	}
	(void)rolechild_kid_run(k, &l, &e);
	caserve_detach(&c.cs);
	httpsrv_stop(srv);	/* unlinks the Unix sockets */
out:
	rc = rolechild_kid_end(k, &e);
	loop_clear(&l);
	caserve_clear(&c.cs);	/* wipes the CA key */
	_exit(rc);
}

/* ---- the parent ---- */

int
svc_proc_start(struct ui *u, struct svc *s, char *pass)
{
	struct svc_arg a = { s, pass };

	if (rolechild_start(u, &s->proc, NULL, svc_child, &a) == -1)
		return -1;
	s->failed_pass = 0;
	s->nlsn = 0;
	s->fpr[0] = '\0';
	return 0;
}

void
svc_proc_stop(struct ui *u, struct svc *s)
{
	rolechild_stop(u, &s->proc, "CA service: stopping");
}

static void
svc_line(struct ui *u, void *owner, char kind, char *t)
{
	struct svc *s = owner;
	char *sp;

	switch (kind) {
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
			s->proc.ready = 1;
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
		s->failed_pass = s->proc.end_kind == ERR_PASS &&
		    !s->proc.ready;
		break;
	}
}

/* The process has ended (s->proc.end says how). */
static void
svc_proc_ended(struct ui *u, void *owner)
{
	svc_ended(u, owner);
}

void
svc_proc_init(struct svc *s)
{
	rolechild_init(&s->proc, svc_line, svc_proc_ended, s);
}

void
svc_proc_end(struct svc *s)
{
	struct addr a;
	size_t i;

	/* Killed, it could not remove its sockets. */
	if (rolechild_end(&s->proc))
		for (i = 0; i < s->nwant; i++)
			if (addr_parse(&a, s->want[i].addr, NULL) == 0 &&
			    a.unix_path)
				unlink(a.path);
}
