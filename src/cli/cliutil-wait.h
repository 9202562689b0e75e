/* cliutil-wait.h — what --timeout means for a command that connects:
 * wait that long for a peer that is not up yet (0: forever; net/dialwait.h)
 * and give each step (connect, handshake, an answer) that long too (the
 * default when 0). The waiting lines go to standard error. */
#ifndef MP_CLI_CLIUTIL_WAIT_H
#define MP_CLI_CLIUTIL_WAIT_H

#include "net/dialwait.h"

#define CLIUTIL_STEP_TIMEOUT 10

/* Fills w for --timeout timeout (0: forever) and a peer named what
 * ("the CA service"); returns the seconds each step gets. */
int cliutil_wait(struct dialwait *w, long timeout, const char *what);

#endif
