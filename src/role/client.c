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

struct client {
	const struct client_conf *conf;
	struct tls_engine tls;
	int fd;
	struct buf in;		/* answer being assembled */
};

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
client_send_line(struct client *c, const char *line, struct err *e)
{
	uint8_t *b;
	size_t n, len = strlen(line), off = 0;
	int64_t deadline = loop_now_ms() + 1000 * (int64_t)c->conf->timeout;

	while (off <= len) {
		b = tls_engine_sendapp_buf(&c->tls, &n);
		if (b == NULL && tls_engine_error(&c->tls) != NULL)
			return err_set(e, ERR_REFUSED, "%s",
			    tls_engine_error(&c->tls)->msg);
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
	return 0;
}

int
client_run(const struct client_conf *conf, struct err *e)
{
	struct client c;
	char line[4096];
	size_t i, n;
	int rc = -1;

	memset(&c, 0, sizeof c);
	c.conf = conf;
	buf_init(&c.in);
	if (addr_connect(&conf->addr, &c.fd, e) == -1)
		return -1;
	tls_engine_init(&c.tls, conf->tls, (int64_t)time(NULL));
	if (client_wait(&c, client_done, loop_now_ms() + 1000 *
	    (int64_t)conf->timeout, "during the handshake", e) == -1)
		goto out;
	if (conf->log != NULL) {
		fprintf(conf->log, "connected: %s, %s; server %s\n",
		    tls_version_name(tls_engine_version(&c.tls)),
		    tls_suite_name(tls_engine_suite(&c.tls)),
		    tls_engine_peer_subject(&c.tls));
		fflush(conf->log);
	}
	for (i = 0; i < conf->nlines; i++)
		if (client_send_line(&c, conf->lines[i], e) == -1)
			goto out;
	if (conf->nlines == 0 && conf->in != NULL)
		while (fgets(line, sizeof line, conf->in) != NULL) {
			n = strlen(line);
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
	rc = 0;
out:
	close(c.fd);
	tls_engine_clear(&c.tls);
	buf_clear_secret(&c.in);
	return rc;
}
