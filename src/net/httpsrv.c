/* httpsrv.c — the HTTP server on the poll loop; see httpsrv.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/accept.h"
#include "net/httpsrv.h"
#include "net/linger.h"
#include "net/tlsio.h"
#include "util/xalloc.h"

struct httpsrv_lsn {
	struct httpsrv *srv;
	size_t idx;
	int fd;
	int paused;		/* accepting stopped for a while (EMFILE) */
};

struct httpsrv_conn {
	struct httpsrv *srv;
	struct httpsrv_conn *prev, *next;
	int fd;
	struct httpsrv_peer peer;
	struct buf body;	/* peer.body */
	int tls_on;		/* tls is live */
	struct tls_engine tls;
	struct tls_config cfg;	/* the listener's, with our hooks */
	int http_on;		/* http is live */
	struct http_conn http;
	/* Plain: bytes read and not yet fed (a pipelined request waits
	 * here); TLS keeps them in the engine instead. */
	uint8_t in[TLS_MAX_PLAIN];
	size_t in_off, in_len;
	int eof;		/* plain: the peer ended its stream */
	/* Answer bytes not yet sent (plain) or not yet in the engine. */
	struct buf out;
	size_t out_off;
	int continued;		/* 100 Continue sent for this request */
	int pending;		/* the handler answers later */
	int closing;		/* send what is queued, then linger */
	int lingering;		/* write side shut, draining input */
	int64_t start_ms;	/* accepted */
	int64_t req_ms;		/* first byte of this request; 0: none */
	int64_t pend_ms;	/* the handler said pending */
	int64_t active_ms;	/* last answer (idle from here) */
	int64_t wrote_ms;	/* output last moved */
	int64_t win_ms;		/* the current second of the rate */
	unsigned win_n;		/* requests taken in it */
	int throttled;		/* waiting for the next second */
};

struct httpsrv {
	struct httpsrv_conf *conf;
	struct loop *loop;
	struct httpsrv_lsn *lsn;
	size_t nlsn;
	struct httpsrv_conn *conns;
	unsigned next_id;
	size_t nconns, nlinger;
	size_t max_conns, max_out;
	int handshake_ms, idle_ms, request_ms, write_ms;
	unsigned max_rate;
};

static void
httpsrv_logv(struct httpsrv *s, const struct httpsrv_log *rec,
    const char *fmt, va_list ap)
{
	char line[700];

	vsnprintf(line, sizeof line, fmt, ap);
	s->conf->log(s->conf->ctx, rec, line);
}

