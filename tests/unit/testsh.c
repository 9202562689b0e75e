/* testsh.c — see testsh.h. */
#include <stdio.h>
#include <stdlib.h>

#include "testsh.h"
#include "util/buf.h"

char *
test_shv(const char *fmt, va_list ap)
{
	struct buf out;
	char cmd[4096], grp[4096 + 16], tmp[4096];
	size_t n;
	FILE *f;

	if (vsnprintf(cmd, 4096, fmt, ap) >= 4096) {
		fprintf(stderr, "command too long\n");
		exit(1);
	}
	/* a group, so that 2>&1 covers every command of a list */
	snprintf(grp, sizeof grp, "{ %s\n} 2>&1", cmd);
	if ((f = popen(grp, "r")) == NULL) {
		fprintf(stderr, "popen failed\n");
		exit(1);
	}
	buf_init(&out);
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_append(&out, tmp, n);
	pclose(f);
	buf_putc(&out, '\0');
	return (char *)buf_steal(&out, &n);
}

char *
test_sh(const char *fmt, ...)
{
	va_list ap;
	char *r;

	va_start(ap, fmt);
	r = test_shv(fmt, ap);
	va_end(ap);
	return r;
}
