/* fuzz-nameconstr.c — libFuzzer entry point for the nameConstraints
 * reader (DER), its command-line form and, on the same bytes read as a
 * certificate, the names a certificate is checked by and the check of
 * them against its own constraints. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x509/nameconstr.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What a parse gives must encode (forms we write) and read back equal. */
static void
roundtrip(const struct nameconstr *nc)
{
	struct nameconstr back;
	struct err e;
	uint8_t *der;
	size_t len, i;
	char *a, *b;

	for (i = 0; i < nc->permitted.n + nc->excluded.n; i++) {
		const struct nc_name *n = i < nc->permitted.n ?
		    &nc->permitted.v[i] : &nc->excluded.v[i - nc->permitted.n];

		if (n->bounded || n->form == NC_OTHER_NAME ||
		    n->form == NC_X400 || n->form == NC_EDI_PARTY ||
		    n->form == NC_REGISTERED_ID)
			return;
	}
	if ((der = nameconstr_encode(nc, &len, &e)) == NULL)
		abort();
	nameconstr_init(&back);
	if (nameconstr_parse(&back, der, len, &e) != 0)
		abort();
	a = nameconstr_text(nc);
	b = nameconstr_text(&back);
	if (strcmp(a, b) != 0)
		abort();
	free(a);
	free(b);
	free(der);
	nameconstr_clear(&back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct nameconstr nc;
	struct nc_list names;
	struct cert c;
	struct err e;
	char *text, *why = NULL;

	if (len > 65536)
		return 0;
	nameconstr_init(&nc);
	if (nameconstr_parse(&nc, data, len, &e) == 0) {
		free(nameconstr_text(&nc));
		roundtrip(&nc);
	}
	nameconstr_clear(&nc);

	text = malloc(len + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	if (nameconstr_parse_list(&nc.permitted, text, &e) == 0)
		roundtrip(&nc);
	nameconstr_clear(&nc);
	free(text);

	cert_init(&c);
	nc_list_init(&names);
	if (cert_parse(&c, data, len, &e) == 0 &&
	    nameconstr_cert_names(&c, 1, &names, &e) == 0 &&
	    nameconstr_from_cert(&nc, &c, &e) == 1) {
		(void)nameconstr_check(&nc, &names, &why);
		free(why);
	}
	nc_list_clear(&names);
	nameconstr_clear(&nc);
	cert_clear(&c);
	return 0;
}
