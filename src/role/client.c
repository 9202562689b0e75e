/* client.c — the client's connection driver over the poll loop. */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/loop.h"
#include "net/tlsio.h"
#include "role/client.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* The answer of a server that refused our certificate's status. */
#define CLIENT_REFUSED "ERR refused: "
#define CLIENT_REFUSED_LEN (sizeof CLIENT_REFUSED - 1)

/* An answer longer than this is handed out in pieces. */
#define CLIENT_LINE_CUT (64 * 1024)

struct client {
	const struct client_conf *conf;
	struct tls_engine tls;
	int fd;
	struct buf in;		/* answer being assembled */
};

/* A line longer than CLIENT_MAX_LINE is refused before anything is sent. */
static int
client_line_check(size_t len, struct err *e)
{
	if (len > CLIENT_MAX_LINE)
		return err_set(e, ERR_USAGE, "a line to send is at most %d "
		    "bytes, this one has %zu", CLIENT_MAX_LINE, len);
	return 0;
}

/* Pumps until cond(c) holds, the engine closes or the deadline passes.
 * Returns 0 when cond holds, -1 otherwise (with the reason in e). */
static int
client_wait(struct client *c, int (*cond)(struct client *), int64_t deadline,
    const char *what, struct err *e)
{
	struct pollfd p;
	unsigned ev;
	int64_t left;
	const struct err *te;

	for (;;) {
		tls_engine_set_time(&c->tls, (int64_t)time(NULL));
		if (tlsio_pump(&c->tls, c->fd, e) == -1 &&
		    tls_engine_error(&c->tls) == NULL)
			return -1;
		if (cond(c))
			return 0;
		te = tls_engine_error(&c->tls);
		if (te != NULL) {
			/* let our alert go out before reporting */
			tlsio_pump(&c->tls, c->fd, e);
			return err_set(e, ERR_REFUSED, "%s", te->msg);
		}
		if (tls_engine_state(&c->tls) & TLS_CLOSED)
			return err_set(e, ERR_REFUSED, "the server closed the "
			    "connection %s", what);
		left = deadline - loop_now_ms();
		if (left <= 0)
			return err_set(e, ERR_REFUSED, "timed out %s", what);
		ev = tlsio_events(&c->tls);
		p.fd = c->fd;
		p.events = (short)((ev & LOOP_READ ? POLLIN : 0) |
		    (ev & LOOP_WRITE ? POLLOUT : 0));
		if (poll(&p, 1, (int)left) == -1 && !loop_signalled())
			continue;
		if (loop_signalled())
			return err_set(e, ERR_IO, "interrupted");
	}
}

static int
client_done(struct client *c)
{
	return tls_engine_handshake_done(&c->tls);
}

/* Takes decrypted bytes into c->in; true when a whole line is there. */
static int
client_have_line(struct client *c)
{
	uint8_t *b, *nl;
	size_t n;

	if (c->in.len > 0 && c->in.data[c->in.len - 1] == '\n')
		return 1;
	while ((b = tls_engine_recvapp_buf(&c->tls, &n)) != NULL) {
		nl = memchr(b, '\n', n);
		if (nl != NULL)
			n = (size_t)(nl - b) + 1;
		buf_append(&c->in, b, n);
		tls_engine_recvapp_ack(&c->tls, n);
		if (nl != NULL)
			return 1;
		if (c->in.len > 1024 * 1024)
			return 1;	/* an endless line: cut it */
	}
	return 0;
}

static int
client_closed(struct client *c)
{
	size_t n;

	/* drain any data the server still sends */
	while (tls_engine_recvapp_buf(&c->tls, &n) != NULL)
		tls_engine_recvapp_ack(&c->tls, n);
	return (tls_engine_state(&c->tls) & TLS_CLOSED) != 0;
}

static int
client_can_send(struct client *c)
{
	return (tls_engine_state(&c->tls) & TLS_SENDAPP) != 0;
}

