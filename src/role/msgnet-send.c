/* msgnet-send.c — the sender's connection: one MSG frame, one VERDICT
 * back; see msgnet.h. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/frame.h"
#include "net/loop.h"
#include "net/tlsio.h"
#include "role/msg.h"
#include "role/msgnet.h"

struct msgnet_tx {
	struct tls_engine tls;
	int fd;
	struct buf in;
};

/* Pumps until done(x) says 1 (or -1: a failure in e), the engine closes
 * or the deadline passes. */
static int
msgnet_pump(struct msgnet_tx *x, int (*done)(struct msgnet_tx *,
    struct err *), int timeout, const char *what, struct err *e)
{
	int64_t deadline = loop_now_ms() + 1000 * (int64_t)timeout, left;
	const struct err *te;
	struct pollfd p;
	unsigned ev;
	int rc;

	for (;;) {
		tls_engine_set_time(&x->tls, (int64_t)time(NULL));
		if (tlsio_pump(&x->tls, x->fd, e) == -1 &&
		    tls_engine_error(&x->tls) == NULL)
			return -1;
		if ((rc = done(x, e)) != 0)
			return rc == 1 ? 0 : -1;
		if ((te = tls_engine_error(&x->tls)) != NULL) {
			tlsio_pump(&x->tls, x->fd, e);
			return err_set(e, ERR_REFUSED, "%s", te->msg);
		}
		if (tls_engine_state(&x->tls) & TLS_CLOSED)
			return err_set(e, ERR_REFUSED, "the listener closed "
			    "the connection %s", what);
		if ((left = deadline - loop_now_ms()) <= 0)
			return err_set(e, ERR_IO, "timed out %s", what);
		ev = tlsio_events(&x->tls);
		p.fd = x->fd;
		p.events = (short)((ev & LOOP_READ ? POLLIN : 0) |
		    (ev & LOOP_WRITE ? POLLOUT : 0));
		if (poll(&p, 1, (int)left) == -1 && errno != EINTR)
			return err_set(e, ERR_IO, "poll: %s", strerror(errno));
		if (loop_signalled())
			return err_set(e, ERR_IO, "interrupted");
	}
}

static int
msgnet_handshake_done(struct msgnet_tx *x, struct err *e)
{
	(void)e;
	return tls_engine_handshake_done(&x->tls);
}

static int
msgnet_closed(struct msgnet_tx *x, struct err *e)
{
	(void)e;
	return (tls_engine_state(&x->tls) & TLS_CLOSED) != 0;
}

/* Decrypted input into x->in; 1 when a whole VERDICT is there. */
static int
msgnet_have_verdict(struct msgnet_tx *x, struct err *e)
{
	struct frame f;
	uint8_t *b;
	size_t n, used;
	int rc;

	while ((b = tls_engine_recvapp_buf(&x->tls, &n)) != NULL) {
		/* never more than one frame's worth */
		if (x->in.len + n > FRAME_HDR + FRAME_MAX_TEXT)
			n = FRAME_HDR + FRAME_MAX_TEXT - x->in.len;
		buf_append(&x->in, b, n);
		tls_engine_recvapp_ack(&x->tls, n);
		if (n == 0)
			break;
	}
	rc = frame_parse(x->in.data, x->in.len, &f, &used, e);
	if (rc == 1 && f.type != FRAME_VERDICT)
		return err_set(e, ERR_INPUT, "frame: a MSG from the listener");
	return rc;
}