static void
httpsrv_logrec(struct httpsrv *s, const struct httpsrv_log *rec,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
httpsrv_logrec(struct httpsrv *s, const struct httpsrv_log *rec,
    const char *fmt, ...)
{
	va_list ap;

	if (s->conf->log == NULL)
		return;
	va_start(ap, fmt);
	httpsrv_logv(s, rec, fmt, ap);
	va_end(ap);
}

#define httpsrv_event(s, ...) httpsrv_logrec((s), NULL, __VA_ARGS__)

/* The log line of one answer (or refusal). The path is the engine's,
 * bytes 0x21..0x7e only; it is cut at 256. */
static void
httpsrv_conn_logreq(struct httpsrv_conn *c, const char *method,
    const char *path, int status, size_t bytes, const char *why)
{
	struct httpsrv_log rec;

	rec.peer = &c->peer;
	rec.method = method;
	rec.path = path;
	rec.status = status;
	rec.bytes = bytes;
	rec.ms = c->req_ms != 0 ? loop_now_ms() - c->req_ms : 0;
	rec.why = why;
	httpsrv_logrec(c->srv, &rec, "%s %s%s%s %s %.256s %d %zu %lldms%s%s%s",
	    c->peer.addr, c->peer.subject != NULL ? "\"" : "",
	    c->peer.subject != NULL ? c->peer.subject : "-",
	    c->peer.subject != NULL ? "\"" : "", method, path, status, bytes,
	    (long long)rec.ms, why != NULL ? " (" : "", why != NULL ? why : "",
	    why != NULL ? ")" : "");
}

static void
httpsrv_conn_trace(void *ctx, const char *line)
{
	struct httpsrv_conn *c = ctx;

	c->srv->conf->trace(c->srv->conf->ctx, c->peer.id, line);
}

static void
httpsrv_conn_keylog(void *ctx, const char *line)
{
	struct httpsrv_conn *c = ctx;

	c->srv->conf->keylog(c->srv->conf->ctx, line);
}

/* Frees what the connection holds besides its descriptor. */
static void
httpsrv_conn_release(struct httpsrv_conn *c)
{
	if (c->tls_on)
		tls_engine_clear(&c->tls);
	if (c->http_on)
		http_conn_clear(&c->http);
	c->tls_on = c->http_on = 0;
	buf_clear(&c->body);
	buf_clear(&c->out);
	c->out_off = 0;
	c->peer.subject = NULL;
	c->peer.chain = NULL;
}

static void
httpsrv_conn_free(struct httpsrv_conn *c)
{
	struct httpsrv *s = c->srv;

	loop_remove(s->loop, c->fd);
	close(c->fd);
	httpsrv_conn_release(c);
	if (c->lingering)
		s->nlinger--;
	else
		s->nconns--;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	free(c);
}

/* Everything is sent: a lingering close (net/linger.h). */
static void
httpsrv_conn_linger(struct httpsrv_conn *c)
{
	struct httpsrv *s = c->srv;

	/* Lingering costs only a descriptor, but not without bound. */
	if (s->nlinger >= s->max_conns) {
		httpsrv_conn_free(c);
		return;
	}
	httpsrv_conn_release(c);
	s->nconns--;
	s->nlinger++;
	c->lingering = 1;
	linger_start(s->loop, c->fd);
}

/* Bytes of answer not yet on the wire. */
static size_t
httpsrv_conn_unsent(struct httpsrv_conn *c)
{
	size_t n = c->out.len - c->out_off, r = 0;

	if (c->tls_on)
		(void)tls_engine_sendrec_buf(&c->tls, &r);
	return n + r;
}

/* Before bytes are queued: the write timeout runs from when there is
 * something to send, not from an answer long sent. */
static void
httpsrv_conn_queue(struct httpsrv_conn *c)
{
	if (httpsrv_conn_unsent(c) == 0)
		c->wrote_ms = loop_now_ms();
}

/* Moves queued answer bytes on: plain to the socket, TLS into the engine
 * and the engine's records to the socket (which also reads what records
 * the engine has room for). -1 when the socket failed. */
static int
httpsrv_conn_flush(struct httpsrv_conn *c)
{
	struct err e;
	uint8_t *b;
	size_t n, before, after;
	ssize_t r;

	before = httpsrv_conn_unsent(c);
	if (c->tls_on) {
		do {
			n = 0;
			while (c->out_off < c->out.len &&
			    (tls_engine_state(&c->tls) & TLS_SENDAPP) &&
			    (b = tls_engine_sendapp_buf(&c->tls, &n)) != NULL) {
				if (n > c->out.len - c->out_off)
					n = c->out.len - c->out_off;
				memcpy(b, c->out.data + c->out_off, n);
				tls_engine_sendapp_ack(&c->tls, n);
				c->out_off += n;
			}
			tls_engine_flush(&c->tls);
			if (tlsio_pump(&c->tls, c->fd, &e) == -1)
				return -1;
			/* the engine took some and sent it: room again */
		} while (n > 0 && c->out_off < c->out.len &&
		    (tls_engine_state(&c->tls) & TLS_SENDAPP));
	} else {
		while (c->out_off < c->out.len) {
			r = send(c->fd, c->out.data + c->out_off,
			    c->out.len - c->out_off, MSG_NOSIGNAL);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					break;
				return -1;
			}
			c->out_off += (size_t)r;
		}
	}
	if (c->out_off == c->out.len)
		c->out.len = c->out_off = 0;
	after = httpsrv_conn_unsent(c);
	if (after < before)
		c->wrote_ms = loop_now_ms();
	return 0;
}

/* The bytes waiting to be fed, reading the socket when none are left
 * (plain); NULL when there are none now. */
static const uint8_t *
httpsrv_conn_input(struct httpsrv_conn *c, size_t *n)
{
	ssize_t r;

	if (c->tls_on)
		return tls_engine_recvapp_buf(&c->tls, n);
	if (c->in_off == c->in_len && !c->eof) {
		c->in_off = c->in_len = 0;
		r = read(c->fd, c->in, sizeof c->in);
		if (r > 0)
			c->in_len = (size_t)r;
		else if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR))
			c->eof = 1;
	}
	*n = c->in_len - c->in_off;
	return *n > 0 ? c->in + c->in_off : NULL;
}

