/* keylog.c — NSS key log lines (the SSLKEYLOGFILE format) so that
 * Wireshark can decrypt a capture: "LABEL <client_random> <secret>". */
#include <stdio.h>
#include <string.h>

#include "crypto/hex.h"
#include "tls/internal.h"

void
keylog_secret(struct tls_engine *t, const char *label, const uint8_t *secret,
    size_t len)
{
	char line[64 + 2 * 32 + 2 * 64 + 4];
	size_t n;

	if (t->cfg->keylog == NULL || len > 64 || strlen(label) > 62)
		return;
	n = (size_t)snprintf(line, sizeof line, "%s ", label);
	hex_encode(t->client_random, 32, line + n);
	n += 2 * 32;
	line[n++] = ' ';
	hex_encode(secret, len, line + n);
	t->cfg->keylog(t->cfg->cb_ctx, line);
	explicit_bzero(line, sizeof line);
}
