/* svcenroll.c — the CA service window's approval queue and tokens: the
 * calls `ca pending`, `ca approve`, `ca reject` and `ca token
 * new/list/revoke` make (role/enroll.h), their lines as those commands
 * print them, and the forms that ask for what they need. None needs the
 * CA key or the CA's lock, so all work while the service runs: it issues
 * an approved request when its requester polls again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "role/profile.h"
#include "tui/svc.h"
#include "util/xalloc.h"

const char *
svc_prog(struct ui *u)
{
	static char s[UI_FIELD_MAX + 32];

	if (u->opts != NULL && u->opts->dir != NULL)
		ui_fmt(s, sizeof s, "minipki-tui --dir %s", u->opts->dir);
	else
		ui_fmt(s, sizeof s, "minipki-tui");
	return s;
}

/* ---- reading the store ---- */

static void
svc_ids_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The id of the selected line of l (ids line for line), or NULL. */
static const char *
svc_selected(const struct lines *l, char **ids)
{
	return ids != NULL && l->cur < l->n ? ids[l->cur] : NULL;
}

/* Puts the selection back on id after a rebuild. */
static void
svc_reselect(struct lines *l, char **ids, const char *id)
{
	size_t i;

	l->cur = l->n > 0 ? l->n - 1 : 0;
	for (i = 0; id != NULL && i < l->n; i++)
		if (strcmp(ids[i], id) == 0) {
			l->cur = i;
			break;
		}
	if (l->top > l->cur)
		l->top = l->cur;
}

static void
svc_lines_build(struct svc *s)
{
	const struct enrolldb *db = &s->en.db;
	char *keep_q = NULL, *keep_t = NULL;
	const char *sel;
	struct buf b;
	size_t i;
	int64_t now = (int64_t)time(NULL);
	char mk;

	if ((sel = svc_selected(&s->queue, s->qids)) != NULL)
		keep_q = xstrdup(sel);
	if ((sel = svc_selected(&s->tokens, s->tids)) != NULL)
		keep_t = xstrdup(sel);
	svc_ids_free(s->qids, s->queue.n);
	svc_ids_free(s->tids, s->tokens.n);
	lines_clear(&s->queue);
	lines_clear(&s->tokens);
	s->qids = xcalloc(db->nreqs + 1, sizeof *s->qids);
	s->tids = xcalloc(db->ntokens + 1, sizeof *s->tids);
	buf_init(&b);
	for (i = 0; i < db->nreqs; i++) {
		const struct enrolldb_req *q = &db->reqs[i];

		if (!s->all && q->state != ENROLLDB_PENDING &&
		    q->state != ENROLLDB_APPROVED)
			continue;
		mk = q->state == ENROLLDB_PENDING ? LINE_WARN :
		    q->state == ENROLLDB_APPROVED ? LINE_OK :
		    q->state == ENROLLDB_REJECTED ? LINE_FAIL : 0;
		b.len = 0;
		if (mk)
			buf_putc(&b, mk);
		enroll_req_line(q, &b);
		buf_putc(&b, '\0');
		s->qids[s->queue.n] = xstrdup(q->id);
		lines_add(&s->queue, (char *)b.data);
	}
	for (i = 0; i < db->ntokens; i++) {
		const struct enrolldb_token *t = &db->tokens[i];
		enum enroll_token_state st = enroll_token_state(t, now);

		b.len = 0;
		buf_putc(&b, st == ENROLL_TOKEN_ACTIVE ? LINE_OK :
		    st == ENROLL_TOKEN_REVOKED ? LINE_FAIL : LINE_WARN);
		enroll_token_line(t, now, &b);
		buf_putc(&b, '\0');
		s->tids[s->tokens.n] = xstrdup(t->id);
		lines_add(&s->tokens, (char *)b.data);
	}
	buf_clear(&b);
	svc_reselect(&s->queue, s->qids, keep_q);
	svc_reselect(&s->tokens, s->tids, keep_t);
	free(keep_q);
	free(keep_t);
}

void
svc_enroll_clear(struct svc *s)
{
	svc_ids_free(s->qids, s->queue.n);
	svc_ids_free(s->tids, s->tokens.n);
	s->qids = s->tids = NULL;
	lines_clear(&s->queue);
	lines_clear(&s->tokens);
	if (s->en_open)
		enroll_clear(&s->en);
	enroll_init(&s->en);
	s->en_open = 0;
	s->en_ca[0] = '\0';
	s->en_size = 0;
	s->en_recs = 0;
}

