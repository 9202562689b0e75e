/* testhttpsrv.c — see testhttpsrv.h. */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/addr.h"
#include "testhttpsrv.h"
#include "testlib.h"

/* The child's state. */
static struct httpsrv *ths_srv;
static struct loop ths_loop;
static FILE *ths_log;
static int ths_ready_fd = -1;
static uint8_t *ths_big;
static unsigned ths_later_id;

#define THS_TIMER LOOP_TIMER(100000)

static void
ths_ready(void *ctx, size_t i, const char *addr)
{
	dprintf(ths_ready_fd, "%zu %s\n", i, addr);
}

static void
ths_logline(void *ctx, const struct httpsrv_log *rec, const char *line)
{
	fprintf(ths_log, "%s\n", line);
	fflush(ths_log);
}

static void
ths_text(struct httpresp *out, const char *s)
{
	out->content_type = "text/plain";
	out->body = (const uint8_t *)s;
	out->body_len = strlen(s);
}

static void
ths_later_fire(void *ctx, int fd, unsigned ev)
{
	struct httpresp r;

	loop_remove(&ths_loop, fd);
	memset(&r, 0, sizeof r);
	r.status = 200;
	ths_text(&r, "later\n");
	if (httpsrv_answer(ths_srv, ths_later_id, &r) == -1)
		fprintf(ths_log, "later: connection %u gone\n", ths_later_id);
}

static enum httpsrv_verdict
ths_handler(void *ctx, const struct http_request *q,
    const struct httpsrv_peer *p, struct httpresp *out)
{
	out->status = 200;
	if (strcmp(q->path, "/hello") == 0)
		ths_text(out, "hello\n");
	else if (strcmp(q->path, "/echo") == 0) {
		out->content_type = "application/octet-stream";
		out->body = q->body;
		out->body_len = q->body_len;
	} else if (strcmp(q->path, "/whoami") == 0) {
		buf_printf(p->body, "%s\n%s %s\n", p->subject != NULL ?
		    p->subject : "anonymous", p->tls ? "tls" : "plain",
		    p->addr);
		if (p->subject != NULL && (p->chain == NULL ||
		    p->chain->n == 0))
			buf_puts(p->body, "no chain!\n");
		ths_text(out, (const char *)p->body->data);
	} else if (strcmp(q->path, "/big") == 0) {
		out->content_type = "application/octet-stream";
		out->body = ths_big;
		out->body_len = TEST_HTTPSRV_BIG;
	} else if (strcmp(q->path, "/later") == 0) {
		ths_later_id = p->id;
		loop_add(&ths_loop, THS_TIMER, 0, ths_later_fire, NULL);
		loop_deadline(&ths_loop, THS_TIMER, loop_now_ms() + 200);
		return HTTPSRV_PENDING;
	} else if (strcmp(q->path, "/never") == 0)
		return HTTPSRV_PENDING;
	else if (strcmp(q->path, "/bad") == 0) {
		/* a header injection httpresp_write refuses */
		ths_text(out, "bad\n");
		out->content_type = "text/plain\r\nX-Injected: 1";
	} else if (strcmp(q->path, "/close") == 0) {
		out->close = 1;
		ths_text(out, "bye\n");
	} else {
		out->status = 404;
		ths_text(out, "not found\n");
	}
	return HTTPSRV_ANSWERED;
}

static void __attribute__((noreturn))
ths_child(struct httpsrv_conf *conf, const char *log_path)
{
	struct err e;
	int rc = 0;

	loop_init(&ths_loop);
	loop_catch_signals();
	if ((ths_log = fopen(log_path, "w")) == NULL) {
		dprintf(ths_ready_fd, "error cannot write %s\n", log_path);
		exit(1);
	}
	ths_big = malloc(TEST_HTTPSRV_BIG);
	memset(ths_big, 'x', TEST_HTTPSRV_BIG);
	if (conf->handler == NULL)
		conf->handler = ths_handler;
	conf->ready = ths_ready;
	conf->log = ths_logline;
	if ((ths_srv = httpsrv_start(conf, &ths_loop, &e)) == NULL) {
		dprintf(ths_ready_fd, "error %s\n", e.msg);
		exit(1);
	}
	dprintf(ths_ready_fd, "ok\n");
	close(ths_ready_fd);
	while (!loop_signalled())
		if (loop_once(&ths_loop, 1000, &e) == -1) {
			fprintf(ths_log, "loop: %s\n", e.msg);
			rc = 1;
			break;
		}
	httpsrv_stop(ths_srv);
	loop_clear(&ths_loop);
	free(ths_big);
	fclose(ths_log);
	exit(rc);
}

