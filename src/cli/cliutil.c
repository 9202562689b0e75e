/* cliutil.c — shared pieces of the commands; see cliutil.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cliutil.h"
#include "role/enroll.h"
#include "util/file.h"
#include "util/xalloc.h"

int
cliutil_ca_args(struct args *a, int opt_ca, const char **caname,
    const char **operand, const char **value, int *status)
{
	const char *none = "";	/* a slot already taken: no operand fits */
	int r;

	if (operand == NULL)
		operand = &none;
	while ((r = args_next(a, value)) != ARGS_HELP && r != ARGS_ERROR) {
		if (r == opt_ca)
			*caname = *value;
		else if (r != ARGS_OPERAND)
			return r;	/* the command's own option, or the end */
		else if (args_operand(a, operand, *value) == -1)
			break;
	}
	*status = r == ARGS_HELP ? EXIT_OK : EXIT_USAGE;
	return -1;
}

int
cliutil_ws(const struct cli *cli, struct ws *ws, struct err *e)
{
	if (ws_open(ws, cli->opts.dir, e) == -1)
		return -1;
	if (ws->warning != NULL)
		fprintf(stderr, "minipki-tui: warning: %s\n", ws->warning);
	return 0;
}

int
cliutil_ca(const struct cli *cli, struct ws *ws, struct ca *ca,
    const char *name, int flags, int (*precheck)(const struct ca *,
    const void *, struct err *), const void *arg, struct err *e)
{
	struct passphrase pass = { NULL, 0 };
	size_t i;
	int rc = -1;

	if (cliutil_ws(cli, ws, e) == -1 ||
	    ca_open(ca, ws, name, flags, e) == -1)
		return -1;
	for (i = 0; i < ca->db.nwarnings; i++)
		fprintf(stderr, "minipki-tui: warning: %s\n",
		    ca->db.warnings[i]);
	if (!(flags & CA_WRITE))
		return 0;
	/* Refuse what can be refused before asking for a passphrase. */
	if (precheck != NULL && precheck(ca, arg, e) == -1)
		return -1;
	if (cliutil_passphrase(cli, "CA", name, 0, &pass, e) == -1)
		goto out;
	if (ca_unlock(ca, pass.s, pass.len, e) == -1)
		goto out;
	rc = 0;
out:
	passphrase_free(&pass);
	return rc;
}

int
cliutil_enroll(const struct cli *cli, struct ws *ws, struct enroll *en,
    const char *name, struct err *e)
{
	if (cliutil_ws(cli, ws, e) == -1)
		return -1;
	return enroll_open(en, ws, name, e);
}

int
cliutil_enroll_print(const struct cli *cli, const char *name,
    void (*lines)(const struct enroll *, const void *, struct buf *),
    const void *arg)
{
	struct ws ws;
	struct enroll en;
	struct err e;
	struct buf out;
	int rc = EXIT_OK;

	err_clear(&e);
	ws_init(&ws);
	enroll_init(&en);
	buf_init(&out);
	if (cliutil_enroll(cli, &ws, &en, name, &e) == -1)
		rc = cli_fail(&e);
	else {
		lines(&en, arg, &out);
		if (cliutil_write(NULL, out.data, out.len, 0, &e) == -1)
			rc = cli_fail(&e);
	}
	buf_clear(&out);
	enroll_clear(&en);
	ws_clear(&ws);
	return rc;
}

int
cliutil_passphrase(const struct cli *cli, const char *what, const char *name,
    int flags, struct passphrase *p, struct err *e)
{
	char *prompt;
	int rc;

	prompt = xasprintf("%s for %s '%s'", (flags & PASSPHRASE_NEW) ?
	    "New passphrase" : "Passphrase", what, name);
	rc = passphrase_get(cli, NULL, prompt, flags, p, e);
	free(prompt);
	return rc;
}

int
cliutil_write(const char *path, const void *data, size_t len, int secret,
    struct err *e)
{
	if (path == NULL || strcmp(path, "-") == 0) {
		if ((len > 0 && fwrite(data, 1, len, stdout) != len) ||
		    fflush(stdout) != 0)
			return err_set(e, ERR_IO, "standard output: %s",
			    strerror(errno));
		return 0;
	}
	return file_write(path, data, len, secret ? 0600 : 0644, secret, e);
}

void
cliutil_note(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "minipki-tui: note: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
