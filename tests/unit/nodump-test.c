/* nodump-test — nodump_process in a child: before it, the process is
 * dumpable with a core limit raised as far as the hard limit lets it;
 * after it, not dumpable and a limit of 0, soft and hard (a process
 * cannot raise it back). The parent reads the verdict from the exit
 * status, so this test process itself stays as it was. */
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"
#include "util/nodump.h"

/* Exit codes of the child: 0 all good, else the first step that was
 * not as it should be. */
static int
child(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_CORE, &r) == -1)
		return 10;
	r.rlim_cur = r.rlim_max;
	if (setrlimit(RLIMIT_CORE, &r) == -1)
		return 11;
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 1)
		return 12;	/* the starting point the test needs */
	if (nodump_process() != 0)
		return 13;
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		return 14;
	if (getrlimit(RLIMIT_CORE, &r) == -1 || r.rlim_cur != 0 ||
	    r.rlim_max != 0)
		return 15;
	r.rlim_cur = r.rlim_max = 1024 * 1024;
	if (setrlimit(RLIMIT_CORE, &r) == 0 && geteuid() != 0)
		return 16;	/* raised again without privilege */
	/* a child forked now inherits both */
	switch (fork()) {
	case -1:
		return 17;
	case 0:
		_exit(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 &&
		    getrlimit(RLIMIT_CORE, &r) == 0 && r.rlim_cur == 0 ? 0 : 1);
	default: {
		int st;

		if (wait(&st) == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return 18;
	}
	}
	return 0;
}

int
main(void)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	CHECK(pid != -1);
	if (pid == 0)
		_exit(child());
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
	/* this process was left alone */
	CHECK_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	return test_done();
}
