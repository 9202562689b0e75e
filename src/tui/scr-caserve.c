/* scr-caserve.c — the CA service window: starts and stops `ca serve` for
 * a CA (svcproc.c runs it in a child process), shows where it listens,
 * the CA certificate's fingerprint that clients check, and three views
 * that v cycles: the live request log, the approval queue (a approves, r
 * rejects) and the enrollment tokens (n makes one, shown once; D revokes
 * one), both read again from the store every SVC_REFRESH_MS and at each
 * request. o shows the shell commands of each action: the service, curl
 * and openssl as its clients, the token and queue commands. */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "net/addr.h"
#include "net/loop.h"
#include "tui/svc.h"
#include "util/xalloc.h"

enum { F_CA, F_TRANSPORT, F_UNIX, F_TCP, F_HTTP, F_PASS };

static const char *const svc_transports[] = { "unix", "tcp", "unix+tcp",
	NULL };
static const char *const svc_view_names[SVC_V__COUNT] = { "Log", "Queue",
	"Tokens" };

/* The window's state, NULL until it is first shown. */
static struct svc *svc_cur;

struct svc *
svc_get(struct ui *u)
{
	struct svc *s = svc_cur;

	(void)u;
	if (s != NULL)
		return s;
	s = xcalloc(1, sizeof *s);
	svc_proc_init(s);
	s->follow = 1;
	enroll_init(&s->en);
	svc_cur = s;
	return s;
}

const char *
svc_ca(struct ui *u)
{
	struct svc *s = svc_get(u);

	return s->proc.pid != 0 ? s->ca : lc_ca(u);
}

void
svc_logf(struct svc *s, char marker, const char *fmt, ...)
{
	va_list ap;
	char *t;
	int follow = s->log.n == 0 || s->log.cur + 1 >= s->log.n;

	va_start(ap, fmt);
	if (vasprintf(&t, fmt, ap) == -1)
		xalloc_fail("vasprintf");
	va_end(ap);
	rolechild_keep(&s->log, SVC_LOG_MAX, marker, t);
	free(t);
	if (follow && s->follow)
		s->log.cur = s->log.n - 1;
}

/* ---- the equivalent commands ---- */

/* The unix: listener's path, else NULL. */
static const char *
svc_unix_path(const struct svc *s)
{
	size_t i;

	for (i = 0; i < s->nlsn; i++)
		if (s->lsn[i].tls && strncmp(s->lsn[i].addr, "unix:", 5) == 0)
			return s->lsn[i].addr + 5;
	return NULL;
}

/* "HOST:PORT" of the first tcp: listener of kind tls, else NULL. */
static const char *
svc_tcp(const struct svc *s, int tls)
{
	size_t i;

	for (i = 0; i < s->nlsn; i++)
		if (s->lsn[i].tls == tls && strncmp(s->lsn[i].addr, "tcp:", 4)
		    == 0)
			return s->lsn[i].addr + 4;
	return NULL;
}

/* The `ca serve` command line of what was asked. */
static void
svc_serve_cmd(struct ui *u, const struct svc *s, char *out, size_t n)
{
	size_t i, k;

	k = (size_t)ui_fmt(out, n, "%s ca serve --ca %s", svc_prog(u), s->ca);
	for (i = 0; i < s->nwant && k < n; i++)
		k += (size_t)ui_fmt(out + k, n - k, " --%s %s", s->want[i].tls ?
		    "listen" : "http-listen", s->want[i].addr);
}

/* The curl line that fetches the CA chain from the service. */
static void
svc_curl(const struct svc *s, char *out, size_t n)
{
	const char *up = svc_unix_path(s), *tcp = svc_tcp(s, 1);

	if (up != NULL)
		ui_fmt(out, n, "curl --unix-socket %s --cacert ca.pem "
		    "https://localhost/.well-known/est/cacerts", up);
	else
		ui_fmt(out, n, "curl --cacert ca.pem "
		    "https://%s/.well-known/est/cacerts", tcp ? tcp : "HOST");
}

