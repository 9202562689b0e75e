/* loop.h — one poll() loop for many file descriptors, with a deadline per
 * descriptor and a clean stop on SIGINT/SIGTERM.
 *
 * Each registered fd has a callback, the events it wants and an optional
 * deadline (monotonic milliseconds). loop_once waits until something is
 * ready or the earliest deadline passes and calls the callbacks:
 * LOOP_READ / LOOP_WRITE / LOOP_HUP as poll says, LOOP_TIMEOUT when the
 * deadline passed. Callbacks may add and remove descriptors.
 *
 * A loop is single-threaded: its callbacks run one at a time and nothing
 * in it is locked. Several cores mean several processes, each with its
 * own loop (role/workers.c), not threads sharing one; the one exception,
 * a batch's signatures (role/signpool.h), runs on threads a callback
 * waits for, which never touch the loop or a descriptor. */
#ifndef MP_NET_LOOP_H
#define MP_NET_LOOP_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum {
	LOOP_READ = 1,
	LOOP_WRITE = 2,
	LOOP_HUP = 4,
	LOOP_TIMEOUT = 8,
};

typedef void loop_fn(void *ctx, int fd, unsigned events);

struct loop_ent {
	int fd;
	unsigned want;		/* LOOP_READ | LOOP_WRITE */
	int64_t deadline;	/* monotonic ms; 0: none */
	loop_fn *fn;
	void *ctx;
};

struct loop {
	struct loop_ent *v;
	size_t n, cap;
	int stop;		/* set to leave loop_run */
};

/* The key of a deadline-only entry standing for fd, to wait when there is
 * nothing to poll for (a connect to retry): poll() skips a negative
 * descriptor, so the entry only ever gets LOOP_TIMEOUT. -1 is taken (a
 * removed entry), hence -2 - fd. */
#define LOOP_TIMER(fd) (-2 - (fd))

void loop_init(struct loop *);
/* Frees the table; the descriptors are the caller's to close. */
void loop_clear(struct loop *);
void loop_add(struct loop *, int fd, unsigned want, loop_fn *, void *ctx);
void loop_want(struct loop *, int fd, unsigned want);
void loop_deadline(struct loop *, int fd, int64_t deadline);
void loop_remove(struct loop *, int fd);
/* Waits at most max_ms (-1: no bound besides deadlines) and dispatches.
 * Returns -1 with ERR_IO when poll fails other than by a signal. */
int loop_once(struct loop *, int max_ms, struct err *);
/* Runs until stop is set, a stop signal arrives or nothing is left. */
int loop_run(struct loop *, struct err *);
int64_t loop_now_ms(void);

/* For a caller that runs its own poll() over more descriptors (the TUI
 * with the terminal): loop_pollfds writes the pollfd of each registered
 * descriptor into p (at most max; returns how many were written) and
 * lowers *wait_ms (-1: none) to the earliest deadline; after poll(),
 * loop_dispatch(p, n) with the same p and n calls the callbacks as
 * loop_once would. Nothing may be added or removed in between. */
size_t loop_pollfds(struct loop *, struct pollfd *p, size_t max,
    int *wait_ms);
void loop_dispatch(struct loop *, const struct pollfd *p, size_t n);

/* Installs SIGINT/SIGTERM handlers (without SA_RESTART, so poll returns)
 * and ignores SIGPIPE; loop_signalled() then says whether one came. */
void loop_catch_signals(void);
int loop_signalled(void);

#endif