static void
httpsrv_conn_consume(struct httpsrv_conn *c, size_t n)
{
	if (c->tls_on)
		tls_engine_recvapp_ack(&c->tls, n);
	else
		c->in_off += n;
}

/* Queues the answer to the current request and goes on to the next. */
static void
httpsrv_conn_answer(struct httpsrv_conn *c, const struct httpresp *r)
{
	const struct http_request *q = &c->http.req;
	struct httpresp a = *r;
	struct err e;
	size_t mark = c->out.len;
	const char *why = NULL;

	httpsrv_conn_queue(c);
	if (!q->keep_alive)
		a.close = 1;
	a.http10 = q->version == 10;
	a.head = q->method == HTTP_M_HEAD;
	if (a.date == 0)
		a.date = (int64_t)time(NULL);
	if (httpresp_write(&a, &c->out, &e) == -1) {
		c->out.len = mark;
		why = e.msg;
		a.status = 500;
		a.body_len = strlen("500 Internal Server Error\n");
		httpresp_error(500, a.close, &c->out);
	}
	httpsrv_conn_logreq(c, q->method_name, q->path, a.status,
	    a.head ? 0 : a.body_len, why);
	c->req_ms = 0;
	c->continued = 0;
	c->active_ms = loop_now_ms();
	if (http_conn_next(&c->http) == HTTP_S_CLOSED || a.close)
		c->closing = 1;
}

/* The engine's refusal (or our 408 or 503): answered, then closed. */
static void
httpsrv_conn_refuse(struct httpsrv_conn *c, int status, const char *why)
{
	char body[64];

	httpsrv_conn_queue(c);
	httpresp_error(status, 1, &c->out);
	httpsrv_conn_logreq(c, "-", "-", status, (size_t)snprintf(body,
	    sizeof body, "%d %s\n", status, httpresp_reason(status)), why);
	c->req_ms = 0;
	c->closing = 1;
}

static void
httpsrv_conn_request(struct httpsrv_conn *c)
{
	struct httpsrv *s = c->srv;
	struct httpresp r;

	memset(&r, 0, sizeof r);
	c->body.len = 0;
	if (s->conf->handler(s->conf->ctx, &c->http.req, &c->peer, &r) ==
	    HTTPSRV_PENDING) {
		c->pending = 1;
		c->pend_ms = loop_now_ms();
		return;
	}
	httpsrv_conn_answer(c, &r);
}

/* An HTTP/1.1 request whose head is read and whose body is still to come
 * is told to go on (RFC 7231 6.2.1; a client must accept a 1xx it did
 * not ask for): curl otherwise waits a second before sending a body of
 * more than 1 KiB with "Expect: 100-continue", a header the engine does
 * not keep. */
static void
httpsrv_conn_continue(struct httpsrv_conn *c)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

	if (c->continued || !c->http.headers_done ||
	    c->http.req.version != 11 || c->http.req.content_length == 0 ||
	    c->http.body.len >= c->http.req.content_length)
		return;
	c->continued = 1;
	httpsrv_conn_queue(c);
	buf_append(&c->out, cont, sizeof cont - 1);
}

/* The TLS connection ended (an error, the peer's close_notify, or ours
 * answered): say why when it matters, then linger. */
static void
httpsrv_conn_tls_end(struct httpsrv_conn *c)
{
	const struct err *e = tls_engine_error(&c->tls);

	if (e != NULL && !tls_engine_handshake_done(&c->tls))
		httpsrv_event(c->srv, "%s: TLS handshake failed: %s",
		    c->peer.addr, e->msg);
	else if (e != NULL && http_conn_state(&c->http) == HTTP_S_READING)
		httpsrv_event(c->srv, "%s: in the middle of a request: %s",
		    c->peer.addr, e->msg);
	httpsrv_conn_linger(c);
}