void
svc_aid_cmd(struct ui *u, struct svc *s)
{
	char serve[600], curl[400];

	const char *http = svc_tcp(s, 0);

	svc_serve_cmd(u, s, serve, sizeof serve);
	svc_curl(s, curl, sizeof curl);
	ui_set_openssl(u, "%s ; %s | base64 -d | openssl pkcs7 -inform DER "
	    "-print_certs%s%s%s", serve, curl, http ? " ; openssl ocsp -issuer "
	    "ca.pem -cert leaf.pem -CAfile ca.pem -url http://" : "",
	    http ? http : "", http ? "/ocsp" : "");
}

void
svc_aid(struct ui *u, struct svc *s)
{
	char serve[600], curl[400];
	const char *http = svc_tcp(s, 0);

	svc_aid_cmd(u, s);
	svc_serve_cmd(u, s, serve, sizeof serve);
	svc_curl(s, curl, sizeof curl);
	svc_logf(s, LINE_HEAD, "Try it from a shell (o shows these too):");
	svc_logf(s, 0, "  %s", serve);
	svc_logf(s, 0, "  %s export %s --cert --out ca.pem", svc_prog(u),
	    s->ca);
	svc_logf(s, 0, "  %s | base64 -d | openssl pkcs7 -inform DER "
	    "-print_certs", curl);
	svc_logf(s, 0, "  %s client enroll NAME --ca %s --ca-fingerprint %s "
	    "[--token T] [--wait]", svc_prog(u), s->nlsn ? s->lsn[0].addr :
	    "ADDR", s->fpr);
	svc_logf(s, 0, "  %s ca token new --ca %s ; %s ca pending --ca %s ; "
	    "%s ca approve --ca %s ID", svc_prog(u), s->ca, svc_prog(u), s->ca,
	    svc_prog(u), s->ca);
	if (http != NULL)
		svc_logf(s, 0, "  openssl ocsp -issuer ca.pem -cert leaf.pem "
		    "-url http://%s/ocsp -CAfile ca.pem ; curl -o crl.der "
		    "http://%s/crl", http, http);
}

/* ---- starting and stopping ---- */

static int svc_start_submit(struct ui *, struct form *);

/* An address field's value: HOST:PORT or tcp:HOST:PORT (is_tcp), or
 * PATH or unix:PATH; out gets the full form, err why it is not one. */
static int
svc_addr(const char *v, int is_tcp, char *out, size_t n, char *err,
    size_t errlen)
{
	struct addr a;
	struct err e;

	if (strncmp(v, "tcp:", 4) == 0 || strncmp(v, "unix:", 5) == 0)
		ui_fmt(out, n, "%s", v);
	else
		ui_fmt(out, n, "%s%s", is_tcp ? "tcp:" : "unix:", v);
	if (addr_parse(&a, out, &e) == -1) {
		ui_fmt(err, errlen, "%s", e.msg);
		return -1;
	}
	if (is_tcp && a.unix_path) {
		ui_fmt(err, errlen, "a TCP address: HOST:PORT");
		return -1;
	}
	if (!is_tcp && !a.unix_path) {
		ui_fmt(err, errlen, "a Unix socket: PATH");
		return -1;
	}
	return 0;
}

static void
svc_check_unix(const char *v, char *err, size_t n)
{
	char a[SVC_ADDR_MAX];

	if (*v != '\0')
		(void)svc_addr(v, 0, a, sizeof a, err, n);
}

static void
svc_check_tcp(const char *v, char *err, size_t n)
{
	char a[SVC_ADDR_MAX];

	(void)svc_addr(v, 1, a, sizeof a, err, n);
}

/* Plain HTTP: empty, unix:PATH or a TCP address. */
static void
svc_check_http(const char *v, char *err, size_t n)
{
	char a[SVC_ADDR_MAX];

	if (*v != '\0')
		(void)svc_addr(v, strncmp(v, "unix:", 5) != 0, a, sizeof a, err,
		    n);
}

