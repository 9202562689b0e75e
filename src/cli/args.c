/* args.c — the option scanner of every command; see args.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"

void
args_init(struct args *a, struct cli *cli, const char *cmdname,
    const struct args_opt *opts, int argc, char **argv)
{
	memset(a, 0, sizeof *a);
	a->cli = cli;
	a->cmd = cli_find(cmdname);
	/* A command parses the options of its entry, which its help is
	 * checked against: any other table is a bug. */
	if (a->cmd == NULL || a->cmd->opts != opts) {
		fprintf(stderr, CLI_PROG ": internal error: '%s' parses "
		    "options its entry does not name\n", cmdname);
		abort();
	}
	a->opts = opts;
	a->argc = argc;
	a->argv = argv;
	a->i = 1;
}

static const char *
args_cmdname(const struct args *a)
{
	return a->cmd != NULL ? a->cmd->name : NULL;
}

int
args_next(struct args *a, const char **value)
{
	const struct args_opt *o;
	const char *arg, *name, *eq;
	size_t namelen;

	*value = NULL;
	if (a->i >= a->argc)
		return ARGS_END;
	arg = a->argv[a->i++];
	if (a->only_operands || strncmp(arg, "--", 2) != 0) {
		if (!a->only_operands && arg[0] == '-' && arg[1] != '\0') {
			cli_usage(args_cmdname(a), "unknown option '%s'", arg);
			return ARGS_ERROR;
		}
		*value = arg;
		return ARGS_OPERAND;
	}
	if (arg[2] == '\0') {
		a->only_operands = 1;
		return args_next(a, value);
	}
	name = arg + 2;
	eq = strchr(name, '=');
	namelen = eq != NULL ? (size_t)(eq - name) : strlen(name);

	if (namelen == 4 && strncmp(name, "help", 4) == 0) {
		if (eq != NULL) {
			cli_usage(args_cmdname(a),
			    "option '--help' takes no value");
			return ARGS_ERROR;
		}
		if (a->cmd != NULL)
			cli_print_help(a->cmd, stdout);
		return ARGS_HELP;
	}
	if (namelen == 15 && strncmp(name, "passphrase-file", 15) == 0) {
		if (eq != NULL)
			a->cli->opts.passfile = eq + 1;
		else if (a->i < a->argc)
			a->cli->opts.passfile = a->argv[a->i++];
		else {
			cli_usage(args_cmdname(a),
			    "option '--passphrase-file' needs a value");
			return ARGS_ERROR;
		}
		return args_next(a, value);
	}
	for (o = a->opts; o != NULL && o->id != 0; o++) {
		if (strlen(o->name) != namelen ||
		    strncmp(o->name, name, namelen) != 0)
			continue;
		if (!o->has_value) {
			if (eq != NULL) {
				cli_usage(args_cmdname(a),
				    "option '--%s' takes no value", o->name);
				return ARGS_ERROR;
			}
			return o->id;
		}
		if (eq != NULL)
			*value = eq + 1;
		else if (a->i < a->argc)
			*value = a->argv[a->i++];
		else {
			cli_usage(args_cmdname(a), "option '--%s' needs a value",
			    o->name);
			return ARGS_ERROR;
		}
		return o->id;
	}
	cli_usage(args_cmdname(a), "unknown option '--%.*s'", (int)namelen,
	    name);
	return ARGS_ERROR;
}

int
args_number(struct args *a, const char *name, const char *text, long min,
    long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 ||
	    v < min || v > max) {
		cli_usage(args_cmdname(a),
		    "option '--%s': '%s' is not a number from %ld to %ld", name,
		    text, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int
args_bits(struct args *a, const char *text, long *out)
{
	if (args_number(a, "bits", text, 2048, 4096, out) == -1)
		return -1;
	if (*out != 2048 && *out != 3072 && *out != 4096) {
		cli_usage(args_cmdname(a), "option '--bits': %ld is not 2048, "
		    "3072 or 4096", *out);
		return -1;
	}
	return 0;
}

int
args_operand(struct args *a, const char **slot, const char *value)
{
	if (*slot != NULL) {
		cli_usage(args_cmdname(a), "unexpected argument '%s'", value);
		return -1;
	}
	*slot = value;
	return 0;
}
