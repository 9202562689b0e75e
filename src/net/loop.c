/* loop.c — the poll loop with deadlines; see loop.h. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/loop.h"
#include "util/xalloc.h"

static volatile sig_atomic_t loop_sig;

static void
loop_on_signal(int sig)
{
	loop_sig = sig;
}

void
loop_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = loop_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
loop_signalled(void)
{
	return loop_sig != 0;
}

int64_t
loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
loop_init(struct loop *l)
{
	memset(l, 0, sizeof *l);
}

void
loop_clear(struct loop *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

static struct loop_ent *
loop_find(struct loop *l, int fd)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].fd == fd)
			return &l->v[i];
	return NULL;
}

void
loop_add(struct loop *l, int fd, unsigned want, loop_fn *fn, void *ctx)
{
	struct loop_ent *e;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	e = &l->v[l->n++];
	e->fd = fd;
	e->want = want;
	e->deadline = 0;
	e->fn = fn;
	e->ctx = ctx;
}

void
loop_want(struct loop *l, int fd, unsigned want)
{
	struct loop_ent *e = loop_find(l, fd);

	if (e != NULL)
		e->want = want;
}

void
loop_deadline(struct loop *l, int fd, int64_t deadline)
{
	struct loop_ent *e = loop_find(l, fd);

	if (e != NULL)
		e->deadline = deadline;
}

void
loop_remove(struct loop *l, int fd)
{
	struct loop_ent *e = loop_find(l, fd);

	/* Marked now, compacted after dispatch (callbacks may be running). */
	if (e != NULL)
		e->fd = -1;
}

static void
loop_compact(struct loop *l)
{
	size_t i, j = 0;

	for (i = 0; i < l->n; i++)
		if (l->v[i].fd != -1)
			l->v[j++] = l->v[i];
	l->n = j;
}

size_t
loop_pollfds(struct loop *l, struct pollfd *p, size_t max, int *wait_ms)
{
	size_t i, n = l->n < max ? l->n : max;
	int64_t now = loop_now_ms(), first = 0, d;

	for (i = 0; i < n; i++) {
		p[i].fd = l->v[i].fd;
		p[i].events = (short)((l->v[i].want & LOOP_READ ? POLLIN : 0) |
		    (l->v[i].want & LOOP_WRITE ? POLLOUT : 0));
		p[i].revents = 0;
		if (l->v[i].fd != -1 && l->v[i].deadline != 0 && (first == 0 ||
		    l->v[i].deadline < first))
			first = l->v[i].deadline;
	}
	if (first != 0) {
		d = first - now;
		if (d < 0)
			d = 0;
		if (d > 24 * 3600 * 1000)
			d = 24 * 3600 * 1000;
		if (*wait_ms < 0 || d < *wait_ms)
			*wait_ms = (int)d;
	}
	return n;
}

void
loop_dispatch(struct loop *l, const struct pollfd *p, size_t n)
{
	size_t i;
	int64_t now = loop_now_ms();
	int fd;
	unsigned ev;

	/* Entries added by callbacks (index >= n) wait for the next turn. */
	for (i = 0; i < n && i < l->n; i++) {
		fd = l->v[i].fd;
		if (fd == -1 || fd != p[i].fd)
			continue;
		ev = 0;
		if (p[i].revents & POLLIN)
			ev |= LOOP_READ;
		if (p[i].revents & POLLOUT)
			ev |= LOOP_WRITE;
		if (p[i].revents & (POLLHUP | POLLERR | POLLNVAL))
			ev |= LOOP_HUP;
		if (ev == 0 && l->v[i].deadline != 0 &&
		    now >= l->v[i].deadline)
			ev = LOOP_TIMEOUT;
		if (ev != 0)
			l->v[i].fn(l->v[i].ctx, fd, ev);
	}
	loop_compact(l);
}

int
loop_once(struct loop *l, int max_ms, struct err *e)
{
	struct pollfd *p;
	size_t n;
	int rc, wait = max_ms;

	p = xcalloc(l->n ? l->n : 1, sizeof *p);
	n = loop_pollfds(l, p, l->n, &wait);
	rc = poll(p, n, wait);
	if (rc == -1) {
		free(p);
		if (errno == EINTR)
			return 0;
		return err_set(e, ERR_IO, "poll: %s", strerror(errno));
	}
	loop_dispatch(l, p, n);
	free(p);
	return 0;
}

int
loop_run(struct loop *l, struct err *e)
{
	while (!l->stop && !loop_signalled() && l->n > 0)
		if (loop_once(l, -1, e) == -1)
			return -1;
	return 0;
}
