/* testws.h — a scratch workspace under tests/work for the store tests. */
#ifndef MP_TESTWS_H
#define MP_TESTWS_H

#include "store/ws.h"

/* Makes the directory from the mkdtemp template dir (tests/work/NAME-XXXXXX,
 * rewritten in place) and opens w there. On failure prints why and returns
 * -1. */
int test_ws_open(struct ws *w, char *dir);
/* Clears w and removes dir with everything in it. */
void test_ws_remove(struct ws *w, const char *dir);
/* The path of file in w's ca/NAME/ (the caller frees). */
char *test_ca_path(const struct ws *w, const char *ca, const char *file);

#endif
