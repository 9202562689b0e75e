/* rolechild.h — a role that a window runs in a child process: the CA
 * service (svcproc.c), the Server window's server (scr-server.c) and the
 * Inbox window's listener (scr-inbox.c). One place for what they share:
 *   - the fork with its line pipe (childpipe.h) and the child's start: a
 *     process group of its own, dies with the UI, nothing on the
 *     terminal, the other windows' secrets wiped;
 *   - in the child, its entry in the workspace's registry of roles
 *     (store/roles.h), its loop, and its last line ("S stopped", or
 *     "E KIND MESSAGE");
 *   - in the UI, the pipe read line by line, the end reaped and said, a
 *     stop (SIGTERM) and, at the program's end, SIGTERM, a bounded wait,
 *     then SIGKILL;
 *   - for the roles that accept TLS connections (server, listener), the
 *     connections with each one's trace as `--trace` prints it, and the
 *     pane that lists them and scrolls the selected one's trace.
 * The lines every role's pipe may carry, handled here:
 *   D N               N lines were dropped, the pipe being full
 *   E KIND MESSAGE    it cannot start or goes on no longer (err_kind)
 *   S stopped         a clean stop (SIGTERM)
 * and for a role with connections (rolechild_conns):
 *   V connection N: accepted | handshake done (...) | closed | ...
 *   T N LINE          a trace line of connection N
 * Every line reaches the role's own handler too. */
#ifndef MP_TUI_ROLECHILD_H
#define MP_TUI_ROLECHILD_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "net/loop.h"
#include "tls/tls.h"
#include "x509/pkey.h"
#include "store/roles.h"
#include "tui/childpipe.h"
#include "tui/ui.h"

#define ROLECHILD_STOP_WAIT_MS 3000	/* at exit: SIGTERM, then SIGKILL */
#define ROLECHILD_CONNS_MAX 64	/* connections kept; older ones go */
#define ROLECHILD_TRACE_MAX 4000	/* trace lines kept per connection */

/* A TLS role's key and certificates between its form and the fork: the
 * child's copy serves, the UI's is wiped once it has forked (and in every
 * other child: the screen's forget). */
struct rolechild_keys {
	struct pkey key;		/* RSA or P-256 */
	struct cert_list chain;		/* its own, leaf first */
	struct cert_list anchor;	/* the CA its peers chain to */
};

/* ---- the child's side ---- */

struct rolechild_kid {
	struct childpipe pipe;
	struct roles_reg reg;	/* roles_reg_init is the role's to call */
};

/* The role's body in the child: it must end with _exit (after
 * rolechild_kid_end and its own clean-up). */
typedef void rolechild_run_fn(struct ui *, void *arg, struct rolechild_kid *);

/* Registered as ready on addr; a registry that cannot be written is said
 * as a line of kind (the role runs on, unlisted). */
void rolechild_kid_ready(struct rolechild_kid *, int tls, const char *addr,
    char kind);
/* The hooks of a server_conf (role/server.h) with the kid as context:
 * "A ADDR" and registered (TLS), "T ID LINE", "V LINE". */
void rolechild_kid_ready_cb(void *kid, const char *addr);
void rolechild_kid_trace_cb(void *kid, unsigned id, const char *line);
void rolechild_kid_event_cb(void *kid, const char *line);
/* The loop until SIGTERM or the UI's end; -1 (e set) when it failed. */
int rolechild_kid_run(struct rolechild_kid *, struct loop *, struct err *);
/* A TLS server (role/server.h) on addr with keys (TLS 1.2 and 1.3; peers
 * asked for a certificate from keys->anchor as client_auth says), each
 * connection's events and trace through the pipe, run until SIGTERM;
 * service NULL: the line service of `server run`. -1 (e set) when it
 * cannot start or fails. */
int rolechild_kid_serve(struct rolechild_kid *, struct loop *,
    const char *addr, const struct rolechild_keys *, int client_auth,
    int idle_timeout, const struct server_service *service, struct err *);
/* The last line (e->kind ERR_NONE: "S stopped") and out of the registry;
 * the exit status to give. */
int rolechild_kid_end(struct rolechild_kid *, const struct err *);

/* ---- the UI's side ---- */

struct rolechild {
	pid_t pid;		/* 0: none */
	int fd;			/* the read end of its pipe */
	struct buf in;		/* a partial line */
	int ready;		/* the role said it listens (the role's
				 * handler sets it) */
	int stopping;		/* SIGTERM sent */
	int64_t started;	/* monotonic ms */
	int end_kind;		/* the err_kind of its "E" line */
	char end[300];		/* how it ended */
	unsigned long dropped;	/* lines the pipe dropped */
	/* Each line of the pipe ("K text", K its letter), after what is done
	 * here; and the end, once reaped (end says how). */
	void (*line)(struct ui *, void *owner, char kind, char *text);
	void (*ended)(struct ui *, void *owner);
	void *owner;
};

