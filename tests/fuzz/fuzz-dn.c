/* fuzz-dn.c — libFuzzer entry point for dn_from_string (text) and, on the
 * same bytes, dn_parse (DER) and san_parse_list. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "x509/dn.h"
#include "x509/ext.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct dn dn, back;
	struct san_list sl;
	struct err e;
	struct der d;
	char *text, *s;

	if (len > 65536)
		return 0;
	text = malloc(len + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	dn_init(&dn);
	dn_init(&back);
	if (dn_from_string(&dn, text, &e) == 0) {
		/* What we build must parse back to an equal name. */
		der_init(&d, dn.der, dn.derlen, &e);
		if (dn_parse(&d, &back) != 0 || !dn_equal(&dn, &back))
			abort();
		s = dn_to_string(&dn);
		free(s);
	}
	dn_clear(&dn);
	dn_clear(&back);
	der_init(&d, data, len, &e);
	if (dn_parse(&d, &dn) == 0) {
		s = dn_to_string(&dn);
		free(s);
		(void)dn_equal(&dn, &dn);
	}
	dn_clear(&dn);
	san_list_init(&sl);
	(void)san_parse_list(&sl, text, &e);
	san_list_clear(&sl);
	free(text);
	return 0;
}
