/* field.c — checks of a form field's value, shared by the forms: the
 * message appears under the field. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "role/ca.h"
#include "role/capolicy.h"
#include "tui/ui.h"
#include "x509/ext.h"

void
field_check_name(const char *v, char *err, size_t n)
{
	struct err e;

	if (ws_check_name(v, &e) == -1)
		ui_fmt(err, n, "%s", e.msg);
}

void
field_check_required(const char *v, char *err, size_t n)
{
	if (*v == '\0')
		ui_fmt(err, n, "required");
}

void
field_check_country(const char *v, char *err, size_t n)
{
	if (*v != '\0' && (strlen(v) != 2 || !isalpha((unsigned char)v[0]) ||
	    !isalpha((unsigned char)v[1])))
		ui_fmt(err, n, "two letters, such as DE or US");
}

void
field_check_email(const char *v, char *err, size_t n)
{
	if (*v != '\0' && strchr(v, '@') == NULL)
		ui_fmt(err, n, "an address needs an '@'");
}

void
field_check_san(const char *v, char *err, size_t n)
{
	struct san_list l;
	struct err e;

	if (*v == '\0')
		return;
	san_list_init(&l);
	if (san_parse_list(&l, v, &e) == -1)
		ui_fmt(err, n, "%s", e.msg);
	san_list_clear(&l);
}

void
field_check_days(const char *v, char *err, size_t n)
{
	char *end;
	long d = strtol(v, &end, 10);

	if (*v == '\0' || *end != '\0' || d < 1 || d > CA_MAX_DAYS)
		ui_fmt(err, n, "a number of days, 1 to %d", CA_MAX_DAYS);
}

/* Empty: as long as before (a renewal). */
void
field_check_days_opt(const char *v, char *err, size_t n)
{
	if (*v != '\0')
		field_check_days(v, err, n);
}

void
field_check_pass(const char *v, char *err, size_t n)
{
	if (*v == '\0')
		ui_fmt(err, n, "a passphrase is required");
}

void
field_dn_part(struct buf *b, const char *key, const char *v)
{
	if (*v == '\0')
		return;
	if (b->len > 0)
		buf_putc(b, ',');
	buf_puts(b, key);
	buf_putc(b, '=');
	for (; *v; v++) {
		if (strchr(",+\\=/\"", *v) != NULL)
			buf_putc(b, '\\');
		buf_putc(b, *v);
	}
}

int
field_pass_twice(struct form *fm, int a, int b)
{
	if (strcmp(fm->f[a].val, fm->f[b].val) != 0) {
		ui_fmt(fm->f[b].err, sizeof fm->f[b].err, "the two "
		    "passphrases differ");
		fm->cur = b;
		return -1;
	}
	return 0;
}

/* ---- the key type, as `key new --type` / `--bits` take it ---- */

/* RSA sizes, then P-256 last (Left from the RSA default reaches it). */
const char *const field_key_choices[] = { "2048", "3072", "4096",
    FIELD_KEY_EC, NULL };

unsigned
field_key_bits(const char *v)
{
	return strcmp(v, FIELD_KEY_EC) == 0 ? 0 : (unsigned)atoi(v);
}

/* ---- certificate policies, as `ca init --policy --cps` takes them ---- */

/* The option's name off the writer's message ("--policy: bad ..."): the
 * field names it already. */
static const char *
field_unopt(const char *msg, const char *opt)
{
	size_t n = strlen(opt);

	return strncmp(msg, opt, n) == 0 && strncmp(msg + n, ": ", 2) == 0 ?
	    msg + n + 2 : msg;
}

void
field_check_policy(const char *v, char *err, size_t n)
{
	struct ext_info x;
	struct capolicy p;
	struct err e;

	if (*v == '\0')
		return;
	ext_info_init(&x);
	capolicy_init(&p);
	p.policies = v;
	if (capolicy_set(&x, &p, &e) == -1)
		ui_fmt(err, n, "%s", field_unopt(e.msg, "--policy"));
	ext_info_clear(&x);
}

int
field_policy_pair(struct form *fm, int policy, int cps)
{
	struct ext_info x;
	struct capolicy p;
	struct err e;
	int r, i;

	ext_info_init(&x);
	capolicy_init(&p);
	p.policies = fm->f[policy].val[0] ? fm->f[policy].val : NULL;
	p.cps = fm->f[cps].val[0] ? fm->f[cps].val : NULL;
	r = capolicy_set(&x, &p, &e);
	ext_info_clear(&x);
	if (r == 0)
		return 0;
	i = strncmp(e.msg, "--cps", 5) == 0 ? cps : policy;
	ui_fmt(fm->f[i].err, sizeof fm->f[i].err, "%s", e.msg);
	fm->cur = i;
	return -1;
}
