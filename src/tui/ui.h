/* ui.h — the interface's insides, shared by the files of src/tui/.
 *
 * A screen is a `const struct screen` in a file of its own (scr-*.c), its
 * state private to that file; screens.c lists them in menu order, and
 * ui.scr points at the one shown. Adding one is a new scr-NAME.c that
 * defines `const struct screen scr_NAME` and the line S(scr_NAME) in
 * screens.c; its title, hints, keys, digit shortcut and whether it is
 * shown first come with it. Handlers mark what changed and all drawing
 * happens once per turn of the loop in ui_draw (tui.c), in the windows of
 * one layout computed when the terminal's size or the window arrangement
 * changes; mouse clicks are tested against the same layout. A modal form or dialog, when open, gets the keys first.
 * Slow work (key generation) runs in a child process (struct job, job.c)
 * that reports back through a pipe; so does the CA service window's
 * service (svcproc.c), for as long as it runs. struct ui holds only what several
 * files share: the windows, the workspace and its lists, the unlocked CA,
 * the form, the job. */
#ifndef MP_TUI_UI_H
#define MP_TUI_UI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <wchar.h>

#include "role/ca.h"
#include "role/server.h"
#include "store/cadb.h"
#include "store/ws.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/opts.h"

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
 * with a marker byte (LINE_OK, LINE_FAIL, LINE_HEAD, LINE_WARN) that picks
 * its look. */
struct lines {
	char **v;
	size_t n, cap;
	size_t top, cur;	/* first line shown, selected line */
	int view_h, view_w;	/* the rows and columns it was last drawn
				 * in (lines_draw), for lines_scroll */
};
#define LINE_OK '\001'
#define LINE_FAIL '\002'
#define LINE_HEAD '\003'
#define LINE_WARN '\004'

struct ui;
struct form;

/* Called with the form when the user submits; returns 0 to close it, -1 to
 * keep it open (a field's err says why) or to keep the form it opened in
 * its place (the CA unlock form: renew_submit, lc_submit_unlock). */
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

/* A child process doing slow work (job.c); it writes lines "P progress",
 * "S stage" and finally "D 0 message" or "D 1 message" into the pipe. */
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

/* A rectangle of the screen: row, column, rows, columns. */
struct ui_rect {
	int y, x, h, w;
};

/* Where each window is, computed once per change of size or arrangement
 * (ui_layout); drawing and clicks both read it. A window not shown has
 * h == 0. main and side are the insides of their frames. */
struct ui_layout {
	int rows, cols, zoom, split;	/* what it was computed for */
	enum win zoomed;
	struct ui_rect nav;		/* the menu's frame */
	struct ui_rect main_box, main;	/* the main window */
	struct ui_rect side_box, side;	/* the split's summary window */
	struct ui_rect log_box, log;
};

struct screen;
struct pollfd;

struct ui {
	const struct opts *opts;
	struct ws ws;
	const struct screen *scr, *back;	/* back: where Esc goes from
						 * a SCREEN_BACK screen */
	enum win focus;
	int zoom, split;
	int rows, cols;
	struct ui_layout lay;
	int color, ascii;
	int quit, confirm_quit, help;
	int filtering;		/* typing into the filter of the list */
	int show_openssl;
	unsigned spin;
	char status[256];
	char openssl[512];	/* the command line of the last/current action */
	int nav_cur;

	/* the workspace's lists (ui_lists_reload): keystore names, what the
	 * entity list shows of each, the CAs */
	char **ents;
	struct ent_sum *sums;
	size_t nents;
	char **cas;
	size_t ncas;
	/* the CA the inventory, CRL and audit windows show (C: the next) */
	char inv_ca[WS_NAME_MAX + 1];

	struct lines log;
	struct lines side;	/* the split's lower window: the selection's summary */
	FILE *logf;

	/* the CA key, unlocked once per run (lifecycle.c) */
	struct ca ca;
	int ca_open;

	struct form form;
	int form_open;
	/* what to do after an unlock form succeeds */
	void (*after_unlock)(struct ui *);

	struct job job;
	char last_req[UI_FIELD_MAX];	/* the last request written */
	char last_ent[WS_NAME_MAX + 1];
};

