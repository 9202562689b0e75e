/* form.c — modal forms: labelled fields, masked passphrases, choices,
 * a validation message under each field. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "tui/ui.h"

void
form_begin(struct ui *u, const char *title, form_submit_fn *fn, int tag)
{
	form_wipe(u);
	u->form.title = title;
	u->form.submit = fn;
	u->form.tag = tag;
	u->form_open = 1;
}

struct field *
form_add(struct ui *u, const char *label, const char *val)
{
	struct field *f;

	if (u->form.n >= UI_FORM_FIELDS)
		return &u->form.f[UI_FORM_FIELDS - 1];
	f = &u->form.f[u->form.n++];
	memset(f, 0, sizeof *f);
	f->label = label;
	if (val != NULL) {
		ui_fmt(f->val, sizeof f->val, "%s", val);
		f->len = strlen(f->val);
	}
	return f;
}

void
form_add_pass_twice(struct ui *u, const char *hint)
{
	struct field *f;

	f = form_add(u, "Passphrase", "");
	f->masked = 1;
	f->check = field_check_pass;
	f->hint = hint;
	f = form_add(u, "Repeat passphrase", "");
	f->masked = 1;
}

struct field *
form_add_key(struct ui *u, const char *def)
{
	struct field *f = form_add(u, "Key (RSA bits/EC)", def);

	f->choices = field_key_choices;
	f->hint = "Left/Right: RSA 2048/3072/4096 or EC P-256";
	return f;
}

void
form_add_policy(struct ui *u, const char *hint)
{
	struct field *f;

	f = form_add(u, "Policies", "");
	f->check = field_check_policy;
	f->hint = hint;
	f = form_add(u, "CPS URI", "");
	f->hint = "http:// or https:// URI on each policy (empty: none)";
}

const char *
form_val(struct ui *u, int i)
{
	return u->form.f[i].val;
}

/* Passphrases were typed here: wipe them whatever happens. */
void
form_wipe(struct ui *u)
{
	explicit_bzero(&u->form, sizeof u->form);
	memset(&u->form, 0, sizeof u->form);
	u->form_open = 0;
}

static void
form_check(struct field *f)
{
	f->err[0] = '\0';
	if (f->check != NULL)
		f->check(f->val, f->err, sizeof f->err);
}

void
form_draw(struct ui *u)
{
	struct form *fm = &u->form;
	int w = u->cols - 6 > 90 ? 90 : u->cols - 6;
	int h = 2 * fm->n + 5, y, x, i, r, compact = 0;
	char shown[UI_FIELD_MAX + 8];

	/* Too many fields for two rows each: one row each, and the message
	 * of the current field (or the first error) above the buttons. */
	if (h > u->rows - 2) {
		compact = 1;
		h = fm->n + 6;
	}
	y = (u->rows - h) / 2;
	x = (u->cols - w) / 2;
	for (i = 0; i < h; i++)
		ui_fill(y + i, x, w);
	ui_box(y, x, h, w, fm->title, 1);
	r = y + 1;
	for (i = 0; i < fm->n && r < y + h - 2; i++) {
		struct field *f = &fm->f[i];
		int cur = i == fm->cur, vw = w - 22;

		ui_put(r, x + 2, 18, f->label);
		if (f->masked) {
			size_t k, n = f->len < sizeof shown - 1 ? f->len :
			    sizeof shown - 1;

			for (k = 0; k < n; k++)
				shown[k] = '*';
			shown[n] = '\0';
		} else if (f->choices != NULL)
			ui_fmt(shown, sizeof shown, "< %s >", f->val);
		else
			ui_fmt(shown, sizeof shown, "%s", f->val);
		attron(cur ? A_REVERSE : A_UNDERLINE);
		ui_fill(r, x + 20, vw);
		{
			/* Show the end of a long value. */
			const char *s = shown;
			size_t len = strlen(s);

			while (len > (size_t)vw - 1 && *s) {
				s++;
				len--;
				while ((*s & 0xc0) == 0x80)
					s++, len--;
			}
			ui_put(r, x + 20, vw, s);
		}
		attroff(cur ? A_REVERSE : A_UNDERLINE);
		r++;
		if (compact)
			continue;
		if (f->err[0] != '\0') {
			/* The value is shown just above: "PATH: why" says
			 * only why. Long messages get the whole width. */
			const char *m = f->err;
			int ex;

			if (f->len > 0 && strncmp(m, f->val, f->len) == 0 &&
			    m[f->len] == ':' && m[f->len + 1] == ' ')
				m += f->len + 2;
			ex = (int)strlen(m) > vw ? x + 4 : x + 20;
			attron(A_BOLD);
			ui_put(r, ex, x + w - 2 - ex, m);
			attroff(A_BOLD);
		} else if (cur && f->hint != NULL) {
			attron(A_DIM);
			ui_put(r, x + 20, vw, f->hint);
			attroff(A_DIM);
		}
		r++;
	}
	if (compact) {
		const struct field *f = &fm->f[fm->cur];

		for (i = 0; i < fm->n; i++)
			if (fm->f[i].err[0] != '\0') {
				f = &fm->f[i];
				break;
			}
		attron(A_BOLD);
		if (f->err[0] != '\0') {
			ui_put(y + h - 3, x + 2, 18, f->label);
			ui_put(y + h - 3, x + 20, w - 22, f->err);
		} else if (f->hint != NULL)
			ui_put(y + h - 3, x + 20, w - 22, f->hint);
		attroff(A_BOLD);
	}
	attron(A_BOLD);
	ui_put(y + h - 2, x + 2, w - 4, "Enter: OK   Esc: cancel   Tab: next field");
	attroff(A_BOLD);
	if (fm->openssl[0] != '\0')
		ui_set_openssl(u, "%s", fm->openssl);
}

