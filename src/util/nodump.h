/* nodump.h — keeping a process that holds secrets out of core dumps. */
#ifndef MP_UTIL_NODUMP_H
#define MP_UTIL_NODUMP_H

/* Makes this process (and the children it forks from now on) leave no
 * core dump: not dumpable (prctl PR_SET_DUMPABLE 0, which also keeps
 * other processes of the same user from ptrace and /proc/PID/mem) and a
 * core size limit of 0, soft and hard. For a process that holds private
 * keys or session ticket keys for its whole life: `server run` and its
 * workers. Returns -1 when either call failed (errno set); the process
 * goes on regardless. */
int nodump_process(void);

#endif