int
svc_enroll_refresh(struct ui *u, struct svc *s, const char *name, int force)
{
	struct err e;
	int r;

	err_clear(&e);
	if (name == NULL) {
		if (!s->en_open)
			return 0;
		svc_enroll_clear(s);
		return 1;
	}
	if (!s->en_open || strcmp(s->en_ca, name) != 0) {
		svc_enroll_clear(s);
		r = enroll_open(&s->en, &u->ws, name, &e);
		s->en_open = 1;
		ui_fmt(s->en_ca, sizeof s->en_ca, "%s", name);
		force = 1;
	} else
		r = enroll_refresh(&s->en, &e);
	if (r == -1) {
		/* Logged once per change of what failed, not every second. */
		if (force || s->en_size != (uint64_t)-1)
			ui_log(u, "CA service: the enrollment store of CA '%s': "
			    "%s", name, e.msg);
		s->en_size = (uint64_t)-1;
		return 1;
	}
	if (!force && s->en_size == s->en.db.size &&
	    s->en_recs == s->en.db.nrecs)
		return 0;
	s->en_size = s->en.db.size;
	s->en_recs = s->en.db.nrecs;
	svc_lines_build(s);
	return 1;
}

/* ---- the forms ---- */

/* What the open form is about; its read-only field shows it. */
static char svc_form_id[ENROLLDB_ID_LEN + 1];
static char svc_form_what[UI_FIELD_MAX];
static const char *svc_form_what_choice[2] = { svc_form_what, NULL };
static const char *const svc_profiles[] = { "client", "server", "ca", NULL };
static const char *const svc_token_profiles[] = { "client", "server", NULL };
/* A token's lifetime: a choice, as `ca token new --ttl` writes it. */
static const struct {
	const char *name;
	int64_t secs;
} svc_ttls[] = {
	{ "1h", 3600 }, { "8h", 8 * 3600 }, { "24h", 86400 },
	{ "7d", 7 * 86400 }, { "30d", 30 * 86400 }, { "366d", 366 * 86400 },
};
static const char *const svc_ttl_names[] = { "1h", "8h", "24h", "7d", "30d",
	"366d", NULL };

enum { SF_WHAT, SF_SECOND };		/* approve, reject, revoke */
enum { TF_PROFILE, TF_MATCH, TF_USES, TF_TTL };	/* token new */

static struct field *
svc_form_what_field(struct ui *u, const char *label, const char *what)
{
	struct field *f;

	ui_fmt(svc_form_what, sizeof svc_form_what, "%s", what);
	f = form_add(u, label, svc_form_what);
	f->choices = svc_form_what_choice;
	return f;
}

/* The selected request; logged when there is none. */
static const struct enrolldb_req *
svc_req_selected(struct ui *u, struct svc *s)
{
	const char *id = svc_selected(&s->queue, s->qids);
	const struct enrolldb_req *q;

	if (s->view != SVC_V_QUEUE || id == NULL ||
	    (q = enrolldb_req(&s->en.db, id)) == NULL) {
		ui_log(u, "CA service: no request selected (v shows the "
		    "queue)");
		return NULL;
	}
	if (q->state != ENROLLDB_PENDING) {
		ui_log(u, "CA service: request %s is %s already", q->id,
		    q->state == ENROLLDB_APPROVED ? "approved" : "decided");
		return NULL;
	}
	ui_fmt(svc_form_id, sizeof svc_form_id, "%s", q->id);
	return q;
}

static int
svc_approve_submit(struct ui *u, struct form *fm)
{
	struct svc *s = svc_get(u);
	const struct enrolldb_req *q;
	const char *p = fm->f[SF_SECOND].val;
	struct err e;

	if (enroll_approve(&s->en, svc_form_id, profile_find(p),
	    (int64_t)time(NULL), &e) == -1) {
		ui_fmt(fm->f[SF_WHAT].err, sizeof fm->f[SF_WHAT].err, "%s",
		    e.msg);
		return -1;
	}
	q = enrolldb_req(&s->en.db, svc_form_id);
	ui_log(u, "CA service: approved request %s (profile %s); issued when "
	    "its requester asks again", svc_form_id, q != NULL ?
	    q->approved_profile : p);
	ui_set_openssl(u, "%s ca approve --ca %s %s --profile %s   (list: ca "
	    "pending --ca %s)", svc_prog(u), s->en_ca, svc_form_id, p,
	    s->en_ca);
	svc_enroll_refresh(u, s, s->en_ca, 1);
	return 0;
}

