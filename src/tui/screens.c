/* screens.c — the table of screens, in the order of the menu. A screen is
 * one file (scr-*.c) that defines its `const struct screen`; adding one
 * is that file and one line here. */
#include "tui/ui.h"

#define SCREENS \
	S(scr_welcome) \
	S(scr_entities) \
	S(scr_inventory) \
	S(scr_issue) \
	S(scr_verify) \
	S(scr_detail) \
	S(scr_crl) \
	S(scr_audit) \
	S(scr_caserve) \
	S(scr_server) \
	S(scr_roles) \
	S(scr_inbox) \
	S(scr_connect) \
	/* (every line ends with a backslash: adding one touches no other) */

#define S(name) extern const struct screen name;
SCREENS
#undef S

#define S(name) &name,
const struct screen *const screens[] = { SCREENS };
#undef S

const size_t screens_n = sizeof screens / sizeof screens[0];
