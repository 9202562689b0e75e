/* fuzz-pkcs12.c — libFuzzer entry point for the PKCS#12 reader: the
 * structure alone, then opened with the passphrase "secret" (the seed
 * files' one), and the listing `show` prints. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/buf.h"
#include "x509/pkcs12.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct pkcs12 p;
	struct err e;
	struct buf b;

	if (len > 16384)
		return 0;
	(void)pkcs12_detect(data, len);
	pkcs12_init(&p);
	/* OpenSSL's default count, so that the seeds open; an input asking
	 * for more is refused by the cap, as a file over the real one is. */
	p.max_iter = 2048;
	buf_init(&b);
	if (pkcs12_parse(&p, data, len, NULL, 0, &e) == 0)
		pkcs12_text(&b, &p);
	pkcs12_clear(&p);
	if (pkcs12_parse(&p, data, len, "secret", 6, &e) == 0)
		pkcs12_text(&b, &p);
	pkcs12_clear(&p);
	buf_clear(&b);
	return 0;
}
