/* workers.h — `server run --workers N`: the server on several cores. */
#ifndef MP_ROLE_WORKERS_H
#define MP_ROLE_WORKERS_H

#include "role/server.h"
#include "tls/tls.h"

/* The ticket keys every worker uses, in memory shared by all (and never
 * on disk): the supervisor writes the slot not in use, then switches cur,
 * so a worker copying keys never sees half a key. */
struct ticket_share {
	int cur;
	struct tls_ticket_keys k[2];
};

/* The current keys, copied into out. */
void ticket_share_get(const struct ticket_share *, struct tls_ticket_keys *);

/* The number of CPUs online (at least 1): the default worker count. */
unsigned workers_default(void);

/* Serves conf with n worker processes (n 1: server_run, no supervisor),
 * in either case first made non-dumpable with no core limit
 * (nodump_process):
 * listens, then forks the workers, which share the listening socket and
 * the ticket keys; a worker that dies is replaced; SIGINT or SIGTERM
 * stops them all. conf->log gets "worker I: pid P" for each start. */
int server_run_workers(struct server_conf *, unsigned n, struct err *);

#endif