void rolechild_init(struct rolechild *,
    void (*line)(struct ui *, void *, char, char *),
    void (*ended)(struct ui *, void *), void *owner);
/* Forks run(u, arg, kid) after the child's start; keep is the screen
 * whose secrets are the role's (its forget is not called), or NULL.
 * 0, or -1 logged. */
int rolechild_start(struct ui *, struct rolechild *,
    const struct screen *keep, rolechild_run_fn *run, void *arg);
/* SIGTERM, said as say: the role stops; its end comes through the pipe. */
void rolechild_stop(struct ui *, struct rolechild *, const char *say);
/* The screen's pollfds and dispatch for the pipe: 0 or 1 entry; 1 when
 * something was read. */
size_t rolechild_pollfd(const struct rolechild *, struct pollfd *,
    size_t max);
int rolechild_dispatch(struct ui *, struct rolechild *,
    const struct pollfd *, size_t n);
/* At the end of the program: stopped and reaped whatever it does; 1 when
 * it had to be killed. */
int rolechild_end(struct rolechild *);
/* text into l (marker first unless 0), the oldest half dropped past max
 * lines; top and cur keep to their lines. */
void rolechild_keep(struct lines *, size_t max, char marker,
    const char *text);

void rolechild_keys_init(struct rolechild_keys *);
/* cfg presents key (NULL: none), of either type: the type picks the TLS
 * 1.2 suites and signature schemes (cfg->key or cfg->eckey, as the CLI's
 * TLS commands wire it). */
void rolechild_cfg_key(struct tls_config *, const struct pkey *);
/* Wiped, and empty again. */
void rolechild_keys_clear(struct rolechild_keys *);

/* ---- a TLS role's start form ---- */

/* The entities with a certificate that are not CAs, for the Entity field:
 * *names copies (the old ones freed), *choices NULL-terminated into them;
 * how many. */
size_t rolechild_entity_choices(struct ui *, char ***names, size_t *nnames,
    const char ***choices);
/* The form's first fields: Entity (choices, def first), Passphrase and
 * Address (last, else a free TCP port), with the hints given. */
void rolechild_form_begin(struct ui *, const char *title, form_submit_fn *,
    const char *def, const char **choices, const char *ent_hint,
    const char *pass_hint, const char *last_addr);
/* The submit's checks: field addr parses as an address, then entity ent
 * unlocks into keys with field pass's passphrase; else the field says
 * why, is made the current one, keys are cleared and -1. */
int rolechild_form_unlock(struct ui *, struct form *, int addr, int pass,
    const char *ent, struct rolechild_keys *);

/* ---- connections and their traces ---- */

struct rolechild_conn {
	unsigned id;
	int open;		/* not closed yet */
	char peer[200];		/* "CN=alice", "anonymous", "" before */
	char tls[64];		/* "TLS 1.3" once the handshake is done */
	char end[120];		/* why it closed */
	struct lines trace;
};

struct rolechild_conns {
	struct rolechild_conn v[ROLECHILD_CONNS_MAX];
	size_t n, cur;
	int follow;		/* the newest is selected as it comes */
	int scrolled;		/* PgUp: the trace stays where it is */
	int draw_h, draw_w;
};

enum rolechild_event {
	RC_EV_OTHER = 0,	/* not a connection's line */
	RC_EV_ACCEPTED,
	RC_EV_HANDSHAKE,	/* handshake done: tls and peer set */
	RC_EV_CLOSED,		/* closed or failed: end set */
	RC_EV_UNKNOWN,		/* a connection no longer kept */
};

void rolechild_conns_init(struct rolechild_conns *);
void rolechild_conns_clear(struct rolechild_conns *);
/* The role ended: none is open. */
void rolechild_conns_closed(struct rolechild_conns *);
/* A "V" line's text; *c the connection (NULL for RC_EV_OTHER/UNKNOWN). */
enum rolechild_event rolechild_conns_event(struct rolechild_conns *,
    const char *text, struct rolechild_conn **c);
/* A "T" line's text ("ID LINE"); the connection, or NULL. */
struct rolechild_conn *rolechild_conns_trace(struct rolechild_conns *,
    const char *text);
/* The list (up to a third of the rows, the selected one reversed) and,
 * below a rule, the selected connection's trace following its end unless
 * scrolled. */
void rolechild_conns_draw(struct ui *, struct rolechild_conns *,
    const struct ui_rect *);
/* Up/Down: the connection; a page, Home or End (|d| > 1): its trace. */
void rolechild_conns_move(struct rolechild_conns *, long d);

#endif
