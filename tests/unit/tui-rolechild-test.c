/* tui-rolechild-test — tui/rolechild.c, the role children of the windows:
 * the ring of log lines (the oldest half dropped past the bound, top and
 * cur kept to their lines), the connections read from the server's event
 * and trace lines (accepted, handshake done with its peer, closed; trace
 * lines of unknown connections and malformed ones ignored; the oldest
 * connection dropped past the bound; Up/Down and the trace's paging), and
 * real children: their lines, a clean stop, a failure with its kind said
 * as "cannot start: ...", a SIGTERM through rolechild_stop, and
 * rolechild_end on a child that does not stop by itself. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "tui/rolechild.h"

static struct ui u;

static void
test_keep(void)
{
	struct lines l;
	char t[32];
	int i;

	memset(&l, 0, sizeof l);
	for (i = 0; i < 8; i++) {
		snprintf(t, sizeof t, "line %d", i);
		rolechild_keep(&l, 8, 0, t);
	}
	CHECK_EQ(l.n, 8);
	l.top = 6;
	l.cur = 7;
	/* the 9th: 9 - 8 / 2 = 5 go, 4 stay */
	rolechild_keep(&l, 8, LINE_OK, "line 8");
	CHECK_EQ(l.n, 4);
	CHECK_STR(l.v[0], "line 5");
	CHECK_EQ(l.v[3][0], LINE_OK);
	CHECK_STR(l.v[3] + 1, "line 8");
	CHECK_EQ(l.top, 1);
	CHECK_EQ(l.cur, 2);
	lines_clear(&l);
}

static void
test_conns(void)
{
	struct rolechild_conns cs;
	struct rolechild_conn *c;
	char t[64];
	unsigned i;

	rolechild_conns_init(&cs);
	CHECK_EQ(rolechild_conns_event(&cs, "listening on unix:x", &c),
	    RC_EV_OTHER);
	CHECK(c == NULL);
	/* closed before it was accepted: not one kept */
	CHECK_EQ(rolechild_conns_event(&cs, "connection 9: closed", &c),
	    RC_EV_UNKNOWN);
	CHECK_EQ(cs.n, 0);
	CHECK_EQ(rolechild_conns_event(&cs, "connection 1: accepted", &c),
	    RC_EV_ACCEPTED);
	CHECK(c != NULL && c->id == 1 && c->open);
	CHECK(rolechild_conns_trace(&cs, "1 < ClientHello (176 bytes)") == c);
	CHECK(rolechild_conns_trace(&cs, "1 > ServerHello (90 bytes)") == c);
	CHECK(rolechild_conns_trace(&cs, "1     random 00ff") == c);
	CHECK(rolechild_conns_trace(&cs, "2 > ServerHello") == NULL);
	CHECK(rolechild_conns_trace(&cs, "x > ServerHello") == NULL);
	CHECK(rolechild_conns_trace(&cs, "1") == NULL);
	CHECK_EQ(rolechild_conns_event(&cs, "connection 1: TLS 1.3 handshake "
	    "done (TLS_AES_128_GCM_SHA256), client CN=alice", &c),
	    RC_EV_HANDSHAKE);
	CHECK_STR(c->peer, "CN=alice");
	CHECK_STR(c->tls, "TLS 1.3 handshake done ");
	CHECK_EQ(c->trace.n, 5);
	CHECK_STR(c->trace.v[0] + 1, "accepted");
	CHECK_STR(c->trace.v[1], "< ClientHello (176 bytes)");
	CHECK_EQ(c->trace.v[2][0], LINE_HEAD);	/* sent: heads its fields */
	CHECK_STR(c->trace.v[3], "    random 00ff");
	CHECK_EQ(c->trace.v[4][0], LINE_OK);
	CHECK_EQ(rolechild_conns_event(&cs, "connection 1: closed", &c),
	    RC_EV_CLOSED);
	CHECK(!c->open);
	CHECK_STR(c->end, "closed");
	CHECK_EQ(rolechild_conns_event(&cs, "connection 2: accepted", &c),
	    RC_EV_ACCEPTED);
	CHECK_EQ(cs.cur, 1);	/* the newest followed */
	rolechild_conns_move(&cs, -1);
	CHECK_EQ(cs.cur, 0);
	CHECK(!cs.follow);
	(void)rolechild_conns_event(&cs, "connection 3: accepted", &c);
	CHECK_EQ(cs.cur, 0);	/* stays where it was moved */
	rolechild_conns_move(&cs, -1);
	CHECK_EQ(cs.cur, 0);
	rolechild_conns_move(&cs, 1);
	rolechild_conns_move(&cs, 1);
	CHECK_EQ(cs.cur, 2);
	CHECK(cs.follow);
	/* a page of the trace: the window drawn 3 rows of 40 columns */
	cs.cur = 0;
	cs.draw_h = 3;
	cs.draw_w = 40;
	cs.v[0].trace.top = 0;
	rolechild_conns_move(&cs, 10);
	CHECK_EQ(cs.v[0].trace.top, 2);
	CHECK(cs.scrolled);
	rolechild_conns_move(&cs, 1L << 30);	/* End: "closed" and the
						 * handshake's 3 rows */
	CHECK_EQ(cs.v[0].trace.top, lines_last_top(&cs.v[0].trace, 3, 40));
	CHECK_EQ(cs.v[0].trace.top, 5);
	CHECK(!cs.scrolled);
	rolechild_conns_move(&cs, -(1L << 30));	/* Home */
	CHECK_EQ(cs.v[0].trace.top, 0);
	rolechild_conns_closed(&cs);
	CHECK(!cs.v[1].open && !cs.v[2].open);
	/* past the bound the oldest goes */
	for (i = 4; i <= ROLECHILD_CONNS_MAX + 3; i++) {
		snprintf(t, sizeof t, "connection %u: accepted", i);
		(void)rolechild_conns_event(&cs, t, &c);
	}
	CHECK_EQ(cs.n, ROLECHILD_CONNS_MAX);
	CHECK_EQ(cs.v[0].id, 4);
	CHECK_EQ(cs.v[ROLECHILD_CONNS_MAX - 1].id, ROLECHILD_CONNS_MAX + 3);
	rolechild_conns_clear(&cs);
	CHECK_EQ(cs.n, 0);
}

