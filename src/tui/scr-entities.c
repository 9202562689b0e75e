/* scr-entities.c — the Entities screen: every keystore of the workspace
 * (ui.ents, read without a passphrase), filtered as the user types; Enter
 * shows the entity's certificate, or its key's public part after the
 * passphrase; the split's summary describes the selection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "role/entity.h"
#include "tui/ui.h"
#include "util/xalloc.h"
#include "x509/cert.h"

static size_t *ent_idx, ent_nidx;	/* the filtered view: into ui.ents */
static size_t ent_cur, ent_top;
static char ent_filter[64];
static int ent_list_y, ent_list_h;	/* the screen rows of the list */
static char ent_key_name[WS_NAME_MAX + 1];	/* the key being shown */

static int
ent_matches(struct ui *u, size_t i)
{
	const char *f = ent_filter;

	return *f == '\0' || strcasestr(u->ents[i], f) != NULL ||
	    strcasestr(u->sums[i].subject, f) != NULL;
}

static void
ent_filter_apply(struct ui *u)
{
	size_t i;

	free(ent_idx);
	ent_idx = xcalloc(u->nents + 1, sizeof *ent_idx);
	ent_nidx = 0;
	for (i = 0; i < u->nents; i++)
		if (ent_matches(u, i))
			ent_idx[ent_nidx++] = i;
	if (ent_cur >= ent_nidx)
		ent_cur = ent_nidx ? ent_nidx - 1 : 0;
}

void
scr_entities_select(struct ui *u, const char *name)
{
	size_t k;

	for (k = 0; k < 2; k++) {
		ent_filter_apply(u);
		for (ent_cur = 0; ent_cur < ent_nidx; ent_cur++)
			if (strcmp(u->ents[ent_idx[ent_cur]], name) == 0)
				return;
		ent_filter[0] = '\0';	/* hidden by the filter */
	}
	ent_cur = 0;
}

const char *
scr_entities_selected(const struct ui *u)
{
	if (ent_nidx == 0)
		return NULL;
	return u->ents[ent_idx[ent_cur]];
}

/* The key of an entity without a certificate: its public half decoded
 * (never a private number), after the keystore's passphrase. */
static int
ent_submit_key(struct ui *u, struct form *fm)
{
	struct rsakey key;
	struct err e;
	char head[WS_NAME_MAX + 64], aid[WS_NAME_MAX + 64];

	rsakey_init(&key);
	if (entity_unlock(&u->ws, ent_key_name, fm->f[0].val,
	    strlen(fm->f[0].val), NULL, &key, &e) == -1) {
		ui_fmt(fm->f[0].err, sizeof fm->f[0].err, "%s", e.msg);
		rsakey_clear(&key);
		return -1;
	}
	form_wipe(u);
	ui_fmt(head, sizeof head, "Key of entity %s (public part)",
	    ent_key_name);
	ui_fmt(aid, sizeof aid, "openssl pkey -in %s.key -noout -text_pub",
	    ent_key_name);
	scr_detail_key(u, &key, head, NULL, NULL, NULL, 0, aid);
	rsakey_clear(&key);
	return 0;
}

static void
ent_select(struct ui *u)
{
	const char *name = scr_entities_selected(u);
	struct cert_list l;
	struct err e;

	if (name == NULL)
		return;
	cert_list_init(&l);
	if (!u->sums[ent_idx[ent_cur]].has_cert) {
		struct field *f;

		ui_fmt(ent_key_name, sizeof ent_key_name, "%s", name);
		form_begin(u, "Show the key (no certificate yet)",
		    ent_submit_key, 0);
		f = form_add(u, "Key passphrase", "");
		f->masked = 1;
		f->check = field_check_pass;
		f->hint = "only the public part is shown";
	} else if (scr_detail_load_certs(u, name, &l, &e) == -1)
		ui_error(u, &e);
	else {
		char from[128];

		ui_fmt(from, sizeof from, "%s.crt.pem", name);
		scr_detail_cert(u, &l.v[0], &l, from);
		scr_detail_set_spec(name);
	}
	cert_list_clear(&l);
}