static int
client_send_line(struct client *c, const char *line, struct err *e)
{
	uint8_t *b;
	size_t n, len = strlen(line), off = 0;
	int64_t deadline = loop_now_ms() + 1000 * (int64_t)c->conf->timeout;

	if (client_line_check(len, e) == -1)
		return -1;
	while (off <= len) {
		b = tls_engine_sendapp_buf(&c->tls, &n);
		if (b == NULL && tls_engine_error(&c->tls) != NULL)
			return err_set(e, ERR_REFUSED, "%s",
			    tls_engine_error(&c->tls)->msg);
		if (b == NULL && !(tls_engine_state(&c->tls) & TLS_CLOSED)) {
			/* the engine's output is full: let it drain */
			if (client_wait(c, client_can_send, deadline,
			    "while sending a line", e) == -1)
				return -1;
			continue;
		}
		if (b == NULL)
			return err_set(e, ERR_REFUSED, "cannot send: the "
			    "server closed the connection");
		if (n > len + 1 - off)
			n = len + 1 - off;
		if (off + n > len) {
			memcpy(b, line + off, n - 1);
			b[n - 1] = '\n';
		} else
			memcpy(b, line + off, n);
		tls_engine_sendapp_ack(&c->tls, n);
		off += n;
	}
	tls_engine_flush(&c->tls);
	c->in.len = 0;
	if (client_wait(c, client_have_line, deadline,
	    "waiting for an answer", e) == -1)
		return -1;
	fwrite(c->in.data, 1, c->in.len, c->conf->out);
	if (c->in.data[c->in.len - 1] != '\n')
		fputc('\n', c->conf->out);
	fflush(c->conf->out);
	/* The server's status check refused us (server.h, peer_check):
	 * nothing more will be answered. */
	if (c->in.len > CLIENT_REFUSED_LEN && memcmp(c->in.data,
	    CLIENT_REFUSED, CLIENT_REFUSED_LEN) == 0)
		return err_set(e, ERR_REFUSED, "the server refused us: %.*s",
		    (int)(c->in.len - CLIENT_REFUSED_LEN - 1),
		    (const char *)c->in.data + CLIENT_REFUSED_LEN);
	return 0;
}

int
client_run(const struct client_conf *conf, struct err *e)
{
	struct client c;
	char *line = NULL;
	size_t i, cap = 0;
	ssize_t n;
	int rc = -1;

	memset(&c, 0, sizeof c);
	c.conf = conf;
	buf_init(&c.in);
	if (dialwait_connect(&conf->addr, conf->timeout, conf->wait, &c.fd,
	    e) == -1)
		return -1;
	tls_engine_init(&c.tls, conf->tls, (int64_t)time(NULL));
	if (client_wait(&c, client_done, loop_now_ms() + 1000 *
	    (int64_t)conf->timeout, "during the handshake", e) == -1)
		goto out;
	if (conf->log != NULL) {
		fprintf(conf->log, "connected: %s, %s; server %s\n",
		    tls_version_name(tls_engine_version(&c.tls)),
		    tls_suite_name(tls_engine_suite(&c.tls)),
		    tls_engine_resumed(&c.tls) ? "of the resumed session "
		    "(resumed)" : tls_engine_peer_subject(&c.tls));
		fflush(conf->log);
	}
	for (i = 0; i < conf->nlines; i++)
		if (client_send_line(&c, conf->lines[i], e) == -1)
			goto out;
	/* Lines of any length are read whole: client_send_line refuses
	 * what is too long instead of sending it in pieces. */
	if (conf->nlines == 0 && conf->in != NULL)
		while ((n = getline(&line, &cap, conf->in)) != -1) {
			while (n > 0 && (line[n - 1] == '\n' ||
			    line[n - 1] == '\r'))
				line[--n] = '\0';
			if (client_send_line(&c, line, e) == -1)
				goto out;
		}
	/* close_notify both ways, bounded in time; an alert the server sent
	 * meanwhile (it refused our certificate) is a failure. */
	tls_engine_close(&c.tls);
	err_clear(e);
	client_wait(&c, client_closed, loop_now_ms() + 2000, "closing", e);
	err_clear(e);
	if (c.tls.alert_rcvd >= 0) {
		err_set(e, ERR_REFUSED, "%s", tls_engine_error(&c.tls)->msg);
		goto out;
	}
	if (conf->session_out != NULL && tls_engine_session(&c.tls) != NULL)
		*conf->session_out = *tls_engine_session(&c.tls);
	rc = 0;
out:
	if (line != NULL) {
		explicit_bzero(line, cap);
		free(line);
	}
	close(c.fd);
	tls_engine_clear(&c.tls);
	buf_clear_secret(&c.in);
	return rc;
}

/* ---- the asynchronous session: the same steps, driven by the caller's
 * loop ---- */

