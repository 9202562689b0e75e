/* ui.h — the interface's insides, shared by the files of src/tui/.
 *
 * One state variable (ui.scr) selects the screen; each screen has a draw
 * and a key function; handlers mark what changed (ui.dirty) and all drawing
 * happens once per turn of the loop in ui_draw. A modal form or dialog,
 * when open, gets the keys first. Slow work (key generation) runs in a
 * child process (struct job) that reports back through a pipe. */
#ifndef MP_TUI_UI_H
#define MP_TUI_UI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "role/ca.h"
#include "role/server.h"
#include "store/cadb.h"
#include "store/ws.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/opts.h"

enum ui_screen {
	SCR_WELCOME,
	SCR_ENTITIES,
	SCR_INVENTORY,
	SCR_ISSUE,
	SCR_DETAIL,
	SCR_VERIFY,
	SCR_CRL,	/* lifecycle.c */
	SCR_AUDIT,	/* lifecycle.c */
	SCR_CONNECT,	/* connect.c */
	SCR__COUNT
};

/* The windows; focus and zoom name one of them. */
enum win {
	WIN_NAV,
	WIN_MAIN,
	WIN_DETAIL,	/* the lower half of a split main area */
	WIN_LOG,
	WIN__COUNT
};

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24
#define UI_NAV_W 18
#define UI_LOG_H 6
#define UI_FIELD_MAX 256
#define UI_FORM_FIELDS 14

/* Lines of text for a scrollable window; each line owned. A line may start
 * with a marker byte (LINE_OK, LINE_FAIL, LINE_HEAD) that picks its look. */
struct lines {
	char **v;
	size_t n, cap;
	size_t top, cur;	/* first line shown, selected line */
};
#define LINE_OK '\001'
#define LINE_FAIL '\002'
#define LINE_HEAD '\003'
#define LINE_WARN '\004'

struct ui;
struct form;

/* Called with the form when the user submits; returns 0 to close it, -1 to
 * keep it open (a field's err says why) or to keep the form it opened in
 * its place (the CA unlock form: submit_renew, lc_submit_unlock). */
typedef int form_submit_fn(struct ui *, struct form *);
/* Checks one field's value; fills err (empty when good). */
typedef void field_check_fn(const char *val, char *err, size_t errlen);

struct field {
	const char *label;
	char val[UI_FIELD_MAX];
	size_t len;
	int masked;		/* passphrase: shown as '*' */
	const char *const *choices;	/* NULL-terminated; cycled with space */
	field_check_fn *check;
	char err[160];
	const char *hint;	/* shown when the field has focus */
};

struct form {
	const char *title;
	struct field f[UI_FORM_FIELDS];
	int n, cur;
	form_submit_fn *submit;
	void (*cancel)(struct ui *);	/* on Esc, before the wipe; or NULL */
	int tag;		/* for the submit function */
	char openssl[512];	/* the learning aid for this form */
};

/* A child process doing slow work; it writes lines "S stage" and finally
 * "D 0 message" or "D 1 message" into the pipe. */
typedef void job_done_fn(struct ui *, int ok, const char *msg);
struct job {
	pid_t pid;		/* 0: none */
	int fd;
	struct buf in;
	char what[128];
	char stage[128];
	int64_t started;	/* monotonic ms */
	job_done_fn *done;
};

/* What the entity list shows of a keystore (read without a passphrase). */
struct ent_sum {
	unsigned bits;
	int has_cert, is_ca;
	char subject[160];
	char not_after[WS_TIME_LEN];
	char created[WS_TIME_LEN];
};

struct asn1_node {
	unsigned depth, tag;
	size_t off, hdrlen, len;
};

struct ui {
	const struct opts *opts;
	struct ws ws;
	enum ui_screen scr, back;	/* back: where Esc goes from detail */
	enum win focus;
	int zoom, split;
	int rows, cols;
	int color, ascii, mouse;
	int quit, confirm_quit, help;
	int filtering;		/* typing into the filter of the list */
	int show_openssl;
	unsigned spin;
	char status[256];
	char openssl[512];	/* the command line of the last/current action */
	int nav_cur;
	int list_y, list_h;	/* screen rows of the drawn list, for clicks */