static void
svc_open_form(struct ui *u, const char *err)
{
	struct svc *s = svc_get(u);
	const char *ca = svc_ca(u);
	struct field *f;
	char *dir;
	size_t i;
	static char hint[UI_FIELD_MAX + 16];

	if (ca == NULL) {
		ui_log(u, "CA service: no CA yet: c on the Entities screen "
		    "creates one, d on the Welcome screen the demo lab");
		return;
	}
	ws_free_list(s->cas, s->ncas);
	free(s->ca_choices);
	s->ncas = u->ncas;
	s->cas = xcalloc(s->ncas + 1, sizeof *s->cas);
	s->ca_choices = xcalloc(s->ncas + 1, sizeof *s->ca_choices);
	for (i = 0; i < s->ncas; i++)
		s->ca_choices[i] = s->cas[i] = xstrdup(u->cas[i]);
	form_begin(u, "Start the CA service", svc_start_submit, 0);
	f = form_add(u, "CA", ca);
	f->choices = s->ca_choices;
	f->hint = "the CA that serves (Space: the next)";
	f = form_add(u, "Transport", s->have_last ? s->last_tr : "unix");
	f->choices = svc_transports;
	f->hint = "TLS listeners: a Unix socket, TCP, or both";
	f = form_add(u, "Unix socket", s->have_last ? s->last_unix : "");
	dir = ws_ca_dir(&u->ws, ca);
	ui_fmt(hint, sizeof hint, "empty: %s/ca.sock", dir);
	free(dir);
	f->hint = hint;
	f->check = svc_check_unix;
	f = form_add(u, "TCP address", s->have_last ? s->last_tcp :
	    "127.0.0.1:9000");
	f->hint = "HOST:PORT, 9000 as in the classroom (port 0: any free one)";
	f->check = svc_check_tcp;
	f = form_add(u, "Plain HTTP", s->have_last ? s->last_http : "");
	f->hint = "optional HOST:PORT or unix:PATH: OCSP, CRL, CA certificate "
	    "without TLS";
	f->check = svc_check_http;
	f = form_add(u, "CA passphrase", "");
	f->masked = 1;
	f->check = field_check_pass;
	f->hint = "unlocks the CA key in the service's process only";
	if (err != NULL) {
		ui_fmt(u->form.f[F_PASS].err, sizeof u->form.f[F_PASS].err, "%s",
		    err);
		u->form.cur = F_PASS;
	}
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "%s ca serve --ca %s "
	    "--listen unix:%s/ca/%s/ca.sock   (or --listen tcp:127.0.0.1:9000; "
	    "--http-listen tcp:127.0.0.1:9080)", svc_prog(u), ca, u->ws.dir, ca);
}

static int
svc_start_submit(struct ui *u, struct form *fm)
{
	struct svc *s = svc_get(u);
	const char *ca = fm->f[F_CA].val, *tr = fm->f[F_TRANSPORT].val;
	int want_unix = strcmp(tr, "tcp") != 0, want_tcp = strcmp(tr, "unix")
	    != 0;
	char *dir, a[SVC_ADDR_MAX];

	if (s->proc.pid != 0) {
		ui_fmt(fm->f[F_CA].err, sizeof fm->f[F_CA].err, "the service "
		    "runs already (x stops it)");
		return -1;
	}
	s->nwant = 0;
	if (want_unix) {
		if (fm->f[F_UNIX].val[0] == '\0') {
			dir = ws_ca_dir(&u->ws, ca);
			ui_fmt(a, sizeof a, "unix:%s/ca.sock", dir);
			free(dir);
		} else if (svc_addr(fm->f[F_UNIX].val, 0, a, sizeof a,
		    fm->f[F_UNIX].err, sizeof fm->f[F_UNIX].err) == -1) {
			fm->cur = F_UNIX;
			return -1;
		}
		ui_fmt(s->want[s->nwant].addr, SVC_ADDR_MAX, "%s", a);
		s->want[s->nwant++].tls = 1;
	}
	if (want_tcp) {
		if (svc_addr(fm->f[F_TCP].val, 1, a, sizeof a, fm->f[F_TCP].err,
		    sizeof fm->f[F_TCP].err) == -1) {
			fm->cur = F_TCP;
			return -1;
		}
		ui_fmt(s->want[s->nwant].addr, SVC_ADDR_MAX, "%s", a);
		s->want[s->nwant++].tls = 1;
	}
	if (fm->f[F_HTTP].val[0] != '\0') {
		if (svc_addr(fm->f[F_HTTP].val, strncmp(fm->f[F_HTTP].val,
		    "unix:", 5) != 0, a, sizeof a, fm->f[F_HTTP].err,
		    sizeof fm->f[F_HTTP].err) == -1) {
			fm->cur = F_HTTP;
			return -1;
		}
		ui_fmt(s->want[s->nwant].addr, SVC_ADDR_MAX, "%s", a);
		s->want[s->nwant++].tls = 0;
	}
	ui_fmt(s->last_tr, sizeof s->last_tr, "%s", tr);
	ui_fmt(s->last_unix, sizeof s->last_unix, "%s", fm->f[F_UNIX].val);
	ui_fmt(s->last_tcp, sizeof s->last_tcp, "%s", fm->f[F_TCP].val);
	ui_fmt(s->last_http, sizeof s->last_http, "%s", fm->f[F_HTTP].val);
	s->have_last = 1;
	/* An unlocked CA of the UI holds the CA's database lock, which the
	 * service takes for each issuance: let go of it. */
	if (u->ca.name != NULL && strcmp(u->ca.name, ca) == 0) {
		ui_log(u, "CA service: the UI's own hold on CA '%s' is let go, "
		    "so that the service can write its database", ca);
		lc_ca_lock(u);
	}
	ui_fmt(s->ca, sizeof s->ca, "%s", ca);
	ui_fmt(u->inv_ca, sizeof u->inv_ca, "%s", ca);
	s->nreq = 0;
	svc_logf(s, LINE_HEAD, "== starting the service of CA '%s': unlocking "
	    "its key, issuing the TLS certificate of the service", ca);
	if (svc_proc_start(u, s, fm->f[F_PASS].val) == -1)
		return -1;
	ui_log(u, "CA service: starting for CA '%s'", ca);
	s->view = SVC_V_LOG;
	s->follow = 1;
	s->log.cur = s->log.n - 1;
	svc_enroll_refresh(u, s, ca, 1);
	return 0;	/* the form, the passphrase with it, is wiped */
}