struct client_session {
	const struct client_conf *conf;
	struct loop *loop;
	struct tls_engine tls;
	int fd;			/* -1 until connected and once over */
	struct addr_dial dial;	/* the connect in progress */
	int key;		/* its loop entry: fd, while connecting
				 * dial.fd or LOOP_TIMER(dial.fd); -1: none */
	int64_t dial_end;	/* when the connect times out */
	struct buf in;		/* answer being assembled */
	size_t pending;		/* answers awaited */
	int reported;		/* CLIENT_EV_HANDSHAKE sent */
	int closing;		/* client_close was called */
	int over;		/* CLIENT_EV_CLOSED sent */
};

static void
client_emit(struct client_session *s, enum client_event ev, const char *text)
{
	if (s->conf->event != NULL)
		s->conf->event(s->conf->event_ctx, ev, text);
}

/* Leaves the loop, closes the socket, drops a connect in progress. */
static void
client_unhook(struct client_session *s)
{
	if (s->key != -1)
		loop_remove(s->loop, s->key);
	s->key = -1;
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	addr_dial_clear(&s->dial);
}

static void
client_finish(struct client_session *s, const char *why)
{
	if (s->over)
		return;
	s->over = 1;
	client_unhook(s);
	client_emit(s, CLIENT_EV_CLOSED, why);
}

/* A deadline while something is awaited: the handshake, an answer, the
 * peer's close_notify. */
static void
client_timer(struct client_session *s, int64_t ms)
{
	int busy = !tls_engine_handshake_done(&s->tls) || s->pending > 0 ||
	    s->closing;

	loop_deadline(s->loop, s->fd, busy ? loop_now_ms() + ms : 0);
}

/* Hands out each whole answer line that has arrived. */
static void
client_answers(struct client_session *s)
{
	uint8_t *b, *nl;
	size_t n, take;

	while (!s->over && (b = tls_engine_recvapp_buf(&s->tls, &n)) != NULL) {
		nl = memchr(b, '\n', n);
		take = nl != NULL ? (size_t)(nl - b) + 1 : n;
		buf_append(&s->in, b, nl != NULL ? take - 1 : take);
		tls_engine_recvapp_ack(&s->tls, take);
		if (nl == NULL && s->in.len <= CLIENT_LINE_CUT)
			continue;
		if (s->in.len > 0 && s->in.data[s->in.len - 1] == '\r')
			s->in.len--;
		buf_putc(&s->in, '\0');
		if (s->pending > 0)
			s->pending--;
		client_emit(s, CLIENT_EV_ANSWER, (const char *)s->in.data);
		s->in.len = 0;
		if (s->pending == 0 && !s->over)
			client_timer(s, 1000 * (int64_t)s->conf->timeout);
	}
}

static void
client_session_event(void *ctx, int fd, unsigned ev)
{
	struct client_session *s = ctx;
	const struct err *te;
	struct err e;

	if (ev & LOOP_TIMEOUT) {
		if (s->closing)
			client_finish(s, NULL);	/* no close_notify back */
		else
			client_finish(s, !tls_engine_handshake_done(&s->tls) ?
			    "timed out during the handshake" :
			    "timed out waiting for an answer");
		return;
	}
	tls_engine_set_time(&s->tls, (int64_t)time(NULL));
	err_clear(&e);
	if (tlsio_pump(&s->tls, fd, &e) == -1 &&
	    tls_engine_error(&s->tls) == NULL) {
		client_finish(s, e.msg);
		return;
	}
	if (!s->reported && tls_engine_handshake_done(&s->tls)) {
		s->reported = 1;
		client_timer(s, 1000 * (int64_t)s->conf->timeout);
		client_emit(s, CLIENT_EV_HANDSHAKE,
		    tls_engine_peer_subject(&s->tls));
	}
	client_answers(s);
	if (s->over)
		return;
	if ((te = tls_engine_error(&s->tls)) != NULL) {
		/* let our alert go out before reporting */
		tlsio_pump(&s->tls, fd, &e);
		client_finish(s, te->msg);
		return;
	}
	if (tls_engine_state(&s->tls) & TLS_CLOSED) {
		client_finish(s, NULL);
		return;
	}
	loop_want(s->loop, fd, tlsio_events(&s->tls));
}

/* The connect is done: the engine takes over the socket. */
static void
client_connected(struct client_session *s, int fd)
{
	if (s->key != -1)
		loop_remove(s->loop, s->key);
	s->fd = s->key = fd;
	loop_add(s->loop, fd, tlsio_events(&s->tls), client_session_event, s);
	client_timer(s, 1000 * (int64_t)s->conf->timeout);
}

static void client_dial_event(void *, int, unsigned);

/* (Re)registers the connect in progress: its socket becoming writable,
 * or a pause before the next try, bounded by dial_end. */
