/* ws.h — the workspace: where keystores and CA databases live.
 *
 * Layout under the workspace directory (every directory 0700, every file
 * 0600):
 *	keys/NAME.yaml		one keystore per entity (store/keystore.h)
 *	ca/NAME/ca.yaml		an authority's metadata, written once
 *	ca/NAME/certs.yaml	its certificate database, append-only (store/cadb.h)
 *	ca/NAME/lock		the writers' lock; holds the writer's pid
 *
 * The directory is --dir when given, else $MINIPKI_DIR, else
 * $XDG_DATA_HOME/minipki, else ~/.local/share/minipki. Missing directories
 * are created with mode 0700. An existing workspace directory that other
 * users can reach is not changed (it may be a directory the user chose on
 * purpose) but ws_open leaves a warning for the caller to print; keys/ and
 * ca/ are ours and are set back to 0700. */
#ifndef MP_STORE_WS_H
#define MP_STORE_WS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/err.h"

#define WS_NAME_MAX 64

struct ws {
	char *dir;	/* the workspace directory, no trailing '/' */
	char *warning;	/* NULL, or one line for the caller to print */
};

void ws_init(struct ws *);
void ws_clear(struct ws *);
/* Picks the directory (dir, when not NULL, overrides the environment),
 * creates it and keys/ and ca/ if missing. ERR_IO on failure. */
int ws_open(struct ws *, const char *dir, struct err *);

/* Entity and CA names: [A-Za-z0-9._-], 1..WS_NAME_MAX characters, not
 * starting with '.'. Otherwise ERR_USAGE "invalid name 'x/y': use
 * letters, digits, '.', '_' and '-'". */
int ws_check_name(const char *name, struct err *);

/* Paths inside the workspace; the caller frees them. The label forms are
 * relative to the workspace ("keys/alice.yaml") for error messages. */
char *ws_keystore_path(const struct ws *, const char *name);
char *ws_keystore_label(const char *name);
char *ws_ca_dir(const struct ws *, const char *name);

/* Creates path with mode 0700 when it does not exist; an existing
 * non-directory is an error. */
int ws_mkdir(const char *path, struct err *);

/* The names of the keystores (keys/ *.yaml with a valid name) or of the
 * authorities (ca/ subdirectories holding a certs.yaml), sorted. The
 * caller frees with ws_free_list. A missing directory is an empty list. */
int ws_list_keystores(const struct ws *, char ***names, size_t *n,
    struct err *);
int ws_list_cas(const struct ws *, char ***names, size_t *n, struct err *);
void ws_free_list(char **names, size_t n);

/* UTC times as "YYYY-MM-DDTHH:MM:SSZ" (out holds WS_TIME_LEN bytes). */
#define WS_TIME_LEN 21
void ws_time_format(int64_t t, char out[WS_TIME_LEN]);
/* Parses exactly that form; -1 when s is anything else. */
int ws_time_parse(const char *s, size_t len, int64_t *t);

#endif
