/* client.h — the client role: connect, handshake, send service lines and
 * print the answers. */
#ifndef MP_ROLE_CLIENT_H
#define MP_ROLE_CLIENT_H

#include <stdio.h>

#include "net/addr.h"
#include "tls/tls.h"
#include "util/err.h"

struct client_conf {
	struct addr addr;
	const struct tls_config *tls;
	int timeout;		/* seconds for the handshake and each answer */
	const char *const *lines;	/* to send, one answer awaited each */
	size_t nlines;
	FILE *in;		/* when nlines is 0: lines read from here
				 * until end of file; NULL: none */
	FILE *out;		/* answers, one per line */
	FILE *log;		/* "connected: ..." and similar; NULL: none */
};

/* Runs one connection. A handshake failure or an untrusted server is
 * ERR_REFUSED with the reason; transport failures are ERR_IO. */
int client_run(const struct client_conf *, struct err *);

#endif
