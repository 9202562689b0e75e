/* scr-inbox.c — the Inbox window: a client's received messages (the
 * inbox store `client listen` writes, store/inbox.h), each with the
 * verdict the listener gave it, its signer and time; Enter shows one
 * (its content and its verification steps, as `msg verify` prints
 * them). l starts a `client listen` for an entity as a role of this UI:
 * a child process (tui/rolechild.h, as the Server window's) whose key
 * never returns to the UI, in the workspace's registry of running roles
 * (kind listener) so that another UI sees it in its Roles window and can
 * send to it. The index is read again every second: what the listener
 * (this UI's or another process's) stores shows up.
 *
 * The pipe's lines (tui/childpipe.h), each a letter, a space and text:
 *   A ADDR        listening (port 0 resolved)
 *   M LINE        a message stored: the line `client listen` prints
 *   V LINE        a connection event or a listener error
 *   T ID LINE     a trace line of connection ID, as `client listen
 *                 --trace` prints it: its messages ("> NAME ...") make
 *                 the pane's one line a connection, all of it the trace
 *                 view (t)
 * and rolechild's D, E and S. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
#include "tui/rolechild.h"
#include "tui/ui.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "x509/cms.h"
#include "x509/dn.h"

#define INW_REFRESH_MS 1000
#define INW_CHECK_TIMEOUT 5	/* seconds a step of the status asked anew */
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
	/* The signer's status asked anew for the message shown, by a child
	 * (the CA may take up to INW_CHECK_TIMEOUT a step to answer): its
	 * answer replaces line check_line of msg while message check_id is
	 * still shown. */
	struct rolechild check;
	unsigned long check_id;
	size_t check_line;
	char check_stored[12];	/* the verdict as stored */

	/* the listener (a child): proc.pid 0 when none */
	struct rolechild proc;
	char lent[WS_NAME_MAX + 1];	/* its entity */
	char addr[ROLES_ADDR_MAX + 1];	/* as listening */
	char status[ROLES_ADDR_MAX + 1];	/* the CA service asked */
	struct lines events;	/* its connections, one line each */
	struct rolechild_conns conns;	/* and each one's trace */
	int trace;		/* t: the trace view shown */

	/* the form's choices, and the key between the form and the fork */
	char **names;
	size_t nnames;
	const char **choices, **ca_choices;
	char last_addr[UI_FIELD_MAX];
	struct rolechild_keys keys;
};

static struct inboxw *inw_cur;

static void inw_line(struct ui *, void *, char, char *);
static void inw_ended(struct ui *, void *);
static void inw_check_line(struct ui *, void *, char, char *);
static void inw_check_ended(struct ui *, void *);

static struct inboxw *
inw_get(void)
{
	struct inboxw *s = inw_cur;

	if (s != NULL)
		return s;
	s = xcalloc(1, sizeof *s);
	rolechild_init(&s->proc, inw_line, inw_ended, s);
	rolechild_init(&s->check, inw_check_line, inw_check_ended, s);
	rolechild_conns_init(&s->conns);
	inbox_init(&s->ib);
	rolechild_keys_init(&s->keys);
	inw_cur = s;
	return s;
}