	/* entities: keystore names */
	char **ents;
	struct ent_sum *sums;
	size_t nents;
	size_t *ent_idx, nent_idx;	/* filtered view */
	size_t ent_cur, ent_top;
	char ent_filter[64];
	char **cas;
	size_t ncas;

	/* inventory */
	struct cadb db;
	int db_open;
	char inv_ca[WS_NAME_MAX + 1];
	size_t *inv_all;	/* every index into db.certs, sorted */
	int inv_sorted;		/* inv_all matches sort_col, sort_rev */
	size_t *inv, ninv;	/* the filtered view of inv_all */
	size_t inv_cur, inv_top;
	int sort_col, sort_rev;
	char inv_filter[64];
	int64_t now;

	/* the text windows */
	struct lines log;
	struct lines text;	/* main text: welcome, issue review, detail, verify */
	struct lines side;	/* the split's lower window: the selection's summary */
	FILE *logf;

	/* detail */
	struct buf der;		/* what the detail shows, for the ASN.1 view */
	int asn1;
	struct asn1_node *nodes;
	size_t nnodes;

	/* issue review */
	struct csr *req;
	char req_path[UI_FIELD_MAX];
	char req_entity[UI_FIELD_MAX];
	char req_ca[WS_NAME_MAX + 1];
	int req_profile;
	long req_days;
	int req_sig_ok;

	/* the CA key, unlocked once per run */
	struct ca ca;
	int ca_open;

	struct form form;
	int form_open;
	/* what to do after an unlock form succeeds */
	void (*after_unlock)(struct ui *);

	struct job job;
	char last_req[UI_FIELD_MAX];	/* the last request written */
	char last_ent[WS_NAME_MAX + 1];

	/* lifecycle.c */
	int inv_status;		/* inventory status filter: LC_ST_* */
	int lc_confirm;		/* a revoke waits for y/n */
	char lc_serial[CADB_SERIAL_MAX + 1];	/* of the revoke / renew */
	char lc_subject[256];
	char lc_reason[32];
	int64_t lc_invalidity;	/* 0: none */
	int64_t lc_when;	/* revocationDate, when lc_when_set */
	int lc_when_set;	/* 0: the time of the y */
	long lc_days;		/* renew: 0 as long as the old one */
	int lc_revoke_old;
	struct csr *lc_req;	/* renew: the new key's request (owned), or
				 * NULL for the same key */
	char lc_req_path[UI_FIELD_MAX];
	struct lines lc_head;	/* CRL / audit window: fixed top lines */
	struct lines lc;	/* ... and the scrollable rows below */
	char lc_cols[160];	/* the rows' column heads */
	int lc_bottom;		/* show the last rows on the next draw */
	int lc_width;		/* the audit rows were wrapped for this width */

	/* connect.c */
	struct conn *conn;	/* the connection window; NULL until opened */
};

extern struct ui *ui_current;

