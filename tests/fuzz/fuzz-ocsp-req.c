/* fuzz-ocsp-req.c — libFuzzer entry point for the OCSP request reader: what
 * parses must write back (ocsp_req_build) and read again the same. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x509/ocsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct ocsp_req req, again;
	struct err e;
	uint8_t *der;
	size_t n, i;

	if (ocsp_req_parse(&req, data, len, &e) == -1)
		return 0;
	if (req.n == 0 || req.n > OCSP_MAX_REQUESTS)
		abort();
	if (ocsp_req_build(req.ids, req.n, &req.nonce, &der, &n, &e) == -1)
		abort();
	if (ocsp_req_parse(&again, der, n, &e) == -1 || again.n != req.n ||
	    again.nonce.len != req.nonce.len ||
	    memcmp(again.nonce.val, req.nonce.val, req.nonce.len) != 0)
		abort();
	for (i = 0; i < req.n; i++)
		if (!ocsp_certid_equal(&again.ids[i], &req.ids[i]))
			abort();
	free(der);
	return 0;
}