/* A key binding: in tui.c the keys of every screen, in a screen's keys
 * those of that screen only. fn NULL: the screen's key function takes it
 * (listed for the help). */
typedef void action_fn(struct ui *);
struct binding {
	int key;
	unsigned win;		/* W(win) bits, W_ALWAYS; 0: any window */
	unsigned list;		/* 1: only on a screen with a list */
	action_fn *fn;
	const char *keys;	/* as the help shows them; NULL: not listed */
	const char *help;
};
#define W(x) (1u << (x))
/* With the windows: the key acts also while a form, a filter or a typed
 * line takes the keys (a function key, which nothing types). */
#define W_ALWAYS (1u << 31)

/* One screen. Only name, title and draw (or text) are needed; a NULL hook
 * does nothing (or the default its comment names). */
struct screen {
	const char *name;	/* in the menu */
	const char *title;	/* on the main window's frame */
	const char *hints;	/* the key-hint bar */
	unsigned flags;
#define SCREEN_LIST 0x1		/* a list: split summary, / filter, clicks */
#define SCREEN_BACK 0x2		/* Esc goes back to the screen before */
	const struct binding *keys;	/* its own keys, 0-terminated */
	/* The digit ('1'..'9') that brings it up from any screen, or 0; go
	 * is what the digit does (NULL: show the screen). */
	int shortcut;
	void (*go)(struct ui *);
	/* Whether to show it first at start: the first screen of the table
	 * for which this returns 1, else the table's first screen. */
	int (*start)(const struct ui *);

	void (*enter)(struct ui *);	/* shown (again) */
	void (*leave)(struct ui *);	/* another screen is shown */
	/* Its text, for screens of plain text: drawn, and scrolled by
	 * lines_scroll, when draw and move are NULL. */
	struct lines *(*text)(struct ui *);
	void (*draw)(struct ui *, const struct ui_rect *);
	void (*draw_side)(struct ui *);	/* fills ui.side */
	int (*key)(struct ui *, int ch);	/* 1: taken */
	void (*move)(struct ui *, long delta, int page);
	void (*select)(struct ui *);	/* Enter */
	int (*back)(struct ui *);	/* Esc; 1: taken */
	void (*click)(struct ui *, int y);	/* on screen row y of main */
	char *(*filter)(struct ui *);	/* the list's filter text (63 max) */
	void (*filter_changed)(struct ui *);
	const char *(*dyn_hints)(const struct ui *);	/* over hints */
	/* Typing a line: every key in the main window goes to key first. */
	int (*typing)(const struct ui *);
	/* A note for the title bar on every screen (what holds secrets and
	 * runs: a listening server), or NULL. */
	const char *(*note)(const struct ui *);
	void (*lists)(struct ui *);	/* the workspace's lists changed */
	void (*lock)(struct ui *);	/* L: wipe its secrets */
	void (*forget)(struct ui *);	/* in a job's child: wipe its copies */
	/* Its descriptors for the UI's poll (at most max; *wait_ms lowered
	 * to their next deadline), and after the poll their dispatch;
	 * nonzero when the window changed. */
	size_t (*pollfds)(struct ui *, struct pollfd *, size_t max,
	    int *wait_ms);
	int (*dispatch)(struct ui *, const struct pollfd *, size_t n);
	void (*clear)(struct ui *);	/* at the end: free everything */
};

/* screens.c: every screen in menu order */
extern const struct screen *const screens[];
extern const size_t screens_n;
/* The screens other files show by name. */
extern const struct screen scr_welcome, scr_entities, scr_inventory,
    scr_issue, scr_detail, scr_verify, scr_crl, scr_connect, scr_caserve,
    scr_server, scr_roles, scr_inbox;
/* The Server window's process, 0 when none (scr-server.c): the Roles
 * window marks the registry's entries of this UI. */
pid_t scr_server_pid(void);
/* The Inbox window's listener, 0 when none (scr-inbox.c); and that window
 * shown on entity name's inbox (NULL or "": the one it showed). */
pid_t scr_inbox_pid(void);
void scr_inbox_open(struct ui *, const char *name);

