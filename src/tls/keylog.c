/* keylog.c — NSS key log lines (the SSLKEYLOGFILE format) so that
 * Wireshark can decrypt a capture: "LABEL <client_random> <secret>". */
#include <stdio.h>
#include <string.h>

#include "tls/internal.h"

void
keylog_secret(struct tls_engine *t, const char *label, const uint8_t *secret,
    size_t len)
{
	char line[64 + 2 * 32 + 2 * 64 + 4];
	size_t n, i;

	if (t->cfg->keylog == NULL || len > 64)
		return;
	n = (size_t)snprintf(line, sizeof line, "%s ", label);
	for (i = 0; i < 32; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%02x",
		    t->client_random[i]);
	line[n++] = ' ';
	for (i = 0; i < len; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%02x",
		    secret[i]);
	t->cfg->keylog(t->cfg->cb_ctx, line);
	explicit_bzero(line, sizeof line);
}