static void
client_dial_watch(struct client_session *s)
{
	int64_t when = s->dial_end, now = loop_now_ms();

	if (s->key != -1)
		loop_remove(s->loop, s->key);
	if (s->dial.retry) {
		s->key = LOOP_TIMER(s->dial.fd);
		if (when > now + ADDR_DIAL_RETRY_MS)
			when = now + ADDR_DIAL_RETRY_MS;
		loop_add(s->loop, s->key, 0, client_dial_event, s);
	} else {
		s->key = s->dial.fd;
		loop_add(s->loop, s->key, LOOP_WRITE, client_dial_event, s);
	}
	loop_deadline(s->loop, s->key, when);
}

static void
client_dial_event(void *ctx, int fd, unsigned ev)
{
	struct client_session *s = ctx;
	struct err e;
	int rc, cfd;

	(void)fd;
	err_clear(&e);
	if (s->closing) {
		client_finish(s, NULL);
		return;
	}
	if ((ev & LOOP_TIMEOUT) && loop_now_ms() >= s->dial_end) {
		addr_dial_timeout(&s->dial, s->conf->timeout, &e);
		client_finish(s, e.msg);
		return;
	}
	rc = addr_dial_step(&s->dial, &cfd, &e);
	if (rc == -1)
		client_finish(s, e.msg);
	else if (rc == 1)
		client_dial_watch(s);
	else
		client_connected(s, cfd);
}

struct client_session *
client_start(const struct client_conf *conf, struct loop *l, struct err *e)
{
	struct client_session *s;
	int rc, fd;

	s = xcalloc(1, sizeof *s);
	s->conf = conf;
	s->loop = l;
	s->fd = s->key = -1;
	buf_init(&s->in);
	/* Not connected at once: the loop finishes the connect, bounded by
	 * conf->timeout; a failure then comes as CLIENT_EV_CLOSED. */
	if ((rc = addr_dial_start(&s->dial, &conf->addr, &fd, e)) == -1) {
		free(s);
		return NULL;
	}
	tls_engine_init(&s->tls, conf->tls, (int64_t)time(NULL));
	if (rc == 0)
		client_connected(s, fd);
	else {
		s->dial_end = loop_now_ms() + 1000 * (int64_t)conf->timeout;
		client_dial_watch(s);
	}
	return s;
}

int
client_send(struct client_session *s, const char *line, struct err *e)
{
	uint8_t *b;
	size_t n, len = strlen(line), off = 0;

	if (client_line_check(len, e) == -1)
		return -1;
	if (s->over)
		return err_set(e, ERR_REFUSED, "the connection is over");
	if (s->closing)
		return err_set(e, ERR_REFUSED, "the connection is closing");
	if (!tls_engine_handshake_done(&s->tls))
		return err_set(e, ERR_REFUSED, "the handshake is not done yet");
	while (off <= len) {
		b = tls_engine_sendapp_buf(&s->tls, &n);
		if (b == NULL)
			return err_set(e, ERR_REFUSED, "cannot send now: %s",
			    tls_engine_error(&s->tls) != NULL ?
			    tls_engine_error(&s->tls)->msg :
			    "the connection is closed or busy");
		if (n > len + 1 - off)
			n = len + 1 - off;
		if (off + n > len) {
			memcpy(b, line + off, n - 1);
			b[n - 1] = '\n';
		} else
			memcpy(b, line + off, n);
		tls_engine_sendapp_ack(&s->tls, n);
		off += n;
	}
	tls_engine_flush(&s->tls);
	s->pending++;
	client_timer(s, 1000 * (int64_t)s->conf->timeout);
	loop_want(s->loop, s->fd, tlsio_events(&s->tls));
	return 0;
}

void
client_close(struct client_session *s)
{
	if (s->over || s->closing)
		return;
	s->closing = 1;
	if (s->fd == -1) {
		/* still connecting: CLIENT_EV_CLOSED from the loop, now */
		loop_deadline(s->loop, s->key, loop_now_ms());
		return;
	}
	tls_engine_close(&s->tls);
	client_timer(s, 2000);
	loop_want(s->loop, s->fd, tlsio_events(&s->tls));
}

const struct tls_engine *
client_tls(const struct client_session *s)
{
	return &s->tls;
}

int
client_closed_done(const struct client_session *s)
{
	return s->over;
}

void
client_free(struct client_session *s)
{
	if (s == NULL)
		return;
	if (!s->over)
		client_unhook(s);
	tls_engine_clear(&s->tls);
	buf_clear_secret(&s->in);
	free(s);
}