static void
form_next(struct form *fm, int d)
{
	form_check(&fm->f[fm->cur]);
	fm->cur = (fm->cur + d + fm->n) % fm->n;
}

static void
form_choice(struct field *f, int d)
{
	int i, n;

	for (n = 0; f->choices[n] != NULL; n++)
		;
	for (i = 0; i < n; i++)
		if (strcmp(f->choices[i], f->val) == 0)
			break;
	i = ((i == n ? 0 : i) + d + n) % n;
	ui_fmt(f->val, sizeof f->val, "%s", f->choices[i]);
	f->len = strlen(f->val);
}

void
form_key(struct ui *u, int ch, int is_key)
{
	struct form *fm = &u->form;
	struct field *f = &fm->f[fm->cur];
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;
	int i, bad = 0;

	if (is_key) {
		switch (ch) {
		case KEY_DOWN: form_next(fm, 1); return;
		case KEY_UP: case KEY_BTAB: form_next(fm, -1); return;
		case KEY_LEFT: if (f->choices) form_choice(f, -1); return;
		case KEY_RIGHT: if (f->choices) form_choice(f, 1); return;
		case KEY_BACKSPACE: ch = 0x7f; break;
		case KEY_ENTER: ch = '\r'; break;
		default: return;
		}
	}
	switch (ch) {
	case 27:
		if (fm->cancel != NULL)
			fm->cancel(u);
		form_wipe(u);
		ui_log(u, "cancelled");
		return;
	case '\t':
		form_next(fm, 1);
		return;
	case '\r': case '\n':
		for (i = 0; i < fm->n; i++) {
			form_check(&fm->f[i]);
			if (fm->f[i].err[0] != '\0' && !bad) {
				bad = 1;
				fm->cur = i;
			}
		}
		if (bad)
			return;
		if (fm->submit(u, fm) == 0)
			form_wipe(u);
		return;
	case 0x7f: case 8:
		if (f->choices != NULL)
			return;
		while (f->len > 0) {
			f->len--;
			if ((f->val[f->len] & 0xc0) != 0x80)
				break;
		}
		f->val[f->len] = '\0';
		return;
	case 21:	/* ^U */
		explicit_bzero(f->val, sizeof f->val);
		f->len = 0;
		return;
	case ' ':
		if (f->choices != NULL) {
			form_choice(f, 1);
			return;
		}
		break;
	}
	if (ch < 0x20 || f->choices != NULL)
		return;
	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, (wchar_t)ch, &st);
	if (n == (size_t)-1 || f->len + n >= sizeof f->val)
		return;
	memcpy(f->val + f->len, mb, n);
	f->len += n;
	f->val[f->len] = '\0';
	f->err[0] = '\0';
}
