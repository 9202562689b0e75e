/* fuzz-cert.c — libFuzzer entry point for the cert parser. */
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
	struct cert c, i;
	struct cert_list l;
	struct err e;
	struct buf b;

	cert_init(&c);
	cert_init(&i);
	if (cert_parse(&c, data, len, &e) == 0) {
		buf_init(&b);
		text_cert(&b, &c);
		buf_clear(&b);
		(void)cert_self_signed(&c);
		/* Re-parse from the copy: the pointers must stay inside. */
		(void)cert_parse(&i, c.der, c.len, &e);
		(void)cert_check_signature(&c, &i, &e);
	}
	cert_clear(&c);
	cert_clear(&i);
	/* The list loader also takes PEM text. */
	cert_list_init(&l);
	(void)cert_list_load(&l, data, len, &e);
	cert_list_clear(&l);
	return 0;
}
