/* fuzz-pkey.c — libFuzzer entry point for the pkey parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/buf.h"
#include "x509/cert.h"
#include "x509/csr.h"
#include "x509/pkey.h"
#include "x509/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rsakey k;
	struct pkey pk;
	struct err e;
	struct buf b;

	/* A low iteration count keeps encrypted inputs fast enough: inputs
	 * asking for more than a few are refused by the cap or just slow. */
	if (len > 8192)
		return 0;
	(void)pkey_detect(data, len);
	rsakey_init(&k);
	if (pkey_decode(&k, data, len, "secret", 6, &e) == 0) {
		buf_init(&b);
		text_key(&b, &k);
		if (k.has_private)
			pkey_encode_pkcs8(&k, &b);
		buf_clear_secret(&b);
	}
	rsakey_clear(&k);
	/* The same input as a key of either type (P-256 included). */
	pkey_init(&pk);
	if (pkey_decode_any(&pk, data, len, "secret", 6, &e) == 0) {
		buf_init(&b);
		if (pkey_has_private(&pk)) {
			pkey_encode_pkcs8_any(&pk, &b);
			if (pk.type == PKEY_EC)
				pkey_encode_sec1(&pk.ec, &b);
		}
		buf_clear_secret(&b);
	}
	pkey_clear(&pk);
	return 0;
}
