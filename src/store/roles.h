/* roles.h — the registry of running roles in a workspace: run/KIND.PID.yaml,
 * one small file per listening role (a CA service, a TLS server, a
 * message listener), so that
 * another process on the same workspace (a second UI in another SSH
 * window) can list them and connect. The format is in store/FORMATS.md.
 *
 * A role registers once it listens and unregisters when it stops. A role
 * that was killed cannot unregister: roles_list finds its pid gone
 * (kill(pid, 0) says ESRCH) and removes the file. The registry is a hint
 * for humans and the UI, never an authority: what a connection trusts is
 * still the TLS handshake. */
#ifndef MP_STORE_ROLES_H
#define MP_STORE_ROLES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "store/ws.h"
#include "util/err.h"

#define ROLES_ADDRS_MAX 4	/* listeners of one role */
#define ROLES_ADDR_MAX 300	/* "tls unix:PATH", "http tcp:HOST:PORT" */
#define ROLES_FILE_MAX 4096	/* a registry file is small; more is damage */
#define ROLES_MAX 256		/* files listed at most */

/* What kind of role: the file's kind field, and its file name's first
 * part. */
enum roles_kind {
	ROLES_CA_SERVICE,	/* "ca-service": `ca serve`, the UI's window */
	ROLES_SERVER,		/* "server": `server run`, the UI's window */
	ROLES_LISTENER,		/* "listener": `client listen`, the UI's
				 * Inbox window */
	ROLES_KIND__COUNT,
};

struct roles_addr {
	int tls;		/* 1: TLS, 0: plain HTTP */
	char addr[ROLES_ADDR_MAX + 1];	/* "unix:PATH" or "tcp:HOST:PORT" */
};

struct roles_entry {
	enum roles_kind kind;
	char name[WS_NAME_MAX + 1];	/* the CA or the entity */
	long pid;
	int64_t started;
	struct roles_addr addrs[ROLES_ADDRS_MAX];
	size_t naddrs;
	char file[256];		/* the file's name under run/, when listed */
};

/* "ca-service", "server", "listener". */
const char *roles_kind_name(enum roles_kind);

/* Reads one registry file's text into *r. Errors are ERR_INPUT naming the
 * field: "line 4: pid: not a number from 1 to 4194304". */
int roles_parse(struct roles_entry *, const void *data, size_t len,
    struct err *);
/* The file's text for r (the caller frees *out with free). */
int roles_format(const struct roles_entry *, char **out, size_t *len,
    struct err *);

/* Writes run/KIND.PID.yaml for r (r->pid is the process that serves) and
 * returns its path in *path (the caller frees it, and gives it to
 * roles_unregister). run/ is created 0700 when missing. */
int roles_register(const struct ws *, const struct roles_entry *,
    char **path, struct err *);
/* Removes the file; a NULL path does nothing. Never fails loudly: a
 * stopping role has nothing better to do. */
void roles_unregister(const char *path);

/* The registered roles whose process is alive, sorted by file name, in a
 * new array (free it with free). A file whose pid is gone is removed
 * (*cleaned counts them, when not NULL); a damaged file is skipped and
 * kept for a human to look at, its error in *warn (the first one; when
 * warn is not NULL and it is empty). */
int roles_list(const struct ws *, struct roles_entry **v, size_t *n,
    size_t *cleaned, char *warn, size_t warnlen, struct err *);

/* Registering a role whose listeners come ready one by one (httpsrv's
 * ready hook): roles_reg_init with how many there are, roles_reg_ready
 * for each (the role is registered with the last, the process's own pid),
 * roles_reg_clear when it stops (the file goes). -1 from roles_reg_ready
 * only when the file cannot be written: the role runs on, unlisted. */
struct roles_reg {
	const struct ws *ws;
	struct roles_entry r;
	size_t want;
	char *path;		/* the registered file, NULL before */
};
void roles_reg_init(struct roles_reg *, const struct ws *, enum roles_kind,
    const char *name, size_t want);
int roles_reg_ready(struct roles_reg *, int tls, const char *addr,
    struct err *);
void roles_reg_clear(struct roles_reg *);

#endif
