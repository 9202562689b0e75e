/* main.c — the global options, then the terminal interface or one headless
 * command; neither face knows the other. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "tui/tui.h"
#include "util/err.h"
#include "util/opts.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

static const char main_global_help[] =
"Global options (before the command):\n"
"  --dir DIR               the workspace (default $MINIPKI_DIR, else\n"
"                          $XDG_DATA_HOME/minipki, else ~/.local/share/minipki)\n"
"  --passphrase-file FILE  read the passphrase from the first line of FILE\n"
"                          (also accepted after the command)\n"
"  --help                  this help; CMD --help shows a command's help\n"
"  --version               the program's version\n"
"\n"
"Passphrases come from MINIPKI_PASSPHRASE, else --passphrase-file, else a\n"
"prompt on the terminal (without echo). Exit status: 0 success or valid,\n"
"1 refused or invalid, 2 usage error, 3 bad input data, I/O error or wrong\n"
"passphrase.\n";

static void
main_help(FILE *f)
{
	fprintf(f, "usage: " CLI_PROG " [--dir DIR] [--passphrase-file FILE] "
	    "COMMAND [OPTIONS]\n"
	    "       " CLI_PROG " --help | --version\n\n"
	    "A terminal PKI workbench: keys, requests, a small CA, "
	    "verification.\n\nCommands:\n");
	cli_list(f);
	fprintf(f, "\n%s", main_global_help);
}

int
main(int argc, char **argv)
{
	struct opts o = { .dir = NULL, .passfile = NULL };
	int i = 1;

	while (i < argc && strncmp(argv[i], "--", 2) == 0) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0) {
			main_help(stdout);
			return EXIT_OK;
		}
		if (strcmp(a, "--version") == 0) {
			printf(CLI_PROG " " PACKAGE_VERSION "\n");
			return EXIT_OK;
		}
		if (strcmp(a, "--dir") == 0 ||
		    strcmp(a, "--passphrase-file") == 0) {
			if (i + 1 >= argc)
				return cli_usage(NULL,
				    "option '%s' needs a value", a);
			if (a[2] == 'd')
				o.dir = argv[i + 1];
			else
				o.passfile = argv[i + 1];
			i += 2;
			continue;
		}
		if (strncmp(a, "--dir=", 6) == 0) {
			o.dir = a + 6;
			i++;
			continue;
		}
		if (strncmp(a, "--passphrase-file=", 18) == 0) {
			o.passfile = a + 18;
			i++;
			continue;
		}
		return cli_usage(NULL, "unknown option '%s' (see " CLI_PROG
		    " --help)", a);
	}
	if (o.dir != NULL && o.dir[0] == '\0')
		return cli_usage(NULL, "option '--dir' needs a directory");
	/* No command: the terminal interface on a terminal, else the list
	 * of commands. */
	if (i >= argc) {
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return tui_main(&o);
		main_help(stdout);
		return EXIT_OK;
	}
	if (argv[i][0] == '-')
		return cli_usage(NULL, "unknown option '%s' (see " CLI_PROG
		    " --help)", argv[i]);
	return cli_run(&o, argc - i, argv + i);
}
