/* testws.c — see testws.h. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "testws.h"
#include "util/xalloc.h"

int
test_ws_open(struct ws *w, char *dir)
{
	struct err e;

	mkdir("tests/work", 0755);
	if (mkdtemp(dir) == NULL) {
		perror(dir);
		return -1;
	}
	ws_init(w);
	if (ws_open(w, dir, &e) == -1) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

void
test_ws_remove(struct ws *w, const char *dir)
{
	ws_clear(w);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *
test_ca_path(const struct ws *w, const char *ca, const char *file)
{
	return xasprintf("%s/ca/%s/%s", w->dir, ca, file);
}
