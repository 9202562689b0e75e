/* client.h — the client role: connect, handshake, send service lines and
 * print the answers. */
#ifndef MP_ROLE_CLIENT_H
#define MP_ROLE_CLIENT_H

#include <stdio.h>

#include "net/addr.h"
#include "net/dialwait.h"
#include "net/loop.h"
#include "tls/tls.h"
#include "util/err.h"

/* What an asynchronous session reports (client_start). */
enum client_event {
	CLIENT_EV_HANDSHAKE,	/* done; text: the server's subject */
	CLIENT_EV_ANSWER,	/* text: one answer line, without "\n" */
	CLIENT_EV_CLOSED,	/* the last event; text: NULL when the
				 * connection ended cleanly, else why not */
};

/* The longest service line sent, without its "\n": a line is queued
 * whole, and the engine holds at most TLS_MAX_PENDING_OUT bytes unsent.
 * A longer one is refused (ERR_USAGE) before anything is sent. */
#define CLIENT_MAX_LINE (TLS_MAX_PENDING_OUT - 1)

struct client_conf {
	struct addr addr;
	const struct tls_config *tls;
	int timeout;		/* seconds (> 0) for the connect, the handshake
				 * and each answer */
	const struct dialwait *wait;	/* client_run: how long to wait for
					 * a server not up yet; NULL: not */
	const char *const *lines;	/* to send, one answer awaited each */
	size_t nlines;
	FILE *in;		/* when nlines is 0: lines read from here
				 * until end of file; NULL: none */
	FILE *out;		/* answers, one per line */
	FILE *log;		/* "connected: ..." and similar; NULL: none */
	/* client_run: gets the last session ticket the server gave (TLS
	 * 1.3), when it gave one; untouched otherwise. */
	struct tls_session *session_out;
	/* client_start only: the events, with event_ctx. */
	void (*event)(void *ctx, enum client_event, const char *text);
	void *event_ctx;
};

/* Runs one connection. A handshake failure or an untrusted server is
 * ERR_REFUSED with the reason; transport failures are ERR_IO ("connect to
 * ADDR: timed out after N s" when nothing answers). */
int client_run(const struct client_conf *, struct err *);

/* The same connection without blocking: starts connecting to conf->addr,
 * queues the ClientHello and registers the socket with l, the caller's
 * loop, which finishes the connect and drives the handshake; conf->event
 * reports the outcome, the answers and the end (never from inside
 * client_start). conf->timeout bounds the connect, the handshake and each
 * answer. conf and what it points to must outlive the session. NULL with
 * the reason when the connection fails at once; a connect that fails or
 * times out later ends with CLIENT_EV_CLOSED and the reason. */
struct client_session;
struct client_session *client_start(const struct client_conf *,
    struct loop *, struct err *);
/* Sends one service line (a "\n" is added); its answer comes as an
 * CLIENT_EV_ANSWER event. -1 (ERR_REFUSED) when the connection cannot
 * take it: the handshake is not done or the connection is over;
 * ERR_USAGE for a line longer than CLIENT_MAX_LINE. */
int client_send(struct client_session *, const char *line, struct err *);
/* Starts a clean close (close_notify); CLIENT_EV_CLOSED follows. */
void client_close(struct client_session *);
/* The engine, for its version, suite and peer (read only). */
const struct tls_engine *client_tls(const struct client_session *);
/* Nonzero after CLIENT_EV_CLOSED. */
int client_closed_done(const struct client_session *);
/* Removes the session from its loop, closes the socket, wipes and frees
 * it. Not from inside its own event callback. */
void client_free(struct client_session *);

#endif
