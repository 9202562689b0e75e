/* bench-tls — bulk transfer over one TLS 1.3 connection, our engine as the
 * client.
 *
 *	bench-tls ADDR CAFILE MB
 *
 * Connects to ADDR ("tcp:127.0.0.1:PORT"), trusting CAFILE for the
 * server name "localhost", and streams MB * 2^20 bytes as 4096-byte lines
 * "ECHO xxxx...\n" while reading the answers, one line per line sent. Our
 * server answers ECHO with the text; `openssl s_server -rev` answers every
 * line with the line reversed: either way each byte sent comes back, and
 * both servers seal one record per answer. The time runs from the end of
 * the handshake to the last answer; the result line is
 *	bulk_mb_per_s N
 * with MB = 10^6 bytes of payload sent (as many come back). Not a test: it
 * never fails on a slow number, only when the connection fails. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/addr.h"
#include "net/loop.h"
#include "net/tlsio.h"
#include "tls/tls.h"
#include "util/err.h"

#define LINE 4096	/* our server's longest line is 4096 without "\n" */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits for what the engine needs; -1 when it is closed or failed. */
static int
wait_io(struct tls_engine *t, int fd, struct err *e)
{
	struct pollfd p;
	unsigned ev = tlsio_events(t);

	if (tls_engine_error(t) != NULL)
		return err_set(e, ERR_REFUSED, "%s", tls_engine_error(t)->msg);
	if (tls_engine_state(t) & TLS_CLOSED)
		return err_set(e, ERR_REFUSED, "the server closed the "
		    "connection");
	if (ev == 0)
		return 0;
	p.fd = fd;
	p.events = (short)((ev & LOOP_READ ? POLLIN : 0) |
	    (ev & LOOP_WRITE ? POLLOUT : 0));
	if (poll(&p, 1, 10000) == 0)
		return err_set(e, ERR_IO, "timed out");
	return 0;
}

int
main(int argc, char **argv)
{
	struct addr a;
	struct cert_list anchors;
	struct tls_config cfg;
	struct tls_engine t;
	struct err e;
	uint8_t line[LINE], *b;
	uint64_t total, sent = 0, nlines, got = 0;
	size_t n, k, i;
	double t0, t1;
	long mb;
	int fd = -1, rc = 1;

	if (argc != 4 || (mb = atol(argv[3])) <= 0 || mb > 65536) {
		fprintf(stderr, "usage: bench-tls ADDR CAFILE MB\n");
		return 2;
	}
	err_clear(&e);
	cert_list_init(&anchors);
	memset(line, 'x', sizeof line);
	memcpy(line, "ECHO ", 5);
	line[LINE - 1] = '\n';
	nlines = (uint64_t)mb * 1048576 / LINE;
	total = nlines * LINE;
	memset(&cfg, 0, sizeof cfg);
	cfg.min_version = cfg.max_version = TLS_VERSION_13;
	cfg.server_name = "localhost";
	cfg.anchors = &anchors;
	if (addr_parse(&a, argv[1], &e) == -1 ||
	    cert_list_load_file(&anchors, argv[2], &e) == -1 ||
	    addr_connect(&a, 10, &fd, &e) == -1) {
		fprintf(stderr, "bench-tls: %s\n", e.msg);
		cert_list_clear(&anchors);
		return 1;
	}
	loop_catch_signals();
	tls_engine_init(&t, &cfg, (int64_t)time(NULL));
	while (!tls_engine_handshake_done(&t)) {
		tlsio_pump(&t, fd, &e);
		if (tls_engine_handshake_done(&t))
			break;
		if (wait_io(&t, fd, &e) == -1)
			goto out;
	}
	t0 = now();
	while (got < nlines) {
		/* Keep the records waiting to be sent well under the
		 * engine's limit: at the limit it stops reading too, and a
		 * server that waits for us to read its answers would then
		 * wait for ever. */
		while (sent < total && (tls_engine_sendrec_buf(&t, &n),
		    n < TLS_MAX_PENDING_OUT / 2) &&
		    (b = tls_engine_sendapp_buf(&t, &n)) != NULL) {
			k = LINE - (size_t)(sent % LINE);
			if (k > n)
				k = n;
			if (k > total - sent)
				k = (size_t)(total - sent);
			memcpy(b, line + (sent % LINE), k);
			tls_engine_sendapp_ack(&t, k);
			sent += k;
		}
		if (sent == total)
			tls_engine_flush(&t);
		tlsio_pump(&t, fd, &e);
		while ((b = tls_engine_recvapp_buf(&t, &n)) != NULL) {
			for (i = 0; i < n; i++)
				got += b[i] == '\n';
			tls_engine_recvapp_ack(&t, n);
		}
		if (got >= nlines)
			break;
		/* Waits only when the engine has nothing more to give. */
		if (!(tls_engine_state(&t) & TLS_RECVAPP) &&
		    wait_io(&t, fd, &e) == -1)
			goto out;
	}
	t1 = now();
	printf("bulk_bytes %llu\nbulk_seconds %.4f\nbulk_mb_per_s %.1f\n",
	    (unsigned long long)total, t1 - t0, (double)total / 1e6 /
	    (t1 - t0));
	tls_engine_close(&t);
	tlsio_pump(&t, fd, &e);
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "bench-tls: %s (%llu of %llu answers)\n", e.msg,
		    (unsigned long long)got, (unsigned long long)nlines);
	close(fd);
	tls_engine_clear(&t);
	cert_list_clear(&anchors);
	return rc;
}