/* tui.c */
/* snprintf without gcc's truncation warnings: cutting is intended here. */
int ui_fmt(char *dst, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ui_log(struct ui *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ui_error(struct ui *, const struct err *);
void ui_set_screen(struct ui *, enum ui_screen);
void ui_set_openssl(struct ui *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int ui_put(int y, int x, int w, const char *s);
void ui_box(int y, int x, int h, int w, const char *title, int focused);
void ui_fill(int y, int x, int w);
int ui_job_start(struct ui *, const char *what, job_done_fn *,
    void (*run)(struct ui *, void *arg, int fd), void *arg);
void ui_job_report(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int64_t ui_now_ms(void);

/* lines */
void lines_clear(struct lines *);
void lines_add(struct lines *, const char *s);
void lines_addf(struct lines *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void lines_add_text(struct lines *, const char *text, char marker);
void lines_draw(struct lines *, int y, int x, int h, int w, int sel);
void lines_move(struct lines *, long delta, int h);

/* form.c */
void form_begin(struct ui *, const char *title, form_submit_fn *, int tag);
struct field *form_add(struct ui *, const char *label, const char *val);
void form_draw(struct ui *);
void form_key(struct ui *, int ch, int is_key);
const char *form_val(struct ui *, int i);
void form_wipe(struct ui *);

/* screens.c */
void scr_refresh_lists(struct ui *);
void scr_draw_main(struct ui *, int y, int x, int h, int w);
void scr_draw_side(struct ui *, int y, int x, int h, int w);
int scr_key(struct ui *, int ch);
void scr_enter(struct ui *, enum ui_screen);
void scr_open_create_ca(struct ui *);
void scr_open_demo(struct ui *);
void scr_open_new_key(struct ui *);
void scr_open_new_csr(struct ui *);
void scr_open_issue(struct ui *);
void scr_open_verify(struct ui *);
void scr_open_export(struct ui *);
void scr_lock(struct ui *);
void scr_filter_changed(struct ui *);
char *scr_filter(struct ui *);
int scr_has_list(const struct ui *);
void scr_move(struct ui *, long delta, int page);
void scr_select(struct ui *);
void scr_click(struct ui *, int y);
void scr_clear(struct ui *);

/* lifecycle.c — the CRL and audit-log windows, revoke and renew */
void lc_enter(struct ui *, enum ui_screen);
void lc_draw(struct ui *, int y, int x, int h, int w);
int lc_key(struct ui *, int ch);
void lc_clear(struct ui *);
/* The inventory's status filters, cycled by f. */
enum { LC_ST_ALL, LC_ST_VALID, LC_ST_REVOKED, LC_ST_EXPIRED,
	LC_ST_SUPERSEDED, LC_ST_SOON, LC_ST__COUNT };
const char *lc_status_name(int);
int lc_status_match(const struct ui *, const struct cadb_cert *);
/* Opens CA name for writing, asks for its passphrase unless it is the one
 * already unlocked, then runs then (the unlock form, or at once). */
void lc_ca_need(struct ui *, const char *name, void (*then)(struct ui *));
/* Regenerates the unlocked CA's CRL (as `ca revoke` does); 0 or -1, logged. */
int lc_regen_crl(struct ui *);
/* A CRL in words: number, updates, issuer, entries. */
struct crl;
void lc_crl_text(struct lines *, const struct crl *);
void lc_move(struct ui *, long delta, int page);

/* connect.c — the TLS connection window */
void conn_enter(struct ui *);
void conn_draw(struct ui *, int y, int x, int h, int w);
int conn_key(struct ui *, int ch);
void conn_clear(struct ui *);
/* The server listens (it goes on while other screens are shown: the title
 * bar says so). */
int conn_listening(const struct ui *);
/* Leaving the window: a log line when the server goes on listening. */
void conn_leave(struct ui *);
/* L: stops the client and the server and wipes their keys. */
void conn_lock(struct ui *);
/* In a forked child only: wipes its copies of the Connect keys. */
void conn_forget_keys(struct ui *);
/* Typing a service line: every key goes to conn_key. */
int conn_typing(const struct ui *);
const char *conn_hints(const struct ui *);
void conn_move(struct ui *, long delta, int page);
/* The descriptors of the in-process server and client for the UI's poll
 * (at most max; *wait_ms lowered to their next deadline), and after the
 * poll their dispatch; nonzero when the window changed. */
struct pollfd;
/* Every entry the window's loop can hold: the listener, the server's
 * connections and lingering (draining) ones, the client. Fewer and the
 * entries past the cut would never be polled nor time out, and a few idle
 * local peers could stall the rest. */
#define CONN_MAX_POLL (2 * SERVER_MAX_CONNS + 4)
size_t conn_pollfds(struct ui *, struct pollfd *, size_t max, int *wait_ms);
int conn_dispatch(struct ui *, const struct pollfd *, size_t n);
/* tui.c, for connect.c: the rows line s takes when wrapped at w columns
 * (as lines_draw wraps it; a marker byte first is skipped). */
int ui_text_rows(const char *s, int w);

/* asn1view.c */
size_t asn1view_flatten(const uint8_t *der, size_t len,
    struct asn1_node **nodes);
const char *asn1view_tag_name(unsigned tag);

#endif