/* The wait that applies now, and the events wanted. */
static void
httpsrv_conn_schedule(struct httpsrv_conn *c)
{
	struct httpsrv *s = c->srv;
	unsigned want;
	int64_t d;

	if (c->tls_on && !tls_engine_handshake_done(&c->tls))
		d = c->start_ms + s->handshake_ms;
	else if (httpsrv_conn_unsent(c) > 0)
		d = c->wrote_ms + s->write_ms;
	else if (c->pending)
		d = c->pend_ms + s->request_ms;
	else if (c->throttled)
		d = c->win_ms + 1000;
	else if (c->req_ms != 0)
		d = c->req_ms + s->request_ms;
	else
		d = c->active_ms + s->idle_ms;
	if (c->tls_on)
		want = tlsio_events(&c->tls);
	else {
		want = httpsrv_conn_unsent(c) > 0 ? LOOP_WRITE : 0;
		if (!c->eof && !c->pending && !c->closing &&
		    c->in_off == c->in_len &&
		    c->out.len - c->out_off <= s->max_out)
			want |= LOOP_READ;
	}
	loop_want(s->loop, c->fd, want);
	loop_deadline(s->loop, c->fd, d);
}

/* Before a request's first byte is taken: 1 when max_rate requests were
 * taken in this second already (the bytes wait for the next). */
static int
httpsrv_conn_throttle(struct httpsrv_conn *c)
{
	int64_t now = loop_now_ms();

	if (now - c->win_ms >= 1000) {
		c->win_ms = now;
		c->win_n = 0;
	}
	c->throttled = c->win_n >= c->srv->max_rate;
	if (!c->throttled)
		c->win_n++;
	return c->throttled;
}

/* Moves bytes and answers requests until nothing more can be done now.
 * The connection may be freed or lingering afterwards. */
static void
httpsrv_conn_run(struct httpsrv_conn *c)
{
	struct httpsrv *s = c->srv;
	enum http_state st;
	const uint8_t *p;
	size_t n, used;

	for (;;) {
		if (httpsrv_conn_flush(c) == -1) {
			httpsrv_conn_free(c);
			return;
		}
		if (c->tls_on) {
			if (tls_engine_state(&c->tls) & TLS_CLOSED) {
				httpsrv_conn_tls_end(c);
				return;
			}
			if (!tls_engine_handshake_done(&c->tls))
				break;
			if (c->peer.subject == NULL &&
			    tls_engine_peer_subject(&c->tls) != NULL) {
				c->peer.subject =
				    tls_engine_peer_subject(&c->tls);
				c->peer.chain = &c->tls.peer_chain;
			}
		}
		if (c->closing) {
			if (httpsrv_conn_unsent(c) > 0)
				break;
			if (c->tls_on && !c->tls.close_sent) {
				tls_engine_close(&c->tls);
				continue;
			}
			httpsrv_conn_linger(c);
			return;
		}
		if (c->pending || c->out.len - c->out_off > s->max_out)
			break;
		if ((p = httpsrv_conn_input(c, &n)) == NULL) {
			if (!c->eof)
				break;
			st = http_conn_eof(&c->http);
		} else {
			if (c->req_ms == 0 && httpsrv_conn_throttle(c))
				break;
			if (c->req_ms == 0)
				c->req_ms = loop_now_ms();
			st = http_conn_feed(&c->http, p, n, &used);
			httpsrv_conn_consume(c, used);
		}
		switch (st) {
		case HTTP_S_IDLE:
			c->req_ms = 0;
			break;
		case HTTP_S_READING:
			httpsrv_conn_continue(c);
			break;
		case HTTP_S_REQUEST:
			httpsrv_conn_request(c);
			break;
		case HTTP_S_ERROR:
			httpsrv_conn_refuse(c, c->http.status,
			    c->http.error.msg);
			break;
		case HTTP_S_CLOSED:
			c->closing = 1;
			break;
		}
	}
	httpsrv_conn_schedule(c);
}