void
svc_ended(struct ui *u, struct svc *s)
{
	int bad = strcmp(s->proc.end, "stopped") != 0;

	svc_logf(s, bad ? LINE_FAIL : LINE_HEAD, "== the service %s",
	    s->proc.end);
	ui_log(u, "CA service: %s", s->proc.end);
	s->nlsn = 0;
	s->fpr[0] = '\0';
	/* A wrong passphrase: the form again, if the user is still here. */
	if (s->failed_pass && !u->form_open && u->scr == &scr_caserve)
		svc_open_form(u, s->proc.end + strlen("cannot start: "));
}

/* ---- the screen ---- */

static void
svc_head(struct ui *u, struct svc *s, struct lines *h)
{
	const char *ca = svc_ca(u);
	size_t i;
	int64_t up;

	if (ca == NULL) {
		lines_addf(h, "%cNo CA yet: c on the Entities screen creates "
		    "one, d on the Welcome screen the demo lab.", LINE_WARN);
		return;
	}
	if (s->proc.pid != 0 && s->proc.ready) {
		up = (loop_now_ms() - s->proc.started) / 1000;
		lines_addf(h, "%cRunning: CA '%s', pid %ld, up %lldm%02llds, %lu "
		    "request%s%s", LINE_OK, s->ca, (long)s->proc.pid,
		    (long long)(up / 60), (long long)(up % 60), s->nreq,
		    s->nreq == 1 ? "" : "s", s->proc.stopping ? ", stopping" :
		    "");
	} else if (s->proc.pid != 0)
		lines_addf(h, "%cStarting: CA '%s' (its key, the service's TLS "
		    "certificate)...", LINE_HEAD, s->ca);
	else {
		int bad = s->proc.end[0] != '\0' && strcmp(s->proc.end,
		    "stopped") != 0;

		lines_addf(h, "%cStopped: CA '%s'%s%s  (s starts it)", bad ?
		    LINE_FAIL : LINE_HEAD, ca, bad ? ", " : "", bad ?
		    s->proc.end : "");
	}
	for (i = 0; i < s->nlsn; i++)
		lines_addf(h, "  %-5s %s", s->lsn[i].tls ? "TLS" : "HTTP",
		    s->lsn[i].addr);
	if (s->fpr[0] != '\0')
		lines_addf(h, "  CA    %s", s->fpr);
}

