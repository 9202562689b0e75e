/* cliutil-wait.c — --timeout for the commands that connect; see
 * cliutil-wait.h. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cliutil-wait.h"

static void
cliutil_wait_say(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, CLI_PROG ": %s\n", line);
	fflush(stderr);
}

int
cliutil_wait(struct dialwait *w, long timeout, const char *what)
{
	memset(w, 0, sizeof *w);
	w->wait_s = (int)timeout;
	w->what = what;
	w->say = cliutil_wait_say;
	return timeout > 0 ? (int)timeout : CLIUTIL_STEP_TIMEOUT;
}
