/* lifecycle.c — the CRL and audit-log windows, revoke and renew.
 * (Placeholder until the lifecycle screens land: says so on screen.) */
#include "tui/ui.h"

void
lc_enter(struct ui *u, enum ui_screen s)
{
	lines_clear(&u->text);
	lines_addf(&u->text, "%c%s: not built yet", LINE_WARN,
	    s == SCR_CRL ? "CRL window" : "Audit log");
}

void
lc_draw(struct ui *u, int y, int x, int h, int w)
{
	lines_draw(&u->text, y, x, h, w, 0);
}

int
lc_key(struct ui *u, int ch)
{
	(void)u;
	(void)ch;
	return 0;
}

void
lc_clear(struct ui *u)
{
	(void)u;
}
