/* cli.h — the headless commands: one table, one function per command.
 * Exit statuses (EXIT_*) are util/err.h's. */
#ifndef MP_CLI_CLI_H
#define MP_CLI_CLI_H

#include "util/err.h"

/* Options shared by every command, parsed before the command name. */
struct cli {
	const char *dir;	/* --dir, or NULL for the default workspace */
	const char *passfile;	/* --passphrase-file (also accepted after the command) */
};

/* A command: argv[0] is the last word of its name ("issue" for "ca issue");
 * options after it are the command's own. Returns an EXIT_* status. */
typedef int cli_fn(struct cli *, int argc, char **argv);

struct cli_cmd {
	const char *name;	/* "ca issue", "verify", ... */
	cli_fn *fn;
	const char *usage;	/* the synopsis line(s), without the program name */
	const char *help;	/* what it does, and its options, for --help */
};

int cli_main(int argc, char **argv);

/* Prints "minipki-tui: MESSAGE" to stderr and returns the exit status that
 * the error's kind maps to. */
int cli_fail(const struct err *);
/* Prints "minipki-tui CMD: MESSAGE" and the usage of cmd; returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The commands (src/cli/cmd-*.c). */
cli_fn cmd_key_new, cmd_csr_new, cmd_ca_init, cmd_ca_issue, cmd_ca_list,
    cmd_show, cmd_verify, cmd_export, cmd_import;
/* src/cli/cmd-lifecycle.c */
cli_fn cmd_ca_revoke, cmd_ca_crl, cmd_ca_renew, cmd_ca_show, cmd_ca_check;
/* `ca init NAME --parent CA`: called by cmd_ca_init (pathlen -1: none). */
struct dn;
int cmd_ca_init_intermediate(struct cli *, const char *name,
    const char *parent, const struct dn *subject, long pathlen, long bits,
    long days);
/* src/cli/cmd-server.c, cmd-client.c */
cli_fn cmd_server_run, cmd_client_connect;

#endif
