/* workers.c — the server on all cores as worker processes sharing one
 * listening socket (forked after listen; the kernel hands each connection
 * to one worker's accept).
 *
 * Why processes, not threads with an engine each: the engines and the
 * poll loop are already per connection and per process, with no lock
 * anywhere; a worker that crashes on hostile input takes down only its
 * own connections and is replaced, where a thread would take the whole
 * server; and nothing in the crypto, the store or the line service has to
 * be audited for thread safety. What the workers must share, the session
 * ticket keys (so that a ticket from one worker resumes on another), is
 * made before the fork in one anonymous shared mapping: memory only,
 * never a file, gone with the last process. The supervisor alone rotates
 * them.
 *
 * Each worker is one single-threaded poll loop: a slow handshake only
 * waits for its own socket, never holds the loop, so it blocks no other
 * connection of that worker. The supervisor does no TLS at all: it only
 * forks, reaps, replaces and rotates. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net/loop.h"
#include "role/workers.h"
#include "util/nodump.h"

#define WORKERS_MAX 256

void
ticket_share_get(const struct ticket_share *sh, struct tls_ticket_keys *out)
{
	int c = __atomic_load_n(&sh->cur, __ATOMIC_ACQUIRE);

	*out = sh->k[c & 1];
}

unsigned
workers_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > WORKERS_MAX ? WORKERS_MAX : (unsigned)n;
}

static void
workers_log(const struct server_conf *conf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
workers_log(const struct server_conf *conf, const char *fmt, ...)
{
	va_list ap;
	char line[256];

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (conf->log != NULL) {
		fprintf(conf->log, "%s\n", line);
		fflush(conf->log);
	}
}

/* A worker: its own loop over the shared listener until told to stop. */
static void
worker_main(struct server_conf *wc)
{
	struct server *s;
	struct loop l;
	struct err e;
	int rc = 0;

	loop_init(&l);
	if ((s = server_start(wc, &l, &e)) == NULL) {
		workers_log(wc, "worker: %s", e.msg);
		_exit(1);
	}
	while (!loop_signalled())
		if (loop_once(&l, -1, &e) == -1) {
			workers_log(wc, "worker: %s", e.msg);
			rc = 1;
			break;
		}
	server_stop(s);
	loop_clear(&l);
	fflush(NULL);
	_exit(rc);
}

static pid_t
worker_spawn(struct server_conf *wc, unsigned i)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		worker_main(wc);
	if (pid == -1)
		workers_log(wc, "worker %u: fork: %s", i, strerror(errno));
	else
		workers_log(wc, "worker %u: pid %ld", i, (long)pid);
	return pid;
}

/* New current keys in the free slot, the old current kept as previous. */
static void
workers_rotate(struct ticket_share *sh, int64_t now)
{
	int c = sh->cur & 1;
	struct tls_ticket_keys next = sh->k[c];

	if (now - next.made < (int64_t)next.lifetime && now >= next.made)
		return;
	tls_ticket_keys_rotate(&next, now);
	sh->k[c ^ 1] = next;
	explicit_bzero(&next, sizeof next);
	__atomic_store_n(&sh->cur, c ^ 1, __ATOMIC_RELEASE);
}

int
server_run_workers(struct server_conf *conf, unsigned n, struct err *e)
{
	struct server_conf wc;
	struct ticket_share *sh;
	pid_t pids[WORKERS_MAX], pid;
	char name[400];
	unsigned i;
	int lfd, st;

	/* The server's key and the ticket keys live in every worker and in
	 * the single server alike: none of them may reach a core dump. */
	(void)nodump_process();
	if (n <= 1)
		return server_run(conf, e);
	if (n > WORKERS_MAX)
		n = WORKERS_MAX;
	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return err_set(e, ERR_IO, "shared memory for the ticket keys: "
		    "%s", strerror(errno));
	/* keep the keys out of core dumps */
	madvise(sh, sizeof *sh, MADV_DONTDUMP);
	tls_ticket_keys_init(&sh->k[0], (int64_t)time(NULL), 0);
	sh->cur = 0;
	if (addr_listen(&conf->addr, &lfd, e) == -1) {
		explicit_bzero(sh, sizeof *sh);
		munmap(sh, sizeof *sh);
		return -1;
	}
	wc = *conf;
	wc.ready = NULL;
	wc.listen_fd = lfd;
	wc.listen_given = 1;
	wc.ticket_share = sh;
	addr_format(&conf->addr, name, sizeof name);
	if (conf->ready != NULL)
		conf->ready(conf->ready_ctx, name);
	for (i = 0; i < n; i++)
		pids[i] = worker_spawn(&wc, i + 1);
	while (!loop_signalled()) {
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			for (i = 0; i < n; i++) {
				if (pids[i] != pid)
					continue;
				workers_log(conf, "worker %u: pid %ld %s %d; "
				    "replacing it", i + 1, (long)pid,
				    WIFSIGNALED(st) ? "killed by signal" :
				    "exited with", WIFSIGNALED(st) ?
				    WTERMSIG(st) : WEXITSTATUS(st));
				pids[i] = worker_spawn(&wc, i + 1);
			}
		for (i = 0; i < n; i++)
			if (pids[i] == -1)
				pids[i] = worker_spawn(&wc, i + 1);
		workers_rotate(sh, (int64_t)time(NULL));
		/* a tick: a dead worker is noticed within this much */
		poll(NULL, 0, 100);
	}
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			while (waitpid(pids[i], &st, 0) == -1 && errno == EINTR)
				;
	close(lfd);
	if (conf->addr.unix_path)
		unlink(conf->addr.path);
	workers_log(conf, "stopped");
	explicit_bzero(sh, sizeof *sh);
	munmap(sh, sizeof *sh);
	return 0;
}
