/* tui.h — the terminal interface: what main.c runs when no command is
 * given and the program is on a terminal. */
#ifndef MP_TUI_TUI_H
#define MP_TUI_TUI_H

#include "util/opts.h"

/* Runs the interface on the terminal until the user quits or a stop signal
 * (SIGINT, SIGTERM, SIGHUP) arrives; the terminal is restored either way.
 * Returns an EXIT_* status. MINIPKI_LOG names a file that gets the log
 * window's lines too. */
int tui_main(const struct opts *);

#endif
