/* opts.h — the options given before a command (or alone, for the terminal
 * interface): main.c fills them, either face reads them. */
#ifndef MP_UTIL_OPTS_H
#define MP_UTIL_OPTS_H

struct opts {
	const char *dir;	/* --dir, or NULL: the default workspace */
	const char *passfile;	/* --passphrase-file, or NULL */
};

#endif
