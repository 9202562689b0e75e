/* testhttpsrv.h — a tiny HTTP service on net/httpsrv.h in a child process,
 * and a raw client, for the tests of the server.
 *
 * The handler answers
 *	GET /hello	200 text/plain "hello\n"
 *	POST /echo	200 application/octet-stream, the request's body
 *	GET /whoami	200 "SUBJECT\n" of the client certificate, or
 *			"anonymous\n"; then "tls" or "plain" and the peer
 *	GET /big	200 with TEST_HTTPSRV_BIG bytes of 'x'
 *	GET /later	pending, answered 200 "later\n" 200 ms after
 *	GET /never	pending, never answered (the server's 503)
 *	GET /close	200 "bye\n" with Connection: close
 *	GET /bad	an answer with CR LF in a header (the server's 500)
 *	anything else	404 */
#ifndef MP_TESTHTTPSRV_H
#define MP_TESTHTTPSRV_H

#include <sys/types.h>

#include "net/httpsrv.h"
#include "testcert.h"
#include "util/buf.h"

#define TEST_HTTPSRV_BIG (8 * 1024 * 1024)

struct test_httpsrv {
	pid_t pid;
	size_t n;
	char addr[8][128];	/* each listener's, as ready said */
};

/* Forks a child that serves conf (its hooks are set here, and the handler
 * above unless conf has one;
 * the log lines go to log_path, one a line) until SIGTERM; returns once
 * every listener is ready. Exits the test on failure. */
void test_httpsrv_fork(struct test_httpsrv *, struct httpsrv_conf *,
    const char *log_path);
/* An HTTPS listener's configuration: pki's server chain and key, TLS 1.2
 * and 1.3, client certificates (auth) checked against pki's root. */
void test_httpsrv_tls(struct tls_config *, const struct test_pki *pki,
    enum tls_client_auth auth);
/* Stops the child (SIGTERM) and checks that it ended with status 0. */
void test_httpsrv_stop(struct test_httpsrv *);

/* A blocking socket connected to addr ("unix:PATH", "tcp:H:P"); -1 and a
 * message when it cannot connect. */
int test_dial(const char *addr);
/* Writes all of data; -1 when the socket fails. */
int test_send(int fd, const void *data, size_t len);
/* Reads until end of stream or timeout_ms of silence into out; 0 at end
 * of stream (or reset), -1 on timeout. */
int test_recv_all(int fd, struct buf *out, int timeout_ms);
/* Connects, sends req, reads until the server closes (at most
 * timeout_ms of silence) and returns what came, NUL-terminated; the
 * caller frees. */
char *test_exchange(const char *addr, const char *req, int timeout_ms);

#endif