/* The poll entries the screens' pollfds may fill together: every entry
 * the Connect window's loop can hold (the listener, the server's
 * connections and lingering ones, the client), and 8 more for the other
 * windows (the CA service's, the Server window's and the Inbox window's
 * pipes, the Roles window's client). Fewer and the entries past the cut
 * would never be polled nor time out, and a few idle local peers could
 * stall the rest. */
#define UI_MAX_POLL (2 * SERVER_MAX_CONNS + 12)

extern struct ui *ui_current;

/* tui.c */
/* snprintf without gcc's truncation warnings: cutting is intended here. */
int ui_fmt(char *dst, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ui_log(struct ui *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ui_error(struct ui *, const struct err *);
void ui_set_screen(struct ui *, const struct screen *);
void ui_set_openssl(struct ui *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int ui_put(int y, int x, int w, const char *s);
void ui_box(int y, int x, int h, int w, const char *title, int focused);
void ui_fill(int y, int x, int w);
void ui_redraw(void);
/* The colour pairs; ui_attr turns one on or off (fallback: the attribute
 * without colours). */
enum { C_TITLE = 1, C_SEL, C_OK, C_FAIL, C_HEAD, C_WARN, C_HINT, C_FOCUS };
void ui_attr(int pair, unsigned fallback, int on);
/* ui_put for len bytes of s; returns the columns used. */
int ui_putn(int y, int x, int w, const char *s, size_t len);
/* One character of UTF-8 s (len bytes) as the screen shows it: into *wc
 * (a bad byte, a control character or an unprintable one as '?') and its
 * columns into *cw; returns the bytes it took. Drawing (ui_putn) and
 * wrapping (lines.c) both read text through it, so they agree. */
size_t ui_char(const char *s, size_t len, mbstate_t *, wchar_t *wc, int *cw);
/* Reloads the workspace's lists (ui.ents, ui.sums, ui.cas) and tells
 * every screen. */
void ui_lists_reload(struct ui *);

/* lines.c */
/* The rows line s takes when wrapped at w columns (as lines_draw wraps
 * it; a marker byte first is skipped). */
int lines_rows(const char *s, int w);
void lines_clear(struct lines *);
void lines_add(struct lines *, const char *s);
void lines_addf(struct lines *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void lines_add_text(struct lines *, const char *text, char marker);
void lines_draw(struct lines *, int y, int x, int h, int w, int sel);
void lines_move(struct lines *, long delta, int h);
/* The first line from which the rest of the text fills a window of h rows
 * and w columns (wrapped): how far down it scrolls. */
size_t lines_last_top(const struct lines *, int h, int w);
/* Plain text, wrapped: scrolls by delta rows, down to where its end is in
 * view of the window it was last drawn in (else a page short of it). */
void lines_scroll(struct lines *, long delta, int page);

/* job.c — slow work in a child process */
/* Forks a child of the UI with a pipe between them. In the child (0):
 * *fd the write end, every other descriptor closed, the UI's secrets
 * wiped but keep's, allocation failures no longer drawn. In the parent
 * (the pid): *fd the read end, non-blocking. -1 said on the log. */
pid_t ui_fork_piped(struct ui *, const struct screen *keep, int *fd);
int job_start(struct ui *, const char *what, job_done_fn *,
    void (*run)(struct ui *, void *arg, int fd), void *arg);
void job_report(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The child's last line: "D 0 done" when rc is 0, else "D 1 " and e's
 * message. */
void job_finish(int fd, int rc, const struct err *);
/* The stage line of a key's generation: "generating WHOSE P-256 EC key"
 * (bits 0) or "... N-bit RSA key". */
void job_report_keygen(int fd, const char *whose, unsigned bits);
/* Secrets the child needs: job_start_secret wipes the parent's copies
 * once the child has its own (or failed to start). */
struct job_secret {
	void *p;
	size_t n;
};
int job_start_secret(struct ui *, const char *what, job_done_fn *,
    void (*run)(struct ui *, void *arg, int fd), void *arg,
    const struct job_secret *, size_t nsecrets);
/* The common start of a done function: the lists read again and a
 * failure logged; 1 when the job succeeded. */
int job_done_ok(struct ui *, int ok, const char *msg);
/* A job made entity name: Entities shows it, selected. */
void job_show_entity(struct ui *, const char *name);
void job_read(struct ui *);
void job_cancel(struct ui *);
void job_clear(struct ui *);
/* In a forked child: closes every descriptor but 0-2 and keep. */
void job_close_fds(int keep);

/* form.c */
void form_begin(struct ui *, const char *title, form_submit_fn *, int tag);
struct field *form_add(struct ui *, const char *label, const char *val);
/* A new passphrase: "Passphrase" (required; hint, or NULL) and "Repeat
 * passphrase", both masked; the submit checks them with field_pass_twice. */
void form_add_pass_twice(struct ui *, const char *hint);
/* "Key (RSA bits/EC)": field_key_choices, def the first shown. */
struct field *form_add_key(struct ui *, const char *def);
/* "Policies" (checked as `ca init --policy`; hint says what an empty
 * one means) and "CPS URI", as `ca init --policy --cps` take them. */
void form_add_policy(struct ui *, const char *hint);
void form_draw(struct ui *);
void form_key(struct ui *, int ch, int is_key);
const char *form_val(struct ui *, int i);
void form_wipe(struct ui *);

/* field.c — checks of a form field's value, shared by the forms */
field_check_fn field_check_name, field_check_required, field_check_country,
    field_check_email, field_check_san, field_check_days,
    field_check_days_opt, field_check_pass;
/* Appends "KEY=value" with the characters dn_from_string treats
 * specially escaped. */
void field_dn_part(struct buf *, const char *key, const char *v);
/* The two passphrase fields a and b agree; else b's err says so. */
int field_pass_twice(struct form *, int a, int b);
/* The key type choice of the forms that make a key: RSA bits, or
 * FIELD_KEY_EC; field_key_bits gives the bits, 0 for P-256. */
#define FIELD_KEY_EC "EC P-256"
extern const char *const field_key_choices[];
unsigned field_key_bits(const char *v);
/* A certificatePolicies OID list (empty: none), as `ca init --policy`. */
field_check_fn field_check_policy;
/* The policy and CPS fields together as `ca init --policy --cps` checks
 * them; else the one concerned says why and has the cursor. */
int field_policy_pair(struct form *, int policy, int cps);

/* keygen.c — the forms whose work runs as a job: key, CA, demo lab */
void keygen_open_key(struct ui *);
void keygen_open_ca(struct ui *);
void keygen_open_demo(struct ui *);
/* caint.c — the intermediate CA form (parent, name constraints,
 * policies); its work runs as a job */
void caint_open(struct ui *);
/* request.c, export.c, openfile.c — forms */
void request_open(struct ui *);
void export_open(struct ui *);
void openfile_open(struct ui *);

/* the screens' own calls */
/* The entity selected in the Entities screen's list (NULL: none). */
const char *scr_entities_selected(const struct ui *);
/* Selects entity name in that list (clearing a filter that hides it): what
 * was just made is what the next form is for. */
void scr_entities_select(struct ui *, const char *name);
/* The certificate selected in the inventory (NULL: none); the inventory's
 * database when it is CA name's and open, else NULL. */
const struct cadb_cert *scr_inventory_selected(const struct ui *);
const struct cadb *scr_inventory_db(const struct ui *, const char *name);
/* Reopens the inventory after a change, the selection on serial. */
void scr_inventory_reload(struct ui *, const char *serial);
/* The inventory's CA as a read-only struct ca around its copy of the
 * database, for the lifecycle checks: what can be refused is refused
 * before a passphrase is asked. */
void scr_inventory_as_ca(struct ui *, struct ca *);
/* revoke.c, renew.c — the inventory's r and n on the selected certificate */
void revoke_open(struct ui *);
/* A revoke waits for its y/n question, drawn over the list by
 * revoke_draw (in the main window's rows); revoke_key takes the answer,
 * revoke_cancel drops it (logged). */
int revoke_pending(void);
void revoke_draw(int y, int x, int h, int w);
int revoke_key(struct ui *, int ch);
void revoke_cancel(struct ui *);
void renew_open(struct ui *);
void renew_clear(struct ui *);
void scr_issue_open(struct ui *);
void scr_verify_open(struct ui *);
/* Shows a certificate (chain: leaf first, or NULL), a request, a CRL or
 * a key's public part on the Detail screen; from names where it came
 * from. */
struct cert;
struct cert_list;
struct csr;
struct crl;
struct rsakey;
void scr_detail_cert(struct ui *, const struct cert *,
    const struct cert_list *chain, const char *from);
void scr_detail_csr(struct ui *, const struct csr *, const char *from);
void scr_detail_crl(struct ui *, const struct crl *, const uint8_t *der,
    size_t len, const char *from);
/* head: the title line; file (or NULL): a line naming it; note (or NULL):
 * a line after the key's text; der/len: the DER its ASN.1 view shows
 * (NULL: the key's SPKI); aid: the learning aid. */
void scr_detail_key(struct ui *, const struct rsakey *, const char *head,
    const char *file, const char *note, const uint8_t *der, size_t len,
    const char *aid);
/* Detail shows head, the file and text, der in its ASN.1 view: for what
 * is listed rather than decoded, such as a PKCS#12 file's bags. */
void scr_detail_text(struct ui *, const char *head, const char *file,
    const char *text, const uint8_t *der, size_t len);
/* Adds text (lines at newlines) after an empty line to what Detail shows. */
void scr_detail_add_text(const char *text);
/* What the certificate Detail shows can be given to Verify as: a file
 * path or an entity name, "" when none (a request, a CRL, a key); set
 * after scr_detail_cert, cleared by every scr_detail_*. */
void scr_detail_set_spec(const char *spec);
const char *scr_detail_spec(void);
/* Certificates of an entity (its keystore's chain) or of a file. */
int scr_detail_load_certs(struct ui *, const char *spec, struct cert_list *,
    struct err *);

/* lifecycle.c — what the CA windows share: status filters, unlocking the
 * CA, its CRL in words, the view of a head over scrolling rows */
/* The inventory's status filters, cycled by f. LC_ST_SOON: not revoked,
 * notAfter within LC_SOON_DAYS (the inventory marks those still valid
 * "soon"). */
#define LC_SOON_DAYS 30
enum { LC_ST_ALL, LC_ST_VALID, LC_ST_REVOKED, LC_ST_EXPIRED,
	LC_ST_SUPERSEDED, LC_ST_SOON, LC_ST__COUNT };
const char *lc_status_name(int);
int lc_status_match(int st, int64_t now, const struct cadb_cert *);
/* Opens CA name for writing, asks for its passphrase unless it is the one
 * already unlocked, then runs then (the unlock form, or at once). */
void lc_ca_need(struct ui *, const char *name, void (*then)(struct ui *));
/* L: wipes the unlocked CA's key. */
void lc_ca_lock(struct ui *);
/* Regenerates the unlocked CA's CRL (as `ca revoke` does); 0 or -1, logged. */
int lc_regen_crl(struct ui *);
/* A CRL in words: number, updates, issuer, entries. */
void lc_crl_text(struct lines *, const struct crl *);
/* The CA the windows show: ui.inv_ca when it exists, else the first. */
const char *lc_ca(struct ui *);
/* A window of fixed head lines, a hint, column heads and scrolling rows,
 * each line one row (wrapped to width when added). */
struct lc_view {
	struct lines head, rows;
	char cols[160];		/* the rows' column heads */
	int bottom;		/* show the last rows on the next draw */
	int width;		/* the rows were wrapped for this width */
};
/* Adds line s (its marker byte kept) wrapped to the view's width. */
void lc_add(struct lines *, int w, const char *s);
void lc_wrap(struct lines *, char marker, int first, int more,
    const char *text, int w);
/* Empties the view for a load; 0, or -1 with "No CA yet" in its head. */
int lc_view_begin(struct ui *, struct lc_view *);
/* After a load: the head's lines one row each too. */
void lc_view_end(struct lc_view *);
/* Draws the view; when the width changed, reload reloads it first. */
void lc_view_draw(struct ui *, struct lc_view *, const char *hint,
    void (*reload)(struct ui *), const struct ui_rect *);
void lc_view_move(struct lc_view *, long delta);
void lc_view_clear(struct lc_view *);

/* asn1view.c */
size_t asn1view_flatten(const uint8_t *der, size_t len,
    struct asn1_node **nodes);
const char *asn1view_tag_name(unsigned tag);

#endif