/* ---- real children ---- */

struct seen {
	char lines[8][64];
	int n, ended;
};

static void
seen_line(struct ui *ui, void *owner, char kind, char *text)
{
	struct seen *s = owner;

	(void)ui;
	if (s->n < 8)
		ui_fmt(s->lines[s->n++], sizeof s->lines[0], "%c %s", kind,
		    text);
}

static void
seen_ended(struct ui *ui, void *owner)
{
	(void)ui;
	((struct seen *)owner)->ended++;
}

/* The role: says hello, then ends as arg says: "ok", "fail" or "wait"
 * (runs its loop until SIGTERM). */
static void
kid_run(struct ui *ui, void *arg, struct rolechild_kid *k)
{
	const char *how = arg;
	struct loop l;
	struct err e;

	(void)ui;
	err_clear(&e);
	loop_catch_signals();	/* before hello: SIGTERM a clean stop */
	childpipe_put(&k->pipe, 'A', "hello %s", how);
	if (strcmp(how, "fail") == 0)
		err_set(&e, ERR_PASS, "wrong passphrase");
	else if (strcmp(how, "wait") == 0) {
		loop_init(&l);
		(void)rolechild_kid_run(k, &l, &e);
		loop_clear(&l);
	}
	_exit(rolechild_kid_end(k, &e));
}

/* Polls rc until it is reaped, or (want > 0) until s has want lines; 10 s
 * at most. */
static void
drain_until(struct rolechild *rc, const struct seen *s, int want)
{
	struct pollfd p;
	int n;

	for (n = 0; n < 1000 && rc->pid != 0 && (want == 0 || s->n < want);
	    n++) {
		CHECK_EQ(rolechild_pollfd(rc, &p, 1), 1);
		(void)poll(&p, 1, 10);
		(void)rolechild_dispatch(&u, rc, &p, 1);
	}
}

static void
drain(struct rolechild *rc)
{
	drain_until(rc, NULL, 0);
}

static void
test_children(void)
{
	struct rolechild rc;
	struct seen s;
	struct pollfd p;

	memset(&s, 0, sizeof s);
	rolechild_init(&rc, seen_line, seen_ended, &s);
	CHECK_EQ(rolechild_pollfd(&rc, &p, 1), 0);	/* none running */
	CHECK_EQ(rolechild_start(&u, &rc, NULL, kid_run, "ok"), 0);
	CHECK(rc.pid > 0);
	drain(&rc);
	CHECK_EQ(rc.pid, 0);
	CHECK_EQ(s.ended, 1);
	CHECK_EQ(s.n, 2);
	CHECK_STR(s.lines[0], "A hello ok");
	CHECK_STR(s.lines[1], "S stopped");
	CHECK_STR(rc.end, "stopped");

	/* a failure before it was ready: its kind and "cannot start" */
	memset(&s, 0, sizeof s);
	CHECK_EQ(rolechild_start(&u, &rc, NULL, kid_run, "fail"), 0);
	CHECK_STR(rc.end, "");
	drain(&rc);
	CHECK_EQ(s.ended, 1);
	CHECK_STR(rc.end, "cannot start: wrong passphrase");
	CHECK_EQ(rc.end_kind, ERR_PASS);

	/* ready, then stopped with SIGTERM: a clean stop */
	memset(&s, 0, sizeof s);
	CHECK_EQ(rolechild_start(&u, &rc, NULL, kid_run, "wait"), 0);
	drain_until(&rc, &s, 1);
	CHECK_STR(s.lines[0], "A hello wait");
	rc.ready = 1;
	rolechild_stop(&u, &rc, "test: stopping");
	CHECK(rc.stopping);
	CHECK_STR(u.log.v[u.log.n - 1] + 9, "test: stopping");
	drain(&rc);
	CHECK_EQ(s.ended, 1);
	CHECK_STR(rc.end, "stopped");
	CHECK(!rc.stopping && !rc.ready);

	/* at the program's end: stopped and reaped without its pipe read */
	memset(&s, 0, sizeof s);
	CHECK_EQ(rolechild_start(&u, &rc, NULL, kid_run, "wait"), 0);
	CHECK_EQ(rolechild_end(&rc), 0);	/* SIGTERM was enough */
	CHECK_EQ(rc.pid, 0);
	CHECK_EQ(rc.fd, -1);
	CHECK_EQ(s.ended, 0);
	CHECK_EQ(rolechild_end(&rc), 0);	/* none: nothing to do */
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_keep();
	test_conns();
	test_children();
	lines_clear(&u.log);
	return test_done();
}
