/* httpsrv.h — an HTTP/1.1 server on the caller's poll loop, over plain
 * sockets and over our TLS engine, calling one request handler.
 *
 * It listens on one or more addresses (unix:PATH, tcp:HOST:PORT), each
 * plain HTTP or HTTPS. Per connection, bytes from the socket (or the TLS
 * engine's plaintext) go to an http_conn (net/http.h); each complete
 * request goes to the handler, its answer is written with httpresp_write
 * and flushed; keep-alive is honoured and pipelined requests are taken one
 * at a time, in order. The engine's refusals (400, 411, 413, 414, 431,
 * 501, 505) are answered and the connection closed lingering
 * (net/linger.h), so that a reset does not destroy the answer. An HTTP/1.1
 * request whose head has come and whose body has not gets an interim
 * "100 Continue" (RFC 7231 6.2: a client must accept one unasked), since
 * the engine does not keep Expect and curl otherwise waits a second before
 * sending a body over 1 KiB.
 *
 * Bounds, each with what happens (struct httpsrv_conf; 0 takes the
 * default):
 *   max_conns connections (256) open at once   more are accepted and
 *                                                 closed at once
 *   handshake_ms (10 s) for the TLS handshake  closed (TLS: an alert or
 *                                                 close_notify first)
 *   idle_ms (30 s) without a request begun     closed silently
 *   request_ms (30 s) from a request's first   408, close
 *     byte to its end (a slow or stalled body)
 *   write_ms (30 s) without the peer taking    closed without lingering
 *     any of our output (it does not read)
 *   max_out (64 KiB) of answer waiting to be   no further request is read
 *     sent                                        until it drains
 *   max_rate (100) requests a second on     the next request is not read
 *     one connection                             until the second is over
 *   limits (net/http.h): sizes of the request and requests per
 *     connection (the last one is answered with Connection: close).
 * A peer that closes its socket entirely (POLLHUP) is dropped at once:
 * nothing sent could reach it.
 *
 * Ownership: conf (and what it points to: addresses, TLS configurations)
 * must stay alive until httpsrv_stop; addr.port of a "tcp:HOST:0" listener
 * gets the port chosen. */
#ifndef MP_NET_HTTPSRV_H
#define MP_NET_HTTPSRV_H

#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"
#include "net/http.h"
#include "net/httpresp.h"
#include "net/loop.h"
#include "tls/tls.h"
#include "util/buf.h"
#include "util/err.h"
#include "x509/cert.h"

#define HTTPSRV_DEF_MAX_CONNS		256
#define HTTPSRV_DEF_HANDSHAKE_MS	10000
#define HTTPSRV_DEF_IDLE_MS		30000
#define HTTPSRV_DEF_REQUEST_MS		30000
#define HTTPSRV_DEF_WRITE_MS		30000
#define HTTPSRV_DEF_MAX_OUT		(64 * 1024)
#define HTTPSRV_DEF_MAX_RATE		100

struct httpsrv_listen {
	struct addr addr;
	/* NULL: plain HTTP. Otherwise HTTPS with this server configuration
	 * (its client_auth says whether a client certificate is asked for
	 * or required), copied for every connection with cb_ctx, trace and
	 * keylog replaced by conf's hooks. */
	const struct tls_config *tls;
};

/* Who sent a request; lives as long as the connection. */
struct httpsrv_peer {
	unsigned id;		/* connection number, from 1 */
	size_t listener;	/* index into conf->listen */
	char addr[64];		/* "unix", "127.0.0.1:40312", "[::1]:40312" */
	int tls;		/* the connection is HTTPS */
	/* The authenticated client certificate's subject ("CN=alice") and
	 * the chain it sent, leaf first, verified against the listener's
	 * anchors; both NULL for a plain or anonymous client. */
	const char *subject;
	const struct cert_list *chain;
	/* Scratch the handler may fill and point out->body at: emptied
	 * before each call, kept until the answer is written. */
	struct buf *body;
};

enum httpsrv_verdict {
	HTTPSRV_ANSWERED,	/* out holds the answer */
	/* The answer comes later through httpsrv_answer (the request stays
	 * valid until then); no further input is read meanwhile, and after
	 * request_ms the server answers 503 and closes. */
	HTTPSRV_PENDING,
};

/* Fills out (zeroed beforehand) for req. The server sets out->close when
 * the request does not keep the connection (the handler may set it too,
 * to close), out->http10, out->head, and out->date when left 0. out->body
 * must stay valid until the handler returns: static data, the handler's
 * context, or peer->body. An answer httpresp_write refuses becomes a 500. */
typedef enum httpsrv_verdict httpsrv_handler(void *ctx,
    const struct http_request *req, const struct httpsrv_peer *peer,
    struct httpresp *out);

/* One answered request (or refusal), for the log. */
struct httpsrv_log {
	const struct httpsrv_peer *peer;
	const char *method;	/* "GET"; "-" when none was read */
	const char *path;	/* "/hello"; "-" likewise */
	int status;
	size_t bytes;		/* body bytes of the answer */
	int64_t ms;		/* first byte of the request to the answer */
	const char *why;	/* a refusal's reason; NULL for an answer */
};

struct httpsrv_conf {
	struct httpsrv_listen *listen;
	size_t nlisten;
	httpsrv_handler *handler;
	void *ctx;			/* for handler and every hook */
	struct http_limits limits;	/* 0 in a field: the default */
	size_t max_conns;
	int handshake_ms, idle_ms, request_ms, write_ms;
	size_t max_out;
	unsigned max_rate;
	/* Each listener's address once listening ("tcp:127.0.0.1:PORT"
	 * when port 0 was asked). */
	void (*ready)(void *ctx, size_t listener, const char *addr);
	/* One line per request: "127.0.0.1:40312 \"CN=alice\" GET /hello
	 * 200 6 1ms" (subject "-" when none), with rec; and connection
	 * events (refused, handshake failed, timed out) with rec NULL. */
	void (*log)(void *ctx, const struct httpsrv_log *rec,
	    const char *line);
	/* TLS trace lines of connection id and key log lines, when set. */
	void (*trace)(void *ctx, unsigned id, const char *line);
	void (*keylog)(void *ctx, const char *line);
};

struct httpsrv;

/* Listens on every conf->listen address and registers with l, which the
 * caller keeps turning. NULL with the reason when one cannot listen (the
 * others are closed again). */
struct httpsrv *httpsrv_start(struct httpsrv_conf *, struct loop *,
    struct err *);
/* Answers a request its handler left HTTPSRV_PENDING (resp's body is
 * copied) and goes on with the connection. Not from within the handler.
 * -1 when connection id is gone (closed, timed out) or has no request
 * pending. */
int httpsrv_answer(struct httpsrv *, unsigned id, const struct httpresp *);
/* Open connections (lingering ones not counted). */
size_t httpsrv_conns(const struct httpsrv *);
/* Closes every connection (TLS: close_notify, best effort) and listener,
 * removes them from the loop, unlinks Unix socket files and frees s. Not
 * from within the handler or a hook; a pending request is dropped. */
void httpsrv_stop(struct httpsrv *);

#endif