void
test_httpsrv_fork(struct test_httpsrv *t, struct httpsrv_conf *conf,
    const char *log_path)
{
	char buf[2048], *line, *nl;
	size_t len = 0, idx;
	ssize_t r;
	int pfd[2];

	memset(t, 0, sizeof *t);
	fflush(NULL);
	if (pipe(pfd) == -1 || (t->pid = fork()) == -1) {
		perror("pipe/fork");
		exit(1);
	}
	if (t->pid == 0) {
		close(pfd[0]);
		ths_ready_fd = pfd[1];
		ths_child(conf, log_path);
	}
	close(pfd[1]);
	while (len < sizeof buf - 1 &&
	    (r = read(pfd[0], buf + len, sizeof buf - 1 - len)) > 0)
		len += (size_t)r;
	close(pfd[0]);
	buf[len] = '\0';
	for (line = buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		if (strcmp(line, "ok") == 0)
			return;
		if (sscanf(line, "%zu", &idx) == 1 && idx < 8 &&
		    strchr(line, ' ') != NULL) {
			snprintf(t->addr[idx], sizeof t->addr[idx], "%s",
			    strchr(line, ' ') + 1);
			if (idx + 1 > t->n)
				t->n = idx + 1;
			continue;
		}
		break;
	}
	fprintf(stderr, "server did not start: %s\n", line);
	exit(1);
}

void
test_httpsrv_tls(struct tls_config *c, const struct test_pki *pki,
    enum tls_client_auth auth)
{
	memset(c, 0, sizeof *c);
	c->is_server = 1;
	c->min_version = TLS_VERSION_12;
	c->max_version = TLS_VERSION_13;
	c->chain = &pki->server_chain;
	c->key = &pki->leaf_key;
	c->anchors = &pki->root;
	c->client_auth = auth;
}

void
test_httpsrv_stop(struct test_httpsrv *t)
{
	int st;

	kill(t->pid, SIGTERM);
	CHECK(waitpid(t->pid, &st, 0) == t->pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int
test_dial(const char *text)
{
	struct addr a;
	struct err e;
	int fd, fl;

	if (addr_parse(&a, text, &e) == -1 || addr_connect(&a, 5, &fd, &e) ==
	    -1) {
		fprintf(stderr, "dial %s: %s\n", text, e.msg);
		return -1;
	}
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

int
test_send(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;
	ssize_t w;

	while (len > 0) {
		if ((w = send(fd, p, len, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
test_recv_all(int fd, struct buf *out, int timeout_ms)
{
	struct pollfd pfd;
	uint8_t tmp[65536];
	ssize_t r;

	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, timeout_ms) == 0)
			return -1;
		r = read(fd, tmp, sizeof tmp);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		buf_append(out, tmp, (size_t)r);
	}
}

char *
test_exchange(const char *addr, const char *req, int timeout_ms)
{
	struct buf out;
	size_t n;
	int fd;

	buf_init(&out);
	if ((fd = test_dial(addr)) == -1)
		buf_puts(&out, "<cannot connect>");
	else {
		if (test_send(fd, req, strlen(req)) == -1)
			buf_puts(&out, "<send failed>");
		if (test_recv_all(fd, &out, timeout_ms) == -1)
			buf_puts(&out, "<timeout>");
		close(fd);
	}
	buf_putc(&out, '\0');
	return (char *)buf_steal(&out, &n);
}
