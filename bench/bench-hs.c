/* bench-hs — a TLS handshake load generator, our engine as the client.
 *
 *	bench-hs [-c CONC] [-t SECONDS] [-n COUNT] [-r] [-v 1.2|1.3]
 *	    [-p PID]... ADDR CAFILE
 *
 * Keeps CONC connections (8) in flight to ADDR ("tcp:127.0.0.1:PORT"),
 * non-blocking, from one poll loop. Each connection does one handshake
 * (server name "localhost", trusting CAFILE), sends close_notify at once
 * and waits for the server's close_notify or end of file, so that the
 * server has processed all of the handshake before the next connection
 * of that slot starts. TLS 1.3 (default) offers TLS_AES_128_GCM_SHA256
 * and a key share for x25519; TLS 1.2 the ECDHE AES-128-GCM suites; both
 * list the groups x25519 then secp256r1.
 *
 * With -r every connection offers to resume the session of the last
 * ticket its slot received (the server's NewSessionTicket arrives before
 * its close_notify), so each handshake after the first resumes: no
 * certificate, no signature.
 *
 * Every slot first completes one handshake untimed (the warm-up, which
 * also gets the first tickets); then the clock runs for SECONDS (3) or
 * until COUNT handshakes are done, whichever comes first; connections
 * still in flight then are not counted. For each -p PID, the CPU time
 * (user + system, from /proc/PID/stat) of PID and of its children (the
 * workers of `server run --workers N`) over the same window is summed
 * into server_cpu_s. Output, one "name value" a line:
 *	hs_count N		handshakes completed in the window
 *	hs_resumed N		of them, resumed
 *	hs_failed N		connections that failed (first error on stderr)
 *	hs_seconds T		the window, wall clock
 *	hs_per_s R		hs_count / hs_seconds
 *	client_cpu_s C		this process's CPU time in the window
 *	server_cpu_s S		(with -p) the servers' CPU time in the window
 * Not a test: it never fails on a slow number; it exits 1 when no
 * handshake completes. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/addr.h"
#include "net/loop.h"
#include "net/tlsio.h"
#include "tls/tls.h"
#include "util/err.h"

#define MAX_CONC	256
#define MAX_PIDS	8
#define CONN_TIMEOUT	10.0	/* seconds one connection may take */

struct slot {
	int fd;			/* -1: idle */
	int dialing;		/* connect in progress on d.fd */
	int tls;		/* the engine is initialised */
	int closing;		/* handshake done, close_notify queued */
	double start;
	struct addr_dial d;
	struct tls_config cfg;	/* the shared one, with this slot's resume */
	struct tls_engine t;
	struct tls_session sess;
	int have_sess;
};

