/* msgnet-listen.c — the listener's side of client messages: frames in,
 * verdicts out, each message stored in the inbox; see msgnet.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/frame.h"
#include "role/msgnet.h"
#include "util/xalloc.h"

struct msgnet_conn {
	struct msgnet_listen *l;
	unsigned id;
	char peer[512];
	struct buf in;		/* bytes of the frame being received */
	int dead;		/* a bad frame: the rest is dropped */
};

static void *
msgnet_open(void *sctx, unsigned id, const struct tls_engine *t)
{
	struct msgnet_conn *c = xcalloc(1, sizeof *c);
	const char *p = tls_engine_peer_subject(t);

	c->l = sctx;
	c->id = id;
	snprintf(c->peer, sizeof c->peer, "%s", p != NULL ? p : "anonymous");
	buf_init(&c->in);
	return c;
}

static void
msgnet_close(void *ctx)
{
	struct msgnet_conn *c = ctx;

	buf_clear(&c->in);
	free(c);
}

/* One message: verdict, inbox, a line out, the VERDICT frame. */
static void
msgnet_message(struct msgnet_conn *c, const uint8_t *der, size_t len,
    struct buf *out)
{
	struct msgnet_listen *l = c->l;
	struct msgnet_verdict v;
	struct inbox_rec r;
	struct buf line;
	struct err e;
	int64_t now = (int64_t)time(NULL);

	msgnet_receive(der, len, l->key, l->cert, l->anchors, l->ps, now, &v);
	memset(&r, 0, sizeof r);
	r.time = now;
	r.from = v.from;
	r.peer = c->peer;
	snprintf(r.verdict, sizeof r.verdict, "%s", v.verdict);
	r.why = v.why;
	buf_init(&line);
	if (inbox_add(l->inbox, &r, der, len, &e) == -1) {
		/* not stored: the sender is told, nothing is printed as if
		 * it had been */
		buf_printf(&line, "not stored: %s", e.msg);
		if (l->log != NULL)
			fprintf(l->log, "connection %u: message not stored: "
			    "%s\n", c->id, e.msg);
	} else {
		l->count++;
		fprintf(l->out, "message %lu from %s (peer %s): %s: %s; ",
		    r.id, v.from[0] != '\0' ? v.from : "?", c->peer,
		    v.verdict, v.why);
		buf_printf(&line, "message %lu: %s: %s", r.id, v.verdict,
		    v.why);
		if (v.content != NULL) {
			struct buf pv;

			buf_init(&pv);
			msgnet_preview(v.content, v.content_len, 60, &pv);
			buf_putc(&pv, '\0');
			fprintf(l->out, "%zu bytes: %s\n", v.content_len,
			    (char *)pv.data);
			buf_clear(&pv);
		} else
			fprintf(l->out, "%zu bytes stored\n", len);
		fflush(l->out);
	}
	if (line.len > FRAME_MAX_TEXT)
		line.len = FRAME_MAX_TEXT;
	frame_put(out, FRAME_VERDICT, line.data, line.len);
	buf_clear(&line);
	msgnet_verdict_clear(&v);
}

static void
msgnet_input(void *ctx, const uint8_t *b, size_t n, struct buf *out,
    int *quit)
{
	struct msgnet_conn *c = ctx;
	struct frame f;
	struct err e;
	size_t used, off = 0;
	int rc;
	char msg[600];

	*quit = 0;
	if (c->dead)
		return;
	buf_append(&c->in, b, n);
	for (;;) {
		rc = frame_parse(c->in.data + off, c->in.len - off, &f, &used,
		    &e);
		if (rc == 0)
			break;
		if (rc == 1 && f.type != FRAME_MSG)
			rc = err_set(&e, ERR_INPUT, "frame: a VERDICT from "
			    "the sender");
		if (rc == -1) {
			if (c->l->log != NULL)
				fprintf(c->l->log, "connection %u: %s\n", c->id,
				    e.msg);
			snprintf(msg, sizeof msg, "refused: %s", e.msg);
			frame_put(out, FRAME_VERDICT, msg, strlen(msg));
			c->dead = 1;
			*quit = 1;
			off = c->in.len;
			break;
		}
		msgnet_message(c, f.body, f.len, out);
		off += used;
	}
	/* keep the unfinished frame only */
	memmove(c->in.data, c->in.data + off, c->in.len - off);
	c->in.len -= off;
}

void
msgnet_listen_init(struct msgnet_listen *l)
{
	l->service.open = msgnet_open;
	l->service.input = msgnet_input;
	l->service.close = msgnet_close;
	l->service.sctx = l;
	l->count = 0;
}