static size_t
svc_count(const struct svc *s, int view)
{
	const struct enrolldb *db = &s->en.db;
	size_t i, n = 0;

	if (view == SVC_V_QUEUE)
		return db->npending;
	for (i = 0; i < db->ntokens; i++)
		n += enroll_token_state(&db->tokens[i], (int64_t)time(NULL)) ==
		    ENROLL_TOKEN_ACTIVE;
	return n;
}

static struct lines *
svc_list(struct svc *s)
{
	return s->view == SVC_V_QUEUE ? &s->queue : s->view == SVC_V_TOKENS ?
	    &s->tokens : &s->log;
}

static void
svc_draw(struct ui *u, const struct ui_rect *r)
{
	struct svc *s = svc_get(u);
	struct lines head;
	struct lines *l;
	int y = r->y, x = r->x, h = r->h, w = r->w, hh = 0, k, cx;
	size_t i;
	char tab[80];

	memset(&head, 0, sizeof head);
	svc_head(u, s, &head);
	for (i = 0; i < head.n; i++)
		hh += lines_rows(head.v[i], w);
	if (hh > h - 3)
		hh = h - 3 > 0 ? h - 3 : 0;
	lines_draw(&head, y, x, hh, w, 0);
	lines_clear(&head);
	y += hh;
	h -= hh;
	if (h < 2)
		return;
	/* The views as tabs, the current one reversed. */
	ui_fill(y, x, w);
	for (k = 0, cx = x; k < SVC_V__COUNT; k++) {
		if (k == SVC_V_LOG)
			ui_fmt(tab, sizeof tab, " %s ", svc_view_names[k]);
		else
			ui_fmt(tab, sizeof tab, " %s %zu%s ", svc_view_names[k],
			    svc_count(s, k), k == SVC_V_QUEUE ? " waiting" :
			    " active");
		attron(k == (int)s->view ? A_REVERSE : A_DIM);
		cx += ui_put(y, cx, x + w - cx, tab);
		attroff(k == (int)s->view ? A_REVERSE : A_DIM);
		cx += ui_put(y, cx, x + w - cx, " ");
	}
	attron(A_DIM);
	ui_put(y, cx, x + w - cx, "(v)");
	attroff(A_DIM);
	y++;
	h--;
	if (s->view == SVC_V_TOKENS && s->token[0] != '\0' && h > 2) {
		attron(A_BOLD);
		ui_put(y, x, w, "New token, shown once (copy it now):");
		ui_put(y + 1, x + 2, w - 2, s->token);
		attroff(A_BOLD);
		y += 2;
		h -= 2;
	}
	l = svc_list(s);
	s->draw_h = h;
	if (l->n == 0) {
		attron(A_DIM);
		ui_put(y, x, w, s->view == SVC_V_QUEUE ? (s->all ? "(no "
		    "requests on record)" : "(no request waits; f: the decided "
		    "ones too)") : s->view == SVC_V_TOKENS ? "(no tokens: n "
		    "makes one)" : "(nothing yet: s starts the service)");
		attroff(A_DIM);
		return;
	}
	if (s->view == SVC_V_LOG && s->follow)
		l->cur = l->n - 1;
	lines_draw(l, y, x, h, w, s->view != SVC_V_LOG);
}

static void
svc_move(struct ui *u, long d, int page)
{
	struct svc *s = svc_get(u);
	struct lines *l = svc_list(s);

	(void)page;
	svc_token_forget(s);	/* shown until the next key here */
	if (d > 1 || d < -1) {
		if (d < -(1L << 29) || d > (1L << 29))
			;	/* Home, End */
		else
			d = d < 0 ? -(long)(s->draw_h > 1 ? s->draw_h - 1 : 1) :
			    (long)(s->draw_h > 1 ? s->draw_h - 1 : 1);
	}
	lines_move(l, d, 0);
	if (s->view == SVC_V_LOG)
		s->follow = l->n == 0 || l->cur + 1 >= l->n;
}

