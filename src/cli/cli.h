/* cli.h — the headless face: one command is one entry (struct cli_cmd) in
 * the file of its command (cmd-*.c), and cli.c lists the entries. Exit
 * statuses (EXIT_*) are util/err.h's. */
#ifndef MP_CLI_CLI_H
#define MP_CLI_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"
#include "util/opts.h"

#define CLI_PROG "minipki-tui"	/* what the program's messages begin with */

/* What a command runs with: a copy of the global options, which a
 * "--passphrase-file" after the command still changes (args.c). */
struct cli {
	struct opts opts;
};

/* A command: argv[0] is the last word of its name ("issue" for "ca issue");
 * options after it are the command's own. Returns an EXIT_* status. */
typedef int cli_fn(struct cli *, int argc, char **argv);

struct args_opt;

/* A command, as tmux keeps a cmd_entry: what its --help says beside the
 * options it accepts and the function that runs it. Every option of opts is
 * named in usage and has a "  --NAME" line in help, and every such line
 * names one of opts (tests/unit/cli-test.c); the function parses opts and
 * no other table (args_init). */
struct cli_cmd {
	const char *name;	/* "ca issue", "verify", ... */
	const char *summary;	/* its line in `minipki-tui --help` */
	const char *usage;	/* the synopsis line(s), without the program name */
	const char *help;	/* what it does, and its options, for --help */
	const struct args_opt *opts;	/* args.h; NULL: no options of its own */
	cli_fn *fn;
};

/* Runs one command with the global options given before it: argv[0] is
 * the command's first word ("ca", "verify"). Returns an EXIT_* status. */
int cli_run(const struct opts *, int argc, char **argv);
/* Prints one line per command, its name and summary, for the program's
 * --help. */
void cli_list(FILE *);
/* The entries, in the order cli_list prints them; *n gets their number. */
const struct cli_cmd *const *cli_cmds(size_t *n);
/* The entry of a command by its full name ("ca issue"); NULL if none. */
const struct cli_cmd *cli_find(const char *name);
/* Prints the command's usage and help to f. */
void cli_print_help(const struct cli_cmd *, FILE *);

/* Prints "minipki-tui: MESSAGE" to stderr and returns the exit status that
 * the error's kind maps to. */
int cli_fail(const struct err *);
/* Prints "minipki-tui CMD: MESSAGE" and the usage of cmd ("minipki-tui:
 * MESSAGE" alone when cmd is NULL); returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The commands, each in its cmd-*.c file. */
extern const struct cli_cmd cmd_key_new_entry, cmd_csr_new_entry,
    cmd_ca_init_entry, cmd_ca_issue_entry, cmd_ca_list_entry,
    cmd_ca_revoke_entry, cmd_ca_crl_entry, cmd_ca_renew_entry,
    cmd_ca_show_entry, cmd_ca_check_entry, cmd_show_entry, cmd_verify_entry,
    cmd_export_entry, cmd_import_entry, cmd_server_run_entry,
    cmd_client_connect_entry, cmd_ca_token_new_entry,
    cmd_ca_token_list_entry, cmd_ca_token_revoke_entry, cmd_ca_pending_entry,
    cmd_ca_approve_entry, cmd_ca_reject_entry, cmd_ca_set_url_entry,
    cmd_client_enroll_entry, cmd_client_status_entry, cmd_client_crl_entry,
    cmd_ca_serve_entry, cmd_msg_sign_entry, cmd_msg_verify_entry,
    cmd_msg_seal_entry, cmd_msg_open_entry;
/* Certificate policies per profile (issue 13): cmd-setpolicy.c. */
extern const struct cli_cmd cmd_ca_set_policy_entry;
/* The classroom flows (issue 11): cmd-server-register.c, cmd-msgnet.c. */
extern const struct cli_cmd cmd_server_register_entry,
    cmd_client_listen_entry, cmd_client_send_entry, cmd_client_inbox_entry;

/* Stores url (NULL: none) as CA name's service URL (cmd-url.c): for
 * `ca set-url` and `ca init --url`. */
int cmd_ca_url_store(struct cli *, const char *name, const char *url,
    struct err *);

/* `ca init NAME --parent CA` (cmd-lifecycle.c): called by cmd_ca_init
 * (pathlen -1: none; permit, exclude: --permit, --exclude or NULL; pol:
 * --policy and the rest, role/capolicy.h; keytype: enum pkey_type). */
struct dn;
struct capolicy;
int cmd_ca_init_intermediate(struct cli *, const char *name,
    const char *parent, const struct dn *subject, long pathlen,
    const char *permit, const char *exclude, const struct capolicy *pol,
    int keytype, long bits, long days);

#endif
