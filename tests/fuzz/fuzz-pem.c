/* fuzz-pem.c — PEM decoding of any text; what decodes must encode and
 * decode back to the same blocks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/pem.h"
#include "crypto/b64.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pem_list l, l2;
	struct buf b;
	struct err e;
	size_t i;

	(void)pem_detect(data, size);
	buf_init(&b);
	(void)b64_decode((const char *)data, size, &b, &e);
	buf_clear(&b);
	pem_list_init(&l);
	pem_list_init(&l2);
	if (pem_decode((const char *)data, size, &l, &e) == 0) {
		for (i = 0; i < l.n; i++)
			pem_encode(l.v[i].label, l.v[i].der, l.v[i].len, &b);
		if (pem_decode((const char *)b.data, b.len, &l2, &e) != 0 ||
		    l2.n != l.n)
			abort();
		for (i = 0; i < l.n; i++)
			if (l2.v[i].len != l.v[i].len ||
			    memcmp(l2.v[i].der, l.v[i].der, l.v[i].len) != 0 ||
			    strcmp(l2.v[i].label, l.v[i].label) != 0)
				abort();
	}
	buf_clear(&b);
	pem_list_clear(&l);
	pem_list_clear(&l2);
	return 0;
}