static void
svc_view_aid(struct ui *u, struct svc *s)
{
	const char *ca = svc_ca(u);

	if (ca == NULL)
		return;
	if (s->view == SVC_V_QUEUE)
		ui_set_openssl(u, "%s ca pending --ca %s%s   (decide: ca approve "
		    "--ca %s ID, ca reject --ca %s ID --reason TEXT)",
		    svc_prog(u), ca, s->all ? " --all" : "", ca, ca);
	else if (s->view == SVC_V_TOKENS)
		ui_set_openssl(u, "%s ca token list --ca %s   (new: ca token new "
		    "--ca %s --profile client --uses 1 --ttl 24h; ca token revoke "
		    "--ca %s ID)", svc_prog(u), ca, ca, ca);
	else if (s->proc.pid != 0 && s->proc.ready)
		svc_aid_cmd(u, s);
	else
		ui_set_openssl(u, "%s ca serve --ca %s --listen unix:%s/ca/%s/"
		    "ca.sock   (then: curl --unix-socket PATH --cacert ca.pem "
		    "https://localhost/.well-known/est/cacerts)", svc_prog(u), ca,
		    u->ws.dir, ca);
}

static void
svc_enter(struct ui *u)
{
	struct svc *s = svc_get(u);

	svc_enroll_refresh(u, s, svc_ca(u), 0);
	svc_view_aid(u, s);
}

static void
svc_next_ca(struct ui *u, struct svc *s)
{
	size_t i;

	if (s->proc.pid != 0) {
		ui_log(u, "CA service: it serves CA '%s' (x stops it first)",
		    s->ca);
		return;
	}
	if (u->ncas == 0)
		return;
	for (i = 0; i < u->ncas; i++)
		if (strcmp(u->cas[i], u->inv_ca) == 0)
			break;
	ui_fmt(u->inv_ca, sizeof u->inv_ca, "%s", u->cas[(i + 1) % u->ncas]);
	s->proc.end[0] = '\0';
	svc_enroll_refresh(u, s, svc_ca(u), 1);
	svc_view_aid(u, s);
}

static int
svc_key(struct ui *u, int ch)
{
	struct svc *s = svc_get(u);

	/* The new token is shown until the next key of this window. */
	if (s->token[0] != '\0')
		svc_token_forget(s);
	switch (ch) {
	case 's':
		if (s->proc.pid != 0)
			ui_log(u, "CA service: it runs already for CA '%s' (x "
			    "stops it)", s->ca);
		else
			svc_open_form(u, NULL);
		return 1;
	case 'x':
		if (s->proc.pid == 0)
			ui_log(u, "CA service: not running (s starts it)");
		else
			svc_proc_stop(u, s);
		return 1;
	case 'v':
		s->view = (enum svc_view)((s->view + 1) % SVC_V__COUNT);
		svc_view_aid(u, s);
		return 1;
	case 'f':
		s->all = !s->all;
		s->view = SVC_V_QUEUE;
		svc_enroll_refresh(u, s, svc_ca(u), 1);
		svc_view_aid(u, s);
		return 1;
	case 'a':
		svc_approve_open(u, s);
		return 1;
	case 'r':
		svc_reject_open(u, s);
		return 1;
	case 'n':
		svc_token_open(u, s);
		return 1;
	case 'D':
		svc_token_revoke_open(u, s);
		return 1;
	case 'C':
		svc_next_ca(u, s);
		return 1;
	}
	return 0;
}

static void
svc_select(struct ui *u)
{
	struct svc *s = svc_get(u);

	if (s->view == SVC_V_QUEUE)
		svc_approve_open(u, s);
	else if (s->proc.pid == 0)
		svc_open_form(u, NULL);
}

static const char *
svc_hints(const struct ui *u)
{
	const struct svc *s = svc_cur;

	if (s != NULL && s->view == SVC_V_QUEUE)
		return "a approve  r reject  f all/waiting  v view  s start  "
		    "x stop  o commands";
	if (s != NULL && s->view == SVC_V_TOKENS)
		return "n new token  D revoke  v view  s start  x stop  "
		    "o commands";
	return "s start  x stop  v log/queue/tokens  C next CA  o commands  "
	    "? help";
}

/* Its pipe while it runs; and, while the window is shown, the store is
 * read again every SVC_REFRESH_MS, from here since nothing else wakes
 * the loop then: a change makes the poll return at once to draw it. */
