/* cliutil.h — what several commands share: the workspace, output files. */
#ifndef MP_CLI_CLIUTIL_H
#define MP_CLI_CLIUTIL_H

#include <stddef.h>

#include "cli/cli.h"
#include "cli/passphrase.h"
#include "store/ws.h"
#include "util/err.h"

/* Opens the workspace of --dir (or the default) and prints its warning,
 * if any, to stderr. */
int cliutil_ws(const struct cli *, struct ws *, struct err *);
/* The passphrase of keystore or CA NAME (what: "keystore", "CA"); at a
 * terminal the prompt is "Passphrase for WHAT 'NAME'", or "New passphrase
 * for ..." with PASSPHRASE_NEW. As passphrase_get otherwise. */
int cliutil_passphrase(const struct cli *, const char *what,
    const char *name, int flags, struct passphrase *, struct err *);
/* Writes data to path, or to standard output when path is NULL or "-".
 * secret: mode 0600 and never over an existing file; else mode 0644,
 * replacing. */
int cliutil_write(const char *path, const void *data, size_t len, int secret,
    struct err *);
/* Prints "minipki-tui: note: MESSAGE" to stderr. */
void cliutil_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
