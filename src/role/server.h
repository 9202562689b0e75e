/* server.h — the application server role: a line service over TLS, many
 * clients at once from one poll loop.
 *
 * The service, one line each way ("\n" ends a line, a "\r" before it is
 * dropped):
 *	WHOAMI		-> the client's authenticated subject, or "anonymous"
 *	ECHO text	-> text
 *	TIME		-> the server's UTC time, YYYY-MM-DDTHH:MM:SSZ
 *	QUIT		-> "BYE", then the server closes the connection
 *	anything else	-> "ERR ..." and the connection stays up */
#ifndef MP_ROLE_SERVER_H
#define MP_ROLE_SERVER_H

#include <stdio.h>

#include "net/addr.h"
#include "net/loop.h"
#include "tls/tls.h"
#include "util/buf.h"
#include "util/err.h"

struct ticket_share;

#define SERVER_MAX_CONNS 256
#define SERVER_MAX_LINE 4096

/* Another service on the same connections (client listen's messages):
 * open is called once the handshake is done (and the peer passed
 * peer_check), input with each piece of decrypted input, which it must
 * consume whole, appending what to send to out and setting *quit to close
 * after it; close when the connection ends (ctx: what open returned). */
struct server_service {
	void *(*open)(void *sctx, unsigned id, const struct tls_engine *);
	void (*input)(void *ctx, const uint8_t *b, size_t n, struct buf *out,
	    int *quit);
	void (*close)(void *ctx);
	void *sctx;
};

struct server_conf {
	struct addr addr;
	/* Copied for every connection; its trace, keylog and cb_ctx are
	 * replaced by the hooks below. */
	const struct tls_config *tls;
	int handshake_timeout;	/* seconds, for the handshake */
	int idle_timeout;	/* seconds without input after it */
	FILE *log;		/* one line per event; NULL: none */
	/* Called with the address actually listened on ("tcp:127.0.0.1:PORT"
	 * when port 0 was asked), once listening. */
	void (*ready)(void *ctx, const char *addr);
	void *ready_ctx;
	/* Trace lines of connection id, and key log lines, when set. */
	void (*trace)(void *ctx, unsigned id, const char *line);
	void (*keylog)(void *ctx, const char *line);
	void *cb_ctx;
	/* Each line that goes to log, also given here (with cb_ctx) when
	 * set: "connection 1: accepted", "... handshake done ...". */
	void (*event)(void *ctx, const char *line);
	/* A worker of server_run_workers: the listening socket is made
	 * already (listen_fd, not closed or unlinked here) and the ticket
	 * keys are shared; otherwise our own. */
	int listen_given, listen_fd;
	const struct ticket_share *ticket_share;
	/* When set: asked once the handshake is done, before any input is
	 * read, about an authenticated client (its chain in the engine's
	 * peer_chain). Nonzero refuses it: the reason written into why is
	 * logged ("connection 3: refused client CN=alice: revoked ..."),
	 * sent as "ERR refused: WHY" and the connection closed. */
	int (*peer_check)(void *ctx, unsigned id, const struct tls_engine *,
	    char *why, size_t whylen);
	void *peer_ctx;
	const struct server_service *service;	/* NULL: the line service */
};

/* Answers one service line into out (without the newline); *quit is set
 * for QUIT. subject is the client's, or NULL for an anonymous client. */
void server_answer(const char *line, const char *subject, int64_t now,
    struct buf *out, int *quit);

/* The service's line framing, without TLS or sockets (and for fuzzing).
 * server_line_take moves input b[0..n) into line up to and including the
 * first "\n" (not kept) and returns how many bytes it used; *done is set
 * when the line is complete: its newline seen, or longer than
 * SERVER_MAX_LINE. server_line_answer then appends the answer and "\n" to
 * out (a line too long is "ERR line longer than N bytes" and *quit) and
 * empties line. */
size_t server_line_take(struct buf *line, const uint8_t *b, size_t n,
    int *done);
void server_line_answer(struct buf *line, const char *subject, int64_t now,
    struct buf *out, int *quit);

/* Listens and serves until SIGINT or SIGTERM (loop_catch_signals must have
 * been called) or a fatal error. Returns 0 after a clean stop. */
int server_run(struct server_conf *, struct err *);

/* The same service without a loop of its own: listens on conf->addr and
 * registers the listener, and later each connection, with l (the caller's
 * loop, which it keeps turning). conf (and what it points to) must stay
 * alive until server_stop. NULL with the reason when it cannot listen. */
struct server;
struct server *server_start(struct server_conf *, struct loop *,
    struct err *);
/* Closes every connection (close_notify, best effort) and the listener,
 * removes them from the loop, unlinks a Unix socket file and frees s. */
void server_stop(struct server *);

#endif