static size_t
svc_pollfds(struct ui *u, struct pollfd *p, size_t max, int *wait_ms)
{
	struct svc *s = svc_cur;
	int64_t now = loop_now_ms(), left;

	if (s == NULL)
		return 0;
	if (u->scr == &scr_caserve && !u->form_open) {
		if (now >= s->next_refresh) {
			s->next_refresh = now + SVC_REFRESH_MS;
			if (svc_enroll_refresh(u, s, svc_ca(u), 0) ||
			    s->proc.pid != 0) {
				/* the change, or the uptime */
				ui_redraw();
				*wait_ms = 0;
			}
		}
		left = s->next_refresh - now;
		if (*wait_ms < 0 || left < *wait_ms)
			*wait_ms = (int)(left > 0 ? left : 0);
	}
	return rolechild_pollfd(&s->proc, p, max);
}

static int
svc_dispatch(struct ui *u, const struct pollfd *p, size_t n)
{
	struct svc *s = svc_cur;

	return s != NULL ? rolechild_dispatch(u, &s->proc, p, n) : 0;
}

/* The service runs on every screen: the title bar says so. */
static const char *
svc_note(const struct ui *u)
{
	(void)u;
	return svc_cur != NULL && svc_cur->proc.pid != 0 ?
	    "CA service running" : NULL;
}

static void
svc_leave(struct ui *u)
{
	struct svc *s = svc_cur;

	if (s == NULL)
		return;
	svc_token_forget(s);
	if (s->proc.pid != 0)
		ui_log(u, "CA service: keeps serving CA '%s' (the title bar "
		    "says so); x in its window or L stops it", s->ca);
}

/* L: no secret stays in memory, so the service (which holds the CA key)
 * stops. */
static void
svc_lock(struct ui *u)
{
	struct svc *s = svc_cur;

	if (s == NULL)
		return;
	svc_token_forget(s);
	if (s->proc.pid != 0) {
		svc_logf(s, LINE_HEAD, "== L (lock): the service stops, its "
		    "copy of the CA key goes with it");
		svc_proc_stop(u, s);
	}
}

/* In a job's child: the token shown once is not the job's. */
static void
svc_forget(struct ui *u)
{
	(void)u;
	if (svc_cur != NULL)
		svc_token_forget(svc_cur);
}

static void
svc_lists(struct ui *u)
{
	if (svc_cur != NULL && u->scr == &scr_caserve)
		svc_enroll_refresh(u, svc_cur, svc_ca(u), 0);
}

static void
svc_clear(struct ui *u)
{
	struct svc *s = svc_cur;

	(void)u;
	if (s == NULL)
		return;
	svc_proc_end(s);
	svc_token_forget(s);
	svc_enroll_clear(s);
	enroll_clear(&s->en);
	ws_free_list(s->cas, s->ncas);
	free(s->ca_choices);
	lines_clear(&s->log);
	free(s);
	svc_cur = NULL;
}

static const struct binding svc_keys[] = {
	{ 's', 0, 0, NULL, "s", "start the service (form: CA, Unix socket / TCP 9000, plain HTTP, passphrase)" },
	{ 'x', 0, 0, NULL, "x", "stop the service (its sockets go)" },
	{ 'v', 0, 0, NULL, "v", "next view: request log, approval queue, tokens" },
	{ 'a', 0, 0, NULL, "a Enter", "(queue) approve the selected request" },
	{ 'r', 0, 0, NULL, "r", "(queue) reject it, with a reason" },
	{ 'f', 0, 0, NULL, "f", "(queue) the decided requests too, or only the waiting ones" },
	{ 'n', 0, 0, NULL, "n", "new token (profile, subject match, uses, lifetime), shown once" },
	{ 'D', 0, 0, NULL, "D", "(tokens) revoke the selected token" },
	{ 'C', 0, 0, NULL, "C", "next CA (while stopped)" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_caserve = {
	.name = "CA service",
	.title = "CA service: EST enrollment, OCSP, CRL",
	.keys = svc_keys,
	.shortcut = '5',
	.enter = svc_enter,
	.leave = svc_leave,
	.draw = svc_draw,
	.key = svc_key,
	.move = svc_move,
	.select = svc_select,
	.dyn_hints = svc_hints,
	.note = svc_note,
	.lock = svc_lock,
	.forget = svc_forget,
	.lists = svc_lists,
	.pollfds = svc_pollfds,
	.dispatch = svc_dispatch,
	.clear = svc_clear,
};
