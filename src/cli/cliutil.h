/* cliutil.h — what several commands share: the workspace, a CA opened
 * and unlocked, passphrases, output files. */
#ifndef MP_CLI_CLIUTIL_H
#define MP_CLI_CLIUTIL_H

#include <stddef.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/passphrase.h"
#include "role/ca.h"
#include "store/ws.h"
#include "util/err.h"

/* args_next for the ca subcommands, with what they all take: --ca NAME
 * (option id opt_ca) into *caname, and the operand into *operand, one at
 * most (operand NULL: none taken); any other operand is "unexpected
 * argument 'X'". Returns the next other option id (> 0, *value set), 0 at
 * the end, or -1 when the command ends here with exit status *status
 * (EXIT_OK after --help, EXIT_USAGE after a usage error). */
int cliutil_ca_args(struct args *, int opt_ca, const char **caname,
    const char **operand, const char **value, int *status);
/* Opens the workspace of --dir (or the default) and prints its warning,
 * if any, to stderr. */
int cliutil_ws(const struct cli *, struct ws *, struct err *);
/* Opens the workspace (as cliutil_ws) and CA name, and prints the
 * database's warnings to stderr. flags are ca_open's; with CA_WRITE (and
 * CA_APPEND for issuing only) precheck, when not NULL, then refuses what it
 * can before a passphrase is asked (arg is passed on), and the CA's
 * passphrase is asked and its key unlocked. ws and ca are initialised by
 * the caller, who clears them whatever this returns. */
int cliutil_ca(const struct cli *, struct ws *, struct ca *, const char *name,
    int flags, int (*precheck)(const struct ca *, const void *arg,
    struct err *), const void *arg, struct err *);
/* Opens the workspace (as cliutil_ws) and CA name's tokens and approval
 * queue (role/enroll.h); no passphrase, no CA lock. ws and en are
 * initialised by the caller, who clears them whatever this returns. */
struct enroll;
int cliutil_enroll(const struct cli *, struct ws *, struct enroll *,
    const char *name, struct err *);
/* A listing of CA name's tokens or queue: opens it (cliutil_enroll),
 * prints what lines appends to out for it, and returns the EXIT_*
 * status. */
int cliutil_enroll_print(const struct cli *, const char *name,
    void (*lines)(const struct enroll *, const void *arg, struct buf *out),
    const void *arg);
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