pid_t
scr_inbox_pid(void)
{
	return inw_cur != NULL ? inw_cur->proc.pid : 0;
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

/* ---- the signer's status, asked anew ---- */

/* The CA service to ask: the listener's of this inbox, else the first in
 * the registry of roles (as the listener's form proposes). */
static void inw_status_default(struct ui *, char *, size_t);

static void
inw_check_addr(struct ui *u, struct inboxw *s, char *out, size_t n)
{
	if (s->proc.pid != 0 && strcmp(s->lent, s->ent) == 0 &&
	    s->status[0] != '\0')
		ui_fmt(out, n, "%s", s->status);
	else
		inw_status_default(u, out, n);
}

struct inw_check_arg {
	const uint8_t *der;	/* the signed message */
	size_t len;
	const struct cert_list *anchor;
	const char *addr;
};

/* What the verdict says of the status alone: "good (OCSP)", "revoked
 * (keyCompromise) on DATE (OCSP)", "unknown: WHY"; else the verdict and
 * its reason. */
static void
inw_now_text(const struct msgnet_verdict *v, char *out, size_t n)
{
	const char *p = NULL;

	if (strcmp(v->verdict, "revoked") == 0 &&
	    (p = strstr(v->why, "the signer is ")) != NULL)
		p += strlen("the signer is ");
	else if (strcmp(v->verdict, "good") == 0 &&
	    (p = strstr(v->why, "status good: ")) != NULL)
		p += strlen("status good: ");
	else if (strcmp(v->verdict, "unknown") == 0 &&
	    (p = strstr(v->why, "; status ")) != NULL)
		p += strlen("; status ");
	if (p != NULL)
		ui_fmt(out, n, "%s", p);
	else
		ui_fmt(out, n, "%s: %s", v->verdict, v->why);
}

/* In the child: "R VERDICT NOW" (the signature, the chain and the status
 * as msgnet_check finds them now), or "X WHY" when the CA cannot be
 * asked at all. */
static void
inw_check_child(struct ui *u, void *arg, struct rolechild_kid *k)
{
	struct inw_check_arg *a = arg;
	struct peerstatus ps;
	struct msgnet_verdict v;
	struct err e;
	char now[700];

	form_wipe(u);	/* a sealed message's passphrase */
	err_clear(&e);
	if (peerstatus_init(&ps, a->addr, PEERSTATUS_OCSP, a->anchor,
	    INW_CHECK_TIMEOUT, 0, &e) == -1)
		childpipe_put(&k->pipe, 'X', "%s", e.msg);
	else {
		msgnet_check(a->der, a->len, a->anchor, &ps,
		    (int64_t)time(NULL), &v);
		inw_now_text(&v, now, sizeof now);
		childpipe_put(&k->pipe, 'R', "%s %s", v.verdict, now);
		msgnet_verdict_clear(&v);
		peerstatus_clear(&ps);
	}
	err_clear(&e);
	_exit(rolechild_kid_end(k, &e));
}

/* The line of the message shown, when it is still the one asked about. */
static void
inw_check_set(struct inboxw *s, char marker, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
inw_check_set(struct inboxw *s, char marker, const char *fmt, ...)
{
	va_list ap;
	char *t;

	if (!s->detail || s->cur >= s->ib.n || s->ib.v[s->cur].id !=
	    s->check_id || s->check_line >= s->msg.n)
		return;
	va_start(ap, fmt);
	if (vasprintf(&t, fmt, ap) == -1)
		xalloc_fail("vasprintf");
	va_end(ap);
	free(s->msg.v[s->check_line]);
	s->msg.v[s->check_line] = xasprintf("%c%s", marker, t);
	free(t);
}

static void
inw_check_line(struct ui *u, void *owner, char kind, char *t)
{
	struct inboxw *s = owner;
	const char *now;
	size_t vl;

	if (kind == 'X') {
		inw_check_set(s, LINE_WARN, "stored: %s  now: not asked: %s",
		    s->check_stored, t);
		ui_log(u, "inbox: message %lu: the CA could not be asked: %s",
		    s->check_id, t);
		return;
	}
	if (kind != 'R')
		return;
	vl = strcspn(t, " ");
	now = t[vl] == ' ' ? t + vl + 1 : "";
	inw_check_set(s, strncmp(t, "good", vl) == 0 && vl == 4 ? LINE_OK :
	    strncmp(t, "unknown", vl) == 0 && vl == 7 ? LINE_WARN : LINE_FAIL,
	    "stored: %s  now: %s", s->check_stored, now);
	ui_log(u, "inbox: message %lu: stored %s, now %s", s->check_id,
	    s->check_stored, now);
}

static void
inw_check_ended(struct ui *u, void *owner)
{
	struct inboxw *s = owner;

	(void)u;
	if (strcmp(s->check.end, "stopped") != 0)
		inw_check_set(s, LINE_WARN, "stored: %s  now: not learned (the "
		    "check %s)", s->check_stored, s->check.end);
}

/* Asks anew about the signer of der (a signed message) for the message
 * shown, its line at check_line; one check at a time. */
static void
inw_check_start(struct ui *u, struct inboxw *s, const uint8_t *der,
    size_t len, const struct cert_list *anchor)
{
	char addr[ROLES_ADDR_MAX + 1];
	struct inw_check_arg a = { der, len, anchor, addr };

	(void)rolechild_end(&s->check);
	inw_check_addr(u, s, addr, sizeof addr);
	if (addr[0] == '\0') {
		inw_check_set(s, LINE_WARN, "stored: %s  now: not asked (no CA "
		    "service in the registry of roles)", s->check_stored);
		return;
	}
	inw_check_set(s, LINE_HEAD, "stored: %s  now: asking the CA service "
	    "at %s ...", s->check_stored, addr);
	if (rolechild_start(u, &s->check, NULL, inw_check_child, &a) == -1)
		inw_check_set(s, LINE_WARN, "stored: %s  now: not asked",
		    s->check_stored);
}

/* Enter: one message, its verdict as stored and its steps as `msg verify`
 * prints them (signature and chain again now), and the signer's status
 * asked anew of the CA service beside the stored verdict. */
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
	/* the status now: asked below once the signed message is at hand */
	s->detail = 1;
	s->check_id = r->id;
	s->check_line = s->msg.n;
	ui_fmt(s->check_stored, sizeof s->check_stored, "%s", r->verdict);
	lines_addf(&s->msg, "%cstored: %s  now: not asked", LINE_WARN,
	    r->verdict);
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
		inw_check_set(s, LINE_WARN, "stored: %s  now: not asked (the "
		    "signer is inside: u opens it)", r->verdict);
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
	inw_check_start(u, s, b.data, b.len, &anchor);
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
	    "FILE` prints it (the status: asked anew, at the top):",
	    LINE_HEAD);
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
	ui_set_openssl(u, "minipki-tui msg verify --ca CA.pem --status ADDR "
	    "%s/inbox/%s/%s   (openssl cms -verify -inform DER -CAfile CA.pem "
	    "-in FILE; openssl ocsp for the status)", u->ws.dir, s->ent,
	    r->file);
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
	struct pkey k;
	struct err e;
	int r;

	err_clear(&e);
	pkey_init(&k);
	/* the passphrase checked first, to say so in the form (a P-256 key
	 * too: msg_open then says why it cannot open, as `msg open`) */
	r = entity_unlock_any(&u->ws, s->ent, fm->f[0].val,
	    strlen(fm->f[0].val), NULL, &k, &e);
	pkey_clear(&k);
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
inw_child(struct ui *u, void *arg, struct rolechild_kid *k)
{
	struct inboxw *s = arg;
	struct inw_out oo, lo;
	struct peerstatus ps;
	struct inbox_writer iw;
	struct msgnet_listen ml;
	struct loop l;
	struct err e;
	FILE *out = NULL, *log = NULL;
	int rc, psinit = 0;

	err_clear(&e);
	loop_init(&l);
	memset(&iw, 0, sizeof iw);
	iw.fd = iw.lockfd = -1;
	memset(&ps, 0, sizeof ps);
	crl_init(&ps.crl);
	roles_reg_init(&k->reg, &u->ws, ROLES_LISTENER, s->lent, 1);
	out = inw_out_open(&oo, &k->pipe, 'M');
	log = inw_out_open(&lo, &k->pipe, 'V');
	if (out == NULL || log == NULL) {
		err_set(&e, ERR_IO, "fopencookie: %s", strerror(errno));
		goto out;
	}
	if (s->status[0] != '\0') {
		if (peerstatus_init(&ps, s->status, PEERSTATUS_OCSP,
		    &s->keys.anchor, 10, 0, &e) == -1)
			goto out;
		psinit = 1;
	}
	if (inbox_open(&iw, &u->ws, s->lent, &e) == -1)
		goto out;
	memset(&ml, 0, sizeof ml);
	msgnet_listen_init(&ml);
	ml.anchors = &s->keys.anchor;
	ml.ps = psinit ? &ps : NULL;
	ml.inbox = &iw;
	/* Sealed messages are opened with an RSA key only (no CMS key
	 * agreement for P-256 yet, as `client listen`): a P-256 listener
	 * stores them unopened. */
	ml.key = s->keys.key.type == PKEY_RSA ? &s->keys.key.rsa : NULL;
	ml.cert = &s->keys.chain.v[0];
	ml.out = out;
	ml.log = log;
	(void)rolechild_kid_serve(k, &l, s->last_addr, &s->keys,
	    TLS_AUTH_REQUIRE, 300, &ml.service, &e);
out:
	rc = rolechild_kid_end(k, &e);
	inbox_close(&iw);
	peerstatus_clear(&ps);
	if (out != NULL)
		fclose(out);
	if (log != NULL)
		fclose(log);
	loop_clear(&l);
	rolechild_keys_clear(&s->keys);
	_exit(rc);
}

/* ---- the listener, the UI's side ---- */

static void
inw_event(struct inboxw *s, char marker, const char *t)
{
	rolechild_keep(&s->events, INW_EVENTS_MAX, marker, t);
}

/* A trace line of connection id: into its trace; a handshake message's
 * name ("> ServerHello (90 bytes)") also added to that connection's line
 * in the pane ("#3 handshake: < ClientHello > ServerHello ..."), among the
 * last few; a new line when there is none. */
static void
inw_trace(struct inboxw *s, const char *t)
{
	char head[32], *l, *n, *name;
	unsigned long id;
	char *sp;
	size_t i, k, hl;

	(void)rolechild_conns_trace(&s->conns, t);
	id = strtoul(t, &sp, 10);
	if (*sp != ' ' || sp == t || (sp[1] != '>' && sp[1] != '<') ||
	    sp[2] != ' ')
		return;
	name = xasprintf(" %c %.*s", sp[1], (int)strcspn(sp + 3, " "),
	    sp + 3);
	hl = (size_t)snprintf(head, sizeof head, "#%lu handshake:", id);
	for (k = 0, i = s->events.n; i > 0 && k < 8; i--, k++) {
		l = s->events.v[i - 1];
		if (strncmp(l, head, hl) == 0) {
			if (strlen(l) <= 400) {
				n = xasprintf("%s%s", l, name);
				free(l);
				s->events.v[i - 1] = n;
			}
			free(name);
			return;
		}
	}
	n = xasprintf("%s%s", head, name);
	inw_event(s, 0, n);
	free(n);
	free(name);
}

static void
inw_line(struct ui *u, void *owner, char kind, char *t)
{
	struct inboxw *s = owner;
	struct rolechild_conn *c;

	switch (kind) {
	case 'A':
		ui_fmt(s->addr, sizeof s->addr, "%s", t);
		s->proc.ready = 1;
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
		if (rolechild_conns_event(&s->conns, t, &c) == RC_EV_ACCEPTED)
			break;
		inw_event(s, strstr(t, "refused") != NULL || strstr(t,
		    "failed") != NULL ? LINE_FAIL : 0, t);
		break;
	case 'T':
		inw_trace(s, t);
		break;
	}
}

static void
inw_ended(struct ui *u, void *owner)
{
	struct inboxw *s = owner;

	rolechild_conns_closed(&s->conns);
	ui_log(u, "inbox: listener '%s' %s", s->lent, s->proc.end);
}

static int
inw_start(struct ui *u, struct inboxw *s)
{
	if (rolechild_start(u, &s->proc, &scr_inbox, inw_child, s) == -1)
		return -1;
	s->addr[0] = '\0';
	lines_clear(&s->events);
	rolechild_conns_clear(&s->conns);
	return 0;
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
	struct cert_list *anchor = &s->keys.anchor;
	struct err e;

	err_clear(&e);
	if (rolechild_form_unlock(u, fm, LF_ADDR, LF_PASS, ent, &s->keys) ==
	    -1)
		return -1;
	if (entity_load_chain(&u->ws, fm->f[LF_TRUST].val, anchor, &e) ==
	    -1 || anchor->n == 0) {
		ui_fmt(fm->f[LF_TRUST].err, sizeof fm->f[LF_TRUST].err, "%s",
		    e.kind != ERR_NONE ? e.msg : "no certificate");
		fm->cur = LF_TRUST;
		rolechild_keys_clear(&s->keys);
		return -1;
	}
	/* The CA's own certificate, the first of its keystore. */
	while (anchor->n > 1)
		cert_clear(&anchor->v[--anchor->n]);
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
	rolechild_keys_clear(&s->keys);	/* the child has its copy */
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

	if (s->proc.pid != 0) {
		ui_log(u, "inbox: a listener for '%s' runs already (x stops "
		    "it)", s->lent);
		return;
	}
	free(s->ca_choices);
	(void)rolechild_entity_choices(u, &s->names, &s->nnames, &s->choices);
	s->ca_choices = xcalloc(u->ncas + 1, sizeof *s->ca_choices);
	for (i = 0; i < u->ncas; i++)
		s->ca_choices[i] = u->cas[i];
	if (s->nnames == 0 || u->ncas == 0) {
		ui_log(u, "inbox: no entity with a certificate from a CA here "
		    "yet (the demo lab, d on the Entities screen, makes some)");
		return;
	}
	for (i = 0; i < s->nnames; i++)
		if (strcmp(s->names[i], s->ent) == 0)
			def = s->names[i];
	inw_status_default(u, st, sizeof st);
	rolechild_form_begin(u, "Start a message listener", inw_submit, def !=
	    NULL ? def : s->names[0], s->choices, "Space: whose inbox; its "
	    "key opens sealed messages", "unlocks the entity's key (kept in "
	    "the listener's process)", s->last_addr);
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

	if (s->ent[0] == '\0' && s->proc.pid != 0)
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
	if (s->proc.pid != 0)
		ui_fmt(line, sizeof line, "Listener '%s' %s %s  pid %ld%s%s",
		    s->lent, s->proc.ready ? "on" : "starting on",
		    s->proc.ready ? s->addr : s->last_addr, (long)s->proc.pid,
		    s->status[0] ? "  status " : "  no status", s->status);
	else
		ui_fmt(line, sizeof line, "No listener here%s%s  (l starts "
		    "one)", s->proc.end[0] ? ": " : "", s->proc.end);
	attron(A_BOLD);
	ui_put(y, x, w, line);
	attroff(A_BOLD);
	ui_fmt(line, sizeof line, "Inbox '%s': %zu message%s, %zu not good%s",
	    s->ent[0] ? s->ent : "-", s->ib.n, s->ib.n == 1 ? "" : "s", nbad,
	    s->ib.torn ? "  (a torn last record skipped)" : "");
	ui_put(y + 1, x, w, line);
	y += 2;
	h -= 2;
	if (s->trace) {
		struct ui_rect below = { y, x, h, w };

		rolechild_conns_draw(u, &s->conns, &below);
		return;
	}
	if (s->detail) {
		s->draw_h = h;
		lines_draw(&s->msg, y, x, h, w, 0);
		return;
	}
	/* The listener's last events below the list, when it runs. */
	eh = s->proc.pid != 0 || s->events.n > 0 ? (h >= 12 ? 4 : 2) : 0;
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
	if (s->trace) {
		rolechild_conns_move(&s->conns, d);
		return;
	}
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

	if (!s->detail && !s->trace && s->ib.n > 0)
		inw_detail(u, s, NULL);
}

static int
inw_back(struct ui *u)
{
	struct inboxw *s = inw_get();

	(void)u;
	if (s->trace) {
		s->trace = 0;
		return 1;
	}
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
		if (s->proc.pid == 0)
			ui_log(u, "inbox: no listener running (l starts one)");
		else
			rolechild_stop(u, &s->proc, "inbox: stopping the "
			    "listener");
		return 1;
	case 'e':
		inw_next_entity(u, s);
		return 1;
	case 'u':
		inw_open_open(u, s);
		return 1;
	case 't':
		/* the listener's connections, each one's handshake */
		s->trace = !s->trace;
		s->conns.scrolled = 0;
		if (s->trace && s->conns.n == 0)
			ui_log(u, "inbox: no connection to the listener yet "
			    "(l starts one)");
		return 1;
	}
	return 0;
}

