/* fuzz-polext.c — libFuzzer entry point for the certificate policy
 * extension parsers (x509/polext.h): the first byte picks the parser, the
 * rest is the extension value; the same bytes as text go to
 * pol_oid_from_text, whose result must print and parse back the same. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x509/polext.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static int (*const fns[4])(struct der *, struct pol_info *) = {
		polext_parse_policies, polext_parse_mappings,
		polext_parse_constraints, polext_parse_inhibit_any,
	};
	struct pol_info *info;
	struct pol_oid o, back;
	char txt[256], *text;
	struct err e;
	struct der d;
	int r1, r2;

	if (len < 1 || len > 65536)
		return 0;
	info = malloc(sizeof *info);
	if (info == NULL)
		return 0;
	/* With and without somewhere to keep it: the same verdict. */
	der_init(&d, data + 1, len - 1, &e);
	pol_info_init(info);
	r1 = fns[data[0] & 3](&d, info);
	der_init(&d, data + 1, len - 1, &e);
	r2 = fns[data[0] & 3](&d, NULL);
	if (r1 != r2)
		abort();
	if (r1 == 0 && (info->npolicies > POL_MAX_POLICIES ||
	    info->nmaps > POL_MAX_MAPPINGS))
		abort();
	free(info);
	text = malloc(len + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	if (pol_oid_from_text(&o, text, &e) == 0) {
		pol_oid_text(&o, txt, sizeof txt);
		if (pol_oid_from_text(&back, txt, &e) != 0 ||
		    !pol_oid_eq(&o, &back))
			abort();
	}
	free(text);
	return 0;
}