int
msgnet_send(const struct msgnet_send_conf *conf, char *verdict,
    size_t verdictlen, struct err *e)
{
	struct msgnet_tx x;
	struct buf out;
	struct frame f;
	const struct cert *to;
	size_t i, n, used, slen = 0;
	uint8_t *b, *sealed = NULL;
	char *subj;
	int rc = -1;

	memset(&x, 0, sizeof x);
	buf_init(&x.in);
	buf_init(&out);
	if (conf->len == 0 || conf->len > FRAME_MAX_MSG)
		return err_set(e, ERR_USAGE, "a signed message of %zu bytes "
		    "(at most %d)", conf->len, FRAME_MAX_MSG);
	if (dialwait_connect(&conf->addr, conf->timeout, conf->wait, &x.fd, e)
	    == -1)
		return -1;
	tls_engine_init(&x.tls, conf->tls, (int64_t)time(NULL));
	if (msgnet_pump(&x, msgnet_handshake_done, conf->timeout,
	    "during the handshake", e) == -1)
		goto out;
	if (conf->log != NULL) {
		fprintf(conf->log, "connected: %s, %s; listener %s\n",
		    tls_version_name(tls_engine_version(&x.tls)),
		    tls_suite_name(tls_engine_suite(&x.tls)),
		    tls_engine_peer_subject(&x.tls));
		fflush(conf->log);
	}
	if (conf->seal) {
		/* sign-then-encrypt: to the certificate the listener proved
		 * it holds the key of, in this handshake */
		if (x.tls.peer_chain.n == 0) {
			err_set(e, ERR_REFUSED, "the listener sent no "
			    "certificate to seal to");
			goto out;
		}
		to = &x.tls.peer_chain.v[0];
		if (msg_seal(&to, 1, conf->msg, conf->len, conf->seal_opts,
		    &sealed, &slen, e) == -1)
			goto out;
		if (slen > FRAME_MAX_MSG) {
			err_set(e, ERR_USAGE, "a sealed message of %zu bytes "
			    "(at most %d)", slen, FRAME_MAX_MSG);
			goto out;
		}
		if (conf->log != NULL) {
			subj = dn_to_string(&to->subject);
			fprintf(conf->log, "sealed to %s: %s, %s, %zu "
			    "bytes\n", subj, conf->seal_opts != NULL &&
			    conf->seal_opts->gcm ? "AES-256-GCM" :
			    "AES-256-CBC", conf->seal_opts != NULL &&
			    conf->seal_opts->kt == CMS_KT_PKCS1 ?
			    "RSA PKCS#1 v1.5" : "RSA-OAEP", slen);
			free(subj);
			fflush(conf->log);
		}
		frame_put(&out, FRAME_MSG, sealed, slen);
	} else
		frame_put(&out, FRAME_MSG, conf->msg, conf->len);
	/* The engine takes what it has room for; the pump makes room. */
	for (i = 0; i < out.len; ) {
		b = tls_engine_sendapp_buf(&x.tls, &n);
		if (b == NULL) {
			tls_engine_flush(&x.tls);
			if (tlsio_pump(&x.tls, x.fd, e) == -1 ||
			    (tls_engine_state(&x.tls) & TLS_CLOSED)) {
				err_set(e, ERR_REFUSED, "the listener closed "
				    "the connection while the message was "
				    "sent");
				goto out;
			}
			if (!(tls_engine_state(&x.tls) & TLS_SENDAPP)) {
				struct pollfd p = { x.fd, POLLOUT, 0 };

				poll(&p, 1, 1000 * conf->timeout);
			}
			continue;
		}
		if (n > out.len - i)
			n = out.len - i;
		memcpy(b, out.data + i, n);
		tls_engine_sendapp_ack(&x.tls, n);
		i += n;
	}
	tls_engine_flush(&x.tls);
	if (msgnet_pump(&x, msgnet_have_verdict, conf->timeout,
	    "waiting for the verdict", e) == -1)
		goto out;
	frame_parse(x.in.data, x.in.len, &f, &used, e);
	n = f.len < verdictlen - 1 ? f.len : verdictlen - 1;
	memcpy(verdict, f.body, n);
	verdict[n] = '\0';
	tls_engine_close(&x.tls);
	msgnet_pump(&x, msgnet_closed, 2, "closing", e);
	err_clear(e);
	rc = 0;
out:
	close(x.fd);
	free(sealed);
	tls_engine_clear(&x.tls);
	buf_clear(&x.in);
	buf_clear(&out);
	return rc;
}
