/* cli.c — the headless face: the list of commands, finding one by its
 * words, its help and usage messages (see cli.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"

/* Every command, in the order --help lists them; each entry lives in the
 * file of its command. */
static const struct cli_cmd *const cli_table[] = {
	&cmd_key_new_entry,
	&cmd_csr_new_entry,
	&cmd_ca_init_entry,
	&cmd_ca_issue_entry,
	&cmd_ca_list_entry,
	&cmd_ca_revoke_entry,
	&cmd_ca_crl_entry,
	&cmd_ca_renew_entry,
	&cmd_ca_show_entry,
	&cmd_ca_check_entry,
	&cmd_ca_serve_entry,
	&cmd_ca_token_new_entry,
	&cmd_ca_token_list_entry,
	&cmd_ca_token_revoke_entry,
	&cmd_ca_pending_entry,
	&cmd_ca_approve_entry,
	&cmd_ca_reject_entry,
	&cmd_ca_set_url_entry,
	&cmd_ca_set_policy_entry,
	&cmd_show_entry,
	&cmd_verify_entry,
	&cmd_export_entry,
	&cmd_import_entry,
	&cmd_server_register_entry,
	&cmd_server_run_entry,
	&cmd_client_connect_entry,
	&cmd_client_enroll_entry,
	&cmd_client_status_entry,
	&cmd_client_crl_entry,
	&cmd_client_listen_entry,
	&cmd_client_send_entry,
	&cmd_client_inbox_entry,
	&cmd_msg_sign_entry,
	&cmd_msg_verify_entry,
	&cmd_msg_seal_entry,
	&cmd_msg_open_entry,
};

#define NCMDS (sizeof cli_table / sizeof cli_table[0])

const struct cli_cmd *const *
cli_cmds(size_t *n)
{
	*n = NCMDS;
	return cli_table;
}

const struct cli_cmd *
cli_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NCMDS; i++)
		if (strcmp(cli_table[i]->name, name) == 0)
			return cli_table[i];
	return NULL;
}

/* Prints the synopsis after lead; continuation lines (after a newline in
 * usage) are indented under the command's options. */
static void
cli_print_synopsis(const struct cli_cmd *c, const char *lead, FILE *f)
{
	const char *p = c->usage, *nl;
	int indent = (int)(strlen(lead) + strlen(c->name) + 1);

	fprintf(f, "%s", lead);
	while ((nl = strchr(p, '\n')) != NULL) {
		fprintf(f, "%.*s\n%*s", (int)(nl - p), p, indent, "");
		p = nl + 1;
	}
	fprintf(f, "%s\n", p);
}

static void
cli_print_usage(const struct cli_cmd *c, FILE *f)
{
	cli_print_synopsis(c, "usage: " CLI_PROG " [--dir DIR] ", f);
}

void
cli_print_help(const struct cli_cmd *c, FILE *f)
{
	cli_print_usage(c, f);
	fprintf(f, "\n%s", c->help);
}

void
cli_list(FILE *f)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-16s %s\n", cli_table[i]->name,
		    cli_table[i]->summary);
}

int
cli_fail(const struct err *e)
{
	fflush(stdout);
	fprintf(stderr, CLI_PROG ": %s\n", e->msg[0] != '\0' ? e->msg :
	    "failed (no reason given)");
	return err_exit_status(e->kind);
}

int
cli_usage(const char *cmd, const char *fmt, ...)
{
	const struct cli_cmd *c = cli_find(cmd);
	va_list ap;

	fflush(stdout);
	if (c != NULL)
		fprintf(stderr, CLI_PROG " %s: ", c->name);
	else
		fprintf(stderr, CLI_PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c != NULL)
		cli_print_usage(c, stderr);
	return EXIT_USAGE;
}

/* Words that start a two-word command ("ca" for "ca init"): prints the
 * group's commands. */
static int
cli_group_help(const char *group, FILE *f)
{
	size_t i, glen = strlen(group);
	int n = 0;

	for (i = 0; i < NCMDS; i++) {
		if (strncmp(cli_table[i]->name, group, glen) != 0 ||
		    cli_table[i]->name[glen] != ' ')
			continue;
		if (n++ == 0)
			fprintf(f, "%s commands:\n", group);
		cli_print_synopsis(cli_table[i], "  " CLI_PROG " [--dir DIR] ", f);
	}
	return n;
}

static int
cli_is_group(const char *word)
{
	size_t i, len = strlen(word);

	for (i = 0; i < NCMDS; i++)
		if (strncmp(cli_table[i]->name, word, len) == 0 &&
		    cli_table[i]->name[len] == ' ')
			return 1;
	return 0;
}

int
cli_run(const struct opts *o, int argc, char **argv)
{
	struct cli cli = { .opts = *o };
	const struct cli_cmd *c;
	char name[64];

	if ((c = cli_find(argv[0])) != NULL)
		return c->fn(&cli, argc, argv);
	if (cli_is_group(argv[0])) {
		if (argc < 2 || strcmp(argv[1], "--help") == 0) {
			FILE *f = argc < 2 ? stderr : stdout;

			if (f == stderr)
				fprintf(stderr, CLI_PROG ": '%s' needs a "
				    "subcommand\n", argv[0]);
			cli_group_help(argv[0], f);
			return f == stderr ? EXIT_USAGE : EXIT_OK;
		}
		/* Three words ("ca token new") before two. */
		if (argc >= 3) {
			snprintf(name, sizeof name, "%s %s %s", argv[0],
			    argv[1], argv[2]);
			if ((c = cli_find(name)) != NULL)
				return c->fn(&cli, argc - 2, argv + 2);
		}
		snprintf(name, sizeof name, "%s %s", argv[0], argv[1]);
		if ((c = cli_find(name)) != NULL)
			return c->fn(&cli, argc - 1, argv + 1);
		return cli_usage(NULL, "unknown command '%.40s %.40s' (see "
		    CLI_PROG " --help)", argv[0], argv[1]);
	}
	return cli_usage(NULL, "unknown command '%.80s' (see " CLI_PROG
	    " --help)", argv[0]);
}