struct run {
	struct addr a;
	struct tls_config cfg;
	int resume;
	unsigned long done, resumed, failed;
	int reported;		/* the first failure was printed */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* utime + stime of one process in clock ticks; 0 when it is gone. The
 * fields after the command name (which may hold spaces, hence the last
 * ')'): state is field 3, utime 14, stime 15. */
static unsigned long long
proc_ticks(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu", &ut, &st) != 2)
		return 0;
	return ut + st;
}

/* The CPU seconds of pid and of its children (every thread's list). */
static double
tree_cpu(long pid)
{
	char path[64];
	unsigned long long t = proc_ticks(pid);
	long child, hz = sysconf(_SC_CLK_TCK);
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", pid, pid);
	if ((f = fopen(path, "r")) != NULL) {
		while (fscanf(f, "%ld", &child) == 1)
			t += proc_ticks(child);
		fclose(f);
	}
	return (double)t / (double)(hz > 0 ? hz : 100);
}

static double
servers_cpu(const long *pids, int npids)
{
	double s = 0;
	int i;

	for (i = 0; i < npids; i++)
		s += tree_cpu(pids[i]);
	return s;
}

/* Counts a failed connection; the first one's reason goes to stderr. */
static void
slot_fail(struct run *r, const char *why)
{
	r->failed++;
	if (!r->reported) {
		fprintf(stderr, "bench-hs: a connection failed: %s\n", why);
		r->reported = 1;
	}
}

/* Ends the slot's connection; counts it when counting. */
static void
slot_end(struct run *r, struct slot *s, int counting)
{
	const struct tls_session *ns;

	if (s->tls) {
		if (s->closing && s->t.alert_rcvd == -1) {
			if (counting) {
				r->done++;
				r->resumed += tls_engine_resumed(&s->t) != 0;
			}
			if ((ns = tls_engine_session(&s->t)) != NULL) {
				s->sess = *ns;
				s->have_sess = 1;
			}
		} else if (counting) {
			slot_fail(r, tls_engine_error(&s->t) != NULL ?
			    tls_engine_error(&s->t)->msg : "closed");
		}
		tls_engine_clear(&s->t);
		s->tls = 0;
	}
	if (s->dialing)
		addr_dial_clear(&s->d);
	else if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	s->dialing = s->closing = 0;
}

static void
slot_tls_start(struct run *r, struct slot *s)
{
	int one = 1;

	/* Our last flight and the close_notify after it are two writes:
	 * with Nagle the second would wait for the server's delayed ACK
	 * (40 ms), and the slot with it. */
	setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	s->cfg = r->cfg;
	s->cfg.resume = r->resume && s->have_sess ? &s->sess : NULL;
	tls_engine_init(&s->t, &s->cfg, (int64_t)time(NULL));
	s->tls = 1;
}

/* Starts a new connection in an idle slot. */
static void
slot_start(struct run *r, struct slot *s)
{
	struct err e;
	int rc;

	err_clear(&e);
	s->start = now();
	rc = addr_dial_start(&s->d, &r->a, &s->fd, &e);
	if (rc == -1) {
		slot_fail(r, e.msg);
		s->fd = -1;
		return;
	}
	s->dialing = rc == 1;
	if (rc == 1)
		s->fd = s->d.fd;
	else
		slot_tls_start(r, s);
}

/* Moves the slot on; 1 when its connection is over. */
static int
slot_step(struct run *r, struct slot *s)
{
	struct err e;
	size_t n;
	int rc;

	err_clear(&e);
	if (s->dialing) {
		rc = addr_dial_step(&s->d, &s->fd, &e);
		if (rc == 1) {
			s->fd = s->d.fd;	/* maybe the next candidate */
			return 0;
		}
		s->dialing = 0;
		if (rc == -1) {
			s->fd = -1;
			slot_fail(r, e.msg);
			return 1;
		}
		slot_tls_start(r, s);
	}
	for (;;) {
		tlsio_pump(&s->t, s->fd, &e);
		/* the server's answers, if any, are not wanted */
		while (tls_engine_recvapp_buf(&s->t, &n) != NULL)
			tls_engine_recvapp_ack(&s->t, n);
		if (!s->closing && tls_engine_handshake_done(&s->t)) {
			tls_engine_close(&s->t);
			s->closing = 1;
			continue;
		}
		break;
	}
	return (tls_engine_state(&s->t) & TLS_CLOSED) != 0;
}

/* The warm-up: every slot completes (or fails) one connection, then it
 * returns. Timed: keeps every slot busy until the deadline or maxn
 * handshakes, and returns with connections still in flight. */
static void
drive(struct run *r, struct slot *slots, int conc, int warmup,
    double deadline, unsigned long maxn)
{
	struct pollfd p[MAX_CONC];
	int idx[MAX_CONC];
	int warm[MAX_CONC];
	int i, np, busy, timeout;
	double t;

	for (i = 0; i < conc; i++)
		warm[i] = 0;
	for (;;) {
		t = now();
		if (!warmup && (t >= deadline || r->done >= maxn))
			return;
		np = busy = 0;
		timeout = 1000;
		for (i = 0; i < conc; i++) {
			struct slot *s = &slots[i];
			unsigned ev;

			if (s->fd == -1 && !s->dialing) {
				if (warmup && warm[i])
					continue;
				slot_start(r, s);
				if (s->fd == -1) {
					/* a warm-up slot that cannot connect
					 * is done with: the count tells */
					warm[i] = 1;
					continue;
				}
			}
			busy++;
			if (t - s->start > CONN_TIMEOUT) {
				slot_fail(r, "timed out");
				slot_end(r, s, 0);
				if (warmup)
					warm[i] = 1;
				continue;
			}
			if (s->dialing) {
				if (s->d.retry) {
					timeout = ADDR_DIAL_RETRY_MS;
					continue;
				}
				ev = LOOP_WRITE;
			} else
				ev = tlsio_events(&s->t);
			p[np].fd = s->fd;
			p[np].events = (short)((ev & LOOP_READ ? POLLIN : 0) |
			    (ev & LOOP_WRITE ? POLLOUT : 0));
			p[np].revents = 0;
			idx[np++] = i;
		}
		if (warmup && busy == 0)
			return;
		if (np > 0 && !warmup && deadline - t < timeout / 1000.0)
			timeout = (int)((deadline - t) * 1000) + 1;
		if (poll(p, (nfds_t)np, timeout) == -1 && errno != EINTR) {
			perror("bench-hs: poll");
			exit(1);
		}
		if (loop_signalled())
			exit(1);
		for (i = 0; i < np; i++) {
			struct slot *s = &slots[idx[i]];

			if (p[i].revents == 0)
				continue;
			if (!warmup && r->done >= maxn)
				break;	/* -n: exactly COUNT */
			if (slot_step(r, s)) {
				slot_end(r, s, 1);
				if (warmup)
					warm[idx[i]] = 1;
			}
		}
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench-hs [-c CONC] [-t SECONDS] [-n COUNT] "
	    "[-r] [-v 1.2|1.3] [-p PID]... ADDR CAFILE\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const uint16_t suites13[] = { TLS_SUITE_AES128_GCM_SHA256 };
	static const uint16_t suites12[] = { TLS_SUITE_ECDHE_RSA_AES128_GCM,
	    TLS_SUITE_ECDHE_ECDSA_AES128_GCM };
	/* x25519 for the key exchange (the TLS 1.3 key share is for the
	 * first); secp256r1 listed too, as TLS 1.2 requires of a client that
	 * accepts a P-256 certificate (RFC 8422 5.1). */
	static const uint16_t groups[] = { TLS_GROUP_X25519,
	    TLS_GROUP_SECP256R1 };
	static struct slot slots[MAX_CONC];
	static struct run r;
	struct cert_list anchors;
	struct err e;
	long pids[MAX_PIDS];
	int npids = 0, conc = 8, ver = 13, opt, i;
	double secs = 3, t0, t1, c0, c1, s0 = 0, s1 = 0;
	unsigned long maxn = (unsigned long)-1;

	while ((opt = getopt(argc, argv, "c:t:n:rv:p:")) != -1) {
		switch (opt) {
		case 'c':
			conc = atoi(optarg);
			if (conc < 1 || conc > MAX_CONC)
				usage();
			break;
		case 't':
			secs = atof(optarg);
			if (!(secs > 0 && secs <= 3600))
				usage();
			break;
		case 'n':
			maxn = strtoul(optarg, NULL, 10);
			if (maxn == 0)
				usage();
			break;
		case 'r':
			r.resume = 1;
			break;
		case 'v':
			if (strcmp(optarg, "1.2") == 0)
				ver = 12;
			else if (strcmp(optarg, "1.3") == 0)
				ver = 13;
			else
				usage();
			break;
		case 'p':
			if (npids == MAX_PIDS || (pids[npids++] = atol(optarg))
			    <= 0)
				usage();
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	err_clear(&e);
	cert_list_init(&anchors);
	if (addr_parse(&r.a, argv[optind], &e) == -1 ||
	    cert_list_load_file(&anchors, argv[optind + 1], &e) == -1) {
		fprintf(stderr, "bench-hs: %s\n", e.msg);
		cert_list_clear(&anchors);
		return 1;
	}
	r.cfg.min_version = r.cfg.max_version =
	    ver == 12 ? TLS_VERSION_12 : TLS_VERSION_13;
	r.cfg.suites = ver == 12 ? suites12 : suites13;
	r.cfg.nsuites = ver == 12 ? 2 : 1;
	r.cfg.groups = groups;
	r.cfg.ngroups = 2;
	r.cfg.server_name = "localhost";
	r.cfg.anchors = &anchors;
	for (i = 0; i < conc; i++)
		slots[i].fd = -1;
	loop_catch_signals();

	drive(&r, slots, conc, 1, 0, 0);
	if (r.failed > 0 && r.done == 0) {
		fprintf(stderr, "bench-hs: the warm-up completed no "
		    "handshake\n");
		cert_list_clear(&anchors);
		return 1;
	}
	r.done = r.resumed = r.failed = 0;
	t0 = now();
	c0 = self_cpu();
	s0 = servers_cpu(pids, npids);
	drive(&r, slots, conc, 0, t0 + secs, maxn);
	t1 = now();
	c1 = self_cpu();
	s1 = servers_cpu(pids, npids);
	for (i = 0; i < conc; i++)
		slot_end(&r, &slots[i], 0);

	printf("hs_count %lu\nhs_resumed %lu\nhs_failed %lu\n"
	    "hs_seconds %.4f\nhs_per_s %.1f\nclient_cpu_s %.3f\n",
	    r.done, r.resumed, r.failed, t1 - t0, (double)r.done / (t1 - t0),
	    c1 - c0);
	if (npids > 0)
		printf("server_cpu_s %.3f\n", s1 - s0);
	cert_list_clear(&anchors);
	return r.done > 0 ? 0 : 1;
}
