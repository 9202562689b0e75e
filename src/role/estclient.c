/* estclient.c — the service's address and one HTTP connection over our
 * TLS or plain, driven blocking with poll; see estclient.h. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/httpresp.h"
#include "net/loop.h"
#include "net/tlsio.h"
#include "role/estclient.h"

int
estclient_target_parse(struct estclient_target *t, const char *text,
    struct err *e)
{
	char buf[300];
	const char *hp;
	size_t n;

	memset(t, 0, sizeof *t);
	if (strncasecmp(text, "http://", 7) == 0) {
		/* http://HOST:PORT[/]: the same host and port as tcp: */
		hp = text + 7;
		n = strcspn(hp, "/");
		if (hp[n] != '\0' && strcmp(hp + n, "/") != 0)
			return err_set(e, ERR_USAGE, "%s: give the service's "
			    "address without a path (http://HOST:PORT)", text);
		if (n == 0 || n + 5 > sizeof buf || memchr(hp, ':', n) == NULL
		    || hp[n - 1] == ':' || hp[n - 1] == ']')
			return err_set(e, ERR_USAGE, "%s: expected "
			    "http://HOST:PORT", text);
		snprintf(buf, sizeof buf, "tcp:%.*s", (int)n, hp);
		if (addr_parse(&t->addr, buf, e) == -1)
			return -1;
		t->tls = 0;
	} else {
		if (addr_parse(&t->addr, text, e) == -1)
			return -1;
		t->tls = 1;
	}
	if (t->addr.unix_path)
		snprintf(t->host, sizeof t->host, "localhost");
	else
		snprintf(t->host, sizeof t->host, "%s", t->addr.host);
	return 0;
}

void
estclient_conn_init(struct estclient_conn *c, const struct estclient_target *t,
    const struct tls_config *tls, int timeout)
{
	memset(c, 0, sizeof *c);
	c->t = t;
	c->tls = tls;
	c->timeout = timeout;
	c->fd = -1;
	httpcli_init(&c->http, NULL, 0);
	buf_init(&c->out);
}

static void
estclient_drop(struct estclient_conn *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	if (c->tls_on)
		tls_engine_clear(&c->eng);
	c->tls_on = 0;
	c->reused = 0;
	c->eof = 0;
}

void
estclient_conn_close(struct estclient_conn *c)
{
	size_t n;
	int64_t end = loop_now_ms() + 1000;
	struct pollfd p;
	struct err e;

	/* close_notify, and a moment for it to leave */
	if (c->tls_on && c->fd != -1 && !(tls_engine_state(&c->eng) &
	    TLS_CLOSED)) {
		tls_engine_close(&c->eng);
		while (tls_engine_sendrec_buf(&c->eng, &n) != NULL &&
		    loop_now_ms() < end) {
			if (tlsio_pump(&c->eng, c->fd, &e) == -1)
				break;
			p.fd = c->fd;
			p.events = POLLOUT;
			if (poll(&p, 1, 100) == -1 && errno != EINTR)
				break;
		}
	}
	estclient_drop(c);
	httpcli_clear(&c->http);
	buf_clear_secret(&c->out);
}

/* One round of non-blocking I/O: request bytes out, answer bytes in (to
 * the response reader while one is awaited). */
