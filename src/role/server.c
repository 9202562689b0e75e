/* server.c — the line service and the server's connection driver. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/accept.h"
#include "net/linger.h"
#include "net/loop.h"
#include "net/tlsio.h"
#include "role/server.h"
#include "role/workers.h"
#include "util/xalloc.h"

struct server;

struct server_conn {
	struct server *srv;
	unsigned id;
	int fd;
	struct tls_engine tls;
	struct tls_config cfg;	/* the shared one, with our trace context */
	struct buf line;	/* input line being assembled */
	int quitting;
	int reported;		/* handshake outcome logged */
	int checked;		/* peer_check asked, service opened */
	void *svc;		/* conf->service's connection context */
	int lingering;		/* TLS is over; draining input before close */
};

struct server {
	struct server_conf *conf;
	struct loop *loop;
	int lfd;
	unsigned next_id;
	size_t nconns;		/* live TLS connections */
	size_t nlinger;		/* closed ones draining input */
	int paused;		/* accepting stopped for a while (EMFILE) */
	struct err *fatal;
	struct tls_ticket_keys tickets;	/* TLS 1.3 resumption, memory only */
};

void
server_answer(const char *line, const char *subject, int64_t now,
    struct buf *out, int *quit)
{
	struct tm tm;
	time_t tt = (time_t)now;
	char ts[32];

	*quit = 0;
	if (strcmp(line, "WHOAMI") == 0)
		buf_puts(out, subject != NULL ? subject : "anonymous");
	else if (strcmp(line, "ECHO") == 0)
		;
	else if (strncmp(line, "ECHO ", 5) == 0)
		buf_puts(out, line + 5);
	else if (strcmp(line, "TIME") == 0) {
		gmtime_r(&tt, &tm);
		strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
		buf_puts(out, ts);
	} else if (strcmp(line, "QUIT") == 0) {
		buf_puts(out, "BYE");
		*quit = 1;
	} else
		buf_printf(out, "ERR unknown command '%.40s' (commands: WHOAMI, "
		    "ECHO text, TIME, QUIT)", line);
}

size_t
server_line_take(struct buf *line, const uint8_t *b, size_t n, int *done)
{
	const uint8_t *nl = memchr(b, '\n', n);
	size_t used = nl != NULL ? (size_t)(nl - b) + 1 : n;

	buf_append(line, b, nl != NULL ? used - 1 : used);
	*done = nl != NULL || line->len > SERVER_MAX_LINE;
	return used;
}

void
server_line_answer(struct buf *line, const char *subject, int64_t now,
    struct buf *out, int *quit)
{
	if (line->len > SERVER_MAX_LINE) {
		buf_printf(out, "ERR line longer than %d bytes",
		    SERVER_MAX_LINE);
		*quit = 1;
	} else {
		buf_append(line, "", 0);	/* room for the NUL */
		if (line->len > 0 && line->data[line->len - 1] == '\r')
			line->len--;
		line->data[line->len] = '\0';
		server_answer((char *)line->data, subject, now, out, quit);
	}
	buf_putc(out, '\n');
	line->len = 0;
}

