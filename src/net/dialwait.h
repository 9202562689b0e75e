/* dialwait.h — connect to a peer that may not be up yet: every client
 * (client connect/enroll/send, server register, a status fetch) goes
 * through here, so that the processes of a flow can start in any order.
 *
 * A peer "not up yet" is a Unix socket file that is missing (ENOENT) or
 * that nobody accepts on (ECONNREFUSED: a stale file), or a TCP port that
 * refuses (ECONNREFUSED). Any other failure (a bad host name, EACCES, a
 * peer that never answers) is not waited for. The wait is a capped
 * exponential backoff (DIALWAIT_FIRST_MS doubling up to DIALWAIT_CAP_MS),
 * and one line is said for each change of what is waited for:
 *	waiting for the CA service at unix:/x/ca.sock (No such file or directory)
 *	waiting for the CA service at unix:/x/ca.sock (Connection refused)
 *	the CA service at unix:/x/ca.sock is up after 3 s */
#ifndef MP_NET_DIALWAIT_H
#define MP_NET_DIALWAIT_H

#include "net/addr.h"
#include "util/err.h"

#define DIALWAIT_FIRST_MS 100
#define DIALWAIT_CAP_MS 2000

struct dialwait {
	/* Seconds to wait for the peer to come up: -1 not at all (the
	 * first refusal is the error), 0 forever, N > 0 that long. */
	int wait_s;
	const char *what;	/* "the CA service", "the server"; NULL:
				 * "the peer" */
	/* Where the lines go (without "\n"); NULL: nowhere. */
	void (*say)(void *ctx, const char *line);
	void *ctx;
};

/* The waited-for errors: ENOENT, ECONNREFUSED. */
int dialwait_retryable(int errnum);

/* The next pause after pause_ms (0: the first), capped. */
int dialwait_backoff(int pause_ms);

/* addr_connect (each try bounded by timeout seconds, > 0), retried while
 * the peer is not up, as w says (NULL: no wait). Ends early on
 * SIGINT/SIGTERM when loop_catch_signals is in force ("interrupted").
 * When the wait runs out: ERR_IO "connect to ADDR: not up after N s (No
 * such file or directory)", the last reason in brackets. */
int dialwait_connect(const struct addr *, int timeout,
    const struct dialwait *w, int *fd, struct err *);

#endif
