/* args.h — the option scanner every command uses.
 *
 * Options are "--name VALUE" or "--name=VALUE"; "--" ends them; anything not
 * starting with "--" (including "-" for standard input) is an operand, and
 * operands may come between options. "--help" and "--passphrase-file FILE"
 * are handled here for every command. */
#ifndef MP_CLI_ARGS_H
#define MP_CLI_ARGS_H

#include <stdio.h>

#include "cli/cli.h"

struct args_opt {
	int id;			/* > 0, returned by args_next */
	const char *name;	/* without the dashes: "bits" */
	int has_value;
};

enum {
	ARGS_END = 0,		/* no more arguments */
	ARGS_OPERAND = -1,	/* *value is an operand */
	ARGS_ERROR = -2,	/* a usage error was printed; exit with *status */
	ARGS_HELP = -3,		/* --help was printed; exit 0 */
};

struct args {
	struct cli *cli;
	const struct cli_cmd *cmd;	/* for usage messages */
	const struct args_opt *opts;	/* terminated by an id 0 entry */
	int argc;
	char **argv;
	int i;
	int only_operands;	/* after "--" */
};

/* argv[0] is the command's last word and is skipped. cmdname is the
 * command's full name and opts its entry's table (aborts when they do not
 * match: the help describes the entry's table). */
void args_init(struct args *, struct cli *, const char *cmdname,
    const struct args_opt *, int argc, char **argv);
/* The next option id (> 0) with *value set when it takes one, ARGS_OPERAND
 * with *value set, ARGS_END, ARGS_HELP (help printed) or ARGS_ERROR (usage
 * printed). */
int args_next(struct args *, const char **value);
/* A positive decimal number in [min, max] for option name, or a usage error
 * (returns -1 after printing). */
int args_number(struct args *, const char *name, const char *text, long min,
    long max, long *out);

/* The key size of --bits: 2048, 3072 or 4096, or a usage error (returns -1
 * after printing). */
int args_bits(struct args *, const char *text, long *out);
/* Stores the single operand of a command (NAME, FILE) in *slot; a second
 * one is a usage error "unexpected argument 'X'" (returns -1 after
 * printing). */
int args_operand(struct args *, const char **slot, const char *value);

#endif