void
svc_approve_open(struct ui *u, struct svc *s)
{
	const struct enrolldb_req *q = svc_req_selected(u, s);
	struct field *f;
	char what[UI_FIELD_MAX];

	if (q == NULL)
		return;
	ui_fmt(what, sizeof what, "%s %s", q->id, q->subject);
	form_begin(u, "Approve an enrollment request", svc_approve_submit, 0);
	svc_form_what_field(u, "Request", what);
	f = form_add(u, "Profile", profile_find(q->profile) != NULL ?
	    q->profile : ENROLL_DEFAULT_PROFILE);
	f->choices = svc_profiles;
	f->hint = "what the certificate may do; only here may ca be granted";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "%s ca approve --ca %s "
	    "%s --profile %s", svc_prog(u), s->en_ca, q->id, f->val);
}

static int
svc_reject_submit(struct ui *u, struct form *fm)
{
	struct svc *s = svc_get(u);
	const char *r = fm->f[SF_SECOND].val;
	struct err e;

	if (enroll_reject(&s->en, svc_form_id, *r ? r : NULL,
	    (int64_t)time(NULL), &e) == -1) {
		ui_fmt(fm->f[e.kind == ERR_USAGE && *r ? SF_SECOND : SF_WHAT].err,
		    sizeof fm->f[0].err, "%s", e.msg);
		return -1;
	}
	ui_log(u, "CA service: rejected request %s%s%s", svc_form_id,
	    *r ? ": " : "", r);
	ui_set_openssl(u, "%s ca reject --ca %s %s%s%s%s", svc_prog(u),
	    s->en_ca, svc_form_id, *r ? " --reason '" : "", r, *r ? "'" : "");
	svc_enroll_refresh(u, s, s->en_ca, 1);
	return 0;
}

void
svc_reject_open(struct ui *u, struct svc *s)
{
	const struct enrolldb_req *q = svc_req_selected(u, s);
	struct field *f;
	char what[UI_FIELD_MAX];

	if (q == NULL)
		return;
	ui_fmt(what, sizeof what, "%s %s", q->id, q->subject);
	form_begin(u, "Reject an enrollment request", svc_reject_submit, 0);
	svc_form_what_field(u, "Request", what);
	f = form_add(u, "Reason", "");
	f->hint = "the requester's next poll gets it (empty: refused by the "
	    "CA operator)";
	u->form.cur = SF_SECOND;
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "%s ca reject --ca %s "
	    "%s --reason TEXT", svc_prog(u), s->en_ca, q->id);
}

static void
svc_check_uses(const char *v, char *err, size_t n)
{
	char *end;
	unsigned long k = strtoul(v, &end, 10);

	if (*v < '0' || *v > '9' || *end != '\0' || k < 1 ||
	    k > ENROLLDB_USES_MAX)
		ui_fmt(err, n, "a number of certificates, 1 to %d",
		    ENROLLDB_USES_MAX);
}