static void
httpsrv_conn_timeout(struct httpsrv_conn *c)
{
	struct httpsrv *s = c->srv;
	struct httpresp r;
	struct err e;

	if (c->tls_on && !tls_engine_handshake_done(&c->tls)) {
		httpsrv_event(s, "%s: TLS handshake timed out after %d ms",
		    c->peer.addr, s->handshake_ms);
		tls_engine_close(&c->tls);
		(void)tlsio_pump(&c->tls, c->fd, &e);
		httpsrv_conn_free(c);
		return;
	}
	if (httpsrv_conn_unsent(c) > 0) {
		httpsrv_event(s, "%s: does not read its answer: closed after "
		    "%d ms", c->peer.addr, s->write_ms);
		httpsrv_conn_free(c);
		return;
	}
	if (c->pending) {
		memset(&r, 0, sizeof r);
		r.status = 503;
		r.close = 1;
		c->pending = 0;
		httpsrv_conn_answer(c, &r);
	} else if (c->throttled)
		c->throttled = 0;	/* the next second has begun */
	else if (c->req_ms != 0 && http_conn_timeout(&c->http) ==
	    HTTP_S_ERROR) {
		httpsrv_conn_refuse(c, c->http.status, c->http.error.msg);
	} else
		c->closing = 1;		/* idle */
	httpsrv_conn_run(c);
}

static void
httpsrv_conn_event(void *ctx, int fd, unsigned ev)
{
	struct httpsrv_conn *c = ctx;

	(void)fd;
	if (c->lingering) {
		if (linger_drain(c->fd, ev))
			httpsrv_conn_free(c);
		return;
	}
	/* POLLHUP: the peer is gone both ways (or reset); nothing we send
	 * can reach it, and poll would report it again and again. */
	if (ev & LOOP_HUP) {
		httpsrv_conn_free(c);
		return;
	}
	if (ev & LOOP_TIMEOUT) {
		httpsrv_conn_timeout(c);
		return;
	}
	if (c->tls_on)
		tls_engine_set_time(&c->tls, (int64_t)time(NULL));
	httpsrv_conn_run(c);
}

/* "unix", "127.0.0.1:40312" or "[::1]:40312". */
static void
httpsrv_peer_name(const struct sockaddr_storage *ss, char *out, size_t n)
{
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
	char ip[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET &&
	    inet_ntop(AF_INET, &in4->sin_addr, ip, sizeof ip) != NULL)
		snprintf(out, n, "%s:%u", ip, ntohs(in4->sin_port));
	else if (ss->ss_family == AF_INET6 &&
	    inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip) != NULL)
		snprintf(out, n, "[%s]:%u", ip, ntohs(in6->sin6_port));
	else
		snprintf(out, n, "unix");
}

static void
httpsrv_conn_new(struct httpsrv_lsn *l, int fd,
    const struct sockaddr_storage *ss)
{
	struct httpsrv *s = l->srv;
	const struct httpsrv_listen *lc = &s->conf->listen[l->idx];
	struct httpsrv_conn *c;

	c = xcalloc(1, sizeof *c);
	c->srv = s;
	c->fd = fd;
	c->peer.id = ++s->next_id;
	c->peer.listener = l->idx;
	httpsrv_peer_name(ss, c->peer.addr, sizeof c->peer.addr);
	buf_init(&c->body);
	buf_init(&c->out);
	c->peer.body = &c->body;
	http_conn_init(&c->http, &s->conf->limits);
	c->http_on = 1;
	if (lc->tls != NULL) {
		c->cfg = *lc->tls;
		c->cfg.trace = s->conf->trace != NULL ? httpsrv_conn_trace :
		    NULL;
		c->cfg.keylog = s->conf->keylog != NULL ?
		    httpsrv_conn_keylog : NULL;
		c->cfg.cb_ctx = c;
		tls_engine_init(&c->tls, &c->cfg, (int64_t)time(NULL));
		c->tls_on = 1;
		c->peer.tls = 1;
	}
	c->start_ms = c->active_ms = c->wrote_ms = loop_now_ms();
	c->next = s->conns;
	if (s->conns != NULL)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	loop_add(s->loop, fd, LOOP_READ, httpsrv_conn_event, c);
	httpsrv_conn_schedule(c);
}

static void
httpsrv_accept(void *ctx, int lfd, unsigned ev)
{
	struct httpsrv_lsn *l = ctx;
	struct httpsrv *s = l->srv;
	struct sockaddr_storage ss;
	struct err e;
	char name[64];
	int fd, paused;

	if (ev & LOOP_TIMEOUT)
		accept_resume(s->loop, lfd);
	while ((fd = accept_next(s->loop, lfd, &ss, &paused)) != -1) {
		l->paused = 0;
		if (s->nconns >= s->max_conns || addr_nonblock(fd, &e) == -1) {
			httpsrv_peer_name(&ss, name, sizeof name);
			httpsrv_event(s, "%s: refused: %s", name,
			    s->nconns >= s->max_conns ? "too many connections" :
			    e.msg);
			close(fd);
			continue;
		}
		httpsrv_conn_new(l, fd, &ss);
	}
	if (paused && !l->paused)
		httpsrv_event(s, "accept: %s (waiting)", strerror(errno));
	l->paused |= paused;
}

