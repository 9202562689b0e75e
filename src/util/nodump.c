/* nodump.c — see nodump.h. Both, not one: the limit alone lets a
 * core_pattern pipe (systemd-coredump, apport) still receive the image,
 * which it may store; non-dumpable alone is undone by a setuid exec. */
#include <sys/prctl.h>
#include <sys/resource.h>

#include "util/nodump.h"

int
nodump_process(void)
{
	struct rlimit none = { 0, 0 };
	int rc = 0;

	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		rc = -1;
	if (setrlimit(RLIMIT_CORE, &none) == -1)
		rc = -1;
	return rc;
}
