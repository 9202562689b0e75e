/* yamlrec.c — shared pieces of the append-only record files; see
 * yamlrec.h. */
#include <string.h>

#include "crypto/hash.h"
#include "crypto/hex.h"
#include "store/ws.h"
#include "store/yamlrec.h"

void
yamlrec_time(struct buf *b, const char *key, int64_t t)
{
	char iso[WS_TIME_LEN];

	ws_time_format(t, iso);
	buf_printf(b, "%s: %s\n", key, iso);
}

void
yamlrec_seal(struct buf *b, size_t start)
{
	uint8_t d[32];

	hash_sha256(b->data + start, b->len - start, d);
	buf_puts(b, "sum: ");
	hex_put(b, d, sizeof d);
	buf_puts(b, "\n...\n");
}

int
yamlrec_line(const char *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	if (n >= l)
		return memcmp(p, lit, l) == 0 ? 1 : -1;
	return memcmp(p, lit, n) == 0 ? 0 : -1;
}

int
yamlrec_sum_ok(const char *start, const char *sum)
{
	uint8_t d[32];
	char hex[65];

	hash_sha256(start, (size_t)(sum - start), d);
	hex_encode(d, 32, hex);
	return memcmp(hex, sum + 5, 64) == 0;
}
