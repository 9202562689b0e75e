/* passphrase.h — where passphrases come from in the headless commands.
 *
 * In order: an environment variable (MINIPKI_PASSPHRASE, or the one the
 * caller names first, such as MINIPKI_EXPORT_PASSPHRASE), else the first line
 * of --passphrase-file, else a prompt on /dev/tty without echo (twice when a
 * new secret is being set). A passphrase is never printed or logged; the
 * caller wipes it with passphrase_free. */
#ifndef MP_CLI_PASSPHRASE_H
#define MP_CLI_PASSPHRASE_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "util/err.h"

#define PASSPHRASE_MAX 1024

struct passphrase {
	char *s;		/* NUL-terminated; owned, wiped by _free */
	size_t len;
};

enum {
	PASSPHRASE_NEW = 1,	/* setting a new secret: confirm at a prompt */
};

/* Gets a passphrase. env, if not NULL, names a variable tried before
 * MINIPKI_PASSPHRASE. prompt is what the terminal prompt says ("Passphrase
 * for key 'alice'"). Errors: ERR_USAGE when there is no source or it is
 * empty, ERR_IO when the file cannot be read, ERR_PASS when the two
 * entries differ. */
int passphrase_get(const struct cli *, const char *env, const char *prompt,
    int flags, struct passphrase *, struct err *);
void passphrase_free(struct passphrase *);
/* The passphrase of a --passphrase-file's bytes: its first line (up to
 * "\n", a "\r" before it dropped). from names the file in errors. */
int passphrase_from_bytes(const uint8_t *data, size_t len, const char *from,
    struct passphrase *, struct err *);

#endif
