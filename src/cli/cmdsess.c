/* cmdsess.c — session files for `client connect` (cmdsess.h). */
#include <string.h>

#include "cli/cmdsess.h"
#include "util/buf.h"
#include "util/file.h"

int
cmdsess_load(const char *path, struct tls_session *s, struct err *e)
{
	struct buf b;
	int rc;

	buf_init(&b);
	rc = file_read(path, 4096, &b, e);
	if (rc == 0 && tls_session_read(b.data, b.len, s, e) == -1)
		rc = err_wrap(e, "%s", path);
	buf_clear_secret(&b);
	return rc;
}

int
cmdsess_save(const char *path, const struct tls_session *s, struct err *e)
{
	struct buf b;
	int rc;

	buf_init(&b);
	tls_session_write(s, &b);
	rc = file_write(path, b.data, b.len, 0600, 0, e);
	buf_clear_secret(&b);
	return rc;
}
