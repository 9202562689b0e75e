/* scr-welcome.c — the Welcome screen of an empty workspace: what a CA is
 * for and the first keys to press. */
#include "tui/ui.h"

static struct lines welcome_text;

static struct lines *
welcome_lines(struct ui *u)
{
	(void)u;
	return &welcome_text;
}

static void
welcome_enter(struct ui *u)
{
	struct lines *l = &welcome_text;

	lines_clear(l);
	lines_addf(l, "%cWelcome to minipki-tui", LINE_HEAD);
	lines_add(l, "");
	lines_addf(l, "This workspace (%s) is empty.", u->ws.dir);
	lines_add(l, "A certificate authority (CA) signs certificates "
	    "that bind names to keys.");
	lines_add(l, "");
	lines_add(l, "  a   create a root CA through a form");
	lines_add(l, "  d   create the demo lab: a root CA (demo-ca), a "
	    "server (localhost,");
	lines_add(l, "      127.0.0.1) and two clients (alice, bob), "
	    "each with a certificate");
	lines_add(l, "  1   go to the Entities screen");
	lines_add(l, "");
	lines_add(l, "Tab moves between windows, ? lists the keys, o "
	    "shows the openssl command");
	lines_add(l, "of an action, q quits.");
	ui_set_openssl(u, "openssl version");
}

static void
welcome_select(struct ui *u)
{
	ui_set_screen(u, &scr_entities);
}

static void
welcome_clear(struct ui *u)
{
	(void)u;
	lines_clear(&welcome_text);
}

static const struct binding welcome_keys[] = {
	{ 'c', 0, 0, keygen_open_ca, "c", "create a root CA (form)" },
	{ 'a', 0, 0, keygen_open_ca, "a", "create a root CA (form)" },
	{ 'd', 0, 0, keygen_open_demo, "d", "create the demo lab" },
	{ 0, 0, 0, NULL, NULL, NULL }
};

const struct screen scr_welcome = {
	.name = "Welcome",
	.title = "Welcome",
	.hints = "a root CA  d demo lab  1 entities  ? help  q quit",
	.keys = welcome_keys,
	.enter = welcome_enter,
	.text = welcome_lines,
	.select = welcome_select,
	.clear = welcome_clear,
};