static const char *
inw_hints(const struct ui *u)
{
	(void)u;
	if (inw_cur != NULL && inw_cur->trace)
		return "Up/Down connection  PgUp/PgDn/Home/End trace  t/Esc "
		    "back  ? help";
	if (inw_cur != NULL && inw_cur->detail)
		return inw_cur->sealed ? "u open it  Up/Down scroll  Esc back "
		    "to the list  ? help" : "Up/Down scroll  Esc back to the "
		    "list  ? help";
	return "Enter show  l listen  x stop  t trace  e next entity  ? help";
}

/* The listener's pipe; and, while shown, the index read again every
 * INW_REFRESH_MS (another process's listener writes it too). */
static size_t
inw_pollfds(struct ui *u, struct pollfd *p, size_t max, int *wait_ms)
{
	struct inboxw *s = inw_cur;
	int64_t now = loop_now_ms(), left;
	size_t n;

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
	n = rolechild_pollfd(&s->proc, p, max);
	return n + rolechild_pollfd(&s->check, p + n, max - n);
}

static int
inw_dispatch(struct ui *u, const struct pollfd *p, size_t n)
{
	struct inboxw *s = inw_cur;
	int fd, r = 0;
	size_t i;

	/* the listener's pipe, the check's, or both, in that order */
	for (i = 0; s != NULL && i < n; i++) {
		fd = p[i].fd;
		if (s->proc.pid != 0 && fd == s->proc.fd)
			r |= rolechild_dispatch(u, &s->proc, p + i, 1);
		else if (s->check.pid != 0 && fd == s->check.fd)
			r |= rolechild_dispatch(u, &s->check, p + i, 1);
	}
	return r;
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
	return inw_cur != NULL && inw_cur->proc.pid != 0 ? "listener running" :
	    NULL;
}

