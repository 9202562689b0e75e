/* passphrase.c — passphrases from the environment, a file or the terminal;
 * see passphrase.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <nettle/memops.h>

#include "cli/passphrase.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/xalloc.h"

void
passphrase_free(struct passphrase *p)
{
	if (p->s != NULL)
		xfree_secret(p->s, p->len + 1);
	p->s = NULL;
	p->len = 0;
}

static int
passphrase_set(struct passphrase *p, const char *s, size_t len,
    const char *from, struct err *e)
{
	if (len == 0)
		return err_set(e, ERR_USAGE, "%s: the passphrase is empty", from);
	if (len > PASSPHRASE_MAX)
		return err_set(e, ERR_USAGE,
		    "%s: the passphrase is longer than %d bytes", from,
		    PASSPHRASE_MAX);
	p->s = xmalloc(len + 1);
	memcpy(p->s, s, len);
	p->s[len] = '\0';
	p->len = len;
	return 0;
}

int
passphrase_from_bytes(const uint8_t *data, size_t len, const char *from,
    struct passphrase *p, struct err *e)
{
	size_t n;

	p->s = NULL;
	p->len = 0;
	for (n = 0; n < len && data[n] != '\n'; n++)
		;
	if (n > 0 && data[n - 1] == '\r')
		n--;
	if (n > 0 && memchr(data, '\0', n) != NULL)
		return err_set(e, ERR_INPUT, "%s: the passphrase contains a NUL "
		    "byte", from);
	return passphrase_set(p, (const char *)data, n, from, e);
}

static int
passphrase_from_file(const char *path, struct passphrase *p, struct err *e)
{
	struct buf b;
	int rc;

	buf_init(&b);
	if (file_read(path, 64 * 1024, &b, e) == -1) {
		buf_clear_secret(&b);
		return err_wrap(e, "passphrase file");
	}
	rc = passphrase_from_bytes(b.data, b.len, path, p, e);
	buf_clear_secret(&b);
	return rc;
}

/* A signal that arrived while echo was off; handled once it is back on. */
static volatile sig_atomic_t tty_signal;

static void
tty_on_signal(int sig)
{
	tty_signal = sig;
}

/* Reads one line from the terminal with echo off. Returns 0, or -1 with err. */
static int
tty_read(int fd, const char *prompt, char *line, size_t size, struct err *e)
{
	struct sigaction sa, old_int, old_term, old_hup, old_tstp;
	struct termios t, tty_saved;
	size_t n = 0;
	int rc = -1, echo_off = 0;
	ssize_t r;
	char c;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tty_on_signal;
	sigemptyset(&sa.sa_mask);
	tty_signal = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGTSTP, &sa, &old_tstp);

	if (tcgetattr(fd, &tty_saved) == 0) {
		t = tty_saved;
		t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		t.c_lflag |= ICANON;
		if (tcsetattr(fd, TCSADRAIN, &t) == 0) {
			echo_off = 1;
		}
	}
	(void)!write(fd, prompt, strlen(prompt));
	for (;;) {
		r = read(fd, &c, 1);
		if (r == -1 && errno == EINTR && tty_signal == 0)
			continue;
		if (r <= 0 || tty_signal != 0)
			break;
		if (c == '\n' || c == '\r') {
			rc = 0;
			break;
		}
		if (n + 1 < size)
			line[n++] = c;
		else
			n = size;	/* too long: reported below */
	}
	explicit_bzero(&c, sizeof c);
	if (n >= size) {
		rc = -1;
		n = 0;
		err_set(e, ERR_USAGE, "the passphrase is longer than %d bytes",
		    PASSPHRASE_MAX);
	} else if (rc == -1)
		err_set(e, ERR_USAGE, "no passphrase entered");
	line[n < size ? n : size - 1] = '\0';
	(void)!write(fd, "\n", 1);
	if (echo_off)
		(void)tcsetattr(fd, TCSADRAIN, &tty_saved);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGTSTP, &old_tstp, NULL);
	/* With the terminal restored, let the signal do what it would have. */
	if (tty_signal != 0) {
		explicit_bzero(line, size);
		raise(tty_signal);
		err_set(e, ERR_USAGE, "interrupted");
		rc = -1;
	}
	return rc;
}

static int
passphrase_from_tty(const char *prompt, int flags, struct passphrase *p,
    struct err *e)
{
	char *a = NULL, *b = NULL, *msg = NULL;
	int fd, rc = -1;

	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd == -1 || !isatty(fd)) {
		err_set(e, ERR_USAGE, "no passphrase: set MINIPKI_PASSPHRASE, "
		    "use --passphrase-file or run on a terminal");
		goto out;
	}
	a = xmalloc(PASSPHRASE_MAX + 2);
	b = xmalloc(PASSPHRASE_MAX + 2);
	msg = xasprintf("%s: ", prompt);
	if (tty_read(fd, msg, a, PASSPHRASE_MAX + 2, e) == -1)
		goto out;
	if (flags & PASSPHRASE_NEW) {
		free(msg);
		msg = xasprintf("%s (again): ", prompt);
		if (tty_read(fd, msg, b, PASSPHRASE_MAX + 2, e) == -1)
			goto out;
		/* Secrets are compared in constant time (memeql_sec). */
		if (strlen(a) != strlen(b) ||
		    !memeql_sec(a, b, strlen(a))) {
			err_set(e, ERR_PASS, "the two passphrases differ");
			goto out;
		}
	}
	rc = passphrase_set(p, a, strlen(a), "terminal", e);
out:
	if (a != NULL)
		xfree_secret(a, PASSPHRASE_MAX + 2);
	if (b != NULL)
		xfree_secret(b, PASSPHRASE_MAX + 2);
	free(msg);
	if (fd != -1)
		close(fd);
	return rc;
}

int
passphrase_get(const struct cli *cli, const char *env, const char *prompt,
    int flags, struct passphrase *p, struct err *e)
{
	const char *v;

	p->s = NULL;
	p->len = 0;
	if (env != NULL && (v = getenv(env)) != NULL)
		return passphrase_set(p, v, strlen(v), env, e);
	if ((v = getenv("MINIPKI_PASSPHRASE")) != NULL)
		return passphrase_set(p, v, strlen(v), "MINIPKI_PASSPHRASE", e);
	if (cli != NULL && cli->opts.passfile != NULL)
		return passphrase_from_file(cli->opts.passfile, p, e);
	return passphrase_from_tty(prompt, flags, p, e);
}