static int
estclient_io(struct estclient_conn *c, int reading, struct err *e)
{
	uint8_t *b, tmp[16384];
	size_t n, used;
	ssize_t r;

	if (c->tls_on) {
		while (c->out_off < c->out.len &&
		    (b = tls_engine_sendapp_buf(&c->eng, &n)) != NULL) {
			if (n > c->out.len - c->out_off)
				n = c->out.len - c->out_off;
			memcpy(b, c->out.data + c->out_off, n);
			tls_engine_sendapp_ack(&c->eng, n);
			c->out_off += n;
			tls_engine_flush(&c->eng);
		}
		tls_engine_set_time(&c->eng, (int64_t)time(NULL));
		if (tlsio_pump(&c->eng, c->fd, e) == -1 &&
		    tls_engine_error(&c->eng) == NULL)
			return -1;
		while (reading && c->http.state == HTTPCLI_S_READING &&
		    (b = tls_engine_recvapp_buf(&c->eng, &n)) != NULL) {
			httpcli_feed(&c->http, b, n, &used);
			/* bytes past the answer are not ours to read */
			tls_engine_recvapp_ack(&c->eng, n);
		}
		if (tls_engine_state(&c->eng) & TLS_CLOSED)
			c->eof = 1;
		return 0;
	}
	while (c->out_off < c->out.len) {
		r = send(c->fd, c->out.data + c->out_off,
		    c->out.len - c->out_off, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (r < 0)
			return err_set(e, ERR_IO, "send: %s", strerror(errno));
		c->out_off += (size_t)r;
	}
	while (reading && c->http.state == HTTPCLI_S_READING && !c->eof) {
		r = read(c->fd, tmp, sizeof tmp);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (r < 0 && errno == ECONNRESET)
			r = 0;	/* as an end: the answer says what is missing */
		if (r < 0)
			return err_set(e, ERR_IO, "read: %s", strerror(errno));
		if (r == 0)
			c->eof = 1;
		else
			httpcli_feed(&c->http, tmp, (size_t)r, &used);
	}
	return 0;
}

enum { ESTCLIENT_HANDSHAKE, ESTCLIENT_ANSWER };

/* Runs I/O until the handshake is done or the answer is read (or fails),
 * at most until deadline. */
static int
estclient_wait(struct estclient_conn *c, int what, int64_t deadline,
    const char *label, struct err *e)
{
	const struct err *te;
	struct pollfd p;
	unsigned ev;
	int64_t left;

	for (;;) {
		if (estclient_io(c, what == ESTCLIENT_ANSWER, e) == -1)
			return -1;
		if (what == ESTCLIENT_HANDSHAKE && c->tls_on &&
		    tls_engine_handshake_done(&c->eng))
			return 0;
		if (what == ESTCLIENT_ANSWER) {
			if (c->http.state == HTTPCLI_S_DONE)
				return 0;
			if (c->http.state == HTTPCLI_S_ERROR) {
				*e = c->http.error;
				return -1;
			}
		}
		if (c->tls_on && (te = tls_engine_error(&c->eng)) != NULL) {
			/* our alert goes out before the report */
			tlsio_pump(&c->eng, c->fd, e);
			return err_set(e, ERR_REFUSED, "%s", te->msg);
		}
		if (c->eof) {
			if (what == ESTCLIENT_HANDSHAKE)
				return err_set(e, ERR_REFUSED, "the server "
				    "closed the connection during the "
				    "handshake");
			httpcli_eof(&c->http);
			*e = c->http.error;
			return -1;
		}
		left = deadline - loop_now_ms();
		if (left <= 0)
			return err_set(e, ERR_IO, "timed out %s", label);
		p.fd = c->fd;
		if (c->tls_on) {
			ev = tlsio_events(&c->eng);
			p.events = (short)((ev & LOOP_READ ? POLLIN : 0) |
			    (ev & LOOP_WRITE ? POLLOUT : 0));
		} else
			p.events = (short)(POLLIN | (c->out_off < c->out.len ?
			    POLLOUT : 0));
		if (poll(&p, 1, (int)left) == -1 && errno != EINTR)
			return err_set(e, ERR_IO, "poll: %s", strerror(errno));
		if (loop_signalled())
			return err_set(e, ERR_IO, "interrupted");
	}
}

int
estclient_conn_open(struct estclient_conn *c, struct err *e)
{
	if (c->fd != -1)
		return 0;
	c->eof = 0;
	if (dialwait_connect(&c->t->addr, c->timeout, c->wait, &c->fd, e)
	    == -1)
		return -1;
	if (!c->t->tls)
		return 0;
	tls_engine_init(&c->eng, c->tls, (int64_t)time(NULL));
	c->tls_on = 1;
	if (estclient_wait(c, ESTCLIENT_HANDSHAKE, loop_now_ms() + 1000 *
	    (int64_t)c->timeout, "during the TLS handshake", e) == -1) {
		estclient_drop(c);
		return -1;
	}
	return 0;
}

int
estclient_exchange(struct estclient_conn *c, const struct httpcli_req *q,
    struct err *e)
{
	char label[128];
	int attempt, reused;

	snprintf(label, sizeof label, "waiting for the answer to %s %.80s",
	    q->method, q->target);
	buf_clear_secret(&c->out);
	if (httpcli_request(q, &c->out, e) == -1)
		return -1;
	/* A kept connection with something to read while no request was
	 * out is ending (the server's idle timeout: close_notify, EOF). */
	if (c->fd != -1) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };

		if (poll(&p, 1, 0) == 1)
			estclient_drop(c);
	}
	for (attempt = 0; attempt < 2; attempt++) {
		if (estclient_conn_open(c, e) == -1)
			return -1;
		reused = c->reused;
		c->out_off = 0;
		httpcli_reset(&c->http, strcmp(q->method, "HEAD") == 0);
		if (estclient_wait(c, ESTCLIENT_ANSWER, loop_now_ms() + 1000 *
		    (int64_t)c->timeout, label, e) == 0)
			break;
		/* A kept connection the server closed while idle: once more
		 * on a new one. */
		if (!reused || c->http.fed != 0 || (!c->eof &&
		    e->kind != ERR_IO))
			return -1;
		estclient_drop(c);
	}
	buf_clear_secret(&c->out);
	c->reused = 1;
	if (!c->http.resp.keep_alive || q->close)
		estclient_drop(c);
	return 0;
}

size_t
estclient_http_reason(const struct httpcli_resp *r, char *text, size_t size)
{
	const char *ct = r->hdr[HTTPCLI_H_CONTENT_TYPE];
	size_t i, n = 0, len = r->body_len;

	/* A plain text body (the server's reason), on one line, printable
	 * bytes only; not an HTML page. */
	if (ct != NULL && strncasecmp(ct, "text/plain", 10) != 0)
		len = 0;
	for (i = 0; i < len && n + 1 < size; i++) {
		unsigned char ch = r->body[i];

		if (ch == '\n' || ch == '\r')
			ch = ' ';
		if (ch < 0x20 || ch > 0x7e)
			continue;
		text[n++] = (char)ch;
	}
	while (n > 0 && text[n - 1] == ' ')
		n--;
	if (size > 0)
		text[n] = '\0';
	return n;
}

int
estclient_http_fail(const struct httpcli_resp *r, const char *what,
    struct err *e)
{
	char text[201];

	if (estclient_http_reason(r, text, sizeof text) > 0)
		return err_set(e, ERR_INPUT, "%s: %d %s: %s", what,
		    r->status, httpresp_reason(r->status), text);
	return err_set(e, ERR_INPUT, "%s: %d %s", what, r->status,
	    httpresp_reason(r->status));
}
