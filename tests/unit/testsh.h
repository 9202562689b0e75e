/* testsh.h — running a shell command (curl, openssl) from a test. */
#ifndef MP_TESTSH_H
#define MP_TESTSH_H

#include <stdarg.h>

/* Runs the command made from fmt through sh, its standard error merged
 * into its output, and returns the output, NUL-terminated (the caller
 * frees). Exits the test when the command is over 4 KiB or sh cannot be
 * run. */
char *test_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *test_shv(const char *fmt, va_list ap);

#endif
