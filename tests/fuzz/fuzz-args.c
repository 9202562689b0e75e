/* fuzz-args.c — libFuzzer entry point for the option scanner every
 * command uses (cli/args.c): the first byte picks a command of the table,
 * the rest are its arguments, NUL separated. Values go through the number
 * and key size readers, operands through args_operand. Usage messages go
 * to stderr (run with -close_fd_mask=2 to hide them). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAXARGS 32

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const struct cli_cmd *const *cmds;
	const struct cli_cmd *cmd;
	char *copy, *argv[MAXARGS + 2];
	const char *value, *operand = NULL;
	struct cli cli;
	struct args a;
	size_t ncmds, i;
	long num;
	int argc = 1, id;

	if (len < 1 || len > 4096)
		return 0;
	cmds = cli_cmds(&ncmds);
	cmd = cmds[data[0] % ncmds];
	/* The arguments, each NUL-terminated in a copy of the input. */
	if ((copy = malloc(len)) == NULL)
		abort();
	memcpy(copy, data + 1, len - 1);
	copy[len - 1] = '\0';
	argv[0] = (char *)"cmd";
	for (i = 0; i < len - 1 && argc <= MAXARGS; ) {
		argv[argc++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	argv[argc] = NULL;
	memset(&cli, 0, sizeof cli);
	args_init(&a, &cli, cmd->name, cmd->opts, argc, argv);
	while ((id = args_next(&a, &value)) != ARGS_END) {
		if (id == ARGS_ERROR || id == ARGS_HELP)
			break;
		if (id == ARGS_OPERAND) {
			if (value == NULL || args_operand(&a, &operand, value) == -1)
				break;
			continue;
		}
		if (id < 0)
			abort();
		if (value != NULL) {
			(void)args_number(&a, "n", value, 0, 100000, &num);
			(void)args_bits(&a, value, &num);
		}
	}
	if (cli.opts.passfile != NULL &&
	    (cli.opts.passfile < copy || cli.opts.passfile >= copy + len))
		abort();
	free(copy);
	return 0;
}
