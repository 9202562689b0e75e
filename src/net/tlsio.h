/* tlsio.h — moves bytes between a TLS engine and a non-blocking socket. */
#ifndef MP_NET_TLSIO_H
#define MP_NET_TLSIO_H

#include "tls/tls.h"
#include "util/err.h"

/* Writes what the engine has to send and reads what it has room for,
 * until the socket would block. End of file is reported to the engine
 * (tls_engine_eof). Returns -1 with ERR_IO when the socket fails (the
 * engine is told too). */
int tlsio_pump(struct tls_engine *, int fd, struct err *);
/* The poll events (LOOP_READ / LOOP_WRITE) the engine needs now. */
unsigned tlsio_events(const struct tls_engine *);

#endif