static void
ent_draw(struct ui *u, const struct ui_rect *rc)
{
	int y = rc->y, x = rc->x, h = rc->h, w = rc->w;
	size_t i, k;
	int r;
	char line[512];

	if (u->filtering || ent_filter[0]) {
		ui_fmt(line, sizeof line, "/%s%s", ent_filter,
		    u->filtering ? "_" : "");
		attron(A_BOLD);
		ui_put(y + h - 1, x, w, line);
		attroff(A_BOLD);
		h--;
	}
	attron(A_BOLD | A_UNDERLINE);
	ui_fmt(line, sizeof line, " %-16s %-5s %-5s %-11s %s", "Name", "Key",
	    "Cert", "Not after", "Subject");
	ui_fill(y, x, w);
	ui_put(y, x, w, line);
	attroff(A_BOLD | A_UNDERLINE);
	if (ent_nidx == 0) {
		ui_put(y + 2, x + 1, w - 2, u->nents ? "(nothing matches the "
		    "filter)" : "No entities yet: n makes a key, c a CA, d the "
		    "demo lab.");
		return;
	}
	h--;
	ent_list_y = y + 1;
	ent_list_h = h;
	if (ent_cur < ent_top)
		ent_top = ent_cur;
	if (ent_cur >= ent_top + (size_t)h)
		ent_top = ent_cur - (size_t)h + 1;
	for (r = 0; r < h; r++) {
		const struct ent_sum *s;

		k = ent_top + (size_t)r;
		if (k >= ent_nidx)
			break;
		i = ent_idx[k];
		s = &u->sums[i];
		ui_fmt(line, sizeof line, " %-16s %-5u %-5s %-11.10s %s",
		    u->ents[i], s->bits, s->is_ca ? "CA" : s->has_cert ?
		    "yes" : "none", s->not_after[0] ? s->not_after : "-",
		    s->subject);
		if (k == ent_cur)
			attron(A_REVERSE);
		ui_fill(y + 1 + r, x, w);
		ui_put(y + 1 + r, x, w, line);
		if (k == ent_cur)
			attroff(A_REVERSE);
	}
}

static void
ent_draw_side(struct ui *u)
{
	const struct ent_sum *s;
	const char *n = scr_entities_selected(u);

	if (n == NULL)
		return;
	s = &u->sums[ent_idx[ent_cur]];
	lines_addf(&u->side, "%cEntity %s%s", LINE_HEAD, n,
	    s->is_ca ? "  (a CA)" : "");
	lines_addf(&u->side, "keystore   %s/keys/%s.yaml", u->ws.dir, n);
	lines_addf(&u->side, "key        RSA %u bits, encrypted "
	    "(PBKDF2-HMAC-SHA256, AES-256-GCM)", s->bits);
	lines_addf(&u->side, "created    %s", s->created);
	if (s->has_cert) {
		lines_addf(&u->side, "subject    %s", s->subject);
		lines_addf(&u->side, "not after  %s", s->not_after);
		lines_add(&u->side, "Enter: the certificate decoded; "
		    "v verify; x export; O open any file");
	} else
		lines_addf(&u->side, "%cno certificate yet: r makes a "
		    "request, i issues it", LINE_WARN);
}

static void
ent_move(struct ui *u, long d, int page)
{
	long c;

	(void)u;
	(void)page;
	if (ent_nidx == 0)
		return;
	c = (long)ent_cur + d;
	if (c < 0)
		c = 0;
	if (c >= (long)ent_nidx)
		c = (long)ent_nidx - 1;
	ent_cur = (size_t)c;
}

/* A click on row y: select the entry shown there. */
static void
ent_click(struct ui *u, int y)
{
	size_t k;

	(void)u;
	if (y < ent_list_y || y >= ent_list_y + ent_list_h)
		return;
	k = ent_top + (size_t)(y - ent_list_y);
	if (k < ent_nidx)
		ent_cur = k;
}

static char *
ent_filter_text(struct ui *u)
{
	(void)u;
	return ent_filter;
}

static void
ent_enter(struct ui *u)
{
	ui_set_openssl(u, "ls %s/keys/   (keystores: YAML, the key "
	    "encrypted with PBKDF2 + AES-256-GCM)", u->ws.dir);
}

static void
ent_clear(struct ui *u)
{
	(void)u;
	free(ent_idx);
	ent_idx = NULL;
	ent_nidx = 0;
}

static const struct binding ent_keys[] = {
	{ 'c', 0, 0, keygen_open_ca, "c", "create a root CA (form)" },
	{ 'C', 0, 0, caint_open, "C", "create an intermediate CA: name constraints, policies (form)" },
	{ 'd', 0, 0, keygen_open_demo, "d", "create the demo lab" },
	{ 'n', 0, 0, keygen_open_key, "n", "new key for an entity (form)" },
	{ 'r', 0, 0, request_open, "r", "new certificate request for the selected entity" },
	{ 'i', 0, 0, scr_issue_open, "i", "issue: review a request" },
	{ 'v', 0, 0, scr_verify_open, "v", "verify the selected certificate" },
	{ 'x', 0, 0, export_open, "x", "export certificate or key" },
	{ 'e', 0, 0, NULL, NULL, NULL },
	{ 'O', 0, 0, openfile_open, "O", "open a file: certificate, request, CRL or key" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

/* A workspace with keystores opens on them (an empty one on Welcome). */
static int
ent_start(const struct ui *u)
{
	return u->nents > 0;
}

const struct screen scr_entities = {
	.name = "Entities",
	.title = "Entities",
	.hints = "n key  r request  i issue  v verify  x export  O open file  / filter  ? help",
	.flags = SCREEN_LIST,
	.keys = ent_keys,
	.shortcut = '1',
	.start = ent_start,
	.enter = ent_enter,
	.draw = ent_draw,
	.draw_side = ent_draw_side,
	.move = ent_move,
	.select = ent_select,
	.click = ent_click,
	.filter = ent_filter_text,
	.filter_changed = ent_filter_apply,
	.lists = ent_filter_apply,
	.clear = ent_clear,
};