static int
httpsrv_def(int v, int def)
{
	return v > 0 ? v : def;
}

/* Closes the listeners; unlinks the Unix socket files of those listening. */
static void
httpsrv_close_listeners(struct httpsrv *s)
{
	size_t i;

	for (i = 0; i < s->nlsn; i++) {
		loop_remove(s->loop, s->lsn[i].fd);
		close(s->lsn[i].fd);
		if (s->conf->listen[i].addr.unix_path)
			unlink(s->conf->listen[i].addr.path);
	}
	s->nlsn = 0;
}

struct httpsrv *
httpsrv_start(struct httpsrv_conf *conf, struct loop *l, struct err *e)
{
	struct httpsrv *s;
	char name[400];
	size_t i;

	s = xcalloc(1, sizeof *s);
	s->conf = conf;
	s->loop = l;
	s->max_conns = conf->max_conns > 0 ? conf->max_conns :
	    HTTPSRV_DEF_MAX_CONNS;
	s->max_out = conf->max_out > 0 ? conf->max_out :
	    HTTPSRV_DEF_MAX_OUT;
	s->handshake_ms = httpsrv_def(conf->handshake_ms,
	    HTTPSRV_DEF_HANDSHAKE_MS);
	s->idle_ms = httpsrv_def(conf->idle_ms, HTTPSRV_DEF_IDLE_MS);
	s->request_ms = httpsrv_def(conf->request_ms, HTTPSRV_DEF_REQUEST_MS);
	s->write_ms = httpsrv_def(conf->write_ms, HTTPSRV_DEF_WRITE_MS);
	s->max_rate = conf->max_rate > 0 ? conf->max_rate :
	    HTTPSRV_DEF_MAX_RATE;
	if (conf->nlisten == 0 || conf->handler == NULL) {
		free(s);
		err_set(e, ERR_USAGE, "HTTP server: no %s",
		    conf->nlisten == 0 ? "address to listen on" : "handler");
		return NULL;
	}
	s->lsn = xcalloc(conf->nlisten, sizeof *s->lsn);
	for (i = 0; i < conf->nlisten; i++) {
		if (addr_listen(&conf->listen[i].addr, &s->lsn[i].fd, e) ==
		    -1) {
			httpsrv_close_listeners(s);
			free(s->lsn);
			free(s);
			return NULL;
		}
		s->lsn[i].srv = s;
		s->lsn[i].idx = i;
		s->nlsn = i + 1;
	}
	for (i = 0; i < s->nlsn; i++) {
		loop_add(l, s->lsn[i].fd, LOOP_READ, httpsrv_accept,
		    &s->lsn[i]);
		addr_format(&conf->listen[i].addr, name, sizeof name);
		if (conf->ready != NULL)
			conf->ready(conf->ctx, i, name);
	}
	return s;
}

int
httpsrv_answer(struct httpsrv *s, unsigned id, const struct httpresp *r)
{
	struct httpsrv_conn *c;

	for (c = s->conns; c != NULL; c = c->next)
		if (c->peer.id == id && !c->lingering)
			break;
	if (c == NULL || !c->pending)
		return -1;
	c->pending = 0;
	httpsrv_conn_answer(c, r);
	httpsrv_conn_run(c);
	return 0;
}

size_t
httpsrv_conns(const struct httpsrv *s)
{
	return s->nconns;
}

void
httpsrv_stop(struct httpsrv *s)
{
	struct err pe;

	if (s == NULL)
		return;
	while (s->conns != NULL) {
		if (s->conns->tls_on) {
			tls_engine_close(&s->conns->tls);
			(void)tlsio_pump(&s->conns->tls, s->conns->fd, &pe);
		}
		httpsrv_conn_free(s->conns);
	}
	httpsrv_close_listeners(s);
	free(s->lsn);
	free(s);
}