static void
server_log(struct server *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
server_log(struct server *s, const char *fmt, ...)
{
	va_list ap;
	char line[600];

	if (s->conf->log == NULL && s->conf->event == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (s->conf->log != NULL) {
		fprintf(s->conf->log, "%s\n", line);
		fflush(s->conf->log);
	}
	if (s->conf->event != NULL)
		s->conf->event(s->conf->cb_ctx, line);
}

static void
server_conn_trace(void *ctx, const char *line)
{
	struct server_conn *c = ctx;

	c->srv->conf->trace(c->srv->conf->cb_ctx, c->id, line);
}

static void
server_conn_keylog(void *ctx, const char *line)
{
	struct server_conn *c = ctx;

	c->srv->conf->keylog(c->srv->conf->cb_ctx, line);
}

static void
server_conn_svc_close(struct server_conn *c)
{
	if (c->svc != NULL)
		c->srv->conf->service->close(c->svc);
	c->svc = NULL;
}

static void
server_conn_free(struct server_conn *c)
{
	struct server *s = c->srv;

	loop_remove(s->loop, c->fd);
	close(c->fd);
	server_conn_svc_close(c);
	tls_engine_clear(&c->tls);
	buf_clear_secret(&c->line);
	if (c->lingering)
		s->nlinger--;
	else
		s->nconns--;
	free(c);
}

/* The TLS connection is over (its last records are sent): a lingering
 * close (net/linger.h), so that a reset does not destroy our alert before
 * the client reads it. */
static void
server_conn_close(struct server_conn *c)
{
	struct server *s = c->srv;
	const struct err *e = tls_engine_error(&c->tls);

	if (e != NULL)
		server_log(s, "connection %u: %s", c->id, e->msg);
	else
		server_log(s, "connection %u: closed", c->id);
	server_conn_svc_close(c);
	tls_engine_clear(&c->tls);
	buf_clear_secret(&c->line);
	/* Lingering costs only a descriptor, but not without bound. */
	if (s->nlinger >= SERVER_MAX_CONNS) {
		server_conn_free(c);
		return;
	}
	s->nconns--;
	s->nlinger++;
	c->lingering = 1;
	linger_start(s->loop, c->fd);
}

/* Queues out whole (the caller checked there is room to send). */
static void
server_conn_write(struct server_conn *c, const struct buf *out)
{
	uint8_t *b;
	size_t n, i;

	for (i = 0; i < out->len; ) {
		b = tls_engine_sendapp_buf(&c->tls, &n);
		if (b == NULL)
			break;
		if (n > out->len - i)
			n = out->len - i;
		memcpy(b, out->data + i, n);
		tls_engine_sendapp_ack(&c->tls, n);
		i += n;
	}
	tls_engine_flush(&c->tls);
}

static void
server_conn_report(struct server_conn *c)
{
	if (c->reported || !tls_engine_handshake_done(&c->tls))
		return;
	c->reported = 1;
	server_log(c->srv, "connection %u: %s handshake done (%s%s), client "
	    "%s", c->id, tls_version_name(tls_engine_version(&c->tls)),
	    tls_suite_name(tls_engine_suite(&c->tls)),
	    tls_engine_resumed(&c->tls) ? ", resumed" : "",
	    tls_engine_peer_subject(&c->tls) != NULL ?
	    tls_engine_peer_subject(&c->tls) : "anonymous");
}

/* Once the handshake is done, before any input: the peer's status, then
 * the service's context. 0 when the connection may go on. */
static int
server_conn_check(struct server_conn *c)
{
	struct server *s = c->srv;
	const char *subject = tls_engine_peer_subject(&c->tls);
	struct buf out;
	char why[400];

	if (c->checked || !tls_engine_handshake_done(&c->tls))
		return 0;
	server_conn_report(c);
	c->checked = 1;
	why[0] = '\0';
	if (s->conf->peer_check != NULL && subject != NULL &&
	    s->conf->peer_check(s->conf->peer_ctx, c->id, &c->tls, why,
	    sizeof why) != 0) {
		server_log(s, "connection %u: refused client %s: %s", c->id,
		    subject, why);
		buf_init(&out);
		buf_printf(&out, "ERR refused: %s\n", why);
		if (tls_engine_state(&c->tls) & TLS_SENDAPP)
			server_conn_write(c, &out);
		buf_clear(&out);
		c->quitting = 1;
		tls_engine_close(&c->tls);
		return -1;
	}
	if (why[0] != '\0')
		server_log(s, "connection %u: client %s: %s", c->id, subject,
		    why);
	if (s->conf->service != NULL)
		c->svc = s->conf->service->open(s->conf->service->sctx, c->id,
		    &c->tls);
	return 0;
}

/* Consumes decrypted input for another service than the line one. */
static int
server_conn_service(struct server_conn *c)
{
	const struct server_service *sv = c->srv->conf->service;
	struct buf out;
	uint8_t *b;
	size_t n;
	int quit = 0, any = 0;

	while ((b = tls_engine_recvapp_buf(&c->tls, &n)) != NULL) {
		if (c->quitting || c->svc == NULL) {
			tls_engine_recvapp_ack(&c->tls, n);
			continue;
		}
		if (!(tls_engine_state(&c->tls) & TLS_SENDAPP))
			break;
		buf_init(&out);
		sv->input(c->svc, b, n, &out, &quit);
		tls_engine_recvapp_ack(&c->tls, n);
		any = 1;
		server_conn_write(c, &out);
		buf_clear(&out);
		if (quit) {
			c->quitting = 1;
			tls_engine_close(&c->tls);
		}
	}
	return any;
}

/* Consumes decrypted input, answering complete lines. */
static int
server_conn_input(struct server_conn *c)
{
	uint8_t *b;
	size_t n, used;
	struct buf out;
	int quit, done, any = 0;

	server_conn_check(c);
	if (c->srv->conf->service != NULL)
		return server_conn_service(c);
	while ((b = tls_engine_recvapp_buf(&c->tls, &n)) != NULL) {
		if (c->quitting) {
			/* after QUIT: input is dropped */
			tls_engine_recvapp_ack(&c->tls, n);
			continue;
		}
		/* A line is taken only when its answer has room. */
		if (!(tls_engine_state(&c->tls) & TLS_SENDAPP))
			break;
		used = server_line_take(&c->line, b, n, &done);
		tls_engine_recvapp_ack(&c->tls, used);
		any = 1;
		if (!done)
			continue;
		buf_init(&out);
		server_line_answer(&c->line, tls_engine_peer_subject(&c->tls),
		    (int64_t)time(NULL), &out, &quit);
		server_conn_write(c, &out);
		buf_clear(&out);
		if (quit) {
			c->quitting = 1;
			tls_engine_close(&c->tls);
		}
	}
	return any;
}

static void
server_conn_event(void *ctx, int fd, unsigned ev)
{
	struct server_conn *c = ctx;
	struct server *s = c->srv;
	struct err e;
	int64_t now = loop_now_ms();

	if (c->lingering) {
		if (linger_drain(fd, ev))
			server_conn_free(c);
		return;
	}
	if (ev & LOOP_TIMEOUT) {
		server_log(s, "connection %u: timed out %s", c->id,
		    tls_engine_handshake_done(&c->tls) ? "(idle)" :
		    "during the handshake");
		if (!tls_engine_error(&c->tls)) {
			/* say goodbye, best effort, and go */
			tls_engine_close(&c->tls);
			tlsio_pump(&c->tls, fd, &e);
		}
		server_conn_free(c);
		return;
	}
	do {
		tls_engine_set_time(&c->tls, (int64_t)time(NULL));
		err_clear(&e);
		tlsio_pump(&c->tls, fd, &e);
	} while (server_conn_input(c));
	server_conn_report(c);
	if (tls_engine_state(&c->tls) & TLS_CLOSED) {
		server_conn_close(c);
		return;
	}
	if (ev & (LOOP_READ | LOOP_HUP))
		loop_deadline(s->loop, fd, now + 1000 *
		    (int64_t)(tls_engine_handshake_done(&c->tls) ?
		    s->conf->idle_timeout : s->conf->handshake_timeout));
	loop_want(s->loop, fd, tlsio_events(&c->tls));
}

static void
server_accept(void *ctx, int lfd, unsigned ev)
{
	struct server *s = ctx;
	struct server_conn *c;
	struct err e;
	int fd, paused;

	if (ev & LOOP_TIMEOUT)
		accept_resume(s->loop, lfd);
	while ((fd = accept_next(s->loop, lfd, NULL, &paused)) != -1) {
		s->paused = 0;
		if (s->nconns >= SERVER_MAX_CONNS || addr_nonblock(fd, &e)
		    == -1) {
			server_log(s, "refusing a connection: %s",
			    s->nconns >= SERVER_MAX_CONNS ? "too many" : e.msg);
			close(fd);
			continue;
		}
		c = xcalloc(1, sizeof *c);
		c->srv = s;
		c->id = ++s->next_id;
		c->fd = fd;
		c->cfg = *s->conf->tls;
		c->cfg.trace = s->conf->trace != NULL ? server_conn_trace :
		    NULL;
		c->cfg.keylog = s->conf->keylog != NULL ? server_conn_keylog :
		    NULL;
		c->cfg.cb_ctx = c;
		if (s->conf->ticket_share != NULL)
			ticket_share_get(s->conf->ticket_share, &s->tickets);
		else
			tls_ticket_keys_rotate(&s->tickets, (int64_t)time(NULL));
		/* A peer status check needs the client's certificate at
		 * every connection, which a resumed one does not send. */
		c->cfg.tickets = s->conf->peer_check != NULL ? NULL :
		    &s->tickets;
		buf_init(&c->line);
		tls_engine_init(&c->tls, &c->cfg, (int64_t)time(NULL));
		s->nconns++;
		loop_add(s->loop, fd, tlsio_events(&c->tls),
		    server_conn_event, c);
		loop_deadline(s->loop, fd, loop_now_ms() +
		    1000 * (int64_t)s->conf->handshake_timeout);
		server_log(s, "connection %u: accepted", c->id);
	}
	if (paused && !s->paused)
		server_log(s, "accept: %s (waiting)", strerror(errno));
	s->paused |= paused;
}

struct server *
server_start(struct server_conf *conf, struct loop *l, struct err *e)
{
	struct server *s;
	char name[400];

	s = xcalloc(1, sizeof *s);
	s->conf = conf;
	s->loop = l;
	tls_ticket_keys_init(&s->tickets, (int64_t)time(NULL), 0);
	if (conf->listen_given)
		s->lfd = conf->listen_fd;
	else if (addr_listen(&conf->addr, &s->lfd, e) == -1) {
		free(s);
		return NULL;
	}
	loop_add(l, s->lfd, LOOP_READ, server_accept, s);
	addr_format(&conf->addr, name, sizeof name);
	if (conf->ready != NULL)
		conf->ready(conf->ready_ctx, name);
	return s;
}

void
server_stop(struct server *s)
{
	struct err pe;
	size_t i;

	if (s == NULL)
		return;
	/* Close every connection of ours, then the listener. */
	for (i = 0; i < s->loop->n; i++) {
		struct loop_ent *le = &s->loop->v[i];
		struct server_conn *c;

		if (le->fd == -1 || le->fn != server_conn_event)
			continue;
		c = le->ctx;
		if (c->srv != s)
			continue;
		if (!c->lingering) {
			tls_engine_close(&c->tls);
			tlsio_pump(&c->tls, c->fd, &pe);
		}
		server_conn_free(c);
	}
	loop_remove(s->loop, s->lfd);
	close(s->lfd);
	if (s->conf->addr.unix_path && !s->conf->listen_given)
		unlink(s->conf->addr.path);
	server_log(s, "stopped");
	tls_ticket_keys_clear(&s->tickets);
	free(s);
}

int
server_run(struct server_conf *conf, struct err *e)
{
	struct server *s;
	struct loop l;
	int rc = 0;

	loop_init(&l);
	if ((s = server_start(conf, &l, e)) == NULL) {
		loop_clear(&l);
		return -1;
	}
	while (!loop_signalled())
		if (loop_once(&l, -1, e) == -1) {
			rc = -1;
			break;
		}
	server_stop(s);
	loop_clear(&l);
	return rc;
}
