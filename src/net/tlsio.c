/* tlsio.c — engine <-> socket; see tlsio.h. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/loop.h"
#include "net/tlsio.h"

unsigned
tlsio_events(const struct tls_engine *t)
{
	unsigned s = tls_engine_state(t), ev = 0;

	if (s & TLS_SENDREC)
		ev |= LOOP_WRITE;
	if (s & TLS_RECVREC)
		ev |= LOOP_READ;
	return ev;
}

int
tlsio_pump(struct tls_engine *t, int fd, struct err *e)
{
	uint8_t *b;
	size_t n;
	ssize_t r;
	int progress = 1;

	while (progress) {
		progress = 0;
		while ((b = tls_engine_sendrec_buf(t, &n)) != NULL) {
			r = send(fd, b, n, MSG_NOSIGNAL);
			if (r < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					break;
				if (errno == EINTR)
					continue;
				err_set(e, ERR_IO, "send: %s", strerror(errno));
				tls_engine_eof(t);
				/* drop what cannot be sent any more */
				tls_engine_sendrec_ack(t, n);
				return -1;
			}
			tls_engine_sendrec_ack(t, (size_t)r);
			progress = 1;
		}
		if ((b = tls_engine_recvrec_buf(t, &n)) != NULL && n > 0) {
			r = read(fd, b, n);
			if (r < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					break;
				if (errno == EINTR) {
					progress = 1;
					continue;
				}
				err_set(e, ERR_IO, "read: %s", strerror(errno));
				tls_engine_eof(t);
				return -1;
			}
			if (r == 0) {
				tls_engine_eof(t);
				/* flush our last alert, if any, best effort */
				while ((b = tls_engine_sendrec_buf(t, &n)) !=
				    NULL) {
					r = send(fd, b, n, MSG_NOSIGNAL);
					tls_engine_sendrec_ack(t, r > 0 ?
					    (size_t)r : n);
				}
				return 0;
			}
			tls_engine_recvrec_ack(t, (size_t)r);
			progress = 1;
		}
	}
	return 0;
}
