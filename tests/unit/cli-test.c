/* cli-test.c — the command entries (src/cli): each command's help names
 * exactly the options it accepts, so the help cannot drift from the
 * parser. An option of its table missing from its usage or from the option
 * lines of its help fails, and so does an option its usage or help names
 * that the table does not hold (a mention `in back quotes` names another
 * command's option, as "`verify --crl`"). Each command's --help runs
 * through its own parser, which checks it parses its entry's table. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "testlib.h"

/* Options every command takes from args.c, not from its table. */
static int
common_option(const char *name, size_t len)
{
	return (len == 4 && strncmp(name, "help", 4) == 0) ||
	    (len == 15 && strncmp(name, "passphrase-file", 15) == 0);
}

static int
opt_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static const struct args_opt *
find_opt(const struct cli_cmd *c, const char *name, size_t len)
{
	const struct args_opt *o;

	for (o = c->opts; o != NULL && o->id != 0; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

/* Whether text names "--name" as a whole word; with lines set, only at
 * the start of an option line ("  --name", two spaces, then a space or the
 * end of the line after it). */
static int
names(const char *text, const char *name, int lines)
{
	size_t len = strlen(name);
	const char *p;

	for (p = text; (p = strstr(p, "--")) != NULL; p += 2) {
		if (strncmp(p + 2, name, len) != 0 || opt_char(p[2 + len]))
			continue;
		if (p > text && opt_char(p[-1]))
			continue;
		if (!lines)
			return 1;
		if (p - text >= 2 && strncmp(p - 2, "  ", 2) == 0 &&
		    (p - text == 2 || p[-3] == '\n'))
			return 1;
	}
	return 0;
}

/* Every "--name" of text outside back quotes must be one of c's options;
 * returns how many are not (each reported). */
static int
unknown_options(const struct cli_cmd *c, const char *what, const char *text)
{
	const char *p, *w;
	int quoted = 0, bad = 0;
	size_t len;

	for (p = text; *p != '\0'; p++) {
		if (*p == '`') {
			quoted = !quoted;
			continue;
		}
		if (quoted || p[0] != '-' || p[1] != '-' ||
		    (p > text && opt_char(p[-1])))
			continue;
		for (w = p + 2, len = 0; opt_char(w[len]); len++)
			;
		if (len > 0 && find_opt(c, w, len) == NULL &&
		    !common_option(w, len)) {
			test_fail(__FILE__, __LINE__, "%s: its %s names --%.*s, "
			    "which it does not accept", c->name, what,
			    (int)len, w);
			bad++;
		}
		p = w + len - 1;
	}
	return bad;
}

static void
test_entries(void)
{
	const struct cli_cmd *const *cmds, *c;
	const struct args_opt *o;
	size_t n, i, j;

	cmds = cli_cmds(&n);
	CHECK(n >= 16);
	for (i = 0; i < n; i++) {
		c = cmds[i];
		CHECK(c->name != NULL && c->summary != NULL &&
		    c->usage != NULL && c->help != NULL && c->fn != NULL);
		if (c->name == NULL || c->usage == NULL || c->help == NULL)
			continue;
		CHECK(cli_find(c->name) == c);
		CHECK(strncmp(c->usage, c->name, strlen(c->name)) == 0);
		for (j = 0; j < i; j++)
			CHECK(strcmp(cmds[j]->name, c->name) != 0);
		for (o = c->opts; o != NULL && o->id != 0; o++) {
			test_checks++;
			if (!names(c->usage, o->name, 0))
				test_fail(__FILE__, __LINE__, "%s: accepts "
				    "--%s, its usage does not name it",
				    c->name, o->name);
			test_checks++;
			if (!names(c->help, o->name, 1))
				test_fail(__FILE__, __LINE__, "%s: accepts "
				    "--%s, its help has no line for it",
				    c->name, o->name);
		}
		test_checks += 2;
		unknown_options(c, "usage", c->usage);
		unknown_options(c, "help", c->help);
	}
}

/* CMD --help through each command's own parser: exit 0, the help on
 * standard output (args_init aborts when the command parses another table
 * than its entry's). */
static void
test_help_runs(void)
{
	const struct cli_cmd *const *cmds;
	struct cli cli = { .opts = { NULL, NULL } };
	size_t n, i;
	int saved, null;

	cmds = cli_cmds(&n);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	null = open("/dev/null", O_WRONLY);
	CHECK(saved != -1 && null != -1);
	if (saved == -1 || null == -1)
		return;
	for (i = 0; i < n; i++) {
		const char *word = strrchr(cmds[i]->name, ' ');
		char *argv[] = { NULL, (char *)"--help", NULL };
		int rc;

		argv[0] = (char *)(word != NULL ? word + 1 : cmds[i]->name);
		dup2(null, STDOUT_FILENO);
		rc = cmds[i]->fn(&cli, 2, argv);
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
		if (rc != EXIT_OK)
			test_fail(__FILE__, __LINE__, "%s --help: exit %d",
			    cmds[i]->name, rc);
		test_checks++;
	}
	close(null);
	close(saved);
}

int
main(void)
{
	test_entries();
	test_help_runs();
	return test_done();
}
