/* peerlib.c — what the tests judged by another tool share; see
 * peerlib.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "asn1/pem.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "peerlib.h"
#include "testlib.h"

void
peer_need_openssl(const char *dir)
{
	char *cmd;

	if (peer_run("openssl version >/dev/null 2>&1") != 0)
		test_skip("openssl not found");
	cmd = xasprintf("rm -rf %s", dir);
	peer_run(cmd);
	free(cmd);
	mkdir("tests/work", 0700);
	mkdir(dir, 0700);
}

int
peer_run(const char *cmd)
{
	int r = system(cmd);

	return WIFEXITED(r) ? WEXITSTATUS(r) : -1;
}

int
peer_output_has(const char *cmd, const char *want)
{
	char line[4096];
	FILE *f = popen(cmd, "r");
	int found = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (strstr(line, want) != NULL)
			found = 1;
	pclose(f);
	return found;
}

void
peer_write_pem(const char *path, const char *label, const uint8_t *der,
    size_t len)
{
	struct buf b;
	struct err e;

	buf_init(&b);
	pem_encode(label, der, len, &b);
	if (file_write(path, b.data, b.len, 0600, 0, &e) == -1)
		test_fail(__FILE__, __LINE__, "%s", e.msg);
	buf_clear_secret(&b);
}
