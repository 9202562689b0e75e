/* err.h — an error message and its kind, filled by the layer that failed.
 *
 * Library functions return 0 on success and -1 on failure; on failure they
 * fill the caller's struct err (when it is not NULL) with one line that names
 * the place ("offset 0x1a4: length runs past end of SEQUENCE"). The kind lets
 * the CLI choose its exit status without parsing text. */
#ifndef MP_UTIL_ERR_H
#define MP_UTIL_ERR_H

enum err_kind {
	ERR_NONE = 0,
	ERR_REFUSED,	/* a policy said no: invalid chain, weak key (exit 1) */
	ERR_USAGE,	/* the caller asked for something malformed (exit 2) */
	ERR_INPUT,	/* bad input data: broken DER, PEM, YAML (exit 3) */
	ERR_IO,		/* a file or socket operation failed (exit 3) */
	ERR_PASS,	/* wrong passphrase or tampered ciphertext (exit 3) */
	ERR_LOCKED,	/* another process holds the lock (exit 1) */
};

/* The program's exit status (man/minipki.1, EXIT STATUS), for either face. */
enum {
	EXIT_OK = 0,		/* success, or valid */
	EXIT_REFUSED = 1,	/* refused or invalid; reason on stderr */
	EXIT_USAGE = 2,		/* usage error */
	EXIT_DATA = 3,		/* bad input data, I/O error, wrong passphrase */
};

struct err {
	enum err_kind kind;
	char msg[512];
};

void err_clear(struct err *);
/* Sets kind and message; a NULL err is ignored. Always returns -1 so that
 * `return err_set(e, ...)` reads naturally. */
int err_set(struct err *, enum err_kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes the existing message with "prefix: ", keeping the kind. */
int err_wrap(struct err *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The EXIT_* status an error of this kind ends the program with (ERR_NONE,
 * when a failure left no kind, is EXIT_DATA). */
int err_exit_status(enum err_kind);

#endif