static void
inw_lock(struct ui *u)
{
	if (inw_cur != NULL)
		rolechild_stop(u, &inw_cur->proc, "inbox: stopping the "
		    "listener");
}

static void
inw_forget(struct ui *u)
{
	(void)u;
	if (inw_cur != NULL)
		rolechild_keys_clear(&inw_cur->keys);
}

static void
inw_clear(struct ui *u)
{
	struct inboxw *s = inw_cur;

	(void)u;
	if (s == NULL)
		return;
	(void)rolechild_end(&s->proc);
	(void)rolechild_end(&s->check);
	rolechild_conns_clear(&s->conns);
	inw_text_free(s);
	inbox_clear(&s->ib);
	lines_clear(&s->msg);
	lines_clear(&s->events);
	rolechild_keys_clear(&s->keys);
	ws_free_list(s->names, s->nnames);
	free(s->choices);
	free(s->ca_choices);
	free(s);
	inw_cur = NULL;
}

static const struct binding inw_keys[] = {
	{ 'l', 0, 0, NULL, "l", "start a message listener for an entity (form: entity, passphrase, address, CA, status): client listen as a role of this UI, in the registry" },
	{ 'x', 0, 0, NULL, "x", "stop the listener (it leaves the registry of roles)" },
	{ 'e', 0, 0, NULL, "e", "show the next entity's inbox" },
	{ 'u', 0, 0, NULL, "u", "(a sealed message shown) open it with the entity's key: passphrase asked, the key wiped after" },
	{ 't', 0, 0, NULL, "t", "the listener's connections, the selected one's handshake as --trace prints it (PgUp/PgDn scroll; t or Esc: back)" },
	{ '\r', 0, 0, NULL, "Enter", "show the selected message: content, verdict now and as stored (the CA service asked anew), verification steps (Esc: back)" },
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
