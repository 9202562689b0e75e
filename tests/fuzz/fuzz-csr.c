/* fuzz-csr.c — libFuzzer entry point for the csr parser. */
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
	struct csr r;
	struct err e;
	struct buf b;

	csr_init(&r);
	if (csr_parse(&r, data, len, &e) == 0) {
		buf_init(&b);
		text_csr(&b, &r);
		buf_clear(&b);
		(void)csr_check_signature(&r, &e);
	}
	csr_clear(&r);
	return 0;
}
