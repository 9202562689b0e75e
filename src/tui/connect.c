/* connect.c — the TLS connection window.
 * (Placeholder until the connection window land: says so on screen.) */
#include "tui/ui.h"

void
conn_enter(struct ui *u)
{
	lines_clear(&u->text);
	lines_addf(&u->text, "%c%s: not built yet", LINE_WARN,
	    "Connection window");
}

void
conn_draw(struct ui *u, int y, int x, int h, int w)
{
	lines_draw(&u->text, y, x, h, w, 0);
}

int
conn_key(struct ui *u, int ch)
{
	(void)u;
	(void)ch;
	return 0;
}

void
conn_clear(struct ui *u)
{
	(void)u;
}
