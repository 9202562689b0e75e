/* svc.h — the CA service window's parts, shared by its three files:
 * scr-caserve.c (the screen: its views, the start form, the keys),
 * svcproc.c (the service's process and the pipe of its log) and
 * svcenroll.c (the approval queue and the tokens, through role/enroll.h).
 * One struct svc lives as long as the program, NULL until the window is
 * first shown (svc_get). */
#ifndef MP_TUI_SVC_H
#define MP_TUI_SVC_H

#include <stdint.h>
#include <sys/types.h>

#include "role/caserve.h"
#include "role/enroll.h"
#include "tui/rolechild.h"
#include "tui/ui.h"

#define SVC_LISTEN_MAX 3	/* Unix, TCP, plain HTTP */
#define SVC_ADDR_MAX 160
#define SVC_LOG_MAX 5000	/* request log lines kept; older ones go */
#define SVC_REFRESH_MS 1000	/* the queue and tokens read again */

enum svc_view { SVC_V_LOG, SVC_V_QUEUE, SVC_V_TOKENS, SVC_V__COUNT };

struct svc_listen {
	char addr[SVC_ADDR_MAX];	/* "unix:PATH", "tcp:HOST:PORT" */
	int tls;			/* 0: plain HTTP */
};

struct svc {
	/* The service process (svcproc.c); ready once every listener
	 * listens. */
	struct rolechild proc;
	char ca[WS_NAME_MAX + 1];	/* the CA it serves */
	struct svc_listen want[SVC_LISTEN_MAX];	/* as asked */
	size_t nwant;
	struct svc_listen lsn[SVC_LISTEN_MAX];	/* as listening (port 0
						 * resolved) */
	size_t nlsn;
	char fpr[CASERVE_FPR_LEN];	/* the CA certificate's SHA256: */
	unsigned long nreq;	/* request log lines */
	struct lines log;	/* the request log */
	int follow;		/* the log view sticks to the newest line */
	int failed_pass;	/* it ended on a wrong passphrase: the form
				 * comes back with the message */

	/* The enrollment store of the CA shown (svcenroll.c). */
	struct enroll en;
	int en_open;
	char en_ca[WS_NAME_MAX + 1];
	uint64_t en_size;	/* what was read, to see a change */
	size_t en_recs;
	struct lines queue, tokens;	/* one line a request / token */
	char **qids, **tids;	/* their ids, line for line */
	int all;		/* the queue shows decided requests too */
	int64_t next_refresh;	/* monotonic ms */
	/* A new token, shown once on the screen until a key is pressed
	 * (never logged), then wiped. */
	char token[ENROLL_TOKEN_LEN + 1];
	char token_id[ENROLLDB_ID_LEN + 1];

	enum svc_view view;
	int draw_h;		/* the list's last drawn rows */
	/* The start form's last choices (never the passphrase). */
	char last_tr[32], last_unix[UI_FIELD_MAX], last_tcp[UI_FIELD_MAX],
	    last_http[UI_FIELD_MAX];
	int have_last;
	/* The form's CA choices: copies, NULL-terminated (the UI's list
	 * may be reloaded while the form is open). */
	char **cas;
	size_t ncas;
	const char **ca_choices;
};

/* scr-caserve.c */
struct svc *svc_get(struct ui *);
/* The CA the window shows: the served one while a service runs. */
const char *svc_ca(struct ui *);
/* A line for the request log; marker LINE_OK etc., or 0. */
void svc_logf(struct svc *, char marker, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The service stopped or failed to start; form again on a wrong
 * passphrase. */
void svc_ended(struct ui *, struct svc *);
/* The shell commands that match the running service: for o (svc_aid_cmd),
 * and once in the request log too (svc_aid). */
void svc_aid_cmd(struct ui *, struct svc *);
void svc_aid(struct ui *, struct svc *);

/* svcproc.c */
/* The process's part of a new struct svc. */
void svc_proc_init(struct svc *);
/* Forks the process that runs the service for s->ca on s->want with
 * passphrase pass (the child wipes its copy, the caller its own); 0, or
 * -1 logged. */
int svc_proc_start(struct ui *, struct svc *, char *pass);
/* SIGTERM: the service stops; its end comes through the pipe. */
void svc_proc_stop(struct ui *, struct svc *);
/* At the end of the program: stopped and reaped, whatever it does. */
void svc_proc_end(struct svc *);

/* svcenroll.c */
/* Opens (or reads what was added to) the store of CA name and rebuilds
 * the lines when it changed; 1 when it changed. */
int svc_enroll_refresh(struct ui *, struct svc *, const char *name,
    int force);
void svc_enroll_clear(struct svc *);
/* The keys of the queue and token views: a approve, r reject, n new
 * token, D revoke a token, f all requests or the waiting ones. */
void svc_approve_open(struct ui *, struct svc *);
void svc_reject_open(struct ui *, struct svc *);
void svc_token_open(struct ui *, struct svc *);
void svc_token_revoke_open(struct ui *, struct svc *);
/* Wipes the token shown once. */
void svc_token_forget(struct svc *);
/* "minipki-tui [--dir DIR]" for the equivalent commands. */
const char *svc_prog(struct ui *);

#endif
