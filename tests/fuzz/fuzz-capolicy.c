/* fuzz-capolicy.c — libFuzzer entry point for the command-line form of
 * `ca init --policy LIST --cps URI`: the input is LIST, a newline, URI
 * (no newline: no --cps). What is accepted must read back as the
 * certificatePolicies it claims to be, and pass on to a certificate the
 * CA signs unchanged. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asn1/der.h"
#include "role/capolicy.h"
#include "x509/polext.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct capolicy p;
	struct cert issuer;
	struct ext_info t;
	struct pol_info info;
	struct der d;
	struct err e;
	char *s, *nl;

	if (len > 4096)
		return 0;
	s = malloc(len + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';
	capolicy_init(&p);
	p.policies = s;
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		p.cps = nl + 1;
	}
	cert_init(&issuer);
	ext_info_init(&t);
	if (capolicy_set(&issuer.ext, &p, &e) == 0) {
		pol_info_init(&info);
		der_init(&d, issuer.ext.pol, issuer.ext.pol_len, &e);
		if (polext_parse_policies(&d, &info) != 0 ||
		    info.npolicies == 0)
			abort();
		if (capolicy_apply(&issuer, &t, &e) != 0 ||
		    t.pol_len != issuer.ext.pol_len ||
		    memcmp(t.pol, issuer.ext.pol, t.pol_len) != 0)
			abort();
	}
	ext_info_clear(&t);
	cert_clear(&issuer);
	free(s);
	return 0;
}