static int
svc_token_submit(struct ui *u, struct form *fm)
{
	struct svc *s = svc_get(u);
	struct enroll_token_opts o;
	struct err e;
	char until[WS_TIME_LEN], id[ENROLLDB_ID_LEN + 1];
	int64_t now = (int64_t)time(NULL);
	const char *m = fm->f[TF_MATCH].val, *ttl = fm->f[TF_TTL].val;
	size_t i;

	memset(&o, 0, sizeof o);
	o.profile = fm->f[TF_PROFILE].val;
	o.match = *m ? m : NULL;
	o.uses = strtoul(fm->f[TF_USES].val, NULL, 10);
	for (i = 0; i < sizeof svc_ttls / sizeof svc_ttls[0]; i++)
		if (strcmp(svc_ttls[i].name, ttl) == 0)
			o.ttl = svc_ttls[i].secs;
	svc_token_forget(s);
	if (enroll_token_new(&s->en, &o, now, s->token, id, &e) == -1) {
		ui_fmt(fm->f[o.match != NULL && strncmp(e.msg, "subject match",
		    13) == 0 ? TF_MATCH : TF_PROFILE].err, sizeof fm->f[0].err,
		    "%s", e.msg);
		svc_token_forget(s);
		return -1;
	}
	ui_fmt(s->token_id, sizeof s->token_id, "%s", id);
	ws_time_format(now + o.ttl, until);
	/* The token itself only on the screen: the log goes to a file. */
	ui_log(u, "CA service: token %s made (profile %s, %lu use%s, expires "
	    "%s); shown once above", id, o.profile, o.uses, o.uses == 1 ? "" :
	    "s", until);
	ui_set_openssl(u, "%s ca token new --ca %s --profile %s --uses %lu "
	    "--ttl %s%s%s%s   then: %s client enroll NAME --ca %s "
	    "--ca-fingerprint %s --token $TOKEN", svc_prog(u), s->en_ca,
	    o.profile, o.uses, ttl, o.match ? " --subject-match '" : "",
	    o.match ? o.match : "", o.match ? "'" : "", svc_prog(u),
	    s->nlsn > 0 ? s->lsn[0].addr : "ADDR", s->fpr[0] ? s->fpr :
	    "SHA256:...");
	s->view = SVC_V_TOKENS;
	svc_enroll_refresh(u, s, s->en_ca, 1);
	svc_reselect(&s->tokens, s->tids, s->token_id);	/* the new one */
	return 0;
}

void
svc_token_open(struct ui *u, struct svc *s)
{
	struct field *f;

	if (!s->en_open) {
		ui_log(u, "CA service: no CA yet");
		return;
	}
	form_begin(u, "New enrollment token", svc_token_submit, 0);
	f = form_add(u, "Profile", "client");
	f->choices = svc_token_profiles;
	f->hint = "what its certificates may do (a token never grants ca)";
	f = form_add(u, "Subject match", "");
	f->hint = "POSIX regex the whole subject must match, e.g. CN=alice.* "
	    "(empty: any)";
	f = form_add(u, "Uses", "1");
	f->check = svc_check_uses;
	f->hint = "how many certificates it may give";
	f = form_add(u, "Lifetime", "24h");
	f->choices = svc_ttl_names;
	f->hint = "it expires after this";
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "%s ca token new --ca "
	    "%s --profile client --uses 1 --ttl 24h", svc_prog(u), s->en_ca);
}

static int
svc_revoke_submit(struct ui *u, struct form *fm)
{
	struct svc *s = svc_get(u);
	struct err e;

	if (enroll_token_revoke(&s->en, svc_form_id, (int64_t)time(NULL),
	    &e) == -1) {
		ui_fmt(fm->f[SF_WHAT].err, sizeof fm->f[SF_WHAT].err, "%s",
		    e.msg);
		return -1;
	}
	ui_log(u, "CA service: token %s revoked", svc_form_id);
	ui_set_openssl(u, "%s ca token revoke --ca %s %s   (list: ca token "
	    "list --ca %s)", svc_prog(u), s->en_ca, svc_form_id, s->en_ca);
	svc_enroll_refresh(u, s, s->en_ca, 1);
	return 0;
}

void
svc_token_revoke_open(struct ui *u, struct svc *s)
{
	const char *id = svc_selected(&s->tokens, s->tids);
	const struct enrolldb_token *t;

	if (s->view != SVC_V_TOKENS || id == NULL ||
	    (t = enrolldb_token(&s->en.db, id)) == NULL) {
		ui_log(u, "CA service: no token selected (v shows the tokens)");
		return;
	}
	if (t->revoked) {
		ui_log(u, "CA service: token %s is revoked already", id);
		return;
	}
	ui_fmt(svc_form_id, sizeof svc_form_id, "%s", id);
	form_begin(u, "Revoke an enrollment token (Enter revokes)",
	    svc_revoke_submit, 0);
	svc_form_what_field(u, "Token", id);
	ui_fmt(u->form.openssl, sizeof u->form.openssl, "%s ca token revoke "
	    "--ca %s %s", svc_prog(u), s->en_ca, id);
}

void
svc_token_forget(struct svc *s)
{
	explicit_bzero(s->token, sizeof s->token);
	s->token_id[0] = '\0';
}
